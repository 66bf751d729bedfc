//! Linear programming for two-player zero-sum games: the minimax LP of a strategic game
//! ([`strategic`]) and the sequence-form LP of a tree with perfect recall ([`sequence`];
//! Koller, Megiddo & von Stengel 1996).

pub(crate) mod sequence;
pub(crate) mod strategic;

pub use strategic::{lp, ZeroSumSolution};
