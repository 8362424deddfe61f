//! The dev server never resolves a path outside the site.
#![no_main]
use libfuzzer_sys::fuzz_target;
use planbook::serve::http::Resolved;

fuzz_target!(|data: &[u8]| {
    let Ok(path) = std::str::from_utf8(data) else { return };
    if let Resolved::File(key) | Resolved::Redirect(key) = planbook::serve::http::resolve(path, |_| true) {
        assert!(!key.split('/').any(|s| s == ".." || s == "."), "{key}");
        assert!(!key.contains('\\') && !key.contains('\0'), "{key}");
    }
});
