//! Editing a plan file in place, for the commands that record progress
//! (`planbook measure`): the edit touches only the lines it means to,
//! keeping everything else byte for byte (comments, key order, quoting,
//! flow or block style, blank lines, line endings, a BOM, the body).
//!
//! No YAML is re-serialised. The positioned tree ([`crate::yaml`]) says
//! where things are; the new text is made in the style of its neighbours
//! and spliced in by lines. A shape the editor cannot edit safely (an
//! anchor or alias, a flow list over several lines, a quoted number) is
//! refused with a message rather than guessed at, and every edit is
//! checked by parsing the result again: the document must equal the old
//! one but for the intended change.

use crate::i18n::Lang;
use crate::tr;
use crate::yaml;

mod map;
mod measure;
mod update;

pub(crate) use map::{Set, Step, set_scalars, string};
pub(crate) use measure::{Outcome, record_measurement, recorded};
pub(crate) use update::append_update;

/// An edit the editor will not make: the message says why and what to do.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// A plan file as lines: the text without its BOM, split after each `\n`.
struct Lines<'a> {
    bom: bool,
    eol: &'static str,
    /// Each line with its line ending.
    lines: Vec<&'a str>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let (bom, body) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let eol = if body.contains("\r\n") { "\r\n" } else { "\n" };
        Lines {
            bom,
            eol,
            lines: body.split_inclusive('\n').collect(),
        }
    }

    /// The last line of the block-list item that starts on line `first`
    /// with its dash at column `dash` (0-based): the lines after it that
    /// are indented past the dash belong to it; a blank line ends it.
    fn item_end(&self, first: usize, dash: usize) -> usize {
        let mut end = first;
        while end < self.lines.len() {
            let next = self.get(end + 1);
            if next.trim().is_empty() || indent(next) <= dash {
                break;
            }
            end += 1;
        }
        end
    }

    /// Line `n` (1-based) without its line ending.
    fn get(&self, n: usize) -> &'a str {
        self.lines
            .get(n.wrapping_sub(1))
            .map_or("", |l| l.trim_end_matches(['\n', '\r']))
    }

    /// The file with some lines replaced (`replaced`: line number, new text
    /// without its ending) and lines inserted after others (`inserted`,
    /// in order). Line numbers are the original file's, 1-based.
    fn rewrite(&self, replaced: &[(usize, String)], inserted: &[(usize, String)]) -> String {
        let mut out = String::new();
        if self.bom {
            out.push('\u{feff}');
        }
        for (i, l) in self.lines.iter().enumerate() {
            let n = i + 1;
            match replaced.iter().find(|(r, _)| *r == n) {
                Some((_, text)) => {
                    out.push_str(text);
                    let ending = l
                        .get(l.trim_end_matches(['\n', '\r']).len()..)
                        .unwrap_or("");
                    out.push_str(ending);
                }
                None => out.push_str(l),
            }
            for (_, text) in inserted.iter().filter(|(after, _)| *after == n) {
                if !out.ends_with('\n') {
                    out.push_str(self.eol);
                }
                out.push_str(text);
                out.push_str(self.eol);
            }
        }
        out
    }

    /// The file with `new` (whole lines, each ending in the file's line
    /// ending) inserted before line `at` (1-based) and `drop` lines from
    /// there removed.
    fn splice(&self, at: usize, drop: usize, new: &[String]) -> String {
        let mut out = String::new();
        if self.bom {
            out.push('\u{feff}');
        }
        let at = at.saturating_sub(1).min(self.lines.len());
        for l in self.lines.iter().take(at) {
            out.push_str(l);
        }
        // The line before may lack a final newline: give it one.
        if at > 0 && !out.ends_with('\n') && !new.is_empty() {
            out.push_str(self.eol);
        }
        for l in new {
            out.push_str(l);
        }
        for l in self.lines.iter().skip(at + drop) {
            out.push_str(l);
        }
        out
    }
}

/// The refusal for a shape the editor does not edit.
fn cannot(lang: Lang) -> Refused {
    Refused(tr!(
        lang,
        "この部分の書き方（複数行の値、複数行にわたるフロー形式など）を安全に編集できません。何も変えていません。手で書いてください",
        "this part of the file is written in a shape that cannot be edited safely (a value over several lines, a flow list over several lines, …), and nothing was changed: write it by hand"
    ))
}

