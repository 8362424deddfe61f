//! The site (docs/format.md, "The site"): view models from the loaded plans, pages rendered
//! with tera from the theme, feeds, and an atomic write of the output.
//!
//! Templates see view models only (JSON values made here), never the model
//! types, so a theme can change without touching the code.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::git::HistoryEntry;
use crate::model::PlanFile;
use crate::model::{Plan, is_valid_id};
use crate::paths::{Page, PlanPage, SharedPage};
use crate::state::State;
use crate::summary::PlanSummary;

pub(crate) mod calendar;
pub(crate) mod chart;
pub(crate) mod check;
pub(crate) mod feeds;
mod fragments;
pub mod markdown;
mod report;
pub(crate) mod sparkline;
pub(crate) mod theme;
mod view;
pub(crate) mod write;

pub(crate) use fragments::Fragments;
use fragments::Item;
pub(crate) use fragments::{cached, key_of};
pub(crate) use view::Finding;
use view::{
    finding_view, history_view, plan_card, plan_page, severity_counts, summary_view, update_view,
};

use crate::labels::{label, label_for, long_date};

/// What `planbook build` was asked for.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub out: PathBuf,
    pub base_url: String,
    pub today: NaiveDate,
    /// `SOURCE_DATE_EPOCH` as a date, shown as the build date when set.
    pub build_date: Option<NaiveDate>,
    /// Pages get the version switcher and per-version canonical URLs as
    /// markers, filled in per version by [`crate::versions`].
    pub versioned: bool,
    /// Pages carry search: the header box and the search page. Who indexes
    /// them: `build` (`crate::pipeline::stream`), `serve` after each swap, and
    /// `--versions` for the versions that have it (`[search] enabled`,
    /// `[search] versions`). `report --format html` never has it.
    pub search: bool,
}

/// Stands for the base URL of the version a page is written into.
pub(crate) const MARK_BASE: &str = "\u{E000}planbook:base\u{E001}";
/// Stands for the version switcher and banner of a page.
pub(crate) const MARK_NAV: &str = "\u{E000}planbook:nav\u{E001}";

/// Files of a rendered site: relative path → bytes, in path order.
pub(crate) type Files = BTreeMap<String, Vec<u8>>;

/// Normalises a base URL to end with exactly one `/`.
pub fn normalize_base_url(url: &str) -> String {
    let trimmed = url.trim();
    if trimmed.is_empty() {
        return "/".into();
    }
    format!("{}/", trimmed.trim_end_matches('/'))
}

/// The plans that get pages: valid, unique ids (a draft may have a bad or
/// duplicate id and still build; its page is skipped).
pub(crate) fn publishable<P: AsRef<PlanFile>>(plans: &[P]) -> Vec<&PlanFile> {
    let mut seen = std::collections::BTreeSet::new();
    plans
        .iter()
        .map(AsRef::as_ref)
        .filter(|p| can_have_page(&p.plan.id) && seen.insert(p.plan.id.as_str()))
        .collect()
}

/// An id a page can be made for: valid and not reserved. Of the plans that
/// share such an id, the first gets the page ([`publishable`]).
pub(crate) fn can_have_page(id: &str) -> bool {
    is_valid_id(id) && !crate::frontmatter::is_reserved_name(id)
}

/// Templates compiled once, and what every page shares. `serve` keeps one
/// across rebuilds until the config or theme changes.
pub struct Renderer {
    tera: tera::Tera,
    config: Config,
    opts: BuildOptions,
    /// `site` and the labels `t` as tera values, converted once: tera's
    /// maps are shared, so every page's context clones a pointer.
    site: tera::Value,
    labels: tera::Value,
    statics: Vec<(String, Vec<u8>)>,
    /// What rendered items depend on besides their own view: the templates
    /// and the `site` values (see [`Fragments`]).
    scope: u64,
}

