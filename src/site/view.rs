//! View models: the values templates see (docs/theme.md). Made from the
//! model here and nowhere else; templates never see model types.
//!
//! They are built as tera values directly ([`tv!`]), not as JSON values that
//! tera then copies: on a plan page the copy (and dropping the JSON) cost
//! as much as building the view.

use chrono::NaiveDate;
use tera::Value;

use super::{chart, feeds, markdown};
use crate::config::Config;
use crate::diag::{Diagnostic, Severity};
use crate::git::HistoryEntry;
use crate::i18n::Lang;
use crate::labels::{label_for, late_text, long_date};
use crate::model::Plan;
use crate::num::fmt as num;
use crate::progress::progress;

/// A tera map from `{ "key": value, … }` like `serde_json::json!`, but with
/// `&'static str` keys (no allocation per key) and values moved in with
/// `Into<tera::Value>`.
macro_rules! tv {
    ({ $($key:literal : $value:expr),* $(,)? }) => {{
        // Sized once: a plan page makes thousands of these maps.
        let mut map = tera::Map::with_capacity(<[&str]>::len(&[$($key),*]));
        $( map.insert(tera::value::Key::Str($key), tera::Value::from($value)); )*
        tera::Value::from(map)
    }};
}
pub(super) use tv;

pub(super) fn history_view(history: &[HistoryEntry], lang: Lang) -> Value {
    let entries: Vec<Value> = history
        .iter()
        .map(|h| {
            tv!({
                "date": long_date(lang, h.date()),
                "date_iso": h.date().to_string(),
                "author": h.author.as_str(),
                "subject": h.subject.as_str(),
                "id": h.id.as_str(),
                "short_id": h.short_id.as_str(),
                "path": h.path.as_str(),
            })
        })
        .collect();
    Value::from(entries)
}

pub(super) fn summary_view(diags: &[Diagnostic], plans: usize) -> Value {
    let s = crate::diag::Summary::new(plans, diags);
    tv!({ "plans": s.plans, "errors": s.errors, "warnings": s.warnings, "infos": s.infos })
}

pub(super) fn finding_view(d: &Diagnostic, lang: Lang) -> Value {
    Finding {
        rule: d.rule,
        severity: d.severity,
        plan: &d.plan,
        file: &d.file,
        line: d.line,
        column: Some(d.column),
        message: &d.message,
    }
    .view(lang)
}

/// A finding as every page shows it: the lint page, a plan's findings and
/// the findings a version introduced or fixed. One view model for all.
pub(crate) struct Finding<'a> {
    pub rule: &'a str,
    pub severity: Severity,
    pub plan: &'a str,
    pub file: &'a str,
    pub line: usize,
    /// Absent where findings are compared across versions (lines move).
    pub column: Option<usize>,
    pub message: &'a str,
}

impl Finding<'_> {
    pub(crate) fn view(&self, lang: Lang) -> Value {
        tv!({
            "rule": self.rule,
            "severity": self.severity.as_str(),
            "severity_label": label_for(lang, "severity_", self.severity.as_str()),
            "plan": self.plan,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        })
    }
}

/// A plan's error, warning and info counts.
pub(super) fn severity_counts(diags: &[&Diagnostic]) -> [usize; 3] {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    [
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    ]
}

fn lint_status(diags: &[&Diagnostic]) -> Value {
    let [errors, warnings, infos] = severity_counts(diags);
    tv!({
        "errors": errors,
        "warnings": warnings,
        "infos": infos,
    })
}

pub(super) fn plan_card(
    plan: &Plan,
    diags: &[&Diagnostic],
    config: &Config,
    root: &str,
    state: crate::state::State,
) -> Value {
    let lang = config.lang();
    let u = plan.unit();
    let p = progress(plan);
    tv!({
        "id": plan.id.as_str(),
        "state": state.as_str(),
        "state_label": label_for(lang, "state_", state.as_str()),
        "sparkline": super::sparkline::sparkline(plan, lang),
        "href": crate::paths::Page::plan(&plan.id).href(root),
        "title": plan.title_text(),
        "use_case": plan.use_case.text(),
        "status": plan.status().as_str(),
        "status_label": label_for(lang, "plan_status_", plan.status().as_str()),
        "metric": plan.metric.value().and_then(|m| m.name.text()),
        "latest": p.latest.map(|(_, v)| format!("{}{u}", num(v))),
        "latest_date": p.latest.map(|(d, _)| long_date(lang, d)),
        "next_target": p.next.and_then(|m| m.target.copied()).map(|v| format!("{}{u}", num(v))),
        "next_milestone": p.next.map(|m| tv!({
            "id": m.id_text(),
            "title": m.title.text(),
            "due": m.due.copied().map(|d| long_date(lang, d)),
        })),
        "ice_score": plan.ice_score().map(num),
        "lint": lint_status(diags),
    })
}

fn text_or_none(f: &crate::model::Field<String>) -> Option<String> {
    f.text().map(str::to_string)
}

