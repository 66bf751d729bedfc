//! From an approximate equilibrium to a certified one: the last step of the approximate
//! solvers (`simpdiv`, `liap`).
//!
//! Those solvers stop at an ε-equilibrium: a profile whose regret is at most their `maxregret`
//! times the payoff range (Gambit's convention). Often it lies close to an equilibrium that is
//! known more precisely, so before reporting it this module tries, in turn:
//!
//! 1. the profile itself, when it is exact (simpdiv's grid points) and its regret is exactly 0,
//!    or when it certifies at the project's float standard (then made exact when the simplest
//!    nearby rationals certify);
//! 2. for each support threshold of [`tol::POLISH_SUPPORT`]: the strategies played with more
//!    probability form a support; the exact solution of its indifference equations when at most
//!    two players mix (as in two-player support enumeration; von Stengel 2002, §2.4); then
//!    Newton's method on the support's polynomial system (McKelvey & McLennan 1996, §6; the
//!    system of `enumpoly`) from the approximate point, kept only if it moves no probability by
//!    more than [`tol::POLISH_DISTANCE`] (so the answer is the equilibrium the solver was
//!    approaching; the same holds for the exact solutions) and certifies at the project's float
//!    standard, then made exact when the simplest nearby rationals certify;
//! 3. otherwise the approximate profile, certified against the solver's stated bound
//!    ([`certify_float_within`]) and reported with its regret.
//!
//! Every answer passes certification ([`crate::game::regret`]), which shares no code with this.

use crate::game::regret::certify_float_within;
use crate::game::{certify_exact, certify_float, Equilibrium, StrategicGame};
use crate::num::{to_f64, tol, Q};
use crate::solve::enumpoly::rational::exact_guess;
use crate::solve::enumpoly::subdivision::newton;
use crate::solve::enumpoly::system::SupportSystem;
use crate::solve::enumpoly::two_mixers;

/// The best certified answer near `approximate` (see the module docs), or `None` when even the
/// approximate profile fails its bound. `exact` is the same profile in exact arithmetic, when
/// the solver has it.
pub fn polish(
    game: &StrategicGame,
    approximate: &[Vec<f64>],
    exact: Option<&[Vec<Q>]>,
    bound: f64,
) -> Option<Equilibrium> {
    if let Some(Ok(certified)) = exact.map(|e| certify_exact(game, e.to_vec())) {
        return Some(Equilibrium::Exact(certified));
    }
    let near = |found: &[Vec<f64>]| {
        found
            .iter()
            .flatten()
            .zip(approximate.iter().flatten())
            .all(|(a, b)| (a - b).abs() <= tol::POLISH_DISTANCE)
    };
    let near_exact = |e: Vec<Vec<Q>>| {
        let as_f64: Vec<Vec<f64>> = e.iter().map(|s| s.iter().map(to_f64).collect()).collect();
        near(&as_f64).then(|| certify_exact(game, e).ok()).flatten()
    };
    // Already an equilibrium at the project's float standard: only made exact if possible.
    if let Ok(certified) = certify_float(game, approximate.to_vec()) {
        let exact = exact_guess(certified.profile()).and_then(near_exact);
        return Some(exact.map_or(Equilibrium::Float(certified), Equilibrium::Exact));
    }
    for &threshold in &tol::POLISH_SUPPORT {
        let snapped = snap(approximate, threshold);
        if let Some(certified) =
            two_mixers::exact_from_supports(game, &snapped).and_then(near_exact)
        {
            return Some(Equilibrium::Exact(certified));
        }
        if let Some(found) = newton_on_support(game, &snapped).filter(|f| near(f)) {
            if let Ok(certified) = certify_float(game, found) {
                let exact = exact_guess(certified.profile()).and_then(near_exact);
                return Some(exact.map_or(Equilibrium::Float(certified), Equilibrium::Exact));
            }
        }
    }
    certify_float_within(game, approximate.to_vec(), bound)
        .ok()
        .map(Equilibrium::Float)
}

/// Probabilities at most `threshold` set to 0, each player's vector renormalised.
fn snap(profile: &[Vec<f64>], threshold: f64) -> Vec<Vec<f64>> {
    profile
        .iter()
        .map(|s| {
            let kept: Vec<f64> = s
                .iter()
                .map(|&p| if p > threshold { p } else { 0.0 })
                .collect();
            let sum: f64 = kept.iter().sum();
            if sum > 0.0 {
                kept.iter().map(|p| p / sum).collect()
            } else {
                s.clone()
            }
        })
        .collect()
}

/// Newton's method on the indifference equations of `profile`'s support, from `profile`; the
/// profile it converges to, with probabilities clipped at 0 and renormalised, or `None`.
fn newton_on_support(game: &StrategicGame, profile: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let supports: Vec<Vec<usize>> = profile
        .iter()
        .map(|s| (0..s.len()).filter(|&k| s[k] > 0.0).collect())
        .collect();
    let system = SupportSystem::new(game, &supports);
    let start: Vec<f64> = supports
        .iter()
        .zip(profile)
        .flat_map(|(support, s)| support[1..].iter().map(|&k| s[k]).collect::<Vec<_>>())
        .collect();
    let root = newton(&system, &start)?;
    let mut found = system.profile(game, &root);
    for s in &mut found {
        if s.iter().any(|&p| p < -tol::ROOT_PROBABILITY) {
            return None;
        }
        s.iter_mut().for_each(|p| *p = p.max(0.0));
        let sum: f64 = s.iter().sum();
        s.iter_mut().for_each(|p| *p /= sum);
    }
    Some(found)
}
