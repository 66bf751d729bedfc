//! The integer arithmetic an all-integer tableau needs, so that one tableau runs on machine
//! integers while they suffice and on arbitrary-precision integers otherwise.
//!
//! A fraction-free pivot only ever computes `(a·p − f·r) / d` with an exact division, row by
//! row, and compares products `a·b` with `c·d` (the ratio test); see
//! [`IntegerTableau`](super::IntegerTableau).

use crate::num::IBig;
use std::cmp::Ordering;

pub(crate) mod fixed_int;
pub(crate) mod narrow_int;
pub(crate) mod wide_int;

/// An entry type that either computes exactly or reports that a result does not fit.
pub trait TableauEntry: Clone + Default + PartialEq + std::fmt::Debug {
    /// A pivot prepared once for the rows it updates.
    type Pivot;

    /// The value, if this type can hold it.
    fn from_ibig(v: &IBig) -> Option<Self>;
    fn to_ibig(&self) -> IBig;
    /// `f64` within relative error 2⁻⁵¹, when cheap to get: a screen before exact comparisons.
    fn approx(&self) -> Option<f64>;
    fn one() -> Self;
    fn is_zero(&self) -> bool;
    fn is_positive(&self) -> bool;
    /// Replace by the negative (never overflows: entries stay below the type's bound in magnitude).
    fn negate(&mut self);
    /// Prepare a pivot on entry `p` of `pivot_row`, where `det` (nonzero) is the previous
    /// pivot, the divisor of the fraction-free update.
    fn prepare_pivot(p: &Self, pivot_row: &[Self], det: &Self) -> Self::Pivot;
    /// `row[j] ← (row[j]·p − factor·pivot_row[j]) / det` for every `j`, where the divisions are
    /// known to be exact; `None` when a result does not fit, leaving the row unchanged.
    fn eliminate(
        row: &mut [Self],
        pivot_row: &[Self],
        factor: &Self,
        pivot: &Self::Pivot,
    ) -> Option<()>;
    /// How `a·b` compares with `c·d`.
    fn cmp_products(a: &Self, b: &Self, c: &Self, d: &Self) -> Ordering;
}

/// Arbitrary precision: never overflows.
impl TableauEntry for IBig {
    type Pivot = (IBig, IBig);

    fn from_ibig(v: &IBig) -> Option<Self> {
        Some(v.clone())
    }
    fn to_ibig(&self) -> IBig {
        self.clone()
    }
    fn approx(&self) -> Option<f64> {
        None
    }
    fn one() -> Self {
        IBig::ONE
    }
    fn is_zero(&self) -> bool {
        *self == IBig::ZERO
    }
    fn is_positive(&self) -> bool {
        *self > IBig::ZERO
    }
    fn negate(&mut self) {
        *self = -std::mem::take(self);
    }
    fn prepare_pivot(p: &Self, _pivot_row: &[Self], det: &Self) -> (IBig, IBig) {
        (p.clone(), det.clone())
    }
    fn eliminate(
        row: &mut [Self],
        pivot_row: &[Self],
        factor: &Self,
        (p, det): &(IBig, IBig),
    ) -> Option<()> {
        for (a, r) in row.iter_mut().zip(pivot_row) {
            let mut t = &*a * p;
            if !factor.is_zero() {
                t -= factor * r;
            }
            *a = t / det;
        }
        Some(())
    }
    fn cmp_products(a: &Self, b: &Self, c: &Self, d: &Self) -> Ordering {
        (a * b).cmp(&(c * d))
    }
}

/// One fraction-free pivot on entry (`row`, `col`) of a row-major dictionary of `width`
/// columns that stores only nonbasic columns, with common denominator `det` (Edmonds 1967;
/// von Stengel 2002 §3.5). Every other row becomes `(t·p − t_c·r_j) / det`; the entering
/// column turns into the leaving variable's, `−t_c` in other rows and the old `det` in the
/// pivot row; `det` becomes the pivot, of either sign.
///
/// `Err(stopped)` when an entry of row `stopped` does not fit `T`: the rows before it, other
/// than the pivot row, have been updated, the others and `det` have not (see
/// [`ExactTableau::before_overflow`](super::ExactTableau)).
pub fn pivot_dictionary<T: TableauEntry>(
    cells: &mut [T],
    width: usize,
    row: usize,
    col: usize,
    det: &mut T,
) -> Result<(), usize> {
    let pivot = cells[row * width + col].clone();
    let (before, rest) = cells.split_at_mut(row * width);
    let (pivot_row, after) = rest.split_at_mut(width);
    let plan = T::prepare_pivot(&pivot, pivot_row, det);
    let others = before.chunks_mut(width).enumerate();
    let others = others.chain(
        after
            .chunks_mut(width)
            .enumerate()
            .map(|(i, l)| (row + 1 + i, l)),
    );
    for (i, line) in others {
        let mut factor = line[col].clone();
        T::eliminate(line, pivot_row, &factor, &plan).ok_or(i)?;
        factor.negate();
        line[col] = factor;
    }
    pivot_row[col] = std::mem::replace(det, pivot);
    Ok(())
}
