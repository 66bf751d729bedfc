//! `ipa`: iterated polymatrix approximation, Govindan & Wilson, "Computing Nash equilibria by
//! iterated polymatrix approximation", *Journal of Economic Dynamics and Control* 28 (2004)
//! 1229–1241, as implemented in GameTracer (Blum, Shelton & Koller 2006) and Gambit's
//! `gambit-ipa` / pygambit's `ipa_solve`. One equilibrium.
//!
//! The method. Near a profile `ŝ` a game with any number of players is approximated by a
//! polymatrix game: player i's payoff from pure strategy s against the others is the first-order
//! term `Σ_{j≠i} Σ_t DG_{is,jt}(ŝ) s_jt / (N−1)`, `DG_{is,jt}` being the payoff of (s, t)
//! against `ŝ` of the rest (for two players it is the game itself). Polymatrix games are solved
//! exactly by linear algebra: first on the support of the previous answer (one linear system,
//! `support_solution`); when that is infeasible, by Lemke's algorithm from the perturbation's
//! best replies, i.e. the first equilibrium on the polymatrix game's global Newton path
//! (`gnm`'s tracer, [`crate::solve::gnm`], which is exact on these piecewise-linear paths). In
//! Govindan & Wilson's coordinates `z = s + V(s)` the answer `z` is then blended into the
//! current point `ẑ` (weight `α = 0.2`, with a secant step once the support is stable) and `ŝ`
//! is `ẑ` retracted onto the strategy simplices; the iteration stops once `z` and `ẑ`, or `s`
//! and `ŝ`, are within `1e-6` (GameTracer's constants). Payoffs are shifted so the smallest is 0
//! and the perturbation is a unit vector, as in Gambit, so runs can be compared.
//!
//! The iterate is an approximate equilibrium; it is polished by Newton's method on the support
//! equations of the game itself ([`crate::solve::gnm::trace::Path::polish`]) and certified.

use crate::error::{Error, Result};
use crate::game::{Equilibrium, StrategicGame};
use crate::num::from_f64;
use crate::solve::deadline::Deadline;
use crate::solve::gnm::perturbation::Perturbation;
use crate::solve::gnm::{certified, check_size, start, units};
use crate::solve::logit::ConditionalValues;
use nalgebra::{DMatrix, DVector};

/// GameTracer's blending weight of the new polymatrix answer.
const ALPHA: f64 = 0.2;
/// GameTracer's convergence distance (also its threshold for zeroing small probabilities).
const FUZZ: f64 = 1e-6;
/// Iterations per run before GameTracer restarts its secant memory (as Gambit, from the last
/// point).
const ITERATIONS_PER_RUN: usize = 100;
/// Runs before giving up.
const MAX_RUNS: usize = 100;

/// The equilibrium `ipa` converges to, certified; `None` when the deadline passed first.
pub fn ipa_until(
    game: &StrategicGame,
    perturbation: Option<&Perturbation>,
    deadline: &Deadline,
) -> Result<Option<Equilibrium>> {
    check_size(game, "ipa")?;
    let shifted = units::shifted(game)?;
    let perturbation = perturbation
        .cloned()
        .unwrap_or_else(|| Perturbation::first_strategies(game));
    let counts = game.strategy_counts();
    let mut zh: Vec<Vec<f64>> = counts.iter().map(|&c| vec![1.0; c]).collect();
    for _ in 0..MAX_RUNS {
        if let Some(s) = run(&shifted, &perturbation, &mut zh, deadline)? {
            return finish(game, &shifted, &perturbation, s).map(Some);
        }
        if deadline.passed() {
            return Ok(None);
        }
    }
    Err(Error::Solver(format!(
        "ipa: no convergence within {} iterations",
        MAX_RUNS * ITERATIONS_PER_RUN
    )))
}

