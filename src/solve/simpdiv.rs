//! `simpdiv`: one approximate Nash equilibrium of a strategic game with any number of players,
//! by simplicial subdivision (Gambit's `gambit-simpdiv`, pygambit's `simpdiv_solve`).
//!
//! Method: the variable-dimension restart algorithm of van der Laan, Talman & van der Heyden,
//! "Simplicial variable dimension algorithms for solving the nonlinear complementarity problem
//! on a product of unit simplices using a general labelling", Mathematics of Operations Research
//! 12 (1987) 377–397, with the integer labelling by the player of largest regret and its best
//! reply ([`labels`]). From a start `v` (the centroid by default) on a grid of mesh `1/M`, a path
//! of adjacent simplices of varying dimension, kept inside the product of simplices ([`path`]),
//! ends at a small simplex that carries every strategy of some player as a label or a face, near
//! an equilibrium; its best vertex (least regret) starts the next run on a grid `refine` times
//! finer (`M ← refine·M`), until the regret is at most `max_regret` × the payoff range (Gambit's
//! stopping rule). As in Gambit, the first grid is `refine` times finer than the coarsest that
//! holds the start (`M` = `refine` × the least common denominator of its probabilities), and
//! `--leash` bounds how far any probability may fall below the start within one run.
//!
//! Arithmetic: grid points are integer vectors and labels are decided in exact integers, so the
//! path is exact and reproducible, and it is Gambit's rational path. The answer is then polished
//! ([`crate::solve::polish`]): the support's equations are solved from it, and the reported
//! equilibrium is exact, or a certified float, when that succeeds; else the grid point itself,
//! certified against the stated bound.

pub(crate) mod labels;
pub(crate) mod path;

#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use crate::game::regret::{payoff_range, payoffs_and_regret};
use crate::game::{Equilibrium, StrategicGame};
use crate::limits;
use crate::num::{to_f64, Q};
use crate::solve::deadline::Deadline;
use crate::solve::polish::polish;
use dashu::base::Gcd;
use dashu::integer::UBig;
use labels::Labeller;
use path::{run, RunEnd, RunLimits};

/// Gambit's default `maxregret` for simpdiv (pygambit 16.7: 1/10000000 of the payoff range).
pub const DEFAULT_MAX_REGRET: f64 = 1e-7;
/// Gambit's default grid refinement factor.
pub const DEFAULT_REFINE: u64 = 2;

/// Options of `simpdiv`, as Gambit names them.
#[derive(Debug, Clone)]
pub struct SimpdivOptions {
    /// Start profile; `None` for the centroid.
    pub start: Option<Vec<Vec<Q>>>,
    /// Each restart's grid is this many times finer (at least 2).
    pub refine: u64,
    /// Within a run, no probability falls more than this many grid steps below the run's start
    /// (Gambit's leash; `None` or 0: no leash).
    pub leash: Option<u64>,
    /// Stop refining once the regret is at most this fraction of the payoff range.
    pub max_regret: f64,
}

impl Default for SimpdivOptions {
    fn default() -> Self {
        SimpdivOptions {
            start: None,
            refine: DEFAULT_REFINE,
            leash: None,
            max_regret: DEFAULT_MAX_REGRET,
        }
    }
}

/// The answer of one start: the certified equilibrium, or why there is none.
#[derive(Debug, Clone)]
pub struct SimpdivAnswer {
    /// `None` when the deadline (or a limit) stopped the refinement before the regret reached
    /// the bound and the best point found does not certify.
    pub equilibrium: Option<Equilibrium>,
    /// The grid point the path ended at (exact), and its regret.
    pub grid_point: Vec<Vec<Q>>,
    pub grid_regret: Q,
    /// Number of runs (grids) and path steps in all.
    pub runs: usize,
    pub steps: usize,
    /// False when the deadline or a limit stopped it before the bound was met.
    pub complete: bool,
}

/// The centroid: each player mixes uniformly.
pub fn centroid(game: &StrategicGame) -> Vec<Vec<Q>> {
    (0..game.num_players())
        .map(|p| {
            let n = game.num_strategies(p);
            vec![Q::from_parts(1.into(), UBig::from(n)); n]
        })
        .collect()
}

/// Check that `start` is a mixed profile of `game`: one nonnegative vector per player, of the
/// player's length, summing to 1.
pub fn check_start(game: &StrategicGame, start: &[Vec<Q>]) -> Result<()> {
    if start.len() != game.num_players() {
        return Err(Error::Usage(format!(
            "the start profile has {} players' strategies; the game has {} players",
            start.len(),
            game.num_players()
        )));
    }
    for (p, s) in start.iter().enumerate() {
        if s.len() != game.num_strategies(p) {
            return Err(Error::Usage(format!(
                "the start profile gives player {} {} probabilities; it has {} strategies",
                p + 1,
                s.len(),
                game.num_strategies(p)
            )));
        }
        let sum = s.iter().fold(Q::ZERO, |acc, v| acc + v);
        if s.iter().any(|v| *v < Q::ZERO) || sum != Q::ONE {
            return Err(Error::Usage(format!(
                "the start profile's probabilities for player {} must be nonnegative and sum to 1",
                p + 1
            )));
        }
    }
    Ok(())
}

