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

/// What happened to one particle.
enum Step {
    /// Proposals accepted.
    Moved(usize),
    /// The log-likelihood at the proposal was NaN or +∞.
    Bad(f64, Vec<f64>),
}

/// `steps` Metropolis–Hastings steps of every particle (`points` row-major, `ll` their
/// log-likelihoods) targeting prior × exp(β ℓ) with proposal standard deviations `sd`;
/// particle s reads stream s of the key for `(seed, index)`. Particles move independently, in
/// parallel. Returns the number of accepted proposals.
#[allow(clippy::too_many_arguments)]
pub(super) fn walk(
    prior: &UniformBox,
    log_likelihood: &LogLikelihood,
    beta: f64,
    sd: &[f64],
    points: &mut [f64],
    ll: &mut [f64],
    (seed, index): (u64, u64),
    steps: u32,
) -> Result<usize> {
    let d = prior.dim();
    let outcomes: Vec<Step> = points
        .par_chunks_mut(d)
        .zip(ll.par_iter_mut())
        .enumerate()
        .map(|(s, (theta, l))| {
            let mut rng = stream(seed, Purpose::SmcMove, index, s as u64);
            let mut proposal = vec![0.0; d];
            let mut moved = 0;
            for _ in 0..steps {
                for (k, x) in proposal.iter_mut().enumerate() {
                    *x = prior.reflect(k, theta[k] + sd[k] * normal(&mut rng));
                }
                let l_new = log_likelihood(&proposal);
                if l_new.is_nan() || l_new == f64::INFINITY {
                    return Step::Bad(l_new, proposal);
                }
                let log_u = (1.0 - rng.unit()).ln();
                if l_new > f64::NEG_INFINITY && log_u < beta * (l_new - *l) {
                    theta.copy_from_slice(&proposal);
                    *l = l_new;
                    moved += 1;
                }
            }
            Step::Moved(moved)
        })
        .collect();
    let mut accepted = 0;
    for outcome in outcomes {
        match outcome {
            Step::Moved(count) => accepted += count,
            Step::Bad(value, theta) => {
                return Err(Error::Solver(format!(
                    "the log-likelihood is {value} at θ = {theta:?}: it must be a number or −∞"
                )))
            }
        }
    }
    Ok(accepted)
}
