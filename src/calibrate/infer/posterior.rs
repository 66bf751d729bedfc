//! The posterior: importance sampling from the prior, or tempered SMC when its ESS is too low.

use super::{importance_sample, smc, ImportanceConfig, LogLikelihood, SmcConfig, SmcRun};
use super::{UniformBox, WeightedSample};
use crate::Result;
use indicatif::ProgressBar;
use serde::Serialize;

/// Fewest effective draws below which importance sampling is replaced by SMC, for N draws:
/// max(1000, N/100) (the reasons are in the module docs of `infer`).
pub fn default_min_ess(samples: u64) -> f64 {
    (samples as f64 / 100.0).max(1000.0)
}

/// `min_ess` if given (refused when negative or NaN), else [`default_min_ess`] of `samples`.
pub(super) fn resolve_min_ess(min_ess: Option<f64>, samples: u64) -> crate::Result<f64> {
    match min_ess {
        Some(m) if m.is_nan() || m < 0.0 => Err(crate::Error::Usage(format!(
            "min_ess must be a number of at least 0, not {m}"
        ))),
        Some(m) => Ok(m),
        None => Ok(default_min_ess(samples)),
    }
}

/// Settings of [`posterior`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PosteriorConfig {
    /// The importance-sampling run tried first (prior draws weighted by the likelihood).
    pub importance: ImportanceConfig,
    /// Fewest effective draws importance sampling must keep; `None`: `default_min_ess` (the larger of 1,000 and a hundredth of the draws).
    pub min_ess: Option<f64>,
    /// The SMC run used when importance sampling falls short.
    pub smc: SmcConfig,
}

/// Which algorithm produced a posterior sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Prior draws weighted by the likelihood were enough (ESS at least the minimum).
    ImportanceSampling,
    /// Tempered sequential Monte Carlo replaced importance sampling.
    Smc,
}

/// A posterior sample and how it was obtained.
#[derive(Debug, Clone)]
pub struct Posterior {
    /// Which algorithm produced `sample`.
    pub method: Method,
    /// The sample to summarise (importance sampling's or SMC's).
    pub sample: WeightedSample,
    /// ESS of the importance sample (reported even when SMC replaced it).
    pub importance_ess: f64,
    /// The threshold it was compared with.
    pub min_ess: f64,
    /// log p(y): importance sampling's estimate, or SMC's when SMC ran.
    pub log_evidence: f64,
    /// The SMC run, when importance sampling fell short.
    pub smc: Option<SmcRun>,
}

/// Importance sampling from the prior; when its ESS is below the threshold, tempered SMC
/// instead. Errors as [`importance_sample`] and [`smc`] (a likelihood that is zero at every
/// prior draw is an error, not a reason to try SMC, whose particles start from the prior too).
pub fn posterior(
    prior: &UniformBox,
    log_likelihood: &LogLikelihood,
    config: &PosteriorConfig,
    progress: &ProgressBar,
) -> Result<Posterior> {
    let min_ess = resolve_min_ess(config.min_ess, config.importance.samples)?;
    let run = importance_sample(prior, log_likelihood, &config.importance, progress)?;
    let importance_ess = run.sample.ess();
    if importance_ess >= min_ess {
        return Ok(Posterior {
            method: Method::ImportanceSampling,
            sample: run.sample,
            importance_ess,
            min_ess,
            log_evidence: run.log_evidence,
            smc: None,
        });
    }
    let smc_run = smc(prior, log_likelihood, &config.smc, progress)?;
    Ok(Posterior {
        method: Method::Smc,
        sample: smc_run.sample.clone(),
        importance_ess,
        min_ess,
        log_evidence: smc_run.log_evidence,
        smc: Some(smc_run),
    })
}
