//! A weighted sample of parameter points, log-space weight arithmetic and resampling.
//!
//! Weights are kept as logarithms normalised by log-sum-exp, log Σ exp xₛ = m + log Σ exp(xₛ − m)
//! with m = max xₛ, so likelihoods far below the smallest double (e⁻¹⁰⁰⁰) keep their ratios.
//! Kish's effective sample size (Σ w)² / Σ w² (Kish 1965) is N for equal weights and 1 when one
//! draw has all the weight.

use crate::sweep::rng::PointRng;
use crate::{Error, Result};

/// log Σ exp xₛ; −∞ for an empty slice or when every xₛ is −∞.
pub fn log_sum_exp(values: &[f64]) -> f64 {
    let m = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + values.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
}

/// Kish's effective sample size of (unnormalised) log-weights; 0 when every weight is zero.
pub fn kish_ess(log_weights: &[f64]) -> f64 {
    let m = log_weights
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return 0.0;
    }
    let (s1, s2) = log_weights.iter().fold((0.0, 0.0), |(s1, s2), x| {
        let w = (x - m).exp();
        (s1 + w, s2 + w * w)
    });
    s1 * s1 / s2
}

/// Points θₛ (row-major, d numbers each) with normalised weights and their log-likelihoods.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedSample {
    dim: usize,
    points: Vec<f64>,
    log_likelihoods: Vec<f64>,
    log_weights: Vec<f64>,
    ess: f64,
}

impl WeightedSample {
    /// The sample of `points` (n × `dim`, row-major) with unnormalised `log_weights` and the
    /// full-data log-likelihood of each point. Refused when the sizes disagree, when a weight is
    /// NaN or +∞, or when every weight is zero (`what` names the sample in that message).
    pub fn new(
        dim: usize,
        points: Vec<f64>,
        log_likelihoods: Vec<f64>,
        mut log_weights: Vec<f64>,
        what: &str,
    ) -> Result<WeightedSample> {
        let n = log_weights.len();
        if dim == 0 || points.len() != n * dim || log_likelihoods.len() != n {
            return Err(Error::Solver(format!(
                "{what}: {} numbers for {n} points of dimension {dim} and {} log-likelihoods",
                points.len(),
                log_likelihoods.len()
            )));
        }
        if let Some(s) = log_weights
            .iter()
            .position(|w| w.is_nan() || *w == f64::INFINITY)
        {
            return Err(Error::Solver(format!(
                "{what}: the log-weight of point {s} is {} (at θ = {:?})",
                log_weights[s],
                &points[s * dim..(s + 1) * dim]
            )));
        }
        let total = log_sum_exp(&log_weights);
        if total == f64::NEG_INFINITY {
            return Err(Error::Unsupported(format!(
                "{what}: every one of the {n} points has weight zero (log-likelihood −∞): the \
                 data are impossible under every parameter value drawn; check the data and the \
                 ranges, or draw more points"
            )));
        }
        log_weights.iter_mut().for_each(|w| *w -= total);
        let ess = kish_ess(&log_weights);
        Ok(WeightedSample {
            dim,
            points,
            log_likelihoods,
            log_weights,
            ess,
        })
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.log_weights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.log_weights.is_empty()
    }

    /// Dimension d of each point.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Point s.
    pub fn point(&self, s: usize) -> &[f64] {
        &self.points[s * self.dim..(s + 1) * self.dim]
    }

    /// All points, row-major.
    pub fn points(&self) -> &[f64] {
        &self.points
    }

    /// Normalised log-weights (their log-sum-exp is 0; −∞ is weight zero).
    pub fn log_weights(&self) -> &[f64] {
        &self.log_weights
    }

    /// Normalised weights (summing to 1).
    pub fn weights(&self) -> Vec<f64> {
        self.log_weights.iter().map(|w| w.exp()).collect()
    }

    /// The full-data log-likelihood ℓ(θₛ) of each point.
    pub fn log_likelihoods(&self) -> &[f64] {
        &self.log_likelihoods
    }

    /// Kish's effective sample size of the weights.
    pub fn ess(&self) -> f64 {
        self.ess
    }

    /// `count` independent draws from the weighted sample (multinomial resampling: each draw
    /// is point s with probability wₛ), d numbers each, row-major; the uniforms come from
    /// `rng`.
    pub fn draw_iid(&self, count: usize, rng: &mut PointRng) -> Vec<f64> {
        let cumulative = cumulative_weights(&self.log_weights);
        let mut out = Vec::with_capacity(count * self.dim);
        for _ in 0..count {
            let s = pick(&cumulative, rng.unit());
            out.extend_from_slice(self.point(s));
        }
        out
    }
}

