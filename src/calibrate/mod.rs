//! Calibration and backtest: the model held against the truces that actually happened (issue #13).
//!
//! [`data`] reads observed truces (start, break or censoring week, dyads, scenario, policy set),
//! [`likelihood`] turns the ceasefire chain's survival curve into the probability of each outcome.

pub mod data;
pub mod likelihood;
