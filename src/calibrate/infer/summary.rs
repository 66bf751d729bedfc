//! Weighted posterior summaries: moments, quantiles, shrinkage and predictive bands.
//!
//! Means and standard deviations are the weighted sample's own, Σ wₛ xₛ and
//! (Σ wₛ (xₛ − x̄)²)^½ (no small-sample correction: the weights are normalised, and an effective
//! sample below the engine's ESS threshold is not summarised by default). Quantiles are those
//! of the weighted quantile, at the sweep's probabilities (`sweep::quantiles::PROBABILITIES`).

use super::importance::evaluate;
use super::{UniformBox, WeightedSample};
use crate::limits::MAX_CALIBRATION_VALUES;
use crate::sweep::quantiles::PROBABILITIES;
use crate::{Error, Result};
use indicatif::ProgressBar;
use serde::Serialize;

/// Mean, standard deviation and the 5/50/95 % quantiles of one quantity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moments {
    pub mean: f64,
    pub sd: f64,
    pub q05: f64,
    pub q50: f64,
    pub q95: f64,
}

/// One parameter's prior and posterior, and how much the data narrowed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionSummary {
    pub name: String,
    pub prior: Moments,
    pub posterior: Moments,
    /// Posterior sd / prior sd: 1 when the data say nothing about the parameter, near 0 when
    /// they pin it down.
    pub shrinkage: f64,
}

/// One output of a derived quantity: its posterior mean and 5/50/95 % band.
pub type Band = Moments;

/// Quantile at probability p of values with normalised weights (see the module docs of
/// `infer`: draw k, sorted by value, sits at the cumulative weight before it plus half its
/// own; linear between draws, the smallest or largest value beyond them). Values with weight
/// zero are ignored. `None` when no value has weight. (The summaries sort once and call
/// `quantile_of_sorted`; this is its by-hand-checked entry point for the tests.)
#[cfg(test)]
fn weighted_quantile(values: &[f64], weights: &[f64], p: f64) -> Option<f64> {
    quantile_of_sorted(&sorted_pairs(values, weights), p)
}

/// The (value, weight) pairs of positive weight, sorted by value.
fn sorted_pairs(values: &[f64], weights: &[f64]) -> Vec<(f64, f64)> {
    let mut pairs: Vec<(f64, f64)> = values
        .iter()
        .zip(weights)
        .filter(|(_, w)| **w > 0.0)
        .map(|(v, w)| (*v, *w))
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    pairs
}

/// The weighted quantile at `p` (module docs) of (value, weight) pairs sorted by value, weights
/// positive.
fn quantile_of_sorted(pairs: &[(f64, f64)], p: f64) -> Option<f64> {
    let total: f64 = pairs.iter().map(|(_, w)| w).sum();
    let (first, last) = (pairs.first()?, pairs.last()?);
    let target = p.clamp(0.0, 1.0) * total;
    let mut before = 0.0;
    let mut previous: Option<(f64, f64)> = None; // (position, value)
    for &(v, w) in pairs {
        let position = before + 0.5 * w;
        if target <= position {
            return Some(match previous {
                None => first.0,
                Some((p0, v0)) => v0 + (v - v0) * (target - p0) / (position - p0),
            });
        }
        previous = Some((position, v));
        before += w;
    }
    Some(last.0)
}

/// Weighted moments of `values` (weights normalised; zero weights ignored).
fn moments(values: &[f64], weights: &[f64]) -> Moments {
    let mean: f64 = values.iter().zip(weights).map(|(v, w)| v * w).sum();
    let var: f64 = values
        .iter()
        .zip(weights)
        .filter(|(_, w)| **w > 0.0)
        .map(|(v, w)| w * (v - mean).powi(2))
        .sum();
    let pairs = sorted_pairs(values, weights);
    let q = |p| quantile_of_sorted(&pairs, p).unwrap_or(f64::NAN);
    Moments {
        mean,
        sd: var.sqrt(),
        q05: q(PROBABILITIES[0]),
        q50: q(PROBABILITIES[1]),
        q95: q(PROBABILITIES[2]),
    }
}

/// Prior and posterior summaries of every dimension of the sample.
pub fn summarise(prior: &UniformBox, sample: &WeightedSample) -> Vec<DimensionSummary> {
    let weights = sample.weights();
    let d = sample.dim();
    prior
        .dimensions()
        .iter()
        .enumerate()
        .map(|(k, dim)| {
            let column: Vec<f64> = sample.points().iter().skip(k).step_by(d).copied().collect();
            let posterior = moments(&column, &weights);
            let prior_moments = Moments {
                mean: prior.mean(k),
                sd: prior.sd(k),
                q05: prior.quantile(k, PROBABILITIES[0]),
                q50: prior.quantile(k, PROBABILITIES[1]),
                q95: prior.quantile(k, PROBABILITIES[2]),
            };
            DimensionSummary {
                name: dim.name.clone(),
                shrinkage: posterior.sd / prior_moments.sd,
                prior: prior_moments,
                posterior,
            }
        })
        .collect()
}

