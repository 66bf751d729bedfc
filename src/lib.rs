//! # patron
//!
//! A game-theory engine (strategic and extensive games, Gambit's file formats, exact Nash
//! solvers under Gambit's names) and, on top of it, the patron–client model of
//! "the patron's dilemma": Bayesian Stackelberg restraint policies, a ceasefire Markov chain
//! and a patron-vs-patron game.
//!
//! ```
//! use patron::{solve_strategic, Method, SolveOptions, StrategicGame, Q};
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
#![deny(missing_docs)]
// `unsafe` is allowed only where it is marked, with its reason (one place: the AVX copy of ipa's
// pivot, `solve::ipa::pivot_kernel`, called after a run-time check of the processor).
#![deny(unsafe_code)]

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

// The front door: what most callers need, at the crate root. Each module's own front door (its
// `pub use` list) has the rest; every submodule behind it is private.
pub use error::{Error, Result};
pub use game::{Equilibrium, ExtensiveGame, StrategicGame};
pub use io::{parse_game, read_game_file, GameFile};
pub use model::{load_model, Model, ModelSpec};
pub use num::Q;
pub use solve::{
    solve_strategic, solve_tree, Deadline, Method, SolveOptions, Solved, TreeMethod, TreeSolved,
};
