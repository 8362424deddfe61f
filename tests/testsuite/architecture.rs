//! ARCHITECTURE.md names real things: every file or directory it names in
//! backticks exists, and every item (`Run::open`, `SharedPage`,
//! `mil::mil002`) is defined where it says. A rename that forgets the map
//! fails here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Source file (relative to `src/`, `/`-separated) → its text.
fn sources() -> BTreeMap<String, String> {
    let src = root().join("src");
    walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let rel = e.path().strip_prefix(&src).unwrap();
            let rel = rel
                .to_string_lossy()
                .replace(std::path::MAIN_SEPARATOR, "/");
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// Whether `text` defines `name`: an item, a macro, or an enum variant.
fn defines(text: &str, name: &str) -> bool {
    let kinds = [
        "fn", "struct", "enum", "type", "const", "static", "trait", "mod",
    ];
    text.lines().any(|line| {
        let l = line.trim_start();
        let l = l
            .strip_prefix("pub(crate) ")
            .or_else(|| l.strip_prefix("pub(super) "))
            .or_else(|| l.strip_prefix("pub "))
            .unwrap_or(l);
        let word_at = |rest: &str| {
            rest.strip_prefix(name)
                .is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
        };
        kinds.iter().any(|k| {
            l.strip_prefix(k)
                .and_then(|r| r.strip_prefix(' '))
                .is_some_and(word_at)
        }) || l.strip_prefix("macro_rules! ").is_some_and(word_at)
            || (word_at(l) && l[name.len()..].starts_with([',', '(', ' ', '{']))
    })
}

/// Whether `item` is defined inside a top-level block about `owner`: an
/// `impl` of it, or its `struct`/`enum` definition.
fn in_block_of(text: &str, owner: &str, item: &str) -> bool {
    let mut inside = false;
    let mut body = String::new();
    for line in text.lines() {
        if !inside {
            let head = line.split('{').next().unwrap_or("");
            let names_owner = head
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| w == owner);
            let starts = [
                "impl",
                "pub struct",
                "pub enum",
                "pub(crate) struct",
                "pub(crate) enum",
                "struct",
                "enum",
            ]
            .iter()
            .any(|k| line.starts_with(k));
            if starts && names_owner && line.trim_end().ends_with('{') {
                inside = true;
                body.clear();
            }
        } else if line.starts_with('}') {
            inside = false;
            if defines(&body, item)
                || body.lines().any(|l| {
                    let l = l
                        .trim_start()
                        .trim_start_matches("pub(crate) ")
                        .trim_start_matches("pub ");
                    l.starts_with(&format!("{item}:"))
                })
            {
                return true;
            }
        } else {
            body.push_str(line);
            body.push('\n');
        }
    }
    false
}

/// The files of module `m` (`site`, `serve::session`, `mil`).
fn module_files<'a>(src: &'a BTreeMap<String, String>, m: &str) -> Vec<&'a String> {
    let tail = m.replace("::", "/");
    src.iter()
        .filter(|(p, _)| {
            let p = p.as_str();
            p == format!("{tail}.rs")
                || p == format!("{tail}/mod.rs")
                || p.ends_with(&format!("/{tail}.rs"))
                || p.ends_with(&format!("/{tail}/mod.rs"))
        })
        .map(|(_, t)| t)
        .collect()
}

/// Names from outside the crate that the map mentions.
const NOT_OURS: &[&str] = &["unwrap", "expect"];

#[test]
fn architecture_names_exist() {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let src = sources();
    let mut spans = Vec::new();
    let mut in_code = false;
    // The dependency table names crates and their features, not code.
    let map = text.split("## Dependencies").next().unwrap();
    for line in map.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 1 {
                spans.push(part.to_string());
            }
        }
    }
    let mut checked = 0;
    let mut missing = Vec::new();
    for span in &spans {
        let span = span.split('<').next().unwrap().trim_end_matches('!');
        if span.contains(['/', '.']) && !span.contains([' ', '*', '"', '=']) {
            // A file or directory: relative to the root or to src/.
            let rel = span.trim_end_matches('/');
            if rel.contains('.') && !rel.contains('/') && !rel.ends_with(".rs") {
                continue; // a file the program reads or writes (plans.json)
            }
            // A bare `reader.rs` is a file of the module its row names.
            let found = [root().join(rel), root().join("src").join(rel)]
                .iter()
                .any(|p: &PathBuf| Path::exists(p))
                || (!rel.contains('/') && src.keys().any(|k| k.ends_with(&format!("/{rel}"))));
            checked += 1;
            if !found {
                missing.push(format!("file {span}"));
            }
            continue;
        }
        let is_name = !span.is_empty()
            && span.split("::").all(|s| {
                !s.is_empty()
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !s.starts_with(|c: char| c.is_ascii_digit())
            });
        if !is_name || NOT_OURS.contains(&span) {
            continue;
        }
        checked += 1;
        let parts: Vec<&str> = span.split("::").collect();
        let item = *parts.last().unwrap();
        let ok = if parts.len() == 1 {
            // A bare name: an item anywhere, a module, a file at the root
            // (`Dockerfile`), or an env variable.
            src.values().any(|t| defines(t, item))
                || root().join(item).is_file()
                || !module_files(&src, item).is_empty()
                || (item.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                    && src.values().any(|t| t.contains(item)))
        } else {
            let owner = parts[parts.len() - 2];
            if owner.starts_with(|c: char| c.is_ascii_uppercase()) {
                // `Type::item`: a method in an `impl` of the type, or a
                // variant or field in its definition.
                src.values().any(|t| in_block_of(t, owner, item))
            } else {
                // `module::item`: defined in the module, or a submodule.
                let module = parts[..parts.len() - 1].join("::");
                module_files(&src, &module).iter().any(|t| defines(t, item))
                    || !module_files(&src, &format!("{module}::{item}")).is_empty()
            }
        };
        if !ok {
            missing.push(span.to_string());
        }
    }
    assert!(checked > 80, "only {checked} names checked");
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names what the code does not have: {missing:?}"
    );
}

/// Every dependency in Cargo.toml has its line in the table that says why
/// it is there.
#[test]
fn every_dependency_is_explained() {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let table = text
        .split("## Dependencies")
        .nth(1)
        .expect("a Dependencies section");
    let listed: Vec<&str> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .map(|l| l.split(" |").next().unwrap_or(""))
        .collect();
    let manifest: toml::Table = std::fs::read_to_string(root().join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    for section in ["dependencies", "dev-dependencies"] {
        for name in manifest[section].as_table().unwrap().keys() {
            let named = listed
                .iter()
                .any(|cell| cell.split([',', ' ', '(', ')']).any(|word| word == name));
            assert!(
                named,
                "{name} ({section}) is not in ARCHITECTURE.md's dependency table"
            );
        }
    }
}

/// The map stays a map.
#[test]
fn architecture_is_under_200_lines() {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let n = text.lines().count();
    assert!(
        n < 200,
        "ARCHITECTURE.md has {n} lines: move the long form to docs/design.md"
    );
}
