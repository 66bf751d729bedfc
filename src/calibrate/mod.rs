//! Calibration and backtest: the model held against the truces that actually happened (issue #13).
//!
//! [`data`] reads observed truces (start, break or censoring week, dyads, scenario, policy set),
//! [`likelihood`] turns the ceasefire chain's survival curve into the probability of each outcome,
//! [`problem`] makes the likelihood a function of the free parameters, [`infer`] is the generic
//! inference engine (importance sampling, SMC, summaries, LOO, SBC), and [`predictive`] gives the
//! prior and posterior predictive bands; [`shards`] splits importance sampling across machines.

pub mod data;
pub mod density;
pub mod infer;
pub mod likelihood;
pub mod predictive;
pub mod problem;
pub mod shards;
