//! Solvers, one file per algorithm family, under Gambit's names.

pub mod bayesian;
pub mod correlated;
pub mod enummixed;
pub mod enumpure;
pub mod exact_lp;
pub mod lcp;
pub mod linear;
pub mod logit;
pub mod lp;
pub mod stackelberg;
