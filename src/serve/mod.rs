//! `planbook serve`: build into memory, serve over HTTP on loopback, watch
//! the repository and rebuild on change, and reload open pages once the new
//! build is in place.
//!
//! - The site lives in memory ([`State`]); a rebuild swaps it in whole, so a
//!   reader never sees a half-built site. Nothing is read from disk to
//!   answer a request, so no URL can reach a file outside the site.
//! - Live reload is a long poll: served HTML pages get a small script that
//!   asks `/__planbook/wait?gen=N` and reloads when the generation changes.
//!   Built sites (`planbook build`) never contain it.
//! - When a build fails (lint errors, broken YAML) the last good pages stay
//!   served with an error overlay listing the diagnostics.
//! - Search (`[search] enabled`): after each swap the plan pages are
//!   indexed in memory on a thread of their own; the previous index is
//!   served until the new one is ready, and an index overtaken by a newer
//!   swap is dropped unfinished.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::i18n::Lang;
use chrono::NaiveDate;

pub mod http;
pub(crate) mod session;

use session::{Outcome, Session};

/// What is being served.
#[derive(Default)]
pub(crate) struct State {
    /// Plan pages and static files.
    pub files: session::Pages,
    /// The shared pages of the same build, rendered on first request.
    pub shared: Option<Arc<session::Shared>>,
    /// The search index (`pagefind/`), made in the background after each
    /// swap; the previous one is served until it is ready.
    pub search: session::Pages,
    /// How many sites have been swapped in: an index made for an older
    /// one is thrown away.
    pub swaps: u64,
    /// HTML of the error overlay while the last build failed.
    pub overlay: Option<String>,
    /// The page for a path not in the site (the theme's `404.html`).
    pub not_found: Arc<Vec<u8>>,
    /// Bumped after every build (good or failed) so open pages refresh.
    pub generation: u64,
}

pub(crate) type Shared = Arc<(Mutex<State>, Condvar)>;

/// Options of `planbook serve`.
pub(crate) struct ServeOptions {
    pub root: PathBuf,
    pub today: NaiveDate,
    pub base_url: Option<String>,
    pub bind: String,
    pub port: u16,
    pub poll: bool,
    pub quiet: bool,
}

/// Applies a build outcome to the shared state and prints its diagnostics;
/// the overlay and the 404 page come from `session`'s theme.
fn publish(shared: &Shared, outcome: Result<Outcome>, root: &Path, session: &Session, quiet: bool) {
    let (lock, cvar) = &**shared;
    let lang = session.lang();
    let overlay = match outcome {
        Ok(Outcome { site, diagnostics }) => {
            let plans = session.plan_count();
            let text = crate::diag::render::human_text(root, &diagnostics, plans, lang);
            let failed = site.is_none();
            if !diagnostics.is_empty() && (!quiet || failed) {
                eprint!("{text}");
            }
            if let (Ok(mut st), Some(site)) = (lock.lock(), site) {
                let pages = site.shared.search_pages(&site.files);
                let lang = site.shared.lang();
                st.files = site.files;
                st.shared = Some(site.shared);
                st.swaps += 1;
                match pages {
                    Some(pages) => {
                        let cache = session.search_cache();
                        index_in_background(shared, st.swaps, lang, pages, cache);
                    }
                    // Search turned off in book.toml: no index either.
                    None => st.search.clear(),
                }
            }
            failed.then(|| session.overlay(&text))
        }
        Err(e) => {
            let text = format!("error: {e:#}\n");
            eprint!("{text}");
            Some(session.overlay(&text))
        }
    };
    let not_found = Arc::new(session.not_found_page());
    if let Ok(mut st) = lock.lock() {
        st.overlay = overlay;
        st.not_found = not_found;
        st.generation += 1;
    }
    cvar.notify_all();
}

