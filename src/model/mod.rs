//! The patron–client domain (`docs/spec.md`). Depends on the engine, never the reverse.

pub(crate) mod chain;
pub(crate) mod dyad;
pub(crate) mod export;
pub(crate) mod file;
pub(crate) mod logit;
pub(crate) mod params;
pub(crate) mod paths;
pub(crate) mod patron_game;
pub(crate) mod solve;
pub(crate) mod spec_defaults;

pub use chain::{run_chain, weekly_chances, ChainClient, WeeklyChances};
pub use dyad::box_lp::{BoxLp, HalfSpace, LpBackend};
pub use dyad::stackelberg::{optimal_policy, solve_dyad, DyadSolution};
pub use dyad::DyadGame;
pub use export::dyad_tree;
pub use file::{load_model, parse_model, ModelSpec};
pub use logit::{logit_mixtures, logit_value, mixed_chain_client, optimal_logit_policy};
pub use params::*;
pub use paths::ParamPath;
pub use solve::{solve_model, solve_model_with, ModelSolution, SolveOptions};
pub use spec_defaults::{spec_model, SpecScenario};
