//! `logit`: the principal branch of the logit quantal response equilibrium correspondence
//! (McKelvey & Palfrey, "Quantal response equilibria for normal form games", GEB 1995), traced
//! from the centroid at λ = 0 by predictor–corrector path following, as in Turocy, "A dynamic
//! homotopy interpretation of the logistic quantal response equilibrium correspondence",
//! GEB 2005.
//!
//! A logit QRE at precision λ is a profile π with `π_ij ∝ exp(λ·u_ij(π))`, where `u_ij` is player
//! i's expected payoff from pure strategy j against the others' mixture. Like Turocy we work in
//! log-probabilities `v_ij = ln π_ij`, which keeps every probability positive and lets strategies
//! that die out (π → 0 as λ → ∞) be tracked without underflow. The unknowns are `(v, λ)`; the
//! equations, per player i, are
//!
//! * `Σ_j exp(v_ij) − 1 = 0`, and
//! * `v_ij − v_ir − λ·(u_ij − u_ir) = 0` for each j ≠ r (r: the player's likeliest strategy),
//!
//! one fewer than the unknowns, so the solutions form curves; the principal branch is the one
//! through the centroid at λ = 0. It is followed in arclength (λ may turn back), and the point at
//! a requested λ is the branch's first crossing of it, polished by Newton's method at fixed λ.

mod branch;
pub(crate) mod estimate;

pub(crate) mod path;
pub(crate) mod tree;

pub use branch::Ended;

use crate::error::{Error, Result};
use crate::game::regret::payoff_scale;
use crate::game::StrategicGame;
use crate::limits;
use crate::solve::deadline::{Deadline, NO_DEADLINE};
use branch::QreSystem;
use nalgebra::{DMatrix, DVector};
use path::Curve;

/// [`logit_at`] does not bound the arclength step: the corrector's behaviour chooses it, and on
/// the long, nearly straight stretch at large λ (log-probabilities fall like −λ·payoff gap, so
/// games with payoffs in the millions run out of any fixed step) it grows geometrically.
pub(crate) const UNBOUNDED_STEP: f64 = f64::INFINITY;

/// The profile on the principal branch at precision `lambda` (its first crossing of `lambda`).
pub fn logit_at(game: &StrategicGame, lambda: f64) -> Result<Vec<Vec<f64>>> {
    logit_at_until(game, lambda, &NO_DEADLINE).map(|(_, profile, _)| profile)
}

/// [`logit_at`] within a time budget: `(λ, profile, how it ended)`, where a trace stopped by
/// `deadline` returns the last point it reached, at a λ below the requested one.
pub fn logit_at_until(
    game: &StrategicGame,
    lambda: f64,
    deadline: &Deadline,
) -> Result<(f64, Vec<Vec<f64>>, Ended)> {
    let system = LogitSystem::new(game)?;
    let mut last = None;
    let ended = branch::trace(&system, lambda, UNBOUNDED_STEP, deadline, |x| {
        last = Some(x.clone())
    })?;
    let x = last.ok_or_else(|| Error::Solver("logit: the path produced no point".into()))?;
    let (reached, profile) = system.point(&x);
    Ok((reached, profile, ended))
}

/// A point of a table's branch: `(λ, profile)`.
pub type BranchPoint = (f64, Vec<Vec<f64>>);

/// Points `(λ, profile)` along the principal branch from λ = 0 up to `to_lambda` (last point
/// exactly at `to_lambda`), with arclength steps in `(ln π, λ)` space at most about `max_step`;
/// for plotting the branch.
pub fn logit_branch(
    game: &StrategicGame,
    to_lambda: f64,
    max_step: f64,
) -> Result<Vec<BranchPoint>> {
    logit_branch_until(game, to_lambda, max_step, &NO_DEADLINE).map(|(points, _)| points)
}

/// [`logit_branch`] within a time budget: a trace stopped by `deadline` ends at its last point,
/// below `to_lambda`, with [`Ended::Stopped`].
pub fn logit_branch_until(
    game: &StrategicGame,
    to_lambda: f64,
    max_step: f64,
    deadline: &Deadline,
) -> Result<(Vec<BranchPoint>, Ended)> {
    branch::check_arguments(to_lambda, max_step)?;
    let system = LogitSystem::new(game)?;
    let mut points = Vec::new();
    let ended = branch::trace(&system, to_lambda, max_step, deadline, |x| {
        points.push(system.point(x))
    })?;
    Ok((points, ended))
}

