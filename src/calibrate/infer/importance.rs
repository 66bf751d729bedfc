//! Importance sampling with the prior as proposal: N prior draws weighted by their likelihood.
//!
//! Draw s reads ChaCha8 stream s under the seed, and the likelihoods are computed in parallel
//! (rayon) into their own slots, so the sample is the same for any number of threads. The
//! evidence estimate log Z = log-sum-exp(ℓ) − log N is unbiased for Z on the natural scale.

use super::sample::{log_sum_exp, WeightedSample};
use super::{LogLikelihood, UniformBox};
use crate::limits::{MAX_CALIBRATION_SAMPLES, MAX_CALIBRATION_VALUES};
use crate::sweep::rng::PointRng;
use crate::{Error, Result};
use indicatif::ProgressBar;
use rayon::prelude::*;
use serde::Serialize;

/// Draws whose likelihoods one rayon task computes before reporting progress.
const CHUNK: usize = 256;

/// How many prior draws, and the seed of their streams.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportanceConfig {
    /// N, the number of prior draws (default 20,000).
    pub samples: u64,
    /// Seed of the draws' random streams (default 1).
    pub seed: u64,
}

impl Default for ImportanceConfig {
    fn default() -> Self {
        ImportanceConfig {
            samples: 20_000,
            seed: 1,
        }
    }
}

/// The weighted prior sample and its diagnostics.
#[derive(Debug, Clone)]
pub struct ImportanceRun {
    /// The draws with weights ∝ likelihood.
    pub sample: WeightedSample,
    /// log Z, Z = (1/N) Σ exp ℓ(θₛ), the estimated marginal likelihood p(y).
    pub log_evidence: f64,
    /// Draws with likelihood zero (ℓ = −∞).
    pub zero_weight: usize,
}

/// Refuse `count` points of `per_point` numbers each above the limits (or zero points); the
/// count as a `usize`. `what` names the points in the message.
pub(super) fn check_count(count: u64, per_point: usize, what: &str) -> Result<usize> {
    if count == 0 {
        return Err(Error::Usage(format!(
            "{what}: the number of draws must be at least 1"
        )));
    }
    if count > MAX_CALIBRATION_SAMPLES {
        return Err(Error::limit(
            "MAX_CALIBRATION_SAMPLES",
            format!("{what}: {count} draws, more than the limit of {MAX_CALIBRATION_SAMPLES}"),
        ));
    }
    let values = count.saturating_mul(per_point as u64);
    if values > MAX_CALIBRATION_VALUES {
        return Err(Error::limit(
            "MAX_CALIBRATION_VALUES",
            format!(
            "{what}: {count} draws × {per_point} numbers each need {values} numbers in memory, \
             more than the limit of {MAX_CALIBRATION_VALUES}"
        ),
        ));
    }
    Ok(count as usize)
}

/// `count` prior draws (row-major), draw s from stream s of `seed`.
pub(super) fn prior_draws(prior: &UniformBox, count: usize, seed: u64) -> Vec<f64> {
    let d = prior.dim();
    let mut points = vec![0.0; count * d];
    points
        .par_chunks_mut(d)
        .enumerate()
        .for_each(|(s, theta)| prior.draw(&mut PointRng::new(seed, s as u64), theta));
    points
}

/// `f` at every point (row-major, dimension d), in parallel, in order, ticking `progress`.
pub(super) fn evaluate<T: Send>(
    points: &[f64],
    d: usize,
    f: &(dyn Fn(&[f64]) -> T + Sync),
    progress: &ProgressBar,
) -> Vec<T> {
    let chunks: Vec<Vec<T>> = points
        .par_chunks(d * CHUNK)
        .map(|chunk| {
            let values: Vec<T> = chunk.chunks(d).map(f).collect();
            progress.inc(values.len() as u64);
            values
        })
        .collect();
    chunks.into_iter().flatten().collect()
}

/// Refuse a log-likelihood that is NaN or +∞ at some point, naming the point.
pub(super) fn check_log_likelihoods(values: &[f64], points: &[f64], d: usize) -> Result<()> {
    match values
        .iter()
        .position(|v| v.is_nan() || *v == f64::INFINITY)
    {
        None => Ok(()),
        Some(s) => Err(Error::Solver(format!(
            "the log-likelihood is {} at θ = {:?}: it must be a number or −∞",
            values[s],
            &points[s * d..(s + 1) * d]
        ))),
    }
}

