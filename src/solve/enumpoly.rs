//! `enumpoly`: every isolated Nash equilibrium of a strategic game with any number of players
//! (Gambit's `gambit-enumpoly`, pygambit's `enumpoly_solve`).
//!
//! Method: support enumeration (McKelvey & McLennan, "Computation of equilibria in finite
//! games", Handbook of Computational Economics vol. 1, 1996, §6; as in Turocy's
//! `gambit-enumpoly`). For each profile of supports ([`supports`], pruned by conditional strict
//! dominance, and [`overdetermined`] for two mixing players with unequal supports) the
//! equilibria with exactly those supports are the zeros of a square polynomial system,
//! multilinear in the unknowns ([`system`]), with every probability nonnegative and no strategy
//! outside a support earning more. Like Gambit's, the zeros are isolated by subdividing the
//! domain ([`subdivision`]); here every range bound is exact up to rounding, from the vertices of
//! the box ([`multilinear`]), and a box is proven to hold exactly one zero by the Krawczyk test
//! ([`krawczyk`]; Krawczyk 1969; Moore, Kearfott & Cloud, "Introduction to Interval Analysis",
//! ch. 8), so no zero in the probability region is missed — as long as every zero is isolated.
//! Support profiles are independent: larger games search them on rayon's threads.
//!
//! Each zero whose probabilities are all nonnegative (within [`tol::ROOT_PROBABILITY`]) and that
//! passes float certification on the whole game is an equilibrium; a zero with a probability of
//! 0 is one of a smaller support too, so the list is deduplicated. Each is then tried as exact
//! rationals ([`rational`]): it is reported exact when that certifies with regret exactly 0.
//!
//! Completeness: a support whose system has a continuum of zeros in the region (a component of
//! equilibria, as in degenerate games) leaves boxes unresolved; points Newton's method reaches
//! from them are still reported when they certify, but the answer is marked incomplete
//! (`complete: false`), as it is when the deadline passes.

use crate::error::{Error, Result};
use crate::game::regret::payoff_scale;
use crate::game::{certify_exact, certify_float, Certified, Equilibrium, StrategicGame};
use crate::limits;
use crate::num::{to_f64, tol, Q};
use crate::solve::deadline::{Deadline, NO_DEADLINE};
use overdetermined::has_inconsistent_linear_part;
use rayon::iter::{ParallelBridge, ParallelIterator};
use subdivision::find_roots;
use supports::{check_support_count, has_dominated_strategy, support_profiles};
use system::SupportSystem;

pub(crate) mod krawczyk;
pub(crate) mod multilinear;
pub(crate) mod overdetermined;
pub(crate) mod rational;
pub(crate) mod subdivision;
pub(crate) mod supports;
pub(crate) mod system;
pub(crate) mod two_mixers;

#[cfg(test)]
mod tests;

/// Games with at least this many support profiles are searched on rayon's threads, one support
/// profile at a time (below it, starting the threads costs more than it saves).
const PARALLEL_FROM: u128 = 256;

/// The equilibria found, each certified, and whether they are all the isolated ones.
#[derive(Debug, Clone)]
pub struct EnumPoly {
    pub equilibria: Vec<Equilibrium>,
    /// False when some support had unresolved boxes (non-isolated equilibria, or zeros too close
    /// to separate) or the deadline passed: other equilibria may exist.
    pub complete: bool,
}

/// Every isolated equilibrium of `game`.
pub fn enumpoly(game: &StrategicGame) -> Result<EnumPoly> {
    enumpoly_until(game, &NO_DEADLINE)
}

