//! PLN004: placeholders left from a template (`（完了状態）`, `TODO`).
//!
//! Unlike the other rules this one reads the YAML tree and the markdown
//! body, which a lint does not keep, so it runs while the plan is parsed
//! (like PLN001, in [`crate::frontmatter::parse_plan`]). It imports only
//! leaf modules, so the parser can call it without a cycle.

use std::fmt::Write as _;

use super::rules::PLN004;
use crate::diag::Finding;
use crate::i18n::Lang;
use crate::tr;
use crate::yaml::{Node, Pos, Value};

/// `[lint] placeholder_words`, lowercased once: every string of every plan
/// is compared with every word.
struct Words {
    lowered: Vec<String>,
    /// No value longer than this (in bytes) can equal a word ignoring case:
    /// lowercasing shrinks a character to a third of its bytes at most.
    max_len: usize,
}

impl Words {
    fn new(words: &[String]) -> Words {
        let lowered: Vec<String> = words
            .iter()
            .map(|w| w.trim().to_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        let max_len = lowered.iter().map(String::len).max().unwrap_or(0) * 3;
        Words { lowered, max_len }
    }

    /// True when `text`, trimmed, is a placeholder: wholly enclosed in one
    /// pair of brackets (`（…）` or `(…)`, no closing bracket in between),
    /// or one of the words ignoring case (docs/rules.md, PLN004).
    fn matches(&self, text: &str) -> bool {
        let t = text.trim();
        is_bracketed(t) || self.is_word(t)
    }

    fn is_word(&self, t: &str) -> bool {
        if t.is_empty() || t.len() > self.max_len {
            return false;
        }
        if t.is_ascii() {
            // An ASCII text lowercases to ASCII: only ASCII words can match.
            return self.lowered.iter().any(|w| w.eq_ignore_ascii_case(t));
        }
        // Most values start differently from every word: compare first
        // characters before lowercasing the whole text.
        let Some(first) = t.chars().next().and_then(|c| c.to_lowercase().next()) else {
            return false;
        };
        if !self.lowered.iter().any(|w| w.starts_with(first)) {
            return false;
        }
        let lower = t.to_lowercase();
        self.lowered.contains(&lower)
    }
}

/// True when `text` is a placeholder (PLN004) for `words`
/// (`[lint] placeholder_words`): the parser leaves a placeholder where a
/// number goes to PLN004 instead of reporting a wrong type.
pub(crate) fn is_placeholder(text: &str, words: &[String]) -> bool {
    Words::new(words).matches(text)
}

/// `（…）` or `(…)` with no closing bracket inside.
fn is_bracketed(t: &str) -> bool {
    let inner = if let Some(rest) = t.strip_prefix('（') {
        rest.strip_suffix('）')
    } else if let Some(rest) = t.strip_prefix('(') {
        rest.strip_suffix(')')
    } else {
        None
    };
    inner.is_some_and(|s| !s.contains(['）', ')']))
}

/// PLN004 over a parsed frontmatter tree and the body that follows it
/// (which starts on file line `body_line`). One finding per placeholder
/// value, at the value; one per body line whose trimmed text is a bracket
/// placeholder, at its first non-space character.
pub(crate) fn pln004(
    root: &Node,
    body: &str,
    body_line: usize,
    words: &[String],
    lang: Lang,
) -> Vec<Finding> {
    let mut out = Vec::new();
    walk(root, &mut Vec::new(), &Words::new(words), lang, &mut out);
    for (i, line) in body.split('\n').enumerate() {
        // Only a line whose first non-space character opens a bracket can
        // be a placeholder: look no further into the others.
        let start = line.trim_start();
        if !start.starts_with(['（', '(']) {
            continue;
        }
        let text = start.trim_end();
        if !is_bracketed(text) {
            continue;
        }
        let column = line.chars().take_while(|c| c.is_whitespace()).count() + 1;
        out.push(Finding::new(
            PLN004,
            Pos::new(body_line + i, column),
            tr!(
                lang,
                "本文の「{text}」はテンプレートのプレースホルダーのままです。チームの言葉で書き換えてください",
                "the body still has the template placeholder \"{text}\": replace it with the team's own words"
            ),
        ));
    }
    out
}

/// A step of the key path to a value, formatted only for a finding.
enum Step<'n> {
    Key(&'n str),
    Index(usize),
}

/// `milestones[0].tasks[1].done_when`.
fn path_text(path: &[Step<'_>]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

/// Keys whose values are enum values, ids or dates, not text: `status:
/// todo` is the documented default, not the placeholder word "TODO".
const NOT_TEXT: &[&str] = &[
    "status",
    "direction",
    "every",
    "weekday",
    "verdict",
    "evidence",
    "role",
    "milestone",
    "question",
    "id",
    "start",
    "due",
    "review",
    "done_on",
    "date",
    "dates",
];

/// True when the value at `path` is an enum value, an id or a date: the
/// nearest key names one (a list item of `dates` counts as `dates`).
fn is_not_text(path: &[Step<'_>]) -> bool {
    let key = path.iter().rev().find_map(|s| match s {
        Step::Key(k) => Some(*k),
        Step::Index(_) => None,
    });
    key.is_some_and(|k| NOT_TEXT.contains(&k))
}

/// Visits every scalar of the tree; `path` is the key path so far.
fn walk<'n>(
    node: &'n Node,
    path: &mut Vec<Step<'n>>,
    words: &Words,
    lang: Lang,
    out: &mut Vec<Finding>,
) {
    match &node.value {
        Value::Scalar { text, .. } => {
            // An enum value, id or date is no placeholder word (`status:
            // todo`), but a bracket placeholder there still is one.
            let placeholder =
                words.matches(text) && (is_bracketed(text.trim()) || !is_not_text(path));
            if node.is_null() || !placeholder {
                return;
            }
            let (path, text) = (path_text(path), text.trim());
            out.push(Finding::new(
                PLN004,
                node.pos,
                tr!(
                    lang,
                    "`{path}` はテンプレートのプレースホルダー「{text}」のままです。実際の内容を書いてください",
                    "`{path}` is still the template placeholder \"{text}\": fill in the real value"
                ),
            ));
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                walk(item, path, words, lang, out);
                path.pop();
            }
        }
        Value::Map(entries) => {
            for e in entries {
                path.push(Step::Key(&e.key));
                walk(&e.value, path, words, lang, out);
                path.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Vec<String> {
        crate::config::Config::default().lint.placeholder_words
    }

    #[test]
    fn brackets_and_words_are_placeholders() {
        let mut w = words();
        w.push("ＴＢＤ".into());
        for p in [
            "（完了状態）",
            " (done-state) ",
            "()",
            "TODO",
            "tbd",
            "未定",
            "XXX",
        ] {
            assert!(is_placeholder(p, &w), "{p}");
        }
        for p in [
            "（株）ABC",
            "（A）と（B）",
            "(A) and (B)",
            "ABC（株）",
            "（完了状態)",
            "TODO: 決める",
            "",
            "2.5",
            "未定義",
            "TODOS",
        ] {
            assert!(!is_placeholder(p, &w), "{p}");
        }
    }

    #[test]
    fn words_compare_ignoring_unicode_case() {
        let w = vec!["\u{212A}".to_string(), "ÄÖ".to_string(), String::new()];
        // The Kelvin sign lowercases to an ASCII k: a third of its bytes.
        assert!(is_placeholder("k", &w));
        let kelvins = "\u{212A}\u{212A}\u{212A}";
        assert!(is_placeholder(kelvins, &["kkk".to_string()]));
        assert!(is_placeholder("kkk", &[kelvins.to_string()]));
        assert!(is_placeholder("\u{212A}", &["k".to_string()]));
        assert!(is_placeholder("äö", &w));
        assert!(!is_placeholder("äöx", &w));
        // An empty word matches nothing, not even an empty value.
        assert!(!is_placeholder("", &w));
        assert!(!is_placeholder("  ", &w));
    }

    #[test]
    fn enum_values_ids_and_dates_are_not_text() {
        let yaml = "status: todo\nmilestones:\n  - id: TODO\n    title: TODO\n    tasks:\n      - status: TODO\n        role: tbd\n        do: 未定\nmeetings:\n  executive:\n    dates: [TODO]\nmetric:\n  direction: TBD\n";
        let (root, _) = crate::yaml::parse(yaml, 2);
        let root = root.unwrap();
        let f = pln004(&root, "", 20, &words(), Lang::En);
        let at: Vec<_> = f.iter().map(|f| f.pos.line).collect();
        // Only the milestone's title and the task's `do` are text.
        assert_eq!(at, [5, 9], "{f:?}");
        // A bracket placeholder is one wherever it stands.
        let (root, _) =
            crate::yaml::parse("updates:\n  - verdict: （どれか）\n    milestone: m1\n", 2);
        let f = pln004(&root.unwrap(), "", 20, &words(), Lang::En);
        assert_eq!(f.iter().map(|f| f.pos.line).collect::<Vec<_>>(), [3]);
    }

    #[test]
    fn body_lines_point_at_their_first_character() {
        let (root, _) = crate::yaml::parse("title: （計画名）\nid: x\n", 2);
        let root = root.unwrap();
        let f = pln004(
            &root,
            "# 見出し\n\n  （ストーリー）\r\n（A）と（B）\n",
            5,
            &words(),
            Lang::En,
        );
        let at: Vec<_> = f.iter().map(|f| (f.pos.line, f.pos.column)).collect();
        assert_eq!(at, [(2, 8), (7, 3)]);
        assert!(f[0].message.contains("`title`"), "{}", f[0].message);
    }
}
