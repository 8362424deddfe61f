//! Which plan pages a site renders and under which cache key: the one
//! place that decides it, for every mode of the driver. A plan page is a
//! [`PlanJob`]: the page ([`PlanPage`] of one plan), its path, its key
//! (everything it is made from, [`pages_key`]) and what it is rendered
//! from. The modes differ only in what they keep:
//!
//! - one-shot ([`super::stream`]): each plan's jobs rendered as the plan is
//!   checked, nothing kept;
//! - incremental ([`PageCache`], `serve`): pages kept by path, re-rendered
//!   when their key changes;
//! - per tag ([`render_distinct`], `--versions`): each distinct key
//!   rendered once for every version that has it.
//!
//! The shared pages ([`crate::paths::SharedPage`]) depend on every plan:
//! they are rendered whole by `site::Renderer::shared_pages`, with the
//! per-plan pieces cached in `site::Fragments`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::git::HistoryEntry;
use crate::model::PlanFile;
pub use crate::paths::PlanPage;
use crate::site::{Renderer, key_of, publishable};

/// One plan page to render.
pub(crate) struct PlanJob<'a> {
    pub(crate) kind: PlanPage,
    /// Where it goes, relative to the site root.
    pub(crate) path: String,
    /// Everything the page is made from ([`pages_key`], per kind).
    pub(crate) key: u64,
    pub(crate) plan: &'a PlanFile,
    /// The plan's findings (PLN002 included).
    pub(crate) diags: Vec<&'a Diagnostic>,
    /// The commits that changed the plan's file; `None` outside git.
    pub(crate) history: Option<&'a [HistoryEntry]>,
}

impl<'a> PlanJob<'a> {
    /// The pages of one plan for the one-shot mode, which keeps nothing:
    /// not keyed (`key` 0).
    pub(crate) fn unkeyed(
        plan: &'a PlanFile,
        diags: &[&'a Diagnostic],
        history: Option<&'a [HistoryEntry]>,
    ) -> [PlanJob<'a>; 2] {
        PlanJob::each(plan, diags, history, |_| 0)
    }

    /// [`PlanPage::ALL`] of one plan, each page keyed by `key`.
    fn each(
        plan: &'a PlanFile,
        diags: &[&'a Diagnostic],
        history: Option<&'a [HistoryEntry]>,
        key: impl Fn(PlanPage) -> u64,
    ) -> [PlanJob<'a>; 2] {
        PlanPage::ALL.map(|kind| PlanJob {
            kind,
            path: kind.path(&plan.plan.id),
            key: key(kind),
            plan,
            diags: diags.to_vec(),
            history,
        })
    }

    pub(crate) fn render(&self, r: &Renderer) -> Result<Vec<u8>> {
        r.page_of(self.kind, &self.plan.plan, &self.diags, self.history)
    }
}

/// What a set of plans' pages are keyed by besides each plan: the
/// renderer's templates and site values, and whether pages carry search.
#[derive(Clone, Copy)]
pub(crate) struct Scope {
    pub(crate) theme: u64,
    pub(crate) search: bool,
}

impl Scope {
    pub(crate) fn of(r: &Renderer) -> Scope {
        Scope {
            theme: r.scope(),
            search: r.search(),
        }
    }
}

/// The plans that get pages, each with its findings, in file order.
pub fn publishable_with_findings<'p, P: AsRef<PlanFile>>(
    plans: &'p [P],
    diags: &'p [Diagnostic],
) -> Vec<(&'p PlanFile, Vec<&'p Diagnostic>)> {
    let by_plan = crate::lint::by_plan(diags);
    publishable(plans)
        .into_iter()
        .map(|p| {
            let d = by_plan.get(p.plan.id.as_str()).cloned().unwrap_or_default();
            (p, d)
        })
        .collect()
}

/// Every plan page of a site, in file order and page order: each
/// publishable plan's [`PlanPage::ALL`]. `file_key` keys a plan's bytes,
/// path and book.toml (`PlanFile::key`, or `serve`'s hash of the file);
/// `history` gives its commits.
pub(crate) fn plan_jobs<'a, P: AsRef<PlanFile>>(
    plans: &'a [P],
    diags: &'a [Diagnostic],
    scope: Scope,
    file_key: impl Fn(&PlanFile) -> u64,
    history: impl Fn(&str) -> Option<&'a [HistoryEntry]>,
) -> Vec<PlanJob<'a>> {
    publishable_with_findings(plans, diags)
        .into_iter()
        .flat_map(|(plan, diags)| {
            let history = history(&plan.plan.file);
            let key = pages_key(file_key(plan), scope, &diags, history);
            PlanJob::each(plan, &diags, history, |kind| page_key(kind, key))
        })
        .collect()
}

