//! DOBSS (Paruchuri, Pearce, Marecki, Tambe, Ordóñez & Kraus, "Playing games for security: an
//! efficient exact algorithm for solving Bayesian Stackelberg games", AAMAS 2008, §4, MILP (7)):
//! one mixed-integer program instead of one LP per response profile, whose number grows as
//! `n^types`. Here it only chooses the profile; the caller solves that profile's LP exactly.
//!
//! Variables per type t: `z[t][i][j]` (= x_i·q[t][j], the joint probability of leader strategy i
//! and response j), binaries `q[t][j]` (the response), and `a[t]` (the type's best value):
//!
//! ```text
//! maximise  Σ_t p_t Σ_ij L_t[i][j] z[t][i][j]
//! s.t.      Σ_ij z[t][i][j] = 1,   Σ_j z[t][i][j] ≤ 1,   q[t][j] ≤ Σ_i z[t][i][j] ≤ 1,
//!           Σ_j q[t][j] = 1,
//!           0 ≤ a[t] − Σ_i F_t[i][j] Σ_h z[t][i][h] ≤ (1 − q[t][j]) M_t,
//!           Σ_j z[t][i][j] = Σ_j z[0][i][j]          (one leader strategy x for all types)
//! ```
//!
//! `M_t` is the spread of type t's payoffs plus 1: large enough never to cut a feasible point,
//! since `a[t] − Σ_i F_t[i][j] x_i` never exceeds the spread.

use crate::error::{Error, Result};
use crate::game::bayesian::BayesianGame;
use crate::num::to_f64;
use good_lp::{variable, Expression, ProblemVariables, Solution, SolverModel, Variable};

/// The response profile of an optimal solution of the DOBSS program.
pub(super) fn best_profile(game: &BayesianGame) -> Result<Vec<usize>> {
    let m = game.leader_strategies().len();
    let n = game.follower_strategies().len();
    let types = game.types();
    let mut vars = ProblemVariables::new();
    let z: Vec<Vec<Vec<Variable>>> = types
        .iter()
        .map(|_| {
            (0..m)
                .map(|_| {
                    (0..n)
                        .map(|_| vars.add(variable().min(0.0).max(1.0)))
                        .collect()
                })
                .collect()
        })
        .collect();
    let q: Vec<Vec<Variable>> = types
        .iter()
        .map(|_| (0..n).map(|_| vars.add(variable().binary())).collect())
        .collect();
    let spread = |table: &[Vec<crate::num::Q>]| {
        let values: Vec<f64> = table.iter().flatten().map(to_f64).collect();
        let (lo, hi) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
                (l.min(v), h.max(v))
            });
        (lo, hi)
    };
    let a: Vec<Variable> = types
        .iter()
        .map(|t| {
            let (lo, hi) = spread(&t.follower_payoffs);
            vars.add(variable().min(lo).max(hi))
        })
        .collect();
    let mut objective = Expression::default();
    for (t, ty) in types.iter().enumerate() {
        let p = to_f64(&ty.prior);
        for (row, zi) in ty.leader_payoffs.iter().zip(&z[t]) {
            for (v, zij) in row.iter().zip(zi) {
                objective += p * to_f64(v) * *zij;
            }
        }
    }
    let mut model = vars.maximise(objective).using(good_lp::microlp);
    let row_sum = |t: usize, i: usize| -> Expression { z[t][i].iter().copied().sum() };
    for (t, ty) in types.iter().enumerate() {
        let all: Expression = z[t].iter().flatten().copied().sum();
        model = model.with(all.eq(1.0));
        for i in 0..m {
            model = model.with(row_sum(t, i).leq(1.0));
            if t > 0 {
                model = model.with((row_sum(t, i) - row_sum(0, i)).eq(0.0));
            }
        }
        let chosen: Expression = q[t].iter().copied().sum();
        model = model.with(chosen.eq(1.0));
        let (lo, hi) = spread(&ty.follower_payoffs);
        let big_m = hi - lo + 1.0;
        for j in 0..n {
            let column: Expression = (0..m).map(|i| z[t][i][j]).sum();
            model = model.with((column.clone() - q[t][j]).geq(0.0));
            model = model.with(column.leq(1.0));
            let value: Expression = (0..m)
                .map(|i| to_f64(&ty.follower_payoffs[i][j]) * row_sum(t, i))
                .sum();
            let gap = a[t] - value;
            model = model.with(gap.clone().geq(0.0));
            model = model.with((gap + big_m * q[t][j]).leq(big_m));
        }
    }
    let solution = model
        .solve()
        .map_err(|e| Error::Solver(format!("DOBSS (microlp): {e}")))?;
    Ok(q.iter()
        .map(|qt| {
            (0..n).fold(0, |best, j| {
                if solution.value(qt[j]) > solution.value(qt[best]) {
                    j
                } else {
                    best
                }
            })
        })
        .collect())
}
