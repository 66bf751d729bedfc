//! Fixed-width two's-complement integers of `N` 64-bit limbs, for tableau entries beyond
//! `i128` ([`wide_int`](super::wide_int) builds the exact tableau arithmetic on them).
//!
//! Only what fraction-free pivoting needs: arithmetic modulo `2^(64·N)` (the exact division by
//! a 2-adic inverse works modulo a power of two), a full product into a type twice as wide
//! (comparisons of products, and quotients that the bit lengths cannot vouch for), arithmetic
//! shifts and bit lengths. Schoolbook limb arithmetic (Knuth, TAOCP vol. 2, §4.3.1) on `u128`
//! double limbs; with `N` a constant the loops unroll.

use crate::num::IBig;
use std::cmp::Ordering;

/// `Σ limbs[i]·2^(64 i)` modulo `2^(64·N)`, read as signed: little-endian limbs, the top bit
/// of the last one is the sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FixedInt<const N: usize> {
    limbs: [u64; N],
}

/// A 256-bit entry: minors of 16×16 games with payoffs in the thousands stay far below 2²⁵⁴.
pub type I256 = FixedInt<4>;

impl<const N: usize> Default for FixedInt<N> {
    fn default() -> Self {
        FixedInt { limbs: [0; N] }
    }
}

impl<const N: usize> FixedInt<N> {
    pub const BITS: u32 = 64 * N as u32;

    pub fn from_i128(v: i128) -> Self {
        let fill = if v < 0 { u64::MAX } else { 0 };
        let mut limbs = [fill; N];
        for (i, limb) in limbs.iter_mut().enumerate().take(2) {
            *limb = (v >> (64 * i)) as u64;
        }
        FixedInt { limbs }
    }

    pub fn is_negative(&self) -> bool {
        (self.limbs[N - 1] as i64) < 0
    }

    /// The low `64·N` bits of `self·other` (the same for signed and unsigned readings).
    #[inline]
    pub fn wrapping_mul(&self, other: &Self) -> Self {
        let mut out = [0u64; N];
        for i in 0..N {
            let mut carry = 0u128;
            let a = self.limbs[i] as u128;
            for j in 0..N - i {
                let t = a * other.limbs[j] as u128 + out[i + j] as u128 + carry;
                out[i + j] = t as u64;
                carry = t >> 64;
            }
        }
        FixedInt { limbs: out }
    }

    #[inline]
    pub fn wrapping_sub(&self, other: &Self) -> Self {
        let mut out = [0u64; N];
        let mut borrow = false;
        for (o, (&a, &b)) in out.iter_mut().zip(self.limbs.iter().zip(&other.limbs)) {
            let (d, b1) = a.overflowing_sub(b);
            let (d, b2) = d.overflowing_sub(borrow as u64);
            *o = d;
            borrow = b1 || b2;
        }
        FixedInt { limbs: out }
    }

    pub fn wrapping_neg(&self) -> Self {
        FixedInt::default().wrapping_sub(self)
    }

    /// Arithmetic shift right by `shift < 64·N` (rounds towards −∞, exact when `2^shift`
    /// divides the value).
    #[inline]
    pub fn shr(&self, shift: u32) -> Self {
        if shift == 0 {
            return *self;
        }
        let (words, bits) = ((shift / 64) as usize, shift % 64);
        if words == 0 {
            // the usual case (a determinant's power of 2 is small): each limb takes bits from
            // the next, the top one shifts arithmetically
            let l = &self.limbs;
            let mut out = [0u64; N];
            for i in 0..N - 1 {
                out[i] = (l[i] >> bits) | (l[i + 1] << (64 - bits));
            }
            out[N - 1] = ((l[N - 1] as i64) >> bits) as u64;
            return FixedInt { limbs: out };
        }
        let fill = if self.is_negative() { u64::MAX } else { 0 };
        let limb = |i: usize| self.limbs.get(i).copied().unwrap_or(fill);
        let mut out = [0u64; N];
        for (i, o) in out.iter_mut().enumerate() {
            let low = limb(i + words);
            *o = if bits == 0 {
                low
            } else {
                (low >> bits) | (limb(i + words + 1) << (64 - bits))
            };
        }
        FixedInt { limbs: out }
    }

