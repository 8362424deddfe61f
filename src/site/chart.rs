//! Charts as static SVG, made at build time: the KPI plan-vs-actual chart
//! and the timeline. No JavaScript; every mark has a `<title>` tooltip, the
//! chart a `<title>` and `<desc>`, and the same numbers are in a table.

use std::fmt::Write as _;

use chrono::{Datelike, Duration, NaiveDate};

use crate::html::esc;
use crate::i18n::Lang;
use crate::labels::{label, label_for, long_date, month};
use crate::model::{MilestoneStatus, Plan, TaskStatus};
use crate::num::fmt as num;
use crate::progress::planned_at;

/// Linear map from dates to x pixels.
struct XScale {
    from: NaiveDate,
    days: f64,
    left: f64,
    width: f64,
}

impl XScale {
    fn new(from: NaiveDate, to: NaiveDate, left: f64, width: f64) -> XScale {
        let days = ((to - from).num_days().max(1)) as f64;
        XScale {
            from,
            days,
            left,
            width,
        }
    }
    fn x(&self, d: NaiveDate) -> f64 {
        self.left + (d - self.from).num_days() as f64 / self.days * self.width
    }
    fn contains(&self, d: NaiveDate) -> bool {
        let x = (d - self.from).num_days() as f64;
        (0.0..=self.days).contains(&x)
    }
}

/// First days of months within [from, to], thinned to at most `max` ticks.
fn month_ticks(from: NaiveDate, to: NaiveDate, max: usize) -> Vec<NaiveDate> {
    let mut ticks = Vec::new();
    let mut d = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap_or(from);
    if d < from {
        d = d.checked_add_months(chrono::Months::new(1)).unwrap_or(to);
    }
    while d <= to && ticks.len() < 240 {
        ticks.push(d);
        d = match d.checked_add_months(chrono::Months::new(1)) {
            Some(n) => n,
            None => break,
        };
    }
    let step = ticks.len().div_ceil(max.max(1)).max(1);
    ticks.into_iter().step_by(step).collect()
}

/// Where a month label hangs from its tick at `x` in a chart `width` wide:
/// centred, unless half a label ("2027年12月" is ~70 px at 12 px) would
/// cross the chart's right edge, where it ends at the tick instead of
/// being cut off.
fn tick_anchor(x: f64, width: f64) -> &'static str {
    const HALF_LABEL: f64 = 36.0;
    if x + HALF_LABEL > width {
        "end"
    } else {
        "middle"
    }
}

/// "Nice" y-axis ticks covering [lo, hi].
fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).abs().max(1e-9);
    let raw = span / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(mag * 10.0);
    let start = (lo / step).floor() * step;
    let mut ticks = Vec::new();
    let mut v = start;
    loop {
        let t = (v / step).round() * step;
        ticks.push(t);
        if t >= hi - 1e-9 || ticks.len() >= 12 {
            break;
        }
        v += step;
    }
    ticks
}

fn f(v: f64) -> OneDecimal {
    OneDecimal(v)
}

/// A coordinate with one decimal, exactly as `{:.1}` prints it, written
/// without float formatting in the common case (a chart has hundreds):
/// positive values whose second decimal is not a tie are rounded as
/// integers; ties, negatives, tiny and huge values take `{:.1}` itself.
#[derive(Clone, Copy)]
struct OneDecimal(f64);

impl std::fmt::Display for OneDecimal {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = self.0;
        let tenths = v * 10.0;
        let frac = tenths - tenths.floor();
        if (0.1..1e12).contains(&v) && (frac - 0.5).abs() > 1e-6 {
            let n = tenths.round() as u64;
            write!(out, "{}.{}", n / 10, n % 10)
        } else {
            write!(out, "{v:.1}")
        }
    }
}

/// The date range a plan's charts cover, and whether `today` is drawn.
fn plan_range(
    plan: &Plan,
    today: NaiveDate,
    extra: &[NaiveDate],
) -> Option<(NaiveDate, NaiveDate)> {
    let start = plan.start.copied()?;
    let mut end = start;
    for m in plan.milestones() {
        for d in [m.due.copied(), m.review.copied(), m.done_on.copied()]
            .into_iter()
            .flatten()
        {
            end = end.max(d);
        }
    }
    for m in plan.measurements() {
        if let Some(d) = m.date.copied() {
            end = end.max(d);
        }
    }
    for d in extra {
        end = end.max(*d);
    }
    if today > end && (today - end).num_days() <= 60 {
        end = today;
    }
    if end <= start {
        end = start + Duration::days(30);
    }
    // A little air on the right for the last label.
    Some((
        start,
        end + Duration::days(((end - start).num_days() / 30).max(3)),
    ))
}

