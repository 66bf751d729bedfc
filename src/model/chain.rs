//! Layer 2: the ceasefire chain (`docs/spec.md`, layer 2).
//!
//! For one type profile (every client's type fixed) the ceasefire is a Markov chain with transient
//! states Calm and Tension and absorbing states Broken and RegionalWar; the clients' best responses
//! fix its weekly probabilities. Types are drawn once, so every output is the prior-weighted
//! mixture, over the 2^N type profiles, of that output for the profile's chain (a mixture of
//! chains, not a chain of mixed probabilities). The transient block Q (2×2) carries everything:
//! survival S(t) = e_Calm·Qᵗ·1, expected weeks e_Calm·(I−Q)⁻¹·1 (the fundamental matrix; Kemeny &
//! Snell, *Finite Markov Chains*, §3.2), and P(war by T) = Σ_{t<T} e_Calm·Qᵗ·v.

use crate::error::{Error, Result};
use crate::limits;
use crate::model::params::{Action, ChainParams, DyadParams};
use nalgebra::{Matrix2, RowVector2, Vector2};

/// A client's weekly chances under one action: b (break), i (incident, not a break), v (regional war).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct WeeklyChances {
    /// b_d = β_d·maj_d: the weekly chance the client breaks the ceasefire.
    pub brk: f64,
    /// i_d = inc_d + (1−β_d)·maj_d: the weekly chance of an incident that does not break it.
    pub incident: f64,
    /// v_d = ω_d(a)·maj_d: the weekly chance of a regional war (a part of b_d, since ω ≤ β).
    pub war: f64,
}

/// One client as the chain sees it: the prior of each type and the chances its response implies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChainClient {
    /// (aligned, autonomous).
    pub prior: [f64; 2],
    /// Weekly chances of each type's response, (aligned, autonomous).
    pub chances: [WeeklyChances; 2],
}

/// The chain's outputs, each a prior-weighted mixture over type profiles.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainOutcome {
    /// P(ceasefire still holds after T weeks).
    pub p_hold: f64,
    /// e_Calm·(I−Q)⁻¹·1; +∞ when some type profile with positive prior never breaks.
    pub expected_weeks: f64,
    /// P(a regional war has started by week T).
    pub p_regional_war: f64,
    /// P(holds at t) for t = 0..=T.
    pub survival: Vec<f64>,
    /// Each client's share of the break probability mass, in input order (see [`run_chain`]).
    pub risk_share: Vec<f64>,
}

impl ChainClient {
    /// A client whose types respond with `actions` (aligned, autonomous).
    pub fn new(dyad: &str, params: &DyadParams, actions: [Action; 2]) -> Result<Self> {
        Ok(ChainClient {
            prior: [1.0 - params.prior_autonomous, params.prior_autonomous],
            chances: [
                weekly_chances(dyad, params, actions[0])?,
                weekly_chances(dyad, params, actions[1])?,
            ],
        })
    }
}

/// b_d = β·maj, i_d = inc + (1−β)·maj, v_d = ω(a)·maj for a client playing `a` (true signals).
///
/// A regional war is a kind of break, so ω of the action taken must not exceed β; otherwise
/// P(war) could exceed P(break) and "broken but not war" would be negative. Rejected.
pub fn weekly_chances(dyad: &str, params: &DyadParams, a: Action) -> Result<WeeklyChances> {
    let [_, incident, major] = crate::model::dyad::true_signal_law(params)[a.index()];
    let beta = params.breaks_ceasefire;
    let omega = match a {
        Action::R => 0.0,
        Action::K => params.war_risk.k,
        Action::E => params.war_risk.e,
    };
    if omega > beta {
        return Err(Error::Unsupported(format!(
            "dyad {dyad}: war_risk.{} = {omega} exceeds breaks_ceasefire = {beta}: a regional war is a kind of \
             ceasefire break, so the chain needs ω ≤ β for the action taken ({})",
            a.name().to_lowercase(),
            a.name()
        )));
    }
    Ok(WeeklyChances {
        brk: beta * major,
        incident: incident + (1.0 - beta) * major,
        war: omega * major,
    })
}

