//! `correlated`: correlated equilibria (Aumann, "Subjectivity and correlation in randomized
//! strategies", J. Math. Econ. 1974) of a strategic game with any number of players.
//!
//! A distribution `p` over pure profiles is a correlated equilibrium when no player, told only
//! its own component `j` of a profile drawn from `p`, gains by playing some `j'` instead:
//!
//! ```text
//! Σ_{s : s_i = j} p(s) · (u_i(j', s_-i) − u_i(s)) ≤ 0     for every player i and j ≠ j'
//! ```
//!
//! These are linear, so the correlated equilibria form a polytope, and any linear objective
//! (by default the sum of payoffs, "welfare") is optimised over it by one LP
//! (e.g. Papadimitriou & Roughgarden 2008, §2). The LP is solved in floats and made exact by
//! [`crate::solve::linalg::exact_lp`]; the exact answer is then certified by [`correlated_regret`],
//! which shares no code with the LP. The polytope's vertices come from [`correlated_vertices`].

mod polytope;

use crate::error::{Error, Result};
use crate::game::regret::payoff_scale;
use crate::game::StrategicGame;
use crate::limits;
use crate::num::{parse_q, to_f64, tol, Scalar, Q};
use crate::solve::linalg::exact_lp::{ExactLp, Row, Sense};

/// What the LP maximises over the correlated equilibria.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Objective {
    /// The sum of all players' expected payoffs.
    #[default]
    Welfare,
    /// `Σ_i w_i · (player i's expected payoff)`, one weight per player.
    Weights(Vec<Q>),
}

impl Objective {
    /// `welfare`, or comma-separated weights such as `1,0` or `1/2,-1`.
    pub fn parse(text: &str) -> Result<Objective> {
        if text.trim() == "welfare" {
            return Ok(Objective::Welfare);
        }
        text.split(',')
            .map(|w| {
                parse_q(w).ok_or_else(|| {
                    Error::Usage(format!(
                        "objective: `{}` is not a number (write `welfare` or weights like `1,0`)",
                        w.trim()
                    ))
                })
            })
            .collect::<Result<Vec<Q>>>()
            .map(Objective::Weights)
    }

    fn weights(&self, players: usize) -> Result<Vec<Q>> {
        match self {
            Objective::Welfare => Ok(vec![Q::ONE; players]),
            Objective::Weights(w) if w.len() == players => Ok(w.clone()),
            Objective::Weights(w) => Err(Error::Usage(format!(
                "objective: {} weights for a game of {players} players",
                w.len()
            ))),
        }
    }
}

/// A correlated equilibrium: a distribution over pure profiles (indexed like the game's
/// profiles, player 1 fastest), each player's expected payoff, the objective's value, and the
/// certified regret.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelatedOf<T> {
    /// The mediator's probability of recommending each pure profile (sums to 1).
    pub distribution: Vec<T>,
    /// Each player's expected payoff under the distribution.
    pub payoffs: Vec<T>,
    /// The objective's value at the distribution (what the LP maximised).
    pub objective_value: T,
    /// [`correlated_regret`] of the distribution: exactly 0, or within tolerance for floats.
    pub regret: T,
}

/// An optimal correlated equilibrium, exact when it could be certified so.
#[derive(Debug, Clone, PartialEq)]
pub enum CorrelatedEq {
    /// Proved optimal and an equilibrium in exact rationals.
    Exact(CorrelatedOf<Q>),
    /// The floating-point optimum, its regret within tolerance.
    Float(CorrelatedOf<f64>),
}

