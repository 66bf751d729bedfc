//! QR factorisation with column pivoting, `A P = Q R`, of a small dense `f64` matrix by
//! Householder reflections (Golub & Van Loan, *Matrix Computations*, 4th ed., §5.2.2 and
//! §5.4.2), in buffers a caller keeps and refills: the global Newton path takes one at every
//! change of support, for the kernel of the new cell's Jacobian.
//!
//! Why not nalgebra's `ColPivQR`: it allocates a fresh matrix (the transpose it is given),
//! permutation, diagonal, `R` and `Q` for every factorisation, where the path can keep one set
//! of buffers (on its small matrices, order 3 to about 20, the arithmetic of the two costs about
//! the same instructions; the allocations are what is saved). The arithmetic is nalgebra
//! 0.35's, operation for operation, so the
//! factors are the same to the last bit (the path in degenerate games, where rounding decides
//! which way it continues at a tie, depends on that; a textbook Householder QR, with its own
//! norms and signs, changed the outcome on four degenerate corpus games). For an `m × c` matrix,
//! step `i` (of `min(m, c)`):
//!
//! * Pivot: the entry of largest magnitude in the trailing block `A[i.., i..]`, scanned column
//!   by column from the top, the first of equal ones (strictly larger replaces; a NaN never
//!   does); its column is swapped with column `i`.
//! * Reflection axis: with `a = A[i.., i]`, `σ² = a·a`, `σ = √σ²`, `s = ±1` the sign of `a₀`
//!   (`+1` for `a₀ ≥ 0`, `−0` included) and `μ = s·a₀ = |a₀|`: `f = (σ² + μ·σ)·2`, then
//!   `a₀ += s·σ`; when `f ≠ 0`, `a` is divided by `√f` and then by its own norm again (to make
//!   it a unit vector to rounding), and `R_ii = −s·σ`; when `f = 0` (a zero column) nothing is
//!   reflected and `R_ii = s·σ`.
//! * Reflection: each later column `b = A[i.., k]` becomes `ρ·b − 2ρ(u·b)·u` with `u` the axis
//!   and `ρ` the sign of `R_ii` (`f64::signum`): per entry `((u·b)·(−2ρ))·u_r + ρ·b_r`.
//! * Every dot product (and squared norm) is summed as nalgebra's `dot` sums: eight running
//!   sums over the entries in blocks of eight (sum `k` takes entries `k, k+8, …`), added into
//!   a total starting at 0 as `(s₀+s₄)`, `(s₁+s₅)`, `(s₂+s₆)`, `(s₃+s₇)`, then the entries past
//!   the last whole block one by one.
//!
//! `Q` (`m × min(m, c)`, the first columns of `H₀H₁⋯`) is formed as nalgebra forms it: from the
//! identity, the reflections applied last to first, reflection `i` to rows and columns `i..`
//! only (the rest is still the identity's), with the sign `ρ` of `R_ii`.

use super::nalgebra_sums::{dot, norm_squared};

/// A matrix, column-major, and after [`ColPivQr::factor`] its factorisation: `R` above the
/// diagonal with its signed diagonal apart, the unit reflection axes on and below the diagonal.
#[derive(Default)]
pub struct ColPivQr {
    rows: usize,
    columns: usize,
    a: Vec<f64>,
    /// `R`'s diagonal, signed (`R_ii`, whose magnitude nalgebra's `r()` gives).
    diagonal: Vec<f64>,
    /// `Q`, column-major, after [`ColPivQr::q`].
    q: Vec<f64>,
}

impl ColPivQr {
    /// Make the matrix `rows × columns` (reusing the buffers). Its entries are left as they
    /// were: the caller writes every one, through [`ColPivQr::matrix_mut`], before
    /// [`ColPivQr::factor`].
    pub fn resize(&mut self, rows: usize, columns: usize) {
        self.rows = rows;
        self.columns = columns;
        self.a.resize(rows * columns, 0.0);
    }

    /// The matrix's entries, column by column (entry `(r, c)` at `c·rows + r`), to fill
    /// before [`ColPivQr::factor`].
    pub fn matrix_mut(&mut self) -> &mut [f64] {
        &mut self.a
    }

    /// The number of Householder steps, `min(rows, columns)`: the order of `R`'s diagonal
    /// and `Q`'s number of columns.
    fn steps(&self) -> usize {
        self.rows.min(self.columns)
    }

