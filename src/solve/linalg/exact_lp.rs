//! Linear programs with exact rational data, solved in floating point by good_lp's `microlp`
//! backend and then made exact: the constraints that bind at the float optimum are solved over
//! the rationals, and the resulting vertex is proved optimal by an exact dual solution
//! (LP duality and complementary slackness; e.g. Chvátal, *Linear Programming*, 1983, ch. 5).
//!
//! Why two stages: the float simplex is quick at finding *which* constraints bind; rationals then
//! give the vertex itself, and an exact primal–dual pair is a certificate that needs no tolerance.
//!
//! The refinement, in two steps, each robust to degenerate vertices:
//! 1. **Primal.** Among the constraints tight at the float point (rows and bounds `x_k = 0`),
//!    keep a linearly independent set of full rank, chosen greedily in exact arithmetic, and solve
//!    it: every such set gives the same vertex, however many constraints pass through it.
//! 2. **Dual.** Complementary slackness leaves multipliers only on the rows tight at that exact
//!    vertex, with `Aᵀy = c` on its support and `Aᵀy ≥ c` elsewhere. That small feasibility problem
//!    is itself solved as an LP in floats and made exact by step 1.
//!
//! When either step fails (a float point that is no vertex, a support above the limit), callers
//! keep the float optimum and certify it with a tolerance instead.

use crate::error::{Error, Result};
use crate::limits;
use crate::num::{to_f64, tol, Q};
use crate::solve::linalg::linear::solve_exact;
use good_lp::{variable, Expression, ProblemVariables, ResolutionError, Solution, SolverModel};

/// Whether a row reads `a·x ≤ b` or `a·x = b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    Le,
    Eq,
}

/// One constraint `coeffs · x (≤ | =) rhs`, dense over all variables.
#[derive(Debug, Clone)]
pub struct Row {
    pub coeffs: Vec<Q>,
    pub sense: Sense,
    pub rhs: Q,
}

/// maximise `objective · x` subject to every row and `x ≥ 0`.
#[derive(Debug, Clone)]
pub struct ExactLp {
    pub objective: Vec<Q>,
    pub rows: Vec<Row>,
}

/// An optimum from the float backend (negative round-off clamped to 0).
#[derive(Debug, Clone)]
pub struct FloatOptimum {
    pub x: Vec<f64>,
    pub value: f64,
}

/// An optimum proved exactly: `x` is feasible, `duals` is dual feasible, and the two objective
/// values agree, so `value` is the LP's optimal value with no tolerance.
#[derive(Debug, Clone)]
pub struct ExactOptimum {
    pub x: Vec<Q>,
    pub value: Q,
    /// One multiplier per row: ≥ 0 on `≤` rows, 0 on rows slack at `x`.
    #[cfg_attr(not(test), allow(dead_code))] // the certificate; its tests check it
    pub duals: Vec<Q>,
}

impl ExactLp {
    pub fn num_vars(&self) -> usize {
        self.objective.len()
    }

    /// Solve in floating point; `Ok(None)` when the backend finds the LP infeasible.
    pub fn solve_float(&self) -> Result<Option<FloatOptimum>> {
        let mut vars = ProblemVariables::new();
        let xs: Vec<_> = (0..self.num_vars())
            .map(|_| vars.add(variable().min(0.0)))
            .collect();
        let linear = |coeffs: &[Q]| -> Expression {
            coeffs
                .iter()
                .zip(&xs)
                .filter(|(c, _)| **c != Q::ZERO)
                .map(|(c, x)| to_f64(c) * *x)
                .sum()
        };
        let mut model = vars
            .maximise(linear(&self.objective))
            .using(good_lp::microlp);
        for row in &self.rows {
            let lhs = linear(&row.coeffs);
            let rhs = to_f64(&row.rhs);
            model = model.with(match row.sense {
                Sense::Le => lhs.leq(rhs),
                Sense::Eq => lhs.eq(rhs),
            });
        }
        match model.solve() {
            Ok(solution) => {
                let x: Vec<f64> = xs.iter().map(|v| solution.value(*v).max(0.0)).collect();
                let value = self
                    .objective
                    .iter()
                    .zip(&x)
                    .map(|(c, v)| to_f64(c) * v)
                    .sum();
                Ok(Some(FloatOptimum { x, value }))
            }
            Err(ResolutionError::Infeasible) => Ok(None),
            Err(e) => Err(Error::Solver(format!("LP backend (microlp): {e}"))),
        }
    }

    /// Exact feasibility of a point: every row and `x ≥ 0`, with no tolerance.
    pub fn is_feasible(&self, x: &[Q]) -> bool {
        x.len() == self.num_vars()
            && x.iter().all(|v| v >= &Q::ZERO)
            && self.rows.iter().all(|r| {
                let lhs = dot(&r.coeffs, x);
                match r.sense {
                    Sense::Le => lhs <= r.rhs,
                    Sense::Eq => lhs == r.rhs,
                }
            })
    }

