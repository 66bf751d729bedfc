//! Exact solution of a square integer system `a·x = b` by fraction-free Gaussian elimination
//! (Bareiss 1968, "Sylvester's identity and multistep integer-preserving Gaussian
//! elimination", the one-step method).
//!
//! Why: exact solvers recover a point from a small square system of tight constraints (the
//! supports of a Lemke–Howson end, say). Rational elimination normalises every entry by a gcd;
//! Bareiss' elimination keeps every intermediate entry an integer — a minor of `[a | b]`, by
//! Sylvester's identity — and its only divisions are exact. Each elimination step runs in
//! `i128` while Hadamard's bound shows that the products of two minors it forms fit, and the
//! rest in `IBig`: entries grow step by step, so the early steps, most of the work, usually
//! stay in machine integers.
//!
//! Large systems (hundreds of unknowns, as the supports of big zero-sum games) go to
//! [`dixon`], p-adic lifting, whose cost grows like `k³` word operations plus `k²` per digit
//! instead of `k³` operations on ever longer integers.

use crate::num::{IBig, Q};
use dashu::integer::UBig;

pub(crate) mod dixon;

/// `x = numerators / denominator`, with `denominator > 0`, not necessarily in lowest terms
/// (Bareiss gives `|det a|` and Cramer's `±det a_j`; Dixon a reconstructed common denominator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegerSolution {
    pub numerators: Vec<IBig>,
    pub denominator: IBig,
}

impl IntegerSolution {
    /// The probability vector of length `len` proportional to `x`, entry `c` of `x` placed at
    /// `support[c]` (the common denominator cancels), or `None` when an entry is negative or all
    /// are zero: how a solver turns the solution of a support's system into a mixed strategy.
    pub fn to_distribution(&self, len: usize, support: &[usize]) -> Option<Vec<Q>> {
        let total = self.numerators.iter().fold(IBig::ZERO, |acc, v| acc + v);
        let total = UBig::try_from(total).ok().filter(|t| *t != UBig::ZERO)?;
        // Built from the constant, not cloned `len` times (`vec![Q::ZERO; len]` clones).
        let mut probabilities: Vec<Q> = (0..len).map(|_| Q::ZERO).collect();
        for (&i, v) in support.iter().zip(&self.numerators) {
            if *v < IBig::ZERO {
                return None;
            }
            probabilities[i] = Q::from_parts(v.clone(), total.clone());
        }
        Some(probabilities)
    }
}

/// The solution of the `k × k` system `a·x = b` (`a` row-major), or `None` when `a` is
/// singular or the slices do not have `k·k` and `k` entries.
pub fn solve_integer_system(k: usize, a: &[i64], b: &[i64]) -> Option<IntegerSolution> {
    if a.len() != k * k || b.len() != k {
        return None;
    }
    let bound = HadamardBound::new(k, a, b);
    let w = k + 1;
    let mut small: Vec<i128> = Vec::with_capacity(k * w);
    for i in 0..k {
        small.extend(a[i * k..(i + 1) * k].iter().map(|&v| i128::from(v)));
        small.push(i128::from(b[i]));
    }
    let mut previous = 1i128;
    let mut s = 0;
    while s < k && bound.step_fits_i128(s) {
        eliminate_step(&mut small, k, s, &mut previous)?;
        s += 1;
    }
    if s == k && bound.back_substitution_fits_i128() {
        return Some(back_substitute(&small, k, previous));
    }
    let mut big: Vec<IBig> = small.into_iter().map(IBig::from).collect();
    let mut previous = IBig::from(previous);
    for s in s..k {
        eliminate_step(&mut big, k, s, &mut previous)?;
    }
    Some(back_substitute(&big, k, previous))
}

/// Hadamard's bound on the minors of the augmented matrix `[a | b]`, in bits: a `t × t` minor
/// is at most the product of the `t` largest row norms `max(1, ‖row‖₂)`.
struct HadamardBound {
    /// `minor_bits[t]`: `log₂` of the bound on `t × t` minors.
    minor_bits: Vec<f64>,
}

