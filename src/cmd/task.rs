//! `planbook task PLAN STATUS [TEXT]`: sets the status of the one task
//! whose `do` contains TEXT (narrowed by `--milestone` and `--role`), with
//! `done_on` for done and `note` when given, in place ([`crate::edit`]).

use anyhow::{Result, bail};
use chrono::NaiveDate;

use super::Globals;
use super::record;
use crate::edit::{self, Set, Step};
use crate::model::TaskStatus;
use crate::pipeline::Run;
use crate::tr;
use crate::yaml::{Node, Value};

/// What `planbook task` was asked to do.
pub(crate) struct Options<'a> {
    pub plan: &'a str,
    pub status: TaskStatus,
    pub text: Option<&'a str>,
    pub milestone: Option<&'a str>,
    pub role: Option<&'a str>,
    pub on: Option<NaiveDate>,
    pub note: Option<&'a str>,
    pub dry_run: bool,
}

/// A task of the plan's tree: where it is and what it says.
struct Found {
    milestone: usize,
    task: usize,
    milestone_id: String,
    role: String,
    do_: String,
}

fn scalar<'n>(map: &'n Node, key: &str) -> Option<&'n str> {
    match &map.value {
        Value::Map(entries) => entries
            .iter()
            .find(|e| e.key == key)
            .and_then(|e| e.value.value.as_scalar()),
        _ => None,
    }
}

fn list<'n>(map: &'n Node, key: &str) -> &'n [Node] {
    match &map.value {
        Value::Map(entries) => match entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| &e.value.value)
        {
            Some(Value::Seq(items)) => items,
            _ => &[],
        },
        _ => &[],
    }
}

fn tasks(root: &Node) -> Vec<Found> {
    let mut out = Vec::new();
    for (i, m) in list(root, "milestones").iter().enumerate() {
        let id = scalar(m, "id").unwrap_or("?");
        for (j, t) in list(m, "tasks").iter().enumerate() {
            out.push(Found {
                milestone: i,
                task: j,
                milestone_id: id.to_string(),
                role: scalar(t, "role").unwrap_or("").to_string(),
                do_: scalar(t, "do").unwrap_or("").to_string(),
            });
        }
    }
    out
}

pub(crate) fn run(g: &Globals, o: &Options<'_>) -> Result<u8> {
    let run = Run::open(&g.root, g.today).map_err(anyhow::Error::new)?;
    let lang = run.config().lang();
    let t = record::read(&run, o.plan)?;
    let (name, root) = (&t.name, t.tree(lang)?);
    let want = o.text.map(str::to_lowercase);
    let all = tasks(&root);
    let found: Vec<&Found> = all
        .iter()
        .filter(|t| o.milestone.is_none_or(|m| m == t.milestone_id))
        .filter(|t| o.role.is_none_or(|r| r == t.role))
        .filter(|t| {
            want.as_deref()
                .is_none_or(|w| t.do_.to_lowercase().contains(w))
        })
        .collect();
    let task = match found.as_slice() {
        [one] => *one,
        [] | [_, _, ..] => {
            let shown = if found.is_empty() {
                all.iter().collect()
            } else {
                found.clone()
            };
            let list: Vec<String> = shown
                .iter()
                .map(|t| format!("  {} {} — {}", t.milestone_id, t.role, t.do_))
                .collect();
            let list = list.join("\n");
            let head = if found.is_empty() {
                tr!(
                    lang,
                    "{name}: 当てはまるタスクがありません。タスクは次のとおりです:",
                    "{name}: no task matches; the tasks are:"
                )
            } else {
                tr!(
                    lang,
                    "{name}: 当てはまるタスクが複数あります。`do` の語か --milestone・--role で絞ってください:",
                    "{name}: several tasks match; narrow it down with words of `do`, --milestone or --role:"
                )
            };
            bail!("{head}\n{list}");
        }
    };
    let status = o.status.as_str();
    let mut sets = vec![Set {
        key: "status",
        value: status.to_string(),
        after: &["due"],
    }];
    let on = o.on.unwrap_or(g.today);
    if o.status == TaskStatus::Done {
        sets.push(Set {
            key: "done_on",
            value: on.to_string(),
            after: &["due", "status"],
        });
    }
    if let Some(note) = o.note {
        sets.push(Set {
            key: "note",
            value: edit::string(note),
            after: &["due", "status", "done_on"],
        });
    }
    let at = [
        Step::Key("milestones"),
        Step::Index(task.milestone),
        Step::Key("tasks"),
        Step::Index(task.task),
    ];
    let new = edit::set_scalars(&t.text, &root, &at, &sets, lang)
        .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let label = crate::labels::label_for(lang, "task_status_", status);
    let (m, what) = (&task.milestone_id, &task.do_);
    let done = tr!(
        lang,
        "{m} のタスク「{what}」を{label}にしました",
        "task “{what}” of {m} is now {label}"
    );
    record::commit(g, &run, &t, &new, o.dry_run, &done)
}
