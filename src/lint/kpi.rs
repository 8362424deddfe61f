//! KPI: measurements of the metric against the plan.

use chrono::NaiveDate;

use super::rules::*;
use super::{Cx, metric_label, num};
use crate::model::{Field, Plan};
use crate::tr;

/// KPI001: measurements have dates on or after `start`, in increasing order,
/// with numeric values.
pub(crate) fn kpi001(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let start = plan.start.copied();
    let mut prev: Option<NaiveDate> = None;
    for (i, m) in plan.measurements().iter().enumerate() {
        let n = i + 1;
        if m.value.is_missing() {
            cx.report(
                KPI001,
                m.value.pos_or(m.pos),
                tr!(
                    lang,
                    "計測値 #{n} に value がありません",
                    "measurement #{n} has no value"
                ),
            );
        }
        let d = match &m.date {
            Field::Invalid => continue,
            f @ (Field::Missing | Field::Null(_)) => {
                cx.report(
                    KPI001,
                    f.pos_or(m.pos),
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

/// KPI002: the latest measurement falls short of the planned value on its
/// date (the baseline before the first due date, then each milestone's
/// target) by more than 20 % of that step's planned gain.
pub(crate) fn kpi002(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let Some(short) = crate::progress::shortfall(plan) else {
        return;
    };
    // The finding points at the latest measurement's value.
    let Some(pos) = plan
        .measurements()
        .iter()
        .filter_map(|m| Some((m.date.copied()?, m.value.get()?.pos)))
        .max_by_key(|(d, _)| *d)
        .map(|(_, pos)| pos)
    else {
        return;
    };
    let name = metric_label(plan, lang);
    let unit = plan.unit();
    let date = short.date;
    let (a, p) = (num(short.actual), num(crate::num::round2(short.planned)));
    let pct = num((short.share * 100.0).round());
    let step = short
        .milestone
        .and_then(|i| plan.milestones().get(i))
        .and_then(|m| m.id_text());
    let planned = match step {
        Some(id) => tr!(lang, "{id} の目標 {p}{unit}", "{id}'s target, {p}{unit}"),
        None => tr!(lang, "開始時の値 {p}{unit}", "the baseline, {p}{unit}"),
    };
    cx.report(
        KPI002,
        pos,
        tr!(
            lang,
            "{date} の{name}は {a}{unit} で、計画値（{planned}）から、このマイルストーンで計画した伸びの {pct}% 遅れています。原因を話し合い、次のアクションか計画を見直してください",
            "{name} was {a}{unit} on {date}, short of the plan ({planned}) by {pct}% of the gain planned for this milestone: discuss why and adjust the next action or the plan"
        ),
    );
}
