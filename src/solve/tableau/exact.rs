//! Exact dictionary by integer pivoting (Edmonds 1967; Bareiss 1968; von Stengel 2002 §3.5).
//!
//! Every entry is an integer `T[i][j] = det · a[i][j]`, where `det` is the absolute value of
//! the determinant of the current basis (of the row-scaled system). After a pivot on
//! `p = T[r][c]`, the new entries `(T[i][j]·p − T[i][c]·T[r][j]) / det` are again minors of
//! the original matrix, so the division is exact and numbers grow only as fast as
//! subdeterminants do — no rationals, no gcds.

use super::{Basis, Perturbation, Pivoting, Slot};
use crate::num::{IBig, Q};
use dashu::base::Gcd;
use dashu::integer::UBig;
use std::cmp::Ordering;

#[derive(Debug, Clone)]
pub struct ExactTableau {
    /// Columns per row: the nonbasic columns, then the right-hand side.
    width: usize,
    /// Row-major entries, right-hand side last in each row.
    t: Vec<IBig>,
    /// Common positive denominator of every entry.
    det: IBig,
    /// Row `i` was multiplied by `row_scale[i]` to clear denominators, so the tableau's slack
    /// `i` is `row_scale[i]` times the caller's slack `i`.
    row_scale: Vec<UBig>,
    basis: Basis,
    perturbation: Perturbation,
}

/// Least common multiple of the denominators of `values`.
fn denominator_lcm<'a>(values: impl Iterator<Item = &'a Q>) -> UBig {
    values.fold(UBig::ONE, |l, v| {
        let d = v.denominator();
        let g = (&l).gcd(d);
        l / g * d
    })
}

impl ExactTableau {
    /// The dictionary `slack_i + Σ_j a(i, j) · x_j = rhs(i)` with slacks basic.
    pub fn from_fn(
        rows: usize,
        cols: usize,
        a: impl Fn(usize, usize) -> Q,
        rhs: impl Fn(usize) -> Q,
    ) -> Self {
        let width = cols + 1;
        let mut t = Vec::with_capacity(rows * width);
        let mut row_scale = Vec::with_capacity(rows);
        for i in 0..rows {
            let row: Vec<Q> = (0..cols)
                .map(|j| a(i, j))
                .chain(std::iter::once(rhs(i)))
                .collect();
            let scale = denominator_lcm(row.iter());
            t.extend(
                row.iter()
                    .map(|v| v.numerator() * IBig::from(&scale / v.denominator())),
            );
            row_scale.push(scale);
        }
        ExactTableau {
            width,
            t,
            det: IBig::ONE,
            row_scale,
            basis: Basis::new(rows, cols),
            perturbation: Perturbation::Raise,
        }
    }

    /// Choose the lexicographic rule (the default is [`Perturbation::Raise`]).
    pub fn with_perturbation(mut self, perturbation: Perturbation) -> Self {
        self.perturbation = perturbation;
        self
    }

    fn at(&self, row: usize, col: usize) -> &IBig {
        &self.t[row * self.width + col]
    }

    fn rhs(&self, row: usize) -> &IBig {
        self.at(row, self.width - 1)
    }

    /// Exact value of a variable in the current basic solution (nonbasic variables are 0).
    pub fn value(&self, var: usize) -> Q {
        match self.basis.slot(var) {
            Slot::Col(_) => Q::ZERO,
            Slot::Row(r) => {
                let mut den = self.det.clone();
                if var < self.row_scale.len() {
                    den *= IBig::from(self.row_scale[var].clone());
                }
                Q::from_parts_signed(self.rhs(r).clone(), den)
            }
        }
    }

