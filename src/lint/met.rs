//! MET: the growth metric (成長を計測する指標).

use super::Cx;
use super::rules::{MET001, MET002, MET003, MET004, MET005};
use crate::model::{At, Correlations, Field, Metric, Plan};
use crate::tr;
use crate::yaml::Pos;

/// MET001: the metric has name, unit, direction and a numeric baseline.
pub(crate) fn met001(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let m = match &plan.metric {
        Field::Ok(m) => m,
        Field::Invalid => return,
        f @ (Field::Missing | Field::Null(_)) => {
            cx.report(
                MET001,
                f.pos_or(Pos::START),
                tr!(
                    lang,
                    "成長を計測する指標 `metric` がありません。name・unit・direction・baseline を書いてください",
                    "the plan has no growth `metric`: add one with name, unit, direction and baseline"
                ),
            );
            return;
        }
    };
    // An empty name is pointed at; missing keys at `metric`.
    if let Some((keys, pos)) = super::missing_keys(&[
        ("name", m.value.name.is_blank(), m.value.name.pos_or(m.pos)),
        (
            "unit",
            m.value.unit.is_missing(),
            m.value.unit.pos_or(m.pos),
        ),
        (
            "direction",
            m.value.direction.is_missing(),
            m.value.direction.pos_or(m.pos),
        ),
        (
            "baseline",
            m.value.baseline.is_missing(),
            m.value.baseline.pos_or(m.pos),
        ),
    ]) {
        cx.report(
            MET001,
            pos,
            tr!(
                lang,
                "metric に {keys} がありません。指標の名前・単位・方向 (increase/decrease)・現在値 (baseline) を書いてください",
                "metric is missing {keys}: give the metric's name, unit, direction (increase/decrease) and current value (baseline)"
            ),
        );
    }
}

/// The correlations of a metric that is present, or where to report their absence.
fn correlations(plan: &Plan) -> Option<Result<&At<Correlations>, Pos>> {
    let m: &At<Metric> = plan.metric.get()?;
    match &m.value.correlations {
        Field::Ok(c) => Some(Ok(c)),
        Field::Invalid => None,
        f @ (Field::Missing | Field::Null(_)) => Some(Err(f.pos_or(m.pos))),
    }
}

fn check_correlation(
    cx: &mut Cx<'_>,
    plan: &Plan,
    rule: &'static str,
    key: &str,
    pick: fn(&Correlations) -> &Field<String>,
    what_ja: &str,
    what_en: &str,
) {
    let lang = cx.lang;
    let pos = match correlations(plan) {
        None => return,
        Some(Err(pos)) => pos,
        Some(Ok(c)) => {
            let field = pick(&c.value);
            if !field.is_blank() {
                return;
            }
            field.pos_or(c.pos)
        }
    };
    cx.report(
        rule,
        pos,
        tr!(
            lang,
            "指標と{what_ja}の相関が書かれていません。metric.correlations.{key} に、この指標が上がると{what_ja}にどうつながるかを書いてください",
            "the metric does not state its correlation with {what_en}: write in metric.correlations.{key} how a rise in this metric relates to {what_en}"
        ),
    );
}

/// MET002: correlation with customer experience (顧客体験の向上・定着).
pub(crate) fn met002(cx: &mut Cx<'_>, plan: &Plan) {
    check_correlation(
        cx,
        plan,
        MET002,
        "customer_experience",
        |c| &c.customer_experience,
        "顧客体験の向上・定着",
        "customer experience and retention",
    );
}

/// MET003: correlation with revenue, as a leading indicator (収益).
pub(crate) fn met003(cx: &mut Cx<'_>, plan: &Plan) {
    check_correlation(
        cx,
        plan,
        MET003,
        "revenue",
        |c| &c.revenue,
        "収益（先行指標として）",
        "revenue (as a leading indicator)",
    );
}

/// MET004: correlation with ML model accuracy (機械学習の精度).
pub(crate) fn met004(cx: &mut Cx<'_>, plan: &Plan) {
    check_correlation(
        cx,
        plan,
        MET004,
        "model_accuracy",
        |c| &c.model_accuracy,
        "機械学習の精度（蓄積データで学習できること）",
        "ML model accuracy (the data it accumulates can train the model)",
    );
}

/// MET005: the metric name matches a vanity pattern.
pub(crate) fn met005(cx: &mut Cx<'_>, plan: &Plan) {
    let Some(m) = plan.metric.value() else { return };
    let Some(name) = m.name.get() else { return };
    let lint = &cx.config.lint;
    let Some(pattern) = super::first_match_except(
        &name.value,
        &lint.vanity_metric_patterns,
        &lint.vanity_metric_exceptions,
    ) else {
        return;
    };
    let lang = cx.lang;
    cx.report(
        MET005,
        name.pos,
        tr!(
            lang,
            "指標「{}」は虚栄の指標（「{pattern}」）に見えます。顧客体験が良くならなくても上がりえます。顧客の能動的な行動を表す指標（例: 推薦アイテムのお気に入り登録率）を選んでください",
            "the metric \"{}\" looks like a vanity metric (\"{pattern}\"): it can rise without the customer experience improving; choose one that counts an active customer action (e.g. favourite rate of recommended items)",
            name.value
        ),
    );
}
