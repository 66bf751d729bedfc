//! The Krawczyk test: does a box hold exactly one zero of `f`, none, or is it undecided?
//!
//! For a box `X` with midpoint `m`, an enclosure `J(X)` of the Jacobian over `X` and a
//! nonsingular matrix `Y` (here the inverse of the midpoint of `J(X)`), the Krawczyk operator
//!
//! `K(X) = m − Y f(m) + (I − Y J(X)) (X − m)`
//!
//! encloses every zero of `f` in `X`; if `K(X)` lies in the interior of `X`, `X` holds exactly one
//! zero, and if `K(X) ∩ X` is empty it holds none (Krawczyk 1969; Moore, Kearfott & Cloud,
//! "Introduction to Interval Analysis", SIAM 2009, §8.2). `X − m` is the symmetric vector
//! `[−h, h]`, so with `J(X) = J_c ± J_r` the operator is the box `c ± ρ` with
//! `c = m − Y f(m)` and `ρ = (|I − Y J_c| + |Y| J_r) h + |Y| e`, `e` bounding the rounding of
//! `f(m)`. The computation is in `f64`; `ρ` is widened by [`tol::INTERVAL_ROUNDING`] per
//! operation (about `3n` of them) times the magnitudes involved.

use super::multilinear::Interval;
use crate::num::tol;
use nalgebra::{DMatrix, DVector};

/// What the Krawczyk operator says about a box.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Exactly one zero in the box; `center` (`m − Y f(m)`) approximates it.
    Unique { center: Vec<f64> },
    /// No zero in the box.
    NoRoot,
    /// Every zero of the box lies in the smaller box `[lo, hi]` (`K(X) ∩ X`).
    Narrowed { lo: Vec<f64>, hi: Vec<f64> },
    /// The midpoint Jacobian is singular: no conclusion.
    Undecided,
}

/// Apply the test to the box `mid ± half`, given `f(mid)` within `rounding` and an enclosure
/// `jacobian` of the Jacobian over the box.
pub fn krawczyk(
    mid: &[f64],
    half: &[f64],
    f_mid: &[f64],
    rounding: f64,
    jacobian: &DMatrix<Interval>,
) -> Verdict {
    let n = mid.len();
    let center_j = jacobian.map(|r| 0.5 * (r.lo + r.hi));
    let radius_j = jacobian.map(|r| 0.5 * (r.hi - r.lo));
    let Some(y) = center_j.clone().try_inverse() else {
        return Verdict::Undecided;
    };
    if y.iter().any(|v| !v.is_finite()) {
        return Verdict::Undecided;
    }
    let abs_y = y.abs();
    let h = DVector::from_column_slice(half);
    let f = DVector::from_column_slice(f_mid);
    let y_f = &y * &f;
    let y_f_size = &abs_y * f.abs();
    let spread = (DMatrix::identity(n, n) - &y * &center_j).abs() + &abs_y * &radius_j;
    let size = &abs_y * (center_j.abs() + &radius_j) * &h;
    let radius = spread * &h + &abs_y * DVector::from_element(n, rounding);
    let mut center = Vec::with_capacity(n);
    let mut inside = true;
    let mut lo = Vec::with_capacity(n);
    let mut hi = Vec::with_capacity(n);
    for k in 0..n {
        let c = mid[k] - y_f[k];
        let magnitude = mid[k].abs() + y_f_size[k] + size[k] + half[k] + radius[k];
        let guard = tol::INTERVAL_ROUNDING * (3 * n + 3) as f64 * magnitude;
        let rho = radius[k] + guard;
        let offset = (c - mid[k]).abs();
        if !offset.is_finite() || !rho.is_finite() {
            return Verdict::Undecided; // no finite enclosure: nothing to conclude
        }
        if offset - rho > half[k] {
            return Verdict::NoRoot;
        }
        inside &= offset + rho < half[k];
        lo.push((c - rho).max(mid[k] - half[k]));
        hi.push((c + rho).min(mid[k] + half[k]));
        center.push(c);
    }
    if inside {
        Verdict::Unique { center }
    } else {
        Verdict::Narrowed { lo, hi }
    }
}
