//! Recording a measurement: appended to `measurements` in the style of
//! the list, or written over the value of that day (`--replace`).

use chrono::NaiveDate;

use super::{Lines, Refused, byte_at, indent};
use crate::i18n::Lang;
use crate::tr;
use crate::yaml::{self, Node, Value};

/// What a measurement edit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Appended,
    /// `--replace`: the value of the measurement on that date changed.
    Replaced,
    /// The same value on the same date is recorded already.
    Unchanged,
}

/// A measurement in the file: its date and the node of its value.
struct Item<'n> {
    node: &'n Node,
    date: Option<NaiveDate>,
    /// `date` and `value` in the order the item writes them.
    keys: Vec<&'n str>,
}

fn item(node: &Node) -> Option<Item<'_>> {
    let Value::Map(entries) = &node.value else {
        return None;
    };
    let date = entries
        .iter()
        .find(|e| e.key == "date")
        .and_then(|e| e.value.value.as_scalar())
        .and_then(|t| crate::frontmatter::parse_date(t).ok());
    Some(Item {
        node,
        date,
        keys: entries.iter().map(|e| e.key.as_str()).collect(),
    })
}

/// The value recorded on `date` in the plan file `text`, as written.
pub(crate) fn recorded(text: &str, date: NaiveDate) -> Option<String> {
    let root = super::tree(text)?;
    let Value::Map(entries) = &root.value else {
        return None;
    };
    let Value::Seq(items) = &entries
        .iter()
        .find(|e| e.key == "measurements")?
        .value
        .value
    else {
        return None;
    };
    items.iter().find_map(|n| {
        let Value::Map(kv) = &n.value else {
            return None;
        };
        let get = |k: &str| {
            kv.iter()
                .find(|e| e.key == k)
                .and_then(|e| e.value.value.as_scalar())
        };
        let d = crate::frontmatter::parse_date(get("date")?).ok()?;
        (d == date)
            .then(|| get("value").map(str::to_string))
            .flatten()
    })
}

