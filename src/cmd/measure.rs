//! `planbook measure PLAN VALUE`: records a reading of the metric in the
//! plan file, in place ([`crate::edit`]).

use anyhow::Result;
use chrono::NaiveDate;

use super::Globals;
use super::record;
use crate::edit::{self, Outcome};
use crate::load::Detail;
use crate::pipeline::Run;
use crate::tr;

/// What `planbook measure` was asked to do.
pub struct Options<'a> {
    pub plan: &'a str,
    pub value: &'a str,
    pub date: Option<NaiveDate>,
    pub replace: bool,
    pub dry_run: bool,
}

pub fn run(g: &Globals, o: &Options<'_>) -> Result<u8> {
    let run = Run::open(&g.root, g.today).map_err(anyhow::Error::new)?;
    let lang = run.config().lang();
    let (path, text) = record::read(&run, o.plan)?;
    let name = crate::load::rel_name(&run.repo.root, &path);
    let plan = run.load_one(&path, Detail::Lint, |_| {}).plan;
    let unit = plan.unit();
    let value = edit::parse_value(o.value, unit, lang)?;
    let date = o.date.unwrap_or(g.today);
    let (new, outcome) = edit::record_measurement(&text, date, &value, o.replace, lang)
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
    record::commit(g, &run, &path, &text, &new, o.dry_run, &done)
}
