//! The period report (docs/format.md, "planbook report"): for each plan,
//! what happened between two dates — measurements, milestones finished
//! with their answers, updates, tasks done (from git), tasks overdue and
//! due next, findings. One computation for `planbook report` (json,
//! markdown, html) and the executive report page
//! (`plans/ID/report/index.html`).

pub(crate) mod format;

use chrono::{Duration, NaiveDate};

use crate::diag::Diagnostic;
use crate::diff::DoneTask;
use crate::ledger;
use crate::model::{Milestone, Plan, Update};
use crate::state::{self, Due, State};

/// Days after the period's end whose due tasks are "due next".
pub(crate) const DUE_NEXT_DAYS: i64 = 7;

/// (`since`, `until`]: a period of whole days, `since` excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Period {
    pub since: NaiveDate,
    pub until: NaiveDate,
}

impl Period {
    pub(crate) fn contains(&self, d: NaiveDate) -> bool {
        self.since < d && d <= self.until
    }
}

/// A milestone finished in the period and what its questions found.
#[derive(Debug, Clone)]
pub(crate) struct Finished<'p> {
    pub milestone: &'p Milestone,
    pub done_on: NaiveDate,
    pub answers: Vec<ledger::Entry<'p>>,
}

/// A plan's ICE confidence and the evidence that earned it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Confidence {
    pub value: f64,
    /// The kind of evidence as written (`None`: not given).
    pub evidence: Option<String>,
}

impl Confidence {
    pub(crate) fn of(plan: &Plan) -> Option<Confidence> {
        let ice = plan.ice.value()?;
        Some(Confidence {
            value: ice.confidence.copied()?,
            evidence: ice.evidence.text().map(str::to_string),
        })
    }
}

/// What git says of a plan at the period's start: the tasks done since,
/// and the confidence then (`None` when the plan is new since).
#[derive(Debug, Clone, Default)]
pub(crate) struct Past {
    pub tasks_done: Vec<DoneTask>,
    pub confidence: Option<Confidence>,
}

/// The milestone target the plan is heading for: the next unfinished
/// milestone's, or the last milestone's when all are finished.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Target {
    pub milestone: String,
    pub value: f64,
}

fn target(plan: &Plan) -> Option<Target> {
    let ms = plan.milestones();
    let m = ms
        .iter()
        .find(|m| !m.status().is_finished() && m.target.get().is_some())
        .or_else(|| ms.iter().rev().find(|m| m.target.get().is_some()))?;
    Some(Target {
        milestone: m.id_text().unwrap_or("?").to_string(),
        value: m.target.copied()?,
    })
}

/// One plan's report.
#[derive(Debug, Clone)]
pub(crate) struct PlanReport<'p> {
    pub plan: &'p Plan,
    /// The state at the period's end.
    pub state: State,
    pub period: Period,
    /// The metric's baseline (its value at `start`).
    pub baseline: Option<f64>,
    /// The last measurement at or before `since`, and at or before `until`.
    pub kpi_from: Option<(NaiveDate, f64)>,
    pub kpi_to: Option<(NaiveDate, f64)>,
    /// The planned value at `until`.
    pub planned: Option<f64>,
    /// The target the plan is heading for.
    pub target: Option<Target>,
    /// Measurements in the period, by date.
    pub measurements: Vec<(NaiveDate, f64)>,
    pub finished: Vec<Finished<'p>>,
    /// Updates dated in the period, by date.
    pub updates: Vec<&'p Update>,
    /// Tasks that became done in the period (`None` outside git).
    pub tasks_done: Option<Vec<DoneTask>>,
    /// The confidence at the period's start (`None` outside git, or when
    /// the plan is new since).
    pub confidence_before: Option<Confidence>,
    /// Not done, due before `until`.
    pub overdue: Vec<Due<'p>>,
    /// Not done, due in (`until`, `until` + 7 days].
    pub due_next: Vec<Due<'p>>,
    pub findings: Vec<&'p Diagnostic>,
    /// The first unfinished milestone, the questions still open and the
    /// confidence now: for the executive report.
    pub next: Option<&'p Milestone>,
    pub open_questions: Vec<ledger::Entry<'p>>,
    pub confidence: Option<Confidence>,
}

/// The executive dates of a plan, sorted.
fn executive_dates(plan: &Plan) -> Vec<NaiveDate> {
    let mut dates: Vec<NaiveDate> = plan.executive_dates().iter().map(|a| a.value).collect();
    dates.sort();
    dates
}

/// `--since last-executive`: the latest executive date before `until`,
/// or `start` when there is none (`until` − 7 days without a start).
pub(crate) fn last_executive(plan: &Plan, until: NaiveDate) -> NaiveDate {
    executive_dates(plan)
        .into_iter()
        .rfind(|d| *d < until)
        .or_else(|| plan.start.copied().filter(|s| *s < until))
        .unwrap_or(until - Duration::days(7))
}

/// The executive report's period at `today`: up to the next executive
/// date on or after today (the last one when all are past; today without
/// any), from the executive date before it (or `start`).
pub(crate) fn executive_period(plan: &Plan, today: NaiveDate) -> Period {
    let dates = executive_dates(plan);
    let until = dates
        .iter()
        .copied()
        .find(|d| *d >= today)
        .or_else(|| dates.last().copied())
        .unwrap_or(today);
    Period {
        since: last_executive(plan, until),
        until,
    }
}

