//! LU factorisation with partial pivoting of a small dense `f64` matrix (Golub & Van Loan,
//! *Matrix Computations*, 4th ed., §3.4.1, Algorithm 3.4.1, `PA = LU`), in buffers a caller
//! keeps and refills, so that a path tracer solving small systems in every Newton iteration
//! allocates nothing for them.
//!
//! Why not nalgebra's `LU`: on the global Newton path's systems (order 3 to about 20) its
//! generic column views and the fresh matrix, permutation and solution it allocates per solve
//! cost more than the arithmetic. The arithmetic is nalgebra's, operation for operation: the
//! pivot of column k is the first entry of largest magnitude on or below the diagonal, the
//! multipliers are the entries times the pivot's reciprocal, the forward and back substitutions
//! go column by column — so results are the same to the last bit (the `gnm` path in degenerate
//! games, where rounding decides ties, depends on that). Entries that would change by exactly 0
//! are skipped: Jacobians of games are sparse.
//!
//! The matrix is stored column-major, as nalgebra's are: it is copied in a column at a time,
//! and the elimination, which updates each entry below and right of the pivot by its own
//! product (every entry gets the same updates in the same order as in a row-major loop, only
//! the order across entries differs, which changes no result), and both substitutions then run
//! down contiguous columns; when every row below the pivot has a nonzero multiplier (dense
//! columns, the common case on the path) the update of a column is one unbroken loop.
//!
//! A row swap at step k exchanges the two rows in columns k onwards only: the multipliers
//! already in `L` keep the row order of their own step, and [`SmallLu::solve`] applies each swap to the right-hand side
//! just before the column of `L` of its step, not all of them first. Every entry of the
//! right-hand side meets the same multipliers in the same order either way (a later swap moves
//! an entry and the multipliers of its row together), so the solution is the same to the last
//! bit, and the factorisation saves the swaps in the columns of `L`.

/// A square matrix, column-major, and after [`SmallLu::factor`] its factors `L` (unit lower,
/// below the diagonal, each column's rows in the order of its own step: module docs) and `U`
/// (on and above it) with the row swaps. Column-major, so
/// that a column-major matrix (nalgebra's) is copied in column by column, and the inner loops
/// of the elimination and of both substitutions run down contiguous columns.
#[derive(Default)]
pub struct SmallLu {
    order: usize,
    a: Vec<f64>,
    /// `pivots[k]`: the row swapped with row k at step k (in columns k onwards).
    pivots: Vec<usize>,
    /// The rows below the pivot with a nonzero multiplier, the first of them in use (scratch of
    /// [`SmallLu::factor`], one entry per row).
    rows: Vec<usize>,
}

impl SmallLu {
    /// Number of rows (and columns).
    pub fn order(&self) -> usize {
        self.order
    }

    /// Make the matrix `order × order` (reusing the buffers). Its entries are left as they
    /// were (old values, or 0 where the buffer grew): the caller writes every one, through
    /// [`SmallLu::column_mut`], before [`SmallLu::factor`].
    pub fn resize(&mut self, order: usize) {
        if order == self.order {
            return;
        }
        self.order = order;
        self.a.resize(order * order, 0.0);
        self.pivots.resize(order, 0);
        self.rows.resize(order, 0);
    }

    /// Column `column` of the matrix (its rows in order), to fill before [`SmallLu::factor`].
    pub fn column_mut(&mut self, column: usize) -> &mut [f64] {
        &mut self.a[column * self.order..][..self.order]
    }

