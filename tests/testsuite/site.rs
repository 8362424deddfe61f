//! `planbook build`: every path and hook of docs/format.md, checked by parsing the
//! output (HTML, Atom, JSON, iCalendar), links, determinism and escaping.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use scraper::Html;

use crate::support::*;

const DEMO_TODAY: &str = "2026-11-28";

fn demo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the demo content into a fresh directory.
fn build_demo(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let root = demo_root();
    let out_s = out.to_str().unwrap().to_string();
    let mut args = vec!["build", "--out", out_s.as_str()];
    args.extend_from_slice(extra);
    let r = run_at(&root, &root, DEMO_TODAY, &args);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    (tmp, out)
}

#[test]
fn every_spec_path_is_written() {
    let (_tmp, out) = build_demo(&[]);
    for p in [
        "index.html",
        "plans/favorites-reco/index.html",
        "plans/churn-alerts/index.html",
        "plans/top-page-pv/index.html",
        "changelog/index.html",
        "changelog.xml",
        "lint/index.html",
        "plans.json",
        "calendar.ics",
        "static/style.css",
    ] {
        assert!(out.join(p).is_file(), "{p} missing");
    }
}

#[test]
fn plan_page_has_every_hook_with_the_plans_numbers() {
    let (_tmp, out) = build_demo(&[]);
    let doc = page(&out, "plans/favorites-reco/index.html");
    // One matrix row per milestone, one column per role in [roles] order.
    let rows = doc.select(&sel("table.matrix tbody tr")).count();
    assert_eq!(rows, 3);
    let head = texts(&doc, "table.matrix thead th");
    assert_eq!(
        head[1..],
        ["プロダクトマネージャー", "開発者", "データサイエンティスト"]
    );
    let first_row = texts(&doc, "table.matrix tbody tr:first-child th");
    assert!(first_row[0].contains("売上 Top10 を推薦") && first_row[0].contains("2.5%"));
    let pm_cell = texts(&doc, "table.matrix tbody tr:first-child td[data-role=pm]");
    assert!(
        pm_cell[0].contains("推薦枠のデザインを決める"),
        "{pm_cell:?}"
    );
    assert!(pm_cell[0].contains("デザインがレビューで承認されている"));
    // The KPI chart has a title, and its numbers are in the data table.
    assert_eq!(doc.select(&sel("svg.kpi-chart > title")).count(), 1);
    assert_eq!(doc.select(&sel("svg.kpi-chart > desc")).count(), 1);
    assert_eq!(
        doc.select(&sel("svg.kpi-chart circle.measurement")).count(),
        7
    );
    assert_eq!(doc.select(&sel("svg.kpi-chart .target")).count(), 3);
    assert_eq!(doc.select(&sel("svg.kpi-chart line.today")).count(), 1);
    let table = texts(&doc, "table.kpi-data tbody").join(" ");
    for v in [
        "2%", "2.2%", "2.7%", "2.8%", "2.9%", "3%", "2.5%", "3.2%", "4%",
    ] {
        assert!(table.contains(v), "{v} not in the KPI table: {table}");
    }
    assert!(doc.select(&sel("svg.timeline")).count() == 1);
    // Ten tasks, one of them dropped (drawn grey, still on the timeline).
    assert_eq!(doc.select(&sel("svg.timeline circle.task")).count(), 10);
    for s in [
        "section.meetings",
        "section.ice",
        "section.changelog",
        "section.findings",
    ] {
        assert_eq!(doc.select(&sel(s)).count(), 1, "{s}");
    }
    let meetings = texts(&doc, "section.meetings").join(" ");
    assert!(
        meetings.contains("CTO") && meetings.contains("火曜") && meetings.contains("10:00-10:30")
    );
    let changelog = texts(&doc, "section.changelog").join(" ");
    assert!(changelog.contains("推薦枠を置くだけで登録率は 0.7pt 上がった"));
    // The markdown body, with its table and task list.
    let body = texts(&doc, "section.body").join(" ");
    assert!(body.contains("自分の好みに合う商品"));
    assert_eq!(doc.select(&sel("section.body table")).count(), 1);
    assert_eq!(
        doc.select(&sel("section.body input[type=checkbox]"))
            .count(),
        3
    );
}

