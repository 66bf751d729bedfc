//! The quantal-response variant of layer 1 (`docs/spec.md`, layer 1, `behaviour =
//! "logit"`): each client type mixes σ_θ(a) ∝ exp(λ·U_C(θ,a;x)) (McKelvey & Palfrey, "Quantal
//! response equilibria for normal form games", GEB 1995), and the patron commits to the policy
//! x ∈ \[0,φ\]³ that maximises its expected utility F(x) = Σ_θ p_θ Σ_a σ_θ(a;x)·U_P(a;x), found
//! with a certified global optimiser (`logit/commitment.rs`).
//!
//! Downstream, logit clients enter the ceasefire chain with their mixtures
//! ([`mixed_chain_client`]) and the JSON with per-type mixtures in place of actions
//! ([`MixedOutcomeJson`]).

mod commitment;

pub use commitment::optimal_logit_policy;

use crate::error::Result;
use crate::model::chain::{weekly_chances, ChainClient, WeeklyChances};
use crate::model::dyad::stackelberg::DyadSolution;
use crate::model::dyad::{dot, DyadGame, PolicyOutcome, TYPES};
use crate::model::params::{Action, DyadParams, Policy, Signal};

/// Each type's mixture over (R, K, E), indexed `[type][action]`.
pub type Mixtures = [[f64; 3]; 2];

/// σ_θ(·;x) ∝ exp(λ·U_C(θ,·;x)) for both types; uniform at λ = 0.
pub fn logit_mixtures(game: &DyadGame, lambda: f64, x: &Policy) -> Mixtures {
    TYPES.map(|t| softmax(lambda, Action::ALL.map(|a| game.client_utility(t, a, x))))
}

/// F(x) = Σ_θ p_θ Σ_a σ_θ(a;x)·U_P(a;x): the patron's expected utility against logit clients.
pub fn logit_value(game: &DyadGame, lambda: f64, x: &Policy) -> f64 {
    value_and_gradient(game, lambda, x).0
}

/// What a policy does against logit clients: the policy, each type's most likely action (ties to
/// the lower of R < K < E), the patron's expected utility F(x), and the full mixtures.
pub fn logit_outcome(game: &DyadGame, lambda: f64, x: &Policy) -> (PolicyOutcome, Mixtures) {
    let mixtures = logit_mixtures(game, lambda, x);
    let outcome = PolicyOutcome {
        policy: *x,
        actions: mixtures.map(|m| most_likely(&m)),
        patron_value: logit_value(game, lambda, x),
    };
    (outcome, mixtures)
}

/// The first action of largest probability.
fn most_likely(m: &[f64; 3]) -> Action {
    Action::ALL.into_iter().fold(Action::R, |best, a| {
        if m[a.index()] > m[best.index()] {
            a
        } else {
            best
        }
    })
}

/// exp(λ·u) normalised, computed with the largest exponent subtracted (no overflow at large λ).
fn softmax(lambda: f64, u: [f64; 3]) -> [f64; 3] {
    let top = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w = u.map(|v| (lambda * (v - top)).exp());
    let total: f64 = w.iter().sum();
    w.map(|v| v / total)
}

/// F(x) and ∇F(x): ∂F/∂x_y = Σ_θ p_θ·(−k·E_σ[o_·y] − λ·s·Cov_σ(o_·y, U_P)) (derived in `logit/commitment.rs`).
fn value_and_gradient(game: &DyadGame, lambda: f64, x: &Policy) -> (f64, [f64; 3]) {
    let (s, k) = (game.dependence(), game.sanction_cost());
    let o = Action::ALL.map(|a| game.observed(a));
    let v = Action::ALL.map(|a| game.patron_utility(a, x));
    let mut value = 0.0;
    let mut gradient = [0.0; 3];
    for (t, sigma) in TYPES.iter().zip(logit_mixtures(game, lambda, x)) {
        let p = game.prior(*t);
        let mean_v = dot(&sigma, &v);
        value += p * mean_v;
        for (y, g) in gradient.iter_mut().enumerate() {
            let column = [o[0][y], o[1][y], o[2][y]];
            let mean_o = dot(&sigma, &column);
            let covariance: f64 = (0..3)
                .map(|a| sigma[a] * (column[a] - mean_o) * (v[a] - mean_v))
                .sum();
            *g += p * (-k * mean_o - lambda * s * covariance);
        }
    }
    (value, gradient)
}

