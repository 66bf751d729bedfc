//! Fast exact tableau arithmetic on fixed-width integers with double-width intermediates:
//! `i64` entries (128-bit products, [`narrow_int`](super::narrow_int)), `i128` entries
//! (256-bit products) and [`I256`] entries (512-bit products).
//!
//! Fraction-free tableau entries are subdeterminants of the input: for a 16×16 game with
//! payoffs up to 100 they are around 2¹⁰⁰, which fits an `i128`; with payoffs up to 1000 they
//! reach about 2¹⁹⁰, which fits an [`I256`]. Their products do not fit the entry type, so they
//! are formed at double width when needed, and the exact division by the previous determinant
//! uses the 2-adic inverse of its odd part (exact division by multiplication, Jebelean 1993,
//! "An algorithm for exact division"): when `x = q·d` with `d = ±2^s·odd`,
//! `q·2^s ≡ x·(±odd⁻¹) (mod 2^W)`, which is `q·2^s` itself once `|q|·2^s < 2^(W−1)` is known
//! from the bit lengths. Then the division is one more multiplication modulo `2^W`, and it
//! folds into the pivot and the row factor:
//! `(a·p − f·r)·inv = a·(p·inv) − (f·inv)·r (mod 2^W)`, two wrapping products per entry.
//! Anything that might not fit is reported, never wrapped, so the caller can move on to wider
//! entries.

use super::fixed_int::{FixedInt, I256};
use super::TableauEntry;
use crate::num::IBig;
use std::cmp::Ordering;

/// A two's-complement integer of `BITS` bits whose arithmetic wraps modulo `2^BITS`, with a
/// type for exact products of two values.
pub trait FixedWidth: Copy + Default + Ord + std::fmt::Debug {
    const BITS: u32;
    /// Holds every product of two values exactly.
    type Wide: Copy + Ord;

    fn from_i128(v: i128) -> Self;
    fn wrapping_mul(self, other: Self) -> Self;
    fn wrapping_sub(self, other: Self) -> Self;
    /// `self·b + c·d` modulo `2^BITS`.
    fn wrapping_mul_add(self, b: Self, c: Self, d: Self) -> Self;
    /// Arithmetic shift right by `shift < BITS`.
    fn shr(self, shift: u32) -> Self;
    /// `|x| < 2^bit_length`.
    fn bit_length(self) -> u32;
    fn trailing_zeros(self) -> u32;
    /// An upper bound on the bit lengths of `values`, cheaper than the exact maximum.
    fn max_bit_length(values: &[Self]) -> u32;
    fn widening_mul(self, other: Self) -> Self::Wide;
    fn wide_sub(a: Self::Wide, b: Self::Wide) -> Self::Wide;
    fn wide_bit_length(x: Self::Wide) -> u32;
    /// `x >> shift` (arithmetic) modulo `2^BITS`.
    fn wide_shr_low(x: Self::Wide, shift: u32) -> Self;
    /// The value if it lies strictly between `−2^(BITS−1)` and `2^(BITS−1)`.
    fn try_from_ibig(v: &IBig) -> Option<Self>;
    fn into_ibig(self) -> IBig;
    /// Within relative error 2⁻⁵¹.
    fn approximate(self) -> f64;
}

/// The [`FixedWidth`] operations that a primitive signed integer has built in.
macro_rules! primitive_fixed_width_ops {
    ($t:ty) => {
        #[inline]
        fn wrapping_mul(self, other: Self) -> Self {
            <$t>::wrapping_mul(self, other)
        }
        #[inline]
        fn wrapping_sub(self, other: Self) -> Self {
            <$t>::wrapping_sub(self, other)
        }
        #[inline]
        fn wrapping_mul_add(self, b: Self, c: Self, d: Self) -> Self {
            self.wrapping_mul(b).wrapping_add(c.wrapping_mul(d))
        }
        #[inline]
        fn shr(self, shift: u32) -> Self {
            self >> shift
        }
        #[inline]
        fn bit_length(self) -> u32 {
            <$t>::BITS - self.unsigned_abs().leading_zeros()
        }
        fn trailing_zeros(self) -> u32 {
            <$t>::trailing_zeros(self)
        }
        /// `x ^ (x >> (BITS − 1))` is `|x|` or `|x| − 1`, so the bits of their OR, plus one,
        /// bound every `|x|`.
        #[inline]
        fn max_bit_length(values: &[Self]) -> u32 {
            let or = values
                .iter()
                .fold(0, |acc: $t, &v| acc | (v ^ (v >> (<$t>::BITS - 1))));
            <$t>::BITS + 1 - or.leading_zeros()
        }
        /// Entries exclude the minimum, so that negation never overflows.
        fn try_from_ibig(v: &IBig) -> Option<Self> {
            <$t>::try_from(v).ok().filter(|x| *x != <$t>::MIN)
        }
        fn into_ibig(self) -> IBig {
            IBig::from(self)
        }
    };
}
pub(super) use primitive_fixed_width_ops;

