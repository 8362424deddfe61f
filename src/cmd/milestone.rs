//! `planbook milestone PLAN ID start|done|missed`: sets a milestone's
//! `status` and, when it ends, `done_on` and `actual`, in place.

use anyhow::{Result, bail};
use chrono::NaiveDate;

use super::Globals;
use super::record;
use crate::edit::{self, Set, Step};
use crate::pipeline::Run;
use crate::tr;

/// What happened to the milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Event {
    /// Work has started: `status: in_progress`
    Start,
    /// It reached its target: `status: done`, `done_on`, `actual`
    Done,
    /// It ended short of its target: `status: missed`, `done_on`, `actual`
    Missed,
}

/// What `planbook milestone` was asked to do.
pub(crate) struct Options<'a> {
    pub plan: &'a str,
    pub id: &'a str,
    pub event: Event,
    pub actual: Option<&'a str>,
    pub on: Option<NaiveDate>,
    pub dry_run: bool,
}

/// The update a finished milestone's review fills in: one answer per
/// question (verdict and finding), the story and the business model, each
/// a placeholder that lint lists (PLN004) — warnings until the review
/// date, errors after.
fn review_update(
    m: &crate::model::Milestone,
    on: NaiveDate,
    lang: crate::i18n::Lang,
) -> Vec<String> {
    let id = m.id_text().unwrap_or("?");
    let ph = |ja: &str, en: &str| edit::string(lang.pick(ja, en));
    let mut item = vec![format!("- date: {on}"), format!("  milestone: {id}")];
    if !m.questions().is_empty() {
        item.push("  answers:".to_string());
        for (i, q) in m.questions().iter().enumerate() {
            let which =
                q.id.text()
                    .map_or_else(|| (i + 1).to_string(), str::to_string);
            item.push(format!("    - question: {which}"));
            item.push(format!(
                "      verdict: {}",
                ph(
                    "（supported・refuted・inconclusive のどれか）",
                    "(supported, refuted or inconclusive)"
                )
            ));
            item.push(format!(
                "      finding: {}",
                ph("（データで分かったこと）", "(what the data showed)")
            ));
        }
    }
    item.push(format!(
        "  story: {}",
        ph(
            "（ストーリーで変わったこと・変わらなかったこと）",
            "(what changed in the story, or did not)"
        )
    ));
    item.push(format!(
        "  business_model: {}",
        ph(
            "（ビジネスモデルで変わったこと・変わらなかったこと）",
            "(what changed in the business model, or did not)"
        )
    ));
    item
}

pub(crate) fn run(g: &Globals, o: &Options<'_>) -> Result<u8> {
    let run = Run::open(&g.root, g.today).map_err(anyhow::Error::new)?;
    let lang = run.config().lang();
    let t = record::read(&run, o.plan)?;
    let (name, root) = (&t.name, t.tree(lang)?);
    let plan = &t.file.plan;
    let Some(index) = plan
        .milestones()
        .iter()
        .position(|m| m.id_text() == Some(o.id))
    else {
        let ids: Vec<&str> = plan
            .milestones()
            .iter()
            .filter_map(|m| m.id_text())
            .collect();
        let (id, ids) = (o.id, ids.join(", "));
        bail!(
            "{}",
            tr!(
                lang,
                "{name}: マイルストーン `{id}` がありません（{ids}）",
                "{name}: no milestone `{id}` (the milestones are {ids})"
            )
        );
    };
    let status = match o.event {
        Event::Start => "in_progress",
        Event::Done => "done",
        Event::Missed => "missed",
    };
    let mut sets = vec![Set {
        key: "status",
        value: status.to_string(),
        after: &["due", "target", "cost_days", "review"],
    }];
    if o.event != Event::Start {
        let on = o.on.unwrap_or(g.today);
        let actual = match o.actual {
            Some(a) => edit::parse_value(a, plan.unit(), lang)?,
            None => match crate::progress::progress(plan).latest {
                Some((_, v)) => crate::num::fmt(v),
                None => bail!(
                    "{}",
                    tr!(
                        lang,
                        "{name}: 計測値がまだないので actual が決まりません。--actual で指定してください",
                        "{name}: no measurement yet to take the actual value from: give --actual"
                    )
                ),
            },
        };
        sets.push(Set {
            key: "done_on",
            value: on.to_string(),
            after: &["due", "target", "cost_days", "review", "status"],
        });
        sets.push(Set {
            key: "actual",
            value: actual,
            after: &["due", "target", "cost_days", "review", "status", "done_on"],
        });
    }
    let at = [Step::Key("milestones"), Step::Index(index)];
    // The parsed plan and the tree list milestones in the same order.
    let mut new = edit::set_scalars(&t.text, &root, &at, &sets, lang)
        .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    // A milestone that ends gets the update its review will fill in,
    // unless it has one already.
    let milestone = plan.milestones().get(index);
    let reviewed = milestone.is_some_and(|m| crate::ledger::updates_for(plan, m).next().is_some());
    if o.event != Event::Start
        && !reviewed
        && let Some(m) = milestone
    {
        let item = review_update(m, o.on.unwrap_or(g.today), lang);
        new = edit::append_update(&new, &item, lang).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    }
    let (id, label) = (o.id, crate::labels::label_for(lang, "ms_status_", status));
    let done = tr!(
        lang,
        "マイルストーン {id} を{label}にしました",
        "milestone {id} is now {label}"
    );
    record::commit(g, &run, &t, &new, o.dry_run, &done)
}