/// Posterior mean and 5/50/95 % band of each output of `derived` (θ ↦ a vector of fixed
/// length), over the draws with nonzero weight, computed in parallel. Refused when the
/// vector's length changes between draws, an output is not finite, or draws × outputs exceed
/// `MAX_CALIBRATION_VALUES`.
pub fn bands(
    sample: &WeightedSample,
    derived: &(dyn Fn(&[f64]) -> Vec<f64> + Sync),
) -> Result<Vec<Band>> {
    let d = sample.dim();
    let kept: Vec<usize> = (0..sample.len())
        .filter(|&s| sample.log_weights()[s] > f64::NEG_INFINITY)
        .collect();
    let outputs = derived(sample.point(kept[0])).len();
    let values = kept.len() as u64 * outputs as u64;
    if values > MAX_CALIBRATION_VALUES {
        return Err(Error::limit(
            "MAX_CALIBRATION_VALUES",
            format!(
                "predictive bands of {outputs} outputs over {} draws need {values} numbers in \
             memory, more than the limit of {MAX_CALIBRATION_VALUES}",
                kept.len()
            ),
        ));
    }
    let points: Vec<f64> = kept
        .iter()
        .flat_map(|&s| sample.point(s).to_vec())
        .collect();
    let rows = evaluate(&points, d, derived, &ProgressBar::hidden());
    for (row, &s) in rows.iter().zip(&kept) {
        if row.len() != outputs {
            return Err(Error::Solver(format!(
                "predictive bands: {} outputs at θ = {:?}, {outputs} at the first draw",
                row.len(),
                sample.point(s)
            )));
        }
        if let Some(j) = row.iter().position(|v| !v.is_finite()) {
            return Err(Error::Solver(format!(
                "predictive bands: output {j} is {} at θ = {:?}",
                row[j],
                sample.point(s)
            )));
        }
    }
    let weights: Vec<f64> = kept
        .iter()
        .map(|&s| sample.log_weights()[s].exp())
        .collect();
    Ok((0..outputs)
        .map(|j| {
            let column: Vec<f64> = rows.iter().map(|r| r[j]).collect();
            moments(&column, &weights)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{beta_moments, grid_posterior, ln_beta, log_bernoulli};
    use super::super::{importance_sample, Dimension, ImportanceConfig};
    use super::*;

    #[test]
    fn weighted_quantiles_by_hand() {
        // Masses 0.25, 0.5, 0.25 centred at 0.125, 0.5, 0.875.
        let (v, w) = ([3.0, 1.0, 2.0], [0.25, 0.25, 0.5]);
        assert_eq!(weighted_quantile(&v, &w, 0.5), Some(2.0));
        let q = weighted_quantile(&v, &w, 0.3).unwrap();
        assert!((q - (1.0 + 0.175 / 0.375)).abs() < 1e-12, "{q}");
        assert_eq!(weighted_quantile(&v, &w, 0.05), Some(1.0));
        assert_eq!(weighted_quantile(&v, &w, 0.95), Some(3.0));
        // Equal weights: Hazen's positions (k − ½)/n.
        let (v, w) = ([1.0, 2.0, 3.0, 4.0], [0.25; 4]);
        assert_eq!(weighted_quantile(&v, &w, 0.5), Some(2.5));
        assert_eq!(weighted_quantile(&v, &w, 0.25), Some(1.5));
        assert_eq!(weighted_quantile(&[5.0, 9.0], &[0.0, 0.0], 0.5), None);
        assert_eq!(weighted_quantile(&[5.0, 9.0], &[0.0, 1.0], 0.1), Some(9.0));
    }

    /// p ∈ [0, 1] with likelihood p³(1 − p)¹¹ (posterior Beta(4, 12)) and q ∈ [1, 3] with
    /// x = (q − 1)/2 and likelihood x²(1 − x)⁵ (x ~ Beta(3, 6)): independent dimensions.
    fn two_dimensional() -> (UniformBox, WeightedSample) {
        let prior = UniformBox::new(vec![
            Dimension::new("p", 0.0, 1.0),
            Dimension::new("q", 1.0, 3.0),
        ])
        .unwrap();
        let ll = |t: &[f64]| {
            log_bernoulli(t[0], 3.0, 11.0) + log_bernoulli((t[1] - 1.0) / 2.0, 2.0, 5.0)
        };
        let config = ImportanceConfig {
            samples: 100_000,
            seed: 4,
        };
        let run = importance_sample(&prior, &ll, &config, &ProgressBar::hidden()).unwrap();
        (prior, run.sample)
    }

    #[test]
    fn summaries_match_closed_forms_and_grid_quantiles() {
        let (prior, sample) = two_dimensional();
        let ess = sample.ess();
        assert!(ess > 10_000.0, "{ess}");
        let summary = summarise(&prior, &sample);
        let (pm, ps) = beta_moments(4.0, 12.0);
        let (xm, xs) = beta_moments(3.0, 6.0);
        let exact = [
            (pm, ps, 1.0 / 12f64.sqrt()),
            (1.0 + 2.0 * xm, 2.0 * xs, 2.0 / 12f64.sqrt()),
        ];
        for (s, (mean, sd, prior_sd)) in summary.iter().zip(exact) {
            assert!(
                (s.posterior.mean - mean).abs() < 4.0 * sd / ess.sqrt(),
                "{s:?}"
            );
            // The sd of a sample sd is about sd/√(2 ESS) for a near-normal shape; allow 4 of them
            // doubled for the Beta's tails.
            assert!(
                (s.posterior.sd - sd).abs() < 8.0 * sd / (2.0 * ess).sqrt(),
                "{s:?}"
            );
            assert!((s.prior.sd - prior_sd).abs() < 1e-15);
            assert!(
                (s.shrinkage - sd / prior_sd).abs() < 0.02 * sd / prior_sd,
                "{s:?}"
            );
        }
        assert_eq!((summary[1].prior.mean, summary[1].prior.q05), (2.0, 1.1));
        // Quantiles: the estimate lies between the grid's quantiles at p ± 4 standard errors of
        // a quantile's probability, √(p (1 − p)/ESS).
        let ll_p = |p: f64| log_bernoulli(p, 3.0, 11.0);
        let ll_q = |q: f64| log_bernoulli((q - 1.0) / 2.0, 2.0, 5.0);
        for (k, ll) in [(0, &ll_p as &dyn Fn(f64) -> f64), (1, &ll_q)] {
            let (lo, hi) = (prior.dimensions()[k].lo, prior.dimensions()[k].hi);
            let m = &summary[k].posterior;
            for (p, got) in [(0.05, m.q05), (0.5, m.q50), (0.95, m.q95)] {
                let delta = 4.0 * (p * (1.0 - p) / ess).sqrt();
                let (_, _, q) = grid_posterior(ll, lo, hi, 100_000, &[p - delta, p + delta]);
                assert!(
                    q[0] <= got && got <= q[1],
                    "dimension {k}, p = {p}: {got} ∉ {q:?}"
                );
            }
        }
    }

    #[test]
    fn predictive_bands_match_a_closed_form_and_are_equivariant() {
        let (prior, sample) = two_dimensional();
        let survive_4 = |t: &[f64]| vec![(1.0 - t[0]).powi(4), 2.0 * t[0] + 1.0];
        let b = bands(&sample, &survive_4).unwrap();
        // E[(1 − p)⁴] under Beta(4, 12) is B(4, 16)/B(4, 12); its variance uses B(4, 20).
        let mean = (ln_beta(4.0, 16.0) - ln_beta(4.0, 12.0)).exp();
        let second = (ln_beta(4.0, 20.0) - ln_beta(4.0, 12.0)).exp();
        let sd = (second - mean * mean).sqrt();
        assert!(
            (b[0].mean - mean).abs() < 4.0 * sd / sample.ess().sqrt(),
            "{:?} vs {mean}",
            b[0]
        );
        assert!((b[0].sd - sd).abs() < 0.05 * sd, "{:?} vs {sd}", b[0]);
        // Quantiles commute with the increasing map p ↦ 2p + 1.
        let p = &summarise(&prior, &sample)[0].posterior;
        for (got, base) in [(b[1].q05, p.q05), (b[1].q50, p.q50), (b[1].q95, p.q95)] {
            assert!((got - (2.0 * base + 1.0)).abs() < 1e-12);
        }
        // (1 − p)⁴ is decreasing in p: its 5 % quantile is the image of p's 95 % (up to the
        // linear interpolation between neighbouring draws, which a curved map does not keep).
        assert!((b[0].q05 - (1.0 - p.q95).powi(4)).abs() < 1e-6);
    }

    #[test]
    fn ragged_or_non_finite_outputs_are_refused() {
        let (_, sample) = two_dimensional();
        let ragged = |t: &[f64]| vec![0.0; if t[0] < 0.5 { 1 } else { 2 }];
        assert!(bands(&sample, &ragged)
            .unwrap_err()
            .to_string()
            .contains("outputs"));
        let nan = |t: &[f64]| vec![if t[0] < 0.5 { 0.0 } else { f64::NAN }];
        assert!(bands(&sample, &nan).is_err());
    }
}
