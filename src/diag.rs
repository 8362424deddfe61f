//! Diagnostics: what lint found, and the only place that knows output formats
//! (human, json, github, sarif).

use serde::Serialize;

use crate::yaml::Pos;

pub(crate) use crate::rules::Severity;

/// What a rule found in one plan, before severities are resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub pos: Pos,
    pub message: String,
    /// Not yet due: the rule holds off until a date (a milestone's review),
    /// so an error is reported as a warning until then.
    pub provisional: bool,
}

impl Finding {
    pub fn new(rule: &'static str, pos: Pos, message: String) -> Finding {
        Finding {
            rule,
            pos,
            message,
            provisional: false,
        }
    }
}

/// A finding with its resolved severity, file and plan: what users see.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    /// Relative to the root, `/`-separated.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub plan: String,
    pub message: String,
}

/// Counts by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Summary {
    pub plans: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub(crate) fn new(plans: usize, diagnostics: &[Diagnostic]) -> Summary {
        let mut s = Summary {
            plans,
            ..Summary::default()
        };
        for d in diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

pub(crate) mod render;
