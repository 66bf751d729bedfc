//! The conjugate-gradient minimiser `liap` runs: Polak–Ribière directions with a bracketing line
//! search, as in Gambit 16 (its port of the GNU Scientific Library 1.2's `conjugate_pr`
//! minimiser; Polak & Ribière 1969, the line search after Brent's parabolic/golden-section
//! method, "Algorithms for Minimization without Derivatives", 1973, ch. 5).
//!
//! One iteration from `x` with direction `p` (the gradient at the start, and after every
//! `len(x)` line searches):
//! 1. try `x_c = x − s·p/|p|` (sign chosen so the step goes downhill) with the current trial step
//!    `s`; if the value falls, accept it and double `s` — the direction is kept;
//! 2. otherwise find an intermediate step `b` in `(0, s)` by parabolic interpolation from the
//!    slope at `x` and the value at `x_c`, shrinking while it does not lower the value; then
//!    refine the bracket `0 < b < s` by at most 10 parabolic or golden-section (0.38) trials,
//!    stopping once the gradient at the best point is nearly orthogonal to `p`
//!    (|p·g| / (|p| |g|) < `tol`);
//! 3. take the best point, set `s` to its step, and the next direction `p' = g₁ − β p` with
//!    `β = (g₀ − g₁)·g₁ / |g₀|²` (restarting from the gradient every `len(x)` searches).
//!
//! Using Gambit's exact steps, constants and order of operations makes the same start reach the
//! same point (the function has many local minima, so a different line search reaches others).

use crate::solve::deadline::Deadline;

/// A smooth function to minimise, with its gradient.
pub trait Objective {
    /// The value at `x`.
    fn value(&self, x: &[f64]) -> f64;
    /// The gradient at `x` (projected onto the directions the minimiser may move in).
    fn gradient(&self, x: &[f64]) -> Vec<f64>;
}

/// Where the minimisation stopped.
#[derive(Debug, Clone)]
pub struct Minimum {
    /// The last point.
    pub x: Vec<f64>,
    /// Iterations taken.
    pub iterations: usize,
}

/// Gambit's first trial step and line-search tolerance for `liap`.
const FIRST_STEP: f64 = 0.001;
const LINE_TOLERANCE: f64 = 0.00001;
/// Gambit's stop: the gradient's norm below this.
const GRADIENT_NORM: f64 = 1e-8;
/// Most refinements of one line search's bracket.
const LINE_TRIALS: usize = 10;
/// The golden-section fraction of Brent's method.
const GOLDEN: f64 = 0.38;

/// The minimiser's state between iterations.
struct PolakRibiere {
    step: f64,
    searches: usize,
    direction: Vec<f64>,
    direction_norm: f64,
    last_gradient: Vec<f64>,
    last_gradient_norm: f64,
}

/// A point on the line `x − t·λ·p`, its value, and its step `t`.
struct LinePoint {
    x: Vec<f64>,
    value: f64,
    step: f64,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// `x − step·λ·p`.
fn along(x: &[f64], p: &[f64], step: f64, lambda: f64) -> Vec<f64> {
    x.iter()
        .zip(p)
        .map(|(a, d)| a + (-step * lambda) * d)
        .collect()
}

impl PolakRibiere {
    /// One iteration from `x` (value `value`, gradient `gradient`, all updated); false when no
    /// step lowers the function.
    fn iterate(
        &mut self,
        f: &impl Objective,
        x: &mut Vec<f64>,
        value: &mut f64,
        gradient: &mut Vec<f64>,
    ) -> bool {
        if self.direction_norm == 0.0 || self.last_gradient_norm == 0.0 {
            return false;
        }
        let fa = *value;
        let pg = dot(&self.direction, gradient);
        let lambda = if pg >= 0.0 { 1.0 } else { -1.0 } / self.direction_norm;
        let stepc = self.step;
        let xc = along(x, &self.direction, stepc, lambda);
        let fc = f.value(&xc);
        if fc < fa {
            self.step = 2.0 * stepc;
            *value = fc;
            *gradient = f.gradient(&xc);
            self.last_gradient_norm = norm(gradient);
            *x = xc;
            return true;
        }
        let Some(b) = self.intermediate(f, x, lambda, pg, stepc, fa, fc) else {
            return false;
        };
        *gradient = f.gradient(&b.x);
        if b.step == 0.0 {
            return false;
        }
        let (best, best_norm) = self.refine(f, x, lambda, (0.0, fa), b, (stepc, fc), gradient);
        *x = best.x;
        *value = best.value;
        self.step = best.step;
        self.searches = (self.searches + 1) % x.len();
        if self.searches == 0 {
            self.direction.clone_from(gradient);
            self.direction_norm = best_norm;
        } else {
            let change: Vec<f64> = self
                .last_gradient
                .iter()
                .zip(gradient.iter())
                .map(|(g0, g1)| g0 - g1)
                .collect();
            let beta = dot(&change, gradient) / (self.last_gradient_norm * self.last_gradient_norm);
            for (d, g) in self.direction.iter_mut().zip(gradient.iter()) {
                *d = *d * -beta + g;
            }
            self.direction_norm = norm(&self.direction);
        }
        self.last_gradient_norm = best_norm;
        self.last_gradient.clone_from(gradient);
        true
    }

