//! The polymatrix approximation of a game near a profile `ŝ` (Govindan & Wilson 2004, §2):
//! player i's payoff from pure strategy s against the others' mixtures is the first-order term
//! `Σ_{j≠i} Σ_t D_{is,jt} s_jt`, with `D = DG(ŝ)/(N−1)` and `DG_{is,jt}` the payoff of (s, t)
//! against `ŝ` of the rest (for two players `D` is the game itself). Its equilibria are
//! computed exactly by linear algebra: [`SupportSystem`] on a guessed support, else
//! Lemke's algorithm ([`super::lemke`]).

use crate::game::StrategicGame;
use nalgebra::DMatrix;

/// A game's payoff tables in GameTracer's units (shifted so the smallest is 0), with the index
/// arithmetic [`Tables::jacobian`] needs, made once per solve.
pub struct Tables {
    /// Each player's payoffs `u − shift`, player-1-fastest.
    tables: Vec<Vec<f64>>,
    counts: Vec<usize>,
    offsets: Vec<usize>,
    strides: Vec<usize>,
    /// For each ordered pair (i, j), i ≠ j: the players other than i and j.
    rest: Vec<Vec<usize>>,
    /// Each player's strategies of positive probability at the current profile.
    supports: Vec<Vec<usize>>,
    /// The odometer over the rest's supports: a position in each player's support.
    position: Vec<usize>,
}

impl Tables {
    /// `game`'s payoffs minus `shift`.
    pub fn new(game: &StrategicGame, shift: f64) -> Self {
        let n = game.num_players();
        let tables = (0..n)
            .map(|i| game.payoff_table_f64(i).iter().map(|u| u - shift).collect())
            .collect();
        let rest = (0..n * n)
            .map(|pair| {
                let (i, j) = (pair / n, pair % n);
                (0..n).filter(|&k| k != i && k != j).collect()
            })
            .collect();
        Tables {
            tables,
            counts: game.strategy_counts(),
            offsets: game.strategy_offsets(),
            strides: (0..n).map(|i| game.stride(i)).collect(),
            rest,
            supports: vec![Vec::new(); n],
            position: vec![0; n],
        }
    }

    /// Each player's number of strategies.
    pub fn counts(&self) -> &[usize] {
        &self.counts
    }

    /// `DG/(N−1)` at `profile` (over all strategies, players in order) into `out`: the
    /// polymatrix approximation's payoff matrix, `DG_{is,jt}` being the payoff of (s, t)
    /// against `profile` of the rest (0 for j = i). For each ordered pair (i, j) one pass over
    /// the rest's pure profiles of positive probability (the others add exactly 0), each
    /// weighted by its probability, adds i's payoffs of every (s, t) against it to the block
    /// (i, j): `m_i · m_j · Π_{k≠i,j} |supp_k|` multiply-adds for the pair.
    pub fn jacobian(&mut self, profile: &[f64], out: &mut DMatrix<f64>) {
        let n = self.counts.len();
        let total = out.nrows();
        out.fill(0.0);
        let entries = out.as_mut_slice();
        for (k, support) in self.supports.iter_mut().enumerate() {
            support.clear();
            let first = self.offsets[k];
            support.extend((0..self.counts[k]).filter(|&t| profile[first + t] > 0.0));
        }
        for i in 0..n {
            let table = &self.tables[i];
            let (mi, stride_i, row) = (self.counts[i], self.strides[i], self.offsets[i]);
            for j in (0..n).filter(|&j| j != i) {
                let rest = &self.rest[i * n + j];
                let (mj, stride_j, column) = (self.counts[j], self.strides[j], self.offsets[j]);
                let position = &mut self.position[..rest.len()];
                position.fill(0);
                if rest.iter().any(|&k| self.supports[k].is_empty()) {
                    continue;
                }
                loop {
                    let mut base = 0;
                    let mut weight = 1.0;
                    for (q, &k) in rest.iter().enumerate() {
                        let t = self.supports[k][position[q]];
                        base += t * self.strides[k];
                        weight *= profile[self.offsets[k] + t];
                    }
                    for t in 0..mj {
                        let entries = &mut entries[(column + t) * total + row..][..mi];
                        let at = base + t * stride_j;
                        for (s, entry) in entries.iter_mut().enumerate() {
                            *entry += weight * table[at + s * stride_i];
                        }
                    }
                    // the next profile of the rest's supports, the first fastest
                    let mut q = 0;
                    while q < rest.len() {
                        position[q] += 1;
                        if position[q] < self.supports[rest[q]].len() {
                            break;
                        }
                        position[q] = 0;
                        q += 1;
                    }
                    if q == rest.len() {
                        break;
                    }
                }
            }
        }
        let pairs = (n.max(2) - 1) as f64;
        out.as_mut_slice().iter_mut().for_each(|x| *x /= pairs);
    }
}

/// The polymatrix game's equilibrium on a guessed support, with its buffers kept from one
/// iteration to the next.
pub struct SupportSystem {
    /// The player of each strategy (over all strategies).
    owner: Vec<usize>,
    players: usize,
    support: Vec<usize>,
    /// The square system, row-major, with its right-hand side as the last column.
    a: Vec<f64>,
}

impl SupportSystem {
    /// The buffers for a game with these strategy counts.
    pub fn new(counts: &[usize]) -> Self {
        let owner = counts
            .iter()
            .enumerate()
            .flat_map(|(i, &count)| std::iter::repeat_n(i, count))
            .collect();
        SupportSystem {
            owner,
            players: counts.len(),
            support: Vec::new(),
            a: Vec::new(),
        }
    }

