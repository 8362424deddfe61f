//! `cargo bench --bench versions`: `build --versions` of a 500-plan git
//! repository with 20 tags (each tag edits 25 plans) against one plain
//! build of the same repository (budget: at most 3× one build). Runs the
//! real binary, alternating the two, and prints the medians and their
//! ratio: first with `[search] enabled = false` in every version (nine
//! runs: the work versions add), then with search on in the working tree
//! (five runs: both builds index the latest's plan pages, which costs
//! more than everything else). Set TMPDIR to a tmpfs (e.g. /dev/shm) to
//! measure planbook rather than the disk's file creation.

mod corpus;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.com")
        .env("GIT_COMMITTER_NAME", "Bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.com")
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "git {args:?}");
}

fn build(root: &Path, out: &Path, versions: bool) -> Duration {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planbook"));
    cmd.arg("--root")
        .arg(root)
        .args(["--today", corpus::CORPUS_TODAY, "-q", "build", "--out"])
        .arg(out);
    if versions {
        cmd.arg("--versions");
    }
    let start = Instant::now();
    let out = cmd.output().expect("planbook");
    let took = start.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let (plans, tags, edits) = (500, 20, 25);
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("repo");
    corpus::write(&root, plans).expect("corpus");
    let book = root.join("book.toml");
    let with_search = std::fs::read_to_string(&book).expect("book.toml");
    std::fs::write(&book, format!("{with_search}\n[search]\nenabled = false\n"))
        .expect("book.toml");
    git(&root, &["init", "-q"]);
    let mut files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    for t in 0..tags {
        if t > 0 {
            for k in 0..edits {
                let f = &files[(t * 37 + k * 19) % files.len()];
                let text = std::fs::read_to_string(f).expect("plan");
                let text = text.replacen("title: \"", &format!("title: \"rev{t} "), 1);
                std::fs::write(f, text).expect("write");
            }
        }
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-q", "-m", &format!("review {t}")]);
        git(&root, &["tag", &format!("v{:02}", t + 1)]);
    }
    // Each run writes into a fresh directory, as in CI; removing the
    // previous output is not timed (it costs both builds alike).
    let fresh = |name: &str| {
        let out = dir.path().join(name);
        let _ = std::fs::remove_dir_all(&out);
        out
    };
    build(&root, &fresh("warm"), true);
    measure(&root, &fresh, 9, "search off", plans, tags, edits);
    std::fs::write(&book, with_search).expect("book.toml");
    measure(&root, &fresh, 5, "search on", plans, tags, edits);
}

fn measure(
    root: &Path,
    fresh: &dyn Fn(&str) -> std::path::PathBuf,
    runs: usize,
    what: &str,
    plans: usize,
    tags: usize,
    edits: usize,
) {
    let (mut ones, mut alls) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        ones.push(build(root, &fresh("one"), false));
        alls.push(build(root, &fresh("all"), true));
    }
    let (one, all) = (median(ones), median(alls));
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "versions ({what}): {plans} plans, {tags} tags ({edits} plans edited per tag): one build {:.0} ms; \
         build --versions (latest + {tags} tags) {:.0} ms = {:.2}× one build \
         (20 separate builds ≈ {:.0} ms)",
        ms(one),
        ms(all),
        all.as_secs_f64() / one.as_secs_f64(),
        ms(one) * tags as f64
    );
}
