//! Solvers, one file per algorithm family, under Gambit's names.

pub mod enummixed;
pub mod enumpure;
pub mod lcp;
pub mod linear;
pub mod lemke;
pub mod lp;
pub mod tableau;
