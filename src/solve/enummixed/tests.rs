//! Closed-form games worked out by hand, and property tests: agreement with support
//! enumeration on nondegenerate games, with matching every vertex pair of both polytopes on
//! degenerate ones, and containment of every pure equilibrium.

use super::basis_search::{search, SearchPlan, Threads};
use super::support_enumeration::support_enumeration;
use super::*;
use crate::game::certify_exact;
use crate::solve::enumpure::enumpure;
use crate::solve::linalg::tableau::entry::fixed_int::I256;
use crate::solve::linalg::tableau::entry::TableauEntry;
use proptest::prelude::*;

fn q(v: i64) -> Q {
    Q::from(v)
}

fn frac(num: i64, den: u64) -> Q {
    Q::from_parts(num.into(), den.into())
}

fn matrix(rows: &[&[i64]]) -> Vec<Vec<Q>> {
    rows.iter()
        .map(|r| r.iter().map(|&v| q(v)).collect())
        .collect()
}

fn game(a: &[&[i64]], b: &[&[i64]]) -> StrategicGame {
    StrategicGame::bimatrix(&matrix(a), &matrix(b)).unwrap()
}

/// Run enummixed, certify every profile independently, and return the profiles sorted.
fn solve_sorted(g: &StrategicGame) -> Vec<Vec<Vec<Q>>> {
    let mut eqs = enummixed(g).unwrap();
    for e in &eqs {
        certify_exact(g, e.clone()).unwrap();
    }
    eqs.sort();
    eqs
}

fn sorted(mut eqs: Vec<Vec<Vec<Q>>>) -> Vec<Vec<Vec<Q>>> {
    eqs.sort();
    eqs
}

#[test]
fn battle_of_the_sexes() {
    // A = [[2,0],[0,1]], B = [[1,0],[0,2]]. Mixed: x makes player 2 indifferent,
    // x1 = 2 x2 → x = (2/3, 1/3); y makes player 1 indifferent, 2 y1 = y2 → y = (1/3, 2/3).
    let g = game(&[&[2, 0], &[0, 1]], &[&[1, 0], &[0, 2]]);
    let expected = vec![
        vec![vec![q(1), q(0)], vec![q(1), q(0)]],
        vec![vec![frac(2, 3), frac(1, 3)], vec![frac(1, 3), frac(2, 3)]],
        vec![vec![q(0), q(1)], vec![q(0), q(1)]],
    ];
    // documented order: decreasing lexicographic
    assert_eq!(enummixed(&g).unwrap(), expected);
    assert_eq!(solve_sorted(&g), sorted(expected));
}

#[test]
fn matching_pennies_has_only_the_uniform_mix() {
    let g = game(&[&[1, -1], &[-1, 1]], &[&[-1, 1], &[1, -1]]);
    let h = frac(1, 2);
    assert_eq!(
        solve_sorted(&g),
        vec![vec![vec![h.clone(), h.clone()], vec![h.clone(), h]]]
    );
}

#[test]
fn rational_and_negative_payoffs_give_the_same_equilibria() {
    // Battle of the sexes with A scaled by 1/3 and shifted by −5/2: equilibria unchanged.
    let a: Vec<Vec<Q>> = matrix(&[&[2, 0], &[0, 1]])
        .into_iter()
        .map(|r| r.into_iter().map(|v| v * frac(1, 3) - frac(5, 2)).collect())
        .collect();
    let g = StrategicGame::bimatrix(&a, &matrix(&[&[1, 0], &[0, 2]])).unwrap();
    let mixed = vec![vec![frac(2, 3), frac(1, 3)], vec![frac(1, 3), frac(2, 3)]];
    let eqs = solve_sorted(&g);
    assert_eq!(eqs.len(), 3);
    assert!(eqs.contains(&mixed));
}

#[test]
fn continuum_reports_its_extreme_points() {
    // A = [[3,3],[2,5],[0,6]], B = [[3,3],[2,6],[3,1]] (von Stengel 2002, degenerate example).
    // Against y = (1−t, t) rows pay 3, 2+3t, 6t: row 1 is best for t ≤ 1/3, rows 2–3 tie at
    // t = 2/3. Top row makes player 2 indifferent (3, 3), so x = (1,0,0) with t ∈ [0, 1/3] is a
    // segment of equilibria: extreme points t = 0 and t = 1/3. At t = 2/3, x = (0, s, 1−s) makes
    // player 2 indifferent iff 4s = 2(1−s), s = 1/3. No other t works (by cases on t).
    let g = game(&[&[3, 3], &[2, 5], &[0, 6]], &[&[3, 3], &[2, 6], &[3, 1]]);
    let expected = vec![
        vec![vec![q(1), q(0), q(0)], vec![q(1), q(0)]],
        vec![vec![q(1), q(0), q(0)], vec![frac(2, 3), frac(1, 3)]],
        vec![
            vec![q(0), frac(1, 3), frac(2, 3)],
            vec![frac(1, 3), frac(2, 3)],
        ],
    ];
    assert_eq!(solve_sorted(&g), sorted(expected));
}

