//! Search (docs/format.md, "Search"): the Pagefind bundle is written and
//! byte-identical from build to build, `[search] enabled = false` leaves it
//! out, and headless Chromium finds plans over HTTP and hides the header
//! box from `file://`. The browser is driven by `tests/browser/search.mjs`
//! (puppeteer-core with the system's chromium; `.ci/run` installs it from
//! npm into `target/axe`).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::*;

const DEMO_TODAY: &str = "2026-11-28";

fn demo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_demo(out: &Path) {
    let root = demo_root();
    let r = run_at(
        &root,
        &root,
        DEMO_TODAY,
        &["build", "--out", out.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
}

#[test]
fn the_search_bundle_is_written_and_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_demo(&a);
    build_demo(&b);
    for f in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-entry.json",
        "search/index.html",
    ] {
        assert!(a.join(f).is_file(), "{f} missing");
    }
    let (fa, fb) = (
        all_files(&a.join("pagefind")),
        all_files(&b.join("pagefind")),
    );
    assert!(fa.len() > 5, "{:?}", fa.keys().collect::<Vec<_>>());
    assert_eq!(fa, fb, "two builds wrote different search indexes");
    // The header has the box, hidden until a script sees http(s).
    let doc = page(&a, "plans/favorites-reco/index.html");
    let boxes: Vec<_> = doc.select(&sel("form.site-search[hidden]")).collect();
    assert_eq!(boxes.len(), 1);
    assert_eq!(
        boxes[0].value().attr("action"),
        Some("../../search/index.html")
    );
}

/// The cache's entries: file name → bytes.
fn cache_entries(repo: &Repo) -> std::collections::BTreeMap<String, Vec<u8>> {
    all_files(&repo.path().join(".planbook-cache/search"))
}

/// `.planbook-cache/` (docs/format.md, "Search"): a second build reads
/// each page from it instead of parsing it and writes the same index; an
/// entry that is damaged is parsed again and rewritten; an edited plan is
/// a new entry; `[search] cache = false` leaves no cache.
#[test]
fn the_search_cache_gives_the_same_index_and_survives_damage() {
    let repo = Repo::new();
    repo.file("content/base-plan.md", &base_plan());
    repo.file(
        "content/second.md",
        &base_plan().replace("id: base-plan", "id: second"),
    );
    let build = |out: &str| {
        let r = repo.run(&["build", "--out", out]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        all_files(&repo.path().join(out).join("pagefind"))
    };
    let first = build("a");
    let cache = repo.path().join(".planbook-cache");
    assert_eq!(
        std::fs::read_to_string(cache.join(".gitignore")).unwrap(),
        "*\n"
    );
    assert!(
        std::fs::read_to_string(cache.join("CACHEDIR.TAG"))
            .unwrap()
            .starts_with("Signature: 8a477f597d28d172789f06886806bc55")
    );
    let entries = cache_entries(&repo);
    assert_eq!(entries.len(), 2, "{:?}", entries.keys());
    // From the cache: the same bundle, and the entries were read, not
    // written again (their time stays two days back).
    let dir = cache.join("search");
    let two_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 86_400);
    let modified = |name: &str| {
        std::fs::metadata(dir.join(name))
            .unwrap()
            .modified()
            .unwrap()
    };
    for name in entries.keys() {
        let file = std::fs::File::options()
            .write(true)
            .open(dir.join(name))
            .unwrap();
        file.set_modified(two_days_ago).unwrap();
    }
    assert!(build("b") == first, "the cached build wrote another index");
    assert!(cache_entries(&repo) == entries);
    assert!(entries.keys().all(|name| modified(name) == two_days_ago));
    // Damaged entries (cut short, or not an entry at all) are parsed again.
    let mut damaged = entries.keys();
    let (cut, junk) = (damaged.next().unwrap(), damaged.next().unwrap());
    std::fs::write(dir.join(cut), &entries[cut][..entries[cut].len() / 2]).unwrap();
    std::fs::write(dir.join(junk), b"not an entry").unwrap();
    assert!(build("c") == first, "a damaged cache changed the index");
    assert!(
        cache_entries(&repo) == entries,
        "damaged entries were not rewritten"
    );
    // An edited plan is parsed again: a new entry beside the old one.
    repo.file(
        "content/second.md",
        &base_plan()
            .replace("id: base-plan", "id: second")
            .replace("title:", "title: Edited"),
    );
    assert!(build("d") != first);
    assert_eq!(cache_entries(&repo).len(), 3);
    // Switched off: no cache is read or written.
    std::fs::remove_dir_all(&cache).unwrap();
    repo.file(
        "book.toml",
        &format!("{BOOK_TOML}\n[search]\ncache = false\n"),
    );
    build("e");
    assert!(!cache.exists());
}

