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
//! Only the nonbasic columns are stored (the dictionary form of lrs): a basic column is `det`
//! in its row and 0 elsewhere, so storing it would only cost work at every pivot.
//!
//! The entry type is generic ([`TableauEntry`]): machine integers with overflow detection
//! while they suffice, arbitrary precision otherwise.

use crate::num::{tol, IBig};
use crate::solve::enummixed::bit_set::BitSet;
use crate::solve::linalg::tableau::entry::{pivot_dictionary, TableauEntry};
use std::cmp::Ordering;

/// Why a pivot could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PivotError {
    /// A result did not fit the entry type: redo the work with wider entries.
    Overflow,
    /// [`IntTableau::move_to`] was asked for a set of columns that is not a basis.
    Singular,
}

/// The two smallest approximate ratios of one column, and the row of the smallest
/// (`usize::MAX` when no entry is positive).
#[derive(Clone, Copy, Debug)]
struct ColumnScreen {
    least: f64,
    row: usize,
    second: f64,
}

/// Where a variable's column is: basic in a row, or stored at a dictionary position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Row(usize),
    Column(usize),
}

/// Tableau over `structural` variables `z` (`0..d`) and one slack per row (`d..d+k`).
#[derive(Clone, Debug)]
pub struct IntTableau<T> {
    rows: usize,
    structural: usize,
    /// Row-major `rows × (d + 1)`: the `d` nonbasic columns, then the right-hand side.
    cells: Vec<T>,
    /// Determinant of the current basis, kept positive between public operations.
    det: T,
    /// Basic variable of each row.
    basic: Vec<usize>,
    place: Vec<Place>,
}

