//! `lp`: value and optimal strategies of a two-player constant-sum game by linear programming
//! (von Neumann's minimax theorem; the LP as in e.g. Shoham & Leyton-Brown 2009, §4.1).
//!
//! Fast path, for payoffs with an integer view ([`StrategicGame::payoff_table_int`]): the
//! shifted-positive game's LP is solved by our dense float simplex ([`crate::solve::linalg::simplex`]),
//! whose final basis names the supports `S` (rows) and `T` (columns), `|S| = |T|`. The basis
//! systems `A_ST w = 1` and `A_STᵀ u = 1` are then solved exactly on integers by p-adic lifting
//! ([`crate::solve::linalg::integer_system::dixon`]), and `u / Σu`, `w / Σw` go to exact certification, which proves
//! them optimal (zero regret is primal and dual feasibility). Float work finds the
//! combinatorial answer, integer work makes it exact, and rationals appear only in the answer.
//!
//! Fallback, when the fast path does not apply or its answer is not certified (degenerate games
//! whose float basis is wrong, payoffs without an integer view): each player's maximin LP is
//! solved separately: maximise v subject to every opponent strategy giving at least v. Payoffs
//! are shifted to be positive first, so v ≥ 0 fits the LP's non-negative variables. The exact
//! optima (proved by an exact dual) form an equilibrium, which certification then checks with
//! zero tolerance; if the exact refinement fails, the certified float optimum is returned
//! instead.

use crate::error::{Error, Result};
use crate::game::{certify_exact, certify_float, Certified, Equilibrium, StrategicGame};
use crate::num::{fmt_f64, fmt_q, Q};
use crate::solve::linalg::exact_lp::{ExactLp, Row, Sense};
use crate::solve::linalg::integer_system::dixon::DixonSolver;
use crate::solve::linalg::simplex::optimal_basis;

/// The solution of a constant-sum game: one optimal profile and each player's value.
#[derive(Debug, Clone)]
pub struct ZeroSumSolution {
    /// One pair of optimal (maximin) strategies, certified.
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
    match solve_by_simplex(game) {
        Some(exact) => Ok(exact_solution(exact)),
        None => solve_by_refinement(game),
    }
}

/// The fallback of the module documentation: both maximin LPs through good_lp and
/// [`ExactLp::refine`], certified exactly when refinement succeeds and with a tolerance if not.
fn solve_by_refinement(game: &StrategicGame) -> Result<ZeroSumSolution> {
    let a = game.matrix(0);
    let (m, n) = (a.len(), a[0].len());
    let transposed: Vec<Vec<Q>> = (0..n)
        .map(|j| (0..m).map(|i| -a[i][j].clone()).collect())
        .collect();
    let row = maximin(&a)?;
    let col = maximin(&transposed)?;
    if let (Some(x), Some(y)) = (&row.exact, &col.exact) {
        if let Ok(exact) = certify_exact(game, vec![x.clone(), y.clone()]) {
            return Ok(exact_solution(exact));
        }
    }
    let cert = certify_float(game, vec![row.float, col.float])?;
    let values = cert.payoffs().iter().map(|v| fmt_f64(*v)).collect();
    Ok(ZeroSumSolution {
        equilibrium: Equilibrium::Float(cert),
        values,
    })
}

fn exact_solution(exact: Certified<Q>) -> ZeroSumSolution {
    let values = exact.payoffs().iter().map(fmt_q).collect();
    ZeroSumSolution {
        equilibrium: Equilibrium::Exact(exact),
        values,
    }
}

