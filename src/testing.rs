//! Helpers for the unit tests of the plan-level modules: model values and
//! dates written briefly, and a deterministic stream of numbers.

use chrono::NaiveDate;

use crate::model::{At, Field};
use crate::yaml::Pos;

/// A present value at the start of the file.
pub(crate) fn at<T>(value: T) -> Field<T> {
    Field::Ok(At {
        value,
        pos: Pos::START,
    })
}

/// `YYYY-MM-DD` as a date.
pub(crate) fn d(s: &str) -> NaiveDate {
    crate::frontmatter::parse_date(s).unwrap()
}

/// A xorshift stream of `n` numbers from `seed`: the same every run.
pub(crate) fn xorshift(mut x: u64, n: u64) -> impl Iterator<Item = (u64, u64)> {
    (0..n).map(move |i| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (i, x)
    })
}
