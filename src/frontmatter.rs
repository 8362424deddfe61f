//! From a plan file's text to a [`Plan`]: split the frontmatter, parse it into
//! a positioned YAML tree, and validate the tree against the plan schema
//! (docs/format.md). Every schema problem is a PLN001 finding; validation goes on
//! past it so that one bad key never hides the others.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::config::Config;
use crate::diag::Finding;
use crate::i18n::Lang;
use crate::lint::rules;
use crate::model::*;
use crate::suggest::did_you_mean;
use crate::tr;
use crate::yaml::{self, Entry, Node, Pos, Value, YamlErrorKind};

/// The most items a list in a plan may have (milestones, tasks, …); items
/// past it are dropped with a PLN001.
pub const MAX_LIST_ITEMS: usize = 1000;

/// Names Windows reserves for devices: a plan page at `plans/con/` could not
/// be checked out or opened there.
const RESERVED_NAMES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// True for names Windows reserves (`con`, `nul`, `com1`, …).
pub fn is_reserved_name(id: &str) -> bool {
    RESERVED_NAMES.contains(&id)
}

pub const PLAN_KEYS: &[&str] = &[
    "title",
    "id",
    "status",
    "start",
    "use_case",
    "team",
    "ice",
    "metric",
    "milestones",
    "measurements",
    "updates",
    "meetings",
    "lint",
];
pub const ICE_KEYS: &[&str] = &["impact", "ease", "confidence", "evidence"];
pub const METRIC_KEYS: &[&str] = &["name", "unit", "direction", "baseline", "correlations"];
pub const CORRELATION_KEYS: &[&str] = &["customer_experience", "revenue", "model_accuracy"];
pub const MILESTONE_KEYS: &[&str] = &[
    "id",
    "title",
    "due",
    "target",
    "questions",
    "data",
    "cost_days",
    "review",
    "status",
    "done_on",
    "actual",
    "tasks",
];
pub const DATA_KEYS: &[&str] = &["items", "amount"];
pub const TASK_KEYS: &[&str] = &["role", "owner", "do", "done_when", "due", "status"];
pub const MEASUREMENT_KEYS: &[&str] = &["date", "value"];
pub const QUESTION_KEYS: &[&str] = &["id", "ask"];
pub const UPDATE_KEYS: &[&str] = &[
    "date",
    "milestone",
    "answered",
    "answers",
    "story",
    "business_model",
];
pub const ANSWER_KEYS: &[&str] = &["question", "verdict", "finding", "data"];
pub const MEETINGS_KEYS: &[&str] = &["kickoff", "progress", "executive"];
pub const KICKOFF_KEYS: &[&str] = &["date", "title"];
pub const PROGRESS_KEYS: &[&str] = &["every", "weekday", "time"];
pub const EXECUTIVE_KEYS: &[&str] = &["audience", "dates"];
pub const LINT_KEYS: &[&str] = &["allow"];

/// A plan file split into frontmatter and body.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// File line of the first frontmatter line (after the opening `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

/// Why a file has no usable frontmatter.
#[derive(Debug, PartialEq)]
pub enum SplitError {
    Missing,
    Unclosed,
}