/// The fast path of the module documentation; `None` sends the caller to the fallback.
fn solve_by_simplex(game: &StrategicGame) -> Option<Certified<Q>> {
    let view = game.payoff_table_int(0)?;
    let numerators = view.numerators();
    let (m, n) = (game.num_strategies(0), game.num_strategies(1));
    // row-major A_ij + shift ≥ 1, from the player-1-fastest table (profile i + j·m); the view
    // keeps the least and greatest numerators
    let least = view.min();
    let shifted: Vec<i64> = (0..m * n)
        .map(|c| {
            numerators[c / n + (c % n) * m]
                .checked_sub(least)?
                .checked_add(1)
        })
        .collect::<Option<_>>()?;
    let largest = view.max().checked_sub(least)?.checked_add(1)? as f64;
    let scaled: Vec<f64> = shifted.iter().map(|&v| v as f64 / largest).collect();
    let basis = optimal_basis(m, n, &scaled).ok()?;
    let k = basis.rows.len();
    let block: Vec<i64> = basis
        .rows
        .iter()
        .flat_map(|&i| basis.columns.iter().map(move |&j| (i, j)))
        .map(|(i, j)| shifted[i * n + j])
        .collect();
    let ones = vec![1; k];
    let solver = DixonSolver::new(k, &block)?;
    let w = solver.solve(&ones)?;
    let u = solver.solve_transposed(&ones)?;
    let x = u.to_distribution(m, &basis.rows)?;
    let y = w.to_distribution(n, &basis.columns)?;
    certify_exact(game, vec![x, y]).ok()
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
            Row {
                coeffs,
                sense: Sense::Le,
                rhs: Q::ZERO,
            }
        })
        .collect();
    let mut total = vec![Q::ONE; m];
    total.push(Q::ZERO);
    rows.push(Row {
        coeffs: total,
        sense: Sense::Eq,
        rhs: Q::ONE,
    });
    let program = ExactLp { objective, rows };
    let float = program
        .solve_float()?
        .ok_or_else(|| Error::Solver("lp: the maximin LP was reported infeasible".into()))?;
    let exact = program.refine(&float).map(|opt| opt.x[..m].to_vec());
    let mut probs: Vec<f64> = float.x[..m].to_vec();
    let sum: f64 = probs.iter().sum();
    probs.iter_mut().for_each(|p| *p /= sum);
    Ok(Maximin {
        float: probs,
        exact,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{parse_q, q_matrix};

    fn neg(m: &[Vec<Q>]) -> Vec<Vec<Q>> {
        m.iter()
            .map(|r| r.iter().map(|v| -v.clone()).collect())
            .collect()
    }

    #[test]
    fn rock_paper_scissors_value_zero_uniform() {
        let a = q_matrix(&[&[0, -1, 1], &[1, 0, -1], &[-1, 1, 0]]);
        let g = StrategicGame::bimatrix(&a, &neg(&a)).unwrap();
        let s = lp(&g).unwrap();
        let third = parse_q("1/3").unwrap();
        match &s.equilibrium {
            Equilibrium::Exact(c) => {
                assert_eq!(c.profile()[0], vec![third.clone(); 3]);
                assert_eq!(c.profile()[1], vec![third; 3]);
            }
            other => panic!("expected an exact answer, got {other:?}"),
        }
        assert_eq!(s.values, vec!["0", "0"]);
    }

    #[test]
    fn two_by_two_closed_form() {
        // A = [[3, -1], [-2, 1]]: x = (3/7, 4/7), y = (2/7, 5/7), value 1/7 (mixed-strategy formula).
        let a = q_matrix(&[&[3, -1], &[-2, 1]]);
        let g = StrategicGame::bimatrix(&a, &neg(&a)).unwrap();
        let s = lp(&g).unwrap();
        let Equilibrium::Exact(c) = &s.equilibrium else {
            panic!("not exact")
        };
        assert_eq!(
            c.profile()[0],
            vec![parse_q("3/7").unwrap(), parse_q("4/7").unwrap()]
        );
        assert_eq!(
            c.profile()[1],
            vec![parse_q("2/7").unwrap(), parse_q("5/7").unwrap()]
        );
        assert_eq!(s.values, vec!["1/7", "-1/7"]);
    }

    #[test]
    fn refuses_general_sum_and_three_players() {
        let a = q_matrix(&[&[1, 0], &[0, 1]]);
        let g = StrategicGame::bimatrix(&a, &a).unwrap();
        assert!(matches!(lp(&g), Err(Error::Unsupported(_))));
    }

    fn zero_sum(a: &[Vec<Q>]) -> StrategicGame {
        StrategicGame::bimatrix(a, &neg(a)).unwrap()
    }

    fn exact(s: &ZeroSumSolution) -> &Certified<Q> {
        match &s.equilibrium {
            Equilibrium::Exact(c) => c,
            other => panic!("expected an exact answer, got {other:?}"),
        }
    }

    #[test]
    fn simplex_path_agrees_with_the_refined_lp_on_random_games() {
        use crate::game::random::SplitMix64;
        let mut rng = SplitMix64(2024);
        let mut fast = 0;
        for (m, n) in [(2, 3), (4, 7), (8, 5), (12, 12), (15, 9)] {
            // payoffs in 0..3 make ties and degenerate bases common; 0..1000 makes them rare
            for bound in [3, 1000] {
                let a: Vec<Vec<Q>> = (0..m)
                    .map(|_| (0..n).map(|_| Q::from(rng.next_u64() % bound)).collect())
                    .collect();
                // constant sum 7 instead of zero: the values must still add up
                let b: Vec<Vec<Q>> = a
                    .iter()
                    .map(|r| r.iter().map(|v| Q::from(7) - v).collect())
                    .collect();
                for g in [zero_sum(&a), StrategicGame::bimatrix(&a, &b).unwrap()] {
                    let reference = solve_by_refinement(&g).unwrap();
                    let expected = &exact(&reference).payoffs();
                    if let Some(found) = solve_by_simplex(&g) {
                        assert_eq!(&found.payoffs(), expected, "{m}×{n} game {a:?}");
                        fast += 1;
                    } else {
                        assert!(bound == 3, "nondegenerate {m}×{n} game left the fast path");
                    }
                    assert_eq!(lp(&g).unwrap().values, reference.values);
                }
            }
        }
        assert!(fast >= 15, "the fast path solved only {fast} of 20 games");
    }

    #[test]
    fn matching_pennies_by_the_simplex() {
        let g = zero_sum(&q_matrix(&[&[1, -1], &[-1, 1]]));
        let c = solve_by_simplex(&g).expect("fast path");
        let half = parse_q("1/2").unwrap();
        assert_eq!(c.profile(), vec![vec![half.clone(); 2], vec![half; 2]]);
        assert_eq!(c.payoffs(), vec![Q::ZERO, Q::ZERO]);
    }

    #[test]
    fn fractional_payoffs_closed_form() {
        // A = [[1/2, 0], [0, 1/3]], no saddle: v = (ad − bc)/(a + d − b − c) = (1/6)/(5/6) = 1/5,
        // x₁ = (d − c)/(a + d − b − c) = 2/5, y₁ = (d − b)/(a + d − b − c) = 2/5.
        let q = |t: &str| parse_q(t).unwrap();
        let g = zero_sum(&[vec![q("1/2"), q("0")], vec![q("0"), q("1/3")]]);
        let c = solve_by_simplex(&g).expect("fast path");
        assert_eq!(
            c.profile(),
            vec![vec![q("2/5"), q("3/5")], vec![q("2/5"), q("3/5")]]
        );
        assert_eq!(lp(&g).unwrap().values, vec!["1/5", "-1/5"]);
    }

    #[test]
    fn saddle_point_is_pure() {
        // row 3 strictly dominates rows 1 and 2; against it column 2 is the unique best reply:
        // the saddle point (3, 2) with value 3 is the only equilibrium.
        let g = zero_sum(&q_matrix(&[&[4, 2, 5], &[3, 1, 0], &[6, 3, 7]]));
        let c = solve_by_simplex(&g).expect("fast path");
        let (zero, one) = (Q::ZERO, Q::ONE);
        assert_eq!(
            c.profile()[0],
            vec![zero.clone(), zero.clone(), one.clone()]
        );
        assert_eq!(c.profile()[1], vec![zero.clone(), one, zero]);
        assert_eq!(lp(&g).unwrap().values, vec!["3", "-3"]);
    }

    #[test]
    fn one_row_and_constant_games() {
        // one row: the column player picks the smallest payoff, 2
        let g = zero_sum(&q_matrix(&[&[5, 2, 7]]));
        let c = solve_by_simplex(&g).expect("fast path");
        assert_eq!(c.profile()[1], vec![Q::ZERO, Q::ONE, Q::ZERO]);
        assert_eq!(c.payoffs()[0], Q::from(2));
        // every payoff 4: every profile is optimal, the value is 4
        let g = zero_sum(&q_matrix(&[&[4, 4], &[4, 4], &[4, 4]]));
        assert_eq!(exact(&lp(&g).unwrap()).payoffs()[0], Q::from(4));
    }

    #[test]
    fn duplicated_strategies_keep_the_value() {
        // rows 1 and 2 are the same strategy; the game is [[1, 0], [0, 1]] with value 1/2
        let g = zero_sum(&q_matrix(&[&[1, 0], &[1, 0], &[0, 1]]));
        let s = lp(&g).unwrap();
        assert_eq!(exact(&s).payoffs()[0], parse_q("1/2").unwrap());
    }
}
