//! Broken and hostile input: always a PLN001 naming the file, never a panic.

use crate::support::*;

fn pln001_at(repo: &Repo, file: &str) -> Vec<(String, u64, u64)> {
    let r = repo.run(&["lint", "--format", "json"]);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let found: Vec<_> = diagnostics(&v)
        .into_iter()
        .filter(|d| d["file"] == file && d["rule"] == "PLN001")
        .map(|d| {
            (
                d["message"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(!found.is_empty(), "no PLN001 for {file}: {}", r.stdout);
    found
}

#[test]
fn broken_files_give_pln001_with_a_position() {
    let cases: Vec<(&str, Vec<u8>, u64)> = vec![
        ("empty", Vec::new(), 1),
        ("no-frontmatter", b"# just markdown\n".to_vec(), 1),
        (
            "unclosed",
            b"---\ntitle: x\nstart: 2026-12-01\n".to_vec(),
            1,
        ),
        ("empty-frontmatter", b"---\n---\nbody\n".to_vec(), 2),
        (
            "malformed",
            b"---\ntitle: x\nteam: [a, b\nstart: 2026-12-01\n---\n".to_vec(),
            4,
        ),
        ("not-a-mapping", b"---\n- a\n- b\n---\n".to_vec(), 1),
        ("non-utf8", b"---\ntitle: \xff\xfe\n---\n".to_vec(), 2),
        (
            "bad-date",
            base_plan()
                .replace("start: 2026-12-01", "start: 2027-02-30")
                .into_bytes(),
            5,
        ),
        (
            "duplicate-key",
            base_plan()
                .replace("status: active\n", "status: active\nstatus: draft\n")
                .into_bytes(),
            5,
        ),
        (
            "unknown-key",
            base_plan().replace("use_case:", "usecase:").into_bytes(),
            6,
        ),
        (
            "wrong-type",
            base_plan()
                .replace("  baseline: 2.0", "  baseline: high")
                .into_bytes(),
            20,
        ),
    ];
    for (name, bytes, line) in cases {
        let repo = Repo::new();
        let file = format!("content/{name}.md");
        repo.bytes(&file, &bytes);
        let found = pln001_at(&repo, &file);
        assert!(
            found.iter().any(|f| f.1 == line),
            "{name}: expected a PLN001 on line {line}, found {found:?}"
        );
    }
}

#[test]
fn missing_required_keys_point_at_line_1_and_suggest_keys() {
    let repo = Repo::new();
    repo.file(
        "content/a.md",
        &base_plan()
            .replace("title: 推薦", "titel: 推薦")
            .replace("team:", "teem:"),
    );
    let found = pln001_at(&repo, "content/a.md");
    assert!(
        found.iter().any(|f| f.1 == 1 && f.0.contains("`title`")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|f| f.0.contains("did you mean `title`")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|f| f.0.contains("did you mean `team`")),
        "{found:?}"
    );
}

#[test]
fn alias_bombs_and_deep_nesting_are_bounded() {
    let mut bomb = String::from("---\ntitle: x\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..20 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    bomb.push_str("---\n");
    let deep = format!(
        "---\ntitle: {}{}\n---\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let repo = Repo::new();
    repo.file("content/bomb.md", &bomb);
    repo.file("content/deep.md", &deep);
    repo.file("content/base-plan.md", &base_plan());
    let start = std::time::Instant::now();
    pln001_at(&repo, "content/bomb.md");
    pln001_at(&repo, "content/deep.md");
    // Not a speed budget: a guard against unbounded expansion (minutes, not ms).
    assert!(start.elapsed().as_secs() < 30);
    // The good plan next to them is still checked and clean.
    assert!(repo.findings("content/base-plan.md").is_empty());
}

#[test]
fn bad_file_stems_need_an_id() {
    let repo = Repo::new();
    repo.file(
        "content/Bad Name.md",
        &base_plan().replace("id: base-plan\n", ""),
    );
    let found = pln001_at(&repo, "content/Bad Name.md");
    assert!(found.iter().any(|f| f.1 == 1), "{found:?}");
    // With a valid id key the stem does not matter.
    let repo = Repo::new();
    repo.file("content/Bad Name.md", &base_plan());
    assert!(repo.findings("content/Bad Name.md").is_empty());
}

#[test]
fn bom_crlf_drafts_and_index_are_handled() {
    let repo = Repo::new();
    let crlf = format!("\u{feff}{}", base_plan().replace('\n', "\r\n"));
    repo.file("content/base-plan.md", &crlf);
    repo.file("content/_draft.md", "not a plan");
    repo.file("content/index.md", "# Home\n");
    repo.file("content/.hidden/x.md", "not a plan");
    let (code, v) = repo.lint_json();
    assert_eq!(diagnostics(&v), Vec::<serde_json::Value>::new());
    assert_eq!(v["summary"]["plans"], 1);
    assert_eq!(code, 0);
    // Positions are still right with CRLF.
    let text = crlf.replacen("impact: 8", "impact: 11", 1);
    repo.file("content/base-plan.md", &text);
    let (line, col) = pos_of(&base_plan(), "impact: ", "8");
    assert_eq!(
        repo.findings("content/base-plan.md"),
        vec![("ICE001".into(), line, col)]
    );
}

#[test]
fn unreadable_frontmatter_reports_only_pln001() {
    let repo = Repo::new();
    repo.file(
        "content/a.md",
        &base_plan().replace(
            "title: 推薦によるお気に入り登録率の向上",
            "title: \"x\" trailing",
        ),
    );
    repo.file("content/b.md", "---\n- a list\n---\n");
    for f in ["content/a.md", "content/b.md"] {
        let rules: Vec<String> = repo.findings(f).into_iter().map(|f| f.0).collect();
        assert!(
            !rules.is_empty() && rules.iter().all(|r| r == "PLN001"),
            "{f}: {rules:?}"
        );
    }
}

/// A `content/index.md` that is not UTF-8 is left out of the home page
/// with a warning naming it, not dropped in silence.
#[test]
fn a_non_utf8_index_page_is_a_warning_naming_it() {
    let repo = Repo::new();
    repo.bytes(
        "content/index.md",
        b"# \x82\xb1\x82\xf1\x82\xc9\x82\xbf\x82\xcd\n",
    );
    let r = repo.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("index.md: not UTF-8 text (byte 3)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("save the file as UTF-8"), "{}", r.stderr);
    assert!(repo.path().join("public/index.html").is_file());

    // The same file in a tag: each version opens its tree one way, and
    // says so there too (it was read with U+FFFD in place of the bytes).
    crate::versions::git(repo.path(), "2027-02-01", &["init", "-q"]);
    crate::versions::git(repo.path(), "2027-02-01", &["add", "-A"]);
    crate::versions::git(repo.path(), "2027-02-01", &["commit", "-q", "-m", "plans"]);
    crate::versions::git(repo.path(), "2027-02-01", &["tag", "v1"]);
    let r = repo.run(&["build", "--versions"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("v1:content/index.md: not UTF-8 text (byte 3)"),
        "{}",
        r.stderr
    );
}

/// A git repository that is there but cannot be opened (here a corrupt
/// `.git/config`) is said to be broken, with gix's reason, instead of
/// being taken for "not a git repository".
#[test]
fn a_git_repository_that_cannot_be_opened_is_named() {
    let repo = Repo::new();
    crate::versions::git(repo.path(), "2027-02-01", &["init", "-q"]);
    crate::versions::git(repo.path(), "2027-02-01", &["add", "-A"]);
    crate::versions::git(repo.path(), "2027-02-01", &["commit", "-q", "-m", "plans"]);
    std::fs::write(repo.path().join(".git/config"), "[core\n\tbare = maybe\n").unwrap();
    let r = repo.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("the git repository cannot be opened"),
        "{}",
        r.stderr
    );
    let r = repo.run(&["report"]);
    assert!(
        r.stdout.contains("the git repository cannot be opened")
            || r.stderr.contains("the git repository cannot be opened"),
        "{}\n{}",
        r.stdout,
        r.stderr
    );
    assert!(!r.stdout.contains("not a git repository"), "{}", r.stdout);
    let r = repo.run(&["diff"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("the git repository cannot be opened"),
        "{}",
        r.stderr
    );
}
