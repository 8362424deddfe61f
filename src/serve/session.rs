//! The incremental builder behind `planbook serve`: plans stay parsed in
//! memory; a change to one plan re-reads that file, re-lints (cheap), and
//! re-renders its page plus the shared pages. A config or theme change
//! reloads everything.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::Result;
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Severity};
use crate::git::Histories;
use crate::load::{self, Detail};
use crate::model::PlanFile;
use crate::paths::SharedPage;
use crate::pipeline::Run;
use crate::pipeline::pages::{PageCache, PlanPage, Scope, plan_jobs};
use crate::site::{BuildOptions, Files, Renderer};

/// The result of one build.
pub(crate) struct Outcome {
    /// The new site, or `None` when lint found errors (keep the old one).
    pub site: Option<Built>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A built site: plan pages and static files now, the shared pages (home,
/// changelog, lint, feeds, calendar) when first asked for. Rendering those
/// costs more than a plan page in a large repository, and an edit to one
/// plan should be on screen before they are needed.
pub(crate) struct Built {
    pub files: Pages,
    pub shared: Arc<Shared>,
}

/// Served files; pages are shared with the session's cache, not copied.
pub(crate) type Pages = BTreeMap<String, Arc<Vec<u8>>>;

/// The inputs of the shared pages, rendered once on demand.
pub(crate) struct Shared {
    renderer: Arc<Renderer>,
    plans: Vec<Arc<PlanFile>>,
    index_page: Option<String>,
    diagnostics: Vec<Diagnostic>,
    pages: OnceLock<Result<Files, String>>,
}

impl Shared {
    /// Whether `path` is one of the shared pages [`Shared`] renders (the
    /// search page only when search is on; "what changed" is for versions).
    pub(crate) fn has(&self, path: &str) -> bool {
        match SharedPage::at(path) {
            Some(SharedPage::Changes) | None => false,
            Some(SharedPage::Search) => self.renderer.search(),
            Some(_) => true,
        }
    }

    /// The plan pages to index for search, in file order: (URL from the
    /// site root, page); `None` when search is off.
    pub(crate) fn search_pages(&self, files: &Pages) -> Option<Vec<(String, Arc<Vec<u8>>)>> {
        if !self.renderer.search() {
            return None;
        }
        let pages = crate::site::publishable(&self.plans)
            .into_iter()
            .filter_map(|p| {
                let path = PlanPage::Plan.path(&p.plan.id);
                let page = files.get(&path)?;
                Some((format!("/{path}"), Arc::clone(page)))
            })
            .collect();
        Some(pages)
    }

    /// The site language, which the search index splits words by.
    pub(crate) fn lang(&self) -> crate::i18n::Lang {
        self.renderer.lang()
    }

    /// The shared pages, rendered on first use.
    pub(crate) fn pages(&self) -> &Result<Files, String> {
        self.pages.get_or_init(|| {
            self.renderer
                .shared_files(
                    &self.plans,
                    self.index_page.as_deref(),
                    &self.diagnostics,
                    self.renderer.base_url(),
                )
                .map_err(|e| format!("{e:#}"))
        })
    }
}

pub(crate) struct Session {
    /// The repository as opened (config, content directory, the home
    /// page's text, skipped links); `run.repo.plans` stays empty.
    run: Run,
    base_url: Option<String>,
    /// Plan file → (hash of its bytes, parsed plan).
    plans: BTreeMap<PathBuf, (u64, Arc<PlanFile>)>,
    renderer: Arc<Renderer>,
    /// Plan pages rendered so far, by path, with their keys.
    pages: PageCache,
    /// The git history of each plan file, read once per session.
    histories: Option<Histories>,
}

fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    b.hash(&mut h);
    h.finish()
}

/// A plan and the hash of its bytes, from one read of the file (0 when it
/// cannot be read: the plan then carries the PLN001 saying why).
fn read_plan(run: &Run, path: &Path) -> (u64, Arc<PlanFile>) {
    let mut hash = 0;
    let plan = run.load_one(path, Detail::Full, |b| hash = hash_bytes(b));
    (hash, Arc::new(plan))
}

impl Session {
    /// The error overlay showing `message`, from the theme's
    /// `overlay.html`; when that template fails, the failure is shown too.
    pub(crate) fn overlay(&self, message: &str) -> String {
        self.renderer.overlay(message).unwrap_or_else(|e| {
            let text = format!("{message}\noverlay.html: {e:#}");
            format!(
                "<pre id=\"planbook-error\" role=\"alert\">{}</pre>",
                crate::html::esc(&text)
            )
        })
    }

    /// The page for a path not in the site, from the theme's `404.html`;
    /// when that template fails, a plain page saying why.
    pub(crate) fn not_found_page(&self) -> Vec<u8> {
        self.renderer.not_found_page().unwrap_or_else(|e| {
            format!(
                "<!doctype html><html><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>404</h1><pre>404.html: {}</pre></body></html>",
                crate::html::esc(&format!("{e:#}"))
            )
            .into_bytes()
        })
    }