    /// Entry of row `i` in the lexicographic key `key`: 0 is the right-hand side, `k + 1` is
    /// the column of `B⁻¹` that belongs to slack `k` (all scaled by `det`).
    fn lex_entry(&self, i: usize, key: usize) -> IBig {
        if key == 0 {
            return self.rhs(i).clone();
        }
        match self.basis.slot(key - 1) {
            Slot::Row(r) if r == i => self.det.clone(),
            Slot::Row(_) => IBig::ZERO,
            Slot::Col(c) => self.at(i, c).clone(),
        }
    }

    /// Compare `key / pivot` of rows `i` and `h`, where `pi`, `ph` are their (positive) pivots.
    /// With [`Perturbation::Lower`] the `B⁻¹` keys count in reverse.
    fn cmp_key(&self, i: usize, pi: &IBig, h: usize, ph: &IBig, key: usize) -> Ordering {
        let order = (self.lex_entry(i, key) * ph).cmp(&(self.lex_entry(h, key) * pi));
        if key > 0 && self.perturbation == Perturbation::Lower {
            order.reverse()
        } else {
            order
        }
    }

    /// Lexicographic minimum-ratio test on column `col`.
    ///
    /// With `decreasing`, the column is negated first: this is Lemke's first step, where the
    /// artificial variable enters at the least value that makes every basic variable
    /// nonnegative (so rows may have negative right-hand sides). Among rows whose plain
    /// ratio ties with the lexicographic winner, `prefer` wins (Lemke's rule to let the
    /// artificial variable leave as soon as it can).
    pub fn lex_min_ratio_with(
        &self,
        col: usize,
        decreasing: bool,
        prefer: Option<usize>,
    ) -> Option<usize> {
        let pivot = |i: usize| {
            let p = self.at(i, col);
            if decreasing {
                -p
            } else {
                p.clone()
            }
        };
        let mut best: Option<(usize, IBig)> = None;
        for i in 0..self.basis.rows() {
            let pi = pivot(i);
            if pi <= IBig::ZERO {
                continue;
            }
            let better = match &best {
                None => true,
                Some((h, ph)) => self.lex_less(i, &pi, *h, ph),
            };
            if better {
                best = Some((i, pi));
            }
        }
        let (winner, pw) = best?;
        if let Some(p) = prefer {
            let pp = pivot(p);
            if p != winner
                && pp > IBig::ZERO
                && self.cmp_key(p, &pp, winner, &pw, 0) == Ordering::Equal
            {
                return Some(p);
            }
        }
        Some(winner)
    }

    fn lex_less(&self, i: usize, pi: &IBig, h: usize, ph: &IBig) -> bool {
        for key in 0..=self.basis.rows() {
            match self.cmp_key(i, pi, h, ph, key) {
                Ordering::Less => return true,
                Ordering::Greater => return false,
                Ordering::Equal => {}
            }
        }
        false
    }

    /// Is the entry at (`row`, `col`) nonzero?
    pub fn is_nonzero(&self, row: usize, col: usize) -> bool {
        !self.at(row, col).is_zero()
    }

    /// Exact solution of the square system `a · v = b`, `None` when `a` is singular.
    ///
    /// Gaussian elimination as pivoting: each unknown enters in place of a slack.
    pub fn solve_square(
        n: usize,
        a: impl Fn(usize, usize) -> Q,
        b: impl Fn(usize) -> Q,
    ) -> Option<Vec<Q>> {
        let mut tab = ExactTableau::from_fn(n, n, a, b);
        for j in 0..n {
            let col = match tab.basis.slot(n + j) {
                Slot::Col(c) => c,
                Slot::Row(_) => return None,
            };
            let row = (0..n).find(|&r| tab.basis.var_at_row(r) < n && tab.is_nonzero(r, col))?;
            tab.pivot(row, col);
        }
        Some((0..n).map(|j| tab.value(n + j)).collect())
    }
}

impl Pivoting for ExactTableau {
    fn basis(&self) -> &Basis {
        &self.basis
    }

    fn lex_min_ratio(&self, col: usize) -> Option<usize> {
        self.lex_min_ratio_with(col, false, None)
    }