/// Records the measurement `value` (a plain YAML number, as it is to be
/// written) on `date` in the plan file `text`: appended to `measurements`
/// in the style of the items before it, or, with `replace`, written over
/// the value of the measurement already on that date. A date before the
/// latest one, or a date already recorded (without `replace`), is refused.
pub(crate) fn record_measurement(
    text: &str,
    date: NaiveDate,
    value: &str,
    replace: bool,
    lang: Lang,
) -> Result<(String, Outcome), Refused> {
    let refuse = |msg: String| Err(Refused(msg));
    let lines = Lines::new(text);
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok(split) = crate::frontmatter::split(body) else {
        return refuse(tr!(
            lang,
            "フロントマター（`---` で囲んだ YAML）がないため記録できません",
            "the file has no frontmatter (YAML between `---` lines) to record in"
        ));
    };
    let (root, errors) = yaml::parse_full(split.yaml, split.yaml_line);
    let (Some(root), true) = (root, errors.is_empty()) else {
        return refuse(tr!(
            lang,
            "フロントマターの YAML が読めません。`planbook lint` で直してから記録してください",
            "the frontmatter is not valid YAML: fix it (`planbook lint`) before recording"
        ));
    };
    let Value::Map(entries) = &root.value else {
        return refuse(tr!(
            lang,
            "フロントマターがマッピングではありません",
            "the frontmatter is not a mapping"
        ));
    };
    let d = date.to_string();
    let entry = entries.iter().find(|e| e.key == "measurements");
    let (new_text, outcome) = match entry {
        // No list yet: one at the end of the frontmatter.
        None => {
            let close = split.body_line.saturating_sub(1);
            let new = [
                format!("measurements:{}", lines.eol),
                format!("  - {{ date: {d}, value: {value} }}{}", lines.eol),
            ];
            (lines.splice(close, 0, &new), Outcome::Appended)
        }
        Some(e) if e.value.is_null() => {
            let key_line = lines.get(e.key_pos.line);
            let after = key_line
                .get(byte_at(key_line, e.key_pos.column)..)
                .and_then(|s| s.split_once(':'))
                .map_or("", |(_, rest)| rest.trim());
            if !(after.is_empty() || after.starts_with('#')) {
                return refuse(tr!(
                    lang,
                    "measurements が `{after}` と書かれています。リストにしてから記録してください",
                    "measurements is written as `{after}`: make it a list first"
                ));
            }
            let pad = " ".repeat(indent(key_line) + 2);
            let new = [format!(
                "{pad}- {{ date: {d}, value: {value} }}{}",
                lines.eol
            )];
            (lines.splice(e.key_pos.line + 1, 0, &new), Outcome::Appended)
        }
        Some(e) => {
            let Value::Seq(nodes) = &e.value.value else {
                return refuse(tr!(
                    lang,
                    "measurements がリストではありません",
                    "measurements is not a list"
                ));
            };
            let items: Vec<Item<'_>> = nodes.iter().filter_map(item).collect();
            if items.len() != nodes.len() {
                return refuse(tr!(
                    lang,
                    "measurements に {{date, value}} ではない項目があります。`planbook lint` で直してから記録してください",
                    "measurements has an item that is not {{date, value}}: fix it (`planbook lint`) before recording"
                ));
            }
            let region_end = nodes.last().map_or(e.key_pos.line, |n| n.pos.line);
            if (e.key_pos.line..=region_end).any(|n| lines.get(n).contains(['&', '*'])) {
                return refuse(tr!(
                    lang,
                    "measurements にアンカーかエイリアス（& や *）があります。安全に編集できないので、手で書いてください",
                    "measurements uses an anchor or alias (& or *), which cannot be edited safely: write this one by hand"
                ));
            }
            if let Some(same) = items.iter().find(|i| i.date == Some(date)) {
                if !replace {
                    return refuse(tr!(
                        lang,
                        "{d} の計測値はもう記録されています。書き換えるときは --replace を付けてください",
                        "a measurement on {d} is recorded already: add --replace to overwrite it"
                    ));
                }
                replace_value(&lines, same, value, lang)?
            } else {
                if let Some(latest) = items.iter().filter_map(|i| i.date).max()
                    && date < latest
                {
                    return refuse(tr!(
                        lang,
                        "{d} は最新の計測日 {latest} より前です。計測値は日付の順に記録します",
                        "{d} is before the latest measurement ({latest}): measurements are recorded in date order"
                    ));
                }
                append(&lines, e, &items, &d, value, lang)?
            }
        }
    };
    verify(text, &new_text, date, value, outcome, lang)?;
    Ok((new_text, outcome))
}

/// The new text with `value` written over the value of `same`.
fn replace_value(
    lines: &Lines<'_>,
    same: &Item<'_>,
    value: &str,
    lang: Lang,
) -> Result<(String, Outcome), Refused> {
    let Value::Map(entries) = &same.node.value else {
        return Err(Refused(String::new()));
    };
    let Some(v) = entries.iter().find(|e| e.key == "value") else {
        return Err(Refused(tr!(
            lang,
            "その日の計測に value がありません",
            "that day's measurement has no value"
        )));
    };
    let (Some(old), true) = (v.value.value.as_scalar(), is_plain(&v.value)) else {
        return Err(Refused(tr!(
            lang,
            "その日の value が数値として書かれていません。手で直してください",
            "that day's value is not written as a plain number: edit it by hand"
        )));
    };
    if old == value {
        return Ok((lines.splice(1, 0, &[]), Outcome::Unchanged));
    }
    let line = lines.get(v.value.pos.line);
    let at = byte_at(line, v.value.pos.column);
    let (Some(before), Some(after)) = (line.get(..at), line.get(at + old.len()..)) else {
        return Err(Refused(String::new()));
    };
    let new = format!("{before}{value}{after}{}", lines.eol);
    Ok((lines.splice(v.value.pos.line, 1, &[new]), Outcome::Replaced))
}

fn is_plain(node: &Node) -> bool {
    matches!(node.value, Value::Scalar { plain: true, .. })
}

