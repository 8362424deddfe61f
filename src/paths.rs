//! Where a plan's pages live in the site, relative to its root: the one
//! place page URLs are spelled (pages, feeds, the calendar, the version
//! bar and the per-tag pages all link through these). A leaf: imports
//! nothing of the crate.

/// A plan's directory, `plans/ID/`.
pub fn plan_dir(id: &str) -> String {
    format!("plans/{id}/")
}

/// A plan's page, `plans/ID/index.html`.
pub fn plan_page(id: &str) -> String {
    format!("plans/{id}/index.html")
}

/// A plan's report directory, `plans/ID/report/`.
pub fn plan_report_dir(id: &str) -> String {
    format!("plans/{id}/report/")
}

/// A plan's report page, `plans/ID/report/index.html`.
pub fn plan_report(id: &str) -> String {
    format!("plans/{id}/report/index.html")
}

#[cfg(test)]
mod tests {
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
