//! `liap`: an approximate Nash equilibrium by minimising a Lyapunov function from a start
//! profile (Gambit's `gambit-liap`, pygambit's `liap_solve`).
//!
//! Method: McKelvey, "A Liapunov function for Nash equilibria" (Caltech social science working
//! paper 1991; McKelvey & McLennan, Handbook of Computational Economics vol. 1, 1996, §7). For
//! an unconstrained vector `x` (one entry per strategy)
//!
//! `L(x) = Σ_i Σ_s max(0, u_i(s, x_{−i}) − u_i(x))² + Σ_i (1 − Σ_s x_{is})² + Σ_{i,s} min(0, x_{is})²`
//!
//! is nonnegative, and zero exactly at the Nash equilibria (the last two terms, Gambit's
//! penalties, keep `x` on the product of simplices). It is smooth enough for conjugate gradients
//! (Polak–Ribière with restarts, a backtracking line search; Nocedal & Wright, "Numerical
//! Optimization", §5.2), run from the start (the centroid by default) for at most `max_iter`
//! iterations, until the profile's regret is at most `max_regret` × the payoff range. The
//! function has local minima that are not equilibria; then, as in Gambit, there is no answer.
//! An answer is polished like simpdiv's ([`crate::solve::polish`]) and certified.

pub mod agent;
pub mod function;

#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use crate::game::regret::payoff_range;
use crate::game::{Equilibrium, StrategicGame};
use crate::num::{to_f64, Q};
use crate::solve::deadline::Deadline;
use crate::solve::polish::polish;
use function::{minimise, StrategicLyapunov};

/// pygambit's defaults for `liap_solve`: regret bound (fraction of the payoff range) and
/// iterations.
pub const DEFAULT_MAX_REGRET: f64 = 1e-4;
pub const DEFAULT_MAX_ITER: usize = 1000;

/// Options of `liap`, as Gambit names them.
#[derive(Debug, Clone)]
pub struct LiapOptions {
    /// Start profile; `None` for the centroid.
    pub start: Option<Vec<Vec<Q>>>,
    pub max_regret: f64,
    pub max_iter: usize,
}

impl Default for LiapOptions {
    fn default() -> Self {
        LiapOptions {
            start: None,
            max_regret: DEFAULT_MAX_REGRET,
            max_iter: DEFAULT_MAX_ITER,
        }
    }
}

/// The answer from one start.
#[derive(Debug, Clone)]
pub struct LiapAnswer {
    /// `None` when the minimisation ended away from an equilibrium (a local minimum, the
    /// iteration limit, or the deadline).
    pub equilibrium: Option<Equilibrium>,
    pub iterations: usize,
    /// False when the deadline stopped it.
    pub complete: bool,
}

/// Check the regret bound and iteration count a user gave.
pub fn check_options(max_regret: f64, max_iter: usize) -> Result<()> {
    if !(max_regret.is_finite() && max_regret > 0.0) {
        return Err(Error::Usage(format!(
            "--max-regret must be positive, got {max_regret}"
        )));
    }
    if max_iter == 0 {
        return Err(Error::Usage("--max-iter must be at least 1".into()));
    }
    Ok(())
}

/// Minimise the Lyapunov function of `game` from `options.start`.
pub fn liap_until(
    game: &StrategicGame,
    options: &LiapOptions,
    deadline: &Deadline,
) -> Result<LiapAnswer> {
    check_options(options.max_regret, options.max_iter)?;
    let start = options
        .start
        .clone()
        .unwrap_or_else(|| crate::solve::simpdiv::centroid(game));
    crate::solve::simpdiv::check_start(game, &start)?;
    let x: Vec<f64> = start.iter().flatten().map(to_f64).collect();
    let bound = options.max_regret * payoff_range(game);
    let function = StrategicLyapunov::new(game);
    let minimum = minimise(&function, x, bound, options.max_iter, deadline);
    let profile = function.profile(&minimum.x);
    let equilibrium = (function.regret(&profile) <= bound)
        .then(|| polish(game, &profile, None, bound))
        .flatten();
    Ok(LiapAnswer {
        equilibrium,
        iterations: minimum.iterations,
        complete: !deadline.was_reached(),
    })
}
