//! f64 dictionary: the fast path of Lemke–Howson. Its answer is only a candidate basis;
//! callers recompute the basic solution exactly and certify it.

use super::{Basis, Perturbation, Pivoting, Slot};
use crate::num::tol;

#[derive(Debug, Clone)]
pub struct FloatTableau {
    /// Columns per row: the nonbasic columns, then the right-hand side.
    width: usize,
    /// Row-major entries, right-hand side last in each row.
    t: Vec<f64>,
    /// Copy of the pivot row during a pivot (kept to avoid reallocating).
    scratch: Vec<f64>,
    basis: Basis,
    perturbation: Perturbation,
}

impl FloatTableau {
    /// The dictionary `slack_i + Σ_j a_ij · x_j = rhs(i)` with slacks basic; `fill_row(i, row)`
    /// writes row `i` of `a` (callers fill whole rows from contiguous data, which vectorises).
    pub fn from_rows(
        rows: usize,
        cols: usize,
        mut fill_row: impl FnMut(usize, &mut [f64]),
        rhs: impl Fn(usize) -> f64,
    ) -> Self {
        let width = cols + 1;
        let mut t = vec![0.0; rows * width];
        for (i, line) in t.chunks_exact_mut(width).enumerate() {
            fill_row(i, &mut line[..cols]);
            line[cols] = rhs(i);
        }
        FloatTableau {
            width,
            t,
            scratch: vec![0.0; width],
            basis: Basis::new(rows, cols),
            perturbation: Perturbation::Raise,
        }
    }

    /// Choose the lexicographic rule (the default is [`Perturbation::Raise`]).
    pub fn with_perturbation(mut self, perturbation: Perturbation) -> Self {
        self.perturbation = perturbation;
        self
    }

    fn at(&self, row: usize, col: usize) -> f64 {
        self.t[row * self.width + col]
    }

    /// Entry of row `i` in lexicographic key `key` (0: right-hand side; `k + 1`: the column of
    /// `B⁻¹` belonging to slack `k`).
    fn lex_entry(&self, i: usize, key: usize) -> f64 {
        if key == 0 {
            return self.at(i, self.width - 1);
        }
        match self.basis.slot(key - 1) {
            Slot::Row(r) => f64::from(u8::from(r == i)),
            Slot::Col(c) => self.at(i, c),
        }
    }

    /// Does `ratio` tie with the least ratio `min`?
    fn ties(ratio: f64, min: f64) -> bool {
        ratio - min <= tol::RATIO_TIE_F64 * (1.0 + min.abs())
    }
}

impl Pivoting for FloatTableau {
    fn basis(&self) -> &Basis {
        &self.basis
    }

    /// Ratios that agree within `tol::RATIO_TIE_F64` tie and go on to the next key.
    fn lex_min_ratio(&self, col: usize) -> Option<usize> {
        let rows = self.basis.rows();
        let eligible = |i: usize| self.at(i, col) > tol::PIVOT_F64;
        // Fast path: the plain ratio test, which decides alone unless there is a tie.
        let mut best: Option<(usize, f64)> = None;
        for i in (0..rows).filter(|&i| eligible(i)) {
            let r = self.lex_entry(i, 0) / self.at(i, col);
            if best.is_none_or(|(_, b)| r < b) {
                best = Some((i, r));
            }
        }
        let (winner, min) = best?;
        let mut tied: Vec<usize> = (0..rows)
            .filter(|&i| eligible(i) && Self::ties(self.lex_entry(i, 0) / self.at(i, col), min))
            .collect();
        for key in 1..=rows {
            if tied.len() <= 1 {
                break;
            }
            let sign = if self.perturbation == Perturbation::Lower {
                -1.0
            } else {
                1.0
            };
            let ratio = |i: usize| sign * self.lex_entry(i, key) / self.at(i, col);
            let min = tied.iter().map(|&i| ratio(i)).fold(f64::INFINITY, f64::min);
            tied.retain(|&i| Self::ties(ratio(i), min));
        }
        Some(tied.first().copied().unwrap_or(winner))
    }

    fn pivot(&mut self, row: usize, col: usize) {
        let w = self.width;
        let p = self.t[row * w + col];
        let pivot_row = &mut self.t[row * w..(row + 1) * w];
        for x in pivot_row.iter_mut() {
            *x /= p;
        }
        pivot_row[col] = 1.0 / p;
        self.scratch.copy_from_slice(pivot_row);
        let scratch = &self.scratch;
        for (i, line) in self.t.chunks_exact_mut(w).enumerate() {
            if i == row {
                continue;
            }
            let f = line[col];
            for (x, y) in line.iter_mut().zip(scratch) {
                *x -= f * y;
            }
            line[col] = -f / p;
        }
        self.basis.exchange(row, col);
    }
}
