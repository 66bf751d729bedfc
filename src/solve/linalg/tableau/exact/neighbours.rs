//! Vertex enumeration's walk on the exact tableau: every lexicographic pivot from a basis at
//! once, and a change of basis by any pivots.
//!
//! The polytope `{z ∈ ℝ^d : z ≥ 0, M z ≤ 1}` is the dictionary `slack + M z = 1`, numbered as
//! its constraints are: `z_j` is variable `j`, the slack of row `i` is variable `d + i`
//! ([`Basis::structural_first`]). With the lexicographic perturbation of the right-hand side to
//! `1 + (ε, ε², …, ε^k)` ([`Perturbation::Raise`]) no two rows tie, so every basis reached is
//! nondegenerate in the perturbed system (Dantzig, Orden and Wolfe 1955): the perturbed polytope
//! is simple, which is what lets vertex enumeration walk its graph one basis per vertex (von
//! Stengel, "Computing equilibria for two-person games", Handbook of Game Theory vol. 3, 2002,
//! §3 and §6; Avis 2000 for lrs, whose dictionary form this is). Its edges are the lexicographic
//! pivots, chosen by the one rule every exact path in patron follows (the parent module's
//! `lex_less`, also behind [`IntegerTableau::lex_min_ratio_with`] for Lemke–Howson and Lemke),
//! after an `f64` screen that settles most columns without exact comparisons.

use super::{IntegerTableau, Overflow};
use crate::num::{tol, IBig};
use crate::solve::linalg::tableau::entry::TableauEntry;
use crate::solve::linalg::tableau::{Basis, Perturbation, Slot};
use dashu::integer::UBig;

/// Why a change of basis could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PivotError {
    /// A result did not fit the entry type: redo the work with wider entries.
    Overflow,
    /// [`IntegerTableau::move_to`] was asked for a set of variables that is not a basis.
    Singular,
}

impl From<Overflow> for PivotError {
    fn from(_: Overflow) -> Self {
        PivotError::Overflow
    }
}

/// The two smallest approximate ratios of one column, and the row of the smallest
/// (`usize::MAX` when no entry is positive).
#[derive(Clone, Copy, Debug)]
struct ColumnScreen {
    least: f64,
    row: usize,
    second: f64,
}