#[test]
fn ice_scores_rank_the_home_page_and_match_plans_json() {
    let (_tmp, out) = build_demo(&[]);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plans.json")).unwrap()).unwrap();
    let plans = v["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 3);
    let mut scores = BTreeMap::new();
    for p in plans {
        let ice = &p["ice"];
        let expected = ice["impact"].as_f64().unwrap()
            * ice["confidence"].as_f64().unwrap()
            * ice["ease"].as_f64().unwrap();
        let score = ice["score"].as_f64().unwrap();
        assert!((score - expected).abs() < 1e-9, "{p}");
        assert!(p["file"].as_str().unwrap().starts_with("content/"));
        assert!(p["progress"].get("latest").is_some());
        assert!(p["progress"].get("next_target").is_some());
        assert!(p["progress"].get("next_milestone").is_some());
        scores.insert(p["id"].as_str().unwrap().to_string(), score);
    }
    assert_eq!(plans[1]["progress"]["next_milestone"], "m2");
    let doc = page(&out, "index.html");
    let titles = texts(&doc, ".plan-card h2");
    assert_eq!(
        titles,
        [
            "推薦によるお気に入り登録率の向上",
            "Cut early cancellations with churn-risk outreach",
            "トップページの回遊改善"
        ],
        "ranked by ICE score: {scores:?}"
    );
    let card = texts(&doc, ".plan-card").join(" ");
    assert!(card.contains("35") && card.contains("48"));
    // The plan page shows the same score.
    let plan = page(&out, "plans/favorites-reco/index.html");
    assert!(texts(&plan, "section.ice .score").join("").contains("48"));
}

#[test]
fn atom_feed_has_one_entry_per_update_and_calendar_is_valid() {
    let (_tmp, out) = build_demo(&["--base-url", "https://plans.example/ml"]);
    let xml = std::fs::read(out.join("changelog.xml")).unwrap();
    let feed = atom_syndication::Feed::read_from(&xml[..]).expect("valid Atom");
    assert_eq!(feed.entries().len(), 2);
    assert!(feed.entries().iter().all(|e| {
        e.links()[0]
            .href()
            .starts_with("https://plans.example/ml/plans/")
    }));
    let changelog = page(&out, "changelog/index.html");
    assert_eq!(changelog.select(&sel("article.update")).count(), 2);
    let canonical = page(&out, "index.html");
    let href = canonical
        .select(&sel("link[rel=canonical]"))
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(href, "https://plans.example/ml/");

    let ics = std::fs::read_to_string(out.join("calendar.ics")).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "unfolded line: {line}");
    }
    let cal: icalendar::Calendar = ics.parse().expect("parses as iCalendar");
    let events = cal.components.len();
    // favorites-reco: 3 due + 3 reviews + 9 tasks (a tenth is dropped: not
    // on the calendar) + kickoff + 3 exec + progress = 20;
    // churn-alerts: 2 + 2 + 6 + 1 + 2 + 1 = 14; top-page-pv: 2 + 1 + 5 + 1 + 1 + 1 = 11.
    assert_eq!(events, 45);
    assert_eq!(ics.matches("RRULE:FREQ=WEEKLY;BYDAY=TU").count(), 1);
    assert_eq!(ics.matches("RRULE:FREQ=WEEKLY;BYDAY=TH").count(), 1);
    assert_eq!(ics.matches("RRULE:FREQ=MONTHLY;BYDAY=1FR").count(), 1);
}

