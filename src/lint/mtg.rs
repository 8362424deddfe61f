//! MTG: meetings and the line of reporting (会議体、レポートライン).

use chrono::Duration;

use super::Cx;
use super::rules::*;
use crate::model::{Field, Meetings, Plan};
use crate::tr;
use crate::yaml::Pos;

/// Where a missing part of `meetings` is reported: the `meetings` key, or
/// line 1 when there is none. `None` when `meetings` itself is invalid.
fn meetings(plan: &Plan) -> Option<(Option<&Meetings>, Pos)> {
    match &plan.meetings {
        Field::Invalid => None,
        Field::Missing => Some((None, Pos::START)),
        Field::Ok(m) => Some((Some(&m.value), m.pos)),
    }
}

/// MTG001: the kickoff is set, on or after `start`, within `kickoff_within_days`.
pub fn mtg001(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let Some((m, pos)) = meetings(plan) else {
        return;
    };
    let n = cx.config.lint.kickoff_within_days;
    let kickoff = m.map_or(&Field::Missing, |m| &m.kickoff);
    let (date, pos) = match kickoff {
        Field::Invalid => return,
        Field::Missing => (None, pos),
        Field::Ok(k) => match &k.value.date {
            Field::Invalid => return,
            Field::Missing => (None, k.pos),
            Field::Ok(d) => (Some(d.value), d.pos),
        },
    };
    let Some(date) = date else {
        cx.report(
            MTG001,
            pos,
            tr!(
                lang,
                "ワークショップ後最初の会議 (meetings.kickoff.date) が決まっていません。start から {n} 日以内の日付を書いてください",
                "the first meeting after the workshop (meetings.kickoff.date) is not set: schedule it within {n} days of start"
            ),
        );
        return;
    };
    let Some(start) = plan.start.copied() else {
        return;
    };
    let limit = start + Duration::days(i64::from(n));
    if date < start || date > limit {
        cx.report(
            MTG001,
            pos,
            tr!(
                lang,
                "キックオフ {date} は start ({start}) から {limit} までの間にしてください（{n} 日以内）",
                "the kickoff on {date} must be between start ({start}) and {limit} (within {n} days)"
            ),
        );
    }
}

/// MTG002: reporting to management is set: an audience and at least one date.
pub fn mtg002(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let Some((m, pos)) = meetings(plan) else {
        return;
    };
    let exec = m.map_or(&Field::Missing, |m| &m.executive);
    let (missing, pos) = match exec {
        Field::Invalid => return,
        Field::Missing => ("meetings.executive".to_string(), pos),
        Field::Ok(e) => {
            let mut missing = Vec::new();
            if e.value.audience.text().is_none() && !matches!(e.value.audience, Field::Invalid) {
                missing.push("audience");
            }
            if matches!(&e.value.dates, Field::Missing)
                || e.value.dates.value().is_some_and(|d| d.is_empty())
            {
                missing.push("dates");
            }
            if missing.is_empty() {
                return;
            }
            (format!("meetings.executive.{}", missing.join(", ")), e.pos)
        }
    };
    cx.report(
        MTG002,
        pos,
        tr!(
            lang,
            "経営への報告が決まっていません（{missing} がありません）。報告相手 (audience) と報告日 (dates) を書いてください",
            "reporting to management is not set ({missing} missing): name the audience and at least one date"
        ),
    );
}

/// MTG003: the progress check cadence is set: `every` and `weekday`.
pub fn mtg003(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let Some((m, pos)) = meetings(plan) else {
        return;
    };
    let progress = m.map_or(&Field::Missing, |m| &m.progress);
    let (missing, pos) = match progress {
        Field::Invalid => return,
        Field::Missing => ("meetings.progress".to_string(), pos),
        Field::Ok(p) => {
            let missing: Vec<&str> = [
                ("every", p.value.every.is_missing()),
                ("weekday", p.value.weekday.is_missing()),
            ]
            .into_iter()
            .filter_map(|(k, m)| m.then_some(k))
            .collect();
            if missing.is_empty() {
                return;
            }
            (format!("meetings.progress.{}", missing.join(", ")), p.pos)
        }
    };
    cx.report(
        MTG003,
        pos,
        tr!(
            lang,
            "マイルストーン内の進捗確認の頻度が決まっていません（{missing} がありません）。every (week / two-weeks / month) と weekday を書いてください",
            "the progress check cadence is not set ({missing} missing): give every (week / two-weeks / month) and weekday"
        ),
    );
}
