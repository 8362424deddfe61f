//! Full-text search over the plan pages with Pagefind (docs/format.md,
//! "Search"): each plan page is added as it is rendered, and the index —
//! Pagefind's bundle of index chunks, its WASM search and its UI — goes
//! under `pagefind/`.
//!
//! Pagefind's indexing API is async; a current-thread tokio runtime drives
//! it here so that nothing else in planbook is async. Pages are added in
//! file order (the build hands them over in order), a batch at a time that
//! Pagefind parses on all cores (our patch, vendor/pagefind/PATCH.md),
//! which keeps the bundle byte-identical from one build to the next.

use std::sync::Arc;

use anyhow::{Context, Result};

use pagefind::api::{PageParser, ParsedPage};

use crate::i18n::Lang;

mod cache;
mod slim;

pub(crate) use cache::Cache;

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
        let mut index = pagefind::api::PagefindIndex::new(Some(config))
            .context("cannot start the search indexer")?;
        // Each page's words go into the index as the page is added, not
        // kept per page until the end (our patch): every page is added
        // once, in one language.
        runtime.block_on(index.fold_words());
        Ok(Index { runtime, index })
    }

    /// Adds a batch of pages in the order given: those found in the cache
    /// as they were parsed before, the others from `parsed` (in the same
    /// order; see [`parse_batch`]), which are stored in `cache`.
    fn add(
        &mut self,
        pages: Vec<Prepared>,
        parsed: Vec<Result<ParsedPage>>,
        cache: Option<&Cache>,
    ) -> Result<()> {
        let mut parsed = parsed.into_iter();
        let mut ordered = Vec::with_capacity(pages.len());
        for page in pages {
            let page = match page {
                Prepared::Parsed(page) => *page,
                Prepared::Page { url, key, .. } => {
                    let page = parsed.next().context("a page was not parsed")?;
                    let page = page.with_context(|| format!("cannot index {url}"))?;
                    if let (Some(cache), Some(key)) = (cache, key) {
                        cache.put(&key, &page);
                    }
                    page
                }
            };
            ordered.push(page);
        }
        let added = self.index.add_parsed_pages(ordered);
        self.runtime
            .block_on(added)
            .context("cannot index the pages")?;
        Ok(())
    }

    /// The bundle, in path order.
    fn files(mut self) -> Result<Bundle> {
        let files = self
            .runtime
            .block_on(self.index.take_files())
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

/// Pages handed to Pagefind at a time in a build: enough to keep every
/// core busy between two rounds, few enough to hold (128 plan pages are
/// about 5 MB).
pub(crate) const BATCH: usize = 128;

/// The same for an index a newer one may stop (`serve`, after each edit):
/// a stale index notices at the end of a round, so a round is short (16
/// pages, a few milliseconds of parsing) and the next edit is not slowed
/// by it. With 128 an edit was served in 72 ms instead of 60 (the serve
/// bench, 1,000 plans).
pub(crate) const STOPPABLE_BATCH: usize = 16;

/// A plan page ready for the index: as Pagefind parsed it in an earlier
/// build (found in the cache), or the page as Pagefind reads it, to be
/// parsed, with its cache key.
pub(crate) enum Prepared {
    Parsed(Box<pagefind::api::ParsedPage>),
    Page {
        url: String,
        html: String,
        key: Option<String>,
    },
}

impl Prepared {
    /// The page at `url` (from the site's root, `/plans/ID/index.html`),
    /// `page` as written: looked up in `cache` as it is, and made into what
    /// Pagefind reads of it ([`slim`]) only when it is not found there.
    /// Cheap enough to run on every render thread, which is where the
    /// build calls it.
    pub(crate) fn new(lang: Lang, url: String, page: &[u8], cache: Option<&Cache>) -> Prepared {
        // Pages are UTF-8 (planbook writes them); checked with SIMD, as the
        // standard check was 1 % of a search build.
        let cut = || match simdutf8::basic::from_utf8(page) {
            Ok(page) => slim::slim(page),
            Err(_) => slim::slim(&String::from_utf8_lossy(page)),
        };
        let Some(cache) = cache else {
            return Prepared::Page {
                url,
                html: cut(),
                key: None,
            };
        };
        // Keyed by the page as written: a page found is not cut at all.
        let key = Cache::key(lang, &url, page);
        match cache.get(&key, &url) {
            Some(parsed) => Prepared::Parsed(Box::new(parsed)),
            None => Prepared::Page {
                url,
                html: cut(),
                key: Some(key),
            },
        }
    }
}

/// Indexes `pages` ((URL from the site's root, page), in order), `batch`
/// pages a round ([`BATCH`] in a build, [`STOPPABLE_BATCH`] in `serve`),
/// and returns the bundle, or `None` once `stopped` says so (asked before
/// each round and before the bundle is made). Pages found in `cache` are
/// not parsed again; the others are stored there.
pub(crate) fn index<I, U, H>(
    lang: Lang,
    pages: I,
    cache: Option<&Cache>,
    stopped: impl Fn() -> bool + Sync,
    batch: usize,
) -> Result<Option<Bundle>>
where
    I: IntoIterator<Item = (U, H)>,
    I::IntoIter: Send,
    U: AsRef<str>,
    H: AsRef<[u8]>,
{
    let pages = pages
        .into_iter()
        .map(|(url, page)| Prepared::new(lang, url.as_ref().to_string(), page.as_ref(), cache));
    index_prepared(lang, pages, cache, stopped, batch)
}

/// Parses the pages of `batch` that were not found in the cache, in
/// parallel on Pagefind's pool, each result in the place of its page (with
/// the bytes for the cache made there too). Their HTML is handed to
/// Pagefind, not copied: only their URL and key are left.
fn parse_batch(
    parser: &PageParser,
    batch: &mut [Prepared],
    cache: Option<&Cache>,
) -> Vec<Result<ParsedPage>> {
    let missing: Vec<(String, String)> = batch
        .iter_mut()
        .filter_map(|page| match page {
            Prepared::Parsed(_) => None,
            Prepared::Page { url, html, .. } => Some((url.clone(), std::mem::take(html))),
        })
        .collect();
    match missing.is_empty() {
        true => Vec::new(),
        false => parser.parse_html_files(missing, cache.is_some()),
    }
}

/// [`index`] of pages prepared already. Two stages: a thread
/// takes a batch at a time and has Pagefind parse it on its pool, while
/// this one adds the batch before to the index (folding its words, which
/// is in order, one page after another) and stores it in the cache.
fn index_prepared<I>(
    lang: Lang,
    pages: I,
    cache: Option<&Cache>,
    stopped: impl Fn() -> bool + Sync,
    batch: usize,
) -> Result<Option<Bundle>>
where
    I: IntoIterator<Item = Prepared>,
    I::IntoIter: Send,
{
    let mut index = Index::new(lang)?;
    let parser = index
        .runtime
        .block_on(index.index.page_parser())
        .context("cannot start the search indexer")?;
    let pages = pages.into_iter();
    let stopped = &stopped;
    std::thread::scope(|scope| -> Result<Option<Bundle>> {
        // One parsed batch waits while the one before is added.
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let reader = std::thread::Builder::new()
            .name("search parse".into())
            .spawn_scoped(scope, move || {
                let mut pages = pages;
                while !stopped() {
                    let mut batch: Vec<Prepared> = pages.by_ref().take(batch.max(1)).collect();
                    if batch.is_empty() {
                        break;
                    }
                    let parsed = parse_batch(&parser, &mut batch, cache);
                    // Gone when adding failed: stop.
                    if tx.send((batch, parsed)).is_err() {
                        break;
                    }
                }
            })
            .context("cannot start the search indexer")?;
        for (batch, parsed) in rx {
            index.add(batch, parsed, cache)?;
        }
        if reader.join().is_err() {
            anyhow::bail!("the search indexer failed");
        }
        if stopped() {
            return Ok(None);
        }
        index.files().map(Some)
    })
}

/// An [`Index`] filled on a thread of its own, so that the pages can be
/// handed over as they are written without holding up the build (Pagefind
/// takes them a round at a time). Pages are indexed in the order they are
/// added. Dropped before [`Background::finish`], the indexer stops before
/// its next round.
pub(crate) struct Background {
    tx: Option<std::sync::mpsc::SyncSender<Prepared>>,
    worker: Option<std::thread::JoinHandle<Result<Bundle>>>,
    dropped: std::sync::Arc<std::sync::atomic::AtomicBool>,
    lang: Lang,
    cache: Option<Arc<Cache>>,
}

impl Background {
    /// Starts the indexer (with the pages of `cache`, if any).
    pub(crate) fn start(lang: Lang, cache: Option<Arc<Cache>>) -> Result<Background> {
        use std::sync::atomic::Ordering::Relaxed;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Prepared>(64);
        let dropped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = std::sync::Arc::clone(&dropped);
        let worker_cache = cache.clone();
        let worker = std::thread::Builder::new()
            .name("search index".into())
            .spawn(move || {
                index_prepared(
                    lang,
                    rx,
                    worker_cache.as_deref(),
                    || stop.load(Relaxed),
                    BATCH,
                )?
                .context("search index dropped")
            })
            .context("cannot start the search indexer")?;
        Ok(Background {
            tx: Some(tx),
            worker: Some(worker),
            dropped,
            lang,
            cache,
        })
    }

    /// Hands one page over (see [`Index::add`]). If the indexer has
    /// stopped on an error, the page is dropped: [`Background::finish`]
    /// reports the error.
    pub(crate) fn add(&self, page: Prepared) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(page);
        }
    }

    /// The page at `url`, `page` as written, ready for [`Background::add`]
    /// ([`Prepared::new`] with this index's language and cache): called on
    /// the thread that rendered the page, so that the build's threads share
    /// the work of cutting, hashing and reading the cache.
    pub(crate) fn prepare(&self, url: String, page: &[u8]) -> Prepared {
        Prepared::new(self.lang, url, page, self.cache.as_deref())
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

/// Each page of `pages` as Pagefind parsed it (at `/p/N/index.html`), in
/// bytes: all in one batch, or (`alone`) one at a time in reverse order.
/// For tests here and in `slim` and `cache`.
#[cfg(test)]
fn parsed_bytes(pages: &[String], alone: bool) -> Vec<Vec<u8>> {
    let mut index = Index::new(Lang::Ja).unwrap();
    let parser = index.runtime.block_on(index.index.page_parser()).unwrap();
    let page = |i: usize| (format!("/p/{i}/index.html"), pages[i].clone());
    let bytes = |p: Result<ParsedPage>| p.unwrap().to_bytes().unwrap();
    if !alone {
        let all = (0..pages.len()).map(page).collect();
        return parser
            .parse_html_files(all, false)
            .into_iter()
            .map(bytes)
            .collect();
    }
    let mut out: Vec<Vec<u8>> = (0..pages.len())
        .rev()
        .map(|i| parser.parse_html_files(vec![page(i)], false))
        .map(|mut p| bytes(p.pop().unwrap()))
        .collect();
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, body: &str) -> Vec<u8> {
        format!(
            "<!doctype html><html lang=\"ja\"><head><title>{title}</title></head>\
             <body><main data-pagefind-body><h1>{title}</h1><p>{body}</p>\
             <div data-pagefind-ignore><svg><text id=\"t\">{title} 図</text></svg></div>\
             <p hidden data-pagefind-ignore><span data-pagefind-filter=\"状態\">進行中</span></p>\
             </main></body></html>"
        )
        .into_bytes()
    }

    #[test]
    fn the_background_index_is_the_same_as_one_filled_in_place() {
        let texts = [
            ("推薦", "購買履歴からお気に入りを推薦する"),
            ("Churn", "alerts before customers leave"),
        ];
        // More pages than a batch, so that batches are parsed in parallel.
        let pages: Vec<(String, Vec<u8>)> = (0..BATCH * 2 + 7)
            .map(|i| {
                let (title, body) = texts[i % 2];
                let url = format!("/plans/p{i:04}/index.html");
                (url, page(&format!("{title} {i}"), body))
            })
            .collect();
        // Pagefind's own API, one whole page at a time, as before batches.
        let mut direct = Index::new(Lang::Ja).unwrap();
        for (url, html) in &pages {
            let html = String::from_utf8_lossy(html).into_owned();
            let added = direct.index.add_html_file(None, Some(url.clone()), html);
            direct.runtime.block_on(added).unwrap();
        }
        let background = Background::start(Lang::Ja, None).unwrap();
        for (url, html) in &pages {
            background.add(background.prepare(url.clone(), html));
        }
        let (a, b) = (direct.files().unwrap(), background.finish().unwrap());
        assert!(a.iter().any(|(p, _)| p == "pagefind/pagefind-entry.json"));
        assert!(a == b, "the two bundles differ");
    }

    #[test]
    fn a_page_parses_the_same_whatever_was_parsed_before_it() {
        // Pagefind keeps what runs of text segment into and what words
        // index as from one page to the next (our patch): a page must not
        // depend on the pages before it. Runs and words that recur across
        // pages, in different neighbours, some longer than the memo keeps.
        let words = [
            "推薦",
            "お気に入り",
            "登録率",
            "を",
            "改善",
            "する",
            "Churn",
            "alerts",
            "顧客",
            "が",
            "増える",
            "m1",
            "2.5%",
            "データ",
            "で",
            "答える",
            "問い",
        ];
        let mut seed = 11u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            ((seed >> 33) as usize) % n
        };
        let pages: Vec<String> = (0..120)
            .map(|_| {
                let mut body = String::new();
                for _ in 0..(20 + next(40)) {
                    // A run of 1 to 12 words, or a long one, then a space.
                    let len = if next(20) == 0 { 200 } else { 1 + next(12) };
                    (0..len).for_each(|_| body.push_str(words[next(words.len())]));
                    body.push(if next(3) == 0 { '\n' } else { ' ' });
                }
                let p = page(words[next(words.len())], &body);
                String::from_utf8(p).unwrap()
            })
            .collect();
        let (batch, alone) = (parsed_bytes(&pages, false), parsed_bytes(&pages, true));
        for (i, (a, b)) in batch.iter().zip(&alone).enumerate() {
            assert!(a == b, "page {i} parses differently after other pages");
        }
    }

    #[test]
    fn a_page_added_twice_is_an_error_not_a_silent_replacement() {
        // Words are folded into the index as pages come (our Pagefind
        // patch): a page cannot be taken back out, so a URL twice fails.
        let p = page("推薦", "購買履歴");
        let pages = [("/plans/a/index.html", &p), ("/plans/a/index.html", &p)];
        let err = index(Lang::Ja, pages, None, || false, BATCH).unwrap_err();
        assert!(format!("{err:#}").contains("added twice"), "{err:#}");
    }

    #[test]
    fn a_stopped_index_makes_no_bundle() {
        let pages = [("/plans/a/index.html", page("推薦", "購買履歴"))];
        let stopped = index(
            Lang::Ja,
            pages.iter().map(|(u, h)| (*u, h)),
            None,
            || true,
            BATCH,
        );
        assert!(stopped.unwrap().is_none());
        let made = index(
            Lang::Ja,
            pages.iter().map(|(u, h)| (*u, h)),
            None,
            || false,
            BATCH,
        );
        assert!(made.unwrap().is_some_and(|b| !b.is_empty()));
    }
}