    /// Factorise in place (module docs: nalgebra's operations in nalgebra's order).
    pub fn factor(&mut self) {
        let (m, steps) = (self.rows, self.steps());
        self.diagonal.clear();
        for i in 0..steps {
            let pivot = i + self.pivot_column(i);
            if pivot != i {
                let (left, right) = self.a.split_at_mut(pivot * m);
                left[i * m..][..m].swap_with_slice(&mut right[..m]);
            }
            let (left, right) = self.a.split_at_mut((i + 1) * m);
            let axis = &mut left[i * m + i..];
            let (r, reflected) = reflection_axis(axis);
            self.diagonal.push(r);
            if reflected {
                let axis = &*axis;
                for column in right.chunks_exact_mut(m) {
                    reflect(axis, &mut column[i..], r.signum());
                }
            }
        }
    }

    /// The column, counted from `i`, of the first entry of largest magnitude in the trailing
    /// block `A[i.., i..]` in nalgebra's scan (`icamax_full`: column by column from the block's
    /// first entry, strictly larger replaces, a NaN never does): the first column whose
    /// largest magnitude (NaNs left out) exceeds the block's first entry's and those of the
    /// columns before it.
    fn pivot_column(&self, i: usize) -> usize {
        let m = self.rows;
        let mut best = self.a[i * m + i].abs();
        let mut pivot = 0;
        for (j, column) in self.a[i * m..].chunks_exact(m).enumerate() {
            let largest = largest_magnitude(&column[i..]);
            if largest > best {
                (best, pivot) = (largest, j);
            }
        }
        pivot
    }

    /// `R`'s diagonal, signed (after [`ColPivQr::factor`]).
    pub fn diagonal(&self) -> &[f64] {
        &self.diagonal
    }

    /// `Q`, `rows × min(rows, columns)`, column-major (after [`ColPivQr::factor`]; module
    /// docs), formed in a kept buffer.
    pub fn q(&mut self) -> &[f64] {
        let (m, steps) = (self.rows, self.steps());
        self.q.clear();
        self.q.resize(m * steps, 0.0);
        for k in 0..steps {
            self.q[k * m + k] = 1.0;
        }
        for i in (0..steps).rev() {
            let axis = &self.a[i * m + i..(i + 1) * m];
            let sign = self.diagonal[i].signum();
            for column in self.q[i * m..].chunks_exact_mut(m) {
                reflect(axis, &mut column[i..], sign);
            }
        }
        &self.q
    }
}

/// The largest magnitude of an entry, NaNs left out (−1 for none).
fn largest_magnitude(column: &[f64]) -> f64 {
    column.iter().fold(-1.0, |largest, x| {
        let magnitude = x.abs();
        if magnitude > largest {
            magnitude
        } else {
            largest
        }
    })
}

/// Overwrite `column` with the axis of the reflection that maps it onto a multiple of the
/// first unit vector, and return that multiple (`R`'s diagonal entry) and whether a reflection
/// is needed (not for a zero column), as the module docs give it.
fn reflection_axis(column: &mut [f64]) -> (f64, bool) {
    let squared = norm_squared(column);
    let norm = squared.sqrt();
    let (modulus, sign) = if column[0] >= 0.0 {
        (column[0], 1.0)
    } else {
        (-column[0], -1.0)
    };
    let signed = sign * norm;
    let factor = (squared + modulus * norm) * 2.0;
    column[0] += signed;
    if factor == 0.0 {
        return (signed, false);
    }
    let root = factor.sqrt();
    for x in column.iter_mut() {
        *x /= root;
    }
    let again = norm_squared(column).sqrt();
    for x in column.iter_mut() {
        *x /= again;
    }
    (-signed, true)
}

