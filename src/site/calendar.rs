//! `calendar.ics`: milestones, task deadlines, reviews, kickoff, executive
//! reports and the recurring progress check of every plan.
//!
//! The calendar head and the recurring event are built with the icalendar
//! crate. The all-day events (one per milestone, review, task and meeting
//! date: thirty-odd per plan) are written by [`all_day_event`] in exactly
//! the bytes icalendar writes for them (a unit test compares the two on
//! awkward input): building an `icalendar::Event` for each cost 18,000
//! instructions, 16 % of a build.

use std::fmt::Write as _;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};

use crate::config::Config;
use crate::labels::label;
use crate::model::{Every, Plan, Weekday};
use crate::site::feeds::is_absolute;

fn byday(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

fn chrono_weekday(w: Weekday) -> chrono::Weekday {
    match w {
        Weekday::Mon => chrono::Weekday::Mon,
        Weekday::Tue => chrono::Weekday::Tue,
        Weekday::Wed => chrono::Weekday::Wed,
        Weekday::Thu => chrono::Weekday::Thu,
        Weekday::Fri => chrono::Weekday::Fri,
        Weekday::Sat => chrono::Weekday::Sat,
        Weekday::Sun => chrono::Weekday::Sun,
    }
}

/// Parses "10:00-10:30" (or "10:00") into start and end times.
fn parse_time_range(s: &str) -> Option<(chrono::NaiveTime, chrono::NaiveTime)> {
    let t = |x: &str| chrono::NaiveTime::parse_from_str(x.trim(), "%H:%M").ok();
    match s.split_once(['-', '–', '〜', '~']) {
        Some((a, b)) => Some((t(a)?, t(b)?)),
        None => {
            let a = t(s)?;
            Some((a, a + Duration::minutes(30)))
        }
    }
}

/// The lines of `calendar.ics` before its events. The calendar holds
/// milestones, task deadlines, reviews, kickoff, executive reports and the
/// recurring progress check; UIDs and DTSTAMPs are derived from the content
/// (or `SOURCE_DATE_EPOCH`), so the file is reproducible. It is written as
/// this head, each plan's [`events`], then [`END`].
pub(crate) fn head(config: &Config) -> String {
    use icalendar::Calendar;
    let mut cal = Calendar::empty();
    cal.append_property(icalendar::Property::new("VERSION", "2.0"));
    cal.append_property(icalendar::Property::new(
        "PRODID",
        "-//planbook//planbook//EN",
    ));
    cal.append_property(icalendar::Property::new("CALSCALE", "GREGORIAN"));
    cal.name(&config.site.title);
    let text = cal.done().to_string();
    text.strip_suffix(END).unwrap_or(&text).to_string()
}

/// The calendar's last line.
pub(crate) const END: &str = "END:VCALENDAR\r\n";

/// One plan's events (`BEGIN:VEVENT` … `END:VEVENT` lines), rendered by
/// icalendar on their own so that they can be cached per plan.
pub(crate) fn events(
    plan: &Plan,
    config: &Config,
    base_url: &str,
    build_date: Option<NaiveDate>,
) -> String {
    let mut out = String::new();
    push_events(&mut out, plan, config, base_url, build_date);
    out
}

/// Writes each event of `plan` to `out` as icalendar formats it inside a
/// calendar (no calendar around it, and no copy of each event).
fn push_events(
    out: &mut String,
    plan: &Plan,
    config: &Config,
    base_url: &str,
    build_date: Option<NaiveDate>,
) {
    use icalendar::{Component, Event, EventLike};
    let lang = config.lang();
    let Some(start) = plan.start.copied() else {
        return;
    };
    let stamp = Utc.from_utc_datetime(
        &build_date
            .unwrap_or(start)
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default(),
    );
    // The same for every event of the plan: formatted once (icalendar's
    // `timestamp` formats it with chrono's strftime each time).
    let stamp_text = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    let url = crate::paths::Page::plan(&plan.id).href(base_url);
    let title = plan.title_text();
    let absolute = is_absolute(base_url);
    // Each executive report links to the plan's report page, the progress
    // check to the check page, everything else to the plan page.
    let report_url =
        crate::paths::Page::Plan(crate::paths::PlanPage::Report, &plan.id).href(base_url);
    let check_url = crate::paths::Page::Shared(crate::paths::SharedPage::Check).href(base_url);
    // Every event but the recurring check is an all-day event with the same
    // six properties: written directly (see [`all_day_event`]), since the
    // calendar has one per task of every plan.
    let mut event = |uid: String, date: NaiveDate, summary: String, url: &str| {
        all_day_event(
            out,
            &AllDay {
                uid: &uid,
                date,
                stamp: &stamp_text,
                summary: &summary,
                url: absolute.then_some(url),
            },
        );
    };
    let mut all_day =
        |uid: String, date: NaiveDate, summary: String| event(uid, date, summary, &url);
    for (i, m) in plan.milestones().iter().enumerate() {
        let mid = m
            .id_text()
            .map_or_else(|| format!("{}", i + 1), str::to_string);
        if let Some(due) = m.due.copied() {
            all_day(
                format!("{}-{mid}-due", plan.id),
                due,
                format!(
                    "[{title}] {mid} {}: {}",
                    label(lang, "due"),
                    m.title.text().unwrap_or("")
                ),
            );
        }
        if let Some(r) = m.review.copied() {
            all_day(
                format!("{}-{mid}-review", plan.id),
                r,
                format!("[{title}] {mid} {}", label(lang, "review")),
            );
        }
        for (j, t) in m.tasks().iter().enumerate() {
            // A dropped task is off the team's calendar (the uid keeps its
            // place, so the other tasks' events keep theirs).
            if t.status() == crate::model::TaskStatus::Dropped {
                continue;
            }
            let Some(due) = t.due.copied() else { continue };
            let role = t
                .role
                .text()
                .and_then(|r| config.roles.get(r))
                .map_or("", String::as_str);
            all_day(
                format!("{}-{mid}-task-{}", plan.id, j + 1),
                due,
                format!("[{title}] {role}: {}", t.do_.text().unwrap_or("")),
            );
        }
    }
    let meetings = plan.meetings.value();
    if let Some(k) = meetings
        .and_then(|m| m.kickoff.value())
        .and_then(|k| k.date.copied())
    {
        all_day(
            format!("{}-kickoff", plan.id),
            k,
            format!("[{title}] {}", label(lang, "kickoff")),
        );
    }
    if let Some(e) = meetings.and_then(|m| m.executive.value()) {
        let audience = e.audience.text().unwrap_or("");
        for (i, d) in e
            .dates
            .value()
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            event(
                format!("{}-executive-{}", plan.id, i + 1),
                d.value,
                format!("[{title}] {} ({audience})", label(lang, "executive")),
                &report_url,
            );
        }
    }
    // The recurring progress check, from the first matching weekday on
    // or after start until the last milestone's due date.
    let progress = meetings.and_then(|m| m.progress.value());
    if let Some(pr) = progress
        && let (Some(every), Some(weekday)) = (pr.every.copied(), pr.weekday.copied())
    {
        let wd = chrono_weekday(weekday);
        let mut first = start;
        while first.weekday() != wd {
            first += Duration::days(1);
        }
        let until = plan
            .milestones()
            .iter()
            .filter_map(|m| m.due.copied())
            .max()
            .unwrap_or(start + Duration::days(90));
        let rrule = match every {
            Every::Week => format!("FREQ=WEEKLY;BYDAY={}", byday(weekday)),
            Every::TwoWeeks => format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={}", byday(weekday)),
            Every::Month => format!("FREQ=MONTHLY;BYDAY=1{}", byday(weekday)),
        };
        let times = pr.time.text().and_then(parse_time_range);
        // UNTIL has the value type of DTSTART: a date, or a floating time.
        let until = match times {
            Some(_) => until.format("%Y%m%dT235959").to_string(),
            None => until.format("%Y%m%d").to_string(),
        };
        let mut ev = Event::new();
        ev.uid(&format!("{}-progress@planbook", plan.id))
            .summary(&format!("[{title}] {}", label(lang, "progress")))
            .timestamp(stamp)
            .add_property("RRULE", format!("{rrule};UNTIL={until}"));
        if absolute {
            ev.url(&check_url);
        }
        match times {
            Some((a, b)) => {
                ev.starts(first.and_time(a)).ends(first.and_time(b));
            }
            None => {
                ev.starts(first).ends(first + Duration::days(1));
            }
        }
        // Writing to a String cannot fail.
        let _ = ev.fmt_write(out);
    }
}

