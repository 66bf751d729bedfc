//! Lemke's algorithm on LCPs solved by hand, on a problem without solution, and on the LCPs
//! of bimatrix games (normal form and a sequence-form-style mixed LCP), whose solutions are
//! certified as equilibria by `certify_exact`.

use super::*;
use crate::game::{certify_exact, StrategicGame};
use crate::num::{q_matrix, IBig};
use crate::solve::lcp::strategic::tests::game_from_flat;
use proptest::prelude::*;

fn q(v: i64) -> Q {
    Q::from(v)
}

fn frac(n: i64, d: i64) -> Q {
    Q::from(n) / Q::from(d)
}

#[test]
fn positive_definite_lcp_matches_the_hand_solution() {
    // M = [[2,1],[1,2]] is positive definite, so the solution is unique.
    // q = (−5, −6): both z positive, w = 0: 2z1 + z2 = 5, z1 + 2z2 = 6 ⇒ z = (4/3, 7/3).
    let m = q_matrix(&[&[2, 1], &[1, 2]]);
    let s = Lcp::new(m.clone(), vec![q(-5), q(-6)])
        .unwrap()
        .solve()
        .unwrap();
    assert_eq!(s.z, vec![frac(4, 3), frac(7, 3)]);
    assert_eq!(s.w, vec![q(0), q(0)]);
    // q = (−1, 4): z1 = 1/2, z2 = 0, w2 = 4 + 1/2 = 9/2.
    let s = Lcp::new(m.clone(), vec![q(-1), q(4)])
        .unwrap()
        .solve()
        .unwrap();
    assert_eq!((s.z, s.w), (vec![frac(1, 2), q(0)], vec![q(0), frac(9, 2)]));
    // q ≥ 0: z = 0 at once.
    let s = Lcp::new(m, vec![q(1), q(0)]).unwrap().solve().unwrap();
    assert_eq!((s.z, s.pivots), (vec![q(0), q(0)], 0));
}

#[test]
fn covering_vector_changes_the_path_not_the_unique_solution() {
    let m = q_matrix(&[&[2, 1], &[1, 2]]);
    let d = vec![q(5), q(1)];
    let s = Lcp::new(m, vec![q(-5), q(-6)])
        .unwrap()
        .with_covering(d)
        .unwrap()
        .solve()
        .unwrap();
    assert_eq!(s.z, vec![frac(4, 3), frac(7, 3)]);
}

#[test]
fn infeasible_lcp_ends_on_a_ray() {
    // w1 = −1 − z2 < 0 for every z ≥ 0: no solution, Lemke must stop on a ray.
    let m = q_matrix(&[&[0, -1], &[-1, 0]]);
    let err = Lcp::new(m, vec![q(-1), q(-1)])
        .unwrap()
        .solve()
        .unwrap_err();
    assert!(
        matches!(err, Error::Solver(ref s) if s.contains("ray")),
        "{err}"
    );
}

#[test]
fn rejects_malformed_problems() {
    assert!(Lcp::new(q_matrix(&[&[1, 2]]), vec![q(1), q(1)]).is_err());
    let lcp = Lcp::new(q_matrix(&[&[1, 0], &[0, 1]]), vec![q(-1), q(1)]).unwrap();
    assert!(lcp.clone().with_covering(vec![q(0), q(1)]).is_err());
    assert!(lcp.clone().with_covering(vec![q(1)]).is_err());
    assert!(lcp.clone().with_free(&[2]).is_err());
    // a free index's equality is split into two rows, both need a positive covering entry
    let free = lcp.with_free(&[1]).unwrap();
    assert!(free.with_covering(vec![q(1), q(0)]).is_err());
}

#[test]
fn feasible_lcp_without_positive_diagonal_can_still_end_on_a_ray() {
    // The 1×1 bimatrix LCP w1 = −1 + z2, w2 = −1 + z1 has the solution z = (1, 1), but after
    // z0 replaces w1, the entering z1 only raises w2 and leaves z0 unchanged: a ray, by hand.
    // (This is why bimatrix games need the Lemke–Howson start, or the free-variable form.)
    let m = q_matrix(&[&[0, 1], &[1, 0]]);
    let err = Lcp::new(m, vec![q(-1), q(-1)])
        .unwrap()
        .solve()
        .unwrap_err();
    assert!(
        matches!(err, Error::Solver(ref s) if s.contains("ray termination after 1 pivots")),
        "{err}"
    );
}

