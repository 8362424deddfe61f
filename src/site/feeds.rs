//! Machine-readable outputs: the Atom changelog (atom_syndication), the
//! iCalendar file (icalendar) and `plans.json`.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};

use crate::config::Config;
use crate::i18n::Lang;
use crate::load::PlanFile;
use crate::model::{Every, Plan, Update, Weekday};
use crate::site::labels::label;

/// One update of one plan, for the changelog page and feed.
pub struct UpdateEntry<'a> {
    pub plan: &'a Plan,
    pub update: &'a Update,
    /// Position in the plan's `updates` list.
    pub index: usize,
    pub date: Option<NaiveDate>,
    pub milestone_title: Option<&'a str>,
}

/// Every update of every plan, newest first (ties: plan id, list order).
pub fn all_updates<'a>(plans: &[&'a PlanFile]) -> Vec<UpdateEntry<'a>> {
    let mut out: Vec<UpdateEntry<'a>> = plans
        .iter()
        .flat_map(|p| {
            let plan = &p.plan;
            plan.updates()
                .iter()
                .enumerate()
                .map(move |(index, update)| {
                    let milestone_title = update
                        .milestone
                        .text()
                        .and_then(|id| plan.milestone(id))
                        .and_then(|m| m.title.text());
                    UpdateEntry {
                        plan,
                        update,
                        index,
                        date: update.date.copied(),
                        milestone_title,
                    }
                })
        })
        .collect();
    out.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.plan.id.cmp(&b.plan.id))
            .then_with(|| a.index.cmp(&b.index))
    });
    out
}

/// True for a base URL with a scheme (`https://…`), which feeds and
/// calendars can use for absolute links.
pub fn is_absolute(base_url: &str) -> bool {
    base_url.contains("://")
}

fn midnight(d: NaiveDate) -> chrono::DateTime<chrono::FixedOffset> {
    let utc = Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default());
    utc.fixed_offset()
}

/// The changelog as an Atom feed. Ids are `tag:` URIs, stable whatever the
/// base URL; links are absolute under `base_url`.
pub fn atom(updates: &[UpdateEntry<'_>], config: &Config, base_url: &str, lang: Lang) -> String {
    use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
    let link = |href: String, rel: &str| {
        let mut l = Link::default();
        l.set_href(href);
        l.set_rel(rel);
        l
    };
    let mut feed = Feed::default();
    feed.set_title(Text::plain(format!(
        "{} — {}",
        config.site.title,
        label(lang, "changelog")
    )));
    feed.set_id(if is_absolute(base_url) {
        format!("{base_url}changelog.xml")
    } else {
        "urn:planbook:changelog".to_string()
    });
    feed.set_lang(Some(lang.code().to_string()));
    let newest = updates.iter().filter_map(|u| u.date).max();
    feed.set_updated(midnight(newest.unwrap_or_default()));
    feed.set_links(vec![
        link(format!("{base_url}changelog.xml"), "self"),
        link(format!("{base_url}changelog/index.html"), "alternate"),
    ]);
    let mut author = Person::default();
    author.set_name(config.site.title.clone());
    feed.set_authors(vec![author]);
    let entries: Vec<Entry> = updates
        .iter()
        .map(|u| {
            let date = u.date.unwrap_or_default();
            let milestone = u.update.milestone.text().unwrap_or("");
            let mut e = Entry::default();
            let headline = u.update.answered.text().unwrap_or(milestone);
            e.set_title(Text::plain(format!("{}: {headline}", u.plan.title_text())));
            e.set_id(format!(
                "urn:planbook:{}:{}:{}:{}",
                u.plan.id, milestone, date, u.index
            ));
            e.set_updated(midnight(date));
            e.set_links(vec![link(
                format!("{base_url}plans/{}/index.html#changelog", u.plan.id),
                "alternate",
            )]);
            let mut html = String::new();
            let md = |s: &str| {
                crate::site::markdown::render_in(
                    s,
                    config.markdown.unsafe_html,
                    2,
                    "",
                    config.lang(),
                )
            };
            if let Some(a) = u.update.answered.text() {
                html.push_str(&format!(
                    "<p><strong>{}</strong>: {}</p>",
                    crate::html::esc(&label(lang, "answered")),
                    crate::html::esc(a)
                ));
            }
            let answers = crate::ledger::answers(u.plan, u.update);
            if !answers.is_empty() {
                html.push_str("<ul>");
                for a in &answers {
                    let verdict = label(lang, &format!("q_{}", a.state().as_str()));
                    html.push_str(&format!(
                        "<li><strong>{}</strong> {}",
                        crate::html::esc(&verdict),
                        crate::html::esc(&a.ask())
                    ));
                    if let Some(f) = a.answer.finding.text() {
                        html.push_str(&format!(": {}", crate::html::esc(f)));
                    }
                    html.push_str("</li>");
                }
                html.push_str("</ul>");
            }
            if let Some(s) = u.update.story.text() {
                html.push_str(&format!(
                    "<h3>{}</h3>{}",
                    crate::html::esc(&label(lang, "story_update")),
                    md(s)
                ));
            }
            if let Some(b) = u.update.business_model.text() {
                html.push_str(&format!(
                    "<h3>{}</h3>{}",
                    crate::html::esc(&label(lang, "business_model_update")),
                    md(b)
                ));
            }
            let mut content = Content::default();
            content.set_content_type(Some("html".to_string()));
            content.set_value(Some(html));
            e.set_content(Some(content));
            e
        })
        .collect();
    feed.set_entries(entries);
    feed.to_string()
}

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
/// this head, each plan's [`calendar_events`], then [`CAL_END`].
pub fn calendar_head(config: &Config) -> String {
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
    text.strip_suffix(CAL_END).unwrap_or(&text).to_string()
}

/// The calendar's last line.
pub const CAL_END: &str = "END:VCALENDAR\r\n";

/// One plan's events (`BEGIN:VEVENT` … `END:VEVENT` lines), rendered by
/// icalendar on their own so that they can be cached per plan.
pub fn calendar_events(
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
    // Writing to a String cannot fail.
    let mut emit = |ev: &Event| {
        let _ = ev.fmt_write(out);
    };
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
    let url = format!("{base_url}plans/{}/index.html", plan.id);
    let title = plan.title_text();
    let absolute = is_absolute(base_url);
    // Each executive report links to the plan's report page, the progress
    // check to the check page, everything else to the plan page.
    let report_url = format!("{base_url}plans/{}/report/index.html", plan.id);
    let check_url = format!("{base_url}check/index.html");
    let mut event = |uid: String, date: NaiveDate, summary: String, url: &str| {
        let mut ev = Event::new();
        ev.uid(&format!("{uid}@planbook"))
            .summary(&summary)
            .append_property(date_property("DTSTART", date))
            .append_property(date_property("DTEND", date + Duration::days(1)))
            .add_property("DTSTAMP", &stamp_text);
        if absolute {
            ev.url(url);
        }
        emit(&ev);
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
        emit(&ev);
    }
}

/// An all-day `DTSTART`/`DTEND` as icalendar writes it for a date
/// (`KEY;VALUE=DATE:YYYYMMDD`), without a strftime pass per event: the
/// calendar has one per task of every plan.
fn date_property(key: &str, d: NaiveDate) -> icalendar::Property {
    use chrono::Datelike;
    let ymd = format!("{:04}{:02}{:02}", d.year(), d.month(), d.day());
    icalendar::Property::new(key, ymd)
        .append_parameter(icalendar::ValueType::Date)
        .done()
}

#[cfg(test)]
mod tests {
    use super::*;

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
