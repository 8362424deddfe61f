//! MIL: milestones (指標改善のマイルストーン).

use std::collections::BTreeSet;

use chrono::{Months, NaiveDate};

use super::rules::*;
use super::{Cx, num};
use crate::model::{At, Direction, Field, Milestone, Plan};
use crate::tr;
use crate::yaml::Pos;

/// A milestone's name in messages: its id, or its position in the list.
/// Formatted only when a finding is reported.
#[derive(Clone, Copy)]
pub(super) struct Name<'a>(pub &'a Milestone, pub usize);

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.id_text() {
            Some(id) => f.write_str(id),
            None => write!(f, "#{}", self.1 + 1),
        }
    }
}

fn name(m: &Milestone, index: usize) -> Name<'_> {
    Name(m, index)
}

fn direction(plan: &Plan) -> Option<Direction> {
    plan.metric.value()?.direction.copied()
}

/// `start` + `months` calendar months (a day missing from the target month
/// clamps to its last day), when `due` falls after it (MIL002, MIL013).
fn past_months(start: NaiveDate, months: u32, due: NaiveDate) -> Option<NaiveDate> {
    start
        .checked_add_months(Months::new(months))
        .filter(|limit| due > *limit)
}

/// A milestone value that does not improve on the one before it.
struct Stall<'p> {
    name: Name<'p>,
    at: &'p At<f64>,
    /// The value before: the baseline, or `prev_name`'s value.
    prev: f64,
    prev_name: Option<Name<'p>>,
}

/// Walks `(index, milestone, value)` in order and returns the values that
/// do not strictly improve, in the metric's direction, on the value before
/// them — the baseline for the first (MIL003 on targets, MIL014 on the
/// actuals of finished milestones). Nothing without a direction.
fn stalls<'p>(
    plan: &'p Plan,
    steps: impl Iterator<Item = (usize, &'p Milestone, &'p At<f64>)>,
) -> Vec<Stall<'p>> {
    let Some(dir) = direction(plan) else {
        return Vec::new();
    };
    let mut prev: Option<(f64, Option<Name<'p>>)> = plan
        .metric
        .value()
        .and_then(|m| m.baseline.copied())
        .map(|b| (b, None));
    let mut out = Vec::new();
    for (i, m, at) in steps {
        if let Some((p, prev_name)) = prev
            && dir.gain(p, at.value) <= 0.0
        {
            out.push(Stall {
                name: name(m, i),
                at,
                prev: p,
                prev_name,
            });
        }
        prev = Some((at.value, Some(name(m, i))));
    }
    out
}

/// MIL001: the plan has at least one milestone.
pub(crate) fn mil001(cx: &mut Cx<'_>, plan: &Plan) {
    let pos = match &plan.milestones {
        Field::Invalid => return,
        Field::Ok(ms) if !ms.value.is_empty() => return,
        Field::Ok(ms) => ms.pos,
        f @ (Field::Missing | Field::Null(_)) => f.pos_or(Pos::START),
    };
    let lang = cx.lang;
    cx.report(
        MIL001,
        pos,
        tr!(
            lang,
            "マイルストーンがありません。`milestones:` に、指標を改善するマイルストーンを 1 つ以上書いてください",
            "the plan has no milestones: add at least one under `milestones:`, each improving the metric"
        ),
    );
}

/// MIL002: the first milestone is due within `first_milestone_months` of `start`.
pub(crate) fn mil002(cx: &mut Cx<'_>, plan: &Plan) {
    let (Some(start), Some(first)) = (plan.start.copied(), plan.milestones().first()) else {
        return;
    };
    let Some(due) = first.due.get() else { return };
    let n = cx.config.lint.first_milestone_months;
    if let Some(limit) = past_months(start, n, due.value) {
        let lang = cx.lang;
        let (d, id) = (due.value, name(first, 0));
        cx.report(
            MIL002,
            due.pos,
            tr!(
                lang,
                "最初のマイルストーン {id} の期限 {d} は start から {n} か月（{limit}）を過ぎています。3 か月以内には AI/ML より優先すべき仕事が現れがちです。最初のマイルストーンを {limit} までに達成できる大きさにしてください",
                "the first milestone {id} is due {d}, more than {n} months after start ({limit}): make it small enough to finish by {limit}, before other priorities crowd the work out"
            ),
        );
    }
}

