//! Fast exact tableau arithmetic on `i128` entries with 256-bit intermediates.
//!
//! Fraction-free tableau entries are subdeterminants of the input: for a 16×16 game with
//! payoffs up to 100 they are around 2¹⁰⁰, which fits an `i128`, while their products
//! (about 2²⁰⁰) do not. Products are therefore formed in 256 bits and the exact division by the
//! previous determinant uses the 2-adic inverse of its odd part (exact division by
//! multiplication, Jebelean 1993, "An algorithm for exact division"): when `x = q·d` exactly,
//! `q ≡ (x / 2^s) · odd(d)⁻¹ (mod 2¹²⁸)`, which is `q` itself once `|q| < 2¹²⁷` is known from
//! the bit lengths. Anything that might not fit is reported, never wrapped, so the caller can
//! fall back to arbitrary precision.

use super::tableau_entry::TableauEntry;
use crate::num::IBig;
use std::cmp::Ordering;

/// A 256-bit two's-complement integer. Field order makes the derived ordering numeric:
/// the signed high half first, then the unsigned low half.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct I256 {
    hi: i128,
    lo: u128,
}

const LOW64: u128 = u64::MAX as u128;

/// Full 256-bit product of two `u128`, as `(high, low)`.
fn mul_u128(a: u128, b: u128) -> (u128, u128) {
    let (a1, a0) = (a >> 64, a & LOW64);
    let (b1, b0) = (b >> 64, b & LOW64);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let mid = (p00 >> 64) + (p01 & LOW64) + (p10 & LOW64);
    let lo = (p00 & LOW64) | (mid << 64);
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (hi, lo)
}

impl I256 {
    /// `a·b`: at most 2²⁵⁴ in magnitude, so it always fits.
    fn mul(a: i128, b: i128) -> I256 {
        let (hi, lo) = mul_u128(a.unsigned_abs(), b.unsigned_abs());
        let magnitude = I256 { hi: hi as i128, lo };
        if (a < 0) != (b < 0) {
            magnitude.neg()
        } else {
            magnitude
        }
    }

    fn neg(self) -> I256 {
        let lo = (!self.lo).wrapping_add(1);
        let hi = (!self.hi).wrapping_add((lo == 0) as i128);
        I256 { hi, lo }
    }

    /// `self − other`; callers keep both below 2²⁵⁴ in magnitude, so it cannot overflow.
    fn sub(self, other: I256) -> I256 {
        let (lo, borrow) = self.lo.overflowing_sub(other.lo);
        I256 {
            hi: self.hi.wrapping_sub(other.hi).wrapping_sub(borrow as i128),
            lo,
        }
    }

    /// Magnitude as unsigned halves, and whether the value is negative.
    fn magnitude(self) -> (u128, u128, bool) {
        let negative = self.hi < 0;
        let m = if negative { self.neg() } else { self };
        (m.hi as u128, m.lo, negative)
    }
}

/// A nonzero `i128` divisor `± 2^shift · odd`, with `odd`'s inverse modulo 2¹²⁸.
#[derive(Clone, Copy, Debug)]
pub struct WideDivisor {
    negative: bool,
    shift: u32,
    odd_inverse: u128,
    bits: u32,
}

impl WideDivisor {
    fn new(d: i128) -> Self {
        debug_assert!(d != 0, "divisors are basis determinants");
        let magnitude = d.unsigned_abs();
        let shift = magnitude.trailing_zeros();
        let odd = magnitude >> shift;
        // Newton's iteration x ← x(2 − odd·x) doubles the correct low bits; x = odd is right
        // to 3 bits (odd² ≡ 1 mod 8), and 3·2⁶ ≥ 128.
        let mut inv = odd;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u128.wrapping_sub(odd.wrapping_mul(inv)));
        }
        WideDivisor {
            negative: d < 0,
            shift,
            odd_inverse: inv,
            bits: 128 - magnitude.leading_zeros(),
        }
    }

    /// Whether `|a·p − f·r| < 2^bound` guarantees `|q|·2^shift < 2¹²⁷` for `q = (a·p − f·r)/d`:
    /// `|q| < 2^(bound + 1 − bits + 1)`.
    #[inline]
    fn fast_path_holds(&self, bound: u32) -> bool {
        bound + 2 + self.shift <= 127 + self.bits
    }

    /// `x / d` for an `x` that `d` divides, if the quotient is below 2¹²⁷ in magnitude.
    #[inline]
    fn divide_exact(&self, x: I256) -> Option<i128> {
        let (hi, lo, negative) = x.magnitude();
        let bits = if hi != 0 {
            256 - hi.leading_zeros()
        } else {
            128 - lo.leading_zeros()
        };
        // |x| < 2^bits and |d| ≥ 2^(self.bits − 1), so |q| < 2^(bits − self.bits + 1) ≤ 2^127.
        if bits > self.bits + 126 {
            return None;
        }
        // the shift is below 127 since |d| < 2¹²⁷
        let shifted = if self.shift == 0 {
            lo
        } else {
            (lo >> self.shift) | (hi << (128 - self.shift))
        };
        let q = shifted.wrapping_mul(self.odd_inverse) as i128;
        Some(if negative != self.negative { -q } else { q })
    }
}

