//! The YAML fast path either declines or builds exactly the full parser's tree.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(fast) = planbook::yaml::fast::parse(text, 2) {
        let (full, errors) = planbook::yaml::parse_full(text, 2);
        assert!(errors.is_empty(), "fast path accepted invalid YAML: {errors:?}");
        assert_eq!(Some(fast), full);
    }
});
