//! UPD: the changelog of what each milestone taught the team.

use super::Cx;
use super::rules::{UPD001, UPD002};
use crate::model::{Field, Plan};
use crate::tr;

/// UPD001: every update names an existing milestone, has a date, and changes
/// the story or the business model.
pub(crate) fn upd001(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    for (i, u) in plan.updates().iter().enumerate() {
        let n = i + 1;
        if u.date.is_missing() {
            cx.report(
                UPD001,
                u.date.pos_or(u.pos),
                tr!(
                    lang,
                    "update #{n} に日付 (date) がありません",
                    "update #{n} has no date"
                ),
            );
        }
        match &u.milestone {
            Field::Invalid => {}
            f @ (Field::Missing | Field::Null(_)) => cx.report(
                UPD001,
                f.pos_or(u.pos),
                tr!(
                    lang,
                    "update #{n} がどのマイルストーンの学びなのか (milestone) が書かれていません",
                    "update #{n} does not name its milestone"
                ),
            ),
            Field::Ok(m) => {
                if plan.milestone(m.value.trim()).is_none() {
                    let id = &m.value;
                    let ids = plan
                        .milestones()
                        .iter()
                        .filter_map(|ms| ms.id_text())
                        .collect::<Vec<_>>()
                        .join(", ");
                    cx.report(
                        UPD001,
                        m.pos,
                        tr!(
                            lang,
                            "update #{n} のマイルストーン `{id}` はこの計画にありません（あるのは: {ids}）",
                            "update #{n} names milestone `{id}`, which is not in this plan (milestones: {ids})"
                        ),
                    );
                }
            }
        }
        let changes = !u.story.is_blank() || !u.business_model.is_blank();
        if !changes {
            cx.report(
                UPD001,
                u.pos,
                tr!(
                    lang,
                    "update #{n} はストーリーもビジネスモデルも更新していません。マイルストーンを終えたら story か business_model に何が変わったかを書いてください",
                    "update #{n} changes neither the story nor the business model: after each milestone, write what changed in story or business_model"
                ),
            );
        }
    }
}

/// UPD002: every `answers` entry names a question of its update's milestone
/// and states its `finding`. Updates whose milestone does not exist are
/// UPD001's.
pub(crate) fn upd002(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    for (i, u) in plan.updates().iter().enumerate() {
        let Some(mid) = u.milestone.text() else {
            continue;
        };
        let Some(m) = plan.milestone(mid) else {
            continue;
        };
        let n = i + 1;
        for a in u.answers() {
            match &a.question {
                Field::Invalid => {}
                f @ (Field::Missing | Field::Null(_)) => cx.report(
                    UPD002,
                    f.pos_or(a.pos),
                    tr!(
                        lang,
                        "update #{n} の answers の項目にどの問いへの答えか (question) がありません。問いの番号（1 から）か id を書いてください",
                        "an answers entry of update #{n} does not name its question: give the question's number (from 1) or its id"
                    ),
                ),
                Field::Ok(q) if m.question_index(&q.value).is_none() => {
                    let (r, count) = (&q.value, m.questions().len());
                    let ids = m
                        .questions()
                        .iter()
                        .filter_map(|q| q.id.text())
                        .collect::<Vec<_>>()
                        .join(", ");
                    let ids = if ids.is_empty() { "-".to_string() } else { ids };
                    cx.report(
                        UPD002,
                        q.pos,
                        tr!(
                            lang,
                            "update #{n} の question `{r}` はマイルストーン {mid} の問いではありません（問いは 1〜{count}、id: {ids}）",
                            "update #{n} answers question `{r}`, which is not a question of milestone {mid} (questions 1–{count}, ids: {ids})"
                        ),
                    );
                }
                Field::Ok(_) => {}
            }
            if a.finding.is_blank() {
                cx.report(
                    UPD002,
                    a.finding_key.unwrap_or(a.pos),
                    tr!(
                        lang,
                        "update #{n} の答えに finding がありません。データが何を示したかを書いてください（反証された・はっきりしなかったことも学びです）",
                        "an answer of update #{n} has no finding: state what the data showed (a refuted or inconclusive answer is learning too)"
                    ),
                );
            }
        }
    }
}
