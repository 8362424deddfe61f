//! What the commands that record progress (`measure`, `task`,
//! `milestone`, `confidence`) share: finding the plan file, showing the
//! edit (`--dry-run`) or writing it atomically, and linting the plan
//! after the edit to print what it introduced.

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use codespan_reporting::term::termcolor::StandardStream;

use super::{Globals, color_choice, print_human};
use crate::diag::{Diagnostic, Summary};
use crate::load::Detail;
use crate::pipeline::Run;
use crate::tr;

/// Writes `new` over the plan file of `t` (or, with `dry_run`, prints
/// the change as a unified diff), then says `done` and prints the lint
/// findings the edit introduced. Exit code 1 when one of those is an error.
pub(super) fn commit(
    g: &Globals,
    run: &Run,
    t: &Target,
    new: &str,
    dry_run: bool,
    done: &str,
) -> Result<u8> {
    let config = run.config();
    let (name, path) = (&t.name, t.path.as_path());
    if dry_run {
        print!("{}", unified_diff(&t.text, new, name));
        return Ok(0);
    }
    // The plan as it was read: checked without reading it again.
    let before = run.plan_diagnostics(&t.file);
    write_atomically(path, new, name, config.lang())?;
    let after = run.load_one(path, Detail::Lint, |_| {});
    let introduced: Vec<Diagnostic> = run
        .plan_diagnostics(&after)
        .into_iter()
        .filter(|d| {
            !before
                .iter()
                .any(|o| o.rule == d.rule && o.message == d.message)
        })
        .collect();
    eprintln!("{name}: {done}");
    if !introduced.is_empty() {
        let mut err =
            StandardStream::stderr(color_choice(g.color, std::io::stderr().is_terminal()));
        let summary = Summary::new(1, &introduced);
        print_human(&mut err, g.quiet, &run.repo, &introduced, &summary)?;
    }
    Ok(u8::from(
        introduced
            .iter()
            .any(|d| d.severity == crate::diag::Severity::Error),
    ))
}

/// A plan file as an edit starts from it: read once, with the size limit
/// every plan has, and parsed.
pub(super) struct Target {
    pub path: PathBuf,
    /// Relative to the root, for messages.
    pub name: String,
    /// The file's text, BOM included.
    pub text: String,
    /// The plan as parsed from that text (its unit, milestones; the
    /// findings before the edit).
    pub file: crate::model::PlanFile,
}

impl Target {
    /// The frontmatter as a positioned tree; one that does not parse
    /// cleanly is refused (exit 2).
    pub(super) fn tree(&self, lang: crate::i18n::Lang) -> Result<crate::yaml::Node> {
        let name = &self.name;
        crate::edit::tree(&self.text).ok_or_else(|| {
            anyhow::anyhow!(
                "{}",
                tr!(
                    lang,
                    "{name}: フロントマターが読めません。`planbook lint` で直してから記録してください",
                    "{name}: the frontmatter does not parse: fix it (`planbook lint`) before recording"
                )
            )
        })
    }
}

/// Finds the plan file `plan` names, reads and parses it.
pub(super) fn read(run: &Run, plan: &str) -> Result<Target> {
    let path = find_plan(run, plan)?;
    let name = crate::load::rel_name(&run.repo.root, &path);
    let mut bytes = None;
    let file = run.load_one(&path, Detail::Lint, |b| bytes = Some(b.to_vec()));
    // Unread (I/O error, too large) or not UTF-8: PLN001 says why.
    let text = bytes
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| {
            let why = file.findings.first().map_or("", |f| f.message.as_str());
            anyhow::anyhow!("cannot read {name}: {why}")
        })?;
    Ok(Target {
        path,
        name,
        text,
        file,
    })
}

/// The plan file `plan` names: a path to a file, or a plan id (the file
/// `ID.md`, or the file whose frontmatter says `id: ID`). Exit 2 when none
/// or several match.
pub(super) fn find_plan(run: &Run, plan: &str) -> Result<PathBuf> {
    let lang = run.config().lang();
    let as_path = Path::new(plan);
    if as_path.is_file() {
        return Ok(as_path.to_path_buf());
    }
    let paths = &run.repo.paths;
    let by_stem: Vec<&PathBuf> = paths
        .iter()
        .filter(|p| crate::load::stem_of(p) == plan)
        .collect();
    let found: Vec<&PathBuf> = if by_stem.is_empty() {
        // The id written in a frontmatter: read each file's first lines
        // only as far as the closing `---`, not the whole repository's plans.
        paths.iter().filter(|p| declares_id(p, plan)).collect()
    } else {
        by_stem
    };
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => bail!(
            "{}",
            tr!(
                lang,
                "`{plan}` という計画がありません（`planbook status` で id を確かめてください）",
                "no plan is `{plan}` (see `planbook status` for the ids)"
            )
        ),
        many => {
            let files: Vec<String> = many
                .iter()
                .map(|p| crate::load::rel_name(&run.repo.root, p))
                .collect();
            let files = files.join(", ");
            bail!(
                "{}",
                tr!(
                    lang,
                    "`{plan}` に当たる計画が複数あります: {files}。ファイルのパスで指定してください",
                    "`{plan}` matches several plans: {files}; give the file's path"
                )
            )
        }
    }
}

/// True when the frontmatter of `path` has a top-level `id: ID` line.
/// Reads the file only as far as the closing `---`.
fn declares_id(path: &Path, id: &str) -> bool {
    use std::io::BufRead;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    std::io::BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .any(|l| {
            l.strip_prefix("id:").is_some_and(|v| {
                v.split('#')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_matches(['"', '\''])
                    == id
            })
        })
}

/// `--dry-run`: the change as a unified diff.
fn unified_diff(old: &str, new: &str, name: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// Writes `text` over `path` through a temporary file beside it and a
/// rename: a crash leaves the old file whole. A read-only file is refused.
fn write_atomically(path: &Path, text: &str, name: &str, lang: crate::i18n::Lang) -> Result<()> {
    let meta = std::fs::metadata(path).with_context(|| format!("cannot read {name}"))?;
    if meta.permissions().readonly() {
        bail!(
            "{}",
            tr!(
                lang,
                "{name} は読み取り専用です。何も変えていません",
                "{name} is read-only: nothing was changed"
            )
        );
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file}.planbook-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.set_permissions(meta.permissions())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        anyhow::anyhow!("cannot write {name}: {e}")
    })
}
