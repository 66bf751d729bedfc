//! `enumpure`: every pure-strategy Nash equilibrium of a strategic game, by checking each pure
//! profile against every unilateral deviation (Gambit's `gambit-enumpure`).
//!
//! Exact: payoffs are compared as rationals, so ties count as best responses. Cost
//! `O(players × profiles)`: for each player and each profile of the others, one pass finds the
//! best payoff over the player's own strategies and marks the profiles that miss it.

use crate::error::{Error, Result};
use crate::game::StrategicGame;
use crate::limits;
use crate::num::Q;

/// All pure Nash equilibria, each as one strategy index per player (0-based), in Gambit's
/// order: increasing flat profile index, player 1's strategy varying fastest.
///
/// Each equilibrium is later listed as a mixed profile over every player's strategies, so
/// the count is bounded: at most [`limits::MAX_LISTED_PROBABILITIES`] probabilities in all
/// (a game of ties can have as many pure equilibria as profiles).
pub fn enumpure(game: &StrategicGame) -> Result<Vec<Vec<usize>>> {
    let profiles = game.num_profiles();
    let mut is_equilibrium = vec![true; profiles];
    for player in 0..game.num_players() {
        let table = game.payoff_table(player);
        let stride = game.stride(player);
        let count = game.num_strategies(player);
        // profiles where `player` plays its first strategy: one per profile of the others
        let firsts = (0..profiles).filter(|k| (k / stride) % count == 0);
        for first in firsts {
            let own = |s: usize| first + s * stride;
            let best: &Q = (0..count)
                .map(|s| &table[own(s)])
                .max()
                .unwrap_or(&table[first]);
            for s in 0..count {
                if table[own(s)] != *best {
                    is_equilibrium[own(s)] = false;
                }
            }
        }
    }
    let count = is_equilibrium.iter().filter(|&&e| e).count();
    let width: usize = (0..game.num_players())
        .map(|p| game.num_strategies(p))
        .sum();
    let probabilities = (count as u128).saturating_mul(width as u128);
    if probabilities > limits::MAX_LISTED_PROBABILITIES {
        return Err(Error::limit(
            "MAX_LISTED_PROBABILITIES",
            format!(
                "enumpure: {count} pure equilibria of {width} strategies in all would list \
             {probabilities} probabilities, over the limit of {} (MAX_LISTED_PROBABILITIES); \
             the game has large sets of equivalent equilibria",
                limits::MAX_LISTED_PROBABILITIES
            ),
        ));
    }
    Ok((0..profiles)
        .filter(|&k| is_equilibrium[k])
        .map(|k| game.profile_at(k))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::certify_exact;

    fn bimatrix(a: &[&[i64]], b: &[&[i64]]) -> StrategicGame {
        let q = |m: &[&[i64]]| {
            m.iter()
                .map(|r| r.iter().map(|&v| Q::from(v)).collect())
                .collect::<Vec<_>>()
        };
        StrategicGame::bimatrix(&q(a), &q(b)).unwrap()
    }

    #[test]
    fn prisoners_dilemma_has_mutual_defection_only() {
        // strategy 0 = cooperate, 1 = defect
        let g = bimatrix(&[&[3, 0], &[5, 1]], &[&[3, 5], &[0, 1]]);
        assert_eq!(enumpure(&g).unwrap(), vec![vec![1, 1]]);
    }

    #[test]
    fn ties_count_as_best_responses() {
        // all-zero 2×3 game: every profile is an equilibrium, listed player-1-fastest
        let g = bimatrix(&[&[0, 0, 0], &[0, 0, 0]], &[&[0, 0, 0], &[0, 0, 0]]);
        let expected: Vec<Vec<usize>> = (0..3)
            .flat_map(|j| (0..2).map(move |i| vec![i, j]))
            .collect();
        assert_eq!(enumpure(&g).unwrap(), expected);
    }

    #[test]
    fn three_player_unanimity_game() {
        // each player gets 1 when all three agree, else 0: exactly the two unanimous profiles
        let tables: Vec<Vec<Q>> = (0..3)
            .map(|_| (0..8).map(|k| Q::from((k == 0 || k == 7) as i64)).collect())
            .collect();
        let labels = vec![vec!["a".to_string(), "b".to_string()]; 3];
        let g = StrategicGame::new("", vec!["1".into(), "2".into(), "3".into()], labels, tables)
            .unwrap();
        let eqs = enumpure(&g).unwrap();
        assert_eq!(eqs, vec![vec![0, 0, 0], vec![1, 1, 1]]);
        for e in eqs {
            let profile = e
                .iter()
                .map(|&s| (0..2).map(|t| Q::from((t == s) as i64)).collect())
                .collect();
            assert!(certify_exact(&g, profile).is_ok());
        }
    }

    #[test]
    fn matching_pennies_has_none() {
        let g = bimatrix(&[&[1, -1], &[-1, 1]], &[&[-1, 1], &[1, -1]]);
        assert!(enumpure(&g).unwrap().is_empty());
    }
}
