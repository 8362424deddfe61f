//! `planbook measure PLAN VALUE`: records a reading of the metric in the
//! plan file, in place ([`crate::edit`]).

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;

use super::Globals;
use super::record;
use crate::edit::{self, Outcome};
use crate::pipeline::Run;
use crate::tr;

/// What `planbook measure` was asked to do.
pub(crate) struct Options<'a> {
    pub plan: &'a str,
    /// The value, or `None` with `from`.
    pub value: Option<&'a str>,
    /// A CSV file of `date,value` rows (`-`: standard input).
    pub from: Option<&'a std::path::Path>,
    pub date: Option<NaiveDate>,
    pub replace: bool,
    pub dry_run: bool,
}

pub(crate) fn run(g: &Globals, o: &Options<'_>) -> Result<u8> {
    let run = Run::open(&g.root, g.today).map_err(anyhow::Error::new)?;
    let lang = run.config().lang();
    let t = record::read(&run, o.plan)?;
    let (name, unit) = (&t.name, t.file.plan.unit());
    if let Some(csv) = o.from {
        return import(g, &run, &t, csv, o);
    }
    let Some(value) = o.value else {
        bail!(
            "{}",
            tr!(
                lang,
                "値か --from FILE.csv を指定してください",
                "give a value, or --from FILE.csv"
            )
        );
    };
    let value = edit::parse_value(value, unit, lang)?;
    let date = o.date.unwrap_or(g.today);
    let (new, outcome) = edit::record_measurement(&t.text, date, &value, o.replace, lang)
        .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    if outcome == Outcome::Unchanged && !o.dry_run {
        eprintln!(
            "{}",
            tr!(
                lang,
                "{name}: {date} の値 {value} はもう記録されています（変更なし）",
                "{name}: {value} on {date} is recorded already (nothing changed)"
            )
        );
        return Ok(0);
    }
    let done = match outcome {
        Outcome::Replaced => tr!(
            lang,
            "{date} の計測値を {value}{unit} に書き換えました",
            "the measurement on {date} is now {value}{unit}"
        ),
        _ => tr!(
            lang,
            "{date} の計測値 {value}{unit} を記録しました",
            "recorded {value}{unit} on {date}"
        ),
    };
    record::commit(g, &run, &t, &new, o.dry_run, &done)
}

/// `--from FILE.csv`: every `date,value` row not recorded yet, in date
/// order; a header line and blank lines are skipped. Rows already
/// recorded with the same value, and rows that cannot be recorded (a
/// date before the latest reading; a different value on a recorded day
/// without `--replace`; not a date or a number), are reported and
/// skipped. One write for the whole import.
fn import(
    g: &Globals,
    run: &Run,
    t: &record::Target,
    csv: &std::path::Path,
    o: &Options<'_>,
) -> Result<u8> {
    let lang = run.config().lang();
    let unit = t.file.plan.unit();
    let input = if csv == std::path::Path::new("-") {
        std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?
    } else {
        std::fs::read_to_string(csv).with_context(|| format!("cannot read {}", csv.display()))?
    };
    let mut rows: Vec<(usize, NaiveDate, String)> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    for (i, line) in input.lines().enumerate() {
        let n = i + 1;
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            continue;
        }
        let mut cells = line.split(',').map(|c| c.trim().trim_matches('"'));
        let (Some(d), Some(v)) = (cells.next(), cells.next()) else {
            skipped.push(tr!(
                lang,
                "{n} 行目: date,value ではありません",
                "line {n}: not date,value"
            ));
            continue;
        };
        let Ok(date) = crate::frontmatter::parse_date(d) else {
            // A header names its columns; anything else is a bad row.
            if n > 1 || d.chars().any(|c| c.is_ascii_digit()) {
                skipped.push(tr!(
                    lang,
                    "{n} 行目: `{d}` は日付ではありません",
                    "line {n}: `{d}` is not a date"
                ));
            }
            continue;
        };
        match edit::parse_value(v, unit, lang) {
            Ok(value) => rows.push((n, date, value)),
            Err(e) => skipped.push(tr!(lang, "{n} 行目: {e}", "line {n}: {e}")),
        }
    }
    rows.sort_by_key(|r| r.1);
    let mut new = t.text.clone();
    let mut added = 0;
    for (n, date, value) in &rows {
        match edit::record_measurement(&new, *date, value, o.replace, lang) {
            Ok((_, Outcome::Unchanged)) => {}
            Ok((t, _)) => {
                new = t;
                added += 1;
            }
            // Recorded already with the same value: nothing to do.
            Err(_) if same_number(edit::recorded(&new, *date).as_deref(), value) => {}
            Err(e) => skipped.push(tr!(
                lang,
                "{n} 行目（{date}）: {e}",
                "line {n} ({date}): {e}"
            )),
        }
    }
    for s in &skipped {
        eprintln!("{}", tr!(lang, "飛ばしました: {s}", "skipped: {s}"));
    }
    let count = skipped.len();
    if added == 0 {
        eprintln!(
            "{}",
            tr!(
                lang,
                "新しい計測値はありません（飛ばした行 {count}）",
                "no new measurements (rows skipped: {count})"
            )
        );
        return Ok(0);
    }
    let done = tr!(
        lang,
        "計測値を {added} 件記録しました（飛ばした行 {count}）",
        "recorded {added} measurement(s) (rows skipped: {count})"
    );
    record::commit(g, run, t, &new, o.dry_run, &done)
}

fn same_number(recorded: Option<&str>, value: &str) -> bool {
    let num = |s: &str| s.trim().parse::<f64>().ok();
    recorded
        .and_then(num)
        .is_some_and(|a| num(value) == Some(a))
}