impl FixedWidth for i128 {
    const BITS: u32 = 128;
    type Wide = I256;

    fn from_i128(v: i128) -> Self {
        v
    }
    primitive_fixed_width_ops!(i128);
    fn widening_mul(self, other: Self) -> I256 {
        FixedInt::<2>::from_i128(self).widening_mul(&FixedInt::from_i128(other))
    }
    fn wide_sub(a: I256, b: I256) -> I256 {
        FixedInt::wrapping_sub(&a, &b)
    }
    fn wide_bit_length(x: I256) -> u32 {
        x.bit_length()
    }
    fn wide_shr_low(x: I256, shift: u32) -> Self {
        x.shr(shift).low_i128()
    }
    /// Each half of `|x|` rounds once to `f64` and their sum once more: relative error below
    /// 3·2⁻⁵³ (no cancellation, both halves being nonnegative).
    #[inline]
    fn approximate(self) -> f64 {
        const TWO_64: f64 = 18_446_744_073_709_551_616.0;
        let m = self.unsigned_abs();
        let v = ((m >> 64) as u64 as f64) * TWO_64 + (m as u64 as f64);
        if self < 0 {
            -v
        } else {
            v
        }
    }
}

impl FixedWidth for I256 {
    const BITS: u32 = 256;
    type Wide = FixedInt<8>;

    fn from_i128(v: i128) -> Self {
        FixedInt::from_i128(v)
    }
    #[inline]
    fn wrapping_mul(self, other: Self) -> Self {
        FixedInt::wrapping_mul(&self, &other)
    }
    #[inline]
    fn wrapping_sub(self, other: Self) -> Self {
        FixedInt::wrapping_sub(&self, &other)
    }
    #[inline]
    fn wrapping_mul_add(self, b: Self, c: Self, d: Self) -> Self {
        FixedInt::wrapping_mul_add(&self, &b, &c, &d)
    }
    #[inline]
    fn shr(self, shift: u32) -> Self {
        FixedInt::shr(&self, shift)
    }
    fn bit_length(self) -> u32 {
        FixedInt::bit_length(&self)
    }
    fn trailing_zeros(self) -> u32 {
        FixedInt::trailing_zeros(&self)
    }
    #[inline]
    fn max_bit_length(values: &[Self]) -> u32 {
        FixedInt::max_bit_length(values)
    }
    fn widening_mul(self, other: Self) -> FixedInt<8> {
        FixedInt::widening_mul(&self, &other)
    }
    fn wide_sub(a: FixedInt<8>, b: FixedInt<8>) -> FixedInt<8> {
        a.wrapping_sub(&b)
    }
    fn wide_bit_length(x: FixedInt<8>) -> u32 {
        x.bit_length()
    }
    fn wide_shr_low(x: FixedInt<8>, shift: u32) -> Self {
        x.shr(shift).low()
    }
    fn try_from_ibig(v: &IBig) -> Option<Self> {
        FixedInt::from_ibig(v)
    }
    fn into_ibig(self) -> IBig {
        FixedInt::to_ibig(self)
    }
    #[inline]
    fn approximate(self) -> f64 {
        FixedInt::approx(&self)
    }
}

/// A nonzero divisor `d = ±2^shift · odd`, with `±odd⁻¹ mod 2^BITS` (the sign of `d`).
#[derive(Clone, Copy, Debug)]
pub struct ExactDivisor<W> {
    shift: u32,
    inverse: W,
    /// `|d| < 2^bits`.
    bits: u32,
}

impl<W: FixedWidth> ExactDivisor<W> {
    fn new(d: W) -> Self {
        debug_assert!(d != W::default(), "divisors are basis determinants");
        let zero = W::default();
        let negative = d < zero;
        let shift = d.trailing_zeros();
        let magnitude = if negative { zero.wrapping_sub(d) } else { d };
        let odd = magnitude.shr(shift);
        // Newton's iteration x ← x(2 − odd·x) doubles the correct low bits; x = odd is right
        // to 3 bits (odd² ≡ 1 mod 8).
        let (two, mut inverse, mut correct) = (W::from_i128(2), odd, 3);
        while correct < W::BITS {
            inverse = inverse.wrapping_mul(two.wrapping_sub(odd.wrapping_mul(inverse)));
            correct *= 2;
        }
        ExactDivisor {
            shift,
            inverse: if negative {
                zero.wrapping_sub(inverse)
            } else {
                inverse
            },
            bits: d.bit_length(),
        }
    }

