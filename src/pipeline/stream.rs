//! The one-shot mode of the driver (`planbook build`): one pass over the
//! plans — each parsed, checked and its pages written as soon as it is
//! ready — then the shared pages and the atomic swap of the output
//! directory. The site layer renders; this module drives it
//! (ARCHITECTURE.md, "Pipeline").

use std::collections::{BTreeMap, HashSet};
use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Result, bail};
use rayon::prelude::*;

use super::Run;
use super::pages::{PlanJob, PlanPage};
use crate::diag::{Diagnostic, Severity};
use crate::git::Histories;
use crate::load::Detail;
use crate::model::PlanFile;
use crate::site::{BuildOptions, Renderer, can_have_page, publishable};
use crate::summary::PlanSummary;

/// Lints the plans of a working-tree run ([`Run::open`]) and writes the site to `opts.out` atomically, in
/// one pass over the plans: a few hundred at a time are parsed and checked
/// in parallel, their pages rendered and written, their `plans.json`
/// entries and calendar events appended in file order, and then each is
/// cut down to what the shared pages read (its [`PlanSummary`]). Memory stays flat
/// however many plans there are.
///
/// Pages are rendered with each plan's own findings; PLN002 (a shared id)
/// is the only rule that looks across plans, so the plans that share an
/// id get their page again at the end, with every finding. With lint
/// errors nothing is written (`None`): the temporary directory goes;
/// unless `allow_invalid`, which writes every plan, the invalid ones in
/// the `invalid` state with their findings.
/// `histories` maps plan files to their git history (`None`: not a git
/// repository). Returns the diagnostics and how many files were written.
pub(crate) fn write_site(
    run: &Run,
    histories: Option<&Histories>,
    opts: &BuildOptions,
    allow_invalid: bool,
) -> Result<(Vec<Diagnostic>, Option<usize>)> {
    let timer = crate::timing::Timer::start();
    let repo = &run.repo;
    let config = &repo.config;
    let r = Renderer::new(&repo.root, config, opts)?;
    let staging = crate::site::write::Staging::new(&opts.out)?;
    // Writes a plan's pages; returns the plan page for the search index.
    let write_page = |f: &PlanFile, d: &[&Diagnostic]| -> Result<Option<Vec<u8>>> {
        let history = crate::git::history_of(histories, &f.plan.file);
        let mut plan_page = None;
        for job in PlanJob::unkeyed(f, d, history) {
            let page = job.render(&r)?;
            staging.write(&job.path, &page)?;
            if job.kind == PlanPage::Plan && opts.search {
                plan_page = Some(page);
            }
        }
        Ok(plan_page)
    };
    // Indexed on a thread of its own as the pages come (in file order).
    let cache = crate::search::Cache::of(config, &repo.root)
        .filter(|_| opts.search)
        .map(std::sync::Arc::new);
    let search = match opts.search {
        true => Some(crate::search::Background::start(
            config.lang(),
            cache.clone(),
        )?),
        false => None,
    };
    let mut json = crate::plans_json::PlansJson::new(staging.create("plans.json")?);
    let mut cal = staging.create("calendar.ics")?;
    cal.write_all(crate::site::calendar::head(config).as_bytes())?;
    let mut plans: Vec<PlanSummary> = Vec::with_capacity(repo.paths.len());
    let mut checked = Vec::with_capacity(repo.paths.len());
    let mut seen: HashSet<String> = HashSet::new();
    let mut shared_ids: Vec<String> = Vec::new();
    // Set once a plan has a lint error: the build will write nothing, so
    // the rest are only checked, and the errors come as fast as `lint`.
    let failing = std::sync::atomic::AtomicBool::new(false);
    // One plan: parsed, checked, its page written; its calendar events.
    let one = |path: &PathBuf| -> Result<Done> {
        use std::sync::atomic::Ordering::Relaxed;
        let (f, c) = run.check_one(path, Detail::Full);
        if !can_have_page(&f.plan.id) {
            return Ok((f, c, None));
        }
        // A plan's own findings are final but for PLN002, which only adds.
        let d = crate::lint::plan_diagnostics(&c, config);
        if !allow_invalid && d.iter().any(|d| d.severity == Severity::Error) {
            failing.store(true, Relaxed);
        }
        if failing.load(Relaxed) {
            return Ok((f, c, None));
        }
        let page = write_page(&f, &d.iter().collect::<Vec<_>>())?;
        // Made ready for the index here, on every core (cut, hashed, looked
        // up in the cache), and handed over in file order below.
        let page = match (&search, page) {
            (Some(index), Some(page)) => {
                Some(index.prepare(format!("/{}", PlanPage::Plan.path(&f.plan.id)), &page))
            }
            _ => None,
        };
        let events = r.calendar_fragment(&f, &opts.base_url, None);
        Ok((f, c, Some((events, page))))
    };
    // Then, in file order: its plans.json entry and events appended, the
    // plan's summary kept for the shared pages.
    let mut keep = |(f, c, written): Done| -> Result<()> {
        if let Some((events, page)) = written {
            // The first plan with an id gets the page (`publishable`).
            if seen.insert(f.plan.id.clone()) {
                json.entry(&r.json_fragment(&f))?;
                cal.write_all(events.as_bytes())?;
                if let (Some(index), Some(page)) = (&search, page) {
                    index.add(page);
                }
            } else {
                shared_ids.push(f.plan.id.clone());
            }
        }
        plans.push(PlanSummary::of(&f, opts.today));
        checked.push(c);
        Ok(())
    };
    in_order(&repo.paths, one, &mut keep)?;
    json.finish()?.flush()?;
    cal.write_all(crate::site::calendar::END.as_bytes())?;
    cal.flush()?;
    timer.lap("load, lint and plan pages");
    let diags = run.finish(checked);
    if !allow_invalid && diags.iter().any(|d| d.severity == Severity::Error) {
        return Ok((diags, None));
    }
    // Plans that share an id wrote the same page: the first one's again,
    // with the PLN002 findings.
    let by_plan = crate::lint::by_plan(&diags);
    for p in publishable(&plans) {
        if shared_ids.contains(&p.plan.id) {
            let (f, _) = run.check_one(&repo.root.join(&p.plan.file), Detail::Full);
            let d = by_plan
                .get(f.plan.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            write_page(&f, d)?;
        }
    }
    let shared = r.shared_pages(
        &plans,
        repo.index_page.as_deref(),
        &diags,
        &opts.base_url,
        None,
    )?;
    staging.write_all(&shared)?;
    timer.lap("shared pages");
    let mut search_files = 0;
    if let Some(index) = search {
        let files = index.finish()?;
        search_files = files.len();
        for (path, bytes) in &files {
            staging.write(path, bytes)?;
        }
        timer.lap("search index");
        if let Some(cache) = &cache {
            cache.sweep();
            let (found, parsed) = cache.counts();
            timer.lap(&format!(
                "search cache: {found} pages found, {parsed} parsed"
            ));
        }
    }
    staging.commit()?;
    timer.lap("swap");
    Ok((
        diags,
        Some(shared.len() + 2 + PlanPage::ALL.len() * seen.len() + search_files),
    ))
}

/// A plan of [`write_site`] once its page is written: the plan, its
/// per-plan findings, and, if it has a page, its calendar events and (with
/// search) its page ready for the index.
type Done = (
    PlanFile,
    crate::lint::Checked,
    Option<(std::sync::Arc<str>, Option<crate::search::Prepared>)>,
);

/// Runs `work` on every item in parallel and hands the results to `keep`
/// in item order as they come, without waiting for the slowest: rayon
/// takes the items roughly in order (`par_bridge`), so only a few results
/// wait for an earlier one. Stops at the first error.
fn in_order<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> Result<R> + Sync,
    keep: &mut impl FnMut(R) -> Result<()>,
) -> Result<()> {
    use rayon::iter::ParallelBridge;
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Result<R>)>(64);
    let work = &work;
    std::thread::scope(|scope| {
        let producer = scope.spawn(move || {
            items
                .iter()
                .enumerate()
                .par_bridge()
                .try_for_each_with(tx, |tx, (i, item)| tx.send((i, work(item))))
        });
        let mut next = 0;
        let mut waiting: BTreeMap<usize, Result<R>> = BTreeMap::new();
        let mut outcome = Ok(());
        for (i, result) in rx {
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&next) {
                next += 1;
                if outcome.is_ok() {
                    outcome = result.and_then(&mut *keep);
                }
            }
            if outcome.is_err() {
                // Dropping the receiver stops the producer at its next send.
                break;
            }
        }
        match producer.join() {
            // A panic in `work` is a bug: pass it on, never a site with
            // plans missing.
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(_) if outcome.is_ok() && next != items.len() => {
                bail!("only {next} of {} plans were processed", items.len())
            }
            Ok(_) => outcome,
        }
    })
}

