//! Output formats for diagnostics: human (rustc-style, via
//! codespan-reporting), json, github (workflow commands) and sarif (2.1.0).

use std::collections::BTreeMap;
use std::io;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config as TermConfig, termcolor::WriteColor};
use serde_json::json;

use super::{Diagnostic, Severity, Summary};
use crate::i18n::Lang;
use crate::rules::RULES;
use std::path::Path;

/// Byte offset of a 1-based (line, char column) in `source`.
fn byte_offset(source: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += source.get(start..)?.find('\n')? + 1;
    }
    let rest = source.get(start..)?;
    let in_line = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    Some(start + in_line)
}

/// Length in bytes of the token at `offset`: up to the next whitespace or
/// end of line, at least one character.
fn token_len(source: &str, offset: usize) -> usize {
    let rest = source.get(offset..).unwrap_or("");
    let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    let line = rest.get(..end).unwrap_or("");
    // The caret covers the value itself: not a trailing comment, nor the
    // rest of a flow collection (`{ date: …, value: 125 }`).
    let mut trimmed = line.split(" #").next().unwrap_or(line);
    if !line.starts_with(['"', '\'', '{', '[']) {
        trimmed = trimmed.split([',', '}', ']']).next().unwrap_or(trimmed);
    }
    let trimmed = trimmed.trim_end();
    trimmed
        .len()
        .max(rest.chars().next().map_or(0, char::len_utf8))
}

/// Writes diagnostics like rustc: `error[MIL002]: …`, ` --> file:line:col`,
/// the source line with a caret; then a summary line.
/// The sources of the files that have diagnostics, for source snippets.
pub(crate) fn read_sources(
    root: &Path,
    diags: &[Diagnostic],
) -> std::collections::BTreeMap<String, String> {
    let files: std::collections::BTreeSet<&str> = diags.iter().map(|d| d.file.as_str()).collect();
    files
        .into_iter()
        .filter_map(|f| Some((f.to_string(), read_source(root, f)?)))
        .collect()
}

/// The text of a plan file as diagnostics show it (BOM removed), read again
/// from disk: sources are not kept in memory while linting.
pub(crate) fn read_source(root: &Path, file: &str) -> Option<String> {
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    Some(match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    })
}

/// Diagnostics as plain text (no colour) with a summary line over `plans`
/// plan files (as `lint` counts them), for the terminal and the error
/// overlay of `serve`.
pub(crate) fn human_text(root: &Path, diags: &[Diagnostic], plans: usize, lang: Lang) -> String {
    use codespan_reporting::term::termcolor::NoColor;
    let sources = read_sources(root, diags);
    let summary = Summary::new(plans, diags);
    let mut w = NoColor::new(Vec::new());
    let _ = human(&mut w, diags, &sources, &summary, lang);
    String::from_utf8_lossy(&w.into_inner()).into_owned()
}

pub(crate) fn human(
    w: &mut dyn WriteColor,
    diags: &[Diagnostic],
    sources: &BTreeMap<String, String>,
    summary: &Summary,
    lang: Lang,
) -> io::Result<()> {
    let mut files = SimpleFiles::new();
    let mut ids = BTreeMap::new();
    for (name, src) in sources {
        ids.insert(name.as_str(), files.add(name.clone(), src.as_str()));
    }
    let config = TermConfig {
        chars: term::Chars::ascii(),
        ..TermConfig::default()
    };
    for d in diags {
        let severity = match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
            Severity::Info => CsSeverity::Note,
        };
        let mut cs = CsDiagnostic::new(severity)
            .with_code(d.rule)
            .with_message(&d.message);
        let located = ids.get(d.file.as_str()).and_then(|&id| {
            let src = sources.get(&d.file)?;
            let start = byte_offset(src, d.line, d.column)?;
            Some((id, start, token_len(src, start)))
        });
        match located {
            Some((id, start, len)) => {
                cs = cs.with_labels(vec![Label::primary(id, start..start + len)]);
                term::emit_to_write_style(w, &config, &files, &cs)
                    .map_err(|e| io::Error::other(e.to_string()))?;
            }
            None => {
                // No source to show (unreadable file): header and location only.
                let label = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "note",
                };
                writeln!(w, "{label}[{}]: {}", d.rule, d.message)?;
                writeln!(w, "  --> {}:{}:{}\n", d.file, d.line, d.column)?;
            }
        }
    }
    writeln!(w, "{}", summary_line(summary, lang))
}

