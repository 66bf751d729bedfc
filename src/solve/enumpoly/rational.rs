//! Exact recovery: the simplest rationals near a float equilibrium, for exact certification.
//!
//! Many equilibria of games with rational payoffs are rational (all of them for two players,
//! and e.g. all nine of McKelvey & McLennan's 2×2×2 example). Each probability `x` is replaced by
//! the simplest rational (least denominator) in `[x − t, x + t]`, `t` =
//! [`tol::RATIONAL_RECOVERY`], found from the continued fractions of the interval's ends
//! (Khinchin, "Continued Fractions", §6; computed exactly, from the exact value of the `f64`),
//! if its denominator is at most [`limits::MAX_RECOVERED_DENOMINATOR`]; each player's vector is
//! then divided by its exact sum. Whether the guess is right is decided by exact certification.

use crate::limits;
use crate::num::{from_f64, tol, IBig, Q};

/// Continued-fraction terms tried before giving up (denominators at least double every two
/// terms, so 64 terms exceed any denominator the limit allows).
const MAX_TERMS: usize = 64;

/// The simplest rational within `tolerance` of `x`, if its denominator is at most
/// `max_denominator`.
pub fn simplest_rational(x: f64, max_denominator: u64, tolerance: f64) -> Option<Q> {
    simplest_rational_u128(x, max_denominator, tolerance)
        .unwrap_or_else(|| simplest_rational_exact(x, max_denominator, tolerance))
}

/// [`simplest_rational`] in exact rational arithmetic, for any finite `x`.
fn simplest_rational_exact(x: f64, max_denominator: u64, tolerance: f64) -> Option<Q> {
    let (x, t) = (from_f64(x)?, from_f64(tolerance)?);
    let (lo, hi) = (&x - &t, &x + &t);
    let found = if lo <= Q::ZERO && Q::ZERO <= hi {
        Q::ZERO
    } else if hi < Q::ZERO {
        -simplest_between(-hi, -lo)?
    } else {
        simplest_between(lo, hi)?
    };
    (*found.denominator() <= max_denominator.into()).then_some(found)
}

/// [`simplest_rational`] in 128-bit integers, for `0 ≤ x ≤ 1` and `tolerance > 0` whose exact
/// values, over a common power of two, fit (every probability but a vanishing one, at the
/// tolerances used): the same continued-fraction recursion as [`simplest_between`], each
/// interval end kept as an unreduced fraction whose terms shrink as in Euclid's algorithm, so
/// they never overflow, and a convergent that overflows has a denominator beyond any `u64`
/// limit. `None` when the fast path does not apply.
fn simplest_rational_u128(x: f64, max_denominator: u64, tolerance: f64) -> Option<Option<Q>> {
    if !((0.0..=1.0).contains(&x) && tolerance > 0.0 && tolerance.is_finite()) {
        return None;
    }
    // An interval narrower than 1 holds at most one integer, and an integer is the simplest
    // rational of any interval holding it: the pure strategies' 0 and 1.
    if x <= tolerance {
        return Some(Some(Q::ZERO));
    }
    if 1.0 - x <= tolerance && tolerance < 0.5 {
        return Some(Some(Q::ONE));
    }
    // x = mx·2^ex, t = mt·2^et exactly; over 2^k with k = −min(ex, et)
    let (mx, ex) = dyadic(x);
    let (mt, et) = dyadic(tolerance);
    let low = ex.min(et);
    let k = u32::try_from(-low).ok().filter(|&k| k <= 120)?;
    let nx = u128::from(mx).checked_shl(u32::try_from(ex - low).ok()?)?;
    let nt = u128::from(mt).checked_shl(u32::try_from(et - low).ok()?)?;
    if nx >> 120 != 0 || nt >> 120 != 0 {
        return None;
    }
    let denominator = 1u128 << k;
    let (mut a, mut b, mut c, mut d) = (nx - nt, denominator, nx + nt, denominator);
    // The continued fraction's terms are folded in as they come, by the convergents'
    // recurrence `h_j = t_j·h_{j−1} + h_{j−2}` (likewise `k_j`; Khinchin §2), whose values the
    // result's exceed: a denominator `k_j` over the limit already decides the answer.
    let (mut h, mut h_before, mut k, mut k_before) = (1u128, 0u128, 0u128, 1u128);
    let limit = u128::from(max_denominator);
    for _ in 0..MAX_TERMS {
        // lo = a/b and hi = c/d, 0 < lo ≤ hi
        let ceiling = a.div_ceil(b);
        if ceiling.checked_mul(d).is_some_and(|v| v <= c) {
            let p = ceiling.checked_mul(h)?.checked_add(h_before)?;
            let q = ceiling.checked_mul(k)?.checked_add(k_before)?;
            return Some((q <= limit).then(|| Q::from_parts(IBig::from(p), q.into())));
        }
        let floor = a / b;
        (h, h_before) = (floor.checked_mul(h)?.checked_add(h_before)?, h);
        (k, k_before) = (floor.checked_mul(k)?.checked_add(k_before)?, k);
        if k > limit {
            return Some(None);
        }
        (a, b, c, d) = (d, c - floor * d, b, a - floor * b);
    }
    Some(None)
}