    /// Factorise in place, the pivot of each column the entry of largest magnitude on or below
    /// the diagonal (the first of equal ones). Each step updates only the rows with a nonzero
    /// below the pivot and, in them, only the columns where the pivot row is nonzero (the
    /// entries skipped would change by exactly 0). `false` when a pivot is 0 or not a number
    /// (the matrix is singular to working precision, or holds a NaN): then
    /// [`SmallLu::solve`] must not be called.
    pub fn factor(&mut self) -> bool {
        let n = self.order;
        for k in 0..n {
            let column = &self.a[k * n..][k..n];
            let (mut p, mut largest) = (0, column[0].abs());
            for (r, x) in column.iter().enumerate().skip(1) {
                let magnitude = x.abs();
                if magnitude > largest {
                    (p, largest) = (r, magnitude);
                }
            }
            if !(largest.is_finite() && largest > 0.0) {
                return false;
            }
            let p = k + p;
            self.pivots[k] = p;
            if p != k {
                for column in self.a[k * n..].chunks_exact_mut(n) {
                    column.swap(k, p);
                }
            }
            let (left, right) = self.a.split_at_mut((k + 1) * n);
            let multipliers = &mut left[k * n..];
            let inverse = 1.0 / multipliers[k];
            let mut count = 0;
            for (r, x) in multipliers.iter_mut().enumerate().skip(k + 1) {
                if x.abs() > 0.0 {
                    *x *= inverse;
                    self.rows[count] = r;
                    count += 1;
                }
            }
            if count == 0 {
                continue;
            }
            let rows = &self.rows[..count];
            let dense = count == n - k - 1;
            let multipliers = &multipliers[..];
            for column in right.chunks_exact_mut(n) {
                let pivot_row = column[k];
                if pivot_row.abs() > 0.0 {
                    if dense {
                        for (x, m) in column[k + 1..].iter_mut().zip(&multipliers[k + 1..]) {
                            *x -= m * pivot_row;
                        }
                    } else {
                        for &r in rows {
                            column[r] -= multipliers[r] * pivot_row;
                        }
                    }
                }
            }
        }
        true
    }

    /// The sign of the matrix's determinant, +1 or −1 (after a successful
    /// [`SmallLu::factor`]): `det A = ±Π U_kk`, minus for an odd number of row swaps.
    pub fn determinant_sign(&self) -> i8 {
        let n = self.order;
        (0..n).fold(1, |sign, k| {
            let swapped = self.pivots[k] != k;
            let negative = self.a[k * n + k] < 0.0;
            if swapped != negative {
                -sign
            } else {
                sign
            }
        })
    }

