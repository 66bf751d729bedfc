//! `gnm`: the global Newton method of Govindan & Wilson, "A global Newton method to compute
//! Nash equilibria", *Journal of Economic Theory* 110 (2003) 65–86, as implemented in
//! GameTracer (Blum, Shelton & Koller, "A continuation method for Nash equilibria in structured
//! games", *JAIR* 25, 2006) and Gambit's `gambit-gnm` / pygambit's `gnm_solve`.
//!
//! The method. Perturb the game by giving each pure strategy s of player i the bonus `λ·g_is`.
//! For λ large the perturbed game has a unique equilibrium, every player's strategy with the
//! largest `g_is`. By Kohlberg & Mertens' structure theorem the graph of the equilibria of the
//! perturbed games over all perturbation vectors is homeomorphic to the space of perturbations;
//! Govindan & Wilson write the homeomorphism as `z = σ + W(σ) + λ·g` (σ the profile, `W_is(σ)`
//! the payoff of pure strategy s against σ, σ recovered from z by retraction onto the strategy
//! simplices), so the equilibria along the ray `{λ·g}` form, for a generic ray, a curve with one
//! end at λ = +∞. Following it from there, every point where it crosses λ = 0 is an equilibrium
//! of the game, and the number of crossings is odd (the path's far end is at λ = −∞), so at
//! least one is found. Between the changes of support the curve is smooth ([`cell`]); it is
//! traced by predictor–corrector continuation ([`trace`]), which keeps the curve's orientation
//! through turning points of λ just as Govindan & Wilson's `ż = −adj(DF)·g`, `λ̇ = −det DF`
//! does.
//!
//! Units, as Gambit's: payoffs are mapped onto `[0, 1]` ([`units`]), the perturbation is made a
//! unit vector ([`perturbation`]) and then multiplied by `V = 1 + max (W_is − W_ib)/(g_ib − g_is)`
//! (over players i, their best replies b to g and other strategies s, at the pure start), so
//! the start is an equilibrium at λ = 1; tracing stops once λ < `end_lambda`.
//!
//! Every crossing is certified on the original game before it is reported; one that fails
//! (a path that lost its way) is dropped and the answer marked incomplete. Crossings that are
//! the same profile within `tol::PROB_MATCH` are reported once; each is reported exact when its
//! simplest nearby rationals certify exactly (as `enumpoly` does).

pub(crate) mod bordered;
pub(crate) mod cell;
pub(crate) mod payoffs;
pub(crate) mod perturbation;
pub(crate) mod trace;
pub(crate) mod units;

use crate::error::{Error, Result};
use crate::game::{Equilibrium, StrategicGame};
use crate::limits;
use crate::solve::deadline::Deadline;
use crate::solve::enumpoly::{certified_equilibrium, same_profile};
use cell::Cell;
use payoffs::Payoffs;
use perturbation::Perturbation;
use std::cell::RefCell;
use trace::Path;

/// gnm's options, with Gambit's names and defaults.
#[derive(Debug, Clone)]
pub struct GnmOptions {
    /// The direction of the perturbation; `None`: 1 on each player's first strategy.
    pub perturbation: Option<Perturbation>,
    /// Stop once λ falls below this (negative; in the units of the module docs).
    pub end_lambda: f64,
    /// The first step in each support cell is `1/steps` of the predicted distance to the
    /// cell's nearest event (later ones adapt). Cells whose curve is a line (two players, or
    /// at most one mixing) take the whole distance.
    pub steps: usize,
    /// GameTracer's interval between Newton corrections. Patron corrects after every step, so
    /// this is checked (at least 1) but does not change the path.
    pub local_newton_interval: usize,
    /// Newton iterations allowed per corrector run; a step whose corrector needs more is
    /// retried at half the length.
    pub local_newton_maxits: usize,
}

impl Default for GnmOptions {
    fn default() -> Self {
        GnmOptions {
            perturbation: None,
            end_lambda: -10.0,
            steps: 100,
            local_newton_interval: 3,
            local_newton_maxits: 10,
        }
    }
}

impl GnmOptions {
    /// Gambit's checks: `end_lambda` negative, the counts positive.
    pub fn check(&self) -> Result<()> {
        if !(self.end_lambda.is_finite() && self.end_lambda < 0.0) {
            return Err(Error::Usage(format!(
                "--end-lambda must be a negative number, not {}",
                self.end_lambda
            )));
        }
        for (name, value) in [
            ("--steps", self.steps),
            ("--local-newton-interval", self.local_newton_interval),
            ("--local-newton-maxits", self.local_newton_maxits),
        ] {
            if value == 0 {
                return Err(Error::Usage(format!("{name} must be at least 1")));
            }
        }
        Ok(())
    }
}

/// The equilibria found along the path, each certified, and whether the path was followed to
/// `end_lambda` (not when the deadline passed, the tracer stalled, or a crossing failed
/// certification).
#[derive(Debug, Clone)]
pub struct Found {
    pub equilibria: Vec<Equilibrium>,
    pub complete: bool,
}

