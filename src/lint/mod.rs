//! Lint: run every rule of the catalogue over the loaded plans and resolve
//! severities (`[lint.rules]` overrides, per-plan `lint.allow`, drafts,
//! dropped plans).
//!
//! Each rule is a function named after its id (`met::met005`) in the module
//! of its family; `CHECKS` lists them all. PLN001 is produced while parsing
//! ([`crate::frontmatter`]) and PLN002 needs the whole repository, so both
//! are handled here rather than per plan.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::config::Config;
use crate::diag::{Diagnostic, Finding, Severity};
use crate::i18n::Lang;
use crate::model::Plan;
use crate::model::PlanFile;
use crate::tr;

mod ice;
mod kpi;
mod met;
mod mil;
mod mtg;
pub(crate) mod placeholder;
mod pln;
pub(crate) use crate::rules;
mod tsk;
mod upd;

pub(crate) use ice::DEFAULT_EVIDENCE;

/// What every rule may look at besides the plan.
pub(crate) struct Cx<'a> {
    pub config: &'a Config,
    pub today: NaiveDate,
    pub lang: Lang,
    out: Vec<Finding>,
}

impl Cx<'_> {
    /// Records a finding of `rule` at `pos`.
    pub(crate) fn report(&mut self, rule: &'static str, pos: crate::yaml::Pos, message: String) {
        self.out.push(Finding::new(rule, pos, message));
    }

    /// Records a finding that is a warning at most until a date
    /// ([`Finding::provisional`]).
    pub(crate) fn report_provisional(
        &mut self,
        rule: &'static str,
        pos: crate::yaml::Pos,
        message: String,
    ) {
        let mut f = Finding::new(rule, pos, message);
        f.provisional = true;
        self.out.push(f);
    }
}

type Check = fn(&mut Cx<'_>, &Plan);

/// Every per-plan check, in catalogue order.
const CHECKS: &[Check] = &[
    pln::pln003,
    met::met001,
    met::met002,
    met::met003,
    met::met004,
    met::met005,
    mil::mil001,
    mil::mil002,
    mil::mil003,
    mil::mil004,
    mil::mil005,
    mil::mil006,
    mil::mil007,
    mil::mil008,
    mil::mil009,
    mil::mil010,
    mil::mil011,
    mil::mil012,
    tsk::tsk001,
    tsk::tsk002,
    tsk::tsk003,
    tsk::tsk004,
    tsk::tsk005,
    mtg::mtg001,
    mtg::mtg002,
    mtg::mtg003,
    ice::ice001,
    ice::ice002,
    upd::upd001,
    kpi::kpi001,
    kpi::kpi002,
    mil::mil013,
    mil::mil014,
    mil::mil015,
    mil::mil016,
    upd::upd002,
    ice::ice003,
    mtg::mtg004,
];

/// Runs every rule over one plan. `parse_findings` are the PLN001 findings
/// from loading it.
pub fn check_plan(
    plan: &Plan,
    parse_findings: &[Finding],
    config: &Config,
    today: NaiveDate,
) -> Vec<Finding> {
    let mut cx = Cx {
        config,
        today,
        lang: config.lang(),
        out: parse_findings.to_vec(),
    };
    if plan.readable {
        for check in CHECKS {
            check(&mut cx, plan);
        }
    }
    review_pending(plan, today, &mut cx.out);
    cx.out
}

/// A placeholder (PLN004) inside the update of a milestone whose review
/// has not passed is what that review will write (`planbook milestone …
/// done` leaves them): provisional until the review date, an error after.
fn review_pending(plan: &Plan, today: NaiveDate, findings: &mut [Finding]) {
    let updates = plan.updates();
    let Some(last) = updates.iter().map(|u| u.pos.line).max() else {
        return;
    };
    // The list ends where whatever the plan has next begins: another
    // top-level key, or the body.
    let next = [
        plan.title.get().map(|a| a.pos.line),
        plan.status.get().map(|a| a.pos.line),
        plan.start.get().map(|a| a.pos.line),
        plan.use_case.get().map(|a| a.pos.line),
        plan.team.get().map(|a| a.pos.line),
        plan.ice.get().map(|a| a.pos.line),
        plan.metric.get().map(|a| a.pos.line),
        plan.milestones.get().map(|a| a.pos.line),
        plan.measurements.get().map(|a| a.pos.line),
        plan.meetings.get().map(|a| a.pos.line),
        plan.allow.values().map(|a| a.pos.line).min(),
        Some(plan.body_line),
    ];
    let end = next.into_iter().flatten().filter(|l| *l > last).min();
    for f in findings.iter_mut().filter(|f| f.rule == rules::PLN004) {
        let line = f.pos.line;
        if end.is_some_and(|e| line >= e) {
            continue;
        }
        // The update whose lines hold the finding: the last one starting
        // at or before it (updates are items of one list, in file order).
        let Some(u) = updates.iter().rev().find(|u| u.pos.line <= line) else {
            continue;
        };
        f.provisional = u
            .milestone
            .text()
            .and_then(|id| plan.milestone(id))
            .and_then(|m| m.review_date())
            .is_some_and(|review| today <= review);
    }
}

/// Lints every plan: per-plan rules in parallel, then PLN002 across plans,
/// then severities. Diagnostics come back sorted by file, line, column, rule.
pub(crate) fn lint_all<P: AsRef<PlanFile> + Sync>(
    files: &[P],
    config: &Config,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    lint_all_with(files, config, |f| {
        check_plan(&f.plan, &f.findings, config, today)
    })
}

/// [`lint_all`] with the per-plan findings made by `check` (which must
/// give what [`check_plan`] gives, e.g. from a cache shared by versions).
pub(crate) fn lint_all_with<P, F>(files: &[P], config: &Config, check: F) -> Vec<Diagnostic>
where
    P: AsRef<PlanFile> + Sync,
    F: Fn(&PlanFile) -> Vec<Finding> + Sync,
{
    use rayon::prelude::*;
    let checked: Vec<Checked> = files
        .par_iter()
        .map(|f| Checked::new(&f.as_ref().plan, check(f.as_ref())))
        .collect();
    finish(checked, config)
}

/// One plan's per-plan findings and what PLN002 and severity resolution
/// need of it: all a lint keeps of a plan once its rules have run, so
/// that `planbook lint` can drop each plan's model right after checking
/// it ([`check_file`], [`finish`]).
#[derive(Debug)]
pub struct Checked {
    file: String,
    id: String,
    id_pos: crate::yaml::Pos,
    status: crate::model::PlanStatus,
    allow: Vec<String>,
    findings: Vec<Finding>,
}

impl Checked {
    /// The plan's root-relative file name.
    pub(crate) fn file(&self) -> &str {
        &self.file
    }

    /// The plan's `status`.
    pub(crate) fn status(&self) -> crate::model::PlanStatus {
        self.status
    }

    fn new(plan: &Plan, findings: Vec<Finding>) -> Checked {
        Checked {
            file: plan.file.clone(),
            id: plan.id.clone(),
            id_pos: plan.id_pos,
            status: plan.status(),
            allow: plan.allow.keys().cloned().collect(),
            findings,
        }
    }
}

/// Runs the per-plan rules over one loaded plan and keeps only what
/// [`finish`] needs.
pub(crate) fn check_file(file: &PlanFile, config: &Config, today: NaiveDate) -> Checked {
    Checked::new(
        &file.plan,
        check_plan(&file.plan, &file.findings, config, today),
    )
}

/// PLN002 across the plans, then severities; diagnostics sorted.
pub(crate) fn finish(mut checked: Vec<Checked>, config: &Config) -> Vec<Diagnostic> {
    pln::pln002(&mut checked, config.lang());
    let mut out: Vec<Diagnostic> = checked.iter().flat_map(|c| resolve(c, config)).collect();
    sort(&mut out);
    out
}

/// One plan's diagnostics, sorted, as [`finish`] gives them when no other
/// plan shares its id (PLN002 is the only rule that looks across plans).
pub(crate) fn plan_diagnostics(checked: &Checked, config: &Config) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = resolve(checked, config).collect();
    sort(&mut out);
    out
}

