//! Maximum-likelihood fit of the logit precision λ to observed play, along the principal branch
//! (McKelvey & Palfrey 1995 §5; Turocy 2005; what `pygambit.qre.logit_estimate` computes).
//!
//! The data are counts `c_k` of each strategy (tables) or of each action at each information set
//! (trees). Under the QRE profile `π(λ)` of the branch their log-likelihood is
//! `L(λ) = Σ_k c_k·ln π_k(λ) = c·v`, linear in the branch's own unknowns `v = ln π`. The fit is the
//! point of the branch, from λ = 0 up to [`limits::LOGIT_ESTIMATE_MAX_LAMBDA`] (Gambit's default
//! end), with the largest `L`. Each local maximum the branch's points bracket (a point higher than
//! both neighbours, λ increasing across the three) is then located exactly: `dL/dλ = c·dv/dλ`
//! with `dv/dλ = −J_v⁻¹·J_λ` from the branch's Jacobian (implicit function theorem), bisected to
//! its sign change, each trial point polished onto the branch at its λ.
//!
//! Where `L` has no interior maximum the fit says so ([`Fit::still_rising`]): the likelihood is
//! then largest at the end of the traced branch (data consistent with λ → ∞, e.g. pure play of a
//! strict equilibrium) or flat (data no profile explains better than uniform play), and λ is
//! not identified.

use super::branch::{self, Ended, QreSystem};
use super::path;
use super::tree::AgentLogitSystem;
use super::{LogitSystem, UNBOUNDED_STEP};
use crate::error::{Error, Result};
use crate::game::tree::{Behavior, ExtensiveGame};
use crate::game::StrategicGame;
use crate::limits;
use crate::num::tol;
use crate::solve::deadline::Deadline;
use nalgebra::DVector;

/// Bisection steps on `dL/dλ` (each halves the bracket; 80 reach the rounding of λ).
const MAX_BISECTIONS: usize = 80;

/// A maximum-likelihood fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit<P> {
    pub lambda: f64,
    /// The branch's profile at `lambda`.
    pub profile: P,
    pub log_likelihood: f64,
    /// No point after the fit has a likelihood below it by more than the tie tolerance: the
    /// likelihood never turned down before the end of the traced branch, so λ is not identified
    /// (a lower bound at best).
    pub still_rising: bool,
    /// How the trace ended: at [`limits::LOGIT_ESTIMATE_MAX_LAMBDA`], or stopped by the deadline
    /// (the fit is then the best of the part traced).
    pub ended: Ended,
}

impl Fit<()> {
    fn with_profile<P>(self, profile: P) -> Fit<P> {
        Fit {
            lambda: self.lambda,
            profile,
            log_likelihood: self.log_likelihood,
            still_rising: self.still_rising,
            ended: self.ended,
        }
    }
}

/// Fit λ to counts of each strategy, `counts[player][strategy]`.
pub fn estimate_strategic(
    game: &StrategicGame,
    counts: &[Vec<f64>],
    deadline: &Deadline,
) -> Result<Fit<Vec<Vec<f64>>>> {
    let system = LogitSystem::new(game)?;
    let shape: Vec<usize> = counts.iter().map(Vec::len).collect();
    if shape != game.strategy_counts() {
        return Err(Error::Usage(format!(
            "logit --estimate: counts shaped {shape:?}, but the game has {:?} strategies",
            game.strategy_counts()
        )));
    }
    let flat: Vec<f64> = counts.iter().flatten().copied().collect();
    let (x, fit) = fit(&system, &flat, deadline)?;
    Ok(fit.with_profile(system.point(&x).1))
}

/// Fit λ of the agent QRE to counts of each action, `counts[player][infoset][action]`.
pub fn estimate_tree(
    game: &ExtensiveGame,
    counts: &Behavior<f64>,
    deadline: &Deadline,
) -> Result<Fit<Behavior<f64>>> {
    let system = AgentLogitSystem::new(game)?;
    let shape = |b: &Behavior<f64>| -> Vec<Vec<usize>> {
        b.iter().map(|s| s.iter().map(Vec::len).collect()).collect()
    };
    let want: Vec<Vec<usize>> = (0..game.num_players())
        .map(|p| game.infosets(p).iter().map(|s| s.actions.len()).collect())
        .collect();
    if shape(counts) != want {
        return Err(Error::Usage(format!(
            "logit --estimate: counts shaped {:?}, but the game's information sets have {want:?} \
             actions",
            shape(counts)
        )));
    }
    let flat: Vec<f64> = counts.iter().flatten().flatten().copied().collect();
    let (x, fit) = fit(&system, &flat, deadline)?;
    Ok(fit.with_profile(system.point(&x).behaviour))
}

