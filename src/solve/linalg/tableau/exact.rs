//! Exact dictionary by integer pivoting (Edmonds 1967; Bareiss 1968; von Stengel 2002 §3.5).
//!
//! Every entry is an integer `T[i][j] = det · a[i][j]`, where `det` is the absolute value of
//! the determinant of the current basis (of the row-scaled system). After a pivot on
//! `p = T[r][c]`, the new entries `(T[i][j]·p − T[i][c]·T[r][j]) / det` are again minors of
//! the original matrix, so the division is exact and numbers grow only as fast as
//! subdeterminants do — no rationals, no gcds.
//!
//! The entry type is generic ([`TableauEntry`]): machine integers that report overflow while
//! the minors fit them, arbitrary precision ([`ExactTableau`]) otherwise. The Hadamard bound
//! of the starting dictionary ([`ExactTableau::minor_bits`]) bounds every entry a dictionary
//! can ever hold, so a caller can pick a width that never overflows, or start narrow
//! ([`IntegerTableau::from_exact`]) and, when [`IntegerTableau::try_pivot`] reports an
//! overflow, go on wider from the dictionary before that pivot
//! ([`IntegerTableau::before_overflow`]).
//!
//! This is the one exact tableau of the crate: Lemke–Howson and Lemke pivot it one ratio test
//! at a time ([`IntegerTableau::lex_min_ratio_with`]); vertex enumeration lists every
//! lexicographic pivot of a basis at once and jumps between bases (the `neighbours`
//! submodule). Both choose leaving rows by the same lexicographic rule.

mod neighbours;

pub use neighbours::PivotError;

use super::entry::{pivot_dictionary, TableauEntry};
use super::{Basis, Perturbation, Pivoting, Slot};
use crate::num::{IBig, Q};
use dashu::base::{BitTest, Gcd, UnsignedAbs};
use dashu::integer::UBig;
use std::cmp::Ordering;

/// Least common multiple of the denominators of `values`.
fn denominator_lcm<'a>(values: impl Iterator<Item = &'a Q>) -> UBig {
    values.fold(UBig::ONE, |l, v| {
        let d = v.denominator();
        if *d == UBig::ONE {
            return l;
        }
        let g = (&l).gcd(d);
        l / g * d
    })
}

/// `b` with `√(Π max(1, s))` below `2^b`, for squared norms `s`.
fn squared_product_bits(squares: Vec<UBig>) -> usize {
    let product = squares
        .into_iter()
        .filter(|s| *s > UBig::ONE)
        .fold(UBig::ONE, |acc, s| acc * s);
    // |minor|² ≤ product < 2^bit_len
    product.bit_len().div_ceil(2)
}

/// A dictionary on entries of type `T`; see the module comment.
#[derive(Debug, Clone)]
pub struct IntegerTableau<T> {
    /// Columns per row: the nonbasic columns, then the right-hand side.
    width: usize,
    /// Row-major entries, right-hand side last in each row.
    t: Vec<T>,
    /// Common positive denominator of every entry.
    det: T,
    /// Row `i` was multiplied by `row_scale[i]` to clear denominators, so the tableau's slack
    /// `i` is `row_scale[i]` times the caller's slack `i`.
    row_scale: Vec<UBig>,
    basis: Basis,
    perturbation: Perturbation,
}

/// The dictionary on arbitrary-precision integers, which never overflows.
pub type ExactTableau = IntegerTableau<IBig>;

impl<T: TableauEntry> IntegerTableau<T> {
    /// `exact` on entries of type `T`, `None` when an entry does not fit.
    pub fn from_exact(exact: &ExactTableau) -> Option<Self> {
        Some(IntegerTableau {
            width: exact.width,
            t: exact.t.iter().map(T::from_ibig).collect::<Option<_>>()?,
            det: T::from_ibig(&exact.det)?,
            row_scale: exact.row_scale.clone(),
            basis: exact.basis.clone(),
            perturbation: exact.perturbation,
        })
    }

    /// Choose the lexicographic rule (the default is [`Perturbation::Raise`]).
    pub fn with_perturbation(mut self, perturbation: Perturbation) -> Self {
        self.perturbation = perturbation;
        self
    }

    pub fn basis(&self) -> &Basis {
        &self.basis
    }

    fn at(&self, row: usize, col: usize) -> &T {
        &self.t[row * self.width + col]
    }

    fn rhs(&self, row: usize) -> &T {
        self.at(row, self.width - 1)
    }

