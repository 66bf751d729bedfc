//! The patron–client domain (`docs/spec.md`). Depends on the engine, never the reverse.

pub mod chain;
pub mod dyad;
pub mod export;
pub mod file;
pub mod logit;
pub mod params;
pub mod paths;
pub mod patron_game;
pub mod solve;
pub mod spec_defaults;

pub use params::*;
