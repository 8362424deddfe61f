//! TSK: tasks per role (各担当のタスク).

use super::Cx;
use super::mil::Name;
use super::rules::*;
use crate::model::{Field, Milestone, Plan, Task};
use crate::tr;

/// A task's name in messages (`m2「推薦候補を選ぶ」`), formatted only when
/// a finding is reported.
struct Label<'a> {
    milestone: Name<'a>,
    task: &'a Task,
    index: usize,
}

impl std::fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.task.do_.text() {
            Some(d) => write!(f, "{}「{d}」", self.milestone),
            None => write!(f, "{} #{}", self.milestone, self.index + 1),
        }
    }
}

/// Every task with its milestone and a name for messages.
fn tasks(plan: &Plan) -> impl Iterator<Item = (&Milestone, &Task, Label<'_>)> {
    plan.milestones().iter().enumerate().flat_map(|(i, m)| {
        m.tasks().iter().enumerate().map(move |(j, t)| {
            let label = Label {
                milestone: Name(m, i),
                task: t,
                index: j,
            };
            (m, t, label)
        })
    })
}

/// TSK001: every task states its done-state.
pub(crate) fn tsk001(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    for (_, t, label) in tasks(plan) {
        if !t.done_when.is_blank() {
            continue;
        }
        let pos = t.done_when.pos_or(t.pos);
        cx.report(
            TSK001,
            pos,
            tr!(
                lang,
                "タスク {label} に完了状態 (done_when) がありません。何ができたら完了なのかを書いてください",
                "task {label} has no done-state: say in done_when what is true when it is finished"
            ),
        );
    }
}

/// TSK002: every task has a `due` on or before its milestone's `due`.
pub(crate) fn tsk002(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    for (m, t, label) in tasks(plan) {
        match &t.due {
            Field::Invalid => {}
            f @ (Field::Missing | Field::Null(_)) => cx.report(
                TSK002,
                f.pos_or(t.pos),
                tr!(
                    lang,
                    "タスク {label} に期限 (due) がありません",
                    "task {label} has no due date"
                ),
            ),
            Field::Ok(d) => {
                if let Some(md) = m.due.copied()
                    && d.value > md
                {
                    let dv = d.value;
                    cx.report(
                        TSK002,
                        d.pos,
                        tr!(
                            lang,
                            "タスク {label} の期限 {dv} がマイルストーンの期限 {md} より後です",
                            "task {label} is due {dv}, after its milestone's due date {md}"
                        ),
                    );
                }
            }
        }
    }
}

/// TSK003: every task's role is a key of `[roles]`.
pub(crate) fn tsk003(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    for (_, t, label) in tasks(plan) {
        let Some(role) = t.role.get() else { continue };
        if cx.config.roles.contains_key(&role.value) {
            continue;
        }
        let r = &role.value;
        let roles = cx
            .config
            .roles
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        let hint = crate::suggest::did_you_mean(r, cx.config.roles.keys().map(String::as_str))
            .map(|s| tr!(lang, "（`{s}` のことですか？）", " (did you mean `{s}`?)"))
            .unwrap_or_default();
        cx.report(
            TSK003,
            role.pos,
            tr!(
                lang,
                "タスク {label} の role `{r}` は [roles] にありません。{roles} のどれかにしてください{hint}",
                "task {label} has role `{r}`, which is not in [roles]: use one of {roles}{hint}"
            ),
        );
    }
}

/// TSK004: every milestone has at least one task for every role.
pub(crate) fn tsk004(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    for (i, m) in plan.milestones().iter().enumerate() {
        if matches!(m.tasks, Field::Invalid) {
            continue;
        }
        let missing: Vec<String> = cx
            .config
            .roles
            .iter()
            .filter(|(key, _)| {
                !m.tasks()
                    .iter()
                    .any(|t| t.role.text() == Some(key.as_str()))
            })
            .map(|(key, name)| format!("{key} ({name})"))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let id = Name(m, i);
        let roles = missing.join(", ");
        let pos = m.tasks.get().map_or(m.pos, |t| t.pos);
        cx.report(
            TSK004,
            pos,
            tr!(
                lang,
                "マイルストーン {id} に {roles} のタスクがありません。3 者それぞれが何をするかを決めてください",
                "milestone {id} has no task for {roles}: decide what each role does"
            ),
        );
    }
}

/// TSK005: a task that is not done is past its due date.
pub(crate) fn tsk005(cx: &mut Cx<'_>, plan: &Plan) {
    let lang = cx.lang;
    let today = cx.today;
    for (_, t, label) in tasks(plan) {
        let Some(d) = t.due.get() else { continue };
        if t.overdue(today) {
            let dv = d.value;
            cx.report(
                TSK005,
                d.pos,
                tr!(
                    lang,
                    "タスク {label} は期限 {dv} を過ぎていますが完了していません。終わっていれば status: done に、そうでなければ期限を見直してください",
                    "task {label} was due {dv} and is not done: mark it `status: done`, or move its date"
                ),
            );
        }
    }
}