/// "2 errors, 1 warning, 0 infos in 3 plans" (or the Japanese equivalent).
pub(crate) fn summary_line(s: &Summary, lang: Lang) -> String {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    match lang {
        Lang::Ja => format!(
            "{} 件の計画: エラー {} 件、警告 {} 件、情報 {} 件",
            s.plans, s.errors, s.warnings, s.infos
        ),
        Lang::En => format!(
            "{} in {}: {}, {}",
            plural(s.errors, "error", "errors"),
            plural(s.plans, "plan", "plans"),
            plural(s.warnings, "warning", "warnings"),
            plural(s.infos, "info", "infos"),
        ),
    }
}

/// The JSON document of docs/format.md, "JSON outputs".
pub(crate) fn json(diags: &[Diagnostic], summary: &Summary) -> String {
    let doc = json!({
        "version": 1,
        "diagnostics": diags,
        "summary": summary,
    });
    // A `Value` prints infallibly.
    format!("{doc}\n")
}

/// Escapes the message part of a GitHub workflow command.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a GitHub workflow command.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One `::error file=…,line=…,col=…,title=RULE::message` line per finding.
pub(crate) fn github(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        out.push_str(&format!(
            "::{kind} file={},line={},col={},title={}::{}\n",
            gh_property(&d.file),
            d.line,
            d.column,
            gh_property(d.rule),
            gh_data(&d.message)
        ));
    }
    out
}

/// A GitLab code-quality report (the Code Climate subset GitLab reads):
/// one issue per finding with a fingerprint stable across runs.
pub(crate) fn codequality(diags: &[Diagnostic]) -> String {
    let issues: Vec<_> = diags
        .iter()
        .map(|d| {
            let key = format!("{}\n{}\n{}\n{}", d.rule, d.file, d.plan, d.message);
            let fingerprint = gix::objs::compute_hash(
                gix::hash::Kind::Sha1,
                gix::objs::Kind::Blob,
                key.as_bytes(),
            )
            .map(|id| id.to_string())
            .unwrap_or_default();
            json!({
                "description": format!("{}: {}", d.rule, d.message),
                "check_name": d.rule,
                "fingerprint": fingerprint,
                "severity": match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                "location": { "path": d.file, "lines": { "begin": d.line } },
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// A SARIF 2.1.0 log with one run, the full rule catalogue as metadata.
pub(crate) fn sarif(diags: &[Diagnostic], lang: Lang) -> String {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    };
    let rules_meta: Vec<_> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.summary(lang) },
                "fullDescription": { "text": r.summary(lang) },
                "help": {
                    "text": format!("{} ({})", r.summary(lang), r.summary(other(lang))),
                    "markdown": format!("**{}**: {}\n\n{}", r.id, r.summary(lang), r.summary(other(lang))),
                },
                "defaultConfiguration": { "level": level(r.default) },
            })
        })
        .collect();
    let results: Vec<_> = diags
        .iter()
        .map(|d| {
            json!({
                "ruleId": d.rule,
                "ruleIndex": RULES.iter().position(|r| r.id == d.rule),
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": d.file, "uriBaseId": "%SRCROOT%" },
                        "region": { "startLine": d.line, "startColumn": d.column },
                    }
                }],
                "partialFingerprints": { "planbook/v1": format!("{}:{}:{}", d.plan, d.rule, d.line) },
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "planbook",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/planbook/planbook",
                "rules": rules_meta,
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "uri": "./" } },
            "results": results,
        }]
    });
    format!("{doc:#}\n")
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Ja => Lang::En,
        Lang::En => Lang::Ja,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offsets_count_characters() {
        let src = "---\ntitle: 推薦 x\n";
        assert_eq!(byte_offset(src, 2, 1), Some(4));
        assert_eq!(byte_offset(src, 2, 11), Some(4 + 7 + 3 + 3 + 1));
    }

    #[test]
    fn github_escapes_properties_and_data() {
        let d = Diagnostic {
            rule: "MIL002",
            severity: Severity::Warning,
            file: "content/a,b:c.md".into(),
            line: 3,
            column: 4,
            plan: "a".into(),
            message: "100% done\nnext".into(),
        };
        assert_eq!(
            github(&[d]),
            "::warning file=content/a%2Cb%3Ac.md,line=3,col=4,title=MIL002::100%25 done%0Anext\n"
        );
    }
}
