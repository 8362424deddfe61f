//! `planbook build --versions`: the working tree as the latest site at the
//! root, and every git tag matching `[versions] tags` built from that tag's
//! own content, book.toml and theme into `v/TAG/`, with a version switcher
//! on every page, `versions.json`, `versions/index.html` and a "what
//! changed" page per version.
//!
//! Work is shared between versions: a plan file is parsed once per distinct
//! (blob, path, book.toml), and a plan page is rendered once per distinct
//! (blob, path, book.toml, theme, findings, history). Pages are rendered
//! with markers ([`MARK_BASE`], [`MARK_NAV`]) where the version-specific
//! canonical URL and switcher go, and the markers are filled in as the
//! pages are written. A plan page that is the same in consecutive old
//! versions is written once, with a banner and switcher naming that run of
//! versions ("v2 – v5") and relative links only, and hard-linked into the
//! other versions: writing 21 whole sites was half of a versioned build.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{IsTerminal, Write as _};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use gix::ObjectId;
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Summary};
use crate::diff;
use crate::git::{Git, Histories, Tag};
use crate::html::esc;
use crate::i18n::Lang;
use crate::labels::{label, long_date};
use crate::load::Repo;
use crate::model::PlanFile;
use crate::paths::SharedPage;
use crate::pipeline::pages::{Rendered, Scope, plan_jobs, render_distinct};
use crate::revision::head_histories;
use crate::site::theme::Theme;
use crate::site::write::Staging;
use crate::site::{BuildOptions, Fragments, MARK_BASE, MARK_NAV, Renderer, key_of};
use crate::summary::PlanSummary;
use crate::tr;

mod input;
mod nav;
mod pages;
mod search;
mod write;

use input::read_inputs;
use nav::{Nav, fill, plan_link};
use pages::{changes_page, versions_json, versions_page};
use search::{index_versions, search_jobs};
use write::{NavKey, Run, write_versions};

/// The repository and the tags to build, or why versions are skipped.
pub(crate) fn open(root: &Path, config: &Config) -> std::result::Result<(Git, Vec<Tag>), String> {
    let git = Git::open(root).map_err(|e| e.to_string())?;
    let tags = git
        .tags(&config.versions.tags)
        .map_err(|e| format!("{e:#}"))?;
    if tags.is_empty() {
        return Err(format!(
            "no git tag matches `{}` ([versions] tags in book.toml)",
            config.versions.tags
        ));
    }
    Ok((git, tags))
}

/// One version of the site.
#[derive(Debug, Clone)]
pub(crate) struct Version {
    /// The tag, `None` for the latest (the working tree).
    pub tag: Option<String>,
    pub commit: Option<ObjectId>,
    pub date: Option<NaiveDate>,
    /// Where it is written: `""` or `v/TAG/`.
    pub prefix: String,
}

impl Version {
    fn label(&self, lang: Lang) -> String {
        match &self.tag {
            Some(t) => t.clone(),
            None => label(lang, "latest_version").into_owned(),
        }
    }
}

/// What one version is made from.
struct Input {
    version: Version,
    config: Arc<Config>,
    config_key: u64,
    theme: Arc<Theme>,
    theme_key: u64,
    index_page: Option<String>,
    /// Plan files: (root-relative name, blob id).
    files: Vec<(String, ObjectId)>,
    histories: Option<Histories>,
}

impl Input {
    /// The commits that changed `file` (empty when none did), or `None`
    /// outside git: what a plan page shows as `section.history`.
    fn history(&self, file: &str) -> Option<&[crate::git::HistoryEntry]> {
        crate::git::history_of(self.histories.as_ref(), file)
    }
}

/// A version after parsing and lint.
struct Built {
    input: Input,
    plans: Vec<Arc<PlanFile>>,
    diags: Vec<Diagnostic>,
    /// (output path, key of the rendered page).
    pages: Vec<(String, u64)>,
    /// Indexed for search (the latest when `[search] enabled`, old
    /// versions too with `[search] versions`): its pages carry the search
    /// box, and it gets `search/` and `pagefind/`.
    search: bool,
    /// The version its "what changed" page compares with.
    previous: Option<String>,
}

/// Progress on a terminal (a bar) or in a log (a line per step).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
}

