//! The default theme, embedded in the binary, and per-repository overrides:
//! `themes/<theme>/templates/*.html` and `themes/<theme>/static/*` replace
//! the embedded file of the same name (mdBook's model).

use std::path::Path;

/// Embedded templates: (name, text).
pub const TEMPLATES: &[(&str, &str)] = &[
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
];

/// Embedded static files: (path under `static/`, bytes).
pub const STATIC: &[(&str, &[u8])] = &[(
    "style.css",
    include_bytes!("../../themes/default/static/style.css"),
)];

/// The theme of a build: the embedded files with the repository's overrides.
pub struct Theme {
    pub templates: Vec<(String, String)>,
    pub statics: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// Loads `themes/<name>/` under `root` over the embedded default.
    pub fn load(root: &Path, name: &str) -> std::io::Result<Theme> {
        let dir = root.join("themes").join(name);
        let mut templates: Vec<(String, String)> = TEMPLATES
            .iter()
            .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
            .collect();
        let mut statics: Vec<(String, Vec<u8>)> = STATIC
            .iter()
            .map(|(n, b)| ((*n).to_string(), b.to_vec()))
            .collect();
        let tdir = dir.join("templates");
        if tdir.is_dir() {
            for entry in sorted_files(&tdir)? {
                let name = entry.0;
                let text = std::fs::read_to_string(&entry.1)?;
                match templates.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = text,
                    None => templates.push((name, text)),
                }
            }
        }
        let sdir = dir.join("static");
        if sdir.is_dir() {
            for (name, path) in sorted_files(&sdir)? {
                let bytes = std::fs::read(&path)?;
                match statics.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = bytes,
                    None => statics.push((name, bytes)),
                }
            }
        }
        Ok(Theme { templates, statics })
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