/// The KPI chart: the plan as steps, milestone targets, measurements and
/// today. `None` when the plan has no start or baseline to draw from.
pub(crate) fn kpi_chart(plan: &Plan, today: NaiveDate, lang: Lang) -> Option<String> {
    let metric = plan.metric.value()?;
    let baseline = metric.baseline.copied()?;
    let start = plan.start.copied()?;
    let unit = metric.unit.text().unwrap_or("");
    let name = metric.name.text().unwrap_or("");
    let (from, to) = plan_range(plan, today, &[])?;

    // (due, target, id, missed)
    let targets: Vec<(NaiveDate, f64, String, bool)> = plan
        .milestones()
        .iter()
        .filter_map(|m| {
            Some((
                m.due.copied()?,
                m.target.copied()?,
                m.id_text().unwrap_or("").to_string(),
                m.status() == MilestoneStatus::Missed,
            ))
        })
        .collect();
    let measured: Vec<(NaiveDate, f64)> = plan
        .measurements()
        .iter()
        .filter_map(|m| Some((m.date.copied()?, m.value.copied()?)))
        .collect();
    let mut values: Vec<f64> = vec![baseline];
    values.extend(targets.iter().map(|t| t.1));
    values.extend(measured.iter().map(|m| m.1));
    let (mut lo, mut hi) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    if (hi - lo).abs() < 1e-9 {
        lo -= 1.0;
        hi += 1.0;
    }
    let pad = (hi - lo) * 0.1;
    let ticks = nice_ticks(lo - pad, hi + pad);
    let (ylo, yhi) = (
        ticks.first().copied().unwrap_or(lo),
        ticks.last().copied().unwrap_or(hi),
    );

    let (w, h) = (720.0, 300.0);
    let (left, right, top, bottom) = (64.0, 24.0, 20.0, 64.0);
    let xs = XScale::new(from, to, left, w - left - right);
    let plot_h = h - top - bottom;
    let y = |v: f64| top + (yhi - v) / (yhi - ylo).max(1e-9) * plot_h;

    let title = tr_title(lang, name);
    let mut desc = String::new();
    let _ = write!(
        desc,
        "{}: {}{unit} ({}).",
        label(lang, "baseline"),
        num(baseline),
        long_date(lang, start)
    );
    for (d, t, id, missed) in &targets {
        let _ = write!(
            desc,
            " {id} {}: {}{unit} ({}{}).",
            label(lang, "target"),
            num(*t),
            long_date(lang, *d),
            if *missed {
                format!(", {}", label(lang, "ms_status_missed"))
            } else {
                String::new()
            }
        );
    }
    if let Some((d, v)) = measured.last() {
        let _ = write!(
            desc,
            " {}: {}{unit} ({}).",
            label(lang, "latest"),
            num(*v),
            long_date(lang, *d)
        );
    }

    let mut s = String::new();
    let id = format!("kpi-{}", plan.id);
    let _ = write!(
        s,
        r#"<svg class="kpi-chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(&title),
        esc(&desc)
    );
    // Grid and y axis.
    for t in &ticks {
        let yy = f(y(*t));
        let _ = write!(
            s,
            r##"<line class="grid" x1="{left}" y1="{yy}" x2="{}" y2="{yy}" stroke="#e3e6ea"/><text class="tick" x="{}" y="{yy}" dy="4" text-anchor="end" font-size="12" fill="#555">{}</text>"##,
            w - right,
            left - 8.0,
            esc(&format!("{}{unit}", num(*t)))
        );
    }
    // x axis with month ticks.
    let axis_y = h - bottom;
    let _ = write!(
        s,
        r##"<line class="axis" x1="{left}" y1="{axis_y}" x2="{}" y2="{axis_y}" stroke="#888"/>"##,
        w - right
    );
    for d in month_ticks(from, to, 8) {
        let xx = f(xs.x(d));
        let _ = write!(
            s,
            r##"<line x1="{xx}" y1="{axis_y}" x2="{xx}" y2="{}" stroke="#888"/><text class="tick" x="{xx}" y="{}" text-anchor="{}" font-size="12" fill="#555">{}</text>"##,
            axis_y + 5.0,
            axis_y + 20.0,
            tick_anchor(xs.x(d), w),
            esc(&month(lang, d))
        );
    }
    // The plan as the states judge it: the baseline until the first due
    // date, then a step to each milestone's target at its due date.
    let pts = crate::progress::planned_line(plan, start, to);
    let path: Vec<String> = pts
        .iter()
        .map(|(d, v)| format!("{},{}", f(xs.x(*d)), f(y(*v))))
        .collect();
    let _ = write!(
        s,
        r##"<polyline class="planned" points="{}" fill="none" stroke="#2f6fb0" stroke-width="2" stroke-dasharray="6 4"><title>{}</title></polyline>"##,
        path.join(" "),
        esc(&label(lang, "planned"))
    );
    // Milestone targets: a missed one is a hollow red diamond.
    for (d, t, mid, missed) in &targets {
        let (cx, cy) = (xs.x(*d), y(*t));
        let (class, paint, status) = if *missed {
            (
                "target missed",
                r##"fill="#fff" stroke="#b91c1c" stroke-width="2""##,
                format!(" — {}", label(lang, "ms_status_missed")),
            )
        } else {
            ("target", r##"fill="#2f6fb0""##, String::new())
        };
        let _ = write!(
            s,
            r##"<path class="{class}" d="M{} {}l6 6l-6 6l-6 -6z" {paint}><title>{}</title></path><text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{}">{}</text>"##,
            f(cx),
            f(cy - 6.0),
            esc(&format!(
                "{mid} {}: {}{unit} ({}){status}",
                label(lang, "target"),
                num(*t),
                long_date(lang, *d)
            )),
            f(cx),
            f(cy - 10.0),
            if *missed { "#b91c1c" } else { "#2f6fb0" },
            esc(mid)
        );
    }
    // Measurements: the line breaks where no reading was taken for more
    // than twice the progress cadence (a gap is not a trend).
    if !measured.is_empty() {
        let max_gap = 2 * crate::state::cadence_days(plan);
        let mut runs: Vec<Vec<String>> = vec![Vec::new()];
        let mut prev: Option<NaiveDate> = None;
        for (d, v) in &measured {
            if prev.is_some_and(|p| (*d - p).num_days() > max_gap) {
                runs.push(Vec::new());
            }
            if let Some(run) = runs.last_mut() {
                run.push(format!("{},{}", f(xs.x(*d)), f(y(*v))));
            }
            prev = Some(*d);
        }
        for run in runs.iter().filter(|r| r.len() > 1) {
            let _ = write!(
                s,
                r##"<polyline class="measured" points="{}" fill="none" stroke="#c2410c" stroke-width="2.5"/>"##,
                run.join(" ")
            );
        }
        for (d, v) in &measured {
            let _ = write!(
                s,
                r##"<circle class="measurement" cx="{}" cy="{}" r="4" fill="#c2410c"><title>{}</title></circle>"##,
                f(xs.x(*d)),
                f(y(*v)),
                esc(&format!(
                    "{}: {}{unit} ({})",
                    label(lang, "measured"),
                    num(*v),
                    long_date(lang, *d)
                ))
            );
        }
    }
    // Today.
    if xs.contains(today) {
        let xx = f(xs.x(today));
        let _ = write!(
            s,
            r##"<line class="today" x1="{xx}" y1="{top}" x2="{xx}" y2="{axis_y}" stroke="#111" stroke-dasharray="2 3"/><text x="{xx}" y="{}" text-anchor="middle" font-size="12" fill="#111">{}</text>"##,
            top - 6.0,
            esc(&label(lang, "today"))
        );
    }
    // Legend.
    let ly = h - 14.0;
    let _ = write!(
        s,
        r##"<g class="legend" font-size="12" fill="#333"><line x1="{left}" y1="{ly}" x2="{}" y2="{ly}" stroke="#2f6fb0" stroke-width="2" stroke-dasharray="6 4"/><text x="{}" y="{}">{}</text><line x1="{}" y1="{ly}" x2="{}" y2="{ly}" stroke="#c2410c" stroke-width="2.5"/><text x="{}" y="{}">{}</text><path d="M{} {}l6 6l-6 6l-6 -6z" fill="#2f6fb0"/><text x="{}" y="{}">{}</text></g>"##,
        left + 28.0,
        left + 34.0,
        ly + 4.0,
        esc(&label(lang, "planned")),
        left + 130.0,
        left + 158.0,
        left + 164.0,
        ly + 4.0,
        esc(&label(lang, "measured")),
        left + 266.0,
        ly - 6.0,
        left + 278.0,
        ly + 4.0,
        esc(&label(lang, "target")),
    );
    if targets.iter().any(|t| t.3) {
        let _ = write!(
            s,
            r##"<g class="legend legend-missed" font-size="12" fill="#333"><path d="M{} {}l6 6l-6 6l-6 -6z" fill="#fff" stroke="#b91c1c" stroke-width="2"/><text x="{}" y="{}">{}</text></g>"##,
            left + 366.0,
            ly - 6.0,
            left + 378.0,
            ly + 4.0,
            esc(&label(lang, "missed_target")),
        );
    }
    s.push_str("</svg>");
    Some(s)
}

fn tr_title(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Ja => format!("{name}の計画と実績"),
        Lang::En => format!("{name}: plan vs actual"),
    }
}

