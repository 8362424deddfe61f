//! The pages only a versioned build has: "what changed" against the
//! version before, `versions/index.html` and `versions.json`.

use super::*;

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
    let plan_ref = |p: &diff::PlanRef, linked: bool| {
        json!({
            "id": p.id,
            "title": p.title,
            "file": p.file,
            "href": plan_link("../", &p.id, linked && has(&p.id)),
        })
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
    let view = json!({
        "version": b.input.version.label(lang),
        "previous": previous.map(|p| p.input.version.label(lang)),
        "added": d.added.iter().map(|p| plan_ref(p, true)).collect::<Vec<_>>(),
        "removed": d.removed.iter().map(|p| plan_ref(p, false)).collect::<Vec<_>>(),
        "changed": d.changed.iter().map(|p| json!({
            "id": p.id,
            "title": p.title,
            "file": p.file,
            "href": plan_link("../", &p.id, has(&p.id)),
            "changes": p.changes.iter().map(|c| c.describe(lang)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "introduced": d.introduced.iter().map(finding).collect::<Vec<_>>(),
        "fixed": d.fixed.iter().map(finding).collect::<Vec<_>>(),
        "empty": d.is_empty(),
    });
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

/// `versions/index.html`: every version, newest first.
pub(super) fn versions_page(r: &Renderer, built: &[Built], lang: Lang) -> Result<Vec<u8>> {
    let entries: Vec<Value> = built
        .iter()
        .map(|b| {
            let v = &b.input.version;
            let s = Summary::new(b.plans.len(), &b.diags);
            json!({
                "name": v.label(lang),
                "latest": v.tag.is_none(),
                "date": v.date.map(|d| long_date(lang, d)),
                "date_iso": v.date.map(|d| d.to_string()),
                "commit": v.commit.map(|c| c.to_hex().to_string()),
                "short_commit": v.commit.map(|c| c.to_hex_with_len(7).to_string()),
                "href": format!("../{}index.html", v.prefix),
                "changes_href": format!("../{}changes/index.html", v.prefix),
                "previous": b.previous,
                "plans": b.plans.len(),
                "errors": s.errors,
                "warnings": s.warnings,
            })
        })
        .collect();
    r.extra_page(
        "versions.html",
        "../",
        "versions/",
        &label(lang, "versions"),
        "versions",
        &Value::Array(entries),
    )
}

/// `versions.json`: the tags built, newest first.
pub(super) fn versions_json(built: &[Built]) -> String {
    let list: Vec<Value> = built
        .iter()
        .filter_map(|b| {
            let v = &b.input.version;
            let s = Summary::new(b.plans.len(), &b.diags);
            Some(json!({
                "tag": v.tag.as_ref()?,
                "commit": v.commit.map(|c| c.to_hex().to_string()),
                "date": v.date.map(|d| d.to_string()),
                "path": v.prefix,
                "plans": b.plans.len(),
                "errors": s.errors,
                "warnings": s.warnings,
            }))
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}
