//! MTG: meetings and the line of reporting (会議体、レポートライン).

use chrono::Duration;

use super::Cx;
use super::rules::*;
use crate::model::{Every, Field, Meetings, Plan};
use crate::tr;
use crate::yaml::Pos;

/// Where a missing part of `meetings` is reported: the `meetings` key, or
/// line 1 when there is none. `None` when `meetings` itself is invalid.
fn meetings(plan: &Plan) -> Option<(Option<&Meetings>, Pos)> {
    match &plan.meetings {
        Field::Invalid => None,
        f @ (Field::Missing | Field::Null(_)) => Some((None, f.pos_or(Pos::START))),
        Field::Ok(m) => Some((Some(&m.value), m.pos)),
    }
}

/// MTG001: the kickoff is set, on or after `start`, within `kickoff_within_days`.
pub(crate) fn mtg001(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let Some((m, pos)) = meetings(plan) else {
        return;
    };
    let n = cx.config.lint.kickoff_within_days;
    let kickoff = m.map_or(&Field::Missing, |m| &m.kickoff);
    let (date, pos) = match kickoff {
        Field::Invalid => return,
        f @ (Field::Missing | Field::Null(_)) => (None, f.pos_or(pos)),
        Field::Ok(k) => match &k.value.date {
            Field::Invalid => return,
            f @ (Field::Missing | Field::Null(_)) => (None, f.pos_or(k.pos)),
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
pub(crate) fn mtg002(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let Some((m, pos)) = meetings(plan) else {
        return;
    };
    let exec = m.map_or(&Field::Missing, |m| &m.executive);
    let (missing, pos) = match exec {
        Field::Invalid => return,
        f @ (Field::Missing | Field::Null(_)) => ("meetings.executive".to_string(), f.pos_or(pos)),
        Field::Ok(e) => {
            let (audience, dates) = (&e.value.audience, &e.value.dates);
            let no_dates = dates.is_missing() || dates.value().is_some_and(|d| d.is_empty());
            // An empty value is pointed at; missing keys at `executive`.
            let Some((keys, pos)) = super::missing_keys(&[
                ("audience", audience.is_blank(), audience.pos_or(e.pos)),
                ("dates", no_dates, dates.pos_or(e.pos)),
            ]) else {
                return;
            };
            (format!("meetings.executive.{keys}"), pos)
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
pub(crate) fn mtg003(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let Some((m, pos)) = meetings(plan) else {
        return;
    };
    let progress = m.map_or(&Field::Missing, |m| &m.progress);
    let (missing, pos) = match progress {
        Field::Invalid => return,
        f @ (Field::Missing | Field::Null(_)) => ("meetings.progress".to_string(), f.pos_or(pos)),
        Field::Ok(p) => {
            let Some((keys, at)) = super::missing_keys(&[
                (
                    "every",
                    p.value.every.is_missing(),
                    p.value.every.pos_or(p.pos),
                ),
                (
                    "weekday",
                    p.value.weekday.is_missing(),
                    p.value.weekday.pos_or(p.pos),
                ),
            ]) else {
                return;
            };
            (format!("meetings.progress.{keys}"), at)
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

/// MTG004: the progress check is weekly with a time slot (毎週 x 曜日
/// 00:00-00:00): at `every` when it is not `week`; at `progress` when
/// `time` is missing, at `time` when it is empty. Without a valid `every`
/// only MTG003 / PLN001 report.
pub(crate) fn mtg004(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let Some(p) = plan.meetings.value().and_then(|m| m.progress.get()) else {
        return;
    };
    let Some(every) = p.value.every.get() else {
        return;
    };
    if every.value != Every::Week {
        let e = every.value.as_str();
        cx.report(
            MTG004,
            every.pos,
            tr!(
                lang,
                "進捗確認が `{e}` ごとです。ワークショップではマイルストーン内の進捗確認を毎週行います。`every: week` にしてください",
                "the progress check is every `{e}`: the workshop checks progress within a milestone every week; use `every: week`"
            ),
        );
    }
    let pos = match &p.value.time {
        Field::Invalid => return,
        f @ (Field::Missing | Field::Null(_)) => f.pos_or(p.pos),
        Field::Ok(t) if t.value.trim().is_empty() => t.pos,
        Field::Ok(_) => return,
    };
    cx.report(
        MTG004,
        pos,
        tr!(
            lang,
            "進捗確認の時間枠 (meetings.progress.time) がありません。「10:00-10:30」のように毎週の時間を決めてください",
            "the progress check has no time slot (meetings.progress.time): fix the weekly slot, e.g. \"10:00-10:30\""
        ),
    );
}