/// Every relative link and resource in every page resolves to a file, and
/// every `#fragment` to an id in it.
#[test]
fn every_internal_link_resolves() {
    let (_tmp, out) = build_demo(&[]);
    let checked = check_links(&out);
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn two_builds_are_byte_identical() {
    let (_a, out_a) = build_demo(&[]);
    let (_b, out_b) = build_demo(&[]);
    assert_eq!(all_files(&out_a), all_files(&out_b));
}

#[test]
fn hostile_content_is_escaped() {
    let repo = Repo::new();
    let plan = base_plan()
        .replace(
            "title: 推薦によるお気に入り登録率の向上",
            "title: \"<script>alert('t')</script>{{ 7*7 }}\"",
        )
        .replace("  pm: 佐藤 花子", "  pm: \"<img src=x onerror=alert(1)>\"")
        .replace(
            "answered: 推薦枠だけで登録率は 0.7pt 上がった",
            "answered: \"</p><script>alert(2)</script>\"",
        )
        .replace(
            "    story: 顧客は目に入った商品をお気に入りに登録する",
            "    story: \"<script>alert(3)</script> [x](javascript:alert(4))\"",
        )
        .replace(
            "顧客はトップページで好みの商品に出会う。",
            "<script>alert(5)</script>\n\n<div onclick=\"alert(6)\">x</div>\n\n[link](javascript:alert(7)) [d](data:text/html;base64,PHNjcmlwdD4=) {{ 7*7 }} {% raw %}",
        );
    repo.file("content/base-plan.md", &plan);
    let r = repo.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = repo.path().join("public");
    for (rel, bytes) in all_files(&out) {
        let text = String::from_utf8_lossy(&bytes).to_string();
        if rel.ends_with(".html") {
            let doc = Html::parse_document(&text);
            assert_only_planbooks_scripts(&doc, &rel);
            for el in doc.select(&sel("*")) {
                for (name, value) in el.value().attrs() {
                    assert!(!name.starts_with("on"), "{rel}: event handler {name}");
                    let v = value.to_ascii_lowercase();
                    assert!(
                        !v.starts_with("javascript:") && !v.starts_with("data:text"),
                        "{rel}: {name}={value}"
                    );
                }
            }
            assert!(
                !text.contains(">49<") && !text.contains(" 49 "),
                "{rel}: template syntax evaluated"
            );
        }
        if rel.ends_with(".xml") {
            assert!(!text.contains("<script"), "{rel}");
        }
    }
    let plan_page = std::fs::read_to_string(out.join("plans/base-plan/index.html")).unwrap();
    assert!(
        plan_page.contains("{{ 7*7 }}"),
        "template syntax shown as text"
    );
    assert!(plan_page.contains("&lt;script&gt;"));
}

#[test]
fn lint_errors_write_nothing_and_keep_the_old_site() {
    let repo = Repo::new();
    repo.file("content/base-plan.md", &base_plan());
    assert_eq!(repo.run(&["build"]).code, 0);
    let index = repo.path().join("public/index.html");
    let before = std::fs::read(&index).unwrap();
    repo.file(
        "content/base-plan.md",
        &base_plan().replace("impact: 8", "impact: 11"),
    );
    let r = repo.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("ICE001"), "{}", r.stderr);
    assert_eq!(std::fs::read(&index).unwrap(), before);
    // A fresh repository with errors gets no output directory at all.
    let fresh = Repo::new();
    fresh.file(
        "content/base-plan.md",
        &base_plan().replace("impact: 8", "impact: 11"),
    );
    assert_eq!(fresh.run(&["build"]).code, 1);
    assert!(!fresh.path().join("public").exists());
    // No temporary directories are left behind (the search cache stays).
    let leftovers: Vec<_> = std::fs::read_dir(repo.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("planbook-") && name != ".planbook-cache")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A build stops rendering at the first plan with an error but still
/// reports every finding of every plan, as `lint` does.
#[test]
fn a_failing_build_reports_what_lint_reports() {
    let repo = Repo::new();
    for (name, edit) in [
        ("a", ("impact: 8", "impact: 11")),
        ("b", ("cost_days: 10", "cost_days: 25")),
        ("c", ("impact: 8", "impact: 12")),
    ] {
        repo.file(
            &format!("content/{name}.md"),
            &base_plan()
                .replace(edit.0, edit.1)
                .replace("base-plan", name),
        );
    }
    let lint = repo.run(&["lint"]);
    let build = repo.run(&["build"]);
    assert_eq!((lint.code, build.code), (1, 1));
    assert!(build.stderr.contains(&lint.stdout), "{}", build.stderr);
    for file in ["content/a.md", "content/b.md", "content/c.md"] {
        assert!(build.stderr.contains(file), "{file}: {}", build.stderr);
    }
    assert!(!repo.path().join("public").exists());
}

#[test]
fn output_overlapping_the_repository_is_refused() {
    let repo = Repo::new();
    repo.file("content/base-plan.md", &base_plan());
    for out in [".", "content", "content/site"] {
        let r = run_in(repo.path(), repo.path(), &["build", "--out", out]);
        assert_eq!(r.code, 2, "--out {out}: {}", r.stderr);
        assert!(r.stderr.contains("refusing"), "{}", r.stderr);
    }
    assert!(repo.path().join("content/base-plan.md").is_file());
}

#[test]
fn english_site_and_theme_overrides() {
    let repo = Repo::new();
    repo.file("content/base-plan.md", &base_plan());
    repo.file("themes/default/static/style.css", "body { color: red }\n");
    repo.file(
        "themes/default/templates/index.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ plans | length }}</p>{% endblock content %}",
    );
    assert_eq!(repo.run(&["build"]).code, 0);
    let out = repo.path().join("public");
    assert_eq!(
        std::fs::read_to_string(out.join("static/style.css")).unwrap(),
        "body { color: red }\n"
    );
    let doc = page(&out, "index.html");
    assert_eq!(texts(&doc, "p.custom"), ["1"]);
    assert_eq!(
        doc.select(&sel("html"))
            .next()
            .unwrap()
            .value()
            .attr("lang"),
        Some("en")
    );
    let plan = page(&out, "plans/base-plan/index.html");
    assert!(texts(&plan, "section.meetings h2")[0].contains("Meetings"));
}

/// The feed entries come from the theme's `feed_entry.html`: the default
/// writes the answer and the verdicts; an override replaces them.
#[test]
fn feed_entries_come_from_the_theme() {
    let repo = Repo::new();
    repo.file("content/base-plan.md", &base_plan());
    assert_eq!(repo.run(&["build"]).code, 0);
    let feed = std::fs::read_to_string(repo.path().join("public/changelog.xml")).unwrap();
    let content = |feed: &str| -> String {
        let i = feed
            .find("<content type=\"html\">")
            .expect("an entry with content");
        let rest = &feed[i..];
        rest[..rest.find("</content>").unwrap()].to_string()
    };
    let default = content(&feed);
    assert!(
        default.starts_with(
            "<content type=\"html\">&lt;p&gt;&lt;strong&gt;What the data answered&lt;/strong&gt;: "
        ),
        "{default}"
    );
    repo.file(
        "themes/default/templates/feed_entry.html",
        "<p class=\"mine\">{{ answers | length }} answers</p>",
    );
    assert_eq!(repo.run(&["build"]).code, 0);
    let feed = std::fs::read_to_string(repo.path().join("public/changelog.xml")).unwrap();
    let custom = content(&feed);
    assert!(
        custom.contains("&lt;p class=&quot;mine&quot;&gt;"),
        "{custom}"
    );
    assert!(custom.contains(" answers&lt;/p&gt;"), "{custom}");
    assert!(!custom.contains("What the data answered"), "{custom}");
}

/// Pages carry no script but planbook's own files (`static/search.js`,
/// and Pagefind's UI on the search page), by `src` and with no inline code.
pub fn assert_only_planbooks_scripts(doc: &Html, rel: &str) {
    for script in doc.select(&sel("script")) {
        let src = script.value().attr("src").unwrap_or("");
        assert!(
            src.ends_with("static/search.js") || src.ends_with("pagefind/pagefind-ui.js"),
            "{rel} has a script: {}",
            script.html()
        );
        assert_eq!(
            script.text().collect::<String>().trim(),
            "",
            "{rel}: inline script"
        );
    }
}

/// Headless Chromium opens the demo from disk: no console errors, and
/// screenshots at desktop and phone widths (in target/screenshots/).
#[test]
fn pages_render_in_a_browser() {
    let Some(chromium) = chromium() else {
        eprintln!("skipping: no chromium on this machine");
        return;
    };
    let (_tmp, out) = build_demo(&[]);
    let shots = demo_root().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (page, name) in [
        ("index.html", "home"),
        ("plans/favorites-reco/index.html", "plan"),
        ("check/index.html", "check"),
        ("plans/favorites-reco/report/index.html", "report"),
    ] {
        for (w, h, label) in [(1280, 2400, "desktop"), (390, 3200, "phone")] {
            let file = shots.join(format!("{name}-{label}.png"));
            let _ = std::fs::remove_file(&file);
            let profile = tempfile::tempdir().unwrap();
            let r = headless(chromium, profile.path())
                .args(["--hide-scrollbars", "--enable-logging=stderr", "--v=0"])
                .arg(format!("--window-size={w},{h}"))
                .arg(format!("--screenshot={}", file.display()))
                .arg(format!("file://{}", out.join(page).display()))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&r.stderr);
            let console: Vec<&str> = stderr
                .lines()
                .filter(|l| {
                    l.contains(":CONSOLE")
                        || l.contains("Uncaught")
                        || l.contains("Failed to load resource")
                })
                .collect();
            assert!(console.is_empty(), "{page} at {label}: {console:?}");
            let png = std::fs::read(&file).unwrap_or_default();
            assert!(
                png.starts_with(b"\x89PNG") && png.len() > 10_000,
                "{page} at {label}: no screenshot"
            );
        }
    }
}