    /// The polymatrix game's equilibrium with the given supports (over all strategies,
    /// players in order) into `s`, if the linear system of equal payoffs on the supports and
    /// unit sums has a solution with every probability and every outside strategy's shortfall
    /// nonnegative (`false` otherwise, `s` then undefined). The system's unknowns are the
    /// support's probabilities and each player's value `v_i`: for s in player i's support
    /// `Σ_{t∈S} D_{st} x_t − v_i = 0`, and `Σ_{t∈S_i} x_t = 1`; an outside strategy r's
    /// shortfall is `v_i − Σ_{t∈S} D_{rt} x_t`. Solved by Gaussian elimination with partial
    /// pivoting; an exactly singular system has no solution here.
    pub fn solve(&mut self, jacobian: &DMatrix<f64>, in_support: &[bool], s: &mut [f64]) -> bool {
        let n = self.players;
        let total = self.owner.len();
        self.support.clear();
        self.support.extend((0..total).filter(|&c| in_support[c]));
        let k = self.support.len();
        let size = k + n;
        let width = size + 1;
        self.a.clear();
        self.a.resize(size * width, 0.0);
        let a = &mut self.a;
        for (e, &row) in self.support.iter().enumerate() {
            for (u, &c) in self.support.iter().enumerate() {
                a[e * width + u] = jacobian[(row, c)];
            }
            a[e * width + k + self.owner[row]] = -1.0;
            a[(k + self.owner[row]) * width + e] = 1.0;
        }
        for i in 0..n {
            a[(k + i) * width + size] = 1.0;
        }
        if !eliminate(a, size) {
            return false;
        }
        let x = |e: usize| a[e * width + size];
        if (0..k).any(|e| !x(e).is_finite() || x(e) < 0.0) {
            return false;
        }
        s.fill(0.0);
        for (e, &c) in self.support.iter().enumerate() {
            s[c] = x(e);
        }
        let support = &self.support;
        !(0..total).filter(|&r| !in_support[r]).any(|r| {
            let payoff: f64 = support.iter().map(|&c| jacobian[(r, c)] * s[c]).sum();
            let shortfall = x(k + self.owner[r]) - payoff;
            !shortfall.is_finite() || shortfall < 0.0
        })
    }
}

/// Solves the `size × size` system stored row-major in `a` with its right-hand side as column
/// `size`, by Gaussian elimination with partial pivoting and back substitution: afterwards
/// column `size` holds the solution. `false` when a pivot is exactly 0 (a singular system).
fn eliminate(a: &mut [f64], size: usize) -> bool {
    let width = size + 1;
    for col in 0..size {
        let pivot = (col..size)
            .max_by(|&p, &q| {
                a[p * width + col]
                    .abs()
                    .total_cmp(&a[q * width + col].abs())
            })
            .unwrap_or(col);
        // Only an exactly singular system is refused (as nalgebra's LU does); a nearly singular
        // one gives huge or negative values, which the sign checks reject.
        if a[pivot * width + col] == 0.0 {
            return false;
        }
        if pivot != col {
            for j in col..width {
                a.swap(pivot * width + j, col * width + j);
            }
        }
        let (above, below) = a.split_at_mut((col + 1) * width);
        let pivot_row = &above[col * width + col..];
        for row in below.chunks_exact_mut(width) {
            let factor = row[col] / pivot_row[0];
            // a row with an exact 0 in the pivot column is unchanged by the step
            if factor != 0.0 {
                for (x, &p) in row[col..].iter_mut().zip(pivot_row) {
                    *x -= factor * p;
                }
            }
        }
    }
    for col in (0..size).rev() {
        let (above, from) = a.split_at_mut(col * width);
        let x = from[size] / from[col];
        from[size] = x;
        for row in above.chunks_exact_mut(width) {
            row[size] -= row[col] * x;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::gnm::payoffs::Payoffs;

    /// Against gnm's conditional payoffs (`∂W_is/∂σ_jt`, a pass over every profile of the
    /// others, written independently) with every strategy in the supports, divided by N − 1,
    /// on a 3×2×4×2 game at a profile with strategies of probability 0 (which the contraction
    /// here skips), and minus a shift.
    #[test]
    fn jacobian_agrees_with_gnm_conditional_payoffs() {
        let game = StrategicGame::arbitrary(&[3, 2, 4, 2], 13, 6);
        let probs = [
            vec![0.3, 0.0, 0.7],
            vec![0.0, 1.0],
            vec![0.2, 0.0, 0.0, 0.8],
            vec![0.55, 0.45],
        ];
        let shift = -1.5;
        let full: Vec<Vec<usize>> = probs.iter().map(|p| (0..p.len()).collect()).collect();
        let payoffs = Payoffs::in_units(&game, shift, 1.0);
        let theirs = payoffs.at(&full, |j, l| probs[j][l]);
        let mut tables = Tables::new(&game, shift);
        let total = 11;
        let mut ours = DMatrix::zeros(total, total);
        tables.jacobian(&probs.concat(), &mut ours);
        let offsets = game.strategy_offsets();
        for i in 0..4 {
            for s in 0..probs[i].len() {
                for j in 0..4 {
                    for t in 0..probs[j].len() {
                        let expected = if i == j {
                            0.0
                        } else {
                            theirs.pair(&payoffs, i, s, j, t) / 3.0
                        };
                        let got = ours[(offsets[i] + s, offsets[j] + t)];
                        assert!((got - expected).abs() < 1e-12, "D[{i}{s}][{j}{t}]: {got}");
                    }
                }
            }
        }
    }
}