    /// Exact value of a variable in the current basic solution (nonbasic variables are 0).
    pub fn value(&self, var: usize) -> Q {
        match self.basis.slot(var) {
            Slot::Col(_) => Q::ZERO,
            Slot::Row(r) => {
                let mut den = self.det.to_ibig();
                if let Some(k) = self.basis.slack_row(var) {
                    den *= IBig::from(self.row_scale[k].clone());
                }
                Q::from_parts_signed(self.rhs(r).to_ibig(), den)
            }
        }
    }

    /// Entry of row `i` in the lexicographic key `key`: 0 is the right-hand side, `k + 1` is
    /// the column of `B⁻¹` that belongs to slack `k` (all scaled by `det`).
    fn lex_entry(&self, i: usize, key: usize) -> T {
        if key == 0 {
            return self.rhs(i).clone();
        }
        self.inverse_entry(i, self.basis.slack(key - 1))
    }

    /// Entry of row `i` in the column of `B⁻¹` that belongs to the slack variable `slack`
    /// (scaled by `det`): the unit vector of its row when it is basic, else its column.
    fn inverse_entry(&self, i: usize, slack: usize) -> T {
        match self.basis.slot(slack) {
            Slot::Row(r) if r == i => self.det.clone(),
            Slot::Row(_) => T::default(),
            Slot::Col(c) => self.at(i, c).clone(),
        }
    }

    /// Compare `key / pivot` of rows `i` and `h`, where `pi`, `ph` are their (positive) pivots.
    /// With [`Perturbation::Lower`] the `B⁻¹` keys count in reverse.
    fn cmp_key(&self, i: usize, pi: &T, h: usize, ph: &T, key: usize) -> Ordering {
        let reverse = key > 0 && self.perturbation == Perturbation::Lower;
        cmp_ratios(
            &self.lex_entry(i, key),
            pi,
            &self.lex_entry(h, key),
            ph,
            reverse,
        )
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
            let mut p = self.at(i, col).clone();
            if decreasing {
                p.negate();
            }
            p
        };
        let mut best: Option<(usize, T)> = None;
        for i in 0..self.basis.rows() {
            let pi = pivot(i);
            if !pi.is_positive() {
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
                && pp.is_positive()
                && self.cmp_key(p, &pp, winner, &pw, 0) == Ordering::Equal
            {
                return Some(p);
            }
        }
        Some(winner)
    }

    /// The lexicographic rule itself, the one every exact pivoting path follows: is row `i`'s
    /// key `(rhs, B⁻¹ row) / pi` lexicographically less than row `h`'s `/ ph` (pivots positive)?
    fn lex_less(&self, i: usize, pi: &T, h: usize, ph: &T) -> bool {
        match cmp_ratios(self.rhs(i), pi, self.rhs(h), ph, false) {
            Ordering::Equal => {}
            order => return order == Ordering::Less,
        }
        let reverse = self.perturbation == Perturbation::Lower;
        let first = self.basis.slack(0);
        for slack in first..first + self.basis.rows() {
            let (ei, eh) = (self.inverse_entry(i, slack), self.inverse_entry(h, slack));
            match cmp_ratios(&ei, pi, &eh, ph, reverse) {
                Ordering::Equal => {}
                order => return order == Ordering::Less,
            }
        }
        false
    }

    /// The lexicographic minimum-ratio row of column `col` among the rows with a positive entry
    /// that `keep` accepts.
    fn lex_leaving_row(&self, col: usize, keep: impl Fn(usize) -> bool) -> Option<usize> {
        let mut best: Option<usize> = None;
        for row in 0..self.basis.rows() {
            let p = self.at(row, col);
            if p.is_positive()
                && keep(row)
                && best.is_none_or(|b| self.lex_less(row, p, b, self.at(b, col)))
            {
                best = Some(row);
            }
        }
        best
    }

    /// Is the entry at (`row`, `col`) nonzero?
    pub fn is_nonzero(&self, row: usize, col: usize) -> bool {
        !self.at(row, col).is_zero()
    }

    /// Exchange the basic variable of `row` with the nonbasic variable of `col`. On an
    /// `Overflow` (an entry outgrows `T`) the tableau is half-pivoted: recover the
    /// dictionary from before the pivot with [`Self::before_overflow`].
    pub fn try_pivot(&mut self, row: usize, col: usize) -> Result<(), Overflow> {
        self.pivot_any_sign(row, col)?;
        self.make_det_positive();
        Ok(())
    }

    /// Pivot on any nonzero entry; `det` takes the entry's sign ([`pivot_dictionary`]).
    fn pivot_any_sign(&mut self, row: usize, col: usize) -> Result<(), Overflow> {
        pivot_dictionary(&mut self.t, self.width, row, col, &mut self.det)
            .map_err(|stopped| Overflow { row, col, stopped })?;
        self.basis.exchange(row, col);
        Ok(())
    }

