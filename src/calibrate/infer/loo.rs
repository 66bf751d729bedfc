//! Leave-one-out and prior predictive densities of each observation, from one set of prior
//! draws, with a per-fold SMC fallback (see the module docs of `infer`).

use super::importance::{check_count, check_log_likelihoods, evaluate, prior_draws};
use super::posterior::resolve_min_ess;
use super::sample::{kish_ess, log_sum_exp};
use super::streams::{key, Purpose};
use super::{smc, ImportanceConfig, Method, PointwiseLogLikelihood};
use super::{SmcConfig, UniformBox};
use crate::limits::MAX_CALIBRATION_VALUES;
use crate::{Error, Result};
use indicatif::ProgressBar;
use serde::Serialize;

/// Settings of [`leave_one_out`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LooConfig {
    /// The prior draws shared by every fold.
    pub importance: ImportanceConfig,
    /// A fold whose importance ESS is below this is redone by SMC; `None`:
    /// `default_min_ess(samples)`.
    pub min_ess: Option<f64>,
    /// The SMC run of a fold that falls short.
    pub smc: SmcConfig,
    /// Whether to run SMC on folds that fall short (else they are reported with their low ESS).
    pub fallback: bool,
}

impl Default for LooConfig {
    fn default() -> Self {
        LooConfig {
            importance: ImportanceConfig::default(),
            min_ess: None,
            smc: SmcConfig::default(),
            fallback: true,
        }
    }
}

/// One observation's predictive densities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LooFold {
    /// Position of the observation in the pointwise vector.
    pub observation: usize,
    /// log ∫ p(yᵢ|θ) p(θ) dθ.
    pub log_prior_predictive: f64,
    /// log ∫ p(yᵢ|θ) p(θ|y₋ᵢ) dθ.
    pub log_loo_predictive: f64,
    /// Kish ESS of the prior draws weighted by p(y₋ᵢ|θ).
    pub importance_ess: f64,
    /// How `log_loo_predictive` was computed.
    pub method: Method,
}

/// Every fold, and the sums over observations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LooReport {
    pub folds: Vec<LooFold>,
    /// Σᵢ log p(yᵢ | y₋ᵢ) (the expected log predictive density, elpd_loo, of Vehtari, Gelman &
    /// Gabry 2017).
    pub elpd_loo: f64,
    /// Σᵢ log p(yᵢ) under the prior.
    pub elpd_prior: f64,
    /// The threshold the folds' ESS was compared with.
    pub min_ess: f64,
}

/// Leave-one-out and prior predictive log densities of every observation. Refused as
/// `importance_sample` is, when there are no observations, when the number of observations
/// changes between draws, or when the draws × observations exceed `MAX_CALIBRATION_VALUES`.
/// `progress` counts likelihood evaluations.
pub fn leave_one_out(
    prior: &UniformBox,
    pointwise: &PointwiseLogLikelihood,
    config: &LooConfig,
    progress: &ProgressBar,
) -> Result<LooReport> {
    let d = prior.dim();
    let n = check_count(config.importance.samples, d + 1, "leave-one-out")?;
    let min_ess = resolve_min_ess(config.min_ess, config.importance.samples)?;
    let points = prior_draws(prior, n, config.importance.seed);
    let observations = pointwise(&points[..d]).len();
    if observations == 0 {
        return Err(Error::Usage(
            "leave-one-out needs at least one observation; the pointwise log-likelihood is empty"
                .into(),
        ));
    }
    let values = n as u64 * observations as u64;
    if values > MAX_CALIBRATION_VALUES {
        return Err(Error::limit(
            "MAX_CALIBRATION_VALUES",
            format!(
                "leave-one-out: {n} draws × {observations} observations need {values} numbers in \
             memory, more than the limit of {MAX_CALIBRATION_VALUES}; draw fewer samples"
            ),
        ));
    }
    let table = evaluate(&points, d, pointwise, progress);
    check_table(&table, observations, &points, d)?;
    let totals = Totals::new(&table);
    let all: Vec<f64> = (0..n).map(|s| totals.without(s, None, &table[s])).collect();
    let log_full = log_sum_exp(&all);
    let log_n = (n as f64).ln();
    let mut folds = Vec::with_capacity(observations);
    for i in 0..observations {
        let column: Vec<f64> = table.iter().map(|row| row[i]).collect();
        let others: Vec<f64> = (0..n)
            .map(|s| totals.without(s, Some(i), &table[s]))
            .collect();
        let log_others = log_sum_exp(&others);
        if log_others == f64::NEG_INFINITY {
            return Err(Error::Unsupported(format!(
                "leave-one-out, observation {i}: the other observations have likelihood zero at \
                 every one of the {n} prior draws; check the data and the ranges"
            )));
        }
        let importance_ess = kish_ess(&others);
        let (log_loo_predictive, method) = if importance_ess < min_ess && config.fallback {
            (
                fold_by_smc(prior, pointwise, i, config, progress)?,
                Method::Smc,
            )
        } else {
            (log_full - log_others, Method::ImportanceSampling)
        };
        folds.push(LooFold {
            observation: i,
            log_prior_predictive: log_sum_exp(&column) - log_n,
            log_loo_predictive,
            importance_ess,
            method,
        });
    }
    Ok(LooReport {
        elpd_loo: folds.iter().map(|f| f.log_loo_predictive).sum(),
        elpd_prior: folds.iter().map(|f| f.log_prior_predictive).sum(),
        folds,
        min_ess,
    })
}