/// The new text with `{date, value}` appended to the list of `e`, in the
/// style of its last item.
fn append(
    lines: &Lines<'_>,
    e: &yaml::Entry,
    items: &[Item<'_>],
    d: &str,
    value: &str,
    lang: Lang,
) -> Result<(String, Outcome), Refused> {
    let cannot = || {
        Refused(tr!(
            lang,
            "measurements の書き方（複数行にわたるフロー形式など）を安全に編集できません。手で書いてください",
            "measurements is written in a shape that cannot be edited safely (such as a flow list over several lines): write this one by hand"
        ))
    };
    let key_line = lines.get(e.key_pos.line);
    let after_key = key_line
        .get(byte_at(key_line, e.key_pos.column)..)
        .and_then(|s| s.split_once(':'))
        .map_or("", |(_, rest)| rest);
    let pair = |keys: &[&str], braces: bool| {
        let kv: Vec<String> = keys
            .iter()
            .map(|k| match *k {
                "date" => format!("date: {d}"),
                _ => format!("value: {value}"),
            })
            .collect();
        if braces {
            format!("{{ {} }}", kv.join(", "))
        } else {
            format!("{{{}}}", kv.join(", "))
        }
    };
    // A flow list on the key's line: `measurements: [...]`.
    if after_key.trim_start().starts_with('[') {
        let Some(close) = key_line.rfind(']') else {
            return Err(cannot());
        };
        if items.iter().any(|i| i.node.pos.line != e.key_pos.line) {
            return Err(cannot());
        }
        let (head, tail) = key_line.split_at(close);
        let new_item = match items.last() {
            Some(last) => {
                let spaced = lines
                    .get(last.node.pos.line)
                    .get(byte_at(key_line, last.node.pos.column)..)
                    .is_some_and(|s| s.starts_with("{ "));
                format!(", {}", pair(&last.keys, spaced))
            }
            None => pair(&["date", "value"], false),
        };
        let new = format!("{}{new_item}{tail}{}", head.trim_end(), lines.eol);
        return Ok((lines.splice(e.key_pos.line, 1, &[new]), Outcome::Appended));
    }
    // A block list: `- ` items on lines of their own.
    let Some(last) = items.last() else {
        return Err(cannot());
    };
    let line = lines.get(last.node.pos.line);
    let item_at = byte_at(line, last.node.pos.column);
    let Some(prefix) = line.get(..item_at) else {
        return Err(cannot());
    };
    if !prefix.trim_end().ends_with('-') || prefix.trim() != "-" {
        return Err(cannot());
    }
    let dash = indent(line);
    // The last item runs on while lines are indented past its dash.
    let end = lines.item_end(last.node.pos.line, dash);
    let rest = line.get(item_at..).unwrap_or("");
    let new: Vec<String> = if rest.starts_with('{') {
        if !rest.trim_end().ends_with('}') && !rest.contains("} ") {
            return Err(cannot());
        }
        vec![format!(
            "{prefix}{}{}",
            pair(&last.keys, rest.starts_with("{ ")),
            lines.eol
        )]
    } else {
        // Block mapping items: each key on a line of its own, aligned.
        if end - last.node.pos.line + 1 != last.keys.len() {
            return Err(cannot());
        }
        let pad = " ".repeat(prefix.chars().count());
        last.keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let v = if *k == "date" { d } else { value };
                let lead = if i == 0 { prefix } else { pad.as_str() };
                format!("{lead}{k}: {v}{}", lines.eol)
            })
            .collect()
    };
    Ok((lines.splice(end + 1, 0, &new), Outcome::Appended))
}