/// Everything a plan's pages are made from, as one cache key: `file` keys
/// the plan's bytes, path and book.toml; the scope the renderer's
/// templates and site values, and whether pages carry search; the plan's
/// findings; its history (the commits' ids and paths say which: hashing
/// every subject and author for each version cost more).
fn pages_key(
    file: u64,
    scope: Scope,
    diags: &[&Diagnostic],
    history: Option<&[HistoryEntry]>,
) -> u64 {
    key_of(&(
        file,
        scope.theme,
        scope.search,
        diags
            .iter()
            .map(|x| (x.rule, x.line, x.column, &x.message, x.severity))
            .collect::<Vec<_>>(),
        history.map(|h| h.iter().map(|e| (&e.id, &e.path)).collect::<Vec<_>>()),
    ))
}

/// The key of one page of a plan whose pages are keyed by `pages`.
fn page_key(kind: PlanPage, pages: u64) -> u64 {
    match kind {
        PlanPage::Plan => pages,
        PlanPage::Report => key_of(&(pages, kind)),
    }
}

/// The incremental mode (`serve`): rendered plan pages kept by path with
/// their keys, shared with the served site (not copied).
#[derive(Default)]
pub(crate) struct PageCache {
    pages: HashMap<String, (u64, Arc<Vec<u8>>)>,
}

impl PageCache {
    /// Renders the jobs whose key changed since the last refresh, in
    /// parallel, and forgets pages no job has any more.
    pub(crate) fn refresh(&mut self, r: &Renderer, jobs: &[PlanJob<'_>]) -> Result<()> {
        let fresh: Vec<(&PlanJob<'_>, Vec<u8>)> = jobs
            .par_iter()
            .filter(|j| self.pages.get(&j.path).is_none_or(|(k, _)| *k != j.key))
            .map(|j| Ok((j, j.render(r)?)))
            .collect::<Result<_>>()?;
        for (j, bytes) in fresh {
            self.pages.insert(j.path.clone(), (j.key, Arc::new(bytes)));
        }
        let live: HashSet<&String> = jobs.iter().map(|j| &j.path).collect();
        self.pages.retain(|path, _| live.contains(path));
        Ok(())
    }

    /// The pages, by path.
    pub(crate) fn pages(&self) -> impl Iterator<Item = (&String, &Arc<Vec<u8>>)> {
        self.pages.iter().map(|(path, (_, page))| (path, page))
    }
}

/// Rendered pages by key; a page that failed to render keeps its message.
pub(crate) type Rendered = HashMap<u64, std::result::Result<Vec<u8>, String>>;

/// The per-tag mode (`--versions`): every distinct page of several sites
/// rendered once, in parallel, each with its own site's renderer. A page
/// that fails to render (an old theme's template that no longer fits) is
/// an `Err` with the message: its version is dropped, not the build.
pub(crate) fn render_distinct(sites: &[(&Renderer, Vec<PlanJob<'_>>)]) -> Rendered {
    let mut distinct: BTreeMap<u64, (&Renderer, &PlanJob<'_>)> = BTreeMap::new();
    for (r, jobs) in sites {
        for j in jobs {
            distinct.entry(j.key).or_insert((*r, j));
        }
    }
    distinct
        .into_par_iter()
        .map(|(key, (r, j))| (key, j.render(r).map_err(|e| format!("{e:#}"))))
        .collect()
}
