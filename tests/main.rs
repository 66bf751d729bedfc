//! patron's integration tests, in one test binary (`autotests = false` in Cargo.toml): each file
//! of `tests/` is a module here, so the crate is linked once rather than once per file.
//!
//! Run one file's tests with a module filter, e.g. `cargo test --test main gnm::`. The slow,
//! release-only checks are `#[ignore]`d: `cargo test --release --test main -- --ignored`.

mod common;
mod serving;

mod calibrate;
mod calibrate_cli;
mod calibrate_data;
mod calibrate_posterior;
mod calibrate_sbc;
mod cli;
mod cli_approximate;
mod cli_flags;
mod cli_logit;
mod conformance;
mod correlated;
mod docs;
mod enumpoly;
mod explorer_browser;
mod fuzz_regressions;
mod gnm;
mod gnm_generic_neighbours;
mod gnm_index;
mod io_corpus;
mod ipa;
mod lcp_random;
mod liap;
mod liap_agent;
mod limits;
mod logit;
mod logit_estimate;
mod model_export;
mod model_file;
mod model_logit;
mod model_reference;
mod plot;
mod properties;
mod serve_api;
mod simpdiv;
mod stackelberg;
mod sweep;
mod tree_agent;
mod tree_corpus;
mod tree_gnm;
mod tree_logit;
mod tree_solvers;
