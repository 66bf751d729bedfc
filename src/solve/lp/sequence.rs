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
//! and player 2's solves the same program with the roles swapped and payoffs `−A`. Both
//! optima are the players' values. A constant-sum game with total `c` is the zero-sum game
//! of player 1's payoffs (player 2's payoff is `c` minus player 1's at every leaf).
//!
//! Exactness: the simplex method ends at a vertex of the feasible polyhedron, and a vertex
//! is the unique solution of the constraints that are tight there. So for each player the
//! constraints tight at the float optimum (plan entries at 0, dual rows with zero slack,
//! within [`tol::LP_FEASIBILITY`] × the payoff scale) and `E x = e` are solved over the
//! rationals by [`crate::solve::linalg::linear::solve_exact`]. Each player's program
//! is treated on its own: complementary slackness between the two plans alone can leave a
//! degenerate game's system singular. The caller keeps the exact profile if it certifies
//! with zero regret, else the float one (see [`crate::solve::tree_method`]).

use crate::error::{Error, Result};
use crate::game::tree::{Behavior, ExtensiveGame, SequenceForm};
use crate::num::{to_f64, tol, Q};
use crate::solve::lcp::sequence::SequenceMatrices;
use crate::solve::linalg::linear::solve_exact;
use good_lp::{constraint, variable, variables, Expression, Solution, SolverModel, Variable};

/// The LP's answer before certification.
#[derive(Debug, Clone)]
pub struct SequenceLpSolution {
    /// The exact vertices the float optima sit on, when both tight systems have a
    /// nonnegative solution (certification decides whether they are optimal).
    pub exact: Option<Behavior<Q>>,
    /// The float optimal profile.
    pub float: Behavior<f64>,
}

/// One player's program: its constraint matrix (`own · plan = e₀`), the opponent's, and its
/// payoffs with the opponent's sequences as rows (`payoff[τ][σ]`).
struct PlayerProgram<'a> {
    own: &'a [Vec<Q>],
    other: &'a [Vec<Q>],
    payoff: Vec<Vec<Q>>,
}

/// A float optimum: the plan and the dual variables `q` of the opponent's constraints.
struct FloatOptimum {
    plan: Vec<f64>,
    duals: Vec<f64>,
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
    let scale = a
        .iter()
        .flatten()
        .map(|v| to_f64(v).abs())
        .fold(1.0, f64::max);
    let programs = [
        PlayerProgram {
            own: &sm.constraints[0],
            other: &sm.constraints[1],
            payoff: transpose(&a),
        },
        PlayerProgram {
            own: &sm.constraints[1],
            other: &sm.constraints[0],
            payoff: a.iter().map(|r| r.iter().map(|v| -v).collect()).collect(),
        },
    ];
    let mut float = Vec::with_capacity(2);
    let mut exact = Some(Vec::with_capacity(2));
    for (player, program) in programs.iter().enumerate() {
        let optimum = program.solve_float()?;
        float.push(float_behavior(&sm.sf, player, &optimum.plan));
        exact = exact.and_then(|mut b: Behavior<Q>| {
            let plan = program.tight_vertex(&optimum, scale)?;
            b.push(sm.sf.behavior_from_plan(player, &plan).ok()?);
            Some(b)
        });
    }
    Ok(SequenceLpSolution { exact, float })
}

fn transpose(m: &[Vec<Q>]) -> Vec<Vec<Q>> {
    let cols = m.first().map_or(0, Vec::len);
    (0..cols)
        .map(|j| m.iter().map(|r| r[j].clone()).collect())
        .collect()
}

fn dot(row: &[f64], v: &[f64]) -> f64 {
    row.iter().zip(v).map(|(a, b)| a * b).sum()
}

