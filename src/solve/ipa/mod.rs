//! `ipa`: iterated polymatrix approximation, Govindan & Wilson, "Computing Nash equilibria by
//! iterated polymatrix approximation", *Journal of Economic Dynamics and Control* 28 (2004)
//! 1229–1241, as implemented in GameTracer (Blum, Shelton & Koller 2006) and Gambit's
//! `gambit-ipa` / pygambit's `ipa_solve`. One equilibrium.
//!
//! The method, one idea per file:
//! - [`polymatrix`]: near a profile `ŝ` a game with any number of players is approximated by a
//!   polymatrix game (the first-order terms of its payoffs), whose equilibria are found by
//!   linear algebra: first on the support of the previous answer (one linear system);
//! - [`lemke`]: when that is infeasible, by Lemke's algorithm on the polymatrix game's linear
//!   complementarity problem from the perturbation's best replies (lexicographic, so degenerate
//!   approximations cannot make it cycle or stall), with [`visited`] the set of the bases a
//!   path has visited;
//! - [`iteration`]: GameTracer's outer iteration, which blends each answer into the current
//!   point in Govindan & Wilson's coordinates `z = s + V(s)` until it stops moving (runs of
//!   [`iteration::ITERATIONS_PER_RUN`] iterations, up to [`MAX_RUNS`] of them).
//!
//! Payoffs are shifted so the smallest is 0 and the perturbation is a unit vector, as in
//! Gambit, so runs can be compared.
//!
//! The iterate is an approximate equilibrium; it is polished by Newton's method on the support
//! equations of the game itself ([`crate::solve::gnm::trace::Path::polish`]) and certified
//! ([`certified_equilibrium`]: exact when its simplest nearby rationals certify). An iterate
//! that is pure, or whose exact counterpart certifies without a polish, is not polished.

use crate::error::{Error, Result};
use crate::game::{Equilibrium, StrategicGame};
use crate::solve::deadline::Deadline;
use crate::solve::enumpoly::{certified_equilibrium, exactly_certified};
use crate::solve::gnm::perturbation::Perturbation;
use crate::solve::gnm::{check_size, polisher, units};
use iteration::{per_player, run, Direction, ITERATIONS_PER_RUN};
use polymatrix::Tables;

mod iteration;
mod lemke;
mod pivot_kernel;
mod polymatrix;
mod support;
#[cfg(test)]
mod tests;
mod visited;

/// Runs before giving up (GameTracer's restarts).
const MAX_RUNS: usize = 100;

/// The equilibrium `ipa` converges to, certified; `None` when the deadline passed first.
pub fn ipa_until(
    game: &StrategicGame,
    perturbation: Option<&Perturbation>,
    deadline: &Deadline,
) -> Result<Option<Equilibrium>> {
    check_size(game, "ipa")?;
    let shift = units::float_min(game)?;
    let mut tables = Tables::new(game, shift);
    let perturbation = perturbation
        .cloned()
        .unwrap_or_else(|| Perturbation::first_strategies(game));
    let direction = Direction {
        g: perturbation.unit().concat(),
        best: perturbation.best_replies(),
    };
    let counts = game.strategy_counts();
    let mut zh = vec![1.0; counts.iter().sum()];
    for _ in 0..MAX_RUNS {
        if let Some(s) = run(&mut tables, &direction, &mut zh, deadline)? {
            let s = per_player(&counts, &s);
            return finish(game, &perturbation, s).map(Some);
        }
        if deadline.passed() {
            return Ok(None);
        }
    }
    Err(Error::Solver(format!(
        "ipa: no convergence within {} iterations",
        MAX_RUNS * ITERATIONS_PER_RUN
    )))
}

/// Polish the iterate on the game itself (Newton's method on its support's equations at
/// λ = 0, where the perturbation plays no part) and certify it. A pure iterate is its
/// support's only solution already (one strategy at probability 1 per player), so it is
/// certified as it is. A mixed iterate is first tried as the exact equilibrium it stands for
/// ([`exactly_certified`]: where at most two players mix, the exact solution of its supports'
/// equations when that is within [`crate::num::tol::PROB_MATCH`] of it, else its simplest
/// nearby rationals). One that certifies is where the polish would have led: the polish
/// converges to a solution of the same supports' equations (for two mixers linear, so where
/// their solution is unique it is that one), whose simplest nearby rationals are then these.
/// The polish's path is most of this function's cost, so it is built only when the exact
/// attempt fails.
fn finish(
    game: &StrategicGame,
    perturbation: &Perturbation,
    s: Vec<Vec<f64>>,
) -> Result<Equilibrium> {
    let pure = s
        .iter()
        .all(|x| x.iter().filter(|&&p| p > 0.0).count() == 1);
    let certified_as_it_is = if pure {
        certified_equilibrium(game, s.clone())
    } else {
        exactly_certified(game, s.clone())
    };
    if let Some(e) = certified_as_it_is {
        return Ok(e);
    }
    let support: Vec<Vec<usize>> = s
        .iter()
        .map(|x| (0..x.len()).filter(|&k| x[k] > 0.0).collect())
        .collect();
    polisher(game, perturbation)
        .polish(support, &s)
        .and_then(|p| certified_equilibrium(game, p))
        .or_else(|| certified_equilibrium(game, s.clone()))
        .ok_or_else(|| {
            Error::Solver(format!(
                "ipa converged to {s:?}, which does not certify as an equilibrium (its support's \
                 equations have no nearby solution)"
            ))
        })
}
