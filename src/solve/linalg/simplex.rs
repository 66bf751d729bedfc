//! A dense primal simplex in `f64` for a matrix game, used to find the *supports* of a pair of
//! minimax strategies; [`crate::solve::lp`] then solves for them exactly.
//!
//! The reduction (Dantzig 1951, "A proof of the equivalence of the programming problem and the
//! game problem"; von Stengel 2002, "Computing equilibria for two-person games"; Shoham & Leyton-Brown 2009, §4.1): when every payoff
//! `A_ij` to the row player is positive, the column player's minimax problem is the LP
//!
//! ```text
//! maximise 1ᵀw subject to A w ≤ 1, w ≥ 0,
//! ```
//!
//! whose optimal `w / Σw` is a minimax strategy of the column player, whose optimal dual prices
//! `u / Σu` are a maximin strategy of the row player, and whose value is `1 / Σw`. The origin is
//! feasible, so the simplex starts at the slack basis with no phase 1.
//!
//! The tableau is condensed (Tucker's form: a row per basic variable, a column per non-basic
//! one, so `m × n` numbers and no identity block), stored in one contiguous vector. Entering
//! variables follow the steepest-edge rule (Goldfarb & Reid 1977, "A practicable steepest-edge
//! simplex algorithm"), whose edge lengths the dense tableau gives exactly during each pivot's
//! pass: on random 500 × 500 games it takes about a fifth of the pivots of Dantzig's largest
//! reduced cost. After `BLAND_AFTER` degenerate pivots in a row the rule becomes Bland's
//! (1977, smallest index for both choices), which cannot cycle, until a pivot makes progress
//! again; [`limits::MAX_SIMPLEX_PIVOTS`] stops what rounding could still make endless.

use crate::error::{Error, Result};
use crate::limits;
use crate::num::tol;

/// Consecutive degenerate pivots after which Bland's rule replaces the steepest edge.
const BLAND_AFTER: usize = 50;

/// An optimal basis of `max 1ᵀw s.t. A w ≤ 1, w ≥ 0`, described by the game's supports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptimalBasis {
    /// Rows whose slack is non-basic (rows the column player's strategy makes tight), ascending:
    /// the candidate support of the row player's strategy.
    pub rows: Vec<usize>,
    /// Basic columns `w_j`, ascending: the candidate support of the column player's strategy.
    /// As many as `rows`: the basis matrix is `A_{rows,columns}` bordered by an identity, so
    /// `A_{rows,columns}` is non-singular.
    pub columns: Vec<usize>,
}

/// The final basis of the simplex on the `m × n` row-major matrix `a`, whose entries must be
/// positive (shift payoffs first) and of moderate scale (e.g. divided by the largest).
pub fn optimal_basis(m: usize, n: usize, a: &[f64]) -> Result<OptimalBasis> {
    let shape_fits = m > 0 && n > 0 && m.checked_mul(n) == Some(a.len());
    if !shape_fits || a.iter().any(|&v| !(v > 0.0 && v.is_finite())) {
        return Err(Error::Solver(
            "simplex: the matrix must be non-empty, positive and finite".into(),
        ));
    }
    run(Tableau::new(m, n, a), BLAND_AFTER)
}

/// Pivot to an optimum, switching to Bland's rule after `bland_after` degenerate pivots in a row.
fn run(mut tableau: Tableau, bland_after: usize) -> Result<OptimalBasis> {
    let mut degenerate_run = 0;
    for _ in 0..limits::MAX_SIMPLEX_PIVOTS {
        let bland = degenerate_run >= bland_after;
        let Some(s) = tableau.entering(bland) else {
            return Ok(tableau.basis());
        };
        let r = tableau.leaving(s, bland).ok_or_else(|| {
            Error::Solver("simplex: unbounded, which a positive matrix rules out".into())
        })?;
        if tableau.rhs(r) <= tol::SIMPLEX_ZERO {
            degenerate_run += 1;
        } else {
            degenerate_run = 0;
        }
        tableau.pivot(r, s);
    }
    Err(Error::limit(
        "MAX_SIMPLEX_PIVOTS",
        format!(
            "simplex: no optimum after {} pivots (limit)",
            limits::MAX_SIMPLEX_PIVOTS
        ),
    ))
}

/// `lengths_j += row_j²` over the non-basic columns (the last entry of `row` is its right-hand side).
fn add_squares(lengths: &mut [f64], row: &[f64]) {
    for (length, v) in lengths.iter_mut().zip(row) {
        *length += v * v;
    }
}

/// `basic_i = rhs_i − Σ_j T_ij · nonbasic_j` for each row, and a last row holding the negated
/// reduced costs `−c_j` and `−z`: at the optimum it holds the dual prices of non-basic slacks.
struct Tableau {
    m: usize,
    n: usize,
    /// `(m + 1) × (n + 1)`, row-major; column `n` is the right-hand side.
    cells: Vec<f64>,
    /// `1 + Σ_i T_ij²` over the constraint rows: the squared length of the edge that column `j`
    /// would move along, for the steepest-edge rule.
    edge_lengths: Vec<f64>,
    /// Variable labels: `j < n` is `w_j`, `n + i` is the slack of row `i`.
    basic: Vec<usize>,
    nonbasic: Vec<usize>,
}

impl Tableau {
    fn new(m: usize, n: usize, a: &[f64]) -> Self {
        let width = n + 1;
        let mut cells = vec![0.0; (m + 1) * width];
        for (row, source) in cells.chunks_exact_mut(width).zip(a.chunks_exact(n)) {
            row[..n].copy_from_slice(source);
            row[n] = 1.0;
        }
        cells[m * width..m * width + n].fill(-1.0);
        let mut tableau = Tableau {
            m,
            n,
            cells,
            edge_lengths: vec![1.0; n],
            basic: (n..n + m).collect(),
            nonbasic: (0..n).collect(),
        };
        tableau.measure_edges();
        tableau
    }