/// Who did a task that became done: its owner in the plan now, or the
/// team member of its role (`None` when neither is known).
pub(crate) fn done_owner<'p>(plan: &'p Plan, t: &'p DoneTask) -> Option<&'p str> {
    let m = plan
        .milestones()
        .iter()
        .find(|m| m.id_text() == Some(t.milestone.as_str()));
    let task = m.and_then(|m| {
        m.tasks()
            .iter()
            .find(|x| x.do_.text() == Some(t.task.as_str()) && x.role.text() == t.role.as_deref())
    });
    match task {
        Some(task) => state::owner(plan, task),
        None => Some(
            state::member(&plan.team, t.role.as_deref()?)?
                .value
                .as_str(),
        ),
    }
}

/// The value of the last measurement at or before `date`.
fn value_at(plan: &Plan, date: NaiveDate) -> Option<(NaiveDate, f64)> {
    plan.measurements()
        .iter()
        .filter_map(|m| Some((m.date.copied()?, m.value.copied()?)))
        .filter(|(d, _)| *d <= date)
        .max_by_key(|(d, _)| *d)
}

/// The report of `plan` for `period`. `diags` are the plan's findings
/// (its state is `invalid` when one is an error); `past` comes from git
/// (tasks done by [`crate::diff::tasks_done`], the confidence at `since`)
/// or is `None`.
pub(crate) fn plan_report<'p>(
    plan: &'p Plan,
    diags: Vec<&'p Diagnostic>,
    period: Period,
    past: Option<Past>,
) -> PlanReport<'p> {
    let has_error = diags
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error);
    let mut measurements: Vec<(NaiveDate, f64)> = plan
        .measurements()
        .iter()
        .filter_map(|m| Some((m.date.copied()?, m.value.copied()?)))
        .filter(|(d, _)| period.contains(*d))
        .collect();
    measurements.sort_by_key(|m| m.0);
    let finished = plan
        .milestones()
        .iter()
        .filter(|m| m.status().is_finished())
        .filter_map(|m| {
            let done_on = m.done_on.copied().filter(|d| period.contains(*d))?;
            Some(Finished {
                milestone: m,
                done_on,
                answers: ledger::milestone(plan, m),
            })
        })
        .collect();
    let mut updates: Vec<&Update> = plan
        .updates()
        .iter()
        .filter(|u| u.date.copied().is_some_and(|d| period.contains(d)))
        .collect();
    updates.sort_by_key(|u| u.date.copied());
    let until = period.until;
    let next = crate::progress::progress(plan).next;
    PlanReport {
        plan,
        state: state::state(plan, has_error, until),
        period,
        baseline: plan.metric.value().and_then(|m| m.baseline.copied()),
        kpi_from: value_at(plan, period.since),
        kpi_to: value_at(plan, until),
        planned: crate::progress::planned_value(plan, until),
        target: target(plan),
        measurements,
        finished,
        updates,
        confidence_before: past.as_ref().and_then(|p| p.confidence.clone()),
        tasks_done: past.map(|p| p.tasks_done),
        overdue: state::overdue_tasks(plan, until),
        due_next: state::tasks_due(plan, until, until + Duration::days(DUE_NEXT_DAYS)),
        findings: diags,
        next,
        open_questions: ledger::plan(plan)
            .into_iter()
            .filter(|e| !e.is_answered())
            .collect(),
        confidence: Confidence::of(plan),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::yaml::Pos;

    use crate::testing::{at, d};

    fn plan(dates: &[&str]) -> Plan {
        Plan {
            start: at(d("2027-01-01")),
            meetings: at(Meetings {
                executive: at(Executive {
                    dates: at(dates
                        .iter()
                        .map(|s| At {
                            value: d(s),
                            pos: Pos::START,
                        })
                        .collect()),
                    ..Executive::default()
                }),
                ..Meetings::default()
            }),
            ..Plan::default()
        }
    }

    #[test]
    fn the_executive_period_ends_at_the_next_executive_date() {
        // Listed out of order on purpose.
        let p = plan(&["2027-03-01", "2027-02-01"]);
        let period = |today| executive_period(&p, d(today));
        // Before the first date: from start.
        assert_eq!(
            period("2027-01-15"),
            Period {
                since: d("2027-01-01"),
                until: d("2027-02-01")
            }
        );
        // On a date: that one.
        assert_eq!(period("2027-02-01").until, d("2027-02-01"));
        // Between: from the previous to the next.
        assert_eq!(
            period("2027-02-02"),
            Period {
                since: d("2027-02-01"),
                until: d("2027-03-01")
            }
        );
        // All past: the last one.
        assert_eq!(period("2027-06-01").until, d("2027-03-01"));
        // No dates: start to today.
        let none = plan(&[]);
        assert_eq!(
            executive_period(&none, d("2027-01-20")),
            Period {
                since: d("2027-01-01"),
                until: d("2027-01-20")
            }
        );
    }

    #[test]
    fn last_executive_is_strictly_before_until() {
        let p = plan(&["2027-02-01"]);
        assert_eq!(last_executive(&p, d("2027-02-01")), d("2027-01-01"));
        assert_eq!(last_executive(&p, d("2027-02-02")), d("2027-02-01"));
        // Nothing before, not even start: a week before.
        assert_eq!(last_executive(&p, d("2026-12-20")), d("2026-12-13"));
    }

    #[test]
    fn a_period_excludes_its_start_and_includes_its_end() {
        let p = Period {
            since: d("2027-01-01"),
            until: d("2027-01-08"),
        };
        assert!(!p.contains(d("2027-01-01")));
        assert!(p.contains(d("2027-01-02")));
        assert!(p.contains(d("2027-01-08")));
        assert!(!p.contains(d("2027-01-09")));
    }
}
