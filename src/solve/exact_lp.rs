//! Linear programs with exact rational data, solved in floating point by good_lp's `microlp`
//! backend and then made exact: the constraints that bind at the float optimum are solved over
//! the rationals, and the resulting vertex is proved optimal by an exact dual solution
//! (LP duality and complementary slackness; e.g. Chvátal, *Linear Programming*, 1983, ch. 5).
//!
//! Why two stages: the float simplex is quick at finding *which* constraints bind; rationals then
//! give the vertex itself, and the exact primal–dual pair is a certificate that needs no
//! tolerance. When no certificate is found (a support too large, or a degenerate vertex whose
//! bases all fail), callers keep the float optimum and certify it with a tolerance instead.

use crate::error::{Error, Result};
use crate::limits;
use crate::num::{to_f64, tol, Q};
use crate::solve::linear::solve_exact;
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
    /// One multiplier per row (0 off the chosen basis); ≥ 0 on `≤` rows.
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

    /// Turn a float optimum into a certified exact one, or `None` if no basis among the rows
    /// binding at `float` yields an exact primal–dual optimal pair.
    ///
    /// The support `S` (variables clearly above 0) fixes the columns; a basis is `|S|` binding
    /// rows. For each candidate basis `B` (at most [`limits::MAX_EXACT_BASIS_ATTEMPTS`]):
    /// solve `A_BS x_S = b_B`, `A_BSᵀ y = c_S` exactly, and accept when `x` is feasible, `y ≥ 0`
    /// on `≤` rows and every reduced cost `A_Bkᵀ y − c_k` (k ∉ S) is ≥ 0.
    pub fn refine(&self, float: &FloatOptimum) -> Option<ExactOptimum> {
        let support: Vec<usize> = (0..self.num_vars())
            .filter(|&k| float.x[k] > tol::LP_ACTIVE)
            .collect();
        if support.len() > limits::MAX_EXACT_LP_SUPPORT {
            return None;
        }
        let candidates = self.binding_rows(&float.x);
        let mut attempts = 0;
        let mut found = None;
        for_each_subset(candidates.len(), support.len(), &mut |chosen| {
            attempts += 1;
            let basis: Vec<usize> = chosen.iter().map(|&i| candidates[i]).collect();
            found = self.certify_basis(&support, &basis);
            found.is_none() && attempts < limits::MAX_EXACT_BASIS_ATTEMPTS
        });
        found
    }

    /// Equations first, then the inequalities whose float slack is negligible.
    fn binding_rows(&self, x: &[f64]) -> Vec<usize> {
        let equations = (0..self.rows.len()).filter(|&r| self.rows[r].sense == Sense::Eq);
        let tight = (0..self.rows.len()).filter(|&r| {
            let row = &self.rows[r];
            let coeffs: Vec<f64> = row.coeffs.iter().map(to_f64).collect();
            let scale = coeffs
                .iter()
                .fold(to_f64(&row.rhs).abs().max(1.0), |m, c| m.max(c.abs()));
            let slack = to_f64(&row.rhs) - coeffs.iter().zip(x).map(|(c, v)| c * v).sum::<f64>();
            row.sense == Sense::Le && slack <= tol::LP_ACTIVE * scale
        });
        equations.chain(tight).collect()
    }

    fn certify_basis(&self, support: &[usize], basis: &[usize]) -> Option<ExactOptimum> {
        let block: Vec<Vec<Q>> = basis
            .iter()
            .map(|&r| {
                support
                    .iter()
                    .map(|&k| self.rows[r].coeffs[k].clone())
                    .collect()
            })
            .collect();
        let rhs: Vec<Q> = basis.iter().map(|&r| self.rows[r].rhs.clone()).collect();
        let xs = solve_exact(block.clone(), rhs)?;
        let mut x = vec![Q::ZERO; self.num_vars()];
        for (&k, v) in support.iter().zip(xs) {
            x[k] = v;
        }
        if !self.is_feasible(&x) {
            return None;
        }
        let transposed: Vec<Vec<Q>> = (0..support.len())
            .map(|i| block.iter().map(|row| row[i].clone()).collect())
            .collect();
        let c_s: Vec<Q> = support.iter().map(|&k| self.objective[k].clone()).collect();
        let ys = solve_exact(transposed, c_s)?;
        let mut duals = vec![Q::ZERO; self.rows.len()];
        for (&r, y) in basis.iter().zip(ys) {
            if self.rows[r].sense == Sense::Le && y < Q::ZERO {
                return None;
            }
            duals[r] = y;
        }
        let dual_feasible = (0..self.num_vars())
            .filter(|k| !support.contains(k))
            .all(|k| {
                let reduced = basis.iter().fold(-self.objective[k].clone(), |acc, &r| {
                    acc + &duals[r] * &self.rows[r].coeffs[k]
                });
                reduced >= Q::ZERO
            });
        if !dual_feasible {
            return None;
        }
        let value = dot(&self.objective, &x);
        Some(ExactOptimum { x, value, duals })
    }
}

pub fn dot(a: &[Q], b: &[Q]) -> Q {
    a.iter().zip(b).fold(Q::ZERO, |acc, (u, v)| acc + u * v)
}

/// Call `visit` on each `k`-subset of `0..n` in lexicographic order until it returns `false`.
fn for_each_subset(n: usize, k: usize, visit: &mut dyn FnMut(&[usize]) -> bool) {
    if k > n {
        return;
    }
    let mut idx: Vec<usize> = (0..k).collect();
    loop {
        if !visit(&idx) {
            return;
        }
        // advance: rightmost index that can still move right
        let Some(i) = (0..k).rev().find(|&i| idx[i] < n - k + i) else {
            return;
        };
        idx[i] += 1;
        for j in i + 1..k {
            idx[j] = idx[j - 1] + 1;
        }
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
    fn subsets_are_enumerated_in_order() {
        let mut seen = Vec::new();
        for_each_subset(4, 2, &mut |s| {
            seen.push(s.to_vec());
            true
        });
        assert_eq!(
            seen,
            vec![
                vec![0, 1],
                vec![0, 2],
                vec![0, 3],
                vec![1, 2],
                vec![1, 3],
                vec![2, 3]
            ]
        );
        let mut count = 0;
        for_each_subset(3, 0, &mut |_| {
            count += 1;
            true
        });
        assert_eq!(count, 1);
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
    }
}
