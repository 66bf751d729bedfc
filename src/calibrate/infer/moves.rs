//! Random-walk Metropolis–Hastings sweeps on the prior box at temperature β.
//!
//! Coordinate k moves by σₖ·z, z standard normal, then is reflected into [loₖ, hiₖ]. The
//! reflected Gaussian kernel is symmetric (the density of reaching y from x sums the Gaussian
//! over the mirror images of y, a function of |x − y| and of the images' distances alike), and
//! the prior is flat on the box, so the proposal is accepted with probability
//! min(1, exp(β (ℓ(θ′) − ℓ(θ)))). Each particle reads its own stream.

use super::streams::{normal, stream, Purpose};
use super::{LogLikelihood, UniformBox};
use crate::{Error, Result};
use rayon::prelude::*;

/// What happened to one particle in one sweep.
enum Step {
    Stayed,
    Moved,
    /// The log-likelihood at the proposal was NaN or +∞.
    Bad(f64, Vec<f64>),
}

/// One sweep over every particle (`points` row-major, `ll` their log-likelihoods) targeting
/// prior × exp(β ℓ) with proposal standard deviations `sd`; particle s reads stream s of the
/// key for (`seed`, `index`). Returns the number of accepted proposals.
#[allow(clippy::too_many_arguments)]
pub(super) fn sweep(
    prior: &UniformBox,
    log_likelihood: &LogLikelihood,
    beta: f64,
    sd: &[f64],
    points: &mut [f64],
    ll: &mut [f64],
    seed: u64,
    index: u64,
) -> Result<usize> {
    let d = prior.dim();
    let steps: Vec<Step> = points
        .par_chunks_mut(d)
        .zip(ll.par_iter_mut())
        .enumerate()
        .map(|(s, (theta, l))| {
            let mut rng = stream(seed, Purpose::SmcMove, index, s as u64);
            let proposal: Vec<f64> = (0..d)
                .map(|k| prior.reflect(k, theta[k] + sd[k] * normal(&mut rng)))
                .collect();
            let l_new = log_likelihood(&proposal);
            if l_new.is_nan() || l_new == f64::INFINITY {
                return Step::Bad(l_new, proposal);
            }
            let log_u = (1.0 - rng.unit()).ln();
            if l_new > f64::NEG_INFINITY && log_u < beta * (l_new - *l) {
                theta.copy_from_slice(&proposal);
                *l = l_new;
                Step::Moved
            } else {
                Step::Stayed
            }
        })
        .collect();
    let mut accepted = 0;
    for step in steps {
        match step {
            Step::Moved => accepted += 1,
            Step::Stayed => {}
            Step::Bad(value, theta) => {
                return Err(Error::Solver(format!(
                    "the log-likelihood is {value} at θ = {theta:?}: it must be a number or −∞"
                )))
            }
        }
    }
    Ok(accepted)
}