    fn pivot(&mut self, row: usize, col: usize) {
        let w = self.width;
        let pivot_row: Vec<IBig> = self.t[row * w..(row + 1) * w].to_vec();
        let p = pivot_row[col].clone();
        for i in (0..self.basis.rows()).filter(|&i| i != row) {
            let line = &mut self.t[i * w..(i + 1) * w];
            let f = std::mem::take(&mut line[col]);
            for (j, x) in line.iter_mut().enumerate() {
                if j == col {
                    continue;
                }
                let scaled = &*x * &p;
                *x = if f.is_zero() {
                    scaled
                } else {
                    scaled - &f * &pivot_row[j]
                } / &self.det;
            }
            line[col] = -f;
        }
        self.t[row * w + col] = std::mem::replace(&mut self.det, p);
        if self.det < IBig::ZERO {
            self.det = -std::mem::take(&mut self.det);
            for x in self.t.iter_mut() {
                *x = -std::mem::take(x);
            }
        }
        self.basis.exchange(row, col);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(v: i64) -> Q {
        Q::from(v)
    }

    #[test]
    fn solves_a_rational_system_by_hand() {
        // x + 2y = 1, 3x + 4y = 1/2  =>  x = -3/2, y = 5/4
        let a = [[q(1), q(2)], [q(3), q(4)]];
        let b = [q(1), Q::from_parts_signed(IBig::ONE, IBig::from(2))];
        let v = ExactTableau::solve_square(2, |i, j| a[i][j].clone(), |i| b[i].clone()).unwrap();
        assert_eq!(
            v,
            vec![
                Q::from_parts_signed(IBig::from(-3), IBig::from(2)),
                Q::from_parts_signed(IBig::from(5), IBig::from(4))
            ]
        );
        let singular = [[q(1), q(2)], [q(2), q(4)]];
        assert!(ExactTableau::solve_square(2, |i, j| singular[i][j].clone(), |_| q(1)).is_none());
    }

    #[test]
    fn lexicographic_rule_breaks_ratio_ties_by_the_inverse_basis() {
        // s0 + x0 + x1 = 2,  s1 + x0 + 2·x1 = 2,  s2 + x1 = 1   (variables s0,s1,s2 = 0,1,2; x0,x1 = 3,4)
        let a = [[q(1), q(1)], [q(1), q(2)], [q(0), q(1)]];
        let rhs = [q(2), q(2), q(1)];
        let mut t = ExactTableau::from_fn(3, 2, |i, j| a[i][j].clone(), |i| rhs[i].clone());
        // x0 enters: rows 0 and 1 tie on 2/1; on the s0 column of B⁻¹ row 0 has 1, row 1 has 0.
        assert_eq!(t.lex_min_ratio(0), Some(1));
        assert_eq!(t.enter(3), Some(1));
        // Now x0 = 2 − s1 − 2·x1 and s0 = x1 + s1.
        assert_eq!(t.value(3), q(2));
        assert_eq!(t.value(0), q(0));
        // x1 enters: row of x0 (2/2) ties with row of s2 (1/1); s0's column is 0 in both,
        // s1's column is 1/2 for x0's row and 0 for s2's: s2 leaves.
        assert_eq!(t.enter(4), Some(2));
        assert_eq!((t.value(4), t.value(3), t.value(0)), (q(1), q(0), q(1)));
    }

    #[test]
    fn lowered_perturbation_sends_ties_to_the_greatest_inverse_ratio() {
        // Same tie as above: on the s0 column row 0 has 1/1, row 1 has 0/1; Gambit's rule
        // (rhs − ε) keeps the greater, row 0.
        let a = [[q(1), q(1)], [q(1), q(2)], [q(0), q(1)]];
        let t = ExactTableau::from_fn(3, 2, |i, j| a[i][j].clone(), |_| q(2))
            .with_perturbation(Perturbation::Lower);
        assert_eq!(t.lex_min_ratio(0), Some(0));
    }
}
