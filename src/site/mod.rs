//! The site (docs/format.md, "The site"): view models from the loaded plans, pages rendered
//! with tera from the theme, feeds, and an atomic write of the output.
//!
//! Templates see view models only (JSON values made here), never the model
//! types, so a theme can change without touching the code.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use std::io::Write as _;

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::config::Config;
use crate::diag::{Diagnostic, Severity};
use crate::git::HistoryEntry;
use crate::load::{PlanFile, Repo};
use crate::model::{Plan, is_valid_id};

pub mod chart;
pub mod feeds;
pub mod labels;
pub mod markdown;
pub mod theme;
mod view;
pub mod write;

pub use view::{Finding, Histories};
use view::{
    finding_view, history_view, plan_card, plan_page, severity_counts, summary_view, update_view,
};

use labels::{label, long_date};

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
}

/// Stands for the base URL of the version a page is written into.
pub const MARK_BASE: &str = "\u{E000}planbook:base\u{E001}";
/// Stands for the version switcher and banner of a page.
pub const MARK_NAV: &str = "\u{E000}planbook:nav\u{E001}";

/// Per-plan pieces of the shared files (calendar events, home-page cards),
/// kept across the versions of one build and looked up by
/// [`PlanFile::key`]; plans with key 0 are not cached. (`plans.json`
/// entries live in the plans.)
#[derive(Default)]
pub struct Fragments {
    calendar: std::sync::Mutex<std::collections::HashMap<(u64, String), std::sync::Arc<str>>>,
    /// By plan key and the plan's error, warning and info counts.
    cards: std::sync::Mutex<std::collections::HashMap<(u64, [usize; 3]), tera::Value>>,
}

impl Fragments {
    /// The calendar events cached under `key`, made now if missing.
    fn calendar(&self, key: (u64, String), make: impl FnOnce() -> String) -> std::sync::Arc<str> {
        cached(&self.calendar, key, || make().into())
    }

    /// The home-page card cached under `key`, made now if missing (tera
    /// values share their contents, so a hit is cheap to hand out).
    fn card(&self, key: (u64, [usize; 3]), make: impl FnOnce() -> tera::Value) -> tera::Value {
        cached(&self.cards, key, make)
    }
}

/// The value under `key` in a map shared between threads, made (outside the
/// lock) and kept if missing.
pub(crate) fn cached<K: Eq + std::hash::Hash, V: Clone>(
    map: &std::sync::Mutex<std::collections::HashMap<K, V>>,
    key: K,
    make: impl FnOnce() -> V,
) -> V {
    if let Some(hit) = map.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return hit;
    }
    let value = make();
    if let Ok(mut m) = map.lock() {
        m.insert(key, value.clone());
    }
    value
}

/// Files of a rendered site: relative path → bytes, in path order.
pub type Files = BTreeMap<String, Vec<u8>>;

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
fn publishable<P: AsRef<PlanFile>>(plans: &[P]) -> Vec<&PlanFile> {
    let mut seen = std::collections::BTreeSet::new();
    plans
        .iter()
        .map(AsRef::as_ref)
        .filter(|p| can_have_page(&p.plan.id) && seen.insert(p.plan.id.as_str()))
        .collect()
}

