//! Phase timings on stderr when `PLANBOOK_TIMINGS` is set: a cheap profile
//! of where a build spends its time, for benchmarks and bug reports.

use std::cell::Cell;
use std::time::Instant;

pub(crate) struct Timer {
    last: Cell<Option<Instant>>,
}

impl Timer {
    /// A timer that only measures when `PLANBOOK_TIMINGS` is set.
    pub(crate) fn start() -> Timer {
        let on = std::env::var_os("PLANBOOK_TIMINGS").is_some();
        Timer {
            last: Cell::new(on.then(Instant::now)),
        }
    }

    /// Prints the time since the previous lap.
    pub(crate) fn lap(&self, what: &str) {
        if let Some(t) = self.last.get() {
            eprintln!(
                "timing: {what}: {:.1} ms (resident {})",
                t.elapsed().as_secs_f64() * 1000.0,
                resident()
            );
            self.last.set(Some(Instant::now()));
        }
    }
}

/// The process's resident set size now and at its peak, from
/// `/proc/self/status` (Linux; "?" elsewhere).
fn resident() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map_or("?", str::trim)
            .to_string()
    };
    format!("{}, peak {}", field("VmRSS:"), field("VmHWM:"))
}