/// Indexes the plan pages of swap number `swap` for search on a thread of
/// its own, and serves the index once it is ready, unless a newer site was
/// swapped in meanwhile (then it stops early). Page swaps never wait for it.
/// With `cache`, only the pages edited since they were last indexed are
/// parsed again.
fn index_in_background(
    shared: &Shared,
    swap: u64,
    lang: Lang,
    pages: Vec<(String, Arc<Vec<u8>>)>,
    cache: Option<crate::search::Cache>,
) {
    let shared = Arc::clone(shared);
    let current = move |shared: &Shared| shared.0.lock().is_ok_and(|st| st.swaps == swap);
    let spawned = std::thread::Builder::new()
        .name("search index".into())
        .spawn(move || {
            let pages = pages.iter().map(|(url, page)| (url, page.as_slice()));
            let stopped = || !current(&shared);
            let batch = crate::search::STOPPABLE_BATCH;
            match crate::search::index(lang, pages, cache.as_ref(), stopped, batch) {
                Ok(Some(files)) => {
                    if let Ok(mut st) = shared.0.lock()
                        && st.swaps == swap
                    {
                        st.search = files
                            .into_iter()
                            .map(|(path, bytes)| (path, Arc::new(bytes)))
                            .collect();
                    }
                }
                Ok(None) => {}
                Err(e) => eprintln!("warning: search index not updated: {e:#}"),
            }
        });
    if let Err(e) = spawned {
        eprintln!("warning: search index not updated: {e}");
    }
}

/// mimalloc's `mi_option_purge_delay` (its `mimalloc.h`; the Rust binding
/// has no name for it): how long freed memory is kept before it goes back
/// to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Starts the server and the watcher; returns when the server stops.
pub(crate) fn serve(opts: ServeOptions) -> Result<()> {
    // A server runs for hours and rebuilds the site and its index after
    // every edit, on several threads: with mimalloc's default delay the
    // memory each rebuild frees was kept while the next allocated, and the
    // peak wandered from 181 to 208 MB on 500 plans. Purged at once, it
    // stays at about 145 MB; a build is not affected (it is another
    // process).
    // SAFETY: sets one of mimalloc's options, which it reads atomically;
    // any value is valid for this one.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    let root = opts
        .root
        .canonicalize()
        .with_context(|| format!("cannot read {}", opts.root.display()))?;
    let mut session = Session::open(&root, opts.today, opts.base_url.clone())?;
    for w in session.warnings() {
        eprintln!("warning: {w}");
    }
    let shared: Shared = Arc::new((Mutex::new(State::default()), Condvar::new()));
    publish(&shared, session.build(), &root, &session, opts.quiet);

    let addr: SocketAddr = format!("{}:{}", opts.bind, opts.port)
        .parse()
        .or_else(|_| {
            use std::net::ToSocketAddrs;
            (opts.bind.as_str(), opts.port)
                .to_socket_addrs()
                .ok()
                .and_then(|mut a| a.next())
                .ok_or(())
        })
        .map_err(|_| anyhow::anyhow!("--bind {}: not an address to listen on", opts.bind))?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: serving on {addr}, reachable from other machines; plans are shared with anyone who can connect"
        );
    }
    let server = tiny_http::Server::http(addr).map_err(|e| {
        anyhow::anyhow!(
            "cannot listen on {addr}: {e}; is another server using the port? pass --port"
        )
    })?;
    let local = server
        .server_addr()
        .to_ip()
        .map_or_else(|| addr.to_string(), |a| a.to_string());
    let _watcher = watch(&root, session.content_dir().to_path_buf(), opts.poll, {
        let shared = shared.clone();
        let root = root.clone();
        let quiet = opts.quiet;
        move |paths: Vec<PathBuf>| {
            let outcome = if paths.iter().any(|p| session.is_global_change(p)) {
                session.reload_all().and_then(|()| session.build())
            } else {
                session.update(&paths).and_then(|warnings| {
                    for w in warnings {
                        eprintln!("warning: {w}");
                    }
                    session.build()
                })
            };
            if !quiet && std::io::stderr().is_terminal() {
                eprintln!("rebuilt after a change to {}", describe(&paths, &root));
            }
            publish(&shared, outcome, &root, &session, quiet);
        }
    })?;

    // Announce only once the watcher runs: an edit right after this line
    // is seen.
    println!(
        "Serving {} on http://{local}/ (Ctrl-C to stop)",
        root.display()
    );
    use std::io::Write as _;
    let _ = std::io::stdout().flush();

    for request in server.incoming_requests() {
        let shared = shared.clone();
        std::thread::spawn(move || http::handle(request, &shared));
    }
    Ok(())
}

