//! Installing planbook: the release workflow, the GitHub Action and its
//! install script, the binstall metadata, the Dockerfile and the scripts
//! that pack the archives. Everything here runs offline: the action and
//! the install script download from a loopback server that serves a
//! release directory packed from the binary under test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::search::serve;
use crate::support::*;

use crate::ci::{manifest, workflow as yaml};

fn cargo_toml() -> toml::Table {
    std::fs::read_to_string(manifest().join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap()
}

fn version() -> String {
    cargo_toml()["package"]["version"]
        .as_str()
        .unwrap()
        .to_string()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs a linter if this machine has it (`.ci/run` installs them all);
/// `None` when it is not installed.
fn lint_with(tool: &str, args: &[&str]) -> Option<Output> {
    match Command::new(tool)
        .args(args)
        .current_dir(manifest())
        .output()
    {
        Ok(out) => Some(out),
        Err(_) => {
            eprintln!("{tool} is not installed: skipped (.ci/run installs it)");
            None
        }
    }
}

/// The release workflow passes actionlint (with shellcheck); it, the
/// template and `action.yml` validate against the published schemas and
/// pass zizmor (its config: .github/zizmor.yml); the shell scripts and the
/// action's `run:` steps pass shellcheck; the Dockerfile passes hadolint.
#[test]
fn release_files_pass_their_linters() {
    let mut checked = Vec::new();
    let mut check = |tool: &str, args: &[&str]| {
        if let Some(out) = lint_with(tool, args) {
            assert!(out.status.success(), "{tool} {args:?}:\n{}", text(&out));
            checked.push(tool.to_string());
        }
    };
    check(
        "actionlint",
        &["-no-color", ".github/workflows/release.yml"],
    );
    check(
        "check-jsonschema",
        &[
            "--builtin-schema",
            "vendor.github-workflows",
            ".github/workflows/release.yml",
        ],
    );
    check(
        "check-jsonschema",
        &["--builtin-schema", "vendor.github-actions", "action.yml"],
    );
    check(
        "zizmor",
        &[
            "--offline",
            "--no-progress",
            ".github/workflows/release.yml",
            "action.yml",
            "ci/github/planbook.yml",
        ],
    );
    check("hadolint", &["Dockerfile"]);

    // shellcheck: the scripts, and the action's steps as the bash files
    // GitHub runs them as.
    let tmp = tempfile::tempdir().unwrap();
    let mut scripts = vec![
        "ci/install.sh".to_string(),
        "ci/package.sh".to_string(),
        "ci/check-release.sh".to_string(),
        ".ci/run".to_string(),
    ];
    for (i, step) in yaml("action.yml")["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        if let Some(run) = step["run"].as_str() {
            assert!(!run.contains("${{"), "expressions go through env: {run}");
            let path = tmp.path().join(format!("action-step-{i}.sh"));
            std::fs::write(&path, format!("#!/usr/bin/env bash\n{run}")).unwrap();
            scripts.push(path.to_str().unwrap().to_string());
        }
    }
    let args: Vec<&str> = scripts.iter().map(String::as_str).collect();
    check("shellcheck", &args);
    eprintln!("checked with {checked:?}");
}

/// Every action the workflows and the template use is pinned to a commit
/// (with its version in a comment), but planbook's own action in the
/// template, which names the release it installs (.github/zizmor.yml).
#[test]
fn actions_are_pinned_to_commits() {
    let mut seen = 0;
    for file in [".github/workflows/release.yml", "ci/github/planbook.yml"] {
        let text = std::fs::read_to_string(manifest().join(file)).unwrap();
        for line in text.lines().filter(|l| {
            l.trim_start().starts_with("- uses:") || l.trim_start().starts_with("uses:")
        }) {
            let spec = line.split("uses:").nth(1).unwrap().trim();
            if spec.starts_with("your-org/planbook@v") {
                continue;
            }
            let (at, comment) = spec.split_once(" # v").unwrap_or((spec, ""));
            let sha = at.split('@').nth(1).unwrap_or_default();
            assert!(
                sha.len() == 40
                    && sha.bytes().all(|b| b.is_ascii_hexdigit())
                    && !comment.is_empty(),
                "{file}: `{spec}` is not pinned to a commit with its version"
            );
            seen += 1;
        }
    }
    assert!(seen >= 10, "{seen}");
}

/// The targets the release workflow builds archives for.
fn release_targets() -> Vec<String> {
    yaml(".github/workflows/release.yml")["jobs"]["archive"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap().to_string())
        .collect()
}

/// Renders a cargo-binstall template (`{ name }`, with or without spaces).
fn render(template: &str, vars: &BTreeMap<&str, String>) -> String {
    let mut out = template.to_string();
    for (k, v) in vars {
        out = out
            .replace(&format!("{{ {k} }}"), v)
            .replace(&format!("{{{k}}}"), v);
    }
    assert!(!out.contains('{'), "unknown variable left in {out}");
    out
}

/// How GitHub names the runner that each target runs on (RUNNER_OS,
/// RUNNER_ARCH), which is what the action's install script reads.
fn runner(target: &str) -> (&'static str, &'static str) {
    let os = if target.contains("linux") {
        "Linux"
    } else if target.contains("apple") {
        "macOS"
    } else if target.contains("windows") {
        "Windows"
    } else {
        panic!("a release target for an unknown OS: {target}")
    };
    let arch = if target.starts_with("x86_64") {
        "X64"
    } else if target.starts_with("aarch64") {
        "ARM64"
    } else {
        panic!("a release target for an unknown CPU: {target}")
    };
    (os, arch)
}

fn install_script(envs: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new("bash");
    cmd.arg(manifest().join("ci/install.sh")).args(args);
    for var in [
        "RUNNER_OS",
        "RUNNER_ARCH",
        "PLANBOOK_VERSION",
        "PLANBOOK_RELEASES",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(envs.iter().copied()).output().unwrap()
}

/// One archive name for each target in all four places: the workflow's
/// matrix, ci/package.sh (which names what is published), the binstall
/// templates in Cargo.toml (rendered for the target), and the install
/// script the action runs (for the runner that target is for).
#[test]
fn archive_names_agree_for_every_release_target() {
    let targets = release_targets();
    assert_eq!(targets.len(), 5, "{targets:?}");
    let cargo = cargo_toml();
    let package = &cargo["package"];
    let binstall = &package["metadata"]["binstall"];
    let v = "1.2.3".to_string();
    for target in &targets {
        let packed = Command::new("bash")
            .arg(manifest().join("ci/package.sh"))
            .args(["--name", target, &v])
            .output()
            .unwrap();
        assert!(packed.status.success(), "{}", text(&packed));
        let archive = String::from_utf8(packed.stdout).unwrap().trim().to_string();
        let ext = if target.contains("windows") {
            ".zip"
        } else {
            ".tar.gz"
        };
        assert_eq!(archive, format!("planbook-{v}-{target}{ext}"));

        let over = binstall
            .get("overrides")
            .and_then(|o| o.get(target.as_str()));
        let key = |k: &str| {
            over.and_then(|o| o.get(k))
                .or_else(|| binstall.get(k))
                .and_then(|x| x.as_str())
                .unwrap()
                .to_string()
        };
        let vars: BTreeMap<&str, String> = [
            ("repo", package["repository"].as_str().unwrap().to_string()),
            ("name", "planbook".to_string()),
            ("version", v.clone()),
            ("target", target.clone()),
            ("bin", "planbook".to_string()),
            (
                "binary-ext",
                if target.contains("windows") {
                    ".exe"
                } else {
                    ""
                }
                .to_string(),
            ),
        ]
        .into_iter()
        .collect();
        let url = render(&key("pkg-url"), &vars);
        assert_eq!(
            url,
            format!(
                "{}/releases/download/v{v}/{archive}",
                package["repository"].as_str().unwrap()
            )
        );
        let fmt = key("pkg-fmt");
        assert_eq!(fmt, if ext == ".zip" { "zip" } else { "tgz" }, "{target}");
        let stem = archive.trim_end_matches(ext);
        assert_eq!(
            render(&key("bin-dir"), &vars),
            format!("{stem}/planbook{}", vars["binary-ext"])
        );

        let (os, arch) = runner(target);
        let out = install_script(
            &[
                ("RUNNER_OS", os),
                ("RUNNER_ARCH", arch),
                ("PLANBOOK_VERSION", &format!("v{v}")),
            ],
            &["--archive-name"],
        );
        assert!(out.status.success(), "{target}: {}", text(&out));
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), archive);
    }
}