    /// Magnitude as unsigned limbs (exact for every value, `MIN` included).
    fn magnitude(&self) -> [u64; N] {
        if self.is_negative() {
            self.wrapping_neg().limbs
        } else {
            self.limbs
        }
    }

    /// Bits of the magnitude: `|x| < 2^bit_length`.
    pub fn bit_length(&self) -> u32 {
        unsigned_bit_length(&self.magnitude())
    }

    pub fn trailing_zeros(&self) -> u32 {
        let mut zeros = 0;
        for &l in &self.limbs {
            zeros += l.trailing_zeros();
            if l != 0 {
                break;
            }
        }
        zeros
    }

    /// An upper bound on the bit lengths of `values` in one pass: `x ^ (x >> (64·N − 1))`
    /// is `|x|` or `|x| − 1`, so the bit length of their OR, plus one, bounds every `|x|`.
    #[inline]
    pub fn max_bit_length(values: &[Self]) -> u32 {
        let mut or = [0u64; N];
        for v in values {
            let sign = ((v.limbs[N - 1] as i64) >> 63) as u64;
            for (o, &l) in or.iter_mut().zip(&v.limbs) {
                *o |= l ^ sign;
            }
        }
        unsigned_bit_length(&or) + 1
    }

    /// The exact product `self·other` in `M ≥ 2N` limbs.
    pub fn widening_mul<const M: usize>(&self, other: &Self) -> FixedInt<M> {
        debug_assert!(M >= 2 * N, "a product of N-limb numbers needs 2N limbs");
        let (a, b) = (self.magnitude(), other.magnitude());
        let mut out = [0u64; M];
        for i in 0..N {
            let mut carry = 0u128;
            for j in 0..N {
                let t = a[i] as u128 * b[j] as u128 + out[i + j] as u128 + carry;
                out[i + j] = t as u64;
                carry = t >> 64;
            }
            out[i + N] = carry as u64;
        }
        let product = FixedInt { limbs: out };
        if self.is_negative() != other.is_negative() {
            product.wrapping_neg()
        } else {
            product
        }
    }

    /// The low `L` limbs (reduction modulo `2^(64·L)`), `L ≤ N`.
    pub fn low<const L: usize>(&self) -> FixedInt<L> {
        let mut limbs = [0u64; L];
        limbs.copy_from_slice(&self.limbs[..L]);
        FixedInt { limbs }
    }

    /// The low 128 bits as an `i128` (reduction modulo 2¹²⁸), `N ≥ 2`.
    pub fn low_i128(&self) -> i128 {
        (self.limbs[0] as u128 | (self.limbs[1] as u128) << 64) as i128
    }

    /// The value if it lies strictly between `−2^(64·N − 1)` and `2^(64·N − 1)`: the bound
    /// of tableau entries, whose negatives must exist.
    pub fn from_ibig(v: &IBig) -> Option<Self> {
        let bytes = v.to_le_bytes();
        if bytes.len() > 8 * N {
            return None;
        }
        let fill = if *v < IBig::ZERO { 0xff } else { 0 };
        let mut limbs = [0u64; N];
        for (i, limb) in limbs.iter_mut().enumerate() {
            let byte = |b: usize| bytes.get(8 * i + b).copied().unwrap_or(fill);
            *limb = u64::from_le_bytes(std::array::from_fn(byte));
        }
        let x = FixedInt { limbs };
        (x.bit_length() < Self::BITS).then_some(x)
    }

    pub fn to_ibig(self) -> IBig {
        let bytes: Vec<u8> = self.limbs.iter().flat_map(|l| l.to_le_bytes()).collect();
        IBig::from_le_bytes(&bytes)
    }

    /// `f64` within relative error below 2⁻⁵¹: the two top limbs of the magnitude round once
    /// each and their sum once more (`3·2⁻⁵³`), and the limbs below add less than `2⁻⁶⁴`.
    #[inline]
    pub fn approx(&self) -> f64 {
        const TWO_64: f64 = 18_446_744_073_709_551_616.0;
        let m = self.magnitude();
        let Some(top) = m.iter().rposition(|&l| l != 0) else {
            return 0.0;
        };
        let mut v = m[top] as f64;
        if top > 0 {
            v = v * TWO_64 + m[top - 1] as f64;
            for _ in 1..top {
                v *= TWO_64;
            }
        }
        if self.is_negative() {
            -v
        } else {
            v
        }
    }
}

