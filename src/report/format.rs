//! `planbook report` as JSON and as markdown (the HTML page is a theme
//! template, `report.html`, rendered by the site).

use std::fmt::Write as _;

use serde::Serialize;

use super::{Period, PlanReport};
use crate::i18n::Lang;
use crate::labels::{evidence, label_for, long_date};
use crate::model::{Milestone, Task};
use crate::num::{fmt as num, round2};
use crate::state::{self, Due};
use crate::tr;

/// A value on a date: a measurement, the KPI at the period's ends.
#[derive(Serialize)]
struct Point {
    date: String,
    value: f64,
}

impl Point {
    fn of((d, v): (chrono::NaiveDate, f64)) -> Point {
        Point {
            date: d.to_string(),
            value: v,
        }
    }
}

/// A task that is due or overdue.
#[derive(Serialize)]
struct TaskJson<'a> {
    milestone: Option<&'a str>,
    role: Option<&'a str>,
    owner: Option<&'a str>,
    task: Option<&'a str>,
    due: Option<String>,
    status: &'static str,
}

fn task_json<'a>(r: &PlanReport<'a>, (m, t): &Due<'a>) -> TaskJson<'a> {
    TaskJson {
        milestone: m.id_text(),
        role: t.role.text(),
        owner: state::owner(r.plan, t),
        task: t.do_.text(),
        due: t.due.copied().map(|d| d.to_string()),
        status: t.status().as_str(),
    }
}

/// One plan's entry of the JSON document (docs/format.md, "report").
#[derive(Serialize)]
pub(crate) struct PlanJson<'a> {
    id: &'a str,
    title: &'a str,
    file: &'a str,
    state: &'static str,
    since: String,
    until: String,
    kpi: KpiJson<'a>,
    confidence: ConfidenceJson<'a>,
    measurements: Vec<Point>,
    milestones_finished: Vec<FinishedJson<'a>>,
    updates: Vec<UpdateJson<'a>>,
    tasks_done: Option<Vec<DoneJson<'a>>>,
    tasks_overdue: Vec<TaskJson<'a>>,
    tasks_due_next: Vec<TaskJson<'a>>,
    findings: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
struct KpiJson<'a> {
    baseline: Option<f64>,
    from: Option<Point>,
    to: Option<Point>,
    planned: Option<f64>,
    target: Option<&'a super::Target>,
}

#[derive(Serialize)]
struct ConfidenceJson<'a> {
    before: Option<&'a super::Confidence>,
    now: Option<&'a super::Confidence>,
}

#[derive(Serialize)]
struct FinishedJson<'a> {
    id: Option<&'a str>,
    title: Option<&'a str>,
    status: &'static str,
    done_on: String,
    target: Option<f64>,
    actual: Option<f64>,
    answers: Vec<AnswerJson<'a>>,
}

#[derive(Serialize)]
struct AnswerJson<'a> {
    question: &'a str,
    id: Option<&'a str>,
    verdict: &'static str,
    finding: Option<&'a str>,
    data: Option<&'a str>,
}

#[derive(Serialize)]
struct UpdateJson<'a> {
    date: Option<String>,
    milestone: Option<&'a str>,
    answered: Option<&'a str>,
    story: Option<&'a str>,
    business_model: Option<&'a str>,
}

#[derive(Serialize)]
struct DoneJson<'a> {
    milestone: &'a str,
    role: Option<&'a str>,
    owner: Option<&'a str>,
    task: &'a str,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    rule: &'a str,
    severity: &'static str,
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

