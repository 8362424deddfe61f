//! The diff as a report: plain text for the terminal, markdown for a pull
//! request comment, JSON for scripts.

use serde::Serialize;

use super::{Change, Diff};
use crate::i18n::Lang;
use crate::tr;

/// Which revisions a diff compares, for the reports.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Revision {
    /// What the user named (`main`, `HEAD~1`), or `working tree`.
    pub rev: String,
    /// The commit, `None` for the working tree.
    pub commit: Option<String>,
}

impl Revision {
    fn label(&self) -> String {
        match &self.commit {
            Some(c) => format!("{} ({})", self.rev, c.get(..7).unwrap_or(c)),
            None => self.rev.clone(),
        }
    }
}

impl Diff {
    /// Counts for a one-line summary: (changed, added, removed).
    fn counts(&self) -> (usize, usize, usize) {
        (self.changed.len(), self.added.len(), self.removed.len())
    }

    fn summary(&self, lang: Lang) -> String {
        let (c, a, r) = self.counts();
        let (i, f) = (self.introduced.len(), self.fixed.len());
        tr!(
            lang,
            "変更 {c} 件、追加 {a} 件、削除 {r} 件の計画。新しい指摘 {i} 件、解消 {f} 件。",
            "{c} plan(s) changed, {a} added, {r} removed; {i} new finding(s), {f} fixed."
        )
    }

    /// Plain text for the terminal.
    pub(crate) fn human(&self, base: &Revision, head: &Revision, lang: Lang) -> String {
        let mut s = format!("{} → {}\n", base.label(), head.label());
        if self.is_empty() {
            s.push_str(&no_changes(lang));
            return s;
        }
        for p in &self.added {
            s.push_str(&tr!(lang, "追加: ", "added: "));
            s.push_str(&format!("{} ({}) {}\n", p.file, p.id, p.title));
        }
        for p in &self.removed {
            s.push_str(&tr!(lang, "削除: ", "removed: "));
            s.push_str(&format!("{} ({}) {}\n", p.file, p.id, p.title));
        }
        for p in &self.changed {
            s.push_str(&format!("{} ({}) {}\n", p.file, p.id, p.title));
            for c in &p.changes {
                s.push_str(&format!("  {}\n", c.describe(lang)));
            }
        }
        for (list, head) in [
            (&self.introduced, tr!(lang, "新しい指摘", "new finding")),
            (&self.fixed, tr!(lang, "解消された指摘", "fixed finding")),
        ] {
            for f in list {
                s.push_str(&format!(
                    "{head}: {}[{}] {}:{}: {}\n",
                    f.severity.as_str(),
                    f.rule,
                    f.file,
                    f.line,
                    f.message
                ));
            }
        }
        s.push_str(&self.summary(lang));
        s.push('\n');
        s
    }

    /// Markdown for a pull-request comment. The first line is a hidden
    /// marker (`<!-- planbook-diff -->`) so a workflow can find and update
    /// its own comment.
    pub(crate) fn markdown(&self, base: &Revision, head: &Revision, lang: Lang) -> String {
        let mut s = String::from("<!-- planbook-diff -->\n");
        s.push_str(&tr!(
            lang,
            "## 計画の変更: {} → {}\n\n",
            "## Plan changes: {} → {}\n\n",
            md(&base.label()),
            md(&head.label())
        ));
        if self.is_empty() {
            s.push_str(&no_changes(lang));
            return s;
        }
        s.push_str(&format!("{}\n", self.summary(lang)));
        let heads = [
            (&self.added, lang.pick("追加", "Added")),
            (&self.removed, lang.pick("削除", "Removed")),
        ];
        for (plans, head) in heads {
            for p in plans {
                s.push_str(&format!(
                    "\n### {head}: {} (`{}`)\n",
                    md(&p.title),
                    code(&p.file)
                ));
            }
        }
        for p in &self.changed {
            s.push_str(&format!("\n### {} (`{}`)\n\n", md(&p.title), code(&p.file)));
            for c in &p.changes {
                s.push_str(&format!("- {}\n", md(&c.describe(lang))));
            }
        }
        if !self.introduced.is_empty() || !self.fixed.is_empty() {
            s.push_str(&tr!(lang, "\n### チェック結果\n\n", "\n### Lint\n\n"));
            for f in &self.introduced {
                s.push_str(&tr!(
                    lang,
                    "- 新しい指摘: **{}** `{}` `{}:{}` {}\n",
                    "- new: **{}** `{}` `{}:{}` {}\n",
                    f.severity.as_str(),
                    f.rule,
                    code(&f.file),
                    f.line,
                    md(&f.message)
                ));
            }
            for f in &self.fixed {
                s.push_str(&tr!(
                    lang,
                    "- 解消: `{}` `{}` {}\n",
                    "- fixed: `{}` `{}` {}\n",
                    f.rule,
                    code(&f.file),
                    md(&f.message)
                ));
            }
        }
        s
    }

    /// One JSON document: `{"version": 1, "base", "head", "added",
    /// "removed", "changed", "findings": {"introduced", "fixed"},
    /// "summary"}`; each change has its `kind`, its fields and `text`.
    pub(crate) fn json(&self, base: &Revision, head: &Revision, lang: Lang) -> String {
        let changed: Vec<serde_json::Value> = self
            .changed
            .iter()
            .map(|p| {
                let changes: Vec<serde_json::Value> = p
                    .changes
                    .iter()
                    .map(|c| {
                        serde_json::json!(WithText {
                            change: c,
                            text: c.describe(lang),
                        })
                    })
                    .collect();
                serde_json::json!({
                    "id": p.id, "title": p.title, "file": p.file, "changes": changes,
                })
            })
            .collect();
        let (c, a, r) = self.counts();
        let doc = serde_json::json!({
            "version": 1,
            "base": base,
            "head": head,
            "added": self.added,
            "removed": self.removed,
            "changed": changed,
            "findings": { "introduced": self.introduced, "fixed": self.fixed },
            "summary": {
                "changed": c, "added": a, "removed": r,
                "introduced": self.introduced.len(), "fixed": self.fixed.len(),
            },
        });
        format!("{doc}\n")
    }
}

/// A change as JSON: its kind and fields, and the sentence describing it.
#[derive(Serialize)]
struct WithText<'a> {
    #[serde(flatten)]
    change: &'a Change,
    text: String,
}

/// Plan text made inert in markdown: HTML and link/emphasis syntax escaped.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text inside a code span: backticks and newlines cannot end it early.
fn code(s: &str) -> String {
    s.replace(['`', '\n', '\r'], " ")
}

/// The line both text reports end with when nothing changed.
fn no_changes(lang: Lang) -> String {
    tr!(
        lang,
        "計画に変更はありません。\n",
        "No changes to the plans.\n"
    )
}
