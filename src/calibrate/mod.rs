//! Calibration and backtest: the model held against the truces that actually happened (issue #13).
//!
//! `data` reads observed truces (start, break or censoring week, dyads, scenario, policy set),
//! `likelihood` turns the ceasefire chain's survival curve into the probability of each outcome,
//! `problem` makes the likelihood a function of the free parameters, `infer` is the generic
//! inference engine (importance sampling, SMC, summaries, LOO, SBC), and `predictive` gives the
//! prior and posterior predictive bands; `shards` splits importance sampling across machines.

pub(crate) mod data;
pub(crate) mod density;
pub(crate) mod infer;
pub(crate) mod likelihood;
pub(crate) mod predictive;
pub(crate) mod problem;
pub(crate) mod shards;

pub use data::{load_truces, parse_truces, Outcome, PolicySet};
pub use infer::{
    importance_sample, posterior, sbc, smc, summarise, Dimension, ImportanceConfig, Posterior,
    PosteriorConfig, SbcConfig, SbcReport, SmcConfig, UniformBox,
};
pub use likelihood::{DataFit, TruceSet};
pub use problem::Calibration;