/// The executive report is handed out on paper: each demo plan's report
/// page prints on one A4/Letter page (Chromium's print to PDF, pages
/// counted in the PDF).
#[test]
fn report_pages_print_on_one_page() {
    let Some(chromium) = chromium() else {
        eprintln!("skipping: no chromium on this machine");
        return;
    };
    let (_tmp, out) = build_demo(&[]);
    for plan in ["favorites-reco", "churn-alerts", "top-page-pv"] {
        let pdf = out.join(format!("{plan}.pdf"));
        let profile = tempfile::tempdir().unwrap();
        let r = headless(chromium, profile.path())
            .arg("--no-pdf-header-footer")
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!(
                "file://{}",
                out.join(format!("plans/{plan}/report/index.html"))
                    .display()
            ))
            .output()
            .unwrap();
        let bytes = std::fs::read(&pdf).unwrap_or_else(|e| {
            panic!(
                "{plan}: no PDF ({e}): {}",
                String::from_utf8_lossy(&r.stderr)
            )
        });
        // Page objects: `/Type /Page`, not the `/Type /Pages` tree.
        let text = String::from_utf8_lossy(&bytes);
        let pages = text
            .match_indices("/Type /Page")
            .filter(|(i, m)| !text[i + m.len()..].starts_with('s'))
            .count();
        assert_eq!(pages, 1, "{plan}: the report prints on {pages} pages");
    }
}

