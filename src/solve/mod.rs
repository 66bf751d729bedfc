//! Solvers, one file per algorithm family, under Gambit's names.

pub mod approximate;
pub mod bayesian;
pub mod correlated;
pub mod deadline;
pub mod enummixed;
pub mod enumpoly;
pub mod enumpure;
pub mod enumpure_agent;
pub mod exact_lp;
pub mod gnm;
pub mod integer_system;
pub mod ipa;
pub mod lcp;
pub mod lemke;
pub mod liap;
pub mod linear;
pub mod logit;
pub mod lp;
pub mod method;
pub mod polish;
pub mod sequence_lcp;
pub mod sequence_lp;
pub mod simpdiv;
pub mod simplex;
pub mod spe;
pub mod stackelberg;
pub mod tableau;
pub mod tree_method;

#[cfg(test)]
pub mod test_linear;
