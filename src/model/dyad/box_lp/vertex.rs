//! Vertex enumeration for a three-variable LP in a box.
//!
//! The feasible set is a polytope (the box makes it bounded), so if it is non-empty a linear
//! objective attains its maximum at a vertex (the fundamental theorem of linear programming;
//! e.g. Bertsimas & Tsitsiklis, *Introduction to Linear Optimization*, Thm 2.7). Every vertex is the
//! intersection of three linearly independent bounding planes: we solve each such 3×3 system by
//! Cramer's rule, keep the feasible solutions and take the best. With 6 box planes and at most 5
//! rows that is at most C(11,3) = 165 tiny systems and no iteration, pivoting rule or cycling.

use super::{BoxLp, BoxLpSolver, HalfSpace, MAX_ROWS};
use crate::error::Result;
use crate::model::dyad::dot;
use crate::model::params::Policy;
use crate::num::tol;

/// The fast exact-structure backend (see the module documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct VertexEnumeration;

/// Two planes whose normals' triple product is below this fraction of the normals' norms are
/// treated as dependent (the system has no unique solution).
const SINGULAR: f64 = 1e-12;

impl BoxLpSolver for VertexEnumeration {
    fn maximise(&self, lp: &BoxLp) -> Result<Option<Policy>> {
        Ok(best_vertex(lp))
    }
}

fn best_vertex(lp: &BoxLp) -> Option<Policy> {
    let (planes, count) = bounding_planes(lp);
    let planes = &planes[..count];
    let norms: Vec<f64> = planes
        .iter()
        .map(|p| dot(&p.normal, &p.normal).sqrt())
        .collect();
    let mut best: Option<(f64, Policy)> = None;
    for i in 0..count {
        for j in i + 1..count {
            let cross_ij = cross(&planes[i].normal, &planes[j].normal);
            for k in j + 1..count {
                let det = dot(&cross_ij, &planes[k].normal);
                if det.is_nan() || det.abs() <= SINGULAR * norms[i] * norms[j] * norms[k] {
                    continue;
                }
                let Some(x) = intersection(&planes[i], &planes[j], &planes[k], &cross_ij, det)
                else {
                    continue;
                };
                if !feasible(lp, &x) {
                    continue;
                }
                let x = x.map(|v| v.clamp(0.0, lp.cap));
                let value = dot(&lp.objective, &x);
                if best.is_none_or(|(b, _)| value > b + tol::LP_VALUE_TIE) {
                    best = Some((value, x));
                }
            }
        }
    }
    best.map(|(_, x)| x)
}

/// The six box planes (x_i ≥ 0, −x_i ≥ −cap) followed by the programme's rows.
fn bounding_planes(lp: &BoxLp) -> ([HalfSpace; 6 + MAX_ROWS], usize) {
    let mut planes = [HalfSpace::default(); 6 + MAX_ROWS];
    for i in 0..3 {
        planes[2 * i].normal[i] = 1.0;
        planes[2 * i + 1].normal[i] = -1.0;
        planes[2 * i + 1].rhs = -lp.cap;
    }
    let rows = lp.rows();
    planes[6..6 + rows.len()].copy_from_slice(rows);
    (planes, 6 + rows.len())
}

/// Cramer's rule for the planes a, b, c (all tight), given a × b and det = (a × b) · c.
fn intersection(
    a: &HalfSpace,
    b: &HalfSpace,
    c: &HalfSpace,
    a_cross_b: &[f64; 3],
    det: f64,
) -> Option<Policy> {
    let b_cross_c = cross(&b.normal, &c.normal);
    let c_cross_a = cross(&c.normal, &a.normal);
    let x: Policy = [0, 1, 2]
        .map(|i| (a.rhs * b_cross_c[i] + b.rhs * c_cross_a[i] + c.rhs * a_cross_b[i]) / det);
    x.iter().all(|v| v.is_finite()).then_some(x)
}

fn feasible(lp: &BoxLp, x: &Policy) -> bool {
    let slack = tol::LP_FEASIBILITY;
    x.iter().all(|v| (-slack..=lp.cap + slack).contains(v))
        && lp.rows().iter().all(|h| dot(&h.normal, x) >= h.rhs - slack)
}

fn cross(a: &[f64; 3], b: &[f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}
