//! Writing the site atomically: everything goes into a temporary directory
//! beside the output, which then replaces the output in two renames. A
//! failed build leaves the previous site as it was.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Files;

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// Writes `files` to `out`, replacing what was there.
pub fn write_atomically(out: &Path, files: &Files) -> Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let tmp = sibling(out, "planbook-tmp");
    let old = sibling(out, "planbook-old");
    for stale in [&tmp, &old] {
        if stale.exists() {
            std::fs::remove_dir_all(stale)
                .with_context(|| format!("cannot remove {}", stale.display()))?;
        }
    }
    let result = (|| -> Result<()> {
        for (rel, bytes) in files {
            let path = tmp.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            std::fs::write(&path, bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if out.exists() {
        std::fs::rename(out, &old)
            .with_context(|| format!("cannot move {} aside", out.display()))?;
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        // Put the previous site back.
        if old.exists() {
            let _ = std::fs::rename(&old, out);
        }
        return Err(e).with_context(|| format!("cannot move the new site to {}", out.display()));
    }
    if old.exists() {
        std::fs::remove_dir_all(&old)
            .with_context(|| format!("cannot remove {}", old.display()))?;
    }
    Ok(())
}