/// One GameTracer run of at most [`ITERATIONS_PER_RUN`] iterations from `zh`; the converged
/// profile, or `None` (with `zh` moved on) to run again.
fn run(
    game: &StrategicGame,
    perturbation: &Perturbation,
    zh: &mut Vec<Vec<f64>>,
    deadline: &Deadline,
) -> Result<Option<Vec<Vec<f64>>>> {
    let n = game.num_players();
    let flat = |v: &[Vec<f64>]| {
        DVector::from_iterator(v.iter().map(Vec::len).sum(), v.iter().flatten().copied())
    };
    let mut sh = retract(zh);
    let mut so = sh.clone();
    let mut sho = flat(&zero_like(zh));
    let mut yh = flat(&zero_like(zh));
    let mut y = flat(&zero_like(zh));
    for iteration in 1..=ITERATIONS_PER_RUN {
        if deadline.passed() {
            return Ok(None);
        }
        let jacobian = payoff_jacobian(game, &sh);
        let support: Vec<Vec<usize>> = so
            .iter()
            .map(|s| (0..s.len()).filter(|&k| s[k] > 0.0).collect())
            .collect();
        let s = match support_solution(game, &jacobian, &support) {
            Some(s) => s,
            None => match lemke(game, &jacobian, perturbation, deadline) {
                Err(_) if deadline.passed() => return Ok(None),
                other => other?,
            },
        };
        let s_flat = flat(&s);
        let z = &jacobian * &s_flat + &s_flat;
        let same_support = s
            .iter()
            .flatten()
            .zip(so.iter().flatten())
            .all(|(a, b)| (*a > 0.0) == (*b > 0.0));
        let sh_flat = flat(&sh);
        let mut zh_flat = flat(zh);
        let u = &zh_flat - &sh_flat;
        if u.norm_squared() > 0.0 {
            let ell = (&z - &sh_flat).dot(&u) / u.norm_squared();
            if ell <= 0.0 || same_support {
                zh_flat = &sh_flat + &u * ell;
                yh = &sho + (&yh - &sho) * ell;
            }
        }
        if n <= 2 || (&z - &zh_flat).norm() < FUZZ || (&s_flat - &sh_flat).norm() < FUZZ {
            return Ok(Some(s));
        }
        let mut target = z.clone();
        if iteration > 1 {
            let d = &z - &zh_flat - &y + &yh;
            for k in 0..target.len() {
                if same_support && d[k] > FUZZ {
                    target[k] = (yh[k] * z[k] - zh_flat[k] * y[k]) / d[k];
                }
            }
        }
        let next = &target * ALPHA + &zh_flat * (1.0 - ALPHA);
        so = s;
        y = z;
        sho = sh_flat;
        yh = zh_flat;
        *zh = unflatten(&next, zh);
        sh = retract(zh);
        for strategy in &mut sh {
            for p in strategy.iter_mut() {
                if *p < FUZZ {
                    *p = 0.0;
                }
            }
            let sum: f64 = strategy.iter().sum();
            strategy.iter_mut().for_each(|p| *p /= sum);
        }
    }
    Ok(None)
}

/// Polish the iterate on the game itself and certify it.
fn finish(
    game: &StrategicGame,
    shifted: &StrategicGame,
    perturbation: &Perturbation,
    s: Vec<Vec<f64>>,
) -> Result<Equilibrium> {
    let support: Vec<Vec<usize>> = s
        .iter()
        .map(|x| (0..x.len()).filter(|&k| x[k] > 0.0).collect())
        .collect();
    let (path, _, _) = start(shifted, perturbation, -1.0, 1, 30);
    let polished = path.polish(support, &s);
    polished
        .and_then(|p| certified(game, p))
        .or_else(|| certified(game, s.clone()))
        .ok_or_else(|| {
            Error::Solver(format!(
                "ipa converged to {s:?}, which does not certify as an equilibrium (its support's \
                 equations have no nearby solution)"
            ))
        })
}

fn zero_like(v: &[Vec<f64>]) -> Vec<Vec<f64>> {
    v.iter().map(|s| vec![0.0; s.len()]).collect()
}

fn unflatten(flat: &DVector<f64>, like: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let mut k = 0;
    like.iter()
        .map(|s| {
            s.iter()
                .map(|_| {
                    k += 1;
                    flat[k - 1]
                })
                .collect()
        })
        .collect()
}

/// Each player's part of `z` projected onto its simplex (the nearest probability vector:
/// `σ_s = max(z_s − τ, 0)` with τ making them sum to 1).
fn retract(z: &[Vec<f64>]) -> Vec<Vec<f64>> {
    z.iter()
        .map(|zi| {
            let mut sorted = zi.clone();
            sorted.sort_by(|a, b| b.total_cmp(a));
            let mut sum = 0.0;
            let mut tau = 0.0;
            for (k, &value) in sorted.iter().enumerate() {
                sum += value;
                let candidate = (sum - 1.0) / (k + 1) as f64;
                if value - candidate > 0.0 {
                    tau = candidate;
                }
            }
            zi.iter().map(|&x| (x - tau).max(0.0)).collect()
        })
        .collect()
}