/// The mixed LCP of the sequence form, for a normal-form game (one information set each, so
/// `E = 1ᵀ`, `e = 1`), with payoffs shifted negative as the module docs prescribe:
/// `z = (x, y, p, r)`, `p`, `r` free.
fn sequence_form_lcp(g: &StrategicGame, covering: Option<Vec<Q>>) -> (Vec<Vec<Q>>, Q, Q) {
    let (a, b) = (g.matrix(0), g.matrix(1));
    let (m, n) = (a.len(), a[0].len());
    let shift = |t: &Vec<Vec<Q>>| t.iter().flatten().max().unwrap().clone() + q(1);
    let (sa, sb) = (shift(&a), shift(&b));
    let size = m + n + 2;
    let (p, r) = (m + n, m + n + 1);
    let mut mm = vec![vec![q(0); size]; size];
    for i in 0..m {
        for j in 0..n {
            mm[i][m + j] = sa.clone() - &a[i][j]; // −Â
            mm[m + j][i] = sb.clone() - &b[i][j]; // −B̂ᵀ
        }
        mm[i][p] = q(1); // Eᵀ
        mm[p][i] = q(-1); // −E
    }
    for j in 0..n {
        mm[m + j][r] = q(1);
        mm[r][m + j] = q(-1);
    }
    let mut qv = vec![q(0); size];
    qv[p] = q(1);
    qv[r] = q(1);
    let mut lcp = Lcp::new(mm, qv).unwrap();
    if let Some(d) = covering {
        lcp = lcp.with_covering(d).unwrap();
    }
    let s = lcp.with_free(&[p, r]).unwrap().solve().unwrap();
    let profile = vec![s.z[..m].to_vec(), s.z[m..m + n].to_vec()];
    // p is player 1's equilibrium payoff in the shifted game Â = A − sa.
    (profile, s.z[p].clone() + sa, s.z[r].clone() + sb)
}

#[test]
fn degenerate_game_through_the_mixed_lcp_with_two_covering_vectors() {
    // Von Stengel's (2002) degenerate game: player 2's columns tie against row 1.
    let g = game_from_flat(3, 2, &[3, 3, 2, 5, 0, 6], &[3, 3, 2, 6, 3, 1]);
    for d in [None, Some((1..=7).map(q).collect())] {
        let (profile, v1, v2) = sequence_form_lcp(&g, d);
        let c = certify_exact(&g, profile).unwrap();
        assert_eq!(c.payoffs(), vec![v1, v2]);
    }
}

/// `c = 3⁴⁵ ≈ 2⁷¹`: products of two such payoffs outgrow `i128`.
fn huge() -> Q {
    Q::from(IBig::from(3u8).pow(45))
}

#[test]
fn a_problem_that_overflows_i128_gets_the_arbitrary_precision_answer() {
    // The positive definite problem above scaled by c: z = (4/3, 7/3) still (by hand), and
    // the 2×2 minors of [−cM | −1 | −cq] (3c² among them) exceed 2¹²⁷.
    let c = huge();
    let m = q_matrix(&[&[2, 1], &[1, 2]]);
    let cm = |i: usize, j: usize| &c * &m[i][j];
    let cq = |i: usize| &c * q([-5, -6][i]);
    let start = Progress::start(lemke_dictionary(2, cm, cq, |_| q(1)));
    let big = follow_on::<IBig>(&mut start.clone()).unwrap().unwrap();
    assert_eq!(big.0, vec![frac(4, 3), frac(7, 3)]);
    // i128 gets one pivot in (its entries are c-sized), overflows on the second (c²), and
    // the path goes on from there on IBig to the same end
    let mut progress = start.clone();
    assert_eq!(follow_on::<i128>(&mut progress).unwrap(), None);
    assert_eq!(progress.pivots, 1);
    assert_eq!(follow_on::<IBig>(&mut progress).unwrap(), Some(big.clone()));
    let scaled: Vec<Vec<Q>> = m
        .iter()
        .map(|r| r.iter().map(|v| &c * v).collect())
        .collect();
    let s = Lcp::new(scaled, vec![cq(0), cq(1)])
        .unwrap()
        .solve()
        .unwrap();
    assert_eq!((s.z, s.w, s.pivots), big);
}

#[test]
fn scaled_payoffs_beyond_i128_keep_the_equilibrium() {
    // A = c·[[2,0],[0,1]], B = c·[[0,1],[1,0]] has no pure equilibrium; its unique one makes
    // each player indifferent: x = (1/2, 1/2) (from B), y = (1/3, 2/3) (from 2y₁ = y₂).
    let c = huge();
    let g = StrategicGame::bimatrix(
        &[vec![&c * q(2), q(0)], vec![q(0), c.clone()]],
        &[vec![q(0), c.clone()], vec![c.clone(), q(0)]],
    )
    .unwrap();
    let (profile, v1, _) = sequence_form_lcp(&g, None);
    assert_eq!(
        profile,
        vec![vec![frac(1, 2), frac(1, 2)], vec![frac(1, 3), frac(2, 3)]]
    );
    assert_eq!(v1, &c * frac(2, 3));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Free variables: the mixed LCP's `x`, `y` are already mixed strategies (E x = e holds
    /// exactly) and its free `p`, `r` are the equilibrium payoffs.
    #[test]
    fn sequence_form_style_mixed_lcp_gives_equilibria_and_values(
        (m, n, a, b) in (1usize..=4, 1usize..=4).prop_flat_map(|(m, n)| {
            let e = prop::collection::vec(-4i64..=4, m * n);
            (Just(m), Just(n), e.clone(), e)
        })
    ) {
        let g = game_from_flat(m, n, &a, &b);
        let (profile, v1, v2) = sequence_form_lcp(&g, None);
        let c = certify_exact(&g, profile).unwrap();
        prop_assert_eq!(c.payoffs(), vec![v1, v2]);
    }
}
