//! The default theme, embedded in the binary, and per-repository overrides:
//! `themes/<theme>/templates/*.html` and `themes/<theme>/static/*` replace
//! the embedded file of the same name (mdBook's model).

use std::path::Path;

/// Embedded templates: (name, text).
pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "plan.html",
        include_str!("../../themes/default/templates/plan.html"),
    ),
    (
        "changelog.html",
        include_str!("../../themes/default/templates/changelog.html"),
    ),
    (
        "lint.html",
        include_str!("../../themes/default/templates/lint.html"),
    ),
    (
        "check.html",
        include_str!("../../themes/default/templates/check.html"),
    ),
    (
        "report.html",
        include_str!("../../themes/default/templates/report.html"),
    ),
    (
        "changes.html",
        include_str!("../../themes/default/templates/changes.html"),
    ),
    (
        "versions.html",
        include_str!("../../themes/default/templates/versions.html"),
    ),
    (
        "card.html",
        include_str!("../../themes/default/templates/card.html"),
    ),
    (
        "plan_check.html",
        include_str!("../../themes/default/templates/plan_check.html"),
    ),
    (
        "update.html",
        include_str!("../../themes/default/templates/update.html"),
    ),
    (
        "feed_entry.html",
        include_str!("../../themes/default/templates/feed_entry.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "overlay.html",
        include_str!("../../themes/default/templates/overlay.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "version_nav.html",
        include_str!("../../themes/default/templates/version_nav.html"),
    ),
];

/// Embedded static files: (path under `static/`, bytes).
pub(crate) const STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
];

/// The theme of a build: the embedded files with the repository's overrides.
#[derive(Clone)]
pub(crate) struct Theme {
    pub templates: Vec<(String, String)>,
    pub statics: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// Loads `themes/<name>/` under `root` over the embedded default.
    pub(crate) fn load(root: &Path, name: &str) -> std::io::Result<Theme> {
        let dir = root.join("themes").join(name);
        let mut templates = Vec::new();
        let tdir = dir.join("templates");
        if tdir.is_dir() {
            for (name, path) in sorted_files(&tdir)? {
                templates.push((name, std::fs::read_to_string(&path)?));
            }
        }
        let mut statics = Vec::new();
        let sdir = dir.join("static");
        if sdir.is_dir() {
            for (name, path) in sorted_files(&sdir)? {
                statics.push((name, std::fs::read(&path)?));
            }
        }
        Ok(Theme::with_overrides(templates, statics))
    }

    /// The embedded default with `templates` and `statics` (name, content)
    /// replacing the files of the same name or added to them.
    pub(crate) fn with_overrides(
        templates: Vec<(String, String)>,
        statics: Vec<(String, Vec<u8>)>,
    ) -> Theme {
        let mut theme = Theme {
            templates: TEMPLATES
                .iter()
                .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
                .collect(),
            statics: STATIC
                .iter()
                .map(|(n, b)| ((*n).to_string(), b.to_vec()))
                .collect(),
        };
        for (name, text) in templates {
            match theme.templates.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = text,
                None => theme.templates.push((name, text)),
            }
        }
        for (name, bytes) in statics {
            match theme.statics.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = bytes,
                None => theme.statics.push((name, bytes)),
            }
        }
        theme
    }

    /// A hash of every file, to tell whether two versions share a theme.
    pub(crate) fn key(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        self.templates.hash(&mut h);
        self.statics.hash(&mut h);
        h.finish()
    }
}

/// Files directly in `dir` (not recursive), sorted by name.
fn sorted_files(dir: &Path) -> std::io::Result<Vec<(String, std::path::PathBuf)>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        if e.file_type()?.is_file() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with('.') {
                out.push((name, e.path()));
            }
        }
    }
    out.sort();
    Ok(out)
}