    fn measure_edges(&mut self) {
        self.edge_lengths.fill(1.0);
        for row in self.cells.chunks_exact(self.n + 1).take(self.m) {
            add_squares(&mut self.edge_lengths, row);
        }
    }

    fn at(&self, i: usize, j: usize) -> f64 {
        self.cells[i * (self.n + 1) + j]
    }

    fn rhs(&self, i: usize) -> f64 {
        self.at(i, self.n)
    }

    /// The entering column: the steepest edge, largest `c_j² / (1 + Σ_i T_ij²)` (Goldfarb &
    /// Reid 1977; computed exactly from the dense tableau), or the smallest label among the
    /// improving columns (Bland); `None` at an optimum.
    fn entering(&self, bland: bool) -> Option<usize> {
        let improving = (0..self.n).filter(|&j| self.at(self.m, j) < -tol::SIMPLEX_ZERO);
        if bland {
            improving.min_by_key(|&j| self.nonbasic[j])
        } else {
            let steepness = |j: usize| self.at(self.m, j).powi(2) / self.edge_lengths[j];
            improving.max_by(|&x, &y| steepness(x).total_cmp(&steepness(y)))
        }
    }

    /// The leaving row by the ratio test on column `s`; ratios within [`tol::RATIO_TIE_F64`]
    /// tie, and ties go to the largest pivot (stability) or, under Bland, the smallest label.
    fn leaving(&self, s: usize, bland: bool) -> Option<usize> {
        let candidates: Vec<(usize, f64)> = (0..self.m)
            .filter(|&i| self.at(i, s) > tol::SIMPLEX_ZERO)
            .map(|i| (i, self.rhs(i).max(0.0) / self.at(i, s)))
            .collect();
        let least = candidates.iter().map(|c| c.1).min_by(f64::total_cmp)?;
        let ties = candidates
            .iter()
            .filter(|c| c.1 <= least + tol::RATIO_TIE_F64 * (1.0 + least))
            .map(|c| c.0);
        if bland {
            ties.min_by_key(|&i| self.basic[i])
        } else {
            ties.max_by(|&x, &y| self.at(x, s).total_cmp(&self.at(y, s)))
        }
    }

    /// Exchange the basic variable of row `r` with the non-basic variable of column `s`.
    /// One pass over the tableau, which also measures the new edge lengths.
    fn pivot(&mut self, r: usize, s: usize) {
        let width = self.n + 1;
        let inverse = 1.0 / self.at(r, s);
        let mut pivot_row = self.cells[r * width..(r + 1) * width].to_vec();
        pivot_row.iter_mut().for_each(|v| *v *= inverse);
        pivot_row[s] = inverse;
        self.edge_lengths.fill(1.0);
        for (i, row) in self.cells.chunks_exact_mut(width).enumerate() {
            if i == r {
                row.copy_from_slice(&pivot_row);
            } else {
                let f = row[s];
                for (v, p) in row.iter_mut().zip(&pivot_row) {
                    *v -= f * p;
                }
                row[s] = -f * inverse;
            }
            if i < self.m {
                add_squares(&mut self.edge_lengths, row);
            }
        }
        std::mem::swap(&mut self.basic[r], &mut self.nonbasic[s]);
    }

    fn basis(&self) -> OptimalBasis {
        let mut rows: Vec<usize> = self
            .nonbasic
            .iter()
            .filter_map(|&v| v.checked_sub(self.n))
            .collect();
        let mut columns: Vec<usize> = self.basic.iter().copied().filter(|&v| v < self.n).collect();
        rows.sort_unstable();
        columns.sort_unstable();
        OptimalBasis { rows, columns }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_two_by_two_uses_both_strategies() {
        // [[3, 1], [1, 2]] has no saddle point, so both players mix: full supports
        let basis = optimal_basis(2, 2, &[3.0, 1.0, 1.0, 2.0]).unwrap();
        assert_eq!((basis.rows, basis.columns), (vec![0, 1], vec![0, 1]));
    }

    #[test]
    fn saddle_point_gives_one_row_and_one_column() {
        // row 2 dominates row 1; against it column 1 (payoff 2 < 4) is the column player's reply
        let basis = optimal_basis(2, 2, &[1.0, 3.0, 2.0, 4.0]).unwrap();
        assert_eq!((basis.rows, basis.columns), (vec![1], vec![0]));
    }

    #[test]
    fn blands_rule_reaches_the_same_optimum() {
        // random positive matrices have a unique optimal basis (with probability 1), so the
        // steepest edge and Bland's rule from the first pivot must end at the same one
        let mut rng = crate::game::random::SplitMix64(77);
        for (m, n) in [(3, 3), (6, 9), (12, 7), (20, 20)] {
            let a: Vec<f64> = (0..m * n)
                .map(|_| (1 + rng.next_u64() % 1000) as f64 / 1000.0)
                .collect();
            let steepest = optimal_basis(m, n, &a).unwrap();
            let bland = run(Tableau::new(m, n, &a), 0).unwrap();
            assert_eq!(steepest, bland, "{m}×{n}");
        }
    }

    #[test]
    fn refuses_a_matrix_that_is_not_positive() {
        assert!(optimal_basis(1, 2, &[1.0, 0.0]).is_err());
        assert!(optimal_basis(1, 1, &[f64::NAN]).is_err());
        assert!(optimal_basis(2, 2, &[1.0]).is_err());
        assert!(optimal_basis(0, 0, &[]).is_err());
    }
}