/// Refuse rows of the wrong length and NaN or +∞ entries, naming the draw.
fn check_table(table: &[Vec<f64>], observations: usize, points: &[f64], d: usize) -> Result<()> {
    for (s, row) in table.iter().enumerate() {
        let theta = &points[s * d..(s + 1) * d];
        if row.len() != observations {
            return Err(Error::Solver(format!(
                "the pointwise log-likelihood has {} entries at θ = {theta:?}, {observations} at \
                 the first draw",
                row.len()
            )));
        }
        if let Some(i) = row.iter().position(|v| v.is_nan() || *v == f64::INFINITY) {
            return Err(Error::Solver(format!(
                "the log-likelihood of observation {i} is {} at θ = {theta:?}: it must be a \
                 number or −∞",
                row[i]
            )));
        }
    }
    Ok(())
}

/// Per draw, the sum of the finite pointwise log-likelihoods and how many are −∞: sums that
/// leave one observation out in O(1) each, without subtracting infinities.
struct Totals {
    finite: Vec<f64>,
    impossible: Vec<usize>,
}

impl Totals {
    fn new(table: &[Vec<f64>]) -> Totals {
        Totals {
            finite: table
                .iter()
                .map(|row| row.iter().filter(|v| v.is_finite()).sum())
                .collect(),
            impossible: table
                .iter()
                .map(|row| row.iter().filter(|v| !v.is_finite()).count())
                .collect(),
        }
    }

    /// ℓ(θₛ) without observation `left_out` (all of them when `None`); `row` is draw s's row.
    fn without(&self, s: usize, left_out: Option<usize>, row: &[f64]) -> f64 {
        let (finite, impossible) = match left_out.map(|i| row[i]) {
            None => (self.finite[s], self.impossible[s]),
            Some(v) if v.is_finite() => (self.finite[s] - v, self.impossible[s]),
            Some(_) => (self.finite[s], self.impossible[s] - 1),
        };
        if impossible > 0 {
            f64::NEG_INFINITY
        } else {
            finite
        }
    }
}

/// log ∫ p(yᵢ|θ) p(θ|y₋ᵢ) dθ from an SMC run on the other observations: the log of the mean of
/// p(yᵢ|θ) over its (equally weighted) particles.
fn fold_by_smc(
    prior: &UniformBox,
    pointwise: &PointwiseLogLikelihood,
    i: usize,
    config: &LooConfig,
    progress: &ProgressBar,
) -> Result<f64> {
    let others = |theta: &[f64]| -> f64 {
        let row = pointwise(theta);
        row.iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, v)| *v)
            .sum()
    };
    let smc_config = SmcConfig {
        seed: key(config.smc.seed, Purpose::Child, i as u64),
        ..config.smc.clone()
    };
    let run = smc(prior, &others, &smc_config, progress)?;
    let sample = &run.sample;
    let this = |theta: &[f64]| -> f64 { pointwise(theta).get(i).copied().unwrap_or(f64::NAN) };
    let ll_i = evaluate(sample.points(), prior.dim(), &this, progress);
    check_log_likelihoods(&ll_i, sample.points(), prior.dim())?;
    let terms: Vec<f64> = ll_i
        .iter()
        .zip(sample.log_weights())
        .map(|(l, w)| l + w)
        .collect();
    Ok(log_sum_exp(&terms))
}

#[cfg(test)]
mod tests {
    use super::super::testing::ln_beta;
    use super::super::Dimension;
    use super::*;

    /// Truces that broke after these numbers of quiet weeks: observation i has likelihood
    /// p (1 − p)^kᵢ. Under the uniform prior the posterior from all six is Beta(7, 19), and
    /// from all but i Beta(6, 19 − kᵢ).
    const WEEKS: [f64; 6] = [2.0, 5.0, 0.0, 7.0, 1.0, 3.0];

    fn pointwise(theta: &[f64]) -> Vec<f64> {
        let p = theta[0];
        WEEKS.iter().map(|k| p.ln() + k * (1.0 - p).ln()).collect()
    }

