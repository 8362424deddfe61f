//! `planbook status`: one line per plan — its state, the latest value
//! against the plan, the next milestone, overdue tasks and questions
//! answered — like `git status` for plans.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use codespan_reporting::term::termcolor::{
    Color as TermColor, ColorSpec, StandardStream, WriteColor,
};
use serde::Serialize;

use super::{Globals, color_choice, print_load_warnings};
use crate::i18n::Lang;
use crate::num::{fmt as num, round2};
use crate::pipeline::Run;
use crate::state::{Snapshot, State};
use crate::tr;

/// `planbook status --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum StatusFormat {
    Human,
    Json,
}

/// Prints every plan's state; exit code 0 whatever the states.
pub(crate) fn run(g: &Globals, format: StatusFormat) -> Result<u8> {
    let run = Run::open(&g.root, g.today).map_err(anyhow::Error::new)?;
    print_load_warnings(&run.repo);
    let snaps = run.snapshots();
    let lang = run.config().lang();
    match format {
        StatusFormat::Json => {
            let mut out = std::io::stdout().lock();
            let text = serde_json::to_string_pretty(&json_doc(&snaps, g.today))?;
            writeln!(out, "{text}")?;
            out.flush()?;
        }
        StatusFormat::Human => {
            let choice = color_choice(g.color, std::io::stdout().is_terminal());
            let mut w = StandardStream::stdout(choice);
            human(&mut w, &snaps, g.quiet, lang)?;
        }
    }
    Ok(0)
}

/// The JSON document of `status --format json` (docs/format.md).
#[derive(Serialize)]
pub(crate) struct StatusJson<'a> {
    version: u32,
    today: String,
    plans: Vec<PlanJson<'a>>,
    /// How many plans are in each state, every state named.
    summary: serde_json::Map<String, serde_json::Value>,
}

/// A plan's line of `status --format json`.
#[derive(Serialize)]
struct PlanJson<'a> {
    id: &'a str,
    title: &'a str,
    file: &'a str,
    state: &'static str,
    latest: Option<Point>,
    planned: Option<f64>,
    next_milestone: Option<NextJson<'a>>,
    overdue_tasks: usize,
    questions: Questions,
}

#[derive(Serialize)]
struct Point {
    date: String,
    value: f64,
}

#[derive(Serialize)]
struct NextJson<'a> {
    id: Option<&'a str>,
    title: Option<&'a str>,
    due: Option<String>,
    target: Option<f64>,
}

#[derive(Serialize)]
struct Questions {
    answered: usize,
    total: usize,
}

/// The JSON document of `status --format json`.
pub(crate) fn json_doc(snaps: &[Snapshot], today: chrono::NaiveDate) -> StatusJson<'_> {
    let mut summary = serde_json::Map::new();
    for s in [
        State::OnTrack,
        State::AtRisk,
        State::Behind,
        State::Done,
        State::Draft,
        State::Dropped,
        State::Invalid,
    ] {
        let n = snaps.iter().filter(|x| x.state == s).count();
        summary.insert(s.as_str().into(), n.into());
    }
    StatusJson {
        version: 1,
        today: today.to_string(),
        plans: snaps.iter().map(plan_json).collect(),
        summary,
    }
}

fn plan_json(s: &Snapshot) -> PlanJson<'_> {
    PlanJson {
        id: &s.id,
        title: &s.title,
        file: &s.file,
        state: s.state.as_str(),
        latest: s.latest.map(|(d, v)| Point {
            date: d.to_string(),
            value: v,
        }),
        planned: s.planned.map(round2),
        next_milestone: s.next.as_ref().map(|m| NextJson {
            id: m.id.as_deref(),
            title: m.title.as_deref(),
            due: m.due.map(|d| d.to_string()),
            target: m.target,
        }),
        overdue_tasks: s.overdue_tasks,
        questions: Questions {
            answered: s.questions.0,
            total: s.questions.1,
        },
    }
}

/// The colour a state is printed in.
fn color(state: State) -> ColorSpec {
    let mut spec = ColorSpec::new();
    match state {
        State::Invalid | State::Behind => spec.set_fg(Some(TermColor::Red)).set_bold(true),
        State::AtRisk => spec.set_fg(Some(TermColor::Yellow)).set_bold(true),
        State::OnTrack => spec.set_fg(Some(TermColor::Green)),
        State::Done => spec.set_fg(Some(TermColor::Cyan)),
        State::Draft | State::Dropped => spec.set_dimmed(true),
    };
    spec
}