/// Headless Chromium with a profile of its own and nothing that reaches
/// the network.
fn headless(chromium: &str, profile: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

/// The chromium binary, if this machine has one (CI must: `.ci/run`
/// installs it).
fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok()
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium (.ci/run installs it)"
        );
    }
    found
}

/// axe-core, the accessibility engine Lighthouse runs, injected into the
/// demo's pages in headless Chromium: zero violations on the home page,
/// plan pages, the check page, report pages, the changelog, the lint
/// page and the search page (as opened from `file://`, without results).
/// `.ci/run` installs axe-core from npm into `target/axe` (`PLANBOOK_AXE`
/// may name another `axe.min.js`).
#[test]
fn pages_have_no_accessibility_violations() {
    let axe = std::env::var_os("PLANBOOK_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| demo_root().join("target/axe/node_modules/axe-core/axe.min.js"));
    let (Some(chromium), true) = (chromium(), axe.is_file()) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium and axe-core (.ci/run installs them)"
        );
        eprintln!("skipping: no chromium or no axe-core ({})", axe.display());
        return;
    };
    let (_tmp, out) = build_demo(&[]);
    std::fs::copy(&axe, out.join("axe.min.js")).unwrap();
    let pages = [
        "index.html",
        "plans/favorites-reco/index.html",
        "plans/churn-alerts/index.html",
        "plans/top-page-pv/index.html",
        "check/index.html",
        "plans/favorites-reco/report/index.html",
        "changelog/index.html",
        "lint/index.html",
        "search/index.html",
    ];
    for page in pages {
        let path = out.join(page);
        let html = std::fs::read_to_string(&path).unwrap();
        let up = "../".repeat(page.matches('/').count());
        let run = format!(
            "<script src=\"{up}axe.min.js\"></script><script>\
             axe.run(document, {{resultTypes: ['violations']}}).then(function (r) {{\
             var p = document.createElement('pre'); p.id = 'axe-out';\
             p.textContent = JSON.stringify(r.violations.map(function (v) {{\
             return {{id: v.id, impact: v.impact, nodes: v.nodes.map(function (n) {{ return n.target.join(' '); }})}}; }}));\
             document.body.appendChild(p); }});</script></body>"
        );
        std::fs::write(&path, html.replacen("</body>", &run, 1)).unwrap();
        let profile = tempfile::tempdir().unwrap();
        let r = headless(chromium, profile.path())
            .args(["--virtual-time-budget=15000", "--dump-dom"])
            .arg(format!("file://{}", path.display()))
            .output()
            .unwrap();
        let dom = scraper::Html::parse_document(&String::from_utf8_lossy(&r.stdout));
        let result = texts(&dom, "pre#axe-out");
        assert_eq!(result.len(), 1, "{page}: axe did not run");
        assert_eq!(result[0], "[]", "{page}: axe violations");
    }
}

