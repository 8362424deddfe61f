//! Numbers the way plans write them, for messages and pages.

/// Formats a number the way plans write it: no trailing `.0`, at most four
/// decimals.
pub fn fmt(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_print_like_plans() {
        assert_eq!(super::fmt(2.0), "2");
        assert_eq!(super::fmt(2.5), "2.5");
        assert_eq!(super::fmt(0.1 + 0.2), "0.3");
        assert_eq!(super::fmt(-3.0), "-3");
    }
}
