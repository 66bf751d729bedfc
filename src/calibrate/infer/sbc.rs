//! Simulation-based calibration (Talts et al. 2018; see the module docs of `infer`).

use super::streams::{key, stream, Purpose};
use super::{chi_square_survival, UniformBox, WeightedSample};
use crate::limits::{MAX_CALIBRATION_SAMPLES, MAX_SBC_REPLICATIONS};
use crate::sweep::rng::PointRng;
use crate::{Error, Result};
use indicatif::ProgressBar;
use rayon::prelude::*;
use serde::Serialize;

/// Smallest expected count per bin for Pearson's χ² approximation (Cochran 1954's rule of
/// thumb): R ≥ 5 B.
const MIN_EXPECTED_PER_BIN: u64 = 5;

/// Settings of [`sbc`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SbcConfig {
    /// R, the number of simulated data sets (default 200; at most `MAX_SBC_REPLICATIONS`).
    pub replications: u64,
    /// L, posterior draws ranked against the truth (default 99: ranks 0 … 99).
    pub draws: usize,
    /// B, bins of the rank histogram; (L + 1) must be a multiple of B, and R ≥ 5 B so every
    /// bin expects at least 5 counts, as Pearson's χ² approximation needs (default 10).
    pub bins: usize,
    /// Seed of the true parameters, the simulations and the rank draws (default 1).
    pub seed: u64,
}

impl Default for SbcConfig {
    fn default() -> Self {
        SbcConfig {
            replications: 200,
            draws: 99,
            bins: 10,
            seed: 1,
        }
    }
}

/// The rank histogram of one parameter and its uniformity test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SbcDimension {
    pub name: String,
    /// Counts of ranks in each of the B bins.
    pub histogram: Vec<u64>,
    /// Pearson's χ² = Σ (count − R/B)² / (R/B).
    pub chi_square: f64,
    /// B − 1.
    pub degrees_of_freedom: usize,
    /// P(χ²_{B−1} ≥ chi_square) under uniform ranks.
    pub p_value: f64,
}

/// The test of every parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SbcReport {
    /// R, the number of replications (true θ* drawn from the prior, data simulated, posterior ranked).
    pub replications: u64,
    /// L, the posterior draws ranked against the truth in each replication.
    pub draws: usize,
    /// B, the number of bins of each rank histogram.
    pub bins: usize,
    /// One histogram and χ² test per free parameter, in θ's coordinate order.
    pub dimensions: Vec<SbcDimension>,
}

/// Simulation-based calibration of the routine `posterior`: for each replication r, θ* from the
/// prior, data = `simulate(θ*, rng)`, a sample = `posterior(&data, seed_r)` (the routine's own
/// seed, different for every replication), L i.i.d. draws from that sample, and per dimension
/// the rank of θ*ₖ among them. Replications run in parallel; each reads its own streams, so
/// the report depends only on the seed. An error of the routine is returned with its
/// replication. `progress` counts replications.
pub fn sbc<D, S, P>(
    prior: &UniformBox,
    simulate: S,
    posterior: P,
    config: &SbcConfig,
    progress: &ProgressBar,
) -> Result<SbcReport>
where
    S: Fn(&[f64], &mut PointRng) -> D + Sync,
    P: Fn(&D, u64) -> Result<WeightedSample> + Sync,
{
    check_config(config)?;
    let d = prior.dim();
    let ranks: Vec<Result<Vec<usize>>> = (0..config.replications)
        .into_par_iter()
        .map(|r| {
            let mut rng = stream(config.seed, Purpose::Sbc, r, 0);
            let mut truth = vec![0.0; d];
            prior.draw(&mut rng, &mut truth);
            let data = simulate(&truth, &mut rng);
            let sample = posterior(&data, key(config.seed, Purpose::Child, r))
                .map_err(|e| Error::Solver(format!("SBC replication {r} (θ = {truth:?}): {e}")))?;
            if sample.dim() != d {
                return Err(Error::Solver(format!(
                    "SBC replication {r}: the posterior routine returned points of dimension \
                     {}, the prior has {d}",
                    sample.dim()
                )));
            }
            let draws = sample.draw_iid(config.draws, &mut rng);
            progress.inc(1);
            Ok((0..d)
                .map(|k| rank(&truth, &draws, k, d, &mut rng))
                .collect())
        })
        .collect();
    let mut histograms = vec![vec![0u64; config.bins]; d];
    for replication in ranks {
        for (k, r) in replication?.into_iter().enumerate() {
            histograms[k][r * config.bins / (config.draws + 1)] += 1;
        }
    }
    let expected = config.replications as f64 / config.bins as f64;
    let dimensions = prior
        .dimensions()
        .iter()
        .zip(histograms)
        .map(|(dim, histogram)| {
            let chi_square = histogram
                .iter()
                .map(|&c| (c as f64 - expected).powi(2) / expected)
                .sum();
            SbcDimension {
                name: dim.name.clone(),
                histogram,
                chi_square,
                degrees_of_freedom: config.bins - 1,
                p_value: chi_square_survival(chi_square, (config.bins - 1) as f64),
            }
        })
        .collect();
    Ok(SbcReport {
        replications: config.replications,
        draws: config.draws,
        bins: config.bins,
        dimensions,
    })
}

