//! Support profiles: which strategies each player may use with positive probability.
//!
//! Every Nash equilibrium has one support profile (the strategies played with positive
//! probability), so enumerating the `Π_i (2^{n_i} − 1)` profiles of nonempty supports and
//! solving each one's indifference system finds them all (McKelvey & McLennan 1996, §6; Gambit's
//! `gambit-enumpoly`). A profile is skipped when some strategy in a support is strictly
//! dominated, against the opponents' supports, by another strategy of the same player: that
//! strategy is never a best response there, so it cannot be played in an equilibrium with these
//! supports. A dominating strategy outside the support covers the case of a strategy outside
//! that would be a strict improvement everywhere.

use crate::error::{Error, Result};
use crate::game::regret::payoff_scale;
use crate::game::StrategicGame;
use crate::limits;
use crate::num::tol;

/// Number of profiles of nonempty supports, refused above [`limits::MAX_SUPPORT_PROFILES`].
pub fn check_support_count(game: &StrategicGame) -> Result<u128> {
    let count = game.strategy_counts().iter().fold(1u128, |acc, &n| {
        let per_player = if n >= 127 {
            u128::MAX
        } else {
            (1u128 << n) - 1
        };
        acc.saturating_mul(per_player)
    });
    if count > limits::MAX_SUPPORT_PROFILES {
        return Err(Error::limit(
            "MAX_SUPPORT_PROFILES",
            format!(
                "enumpoly: strategy counts {:?} give {} support profiles; the limit is {} \
             (MAX_SUPPORT_PROFILES)",
                game.strategy_counts(),
                if count == u128::MAX {
                    "more than 2^127".to_string()
                } else {
                    count.to_string()
                },
                limits::MAX_SUPPORT_PROFILES
            ),
        ));
    }
    Ok(count)
}

/// Every support profile (each player's support as increasing strategy indices), player 1's
/// support varying fastest. Call [`check_support_count`] first: the masks are `u32`.
pub fn support_profiles(game: &StrategicGame) -> impl Iterator<Item = Vec<Vec<usize>>> {
    let counts = game.strategy_counts();
    let ends: Vec<u32> = counts.iter().map(|&n| 1u32 << n.min(31)).collect();
    let mut masks = Some(vec![1u32; counts.len()]);
    std::iter::from_fn(move || {
        let current = masks.take()?;
        let mut next = current.clone();
        let advanced = next.iter_mut().zip(&ends).any(|(mask, &end)| {
            *mask += 1;
            if *mask < end {
                return true;
            }
            *mask = 1;
            false
        });
        if advanced {
            masks = Some(next);
        }
        Some(
            current
                .iter()
                .zip(&counts)
                .map(|(&mask, &n)| (0..n).filter(|&s| mask >> s & 1 == 1).collect())
                .collect(),
        )
    })
}

/// Flat profile index of every profile of `player`'s opponents drawn from their supports, with
/// `player`'s own strategy 0 (add `s · stride(player)` for strategy `s`).
pub fn opponent_bases(game: &StrategicGame, supports: &[Vec<usize>], player: usize) -> Vec<usize> {
    let mut bases = vec![0];
    for (q, support) in supports.iter().enumerate() {
        if q == player {
            continue;
        }
        let stride = game.stride(q);
        bases = support
            .iter()
            .flat_map(|&s| bases.iter().map(move |b| b + s * stride))
            .collect();
    }
    bases
}

/// Whether some player's support holds a strategy strictly dominated, against the opponents'
/// supports, by another of its strategies. Payoffs are compared in `f64` with a margin of
/// [`tol::SUPPORT_DOMINANCE`] × the payoff scale, far above the rounding of reading exact
/// payoffs into `f64`: a profile is skipped only when the domination is certain.
pub fn has_dominated_strategy(game: &StrategicGame, supports: &[Vec<usize>]) -> bool {
    let margin = tol::SUPPORT_DOMINANCE * payoff_scale(game);
    (0..game.num_players()).any(|p| {
        let table = game.payoff_table_f64(p);
        let stride = game.stride(p);
        let bases = opponent_bases(game, supports, p);
        supports[p].iter().any(|&s| {
            (0..game.num_strategies(p)).any(|t| {
                t != s
                    && bases
                        .iter()
                        .all(|&b| table[b + t * stride] - table[b + s * stride] > margin)
            })
        })
    })
}