    /// Whether `|a·p − f·r| < 2^(bound + 1)` (both products below `2^bound`) guarantees
    /// `|q|·2^shift < 2^(BITS−1)` for `q = (a·p − f·r)/d`: `|q| < 2^(bound + 2 − bits)`.
    #[inline]
    fn fast_path_holds(&self, bound: u32) -> bool {
        bound + 2 + self.shift < W::BITS + self.bits
    }

    /// `x / d` for an `x` that `d` divides, if the quotient is below `2^(BITS−1)` in
    /// magnitude: `x >> shift` is `±q·odd` exactly, and modulo `2^BITS` the inverse recovers
    /// `q`.
    #[inline]
    fn divide_exact(&self, x: W::Wide) -> Option<W> {
        // |x| < 2^b and |d| ≥ 2^(bits − 1), so |q| < 2^(b − bits + 1) ≤ 2^(BITS−1).
        if W::wide_bit_length(x) + 2 > self.bits + W::BITS {
            return None;
        }
        Some(W::wide_shr_low(x, self.shift).wrapping_mul(self.inverse))
    }
}

/// A pivot on fixed-width entries: the divisor, the pivot times the divisor's inverse, and
/// the bit lengths the row-level fast path needs.
#[derive(Clone, Copy, Debug)]
pub struct FixedPivot<W> {
    value: W,
    /// `value · ±odd⁻¹ mod 2^BITS`.
    scaled: W,
    value_bits: u32,
    row_bits: u32,
    divisor: ExactDivisor<W>,
}

/// `(a·p − f·r) / d` for one entry, through double width unless the bit lengths allow the
/// modular shortcut.
fn eliminate_one<W: FixedWidth>(a: W, p: W, f: W, r: W, d: &ExactDivisor<W>) -> Option<W> {
    let bound = (a.bit_length() + p.bit_length()).max(f.bit_length() + r.bit_length());
    if d.fast_path_holds(bound) {
        let x = a.wrapping_mul(p).wrapping_sub(f.wrapping_mul(r));
        return Some(x.wrapping_mul(d.inverse).shr(d.shift));
    }
    d.divide_exact(W::wide_sub(a.widening_mul(p), f.widening_mul(r)))
}

impl<W: FixedWidth> TableauEntry for W {
    type Pivot = FixedPivot<W>;

