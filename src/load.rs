//! Loading a plan repository: config, then every plan under the content
//! directory, parsed in parallel.
//!
//! Loading never fails on bad plan content: a plan that cannot be read or
//! parsed comes back with PLN001 findings. Only problems with the repository
//! itself (no content directory, a broken book.toml, I/O on the directory)
//! are errors, which the CLI turns into exit code 2.

use std::path::{Path, PathBuf};

use crate::config::{Config, ConfigError};
use crate::diag::Finding;
use crate::frontmatter;
use crate::model::{Plan, PlanFile};
use crate::rules::PLN001;
use crate::tr;
use crate::yaml::Pos;

/// Plan files larger than this are not parsed (PLN001).
pub(crate) const MAX_PLAN_BYTES: u64 = 4 * 1024 * 1024;

/// How much of each plan to keep in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// The model only: enough for every lint rule.
    Lint,
    /// Also the markdown body and the YAML tree, for rendering the site.
    Full,
}

/// An opened repository: what every run reads before any plan.
#[derive(Debug)]
pub struct Repo {
    pub root: PathBuf,
    pub config: Config,
    /// The bytes `config` was read from (empty without a book.toml).
    pub config_text: Vec<u8>,
    /// Absolute (root-joined) content directory.
    pub content_dir: PathBuf,
    /// The plan files, sorted: the order of `plans`.
    pub paths: Vec<PathBuf>,
    /// `content/index.md`, shown on the home page.
    pub index_page: Option<String>,
    /// Entries of the content directory that were skipped (symbolic links
    /// pointing outside, loops), for the terminal.
    pub warnings: Vec<String>,
}

/// A problem with the repository as a whole (exit code 2).
#[derive(Debug)]
pub enum LoadError {
    Config(ConfigError),
    NoContent { looked: PathBuf, has_config: bool },
    Io(String),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Config(e) => write!(f, "{e}"),
            LoadError::NoContent { looked, has_config } => {
                write!(f, "no content directory: looked for {}", looked.display())?;
                if !has_config {
                    write!(f, " (and found no book.toml)")?;
                }
                write!(
                    f,
                    "; run `planbook init` to create a plan repository, or pass --root DIR"
                )
            }
            LoadError::Io(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for LoadError {}

/// The config, the plan files and the home page's text of the repository
/// at `root`, without reading any plan.
pub(crate) fn open(root: &Path) -> Result<Repo, LoadError> {
    let (config, config_text) = Config::load_with_text(root).map_err(LoadError::Config)?;
    let content_dir = root.join(&config.site.content);
    if !content_dir.is_dir() {
        return Err(LoadError::NoContent {
            looked: content_dir,
            has_config: root.join("book.toml").is_file(),
        });
    }
    let (paths, mut warnings) = plan_paths_checked(&content_dir)?;
    let index_page = read_index_page(&content_dir, &mut warnings);
    Ok(Repo {
        root: root.to_path_buf(),
        config,
        config_text,
        content_dir,
        paths,
        index_page,
        warnings,
    })
}

/// `index.md` of the content directory, the home page's introduction:
/// `None` when there is none. One that cannot be read, or is not UTF-8
/// text, is left out with a warning naming it (the site is still built).
pub(crate) fn read_index_page(content_dir: &Path, warnings: &mut Vec<String>) -> Option<String> {
    let path = content_dir.join("index.md");
    match std::fs::read(&path) {
        Ok(bytes) => index_text(&path.display().to_string(), bytes, warnings),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            warnings.push(format!(
                "{}: cannot be read ({e}); the home page is built without its introduction",
                path.display()
            ));
            None
        }
    }
}

/// The text of an `index.md` read from `name` (a path, or `rev:path`).
pub(crate) fn index_text(name: &str, bytes: Vec<u8>, warnings: &mut Vec<String>) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            warnings.push(format!(
                "{name}: not UTF-8 text (byte {}); the home page is built without its introduction: save the file as UTF-8",
                e.utf8_error().valid_up_to() + 1
            ));
            None
        }
    }
}

/// Every plan file under `dir`, sorted: `.md` files, except `_*.md` drafts,
/// hidden entries, and the top-level `index.md`.
///
/// Symbolic links are not followed into directories. A link to a `.md`
/// file inside `dir` is read as a plan; links that point outside `dir`,
/// dangle or loop are skipped and reported in the returned warnings.
pub(crate) fn plan_paths_checked(dir: &Path) -> Result<(Vec<PathBuf>, Vec<String>), LoadError> {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let canonical_dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) if e.depth() > 0 => {
                warnings.push(format!("skipping an unreadable entry: {e}"));
                continue;
            }
            Err(e) => return Err(LoadError::Io(format!("cannot read {}: {e}", dir.display()))),
        };
        let name = entry.file_name().to_string_lossy();
        let is_md = name.ends_with(".md") && !name.starts_with('_');
        if entry.path_is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if !target.starts_with(&canonical_dir) => warnings.push(format!(
                    "skipping {}: a symbolic link to {}, outside the content directory",
                    entry.path().display(),
                    target.display()
                )),
                Ok(target) if target.is_file() && is_md => out.push(entry.into_path()),
                Ok(target) if target.is_dir() => warnings.push(format!(
                    "skipping {}: symbolic links to directories are not followed",
                    entry.path().display()
                )),
                Ok(_) => {}
                Err(e) => warnings.push(format!(
                    "skipping {}: a broken or looping symbolic link ({e})",
                    entry.path().display()
                )),
            }
            continue;
        }
        if !entry.file_type().is_file() || !is_md {
            continue;
        }
        if entry.depth() == 1 && name == "index.md" {
            continue;
        }
        out.push(entry.into_path());
    }
    Ok((out, warnings))
}

