//! The payoff units GameTracer works in (Gambit's `BuildGame`): the smallest payoff of the game
//! is moved to 0, and for `gnm` the largest to 1. Neither changes the game's equilibria, but
//! both fix the scale of the path parameter λ (`--end-lambda`) and of `ipa`'s iteration, so
//! patron's answers can be compared with Gambit's run for run.

use crate::error::{Error, Result};
use crate::game::StrategicGame;
use crate::limits;
use crate::num::{to_f64, Q};

/// The shift and scale that put `game`'s payoffs onto `[0, 1]`, `u ↦ (u − shift) / scale`:
/// `min` and `max − min` (or 1 when every payoff is the same), in `f64` (the path maps the
/// game's float payoffs, [`super::payoffs::Payoffs::in_units`]).
pub fn unit_affine(game: &StrategicGame) -> Result<(f64, f64)> {
    let (min, max) = payoff_bounds(game)?;
    let range = &max - &min;
    let range = if range > Q::ZERO { range } else { Q::ONE };
    Ok((to_f64(&min), to_f64(&range)))
}

/// The smallest payoff over all players as a float (`ipa`'s shift: its iteration only moves
/// the payoffs to start at 0), from the float tables alone: rounding to `f64` is monotone, so
/// their least entry is the exact minimum rounded. The same limit as [`unit_affine`].
pub fn float_min(game: &StrategicGame) -> Result<f64> {
    let all = (0..game.num_players()).flat_map(|p| game.payoff_table_f64(p).iter());
    let (min, max) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &u| {
        (lo.min(u), hi.max(u))
    });
    check_float_range(min.abs().max(max.abs()))?;
    Ok(if min.is_finite() { min } else { 0.0 })
}

/// The smallest and largest payoff over all players; refuses payoffs beyond
/// [`limits::MAX_FLOAT_SOLVER_PAYOFF`], since both methods compute in `f64`. Found on the float
/// tables and settled exactly among the entries whose floats tie with the float extremes:
/// rounding to `f64` keeps order, so the exact extremes are among those (a rational comparison
/// per payoff would cost more than a small game's path).
fn payoff_bounds(game: &StrategicGame) -> Result<(Q, Q)> {
    let players = 0..game.num_players();
    let floats = players
        .clone()
        .flat_map(|p| game.payoff_table_f64(p).iter());
    let (lo, hi) = floats.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &u| {
        (lo.min(u), hi.max(u))
    });
    if lo > hi {
        // no payoffs
        return Ok((Q::ZERO, Q::ZERO));
    }
    check_float_range(lo.abs().max(hi.abs()))?;
    let tied = |target: f64| {
        players.clone().flat_map(move |p| {
            game.payoff_table_f64(p)
                .iter()
                .zip(game.payoff_table(p))
                .filter(move |(&u, _)| u == target)
                .map(|(_, q)| q)
        })
    };
    let min = tied(lo).min().cloned().unwrap_or(Q::ZERO);
    let max = tied(hi).max().cloned().unwrap_or(Q::ZERO);
    Ok((min, max))
}

/// Refuses a largest payoff magnitude beyond [`limits::MAX_FLOAT_SOLVER_PAYOFF`].
fn check_float_range(largest: f64) -> Result<()> {
    if !largest.is_finite() || largest > limits::MAX_FLOAT_SOLVER_PAYOFF {
        return Err(Error::limit(
            "MAX_FLOAT_SOLVER_PAYOFF",
            format!(
                "gnm and ipa compute in floating point: a payoff of absolute value {largest:e} \
             exceeds the limit {:e} (MAX_FLOAT_SOLVER_PAYOFF)",
                limits::MAX_FLOAT_SOLVER_PAYOFF
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::q_matrix;

    fn in_units(game: &StrategicGame, player: usize) -> Vec<f64> {
        let (shift, scale) = unit_affine(game).unwrap();
        let table = game.payoff_table_f64(player);
        table.iter().map(|u| (u - shift) / scale).collect()
    }

    #[test]
    fn maps_the_payoff_range_onto_zero_one() {
        let a = q_matrix(&[&[-2, 6], &[0, 2]]);
        let b = q_matrix(&[&[4, 0], &[-2, 1]]);
        let g = StrategicGame::bimatrix(&a, &b).unwrap();
        // player 1's payoffs (−2, 0, 6, 2) and player 2's (4, −2, 0, 1), over the range [−2, 6]
        assert_eq!(in_units(&g, 0), &[0.0, 0.25, 1.0, 0.5]);
        assert_eq!(in_units(&g, 1), &[0.75, 0.0, 0.25, 0.375]);
        assert_eq!(float_min(&g).unwrap(), -2.0);
    }

    /// Payoffs that differ by less than a rounding unit share their floats: the bounds are
    /// still the exact smallest and largest (against a brute-force rational comparison).
    #[test]
    fn bounds_are_exact_where_floats_tie() {
        let q = |text: &str| crate::num::parse_q(text).unwrap();
        let tiny = "1000000000000000000000000000000";
        let third_plus = q("1/3") + q(&format!("1/{tiny}"));
        let low = q("-2") - q(&format!("1/{tiny}"));
        let a = vec![
            vec![q("1/3"), third_plus.clone()],
            vec![low.clone(), q("0")],
        ];
        let b = vec![vec![q("-2"), q("1/3")], vec![q("0"), q("0")]];
        let g = StrategicGame::bimatrix(&a, &b).unwrap();
        assert_eq!(to_f64(&third_plus), to_f64(&q("1/3")));
        assert_eq!(to_f64(&low), -2.0);
        let all: Vec<Q> = a.iter().chain(&b).flatten().cloned().collect();
        let brute_min = all.iter().min().unwrap().clone();
        let brute_max = all.iter().max().unwrap().clone();
        assert_eq!((brute_min.clone(), brute_max.clone()), (low, third_plus));
        assert_eq!(payoff_bounds(&g).unwrap(), (brute_min, brute_max));
    }

    #[test]
    fn a_constant_game_is_moved_to_zero() {
        let a = q_matrix(&[&[3, 3], &[3, 3]]);
        let g = StrategicGame::bimatrix(&a, &a).unwrap();
        assert_eq!(in_units(&g, 1), &[0.0; 4]);
    }
}
