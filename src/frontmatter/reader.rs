//! The validating reader: walks the YAML tree with the path of each value
//! for messages, and turns each value into a `Field` (missing, invalid —
//! reported as PLN001 — or a value with its position).

use super::*;

/// Where a value is in the frontmatter (`milestones[0].due`), for messages.
/// Built on the stack and formatted only when a finding needs it.
#[derive(Clone, Copy)]
pub(super) enum KeyPath<'a> {
    Root,
    Key(&'a KeyPath<'a>, &'a str),
    Index(&'a KeyPath<'a>, usize),
}

impl std::fmt::Display for KeyPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyPath::Root => Ok(()),
            KeyPath::Key(KeyPath::Root, key) => f.write_str(key),
            KeyPath::Key(parent, key) => write!(f, "{parent}.{key}"),
            KeyPath::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// A mapping being validated: its entries and the position findings about
/// missing keys point at.
pub(super) struct Obj<'n, 'p> {
    entries: &'n [Entry],
    pos: Pos,
    path: &'p KeyPath<'p>,
}

impl<'n, 'p> Obj<'n, 'p> {
    pub(super) fn get(&self, key: &str) -> Option<&'n Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    pub(super) fn path<'k>(&'k self, key: &'k str) -> KeyPath<'k> {
        KeyPath::Key(self.path, key)
    }
}

pub(super) struct Reader<'c> {
    pub(super) lang: Lang,
    pub(super) config: &'c Config,
    pub(super) out: Vec<Finding>,
}

/// What a value should have been, for messages.
#[derive(Clone, Copy)]
pub(super) enum Expected {
    Text,
    Number,
    Date,
    List,
    Mapping,
}

