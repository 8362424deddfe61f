//! Writing a versioned site: every version's plan pages (runs of
//! unchanged pages written once and hard-linked), each version's own files,
//! the versions index, and the search indexes, into a temporary directory
//! that is swapped in.

use super::*;
use crate::paths::SharedPage;

/// Writes every version into a temporary directory and swaps it in: the
/// plan pages with their markers filled ([`write_plan_pages`]), each
/// version's shared pages, `plans.json` and calendar from per-plan pieces,
/// `versions.json` and the versions index. Returns how many files there are
/// (a hard-linked page counts in each version).
pub(super) fn write_versions(
    built: &[Built],
    shared: &[crate::site::Files],
    env: &Env<'_>,
    indexes: impl FnOnce() -> Result<Vec<(String, Vec<u8>)>>,
) -> Result<usize> {
    let Env {
        renderers,
        rendered,
        fragments,
        opts,
        progress,
        lang,
    } = *env;
    // Which pages each version has, for the switcher.
    let versions: Vec<Version> = built.iter().map(|b| b.input.version.clone()).collect();
    let exists: Vec<HashSet<String>> = built
        .iter()
        .map(|b| {
            let mut set: HashSet<String> = b.pages.iter().map(|(p, _)| p.clone()).collect();
            for p in SharedPage::ALL.into_iter().filter(|p| p.is_page()) {
                if p != SharedPage::Search || b.search {
                    set.insert(p.path().to_string());
                }
            }
            set
        })
        .collect();
    // The bar comes from the working tree's theme (`version_nav.html`), so
    // that every version shows the same switcher.
    let latest = built
        .first()
        .context("no version to write")
        .and_then(|b| renderer_for(renderers, b))?;
    let nav = Nav {
        versions: &versions,
        exists: &exists,
        lang,
        renderer: latest,
        errors: std::sync::Mutex::new(Vec::new()),
        cache: std::sync::Mutex::new(HashMap::new()),
    };

    // The per-plan calendar events, each made once.
    let mut seen = HashSet::new();
    for b in built {
        let fresh: Vec<&PlanFile> = b
            .plans
            .iter()
            .filter(|p| seen.insert(p.key))
            .map(|p| p.as_ref())
            .collect();
        if let Some(r) = renderers.get(&renderer_key(b)) {
            let base = format!("{}{}", opts.base_url, b.input.version.prefix);
            r.warm_fragments(&fresh, &base, fragments);
        }
    }
    let t = crate::timing::Timer::start();
    let staging = Staging::new(&opts.out)?;
    let pages = write_plan_pages(built, rendered, &nav, &staging, &opts.base_url, lang)?;
    t.lap("write: plan pages");
    let counts: Vec<usize> = built
        .par_iter()
        .enumerate()
        .map(|(vi, b)| {
            let r = renderer_for(renderers, b)?;
            let base = format!("{}{}", opts.base_url, b.input.version.prefix);
            let base_html = esc(&base);
            let files = shared.get(vi).context("shared pages")?;
            let prefix = &b.input.version.prefix;
            let mut json = staging.create(&format!("{prefix}plans.json"))?;
            r.write_plans_json(&b.plans, &mut json)?;
            json.flush()?;
            let mut cal = staging.create(&format!("{prefix}calendar.ics"))?;
            r.write_calendar(&b.plans, &base, Some(fragments), &mut cal)?;
            cal.flush()?;
            let mut n = 2;
            for (path, bytes) in files {
                let target = format!("{prefix}{path}");
                if path.ends_with(".html") {
                    let nav_html = nav.html(vi..=vi, path, &nav.has(path));
                    staging.write_pieces(&target, &fill(bytes, &base_html, &nav_html))?;
                } else {
                    staging.write(&target, bytes)?;
                }
                n += 1;
            }
            progress.step(format!("wrote {}", b.input.version.label(lang)));
            Ok(n)
        })
        .collect::<Result<_>>()?;

    t.lap("write: each version's own files");
    // The index of versions.
    let latest = built.first().context("latest version")?;
    let r = renderer_for(renderers, latest)?;
    let page = versions_page(r, built, lang)?;
    let base_html = esc(&opts.base_url);
    staging.write_pieces(crate::paths::VERSIONS_PAGE, &fill(&page, &base_html, ""))?;
    staging.write("versions.json", versions_json(built).as_bytes())?;
    if let Some(e) = nav.errors.lock().ok().and_then(|e| e.first().cloned()) {
        anyhow::bail!("the version bar (version_nav.html) does not render: {e}");
    }
    // The search indexes of the versions written (one left out above
    // has none).
    let mut indexed = 0;
    for (path, bytes) in indexes()? {
        if built.iter().any(|b| {
            b.search
                && path
                    .strip_prefix(&b.input.version.prefix)
                    .is_some_and(|p| p.starts_with("pagefind/"))
        }) {
            staging.write(&path, &bytes)?;
            indexed += 1;
        }
    }
    t.lap("write: search indexes");
    staging.commit()?;
    Ok(pages + counts.iter().sum::<usize>() + 2 + indexed)
}