/// Splits `---\n<yaml>\n---\n<body>`. `text` has no BOM; LF or CRLF.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::Missing)?;
    if first.trim_end() != "---" {
        return Err(SplitError::Missing);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    let mut line_no = 1;
    for line in lines {
        line_no += 1;
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = text.get(yaml_start..offset).unwrap_or("");
            let body = text.get(offset + line.len()..).unwrap_or("");
            return Ok(Split {
                yaml,
                yaml_line: 2,
                body,
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed)
}

/// Parses one plan file. `file` is the root-relative path, `stem` the file
/// name without `.md`. Returns the plan (as much of it as could be read) and
/// its PLN001 findings. With `keep_content` false (lint), the markdown body
/// and the YAML tree are not kept: linting 10,000 plans needs neither.
pub fn parse_plan(
    text: &str,
    file: &str,
    stem: &str,
    config: &Config,
    keep_content: bool,
) -> (Plan, Vec<Finding>) {
    let lang = config.lang();
    let mut r = Reader {
        lang,
        config,
        out: Vec::new(),
    };
    let mut plan = Plan {
        file: file.to_string(),
        id: stem.to_string(),
        id_pos: Pos::START,
        ..Plan::default()
    };
    let split = match split(text) {
        Ok(s) => s,
        Err(e) => {
            let msg = match e {
                SplitError::Missing => tr!(
                    lang,
                    "フロントマターがありません。ファイルの 1 行目を `---` にして YAML を書き、`---` の行で閉じてください",
                    "no frontmatter: start the file with a `---` line, then the plan's YAML, then a closing `---` line"
                ),
                SplitError::Unclosed => tr!(
                    lang,
                    "フロントマターが閉じられていません。YAML の後に `---` だけの行を入れてください",
                    "the frontmatter is not closed: add a line with only `---` after the YAML"
                ),
            };
            r.pln(Pos::START, msg);
            r.check_stem(&mut plan, stem);
            return (plan, r.out);
        }
    };
    if keep_content {
        plan.body = split.body.to_string();
    }
    plan.body_line = split.body_line;

    let (root, errors) = yaml::parse(split.yaml, split.yaml_line);
    for e in errors {
        let msg = match e.kind {
            YamlErrorKind::Syntax(info) => tr!(
                lang,
                "YAML として読めません: {info}",
                "invalid YAML: {info}"
            ),
            YamlErrorKind::ComplexKey => tr!(
                lang,
                "キーには単純な文字列を使ってください",
                "mapping keys must be plain strings"
            ),
            YamlErrorKind::DuplicateKey { key, first } => {
                let l = first.line;
                tr!(
                    lang,
                    "キー `{key}` が重複しています（最初は {l} 行目）。どちらか一方を消してください",
                    "duplicate key `{key}` (first on line {l}): remove one of them"
                )
            }
            YamlErrorKind::UnknownAlias => tr!(
                lang,
                "定義されていないアンカーへのエイリアスです",
                "alias to an anchor that is not defined"
            ),
            YamlErrorKind::TooDeep => {
                let max = yaml::MAX_DEPTH;
                tr!(
                    lang,
                    "入れ子が深すぎます（上限 {max} 段）",
                    "nesting is too deep (limit: {max} levels)"
                )
            }
            YamlErrorKind::TooLarge => {
                let max = yaml::MAX_NODES;
                tr!(
                    lang,
                    "YAML が大きすぎます（エイリアス展開後 {max} ノードまで）",
                    "the YAML is too large (limit: {max} nodes after alias expansion)"
                )
            }
        };
        r.pln(e.pos, msg);
    }
    let Some(root) = root else {
        if r.out.is_empty() {
            r.pln(
                Pos::new(split.yaml_line, 1),
                tr!(
                    lang,
                    "フロントマターが空です。title・start・team などを書いてください",
                    "the frontmatter is empty: add title, start, team and the rest of the plan"
                ),
            );
        }
        r.check_stem(&mut plan, stem);
        return (plan, r.out);
    };
    r.plan(&root, &mut plan, stem);
    r.out.extend(crate::lint::placeholder::pln004(
        &root,
        split.body,
        split.body_line,
        &config.lint.placeholder_words,
        lang,
    ));
    if keep_content {
        plan.frontmatter = Some(root);
    }
    (plan, r.out)
}

/// Where a value is in the frontmatter (`milestones[0].due`), for messages.
/// Built on the stack and formatted only when a finding needs it.
#[derive(Clone, Copy)]
enum KeyPath<'a> {
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
struct Obj<'n, 'p> {
    entries: &'n [Entry],
    pos: Pos,
    path: &'p KeyPath<'p>,
}

impl<'n, 'p> Obj<'n, 'p> {
    fn get(&self, key: &str) -> Option<&'n Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    fn path<'k>(&'k self, key: &'k str) -> KeyPath<'k> {
        KeyPath::Key(self.path, key)
    }
}

struct Reader<'c> {
    lang: Lang,
    config: &'c Config,
    out: Vec<Finding>,
}

/// What a value should have been, for messages.
#[derive(Clone, Copy)]
enum Expected {
    Text,
    Number,
    Date,
    List,
    Mapping,
}

