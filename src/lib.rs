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

pub mod build;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod diag;
pub mod diff;
pub mod edit;
pub mod frontmatter;
pub mod git;
pub mod html;
pub mod i18n;
pub mod labels;
pub mod ledger;
pub mod lint;
pub mod load;
pub mod model;
pub mod num;
pub mod paths;
pub mod pipeline;
pub mod plans_json;
pub mod progress;
pub mod report;
pub mod revision;
pub mod rules;
pub mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub mod state;
pub mod suggest;
pub mod template;
#[cfg(test)]
mod testing;
pub mod timing;
pub mod versions;
pub mod yaml;
