//! The approximate solvers' menu entry: `simpdiv` and `liap` from each start profile in turn
//! (the centroid when none is given), their certified answers listed once each.

use crate::error::Result;
use crate::game::tree::ExtensiveGame;
use crate::game::{Equilibrium, StrategicGame};
use crate::num::{tol, Q};
use crate::solve::deadline::Deadline;
use crate::solve::liap::{liap_reduced_until, liap_until, LiapOptions};
use crate::solve::simpdiv::{simpdiv_until, SimpdivOptions};

/// Options of the approximate solvers; `None` means Gambit's default for the method.
#[derive(Debug, Clone, Default)]
pub struct ApproximateOptions {
    /// Start profiles, each solved in turn; empty: the centroid.
    pub starts: Vec<Vec<Vec<Q>>>,
    /// simpdiv: grid refinement factor.
    pub refine: Option<u64>,
    /// simpdiv: leash length in grid steps.
    pub leash: Option<u64>,
    /// Regret bound as a fraction of the payoff range.
    pub max_regret: Option<f64>,
    /// liap: most conjugate-gradient iterations.
    pub max_iter: Option<usize>,
}

/// Which approximate solver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approximate {
    Simpdiv,
    Liap,
}

/// The distinct certified answers from every start, and whether every run finished (not
/// stopped by the deadline or a limit).
pub fn solve_approximate(
    game: &StrategicGame,
    method: Approximate,
    options: &ApproximateOptions,
    deadline: &Deadline,
) -> Result<(Vec<Equilibrium>, bool)> {
    from_each_start(game, None, method, options, deadline)
}

/// [`solve_approximate`] on `reduced`, the reduced strategic form of `tree`: `liap` then reads
/// payoffs as Gambit does on a tree ([`liap_reduced_until`]).
pub fn solve_approximate_reduced(
    tree: &ExtensiveGame,
    reduced: &StrategicGame,
    method: Approximate,
    options: &ApproximateOptions,
    deadline: &Deadline,
) -> Result<(Vec<Equilibrium>, bool)> {
    from_each_start(reduced, Some(tree), method, options, deadline)
}

fn from_each_start(
    game: &StrategicGame,
    tree: Option<&ExtensiveGame>,
    method: Approximate,
    options: &ApproximateOptions,
    deadline: &Deadline,
) -> Result<(Vec<Equilibrium>, bool)> {
    let starts: Vec<Option<Vec<Vec<Q>>>> = if options.starts.is_empty() {
        vec![None]
    } else {
        options.starts.iter().cloned().map(Some).collect()
    };
    let mut found: Vec<Equilibrium> = Vec::new();
    let mut complete = true;
    for start in starts {
        if deadline.passed() {
            complete = false;
            break;
        }
        let (equilibrium, finished) = match method {
            Approximate::Simpdiv => {
                let defaults = SimpdivOptions::default();
                let answer = simpdiv_until(
                    game,
                    &SimpdivOptions {
                        start,
                        refine: options.refine.unwrap_or(defaults.refine),
                        leash: options.leash,
                        max_regret: options.max_regret.unwrap_or(defaults.max_regret),
                    },
                    deadline,
                )?;
                (answer.equilibrium, answer.complete)
            }
            Approximate::Liap => {
                let defaults = LiapOptions::default();
                let liap = LiapOptions {
                    start,
                    max_regret: options.max_regret.unwrap_or(defaults.max_regret),
                    max_iter: options.max_iter.unwrap_or(defaults.max_iter),
                };
                let answer = match tree {
                    Some(tree) => liap_reduced_until(tree, game, &liap, deadline)?,
                    None => liap_until(game, &liap, deadline)?,
                };
                (answer.equilibrium, answer.complete)
            }
        };
        complete &= finished;
        if let Some(e) = equilibrium {
            if !found.iter().any(|f| same_profile(f, &e)) {
                found.push(e);
            }
        }
    }
    Ok((found, complete))
}

/// No probability differs by more than [`tol::PROB_MATCH`].
fn same_profile(a: &Equilibrium, b: &Equilibrium) -> bool {
    a.profile_f64()
        .iter()
        .flatten()
        .zip(b.profile_f64().iter().flatten())
        .all(|(x, y)| (x - y).abs() <= tol::PROB_MATCH)
}
