//! Weighted posterior summaries: moments, quantiles, shrinkage and predictive bands.

use super::{UniformBox, WeightedSample};
use crate::Result;
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
/// `infer`: each draw's mass centred on it, linear between draws). Values with weight zero
/// are ignored. `None` when no value has weight.
pub fn weighted_quantile(values: &[f64], weights: &[f64], p: f64) -> Option<f64> {
    let _ = (values, weights, p);
    None
}

/// Prior and posterior summaries of every dimension of the sample.
pub fn summarise(prior: &UniformBox, sample: &WeightedSample) -> Vec<DimensionSummary> {
    let _ = (prior, sample);
    Vec::new()
}

/// Posterior mean and 5/50/95 % band of each output of `derived` (θ ↦ a vector of fixed
/// length), over the draws with nonzero weight, computed in parallel. Refused when the
/// vector's length changes between draws or an output is not finite.
pub fn bands(
    sample: &WeightedSample,
    derived: &(dyn Fn(&[f64]) -> Vec<f64> + Sync),
) -> Result<Vec<Band>> {
    let _ = (sample, derived);
    Err(super::not_yet("posterior predictive bands"))
}
