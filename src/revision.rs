//! Plans from a git revision: the configuration and plan files of a commit
//! read from the object database (never checked out), parsed and linted;
//! and the git history of each plan file of the working tree. Used by
//! `build` (`section.history`), `build --versions`, `serve` and `diff`.

use std::path::Path;

use anyhow::Result;
use chrono::NaiveDate;
use gix::ObjectId;
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::git::{Git, Unavailable};
use crate::load::{self, Detail, PlanFile};
use crate::site::Histories;

/// The content directory as a root-relative git path: `content`.
pub fn content_dir_name(config: &Config) -> String {
    config
        .site
        .content
        .trim_start_matches("./")
        .trim_end_matches('/')
        .to_string()
}

/// The git history of each plan file of the working tree (as of HEAD), and
/// a note when it had to be left out. `None` outside a git repository.
pub fn working_tree_histories(
    root: &Path,
    config: &Config,
    files: &[String],
) -> (Option<Histories>, Option<String>) {
    let git = match Git::open(root) {
        Ok(g) => g,
        Err(Unavailable::Shallow) => {
            return (
                None,
                Some(format!("plan history left out: {}", Unavailable::Shallow)),
            );
        }
        Err(_) => return (None, None),
    };
    match head_histories(&git, config, files) {
        Ok(h) => (Some(h), None),
        Err(e) => (None, Some(format!("plan history left out: {e:#}"))),
    }
}

/// The history of each plan file as of HEAD (none yet without commits).
pub(crate) fn head_histories(git: &Git, config: &Config, files: &[String]) -> Result<Histories> {
    match git.head() {
        Some(head) => git.histories(head, &content_dir_name(config), files),
        None => Ok(Histories::new()),
    }
}

/// The configuration of `commit` (defaults without a book.toml) and the
/// text it was read from; `name` says which revision in messages.
pub(crate) fn config_at(git: &Git, commit: ObjectId, name: &str) -> Result<(Config, Vec<u8>)> {
    let text = git.read(commit, "book.toml")?.unwrap_or_default();
    if text.is_empty() {
        return Ok((Config::default(), text));
    }
    let config = Config::parse(
        &String::from_utf8_lossy(&text),
        &format!("book.toml at {name}"),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((config, text))
}

/// The plan files of `commit` under the content directory `dir`, with the
/// file-system loader's rules: `.md`, not `_draft.md`, not hidden, not the
/// top-level `index.md`; symbolic links are not followed.
pub(crate) fn plan_files_at(
    git: &Git,
    commit: ObjectId,
    dir: &str,
) -> Result<Vec<crate::git::TreeFile>> {
    let prefix = format!("{dir}/");
    Ok(git
        .files_under(commit, dir)?
        .into_iter()
        .filter(|f| {
            let rel = f.path.strip_prefix(&prefix).unwrap_or(&f.path);
            let name = rel.rsplit('/').next().unwrap_or(rel);
            name.ends_with(".md") && !name.starts_with('_') && rel != "index.md" && !f.is_link
        })
        .collect())
}

/// The plans of a commit, parsed (model only) and linted at `today`: one
/// side of `planbook diff`. Errors if the commit has no content directory.
pub fn plans_at(
    git: &Git,
    commit: ObjectId,
    name: &str,
    today: NaiveDate,
) -> Result<(Vec<PlanFile>, Vec<Diagnostic>)> {
    let (config, _) = config_at(git, commit, name)?;
    let dir = content_dir_name(&config);
    if !git.is_dir(commit, &dir)? {
        anyhow::bail!("{name} has no {dir}/ directory");
    }
    let files = plan_files_at(git, commit, &dir)?;
    let mut blobs = Vec::with_capacity(files.len());
    for f in files {
        let bytes = git.blob(f.oid)?;
        blobs.push((f.path, bytes));
    }
    let plans: Vec<PlanFile> = blobs
        .par_iter()
        .map(|(file, bytes)| {
            let stem = load::stem_of(Path::new(file));
            load::parse_bytes(file.clone(), stem, bytes, &config, Detail::Lint)
        })
        .collect();
    let diags = crate::lint::lint_all(&plans, &config, today);
    Ok((plans, diags))
}
