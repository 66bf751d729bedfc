//! An all-integer simplex tableau for `M z + w = 1, z ≥ 0, w ≥ 0`, pivoted fraction-free and
//! with the lexicographic ratio test.
//!
//! Fraction-free (Bareiss) pivoting keeps every entry an integer: the tableau is
//! `det · Basis⁻¹ [M | I | 1]`, where `det` is the determinant of the current basis, and a pivot
//! on entry `p` replaces each other row's entry `t` by `(t·p − t_c·r_j) / det`, an exact division
//! (Edmonds 1967; the form used by lrs, Avis 2000, and by von Stengel, "Computing equilibria for
//! two-person games", Handbook of Game Theory vol. 3, 2002, §6). Entries are subdeterminants of
//! `[M | I | 1]`, so they stay as small as exact arithmetic allows.
//!
//! Lexicographic ratio test: the right-hand side is perturbed to `1 + (ε, ε², …, ε^k)`. In the
//! current tableau the perturbation terms are the slack columns, which are linearly independent,
//! so no two rows tie and every basis reached is nondegenerate in the perturbed system
//! (Dantzig, Orden and Wolfe 1955). The perturbed polytope is simple, which is what lets vertex
//! enumeration walk its graph one basis per vertex.
//!
//! The entry type is generic ([`TableauEntry`]): machine integers with overflow detection
//! while they suffice, arbitrary precision otherwise.

use super::bit_set::BitSet;
use super::tableau_entry::TableauEntry;
use crate::num::IBig;
use std::cmp::Ordering;

/// Why a pivot could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PivotError {
    /// A result did not fit the entry type: redo the work with wider entries.
    Overflow,
    /// [`IntTableau::move_to`] was asked for a set of columns that is not a basis.
    Singular,
}

/// Tableau over `structural` variables `z` (columns `0..d`) and one slack per row (columns
/// `d..d+k`), with the right-hand side in the last column.
#[derive(Clone, Debug)]
pub struct IntTableau<T> {
    rows: usize,
    structural: usize,
    /// Row-major `rows × (d + k + 1)` entries.
    cells: Vec<T>,
    /// Determinant of the current basis, kept positive between public operations.
    det: T,
    /// Basic variable of each row.
    basic: Vec<usize>,
    /// Row of each basic variable; `None` for nonbasic ones.
    row_of: Vec<Option<usize>>,
    /// Columns a pivot recomputes (the nonbasic ones and the right-hand side): reused buffer.
    update_cols: Vec<usize>,
}

