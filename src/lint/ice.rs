//! ICE: the idea score, Impact × Confidence × Ease (ICE スコア).

use super::rules::*;
use super::{Cx, num};
use crate::model::{Field, Plan};
use crate::tr;
use crate::yaml::Pos;

/// The evidence kind assumed when a plan declares none: what a team has when
/// the workshop ends.
pub(crate) const DEFAULT_EVIDENCE: &str = "estimates";

/// ICE001: impact and ease in 1–10, confidence in 0.01–10.
pub(crate) fn ice001(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let ice = match &plan.ice {
        Field::Invalid => return,
        f @ (Field::Missing | Field::Null(_)) => {
            cx.report(
                ICE001,
                f.pos_or(Pos::START),
                tr!(
                    lang,
                    "ICE スコア (ice) がありません。impact (1〜10)・confidence (0.01〜10)・ease (1〜10) と evidence を書いてください",
                    "the plan has no ICE score: add ice with impact (1–10), confidence (0.01–10), ease (1–10) and evidence"
                ),
            );
            return;
        }
        Field::Ok(ice) => ice,
    };
    let checks = [
        ("impact", &ice.value.impact, 1.0, 10.0),
        ("confidence", &ice.value.confidence, 0.01, 10.0),
        ("ease", &ice.value.ease, 1.0, 10.0),
    ];
    for (key, field, lo, hi) in checks {
        let (lo_s, hi_s) = (num(lo), num(hi));
        match field {
            Field::Invalid => {}
            Field::Missing | Field::Null(_) => cx.report(
                ICE001,
                field.pos_or(ice.pos),
                tr!(
                    lang,
                    "ice.{key} がありません。{lo_s}〜{hi_s} の数値を書いてください",
                    "ice.{key} is missing: give a number from {lo_s} to {hi_s}"
                ),
            ),
            Field::Ok(v) if v.value < lo || v.value > hi => {
                let val = num(v.value);
                cx.report(
                    ICE001,
                    v.pos,
                    tr!(
                        lang,
                        "ice.{key} の {val} は範囲外です。{lo_s}〜{hi_s} にしてください",
                        "ice.{key} is {val}, outside {lo_s}–{hi_s}"
                    ),
                );
            }
            Field::Ok(_) => {}
        }
    }
}

/// ICE002: confidence does not exceed the cap of its declared evidence
/// (`estimates` when none is declared).
pub(crate) fn ice002(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let Some(ice) = plan.ice.value() else { return };
    let Some(conf) = ice.confidence.get() else {
        return;
    };
    let kind = match &ice.evidence {
        Field::Ok(e) => e.value.as_str(),
        Field::Missing | Field::Null(_) => DEFAULT_EVIDENCE,
        Field::Invalid => return,
    };
    let Some(cap) = cx.config.lint.confidence_caps.get(kind).copied() else {
        return;
    };
    if conf.value > cap {
        let (c, cap) = (num(conf.value), num(cap));
        cx.report(
            ICE002,
            conf.pos,
            tr!(
                lang,
                "confidence {c} は根拠「{kind}」の上限 {cap} を超えています。ワークショップ直後は見積もり (estimates) で最大 1 です。顧客に仮説を当てた検証結果がそろってから上げてください",
                "confidence {c} exceeds the cap of {cap} for evidence \"{kind}\": right after the workshop a team has estimates (at most 1); raise it only with evidence from customers"
            ),
        );
    }
}

/// ICE003: confidence above `workshop_confidence` is earned: the plan has
/// at least one finished milestone.
pub(crate) fn ice003(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let Some(conf) = plan.ice.value().and_then(|i| i.confidence.get()) else {
        return;
    };
    let limit = cx.config.lint.workshop_confidence;
    if conf.value <= limit || plan.milestones().iter().any(|m| m.status().is_finished()) {
        return;
    }
    let (c, l) = (num(conf.value), num(limit));
    cx.report(
        ICE003,
        conf.pos,
        tr!(
            lang,
            "confidence {c} はワークショップ終了時の {l} を超えていますが、終わったマイルストーンがまだありません。確信度はマイルストーンの検証結果で上げてください",
            "confidence {c} is above the {l} a team has when the workshop ends, but no milestone is finished yet: raise confidence with the evidence of a finished milestone"
        ),
    );
}