/// Parses the edited file again: its frontmatter must equal the old one
/// but for the one measurement. Anything else is a bug in the editor, and
/// the edit is refused rather than written.
fn verify(
    old: &str,
    new: &str,
    date: NaiveDate,
    value: &str,
    outcome: Outcome,
    lang: Lang,
) -> Result<(), Refused> {
    let (d, number) = (date.to_string(), super::scalar_json(value));
    super::verify(old, new, lang, |want| {
        let items = super::list_mut(want, "measurements")?;
        match outcome {
            Outcome::Appended => {
                items.push(serde_json::json!({ "date": d, "value": number }));
            }
            Outcome::Replaced => {
                for i in items.iter_mut() {
                    if i.get("date").and_then(|x| x.as_str()) == Some(d.as_str())
                        && let Some(v) = i.get_mut("value")
                    {
                        *v = number.clone();
                    }
                }
            }
            Outcome::Unchanged => {}
        }
        Some(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::frontmatter::parse_date(s).unwrap()
    }

    fn record(text: &str, date: &str, value: &str) -> Result<String, Refused> {
        record_measurement(text, d(date), value, false, Lang::En).map(|(t, _)| t)
    }

    const HEAD: &str = "---\ntitle: x\n";
    const TAIL: &str = "meetings: {}\n---\nbody\n";

    #[test]
    fn appends_in_the_style_of_the_list() {
        for (list, added) in [
            (
                "measurements:\n  - { date: 2027-01-04, value: 1.8 }\n",
                "  - { date: 2027-01-11, value: 1.7 }\n",
            ),
            (
                "measurements:\n- {date: 2027-01-04, value: 1.8}  # first\n",
                "- {date: 2027-01-11, value: 1.7}\n",
            ),
            (
                "measurements:\n  - value: 1.8\n    date: 2027-01-04\n",
                "  - value: 1.7\n    date: 2027-01-11\n",
            ),
        ] {
            let text = format!("{HEAD}{list}{TAIL}");
            let want = format!("{HEAD}{list}{added}{TAIL}");
            assert_eq!(record(&text, "2027-01-11", "1.7").unwrap(), want);
        }
        let flow = format!("{HEAD}measurements: [{{date: 2027-01-04, value: 1.8}}]  # w\n{TAIL}");
        assert_eq!(
            record(&flow, "2027-01-11", "1.7").unwrap(),
            format!(
                "{HEAD}measurements: [{{date: 2027-01-04, value: 1.8}}, {{date: 2027-01-11, value: 1.7}}]  # w\n{TAIL}"
            )
        );
        let empty = format!("{HEAD}measurements: []\n{TAIL}");
        assert_eq!(
            record(&empty, "2027-01-11", "1.7").unwrap(),
            format!("{HEAD}measurements: [{{date: 2027-01-11, value: 1.7}}]\n{TAIL}")
        );
        let null = format!("{HEAD}measurements:\n{TAIL}");
        assert_eq!(
            record(&null, "2027-01-11", "1.7").unwrap(),
            format!("{HEAD}measurements:\n  - {{ date: 2027-01-11, value: 1.7 }}\n{TAIL}")
        );
        let none = format!("{HEAD}{TAIL}");
        assert_eq!(
            record(&none, "2027-01-11", "1.7").unwrap(),
            format!(
                "{HEAD}meetings: {{}}\nmeasurements:\n  - {{ date: 2027-01-11, value: 1.7 }}\n---\nbody\n"
            )
        );
    }

    #[test]
    fn keeps_crlf_and_a_bom() {
        let text = "\u{feff}---\r\ntitle: x\r\nmeasurements:\r\n  - { date: 2027-01-04, value: 1.8 }\r\n---\r\n";
        assert_eq!(
            record(text, "2027-01-11", "1.7").unwrap(),
            "\u{feff}---\r\ntitle: x\r\nmeasurements:\r\n  - { date: 2027-01-04, value: 1.8 }\r\n  - { date: 2027-01-11, value: 1.7 }\r\n---\r\n"
        );
    }

    #[test]
    fn refuses_what_it_cannot_do_safely() {
        let list = "measurements:\n  - { date: 2027-01-11, value: 1.8 }\n";
        let text = format!("{HEAD}{list}{TAIL}");
        assert!(
            record(&text, "2027-01-04", "1.7").is_err(),
            "before the latest"
        );
        assert!(record(&text, "2027-01-11", "1.7").is_err(), "same date");
        let (t, o) = record_measurement(&text, d("2027-01-11"), "1.7", true, Lang::En).unwrap();
        assert_eq!(o, Outcome::Replaced);
        assert_eq!(t, text.replace("value: 1.8", "value: 1.7"));
        let alias = format!(
            "{HEAD}m: &m {{ date: 2027-01-04, value: 1.8 }}\nmeasurements:\n  - *m\n{TAIL}"
        );
        assert!(record(&alias, "2027-01-11", "1.7").is_err(), "alias");
        let multi = format!("{HEAD}measurements: [\n  {{date: 2027-01-04, value: 1.8}}]\n{TAIL}");
        assert!(
            record(&multi, "2027-01-11", "1.7").is_err(),
            "multi-line flow"
        );
        assert!(record("no frontmatter\n", "2027-01-11", "1.7").is_err());
    }

    /// Generated plans in every list style, with a week of readings
    /// recorded one by one: each result parses, has one more measurement,
    /// keeps every line it had (a flow list's one line grows), and every
    /// refusal (a day before the latest) leaves the text as it was.
    #[test]
    fn generated_lists_take_a_season_of_readings() {
        let styles = [
            |d: &str, v: &str| format!("  - {{ date: {d}, value: {v} }}\n"),
            |d: &str, v: &str| format!("- {{date: {d}, value: {v}}}  # note\n"),
            |d: &str, v: &str| format!("  - date: {d}\n    value: {v}\n"),
            |d: &str, v: &str| format!("  - value: {v}\n    date: \"{d}\"\n"),
        ];
        for (i, x) in crate::testing::xorshift(0x5eed, 60) {
            let style = styles[(x % 4) as usize];
            let flow = x % 5 == 0;
            let crlf = x % 3 == 0;
            let n = (x >> 8) % 4;
            let mut day = d("2027-01-04");
            let mut list = String::new();
            let mut items = Vec::new();
            for k in 0..n {
                let v = format!("1.{}", 80 - k);
                if flow {
                    items.push(format!("{{date: {day}, value: {v}}}"));
                } else {
                    list.push_str(&style(&day.to_string(), &v));
                }
                day += chrono::Duration::days(7);
            }
            let list = if flow {
                format!("measurements: [{}]\n", items.join(", "))
            } else if n == 0 {
                "measurements:\n".to_string()
            } else {
                format!("measurements:\n  # weekly\n{list}")
            };
            let mut text = format!("---\ntitle: 計画 {i}\n{list}updates: []\n---\n## 本文\n");
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            for week in 0..3 {
                let before = text.clone();
                let early = day - chrono::Duration::days(30);
                if n + week > 0 {
                    assert!(
                        record_measurement(&text, early, "1.5", false, Lang::En).is_err(),
                        "{i}: a day before the latest"
                    );
                }
                let (new, outcome) =
                    record_measurement(&text, day, &format!("1.{}", 70 - week), false, Lang::En)
                        .unwrap_or_else(|e| panic!("{i} week {week}: {e}\n{text}"));
                assert_eq!(outcome, Outcome::Appended);
                let count = |t: &str| {
                    super::super::tree_json(t)
                        .and_then(|j| {
                            j.get("measurements")
                                .and_then(|m| m.as_array().map(Vec::len))
                        })
                        .unwrap_or(0)
                };
                assert_eq!(count(&new), count(&before) + 1, "{i}: {new}");
                let old_lines: Vec<&str> = before.split_inclusive('\n').collect();
                let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
                if flow {
                    assert_eq!(new_lines.len(), old_lines.len(), "{i}");
                } else {
                    // A block-map item is two lines; an empty list starts
                    // with a flow map, which later readings copy.
                    let block_maps = n > 0 && (x % 4) >= 2;
                    let grew = if block_maps { 2 } else { 1 };
                    assert_eq!(new_lines.len(), old_lines.len() + grew, "{i}: {new}");
                    assert!(
                        old_lines.iter().all(|l| new_lines.contains(l)),
                        "{i}: {new}"
                    );
                }
                if crlf {
                    assert!(!new.replace("\r\n", "").contains('\n'), "{i}: a bare LF");
                }
                text = new;
                day += chrono::Duration::days(7);
            }
        }
    }
}
