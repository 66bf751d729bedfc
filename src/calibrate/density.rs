//! Prior and posterior densities of each free parameter, as histograms on its declared range.
//!
//! The posterior's is the weighted histogram of the sample: bin j of B over [lo, hi] has height
//! Σ_{θₛ in bin j} wₛ / (hi − lo)/B (weights normalised), so it integrates to 1; the prior's is
//! the uniform density 1/(hi − lo). Bins are closed on the left, the last also on the right.

use super::infer::{UniformBox, WeightedSample};
use serde::Serialize;

/// Bins of each histogram: with an ESS in the thousands, each of 25 bins holds enough
/// effective draws (≈ ESS/25) for its height to be read to about 10 %.
pub const BINS: usize = 25;

/// One parameter's densities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Density {
    pub name: String,
    pub lo: f64,
    pub hi: f64,
    /// The uniform prior's density, 1/(hi − lo).
    pub prior: f64,
    /// Posterior density in each of `BINS` equal bins of [lo, hi].
    pub posterior: Vec<f64>,
}

/// Every free parameter's densities.
pub fn densities(prior: &UniformBox, sample: &WeightedSample) -> Vec<Density> {
    let weights = sample.weights();
    prior
        .dimensions()
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let width = (d.hi - d.lo) / BINS as f64;
            let mut mass = [0.0; BINS];
            for (s, w) in weights.iter().enumerate() {
                let x = sample.point(s)[k];
                let j = (((x - d.lo) / width).floor().max(0.0) as usize).min(BINS - 1);
                mass[j] += w;
            }
            Density {
                name: d.name.clone(),
                lo: d.lo,
                hi: d.hi,
                prior: 1.0 / (d.hi - d.lo),
                posterior: mass.iter().map(|m| m / width).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibrate::infer::Dimension;

    #[test]
    fn histograms_integrate_to_one_and_follow_the_weights() {
        let prior = UniformBox::new(vec![Dimension::new("x", 0.0, 2.0)]).unwrap();
        // Points at 0.01 (weight 3) and 1.99 (weight 1): masses 3/4 and 1/4 in the end bins
        // (bins of width 0.08).
        let sample = WeightedSample::new(
            1,
            vec![0.01, 1.99],
            vec![0.0, 0.0],
            vec![3f64.ln(), 0.0],
            "test",
        )
        .unwrap();
        let d = &densities(&prior, &sample)[0];
        let width = 2.0 / BINS as f64;
        assert!((d.posterior[0] * width - 0.75).abs() < 1e-12);
        assert!((d.posterior[BINS - 1] * width - 0.25).abs() < 1e-12);
        let total: f64 = d.posterior.iter().map(|h| h * width).sum();
        assert!((total - 1.0).abs() < 1e-12);
        assert_eq!(d.prior, 0.5);
    }
}
