//! A git revision as input: the configuration and plan files of a commit
//! read from the object database (never checked out), and the git history
//! of each plan file of the working tree. Used by the pipeline
//! (`Run::at_revision`: `diff`, `report`), `build` (`section.history`),
//! `build --versions` and `serve`.

use std::path::Path;

use anyhow::Result;
use gix::ObjectId;

use crate::config::Config;
use crate::git::Histories;
use crate::git::{Git, Unavailable};

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
        Err(Unavailable::NotARepo) => return (None, None),
        Err(why) => return (None, Some(format!("plan history left out: {why}"))),
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
