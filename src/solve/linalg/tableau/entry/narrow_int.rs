//! Exact tableau arithmetic on `i64` entries with `i128` products: the cheapest kind, for
//! systems whose minors are known to stay below 2⁶² (the small solves of
//! [`partner`](crate::solve::enummixed::partner), small sequence forms in
//! [`lemke`](crate::solve::lcp::lemke)).
//!
//! `i64` is one more [`FixedWidth`] type: the fraction-free update, the exact division by the
//! 2-adic inverse of the divisor's odd part, and the overflow reports are those of
//! [`wide_int`](super::wide_int).

use super::wide_int::{primitive_fixed_width_ops, FixedWidth};
use crate::num::IBig;

impl FixedWidth for i64 {
    const BITS: u32 = 64;
    type Wide = i128;

    fn from_i128(v: i128) -> Self {
        v as i64
    }
    primitive_fixed_width_ops!(i64);
    #[inline]
    fn widening_mul(self, other: Self) -> i128 {
        self as i128 * other as i128
    }
    /// Both products are below 2¹²⁶ in magnitude (entries exclude `i64::MIN`): no overflow.
    #[inline]
    fn wide_sub(a: i128, b: i128) -> i128 {
        a - b
    }
    #[inline]
    fn wide_bit_length(x: i128) -> u32 {
        128 - x.unsigned_abs().leading_zeros()
    }
    #[inline]
    fn wide_shr_low(x: i128, shift: u32) -> Self {
        (x >> shift) as i64
    }
    #[inline]
    fn approximate(self) -> f64 {
        self as f64
    }
}

#[cfg(test)]
mod tests {
    use super::super::TableauEntry;

    // Random updates and comparisons are checked against `IBig` for every width in
    // `wide_int`'s tests; here the edge cases of the narrowest.

    #[test]
    fn quotients_that_do_not_fit_are_refused() {
        // (2⁶²·2) / 1 does not fit an i64 (entries exclude i64::MIN and beyond)
        let mut row = [1i64 << 62];
        assert_eq!(
            i64::eliminate(&mut row, &[0], &0, &i64::prepare_pivot(&2, &[0], &1)),
            None
        );
        // a negative even divisor through the shortcut: (−6·10) / (−4) = 15
        let mut row = [-6i64];
        assert_eq!(
            i64::eliminate(&mut row, &[0], &0, &i64::prepare_pivot(&10, &[0], &-4)),
            Some(())
        );
        assert_eq!(row, [15]);
    }
}
