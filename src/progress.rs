//! Plan-level computations on the model that lint rules, pages, feeds and
//! reports share: where the metric should be on a date (the planned
//! trajectory), the latest measurement and the next milestone.

use chrono::NaiveDate;

use crate::model::{Milestone, Plan};

/// The planned value of the metric on `date`: straight lines from
/// (start, baseline) through each milestone's (due, target), staying at the
/// last target after the last due date. `None` without start or baseline.
pub fn planned_value(plan: &Plan, date: NaiveDate) -> Option<f64> {
    let start = plan.start.copied()?;
    let baseline = plan.metric.value()?.baseline.copied()?;
    let mut prev = (start, baseline);
    if date <= start {
        return Some(baseline);
    }
    for m in plan.milestones() {
        let (Some(due), Some(target)) = (m.due.copied(), m.target.copied()) else {
            continue;
        };
        if due <= prev.0 {
            continue;
        }
        if date <= due {
            let span = (due - prev.0).num_days() as f64;
            let t = (date - prev.0).num_days() as f64 / span;
            return Some(prev.1 + (target - prev.1) * t);
        }
        prev = (due, target);
    }
    Some(prev.1)
}

/// How far the latest measurement falls behind the planned trajectory
/// (KPI002 and the `behind` state).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shortfall {
    /// The latest measurement's date and value.
    pub date: NaiveDate,
    pub actual: f64,
    /// Where the trajectory was on that date.
    pub planned: f64,
    /// The shortfall as a share of the planned gain so far (0.25 = 25 %).
    pub share: f64,
}

/// The latest measurement against the planned trajectory on its date, when
/// it falls behind by more than 20 % of the planned gain so far; `None`
/// when it does not, or when direction, baseline, start or a measurement
/// is missing, or no gain was planned yet.
pub fn shortfall(plan: &Plan) -> Option<Shortfall> {
    let metric = plan.metric.value()?;
    let dir = metric.direction.copied()?;
    let baseline = metric.baseline.copied()?;
    let (date, actual) = progress(plan).latest?;
    let planned = planned_value(plan, date)?;
    let gain = dir.gain(baseline, planned);
    if gain <= 0.0 {
        return None;
    }
    let short = dir.gain(actual, planned);
    (short > 0.2 * gain).then_some(Shortfall {
        date,
        actual,
        planned,
        share: short / gain,
    })
}

/// Where the plan stands: the latest measurement and the next milestone
/// that is not finished.
pub struct Progress<'a> {
    pub latest: Option<(NaiveDate, f64)>,
    pub next: Option<&'a Milestone>,
}

pub fn progress(plan: &Plan) -> Progress<'_> {
    let latest = plan
        .measurements()
        .iter()
        .filter_map(|m| Some((m.date.copied()?, m.value.copied()?)))
        .max_by_key(|(d, _)| *d);
    let next = plan.milestones().iter().find(|m| !m.status().is_finished());
    Progress { latest, next }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    use crate::testing::{at, d};

    #[test]
    fn trajectory_interpolates_and_holds_after_the_last_milestone() {
        let plan = Plan {
            start: at(d("2027-01-01")),
            metric: at(Metric {
                baseline: at(2.0),
                ..Metric::default()
            }),
            milestones: at(vec![
                Milestone {
                    due: at(d("2027-01-11")),
                    target: at(3.0),
                    ..Milestone::default()
                },
                Milestone {
                    due: at(d("2027-01-21")),
                    target: at(5.0),
                    ..Milestone::default()
                },
            ]),
            ..Plan::default()
        };
        assert_eq!(planned_value(&plan, d("2026-12-01")), Some(2.0));
        assert_eq!(planned_value(&plan, d("2027-01-06")), Some(2.5));
        assert_eq!(planned_value(&plan, d("2027-01-11")), Some(3.0));
        assert_eq!(planned_value(&plan, d("2027-01-16")), Some(4.0));
        assert_eq!(planned_value(&plan, d("2027-06-01")), Some(5.0));
    }
}