impl<T: TableauEntry> IntTableau<T> {
    /// The tableau of the all-slack basis (`z = 0`) for the `k × d` integer matrix `matrix`,
    /// or `None` if an entry does not fit `T`.
    pub fn slack_basis(matrix: &[Vec<IBig>], structural: usize) -> Option<Self> {
        let rows = matrix.len();
        let vars = structural + rows;
        let width = vars + 1;
        let mut cells = vec![T::default(); rows * width];
        for (i, row) in matrix.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                cells[i * width + j] = T::from_ibig(v)?;
            }
            cells[i * width + structural + i] = T::one();
            cells[i * width + vars] = T::one();
        }
        let basic: Vec<usize> = (structural..vars).collect();
        let mut row_of = vec![None; vars];
        for (i, &b) in basic.iter().enumerate() {
            row_of[b] = Some(i);
        }
        Some(IntTableau {
            rows,
            structural,
            cells,
            det: T::one(),
            basic,
            row_of,
            update_cols: Vec::new(),
        })
    }

    /// Make `self` equal to `other` (same shape), reusing `self`'s storage.
    pub fn copy_from(&mut self, other: &Self) {
        self.cells.clone_from(&other.cells);
        self.det.clone_from(&other.det);
        self.basic.clone_from(&other.basic);
        self.row_of.clone_from(&other.row_of);
    }

    /// Number of variables, structural and slack.
    pub fn vars(&self) -> usize {
        self.structural + self.rows
    }

    pub fn structural(&self) -> usize {
        self.structural
    }

    fn width(&self) -> usize {
        self.vars() + 1
    }

    fn at(&self, row: usize, col: usize) -> &T {
        &self.cells[row * self.width() + col]
    }

    /// Determinant of the current basis: the common denominator of the basic values.
    pub fn det(&self) -> IBig {
        self.det.to_ibig()
    }

    pub fn basic_var(&self, row: usize) -> usize {
        self.basic[row]
    }

    pub fn is_basic(&self, var: usize) -> bool {
        self.row_of[var].is_some()
    }

    /// The row where `var` is basic.
    pub fn row_of(&self, var: usize) -> Option<usize> {
        self.row_of[var]
    }

    /// The basic variables, one per row.
    pub fn basis(&self) -> &[usize] {
        &self.basic
    }

    /// Value of `var` times the basis determinant (zero for nonbasic variables): values of one
    /// basis share that positive denominator.
    pub fn scaled_value(&self, var: usize) -> IBig {
        match self.row_of[var] {
            Some(row) => self.at(row, self.vars()).to_ibig(),
            None => IBig::ZERO,
        }
    }

    /// Whether `var` is zero at the basis's (unperturbed) solution.
    pub fn is_zero(&self, var: usize) -> bool {
        self.row_of[var].is_none_or(|row| self.at(row, self.vars()).is_zero())
    }

    /// The row that leaves when column `col` enters, by the lexicographic minimum ratio over
    /// rows with a positive entry in `col`; `None` when `col` is unbounded.
    pub fn leaving_row(&self, col: usize) -> Option<usize> {
        let mut best: Option<usize> = None;
        for row in 0..self.rows {
            if self.at(row, col).is_positive()
                && best.is_none_or(|b| self.lex_smaller_ratio(row, b, col))
            {
                best = Some(row);
            }
        }
        best
    }

    /// Whether row `a`'s perturbed right-hand side over its `col` entry is lexicographically
    /// smaller than row `b`'s (both entries positive): right-hand side first, then the slack
    /// columns in order, compared by cross-multiplication.
    fn lex_smaller_ratio(&self, a: usize, b: usize, col: usize) -> bool {
        let (pa, pb) = (self.at(a, col), self.at(b, col));
        let keys = std::iter::once(self.vars()).chain(self.structural..self.vars());
        for key in keys {
            match T::cmp_products(self.at(a, key), pb, self.at(b, key), pa) {
                Ordering::Equal => continue,
                order => return order == Ordering::Less,
            }
        }
        false
    }

    /// Pivot: `col` enters the basis in `row`, whose basic variable leaves. The entry at
    /// (`row`, `col`) must be positive (as [`Self::leaving_row`] guarantees) so that the
    /// determinant stays positive. On an error the tableau is inconsistent and must be discarded.
    pub fn pivot(&mut self, row: usize, col: usize) -> Result<(), PivotError> {
        debug_assert!(
            self.at(row, col).is_positive(),
            "pivot entry must be positive"
        );
        self.pivot_signed(row, col)
    }

    /// Change basis to `target` (a set of `k` variables) by pivoting each missing variable in
    /// for one that is not wanted, on any nonzero entry: at most `min(d, k)` pivots. Such an
    /// entry exists whenever `target` is a basis (otherwise the entering column would lie in the
    /// span of kept columns).
    pub fn move_to(&mut self, target: &BitSet) -> Result<(), PivotError> {
        for entering in 0..self.vars() {
            if !target.contains(entering) || self.is_basic(entering) {
                continue;
            }
            let row = (0..self.rows)
                .find(|&r| !target.contains(self.basic[r]) && !self.at(r, entering).is_zero())
                .ok_or(PivotError::Singular)?;
            self.pivot_signed(row, entering)?;
        }
        if !self.det.is_positive() {
            self.cells.iter_mut().for_each(T::negate);
            self.det.negate();
        }
        Ok(())
    }

    /// Pivot on any nonzero entry; the determinant takes the entry's sign.
    fn pivot_signed(&mut self, row: usize, col: usize) -> Result<(), PivotError> {
        let width = self.width();
        let vars = self.vars();
        let pivot = self.at(row, col).clone();
        let leaving = self.basic[row];
        self.row_of[leaving] = None;
        self.row_of[col] = Some(row);
        self.basic[row] = col;

        let mut update_cols = std::mem::take(&mut self.update_cols);
        update_cols.clear();
        update_cols.extend((0..vars).filter(|&v| self.row_of[v].is_none()));
        update_cols.push(vars);

        let divisor = T::divisor(&self.det);
        let (before, rest) = self.cells.split_at_mut(row * width);
        let (pivot_row, after) = rest.split_at_mut(width);
        let other_rows = before.chunks_mut(width).chain(after.chunks_mut(width));
        for (cells, &own_basic) in
            other_rows.zip(self.basic[..row].iter().chain(&self.basic[row + 1..]))
        {
            let factor = std::mem::take(&mut cells[col]);
            for &j in &update_cols {
                cells[j] = T::bareiss(&cells[j], &pivot, &factor, &pivot_row[j], &divisor)
                    .ok_or(PivotError::Overflow)?;
            }
            cells[own_basic] = pivot.clone();
        }
        self.update_cols = update_cols;
        self.det = pivot;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(rows: &[&[i64]]) -> Vec<Vec<IBig>> {
        rows.iter()
            .map(|r| r.iter().map(|&v| IBig::from(v)).collect())
            .collect()
    }

    #[test]
    fn pivots_solve_the_system_exactly_and_undo() {
        // 2x + y ≤ 1, x + 3y ≤ 1: the vertex with both tight is (2/5, 1/5).
        let m = ints(&[&[2, 1], &[1, 3]]);
        let mut t = IntTableau::<IBig>::slack_basis(&m, 2).unwrap();
        let start = t.cells.clone();
        assert_eq!(t.leaving_row(0), Some(0)); // ratios 1/2 < 1/1
        t.pivot(0, 0).unwrap();
        assert_eq!(t.leaving_row(1), Some(1)); // x = 1/2 − y/2, then 5y/2 ≤ 1/2
        t.pivot(1, 1).unwrap();
        assert_eq!(t.det, IBig::from(5)); // det [[2,1],[1,3]]
        assert_eq!(t.scaled_value(0), IBig::from(2));
        assert_eq!(t.scaled_value(1), IBig::from(1));
        assert!(t.is_zero(2) && t.is_zero(3));
        // undo both pivots: entering the variable that left restores the slack basis exactly
        t.pivot(1, 3).unwrap();
        t.pivot(0, 2).unwrap();
        assert_eq!(t.cells, start);
        assert_eq!(t.det, IBig::ONE);
    }

    #[test]
    fn lexicographic_test_breaks_degenerate_ties() {
        // x ≤ 1 twice: the rows tie at x = 1; perturbed, x ≤ 1 + ε² is tighter than x ≤ 1 + ε.
        let m = ints(&[&[1], &[1]]);
        let t = IntTableau::<i128>::slack_basis(&m, 1).unwrap();
        assert_eq!(t.leaving_row(0), Some(1));
        let mut t2 = t.clone();
        t2.pivot(1, 0).unwrap();
        assert!(t2.is_zero(2) && !t2.is_zero(0) && t2.is_zero(1));
        assert_eq!(t2.basis(), &[1, 0]);
    }
}
