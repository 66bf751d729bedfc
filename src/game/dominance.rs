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
pub fn dominated_strategies(game: &StrategicGame) -> Vec<Dominated> {
    let mut found = Vec::new();
    for p in 0..game.num_players() {
        for s in 0..game.num_strategies(p) {
            let relation = |t: usize| compare(game, p, t, s);
            let strict = (0..game.num_strategies(p)).find(|&t| t != s && relation(t) == Some(true));
            let weak =
                || (0..game.num_strategies(p)).find(|&t| t != s && relation(t) == Some(false));
            if let Some(by) = strict {
                found.push(Dominated {
                    player: p,
                    strategy: s,
                    by,
                    strict: true,
                });
            } else if let Some(by) = weak() {
                found.push(Dominated {
                    player: p,
                    strategy: s,
                    by,
                    strict: false,
                });
            }
        }
    }
    found
}

/// `Some(true)` if `t` strictly dominates `s`, `Some(false)` if only weakly, `None` otherwise.
fn compare(game: &StrategicGame, p: usize, t: usize, s: usize) -> Option<bool> {
    let stride = game.stride(p);
    let table = game.payoff_table(p);
    let (mut all_strict, mut some_better) = (true, false);
    for k in 0..game.num_profiles() {
        if (k / stride) % game.num_strategies(p) != s {
            continue;
        }
        let kt = k - s * stride + t * stride;
        let (ut, us) = (&table[kt], &table[k]);
        if ut < us {
            return None;
        }
        if ut > us {
            some_better = true;
        } else {
            all_strict = false;
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
}