/// One plan's entry of the JSON document.
pub(crate) fn plan_json<'a>(r: &'a PlanReport<'a>) -> PlanJson<'a> {
    let p = r.plan;
    PlanJson {
        id: &p.id,
        title: p.title_text(),
        file: &p.file,
        state: r.state.as_str(),
        since: r.period.since.to_string(),
        until: r.period.until.to_string(),
        kpi: KpiJson {
            baseline: r.baseline,
            from: r.kpi_from.map(Point::of),
            to: r.kpi_to.map(Point::of),
            planned: r.planned.map(round2),
            target: r.target.as_ref(),
        },
        confidence: ConfidenceJson {
            before: r.confidence_before.as_ref(),
            now: r.confidence.as_ref(),
        },
        measurements: r.measurements.iter().copied().map(Point::of).collect(),
        milestones_finished: r
            .finished
            .iter()
            .map(|f| FinishedJson {
                id: f.milestone.id_text(),
                title: f.milestone.title.text(),
                status: f.milestone.status().as_str(),
                done_on: f.done_on.to_string(),
                target: f.milestone.target.copied(),
                actual: f.milestone.actual.copied(),
                answers: f
                    .answers
                    .iter()
                    .map(|e| AnswerJson {
                        question: e.question.ask_text(),
                        id: e.question.id.text(),
                        verdict: e.state.as_str(),
                        finding: e.finding,
                        data: e.data,
                    })
                    .collect(),
            })
            .collect(),
        updates: r
            .updates
            .iter()
            .map(|u| UpdateJson {
                date: u.date.copied().map(|d| d.to_string()),
                milestone: u.milestone.text(),
                answered: u.answered.text(),
                story: u.story.text(),
                business_model: u.business_model.text(),
            })
            .collect(),
        tasks_done: r.tasks_done.as_ref().map(|done| {
            done.iter()
                .map(|t| DoneJson {
                    milestone: &t.milestone,
                    role: t.role.as_deref(),
                    owner: super::done_owner(p, t),
                    task: &t.task,
                })
                .collect()
        }),
        tasks_overdue: r.overdue.iter().map(|d| task_json(r, d)).collect(),
        tasks_due_next: r.due_next.iter().map(|d| task_json(r, d)).collect(),
        findings: r
            .findings
            .iter()
            .map(|d| FindingJson {
                rule: d.rule,
                severity: d.severity.as_str(),
                file: &d.file,
                line: d.line,
                column: d.column,
                message: &d.message,
            })
            .collect(),
    }
}

/// The JSON document of `planbook report --format json` (docs/format.md).
#[derive(Serialize)]
pub(crate) struct ReportJson<'a> {
    version: u32,
    /// The date asked for, or `last-executive`.
    since: &'a str,
    until: String,
    git: bool,
    plans: Vec<PlanJson<'a>>,
}

/// The JSON document: `since` is the date asked for, or `last-executive`.
pub(crate) fn json_doc<'a>(
    reports: &'a [PlanReport<'a>],
    since: &'a str,
    until: chrono::NaiveDate,
    git: bool,
) -> ReportJson<'a> {
    ReportJson {
        version: 1,
        since,
        until: until.to_string(),
        git,
        plans: reports.iter().map(plan_json).collect(),
    }
}

/// " (x)" in English, "（x）" in Japanese.
fn paren(lang: Lang, x: &str) -> String {
    tr!(lang, "（{x}）", " ({x})")
}

/// The KPI for management: baseline → the value at the period's start →
/// now → the target, with the planned value now.
fn kpi_line(r: &PlanReport<'_>, lang: Lang) -> String {
    let unit = r.plan.unit();
    let value = |v: f64| format!("{}{unit}", num(v));
    let mut parts = Vec::new();
    if let Some(b) = r.baseline {
        parts.push(format!("{} {}", tr!(lang, "開始時", "baseline"), value(b)));
    }
    if let Some((d, v)) = r.kpi_from {
        parts.push(format!("{}{}", value(v), paren(lang, &long_date(lang, d))));
    }
    match r.kpi_to {
        Some((d, v)) if Some((d, v)) != r.kpi_from => parts.push(format!(
            "{} **{}**{}",
            tr!(lang, "現在", "now"),
            value(v),
            paren(lang, &long_date(lang, d))
        )),
        Some(_) => {}
        None => parts.push(format!("{} –", tr!(lang, "現在", "now"))),
    }
    if let Some(t) = &r.target {
        parts.push(format!(
            "{} {} {}",
            tr!(lang, "目標", "target"),
            t.milestone,
            value(t.value)
        ));
    }
    let mut line = parts.join(" → ");
    if let Some(p) = r.planned {
        let p = value(round2(p));
        line.push_str(&tr!(lang, "（現在の計画値 {p}）", " (planned now: {p})"));
    }
    line
}

