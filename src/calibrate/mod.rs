//! Calibration and backtest: the model held against the truces that actually happened (issue #13).
//!
//! [`data`] reads observed truces (start, break or censoring week, dyads, scenario, policy set),
//! [`likelihood`] turns the ceasefire chain's survival curve into the probability of each outcome,
//! and [`infer`] is the generic inference engine (importance sampling, SMC, summaries, LOO, SBC).

pub mod data;
pub mod infer;
pub mod likelihood;