    fn from_ibig(v: &IBig) -> Option<Self> {
        W::try_from_ibig(v)
    }
    fn to_ibig(&self) -> IBig {
        self.into_ibig()
    }
    #[inline]
    fn approx(&self) -> Option<f64> {
        Some(self.approximate())
    }
    fn one() -> Self {
        W::from_i128(1)
    }
    #[inline]
    fn is_zero(&self) -> bool {
        *self == W::default()
    }
    #[inline]
    fn is_positive(&self) -> bool {
        *self > W::default()
    }
    fn negate(&mut self) {
        *self = W::default().wrapping_sub(*self);
    }
    fn prepare_pivot(p: &Self, pivot_row: &[Self], det: &Self) -> FixedPivot<W> {
        let divisor = ExactDivisor::new(*det);
        FixedPivot {
            value: *p,
            scaled: p.wrapping_mul(divisor.inverse),
            value_bits: p.bit_length(),
            row_bits: W::max_bit_length(pivot_row),
            divisor,
        }
    }
    /// One bound for the whole row when it allows (the usual case): then every entry takes
    /// the modular shortcut, `(a·(p·inv) + (−f·inv)·r) >> shift`, without a check of its own;
    /// otherwise each entry is checked.
    #[inline]
    fn eliminate(
        row: &mut [Self],
        pivot_row: &[Self],
        factor: &Self,
        pivot: &FixedPivot<W>,
    ) -> Option<()> {
        let d = &pivot.divisor;
        let bound =
            (W::max_bit_length(row) + pivot.value_bits).max(factor.bit_length() + pivot.row_bits);
        if d.fast_path_holds(bound) {
            let zero = W::default();
            let (p, f) = (
                pivot.scaled,
                zero.wrapping_sub(factor.wrapping_mul(d.inverse)),
            );
            let pairs = row.iter_mut().zip(pivot_row);
            // half of the determinants are odd: no shift at all
            if d.shift == 0 {
                pairs.for_each(|(a, &r)| *a = a.wrapping_mul_add(p, f, r));
            } else {
                pairs.for_each(|(a, &r)| *a = a.wrapping_mul_add(p, f, r).shr(d.shift));
            }
            return Some(());
        }
        // rare (entries near the bound): check every entry before changing any, so that an
        // overflow leaves the row as it was
        let updated = |(a, r): (&W, &W)| eliminate_one(*a, pivot.value, *factor, *r, d);
        if row.iter().zip(pivot_row).map(updated).any(|v| v.is_none()) {
            return None;
        }
        for (a, &r) in row.iter_mut().zip(pivot_row) {
            *a = eliminate_one(*a, pivot.value, *factor, r, d)?;
        }
        Some(())
    }
    #[inline]
    fn cmp_products(a: &Self, b: &Self, c: &Self, d: &Self) -> Ordering {
        a.widening_mul(*b).cmp(&c.widening_mul(*d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Values of `bits`-bit entries as a caller may hold them (magnitude below `2^(bits−1)`),
    /// spread over all sizes and biased towards small ones.
    fn entry(bits: u32) -> impl Strategy<Value = IBig> {
        let sized = (
            any::<bool>(),
            1..bits,
            proptest::collection::vec(any::<u64>(), 4),
        )
            .prop_map(|(negative, size, words)| {
                let raw = words
                    .iter()
                    .fold(IBig::ZERO, |acc, &w| (acc << 64) + IBig::from(w));
                let v =
                    raw % (IBig::ONE << (size as usize - 1)) + (IBig::ONE << (size as usize - 1));
                if negative {
                    -v
                } else {
                    v
                }
            });
        prop_oneof![(-1000i64..1000).prop_map(IBig::from), sized]
    }

    /// A nonzero divisor of up to `bits` bits, often with many factors 2.
    fn divisor(bits: u32) -> impl Strategy<Value = IBig> {
        (entry(bits), 0usize..60).prop_filter_map("nonzero, fits", move |(d, s)| {
            let d = if d == IBig::ZERO { IBig::ONE } else { d };
            let shifted = &d << s;
            let fits = |v: &IBig| v.clone() * v.clone() < (IBig::ONE << (2 * bits as usize - 2));
            Some(if fits(&shifted) { shifted } else { d })
        })
    }

    fn abs(v: &IBig) -> IBig {
        if *v < IBig::ZERO {
            -v.clone()
        } else {
            v.clone()
        }
    }

    fn fixed<W: FixedWidth>(v: &IBig) -> W {
        W::try_from_ibig(v).unwrap_or_default()
    }

    fn products_compare<W: FixedWidth>(v: [IBig; 4]) -> Result<(), TestCaseError> {
        let [a, b, c, d] = v.map(|x| fixed::<W>(&x));
        let big = |x: W| x.into_ibig();
        prop_assert_eq!(
            W::cmp_products(&a, &b, &c, &d),
            (big(a) * big(b)).cmp(&(big(c) * big(d)))
        );
        Ok(())
    }

    /// Exact division of a full double-width product: the quotient comes back whenever it fits
    /// comfortably, is refused only when it is at least `2^(BITS−2)` in magnitude, and is
    /// never wrong.
    fn division_recovers<W: FixedWidth>(q: IBig, d: IBig) -> Result<(), TestCaseError> {
        let (q, d) = (fixed::<W>(&q), fixed::<W>(&d));
        prop_assume!(d != W::default());
        match ExactDivisor::new(d).divide_exact(q.widening_mul(d)) {
            Some(v) => prop_assert_eq!(v, q),
            None => prop_assert!(abs(&q.into_ibig()) >= IBig::ONE << (W::BITS as usize - 2)),
        }
        Ok(())
    }

    /// A whole pivot update `(a·p − f·r) / d`, built to equal `q`: with `p = d`, `r = d·k`
    /// and `a = q + f·k`. Checked one entry at a time, as a row (where the row-level bound
    /// decides between the shortcut and double width), and against the `IBig` entry type.
    fn pivot_update<W: FixedWidth>(q: IBig, d: IBig, f: IBig, k: i64) -> Result<(), TestCaseError> {
        let r = &d * IBig::from(k);
        let a = &q + &f * IBig::from(k);
        let (Some(wq), Some(wd), Some(wf), Some(wr), Some(wa)) = (
            W::try_from_ibig(&q),
            W::try_from_ibig(&d),
            W::try_from_ibig(&f),
            W::try_from_ibig(&r),
            W::try_from_ibig(&a),
        ) else {
            return Ok(());
        };
        let fits = abs(&q) < IBig::ONE << (W::BITS as usize - 2);
        let one = eliminate_one(wa, wd, wf, wr, &ExactDivisor::new(wd));
        prop_assert!(one == Some(wq) || (one.is_none() && !fits));
        let mut row = [wa, wa];
        let pivot = W::prepare_pivot(&wd, &[wr, wr], &wd);
        match W::eliminate(&mut row, &[wr, wr], &wf, &pivot) {
            Some(()) => prop_assert_eq!(row, [wq, wq]),
            None => prop_assert!(!fits),
        }
        let mut big_row = [a];
        let big_pivot = IBig::prepare_pivot(&d, std::slice::from_ref(&r), &d);
        prop_assert_eq!(
            IBig::eliminate(&mut big_row, &[r], &f, &big_pivot),
            Some(())
        );
        prop_assert_eq!(&big_row[0], &q);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn products_compare_like_big_integers_64(v in [entry(64), entry(64), entry(64), entry(64)]) {
            products_compare::<i64>(v)?;
        }

        #[test]
        fn exact_division_recovers_the_quotient_64(q in entry(64), d in divisor(64)) {
            division_recovers::<i64>(q, d)?;
        }

        #[test]
        fn pivot_update_matches_big_integers_64(
            q in entry(64), d in divisor(40), f in entry(50), k in -1000i64..1000
        ) {
            pivot_update::<i64>(q, d, f, k)?;
        }

        #[test]
        fn products_compare_like_big_integers_128(v in [entry(128), entry(128), entry(128), entry(128)]) {
            products_compare::<i128>(v)?;
        }

        #[test]
        fn products_compare_like_big_integers_256(v in [entry(256), entry(256), entry(256), entry(256)]) {
            products_compare::<I256>(v)?;
        }

        #[test]
        fn exact_division_recovers_the_quotient_128(q in entry(128), d in divisor(128)) {
            division_recovers::<i128>(q, d)?;
        }

        #[test]
        fn exact_division_recovers_the_quotient_256(q in entry(256), d in divisor(256)) {
            division_recovers::<I256>(q, d)?;
        }

        #[test]
        fn pivot_update_matches_big_integers_128(
            q in entry(128), d in divisor(100), f in entry(110), k in -1000i64..1000
        ) {
            pivot_update::<i128>(q, d, f, k)?;
        }

        #[test]
        fn pivot_update_matches_big_integers_256(
            q in entry(256), d in divisor(200), f in entry(220), k in -1000i64..1000
        ) {
            pivot_update::<I256>(q, d, f, k)?;
        }
    }

    /// `q·d / d` at the edge of the 256-bit range: recovered just below `2^254`, refused (not
    /// wrapped) at `2^255` and beyond, whatever the sign and the power of 2 in the divisor.
    #[test]
    fn quotients_at_the_boundary() {
        let top = IBig::ONE << 254;
        for d in [3i128, -3, 5 << 40, -(5 << 40), (1 << 100) + 1] {
            let wd = I256::from_i128(d);
            let divisor = ExactDivisor::new(wd);
            let below = fixed::<I256>(&(&top - IBig::ONE));
            assert_eq!(divisor.divide_exact(below.widening_mul(wd)), Some(below));
            let negative = fixed::<I256>(&(IBig::ONE - &top));
            assert_eq!(
                divisor.divide_exact(negative.widening_mul(wd)),
                Some(negative)
            );
            // a quotient of 2²⁵⁵ + 2 (here 2·(2²⁵⁴ + 1)) does not fit and is refused
            let half = fixed::<I256>(&(&top + IBig::ONE));
            let two = I256::from_i128(2);
            let x = <I256 as FixedWidth>::wide_sub(
                half.widening_mul(wd),
                half.widening_mul(wd).wrapping_neg(),
            );
            assert_eq!(divisor.divide_exact(x), None);
            // and the same through a pivot: (a·2d − 0) / d = 2a
            let mut row = [half];
            let pivot = I256::prepare_pivot(&two.wrapping_mul(wd), &[I256::default()], &wd);
            assert_eq!(
                I256::eliminate(&mut row, &[I256::default()], &I256::default(), &pivot),
                None
            );
        }
        // i128: a quotient of 2¹⁵⁰ is refused rather than wrapped
        let divisor = ExactDivisor::new(1i128 << 50);
        assert_eq!(eliminate_one(1i128 << 100, 1 << 100, 0, 0, &divisor), None);
    }
}
