//! Read-only access to the plan repository's git history (gix): tags, the
//! files of a commit, the history of each plan file, revisions for `diff`.
//!
//! Everything is read from the object database: no checkout, no `git`
//! process, and the working tree is never touched. Paths given to and
//! returned by this module are relative to the planbook root (which may be
//! a sub-directory of the git work tree) and use `/`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Context as _, Result, anyhow};
use chrono::NaiveDate;
use gix::ObjectId;
use gix::bstr::ByteSlice;

/// An open repository and where the planbook root sits in its work tree.
pub(crate) struct Git {
    repo: gix::Repository,
    /// The root relative to the work tree: `""` or `"dir/sub/"`.
    prefix: String,
    /// Commit → the files it changed under a directory, memoised because the
    /// histories of every version walk the same commits.
    changes: std::cell::RefCell<HashMap<(ObjectId, String), Changes>>,
}

/// The files one commit changed under one directory.
type Changes = std::rc::Rc<Vec<Change>>;

/// Why there is no git history to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unavailable {
    NotARepo,
    Bare,
    Shallow,
    /// A repository is there but cannot be opened (a broken `.git`, one
    /// owned by someone else, an unreadable directory): the message says why.
    Broken(String),
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Unavailable::NotARepo => "the root is not inside a git repository",
            Unavailable::Bare => "the git repository has no work tree",
            Unavailable::Shallow => {
                "the git repository is a shallow clone (fetch the full history: `git fetch --unshallow`, or `fetch-depth: 0` in CI)"
            }
            Unavailable::Broken(why) => {
                return write!(f, "the git repository cannot be opened: {why}");
            }
        })
    }
}

/// A tag selected for a versioned build.
#[derive(Debug, Clone)]
pub(crate) struct Tag {
    /// The short name, e.g. `v2027-02-03`.
    pub name: String,
    pub commit: ObjectId,
    /// The committer date of the tagged commit, UTC.
    pub time: i64,
}

impl Tag {
    pub(crate) fn date(&self) -> NaiveDate {
        date_of(self.time)
    }
}

/// A file in a commit's tree.
#[derive(Debug, Clone)]
pub(crate) struct TreeFile {
    /// Root-relative path with `/`.
    pub path: String,
    pub oid: ObjectId,
    /// A symbolic link (not followed).
    pub is_link: bool,
}

/// Plan file → the commits that changed it, newest first.
pub(crate) type Histories = BTreeMap<String, Vec<HistoryEntry>>;

/// The commits that changed `file` (empty when none did), or `None`
/// outside git (`histories` is `None`): what a plan page shows as its
/// history.
pub(crate) fn history_of<'h>(
    histories: Option<&'h Histories>,
    file: &str,
) -> Option<&'h [HistoryEntry]> {
    histories.map(|h| h.get(file).map_or(&[][..], Vec::as_slice))
}

/// One commit that touched a plan file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HistoryEntry {
    pub id: String,
    pub short_id: String,
    pub time: i64,
    pub author: String,
    pub subject: String,
    /// The file's path in that commit (differs before a rename).
    pub path: String,
}

impl HistoryEntry {
    pub fn date(&self) -> NaiveDate {
        date_of(self.time)
    }
}

/// A file changed by a commit, against its first parent.
#[derive(Debug, Clone)]
struct Change {
    path: String,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
}

/// The blob id git gives `bytes`: the key under which a working-tree file
/// shares cached work with the same file in a tag.
pub(crate) fn blob_id(bytes: &[u8]) -> Result<ObjectId> {
    gix::objs::compute_hash(gix::hash::Kind::Sha1, gix::objs::Kind::Blob, bytes)
        .map_err(|e| anyhow::anyhow!("cannot hash a plan file: {e}"))
}

pub(crate) fn date_of(seconds: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|d| d.date_naive())
        .unwrap_or_default()
}

