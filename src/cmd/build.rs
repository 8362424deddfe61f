//! `planbook build`: lint, then write the site (and, with `--versions`,
//! every tagged version) atomically.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use chrono::NaiveDate;
use codespan_reporting::term::termcolor::StandardStream;

use super::Globals;
use super::{color_choice, print_human, print_load_warnings};
use crate::diag::{Diagnostic, Summary};
use crate::load::{Detail, Repo};
use crate::pipeline::Run;
use crate::tr;

/// Builds the site into `out` (default: `[site] output`); exit code 1 when
/// the plans have lint errors (then nothing is written), unless
/// `allow_invalid`: then invalid plans are published in the `invalid`
/// state with their findings, and the exit code is 0.
pub(crate) fn run(
    g: &Globals,
    out: Option<&Path>,
    base_url: Option<&str>,
    versions: bool,
    allow_invalid: bool,
) -> Result<u8> {
    let run = Run::open(&g.root, g.today).map_err(anyhow::Error::new)?;
    print_load_warnings(&run.repo);
    let repo = &run.repo;
    let out = match out {
        Some(o) => o.to_path_buf(),
        None => repo.root.join(&repo.config.site.output),
    };
    check_output_dir(repo, &out)?;
    let opts = crate::site::BuildOptions {
        out: out.clone(),
        base_url: crate::site::normalize_base_url(base_url.unwrap_or(&repo.config.site.base_url)),
        today: g.today,
        build_date: source_date(),
        versioned: false,
        search: repo.config.search.enabled,
    };
    let plans = repo.paths.len();
    let mut err = StandardStream::stderr(color_choice(g.color, std::io::stderr().is_terminal()));
    let lang = repo.config.lang();
    // Prints the findings; true when they stop the build.
    let lint_errors = |err: &mut StandardStream, repo: &Repo, diags: &[Diagnostic]| {
        let summary = Summary::new(plans, diags);
        if !diags.is_empty() {
            print_human(err, g.quiet, repo, diags, &summary)?;
        }
        if summary.errors > 0 && allow_invalid {
            let n = crate::lint::by_plan(diags)
                .values()
                .filter(|d| d.iter().any(|d| d.severity == crate::diag::Severity::Error))
                .count();
            eprintln!(
                "{}",
                tr!(
                    lang,
                    "注意: エラーのある計画 {n} 件を「エラーあり」として公開します (--allow-invalid)",
                    "note: {n} plan(s) with lint errors published as invalid (--allow-invalid)"
                )
            );
        } else if summary.errors > 0 {
            eprintln!(
                "{}",
                tr!(
                    lang,
                    "エラー: 計画に lint エラーがあるため、何も書き出していません",
                    "error: the plans have lint errors; nothing was written"
                )
            );
        }
        anyhow::Ok(summary.errors > 0 && !allow_invalid)
    };
    if versions {
        // Every version's plans are kept in memory: they share work.
        match crate::versions::open(&repo.root, &repo.config) {
            Ok((git, tags)) => {
                let timer = crate::timing::Timer::start();
                let (checked, blobs) = run.checked_with_blob_ids(Detail::Full)?;
                timer.lap("latest: load and lint");
                if lint_errors(&mut err, &run.repo, &checked.diags)? {
                    return Ok(1);
                }
                let report =
                    crate::versions::build(&git, &tags, run.repo, checked, blobs, &opts, g.quiet)?;
                timer.lap("versions: freed");
                if !g.quiet {
                    let (tags, dir, files) = (
                        report.versions.saturating_sub(1),
                        out.display(),
                        report.files,
                    );
                    eprintln!(
                        "{}",
                        tr!(
                            lang,
                            "{plans} 件の計画とタグ付きの版 {tags} 件を {dir} に書き出しました（{files} ファイル）",
                            "built {plans} plans and {tags} tagged version(s) into {dir} ({files} files)"
                        )
                    );
                }
                return Ok(0);
            }
            Err(why) => eprintln!(
                "{}",
                tr!(
                    lang,
                    "注意: 版を作れません（{why}）。最新のサイトだけを書き出します",
                    "note: versions skipped: {why}; building the latest site only"
                )
            ),
        }
    }
    let files: Vec<String> = repo
        .paths
        .iter()
        .map(|p| crate::load::rel_name(&repo.root, p))
        .collect();
    let (histories, note) =
        crate::revision::working_tree_histories(&repo.root, &repo.config, &files);
    if let Some(note) = note {
        eprintln!("{}", tr!(lang, "注意: {note}", "note: {note}"));
    }
    let (diags, written) =
        crate::pipeline::stream::write_site(&run, histories.as_ref(), &opts, allow_invalid)?;
    if lint_errors(&mut err, &run.repo, &diags)? {
        return Ok(1);
    }
    if !g.quiet {
        let (files, dir) = (written.unwrap_or_default(), out.display());
        eprintln!(
            "{}",
            tr!(
                lang,
                "{plans} 件の計画を {dir} に書き出しました（{files} ファイル）",
                "built {plans} plans into {dir} ({files} files)"
            )
        );
    }
    Ok(0)
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) as a date, if set and valid.
fn source_date() -> Option<NaiveDate> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    chrono::DateTime::from_timestamp(secs, 0).map(|d| d.date_naive())
}

/// The output directory must not be (or contain) the repository root or the
/// content directory: swapping it would delete the plans.
pub(crate) fn check_output_dir(repo: &Repo, out: &Path) -> Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalize(&p)
    };
    let out = abs(out);
    let root = abs(&repo.root);
    let content = abs(&repo.content_dir);
    if root.starts_with(&out) || content.starts_with(&out) || out.starts_with(&content) {
        bail!(
            "refusing to write the site to {}: it would overlap the repository or its content directory; choose another --out",
            out.display()
        );
    }
    Ok(())
}

/// Removes `.` and `..` components without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