/// Run the chain for every type profile and mix.
///
/// **Share of the break probability mass.** A client's break hazard in a week the ceasefire still
/// holds is b_d in Calm and min(1, μ·b_d) in Tension. Its *expected break hazard over the horizon*
/// is H_d = E[Σ_{t<T} hazard_d(state_t)·1{holds at t}], the expectation taken over the type draw
/// and the chain. `risk_share[d]` = H_d / Σ_d' H_d': the client's part of the total expected break
/// hazard the clients generate over the horizon (the baseline h₀ is nobody's and is left out, so
/// the shares sum to 1; all shares are 0 when no client can ever break the ceasefire). It answers
/// "whose breaks weigh most" without having to attribute weeks in which two clients break at once.
pub fn run_chain(chain: &ChainParams, clients: &[ChainClient]) -> Result<ChainOutcome> {
    validate(chain, clients.len())?;
    let horizon = chain.horizon_weeks as usize;
    let mut out = ChainOutcome {
        p_hold: 0.0,
        expected_weeks: 0.0,
        p_regional_war: 0.0,
        survival: vec![0.0; horizon + 1],
        risk_share: vec![0.0; clients.len()],
    };
    let mut hazard_mass = vec![0.0; clients.len()];
    let mut chances = vec![WeeklyChances::default(); clients.len()];
    for profile in 0..1usize << clients.len() {
        let mut weight = 1.0;
        for (d, c) in clients.iter().enumerate() {
            let t = (profile >> d) & 1;
            weight *= c.prior[t];
            chances[d] = c.chances[t];
        }
        if weight <= 0.0 {
            continue;
        }
        let one = ProfileChain::new(chain, &chances);
        out.expected_weeks += weight * one.expected_weeks();
        let mut occupancy = RowVector2::new(1.0, 0.0);
        for t in 0..=horizon {
            out.survival[t] += weight * occupancy.sum();
            if t == horizon {
                break;
            }
            out.p_regional_war += weight * (occupancy * one.war).x;
            for (d, c) in chances.iter().enumerate() {
                let tension = (chain.tension_multiplier * c.brk).min(1.0);
                hazard_mass[d] += weight * (occupancy.x * c.brk + occupancy.y * tension);
            }
            occupancy *= one.q;
        }
    }
    out.p_hold = out.survival[horizon];
    let total: f64 = hazard_mass.iter().sum();
    if total > 0.0 {
        out.risk_share = hazard_mass.iter().map(|h| h / total).collect();
    }
    Ok(out)
}

/// The transient block Q and the weekly war chances (Calm, Tension) of one type profile.
struct ProfileChain {
    q: Matrix2<f64>,
    war: Vector2<f64>,
}

impl ProfileChain {
    fn new(chain: &ChainParams, chances: &[WeeklyChances]) -> Self {
        let mu = chain.tension_multiplier;
        let scaled = |p: f64| (mu * p).min(1.0);
        let (mut hold_calm, mut hold_tension) = (
            1.0 - chain.baseline_hazard,
            1.0 - scaled(chain.baseline_hazard),
        );
        let (mut peace_calm, mut peace_tension, mut quiet) = (1.0, 1.0, 1.0);
        for c in chances {
            hold_calm *= 1.0 - c.brk;
            hold_tension *= 1.0 - scaled(c.brk);
            peace_calm *= 1.0 - c.war;
            peace_tension *= 1.0 - scaled(c.war);
            quiet *= 1.0 - c.incident;
        }
        // From Calm: hold and quiet → Calm, hold and an incident → Tension.
        // From Tension: hold and recover (ρ) → Calm, hold otherwise → Tension.
        let rho = chain.recovery;
        let q = Matrix2::new(
            hold_calm * quiet,
            hold_calm * (1.0 - quiet),
            hold_tension * rho,
            hold_tension * (1.0 - rho),
        );
        ProfileChain {
            q,
            war: Vector2::new(1.0 - peace_calm, 1.0 - peace_tension),
        }
    }

    /// e_Calm·(I−Q)⁻¹·1, or +∞ when I−Q is singular (the ceasefire cannot break).
    fn expected_weeks(&self) -> f64 {
        match (Matrix2::identity() - self.q).try_inverse() {
            Some(n) => n[(0, 0)] + n[(0, 1)],
            None => f64::INFINITY,
        }
    }
}

