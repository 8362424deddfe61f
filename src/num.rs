//! Numbers the way plans write them, for messages and pages.

/// Formats a number the way plans write it: no trailing `.0`, at most four
/// decimals.
pub(crate) fn fmt(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return format!("{}", n as i64);
    }
    // The common case without float formatting (pages print thousands of
    // numbers): a positive value whose fifth decimal is not a tie rounds
    // like `{:.4}` when rounded as an integer of ten-thousandths.
    let scaled = n * 10_000.0;
    let frac = scaled - scaled.floor();
    if (0.001..1e11).contains(&n) && (frac - 0.5).abs() > 1e-6 {
        let m = scaled.round() as u64;
        let (int, mut dec, mut width) = (m / 10_000, m % 10_000, 4);
        if dec == 0 {
            return int.to_string();
        }
        while dec % 10 == 0 {
            dec /= 10;
            width -= 1;
        }
        return format!("{int}.{dec:0width$}");
    }
    let s = format!("{n:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A value rounded to two decimals, as planned values are shown.
pub(crate) fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_print_like_plans() {
        assert_eq!(super::fmt(2.0), "2");
        assert_eq!(super::fmt(2.5), "2.5");
        assert_eq!(super::fmt(0.1 + 0.2), "0.3");
        assert_eq!(super::fmt(-3.0), "-3");
        assert_eq!(super::fmt(1.00004), "1");
        assert_eq!(super::fmt(2.05), "2.05");
    }

    /// The fast path gives what `{:.4}` and trimming give, over a sweep of
    /// values with every kind of fraction (and ties, which it leaves to
    /// `{:.4}`).
    #[test]
    fn the_fast_path_matches_float_formatting() {
        let slow = |n: f64| {
            let s = format!("{n:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        for (i, x) in crate::testing::xorshift(0x9e37_79b9_7f4a_7c15, 200_000) {
            let n = match i % 4 {
                0 => (x % 10_000_000) as f64 / 1000.0,
                1 => (x % 1_000_000) as f64 / 100_000.0,
                2 => (x % 100_000) as f64 * 0.013_7,
                _ => f64::from_bits(0x3ff0_0000_0000_0000 | (x >> 12)) * (i % 977) as f64,
            };
            if n.fract() != 0.0 {
                assert_eq!(super::fmt(n), slow(n), "{n:?}");
            }
        }
    }
}
