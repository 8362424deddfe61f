//! The command line end to end: exit codes, formats, paths, init/new/schema.

use crate::support::*;

fn demo_root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn demo_content_reports_only_the_deliberate_findings() {
    let root = demo_root();
    let r = run_at(&root, &root, "2026-11-28", &["lint", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = diagnostics(&v);
    assert!(!d.is_empty());
    assert!(
        d.iter()
            .all(|d| d["plan"] == "top-page-pv" && d["severity"] != "error"),
        "{d:?}"
    );
    let mut rules: Vec<&str> = d.iter().map(|d| d["rule"].as_str().unwrap()).collect();
    rules.sort_unstable();
    assert_eq!(
        rules,
        [
            "KPI002", "MET005", "MIL006", "MIL007", "MIL011", "MIL013", "MIL015", "MIL016",
            "MTG004", "MTG004", "TSK004"
        ]
    );
    assert_eq!(v["summary"]["plans"], 3);
    assert_eq!(v["summary"]["warnings"], 10);
    assert_eq!(v["summary"]["infos"], 1);
}

/// English, with the first milestone due within one month of start.
const LATE_M1: &str = "[site]\nlanguage = \"en\"\n[lint]\nfirst_milestone_months = 1\n";

#[test]
fn json_output_has_the_spec_shape() {
    let repo = Repo::new();
    // A one-month limit makes m1 (due 2027-01-31) late: MIL002 alone.
    repo.file("book.toml", LATE_M1);
    repo.file("content/a.md", &base_plan());
    let (code, v) = repo.lint_json();
    assert_eq!(code, 1);
    let d = &diagnostics(&v)[0];
    for key in [
        "rule", "severity", "file", "line", "column", "plan", "message",
    ] {
        assert!(d.get(key).is_some(), "missing {key}");
    }
    assert_eq!(d["file"], "content/a.md");
    assert_eq!(d["plan"], "base-plan");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        v["summary"],
        serde_json::json!({"plans": 1, "errors": 1, "warnings": 0, "infos": 0})
    );
}

#[test]
fn human_output_looks_like_rustc() {
    let repo = Repo::new();
    let text = base_plan();
    repo.file("book.toml", LATE_M1);
    repo.file("content/a.md", &text);
    let r = repo.run(&["lint"]);
    assert_eq!(r.code, 1);
    let (line, col) = pos_of(&text, "", "2027-01-31");
    assert!(r.stdout.contains("error[MIL002]: "), "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!("--> content/a.md:{line}:{col}")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("    due: 2027-01-31"), "{}", r.stdout);
    assert!(r.stdout.contains("^^^^^^^^^^"), "{}", r.stdout);
    assert!(r.stdout.contains("1 error in 1 plan"), "{}", r.stdout);
    assert!(!r.stdout.contains('\u{1b}'), "no colour with --color never");
}

#[test]
fn github_and_sarif_formats() {
    let repo = Repo::new();
    repo.file(
        "content/a.md",
        &base_plan().replace("cost_days: 10", "cost_days: 25"),
    );
    let r = repo.run(&["lint", "--format", "github"]);
    assert_eq!(r.code, 0);
    let line = r.stdout.lines().next().unwrap();
    assert!(
        line.starts_with("::warning file=content/a.md,line=")
            && line.contains(",col=")
            && line.contains(",title=MIL006::"),
        "{line}"
    );
    let r = repo.run(&["lint", "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 41);
    let res = &run["results"][0];
    assert_eq!(res["ruleId"], "MIL006");
    assert_eq!(res["level"], "warning");
    assert_eq!(
        res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "content/a.md"
    );
    let idx = res["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], "MIL006");
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let repo = Repo::new();
    repo.file(
        "content/a.md",
        &base_plan().replace("cost_days: 10", "cost_days: 25"),
    );
    assert_eq!(repo.run(&["lint"]).code, 0);
    assert_eq!(repo.run(&["lint", "--deny-warnings"]).code, 1);
}

#[test]
fn lint_paths_select_plans_inside_content() {
    let repo = Repo::new();
    repo.file(
        "content/a.md",
        &base_plan()
            .replace("cost_days: 10", "cost_days: 25")
            .replace("base-plan", "a"),
    );
    repo.file(
        "content/sub/b.md",
        &base_plan()
            .replace("impact: 8", "impact: 11")
            .replace("base-plan", "b"),
    );
    let r = run_in(
        repo.path(),
        repo.path(),
        &["lint", "--format", "json", "content/sub"],
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = diagnostics(&v);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["file"], "content/sub/b.md");
    assert_eq!(v["summary"]["plans"], 1);
    assert_eq!(r.code, 1);
    let r = run_in(repo.path(), repo.path(), &["lint", "content/a.md"]);
    assert_eq!(r.code, 0);
    // Outside the content directory: exit 2 with a message.
    let r = run_in(repo.path(), repo.path(), &["lint", "book.toml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("not inside the content directory"),
        "{}",
        r.stderr
    );
}

#[test]
fn missing_content_and_bad_config_exit_2() {
    let empty = Repo::empty();
    for cmd in ["lint", "build"] {
        let r = empty.run(&[cmd]);
        assert_eq!(r.code, 2, "{cmd}");
        assert!(r.stderr.contains("content"), "{cmd}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"));
    }
    let repo = Repo::new();
    repo.file("book.toml", "[site]\ntitel = \"x\"\n");
    let r = repo.run(&["lint"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("book.toml") && r.stderr.contains("titel"),
        "{}",
        r.stderr
    );
    repo.file("book.toml", "[lint.rules]\nMIL999 = \"off\"\n");
    assert_eq!(repo.run(&["lint"]).code, 2);
    repo.file("book.toml", "[lint.rules]\nMIL006 = \"loud\"\n");
    assert_eq!(repo.run(&["lint"]).code, 2);
    // Usage errors are 2 as well.
    assert_eq!(repo.run(&["lint", "--format", "xml"]).code, 2);
}

#[test]
fn init_writes_a_repo_that_lints_clean_and_new_adds_plans() {
    let dir = Repo::empty();
    let r = dir.run(&["init"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(dir.path().join("book.toml").is_file());
    assert!(dir.path().join("plan.schema.json").is_file());
    let (code, v) = dir.lint_json();
    assert_eq!(diagnostics(&v), Vec::<serde_json::Value>::new());
    assert_eq!(code, 0);
    // init never overwrites.
    assert_eq!(dir.run(&["init"]).code, 2);

    let r = dir.run(&["new", "second-plan"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(dir.path().join("content/second-plan.md")).unwrap();
    assert!(text.contains(&format!("start: {TODAY}")), "{text}");
    // The draft lists every placeholder left to fill in, as warnings, and
    // nothing else.
    let (code, v) = dir.lint_json();
    let d = diagnostics(&v);
    assert_eq!(code, 0);
    assert!(
        d.iter().all(|d| d["rule"] == "PLN004"
            && d["severity"] == "warning"
            && d["file"] == "content/second-plan.md"),
        "{d:?}"
    );
    let placeholders = text
        .lines()
        .filter(|l| l.contains('（') || l.contains("\"("))
        .count();
    assert_eq!(d.len(), placeholders, "{d:?}");
    assert!(d.len() >= 20, "{}", d.len());
    // Every number the team must choose is a placeholder too, reported
    // once (PLN004, not also as a wrong type).
    let paths: Vec<&str> = d.iter().filter_map(|d| d["message"].as_str()).collect();
    for key in [
        "ice.impact",
        "ice.ease",
        "metric.unit",
        "metric.baseline",
        "milestones[0].target",
        "milestones[1].target",
        "milestones[0].cost_days",
        "milestones[1].cost_days",
    ] {
        assert!(
            paths.iter().any(|m| m.contains(&format!("`{key}`"))),
            "{key} is not a placeholder: {paths:?}"
        );
    }
    // The summary says how a draft becomes a plan.
    let human = dir.run(&["lint"]);
    assert!(
        human.stdout.contains("content/second-plan.md")
            && human.stdout.contains("`status: active`"),
        "{}",
        human.stdout
    );
    // Filled in, the draft lints clean.
    let filled = text
        .replace("\"（開始時の値）\"", "2.0")
        .replace("\"（m1 の目標値）\"", "2.5")
        .replace("\"（m2 の目標値）\"", "3.0")
        .replace("\"（1〜10）\"", "5")
        .replace("\"（人日）\"", "5")
        .replace("（", "")
        .replace("）", "")
        .replace("status: draft", "status: active");
    std::fs::write(dir.path().join("content/second-plan.md"), &filled).unwrap();
    let (code, v) = dir.lint_json();
    assert_eq!(diagnostics(&v), Vec::<serde_json::Value>::new());
    assert_eq!(code, 0);
    assert_eq!(dir.run(&["new", "second-plan"]).code, 2);
    assert_eq!(dir.run(&["new", "Bad_Id"]).code, 2);

    // init into a named directory, in English.
    let parent = Repo::empty();
    let r = run_in(parent.path(), parent.path(), &["init", "plans"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(parent.path().join("plans/content/first-plan.md").is_file());
}

#[test]
fn schema_is_json_schema() {
    let r = Repo::empty().run(&["schema"]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(v["additionalProperties"], false);
    assert!(v["properties"]["milestones"]["items"]["properties"]["tasks"].is_object());
}

#[test]
fn japanese_messages_by_default() {
    let repo = Repo::new();
    repo.file("book.toml", "");
    repo.file(
        "content/a.md",
        &base_plan().replace("cost_days: 10", "cost_days: 25"),
    );
    let (_, v) = repo.lint_json();
    let msg = diagnostics(&v)[0]["message"].as_str().unwrap().to_string();
    assert!(msg.contains("人日"), "{msg}");
}

#[test]
fn every_rule_is_documented() {
    let docs = include_str!("../../docs/rules.md");
    for r in planbook::rules::RULES {
        assert!(
            docs.contains(&format!("| {} |", r.id)),
            "{} missing from docs/rules.md",
            r.id
        );
    }
}

#[test]
fn version_names_the_commit_and_the_target() {
    let r = Repo::new();
    let out = r.run(&["--version"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // `planbook 0.1.0 (abc1234567 x86_64-unknown-linux-gnu)`
    let line = out.stdout.trim();
    let inner = line
        .strip_prefix(&format!("planbook {} (", env!("CARGO_PKG_VERSION")))
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{line}"));
    let (commit, target) = inner.split_once(' ').unwrap_or_else(|| panic!("{line}"));
    assert!(
        !commit.is_empty() && commit.chars().all(|c| c.is_ascii_alphanumeric()),
        "{line}"
    );
    assert!(target.split('-').count() >= 3, "{line}");
}

/// Completion scripts and the man page are accepted by what reads them:
/// bash always; zsh, fish and groff where this machine has them.
#[test]
fn completions_and_the_man_page_parse() {
    use std::process::{Command, Stdio};
    let r = Repo::new();
    let has = |tool: &str| Command::new(tool).arg("--version").output().is_ok();
    let check = |shell: &str, tool: &str, args: &[&str]| {
        let out = r.run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(
            out.stdout.contains("planbook") && out.stdout.contains("measure"),
            "{shell}"
        );
        if !has(tool) {
            eprintln!("skipping the {shell} syntax check: no {tool} here");
            return;
        }
        let file = r.path().join(format!("planbook.{shell}"));
        std::fs::write(&file, &out.stdout).unwrap();
        let status = Command::new(tool)
            .args(args)
            .arg(&file)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{tool} rejects the {shell} completions");
    };
    check("bash", "bash", &["-n"]);
    check("zsh", "zsh", &["-n"]);
    check("fish", "fish", &["--no-execute"]);
    for shell in ["powershell", "elvish"] {
        let out = r.run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains("planbook"), "{shell}");
    }
    let man = r.run(&["man"]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(man.stdout.contains(".TH planbook 1") && man.stdout.contains("measure"));
    if has("groff") {
        let file = r.path().join("planbook.1");
        std::fs::write(&file, &man.stdout).unwrap();
        let out = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "groff warnings");
    }
    // A reader that stops early is no error.
    let mut child = Command::new(bin())
        .arg("man")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
