//! One pipeline: load → parse → check → pages, in one place.
//!
//! A [`Run`] is a repository opened once — its configuration and plan
//! files, from the working tree ([`Run::open`]) or from a git revision
//! ([`Run::at_revision`]) — and the day its plans are checked at. Every
//! command is a thin driver that asks a run for what it needs:
//!
//! - `lint` wants each plan's findings and never the models:
//!   [`Run::check_each`] then [`Run::finish`] (memory stays flat);
//! - `build` writes each page as soon as its plan is checked:
//!   [`Run::check_one`] per file inside [`stream::write_site`], then
//!   [`Run::finish`];
//! - `build --versions`, `diff`, `status` and `report` keep every plan:
//!   [`Run::checked`];
//! - `serve` keeps its plans in memory between edits: it reads a changed
//!   file with [`Run::load_one`] and re-checks them all with [`check`].
//!
//! Nothing else in the crate parses a plan file or runs the rules over a
//! whole repository (`versions` re-checks plans it parsed here through its
//! cache of findings, with the same functions of `lint`).
//!
//! Pages are rendered by the driver's modes over one list of plan pages
//! ([`pages::plan_jobs`]): one-shot ([`stream`]), incremental
//! ([`pages::PageCache`], `serve`) and per tag ([`pages::render_distinct`],
//! `--versions`).

pub mod pages;
pub(crate) mod stream;

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;
use gix::ObjectId;
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::git::Git;
use crate::lint;
use crate::load::{self, Detail, LoadError, Repo};
use crate::model::PlanFile;

/// A repository opened once and the day it is checked at.
pub struct Run {
    /// Configuration, content directory, plan files (in file order) and
    /// the home page's text. For a revision, `paths` are the plan files'
    /// root-relative names, `root` is empty and `warnings` too.
    pub repo: Repo,
    /// "Today" for the rules and pages that depend on the date.
    pub today: NaiveDate,
    /// The plan files' bytes when they come from a git revision.
    blobs: Option<Vec<(String, Vec<u8>)>>,
}

/// Plans parsed and checked, kept in memory.
pub struct Checked {
    /// Every plan, in file order.
    pub plans: Vec<PlanFile>,
    /// Every diagnostic, sorted by file, line, column and rule.
    pub diags: Vec<Diagnostic>,
}

impl Run {
    /// Opens the working tree at `root`: config, content directory and the
    /// list of plan files (none read yet).
    pub fn open(root: &Path, today: NaiveDate) -> Result<Run, LoadError> {
        Ok(Run {
            repo: load::open(root)?,
            today,
            blobs: None,
        })
    }

    /// Opens the repository as of `commit` (read from the object database,
    /// never checked out); `name` says which revision in messages. Errors
    /// when the commit has no content directory or its book.toml is bad.
    pub(crate) fn at_revision(
        git: &Git,
        commit: ObjectId,
        name: &str,
        today: NaiveDate,
    ) -> Result<Run> {
        let tree = crate::revision::open_tree(git, commit, name)?;
        let dir = tree.dir;
        let Some(files) = tree.files else {
            anyhow::bail!("{name} has no {dir}/ directory");
        };
        let mut blobs = Vec::new();
        for (path, oid) in files {
            blobs.push((path, git.blob(oid)?));
        }
        let (config, config_text, index_page, warnings) = (
            tree.config,
            tree.config_text,
            tree.index_page,
            tree.warnings,
        );
        Ok(Run {
            repo: Repo {
                // Files of a revision are named root-relative; nothing of
                // the working tree is read.
                root: PathBuf::new(),
                content_dir: PathBuf::from(&dir),
                config,
                config_text,
                paths: blobs.iter().map(|(p, _)| p.into()).collect(),
                index_page,
                warnings,
            },
            today,
            blobs: Some(blobs),
        })
    }

    /// The repository's configuration.
    pub(crate) fn config(&self) -> &Config {
        &self.repo.config
    }

    /// Reads and parses one plan file of the working tree, showing its
    /// bytes to `inspect` first (`serve` hashes them): one read per file.
    pub(crate) fn load_one(
        &self,
        path: &Path,
        detail: Detail,
        inspect: impl FnOnce(&[u8]),
    ) -> PlanFile {
        load::load_plan_with(&self.repo.root, path, &self.repo.config, detail, inspect)
    }

    /// Reads, parses and checks one plan file of the working tree: the
    /// plan and what [`Run::finish`] needs of it.
    pub(crate) fn check_one(&self, path: &Path, detail: Detail) -> (PlanFile, lint::Checked) {
        let f = self.load_one(path, detail, |_| {});
        let c = lint::check_file(&f, &self.repo.config, self.today);
        (f, c)
    }

    /// One plan's own diagnostics (every rule but PLN002, severities
    /// resolved), for a plan already loaded: the recording commands compare
    /// them before and after an edit, `build` writes each page with them.
    pub(crate) fn plan_diagnostics(&self, file: &PlanFile) -> Vec<Diagnostic> {
        let config = &self.repo.config;
        lint::plan_diagnostics(&lint::check_file(file, config, self.today), config)
    }

    /// Parses and checks every plan in parallel and hands each, with its
    /// findings, to `keep` as soon as it is checked; what `keep` returns,
    /// in file order.
    pub fn check_each<T, F>(&self, detail: Detail, keep: F) -> Vec<T>
    where
        T: Send,
        F: Fn(PlanFile, lint::Checked) -> T + Sync,
    {
        let config = &self.repo.config;
        let check = |f: PlanFile| {
            let c = lint::check_file(&f, config, self.today);
            keep(f, c)
        };
        match &self.blobs {
            None => self
                .repo
                .paths
                .par_iter()
                .map(|p| check(self.load_one(p, detail, |_| {})))
                .collect(),
            Some(blobs) => blobs
                .par_iter()
                .map(|(file, bytes)| {
                    let stem = load::stem_of(Path::new(file));
                    check(load::parse_bytes(file.clone(), stem, bytes, config, detail))
                })
                .collect(),
        }
    }