/// An id a page can be made for: valid and not reserved. Of the plans that
/// share such an id, the first gets the page ([`publishable`]).
fn can_have_page(id: &str) -> bool {
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
    pub fn with_theme(
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
        let site = json!({
            "title": config.site.title,
            "lang": lang.code(),
            "base_url": opts.base_url,
            "build_date": opts.build_date.map(|d| long_date(lang, d)),
            "today": opts.today.to_string(),
        });
        Ok(Renderer {
            tera,
            config: config.clone(),
            opts: opts.clone(),
            site: tera::Value::from_serializable(&site),
            labels: tera::Value::from_serializable(&labels::labels(lang)),
            statics: theme.statics,
        })
    }

    fn ctx(&self, root: &str, path: &str, title: &str) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert_value("site", self.site.clone());
        ctx.insert_value("t", self.labels.clone());
        ctx.insert("root", root);
        ctx.insert("page_title", title);
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

    fn render(&self, name: &str, ctx: &tera::Context) -> Result<Vec<u8>> {
        self.tera
            .render(name, ctx)
            .map(String::into_bytes)
            .map_err(|e| anyhow::anyhow!("rendering {name}: {e}"))
    }

    /// The base URL of the site (the latest version).
    pub fn base_url(&self) -> &str {
        &self.opts.base_url
    }

    /// The theme's static files: (name under `static/`, bytes).
    pub fn statics(&self) -> &[(String, Vec<u8>)] {
        &self.statics
    }

    /// The output path of a plan's page.
    pub fn plan_path(plan: &Plan) -> String {
        format!("plans/{}/index.html", plan.id)
    }

    /// One plan's page; `diags` are that plan's diagnostics, `history` the
    /// commits that changed its file (`None` outside a git repository).
    pub fn plan_page(
        &self,
        plan: &Plan,
        diags: &[&Diagnostic],
        history: Option<&[HistoryEntry]>,
    ) -> Result<Vec<u8>> {
        let mut ctx = self.ctx("../../", &format!("plans/{}/", plan.id), plan.title_text());
        ctx.insert(
            "plan",
            &plan_page(plan, diags, &self.config, self.opts.today),
        );
        ctx.insert(
            "history",
            &history.map(|h| history_view(h, self.config.lang())),
        );
        self.render("plan.html", &ctx)
    }

    /// Every page and file except the plan pages, `plans.json` and the
    /// calendar (written by [`Renderer::write_plans_json`] and
    /// [`Renderer::write_calendar`], streamed): home, changelog, lint, the
    /// Atom feed and the theme's static files. `base_url` makes the feed's
    /// absolute links.
    pub fn shared_pages<P: AsRef<PlanFile> + Sync>(
        &self,
        repo_plans: &[P],
        index_page: Option<&str>,
        diags: &[Diagnostic],
        base_url: &str,
        fragments: Option<&Fragments>,
    ) -> Result<Files> {
        let plans = publishable(repo_plans);
        let by_plan = crate::lint::by_plan(diags);
        // The three pages side by side: each is one template render.
        let (index, (changelog, lint)) = rayon::join(
            || self.index_page(&plans, &by_plan, index_page, fragments),
            || {
                rayon::join(
                    || self.changelog_pages(&plans, base_url),
                    || self.lint_page(repo_plans, &plans, &by_plan, diags),
                )
            },
        );
        let mut files = Files::new();
        files.insert("index.html".into(), index?);
        files.extend(changelog?);
        files.insert("lint/index.html".into(), lint?);
        for (name, bytes) in &self.statics {
            files.insert(format!("static/{name}"), bytes.clone());
        }
        Ok(files)
    }

    /// The home page: a card per plan, ranked by ICE score.
    fn index_page(
        &self,
        plans: &[&PlanFile],
        by_plan: &BTreeMap<&str, Vec<&Diagnostic>>,
        index_page: Option<&str>,
        fragments: Option<&Fragments>,
    ) -> Result<Vec<u8>> {
        let config = &self.config;
        let mut cards: Vec<(f64, &str, tera::Value)> = plans
            .par_iter()
            .map(|p| {
                let d = by_plan
                    .get(p.plan.id.as_str())
                    .map_or(&[][..], Vec::as_slice);
                let make = || tera::Value::from_serializable(&plan_card(&p.plan, d, config, ""));
                let card = match fragments.filter(|_| p.key != 0) {
                    Some(f) => f.card((p.key, severity_counts(d)), make),
                    None => make(),
                };
                (p.plan.ice_score().unwrap_or(0.0), p.plan.id.as_str(), card)
            })
            .collect();
        cards.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        let cards: Vec<tera::Value> = cards.into_iter().map(|c| c.2).collect();
        let mut ctx = self.ctx("", "", &config.site.title);
        ctx.insert_value("plans", tera::Value::from(cards));
        ctx.insert(
            "intro",
            &index_page.map(|md| markdown::render(md, config.markdown.unsafe_html, 1, "intro-")),
        );
        self.render("index.html", &ctx)
    }

    /// The changelog page and its Atom feed.
    fn changelog_pages(&self, plans: &[&PlanFile], base_url: &str) -> Result<Files> {
        let config = &self.config;
        let lang = config.lang();
        let updates = feeds::all_updates(plans);
        let entries: Vec<Value> = updates
            .par_iter()
            .map(|u| update_view(u, config, "../"))
            .collect();
        let mut ctx = self.ctx("../", "changelog/", &label(lang, "changelog"));
        ctx.insert("updates", &entries);
        let mut files = Files::new();
        files.insert(
            "changelog/index.html".into(),
            self.render("changelog.html", &ctx)?,
        );
        files.insert(
            "changelog.xml".into(),
            feeds::atom(&updates, config, base_url, lang).into_bytes(),
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
        let groups: Vec<Value> = repo_plans
            .iter()
            .map(AsRef::as_ref)
            .filter_map(|p| {
                let d = by_plan.get(p.plan.id.as_str())?;
                let d: Vec<&&Diagnostic> = d.iter().filter(|d| d.file == p.plan.file).collect();
                if d.is_empty() {
                    return None;
                }
                let linked = linked.contains(&std::ptr::from_ref(p));
                Some(json!({
                    "id": p.plan.id,
                    "title": p.plan.title_text(),
                    "file": p.plan.file,
                    "href": linked.then(|| format!("../plans/{}/index.html", p.plan.id)),
                    "findings": d.iter().map(|d| finding_view(d, lang)).collect::<Vec<_>>(),
                }))
            })
            .collect();
        let mut ctx = self.ctx("../", "lint/", &label(lang, "lint"));
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
        let mut files = self.shared_pages(repo_plans, index_page, diags, base_url, None)?;
        let mut json = Vec::new();
        self.write_plans_json(repo_plans, &mut json)?;
        files.insert("plans.json".into(), json);
        let mut cal = Vec::new();
        self.write_calendar(repo_plans, base_url, None, &mut cal)?;
        files.insert("calendar.ics".into(), cal);
        Ok(files)
    }

    /// Writes `plans.json` (docs/format.md) to `w`.
    pub fn write_plans_json<P: AsRef<PlanFile> + Sync>(
        &self,
        repo_plans: &[P],
        w: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let plans = publishable(repo_plans);
        crate::plans_json::write_plans_json(w, plans.iter().map(|p| self.json_fragment(p)))
    }

    /// Writes `calendar.ics` to `w`, making the events of a few hundred
    /// plans at a time in parallel.
    pub fn write_calendar<P: AsRef<PlanFile> + Sync>(
        &self,
        repo_plans: &[P],
        base_url: &str,
        fragments: Option<&Fragments>,
        w: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let plans = publishable(repo_plans);
        w.write_all(feeds::calendar_head(&self.config).as_bytes())?;
        for chunk in plans.chunks(256) {
            let events: Vec<std::sync::Arc<str>> = chunk
                .par_iter()
                .map(|p| self.calendar_fragment(p, base_url, fragments))
                .collect();
            for e in events {
                w.write_all(e.as_bytes())?;
            }
        }
        w.write_all(feeds::CAL_END.as_bytes())
    }

    /// A plan's entry of `plans.json`: made while loading, or now.
    fn json_fragment(&self, p: &PlanFile) -> std::sync::Arc<str> {
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
        let make = || feeds::calendar_events(&p.plan, &self.config, base_url, self.opts.build_date);
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
    pub fn warm_fragments(&self, plans: &[&PlanFile], base_url: &str, fragments: &Fragments) {
        plans.par_iter().for_each(|p| {
            self.calendar_fragment(p, base_url, Some(fragments));
        });
    }

    /// A page of `template` at `path` (`root` leads back to the site root)
    /// whose view model is given to the template as `name`.
    pub fn extra_page(
        &self,
        template: &str,
        root: &str,
        path: &str,
        title: &str,
        name: &str,
        view: &Value,
    ) -> Result<Vec<u8>> {
        let mut ctx = self.ctx(root, path, title);
        ctx.insert(name.to_string(), view);
        self.render(template, &ctx)
    }

    /// The plans that get a page, with their diagnostics.
    pub fn pages_to_render<'p, P: AsRef<PlanFile>>(
        repo_plans: &'p [P],
        diags: &'p [Diagnostic],
    ) -> Vec<(&'p PlanFile, Vec<&'p Diagnostic>)> {
        let by_plan = crate::lint::by_plan(diags);
        publishable(repo_plans)
            .into_iter()
            .map(|p| {
                let d = by_plan.get(p.plan.id.as_str()).cloned().unwrap_or_default();
                (p, d)
            })
            .collect()
    }
}

/// Lints the plans of `repo.paths` (a repository from
/// [`crate::load::open`]) and writes the site to `opts.out` atomically, in
/// one pass over the plans: a few hundred at a time are parsed and checked
/// in parallel, their pages rendered and written, their `plans.json`
/// entries and calendar events appended in file order, and then each is
/// cut down to what the shared pages read (`slim`). Memory stays flat
/// however many plans there are.
///
/// Pages are rendered with each plan's own findings; PLN002 (a shared id)
/// is the only rule that looks across plans, so the plans that share an
/// id get their page again at the end, with every finding. With lint
/// errors nothing is written (`None`): the temporary directory goes.
/// `histories` maps plan files to their git history (`None`: not a git
/// repository). Returns the diagnostics and how many files were written.
pub fn write_site(
    repo: &Repo,
    histories: Option<&Histories>,
    opts: &BuildOptions,
) -> Result<(Vec<Diagnostic>, Option<usize>)> {
    let timer = crate::timing::Timer::start();
    let config = &repo.config;
    let r = Renderer::new(&repo.root, config, opts)?;
    let staging = write::Staging::new(&opts.out)?;
    let write_page = |f: &PlanFile, d: &[&Diagnostic]| -> Result<()> {
        let history = histories.map(|h| h.get(&f.plan.file).map_or(&[][..], Vec::as_slice));
        let page = r.plan_page(&f.plan, d, history)?;
        staging.write(&Renderer::plan_path(&f.plan), &page)
    };
    let mut json = crate::plans_json::PlansJson::new(staging.create("plans.json")?);
    let mut cal = staging.create("calendar.ics")?;
    cal.write_all(feeds::calendar_head(config).as_bytes())?;
    let mut plans: Vec<PlanFile> = Vec::with_capacity(repo.paths.len());
    let mut checked = Vec::with_capacity(repo.paths.len());
    let mut seen: HashSet<String> = HashSet::new();
    let mut shared_ids: Vec<String> = Vec::new();
    // Set once a plan has a lint error: the build will write nothing, so
    // the rest are only checked, and the errors come as fast as `lint`.
    let failing = std::sync::atomic::AtomicBool::new(false);
    // One plan: parsed, checked, its page written; its calendar events.
    let one = |path: &PathBuf| -> Result<Done> {
        use std::sync::atomic::Ordering::Relaxed;
        let detail = crate::load::Detail::Full;
        let f = crate::load::load_plan(&repo.root, path, config, detail);
        let c = crate::lint::check_file(&f, config, opts.today);
        if !can_have_page(&f.plan.id) {
            return Ok((f, c, None));
        }
        // A plan's own findings are final but for PLN002, which only adds.
        let d = crate::lint::plan_diagnostics(&c, config);
        if d.iter().any(|d| d.severity == Severity::Error) {
            failing.store(true, Relaxed);
        }
        if failing.load(Relaxed) {
            return Ok((f, c, None));
        }
        write_page(&f, &d.iter().collect::<Vec<_>>())?;
        let events = r.calendar_fragment(&f, &opts.base_url, None);
        Ok((f, c, Some(events)))
    };
    // Then, in file order: its plans.json entry and events appended, the
    // plan cut down and kept for the shared pages.
    let mut keep = |(mut f, c, events): Done| -> Result<()> {
        if let Some(events) = events {
            // The first plan with an id gets the page (`publishable`).
            if seen.insert(f.plan.id.clone()) {
                json.entry(&r.json_fragment(&f))?;
                cal.write_all(events.as_bytes())?;
            } else {
                shared_ids.push(f.plan.id.clone());
            }
        }
        slim(&mut f.plan);
        plans.push(f);
        checked.push(c);
        Ok(())
    };
    in_order(&repo.paths, one, &mut keep)?;
    json.finish()?.flush()?;
    cal.write_all(feeds::CAL_END.as_bytes())?;
    cal.flush()?;
    timer.lap("load, lint and plan pages");
    let diags = crate::lint::finish(checked, config);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Ok((diags, None));
    }
    // Plans that share an id wrote the same page: the first one's again,
    // with the PLN002 findings.
    let by_plan = crate::lint::by_plan(&diags);
    for p in publishable(&plans) {
        if shared_ids.contains(&p.plan.id) {
            let path = repo.root.join(&p.plan.file);
            let f = crate::load::load_plan(&repo.root, &path, config, crate::load::Detail::Full);
            let d = by_plan
                .get(f.plan.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            write_page(&f, d)?;
        }
    }
    let shared = r.shared_pages(
        &plans,
        repo.index_page.as_deref(),
        &diags,
        &opts.base_url,
        None,
    )?;
    staging.write_all(&shared)?;
    timer.lap("shared pages");
    staging.commit()?;
    timer.lap("swap");
    Ok((diags, Some(shared.len() + 2 + seen.len())))
}

/// A plan of [`write_site`] once its page is written: the plan, its
/// per-plan findings, and its calendar events if it has a page.
type Done = (PlanFile, crate::lint::Checked, Option<std::sync::Arc<str>>);

/// Runs `work` on every item in parallel and hands the results to `keep`
/// in item order as they come, without waiting for the slowest: rayon
/// takes the items roughly in order (`par_bridge`), so only a few results
/// wait for an earlier one. Stops at the first error.
fn in_order<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> Result<R> + Sync,
    keep: &mut impl FnMut(R) -> Result<()>,
) -> Result<()> {
    use rayon::iter::ParallelBridge;
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Result<R>)>(64);
    let work = &work;
    std::thread::scope(|scope| {
        let producer = scope.spawn(move || {
            items
                .iter()
                .enumerate()
                .par_bridge()
                .try_for_each_with(tx, |tx, (i, item)| tx.send((i, work(item))))
        });
        let mut next = 0;
        let mut waiting: BTreeMap<usize, Result<R>> = BTreeMap::new();
        let mut outcome = Ok(());
        for (i, result) in rx {
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&next) {
                next += 1;
                if outcome.is_ok() {
                    outcome = result.and_then(&mut *keep);
                }
            }
            if outcome.is_err() {
                // Dropping the receiver stops the producer at its next send.
                break;
            }
        }
        match producer.join() {
            // A panic in `work` is a bug: pass it on, never a site with
            // plans missing.
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(_) if outcome.is_ok() && next != items.len() => {
                bail!("only {next} of {} plans were processed", items.len())
            }
            Ok(_) => outcome,
        }
    })
}

