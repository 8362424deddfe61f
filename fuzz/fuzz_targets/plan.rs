//! Frontmatter parsing and every lint rule on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let config = planbook::config::Config::default();
    let (plan, findings) = planbook::frontmatter::parse_plan(&text, "content/f.md", "f", &config, true);
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default();
    let _ = planbook::lint::check_plan(&plan, &findings, &config, today);
});
