//! The commands: each a thin driver over the pipeline (`pipeline::Run`)
//! and one consumer — lint reporting, the site writer, versions, the
//! plan diff. Argument parsing and exit codes stay in `cli`.

pub(crate) mod build;
pub(crate) mod confidence;
pub(crate) mod diff;
pub(crate) mod lint;
pub(crate) mod measure;
pub(crate) mod milestone;
mod record;
pub(crate) mod report;
pub(crate) mod status;
pub(crate) mod task;

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use clap::ValueEnum;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::diag::{Diagnostic, Severity, Summary, render};
use crate::load::Repo;

/// The options every command takes (`--root`, `--today`, `--quiet`,
/// `--color`), resolved.
#[derive(Debug, Clone)]
pub(crate) struct Globals {
    pub root: PathBuf,
    pub today: NaiveDate,
    pub quiet: bool,
    pub color: Color,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

/// `planbook lint --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
    Github,
    Sarif,
    /// GitLab code quality (Code Climate JSON)
    Codequality,
}

/// `planbook diff --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    Human,
    Markdown,
    Json,
}

/// The skipped entries of the content directory, on stderr.
pub(crate) fn print_load_warnings(repo: &Repo) {
    for w in &repo.warnings {
        eprintln!("warning: {w}");
    }
}

/// `--color` and `NO_COLOR` for a stream that is or is not a terminal.
pub(crate) fn color_choice(color: Color, is_terminal: bool) -> ColorChoice {
    match color {
        Color::Always => ColorChoice::Always,
        Color::Never => ColorChoice::Never,
        Color::Auto => {
            if is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            }
        }
    }
}

/// Human diagnostics with source snippets (read again from disk for the
/// files that have findings). `quiet` leaves out infos.
pub(crate) fn print_human(
    w: &mut StandardStream,
    quiet: bool,
    repo: &Repo,
    diags: &[Diagnostic],
    summary: &Summary,
) -> Result<()> {
    let sources = render::read_sources(&repo.root, diags);
    let shown: Vec<Diagnostic> = diags
        .iter()
        .filter(|d| !quiet || d.severity != Severity::Info)
        .cloned()
        .collect();
    render::human(w, &shown, &sources, summary, repo.config.lang())?;
    Ok(())
}
