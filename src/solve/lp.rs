//! `lp`: value and optimal strategies of a two-player constant-sum game by linear programming
//! (von Neumann's minimax theorem; the LP as in e.g. Shoham & Leyton-Brown 2009, §4.1),
//! solved through good_lp, then made exact.
//!
//! The floating-point LP gives each player's optimal strategy. Its supports are then used to
//! solve the indifference equations exactly over the rationals; the exact profile is kept only
//! if certification gives exactly zero regret, otherwise the certified float profile is returned.

use crate::error::{Error, Result};
use crate::game::{certify_exact, certify_float, Equilibrium, StrategicGame};
use crate::num::{tol, Q};
use crate::solve::linear::solve_exact;
use good_lp::{constraint, variable, variables, Expression, Solution, SolverModel};

/// The solution of a constant-sum game: one optimal profile and each player's value.
#[derive(Debug, Clone)]
pub struct ZeroSumSolution {
    pub equilibrium: Equilibrium,
    /// Value to each player (they add up to the constant sum).
    pub values: Vec<String>,
}

/// Solve a two-player constant-sum game.
pub fn lp(game: &StrategicGame) -> Result<ZeroSumSolution> {
    if game.num_players() != 2 {
        return Err(Error::Unsupported(format!(
            "lp needs a two-player game; this one has {} players",
            game.num_players()
        )));
    }
    game.constant_sum().ok_or_else(|| {
        Error::Unsupported("lp needs a constant-sum game (payoffs summing to the same total in every cell); use enummixed or lcp".into())
    })?;
    let a = game.matrix_f64(0);
    let at: Vec<Vec<f64>> = (0..a[0].len()).map(|j| a.iter().map(|r| -r[j]).collect()).collect();
    let x = maximin_strategy(&a)?;
    let y = maximin_strategy(&at)?;
    if let Some(exact) = exact_refinement(game, &x, &y) {
        let values = values_text(&exact.payoffs, |v| crate::num::fmt_q(v));
        return Ok(ZeroSumSolution { equilibrium: Equilibrium::Exact(exact), values });
    }
    let cert = certify_float(game, vec![x, y])?;
    let values = values_text(&cert.payoffs, |v| crate::num::fmt_f64(*v));
    Ok(ZeroSumSolution { equilibrium: Equilibrium::Float(cert), values })
}

fn values_text<T>(payoffs: &[T], f: impl Fn(&T) -> String) -> Vec<String> {
    payoffs.iter().map(f).collect()
}

/// The row player's maximin strategy of the matrix `a` (rows = own strategies).
fn maximin_strategy(a: &[Vec<f64>]) -> Result<Vec<f64>> {
    let (m, n) = (a.len(), a[0].len());
    let mut vars = variables!();
    let x: Vec<_> = (0..m).map(|_| vars.add(variable().min(0.0).max(1.0))).collect();
    let v = vars.add(variable());
    let mut problem = vars.maximise(v).using(good_lp::microlp);
    for j in 0..n {
        let guarantee: Expression = x.iter().zip(a).map(|(xi, row)| row[j] * *xi).sum();
        problem = problem.with(constraint!(guarantee >= v));
    }
    let total: Expression = x.iter().copied().sum();
    problem = problem.with(constraint!(total == 1.0));
    let solution = problem.solve().map_err(|e| Error::Solver(format!("lp: {e}")))?;
    let mut probs: Vec<f64> = x.iter().map(|xi| solution.value(*xi).max(0.0)).collect();
    let sum: f64 = probs.iter().sum();
    probs.iter_mut().for_each(|p| *p /= sum);
    Ok(probs)
}

