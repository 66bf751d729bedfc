//! Lemke–Howson against hand-computed equilibria, brute-force support enumeration, and the
//! exact path; every profile is re-certified here.

use super::*;
use crate::game::certify_exact;
use crate::num::q_matrix;
use proptest::prelude::*;

fn q(v: i64) -> Q {
    Q::from(v)
}

fn frac(n: i64, d: i64) -> Q {
    Q::from(n) / Q::from(d)
}

fn game(a: &[&[i64]], b: &[&[i64]]) -> StrategicGame {
    StrategicGame::bimatrix(&q_matrix(a), &q_matrix(b)).unwrap()
}

/// An m×n bimatrix game from row-major integer tables (also used by `solve::lcp::lemke`'s tests).
pub(crate) fn game_from_flat(m: usize, n: usize, a: &[i64], b: &[i64]) -> StrategicGame {
    let rows = |v: &[i64]| -> Vec<Vec<Q>> {
        assert_eq!(v.len(), m * n);
        v.chunks(n)
            .map(|r| r.iter().map(|&x| q(x)).collect())
            .collect()
    };
    StrategicGame::bimatrix(&rows(a), &rows(b)).unwrap()
}

#[test]
fn unique_mixed_equilibrium_of_a_2x2_game_matches_the_hand_solution() {
    // A = [[0,2],[1,0]], B = [[1,0],[0,2]]: no pure equilibrium. Player 1 indifferent:
    // 2·y2 = y1 ⇒ y = (2/3, 1/3); player 2 indifferent: x1 = 2·x2 ⇒ x = (2/3, 1/3).
    let g = game(&[&[0, 2], &[1, 0]], &[&[1, 0], &[0, 2]]);
    let expected = vec![vec![frac(2, 3), frac(1, 3)], vec![frac(2, 3), frac(1, 3)]];
    for label in 0..4 {
        let eq = lemke_howson(&g, label).unwrap();
        assert_eq!(eq, expected, "label {label}");
        let c = certify_exact(&g, eq).unwrap();
        assert_eq!(c.payoffs(), vec![frac(2, 3), frac(2, 3)]);
        assert_eq!(lemke_howson_exact(&g, label).unwrap(), expected);
    }
    assert_eq!(lcp_all(&g).unwrap(), vec![expected]);
}

/// Von Stengel's (2002, §2.6) degenerate game: against row 1, player 2's columns tie.
/// Equilibria (by hand): x = (1,0,0) with y = (1 − t, t), 0 ≤ t ≤ 1/3; and the isolated
/// ((0, 1/3, 2/3), (1/3, 2/3)).
#[test]
fn degenerate_game_with_ratio_ties_ends_at_a_hand_computed_equilibrium() {
    let a: &[&[i64]] = &[&[3, 3], &[2, 5], &[0, 6]];
    let b: &[&[i64]] = &[&[3, 3], &[2, 6], &[3, 1]];
    let g = game(a, b);
    // Dropping label 0 enters x_1 in P's tableau, whose rows s_1, s_2 have ratios
    // 1/B'_11 and 1/B'_12: equal, since B_11 = B_12 — the plain ratio test cannot decide.
    assert_eq!(b[0][0], b[0][1]);
    let in_set = |eq: &Vec<Vec<Q>>| {
        let component = eq[0] == vec![q(1), q(0), q(0)]
            && eq[1][1] <= frac(1, 3)
            && eq[1][0].clone() + &eq[1][1] == q(1)
            && eq[1][1] >= q(0);
        let isolated = *eq
            == vec![
                vec![q(0), frac(1, 3), frac(2, 3)],
                vec![frac(1, 3), frac(2, 3)],
            ];
        component || isolated
    };
    for label in 0..5 {
        let fast = lemke_howson(&g, label).unwrap();
        let exact = lemke_howson_exact(&g, label).unwrap();
        assert!(in_set(&fast), "label {label}: {fast:?}");
        assert_eq!(fast, exact, "label {label}");
        certify_exact(&g, fast).unwrap();
    }
}

#[test]
fn refuses_other_games_and_bad_labels() {
    let g = game(&[&[1, 0], &[0, 1]], &[&[1, 0], &[0, 1]]);
    assert!(matches!(lemke_howson(&g, 4), Err(Error::Usage(_))));
    let three = StrategicGame::new(
        "",
        vec!["a".into(), "b".into(), "c".into()],
        vec![vec!["1".into()], vec!["1".into()], vec!["1".into()]],
        vec![vec![q(0)], vec![q(0)], vec![q(0)]],
    )
    .unwrap();
    assert!(matches!(
        lemke_howson(&three, 0),
        Err(Error::Unsupported(_))
    ));
    assert!(matches!(lcp_all(&three), Err(Error::Unsupported(_))));
}

