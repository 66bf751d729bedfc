//! The inverse of the basis core `M = A[T, X]` (tight rows `T`, basic columns `X`) of the
//! revised dictionary, kept up to date across pivots.
//!
//! A Lemke–Howson pivot changes `M` by one row or one column: an `x` replacing an `x` swaps a
//! column, a slack replacing a slack swaps a row, an `x` replacing a slack borders `M` with a
//! row and a column, and a slack replacing an `x` removes one of each. Each change updates
//! `M⁻¹` in `O(k²)`: a column or row swap by the product form of the inverse (Sherman–Morrison;
//! Chvátal 1983, *Linear Programming*, ch. 24), bordering and removal by the block inverse
//! through the Schur complement (Golub & Van Loan 2013, §3.2.11 / 2.1.4). Refactoring `M`
//! costs `O(k³)`, so it is done only when the caller asks (periodically, to bound rounding) or
//! when an update's pivot is too small to trust.

use super::lazy_columns::FilledColumns;
use crate::num::tol;

/// `M⁻¹` for the current `T` and `X`.
#[derive(Debug, Clone, Default)]
pub(super) struct CoreInverse {
    /// Tight rows, in the order of `M`'s rows (the columns of `M⁻¹`).
    pub tight: Vec<usize>,
    /// Basic `x`s by column number of `A`, in the order of `M`'s columns (rows of `M⁻¹`).
    pub basic: Vec<usize>,
    /// `M⁻¹`, row-major `k × k`.
    inv: Vec<f64>,
    /// Not a basis, or a pivot of the last refactoring was at most `tol::PIVOT_F64`.
    pub singular: bool,
    spare: Vec<f64>,
    gathered: Vec<f64>,
    w: Vec<f64>,
    y: Vec<f64>,
}

impl CoreInverse {
    fn k(&self) -> usize {
        self.basic.len()
    }

    /// `M⁻¹` row-major, for comparing updates with a fresh inversion.
    #[cfg(test)]
    pub fn inverse(&self) -> &[f64] {
        &self.inv
    }

    /// `x = M⁻¹·b` where `b[q]` is `v(tight[q])`; `b` is scratch.
    pub fn solve_into(&self, v: impl Fn(usize) -> f64, b: &mut Vec<f64>, x: &mut Vec<f64>) {
        let k = self.k();
        b.clear();
        b.extend(self.tight.iter().map(|&i| v(i)));
        x.clear();
        x.extend(
            self.inv
                .chunks_exact(k.max(1))
                .take(k)
                .map(|row| dot(row, b)),
        );
    }

    /// `x = M⁻¹·A[T, j]`: a copy of `solved` when the caller already has it, else solved
    /// with `self.gathered` as scratch.
    fn solve_column(
        &mut self,
        j: usize,
        a: &FilledColumns,
        solved: Option<&[f64]>,
        x: &mut Vec<f64>,
    ) {
        if let Some(solved) = solved.filter(|s| s.len() == self.k()) {
            x.clear();
            x.extend_from_slice(solved);
            return;
        }
        let column = a.column(j);
        let mut b = std::mem::take(&mut self.gathered);
        self.solve_into(|i| column[i], &mut b, x);
        self.gathered = b;
    }

