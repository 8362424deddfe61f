//! The source layout keeps its shape: no import cycle between modules
//! (`crate::` paths outside comments and tests; a module and its children
//! count as one only through `super::`), and no file over 800 lines.

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

/// The modules each module names with `crate::`.
fn imports(mods: &BTreeMap<String, String>) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut graph = BTreeMap::new();
    for (name, code) in mods {
        let mut deps = BTreeSet::new();
        for (i, _) in code.match_indices("crate::") {
            let path: String = code[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_' || *c == ':')
                .collect();
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

#[test]
fn no_import_cycles_between_modules() {
    let mods = modules();
    assert!(mods.contains_key("versions::nav") && mods.contains_key("lint::rules"));
    let graph = imports(&mods);
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
    for m in graph.keys() {
        let cycle = visit(m, &graph, &mut Vec::new(), &mut done);
        assert!(
            cycle.is_none(),
            "import cycle: {}",
            cycle.unwrap().join(" → ")
        );
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
