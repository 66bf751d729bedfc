//! The adaptive temperature schedule of tempered SMC: the next β keeps the conditional ESS
//! at a fixed fraction of its limit (Jasra et al. 2011; CESS of Zhou, Johansen & Aston 2016).
//!
//! With normalised weights Wₛ and incremental weights uₛ = exp(δ ℓₛ), δ = β′ − β:
//! CESS(δ) = N (Σ Wₛ uₛ)² / Σ Wₛ uₛ², computed in log space. As δ ↓ 0 it tends to N times the
//! weight on finite ℓ (particles with ℓ = −∞ get uₛ = 0 for any δ > 0), so the target is
//! α times that limit: a first stage that only removes impossible particles is not asked to
//! do the impossible. Bisection on δ stops when the bracket is narrower than
//! `tol::TEMPER_BISECTION` of the remaining distance to β = 1 — the exact crossing does not
//! matter (any increasing schedule gives a valid sampler), only that the ESS stays near the
//! target.

use super::sample::log_sum_exp;
use crate::num::tol::TEMPER_BISECTION;

/// log CESS(δ) for normalised log-weights `log_w` and log-likelihoods `ll` (δ > 0).
fn log_cess(log_w: &[f64], ll: &[f64], delta: f64) -> f64 {
    let (mut a, mut b) = (Vec::with_capacity(ll.len()), Vec::with_capacity(ll.len()));
    for (w, l) in log_w.iter().zip(ll) {
        let step = if *l == f64::NEG_INFINITY {
            f64::NEG_INFINITY
        } else {
            delta * l
        };
        a.push(w + step);
        b.push(w + 2.0 * step);
    }
    (ll.len() as f64).ln() + 2.0 * log_sum_exp(&a) - log_sum_exp(&b)
}

/// The next temperature after `beta` (< 1), given the particles' normalised log-weights and
/// log-likelihoods, keeping CESS at `fraction` of its limit; 1 when β = 1 already does.
/// `None` when no particle has a finite log-likelihood.
pub(super) fn next_beta(beta: f64, log_w: &[f64], ll: &[f64], fraction: f64) -> Option<f64> {
    let finite: Vec<f64> = log_w
        .iter()
        .zip(ll)
        .filter(|(_, l)| l.is_finite())
        .map(|(w, _)| *w)
        .collect();
    let log_mass = log_sum_exp(&finite);
    if log_mass == f64::NEG_INFINITY {
        return None;
    }
    let target = fraction.ln() + (ll.len() as f64).ln() + log_mass;
    let (mut lo, mut hi) = (0.0, 1.0 - beta);
    if log_cess(log_w, ll, hi) >= target {
        return Some(1.0);
    }
    while hi - lo > TEMPER_BISECTION * (1.0 - beta) {
        let mid = 0.5 * (lo + hi);
        if log_cess(log_w, ll, mid) >= target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    // lo keeps the CESS at or above the target; it is positive unless the crossing lies within
    // the last bracket of 0, where hi is the smallest step that moves.
    Some(beta + if lo > 0.0 { lo } else { hi })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_beta_hits_the_target_cess() {
        // Equal weights, ℓ = −s/10 for s = 0 … 999: CESS at the chosen step is half of N.
        let n = 1000;
        let ll: Vec<f64> = (0..n).map(|s| -(s as f64) / 10.0).collect();
        let log_w = vec![-(n as f64).ln(); n];
        let beta = next_beta(0.0, &log_w, &ll, 0.5).unwrap();
        assert!(beta > 0.0 && beta < 1.0);
        // Independent check: CESS computed on the natural scale.
        let u: Vec<f64> = ll.iter().map(|l| (beta * l).exp()).collect();
        let (s1, s2) = (u.iter().sum::<f64>(), u.iter().map(|x| x * x).sum::<f64>());
        let cess = s1 * s1 / s2; // N (Σ u/N)² / (Σ u²/N)
        assert!((cess - 500.0).abs() < 0.5, "{cess}");
    }

    #[test]
    fn flat_likelihoods_go_straight_to_one_and_impossible_ones_do_not_block() {
        let log_w = vec![-(4f64).ln(); 4];
        assert_eq!(next_beta(0.0, &log_w, &[-3.0; 4], 0.5), Some(1.0));
        // Half the particles impossible, the rest flat: the limit is N/2, reached at β = 1.
        let ll = [f64::NEG_INFINITY, -1.0, f64::NEG_INFINITY, -1.0];
        assert_eq!(next_beta(0.0, &log_w, &ll, 0.5), Some(1.0));
        assert_eq!(next_beta(0.0, &log_w, &[f64::NEG_INFINITY; 4], 0.5), None);
    }
}