fn describe(paths: &[PathBuf], root: &Path) -> String {
    let names: Vec<String> = paths
        .iter()
        .take(3)
        .map(|p| crate::load::rel_name(root, p))
        .collect();
    let more = paths.len().saturating_sub(3);
    if more > 0 {
        format!("{} and {more} more", names.join(", "))
    } else {
        names.join(", ")
    }
}

/// Watches content, book.toml and themes; calls `on_change` with the changed
/// paths of each burst of events (an editor's write-and-rename is one burst:
/// events closer than 30 ms together). Access events (reads, including our
/// own) are ignored.
fn watch(
    root: &Path,
    content: PathBuf,
    poll: bool,
    mut on_change: impl FnMut(Vec<PathBuf>) + Send + 'static,
) -> Result<Box<dyn std::any::Any>> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut targets: Vec<(PathBuf, RecursiveMode)> = vec![
        (content.clone(), RecursiveMode::Recursive),
        (root.to_path_buf(), RecursiveMode::NonRecursive),
    ];
    let themes = root.join("themes");
    if themes.is_dir() {
        targets.push((themes, RecursiveMode::Recursive));
    }
    fn start<W: Watcher + 'static>(
        mut w: W,
        targets: &[(PathBuf, RecursiveMode)],
    ) -> Result<Box<dyn std::any::Any>> {
        for (p, mode) in targets {
            w.watch(p, *mode)
                .with_context(|| format!("cannot watch {}", p.display()))?;
        }
        Ok(Box::new(w))
    }
    let polling = |tx| -> Result<Box<dyn std::any::Any>> {
        // Poll mtimes have one-second resolution; comparing contents catches
        // two saves within the same second.
        let cfg = notify::Config::default()
            .with_poll_interval(Duration::from_millis(300))
            .with_compare_contents(true);
        let w = notify::PollWatcher::new(tx, cfg).context("cannot start the polling watcher")?;
        start(w, &targets)
    };
    let watcher = if poll {
        polling(tx)?
    } else {
        match notify::RecommendedWatcher::new(tx.clone(), notify::Config::default())
            .map_err(anyhow::Error::new)
            .and_then(|w| start(w, &targets))
        {
            Ok(w) => w,
            Err(e) => {
                eprintln!("warning: native file events unavailable ({e:#}); polling instead");
                polling(tx)?
            }
        }
    };
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        let wanted = |ev: notify::Result<notify::Event>| -> Vec<PathBuf> {
            match ev {
                Ok(ev) if !matches!(ev.kind, EventKind::Access(_)) => ev
                    .paths
                    .into_iter()
                    .filter(|p| relevant(&root, &content, p))
                    .collect(),
                _ => Vec::new(),
            }
        };
        while let Ok(ev) = rx.recv() {
            let mut paths = wanted(ev);
            if paths.is_empty() {
                continue;
            }
            // Debounce: gather the rest of the burst (at most half a second).
            let deadline = std::time::Instant::now() + Duration::from_millis(500);
            while std::time::Instant::now() < deadline {
                match rx.recv_timeout(Duration::from_millis(30)) {
                    Ok(ev) => paths.extend(wanted(ev)),
                    Err(_) => break,
                }
            }
            paths.sort();
            paths.dedup();
            on_change(paths);
        }
    });
    Ok(watcher)
}

/// Changes that matter: files under content/ and themes/, and book.toml.
/// Editor swap and backup files are ignored.
fn relevant(root: &Path, content: &Path, p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
    {
        return false;
    }
    p.starts_with(content) || p.starts_with(root.join("themes")) || name == "book.toml"
}

/// Waits until the generation differs from `seen` (or `timeout` passes).
pub(crate) fn wait_for_change(shared: &Shared, seen: u64, timeout: Duration) -> bool {
    let (lock, cvar) = &**shared;
    let Ok(guard) = lock.lock() else { return false };
    match cvar.wait_timeout_while(guard, timeout, |st| st.generation == seen) {
        Ok((st, _)) => st.generation != seen,
        Err(_) => false,
    }
}

/// Checks `--bind`/`--port` early so usage errors come before the build.
pub(crate) fn check_bind(bind: &str) -> Result<()> {
    if bind.trim().is_empty() {
        bail!("--bind needs an address, e.g. 127.0.0.1");
    }
    Ok(())
}
