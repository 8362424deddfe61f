//! Writes a corpus of N realistic plans that lint clean:
//! `cargo run --release --example gen_corpus -- --plans 10000 --out /tmp/corpus`
//! With `--hugo DIR` and `--zola DIR`, also the same bodies as a plain Hugo
//! site and a Zola site, for comparison (`bench/run.sh`).

#[path = "../benches/corpus.rs"]
mod corpus;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let get = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let n: usize = get("--plans").and_then(|s| s.parse().ok()).unwrap_or(1000);
    let Some(out) = get("--out") else {
        eprintln!("usage: gen_corpus --plans N --out DIR [--hugo DIR] [--zola DIR]");
        return std::process::ExitCode::from(2);
    };
    let written = corpus::write(std::path::Path::new(&out), n)
        .and_then(|()| match get("--hugo") {
            Some(d) => corpus::write_hugo(std::path::Path::new(&d), n),
            None => Ok(()),
        })
        .and_then(|()| match get("--zola") {
            Some(d) => corpus::write_zola(std::path::Path::new(&d), n),
            None => Ok(()),
        });
    if let Err(e) = written {
        eprintln!("error: {e}");
        return std::process::ExitCode::from(2);
    }
    println!(
        "wrote {n} plans to {out} (lint them with --today {})",
        corpus::CORPUS_TODAY
    );
    std::process::ExitCode::SUCCESS
}