/// Builds `root` at `today` into `out` with `RAYON_NUM_THREADS` set to
/// `threads` (unset: all cores) and returns every file.
fn build_with_threads(
    root: &Path,
    today: &str,
    threads: Option<&str>,
    out: &Path,
) -> BTreeMap<String, Vec<u8>> {
    let mut cmd = std::process::Command::new(bin());
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n);
    }
    let status = cmd
        .arg("--root")
        .arg(root)
        .args(["--today", today, "-q", "build", "--out"])
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success());
    all_files(out)
}

#[test]
fn parallel_and_single_threaded_builds_are_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let one = build_with_threads(&demo_root(), DEMO_TODAY, Some("1"), &tmp.path().join("a"));
    let all = build_with_threads(&demo_root(), DEMO_TODAY, None, &tmp.path().join("b"));
    assert_eq!(one, all);
}

/// The same on a generated corpus large enough for every parallel step to
/// split its work (the calendar is made 256 plans at a time).
#[test]
fn parallel_and_single_threaded_corpus_builds_are_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("corpus");
    crate::corpus::write(&root, 300).unwrap();
    let build = |threads: Option<&str>, name: &str| {
        build_with_threads(
            &root,
            crate::corpus::CORPUS_TODAY,
            threads,
            &tmp.path().join(name),
        )
    };
    let one = build(Some("1"), "one");
    // Two pages per plan and the shared files, besides the search bundle.
    assert!(one.keys().any(|k| k.starts_with("pagefind/")));
    assert_eq!(
        one.keys().filter(|k| !k.starts_with("pagefind/")).count(),
        2 * 300 + 10,
        "{:?}",
        one.keys().take(10).collect::<Vec<_>>()
    );
    assert_eq!(one, build(Some("4"), "four"));
    assert_eq!(one, build(None, "default"));
}

