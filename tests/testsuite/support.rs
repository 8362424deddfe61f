//! A temporary plan repository and a runner for the real `planbook` binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use std::collections::BTreeMap;

use scraper::{Html, Selector};
use serde_json::Value;

/// The date every test lints at, so MIL010/TSK005 never depend on the clock.
pub const TODAY: &str = "2027-02-15";

pub const BOOK_TOML: &str = "[site]\nlanguage = \"en\"\n";

pub fn base_plan() -> String {
    include_str!("../fixtures/base-plan.md").to_string()
}

pub struct Repo {
    dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Repo {
    /// An empty directory.
    pub fn empty() -> Repo {
        Repo {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// A repository with an English book.toml and a content directory.
    pub fn new() -> Repo {
        let r = Repo::empty();
        r.file("book.toml", BOOK_TOML);
        std::fs::create_dir_all(r.path().join("content")).expect("mkdir");
        r
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, rel: &str, text: &str) -> &Repo {
        self.bytes(rel, text.as_bytes())
    }

    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Repo {
        let p = self.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, bytes).expect("write");
        self
    }

    /// Runs `planbook --root <repo> --today TODAY --color never ARGS`.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), self.path(), args)
    }

    /// Lints with `--format json` and returns the document.
    pub fn lint_json(&self) -> (i32, Value) {
        self.lint_json_at(TODAY)
    }

    /// [`Repo::lint_json`] at `today`.
    pub fn lint_json_at(&self, today: &str) -> (i32, Value) {
        let r = run_at(
            self.path(),
            self.path(),
            today,
            &["lint", "--format", "json"],
        );
        let v: Value = serde_json::from_str(&r.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", r.stdout, r.stderr));
        (r.code, v)
    }

    /// `(rule, line, column)` of every diagnostic, for one file.
    pub fn findings(&self, file: &str) -> Vec<(String, u64, u64)> {
        let (_, v) = self.lint_json();
        diagnostics(&v)
            .into_iter()
            .filter(|d| d["file"] == file)
            .map(|d| {
                (
                    d["rule"].as_str().unwrap_or("").to_string(),
                    d["line"].as_u64().unwrap_or(0),
                    d["column"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    }
}

pub fn diagnostics(v: &Value) -> Vec<Value> {
    v["diagnostics"].as_array().cloned().unwrap_or_default()
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_planbook"))
}

/// Runs the binary in `cwd` with `--root root`, at [`TODAY`].
pub fn run_in(cwd: &Path, root: &Path, args: &[&str]) -> Run {
    run_at(cwd, root, TODAY, args)
}

/// Runs the binary in `cwd` with `--root root --today today`.
pub fn run_at(cwd: &Path, root: &Path, today: &str, args: &[&str]) -> Run {
    let out = Command::new(bin())
        .current_dir(cwd)
        .arg("--root")
        .arg(root)
        .args(["--today", today, "--color", "never"])
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("run planbook");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The 1-based (line, column) where `needle` first occurs at or after the
/// first occurrence of `after` in `text`; columns count characters.
pub fn pos_of(text: &str, after: &str, needle: &str) -> (u64, u64) {
    let start = text
        .find(after)
        .unwrap_or_else(|| panic!("`{after}` not in the plan"));
    let at = start
        + text[start..]
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not after `{after}`"));
    let before = &text[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u64 + 1;
    (line, col)
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

pub fn page(out: &Path, rel: &str) -> Html {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Html::parse_document(&text)
}

pub fn texts(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

pub fn all_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// Checks that every relative link and resource of every page under `out`
/// resolves to a file, and every `#fragment` to an id in it; returns how
/// many links were checked.
pub fn check_links(out: &Path) -> usize {
    let mut checked = 0;
    for (rel, bytes) in all_files(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8(bytes).unwrap());
        let dir = out.join(&rel).parent().unwrap().to_path_buf();
        for el in doc.select(&sel("a[href], link[href], img[src]")) {
            let link = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if link.contains("://")
                || link.starts_with("mailto:")
                || el.value().attr("rel") == Some("canonical")
            {
                continue;
            }
            let (path, frag) = link.split_once('#').unwrap_or((link, ""));
            let target = if path.is_empty() {
                out.join(&rel)
            } else {
                dir.join(path)
            };
            assert!(target.is_file(), "{rel}: broken link {link}");
            if !frag.is_empty() && target.extension().is_some_and(|e| e == "html") {
                let t = Html::parse_document(&std::fs::read_to_string(&target).unwrap());
                let id_sel = format!("[id=\"{frag}\"]");
                assert!(
                    t.select(&sel(&id_sel)).next().is_some(),
                    "{rel}: no #{frag} in {path}"
                );
            }
            checked += 1;
        }
    }
    checked
}
