//! Exact tableau arithmetic on `i64` entries with `i128` intermediates: the cheapest kind, for
//! systems whose minors are known to stay below 2⁶² (the small solves of
//! [`partner`](crate::solve::enummixed::partner)).
//!
//! Products of two entries fit an `i128` exactly; the exact division by the previous pivot
//! uses the 2-adic inverse of its odd part, as in [`wide_int`](super::wide_int), when the bit
//! lengths show the quotient times `2^shift` fits an `i64`, and `i128` division otherwise.
//! A quotient that does not fit is reported, never wrapped.

use super::TableauEntry;
use crate::num::IBig;
use std::cmp::Ordering;

/// A nonzero `i64` divisor `± 2^shift · odd`, with `odd`'s inverse modulo 2⁶⁴.
#[derive(Clone, Copy, Debug)]
pub struct NarrowDivisor {
    value: i64,
    negative: bool,
    shift: u32,
    odd_inverse: u64,
    bits: u32,
}

impl NarrowDivisor {
    fn new(d: i64) -> Self {
        debug_assert!(d != 0, "divisors are pivots");
        let magnitude = d.unsigned_abs();
        let shift = magnitude.trailing_zeros();
        let odd = magnitude >> shift;
        // Newton's iteration doubles the correct low bits from 3: 3·2⁵ ≥ 64
        let mut inv = odd;
        for _ in 0..5 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(odd.wrapping_mul(inv)));
        }
        NarrowDivisor {
            value: d,
            negative: d < 0,
            shift,
            odd_inverse: inv,
            bits: 64 - magnitude.leading_zeros(),
        }
    }

    /// `x / d` for an `x` that `d` divides, if the quotient fits.
    #[inline]
    fn divide_exact(&self, x: i128) -> Option<i64> {
        let bits = 128 - x.unsigned_abs().leading_zeros();
        // |q| < 2^(bits − self.bits + 1); the shortcut needs |q|·2^shift < 2⁶³
        if bits + 1 + self.shift <= 63 + self.bits {
            let q = ((x as u64).wrapping_mul(self.odd_inverse) as i64) >> self.shift;
            return Some(if self.negative { -q } else { q });
        }
        i64::try_from(x / self.value as i128)
            .ok()
            .filter(|q| *q != i64::MIN)
    }
}

impl TableauEntry for i64 {
    type Pivot = (i64, NarrowDivisor);

    fn from_ibig(v: &IBig) -> Option<Self> {
        i64::try_from(v).ok().filter(|x| *x != i64::MIN)
    }
    fn to_ibig(&self) -> IBig {
        IBig::from(*self)
    }
    fn approx(&self) -> Option<f64> {
        Some(*self as f64)
    }
    fn one() -> Self {
        1
    }
    fn is_zero(&self) -> bool {
        *self == 0
    }
    fn is_positive(&self) -> bool {
        *self > 0
    }
    fn negate(&mut self) {
        *self = -*self;
    }
    fn prepare_pivot(p: &Self, _pivot_row: &[Self], det: &Self) -> (i64, NarrowDivisor) {
        (*p, NarrowDivisor::new(*det))
    }
    #[inline]
    fn eliminate(
        row: &mut [Self],
        pivot_row: &[Self],
        factor: &Self,
        (p, d): &(i64, NarrowDivisor),
    ) -> Option<()> {
        for (a, &r) in row.iter_mut().zip(pivot_row) {
            let x = *a as i128 * *p as i128 - *factor as i128 * r as i128;
            *a = d.divide_exact(x)?;
        }
        Some(())
    }
    fn cmp_products(a: &Self, b: &Self, c: &Self, d: &Self) -> Ordering {
        (*a as i128 * *b as i128).cmp(&(*c as i128 * *d as i128))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry() -> impl Strategy<Value = i64> {
        prop_oneof![(i64::MIN + 1)..=i64::MAX, -1000i64..1000]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// `(a·p − f·r) / d` built to equal `q` (`p = d`, `r = d·k`, `a = q + f·k`): exact when
        /// it fits, through the shortcut or `i128` division, and refused only when it does not.
        #[test]
        fn elimination_matches_big_integers(
            q in entry(),
            d in prop_oneof![1i64..1 << 40, (1i64..1 << 20, 0u32..40).prop_map(|(o, s)| o << s)]
                .prop_flat_map(|d| prop_oneof![Just(d), Just(-d)]),
            f in -1i64 << 40..1i64 << 40,
            k in -1000i64..1000,
        ) {
            let big = |x: i64| IBig::from(x);
            let (r, a) = (i64::from_ibig(&(big(d) * big(k))), i64::from_ibig(&(big(q) + big(f) * big(k))));
            prop_assume!(r.is_some() && a.is_some());
            let (a, r) = (a.unwrap_or_default(), r.unwrap_or_default());
            let mut row = [a];
            let pivot = i64::prepare_pivot(&d, &[r], &d);
            prop_assert_eq!(i64::eliminate(&mut row, &[r], &f, &pivot), Some(()));
            prop_assert_eq!(row[0], q);
        }

        #[test]
        fn products_compare_like_big_integers(a in entry(), b in entry(), c in entry(), d in entry()) {
            let big = |x: i64| IBig::from(x);
            prop_assert_eq!(i64::cmp_products(&a, &b, &c, &d), (big(a) * big(b)).cmp(&(big(c) * big(d))));
        }
    }

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
