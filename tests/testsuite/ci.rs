//! Publishing from CI: `planbook diff` in each format, the code-quality
//! report, and the shipped workflow files (they parse, and the GitHub
//! workflow's commands succeed on a clone of the demo content).

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::support::*;
use crate::versions::git;

fn alpha() -> String {
    base_plan().replace("id: base-plan\n", "")
}

/// A base commit on `main` and a change commit on branch `change`: m2
/// re-dated, its target raised, a task done, an update added, and m1's
/// target removed (a lint error).
fn change_repo() -> Repo {
    let repo = Repo::new();
    let dir = repo.path();
    git(dir, "2027-02-01", &["init", "-q"]);
    repo.file("content/alpha.md", &alpha());
    git(dir, "2027-02-01", &["add", "-A"]);
    git(dir, "2027-02-01", &["commit", "-q", "-m", "base"]);
    git(dir, "2027-02-02", &["checkout", "-q", "-b", "change"]);
    let changed = alpha()
        .replace("    due: 2027-02-28\n    target: 3.0", "    due: 2027-03-01\n    target: 3.2")
        .replace("review: 2027-03-02", "review: 2027-03-03")
        .replace(
            "        done_when: 500 人の同意が記録されている\n        due: 2027-02-20",
            "        done_when: 500 人の同意が記録されている\n        due: 2027-02-20\n        status: done",
        )
        .replace("    target: 2.5\n", "")
        .replace(
            "meetings:\n",
            "  - date: 2027-02-10\n    milestone: m1\n    answered: 上位 10 件でも登録率は上がる\n    answers:\n      - question: 1\n        verdict: refuted\n        finding: 新規顧客には効かない\n    story: 新規顧客は別\nmeetings:\n",
        );
    repo.file("content/alpha.md", &changed);
    git(dir, "2027-02-02", &["commit", "-q", "-am", "change"]);
    repo
}

const CHANGES: &[&str] = &[
    "m2 moved from 2027-02-28 to 2027-03-01",
    "m2 target 3 → 3.2",
    "task done in m2 (pm): 対象顧客を選ぶ",
    "new update for m1 (2027-02-10): 上位 10 件でも登録率は上がる",
    "m1 target 2.5 → —",
    "m1 question 1 \"推薦枠を置くだけでお気に入り登録は増えるか\": refuted (新規顧客には効かない)",
];

