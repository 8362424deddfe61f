//! Plan-level computations on the model that lint rules, pages, feeds and
//! reports share: where the metric should be on a date (the plan as the
//! states judge it, a step at each milestone), the latest measurement and
//! the next milestone.

use chrono::NaiveDate;

use crate::model::{Milestone, Plan};

/// One step of the plan: from `due` on, the metric should be at `target`.
/// `index` is the milestone's place in `milestones`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Step {
    pub index: usize,
    pub due: NaiveDate,
    pub target: f64,
}

/// The plan's steps: every milestone with a due date and a target, in
/// order, each due after the one before (a milestone out of order is
/// MIL008's business and is left out here).
pub(crate) fn steps(plan: &Plan) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    for (index, m) in plan.milestones().iter().enumerate() {
        let (Some(due), Some(target)) = (m.due.copied(), m.target.copied()) else {
            continue;
        };
        if out.last().is_some_and(|s| due <= s.due) {
            continue;
        }
        out.push(Step { index, due, target });
    }
    out
}

/// The planned value of the metric on `date`, as the workshop judges it,
/// milestone by milestone: the baseline before the first milestone's due
/// date, and from each milestone's due date on, that milestone's target.
/// `None` without a baseline.
pub(crate) fn planned_value(plan: &Plan, date: NaiveDate) -> Option<f64> {
    planned_at(plan, &steps(plan), date).map(|(v, _)| v)
}

/// The planned value at `date` and the step in force (`None`: before the
/// first due date, the baseline), with the plan's [`steps`] made once by
/// a caller that asks for several dates.
pub(crate) fn planned_at(
    plan: &Plan,
    steps: &[Step],
    date: NaiveDate,
) -> Option<(f64, Option<Step>)> {
    let baseline = plan.metric.value()?.baseline.copied()?;
    Some(match steps.iter().take_while(|s| s.due <= date).last() {
        Some(s) => (s.target, Some(*s)),
        None => (baseline, None),
    })
}

/// The planned value over [`from`, `to`] as the corners of a step line,
/// for the chart and the sparkline: the value at `from`, then at each due
/// date in between a step from the value before to the milestone's
/// target, and the last value held to `to`. Empty without a baseline.
pub(crate) fn planned_line(plan: &Plan, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, f64)> {
    let steps = steps(plan);
    let Some((first, _)) = planned_at(plan, &steps, from) else {
        return Vec::new();
    };
    let mut out = vec![(from, first)];
    for s in steps.iter().filter(|s| from < s.due && s.due <= to) {
        let before = out.last().map_or(first, |p| p.1);
        out.push((s.due, before));
        out.push((s.due, s.target));
    }
    if let Some(&(last, value)) = out.last()
        && last < to
    {
        out.push((to, value));
    }
    out
}

/// How far the latest measurement falls short of the planned value
/// (KPI002 and the `behind` state).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Shortfall {
    /// The latest measurement's date and value.
    pub date: NaiveDate,
    pub actual: f64,
    /// The planned value on that date.
    pub planned: f64,
    /// The milestone whose target is planned then (its index in
    /// `milestones`); `None` before the first due date, when the baseline
    /// is.
    pub milestone: Option<usize>,
    /// The shortfall as a share of the step's planned gain (0.25 = 25 %).
    pub share: f64,
}

/// The latest measurement against the planned value on its date, when it
/// falls short by more than 20 % of that step's gain: the milestone's
/// target minus the previous target (the baseline for the first); before
/// the first due date, the first milestone's gain. `None` when it does
/// not, or when direction, baseline, a milestone or a measurement is
/// missing, or the step plans no gain.
pub(crate) fn shortfall(plan: &Plan) -> Option<Shortfall> {
    let metric = plan.metric.value()?;
    let dir = metric.direction.copied()?;
    let baseline = metric.baseline.copied()?;
    let (date, actual) = progress(plan).latest?;
    let steps = steps(plan);
    let (planned, step) = planned_at(plan, &steps, date)?;
    let gain = match step {
        None => dir.gain(baseline, steps.first()?.target),
        Some(s) => {
            let before = steps
                .iter()
                .take_while(|p| p.due < s.due)
                .last()
                .map_or(baseline, |p| p.target);
            dir.gain(before, s.target)
        }
    };
    if gain <= 0.0 {
        return None;
    }
    let short = dir.gain(actual, planned);
    // Exactly 20 % is not more than 20 %, whatever the decimals' binary
    // rounding (1.84 - 1.8 is a hair above 0.04).
    (short > 0.2 * gain * (1.0 + 1e-9)).then_some(Shortfall {
        date,
        actual,
        planned,
        milestone: step.map(|s| s.index),
        share: short / gain,
    })
}