/// [`plan_paths_checked`] without the warnings.
pub(crate) fn plan_paths(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    plan_paths_checked(dir).map(|(paths, _)| paths)
}

/// The root-relative, `/`-separated name of `path`.
pub(crate) fn rel_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads and parses one plan file; never fails. The bytes read are shown
/// to `inspect` first (`serve` hashes them), so that a file is read once.
pub(crate) fn load_plan_with(
    root: &Path,
    path: &Path,
    config: &Config,
    detail: Detail,
    inspect: impl FnOnce(&[u8]),
) -> PlanFile {
    let file = rel_name(root, path);
    let stem = stem_of(path);
    thread_local! {
        // One read buffer per thread, reused for every file: a fresh buffer
        // per file had the kernel zero new pages for a tenth of a lint.
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUF.with(|buf| {
        // Parsing never loads another plan, so the buffer is free; should
        // that change, a buffer of its own rather than a panic.
        let mut own = Vec::new();
        let mut shared = buf.try_borrow_mut();
        let buf = match &mut shared {
            Ok(b) => &mut **b,
            Err(_) => &mut own,
        };
        match read_file(path, buf) {
            Ok(b) => {
                inspect(b);
                parse_bytes(file, stem, b, config, detail)
            }
            Err(e) => unreadable(file, stem, &e, config),
        }
    })
}

/// Reads the file at `path` into `buf` (cleared first), refusing files
/// over [`MAX_PLAN_BYTES`].
fn read_file<'b>(path: &Path, buf: &'b mut Vec<u8>) -> Result<&'b [u8], Unreadable> {
    use std::io::Read;
    let io = |e: std::io::Error| Unreadable::Io(e.to_string());
    let file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    if len > MAX_PLAN_BYTES {
        return Err(Unreadable::TooLarge(len));
    }
    buf.clear();
    // One byte more than the limit tells a file that grew meanwhile.
    file.take(MAX_PLAN_BYTES + 1).read_to_end(buf).map_err(io)?;
    Ok(buf)
}

/// The file stem, which is a plan's default id.
pub(crate) fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Why a plan's bytes could not be had.
#[derive(Debug)]
pub(crate) enum Unreadable {
    TooLarge(u64),
    Io(String),
}

/// The PLN001 plan for a file that could not be read.
pub(crate) fn unreadable(
    file: String,
    stem: String,
    why: &Unreadable,
    config: &Config,
) -> PlanFile {
    let lang = config.lang();
    let message = match why {
        Unreadable::TooLarge(len) => {
            let (size, max) = (len / 1024, MAX_PLAN_BYTES / 1024);
            tr!(
                lang,
                "ファイルが大きすぎます（{size} KiB、上限 {max} KiB）。計画は短く保ち、資料は別ファイルにしてください",
                "the file is too large ({size} KiB; the limit is {max} KiB): keep plans short and move material elsewhere"
            )
        }
        Unreadable::Io(e) => tr!(
            lang,
            "ファイルを読めません: {e}",
            "cannot read the file: {e}"
        ),
    };
    failed(file, stem, message, Pos::START)
}

fn failed(file: String, stem: String, message: String, pos: Pos) -> PlanFile {
    PlanFile {
        plan: Plan {
            file,
            id: stem,
            id_pos: Pos::START,
            ..Plan::default()
        },
        findings: vec![Finding::new(PLN001, pos, message)],
        key: 0,
    }
}

/// Parses the bytes of a plan file (`file` is its root-relative name);
/// never fails. Used for files on disk and for files read from git.
pub(crate) fn parse_bytes(
    file: String,
    stem: String,
    bytes: &[u8],
    config: &Config,
    detail: Detail,
) -> PlanFile {
    let lang = config.lang();
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        return unreadable(
            file,
            stem,
            &Unreadable::TooLarge(bytes.len() as u64),
            config,
        );
    }
    // SIMD validation first (most plans are Japanese: std's check is slow
    // on non-ASCII text); std's for the position of a bad byte.
    let checked = match simdutf8::basic::from_utf8(bytes) {
        Ok(t) => Ok(t),
        Err(_) => std::str::from_utf8(bytes),
    };
    let text = match checked {
        Ok(t) => t,
        Err(e) => {
            let valid = e.valid_up_to();
            let prefix = bytes.get(..valid).unwrap_or(&[]);
            let line = 1 + prefix.iter().filter(|&&b| b == b'\n').count();
            let column =
                1 + String::from_utf8_lossy(prefix.rsplit(|&b| b == b'\n').next().unwrap_or(&[]))
                    .chars()
                    .count();
            let message = tr!(
                lang,
                "UTF-8 ではないバイトがあります。ファイルを UTF-8 で保存し直してください",
                "the file is not valid UTF-8: save it as UTF-8"
            );
            return failed(file, stem, message, Pos::new(line, column));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut plan, findings) =
        frontmatter::parse_plan(text, &file, &stem, config, detail == Detail::Full);
    if detail == Detail::Full {
        // Keep the plans.json entry, not the tree it is made from.
        plan.json = Some(crate::plans_json::plan_json(&plan).into());
        plan.frontmatter = None;
    }
    PlanFile {
        plan,
        findings,
        key: 0,
    }
}