#[test]
fn weakly_dominated_strategies_give_a_second_pure_equilibrium() {
    // Only (1,1) pays (1,1); row 2 and column 2 are weakly dominated. Against column 2 both
    // rows pay 0, so (2,2) is also an equilibrium; any mix of column 1 in makes row 1 strictly
    // better, so there is nothing else.
    let g = game(&[&[1, 0], &[0, 0]], &[&[1, 0], &[0, 0]]);
    let expected = vec![
        vec![vec![q(1), q(0)], vec![q(1), q(0)]],
        vec![vec![q(0), q(1)], vec![q(0), q(1)]],
    ];
    assert_eq!(solve_sorted(&g), sorted(expected));
}

#[test]
fn zero_game_extreme_points_are_the_pure_profiles() {
    // Every profile is an equilibrium; the set is the product of simplices, whose extreme
    // points are the 3 × 3 pure profiles.
    let zeros: &[&[i64]] = &[&[0, 0, 0], &[0, 0, 0], &[0, 0, 0]];
    let g = game(zeros, zeros);
    let unit = |k: usize| (0..3).map(|i| q((i == k) as i64)).collect::<Vec<_>>();
    let expected: Vec<_> = (0..3)
        .flat_map(|i| (0..3).map(move |j| vec![unit(i), unit(j)]))
        .collect();
    assert_eq!(solve_sorted(&g), sorted(expected));
}

#[test]
fn refuses_games_without_two_players() {
    let labels = vec![vec!["a".to_string()]; 3];
    let g = StrategicGame::new(
        "",
        vec!["1".into(), "2".into(), "3".into()],
        labels,
        vec![vec![q(0)]; 3],
    )
    .unwrap();
    assert!(matches!(enummixed(&g), Err(Error::Unsupported(_))));
}

#[test]
fn stops_at_the_basis_limit() {
    let g = game(&[&[2, 0], &[0, 1]], &[&[1, 0], &[0, 2]]);
    let err = enummixed_within(&g, 3, &NO_DEADLINE).unwrap_err();
    assert!(
        err.exceeded_limit() == Some("MAX_ENUMERATION_BASES") && err.to_string().contains("bases"),
        "{err}"
    );
}

/// Reference for the partner shortcut: enumerate both polytopes and match every pair of
/// vertices by labels (von Stengel 2002, Theorem 3.4), without any linear solve.
fn full_label_matching(g: &StrategicGame) -> Vec<Vec<Vec<Q>>> {
    let (m, n) = (g.num_strategies(0), g.num_strategies(1));
    let p_matrix = transpose(&positive_integers(g, 1));
    let q_matrix = positive_integers(g, 0);
    let mut budget = BasisBudget::new(1_000_000);
    let xs = vertices(&p_matrix, m, &mut budget).unwrap();
    let ys = vertices(&q_matrix, n, &mut budget).unwrap();
    let mut out = Vec::new();
    for x in &xs {
        for y in &ys {
            // Q's tight index j < n is label m + j, n + i is label i
            let covered = (0..m + n).all(|l| {
                x.tight.contains(l)
                    || if l < m {
                        y.tight.contains(n + l)
                    } else {
                        y.tight.contains(l - m)
                    }
            });
            if covered {
                out.push(vec![normalized(&x.scaled), normalized(&y.scaled)]);
            }
        }
    }
    sorted(out)
}

