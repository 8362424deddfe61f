//! `planbook report`: the progress report for a period, per plan — for the
//! weekly check or the report to management. Tasks done in the period
//! come from git: the plan as of the last commit at or before the period's
//! start, against the working tree, matched as `diff` matches tasks.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use anyhow::{Result, bail};
use chrono::{Duration, NaiveDate};

use super::{Globals, print_load_warnings};
use crate::git::{Git, Unavailable};
use crate::load::Detail;
use crate::model::PlanFile;
use crate::pipeline::Run;
use crate::report::{self, Period, PlanReport, format};
use gix::ObjectId;

/// `planbook report --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    Markdown,
    Html,
    Json,
}

/// `--since`: a date, or each plan's last executive report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Since {
    Date(NaiveDate),
    LastExecutive,
}

/// Parses `--since`.
pub(crate) fn parse_since(s: &str) -> Result<Since, String> {
    if s == "last-executive" {
        return Ok(Since::LastExecutive);
    }
    crate::frontmatter::parse_date(s)
        .map(Since::Date)
        .map_err(|_| format!("`{s}` is not a date: use YYYY-MM-DD or last-executive"))
}

/// What `planbook report` was asked for.
pub(crate) struct Options<'a> {
    pub since: Option<Since>,
    pub until: Option<NaiveDate>,
    pub plans: &'a [String],
    pub format: ReportFormat,
}

/// Prints the report; exit code 0 whatever the plans' states.
pub(crate) fn run(g: &Globals, o: &Options<'_>) -> Result<u8> {
    let run = Run::open(&g.root, g.today).map_err(anyhow::Error::new)?;
    print_load_warnings(&run.repo);
    let checked = run.checked(Detail::Lint);
    let until = o.until.unwrap_or(g.today);
    let since = o.since.unwrap_or(Since::Date(until - Duration::days(7)));
    if let Since::Date(s) = since
        && s >= until
    {
        bail!("--since ({s}) must be before --until ({until})");
    }
    // The plans asked for, in home-page order.
    let mut plans: Vec<&PlanFile> = checked.plans.iter().collect();
    crate::state::rank(&mut plans, |p| &p.plan);
    for id in o.plans {
        if !plans.iter().any(|p| &p.plan.id == id) {
            bail!("no plan has the id `{id}` (see `planbook status`)");
        }
    }
    if !o.plans.is_empty() {
        plans.retain(|p| o.plans.contains(&p.plan.id));
    }
    let period_of = |p: &PlanFile| match since {
        Since::Date(s) => Period { since: s, until },
        Since::LastExecutive => Period {
            since: report::last_executive(&p.plan, until),
            until,
        },
    };
    let lang = run.config().lang();
    let history = History::open(&g.root, lang);
    if let Some(note) = &history.note {
        eprintln!("{}", crate::tr!(lang, "注意: {note}", "note: {note}"));
    }
    let by_file = crate::lint::by_file(&checked.diags);
    // Each period start's commit, and each commit's plans, read once: with
    // `last-executive` many plans share a start or a commit.
    let mut commits: HashMap<NaiveDate, Option<ObjectId>> = HashMap::new();
    let mut olds: HashMap<ObjectId, BTreeMap<String, PlanFile>> = HashMap::new();
    let mut reports: Vec<PlanReport<'_>> = Vec::new();
    for p in &plans {
        let period = period_of(p);
        let past = match &history.git {
            Some(git) => {
                let commit = match commits.get(&period.since) {
                    Some(c) => *c,
                    None => {
                        let c = match git.head() {
                            Some(head) => git.commit_on_or_before(head, period.since)?,
                            None => None,
                        };
                        *commits.entry(period.since).or_insert(c)
                    }
                };
                let old_plan = match commit {
                    Some(c) => olds
                        .entry(c)
                        .or_insert_with(|| plans_at(git, c, period.since, g.today))
                        .get(&p.plan.id)
                        .map(|f| &f.plan),
                    // No commit that early: the plan is new since.
                    None => None,
                };
                Some(report::Past {
                    tasks_done: crate::diff::tasks_done(old_plan, &p.plan),
                    confidence: old_plan.and_then(report::Confidence::of),
                })
            }
            None => None,
        };
        let diags = by_file
            .get(p.plan.file.as_str())
            .cloned()
            .unwrap_or_default();
        reports.push(report::plan_report(&p.plan, diags, period, past));
    }
    let since_text = match since {
        Since::Date(d) => d.to_string(),
        Since::LastExecutive => "last-executive".to_string(),
    };
    let text = match o.format {
        ReportFormat::Json => {
            let doc = format::json_doc(&reports, &since_text, until, history.git.is_some());
            let mut s = serde_json::to_string_pretty(&doc)?;
            s.push('\n');
            s
        }
        ReportFormat::Markdown => {
            let period = Period {
                since: match since {
                    Since::Date(d) => d,
                    Since::LastExecutive => until,
                },
                until,
            };
            let last_exec = since == Since::LastExecutive;
            format::markdown(&reports, period, last_exec, history.git.is_some(), lang)
        }
        ReportFormat::Html => {
            let bytes = crate::pipeline::stream::report_document(
                &run,
                until,
                &reports,
                &since_text,
                history.git.is_some(),
            )?;
            String::from_utf8(bytes)?
        }
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(0)
}

/// The repository's git history, when there is one to read.
struct History {
    git: Option<Git>,
    note: Option<String>,
}

impl History {
    fn open(root: &std::path::Path, lang: crate::i18n::Lang) -> History {
        match Git::open(root) {
            Ok(git) => History {
                git: Some(git),
                note: None,
            },
            Err(Unavailable::NotARepo) => History {
                git: None,
                note: Some(crate::tr!(
                    lang,
                    "git リポジトリではないため、期間中に完了したタスクは載せていません",
                    "not a git repository: tasks done in the period are left out"
                )),
            },
            Err(why) => History {
                git: None,
                note: Some(crate::tr!(
                    lang,
                    "期間中に完了したタスクは載せていません: {why}",
                    "tasks done in the period left out: {why}"
                )),
            },
        }
    }
}

/// The plans by id as of `commit` (the last commit on or before `date`);
/// none when it has no content directory yet, or cannot be read (then with
/// a note: every done task of the period's plans counts).
fn plans_at(
    git: &Git,
    commit: ObjectId,
    date: NaiveDate,
    today: NaiveDate,
) -> BTreeMap<String, PlanFile> {
    let name = format!("the last commit on or before {date}");
    let run = match Run::at_revision(git, commit, &name, today) {
        Ok(run) => run,
        Err(e) => {
            eprintln!("note: {e:#}: tasks done are counted from an empty plan set");
            return BTreeMap::new();
        }
    };
    let mut by_id = BTreeMap::new();
    for f in run.checked(Detail::Lint).plans {
        by_id.entry(f.plan.id.clone()).or_insert(f);
    }
    by_id
}