    /// Turn a float optimum into a certified exact one (see the module documentation), or `None`.
    pub fn refine(&self, float: &FloatOptimum) -> Option<ExactOptimum> {
        let x = self.exact_vertex(&float.x)?;
        let duals = self.exact_duals(&x)?;
        let value = dot(&self.objective, &x);
        let dual_value = self
            .rows
            .iter()
            .zip(&duals)
            .fold(Q::ZERO, |acc, (r, y)| acc + &r.rhs * y);
        (value == dual_value).then_some(ExactOptimum { x, value, duals })
    }

    /// Step 1: the exact vertex through the constraints tight at `float`, if it is feasible.
    fn exact_vertex(&self, float: &[f64]) -> Option<Vec<Q>> {
        let n = self.num_vars();
        let support = (0..n).filter(|&k| float[k] > tol::LP_ACTIVE).count();
        if support > limits::MAX_EXACT_LP_SUPPORT {
            return None;
        }
        // Candidates in order of preference: equations, bounds x_k = 0, tight inequalities.
        let bound = |k: usize| -> (Vec<Q>, Q) {
            let mut e = vec![Q::ZERO; n];
            e[k] = Q::ONE;
            (e, Q::ZERO)
        };
        let rows = |sense: Sense| {
            self.rows
                .iter()
                .filter(move |r| r.sense == sense)
                .filter(|r| r.sense == Sense::Eq || slack_is_negligible(r, float))
                .map(|r| (r.coeffs.clone(), r.rhs.clone()))
        };
        let candidates = rows(Sense::Eq)
            .chain((0..n).filter(|&k| float[k] <= tol::LP_ACTIVE).map(bound))
            .chain(rows(Sense::Le));
        let mut basis = Echelon::new(n);
        let (mut a, mut b) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for (coeffs, rhs) in candidates {
            if basis.len() == n {
                break;
            }
            if basis.insert(&coeffs) {
                a.push(coeffs);
                b.push(rhs);
            }
        }
        if basis.len() < n {
            return None;
        }
        let x = solve_exact(a, b)?;
        self.is_feasible(&x).then_some(x)
    }

    /// Step 2: exact multipliers on the rows tight at `x` with `Aᵀy = c` on the support of `x`
    /// and `Aᵀy ≥ c` off it; `y ≥ 0` on `≤` rows, free on equations (split as `y⁺ − y⁻`).
    fn exact_duals(&self, x: &[Q]) -> Option<Vec<Q>> {
        let tight: Vec<usize> = (0..self.rows.len())
            .filter(|&r| dot(&self.rows[r].coeffs, x) == self.rows[r].rhs)
            .collect();
        // one dual variable per tight row, and a second (negated) one per equation
        let columns: Vec<(usize, Q)> = tight
            .iter()
            .flat_map(|&r| {
                let negated = (self.rows[r].sense == Sense::Eq).then(|| (r, -Q::ONE));
                std::iter::once((r, Q::ONE)).chain(negated)
            })
            .collect();
        let dual_rows = (0..self.num_vars())
            .map(|k| {
                let coeffs: Vec<Q> = columns
                    .iter()
                    .map(|(r, sign)| sign * &self.rows[*r].coeffs[k])
                    .collect();
                if x[k] > Q::ZERO {
                    Row {
                        coeffs,
                        sense: Sense::Eq,
                        rhs: self.objective[k].clone(),
                    }
                } else {
                    Row {
                        coeffs: coeffs.iter().map(|c| -c).collect(),
                        sense: Sense::Le,
                        rhs: -self.objective[k].clone(),
                    }
                }
            })
            .collect();
        // minimise Σ y: bounded, so the float solver ends at a vertex
        let dual = ExactLp {
            objective: vec![-Q::ONE; columns.len()],
            rows: dual_rows,
        };
        let float = dual.solve_float().ok()??;
        let y = dual.exact_vertex(&float.x)?;
        let mut duals = vec![Q::ZERO; self.rows.len()];
        for ((r, sign), v) in columns.iter().zip(&y) {
            duals[*r] += sign * v;
        }
        Some(duals)
    }
}

fn slack_is_negligible(row: &Row, x: &[f64]) -> bool {
    let coeffs: Vec<f64> = row.coeffs.iter().map(to_f64).collect();
    let rhs = to_f64(&row.rhs);
    let scale = coeffs
        .iter()
        .fold(rhs.abs().max(1.0), |m, c| m.max(c.abs()));
    let slack = rhs - coeffs.iter().zip(x).map(|(c, v)| c * v).sum::<f64>();
    slack <= tol::LP_ACTIVE * scale
}

pub fn dot(a: &[Q], b: &[Q]) -> Q {
    a.iter().zip(b).fold(Q::ZERO, |acc, (u, v)| acc + u * v)
}

