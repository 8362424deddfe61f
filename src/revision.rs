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
pub(crate) fn content_dir_name(config: &Config) -> String {
    config
        .site
        .content
        .trim_start_matches("./")
        .trim_end_matches('/')
        .to_string()
}

/// The git history of each plan file of the working tree (as of HEAD), and
/// a note when it had to be left out. `None` outside a git repository.
pub(crate) fn working_tree_histories(
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

/// A revision as read from the object database, before any plan is
/// parsed: the one way planbook opens a git revision (`Run::at_revision`
/// for `diff` and `report`, each tag of `--versions`).
pub(crate) struct Tree {
    pub config: Config,
    /// The bytes of its book.toml (empty without one).
    pub config_text: Vec<u8>,
    /// The content directory's name.
    pub dir: String,
    /// Its plan files (path, blob id); `None` when the revision has no
    /// content directory.
    pub files: Option<Vec<(String, ObjectId)>>,
    /// `index.md` of the content directory.
    pub index_page: Option<String>,
    /// What was left out (an `index.md` that is not UTF-8), for the terminal.
    pub warnings: Vec<String>,
}

/// Opens `commit`; `name` says which revision in messages.
pub(crate) fn open_tree(git: &Git, commit: ObjectId, name: &str) -> Result<Tree> {
    let (config, config_text) = config_at(git, commit, name)?;
    let dir = content_dir_name(&config);
    let mut warnings = Vec::new();
    let (files, index_page) = if git.is_dir(commit, &dir)? {
        let files = plan_files_at(git, commit, &dir)?
            .into_iter()
            .map(|f| (f.path, f.oid))
            .collect();
        let index_name = format!("{dir}/index.md");
        let index_page = git.read(commit, &index_name)?.and_then(|b| {
            crate::load::index_text(&format!("{name}:{index_name}"), b, &mut warnings)
        });
        (Some(files), index_page)
    } else {
        (None, None)
    };
    Ok(Tree {
        config,
        config_text,
        dir,
        files,
        index_page,
        warnings,
    })
}

/// The configuration of `commit` (defaults without a book.toml) and the
/// text it was read from; `name` says which revision in messages.
fn config_at(git: &Git, commit: ObjectId, name: &str) -> Result<(Config, Vec<u8>)> {
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
fn plan_files_at(git: &Git, commit: ObjectId, dir: &str) -> Result<Vec<crate::git::TreeFile>> {
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
