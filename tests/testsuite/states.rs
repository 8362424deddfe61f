//! The plan's life: plan states, `planbook status`, `planbook report`
//! (json, markdown, html; tasks done from git history), the home page's
//! states and sparklines, the check page, the executive report page and
//! the question ledger on the plan page. One fixture git repository with a
//! dated history and one plan per state (both ways of being `behind`, both
//! ways of being `at-risk`), checked at TODAY (2027-02-15).

use serde_json::Value;

use crate::support::*;
use crate::versions::git;

/// The base plan as `id`, edited by `edits` (each `(from, to)` replaced
/// once, and asserted to be there).
fn plan(id: &str, edits: &[(&str, &str)]) -> String {
    let mut text = base_plan().replacen("id: base-plan", &format!("id: {id}"), 1);
    for (from, to) in edits {
        assert!(text.contains(from), "{id}: `{from}` not in the base plan");
        text = text.replacen(from, to, 1);
    }
    text
}

const MEASURED: (&str, &str) = (
    "  - { date: 2027-01-05, value: 2.4 }\n",
    "  - { date: 2027-01-05, value: 2.4 }\n  - { date: 2027-02-10, value: 2.8 }\n",
);

/// m1's question answered with a verdict (the ledger), instead of by
/// `answered` alone.
const SUPPORTED: (&str, &str) = (
    "    answered: 推薦枠だけで登録率は 0.7pt 上がった\n",
    "    answers:\n      - { question: 1, verdict: supported, finding: 推薦枠だけで 0.7pt 上がった }\n",
);

fn task_status(task: &str, status: &str) -> (String, String) {
    let from = format!("        do: {task}\n");
    // Every m2 task in the base plan has a done_when line after `do`.
    (from.clone(), format!("{from}        status: {status}\n"))
}

fn on_track(tasks_done: &[&str]) -> String {
    let edits: Vec<(String, String)> = tasks_done.iter().map(|t| task_status(t, "done")).collect();
    let mut all: Vec<(&str, &str)> = vec![MEASURED, SUPPORTED];
    all.extend(edits.iter().map(|(a, b)| (a.as_str(), b.as_str())));
    plan("on-track", &all)
}

/// Writes every plan but `on-track`, which changes across the history.
fn write_others(r: &Repo) {
    let files: Vec<(&str, String)> = vec![
        (
            "late-milestone",
            plan(
                "late-milestone",
                &[
                    MEASURED,
                    ("    due: 2027-02-28\n", "    due: 2027-02-12\n"),
                    ("    review: 2027-03-02\n", "    review: 2027-02-14\n"),
                    ("        due: 2027-02-20\n", "        due: 2027-02-10\n"),
                    ("        due: 2027-02-22\n", "        due: 2027-02-11\n"),
                    ("        due: 2027-02-25\n", "        due: 2027-02-12\n"),
                ],
            ),
        ),
        (
            "kpi-behind",
            plan(
                "kpi-behind",
                &[(
                    "  - { date: 2027-01-05, value: 2.4 }\n",
                    "  - { date: 2027-01-05, value: 2.4 }\n  - { date: 2027-02-10, value: 2.1 }\n",
                )],
            ),
        ),
        (
            "late-task",
            plan(
                "late-task",
                &[
                    MEASURED,
                    ("        due: 2027-02-20\n", "        due: 2027-02-12\n"),
                ],
            ),
        ),
        // The base plan as it is: last measured 2027-01-05, 41 days ago.
        ("stale", plan("stale", &[])),
        (
            "a-draft",
            plan("a-draft", &[("status: active", "status: draft")]),
        ),
        (
            "a-dropped",
            plan("a-dropped", &[("status: active", "status: dropped")]),
        ),
        (
            "a-done",
            plan("a-done", &[MEASURED, ("status: active", "status: done")]),
        ),
        // TSK003 (error): a role that is not in [roles].
        (
            "broken",
            plan(
                "broken",
                &[
                    MEASURED,
                    (
                        "      - role: ds\n        do: 推薦候補",
                        "      - role: qa\n        do: 推薦候補",
                    ),
                ],
            ),
        ),
    ];
    for (name, text) in files {
        r.file(&format!("content/{name}.md"), &text);
    }
}

