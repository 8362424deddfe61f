//! KPI: measurements of the metric against the plan.

use chrono::NaiveDate;

use super::rules::*;
use super::{Cx, metric_label, num};
use crate::model::{Field, Plan};
use crate::tr;

/// KPI001: measurements have dates on or after `start`, in increasing order,
/// with numeric values.
pub fn kpi001(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let start = plan.start.copied();
    let mut prev: Option<NaiveDate> = None;
    for (i, m) in plan.measurements().iter().enumerate() {
        let n = i + 1;
        if m.value.is_missing() {
            cx.report(
                KPI001,
                m.pos,
                tr!(
                    lang,
                    "計測値 #{n} に value がありません",
                    "measurement #{n} has no value"
                ),
            );
        }
        let d = match &m.date {
            Field::Invalid => continue,
            Field::Missing => {
                cx.report(
                    KPI001,
                    m.pos,
                    tr!(
                        lang,
                        "計測値 #{n} に date がありません",
                        "measurement #{n} has no date"
                    ),
                );
                continue;
            }
            Field::Ok(d) => d,
        };
        let date = d.value;
        if let Some(start) = start
            && date < start
        {
            cx.report(
                KPI001,
                d.pos,
                tr!(
                    lang,
                    "計測値 #{n} の日付 {date} が start ({start}) より前です",
                    "measurement #{n} is dated {date}, before the plan's start ({start})"
                ),
            );
        }
        if let Some(p) = prev
            && date <= p
        {
            cx.report(
                    KPI001,
                    d.pos,
                    tr!(
                        lang,
                        "計測値 #{n} の日付 {date} が前の計測 ({p}) より後になっていません。日付の昇順に並べてください",
                        "measurement #{n} is dated {date}, not after the previous one ({p}): list measurements in date order"
                    ),
                );
        }
        prev = Some(date);
    }
}

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

/// KPI002: the latest measurement is behind the planned trajectory by more
/// than 20% of the planned gain so far.
pub fn kpi002(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let Some(metric) = plan.metric.value() else {
        return;
    };
    let (Some(dir), Some(baseline)) = (metric.direction.copied(), metric.baseline.copied()) else {
        return;
    };
    let latest = plan
        .measurements()
        .iter()
        .filter_map(|m| Some((m.date.copied()?, m.value.get()?)))
        .max_by_key(|(d, _)| *d);
    let Some((date, actual)) = latest else { return };
    let Some(planned) = planned_value(plan, date) else {
        return;
    };
    let gain = dir.gain(baseline, planned);
    if gain <= 0.0 {
        return;
    }
    let shortfall = dir.gain(actual.value, planned);
    if shortfall > 0.2 * gain {
        let name = metric_label(plan, lang);
        let unit = metric.unit.text().unwrap_or("");
        let (a, p) = (num(actual.value), num((planned * 100.0).round() / 100.0));
        let pct = num((shortfall / gain * 100.0).round());
        cx.report(
            KPI002,
            actual.pos,
            tr!(
                lang,
                "{date} の{name}は {a}{unit} で、計画の軌道 ({p}{unit}) から計画上の伸びの {pct}% 遅れています。原因を話し合い、次のアクションか計画を見直してください",
                "{name} was {a}{unit} on {date}, behind the planned trajectory ({p}{unit}) by {pct}% of the planned gain: discuss why and adjust the next action or the plan"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::yaml::Pos;

    fn at<T>(value: T) -> Field<T> {
        Field::Ok(At {
            value,
            pos: Pos::START,
        })
    }

    fn d(s: &str) -> NaiveDate {
        crate::frontmatter::parse_date(s).unwrap()
    }

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
