//! `cargo bench --bench lint`: load + lint of 1,000 and 10,000 generated plans,
//! in process, median of several runs. Budget (issue: lint catalogue):
//! 10,000 plans in under a second on the 2-core CI machine (issue #6: 0.5 s
//! for the whole `planbook lint` process; `bench/run.sh` measures that).

mod corpus;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn main() {
    // `cargo test --all-targets` runs bench binaries too: only measure
    // under `cargo bench`, which passes --bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let today = planbook::frontmatter::parse_date(corpus::CORPUS_TODAY).unwrap_or_default();
    for n in [1_000, 10_000] {
        let dir = tempfile::tempdir().expect("tempdir");
        corpus::write(dir.path(), n).expect("write corpus");
        let mut times = Vec::new();
        let mut findings = 0;
        for _ in 0..5 {
            let t = Instant::now();
            // As `planbook lint` does it: each plan checked as it is parsed.
            let run = planbook::pipeline::Run::open(dir.path(), today).expect("open");
            let checked = run.check_each(planbook::load::Detail::Lint, |_, c| c);
            let diags = run.finish(checked);
            times.push(t.elapsed());
            findings = diags.len();
        }
        println!(
            "lint {n:>6} plans: median {:>8.1} ms over 5 runs ({findings} findings)",
            median(times).as_secs_f64() * 1000.0
        );
    }
}
