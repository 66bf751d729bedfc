//! Dominance between pure strategies, exact.
//!
//! Strategy `s` of a player is strictly dominated by `t` when `t` pays strictly more against
//! every pure profile of the others, weakly dominated when it never pays less and sometimes more.

use crate::game::StrategicGame;

/// How one strategy is dominated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dominated {
    pub player: usize,
    pub strategy: usize,
    pub by: usize,
    pub strict: bool,
}

/// Every pure strategy dominated by another pure strategy of the same player
/// (reporting, for each dominated strategy, the first dominator, strict before weak).
///
/// Cost: each ordered pair `(t, s)` compares the two strategies' payoffs against the others'
/// profiles and stops at the first profile where `t` pays less, which on games without
/// dominance comes after a few profiles; the comparisons are of integers when the player's
/// table has an integer view (one common denominator, so numerators order as payoffs do).
pub fn dominated_strategies(game: &StrategicGame) -> Vec<Dominated> {
    let mut found = Vec::new();
    for p in 0..game.num_players() {
        let relation: Box<dyn Fn(usize, usize) -> Option<bool>> = match game.payoff_table_int(p) {
            Some(view) => Box::new(move |t, s| compare(game, p, view.numerators(), t, s)),
            None => Box::new(move |t, s| compare(game, p, game.payoff_table(p), t, s)),
        };
        let strategies = game.num_strategies(p);
        for s in 0..strategies {
            let mut weak = None;
            let mut strict = None;
            for t in (0..strategies).filter(|&t| t != s) {
                match relation(t, s) {
                    Some(true) => {
                        strict = Some(t);
                        break;
                    }
                    Some(false) => {
                        weak = weak.or(Some(t));
                    }
                    None => {}
                }
            }
            if let Some(by) = strict.or(weak) {
                found.push(Dominated {
                    player: p,
                    strategy: s,
                    by,
                    strict: strict.is_some(),
                });
            }
        }
    }
    found
}

/// `Some(true)` if `t` strictly dominates `s`, `Some(false)` if only weakly, `None` otherwise,
/// on player `p`'s `table` (payoffs in the game's profile order).
fn compare<T: PartialOrd>(
    game: &StrategicGame,
    p: usize,
    table: &[T],
    t: usize,
    s: usize,
) -> Option<bool> {
    let stride = game.stride(p);
    let block = stride * game.num_strategies(p);
    let (mut all_strict, mut some_better) = (true, false);
    // The profiles where `p` plays `s`: the others' profile is `high · block + low`.
    for high in (0..game.num_profiles()).step_by(block.max(1)) {
        for low in 0..stride {
            let (us, ut) = (
                &table[high + low + s * stride],
                &table[high + low + t * stride],
            );
            if ut < us {
                return None;
            }
            if ut > us {
                some_better = true;
            } else {
                all_strict = false;
            }
        }
    }
    if all_strict {
        Some(true)
    } else if some_better {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::q_matrix;

    #[test]
    fn prisoners_dilemma_cooperation_is_strictly_dominated() {
        // strategies: 0 = cooperate, 1 = defect
        let a = q_matrix(&[&[3, 0], &[5, 1]]);
        let b = q_matrix(&[&[3, 5], &[0, 1]]);
        let g = StrategicGame::bimatrix(&a, &b).unwrap();
        let d = dominated_strategies(&g);
        assert_eq!(
            d,
            vec![
                Dominated {
                    player: 0,
                    strategy: 0,
                    by: 1,
                    strict: true
                },
                Dominated {
                    player: 1,
                    strategy: 0,
                    by: 1,
                    strict: true
                }
            ]
        );
    }

    #[test]
    fn weak_dominance_and_identical_strategies() {
        // row 1 weakly dominates row 0 (ties in column 0); rows 1 and 2 are identical (no dominance).
        let a = q_matrix(&[&[1, 0], &[1, 2], &[1, 2]]);
        let g = StrategicGame::bimatrix(&a, &a).unwrap();
        let d: Vec<_> = dominated_strategies(&g)
            .into_iter()
            .filter(|d| d.player == 0)
            .collect();
        assert_eq!(
            d,
            vec![Dominated {
                player: 0,
                strategy: 0,
                by: 1,
                strict: false
            }]
        );
    }

    /// Against the definition, profile by profile through `StrategicGame::payoff`, on random
    /// three-player games with few payoff values (ties, so weak dominance occurs) and with
    /// fractional payoffs (no integer view for some tables).
    #[test]
    fn agrees_with_the_definition_on_random_games() {
        use crate::game::random::SplitMix64;
        use crate::num::Q;
        for seed in 0..200u64 {
            let mut rng = SplitMix64(seed);
            let counts: Vec<usize> = (0..3).map(|_| 1 + (rng.next_u64() % 3) as usize).collect();
            let profiles: usize = counts.iter().product();
            let payoffs: Vec<Vec<Q>> = (0..3)
                .map(|_| {
                    (0..profiles)
                        .map(|_| Q::from(rng.next_u64() % 3) / Q::from(1 + seed % 2))
                        .collect()
                })
                .collect();
            let names = |k: usize| (0..k).map(|i| i.to_string()).collect::<Vec<_>>();
            let g = StrategicGame::new(
                "",
                names(3),
                counts.iter().map(|&k| names(k)).collect(),
                payoffs,
            )
            .unwrap();
            let mut expected = Vec::new();
            for p in 0..3 {
                let relation = |t: usize, s: usize| {
                    let (mut ge, mut gt, mut all_gt) = (true, false, true);
                    for k in 0..profiles {
                        let mut pure = g.profile_at(k);
                        if pure[p] != s {
                            continue;
                        }
                        let us = g.payoff(p, &pure).clone();
                        pure[p] = t;
                        let ut = g.payoff(p, &pure).clone();
                        ge &= ut >= us;
                        gt |= ut > us;
                        all_gt &= ut > us;
                    }
                    (ge && all_gt, ge && gt)
                };
                for s in 0..counts[p] {
                    let others = || (0..counts[p]).filter(move |&t| t != s);
                    let strict = others().find(|&t| relation(t, s).0);
                    let weak = others().find(|&t| relation(t, s).1);
                    if let Some(by) = strict.or(weak) {
                        let strict = strict.is_some();
                        expected.push(Dominated {
                            player: p,
                            strategy: s,
                            by,
                            strict,
                        });
                    }
                }
            }
            assert_eq!(dominated_strategies(&g), expected, "seed {seed}");
        }
    }
}
