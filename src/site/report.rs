//! The report to management as a page: each plan's executive report
//! (`plans/ID/report/index.html`) and the printable document of
//! `planbook report --format html`, from the same computation
//! (`crate::report`) and the same template (`report.html`).

use tera::Value;

use super::view::{finding_view, tv};
use super::{Renderer, markdown};
use crate::diag::Diagnostic;
use crate::i18n::Lang;
use crate::labels::{evidence, label, label_for, long_date};
use crate::model::{Milestone, Plan, Task};
use crate::num::fmt as num;
use crate::report::{self, PlanReport};
use crate::state;
use crate::tr;

fn task(r: &PlanReport<'_>, m: &Milestone, t: &Task, lang: Lang) -> Value {
    tv!({
        "do": t.do_.text(),
        "owner": state::owner(r.plan, t).or(t.role.text()),
        "due": t.due.copied().map(|d| long_date(lang, d)),
        "milestone": m.id_text(),
    })
}

fn confidence(c: Option<&report::Confidence>, lang: Lang) -> Option<Value> {
    c.map(|c| {
        tv!({
            "value": num(c.value),
            "evidence": c.evidence.as_deref().map(|e| evidence(lang, e)),
        })
    })
}

/// One plan's report for templates; `root` leads to the site's root;
/// `at`: the date the state's reasons are given for.
fn report_view(
    r: &PlanReport<'_>,
    root: &str,
    at: chrono::NaiveDate,
    unsafe_html: bool,
    lang: Lang,
) -> Value {
    let p = r.plan;
    let u = p.unit();
    let value = |v: f64| format!("{}{u}", num(v));
    let point = |x: Option<(chrono::NaiveDate, f64)>| {
        x.map(|(d, v)| tv!({"value": value(v), "date": long_date(lang, d)}))
    };
    let md = |s: Option<&str>, prefix: String| {
        s.map(|s| markdown::render_in(s, unsafe_html, 3, &prefix, lang))
    };
    let (since, until) = (
        long_date(lang, r.period.since),
        long_date(lang, r.period.until),
    );
    tv!({
        "id": p.id.as_str(),
        "title": p.title_text(),
        "href": crate::paths::Page::plan(&p.id).href(root),
        "state": r.state.as_str(),
        "state_label": label_for(lang, "state_", r.state.as_str()),
        "period": tr!(lang, "{since} の翌日〜{until}", "after {since} until {until}"),
        "since_iso": r.period.since.to_string(),
        "until_iso": r.period.until.to_string(),
        "metric": p.metric.value().and_then(|m| m.name.text()),
        // Only a plan behind or at risk has reasons.
        "reasons": match r.state {
            state::State::Behind | state::State::AtRisk => {
                state::assess(p, false, at).1.iter().map(|x| x.text(p, lang)).collect::<Vec<_>>()
            }
            _ => Vec::new(),
        },
        "kpi": tv!({
            "from": point(r.kpi_from),
            "to": point(r.kpi_to).filter(|_| r.kpi_to != r.kpi_from),
            "planned": r.planned.map(|v| value(crate::num::round2(v))),
            "baseline": r.baseline.map(value),
            "target": r.target.as_ref().map(|t| tv!({"milestone": t.milestone.as_str(), "value": value(t.value)})),
        }),
        "sparkline": super::sparkline::sparkline(p, lang),
        "measurements": r.measurements.iter().map(|(d, v)| tv!({"date": long_date(lang, *d), "value": value(*v)})).collect::<Vec<_>>(),
        "finished": r.finished.iter().map(|f| tv!({
            "name": f.milestone.name(),
            "status": f.milestone.status().as_str(),
            "status_label": label_for(lang, "ms_status_", f.milestone.status().as_str()),
            "done_on": long_date(lang, f.done_on),
            "target": f.milestone.target.copied().map(value),
            "actual": f.milestone.actual.copied().map(value),
            "answers": f.answers.iter().map(|e| tv!({
                "index": e.index,
                "question": e.question.ask_text(),
                "state": e.state.as_str(),
                "state_label": label_for(lang, "q_", e.state.as_str()),
                "finding": e.finding,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "updates": r.updates.iter().enumerate().map(|(i, up)| tv!({
            "date": up.date.copied().map(|d| long_date(lang, d)),
            "milestone": up.milestone.text(),
            "story": md(up.story.text(), format!("r-{}-{i}-s-", p.id)),
            "business_model": md(up.business_model.text(), format!("r-{}-{i}-b-", p.id)),
        })).collect::<Vec<_>>(),
        "tasks_done": r.tasks_done.as_ref().map(|done| done.iter().map(|t| tv!({
            "do": t.task.as_str(),
            "owner": report::done_owner(p, t).or(t.role.as_deref()),
            "milestone": t.milestone.as_str(),
        })).collect::<Vec<_>>()),
        "overdue": r.overdue.iter().map(|(m, t)| task(r, m, t, lang)).collect::<Vec<_>>(),
        "due_next": r.due_next.iter().map(|(m, t)| task(r, m, t, lang)).collect::<Vec<_>>(),
        "next": r.next.map(|m| tv!({
            "name": m.name(),
            "due": m.due.copied().map(|d| long_date(lang, d)),
            "target": m.target.copied().map(value),
        })),
        "open_questions": r.open_questions.iter().map(|e| tv!({
            "milestone": e.milestone.id_text(),
            "index": e.index,
            "question": e.question.ask_text(),
        })).collect::<Vec<_>>(),
        "confidence": confidence(r.confidence.as_ref(), lang),
        "confidence_before": confidence(r.confidence_before.as_ref(), lang).filter(|_| r.confidence_before != r.confidence),
        "findings": r.findings.iter().map(|d| finding_view(d, lang)).collect::<Vec<_>>(),
        "findings_count": findings_count(&r.findings, lang),
        "findings_href": format!("{}#findings", crate::paths::Page::plan(&p.id).href(root)),
    })
}

/// "2 findings (1 error)": what the report says of lint, for readers who
/// follow the link for the details. `None` without findings.
fn findings_count(findings: &[&Diagnostic], lang: Lang) -> Option<String> {
    let n = findings.len();
    let errors = findings
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .count();
    match (lang, n, errors) {
        (_, 0, _) => None,
        (Lang::Ja, n, 0) => Some(format!("ルールの指摘が {n} 件あります")),
        (Lang::Ja, n, e) => Some(format!(
            "ルールの指摘が {n} 件（うちエラー {e} 件）あります"
        )),
        (Lang::En, 1, 0) => Some("1 finding of the rules".to_string()),
        (Lang::En, n, 0) => Some(format!("{n} findings of the rules")),
        (Lang::En, n, e) => Some(format!(
            "{n} finding{} of the rules ({e} error{})",
            if n == 1 { "" } else { "s" },
            if e == 1 { "" } else { "s" }
        )),
    }
}

impl Renderer {
    /// A plan's executive report: the period up to the next executive date
    /// (docs/format.md, "The executive report"). `diags` are the plan's.
    pub(crate) fn report_page(
        &self,
        plan: &Plan,
        diags: &[&Diagnostic],
    ) -> anyhow::Result<Vec<u8>> {
        let lang = self.config.lang();
        let period = report::executive_period(plan, self.opts.today);
        let own: Vec<&Diagnostic> = diags
            .iter()
            .filter(|d| d.file == plan.file)
            .copied()
            .collect();
        let mut r = report::plan_report(plan, own, period, None);
        // The report is read before its date: where the plan stands today.
        let today = self.opts.today.min(period.until);
        let has_error = r
            .findings
            .iter()
            .any(|d| d.severity == crate::diag::Severity::Error);
        r.state = state::state(plan, has_error, self.opts.today);
        r.planned = crate::progress::planned_value(plan, today);
        // The report to management leaves the task lists to the check page.
        r.overdue.clear();
        r.due_next.clear();
        let page = crate::paths::Page::Plan(crate::paths::PlanPage::Report, &plan.id);
        let title = format!("{} · {}", label(lang, "exec_report"), plan.title_text());
        let mut ctx = self.page_ctx(page, &title);
        let view = report_view(
            &r,
            &page.root(),
            self.opts.today,
            self.config.markdown.unsafe_html,
            lang,
        );
        ctx.insert_value("reports", Value::from(vec![view]));
        ctx.insert("heading", &label(lang, "exec_report"));
        ctx.insert("executive", &true);
        // Section headings under the page's h1 (the plan), then under them.
        ctx.insert("hx", "h2");
        ctx.insert("hy", "h3");
        ctx.insert("standalone", &false);
        self.render("report.html", &ctx)
    }

    /// The printable document of `planbook report --format html`: every
    /// report on one page, with the stylesheet inlined so that the file
    /// stands alone.
    pub(crate) fn report_document(
        &self,
        reports: &[PlanReport<'_>],
        since: &str,
        git: bool,
    ) -> anyhow::Result<Vec<u8>> {
        let lang = self.config.lang();
        let views: Vec<Value> = reports
            .iter()
            .map(|r| {
                report_view(
                    r,
                    "",
                    r.period.until,
                    self.config.markdown.unsafe_html,
                    lang,
                )
            })
            .collect();
        let until = long_date(lang, self.opts.today);
        let heading = if since == "last-executive" {
            tr!(
                lang,
                "進捗レポート（前回の経営報告から {until} まで）",
                "Progress report (since the last executive report, until {until})"
            )
        } else {
            // One date format per language: the date asked for, as a date.
            let since = chrono::NaiveDate::parse_from_str(since, "%Y-%m-%d")
                .map_or_else(|_| since.to_string(), |d| long_date(lang, d));
            tr!(
                lang,
                "進捗レポート（{since} の翌日から {until} まで）",
                "Progress report (after {since} until {until})"
            )
        };
        let mut ctx = self.ctx("", "", &heading);
        ctx.insert_value("reports", Value::from(views));
        ctx.insert("heading", &heading);
        ctx.insert("executive", &false);
        // Under the document's h1 and each plan's h2.
        ctx.insert("hx", "h3");
        ctx.insert("hy", "h4");
        ctx.insert("standalone", &true);
        ctx.insert("git", &git);
        let css = self
            .statics
            .iter()
            .find(|(n, _)| n == "style.css")
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned());
        ctx.insert("inline_css", &css);
        self.render("report.html", &ctx)
    }
}
