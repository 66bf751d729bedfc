//! f64 revised dictionary: the fast path of Lemke–Howson. Its answer is only a candidate basis;
//! callers recompute the basic solution exactly and certify it.
//!
//! Why revised (the revised simplex method; Chvátal 1983, *Linear Programming*, ch. 7) rather
//! than a dense dictionary: in `slack + A·x = rhs` a basis is the slacks of some rows plus `k`
//! of the `x`s, and it is determined by the `k × k` matrix `M = A[T, X]` of the tight rows `T`
//! (nonbasic slacks) and the basic columns `X`. Any dictionary column `B⁻¹·a` follows from one
//! solve with `M` and `k` column updates of length `rows`. Lemke–Howson's bases have small `k`
//! (the supports along the path), so a pivot — updating `M⁻¹` by one row or column
//! ([`core_inverse`]), computing the entering column and updating the basic values — costs
//! `O(k² + rows·k)` instead of the dense `O(rows·cols)`. `M` is inverted afresh and the values
//! recomputed every [`REFRESH_VALUES`] pivots, so rounding does not accumulate along long
//! paths as it does in an updated dense dictionary.
//!
//! Since only basic and entering columns of `A` are ever read, `A` is not built up front: a
//! column is computed when its variable first enters and kept ([`lazy_columns`]), so a short
//! path on a large game never pays `O(rows · cols)` for the columns it does not visit.

mod core_inverse;
mod lazy_columns;

use super::{Basis, Perturbation, Pivoting, Slot};
use crate::num::tol;
use core_inverse::CoreInverse;
use lazy_columns::{FilledColumns, LazyColumns};

/// The revised dictionary of `slack + A·x = rhs`, with the columns of `A` written on demand by
/// a fill function `F` (see [`FloatTableau::from_columns`]).
///
/// Invariant: every basic `x`'s column is filled. A variable's column is filled before it
/// becomes basic (`FloatTableau::exchange` requires it), and filled columns are never
/// dropped, so `basis_solve` and `CoreInverse`, which read only basic and entering
/// columns, never meet an unfilled one (`FilledColumns::column` asserts it in debug builds).
#[derive(Clone)]
pub struct FloatTableau<F> {
    rows: usize,
    /// The columns of `A`, each filled the first time it is needed.
    columns: LazyColumns<F>,
    rhs: Vec<f64>,
    basis: Basis,
    perturbation: Perturbation,
    /// `M⁻¹` and the value of each row's basic variable.
    factors: CoreInverse,
    values: Vec<f64>,
    scratch: Scratch,
    /// The entering column during [`Pivoting::enter`].
    column: Vec<f64>,
    /// Pivots since `values` were last recomputed (see [`REFRESH_VALUES`]).
    updates: usize,
}

/// A column of `slack + A·x = rhs`: a slack's unit vector, or a column of `A` (or `rhs`).
#[derive(Clone, Copy)]
enum Column<'a> {
    Unit(usize),
    Dense(&'a [f64]),
}

