//! The polymatrix approximation of a game near a profile `ŝ` (Govindan & Wilson 2004, §2):
//! player i's payoff from pure strategy s against the others' mixtures is the first-order term
//! `Σ_{j≠i} Σ_t D_{is,jt} s_jt`, with `D = DG(ŝ)/(N−1)` and `DG_{is,jt}` the payoff of (s, t)
//! against `ŝ` of the rest (for two players `D` is the game itself). Its equilibria are
//! computed exactly by linear algebra: [`support_solution`] on a guessed support, else
//! Lemke's algorithm ([`super::lemke`]).

use crate::game::StrategicGame;
use crate::solve::logit::ConditionalValues;
use nalgebra::{DMatrix, DVector};

/// `DG/(N−1)` at `profile`, over all strategies: the polymatrix approximation's payoff matrix
/// (`DG_{is,jt}` = payoff of (s, t) against `profile` of the rest; 0 for j = i).
pub fn payoff_jacobian(game: &StrategicGame, profile: &[Vec<f64>]) -> DMatrix<f64> {
    let counts = game.strategy_counts();
    let offsets: Vec<usize> = game.strategy_offsets();
    let total: usize = counts.iter().sum();
    let values = ConditionalValues::new(game, profile);
    let divisor = (counts.len().max(2) - 1) as f64;
    let mut m = DMatrix::zeros(total, total);
    for i in 0..counts.len() {
        for s in 0..counts[i] {
            for j in (0..counts.len()).filter(|&j| j != i) {
                for t in 0..counts[j] {
                    m[(offsets[i] + s, offsets[j] + t)] = values.pair(i, s, j, t) / divisor;
                }
            }
        }
    }
    m
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
