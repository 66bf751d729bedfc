//! A generic Bayesian inference engine for a few bounded parameters: importance sampling from
//! the prior, likelihood-tempered sequential Monte Carlo when that degenerates, posterior
//! summaries and predictive bands, leave-one-out predictive densities and simulation-based
//! calibration. It knows nothing about the patron model: a problem is a prior box plus a
//! log-likelihood closure.
//!
//! ```
//! use indicatif::ProgressBar;
//! use patron::calibrate::{posterior, summarise, Dimension, PosteriorConfig, UniformBox};
//!
//! // A weekly truce-breaking hazard p: three truces broke after 2, 5 and 0 quiet weeks and one
//! // still holds after 4, so the likelihood is p³ (1 − p)¹¹ and the posterior Beta(4, 12).
//! let prior = UniformBox::new(vec![Dimension::new("hazard", 0.0, 1.0)])?;
//! let log_likelihood = |t: &[f64]| 3.0 * t[0].ln() + 11.0 * (1.0 - t[0]).ln();
//! let config = PosteriorConfig::default();
//! let post = posterior(&prior, &log_likelihood, &config, &ProgressBar::hidden())?;
//! let hazard = &summarise(&prior, &post.sample)[0];
//! assert!((hazard.posterior.mean - 0.25).abs() < 0.01); // Beta(4, 12) has mean 4/16
//! assert!(hazard.shrinkage < 0.5); // sd 0.105 against the prior's 0.289
//! # Ok::<(), patron::Error>(())
//! ```
//!
//! # The problem
//!
//! Parameters θ ∈ ℝᵈ have independent uniform priors on a box Π [loₖ, hiₖ] ([`UniformBox`]).
//! The data enter only through a log-likelihood ℓ(θ) = log p(y | θ), a closure
//! `Fn(&[f64]) -> f64 + Sync` ([`LogLikelihood`]); ℓ(θ) = −∞ (the data are impossible at θ) is
//! allowed and gives θ weight zero; NaN or +∞ is an error naming θ. For leave-one-out the
//! likelihood is given per observation, ℓᵢ(θ) = log p(yᵢ | θ), with ℓ = Σᵢ ℓᵢ
//! ([`PointwiseLogLikelihood`]).
//!
//! # Importance sampling from the prior ([`importance_sample`])
//!
//! Draws θ₁ … θ_N from the prior, weights wₛ ∝ exp ℓ(θₛ), normalised in log space by
//! log-sum-exp (so likelihoods of e⁻¹⁰⁰⁰ do not underflow). The evidence estimate is
//! log Z = log (1/N) Σ exp ℓ(θₛ), and Kish's effective sample size
//! ESS = (Σ w)² / Σ w² (Kish 1965; Liu 1996) measures how many equally weighted draws the
//! weighted sample is worth. Draw s reads ChaCha8 stream s under the seed (as sweeps do,
//! `sweep::rng`), so the sample is the same whatever the number of threads.
//!
//! # When importance sampling is not enough ([`posterior`])
//!
//! [`posterior`] runs importance sampling and switches to sequential Monte Carlo when
//! ESS < max(1000, N/100) ([`default_min_ess`]). The 1000: a 5 % quantile estimated from m
//! effectively independent draws has a standard error of √(0.05·0.95/m) in probability, 0.007 at
//! m = 1000 (the band's edge sits between the 4.3 % and 5.7 % quantiles), coarser bands than a
//! report should show. The N/100: Kish's ESS is itself estimated from the weights and is
//! optimistic when a few weights dominate; when fewer than 1 % of the draws carry the weight,
//! the prior is a poor proposal (the sample size importance sampling needs grows like exp of the
//! Kullback–Leibler divergence from prior to posterior; Chatterjee & Diaconis 2018), and its
//! error estimates themselves become unreliable.
//!
//! # Sequential Monte Carlo with likelihood tempering ([`smc`])
//!
//! Particles move through the tempered posteriors πₜ(θ) ∝ p(θ) exp(βₜ ℓ(θ)), 0 = β₀ < β₁ < … < β_T = 1
//! (Del Moral, Doucet & Jasra 2006; tempering as in Neal 2001 and Chopin 2002). Each stage:
//!
//! 1. **Next temperature** by bisection on β so that the conditional ESS of the incremental
//!    weights, CESS(β) = N (Σ Wₛ uₛ)² / Σ Wₛ uₛ², uₛ = exp((β − βₜ) ℓ(θₛ)), Wₛ the normalised
//!    current weights (Zhou, Johansen & Aston 2016), is a fixed fraction α (default 0.5) of its
//!    limit as β ↓ βₜ (which is N times the weight on finite likelihoods: particles with
//!    ℓ = −∞ die at the first step whatever its size); β = 1 if that already satisfies the
//!    target (adaptive schedule of Jasra, Stephens, Doucet & Tsagaris 2011).
//! 2. **Reweight** by uₛ; the evidence estimate gains log Σ Wₛ uₛ.
//! 3. **Resample** systematically (Carpenter, Clifford & Fearnhead 1999): one uniform U, copies
//!    of particle s for each (U + k)/N in its cumulative-weight interval; weights become equal.
//! 4. **Move** every particle by random-walk Metropolis–Hastings targeting π_{t+1}: the proposal
//!    adds 2.38/√d × (the particles' per-dimension standard deviation) × a standard normal to each
//!    coordinate (Roberts, Gelman & Gilks 1997's optimal scaling), reflected into the box (the
//!    reflected Gaussian kernel is symmetric, so the acceptance ratio is the target ratio alone),
//!    accepted with probability min(1, exp(β (ℓ(θ′) − ℓ(θ)))). After the first sweep with
//!    acceptance rate a, the stage runs k = ⌈log ρ / log(1 − a)⌉ sweeps in all (clamped to
//!    [min, max] moves), so that a particle has probability about ρ (default 0.01) of never
//!    having moved (Drovandi & Pettitt 2011).
//!
//! Each particle reads its own ChaCha8 streams (keyed by seed and stage: one for its first
//! sweep, one for the rest, which it runs on its own once the first sweep's acceptance rate has
//! fixed k), so the run is reproducible whatever the number of threads. The report lists the
//! schedule, each stage's ESS, acceptance rate and moves, and log Z = Σₜ log Σ Wₛ uₛ.
//!
//! # Summaries ([`summarise`], [`bands`])
//!
//! Per dimension: prior and posterior mean, standard deviation, 5/50/95 % quantiles, and the
//! shrinkage posterior sd / prior sd. Weighted quantiles invert the weighted empirical
//! distribution with each draw's mass centred on it (draw k of n equal weights sits at
//! probability (k − ½)/n, Hyndman & Fan 1996 type 5), interpolating linearly between draws.
//! [`bands`] gives the same quantiles of any derived vector (posterior predictive bands).
//!
//! # Leave-one-out ([`leave_one_out`])
//!
//! For each observation i: the prior predictive density log ∫ p(yᵢ|θ) p(θ) dθ =
//! log (1/N) Σₛ exp ℓᵢ(θₛ) and the leave-one-out predictive density
//! log ∫ p(yᵢ|θ) p(θ|y₋ᵢ) dθ = log Σₛ exp ℓ(θₛ) − log Σₛ exp ℓ₋ᵢ(θₛ) (a ratio of evidences,
//! both from the same prior draws; ℓ₋ᵢ = Σ_{j≠i} ℓⱼ). It is reliable when the fold's posterior
//! p(θ|y₋ᵢ) is well represented by the weighted prior draws, so each fold reports its ESS and,
//! below the same threshold as [`posterior`], is recomputed by SMC on y₋ᵢ as
//! log (1/N) Σ exp ℓᵢ(θ) over its particles (unless the fallback is switched off). The ratio
//! is a self-normalised importance estimate of E[p(yᵢ|θ) | y₋ᵢ]; its relative error is about
//! CV/√ESS, CV the coefficient of variation of p(yᵢ|θ) under p(θ|y₋ᵢ). A very influential
//! observation (p(yᵢ|θ) varying by orders of magnitude over that posterior) has a large CV, so
//! its fold is noisier than its ESS alone suggests. (Unlike leave-one-out from full-posterior
//! draws with weights 1/p(yᵢ|θ), whose variance can be infinite — Vehtari, Gelman & Gabry
//! 2017 — the integrand here is bounded wherever the likelihood is, so the variance is finite.)
//!
//! # Simulation-based calibration ([`sbc`])
//!
//! Talts, Betancourt, Simpson, Vehtari & Gelman (2018): for r = 1 … R draw θ* from the prior,
//! data from the simulator at θ*, a posterior from the caller's routine, L draws from it, and per
//! dimension the rank of θ*ₖ among them (0 … L). If the routine is correct the rank is uniform on
//! {0, …, L}; B bins of (L + 1)/B ranks each are tested by Pearson's χ² with B − 1 degrees of
//! freedom, whose p-value [`chi_square_survival`] computes from the regularised incomplete gamma
//! function (series and continued fraction, DLMF 8.7.1 and 8.9.2). SBC cannot see a routine
//! that returns the prior (its ranks are uniform too): it detects posteriors that are too narrow,
//! too wide or biased.
//!
//! # Progress
//!
//! The long functions take an indicatif `ProgressBar` (`ProgressBar::hidden()` for none) and
//! advance it by one per likelihood evaluation (SBC: per replication); SMC also sets its
//! message to the stage and β. There is no cancellation: a run ends when done or on an error.
//!
//! Every function validates its input and returns [`crate::Error`] rather than panicking:
//! an empty box, lo ≥ hi, zero draws, sizes above `limits` (`MAX_CALIBRATION_SAMPLES`,
//! `MAX_CALIBRATION_VALUES`, `MAX_SMC_STAGES`, `MAX_SMC_MOVES`, `MAX_SBC_REPLICATIONS`), or a
//! likelihood that is −∞ at every draw.

mod gamma;
mod importance;
mod loo;
mod moves;
mod posterior;
mod prior;
mod sample;
mod sbc;
mod smc;
mod streams;
mod summary;
mod temper;

pub use gamma::chi_square_survival;
pub use importance::{importance_sample, ImportanceConfig};
pub use loo::{leave_one_out, LooConfig, LooReport};
pub use posterior::{default_min_ess, posterior, Method, Posterior, PosteriorConfig};
pub use prior::{Dimension, UniformBox};
pub use sample::{log_sum_exp, WeightedSample};
pub use sbc::{sbc, SbcConfig, SbcReport};
pub use smc::{smc, SmcConfig, SmcRun, SmcStage};
pub use summary::{bands, summarise, Band, DimensionSummary, Moments};

/// log p(y | θ): the data's log-likelihood at θ; −∞ where the data are impossible.
pub type LogLikelihood<'a> = dyn Fn(&[f64]) -> f64 + Sync + 'a;

/// log p(yᵢ | θ) for every observation i, in a fixed order (same length at every θ).
pub type PointwiseLogLikelihood<'a> = dyn Fn(&[f64]) -> Vec<f64> + Sync + 'a;

#[cfg(test)]
mod testing;
