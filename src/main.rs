// mimalloc: parsing thousands of plans on all cores is allocation-heavy, and
// glibc's allocator spends a sixth of a large lint in malloc/free under threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    no_huge_pages();
    planbook::cli::main()
}

/// Turns transparent huge pages off for this process. mimalloc asks for
/// them, and every huge page the kernel hands over is 2 MiB it must zero
/// first, again after each purge: on a 10k build that was a tenth of the
/// samples (the kernel's `clear_page_erms`); off, system time went from
/// 5.6 to 2.2 s and the peak down by 150 MB (bench/RESULTS.md, "no huge
/// pages"). mimalloc's own option comes too late: it reserves its first
/// arena before `main`.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes an integer and touches no memory of
    // ours; if the kernel refuses, nothing changes and nothing is wrong.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
