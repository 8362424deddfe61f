//! Writing the site atomically: everything goes into a temporary directory
//! beside the output, which then replaces the output in two renames. A
//! failed build leaves the previous site as it was.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::Files;

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// A site being written: files go to a temporary directory until
/// [`Staging::commit`] swaps it in. Dropped without a commit, the temporary
/// directory is removed and the output is left as it was.
pub(crate) struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

impl Staging {
    /// Prepares an empty temporary directory beside `out`.
    pub(crate) fn new(out: &Path) -> Result<Staging> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let tmp = sibling(out, "planbook-tmp");
        for stale in [&tmp, &sibling(out, "planbook-old")] {
            if stale.exists() {
                std::fs::remove_dir_all(stale)
                    .with_context(|| format!("cannot remove {}", stale.display()))?;
            }
        }
        std::fs::create_dir_all(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        Ok(Staging {
            out: out.to_path_buf(),
            tmp,
            committed: false,
        })
    }

    /// Where `rel` (`/`-separated) goes in the temporary directory.
    fn path_of(&self, rel: &str) -> PathBuf {
        self.tmp.join(rel)
    }

    /// Runs `op` on `path`, creating its parent directories and trying again
    /// when they are missing: most files go into directories that already
    /// exist, and a `mkdir` per file cost as much as the file itself.
    fn with_dirs<T>(path: &Path, op: impl Fn(&Path) -> std::io::Result<T>) -> Result<T> {
        match op(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                }
                op(path)
            }
            other => other,
        }
        .with_context(|| format!("cannot write {}", path.display()))
    }

    /// Creates the directories `rels` (`/`-separated, parents listed before
    /// their children or already present), so that the files written into
    /// them next need no directory step.
    pub(crate) fn dirs<'a>(&self, rels: impl IntoIterator<Item = &'a str>) -> Result<()> {
        for rel in rels {
            let dir = self.path_of(rel);
            match std::fs::create_dir(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(_) => std::fs::create_dir_all(&dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?,
            }
        }
        Ok(())
    }

    /// Writes one file (`rel` is `/`-separated); may be called from
    /// several threads.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        Self::with_dirs(&self.path_of(rel), |p| std::fs::write(p, bytes))
    }

    /// Writes one file from pieces in one `writev` call where the system
    /// allows, without joining them in memory first.
    pub(crate) fn write_pieces(&self, rel: &str, pieces: &[&[u8]]) -> Result<()> {
        use std::io::{IoSlice, Write as _};
        let path = self.path_of(rel);
        let mut file = Self::with_dirs(&path, |p| std::fs::File::create(p))?;
        let mut slices: Vec<IoSlice<'_>> = pieces.iter().map(|p| IoSlice::new(p)).collect();
        let mut rest = &mut slices[..];
        while !rest.is_empty() {
            let n = file
                .write_vectored(rest)
                .with_context(|| format!("cannot write {}", path.display()))?;
            if n == 0 {
                anyhow::bail!("cannot write {}: the disk took no bytes", path.display());
            }
            IoSlice::advance_slices(&mut rest, n);
        }
        Ok(())
    }

    /// Makes `rel` the same file as the already written `from` (both
    /// `/`-separated): a hard link, or a copy where the file system has no
    /// hard links. For pages that are byte-identical in several versions.
    pub(crate) fn link(&self, from: &str, rel: &str) -> Result<()> {
        let (from, path) = (self.path_of(from), self.path_of(rel));
        Self::with_dirs(&path, |p| {
            std::fs::hard_link(&from, p).or_else(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Err(e),
                _ => std::fs::copy(&from, p).map(|_| ()),
            })
        })
    }

    /// Creates one file (`rel` is `/`-separated) to be written in pieces.
    pub(crate) fn create(&self, rel: &str) -> Result<std::io::BufWriter<std::fs::File>> {
        let file = Self::with_dirs(&self.path_of(rel), |p| std::fs::File::create(p))?;
        Ok(std::io::BufWriter::with_capacity(1 << 16, file))
    }

    /// Writes every file of `files`, in parallel.
    pub(crate) fn write_all(&self, files: &Files) -> Result<()> {
        files
            .par_iter()
            .try_for_each(|(rel, bytes)| self.write(rel, bytes))
    }

    /// Replaces the output with what was written.
    pub(crate) fn commit(self) -> Result<()> {
        self.commit_with(|from, to| std::fs::rename(from, to))
    }

    /// [`Staging::commit`] with its renames done by `rename` (tests make
    /// them fail).
    fn commit_with(mut self, rename: impl Fn(&Path, &Path) -> std::io::Result<()>) -> Result<()> {
        let (out, tmp) = (&self.out, &self.tmp);
        let old = sibling(out, "planbook-old");
        if out.exists() {
            rename(out, &old).with_context(|| format!("cannot move {} aside", out.display()))?;
        }
        if let Err(e) = rename(tmp, out) {
            let failed = format!("cannot move the new site to {}", out.display());
            // Put the previous site back, or say where it was left.
            if old.exists()
                && let Err(back) = rename(&old, out)
            {
                anyhow::bail!(
                    "{failed}: {e}; the previous site could not be moved back either ({back}): it is at {}",
                    old.display()
                );
            }
            return Err(e).context(failed);
        }
        self.committed = true;
        if old.exists() {
            remove_tree(&old).with_context(|| format!("cannot remove {}", old.display()))?;
        }
        Ok(())
    }
}

/// `remove_dir_all`, with sub-directories removed in parallel: a versioned
/// site has tens of thousands of files, and removing the previous one was a
/// fifth of the build.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            dirs.push(entry.path());
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    dirs.par_iter().try_for_each(|d| remove_tree(d))?;
    std::fs::remove_dir(dir)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// An output directory holding an old site, and a staging beside it.
    fn old_site() -> (tempfile::TempDir, PathBuf, Staging) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("index.html"), "old").unwrap();
        let staging = Staging::new(&out).unwrap();
        (dir, out, staging)
    }

    /// When the new site cannot be moved in and the previous one cannot be
    /// moved back, the error says so and where the previous site is.
    #[test]
    fn a_rollback_that_cannot_rename_says_where_the_old_site_is() {
        let (_dir, out, staging) = old_site();
        staging.write_all(&Files::default()).unwrap();
        let calls = Cell::new(0);
        let err = staging
            .commit_with(|from, to| {
                calls.set(calls.get() + 1);
                match calls.get() {
                    1 => std::fs::rename(from, to),
                    _ => Err(std::io::Error::other("disk on fire")),
                }
            })
            .unwrap_err();
        let msg = format!("{err:#}");
        let old = sibling(&out, "planbook-old");
        assert!(msg.contains("cannot move the new site to"), "{msg}");
        assert!(msg.contains("could not be moved back"), "{msg}");
        assert!(msg.contains(&old.display().to_string()), "{msg}");
        assert_eq!(
            std::fs::read_to_string(old.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(calls.get(), 3);
    }

    /// A failed move of the new site puts the previous one back.
    #[test]
    fn a_failed_swap_puts_the_old_site_back() {
        let (_dir, out, staging) = old_site();
        let calls = Cell::new(0);
        let err = staging
            .commit_with(|from, to| {
                calls.set(calls.get() + 1);
                match calls.get() {
                    2 => Err(std::io::Error::other("no")),
                    _ => std::fs::rename(from, to),
                }
            })
            .unwrap_err();
        assert!(format!("{err:#}").contains("cannot move the new site"));
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
    }
}