impl<'a> Column<'a> {
    /// The column of variable `var`, given column `j` of `A` by `dense(j)`.
    fn of(rows: usize, var: usize, dense: impl FnOnce(usize) -> &'a [f64]) -> Column<'a> {
        if var < rows {
            Column::Unit(var)
        } else {
            Column::Dense(dense(var - rows))
        }
    }

    fn at(&self, i: usize) -> f64 {
        match *self {
            Column::Unit(u) => f64::from(u8::from(u == i)),
            Column::Dense(v) => v[i],
        }
    }
}

/// Scratch vectors of [`basis_solve`].
#[derive(Debug, Clone, Default)]
struct Scratch {
    x: Vec<f64>,
    slack: Vec<f64>,
    gathered: Vec<f64>,
}

/// `B⁻¹·v` by dictionary row into `out`, for `v` in the space of the constraints: the basic
/// `x`s solve `M·x_X = v_T`, and each slack is `v_i − A[i, X]·x_X` (kept for basic slacks).
fn basis_solve(
    a: &FilledColumns,
    basis: &Basis,
    factors: &CoreInverse,
    v: Column,
    scratch: &mut Scratch,
    out: &mut Vec<f64>,
) {
    let rows = basis.rows();
    let Scratch { x, slack, gathered } = scratch;
    factors.solve_into(|i| v.at(i), gathered, x);
    slack.clear();
    match v {
        Column::Unit(u) => {
            slack.resize(rows, 0.0);
            slack[u] = 1.0;
        }
        Column::Dense(v) => slack.extend_from_slice(v),
    }
    subtract_columns(slack, a, &factors.basic, x);
    // Every row's basic variable is a slack (its value read here) or a basic `x` (set below).
    out.clear();
    out.extend((0..rows).map(|r| slack.get(basis.var_at_row(r)).copied().unwrap_or(0.0)));
    for (&j, &xj) in factors.basic.iter().zip(x.iter()) {
        if let Slot::Row(r) = basis.slot(rows + j) {
            out[r] = xj;
        }
    }
}

/// `slack −= Σ_p x_p · A[·, basic_p]`, four columns per pass so that `slack` is loaded and
/// stored once per four columns rather than once per column.
fn subtract_columns(slack: &mut [f64], a: &FilledColumns, basic: &[usize], x: &[f64]) {
    let column = |j: usize| a.column(j);
    let quads = basic.chunks_exact(4).zip(x.chunks_exact(4));
    for (j, x) in quads {
        let (c0, c1, c2, c3) = (column(j[0]), column(j[1]), column(j[2]), column(j[3]));
        let (x0, x1, x2, x3) = (x[0], x[1], x[2], x[3]);
        let entries = c0.iter().zip(c1).zip(c2).zip(c3);
        for (s, (((&a0, &a1), &a2), &a3)) in slack.iter_mut().zip(entries) {
            *s -= a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
        }
    }
    let rest = basic.len() - basic.len() % 4;
    for (&j, &xj) in basic[rest..].iter().zip(&x[rest..]) {
        for (s, &aij) in slack.iter_mut().zip(column(j)) {
            *s -= aij * xj;
        }
    }
}

impl<F: Fn(usize, &mut [f64])> FloatTableau<F> {
    /// The dictionary `slack_i + Σ_j a_ij · x_j = rhs(i)` with slacks basic; `fill_column(j,
    /// column)` writes column `j` of `a`. It is called when the tableau first needs column `j`
    /// (its variable enters, or [`Pivoting::lex_min_ratio`] asks about it), so it must give the
    /// same column every time; setup costs `O(rows + cols)`, not `O(rows · cols)`.
    pub fn from_columns(
        rows: usize,
        cols: usize,
        fill_column: F,
        rhs: impl Fn(usize) -> f64,
    ) -> Self {
        let rhs: Vec<f64> = (0..rows).map(rhs).collect();
        let basis = Basis::new(rows, cols);
        // The slack basis: nothing tight, no basic `x`, `M` empty.
        let factors = CoreInverse::default();
        FloatTableau {
            rows,
            factors,
            values: rhs.clone(),
            columns: LazyColumns::new(rows, cols, fill_column),
            rhs,
            basis,
            perturbation: Perturbation::Raise,
            scratch: Scratch::default(),
            column: Vec::with_capacity(rows),
            updates: 0,
        }
    }

    /// Choose the lexicographic rule (the default is [`Perturbation::Raise`]).
    pub fn with_perturbation(mut self, perturbation: Perturbation) -> Self {
        self.perturbation = perturbation;
        self
    }

    /// The dictionary column of nonbasic `var` into `out`: `B⁻¹` times its constraint column,
    /// which is filled and kept, since `var` is about to enter.
    fn column_into(&mut self, var: usize, out: &mut Vec<f64>) {
        let rows = self.rows;
        if var >= rows {
            self.columns.require(var - rows);
        }
        let a = self.columns.filled();
        let v = Column::of(rows, var, |j| a.column(j));
        basis_solve(a, &self.basis, &self.factors, v, &mut self.scratch, out);
    }

