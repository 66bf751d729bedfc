//! Solvers, one file per algorithm family, under Gambit's names.

pub mod enummixed;
pub mod enumpure;
pub mod lcp;
pub mod linear;
pub mod lemke;
pub mod lp;
pub mod method;
pub mod sequence_lcp;
pub mod sequence_lp;
pub mod spe;
pub mod tableau;
pub mod tree_method;