    /// Loads everything from scratch.
    pub(crate) fn open(root: &Path, today: NaiveDate, base_url: Option<String>) -> Result<Session> {
        // The same pipeline as `lint` and `build`: config, content
        // directory, plan files and the warnings about skipped links.
        let run = Run::open(root, today).map_err(anyhow::Error::new)?;
        let repo = &run.repo;
        let plans = repo
            .paths
            .par_iter()
            .map(|p| (p.clone(), read_plan(&run, p)))
            .collect();
        let opts = Self::options(&repo.config, today, base_url.as_deref());
        let renderer = Arc::new(Renderer::new(root, &repo.config, &opts)?);
        let files: Vec<String> = repo.paths.iter().map(|p| load::rel_name(root, p)).collect();
        let (histories, _) = crate::revision::working_tree_histories(root, &repo.config, &files);
        Ok(Session {
            run,
            base_url,
            plans,
            renderer,
            pages: PageCache::default(),
            histories,
        })
    }

    /// How many plan files the session holds (the summary line counts them).
    pub(crate) fn plan_count(&self) -> usize {
        self.plans.len()
    }

    /// Entries of the content directory that were skipped when it was last
    /// read in whole (links pointing outside it, loops), for the terminal.
    pub(crate) fn warnings(&self) -> &[String] {
        &self.run.repo.warnings
    }

    fn options(config: &Config, today: NaiveDate, base_url: Option<&str>) -> BuildOptions {
        BuildOptions {
            out: PathBuf::new(),
            base_url: crate::site::normalize_base_url(base_url.unwrap_or(&config.site.base_url)),
            today,
            build_date: None,
            versioned: false,
            // Indexed in the background after each swap
            // (`serve::index_in_background`).
            search: config.search.enabled,
        }
    }

    /// Reloads config, theme and every plan.
    pub(crate) fn reload_all(&mut self) -> Result<()> {
        *self = Session::open(&self.run.repo.root, self.run.today, self.base_url.clone())?;
        Ok(())
    }

    /// The search cache of the repository, unless `[search] cache` is off.
    pub(crate) fn search_cache(&self) -> Option<crate::search::Cache> {
        crate::search::Cache::of(&self.run.repo.config, &self.run.repo.root)
    }

    /// The site language, for messages.
    pub(crate) fn lang(&self) -> crate::i18n::Lang {
        self.run.config().lang()
    }

    pub(crate) fn content_dir(&self) -> &Path {
        &self.run.repo.content_dir
    }

    /// Re-reads the given paths under the content directory: changed,
    /// new and deleted plans, and `content/index.md`; returns the warnings
    /// for the terminal (an `index.md` that cannot be read).
    pub(crate) fn update(&mut self, changed: &[PathBuf]) -> Result<Vec<String>> {
        let current: Vec<PathBuf> =
            load::plan_paths(&self.run.repo.content_dir).map_err(anyhow::Error::new)?;
        // Deleted (or renamed away) plans.
        let live: HashSet<&PathBuf> = current.iter().collect();
        self.plans.retain(|p, _| live.contains(p));
        // New and changed plans, read in parallel.
        let changed: HashSet<&PathBuf> = changed.iter().collect();
        let fresh: Vec<(PathBuf, (u64, Arc<PlanFile>))> = current
            .par_iter()
            .filter(|p| !self.plans.contains_key(*p) || changed.contains(p))
            .map(|p| (p.clone(), read_plan(&self.run, p)))
            .collect();
        self.plans.extend(fresh);
        let mut warnings = Vec::new();
        self.run.repo.index_page = load::read_index_page(&self.run.repo.content_dir, &mut warnings);
        Ok(warnings)
    }

    /// Lints and renders; plan pages come from the cache when neither their
    /// file nor their findings changed.
    pub(crate) fn build(&mut self) -> Result<Outcome> {
        let plan_files: Vec<Arc<PlanFile>> =
            self.plans.values().map(|(_, p)| Arc::clone(p)).collect();
        let diagnostics = crate::pipeline::check(&plan_files, self.run.config(), self.run.today);
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            return Ok(Outcome {
                site: None,
                diagnostics,
            });
        }
        let mut files = Pages::new();
        for (name, bytes) in self.renderer.statics() {
            files.insert(format!("static/{name}"), Arc::new(bytes.clone()));
        }
        let hashes: HashMap<&str, u64> = self
            .plans
            .values()
            .map(|(h, p)| (p.plan.file.as_str(), *h))
            .collect();
        // A session has one theme and one history (a change to either
        // opens a new session).
        let jobs = plan_jobs(
            &plan_files,
            &diagnostics,
            Scope::of(&self.renderer),
            |p| {
                hashes
                    .get(p.plan.file.as_str())
                    .copied()
                    .unwrap_or_default()
            },
            |file| crate::git::history_of(self.histories.as_ref(), file),
        );
        self.pages.refresh(&self.renderer, &jobs)?;
        drop(jobs);
        for (path, bytes) in self.pages.pages() {
            files.insert(path.clone(), Arc::clone(bytes));
        }
        let shared = Arc::new(Shared {
            renderer: Arc::clone(&self.renderer),
            plans: plan_files,
            index_page: self.run.repo.index_page.clone(),
            diagnostics: diagnostics.clone(),
            pages: OnceLock::new(),
        });
        Ok(Outcome {
            site: Some(Built { files, shared }),
            diagnostics,
        })
    }

    /// What changed means for the session: config or theme → everything.
    pub(crate) fn is_global_change(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "book.toml")
            || path.starts_with(self.run.repo.root.join("themes"))
    }
}