impl HadamardBound {
    fn new(k: usize, a: &[i64], b: &[i64]) -> Self {
        // One vector: the row bounds, largest first, become their prefix sums in place,
        // behind a leading 0.
        let mut minor_bits: Vec<f64> = Vec::with_capacity(k + 1);
        minor_bits.extend((0..k).map(|i| {
            let squares: f64 = a[i * k..(i + 1) * k]
                .iter()
                .chain(std::iter::once(&b[i]))
                .map(|&v| (v as f64) * (v as f64))
                .sum();
            0.5 * squares.max(1.0).log2()
        }));
        minor_bits.sort_by(|x, y| y.total_cmp(x));
        minor_bits.push(0.0);
        minor_bits.rotate_right(1);
        for t in 1..=k {
            minor_bits[t] += minor_bits[t - 1];
        }
        HadamardBound { minor_bits }
    }

    /// Step `s` forms differences of two products of `(s + 1) × (s + 1)` minors: below
    /// `2·H²`. Two bits of margin cover the rounding of the `f64` logarithms.
    fn step_fits_i128(&self, s: usize) -> bool {
        2.0 * self.minor_bits[s + 1] + 1.0 + 2.0 <= 126.0
    }

    /// Back substitution sums `k + 1` products of two `k × k` minors.
    fn back_substitution_fits_i128(&self) -> bool {
        let k = self.minor_bits.len() - 1;
        2.0 * self.minor_bits[k] + ((k + 1) as f64).log2() + 2.0 <= 126.0
    }
}

/// The integer operations elimination needs, on `i128` (callers have checked the bound with
/// [`HadamardBound`]) and on `IBig`.
trait Ring: Clone + PartialEq {
    fn from_i64(v: i64) -> Self;
    fn is_zero(&self) -> bool;
    fn is_negative(&self) -> bool;
    /// `self·c − d·e`.
    fn cross(&self, c: &Self, d: &Self, e: &Self) -> Self;
    fn mul(&self, other: &Self) -> Self;
    fn sub(&self, other: &Self) -> Self;
    /// Division known to be exact.
    fn div_exact(&self, other: &Self) -> Self;
    fn neg(&self) -> Self;
    fn into_ibig(self) -> IBig;
}

/// The methods both types implement with the same operators.
macro_rules! ring_operators {
    () => {
        fn cross(&self, c: &Self, d: &Self, e: &Self) -> Self {
            self * c - d * e
        }
        fn mul(&self, other: &Self) -> Self {
            self * other
        }
        fn sub(&self, other: &Self) -> Self {
            self - other
        }
        fn neg(&self) -> Self {
            -self
        }
    };
}

impl Ring for i128 {
    fn from_i64(v: i64) -> Self {
        i128::from(v)
    }
    fn is_zero(&self) -> bool {
        *self == 0
    }
    fn is_negative(&self) -> bool {
        *self < 0
    }
    ring_operators!();
    fn div_exact(&self, other: &Self) -> Self {
        exact_quotient(*self, *other).unwrap_or_else(|| self / other)
    }
    fn into_ibig(self) -> IBig {
        IBig::from(self)
    }
}

/// `a / b` for a division known to be exact; `None` for a zero divisor or `i128::MIN / −1`.
/// `i128` division is a library call, so it is a hardware `i64` division when both fit.
pub(crate) fn exact_quotient(a: i128, b: i128) -> Option<i128> {
    match (i64::try_from(a), i64::try_from(b)) {
        (Ok(x), Ok(y)) => x
            .checked_div(y)
            .map(i128::from)
            .or_else(|| a.checked_div(b)),
        _ => a.checked_div(b),
    }
}

impl Ring for IBig {
    fn from_i64(v: i64) -> Self {
        IBig::from(v)
    }
    fn is_zero(&self) -> bool {
        *self == IBig::ZERO
    }
    fn is_negative(&self) -> bool {
        *self < IBig::ZERO
    }
    ring_operators!();
    fn div_exact(&self, other: &Self) -> Self {
        self / other
    }
    fn into_ibig(self) -> IBig {
        self
    }
}

