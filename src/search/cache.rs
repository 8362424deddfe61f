//! The search cache (docs/format.md, "Search"): each plan page as Pagefind
//! parsed it, kept in `.planbook-cache/search/` under the repository so
//! that the next build adds it to the index without parsing it again.
//!
//! An entry is found by a SHA-256 of everything its parse depends on: the
//! page as written, its URL, the site's language, the entry format and
//! the planbook build: its version and commit, and a fingerprint of the
//! code between a page and its entry (`slim.rs`, the patched Pagefind and
//! `Cargo.lock`, taken by build.rs), so that an edit not yet committed
//! gets new entries too. Keyed by the page as written, a page found in
//! the cache is not even cut for Pagefind. A changed page is a new key,
//! so an entry is never stale; an entry that is cut short, corrupt or from another format fails
//! its checksum or its decoding and is parsed again and rewritten. Entries
//! are written to a temporary file and renamed, so a build that is killed,
//! or two builds at once, leave whole entries or none. The cache is only
//! an optimisation: when it cannot be read or written the build goes on
//! without it (one warning).

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::{Duration, SystemTime};

use pagefind::api::ParsedPage;
use sha2::{Digest, Sha256};

use crate::i18n::Lang;

/// The cache's directory under the repository root.
pub(crate) const DIR: &str = ".planbook-cache";

/// Bumped when what an entry holds changes in a way the planbook build
/// stamp would not show (a change to the Pagefind patch between commits).
const FORMAT: &str = "planbook search cache 3";

/// The first bytes of every entry.
const MAGIC: &[u8; 8] = b"PBSRCH1\n";

/// An entry no build used for this long is removed by [`Cache::sweep`].
const KEEP_UNUSED: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// The parsed pages of one repository.
pub(crate) struct Cache {
    root: PathBuf,
    /// Keys looked up by this process: what [`Cache::sweep`] keeps.
    used: Mutex<HashSet<String>>,
    /// Set once the directory and its markers are known to exist.
    marked: AtomicBool,
    warned: AtomicBool,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl Cache {
    /// The cache of the repository at `root` with `config`, unless its
    /// `[search] cache` is off.
    pub(crate) fn of(config: &crate::config::Config, root: &Path) -> Option<Cache> {
        config.search.cache.then(|| Cache::new(root))
    }

    /// The cache of the repository at `root`; nothing is created until a
    /// page is stored.
    fn new(root: &Path) -> Cache {
        Cache {
            root: root.join(DIR),
            used: Mutex::new(HashSet::new()),
            marked: AtomicBool::new(false),
            warned: AtomicBool::new(false),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    fn entries(&self) -> PathBuf {
        self.root.join("search")
    }

    /// The key of a page: a SHA-256 of all its parse depends on.
    pub(crate) fn key(lang: Lang, url: &str, page: &[u8]) -> String {
        let mut hash = Sha256::new();
        for part in [
            FORMAT,
            env!("CARGO_PKG_VERSION"),
            env!("PLANBOOK_COMMIT"),
            env!("PLANBOOK_PARSE_FINGERPRINT"),
            lang.code(),
            url,
        ] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        hash.update(page);
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    fn path(&self, key: &str) -> PathBuf {
        let (dir, file) = key.split_at(2.min(key.len()));
        self.entries().join(dir).join(file)
    }

    /// The page stored under `key` for `url`, if there is a whole one.
    pub(crate) fn get(&self, key: &str, url: &str) -> Option<ParsedPage> {
        if let Ok(mut used) = self.used.lock() {
            used.insert(key.to_string());
        }
        let page = std::fs::read(self.path(key))
            .ok()
            .and_then(|bytes| ParsedPage::from_bytes(unwrap_entry(&bytes)?).ok())
            .filter(|page| page.url() == url);
        match page {
            Some(_) => self.hits.fetch_add(1, Relaxed),
            None => self.misses.fetch_add(1, Relaxed),
        };
        page
    }

    /// Stores `page` under `key`. Failing to is a warning, once.
    pub(crate) fn put(&self, key: &str, page: &ParsedPage) {
        if let Err(err) = self.try_put(key, page)
            && !self.warned.swap(true, Relaxed)
        {
            eprintln!(
                "warning: the search cache in {} cannot be written ({err:#}); \
                 building without it",
                self.root.display()
            );
        }
    }

    fn try_put(&self, key: &str, page: &ParsedPage) -> anyhow::Result<()> {
        let path = self.path(key);
        let dir = path.parent().unwrap_or(&self.root);
        // Checked once, not per entry: a cold build of 10,000 pages made
        // 30,000 calls to `mkdir` and `stat` for these.
        if !self.marked.load(Relaxed) {
            self.mark()?;
        }
        let payload = match page.stored_bytes() {
            Some(bytes) => std::borrow::Cow::Borrowed(bytes),
            None => std::borrow::Cow::Owned(page.to_bytes()?),
        };
        // One write: the magic, the checksum, the payload.
        let mut entry = Vec::with_capacity(MAGIC.len() + 4 + payload.len());
        entry.extend_from_slice(MAGIC);
        entry.extend_from_slice(&checksum(&payload).to_le_bytes());
        entry.extend_from_slice(&payload);
        // The entry's directory is made when it is missing, not checked
        // before each entry.
        let mut tmp = match tempfile_in(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // (The whole cache may have been removed under `serve`.)
                self.mark()?;
                std::fs::create_dir_all(dir)?;
                tempfile_in(dir)?
            }
            made => made?,
        };
        tmp.1.write_all(&entry)?;
        drop(tmp.1);
        std::fs::rename(&tmp.0, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp.0);
        })?;
        Ok(())
    }

    /// Makes the cache's directory, marked as a cache for backup tools
    /// (bford.info/cachedir) and kept out of git, if it is missing.
    fn mark(&self) -> anyhow::Result<()> {
        if !self.root.exists() {
            std::fs::create_dir_all(&self.root)?;
            std::fs::write(
                self.root.join("CACHEDIR.TAG"),
                "Signature: 8a477f597d28d172789f06886806bc55\n\
                 # planbook's search cache: safe to delete.\n",
            )?;
            std::fs::write(self.root.join(".gitignore"), "*\n")?;
        }
        self.marked.store(true, Relaxed);
        Ok(())
    }

    /// (pages found, pages parsed) so far.
    pub(crate) fn counts(&self) -> (u64, u64) {
        (self.hits.load(Relaxed), self.misses.load(Relaxed))
    }

    /// Removes the entries this process did not use that are older than a
    /// week (a page edited since, a plan removed); what is left of a
    /// killed write goes too. Errors are ignored: the cache stays correct.
    pub(crate) fn sweep(&self) {
        let Ok(used) = self.used.lock() else { return };
        let cutoff = SystemTime::now().checked_sub(KEEP_UNUSED);
        let Ok(dirs) = std::fs::read_dir(self.entries()) else {
            return;
        };
        for dir in dirs.flatten() {
            let prefix = dir.file_name().to_string_lossy().into_owned();
            let Ok(files) = std::fs::read_dir(dir.path()) else {
                continue;
            };
            for file in files.flatten() {
                let name = file.file_name().to_string_lossy().into_owned();
                if used.contains(&format!("{prefix}{name}")) {
                    continue;
                }
                let old = file
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|modified| cutoff.is_some_and(|cutoff| modified < cutoff));
                if old || name.starts_with(".tmp") && stale_tmp(&file.path()) {
                    let _ = std::fs::remove_file(file.path());
                }
            }
        }
    }
}