pub(super) fn plan_page(
    plan: &Plan,
    diags: &[&Diagnostic],
    config: &Config,
    today: NaiveDate,
) -> Value {
    let state = crate::state::state(plan, super::has_error(plan, diags), today);
    let lang = config.lang();
    let md = |s: Option<&str>, prefix: &str| {
        s.map(|s| markdown::render_in(s, config.markdown.unsafe_html, 2, prefix, config.lang()))
    };
    let u = plan.unit();
    let fmt = |v: f64| format!("{}{u}", num(v));
    let date = |d: Option<NaiveDate>| d.map(|d| long_date(lang, d));
    let metric = plan.metric.value();
    let team: Vec<Value> = config
        .roles
        .iter()
        .map(|(key, name)| {
            tv!({
                "role": key.as_str(),
                "role_name": name.as_str(),
                "person": crate::state::member(&plan.team, key).map(|p| p.value.clone()),
            })
        })
        .collect();
    let rows: Vec<Value> = plan
        .milestones()
        .iter()
        .map(|m| {
            let cells: Vec<Value> = config
                .roles
                .keys()
                .map(|role| {
                    let default_owner =
                        crate::state::member(&plan.team, role).map(|p| p.value.as_str());
                    let tasks: Vec<Value> = m
                        .tasks()
                        .iter()
                        .filter(|t| t.role.text() == Some(role.as_str()))
                        .map(|t| {
                            let owner = t.owner.text().filter(|o| Some(*o) != default_owner);
                            tv!({
                                "do": t.do_.text(),
                                "done_when": t.done_when.text(),
                                "due": date(t.due.copied()),
                                "due_iso": t.due.copied().map(|d| d.to_string()),
                                "status": t.status().as_str(),
                                "status_label": label_for(lang, "task_status_", t.status().as_str()),
                                "owner": owner,
                                "overdue": t.overdue(today),
                                "done_on": date(t.done_on.copied()),
                                "late": t.days_late().map(|n| late_text(lang, n)),
                                "note": t.note.text(),
                            })
                        })
                        .collect();
                    tv!({ "role": role.as_str(), "role_name": config.roles.get(role).map(String::as_str), "tasks": tasks })
                })
                .collect();
            tv!({
                "id": m.id_text(),
                "anchor": m.id_text().map(|id| format!("m-{id}")),
                "title": m.title.text(),
                "due": date(m.due.copied()),
                "due_iso": m.due.copied().map(|d| d.to_string()),
                "target": m.target.copied().map(fmt),
                "actual": m.actual.copied().map(fmt),
                "status": m.status().as_str(),
                "status_label": label_for(lang, "ms_status_", m.status().as_str()),
                "questions": m.questions().iter().map(|q| tv!({"id": q.id.text(), "ask": q.ask_text()})).collect::<Vec<_>>(),
                "data_items": m.data.value().and_then(|d| d.items.value()).map(|i| i.iter().map(|a| a.value.clone()).collect::<Vec<_>>()).unwrap_or_default(),
                "data_amount": m.data.value().and_then(|d| d.amount.text()),
                "cost_days": m.cost_days.copied().map(num),
                "review": date(m.review.copied()),
                "done_on": date(m.done_on.copied()),
                "cells": cells,
            })
        })
        .collect();
    let meetings = plan.meetings.value();
    let kickoff = meetings.and_then(|m| m.kickoff.value());
    let progress_m = meetings.and_then(|m| m.progress.value());
    let exec = meetings.and_then(|m| m.executive.value());
    let ice = plan.ice.value();
    let evidence = ice
        .and_then(|i| i.evidence.value().cloned())
        .unwrap_or_else(|| crate::lint::DEFAULT_EVIDENCE.to_string());
    let mut updates: Vec<&crate::model::Update> = plan.updates().iter().collect();
    updates.sort_by_key(|u| std::cmp::Reverse(u.date.copied()));
    let updates: Vec<Value> = updates
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let ms = u.milestone.text().and_then(|id| plan.milestone(id));
            tv!({
                "date": date(u.date.copied()),
                "date_iso": u.date.copied().map(|d| d.to_string()),
                "milestone": u.milestone.text(),
                "milestone_title": ms.and_then(|m| m.title.text()),
                "answered": u.answered.text(),
                "answers": answers_view(plan, u, lang),
                "story": md(u.story.text(), &format!("u{i}-s-")),
                "business_model": md(u.business_model.text(), &format!("u{i}-b-")),
            })
        })
        .collect();
    let p = progress(plan);
    let start = plan.start.copied();
    let end = plan
        .milestones()
        .iter()
        .filter_map(|m| m.due.copied())
        .max();
    tv!({
        "id": plan.id.as_str(),
        "file": plan.file.as_str(),
        "title": plan.title_text(),
        "status": plan.status().as_str(),
        "status_label": label_for(lang, "plan_status_", plan.status().as_str()),
        "use_case": plan.use_case.text(),
        "start": date(start),
        "end": date(end),
        "team": team,
        "metric": metric.map(|m| tv!({
            "name": m.name.text(),
            "unit": m.unit.text(),
            "direction": m.direction.copied().map(|d| d.as_str()),
            "baseline": m.baseline.copied().map(fmt),
            "correlations": m.correlations.value().map(|c| tv!({
                "customer_experience": text_or_none(&c.customer_experience),
                "revenue": text_or_none(&c.revenue),
                "model_accuracy": text_or_none(&c.model_accuracy),
            })),
        })),
        "latest": p.latest.map(|(_, v)| fmt(v)),
        "latest_date": p.latest.map(|(d, _)| long_date(lang, d)),
        "next_target": p.next.and_then(|m| m.target.copied()).map(fmt),
        "next_milestone": p.next.and_then(|m| m.title.text()),
        "kpi_chart": chart::kpi_chart(plan, today, lang),
        "kpi_rows": Value::from_serializable(&chart::kpi_rows(plan, lang)),
        "timeline": chart::timeline(plan, &config.roles, today, lang),
        "roles": config.roles.iter().map(|(k, v)| tv!({"key": k.as_str(), "name": v.as_str()})).collect::<Vec<_>>(),
        "milestones": rows,
        "meetings": tv!({
            "kickoff": kickoff.map(|k| tv!({
                "date": date(k.date.copied()),
                "title": k.title.text(),
            })),
            "progress": progress_m.map(|p| tv!({
                "every": p.every.copied().map(|e| label_for(lang, "every_", e.as_str())),
                "weekday": p.weekday.copied().map(|w| label_for(lang, "weekday_", w.as_str())),
                "time": p.time.text(),
            })),
            "executive": exec.map(|e| tv!({
                "audience": e.audience.text(),
                "dates": e.dates.value().map(|d| d.iter().map(|a| long_date(lang, a.value)).collect::<Vec<_>>()).unwrap_or_default(),
            })),
        }),
        "ice": ice.map(|i| tv!({
            "impact": i.impact.copied().map(num),
            "confidence": i.confidence.copied().map(num),
            "ease": i.ease.copied().map(num),
            "evidence": crate::labels::evidence(lang, &evidence),
            "score": plan.ice_score().map(num),
        })),
        "updates": updates,
        "questions": questions_view(plan, lang),
        "state": state.as_str(),
        "state_label": label_for(lang, "state_", state.as_str()),
        "findings": diags.iter().map(|d| finding_view(d, lang)).collect::<Vec<_>>(),
        "lint": lint_status(diags),
        "body": markdown::render_in(&plan.body, config.markdown.unsafe_html, 1, "body-", lang),
    })
}

