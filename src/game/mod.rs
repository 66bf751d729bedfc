//! Game representations. Solvers depend on these types, never the reverse.

pub mod bayesian;
pub mod dominance;
pub mod integer_payoffs;
pub mod qre;
pub mod random;
pub mod reduced;
pub mod regret;
pub mod strategic;
pub mod tree;

pub use integer_payoffs::IntegerPayoffs;
pub use regret::{certify_exact, certify_float, Certified, Equilibrium};
pub use strategic::StrategicGame;