/// Refuse sizes outside the limits and histograms the χ² test cannot judge.
fn check_config(config: &SbcConfig) -> Result<()> {
    let bad = |what: String| Err(Error::Usage(format!("SBC settings: {what}")));
    if config.replications > MAX_SBC_REPLICATIONS {
        return Err(Error::limit(
            "MAX_SBC_REPLICATIONS",
            format!(
                "SBC settings: {} replications, more than the limit of {MAX_SBC_REPLICATIONS}",
                config.replications
            ),
        ));
    }
    if config.draws as u64 > MAX_CALIBRATION_SAMPLES {
        return Err(Error::limit(
            "MAX_CALIBRATION_SAMPLES",
            format!(
                "SBC settings: {} draws per replication, more than the limit of \
             {MAX_CALIBRATION_SAMPLES}",
                config.draws
            ),
        ));
    }
    if config.draws == 0 || config.bins < 2 {
        return bad(format!(
            "need at least 1 draw and 2 bins, not {} and {}",
            config.draws, config.bins
        ));
    }
    if (config.draws + 1) % config.bins != 0 {
        return bad(format!(
            "the {} possible ranks (draws + 1) must split evenly into {} bins",
            config.draws + 1,
            config.bins
        ));
    }
    if config.replications < MIN_EXPECTED_PER_BIN * config.bins as u64 {
        return bad(format!(
            "{} replications are too few for {} bins: the χ² test needs at least \
             {MIN_EXPECTED_PER_BIN} per bin",
            config.replications, config.bins
        ));
    }
    Ok(())
}

/// Rank of `truth[k]` among the draws' coordinate k: how many are smaller, plus a uniform
/// share of the equal ones (ties occur only when the posterior routine repeats points).
fn rank(truth: &[f64], draws: &[f64], k: usize, d: usize, rng: &mut PointRng) -> usize {
    let column = || draws.iter().skip(k).step_by(d);
    let below = column().filter(|&&x| x < truth[k]).count();
    let ties = column().filter(|&&x| x <= truth[k]).count() - below;
    below + ((rng.unit() * (ties + 1) as f64) as usize).min(ties)
}

#[cfg(test)]
mod tests {
    use super::super::{importance_sample, Dimension, ImportanceConfig};
    use super::*;

    const TRIALS: usize = 10;

    fn cube() -> UniformBox {
        UniformBox::new(
            (0..3)
                .map(|k| Dimension::new(format!("p{k}"), 0.0, 1.0))
                .collect(),
        )
        .unwrap()
    }

    /// Ten Bernoulli(pₖ) trials per parameter: the successes of each.
    fn simulate(theta: &[f64], rng: &mut PointRng) -> Vec<f64> {
        theta
            .iter()
            .map(|&p| (0..TRIALS).filter(|_| rng.unit() < p).count() as f64)
            .collect()
    }

