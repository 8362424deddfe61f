//! `build --versions`, `section.history` and the "what changed" pages,
//! against temporary git repositories made with the `git` command.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::*;

/// Runs git in `dir` with a fixed identity and date and no user config.
pub fn git(dir: &Path, date: &str, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(["-c", "tag.gpgsign=false"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Hanako Sato")
        .env("GIT_AUTHOR_EMAIL", "hanako@example.com")
        .env("GIT_COMMITTER_NAME", "Hanako Sato")
        .env("GIT_COMMITTER_EMAIL", "hanako@example.com")
        .env("GIT_AUTHOR_DATE", format!("{date}T10:00:00+09:00"))
        .env("GIT_COMMITTER_DATE", format!("{date}T10:00:00+09:00"))
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn commit(dir: &Path, date: &str, subject: &str) {
    git(dir, date, &["add", "-A"]);
    git(dir, date, &["commit", "-q", "-m", subject]);
}

fn alpha() -> String {
    base_plan().replace("id: base-plan\n", "")
}

/// Three tagged commits that change a plan, and an untagged rename:
/// v1 the base plan; v2 m2 re-dated, its target raised and a task done;
/// v3 a plan added; then alpha.md moved to team/alpha.md.
pub fn history_repo() -> Repo {
    let repo = Repo::new();
    let dir = repo.path();
    git(dir, "2027-01-05", &["init", "-q"]);
    repo.file("content/alpha.md", &alpha());
    commit(dir, "2027-01-05", "Agree the first plan");
    git(dir, "2027-01-05", &["tag", "v1"]);

    let v2 = alpha()
        .replace("    due: 2027-02-28\n    target: 3.0", "    due: 2027-03-01\n    target: 3.2")
        .replace("review: 2027-03-02", "review: 2027-03-03")
        .replace(
            "        done_when: 500 人の同意が記録されている\n        due: 2027-02-20",
            "        done_when: 500 人の同意が記録されている\n        due: 2027-02-20\n        status: done",
        );
    assert_ne!(v2, alpha());
    repo.file("content/alpha.md", &v2);
    commit(dir, "2027-02-01", "Move m2 and raise its target");
    // An annotated tag: peeled to its commit.
    git(dir, "2027-02-01", &["tag", "-a", "v2", "-m", "m1 review"]);

    repo.file(
        "content/beta.md",
        &alpha().replace(
            "title: 推薦によるお気に入り登録率の向上",
            "title: Beta plan",
        ),
    );
    commit(dir, "2027-02-10", "Add the beta plan");
    git(dir, "2027-02-10", &["tag", "v3"]);
    // Not a version: does not match `v*`.
    git(dir, "2027-02-10", &["tag", "m1-review"]);

    std::fs::create_dir_all(dir.join("content/team")).unwrap();
    git(
        dir,
        "2027-02-12",
        &["mv", "content/alpha.md", "content/team/alpha.md"],
    );
    commit(dir, "2027-02-12", "Move alpha into team/");
    repo
}

fn build_versions(repo: &Repo) -> (tempfile::TempDir, std::path::PathBuf, Run) {
    build_versions_at(repo.path(), &[])
}

/// `build --versions EXTRA…` of the plan repository at `root` into a fresh
/// directory; the build must succeed.
fn build_versions_at(root: &Path, extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, Run) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let mut args = vec!["build", "--versions", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let r = run_in(root, root, &args);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    (tmp, out, r)
}

/// The `href` of a page's canonical link.
fn canonical(out: &Path, rel: &str) -> String {
    page(out, rel)
        .select(&sel("link[rel=canonical]"))
        .next()
        .and_then(|l| l.value().attr("href"))
        .unwrap()
        .to_string()
}

/// The m2 row of the matrix: its text.
fn m2_row(out: &Path, rel: &str) -> String {
    let doc = page(out, rel);
    texts(&doc, "table.matrix tbody tr")
        .into_iter()
        .find(|t| t.contains("m2") || t.contains("一部顧客"))
        .unwrap_or_else(|| panic!("{rel}: no m2 row"))
}

#[test]
fn each_tag_is_built_from_its_own_content() {
    let repo = history_repo();
    let (_tmp, out, r) = build_versions(&repo);
    assert!(r.stderr.contains("3 tagged version"), "{}", r.stderr);

    let v1 = m2_row(&out, "v/v1/plans/alpha/index.html");
    assert!(v1.contains("Feb 28, 2027") && v1.contains('3'), "{v1}");
    assert!(!v1.contains("3.2"), "{v1}");
    let v2 = m2_row(&out, "v/v2/plans/alpha/index.html");
    assert!(v2.contains("Mar 1, 2027") && v2.contains("3.2"), "{v2}");
    let latest = m2_row(&out, "plans/alpha/index.html");
    assert!(latest.contains("3.2"), "{latest}");

    assert!(!out.join("v/v1/plans/beta").exists());
    assert!(!out.join("v/v2/plans/beta").exists());
    assert!(out.join("v/v3/plans/beta/index.html").is_file());
    assert!(!out.join("v/m1-review").exists());
    // Every version is a whole site.
    for v in ["v/v1/", "v/v2/", "v/v3/", ""] {
        for p in [
            "index.html",
            "changelog/index.html",
            "changelog.xml",
            "lint/index.html",
            "plans.json",
            "calendar.ics",
            "changes/index.html",
            "static/style.css",
        ] {
            assert!(out.join(format!("{v}{p}")).is_file(), "{v}{p}");
        }
    }
    // Under a relative base URL there is no canonical link (it must be
    // absolute); absolute_urls_point_into_each_version has one.
    let v2 = page(&out, "v/v2/plans/alpha/index.html");
    assert!(v2.select(&sel("link[rel=canonical]")).next().is_none());
}

#[test]
fn versions_json_lists_the_tags_newest_first() {
    let repo = history_repo();
    let (_tmp, out, _) = build_versions(&repo);
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("versions.json")).unwrap()).unwrap();
    let list = v.as_array().unwrap();
    let tags: Vec<&str> = list.iter().map(|e| e["tag"].as_str().unwrap()).collect();
    assert_eq!(tags, ["v3", "v2", "v1"]);
    let v1 = &list[2];
    assert_eq!(v1["path"], "v/v1/");
    assert_eq!(v1["date"], "2027-01-05");
    assert_eq!(v1["commit"].as_str().unwrap().len(), 40);
    let head_v1 = git(repo.path(), "2027-01-05", &["rev-parse", "v1^{commit}"]);
    assert_eq!(v1["commit"], head_v1.trim());
    // The index page lists the latest and every tag.
    let doc = page(&out, "versions/index.html");
    let rows = texts(&doc, "table.versions-table tbody tr");
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(
        rows[1].starts_with("v3") && rows[3].starts_with("v1"),
        "{rows:?}"
    );
}

#[test]
fn switcher_links_resolve_and_old_versions_have_a_banner() {
    let repo = history_repo();
    let (_tmp, out, _) = build_versions(&repo);
    let checked = check_links(&out);
    assert!(checked > 200, "only {checked} links");

    let latest = page(&out, "plans/beta/index.html");
    assert!(latest.select(&sel(".version-banner")).next().is_none());
    let links: Vec<(String, String)> = latest
        .select(&sel(".version-switcher a"))
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(links.len(), 4, "{links:?}");
    // beta exists in v3 only: v1 and v2 link to the versions page.
    assert_eq!(
        links[1],
        ("v3".into(), "../../v/v3/plans/beta/index.html".into())
    );
    assert_eq!(links[2], ("v2".into(), "../../versions/index.html".into()));

    let old = page(&out, "v/v1/plans/alpha/index.html");
    let banner = texts(&old, ".version-banner").join(" ");
    assert!(banner.contains("v1"), "{banner}");
    let current: Vec<String> = texts(&old, ".version-switcher a[aria-current=page]");
    assert_eq!(current, ["v1"]);
    let to_latest = old
        .select(&sel(".version-banner a"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .unwrap();
    assert_eq!(to_latest, "../../../../plans/alpha/index.html");
}

/// A plan page that is the same in consecutive versions is one file, linked
/// into each of them and naming them all: alpha did not change from v2 to
/// v3 (v1 differs).
#[test]
fn a_page_unchanged_between_versions_is_one_file_naming_its_versions() {
    let repo = history_repo();
    let (_tmp, out, _) = build_versions_at(repo.path(), &["--base-url", "https://plans.example/"]);
    let file = |v: &str| out.join(format!("v/{v}/plans/alpha/index.html"));
    let bytes = |v: &str| std::fs::read(file(v)).unwrap();
    assert_eq!(bytes("v2"), bytes("v3"));
    assert_ne!(bytes("v1"), bytes("v2"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let ino = |v: &str| std::fs::metadata(file(v)).unwrap().ino();
        assert_eq!(ino("v2"), ino("v3"));
        assert_ne!(ino("v1"), ino("v2"));
    }

    let doc = page(&out, "v/v3/plans/alpha/index.html");
    let banner = texts(&doc, ".version-banner").join(" ");
    assert!(
        banner.contains("v2 – v3") && banner.contains("did not change"),
        "{banner}"
    );
    let links: Vec<(String, String, bool)> = doc
        .select(&sel(".version-switcher a"))
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("href").unwrap().to_string(),
                a.value().attr("aria-current").is_some(),
            )
        })
        .collect();
    // The run is one entry, the current one, where its file was first
    // written; the page's canonical URL is the same.
    assert_eq!(links.len(), 3, "{links:?}");
    assert_eq!(
        links[1],
        (
            "v2 – v3".into(),
            "../../../../v/v2/plans/alpha/index.html".into(),
            true
        )
    );
    assert_eq!(
        links[2],
        (
            "v1".into(),
            "../../../../v/v1/plans/alpha/index.html".into(),
            false
        )
    );
    assert_eq!(
        canonical(&out, "v/v3/plans/alpha/index.html"),
        "https://plans.example/v/v2/plans/alpha/"
    );
    // "What changed" is relative: each version's own page.
    let changes = doc
        .select(&sel(".version-changes"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .unwrap();
    assert_eq!(changes, "../../changes/index.html");
    // A version's own pages still name it alone.
    let home = texts(&page(&out, "v/v3/index.html"), ".version-banner").join(" ");
    assert!(home.contains("v3") && !home.contains("v2"), "{home}");
}

#[test]
fn what_changed_names_each_change() {
    let repo = history_repo();
    let (_tmp, out, _) = build_versions(&repo);
    let v2 = texts(&page(&out, "v/v2/changes/index.html"), "main").join("\n");
    for needle in [
        "Changes since v1",
        "m2 moved from 2027-02-28 to 2027-03-01",
        "m2 target 3 → 3.2",
        "task done in m2 (pm): 対象顧客を選ぶ",
    ] {
        assert!(v2.contains(needle), "missing {needle:?} in\n{v2}");
    }
    let v3 = page(&out, "v/v3/changes/index.html");
    assert_eq!(
        texts(&v3, ".changes-added li a"),
        ["Beta plan"],
        "{}",
        texts(&v3, "main").join("\n")
    );
    let v1 = texts(&page(&out, "v/v1/changes/index.html"), "main").join("\n");
    assert!(v1.contains("First version"), "{v1}");
}

#[test]
fn history_lists_the_commits_of_the_plan_following_renames() {
    let repo = history_repo();
    let (_tmp, out, _) = build_versions(&repo);
    let latest = page(&out, "plans/alpha/index.html");
    let subjects = texts(&latest, "section.history .history-subject");
    assert_eq!(
        subjects,
        [
            "Move alpha into team/",
            "Move m2 and raise its target",
            "Agree the first plan"
        ]
    );
    let items = texts(&latest, "section.history li");
    assert!(items[0].contains("Hanako Sato"), "{items:?}");
    assert!(
        items[2].contains("content/alpha.md"),
        "old path shown: {items:?}"
    );
    let v1 = page(&out, "v/v1/plans/alpha/index.html");
    assert_eq!(
        texts(&v1, "section.history .history-subject"),
        ["Agree the first plan"]
    );
    // A plain build shows the history too.
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("site");
    let r = repo.run(&["build", "--out", plain.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        texts(
            &page(&plain, "plans/beta/index.html"),
            "section.history .history-subject"
        ),
        ["Add the beta plan"]
    );
}

#[test]
fn the_working_tree_is_untouched_and_builds_are_identical() {
    let repo = history_repo();
    repo.file("content/_notes.md", "not committed\n");
    let status = |r: &Repo| git(r.path(), "2027-02-12", &["status", "--porcelain"]);
    let head = |r: &Repo| git(r.path(), "2027-02-12", &["rev-parse", "HEAD"]);
    let (before, head_before) = (status(&repo), head(&repo));
    let (_a, out_a, _) = build_versions(&repo);
    let (_b, out_b, _) = build_versions(&repo);
    assert_eq!(status(&repo), before);
    assert_eq!(head(&repo), head_before);
    assert_eq!(all_files(&out_a), all_files(&out_b));
}

#[test]
fn a_tag_with_lint_errors_is_still_built() {
    let repo = history_repo();
    let dir = repo.path();
    let broken = alpha().replace("    target: 2.5\n", "");
    repo.file("content/team/alpha.md", &broken);
    commit(dir, "2027-02-13", "Drop m1's target");
    git(dir, "2027-02-13", &["tag", "v4"]);
    repo.file("content/team/alpha.md", &alpha());
    commit(dir, "2027-02-14", "Restore m1's target");
    let (_tmp, out, r) = build_versions(&repo);
    assert!(r.stderr.contains("v4 has 1 lint error"), "{}", r.stderr);
    let findings = texts(
        &page(&out, "v/v4/plans/alpha/index.html"),
        "section.findings li",
    );
    assert!(findings.iter().any(|f| f.contains("MIL")), "{findings:?}");
}

#[test]
fn untagged_repos_build_the_latest_with_a_note() {
    let repo = Repo::new();
    repo.file("content/alpha.md", &alpha());
    git(repo.path(), "2027-01-05", &["init", "-q"]);
    commit(repo.path(), "2027-01-05", "Agree the first plan");
    let (_tmp, out, r) = build_versions(&repo);
    assert!(
        r.stderr
            .contains("versions skipped: no git tag matches `v*`"),
        "{}",
        r.stderr
    );
    assert!(out.join("plans/alpha/index.html").is_file());
    assert!(!out.join("v").exists() && !out.join("versions.json").exists());
    assert_eq!(
        texts(
            &page(&out, "plans/alpha/index.html"),
            "section.history .history-subject"
        ),
        ["Agree the first plan"]
    );
}

#[test]
fn repos_without_git_build_the_latest_with_a_note() {
    let repo = Repo::new();
    repo.file("content/alpha.md", &alpha());
    let (_tmp, out, r) = build_versions(&repo);
    assert!(
        r.stderr
            .contains("versions skipped: the root is not inside a git repository"),
        "{}",
        r.stderr
    );
    let doc = page(&out, "plans/alpha/index.html");
    assert!(doc.select(&sel("section.history")).next().is_none());
}

#[test]
fn shallow_clones_build_the_latest_with_a_note() {
    let origin = history_repo();
    let clone = Repo::empty();
    let url = format!("file://{}", origin.path().display());
    git(
        clone.path(),
        "2027-02-12",
        &["clone", "-q", "--depth", "1", &url, "repo"],
    );
    let (_tmp, out, r) = build_versions_at(&clone.path().join("repo"), &[]);
    assert!(
        r.stderr.contains("versions skipped") && r.stderr.contains("shallow"),
        "{}",
        r.stderr
    );
    assert!(out.join("plans/alpha/index.html").is_file());
    assert!(!out.join("v").exists());
}

#[test]
fn tags_without_content_are_skipped() {
    let repo = history_repo();
    let dir = repo.path();
    git(dir, "2027-02-13", &["checkout", "-q", "--orphan", "notes"]);
    git(dir, "2027-02-13", &["rm", "-rq", "--cached", "."]);
    let tree = git(dir, "2027-02-13", &["mktree"]);
    let c = git(
        dir,
        "2027-02-13",
        &["commit-tree", tree.trim(), "-m", "empty"],
    );
    git(dir, "2027-02-13", &["tag", "v0-empty", c.trim()]);
    git(dir, "2027-02-13", &["checkout", "-q", "-f", "main"]);
    let (_tmp, out, r) = build_versions(&repo);
    assert!(
        r.stderr
            .contains("tag v0-empty has no content directory; skipped"),
        "{}",
        r.stderr
    );
    assert!(!out.join("v/v0-empty").exists());
    assert!(out.join("v/v1/index.html").is_file());
}

/// A tag whose plan file is missing from the object database (a damaged or
/// partial clone) is skipped with a note; the other versions are built.
#[test]
fn a_tag_with_an_unreadable_plan_file_is_skipped() {
    let repo = history_repo();
    let dir = repo.path();
    let blob = git(dir, "2027-02-13", &["rev-parse", "v1:content/alpha.md"]);
    let blob = blob.trim();
    let (head, tail) = blob.split_at(2);
    std::fs::remove_file(dir.join(".git/objects").join(head).join(tail)).unwrap();
    let (_tmp, out, r) = build_versions(&repo);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("tag v1 skipped: cannot read git object"),
        "{}",
        r.stderr
    );
    assert!(!out.join("v/v1").exists());
    assert!(out.join("v/v2/plans/alpha/index.html").is_file());
    let links = texts(
        &page(&out, "v/v2/plans/alpha/index.html"),
        ".version-switcher a",
    );
    assert!(!links.iter().any(|l| l.contains("v1")), "{links:?}");
}

/// The latest version of a versioned build is the plain build plus the
/// version bar: the shared files made from cached pieces are the same bytes.
#[test]
fn the_latest_version_matches_a_plain_build() {
    let repo = history_repo();
    let (_tmp, versioned, _) = build_versions(&repo);
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("site");
    let r = repo.run(&["build", "--out", plain.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in [
        "plans.json",
        "calendar.ics",
        "changelog.xml",
        "static/style.css",
    ] {
        assert_eq!(
            std::fs::read(versioned.join(f)).unwrap(),
            std::fs::read(plain.join(f)).unwrap(),
            "{f}"
        );
    }
    // Pages differ only by the version bar.
    let strip = |p: &std::path::Path| {
        let text = std::fs::read_to_string(p).unwrap();
        match (text.find("<div class=\"version-bar\">"), text.find("<main")) {
            (Some(a), Some(b)) => format!("{}{}", &text[..a], &text[b..]),
            _ => text,
        }
    };
    let a = strip(&versioned.join("plans/alpha/index.html"));
    let b = strip(&plain.join("plans/alpha/index.html"));
    assert_eq!(a.replace('\n', ""), b.replace('\n', ""));
    // The latest is indexed for search, as in a plain build: the version
    // bar is outside what Pagefind reads, so the bundles are the same.
    let (a, b) = (
        all_files(&versioned.join("pagefind")),
        all_files(&plain.join("pagefind")),
    );
    assert!(a.len() > 5, "{:?}", a.keys().collect::<Vec<_>>());
    assert!(
        a == b,
        "the latest's search index differs from a plain build's"
    );
    assert!(versioned.join("search/index.html").is_file());
}

/// Old versions are history: without `[search] versions = true` they get
/// no index, no search page and no header box; with it each gets its own.
#[test]
fn old_versions_are_indexed_only_when_asked() {
    let repo = history_repo();
    let (_tmp, out, _) = build_versions(&repo);
    let boxes = |rel: &str| page(&out, rel).select(&sel("form.site-search")).count();
    assert_eq!(boxes("index.html"), 1);
    assert_eq!(boxes("plans/alpha/index.html"), 1);
    for v in ["v1", "v2", "v3"] {
        assert!(!out.join(format!("v/{v}/pagefind")).exists(), "{v}");
        assert!(!out.join(format!("v/{v}/search")).exists(), "{v}");
        assert_eq!(boxes(&format!("v/{v}/index.html")), 0, "{v}");
        assert_eq!(boxes(&format!("v/{v}/plans/alpha/index.html")), 0, "{v}");
    }
    // The latest's search page: the switcher sends old versions to the
    // versions index, as for any page they do not have.
    let links: Vec<String> = page(&out, "search/index.html")
        .select(&sel(".version-switcher a"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(links.len(), 4, "{links:?}");
    assert_eq!(
        links
            .iter()
            .filter(|l| *l == "../versions/index.html")
            .count(),
        3,
        "{links:?}"
    );

    repo.file(
        "book.toml",
        &format!("{BOOK_TOML}\n[search]\nversions = true\n"),
    );
    let (_tmp, out, _) = build_versions(&repo);
    for v in ["v1", "v2", "v3"] {
        let root = out.join(format!("v/{v}"));
        assert!(root.join("pagefind/pagefind-entry.json").is_file(), "{v}");
        assert!(root.join("search/index.html").is_file(), "{v}");
        let doc = page(&out, &format!("v/{v}/plans/alpha/index.html"));
        let form: Vec<_> = doc.select(&sel("form.site-search")).collect();
        assert_eq!(form.len(), 1, "{v}");
        // The box searches the version the page belongs to.
        assert_eq!(
            form[0].value().attr("action"),
            Some("../../search/index.html")
        );
    }
    // v1 has only alpha; v3 has beta too: each index holds its own plans.
    let pages = |v: &str| {
        std::fs::read_to_string(out.join(format!("v/{v}/pagefind/pagefind-entry.json"))).unwrap()
    };
    let count = |v: &str| -> u64 {
        let entry: serde_json::Value = serde_json::from_str(&pages(v)).unwrap();
        entry["languages"]
            .as_object()
            .unwrap()
            .values()
            .map(|l| l["page_count"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(count("v1"), 1);
    assert_eq!(count("v3"), 2);
}

/// Under an absolute base URL, each version's feeds and canonical links
/// point into that version.
#[test]
fn absolute_urls_point_into_each_version() {
    let repo = history_repo();
    let (_tmp, out, _) =
        build_versions_at(repo.path(), &["--base-url", "https://plans.example/team"]);
    let read = |f: &str| {
        std::fs::read_to_string(out.join(f))
            .unwrap()
            .replace("\r\n ", "")
    };
    let v1 = read("v/v1/calendar.ics");
    assert!(
        v1.contains("https://plans.example/team/v/v1/plans/alpha/index.html"),
        "{v1}"
    );
    let latest = read("calendar.ics");
    assert!(latest.contains("https://plans.example/team/plans/alpha/index.html"));
    assert!(!latest.contains("/v/v1/"));
    assert!(read("v/v2/changelog.xml").contains("https://plans.example/team/v/v2/"));
    assert_eq!(
        canonical(&out, "v/v1/plans/alpha/index.html"),
        "https://plans.example/team/v/v1/plans/alpha/"
    );
}

/// A tag whose theme no longer renders is left out with a note; the other
/// versions and the switcher do not mention it.
#[test]
fn a_tag_whose_theme_fails_to_render_is_skipped() {
    let repo = Repo::new();
    let dir = repo.path();
    git(dir, "2027-01-05", &["init", "-q"]);
    repo.file("content/alpha.md", &alpha());
    repo.file(
        "themes/default/templates/plan.html",
        "{% extends \"base.html\" %}{% block content %}{{ plan.no_such.key }}{% endblock content %}",
    );
    commit(dir, "2027-01-05", "A theme of our own");
    git(dir, "2027-01-05", &["tag", "v1"]);
    git(dir, "2027-01-06", &["rm", "-rq", "themes"]);
    commit(dir, "2027-01-06", "Back to the default theme");
    git(dir, "2027-01-06", &["tag", "v2"]);
    let (_tmp, out, r) = build_versions(&repo);
    assert!(
        r.stderr.contains("v1 skipped: its pages do not render"),
        "{}",
        r.stderr
    );
    assert!(!out.join("v/v1").exists());
    assert!(out.join("v/v2/plans/alpha/index.html").is_file());
    let switcher = texts(
        &page(&out, "plans/alpha/index.html"),
        ".version-switcher li",
    );
    assert_eq!(switcher.len(), 2, "{switcher:?}");
    check_links(&out);
}

/// The plan repository may be a sub-directory of the git work tree, and
/// tags may have slashes: paths and relative links follow.
#[test]
fn a_root_below_the_work_tree_and_tags_with_slashes() {
    let repo = Repo::empty();
    let top = repo.path();
    git(top, "2027-01-05", &["init", "-q"]);
    repo.file("README.md", "the team's repository\n");
    repo.file(
        "plans/book.toml",
        &format!("{BOOK_TOML}[versions]\ntags = \"release/*\"\n"),
    );
    repo.file("plans/content/alpha.md", &alpha());
    commit(top, "2027-01-05", "Plans in a sub-directory");
    git(top, "2027-01-05", &["tag", "release/m1"]);
    repo.file(
        "plans/content/alpha.md",
        &alpha().replace(
            "    due: 2027-02-28\n    target: 3.0",
            "    due: 2027-02-28\n    target: 3.3",
        ),
    );
    commit(top, "2027-01-20", "Raise m2's target");
    let root = top.join("plans");
    let (_tmp, out, r) = build_versions_at(&root, &[]);
    assert!(!r.stderr.contains("skipped"), "{}", r.stderr);
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("versions.json")).unwrap()).unwrap();
    assert_eq!(v[0]["path"], "v/release/m1/");
    assert!(out.join("v/release/m1/plans/alpha/index.html").is_file());
    check_links(&out);
    let history = texts(
        &page(&out, "plans/alpha/index.html"),
        "section.history .history-subject",
    );
    assert_eq!(history, ["Raise m2's target", "Plans in a sub-directory"]);
    let diff = run_in(&root, &root, &["diff", "release/m1"]);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    assert!(diff.stdout.contains("m2 target 3 → 3.3"), "{}", diff.stdout);
}

/// The version bar is the theme's `version_nav.html`: a repository can
/// replace it, and every version's pages show the working tree's bar.
#[test]
fn the_version_bar_is_a_theme_template() {
    let repo = history_repo();
    repo.file(
        "themes/default/templates/version_nav.html",
        "<nav class=\"my-bar\">{{ nav.name }}{% for e in nav.entries %} <a href=\"{{ e.href }}\">{{ e.text }}</a>{% endfor %}</nav>\n",
    );
    let (_tmp, out, _) = build_versions(&repo);
    for rel in [
        "plans/alpha/index.html",
        "v/v1/plans/alpha/index.html",
        "v/v1/index.html",
    ] {
        let doc = page(&out, rel);
        assert!(doc.select(&sel("nav.my-bar")).next().is_some(), "{rel}");
        assert!(
            doc.select(&sel("details.version-switcher"))
                .next()
                .is_none(),
            "{rel}"
        );
    }
    assert!(check_links(&out) > 10);
    // A bar that does not render fails the build, naming the template.
    repo.file(
        "themes/default/templates/version_nav.html",
        "{{ nav.no_such_key.deeper }}",
    );
    let r = repo.run(&["build", "--versions", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("version_nav.html"), "{}", r.stderr);
}
