//! Sequential Monte Carlo with likelihood tempering (see the module docs of `infer` for the
//! algorithm and its sources): the stages' loop, the schedule and the evidence estimate.

use super::importance::{check_count, check_log_likelihoods, evaluate, prior_draws};
use super::moves::walk;
use super::sample::{kish_ess, log_sum_exp, systematic};
use super::streams::{key, stream, Purpose};
use super::temper::next_beta;
use super::{LogLikelihood, UniformBox, WeightedSample};
use crate::limits::{MAX_SMC_MOVES, MAX_SMC_STAGES};
use crate::{Error, Result};
use indicatif::ProgressBar;
use serde::Serialize;

/// Optimal scale of a Gaussian random-walk proposal in d dimensions, 2.38/√d times the
/// target's standard deviation (Roberts, Gelman & Gilks 1997; Gelman, Roberts & Gilks 1996).
const OPTIMAL_SCALE: f64 = 2.38;
/// Smallest proposal standard deviation, as a fraction of a dimension's prior range, used
/// when the particles have collapsed onto one value of it (their sd is 0).
const MIN_PROPOSAL_SHARE: f64 = 1e-6;

/// Settings of a tempered SMC run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmcConfig {
    /// Number of particles (default 4,000: each stage costs particles × moves likelihood
    /// evaluations, and 4,000 equally weighted particles give 5 % quantiles to about ±0.5 %).
    pub particles: u64,
    /// Seed of every random stream of the run (default 1).
    pub seed: u64,
    /// α: each next temperature keeps the conditional ESS at this fraction of its limit
    /// (default 0.5, Jasra et al. 2011's choice; larger means more, gentler stages).
    pub cess_fraction: f64,
    /// Fewest Metropolis–Hastings sweeps per stage (default 2).
    pub min_moves: u32,
    /// Most Metropolis–Hastings sweeps per stage (default 50; at most `MAX_SMC_MOVES`).
    pub max_moves: u32,
    /// ρ: sweeps continue until a particle's chance of never having moved, (1 − acceptance)^k,
    /// is below this (default 0.01, Drovandi & Pettitt 2011).
    pub stuck_probability: f64,
}

impl Default for SmcConfig {
    fn default() -> Self {
        SmcConfig {
            particles: 4_000,
            seed: 1,
            cess_fraction: 0.5,
            min_moves: 2,
            max_moves: 50,
            stuck_probability: 0.01,
        }
    }
}

/// One stage: the move from the previous temperature to `beta`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmcStage {
    /// The temperature reached.
    pub beta: f64,
    /// Kish ESS of the reweighted particles, before resampling.
    pub ess: f64,
    /// log Σ Wₛ uₛ, this stage's factor of the evidence.
    pub log_evidence_increment: f64,
    /// Metropolis–Hastings sweeps run.
    pub moves: u32,
    /// Share of proposals accepted over those sweeps.
    pub acceptance: f64,
    /// Proposal standard deviation of each dimension.
    pub proposal_sd: Vec<f64>,
}

/// A finished SMC run: equally weighted particles from the posterior and the diagnostics.
#[derive(Debug, Clone)]
pub struct SmcRun {
    /// The particles after the last stage's moves (equal weights).
    pub sample: WeightedSample,
    /// Every stage, in order; the last has β = 1.
    pub stages: Vec<SmcStage>,
    /// log Z, the sum of the stages' increments.
    pub log_evidence: f64,
    /// ESS of the last reweighting, before its resampling (the particles then carry equal
    /// weights; this says how much of the final stage's information survived).
    pub final_ess: f64,
}

