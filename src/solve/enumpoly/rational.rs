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
pub fn exact_guess(profile: &[Vec<f64>]) -> Option<Vec<Vec<Q>>> {
    profile
        .iter()
        .map(|strategy| {
            let guess: Vec<Q> = strategy
                .iter()
                .map(|&p| {
                    simplest_rational(p, limits::MAX_RECOVERED_DENOMINATOR, tol::RATIONAL_RECOVERY)
                })
                .collect::<Option<_>>()?;
            let sum = guess.iter().fold(Q::ZERO, |acc, v| acc + v);
            (sum > Q::ZERO).then(|| guess.into_iter().map(|v| v / &sum).collect())
        })
        .collect()
}