/// The templates install the version Cargo.toml names, from the home
/// Cargo.toml names: bumping the version for a release moves them too
/// (RELEASING in the README).
#[test]
fn templates_pin_this_version() {
    let v = version();
    let repo = cargo_toml()["package"]["repository"]
        .as_str()
        .unwrap()
        .trim_start_matches("https://github.com/")
        .to_string();
    let gh = yaml("ci/github/planbook.yml");
    let uses: Vec<&str> = gh["jobs"]["plans"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["uses"].as_str())
        .filter(|u| u.contains("/planbook@"))
        .collect();
    assert_eq!(uses, [format!("{repo}@v{v}")]);
    let gl = yaml("ci/gitlab/.gitlab-ci.yml");
    assert_eq!(
        gl["variables"]["PLANBOOK_IMAGE"],
        format!("ghcr.io/{repo}:{v}-ci")
    );
    assert_eq!(gl["default"]["image"], "$PLANBOOK_IMAGE");
}

/// A release directory as GitHub serves it, packed by ci/package.sh from
/// the binary under test: `ROOT/OWNER/planbook/releases/download/vVERSION/`
/// with the Linux x86_64 archive and SHA256SUMS.
struct Release {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    dir: PathBuf,
    version: String,
    archive: String,
}

/// The archive ci/package.sh packs from the binary under test (stripped, as
/// the dist profile does: the debug build is ten times its size), packed
/// once per test run in Cargo's scratch directory for tests.
fn packed() -> &'static Path {
    static PACKED: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PACKED.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("release-archive");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let binary = dir.join("planbook");
        let stripped = Command::new("strip")
            .arg("-o")
            .arg(&binary)
            .arg(bin())
            .status()
            .is_ok_and(|s| s.success());
        if !stripped {
            std::fs::copy(bin(), &binary).unwrap();
        }
        let out = Command::new("bash")
            .arg(manifest().join("ci/package.sh"))
            .arg("x86_64-unknown-linux-musl")
            .arg(&binary)
            .arg(dir.join("out"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
    })
}