/// The stable order of diagnostics in every output.
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.rule, &b.message))
    });
}

/// Applies `[lint.rules]`, `lint.allow`, `status: dropped`, `status: draft`
/// and provisional findings (errors become warnings for the last two).
fn resolve<'c>(plan: &'c Checked, config: &'c Config) -> impl Iterator<Item = Diagnostic> + 'c {
    use crate::model::PlanStatus;
    let Checked {
        file,
        id,
        status,
        allow,
        findings,
        ..
    } = plan;
    let status = *status;
    findings.iter().filter_map(move |f| {
        if status == PlanStatus::Dropped && !f.rule.starts_with("PLN") {
            return None;
        }
        if allow.iter().any(|a| a == f.rule) {
            return None;
        }
        let default = rules::info(f.rule).map_or(Severity::Error, |r| r.default);
        let mut severity = match config.lint.rules.get(f.rule) {
            Some(level) => level.severity()?,
            None => default,
        };
        if (status == PlanStatus::Draft || f.provisional) && severity == Severity::Error {
            severity = Severity::Warning;
        }
        Some(Diagnostic {
            rule: f.rule,
            severity,
            file: file.clone(),
            line: f.pos.line,
            column: f.pos.column,
            plan: id.clone(),
            message: f.message.clone(),
        })
    })
}

/// [`matches_lowered_except`] on any text with no exceptions, for the tests.
#[cfg(test)]
fn matches_pattern(text: &str, pattern: &str) -> bool {
    matches_lowered_except(&text.to_lowercase(), pattern, &[])
}

/// Lowercases `pattern` only when it has uppercase letters.
fn lowered(pattern: &str) -> std::borrow::Cow<'_, str> {
    if pattern.chars().any(char::is_uppercase) {
        pattern.to_lowercase().into()
    } else {
        pattern.into()
    }
}

