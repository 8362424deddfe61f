//! UPD: the changelog of what each milestone taught the team.

use super::Cx;
use super::rules::UPD001;
use crate::model::{Field, Plan};
use crate::tr;

/// UPD001: every update names an existing milestone, has a date, and changes
/// the story or the business model.
pub fn upd001(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    for (i, u) in plan.updates().iter().enumerate() {
        let n = i + 1;
        if u.date.is_missing() {
            cx.report(
                UPD001,
                u.pos,
                tr!(
                    lang,
                    "update #{n} に日付 (date) がありません",
                    "update #{n} has no date"
                ),
            );
        }
        match &u.milestone {
            Field::Invalid => {}
            Field::Missing => cx.report(
                UPD001,
                u.pos,
                tr!(
                    lang,
                    "update #{n} がどのマイルストーンの学びなのか (milestone) が書かれていません",
                    "update #{n} does not name its milestone"
                ),
            ),
            Field::Ok(m) => {
                let exists = plan
                    .milestones()
                    .iter()
                    .any(|ms| ms.id_text() == Some(m.value.trim()));
                if !exists {
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
        let changes = u.story.text().is_some()
            || u.business_model.text().is_some()
            || matches!(u.story, Field::Invalid)
            || matches!(u.business_model, Field::Invalid);
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