impl Progress {
    fn new(quiet: bool, len: usize) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(len as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, quiet }
    }

    fn step(&self, msg: String) {
        match &self.bar {
            Some(bar) => {
                bar.set_message(msg);
                bar.inc(1);
            }
            None if !self.quiet => eprintln!("{msg}"),
            None => {}
        }
    }

    fn note(&self, msg: &str) {
        match &self.bar {
            Some(bar) => bar.println(format!("note: {msg}")),
            None => eprintln!("note: {msg}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// What a versioned build did.
pub(crate) struct Report {
    pub versions: usize,
    pub files: usize,
}

/// Parsed plans by (blob id, path, book.toml key).
type Parsed = HashMap<crate::pipeline::BlobKey, Arc<PlanFile>>;

/// One compiled theme per distinct (book.toml, theme, search) key.
type Renderers = HashMap<(u64, u64, bool), Arc<Renderer>>;

fn renderer_key(b: &Built) -> (u64, u64, bool) {
    (b.input.config_key, b.input.theme_key, b.search)
}

fn renderer_for<'r>(renderers: &'r Renderers, b: &Built) -> Result<&'r Renderer> {
    renderers
        .get(&renderer_key(b))
        .map(AsRef::as_ref)
        .context("no renderer for a version")
}

/// Builds the latest site and every tag into `opts.out`. `repo` and
/// `latest` are the working tree, opened and checked clean
/// ([`crate::pipeline::Run::checked`]).
pub(crate) fn build(
    git: &Git,
    tags: &[Tag],
    repo: Repo,
    latest: crate::pipeline::Checked,
    latest_blobs: Vec<ObjectId>,
    opts: &BuildOptions,
    quiet: bool,
) -> Result<Report> {
    // Steps: reading each tag, rendering the plan pages, writing each
    // version (the latest and every tag).
    let progress = Progress::new(quiet, tags.len() * 2 + 2);
    let timer = crate::timing::Timer::start();
    let mut opts = opts.clone();
    opts.versioned = true;
    // The working tree's `[search]` says which versions are indexed.
    let search_old = opts.search && repo.config.search.versions;
    let cache = crate::search::Cache::of(&repo.config, &repo.root).filter(|_| opts.search);
    let lang = repo.config.lang();

    let (inputs, parsed) = read_inputs(git, tags, repo, latest.plans, latest_blobs, &progress)?;
    timer.lap("read and parse");
    let mut built = lint_versions(inputs, &parsed, latest.diags, opts.today);
    drop(parsed);
    for (vi, b) in built.iter_mut().enumerate() {
        b.search = if vi == 0 { opts.search } else { search_old };
    }
    for b in built.iter().skip(1) {
        let s = Summary::new(b.plans.len(), &b.diags);
        if s.errors > 0 {
            progress.note(&format!(
                "tag {} has {} lint error(s); built with its findings shown",
                b.input.version.label(lang),
                s.errors
            ));
        }
    }
    timer.lap("lint");
    let (renderers, mut built) = compile_themes(built, &opts, &progress, lang)?;
    let rendered = render_plan_pages(&mut built, &renderers)?;
    progress.step(format!("rendered {} distinct plan pages", rendered.len()));
    timer.lap("plan pages");
    let jobs = search_jobs(&built, &opts.base_url);
    let env = Env {
        renderers: &renderers,
        rendered: &rendered,
        fragments: &Fragments::default(),
        opts: &opts,
        progress: &progress,
        lang,
    };
    // The search indexes are made on a thread of their own while the
    // rest is rendered and written.
    let (versions, files) = std::thread::scope(|scope| -> Result<(usize, usize)> {
        let indexer = scope.spawn(|| index_versions(&jobs, &rendered, cache.as_ref()));
        let (built, shared) = render_shared_pages(built, &env)?;
        timer.lap("shared pages");
        let indexes = || match indexer.join() {
            Ok(bundles) => bundles,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let files = write_versions(&built, &shared, &env, indexes)?;
        Ok((built.len(), files))
    })?;
    timer.lap("write");
    if let Some(cache) = &cache {
        cache.sweep();
    }
    progress.finish();
    Ok(Report { versions, files })
}

/// What the phases after the plan pages share.
#[derive(Clone, Copy)]
struct Env<'a> {
    renderers: &'a Renderers,
    rendered: &'a Rendered,
    /// Per-plan calendar events and home-page cards, made once.
    fragments: &'a Fragments,
    opts: &'a BuildOptions,
    progress: &'a Progress,
    lang: Lang,
}

/// Lints each version; per-plan findings are shared between versions
/// through the plans' keys (the latest is already linted: `diags`).
fn lint_versions(
    inputs: Vec<Input>,
    parsed: &Parsed,
    diags: Vec<Diagnostic>,
    today: NaiveDate,
) -> Vec<Built> {
    let cache = crate::pipeline::FindingsCache::default();
    inputs
        .into_par_iter()
        .enumerate()
        .map(|(i, input)| {
            let plans: Vec<Arc<PlanFile>> = input
                .files
                .iter()
                .filter_map(|(f, o)| parsed.get(&(*o, f.clone(), input.config_key)).cloned())
                .collect();
            let diags = if i == 0 {
                diags.clone()
            } else {
                // Per-plan findings depend on the plan and the config, which
                // the plan's key covers; PLN002 and severities run per version.
                crate::pipeline::check_cached(&plans, &input.config, today, &cache)
            };
            Built {
                input,
                plans,
                diags,
                pages: Vec::new(),
                search: false,
                previous: None,
            }
        })
        .collect()
}

/// One renderer per distinct config and theme; a version whose theme does
/// not compile is left out with a note (the latest one fails the build).
fn compile_themes(
    built: Vec<Built>,
    opts: &BuildOptions,
    progress: &Progress,
    lang: Lang,
) -> Result<(Renderers, Vec<Built>)> {
    let mut renderers = Renderers::new();
    let mut usable = Vec::new();
    for (vi, b) in built.into_iter().enumerate() {
        if let std::collections::hash_map::Entry::Vacant(slot) = renderers.entry(renderer_key(&b)) {
            let opts = BuildOptions {
                search: b.search,
                ..opts.clone()
            };
            match Renderer::with_theme((*b.input.theme).clone(), &b.input.config, &opts) {
                Ok(r) => {
                    slot.insert(Arc::new(r));
                }
                Err(e) if vi == 0 => return Err(e),
                Err(e) => {
                    progress.note(&format!("{} skipped: {e:#}", b.input.version.label(lang)));
                    continue;
                }
            }
        }
        usable.push(b);
    }
    Ok((renderers, usable))
}

/// Every distinct plan page rendered once (with markers), in parallel;
/// each version's pages are listed with their keys in `Built::pages`.
fn render_plan_pages(built: &mut [Built], renderers: &Renderers) -> Result<Rendered> {
    let sites = built
        .par_iter()
        .map(|b| {
            let r = renderer_for(renderers, b)?;
            // `p.key` covers the plan's blob, path and book.toml.
            let jobs = plan_jobs(
                &b.plans,
                &b.diags,
                Scope::of(r),
                |p| p.key,
                |file| b.input.history(file),
            );
            Ok((r, jobs))
        })
        .collect::<Result<Vec<_>>>()?;
    let rendered = render_distinct(&sites);
    let pages: Vec<Vec<(String, u64)>> = sites
        .iter()
        .map(|(_, jobs)| jobs.iter().map(|j| (j.path.clone(), j.key)).collect())
        .collect();
    drop(sites);
    for (b, pages) in built.iter_mut().zip(pages) {
        b.pages = pages;
    }
    Ok(rendered)
}

/// The shared pages of every version; a version whose pages fail to render
/// is left out with a note (the latest one fails the build).
fn render_shared_pages(
    built: Vec<Built>,
    env: &Env<'_>,
) -> Result<(Vec<Built>, Vec<crate::site::Files>)> {
    let Env {
        renderers,
        rendered,
        fragments,
        opts,
        progress,
        lang,
    } = *env;
    // Each distinct plan summarised once for all versions (by its key).
    let mut distinct: BTreeMap<u64, &PlanFile> = BTreeMap::new();
    for p in built.iter().flat_map(|b| &b.plans).filter(|p| p.key != 0) {
        distinct.entry(p.key).or_insert(p);
    }
    let summaries: HashMap<u64, Arc<PlanSummary>> = distinct
        .into_par_iter()
        .map(|(key, p)| (key, Arc::new(PlanSummary::of(p, opts.today))))
        .collect();
    let shared: Vec<Result<crate::site::Files>> = built
        .par_iter()
        .enumerate()
        .map(|(vi, b)| {
            let r = renderer_for(renderers, b)?;
            let base = format!("{}{}", opts.base_url, b.input.version.prefix);
            let plans: Vec<Arc<PlanSummary>> = b
                .plans
                .iter()
                .map(|p| match summaries.get(&p.key) {
                    // Key 0 (not keyed) is never in the map.
                    Some(s) => Arc::clone(s),
                    None => Arc::new(PlanSummary::of(p, opts.today)),
                })
                .collect();
            let mut files = r.shared_pages(
                &plans,
                b.input.index_page.as_deref(),
                &b.diags,
                &base,
                Some(fragments),
            )?;
            files.insert(
                SharedPage::Changes.path().into(),
                changes_page(r, b, built.get(vi + 1), lang)?,
            );
            if let Some(Err(e)) = b
                .pages
                .iter()
                .find_map(|(_, k)| rendered.get(k).filter(|r| r.is_err()))
            {
                anyhow::bail!("{e}");
            }
            Ok(files)
        })
        .collect();
    let previous: Vec<Option<String>> = (0..built.len())
        .map(|vi| built.get(vi + 1).map(|p| p.input.version.label(lang)))
        .collect();
    let mut kept = Vec::new();
    for (vi, ((mut b, files), previous)) in built.into_iter().zip(shared).zip(previous).enumerate()
    {
        match files {
            Ok(files) => {
                b.previous = previous;
                kept.push((b, files));
            }
            Err(e) if vi == 0 => return Err(e),
            Err(e) => progress.note(&format!(
                "{} skipped: its pages do not render: {e:#}",
                b.input.version.label(lang)
            )),
        }
    }
    Ok(kept.into_iter().unzip())
}