/// An m×n bimatrix game with entries drawn from `values`.
fn bimatrix_strategy(
    values: std::ops::RangeInclusive<i64>,
) -> impl Strategy<Value = (Vec<Vec<Q>>, Vec<Vec<Q>>)> {
    (1usize..=4, 1usize..=4).prop_flat_map(move |(m, n)| {
        let mat = proptest::collection::vec(
            proptest::collection::vec(values.clone().prop_map(Q::from), n),
            m,
        );
        (mat.clone(), mat)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// Nondegenerate games (wide random payoffs; the reference rejects any it sees degenerate):
    /// enummixed finds exactly support enumeration's equilibria.
    #[test]
    fn agrees_with_support_enumeration((a, b) in bimatrix_strategy(-1000..=1000)) {
        let reference = support_enumeration(&a, &b);
        prop_assume!(reference.is_some());
        let g = StrategicGame::bimatrix(&a, &b).unwrap();
        prop_assert_eq!(solve_sorted(&g), sorted(reference.unwrap_or_default()));
    }

    /// Small payoffs make degenerate games: solving for partners (with its fallback) finds the
    /// same extreme equilibria as matching all vertex pairs of both polytopes.
    #[test]
    fn partner_solve_agrees_with_full_matching((a, b) in bimatrix_strategy(0..=3)) {
        let g = StrategicGame::bimatrix(&a, &b).unwrap();
        prop_assert_eq!(solve_sorted(&g), full_label_matching(&g));
    }

    /// Small payoffs make ties: every pure equilibrium is an extreme equilibrium, and every
    /// profile reported certifies (inside `solve_sorted`).
    #[test]
    fn contains_every_pure_equilibrium((a, b) in bimatrix_strategy(0..=2)) {
        let g = StrategicGame::bimatrix(&a, &b).unwrap();
        let eqs = solve_sorted(&g);
        for pure in enumpure(&g).unwrap() {
            let profile: Vec<Vec<Q>> = pure
                .iter()
                .enumerate()
                .map(|(p, &s)| (0..g.num_strategies(p)).map(|t| q((t == s) as i64)).collect())
                .collect();
            prop_assert!(eqs.contains(&profile), "pure {:?} missing", pure);
        }
    }
}

/// The vertices of `{z ≥ 0 : M z ≤ 1}` found on entries of type `T`, as sorted exact points,
/// or `None` when an entry outgrew `T`.
fn vertices_on<T: TableauEntry + Send>(matrix: &[Vec<IBig>]) -> Option<Vec<Vec<Q>>> {
    let plan = SearchPlan {
        max_bases: 1_000_000,
        deadline: &NO_DEADLINE,
        threads: Threads::Exactly(1),
        solo_bases: 0,
    };
    let cols = matrix.first().map_or(0, Vec::len);
    let found = search::<T, Vertex>(matrix, cols, plan, &Some).ok()?;
    let mut points: Vec<Vec<Q>> = found
        .kept
        .iter()
        .map(|v| {
            let den = &v.denominator;
            v.scaled
                .iter()
                .map(|s| Q::from_parts_signed(s.clone(), den.clone()))
                .collect()
        })
        .collect();
    points.sort();
    Some(points)
}

/// Payoffs up to 10¹³ (43 bits): minors of three rows or more outgrow `i128`, while those of
/// a 4×4 game stay far below 2²⁵⁴, so the search runs on 256-bit entries.
const HUGE: i64 = 10_000_000_000_000;

#[test]
fn huge_payoffs_run_on_256_bits_and_agree_with_support_enumeration() {
    // entries spread over the whole range by a multiplicative congruential generator
    let mut state = 12_345u64;
    let mut payoffs = || -> Vec<Vec<Q>> {
        (0..4)
            .map(|_| {
                (0..4)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1);
                        Q::from((state >> 20) as i64 % HUGE)
                    })
                    .collect()
            })
            .collect()
    };
    let (a, b) = (payoffs(), payoffs());
    let g = StrategicGame::bimatrix(&a, &b).unwrap();
    let q_matrix = positive_integers(&g, 0);
    assert_eq!(vertices_on::<i128>(&q_matrix), None);
    assert_eq!(
        vertices_on::<I256>(&q_matrix),
        vertices_on::<IBig>(&q_matrix)
    );
    let reference = support_enumeration(&a, &b).expect("a nondegenerate game");
    assert_eq!(solve_sorted(&g), sorted(reference));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// Huge payoffs: enummixed (mostly on 256-bit entries) finds exactly support enumeration's
    /// equilibria, and the 256-bit search finds the same vertices as arbitrary precision.
    #[test]
    fn huge_payoffs_agree_with_support_enumeration((a, b) in bimatrix_strategy(-HUGE..=HUGE)) {
        let g = StrategicGame::bimatrix(&a, &b).unwrap();
        let q_matrix = positive_integers(&g, 0);
        let wide = vertices_on::<I256>(&q_matrix);
        prop_assert!(wide.is_some());
        prop_assert_eq!(wide, vertices_on::<IBig>(&q_matrix));
        let reference = support_enumeration(&a, &b);
        prop_assume!(reference.is_some());
        prop_assert_eq!(solve_sorted(&g), sorted(reference.unwrap_or_default()));
    }
}

/// The integer view and the rational path scale a matrix alike: the same entries, shifted to a
/// least entry of 1 (payoffs with denominators 2, 3 and 4 scale by 12).
#[test]
fn integer_view_scales_like_the_rationals() {
    let a = vec![vec![frac(1, 2), frac(-2, 3)], vec![q(5), frac(3, 4)]];
    let b = vec![vec![q(0), q(-7)], vec![q(2), q(999)]];
    let g = StrategicGame::bimatrix(&a, &b).unwrap();
    assert!(g.payoff_table_int(0).is_some());
    let ints = |rows: &[&[i64]]| -> Vec<Vec<IBig>> {
        rows.iter()
            .map(|r| r.iter().map(|&v| IBig::from(v)).collect())
            .collect()
    };
    // 12·a = [[6, −8], [60, 9]], shifted by 1 − (−8) = 9
    assert_eq!(positive_integers(&g, 0), ints(&[&[15, 1], &[69, 18]]));
    assert_eq!(positive_integers(&g, 1), ints(&[&[8, 1], &[10, 1007]]));
    let rational = |m: &[Vec<Q>]| {
        let scaled = rational_scaled(m);
        let shift = IBig::ONE - scaled.iter().flatten().min().unwrap().clone();
        scaled
            .into_iter()
            .map(|r| r.into_iter().map(|v| v + &shift).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    assert_eq!(positive_integers(&g, 0), rational(&a));
    assert_eq!(positive_integers(&g, 1), rational(&b));
}
