//! `stackelberg`: the optimal mixed strategy to commit to (strong Stackelberg equilibrium: the
//! follower best-responds and breaks ties in the leader's favour), by multiple LPs — one per
//! follower response — as in Conitzer & Sandholm, "Computing the optimal strategy to commit
//! to", EC 2006, §3 (two players) and §4 (Bayesian follower: one LP per *profile* of responses,
//! one response per type); and, when those profiles are too many, by the DOBSS mixed-integer
//! program of Paruchuri et al., "Playing games for security", AAMAS 2008 (see `dobss`).
//!
//! For a response profile `a = (a_t)` the LP over the leader's mixture `x` is
//!
//! ```text
//! maximise  Σ_t p_t Σ_i x_i L_t[i][a_t]
//! s.t.      Σ_i x_i (F_t[i][j] − F_t[i][a_t]) ≤ 0   for each type t and j ≠ a_t
//!           Σ_i x_i = 1,  x ≥ 0
//! ```
//!
//! and the best feasible LP is the answer (ties: the first profile in lexicographic order, type 1
//! most significant). Exactness: every LP whose float optimum ties the best is made exact by
//! [`crate::solve::linalg::exact_lp`] (binding constraints solved in rationals, optimality proved by an
//! exact dual), the exact values decide, and the winner is verified again from the payoff tables
//! alone (each type's response is a best response, the leader-preferred one among ties, and the
//! value is what the tables give). Only when that fails is a float answer returned, marked so.
//! Which LPs are infeasible, and which lose by more than the tie tolerance, is decided in floats.

mod dobss;

use crate::error::{Error, Result};
use crate::game::bayesian::BayesianGame;
use crate::game::StrategicGame;
use crate::limits;
use crate::num::{to_f64, tol, Scalar, Q};
use crate::solve::linalg::exact_lp::{ExactLp, FloatOptimum, Row, Sense};

/// A commitment, the follower's response per type, and what each side expects from it.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentOf<T> {
    /// The leader's mixed strategy.
    pub strategy: Vec<T>,
    /// Each follower type's pure response (an index into the follower's strategies).
    pub responses: Vec<usize>,
    /// The leader's expected payoff, prior-weighted over types.
    pub leader_value: T,
    /// Each follower type's expected payoff.
    pub follower_values: Vec<T>,
}

/// The optimal commitment, exact when it could be proved so.
#[derive(Debug, Clone, PartialEq)]
pub enum Commitment {
    /// Proved optimal in exact rationals.
    Exact(CommitmentOf<Q>),
    /// The floating-point optimum (the exact proof did not go through).
    Float(CommitmentOf<f64>),
}

impl Commitment {
    /// True when the commitment is in exact rationals.
    pub fn is_exact(&self) -> bool {
        matches!(self, Commitment::Exact(_))
    }
    /// Each follower type's pure response (an index into the follower's strategies).
    pub fn responses(&self) -> &[usize] {
        match self {
            Commitment::Exact(c) => &c.responses,
            Commitment::Float(c) => &c.responses,
        }
    }
    /// The leader's mixed strategy as text, one probability per strategy.
    pub fn strategy_text(&self) -> Vec<String> {
        match self {
            Commitment::Exact(c) => c.strategy.iter().map(Scalar::to_text).collect(),
            Commitment::Float(c) => c.strategy.iter().map(Scalar::to_text).collect(),
        }
    }
    /// The leader's expected payoff as text.
    pub fn leader_value_text(&self) -> String {
        match self {
            Commitment::Exact(c) => c.leader_value.to_text(),
            Commitment::Float(c) => c.leader_value.to_text(),
        }
    }
    /// Each follower type's expected payoff as text.
    pub fn follower_values_text(&self) -> Vec<String> {
        match self {
            Commitment::Exact(c) => c.follower_values.iter().map(Scalar::to_text).collect(),
            Commitment::Float(c) => c.follower_values.iter().map(Scalar::to_text).collect(),
        }
    }
    /// The leader's mixed strategy as floats.
    pub fn strategy_f64(&self) -> Vec<f64> {
        match self {
            Commitment::Exact(c) => c.strategy.iter().map(to_f64).collect(),
            Commitment::Float(c) => c.strategy.clone(),
        }
    }
    /// The leader's expected payoff as a float.
    pub fn leader_value_f64(&self) -> f64 {
        match self {
            Commitment::Exact(c) => to_f64(&c.leader_value),
            Commitment::Float(c) => c.leader_value,
        }
    }
}

