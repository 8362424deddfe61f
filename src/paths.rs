//! Where each page lives in the site, relative to its root: the one place
//! page paths are spelled. Plan pages (`plan_page`, `plan_report`) and the
//! shared pages ([`SharedPage`]): `build` writes them, `serve` answers them,
//! `--versions` writes them per version and lists them in the switcher, all
//! from here. A leaf: imports nothing of the crate.

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

    /// The directory of an HTML page (its canonical URL), `check/`.
    pub(crate) fn dir(self) -> &'static str {
        self.path().trim_end_matches("index.html")
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

/// A plan's directory, `plans/ID/`.
pub(crate) fn plan_dir(id: &str) -> String {
    format!("plans/{id}/")
}

/// A plan's page, `plans/ID/index.html`.
pub(crate) fn plan_page(id: &str) -> String {
    format!("plans/{id}/index.html")
}

/// A plan's report directory, `plans/ID/report/`.
pub(crate) fn plan_report_dir(id: &str) -> String {
    format!("plans/{id}/report/")
}

/// A plan's report page, `plans/ID/report/index.html`.
pub(crate) fn plan_report(id: &str) -> String {
    format!("plans/{id}/report/index.html")
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
        assert_eq!(SharedPage::Check.dir(), "check/");
        assert_eq!(SharedPage::Home.dir(), "");
    }

    #[test]
    fn pages_live_in_their_directories() {
        for id in ["a", "top-page-pv"] {
            assert_eq!(super::plan_page(id), super::plan_dir(id) + "index.html");
            assert_eq!(
                super::plan_report(id),
                super::plan_report_dir(id) + "index.html"
            );
            assert!(super::plan_report_dir(id).starts_with(&super::plan_dir(id)));
        }
    }
}
