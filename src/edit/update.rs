//! Appending an entry to `updates`: the block `planbook milestone … done`
//! leaves for the review to fill in.

use super::{Lines, Refused, byte_at, cannot, indent, unsafe_edit};
use crate::i18n::Lang;
use crate::yaml::{self, Value};

/// The plan file `text` with `item` appended to `updates`. `item` is a
/// block list item without indentation (`- date: …`, then its keys
/// indented by two); it is indented like the items before it (two spaces
/// under the key in a new list). `updates: []` becomes a block list.
pub(crate) fn append_update(text: &str, item: &[String], lang: Lang) -> Result<String, Refused> {
    let lines = Lines::new(text);
    let root = super::tree(text).ok_or_else(|| unsafe_edit(lang))?;
    let Value::Map(entries) = &root.value else {
        return Err(cannot(lang));
    };
    let shifted = |pad: usize| -> Vec<String> {
        item.iter()
            .map(|l| format!("{}{l}{}", " ".repeat(pad), lines.eol))
            .collect()
    };
    let new = match entries.iter().find(|e| e.key == "updates") {
        None => {
            let body = body_line(text).ok_or_else(|| unsafe_edit(lang))?;
            let mut new = vec![format!("updates:{}", lines.eol)];
            new.extend(shifted(2));
            lines.splice(body.saturating_sub(1), 0, &new)
        }
        Some(e) => {
            let key_line = lines.get(e.key_pos.line);
            let after_colon = key_line
                .get(byte_at(key_line, e.key_pos.column)..)
                .and_then(|s| s.split_once(':'))
                .map_or("", |(_, rest)| rest);
            let pad = indent(key_line) + 2;
            match &e.value.value {
                _ if e.value.is_null() => lines.splice(e.key_pos.line + 1, 0, &shifted(pad)),
                Value::Seq(items) if items.is_empty() => {
                    // `updates: []  # note` → `updates:  # note` and a block.
                    let Some(at) = key_line.find("[]") else {
                        return Err(cannot(lang));
                    };
                    let mut head = key_line.to_string();
                    // The space before `[]` goes with it.
                    let from = if key_line.get(..at).is_some_and(|b| b.ends_with(' ')) {
                        at - 1
                    } else {
                        at
                    };
                    head.replace_range(from..at + 2, "");
                    let head = head.trim_end().to_string();
                    let mut new = vec![format!("{head}{}", lines.eol)];
                    new.extend(shifted(pad));
                    lines.splice(e.key_pos.line, 1, &new)
                }
                Value::Seq(items) if !after_colon.trim_start().starts_with('[') => {
                    let Some(last) = items.last() else {
                        return Err(cannot(lang));
                    };
                    let dash = indent(lines.get(last.pos.line));
                    let end = lines.item_end(last.pos.line, dash);
                    lines.splice(end + 1, 0, &shifted(dash))
                }
                _ => return Err(cannot(lang)),
            }
        }
    };
    check(text, &new, item, lang)?;
    Ok(new)
}

/// The file line where the body starts (after the closing `---`).
fn body_line(text: &str) -> Option<usize> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    crate::frontmatter::split(text).ok().map(|s| s.body_line)
}

/// The new file must read as the old one with `item` appended to `updates`.
fn check(old: &str, new: &str, item: &[String], lang: Lang) -> Result<(), Refused> {
    super::verify(old, new, lang, |want| {
        let doc: String = item.iter().map(|l| format!("  {l}\n")).collect();
        let (root, errors) = yaml::parse_full(&format!("x:\n{doc}"), 1);
        let entry = root
            .filter(|_| errors.is_empty())
            .map(|r| r.to_json())
            .and_then(|j| j.get("x").and_then(|x| x.get(0)).cloned())?;
        super::list_mut(want, "updates")?.push(entry);
        Some(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> Vec<String> {
        [
            "- date: 2027-01-29",
            "  milestone: m1",
            "  story: （ストーリー）",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn appends_in_every_shape_of_the_list() {
        for (list, after) in [
            (
                "updates:\n  - date: 2027-01-10\n    milestone: m0\n    story: a\n",
                "updates:\n  - date: 2027-01-10\n    milestone: m0\n    story: a\n  - date: 2027-01-29\n    milestone: m1\n    story: （ストーリー）\n",
            ),
            (
                "updates: []  # none yet\n",
                "updates:  # none yet\n  - date: 2027-01-29\n    milestone: m1\n    story: （ストーリー）\n",
            ),
            (
                "updates:\n",
                "updates:\n  - date: 2027-01-29\n    milestone: m1\n    story: （ストーリー）\n",
            ),
            (
                "",
                "updates:\n  - date: 2027-01-29\n    milestone: m1\n    story: （ストーリー）\n",
            ),
        ] {
            let text = format!("---\ntitle: x\n{list}---\nbody\n");
            let want = format!("---\ntitle: x\n{after}---\nbody\n");
            assert_eq!(
                append_update(&text, &item(), Lang::En).unwrap(),
                want,
                "{list}"
            );
        }
        let flow = "---\nupdates: [{date: 2027-01-10, milestone: m0}]\n---\n";
        assert!(append_update(flow, &item(), Lang::En).is_err());
    }
}
