//! The pages only a versioned build has: "what changed" against the
//! version before, `versions/index.html` and `versions.json`.

use serde::Serialize;

use super::*;
use crate::paths::Page;

/// The "what changed" page of a version, against the one before it.
pub(super) fn changes_page(
    r: &Renderer,
    b: &Built,
    previous: Option<&Built>,
    lang: Lang,
) -> Result<Vec<u8>> {
    let empty: Vec<Arc<PlanFile>> = Vec::new();
    let old = match previous {
        Some(p) => diff::Side::new(&p.plans, &p.diags),
        None => diff::Side::new(&empty, &[]),
    };
    let new = diff::Side::new(&b.plans, &b.diags);
    let d = diff::diff(&old, &new);
    let has = |id: &str| {
        let page = crate::paths::Page::plan(id).path();
        b.pages.iter().any(|(p, _)| *p == page)
    };
    // An added plan links to its page here; a removed one has none.
    let plan_ref = |p: &diff::PlanRef, linked: bool| {
        PlanLink::new(&p.id, &p.title, &p.file, linked && has(&p.id))
    };
    let finding = |f: &diff::FindingRef| {
        crate::site::Finding {
            rule: f.rule,
            severity: f.severity,
            plan: &f.plan,
            file: &f.file,
            line: f.line,
            column: None,
            message: &f.message,
        }
        .view(lang)
    };
    let view = ChangesView {
        version: b.input.version.label(lang),
        previous: previous.map(|p| p.input.version.label(lang)),
        added: d.added.iter().map(|p| plan_ref(p, true)).collect(),
        removed: d.removed.iter().map(|p| plan_ref(p, false)).collect(),
        changed: d
            .changed
            .iter()
            .map(|p| ChangedPlan {
                plan: PlanLink::new(&p.id, &p.title, &p.file, has(&p.id)),
                changes: p.changes.iter().map(|c| c.describe(lang)).collect(),
            })
            .collect(),
        introduced: d.introduced.iter().map(finding).collect(),
        fixed: d.fixed.iter().map(finding).collect(),
        empty: d.is_empty(),
    };
    let page = crate::paths::Page::Shared(crate::paths::SharedPage::Changes);
    r.extra_page(
        "changes.html",
        &page.root(),
        &page.dir(),
        &label(lang, "changes"),
        "changes",
        &view,
    )
}

/// A plan on the "what changed" page.
#[derive(Serialize)]
struct PlanLink {
    id: String,
    title: String,
    file: String,
    /// Its page in this version, when it has one.
    href: Option<String>,
}

impl PlanLink {
    fn new(id: &str, title: &str, file: &str, linked: bool) -> PlanLink {
        PlanLink {
            id: id.to_string(),
            title: title.to_string(),
            file: file.to_string(),
            href: plan_link("../", id, linked),
        }
    }
}

/// A changed plan: the plan and each change in a sentence.
#[derive(Serialize)]
struct ChangedPlan {
    #[serde(flatten)]
    plan: PlanLink,
    changes: Vec<String>,
}

/// `changes.html`'s `changes` (docs/theme.md).
#[derive(Serialize)]
struct ChangesView {
    version: String,
    previous: Option<String>,
    added: Vec<PlanLink>,
    removed: Vec<PlanLink>,
    changed: Vec<ChangedPlan>,
    introduced: Vec<tera::Value>,
    fixed: Vec<tera::Value>,
    empty: bool,
}

/// `versions.html`'s `versions`: one entry per version (docs/theme.md).
#[derive(Serialize)]
struct VersionEntry {
    name: String,
    latest: bool,
    date: Option<String>,
    date_iso: Option<String>,
    commit: Option<String>,
    short_commit: Option<String>,
    href: String,
    changes_href: String,
    previous: Option<String>,
    plans: usize,
    errors: usize,
    warnings: usize,
}

/// An entry of `versions.json` (docs/format.md).
#[derive(Serialize)]
struct VersionJson<'a> {
    tag: &'a str,
    commit: Option<String>,
    date: Option<String>,
    path: &'a str,
    plans: usize,
    errors: usize,
    warnings: usize,
}

/// `versions/index.html`: every version, newest first.
pub(super) fn versions_page(r: &Renderer, built: &[Built], lang: Lang) -> Result<Vec<u8>> {
    let entries: Vec<VersionEntry> = built
        .iter()
        .map(|b| {
            let v = &b.input.version;
            let s = Summary::new(b.plans.len(), &b.diags);
            VersionEntry {
                name: v.label(lang),
                latest: v.tag.is_none(),
                date: v.date.map(|d| long_date(lang, d)),
                date_iso: v.date.map(|d| d.to_string()),
                commit: v.commit.map(|c| c.to_hex().to_string()),
                short_commit: v.commit.map(|c| c.to_hex_with_len(7).to_string()),
                href: Page::Shared(SharedPage::Home).href(&format!("../{}", v.prefix)),
                changes_href: Page::Shared(SharedPage::Changes).href(&format!("../{}", v.prefix)),
                previous: b.previous.clone(),
                plans: b.plans.len(),
                errors: s.errors,
                warnings: s.warnings,
            }
        })
        .collect();
    r.extra_page(
        "versions.html",
        "../",
        crate::paths::VERSIONS_PAGE.trim_end_matches("index.html"),
        &label(lang, "versions"),
        "versions",
        &entries,
    )
}

/// `versions.json`: the tags built, newest first.
pub(super) fn versions_json(built: &[Built]) -> String {
    let list: Vec<VersionJson<'_>> = built
        .iter()
        .filter_map(|b| {
            let v = &b.input.version;
            let s = Summary::new(b.plans.len(), &b.diags);
            Some(VersionJson {
                tag: v.tag.as_deref()?,
                commit: v.commit.map(|c| c.to_hex().to_string()),
                date: v.date.map(|d| d.to_string()),
                path: &v.prefix,
                plans: b.plans.len(),
                errors: s.errors,
                warnings: s.warnings,
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}