/// Copies the files under `from` into `to`.
fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// `build` reads each plan once and keeps only a cut-down plan for the
/// shared pages; `serve` and `--versions` render from whole plans held in
/// memory. Both give the same bytes for every page and shared file.
fn assert_build_matches_whole_plans(root: &Path, today: &str) {
    let out = root.join("site-out");
    let built = build_with_threads(root, today, None, &out);
    let today = planbook::frontmatter::parse_date(today).unwrap();
    let run = planbook::pipeline::Run::open(root, today).unwrap();
    let planbook::pipeline::Checked { plans, diags } = run.checked(planbook::load::Detail::Full);
    let repo = run.repo;
    let opts = planbook::site::BuildOptions {
        out: out.clone(),
        base_url: planbook::site::normalize_base_url(&repo.config.site.base_url),
        today,
        build_date: None,
        versioned: false,
        search: repo.config.search.enabled,
    };
    let r = planbook::site::Renderer::new(root, &repo.config, &opts).unwrap();
    let shared = r
        .shared_files(&plans, repo.index_page.as_deref(), &diags, &opts.base_url)
        .unwrap();
    let pages = planbook::pipeline::pages::publishable_with_findings(&plans, &diags);
    use planbook::pipeline::pages::PlanPage;
    for (p, d) in &pages {
        for kind in PlanPage::ALL {
            let page = r.page_of(kind, &p.plan, d, None).unwrap();
            let path = kind.path(&p.plan.id);
            assert!(built.get(&path) == Some(&page), "{path} differs");
        }
    }
    for (path, bytes) in &shared {
        assert!(built.get(path) == Some(bytes), "{path} differs");
    }
    // Besides those: the search bundle, which only `build` writes.
    let bundle = built.keys().filter(|k| k.starts_with("pagefind/")).count();
    assert_eq!(repo.config.search.enabled, bundle > 0);
    assert_eq!(
        built.len(),
        shared.len() + PlanPage::ALL.len() * pages.len() + bundle
    );
}

#[test]
fn the_streamed_build_matches_rendering_from_whole_plans() {
    // The demo (every feature), outside git so that no page has a history.
    let tmp = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("demo");
    std::fs::create_dir_all(&demo).unwrap();
    std::fs::copy(demo_root().join("book.toml"), demo.join("book.toml")).unwrap();
    copy_tree(&demo_root().join("content"), &demo.join("content"));
    assert_build_matches_whole_plans(&demo, DEMO_TODAY);

    // A corpus where two plans share an id (PLN002 made a warning so that
    // it builds): the first one's page is rendered again with the finding.
    let corpus = tmp.path().join("corpus");
    crate::corpus::write(&corpus, 300).unwrap();
    let toml = std::fs::read_to_string(corpus.join("book.toml")).unwrap();
    std::fs::write(
        corpus.join("book.toml"),
        format!("{toml}\n[lint.rules]\nPLN002 = \"warning\"\n"),
    )
    .unwrap();
    let first = corpus.join("content/team-000/plan-00000.md");
    std::fs::copy(&first, corpus.join("content/team-000/zz-same-id.md")).unwrap();
    let page = |root: &Path| {
        let built = all_files(&root.join("site-out"));
        let id = std::fs::read_to_string(&first).unwrap();
        let id = id
            .lines()
            .find_map(|l| l.strip_prefix("id: "))
            .unwrap()
            .trim()
            .to_string();
        String::from_utf8(built[&format!("plans/{id}/index.html")].clone()).unwrap()
    };
    assert_build_matches_whole_plans(&corpus, crate::corpus::CORPUS_TODAY);
    assert!(page(&corpus).contains("PLN002"));
}