impl Reader<'_> {
    pub(super) fn pln(&mut self, pos: Pos, message: String) {
        self.out.push(Finding::new(rules::PLN001, pos, message));
    }

    pub(super) fn wrong_type(
        &mut self,
        pos: Pos,
        path: &KeyPath<'_>,
        expected: Expected,
        node: &Node,
    ) {
        let lang = self.lang;
        let exp = match expected {
            Expected::Text => lang.pick("文字列", "a string"),
            Expected::Number => lang.pick("数値", "a number"),
            Expected::Date => lang.pick("日付 (YYYY-MM-DD)", "a date (YYYY-MM-DD)"),
            Expected::List => lang.pick("リスト", "a list"),
            Expected::Mapping => lang.pick("マッピング（キー: 値）", "a mapping (key: value)"),
        };
        let found = node.type_name();
        let msg = tr!(
            lang,
            "`{path}` は{exp}で書いてください（今は {found} です）",
            "`{path}` must be {exp}, found a {found}"
        );
        self.pln(pos, msg);
    }

    /// Checks that `node` is a mapping and reports unknown keys.
    pub(super) fn obj<'n, 'p>(
        &mut self,
        node: &'n Node,
        pos: Pos,
        path: &'p KeyPath<'p>,
        known: &[&str],
    ) -> Option<Obj<'n, 'p>> {
        let Value::Map(entries) = &node.value else {
            self.wrong_type(pos, path, Expected::Mapping, node);
            return None;
        };
        let obj = Obj { entries, pos, path };
        for e in entries {
            if !known.contains(&e.key.as_str()) {
                self.unknown_key(e, &obj.path(&e.key), known.iter().copied());
            }
        }
        Some(obj)
    }

    pub(super) fn unknown_key<'a>(
        &mut self,
        e: &Entry,
        path: &dyn std::fmt::Display,
        known: impl IntoIterator<Item = &'a str>,
    ) {
        let lang = self.lang;
        let hint = match did_you_mean(&e.key, known) {
            Some(s) => tr!(lang, "。`{s}` のことですか？", "; did you mean `{s}`?"),
            None => tr!(lang, "。削除してください", "; remove it"),
        };
        let msg = tr!(
            lang,
            "不明なキー `{path}` です{hint}",
            "unknown key `{path}`{hint}"
        );
        self.pln(e.key_pos, msg);
    }

    /// Reads `key` of `obj` with `conv`; null counts as missing.
    pub(super) fn field<T>(
        &mut self,
        obj: &Obj<'_, '_>,
        key: &str,
        conv: impl FnOnce(&mut Self, &Node, Pos, &KeyPath<'_>) -> Option<T>,
    ) -> Field<T> {
        let Some(e) = obj.get(key) else {
            return Field::Missing;
        };
        if e.value.is_null() {
            return Field::Null(e.key_pos);
        }
        let path = obj.path(key);
        match conv(self, &e.value, e.key_pos, &path) {
            Some(value) => Field::Ok(At {
                value,
                // Containers point at their key, so "missing key" findings
                // about their children land on the parent key.
                pos: match e.value.value {
                    Value::Map(_) => e.key_pos,
                    _ => e.value.pos,
                },
            }),
            None => Field::Invalid,
        }
    }

    pub(super) fn required<T>(&mut self, field: &Field<T>, obj: &Obj<'_, '_>, key: &str) {
        if field.is_missing() {
            let lang = self.lang;
            let path = obj.path(key);
            let msg = tr!(
                lang,
                "必須のキー `{path}` がありません",
                "missing required key `{path}`"
            );
            self.pln(field.pos_or(obj.pos), msg);
        }
    }

    pub(super) fn text(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<String> {
        match &node.value {
            Value::Scalar { text, .. } => Some(text.clone()),
            _ => {
                self.wrong_type(pos, path, Expected::Text, node);
                None
            }
        }
    }

    pub(super) fn number(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<f64> {
        if let Value::Scalar { text, plain } = &node.value {
            if let Some(n) = yaml::scalar_number(text).filter(|_| *plain) {
                return Some(n);
            }
            // A draft's `（現在の値）`: PLN004 lists it; no second finding.
            if crate::lint::placeholder::is_placeholder(text, &self.config.lint.placeholder_words) {
                return None;
            }
        }
        self.wrong_type(pos, path, Expected::Number, node);
        None
    }

    pub(super) fn date(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<NaiveDate> {
        let Some(text) = node.value.as_scalar() else {
            self.wrong_type(pos, path, Expected::Date, node);
            return None;
        };
        let lang = self.lang;
        match parse_date(text) {
            Ok(d) => Some(d),
            Err(DateError::Format) => {
                let msg = tr!(
                    lang,
                    "`{path}` の `{text}` は日付として読めません。YYYY-MM-DD で書いてください（例: 2027-01-31）",
                    "`{path}`: `{text}` is not a date; write YYYY-MM-DD (e.g. 2027-01-31)"
                );
                self.pln(pos, msg);
                None
            }
            Err(DateError::NoSuchDay) => {
                let msg = tr!(
                    lang,
                    "`{path}` の {text} は存在しない日付です",
                    "`{path}`: {text} is not a day of the calendar"
                );
                self.pln(pos, msg);
                None
            }
        }
    }

    pub(super) fn one_of<E: Copy>(
        &mut self,
        node: &Node,
        pos: Pos,
        path: &KeyPath<'_>,
        all: &[&str],
        parse: fn(&str) -> Option<E>,
    ) -> Option<E> {
        let text = self.text(node, pos, path)?;
        if let Some(v) = parse(&text) {
            return Some(v);
        }
        // A bracket placeholder (`verdict: （支持・反証・結論なし）`, written
        // by `planbook milestone … done`): PLN004 lists it, once.
        if crate::lint::placeholder::is_placeholder(&text, &[]) {
            return None;
        }
        let lang = self.lang;
        let choices = all.join(" | ");
        let hint = did_you_mean(&text, all.iter().copied())
            .map(|s| tr!(lang, "（`{s}` のことですか？）", " (did you mean `{s}`?)"))
            .unwrap_or_default();
        let msg = tr!(
            lang,
            "`{path}` の値 `{text}` は使えません。{choices} のどれかにしてください{hint}",
            "`{path}` cannot be `{text}`: use one of {choices}{hint}"
        );
        self.pln(pos, msg);
        None
    }

    pub(super) fn id(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<String> {
        let text = self.text(node, pos, path)?;
        if is_valid_id(&text) {
            return Some(text);
        }
        let lang = self.lang;
        let msg = tr!(
            lang,
            "`{path}` の `{text}` は id に使えません。英小文字・数字・ハイフン（a-z 0-9 -）だけで書いてください",
            "`{path}`: `{text}` is not a valid id; use only lowercase letters, digits and hyphens (a-z 0-9 -)"
        );
        self.pln(pos, msg);
        None
    }

    /// A list whose items are read with `item`; bad items are dropped.
    pub(super) fn list<T>(
        &mut self,
        node: &Node,
        pos: Pos,
        path: &KeyPath<'_>,
        mut item: impl FnMut(&mut Self, &Node, &KeyPath<'_>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Value::Seq(items) = &node.value else {
            self.wrong_type(pos, path, Expected::List, node);
            return None;
        };
        if items.len() > MAX_LIST_ITEMS {
            let (lang, n) = (self.lang, items.len());
            let msg = tr!(
                lang,
                "`{path}` の項目が多すぎます（{n} 個、上限 {MAX_LIST_ITEMS} 個）。計画を分けてください",
                "`{path}` has too many items ({n}; the limit is {MAX_LIST_ITEMS}): split the plan"
            );
            self.pln(pos, msg);
        }
        Some(
            items
                .iter()
                .take(MAX_LIST_ITEMS)
                .enumerate()
                .filter_map(|(i, n)| item(self, n, &KeyPath::Index(path, i)))
                .collect(),
        )
    }

    /// A list of non-null strings with their positions.
    pub(super) fn texts(
        &mut self,
        node: &Node,
        pos: Pos,
        path: &KeyPath<'_>,
    ) -> Option<Vec<At<String>>> {
        self.list(node, pos, path, |r, n, p| {
            if n.is_null() {
                return None;
            }
            r.text(n, n.pos, p).map(|value| At { value, pos: n.pos })
        })
    }

    pub(super) fn dates(
        &mut self,
        node: &Node,
        pos: Pos,
        path: &KeyPath<'_>,
    ) -> Option<Vec<At<NaiveDate>>> {
        self.list(node, pos, path, |r, n, p| {
            r.date(n, n.pos, p).map(|value| At { value, pos: n.pos })
        })
    }
}
