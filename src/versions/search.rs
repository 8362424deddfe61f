//! The search indexes of a versioned build: the latest (`[search]
//! enabled`) and, with `[search] versions`, each old version, made from the
//! rendered plan pages.

use super::*;

/// What a version's search index is made from: where it goes, the
/// version's language and its plan pages (URL from the version's root,
/// rendered page's key, base URL for its markers).
pub(super) struct SearchJob {
    prefix: String,
    lang: Lang,
    base: String,
    pages: Vec<(String, u64)>,
}

/// The versions to index, each with its plan pages in file order (the
/// plans that have a page, as in a plain build).
pub(super) fn search_jobs(built: &[Built], base_url: &str) -> Vec<SearchJob> {
    built
        .iter()
        .filter(|b| b.search)
        .map(|b| {
            let keys: HashMap<&str, u64> = b.pages.iter().map(|(p, k)| (p.as_str(), *k)).collect();
            SearchJob {
                prefix: b.input.version.prefix.clone(),
                lang: b.input.config.lang(),
                base: esc(&format!("{base_url}{}", b.input.version.prefix)),
                pages: crate::site::publishable(&b.plans)
                    .into_iter()
                    .filter_map(|p| {
                        let path = crate::paths::PlanPage::Plan.path(&p.plan.id);
                        let key = *keys.get(path.as_str())?;
                        Some((format!("/{path}"), key))
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Each job's search index: (path under the output directory, bytes).
/// A page that did not render drops its version later; it is left out here.
pub(super) fn index_versions(
    jobs: &[SearchJob],
    rendered: &Rendered,
    cache: Option<&crate::search::Cache>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let bundles: Vec<Vec<(String, Vec<u8>)>> = jobs
        .par_iter()
        .map(|job| {
            let pages = job
                .pages
                .iter()
                .filter_map(|(url, key)| match rendered.get(key) {
                    Some(Ok(page)) => Some((url, fill(page, &job.base, "").concat())),
                    _ => None,
                });
            let bundle =
                crate::search::index(job.lang, pages, cache, || false, crate::search::BATCH)?
                    .context("search index stopped")?;
            Ok(bundle
                .into_iter()
                .map(|(path, bytes)| (format!("{}{path}", job.prefix), bytes))
                .collect())
        })
        .collect::<Result<_>>()?;
    Ok(bundles.into_iter().flatten().collect())
}
