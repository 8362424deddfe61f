//! Each change in plain words, in the site language ("m2 moved from
//! 2027-02-12 to 2027-03-05").

use chrono::NaiveDate;

use super::Change;
use crate::i18n::Lang;
use crate::labels::label_for;
use crate::num::fmt as num;
use crate::tr;

fn date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "—".into(), |d| d.to_string())
}

fn number(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), num)
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "—".into())
}

impl Change {
    /// One line in plain words, e.g. "m2 moved from 2027-02-12 to 2027-03-05".
    pub(crate) fn describe(&self, lang: Lang) -> String {
        match self {
            Change::Title { from, to } => {
                tr!(lang, "タイトル: {from} → {to}", "title: {from} → {to}")
            }
            Change::Status { from, to } => {
                let (from, to) = (
                    label_for(lang, "plan_status_", from),
                    label_for(lang, "plan_status_", to),
                );
                tr!(lang, "状態: {from} → {to}", "status: {from} → {to}")
            }
            Change::Metric { field, from, to } => {
                let (from, to) = (opt(from), opt(to));
                tr!(
                    lang,
                    "指標の {field}: {from} → {to}",
                    "metric {field}: {from} → {to}"
                )
            }
            Change::IceChanged { field, from, to } => {
                let word = |s: &Option<String>| match (*field, s) {
                    ("evidence", Some(kind)) => crate::labels::evidence(lang, kind),
                    _ => opt(s),
                };
                let (from, to) = (word(from), word(to));
                let name = match (lang, *field) {
                    (Lang::Ja, "impact") => "インパクト (impact)",
                    (Lang::Ja, "confidence") => "確信度 (confidence)",
                    (Lang::Ja, "ease") => "実現容易性 (ease)",
                    (Lang::Ja, _) => "確信度の根拠 (evidence)",
                    (Lang::En, f) => f,
                };
                tr!(
                    lang,
                    "ICE の{name}: {from} → {to}",
                    "ICE {name}: {from} → {to}"
                )
            }
            Change::Team { role, from, to } => match (from, to) {
                (None, Some(to)) => tr!(lang, "{role} に {to} が参加", "{to} joined as {role}"),
                (Some(from), None) => tr!(lang, "{role} の {from} が外れた", "{from} left {role}"),
                _ => {
                    let (from, to) = (opt(from), opt(to));
                    tr!(lang, "{role}: {from} → {to}", "{role}: {from} → {to}")
                }
            },
            Change::MilestoneAdded {
                milestone,
                title,
                due,
                target,
            } => {
                let (title, due, target) = (opt(title), date(*due), number(*target));
                tr!(
                    lang,
                    "マイルストーン {milestone}「{title}」を追加（期日 {due}、目標 {target}）",
                    "milestone {milestone} \"{title}\" added (due {due}, target {target})"
                )
            }
            Change::MilestoneRemoved { milestone, title } => {
                let title = opt(title);
                tr!(
                    lang,
                    "マイルストーン {milestone}「{title}」を削除",
                    "milestone {milestone} \"{title}\" removed"
                )
            }
            Change::MilestoneRedated {
                milestone,
                from,
                to,
            } => {
                let (from, to) = (date(*from), date(*to));
                tr!(
                    lang,
                    "{milestone} の期日を {from} から {to} に変更",
                    "{milestone} moved from {from} to {to}"
                )
            }
            Change::TargetChanged {
                milestone,
                from,
                to,
            } => {
                let (from, to) = (number(*from), number(*to));
                tr!(
                    lang,
                    "{milestone} の目標: {from} → {to}",
                    "{milestone} target {from} → {to}"
                )
            }
            Change::MilestoneStatus {
                milestone,
                from,
                to,
            } => {
                let (from, to) = (
                    label_for(lang, "ms_status_", from),
                    label_for(lang, "ms_status_", to),
                );
                tr!(
                    lang,
                    "{milestone} の状態: {from} → {to}",
                    "{milestone} status {from} → {to}"
                )
            }
            Change::TaskAdded {
                milestone,
                role,
                task,
                due,
            } => {
                let (role, due) = (opt(role), date(*due));
                tr!(
                    lang,
                    "{milestone} にタスク追加（{role}）: {task}（期日 {due}）",
                    "task added to {milestone} ({role}): {task} (due {due})"
                )
            }
            Change::TaskRemoved {
                milestone,
                role,
                task,
            } => {
                let role = opt(role);
                tr!(
                    lang,
                    "{milestone} のタスク削除（{role}）: {task}",
                    "task removed from {milestone} ({role}): {task}"
                )
            }
            Change::TaskDone {
                milestone,
                role,
                task,
            } => {
                let role = opt(role);
                tr!(
                    lang,
                    "{milestone} のタスク完了（{role}）: {task}",
                    "task done in {milestone} ({role}): {task}"
                )
            }
            Change::TaskStatus {
                milestone,
                role,
                task,
                from,
                to,
            } => {
                let role = opt(role);
                let (from, to) = (
                    label_for(lang, "task_status_", from),
                    label_for(lang, "task_status_", to),
                );
                tr!(
                    lang,
                    "{milestone} のタスク（{role}）{task}: {from} → {to}",
                    "task in {milestone} ({role}) {task}: {from} → {to}"
                )
            }
            Change::TaskRedated {
                milestone,
                role,
                task,
                from,
                to,
            } => {
                let (role, from, to) = (opt(role), date(*from), date(*to));
                tr!(
                    lang,
                    "{milestone} のタスク（{role}）{task} の期日: {from} → {to}",
                    "task in {milestone} ({role}) {task} moved from {from} to {to}"
                )
            }
            Change::UpdateAdded {
                date: d,
                milestone,
                answered,
            } => {
                let (d, milestone) = (date(*d), opt(milestone));
                match answered {
                    Some(a) => tr!(
                        lang,
                        "{milestone} の振り返りを追加（{d}）: {a}",
                        "new update for {milestone} ({d}): {a}"
                    ),
                    None => tr!(
                        lang,
                        "{milestone} の振り返りを追加（{d}）",
                        "new update for {milestone} ({d})"
                    ),
                }
            }
            Change::QuestionAnswered {
                milestone,
                index,
                question,
                verdict,
                finding,
            } => {
                let v = label_for(lang, "q_", verdict);
                let finding = finding
                    .as_deref()
                    .map(|f| tr!(lang, "（{f}）", " ({f})"))
                    .unwrap_or_default();
                tr!(
                    lang,
                    "{milestone} の問い {index}「{question}」: {v}{finding}",
                    "{milestone} question {index} \"{question}\": {v}{finding}"
                )
            }
            Change::MeasurementAdded { date: d, value } => {
                let (d, value) = (date(*d), number(*value));
                tr!(
                    lang,
                    "計測値を追加: {d} に {value}",
                    "measurement added: {value} on {d}"
                )
            }
        }
    }
}