    /// [`FloatTableau::column_into`] with fresh buffers, for the rare lexicographic ties and
    /// [`Pivoting::lex_min_ratio`]. It takes `&self`, as that trait method does, so a column of
    /// `A` not filled yet is computed into a temporary and not kept: asking about a variable
    /// is not entering it, and the path itself (`enter`) fills what it uses. Ties ask only
    /// about slacks, whose columns are unit vectors.
    fn column_of(&self, var: usize) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.rows);
        let mut scratch = Scratch::default();
        let mut computed = Vec::new();
        let v = Column::of(self.rows, var, |j| {
            self.columns.kept_or_computed(j, &mut computed)
        });
        let a = self.columns.filled();
        basis_solve(a, &self.basis, &self.factors, v, &mut scratch, &mut out);
        out
    }

    /// Entry of row `i` in lexicographic key `key` (0: right-hand side; `k + 1`: the column of
    /// `B⁻¹` belonging to slack `k`), for all rows at once.
    fn lex_key(&self, key: usize) -> Vec<f64> {
        if key == 0 {
            return self.values.clone();
        }
        match self.basis.slot(key - 1) {
            Slot::Row(r) => (0..self.rows)
                .map(|i| f64::from(u8::from(r == i)))
                .collect(),
            Slot::Col(_) => self.column_of(key - 1),
        }
    }

    /// The leaving row for entering column `d`: the least ratio `value / d` over rows with
    /// `d > tol::PIVOT_F64`; ratios that agree within `tol::RATIO_TIE_F64` tie and go on to
    /// the next lexicographic key.
    fn choose_row(&self, d: &[f64]) -> Option<usize> {
        let eligible = |i: &usize| d[*i] > tol::PIVOT_F64;
        let ratio = |i: usize| self.values[i] / d[i];
        // One pass keeps the least ratio (first row on equality) and the second least: any
        // row ties with the least only if the second least does, since `ties` is monotone.
        let mut best: Option<(usize, f64)> = None;
        let mut second = f64::INFINITY;
        for (i, (&v, &di)) in self.values.iter().zip(d).enumerate() {
            if di <= tol::PIVOT_F64 {
                continue;
            }
            let r = v / di;
            match best {
                Some((_, b)) if r < b => {
                    second = second.min(b);
                    best = Some((i, r));
                }
                Some(_) => second = second.min(r),
                None => best = Some((i, r)),
            }
        }
        let (winner, min) = best?;
        if !Self::ties(second, min) {
            return Some(winner);
        }
        let is_tied = |i: &usize| Self::ties(ratio(*i), min);
        let mut tied: Vec<usize> = (0..self.rows).filter(eligible).filter(is_tied).collect();
        let sign = if self.perturbation == Perturbation::Lower {
            -1.0
        } else {
            1.0
        };
        for key in 1..=self.rows {
            if tied.len() <= 1 {
                break;
            }
            let entries = self.lex_key(key);
            let ratio = |i: usize| sign * entries[i] / d[i];
            let min = tied.iter().map(|&i| ratio(i)).fold(f64::INFINITY, f64::min);
            tied.retain(|&i| Self::ties(ratio(i), min));
        }
        Some(tied.first().copied().unwrap_or(winner))
    }

    /// Does `ratio` tie with the least ratio `min`?
    fn ties(ratio: f64, min: f64) -> bool {
        ratio - min <= tol::RATIO_TIE_F64 * (1.0 + min.abs())
    }
}

impl<F: Fn(usize, &mut [f64])> Pivoting for FloatTableau<F> {
    fn basis(&self) -> &Basis {
        &self.basis
    }

    fn lex_min_ratio(&self, col: usize) -> Option<usize> {
        if self.factors.singular {
            return None;
        }
        self.choose_row(&self.column_of(self.basis.var_at_col(col)))
    }

    /// [`Pivoting::enter`] with the entering column in a reused buffer.
    fn enter(&mut self, var: usize) -> Option<usize> {
        let Slot::Col(col) = self.basis.slot(var) else {
            return None;
        };
        if self.factors.singular {
            return None;
        }
        let mut column = std::mem::take(&mut self.column);
        self.column_into(var, &mut column);
        let row = self.choose_row(&column);
        if let Some(row) = row {
            // The entering variable rises to `t`; every basic variable moves along `column`.
            let t = self.values[row] / column[row];
            for (v, &d) in self.values.iter_mut().zip(&column) {
                *v -= t * d;
            }
            self.values[row] = t;
        }
        self.column = column;
        let row = row?;
        let leaving = self.basis.var_at_row(row);
        // `scratch.x` still holds `M⁻¹·A[T, ·]` of the entering variable from `column_into`.
        self.exchange(row, col, true);
        self.updates += 1;
        if self.updates >= REFRESH_VALUES {
            self.factors.refactor(self.columns.filled());
            self.refresh_values();
        }
        Some(leaving)
    }

    fn pivot(&mut self, row: usize, col: usize) {
        self.exchange(row, col, false);
        self.refresh_values();
    }
}

