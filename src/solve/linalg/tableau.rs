//! Pivoting tableaux for complementary pivoting (Lemke–Howson, Lemke).
//!
//! A tableau is a *dictionary*: one row per basic variable, one column per nonbasic variable,
//! read as `basic_i + Σ_j a[i][j] · nonbasic_j = rhs_i`. Variables `0..rows` start basic (the
//! slacks), variables `rows..rows+cols` start nonbasic. Keeping only nonbasic columns halves
//! the work of a pivot compared with a full tableau.
//!
//! Degeneracy is resolved by the lexicographic minimum-ratio test (Dantzig, Orden & Wolfe 1955;
//! for complementary pivoting: Lemke 1965, von Stengel 2002 §3.7): rows are compared by
//! `(rhs_i, (B⁻¹)_i·) / a[i][entering]`. The rows of `B⁻¹` are linearly independent, so the
//! minimum is unique and no basis repeats, hence no cycling. The column of `B⁻¹` belonging to
//! slack `k` is the unit vector of its row when `k` is basic, else its dictionary column.
//!
//! Two implementations share this interface: [`ExactTableau`] (integer pivoting, exact) and
//! [`FloatTableau`] (f64, fast, tolerances from `num::tol`; a *revised* dictionary that
//! computes the columns it needs from a factored basis instead of updating them all).
//!
//! The exact family ([`IntegerTableau`], on machine integers while they suffice) is the one
//! tableau of every exact pivoting path: Lemke–Howson (`solve::lcp::strategic`), Lemke's
//! algorithm on the sequence form (`solve::lcp::lemke`) and vertex enumeration
//! (`solve::enummixed`, through [`IntegerTableau::neighbours`] and [`IntegerTableau::move_to`]):
//! one basis bookkeeping ([`Basis`]) and one lexicographic rule.

pub(crate) mod entry;
mod exact;
mod float;

pub use exact::{ExactTableau, IntegerTableau, PivotError};
pub use float::FloatTableau;

/// Which perturbation of the right-hand side the lexicographic rule simulates: row `i`'s
/// right-hand side becomes `rhs_i ± ε^(k+1)` in the slack `k` terms, for tiny `ε > 0`.
///
/// `Raise` (`+`) is the textbook rule: ratio ties go to the row with the *least* ratio in the
/// `B⁻¹` columns; it is valid whenever every starting row is lexicographically positive
/// (`rhs ≥ 0`). `Lower` (`−`) sends ties to the *greatest* ratio; it needs `rhs > 0` in every
/// starting row (true for Lemke–Howson, where `rhs = 1`) and is the rule of Gambit's
/// `LTableau`, so Lemke–Howson paths match Gambit's on degenerate games.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perturbation {
    Raise,
    Lower,
}

/// Where a variable currently is in a dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Basic, in this row.
    Row(usize),
    /// Nonbasic, in this column.
    Col(usize),
}

/// Which variable sits in each row and column, and where each variable is.
#[derive(Debug, Clone)]
pub struct Basis {
    at_row: Vec<usize>,
    at_col: Vec<usize>,
    slot: Vec<Slot>,
    /// The slack of row `i` is variable `first_slack + i`.
    first_slack: usize,
}

impl Basis {
    /// The starting basis: variables `0..rows` basic, `rows..rows+cols` nonbasic.
    pub fn new(rows: usize, cols: usize) -> Self {
        let slot = (0..rows)
            .map(Slot::Row)
            .chain((0..cols).map(Slot::Col))
            .collect();
        Basis {
            at_row: (0..rows).collect(),
            at_col: (rows..rows + cols).collect(),
            slot,
            first_slack: 0,
        }
    }
    /// The starting basis numbered structural first, as the constraints of a polytope
    /// `{z ≥ 0 : M z ≤ 1}` are (vertex enumeration): variables `0..cols` nonbasic, the slacks
    /// `cols..cols+rows` basic.
    pub fn structural_first(rows: usize, cols: usize) -> Self {
        let slot = (0..cols)
            .map(Slot::Col)
            .chain((0..rows).map(Slot::Row))
            .collect();
        Basis {
            at_row: (cols..cols + rows).collect(),
            at_col: (0..cols).collect(),
            slot,
            first_slack: cols,
        }
    }
    /// The variable that is the slack of row `k` of the starting dictionary.
    pub fn slack(&self, k: usize) -> usize {
        self.first_slack + k
    }
    /// Which starting row `var` is the slack of, if it is a slack.
    pub fn slack_row(&self, var: usize) -> Option<usize> {
        var.checked_sub(self.first_slack)
            .filter(|&k| k < self.rows())
    }
    /// Number of variables, basic and nonbasic.
    pub fn vars(&self) -> usize {
        self.slot.len()
    }
    /// The basic variables, one per row.
    pub fn basic_vars(&self) -> &[usize] {
        &self.at_row
    }
    /// The row where `var` is basic, if it is.
    pub fn row_of(&self, var: usize) -> Option<usize> {
        match self.slot[var] {
            Slot::Row(r) => Some(r),
            Slot::Col(_) => None,
        }
    }
    pub fn rows(&self) -> usize {
        self.at_row.len()
    }
    pub fn cols(&self) -> usize {
        self.at_col.len()
    }
    pub fn slot(&self, var: usize) -> Slot {
        self.slot[var]
    }
    pub fn is_basic(&self, var: usize) -> bool {
        matches!(self.slot[var], Slot::Row(_))
    }
    pub fn var_at_row(&self, row: usize) -> usize {
        self.at_row[row]
    }
    pub fn var_at_col(&self, col: usize) -> usize {
        self.at_col[col]
    }
    /// The variable in `row` leaves and the one in `col` enters.
    fn exchange(&mut self, row: usize, col: usize) {
        let (leaving, entering) = (self.at_row[row], self.at_col[col]);
        self.at_row[row] = entering;
        self.at_col[col] = leaving;
        self.slot[entering] = Slot::Row(row);
        self.slot[leaving] = Slot::Col(col);
    }
}

/// The operations a complementary pivoting method needs from a tableau.
pub trait Pivoting {
    fn basis(&self) -> &Basis;
    /// The row that leaves when the variable of column `col` enters, by the lexicographic
    /// minimum-ratio test over rows with a positive entry; `None` when the column has none
    /// (the variable can grow without bound: a ray).
    fn lex_min_ratio(&self, col: usize) -> Option<usize>;
    /// Exchange the basic variable of `row` with the nonbasic variable of `col`.
    fn pivot(&mut self, row: usize, col: usize);

    /// Bring nonbasic `var` into the basis; returns the variable that left, or `None` when
    /// `var` is already basic or the ratio test finds no row (ray).
    fn enter(&mut self, var: usize) -> Option<usize> {
        let Slot::Col(col) = self.basis().slot(var) else {
            return None;
        };
        let row = self.lex_min_ratio(col)?;
        let leaving = self.basis().var_at_row(row);
        self.pivot(row, col);
        Some(leaving)
    }
}
