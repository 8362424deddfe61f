//! Stamps the binary with the commit it was built from and its target, for
//! `planbook --version` (`0.1.0 (abc1234 x86_64-unknown-linux-musl)`).
//! `PLANBOOK_COMMIT` in the environment wins (release builds from an
//! archive without `.git`); without either the commit reads `unknown`.

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
}
