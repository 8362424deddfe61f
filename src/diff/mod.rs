//! The semantic plan diff: what changed between two sets of parsed plans,
//! in the workshop's terms (milestones re-dated, targets changed, tasks
//! added or done, new updates, lint findings introduced or fixed), not as
//! a text diff. Used by the "what changed" page of each site version and by
//! `planbook diff`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::model::PlanFile;
use crate::model::{Milestone, Plan, Task, TaskStatus};
use crate::num::fmt as num;

mod describe;
mod report;

pub(crate) use report::Revision;

/// Everything that differs between an old and a new set of plans.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Diff {
    pub added: Vec<PlanRef>,
    pub removed: Vec<PlanRef>,
    /// Plans in both sets with at least one change, by id.
    pub changed: Vec<PlanDiff>,
    /// Lint findings in the new set that the old one did not have.
    pub introduced: Vec<FindingRef>,
    /// Lint findings of the old set that are gone.
    pub fixed: Vec<FindingRef>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlanRef {
    pub id: String,
    pub title: String,
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlanDiff {
    pub id: String,
    pub title: String,
    pub file: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FindingRef {
    pub rule: &'static str,
    pub severity: Severity,
    pub plan: String,
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// One change to one plan. Optional values are `null` when absent.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Change {
    Title {
        from: String,
        to: String,
    },
    Status {
        from: String,
        to: String,
    },
    /// `field`: name, unit, direction or baseline.
    Metric {
        field: &'static str,
        from: Option<String>,
        to: Option<String>,
    },
    Team {
        role: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// `field`: impact, confidence, ease or evidence.
    IceChanged {
        field: &'static str,
        from: Option<String>,
        to: Option<String>,
    },
    MilestoneAdded {
        milestone: String,
        title: Option<String>,
        due: Option<NaiveDate>,
        target: Option<f64>,
    },
    MilestoneRemoved {
        milestone: String,
        title: Option<String>,
    },
    MilestoneRedated {
        milestone: String,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    TargetChanged {
        milestone: String,
        from: Option<f64>,
        to: Option<f64>,
    },
    MilestoneStatus {
        milestone: String,
        from: String,
        to: String,
    },
    TaskAdded {
        milestone: String,
        role: Option<String>,
        task: String,
        due: Option<NaiveDate>,
    },
    TaskRemoved {
        milestone: String,
        role: Option<String>,
        task: String,
    },
    TaskDone {
        milestone: String,
        role: Option<String>,
        task: String,
    },
    /// Any other status change of a task (reopened, started).
    TaskStatus {
        milestone: String,
        role: Option<String>,
        task: String,
        from: String,
        to: String,
    },
    TaskRedated {
        milestone: String,
        role: Option<String>,
        task: String,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    UpdateAdded {
        date: Option<NaiveDate>,
        milestone: Option<String>,
        answered: Option<String>,
    },
    MeasurementAdded {
        date: Option<NaiveDate>,
        value: Option<f64>,
    },
    /// A question of the ledger got an answer, or a different verdict.
    QuestionAnswered {
        milestone: String,
        /// 1-based index of the question in its milestone.
        index: usize,
        question: String,
        /// supported, refuted, inconclusive, or answered (no verdict).
        verdict: &'static str,
        finding: Option<String>,
    },
}

/// A plan with its findings, as the diff sees it.
pub(crate) struct Side<'a> {
    pub plans: Vec<&'a PlanFile>,
    pub diagnostics: &'a [Diagnostic],
}

impl<'a> Side<'a> {
    pub(crate) fn new<P: AsRef<PlanFile>>(
        plans: &'a [P],
        diagnostics: &'a [Diagnostic],
    ) -> Side<'a> {
        Side {
            plans: plans.iter().map(AsRef::as_ref).collect(),
            diagnostics,
        }
    }
}

/// Compares two sets of plans, matched by id (the first plan of an id wins
/// when ids are duplicated; PLN002 reports that).
pub(crate) fn diff(old: &Side<'_>, new: &Side<'_>) -> Diff {
    let (old_ids, new_ids) = (by_id(old), by_id(new));
    let mut out = Diff::default();
    for (id, &i) in &new_ids {
        let Some(p) = new.plans.get(i) else { continue };
        match old_ids.get(id).and_then(|&j| old.plans.get(j)) {
            None => out.added.push(plan_ref(&p.plan)),
            // The same parsed plan (shared between versions): nothing changed.
            Some(q) if std::ptr::eq(*q, *p) => {}
            Some(q) => {
                let changes = plan_changes(&q.plan, &p.plan);
                if !changes.is_empty() {
                    out.changed.push(PlanDiff {
                        id: id.clone(),
                        title: p.plan.title_text().to_string(),
                        file: p.plan.file.clone(),
                        changes,
                    });
                }
            }
        }
    }
    for (id, &j) in &old_ids {
        if !new_ids.contains_key(id)
            && let Some(q) = old.plans.get(j)
        {
            out.removed.push(plan_ref(&q.plan));
        }
    }
    let key = |d: &Diagnostic| (d.plan.clone(), d.rule, d.message.clone());
    let old_keys: BTreeSet<_> = old.diagnostics.iter().map(key).collect();
    let new_keys: BTreeSet<_> = new.diagnostics.iter().map(key).collect();
    out.introduced = new
        .diagnostics
        .iter()
        .filter(|d| !old_keys.contains(&key(d)))
        .map(finding_ref)
        .collect();
    out.fixed = old
        .diagnostics
        .iter()
        .filter(|d| !new_keys.contains(&key(d)))
        .map(finding_ref)
        .collect();
    out
}

fn by_id(side: &Side<'_>) -> BTreeMap<String, usize> {
    let mut ids = BTreeMap::new();
    for (i, p) in side.plans.iter().enumerate() {
        ids.entry(p.plan.id.clone()).or_insert(i);
    }
    ids
}

fn plan_ref(p: &Plan) -> PlanRef {
    PlanRef {
        id: p.id.clone(),
        title: p.title_text().to_string(),
        file: p.file.clone(),
    }
}

fn finding_ref(d: &Diagnostic) -> FindingRef {
    FindingRef {
        rule: d.rule,
        severity: d.severity,
        plan: d.plan.clone(),
        file: d.file.clone(),
        line: d.line,
        message: d.message.clone(),
    }
}

impl Diff {
    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.introduced.is_empty()
            && self.fixed.is_empty()
    }
}

/// Reads one metric field as text, for comparing.
type MetricField = fn(&crate::model::Metric) -> Option<String>;

/// Reads one ICE field as text, for comparing.
type IceField = fn(&crate::model::Ice) -> Option<String>;

fn text(f: &crate::model::Field<String>) -> Option<String> {
    f.text().map(str::to_string)
}

/// The changes from `old` to `new`, in a stable order: plan fields,
/// metric, team, milestones in the new plan's order (removed ones after),
/// updates, measurements.
pub(crate) fn plan_changes(old: &Plan, new: &Plan) -> Vec<Change> {
    let mut out = Vec::new();
    if old.title_text() != new.title_text() {
        out.push(Change::Title {
            from: old.title_text().into(),
            to: new.title_text().into(),
        });
    }
    if old.status() != new.status() {
        out.push(Change::Status {
            from: old.status().as_str().into(),
            to: new.status().as_str().into(),
        });
    }
    let (om, nm) = (old.metric.value(), new.metric.value());
    let metric_fields: [(&'static str, MetricField); 4] = [
        ("name", |m| text(&m.name)),
        ("unit", |m| text(&m.unit)),
        ("direction", |m| {
            m.direction.copied().map(|d| d.as_str().into())
        }),
        ("baseline", |m| m.baseline.copied().map(num)),
    ];
    for (field, get) in metric_fields {
        let (a, b) = (om.and_then(get), nm.and_then(get));
        if a != b {
            out.push(Change::Metric {
                field,
                from: a,
                to: b,
            });
        }
    }
    let (oi, ni) = (old.ice.value(), new.ice.value());
    let ice_fields: [(&'static str, IceField); 4] = [
        ("impact", |i| i.impact.copied().map(num)),
        ("confidence", |i| i.confidence.copied().map(num)),
        ("ease", |i| i.ease.copied().map(num)),
        ("evidence", |i| text(&i.evidence)),
    ];
    for (field, get) in ice_fields {
        let (a, b) = (oi.and_then(get), ni.and_then(get));
        if a != b {
            out.push(Change::IceChanged {
                field,
                from: a,
                to: b,
            });
        }
    }
    let team = |p: &Plan| -> BTreeMap<String, String> {
        p.team
            .value()
            .map(|t| {
                t.members
                    .iter()
                    .map(|(k, v)| (k.clone(), v.value.trim().to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (ot, nt) = (team(old), team(new));
    let roles: BTreeSet<&String> = ot.keys().chain(nt.keys()).collect();
    for role in roles {
        let (a, b) = (ot.get(role), nt.get(role));
        if a != b {
            out.push(Change::Team {
                role: role.clone(),
                from: a.cloned(),
                to: b.cloned(),
            });
        }
    }
    milestone_changes(old.milestones(), new.milestones(), &mut out);
    update_changes(old, new, &mut out);
    question_changes(old, new, &mut out);
    let seen: BTreeSet<(Option<NaiveDate>, Option<u64>)> = old
        .measurements()
        .iter()
        .map(|m| (m.date.copied(), m.value.copied().map(f64::to_bits)))
        .collect();
    for m in new.measurements() {
        if !seen.contains(&(m.date.copied(), m.value.copied().map(f64::to_bits))) {
            out.push(Change::MeasurementAdded {
                date: m.date.copied(),
                value: m.value.copied(),
            });
        }
    }
    out
}

/// Milestones are matched by id; one without an id by its position.
fn milestone_key(m: &Milestone, i: usize) -> String {
    m.id_text()
        .map_or_else(|| format!("#{}", i + 1), str::to_string)
}

fn milestone_changes(old: &[Milestone], new: &[Milestone], out: &mut Vec<Change>) {
    let old_by: BTreeMap<String, &Milestone> = old
        .iter()
        .enumerate()
        .map(|(i, m)| (milestone_key(m, i), m))
        .collect();
    let new_keys: BTreeSet<String> = new
        .iter()
        .enumerate()
        .map(|(i, m)| milestone_key(m, i))
        .collect();
    for (i, m) in new.iter().enumerate() {
        let key = milestone_key(m, i);
        let Some(o) = old_by.get(&key) else {
            out.push(Change::MilestoneAdded {
                milestone: key.clone(),
                title: text(&m.title),
                due: m.due.copied(),
                target: m.target.copied(),
            });
            for t in m.tasks() {
                out.push(task_added(&key, t));
            }
            continue;
        };
        if o.due.copied() != m.due.copied() {
            out.push(Change::MilestoneRedated {
                milestone: key.clone(),
                from: o.due.copied(),
                to: m.due.copied(),
            });
        }
        if o.target.copied() != m.target.copied() {
            out.push(Change::TargetChanged {
                milestone: key.clone(),
                from: o.target.copied(),
                to: m.target.copied(),
            });
        }
        if o.status() != m.status() {
            out.push(Change::MilestoneStatus {
                milestone: key.clone(),
                from: o.status().as_str().into(),
                to: m.status().as_str().into(),
            });
        }
        task_changes(&key, o.tasks(), m.tasks(), out);
    }
    for (i, o) in old.iter().enumerate() {
        let key = milestone_key(o, i);
        if !new_keys.contains(&key) {
            out.push(Change::MilestoneRemoved {
                milestone: key,
                title: text(&o.title),
            });
        }
    }
}

/// A task that became done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct DoneTask {
    /// The milestone's id (`#N` without one).
    pub milestone: String,
    pub role: Option<String>,
    pub task: String,
}

/// The tasks of `new` that are done and were not done in `old`, matched
/// as the diff matches them (milestone by id, task by role and `do`); a
/// task that is new and already done counts, and so does every done task
/// of a plan that did not exist (`old` is `None`). In file order.
pub(crate) fn tasks_done(old: Option<&Plan>, new: &Plan) -> Vec<DoneTask> {
    let old_tasks: BTreeMap<(String, (Option<String>, String)), TaskStatus> = old
        .map(|o| {
            o.milestones()
                .iter()
                .enumerate()
                .flat_map(|(i, m)| {
                    let key = milestone_key(m, i);
                    m.tasks()
                        .iter()
                        .map(move |t| ((key.clone(), task_key(t)), t.status()))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    for (i, m) in new.milestones().iter().enumerate() {
        let key = milestone_key(m, i);
        for t in m.tasks() {
            if t.status() != TaskStatus::Done {
                continue;
            }
            let (role, task) = task_key(t);
            let before = old_tasks.get(&(key.clone(), (role.clone(), task.clone())));
            if before != Some(&TaskStatus::Done) {
                out.push(DoneTask {
                    milestone: key.clone(),
                    role,
                    task,
                });
            }
        }
    }
    out
}

/// Tasks are matched by role and what they say to do.
fn task_key(t: &Task) -> (Option<String>, String) {
    (text(&t.role), text(&t.do_).unwrap_or_default())
}

fn task_added(milestone: &str, t: &Task) -> Change {
    let (role, task) = task_key(t);
    Change::TaskAdded {
        milestone: milestone.to_string(),
        role,
        task,
        due: t.due.copied(),
    }
}

fn task_changes(milestone: &str, old: &[Task], new: &[Task], out: &mut Vec<Change>) {
    let old_by: BTreeMap<(Option<String>, String), &Task> =
        old.iter().map(|t| (task_key(t), t)).collect();
    let new_keys: BTreeSet<(Option<String>, String)> = new.iter().map(task_key).collect();
    for t in new {
        let key = task_key(t);
        let Some(o) = old_by.get(&key) else {
            out.push(task_added(milestone, t));
            continue;
        };
        let (role, task) = key;
        if o.status() != t.status() {
            out.push(if t.status() == TaskStatus::Done {
                Change::TaskDone {
                    milestone: milestone.into(),
                    role: role.clone(),
                    task: task.clone(),
                }
            } else {
                Change::TaskStatus {
                    milestone: milestone.into(),
                    role: role.clone(),
                    task: task.clone(),
                    from: o.status().as_str().into(),
                    to: t.status().as_str().into(),
                }
            });
        }
        if o.due.copied() != t.due.copied() {
            out.push(Change::TaskRedated {
                milestone: milestone.into(),
                role,
                task,
                from: o.due.copied(),
                to: t.due.copied(),
            });
        }
    }
    for o in old {
        let key = task_key(o);
        if !new_keys.contains(&key) {
            let (role, task) = key;
            out.push(Change::TaskRemoved {
                milestone: milestone.into(),
                role,
                task,
            });
        }
    }
}

/// Questions are matched by milestone id and their id (or text); one whose
/// ledger state is new or changed has been answered.
fn question_changes(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
    use crate::ledger::{self, State};
    let key = |e: &ledger::Entry<'_>| {
        let q = e.question.id.text().unwrap_or(e.question.ask_text());
        (
            e.milestone.id_text().unwrap_or("").to_string(),
            q.to_string(),
        )
    };
    let before: BTreeMap<_, State> = ledger::plan(old)
        .iter()
        .map(|e| (key(e), e.state))
        .collect();
    for e in ledger::plan(new) {
        if !e.is_answered() || before.get(&key(&e)) == Some(&e.state) {
            continue;
        }
        out.push(Change::QuestionAnswered {
            milestone: e.milestone.id_text().unwrap_or("").to_string(),
            index: e.index,
            question: e.question.ask_text().to_string(),
            verdict: e.state.as_str(),
            finding: e.finding.map(str::to_string),
        });
    }
}

/// Updates are matched by date and milestone; a new pair is a new update.
fn update_changes(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
    let key = |u: &crate::model::Update| (u.date.copied(), text(&u.milestone));
    let seen: BTreeSet<_> = old.updates().iter().map(key).collect();
    for u in new.updates() {
        if !seen.contains(&key(u)) {
            out.push(Change::UpdateAdded {
                date: u.date.copied(),
                milestone: text(&u.milestone),
                answered: text(&u.answered),
            });
        }
    }
}
