//! `planbook serve` end to end: a real server on a free loopback port,
//! edits on disk, live rebuilds, errors, and hostile paths.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(repo: &Repo, extra: &[&str]) -> Server {
    let mut child = Command::new(bin())
        .arg("--root")
        .arg(repo.path())
        .args(["--today", TODAY, "--color", "never", "serve", "--port", "0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("serve prints its address");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server { child, addr }
}

/// A minimal HTTP/1.0 GET: the whole response, headers included.
fn raw(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// (status, body) of a GET.
fn get(addr: &str, path: &str) -> (u16, String) {
    let text = raw(addr, path);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

/// Polls `path` until `pred` holds on its body, for at most `limit`.
fn until(addr: &str, path: &str, limit: Duration, pred: impl Fn(&str) -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        let (_, body) = get(addr, path);
        if pred(&body) {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn edits_show_up_errors_overlay_and_recovery() {
    let repo = Repo::new();
    repo.file("content/base-plan.md", &base_plan());
    repo.file(
        "content/second-plan.md",
        &base_plan().replace("id: base-plan", "id: second-plan"),
    );
    let server = start(&repo, &[]);
    let page = "/plans/base-plan/index.html";
    let (status, body) = get(&server.addr, page);
    assert_eq!(status, 200);
    assert!(body.contains("推薦によるお気に入り登録率の向上"));
    assert!(
        body.contains("/__planbook/wait"),
        "served pages get the reload script"
    );

    // An edit is served within 2 seconds.
    repo.file(
        "content/base-plan.md",
        &base_plan().replace(
            "title: 推薦によるお気に入り登録率の向上",
            "title: 新しいタイトル",
        ),
    );
    assert!(
        until(&server.addr, page, Duration::from_secs(2), |b| b
            .contains("新しいタイトル"))
        .is_some(),
        "the new title was not served within 2 s"
    );

    // Broken YAML: the error is shown over the last good page.
    repo.file("content/base-plan.md", "---\ntitle: [unclosed\n---\n");
    let shown = until(&server.addr, page, Duration::from_secs(2), |b| {
        b.contains("planbook-error")
    });
    assert!(shown.is_some(), "no error overlay");
    let (status, body) = get(&server.addr, page);
    assert_eq!(status, 200);
    // The overlay speaks the site's language, from the theme's overlay.html.
    assert!(body.contains("the last build failed"), "{body}");
    assert!(
        body.contains("新しいタイトル"),
        "the last good page stays served"
    );
    assert!(body.contains("PLN001"));
    // Counted as `lint` counts: the plans checked, not those with findings.
    assert!(body.contains("1 error in 2 plans"), "{body}");

    // Fixing the file clears the error.
    repo.file("content/base-plan.md", &base_plan());
    assert!(
        until(&server.addr, page, Duration::from_secs(2), |b| {
            !b.contains("planbook-error") && b.contains("推薦によるお気に入り登録率の向上")
        })
        .is_some(),
        "did not recover"
    );

    // New and deleted plans are picked up.
    repo.file(
        "content/second.md",
        &base_plan().replace("id: base-plan", "id: second"),
    );
    assert!(
        until(
            &server.addr,
            "/plans/second/index.html",
            Duration::from_secs(2),
            |b| b.contains("推薦")
        )
        .is_some()
    );
    std::fs::remove_file(repo.path().join("content/second.md")).unwrap();
    let gone = until(&server.addr, "/", Duration::from_secs(2), |b| {
        !b.contains("plans/second/")
    });
    assert!(gone.is_some());
    assert_eq!(get(&server.addr, "/plans/second/index.html").0, 404);
}

#[test]
fn paths_content_types_and_traversal() {
    let repo = Repo::new();
    repo.file("content/base-plan.md", &base_plan());
    let server = start(&repo, &[]);
    let a = &server.addr;
    assert_eq!(get(a, "/").0, 200);
    assert_eq!(get(a, "/plans/base-plan/").0, 200);
    assert_eq!(get(a, "/plans/base-plan").0, 301);
    let (status, missing) = get(a, "/nope.html");
    assert_eq!(status, 404);
    // The theme's 404.html, in the site's layout and language, linking home
    // from the server's root.
    let doc = scraper::Html::parse_document(&missing);
    assert_eq!(texts(&doc, "main h1"), ["Page not found"], "{missing}");
    assert!(missing.contains(r#"href="/index.html""#), "{missing}");
    assert!(missing.contains("/static/style.css"), "{missing}");
    // The plan's report page and the check page, as `build` writes them.
    let (status, report) = get(a, "/plans/base-plan/report/index.html");
    assert_eq!(status, 200);
    assert!(report.contains("section class=\"report\""), "{report}");
    let (status, check) = get(a, "/check/index.html");
    assert_eq!(status, 200);
    assert!(check.contains("data-plan=\"base-plan\""), "{check}");
    for bad in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E%2Fbook.toml",
        "/plans/..%2f..%2fbook.toml",
        "/..\\book.toml",
    ] {
        let (status, body) = get(a, bad);
        assert!(status == 400 || status == 404, "{bad}: {status}");
        assert!(!body.contains("[site]"), "{bad} leaked a file");
    }
    let types = |path: &str| {
        raw(a, path)
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-type:"))
            .unwrap_or("")
            .to_string()
    };
    assert!(types("/calendar.ics").contains("text/calendar"));
    assert!(types("/changelog.xml").contains("xml"));
    assert!(types("/plans.json").contains("application/json"));
    assert!(types("/static/style.css").contains("text/css"));
    // Built sites never contain the reload script.
    assert_eq!(repo.run(&["build"]).code, 0);
    let built = std::fs::read_to_string(repo.path().join("public/index.html")).unwrap();
    assert!(!built.contains("__planbook"));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let repo = Repo::new();
    repo.file("content/base-plan.md", &base_plan());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let r = repo.run(&["serve", "--port", &port]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot listen"), "{}", r.stderr);
}

#[test]
fn polling_watcher_also_rebuilds() {
    let repo = Repo::new();
    repo.file("content/base-plan.md", &base_plan());
    let server = start(&repo, &["--poll"]);
    repo.file(
        "content/base-plan.md",
        &base_plan().replace(
            "title: 推薦によるお気に入り登録率の向上",
            "title: ポーリング",
        ),
    );
    assert!(
        until(
            &server.addr,
            "/plans/base-plan/",
            Duration::from_secs(3),
            |b| b.contains("ポーリング")
        )
        .is_some()
    );
}

/// Under load every request gets a response: 16 live-reload long-polls and
/// 8 page readers on loopback while a plan of a 200-plan repository is
/// edited five times. Bounded: the readers stop after 5 s and a last edit
/// releases the long-polls still waiting.
#[test]
fn every_request_under_load_gets_a_response() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("repo");
    crate::corpus::write(&root, 200).unwrap();
    let repo_dir = root.clone();
    let mut child = Command::new(bin())
        .arg("--root")
        .arg(&repo_dir)
        .args([
            "--today",
            crate::corpus::CORPUS_TODAY,
            "serve",
            "--port",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap()
        .to_string();
    let server = Server { child, addr };
    let stop = Arc::new(AtomicBool::new(false));
    let (answered, unanswered) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut threads = Vec::new();
    for i in 0..24 {
        let (addr, stop) = (server.addr.clone(), Arc::clone(&stop));
        let (answered, unanswered) = (Arc::clone(&answered), Arc::clone(&unanswered));
        threads.push(std::thread::spawn(move || {
            let mut generation = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let path = if i < 16 {
                    format!("/__planbook/wait?gen={generation}")
                } else {
                    ["/", "/plans/plan-00001/", "/changelog/", "/lint/"][i % 4].to_string()
                };
                let text = raw(&addr, &path);
                if text.starts_with("HTTP/1.") && text.contains("\r\n\r\n") {
                    answered.fetch_add(1, Ordering::Relaxed);
                    if text.ends_with("reload") {
                        generation += 1;
                    }
                } else {
                    unanswered.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    let plan = root.join("content/team-000/plan-00003.md");
    let edit = |n: usize| {
        let text = std::fs::read_to_string(&plan).unwrap();
        std::fs::write(
            &plan,
            text.replacen("title: \"", &format!("title: \"e{n} "), 1),
        )
        .unwrap();
    };
    for n in 0..5 {
        std::thread::sleep(Duration::from_millis(1000));
        edit(n);
    }
    stop.store(true, Ordering::Relaxed);
    std::thread::sleep(Duration::from_millis(300));
    edit(5);
    for t in threads {
        t.join().unwrap();
    }
    let (ok, lost) = (
        answered.load(Ordering::Relaxed),
        unanswered.load(Ordering::Relaxed),
    );
    assert_eq!(lost, 0, "{lost} of {} requests got no response", ok + lost);
    assert!(ok > 100, "only {ok} requests answered");
}

/// `serve` loads the repository like `lint` and `build` do, and says so
/// when it skips a link that points outside the content directory.
#[cfg(unix)]
#[test]
fn serve_warns_about_skipped_links_like_lint() {
    let repo = Repo::new();
    repo.file("content/base-plan.md", &base_plan());
    repo.file("outside.md", &base_plan());
    std::os::unix::fs::symlink(
        repo.path().join("outside.md"),
        repo.path().join("content/link.md"),
    )
    .unwrap();
    let lint = repo.run(&["lint"]);
    assert!(lint.stderr.contains("warning:"), "{}", lint.stderr);
    let mut server = start(&repo, &[]);
    let _ = server.child.kill();
    let mut stderr = String::new();
    server
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains("warning:") && stderr.contains("link.md"),
        "{stderr}"
    );
}

/// How many pages a served search index holds (`None`: no index yet).
fn indexed_pages(addr: &str) -> Option<u64> {
    let (status, body) = get(addr, "/pagefind/pagefind-entry.json");
    if status != 200 {
        return None;
    }
    let entry: serde_json::Value = serde_json::from_str(&body).ok()?;
    entry["languages"]
        .as_object()?
        .values()
        .map(|l| l["page_count"].as_u64())
        .sum()
}

/// Search in `serve`: the plan pages are indexed in memory after each
/// swap, without holding the pages up, and the index follows edits.
#[test]
fn serve_indexes_for_search_and_follows_edits() {
    let repo = Repo::new();
    repo.file("content/base-plan.md", &base_plan());
    let s = start(&repo, &[]);
    let a = &s.addr;
    let ready = |n: u64| {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if indexed_pages(a) == Some(n) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    };
    assert!(ready(1), "the first index never came");
    let (status, page) = get(a, "/search/index.html");
    assert_eq!(status, 200);
    assert!(page.contains("id=\"search\""), "{page}");
    let (status, _) = get(a, "/pagefind/pagefind-ui.js");
    assert_eq!(status, 200);
    // The first plan's page is in the search cache; its entry's time is
    // set back to see that the next index reads it rather than parsing
    // the page again.
    let entries = repo.path().join(".planbook-cache/search");
    let files = || -> Vec<std::path::PathBuf> {
        walk(&entries).into_iter().filter(|p| p.is_file()).collect()
    };
    let first = files();
    assert_eq!(first.len(), 1, "{first:?}");
    let back = std::time::SystemTime::now() - Duration::from_secs(86_400);
    let set_back = std::fs::File::options()
        .write(true)
        .open(&first[0])
        .unwrap();
    set_back.set_modified(back).unwrap();
    // A new plan is found once the new index is in; only its page was
    // parsed (a second entry), the first one's was read.
    repo.file(
        "content/second.md",
        &base_plan().replace("id: base-plan", "id: second"),
    );
    assert!(ready(2), "the index did not follow the new plan");
    assert_eq!(files().len(), 2);
    assert_eq!(
        std::fs::metadata(&first[0]).unwrap().modified().unwrap(),
        back
    );
    std::fs::remove_file(repo.path().join("content/second.md")).unwrap();
    assert!(ready(1), "the index did not follow the removal");
    // Search turned off in book.toml: the index goes with the search page.
    repo.file(
        "book.toml",
        &format!("{BOOK_TOML}\n[search]\nenabled = false\n"),
    );
    let gone = until(a, "/search/index.html", Duration::from_secs(10), |b| {
        !b.contains("id=\"search\"")
    });
    assert!(gone.is_some(), "the search page stayed");
    assert_eq!(get(a, "/search/index.html").0, 404);
    assert_eq!(indexed_pages(a), None, "the index stayed");
}

#[test]
fn serve_without_search_has_no_index() {
    let repo = Repo::new();
    repo.file(
        "book.toml",
        &format!("{BOOK_TOML}\n[search]\nenabled = false\n"),
    );
    repo.file("content/base-plan.md", &base_plan());
    let s = start(&repo, &[]);
    let a = &s.addr;
    let (status, page) = get(a, "/plans/base-plan/index.html");
    assert_eq!(status, 200);
    assert!(!page.contains("site-search"), "{page}");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(get(a, "/search/index.html").0, 404);
    assert_eq!(get(a, "/pagefind/pagefind-entry.json").0, 404);
}

/// Every path under `dir`, depth first.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}
