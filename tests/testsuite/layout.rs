//! The source layout keeps its shape: no import cycle between files
//! (`crate::` paths outside comments and tests, brace groups included; a
//! module and its children count as one only through `super::`), none
//! between top-level modules (a directory module and its files count as
//! one), and no file over 800 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`site::view`) → source text without tests and comments.
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let rel = p.strip_prefix(&src).unwrap().with_extension("");
        let mut name = rel
            .to_string_lossy()
            .replace(std::path::MAIN_SEPARATOR, "::");
        if let Some(parent) = name.strip_suffix("::mod") {
            name = parent.to_string();
        }
        let text = std::fs::read_to_string(p).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        let code: String = code
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        out.insert(name, code);
    }
    out
}

/// The paths a `crate::` at `code[at..]` names: `crate::a::b` is one,
/// `crate::{a, b::{c, d}}` three (`a`, `b::c`, `b::d`).
fn crate_paths(code: &str) -> Vec<String> {
    fn expand(prefix: &str, s: &str, out: &mut Vec<String>) {
        let s = s.trim_start();
        let head: String = s
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let rest = &s[head.len()..];
        let path = format!("{prefix}{head}");
        if let Some(group) = rest.strip_prefix('{') {
            // Split the group at its top-level commas.
            let (mut depth, mut start) = (0, 0);
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        expand(&path, &group[start..i], out);
                        return;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&path, &group[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else if !path.is_empty() {
            out.push(path);
        }
    }
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        expand("", &code[i + 7..], &mut out);
    }
    out
}

#[test]
fn crate_paths_reads_brace_groups_and_digits() {
    assert_eq!(
        crate_paths(
            "use crate::{i18n::Lang, site::{view, mod2::x}, a};
let _ = crate::b::c(1);"
        ),
        ["i18n::Lang", "site::view", "site::mod2::x", "a", "b::c"]
    );
}

/// The modules each module names with `crate::`.
fn imports(mods: &BTreeMap<String, String>) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut graph = BTreeMap::new();
    for (name, code) in mods {
        let mut deps = BTreeSet::new();
        for path in crate_paths(code) {
            let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
            // The longest prefix that is a module.
            for k in (1..=parts.len()).rev() {
                let candidate = parts[..k].join("::");
                if let Some((m, _)) = mods.get_key_value(&candidate) {
                    if m != name {
                        deps.insert(m.as_str());
                    }
                    break;
                }
            }
        }
        graph.insert(name.as_str(), deps);
    }
    graph
}

/// The first cycle in `graph`, as the path that closes it.
fn find_cycle<'a>(graph: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Option<Vec<&'a str>> {
    // Depth-first search for a back edge; report the cycle it closes.
    fn visit<'a>(
        m: &'a str,
        graph: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(at) = stack.iter().position(|s| *s == m) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(m);
            return Some(cycle);
        }
        if !done.insert(m) {
            return None;
        }
        stack.push(m);
        for d in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, graph, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

/// No cycle between top-level modules: `lint` and `load` (say) may not
/// import each other even through their files. Leaves (the rule catalogue,
/// the model, escaping, number formatting) import nothing above them.
#[test]
fn no_import_cycles_between_top_level_modules() {
    let mods = modules();
    let graph = imports(&mods);
    let mut top: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (m, deps) in &graph {
        let a = m.split("::").next().unwrap();
        let entry = top.entry(a).or_default();
        for d in deps {
            let b = d.split("::").next().unwrap();
            if b != a {
                entry.insert(b);
            }
        }
    }
    if let Some(cycle) = find_cycle(&top) {
        panic!(
            "import cycle between top-level modules: {}",
            cycle.join(" → ")
        );
    }
    // The check sees brace imports and names with digits.
    assert!(top["lint"].contains("i18n"), "{:?}", top["lint"]);
    for leaf in ["rules", "html", "num", "paths", "i18n"] {
        let deps: Vec<_> = top[leaf]
            .iter()
            .filter(|d| **d != "i18n" && **d != "tr")
            .collect();
        assert!(deps.is_empty(), "{leaf} is a leaf but imports {deps:?}");
    }
    // What the shared pages read is made from the model alone.
    let summary: Vec<_> = top["summary"]
        .iter()
        .filter(|d| !["model", "state"].contains(d))
        .collect();
    assert!(summary.is_empty(), "summary imports {summary:?}");
}

#[test]
fn no_import_cycles_between_modules() {
    let mods = modules();
    assert!(mods.contains_key("versions::nav") && mods.contains_key("rules"));
    let graph = imports(&mods);
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}", cycle.join(" → "));
    }
    // The check sees real imports.
    assert!(graph["serve::session"].contains("load"));
}

#[test]
fn no_source_file_passes_800_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for e in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_some_and(|x| x == "rs") {
            let lines = std::fs::read_to_string(e.path()).unwrap().lines().count();
            assert!(
                lines <= 800,
                "{} has {lines} lines: split it",
                e.path().display()
            );
        }
    }
}
