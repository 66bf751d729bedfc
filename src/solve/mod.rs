//! Solvers, one file per algorithm family, under Gambit's names.

pub mod approximate;
pub mod correlated;
pub mod deadline;
pub mod enummixed;
pub mod enumpoly;
pub mod enumpure;
pub mod enumpure_agent;
pub mod gnm;
pub mod ipa;
pub mod lcp;
pub mod liap;
pub mod linalg;
pub mod logit;
pub mod lp;
pub mod method;
pub mod polish;
pub mod simpdiv;
pub mod spe;
pub mod stackelberg;
pub mod tree_method;
