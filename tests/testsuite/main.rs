//! One integration-test binary (links once): a module per area.

mod adversarial;
mod ci;
mod cli;
mod hostile;
mod rules;
mod serve;
mod site;
mod support;
mod versions;
mod yaml_fast;
