//! `lp`: value and optimal strategies of a two-player constant-sum game by linear programming
//! (von Neumann's minimax theorem; the LP as in e.g. Shoham & Leyton-Brown 2009, §4.1),
//! solved through good_lp and made exact by [`crate::solve::exact_lp`].
//!
//! Each player's maximin LP is solved separately: maximise v subject to every opponent strategy
//! giving at least v. Payoffs are shifted to be positive first, so v ≥ 0 fits the LP's
//! non-negative variables. The exact optima (proved by an exact dual) form an equilibrium, which
//! certification then checks with zero tolerance; if the exact refinement fails, the certified
//! float optimum is returned instead.

use crate::error::{Error, Result};
use crate::game::{certify_exact, certify_float, Equilibrium, StrategicGame};
use crate::num::{fmt_f64, fmt_q, Q};
use crate::solve::exact_lp::{ExactLp, Row, Sense};

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
    let a = game.matrix(0);
    let (m, n) = (a.len(), a[0].len());
    let transposed: Vec<Vec<Q>> = (0..n).map(|j| (0..m).map(|i| -a[i][j].clone()).collect()).collect();
    let row = maximin(&a)?;
    let col = maximin(&transposed)?;
    if let (Some(x), Some(y)) = (&row.exact, &col.exact) {
        if let Ok(exact) = certify_exact(game, vec![x.clone(), y.clone()]) {
            let values = exact.payoffs.iter().map(fmt_q).collect();
            return Ok(ZeroSumSolution { equilibrium: Equilibrium::Exact(exact), values });
        }
    }
    let cert = certify_float(game, vec![row.float, col.float])?;
    let values = cert.payoffs.iter().map(|v| fmt_f64(*v)).collect();
    Ok(ZeroSumSolution { equilibrium: Equilibrium::Float(cert), values })
}

/// A maximin strategy, exact when the refinement succeeded.
struct Maximin {
    float: Vec<f64>,
    exact: Option<Vec<Q>>,
}

/// The row player's maximin strategy of `a` (rows = own strategies): variables `x_1..x_m, v`,
/// maximise v subject to `v − Σ_i x_i (a_ij + shift) ≤ 0` for every column j and `Σ x_i = 1`.
fn maximin(a: &[Vec<Q>]) -> Result<Maximin> {
    let (m, n) = (a.len(), a[0].len());
    let least = a.iter().flatten().min().cloned().unwrap_or(Q::ZERO);
    let shift = Q::ONE - least;
    let mut objective = vec![Q::ZERO; m + 1];
    objective[m] = Q::ONE;
    let mut rows: Vec<Row> = (0..n)
        .map(|j| {
            let mut coeffs: Vec<Q> = (0..m).map(|i| -(&a[i][j] + &shift)).collect();
            coeffs.push(Q::ONE);
            Row { coeffs, sense: Sense::Le, rhs: Q::ZERO }
        })
        .collect();
    let mut total = vec![Q::ONE; m];
    total.push(Q::ZERO);
    rows.push(Row { coeffs: total, sense: Sense::Eq, rhs: Q::ONE });
    let program = ExactLp { objective, rows };
    let float = program
        .solve_float()?
        .ok_or_else(|| Error::Solver("lp: the maximin LP was reported infeasible".into()))?;
    let exact = program.refine(&float).map(|opt| opt.x[..m].to_vec());
    let mut probs: Vec<f64> = float.x[..m].to_vec();
    let sum: f64 = probs.iter().sum();
    probs.iter_mut().for_each(|p| *p /= sum);
    Ok(Maximin { float: probs, exact })
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