#[test]
fn diff_names_every_change_in_each_format() {
    let repo = change_repo();
    let human = repo.run(&["diff", "main", "change"]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    let md = repo.run(&["diff", "--format", "markdown"]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(
        md.stdout
            .starts_with("<!-- planbook-diff -->\n## Plan changes: merge-base with main")
    );
    for out in [&human.stdout, &md.stdout] {
        for c in CHANGES {
            assert!(out.contains(c), "missing {c:?} in\n{out}");
        }
        assert!(out.contains("MIL"), "new finding missing in\n{out}");
    }

    let json = repo.run(&["diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["base"]["rev"], "HEAD~1");
    assert_eq!(v["head"]["commit"].as_str().unwrap().len(), 40);
    assert_eq!(v["added"], Value::Array(vec![]));
    assert_eq!(v["removed"], Value::Array(vec![]));
    let changed = v["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["id"], "alpha");
    let kinds: Vec<&str> = changed[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    for k in [
        "milestone_redated",
        "target_changed",
        "task_done",
        "update_added",
        "question_answered",
    ] {
        assert!(kinds.contains(&k), "{k} not in {kinds:?}");
    }
    let answered = &changed[0]["changes"][kinds
        .iter()
        .position(|k| *k == "question_answered")
        .unwrap()];
    assert_eq!(answered["milestone"], "m1");
    assert_eq!(answered["index"], 1);
    assert_eq!(answered["verdict"], "refuted");
    assert_eq!(answered["finding"], "新規顧客には効かない");
    let redated = &changed[0]["changes"][kinds
        .iter()
        .position(|k| *k == "milestone_redated")
        .unwrap()];
    assert_eq!(redated["milestone"], "m2");
    assert_eq!(redated["from"], "2027-02-28");
    assert_eq!(redated["to"], "2027-03-01");
    assert_eq!(redated["text"], "m2 moved from 2027-02-28 to 2027-03-01");
    let introduced = v["findings"]["introduced"].as_array().unwrap();
    assert!(
        introduced
            .iter()
            .any(|f| f["severity"] == "error" && f["file"] == "content/alpha.md"),
        "{introduced:?}"
    );
    assert_eq!(v["summary"]["changed"], 1);
}

#[test]
fn diff_outside_git_exits_2_with_a_message() {
    let repo = Repo::new();
    repo.file("content/alpha.md", &alpha());
    let r = repo.run(&["diff"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("needs git history"), "{}", r.stderr);
    let repo = change_repo();
    let r = repo.run(&["diff", "no-such-rev"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown git revision `no-such-rev`"),
        "{}",
        r.stderr
    );
}

#[test]
fn codequality_report_names_each_finding() {
    let repo = Repo::new();
    repo.file(
        "content/alpha.md",
        &alpha().replace("    target: 2.5\n", ""),
    );
    let r = repo.run(&["lint", "--format", "codequality"]);
    assert_eq!(r.code, 1);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let issues = v.as_array().unwrap();
    assert!(!issues.is_empty());
    for i in issues {
        assert_eq!(i["location"]["path"], "content/alpha.md");
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() > 0);
        assert_eq!(i["fingerprint"].as_str().unwrap().len(), 40);
        assert!(["info", "minor", "major"].contains(&i["severity"].as_str().unwrap()));
    }
    let again = repo.run(&["lint", "--format", "codequality"]);
    assert_eq!(again.stdout, r.stdout, "fingerprints are stable");
}

pub fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A YAML file of this repository (a workflow, `action.yml`) as JSON.
pub fn workflow(rel: &str) -> Value {
    let text = std::fs::read_to_string(manifest().join(rel)).unwrap();
    let (node, errors) = planbook::yaml::parse_full(&text, 1);
    assert!(errors.is_empty(), "{rel}: {errors:?}");
    node.unwrap().to_json()
}

#[test]
fn workflow_files_parse_as_yaml() {
    let gh = workflow("ci/github/planbook.yml");
    let steps = gh["jobs"]["plans"]["steps"].as_array().unwrap();
    assert!(
        steps[0]["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/checkout@"),
        "{}",
        steps[0]["uses"]
    );
    assert_eq!(steps[0]["with"]["persist-credentials"], false);
    assert_eq!(steps[0]["with"]["fetch-depth"], 0);
    assert!(
        gh["jobs"]["deploy"]["steps"][0]["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/deploy-pages@")
    );
    // Time-dependent pages are rebuilt and deployed without a push: weekly
    // and on demand, with the Pages steps running on those events too.
    let cron = gh["on"]["schedule"][0]["cron"].as_str().unwrap();
    assert_eq!(cron.split(' ').nth(4), Some("1"), "on Mondays: {cron}");
    assert!(gh["on"].get("workflow_dispatch").is_some());
    assert_eq!(
        gh["jobs"]["deploy"]["if"],
        "github.event_name != 'pull_request'"
    );
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .unwrap();
    assert_eq!(upload["if"], "github.event_name != 'pull_request'");
    let gl = workflow("ci/gitlab/.gitlab-ci.yml");
    assert_eq!(gl["variables"]["GIT_DEPTH"], 0);
    assert_eq!(gl["pages"]["artifacts"]["paths"][0], "public");
    assert_eq!(
        gl["lint"]["artifacts"]["reports"]["codequality"],
        "gl-code-quality-report.json"
    );
}

/// Replaces the `${{ … }}` expressions the workflow's commands use with
/// what GitHub would give a pull request against `main`.
fn expand(s: &str) -> String {
    s.replace("${{ github.base_ref }}", "main")
}

/// Runs every `run:` step of the GitHub workflow (hosted `uses:` actions
/// left out, and the comment, which calls GitHub's API) in a clone of the
/// demo with a pull-request branch, as GitHub's default shell does, with
/// planbook on PATH (the planbook action's own test is in release.rs).
#[test]
fn github_workflow_commands_succeed_on_the_demo() {
    let tmp = tempfile::tempdir().unwrap();
    let upstream = tmp.path().join("upstream");
    std::fs::create_dir_all(&upstream).unwrap();
    for entry in walkdir::WalkDir::new(manifest().join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(manifest()).unwrap();
        let dest = upstream.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
    std::fs::copy(manifest().join("book.toml"), upstream.join("book.toml")).unwrap();
    git(&upstream, "2026-11-20", &["init", "-q"]);
    git(&upstream, "2026-11-20", &["add", "-A"]);
    git(
        &upstream,
        "2026-11-20",
        &["commit", "-q", "-m", "Plans from the workshop"],
    );
    git(&upstream, "2026-11-20", &["tag", "v2026-11-20"]);
    let clone = tmp.path().join("clone");
    git(
        tmp.path(),
        "2026-11-27",
        &[
            "clone",
            "-q",
            upstream.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    git(&clone, "2026-11-27", &["checkout", "-q", "-b", "pr"]);
    let plan = clone.join("content/favorites-reco.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    let changed = text.replacen("    target: 3.2\n", "    target: 3.4\n", 1);
    assert_ne!(
        changed, text,
        "the demo's m2 target moved: update this test"
    );
    std::fs::write(&plan, changed).unwrap();
    git(
        &clone,
        "2026-11-27",
        &["commit", "-q", "-am", "Raise m2's target"],
    );

    let bin_dir = bin().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let wf = workflow("ci/github/planbook.yml");
    let env: Vec<(String, String)> = wf["env"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
        .collect();
    let mut ran = Vec::new();
    for step in wf["jobs"]["plans"]["steps"].as_array().unwrap() {
        let Some(run) = step["run"].as_str() else {
            continue;
        };
        if step["name"] == "Comment on the pull request" {
            assert!(run.contains("gh api"), "{run}");
            continue;
        }
        let mut cmd = Command::new("bash");
        cmd.args([
            "--noprofile",
            "--norc",
            "-eo",
            "pipefail",
            "-c",
            &expand(run),
        ])
        .current_dir(&clone)
        .env("PATH", &path)
        .env("PLANBOOK_TODAY", "2026-11-28")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        if let Some(vars) = step["env"].as_object() {
            for (k, v) in vars {
                cmd.env(k, expand(v.as_str().unwrap_or_default()));
            }
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "step {:?} failed:\n{}\n{}",
            step["name"],
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran.push(step["name"].as_str().unwrap_or_default().to_string());
    }
    assert_eq!(
        ran,
        [
            "Lint",
            "Lint report for code scanning",
            "Build",
            "Plan changes"
        ]
    );
    let public = clone.join("public");
    assert!(public.join("index.html").is_file());
    assert!(
        public
            .join("v/v2026-11-20/plans/favorites-reco/index.html")
            .is_file()
    );
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(clone.join("planbook.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let comment = std::fs::read_to_string(clone.join("plan-diff.md")).unwrap();
    assert!(comment.starts_with("<!-- planbook-diff -->"), "{comment}");
    assert!(comment.contains("m2 の目標: 3.2 → 3.4"), "{comment}");
}

/// The GitHub workflow passes actionlint (with shellcheck for the `run:`
/// scripts) with no finding: deprecated action runtimes, bad expressions
/// and shell mistakes fail here before they fail on GitHub. `.ci/run`
/// installs actionlint and shellcheck from PyPI; without them the test
/// says so and passes.
#[test]
fn github_workflow_passes_actionlint() {
    let Ok(out) = Command::new("actionlint")
        .arg("-no-color")
        .arg(manifest().join("ci/github/planbook.yml"))
        .output()
    else {
        eprintln!("actionlint is not installed: skipped (.ci/run installs it)");
        return;
    };
    assert!(
        out.status.success(),
        "actionlint found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Both CI files validate against the published GitHub workflow and GitLab
/// CI schemas (check-jsonschema's built-in copies; `.ci/run` installs it).
#[test]
fn ci_files_validate_against_the_published_schemas() {
    for (schema, file) in [
        ("vendor.github-workflows", "ci/github/planbook.yml"),
        ("vendor.gitlab-ci", "ci/gitlab/.gitlab-ci.yml"),
    ] {
        let Ok(out) = Command::new("check-jsonschema")
            .args(["--builtin-schema", schema])
            .arg(manifest().join(file))
            .output()
        else {
            eprintln!("check-jsonschema is not installed: skipped (.ci/run installs it)");
            return;
        };
        assert!(
            out.status.success(),
            "{file} does not validate against {schema}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
