//! The version bar of each page: the switcher and, on old versions, the
//! banner; and filling the version markers of a rendered page.

use super::*;
use crate::paths::{Page, VERSIONS_PAGE};

/// The version switcher and banner of each page.
pub(super) struct Nav<'a> {
    pub(super) versions: &'a [Version],
    /// Output paths each version has.
    pub(super) exists: &'a [HashSet<String>],
    pub(super) lang: Lang,
    /// Renders `version_nav.html` of the working tree's theme.
    pub(super) renderer: &'a Renderer,
    /// Errors rendering the bar (a theme's template that fails).
    pub(super) errors: std::sync::Mutex<Vec<String>>,
    /// Rendered bars, split at the page path ([`Nav::html`]).
    pub(super) cache: std::sync::Mutex<HashMap<NavKey, Arc<Vec<String>>>>,
}

impl Nav<'_> {
    /// Which versions have `page` (the shared pages: every version).
    pub(super) fn has(&self, page: &str) -> Vec<bool> {
        self.exists.iter().map(|set| set.contains(page)).collect()
    }

    /// [`Nav::render`] through a cache: the switcher of a page only depends
    /// on its run of versions, its depth and which versions have it (`has`),
    /// so it is made once per such shape with a stand-in for the page path,
    /// kept as the pieces between stand-ins, and joined with `page` here.
    pub(super) fn html(&self, run: Run, page: &str, has: &[bool]) -> String {
        let depth = page.matches('/').count();
        let key: NavKey = (*run.start(), *run.end(), depth, has.to_vec());
        let hit = self.cache.lock().ok().and_then(|c| c.get(&key).cloned());
        let pieces = match hit {
            Some(pieces) => pieces,
            None => {
                // As deep as `page`, so that the relative links climb as far.
                let stand_in = format!("{}\u{E002}", "d/".repeat(depth));
                let text = self.render(run, &stand_in, has);
                let pieces: Arc<Vec<String>> =
                    Arc::new(text.split(stand_in.as_str()).map(str::to_string).collect());
                if let Ok(mut c) = self.cache.lock() {
                    c.insert(key, Arc::clone(&pieces));
                }
                pieces
            }
        };
        pieces.join(page)
    }

    /// The switcher and banner for `page` written for the versions `run`
    /// (`has[w]`: version `w` has this page); nothing for the versions index
    /// (`run` out of range), which is the switcher itself. The text is the
    /// same for every version of the run and the links are relative, so one
    /// file serves them all.
    fn render(&self, run: Run, page: &str, has: &[bool]) -> String {
        let lang = self.lang;
        let (Some(newest), Some(oldest)) = (
            self.versions.get(*run.start()),
            self.versions.get(*run.end()),
        ) else {
            return String::new();
        };
        let depth = newest.prefix.matches('/').count() + page.matches('/').count();
        let up = "../".repeat(depth);
        // The same page in version `w`, or the versions index if it has none.
        let href = |w: usize| -> String {
            match (self.versions.get(w), has.get(w)) {
                (Some(version), Some(true)) => format!("{up}{}{page}", version.prefix),
                _ => format!("{up}{VERSIONS_PAGE}"),
            }
        };
        let date = |v: &Version| v.date.map(|d| long_date(lang, d)).unwrap_or_default();
        let name = if run.start() == run.end() {
            oldest.label(lang)
        } else {
            let (from, to) = (oldest.label(lang), newest.label(lang));
            tr!(lang, "{from} 〜 {to}", "{from} – {to}")
        };
        let banner = newest.tag.is_some().then(|| {
            let single = run.start() == run.end();
            let dates = if single {
                date(oldest)
            } else {
                let (from, to) = (date(oldest), date(newest));
                if from == to {
                    from
                } else {
                    tr!(lang, "{from} 〜 {to}", "{from} – {to}")
                }
            };
            Banner {
                single,
                dates,
                to_latest: href(0),
            }
        });
        let mut entries = Vec::new();
        for (w, version) in self.versions.iter().enumerate() {
            // The run is one entry, at its newest version's place.
            if run.contains(&w) && w != *run.start() {
                continue;
            }
            let current = w == *run.start();
            let (text, dates) = if current {
                let dates = match (oldest.date, newest.date) {
                    (Some(a), Some(b)) if a != b => format!("{a} – {b}"),
                    (Some(a), _) => a.to_string(),
                    _ => String::new(),
                };
                (name.clone(), dates)
            } else {
                let dates = version.date.map(|d| d.to_string()).unwrap_or_default();
                (version.label(lang), dates)
            };
            // The run's entry links to where its file was written first.
            let target = if current { *run.end() } else { w };
            entries.push(NavEntry {
                text,
                dates,
                href: href(target),
                current,
            });
        }
        // The version's own "what changed" page, relative to the page so
        // that it is right in each version of the run.
        let within = "../".repeat(page.matches('/').count());
        let view = NavView {
            name,
            banner,
            entries,
            changes_href: Page::Shared(SharedPage::Changes).href(&within),
            all_href: format!("{up}{VERSIONS_PAGE}"),
        };
        match self
            .renderer
            .extra_page("version_nav.html", "", "", "", "nav", &view)
        {
            Ok(bytes) => String::from_utf8_lossy(&bytes).trim_end().to_string(),
            Err(e) => {
                if let Ok(mut errors) = self.errors.lock() {
                    errors.push(format!("{e:#}"));
                }
                String::new()
            }
        }
    }
}

/// `version_nav.html`'s `nav` (docs/theme.md): the switcher of one page.
#[derive(serde::Serialize)]
struct NavView {
    /// The version, or the run of versions ("v2 – v5") the page is in.
    name: String,
    /// On old versions: the banner saying so.
    banner: Option<Banner>,
    entries: Vec<NavEntry>,
    changes_href: String,
    all_href: String,
}

#[derive(serde::Serialize)]
struct Banner {
    single: bool,
    dates: String,
    to_latest: String,
}

/// A version in the switcher.
#[derive(serde::Serialize)]
struct NavEntry {
    text: String,
    dates: String,
    href: String,
    current: bool,
}

/// Splits an HTML page at its markers into the pieces of the version's
/// page: the text between markers, the base URL, the switcher. Works on
/// bytes (the markers start with U+E000, whose UTF-8 bytes start with
/// 0xEE, a byte no ASCII text has), so that a rendered page need not be
/// validated as UTF-8 again: that cost 5 % of a `--versions` build.
pub(super) fn fill<'t>(text: &'t [u8], base: &'t str, nav: &'t str) -> Vec<&'t [u8]> {
    let mut pieces = Vec::with_capacity(8);
    let mut rest = text;
    while let Some(i) = memchr::memchr(0xEE, rest) {
        let (head, tail) = rest.split_at(i);
        pieces.push(head);
        if let Some(after) = tail.strip_prefix(MARK_BASE.as_bytes()) {
            pieces.push(base.as_bytes());
            rest = after;
        } else if let Some(after) = tail.strip_prefix(MARK_NAV.as_bytes()) {
            pieces.push(nav.as_bytes());
            rest = after;
        } else {
            let (c, after) = tail.split_at(1);
            pieces.push(c);
            rest = after;
        }
    }
    pieces.push(rest);
    pieces
}

pub(super) fn plan_link(root: &str, id: &str, exists: bool) -> Option<String> {
    exists.then(|| crate::paths::Page::plan(id).href(root))
}
