//! The test-side index of an equilibrium (`common::index`, computed from the game alone) against
//! closed forms and against index theory's sum rule on enumpoly's complete lists; gnm's
//! crossings are checked against it in `tests/gnm.rs`.

use crate::common;
use common::index::index;
use patron::game::{random_bimatrix, random_game, Equilibrium, StrategicGame};
use patron::num::Q;
use patron::solve::{solve_strategic, Method, SolveOptions};

fn bimatrix(a: [[i64; 2]; 2], b: [[i64; 2]; 2]) -> StrategicGame {
    let q = |m: [[i64; 2]; 2]| -> Vec<Vec<Q>> {
        m.iter()
            .map(|r| r.iter().map(|&x| Q::from(x)).collect())
            .collect()
    };
    StrategicGame::bimatrix(&q(a), &q(b)).unwrap()
}

/// Prisoner's dilemma: the one equilibrium (defect, defect) is strict, index +1.
#[test]
fn a_strict_pure_equilibrium_has_index_plus_one() {
    let game = bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]);
    assert_eq!(index(&game, &[vec![0.0, 1.0], vec![0.0, 1.0]]), Ok(1));
}

/// Coordination: both pure equilibria +1, the mixed one (1/3, 2/3 for payoffs 2 and 1) −1;
/// they add up to +1.
#[test]
fn coordination_indices_are_plus_minus_plus() {
    let game = bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]]);
    let mixed = vec![vec![1.0 / 3.0, 2.0 / 3.0], vec![1.0 / 3.0, 2.0 / 3.0]];
    assert_eq!(index(&game, &mixed), Ok(-1));
    assert_eq!(index(&game, &[vec![1.0, 0.0], vec![1.0, 0.0]]), Ok(1));
    assert_eq!(index(&game, &[vec![0.0, 1.0], vec![0.0, 1.0]]), Ok(1));
}

/// Matching pennies: the unique equilibrium, fully mixed, has index +1.
#[test]
fn matching_pennies_has_index_plus_one() {
    let game = bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]);
    assert_eq!(index(&game, &[vec![0.5, 0.5], vec![0.5, 0.5]]), Ok(1));
}

/// An equilibrium that is not regular is refused: at (first, first) player 2's unused second
/// strategy earns as much (1) as the first.
#[test]
fn a_weak_best_reply_off_the_support_is_not_regular() {
    let game = bimatrix([[1, 0], [0, 1]], [[1, 1], [0, 1]]);
    assert!(index(&game, &[vec![1.0, 0.0], vec![1.0, 0.0]]).is_err());
}

/// The indices of all equilibria of a generic game add up to +1: on random games of two to
/// four players, over enumpoly's (or for two players enummixed's) complete lists.
#[test]
fn indices_over_all_equilibria_add_up_to_one() {
    let mut games: Vec<StrategicGame> = Vec::new();
    for seed in 0..6 {
        games.push(random_bimatrix(3, 3, 1_000_000, seed));
        games.push(random_bimatrix(4, 4, 1_000_000, seed));
    }
    for (k, counts) in [
        vec![2, 2, 2],
        vec![2, 2, 3],
        vec![3, 3, 2],
        vec![2, 2, 2, 2],
    ]
    .iter()
    .enumerate()
    {
        for seed in 0..4u64 {
            games.push(random_game(counts, 1_000_000, 1000 * k as u64 + seed).unwrap());
        }
    }
    let mut counts_seen = std::collections::BTreeMap::new();
    for game in &games {
        let method = if game.num_players() == 2 {
            Method::EnumMixed
        } else {
            Method::EnumPoly
        };
        let all = solve_strategic(game, method, &SolveOptions::default()).unwrap();
        let indices: Vec<i32> = all
            .equilibria
            .iter()
            .map(Equilibrium::profile_f64)
            .map(|p| index(game, &p).unwrap_or_else(|e| panic!("{p:?}: {e}")))
            .collect();
        assert_eq!(
            indices.iter().sum::<i32>(),
            1,
            "{:?}: indices {indices:?}",
            game.strategy_counts()
        );
        *counts_seen.entry(indices.len()).or_insert(0) += 1;
    }
    // the sum rule is tested on games with several equilibria, not only unique ones
    assert!(
        counts_seen.keys().any(|&n| n >= 5),
        "equilibrium counts seen: {counts_seen:?}"
    );
}
