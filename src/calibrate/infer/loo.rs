//! Leave-one-out and prior predictive densities of each observation, from one set of prior
//! draws, with a per-fold SMC fallback (see the module docs of `infer`).

use super::{ImportanceConfig, Method, PointwiseLogLikelihood, SmcConfig, UniformBox};
use crate::Result;
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
    let _ = (prior, pointwise, config, progress);
    Err(super::not_yet("leave-one-out"))
}
