//! Predictor–corrector continuation along a curve `H(x) = 0`, `H: Rⁿ⁺¹ → Rⁿ`, parameterised by
//! arclength, so the curve may turn back in any coordinate (Allgower & Georg, *Numerical
//! Continuation Methods*, 1990: Euler predictor and Newton corrector, ch. 2–3; step-size
//! control, §6.1). Turocy (2005) traces the logit QRE correspondence this way.
//!
//! Each step: the unit tangent `t` spans the kernel of the Jacobian `J` (oriented to agree with
//! the previous tangent), the predictor moves `h` along it, and Newton's method corrects back to
//! the curve with steps orthogonal to `t` (the augmented system `[J; tᵀ] Δ = [H; 0]`).
//! A step is refused — and `h` halved — when the corrector's first step is long, when it
//! contracts too slowly, or when the tangent turns too sharply; all three mean the prediction
//! left the region where Newton's method stays on the same branch.

use crate::error::{Error, Result};
use crate::limits;
use crate::num::tol;
use nalgebra::{DMatrix, DVector};

/// A curve given implicitly: `H(x)` and its `n × (n+1)` Jacobian at `x`.
pub(crate) trait Curve {
    fn eval(&self, x: &DVector<f64>) -> (DVector<f64>, DMatrix<f64>);

    /// Whether the Newton step `delta` that led to `x` is small enough to stop correcting.
    /// By default: relative to the size of the point. A curve whose coordinates matter unequally
    /// (log-probabilities of strategies that have died out) can judge in its own units.
    fn converged(&self, x: &DVector<f64>, delta: &DVector<f64>) -> bool {
        delta.norm() <= tol::QRE_NEWTON * (1.0 + x.amax())
    }
}

/// Initial arclength step (Gambit's default `first_step` for its logit tracer).
const FIRST_STEP: f64 = 0.03;
/// Largest accepted first corrector step, as a fraction of `h` and absolutely (A&G's δ̃).
/// Small on purpose: a long corrector run is how a step lands on another branch of the curve
/// (as it does on Gambit's `loopback.nfg`, where the principal branch folds back).
const MAX_DISTANCE_RATIO: f64 = 0.3;
const MAX_DISTANCE: f64 = 0.1;
/// Largest accepted ratio of successive corrector steps (A&G's κ̃).
const MAX_CONTRACTION: f64 = 0.5;
/// Largest accepted angle between successive tangents, radians (A&G's α̃).
const MAX_ANGLE: f64 = 0.15;
/// Growth of `h` after an easy step is capped at this factor (and shrinkage at 1/2).
const MAX_ACCEL: f64 = 1.25;
/// Newton iterations allowed per corrector run.
const MAX_NEWTON: usize = 12;

/// Follow the curve from `start` (a point on it) in the direction whose tangent agrees with
/// `direction`, with arclength steps at most `max_step`. After each accepted step `visit(previous,
/// next)` is called; tracing stops when it returns `false`.
pub(crate) fn follow<C: Curve>(
    curve: &C,
    start: DVector<f64>,
    direction: &DVector<f64>,
    max_step: f64,
    mut visit: impl FnMut(&DVector<f64>, &DVector<f64>) -> bool,
) -> Result<()> {
    let mut x = start;
    let mut t = tangent(&curve.eval(&x).1, direction)
        .ok_or_else(|| stalled(&x, "the Jacobian is singular at the start"))?;
    let mut h = FIRST_STEP.min(max_step);
    for _ in 0..limits::MAX_PATH_STEPS {
        match step(curve, &x, &t, h) {
            Some(accepted) => {
                let keep_going = visit(&x, &accepted.point);
                x = accepted.point;
                t = accepted.tangent;
                if !keep_going {
                    return Ok(());
                }
                h = (h / accepted.deceleration.clamp(1.0 / MAX_ACCEL, 2.0)).min(max_step);
            }
            None => {
                h /= 2.0;
                if h < tol::QRE_MIN_STEP {
                    return Err(stalled(
                        &x,
                        "no step size was accepted (a bifurcation or turning point?)",
                    ));
                }
            }
        }
    }
    Err(Error::limit(
        "MAX_PATH_STEPS",
        format!(
            "path following needed more than {} steps (limit MAX_PATH_STEPS)",
            limits::MAX_PATH_STEPS
        ),
    ))
}

struct Accepted {
    point: DVector<f64>,
    tangent: DVector<f64>,
    /// A&G's deceleration factor: > 1 means the step was harder than wanted.
    deceleration: f64,
}