/// Where the plan stands: the latest measurement and the next milestone
/// that is not finished.
pub(crate) struct Progress<'a> {
    pub latest: Option<(NaiveDate, f64)>,
    pub next: Option<&'a Milestone>,
}

pub(crate) fn progress(plan: &Plan) -> Progress<'_> {
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

    fn plan(
        dir: Direction,
        baseline: f64,
        targets: &[(&str, f64)],
        measured: &[(&str, f64)],
    ) -> Plan {
        Plan {
            start: at(d("2027-01-01")),
            metric: at(Metric {
                baseline: at(baseline),
                direction: at(dir),
                ..Metric::default()
            }),
            milestones: at(targets
                .iter()
                .map(|(due, t)| Milestone {
                    due: at(d(due)),
                    target: at(*t),
                    ..Milestone::default()
                })
                .collect()),
            measurements: at(measured
                .iter()
                .map(|(date, v)| Measurement {
                    date: at(d(date)),
                    value: at(*v),
                    ..Measurement::default()
                })
                .collect()),
            ..Plan::default()
        }
    }

    #[test]
    fn the_plan_steps_at_each_due_date() {
        let p = plan(
            Direction::Increase,
            2.0,
            &[("2027-01-11", 3.0), ("2027-01-21", 5.0)],
            &[],
        );
        assert_eq!(planned_value(&p, d("2026-12-01")), Some(2.0));
        assert_eq!(planned_value(&p, d("2027-01-10")), Some(2.0));
        assert_eq!(planned_value(&p, d("2027-01-11")), Some(3.0));
        assert_eq!(planned_value(&p, d("2027-01-20")), Some(3.0));
        assert_eq!(planned_value(&p, d("2027-01-21")), Some(5.0));
        assert_eq!(planned_value(&p, d("2027-06-01")), Some(5.0));
        let mut none = p.clone();
        none.metric = at(Metric::default());
        assert_eq!(planned_value(&none, d("2027-01-21")), None);
    }

    #[test]
    fn a_milestone_out_of_order_is_not_a_step() {
        let p = plan(
            Direction::Increase,
            2.0,
            &[
                ("2027-01-11", 3.0),
                ("2027-01-11", 4.0),
                ("2027-01-05", 9.0),
            ],
            &[],
        );
        assert_eq!(steps(&p).len(), 1);
        assert_eq!(planned_value(&p, d("2027-01-12")), Some(3.0));
    }

    /// The churn plan of the first week: baseline 1.8 %, m1 1.6 % due
    /// 01-29; 1.82 % on 01-19 is noise, not a shortfall.
    #[test]
    fn week_one_noise_is_not_behind() {
        let churn = |v: f64, on: &str| {
            plan(
                Direction::Decrease,
                1.8,
                &[("2027-01-29", 1.6), ("2027-02-26", 1.4)],
                &[(on, v)],
            )
        };
        assert_eq!(shortfall(&churn(1.82, "2027-01-19")), None);
        // 20 % of m1's gain (0.2) is 0.04: 1.84 is exactly that, not more.
        assert_eq!(shortfall(&churn(1.84, "2027-01-19")), None);
        let s = shortfall(&churn(1.85, "2027-01-19")).expect("short");
        assert_eq!((s.planned, s.milestone), (1.8, None));
        assert!((s.share - 0.25).abs() < 1e-9, "{s:?}");
        // From m1's due date on, m1's target is the plan.
        assert_eq!(shortfall(&churn(1.64, "2027-01-29")), None);
        let s = shortfall(&churn(1.65, "2027-01-29")).expect("short");
        assert_eq!((s.planned, s.milestone), (1.6, Some(0)));
        // After m2's due date its own step (1.6 → 1.4) is the measure.
        assert_eq!(shortfall(&churn(1.44, "2027-02-26")), None);
        let s = shortfall(&churn(1.45, "2027-02-26")).expect("short");
        assert_eq!(s.milestone, Some(1));
        assert!((s.share - 0.25).abs() < 1e-9, "{s:?}");
        // Better than planned is never short.
        assert_eq!(shortfall(&churn(1.2, "2027-02-26")), None);
    }

    #[test]
    fn no_gain_no_shortfall() {
        // A first target that plans no gain: nothing to fall short of.
        let flat = plan(
            Direction::Increase,
            2.0,
            &[("2027-01-11", 2.0)],
            &[("2027-01-05", 1.0)],
        );
        assert_eq!(shortfall(&flat), None);
        let flat = plan(
            Direction::Increase,
            2.0,
            &[("2027-01-11", 2.0)],
            &[("2027-01-12", 1.0)],
        );
        assert_eq!(shortfall(&flat), None);
        // No milestone at all.
        let none = plan(Direction::Increase, 2.0, &[], &[("2027-01-12", 1.0)]);
        assert_eq!(shortfall(&none), None);
    }
}