/// MIL003: every milestone has a target that strictly improves on the
/// baseline and on the previous milestone, in the metric's direction.
pub(crate) fn mil003(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    for (i, m) in plan.milestones().iter().enumerate() {
        if m.target.is_missing() {
            let id = name(m, i);
            cx.report(
                MIL003,
                m.target.pos_or(m.pos),
                tr!(
                    lang,
                    "マイルストーン {id} に target（達成すべき指標の値）がありません。どのマイルストーンでも指標が改善するよう目標値を書いてください",
                    "milestone {id} has no target: give the metric value it must reach, so that every milestone moves the metric"
                ),
            );
        }
    }
    let targets = plan
        .milestones()
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.target.get().map(|t| (i, m, t)));
    let up = direction(plan) == Some(Direction::Increase);
    for Stall {
        name: id,
        at,
        prev,
        prev_name,
    } in stalls(plan, targets)
    {
        let what = match prev_name {
            None => tr!(lang, "baseline ({})", "the baseline ({})", num(prev)),
            Some(pm) => tr!(
                lang,
                "前のマイルストーン {pm} の target ({})",
                "milestone {pm}'s target ({})",
                num(prev)
            ),
        };
        let t = num(at.value);
        let (verb_ja, verb_en) = if up {
            ("上回る", "above")
        } else {
            ("下回る", "below")
        };
        cx.report(
            MIL003,
            at.pos,
            tr!(
                lang,
                "マイルストーン {id} の target {t} は {what} を{verb_ja}値になっていません。単体で指標を改善しないマイルストーン（「モデルを作る」など）は避け、どのマイルストーンでも KPI が良くなる目標にしてください",
                "milestone {id}'s target {t} is not {verb_en} {what}: every milestone must move the KPI by itself (avoid steps like \"build a model\" that improve nothing on their own)"
            ),
        );
    }
}

/// MIL004: every milestone lists at least one question it answers with
/// data; question ids are unique within the plan (a repeat is reported at
/// the later question's id).
pub(crate) fn mil004(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let mut seen = BTreeSet::new();
    for (i, m) in plan.milestones().iter().enumerate() {
        let id = name(m, i);
        for q in m.questions() {
            if let Some(qid) = q.id.get()
                && !seen.insert(qid.value.as_str())
            {
                let v = &qid.value;
                cx.report(
                    MIL004,
                    qid.pos,
                    tr!(
                        lang,
                        "問いの id `{v}` が計画の中で重複しています。答え (answers) がどの問いを指すか分かるよう、一意な id にしてください",
                        "question id `{v}` is used twice in the plan: give each question its own id so that answers can name it"
                    ),
                );
            }
        }
        let pos = match &m.questions {
            Field::Invalid => continue,
            Field::Ok(q) if q.value.iter().any(|q| !q.ask_text().is_empty()) => continue,
            Field::Ok(q) => q.pos,
            f @ (Field::Missing | Field::Null(_)) => f.pos_or(m.pos),
        };
        cx.report(
            MIL004,
            pos,
            tr!(
                lang,
                "マイルストーン {id} に questions がありません。ストーリーの中のどの問いにデータで答えるのかを書いてください",
                "milestone {id} lists no questions: name the question from the story that this milestone answers with data"
            ),
        );
    }
}

/// MIL005: every milestone states the data agreed as proof: items and amount.
pub(crate) fn mil005(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    for (i, m) in plan.milestones().iter().enumerate() {
        let id = name(m, i);
        let (pos, what) = match &m.data {
            Field::Invalid => continue,
            f @ (Field::Missing | Field::Null(_)) => (f.pos_or(m.pos), "data"),
            Field::Ok(d) => {
                let items_ok = match &d.value.items {
                    Field::Ok(items) => items.value.iter().any(|s| !s.value.trim().is_empty()),
                    Field::Invalid => true,
                    Field::Missing | Field::Null(_) => false,
                };
                let amount_ok = !d.value.amount.is_blank();
                let items_at = d.value.items.pos_or(d.pos);
                match (items_ok, amount_ok) {
                    (true, true) => continue,
                    (false, true) => (items_at, "data.items"),
                    (true, false) => (d.value.amount.pos_or(d.pos), "data.amount"),
                    (false, false) => (items_at, "data.items, data.amount"),
                }
            }
        };
        cx.report(
            MIL005,
            pos,
            tr!(
                lang,
                "マイルストーン {id} に {what} がありません。問いに答えたと言えるデータの項目 (items) と量 (amount) をチームで合意して書いてください",
                "milestone {id} is missing {what}: agree on the data that proves the answer, its items and the amount needed"
            ),
        );
    }
}

