//! `planbook lint`: each plan checked as soon as it is parsed, only its
//! findings kept, then the report in the chosen format.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use codespan_reporting::term::termcolor::StandardStream;

use super::{Format, Globals};
use super::{color_choice, print_human, print_load_warnings};
use crate::diag::{Diagnostic, Summary, render};
use crate::load::{self, Detail, Repo};
use crate::pipeline::Run;

/// Lints the plans (all, or those under `paths`); exit code 1 on errors,
/// or on warnings with `deny_warnings`.
pub(crate) fn run(
    g: &Globals,
    paths: &[PathBuf],
    format: Format,
    deny_warnings: bool,
) -> Result<u8> {
    let run = Run::open(&g.root, g.today).map_err(anyhow::Error::new)?;
    print_load_warnings(&run.repo);
    // Each plan is checked as soon as it is parsed and only its findings
    // are kept: a lint of 10,000 plans never holds 10,000 models.
    let checked = run.check_each(Detail::Lint, |_, c| c);
    let linted = checked.len();
    let known: BTreeSet<&str> = checked.iter().map(crate::lint::Checked::file).collect();
    let selected = select(&run.repo, &known, paths)?;
    let drafts: Vec<String> = checked
        .iter()
        .filter(|c| c.status() == crate::model::PlanStatus::Draft)
        .map(|c| c.file().to_string())
        .filter(|f| selected.as_ref().is_none_or(|s| s.contains(f)))
        .collect();
    let all = run.finish(checked);
    let diags: Vec<Diagnostic> = match &selected {
        None => all,
        Some(files) => all
            .into_iter()
            .filter(|d| files.contains(&d.file))
            .collect(),
    };
    let plans = selected.as_ref().map_or(linted, |s| s.len());
    let summary = Summary::new(plans, &diags);
    let lang = run.config().lang();
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Human => {
            let mut w = StandardStream::stdout(color_choice(g.color, stdout.is_terminal()));
            print_human(&mut w, g.quiet, &run.repo, &diags, &summary)?;
            if !g.quiet && !drafts.is_empty() {
                let files = drafts.join(", ");
                writeln!(
                    w,
                    "{}",
                    crate::tr!(
                        lang,
                        "下書き: {files}。プレースホルダーを埋めたら `status: draft` を `status: active` にしてください（下書きのエラーは警告として出ています。active にすると状態が付き、ルールがすべて効きます）",
                        "draft: {files}. Fill in the placeholders, then change `status: draft` to `status: active` (a draft's errors show as warnings; an active plan gets a state and every rule applies)"
                    )
                )?;
            }
        }
        Format::Json => stdout.write_all(render::json(&diags, &summary).as_bytes())?,
        Format::Github => stdout.write_all(render::github(&diags).as_bytes())?,
        Format::Sarif => stdout.write_all(render::sarif(&diags, lang).as_bytes())?,
        Format::Codequality => stdout.write_all(render::codequality(&diags).as_bytes())?,
    }
    stdout.flush()?;
    // Freeing tens of thousands of small allocations one by one is wasted
    // work when the process is about to exit.
    std::mem::forget(run);
    let failed = summary.errors > 0 || (deny_warnings && summary.warnings > 0);
    Ok(u8::from(failed))
}

/// The root-relative names of the plan files selected by `paths` (relative to
/// the current directory), or `None` for all. Each path must be inside the
/// content directory.
fn select(repo: &Repo, known: &BTreeSet<&str>, paths: &[PathBuf]) -> Result<Option<Vec<String>>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let canonical = |p: &Path| {
        p.canonicalize()
            .with_context(|| format!("cannot read {}", p.display()))
    };
    let content = canonical(&repo.content_dir)?;
    let root = canonical(&repo.root)?;
    let mut files = Vec::new();
    for p in paths {
        let abs = p
            .canonicalize()
            .with_context(|| format!("{}: no such file or directory", p.display()))?;
        if !abs.starts_with(&content) {
            bail!(
                "{} is not inside the content directory {}",
                p.display(),
                repo.content_dir.display()
            );
        }
        let found: Vec<PathBuf> = if abs.is_dir() {
            load::plan_paths(&abs).map_err(anyhow::Error::new)?
        } else {
            vec![abs]
        };
        for f in found {
            files.push(load::rel_name(&root, &f));
        }
    }
    files.retain(|f| known.contains(f.as_str()));
    files.sort();
    files.dedup();
    Ok(Some(files))
}