/// Bits of `|x|`: `|x| < 2^bit_length(x)`.
#[inline]
fn bit_length(x: i128) -> u32 {
    128 - x.unsigned_abs().leading_zeros()
}

/// A pivot on `i128` entries: the divisor, and what the row-level fast path needs.
#[derive(Clone, Copy, Debug)]
pub struct WidePivot {
    value: i128,
    /// Bit length of the pivot and the largest of its row.
    value_bits: u32,
    row_bits: u32,
    divisor: WideDivisor,
}

/// `(a·p − f·r) / d` for one entry, through 256 bits unless the bit lengths allow the modular
/// shortcut (see [`WideDivisor::divide_exact`] and [`eliminate_fast`]).
fn eliminate_one(a: i128, p: i128, f: i128, r: i128, d: &WideDivisor) -> Option<i128> {
    let bound = (bit_length(a) + bit_length(p)).max(bit_length(f) + bit_length(r));
    if d.fast_path_holds(bound) {
        return Some(eliminate_fast(a, p, f, r, d));
    }
    let mut t = I256::mul(a, p);
    if f != 0 {
        t = t.sub(I256::mul(f, r));
    }
    d.divide_exact(t)
}

/// The modular shortcut: with `|q|·2^shift < 2¹²⁷` certain, `x = a·p − f·r` modulo 2¹²⁸ times
/// `odd⁻¹` is `±q·2^shift`, an exact arithmetic shift away from `q`.
#[inline]
fn eliminate_fast(a: i128, p: i128, f: i128, r: i128, d: &WideDivisor) -> i128 {
    let x = a.wrapping_mul(p).wrapping_sub(f.wrapping_mul(r)) as u128;
    let q = (x.wrapping_mul(d.odd_inverse) as i128) >> d.shift;
    if d.negative {
        -q
    } else {
        q
    }
}

/// An upper bound on the bit lengths in a slice: `x ^ (x >> 127)` is `|x|` or `|x| − 1`, so
/// the bits of their OR, plus one, bound every `|x|`.
#[inline]
fn max_bit_length(values: &[i128]) -> u32 {
    let or = values.iter().fold(0i128, |acc, &v| acc | (v ^ (v >> 127)));
    129 - or.leading_zeros()
}

impl TableauEntry for i128 {
    type Pivot = WidePivot;

