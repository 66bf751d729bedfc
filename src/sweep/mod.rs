//! Parameter sweeps, uncertainty and sensitivity for the patron–client model
//! (`docs/spec.md`, layer 4: every parameter's plausible range feeds these).
//!
//! A sweep solves the model at many points, each a set of parameter values: a full grid
//! ([`grid`]) or uniform Monte Carlo draws ([`monte_carlo`]). Each point becomes a row of named
//! cells ([`columns`]), computed on all cores and written in point order as rows finish
//! ([`engine`], [`writer`], [`run`]), so an interrupted sweep leaves a valid file that `--resume`
//! finishes. Shards ([`shard`]) split one sweep across jobs and [`merge`] joins them, checked
//! against the metadata sidecar ([`meta`]). Monte Carlo rows are summarised by exact quantiles
//! ([`quantiles`]); [`sensitivity`] gives one-at-a-time swings and variance-based Sobol indices
//! ([`sobol`]). Every random number comes from a stream fixed by (seed, point) ([`rng`]), so
//! results do not depend on the number of threads, the sharding or resuming.
//!
//! User guide: `docs/sweeps.md`.

pub mod columns;
pub mod engine;
pub mod flatten;
pub mod grid;
pub mod merge;
pub mod meta;
pub mod monte_carlo;
pub mod plan;
pub mod quantiles;
pub mod rng;
pub mod run;
pub mod sensitivity;
pub mod shard;
pub mod sobol;
pub mod vary;
pub mod writer;
