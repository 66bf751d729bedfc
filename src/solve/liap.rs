//! `liap`: an approximate Nash equilibrium by minimising a Lyapunov function from a start
//! profile (Gambit's `gambit-liap`, pygambit's `liap_solve`).
//!
//! Method: McKelvey, "A Liapunov function for Nash equilibria" (Caltech social science working
//! paper 1991; McKelvey & McLennan, Handbook of Computational Economics vol. 1, 1996, §7), as
//! Gambit 16 states and minimises it: the function with Gambit's scale and penalty terms
//! ([`function`]), minimised by Gambit's Polak–Ribière conjugate gradients and line search
//! ([`minimiser`]) from the start (the centroid by default) until no step lowers it, its
//! projected gradient's norm is below 1e-8, or `max_iter` iterations. The end point, with
//! negative entries set to 0 and each player's vector renormalised, is the answer when its
//! regret is below `max_regret` × the payoff range (Gambit's acceptance rule); the function has
//! local minima that are not equilibria, and then, as in Gambit, there is no answer. Doing what
//! Gambit does step by step makes the same start reach the same equilibrium. On a tree
//! ([`liap_reduced_until`]) the reduced form's payoffs are read as Gambit reads them there,
//! through behaviour strategies (`function::Reading`), and scaled by the outcomes' range. An answer is
//! polished like simpdiv's ([`crate::solve::polish`]) and certified.

pub(crate) mod agent;
pub(crate) mod function;
pub(crate) mod minimiser;

#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use crate::game::regret::payoff_range;
use crate::game::tree::{ExtensiveGame, NodeKind};
use crate::game::{Equilibrium, StrategicGame};
use crate::num::{to_f64, Q};
use crate::solve::deadline::Deadline;
use crate::solve::polish::polish;
use agent::outcome_payoff_range;
use function::{Reading, StrategicLyapunov};
use minimiser::minimise;

/// pygambit's defaults for `liap_solve`: regret bound (fraction of the payoff range) and
/// iterations.
pub const DEFAULT_MAX_REGRET: f64 = 1e-4;
/// pygambit's default `maxiter` for `liap_solve`.
pub const DEFAULT_MAX_ITER: usize = 1000;

/// Options of `liap`, as Gambit names them.
#[derive(Debug, Clone)]
pub struct LiapOptions {
    /// Start profile; `None` for the centroid.
    pub start: Option<Vec<Vec<Q>>>,
    /// Accept a minimum whose regret is at most this times the payoff range (Gambit's
    /// `maxregret`, default 1e-4).
    pub max_regret: f64,
    /// Most conjugate-gradient iterations from each start (Gambit's `maxiter`).
    pub max_iter: usize,
}

impl Default for LiapOptions {
    fn default() -> Self {
        LiapOptions {
            start: None,
            max_regret: DEFAULT_MAX_REGRET,
            max_iter: DEFAULT_MAX_ITER,
        }
    }
}

/// The answer from one start.
#[derive(Debug, Clone)]
pub struct LiapAnswer {
    /// `None` when the minimisation ended away from an equilibrium (a local minimum, the
    /// iteration limit, or the deadline).
    pub equilibrium: Option<Equilibrium>,
    /// Where the minimisation ended, negative entries set to 0 and renormalised: the profile
    /// Gambit reports (before polishing).
    pub end_point: Vec<Vec<f64>>,
    /// Conjugate-gradient iterations taken.
    pub iterations: usize,
    /// False when the deadline stopped it.
    pub complete: bool,
}

/// Check the regret bound and iteration count a user gave.
pub fn check_options(max_regret: f64, max_iter: usize) -> Result<()> {
    if !(max_regret.is_finite() && max_regret > 0.0) {
        return Err(Error::Usage(format!(
            "--max-regret must be positive, got {max_regret}"
        )));
    }
    if max_iter == 0 {
        return Err(Error::Usage("--max-iter must be at least 1".into()));
    }
    Ok(())
}

/// Minimise the Lyapunov function of `game` from `options.start`.
pub fn liap_until(
    game: &StrategicGame,
    options: &LiapOptions,
    deadline: &Deadline,
) -> Result<LiapAnswer> {
    let range = payoff_range(game);
    minimise_from(game, range, Reading::Multilinear, options, deadline)
}

/// [`liap_until`] on the reduced strategic form `reduced` of `tree`, as Gambit runs it on a tree:
/// payoffs read through behaviour strategies (each player's negative weights count as 0 and the
/// rest are normalised, except the root mover's: `TreeMixedStrategyProfileRep::GetPayoff`
/// converts the mixed profile to a behaviour profile first) and regrets scaled
/// by the range of the tree's outcome payoffs (`GameRep::GetMaxPayoff − GetMinPayoff`).
pub fn liap_reduced_until(
    tree: &ExtensiveGame,
    reduced: &StrategicGame,
    options: &LiapOptions,
    deadline: &Deadline,
) -> Result<LiapAnswer> {
    let root_player = match tree.node(tree.root()).kind {
        NodeKind::Decision { player, .. } => Some(player),
        _ => None,
    };
    let range = outcome_payoff_range(tree);
    let reading = Reading::ThroughBehaviour { root_player };
    minimise_from(reduced, range, reading, options, deadline)
}

fn minimise_from(
    game: &StrategicGame,
    range: f64,
    reading: Reading,
    options: &LiapOptions,
    deadline: &Deadline,
) -> Result<LiapAnswer> {
    check_options(options.max_regret, options.max_iter)?;
    let start = options
        .start
        .clone()
        .unwrap_or_else(|| crate::solve::simpdiv::centroid(game));
    crate::solve::simpdiv::check_start(game, &start)?;
    let x: Vec<f64> = start.iter().flatten().map(to_f64).collect();
    // Gambit scales regrets by the payoff range, or by 1 when all payoffs are equal.
    let bound = options.max_regret * if range > 0.0 { range } else { 1.0 };
    let function = StrategicLyapunov::new(game, range).reading(reading);
    let minimum = minimise(&function, x, options.max_iter, deadline);
    let profile = function.profile(&minimum.x);
    let equilibrium = (function.regret(&profile) < bound)
        .then(|| polish(game, &profile, None, bound))
        .flatten();
    Ok(LiapAnswer {
        equilibrium,
        end_point: profile,
        iterations: minimum.iterations,
        complete: !deadline.was_reached(),
    })
}
