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
                    let milestone_title = plan
                        .milestones()
                        .iter()
                        .find(|m| m.id_text().is_some() && m.id_text() == update.milestone.text())
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
            let md = |s: &str| crate::site::markdown::render(s, config.markdown.unsafe_html, 2, "");
            if let Some(a) = u.update.answered.text() {
                html.push_str(&format!(
                    "<p><strong>{}</strong>: {}</p>",
                    crate::site::chart::esc(&label(lang, "answered")),
                    crate::site::chart::esc(a)
                ));
            }
            let answers = crate::ledger::answers(u.plan, u.update);
            if !answers.is_empty() {
                html.push_str("<ul>");
                for a in &answers {
                    let verdict = label(lang, &format!("q_{}", a.state().as_str()));
                    html.push_str(&format!(
                        "<li><strong>{}</strong> {}",
                        crate::site::chart::esc(&verdict),
                        crate::site::chart::esc(&a.ask())
                    ));
                    if let Some(f) = a.answer.finding.text() {
                        html.push_str(&format!(": {}", crate::site::chart::esc(f)));
                    }
                    html.push_str("</li>");
                }
                html.push_str("</ul>");
            }
            if let Some(s) = u.update.story.text() {
                html.push_str(&format!(
                    "<h3>{}</h3>{}",
                    crate::site::chart::esc(&label(lang, "story_update")),
                    md(s)
                ));
            }
            if let Some(b) = u.update.business_model.text() {
                html.push_str(&format!(
                    "<h3>{}</h3>{}",
                    crate::site::chart::esc(&label(lang, "business_model_update")),
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

/// Writes `plans.json` (every plan as parsed, the frontmatter's keys, plus
/// `file`, `ice.score` and `progress`) from entries made by [`plan_json`]:
/// the same bytes as `serde_json::to_string` of the whole document (compact:
/// a data file for programs, about half the size of pretty-printed JSON),
/// and a final newline.
pub fn write_plans_json<S: AsRef<str>>(
    w: &mut dyn std::io::Write,
    entries: impl Iterator<Item = S>,
) -> std::io::Result<()> {
    let mut out = PlansJson::new(w);
    for e in entries {
        out.entry(e.as_ref())?;
    }
    out.finish().map(drop)
}

/// `plans.json` written one entry at a time, for builds that make the
/// entries as they go: the same bytes as [`write_plans_json`].
pub struct PlansJson<W> {
    w: W,
    entries: usize,
}

impl<W: std::io::Write> PlansJson<W> {
    pub fn new(w: W) -> PlansJson<W> {
        PlansJson { w, entries: 0 }
    }

    /// Appends one entry made by [`plan_json`].
    pub fn entry(&mut self, entry: &str) -> std::io::Result<()> {
        let sep: &[u8] = if self.entries == 0 {
            b"{\"plans\":["
        } else {
            b","
        };
        self.w.write_all(sep)?;
        self.w.write_all(entry.as_bytes())?;
        self.entries += 1;
        Ok(())
    }

    /// Closes the document and hands back the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        let end: &[u8] = if self.entries == 0 {
            b"{\"plans\":[]}\n"
        } else {
            b"]}\n"
        };
        self.w.write_all(end)?;
        Ok(self.w)
    }
}

/// One plan of `plans.json`, compact: the frontmatter's keys as YAML types
/// them ([`crate::yaml::Node::to_json`]), `id` and `file` set, `ice.score`
/// added and `progress` appended, as `serde_json::to_string` writes them.
/// Written straight from the
/// tree: building a `serde_json::Value` first cost a tenth of a build.
pub fn plan_json(plan: &Plan) -> String {
    let mut w = JsonWriter::default();
    let root = plan.frontmatter.as_ref().and_then(|n| match &n.value {
        crate::yaml::Value::Map(entries) => Some(entries),
        _ => None,
    });
    let score = Json::Num(plan.ice_score());
    let pr = crate::site::progress(plan);
    let latest_date = pr.latest.map(|(d, _)| d.to_string());
    let progress = Json::Obj(vec![
        ("latest", Json::Num(pr.latest.map(|(_, v)| v))),
        (
            "latest_date",
            latest_date.as_deref().map_or(Json::Null, Json::Str),
        ),
        (
            "next_target",
            Json::Num(pr.next.and_then(|m| m.target.copied())),
        ),
        (
            "next_milestone",
            pr.next
                .and_then(|m| m.id_text())
                .map_or(Json::Null, Json::Str),
        ),
    ]);
    let mut fields: Vec<(&str, Json<'_>)> = Vec::new();
    for (key, node) in root.map(|e| dedup(e)).unwrap_or_default() {
        let value = match key {
            "id" => Json::Str(&plan.id),
            "file" => Json::Str(&plan.file),
            "progress" => progress.clone(),
            "ice" => match &node.value {
                crate::yaml::Value::Map(entries) => {
                    let mut ice: Vec<(&str, Json<'_>)> = dedup(entries)
                        .into_iter()
                        .map(|(k, n)| (k, Json::Node(n)))
                        .collect();
                    match ice.iter_mut().find(|(k, _)| *k == "score") {
                        Some(slot) => slot.1 = score.clone(),
                        None => ice.push(("score", score.clone())),
                    }
                    Json::Obj(ice)
                }
                _ => Json::Node(node),
            },
            _ => Json::Node(node),
        };
        fields.push((key, value));
    }
    for (key, value) in [
        ("id", Json::Str(&plan.id)),
        ("file", Json::Str(&plan.file)),
        ("progress", progress.clone()),
    ] {
        if !fields.iter().any(|(k, _)| *k == key) {
            fields.push((key, value));
        }
    }
    w.value(&Json::Obj(fields));
    String::from_utf8(w.out).unwrap_or_default()
}

/// A mapping's entries with duplicate keys folded as a JSON object folds
/// them: the first position, the last value.
fn dedup(entries: &[crate::yaml::Entry]) -> Vec<(&str, &crate::yaml::Node)> {
    let mut out: Vec<(&str, &crate::yaml::Node)> = Vec::with_capacity(entries.len());
    for e in entries {
        match out.iter_mut().find(|(k, _)| *k == e.key) {
            Some(slot) => slot.1 = &e.value,
            None => out.push((&e.key, &e.value)),
        }
    }
    out
}

/// What [`plan_json`] writes.
#[derive(Clone)]
enum Json<'a> {
    Null,
    Str(&'a str),
    /// A number, `null` when absent or not finite.
    Num(Option<f64>),
    Obj(Vec<(&'a str, Json<'a>)>),
    Node(&'a crate::yaml::Node),
}

/// Compact JSON as serde_json writes it.
#[derive(Default)]
struct JsonWriter {
    out: Vec<u8>,
}

impl JsonWriter {
    fn string(&mut self, s: &str) {
        let _ = serde_json::to_writer(&mut self.out, s);
    }

    fn number(&mut self, n: Option<f64>) {
        match n.filter(|n| n.is_finite()) {
            Some(n) => {
                let _ = serde_json::to_writer(&mut self.out, &n);
            }
            None => self.out.extend_from_slice(b"null"),
        }
    }

    fn object<'a>(&mut self, fields: impl Iterator<Item = (&'a str, Json<'a>)>) {
        self.out.push(b'{');
        for (i, (k, v)) in fields.enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            self.string(k);
            self.out.push(b':');
            self.value(&v);
        }
        self.out.push(b'}');
    }

    fn value(&mut self, v: &Json<'_>) {
        match v {
            Json::Null => self.out.extend_from_slice(b"null"),
            Json::Str(s) => self.string(s),
            Json::Num(n) => self.number(*n),
            Json::Obj(fields) => self.object(fields.iter().cloned()),
            Json::Node(node) => self.node(node),
        }
    }

    /// A YAML node, typed as [`crate::yaml::Node::to_json`] types it.
    fn node(&mut self, node: &crate::yaml::Node) {
        use crate::yaml::Value as Y;
        match &node.value {
            Y::Scalar { text, plain } => {
                if !plain {
                    return self.string(text);
                }
                if node.is_null() {
                    return self.out.extend_from_slice(b"null");
                }
                match text.as_str() {
                    "true" | "True" => return self.out.extend_from_slice(b"true"),
                    "false" | "False" => return self.out.extend_from_slice(b"false"),
                    _ => {}
                }
                if let Some(n) = crate::yaml::scalar_number(text) {
                    if let Ok(i) = text.parse::<i64>() {
                        return self.out.extend_from_slice(i.to_string().as_bytes());
                    }
                    if n.is_finite() {
                        return self.number(Some(n));
                    }
                }
                self.string(text)
            }
            Y::Seq(items) => {
                self.out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    self.node(item);
                }
                self.out.push(b']');
            }
            Y::Map(entries) => {
                let fields = dedup(entries);
                self.object(fields.into_iter().map(|(k, n)| (k, Json::Node(n))));
            }
        }
    }
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
    let url = format!("{base_url}plans/{}/index.html", plan.id);
    let title = plan.title_text();
    let absolute = is_absolute(base_url);
    let mut all_day = |uid: String, date: NaiveDate, summary: String| {
        let mut ev = Event::new();
        ev.uid(&format!("{uid}@planbook"))
            .summary(&summary)
            .starts(date)
            .ends(date + Duration::days(1))
            .timestamp(stamp);
        if absolute {
            ev.url(&url);
        }
        emit(&ev);
    };
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
            all_day(
                format!("{}-executive-{}", plan.id, i + 1),
                d.value,
                format!("[{title}] {} ({audience})", label(lang, "executive")),
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
            ev.url(&url);
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn time_ranges_parse() {
        let (a, b) = parse_time_range("10:00-10:30").unwrap();
        assert_eq!(
            (a.to_string().as_str(), b.to_string().as_str()),
            ("10:00:00", "10:30:00")
        );
        assert!(parse_time_range("soon").is_none());
    }

    /// The serde_json way of making a `plans.json` entry, which
    /// [`plan_json`] must equal byte for byte.
    fn plan_json_reference(plan: &Plan) -> String {
        let mut v = plan
            .frontmatter
            .as_ref()
            .map(crate::yaml::Node::to_json)
            .filter(Value::is_object)
            .unwrap_or_else(|| json!({}));
        if let Some(obj) = v.as_object_mut() {
            obj.insert("id".into(), json!(plan.id));
            obj.insert("file".into(), json!(plan.file));
            if let Some(ice) = obj.get_mut("ice").and_then(Value::as_object_mut) {
                ice.insert("score".into(), json!(plan.ice_score()));
            }
            let pr = crate::site::progress(plan);
            obj.insert(
                "progress".into(),
                json!({
                    "latest": pr.latest.map(|(_, v)| v),
                    "latest_date": pr.latest.map(|(d, _)| d.to_string()),
                    "next_target": pr.next.and_then(|m| m.target.copied()),
                    "next_milestone": pr.next.and_then(|m| m.id_text()),
                }),
            );
        }
        serde_json::to_string(&v).unwrap()
    }

    #[test]
    fn plan_json_matches_serde_json() {
        let config = Config::default();
        let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = walkdir::WalkDir::new(demo.join("content"))
            .into_iter()
            .chain(walkdir::WalkDir::new(demo.join("tests/fixtures")))
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        texts.extend(
            [
                "---\ntitle: dup\ntitle: again\nid: x\nice: 3\nprogress: [1]\n---\n",
                "---\n- a list\n---\n",
                "---\ntitle: t\nice: {impact: 2, ease: 3, confidence: .inf, score: 1, impact: 4}\nfile: f\nnums: [1, -2, 0x1f, 1e3, 2.50, .nan, ~, null, true, False, \"7\", '8']\nempty: {}\nnone: []\nnested: [{a: [], b: {}}, [ ]]\n---\n",
                "---\n---\n",
            ]
            .map(String::from),
        );
        assert!(texts.len() > 5);
        for text in &texts {
            let (plan, _) =
                crate::frontmatter::parse_plan(text, "content/p.md", "p", &config, true);
            assert_eq!(plan_json(&plan), plan_json_reference(&plan), "{text}");
        }
    }

    /// `plans.json` assembled from per-plan entries is what serialising the
    /// whole document gives.
    #[test]
    fn plans_json_pieces_match_the_whole() {
        let config = Config::default();
        let text = "---\ntitle: \"a \\\"quoted\\\" \\n title\"\nstart: 2026-12-01\nteam: {pm: a}\nice: {impact: 2, ease: 3, confidence: 1}\nmilestones: []\n---\nbody\n";
        let (plan, _) = crate::frontmatter::parse_plan(text, "content/a.md", "a", &config, true);
        let file = PlanFile {
            plan,
            findings: Vec::new(),
            key: 0,
        };
        for plans in [vec![], vec![&file], vec![&file, &file]] {
            let mut out = Vec::new();
            write_plans_json(&mut out, plans.iter().map(|p| plan_json(&p.plan))).unwrap();
            let out = String::from_utf8(out).unwrap();
            let v: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(out, format!("{}\n", serde_json::to_string(&v).unwrap()));
            assert_eq!(v["plans"].as_array().unwrap().len(), plans.len());
        }
    }
}
