//! Stamps the binary with the commit it was built from and its target, for
//! `planbook --version` (`0.1.0 (abc1234 x86_64-unknown-linux-musl)`).
//! `PLANBOOK_COMMIT` in the environment wins (release builds from an
//! archive without `.git`); without either the commit reads `unknown`.
//! Also fingerprints the code that makes search cache entries
//! (`PLANBOOK_PARSE_FINGERPRINT`, src/search/cache.rs).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=PLANBOOK_COMMIT");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    let commit = std::env::var("PLANBOOK_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| {
            let out = Command::new("git")
                .args(["rev-parse", "--short=10", "HEAD"])
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string());
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".to_string());
    println!("cargo:rustc-env=PLANBOOK_COMMIT={commit}");
    println!("cargo:rustc-env=PLANBOOK_TARGET={target}");

    // What turns a plan page into a search cache entry: what planbook
    // hands Pagefind of a page (src/search/slim.rs) and the patched
    // Pagefind with its dependencies. Its fingerprint is part of every
    // cache key, so an edit to any of it that is not committed yet (the
    // commit above stays the same) still gets new entries.
    let mut hasher = DefaultHasher::new();
    for input in ["src/search/slim.rs", "vendor/pagefind/src", "Cargo.lock"] {
        let path = Path::new(input);
        if path.exists() {
            println!("cargo:rerun-if-changed={input}");
        }
        fingerprint(path, &mut hasher);
    }
    println!(
        "cargo:rustc-env=PLANBOOK_PARSE_FINGERPRINT={:016x}",
        hasher.finish()
    );
}

/// Hashes the file at `path`, or every file under it in name order, with
/// their paths; nothing when it is missing (a published crate has no
/// `vendor/`: its version pins Pagefind).
fn fingerprint(path: &Path, hasher: &mut DefaultHasher) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for entry in entries {
            fingerprint(&entry, hasher);
        }
    } else if let Ok(bytes) = std::fs::read(path) {
        path.to_string_lossy().hash(hasher);
        bytes.hash(hasher);
    }
}