    /// PLN002 across the plans, then severities (`[lint.rules]`,
    /// `lint.allow`, drafts, dropped plans): the diagnostics, sorted.
    pub fn finish(&self, checked: Vec<lint::Checked>) -> Vec<Diagnostic> {
        lint::finish(checked, &self.repo.config)
    }

    /// Every plan's state at the run's date, in home-page order (ICE
    /// score, then id), each made as soon as its plan is checked and the
    /// model dropped (`planbook status`).
    pub(crate) fn snapshots(&self) -> Vec<crate::state::Snapshot> {
        use std::collections::HashSet;
        let (mut snaps, checked): (Vec<crate::state::Snapshot>, Vec<lint::Checked>) = self
            .check_each(Detail::Lint, |f, c| {
                (crate::state::snapshot(&f.plan, false, self.today), c)
            })
            .into_iter()
            .unzip();
        let diags = self.finish(checked);
        let failing: HashSet<&str> = diags
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .map(|d| d.file.as_str())
            .collect();
        for s in &mut snaps {
            if failing.contains(s.file.as_str()) {
                s.state = crate::state::State::Invalid;
            }
        }
        crate::state::rank_by(&mut snaps, |s| (s.ice, s.id.as_str()));
        snaps
    }

    /// [`Run::checked`], with the git blob id of each plan's bytes taken
    /// as it is read (the key `--versions` shares work under): the null id
    /// for a file that could not be read, which no blob has.
    pub(crate) fn checked_with_blob_ids(&self, detail: Detail) -> Result<(Checked, Vec<ObjectId>)> {
        let config = &self.repo.config;
        let null = ObjectId::null(gix::hash::Kind::Sha1);
        let loaded: Vec<(PlanFile, lint::Checked, Result<ObjectId>)> = match &self.blobs {
            None => self
                .repo
                .paths
                .par_iter()
                .map(|p| {
                    let mut oid = Ok(null);
                    let f = self.load_one(p, detail, |b| oid = crate::git::blob_id(b));
                    let c = lint::check_file(&f, config, self.today);
                    (f, c, oid)
                })
                .collect(),
            Some(blobs) => blobs
                .par_iter()
                .map(|(file, bytes)| {
                    let stem = load::stem_of(Path::new(file));
                    let f = load::parse_bytes(file.clone(), stem, bytes, config, detail);
                    let c = lint::check_file(&f, config, self.today);
                    (f, c, crate::git::blob_id(bytes))
                })
                .collect(),
        };
        let mut plans = Vec::with_capacity(loaded.len());
        let mut checked = Vec::with_capacity(loaded.len());
        let mut oids = Vec::with_capacity(loaded.len());
        for (f, c, oid) in loaded {
            plans.push(f);
            checked.push(c);
            oids.push(oid?);
        }
        let diags = self.finish(checked);
        Ok((Checked { plans, diags }, oids))
    }

    /// Every plan parsed at `detail` and checked, all kept in memory.
    pub fn checked(&self, detail: Detail) -> Checked {
        let (plans, checked): (Vec<PlanFile>, Vec<lint::Checked>) =
            self.check_each(detail, |f, c| (f, c)).into_iter().unzip();
        Checked {
            plans,
            diags: self.finish(checked),
        }
    }
}

/// A plan file in the object database, as `--versions` keys its parse:
/// (blob id, path, key of the book.toml it is read under).
pub(crate) type BlobKey = (ObjectId, String, u64);

/// Parses the plan files `keys` names from the object database, in
/// parallel, each under the configuration `configs` has for its key; the
/// plan's cache key is the key's. One result per key, in order: an error
/// when the blob cannot be read, `None` when its config is unknown.
pub(crate) fn parse_blobs(
    git: &Git,
    keys: &[BlobKey],
    configs: &std::collections::HashMap<u64, std::sync::Arc<Config>>,
) -> Result<Vec<Result<Option<PlanFile>>>> {
    let oids: Vec<ObjectId> = keys.iter().map(|k| k.0).collect();
    git.map_blobs(&oids, |i, bytes| {
        let key = keys.get(i)?;
        let config = configs.get(&key.2)?;
        let stem = load::stem_of(Path::new(&key.1));
        let mut plan = load::parse_bytes(key.1.clone(), stem, bytes, config, Detail::Full);
        plan.key = crate::site::key_of(key);
        Some(plan)
    })
}

/// Per-plan findings kept across checks, by the plan's cache key (which
/// covers its bytes, path and config): `--versions` checks a plan that is
/// the same in several tags once.
pub(crate) type FindingsCache =
    std::sync::Mutex<std::collections::HashMap<u64, Vec<crate::diag::Finding>>>;

/// [`check`] with per-plan findings taken from `cache` when the plan's key
/// is there; PLN002 and severities run each time.
pub(crate) fn check_cached<P: AsRef<PlanFile> + Sync>(
    plans: &[P],
    config: &Config,
    today: NaiveDate,
    cache: &FindingsCache,
) -> Vec<Diagnostic> {
    lint::lint_all_with(plans, config, |p| {
        crate::site::cached(cache, p.key, || {
            lint::check_plan(&p.plan, &p.findings, config, today)
        })
    })
}

/// Checks plans already in memory (`serve`, between edits): per-plan rules
/// in parallel, PLN002, severities; diagnostics sorted.
pub(crate) fn check<P: AsRef<PlanFile> + Sync>(
    plans: &[P],
    config: &Config,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    lint::lint_all(plans, config, today)
}
