//! Solvers, one file per algorithm family, under Gambit's names.

pub mod bit_set;
pub mod enummixed;
pub mod enumpure;
pub mod int_tableau;
pub mod lcp;
pub mod linear;
pub mod lemke;
pub mod lp;
pub mod method;
pub mod partner;
pub mod sequence_lcp;
pub mod sequence_lp;
pub mod spe;
pub mod tableau;
pub mod tableau_entry;
#[cfg(test)]
pub mod test_linear;
pub mod tree_method;
pub mod vertex_enum;
pub mod wide_int;
