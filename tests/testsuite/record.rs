//! The commands that record progress in a plan file, in place:
//! `measure` (in every style the format allows), `task`, `milestone` and
//! `confidence`; every refusal leaves the file as it was.

use serde_json::Value;

use crate::support::*;

const FILE: &str = "content/meal-kit-churn.md";

fn churn() -> String {
    include_str!("../fixtures/churn-plan.md").to_string()
}

fn repo(text: &str) -> Repo {
    let r = Repo::new();
    r.file(FILE, text);
    r
}

fn read(r: &Repo) -> String {
    std::fs::read_to_string(r.path().join(FILE)).unwrap()
}

fn measure(r: &Repo, today: &str, args: &[&str]) -> Run {
    run_at(
        r.path(),
        r.path(),
        today,
        &[&["measure"][..], args].concat(),
    )
}

/// The churn plan's measurements written in each style, and the line a
/// reading of 1.75 on 01-26 adds after them.
const STYLES: &[(&str, &str, &str)] = &[
    (
        "block list of flow maps",
        "measurements:\n  - { date: 2027-01-04, value: 1.8 }\n  - { date: 2027-01-19, value: 1.82 }\n",
        "measurements:\n  - { date: 2027-01-04, value: 1.8 }\n  - { date: 2027-01-19, value: 1.82 }\n  - { date: 2027-01-26, value: 1.75 }\n",
    ),
    (
        "block list of block maps, comments between",
        "measurements:\n  # kickoff week\n  - date: 2027-01-04\n    value: 1.8   # baseline week\n\n  - date: 2027-01-19\n    value: 1.82\n",
        "measurements:\n  # kickoff week\n  - date: 2027-01-04\n    value: 1.8   # baseline week\n\n  - date: 2027-01-19\n    value: 1.82\n  - date: 2027-01-26\n    value: 1.75\n",
    ),
    (
        "flow list",
        "measurements: [{date: 2027-01-04, value: 1.8}, {date: 2027-01-19, value: 1.82}]  # 週次\n",
        "measurements: [{date: 2027-01-04, value: 1.8}, {date: 2027-01-19, value: 1.82}, {date: 2027-01-26, value: 1.75}]  # 週次\n",
    ),
    (
        "quoted dates, unindented dashes",
        "measurements:\n- { date: \"2027-01-04\", value: 1.8 }\n- { date: '2027-01-19', value: 1.82 }\n",
        "measurements:\n- { date: \"2027-01-04\", value: 1.8 }\n- { date: '2027-01-19', value: 1.82 }\n- { date: 2027-01-26, value: 1.75 }\n",
    ),
];

const LIST: &str =
    "measurements:\n  - { date: 2027-01-04, value: 1.8 }\n  - { date: 2027-01-19, value: 1.82 }\n";

#[test]
fn a_reading_is_one_line_more_in_every_style() {
    for (style, list, after) in STYLES {
        for (crlf, bom) in [(false, false), (true, true)] {
            let fix = |s: &str| {
                let s = if crlf {
                    s.replace('\n', "\r\n")
                } else {
                    s.to_string()
                };
                if bom { format!("\u{feff}{s}") } else { s }
            };
            let before = fix(&churn().replacen(LIST, list, 1));
            let want = fix(&churn().replacen(LIST, after, 1));
            let r = repo(&before);
            let out = measure(&r, "2027-01-26", &["meal-kit-churn", "1.75%"]);
            assert_eq!(out.code, 0, "{style}: {}", out.stderr);
            assert_eq!(read(&r), want, "{style} (crlf {crlf})");
        }
    }
}