/// Writes every version's plan pages: the latest's at the root, and the
/// old versions' once per run of consecutive versions that have the same
/// page (same key, same depth), hard-linked into the others. Returns how
/// many page files there are.
pub(super) fn write_plan_pages(
    built: &[Built],
    rendered: &Rendered,
    nav: &Nav<'_>,
    staging: &Staging,
    base_url: &str,
    lang: Lang,
) -> Result<usize> {
    // Each path's (version, key), oldest version first.
    let mut by_path: BTreeMap<&str, Vec<(usize, u64)>> = BTreeMap::new();
    for (vi, b) in built.iter().enumerate().rev() {
        for (path, key) in &b.pages {
            by_path.entry(path.as_str()).or_default().push((vi, *key));
        }
    }
    let depth = |vi: usize| {
        built
            .get(vi)
            .map_or(0, |b| b.input.version.prefix.matches('/').count())
    };
    // Every version's page directories first, one version per thread: the
    // pages below then go into existing directories, and no two threads
    // create entries in the same directory at once.
    built.par_iter().try_for_each(|b| {
        let prefix = &b.input.version.prefix;
        let mut dirs: Vec<String> = Vec::new();
        for (path, _) in &b.pages {
            let mut at = 0;
            while let Some(i) = path.get(at..).and_then(|rest| rest.find('/')) {
                dirs.push(format!(
                    "{prefix}{}",
                    path.get(..at + i).unwrap_or_default()
                ));
                at += i + 1;
            }
        }
        dirs.sort();
        dirs.dedup();
        if !prefix.is_empty() {
            staging.dirs([prefix.trim_end_matches('/')])?;
        }
        staging.dirs(dirs.iter().map(String::as_str))
    })?;
    // Each run with which versions have its page (from the page's own list,
    // not a lookup per version).
    let runs: Vec<(&str, u64, Run, Arc<Vec<bool>>)> = by_path
        .iter()
        .flat_map(|(path, seen)| {
            let mut has = vec![false; built.len()];
            for (vi, _) in seen.iter() {
                if let Some(h) = has.get_mut(*vi) {
                    *h = true;
                }
            }
            let has = Arc::new(has);
            runs_of(seen, depth)
                .into_iter()
                .map(move |(key, run)| (*path, key, run, Arc::clone(&has)))
        })
        .collect();
    runs.par_iter()
        .map(|(path, key, run, has)| {
            let oldest = built.get(*run.end()).context("version index")?;
            let page = match rendered.get(key) {
                Some(Ok(page)) => page,
                _ => anyhow::bail!(
                    "a page of {} did not render",
                    oldest.input.version.label(lang)
                ),
            };
            // The canonical URL is where the run's file is written.
            let base_html = esc(&format!("{base_url}{}", oldest.input.version.prefix));
            let nav_html = nav.html(run.clone(), path, has);
            let first = format!("{}{path}", oldest.input.version.prefix);
            staging.write_pieces(&first, &fill(page, &base_html, &nav_html))?;
            for vi in run.clone().rev().skip(1) {
                let b = built.get(vi).context("version index")?;
                staging.link(&first, &format!("{}{path}", b.input.version.prefix))?;
            }
            Ok(run.clone().count())
        })
        .sum()
}

/// Splits the versions that have a page (`(version, key)`, oldest first)
/// into runs that can share one file: consecutive old versions with the
/// same key at the same depth (`depth(v)`: how many directories deep the
/// version's prefix is). The latest version (0) is always a run of its own.
pub(super) fn runs_of(seen: &[(usize, u64)], depth: impl Fn(usize) -> usize) -> Vec<(u64, Run)> {
    let mut out: Vec<(u64, Run)> = Vec::new();
    for &(vi, key) in seen {
        match out.last_mut() {
            Some((k, run))
                if *k == key && vi > 0 && *run.start() == vi + 1 && depth(vi) == depth(vi + 1) =>
            {
                *run = vi..=*run.end();
            }
            _ => out.push((key, vi..=vi)),
        }
    }
    out
}

/// The versions a written page stands for: indexes into the versions
/// (newest first), `newest..=oldest`. A plan page that is the same in
/// consecutive old versions is written once for all of them.
pub(super) type Run = std::ops::RangeInclusive<usize>;

/// The shape a switcher depends on: its run, the page's depth, and which
/// versions have the page.
pub(super) type NavKey = (usize, usize, usize, Vec<bool>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_join_consecutive_old_versions_with_the_same_page() {
        let flat = |_: usize| 2;
        // Versions 4..1 old (4 oldest), 0 the latest; the same key in all.
        let all: Vec<(usize, u64)> = (0..5).rev().map(|v| (v, 7)).collect();
        assert_eq!(runs_of(&all, flat), [(7, 1..=4), (7, 0..=0)]);
        // A change at version 2 splits the run; a gap (no page at 3) too.
        let seen = [(5, 1), (4, 1), (2, 1), (1, 2), (0, 2)];
        assert_eq!(
            runs_of(&seen, flat),
            [(1, 4..=5), (1, 2..=2), (2, 1..=1), (2, 0..=0)]
        );
        // A tag with a slash is deeper: its page cannot be shared.
        let deeper = |v: usize| if v == 2 { 3 } else { 2 };
        assert_eq!(
            runs_of(&all, deeper),
            [(7, 3..=4), (7, 2..=2), (7, 1..=1), (7, 0..=0)]
        );
    }
}