/// A finite nonnegative `x` as `m·2^e` exactly.
fn dyadic(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), exponent - 1075)
    }
}

/// The simplest rational in `[lo, hi]`, `0 < lo ≤ hi`: the smallest integer at least `lo` if it
/// is at most `hi`, else `f + 1/r` with `f = ⌊lo⌋` and `r` the simplest rational in
/// `[1/(hi − f), 1/(lo − f)]`.
fn simplest_between(mut lo: Q, mut hi: Q) -> Option<Q> {
    let mut terms: Vec<IBig> = Vec::new();
    for _ in 0..MAX_TERMS {
        let ceiling = lo.ceil();
        if Q::from(ceiling.clone()) <= hi {
            let last = Q::from(ceiling);
            return Some(
                terms
                    .into_iter()
                    .rev()
                    .fold(last, |r, f| Q::from(f) + Q::ONE / r),
            );
        }
        let floor = lo.floor();
        let whole = Q::from(floor.clone());
        terms.push(floor);
        (lo, hi) = (Q::ONE / (&hi - &whole), Q::ONE / (&lo - &whole));
    }
    None
}

/// The profile with each probability replaced by its simplest nearby rational and each player's
/// vector renormalised exactly; `None` when some probability has no such rational.
///
/// The guesses of an equilibrium's probabilities usually sum to exactly 1 already (they are
/// its probabilities): the zeros are left out of the sum and a sum of 1 divides nothing, so a
/// pure strategy costs no rational arithmetic at all.
pub fn exact_guess(profile: &[Vec<f64>]) -> Option<Vec<Vec<Q>>> {
    profile
        .iter()
        .map(|strategy| {
            let mut guess = Vec::with_capacity(strategy.len());
            for &p in strategy {
                guess.push(simplest_rational(
                    p,
                    limits::MAX_RECOVERED_DENOMINATOR,
                    tol::RATIONAL_RECOVERY,
                )?);
            }
            let mut nonzero = guess.iter().filter(|v| !v.is_zero());
            let first = nonzero.next()?.clone();
            let sum = nonzero.fold(first, |acc, v| acc + v);
            if sum == Q::ONE {
                Some(guess)
            } else {
                (sum > Q::ZERO).then(|| guess.into_iter().map(|v| v / &sum).collect())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 128-bit path gives what the exact one gives: on uniform draws (mostly no simple
    /// fraction near), on simple fractions off by a rounding, and at several tolerances.
    #[test]
    fn the_integer_path_agrees_with_exact_arithmetic() {
        let mut state: u64 = 17;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut compared = 0;
        for _ in 0..3000 {
            let u = next();
            let d = 1 + (next() * 2000.0) as u64;
            let n = (next() * d as f64).floor();
            for x in [
                u,
                n / d as f64,
                n / d as f64 + 1e-12,
                u * 1e-9,
                1.0 - u * 1e-11,
            ] {
                for (tolerance, limit) in [(1e-10, 1_000_000), (1e-4, 10_000), (1e-13, 1_000_000)] {
                    let fast = simplest_rational_u128(x, limit, tolerance);
                    let exact = simplest_rational_exact(x, limit, tolerance);
                    if let Some(fast) = fast {
                        assert_eq!(fast, exact, "x = {x:e}, tolerance {tolerance:e}");
                        compared += 1;
                    }
                }
            }
        }
        assert!(
            compared > 40_000,
            "the integer path applied {compared} times"
        );
    }
}
