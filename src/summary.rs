//! What the shared pages read of a plan: a [`PlanSummary`]. The home
//! page, the check page, the changelog and its feed and the lint page are
//! rendered from summaries, never from whole plans, so that `build` can
//! drop each plan once its own pages are written and keep only its summary
//! (memory stays flat), and so that `serve` and `--versions` render the
//! same bytes from the same input. A leaf on the model.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::{At, Field, Milestone, Plan, PlanFile, Task, Team};

/// The days ahead the check page lists tasks for (and a summary keeps).
pub(crate) const TASK_DAYS: i64 = 7;

/// A plan as the shared pages read it: its id, file, title, use case,
/// status, start, metric, ICE factors, measurements, updates and meetings;
/// each milestone's id, title, dates, target, actual, status, cost and
/// questions, and only the tasks the check page and the states read (not
/// done, due within [`TASK_DAYS`] or overdue), each with its owner
/// resolved from the team. What it leaves out: the frontmatter tree, the
/// `plans.json` entry, the body, the team, `lint.allow`, the parse
/// findings, each milestone's data and the other tasks.
pub(crate) struct PlanSummary(PlanFile);

impl PlanSummary {
    /// The summary of a plan as of `today` (which tasks are near).
    pub(crate) fn of(f: &PlanFile, today: NaiveDate) -> PlanSummary {
        // Every field named, so that a new one is a decision here.
        let Plan {
            file,
            id,
            id_pos,
            readable,
            frontmatter: _,
            json: _,
            title,
            status,
            start,
            use_case,
            team,
            ice,
            metric,
            milestones,
            measurements,
            updates,
            meetings,
            allow: _,
            body: _,
            body_line,
        } = &f.plan;
        let horizon = today + chrono::Duration::days(TASK_DAYS);
        let milestones = match milestones {
            Field::Ok(ms) => Field::Ok(At {
                value: ms
                    .value
                    .iter()
                    .map(|m| milestone(m, team, horizon))
                    .collect(),
                pos: ms.pos,
            }),
            Field::Missing => Field::Missing,
            Field::Null(pos) => Field::Null(*pos),
            Field::Invalid => Field::Invalid,
        };
        let plan = Plan {
            file: file.clone(),
            id: id.clone(),
            id_pos: *id_pos,
            readable: *readable,
            frontmatter: None,
            json: None,
            title: title.clone(),
            status: status.clone(),
            start: start.clone(),
            use_case: use_case.clone(),
            team: Field::Missing,
            ice: ice.clone(),
            metric: metric.clone(),
            milestones,
            measurements: measurements.clone(),
            updates: updates.clone(),
            meetings: meetings.clone(),
            allow: BTreeMap::new(),
            body: String::new(),
            body_line: *body_line,
        };
        PlanSummary(PlanFile {
            plan,
            findings: Vec::new(),
            key: f.key,
        })
    }
}

/// A milestone without its data, with the tasks due by `horizon` that are
/// not done.
fn milestone(m: &Milestone, team: &Field<Team>, horizon: NaiveDate) -> Milestone {
    let Milestone {
        pos,
        id,
        title,
        due,
        target,
        questions,
        data: _,
        cost_days,
        review,
        status,
        done_on,
        actual,
        tasks,
    } = m;
    let tasks = match tasks {
        Field::Ok(ts) => Field::Ok(At {
            value: ts
                .value
                .iter()
                .filter(|t| t.is_open() && t.due.copied().is_some_and(|d| d <= horizon))
                .map(|t| task(t, team))
                .collect(),
            pos: ts.pos,
        }),
        Field::Missing => Field::Missing,
        Field::Null(pos) => Field::Null(*pos),
        Field::Invalid => Field::Invalid,
    };
    Milestone {
        pos: *pos,
        id: id.clone(),
        title: title.clone(),
        due: due.clone(),
        target: target.clone(),
        questions: questions.clone(),
        data: Field::Missing,
        cost_days: cost_days.clone(),
        review: review.clone(),
        status: status.clone(),
        done_on: done_on.clone(),
        actual: actual.clone(),
        tasks,
    }
}

/// A task with its owner resolved as `state::owner` does, from the team
/// the summary does not keep.
fn task(t: &Task, team: &Field<Team>) -> Task {
    let mut t = t.clone();
    if t.owner.text().is_none()
        && let Some(person) = t.role.text().and_then(|r| crate::state::member(team, r))
    {
        t.owner = Field::Ok(person.clone());
    }
    t
}

impl AsRef<PlanFile> for PlanSummary {
    fn as_ref(&self) -> &PlanFile {
        &self.0
    }
}

impl AsRef<PlanSummary> for PlanSummary {
    fn as_ref(&self) -> &PlanSummary {
        self
    }
}