/// Confidence before → now, each with its evidence; `None` without one.
fn confidence_line(r: &PlanReport<'_>, lang: Lang) -> Option<String> {
    let one = |c: &super::Confidence| match &c.evidence {
        Some(e) => {
            let (v, e) = (num(c.value), evidence(lang, e));
            tr!(lang, "{v}（{e}）", "{v} ({e})")
        }
        None => num(c.value),
    };
    let now = r.confidence.as_ref()?;
    Some(match &r.confidence_before {
        Some(before) if before != now => format!("{} → **{}**", one(before), one(now)),
        _ => one(now),
    })
}

fn task_line(r: &PlanReport<'_>, m: &Milestone, t: &Task, lang: Lang) -> String {
    let who = state::owner(r.plan, t).or(t.role.text()).unwrap_or("?");
    let due = t
        .due
        .copied()
        .map(|d| long_date(lang, d))
        .unwrap_or_default();
    format!(
        "- {} — {who}{}{due}{}",
        md(t.do_.text().unwrap_or("")),
        tr!(lang, "、", ", "),
        paren(lang, m.id_text().unwrap_or("?"))
    )
}

/// Text for markdown: no line breaks, no stray markup characters at the
/// start of a line.
fn md(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The markdown report, ready to paste into a chat or a pull request.
pub(crate) fn markdown(
    reports: &[PlanReport<'_>],
    period: Period,
    last_executive: bool,
    git: bool,
    lang: Lang,
) -> String {
    let mut out = String::new();
    let (since, until) = (long_date(lang, period.since), long_date(lang, period.until));
    let head = if last_executive {
        tr!(
            lang,
            "# 進捗レポート（前回の経営報告から {until} まで）",
            "# Progress report (since the last executive report, until {until})"
        )
    } else {
        tr!(
            lang,
            "# 進捗レポート（{since} の翌日から {until} まで）",
            "# Progress report ({since} exclusive to {until})"
        )
    };
    let _ = writeln!(out, "{head}\n");
    if !git {
        let _ = writeln!(
            out,
            "> {}\n",
            tr!(
                lang,
                "git リポジトリではないため、期間中に完了したタスクは載せていません。",
                "Not a git repository: the tasks done in the period are left out."
            )
        );
    }
    if reports.is_empty() {
        let _ = writeln!(out, "{}", tr!(lang, "計画がありません。", "No plans."));
    }
    for r in reports {
        let p = r.plan;
        let (title, state) = (
            md(p.title_text()),
            label_for(lang, "state_", r.state.as_str()),
        );
        let _ = writeln!(
            out,
            "{}\n",
            tr!(lang, "## {title}（{state}）", "## {title} ({state})")
        );
        if last_executive {
            let (s, u) = (
                long_date(lang, r.period.since),
                long_date(lang, r.period.until),
            );
            let _ = writeln!(
                out,
                "{}\n",
                tr!(lang, "期間: {s} の翌日〜{u}", "Period: after {s} until {u}")
            );
        }
        let unit = p.unit();
        let name = p
            .metric
            .value()
            .and_then(|m| m.name.text())
            .unwrap_or("KPI");
        let _ = writeln!(out, "- **{}**: {}", md(name), kpi_line(r, lang));
        if let Some(c) = confidence_line(r, lang) {
            let _ = writeln!(out, "- **{}**: {c}", tr!(lang, "確信度", "Confidence"));
        }
        if !r.measurements.is_empty() {
            let list: Vec<String> = r
                .measurements
                .iter()
                .map(|(d, x)| format!("{}{unit}{}", num(*x), paren(lang, &long_date(lang, *d))))
                .collect();
            let _ = writeln!(
                out,
                "- {}: {}",
                tr!(lang, "期間中の計測", "Measured"),
                list.join(", ")
            );
        }
        let section = |out: &mut String, title: String, lines: Vec<String>| {
            if !lines.is_empty() {
                let _ = writeln!(out, "\n### {title}\n");
                for l in lines {
                    let _ = writeln!(out, "{l}");
                }
            }
        };
        let finished: Vec<String> = r
            .finished
            .iter()
            .flat_map(|f| {
                let m = f.milestone;
                let (t, a) = (
                    m.target
                        .copied()
                        .map_or("–".into(), |x| format!("{}{unit}", num(x))),
                    m.actual
                        .copied()
                        .map_or("–".into(), |x| format!("{}{unit}", num(x))),
                );
                let status = format!(
                    "{}{}{}",
                    label_for(lang, "ms_status_", m.status().as_str()),
                    tr!(lang, "、", ", "),
                    long_date(lang, f.done_on)
                );
                let head = format!(
                    "- **{}**{}: {} {a} / {} {t}",
                    md(&m.name()),
                    paren(lang, &status),
                    tr!(lang, "実績", "actual"),
                    tr!(lang, "目標", "target"),
                );
                std::iter::once(head).chain(f.answers.iter().map(|e| {
                    format!(
                        "  - Q{} {} — {}{}",
                        e.index,
                        md(e.question.ask_text()),
                        label_for(lang, "q_", e.state.as_str()),
                        e.finding
                            .map(|x| format!(": {}", md(x)))
                            .unwrap_or_default()
                    )
                }))
            })
            .collect();
        section(
            &mut out,
            tr!(lang, "終わったマイルストーン", "Milestones finished"),
            finished,
        );
        let updates: Vec<String> = r
            .updates
            .iter()
            .flat_map(|u| {
                let date = u
                    .date
                    .copied()
                    .map(|d| long_date(lang, d))
                    .unwrap_or_default();
                let mut lines = vec![format!("- {date} {}", u.milestone.text().unwrap_or(""))];
                if let Some(s) = u.story.text() {
                    lines.push(format!(
                        "  - {}: {}",
                        tr!(lang, "ストーリー", "Story"),
                        md(s)
                    ));
                }
                if let Some(b) = u.business_model.text() {
                    lines.push(format!(
                        "  - {}: {}",
                        tr!(lang, "ビジネスモデル", "Business model"),
                        md(b)
                    ));
                }
                lines
            })
            .collect();
        section(&mut out, tr!(lang, "更新", "Updates"), updates);
        if let Some(done) = &r.tasks_done {
            let lines = done
                .iter()
                .map(|t| {
                    let who = super::done_owner(p, t).or(t.role.as_deref()).unwrap_or("?");
                    format!("- {} — {who}{}", md(&t.task), paren(lang, &t.milestone))
                })
                .collect();
            section(
                &mut out,
                tr!(lang, "期間中に完了したタスク", "Tasks done in the period"),
                lines,
            );
        }
        let overdue = r
            .overdue
            .iter()
            .map(|(m, t)| task_line(r, m, t, lang))
            .collect();
        section(
            &mut out,
            tr!(lang, "期限切れのタスク", "Tasks overdue"),
            overdue,
        );
        let next = r
            .due_next
            .iter()
            .map(|(m, t)| task_line(r, m, t, lang))
            .collect();
        section(
            &mut out,
            tr!(
                lang,
                "今後 7 日が期限のタスク",
                "Tasks due in the next 7 days"
            ),
            next,
        );
        let findings = r
            .findings
            .iter()
            .map(|d| format!("- `{}` {}:{}: {}", d.rule, d.file, d.line, md(&d.message)))
            .collect();
        section(&mut out, tr!(lang, "指摘", "Findings"), findings);
        out.push('\n');
    }
    out
}
