//! Correlated equilibria, checked against hand computations on chicken, Gambit's Nash equilibria
//! (pygambit's `enummixed`/`enumpure` answers in the corpus's expected files: every Nash
//! equilibrium is a correlated one), and a brute-force vertex enumeration written here.

use crate::common;

use patron::game::StrategicGame;
use patron::io::{read_game_file, GameFile};
use patron::num::{parse_q, q_matrix, Q};
use patron::solve::{
    correlated, correlated_regret, correlated_vertices, CorrelatedEq, CorrelatedOf, Objective,
};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn q(s: &str) -> Q {
    parse_q(s).unwrap()
}
fn qs(v: &[&str]) -> Vec<Q> {
    v.iter().map(|s| q(s)).collect()
}
fn exact(c: CorrelatedEq) -> CorrelatedOf<Q> {
    match c {
        CorrelatedEq::Exact(c) => c,
        CorrelatedEq::Float(c) => panic!("expected an exact answer, got {c:?}"),
    }
}

/// Chicken: C/D for each player; (C,C) = 6,6; (C,D) = 2,7; (D,C) = 7,2; (D,D) = 0,0.
/// Profiles are indexed player 1 fastest: 0 = (C,C), 1 = (D,C), 2 = (C,D), 3 = (D,D).
fn chicken() -> StrategicGame {
    StrategicGame::bimatrix(
        &q_matrix(&[&[6, 2], &[7, 0]]),
        &q_matrix(&[&[6, 7], &[2, 0]]),
    )
    .unwrap()
}

#[test]
fn chicken_welfare_maximum() {
    // With a = p(C,C), b = p(C,D), c = p(D,C), d = p(D,D) the incentive constraints are
    // −a + 2b ≥ 0, c − 2d ≥ 0 (player 1 told C, D), −a + 2c ≥ 0, b − 2d ≥ 0 (player 2).
    // Welfare 12a + 9b + 9c is largest at d = 0, b = c = a/2: a = 1/2, welfare 21/2
    // (Aumann 1974's example; above the 9 of either pure equilibrium and 28/3 of the mixed one).
    let c = exact(correlated(&chicken(), Objective::default()).unwrap());
    assert_eq!(c.distribution, qs(&["1/2", "1/4", "1/4", "0"]));
    assert_eq!(c.objective_value, q("21/2"));
    assert_eq!(c.payoffs, qs(&["21/4", "21/4"]));
    assert_eq!(c.regret, Q::ZERO);
}

#[test]
fn chicken_best_for_player_one() {
    // Player 1 can get at most 7 (its largest payoff), only from (D,C) for sure: a pure equilibrium.
    let c = exact(correlated(&chicken(), Objective::parse("1,0").unwrap()).unwrap());
    assert_eq!(c.distribution, qs(&["0", "1", "0", "0"]));
    assert_eq!(c.objective_value, q("7"));
}

#[test]
fn chicken_support_text_names_the_profiles() {
    let g = chicken().clone();
    let ce = correlated(&g, Objective::Welfare).unwrap();
    let text = ce.support_text(&g);
    assert_eq!(
        text,
        vec![
            (vec!["1".to_string(), "1".to_string()], "1/2".to_string()),
            (vec!["2".to_string(), "1".to_string()], "1/4".to_string()),
            (vec!["1".to_string(), "2".to_string()], "1/4".to_string()),
        ]
    );
}

#[test]
fn chicken_extreme_points_by_hand() {
    // Solving three of the eight constraints (four incentive rows, four p ≥ 0) with Σ = 1 and
    // keeping the feasible points: the two pure equilibria; the mixed equilibrium
    // (2/3, 1/3)² = (4/9, 2/9, 2/9, 1/9), where all four incentive rows bind; (1/2, 1/4, 1/4, 0),
    // the welfare maximum; and (0, 2/5, 2/5, 1/5) (a = 0, b = c = 2d), the welfare minimum 36/5.
    let got: BTreeSet<Vec<Q>> = correlated_vertices(&chicken())
        .unwrap()
        .into_iter()
        .collect();
    let want: BTreeSet<Vec<Q>> = [
        qs(&["0", "1", "0", "0"]),
        qs(&["0", "0", "1", "0"]),
        qs(&["4/9", "2/9", "2/9", "1/9"]),
        qs(&["1/2", "1/4", "1/4", "0"]),
        qs(&["0", "2/5", "2/5", "1/5"]),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want);
}