/// The one-shot mode for a document that stands alone (`planbook report
/// --format html`): every report on one page, as of `until`, with the
/// theme of the run's repository and no search.
pub(crate) fn report_document(
    run: &Run,
    until: chrono::NaiveDate,
    reports: &[crate::report::PlanReport<'_>],
    since: &str,
    git: bool,
) -> Result<Vec<u8>> {
    let config = run.config();
    let opts = BuildOptions {
        out: PathBuf::new(),
        base_url: crate::site::normalize_base_url(&config.site.base_url),
        today: until,
        build_date: None,
        versioned: false,
        search: false,
    };
    let r = Renderer::new(&run.repo.root, config, &opts)?;
    r.report_document(reports, since, git)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_keeps_item_order_and_stops_at_the_first_error() {
        let items: Vec<u64> = (0..500).collect();
        // Uneven work, so that results come back out of order.
        let work = |n: &u64| -> Result<u64> {
            std::thread::sleep(std::time::Duration::from_micros((n * 7919) % 200));
            Ok(n * 2)
        };
        let mut seen = Vec::new();
        in_order(&items, work, &mut |r| {
            seen.push(r);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, items.iter().map(|n| n * 2).collect::<Vec<_>>());

        let failing = |n: &u64| -> Result<u64> {
            if *n == 300 {
                bail!("plan 300 failed")
            }
            Ok(*n)
        };
        let mut kept = 0;
        let err = in_order(&items, failing, &mut |_| {
            kept += 1;
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "plan 300 failed");
        assert_eq!(kept, 300, "everything before the failure, nothing after");
    }

    #[test]
    #[should_panic(expected = "a bug")]
    fn in_order_passes_panics_on() {
        let items = [1, 2, 3];
        let _ = in_order(
            &items,
            |n: &i32| -> Result<i32> {
                if *n == 2 {
                    panic!("a bug");
                }
                Ok(*n)
            },
            &mut |_| Ok(()),
        );
    }
}