    /// Variable `entering` became basic and `leaving` nonbasic (`< rows`: slacks); update
    /// `T`, `X` and `M⁻¹`, refactoring when an update pivot is at most `tol::PIVOT_F64`.
    /// `solved`, when given, is `M⁻¹·A[T, ·]` of an entering `x`, computed before the pivot.
    /// The columns of the entering `x` and of every basic `x` must be filled in `a`.
    pub fn exchange(
        &mut self,
        entering: usize,
        leaving: usize,
        a: &FilledColumns,
        solved: Option<&[f64]>,
    ) {
        let rows = a.rows();
        let position = |list: &[usize], v: usize| list.iter().position(|&u| u == v);
        let updated = if self.singular {
            None
        } else {
            match (entering < rows, leaving < rows) {
                (true, true) => {
                    position(&self.tight, entering).and_then(|q| self.replace_row(q, leaving, a))
                }
                (false, false) => position(&self.basic, leaving - rows)
                    .and_then(|p| self.replace_column(p, entering - rows, a, solved)),
                (false, true) => self.border(leaving, entering - rows, a, solved),
                (true, false) => position(&self.tight, entering)
                    .zip(position(&self.basic, leaving - rows))
                    .and_then(|(q, p)| self.remove(q, p)),
            }
        };
        if updated.is_none() {
            let remove = |list: &mut Vec<usize>, v: usize| list.retain(|&u| u != v);
            if entering < rows {
                remove(&mut self.tight, entering);
            } else if !self.basic.contains(&(entering - rows)) {
                self.basic.push(entering - rows);
            }
            if leaving < rows {
                if !self.tight.contains(&leaving) {
                    self.tight.push(leaving);
                }
            } else {
                remove(&mut self.basic, leaving - rows);
            }
            self.refactor(a);
        }
    }

    /// Column `p` of `M` becomes `A[T, j]`; `None` (nothing changed) on a small pivot.
    fn replace_column(
        &mut self,
        p: usize,
        j: usize,
        a: &FilledColumns,
        solved: Option<&[f64]>,
    ) -> Option<()> {
        let k = self.k();
        let mut w = std::mem::take(&mut self.w);
        self.solve_column(j, a, solved, &mut w);
        let pivot = w[p];
        if pivot.abs() <= tol::PIVOT_F64 {
            self.w = w;
            return None;
        }
        let (before, rest) = self.inv.split_at_mut(p * k);
        let (row_p, after) = rest.split_at_mut(k);
        row_p.iter_mut().for_each(|x| *x /= pivot);
        let others = before.chunks_exact_mut(k).chain(after.chunks_exact_mut(k));
        for (row, &f) in others.zip(w[..p].iter().chain(&w[p + 1..])) {
            axpy(row, -f, row_p);
        }
        self.basic[p] = j;
        self.w = w;
        Some(())
    }

    /// Row `q` of `M` becomes `A[i, X]`; `None` on a small pivot.
    fn replace_row(&mut self, q: usize, i: usize, a: &FilledColumns) -> Option<()> {
        let k = self.k();
        let mut z = std::mem::take(&mut self.y);
        self.row_times_inverse(i, a, &mut z);
        let pivot = z[q];
        if pivot.abs() <= tol::PIVOT_F64 {
            self.y = z;
            return None;
        }
        for row in self.inv.chunks_exact_mut(k) {
            let f = row[q] / pivot;
            axpy(row, -f, &z);
            row[q] = f;
        }
        self.tight[q] = i;
        self.y = z;
        Some(())
    }

    /// `z = A[i, X] · M⁻¹`.
    fn row_times_inverse(&self, i: usize, a: &FilledColumns, z: &mut Vec<f64>) {
        let k = self.k();
        z.clear();
        z.resize(k, 0.0);
        for (&j, row) in self.basic.iter().zip(self.inv.chunks_exact(k.max(1))) {
            axpy(z, a.entry(i, j), row);
        }
    }

