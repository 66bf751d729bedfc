//! Exact solution of a square integer system `a·x = b` by fraction-free Gaussian elimination
//! (Bareiss 1968, "Sylvester's identity and multistep integer-preserving Gaussian
//! elimination", the one-step method).
//!
//! Why: exact solvers recover a point from a small square system of tight constraints (the
//! supports of a Lemke–Howson end, say). Rational elimination normalises every entry by a gcd;
//! Bareiss' elimination keeps every intermediate entry an integer — a minor of `[a | b]`, by
//! Sylvester's identity — and its only divisions are exact. When Hadamard's bound shows that
//! every product of two minors fits an `i128`, the whole elimination runs in machine integers;
//! otherwise in `IBig`.

use crate::num::IBig;

/// `x = numerators / denominator`, with `denominator > 0` (not necessarily in lowest terms:
/// it is `|det a|`, and the numerators are Cramer's `±det a_j`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegerSolution {
    pub numerators: Vec<IBig>,
    pub denominator: IBig,
}

/// The solution of the `k × k` system `a·x = b` (`a` row-major), or `None` when `a` is
/// singular or the slices do not have `k·k` and `k` entries.
pub fn solve_integer_system(k: usize, a: &[i64], b: &[i64]) -> Option<IntegerSolution> {
    if a.len() != k * k || b.len() != k {
        return None;
    }
    if fits_i128(k, a, b) {
        eliminate::<i128>(k, a, b)
    } else {
        eliminate::<IBig>(k, a, b)
    }
}

/// Does every number Bareiss' elimination forms fit an `i128`?
///
/// Every entry it stores is a minor of the augmented matrix `[a | b]`, so at most Hadamard's
/// bound `H = Π_rows max(1, ‖row‖₂)` in absolute value. It also forms products of two minors
/// (elimination) and sums of up to `k + 1` of them (back substitution): below `(k + 1)·H²`.
/// The bound is taken in `log₂` with a margin of two bits for the rounding of `f64`.
fn fits_i128(k: usize, a: &[i64], b: &[i64]) -> bool {
    let log2_h: f64 = (0..k)
        .map(|i| {
            let squares: f64 = a[i * k..(i + 1) * k]
                .iter()
                .chain(std::iter::once(&b[i]))
                .map(|&v| (v as f64) * (v as f64))
                .sum();
            0.5 * squares.max(1.0).log2()
        })
        .sum();
    2.0 * log2_h + ((k + 1) as f64).log2() + 2.0 <= 126.0
}

/// The integer operations elimination needs, on `i128` (callers have checked the bound with
/// [`fits_i128`]) and on `IBig`.
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
    fn cross(&self, c: &Self, d: &Self, e: &Self) -> Self {
        self * c - d * e
    }
    fn mul(&self, other: &Self) -> Self {
        self * other
    }
    fn sub(&self, other: &Self) -> Self {
        self - other
    }
    fn div_exact(&self, other: &Self) -> Self {
        self / other
    }
    fn neg(&self) -> Self {
        -self
    }
    fn into_ibig(self) -> IBig {
        IBig::from(self)
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
    fn cross(&self, c: &Self, d: &Self, e: &Self) -> Self {
        self * c - d * e
    }
    fn mul(&self, other: &Self) -> Self {
        self * other
    }
    fn sub(&self, other: &Self) -> Self {
        self - other
    }
    fn div_exact(&self, other: &Self) -> Self {
        self / other
    }
    fn neg(&self) -> Self {
        -self
    }
    fn into_ibig(self) -> IBig {
        self
    }
}

/// Forward elimination on `[a | b]`: step `s` replaces every entry below and right of the
/// pivot by `(m[s][s]·m[i][j] − m[i][s]·m[s][j]) / previous pivot`, an exact division
/// (Bareiss 1968, eq. 8); row swaps find a nonzero pivot. The last pivot is `±det a =: d`.
/// Back substitution then finds `y = d·x`, integral by Cramer's rule:
/// `y_i = (d·m[i][k] − Σ_{j>i} m[i][j]·y_j) / m[i][i]`, again exact.
fn eliminate<T: Ring>(k: usize, a: &[i64], b: &[i64]) -> Option<IntegerSolution> {
    let w = k + 1;
    let mut m: Vec<T> = Vec::with_capacity(k * w);
    for i in 0..k {
        m.extend(a[i * k..(i + 1) * k].iter().map(|&v| T::from_i64(v)));
        m.push(T::from_i64(b[i]));
    }
    let mut previous = T::from_i64(1);
    for s in 0..k {
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
                m[i * w + j] = updated.div_exact(&previous);
            }
        }
        previous = pivot;
    }
    let det = previous;
    let mut y: Vec<T> = vec![T::from_i64(0); k];
    for i in (0..k).rev() {
        let mut acc = det.mul(&m[i * w + k]);
        for j in i + 1..k {
            acc = acc.sub(&m[i * w + j].mul(&y[j]));
        }
        y[i] = acc.div_exact(&m[i * w + i]);
    }
    let negate = det.is_negative();
    let sign = |v: T| if negate { v.neg() } else { v };
    Some(IntegerSolution {
        denominator: sign(det).into_ibig(),
        numerators: y.into_iter().map(|v| sign(v).into_ibig()).collect(),
    })
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
        assert!(!fits_i128(3, &a, &b));
        let s = solve_integer_system(3, &a, &b).unwrap();
        assert!(solves(3, &a, &b, &s));
        assert_eq!(s.denominator, brute_det(3, &a).abs());
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