/// One row of the KPI data table, in date order.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct KpiRow {
    /// The date for people (in the site language) and as `YYYY-MM-DD`.
    pub date: String,
    pub date_iso: String,
    pub kind: String,
    pub planned: Option<String>,
    pub actual: Option<String>,
}

/// The chart's numbers as table rows: baseline, each target (with its
/// actual when finished) and each measurement with the planned value then.
pub(crate) fn kpi_rows(plan: &Plan, lang: Lang) -> Vec<KpiRow> {
    let Some(metric) = plan.metric.value() else {
        return Vec::new();
    };
    let unit = metric.unit.text().unwrap_or("").to_string();
    let fmt = |v: f64| format!("{}{unit}", num(v));
    // The steps once for every measurement's planned value.
    let steps = crate::progress::steps(plan);
    let mut rows: Vec<(NaiveDate, u8, KpiRow)> = Vec::new();
    if let (Some(start), Some(b)) = (plan.start.copied(), metric.baseline.copied()) {
        rows.push((
            start,
            0,
            KpiRow {
                date: long_date(lang, start),
                date_iso: start.to_string(),
                kind: label(lang, "baseline").into_owned(),
                planned: Some(fmt(b)),
                actual: None,
            },
        ));
    }
    for m in plan.milestones() {
        let (Some(due), Some(t)) = (m.due.copied(), m.target.copied()) else {
            continue;
        };
        rows.push((
            due,
            1,
            KpiRow {
                date: long_date(lang, due),
                date_iso: due.to_string(),
                kind: format!("{} {}", m.id_text().unwrap_or(""), label(lang, "target")),
                planned: Some(fmt(t)),
                actual: m
                    .actual
                    .copied()
                    .filter(|_| m.status().is_finished())
                    .map(fmt),
            },
        ));
    }
    for ms in plan.measurements() {
        let (Some(d), Some(v)) = (ms.date.copied(), ms.value.copied()) else {
            continue;
        };
        rows.push((
            d,
            2,
            KpiRow {
                date: long_date(lang, d),
                date_iso: d.to_string(),
                kind: label(lang, "measured").into_owned(),
                planned: planned_at(plan, &steps, d).map(|(p, _)| fmt(crate::num::round2(p))),
                actual: Some(fmt(v)),
            },
        ));
    }
    rows.sort_by_key(|r| (r.0, r.1));
    // One row per date: a target and a measurement on the same day share
    // it ("m1 target / measured"), the planned value from the first that
    // has one, the actual from the measurement (or the milestone).
    let mut out: Vec<(NaiveDate, KpiRow)> = Vec::with_capacity(rows.len());
    for (d, _, row) in rows {
        match out.last_mut() {
            Some((last, merged)) if *last == d => {
                merged.kind = format!("{} / {}", merged.kind, row.kind);
                merged.planned = merged.planned.take().or(row.planned);
                merged.actual = row.actual.or(merged.actual.take());
            }
            _ => out.push((d, row)),
        }
    }
    out.into_iter().map(|r| r.1).collect()
}

