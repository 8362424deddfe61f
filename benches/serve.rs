//! `cargo bench --bench serve`: time from saving one plan to the new page
//! being served, in a 1,000-plan repository (budget: 100 ms). Runs the real
//! binary on a free loopback port, edits a plan ten times, reports the median.

mod corpus;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn get(addr: &str, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return String::new();
    };
    let _ = write!(s, "GET {path} HTTP/1.0\r\n\r\n");
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    buf
}

/// Kills the server however the bench ends (a panic included).
struct Guard(std::process::Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    // `cargo test --all-targets` runs bench binaries too: only measure
    // under `cargo bench`, which passes --bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let n = 1_000;
    let dir = tempfile::tempdir().expect("tempdir");
    corpus::write(dir.path(), n).expect("corpus");
    let mut child = Guard(
        Command::new(env!("CARGO_BIN_EXE_planbook"))
            .arg("--root")
            .arg(dir.path())
            .args([
                "--today",
                corpus::CORPUS_TODAY,
                "-q",
                "serve",
                "--port",
                "0",
            ])
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("PLANBOOK_BENCH_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("serve"),
    );
    let mut line = String::new();
    let out = child.0.stdout.take().expect("stdout");
    BufReader::new(out).read_line(&mut line).expect("address");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_default()
        .to_string();
    let file = dir.path().join("content/team-004/plan-00421.md");
    let page = "/plans/plan-00421/index.html";
    let original = std::fs::read_to_string(&file).expect("plan");
    let mut times = Vec::new();
    for i in 0..10 {
        let marker = format!("Edited title {i}");
        let text = original.replacen("title: \"", &format!("title: \"{marker} "), 1);
        let start = Instant::now();
        std::fs::write(&file, text).expect("write");
        loop {
            if get(&addr, page).contains(&marker) {
                break;
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!("edit {i} was not served within 10 s");
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        times.push(start.elapsed());
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(child);
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "serve: save → new page served, {n} plans: median {:.1} ms (min {:.1}, max {:.1}) over {} edits",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}
