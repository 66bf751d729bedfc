//! Solvers, one file per algorithm family, under Gambit's names.

pub mod basis_search;
pub mod bayesian;
pub mod bit_set;
pub mod correlated;
pub mod deadline;
pub mod enummixed;
pub mod enumpure;
pub mod exact_lp;
pub mod int_tableau;
pub mod lcp;
pub mod lemke;
pub mod linear;
pub mod logit;
pub mod lp;
pub mod method;
pub mod narrow_int;
pub mod partner;
pub mod sequence_lcp;
pub mod sequence_lp;
pub mod spe;
pub mod stackelberg;
pub mod tableau;
pub mod tableau_entry;
pub mod tree_method;
pub mod vertex_enum;
pub mod wide_int;

#[cfg(test)]
pub mod test_linear;
