//! Phase timings on stderr when `PLANBOOK_TIMINGS` is set: a cheap profile
//! of where a build spends its time, for benchmarks and bug reports.

use std::cell::Cell;
use std::time::Instant;

pub struct Timer {
    last: Cell<Option<Instant>>,
}

impl Timer {
    /// A timer that only measures when `PLANBOOK_TIMINGS` is set.
    pub fn start() -> Timer {
        let on = std::env::var_os("PLANBOOK_TIMINGS").is_some();
        Timer {
            last: Cell::new(on.then(Instant::now)),
        }
    }

    /// Prints the time since the previous lap.
    pub fn lap(&self, what: &str) {
        if let Some(t) = self.last.get() {
            eprintln!(
                "timing: {what}: {:.1} ms",
                t.elapsed().as_secs_f64() * 1000.0
            );
            self.last.set(Some(Instant::now()));
        }
    }
}
