//! planbook turns ML Enablement Workshop action plans (markdown with YAML
//! frontmatter) into lint findings and a static site.
//!
//! The pipeline is load → parse → lint → render → write; see ARCHITECTURE.md.

pub mod cli;
pub mod config;
pub mod diag;
pub mod frontmatter;
pub mod i18n;
pub mod lint;
pub mod load;
pub mod model;
pub mod schema;
pub mod serve;
pub mod site;
pub mod suggest;
pub mod template;
pub mod yaml;