/// The timeline: milestones as bars, review dates, tasks by role, kickoff
/// and executive reports on a calendar axis.
pub(crate) fn timeline(
    plan: &Plan,
    roles: &indexmap::IndexMap<String, String>,
    today: NaiveDate,
    lang: Lang,
) -> Option<String> {
    let start = plan.start.copied()?;
    let meetings = plan.meetings.value();
    let mut extra: Vec<NaiveDate> = Vec::new();
    let kickoff = meetings
        .and_then(|m| m.kickoff.value())
        .and_then(|k| k.date.copied());
    let exec: Vec<NaiveDate> = plan.executive_dates().iter().map(|a| a.value).collect();
    extra.extend(kickoff);
    extra.extend(exec.iter().copied());
    for m in plan.milestones() {
        extra.extend(m.tasks().iter().filter_map(|t| t.due.copied()));
    }
    let (from, to) = plan_range(plan, today, &extra)?;
    let from = from.min(kickoff.unwrap_or(from));

    let row_h = 40.0;
    let left = 168.0;
    let (w, right, top) = (760.0, 20.0, 16.0);
    let rows = 2 + roles.len();
    let h = top + row_h * rows as f64 + 36.0;
    let xs = XScale::new(from, to, left, w - left - right);
    let row_y = |i: usize| top + row_h * i as f64;

    let mut s = String::new();
    let title = match lang {
        Lang::Ja => format!("{}のタイムライン", plan.title_text()),
        Lang::En => format!("Timeline of {}", plan.title_text()),
    };
    let _ = write!(
        s,
        r#"<svg class="timeline" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        esc(&title),
        esc(&title)
    );
    // Row bands and labels.
    let mut row_labels = vec![label(lang, "milestones").into_owned()];
    row_labels.extend(roles.values().cloned());
    row_labels.push(label(lang, "meetings").into_owned());
    for (i, name) in row_labels.iter().enumerate() {
        let yy = row_y(i);
        if i % 2 == 0 {
            let _ = write!(
                s,
                r##"<rect x="0" y="{}" width="{w}" height="{row_h}" fill="#f5f7f9"/>"##,
                f(yy)
            );
        }
        let _ = write!(
            s,
            r##"<text x="8" y="{}" font-size="13" fill="#333">{}</text>"##,
            f(yy + row_h / 2.0 + 4.0),
            esc(name)
        );
    }
    // Month ticks.
    let axis_y = row_y(rows);
    for d in month_ticks(from, to, 8) {
        let xx = f(xs.x(d));
        let _ = write!(
            s,
            r##"<line x1="{xx}" y1="{top}" x2="{xx}" y2="{}" stroke="#d5d9de"/><text x="{xx}" y="{}" text-anchor="{}" font-size="12" fill="#555">{}</text>"##,
            axis_y + 4.0,
            axis_y + 20.0,
            tick_anchor(xs.x(d), w),
            esc(&month(lang, d))
        );
    }
    // Milestones: a bar from the previous due date (or start) to the due date.
    let mut prev = start;
    for m in plan.milestones() {
        let Some(due) = m.due.copied() else { continue };
        let (x0, x1) = (xs.x(prev), xs.x(due));
        let yy = row_y(0) + 8.0;
        let (fill, text_fill) = match m.status() {
            MilestoneStatus::Done => ("#2f6fb0", "#fff"),
            MilestoneStatus::Missed => ("#9a3412", "#fff"),
            MilestoneStatus::InProgress => ("#93c5fd", "#0b2540"),
            MilestoneStatus::Planned => ("#dbeafe", "#0b2540"),
        };
        let tip = format!(
            "{} {} — {} {} ({})",
            m.id_text().unwrap_or(""),
            m.title.text().unwrap_or(""),
            label(lang, "due"),
            long_date(lang, due),
            label_for(lang, "ms_status_", m.status().as_str())
        );
        let _ = write!(
            s,
            r##"<g class="milestone"><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{fill}" stroke="#2f6fb0"/><text x="{}" y="{}" font-size="12" fill="{text_fill}">{}</text></g>"##,
            esc(&tip),
            f(x0 + 1.0),
            f(yy),
            f((x1 - x0 - 2.0).max(2.0)),
            f(row_h - 16.0),
            f(x0 + 6.0),
            f(yy + row_h / 2.0 - 4.0),
            esc(m.id_text().unwrap_or(""))
        );
        if let Some(r) = m.review.copied() {
            let _ = write!(
                s,
                r##"<path class="review" d="M{} {}l5 8h-10z" fill="#0f766e"><title>{}</title></path>"##,
                f(xs.x(r)),
                f(row_y(0) + row_h - 10.0),
                esc(&format!(
                    "{} {}: {}",
                    m.id_text().unwrap_or(""),
                    label(lang, "review"),
                    long_date(lang, r)
                ))
            );
        }
        prev = due;
    }
    // Tasks by role.
    for (i, role) in roles.keys().enumerate() {
        let yy = row_y(i + 1) + row_h / 2.0;
        for m in plan.milestones() {
            for t in m
                .tasks()
                .iter()
                .filter(|t| t.role.text() == Some(role.as_str()))
            {
                let Some(due) = t.due.copied() else { continue };
                let (fill, stroke) = match t.status() {
                    TaskStatus::Done => ("#15803d", "#15803d"),
                    TaskStatus::Doing => ("#f59e0b", "#b45309"),
                    TaskStatus::Todo => ("#fff", "#475569"),
                    TaskStatus::Dropped => ("#e2e8f0", "#94a3b8"),
                };
                let tip = format!(
                    "{} — {} ({} {})",
                    t.do_.text().unwrap_or(""),
                    label_for(lang, "task_status_", t.status().as_str()),
                    label(lang, "due"),
                    long_date(lang, due)
                );
                let _ = write!(
                    s,
                    r##"<circle class="task" cx="{}" cy="{}" r="6" fill="{fill}" stroke="{stroke}" stroke-width="2"><title>{}</title></circle>"##,
                    f(xs.x(due)),
                    f(yy),
                    esc(&tip)
                );
            }
        }
    }
    // Meetings: kickoff and executive reports.
    let my = row_y(rows - 1) + row_h / 2.0;
    if let Some(k) = kickoff {
        let _ = write!(
            s,
            r##"<rect class="kickoff" x="{}" y="{}" width="10" height="10" transform="rotate(45 {} {})" fill="#7c3aed"><title>{}</title></rect>"##,
            f(xs.x(k) - 5.0),
            f(my - 5.0),
            f(xs.x(k)),
            f(my),
            esc(&format!(
                "{}: {}",
                label(lang, "kickoff"),
                long_date(lang, k)
            ))
        );
    }
    for d in &exec {
        let _ = write!(
            s,
            r##"<rect class="executive" x="{}" y="{}" width="12" height="12" fill="#be123c"><title>{}</title></rect>"##,
            f(xs.x(*d) - 6.0),
            f(my - 6.0),
            esc(&format!(
                "{}: {}",
                label(lang, "executive"),
                long_date(lang, *d)
            ))
        );
    }
    if xs.contains(today) {
        let xx = f(xs.x(today));
        let _ = write!(
            s,
            r##"<line class="today" x1="{xx}" y1="{top}" x2="{xx}" y2="{}" stroke="#111" stroke-dasharray="2 3"/><text x="{xx}" y="{}" text-anchor="middle" font-size="11" fill="#111">{}</text>"##,
            axis_y,
            top - 4.0,
            esc(&label(lang, "today"))
        );
    }
    s.push_str("</svg>");
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `f` prints what `{:.1}` prints, over a sweep of coordinates.
    #[test]
    fn one_decimal_matches_float_formatting() {
        for (i, x) in crate::testing::xorshift(0x2545_f491_4f6c_dd1d, 200_000) {
            let v = match i % 3 {
                0 => (x % 1_000_000) as f64 / 1000.0,
                1 => 168.0 + (x % 10_000) as f64 * 592.0 / 97.0,
                _ => f64::from_bits(0x3ff0_0000_0000_0000 | (x >> 12)) * (i % 811) as f64 - 5.0,
            };
            assert_eq!(f(v).to_string(), format!("{v:.1}"), "{v:?}");
        }
    }

    #[test]
    fn ticks_are_nice_and_cover_the_range() {
        let t = nice_ticks(1.8, 3.2);
        assert!(
            t.first().unwrap() <= &1.8 && t.last().unwrap() >= &3.2,
            "{t:?}"
        );
        let months = month_ticks(
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            NaiveDate::from_ymd_opt(2027, 4, 10).unwrap(),
            8,
        );
        assert_eq!(months.len(), 5);
    }

    #[test]
    fn escaping_covers_markup() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn month_labels_at_the_right_edge_end_at_their_tick() {
        assert_eq!(tick_anchor(300.0, 640.0), "middle");
        assert_eq!(tick_anchor(620.0, 640.0), "end");
    }
}