#[test]
fn coordination_game_finds_both_pure_equilibria_and_the_mixed_one() {
    // A = B = [[2,0],[0,1]]: pure (1,1), (2,2), mixed x = y = (1/3, 2/3).
    let g = game(&[&[2, 0], &[0, 1]], &[&[2, 0], &[0, 1]]);
    let all = lcp_all(&g).unwrap();
    let pure1 = vec![vec![q(1), q(0)], vec![q(1), q(0)]];
    let pure2 = vec![vec![q(0), q(1)], vec![q(0), q(1)]];
    // Shapley (1974): from the artificial equilibrium every label leads to a pure equilibrium
    // here; the mixed one (index −1) is reachable only from another equilibrium.
    assert!(all.contains(&pure1) && all.contains(&pure2), "{all:?}");
    assert_eq!(all.len(), 2);
}

/// Gaussian elimination over Q, written here independently of the solver's tableau.
fn solve(mut a: Vec<Vec<Q>>, mut b: Vec<Q>) -> Option<Vec<Q>> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n).find(|&r| a[r][c] != Q::ZERO)?;
        a.swap(c, p);
        b.swap(c, p);
        let (pivot_row, pivot_b) = (a[c].clone(), b[c].clone());
        for (r, (row, br)) in a.iter_mut().zip(b.iter_mut()).enumerate() {
            if r != c && row[c] != Q::ZERO {
                let f = row[c].clone() / &pivot_row[c];
                for (x, p) in row[c..].iter_mut().zip(&pivot_row[c..]) {
                    *x -= &f * p;
                }
                *br -= &f * &pivot_b;
            }
        }
    }
    Some((0..n).map(|i| b[i].clone() / &a[i][i]).collect())
}

/// The mixed strategy on `support` (of size k) making the opponent indifferent over
/// `their` (size k): `Σ_s u(t, s) σ_s = v` for t in `their`, `Σ σ = 1`.
fn indifference(
    u: impl Fn(usize, usize) -> Q,
    support: &[usize],
    their: &[usize],
    len: usize,
) -> Option<Vec<Q>> {
    let k = support.len();
    let mut a = Vec::new();
    for &t in their {
        let mut row: Vec<Q> = support.iter().map(|&s| u(t, s)).collect();
        row.push(q(-1));
        a.push(row);
    }
    a.push((0..k).map(|_| q(1)).chain([q(0)]).collect());
    let mut b = vec![q(0); k];
    b.push(q(1));
    let sol = solve(a, b)?;
    let mut sigma = vec![q(0); len];
    for (i, &s) in support.iter().enumerate() {
        if sol[i] < q(0) {
            return None;
        }
        sigma[s] = sol[i].clone();
    }
    Some(sigma)
}

fn subsets(n: usize) -> Vec<Vec<usize>> {
    (1u32..(1 << n))
        .map(|mask| (0..n).filter(|&i| mask >> i & 1 == 1).collect())
        .collect()
}

/// Every equilibrium of a nondegenerate bimatrix game, by enumerating equal-size supports.
fn brute_force(g: &StrategicGame) -> Vec<Vec<Vec<Q>>> {
    let (a, b) = (g.matrix(0), g.matrix(1));
    let (m, n) = (a.len(), a[0].len());
    let mut out = Vec::new();
    for s1 in subsets(m) {
        for s2 in subsets(n).into_iter().filter(|s| s.len() == s1.len()) {
            let y = indifference(|i, j| a[i][j].clone(), &s2, &s1, n);
            let x = indifference(|j, i| b[i][j].clone(), &s1, &s2, m);
            let (Some(x), Some(y)) = (x, y) else { continue };
            let profile = vec![x, y];
            if certify_exact(g, profile.clone()).is_ok() && !out.contains(&profile) {
                out.push(profile);
            }
        }
    }
    out
}

