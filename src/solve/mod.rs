//! Solvers, one file per algorithm family, under Gambit's names.

pub mod basis_search;
pub mod bit_set;
pub mod enummixed;
pub mod enumpure;
pub mod int_tableau;
pub mod lcp;
pub mod lp;
pub mod narrow_int;
pub mod partner;
pub mod tableau_entry;
#[cfg(test)]
pub mod test_linear;
pub mod vertex_enum;
pub mod wide_int;
