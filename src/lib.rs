//! # patron
//!
//! A game-theory engine (strategic and extensive games, Gambit's file formats, exact Nash
//! solvers under Gambit's names) and, on top of it, the patron–client model of
//! "the patron's dilemma": Bayesian Stackelberg restraint policies, a ceasefire Markov chain
//! and a patron-vs-patron game.
//!
//! ```
//! use patron::game::StrategicGame;
//! use patron::num::Q;
//! use patron::solve::method::{solve_strategic, Method, SolveOptions};
//!
//! // Matching pennies: the unique equilibrium mixes 1/2–1/2, exactly, with regret exactly 0.
//! let a: Vec<Vec<Q>> = vec![vec![Q::from(1), Q::from(-1)], vec![Q::from(-1), Q::from(1)]];
//! let b: Vec<Vec<Q>> = a.iter().map(|r| r.iter().map(|v| -v.clone()).collect()).collect();
//! let game = StrategicGame::bimatrix(&a, &b).unwrap();
//! let solved = solve_strategic(&game, Method::EnumMixed, &SolveOptions::default()).unwrap();
//! assert_eq!(solved.equilibria.len(), 1);
//! assert_eq!(solved.equilibria[0].profile_text(), vec![vec!["1/2", "1/2"], vec!["1/2", "1/2"]]);
//! assert_eq!(solved.equilibria[0].regret_text(), "0");
//! ```
//!
//! Layering (each depends only on the ones before it):
//! `num`, `error`, `limits` → `game` → `io`, `solve` → `model` → `sweep`, `plot` → `calibrate` →
//! `cli` → `serve` (the explorer answers with the CLI's own solve document and parsers;
//! `cli::serve` starts it).

pub mod calibrate;
pub mod cli;
pub mod error;
pub mod game;
pub mod io;
pub mod limits;
pub mod model;
pub mod num;
pub mod plot;
pub mod report;
pub(crate) mod serve;
pub mod solve;
pub mod sweep;

pub use error::{Error, Result};