/// `DG/(N−1)` at `profile`, over all strategies: the polymatrix approximation's payoff matrix
/// (`DG_{is,jt}` = payoff of (s, t) against `profile` of the rest; 0 for j = i).
fn payoff_jacobian(game: &StrategicGame, profile: &[Vec<f64>]) -> DMatrix<f64> {
    let counts = game.strategy_counts();
    let offsets: Vec<usize> = game.strategy_offsets();
    let total: usize = counts.iter().sum();
    let values = ConditionalValues::new(game, profile);
    let divisor = (counts.len().max(2) - 1) as f64;
    let mut m = DMatrix::zeros(total, total);
    for i in 0..counts.len() {
        for s in 0..counts[i] {
            for j in (0..counts.len()).filter(|&j| j != i) {
                for t in 0..counts[j] {
                    m[(offsets[i] + s, offsets[j] + t)] = values.pair(i, s, j, t) / divisor;
                }
            }
        }
    }
    m
}

/// The polymatrix game's equilibrium with the given supports, if the linear system of equal
/// payoffs on the supports and unit sums has a solution with every probability and every
/// outside slack nonnegative.
fn support_solution(
    game: &StrategicGame,
    jacobian: &DMatrix<f64>,
    support: &[Vec<usize>],
) -> Option<Vec<Vec<f64>>> {
    let counts = game.strategy_counts();
    let total: usize = counts.iter().sum();
    let n = counts.len();
    let mut a = DMatrix::zeros(total + n, total + n);
    let mut b = DVector::zeros(total + n);
    let mut row = 0;
    let in_support = |i: usize, s: usize| support[i].contains(&s);
    let column_of: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| (0..counts[i]).map(move |s| (i, s)))
        .collect();
    for i in 0..n {
        for s in 0..counts[i] {
            for (c, &(j, t)) in column_of.iter().enumerate() {
                if in_support(j, t) {
                    a[(row, c)] = jacobian[(row, c)];
                }
            }
            if !in_support(i, s) {
                a[(row, row)] = 1.0; // the slack of s, in place of its probability
            }
            a[(row, total + i)] = -1.0;
            row += 1;
        }
    }
    for i in 0..n {
        for (c, &(j, t)) in column_of.iter().enumerate() {
            if j == i && in_support(j, t) {
                a[(total + i, c)] = 1.0;
            }
        }
        b[total + i] = 1.0;
    }
    let x = a.lu().solve(&b)?;
    if x.iter().take(total).any(|&v| !v.is_finite() || v < 0.0) {
        return None;
    }
    let mut k = 0;
    Some(
        (0..n)
            .map(|i| {
                (0..counts[i])
                    .map(|s| {
                        k += 1;
                        if in_support(i, s) {
                            x[k - 1]
                        } else {
                            0.0
                        }
                    })
                    .collect()
            })
            .collect(),
    )
}

/// The polymatrix game's first equilibrium on its global Newton path from the perturbation
/// (Lemke's algorithm with the perturbation as covering vector).
fn lemke(
    game: &StrategicGame,
    jacobian: &DMatrix<f64>,
    perturbation: &Perturbation,
    deadline: &Deadline,
) -> Result<Vec<Vec<f64>>> {
    let poly = polymatrix_game(game, jacobian)?;
    let (path, cell, x) = start(&poly, perturbation, f64::NEG_INFINITY, 1, 10);
    let path = crate::solve::gnm::trace::Path {
        first_only: true,
        ..path
    };
    let trace = path.follow(cell, x, deadline);
    trace.crossings.into_iter().next().ok_or_else(|| {
        Error::Solver(format!(
            "ipa: Lemke's algorithm on the polymatrix approximation failed ({})",
            trace.stopped.unwrap_or_default()
        ))
    })
}

/// The polymatrix game as a strategic game: player i's payoff at a pure profile is
/// `Σ_{j≠i} M_{i s_i, j s_j}`.
fn polymatrix_game(game: &StrategicGame, jacobian: &DMatrix<f64>) -> Result<StrategicGame> {
    let counts = game.strategy_counts();
    let offsets: Vec<usize> = game.strategy_offsets();
    let payoffs = (0..counts.len())
        .map(|i| {
            (0..game.num_profiles())
                .map(|index| {
                    let pure = game.profile_at(index);
                    let u: f64 = (0..counts.len())
                        .filter(|&j| j != i)
                        .map(|j| jacobian[(offsets[i] + pure[i], offsets[j] + pure[j])])
                        .sum();
                    from_f64(u).ok_or_else(|| Error::Solver("ipa: a payoff is not finite".into()))
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<Vec<_>>>()?;
    StrategicGame::new(
        "",
        game.players().to_vec(),
        game.strategies().to_vec(),
        payoffs,
    )
}