/// [`enumpoly`] that stops at `deadline` with the equilibria found so far.
///
/// Refuses games over its limits ([`check_limits`]). Order: decreasing lexicographic order of
/// the profiles, so pure strategy 1 of player 1 first.
pub fn enumpoly_until(game: &StrategicGame, deadline: &Deadline) -> Result<EnumPoly> {
    let count = check_limits(game)?;
    let solve = |(index, supports): (usize, Vec<Vec<usize>>)| {
        let (candidates, resolved) = solve_support(game, &supports, deadline);
        (!candidates.is_empty() || !resolved).then_some((index, candidates, resolved))
    };
    let profiles = support_profiles(game).enumerate();
    let mut per_support: Vec<(usize, Vec<Certified<f64>>, bool)> = if count < PARALLEL_FROM {
        profiles.filter_map(solve).collect()
    } else {
        profiles.par_bridge().filter_map(solve).collect()
    };
    per_support.sort_by_key(|(index, _, _)| *index);
    let mut found: Vec<Certified<f64>> = Vec::new();
    let mut complete = true;
    for (_, candidates, resolved) in per_support {
        complete &= resolved;
        for certified in candidates {
            if !found
                .iter()
                .any(|f| same_profile(f.profile(), certified.profile()))
            {
                found.push(certified);
            }
        }
    }
    let mut equilibria: Vec<Equilibrium> = found
        .into_iter()
        .map(|c| exact_if_possible(game, c))
        .collect();
    equilibria.sort_by(|a, b| {
        let (a, b) = (a.profile_f64(), b.profile_f64());
        let flat = |p: Vec<Vec<f64>>| p.into_iter().flatten().collect::<Vec<_>>();
        let (a, b) = (flat(a), flat(b));
        b.iter()
            .zip(&a)
            .map(|(x, y)| x.total_cmp(y))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    Ok(EnumPoly {
        equilibria,
        complete: complete && !deadline.was_reached(),
    })
}

/// One support profile's candidate equilibria (each certified) and whether its search was
/// complete (not when the deadline has passed).
fn solve_support(
    game: &StrategicGame,
    supports: &[Vec<usize>],
    deadline: &Deadline,
) -> (Vec<Certified<f64>>, bool) {
    if deadline.passed() {
        return (Vec::new(), false);
    }
    if has_dominated_strategy(game, supports) || has_inconsistent_linear_part(game, supports) {
        return (Vec::new(), true);
    }
    let system = SupportSystem::new(game, supports);
    let roots = find_roots(&system, deadline);
    let candidates = roots
        .roots
        .iter()
        .filter_map(|x| equilibrium_at(game, system.profile(game, x)))
        .collect();
    (candidates, roots.resolved)
}

/// Refuse games over [`limits::MAX_SUPPORT_PROFILES`] support profiles,
/// [`limits::MAX_SYSTEM_UNKNOWNS`] unknowns in the full support's system, or payoffs over
/// [`limits::MAX_FLOAT_SOLVER_PAYOFF`] (`Error::LimitExceeded`); the number of support profiles
/// otherwise.
pub fn check_limits(game: &StrategicGame) -> Result<u128> {
    let count = check_support_count(game)?;
    let unknowns: usize = game.strategy_counts().iter().map(|n| n - 1).sum();
    if unknowns > limits::MAX_SYSTEM_UNKNOWNS {
        return Err(Error::limit(
            "MAX_SYSTEM_UNKNOWNS",
            format!(
            "enumpoly: the full support's system has {unknowns} unknowns (strategies minus one per \
             player); the limit is {} (MAX_SYSTEM_UNKNOWNS)",
            limits::MAX_SYSTEM_UNKNOWNS
        ),
        ));
    }
    let scale = payoff_scale(game);
    if !scale.is_finite() || scale > limits::MAX_FLOAT_SOLVER_PAYOFF {
        return Err(Error::limit(
            "MAX_FLOAT_SOLVER_PAYOFF",
            format!(
            "enumpoly computes in floating point: a payoff of absolute value {scale:e} exceeds \
             the limit {:e} (MAX_FLOAT_SOLVER_PAYOFF)",
            limits::MAX_FLOAT_SOLVER_PAYOFF
        ),
        ));
    }
    Ok(count)
}

/// The certified equilibrium at a zero's profile: probabilities no lower than
/// `−`[`tol::ROOT_PROBABILITY`] are moved onto `[0, 1]` and each player's renormalised; `None`
/// when a probability is more negative or certification fails.
pub(crate) fn equilibrium_at(
    game: &StrategicGame,
    profile: Vec<Vec<f64>>,
) -> Option<Certified<f64>> {
    certify_float(game, onto_simplices(profile)?).ok()
}

/// The profile with probabilities no lower than `−`[`tol::ROOT_PROBABILITY`] moved onto
/// `[0, 1]` and each player's renormalised; `None` when a probability is more negative.
fn onto_simplices(mut profile: Vec<Vec<f64>>) -> Option<Vec<Vec<f64>>> {
    for strategy in &mut profile {
        if strategy.iter().any(|&p| p < -tol::ROOT_PROBABILITY) {
            return None;
        }
        for p in strategy.iter_mut() {
            *p = p.max(0.0);
        }
        let sum: f64 = strategy.iter().sum();
        for p in strategy.iter_mut() {
            *p /= sum;
        }
    }
    Some(profile)
}

/// Exact when the simplest nearby rationals certify with zero regret, or, where at most two
/// players mix, the exact solution of the supports' linear equations does; else the float answer.
pub(crate) fn exact_if_possible(game: &StrategicGame, float: Certified<f64>) -> Equilibrium {
    rational_guess_certified(game, float.profile())
        .or_else(|| exact_from_supports_certified(game, float.profile()))
        .map_or(Equilibrium::Float(float), Equilibrium::Exact)
}

/// A solver's approximate equilibrium, certified: [`equilibrium_at`] followed by
/// [`exact_if_possible`], except that when the simplest nearby rationals certify exactly, the
/// float certificate (which the exact one supersedes: regret exactly 0 on the rationals
/// reported) is not computed. Only then does the answer differ from theirs: a profile within
/// [`tol::RATIONAL_RECOVERY`] of an exact equilibrium whose own float regret is over the
/// float bound is that exact equilibrium, where they would drop it.
pub(crate) fn certified_equilibrium(
    game: &StrategicGame,
    profile: Vec<Vec<f64>>,
) -> Option<Equilibrium> {
    let profile = onto_simplices(profile)?;
    if let Some(exact) = rational_guess_certified(game, &profile) {
        return Some(Equilibrium::Exact(exact));
    }
    let float = certify_float(game, profile).ok()?;
    Some(
        exact_from_supports_certified(game, float.profile())
            .map_or(Equilibrium::Float(float), Equilibrium::Exact),
    )
}

/// The exact equilibrium a solver's approximate one stands for, with no float certificate,
/// if one certifies exactly: where at most two players mix, the exact solution of the
/// supports' equations of the profile moved onto the simplices, when that is the same point
/// ([`same_profile`]); else the simplest rationals near it. `None` otherwise.
///
/// These are [`certified_equilibrium`]'s exact answers, in the other order: it tries the
/// supports' solution only once the profile passed float certification, which a profile of
/// an iterative solver's accuracy (`ipa`'s, about 1e-7 from its equilibrium) does not, and
/// the rationals first, which at that accuracy are the wrong ones and fail exact
/// certification at a cost (a guess, then its certification). Where the supports' equations
/// have one solution both give it.
pub(crate) fn exactly_certified(
    game: &StrategicGame,
    profile: Vec<Vec<f64>>,
) -> Option<Equilibrium> {
    let profile = onto_simplices(profile)?;
    // the nearness test first: it is cheap, and a far solution need not be certified
    two_mixers::exact_from_supports(game, &profile)
        .filter(|exact| {
            let near: Vec<Vec<f64>> = exact
                .iter()
                .map(|s| s.iter().map(to_f64).collect())
                .collect();
            same_profile(&near, &profile)
        })
        .and_then(|exact| certify_exact(game, exact).ok())
        .or_else(|| rational_guess_certified(game, &profile))
        .map(Equilibrium::Exact)
}

/// The simplest rationals near `profile` ([`rational::exact_guess`]), if they certify exactly.
fn rational_guess_certified(game: &StrategicGame, profile: &[Vec<f64>]) -> Option<Certified<Q>> {
    certify_exact(game, rational::exact_guess(profile)?).ok()
}

/// The exact solution of the linear equations of `profile`'s supports where at most two players
/// mix ([`two_mixers::exact_from_supports`]), if it certifies exactly.
fn exact_from_supports_certified(
    game: &StrategicGame,
    profile: &[Vec<f64>],
) -> Option<Certified<Q>> {
    certify_exact(game, two_mixers::exact_from_supports(game, profile)?).ok()
}

/// Two profiles are the same equilibrium when no probability differs by more than
/// [`tol::PROB_MATCH`].
pub(crate) fn same_profile(a: &[Vec<f64>], b: &[Vec<f64>]) -> bool {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .all(|(x, y)| (x - y).abs() <= tol::PROB_MATCH)
}