/// Products modulo 2²⁵⁶ on `u128` halves `x = h·2¹²⁸ + l`, which the compiler turns into
/// straight-line code: `x·y ≡ l·l' + (l·h' + h·l')·2¹²⁸`, one full 128×128-bit product and two
/// wrapping ones (the same ten 64-bit multiplications as the limb loop, without its carries).
impl FixedInt<4> {
    fn halves(&self) -> (u128, u128) {
        let l = &self.limbs;
        (
            l[2] as u128 | (l[3] as u128) << 64,
            l[0] as u128 | (l[1] as u128) << 64,
        )
    }

    fn from_halves(high: u128, low: u128) -> Self {
        FixedInt {
            limbs: [
                low as u64,
                (low >> 64) as u64,
                high as u64,
                (high >> 64) as u64,
            ],
        }
    }

    /// `self·b + c·d` modulo 2²⁵⁶.
    #[inline]
    pub fn wrapping_mul_add(&self, b: &Self, c: &Self, d: &Self) -> Self {
        let ((ah, al), (bh, bl), (ch, cl), (dh, dl)) =
            (self.halves(), b.halves(), c.halves(), d.halves());
        let (h1, l1) = mul_u128(al, bl);
        let (h2, l2) = mul_u128(cl, dl);
        let (low, carry) = l1.overflowing_add(l2);
        let cross = al
            .wrapping_mul(bh)
            .wrapping_add(ah.wrapping_mul(bl))
            .wrapping_add(cl.wrapping_mul(dh))
            .wrapping_add(ch.wrapping_mul(dl));
        let high = h1
            .wrapping_add(h2)
            .wrapping_add(cross)
            .wrapping_add(carry as u128);
        FixedInt::from_halves(high, low)
    }
}

/// The full 256-bit product of two `u128`, as `(high, low)`.
#[inline]
fn mul_u128(a: u128, b: u128) -> (u128, u128) {
    const LOW64: u128 = u64::MAX as u128;
    let (a1, a0) = (a >> 64, a & LOW64);
    let (b1, b0) = (b >> 64, b & LOW64);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let mid = (p00 >> 64) + (p01 & LOW64) + (p10 & LOW64);
    let lo = (p00 & LOW64) | (mid << 64);
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (hi, lo)
}

fn unsigned_bit_length(limbs: &[u64]) -> u32 {
    limbs
        .iter()
        .rposition(|&l| l != 0)
        .map_or(0, |i| 64 * i as u32 + 64 - limbs[i].leading_zeros())
}

/// Signed order: the top limbs as signed, then the others as unsigned from the top.
impl<const N: usize> Ord for FixedInt<N> {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.limbs[N - 1] as i64)
            .cmp(&(other.limbs[N - 1] as i64))
            .then_with(|| {
                self.limbs[..N - 1]
                    .iter()
                    .rev()
                    .cmp(other.limbs[..N - 1].iter().rev())
            })
    }
}

