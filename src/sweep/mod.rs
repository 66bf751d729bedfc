//! Parameter sweeps, uncertainty and sensitivity for the patron–client model
//! (`docs/spec.md`, layer 4: every parameter's plausible range feeds these).
//!
//! A sweep solves the model at many points, each a set of parameter values: a full grid
//! (`grid`) or uniform Monte Carlo draws (`monte_carlo`). Each point becomes a row of named
//! cells (`columns`), computed on all cores and written in point order as rows finish
//! (`engine`, `writer`, `run`), so an interrupted sweep leaves a valid file that `--resume`
//! finishes. Shards (`shard`) split one sweep across jobs and `merge` joins them, checked
//! against the metadata sidecar (`meta`). Monte Carlo rows are summarised by exact quantiles
//! (`quantiles`); `sensitivity` gives one-at-a-time swings and variance-based Sobol indices
//! (`sobol`). Every random number comes from a stream fixed by (seed, point) (`rng`), so
//! results do not depend on the number of threads, the sharding or resuming.
//!
//! User guide: `docs/sweeps.md`.

pub(crate) mod columns;
pub(crate) mod engine;
pub(crate) mod flatten;
pub(crate) mod grid;
pub(crate) mod merge;
pub(crate) mod meta;
pub(crate) mod monte_carlo;
pub(crate) mod plan;
pub(crate) mod quantiles;
pub(crate) mod rng;
pub(crate) mod run;
pub(crate) mod sensitivity;
pub(crate) mod shard;
pub(crate) mod sobol;
pub(crate) mod vary;
pub(crate) mod writer;

pub use columns::{Cell, OutputParts};
pub use engine::{progress_bar, run_in_order};
pub use monte_carlo::MonteCarlo;
pub use plan::{Design, Evaluator, Plan};
pub use rng::PointRng;
pub use sobol::Saltelli;
pub use vary::{all_ranged, Bounds, VarySpec};
pub use writer::{Encoder, FileFormat};