/// Cuts a plan whose page is written down to what the shared pages read:
/// id, file, title, use case, status, start, the metric's name, unit and
/// direction, ICE factors, measurements, updates, and each milestone's id,
/// title, dates, target, actual and status (cards, changelog, feed, lint
/// page), with each milestone's questions (the changelog names the question
/// each answer is about). `plans.json` entries and calendar events are
/// written before. What goes: those entries, the body, team, meetings,
/// `lint.allow`, and each milestone's tasks and data. `write_site` relies on this; a test compares
/// its shared files with those of the in-memory build of `serve`.
fn slim(plan: &mut Plan) {
    plan.json = None;
    plan.body = String::new();
    plan.team = crate::model::Field::Missing;
    plan.meetings = crate::model::Field::Missing;
    plan.allow = BTreeMap::new();
    plan.frontmatter = None;
    if let crate::model::Field::Ok(ms) = &mut plan.milestones {
        for m in &mut ms.value {
            m.tasks = crate::model::Field::Missing;
            m.data = crate::model::Field::Missing;
        }
    }
}

/// The output directory must not be (or contain) the repository root or the
/// content directory: swapping it would delete the plans.
pub fn check_output_dir(repo: &Repo, out: &Path) -> Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalize(&p)
    };
    let out = abs(out);
    let root = abs(&repo.root);
    let content = abs(&repo.content_dir);
    if root.starts_with(&out) || content.starts_with(&out) || out.starts_with(&content) {
        bail!(
            "refusing to write the site to {}: it would overlap the repository or its content directory; choose another --out",
            out.display()
        );
    }
    Ok(())
}

/// Removes `.` and `..` components without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_keeps_item_order_and_stops_at_the_first_error() {
        let items: Vec<u64> = (0..500).collect();
        // Uneven work, so that results come back out of order.
        let work = |n: &u64| -> Result<u64> {
            std::thread::sleep(std::time::Duration::from_micros((n * 7919) % 200));
            Ok(n * 2)
        };
        let mut seen = Vec::new();
        in_order(&items, work, &mut |r| {
            seen.push(r);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, items.iter().map(|n| n * 2).collect::<Vec<_>>());

        let failing = |n: &u64| -> Result<u64> {
            if *n == 300 {
                bail!("plan 300 failed")
            }
            Ok(*n)
        };
        let mut kept = 0;
        let err = in_order(&items, failing, &mut |_| {
            kept += 1;
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "plan 300 failed");
        assert_eq!(kept, 300, "everything before the failure, nothing after");
    }

    #[test]
    #[should_panic(expected = "a bug")]
    fn in_order_passes_panics_on() {
        let items = [1, 2, 3];
        let _ = in_order(
            &items,
            |n: &i32| -> Result<i32> {
                if *n == 2 {
                    panic!("a bug");
                }
                Ok(*n)
            },
            &mut |_| Ok(()),
        );
    }
}