/// Basic values are updated along the entering column at each pivot (`O(rows)`), and `M⁻¹`
/// by one row or column (`O(k²)`); after this many pivots `M` is inverted afresh (`O(k³)`) and
/// the values recomputed from it (`O(k² + rows·k)`), which bounds the rounding they accumulate.
const REFRESH_VALUES: usize = 32;

impl<F: Fn(usize, &mut [f64])> FloatTableau<F> {
    /// Exchange the basic variable of `row` with the nonbasic one of `col`, updating `M⁻¹`;
    /// `entering_solved`: `scratch.x` is the entering column solved with the old `M`. The
    /// entering column is filled here (if `enter` has not already), which keeps the invariant
    /// that every basic column is filled.
    fn exchange(&mut self, row: usize, col: usize, entering_solved: bool) {
        let (leaving, entering) = (self.basis.var_at_row(row), self.basis.var_at_col(col));
        if entering >= self.rows {
            self.columns.require(entering - self.rows);
        }
        self.basis.exchange(row, col);
        let solved = entering_solved.then_some(self.scratch.x.as_slice());
        self.factors
            .exchange(entering, leaving, self.columns.filled(), solved);
    }

    /// Recompute the basic values from the factors.
    fn refresh_values(&mut self) {
        self.updates = 0;
        if self.factors.singular {
            return; // every later ratio test reports it (`lex_min_ratio` returns `None`)
        }
        basis_solve(
            self.columns.filled(),
            &self.basis,
            &self.factors,
            Column::Dense(&self.rhs),
            &mut self.scratch,
            &mut self.values,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{to_f64, Q};
    use crate::solve::linalg::tableau::ExactTableau;
    use proptest::prelude::*;
    use std::cell::Cell;
    use std::collections::BTreeSet;

    /// Column `j` of the row-major `entries` (`cols` wide), counting the calls in `fills`.
    fn counted_fill<'a>(
        entries: &'a [i64],
        cols: usize,
        fills: &'a Cell<usize>,
    ) -> impl Fn(usize, &mut [f64]) + 'a {
        move |j, column| {
            fills.set(fills.get() + 1);
            for (i, x) in column.iter_mut().enumerate() {
                *x = entries[i * cols + j] as f64;
            }
        }
    }

