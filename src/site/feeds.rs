//! The changelog's entries (every update of every plan, newest first) and
//! its Atom feed (atom_syndication).

use chrono::{NaiveDate, TimeZone, Utc};

use crate::config::Config;
use crate::i18n::Lang;
use crate::labels::{label, label_for};
use crate::model::PlanFile;
use crate::model::{Plan, Update};
use crate::paths::{Page, SharedPage};

/// One update of one plan, for the changelog page and feed.
pub(crate) struct UpdateEntry<'a> {
    pub plan: &'a Plan,
    /// The plan file's cache key ([`PlanFile::key`]).
    pub key: u64,
    pub update: &'a Update,
    /// Position in the plan's `updates` list.
    pub index: usize,
    pub date: Option<NaiveDate>,
    pub milestone_title: Option<&'a str>,
}

/// Every update of every plan, newest first (ties: plan id, list order).
pub(crate) fn all_updates<'a>(plans: &[&'a PlanFile]) -> Vec<UpdateEntry<'a>> {
    let mut out: Vec<UpdateEntry<'a>> = plans
        .iter()
        .flat_map(|p| {
            let plan = &p.plan;
            let key = p.key;
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
                        key,
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
pub(crate) fn is_absolute(base_url: &str) -> bool {
    base_url.contains("://")
}

fn midnight(d: NaiveDate) -> chrono::DateTime<chrono::FixedOffset> {
    let utc = Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default());
    utc.fixed_offset()
}

/// The changelog as an Atom feed. Ids are `tag:` URIs, stable whatever the
/// base URL; links are absolute under `base_url`.
pub(crate) fn atom(
    r: &super::Renderer,
    updates: &[UpdateEntry<'_>],
    config: &Config,
    base_url: &str,
    lang: Lang,
    fragments: Option<&super::Fragments>,
) -> anyhow::Result<String> {
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
        link(Page::Shared(SharedPage::Feed).href(base_url), "self"),
        link(
            Page::Shared(SharedPage::Changelog).href(base_url),
            "alternate",
        ),
    ]);
    let mut author = Person::default();
    author.set_name(config.site.title.clone());
    feed.set_authors(vec![author]);
    let entries: Vec<Entry> = updates
        .iter()
        .map(|u| -> anyhow::Result<Entry> {
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
                format!(
                    "{}#changelog",
                    crate::paths::Page::plan(&u.plan.id).href(base_url)
                ),
                "alternate",
            )]);
            let html: std::sync::Arc<str> = match fragments.filter(|_| u.key != 0) {
                Some(f) => f.feed_html((u.key, u.index), || entry_html(r, u, config, lang))?,
                None => entry_html(r, u, config, lang)?.into(),
            };
            let mut content = Content::default();
            content.set_content_type(Some("html".to_string()));
            content.set_value(Some(html.to_string()));
            e.set_content(Some(content));
            Ok(e)
        })
        .collect::<anyhow::Result<_>>()?;
    feed.set_entries(entries);
    Ok(feed.to_string())
}

/// `feed_entry.html`'s `answers`: each question the update answers.
#[derive(serde::Serialize)]
struct FeedAnswer<'a> {
    verdict: std::borrow::Cow<'static, str>,
    ask: String,
    finding: Option<&'a str>,
}

/// An update as the HTML content of its feed entry (the theme's
/// `feed_entry.html`): the answer, each question's verdict and finding, the
/// story and business-model updates.
fn entry_html(
    r: &super::Renderer,
    u: &UpdateEntry<'_>,
    config: &Config,
    lang: Lang,
) -> anyhow::Result<String> {
    let md = |s: &str| {
        crate::site::markdown::render_in(s, config.markdown.unsafe_html, 2, "", config.lang())
    };
    let answers: Vec<FeedAnswer<'_>> = crate::ledger::answers(u.plan, u.update)
        .iter()
        .map(|a| FeedAnswer {
            verdict: label_for(lang, "q_", a.state().as_str()),
            ask: a.ask(),
            finding: a.answer.finding.text(),
        })
        .collect();
    let mut ctx = r.item_ctx("");
    ctx.insert("answered", &u.update.answered.text());
    ctx.insert("answers", &answers);
    ctx.insert("story", &u.update.story.text().map(md));
    ctx.insert("business_model", &u.update.business_model.text().map(md));
    let bytes = r.render("feed_entry.html", &ctx)?;
    String::from_utf8(bytes).map_err(|e| anyhow::anyhow!("feed_entry.html: {e}"))
}