#[test]
fn dry_run_shows_the_edit_and_changes_nothing() {
    let r = repo(&churn());
    let dry = measure(&r, "2027-01-26", &["meal-kit-churn", "1.75", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(read(&r), churn());
    let added: Vec<&str> = dry
        .stdout
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .collect();
    assert_eq!(added, ["+  - { date: 2027-01-26, value: 1.75 }"]);
    assert!(
        dry.stdout
            .starts_with("--- a/content/meal-kit-churn.md\n+++ b/content/meal-kit-churn.md\n")
    );
    // The real edit adds exactly that line.
    let real = measure(&r, "2027-01-26", &["meal-kit-churn", "1.75"]);
    assert_eq!(real.code, 0, "{}", real.stderr);
    let new = read(&r);
    let gained: Vec<&str> = new
        .lines()
        .filter(|l| !churn().lines().any(|o| o == *l))
        .collect();
    assert_eq!(gained, [&added[0][1..]]);
}

#[test]
fn plans_json_changes_only_in_the_new_measurement() {
    let r = repo(&churn());
    let json = |r: &Repo| -> Value {
        let b = run_at(r.path(), r.path(), "2027-01-26", &["build"]);
        assert_eq!(b.code, 0, "{}", b.stderr);
        serde_json::from_slice(&std::fs::read(r.path().join("public/plans.json")).unwrap()).unwrap()
    };
    let mut before = json(&r);
    let out = measure(
        &r,
        "2027-01-26",
        &["meal-kit-churn", "1.75", "--date", "2027-01-25"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let after = json(&r);
    before["plans"][0]["measurements"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"date": "2027-01-25", "value": 1.75}));
    // `progress` (the latest value) follows from the measurement.
    before["plans"][0]["progress"] = after["plans"][0]["progress"].clone();
    assert_eq!(before, after);
    // A task done: its status and done_on, nothing else.
    let mut before = after;
    let out = run_at(
        r.path(),
        r.path(),
        "2027-01-26",
        &[
            "task",
            "meal-kit-churn",
            "done",
            "配信",
            "--milestone",
            "m1",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let after = json(&r);
    let task = &mut before["plans"][0]["milestones"][0]["tasks"][1];
    task["status"] = "done".into();
    task["done_on"] = "2027-01-26".into();
    assert_eq!(before, after);
}

#[test]
fn replace_overwrites_the_days_value_only() {
    let r = repo(&churn());
    let out = measure(
        &r,
        "2027-01-26",
        &["meal-kit-churn", "1.81", "--date", "2027-01-19"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--replace"), "{}", out.stderr);
    let out = measure(
        &r,
        "2027-01-26",
        &[
            "meal-kit-churn",
            "1.81",
            "--date",
            "2027-01-19",
            "--replace",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(read(&r), churn().replace("value: 1.82 }", "value: 1.81 }"));
}

#[test]
fn refusals_leave_the_file_as_it_was() {
    let cases: &[(&str, &[&str], &str)] = &[
        ("unknown plan", &["no-such-plan", "1.7"], "no plan is"),
        (
            "before the latest",
            &["meal-kit-churn", "1.7", "--date", "2027-01-10"],
            "before the latest",
        ),
        ("not a number", &["meal-kit-churn", "abc"], "not a number"),
        ("another unit", &["meal-kit-churn", "1.7pt"], "not a number"),
    ];
    for (what, args, says) in cases {
        let r = repo(&churn());
        let out = measure(&r, "2027-01-26", args);
        assert_eq!(out.code, 2, "{what}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{what}: {}", out.stderr);
        assert_eq!(read(&r), churn(), "{what}");
    }
    // An alias in the list: refused, not guessed.
    let alias = churn().replacen(
        LIST,
        "first: &first { date: 2027-01-04, value: 1.8 }\nmeasurements:\n  - *first\n  - { date: 2027-01-19, value: 1.82 }\n",
        1,
    );
    let r = repo(&alias);
    let out = measure(&r, "2027-01-26", &["meal-kit-churn", "1.7"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(read(&r), alias);
    // A read-only file.
    let r = repo(&churn());
    let path = r.path().join(FILE);
    let mut perm = std::fs::metadata(&path).unwrap().permissions();
    perm.set_readonly(true);
    std::fs::set_permissions(&path, perm).unwrap();
    let out = measure(&r, "2027-01-26", &["meal-kit-churn", "1.7"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("read-only"), "{}", out.stderr);
    assert_eq!(read(&r), churn());
}

#[test]
fn by_path_and_what_lint_now_says() {
    let r = repo(&churn());
    // By path, relative to the working directory; 1.9 % is half of m1's
    // gain the wrong way: the edit introduces KPI002, a warning.
    let out = run_at(
        &r.path().join("content"),
        r.path(),
        "2027-01-26",
        &["measure", "meal-kit-churn.md", "1.9"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("recorded 1.9% on 2027-01-26"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("KPI002"), "{}", out.stderr);
    // A reading in line with the plan introduces nothing.
    let out = measure(
        &r,
        "2027-02-01",
        &["meal-kit-churn", "1.62", "--date", "2027-01-31"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains('['), "{}", out.stderr);
}

fn cmd(r: &Repo, today: &str, args: &[&str]) -> Run {
    run_at(r.path(), r.path(), today, args)
}

/// What an edit did, line by line: the lines it added and the lines it
/// removed, in order (a line diff).
fn changed(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let (mut added, mut gone) = (Vec::new(), Vec::new());
    for change in similar::TextDiff::from_lines(before, after).iter_all_changes() {
        let line = change.value().trim_end_matches(['\n', '\r']).to_string();
        match change.tag() {
            similar::ChangeTag::Insert => added.push(line),
            similar::ChangeTag::Delete => gone.push(line),
            similar::ChangeTag::Equal => {}
        }
    }
    (added, gone)
}

#[test]
fn task_sets_the_status_of_the_one_task_that_matches() {
    let r = repo(&churn());
    // Done: its status, and the day it was done.
    let out = cmd(
        &r,
        "2027-01-25",
        &["task", "meal-kit-churn", "done", "配信"],
    );
    assert_eq!(out.code, 2, "two tasks say 配信: {}", out.stderr);
    assert!(
        out.stderr.contains("m1 dev — 提案メールを配信する") && out.stderr.contains("m2 dev"),
        "{}",
        out.stderr
    );
    assert_eq!(read(&r), churn());
    let out = cmd(
        &r,
        "2027-01-25",
        &[
            "task",
            "meal-kit-churn",
            "done",
            "配信",
            "--milestone",
            "m1",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (added, gone) = changed(&churn(), &read(&r));
    assert_eq!(gone, ["        status: doing"]);
    assert_eq!(
        added,
        ["        status: done", "        done_on: 2027-01-25"]
    );
    // Dropped with a note that needs quotes; matched by role alone.
    let before = read(&r);
    let out = cmd(
        &r,
        "2027-01-25",
        &[
            "task",
            "meal-kit-churn",
            "dropped",
            "--milestone",
            "m1",
            "--role",
            "ds",
            "--note",
            "BI で足りる: 作らない",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (added, gone) = changed(&before, &read(&r));
    assert_eq!(gone, ["        status: todo"]);
    assert_eq!(
        added,
        [
            "        status: dropped",
            "        note: \"BI で足りる: 作らない\""
        ]
    );
    // No match: the tasks are listed, nothing changes.
    let before = read(&r);
    let out = cmd(
        &r,
        "2027-01-25",
        &["task", "meal-kit-churn", "done", "存在しない"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("m2 ds — 好みのクラスタを作る"),
        "{}",
        out.stderr
    );
    assert_eq!(read(&r), before);
    // The plan lints clean and the dropped task is not overdue.
    let (code, v) = r.lint_json();
    assert_eq!(code, 0, "{v}");
    let s = cmd(&r, "2027-01-26", &["status", "--format", "json"]);
    let v: Value = serde_json::from_str(&s.stdout).unwrap();
    assert_eq!(v["plans"][0]["overdue_tasks"], 0, "{v}");
}

#[test]
fn milestone_done_records_the_day_and_the_actual_and_lint_lists_the_review() {
    let r = repo(&churn());
    let out = measure(&r, "2027-01-29", &["meal-kit-churn", "1.58"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let before = read(&r);
    let out = cmd(
        &r,
        "2027-01-29",
        &["milestone", "meal-kit-churn", "m1", "done"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (added, gone) = changed(&before, &read(&r));
    assert_eq!(gone, ["    status: in_progress", "updates: []"]);
    assert_eq!(
        added,
        [
            "    status: done",
            "    done_on: 2027-01-29",
            "    actual: 1.58",
            "updates:",
            "  - date: 2027-01-29",
            "    milestone: m1",
            "    answers:",
            "      - question: 1",
            "        verdict: (supported, refuted or inconclusive)",
            "        finding: (what the data showed)",
            "    story: (what changed in the story, or did not)",
            "    business_model: (what changed in the business model, or did not)",
        ]
    );
    // What the review must write is listed, one placeholder each, as
    // warnings until the review date (02-02) and errors after it.
    let pln004 = |today: &str| -> Vec<String> {
        let (_, v) = r.lint_json_at(today);
        diagnostics(&v)
            .iter()
            .filter(|d| d["rule"] == "PLN004")
            .map(|d| d["severity"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(pln004("2027-02-02"), ["warning"; 4]);
    assert_eq!(pln004("2027-02-03"), ["error"; 4]);
    assert!(out.stderr.contains("PLN004"), "{}", out.stderr);
    assert!(!out.stderr.contains("error["), "{}", out.stderr);
    // Start: the next milestone is in progress; a key it did not have.
    let before = read(&r);
    let out = cmd(
        &r,
        "2027-01-30",
        &["milestone", "meal-kit-churn", "m2", "start"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (added, gone) = changed(&before, &read(&r));
    assert!(gone.is_empty(), "{gone:?}");
    assert_eq!(added, ["    status: in_progress"]);
    // An unknown milestone.
    let out = cmd(
        &r,
        "2027-01-30",
        &["milestone", "meal-kit-churn", "m9", "start"],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("m1, m2"), "{}", out.stderr);
}

#[test]
fn confidence_sets_the_value_and_its_evidence() {
    let r = repo(&churn());
    let out = cmd(
        &r,
        "2027-01-29",
        &[
            "confidence",
            "meal-kit-churn",
            "2.5",
            "--evidence",
            "test_results",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (added, gone) = changed(&churn(), &read(&r));
    assert_eq!(gone, ["  confidence: 1.0", "  evidence: estimates"]);
    assert_eq!(added, ["  confidence: 2.5", "  evidence: test_results"]);
    // Over the cap of its evidence: written, and ICE003 says so.
    let out = cmd(
        &r,
        "2027-01-29",
        &[
            "confidence",
            "meal-kit-churn",
            "5",
            "--evidence",
            "opinions",
        ],
    );
    assert!(out.stderr.contains("ICE003"), "{}", out.stderr);
    // An unknown kind: refused, with the kinds there are.
    let before = read(&r);
    let out = cmd(
        &r,
        "2027-01-29",
        &["confidence", "meal-kit-churn", "2", "--evidence", "vibes"],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("test_results"), "{}", out.stderr);
    assert_eq!(read(&r), before);
}

#[test]
fn measure_from_csv_imports_the_rows_not_recorded_yet() {
    let r = repo(&churn());
    let csv = "date,value\n2027-01-04,1.8\n2027-01-19,1.82\n2027-02-02,1.68\n2027-01-26,1.75%\n2027-01-10,1.79\nbad,row\n";
    r.file("week.csv", csv);
    let out = measure(&r, "2027-02-02", &["meal-kit-churn", "--from", "week.csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (added, gone) = changed(&churn(), &read(&r));
    assert!(gone.is_empty(), "{gone:?}");
    assert_eq!(
        added,
        [
            "  - { date: 2027-01-26, value: 1.75 }",
            "  - { date: 2027-02-02, value: 1.68 }"
        ]
    );
    // What it skipped, and why: a day before the latest, a bad row.
    assert!(out.stderr.contains("line 6 (2027-01-10)"), "{}", out.stderr);
    assert!(out.stderr.contains("`bad` is not a date"), "{}", out.stderr);
    assert!(
        out.stderr.contains("recorded 2 measurement(s)"),
        "{}",
        out.stderr
    );
    // Again, from standard input: nothing new.
    let before = read(&r);
    let again = std::process::Command::new(bin())
        .args(["--root"])
        .arg(r.path())
        .args([
            "--today",
            "2027-02-02",
            "measure",
            "meal-kit-churn",
            "--from",
            "-",
        ])
        .stdin(std::fs::File::open(r.path().join("week.csv")).unwrap())
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stderr).contains("no new measurements"));
    assert_eq!(read(&r), before);
}

/// Six weeks of the churn plan recorded with the commands alone, no hand
/// edit: after four the plan lints clean but for what m1's review must
/// write (warnings), and `status` and `report` show what was recorded;
/// after six, with the review date passed and nothing written, those
/// placeholders — and only they — are errors.
#[test]
fn six_weeks_of_the_workshop_cycle_with_commands_only() {
    let r = repo(&churn());
    let steps: &[(&str, &[&str])] = &[
        (
            "2027-01-22",
            &[
                "task",
                "meal-kit-churn",
                "done",
                "配信",
                "--milestone",
                "m1",
            ],
        ),
        (
            "2027-01-22",
            &[
                "task",
                "meal-kit-churn",
                "dropped",
                "ダッシュボード",
                "--note",
                "既存の BI で足りる",
            ],
        ),
        ("2027-01-26", &["measure", "meal-kit-churn", "1.7%"]),
        ("2027-01-29", &["measure", "meal-kit-churn", "1.58"]),
        ("2027-01-29", &["milestone", "meal-kit-churn", "m1", "done"]),
        (
            "2027-01-29",
            &[
                "confidence",
                "meal-kit-churn",
                "2.5",
                "--evidence",
                "test_results",
            ],
        ),
        (
            "2027-01-30",
            &["milestone", "meal-kit-churn", "m2", "start"],
        ),
        (
            "2027-02-01",
            &["task", "meal-kit-churn", "doing", "対象会員"],
        ),
    ];
    for (today, args) in steps {
        let out = cmd(&r, today, args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    }
    let (code, v) = r.lint_json_at("2027-02-01");
    assert_eq!(code, 0, "{v}");
    let mut rules: Vec<String> = diagnostics(&v)
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["rule"].as_str().unwrap(),
                d["severity"].as_str().unwrap()
            )
        })
        .collect();
    rules.sort();
    // Only what m1's review must write: its answer's verdict and finding,
    // the story and the business model.
    assert_eq!(rules, ["PLN004 warning"; 4]);
    let s = cmd(&r, "2027-02-01", &["status", "--format", "json"]);
    let s: Value = serde_json::from_str(&s.stdout).unwrap();
    let p = &s["plans"][0];
    assert_eq!(p["state"], "on-track", "{p}");
    assert_eq!(p["latest"]["value"], 1.58);
    assert_eq!(p["next_milestone"]["id"], "m2");
    assert_eq!(p["overdue_tasks"], 0);
    let rep = cmd(
        &r,
        "2027-02-01",
        &["report", "--since", "2027-01-20", "--format", "json"],
    );
    let rep: Value = serde_json::from_str(&rep.stdout).unwrap();
    let p = &rep["plans"][0];
    assert_eq!(p["milestones_finished"][0]["actual"], 1.58);
    assert_eq!(p["confidence"]["now"]["value"], 2.5);
    assert_eq!(p["measurements"].as_array().map(Vec::len), Some(2));
    // Weeks five and six: m2's work and readings.
    let steps: &[(&str, &[&str])] = &[
        ("2027-02-08", &["measure", "meal-kit-churn", "1.55"]),
        (
            "2027-02-10",
            &["task", "meal-kit-churn", "done", "対象会員"],
        ),
        (
            "2027-02-12",
            &["task", "meal-kit-churn", "done", "クラスタ"],
        ),
        ("2027-02-15", &["measure", "meal-kit-churn", "1.5"]),
    ];
    for (today, args) in steps {
        let out = cmd(&r, today, args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    }
    let (_, v) = r.lint_json_at("2027-02-15");
    let rules: Vec<String> = diagnostics(&v)
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["rule"].as_str().unwrap(),
                d["severity"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(rules, ["PLN004 error"; 4]);
    let rep = cmd(
        &r,
        "2027-02-15",
        &["report", "--since", "2027-02-01", "--format", "json"],
    );
    let rep: Value = serde_json::from_str(&rep.stdout).unwrap();
    assert_eq!(rep["plans"][0]["kpi"]["to"]["value"], 1.5);
}

/// The churn plan in one of the shapes the format allows: measurements as
/// a block list of flow maps, of block maps, or a flow list; tasks as
/// block or one-line flow maps; LF or CRLF; with or without a BOM.
fn styled(x: u64) -> String {
    let mut text = churn();
    match x % 3 {
        1 => {
            text = text.replacen(
                LIST,
                "measurements:\n  # weekly\n  - date: 2027-01-04\n    value: 1.8\n  - date: 2027-01-19\n    value: 1.82   # after the mail\n",
                1,
            )
        }
        2 => {
            text = text.replacen(
                LIST,
                "measurements: [{date: 2027-01-04, value: 1.8}, {date: 2027-01-19, value: 1.82}]\n",
                1,
            )
        }
        _ => {}
    }
    if (x >> 3) % 2 == 1 {
        // Every task on one line: `- { role: …, do: …, … }`.
        let mut out = String::new();
        let mut task: Vec<String> = Vec::new();
        let flush = |task: &mut Vec<String>, out: &mut String| {
            if !task.is_empty() {
                out.push_str(&format!("      - {{ {} }}\n", task.join(", ")));
                task.clear();
            }
        };
        for line in text.lines() {
            if let Some(first) = line.strip_prefix("      - role: ") {
                flush(&mut task, &mut out);
                task.push(format!("role: {first}"));
            } else if !task.is_empty() && line.starts_with("        ") {
                // A comma ends a value in a flow mapping: quote it.
                let kv = line.trim();
                task.push(match kv.split_once(": ") {
                    Some((k, v)) if v.contains(',') => format!("{k}: \"{v}\""),
                    _ => kv.to_string(),
                });
            } else {
                flush(&mut task, &mut out);
                out.push_str(line);
                out.push('\n');
            }
        }
        text = out;
    }
    if (x >> 5) % 2 == 1 {
        text = text.replace('\n', "\r\n");
    }
    if (x >> 7) % 2 == 1 {
        text = format!("\u{feff}{text}");
    }
    text
}

/// Generated plans and command sequences: every edit's `--dry-run` shows
/// exactly the lines the real edit changes, the file always parses, and
/// every finding the edit brings is one the command printed.
#[test]
fn generated_plans_and_command_sequences() {
    let roles = ["pm", "dev", "ds"];
    let statuses = ["todo", "doing", "done", "dropped"];
    let findings = |r: &Repo, today: &str| -> Vec<(String, String)> {
        let (_, v) = r.lint_json_at(today);
        diagnostics(&v)
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().to_string(),
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (mut edits, mut refusals) = (0, 0);
    for (i, x) in (1..=24u64).map(|i| (i, i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 7)) {
        let r = repo(&styled(x));
        let mut day = chrono::NaiveDate::from_ymd_opt(2027, 1, 20).unwrap();
        for step in 0..5u64 {
            day += chrono::Duration::days(3);
            let today = day.to_string();
            let y = x.rotate_left((step * 11) as u32);
            let value = format!("1.{}", 60 + (y % 30));
            let args: Vec<String> = match y % 4 {
                0 => vec!["measure".into(), "meal-kit-churn".into(), value],
                1 => vec![
                    "task".into(),
                    "meal-kit-churn".into(),
                    statuses[(y / 4 % 4) as usize].into(),
                    "--milestone".into(),
                    format!("m{}", 1 + y / 16 % 2),
                    "--role".into(),
                    roles[(y / 32 % 3) as usize].into(),
                ],
                2 => vec![
                    "milestone".into(),
                    "meal-kit-churn".into(),
                    "m1".into(),
                    ["start", "done", "missed"][(y / 4 % 3) as usize].into(),
                    "--actual".into(),
                    value,
                ],
                _ => vec![
                    "confidence".into(),
                    "meal-kit-churn".into(),
                    format!("0.{}", 1 + y % 9),
                    "--evidence".into(),
                    "estimates".into(),
                ],
            };
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let before = read(&r);
            let lint_before = findings(&r, &today);
            let dry = cmd(&r, &today, &[&args[..], &["--dry-run"]].concat());
            assert_eq!(read(&r), before, "{i}/{step} {args:?}: --dry-run wrote");
            let real = cmd(&r, &today, &args);
            let what = format!("{i}/{step} {args:?}");
            if dry.code == 2 {
                assert_eq!(real.code, 2, "{what}: {}", real.stderr);
                assert_eq!(read(&r), before, "{what}: a refusal wrote");
                refusals += 1;
                continue;
            }
            edits += 1;
            assert_ne!(real.code, 2, "{what}: {}", real.stderr);
            let after = read(&r);
            // The dry run's diff is the real edit's.
            let (added, gone) = changed(&before, &after);
            let plus: Vec<String> = dry
                .stdout
                .lines()
                .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
                .map(|l| l[1..].trim_end_matches('\r').to_string())
                .collect();
            let minus: Vec<String> = dry
                .stdout
                .lines()
                .filter(|l| l.starts_with('-') && !l.starts_with("---"))
                .map(|l| l[1..].trim_end_matches('\r').to_string())
                .collect();
            let strip = |v: Vec<String>| -> Vec<String> {
                v.into_iter()
                    .map(|l| l.trim_start_matches('\u{feff}').to_string())
                    .collect()
            };
            assert_eq!(strip(added), strip(plus), "{what}");
            assert_eq!(strip(gone), strip(minus), "{what}");
            // Line endings and the BOM are the file's.
            assert_eq!(
                after.starts_with('\u{feff}'),
                before.starts_with('\u{feff}'),
                "{what}"
            );
            if before.contains("\r\n") {
                assert!(
                    !after.replace("\r\n", "").contains('\n'),
                    "{what}: a bare LF"
                );
            }
            // It parses, and what lint says new was announced.
            let lint_after = findings(&r, &today);
            assert!(
                !lint_after.iter().any(|(rule, _)| rule == "PLN001"),
                "{what}: {lint_after:?}"
            );
            for (rule, message) in &lint_after {
                if !lint_before.contains(&(rule.clone(), message.clone())) {
                    assert!(
                        real.stderr.contains(rule.as_str()),
                        "{what}: {rule} not announced: {}",
                        real.stderr
                    );
                }
            }
        }
    }
    // Every step names one task and moves the date on: all edit (the
    // refusals have tests of their own).
    assert_eq!((edits, refusals), (120, 0));
}

#[test]
fn a_plan_is_found_by_the_id_its_frontmatter_declares() {
    // The file's name is not the id: the frontmatter's `id:` line finds it.
    let r = Repo::new();
    r.file("content/team-a/churn.md", &churn());
    let out = measure(&r, "2027-01-26", &["meal-kit-churn", "1.75"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(r.path().join("content/team-a/churn.md")).unwrap();
    assert!(
        text.contains("  - { date: 2027-01-26, value: 1.75 }\n"),
        "{text}"
    );
    // Two files that declare it: give a path.
    r.file("content/team-b/copy.md", &churn());
    let out = measure(&r, "2027-01-27", &["meal-kit-churn", "1.74"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("content/team-a/churn.md")
            && out.stderr.contains("content/team-b/copy.md"),
        "{}",
        out.stderr
    );
}
