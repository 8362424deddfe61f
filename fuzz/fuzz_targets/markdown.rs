//! Markdown rendering never lets a script, an event handler or a
//! `javascript:` link through. (Text such as `href="javascript:` may stay as
//! text: `<` is always escaped in text, so only real tags start with `<a`.)
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let html = planbook::site::markdown::render(&text, false, 1, "f-").to_ascii_lowercase();
    assert!(!html.contains("<script"), "{html}");
    for tag in ["<a href=\"", "<img src=\""] {
        for (i, _) in html.match_indices(tag) {
            let url = &html[i + tag.len()..];
            let url: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).take(12).collect();
            assert!(!url.starts_with("javascript:") && !url.starts_with("vbscript:"), "{html}");
        }
    }
});