/// One all-day event: `DTEND`, `DTSTAMP`, `DTSTART`, `SUMMARY`, `UID` and,
/// under an absolute base URL, `URL`.
struct AllDay<'a> {
    /// Without the `@planbook` suffix.
    uid: &'a str,
    date: NaiveDate,
    /// `YYYYMMDDTHHMMSSZ`.
    stamp: &'a str,
    summary: &'a str,
    url: Option<&'a str>,
}

/// Writes `e` as icalendar's `Event::fmt_write` does: properties in key
/// order, TEXT values escaped, each line folded by [`fold_into`].
fn all_day_event(out: &mut String, e: &AllDay<'_>) {
    let mut line = String::with_capacity(160);
    let mut prop = |out: &mut String, write: &dyn Fn(&mut String)| {
        line.clear();
        write(&mut line);
        fold_into(out, &line);
    };
    let ymd = |l: &mut String, d: NaiveDate| {
        let _ = write!(l, "{:04}{:02}{:02}", d.year(), d.month(), d.day());
    };
    out.push_str("BEGIN:VEVENT\r\n");
    prop(out, &|l| {
        l.push_str("DTEND;VALUE=DATE:");
        ymd(l, e.date + Duration::days(1));
    });
    prop(out, &|l| {
        l.push_str("DTSTAMP:");
        l.push_str(e.stamp);
    });
    prop(out, &|l| {
        l.push_str("DTSTART;VALUE=DATE:");
        ymd(l, e.date);
    });
    prop(out, &|l| {
        l.push_str("SUMMARY:");
        escape_text(l, e.summary);
    });
    prop(out, &|l| {
        l.push_str("UID:");
        escape_text(l, e.uid);
        l.push_str("@planbook");
    });
    if let Some(url) = e.url {
        prop(out, &|l| {
            l.push_str("URL:");
            l.push_str(url);
        });
    }
    out.push_str("END:VEVENT\r\n");
}

