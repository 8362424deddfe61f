//! `planbook diff`: the semantic plan diff between two revisions (or a
//! revision and the working tree), each side a run of the pipeline.

use std::io::Write;

use anyhow::{Context, Result};

use super::{DiffFormat, Globals};
use crate::diff::{Revision, Side};
use crate::git::Git;
use crate::load::Detail;
use crate::pipeline::Run;

/// Prints what changed from `base` (default: the merge-base of HEAD with
/// the default branch) to `head` (default: the working tree).
pub(crate) fn run(
    g: &Globals,
    base: Option<&str>,
    head: Option<&str>,
    format: DiffFormat,
) -> Result<u8> {
    let git =
        Git::open(&g.root).map_err(|e| anyhow::anyhow!("planbook diff needs git history: {e}"))?;
    let head_commit = match head {
        Some(rev) => Some(git.resolve(rev)?),
        None => None,
    };
    let (base_name, base_commit) = match base {
        Some(rev) => (rev.to_string(), git.resolve(rev)?),
        None => {
            let tip = match head_commit {
                Some(c) => c,
                None => git
                    .head()
                    .context("the repository has no commits yet: pass BASE")?,
            };
            let (name, branch) = git
                .first_ref(&[
                    "origin/HEAD",
                    "origin/main",
                    "origin/master",
                    "main",
                    "master",
                ])
                .context("cannot tell the default branch: pass BASE (e.g. origin/main)")?;
            let mb = git
                .merge_base(tip, branch)
                .with_context(|| format!("HEAD and {name} have no common ancestor: pass BASE"))?;
            (format!("merge-base with {name}"), mb)
        }
    };
    let old = Run::at_revision(&git, base_commit, &base_name, g.today)?.checked(Detail::Lint);
    let (new, head_rev, lang) = match (head, head_commit) {
        (Some(rev), Some(commit)) => {
            let new = Run::at_revision(&git, commit, rev, g.today)?.checked(Detail::Lint);
            let lang = crate::config::Config::load(&g.root)
                .map(|c| c.lang())
                .unwrap_or_default();
            let rev = Revision {
                rev: rev.to_string(),
                commit: Some(commit.to_string()),
            };
            (new, rev, lang)
        }
        _ => {
            let run = Run::open(&g.root, g.today).map_err(anyhow::Error::new)?;
            super::print_load_warnings(&run.repo);
            let rev = Revision {
                rev: "working tree".into(),
                commit: None,
            };
            (run.checked(Detail::Lint), rev, run.config().lang())
        }
    };
    let base_rev = Revision {
        rev: base_name,
        commit: Some(base_commit.to_string()),
    };
    let d = crate::diff::diff(
        &Side::new(&old.plans, &old.diags),
        &Side::new(&new.plans, &new.diags),
    );
    let text = match format {
        DiffFormat::Human => d.human(&base_rev, &head_rev, lang),
        DiffFormat::Markdown => d.markdown(&base_rev, &head_rev, lang),
        DiffFormat::Json => d.json(&base_rev, &head_rev, lang),
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(0)
}
