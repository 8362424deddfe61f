//! The version bar of each page: the switcher and, on old versions, the
//! banner; and filling the version markers of a rendered page.

use super::*;

/// The version switcher and banner of each page.
pub(super) struct Nav<'a> {
    pub(super) versions: &'a [Version],
    /// Output paths each version has.
    pub(super) exists: &'a [HashSet<String>],
    pub(super) lang: Lang,
}

impl Nav<'_> {
    /// [`Nav::render`] through a cache: the switcher of a page only depends
    /// on its run of versions, its depth and which versions have it, so it
    /// is made once per such shape with a stand-in for the page path.
    pub(super) fn html(&self, run: Run, page: &str, cache: &mut HashMap<NavKey, String>) -> String {
        let depth = page.matches('/').count();
        // As deep as `page`, so that the relative links climb as far.
        let stand_in = format!("{}\u{E002}", "d/".repeat(depth));
        let has: Vec<bool> = self.exists.iter().map(|set| set.contains(page)).collect();
        cache
            .entry((*run.start(), *run.end(), depth, has))
            .or_insert_with_key(|(_, _, _, has)| self.render(run, &stand_in, has))
            .replace(&stand_in, page)
    }

    /// The switcher and banner for `page` written for the versions `run`
    /// (`has[w]`: version `w` has this page); nothing for the versions index
    /// (`run` out of range), which is the switcher itself. The text is the
    /// same for every version of the run and the links are relative, so one
    /// file serves them all.
    fn render(&self, run: Run, page: &str, has: &[bool]) -> String {
        let lang = self.lang;
        let (Some(newest), Some(oldest)) = (
            self.versions.get(*run.start()),
            self.versions.get(*run.end()),
        ) else {
            return String::new();
        };
        let depth = newest.prefix.matches('/').count() + page.matches('/').count();
        let up = "../".repeat(depth);
        // The same page in version `w`, or the versions index if it has none.
        let href = |w: usize| -> String {
            match (self.versions.get(w), has.get(w)) {
                (Some(version), Some(true)) => format!("{up}{}{page}", version.prefix),
                _ => format!("{up}versions/index.html"),
            }
        };
        let date = |v: &Version| v.date.map(|d| long_date(lang, d)).unwrap_or_default();
        let name = if run.start() == run.end() {
            esc(&oldest.label(lang))
        } else {
            let (from, to) = (esc(&oldest.label(lang)), esc(&newest.label(lang)));
            tr!(lang, "{from} 〜 {to}", "{from} – {to}")
        };
        let mut s = String::from("<div class=\"version-bar\"><div class=\"wrap\">");
        if newest.tag.is_some() {
            let see = esc(&label(lang, "see_latest"));
            let to_latest = href(0);
            if run.start() == run.end() {
                s.push_str(&tr!(
                    lang,
                    "<p class=\"version-banner\" role=\"note\">このページは <strong>{name}</strong>（{}）時点の版です。 <a href=\"{to_latest}\">{see}</a></p>",
                    "<p class=\"version-banner\" role=\"note\">You are viewing <strong>{name}</strong> ({}). <a href=\"{to_latest}\">{see}</a></p>",
                    date(oldest)
                ));
            } else {
                let (from, to) = (date(oldest), date(newest));
                let dates = if from == to {
                    from
                } else {
                    tr!(lang, "{from} 〜 {to}", "{from} – {to}")
                };
                s.push_str(&tr!(
                    lang,
                    "<p class=\"version-banner\" role=\"note\">このページは <strong>{name}</strong>（{dates}）の版の計画です。この間に変更はありません。 <a href=\"{to_latest}\">{see}</a></p>",
                    "<p class=\"version-banner\" role=\"note\">You are viewing <strong>{name}</strong> ({dates}); this plan did not change between them. <a href=\"{to_latest}\">{see}</a></p>"
                ));
            }
        }
        s.push_str(&format!(
            "<details class=\"version-switcher\"><summary>{}: <strong>{name}</strong></summary><ul>",
            esc(&label(lang, "version")),
        ));
        for (w, version) in self.versions.iter().enumerate() {
            // The run is one entry, at its newest version's place.
            if run.contains(&w) && w != *run.start() {
                continue;
            }
            let (text, dates, aria) = if w == *run.start() {
                let dates = match (oldest.date, newest.date) {
                    (Some(a), Some(b)) if a != b => format!("{a} – {b}"),
                    (Some(a), _) => a.to_string(),
                    _ => String::new(),
                };
                (name.clone(), dates, " aria-current=\"page\"")
            } else {
                let dates = version.date.map(|d| d.to_string()).unwrap_or_default();
                (esc(&version.label(lang)), dates, "")
            };
            let dates = if dates.is_empty() {
                dates
            } else {
                format!(" <span class=\"version-date\">{dates}</span>")
            };
            // The run's entry links to where its file was written first.
            let target = if w == *run.start() { *run.end() } else { w };
            s.push_str(&format!(
                "<li><a href=\"{}\"{aria}>{text}</a>{dates}</li>",
                href(target)
            ));
        }
        // The version's own "what changed" page, relative to the page so
        // that it is right in each version of the run.
        let within = "../".repeat(page.matches('/').count());
        s.push_str(&format!(
            "</ul></details> <a class=\"version-changes\" href=\"{within}changes/index.html\">{}</a> <a class=\"version-all\" href=\"{up}versions/index.html\">{}</a></div></div>",
            esc(&label(lang, "changes")),
            esc(&label(lang, "all_versions"))
        ));
        s
    }
}

/// Splits an HTML page at its markers into the pieces of the version's
/// page: the text between markers, the base URL, the switcher.
pub(super) fn fill<'t>(text: &'t str, base: &'t str, nav: &'t str) -> Vec<&'t [u8]> {
    let mut pieces = Vec::with_capacity(8);
    let mut rest = text;
    while let Some(i) = rest.find('\u{E000}') {
        let (head, tail) = rest.split_at(i);
        pieces.push(head.as_bytes());
        if let Some(after) = tail.strip_prefix(MARK_BASE) {
            pieces.push(base.as_bytes());
            rest = after;
        } else if let Some(after) = tail.strip_prefix(MARK_NAV) {
            pieces.push(nav.as_bytes());
            rest = after;
        } else {
            let (c, after) = tail.split_at('\u{E000}'.len_utf8());
            pieces.push(c.as_bytes());
            rest = after;
        }
    }
    pieces.push(rest.as_bytes());
    pieces
}

pub(super) fn plan_link(root: &str, id: &str, exists: bool) -> Option<String> {
    exists.then(|| format!("{root}plans/{id}/index.html"))
}
