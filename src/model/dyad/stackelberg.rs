//! The optimal restraint policy: a strong Bayesian Stackelberg equilibrium computed by the
//! multiple-LP method (Conitzer & Sandholm, "Computing the optimal strategy to commit to", EC 2006,
//! §4; for Bayesian followers Paruchuri et al., "Playing games for security", AAMAS 2008, §3).
//!
//! For every response profile (a_aligned, a_autonomous) ∈ {R,K,E}² one LP finds the policy that
//! makes that profile a best response and is best for the patron among such policies; the best
//! feasible profile wins (ties within `tol::LP_VALUE_TIE` go to the lexicographically first, R<K<E),
//! and a second LP returns the least total sanction Σx among its optima (first objective held
//! within `tol::LP_OBJECTIVE_HOLD`). Spec: `docs/spec.md`, layer 1.
//!
//! # Strong Stackelberg and the tie rule
//! The LP for a profile only asks the client to *weakly* prefer its action, so at the returned
//! policy a type is typically indifferent between its action and another (the binding incentive
//! constraint). Strong Stackelberg equilibrium resolves such ties in the leader's favour, and so
//! does the spec's tie rule (the patron's favourite among actions within `tol::TIE`). The two agree:
//! if at the returned x a type were indifferent between its LP action a and some a' the patron
//! strictly prefers by δ, the profile with a' would be feasible at the same x and worth p_θ·δ more,
//! contradicting the choice of the best profile — unless p_θ·δ is below the LP tolerances
//! (≈ 1e-9). We therefore *certify* instead of assume: each type's best response at the returned x
//! is recomputed by [`DyadGame::best_response`] (which shares no code with the LPs) and must equal
//! the LP's action, else the solve fails with `Error::Solver`.
//!
//! A type with prior exactly 0 never occurs, so its action cannot change the patron's value; the
//! spec's lexicographic rule would then impose its incentive constraints for R anyway and could
//! push the least-sanction policy up for nothing (and its tie-rule response would disagree with
//! the LP's R). We drop such a type from the LPs and report its tie-rule response to the policy.

use super::box_lp::{BoxLp, BoxLpSolver, HalfSpace};
use super::{check_policy, DyadGame, PolicyOutcome, TYPES};
use crate::error::{Error, Result};
use crate::model::logit::{solve_logit_dyad, MixedOutcomeJson, QuantalDetail};
use crate::model::params::{Action, Behaviour, Dyad, Policy};
use crate::num::tol;

/// Layer 1's answer for one dyad.
///
/// For logit clients (`behaviour = "logit"`, `crate::model::logit`) `quantal` holds each
/// type's mixture at every policy and the optimiser's certificate; the outcomes' `actions` are
/// then the types' most likely actions and `patron_value` the expected utility against the
/// mixtures. JSON: for best-responding clients `{"optimal", "unconditional", "status_quo",
/// "value_of_commitment"}`; for logit clients the same keys, each outcome's `actions` written as
/// mixtures (`{"aligned": {"R", "K", "E"}, "autonomous": {…}}`), plus `lambda` and `certified_gap`.
#[derive(Debug, Clone, PartialEq)]
pub struct DyadSolution {
    /// The optimal restraint policy x* (strong Bayesian Stackelberg, least Σ x among optima).
    pub optimal: PolicyOutcome,
    /// x = 0: what the clients do when the patron gives them leeway.
    pub unconditional: PolicyOutcome,
    /// The model file's status-quo policy, if it states one.
    pub status_quo: Option<PolicyOutcome>,
    /// U_P(optimal) − U_P(unconditional).
    pub value_of_commitment: f64,
    /// Logit clients' mixtures and certificate; `None` for best-responding clients.
    pub quantal: Option<QuantalDetail>,
}

impl serde::Serialize for DyadSolution {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        match &self.quantal {
            None => {
                map.serialize_entry("optimal", &self.optimal)?;
                map.serialize_entry("unconditional", &self.unconditional)?;
                map.serialize_entry("status_quo", &self.status_quo)?;
            }
            Some(q) => {
                map.serialize_entry("optimal", &MixedOutcomeJson(&self.optimal, &q.optimal))?;
                map.serialize_entry(
                    "unconditional",
                    &MixedOutcomeJson(&self.unconditional, &q.unconditional),
                )?;
                let status_quo = self.status_quo.as_ref().zip(q.status_quo.as_ref());
                map.serialize_entry(
                    "status_quo",
                    &status_quo.map(|(o, m)| MixedOutcomeJson(o, m)),
                )?;
            }
        }
        map.serialize_entry("value_of_commitment", &self.value_of_commitment)?;
        if let Some(q) = &self.quantal {
            map.serialize_entry("lambda", &q.lambda)?;
            map.serialize_entry("certified_gap", &q.certified_gap)?;
        }
        map.end()
    }
}

/// Solve one dyad: its derived game and its layer-1 solution, for best-responding clients
/// (strong Stackelberg, with `solver`) or logit clients (`solve_logit_dyad`).
pub fn solve_dyad(dyad: &Dyad, solver: &dyn BoxLpSolver) -> Result<(DyadGame, DyadSolution)> {
    let game = DyadGame::new(&dyad.name, &dyad.params)?;
    if let Some(x) = &dyad.status_quo {
        check_policy(&dyad.name, "status_quo", x)?;
    }
    let solution = match dyad.behaviour {
        Behaviour::Logit { lambda } => solve_logit_dyad(&game, lambda, dyad.status_quo.as_ref())?,
        Behaviour::BestResponse => {
            let optimal = optimal_policy(&game, solver)?;
            let unconditional = game.evaluate(&[0.0; 3]);
            DyadSolution {
                optimal,
                unconditional,
                status_quo: dyad.status_quo.map(|x| game.evaluate(&x)),
                value_of_commitment: optimal.patron_value - unconditional.patron_value,
                quantal: None,
            }
        }
    };
    Ok((game, solution))
}