/// Linearly independent rows kept in exact reduced echelon form, to grow a basis greedily.
struct Echelon {
    /// (pivot column, row normalised to 1 at the pivot)
    rows: Vec<(usize, Vec<Q>)>,
    width: usize,
}

impl Echelon {
    fn new(width: usize) -> Self {
        Echelon {
            rows: Vec::new(),
            width,
        }
    }
    fn len(&self) -> usize {
        self.rows.len()
    }
    /// Add `row` if it is independent of the rows kept so far; report whether it was.
    fn insert(&mut self, row: &[Q]) -> bool {
        let mut v = row.to_vec();
        for (pivot, kept) in &self.rows {
            if v[*pivot] != Q::ZERO {
                let f = v[*pivot].clone();
                for (x, k) in v.iter_mut().zip(kept) {
                    *x -= &f * k;
                }
            }
        }
        let Some(pivot) = (0..self.width).find(|&c| v[c] != Q::ZERO) else {
            return false;
        };
        let inv = Q::ONE / &v[pivot];
        v.iter_mut().for_each(|x| *x = &*x * &inv);
        for (_, kept) in self.rows.iter_mut() {
            if kept[pivot] != Q::ZERO {
                let f = kept[pivot].clone();
                for (k, x) in kept.iter_mut().zip(&v) {
                    *k -= &f * x;
                }
            }
        }
        self.rows.push((pivot, v));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::parse_q;

    fn q(s: &str) -> Q {
        parse_q(s).unwrap()
    }
    fn row(c: &[&str], sense: Sense, rhs: &str) -> Row {
        Row {
            coeffs: c.iter().map(|s| q(s)).collect(),
            sense,
            rhs: q(rhs),
        }
    }

    #[test]
    fn thirds_come_out_exact() {
        // maximise x + y subject to 3x + y ≤ 1, x + 3y ≤ 1: optimum (1/4, 1/4), value 1/2
        // (the two constraints cross there; duals 1/4 each by symmetry).
        let lp = ExactLp {
            objective: vec![q("1"), q("1")],
            rows: vec![
                row(&["3", "1"], Sense::Le, "1"),
                row(&["1", "3"], Sense::Le, "1"),
            ],
        };
        let float = lp.solve_float().unwrap().unwrap();
        let exact = lp.refine(&float).unwrap();
        assert_eq!(exact.x, vec![q("1/4"), q("1/4")]);
        assert_eq!(exact.value, q("1/2"));
        assert_eq!(exact.duals, vec![q("1/4"), q("1/4")]);
    }

    #[test]
    fn degenerate_vertex_needs_a_multiplier_on_a_bound_row() {
        // maximise 22x + 14y s.t. 6x ≤ 0, x + y = 1: optimum (0, 1), value 14. Three constraints
        // (6x ≤ 0, x ≥ 0, x + y = 1) pass through it; the dual needs the row 6x ≤ 0
        // (y_eq = 14, y_row ≥ 8/6), which a basis made of the bound x ≥ 0 cannot show.
        let lp = ExactLp {
            objective: vec![q("22"), q("14")],
            rows: vec![
                row(&["6", "0"], Sense::Le, "0"),
                row(&["1", "1"], Sense::Eq, "1"),
            ],
        };
        let exact = lp.refine(&lp.solve_float().unwrap().unwrap()).unwrap();
        assert_eq!(exact.x, vec![q("0"), q("1")]);
        assert_eq!(exact.value, q("14"));
        assert_eq!(exact.duals[1], q("14"));
        assert!(exact.duals[0] >= q("4/3"));
    }

    #[test]
    fn infeasible_lp_is_reported() {
        let lp = ExactLp {
            objective: vec![q("1")],
            rows: vec![row(&["1"], Sense::Le, "-1")],
        };
        assert!(lp.solve_float().unwrap().is_none());
    }

    #[test]
    fn a_wrong_point_is_not_certified() {
        // maximise x subject to x ≤ 1/3: the float point 0.2 binds nothing and is refused.
        let lp = ExactLp {
            objective: vec![q("1")],
            rows: vec![row(&["3"], Sense::Le, "1")],
        };
        assert!(lp
            .refine(&FloatOptimum {
                x: vec![0.2],
                value: 0.2
            })
            .is_none());
        let exact = lp
            .refine(&FloatOptimum {
                x: vec![1.0 / 3.0],
                value: 1.0 / 3.0,
            })
            .unwrap();
        assert_eq!(exact.x, vec![q("1/3")]);
        // a feasible vertex that is not optimal has no dual certificate
        let lp = ExactLp {
            objective: vec![q("1")],
            rows: vec![row(&["3"], Sense::Le, "1")],
        };
        assert!(lp
            .refine(&FloatOptimum {
                x: vec![0.0],
                value: 0.0
            })
            .is_none());
    }
}