impl Reader<'_> {
    fn pln(&mut self, pos: Pos, message: String) {
        self.out.push(Finding::new(rules::PLN001, pos, message));
    }

    fn wrong_type(&mut self, pos: Pos, path: &KeyPath<'_>, expected: Expected, node: &Node) {
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
    fn obj<'n, 'p>(
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

    fn unknown_key<'a>(
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
    fn field<T>(
        &mut self,
        obj: &Obj<'_, '_>,
        key: &str,
        conv: impl FnOnce(&mut Self, &Node, Pos, &KeyPath<'_>) -> Option<T>,
    ) -> Field<T> {
        let Some(e) = obj.get(key) else {
            return Field::Missing;
        };
        if e.value.is_null() {
            return Field::Missing;
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

    fn required<T>(&mut self, field: &Field<T>, obj: &Obj<'_, '_>, key: &str) {
        if field.is_missing() {
            let lang = self.lang;
            let path = obj.path(key);
            let msg = tr!(
                lang,
                "必須のキー `{path}` がありません",
                "missing required key `{path}`"
            );
            self.pln(obj.pos, msg);
        }
    }

    fn text(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<String> {
        match &node.value {
            Value::Scalar { text, .. } => Some(text.clone()),
            _ => {
                self.wrong_type(pos, path, Expected::Text, node);
                None
            }
        }
    }

    fn number(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<f64> {
        match &node.value {
            Value::Scalar { text, plain: true } => match yaml::scalar_number(text) {
                Some(n) => Some(n),
                None => {
                    self.wrong_type(pos, path, Expected::Number, node);
                    None
                }
            },
            _ => {
                self.wrong_type(pos, path, Expected::Number, node);
                None
            }
        }
    }

    fn date(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<NaiveDate> {
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

    fn one_of<E: Copy>(
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

    fn id(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<String> {
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
    fn list<T>(
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
    fn texts(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<Vec<At<String>>> {
        self.list(node, pos, path, |r, n, p| {
            if n.is_null() {
                return None;
            }
            r.text(n, n.pos, p).map(|value| At { value, pos: n.pos })
        })
    }

    fn dates(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<Vec<At<NaiveDate>>> {
        self.list(node, pos, path, |r, n, p| {
            r.date(n, n.pos, p).map(|value| At { value, pos: n.pos })
        })
    }

    /// Plan ids become directory names: Windows device names are refused.
    fn check_reserved(&mut self, id: &str, pos: Pos) {
        if RESERVED_NAMES.contains(&id) {
            let lang = self.lang;
            let msg = tr!(
                lang,
                "`{id}` は Windows で予約された名前なので plan id に使えません",
                "`{id}` is a name Windows reserves for devices and cannot be a plan id"
            );
            self.pln(pos, msg);
        }
    }

    fn check_stem(&mut self, plan: &mut Plan, stem: &str) {
        self.check_reserved(stem, Pos::START);
        if !is_valid_id(stem) {
            let lang = self.lang;
            let msg = tr!(
                lang,
                "ファイル名 `{stem}` は plan id に使えません。ファイル名を英小文字・数字・ハイフンにするか、`id:` を書いてください",
                "the file name `{stem}` is not a valid plan id: rename the file using a-z, 0-9 and -, or add an `id:` key"
            );
            self.pln(Pos::START, msg);
        }
        plan.id = stem.to_string();
        plan.id_pos = Pos::START;
    }

    fn plan(&mut self, root: &Node, plan: &mut Plan, stem: &str) {
        let Some(o) = self.obj(root, Pos::START, &KeyPath::Root, PLAN_KEYS) else {
            self.check_stem(plan, stem);
            return;
        };
        plan.readable = true;
        match self.field(&o, "id", Self::id) {
            Field::Ok(at) => {
                self.check_reserved(&at.value, at.pos);
                plan.id = at.value;
                plan.id_pos = at.pos;
            }
            Field::Missing => self.check_stem(plan, stem),
            Field::Invalid => {
                plan.id = stem.to_string();
                plan.id_pos = o.get("id").map_or(Pos::START, |e| e.value.pos);
            }
        }
        plan.title = self.field(&o, "title", Self::text);
        self.required(&plan.title, &o, "title");
        plan.status = self.field(&o, "status", |r, n, p, path| {
            r.one_of(n, p, path, PlanStatus::ALL, PlanStatus::parse)
        });
        plan.start = self.field(&o, "start", Self::date);
        self.required(&plan.start, &o, "start");
        plan.use_case = self.field(&o, "use_case", Self::text);
        plan.team = self.field(&o, "team", Self::team);
        self.required(&plan.team, &o, "team");
        plan.ice = self.field(&o, "ice", Self::ice);
        plan.metric = self.field(&o, "metric", Self::metric);
        plan.milestones = self.field(&o, "milestones", |r, n, p, path| {
            r.list(n, p, path, Self::milestone)
        });
        plan.measurements = self.field(&o, "measurements", |r, n, p, path| {
            r.list(n, p, path, Self::measurement)
        });
        plan.updates = self.field(&o, "updates", |r, n, p, path| {
            r.list(n, p, path, Self::update)
        });
        plan.meetings = self.field(&o, "meetings", Self::meetings);
        if let Some(e) = o.get("lint") {
            plan.allow = self.lint_section(&e.value, e.key_pos);
        }
    }

    fn team(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<Team> {
        let Value::Map(entries) = &node.value else {
            self.wrong_type(pos, path, Expected::Mapping, node);
            return None;
        };
        let mut members = BTreeMap::new();
        for e in entries {
            let p = KeyPath::Key(path, &e.key);
            if !self.config.roles.contains_key(&e.key) {
                let roles: Vec<&str> = self.config.roles.keys().map(String::as_str).collect();
                self.unknown_key(e, &p, roles);
                continue;
            }
            if e.value.is_null() {
                continue;
            }
            if let Some(name) = self.text(&e.value, e.key_pos, &p) {
                members.insert(
                    e.key.clone(),
                    At {
                        value: name,
                        pos: e.value.pos,
                    },
                );
            }
        }
        Some(Team { members })
    }

    fn ice(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<Ice> {
        let o = self.obj(node, pos, path, ICE_KEYS)?;
        Some(Ice {
            impact: self.field(&o, "impact", Self::number),
            ease: self.field(&o, "ease", Self::number),
            confidence: self.field(&o, "confidence", Self::number),
            evidence: self.field(&o, "evidence", |r, n, p, path| {
                let kind = r.text(n, p, path)?;
                if r.config.lint.confidence_caps.contains_key(&kind) {
                    return Some(kind);
                }
                let lang = r.lang;
                let caps = &r.config.lint.confidence_caps;
                let choices = caps.keys().map(String::as_str).collect::<Vec<_>>().join(" | ");
                let hint = did_you_mean(&kind, caps.keys().map(String::as_str))
                    .map(|s| tr!(lang, "（`{s}` のことですか？）", " (did you mean `{s}`?)"))
                    .unwrap_or_default();
                let msg = tr!(
                    lang,
                    "`{path}` の `{kind}` は根拠の種類として定義されていません。{choices} のどれかにするか、book.toml の [lint.confidence_caps] に追加してください{hint}",
                    "`{path}`: `{kind}` is not a kind of evidence; use one of {choices}, or add it to [lint.confidence_caps] in book.toml{hint}"
                );
                r.pln(p, msg);
                None
            }),
        })
    }

    fn metric(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<Metric> {
        let o = self.obj(node, pos, path, METRIC_KEYS)?;
        Some(Metric {
            name: self.field(&o, "name", Self::text),
            unit: self.field(&o, "unit", Self::text),
            direction: self.field(&o, "direction", |r, n, p, path| {
                r.one_of(n, p, path, Direction::ALL, Direction::parse)
            }),
            baseline: self.field(&o, "baseline", Self::number),
            correlations: self.field(&o, "correlations", |r, n, p, path| {
                let o = r.obj(n, p, path, CORRELATION_KEYS)?;
                Some(Correlations {
                    customer_experience: r.field(&o, "customer_experience", Self::text),
                    revenue: r.field(&o, "revenue", Self::text),
                    model_accuracy: r.field(&o, "model_accuracy", Self::text),
                })
            }),
        })
    }

    fn milestone(&mut self, node: &Node, path: &KeyPath<'_>) -> Option<Milestone> {
        let o = self.obj(node, node.pos, path, MILESTONE_KEYS)?;
        let m = Milestone {
            pos: node.pos,
            id: self.field(&o, "id", Self::id),
            title: self.field(&o, "title", Self::text),
            due: self.field(&o, "due", Self::date),
            target: self.field(&o, "target", Self::number),
            questions: self.field(&o, "questions", |r, n, p, path| {
                r.list(n, p, path, Self::question)
            }),
            data: self.field(&o, "data", |r, n, p, path| {
                let o = r.obj(n, p, path, DATA_KEYS)?;
                Some(Data {
                    items: r.field(&o, "items", Self::texts),
                    amount: r.field(&o, "amount", Self::text),
                })
            }),
            cost_days: self.field(&o, "cost_days", Self::number),
            review: self.field(&o, "review", Self::date),
            status: self.field(&o, "status", |r, n, p, path| {
                r.one_of(n, p, path, MilestoneStatus::ALL, MilestoneStatus::parse)
            }),
            done_on: self.field(&o, "done_on", Self::date),
            actual: self.field(&o, "actual", Self::number),
            tasks: self.field(&o, "tasks", |r, n, p, path| r.list(n, p, path, Self::task)),
        };
        self.required(&m.id, &o, "id");
        self.required(&m.title, &o, "title");
        self.required(&m.due, &o, "due");
        Some(m)
    }

    fn task(&mut self, node: &Node, path: &KeyPath<'_>) -> Option<Task> {
        let o = self.obj(node, node.pos, path, TASK_KEYS)?;
        let t = Task {
            pos: node.pos,
            role: self.field(&o, "role", Self::text),
            owner: self.field(&o, "owner", Self::text),
            do_: self.field(&o, "do", Self::text),
            done_when: self.field(&o, "done_when", Self::text),
            due: self.field(&o, "due", Self::date),
            status: self.field(&o, "status", |r, n, p, path| {
                r.one_of(n, p, path, TaskStatus::ALL, TaskStatus::parse)
            }),
        };
        self.required(&t.role, &o, "role");
        self.required(&t.do_, &o, "do");
        Some(t)
    }

    /// A question: a string, or a mapping `{id, ask}`.
    fn question(&mut self, node: &Node, path: &KeyPath<'_>) -> Option<Question> {
        if node.is_null() {
            return None;
        }
        if let Value::Scalar { .. } = node.value {
            let ask = self.text(node, node.pos, path)?;
            return Some(Question {
                pos: node.pos,
                id: Field::Missing,
                ask: Field::Ok(At {
                    value: ask,
                    pos: node.pos,
                }),
            });
        }
        let o = self.obj(node, node.pos, path, QUESTION_KEYS)?;
        let q = Question {
            pos: node.pos,
            id: self.field(&o, "id", Self::id),
            ask: self.field(&o, "ask", Self::text),
        };
        self.required(&q.ask, &o, "ask");
        Some(q)
    }

    /// An entry of an update's `answers`.
    fn answer(&mut self, node: &Node, path: &KeyPath<'_>) -> Option<Answer> {
        let o = self.obj(node, node.pos, path, ANSWER_KEYS)?;
        Some(Answer {
            pos: node.pos,
            question: self.field(&o, "question", |r, n, p, path| match &n.value {
                Value::Scalar { text, plain: true } if text.trim().parse::<usize>().is_ok() => {
                    text.trim().parse().ok().map(QuestionRef::Index)
                }
                _ => r.text(n, p, path).map(QuestionRef::Id),
            }),
            verdict: self.field(&o, "verdict", |r, n, p, path| {
                r.one_of(n, p, path, Verdict::ALL, Verdict::parse)
            }),
            finding: self.field(&o, "finding", Self::text),
            finding_key: o.get("finding").map(|e| e.key_pos),
            data: self.field(&o, "data", Self::text),
        })
    }

    fn measurement(&mut self, node: &Node, path: &KeyPath<'_>) -> Option<Measurement> {
        let o = self.obj(node, node.pos, path, MEASUREMENT_KEYS)?;
        Some(Measurement {
            pos: node.pos,
            date: self.field(&o, "date", Self::date),
            value: self.field(&o, "value", Self::number),
        })
    }

    fn update(&mut self, node: &Node, path: &KeyPath<'_>) -> Option<Update> {
        let o = self.obj(node, node.pos, path, UPDATE_KEYS)?;
        Some(Update {
            pos: node.pos,
            date: self.field(&o, "date", Self::date),
            milestone: self.field(&o, "milestone", Self::text),
            answered: self.field(&o, "answered", Self::text),
            answers: self.field(&o, "answers", |r, n, p, path| {
                r.list(n, p, path, Self::answer)
            }),
            story: self.field(&o, "story", Self::text),
            business_model: self.field(&o, "business_model", Self::text),
        })
    }

    fn meetings(&mut self, node: &Node, pos: Pos, path: &KeyPath<'_>) -> Option<Meetings> {
        let o = self.obj(node, pos, path, MEETINGS_KEYS)?;
        Some(Meetings {
            kickoff: self.field(&o, "kickoff", |r, n, p, path| {
                let o = r.obj(n, p, path, KICKOFF_KEYS)?;
                Some(Kickoff {
                    date: r.field(&o, "date", Self::date),
                    title: r.field(&o, "title", Self::text),
                })
            }),
            progress: self.field(&o, "progress", |r, n, p, path| {
                let o = r.obj(n, p, path, PROGRESS_KEYS)?;
                Some(Progress {
                    every: r.field(&o, "every", |r, n, p, path| {
                        r.one_of(n, p, path, Every::ALL, Every::parse)
                    }),
                    weekday: r.field(&o, "weekday", |r, n, p, path| {
                        r.one_of(n, p, path, Weekday::ALL, Weekday::parse)
                    }),
                    time: r.field(&o, "time", Self::text),
                })
            }),
            executive: self.field(&o, "executive", |r, n, p, path| {
                let o = r.obj(n, p, path, EXECUTIVE_KEYS)?;
                Some(Executive {
                    audience: r.field(&o, "audience", Self::text),
                    dates: r.field(&o, "dates", Self::dates),
                })
            }),
        })
    }

    fn lint_section(&mut self, node: &Node, pos: Pos) -> BTreeMap<String, At<String>> {
        let mut allow = BTreeMap::new();
        if node.is_null() {
            return allow;
        }
        let root = KeyPath::Root;
        let lint_path = KeyPath::Key(&root, "lint");
        let Some(o) = self.obj(node, pos, &lint_path, LINT_KEYS) else {
            return allow;
        };
        let Some(e) = o.get("allow") else {
            return allow;
        };
        if e.value.is_null() {
            return allow;
        }
        let Value::Map(entries) = &e.value.value else {
            let p = KeyPath::Key(&lint_path, "allow");
            self.wrong_type(e.key_pos, &p, Expected::Mapping, &e.value);
            return allow;
        };
        let lang = self.lang;
        for a in entries {
            let id = a.key.as_str();
            let allow_path = KeyPath::Key(&lint_path, "allow");
            let path = KeyPath::Key(&allow_path, id);
            if rules::info(id).is_none() {
                self.unknown_key(a, &path, rules::RULES.iter().map(|r| r.id));
                continue;
            }
            if id == rules::PLN001 {
                let msg = tr!(
                    lang,
                    "PLN001（フロントマターの形式）は許可できません。エラーを直してください",
                    "PLN001 (frontmatter schema) cannot be allowed: fix the error instead"
                );
                self.pln(a.key_pos, msg);
                continue;
            }
            let reason = if a.value.is_null() {
                None
            } else {
                self.text(&a.value, a.key_pos, &path)
            };
            match reason.filter(|r| !r.trim().is_empty()) {
                Some(reason) => {
                    allow.insert(
                        id.to_string(),
                        At {
                            value: reason,
                            pos: a.key_pos,
                        },
                    );
                }
                None => {
                    let msg = tr!(
                        lang,
                        "`{path}` には理由が必要です。なぜこのルールをこの計画で無効にするのかを書いてください",
                        "`{path}` needs a reason: say why this rule does not apply to this plan"
                    );
                    self.pln(a.key_pos, msg);
                }
            }
        }
        allow
    }
}

#[derive(Debug, PartialEq)]
pub enum DateError {
    Format,
    NoSuchDay,
}

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let t = text.trim();
    let b = t.as_bytes();
    let shape_ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(DateError::Format);
    }
    let num = |r: std::ops::Range<usize>| t.get(r).and_then(|s| s.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return Err(DateError::Format);
    };
    let y = i32::try_from(y).map_err(|_| DateError::Format)?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::NoSuchDay)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_frontmatter_and_body_lines() {
        let s = split("---\r\ntitle: x\r\n---\r\n# body\r\n").unwrap();
        assert_eq!(s.yaml, "title: x\r\n");
        assert_eq!(s.body, "# body\r\n");
        assert_eq!(s.body_line, 4);
        assert_eq!(split("title: x\n"), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: x\n"), Err(SplitError::Unclosed));
        assert_eq!(split(""), Err(SplitError::Missing));
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2027-02-28").is_ok());
        assert_eq!(parse_date("2027-02-30"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date("2027-2-3"), Err(DateError::Format));
        assert_eq!(parse_date("tomorrow"), Err(DateError::Format));
    }
}