impl<T: TableauEntry> IntTableau<T> {
    /// The tableau of the all-slack basis (`z = 0`) for the `k × d` integer matrix `matrix`,
    /// or `None` if an entry does not fit `T` or there are 2³² variables or more (far beyond
    /// `limits::MAX_STRATEGIES`).
    pub fn slack_basis(matrix: &[Vec<IBig>], structural: usize) -> Option<Self> {
        let rows = matrix.len();
        u32::try_from(structural + rows).ok()?;
        let width = structural + 1;
        let mut cells = vec![T::default(); rows * width];
        for (i, row) in matrix.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                cells[i * width + j] = T::from_ibig(v)?;
            }
            cells[i * width + structural] = T::one();
        }
        let basic: Vec<usize> = (structural..structural + rows).collect();
        let place = (0..structural)
            .map(Place::Column)
            .chain((0..rows).map(Place::Row))
            .collect();
        Some(IntTableau {
            rows,
            structural,
            cells,
            det: T::one(),
            basic,
            place,
        })
    }

    /// Number of variables, structural and slack.
    pub fn vars(&self) -> usize {
        self.structural + self.rows
    }

    pub fn structural(&self) -> usize {
        self.structural
    }

    fn width(&self) -> usize {
        self.structural + 1
    }

    fn rhs(&self, row: usize) -> &T {
        &self.cells[row * self.width() + self.structural]
    }

    /// Entry of the full tableau `det · Basis⁻¹ [M | I]` at (`row`, column of `var`): stored
    /// for nonbasic variables, `det` or zero for basic ones.
    fn entry(&self, row: usize, var: usize) -> T {
        match self.place[var] {
            Place::Column(col) => self.cells[row * self.width() + col].clone(),
            Place::Row(r) if r == row => self.det.clone(),
            Place::Row(_) => T::default(),
        }
    }

    /// Determinant of the current basis: the common denominator of the basic values.
    pub fn det(&self) -> IBig {
        self.det.to_ibig()
    }

    pub fn basic_var(&self, row: usize) -> usize {
        self.basic[row]
    }

    pub fn is_basic(&self, var: usize) -> bool {
        matches!(self.place[var], Place::Row(_))
    }

    /// The row where `var` is basic.
    pub fn row_of(&self, var: usize) -> Option<usize> {
        match self.place[var] {
            Place::Row(r) => Some(r),
            Place::Column(_) => None,
        }
    }

    /// The basic variables, one per row.
    pub fn basis(&self) -> &[usize] {
        &self.basic
    }

    /// Value of `var` times the basis determinant (zero for nonbasic variables): values of one
    /// basis share that positive denominator.
    pub fn scaled_value(&self, var: usize) -> IBig {
        self.row_of(var)
            .map_or(IBig::ZERO, |row| self.rhs(row).to_ibig())
    }

    /// Whether `var` is zero at the basis's (unperturbed) solution.
    pub fn is_zero(&self, var: usize) -> bool {
        self.row_of(var).is_none_or(|row| self.rhs(row).is_zero())
    }

    /// Every lexicographic pivot from this basis, as `(entering, leaving)` variable pairs in
    /// decreasing order of the entering variable; unbounded columns have none. Compact
    /// (`u32`, see [`Self::slack_basis`]): a search keeps one such list per basis on its path.
    ///
    /// The minimum ratios of all columns are first screened in one pass over the rows, in
    /// `f64` (each approximate ratio within 2⁻⁴⁹ of the truth): when the second-smallest
    /// approximation of a column exceeds the smallest by more than [`tol::RATIO_SCREEN`], the
    /// smallest is the minimum. Otherwise (near-ties, degenerate rows, or entries without
    /// approximations) the candidates are compared exactly.
    pub fn neighbours(&self) -> Vec<(u32, u32)> {
        let screened = self.det.approx().is_some().then(|| self.screen_ratios());
        // one pivot at most per nonbasic column: allocate once
        let mut pivots = Vec::with_capacity(self.structural);
        pivots.extend((0..self.vars()).rev().filter_map(|var| {
            let Place::Column(col) = self.place[var] else {
                return None;
            };
            let row = match &screened {
                Some(screen) => {
                    let s = &screen[col];
                    if s.row == usize::MAX {
                        None
                    } else if s.second > s.least * (1.0 + tol::RATIO_SCREEN) {
                        Some(s.row)
                    } else {
                        let cutoff = s.least * (1.0 + tol::RATIO_SCREEN);
                        self.exact_leaving_row(col, |row| {
                            self.approx_ratio(row, col).is_some_and(|r| r <= cutoff)
                        })
                    }
                }
                None => self.exact_leaving_row(col, |_| true),
            };
            row.map(|row| (var as u32, self.basic[row] as u32))
        }));
        pivots
    }

    /// The row that leaves when the nonbasic variable `var` enters (see [`Self::neighbours`]).
    #[cfg(test)]
    pub fn leaving_row(&self, var: usize) -> Option<usize> {
        self.neighbours()
            .into_iter()
            .find(|&(v, _)| v as usize == var)
            .and_then(|(_, leaving)| self.row_of(leaving as usize))
    }

    /// Approximate ratio of the right-hand side to a positive entry of stored column `col`.
    fn approx_ratio(&self, row: usize, col: usize) -> Option<f64> {
        let width = self.width();
        let entry = &self.cells[row * width + col];
        if !entry.is_positive() {
            return None;
        }
        Some(self.rhs(row).approx()? / entry.approx()?)
    }

    /// Smallest and second-smallest approximate ratio of every stored column, in one row-major
    /// pass (the same arithmetic as [`Self::approx_ratio`]).
    fn screen_ratios(&self) -> Vec<ColumnScreen> {
        let d = self.structural;
        let mut screen = vec![
            ColumnScreen {
                least: f64::INFINITY,
                row: usize::MAX,
                second: f64::INFINITY
            };
            d
        ];
        for (row, cells) in self.cells.chunks_exact(d + 1).enumerate() {
            let Some(rhs) = cells[d].approx() else {
                continue;
            };
            for (s, entry) in screen.iter_mut().zip(&cells[..d]) {
                if !entry.is_positive() {
                    continue;
                }
                let ratio = rhs / entry.approx().unwrap_or(f64::NAN);
                if ratio < s.least {
                    s.second = s.least;
                    s.least = ratio;
                    s.row = row;
                } else if ratio < s.second {
                    s.second = ratio;
                }
            }
        }
        screen
    }

    /// The lexicographic minimum-ratio row of stored column `col` among the rows with a
    /// positive entry that `keep` accepts, by exact comparisons.
    fn exact_leaving_row(&self, col: usize, keep: impl Fn(usize) -> bool) -> Option<usize> {
        let width = self.width();
        let mut best: Option<usize> = None;
        for row in 0..self.rows {
            if self.cells[row * width + col].is_positive()
                && keep(row)
                && best.is_none_or(|b| self.lex_smaller_ratio(row, b, col))
            {
                best = Some(row);
            }
        }
        best
    }

    /// Whether row `a`'s perturbed right-hand side over its entry in stored column `col` is
    /// lexicographically smaller than row `b`'s (both entries positive): right-hand side first,
    /// then the slack columns in order, compared by cross-multiplication.
    fn lex_smaller_ratio(&self, a: usize, b: usize, col: usize) -> bool {
        let width = self.width();
        let (pa, pb) = (&self.cells[a * width + col], &self.cells[b * width + col]);
        match T::cmp_products(self.rhs(a), pb, self.rhs(b), pa) {
            Ordering::Equal => {}
            order => return order == Ordering::Less,
        }
        for slack in self.structural..self.vars() {
            match T::cmp_products(&self.entry(a, slack), pb, &self.entry(b, slack), pa) {
                Ordering::Equal => continue,
                order => return order == Ordering::Less,
            }
        }
        false
    }

    /// Pivot: nonbasic `var` enters the basis in `row`, whose basic variable leaves. Its entry
    /// there must be positive (as for the pivots [`Self::neighbours`] lists) so that the determinant
    /// stays positive. On an error the tableau is inconsistent and must be discarded.
    pub fn pivot(&mut self, row: usize, var: usize) -> Result<(), PivotError> {
        debug_assert!(
            self.entry(row, var).is_positive(),
            "pivot entry must be positive"
        );
        self.pivot_signed(row, var)
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
                .find(|&r| !target.contains(self.basic[r]) && !self.entry(r, entering).is_zero())
                .ok_or(PivotError::Singular)?;
            self.pivot_signed(row, entering)?;
        }
        if !self.det.is_positive() {
            self.cells.iter_mut().for_each(T::negate);
            self.det.negate();
        }
        Ok(())
    }

    /// Pivot on any nonzero entry; the determinant takes the entry's sign
    /// ([`pivot_dictionary`]).
    fn pivot_signed(&mut self, row: usize, var: usize) -> Result<(), PivotError> {
        let Place::Column(col) = self.place[var] else {
            return Err(PivotError::Singular);
        };
        let width = self.width();
        pivot_dictionary(&mut self.cells, width, row, col, &mut self.det)
            .map_err(|_| PivotError::Overflow)?;
        let leaving = std::mem::replace(&mut self.basic[row], var);
        self.place[var] = Place::Row(row);
        self.place[leaving] = Place::Column(col);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::enummixed::int_matrix;

    #[test]
    fn pivots_solve_the_system_exactly_and_undo() {
        // 2x + y ≤ 1, x + 3y ≤ 1: the vertex with both tight is (2/5, 1/5).
        let m = int_matrix(&[&[2, 1], &[1, 3]]);
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
    fn move_to_handles_negative_pivots() {
        // x + 2y ≤ 1, 3x + y ≤ 1, both tight at (1/5, 2/5). From the slack basis, x enters in
        // row 0, then y's entry in row 1 is 1 − 3·2 = −5: a negative pivot, normalised away.
        let m = int_matrix(&[&[1, 2], &[3, 1]]);
        let mut t = IntTableau::<i128>::slack_basis(&m, 2).unwrap();
        t.move_to(&BitSet::from_indices(4, [0, 1])).unwrap();
        assert_eq!(t.det(), IBig::from(5));
        assert_eq!(
            (t.scaled_value(0), t.scaled_value(1)),
            (IBig::ONE, IBig::from(2))
        );
        // and back to the slack basis
        t.move_to(&BitSet::from_indices(4, [2, 3])).unwrap();
        assert_eq!(t.det(), IBig::ONE);
        assert_eq!(
            t.cells,
            IntTableau::<i128>::slack_basis(&m, 2).unwrap().cells
        );
        // x + 2y ≤ 1 and 2x + 4y ≤ 1 have dependent columns: {x, y} is no basis
        let mut dependent =
            IntTableau::<i128>::slack_basis(&int_matrix(&[&[1, 2], &[2, 4]]), 2).unwrap();
        assert_eq!(
            dependent.move_to(&BitSet::from_indices(4, [0, 1])),
            Err(PivotError::Singular)
        );
    }

    #[test]
    fn lexicographic_test_breaks_degenerate_ties() {
        // x ≤ 1 twice: the rows tie at x = 1; perturbed, x ≤ 1 + ε² is tighter than x ≤ 1 + ε.
        let m = int_matrix(&[&[1], &[1]]);
        let t = IntTableau::<i128>::slack_basis(&m, 1).unwrap();
        assert_eq!(t.leaving_row(0), Some(1));
        let mut t2 = t.clone();
        t2.pivot(1, 0).unwrap();
        assert!(t2.is_zero(2) && !t2.is_zero(0) && t2.is_zero(1));
        assert_eq!(t2.basis(), &[1, 0]);
    }
}