    /// A step in `(0, stepc)` by parabolic interpolation from the slope at 0 and the value at
    /// `stepc`, shrunk until it lowers the value below `fa` (or reaches 0); `None` when the
    /// parabola is degenerate.
    #[allow(clippy::too_many_arguments)]
    fn intermediate(
        &self,
        f: &impl Objective,
        x: &[f64],
        lambda: f64,
        pg: f64,
        mut stepc: f64,
        fa: f64,
        mut fc: f64,
    ) -> Option<LinePoint> {
        loop {
            let u = (pg * lambda * stepc).abs();
            let denominator = (fc - fa) + u;
            if denominator == 0.0 || !denominator.is_finite() {
                return None;
            }
            let stepb = 0.5 * stepc * u / denominator;
            let xb = along(x, &self.direction, stepb, lambda);
            let fb = f.value(&xb);
            if fb >= fa && stepb > 0.0 {
                (fc, stepc) = (fb, stepb);
                continue;
            }
            return Some(LinePoint {
                x: xb,
                value: fb,
                step: stepb,
            });
        }
    }

    /// Brent-style refinement of the bracket `a < b < c` (steps and values; `b` lowest), with
    /// `gradient` the gradient at `b`, updated to the returned point's. Returns the best point
    /// and its gradient's norm.
    #[allow(clippy::too_many_arguments)]
    fn refine(
        &self,
        f: &impl Objective,
        x: &[f64],
        lambda: f64,
        (mut stepa, fa): (f64, f64),
        b: LinePoint,
        (mut stepc, fc): (f64, f64),
        gradient: &mut Vec<f64>,
    ) -> (LinePoint, f64) {
        let (mut stepb, mut fb) = (b.step, b.value);
        let (mut u, mut v, mut w) = (stepb, stepa, stepc);
        let (mut fu, mut fv, mut fw) = (fb, fa, fc);
        let mut old2 = (w - v).abs();
        let mut old1 = (v - u).abs();
        let mut best = b;
        let mut best_norm = norm(gradient);
        for _ in 0..LINE_TRIALS {
            let dw = w - u;
            let dv = v - u;
            let e1 = (fv - fu) * dw * dw + (fu - fw) * dv * dv;
            let e2 = 2.0 * ((fv - fu) * dw + (fu - fw) * dv);
            let du = if e2 != 0.0 { e1 / e2 } else { 0.0 };
            let stepm = if (du > 0.0 && du < stepc - stepb && du.abs() < 0.5 * old2)
                || (du < 0.0 && du > stepa - stepb && du.abs() < 0.5 * old2)
            {
                u + du
            } else if stepc - stepb > stepb - stepa {
                GOLDEN * (stepc - stepb) + stepb
            } else {
                stepb - GOLDEN * (stepb - stepa)
            };
            let xm = along(x, &self.direction, stepm, lambda);
            let fm = f.value(&xm);
            if fm > fb {
                if fm < fv {
                    (w, v, fw, fv) = (v, stepm, fv, fm);
                } else if fm < fw {
                    (w, fw) = (stepm, fm);
                }
                if stepm < stepb {
                    stepa = stepm;
                } else {
                    stepc = stepm;
                }
            } else if fm <= fb {
                old2 = old1;
                old1 = (u - stepm).abs();
                (w, v, u) = (v, u, stepm);
                (fw, fv, fu) = (fv, fu, fm);
                *gradient = f.gradient(&xm);
                let pg = dot(&self.direction, gradient);
                best_norm = norm(gradient);
                best = LinePoint {
                    x: xm,
                    value: fm,
                    step: stepm,
                };
                if best_norm == 0.0 || (pg * lambda / best_norm).abs() < LINE_TOLERANCE {
                    break;
                }
                if stepm < stepb {
                    stepc = stepb;
                } else {
                    stepa = stepb;
                }
                (stepb, fb) = (stepm, fm);
            } else {
                break;
            }
        }
        (best, best_norm)
    }
}

/// Minimise `f` from `x` as Gambit's `liap` does: Polak–Ribière iterations until one cannot
/// lower the function, the gradient's norm falls below 1e-8, `max_iter` iterations, or the
/// deadline.
pub fn minimise(
    f: &impl Objective,
    mut x: Vec<f64>,
    max_iter: usize,
    deadline: &Deadline,
) -> Minimum {
    let mut value = f.value(&x);
    let mut gradient = f.gradient(&x);
    let gradient_norm = norm(&gradient);
    let mut state = PolakRibiere {
        step: FIRST_STEP,
        searches: 0,
        direction: gradient.clone(),
        direction_norm: gradient_norm,
        last_gradient: gradient.clone(),
        last_gradient_norm: gradient_norm,
    };
    for iteration in 0..max_iter {
        if deadline.passed() || !state.iterate(f, &mut x, &mut value, &mut gradient) {
            return Minimum {
                x,
                iterations: iteration,
            };
        }
        if norm(&gradient) < GRADIENT_NORM {
            return Minimum {
                x,
                iterations: iteration + 1,
            };
        }
    }
    Minimum {
        x,
        iterations: max_iter,
    }
}