impl Git {
    /// Opens the repository containing `root`, or says why there is none to
    /// read. A shallow clone counts as unavailable: its history is cut off.
    pub(crate) fn open(root: &Path) -> std::result::Result<Git, Unavailable> {
        let repo = gix::discover(root).map_err(|e| {
            use gix::discover::upwards::Error as Up;
            match e.downcast_any_ref::<Up>() {
                Some(
                    Up::NoGitRepository { .. }
                    | Up::NoGitRepositoryWithinCeiling { .. }
                    | Up::NoGitRepositoryWithinFs { .. },
                ) => Unavailable::NotARepo,
                _ => Unavailable::Broken(format!("{e:#}")),
            }
        })?;
        let workdir = repo.workdir().ok_or(Unavailable::Bare)?;
        if repo.is_shallow().unwrap_or(false) {
            return Err(Unavailable::Shallow);
        }
        let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let (root, workdir) = (canon(root), canon(workdir));
        let rel = root
            .strip_prefix(&workdir)
            .map_err(|_| Unavailable::NotARepo)?;
        let mut prefix = String::new();
        for c in rel.components() {
            prefix.push_str(&c.as_os_str().to_string_lossy());
            prefix.push('/');
        }
        let mut repo = repo;
        repo.object_cache_size_if_unset(16 * 1024 * 1024);
        Ok(Git {
            repo,
            prefix,
            changes: Default::default(),
        })
    }

    /// The commit HEAD points at, if there is one.
    pub(crate) fn head(&self) -> Option<ObjectId> {
        self.repo.head_id().ok().map(|id| id.detach())
    }