/// Every equilibrium on the global Newton path of `game`, in the order the path meets them,
/// until `deadline`. An error when the path stalls before meeting any equilibrium.
pub fn gnm_until(game: &StrategicGame, options: &GnmOptions, deadline: &Deadline) -> Result<Found> {
    options.check()?;
    check_size(game, "gnm")?;
    let (shift, scale) = units::unit_affine(game)?;
    let perturbation = options
        .perturbation
        .clone()
        .unwrap_or_else(|| Perturbation::first_strategies(game));
    let (path, cell, x) = start_in(
        Payoffs::in_units(game, shift, scale),
        &perturbation,
        options.end_lambda,
        options.steps,
        options.local_newton_maxits,
    );
    let trace = path.follow(cell, x, deadline);
    let mut equilibria: Vec<Equilibrium> = Vec::new();
    let mut all_certified = true;
    for crossing in trace.crossings {
        match certified_equilibrium(game, crossing) {
            Some(e) => {
                if !equilibria
                    .iter()
                    .any(|f| same_profile(&f.profile_f64(), &e.profile_f64()))
                {
                    equilibria.push(e);
                }
            }
            None => all_certified = false,
        }
    }
    if let Some(why) = &trace.stopped {
        if equilibria.is_empty() && !deadline.was_reached() {
            return Err(Error::Solver(why.clone()));
        }
    }
    Ok(Found {
        equilibria,
        complete: trace.stopped.is_none() && all_certified,
    })
}

/// The path of a game whose payoffs are `payoffs` for `perturbation` and its start: the pure
/// profile of the perturbation's best replies `b` at λ = 1, with the unit perturbation
/// multiplied by `1 +` [`start_scale`] so that the start is a strict equilibrium there.
pub(crate) fn start_in<'a>(
    payoffs: Payoffs<'a>,
    perturbation: &Perturbation,
    end_lambda: f64,
    steps: usize,
    newton_iterations: usize,
) -> (Path<'a>, Cell, nalgebra::DVector<f64>) {
    let game = payoffs.game();
    let best = perturbation.best_replies();
    let pure: Vec<Vec<f64>> = (0..game.num_players())
        .map(|i| {
            (0..game.num_strategies(i))
                .map(|s| if s == best[i] { 1.0 } else { 0.0 })
                .collect()
        })
        .collect();
    let singletons: Vec<Vec<usize>> = best.iter().map(|&b| vec![b]).collect();
    let conditional = payoffs.at(&singletons, |_, _| 1.0);
    let own: Vec<Vec<f64>> = (0..game.num_players())
        .map(|i| {
            (0..game.num_strategies(i))
                .map(|s| conditional.own(&payoffs, i, s))
                .collect()
        })
        .collect();
    let path = path_from_start(
        payoffs,
        perturbation,
        &own,
        end_lambda,
        steps,
        newton_iterations,
    );
    let cell = Cell::new(singletons);
    let v: Vec<f64> = (0..game.num_players())
        .map(|i| own[i][best[i]] + path.g[i][best[i]])
        .collect();
    let x = cell.point(&pure, &v, 1.0);
    (path, cell, x)
}

/// The path over `payoffs` for `perturbation`, its unit vector multiplied by `1 +`
/// [`start_scale`] of `own` (each player's payoffs against the perturbation's pure best
/// replies, by strategy) so that the pure start is a strict equilibrium at λ = 1: what
/// [`start_in`] and [`polisher`] share.
fn path_from_start<'a>(
    payoffs: Payoffs<'a>,
    perturbation: &Perturbation,
    own: &[Vec<f64>],
    end_lambda: f64,
    steps: usize,
    newton_iterations: usize,
) -> Path<'a> {
    let g = perturbation.unit();
    let scale = 1.0 + start_scale(own, &g, &perturbation.best_replies());
    Path {
        payoffs,
        g: g.iter()
            .map(|w| w.iter().map(|x| x * scale).collect())
            .collect(),
        end_lambda,
        steps,
        newton_iterations,
        first_only: false,
        system: RefCell::default(),
        spare: RefCell::default(),
        qr: RefCell::default(),
        rates: RefCell::default(),
    }
}

/// The largest `(W_is − W_ib)/(g_ib − g_is)` (at least 0): the λ above which the pure start is a
/// strict equilibrium of the game perturbed by the unit `g`.
fn start_scale(own: &[Vec<f64>], g: &[Vec<f64>], best: &[usize]) -> f64 {
    let mut scale: f64 = 0.0;
    for (i, &b) in best.iter().enumerate() {
        for s in (0..own[i].len()).filter(|&s| s != b) {
            scale = scale.max((own[i][s] - own[i][b]) / (g[i][b] - g[i][s]));
        }
    }
    scale
}

/// Refuse games whose dense Jacobians would be too large ([`limits::MAX_GNM_STRATEGIES`]).
pub fn check_size(game: &StrategicGame, method: &str) -> Result<()> {
    let strategies: usize = game.strategy_counts().iter().sum();
    if strategies > limits::MAX_GNM_STRATEGIES {
        return Err(Error::limit(
            "MAX_GNM_STRATEGIES",
            format!(
                "{method}: {strategies} strategies in all; the limit is {} (MAX_GNM_STRATEGIES: \
             dense Jacobians)",
                limits::MAX_GNM_STRATEGIES
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;

/// The path [`start_in`] builds for `game` (its payoffs as they are) and `perturbation`, with
/// gnm's default options, without its start: what [`Path::polish`] needs (the same perturbation,
/// scaled the same way), built without a pass over the payoffs, since the payoffs against the
/// pure start are entries of the game's tables.
pub(crate) fn polisher<'a>(game: &'a StrategicGame, perturbation: &Perturbation) -> Path<'a> {
    let options = GnmOptions::default();
    let best = perturbation.best_replies();
    let mut pure = best.clone();
    let own: Vec<Vec<f64>> = (0..game.num_players())
        .map(|i| {
            let value = (0..game.num_strategies(i))
                .map(|s| {
                    pure[i] = s;
                    game.payoff_f64(i, &pure)
                })
                .collect();
            pure[i] = best[i];
            value
        })
        .collect();
    path_from_start(
        Payoffs::new(game),
        perturbation,
        &own,
        options.end_lambda,
        options.steps,
        options.local_newton_maxits,
    )
}
