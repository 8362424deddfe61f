//! The command line (docs/format.md, "Commands"): argument parsing and
//! dispatch to the commands' drivers (`cmd/`).
//! Exit codes: 0 ok, 1 lint errors (or warnings with --deny-warnings),
//! 2 usage, config or I/O errors.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::cmd::{Color, DiffFormat, Format, Globals};
use crate::frontmatter::parse_date;
use crate::{schema, template};

/// `planbook --version`: the version, the commit and the target it was
/// built for (stamped by `build.rs`).
pub(crate) const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("PLANBOOK_COMMIT"),
    " ",
    env!("PLANBOOK_TARGET"),
    ")"
);

/// planbook: lint ML growth plans and build them into a static site.
#[derive(Debug, Parser)]
#[command(name = "planbook", version = VERSION, about, long_about = None)]
pub(crate) struct Cli {
    /// The plan repository (where book.toml and content/ are)
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The date used as "today": plan states, MIL010, TSK005, charts, the check page (YYYY-MM-DD)
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

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
        #[arg(
            long,
            help = "Publish invalid plans as `invalid` (a card and a page listing their errors) and exit 0, instead of writing nothing"
        )]
        allow_invalid: bool,
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
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `planbook man > planbook.1`
    Man,
    /// One line per plan: its state, latest value vs planned, next milestone, overdue tasks, questions answered
    Status {
        /// Output format
        #[arg(long, value_enum, default_value_t = crate::cmd::status::StatusFormat::Human)]
        format: crate::cmd::status::StatusFormat,
    },
    /// The progress report for a period: for the weekly check or the executive report
    Report {
        /// The period's start, excluded: YYYY-MM-DD, or last-executive (each plan's latest executive date before --until) [default: 7 days before --until]
        #[arg(long, value_name = "DATE|last-executive", value_parser = crate::cmd::report::parse_since)]
        since: Option<crate::cmd::report::Since>,
        /// The period's end, included [default: --today]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
        until: Option<NaiveDate>,
        /// Only this plan (repeatable)
        #[arg(long = "plan", value_name = "ID")]
        plans: Vec<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = crate::cmd::report::ReportFormat::Markdown)]
        format: crate::cmd::report::ReportFormat,
    },
    /// Record a reading of the metric in a plan file, in place (the rest of the file kept byte for byte)
    Measure {
        /// The plan: its id, or the path of its file
        plan: String,
        /// The value: 1.62, 1.62% or full-width digits, in the metric's unit
        #[arg(allow_hyphen_values = true, required_unless_present = "from")]
        value: Option<String>,
        /// Import every `date,value` row of a CSV file not recorded yet (`-`: standard input)
        #[arg(long, value_name = "FILE.csv", conflicts_with_all = ["value", "date"])]
        from: Option<PathBuf>,
        /// The day it was measured [default: --today]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
        date: Option<NaiveDate>,
        /// Overwrite the measurement already recorded on that date
        #[arg(long)]
        replace: bool,
        /// Print the change as a unified diff and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Set a task's status (done with its done_on, dropped with a note) in a plan file, in place
    Task {
        /// The plan: its id, or the path of its file
        plan: String,
        /// todo, doing, done or dropped
        #[arg(value_parser = parse_task_status)]
        status: crate::model::TaskStatus,
        /// Words of the task's `do` (any case); the one task that has them
        text: Option<String>,
        /// Only tasks of this milestone
        #[arg(long, value_name = "ID")]
        milestone: Option<String>,
        /// Only tasks of this role
        #[arg(long, value_name = "ROLE")]
        role: Option<String>,
        /// The day it was done [default: --today]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
        on: Option<NaiveDate>,
        /// A note: why it was dropped, or a remark
        #[arg(long)]
        note: Option<String>,
        /// Print the change as a unified diff and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Set a milestone's status (start, done, missed) with done_on and actual, in place
    Milestone {
        /// The plan: its id, or the path of its file
        plan: String,
        /// The milestone's id
        id: String,
        /// What happened
        #[arg(value_enum)]
        event: crate::cmd::milestone::Event,
        /// The measured value [default: the latest measurement]
        #[arg(long, allow_hyphen_values = true)]
        actual: Option<String>,
        /// The day it ended [default: --today]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
        on: Option<NaiveDate>,
        /// Print the change as a unified diff and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Set the ICE confidence and the evidence that earned it, in place
    Confidence {
        /// The plan: its id, or the path of its file
        plan: String,
        /// The confidence (0.01–10; capped by the evidence, ICE003)
        value: String,
        /// The kind of evidence: a key of [lint.confidence_caps]
        #[arg(long)]
        evidence: String,
        /// Print the change as a unified diff and change nothing
        #[arg(long)]
        dry_run: bool,
    },
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

fn parse_task_status(s: &str) -> Result<crate::model::TaskStatus, String> {
    crate::model::TaskStatus::parse(s)
        .ok_or_else(|| format!("`{s}` is not a task status: todo, doing, done or dropped"))
}

fn parse_today(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).map_err(|_| format!("`{s}` is not a date: use YYYY-MM-DD"))
}

/// Runs the CLI and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        // `planbook man | head`: the reader went away; nothing to report.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs one command; `Ok(code)` for lint outcomes, `Err` for exit 2.
pub(crate) fn run(cli: &Cli) -> Result<u8> {
    let today = cli
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let g = Globals {
        root: cli.root.clone(),
        today,
        quiet: cli.quiet,
        color: cli.color,
    };
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
        } => crate::cmd::lint::run(&g, paths, *format, *deny_warnings),
        Command::Build {
            out,
            base_url,
            versions,
            allow_invalid,
        } => crate::cmd::build::run(
            &g,
            out.as_deref(),
            base_url.as_deref(),
            *versions,
            *allow_invalid,
        ),
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
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "planbook", &mut std::io::stdout());
            Ok(0)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
            Ok(0)
        }
        Command::Schema => {
            print!("{}", schema::json_schema());
            Ok(0)
        }
        Command::Status { format } => crate::cmd::status::run(&g, *format),
        Command::Report {
            since,
            until,
            plans,
            format,
        } => crate::cmd::report::run(
            &g,
            &crate::cmd::report::Options {
                since: *since,
                until: *until,
                plans,
                format: *format,
            },
        ),
        Command::Measure {
            plan,
            value,
            from,
            date,
            replace,
            dry_run,
        } => crate::cmd::measure::run(
            &g,
            &crate::cmd::measure::Options {
                plan,
                value: value.as_deref(),
                from: from.as_deref(),
                date: *date,
                replace: *replace,
                dry_run: *dry_run,
            },
        ),
        Command::Task {
            plan,
            status,
            text,
            milestone,
            role,
            on,
            note,
            dry_run,
        } => crate::cmd::task::run(
            &g,
            &crate::cmd::task::Options {
                plan,
                status: *status,
                text: text.as_deref(),
                milestone: milestone.as_deref(),
                role: role.as_deref(),
                on: *on,
                note: note.as_deref(),
                dry_run: *dry_run,
            },
        ),
        Command::Milestone {
            plan,
            id,
            event,
            actual,
            on,
            dry_run,
        } => crate::cmd::milestone::run(
            &g,
            &crate::cmd::milestone::Options {
                plan,
                id,
                event: *event,
                actual: actual.as_deref(),
                on: *on,
                dry_run: *dry_run,
            },
        ),
        Command::Confidence {
            plan,
            value,
            evidence,
            dry_run,
        } => crate::cmd::confidence::run(
            &g,
            &crate::cmd::confidence::Options {
                plan,
                value,
                evidence,
                dry_run: *dry_run,
            },
        ),
        Command::Diff { base, head, format } => {
            crate::cmd::diff::run(&g, base.as_deref(), head.as_deref(), *format)
        }
    }
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