    /// Resolves a revision (`HEAD~1`, `main`, a tag, a commit id) to a commit.
    pub(crate) fn resolve(&self, rev: &str) -> Result<ObjectId> {
        let id = self
            .repo
            .rev_parse_single(rev)
            .map_err(|e| anyhow!("unknown git revision `{rev}`: {e}"))?;
        let commit = id
            .object()
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| anyhow!("`{rev}` is not a commit: {e}"))?;
        Ok(commit.id)
    }

    /// The best common ancestor of two commits.
    pub(crate) fn merge_base(&self, a: ObjectId, b: ObjectId) -> Option<ObjectId> {
        self.repo
            .merge_base(a, b)
            .ok()
            .flatten()
            .map(|id| id.detach())
    }

    /// The first of `candidates` that names a branch or ref here.
    pub(crate) fn first_ref(&self, candidates: &[&str]) -> Option<(String, ObjectId)> {
        candidates
            .iter()
            .find_map(|c| Some(((*c).to_string(), self.resolve(c).ok()?)))
    }

    /// Tags whose short name matches `pattern` (git's wildmatch, as
    /// `git tag -l`), newest commit first; tags of commits made in the same
    /// second by name, highest first, numbers compared as numbers (`v10`
    /// before `v9`).
    pub(crate) fn tags(&self, pattern: &str) -> Result<Vec<Tag>> {
        let platform = self.repo.references().context("cannot read git refs")?;
        let mut out = Vec::new();
        for r in platform.tags().context("cannot read git tags")? {
            let Ok(mut r) = r else { continue };
            let name = r.name().shorten().to_string();
            let matched = gix::glob::wildmatch(
                pattern.as_bytes().as_bstr(),
                name.as_bytes().as_bstr(),
                gix::glob::wildmatch::Mode::empty(),
            );
            if !matched {
                continue;
            }
            // Tags of trees or blobs have no commit to build: skipped.
            let Ok(commit) = r.peel_to_commit() else {
                continue;
            };
            let time = commit.time().map(|t| t.seconds).unwrap_or(0);
            out.push(Tag {
                name,
                commit: commit.id,
                time,
            });
        }
        out.sort_by(|a, b| {
            b.time
                .cmp(&a.time)
                .then_with(|| natural_cmp(&b.name, &a.name))
                .then_with(|| b.name.cmp(&a.name))
        });
        Ok(out)
    }

    fn tree_of(&self, commit: ObjectId) -> Result<ObjectId> {
        let c = self
            .repo
            .find_commit(commit)
            .with_context(|| format!("cannot read commit {commit}"))?;
        Ok(c.tree_id()
            .with_context(|| format!("cannot read the tree of {commit}"))?
            .detach())
    }

    /// The tree entry at `path` (root-relative) in `commit`.
    fn entry(&self, commit: ObjectId, path: &str) -> Result<Option<(ObjectId, bool, bool)>> {
        let tree = self.repo.find_tree(self.tree_of(commit)?)?;
        let full = format!("{}{}", self.prefix, path.trim_end_matches('/'));
        if full.is_empty() {
            return Ok(Some((tree.id, true, false)));
        }
        let entry = tree
            .lookup_entry(full.split('/'))
            .with_context(|| format!("cannot read {full} in {commit}"))?;
        Ok(entry.map(|e| (e.object_id(), e.mode().is_tree(), e.mode().is_link())))
    }

    /// The bytes of the file at `path` in `commit`, if it is a file there.
    pub(crate) fn read(&self, commit: ObjectId, path: &str) -> Result<Option<Vec<u8>>> {
        match self.entry(commit, path)? {
            Some((oid, false, false)) => Ok(Some(self.blob(oid)?)),
            _ => Ok(None),
        }
    }

    /// True if `path` is a directory in `commit`.
    pub(crate) fn is_dir(&self, commit: ObjectId, path: &str) -> Result<bool> {
        Ok(matches!(self.entry(commit, path)?, Some((_, true, _))))
    }

    /// The bytes of a blob.
    pub(crate) fn blob(&self, oid: ObjectId) -> Result<Vec<u8>> {
        let mut blob = self
            .repo
            .find_blob(oid)
            .with_context(|| format!("cannot read git object {oid}"))?;
        Ok(blob.take_data())
    }

    /// `f(i, bytes)` for each blob `oids[i]`, in parallel (a few chunks,
    /// each with its own handle on the object database), in order; a blob
    /// that cannot be read gives its error in its place.
    pub(crate) fn map_blobs<T: Send>(
        &self,
        oids: &[ObjectId],
        f: impl Fn(usize, &[u8]) -> T + Sync,
    ) -> Result<Vec<Result<T>>> {
        use rayon::prelude::*;
        let git_dir = self.repo.git_dir().to_path_buf();
        let chunk = oids
            .len()
            .div_ceil(rayon::current_num_threads() * 2)
            .max(16);
        let chunks: Vec<Vec<Result<T>>> = oids
            .par_chunks(chunk)
            .enumerate()
            .map(|(c, oids)| {
                let mut repo = gix::open(&git_dir)
                    .with_context(|| format!("cannot open {}", git_dir.display()))?;
                repo.object_cache_size_if_unset(4 * 1024 * 1024);
                Ok(oids
                    .iter()
                    .enumerate()
                    .map(|(i, &oid)| {
                        let blob = repo
                            .find_blob(oid)
                            .with_context(|| format!("cannot read git object {oid}"))?;
                        Ok(f(c * chunk + i, &blob.data))
                    })
                    .collect::<Vec<_>>())
            })
            .collect::<Result<_>>()?;
        Ok(chunks.into_iter().flatten().collect())
    }

    /// Every file under directory `dir` in `commit`, sorted by path, with
    /// hidden entries (`.name`) left out like the file-system loader does.
    pub(crate) fn files_under(&self, commit: ObjectId, dir: &str) -> Result<Vec<TreeFile>> {
        let mut out = Vec::new();
        let Some((oid, true, _)) = self.entry(commit, dir)? else {
            return Ok(out);
        };
        let dir = dir.trim_end_matches('/');
        self.walk_tree(oid, &format!("{dir}/"), &mut out)?;
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    fn walk_tree(&self, tree: ObjectId, base: &str, out: &mut Vec<TreeFile>) -> Result<()> {
        let tree = self.repo.find_tree(tree)?;
        let decoded = tree.decode().context("cannot decode a git tree")?;
        for e in &decoded.entries {
            let name = e.filename.to_str_lossy();
            if name.starts_with('.') {
                continue;
            }
            let path = format!("{base}{name}");
            if e.mode.is_tree() {
                self.walk_tree(e.oid.to_owned(), &format!("{path}/"), out)?;
            } else if e.mode.is_blob() || e.mode.is_link() {
                out.push(TreeFile {
                    path,
                    oid: e.oid.to_owned(),
                    is_link: e.mode.is_link(),
                });
            }
        }
        Ok(())
    }

    /// The files under `dir` that `commit` changed against its first parent
    /// (all files for a root commit). Memoised.
    fn changes(&self, commit: ObjectId, dir: &str) -> Result<std::rc::Rc<Vec<Change>>> {
        let key = (commit, dir.to_string());
        if let Some(c) = self.changes.borrow().get(&key) {
            return Ok(c.clone());
        }
        let c = self.repo.find_commit(commit)?;
        let parent = c.parent_ids().next().map(|p| p.detach());
        let tree_at = |id: ObjectId| -> Result<Option<ObjectId>> {
            Ok(self.entry(id, dir)?.filter(|e| e.1).map(|e| e.0))
        };
        let old = match parent {
            Some(p) => tree_at(p)?,
            None => None,
        };
        let new = tree_at(commit)?;
        let mut out = Vec::new();
        let base = format!("{}/", dir.trim_end_matches('/'));
        self.diff_trees(old, new, &base, &mut out)?;
        let out = std::rc::Rc::new(out);
        self.changes.borrow_mut().insert(key, out.clone());
        Ok(out)
    }

    /// Files that differ between two trees (either may be absent), by
    /// comparing entry ids and descending only into changed sub-trees.
    fn diff_trees(
        &self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        base: &str,
        out: &mut Vec<Change>,
    ) -> Result<()> {
        if old == new {
            return Ok(());
        }
        let entries = |id: Option<ObjectId>| -> Result<BTreeMap<String, (ObjectId, bool)>> {
            let Some(id) = id else {
                return Ok(BTreeMap::new());
            };
            let tree = self.repo.find_tree(id)?;
            let decoded = tree.decode().context("cannot decode a git tree")?;
            Ok(decoded
                .entries
                .iter()
                .filter(|e| !e.mode.is_commit())
                .map(|e| {
                    (
                        e.filename.to_str_lossy().into_owned(),
                        (e.oid.to_owned(), e.mode.is_tree()),
                    )
                })
                .filter(|(n, _)| !n.starts_with('.'))
                .collect())
        };
        let (a, b) = (entries(old)?, entries(new)?);
        let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for name in names {
            let (x, y) = (a.get(name), b.get(name));
            if x == y {
                continue;
            }
            let path = format!("{base}{name}");
            let tree = |e: Option<&(ObjectId, bool)>| e.filter(|e| e.1).map(|e| e.0);
            let blob = |e: Option<&(ObjectId, bool)>| e.filter(|e| !e.1).map(|e| e.0);
            self.diff_trees(tree(x), tree(y), &format!("{path}/"), out)?;
            let (bx, by) = (blob(x), blob(y));
            if bx != by {
                out.push(Change {
                    path,
                    old: bx,
                    new: by,
                });
            }
        }
        Ok(())
    }

    /// The history of each of `paths` (root-relative files under `dir`) as
    /// of `tip`: the non-merge commits that changed it, newest first,
    /// following renames (a file added in the commit that deleted another
    /// with the same or mostly the same content).
    pub(crate) fn histories(
        &self,
        tip: ObjectId,
        dir: &str,
        paths: &[String],
    ) -> Result<Histories> {
        // Tracked path (as of the commit being looked at) → the path it has
        // at `tip`.
        let mut tracked: HashMap<String, String> =
            paths.iter().map(|p| (p.clone(), p.clone())).collect();
        let mut out: BTreeMap<String, Vec<HistoryEntry>> = BTreeMap::new();
        let walk = self
            .repo
            .rev_walk([tip])
            .sorting(gix::revision::walk::Sorting::ByCommitTime(
                gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
            ))
            .all()
            .context("cannot walk the git history")?;
        for info in walk {
            if tracked.is_empty() {
                break;
            }
            let info = info.context("cannot walk the git history")?;
            if info.parent_ids().count() > 1 {
                continue;
            }
            let id = info.id().detach();
            let changes = self.changes(id, dir)?;
            if changes.is_empty() {
                continue;
            }
            let mut renamed: Vec<(String, Option<String>)> = Vec::new();
            // The commit is read once, when it touched a tracked file.
            let mut commit: Option<HistoryEntry> = None;
            for ch in changes.iter() {
                let Some(current) = tracked.get(&ch.path) else {
                    continue;
                };
                let entry = match &commit {
                    Some(e) => e,
                    None => commit.insert(self.entry_for(id)?),
                };
                out.entry(current.clone()).or_default().push(HistoryEntry {
                    path: ch.path.clone(),
                    ..entry.clone()
                });
                if ch.old.is_none() {
                    // Added here: renamed from a file this commit deleted?
                    let from = match ch.new {
                        Some(new) => self.rename_source(new, &changes)?,
                        None => None,
                    };
                    renamed.push((ch.path.clone(), from));
                }
            }
            for (path, from) in renamed {
                if let Some(current) = tracked.remove(&path)
                    && let Some(from) = from
                {
                    tracked.insert(from, current);
                }
            }
        }
        Ok(out)
    }

    /// A history entry for commit `id`, its `path` still to be set.
    /// The newest commit reachable from `tip` along first parents whose
    /// commit date (UTC) is on or before `date`; `None` when every commit
    /// is later.
    pub(crate) fn commit_on_or_before(
        &self,
        tip: ObjectId,
        date: NaiveDate,
    ) -> Result<Option<ObjectId>> {
        let walk = self
            .repo
            .rev_walk([tip])
            .first_parent_only()
            .all()
            .context("cannot walk the git history")?;
        for info in walk {
            let info = info.context("cannot walk the git history")?;
            let id = info.id().detach();
            let seconds = self
                .repo
                .find_commit(id)?
                .time()
                .map(|t| t.seconds)
                .unwrap_or(0);
            if date_of(seconds) <= date {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    fn entry_for(&self, id: ObjectId) -> Result<HistoryEntry> {
        let c = self.repo.find_commit(id)?;
        let author = c.author().context("cannot read a commit's author")?;
        let time = c.time().map(|t| t.seconds).unwrap_or(0);
        let subject = c
            .message()
            .map(|m| m.summary().to_str_lossy().into_owned())
            .unwrap_or_default();
        let hex = id.to_hex().to_string();
        Ok(HistoryEntry {
            short_id: hex.get(..7).unwrap_or(&hex).to_string(),
            id: hex,
            time,
            author: author.name.to_str_lossy().trim().to_string(),
            subject,
            path: String::new(),
        })
    }

    /// The deleted file of `changes` that `new` was renamed from: the same
    /// blob, or else the most similar deleted file sharing at least half of
    /// its lines.
    fn rename_source(&self, new: ObjectId, changes: &[Change]) -> Result<Option<String>> {
        let deleted: Vec<(&str, ObjectId)> = changes
            .iter()
            .filter(|c| c.new.is_none())
            .filter_map(|c| Some((c.path.as_str(), c.old?)))
            .collect();
        if let Some((p, _)) = deleted.iter().find(|(_, o)| *o == new) {
            return Ok(Some((*p).to_string()));
        }
        if deleted.is_empty() {
            return Ok(None);
        }
        let new_text = self.blob(new)?;
        let mut best: Option<(f64, &str)> = None;
        for (p, o) in deleted {
            let score = similarity(&new_text, &self.blob(o)?);
            if score >= 0.5 && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, p));
            }
        }
        Ok(best.map(|(_, p)| p.to_string()))
    }
}