/// Step `s` of forward elimination on the `k × (k + 1)` matrix `m = [a | b]`: a row swap
/// finds a nonzero pivot (`None` if there is none: `a` is singular), then every entry below
/// and right of the pivot becomes `(m[s][s]·m[i][j] − m[i][s]·m[s][j]) / previous`, an exact
/// division (Bareiss 1968, eq. 8), and the pivot becomes `previous`. After step `k − 1` it is
/// `±det a`.
fn eliminate_step<T: Ring>(m: &mut [T], k: usize, s: usize, previous: &mut T) -> Option<()> {
    let w = k + 1;
    let pivot_row = (s..k).find(|&r| !m[r * w + s].is_zero())?;
    if pivot_row != s {
        for j in 0..w {
            m.swap(s * w + j, pivot_row * w + j);
        }
    }
    let pivot = m[s * w + s].clone();
    for i in s + 1..k {
        let factor = m[i * w + s].clone();
        for j in s + 1..w {
            let updated = m[i * w + j].cross(&pivot, &factor, &m[s * w + j]);
            // At step 0 `previous` is 1.
            m[i * w + j] = if s == 0 {
                updated
            } else {
                updated.div_exact(previous)
            };
        }
    }
    *previous = pivot;
    Some(())
}

/// Back substitution on the eliminated matrix, with `det` its last pivot: `y = det·x` is
/// integral by Cramer's rule, `y_i = (det·m[i][k] − Σ_{j>i} m[i][j]·y_j) / m[i][i]`, again
/// exact. Signs are then fixed so that the denominator `|det|` is positive.
fn back_substitute<T: Ring>(m: &[T], k: usize, det: T) -> IntegerSolution {
    let w = k + 1;
    // Filled, not `vec![0; k]`: for `i128` that zeroes by `calloc`, which glibc serves without
    // its per-thread cache (slower than `malloc` and a fill for a handful of entries).
    let mut y: Vec<T> = Vec::with_capacity(k);
    y.resize(k, T::from_i64(0));
    for i in (0..k).rev() {
        let mut acc = det.mul(&m[i * w + k]);
        for j in i + 1..k {
            acc = acc.sub(&m[i * w + j].mul(&y[j]));
        }
        y[i] = acc.div_exact(&m[i * w + i]);
    }
    let negate = det.is_negative();
    let sign = |v: T| if negate { v.neg() } else { v };
    IntegerSolution {
        denominator: sign(det).into_ibig(),
        numerators: y.into_iter().map(|v| sign(v).into_ibig()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dashu::base::Abs;
    use proptest::prelude::*;

    /// `a·numerators == denominator·b`, checked in `IBig`.
    fn solves(k: usize, a: &[i64], b: &[i64], s: &IntegerSolution) -> bool {
        (0..k).all(|i| {
            let lhs = (0..k).fold(IBig::ZERO, |acc, j| {
                acc + IBig::from(a[i * k + j]) * &s.numerators[j]
            });
            lhs == &s.denominator * IBig::from(b[i])
        })
    }

    /// Determinant by cofactor expansion along the first row (brute force, small `k`).
    fn brute_det(k: usize, a: &[i64]) -> IBig {
        if k == 0 {
            return IBig::from(1);
        }
        (0..k).fold(IBig::ZERO, |acc, c| {
            let minor: Vec<i64> = (1..k)
                .flat_map(|i| (0..k).filter(move |&j| j != c).map(move |j| a[i * k + j]))
                .collect();
            let term = IBig::from(a[c]) * brute_det(k - 1, &minor);
            if c % 2 == 0 {
                acc + term
            } else {
                acc - term
            }
        })
    }

    #[test]
    fn two_by_two_matches_cramers_rule_by_hand() {
        // 2x + y = 3, x + 3y = 5: det 5, x = (9 − 5)/5 = 4/5, y = (10 − 3)/5 = 7/5.
        let s = solve_integer_system(2, &[2, 1, 1, 3], &[3, 5]).unwrap();
        assert_eq!(s.denominator, IBig::from(5));
        assert_eq!(s.numerators, vec![IBig::from(4), IBig::from(7)]);
    }

    #[test]
    fn a_zero_leading_entry_needs_a_row_swap_and_a_negative_determinant_is_flipped() {
        // 0·x + y = 2, x + 0·y = 3: det −1, so the denominator is 1 and x = 3, y = 2.
        let s = solve_integer_system(2, &[0, 1, 1, 0], &[2, 3]).unwrap();
        assert_eq!(s.denominator, IBig::from(1));
        assert_eq!(s.numerators, vec![IBig::from(3), IBig::from(2)]);
    }

    #[test]
    fn singular_systems_and_wrong_shapes_give_none() {
        assert_eq!(solve_integer_system(2, &[1, 2, 2, 4], &[1, 1]), None);
        assert_eq!(
            solve_integer_system(3, &[1, 2, 3, 4, 5, 6, 7, 8, 9], &[1, 0, 0]),
            None
        );
        assert_eq!(solve_integer_system(2, &[1, 2, 3], &[1, 1]), None);
    }

    #[test]
    fn large_entries_take_the_big_integer_path_and_stay_exact() {
        // Entries near 2^62: Hadamard's bound is far beyond i128.
        let big = 1i64 << 62;
        let a = [big, big - 1, big - 3, big - 7, 5, big, 1, big - 2, big - 5];
        let b = [big - 11, 3, big];
        assert!(!HadamardBound::new(3, &a, &b).step_fits_i128(0));
        let s = solve_integer_system(3, &a, &b).unwrap();
        assert!(solves(3, &a, &b, &s));
        assert_eq!(s.denominator, brute_det(3, &a).abs());
    }

    #[test]
    fn payoff_sized_systems_switch_to_big_integers_part_way() {
        // 8×8 with entries up to 2000 (Lemke–Howson's shifted payoffs): the first steps fit
        // i128, the last do not.
        let a: Vec<i64> = (0..64)
            .map(|e: i64| 1000 + (e * 7919 + e * e * 104_729) % 1000)
            .collect();
        let b = vec![1i64; 8];
        let bound = HadamardBound::new(8, &a, &b);
        assert!(bound.step_fits_i128(0) && !bound.step_fits_i128(7));
        let s = solve_integer_system(8, &a, &b).unwrap();
        assert!(solves(8, &a, &b, &s));
        assert_eq!(s.denominator, brute_det(8, &a).abs());
    }

    proptest! {
        /// Random systems, singular ones included (entries from a narrow range): the answer
        /// multiplies back exactly, its denominator is `|det a|` by cofactor expansion, and
        /// `None` comes exactly when that determinant is zero.
        #[test]
        fn random_systems_multiply_back_exactly(
            (k, a, b) in (1usize..=5).prop_flat_map(|k| (
                Just(k),
                prop::collection::vec(-3i64..=3, k * k),
                prop::collection::vec(-5i64..=5, k),
            ))
        ) {
            let det = brute_det(k, &a);
            match solve_integer_system(k, &a, &b) {
                None => prop_assert_eq!(det, IBig::ZERO),
                Some(s) => {
                    prop_assert!(solves(k, &a, &b, &s));
                    prop_assert_eq!(s.denominator, det.abs());
                }
            }
        }

        /// Entries wide enough that some systems pass Hadamard's test and others do not:
        /// both paths multiply back exactly.
        #[test]
        fn wide_entries_multiply_back_exactly(
            (k, a, b) in (1usize..=6).prop_flat_map(|k| (
                Just(k),
                prop::collection::vec(-(1i64 << 40)..(1i64 << 40), k * k),
                prop::collection::vec(-(1i64 << 40)..(1i64 << 40), k),
            ))
        ) {
            if let Some(s) = solve_integer_system(k, &a, &b) {
                prop_assert!(solves(k, &a, &b, &s));
                prop_assert_eq!(s.denominator, brute_det(k, &a).abs());
            } else {
                prop_assert_eq!(brute_det(k, &a), IBig::ZERO);
            }
        }
    }
}