/// The logit QRE equations of a game in the unknowns `(v, λ)`.
pub(crate) struct LogitSystem<'g> {
    game: &'g StrategicGame,
    /// Where each player's log-probabilities start in the unknown vector.
    offsets: Vec<usize>,
    /// Number of log-probabilities (λ is the unknown after them).
    unknowns: usize,
    /// Largest absolute payoff (at least 1): the size of the `λ·u` terms is `λ·payoff_scale`.
    payoff_scale: f64,
}

impl<'g> LogitSystem<'g> {
    fn new(game: &'g StrategicGame) -> Result<Self> {
        let counts = game.strategy_counts();
        let unknowns: usize = counts.iter().sum();
        if unknowns > limits::MAX_LOGIT_STRATEGIES {
            return Err(Error::limit(
                "MAX_LOGIT_STRATEGIES",
                format!(
                    "logit: {unknowns} strategies in all; the limit is {} (dense Jacobians)",
                    limits::MAX_LOGIT_STRATEGIES
                ),
            ));
        }
        let offsets = game.strategy_offsets();
        Ok(LogitSystem {
            game,
            offsets,
            unknowns,
            payoff_scale: payoff_scale(game),
        })
    }

    /// `(λ, profile)` of a point, each strategy renormalised to sum to exactly 1 in floats.
    fn point(&self, x: &DVector<f64>) -> (f64, Vec<Vec<f64>>) {
        let profile = self
            .probabilities(x)
            .into_iter()
            .map(|s| {
                let sum: f64 = s.iter().sum();
                s.into_iter().map(|p| p / sum).collect()
            })
            .collect();
        (x[self.unknowns], profile)
    }

    fn probabilities(&self, x: &DVector<f64>) -> Vec<Vec<f64>> {
        let counts = self.game.strategy_counts();
        (0..counts.len())
            .map(|p| {
                (0..counts[p])
                    .map(|j| x[self.offsets[p] + j].exp())
                    .collect()
            })
            .collect()
    }
}

impl QreSystem for LogitSystem<'_> {
    fn unknowns(&self) -> usize {
        self.unknowns
    }

    /// `(v, λ)` at the centroid: every strategy equally likely, λ = 0.
    fn centroid(&self) -> DVector<f64> {
        let mut x = DVector::zeros(self.unknowns + 1);
        for (p, &c) in self.game.strategy_counts().iter().enumerate() {
            for j in 0..c {
                x[self.offsets[p] + j] = -(c as f64).ln();
            }
        }
        x
    }
}

impl Curve for LogitSystem<'_> {
    fn eval(&self, x: &DVector<f64>) -> (DVector<f64>, DMatrix<f64>) {
        let n = self.unknowns;
        let lambda = x[n];
        let probs = self.probabilities(x);
        let values = ConditionalValues::new(self.game, &probs);
        let mut h = DVector::zeros(n);
        let mut jac = DMatrix::zeros(n, n + 1);
        for (i, own) in probs.iter().enumerate() {
            let base = self.offsets[i];
            // The reference strategy r is the likeliest one, so that the differences below are
            // of numbers near 0, not of two huge negative log-probabilities.
            let r = (0..own.len()).fold(0, |best, j| {
                if x[base + j] > x[base + best] {
                    j
                } else {
                    best
                }
            });
            // row base + r: Σ_j π_ij − 1
            h[base + r] = own.iter().sum::<f64>() - 1.0;
            for (j, &p) in own.iter().enumerate() {
                jac[(base + r, base + j)] = p;
            }
            // rows base + j, j ≠ r: v_ij − v_ir − λ (u_ij − u_ir)
            for j in (0..own.len()).filter(|&j| j != r) {
                let row = base + j;
                let gap = values.own[i][j] - values.own[i][r];
                h[row] = x[base + j] - x[base + r] - lambda * gap;
                jac[(row, base + j)] = 1.0;
                jac[(row, base + r)] = -1.0;
                jac[(row, n)] = -gap;
                for (k, other) in probs.iter().enumerate().filter(|(k, _)| *k != i) {
                    for (l, &p) in other.iter().enumerate() {
                        let d = values.pair(i, j, k, l) - values.pair(i, r, k, l);
                        jac[(row, self.offsets[k] + l)] = -lambda * d * p;
                    }
                }
            }
        }
        (h, jac)
    }

    /// See [`branch::converged_in_probabilities`].
    fn converged(&self, x: &DVector<f64>, delta: &DVector<f64>) -> bool {
        branch::converged_in_probabilities(x, delta, self.payoff_scale)
    }
}