impl PlayerProgram<'_> {
    /// Row τ of `otherᵀ q − payoff · plan`, the slack of the τ-th constraint (as `f64`).
    fn dual_row(&self, tau: usize) -> (Vec<f64>, Vec<f64>) {
        let q_coef = self.other.iter().map(|row| to_f64(&row[tau])).collect();
        let plan_coef = self.payoff[tau].iter().map(|v| -to_f64(v)).collect();
        (q_coef, plan_coef)
    }

    /// `max other_rhsᵀ q` subject to `otherᵀ q − payoff · plan ≤ 0`, `own · plan = e₀`,
    /// `plan ≥ 0`, through good_lp's `microlp` backend.
    fn solve_float(&self) -> Result<FloatOptimum> {
        let n = self.own.first().map_or(0, Vec::len);
        let mut vars = variables!();
        let plan: Vec<Variable> = (0..n).map(|_| vars.add(variable().min(0.0))).collect();
        let q: Vec<Variable> = (0..self.other.len())
            .map(|_| vars.add(variable()))
            .collect();
        let mut problem = vars.maximise(q[0]).using(good_lp::microlp);
        for tau in 0..self.payoff.len() {
            let (q_coef, plan_coef) = self.dual_row(tau);
            let lhs: Expression = q_coef
                .iter()
                .zip(&q)
                .map(|(c, v)| *c * *v)
                .sum::<Expression>()
                + plan_coef
                    .iter()
                    .zip(&plan)
                    .map(|(c, v)| *c * *v)
                    .sum::<Expression>();
            problem = problem.with(constraint!(lhs <= 0.0));
        }
        for (k, row) in self.own.iter().enumerate() {
            let lhs: Expression = row.iter().zip(&plan).map(|(c, v)| to_f64(c) * *v).sum();
            problem = problem.with(constraint!(lhs == if k == 0 { 1.0 } else { 0.0 }));
        }
        let solution = problem
            .solve()
            .map_err(|e| Error::Solver(format!("lp (sequence form): {e}")))?;
        Ok(FloatOptimum {
            plan: plan.iter().map(|v| solution.value(*v)).collect(),
            duals: q.iter().map(|v| solution.value(*v)).collect(),
        })
    }

    /// The exact vertex where the constraints tight at `optimum` meet: `own · plan = e₀`,
    /// `plan_σ = 0` where the float plan is 0, and every dual row with zero slack.
    /// `None` when that system is inconsistent or its plan has a negative entry.
    fn tight_vertex(&self, optimum: &FloatOptimum, scale: f64) -> Option<Vec<Q>> {
        let n = optimum.plan.len();
        let k = optimum.duals.len();
        let eps = tol::LP_FEASIBILITY * scale;
        let mut rows: Vec<Vec<Q>> = Vec::new();
        let mut rhs: Vec<Q> = Vec::new();
        // Unknowns (plan, q).
        for (i, row) in self.own.iter().enumerate() {
            let mut r = row.clone();
            r.resize(n + k, Q::ZERO);
            rows.push(r);
            rhs.push(if i == 0 { Q::ONE } else { Q::ZERO });
        }
        for (s, &x) in optimum.plan.iter().enumerate() {
            if x.abs() <= eps {
                let mut r = vec![Q::ZERO; n + k];
                r[s] = Q::ONE;
                rows.push(r);
                rhs.push(Q::ZERO);
            }
        }
        for tau in 0..self.payoff.len() {
            let (q_coef, plan_coef) = self.dual_row(tau);
            let slack = dot(&q_coef, &optimum.duals) + dot(&plan_coef, &optimum.plan);
            if slack.abs() <= eps {
                let mut r: Vec<Q> = self.payoff[tau].iter().map(|v| -v).collect();
                r.extend(self.other.iter().map(|row| row[tau].clone()));
                rows.push(r);
                rhs.push(Q::ZERO);
            }
        }
        let z = solve_exact(rows, rhs)?;
        let plan = z[..n].to_vec();
        plan.iter().all(|v| *v >= Q::ZERO).then_some(plan)
    }
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