/// One predictor–corrector step of length `h`, or `None` if it must be retried shorter.
fn step<C: Curve>(curve: &C, x: &DVector<f64>, t: &DVector<f64>, h: f64) -> Option<Accepted> {
    let mut y = x + t * h;
    let mut first = None;
    let mut previous: Option<f64> = None;
    let mut contraction: f64 = 0.0;
    for _ in 0..MAX_NEWTON {
        let (value, jacobian) = curve.eval(&y);
        let delta = augmented(&jacobian, t).lu().solve(&extend(&value, 0.0))?;
        let norm = delta.norm();
        if !norm.is_finite() {
            return None;
        }
        let first_norm = *first.get_or_insert(norm);
        let max_distance = (MAX_DISTANCE_RATIO * h).min(MAX_DISTANCE);
        if first_norm > max_distance {
            return None;
        }
        y -= &delta;
        if curve.converged(&y, &delta) {
            let next_tangent = tangent(&curve.eval(&y).1, t)?;
            let angle = t.dot(&next_tangent).clamp(-1.0, 1.0).acos();
            if angle > MAX_ANGLE {
                return None;
            }
            let deceleration = [
                (first_norm / max_distance).sqrt(),
                (contraction / MAX_CONTRACTION).sqrt(),
                angle / MAX_ANGLE,
            ]
            .into_iter()
            .fold(0.0, f64::max);
            return Some(Accepted {
                point: y,
                tangent: next_tangent,
                deceleration,
            });
        }
        if let Some(prev) = previous {
            contraction = contraction.max(norm / prev);
            if norm / prev > MAX_CONTRACTION {
                return None;
            }
        }
        previous = Some(norm);
    }
    None
}

/// Unit vector spanning the kernel of `jacobian`, oriented to agree with `previous`
/// (the solution `z` of `[J; previousᵀ] z = [0; 1]` has `z·previous = 1 > 0`).
pub(crate) fn tangent(jacobian: &DMatrix<f64>, previous: &DVector<f64>) -> Option<DVector<f64>> {
    let rhs = extend(&DVector::zeros(jacobian.nrows()), 1.0);
    let z = augmented(jacobian, previous).lu().solve(&rhs)?;
    let norm = z.norm();
    (norm.is_finite() && norm > 0.0).then(|| z / norm)
}

/// `[J; tᵀ]`: square, and invertible wherever the curve is regular.
pub(crate) fn augmented(jacobian: &DMatrix<f64>, t: &DVector<f64>) -> DMatrix<f64> {
    let n = jacobian.nrows();
    let mut a = jacobian.clone().insert_row(n, 0.0);
    a.row_mut(n).copy_from(&t.transpose());
    a
}

pub(crate) fn extend(v: &DVector<f64>, last: f64) -> DVector<f64> {
    v.clone().insert_row(v.len(), last)
}

fn stalled(x: &DVector<f64>, why: &str) -> Error {
    let parameter = x.get(x.len().wrapping_sub(1)).copied().unwrap_or(f64::NAN);
    Error::Solver(format!(
        "path following stopped at parameter {parameter}: {why}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The unit circle x² + y² = 1, traced counter-clockwise from (1, 0).
    struct Circle;
    impl Curve for Circle {
        fn eval(&self, x: &DVector<f64>) -> (DVector<f64>, DMatrix<f64>) {
            let h = DVector::from_vec(vec![x[0] * x[0] + x[1] * x[1] - 1.0]);
            let j = DMatrix::from_row_slice(1, 2, &[2.0 * x[0], 2.0 * x[1]]);
            (h, j)
        }
    }

    #[test]
    fn goes_round_a_circle_through_both_turning_points() {
        // x turns back at (0, 1) and (−1, 0) is reached after arclength π: a curve that is not
        // a graph over either coordinate, which is why continuation uses arclength.
        let start = DVector::from_vec(vec![1.0, 0.0]);
        let up = DVector::from_vec(vec![0.0, 1.0]);
        let mut points = vec![start.clone()];
        follow(&Circle, start, &up, 0.2, |_, next| {
            points.push(next.clone());
            next[1] >= 0.0
        })
        .unwrap();
        let last = points.last().unwrap();
        assert!(last[0] < -0.9, "should have passed (−1, 0): {last}");
        for p in &points {
            assert!((p.norm() - 1.0).abs() < 1e-10, "off the circle: {p}");
        }
        for w in points.windows(2) {
            assert!(
                (&w[1] - &w[0]).norm() <= 0.2 * 1.2,
                "step longer than allowed"
            );
        }
    }
}