/// Running sums of exp(log-weights), normalised so the last is 1.
fn cumulative_weights(log_weights: &[f64]) -> Vec<f64> {
    let mut total = 0.0;
    let mut c: Vec<f64> = log_weights
        .iter()
        .map(|w| {
            total += w.exp();
            total
        })
        .collect();
    c.iter_mut().for_each(|x| *x /= total);
    c
}

/// The first index whose cumulative weight exceeds u (skipping zero-weight points).
fn pick(cumulative: &[f64], u: f64) -> usize {
    cumulative
        .partition_point(|&c| c <= u)
        .min(cumulative.len() - 1)
}

/// Systematic resampling (Carpenter, Clifford & Fearnhead 1999): `count` indices, index s
/// once for each of the points (u + k)/count, k = 0 … count − 1, in its cumulative-weight
/// interval. Each index appears ⌊count·wₛ⌋ or ⌈count·wₛ⌉ times.
pub(super) fn systematic(log_weights: &[f64], count: usize, u: f64) -> Vec<usize> {
    let cumulative = cumulative_weights(log_weights);
    let mut out = Vec::with_capacity(count);
    let mut s = 0;
    for k in 0..count {
        let point = (u + k as f64) / count as f64;
        while s + 1 < cumulative.len() && cumulative[s] <= point {
            s += 1;
        }
        out.push(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_sum_exp_keeps_tiny_likelihoods() {
        // log(e^-1000 + e^-1001) = -1000 + log(1 + 1/e).
        let got = log_sum_exp(&[-1000.0, -1001.0, f64::NEG_INFINITY]);
        assert!((got - (-1000.0 + (1.0 + (-1f64).exp()).ln())).abs() < 1e-12);
        assert_eq!(log_sum_exp(&[]), f64::NEG_INFINITY);
        assert_eq!(log_sum_exp(&[f64::NEG_INFINITY; 3]), f64::NEG_INFINITY);
    }

    #[test]
    fn kish_ess_of_known_weights() {
        assert!((kish_ess(&[0.0; 8]) - 8.0).abs() < 1e-12);
        // Weights 1, 1, 2: (4)^2 / 6.
        let lw = [0.0, 0.0, 2f64.ln()];
        assert!((kish_ess(&lw) - 16.0 / 6.0).abs() < 1e-12);
        assert!((kish_ess(&[5.0, f64::NEG_INFINITY]) - 1.0).abs() < 1e-12);
        assert_eq!(kish_ess(&[f64::NEG_INFINITY]), 0.0);
    }

    #[test]
    fn samples_with_no_weight_or_bad_weights_are_refused() {
        let none = WeightedSample::new(
            1,
            vec![0.1, 0.2],
            vec![0.0; 2],
            vec![f64::NEG_INFINITY; 2],
            "t",
        );
        assert!(none.unwrap_err().to_string().contains("weight zero"));
        assert!(WeightedSample::new(1, vec![0.1], vec![0.0], vec![f64::NAN], "t").is_err());
        assert!(WeightedSample::new(2, vec![0.1], vec![0.0], vec![0.0], "t").is_err());
        let ok = WeightedSample::new(
            1,
            vec![0.1, 0.2],
            vec![0.0; 2],
            vec![-700.0, -700.0 + 3f64.ln()],
            "t",
        );
        let w = ok.unwrap().weights();
        assert!((w[0] - 0.25).abs() < 1e-12 && (w[1] - 0.75).abs() < 1e-12);
    }

    #[test]
    fn systematic_resampling_copies_in_proportion() {
        // Weights 0.1, 0.6, 0.3 and 10 draws: exactly 1, 6 and 3 copies whatever u.
        let lw: Vec<f64> = [0.1f64, 0.6, 0.3].iter().map(|w| w.ln()).collect();
        for u in [0.05, 0.37, 0.95] {
            let idx = systematic(&lw, 10, u);
            let count = |s| idx.iter().filter(|&&i| i == s).count();
            assert_eq!((count(0), count(1), count(2)), (1, 6, 3), "{u}");
        }
        let zero_first = [f64::NEG_INFINITY, 0.0];
        assert_eq!(systematic(&zero_first, 3, 0.0), vec![1, 1, 1]);
    }

    #[test]
    fn iid_draws_follow_the_weights() {
        let lw: Vec<f64> = [0.2f64, 0.8].iter().map(|w| w.ln()).collect();
        let s = WeightedSample::new(1, vec![0.0, 1.0], vec![0.0; 2], lw, "t").unwrap();
        let draws = s.draw_iid(20_000, &mut PointRng::new(3, 0));
        let share = draws.iter().sum::<f64>() / 20_000.0;
        // Binomial sd of the share: sqrt(0.16/20000) = 0.0028; 4 sd.
        assert!((share - 0.8).abs() < 0.012, "{share}");
    }
}