/// Expected payoffs conditional on pure choices, against the others' mixtures:
/// `own[i][j] = u_i(j, π_-i)` and `pair(i, j, k, l) = u_i(j, l, π_-ik)` (k ≠ i), the latter being
/// `∂u_ij/∂π_kl` — what the Jacobian needs. Each pair table is player i's payoff tensor
/// contracted with the mixtures of every player but i and k, one axis at a time (the tensor
/// shrinks by that player's strategy count with each contraction, so a pair costs little more
/// than one pass over the payoff table); `own[i]` is then a pair table contracted with k's
/// mixture.
pub(crate) struct ConditionalValues {
    pub(crate) own: Vec<Vec<f64>>,
    /// `pairs[i][k]` is an `m_i × m_k` table, row-major (empty when k = i).
    pairs: Vec<Vec<Vec<f64>>>,
    counts: Vec<usize>,
}

impl ConditionalValues {
    pub(crate) fn new(game: &StrategicGame, probs: &[Vec<f64>]) -> Self {
        let counts = game.strategy_counts();
        let n = counts.len();
        let mut own: Vec<Vec<f64>> = counts.iter().map(|&c| vec![0.0; c]).collect();
        let mut pairs: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); n]; n];
        for i in 0..n {
            let table = game.payoff_table_f64(i);
            if n == 1 {
                own[i] = table.to_vec();
            }
            for k in (0..n).filter(|&k| k != i) {
                let mut dims = counts.clone();
                let mut contracted: Option<Vec<f64>> = None;
                for m in (0..n).rev().filter(|&m| m != i && m != k) {
                    let tensor = contracted.as_deref().unwrap_or(table);
                    contracted = Some(contract(tensor, &dims, m, &probs[m]));
                    dims[m] = 1;
                }
                let tensor = contracted.as_deref().unwrap_or(table);
                // what is left is indexed by the lower-numbered player's strategy fastest
                let index = |s: usize, t: usize| {
                    if i < k {
                        s + counts[i] * t
                    } else {
                        t + counts[k] * s
                    }
                };
                pairs[i][k] = (0..counts[i])
                    .flat_map(|s| (0..counts[k]).map(move |t| (s, t)))
                    .map(|(s, t)| tensor[index(s, t)])
                    .collect();
            }
            if let Some(k) = (0..n).find(|&k| k != i) {
                for (s, value) in own[i].iter_mut().enumerate() {
                    let row = &pairs[i][k][s * counts[k]..(s + 1) * counts[k]];
                    *value = row.iter().zip(&probs[k]).map(|(u, p)| u * p).sum();
                }
            }
        }
        ConditionalValues { own, pairs, counts }
    }

    pub(crate) fn pair(&self, i: usize, j: usize, k: usize, l: usize) -> f64 {
        self.pairs[i][k][j * self.counts[k] + l]
    }
}

/// `tensor` (axes of sizes `dims`, the first fastest) summed over axis `axis` with `weights`:
/// the same axes with that one of size 1. Zero weights are skipped (off-support strategies).
fn contract(tensor: &[f64], dims: &[usize], axis: usize, weights: &[f64]) -> Vec<f64> {
    let inner: usize = dims[..axis].iter().product();
    let size = dims[axis];
    let outer = tensor.len() / (inner * size);
    let mut out = vec![0.0; inner * outer];
    for (o, block) in out.chunks_exact_mut(inner).enumerate() {
        for (s, &w) in weights.iter().enumerate().filter(|(_, w)| **w != 0.0) {
            let source = &tensor[(o * size + s) * inner..][..inner];
            for (x, y) in block.iter_mut().zip(source) {
                *x += w * y;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Jacobian must be the derivative of the residual: compare with central differences
    /// on a 2×3×2 game with arbitrary payoffs.
    #[test]
    fn jacobian_matches_finite_differences() {
        let game = StrategicGame::arbitrary(&[2, 3, 2], 11, 4);
        let system = LogitSystem::new(&game).unwrap();
        let x = DVector::from_vec(vec![-0.3, -1.4, -0.9, -1.2, -1.3, -0.5, -0.95, 1.7]);
        let (_, jac) = system.eval(&x);
        let eps = 1e-6;
        for c in 0..x.len() {
            let mut up = x.clone();
            let mut down = x.clone();
            up[c] += eps;
            down[c] -= eps;
            let numeric = (system.eval(&up).0 - system.eval(&down).0) / (2.0 * eps);
            for r in 0..numeric.len() {
                assert!(
                    (numeric[r] - jac[(r, c)]).abs() < 1e-6,
                    "J[{r},{c}] = {} vs {}",
                    jac[(r, c)],
                    numeric[r]
                );
            }
        }
    }
}