impl CorrelatedEq {
    /// True when the answer is in exact rationals.
    pub fn is_exact(&self) -> bool {
        matches!(self, CorrelatedEq::Exact(_))
    }
    /// The distribution as floats (exact values rounded).
    pub fn distribution_f64(&self) -> Vec<f64> {
        match self {
            CorrelatedEq::Exact(c) => c.distribution.iter().map(to_f64).collect(),
            CorrelatedEq::Float(c) => c.distribution.clone(),
        }
    }
    /// Each player's expected payoff as text (`1/3`, or a decimal for floats).
    pub fn payoffs_text(&self) -> Vec<String> {
        match self {
            CorrelatedEq::Exact(c) => c.payoffs.iter().map(Scalar::to_text).collect(),
            CorrelatedEq::Float(c) => c.payoffs.iter().map(Scalar::to_text).collect(),
        }
    }
    /// The objective's value as text.
    pub fn objective_text(&self) -> String {
        match self {
            CorrelatedEq::Exact(c) => c.objective_value.to_text(),
            CorrelatedEq::Float(c) => c.objective_value.to_text(),
        }
    }
    /// The certified regret as text (`0` when exact).
    pub fn regret_text(&self) -> String {
        match self {
            CorrelatedEq::Exact(c) => c.regret.to_text(),
            CorrelatedEq::Float(c) => c.regret.to_text(),
        }
    }
    /// The profiles with positive probability: each player's strategy label, and the probability
    /// as text (float probabilities below `tol::LP_ACTIVE` count as 0).
    pub fn support_text(&self, game: &StrategicGame) -> Vec<(Vec<String>, String)> {
        let entries: Vec<(usize, String)> = match self {
            CorrelatedEq::Exact(c) => c
                .distribution
                .iter()
                .enumerate()
                .filter(|(_, p)| **p > Q::ZERO)
                .map(|(k, p)| (k, p.to_text()))
                .collect(),
            CorrelatedEq::Float(c) => c
                .distribution
                .iter()
                .enumerate()
                .filter(|(_, p)| **p > tol::LP_ACTIVE)
                .map(|(k, p)| (k, p.to_text()))
                .collect(),
        };
        entries
            .into_iter()
            .map(|(k, p)| (profile_labels(game, k), p))
            .collect()
    }
}

fn profile_labels(game: &StrategicGame, index: usize) -> Vec<String> {
    game.profile_at(index)
        .iter()
        .enumerate()
        .map(|(p, &s)| game.strategies()[p][s].clone())
        .collect()
}

/// A correlated equilibrium maximising `objective`, exact when certified.
pub fn correlated(game: &StrategicGame, objective: Objective) -> Result<CorrelatedEq> {
    let weights = objective.weights(game.num_players())?;
    let lp = ce_lp(game, &weights)?;
    let float = lp.solve_float()?.ok_or_else(|| {
        Error::Solver("correlated: the LP backend found no correlated equilibrium".into())
    })?;
    if let Some(exact) = lp.refine(&float) {
        let regret = correlated_regret(game, &exact.x);
        if regret == Q::ZERO {
            let payoffs = expected_payoffs(game, &exact.x);
            return Ok(CorrelatedEq::Exact(CorrelatedOf {
                distribution: exact.x,
                payoffs,
                objective_value: exact.value,
                regret,
            }));
        }
    }
    let total: f64 = float.x.iter().sum();
    let distribution: Vec<f64> = float.x.iter().map(|p| p / total).collect();
    let regret = correlated_regret(game, &distribution);
    let bound = tol::REGRET_F64 * payoff_scale(game);
    if regret.is_nan() || regret > bound {
        return Err(Error::Solver(format!(
            "correlated: the LP's distribution has regret {regret:e}, above the tolerance {bound:e}"
        )));
    }
    let payoffs = expected_payoffs(game, &distribution);
    let objective_value = payoffs
        .iter()
        .zip(&weights)
        .map(|(u, w)| u * to_f64(w))
        .sum();
    Ok(CorrelatedEq::Float(CorrelatedOf {
        distribution,
        payoffs,
        objective_value,
        regret,
    }))
}

/// The largest expected gain of any player from deviating from any recommendation (0 if none
/// gains): `max_{i, j, j'} Σ_{s : s_i = j} p(s)·(u_i(j', s_-i) − u_i(s))`, from the game alone.
/// Zero exactly when `distribution` is a correlated equilibrium.
pub fn correlated_regret<T: Scalar>(game: &StrategicGame, distribution: &[T]) -> T {
    let counts = game.strategy_counts();
    let mut worst = T::zero();
    for (i, &m) in counts.iter().enumerate() {
        let table = T::table(game, i);
        // gain[j][j'] summed over the profiles recommending j to player i
        let mut gain = vec![vec![T::zero(); m]; m];
        for (k, p) in distribution.iter().enumerate().take(game.num_profiles()) {
            if *p == T::zero() {
                continue;
            }
            let mut pure = game.profile_at(k);
            let j = pure[i];
            for (alt, g) in gain[j].iter_mut().enumerate() {
                pure[i] = alt;
                let deviation = table[game.profile_index(&pure)].sub(&table[k]);
                *g = g.add(&p.mul(&deviation));
            }
        }
        for g in gain.iter().flatten() {
            if *g > worst {
                worst = g.clone();
            }
        }
    }
    worst
}

