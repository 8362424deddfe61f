//! One integration-test binary (links once): a module per area.

mod adversarial;
mod architecture;
mod ci;
mod cli;
#[path = "../../benches/corpus.rs"]
mod corpus;
mod cycle;
mod hostile;
mod layout;
mod record;
mod release;
mod rules;
mod rules_v2;
mod search;
mod serve;
mod site;
mod states;
mod support;
mod versions;
mod yaml_fast;