/// One candidate profile's LP: objective `constant + lp.objective · x`, and an upper bound on it.
struct Candidate {
    profile: [Action; 2],
    lp: BoxLp,
    constant: f64,
    bound: f64,
}

/// The optimal (strong Stackelberg) restraint policy, certified (see the module documentation).
pub fn optimal_policy(game: &DyadGame, solver: &dyn BoxLpSolver) -> Result<PolicyOutcome> {
    let mut candidates = candidates(game);
    // Branch and bound over the nine LPs: visit profiles by decreasing upper bound and stop once
    // no remaining profile can even tie with the best found (the lexicographic tie rule is
    // applied explicitly, so the visiting order does not change the answer).
    candidates.sort_by(|a, b| b.bound.total_cmp(&a.bound));
    let mut best: Option<(f64, &Candidate)> = None;
    for c in &candidates {
        if let Some((v, _)) = best {
            if c.bound < v - tol::LP_VALUE_TIE {
                break;
            }
        }
        let Some(x) = solver.maximise(&c.lp)? else {
            continue;
        };
        let value = c.constant + super::dot(&c.lp.objective, &x);
        let better = match best {
            None => true,
            Some((v, b)) => {
                value > v + tol::LP_VALUE_TIE
                    || (value >= v - tol::LP_VALUE_TIE && c.profile < b.profile)
            }
        };
        if better {
            best = Some((value, c));
        }
    }
    let Some((value, chosen)) = best else {
        return Err(Error::Solver(
            "restraint policy: no response profile is feasible (impossible in exact arithmetic)"
                .into(),
        ));
    };
    let x = least_total_sanction(chosen, value, solver)?;
    certify(game, chosen.profile, value, &x)
}

/// The least Σx among the chosen profile's optima (the spec's second LP).
fn least_total_sanction(
    chosen: &Candidate,
    value: f64,
    solver: &dyn BoxLpSolver,
) -> Result<Policy> {
    let mut lp = chosen.lp.with_objective([-1.0; 3]);
    lp.push(HalfSpace {
        normal: chosen.lp.objective,
        rhs: value - chosen.constant - tol::LP_OBJECTIVE_HOLD,
    });
    solver.maximise(&lp)?.ok_or_else(|| {
        Error::Solver("restraint policy: the least-sanction LP is infeasible although its first stage was not".into())
    })
}

/// Recompute both types' tie-rule responses at x and check them against the LP's profile, and the
/// patron's value against the LP's optimum.
fn certify(
    game: &DyadGame,
    profile: [Action; 2],
    lp_value: f64,
    x: &Policy,
) -> Result<PolicyOutcome> {
    let outcome = game.evaluate(x);
    for t in TYPES {
        let i = t as usize;
        if game.prior(t) > 0.0 && outcome.actions[i] != profile[i] {
            return Err(Error::Solver(format!(
                "restraint policy {x:?} failed certification: the {} type's best response is {}, the LP assumed {}",
                t.name(),
                outcome.actions[i].name(),
                profile[i].name()
            )));
        }
    }
    if outcome.patron_value < lp_value - tol::LP_OBJECTIVE_HOLD - tol::LP_FEASIBILITY {
        return Err(Error::Solver(format!(
            "restraint policy {x:?} failed certification: patron value {} below the LP optimum {lp_value}",
            outcome.patron_value
        )));
    }
    Ok(outcome)
}

/// The LPs of every response profile, in lexicographic order. A type with prior 0 has no
/// incentive constraints and a placeholder action (see the module documentation).
fn candidates(game: &DyadGame) -> Vec<Candidate> {
    let choices = |i: usize| -> &'static [Action] {
        if game.prior(TYPES[i]) > 0.0 {
            &Action::ALL
        } else {
            &Action::ALL[..1]
        }
    };
    let mut out = Vec::with_capacity(9);
    for &aligned in choices(0) {
        for &autonomous in choices(1) {
            out.push(profile_lp(game, [aligned, autonomous]));
        }
    }
    out
}

/// maximise Σ_θ p_θ·U_P(a_θ; x) s.t. U_C(θ, a_θ; x) ≥ U_C(θ, a'; x) for every a' ≠ a_θ, x ∈ [0, φ]³.
fn profile_lp(game: &DyadGame, profile: [Action; 2]) -> Candidate {
    let (s, k) = (game.dependence(), game.sanction_cost());
    let mut objective = [0.0; 3];
    let mut constant = 0.0;
    for t in TYPES {
        let (p, a) = (game.prior(t), profile[t as usize]);
        constant += p * game.patron_base(a);
        let o = game.observed(a);
        for y in 0..3 {
            objective[y] -= p * k * o[y];
        }
    }
    let mut lp = BoxLp::new(game.credibility(), objective);
    for t in TYPES.into_iter().filter(|&t| game.prior(t) > 0.0) {
        let a = profile[t as usize];
        let o = game.observed(a);
        for other in Action::ALL.into_iter().filter(|&b| b != a) {
            let o_other = game.observed(other);
            // s·(O(a') − O(a))·x ≥ (g−r)(a') − (g−r)(a)
            lp.push(HalfSpace {
                normal: [0, 1, 2].map(|y| s * (o_other[y] - o[y])),
                rhs: game.client_base(t, other) - game.client_base(t, a),
            });
        }
    }
    let bound = constant
        + objective
            .iter()
            .map(|c| c.max(0.0) * game.credibility())
            .sum::<f64>();
    Candidate {
        profile,
        lp,
        constant,
        bound,
    }
}
