//! The workshop's cycle as a team lives it: the meal-kit churn plan
//! (baseline 1.8 %, m1 1.6 % due 01-29, reviewed 02-02) checked week by
//! week with `--today`. Each test is one point where the states used to
//! raise a false alarm or break the build.

use serde_json::Value;

use crate::support::*;

const FILE: &str = "content/meal-kit-churn.md";

fn churn() -> String {
    include_str!("../fixtures/churn-plan.md").to_string()
}

/// The churn plan with each `(from, to)` replaced once (asserted there).
fn churn_with(edits: &[(&str, &str)]) -> String {
    let mut text = churn();
    for (from, to) in edits {
        assert!(text.contains(from), "`{from}` not in the churn plan");
        text = text.replacen(from, to, 1);
    }
    text
}

fn repo(text: &str) -> Repo {
    let r = Repo::new();
    r.file(FILE, text);
    r
}

/// `(rule, severity, line)` of every diagnostic at `today`, and the exit code.
fn lint_at(r: &Repo, today: &str) -> (i32, Vec<(String, String, u64)>) {
    let (code, v) = r.lint_json_at(today);
    let d = diagnostics(&v)
        .into_iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("").to_string(),
                d["severity"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    (code, d)
}

/// The plan's entry of `status --format json` at `today`.
fn status_at(r: &Repo, today: &str) -> Value {
    let out = run_at(r.path(), r.path(), today, &["status", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("status JSON");
    v["plans"][0].clone()
}

fn rules(d: &[(String, String, u64)]) -> Vec<&str> {
    d.iter().map(|(r, _, _)| r.as_str()).collect()
}

#[test]
fn week_one_noise_is_on_track() {
    // 1.82 % on 01-19 against the baseline 1.8 %: m1's gain is 0.2 pt, and
    // 0.02 pt is a tenth of it. Nothing has shipped yet.
    let r = repo(&churn());
    let (code, d) = lint_at(&r, "2027-01-19");
    assert_eq!((code, d.clone()), (0, vec![]), "{d:?}");
    let s = status_at(&r, "2027-01-19");
    assert_eq!(s["state"], "on-track");
    assert_eq!(s["planned"], 1.8);
    // A real slip before the release is still caught: 1.9 % is half of
    // m1's gain the wrong way.
    let r = repo(&churn_with(&[("value: 1.82 }", "value: 1.9 }")]));
    let (_, d) = lint_at(&r, "2027-01-19");
    assert_eq!(rules(&d), ["KPI002"]);
    assert_eq!(status_at(&r, "2027-01-19")["state"], "behind");
}

#[test]
fn the_plan_is_judged_against_m1s_target_after_its_due_date() {
    let measured = |v: &str| {
        churn_with(&[
            (
                "  - { date: 2027-01-19, value: 1.82 }\n",
                &format!(
                    "  - {{ date: 2027-01-19, value: 1.82 }}\n  - {{ date: 2027-01-30, value: {v} }}\n"
                ),
            ),
            ("        status: doing\n", "        status: done\n"),
            ("        status: todo\n", "        status: done\n"),
        ])
    };
    // m1 (in progress) is awaiting review until 02-02: 1.63 is within
    // 20 % of m1's gain of its target.
    let r = repo(&measured("1.63"));
    assert_eq!(status_at(&r, "2027-01-31")["state"], "on-track");
    assert_eq!(status_at(&r, "2027-01-31")["planned"], 1.6);
    let r = repo(&measured("1.7"));
    let s = status_at(&r, "2027-01-31");
    assert_eq!(s["state"], "behind");
}

#[test]
fn done_on_its_due_date_without_the_update_is_a_warning_until_the_review() {
    let done = churn_with(&[(
        "    status: in_progress\n",
        "    status: done\n    done_on: 2027-01-29\n    actual: 1.58\n",
    )]);
    let r = repo(&done);
    for today in ["2027-01-29", "2027-02-01", "2027-02-02"] {
        let (code, d) = lint_at(&r, today);
        assert_eq!(code, 0, "{today}: {d:?}");
        let mil009: Vec<_> = d.iter().filter(|x| x.0 == "MIL009").collect();
        assert_eq!(mil009.len(), 1, "{today}: {d:?}");
        assert_eq!(mil009[0].1, "warning", "{today}");
        assert_ne!(status_at(&r, today)["state"], "invalid", "{today}");
    }
    // The day after the review the update is overdue: an error.
    let (code, d) = lint_at(&r, "2027-02-03");
    assert_eq!(code, 1, "{d:?}");
    assert!(d.iter().any(|x| x.0 == "MIL009" && x.1 == "error"), "{d:?}");
    assert_eq!(status_at(&r, "2027-02-03")["state"], "invalid");
    // done_on and actual are facts of the day it ended: missing them is an
    // error at once.
    let bare = churn_with(&[("    status: in_progress\n", "    status: done\n")]);
    let (code, d) = lint_at(&repo(&bare), "2027-01-29");
    assert_eq!(code, 1, "{d:?}");
    assert!(d.iter().any(|x| x.0 == "MIL009" && x.1 == "error"), "{d:?}");
}

#[test]
fn an_unfinished_milestone_awaits_its_review_before_it_is_late() {
    let r = repo(&churn_with(&[(
        "dates: [2027-01-29, 2027-02-26]",
        "dates: [2027-02-05, 2027-02-26]",
    )]));
    for today in ["2027-01-30", "2027-02-02"] {
        let (_, d) = lint_at(&r, today);
        assert!(!rules(&d).contains(&"MIL010"), "{today}: {d:?}");
        assert_ne!(status_at(&r, today)["state"], "behind", "{today}");
    }
    // The check page lists it with its review date.
    let out = r.path().join("public");
    let b = run_at(r.path(), r.path(), "2027-01-31", &["build"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let doc = page(&out, "check/index.html");
    let waiting = texts(
        &doc,
        r#"section[data-plan="meal-kit-churn"] .awaiting-review li"#,
    );
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert!(waiting[0].contains("m1"), "{waiting:?}");
    let dates: Vec<_> = doc
        .select(&sel(".awaiting-review li"))
        .filter_map(|li| li.value().attr("data-review"))
        .collect();
    assert_eq!(dates, ["2027-02-02"]);
    // Reports and reviews due in the next 14 days are on the agenda too.
    let kinds: Vec<_> = doc
        .select(&sel(r#"section[data-plan="meal-kit-churn"] .upcoming li"#))
        .filter_map(|li| li.value().attr("data-kind"))
        .collect();
    assert_eq!(kinds, ["review", "executive"], "{kinds:?}");
    // After the review date it is late.
    let (_, d) = lint_at(&r, "2027-02-03");
    assert!(rules(&d).contains(&"MIL010"), "{d:?}");
    assert_eq!(status_at(&r, "2027-02-03")["state"], "behind");
    let b = run_at(r.path(), r.path(), "2027-02-03", &["build"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let doc = page(&out, "check/index.html");
    assert!(texts(&doc, ".awaiting-review li").is_empty());
}

#[test]
fn a_dropped_task_is_never_overdue() {
    let text = churn_with(&[(
        "        due: 2027-01-22\n        status: todo\n",
        "        due: 2027-01-22\n        status: dropped\n        note: 既存の BI で見られるので作らない\n",
    )]);
    let r = repo(&text);
    let (_, d) = lint_at(&r, "2027-01-26");
    // The dev task (doing, due 01-22) is overdue; the dropped one is not.
    let tsk005: Vec<_> = d.iter().filter(|x| x.0 == "TSK005").collect();
    assert_eq!(tsk005.len(), 1, "{d:?}");
    let s = status_at(&r, "2027-01-26");
    assert_eq!(s["overdue_tasks"], 1);
    // The plan page strikes it through with its reason.
    let b = run_at(r.path(), r.path(), "2027-01-26", &["build"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let doc = page(&r.path().join("public"), "plans/meal-kit-churn/index.html");
    let dropped = texts(&doc, "li.task-dropped");
    assert_eq!(dropped.len(), 1, "{dropped:?}");
    assert!(
        dropped[0].contains("既存の BI で見られるので作らない"),
        "{dropped:?}"
    );
    assert!(texts(&doc, "li.task-dropped.overdue").is_empty());
}

#[test]
fn a_task_done_late_says_by_how_many_days() {
    let text = churn_with(&[(
        "        due: 2027-01-22\n        status: doing\n",
        "        due: 2027-01-22\n        status: done\n        done_on: 2027-01-25\n",
    )]);
    let r = repo(&text);
    let (code, d) = lint_at(&r, "2027-01-26");
    assert_eq!(code, 0, "{d:?}");
    let b = run_at(r.path(), r.path(), "2027-01-26", &["build"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let doc = page(&r.path().join("public"), "plans/meal-kit-churn/index.html");
    assert_eq!(texts(&doc, ".task-late"), ["done 3 days late"]);
}

#[test]
fn status_todo_is_an_enum_value_not_a_placeholder() {
    // The fixture writes `status: todo` on the ds task of m1.
    assert!(churn().contains("        status: todo\n"));
    let (code, d) = lint_at(&repo(&churn()), "2027-01-19");
    assert_eq!((code, d), (0, vec![]));
    // The word is still a placeholder where text is expected.
    let r = repo(&churn_with(&[(
        "title: 献立提案で週次解約率を下げる",
        "title: TODO",
    )]));
    let (_, d) = lint_at(&r, "2027-01-19");
    assert_eq!(rules(&d), ["PLN004"]);
}

#[test]
fn a_null_value_is_reported_at_its_own_line() {
    let text = churn_with(&[(
        "    model_accuracy: 献立の採用・スキップが好みのラベルとして蓄積される\n",
        "    model_accuracy:\n",
    )]);
    let (line, _) = pos_of(&text, "model_accuracy:", "model_accuracy");
    let (code, d) = lint_at(&repo(&text), "2027-01-19");
    assert_eq!(code, 1);
    assert_eq!(d, [("MET004".to_string(), "error".to_string(), line)]);
    // Absent altogether, it is reported at `correlations`.
    let text = churn_with(&[(
        "    model_accuracy: 献立の採用・スキップが好みのラベルとして蓄積される\n",
        "",
    )]);
    let (line, _) = pos_of(&text, "correlations:", "correlations");
    let (_, d) = lint_at(&repo(&text), "2027-01-19");
    assert_eq!(d, [("MET004".to_string(), "error".to_string(), line)]);
    // The same for a list, a number and a date written without a value.
    for (from, to, rule, key) in [
        (
            "    dates: [2027-01-29, 2027-02-26]\n",
            "    dates:\n",
            "MTG002",
            "    dates:",
        ),
        (
            "  baseline: 1.8\n",
            "  baseline:\n",
            "MET001",
            "  baseline:",
        ),
        (
            "    cost_days: 8\n",
            "    cost_days: ~\n",
            "MIL006",
            "    cost_days:",
        ),
        (
            "        due: 2027-01-15\n",
            "        due:\n",
            "TSK002",
            "        due:",
        ),
    ] {
        let text = churn_with(&[(from, to)]);
        let (line, _) = pos_of(&text, key, key.trim());
        let (_, d) = lint_at(&repo(&text), "2027-01-19");
        assert!(
            d.iter().any(|(r, _, l)| r == rule && *l == line),
            "{rule} not at line {line}: {d:?}"
        );
    }
}

/// Two teams' plans; the other team's has a typo (a measurement written
/// as a string, out of order).
fn portfolio(with_broken: bool) -> Repo {
    let r = Repo::new();
    r.file(FILE, &churn());
    if with_broken {
        let broken = base_plan()
            .replacen("id: base-plan", "id: broken", 1)
            .replacen(
                "{ date: 2027-01-05, value: 2.4 }",
                "{ date: 2026-12-01, value: \"2.4%\" }",
                1,
            );
        r.file("content/broken.md", &broken);
    }
    r
}

#[test]
fn allow_invalid_publishes_the_others_and_the_broken_plan_with_its_errors() {
    let today = "2027-01-19";
    // Without the flag, today's contract: exit 1, nothing written.
    let r = portfolio(true);
    let b = run_at(r.path(), r.path(), today, &["build"]);
    assert_eq!(b.code, 1, "{}", b.stderr);
    assert!(!r.path().join("public").exists());
    // With it: exit 0, the findings printed, every plan published.
    let b = run_at(r.path(), r.path(), today, &["build", "--allow-invalid"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(b.stderr.contains("KPI001"), "{}", b.stderr);
    assert!(b.stderr.contains("published as invalid"), "{}", b.stderr);
    let out = r.path().join("public");
    // The broken plan: an invalid card, and a page listing its errors at
    // file:line.
    let home = page(&out, "index.html");
    let states: Vec<_> = home
        .select(&sel("[data-plan][data-state]"))
        .filter_map(|e| Some((e.value().attr("data-plan")?, e.value().attr("data-state")?)))
        .collect();
    assert!(states.contains(&("broken", "invalid")), "{states:?}");
    assert!(
        states.contains(&("meal-kit-churn", "on-track")),
        "{states:?}"
    );
    let broken = page(&out, "plans/broken/index.html");
    let errors = texts(&broken, "#findings li.sev-error");
    assert!(!errors.is_empty());
    assert!(
        errors
            .iter()
            .any(|e| e.contains("content/broken.md:") && e.contains("KPI001")),
        "{errors:?}"
    );
    // The other plan's pages are byte for byte those of a build without
    // the broken plan.
    let alone = portfolio(false);
    let b = run_at(alone.path(), alone.path(), today, &["build"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let (with, without) = (all_files(&out), all_files(&alone.path().join("public")));
    for rel in [
        "plans/meal-kit-churn/index.html",
        "plans/meal-kit-churn/report/index.html",
    ] {
        assert!(with[rel] == without[rel], "{rel} differs");
    }
}

/// The churn plan's history: committed on 01-05; on 01-30 m1's test
/// results raise the confidence from 1 (estimates) to 2.5 (test results)
/// and a measurement is added.
fn lived_repo() -> Repo {
    use crate::versions::git;
    let r = repo(&churn());
    git(r.path(), "2027-01-05", &["init", "-q"]);
    git(r.path(), "2027-01-05", &["add", "-A"]);
    git(r.path(), "2027-01-05", &["commit", "-q", "-m", "plan"]);
    r.file(
        FILE,
        &churn_with(&[
            (
                "  confidence: 1.0\n  evidence: estimates\n",
                "  confidence: 2.5\n  evidence: test_results\n",
            ),
            (
                "  - { date: 2027-01-19, value: 1.82 }\n",
                "  - { date: 2027-01-19, value: 1.82 }\n  - { date: 2027-01-30, value: 1.58 }\n",
            ),
        ]),
    );
    git(r.path(), "2027-01-30", &["commit", "-qam", "m1 measured"]);
    r
}

#[test]
fn diff_reports_a_confidence_change() {
    let r = lived_repo();
    let out = r.run(&["diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("diff JSON");
    let changes = v["changed"][0]["changes"].as_array().expect("changes");
    let ice: Vec<_> = changes
        .iter()
        .filter(|c| c["kind"] == "ice_changed")
        .map(|c| {
            (
                c["field"].as_str().unwrap(),
                c["from"].clone(),
                c["to"].clone(),
            )
        })
        .collect();
    assert_eq!(
        ice,
        [
            ("confidence", "1".into(), "2.5".into()),
            ("evidence", "estimates".into(), "test_results".into()),
        ]
    );
    let human = r.run(&["diff", "HEAD~1", "HEAD"]);
    assert!(
        human.stdout.contains("ICE confidence: 1 → 2.5"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains("ICE evidence: estimates → test results"),
        "{}",
        human.stdout
    );
}

#[test]
fn the_report_reads_baseline_to_target_and_confidence_before_to_after() {
    let r = lived_repo();
    let args = ["report", "--since", "2027-01-20", "--until", "2027-01-31"];
    // JSON: every number, with the confidence from git.
    let out = r.run(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("report JSON");
    let p = &v["plans"][0];
    assert_eq!(p["kpi"]["baseline"], 1.8);
    assert_eq!(p["kpi"]["from"]["value"], 1.82);
    assert_eq!(p["kpi"]["to"]["value"], 1.58);
    assert_eq!(
        p["kpi"]["target"],
        serde_json::json!({"milestone": "m1", "value": 1.6})
    );
    assert_eq!(
        p["confidence"],
        serde_json::json!({
            "before": {"value": 1.0, "evidence": "estimates"},
            "now": {"value": 2.5, "evidence": "test_results"},
        })
    );
    // Markdown.
    let md = r.run(&args);
    assert_eq!(md.code, 0, "{}", md.stderr);
    for want in [
        "baseline 1.8% → 1.82% (Jan 19, 2027) → now **1.58%** (Jan 30, 2027) → target m1 1.6%",
        "- **Confidence**: 1 (estimates) → **2.5 (test results)**",
    ] {
        assert!(md.stdout.contains(want), "no `{want}` in:\n{}", md.stdout);
    }
    // HTML.
    let html = r.run(&[&args[..], &["--format", "html"]].concat());
    let doc = scraper::Html::parse_document(&html.stdout);
    let kpi = texts(&doc, ".kpi-move");
    assert_eq!(kpi.len(), 1);
    for want in ["1.8%", "1.82%", "1.58%", "m1", "1.6%"] {
        assert!(kpi[0].contains(want), "{want} not in {kpi:?}");
    }
    let conf = texts(&doc, "p.confidence");
    assert!(
        conf[0].contains("1") && conf[0].contains("estimates") && conf[0].contains("2.5"),
        "{conf:?}"
    );
    assert_eq!(texts(&doc, ".confidence-before").len(), 1);
}

#[test]
fn the_report_page_gives_reasons_in_words_and_a_count_of_findings() {
    // m1 late (after its review) with two tasks overdue, and a warning.
    let r = repo(&churn_with(&[(
        "    cost_days: 8\n",
        "    cost_days: 30\n",
    )]));
    let b = run_at(r.path(), r.path(), "2027-02-05", &["build"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let doc = page(
        &r.path().join("public"),
        "plans/meal-kit-churn/report/index.html",
    );
    let reasons = texts(&doc, "section.report .reasons li");
    assert!(
        reasons
            .iter()
            .any(|x| x.contains("m1") && x.contains("not finished")),
        "{reasons:?}"
    );
    // No raw lint messages: a count, linking to the plan page's findings.
    let count = texts(&doc, ".report-findings .findings-count a");
    assert_eq!(count.len(), 1, "{count:?}");
    assert!(count[0].contains("findings of the rules"), "{count:?}");
    let text = texts(&doc, ".report-findings").join(" ");
    assert!(
        !text.contains("MIL006") && !text.contains("cost_days"),
        "{text}"
    );
    let href: Vec<_> = doc
        .select(&sel(".report-findings .findings-count a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(href, ["../../../plans/meal-kit-churn/index.html#findings"]);
}

#[test]
fn charts_are_honest_about_gaps_misses_and_direction() {
    // Weekly cadence: a gap of more than 14 days breaks the measured line.
    let text = churn_with(&[
        (
            "  - { date: 2027-01-04, value: 1.8 }\n  - { date: 2027-01-19, value: 1.82 }\n",
            "  - { date: 2027-01-04, value: 1.8 }\n  - { date: 2027-01-11, value: 1.79 }\n  - { date: 2027-01-29, value: 1.7 }\n  - { date: 2027-02-26, value: 1.5 }\n  - { date: 2027-03-05, value: 1.45 }\n",
        ),
        (
            "    status: in_progress\n",
            "    status: missed\n    done_on: 2027-01-29\n    actual: 1.7\n",
        ),
    ]);
    let r = repo(&text);
    let b = run_at(
        r.path(),
        r.path(),
        "2027-03-05",
        &["build", "--allow-invalid"],
    );
    assert_eq!(b.code, 0, "{}", b.stderr);
    let out = r.path().join("public");
    let doc = page(&out, "plans/meal-kit-churn/index.html");
    let chart = sel("svg.kpi-chart");
    let svg = doc.select(&chart).next().expect("kpi chart");
    let lines: Vec<_> = svg.select(&sel("polyline.measured")).collect();
    // 01-04 → 01-11 is a line; 18 days to 01-29 and 28 days to 02-26
    // break it (01-29 stands alone, a point); 02-26 → 03-05 is a line.
    assert_eq!(lines.len(), 2, "{}", svg.html());
    assert_eq!(svg.select(&sel("circle.measurement")).count(), 5);
    // m1 was missed: its own marker and legend entry; m2 is not.
    assert_eq!(svg.select(&sel("path.target.missed")).count(), 1);
    assert_eq!(svg.select(&sel("path.target")).count(), 2);
    assert_eq!(svg.select(&sel("g.legend-missed")).count(), 1);
    // The planned line steps: horizontal then vertical at each due date.
    let planned = svg
        .select(&sel("polyline.planned"))
        .next()
        .and_then(|p| p.value().attr("points").map(str::to_string))
        .expect("planned line");
    let pts: Vec<(f64, f64)> = planned
        .split(' ')
        .map(|p| {
            let (x, y) = p.split_once(',').expect("x,y");
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    assert!(
        pts.windows(2).all(|w| w[0].0 == w[1].0 || w[0].1 == w[1].1),
        "not a step line: {planned}"
    );
    // The KPI table: one row per date (m1's due date has a target and a
    // measurement).
    let dates: Vec<_> = doc
        .select(&sel("table.kpi-data time"))
        .filter_map(|t| t.value().attr("datetime"))
        .collect();
    let mut unique = dates.clone();
    unique.dedup();
    assert_eq!(dates, unique);
    assert!(dates.contains(&"2027-01-29"));
    let row = texts(&doc, "table.kpi-data tr")
        .into_iter()
        .find(|t| t.contains("Jan 29, 2027"))
        .expect("m1's row");
    assert!(
        row.contains("m1") && row.contains("1.6%") && row.contains("1.7%"),
        "{row}"
    );
    // The sparkline on the home page: the plan as a dashed line, and the
    // metric marked as one that should go down.
    let home = page(&out, "index.html");
    let spark = home
        .select(&sel("svg.sparkline"))
        .next()
        .expect("sparkline");
    assert_eq!(spark.value().attr("data-direction"), Some("decrease"));
    assert_eq!(spark.select(&sel("polyline.spark-plan")).count(), 1);
    assert_eq!(spark.select(&sel("text.spark-dir")).count(), 1);
    let title = spark
        .select(&sel("title"))
        .next()
        .expect("title")
        .inner_html();
    assert!(title.contains("lower is better"), "{title}");
}

/// English words that must not appear in Japanese output: state names,
/// verdicts, task and milestone statuses, and the CLI's summaries.
const ENGLISH: &[&str] = &[
    "behind",
    "at-risk",
    "at risk",
    "on-track",
    "on track",
    "invalid",
    "draft",
    "dropped",
    "done",
    "supported",
    "refuted",
    "inconclusive",
    "todo",
    "to do",
    "doing",
    "missed",
    "planned",
    "in_progress",
    "built",
    "plans",
];

/// Where `text` has a word of [`ENGLISH`] standing alone (no ASCII letter,
/// digit, `_`, `-` or `.` touching it): with a little context. The YAML a
/// message tells the user to write (`status: done`, in backquotes) is
/// code, not prose.
fn english_words(text: &str) -> Vec<String> {
    let prose: String = text
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join(" ");
    let lower = prose.to_lowercase();
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    let mut hits = Vec::new();
    for w in ENGLISH {
        for (i, _) in lower.match_indices(w) {
            let before = lower[..i].chars().next_back();
            let after = lower[i + w.len()..].chars().next();
            if edge(before) || edge(after) || lower[..i].ends_with("status: ") {
                continue;
            }
            let from = lower[..i]
                .char_indices()
                .rev()
                .nth(20)
                .map_or(0, |(j, _)| j);
            let to = lower[i..]
                .char_indices()
                .nth(w.len() + 20)
                .map_or(lower.len(), |(j, _)| i + j);
            hits.push(lower[from..to].to_string());
        }
    }
    hits
}

/// The text a reader sees: text nodes outside `script` and `style`.
fn visible_text(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let mut out = String::new();
    for node in doc.root_element().descendants() {
        if let Some(t) = node.value().as_text() {
            let hidden = node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "script" | "style" | "title"))
            });
            if !hidden {
                out.push_str(t);
                out.push(' ');
            }
        }
    }
    out
}

#[test]
fn japanese_output_is_japanese() {
    // The Japanese demo, without what its authors wrote in English (the
    // English example plan and the bilingual introduction): every word
    // planbook itself writes must be Japanese.
    let r = Repo::empty();
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    r.file(
        "book.toml",
        &std::fs::read_to_string(demo.join("book.toml")).unwrap(),
    );
    for f in ["favorites-reco.md", "examples/top-page-pv.md"] {
        let text = std::fs::read_to_string(demo.join("content").join(f)).unwrap();
        r.file(&format!("content/{f}"), &text);
    }
    // And the churn plan lived to the review window: a dropped task, a
    // task done late, a finished milestone with a verdict.
    let churn = churn_with(&[
        (
            "    status: in_progress\n",
            "    status: done\n    done_on: 2027-01-29\n    actual: 1.58\n",
        ),
        (
            "        status: doing\n",
            "        status: done\n        done_on: 2027-01-25\n",
        ),
        (
            "        status: todo\n",
            "        status: dropped\n        note: 既存の BI で足りる\n",
        ),
        (
            "updates: []\n",
            "updates:\n  - date: 2027-02-02\n    milestone: m1\n    answers:\n      - { question: 1, verdict: supported, finding: 提案だけで 0.2pt 下がった }\n    story: 会員は提案された献立を試す\n    business_model: 変更なし\n",
        ),
    ]);
    r.file(FILE, &churn);
    let today = "2027-02-05";
    let run = |args: &[&str]| run_at(r.path(), r.path(), today, args);
    let b = run(&["build", "--allow-invalid"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let mut outputs: Vec<(String, String)> = vec![("build".into(), b.stderr.clone())];
    for args in [
        &["status"][..],
        &["report", "--since", "2027-01-20"],
        &["report", "--since", "2027-01-20", "--format", "html"],
    ] {
        let o = run(args);
        assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
        let text = if args.contains(&"html") {
            visible_text(&o.stdout)
        } else {
            o.stdout
        };
        outputs.push((args.join(" "), format!("{text}\n{}", o.stderr)));
    }
    for (path, bytes) in all_files(&r.path().join("public")) {
        if path.ends_with(".html") {
            outputs.push((path, visible_text(&String::from_utf8_lossy(&bytes))));
        }
    }
    let found: Vec<(String, Vec<String>)> = outputs
        .into_iter()
        .map(|(what, text)| (what, english_words(&text)))
        .filter(|(_, hits)| !hits.is_empty())
        .collect();
    assert!(found.is_empty(), "English in Japanese output: {found:#?}");
}
