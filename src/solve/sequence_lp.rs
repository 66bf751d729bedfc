//! `lp` on game trees: value and optimal behaviour strategies of a two-player constant-sum
//! extensive game with perfect recall, by the sequence-form linear programs (von Stengel
//! 1996, "Efficient computation of behavior strategies", GEB 14, §4; Koller, Megiddo &
//! von Stengel 1994, STOC), solved through good_lp (`microlp`), then made exact.
//!
//! With `A` player 1's sequence-form payoff matrix and `E x = e`, `F y = f` the plans'
//! constraints, player 2's best reply to a plan `x` solves `min_y xᵀA y` over `F y = f`,
//! `y ≥ 0`, whose dual is `max_q fᵀq` over `Fᵀq ≤ Aᵀx`. So player 1's optimal plan solves
//!
//! ```text
//!   max fᵀq   subject to   Fᵀq − Aᵀx ≤ 0,   E x = e,   x ≥ 0   (q free),
//! ```
//!
//! and symmetrically player 2's solves `min eᵀp` subject to `Eᵀp − A y ≥ 0`, `F y = f`,
//! `y ≥ 0`. Both optima equal player 1's value. A constant-sum game with total `c` is the
//! zero-sum game of player 1's payoffs, player 2's value being `c` minus player 1's.
//!
//! Exactness: the float optima's supports say which inequalities bind (complementary
//! slackness: `x_σ > 0` makes row σ of `Eᵀp − A y ≥ 0` an equality, `y_τ > 0` row τ of the
//! other). Those equalities, `x_σ = 0`, `y_τ = 0` off the supports and the plan constraints
//! form a square system, solved over the rationals by
//! [`solve_exact`](crate::solve::linear::solve_exact). The caller keeps the exact profile if
//! it certifies with zero regret, else the float one (see [`crate::solve::tree_method`]).

use crate::error::{Error, Result};
use crate::game::tree::{Behavior, ExtensiveGame, SequenceForm};
use crate::num::{to_f64, tol, Q};
use crate::solve::linear::solve_exact;
use crate::solve::sequence_lcp::SequenceMatrices;
use good_lp::{constraint, variable, variables, Expression, Solution, SolverModel, Variable};

/// The LP's answer before certification.
#[derive(Debug, Clone)]
pub struct SequenceLpSolution {
    /// The exact profile on the float optima's supports, when that system has a nonnegative
    /// solution (certification decides whether it is optimal).
    pub exact: Option<Behavior<Q>>,
    /// The float optimal profile.
    pub float: Behavior<f64>,
}

/// Solve a two-player constant-sum game tree with perfect recall (see the module comment).
pub fn sequence_lp(game: &ExtensiveGame) -> Result<SequenceLpSolution> {
    let sm = SequenceMatrices::new(game, "lp")?;
    if !game.is_constant_sum() {
        return Err(Error::Unsupported(
            "lp needs a constant-sum game (every play's payoffs summing to the same total); \
             use lcp"
                .into(),
        ));
    }
    let a = sm.payoff_matrix(0, &Q::ZERO);
    let af: Vec<Vec<f64>> = a.iter().map(|r| r.iter().map(to_f64).collect()).collect();
    let at: Vec<Vec<f64>> = transpose(&af);
    let ef = to_f64_matrix(&sm.constraints[0]);
    let ff = to_f64_matrix(&sm.constraints[1]);
    // Player 1 against A; player 2 against its own payoffs −A (rows: player 1's sequences).
    let x = optimal_plan(&ef, &ff, &at)?;
    let neg_a: Vec<Vec<f64>> = af.iter().map(|r| r.iter().map(|v| -v).collect()).collect();
    let y = optimal_plan(&ff, &ef, &neg_a)?;
    let exact = exact_plans(&sm, &a, &x, &y).and_then(|(xq, yq)| {
        Some(vec![
            sm.sf.behavior_from_plan(0, &xq).ok()?,
            sm.sf.behavior_from_plan(1, &yq).ok()?,
        ])
    });
    let float = vec![float_behavior(&sm.sf, 0, &x), float_behavior(&sm.sf, 1, &y)];
    Ok(SequenceLpSolution { exact, float })
}

fn to_f64_matrix(m: &[Vec<Q>]) -> Vec<Vec<f64>> {
    m.iter().map(|r| r.iter().map(to_f64).collect()).collect()
}

fn transpose(m: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let cols = m.first().map_or(0, Vec::len);
    (0..cols)
        .map(|j| m.iter().map(|r| r[j]).collect())
        .collect()
}