/// A cache that cannot be written (here a file where its directory should
/// be) is one warning, and the build goes on with the same index.
#[test]
fn an_unwritable_search_cache_is_a_warning_not_a_failure() {
    let repo = Repo::new();
    repo.file("content/base-plan.md", &base_plan());
    let r = repo.run(&["build", "--out", "a"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::remove_dir_all(repo.path().join(".planbook-cache")).unwrap();
    repo.file(".planbook-cache", "not a directory");
    let r = repo.run(&["build", "--out", "b"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr.matches("search cache").count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("building without it"), "{}", r.stderr);
    assert!(
        all_files(&repo.path().join("a/pagefind")) == all_files(&repo.path().join("b/pagefind")),
        "the index differs without the cache"
    );
}

#[test]
fn search_can_be_switched_off() {
    let repo = Repo::new();
    repo.file(
        "book.toml",
        &format!("{BOOK_TOML}\n[search]\nenabled = false\n"),
    );
    repo.file("content/base-plan.md", &base_plan());
    let r = repo.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = repo.path().join("public");
    assert!(!out.join("pagefind").exists());
    assert!(!out.join("search").exists());
    let doc = page(&out, "index.html");
    assert_eq!(doc.select(&sel("form.site-search")).count(), 0);
    // An unknown key under [search] is an error, as everywhere.
    repo.file("book.toml", "[search]\nenable = true\n");
    assert_eq!(repo.run(&["build"]).code, 2);
}

/// Serves `dir` on a loopback port until the returned guard is dropped.
pub struct Server {
    pub port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub fn serve(dir: PathBuf) -> Server {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let thread = std::thread::spawn(move || {
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            let Ok(Some(req)) = server.recv_timeout(std::time::Duration::from_millis(50)) else {
                continue;
            };
            let path = req
                .url()
                .split(['?', '#'])
                .next()
                .unwrap_or("/")
                .to_string();
            let rel = percent_decode(path.trim_start_matches('/'));
            let file = dir.join(&rel);
            let resp = match std::fs::read(&file) {
                Ok(bytes) if !rel.contains("..") => {
                    let ty = match file.extension().and_then(|e| e.to_str()) {
                        Some("html") => "text/html; charset=utf-8",
                        Some("js") | Some("mjs") => "text/javascript",
                        Some("css") => "text/css",
                        Some("json") => "application/json",
                        _ => "application/octet-stream",
                    };
                    tiny_http::Response::from_data(bytes)
                        .with_header(tiny_http::Header::from_bytes("Content-Type", ty).unwrap())
                }
                _ => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
            };
            let _ = req.respond(resp);
        }
    });
    Server {
        port,
        stop,
        thread: Some(thread),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs the browser script on `url`; `None` when this machine has no
/// chromium, node or puppeteer-core (CI has them all).
fn browse(url: &str) -> Option<Value> {
    browse_typing(url, None)
}

/// [`browse`], typing `typed` into the header's search box and submitting
/// it first.
fn browse_typing(url: &str, typed: Option<&str>) -> Option<Value> {
    let modules = demo_root().join("target/axe/node_modules");
    let chromium = ["chromium", "chromium-browser"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok()
    });
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok();
    let (Some(chromium), true, true) = (chromium, node, modules.join("puppeteer-core").is_dir())
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium, node and puppeteer-core (.ci/run installs them)"
        );
        eprintln!("skipping: no chromium, node or puppeteer-core");
        return None;
    };
    // ES modules resolve packages from the script's directory.
    let script = modules.parent().unwrap().join("search.mjs");
    std::fs::copy(demo_root().join("tests/browser/search.mjs"), &script).unwrap();
    let out = std::process::Command::new("node")
        .arg(&script)
        .arg(which(chromium))
        .arg(url)
        .args(typed)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}")))
}

fn which(cmd: &str) -> String {
    let out = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn hrefs(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|h| h.as_str())
                .filter(|h| !h.contains('#'))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_browser_finds_plans_by_word_and_by_person() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_demo(&out);
    let server = serve(out.clone());
    let base = format!("http://127.0.0.1:{}", server.port);
    let search = |q: &str| browse(&format!("{base}/search/index.html?q={q}"));
    // A Japanese word in one plan only.
    let Some(ja) = search("%E8%B3%BC%E8%B2%B7%E5%B1%A5%E6%AD%B4") else {
        return;
    }; // 購買履歴
    assert_eq!(hrefs(&ja), ["/plans/favorites-reco/index.html"], "{ja}");
    assert_eq!(ja["query"], "購買履歴");
    assert_eq!(ja["console"], serde_json::json!([]), "{ja}");
    // An English word finds the English plan.
    let en = search("churn").unwrap();
    assert!(
        hrefs(&en).contains(&"/plans/churn-alerts/index.html".to_string()),
        "{en}"
    );
    assert!(
        !hrefs(&en).contains(&"/plans/favorites-reco/index.html".to_string()),
        "{en}"
    );
    // Lint findings are left out of the index: on the top-page-pv page
    // "examples" is only in the findings' file names
    // (content/examples/top-page-pv.md:19:9).
    let finding = search("examples").unwrap();
    assert!(
        !hrefs(&finding).contains(&"/plans/top-page-pv/index.html".to_string()),
        "{finding}"
    );
    // A person's name finds that person's plan.
    let person = search("Okafor").unwrap();
    assert_eq!(
        hrefs(&person),
        ["/plans/churn-alerts/index.html"],
        "{person}"
    );
    // Over http the header box shows and leads to the search page.
    let plan = browse(&format!("{base}/plans/favorites-reco/index.html")).unwrap();
    assert_eq!(plan["box"]["hidden"], false, "{plan}");
    assert_eq!(plan["box"]["action"], "../../search/index.html");
    assert_eq!(plan["console"], serde_json::json!([]), "{plan}");
    // Typed into the box, a query lands on the search page, filled in and
    // answered.
    let typed = browse_typing(
        &format!("{base}/plans/favorites-reco/index.html"),
        Some("Okafor"),
    )
    .unwrap();
    assert_eq!(
        typed["url"],
        format!("{base}/search/index.html?q=Okafor"),
        "{typed}"
    );
    assert_eq!(typed["query"], "Okafor", "{typed}");
    assert_eq!(hrefs(&typed), ["/plans/churn-alerts/index.html"], "{typed}");
    assert_eq!(typed["console"], serde_json::json!([]), "{typed}");
    // From file:// it stays hidden.
    let file = browse(&format!("file://{}", out.join("index.html").display())).unwrap();
    assert_eq!(file["box"]["hidden"], true, "{file}");
}

/// `planbook serve` indexes in memory: the same search works against it.
#[test]
fn a_browser_searches_through_serve() {
    let root = demo_root();
    let mut child = std::process::Command::new(bin())
        .arg("--root")
        .arg(&root)
        .args(["--today", DEMO_TODAY, "--quiet", "serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let stdout = child.stdout.take().unwrap();
    let _guard = Kill(child);
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).unwrap();
    let base = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .map(|a| format!("http://{a}"))
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    // The index comes a moment after the pages.
    let entry = format!("{base}/pagefind/pagefind-entry.json");
    let start = std::time::Instant::now();
    while http_status(&entry) != 200 {
        assert!(start.elapsed().as_secs() < 30, "no search index from serve");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // 購買履歴
    let Some(ja) = browse(&format!(
        "{base}/search/index.html?q=%E8%B3%BC%E8%B2%B7%E5%B1%A5%E6%AD%B4"
    )) else {
        return;
    };
    assert_eq!(hrefs(&ja), ["/plans/favorites-reco/index.html"], "{ja}");
    assert_eq!(ja["console"], serde_json::json!([]), "{ja}");
    assert_eq!(ja["box"]["hidden"], false, "{ja}");
}

/// The status code of a GET over loopback (0 when it fails).
fn http_status(url: &str) -> u16 {
    use std::io::{Read, Write};
    let Some(rest) = url.strip_prefix("http://") else {
        return 0;
    };
    let (addr, path) = rest.split_once('/').unwrap_or((rest, ""));
    let Ok(mut s) = std::net::TcpStream::connect(addr) else {
        return 0;
    };
    let _ = write!(s, "GET /{path} HTTP/1.0\r\nHost: {addr}\r\n\r\n");
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    buf.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// With `[search] versions = true`, a search from an old version's page
/// searches that version: v3 has the beta plan, v1 does not.
#[test]
fn an_old_version_searches_its_own_plans() {
    let repo = crate::versions::history_repo();
    repo.file(
        "book.toml",
        &format!("{BOOK_TOML}\n[search]\nversions = true\n"),
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let r = repo.run(&["build", "--versions", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let server = serve(out.clone());
    let base = format!("http://127.0.0.1:{}", server.port);
    let Some(v3) = browse(&format!("{base}/v/v3/search/index.html?q=Beta")) else {
        return;
    };
    assert_eq!(hrefs(&v3), ["/v/v3/plans/beta/index.html"], "{v3}");
    assert_eq!(v3["console"], serde_json::json!([]), "{v3}");
    let v1 = browse(&format!("{base}/v/v1/search/index.html?q=Beta")).unwrap();
    assert_eq!(hrefs(&v1), Vec::<String>::new(), "{v1}");
    assert_eq!(v1["console"], serde_json::json!([]), "{v1}");
    // …while its own plan is found there, under its own path. お気に入り
    let own = browse(&format!(
        "{base}/v/v1/search/index.html?q=%E3%81%8A%E6%B0%97%E3%81%AB%E5%85%A5%E3%82%8A"
    ))
    .unwrap();
    assert_eq!(hrefs(&own), ["/v/v1/plans/alpha/index.html"], "{own}");
}
