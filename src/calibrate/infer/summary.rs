//! Weighted posterior summaries: moments, quantiles, shrinkage and predictive bands.
//!
//! Means and standard deviations are the weighted sample's own, Σ wₛ xₛ and
//! (Σ wₛ (xₛ − x̄)²)^½ (no small-sample correction: the weights are normalised, and an effective
//! sample below the engine's ESS threshold is not summarised by default). Quantiles are those
//! of [`weighted_quantile`], at the sweep's probabilities (`sweep::quantiles::PROBABILITIES`).

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
/// zero are ignored. `None` when no value has weight.
pub fn weighted_quantile(values: &[f64], weights: &[f64], p: f64) -> Option<f64> {
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

/// [`weighted_quantile`] of (value, weight) pairs sorted by value, weights positive.
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
        return Err(Error::TooLarge(format!(
            "predictive bands of {outputs} outputs over {} draws need {values} numbers in \
             memory, more than the limit of {MAX_CALIBRATION_VALUES}",
            kept.len()
        )));
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
