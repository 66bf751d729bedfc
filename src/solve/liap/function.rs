//! McKelvey's Lyapunov function of a strategic game as Gambit 16 states it, and its gradient.
//!
//! For an unconstrained vector `x` (one entry per strategy; payoffs multilinear in `x`, so
//! `u_i(x) = Σ_s x_is · u_i(s, x_{−i})` even off the simplices) and `c = 1 / (payoff range)`:
//!
//! `L(x) = Σ_i Σ_s max(0, c·(u_i(s, x_{−i}) − u_i(x)))² + 100 Σ_{i,s} min(0, x_is)² + 100 Σ_i (Σ_s x_is − 1)²`.
//!
//! The gradient is the exact one, projected onto the product of simplices' directions (each
//! player's mean subtracted, as Gambit's `FunctionOnSimplices::Project`), so the minimiser
//! moves within the planes `Σ_s x_is = const`.
//!
//! On a tree's reduced form Gambit reads the payoffs through behaviour strategies
//! ([`Reading::ThroughBehaviour`]): `u` is then evaluated at weights `w(x)` (negative entries
//! 0, normalised per player except the root mover's), the penalties still at `x`, and the
//! gradient is Gambit's: the formula above with every payoff and `x_i` in the regret terms
//! taken at `w(x)` (not differentiated through `w`). Read multilinearly instead, km1.efg's
//! and work1.efg's end points miss pygambit's by 0.02 and 0.16; read this way they match
//! within 1e-6 (`tests/liap.rs`); with the root mover's weights normalised too, km1.efg misses
//! by 8e-3.

use super::minimiser::Objective;
use crate::game::StrategicGame;

/// Gambit's weight of the penalty terms.
pub(crate) const PENALTY: f64 = 100.0;

/// How payoffs are read off an unconstrained vector `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Multilinear in `x` (Gambit on a strategic game).
    Multilinear,
    /// Through behaviour strategies, as Gambit 16 reads a mixed profile of a tree's reduced
    /// form (`TreeMixedStrategyProfileRep::GetPayoff` converts it to a behaviour profile): each
    /// player's negative weights count as 0, and the rest are normalised to sum 1 — except the
    /// weights of the player who moves at the root, whose node carries weight 1 in that
    /// conversion instead of the weights' sum. Payoffs are then multilinear in these weights.
    ThroughBehaviour {
        /// The player moving at the root (`None`: chance moves there).
        root_player: Option<usize>,
    },
}

/// McKelvey's function on a strategic game (see [`super`]).
#[derive(Debug)]
pub struct StrategicLyapunov<'a> {
    game: &'a StrategicGame,
    offsets: Vec<usize>,
    /// `1 / (payoff range)`, or 1 when all payoffs are equal.
    scale: f64,
    reading: Reading,
}

impl<'a> StrategicLyapunov<'a> {
    /// The function of `game`, scaled by its payoff range `range` (Gambit's: the largest minus
    /// the smallest payoff of the game as given, a tree's for its reduced form).
    pub fn new(game: &'a StrategicGame, range: f64) -> Self {
        let mut offsets = vec![0];
        for p in 0..game.num_players() {
            offsets.push(offsets[p] + game.num_strategies(p));
        }
        let scale = if range > 0.0 { 1.0 / range } else { 1.0 };
        StrategicLyapunov {
            game,
            offsets,
            scale,
            reading: Reading::Multilinear,
        }
    }

    /// The same function with payoffs read as `reading` says.
    pub fn reading(self, reading: Reading) -> Self {
        StrategicLyapunov { reading, ..self }
    }

    /// The weights the payoffs are multilinear in (see [`Reading`]).
    fn weights(&self, x: &[f64]) -> Vec<f64> {
        let Reading::ThroughBehaviour { root_player } = self.reading else {
            return x.to_vec();
        };
        let mut w: Vec<f64> = x.iter().map(|v| v.max(0.0)).collect();
        for (p, bounds) in self.offsets.windows(2).enumerate() {
            let own = &mut w[bounds[0]..bounds[1]];
            let sum: f64 = own.iter().sum();
            if Some(p) != root_player && sum > 0.0 {
                own.iter_mut().for_each(|v| *v /= sum);
            }
        }
        w
    }

    /// `x` as a mixed profile (Gambit's `EnforceNonnegativity`): negative entries set to 0, each
    /// player's vector renormalised (uniform when nothing is left).
    pub fn profile(&self, x: &[f64]) -> Vec<Vec<f64>> {
        self.offsets
            .windows(2)
            .map(|w| project(&x[w[0]..w[1]]))
            .collect()
    }

    /// The largest gain of a player from a pure deviation, at a mixed profile.
    pub fn regret(&self, profile: &[Vec<f64>]) -> f64 {
        let flat: Vec<f64> = profile.iter().flatten().copied().collect();
        let (values, _) = self.values(&flat, false);
        let mut regret: f64 = 0.0;
        for (p, s) in profile.iter().enumerate() {
            let v = &values[self.offsets[p]..self.offsets[p + 1]];
            let expected: f64 = v.iter().zip(s).map(|(a, b)| a * b).sum();
            let best = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            regret = regret.max(best - expected);
        }
        regret
    }