    fn from_ibig(v: &IBig) -> Option<Self> {
        i128::try_from(v).ok().filter(|x| *x != i128::MIN)
    }
    fn to_ibig(&self) -> IBig {
        IBig::from(*self)
    }
    /// Each half of `|x|` rounds once to `f64` and their sum once more: relative error below
    /// 3·2⁻⁵³ (no cancellation, both halves being nonnegative).
    #[inline]
    fn approx(&self) -> Option<f64> {
        const TWO_64: f64 = 18_446_744_073_709_551_616.0;
        let m = self.unsigned_abs();
        let v = ((m >> 64) as u64 as f64) * TWO_64 + (m as u64 as f64);
        Some(if *self < 0 { -v } else { v })
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
    fn prepare_pivot(p: &Self, pivot_row: &[Self], det: &Self) -> WidePivot {
        WidePivot {
            value: *p,
            value_bits: bit_length(*p),
            row_bits: max_bit_length(pivot_row),
            divisor: WideDivisor::new(*det),
        }
    }
    /// One bound for the whole row when it allows (the usual case): then every entry takes
    /// the modular shortcut without a check of its own.
    #[inline]
    fn eliminate(
        row: &mut [Self],
        pivot_row: &[Self],
        factor: &Self,
        pivot: &WidePivot,
    ) -> Option<()> {
        let d = &pivot.divisor;
        let bound =
            (max_bit_length(row) + pivot.value_bits).max(bit_length(*factor) + pivot.row_bits);
        if d.fast_path_holds(bound) {
            // dividing by −|d| is dividing −x by |d|: fold the sign into p and f
            let (p, f) = if d.negative {
                (pivot.value.wrapping_neg(), factor.wrapping_neg())
            } else {
                (pivot.value, *factor)
            };
            let (inv, shift) = (d.odd_inverse, d.shift);
            let pairs = row.iter_mut().zip(pivot_row);
            if shift == 0 {
                for (a, &r) in pairs {
                    *a = a
                        .wrapping_mul(p)
                        .wrapping_sub(f.wrapping_mul(r))
                        .wrapping_mul(inv as i128);
                }
            } else {
                for (a, &r) in pairs {
                    *a = a
                        .wrapping_mul(p)
                        .wrapping_sub(f.wrapping_mul(r))
                        .wrapping_mul(inv as i128)
                        >> shift;
                }
            }
            return Some(());
        }
        for (a, &r) in row.iter_mut().zip(pivot_row) {
            *a = eliminate_one(*a, pivot.value, *factor, r, d)?;
        }
        Some(())
    }
    #[inline]
    fn cmp_products(a: &Self, b: &Self, c: &Self, d: &Self) -> Ordering {
        I256::mul(*a, *b).cmp(&I256::mul(*c, *d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Entries as a caller may hold them: any `i128` but `i128::MIN` (refused by `from_ibig`).
    fn entry() -> impl Strategy<Value = i128> {
        prop_oneof![
            (i128::MIN + 1)..=i128::MAX,
            -1000i128..1000,
            (-1i128 << 100)..(1i128 << 100)
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The screen's premise: relative error of `approx` below 2⁻⁵¹, checked exactly.
        #[test]
        fn approximation_error_is_below_the_bound(x in entry()) {
            let v = x.approx().unwrap_or(f64::NAN);
            let exact = crate::num::Q::from(IBig::from(x));
            let diff = crate::num::from_f64(v).map(|a| a - &exact).unwrap_or(crate::num::Q::ONE);
            let bound = exact.clone() * crate::num::Q::from_parts(1.into(), dashu::integer::UBig::ONE << 51);
            let abs = |q: crate::num::Q| if q < crate::num::Q::ZERO { -q } else { q };
            prop_assert!(abs(diff) <= abs(bound));
        }

        #[test]
        fn products_compare_like_big_integers(a in entry(), b in entry(), c in entry(), d in entry()) {
            let big = |x: i128| IBig::from(x);
            prop_assert_eq!(i128::cmp_products(&a, &b, &c, &d), (big(a) * big(b)).cmp(&(big(c) * big(d))));
        }

        /// Exact division of a full 256-bit product: the quotient comes back whenever it fits,
        /// and is refused only when it is at least 2¹²⁶ in magnitude.
        #[test]
        fn exact_division_recovers_the_quotient(q in entry(), d in entry().prop_filter("nonzero", |d| *d != 0)) {
            match WideDivisor::new(d).divide_exact(I256::mul(q, d)) {
                Some(v) => prop_assert_eq!(v, q),
                None => prop_assert!(q.unsigned_abs() >= 1 << 126),
            }
        }

        /// A whole pivot update `(a·p − f·r) / d`, built so that it equals `q`: with `p = d`,
        /// `r = d·k` and `a = q + f·k`. Quotients up to 2¹²⁶ and divisors with many factors 2
        /// exercise both the modular fast path and the 256-bit one.
        #[test]
        fn pivot_update_matches_big_integers(
            q in -1i128 << 126..1i128 << 126,
            d in prop_oneof![1i128..1i128 << 100, (1i128..1 << 60, 0u32..60).prop_map(|(o, s)| o << s)]
                .prop_flat_map(|d| prop_oneof![Just(d), Just(-d)]),
            f in prop_oneof![-1000i128..1000, -1i128 << 110..1i128 << 110], k in -1000i128..1000
        ) {
            let big = |x: i128| IBig::from(x);
            let r = i128::from_ibig(&(big(d) * big(k)));
            let a = i128::from_ibig(&(big(q) + big(f) * big(k)));
            prop_assume!(r.is_some() && a.is_some());
            let (a, r) = (a.unwrap_or_default(), r.unwrap_or_default());
            prop_assert_eq!(eliminate_one(a, d, f, r, &WideDivisor::new(d)), Some(q));
            // as a row: the row-level bound decides between the shortcut and 256 bits
            let mut row = [a, a];
            let pivot = i128::prepare_pivot(&d, &[r, r], &d);
            prop_assert_eq!(i128::eliminate(&mut row, &[r, r], &f, &pivot), Some(()));
            prop_assert_eq!(row, [q, q]);
            let mut big_row = [big(a)];
            let big_pivot = IBig::prepare_pivot(&big(d), &[big(r)], &big(d));
            prop_assert_eq!(IBig::eliminate(&mut big_row, &[big(r)], &big(f), &big_pivot), Some(()));
            prop_assert_eq!(big_row[0].clone(), big(q));
        }
    }

    #[test]
    fn exact_division_of_full_width_products() {
        // (2¹⁰⁰ + 7)·(3·2⁹⁰ + 1) / (3·2⁹⁰ + 1), through a 256-bit product
        let (a, d) = ((1i128 << 100) + 7, 3 * (1i128 << 90) + 1);
        assert_eq!(eliminate_one(a, d, 0, 0, &WideDivisor::new(d)), Some(a));
        assert_eq!(eliminate_one(-a, d, 0, 0, &WideDivisor::new(d)), Some(-a));
        // even divisor: 2⁴⁰ · 5 divides 2⁴⁰ · 5 · (−123456789), and so does its negative
        let d = 5i128 << 40;
        assert_eq!(
            eliminate_one(-123456789, d, 0, 0, &WideDivisor::new(d)),
            Some(-123456789)
        );
        assert_eq!(
            eliminate_one(-123456789, d, 0, 0, &WideDivisor::new(-d)),
            Some(123456789)
        );
        // a quotient of 2¹⁵⁰ does not fit and is refused rather than wrapped
        assert_eq!(
            eliminate_one(1i128 << 100, 1i128 << 100, 0, 0, &WideDivisor::new(1 << 50)),
            None
        );
    }
}