    fn run(config: &LooConfig) -> Result<LooReport> {
        let prior = UniformBox::new(vec![Dimension::new("p", 0.0, 1.0)]).unwrap();
        leave_one_out(&prior, &pointwise, config, &ProgressBar::hidden())
    }

    /// log p(kᵢ | k₋ᵢ) = log B(7, 19) − log B(6, 19 − kᵢ); log p(kᵢ) = log B(2, 1 + kᵢ).
    fn exact(k: f64) -> (f64, f64) {
        (
            ln_beta(7.0, 19.0) - ln_beta(6.0, 19.0 - k),
            ln_beta(2.0, 1.0 + k),
        )
    }

    /// CV² of f = p(1 − p)^k under Beta(6, 19 − k):
    /// E f² / (E f)² − 1 = B(8, 19 + k) B(6, 19 − k) / B(7, 19)² − 1.
    fn loo_cv2(k: f64) -> f64 {
        (ln_beta(8.0, 19.0 + k) + ln_beta(6.0, 19.0 - k) - 2.0 * ln_beta(7.0, 19.0)).exp() - 1.0
    }

    #[test]
    fn importance_loo_matches_the_conjugate_closed_form() {
        let samples = 40_000;
        let config = LooConfig {
            importance: ImportanceConfig { samples, seed: 2 },
            ..LooConfig::default()
        };
        let report = run(&config).unwrap();
        let n = samples as f64;
        for (fold, k) in report.folds.iter().zip(WEEKS) {
            let (loo, prior_predictive) = exact(k);
            assert_eq!(fold.method, Method::ImportanceSampling);
            // The log of a self-normalised importance estimate of E[f | y₋ᵢ], f = p(1 − p)^k:
            // relative error CV/√ESS, CV² = Var f / (E f)² under Beta(6, 19 − k).
            let se = (loo_cv2(k) / fold.importance_ess).sqrt();
            assert!(
                (fold.log_loo_predictive - loo).abs() < 4.0 * se,
                "{fold:?} vs {loo}"
            );
            // Prior predictive: the mean of f = p(1 − p)^k over uniform draws, relative error
            // CV/√N with CV² = E f² / (E f)² − 1 = B(3, 1 + 2k)/B(2, 1 + k)² − 1.
            let cv = (ln_beta(3.0, 1.0 + 2.0 * k) - 2.0 * ln_beta(2.0, 1.0 + k)).exp() - 1.0;
            let tol = 4.0 * cv.sqrt() / n.sqrt();
            assert!(
                (fold.log_prior_predictive - prior_predictive).abs() < tol,
                "{fold:?}"
            );
        }
        let total: f64 = WEEKS.iter().map(|&k| exact(k).0).sum();
        assert!(
            (report.elpd_loo - total).abs() < 0.1,
            "{} vs {total}",
            report.elpd_loo
        );
    }

    #[test]
    fn smc_folds_match_the_closed_form_too() {
        // Forcing every fold below the ESS threshold: SMC on the other five observations.
        let config = LooConfig {
            importance: ImportanceConfig {
                samples: 2_000,
                seed: 3,
            },
            min_ess: Some(1e9),
            smc: SmcConfig {
                particles: 2_000,
                ..SmcConfig::default()
            },
            fallback: true,
        };
        let report = run(&config).unwrap();
        for (fold, k) in report.folds.iter().zip(WEEKS) {
            assert_eq!(fold.method, Method::Smc);
            let (loo, _) = exact(k);
            // Relative error of a posterior mean of f = p(1 − p)^k: CV/√N_eff, N_eff taken as
            // N/2 for the correlation between resampled-and-moved particles.
            let tol = 4.0 * (loo_cv2(k) * 2.0 / 2_000.0).sqrt();
            assert!(
                (fold.log_loo_predictive - loo).abs() < tol,
                "{fold:?} vs {loo} ± {tol}"
            );
        }
    }

    #[test]
    fn bad_pointwise_likelihoods_are_refused() {
        let prior = UniformBox::new(vec![Dimension::new("p", 0.0, 1.0)]).unwrap();
        let config = LooConfig {
            importance: ImportanceConfig {
                samples: 100,
                seed: 1,
            },
            ..LooConfig::default()
        };
        let hidden = ProgressBar::hidden();
        let empty = |_: &[f64]| Vec::new();
        let e = leave_one_out(&prior, &empty, &config, &hidden).unwrap_err();
        assert!(e.to_string().contains("at least one observation"), "{e}");
        let ragged = |t: &[f64]| vec![0.0; if t[0] < 0.5 { 1 } else { 2 }];
        assert!(leave_one_out(&prior, &ragged, &config, &hidden).is_err());
        let impossible = |_: &[f64]| vec![0.0, f64::NEG_INFINITY];
        let e = leave_one_out(&prior, &impossible, &config, &hidden).unwrap_err();
        assert!(e.to_string().contains("observation 0"), "{e}");
    }
}
