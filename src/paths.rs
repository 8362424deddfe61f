//! Where each page lives in the site, relative to its root: the one place
//! page paths and links are spelled. A site's pages are one list
//! ([`Page`]): each plan's own pages ([`PlanPage`]) and the shared pages
//! ([`SharedPage`]); `build` writes them, `serve` answers them,
//! `--versions` writes them per version and lists them in the switcher,
//! all from here (which pages a build renders, and how they are cached, is
//! `pipeline::pages`). A leaf: imports nothing of the crate.

/// A page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Page<'a> {
    /// One of the pages of the plan with this id.
    Plan(PlanPage, &'a str),
    Shared(SharedPage),
}

impl<'a> Page<'a> {
    /// The plan page of the plan with this id.
    pub(crate) fn plan(id: &'a str) -> Page<'a> {
        Page::Plan(PlanPage::Plan, id)
    }

    /// The file, relative to the site (or version) root.
    pub(crate) fn path(&self) -> String {
        match self {
            Page::Plan(kind, id) => kind.path(id),
            Page::Shared(page) => page.path().to_string(),
        }
    }

    /// Its directory, the canonical URL of an HTML page (`plans/ID/`,
    /// `check/`, `` for the home page), relative to the site root.
    pub(crate) fn dir(&self) -> String {
        self.path().trim_end_matches("index.html").to_string()
    }

    /// The way back to the site root from the page: `../` per directory
    /// level (`../../` for `plans/ID/`, `` for the home page).
    pub(crate) fn root(&self) -> String {
        "../".repeat(self.dir().matches('/').count())
    }

    /// A link to the page from a page `root` below the site root
    /// (`../../`, `""`), or an absolute URL when `root` is a base URL.
    pub(crate) fn href(&self, root: &str) -> String {
        format!("{root}{}", self.path())
    }
}

/// The list of every version of a versioned site (only at its root).
pub(crate) const VERSIONS_PAGE: &str = "versions/index.html";

/// The pages each plan has of its own, rendered from that plan alone (with
/// its findings and history): the plan page and its executive report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanPage {
    Plan,
    Report,
}

impl PlanPage {
    pub const ALL: [PlanPage; 2] = [PlanPage::Plan, PlanPage::Report];

    /// The page of the plan with this id, `plans/ID/index.html` or
    /// `plans/ID/report/index.html`.
    pub fn path(self, id: &str) -> String {
        match self {
            PlanPage::Plan => format!("plans/{id}/index.html"),
            PlanPage::Report => format!("plans/{id}/report/index.html"),
        }
    }
}

/// The pages and files a site has besides its plan pages and the theme's
/// static files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SharedPage {
    Home,
    Check,
    Changelog,
    /// The changelog's Atom feed.
    Feed,
    Lint,
    PlansJson,
    Calendar,
    /// Only with search on.
    Search,
    /// "What changed": only in a versioned build.
    Changes,
}

impl SharedPage {
    pub(crate) const ALL: [SharedPage; 9] = [
        SharedPage::Home,
        SharedPage::Check,
        SharedPage::Changelog,
        SharedPage::Feed,
        SharedPage::Lint,
        SharedPage::PlansJson,
        SharedPage::Calendar,
        SharedPage::Search,
        SharedPage::Changes,
    ];

    /// The file, relative to the site (or version) root.
    pub(crate) fn path(self) -> &'static str {
        match self {
            SharedPage::Home => "index.html",
            SharedPage::Check => "check/index.html",
            SharedPage::Changelog => "changelog/index.html",
            SharedPage::Feed => "changelog.xml",
            SharedPage::Lint => "lint/index.html",
            SharedPage::PlansJson => "plans.json",
            SharedPage::Calendar => "calendar.ics",
            SharedPage::Search => "search/index.html",
            SharedPage::Changes => "changes/index.html",
        }
    }

    /// An HTML page a reader moves between (the version switcher offers
    /// it in every version), not a data file.
    pub(crate) fn is_page(self) -> bool {
        self.path().ends_with(".html")
    }

    /// The shared page at `path`, if it is one.
    pub(crate) fn at(path: &str) -> Option<SharedPage> {
        SharedPage::ALL.into_iter().find(|p| p.path() == path)
    }
}

#[cfg(test)]
mod tests {
    use super::SharedPage;

    #[test]
    fn shared_pages_have_one_path_each() {
        for p in SharedPage::ALL {
            assert_eq!(SharedPage::at(p.path()), Some(p));
            assert_eq!(p.is_page(), p.path().ends_with("index.html"));
        }
    }

    #[test]
    fn pages_live_in_their_directories() {
        use super::{Page, PlanPage};
        for id in ["a", "top-page-pv"] {
            let plan = Page::Plan(PlanPage::Plan, id);
            let report = Page::Plan(PlanPage::Report, id);
            assert_eq!(plan.dir(), format!("plans/{id}/"));
            assert_eq!(report.dir(), format!("plans/{id}/report/"));
            assert_eq!(plan.href("../"), format!("../plans/{id}/index.html"));
            assert_eq!(
                (plan.root().as_str(), report.root().as_str()),
                ("../../", "../../../")
            );
            assert_eq!(Page::plan(id), plan);
        }
        let home = Page::Shared(SharedPage::Home);
        assert_eq!(
            (home.dir(), home.href("")),
            (String::new(), "index.html".into())
        );
        assert_eq!(home.root(), "");
        assert_eq!(Page::Shared(SharedPage::Feed).root(), "");
        assert_eq!(Page::Shared(SharedPage::Check).dir(), "check/");
    }
}