/// `column ← ρ·column − 2ρ(u·column)·u` for the unit axis `u` and the sign `ρ`, entry by entry
/// as `((u·column)·(−2ρ))·u_r + ρ·column_r` (module docs).
fn reflect(axis: &[f64], column: &mut [f64], sign: f64) {
    let factor = dot(axis, column) * (sign * -2.0);
    for (x, u) in column.iter_mut().zip(axis) {
        *x = factor * u + sign * *x;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::DMatrix;
    use proptest::prelude::*;

    /// Factorise `matrix` both ways and compare every bit: `R` (nalgebra's `r()`: the upper
    /// triangle of the permuted, reduced matrix, with the diagonal's magnitudes), the signed
    /// diagonal's magnitudes and `Q`.
    fn assert_same_bits(matrix: &DMatrix<f64>) {
        let (m, c) = matrix.shape();
        let theirs = matrix.clone().col_piv_qr();
        let mut ours = ColPivQr::default();
        ours.resize(m, c);
        ours.matrix_mut().copy_from_slice(matrix.as_slice());
        ours.factor();
        let steps = m.min(c);
        let r = theirs.r();
        for i in 0..steps {
            assert_eq!(
                ours.diagonal()[i].abs().to_bits(),
                r[(i, i)].to_bits(),
                "R[{i},{i}] of {matrix}"
            );
            for k in i + 1..c {
                assert_eq!(
                    ours.a[k * m + i].to_bits(),
                    r[(i, k)].to_bits(),
                    "R[{i},{k}] of {matrix}"
                );
            }
        }
        let q = theirs.q();
        for (k, (a, b)) in ours.q().iter().zip(q.as_slice()).enumerate() {
            assert_eq!(a.to_bits(), b.to_bits(), "Q entry {k} of {matrix}");
        }
        assert_eq!(ours.q().len(), q.len());
    }

    /// Shapes as the path factorises them (the transposed `n × (n+1)` Jacobian, `(n+1) × n`),
    /// square and wide ones, with columns of 8 entries and more (nalgebra's blocked sums).
    #[test]
    fn same_bits_as_nalgebra_on_fixed_matrices() {
        for (m, c) in [
            (2, 1),
            (3, 2),
            (4, 4),
            (9, 8),
            (13, 12),
            (17, 16),
            (21, 20),
            (5, 7),
        ] {
            let matrix =
                DMatrix::from_fn(m, c, |r, k| ((r * 7 + k * 13) as f64 * 0.37).sin() * 3.0);
            assert_same_bits(&matrix);
        }
    }

    /// Degenerate matrices: equal columns (rank deficient, a last step of rounding noise), a
    /// zero column (no reflection), ties for the pivot, negative zeros, exact ±1 entries as
    /// the Jacobians' sum and value rows have them.
    #[test]
    fn same_bits_as_nalgebra_on_degenerate_matrices() {
        let mut equal = DMatrix::from_fn(6, 5, |r, k| (r + 2 * k) as f64 * 0.25 - 1.0);
        let first = equal.column(0).clone_owned();
        equal.set_column(3, &first);
        assert_same_bits(&equal);
        let mut zero = DMatrix::from_fn(5, 4, |r, k| ((r * 3 + k) % 4) as f64 - 1.5);
        zero.column_mut(1).fill(0.0);
        assert_same_bits(&zero);
        assert_same_bits(&DMatrix::from_element(4, 3, 1.0));
        assert_same_bits(&DMatrix::from_element(3, 2, -0.0));
        let signs = DMatrix::from_fn(10, 9, |r, k| match (r + k) % 3 {
            0 => 1.0,
            1 => -1.0,
            _ => -0.0,
        });
        assert_same_bits(&signs);
        let pattern = DMatrix::from_fn(12, 11, |r, k| {
            if r == k || r == k + 1 {
                -1.0
            } else if (r * k) % 5 == 1 {
                0.3 + r as f64 * 0.01
            } else {
                0.0
            }
        });
        assert_same_bits(&pattern);
        // a NaN first in the block (it stays the pivot) and one further on (never the pivot)
        let mut nan = DMatrix::from_fn(5, 4, |r, k| ((r * 5 + k * 3) % 7) as f64 - 3.0);
        nan[(0, 0)] = f64::NAN;
        assert_same_bits(&nan);
        nan[(0, 0)] = 0.5;
        nan[(2, 1)] = f64::NAN;
        assert_same_bits(&nan);
    }

    proptest! {
        /// Random matrices of the path's shapes and others, with many zeros and repeated
        /// values (ties, sparse columns): the same bits as nalgebra.
        #[test]
        fn same_bits_as_nalgebra_on_random_matrices(
            m in 1usize..22,
            extra in 0usize..3,
            seed in proptest::collection::vec(-4i32..5, 22 * 24),
            scale in prop_oneof![Just(1.0), Just(1e-3), Just(0.37), Just(1e150)],
        ) {
            let c = (m + extra).saturating_sub(1).max(1);
            let matrix = DMatrix::from_fn(m, c, |r, k| {
                let s = seed[r * 24 + k];
                if s.abs() <= 1 { s as f64 } else { s as f64 * scale / 3.0 }
            });
            assert_same_bits(&matrix);
        }
    }
}
