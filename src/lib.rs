//! # patron
//!
//! A game-theory engine (strategic and extensive games, Gambit's file formats, exact Nash
//! solvers under Gambit's names) and, on top of it, the patron–client model of
//! "the patron's dilemma": Bayesian Stackelberg restraint policies, a ceasefire Markov chain
//! and a patron-vs-patron game.
//!
//! Layering (each depends only on the ones before it):
//! `num`, `error`, `limits` → `game` → `io`, `solve` → `model` → `sweep`, `plot` → `cli`.

pub mod cli;
pub mod error;
pub mod game;
pub mod io;
pub mod limits;
pub mod model;
pub mod num;
pub mod plot;
pub mod solve;

pub use error::{Error, Result};