    /// `V_i(s) = u_i(s, x_{−i})` for every strategy (flat), and, when `pairs`, for each ordered
    /// pair of players `i ≠ j` the table `W_i(s; j, t) = u_i(s, t, x_{−ij})`, flat index
    /// `((i·n + j)` block, `s·m_j + t`).
    fn values(&self, x: &[f64], pairs: bool) -> (Vec<f64>, Vec<Vec<f64>>) {
        let x = &self.weights(x);
        let game = self.game;
        let n = game.num_players();
        let counts = game.strategy_counts();
        let mut values = vec![0.0; self.offsets[n]];
        let mut pair_tables: Vec<Vec<f64>> = (0..n * n)
            .map(|k| {
                let (i, j) = (k / n, k % n);
                vec![
                    0.0;
                    if pairs && i != j {
                        counts[i] * counts[j]
                    } else {
                        0
                    }
                ]
            })
            .collect();
        let mut pure = vec![0usize; n];
        let mut weights = vec![0.0; n];
        for k in 0..game.num_profiles() {
            for q in 0..n {
                weights[q] = x[self.offsets[q] + pure[q]];
            }
            for i in 0..n {
                let payoff = game.payoff_table_f64(i)[k];
                let others: f64 = (0..n).filter(|&q| q != i).map(|q| weights[q]).product();
                values[self.offsets[i] + pure[i]] += others * payoff;
                if pairs {
                    for j in (0..n).filter(|&j| j != i) {
                        let w: f64 = (0..n)
                            .filter(|&q| q != i && q != j)
                            .map(|q| weights[q])
                            .product();
                        pair_tables[i * n + j][pure[i] * counts[j] + pure[j]] += w * payoff;
                    }
                }
            }
            for q in 0..n {
                pure[q] += 1;
                if pure[q] < counts[q] {
                    break;
                }
                pure[q] = 0;
            }
        }
        (values, pair_tables)
    }
}

/// Negative entries set to 0 and the vector renormalised (uniform when nothing is left).
pub fn project(x: &[f64]) -> Vec<f64> {
    let clipped: Vec<f64> = x.iter().map(|v| v.max(0.0)).collect();
    let sum: f64 = clipped.iter().sum();
    if sum > 0.0 {
        clipped.iter().map(|v| v / sum).collect()
    } else {
        vec![1.0 / x.len() as f64; x.len()]
    }
}

impl Objective for StrategicLyapunov<'_> {
    fn value(&self, x: &[f64]) -> f64 {
        let (values, _) = self.values(x, false);
        let weights = self.weights(x);
        let mut lyapunov = 0.0;
        for w in self.offsets.windows(2) {
            let (v, xi) = (&values[w[0]..w[1]], &weights[w[0]..w[1]]);
            let expected: f64 = v.iter().zip(xi).map(|(a, b)| a * b).sum();
            lyapunov += v
                .iter()
                .map(|a| (self.scale * (a - expected)).max(0.0).powi(2))
                .sum::<f64>();
        }
        let negative: f64 = x.iter().map(|p| p.min(0.0).powi(2)).sum();
        let missing: f64 = self
            .offsets
            .windows(2)
            .map(|w| (x[w[0]..w[1]].iter().sum::<f64>() - 1.0).powi(2))
            .sum();
        lyapunov + PENALTY * negative + PENALTY * missing
    }

    fn gradient(&self, x: &[f64]) -> Vec<f64> {
        let game = self.game;
        let n = game.num_players();
        let counts = game.strategy_counts();
        let (values, pairs) = self.values(x, true);
        let weights = self.weights(x);
        let mut gradient = vec![0.0; x.len()];
        for i in 0..n {
            let own = self.offsets[i]..self.offsets[i + 1];
            let v = &values[own.clone()];
            let xi = &weights[own.clone()];
            let expected: f64 = v.iter().zip(xi).map(|(a, b)| a * b).sum();
            let losses: Vec<f64> = v
                .iter()
                .map(|a| (self.scale * self.scale * (a - expected)).max(0.0))
                .collect();
            let total: f64 = losses.iter().sum();
            // ∂u_i(x)/∂x_it = V_i(t); V_i(s) does not depend on x_i.
            for (t, vt) in v.iter().enumerate() {
                gradient[own.start + t] -= total * vt;
            }
            for j in (0..n).filter(|&j| j != i) {
                let table = &pairs[i * n + j];
                for t in 0..counts[j] {
                    // ∂u_i(s, x_{−i})/∂x_jt = W_i(s; j, t); ∂u_i(x)/∂x_jt = Σ_s x_is W_i(s; j, t).
                    let through_expected: f64 = (0..counts[i])
                        .map(|s| xi[s] * table[s * counts[j] + t])
                        .sum();
                    let through_values: f64 = (0..counts[i])
                        .map(|s| losses[s] * table[s * counts[j] + t])
                        .sum();
                    gradient[self.offsets[j] + t] += through_values - total * through_expected;
                }
            }
        }
        for w in self.offsets.windows(2) {
            let missing = x[w[0]..w[1]].iter().sum::<f64>() - 1.0;
            for t in w[0]..w[1] {
                gradient[t] += PENALTY * x[t].min(0.0) + PENALTY * missing;
                gradient[t] *= 2.0;
            }
            project_out_mean(&mut gradient[w[0]..w[1]]);
        }
        gradient
    }
}

/// Subtract the mean: the component of a player's gradient within its simplex's plane.
pub fn project_out_mean(v: &mut [f64]) {
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    v.iter_mut().for_each(|a| *a -= mean);
}