/// The maximin plan of the player with constraints `own` (`own · x = e₀`), against the
/// opponent with constraints `other`: `max other_rhsᵀ q` s.t. `otherᵀ q − payᵀ x ≤ 0`,
/// where `pay_t[τ][σ]` is the player's payoff matrix with the opponent's sequences as rows.
fn optimal_plan(own: &[Vec<f64>], other: &[Vec<f64>], pay_t: &[Vec<f64>]) -> Result<Vec<f64>> {
    let n = own.first().map_or(0, Vec::len);
    let mut vars = variables!();
    let x: Vec<Variable> = (0..n).map(|_| vars.add(variable().min(0.0))).collect();
    let q: Vec<Variable> = (0..other.len()).map(|_| vars.add(variable())).collect();
    let mut problem = vars.maximise(q[0]).using(good_lp::microlp);
    for (tau, pay_row) in pay_t.iter().enumerate() {
        let dual: Expression = other.iter().zip(&q).map(|(row, qk)| row[tau] * *qk).sum();
        let payoff: Expression = pay_row.iter().zip(&x).map(|(v, xs)| *v * *xs).sum();
        problem = problem.with(constraint!(dual - payoff <= 0.0));
    }
    for (k, row) in own.iter().enumerate() {
        let lhs: Expression = row.iter().zip(&x).map(|(c, xs)| *c * *xs).sum();
        let rhs = if k == 0 { 1.0 } else { 0.0 };
        problem = problem.with(constraint!(lhs == rhs));
    }
    let solution = problem
        .solve()
        .map_err(|e| Error::Solver(format!("lp (sequence form): {e}")))?;
    Ok(x.iter().map(|v| solution.value(*v)).collect())
}

/// Exact plans on the float plans' supports (see the module comment), if nonnegative.
fn exact_plans(
    sm: &SequenceMatrices,
    a: &[Vec<Q>],
    x: &[f64],
    y: &[f64],
) -> Option<(Vec<Q>, Vec<Q>)> {
    let (e, f) = (&sm.constraints[0], &sm.constraints[1]);
    let (n1, n2, k1, k2) = (x.len(), y.len(), e.len(), f.len());
    // Unknowns (x, y, p, q).
    let (oy, op, oq) = (n1, n1 + n2, n1 + n2 + k1);
    let size = oq + k2;
    let mut rows: Vec<Vec<Q>> = Vec::with_capacity(size);
    let mut rhs: Vec<Q> = Vec::with_capacity(size);
    let mut push = |row: Vec<Q>, b: Q| {
        rows.push(row);
        rhs.push(b);
    };
    for (row_e, b) in e.iter().zip(sm.rhs(0)) {
        let mut r = vec![Q::ZERO; size];
        r[..n1].clone_from_slice(row_e);
        push(r, b);
    }
    for (row_f, b) in f.iter().zip(sm.rhs(1)) {
        let mut r = vec![Q::ZERO; size];
        r[oy..op].clone_from_slice(row_f);
        push(r, b);
    }
    for s in 0..n1 {
        let mut r = vec![Q::ZERO; size];
        if x[s] > tol::LP_FEASIBILITY {
            // (Eᵀp − A y)_σ = 0
            for k in 0..k1 {
                r[op + k] = e[k][s].clone();
            }
            for t in 0..n2 {
                r[oy + t] = -a[s][t].clone();
            }
        } else {
            r[s] = Q::ONE;
        }
        push(r, Q::ZERO);
    }
    for t in 0..n2 {
        let mut r = vec![Q::ZERO; size];
        if y[t] > tol::LP_FEASIBILITY {
            // (Fᵀq − Aᵀx)_τ = 0
            for k in 0..k2 {
                r[oq + k] = f[k][t].clone();
            }
            for s in 0..n1 {
                r[s] = -a[s][t].clone();
            }
        } else {
            r[oy + t] = Q::ONE;
        }
        push(r, Q::ZERO);
    }
    let z = solve_exact(rows, rhs)?;
    let (xq, yq) = (z[..n1].to_vec(), z[oy..op].to_vec());
    let nonnegative = xq.iter().chain(&yq).all(|v| *v >= Q::ZERO);
    nonnegative.then_some((xq, yq))
}

/// Behaviour strategy of a float plan: at each information set the action sequences'
/// weights normalised (negative rounding noise clipped to 0); uniform where the plan's
/// weight there is below [`tol::LP_FEASIBILITY`].
fn float_behavior(sf: &SequenceForm, player: usize, plan: &[f64]) -> Vec<Vec<f64>> {
    sf.action_sequence[player]
        .iter()
        .map(|actions| {
            let w: Vec<f64> = actions.iter().map(|&s| plan[s].max(0.0)).collect();
            let total: f64 = w.iter().sum();
            if total > tol::LP_FEASIBILITY {
                w.iter().map(|v| v / total).collect()
            } else {
                vec![1.0 / actions.len() as f64; actions.len()]
            }
        })
        .collect()
}
