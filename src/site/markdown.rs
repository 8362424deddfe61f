//! Markdown to HTML with pulldown-cmark: tables, footnotes, strikethrough,
//! task lists and heading anchors. Raw HTML is escaped unless
//! `[markdown] unsafe_html = true`; links to `javascript:`, `vbscript:` and
//! `data:` (except `data:` images) are dropped, keeping their text.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Is this URL safe to link to? `image` allows `data:` (inline pictures).
pub(crate) fn safe_url(url: &str, image: bool) -> bool {
    let lower: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower.starts_with("javascript:") || lower.starts_with("vbscript:") {
        return false;
    }
    if lower.starts_with("data:") {
        return image && lower.starts_with("data:image/") && !lower.starts_with("data:image/svg");
    }
    true
}

/// A URL-safe, readable anchor for a heading: letters (any script) and
/// digits kept, everything else folded into single hyphens.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            out.push(c);
            dash = false;
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

/// Renders `text` to HTML. `heading_offset` shifts heading levels (a body
/// `#` under a page `h1` becomes `h2`); `id_prefix` keeps anchors of
/// several fragments on one page apart.
pub fn render(text: &str, unsafe_html: bool, heading_offset: u8, id_prefix: &str) -> String {
    render_in(
        text,
        unsafe_html,
        heading_offset,
        id_prefix,
        crate::i18n::Lang::default(),
    )
}

/// [`render`], with task-list checkboxes named in `lang` ("完了" / "done"
/// or "未完了" / "not done"): a checkbox without an accessible name is
/// unreadable to a screen reader.
pub(crate) fn render_in(
    text: &str,
    unsafe_html: bool,
    heading_offset: u8,
    id_prefix: &str,
    lang: crate::i18n::Lang,
) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    // Links whose destination was dropped: their end tags are dropped too.
    let mut open_links: Vec<bool> = Vec::new();
    let mut in_bad_image = 0usize;
    for ev in Parser::new_ext(text, options()) {
        match ev {
            Event::Html(h) | Event::InlineHtml(h) if !unsafe_html => events.push(Event::Text(h)),
            Event::Start(Tag::Link {
                dest_url,
                title,
                id,
                link_type,
            }) => {
                let ok = safe_url(&dest_url, false);
                open_links.push(ok);
                if ok {
                    events.push(Event::Start(Tag::Link {
                        dest_url,
                        title,
                        id,
                        link_type,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if open_links.pop().unwrap_or(true) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                dest_url,
                title,
                id,
                link_type,
            }) => {
                if safe_url(&dest_url, true) {
                    events.push(Event::Start(Tag::Image {
                        dest_url,
                        title,
                        id,
                        link_type,
                    }));
                } else {
                    in_bad_image += 1;
                }
            }
            Event::End(TagEnd::Image) if in_bad_image > 0 => in_bad_image -= 1,
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                events.push(Event::Start(Tag::Heading {
                    level: shift(level, heading_offset),
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                events.push(Event::End(TagEnd::Heading(shift(level, heading_offset))));
            }
            Event::TaskListMarker(done) => {
                let (checked, name) = match (done, lang) {
                    (true, crate::i18n::Lang::Ja) => (" checked=\"\"", "完了"),
                    (true, crate::i18n::Lang::En) => (" checked=\"\"", "done"),
                    (false, crate::i18n::Lang::Ja) => ("", "未完了"),
                    (false, crate::i18n::Lang::En) => ("", "not done"),
                };
                events.push(Event::InlineHtml(
                    format!(
                        "<input disabled=\"\" type=\"checkbox\"{checked} aria-label=\"{name}\"/>\n"
                    )
                    .into(),
                ));
            }
            other => events.push(other),
        }
    }
    add_heading_ids(&mut events, id_prefix);
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

fn shift(level: HeadingLevel, by: u8) -> HeadingLevel {
    let n = (level as u8).saturating_add(by).min(6);
    HeadingLevel::try_from(usize::from(n)).unwrap_or(HeadingLevel::H6)
}

/// Gives every heading without an explicit id one made from its text,
/// unique within the fragment.
fn add_heading_ids(events: &mut [Event<'_>], prefix: &str) {
    let mut used: Vec<String> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Some(Event::Start(Tag::Heading { id: None, .. })) = events.get(i) {
            let mut text = String::new();
            for ev in events.iter().skip(i + 1) {
                match ev {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = format!("{prefix}{}", slug(&text));
            let mut candidate = base.clone();
            let mut n = 1;
            while used.contains(&candidate) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            used.push(candidate.clone());
            if let Some(Event::Start(Tag::Heading { id, .. })) = events.get_mut(i) {
                *id = Some(CowStr::from(candidate));
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let md = "<script>alert(1)</script>\n\nhi <b onclick=x>b</b>";
        let out = render(md, false, 0, "");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<b "), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert!(render(md, true, 0, "").contains("<script>"));
    }

    #[test]
    fn dangerous_links_are_dropped_but_text_kept() {
        let out = render(
            "[a](javascript:alert(1)) [b](JavaScript:x) [c](data:text/html,x) [d](https://ok.example/) ![e](data:image/png;base64,AA) ![f](javascript:x)",
            false,
            0,
            "",
        );
        assert!(!out.to_lowercase().contains("javascript:"), "{out}");
        assert!(!out.contains("data:text"), "{out}");
        assert!(out.contains(">a<") || out.contains("a "), "{out}");
        assert!(out.contains("href=\"https://ok.example/\""), "{out}");
        assert!(out.contains("src=\"data:image/png"), "{out}");
    }

    #[test]
    fn link_like_text_stays_text() {
        // From the markdown fuzzer: `href="javascript:` in prose is text.
        let out = render("増える href=\"javascript:alert(1)\" 次", false, 0, "");
        assert!(!out.contains("<a "), "{out}");
        assert!(out.starts_with("<p>"), "{out}");
    }

    #[test]
    fn headings_get_unique_anchors_and_shift() {
        let out = render("# ストーリー\n\n## Story\n\n## Story\n", false, 1, "b-");
        assert!(out.contains("<h2 id=\"b-ストーリー\">"), "{out}");
        assert!(out.contains("<h3 id=\"b-story\">"), "{out}");
        assert!(out.contains("<h3 id=\"b-story-1\">"), "{out}");
    }

    #[test]
    fn extensions_are_on() {
        let out = render(
            "| a |\n|---|\n| b |\n\n- [x] done\n\n~~no~~ x[^1]\n\n[^1]: n\n",
            false,
            0,
            "",
        );
        assert!(out.contains("<table>"));
        assert!(out.contains("checkbox"));
        assert!(out.contains("<del>"));
        assert!(out.contains("footnote"));
    }
}