/// How to search the follower's response profiles in a Bayesian game.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BayesianMethod {
    /// Multiple LPs up to [`limits::MAX_STACKELBERG_LPS`] profiles, DOBSS above.
    #[default]
    Auto,
    /// One LP per response profile (refused above [`limits::MAX_STACKELBERG_LPS`]).
    MultipleLps,
    /// The DOBSS mixed-integer program, then the exact LP of the profile it picks.
    Dobss,
}

/// The optimal commitment of player `leader` (0 or 1) in a two-player game.
pub fn stackelberg(game: &StrategicGame, leader: usize) -> Result<Commitment> {
    multiple_lps(&BayesianGame::from_strategic(game, leader)?)
}

/// The optimal commitment against a follower of unknown type.
pub fn bayesian_stackelberg(game: &BayesianGame, method: BayesianMethod) -> Result<Commitment> {
    match method {
        BayesianMethod::MultipleLps => multiple_lps(game),
        BayesianMethod::Dobss => by_dobss(game),
        BayesianMethod::Auto => match count_profiles(&inducible_responses(game)?) {
            n if n <= limits::MAX_STACKELBERG_LPS => multiple_lps(game),
            _ => by_dobss(game),
        },
    }
}

/// One LP per response profile, over the responses each type can be induced to play at all.
fn multiple_lps(game: &BayesianGame) -> Result<Commitment> {
    let inducible = inducible_responses(game)?;
    let count = count_profiles(&inducible);
    if count > limits::MAX_STACKELBERG_LPS {
        return Err(Error::limit("MAX_STACKELBERG_LPS", format!(
            "stackelberg: {count} follower response profiles; the multiple-LPs limit is {} (use DOBSS)",
            limits::MAX_STACKELBERG_LPS
        )));
    }
    let mut solved = Vec::new();
    let mut pick = vec![0usize; inducible.len()];
    loop {
        let profile: Vec<usize> = pick
            .iter()
            .zip(&inducible)
            .map(|(&k, list)| list[k])
            .collect();
        let lp = profile_lp(game, &profile);
        if let Some(float) = lp.solve_float()? {
            solved.push(Solved { profile, lp, float });
        }
        // odometer, last type fastest: profiles come out in lexicographic order
        let Some(t) = (0..pick.len())
            .rev()
            .find(|&t| pick[t] + 1 < inducible[t].len())
        else {
            break;
        };
        pick[t] += 1;
        pick[t + 1..].iter_mut().for_each(|k| *k = 0);
    }
    choose(game, solved)
}

/// DOBSS picks the response profile; its LP is then solved and made exact like any other.
fn by_dobss(game: &BayesianGame) -> Result<Commitment> {
    let profile = dobss::best_profile(game)?;
    let lp = profile_lp(game, &profile);
    let float = lp.solve_float()?.ok_or_else(|| {
        Error::Solver("stackelberg: the profile DOBSS chose has an infeasible LP".into())
    })?;
    choose(game, vec![Solved { profile, lp, float }])
}

struct Solved {
    profile: Vec<usize>,
    lp: ExactLp,
    float: FloatOptimum,
}

/// The best LP: exact values decide among those tied in floats, else the first tied float one.
fn choose(game: &BayesianGame, solved: Vec<Solved>) -> Result<Commitment> {
    let best = solved
        .iter()
        .map(|s| s.float.value)
        .reduce(f64::max)
        .ok_or_else(|| {
            Error::Solver("stackelberg: no follower response profile is feasible".into())
        })?;
    let slack = tol::LP_VALUE_TIE * payoff_scale(game);
    let tied: Vec<&Solved> = solved
        .iter()
        .filter(|s| s.float.value >= best - slack)
        .collect();
    let exact: Option<Vec<_>> = tied
        .iter()
        .map(|s| s.lp.refine(&s.float).map(|e| (s, e)))
        .collect();
    if let Some(exact) = exact {
        let winner = exact
            .iter()
            .reduce(|a, b| if b.1.value > a.1.value { b } else { a });
        if let Some((s, e)) = winner {
            let c = commitment(game, e.x.clone(), s.profile.clone());
            if verify(game, &c, &Q::ZERO) && c.leader_value == e.value {
                return Ok(Commitment::Exact(c));
            }
        }
    }
    let first = tied[0];
    let c = commitment(game, first.float.x.clone(), first.profile.clone());
    if !verify(game, &c, &(tol::LP_FEASIBILITY * payoff_scale(game))) {
        return Err(Error::Solver(
            "stackelberg: the LP's commitment failed verification".into(),
        ));
    }
    Ok(Commitment::Float(c))
}