/// Tempered SMC from the prior to the posterior ∝ prior × exp `log_likelihood`. Refused for
/// bad settings (no particles, α outside (0, 1), min_moves > max_moves …), sizes above the
/// limits, a NaN or +∞ log-likelihood, likelihood zero at every initial particle, or more
/// than `MAX_SMC_STAGES` stages. `progress` counts likelihood evaluations; its message shows β.
pub fn smc(
    prior: &UniformBox,
    log_likelihood: &LogLikelihood,
    config: &SmcConfig,
    progress: &ProgressBar,
) -> Result<SmcRun> {
    let d = prior.dim();
    let n = check_count(config.particles, d + 2, "SMC")?;
    check_config(config)?;
    let points = prior_draws(prior, n, key(config.seed, Purpose::SmcStart, 0));
    let ll = evaluate(&points, d, log_likelihood, progress);
    check_log_likelihoods(&ll, &points, d)?;
    let mut particles = Particles { points, ll };
    let mut log_w = vec![-(n as f64).ln(); n];
    let (mut beta, mut log_evidence) = (0.0, 0.0);
    let mut stages: Vec<SmcStage> = Vec::new();
    while beta < 1.0 {
        if stages.len() >= MAX_SMC_STAGES {
            return Err(Error::limit(
                "MAX_SMC_STAGES",
                format!(
                    "SMC needed more than {MAX_SMC_STAGES} tempering stages (β = {beta:.3e} after \
                 the last): the likelihood is too sharp for the prior box; narrow the ranges \
                 or raise cess_fraction"
                ),
            ));
        }
        let t = stages.len() as u64;
        let next =
            next_beta(beta, &log_w, &particles.ll, config.cess_fraction).ok_or_else(|| {
                Error::Unsupported(format!(
                "SMC: every one of the {n} initial particles has likelihood zero (log-likelihood \
                 −∞): the data are impossible under every parameter value drawn; check the \
                 data and the ranges, or use more particles"
            ))
            })?;
        let delta = next - beta;
        for (w, l) in log_w.iter_mut().zip(&particles.ll) {
            *w = if *l == f64::NEG_INFINITY {
                f64::NEG_INFINITY
            } else {
                *w + delta * l
            };
        }
        let increment = log_sum_exp(&log_w);
        log_w.iter_mut().for_each(|w| *w -= increment);
        log_evidence += increment;
        let ess = kish_ess(&log_w);
        beta = next;
        progress.set_message(format!("SMC stage {}, β = {beta:.3e}", t + 1));
        let u = stream(config.seed, Purpose::SmcResample, t, 0).unit();
        particles = particles.select(&systematic(&log_w, n, u), d);
        log_w.fill(-(n as f64).ln());
        let proposal_sd = proposal_sd(prior, &particles.points);
        let (moves, acceptance) = move_particles(
            prior,
            log_likelihood,
            beta,
            &proposal_sd,
            &mut particles,
            config,
            t,
            progress,
        )?;
        stages.push(SmcStage {
            beta,
            ess,
            log_evidence_increment: increment,
            moves,
            acceptance,
            proposal_sd,
        });
    }
    let final_ess = stages.last().map_or(n as f64, |s| s.ess);
    let Particles { points, ll } = particles;
    let sample = WeightedSample::new(d, points, ll, vec![0.0; n], "SMC")?;
    Ok(SmcRun {
        sample,
        stages,
        log_evidence,
        final_ess,
    })
}

/// Refuse settings outside their meaningful ranges.
fn check_config(config: &SmcConfig) -> Result<()> {
    let bad = |what: String| Err(Error::Usage(format!("SMC settings: {what}")));
    if !(config.cess_fraction > 0.0 && config.cess_fraction < 1.0) {
        return bad(format!(
            "cess_fraction must lie strictly between 0 and 1, not {}",
            config.cess_fraction
        ));
    }
    if !(config.stuck_probability > 0.0 && config.stuck_probability < 1.0) {
        return bad(format!(
            "stuck_probability must lie strictly between 0 and 1, not {}",
            config.stuck_probability
        ));
    }
    if config.min_moves == 0 || config.min_moves > config.max_moves {
        return bad(format!(
            "need 1 ≤ min_moves ≤ max_moves, not {} and {}",
            config.min_moves, config.max_moves
        ));
    }
    if config.max_moves > MAX_SMC_MOVES {
        return Err(Error::limit(
            "MAX_SMC_MOVES",
            format!(
                "SMC settings: max_moves = {} is above the limit of {MAX_SMC_MOVES}",
                config.max_moves
            ),
        ));
    }
    Ok(())
}

