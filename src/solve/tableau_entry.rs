//! The integer arithmetic an all-integer tableau needs, so that one tableau runs on machine
//! integers while they suffice and on arbitrary-precision integers otherwise.
//!
//! A fraction-free pivot only ever computes `(a·p − f·r) / d` with an exact division and
//! compares products `a·b` with `c·d` (the ratio test); see [`IntTableau`](super::int_tableau).

use crate::num::IBig;
use std::cmp::Ordering;

/// An entry type that either computes exactly or reports that a result does not fit.
pub trait TableauEntry: Clone + Default + PartialEq + std::fmt::Debug {
    /// A divisor prepared once per pivot for the exact divisions that pivot performs.
    type Divisor;

    /// The value, if this type can hold it.
    fn from_ibig(v: &IBig) -> Option<Self>;
    fn to_ibig(&self) -> IBig;
    fn one() -> Self;
    fn is_zero(&self) -> bool;
    fn is_positive(&self) -> bool;
    /// Replace by the negative (never overflows: entries stay below the type's bound in magnitude).
    fn negate(&mut self);
    /// Prepare the nonzero divisor `d`.
    fn divisor(d: &Self) -> Self::Divisor;
    /// `(a·p − f·r) / d` for a `d` known to divide exactly; `None` when the result does not fit.
    fn bareiss(a: &Self, p: &Self, f: &Self, r: &Self, d: &Self::Divisor) -> Option<Self>;
    /// How `a·b` compares with `c·d`.
    fn cmp_products(a: &Self, b: &Self, c: &Self, d: &Self) -> Ordering;
}

/// Arbitrary precision: never overflows.
impl TableauEntry for IBig {
    type Divisor = IBig;

    fn from_ibig(v: &IBig) -> Option<Self> {
        Some(v.clone())
    }
    fn to_ibig(&self) -> IBig {
        self.clone()
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
    fn divisor(d: &Self) -> IBig {
        d.clone()
    }
    fn bareiss(a: &Self, p: &Self, f: &Self, r: &Self, d: &IBig) -> Option<Self> {
        let mut t = a * p;
        if !f.is_zero() {
            t -= f * r;
        }
        Some(t / d)
    }
    fn cmp_products(a: &Self, b: &Self, c: &Self, d: &Self) -> Ordering {
        (a * b).cmp(&(c * d))
    }
}
