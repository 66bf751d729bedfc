//! Exact vertex enumeration of a slice of the probability simplex,
//! `{x ∈ Rⁿ : x ≥ 0, Σ x = 1, g·x ≤ 0 for each cut g}`, by the double description method
//! (Motzkin et al. 1953), in its incremental form with the combinatorial adjacency test of
//! Fukuda & Prodon, "Double description method revisited", 1996.
//!
//! Start from the simplex, whose vertices are the unit vectors. Each cut `g·x ≤ 0` keeps the
//! vertices on its side and adds, for every *edge* from a kept vertex `u` (g·u < 0) to a cut-off
//! one `w` (g·w > 0), the point where the edge meets `g·x = 0`. Two vertices span an edge exactly
//! when the constraints tight at both are tight at no third vertex (the smallest face holding
//! both is then a segment) — which needs at least `n − 2` of them, a cheap filter first.
//! Every point is exact, so degenerate vertices (tight on many constraints) are no problem.

use crate::error::{Error, Result};
use crate::num::Q;

/// Constraint indices tight at a vertex: bits `0..n` are the bounds `x_k ≥ 0`, bit `n + r` cut r.
#[derive(Clone, Debug, PartialEq)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(size: usize) -> Self {
        Bits(vec![0; size.div_ceil(64)])
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn and(&self, other: &Bits) -> Bits {
        Bits(self.0.iter().zip(&other.0).map(|(a, b)| a & b).collect())
    }
    fn count(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }
    fn subset_of(&self, other: &Bits) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a & !b == 0)
    }
}

struct Vertex {
    point: Vec<Q>,
    tight: Bits,
}

/// The vertices (sorted) of the simplex in `Rⁿ` cut by every `g·x ≤ 0` in `cuts`; refuses
/// (`Error::LimitExceeded`) when more than `max_vertices` are held at any stage.
pub(super) fn simplex_slice_vertices(
    n: usize,
    cuts: &[Vec<Q>],
    max_vertices: usize,
) -> Result<Vec<Vec<Q>>> {
    let size = n + cuts.len();
    let mut vertices: Vec<Vertex> = (0..n)
        .map(|k| {
            let mut point = vec![Q::ZERO; n];
            point[k] = Q::ONE;
            let mut tight = Bits::new(size);
            (0..n).filter(|&l| l != k).for_each(|l| tight.set(l));
            Vertex { point, tight }
        })
        .collect();
    check_count(vertices.len(), max_vertices)?;
    // an edge of the (n−1)-dimensional simplex slice has n − 2 independent tight constraints
    let edge_rank = n.saturating_sub(2);
    for (r, g) in cuts.iter().enumerate() {
        let values: Vec<Q> = vertices.iter().map(|v| dot(g, &v.point)).collect();
        let mut fresh = Vec::new();
        for (u, vu) in vertices.iter().zip(&values).filter(|(_, s)| **s < Q::ZERO) {
            for (w, vw) in vertices.iter().zip(&values).filter(|(_, s)| **s > Q::ZERO) {
                let common = u.tight.and(&w.tight);
                if common.count() < edge_rank || !is_edge(&vertices, u, w, &common) {
                    continue;
                }
                // the point of segment [u, w] where g·x = 0
                let denom = vw - vu;
                let point = u
                    .point
                    .iter()
                    .zip(&w.point)
                    .map(|(a, b)| (vw * a - vu * b) / &denom)
                    .collect();
                let mut tight = common;
                tight.set(n + r);
                fresh.push(Vertex { point, tight });
            }
        }
        let mut kept: Vec<Vertex> = Vec::with_capacity(vertices.len() + fresh.len());
        for (mut v, s) in vertices.into_iter().zip(values) {
            if s == Q::ZERO {
                v.tight.set(n + r);
            }
            if s <= Q::ZERO {
                kept.push(v);
            }
        }
        kept.extend(fresh);
        check_count(kept.len(), max_vertices)?;
        vertices = kept;
    }
    let mut points: Vec<Vec<Q>> = vertices.into_iter().map(|v| v.point).collect();
    points.sort();
    Ok(points)
}

fn check_count(count: usize, max_vertices: usize) -> Result<()> {
    if count > max_vertices {
        return Err(Error::limit(
            "MAX_CE_VERTICES",
            format!(
                "vertex enumeration: more than {max_vertices} vertices (limit MAX_CE_VERTICES)"
            ),
        ));
    }
    Ok(())
}

/// Combinatorial adjacency: no third vertex is tight on everything `u` and `w` share.
fn is_edge(vertices: &[Vertex], u: &Vertex, w: &Vertex, common: &Bits) -> bool {
    !vertices
        .iter()
        .any(|v| !std::ptr::eq(v, u) && !std::ptr::eq(v, w) && common.subset_of(&v.tight))
}

fn dot(a: &[Q], b: &[Q]) -> Q {
    a.iter().zip(b).fold(Q::ZERO, |acc, (x, y)| acc + x * y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(v: i64) -> Q {
        Q::from(v)
    }

    #[test]
    fn a_cut_through_the_triangle() {
        // x0 ≤ x1 on the triangle: e1 and e2 (on the plane x0 = x1) stay, e0 is cut off, and the
        // edge e0–e1 meets the plane at the one new vertex (1/2, 1/2, 0).
        let v = simplex_slice_vertices(3, &[vec![q(1), q(-1), q(0)]], 100).unwrap();
        let h = Q::ONE / q(2);
        assert_eq!(
            v,
            vec![
                vec![q(0), q(0), q(1)],
                vec![q(0), q(1), q(0)],
                vec![h.clone(), h, q(0)]
            ]
        );
    }

    #[test]
    fn cuts_meeting_in_one_point() {
        // x0 ≤ x1, x1 ≤ x2, x2 ≤ x0 on the triangle: only the centre (1/3, 1/3, 1/3) is left.
        let cuts = vec![
            vec![q(1), q(-1), q(0)],
            vec![q(0), q(1), q(-1)],
            vec![q(-1), q(0), q(1)],
        ];
        let third = Q::ONE / q(3);
        assert_eq!(
            simplex_slice_vertices(3, &cuts, 100).unwrap(),
            vec![vec![third; 3]]
        );
    }

    #[test]
    fn too_many_vertices_are_refused() {
        // x0 + x1 ≤ x2 + x3 keeps e2, e3, e4 and adds the midpoints of e0–e2, e0–e3, e1–e2, e1–e3.
        let cut = vec![q(1), q(1), q(-1), q(-1), q(0)];
        assert_eq!(
            simplex_slice_vertices(5, std::slice::from_ref(&cut), 7)
                .unwrap()
                .len(),
            7
        );
        for refused in [
            simplex_slice_vertices(5, &[cut], 6),
            simplex_slice_vertices(5, &[], 4),
        ] {
            assert_eq!(
                refused.unwrap_err().exceeded_limit(),
                Some("MAX_CE_VERTICES")
            );
        }
    }
}
