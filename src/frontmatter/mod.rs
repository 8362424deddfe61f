//! From a plan file's text to a [`Plan`]: split the frontmatter, parse it into
//! a positioned YAML tree, and validate the tree against the plan schema
//! (docs/format.md). Every schema problem is a PLN001 finding; validation goes on
//! past it so that one bad key never hides the others.

use chrono::NaiveDate;

use crate::config::Config;
use crate::diag::Finding;
use crate::i18n::Lang;
use crate::model::*;
use crate::rules;
use crate::suggest::did_you_mean;
use crate::tr;
use crate::yaml::{self, Entry, Node, Pos, Value, YamlErrorKind};

mod reader;
mod sections;

use reader::{KeyPath, Reader};

/// The most items a list in a plan may have (milestones, tasks, …); items
/// past it are dropped with a PLN001.
pub(crate) const MAX_LIST_ITEMS: usize = 1000;

/// Names Windows reserves for devices: a plan page at `plans/con/` could not
/// be checked out or opened there.
const RESERVED_NAMES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// True for names Windows reserves (`con`, `nul`, `com1`, …).
pub(crate) fn is_reserved_name(id: &str) -> bool {
    RESERVED_NAMES.contains(&id)
}

pub(crate) const PLAN_KEYS: &[&str] = &[
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
pub(crate) const ICE_KEYS: &[&str] = &["impact", "ease", "confidence", "evidence"];
pub(crate) const METRIC_KEYS: &[&str] = &["name", "unit", "direction", "baseline", "correlations"];
pub(crate) const CORRELATION_KEYS: &[&str] = &["customer_experience", "revenue", "model_accuracy"];
pub(crate) const MILESTONE_KEYS: &[&str] = &[
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
pub(crate) const DATA_KEYS: &[&str] = &["items", "amount"];
pub(crate) const TASK_KEYS: &[&str] = &[
    "role",
    "owner",
    "do",
    "done_when",
    "due",
    "status",
    "done_on",
    "note",
];
pub(crate) const MEASUREMENT_KEYS: &[&str] = &["date", "value"];
pub(crate) const QUESTION_KEYS: &[&str] = &["id", "ask"];
pub(crate) const UPDATE_KEYS: &[&str] = &[
    "date",
    "milestone",
    "answered",
    "answers",
    "story",
    "business_model",
];
pub(crate) const ANSWER_KEYS: &[&str] = &["question", "verdict", "finding", "data"];
pub(crate) const MEETINGS_KEYS: &[&str] = &["kickoff", "progress", "executive"];
pub(crate) const KICKOFF_KEYS: &[&str] = &["date", "title"];
pub(crate) const PROGRESS_KEYS: &[&str] = &["every", "weekday", "time"];
pub(crate) const EXECUTIVE_KEYS: &[&str] = &["audience", "dates"];
pub(crate) const LINT_KEYS: &[&str] = &["allow"];

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
