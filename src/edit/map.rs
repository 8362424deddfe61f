//! Setting scalars of a mapping in place: a task's `status` and `done_on`,
//! a milestone's `status`, `done_on` and `actual`, `ice.confidence`.
//! A key that is there gets its value's text replaced, nothing else on its
//! line; a missing key gets a line of its own after a key it belongs with,
//! at that key's indentation (or, in a one-line flow mapping, `, key: v`
//! before its `}`).

use super::{Lines, Refused, byte_at, cannot, scalar_json, unsafe_edit};
use crate::i18n::Lang;
use crate::yaml::{self, Node, Value};

/// One scalar to set: `key` to `value` (YAML text, as it is to be
/// written). A missing key goes after the last of `after` that the
/// mapping has, or after its last single-line scalar.
pub(crate) struct Set<'a> {
    pub key: &'a str,
    pub value: String,
    pub after: &'a [&'a str],
}

/// Where a mapping is in the tree, as keys and list indexes from the root
/// (`["milestones", 0, "tasks", 2]`), for checking the edit.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    Key(&'static str),
    Index(usize),
}

/// The plan file `text` with `sets` applied to the mapping `map` (at
/// `path` in the tree), checked by parsing it again.
pub(crate) fn set_scalars(
    text: &str,
    root: &Node,
    path: &[Step],
    sets: &[Set<'_>],
    lang: Lang,
) -> Result<String, Refused> {
    let lines = Lines::new(text);
    let map = node_at(root, path).ok_or_else(|| unsafe_edit(lang))?;
    let Value::Map(entries) = &map.value else {
        return Err(cannot(lang));
    };
    // Original line → its new text (`None`: unchanged) and the lines that
    // go after it.
    let mut replaced: Vec<(usize, String)> = Vec::new();
    let mut inserted: Vec<(usize, String)> = Vec::new();
    let flow = entries.first().is_some_and(|first| {
        let line = lines.get(map.pos.line);
        line.get(byte_at(line, map.pos.column)..)
            .is_some_and(|s| s.starts_with('{'))
            && entries.iter().all(|e| e.key_pos.line == first.key_pos.line)
    }) || entries.is_empty();
    for set in sets {
        match entries.iter().find(|e| e.key == set.key) {
            Some(e) => {
                let n = e.value.pos.line;
                let current = replaced
                    .iter()
                    .rev()
                    .find(|(l, _)| *l == n)
                    .map_or_else(|| lines.get(n).to_string(), |(_, t)| t.clone());
                let new = replace_scalar(&current, &e.value, &set.value, lang)?;
                replaced.retain(|(l, _)| *l != n);
                replaced.push((n, new));
            }
            None if flow => {
                let n = map.pos.line;
                let current = replaced
                    .iter()
                    .rev()
                    .find(|(l, _)| *l == n)
                    .map_or_else(|| lines.get(n).to_string(), |(_, t)| t.clone());
                let Some(close) = current.rfind('}') else {
                    return Err(cannot(lang));
                };
                let (head, tail) = current.split_at(close);
                let trimmed = head.trim_end();
                let space = head.get(trimmed.len()..).unwrap_or("");
                let sep = if trimmed.ends_with('{') { "" } else { ", " };
                let new = format!("{trimmed}{sep}{}: {}{space}{tail}", set.key, set.value);
                replaced.retain(|(l, _)| *l != n);
                replaced.push((n, new));
            }
            None => {
                let anchor = set
                    .after
                    .iter()
                    .rev()
                    .find_map(|k| entries.iter().find(|e| e.key == *k))
                    .or_else(|| entries.iter().rev().find(|e| single_line(&e.value, e)))
                    .filter(|e| single_line(&e.value, e))
                    .ok_or_else(|| cannot(lang))?;
                let key_line = lines.get(anchor.key_pos.line);
                let spaces = " ".repeat(anchor.key_pos.column.saturating_sub(1));
                if key_line.chars().count() < anchor.key_pos.column {
                    return Err(cannot(lang));
                }
                inserted.push((
                    anchor.key_pos.line,
                    format!("{spaces}{}: {}", set.key, set.value),
                ));
            }
        }
    }
    let new = lines.rewrite(&replaced, &inserted);
    check(text, &new, path, sets, lang)?;
    Ok(new)
}

/// A value written on the line of its key.
fn single_line(value: &Node, e: &yaml::Entry) -> bool {
    matches!(value.value, Value::Scalar { .. }) && value.pos.line == e.key_pos.line
}

/// `line` with the scalar `node` (which starts on it) replaced by `value`.
/// Only a scalar written on one line is replaced: plain, or quoted without
/// escapes.
fn replace_scalar(line: &str, node: &Node, value: &str, lang: Lang) -> Result<String, Refused> {
    let Value::Scalar { text, plain } = &node.value else {
        return Err(cannot(lang));
    };
    let at = byte_at(line, node.pos.column);
    let rest = line.get(at..).unwrap_or("");
    let len = if *plain {
        // An empty plain scalar (`status:`) has nothing to replace.
        if !rest.starts_with(text.as_str()) {
            return Err(cannot(lang));
        }
        text.len()
    } else {
        let quote = rest.chars().next().ok_or_else(|| cannot(lang))?;
        let inner = rest.get(1..).unwrap_or("");
        match inner.find(quote) {
            Some(end) if inner.get(..end) == Some(text.as_str()) => end + 2,
            _ => return Err(cannot(lang)),
        }
    };
    let (Some(before), Some(after)) = (line.get(..at), line.get(at + len..)) else {
        return Err(cannot(lang));
    };
    // A plain value with nothing after the colon: `status:` → `status: v`.
    Ok(format!("{before}{value}{after}"))
}

fn node_at<'n>(root: &'n Node, path: &[Step]) -> Option<&'n Node> {
    let mut node = root;
    for step in path {
        node = match (step, &node.value) {
            (Step::Key(k), Value::Map(entries)) => &entries.iter().find(|e| e.key == *k)?.value,
            (Step::Index(i), Value::Seq(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The new file must read as the old one with `sets` applied at `path`.
fn check(old: &str, new: &str, path: &[Step], sets: &[Set<'_>], lang: Lang) -> Result<(), Refused> {
    super::verify(old, new, lang, |want| {
        let mut at = want;
        for step in path {
            at = match step {
                Step::Key(k) => at.get_mut(*k),
                Step::Index(i) => at.get_mut(*i),
            }?;
        }
        let obj = at.as_object_mut()?;
        for set in sets {
            obj.insert(set.key.to_string(), scalar_json(&set.value));
        }
        Some(())
    })
}

/// `s` as a YAML scalar: plain when YAML reads it back as the same string,
/// else double-quoted.
pub(crate) fn string(s: &str) -> String {
    let plain = !s.is_empty()
        && s.trim() == s
        && !s.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`', '~',
        ])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.contains(['\n', '\r', '\t'])
        && scalar_json(s) == serde_json::Value::String(s.to_string());
    if plain {
        s.to_string()
    } else {
        let escaped = s.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{escaped}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Node {
        let split = crate::frontmatter::split(text).unwrap();
        yaml::parse_full(split.yaml, split.yaml_line).0.unwrap()
    }

    fn set(text: &str, path: &[Step], sets: &[Set<'_>]) -> Result<String, Refused> {
        set_scalars(text, &tree(text), path, sets, Lang::En)
    }

    const TASK: &[Step] = &[
        Step::Key("milestones"),
        Step::Index(0),
        Step::Key("tasks"),
        Step::Index(0),
    ];

    #[test]
    fn replaces_in_place_and_inserts_after_its_neighbour() {
        let text = "---\nmilestones:\n  - id: m1\n    tasks:\n      - role: pm\n        do: x   # why\n        due: 2027-01-22\n        status: \"doing\"  # soon\n---\n";
        let new = set(
            text,
            TASK,
            &[
                Set {
                    key: "status",
                    value: "done".into(),
                    after: &["due"],
                },
                Set {
                    key: "done_on",
                    value: "2027-01-25".into(),
                    after: &["due", "status"],
                },
            ],
        )
        .unwrap();
        assert_eq!(
            new,
            "---\nmilestones:\n  - id: m1\n    tasks:\n      - role: pm\n        do: x   # why\n        due: 2027-01-22\n        status: done  # soon\n        done_on: 2027-01-25\n---\n"
        );
    }

    #[test]
    fn a_flow_mapping_on_one_line_gets_the_key_before_its_brace() {
        let text = "---\nmilestones:\n  - id: m1\n    tasks:\n      - { role: pm, do: x, status: todo }\n---\n";
        let new = set(
            text,
            TASK,
            &[
                Set {
                    key: "status",
                    value: "dropped".into(),
                    after: &[],
                },
                Set {
                    key: "note",
                    value: string("not needed: the BI has it"),
                    after: &[],
                },
            ],
        )
        .unwrap();
        assert_eq!(
            new,
            "---\nmilestones:\n  - id: m1\n    tasks:\n      - { role: pm, do: x, status: dropped, note: \"not needed: the BI has it\" }\n---\n"
        );
    }

    #[test]
    fn strings_are_plain_only_when_they_read_back_the_same() {
        assert_eq!(string("既存の BI で足りる"), "既存の BI で足りる");
        assert_eq!(string("a: b"), "\"a: b\"");
        assert_eq!(string("- x"), "\"- x\"");
        assert_eq!(string("yes"), "yes");
        assert_eq!(string("1.5"), "\"1.5\"");
        assert_eq!(string("null"), "\"null\"");
        assert_eq!(string("say \"hi\""), "say \"hi\"");
        assert_eq!(string("#1"), "\"#1\"");
    }

    #[test]
    fn refuses_a_value_over_several_lines() {
        let text = "---\nmilestones:\n  - id: m1\n    tasks:\n      - role: pm\n        do: >\n          long\n---\n";
        assert!(
            set(
                text,
                TASK,
                &[Set {
                    key: "do",
                    value: "y".into(),
                    after: &[]
                }]
            )
            .is_err()
        );
    }
}