/// The LP of one response profile (see the module documentation).
fn profile_lp(game: &BayesianGame, profile: &[usize]) -> ExactLp {
    let m = game.leader_strategies().len();
    let n = game.follower_strategies().len();
    let mut objective = vec![Q::ZERO; m];
    let mut rows = Vec::new();
    for (t, &a) in game.types().iter().zip(profile) {
        for (i, c) in objective.iter_mut().enumerate() {
            *c += &t.prior * &t.leader_payoffs[i][a];
        }
        for j in (0..n).filter(|&j| j != a) {
            let coeffs = (0..m)
                .map(|i| &t.follower_payoffs[i][j] - &t.follower_payoffs[i][a])
                .collect();
            rows.push(Row {
                coeffs,
                sense: Sense::Le,
                rhs: Q::ZERO,
            });
        }
    }
    rows.push(Row {
        coeffs: vec![Q::ONE; m],
        sense: Sense::Eq,
        rhs: Q::ONE,
    });
    ExactLp { objective, rows }
}

/// For each type, the responses that are a best response to some commitment (feasibility of
/// that type's incentive constraints alone): the only ones worth an LP.
fn inducible_responses(game: &BayesianGame) -> Result<Vec<Vec<usize>>> {
    let n = game.follower_strategies().len();
    game.types()
        .iter()
        .map(|t| {
            let alone = BayesianGame::new(
                game.leader_strategies().to_vec(),
                game.follower_strategies().to_vec(),
                vec![crate::game::bayesian::FollowerType {
                    prior: Q::ONE,
                    ..t.clone()
                }],
            )?;
            let mut feasible = Vec::new();
            for j in 0..n {
                if profile_lp(&alone, &[j]).solve_float()?.is_some() {
                    feasible.push(j);
                }
            }
            Ok(feasible)
        })
        .collect()
}

fn count_profiles(inducible: &[Vec<usize>]) -> u128 {
    inducible
        .iter()
        .fold(1u128, |acc, l| acc.saturating_mul(l.len() as u128))
}

/// Largest absolute payoff of either side (at least 1): the scale of float tolerances.
pub(crate) fn payoff_scale(game: &BayesianGame) -> f64 {
    game.types()
        .iter()
        .flat_map(|t| t.leader_payoffs.iter().chain(&t.follower_payoffs).flatten())
        .map(|v| to_f64(v).abs())
        .fold(1.0, f64::max)
}

/// Values of a commitment and responses, computed from the payoff tables.
fn commitment<T: Scalar>(
    game: &BayesianGame,
    strategy: Vec<T>,
    responses: Vec<usize>,
) -> CommitmentOf<T> {
    let mut leader_value = T::zero();
    let mut follower_values = Vec::with_capacity(responses.len());
    for (t, &a) in game.types().iter().zip(&responses) {
        let lv = expected(&strategy, |i| &t.leader_payoffs[i][a]);
        leader_value = leader_value.add(&T::from_q(&t.prior).mul(&lv));
        follower_values.push(expected(&strategy, |i| &t.follower_payoffs[i][a]));
    }
    CommitmentOf {
        strategy,
        responses,
        leader_value,
        follower_values,
    }
}

fn expected<'a, T: Scalar>(strategy: &[T], payoff: impl Fn(usize) -> &'a Q) -> T {
    strategy.iter().enumerate().fold(T::zero(), |acc, (i, x)| {
        acc.add(&x.mul(&T::from_q(payoff(i))))
    })
}

/// Independent check from the tables: a probability vector, and each type's response a best
/// response within `slack`; exactly (slack 0) also the leader's favourite among the ties (for
/// types of positive prior: the others' responses do not matter to anybody).
fn verify<T: Scalar>(game: &BayesianGame, c: &CommitmentOf<T>, slack: &T) -> bool {
    let sum = c.strategy.iter().fold(T::zero(), |a, x| a.add(x));
    let exact = *slack == T::zero();
    let neg = T::zero().sub(slack);
    let sum_ok = if exact {
        sum == T::one()
    } else {
        sum.sub(&T::one()) <= *slack && neg <= sum.sub(&T::one())
    };
    if !sum_ok || c.strategy.iter().any(|x| *x < neg) {
        return false;
    }
    game.types().iter().zip(&c.responses).all(|(t, &a)| {
        let follower = |j: usize| expected(&c.strategy, |i| &t.follower_payoffs[i][j]);
        let leader = |j: usize| expected(&c.strategy, |i| &t.leader_payoffs[i][j]);
        let mine = follower(a);
        (0..game.follower_strategies().len()).all(|j| {
            let other = follower(j);
            let better = other.sub(&mine) > *slack;
            let tie_lost = exact && t.prior > Q::ZERO && other == mine && leader(j) > leader(a);
            !better && !tie_lost
        })
    })
}
