// mimalloc: parsing thousands of plans on all cores is allocation-heavy, and
// glibc's allocator spends a sixth of a large lint in malloc/free under threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    planbook::cli::main()
}