    /// Overwrite `b` with the solution of `A x = b` (after a successful [`SmallLu::factor`]).
    pub fn solve(&self, b: &mut [f64]) {
        let n = self.order;
        if n == 0 {
            return;
        }
        let b = &mut b[..n];
        for (k, column) in self.a.chunks_exact(n).enumerate() {
            b.swap(k, self.pivots[k]);
            let bk = b[k];
            if bk.abs() > 0.0 {
                for (x, l) in b[k + 1..].iter_mut().zip(&column[k + 1..]) {
                    *x -= l * bk;
                }
            }
        }
        for (k, column) in self.a.chunks_exact(n).enumerate().rev() {
            let bk = b[k] / column[k];
            b[k] = bk;
            if bk.abs() > 0.0 {
                for (x, u) in b[..k].iter_mut().zip(column) {
                    *x -= u * bk;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A system that needs row swaps (a zero in the first pivot position), solved against its
    /// exact solution; and the residual of a random-looking 6 × 6 system against nalgebra's.
    #[test]
    fn solves_with_pivoting() {
        // x = (1, 2, 3): the right-hand side is (0 + 4 + 3, 1 + 2, 3 + 3)
        let rows = [[0.0, 2.0, 1.0], [1.0, 1.0, 0.0], [3.0, 0.0, 1.0]];
        let mut lu = SmallLu::default();
        lu.resize(3);
        for (r, row) in rows.iter().enumerate() {
            for (c, &v) in row.iter().enumerate() {
                lu.column_mut(c)[r] = v;
            }
        }
        assert!(lu.factor());
        let mut b = [7.0, 3.0, 6.0];
        lu.solve(&mut b);
        for (x, want) in b.iter().zip([1.0, 2.0, 3.0]) {
            assert!((x - want).abs() < 1e-12, "{b:?}");
        }

        let n = 6;
        // diagonally dominant, so nonsingular
        let entry = |r: usize, c: usize| {
            ((r * 7 + c * 13) % 11) as f64 - 5.0 + if r == c { 40.0 } else { 0.0 }
        };
        let matrix = nalgebra::DMatrix::from_fn(n, n, entry);
        let rhs = nalgebra::DVector::from_fn(n, |r, _| r as f64 - 2.5);
        let theirs = matrix.clone().lu().solve(&rhs).unwrap();
        lu.resize(n);
        for r in 0..n {
            for c in 0..n {
                lu.column_mut(c)[r] = entry(r, c);
            }
        }
        assert!(lu.factor());
        let mut ours: Vec<f64> = rhs.iter().copied().collect();
        lu.solve(&mut ours);
        for (a, b) in ours.iter().zip(theirs.iter()) {
            assert!(
                (a - b).abs() < 1e-10 * (1.0 + b.abs()),
                "{ours:?} vs {theirs}"
            );
        }
    }

    /// The determinant's sign against nalgebra's determinant, on matrices that need row swaps
    /// and have both signs (rows of the 3 × 3 one above, in each order: a swap of two rows
    /// flips the sign).
    #[test]
    fn determinant_sign_matches_the_determinant() {
        let rows = [[0.0, 2.0, 1.0], [1.0, 1.0, 0.0], [3.0, 0.0, 1.0]];
        let mut lu = SmallLu::default();
        for order in [
            [0, 1, 2],
            [1, 0, 2],
            [2, 1, 0],
            [1, 2, 0],
            [2, 0, 1],
            [0, 2, 1],
        ] {
            lu.resize(3);
            let matrix = nalgebra::DMatrix::from_fn(3, 3, |r, c| rows[order[r]][c]);
            for c in 0..3 {
                lu.column_mut(c)
                    .copy_from_slice(matrix.column(c).as_slice());
            }
            assert!(lu.factor());
            let det: f64 = matrix.determinant();
            assert!(det.abs() > 1.0, "{det}");
            let sign = if det > 0.0 { 1 } else { -1 };
            assert_eq!(lu.determinant_sign(), sign, "rows {order:?}");
        }
    }

    /// A matrix whose pivots need row swaps at several steps (its largest entries sit low in
    /// the later columns), with zeros that the elimination skips: the solution is nalgebra's
    /// LU solution to the last bit (the module's promise: the same arithmetic).
    #[test]
    fn solves_bit_for_bit_as_nalgebra_with_late_swaps() {
        let n = 7;
        let entry = |r: usize, c: usize| {
            if (r + 2 * c) % 5 == 0 {
                0.0
            } else {
                ((r * 5 + c * 3) % 7) as f64 * 0.37 - 1.1 + (r as f64) * 0.25 * (c as f64)
            }
        };
        let matrix = nalgebra::DMatrix::from_fn(n, n, entry);
        let rhs = nalgebra::DVector::from_fn(n, |r, _| (r as f64 * 1.7).cos());
        let theirs = matrix.clone().lu().solve(&rhs).expect("nonsingular");
        let mut lu = SmallLu::default();
        lu.resize(n);
        for c in 0..n {
            lu.column_mut(c)
                .copy_from_slice(matrix.column(c).as_slice());
        }
        assert!(lu.factor());
        assert!(
            (1..n).any(|k| lu.pivots[k] != k),
            "the test needs a swap after the first step"
        );
        let mut ours: Vec<f64> = rhs.iter().copied().collect();
        lu.solve(&mut ours);
        for (a, b) in ours.iter().zip(theirs.iter()) {
            assert_eq!(a.to_bits(), b.to_bits(), "{ours:?} vs {theirs}");
        }
        let sign = if matrix.determinant() > 0.0 { 1 } else { -1 };
        assert_eq!(lu.determinant_sign(), sign);
    }

    /// A singular matrix (two equal rows) is refused.
    #[test]
    fn refuses_a_singular_matrix() {
        let mut lu = SmallLu::default();
        lu.resize(2);
        for (r, c, v) in [(0, 0, 1.0), (0, 1, 2.0), (1, 0, 1.0), (1, 1, 2.0)] {
            lu.column_mut(c)[r] = v;
        }
        assert!(!lu.factor());
    }
}
