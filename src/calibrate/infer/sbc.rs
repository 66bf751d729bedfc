//! Simulation-based calibration (Talts et al. 2018; see the module docs of `infer`).

use super::{UniformBox, WeightedSample};
use crate::sweep::rng::PointRng;
use crate::Result;
use indicatif::ProgressBar;
use serde::Serialize;

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
    pub replications: u64,
    pub draws: usize,
    pub bins: usize,
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
    let _ = (prior, &simulate, &posterior, config, progress);
    Err(super::not_yet("simulation-based calibration"))
}
