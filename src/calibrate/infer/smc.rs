//! Sequential Monte Carlo with likelihood tempering (see the module docs of `infer` for the
//! algorithm and its sources): the stages' loop, the schedule and the evidence estimate.

use super::{LogLikelihood, UniformBox, WeightedSample};
use crate::Result;
use indicatif::ProgressBar;
use serde::Serialize;

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
    let _ = (prior, log_likelihood, config, progress);
    Err(super::not_yet("sequential Monte Carlo"))
}
