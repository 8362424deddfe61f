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
struct Index {
    runtime: tokio::runtime::Runtime,
    index: pagefind::api::PagefindIndex,
}

impl Index {
    /// An empty index whose words are split as `lang` splits them (a plan
    /// in the other language is still found by its words).
    fn new(lang: Lang) -> Result<Index> {
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
    fn add(&mut self, url: &str, html: &[u8]) -> Result<()> {
        let html = String::from_utf8_lossy(html).into_owned();
        let page = self.index.add_html_file(None, Some(url.to_string()), html);
        self.runtime
            .block_on(page)
            .with_context(|| format!("cannot index {url}"))?;
        Ok(())
    }

    /// The bundle, in path order.
    fn files(mut self) -> Result<Bundle> {
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

/// The bundle of a search index: (path under the site root, bytes), in
/// path order.
pub(crate) type Bundle = Vec<(String, Vec<u8>)>;

/// Indexes `pages` ((URL from the site's root, page), in order) and returns
/// the bundle, or `None` once `stopped` says so (asked before each page and
/// before the bundle is made).
pub(crate) fn index<U: AsRef<str>, H: AsRef<[u8]>>(
    lang: Lang,
    pages: impl IntoIterator<Item = (U, H)>,
    stopped: impl Fn() -> bool,
) -> Result<Option<Bundle>> {
    let mut index = Index::new(lang)?;
    for (url, page) in pages {
        if stopped() {
            return Ok(None);
        }
        index.add(url.as_ref(), page.as_ref())?;
    }
    if stopped() {
        return Ok(None);
    }
    index.files().map(Some)
}

/// An [`Index`] filled on a thread of its own, so that the pages can be
/// handed over as they are written without holding up the build (Pagefind
/// reads one page at a time). Pages are indexed in the order they are
/// added. Dropped before [`Background::finish`], the indexer stops at its
/// next page.
pub(crate) struct Background {
    tx: Option<std::sync::mpsc::SyncSender<(String, Vec<u8>)>>,
    worker: Option<std::thread::JoinHandle<Result<Bundle>>>,
    dropped: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Background {
    /// Starts the indexer.
    pub(crate) fn start(lang: Lang) -> Result<Background> {
        use std::sync::atomic::Ordering::Relaxed;
        let (tx, rx) = std::sync::mpsc::sync_channel::<(String, Vec<u8>)>(64);
        let dropped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = std::sync::Arc::clone(&dropped);
        let worker = std::thread::Builder::new()
            .name("search index".into())
            .spawn(move || index(lang, rx, || stop.load(Relaxed))?.context("search index dropped"))
            .context("cannot start the search indexer")?;
        Ok(Background {
            tx: Some(tx),
            worker: Some(worker),
            dropped,
        })
    }

    /// Hands one page over (see [`Index::add`]). If the indexer has
    /// stopped on an error, the page is dropped: [`Background::finish`]
    /// reports the error.
    pub(crate) fn add(&self, url: String, page: Vec<u8>) {
        if let Some(tx) = &self.tx {
            let _ = tx.send((url, page));
        }
    }

    /// Waits for the indexer and returns its bundle.
    pub(crate) fn finish(mut self) -> Result<Bundle> {
        drop(self.tx.take());
        match self.worker.take().map(std::thread::JoinHandle::join) {
            Some(Ok(bundle)) => bundle,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => anyhow::bail!("the search indexer is gone"),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.dropped
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, body: &str) -> Vec<u8> {
        format!(
            "<!doctype html><html lang=\"ja\"><head><title>{title}</title></head>\
             <body><main data-pagefind-body><h1>{title}</h1><p>{body}</p></main></body></html>"
        )
        .into_bytes()
    }

    #[test]
    fn the_background_index_is_the_same_as_one_filled_in_place() {
        let pages = [
            (
                "/plans/a/index.html",
                page("推薦", "購買履歴からお気に入りを推薦する"),
            ),
            (
                "/plans/b/index.html",
                page("Churn", "alerts before customers leave"),
            ),
        ];
        let mut direct = Index::new(Lang::Ja).unwrap();
        let background = Background::start(Lang::Ja).unwrap();
        for (url, html) in &pages {
            direct.add(url, html).unwrap();
            background.add((*url).to_string(), html.clone());
        }
        let (a, b) = (direct.files().unwrap(), background.finish().unwrap());
        assert!(a.iter().any(|(p, _)| p == "pagefind/pagefind-entry.json"));
        assert!(a == b, "the two bundles differ");
    }

    #[test]
    fn a_stopped_index_makes_no_bundle() {
        let pages = [("/plans/a/index.html", page("推薦", "購買履歴"))];
        let stopped = index(Lang::Ja, pages.iter().map(|(u, h)| (*u, h)), || true);
        assert!(stopped.unwrap().is_none());
        let made = index(Lang::Ja, pages.iter().map(|(u, h)| (*u, h)), || false);
        assert!(made.unwrap().is_some_and(|b| !b.is_empty()));
    }
}