/// The particle cloud: points (row-major) and their log-likelihoods.
struct Particles {
    points: Vec<f64>,
    ll: Vec<f64>,
}

impl Particles {
    /// The particles at `indices`, in that order.
    fn select(&self, indices: &[usize], d: usize) -> Particles {
        Particles {
            points: indices
                .iter()
                .flat_map(|&s| self.points[s * d..(s + 1) * d].iter().copied())
                .collect(),
            ll: indices.iter().map(|&s| self.ll[s]).collect(),
        }
    }
}

/// 2.38/√d times each dimension's standard deviation over the (equally weighted) particles.
fn proposal_sd(prior: &UniformBox, points: &[f64]) -> Vec<f64> {
    let d = prior.dim();
    let n = (points.len() / d) as f64;
    let scale = OPTIMAL_SCALE / (d as f64).sqrt();
    prior
        .dimensions()
        .iter()
        .enumerate()
        .map(|(k, dim)| {
            let column = || points.iter().skip(k).step_by(d);
            let mean = column().sum::<f64>() / n;
            let var = column().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
            scale * var.sqrt().max(MIN_PROPOSAL_SHARE * (dim.hi - dim.lo))
        })
        .collect()
}

/// Metropolis–Hastings sweeps of stage `t`: a first one, then as many as bring a particle's
/// chance of never having moved below ρ (within [min_moves, max_moves]), each particle running
/// those on its own stream. Returns the sweeps run and the overall acceptance rate.
#[allow(clippy::too_many_arguments)]
fn move_particles(
    prior: &UniformBox,
    log_likelihood: &LogLikelihood,
    beta: f64,
    sd: &[f64],
    particles: &mut Particles,
    config: &SmcConfig,
    t: u64,
    progress: &ProgressBar,
) -> Result<(u32, f64)> {
    let n = particles.ll.len();
    let mut steps = |part: u64, count: u32| -> Result<usize> {
        let accepted = walk(
            prior,
            log_likelihood,
            beta,
            sd,
            &mut particles.points,
            &mut particles.ll,
            (config.seed, (t << 1) | part),
            count,
        )?;
        progress.inc(n as u64 * u64::from(count));
        Ok(accepted)
    };
    let first = steps(0, 1)?;
    let rate = first as f64 / n as f64;
    let wanted = if rate >= 1.0 {
        config.min_moves
    } else if rate <= 0.0 {
        config.max_moves
    } else {
        let k = (config.stuck_probability.ln() / (1.0 - rate).ln()).ceil();
        (k.min(f64::from(config.max_moves)) as u32).max(config.min_moves)
    };
    let accepted = first + steps(1, wanted - 1)?;
    Ok((wanted, accepted as f64 / (n as f64 * f64::from(wanted))))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{beta_moments, ln_beta, log_bernoulli};
    use super::super::{importance_sample, posterior, Dimension, ImportanceConfig, Method};
    use super::super::{PosteriorConfig, UniformBox};
    use super::*;

    fn unit_box(d: usize) -> UniformBox {
        UniformBox::new(
            (0..d)
                .map(|k| Dimension::new(format!("p{k}"), 0.0, 1.0))
                .collect(),
        )
        .unwrap()
    }

    /// 1500 breaks in 6000 truce-weeks: posterior Beta(1501, 4501), sd 0.0056 against the
    /// prior's 0.29, where importance sampling from the prior keeps about 1 % of its draws.
    fn sharp(theta: &[f64]) -> f64 {
        log_bernoulli(theta[0], 1500.0, 4500.0)
    }

    fn run(ll: &LogLikelihood, d: usize, seed: u64) -> SmcRun {
        let config = SmcConfig {
            seed,
            particles: 2_000,
            ..SmcConfig::default()
        };
        smc(&unit_box(d), ll, &config, &ProgressBar::hidden()).unwrap()
    }

    /// Mean and sd over the runs of a statistic of each run.
    fn spread(values: &[f64]) -> (f64, f64) {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var.sqrt())
    }

    fn column_moments(sample: &WeightedSample, k: usize) -> (f64, f64) {
        let d = sample.dim();
        let x: Vec<f64> = sample.points().iter().skip(k).step_by(d).copied().collect();
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        (
            mean,
            (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt(),
        )
    }

    #[test]
    fn importance_sampling_collapses_on_the_sharp_likelihood() {
        let config = ImportanceConfig {
            samples: 4_000,
            seed: 1,
        };
        let r = importance_sample(&unit_box(1), &sharp, &config, &ProgressBar::hidden()).unwrap();
        // ESS ≈ N σ_post √(4π) / (range) ≈ 4000 × 0.0056 × 3.5 ≈ 80: far below 1000.
        assert!(r.sample.ess() < 200.0, "{}", r.sample.ess());
        let chosen = posterior(
            &unit_box(1),
            &sharp,
            &PosteriorConfig {
                importance: config,
                ..PosteriorConfig::default()
            },
            &ProgressBar::hidden(),
        )
        .unwrap();
        assert_eq!(chosen.method, Method::Smc);
        assert!(chosen.smc.is_some() && chosen.importance_ess < chosen.min_ess);
    }

    #[test]
    fn smc_recovers_the_sharp_beta_posterior_within_monte_carlo_error() {
        // Eight independent runs: their spread is the Monte Carlo standard error of one run, an
        // estimate that does not rely on the sampler's own diagnostics.
        let runs: Vec<SmcRun> = (0..8).map(|seed| run(&sharp, 1, seed)).collect();
        let (exact_mean, exact_sd) = beta_moments(1501.0, 4501.0);
        let means: Vec<f64> = runs
            .iter()
            .map(|r| column_moments(&r.sample, 0).0)
            .collect();
        let sds: Vec<f64> = runs
            .iter()
            .map(|r| column_moments(&r.sample, 0).1)
            .collect();
        let evidences: Vec<f64> = runs.iter().map(|r| r.log_evidence).collect();
        for (values, exact, what) in [
            (&means, exact_mean, "mean"),
            (&sds, exact_sd, "sd"),
            (&evidences, ln_beta(1501.0, 4501.0), "log evidence"),
        ] {
            let (m, s) = spread(values);
            // Each run within 5 Monte Carlo standard errors, the average of eight within 5/√8.
            assert!(
                (m - exact).abs() < 5.0 * s / 8f64.sqrt(),
                "{what}: {m} vs {exact} ({s})"
            );
            assert!(
                values.iter().all(|v| (v - exact).abs() < 5.0 * s),
                "{what}: {values:?}"
            );
        }
        // And the error is small in absolute terms (so the checks above are not vacuous).
        assert!(spread(&means).1 < 0.05 * exact_sd && spread(&sds).1 < 0.1 * exact_sd);
        assert!(spread(&evidences).1 < 0.1);
        let last = runs[0].stages.last().unwrap();
        assert_eq!(last.beta, 1.0);
        assert!(runs[0].stages.len() >= 3 && runs[0].stages.iter().all(|s| s.acceptance > 0.1));
    }

    #[test]
    fn smc_recovers_two_independent_sharp_dimensions() {
        // p ~ Beta(1501, 4501), q ~ Beta(601, 401), independent.
        let ll = |t: &[f64]| sharp(t) + log_bernoulli(t[1], 600.0, 400.0);
        let runs: Vec<SmcRun> = (0..6).map(|seed| run(&ll, 2, 100 + seed)).collect();
        for (k, (a, b)) in [(1501.0, 4501.0), (601.0, 401.0)].into_iter().enumerate() {
            let (exact_mean, exact_sd) = beta_moments(a, b);
            let means: Vec<f64> = runs
                .iter()
                .map(|r| column_moments(&r.sample, k).0)
                .collect();
            let sds: Vec<f64> = runs
                .iter()
                .map(|r| column_moments(&r.sample, k).1)
                .collect();
            let (m, s) = spread(&means);
            assert!(
                (m - exact_mean).abs() < 5.0 * s / 6f64.sqrt(),
                "{k}: {m} vs {exact_mean}"
            );
            assert!(s < 0.05 * exact_sd, "{k}: {s}");
            let (m, s) = spread(&sds);
            assert!(
                (m - exact_sd).abs() < 5.0 * s / 6f64.sqrt(),
                "{k}: {m} vs {exact_sd}"
            );
        }
        let log_z = ln_beta(1501.0, 4501.0) + ln_beta(601.0, 401.0);
        let (m, s) = spread(&runs.iter().map(|r| r.log_evidence).collect::<Vec<_>>());
        assert!(
            (m - log_z).abs() < 5.0 * s / 6f64.sqrt() && s < 0.2,
            "{m} vs {log_z} ({s})"
        );
    }

    #[test]
    fn impossible_regions_are_left_at_the_first_stage() {
        // The sharp posterior, with the data also ruling out p < 0.24: a truncated Beta whose
        // mean is checked against the grid.
        let ll = |t: &[f64]| {
            if t[0] < 0.24 {
                f64::NEG_INFINITY
            } else {
                sharp(t)
            }
        };
        let r = run(&ll, 1, 5);
        assert!(r.sample.points().iter().all(|p| *p >= 0.24));
        let (grid_mean, grid_sd, _) =
            super::super::testing::grid_posterior(|p| ll(&[p]), 0.0, 1.0, 200_000, &[]);
        let (mean, sd) = column_moments(&r.sample, 0);
        // The runs above spread by about 0.02 posterior sd in the mean and 1 % in the sd:
        // allow 0.1 sd and 10 % (about five of those standard errors).
        assert!(
            (mean - grid_mean).abs() < 0.1 * grid_sd,
            "{mean} vs {grid_mean}"
        );
        assert!((sd - grid_sd).abs() < 0.1 * grid_sd, "{sd} vs {grid_sd}");
    }

    #[test]
    fn smc_does_not_depend_on_the_number_of_threads() {
        let on = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| run(&sharp, 1, 9).sample)
        };
        assert_eq!(on(1), on(2));
    }

    #[test]
    fn bad_settings_and_impossible_data_are_refused() {
        let with = |config: SmcConfig| {
            smc(&unit_box(1), &sharp, &config, &ProgressBar::hidden()).map(|_| ())
        };
        let base = SmcConfig::default();
        assert!(with(SmcConfig {
            particles: 0,
            ..base.clone()
        })
        .is_err());
        assert!(with(SmcConfig {
            cess_fraction: 1.0,
            ..base.clone()
        })
        .is_err());
        assert!(with(SmcConfig {
            min_moves: 5,
            max_moves: 4,
            ..base.clone()
        })
        .is_err());
        assert!(with(SmcConfig {
            max_moves: MAX_SMC_MOVES + 1,
            ..base.clone()
        })
        .is_err());
        assert!(with(SmcConfig {
            stuck_probability: 0.0,
            ..base.clone()
        })
        .is_err());
        let impossible = |_: &[f64]| f64::NEG_INFINITY;
        let e = smc(&unit_box(1), &impossible, &base, &ProgressBar::hidden()).unwrap_err();
        assert!(e.to_string().contains("likelihood zero"), "{e}");
    }
}
