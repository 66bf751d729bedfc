//! Layer 1: one patron–client dyad as a Bayesian principal–agent game with commitment
//! (`docs/spec.md`, layer 1).
//!
//! [`DyadGame`] turns a dyad's parameters into the few numbers every computation needs: the
//! true-signal law P(y|a), the observed-signal law O(ŷ|a) = m·P(ŷ|a) + (1−m)/3, and each side's
//! utility before sanctions. Both utilities are affine in the policy x, which is what makes the
//! optimal commitment a set of small linear programmes ([`stackelberg`]).

pub(crate) mod box_lp;
pub(crate) mod stackelberg;

use crate::error::{Error, Result};
use crate::model::params::{Action, ClientType, DyadParams, Policy, Signal};
use crate::num::tol;

/// The two client types in the spec's order (aligned, autonomous), as indices into [`DyadGame`] arrays.
pub const TYPES: [ClientType; 2] = ClientType::ALL;

/// A dyad's derived quantities: everything layer 1 needs, computed once from [`DyadParams`].
#[derive(Debug, Clone, PartialEq)]
pub struct DyadGame {
    /// p_θ: prior of each type (aligned, autonomous).
    prior: [f64; 2],
    /// P(y|a), indexed `[action][signal]`.
    true_signal: [[f64; 3]; 3],
    /// O(ŷ|a), indexed `[action][signal]`.
    observed: [[f64; 3]; 3],
    /// g_θ(a) − r(a), indexed `[type][action]`.
    client_base: [[f64; 3]; 2],
    /// w(a) − W·Pwar(a), indexed by action.
    patron_base: [f64; 3],
    dependence: f64,
    sanction_cost: f64,
    credibility: f64,
}

/// What a policy does: the policy, each type's tie-rule response, and the patron's prior-weighted utility.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PolicyOutcome {
    pub policy: Policy,
    /// Response of each type, indexed (aligned, autonomous).
    pub actions: [Action; 2],
    /// Σ_θ p_θ · U_P(a_θ; x).
    pub patron_value: f64,
}

/// JSON: `{"policy": {"quiet", "incident", "major"}, "actions": {"aligned", "autonomous"}, "patron_value"}`.
impl serde::Serialize for PolicyOutcome {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let policy: Vec<(&str, f64)> = Signal::ALL
            .iter()
            .map(|y| (y.name(), self.policy[*y as usize]))
            .collect();
        let actions: Vec<(&str, &str)> = TYPES
            .iter()
            .map(|t| (t.name(), self.actions[*t as usize].name()))
            .collect();
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("policy", &ordered(policy))?;
        map.serialize_entry("actions", &ordered(actions))?;
        map.serialize_entry("patron_value", &self.patron_value)?;
        map.end()
    }
}