fn small_game(max: i64) -> impl Strategy<Value = StrategicGame> {
    (1usize..=4, 1usize..=4).prop_flat_map(move |(m, n)| {
        let entries = prop::collection::vec(-max..=max, m * n);
        (entries.clone(), entries).prop_map(move |(a, b)| game_from_flat(m, n, &a, &b))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Payoffs in −3..3 make ties, hence degenerate ratio tests, common.
    #[test]
    fn float_and_exact_paths_reach_the_same_equilibrium(g in small_game(3)) {
        let labels = g.num_strategies(0) + g.num_strategies(1);
        for label in 0..labels {
            let fast = lemke_howson(&g, label).unwrap();
            prop_assert!(certify_exact(&g, fast.clone()).is_ok());
            prop_assert_eq!(&fast, &lemke_howson_exact(&g, label).unwrap());
        }
    }

    /// With payoffs in ±10⁶ the games are nondegenerate (with overwhelming probability),
    /// so support enumeration over equal-size supports finds every equilibrium.
    #[test]
    fn equilibria_belong_to_the_brute_force_set(g in small_game(1_000_000)) {
        let all = brute_force(&g);
        let found = lcp_all(&g).unwrap();
        prop_assert!(!found.is_empty());
        for eq in &found {
            prop_assert!(all.contains(eq), "{:?} not among {:?}", eq, all);
        }
    }
}

/// A pinned label is that label's path: the race's machinery with one path gives what the exact
/// path gives from the same label; racing gives the exact path's answer from the label that it
/// reports as ended, and every answer is certified.
#[test]
fn pinned_labels_and_the_race_end_where_the_exact_paths_do() {
    use crate::game::random::random_bimatrix;
    for seed in 0..6 {
        // Payoffs 0..4 on 6×5: many ties, so the lexicographic rule decides ratio tests.
        let g = random_bimatrix(6, 5, 5, seed);
        for label in 0..11 {
            let one = lcp_one(&g, Labels::Pinned(label), &NO_DEADLINE).unwrap();
            let handed_on = one.equilibrium.unwrap();
            let profile = handed_on.profile().to_vec();
            assert_eq!(
                profile,
                lemke_howson_exact(&g, label).unwrap(),
                "seed {seed} label {label}"
            );
            assert_eq!(one.labels.len(), 1);
            assert!(
                one.labels[0].label == label && one.labels[0].ended && one.labels[0].pivots >= 1
            );
            // The certificate the race hands on (solve_strategic does not redo it) is the one
            // a fresh certification of the profile gives: same payoffs, regret 0.
            assert_eq!(certify_exact(&g, profile).unwrap(), handed_on);
        }
        let raced = lcp_one(&g, Labels::Race, &NO_DEADLINE).unwrap();
        let winner = raced.labels.iter().find(|l| l.ended).unwrap();
        let handed_on = raced.equilibrium.unwrap();
        let profile = handed_on.profile().to_vec();
        assert_eq!(profile, lemke_howson_exact(&g, winner.label).unwrap());
        assert_eq!(certify_exact(&g, profile).unwrap(), handed_on);
    }
}

/// A label out of range is a usage error, whether pinned or (for the race) never asked for.
#[test]
fn a_pinned_label_must_exist() {
    let g = game(&[&[1, 0], &[0, 1]], &[&[1, 0], &[0, 1]]);
    assert!(matches!(
        lcp_one(&g, Labels::Pinned(4), &NO_DEADLINE),
        Err(Error::Usage(_))
    ));
    assert!(lcp_one(&g, Labels::Pinned(3), &NO_DEADLINE)
        .unwrap()
        .equilibrium
        .is_some());
}

/// A budget that runs out mid-path ends the run cleanly: no equilibrium, the label listed with
/// the pivots it took, not ended. The game is a seeded 200×200 one whose path from label 0 is
/// longer than 10⁵ pivots (measured in a release build: more than a second), so a 0.2 s budget
/// cuts it in any build.
#[test]
fn a_budget_that_runs_out_reports_how_far_each_label_got() {
    use crate::game::random::random_bimatrix;
    use std::time::{Duration, Instant};
    let g = random_bimatrix(200, 200, 100, 2);
    let start = Instant::now();
    let deadline = Deadline::after(Duration::from_millis(200));
    let one = lcp_one(&g, Labels::Pinned(0), &deadline).unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(one.equilibrium.is_none());
    assert!(deadline.was_reached());
    assert_eq!(one.labels.len(), 1);
    assert!(
        !one.labels[0].ended && one.labels[0].pivots > 0,
        "{:?}",
        one.labels
    );
    // A deadline already passed: not a single pivot.
    let passed = Deadline::after(Duration::ZERO);
    let none = lcp_one(&g, Labels::Race, &passed).unwrap();
    assert!(none.equilibrium.is_none());
    assert!(
        none.labels.iter().all(|l| l.pivots == 0 && !l.ended),
        "{:?}",
        none.labels
    );
}