impl<const N: usize> PartialOrd for FixedInt<N> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Any 256-bit pattern but the ones `from_ibig` refuses, biased towards small magnitudes,
    /// powers of two and the boundary.
    fn value() -> impl Strategy<Value = IBig> {
        let limbs = proptest::array::uniform4(any::<u64>());
        prop_oneof![
            limbs.prop_map(|l| FixedInt::<4> { limbs: l }.to_ibig()),
            (-1000i64..1000).prop_map(IBig::from),
            (any::<bool>(), 0usize..255).prop_map(|(neg, s)| {
                let v = IBig::ONE << s;
                if neg {
                    -v
                } else {
                    v
                }
            }),
            (any::<bool>(), 0i64..3).prop_map(|(neg, off)| {
                let v = (IBig::ONE << 255) - IBig::from(1 + off);
                if neg {
                    -v
                } else {
                    v
                }
            }),
        ]
    }

    fn big<const N: usize>(x: FixedInt<N>) -> IBig {
        x.to_ibig()
    }

    fn modulus() -> IBig {
        IBig::ONE << 256
    }

    /// `v` reduced into the signed range of 256 bits.
    fn wrap(v: IBig) -> IBig {
        let m = modulus();
        let r = ((v % &m) + &m) % &m;
        if r >= (IBig::ONE << 255) {
            r - m
        } else {
            r
        }
    }

    fn fixed(v: &IBig) -> I256 {
        FixedInt::from_ibig(v).unwrap_or_default()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn conversions_round_trip_below_the_bound(v in value()) {
            let fits = v.clone() * v.clone() < (IBig::ONE << 510);
            match I256::from_ibig(&v) {
                Some(x) => prop_assert_eq!(big(x), v),
                None => prop_assert!(!fits),
            }
        }

        #[test]
        fn modular_arithmetic_matches_big_integers(a in value(), b in value(), s in 0u32..256) {
            let (x, y) = (fixed(&a), fixed(&b));
            let (a, b) = (big(x), big(y));
            prop_assert_eq!(big(x.wrapping_mul(&y)), wrap(&a * &b));
            prop_assert_eq!(big(x.wrapping_mul_add(&y, &y, &x)), wrap(&a * &b + &b * &a));
            prop_assert_eq!(big(x.wrapping_mul_add(&x, &y, &y)), wrap(&a * &a + &b * &b));
            prop_assert_eq!(big(x.wrapping_sub(&y)), wrap(&a - &b));
            prop_assert_eq!(big(x.wrapping_neg()), wrap(-a.clone()));
            // arithmetic shift is floor division by 2^s
            let shifted = big(x.shr(s));
            let p = IBig::ONE << s as usize;
            prop_assert!(&shifted * &p <= a && a < (&shifted + IBig::ONE) * &p);
        }

        #[test]
        fn products_order_and_bits_match_big_integers(a in value(), b in value()) {
            let (x, y) = (fixed(&a), fixed(&b));
            let (a, b) = (big(x), big(y));
            prop_assert_eq!(big(x.widening_mul::<8>(&y)), &a * &b);
            prop_assert_eq!(x.cmp(&y), a.cmp(&b));
            let abs = |v: &IBig| if *v < IBig::ZERO { -v.clone() } else { v.clone() };
            let bits = x.bit_length() as usize;
            prop_assert!(abs(&a) < (IBig::ONE << bits));
            prop_assert!(bits == 0 || abs(&a) >= (IBig::ONE << (bits - 1)));
            prop_assert!(I256::max_bit_length(&[x, y]) >= bits as u32);
            prop_assert!(I256::max_bit_length(&[x, y]) <= bits.max(y.bit_length() as usize) as u32 + 1);
        }

        /// The screen's premise: relative error of `approx` below 2⁻⁵¹, checked exactly.
        #[test]
        fn approximation_error_is_below_the_bound(v in value()) {
            let x = fixed(&v);
            let exact = crate::num::Q::from(big(x));
            let diff = crate::num::from_f64(x.approx()).map(|a| a - &exact);
            let bound = exact.clone() * crate::num::Q::from_parts(1.into(), dashu::integer::UBig::ONE << 51);
            let abs = |q: crate::num::Q| if q < crate::num::Q::ZERO { -q } else { q };
            prop_assert!(diff.is_some_and(|d| abs(d) <= abs(bound)));
        }
    }

    #[test]
    fn the_bound_is_refused_on_both_sides() {
        let top = IBig::ONE << 255;
        assert_eq!(
            I256::from_ibig(&(&top - IBig::ONE)).map(big),
            Some(&top - IBig::ONE)
        );
        assert_eq!(I256::from_ibig(&top), None);
        assert_eq!(I256::from_ibig(&-top.clone()), None);
        assert_eq!(
            I256::from_ibig(&(IBig::ONE - &top)).map(big),
            Some(IBig::ONE - top)
        );
        assert_eq!(big(I256::from_i128(-5)), IBig::from(-5));
        assert_eq!(big(I256::from_i128(i128::MIN)), IBig::from(i128::MIN));
    }
}
