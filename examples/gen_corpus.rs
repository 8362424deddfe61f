//! Writes a corpus of N realistic plans that lint clean:
//! `cargo run --release --example gen_corpus -- --plans 10000 --out /tmp/corpus`

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
        eprintln!("usage: gen_corpus --plans N --out DIR");
        return std::process::ExitCode::from(2);
    };
    if let Err(e) = corpus::write(std::path::Path::new(&out), n) {
        eprintln!("error: {e}");
        return std::process::ExitCode::from(2);
    }
    println!(
        "wrote {n} plans to {out} (lint them with --today {})",
        corpus::CORPUS_TODAY
    );
    std::process::ExitCode::SUCCESS
}
