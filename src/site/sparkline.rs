//! The home page's sparkline: a plan's measurements as a small static SVG
//! (no axes, no JavaScript), with a `<title>` that says the same in words.

use std::fmt::Write as _;

use crate::html::esc;
use crate::i18n::Lang;
use crate::labels::long_date;
use crate::model::Plan;
use crate::num::fmt as num;
use crate::tr;

const W: f64 = 120.0;
const H: f64 = 28.0;
const PAD: f64 = 3.0;

/// The measurements (from `start` and the baseline when both are set) as
/// an `svg.sparkline`, with the planned value as a dashed step line and,
/// for a metric that should go down, a "↓"; `None` when the plan has no
/// measurement.
pub(crate) fn sparkline(plan: &Plan, lang: Lang) -> Option<String> {
    let mut points: Vec<(chrono::NaiveDate, f64)> = plan
        .measurements()
        .iter()
        .filter_map(|m| Some((m.date.copied()?, m.value.copied()?)))
        .collect();
    points.sort_by_key(|p| p.0);
    let (first, last) = (*points.first()?, *points.last()?);
    let baseline = plan.metric.value().and_then(|m| m.baseline.copied());
    if let (Some(start), Some(b)) = (plan.start.copied(), baseline)
        && start < first.0
    {
        points.insert(0, (start, b));
    }
    let from = points.first().map_or(first.0, |p| p.0);
    let plan_line = crate::progress::planned_line(plan, from, last.0);
    let days = ((last.0 - from).num_days().max(1)) as f64;
    let (lo, hi) = points
        .iter()
        .chain(&plan_line)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.1), hi.max(p.1))
        });
    let decrease = plan.metric.value().and_then(|m| m.direction.copied())
        == Some(crate::model::Direction::Decrease);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let xy = |d: chrono::NaiveDate, v: f64| {
        let x = if points.len() == 1 {
            W / 2.0
        } else {
            PAD + (d - from).num_days() as f64 / days * (W - 2.0 * PAD)
        };
        let y = if hi > lo {
            H - PAD - (v - lo) / span * (H - 2.0 * PAD)
        } else {
            H / 2.0
        };
        (x, y)
    };
    let unit = plan.unit();
    let words: Vec<String> = points
        .iter()
        .map(|(d, v)| format!("{}{unit} ({})", num(*v), long_date(lang, *d)))
        .collect();
    let w = words.join(" → ");
    let mut title = tr!(lang, "計測値の推移: {w}", "Measurements: {w}");
    if let Some(&(_, p)) = plan_line.last() {
        let p = num(crate::num::round2(p));
        title.push_str(&tr!(lang, "（計画値 {p}{unit}）", " (planned: {p}{unit})"));
    }
    if decrease {
        title.push_str(&tr!(lang, "。低いほど良い指標", "; lower is better"));
    }
    let mut svg = format!(
        "<svg class=\"sparkline\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-label=\"{t}\"{dir}><title>{t}</title>",
        t = esc(&title),
        dir = if decrease {
            " data-direction=\"decrease\""
        } else {
            ""
        }
    );
    // `x,y x,y …` of a line through `pts`.
    let path = |pts: &[(chrono::NaiveDate, f64)]| {
        let mut path = String::new();
        for (i, (d, v)) in pts.iter().enumerate() {
            let (x, y) = xy(*d, *v);
            let _ = write!(path, "{}{x:.1},{y:.1}", if i == 0 { "" } else { " " });
        }
        path
    };
    if plan_line.len() > 1 {
        let _ = write!(
            svg,
            "<polyline class=\"spark-plan\" points=\"{}\" fill=\"none\"/>",
            path(&plan_line)
        );
    }
    if decrease {
        // Top left: the way that is better.
        let _ = write!(
            svg,
            "<text class=\"spark-dir\" x=\"0\" y=\"9\" font-size=\"9\">↓</text>"
        );
    }
    let _ = write!(
        svg,
        "<polyline class=\"spark-line\" points=\"{}\" fill=\"none\"/>",
        path(&points)
    );
    let (x, y) = xy(last.0, last.1);
    let _ = write!(
        svg,
        "<circle class=\"spark-last\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2.5\"/></svg>"
    );
    Some(svg)
}