impl Renderer {
    /// Loads the theme (embedded, with `themes/<theme>/` overrides under
    /// `root`) and compiles its templates.
    pub fn new(root: &Path, config: &Config, opts: &BuildOptions) -> Result<Renderer> {
        let theme = theme::Theme::load(root, &config.site.theme)
            .with_context(|| format!("cannot read themes/{}", config.site.theme))?;
        Renderer::with_theme(theme, config, opts)
    }

    /// Compiles the templates of `theme`.
    pub(crate) fn with_theme(
        theme: theme::Theme,
        config: &Config,
        opts: &BuildOptions,
    ) -> Result<Renderer> {
        let lang = config.lang();
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str())),
        )
        .map_err(|e| anyhow::anyhow!("theme template error: {e}"))?;
        let site = SiteView {
            title: &config.site.title,
            lang: lang.code(),
            base_url: &opts.base_url,
            build_date: opts.build_date.map(|d| long_date(lang, d)),
            today: opts.today.to_string(),
            search: opts.search,
        };
        let scope = fragments::key_of(&(&theme.templates, &site));
        Ok(Renderer {
            tera,
            config: config.clone(),
            opts: opts.clone(),
            scope,
            site: tera::Value::from_serializable(&site),
            labels: tera::Value::from_serializable(&crate::labels::labels(lang)),
            statics: theme.statics,
        })
    }

    /// What every template gets: `site`, `t` and `root` (the item templates
    /// of [`Fragments`] get no more).
    fn item_ctx(&self, root: &str) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert_value("site", self.site.clone());
        ctx.insert_value("t", self.labels.clone());
        ctx.insert("root", root);
        ctx
    }

    /// The context of a page of the site: `root` and the canonical URL
    /// from where the page lives.
    fn page_ctx(&self, page: Page<'_>, title: &str) -> tera::Context {
        self.ctx(&page.root(), &page.dir(), title)
    }

    fn ctx(&self, root: &str, path: &str, title: &str) -> tera::Context {
        let mut ctx = self.item_ctx(root);
        ctx.insert("page_title", title);
        // `planbook report --format html` is a file on its own: no site
        // header, the stylesheet inlined.
        ctx.insert("standalone", &false);
        // A canonical URL must be absolute: none under a relative base URL.
        let canonical = if !feeds::is_absolute(&self.opts.base_url) {
            String::new()
        } else if self.opts.versioned {
            format!("{MARK_BASE}{path}")
        } else {
            format!("{}{path}", self.opts.base_url)
        };
        ctx.insert("canonical", &canonical);
        ctx.insert(
            "version_nav",
            if self.opts.versioned { MARK_NAV } else { "" },
        );
        ctx
    }

    /// Renders into bytes: tera's `render` builds the same bytes and then
    /// validates them as UTF-8 (3.6 % of a build's instructions), which
    /// templates made of strings cannot break. The buffer starts at the size
    /// of a typical plan page, so that it is rarely copied as it grows.
    fn render(&self, name: &str, ctx: &tera::Context) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(48 * 1024);
        self.tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| anyhow::anyhow!("rendering {name}: {e}"))?;
        // `serve` and `--versions` keep pages: not with half the buffer empty.
        if out.capacity() > 2 * out.len() {
            out.shrink_to_fit();
        }
        Ok(out)
    }

    /// The base URL of the site (the latest version).
    pub(crate) fn base_url(&self) -> &str {
        &self.opts.base_url
    }

    /// `serve`'s page for a path not in the site (the theme's `404.html`),
    /// linking from the server's root.
    pub(crate) fn not_found_page(&self) -> Result<Vec<u8>> {
        let ctx = self.ctx("/", "", &label(self.config.lang(), "not_found"));
        self.render("404.html", &ctx)
    }

    /// `serve`'s error overlay (the theme's `overlay.html`) showing
    /// `message`, the text of a failed build.
    pub(crate) fn overlay(&self, message: &str) -> Result<String> {
        let mut ctx = self.item_ctx("/");
        ctx.insert("message", message);
        let bytes = self.render("overlay.html", &ctx)?;
        String::from_utf8(bytes).map_err(|e| anyhow::anyhow!("overlay.html: {e}"))
    }

    /// The key of what this renderer renders with: its templates and site
    /// values (part of a plan page's cache key, `pipeline::pages`).
    pub(crate) fn scope(&self) -> u64 {
        self.scope
    }

    /// Whether pages carry search (the header box, `search/`).
    pub(crate) fn search(&self) -> bool {
        self.opts.search
    }

    /// The site language.
    pub(crate) fn lang(&self) -> crate::i18n::Lang {
        self.config.lang()
    }

    /// The theme's static files: (name under `static/`, bytes).
    pub(crate) fn statics(&self) -> &[(String, Vec<u8>)] {
        &self.statics
    }

    /// One of a plan's own pages ([`PlanPage`]).
    pub fn page_of(
        &self,
        kind: PlanPage,
        plan: &Plan,
        diags: &[&Diagnostic],
        history: Option<&[HistoryEntry]>,
    ) -> Result<Vec<u8>> {
        match kind {
            PlanPage::Plan => self.plan_page(plan, diags, history),
            PlanPage::Report => self.report_page(plan, diags),
        }
    }

    /// One plan's page; `diags` are that plan's diagnostics, `history` the
    /// commits that changed its file (`None` outside a git repository).
    pub(crate) fn plan_page(
        &self,
        plan: &Plan,
        diags: &[&Diagnostic],
        history: Option<&[HistoryEntry]>,
    ) -> Result<Vec<u8>> {
        let mut ctx = self.page_ctx(Page::plan(&plan.id), plan.title_text());
        ctx.insert_value(
            "plan",
            plan_page(plan, diags, &self.config, self.opts.today),
        );
        ctx.insert_value(
            "history",
            history.map(|h| history_view(h, self.config.lang())).into(),
        );
        self.render("plan.html", &ctx)
    }

    /// Every page and file except the plan pages, `plans.json` and the
    /// calendar (written by [`Renderer::write_plans_json`] and
    /// [`Renderer::write_calendar`], streamed): home, changelog, lint, the
    /// Atom feed and the theme's static files. `base_url` makes the feed's
    /// absolute links.
    pub(crate) fn shared_pages<S: AsRef<PlanSummary> + Sync>(
        &self,
        summaries: &[S],
        index_page: Option<&str>,
        diags: &[Diagnostic],
        base_url: &str,
        fragments: Option<&Fragments>,
    ) -> Result<Files> {
        // The pages read summaries only; as plan files, for the helpers
        // they share with the plan pages.
        let repo_plans: Vec<&PlanFile> = summaries.iter().map(|s| s.as_ref().as_ref()).collect();
        let repo_plans = repo_plans.as_slice();
        let plans = publishable(repo_plans);
        let by_plan = crate::lint::by_plan(diags);
        // Each plan's state, in home-page order.
        let mut ranked: Vec<(&PlanFile, State)> = plans
            .iter()
            .map(|p| {
                let d = by_plan
                    .get(p.plan.id.as_str())
                    .map_or(&[][..], Vec::as_slice);
                let error = has_error(&p.plan, d);
                (*p, crate::state::state(&p.plan, error, self.opts.today))
            })
            .collect();
        crate::state::rank(&mut ranked, |r| &r.0.plan);
        // The pages side by side: each is one template render.
        let ((index, check), (changelog, lint)) = rayon::join(
            || {
                rayon::join(
                    || self.index_page(&ranked, &by_plan, index_page, fragments),
                    || self.check_page(&ranked, fragments),
                )
            },
            || {
                rayon::join(
                    || self.changelog_pages(&plans, base_url, fragments),
                    || self.lint_page(repo_plans, &plans, &by_plan, diags),
                )
            },
        );
        let mut files = Files::new();
        files.insert(SharedPage::Home.path().into(), index?);
        files.insert(SharedPage::Check.path().into(), check?);
        files.extend(changelog?);
        files.insert(SharedPage::Lint.path().into(), lint?);
        if self.opts.search {
            let lang = self.config.lang();
            let page = SharedPage::Search;
            let ctx = self.page_ctx(Page::Shared(page), &label(lang, "search_plans"));
            files.insert(page.path().into(), self.render("search.html", &ctx)?);
        }
        for (name, bytes) in &self.statics {
            files.insert(format!("static/{name}"), bytes.clone());
        }
        Ok(files)
    }

    /// The home page: a card per plan, ranked by ICE score.
    fn index_page(
        &self,
        plans: &[(&PlanFile, State)],
        by_plan: &BTreeMap<&str, Vec<&Diagnostic>>,
        index_page: Option<&str>,
        fragments: Option<&Fragments>,
    ) -> Result<Vec<u8>> {
        let config = &self.config;
        let cards: Vec<(State, tera::Value, tera::Value)> = plans
            .par_iter()
            .map(|&(p, state)| {
                let d = by_plan
                    .get(p.plan.id.as_str())
                    .map_or(&[][..], Vec::as_slice);
                let key: fragments::CardKey = (p.key, severity_counts(d), state);
                let make = || plan_card(&p.plan, d, config, "", state);
                let card = match fragments.filter(|_| p.key != 0) {
                    Some(f) => f.card(key, make),
                    None => make(),
                };
                let item = Item {
                    template: "card.html",
                    name: "p",
                    root: "",
                    key: (p.key != 0).then(|| fragments::key_of(&key)),
                };
                let html = self.item(&item, fragments, || card.clone())?;
                Ok((state, card, html))
            })
            .collect::<Result<_>>()?;
        let lang = config.lang();
        let states: Vec<StateCount> = State::ALL
            .iter()
            .map(|s| StateCount {
                state: s.as_str(),
                label: label_for(lang, "state_", s.as_str()),
                count: cards.iter().filter(|c| c.0 == *s).count(),
            })
            .collect();
        let (views, html): (Vec<tera::Value>, Vec<tera::Value>) =
            cards.into_iter().map(|c| (c.1, c.2)).unzip();
        let mut ctx = self.page_ctx(Page::Shared(SharedPage::Home), &config.site.title);
        ctx.insert_value("plans", tera::Value::from(views));
        ctx.insert_value("cards", tera::Value::from(html));
        ctx.insert("states", &states);
        ctx.insert(
            "intro",
            &index_page
                .map(|md| markdown::render_in(md, config.markdown.unsafe_html, 1, "intro-", lang)),
        );
        self.render("index.html", &ctx)
    }

    /// The progress check's agenda (`check/index.html`); `plans` ranked,
    /// with their states.
    fn check_page(
        &self,
        plans: &[(&PlanFile, State)],
        fragments: Option<&Fragments>,
    ) -> Result<Vec<u8>> {
        let lang = self.config.lang();
        let today = self.opts.today;
        let sections: Vec<tera::Value> = check::on_agenda(plans)
            .par_iter()
            .map(|&(p, state)| {
                let item = Item {
                    template: "plan_check.html",
                    name: "p",
                    root: "../",
                    key: (p.key != 0).then(|| fragments::key_of(&(p.key, state))),
                };
                self.item(&item, fragments, || {
                    check::plan_check(p, state, today, &self.config)
                })
            })
            .collect::<Result<_>>()?;
        let mut ctx = self.page_ctx(Page::Shared(SharedPage::Check), &label(lang, "check"));
        ctx.insert_value("sections", tera::Value::from(sections));
        let d = long_date(lang, today);
        ctx.insert("as_of", &crate::tr!(lang, "{d} 時点", "As of {d}"));
        self.render("check.html", &ctx)
    }

    /// The changelog page and its Atom feed.
    fn changelog_pages(
        &self,
        plans: &[&PlanFile],
        base_url: &str,
        fragments: Option<&Fragments>,
    ) -> Result<Files> {
        let config = &self.config;
        let lang = config.lang();
        let updates = feeds::all_updates(plans);
        let entries: Vec<tera::Value> = updates
            .par_iter()
            .map(|u| {
                let item = Item {
                    template: "update.html",
                    name: "u",
                    root: "../",
                    key: (u.key != 0).then(|| fragments::key_of(&(u.key, u.index))),
                };
                self.item(&item, fragments, || update_view(u, config, "../"))
            })
            .collect::<Result<_>>()?;
        let mut ctx = self.page_ctx(
            Page::Shared(SharedPage::Changelog),
            &label(lang, "changelog"),
        );
        ctx.insert_value("entries", tera::Value::from(entries));
        let mut files = Files::new();
        files.insert(
            SharedPage::Changelog.path().into(),
            self.render("changelog.html", &ctx)?,
        );
        files.insert(
            SharedPage::Feed.path().into(),
            feeds::atom(self, &updates, config, base_url, lang, fragments)?.into_bytes(),
        );
        Ok(files)
    }

    /// The lint page: every finding, grouped by plan file.
    fn lint_page<P: AsRef<PlanFile>>(
        &self,
        repo_plans: &[P],
        plans: &[&PlanFile],
        by_plan: &BTreeMap<&str, Vec<&Diagnostic>>,
        diags: &[Diagnostic],
    ) -> Result<Vec<u8>> {
        let lang = self.config.lang();
        let linked: HashSet<*const PlanFile> =
            plans.iter().map(|p| std::ptr::from_ref(*p)).collect();
        let groups: Vec<LintGroup<'_>> = repo_plans
            .iter()
            .map(AsRef::as_ref)
            .filter_map(|p| {
                let d = by_plan.get(p.plan.id.as_str())?;
                let d: Vec<&&Diagnostic> = d.iter().filter(|d| d.file == p.plan.file).collect();
                if d.is_empty() {
                    return None;
                }
                let linked = linked.contains(&std::ptr::from_ref(p));
                Some(LintGroup {
                    id: &p.plan.id,
                    title: p.plan.title_text(),
                    file: &p.plan.file,
                    href: linked.then(|| Page::plan(&p.plan.id).href("../")),
                    findings: d.iter().map(|d| finding_view(d, lang)).collect(),
                })
            })
            .collect();
        let mut ctx = self.page_ctx(Page::Shared(SharedPage::Lint), &label(lang, "lint"));
        ctx.insert("groups", &groups);
        ctx.insert("summary", &summary_view(diags, repo_plans.len()));
        self.render("lint.html", &ctx)
    }

    /// Every shared file in memory, `plans.json` and the calendar included
    /// (for `serve`).
    pub fn shared_files<P: AsRef<PlanFile> + Sync>(
        &self,
        repo_plans: &[P],
        index_page: Option<&str>,
        diags: &[Diagnostic],
        base_url: &str,
    ) -> Result<Files> {
        let today = self.opts.today;
        let summaries: Vec<PlanSummary> = repo_plans
            .par_iter()
            .map(|p| PlanSummary::of(p.as_ref(), today))
            .collect();
        let mut files = self.shared_pages(&summaries, index_page, diags, base_url, None)?;
        let mut json = Vec::new();
        self.write_plans_json(repo_plans, &mut json)?;
        files.insert("plans.json".into(), json);
        let mut cal = Vec::new();
        self.write_calendar(repo_plans, base_url, None, &mut cal)?;
        files.insert("calendar.ics".into(), cal);
        Ok(files)
    }

    /// Writes `plans.json` (docs/format.md) to `w`.
    pub(crate) fn write_plans_json<P: AsRef<PlanFile> + Sync>(
        &self,
        repo_plans: &[P],
        w: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let plans = publishable(repo_plans);
        crate::plans_json::write_plans_json(w, plans.iter().map(|p| self.json_fragment(p)))
    }

    /// Writes `calendar.ics` to `w`, making the events of a few hundred
    /// plans at a time in parallel.
    pub(crate) fn write_calendar<P: AsRef<PlanFile> + Sync>(
        &self,
        repo_plans: &[P],
        base_url: &str,
        fragments: Option<&Fragments>,
        w: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let plans = publishable(repo_plans);
        w.write_all(calendar::head(&self.config).as_bytes())?;
        for chunk in plans.chunks(256) {
            let events: Vec<std::sync::Arc<str>> = chunk
                .par_iter()
                .map(|p| self.calendar_fragment(p, base_url, fragments))
                .collect();
            for e in events {
                w.write_all(e.as_bytes())?;
            }
        }
        w.write_all(calendar::END.as_bytes())
    }

    /// A plan's entry of `plans.json`: made while loading, or now.
    pub(crate) fn json_fragment(&self, p: &PlanFile) -> std::sync::Arc<str> {
        match &p.plan.json {
            Some(json) => json.clone(),
            None => crate::plans_json::plan_json(&p.plan).into(),
        }
    }

    /// A plan's calendar events, from `fragments` when cached there. They
    /// link to the plan page only under an absolute base URL, so that is
    /// part of the key.
    pub(crate) fn calendar_fragment(
        &self,
        p: &PlanFile,
        base_url: &str,
        fragments: Option<&Fragments>,
    ) -> std::sync::Arc<str> {
        let make = || calendar::events(&p.plan, &self.config, base_url, self.opts.build_date);
        let link_base = if feeds::is_absolute(base_url) {
            base_url
        } else {
            ""
        };
        match fragments.filter(|_| p.key != 0) {
            Some(f) => f.calendar((p.key, link_base.to_string()), make),
            None => make().into(),
        }
    }

    /// Fills `fragments` for `plans` in parallel, before versions that
    /// share them render their shared pages.
    pub(crate) fn warm_fragments(
        &self,
        plans: &[&PlanFile],
        base_url: &str,
        fragments: &Fragments,
    ) {
        plans.par_iter().for_each(|p| {
            self.calendar_fragment(p, base_url, Some(fragments));
        });
    }

    /// A page of `template` at `path` (`root` leads back to the site root)
    /// whose view model is given to the template as `name`.
    pub(crate) fn extra_page(
        &self,
        template: &str,
        root: &str,
        path: &str,
        title: &str,
        name: &str,
        view: &impl serde::Serialize,
    ) -> Result<Vec<u8>> {
        let mut ctx = self.ctx(root, path, title);
        ctx.insert(name.to_string(), view);
        self.render(template, &ctx)
    }
}

/// `site`, which every template gets (docs/theme.md).
#[derive(serde::Serialize, Hash)]
struct SiteView<'a> {
    title: &'a str,
    lang: &'static str,
    base_url: &'a str,
    build_date: Option<String>,
    today: String,
    search: bool,
}

/// `index.html`'s `states`: how many plans are in each state.
#[derive(serde::Serialize)]
struct StateCount {
    state: &'static str,
    label: std::borrow::Cow<'static, str>,
    count: usize,
}

/// `lint.html`'s `groups`: one plan file's findings.
#[derive(serde::Serialize)]
struct LintGroup<'a> {
    id: &'a str,
    title: &'a str,
    file: &'a str,
    /// Its page, when it has one.
    href: Option<String>,
    findings: Vec<tera::Value>,
}

/// Whether `plan` has a lint error among `diags` (its plan id's findings:
/// only those of its own file count).
fn has_error(plan: &Plan, diags: &[&Diagnostic]) -> bool {
    diags
        .iter()
        .any(|d| d.file == plan.file && d.severity == crate::diag::Severity::Error)
}