/// The frontmatter of a plan file as parsed, for the editor's checks and
/// for finding what to edit; `None` when it does not parse cleanly.
pub(crate) fn tree(text: &str) -> Option<yaml::Node> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = crate::frontmatter::split(text).ok()?;
    let (root, errors) = yaml::parse_full(split.yaml, split.yaml_line);
    errors.is_empty().then_some(())?;
    root
}

/// [`tree`] as JSON.
fn tree_json(text: &str) -> Option<serde_json::Value> {
    tree(text).map(|r| r.to_json())
}

/// Checks an edit by reading both files back: `expect` makes the intended
/// change to the old frontmatter (as JSON), and the new frontmatter must
/// equal the result, key order aside. A file that does not parse, an
/// `expect` that finds nothing to change (`None`) or any other difference
/// refuses the edit: it is a bug in the editor, and nothing is written.
fn verify(
    old: &str,
    new: &str,
    lang: Lang,
    expect: impl FnOnce(&mut serde_json::Value) -> Option<()>,
) -> Result<(), Refused> {
    let (Some(mut want), Some(got)) = (tree_json(old), tree_json(new)) else {
        return Err(unsafe_edit(lang));
    };
    match expect(&mut want) {
        Some(()) if same_ignoring_key_order(&want, &got) => Ok(()),
        _ => Err(unsafe_edit(lang)),
    }
}

/// The top-level list `key` of a frontmatter as JSON, made an empty list
/// when it is absent or null.
fn list_mut<'j>(
    root: &'j mut serde_json::Value,
    key: &str,
) -> Option<&'j mut Vec<serde_json::Value>> {
    let list = root
        .as_object_mut()?
        .entry(key)
        .or_insert(serde_json::Value::Null);
    if list.is_null() {
        *list = serde_json::Value::Array(Vec::new());
    }
    list.as_array_mut()
}

/// The JSON a YAML scalar written as `text` reads as.
fn scalar_json(text: &str) -> serde_json::Value {
    let (root, _) = yaml::parse_full(&format!("v: {text}\n"), 1);
    root.map(|r| r.to_json())
        .and_then(|j| j.get("v").cloned())
        .unwrap_or(serde_json::Value::Null)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The byte offset in `line` of 1-based character column `col`.
fn byte_at(line: &str, col: usize) -> usize {
    line.char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i)
}

fn same_ignoring_key_order(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_ignoring_key_order(v, w)))
        }
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_ignoring_key_order(v, w))
        }
        _ => a == b,
    }
}

fn unsafe_edit(lang: Lang) -> Refused {
    Refused(tr!(
        lang,
        "この書き方のファイルを安全に編集できませんでした。何も変えていません。手で書いてください",
        "the edit could not be made safely in this file, and nothing was changed: write this one by hand"
    ))
}

/// A value as a person types it — `1.62`, `1.62%`, `１．６２％`, `-3` —
/// checked against the metric's `unit` and written as a plain YAML number.
pub(crate) fn parse_value(input: &str, unit: &str, lang: Lang) -> Result<String, Refused> {
    let half: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' | '−' => '-',
            '＋' => '+',
            '％' => '%',
            '，' => ',',
            _ => c,
        })
        .collect();
    let unit_half = unit.trim();
    let number = half
        .strip_suffix(unit_half)
        .filter(|_| !unit_half.is_empty())
        .unwrap_or(&half)
        .trim()
        .replace(',', "");
    let number = number.strip_prefix('+').unwrap_or(&number);
    match number.parse::<f64>() {
        Ok(v) if v.is_finite() && yaml::scalar_number(number).is_some() => Ok(number.to_string()),
        _ => Err(Refused(tr!(
            lang,
            "`{input}` は数値として読めません（単位は {unit}）。例: 1.62",
            "`{input}` is not a number (the metric's unit is {unit}); e.g. 1.62"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_people_type_them() {
        let ok = |s: &str| parse_value(s, "%", Lang::En).unwrap();
        assert_eq!(ok("1.62"), "1.62");
        assert_eq!(ok("1.62%"), "1.62");
        assert_eq!(ok(" １．６２％ "), "1.62");
        assert_eq!(ok("-3"), "-3");
        assert_eq!(ok("1,250"), "1250");
        assert!(parse_value("1.62pt", "%", Lang::En).is_err());
        assert!(parse_value("abc", "%", Lang::En).is_err());
        assert!(parse_value("NaN", "%", Lang::En).is_err());
        assert_eq!(parse_value("125万", "万PV/週", Lang::En).ok(), None);
        assert_eq!(
            parse_value("125万PV/週", "万PV/週", Lang::En).unwrap(),
            "125"
        );
    }
}