impl<T: TableauEntry> IntegerTableau<T> {
    /// The dictionary `slack + M z = 1` of the all-slack basis (`z = 0`) of the polytope
    /// `{z ≥ 0 : M z ≤ 1}` for the `k × d` integer matrix `matrix` (`d = structural`), numbered
    /// structural first; `None` if an entry does not fit `T` or there are 2³² variables or more
    /// (far beyond `limits::MAX_STRATEGIES`; [`Self::neighbours`] lists them as `u32`).
    pub fn polytope(matrix: &[Vec<IBig>], structural: usize) -> Option<Self> {
        let rows = matrix.len();
        u32::try_from(structural + rows).ok()?;
        let width = structural + 1;
        let mut t = vec![T::default(); rows * width];
        for (i, row) in matrix.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                t[i * width + j] = T::from_ibig(v)?;
            }
            t[i * width + structural] = T::one();
        }
        Some(IntegerTableau {
            width,
            t,
            det: T::one(),
            row_scale: vec![UBig::ONE; rows],
            basis: Basis::structural_first(rows, structural),
            perturbation: Perturbation::Raise,
        })
    }

    /// Determinant of the current basis: the common denominator of the basic values.
    pub fn det(&self) -> IBig {
        self.det.to_ibig()
    }

    /// Value of `var` times [`Self::det`] (zero for nonbasic variables): values of one basis
    /// share that positive denominator.
    pub fn scaled_value(&self, var: usize) -> IBig {
        self.basis
            .row_of(var)
            .map_or(IBig::ZERO, |row| self.rhs(row).to_ibig())
    }

    /// Whether `var` is zero at the basis's (unperturbed) solution.
    pub fn is_zero(&self, var: usize) -> bool {
        self.basis
            .row_of(var)
            .is_none_or(|row| self.rhs(row).is_zero())
    }

    /// Every lexicographic pivot from this basis, as `(entering, leaving)` variable pairs in
    /// decreasing order of the entering variable; unbounded columns have none. Compact
    /// (`u32`, see [`Self::polytope`]): a search keeps one such list per basis on its path.
    ///
    /// The minimum ratios of all columns are first screened in one pass over the rows, in
    /// `f64` (each approximate ratio within 2⁻⁴⁹ of the truth): when the second-smallest
    /// approximation of a column exceeds the smallest by more than [`tol::RATIO_SCREEN`], the
    /// smallest is the minimum. Otherwise (near-ties, degenerate rows, or entries without
    /// approximations) the candidates are compared exactly, by the lexicographic rule.
    pub fn neighbours(&self) -> Vec<(u32, u32)> {
        let screened = self.det.approx().is_some().then(|| self.screen_ratios());
        // one pivot at most per nonbasic column: allocate once
        let mut pivots = Vec::with_capacity(self.basis.cols());
        pivots.extend((0..self.basis.vars()).rev().filter_map(|var| {
            let Slot::Col(col) = self.basis.slot(var) else {
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
                        self.lex_leaving_row(col, |row| {
                            self.approx_ratio(row, col).is_some_and(|r| r <= cutoff)
                        })
                    }
                }
                None => self.lex_leaving_row(col, |_| true),
            };
            row.map(|row| (var as u32, self.basis.var_at_row(row) as u32))
        }));
        pivots
    }

    /// Approximate ratio of the right-hand side to a positive entry of column `col`.
    fn approx_ratio(&self, row: usize, col: usize) -> Option<f64> {
        let entry = self.at(row, col);
        if !entry.is_positive() {
            return None;
        }
        Some(self.rhs(row).approx()? / entry.approx()?)
    }

    /// Smallest and second-smallest approximate ratio of every column, in one row-major pass
    /// (the same arithmetic as [`Self::approx_ratio`]).
    fn screen_ratios(&self) -> Vec<ColumnScreen> {
        let d = self.width - 1;
        let mut screen = vec![
            ColumnScreen {
                least: f64::INFINITY,
                row: usize::MAX,
                second: f64::INFINITY
            };
            d
        ];
        for (row, cells) in self.t.chunks_exact(self.width).enumerate() {
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

    /// Pivot: nonbasic `var` enters the basis in `row`, whose basic variable leaves. Its entry
    /// there must be positive (as for the pivots [`Self::neighbours`] lists) so that the
    /// determinant stays positive. On an error the tableau is inconsistent and must be
    /// discarded.
    pub fn enter_at(&mut self, row: usize, var: usize) -> Result<(), PivotError> {
        let Slot::Col(col) = self.basis.slot(var) else {
            return Err(PivotError::Singular);
        };
        debug_assert!(
            self.at(row, col).is_positive(),
            "pivot entry must be positive"
        );
        Ok(self.try_pivot(row, col)?)
    }

    /// Change basis to the variables `wanted` accepts (a basis) by pivoting each missing
    /// variable in for one that is not wanted, on any nonzero entry: at most `min(d, k)` pivots.
    /// Such an entry exists whenever the wanted set is a basis (otherwise the entering column
    /// would lie in the span of kept columns). On an error the tableau must be discarded.
    pub fn move_to(&mut self, wanted: impl Fn(usize) -> bool) -> Result<(), PivotError> {
        for entering in 0..self.basis.vars() {
            let Slot::Col(col) = self.basis.slot(entering) else {
                continue;
            };
            if !wanted(entering) {
                continue;
            }
            let row = (0..self.basis.rows())
                .find(|&r| !wanted(self.basis.var_at_row(r)) && !self.at(r, col).is_zero())
                .ok_or(PivotError::Singular)?;
            self.pivot_any_sign(row, col)?;
        }
        self.make_det_positive();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::Q;
    use crate::solve::enummixed::int_matrix;
    use proptest::prelude::*;

    /// The row that leaves when the nonbasic variable `var` enters, as [`IntegerTableau::neighbours`]
    /// lists it.
    fn leaving_row<T: TableauEntry>(t: &IntegerTableau<T>, var: usize) -> Option<usize> {
        t.neighbours()
            .into_iter()
            .find(|&(v, _)| v as usize == var)
            .and_then(|(_, leaving)| t.basis().row_of(leaving as usize))
    }

    #[test]
    fn pivots_solve_the_system_exactly_and_undo() {
        // 2x + y ≤ 1, x + 3y ≤ 1: the vertex with both tight is (2/5, 1/5).
        let m = int_matrix(&[&[2, 1], &[1, 3]]);
        let mut t = IntegerTableau::<IBig>::polytope(&m, 2).unwrap();
        let start = t.t.clone();
        assert_eq!(leaving_row(&t, 0), Some(0)); // ratios 1/2 < 1/1
        t.enter_at(0, 0).unwrap();
        assert_eq!(leaving_row(&t, 1), Some(1)); // x = 1/2 − y/2, then 5y/2 ≤ 1/2
        t.enter_at(1, 1).unwrap();
        assert_eq!(t.det, IBig::from(5)); // det [[2,1],[1,3]]
        assert_eq!(t.scaled_value(0), IBig::from(2));
        assert_eq!(t.scaled_value(1), IBig::from(1));
        assert!(t.is_zero(2) && t.is_zero(3));
        // undo both pivots: entering the variable that left restores the slack basis exactly
        t.enter_at(1, 3).unwrap();
        t.enter_at(0, 2).unwrap();
        assert_eq!(t.t, start);
        assert_eq!(t.det, IBig::ONE);
    }

    #[test]
    fn move_to_handles_negative_pivots() {
        // x + 2y ≤ 1, 3x + y ≤ 1, both tight at (1/5, 2/5). From the slack basis, x enters in
        // row 0, then y's entry in row 1 is 1 − 3·2 = −5: a negative pivot, normalised away.
        let m = int_matrix(&[&[1, 2], &[3, 1]]);
        let mut t = IntegerTableau::<i128>::polytope(&m, 2).unwrap();
        t.move_to(|v| v < 2).unwrap();
        assert_eq!(t.det(), IBig::from(5));
        assert_eq!(
            (t.scaled_value(0), t.scaled_value(1)),
            (IBig::ONE, IBig::from(2))
        );
        // and back to the slack basis
        t.move_to(|v| v >= 2).unwrap();
        assert_eq!(t.det(), IBig::ONE);
        assert_eq!(t.t, IntegerTableau::<i128>::polytope(&m, 2).unwrap().t);
        // x + 2y ≤ 1 and 2x + 4y ≤ 1 have dependent columns: {x, y} is no basis
        let mut dependent =
            IntegerTableau::<i128>::polytope(&int_matrix(&[&[1, 2], &[2, 4]]), 2).unwrap();
        assert_eq!(dependent.move_to(|v| v < 2), Err(PivotError::Singular));
    }

    #[test]
    fn lexicographic_test_breaks_degenerate_ties() {
        // x ≤ 1 twice: the rows tie at x = 1; perturbed, x ≤ 1 + ε² is tighter than x ≤ 1 + ε.
        let m = int_matrix(&[&[1], &[1]]);
        let t = IntegerTableau::<i128>::polytope(&m, 1).unwrap();
        assert_eq!(leaving_row(&t, 0), Some(1));
        let mut t2 = t.clone();
        t2.enter_at(1, 0).unwrap();
        assert!(t2.is_zero(2) && !t2.is_zero(0) && t2.is_zero(1));
        assert_eq!(t2.basis().basic_vars(), &[1, 0]);
    }

    proptest! {
        /// The screened list of pivots agrees, on every column, with a brute-force lexicographic
        /// minimum over the rationals (each row's key `(rhs, B⁻¹ row) / pivot` as a vector of
        /// fractions), along random walks on random positive matrices; small entries make ties
        /// likely.
        #[test]
        fn screened_pivots_are_the_lexicographic_minimum_ratios(
            (rows, cols, entries, walk) in (1usize..=5, 1usize..=5).prop_flat_map(|(r, c)| (
                Just(r),
                Just(c),
                prop::collection::vec(1i64..=4, r * c),
                prop::collection::vec(0usize..64, 6),
            ))
        ) {
            let m: Vec<Vec<IBig>> = entries
                .chunks(cols)
                .map(|r| r.iter().map(|&v| IBig::from(v)).collect())
                .collect();
            let mut t = IntegerTableau::<i128>::polytope(&m, cols).unwrap();
            for step in walk {
                let pivots = t.neighbours();
                for col in 0..cols {
                    let key = |i: usize| -> Vec<Q> {
                        let p = t.at(i, col).to_ibig();
                        (0..=rows)
                            .map(|k| Q::from_parts_signed(t.lex_entry(i, k).to_ibig(), p.clone()))
                            .collect()
                    };
                    let brute = (0..rows)
                        .filter(|&i| t.at(i, col).is_positive())
                        .min_by_key(|&i| key(i));
                    let var = t.basis().var_at_col(col);
                    let listed = pivots.iter().find(|&&(v, _)| v as usize == var);
                    prop_assert_eq!(
                        listed.and_then(|&(_, l)| t.basis().row_of(l as usize)),
                        brute
                    );
                }
                if pivots.is_empty() {
                    break;
                }
                let (var, leaving) = pivots[step % pivots.len()];
                let row = t.basis().row_of(leaving as usize).unwrap();
                t.enter_at(row, var as usize).unwrap();
            }
        }
    }
}