/// Run simpdiv from `options.start` until the regret bound is met or `deadline` passes.
pub fn simpdiv_until(
    game: &StrategicGame,
    options: &SimpdivOptions,
    deadline: &Deadline,
) -> Result<SimpdivAnswer> {
    if options.refine < 2 {
        return Err(Error::Usage(format!(
            "--refine must be at least 2, got {}",
            options.refine
        )));
    }
    if !(options.max_regret.is_finite() && options.max_regret > 0.0) {
        return Err(Error::Usage(format!(
            "--max-regret must be positive, got {}",
            options.max_regret
        )));
    }
    let start = options.start.clone().unwrap_or_else(|| centroid(game));
    check_start(game, &start)?;
    let labeller = Labeller::new(game);
    let (mut m, mut point) = grid_of(&start)?;
    let bound = options.max_regret * payoff_range(game);
    let refine = i64::try_from(options.refine)
        .map_err(|_| Error::Usage(format!("--refine {} is too large", options.refine)))?;
    let (mut runs, mut steps) = (0, 0);
    let mut best_regret = None;
    let mut shortcut = None;
    let complete = loop {
        // Each run is on a grid `refine` times finer than the last (the first: than the
        // start's own), as Gambit's.
        let Some(finer) = m
            .checked_mul(refine)
            .filter(|&f| f <= limits::MAX_SIMPDIV_GRID)
        else {
            break false;
        };
        m = finer;
        point.iter_mut().for_each(|c| *c *= refine);
        let limits = RunLimits {
            leash: options.leash,
            max_steps: limits::MAX_SIMPDIV_STEPS.saturating_sub(steps),
            deadline,
        };
        let result = run(&labeller, &point, m, &limits);
        runs += 1;
        steps += result.steps;
        point = result.best;
        let regret = labeller.regret(&result.best_gain, m);
        let met = to_f64(&regret) <= bound;
        best_regret = Some(regret);
        if met {
            break true;
        }
        if result.end != RunEnd::Complete {
            break false;
        }
        if result.steps >= LONG_RUN {
            shortcut = polished_nearby(game, &to_profile(game, &point, m), m, bound);
            if shortcut.is_some() {
                break true;
            }
        }
    };
    let grid_point = to_profile(game, &point, m);
    let grid_regret = match best_regret {
        Some(r) => r,
        None => labeller.regret(&labeller.label(&point, m).gain, m),
    };
    let equilibrium =
        shortcut.or_else(|| polish(game, &floats(&grid_point), Some(&grid_point), bound));
    Ok(SimpdivAnswer {
        equilibrium,
        grid_point,
        grid_regret,
        runs,
        steps,
        complete,
    })
}

/// A run that labels this many vertices has a path that does not shrink with the mesh: on some
/// games (a random 4×3×2 game, seed 17793676013923804908) every run from Gambit's restart point
/// (the last run's best vertex) makes an excursion of the same length in probability terms and
/// comes back next to where it started, so each finer grid costs twice the steps of the last
/// while the regret only halves, and the step limit is reached long before Gambit's bound. After
/// such a run the best vertex is polished; an equilibrium within a few grid steps of it that
/// meets the bound ends the refinement (it is the one the refinement was closing in on).
const LONG_RUN: usize = 20_000;

/// The polished equilibrium near the grid point `point` of grid `m`, when it meets `bound` and
/// no probability moved by more than one grid step per strategy of the game.
fn polished_nearby(
    game: &StrategicGame,
    point: &[Vec<Q>],
    m: i64,
    bound: f64,
) -> Option<Equilibrium> {
    let float = floats(point);
    let reach = game.strategy_counts().iter().sum::<usize>() as f64 / m as f64;
    polish(game, &float, Some(point), bound).filter(|e| {
        let found = e.profile_f64();
        let (_, regret) = payoffs_and_regret(game, &found);
        regret <= bound
            && found
                .iter()
                .flatten()
                .zip(float.iter().flatten())
                .all(|(a, b)| (a - b).abs() <= reach)
    })
}

fn floats(profile: &[Vec<Q>]) -> Vec<Vec<f64>> {
    profile
        .iter()
        .map(|s| s.iter().map(to_f64).collect())
        .collect()
}

/// The coarsest grid holding `start`: its denominator `M` (the least common denominator of the
/// probabilities) and the integer point `M · start`.
fn grid_of(start: &[Vec<Q>]) -> Result<(i64, Vec<i64>)> {
    let lcd = start.iter().flatten().fold(UBig::ONE, |acc, q| {
        let d = q.denominator();
        let g = acc.clone().gcd(d);
        acc / g * d
    });
    let too_fine = || {
        Error::limit(
            "MAX_SIMPDIV_GRID",
            format!(
                "simpdiv: the start profile's common denominator exceeds the finest grid, {} \
             (MAX_SIMPDIV_GRID)",
                limits::MAX_SIMPDIV_GRID
            ),
        )
    };
    let m = i64::try_from(&lcd)
        .ok()
        .filter(|&m| m <= limits::MAX_SIMPDIV_GRID)
        .ok_or_else(too_fine)?;
    let point = start
        .iter()
        .flatten()
        .map(|q| {
            let scaled = q * Q::from(m);
            i64::try_from(scaled.numerator()).map_err(|_| too_fine())
        })
        .collect::<Result<Vec<i64>>>()?;
    Ok((m, point))
}

/// The mixed profile `z / m`.
fn to_profile(game: &StrategicGame, z: &[i64], m: i64) -> Vec<Vec<Q>> {
    let mut k = 0;
    (0..game.num_players())
        .map(|p| {
            (0..game.num_strategies(p))
                .map(|_| {
                    let q = Q::from_parts(z[k].into(), UBig::from(m as u64));
                    k += 1;
                    q
                })
                .collect()
        })
        .collect()
}