/// The question ledger for the plan page: every question of every
/// milestone with its state and finding.
fn questions_view(plan: &Plan, lang: Lang) -> Value {
    crate::ledger::plan(plan)
        .iter()
        .map(|e| {
            let state = e.state.as_str();
            tv!({
                "milestone": e.milestone.id_text(),
                "milestone_title": e.milestone.title.text(),
                "index": e.index,
                "id": e.question.id.text(),
                "question": e.question.ask_text(),
                "state": state,
                "state_label": label_for(lang, "q_", state),
                "finding": e.finding,
                "data": e.data,
                "date": e.date.map(|d| long_date(lang, d)),
                "date_iso": e.date.map(|d| d.to_string()),
            })
        })
        .collect::<Vec<_>>()
        .into()
}

/// An update's `answers` for templates: each question with its verdict.
fn answers_view(plan: &Plan, u: &crate::model::Update, lang: Lang) -> Value {
    crate::ledger::answers(plan, u)
        .iter()
        .map(|a| {
            let state = a.state().as_str();
            tv!({
                "index": a.index,
                "question": a.ask(),
                "verdict": state,
                "verdict_label": label_for(lang, "q_", state),
                "finding": a.answer.finding.text(),
                "data": a.answer.data.text(),
            })
        })
        .collect::<Vec<_>>()
        .into()
}

pub(super) fn update_view(u: &feeds::UpdateEntry<'_>, config: &Config, root: &str) -> Value {
    let lang = config.lang();
    let md = |s: Option<&str>, p: &str| {
        s.map(|s| markdown::render_in(s, config.markdown.unsafe_html, 2, p, lang))
    };
    let prefix = format!("{}-{}-", u.plan.id, u.index);
    tv!({
        "plan_id": u.plan.id.as_str(),
        "plan_title": u.plan.title_text(),
        "href": crate::paths::Page::plan(&u.plan.id).href(root),
        "date": u.date.map(|d| long_date(lang, d)),
        "date_iso": u.date.map(|d| d.to_string()),
        "milestone": u.update.milestone.text(),
        "milestone_title": u.milestone_title,
        "answered": u.update.answered.text(),
        "answers": answers_view(u.plan, u.update, lang),
        "story": md(u.update.story.text(), &format!("{prefix}s-")),
        "business_model": md(u.update.business_model.text(), &format!("{prefix}b-")),
    })
}