/// RFC 5545 TEXT escaping, as icalendar does it (`\r` is left alone). The
/// characters escaped are ASCII, so the text is copied in runs between them.
fn escape_text(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'\\' => "\\\\",
            b',' => "\\,",
            b';' => "\\;",
            b'\n' => "\\n",
            _ => continue,
        };
        out.push_str(s.get(start..i).unwrap_or_default());
        out.push_str(escaped);
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or_default());
}

/// Appends `line` and CRLF to `out`, folded at 75 octets exactly as
/// icalendar's `fold_line` folds it (including its test for whitespace,
/// which reads the character at the byte offset's *char* index).
fn fold_into(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    if line.len() <= LIMIT {
        out.push_str(line);
        out.push_str("\r\n");
        return;
    }
    let ws = |n: usize| line.chars().nth(n).is_some_and(char::is_whitespace);
    let mut remaining = line.len();
    let mut pos = 0;
    let mut next = LIMIT;
    while remaining > LIMIT {
        if ws(next) {
            next -= 1;
        }
        while !line.is_char_boundary(next) {
            next -= 1;
            if ws(next) {
                next -= 1;
            }
        }
        out.push_str(line.get(pos..next).unwrap_or_default());
        out.push_str("\r\n ");
        remaining -= next - pos;
        pos = next;
        next += LIMIT - 1;
    }
    out.push_str(line.get(line.len() - remaining..).unwrap_or_default());
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same event built with the icalendar crate.
    fn crate_event(e: &AllDay<'_>) -> String {
        use icalendar::{Component, Event};
        let date = |key: &str, d: NaiveDate| {
            icalendar::Property::new(key, d.format("%Y%m%d").to_string())
                .append_parameter(icalendar::ValueType::Date)
                .done()
        };
        let mut ev = Event::new();
        ev.uid(&format!("{}@planbook", e.uid))
            .summary(e.summary)
            .append_property(date("DTSTART", e.date))
            .append_property(date("DTEND", e.date + Duration::days(1)))
            .add_property("DTSTAMP", e.stamp);
        if let Some(url) = e.url {
            ev.url(url);
        }
        let mut out = String::new();
        ev.fmt_write(&mut out).unwrap();
        out
    }

    #[test]
    fn all_day_events_are_written_as_icalendar_writes_them() {
        let long_ja = "推薦によるお気に入り登録率の向上".repeat(7);
        let summaries = [
            "short".to_string(),
            String::new(),
            "a, b; c\\d\ne\r\nf".to_string(),
            format!("[{long_ja}] 開発者: タスクを進める"),
            "x".repeat(74),
            "x".repeat(75),
            "x".repeat(76),
            format!("{} {}", "a".repeat(73), "b".repeat(200)),
            format!("{}  , ;; 推 {}", "y".repeat(70), "é".repeat(120)),
            "🙂 ".repeat(60),
        ];
        let date = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        for (i, summary) in summaries.iter().enumerate() {
            let uid = format!("plan-{i}-m1-task-{i},;x");
            for url in [None, Some("https://example.com/plans/p/index.html")] {
                let e = AllDay {
                    uid: &uid,
                    date,
                    stamp: "20261228T000000Z",
                    summary,
                    url,
                };
                let mut ours = String::new();
                all_day_event(&mut ours, &e);
                assert_eq!(ours, crate_event(&e), "summary {summary:?}");
            }
        }
    }

    #[test]
    fn time_ranges_parse() {
        let (a, b) = parse_time_range("10:00-10:30").unwrap();
        assert_eq!(
            (a.to_string().as_str(), b.to_string().as_str()),
            ("10:00:00", "10:30:00")
        );
        assert!(parse_time_range("soon").is_none());
    }
}