/// Whether `pattern` occurs in an already lowercased text at a place where
/// no ASCII letter or digit touches it (docs/rules.md, MET005: "pv" matches
/// "PV数" and "pv per user", not "upvote"), ignoring a match
/// that overlaps one of the byte
/// ranges in `exceptions` (where an exception occurs): "訪問数" in
/// "再訪問数" shares "訪問" with the exception "再訪問".
fn matches_lowered_except(hay: &str, pattern: &str, exceptions: &[(usize, usize)]) -> bool {
    let needle = lowered(pattern);
    if needle.is_empty() {
        return false;
    }
    hay.match_indices(needle.as_ref()).any(|(i, m)| {
        let end = i + m.len();
        let before = hay.get(..i).and_then(|s| s.chars().next_back());
        let after = hay.get(end..).and_then(|s| s.chars().next());
        let touches = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let excepted = exceptions.iter().any(|&(s, e)| s < end && i < e);
        !touches(before) && !touches(after) && !excepted
    })
}

/// The first pattern of `patterns` that matches `text`.
pub(crate) fn first_match<'p>(text: &str, patterns: &'p [String]) -> Option<&'p str> {
    first_match_except(text, patterns, &[])
}

/// [`first_match`], ignoring matches that overlap an occurrence of one of
/// `exceptions` (MET005's `vanity_metric_exceptions`), case-insensitively.
pub(crate) fn first_match_except<'p>(
    text: &str,
    patterns: &'p [String],
    exceptions: &[String],
) -> Option<&'p str> {
    let hay = text.to_lowercase();
    let spans: Vec<(usize, usize)> = exceptions
        .iter()
        .map(|e| lowered(e))
        .filter(|e| !e.is_empty())
        .flat_map(|e| {
            hay.match_indices(e.as_ref())
                .map(|(i, m)| (i, i + m.len()))
                .collect::<Vec<_>>()
        })
        .collect();
    patterns
        .iter()
        .find(|p| matches_lowered_except(&hay, p, &spans))
        .map(String::as_str)
}

/// Diagnostics by file.
pub(crate) fn by_file(diags: &[Diagnostic]) -> BTreeMap<&str, Vec<&Diagnostic>> {
    let mut map: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diags {
        map.entry(d.file.as_str()).or_default().push(d);
    }
    map
}

/// Counts by plan, for the lint page and summaries.
pub(crate) fn by_plan(diags: &[Diagnostic]) -> BTreeMap<&str, Vec<&Diagnostic>> {
    let mut map: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diags {
        map.entry(d.plan.as_str()).or_default().push(d);
    }
    map
}

use crate::num::fmt as num;

/// Of `(key, is missing, where)`, the missing keys joined with ", " and
/// where the finding points: at the first missing one (its value or key
/// when written, else where the caller said). `None` when none is missing.
pub(crate) fn missing_keys(
    keys: &[(&str, bool, crate::yaml::Pos)],
) -> Option<(String, crate::yaml::Pos)> {
    let missing: Vec<&(&str, bool, crate::yaml::Pos)> = keys.iter().filter(|k| k.1).collect();
    let pos = missing.first()?.2;
    let names: Vec<&str> = missing.iter().map(|k| k.0).collect();
    Some((names.join(", "), pos))
}

/// "the metric" in messages: its name if it has one.
pub(crate) fn metric_label(plan: &Plan, lang: Lang) -> String {
    match plan.metric.value().and_then(|m| m.name.text()) {
        Some(n) => n.to_string(),
        None => tr!(lang, "指標", "the metric"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_respect_ascii_word_edges() {
        assert!(matches_pattern("PV数", "pv"));
        assert!(matches_pattern("pv per user", "pv"));
        assert!(matches_pattern("Daily PV", "pv"));
        assert!(!matches_pattern("upvote rate", "pv"));
        assert!(!matches_pattern("pv2", "pv"));
        assert!(matches_pattern("トップページのアクセス数", "アクセス数"));
        assert!(matches_pattern(
            "Build a Model for ranking",
            "build a model"
        ));
        assert!(!matches_pattern("rebuild a model", "build a model"));
        // A later occurrence counts even if the first one is touched.
        assert!(matches_pattern("upv pv", "pv"));
    }

    #[test]
    fn exceptions_hide_only_the_matches_inside_them() {
        let vanity = vec!["訪問数".to_string(), "pv".to_string()];
        let except = vec!["再訪問".to_string()];
        assert_eq!(first_match_except("再訪問数", &vanity, &except), None);
        assert_eq!(first_match_except("週の再訪問数", &vanity, &except), None);
        assert_eq!(
            first_match_except("訪問数と再訪問数", &vanity, &except),
            Some("訪問数")
        );
        assert_eq!(first_match_except("再訪問数", &vanity, &[]), Some("訪問数"));
        assert_eq!(
            first_match_except("Repeat PV", &vanity, &["REPEAT PV".to_string()]),
            None
        );
        assert_eq!(first_match_except("PV数", &vanity, &except), Some("pv"));
        // Next to the exception but not overlapping it: still a match, on
        // either side and touching it.
        for text in [
            "再訪問の訪問数",
            "再訪問訪問数",
            "訪問数再訪問",
            "週の訪問数と再訪問",
        ] {
            assert_eq!(
                first_match_except(text, &vanity, &except),
                Some("訪問数"),
                "{text}"
            );
        }
    }
}
