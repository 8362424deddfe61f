//! The command line (docs/format.md, "Commands"): argument parsing and the commands' glue.
//! Exit codes: 0 ok, 1 lint errors (or warnings with --deny-warnings),
//! 2 usage, config or I/O errors.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::diag::{Diagnostic, Severity, Summary, render};
use crate::frontmatter::parse_date;
use crate::load::{self, Repo};
use crate::{lint, schema, template};

/// planbook: lint ML growth plans and build them into a static site.
#[derive(Debug, Parser)]
#[command(name = "planbook", version, about, long_about = None)]
pub struct Cli {
    /// The plan repository (where book.toml and content/ are)
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The date used as "today" by MIL010, TSK005 and charts (YYYY-MM-DD)
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_today, env = "PLANBOOK_TODAY")]
    pub today: Option<NaiveDate>,
    /// Print only findings and errors: no summary or progress lines
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// When to use colours (NO_COLOR in the environment means never for auto)
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
    /// GitLab code quality (Code Climate JSON)
    Codequality,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a plan repository: book.toml and one example plan that lints clean
    Init {
        /// Where to create it (default: the current directory)
        dir: Option<PathBuf>,
    },
    /// Write content/ID.md from a template, starting today
    New {
        /// The plan id: lowercase letters, digits and hyphens
        id: String,
    },
    /// Check plans against the workshop's rules
    Lint {
        /// Plan files or directories inside the content directory (default: all)
        paths: Vec<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit with 1 on warnings too
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Lint, then write the site to the output directory
    Build {
        #[arg(
            long,
            value_name = "DIR",
            help = "Output directory (default: [site] output)"
        )]
        out: Option<PathBuf>,
        #[arg(
            long,
            value_name = "URL",
            help = "Public URL prefix for absolute links (default: [site] base_url)"
        )]
        base_url: Option<String>,
        #[arg(
            long,
            help = "Also build every git tag matching [versions] tags under /v/TAG/"
        )]
        versions: bool,
    },
    /// Build, serve on 127.0.0.1:3000, rebuild on change, reload open pages
    Serve {
        /// Port to listen on (0: any free port)
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Address to listen on; anything but loopback is reachable by others
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(
            long,
            value_name = "URL",
            help = "Public URL prefix for absolute links (default: [site] base_url)"
        )]
        base_url: Option<String>,
        /// Poll the file system instead of using native file events
        #[arg(long)]
        poll: bool,
    },
    /// Print the JSON Schema of the plan frontmatter
    Schema,
    /// What changed in the plans between two git revisions, in plain words
    Diff {
        /// The old revision (default: the merge-base of HEAD with the default branch)
        base: Option<String>,
        /// The new revision (default: the working tree)
        head: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Markdown,
    Json,
}

fn parse_today(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).map_err(|_| format!("`{s}` is not a date: use YYYY-MM-DD"))
}

/// Runs the CLI and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs one command; `Ok(code)` for lint outcomes, `Err` for exit 2.
pub fn run(cli: &Cli) -> Result<u8> {
    let today = cli
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    match &cli.command {
        Command::Init { dir } => {
            let dir = dir.clone().unwrap_or_else(|| cli.root.clone());
            let written = template::init(&dir, today)?;
            if !cli.quiet {
                for f in written {
                    println!("created {}", f.display());
                }
            }
            Ok(0)
        }
        Command::New { id } => {
            let path = template::new_plan(&cli.root, id, today)?;
            if !cli.quiet {
                println!("created {}", path.display());
            }
            Ok(0)
        }
        Command::Lint {
            paths,
            format,
            deny_warnings,
        } => lint_cmd(cli, today, paths, *format, *deny_warnings),
        Command::Build {
            out,
            base_url,
            versions,
        } => build_cmd(cli, today, out.as_deref(), base_url.as_deref(), *versions),
        Command::Serve {
            port,
            bind,
            base_url,
            poll,
        } => {
            crate::serve::check_bind(bind)?;
            crate::serve::serve(crate::serve::ServeOptions {
                root: cli.root.clone(),
                today,
                base_url: base_url.clone(),
                bind: bind.clone(),
                port: *port,
                poll: *poll,
                quiet: cli.quiet,
            })?;
            Ok(0)
        }
        Command::Schema => {
            print!("{}", schema::json_schema());
            Ok(0)
        }
        Command::Diff { base, head, format } => {
            diff_cmd(cli, today, base.as_deref(), head.as_deref(), *format)
        }
    }
}