/// Vertices of the correlated-equilibrium polytope, exact, sorted; for games of at most
/// [`limits::MAX_CE_VERTEX_PROFILES`] pure profiles (and at most [`limits::MAX_CE_VERTICES`]
/// vertices at any stage of the enumeration).
pub fn correlated_vertices(game: &StrategicGame) -> Result<Vec<Vec<Q>>> {
    if game.num_profiles() > limits::MAX_CE_VERTEX_PROFILES {
        return Err(Error::limit(
            "MAX_CE_VERTEX_PROFILES",
            format!(
                "correlated vertices: {} pure profiles; the limit is {}",
                game.num_profiles(),
                limits::MAX_CE_VERTEX_PROFILES
            ),
        ));
    }
    let cuts: Vec<Vec<Q>> = incentive_rows(game).into_iter().map(|r| r.coeffs).collect();
    polytope::simplex_slice_vertices(game.num_profiles(), &cuts, limits::MAX_CE_VERTICES)
}

/// The LP: maximise `Σ_s p(s) Σ_i w_i u_i(s)` over the correlated equilibria.
fn ce_lp(game: &StrategicGame, weights: &[Q]) -> Result<ExactLp> {
    let profiles = game.num_profiles();
    let rows_count: usize = game.strategy_counts().iter().map(|m| m * (m - 1)).sum();
    let entries = (rows_count as u128 + 1) * profiles as u128;
    if entries > limits::MAX_CE_LP_ENTRIES {
        return Err(Error::limit(
            "MAX_CE_LP_ENTRIES",
            format!(
                "correlated: an LP of {entries} constraint entries; the limit is {}",
                limits::MAX_CE_LP_ENTRIES
            ),
        ));
    }
    let objective = (0..profiles)
        .map(|k| {
            weights
                .iter()
                .enumerate()
                .fold(Q::ZERO, |acc, (i, w)| acc + w * &game.payoff_table(i)[k])
        })
        .collect();
    let mut rows = incentive_rows(game);
    rows.push(Row {
        coeffs: vec![Q::ONE; profiles],
        sense: Sense::Eq,
        rhs: Q::ONE,
    });
    Ok(ExactLp { objective, rows })
}

/// One row per player i, recommendation j and deviation j' ≠ j:
/// `Σ_{s : s_i = j} p(s)·(u_i(j', s_-i) − u_i(s)) ≤ 0`.
fn incentive_rows(game: &StrategicGame) -> Vec<Row> {
    let profiles = game.num_profiles();
    let mut rows = Vec::new();
    for (i, &m) in game.strategy_counts().iter().enumerate() {
        let stride = game.stride(i);
        let table = game.payoff_table(i);
        for j in 0..m {
            for alt in (0..m).filter(|&alt| alt != j) {
                let mut coeffs = vec![Q::ZERO; profiles];
                for (k, c) in coeffs
                    .iter_mut()
                    .enumerate()
                    .filter(|(k, _)| (k / stride) % m == j)
                {
                    let moved = k + alt * stride - j * stride;
                    *c = &table[moved] - &table[k];
                }
                rows.push(Row {
                    coeffs,
                    sense: Sense::Le,
                    rhs: Q::ZERO,
                });
            }
        }
    }
    rows
}

fn expected_payoffs<T: Scalar>(game: &StrategicGame, distribution: &[T]) -> Vec<T> {
    (0..game.num_players())
        .map(|i| {
            T::table(game, i)
                .iter()
                .zip(distribution)
                .fold(T::zero(), |acc, (u, p)| acc.add(&u.mul(p)))
        })
        .collect()
}