fn validate(chain: &ChainParams, clients: usize) -> Result<()> {
    if clients > limits::MAX_DYADS {
        return Err(Error::limit("MAX_DYADS", format!(
            "the ceasefire chain mixes over 2^N type profiles: {clients} dyads exceed the limit of {}",
            limits::MAX_DYADS
        )));
    }
    if chain.horizon_weeks > limits::MAX_HORIZON_WEEKS {
        return Err(Error::limit(
            "MAX_HORIZON_WEEKS",
            format!(
                "horizon_weeks = {} exceeds the limit of {}",
                chain.horizon_weeks,
                limits::MAX_HORIZON_WEEKS
            ),
        ));
    }
    let bad =
        |key: &str, v: f64, why: &str| Err(Error::Unsupported(format!("chain: {key} = {v} {why}")));
    if !(0.0..=1.0).contains(&chain.baseline_hazard) {
        return bad(
            "baseline_hazard",
            chain.baseline_hazard,
            "must be a probability in [0, 1]",
        );
    }
    if !(0.0..=1.0).contains(&chain.recovery) {
        return bad(
            "recovery",
            chain.recovery,
            "must be a probability in [0, 1]",
        );
    }
    if !(chain.tension_multiplier.is_finite() && chain.tension_multiplier >= 1.0) {
        return bad(
            "tension_multiplier",
            chain.tension_multiplier,
            "must be a finite number ≥ 1",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two clients of one type each, two weeks, worked by hand from the spec's transition rules.
    #[test]
    fn two_weeks_by_hand() {
        let chain = ChainParams {
            horizon_weeks: 2,
            baseline_hazard: 0.01,
            tension_multiplier: 2.0,
            recovery: 0.5,
        };
        let a = WeeklyChances {
            brk: 0.1,
            incident: 0.3,
            war: 0.05,
        };
        let b = WeeklyChances {
            brk: 0.2,
            incident: 0.0,
            war: 0.0,
        };
        let one = |c| ChainClient {
            prior: [1.0, 0.0],
            chances: [c, c],
        };
        let out = run_chain(&chain, &[one(a), one(b)]).unwrap();
        // Calm: hold 0.99·0.9·0.8, quiet 0.7. Tension: hold 0.98·0.8·0.6 (h₀, b doubled), ρ = 0.5.
        let hold_calm = 0.99 * 0.9 * 0.8;
        let (cc, ct) = (hold_calm * 0.7, hold_calm * 0.3);
        let hold_tension = 0.98 * 0.8 * 0.6;
        let (tc, tt) = (hold_tension * 0.5, hold_tension * 0.5);
        let close = |x: f64, y: f64| (x - y).abs() < 1e-15;
        assert!(close(out.survival[1], hold_calm));
        assert!(close(out.p_hold, cc * (cc + ct) + ct * (tc + tt)));
        assert!(close(out.p_regional_war, 0.05 + cc * 0.05 + ct * 0.1));
        let det = (1.0 - cc) * (1.0 - tt) - ct * tc;
        assert!((out.expected_weeks - ((1.0 - tt) + ct) / det).abs() < 1e-12);
        let h_a = 0.1 + cc * 0.1 + ct * 0.2;
        let h_b = 0.2 + cc * 0.2 + ct * 0.4;
        assert!(close(out.risk_share[0], h_a / (h_a + h_b)));
    }

    /// Mixing over types: one client, aligned never breaks, autonomous always does.
    #[test]
    fn outputs_are_prior_weighted_mixtures() {
        let chain = ChainParams {
            horizon_weeks: 3,
            baseline_hazard: 0.0,
            tension_multiplier: 1.0,
            recovery: 0.0,
        };
        let never = WeeklyChances::default();
        let always = WeeklyChances {
            brk: 1.0,
            incident: 0.0,
            war: 0.25,
        };
        let out = run_chain(
            &chain,
            &[ChainClient {
                prior: [0.75, 0.25],
                chances: [never, always],
            }],
        )
        .unwrap();
        assert_eq!(out.survival, vec![1.0, 0.75, 0.75, 0.75]);
        assert_eq!(out.p_regional_war, 0.25 * 0.25);
        assert!(out.expected_weeks.is_infinite());
    }

    #[test]
    fn refuses_war_risk_above_break_chance_and_bad_chains() {
        let mut p =
            crate::model::spec_defaults::spec_model(crate::model::spec_defaults::SpecScenario::War)
                .dyads[0]
                .params
                .clone();
        p.war_risk.e = 0.9; // β = 0.8
        assert!(
            weekly_chances("d", &p, Action::K).is_ok(),
            "only the action taken is checked"
        );
        let err = weekly_chances("d", &p, Action::E).unwrap_err().to_string();
        assert!(
            err.contains("war_risk.e = 0.9") && err.contains("breaks_ceasefire = 0.8"),
            "{err}"
        );
        let chain = ChainParams {
            horizon_weeks: 2,
            baseline_hazard: 0.0,
            tension_multiplier: 1.0,
            recovery: 1.5,
        };
        assert!(run_chain(&chain, &[])
            .unwrap_err()
            .to_string()
            .contains("recovery"));
        let long = ChainParams {
            horizon_weeks: u32::MAX,
            ..chain
        };
        assert_eq!(
            run_chain(&long, &[]).unwrap_err().exceeded_limit(),
            Some("MAX_HORIZON_WEEKS")
        );
        let clients = vec![
            ChainClient {
                prior: [1.0, 0.0],
                chances: [WeeklyChances::default(); 2]
            };
            21
        ];
        let ok = ChainParams {
            recovery: 0.5,
            ..chain
        };
        assert_eq!(
            run_chain(&ok, &clients).unwrap_err().exceeded_limit(),
            Some("MAX_DYADS")
        );
    }
}