/// A list of pairs written as a JSON object in list order.
fn ordered<V: serde::Serialize>(pairs: Vec<(&'static str, V)>) -> impl serde::Serialize {
    struct Ordered<V>(Vec<(&'static str, V)>);
    impl<V: serde::Serialize> serde::Serialize for Ordered<V> {
        fn serialize<S: serde::Serializer>(
            &self,
            serializer: S,
        ) -> std::result::Result<S::Ok, S::Error> {
            serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }
    Ordered(pairs)
}

/// ε̄ = 1 − (1−ε)^n: the chance that a week of calibrated pressure produces a major event.
pub fn accidental_major(params: &DyadParams) -> f64 {
    1.0 - (1.0 - params.lethality).powf(params.attacks_per_week)
}

/// P(y|a) for the three actions (spec, layer 1 "true signal").
pub fn true_signal_law(params: &DyadParams) -> [[f64; 3]; 3] {
    let nu = params.spoiler_rate;
    let major = accidental_major(params);
    [
        [1.0 - nu, nu, 0.0],
        [0.0, 1.0 - major, major],
        [0.0, 0.0, 1.0],
    ]
}

impl DyadGame {
    /// Derive the game, refusing parameters outside their domains (probabilities in [0, 1], finite
    /// numbers, non-negative attack counts) so that no later step sees a meaningless number.
    pub fn new(name: &str, params: &DyadParams) -> Result<Self> {
        validate(name, params)?;
        let true_signal = true_signal_law(params);
        let m = params.monitoring;
        let observed = true_signal.map(|row| row.map(|p| m * p + (1.0 - m) / 3.0));
        let per_action = |v: &crate::model::params::PerAction| [0.0, v.k, v.e];
        let r = per_action(&params.retaliation);
        let base = |g: [f64; 3]| [0.0, g[1] - r[1], g[2] - r[2]];
        let w = per_action(&params.patron_value);
        let war = [
            0.0,
            accidental_major(params) * params.war_risk.k,
            params.war_risk.e,
        ];
        Ok(DyadGame {
            prior: [1.0 - params.prior_autonomous, params.prior_autonomous],
            true_signal,
            observed,
            client_base: [
                base(per_action(&params.gain_aligned)),
                base(per_action(&params.gain_autonomous)),
            ],
            patron_base: [0, 1, 2].map(|a| w[a] - params.war_cost * war[a]),
            dependence: params.dependence,
            sanction_cost: params.sanction_cost,
            credibility: params.credibility,
        })
    }

    /// The prior probability of type `t` (π for autonomous, 1 − π for aligned).
    pub fn prior(&self, t: ClientType) -> f64 {
        self.prior[t as usize]
    }
    /// φ: the cap on every sanction probability.
    pub fn credibility(&self) -> f64 {
        self.credibility
    }
    /// s: what a sanction costs the client (spec `dependence`).
    pub fn dependence(&self) -> f64 {
        self.dependence
    }
    /// k: what a sanction costs the patron (spec `sanction_cost`).
    pub fn sanction_cost(&self) -> f64 {
        self.sanction_cost
    }
    /// P(y|a) over (quiet, incident, major).
    pub fn true_signal(&self, a: Action) -> [f64; 3] {
        self.true_signal[a.index()]
    }
    /// O(ŷ|a) over (quiet, incident, major).
    pub fn observed(&self, a: Action) -> [f64; 3] {
        self.observed[a.index()]
    }
    /// g_θ(a) − r(a): the client's utility before sanctions.
    pub fn client_base(&self, t: ClientType, a: Action) -> f64 {
        self.client_base[t as usize][a.index()]
    }
    /// w(a) − W·Pwar(a): the patron's utility before sanctions.
    pub fn patron_base(&self, a: Action) -> f64 {
        self.patron_base[a.index()]
    }

    /// Σ_ŷ O(ŷ|a)·x_ŷ: the probability that action a is sanctioned under x.
    pub fn sanction_probability(&self, a: Action, x: &Policy) -> f64 {
        dot(&self.observed[a.index()], x)
    }

    /// U_C(θ,a;x) = g_θ(a) − r(a) − s·Σ_ŷ O(ŷ|a)·x_ŷ.
    pub fn client_utility(&self, t: ClientType, a: Action, x: &Policy) -> f64 {
        self.client_base(t, a) - self.dependence * self.sanction_probability(a, x)
    }

    /// U_P(a;x) = w(a) − W·Pwar(a) − k·Σ_ŷ O(ŷ|a)·x_ŷ.
    pub fn patron_utility(&self, a: Action, x: &Policy) -> f64 {
        self.patron_base(a) - self.sanction_cost * self.sanction_probability(a, x)
    }

    /// The client's best response with the spec's tie rule: among actions within `tol::TIE` of the
    /// best, the one the patron prefers (again within `tol::TIE`); then the lowest in R < K < E.
    ///
    /// Preferring the patron's favourite among ties is the strong Stackelberg convention
    /// (Conitzer & Sandholm 2006, §2; Paruchuri et al. 2008): the leader may induce any best response.
    pub fn best_response(&self, t: ClientType, x: &Policy) -> Action {
        let utilities = Action::ALL.map(|a| self.client_utility(t, a, x));
        let best = utilities.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut chosen: Option<(Action, f64)> = None;
        for a in Action::ALL {
            if utilities[a.index()] < best - tol::TIE {
                continue;
            }
            let patron = self.patron_utility(a, x);
            // Actions come in R < K < E order, so a later action wins only if strictly preferred.
            if chosen.is_none_or(|(_, p)| patron > p + tol::TIE) {
                chosen = Some((a, patron));
            }
        }
        chosen.map_or(Action::R, |(a, _)| a)
    }

    /// Both types' tie-rule responses to x and the patron's prior-weighted utility.
    pub fn evaluate(&self, x: &Policy) -> PolicyOutcome {
        let actions = TYPES.map(|t| self.best_response(t, x));
        PolicyOutcome {
            policy: *x,
            actions,
            patron_value: self.patron_value(&actions, x),
        }
    }

    /// Σ_θ p_θ · U_P(a_θ; x) for a given response profile.
    pub fn patron_value(&self, actions: &[Action; 2], x: &Policy) -> f64 {
        TYPES
            .iter()
            .map(|&t| self.prior(t) * self.patron_utility(actions[t as usize], x))
            .sum()
    }
}

/// Dot product of a signal law with a policy.
pub fn dot(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn validate(name: &str, p: &DyadParams) -> Result<()> {
    let probabilities = [
        ("prior_autonomous", p.prior_autonomous),
        ("monitoring", p.monitoring),
        ("lethality", p.lethality),
        ("spoiler_rate", p.spoiler_rate),
        ("credibility", p.credibility),
        ("breaks_ceasefire", p.breaks_ceasefire),
        ("war_risk.k", p.war_risk.k),
        ("war_risk.e", p.war_risk.e),
    ];
    for (key, v) in probabilities {
        if !(0.0..=1.0).contains(&v) {
            return Err(invalid(name, key, v, "must be a probability in [0, 1]"));
        }
    }
    if !(p.attacks_per_week.is_finite() && p.attacks_per_week >= 0.0) {
        return Err(invalid(
            name,
            "attacks_per_week",
            p.attacks_per_week,
            "must be a finite number ≥ 0",
        ));
    }
    let reals = [
        ("dependence", p.dependence),
        ("sanction_cost", p.sanction_cost),
        ("war_cost", p.war_cost),
        ("gain_aligned.k", p.gain_aligned.k),
        ("gain_aligned.e", p.gain_aligned.e),
        ("gain_autonomous.k", p.gain_autonomous.k),
        ("gain_autonomous.e", p.gain_autonomous.e),
        ("retaliation.k", p.retaliation.k),
        ("retaliation.e", p.retaliation.e),
        ("patron_value.k", p.patron_value.k),
        ("patron_value.e", p.patron_value.e),
    ];
    for (key, v) in reals {
        if !v.is_finite() {
            return Err(invalid(name, key, v, "must be a finite number"));
        }
    }
    Ok(())
}

fn invalid(dyad: &str, key: &str, value: f64, why: &str) -> Error {
    Error::Unsupported(format!("dyad {dyad}: {key} = {value} {why}"))
}

/// A policy given by a user (status quo): every entry a probability.
pub fn check_policy(dyad: &str, what: &str, x: &Policy) -> Result<()> {
    match x.iter().find(|v| !(0.0..=1.0).contains(*v)) {
        Some(v) => Err(invalid(
            dyad,
            what,
            *v,
            "is not a sanction probability in [0, 1]",
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::spec_defaults::{spec_model, SpecScenario};

    fn hamas() -> DyadGame {
        let m = spec_model(SpecScenario::War);
        DyadGame::new("iran_hamas", &m.dyads[1].params).unwrap()
    }

    #[test]
    fn signal_laws_match_hand_computation() {
        let g = hamas();
        // ε̄ = 1 − 0.97² = 0.0591; m = 0.3 so O = 0.3·P + 0.7/3.
        let k = g.true_signal(Action::K);
        assert!((k[2] - 0.0591).abs() < 1e-15 && (k[1] - 0.9409).abs() < 1e-15);
        let o = g.observed(Action::R);
        assert!((o[0] - (0.3 * 0.95 + 0.7 / 3.0)).abs() < 1e-15);
        for a in Action::ALL {
            assert!((g.observed(a).iter().sum::<f64>() - 1.0).abs() < 1e-15);
            assert!((g.true_signal(a).iter().sum::<f64>() - 1.0).abs() < 1e-15);
        }
    }

    #[test]
    fn utilities_match_hand_computation() {
        let g = hamas();
        let x = [0.1, 0.2, 0.3];
        // autonomous E: 0.85 − 0.6 − 0.4·(0.7/3·0.1 + 0.7/3·0.2 + (0.3 + 0.7/3)·0.3)
        let o = 0.7 / 3.0;
        let sanction_e = o * 0.1 + o * 0.2 + (0.3 + o) * 0.3;
        let expected = 0.85 - 0.6 - 0.4 * sanction_e;
        assert!((g.client_utility(ClientType::Autonomous, Action::E, &x) - expected).abs() < 1e-15);
        // patron at E: −0.3 − 1·0.2 − 0.5·sanction_e
        assert!((g.patron_utility(Action::E, &x) - (-0.5 - 0.5 * sanction_e)).abs() < 1e-15);
    }

    #[test]
    fn refuses_out_of_domain_parameters() {
        let mut p = spec_model(SpecScenario::War).dyads[0].params.clone();
        p.monitoring = 1.5;
        let err = DyadGame::new("d", &p).unwrap_err().to_string();
        assert!(
            err.contains("monitoring") && err.contains("[0, 1]"),
            "{err}"
        );
        p.monitoring = 0.5;
        p.gain_aligned.k = f64::NAN;
        assert!(DyadGame::new("d", &p).is_err());
        assert!(check_policy("d", "status_quo", &[0.0, 1.2, 0.0]).is_err());
    }
}