/// Exact profile on the float solution's supports, if the indifference equations have one
/// that certifies with zero regret.
fn exact_refinement(game: &StrategicGame, x: &[f64], y: &[f64]) -> Option<crate::game::Certified<Q>> {
    let a = game.matrix(0);
    let support = |p: &[f64]| -> Vec<usize> {
        (0..p.len()).filter(|&i| p[i] > tol::LP_FEASIBILITY).collect()
    };
    let (sx, sy) = (support(x), support(y));
    // Row strategy on sx making every column in sy pay the same v: unknowns (x_sx, v).
    let row = indifference(&sy, &sx, |j, i| a[i][j].clone())?;
    let col = indifference(&sx, &sy, |i, j| a[i][j].clone())?;
    let mut px = vec![Q::ZERO; x.len()];
    let mut py = vec![Q::ZERO; y.len()];
    for (k, &i) in sx.iter().enumerate() {
        px[i] = row[k].clone();
    }
    for (k, &j) in sy.iter().enumerate() {
        py[j] = col[k].clone();
    }
    certify_exact(game, vec![px, py]).ok()
}

/// Probabilities on `support` that make every opponent strategy in `against` yield one common
/// value: solves `Σ_s p_s · entry(t, s) − v = 0` for t ∈ against, `Σ p_s = 1`.
fn indifference(against: &[usize], support: &[usize], entry: impl Fn(usize, usize) -> Q) -> Option<Vec<Q>> {
    let k = support.len();
    let mut rows = Vec::with_capacity(against.len() + 1);
    let mut rhs = Vec::with_capacity(against.len() + 1);
    for &t in against {
        let mut r: Vec<Q> = support.iter().map(|&s| entry(t, s)).collect();
        r.push(-Q::ONE);
        rows.push(r);
        rhs.push(Q::ZERO);
    }
    let mut sum = vec![Q::ONE; k];
    sum.push(Q::ZERO);
    rows.push(sum);
    rhs.push(Q::ONE);
    let sol = solve_exact(rows, rhs)?;
    Some(sol[..k].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::parse_q;

    fn qm(rows: &[&[i64]]) -> Vec<Vec<Q>> {
        rows.iter().map(|r| r.iter().map(|&v| Q::from(v)).collect()).collect()
    }
    fn neg(m: &[Vec<Q>]) -> Vec<Vec<Q>> {
        m.iter().map(|r| r.iter().map(|v| -v.clone()).collect()).collect()
    }

    #[test]
    fn rock_paper_scissors_value_zero_uniform() {
        let a = qm(&[&[0, -1, 1], &[1, 0, -1], &[-1, 1, 0]]);
        let g = StrategicGame::bimatrix(&a, &neg(&a)).unwrap();
        let s = lp(&g).unwrap();
        let third = parse_q("1/3").unwrap();
        match &s.equilibrium {
            Equilibrium::Exact(c) => {
                assert_eq!(c.profile[0], vec![third.clone(); 3]);
                assert_eq!(c.profile[1], vec![third; 3]);
            }
            other => panic!("expected an exact answer, got {other:?}"),
        }
        assert_eq!(s.values, vec!["0", "0"]);
    }

    #[test]
    fn two_by_two_closed_form() {
        // A = [[3, -1], [-2, 1]]: x = (3/7, 4/7), y = (2/7, 5/7), value 1/7 (mixed-strategy formula).
        let a = qm(&[&[3, -1], &[-2, 1]]);
        let g = StrategicGame::bimatrix(&a, &neg(&a)).unwrap();
        let s = lp(&g).unwrap();
        let Equilibrium::Exact(c) = &s.equilibrium else { panic!("not exact") };
        assert_eq!(c.profile[0], vec![parse_q("3/7").unwrap(), parse_q("4/7").unwrap()]);
        assert_eq!(c.profile[1], vec![parse_q("2/7").unwrap(), parse_q("5/7").unwrap()]);
        assert_eq!(s.values, vec!["1/7", "-1/7"]);
    }

    #[test]
    fn refuses_general_sum_and_three_players() {
        let a = qm(&[&[1, 0], &[0, 1]]);
        let g = StrategicGame::bimatrix(&a, &a).unwrap();
        assert!(matches!(lp(&g), Err(Error::Unsupported(_))));
    }
}