#[test]
fn regret_checker_sees_deviations() {
    // All weight on (C,C): player 1 told C gains 7 − 6 = 1 by playing D.
    let g = chicken();
    assert_eq!(correlated_regret(&g, &qs(&["1", "0", "0", "0"])), Q::ONE);
    // Uniform: player 1 told C gains (7−6 + 0−2)/4 < 0; told D gains (6−7 + 2−0)/4 = 1/4.
    assert_eq!(
        correlated_regret(&g, &qs(&["1/4", "1/4", "1/4", "1/4"])),
        q("1/4")
    );
    assert!((correlated_regret(&g, &[0.0, 0.5, 0.5, 0.0]) - 0.0).abs() < 1e-15);
}

#[test]
fn objectives_parse_and_are_checked() {
    assert_eq!(Objective::parse("welfare").unwrap(), Objective::Welfare);
    assert_eq!(
        Objective::parse("1/2, -1").unwrap(),
        Objective::Weights(qs(&["1/2", "-1"]))
    );
    assert!(Objective::parse("1,x").is_err());
    assert!(correlated(&chicken(), Objective::parse("1,2,3").unwrap()).is_err());
}

/// The product distribution of a mixed profile.
fn product(game: &StrategicGame, profile: &[Vec<Q>]) -> Vec<Q> {
    (0..game.num_profiles())
        .map(|k| {
            game.profile_at(k)
                .iter()
                .enumerate()
                .fold(Q::ONE, |acc, (p, &s)| acc * &profile[p][s])
        })
        .collect()
}

fn welfare(game: &StrategicGame, distribution: &[Q]) -> Q {
    (0..game.num_players())
        .flat_map(|i| {
            game.payoff_table(i)
                .iter()
                .zip(distribution)
                .map(|(u, p)| u * p)
        })
        .fold(Q::ZERO, |a, b| a + b)
}

#[test]
fn every_gambit_nash_equilibrium_is_correlated() {
    // Gambit's equilibria (enummixed for two players, enumpure for any number) as product
    // distributions: exactly zero correlated regret, and welfare between the CE minimum and maximum.
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let mut checked = 0;
    for (path, expected) in common::games_with_expected(&dir, "nfg") {
        let Ok(GameFile::Strategic(g)) = read_game_file(&path) else {
            continue;
        };
        let equilibria: Vec<_> = ["enummixed", "enumpure"]
            .iter()
            .filter_map(|s| common::solver(&expected, s))
            .flat_map(common::equilibria)
            .collect();
        if equilibria.is_empty() || g.num_profiles() > 5_000 {
            continue;
        }
        let best = exact(correlated(&g, Objective::Welfare).unwrap());
        let minus = Objective::Weights(vec![-Q::ONE; g.num_players()]);
        let worst = exact(correlated(&g, minus).unwrap());
        for eq in equilibria {
            let p = product(&g, &eq);
            assert_eq!(
                correlated_regret(&g, &p),
                Q::ZERO,
                "{}: {eq:?}",
                path.display()
            );
            let w = welfare(&g, &p);
            assert!(
                w <= best.objective_value && w >= -worst.objective_value.clone(),
                "{}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} equilibria checked");
}

/// Brute-force vertices: every choice of N − 1 constraints among `p ≥ 0` and the incentive
/// rows (built here from `payoff`), solved with Σp = 1 when the system has full rank, kept
/// when feasible.
fn brute_force_vertices(game: &StrategicGame) -> BTreeSet<Vec<Q>> {
    let n = game.num_profiles();
    let mut constraints: Vec<Vec<Q>> = (0..n)
        .map(|k| {
            (0..n)
                .map(|l| if k == l { -Q::ONE } else { Q::ZERO })
                .collect()
        })
        .collect();
    for i in 0..game.num_players() {
        for j in 0..game.num_strategies(i) {
            for alt in (0..game.num_strategies(i)).filter(|&a| a != j) {
                constraints.push(
                    (0..n)
                        .map(|k| {
                            let mut s = game.profile_at(k);
                            if s[i] != j {
                                return Q::ZERO;
                            }
                            let here = game.payoff(i, &s).clone();
                            s[i] = alt;
                            game.payoff(i, &s) - here
                        })
                        .collect(),
                );
            }
        }
    }
    let feasible = |x: &[Q]| {
        constraints
            .iter()
            .all(|c| c.iter().zip(x).fold(Q::ZERO, |a, (u, v)| a + u * v) <= Q::ZERO)
    };
    let mut out = BTreeSet::new();
    let mut pick: Vec<usize> = (0..n - 1).collect();
    loop {
        let mut a: Vec<Vec<Q>> = pick.iter().map(|&r| constraints[r].clone()).collect();
        let mut b = vec![Q::ZERO; n - 1];
        a.push(vec![Q::ONE; n]);
        b.push(Q::ONE);
        if let Some(x) = solve_unique(a, b) {
            if feasible(&x) {
                out.insert(x);
            }
        }
        let Some(i) = (0..n - 1)
            .rev()
            .find(|&i| pick[i] < constraints.len() - (n - 1) + i)
        else {
            break;
        };
        pick[i] += 1;
        for j in i + 1..n - 1 {
            pick[j] = pick[j - 1] + 1;
        }
    }
    out
}

/// The unique solution of a square system, or `None` if it is singular.
fn solve_unique(mut a: Vec<Vec<Q>>, mut b: Vec<Q>) -> Option<Vec<Q>> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n).find(|&r| a[r][c] != Q::ZERO)?;
        a.swap(c, p);
        b.swap(c, p);
        let pivot_row = std::mem::take(&mut a[c]);
        for (r, row) in a.iter_mut().enumerate() {
            if r != c && row[c] != Q::ZERO {
                let f = &row[c] / &pivot_row[c];
                for (x, p) in row.iter_mut().zip(&pivot_row).skip(c) {
                    *x -= &f * p;
                }
                let d = &f * &b[c];
                b[r] -= d;
            }
        }
        a[c] = pivot_row;
    }
    Some((0..n).map(|i| &b[i] / &a[i][i]).collect())
}

