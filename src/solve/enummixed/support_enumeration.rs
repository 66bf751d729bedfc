//! Test-only reference: support enumeration for nondegenerate bimatrix games (von Stengel 2002,
//! §2.2, "Algorithm 2.4"). Every pair of supports of equal size whose indifference systems have
//! positive solutions with no better reply outside the supports is an equilibrium, and in a
//! nondegenerate game these are all of them. Exponential: small games only.

use crate::num::Q;
use crate::solve::linalg::test_linear::solve_square_exact;

/// All equilibria of the game `(a, b)`, or `None` when the search met a sign of degeneracy (a
/// zero probability inside a support, or a best reply outside a support tying with it), where
/// equal-size supports do not describe every equilibrium.
pub fn support_enumeration(a: &[Vec<Q>], b: &[Vec<Q>]) -> Option<Vec<Vec<Vec<Q>>>> {
    let (m, n) = (a.len(), a[0].len());
    let bt: Vec<Vec<Q>> = (0..n)
        .map(|j| (0..m).map(|i| b[i][j].clone()).collect())
        .collect();
    let mut found = Vec::new();
    for rows in 1u32..1 << m {
        for cols in 1u32..1 << n {
            if rows.count_ones() != cols.count_ones() {
                continue;
            }
            let support_x = members(rows, m);
            let support_y = members(cols, n);
            // y makes player 1 indifferent over its support, x makes player 2 indifferent over its
            let Some(y) = equalizer(a, &support_x, &support_y, n)? else {
                continue;
            };
            let Some(x) = equalizer(&bt, &support_y, &support_x, m)? else {
                continue;
            };
            found.push(vec![x, y]);
        }
    }
    Some(found)
}

fn members(mask: u32, len: usize) -> Vec<usize> {
    (0..len).filter(|&i| mask >> i & 1 == 1).collect()
}

/// The mix over `support` (of `len` strategies) that gives the other player, whose payoffs are
/// `u[own][mixer]`, equal payoff on every strategy in `indifferent` and no more elsewhere.
/// `Some(None)`: no such mix; `None`: degeneracy seen.
fn equalizer(
    u: &[Vec<Q>],
    indifferent: &[usize],
    support: &[usize],
    len: usize,
) -> Option<Option<Vec<Q>>> {
    let s = support.len();
    // unknowns: the s probabilities, then the common payoff v
    let mut rows: Vec<Vec<Q>> = indifferent
        .iter()
        .map(|&r| {
            support
                .iter()
                .map(|&c| u[r][c].clone())
                .chain([-Q::ONE])
                .collect()
        })
        .collect();
    rows.push((0..s).map(|_| Q::ONE).chain([Q::ZERO]).collect());
    let mut rhs = vec![Q::ZERO; s];
    rhs.push(Q::ONE);
    let Some(solution) = solve_square_exact(rows, rhs) else {
        return Some(None);
    };
    let (probs, value) = solution.split_at(s);
    if probs.contains(&Q::ZERO) {
        return None;
    }
    if probs.iter().any(|p| *p < Q::ZERO) {
        return Some(None);
    }
    let mut mix = vec![Q::ZERO; len];
    for (&c, p) in support.iter().zip(probs) {
        mix[c] = p.clone();
    }
    for r in (0..u.len()).filter(|r| !indifferent.contains(r)) {
        let payoff = mix
            .iter()
            .zip(&u[r])
            .fold(Q::ZERO, |acc, (p, x)| acc + p * x);
        if payoff == value[0] {
            return None;
        }
        if payoff > value[0] {
            return Some(None);
        }
    }
    Some(Some(mix))
}