fn release() -> Release {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("www");
    let version = version();
    let dir = root.join(format!("your-org/planbook/releases/download/v{version}"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = packed();
    let archive = path.file_name().unwrap().to_str().unwrap().to_string();
    assert_eq!(
        archive,
        format!("planbook-{version}-x86_64-unknown-linux-musl.tar.gz")
    );
    std::fs::copy(path, dir.join(&archive)).unwrap();
    let sums = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(sums.status.success());
    std::fs::write(dir.join("SHA256SUMS"), &sums.stdout).unwrap();
    Release {
        _tmp: tmp,
        root,
        dir,
        version,
        archive,
    }
}

/// What the archive holds: the binary, the docs and licences, the
/// completions and the man page.
#[test]
fn the_archive_holds_the_binary_completions_and_man_page() {
    let r = release();
    let out = Command::new("tar")
        .arg("-tzf")
        .arg(r.dir.join(&r.archive))
        .output()
        .unwrap();
    let mut listed: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.ends_with('/'))
        .map(str::to_string)
        .collect();
    listed.sort();
    let stem = r.archive.trim_end_matches(".tar.gz");
    let want: Vec<String> = [
        "CHANGELOG.md",
        "LICENSE-APACHE",
        "LICENSE-MIT",
        "README.md",
        "completions/_planbook",
        "completions/_planbook.ps1",
        "completions/planbook.bash",
        "completions/planbook.fish",
        "man/planbook.1",
        "planbook",
    ]
    .iter()
    .map(|f| format!("{stem}/{f}"))
    .collect();
    assert_eq!(listed, want);
}

/// Runs the action's steps as GitHub's runner would (bash, the step's
/// `env` with its expressions filled in, GITHUB_OUTPUT and GITHUB_PATH
/// files), against the loopback release. Unknown expressions fail the
/// test, so a new one in action.yml needs a value here.
fn run_action(
    server: &str,
    tool_cache: &Path,
    inputs: &[(&str, &str)],
    action_ref: &str,
) -> (bool, String, Vec<String>) {
    let action = yaml("action.yml");
    let work = tool_cache.parent().unwrap();
    let output_file = work.join("github_output");
    let path_file = work.join("github_path");
    std::fs::write(&path_file, "").unwrap();
    let mut outputs: BTreeMap<String, String> = BTreeMap::new();
    let input = |name: &str| -> String {
        inputs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    };
    let mut log = String::new();
    let mut paths = Vec::new();
    for step in action["runs"]["steps"].as_array().unwrap() {
        let expr = |e: &str, outputs: &BTreeMap<String, String>| -> String {
            match e {
                "inputs.version" => input("version"),
                "inputs.args" => input("args"),
                "github.action_ref" => action_ref.to_string(),
                "github.server_url" => server.to_string(),
                "github.action_repository || github.repository" => "your-org/planbook".to_string(),
                e if e.starts_with("steps.resolve.outputs.") => {
                    outputs[e.trim_start_matches("steps.resolve.outputs.")].clone()
                }
                e => panic!("action.yml uses `{e}`: give it a value in this test"),
            }
        };
        let fill = |s: &str, outputs: &BTreeMap<String, String>| -> String {
            let mut out = String::new();
            let mut rest = s;
            while let Some(i) = rest.find("${{") {
                out.push_str(&rest[..i]);
                let j = rest[i..].find("}}").unwrap() + i;
                out.push_str(&expr(rest[i + 3..j].trim(), outputs));
                rest = &rest[j + 2..];
            }
            out.push_str(rest);
            out
        };
        if let Some(cond) = step["if"].as_str() {
            assert_eq!(
                cond, "inputs.args != ''",
                "a new condition: teach this test"
            );
            if input("args").is_empty() {
                continue;
            }
        }
        if step.get("uses").is_some() {
            panic!("action.yml uses an action: teach this test");
        }
        let run = step["run"].as_str().unwrap();
        std::fs::write(&output_file, "").unwrap();
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", run])
            .current_dir(work)
            .env("GITHUB_ACTION_PATH", manifest())
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_PATH", &path_file)
            .env("RUNNER_TOOL_CACHE", tool_cache)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64");
        // Steps after the install see the directories it added to PATH.
        let mut path = paths.clone();
        path.push(std::env::var("PATH").unwrap_or_default());
        cmd.env("PATH", path.join(":"));
        if let Some(env) = step["env"].as_object() {
            for (k, v) in env {
                cmd.env(k, fill(v.as_str().unwrap(), &outputs));
            }
        }
        let out = cmd.output().unwrap();
        log.push_str(&text(&out));
        if !out.status.success() {
            return (false, log, paths);
        }
        if let Some(id) = step["id"].as_str() {
            assert_eq!(id, "resolve");
            for line in std::fs::read_to_string(&output_file).unwrap().lines() {
                let (k, v) = line.split_once('=').unwrap();
                outputs.insert(k.to_string(), v.to_string());
            }
        }
        paths = std::fs::read_to_string(&path_file)
            .unwrap()
            .lines()
            .rev()
            .map(str::to_string)
            .collect();
    }
    (true, log, paths)
}

/// The action, pinned to this version's tag, installs the archive from the
/// (loopback) release into the tool cache, puts it on PATH and runs
/// `args`; a second run finds it there and downloads nothing.
#[test]
fn the_action_installs_and_runs_planbook_from_a_release() {
    let r = release();
    let server = serve(r.root.clone());
    let url = format!("http://127.0.0.1:{}", server.port);
    let work = tempfile::tempdir().unwrap();
    let cache = work.path().join("toolcache");
    let tag = format!("v{}", r.version);
    let (ok, log, paths) = run_action(&url, &cache, &[("args", "--version")], &tag);
    assert!(ok, "{log}");
    let dir = cache.join(format!("planbook/{}/X64", r.version));
    assert_eq!(paths, [dir.to_str().unwrap()]);
    assert!(dir.join("planbook").is_file());
    assert!(
        log.contains(&format!("planbook {} installed in", r.version)),
        "{log}"
    );
    // `args` ran the installed planbook (`planbook --version`).
    assert!(
        log.matches(&format!("planbook {} (", r.version)).count() >= 2,
        "{log}"
    );

    // A restored tool cache: nothing downloaded. The server is gone, so a
    // download would fail.
    drop(server);
    let (ok, log, _) = run_action("http://127.0.0.1:9", &cache, &[], &tag);
    assert!(ok, "{log}");
    assert!(log.contains("is already installed"), "{log}");

    // An explicit version wins over the tag; a bad one stops at once.
    let (ok, log, _) = run_action(&url, &cache, &[("version", "1.0.0\nx=y")], &tag);
    assert!(!ok);
    assert!(log.contains("is not a planbook version"), "{log}");
}

/// Checks that nothing was installed in `dir`.
fn nothing_in(dir: &Path) {
    let entries: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(entries.is_empty(), "installed: {entries:?}");
}

/// The install script's failures say what went wrong and install nothing:
/// a tampered archive, a version with no release, a platform with no
/// archive.
#[test]
fn the_install_script_refuses_what_it_cannot_check() {
    let r = release();
    let server = serve(r.root.clone());
    let releases = format!(
        "http://127.0.0.1:{}/your-org/planbook/releases/download",
        server.port
    );
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("bin");
    let dest_s = dest.to_str().unwrap().to_string();
    let env = |version: &str, arch: &str| -> Vec<(&'static str, String)> {
        vec![
            ("PLANBOOK_VERSION", version.to_string()),
            ("PLANBOOK_RELEASES", releases.clone()),
            ("PLANBOOK_INSTALL_DIR", dest_s.clone()),
            ("RUNNER_OS", "Linux".to_string()),
            ("RUNNER_ARCH", arch.to_string()),
        ]
    };
    let run = |vars: Vec<(&'static str, String)>| -> (bool, String) {
        let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let out = install_script(&pairs, &[]);
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };

    // The archive was changed after SHA256SUMS was written.
    let good = std::fs::read(r.dir.join(&r.archive)).unwrap();
    let mut bad = good.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0xff;
    std::fs::write(r.dir.join(&r.archive), &bad).unwrap();
    let (ok, err) = run(env(&r.version, "X64"));
    assert!(!ok);
    assert!(
        err.contains(&format!("checksum mismatch for {}", r.archive)),
        "{err}"
    );
    assert!(err.contains("nothing was installed"), "{err}");
    nothing_in(&dest);

    // No such release.
    let (ok, err) = run(env("9.9.9", "X64"));
    assert!(!ok);
    assert!(err.contains("planbook 9.9.9 has no release at"), "{err}");
    assert!(err.contains("check the version"), "{err}");
    nothing_in(&dest);

    // A platform with no archive: 32-bit ARM Linux, and FreeBSD.
    let (ok, err) = run(env(&r.version, "ARM"));
    assert!(!ok);
    assert!(err.contains("no release archive for linux on ARM"), "{err}");
    assert!(err.contains("cargo install"), "{err}");
    let mut freebsd = env(&r.version, "X64");
    freebsd[3].1 = "FreeBSD".to_string();
    let (ok, err) = run(freebsd);
    assert!(!ok);
    assert!(
        err.contains("no release archive for FreeBSD on x86_64"),
        "{err}"
    );
    nothing_in(&dest);

    // With the archive restored it installs, and the binary runs.
    std::fs::write(r.dir.join(&r.archive), &good).unwrap();
    let (ok, err) = run(env(&r.version, "X64"));
    assert!(ok, "{err}");
    let out = Command::new(dest.join("planbook"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(&format!("planbook {} (", r.version)));
}