/// The best point of the branch and the fit's other fields (profile left empty).
fn fit<S: QreSystem>(
    system: &S,
    counts: &[f64],
    deadline: &Deadline,
) -> Result<(DVector<f64>, Fit<()>)> {
    let n = system.unknowns();
    if counts.len() != n {
        return Err(Error::Usage(format!(
            "logit --estimate: {} counts for {n} choices",
            counts.len()
        )));
    }
    if let Some(bad) = counts.iter().find(|c| !(c.is_finite() && **c >= 0.0)) {
        return Err(Error::Usage(format!(
            "logit --estimate: counts must be finite and ≥ 0, not {bad}"
        )));
    }
    if counts.iter().sum::<f64>() <= 0.0 {
        return Err(Error::Usage(
            "logit --estimate: the data hold no observations (every count is 0)".into(),
        ));
    }
    let counts = DVector::from_column_slice(counts);
    let log_likelihood = |x: &DVector<f64>| counts.dot(&x.rows(0, n));
    let tie = |l: f64| tol::QRE_LOGLIKE_TIE * (1.0 + l.abs());
    let start = system.centroid();
    let mut best = (log_likelihood(&start), start.clone());
    let mut last = best.0;
    let mut window = vec![(start.clone(), best.0)];
    let mut failure = None;
    let mut stopped = false;
    let mut direction = DVector::zeros(n + 1);
    direction[n] = 1.0;
    path::follow(system, start, &direction, UNBOUNDED_STEP, |_, next| {
        let l = log_likelihood(next);
        last = l;
        window.push((next.clone(), l));
        if window.len() > 3 {
            window.remove(0);
        }
        let mut candidates = vec![(l, next.clone())];
        if let [a, b, c] = &window[..] {
            if b.1 > a.1 && b.1 >= c.1 {
                match peak(system, &counts, a, b, c) {
                    Ok(found) => candidates.push((log_likelihood(&found), found)),
                    Err(e) => {
                        failure = Some(e);
                        return false;
                    }
                }
            }
        }
        for (l, x) in candidates {
            if l > best.0 + tie(best.0) {
                best = (l, x);
            }
        }
        if next[n] >= limits::LOGIT_ESTIMATE_MAX_LAMBDA {
            return false;
        }
        stopped = deadline.passed();
        !stopped
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    let (log_likelihood, x) = best;
    let fit = Fit {
        lambda: x[n],
        profile: (),
        log_likelihood,
        still_rising: last >= log_likelihood - tie(log_likelihood),
        ended: if stopped {
            Ended::Stopped
        } else {
            Ended::AtTarget
        },
    };
    Ok((x, fit))
}

/// The maximiser of `L` between path points `a` and `c` around the highest point `b`: the sign
/// change of `dL/dλ` by bisection, when λ increases from a to b to c and the sign change is
/// bracketed; else `b` itself.
fn peak<S: QreSystem>(
    system: &S,
    counts: &DVector<f64>,
    a: &(DVector<f64>, f64),
    b: &(DVector<f64>, f64),
    c: &(DVector<f64>, f64),
) -> Result<DVector<f64>> {
    let n = system.unknowns();
    let (la, lb, lc) = (a.0[n], b.0[n], c.0[n]);
    if !(la < lb && lb < lc) {
        return Ok(b.0.clone());
    }
    let slope_at_b = slope(system, counts, &b.0)?;
    let (lo_point, hi_point) = if slope_at_b > 0.0 {
        (&b.0, &c.0)
    } else {
        (&a.0, &b.0)
    };
    let (mut lo, mut hi) = (lo_point[n], hi_point[n]);
    let at = |lambda: f64| branch::polish_at(system, lo_point, hi_point, lambda);
    let slope_lo = slope(system, counts, lo_point)?;
    let slope_hi = slope(system, counts, hi_point)?;
    if !(slope_lo > 0.0 && slope_hi <= 0.0) {
        return Ok(b.0.clone());
    }
    let mut best = hi_point.clone();
    for _ in 0..MAX_BISECTIONS {
        let mid = 0.5 * (lo + hi);
        if !(lo < mid && mid < hi) {
            break;
        }
        let x = at(mid)?;
        if slope(system, counts, &x)? > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        best = x;
    }
    Ok(best)
}

/// `dL/dλ` along the branch at a point of it.
fn slope<S: QreSystem>(system: &S, counts: &DVector<f64>, x: &DVector<f64>) -> Result<f64> {
    let n = system.unknowns();
    let (_, jacobian) = system.eval(x);
    let square = jacobian.columns(0, n).into_owned();
    let dv = square
        .lu()
        .solve(&(-jacobian.column(n)))
        .ok_or_else(|| Error::Solver(format!("logit: singular Jacobian at λ = {}", x[n])))?;
    Ok(counts.dot(&dv))
}