    /// Border `M` with row `i` and column `j`: `M' = [[M, b], [c, d]]`, whose inverse follows
    /// from `w = M⁻¹·b`, `y = c·M⁻¹` and the Schur complement `s = d − c·w`.
    fn border(
        &mut self,
        i: usize,
        j: usize,
        a: &FilledColumns,
        solved: Option<&[f64]>,
    ) -> Option<()> {
        let k = self.k();
        let (mut w, mut y) = (std::mem::take(&mut self.w), std::mem::take(&mut self.y));
        self.solve_column(j, a, solved, &mut w);
        self.row_times_inverse(i, a, &mut y);
        let c_w: f64 = self
            .basic
            .iter()
            .zip(&w)
            .map(|(&b, &wp)| a.entry(i, b) * wp)
            .sum();
        let s = a.entry(i, j) - c_w;
        let accepted = s.abs() > tol::PIVOT_F64;
        if accepted {
            let mut next = std::mem::take(&mut self.spare);
            next.clear();
            for (row, &wp) in self.inv.chunks_exact(k.max(1)).take(k).zip(&w) {
                let f = wp / s;
                next.extend(row.iter().zip(&y).map(|(&x, &yq)| x + f * yq));
                next.push(-f);
            }
            next.extend(y.iter().map(|&yq| -yq / s));
            next.push(1.0 / s);
            self.spare = std::mem::replace(&mut self.inv, next);
            self.tight.push(i);
            self.basic.push(j);
        }
        self.w = w;
        self.y = y;
        accepted.then_some(())
    }

    /// Remove row `q` and column `p` of `M`: the inverse of what remains is the Schur
    /// complement `E − f·g / h` of `h = M⁻¹[p][q]` in `M⁻¹`.
    fn remove(&mut self, q: usize, p: usize) -> Option<()> {
        let k = self.k();
        let h = self.inv[p * k + q];
        if h.abs() <= tol::PIVOT_F64 {
            return None;
        }
        let mut next = std::mem::take(&mut self.spare);
        next.clear();
        let row_p = &self.inv[p * k..(p + 1) * k];
        for (_, row) in self
            .inv
            .chunks_exact(k)
            .enumerate()
            .filter(|&(r, _)| r != p)
        {
            let f = row[q] / h;
            next.extend(
                row.iter()
                    .zip(row_p)
                    .enumerate()
                    .filter(|&(c, _)| c != q)
                    .map(|(_, (&x, &g))| x - f * g),
            );
        }
        self.spare = std::mem::replace(&mut self.inv, next);
        self.tight.remove(q);
        self.basic.remove(p);
        Some(())
    }

    /// Invert `M = A[T, X]` afresh by Gauss–Jordan elimination with partial pivoting.
    pub fn refactor(&mut self, a: &FilledColumns) {
        let k = self.k();
        // A basis has as many basic `x`s as nonbasic slacks.
        self.singular = self.tight.len() != k;
        if self.singular {
            return;
        }
        let m = &mut self.spare;
        m.clear();
        for &i in &self.tight {
            m.extend(self.basic.iter().map(|&j| a.entry(i, j)));
        }
        let inv = &mut self.inv;
        inv.clear();
        inv.resize(k * k, 0.0);
        for d in 0..k {
            inv[d * k + d] = 1.0;
        }
        for s in 0..k {
            let pivot = (s..k)
                .max_by(|&x, &y| m[x * k + s].abs().total_cmp(&m[y * k + s].abs()))
                .unwrap_or(s);
            let p = m[pivot * k + s];
            if p.abs() <= tol::PIVOT_F64 {
                self.singular = true;
                return;
            }
            if pivot != s {
                for c in 0..k {
                    m.swap(s * k + c, pivot * k + c);
                    inv.swap(s * k + c, pivot * k + c);
                }
            }
            m[s * k..(s + 1) * k].iter_mut().for_each(|x| *x /= p);
            inv[s * k..(s + 1) * k].iter_mut().for_each(|x| *x /= p);
            for r in (0..k).filter(|&r| r != s) {
                let f = m[r * k + s];
                for c in 0..k {
                    m[r * k + c] -= f * m[s * k + c];
                    inv[r * k + c] -= f * inv[s * k + c];
                }
            }
        }
    }
}

fn dot(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y).map(|(a, b)| a * b).sum()
}

/// `y += f·x`.
fn axpy(y: &mut [f64], f: f64, x: &[f64]) {
    for (a, &b) in y.iter_mut().zip(x) {
        *a += f * b;
    }
}