    /// Importance sampling from `samples` prior draws with the likelihood raised to `power`
    /// (1: the correct posterior; more: too narrow, as if the data counted several times).
    fn routine(
        power: f64,
        samples: u64,
    ) -> impl Fn(&Vec<f64>, u64) -> Result<WeightedSample> + Sync {
        move |successes: &Vec<f64>, seed: u64| {
            let ll = |t: &[f64]| -> f64 {
                let one = |(p, s): (&f64, &f64)| s * p.ln() + (TRIALS as f64 - s) * (1.0 - p).ln();
                power * t.iter().zip(successes).map(one).sum::<f64>()
            };
            let config = ImportanceConfig { samples, seed };
            Ok(importance_sample(&cube(), &ll, &config, &ProgressBar::hidden())?.sample)
        }
    }

    fn check(power: f64, samples: u64, replications: u64) -> SbcReport {
        let config = SbcConfig {
            replications,
            ..SbcConfig::default()
        };
        let posterior = routine(power, samples);
        sbc(
            &cube(),
            simulate,
            posterior,
            &config,
            &ProgressBar::hidden(),
        )
        .unwrap()
    }

    #[test]
    fn the_correct_posterior_passes() {
        // At the 1 % level for each of the three parameters (seed 1, R = 200, L = 99, B = 10).
        // Importance sampling keeps an ESS of about 10,000 × 0.4³ ≈ 600 on typical data, far
        // fewer when all three counts are extreme; with 3,000 draws per posterior a run of
        // 1,000 replications gave p = 0.002 on one parameter (the approximation showing), with
        // 20,000 draws p-values of six seeds all looked uniform.
        let report = check(1.0, 10_000, 200);
        for d in &report.dimensions {
            assert_eq!(d.histogram.iter().sum::<u64>(), 200);
            assert!(d.p_value > 0.01, "{d:?}");
        }
    }

    #[test]
    fn a_posterior_too_narrow_fails() {
        // The likelihood counted four times (posterior sd about halved): ranks pile up in the
        // end bins.
        let report = check(4.0, 3_000, 100);
        for d in &report.dimensions {
            assert!(d.p_value < 1e-4, "{d:?}");
            let ends = d.histogram[0] + d.histogram[9];
            assert!(ends > 2 * 20, "{d:?}"); // uniform ranks would put 20 there
        }
    }

    #[test]
    fn the_report_depends_only_on_the_seed() {
        let config = SbcConfig {
            replications: 50,
            bins: 5,
            ..SbcConfig::default()
        };
        let on = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let posterior = routine(1.0, 2_000);
                sbc(
                    &cube(),
                    simulate,
                    posterior,
                    &config,
                    &ProgressBar::hidden(),
                )
                .unwrap()
            })
        };
        assert_eq!(on(1), on(2));
    }

    #[test]
    fn histograms_the_test_cannot_judge_are_refused() {
        let run = |config: SbcConfig| {
            let posterior = routine(1.0, 100);
            sbc(
                &cube(),
                simulate,
                posterior,
                &config,
                &ProgressBar::hidden(),
            )
            .map(|_| ())
        };
        let base = SbcConfig::default();
        let e = run(SbcConfig {
            draws: 100,
            ..base.clone()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("split evenly"), "{e}");
        assert!(run(SbcConfig {
            replications: 49,
            ..base.clone()
        })
        .is_err());
        assert!(run(SbcConfig {
            bins: 1,
            draws: 0,
            ..base.clone()
        })
        .is_err());
        assert!(run(SbcConfig {
            replications: MAX_SBC_REPLICATIONS + 1,
            ..base.clone()
        })
        .is_err());
        let failing = |_: &Vec<f64>, _: u64| -> Result<WeightedSample> {
            Err(Error::Unsupported("no posterior".into()))
        };
        let e = sbc(&cube(), simulate, failing, &base, &ProgressBar::hidden()).unwrap_err();
        assert!(e.to_string().contains("replication 0"), "{e}");
    }
}
