//! planbook turns ML Enablement Workshop action plans (markdown with YAML
//! frontmatter) into lint findings and a static site.
//!
//! The pipeline is load → parse → lint → render → write; see ARCHITECTURE.md.

// User input must never panic the program (SECURITY.md): no unwrap, expect
// or indexing outside tests.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]
// The library is planbook's own: `pub` is what the binary, the tests, the
// benches and the fuzz targets use, everything else is `pub(crate)` so that
// rustc reports dead code; `unreachable_pub` (denied in CI through
// clippy's `-D warnings`) keeps it so. Its documentation is for maintainers and links
// crate-private items freely: read it with
// `cargo doc --no-deps --document-private-items`.
#![allow(rustdoc::private_intra_doc_links)]
#![warn(unreachable_pub)]

pub mod cli;
pub(crate) mod cmd;
pub mod config;
pub(crate) mod diag;
pub(crate) mod diff;
pub(crate) mod edit;
pub mod frontmatter;
pub(crate) mod git;
pub(crate) mod html;
pub(crate) mod i18n;
pub(crate) mod labels;
pub(crate) mod ledger;
pub mod lint;
pub mod load;
pub(crate) mod model;
pub(crate) mod num;
pub(crate) mod paths;
pub mod pipeline;
pub(crate) mod plans_json;
pub(crate) mod progress;
pub(crate) mod report;
pub(crate) mod revision;
pub mod rules;
pub(crate) mod schema;
pub(crate) mod search;
pub mod serve;
pub mod site;
pub(crate) mod state;
pub(crate) mod suggest;
pub(crate) mod summary;
pub(crate) mod template;
#[cfg(test)]
mod testing;
pub(crate) mod timing;
pub(crate) mod versions;
pub mod yaml;