/// The logit side of a dyad's layer-1 answer (`DyadSolution::quantal`).
#[derive(Debug, Clone, PartialEq)]
pub struct QuantalDetail {
    pub lambda: f64,
    /// Mixtures at the optimal, unconditional and status-quo policies.
    pub optimal: Mixtures,
    pub unconditional: Mixtures,
    pub status_quo: Option<Mixtures>,
    /// Proven bound on how far the optimal policy's value may lie below the global optimum.
    pub certified_gap: f64,
}

/// Layer 1 against logit clients: the certified best commitment, x = 0, and the status quo.
pub fn solve_logit_dyad(
    game: &DyadGame,
    lambda: f64,
    status_quo: Option<&Policy>,
) -> Result<DyadSolution> {
    let best = optimal_logit_policy(game, lambda)?;
    let (unconditional, unconditional_mix) = logit_outcome(game, lambda, &[0.0; 3]);
    let status = status_quo.map(|x| logit_outcome(game, lambda, x));
    Ok(DyadSolution {
        optimal: best.outcome,
        unconditional,
        status_quo: status.map(|(o, _)| o),
        value_of_commitment: best.outcome.patron_value - unconditional.patron_value,
        quantal: Some(QuantalDetail {
            lambda,
            optimal: best.mixtures,
            unconditional: unconditional_mix,
            status_quo: status.map(|(_, m)| m),
            certified_gap: best.certified_gap,
        }),
    })
}

/// The chain's view of a client whose types mix (spec, layer 2): every weekly chance is linear
/// in the true-signal probabilities (b = β·maj, i = inc + (1−β)·maj, v = ω(a)·maj), so averaging
/// inc and maj over the mixture, with ω of each action weighted by its probability, is the
/// mixture of the per-action chances. Actions played with probability 0 are left out (and so
/// are not held to ω ≤ β); a pure mixture gives exactly [`ChainClient::new`]'s numbers.
pub fn mixed_chain_client(
    dyad: &str,
    params: &DyadParams,
    mixtures: &Mixtures,
) -> Result<ChainClient> {
    let mix = |sigma: &[f64; 3]| -> Result<WeeklyChances> {
        let mut total = WeeklyChances::default();
        for a in Action::ALL.into_iter().filter(|a| sigma[a.index()] > 0.0) {
            let c = weekly_chances(dyad, params, a)?;
            let p = sigma[a.index()];
            total.brk += p * c.brk;
            total.incident += p * c.incident;
            total.war += p * c.war;
        }
        Ok(total)
    };
    Ok(ChainClient {
        prior: [1.0 - params.prior_autonomous, params.prior_autonomous],
        chances: [mix(&mixtures[0])?, mix(&mixtures[1])?],
    })
}

/// JSON of an outcome against logit clients: the best-response shape with `actions` replaced by
/// each type's mixture, `{"policy": {"quiet", "incident", "major"}, "actions": {"aligned": {"R",
/// "K", "E"}, "autonomous": {…}}, "patron_value"}`.
pub struct MixedOutcomeJson<'a>(pub &'a PolicyOutcome, pub &'a Mixtures);

impl serde::Serialize for MixedOutcomeJson<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Entries<'a, V>(Vec<(&'a str, V)>);
        impl<V: serde::Serialize> serde::Serialize for Entries<'_, V> {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
            }
        }
        let policy = Entries(
            Signal::ALL
                .iter()
                .map(|y| (y.name(), self.0.policy[*y as usize]))
                .collect(),
        );
        let mixture = |m: &[f64; 3]| {
            Entries(
                Action::ALL
                    .iter()
                    .map(|a| (a.name(), m[a.index()]))
                    .collect(),
            )
        };
        let actions = Entries(
            TYPES
                .iter()
                .map(|t| (t.name(), mixture(&self.1[*t as usize])))
                .collect(),
        );
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("policy", &policy)?;
        map.serialize_entry("actions", &actions)?;
        map.serialize_entry("patron_value", &self.0.patron_value)?;
        map.end()
    }
}