    /// Negate every entry if `det` is negative, so that `det` is positive again.
    fn make_det_positive(&mut self) {
        if !self.det.is_positive() {
            self.det.negate();
            self.t.iter_mut().for_each(T::negate);
        }
    }

    /// The dictionary before the pivot that overflowed, on arbitrary-precision entries, so
    /// that the work can go on at a greater width. The rows the pivot already updated hold
    /// `a' = (a·p − f·r) / det` and `−f` in the pivot column, so `a = (a'·det + f·r) / p`
    /// (exact); the other rows, the pivot row and `det` are as they were.
    pub fn before_overflow(&self, overflow: Overflow) -> ExactTableau {
        let Overflow { row, col, stopped } = overflow;
        let w = self.width;
        let mut t: Vec<IBig> = self.t.iter().map(T::to_ibig).collect();
        let det = self.det.to_ibig();
        let pivot_row = t[row * w..(row + 1) * w].to_vec();
        let p = &pivot_row[col];
        for (i, line) in t.chunks_mut(w).enumerate().take(stopped) {
            if i == row {
                continue;
            }
            let f = -std::mem::take(&mut line[col]);
            for (a, r) in line.iter_mut().zip(&pivot_row) {
                *a = (&*a * &det + &f * r) / p;
            }
            line[col] = f;
        }
        IntegerTableau {
            width: w,
            t,
            det,
            row_scale: self.row_scale.clone(),
            basis: self.basis.clone(),
            perturbation: self.perturbation,
        }
    }
}

/// How `ei / pi` compares with `eh / ph` for positive `pi`, `ph`, reversed when `reverse`. The
/// signs of the two entries often decide (most `B⁻¹` entries are zero), sparing the products.
fn cmp_ratios<T: TableauEntry>(ei: &T, pi: &T, eh: &T, ph: &T, reverse: bool) -> Ordering {
    let sign = |e: &T| match (e.is_zero(), e.is_positive()) {
        (true, _) => 0,
        (false, true) => 1,
        (false, false) => -1,
    };
    let (si, sh) = (sign(ei), sign(eh));
    let order = if si != sh || si == 0 {
        si.cmp(&sh)
    } else {
        T::cmp_products(ei, ph, eh, pi)
    };
    if reverse {
        order.reverse()
    } else {
        order
    }
}

/// A pivot that did not fit the entry type: on (`row`, `col`), stopped at row `stopped`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow {
    row: usize,
    col: usize,
    stopped: usize,
}

impl ExactTableau {
    /// The dictionary `slack_i + Σ_j a(i, j) · x_j = rhs(i)` with slacks basic, each row
    /// multiplied by the least common multiple of its denominators.
    pub fn from_fn(
        rows: usize,
        cols: usize,
        a: impl Fn(usize, usize) -> Q,
        rhs: impl Fn(usize) -> Q,
    ) -> Self {
        let mut t = Vec::with_capacity(rows * (cols + 1));
        let mut row_scale = Vec::with_capacity(rows);
        let mut row: Vec<Q> = Vec::with_capacity(cols + 1);
        for i in 0..rows {
            row.clear();
            row.extend((0..cols).map(|j| a(i, j)).chain(std::iter::once(rhs(i))));
            let scale = denominator_lcm(row.iter());
            t.extend(row.drain(..).map(|v| {
                let (num, den) = v.into_parts();
                if den == scale {
                    num
                } else {
                    num * IBig::from(&scale / den)
                }
            }));
            row_scale.push(scale);
        }
        IntegerTableau {
            width: cols + 1,
            t,
            det: IBig::ONE,
            row_scale,
            basis: Basis::new(rows, cols),
            perturbation: Perturbation::Raise,
        }
    }