/// MIL006: every milestone has `cost_days`, at most `max_milestone_cost_days`.
pub(crate) fn mil006(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let max = cx.config.lint.max_milestone_cost_days;
    let max_s = num(max);
    for (i, m) in plan.milestones().iter().enumerate() {
        let id = name(m, i);
        match &m.cost_days {
            Field::Invalid => {}
            f @ (Field::Missing | Field::Null(_)) => cx.report(
                MIL006,
                f.pos_or(m.pos),
                tr!(
                    lang,
                    "マイルストーン {id} に cost_days（人日）がありません。1 アクションのコストが KPI の改善に比べて低いことを示すため見積もりを書いてください",
                    "milestone {id} has no cost_days: estimate its person-days to show the action is cheap next to the KPI gain"
                ),
            ),
            Field::Ok(c) if c.value > max => {
                let v = num(c.value);
                cx.report(
                    MIL006,
                    c.pos,
                    tr!(
                        lang,
                        "マイルストーン {id} のコスト {v} 人日は上限 {max_s} 人日を超えています。より小さく安いアクションに分けてください",
                        "milestone {id} costs {v} person-days, more than the limit of {max_s}: split it into smaller, cheaper actions"
                    ),
                );
            }
            Field::Ok(_) => {}
        }
    }
}

/// MIL007: the milestone title matches an output-only pattern.
pub(crate) fn mil007(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    for (i, m) in plan.milestones().iter().enumerate() {
        let Some(title) = m.title.get() else { continue };
        let Some(p) = super::first_match(&title.value, &cx.config.lint.output_only_patterns) else {
            continue;
        };
        let id = name(m, i);
        cx.report(
            MIL007,
            title.pos,
            tr!(
                lang,
                "マイルストーン {id} の名前は成果物（「{p}」）で、成果になっていません。それだけでは KPI が改善しません。達成したときに指標がどう動くかで名前を付けてください（例: 機械学習で推薦しお気に入り登録率 3% を達成）",
                "milestone {id} names an output (\"{p}\"), not an outcome, and cannot move the KPI by itself: name it by the change in the metric it brings"
            ),
        );
    }
}

/// MIL008: milestone ids are unique; due dates are after `start` and strictly increasing.
pub(crate) fn mil008(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let mut seen = BTreeSet::new();
    let mut prev_due = None;
    for (i, m) in plan.milestones().iter().enumerate() {
        if let Some(id) = m.id.get()
            && !seen.insert(id.value.as_str())
        {
            let v = &id.value;
            cx.report(
                MIL008,
                id.pos,
                tr!(
                    lang,
                    "マイルストーン id `{v}` が重複しています。計画の中で一意な id にしてください",
                    "milestone id `{v}` is used twice: give each milestone of the plan its own id"
                ),
            );
        }
        let Some(due) = m.due.get() else { continue };
        let id = name(m, i);
        let d = due.value;
        if let Some(start) = plan.start.copied()
            && d <= start
        {
            cx.report(
                MIL008,
                due.pos,
                tr!(
                    lang,
                    "マイルストーン {id} の期限 {d} が start ({start}) より後になっていません",
                    "milestone {id} is due {d}, not after the plan's start ({start})"
                ),
            );
        }
        if let Some((pd, pid)) = &prev_due
            && d <= *pd
        {
            cx.report(
                    MIL008,
                    due.pos,
                    tr!(
                        lang,
                        "マイルストーン {id} の期限 {d} が前のマイルストーン {pid} の期限 {pd} より後になっていません。マイルストーンは期限の順に並べてください",
                        "milestone {id} is due {d}, not after the previous milestone {pid} ({pd}): list milestones in order of their due dates"
                    ),
                );
        }
        prev_due = Some((d, id));
    }
}