/// The question ledger on the plan page, the changelog, the feed and
/// `plans.json`: each answer with its question and verdict.
#[test]
fn answers_show_their_question_and_verdict_everywhere() {
    let (_tmp, out) = build_demo(&[]);
    let plan = page(&out, "plans/favorites-reco/index.html");
    let answers = |doc: &Html, verdict: &str| {
        texts(
            doc,
            &format!("section.changelog li.answer[data-verdict={verdict}]"),
        )
    };
    let supported = answers(&plan, "supported");
    assert_eq!(supported.len(), 1, "{supported:?}");
    assert!(
        supported[0].contains("支持された")
            && supported[0].contains("Q1 推薦枠を置くだけでお気に入り登録は増えるか")
            && supported[0].contains("2.0% から 2.7%")
            && supported[0].contains("2 週間・1.2 万表示"),
        "{supported:?}"
    );
    let refuted = answers(&plan, "refuted");
    assert!(
        refuted.len() == 1
            && refuted[0].contains("反証された")
            && refuted[0].contains("Q2 売上 Top10 の推薦で新規顧客の登録率も上がるか"),
        "{refuted:?}"
    );
    // The milestone's questions list shows the text, not the mapping.
    let questions = texts(&plan, ".ms-detail li").join("\n");
    assert!(
        questions.contains("売上 Top10 の推薦で新規顧客の登録率も上がるか")
            && !questions.contains("top10-new"),
        "{questions}"
    );

    let changelog = page(&out, "changelog/index.html");
    let refuted = texts(&changelog, "article.update li.answer[data-verdict=refuted]");
    assert_eq!(
        refuted.len(),
        2,
        "favorites-reco and top-page-pv: {refuted:?}"
    );

    let xml = std::fs::read(out.join("changelog.xml")).unwrap();
    let feed = atom_syndication::Feed::read_from(&xml[..]).unwrap();
    let entry = feed
        .entries()
        .iter()
        .find(|e| e.id().contains("favorites-reco"))
        .unwrap();
    let html = entry.content().unwrap().value().unwrap();
    assert!(
        html.contains("<strong>反証された</strong> 売上 Top10 の推薦で新規顧客の登録率も上がるか: 新規顧客の登録率は 2.0% のまま"),
        "{html}"
    );

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("plans.json")).unwrap()).unwrap();
    let p = json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "favorites-reco")
        .unwrap();
    assert_eq!(p["milestones"][0]["questions"][1]["id"], "top10-new");
    assert_eq!(p["updates"][0]["answers"][0]["question"], 1);
    assert_eq!(p["updates"][0]["answers"][1]["question"], "top10-new");
    assert_eq!(p["updates"][0]["answers"][1]["verdict"], "refuted");
}

/// A canonical link must be absolute: with the default base URL `/` pages
/// have none; a custom kind of evidence shows as written, not as a label key.
#[test]
fn no_relative_canonical_links_and_custom_evidence_reads_as_written() {
    let (_tmp, out) = build_demo(&[]);
    for p in [
        "index.html",
        "plans/favorites-reco/index.html",
        "changelog/index.html",
    ] {
        let doc = page(&out, p);
        assert!(
            doc.select(&sel("link[rel=canonical]")).next().is_none(),
            "{p}"
        );
    }
    let repo = Repo::new();
    repo.file(
        "book.toml",
        &format!("{BOOK_TOML}[lint.confidence_caps]\ncustomer_interviews = 2.0\n"),
    );
    repo.file(
        "content/base-plan.md",
        &base_plan().replace("evidence: estimates", "evidence: customer_interviews"),
    );
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let r = repo.run(&["build", "--out", site.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = page(&site, "plans/base-plan/index.html");
    let ice = texts(&doc, "section.ice").join(" ");
    assert!(
        ice.contains("customer interviews") && !ice.contains("evidence_"),
        "{ice}"
    );
}

/// A value the plan leaves out reads as "—", not as a blank: the task's
/// deadline and done-state, and the milestone's target (a draft, which may
/// leave them out).
#[test]
fn missing_values_read_as_a_dash() {
    let repo = Repo::new();
    let plan = base_plan()
        .replacen("status: active", "status: draft", 1)
        .replacen(
            "        done_when: デザインがレビューで承認されている\n",
            "",
            1,
        )
        .replacen("        due: 2026-12-15\n", "", 1)
        .replacen("    target: 2.5\n", "", 1);
    repo.file("content/base-plan.md", &plan);
    let r = repo.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = page(&repo.path().join("public"), "plans/base-plan/index.html");
    let first = |s: &str| texts(&doc, s).into_iter().next().unwrap_or_default();
    let done_when = first("table.matrix tbody tr td .task-done-when");
    assert!(done_when.ends_with(": —"), "{done_when:?}");
    let meta = first("table.matrix tbody tr td .task-meta");
    assert!(meta.contains(" — ·"), "{meta:?}");
    let target = texts(&doc, "table.matrix tbody tr .ms-facts dd");
    assert!(target.iter().any(|t| t == "—"), "{target:?}");
}
