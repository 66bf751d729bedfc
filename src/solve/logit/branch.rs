//! The principal branch of a logit QRE system, whatever the game's form: the unknowns are
//! log-probabilities `v` and the precision λ (last), the equations one fewer, and the branch the
//! curve through the centroid at λ = 0 (Turocy 2005 for tables, 2010 for trees). This module
//! follows it ([`path::follow`]) up to a target λ and polishes the point at the target by
//! Newton's method at fixed λ (near a bifurcation, with the nearly singular directions left
//! out); each system ([`super::LogitSystem`] for tables,
//! [`super::tree::AgentLogitSystem`] for trees) only supplies its equations and its start.

use super::path::{self, Curve};
use crate::error::{Error, Result};
use crate::num::tol;
use crate::solve::deadline::Deadline;
use nalgebra::DVector;

/// Newton iterations allowed when polishing the point at the requested λ.
const MAX_POLISH: usize = 50;

/// A logit QRE system: a [`Curve`] in `(v, λ)` with λ the last unknown.
pub(crate) trait QreSystem: Curve {
    /// Number of log-probabilities (λ is the unknown after them).
    fn unknowns(&self) -> usize;
    /// The branch's start: every choice equally likely, λ = 0.
    fn centroid(&self) -> DVector<f64>;
}

/// Where a trace ended: at the target, or earlier because the deadline passed (the last
/// recorded point is then a point of the branch at a smaller λ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The trace reached the λ asked for.
    AtTarget,
    /// The deadline stopped the trace first.
    Stopped,
}

/// Check a requested λ and step bound.
pub(crate) fn check_arguments(target: f64, max_step: f64) -> Result<()> {
    if !(target.is_finite() && target >= 0.0) {
        return Err(Error::Usage(format!(
            "logit: λ must be a finite number ≥ 0, not {target}"
        )));
    }
    if max_step.is_nan() || max_step <= 0.0 {
        return Err(Error::Usage(format!(
            "logit: the maximum step must be positive, not {max_step}"
        )));
    }
    Ok(())
}

/// Follow the branch of `system` to `target`, handing every point (the start, each step, the
/// final point at `target`) to `record`; stop early, at the last accepted step, once `deadline`
/// has passed.
pub(crate) fn trace<S: QreSystem>(
    system: &S,
    target: f64,
    max_step: f64,
    deadline: &Deadline,
    mut record: impl FnMut(&DVector<f64>),
) -> Result<Ended> {
    check_arguments(target, max_step)?;
    let n = system.unknowns();
    let start = system.centroid();
    record(&start);
    if target <= 0.0 {
        return Ok(Ended::AtTarget);
    }
    let mut direction = DVector::zeros(n + 1);
    direction[n] = 1.0;
    let mut crossing = None;
    let mut stopped = false;
    path::follow(system, start, &direction, max_step, |prev, next| {
        if next[n] >= target {
            crossing = Some((prev.clone(), next.clone()));
            return false;
        }
        record(next);
        stopped = deadline.passed();
        !stopped
    })?;
    if stopped {
        return Ok(Ended::Stopped);
    }
    let (prev, next) =
        crossing.ok_or_else(|| Error::Solver("logit: the path ended early".into()))?;
    record(&polish_at(system, &prev, &next, target)?);
    Ok(Ended::AtTarget)
}

/// The point at `λ = target` near the segment from `prev` to `next` (two path points, or any
/// good guesses): Newton's method on the square system in `v` alone, from the point of the
/// segment at `target` (the segment's end when λ does not change along it).
pub(crate) fn polish_at<S: QreSystem>(
    system: &S,
    prev: &DVector<f64>,
    next: &DVector<f64>,
    target: f64,
) -> Result<DVector<f64>> {
    let n = system.unknowns();
    let (l0, l1) = (prev[n], next[n]);
    let theta = if (l1 - l0).abs() > 0.0 {
        ((target - l0) / (l1 - l0)).clamp(0.0, 1.0)
    } else {
        1.0
    };
    let mut x = prev + (next - prev) * theta;
    x[n] = target;
    // How well the best iterate's equations hold, and that iterate.
    let mut best = (f64::INFINITY, x.clone());
    for _ in 0..MAX_POLISH {
        let (value, jacobian) = system.eval(&x);
        let residual = value.amax();
        if residual < best.0 {
            best = (residual, x.clone());
        }
        let square = jacobian.columns(0, n).into_owned();
        let delta = square
            .lu()
            .solve(&value)
            .ok_or_else(|| Error::Solver(format!("logit: singular Jacobian at λ = {target}")))?;
        let mut v = x.rows_mut(0, n);
        v -= &delta;
        if system.converged(&x, &delta.clone().insert_row(n, 0.0)) {
            return Ok(x);
        }
    }
    // Near a bifurcation of the branch (w_ex2.efg's pitchfork at λ ≈ 1.06992) the Jacobian is
    // nearly singular, and Newton's steps wander along its nearly flat direction by far more
    // than the step test allows, whatever the equations' residual. From the iterate whose
    // equations held best, Newton's steps with the Jacobian's smallest singular directions left
    // out (below `tol::QRE_SINGULAR_CUTOFF` of the largest) settle the rest; the point is the
    // answer once its equations hold to the corrector's tolerance. Along the left-out direction
    // it is fixed only as well as the equations fix it there.
    let mut x = best.1;
    for _ in 0..MAX_POLISH {
        let (value, jacobian) = system.eval(&x);
        if value.amax() <= tol::QRE_NEWTON * (1.0 + target) {
            return Ok(x);
        }
        let svd = jacobian.columns(0, n).into_owned().svd(true, true);
        let cutoff = tol::QRE_SINGULAR_CUTOFF * svd.singular_values.max();
        let delta = svd
            .solve(&value, cutoff)
            .map_err(|e| Error::Solver(format!("logit: no Newton step at λ = {target}: {e}")))?;
        let mut v = x.rows_mut(0, n);
        v -= &delta;
    }
    Err(Error::Solver(format!(
        "logit: Newton's method did not converge at λ = {target}"
    )))
}

/// The corrector's stopping rule for log-probability unknowns: no probability moved by more than
/// `QRE_NEWTON·(1 + λ·payoff_scale)` and λ by no more than `QRE_NEWTON·(1 + λ)`. Why in
/// probabilities: the log-probability of a choice that has died out (π ≈ e^−5000) is fixed only
/// to the rounding of the `λ·u` terms it comes from, and Newton's steps in it never shrink below
/// that, although they move no probability at all. Why scaled by `λ·payoff_scale`: those terms
/// carry relative rounding errors, so that is as close as any point can be computed.
pub(crate) fn converged_in_probabilities(
    x: &DVector<f64>,
    delta: &DVector<f64>,
    payoff_scale: f64,
) -> bool {
    let n = x.len() - 1;
    let lambda = x[n];
    let moved = (0..n)
        .map(|k| (x[k].exp() - (x[k] + delta[k]).exp()).abs())
        .fold(0.0, f64::max);
    moved <= tol::QRE_NEWTON * (1.0 + lambda.abs() * payoff_scale)
        && delta[n].abs() <= tol::QRE_NEWTON * (1.0 + lambda.abs())
}