/// MIL009: a done or missed milestone has `done_on`, `actual` and an update.
/// The update is written at the review: when it is all that is missing, the
/// finding is provisional (a warning) until the review date has passed.
pub(crate) fn mil009(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    for (i, m) in plan.milestones().iter().enumerate() {
        if !m.status().is_finished() {
            continue;
        }
        let has_update = crate::ledger::updates_for(plan, m).next().is_some();
        let mut missing = Vec::new();
        if m.done_on.is_missing() {
            missing.push("done_on");
        }
        if m.actual.is_missing() {
            missing.push("actual");
        }
        if !has_update {
            missing.push("updates");
        }
        if missing.is_empty() {
            continue;
        }
        let what = missing.join(", ");
        let (id, st) = (name(m, i), m.status().as_str());
        let review = m.review_date().filter(|r| cx.today <= *r);
        if let (["updates"], Some(r)) = (missing.as_slice(), review) {
            cx.report_provisional(
                MIL009,
                m.pos,
                tr!(
                    lang,
                    "マイルストーン {id} は {st} ですが、まだ updates に記録がありません。レビュー ({r}) で学んだことを update に書いてください（レビュー日を過ぎるとエラーになります）",
                    "milestone {id} is {st} and has no entry in updates yet: write what it taught the team at its review ({r}); after that date this is an error"
                ),
            );
            continue;
        }
        cx.report(
            MIL009,
            m.pos,
            tr!(
                lang,
                "マイルストーン {id} は {st} ですが {what} がありません。終わった日 (done_on)、計測した指標の値 (actual)、そして学んだことを updates に記録してください",
                "milestone {id} is {st} but has no {what}: record the day it ended (done_on), the measured value (actual) and what it taught the team (an entry in updates)"
            ),
        );
    }
}

/// MIL010: a milestone that is not done or missed is past its review date
/// (its due date when it has none). Between due and review it is awaiting
/// review, not late.
pub(crate) fn mil010(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let today = cx.today;
    for (i, m) in plan.milestones().iter().enumerate() {
        if m.status().is_finished() {
            continue;
        }
        let (Some(due), Some(review)) = (m.due.get(), m.review_date()) else {
            continue;
        };
        if review < today {
            let (id, d) = (name(m, i), due.value);
            cx.report(
                MIL010,
                due.pos,
                tr!(
                    lang,
                    "マイルストーン {id} は期限 {d} を過ぎていますが、まだ終わっていません。結果を記録して `status: done` か `status: missed` にするか、計画を見直して期限を更新してください",
                    "milestone {id} was due {d} and is not done or missed: record its result, or re-plan and move the date"
                ),
            );
        }
    }
}

/// MIL011: a finished milestone's `actual` missed its `target`.
pub(crate) fn mil011(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let Some(dir) = direction(plan) else { return };
    for (i, m) in plan.milestones().iter().enumerate() {
        if !m.status().is_finished() {
            continue;
        }
        let (Some(actual), Some(target)) = (m.actual.get(), m.target.copied()) else {
            continue;
        };
        if dir.gain(target, actual.value) < 0.0 {
            let (id, a, t) = (name(m, i), num(actual.value), num(target));
            cx.report(
                MIL011,
                actual.pos,
                tr!(
                    lang,
                    "マイルストーン {id} の実績 {a} は目標 {t} に届きませんでした。外れた検証も学びです。何がわかったかを update に記録してください",
                    "milestone {id} reached {a}, short of its target {t}: a missed check is still learning; record what it taught the team in its update"
                ),
            );
        }
    }
}

/// MIL012: every milestone has a `review` date on or after its `due`.
pub(crate) fn mil012(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    for (i, m) in plan.milestones().iter().enumerate() {
        let id = name(m, i);
        match (&m.review, m.due.copied()) {
            (Field::Missing, _) => cx.report(
                MIL012,
                m.pos,
                tr!(
                    lang,
                    "マイルストーン {id} に review（完了後の進捗確認の日）がありません",
                    "milestone {id} has no review date (the progress review after it completes)"
                ),
            ),
            (Field::Ok(r), Some(due)) if r.value < due => {
                let rv = r.value;
                cx.report(
                    MIL012,
                    r.pos,
                    tr!(
                        lang,
                        "マイルストーン {id} の review {rv} が期限 {due} より前です。完了後に振り返れるよう、期限以降の日にしてください",
                        "milestone {id}'s review {rv} is before its due date {due}: review on or after the due date"
                    ),
                );
            }
            _ => {}
        }
    }
}

