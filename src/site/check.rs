//! The progress check page (`check/index.html`): the agenda of the next
//! weekly check, per active plan — behind, then at risk, then on track —
//! with overdue tasks, tasks due in the next 7 days by owner, milestones
//! and reviews due in the next 14 days, and stale measurements. The
//! reasons are in words the plan page and the reports share.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use tera::Value;

use super::view::tv;
use crate::config::Config;
use crate::labels::{label, label_for, long_date};
use crate::model::PlanFile;
use crate::model::{Milestone, Plan, Task};
use crate::num::fmt as num;
use crate::state::{self, Reason, State, Upcoming};
use crate::tr;

/// Days ahead the check looks for tasks, and for milestones and reviews.
pub(crate) use crate::summary::TASK_DAYS;
pub(crate) const MILESTONE_DAYS: i64 = 14;

fn task_view(plan: &Plan, m: &Milestone, t: &Task, config: &Config) -> Value {
    let lang = config.lang();
    let role = t.role.text().unwrap_or("");
    tv!({
        "do": t.do_.text(),
        "done_when": t.done_when.text(),
        "role": role,
        "role_name": config.roles.get(role).cloned().unwrap_or_else(|| role.to_string()),
        "owner": state::owner(plan, t),
        "due": t.due.copied().map(|d| long_date(lang, d)),
        "due_iso": t.due.copied().map(|d| d.to_string()),
        "status": t.status().as_str(),
        "status_label": label_for(lang, "task_status_", t.status().as_str()),
        "milestone": m.name(),
    })
}

/// One plan's section of the agenda, for `plan_check.html`.
pub(super) fn plan_check(p: &PlanFile, st: State, today: NaiveDate, config: &Config) -> Value {
    let lang = config.lang();
    let plan = &p.plan;
    let (_, reasons) = state::assess(plan, false, today);
    let overdue: Vec<Value> = state::overdue_tasks(plan, today)
        .into_iter()
        .map(|(m, t)| task_view(plan, m, t, config))
        .collect();
    let mut by_owner: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (m, t) in state::tasks_due(plan, today, today + Duration::days(TASK_DAYS)) {
        let owner = state::owner(plan, t)
            .map(str::to_string)
            .unwrap_or_else(|| label(lang, "no_owner").into_owned());
        by_owner
            .entry(owner)
            .or_default()
            .push(task_view(plan, m, t, config));
    }
    let due_next: Vec<Value> = by_owner
        .into_iter()
        .map(|(owner, tasks)| tv!({"owner": owner, "tasks": tasks}))
        .collect();
    let audience = plan.executive().and_then(|e| e.audience.text());
    let upcoming: Vec<Value> = state::upcoming(plan, today, MILESTONE_DAYS)
        .into_iter()
        .map(|u| {
            let (kind, m) = match u {
                Upcoming::Due(m, _) => ("due", Some(m)),
                Upcoming::Review(m, _) => ("review", Some(m)),
                Upcoming::Executive(_) => ("executive", None),
            };
            let d = u.date();
            tv!({
                "kind": kind,
                "kind_label": label(lang, match kind {
                    "due" => "due",
                    "review" => "review",
                    _ => "executive_report",
                }),
                "milestone": m.map(Milestone::name).or_else(|| audience.map(str::to_string)),
                "target": m.and_then(|m| m.target.copied()).map(num),
                "date": long_date(lang, d),
                "date_iso": d.to_string(),
            })
        })
        .collect();
    let awaiting: Vec<Value> = state::awaiting_review(plan, today)
        .into_iter()
        .map(|(m, review)| {
            tv!({
                "milestone": m.name(),
                "status_label": label_for(lang, "ms_status_", m.status().as_str()),
                "review": long_date(lang, review),
                "review_iso": review.to_string(),
            })
        })
        .collect();
    let cadence = state::cadence_days(plan);
    let stale = state::last_measured(plan)
        .filter(|since| (today - *since).num_days() > cadence)
        .map(|since| {
            let (days, date) = ((today - since).num_days(), long_date(lang, since));
            tr!(
                lang,
                "最後の計測は {date}（{days} 日前）です。今回の確認までに計測してください",
                "the metric was last measured on {date}, {days} days ago: measure it before this check"
            )
        });
    let next_check = state::next_check(plan, today).map(|d| {
        let time = plan
            .meetings
            .value()
            .and_then(|m| m.progress.value())
            .and_then(|p| p.time.text())
            .map(|t| format!(" {t}"))
            .unwrap_or_default();
        format!("{}{time}", long_date(lang, d))
    });
    tv!({
        "id": plan.id.as_str(),
        "title": plan.title_text(),
        "href": crate::paths::Page::plan(&plan.id).href("../"),
        "state": st.as_str(),
        "state_label": label_for(lang, "state_", st.as_str()),
        // A stale metric has its own note below.
        "reasons": reasons
            .iter()
            .filter(|r| !matches!(r, Reason::Stale { .. }))
            .map(|r| r.text(plan, lang))
            .collect::<Vec<_>>(),
        "next_check": next_check,
        "overdue": overdue,
        "due_next": due_next,
        "upcoming": upcoming,
        "awaiting_review": awaiting,
        "stale": stale,
    })
}

/// The agenda: active plans, behind first, then at risk, then on track,
/// each group in home-page order (`plans` come ranked with their states).
pub(super) fn on_agenda<'p>(plans: &[(&'p PlanFile, State)]) -> Vec<(&'p PlanFile, State)> {
    let order = [State::Behind, State::AtRisk, State::OnTrack];
    order
        .iter()
        .flat_map(|want| plans.iter().filter(move |(_, st)| st == want).copied())
        .collect()
}