/// Compares names as people read version numbers: runs of digits by their
/// value (`v9` < `v10`), everything else byte by byte.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn runs(s: &str) -> impl Iterator<Item = (bool, &str)> {
        let mut rest = s;
        std::iter::from_fn(move || {
            let first = rest.chars().next()?;
            let digits = first.is_ascii_digit();
            let end = rest
                .find(|c: char| c.is_ascii_digit() != digits)
                .unwrap_or(rest.len());
            let (run, tail) = rest.split_at(end);
            rest = tail;
            Some((digits, run))
        })
    }
    let (mut a, mut b) = (runs(a), runs(b));
    loop {
        let ord = match (a.next(), b.next()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some((true, x)), Some((true, y))) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            (Some((_, x)), Some((_, y))) => x.cmp(y),
        };
        if ord.is_ne() {
            return ord;
        }
    }
}

/// The share of lines two texts have in common (multiset), 0..=1.
fn similarity(a: &[u8], b: &[u8]) -> f64 {
    let mut counts: HashMap<&[u8], i64> = HashMap::new();
    let (mut na, mut nb) = (0usize, 0usize);
    for l in a.split(|&c| c == b'\n') {
        *counts.entry(l).or_default() += 1;
        na += 1;
    }
    let mut common = 0usize;
    for l in b.split(|&c| c == b'\n') {
        nb += 1;
        if let Some(n) = counts.get_mut(l)
            && *n > 0
        {
            *n -= 1;
            common += 1;
        }
    }
    let total = na.max(nb);
    if total == 0 {
        return 1.0;
    }
    common as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_compares_numbers_by_value() {
        use std::cmp::Ordering::*;
        assert_eq!(natural_cmp("v9", "v10"), Less);
        assert_eq!(natural_cmp("v10", "v9"), Greater);
        assert_eq!(natural_cmp("v1.2.10", "v1.2.9"), Greater);
        assert_eq!(natural_cmp("v02", "v2"), Equal);
        assert_eq!(natural_cmp("v2", "v2-rc1"), Less);
        assert_eq!(natural_cmp("m1-review", "v1"), Less);
        assert_eq!(natural_cmp("", "a"), Less);
        let mut tags = ["v10", "v2", "v1", "v9", "v1.1"];
        tags.sort_by(|a, b| natural_cmp(b, a));
        assert_eq!(tags, ["v10", "v9", "v2", "v1.1", "v1"]);
    }

    #[test]
    fn similarity_counts_shared_lines() {
        assert_eq!(similarity(b"a\nb\nc\nd", b"a\nb\nc\nd"), 1.0);
        assert_eq!(similarity(b"a\nb\nc\nd", b"a\nb\nx\ny"), 0.5);
        assert_eq!(similarity(b"a\na\na\na", b"a\nb\nc\nd"), 0.25);
    }
}