/// Importance sampling from the prior: `config.samples` draws weighted by
/// exp `log_likelihood`. Refused for zero draws, sizes above the limits, a NaN or +∞
/// log-likelihood, or when every draw has likelihood zero. `progress` advances by one per draw.
pub fn importance_sample(
    prior: &UniformBox,
    log_likelihood: &LogLikelihood,
    config: &ImportanceConfig,
    progress: &ProgressBar,
) -> Result<ImportanceRun> {
    let d = prior.dim();
    let n = check_count(config.samples, d + 2, "importance sampling")?;
    let points = prior_draws(prior, n, config.seed);
    let ll = evaluate(&points, d, log_likelihood, progress);
    check_log_likelihoods(&ll, &points, d)?;
    let log_evidence = log_sum_exp(&ll) - (n as f64).ln();
    let zero_weight = ll.iter().filter(|v| **v == f64::NEG_INFINITY).count();
    let sample = WeightedSample::new(d, points, ll.clone(), ll, "importance sampling")?;
    Ok(ImportanceRun {
        sample,
        log_evidence,
        zero_weight,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{beta_moments, grid_posterior, ln_beta, log_bernoulli};
    use super::super::Dimension;
    use super::*;

    fn unit_interval() -> UniformBox {
        UniformBox::new(vec![Dimension::new("p", 0.0, 1.0)]).unwrap()
    }

    /// Truces that broke after 2, 5 and 0 quiet weeks and one still holding after 4: a
    /// geometric likelihood p³ (1 − p)¹¹, posterior Beta(4, 12) under a uniform prior.
    fn truces(theta: &[f64]) -> f64 {
        log_bernoulli(theta[0], 3.0, 11.0)
    }

    fn run(samples: u64, seed: u64, ll: &LogLikelihood) -> Result<ImportanceRun> {
        let config = ImportanceConfig { samples, seed };
        importance_sample(&unit_interval(), ll, &config, &ProgressBar::hidden())
    }

    #[test]
    fn geometric_truces_match_the_beta_posterior_and_a_grid() {
        let r = run(40_000, 7, &truces).unwrap();
        let w = r.sample.weights();
        let mean: f64 = r.sample.points().iter().zip(&w).map(|(p, w)| p * w).sum();
        let (exact_mean, exact_sd) = beta_moments(4.0, 12.0);
        // The exact mean is the ratio of Beta functions B(5, 12)/B(4, 12) = 4/16.
        assert!((exact_mean - (ln_beta(5.0, 12.0) - ln_beta(4.0, 12.0)).exp()).abs() < 1e-12);
        let (grid_mean, grid_sd, _) = grid_posterior(|p| truces(&[p]), 0.0, 1.0, 100_000, &[]);
        assert!((grid_mean - exact_mean).abs() < 1e-8 && (grid_sd - exact_sd).abs() < 1e-8);
        // Monte Carlo standard error of a self-normalised mean: about sd/√ESS.
        let se = exact_sd / r.sample.ess().sqrt();
        assert!(r.sample.ess() > 5_000.0, "{}", r.sample.ess());
        assert!(
            (mean - exact_mean).abs() < 4.0 * se,
            "{mean} vs {exact_mean} (se {se})"
        );
        // Evidence: Z = ∫ p³(1 − p)¹¹ dp = B(4, 12); relative error about √(N/ESS − 1)/√N.
        let log_z = ln_beta(4.0, 12.0);
        let se_log_z = ((40_000.0 / r.sample.ess() - 1.0) / 40_000.0).sqrt();
        assert!(
            (r.log_evidence - log_z).abs() < 4.0 * se_log_z,
            "{} vs {log_z}",
            r.log_evidence
        );
    }

    #[test]
    fn impossible_draws_get_weight_zero() {
        // The data rule out p > 1/2: a truncated posterior ∝ p³ (1 − p)¹¹ on [0, 1/2].
        let truncated = |t: &[f64]| {
            if t[0] > 0.5 {
                f64::NEG_INFINITY
            } else {
                truces(t)
            }
        };
        let r = run(40_000, 3, &truncated).unwrap();
        let w = r.sample.weights();
        assert!(r
            .sample
            .points()
            .iter()
            .zip(&w)
            .all(|(p, w)| *p <= 0.5 || *w == 0.0));
        // About half the draws (binomial sd 100).
        assert!(
            (r.zero_weight as f64 - 20_000.0).abs() < 500.0,
            "{}",
            r.zero_weight
        );
        let mean: f64 = r.sample.points().iter().zip(&w).map(|(p, w)| p * w).sum();
        let (grid_mean, grid_sd, _) = grid_posterior(|p| truncated(&[p]), 0.0, 1.0, 100_000, &[]);
        assert!((mean - grid_mean).abs() < 4.0 * grid_sd / r.sample.ess().sqrt());
    }

    #[test]
    fn the_sample_does_not_depend_on_the_number_of_threads() {
        let on = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| run(5_000, 11, &truces).unwrap().sample)
        };
        assert_eq!(on(1), on(3));
        assert_ne!(on(1), run(5_000, 12, &truces).unwrap().sample);
    }

    #[test]
    fn bad_requests_are_refused_with_a_reason() {
        let e = run(0, 1, &truces).unwrap_err().to_string();
        assert!(e.contains("at least 1"), "{e}");
        assert!(run(MAX_CALIBRATION_SAMPLES + 1, 1, &truces).is_err());
        let impossible = |_: &[f64]| f64::NEG_INFINITY;
        let e = run(100, 1, &impossible).unwrap_err().to_string();
        assert!(e.contains("weight zero"), "{e}");
        let e = run(100, 1, &|_: &[f64]| f64::NAN).unwrap_err().to_string();
        assert!(e.contains("NaN") && e.contains("θ"), "{e}");
        assert!(run(100, 1, &|_: &[f64]| f64::INFINITY).is_err());
    }
}