/// `planbook diff`: the semantic plan diff between two revisions.
fn diff_cmd(
    cli: &Cli,
    today: NaiveDate,
    base: Option<&str>,
    head: Option<&str>,
    format: DiffFormat,
) -> Result<u8> {
    use crate::diff::{Revision, Side};
    use crate::git::Git;
    let git = Git::open(&cli.root)
        .map_err(|e| anyhow::anyhow!("planbook diff needs git history: {e}"))?;
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
    let (old_plans, old_diags) = crate::revision::plans_at(&git, base_commit, &base_name, today)?;
    let (new_plans, new_diags, head_rev, lang) = match (head, head_commit) {
        (Some(rev), Some(commit)) => {
            let (p, d) = crate::revision::plans_at(&git, commit, rev, today)?;
            let lang = crate::config::Config::load(&cli.root)
                .map(|c| c.lang())
                .unwrap_or_default();
            let rev = Revision {
                rev: rev.to_string(),
                commit: Some(commit.to_string()),
            };
            (p, d, rev, lang)
        }
        _ => {
            let repo = load_repo(&cli.root, load::Detail::Lint)?;
            let diags = lint::lint_all(&repo.plans, &repo.config, today);
            let rev = Revision {
                rev: "working tree".into(),
                commit: None,
            };
            let lang = repo.config.lang();
            (repo.plans, diags, rev, lang)
        }
    };
    let base_rev = Revision {
        rev: base_name,
        commit: Some(base_commit.to_string()),
    };
    let d = crate::diff::diff(
        &Side::new(&old_plans, &old_diags),
        &Side::new(&new_plans, &new_diags),
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

fn load_repo(root: &Path, detail: load::Detail) -> Result<Repo> {
    let repo = load::load(root, detail).map_err(anyhow::Error::new)?;
    print_load_warnings(&repo);
    Ok(repo)
}

fn print_load_warnings(repo: &Repo) {
    for w in &repo.warnings {
        eprintln!("warning: {w}");
    }
}

fn color_choice(color: Color, is_terminal: bool) -> ColorChoice {
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

fn lint_cmd(
    cli: &Cli,
    today: NaiveDate,
    paths: &[PathBuf],
    format: Format,
    deny_warnings: bool,
) -> Result<u8> {
    // Each plan is checked as soon as it is parsed and only its findings
    // are kept: a lint of 10,000 plans never holds 10,000 models.
    let (repo, checked) = load::load_map(&cli.root, load::Detail::Lint, |f, config| {
        lint::check_file(&f, config, today)
    })
    .map_err(anyhow::Error::new)?;
    print_load_warnings(&repo);
    let linted = checked.len();
    let known: BTreeSet<&str> = checked.iter().map(lint::Checked::file).collect();
    let selected = select(&repo, &known, paths)?;
    let all = lint::finish(checked, &repo.config);
    let diags: Vec<Diagnostic> = match &selected {
        None => all,
        Some(files) => all
            .into_iter()
            .filter(|d| files.contains(&d.file))
            .collect(),
    };
    let plans = selected.as_ref().map_or(linted, |s| s.len());
    let summary = Summary::new(plans, &diags);
    let lang = repo.config.lang();
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Human => {
            let mut w = StandardStream::stdout(color_choice(cli.color, stdout.is_terminal()));
            print_human(&mut w, cli.quiet, &repo, &diags, &summary)?;
        }
        Format::Json => stdout.write_all(render::json(&diags, &summary).as_bytes())?,
        Format::Github => stdout.write_all(render::github(&diags).as_bytes())?,
        Format::Sarif => stdout.write_all(render::sarif(&diags, lang).as_bytes())?,
        Format::Codequality => stdout.write_all(render::codequality(&diags).as_bytes())?,
    }
    stdout.flush()?;
    // Freeing tens of thousands of small allocations one by one is wasted
    // work when the process is about to exit.
    std::mem::forget(repo);
    let failed = summary.errors > 0 || (deny_warnings && summary.warnings > 0);
    Ok(u8::from(failed))
}

/// Human diagnostics with source snippets (read again from disk for the
/// files that have findings). `--quiet` leaves out infos.
fn print_human(
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

/// `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) as a date, if set and valid.
fn source_date() -> Option<NaiveDate> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    chrono::DateTime::from_timestamp(secs, 0).map(|d| d.date_naive())
}

fn build_cmd(
    cli: &Cli,
    today: NaiveDate,
    out: Option<&Path>,
    base_url: Option<&str>,
    versions: bool,
) -> Result<u8> {
    let repo = load::open(&cli.root).map_err(anyhow::Error::new)?;
    print_load_warnings(&repo);
    let out = match out {
        Some(o) => o.to_path_buf(),
        None => repo.root.join(&repo.config.site.output),
    };
    crate::build::check_output_dir(&repo, &out)?;
    let opts = crate::site::BuildOptions {
        out: out.clone(),
        base_url: crate::site::normalize_base_url(base_url.unwrap_or(&repo.config.site.base_url)),
        today,
        build_date: source_date(),
        versioned: false,
    };
    let plans = repo.paths.len();
    let mut err = StandardStream::stderr(color_choice(cli.color, std::io::stderr().is_terminal()));
    let lint_errors = |err: &mut StandardStream, repo: &Repo, diags: &[Diagnostic]| {
        let summary = Summary::new(plans, diags);
        if !diags.is_empty() {
            print_human(err, cli.quiet, repo, diags, &summary)?;
        }
        if summary.errors > 0 {
            eprintln!("error: the plans have lint errors; nothing was written");
        }
        anyhow::Ok(summary.errors > 0)
    };
    if versions {
        // Every version's plans are kept in memory: they share work.
        match crate::versions::open(&repo.root, &repo.config) {
            Ok((git, tags)) => {
                let mut repo = repo;
                repo.plans = repo.map_plans(load::Detail::Full, |f, _| f);
                let diags = lint::lint_all(&repo.plans, &repo.config, today);
                if lint_errors(&mut err, &repo, &diags)? {
                    return Ok(1);
                }
                let report = crate::versions::build(&git, &tags, repo, diags, &opts, cli.quiet)?;
                if !cli.quiet {
                    eprintln!(
                        "built {plans} plans and {} tagged version(s) into {} ({} files)",
                        report.versions.saturating_sub(1),
                        out.display(),
                        report.files
                    );
                }
                return Ok(0);
            }
            Err(why) => eprintln!("note: versions skipped: {why}; building the latest site only"),
        }
    }
    let files: Vec<String> = repo
        .paths
        .iter()
        .map(|p| load::rel_name(&repo.root, p))
        .collect();
    let (histories, note) =
        crate::revision::working_tree_histories(&repo.root, &repo.config, &files);
    if let Some(note) = note {
        eprintln!("note: {note}");
    }
    let (diags, written) = crate::build::write_site(&repo, histories.as_ref(), &opts)?;
    if lint_errors(&mut err, &repo, &diags)? {
        return Ok(1);
    }
    if !cli.quiet {
        let files = written.unwrap_or_default();
        eprintln!("built {plans} plans into {} ({files} files)", out.display());
    }
    Ok(0)
}

/// The root-relative names of the plan files selected by `paths` (relative to
/// the current directory), or `None` for all. Each path must be inside the
/// content directory.
fn select(repo: &Repo, known: &BTreeSet<&str>, paths: &[PathBuf]) -> Result<Option<Vec<String>>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let content = repo
        .content_dir
        .canonicalize()
        .with_context(|| format!("cannot read {}", repo.content_dir.display()))?;
    let root = repo
        .root
        .canonicalize()
        .with_context(|| format!("cannot read {}", repo.root.display()))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