/// The table: a header, one line per plan, then the counts.
fn human(w: &mut StandardStream, snaps: &[Snapshot], quiet: bool, lang: Lang) -> Result<()> {
    let rows: Vec<[String; 5]> = snaps.iter().map(|s| row(s, lang)).collect();
    let header = [
        tr!(lang, "計画", "PLAN"),
        tr!(lang, "最新 / 計画", "LATEST / PLANNED"),
        tr!(lang, "次のマイルストーン", "NEXT MILESTONE"),
        tr!(lang, "期限切れ", "OVERDUE"),
        tr!(lang, "問い", "QUESTIONS"),
    ];
    let state_w = State::ALL
        .iter()
        .map(|s| width(&state_word(*s, lang)))
        .max()
        .unwrap_or(8);
    let mut widths = header.clone().map(|h| width(&h));
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(width(cell));
        }
    }
    if snaps.is_empty() {
        writeln!(w, "{}", tr!(lang, "計画がありません", "no plans"))?;
        return Ok(());
    }
    let mut bold = ColorSpec::new();
    bold.set_bold(true);
    w.set_color(&bold)?;
    let title = tr!(lang, "状態", "STATE");
    write!(
        w,
        "{title}{}",
        " ".repeat(state_w.saturating_sub(width(&title)))
    )?;
    write_cells(w, &header, &widths)?;
    w.reset()?;
    writeln!(w)?;
    for (s, r) in snaps.iter().zip(&rows) {
        w.set_color(&color(s.state))?;
        let word = state_word(s.state, lang);
        write!(
            w,
            "{word}{}",
            " ".repeat(state_w.saturating_sub(width(&word)))
        )?;
        w.reset()?;
        write_cells(w, r, &widths)?;
        writeln!(w)?;
    }
    if !quiet {
        let counts: Vec<String> = State::ALL
            .iter()
            .filter_map(|st| {
                let n = snaps.iter().filter(|x| x.state == *st).count();
                let word = state_word(*st, lang);
                (n > 0).then(|| tr!(lang, "{word} {n} 件", "{n} {word}"))
            })
            .collect();
        writeln!(w)?;
        let (n, c) = (snaps.len(), counts.join(&tr!(lang, "、", ", ")));
        writeln!(w, "{}", tr!(lang, "{n} 件の計画: {c}", "{n} plan(s): {c}"))?;
    }
    w.flush()?;
    Ok(())
}

/// A state as the table shows it: its id in English (`on-track`, as in
/// the JSON), its label in Japanese (順調).
fn state_word(s: State, lang: Lang) -> std::borrow::Cow<'static, str> {
    match lang {
        Lang::Ja => crate::labels::label_for(lang, "state_", s.as_str()),
        Lang::En => s.as_str().into(),
    }
}

fn write_cells(w: &mut StandardStream, cells: &[String], widths: &[usize]) -> Result<()> {
    let last = cells.len().saturating_sub(1);
    for (i, (cell, width_)) in cells.iter().zip(widths).enumerate() {
        write!(w, "  {cell}")?;
        if i < last {
            write!(w, "{}", " ".repeat(width_.saturating_sub(width(cell))))?;
        }
    }
    Ok(())
}

/// Display width in terminal columns (CJK characters take two), as
/// codespan-reporting measures the lint output.
fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

fn row(s: &Snapshot, lang: Lang) -> [String; 5] {
    let unit = &s.unit;
    let latest = match (s.latest, s.planned) {
        (Some((_, v)), Some(p)) => format!("{}{unit} / {}{unit}", num(v), num(round2(p))),
        (Some((_, v)), None) => format!("{}{unit}", num(v)),
        (None, Some(p)) => format!("– / {}{unit}", num(round2(p))),
        (None, None) => "–".into(),
    };
    let next = match &s.next {
        Some(m) => {
            let id = m.id.as_deref().unwrap_or("?");
            let due = m.due.map(|d| format!(" {d}")).unwrap_or_default();
            let target = m
                .target
                .map(|t| format!(" → {}{unit}", num(t)))
                .unwrap_or_default();
            format!("{id}{due}{target}")
        }
        None => tr!(lang, "なし", "none"),
    };
    [
        s.id.clone(),
        latest,
        next,
        s.overdue_tasks.to_string(),
        format!("{}/{}", s.questions.0, s.questions.1),
    ]
}