    proptest! {
        /// Random pivot sequences from the slack basis: the revised f64 dictionary chooses the
        /// same leaving variables as exact integer pivoting, and its basic values agree with
        /// the exact ones. Narrow entries make ratio ties, so the lexicographic rule is
        /// exercised under both perturbations.
        #[test]
        fn follows_exact_pivoting(
            (rows, cols, entries, choices, lower) in (1usize..=6, 1usize..=6).prop_flat_map(|(r, c)| (
                Just(r),
                Just(c),
                prop::collection::vec(-2i64..=4, r * c),
                prop::collection::vec(0usize..64, 12),
                any::<bool>(),
            ))
        ) {
            let rule = if lower { Perturbation::Lower } else { Perturbation::Raise };
            let a = |i: usize, j: usize| entries[i * cols + j];
            let mut exact = ExactTableau::from_fn(rows, cols, |i, j| Q::from(a(i, j)), |_| Q::ONE)
                .with_perturbation(rule);
            let mut float = FloatTableau::from_columns(
                rows,
                cols,
                |j, column| column.iter_mut().enumerate().for_each(|(i, x)| *x = a(i, j) as f64),
                |_| 1.0,
            )
            .with_perturbation(rule);
            for choice in choices {
                let var = exact.basis().var_at_col(choice % cols);
                let expected = exact.enter(var);
                prop_assert_eq!(float.enter(var), expected);
                if expected.is_none() {
                    break;
                }
                for r in 0..rows {
                    let v = float.basis().var_at_row(r);
                    prop_assert_eq!(exact.basis().slot(v), float.basis().slot(v));
                    let want = to_f64(&exact.value(v));
                    prop_assert!((float.values[r] - want).abs() <= 1e-9 * (1.0 + want.abs()));
                }
            }
        }

        /// Long random pivot sequences on wider entries: after every pivot the `M⁻¹` kept by
        /// row/column updates agrees with `M` inverted afresh, and multiplies `M` back to the
        /// identity.
        #[test]
        fn updated_inverse_matches_a_fresh_inversion(
            (rows, cols, entries, choices) in (1usize..=8, 1usize..=8).prop_flat_map(|(r, c)| (
                Just(r),
                Just(c),
                prop::collection::vec(-50i64..=100, r * c),
                prop::collection::vec(0usize..64, 80),
            ))
        ) {
            let mut float = FloatTableau::from_columns(
                rows,
                cols,
                |j, column| {
                    column.iter_mut().enumerate().for_each(|(i, x)| *x = entries[i * cols + j] as f64)
                },
                |_| 1.0,
            );
            for choice in choices {
                let var = float.basis().var_at_col(choice % cols);
                if float.enter(var).is_none() {
                    break;
                }
                let a = float.columns.filled();
                let mut fresh = float.factors.clone();
                fresh.refactor(a);
                if fresh.singular || float.factors.singular {
                    continue;
                }
                let (tight, basic) = (&float.factors.tight, &float.factors.basic);
                let k = basic.len();
                let inv = float.factors.inverse();
                let scale = 1.0 + inv.iter().fold(0.0f64, |m, x| m.max(x.abs()));
                for (u, f) in inv.iter().zip(fresh.inverse()) {
                    prop_assert!((u - f).abs() <= 1e-9 * scale);
                }
                for (p, row) in inv.chunks_exact(k.max(1)).enumerate() {
                    for (c, &j) in basic.iter().enumerate() {
                        let product: f64 =
                            row.iter().zip(tight).map(|(x, &i)| x * a.entry(i, j)).sum();
                        let identity = f64::from(u8::from(p == c));
                        prop_assert!((product - identity).abs() <= 1e-9 * scale);
                    }
                }
            }
        }

        /// Lazy columns change no pivot and fill only what entered. On random pivot sequences
        /// over entries 0..=3 (many ratio ties, so the lexicographic rule decides; zero columns
        /// make rays), three f64 tableaux follow exact pivoting: a lazy one through `enter`,
        /// a lazy one through the trait's `lex_min_ratio` then `pivot` (meeting unfilled
        /// columns from `&self`), and an eager one with every column filled up front. The
        /// lazy one computes the same values as the eager one, bit for bit, and fills exactly
        /// the columns of the structural variables that were entered, each once; that set
        /// is read off the exact tableau's bases.
        #[test]
        fn lazy_columns_fill_only_entered_columns_and_pivot_like_eager(
            (rows, cols, entries, choices, lower) in (1usize..=8, 1usize..=12).prop_flat_map(|(r, c)| (
                Just(r),
                Just(c),
                prop::collection::vec(0i64..=3, r * c),
                prop::collection::vec(0usize..64, 1..=10),
                any::<bool>(),
            ))
        ) {
            let rule = if lower { Perturbation::Lower } else { Perturbation::Raise };
            let mut exact = ExactTableau::from_fn(
                rows,
                cols,
                |i, j| Q::from(entries[i * cols + j]),
                |_| Q::ONE,
            )
            .with_perturbation(rule);
            let (lazy_fills, other_fills) = (Cell::new(0), Cell::new(0));
            let tableau = |fills| {
                FloatTableau::from_columns(rows, cols, counted_fill(&entries, cols, fills), |_| 1.0)
                    .with_perturbation(rule)
            };
            let (mut lazy, mut asked, mut eager) =
                (tableau(&lazy_fills), tableau(&other_fills), tableau(&other_fills));
            (0..cols).for_each(|j| eager.columns.require(j));
            let mut entered = BTreeSet::new();
            for choice in choices {
                let col = choice % cols;
                let var = exact.basis().var_at_col(col);
                if var >= rows {
                    entered.insert(var - rows);
                }
                let row = asked.lex_min_ratio(col);
                prop_assert_eq!(row, exact.lex_min_ratio(col));
                let expected = exact.enter(var);
                prop_assert_eq!(row.map(|r| asked.basis().var_at_row(r)), expected);
                if let Some(row) = row {
                    asked.pivot(row, col);
                }
                prop_assert_eq!(lazy.enter(var), expected);
                prop_assert_eq!(eager.enter(var), expected);
                prop_assert_eq!(&lazy.values, &eager.values);
                if expected.is_none() {
                    break;
                }
                for v in 0..rows + cols {
                    prop_assert_eq!(lazy.basis().slot(v), exact.basis().slot(v));
                    prop_assert_eq!(asked.basis().slot(v), exact.basis().slot(v));
                }
            }
            prop_assert_eq!(lazy_fills.get(), entered.len());
            for j in 0..cols {
                prop_assert_eq!(lazy.columns.filled().is_filled(j), entered.contains(&j));
            }
        }
    }
}