fn payoffs(m: usize, n: usize) -> impl Strategy<Value = Vec<Vec<Q>>> {
    prop::collection::vec(prop::collection::vec((-4i64..=4).prop_map(Q::from), n), m)
}

fn random_game() -> impl Strategy<Value = StrategicGame> {
    prop_oneof![Just((2usize, 2usize)), Just((2, 3)), Just((3, 2))]
        .prop_flat_map(|(m, n)| (payoffs(m, n), payoffs(m, n)))
        .prop_map(|(a, b)| StrategicGame::bimatrix(&a, &b).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(30))]

    #[test]
    fn vertices_match_brute_force_and_the_lp_optimum(g in random_game(), w1 in -3i64..=3, w2 in -3i64..=3) {
        let vertices = correlated_vertices(&g).unwrap();
        let set: BTreeSet<Vec<Q>> = vertices.iter().cloned().collect();
        prop_assert_eq!(set.len(), vertices.len());
        prop_assert_eq!(&set, &brute_force_vertices(&g));
        // a linear objective's maximum over the polytope is its maximum over the vertices
        let weights = vec![Q::from(w1), Q::from(w2)];
        let value = |x: &[Q]| (0..2).map(|i| g.payoff_table(i).iter().zip(x).fold(Q::ZERO, |a, (u, p)| a + u * p) * &weights[i]).fold(Q::ZERO, |a, b| a + b);
        let best = vertices.iter().map(|v| value(v)).max().unwrap();
        let lp = exact(correlated(&g, Objective::Weights(weights.clone())).unwrap());
        prop_assert_eq!(&lp.objective_value, &best);
        prop_assert_eq!(value(&lp.distribution), best);
    }
}

#[test]
fn three_player_vertices_match_brute_force() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let GameFile::Strategic(g) = read_game_file(&dir.join("2x2x2.nfg")).unwrap() else {
        panic!()
    };
    let vertices: BTreeSet<Vec<Q>> = correlated_vertices(&g).unwrap().into_iter().collect();
    assert_eq!(vertices, brute_force_vertices(&g));
    for v in &vertices {
        assert_eq!(correlated_regret(&g, v), Q::ZERO);
    }
}

#[test]
fn large_games_are_refused_for_vertices() {
    let a = vec![vec![Q::ZERO; 5]; 5];
    let g = StrategicGame::bimatrix(&a, &a).unwrap();
    assert_eq!(
        correlated_vertices(&g).unwrap_err().exceeded_limit(),
        Some("MAX_CE_VERTEX_PROFILES")
    );
}