/// A temporary file's name, one per process and call.
fn tempfile_in(dir: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = format!(".tmp{}-{}", std::process::id(), NEXT.fetch_add(1, Relaxed));
    let path = dir.join(name);
    let file = std::fs::File::create(&path)?;
    Ok((path, file))
}

/// A temporary file left by a build that was killed an hour ago or more.
fn stale_tmp(path: &Path) -> bool {
    let hour_ago = SystemTime::now().checked_sub(Duration::from_secs(3600));
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .is_ok_and(|modified| hour_ago.is_some_and(|hour_ago| modified < hour_ago))
}

fn checksum(payload: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(payload);
    crc.sum()
}

/// The payload of a whole entry: the magic, then a CRC-32 of the rest.
fn unwrap_entry(bytes: &[u8]) -> Option<&[u8]> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (sum, payload) = rest.split_first_chunk::<4>()?;
    (u32::from_le_bytes(*sum) == checksum(payload)).then_some(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_whole_or_not_at_all() {
        let payload = b"parsed page";
        let mut entry = MAGIC.to_vec();
        entry.extend(checksum(payload).to_le_bytes());
        entry.extend(payload);
        assert_eq!(unwrap_entry(&entry), Some(&payload[..]));
        // Cut short, one byte changed, another format: not an entry.
        assert_eq!(unwrap_entry(&entry[..entry.len() - 1]), None);
        let mut flipped = entry.clone();
        if let Some(last) = flipped.last_mut() {
            *last ^= 1;
        }
        assert_eq!(unwrap_entry(&flipped), None);
        assert_eq!(unwrap_entry(&entry[1..]), None);
        assert_eq!(unwrap_entry(b""), None);
    }

    #[test]
    fn a_cache_removed_while_in_use_comes_back_whole_and_marked() {
        let html = "<html><body><main data-pagefind-body><h1>推薦</h1></main></body></html>";
        let bytes = super::super::parsed_bytes(&[html.to_string()], false);
        let page = ParsedPage::from_bytes(&bytes[0]).unwrap();
        let repo = tempfile::tempdir().unwrap();
        let cache = Cache::new(repo.path());
        let (a, b) = ("a".repeat(64), "b".repeat(64));
        cache.put(&a, &page);
        // Removed (by hand, under `serve`): the next entry makes the
        // directory again, with its markers.
        std::fs::remove_dir_all(repo.path().join(DIR)).unwrap();
        cache.put(&b, &page);
        assert!(!cache.warned.load(Relaxed));
        let root = repo.path().join(DIR);
        assert!(root.join("CACHEDIR.TAG").is_file() && root.join(".gitignore").is_file());
        let found = cache.get(&b, "/p/0/index.html").unwrap();
        assert_eq!(found.to_bytes().unwrap(), bytes[0]);
        assert!(cache.get(&a, "/p/0/index.html").is_none());
    }

    #[test]
    fn a_key_changes_with_the_page_its_url_and_the_language() {
        let key = Cache::key(Lang::Ja, "/plans/a/index.html", b"<p>a</p>");
        assert_eq!(key.len(), 64);
        assert_eq!(
            key,
            Cache::key(Lang::Ja, "/plans/a/index.html", b"<p>a</p>")
        );
        // Another page, URL or language: another key.
        for (lang, url, page) in [
            (Lang::Ja, "/plans/a/index.html", b"<p>b</p>"),
            (Lang::Ja, "/plans/b/index.html", b"<p>a</p>"),
            (Lang::En, "/plans/a/index.html", b"<p>a</p>"),
        ] {
            assert_ne!(key, Cache::key(lang, url, page), "{lang:?} {url} {page:?}");
        }
        // The separator keeps the parts apart.
        assert_ne!(
            Cache::key(Lang::Ja, "/a", b"b<p>"),
            Cache::key(Lang::Ja, "/ab", b"<p>")
        );
    }
}
