//! Full-text search over the plan pages with Pagefind (docs/format.md,
//! "Search"): each plan page is added as it is rendered, and the index —
//! Pagefind's bundle of index chunks, its WASM search and its UI — goes
//! under `pagefind/`.
//!
//! Pagefind's indexing API is async; a current-thread tokio runtime drives
//! it here so that nothing else in planbook is async. Pages are added in
//! file order (the build hands them over in order), which keeps the bundle
//! byte-identical from one build to the next.

use anyhow::{Context, Result};

use crate::i18n::Lang;

/// A search index being filled.
pub struct Index {
    runtime: tokio::runtime::Runtime,
    index: pagefind::api::PagefindIndex,
}

impl Index {
    /// An empty index whose words are split as `lang` splits them (a plan
    /// in the other language is still found by its words).
    pub fn new(lang: Lang) -> Result<Index> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .context("cannot start the search indexer")?;
        let config = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language(lang.code().to_string())
            .build();
        let index = pagefind::api::PagefindIndex::new(Some(config))
            .context("cannot start the search indexer")?;
        Ok(Index { runtime, index })
    }

    /// Adds one page: `url` from the site's root (`/plans/ID/index.html`),
    /// `html` the page as written.
    pub fn add(&mut self, url: &str, html: &[u8]) -> Result<()> {
        let html = String::from_utf8_lossy(html).into_owned();
        let page = self.index.add_html_file(None, Some(url.to_string()), html);
        self.runtime
            .block_on(page)
            .with_context(|| format!("cannot index {url}"))?;
        Ok(())
    }

    /// The bundle: (path under the site root, bytes), in path order.
    pub fn files(mut self) -> Result<Vec<(String, Vec<u8>)>> {
        let files = self
            .runtime
            .block_on(self.index.get_files())
            .context("cannot build the search index")?;
        let mut out: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                (format!("pagefind/{name}"), f.contents)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }
}