    /// A bit length `b` such that every entry of every dictionary reachable from this one is
    /// below `2^b` in magnitude, when `det` is 1 (as built by [`Self::from_fn`]): the entries
    /// are then minors of `[a | I | rhs]`. Hadamard's inequality bounds a minor by the product
    /// of its rows' Euclidean norms and also by the product of its columns' norms; a full row
    /// of `[a | I | rhs]` has norm at least 1 (its identity entry), an identity column has
    /// norm 1, and a column of `a` or `rhs` with norm below 1 is zero (making the minor 0), so
    /// both products may run over all rows, or all columns, with norms below 1 counted as 1.
    /// The smaller of the two bounds is returned; `None` when `det` is not 1.
    pub fn minor_bits(&self) -> Option<usize> {
        if self.det != IBig::ONE {
            return None;
        }
        let mut row_norms = Vec::with_capacity(self.row_scale.len());
        let mut col_norms = vec![UBig::ZERO; self.width];
        for row in self.t.chunks_exact(self.width) {
            let mut norm = UBig::ONE;
            for (v, col) in row.iter().zip(col_norms.iter_mut()) {
                if !v.is_zero() {
                    let m = v.unsigned_abs();
                    let square = &m * &m;
                    norm += &square;
                    *col += square;
                }
            }
            row_norms.push(norm);
        }
        Some(squared_product_bits(row_norms).min(squared_product_bits(col_norms)))
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

/// Arbitrary precision never overflows, so pivots always succeed.
impl Pivoting for ExactTableau {
    fn basis(&self) -> &Basis {
        &self.basis
    }

    fn lex_min_ratio(&self, col: usize) -> Option<usize> {
        self.lex_min_ratio_with(col, false, None)
    }

    fn pivot(&mut self, row: usize, col: usize) {
        let fits = self.try_pivot(row, col);
        debug_assert!(fits.is_ok(), "IBig entries cannot overflow");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::linalg::tableau::entry::fixed_int::I256;
    use proptest::prelude::*;

    /// One step of a random pivot sequence: the column that enters, whether the ratio test
    /// runs on the negated column (Lemke's first step, a negative pivot), and a preferred row.
    type Step = (usize, bool, usize);

    /// Follows `steps` on `T` and on `IBig` side by side: the same leaving rows and the same
    /// exact entries and values after every pivot, until `T` reports an overflow — which it
    /// may only do when the Hadamard bound did not promise that `T` suffices, and after which
    /// the dictionary before the pivot is recovered exactly.
    fn agrees_with_ibig<T: TableauEntry>(
        start: &ExactTableau,
        steps: &[Step],
        rule: Perturbation,
        fits_below: usize,
    ) -> Result<(), TestCaseError> {
        let bits = start.minor_bits().unwrap_or(usize::MAX);
        let mut big = start.clone().with_perturbation(rule);
        let Some(narrow) = IntegerTableau::<T>::from_exact(start) else {
            prop_assert!(bits > fits_below);
            return Ok(());
        };
        let mut narrow = narrow.with_perturbation(rule);
        let cols = big.basis().cols();
        for &(col, decreasing, prefer) in steps {
            let (col, prefer) = (col % cols, Some(prefer % big.basis().rows()));
            let row = big.lex_min_ratio_with(col, decreasing, prefer);
            prop_assert_eq!(narrow.lex_min_ratio_with(col, decreasing, prefer), row);
            let Some(row) = row else { continue };
            let before = big.clone();
            big.pivot(row, col);
            if let Err(overflow) = narrow.try_pivot(row, col) {
                prop_assert!(bits > fits_below);
                let recovered = narrow.before_overflow(overflow);
                prop_assert_eq!(&recovered.t, &before.t);
                prop_assert_eq!(&recovered.det, &before.det);
                prop_assert_eq!(recovered.basis.slot, before.basis.slot);
                return Ok(());
            }
            let entries: Vec<IBig> = narrow.t.iter().map(T::to_ibig).collect();
            prop_assert_eq!(&entries, &big.t);
            prop_assert_eq!(narrow.det.to_ibig(), big.det.clone());
            for var in 0..big.basis().rows() + cols {
                prop_assert_eq!(narrow.value(var), big.value(var));
            }
        }
        Ok(())
    }

    proptest! {
        /// Random dictionaries, some with entries near 2⁴⁰ (so narrow types overflow on the
        /// way), some rational; random pivot sequences under both perturbations.
        #[test]
        fn every_entry_type_pivots_like_ibig(
            (rows, cols, entries, steps, lower) in (1usize..=6, 1usize..=6).prop_flat_map(|(r, c)| (
                Just(r),
                Just(c),
                prop::collection::vec(
                    prop_oneof![
                        4 => (-3i64..=5).prop_map(Q::from),
                        1 => (-3i64..=5, 1i64..=4).prop_map(|(n, d)| Q::from(n) / Q::from(d)),
                        1 => (-(1i64 << 40)..1i64 << 40).prop_map(Q::from),
                    ],
                    r * (c + 1),
                ),
                prop::collection::vec((0usize..64, any::<bool>(), 0usize..64), 12),
                any::<bool>(),
            ))
        ) {
            let rule = if lower { Perturbation::Lower } else { Perturbation::Raise };
            let width = cols + 1;
            let start = ExactTableau::from_fn(
                rows,
                cols,
                |i, j| entries[i * width + j].clone(),
                |i| entries[i * width + cols].clone(),
            );
            agrees_with_ibig::<i64>(&start, &steps, rule, 62)?;
            agrees_with_ibig::<i128>(&start, &steps, rule, 126)?;
            agrees_with_ibig::<I256>(&start, &steps, rule, 254)?;
        }
    }

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
