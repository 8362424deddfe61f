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

/// True when `text`, trimmed, is a placeholder: wholly enclosed in one pair
/// of brackets (`（…）` or `(…)`, no closing bracket in between), or one
/// of `words` ignoring case (docs/rules.md, PLN004).
pub fn is_placeholder(text: &str, words: &[String]) -> bool {
    let t = text.trim();
    is_bracketed(t) || words.iter().any(|w| eq_ignore_case(t, w.trim()))
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

/// Equal ignoring case, without allocating (every string of every plan
/// is compared with every word).
fn eq_ignore_case(a: &str, b: &str) -> bool {
    if b.is_empty() {
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    // Lowercasing changes a character's length by a factor of 3 at most.
    if a.len() > 3 * b.len() || b.len() > 3 * a.len() {
        return false;
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// PLN004 over a parsed frontmatter tree and the body that follows it
/// (which starts on file line `body_line`). One finding per placeholder
/// value, at the value; one per body line whose trimmed text is a bracket
/// placeholder, at its first non-space character.
pub fn pln004(
    root: &Node,
    body: &str,
    body_line: usize,
    words: &[String],
    lang: Lang,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut path = String::new();
    walk(root, &mut path, words, lang, &mut out);
    for (i, line) in body.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let text = line.trim();
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

/// Visits every scalar of the tree; `path` is the key path so far
/// (`milestones[0].tasks[1].done_when`), for messages.
fn walk(node: &Node, path: &mut String, words: &[String], lang: Lang, out: &mut Vec<Finding>) {
    match &node.value {
        Value::Scalar { text, .. } => {
            if node.is_null() || !is_placeholder(text, words) {
                return;
            }
            let text = text.trim();
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
            let len = path.len();
            for (i, item) in items.iter().enumerate() {
                let _ = write!(path, "[{i}]");
                walk(item, path, words, lang, out);
                path.truncate(len);
            }
        }
        Value::Map(entries) => {
            let len = path.len();
            for e in entries {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&e.key);
                walk(&e.value, path, words, lang, out);
                path.truncate(len);
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
