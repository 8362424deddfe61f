//! Answering HTTP requests from the in-memory site.

use std::time::Duration;

use tiny_http::{Header, Request, Response, StatusCode};

use super::{Shared, wait_for_change};

/// The script injected into served HTML pages (never into built sites).
fn reload_script(generation: u64) -> String {
    format!(
        "<script>(function(){{var g={generation};function w(){{fetch('/__planbook/wait?gen='+g,{{cache:'no-store'}}).then(function(r){{return r.text()}}).then(function(t){{if(t==='reload'){{location.reload()}}else{{w()}}}}).catch(function(){{setTimeout(w,1000)}})}}w()}})();</script>"
    )
}

/// The MIME type for a site path.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "xml" => "application/atom+xml; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The path with `%XX` escapes decoded (a `%` not followed by two hex
/// digits stays as it is, as browsers treat it); `None` when the bytes are
/// not UTF-8.
fn percent_decode(s: &str) -> Option<std::borrow::Cow<'_, str>> {
    percent_encoding::percent_decode_str(s).decode_utf8().ok()
}

/// What a request path asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file of the site (its key in the site map).
    File(String),
    /// A directory without its trailing slash: redirect to this path.
    Redirect(String),
    NotFound,
    /// Traversal attempts, encoded separators, NUL, bad encoding.
    BadRequest,
}

/// Maps a URL path (query removed) to a site file.
pub fn resolve(url_path: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    let Some(decoded) = percent_decode(url_path) else {
        return Resolved::BadRequest;
    };
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) {
        return Resolved::BadRequest;
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .iter()
        .any(|s| *s == ".." || *s == "." || s.contains(':'))
    {
        return Resolved::BadRequest;
    }
    let joined = segments.join("/");
    if decoded.ends_with('/') || joined.is_empty() {
        let index = if joined.is_empty() {
            "index.html".to_string()
        } else {
            format!("{joined}/index.html")
        };
        return if exists(&index) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if exists(&joined) {
        return Resolved::File(joined);
    }
    if exists(&format!("{joined}/index.html")) {
        return Resolved::Redirect(format!("/{joined}/"));
    }
    Resolved::NotFound
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn respond(request: Request, status: u16, ctype: &str, body: Vec<u8>, extra: Option<Header>) {
    let mut resp = Response::from_data(body).with_status_code(StatusCode(status));
    if let Some(h) = header("Content-Type", ctype) {
        resp.add_header(h);
    }
    if let Some(h) = header("Cache-Control", "no-store") {
        resp.add_header(h);
    }
    if let Some(h) = extra {
        resp.add_header(h);
    }
    let _ = request.respond(resp);
}

/// Answers one request.
pub(crate) fn handle(request: Request, shared: &Shared) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    if path == "/__planbook/wait" {
        let seen = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("gen="))
            .and_then(|g| g.parse().ok())
            .unwrap_or(0);
        let changed = wait_for_change(shared, seen, Duration::from_secs(25));
        let body = if changed { "reload" } else { "same" };
        return respond(request, 200, "text/plain; charset=utf-8", body.into(), None);
    }
    let (lock, _) = &**shared;
    let Ok(state) = lock.lock() else {
        return respond(
            request,
            500,
            "text/plain",
            b"server state unavailable".to_vec(),
            None,
        );
    };
    let exists = |p: &str| {
        state.files.contains_key(p)
            || state.search.contains_key(p)
            || state.shared.as_ref().is_some_and(|s| s.has(p))
    };
    match resolve(path, exists) {
        Resolved::File(key) => {
            let overlay = state.overlay.clone();
            let generation = state.generation;
            // Only reference counts are taken under the lock; bytes are
            // copied after it is released.
            let found = state
                .files
                .get(&key)
                .or_else(|| state.search.get(&key))
                .map(std::sync::Arc::clone);
            let shared = state.shared.clone();
            drop(state);
            let bytes = match found {
                Some(b) => Ok(b.as_ref().clone()),
                None => {
                    // A shared page: rendered once per build, outside the lock.
                    match shared.as_deref().map(super::session::Shared::pages) {
                        Some(Ok(pages)) => pages.get(&key).cloned().ok_or_else(String::new),
                        Some(Err(e)) => Err(e.clone()),
                        None => Err(String::new()),
                    }
                }
            };
            match bytes {
                Ok(bytes) => {
                    let body = if key.ends_with(".html") {
                        inject(&bytes, overlay.as_deref(), generation)
                    } else {
                        bytes
                    };
                    respond(request, 200, content_type(&key), body, None)
                }
                Err(e) => respond(
                    request,
                    500,
                    "text/plain; charset=utf-8",
                    e.into_bytes(),
                    None,
                ),
            }
        }
        Resolved::Redirect(to) => {
            drop(state);
            respond(
                request,
                301,
                "text/plain",
                Vec::new(),
                header("Location", &to),
            )
        }
        Resolved::NotFound => {
            let body = inject(&state.not_found, state.overlay.as_deref(), state.generation);
            drop(state);
            respond(request, 404, "text/html; charset=utf-8", body, None)
        }
        Resolved::BadRequest => {
            drop(state);
            respond(request, 400, "text/plain", b"bad request".to_vec(), None)
        }
    }
}

/// Adds the overlay (if any) and the reload script before `</body>`.
fn inject(page: &[u8], overlay: Option<&str>, generation: u64) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let extra = format!("{}{}", overlay.unwrap_or(""), reload_script(generation));
    match text.rfind("</body>") {
        Some(i) => {
            let mut out = String::with_capacity(text.len() + extra.len());
            out.push_str(text.get(..i).unwrap_or(""));
            out.push_str(&extra);
            out.push_str(text.get(i..).unwrap_or(""));
            out.into_bytes()
        }
        None => format!("{text}{extra}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(p: &str) -> bool {
        ["index.html", "plans/a/index.html", "static/style.css"].contains(&p)
    }

    #[test]
    fn paths_resolve_inside_the_site_only() {
        assert_eq!(resolve("/", site), Resolved::File("index.html".into()));
        assert_eq!(
            resolve("/plans/a/", site),
            Resolved::File("plans/a/index.html".into())
        );
        assert_eq!(
            resolve("/plans/a", site),
            Resolved::Redirect("/plans/a/".into())
        );
        assert_eq!(
            resolve("/static/style.css", site),
            Resolved::File("static/style.css".into())
        );
        assert_eq!(resolve("/nope", site), Resolved::NotFound);
        // A stray `%` is a character, not an escape.
        assert_eq!(resolve("/%zz", site), Resolved::NotFound);
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/plans/..%2f..%2fCargo.toml",
            "/a%5c..%5cb",
            "/%00",
            "/%ff",
            "/C:/Windows",
        ] {
            assert_eq!(resolve(bad, site), Resolved::BadRequest, "{bad}");
        }
    }

    #[test]
    fn html_gets_the_script_and_overlay_before_body_end() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>",
            Some("<div id=e></div>"),
            7,
        ))
        .unwrap();
        assert!(out.contains("<div id=e></div><script>"));
        assert!(out.contains("var g=7"));
        assert!(out.ends_with("</body></html>"));
    }
}