/// MIL013: the last milestone is due within `plan_months` calendar months
/// of `start` (the workshop's 1–3 month plan).
pub(crate) fn mil013(cx: &mut Cx<'_>, plan: &Plan) {
    let Some(start) = plan.start.copied() else {
        return;
    };
    let Some((i, m, due)) = plan
        .milestones()
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.due.get().map(|d| (i, m, d)))
        .next_back()
    else {
        return;
    };
    let n = cx.config.lint.plan_months;
    if let Some(limit) = past_months(start, n, due.value) {
        let lang = cx.lang;
        let (d, id) = (due.value, name(m, i));
        cx.report(
            MIL013,
            due.pos,
            tr!(
                lang,
                "最後のマイルストーン {id} の期限 {d} は start から {n} か月（{limit}）を過ぎています。ワークショップの計画は 1〜3 か月です。{limit} までに終わる計画にし、その先は次の計画にしてください",
                "the last milestone {id} is due {d}, more than {n} months after start ({limit}): a workshop plan covers 1–3 months; end this plan by {limit} and make the rest the next plan"
            ),
        );
    }
}

/// MIL014: every finished milestone's `actual` strictly improves on the
/// previous finished milestone's `actual` (on the baseline for the first).
pub(crate) fn mil014(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let actuals = plan
        .milestones()
        .iter()
        .enumerate()
        .filter(|(_, m)| m.status().is_finished())
        .filter_map(|(i, m)| m.actual.get().map(|a| (i, m, a)));
    for Stall {
        name: id,
        at,
        prev,
        prev_name,
    } in stalls(plan, actuals)
    {
        let a = num(at.value);
        let what = match prev_name {
            None => tr!(lang, "baseline ({})", "the baseline ({})", num(prev)),
            Some(pm) => tr!(
                lang,
                "前に終わったマイルストーン {pm} の実績 ({})",
                "the actual of {pm}, the previous finished milestone ({})",
                num(prev)
            ),
        };
        cx.report(
            MIL014,
            at.pos,
            tr!(
                lang,
                "マイルストーン {id} の実績 {a} は {what} から改善していません。どのマイルストーンも計測した KPI を動かす必要があります。何が効かなかったかを update に記録し、次のマイルストーンを見直してください",
                "milestone {id} measured {a}, no better than {what}: every milestone must move the measured KPI; record in its update what did not work and rethink the next milestone"
            ),
        );
    }
}

/// MIL015: every question of a finished milestone is answered with data:
/// an `answers` entry names it, or it is the milestone's only question and
/// an update has `answered` (see [`crate::ledger`]).
pub(crate) fn mil015(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    for (i, m) in plan.milestones().iter().enumerate() {
        if !m.status().is_finished() {
            continue;
        }
        for e in crate::ledger::milestone(plan, m) {
            if e.is_answered() {
                continue;
            }
            let (id, n, ask) = (name(m, i), e.index, e.question.ask_text());
            cx.report(
                MIL015,
                e.question.pos,
                tr!(
                    lang,
                    "マイルストーン {id} は終わりましたが、問い {n}「{ask}」にデータで答えていません。update の answers に question: {n}（または問いの id）・verdict・finding を書いてください",
                    "milestone {id} is finished but its question {n} (\"{ask}\") is not answered with data: add an entry to its update's answers with question: {n} (or the question's id), a verdict and the finding"
                ),
            );
        }
    }
}

/// MIL016: after each finished milestone the story and the business model
/// are both updated: its updates together have a non-empty `story` and a
/// non-empty `business_model`. At the milestone's `status`.
pub(crate) fn mil016(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    for (i, m) in plan.milestones().iter().enumerate() {
        if !m.status().is_finished() {
            continue;
        }
        let Some(status) = m.status.get() else {
            continue;
        };
        let (mut story, mut model) = (false, false);
        for u in crate::ledger::updates_for(plan, m) {
            story |= !u.story.is_blank();
            model |= !u.business_model.is_blank();
        }
        let missing = match (story, model) {
            (true, true) => continue,
            (false, true) => "story",
            (true, false) => "business_model",
            (false, false) => "story, business_model",
        };
        let id = name(m, i);
        cx.report(
            MIL016,
            status.pos,
            tr!(
                lang,
                "マイルストーン {id} の後に {missing} が更新されていません。マイルストーンを終えるたびに、ストーリーとビジネスモデルの両方で何が変わったか（変わらなかったか）を update に書いてください",
                "milestone {id} is finished but its updates do not change {missing}: after each milestone, write in an update what changed (or did not) in both the story and the business model"
            ),
        );
    }
}
