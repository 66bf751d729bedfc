//! The polymatrix approximation of a game near a profile `ŝ` (Govindan & Wilson 2004, §2):
//! player i's payoff from pure strategy s against the others' mixtures is the first-order term
//! `Σ_{j≠i} Σ_t D_{is,jt} s_jt`, with `D = DG(ŝ)/(N−1)` and `DG_{is,jt}` the payoff of (s, t)
//! against `ŝ` of the rest (for two players `D` is the game itself). Its equilibria are
//! computed exactly by linear algebra: [`support_solution`] on a guessed support, else
//! Lemke's algorithm ([`super::lemke`]).

use crate::game::StrategicGame;
use nalgebra::{DMatrix, DVector};

/// `DG/(N−1)` at `profile` (over all strategies, players in order) into `out`: the polymatrix
/// approximation's payoff matrix, `DG_{is,jt}` being the payoff of (s, t) against `profile` of
/// the rest (0 for j = i). One pass over the pure profiles: each adds its payoff to player i,
/// weighted by the probability of the profile's strategies of every player but i and j, to
/// the entry of its (s_i, s_j) for every pair i ≠ j. Terms of weight 0 (a third player's
/// strategy of probability 0) are skipped: adding them would add exactly 0.
pub fn payoff_jacobian(game: &StrategicGame, profile: &[f64], out: &mut DMatrix<f64>) {
    let counts = game.strategy_counts();
    let offsets = game.strategy_offsets();
    let n = counts.len();
    out.fill(0.0);
    let mut pure = vec![0usize; n];
    let mut p = vec![0.0; n];
    for index in 0..game.num_profiles() {
        let mut unplayed = 0;
        for k in 0..n {
            p[k] = profile[offsets[k] + pure[k]];
            unplayed += usize::from(p[k] <= 0.0);
        }
        // Pair (i, j) has weight 0 unless every unplayed strategy is i's or j's.
        let weighs =
            |i: usize, j: usize| unplayed == usize::from(p[i] <= 0.0) + usize::from(p[j] <= 0.0);
        if unplayed < 3 {
            for i in 0..n {
                let u = game.payoff_table_f64(i)[index];
                let row = offsets[i] + pure[i];
                for j in (0..n).filter(|&j| j != i && weighs(i, j)) {
                    let mut weight = u;
                    for (k, &pk) in p.iter().enumerate() {
                        if k != i && k != j {
                            weight *= pk;
                        }
                    }
                    out[(row, offsets[j] + pure[j])] += weight;
                }
            }
        }
        for k in 0..n {
            pure[k] += 1;
            if pure[k] < counts[k] {
                break;
            }
            pure[k] = 0;
        }
    }
    *out /= (n.max(2) - 1) as f64;
}

/// The polymatrix game's equilibrium with the given supports (over all strategies, players
/// in order), if the linear system of equal payoffs on the supports and unit sums has a
/// solution with every probability and every outside slack nonnegative.
pub fn support_solution(
    counts: &[usize],
    jacobian: &DMatrix<f64>,
    in_support: &[bool],
) -> Option<Vec<f64>> {
    let total: usize = counts.iter().sum();
    let n = counts.len();
    let mut a = DMatrix::zeros(total + n, total + n);
    let mut b = DVector::zeros(total + n);
    let mut first = 0;
    for (i, &count) in counts.iter().enumerate() {
        for row in first..first + count {
            for c in (0..total).filter(|&c| in_support[c]) {
                a[(row, c)] = jacobian[(row, c)];
            }
            if !in_support[row] {
                a[(row, row)] = 1.0; // the slack of this strategy, in place of its probability
            }
            a[(row, total + i)] = -1.0;
            if in_support[row] {
                a[(total + i, row)] = 1.0;
            }
        }
        b[total + i] = 1.0;
        first += count;
    }
    let x = a.lu().solve(&b)?;
    if x.iter().take(total).any(|&v| !v.is_finite() || v < 0.0) {
        return None;
    }
    Some(
        (0..total)
            .map(|k| if in_support[k] { x[k] } else { 0.0 })
            .collect(),
    )
}