/// The fixture repository: the on-track plan's m2 tasks become done in
/// commits on 02-05 (pm), 02-12 (dev) and 02-14 (ds).
fn history_repo() -> Repo {
    let r = Repo::new();
    write_others(&r);
    r.file("content/on-track.md", &on_track(&[]));
    let d = r.path();
    git(d, "2027-02-01", &["init", "-q"]);
    git(d, "2027-02-01", &["add", "-A"]);
    git(d, "2027-02-01", &["commit", "-q", "-m", "plans"]);
    let steps = [
        ("2027-02-05", vec!["対象顧客を選ぶ"]),
        ("2027-02-12", vec!["対象顧客を選ぶ", "管理画面を作る"]),
        (
            "2027-02-14",
            vec!["対象顧客を選ぶ", "管理画面を作る", "推薦候補を選ぶ"],
        ),
    ];
    for (date, done) in steps {
        r.file("content/on-track.md", &on_track(&done));
        git(
            d,
            date,
            &["commit", "-q", "-am", &format!("done on {date}")],
        );
    }
    r
}

fn json(r: &Run) -> Value {
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.stdout))
}

fn states(doc: &Value) -> Vec<(String, String)> {
    doc["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn status_gives_every_plan_its_state() {
    let r = history_repo();
    let doc = json(&r.run(&["status", "--format", "json"]));
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["today"], TODAY);
    // Every ICE score is 48: home-page order is by id.
    assert_eq!(
        states(&doc),
        [
            ("a-done", "done"),
            ("a-draft", "draft"),
            ("a-dropped", "dropped"),
            ("broken", "invalid"),
            ("kpi-behind", "behind"),
            ("late-milestone", "behind"),
            ("late-task", "at-risk"),
            ("on-track", "on-track"),
            ("stale", "at-risk"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let summary = &doc["summary"];
    for (state, n) in [
        ("on-track", 1),
        ("at-risk", 2),
        ("behind", 2),
        ("done", 1),
        ("draft", 1),
        ("dropped", 1),
        ("invalid", 1),
    ] {
        assert_eq!(summary[state], n, "{state}");
    }
    let p = doc["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "on-track")
        .unwrap();
    assert_eq!(p["file"], "content/on-track.md");
    assert_eq!(p["latest"]["date"], "2027-02-10");
    assert_eq!(p["latest"]["value"], 2.8);
    // m1's target from its due date (01-31) until m2's (02-28): the plan
    // steps, it does not slope.
    assert_eq!(p["planned"], 2.5);
    assert_eq!(p["next_milestone"]["id"], "m2");
    assert_eq!(p["next_milestone"]["due"], "2027-02-28");
    assert_eq!(p["next_milestone"]["target"], 3.0);
    assert_eq!(p["overdue_tasks"], 0);
    assert_eq!(p["questions"]["answered"], 1);
    assert_eq!(p["questions"]["total"], 2);
    let late = doc["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "late-task")
        .unwrap();
    assert_eq!(late["overdue_tasks"], 1);
}

#[test]
fn status_table_is_one_line_per_plan_and_exits_0() {
    let r = history_repo();
    let out = r.run(&["status"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("STATE"), "{}", out.stdout);
    for (i, (id, state)) in [
        ("a-done", "done"),
        ("broken", "invalid"),
        ("stale", "at-risk"),
    ]
    .iter()
    .enumerate()
    {
        let line = lines
            .iter()
            .find(|l| l.split_whitespace().nth(1) == Some(id))
            .unwrap_or_else(|| panic!("{i}: no line for {id}:\n{}", out.stdout));
        assert!(line.starts_with(state), "{line}");
    }
    // No colour codes when asked for none.
    assert!(!out.stdout.contains('\u{1b}'));
    let coloured = std::process::Command::new(bin())
        .arg("--root")
        .arg(r.path())
        .args(["--today", TODAY, "--color", "always", "status"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\u{1b}'));
}

fn report_plan<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in the report"))
}

fn task_names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| t["task"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn report_lists_the_tasks_done_in_the_commits_of_the_period() {
    let r = history_repo();
    // Default period: the 7 days up to --today (02-08, 02-15].
    let doc = json(&r.run(&["report", "--format", "json"]));
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["since"], "2027-02-08");
    assert_eq!(doc["until"], TODAY);
    assert_eq!(doc["git"], true);
    let p = report_plan(&doc, "on-track");
    assert_eq!(p["state"], "on-track");
    assert_eq!(
        task_names(&p["tasks_done"]),
        ["管理画面を作る", "推薦候補を選ぶ"]
    );
    assert_eq!(p["tasks_done"][0]["role"], "dev");
    assert_eq!(p["tasks_done"][0]["milestone"], "m2");
    // From 02-03 the pm's task (done on 02-05) is in the period too.
    let doc = json(&r.run(&["report", "--since", "2027-02-03", "--format", "json"]));
    let p = report_plan(&doc, "on-track");
    assert_eq!(
        task_names(&p["tasks_done"]),
        ["対象顧客を選ぶ", "管理画面を作る", "推薦候補を選ぶ"]
    );
    // Before the first commit the plan did not exist: every done task of
    // it counts (m1's three and m2's three).
    let doc = json(&r.run(&["report", "--since", "2027-01-20", "--format", "json"]));
    assert_eq!(
        report_plan(&doc, "on-track")["tasks_done"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert_eq!(
        report_plan(&doc, "stale")["tasks_done"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // A plan that did not change in the period has none.
    let doc = json(&r.run(&["report", "--format", "json"]));
    assert_eq!(
        report_plan(&doc, "stale")["tasks_done"],
        serde_json::json!([])
    );
}

#[test]
fn report_json_has_the_period_measurements_milestones_and_tasks() {
    let r = history_repo();
    let doc = json(&r.run(&[
        "report",
        "--since",
        "2027-01-20",
        "--plan",
        "on-track",
        "--plan",
        "stale",
        "--format",
        "json",
    ]));
    assert_eq!(
        states(&doc),
        [
            ("on-track".into(), "on-track".into()),
            ("stale".into(), "at-risk".into())
        ]
    );
    let p = report_plan(&doc, "on-track");
    assert_eq!(
        p["kpi"]["from"],
        serde_json::json!({"date": "2027-01-05", "value": 2.4})
    );
    assert_eq!(
        p["kpi"]["to"],
        serde_json::json!({"date": "2027-02-10", "value": 2.8})
    );
    // Planned at the period's end (2027-02-15): m1's target, in force
    // from its due date (2027-01-31) until m2's.
    assert_eq!(p["kpi"]["planned"], 2.5);
    assert_eq!(
        p["measurements"],
        serde_json::json!([{"date": "2027-02-10", "value": 2.8}])
    );
    let m1 = &p["milestones_finished"][0];
    assert_eq!(m1["id"], "m1");
    assert_eq!(m1["done_on"], "2027-01-28");
    assert_eq!(m1["actual"], 2.7);
    assert_eq!(m1["target"], 2.5);
    assert_eq!(m1["answers"][0]["verdict"], "supported");
    assert_eq!(m1["answers"][0]["finding"], "推薦枠だけで 0.7pt 上がった");
    assert_eq!(p["updates"][0]["date"], "2027-02-03");
    assert_eq!(
        p["updates"][0]["story"],
        "顧客は目に入った商品をお気に入りに登録する"
    );
    // The stale plan: nothing overdue yet; due in (02-15, 02-22]: pm and dev.
    let s = report_plan(&doc, "stale");
    assert_eq!(s["tasks_overdue"], serde_json::json!([]));
    assert_eq!(
        task_names(&s["tasks_due_next"]),
        ["対象顧客を選ぶ", "管理画面を作る"]
    );
    assert_eq!(s["tasks_due_next"][0]["owner"], "佐藤 花子");
    // Overdue at --until: the late task.
    let doc = json(&r.run(&["report", "--plan", "late-task", "--format", "json"]));
    let l = report_plan(&doc, "late-task");
    assert_eq!(task_names(&l["tasks_overdue"]), ["対象顧客を選ぶ"]);
    assert_eq!(l["tasks_overdue"][0]["due"], "2027-02-12");
    // Findings: the broken plan's TSK003.
    let doc = json(&r.run(&["report", "--plan", "broken", "--format", "json"]));
    let rules: Vec<&str> = report_plan(&doc, "broken")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"TSK003"), "{rules:?}");
}

#[test]
fn report_since_last_executive_is_per_plan() {
    let r = history_repo();
    // The executive date is 2027-02-10: the period is (02-10, 02-20].
    let doc = json(&r.run(&[
        "report",
        "--since",
        "last-executive",
        "--until",
        "2027-02-20",
        "--plan",
        "on-track",
        "--format",
        "json",
    ]));
    assert_eq!(doc["since"], "last-executive");
    let p = report_plan(&doc, "on-track");
    assert_eq!(p["since"], "2027-02-10");
    assert_eq!(p["until"], "2027-02-20");
    assert_eq!(
        task_names(&p["tasks_done"]),
        ["管理画面を作る", "推薦候補を選ぶ"]
    );
}

#[test]
fn report_markdown_and_html_carry_the_same_report() {
    let r = history_repo();
    let md = r.run(&["report", "--since", "2027-01-20", "--plan", "on-track"]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(md.stdout.starts_with("# Progress report"), "{}", md.stdout);
    for want in [
        "## 推薦によるお気に入り登録率の向上 (on track)",
        "baseline 2% → 2.4% (Jan 5, 2027) → now **2.8%** (Feb 10, 2027) → target m2 3% (planned now: 2.5%)",
        "- **Confidence**: 1 (estimates)",
        "### Milestones finished",
        "— supported: 推薦枠だけで 0.7pt 上がった",
        "### Tasks done in the period",
        "- 管理画面を作る — 鈴木 一郎 (m2)",
    ] {
        assert!(md.stdout.contains(want), "no `{want}` in:\n{}", md.stdout);
    }
    let html = r.run(&["report", "--since", "2027-01-20", "--format", "html"]);
    assert_eq!(html.code, 0, "{}", html.stderr);
    let doc = scraper::Html::parse_document(&html.stdout);
    let plans: Vec<&str> = doc
        .select(&sel("section.report"))
        .map(|e| e.value().attr("data-plan").unwrap())
        .collect();
    assert_eq!(plans.len(), 9);
    assert_eq!(plans[0], "a-done");
    // One file: the stylesheet inline, no site header, no broken links.
    assert!(doc.select(&sel("head style")).next().is_some());
    assert!(doc.select(&sel("link[rel=stylesheet]")).next().is_none());
    assert!(doc.select(&sel("header.site-header")).next().is_none());
    let answers = texts(
        &doc,
        "section.report[data-plan=on-track] li.answer[data-verdict=supported]",
    );
    assert_eq!(answers.len(), 1);
}

#[test]
fn report_outside_git_leaves_tasks_done_out_and_says_so() {
    let r = Repo::new();
    r.file("content/on-track.md", &on_track(&["対象顧客を選ぶ"]));
    let out = r.run(&["report", "--format", "json"]);
    assert!(
        out.stderr.contains("tasks done in the period are left out"),
        "{}",
        out.stderr
    );
    let doc = json(&out);
    assert_eq!(doc["git"], false);
    assert_eq!(report_plan(&doc, "on-track")["tasks_done"], Value::Null);
    let md = r.run(&["report"]);
    assert!(md.stdout.contains("Not a git repository"), "{}", md.stdout);
    // A period that ends before it starts is a usage error.
    let backwards = r.run(&["report", "--since", "2027-02-20"]);
    assert_eq!(backwards.code, 2, "{}", backwards.stderr);
    assert!(backwards.stderr.contains("--since"), "{}", backwards.stderr);
    // An unknown --plan is a usage error.
    let bad = r.run(&["report", "--plan", "nope"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("nope"), "{}", bad.stderr);
}

fn build(r: &Repo) -> std::path::PathBuf {
    let out = r.path().join("public");
    let b = r.run(&["build", "--out", out.to_str().unwrap()]);
    // The broken plan has an error: build the site without it.
    assert_eq!(b.code, 1, "{}", b.stderr);
    out
}

/// The fixture without the broken plan, built.
fn built_site() -> (Repo, std::path::PathBuf) {
    let r = history_repo();
    std::fs::remove_file(r.path().join("content/broken.md")).unwrap();
    let out = r.path().join("public");
    let b = r.run(&["build", "--out", out.to_str().unwrap()]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    (r, out)
}

#[test]
fn home_page_shows_states_sparklines_and_counts() {
    let (_r, out) = built_site();
    let doc = page(&out, "index.html");
    let cards: Vec<(String, String)> = doc
        .select(&sel("li.plan-card"))
        .map(|e| {
            let id = e
                .select(&sel("h2 a"))
                .next()
                .and_then(|a| a.value().attr("href"))
                .unwrap()
                .to_string();
            (id, e.value().attr("data-state").unwrap().to_string())
        })
        .collect();
    assert!(
        cards.contains(&("plans/stale/index.html".into(), "at-risk".into())),
        "{cards:?}"
    );
    assert!(cards.contains(&("plans/kpi-behind/index.html".into(), "behind".into())));
    assert!(cards.contains(&("plans/a-done/index.html".into(), "done".into())));
    assert_eq!(cards.len(), 8);
    // Every plan has measurements: a sparkline with a title, no script.
    assert_eq!(
        doc.select(&sel("li.plan-card svg.sparkline title")).count(),
        8
    );
    crate::site::assert_only_planbooks_scripts(&doc, "index.html");
    let counts: Vec<(String, String)> = doc
        .select(&sel("nav.states li"))
        .map(|li| {
            (
                li.value().attr("data-state").unwrap().to_string(),
                li.select(&sel(".num")).next().unwrap().text().collect(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("draft", "1"),
            ("dropped", "1"),
            ("done", "1"),
            ("behind", "2"),
            ("at-risk", "2"),
            ("on-track", "1")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
}

#[test]
fn check_page_walks_behind_then_at_risk_then_on_track() {
    let (_r, out) = built_site();
    let doc = page(&out, "check/index.html");
    let order: Vec<(&str, &str)> = doc
        .select(&sel("section.plan-check"))
        .map(|s| {
            (
                s.value().attr("data-plan").unwrap(),
                s.value().attr("data-state").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("kpi-behind", "behind"),
            ("late-milestone", "behind"),
            ("late-task", "at-risk"),
            ("stale", "at-risk"),
            ("on-track", "on-track"),
        ]
    );
    let section = |id: &str| format!("section.plan-check[data-plan={id}]");
    // The late task is overdue.
    let overdue = texts(&doc, &format!("{} .overdue li", section("late-task")));
    assert_eq!(overdue.len(), 1);
    assert!(overdue[0].contains("対象顧客を選ぶ"), "{overdue:?}");
    // Tasks due in the next 7 days, grouped by owner.
    let owners: Vec<&str> = doc
        .select(&sel(&format!(
            "{} .due-next .owner-group",
            section("stale")
        )))
        .map(|g| g.value().attr("data-owner").unwrap())
        .collect();
    assert_eq!(owners, ["佐藤 花子", "鈴木 一郎"]);
    // The stale plan's note; the on-track plan has none.
    assert_eq!(
        texts(&doc, &format!("{} .stale", section("stale"))).len(),
        1
    );
    assert!(texts(&doc, &format!("{} .stale", section("on-track"))).is_empty());
    // Milestones and reviews in the next 14 days: m2 due 02-28 is 13 days
    // out; its review (03-02) is not.
    let upcoming: Vec<&str> = doc
        .select(&sel(&format!("{} .upcoming li", section("on-track"))))
        .map(|l| l.value().attr("data-kind").unwrap())
        .collect();
    assert_eq!(upcoming, ["due"]);
    // The header links to the page from every page.
    let home = page(&out, "index.html");
    assert!(
        home.select(&sel("nav.site-nav a[href='check/index.html']"))
            .next()
            .is_some()
    );
    check_links(&out);
}

#[test]
fn report_page_and_questions_on_the_plan_page() {
    let (_r, out) = built_site();
    let doc = page(&out, "plans/on-track/report/index.html");
    let report = doc
        .select(&sel("section.report"))
        .next()
        .expect("section.report");
    assert_eq!(report.value().attr("data-state"), Some("on-track"));
    // The executive date (02-10) is past: the period is (start, 02-10].
    assert_eq!(
        doc.select(&sel("section.report time"))
            .next()
            .unwrap()
            .value()
            .attr("datetime"),
        Some("2026-12-01")
    );
    let finished = texts(&doc, "section.report .finished strong");
    assert!(finished.iter().any(|t| t.contains("m1")), "{finished:?}");
    assert_eq!(
        doc.select(&sel("section.report li.answer[data-verdict=supported]"))
            .count(),
        1
    );
    let open = texts(&doc, "section.report .open-questions li");
    assert_eq!(open.len(), 1, "{open:?}");
    assert!(open[0].contains("好みに合わせると"));
    // The plan page: every question with its state.
    let plan = page(&out, "plans/on-track/index.html");
    let q: Vec<&str> = plan
        .select(&sel("section.questions [data-state]"))
        .map(|e| e.value().attr("data-state").unwrap())
        .collect();
    assert_eq!(q, ["supported", "open"]);
    let stale = page(&out, "plans/stale/index.html");
    let q: Vec<&str> = stale
        .select(&sel("section.questions [data-state]"))
        .map(|e| e.value().attr("data-state").unwrap())
        .collect();
    assert_eq!(q, ["answered", "open"]);
    // The plan page links to its report.
    assert!(
        plan.select(&sel("a[href='report/index.html']"))
            .next()
            .is_some()
    );
}

#[test]
fn the_build_fails_on_the_invalid_plan_but_status_and_report_do_not() {
    let r = history_repo();
    build(&r);
    assert_eq!(r.run(&["status"]).code, 0);
    assert_eq!(r.run(&["report"]).code, 0);
}
