//! The spec's default parameter table (`docs/spec.md`, layer 4), transcribed by hand as
//! a [`Model`] for the `war` and `ceasefire` scenarios.
//!
//! This is the independent reference the TOML model file is checked against, and the input of the
//! reference-number tests. The arrays below are the spec's table row by row, columns in its order
//! (Iran–Hezbollah, Iran–Hamas, Iran–Houthis, Iran–Kataib Hezbollah, US–Israel), so a reader can
//! proofread them against the spec line by line.

use crate::model::params::{
    Behaviour, ChainParams, Dyad, DyadParams, Model, PatronGameParams, PerAction,
};

/// The two scenarios the spec defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecScenario {
    /// The spring-2024 baseline.
    War,
    /// After a Gulf-backed ceasefire: calibrated pressure turns costly for the patrons.
    Ceasefire,
}

/// (key, patron, client display name) per column.
const COLUMNS: [(&str, &str, &str); 5] = [
    ("iran_hezbollah", "iran", "Hezbollah"),
    ("iran_hamas", "iran", "Hamas"),
    ("iran_houthis", "iran", "the Houthis"),
    ("iran_kataib_hezbollah", "iran", "Kataib Hezbollah"),
    ("us_israel", "us", "Israel"),
];
const PRIOR_AUTONOMOUS: [f64; 5] = [0.2, 0.8, 0.7, 0.3, 0.75];
const DEPENDENCE: [f64; 5] = [0.9, 0.4, 0.3, 0.7, 0.6];
const MONITORING: [f64; 5] = [0.8, 0.3, 0.5, 0.6, 0.9];
const LETHALITY: [f64; 5] = [0.01, 0.03, 0.02, 0.006, 0.02];
const ATTACKS_PER_WEEK: [f64; 5] = [5.0, 2.0, 3.0, 11.0, 2.0];
const SPOILER_RATE: [f64; 5] = [0.02, 0.05, 0.05, 0.03, 0.02];
const CREDIBILITY: [f64; 5] = [0.9, 0.5, 0.7, 0.9, 0.6];
const GAIN_ALIGNED: [(f64, f64); 5] = [
    (0.2, 0.1),
    (0.2, 0.1),
    (0.2, 0.05),
    (0.15, 0.05),
    (0.2, 0.1),
];
const GAIN_AUTONOMOUS: [(f64, f64); 5] =
    [(0.4, 0.6), (0.3, 0.85), (0.5, 0.4), (0.3, 0.4), (0.3, 0.6)];
const RETALIATION: [(f64, f64); 5] = [
    (0.05, 0.5),
    (0.1, 0.6),
    (0.1, 0.5),
    (0.05, 0.4),
    (0.05, 0.15),
];
const PATRON_VALUE: [(f64, f64); 5] = [
    (0.3, -0.2),
    (0.3, -0.3),
    (0.3, -0.3),
    (0.25, -0.2),
    (-0.1, -0.4),
];
const SANCTION_COST: [f64; 5] = [0.3, 0.5, 0.2, 0.15, 0.3];
const WAR_COST: [f64; 5] = [1.0, 1.0, 1.0, 1.0, 1.0];
const WAR_RISK: [(f64, f64); 5] = [(0.3, 0.5), (0.1, 0.2), (0.1, 0.3), (0.1, 0.3), (0.05, 0.15)];
const BREAKS_CEASEFIRE: [f64; 5] = [0.8, 0.5, 0.3, 0.3, 0.5];

/// Ceasefire overrides: w(K) and g_aligned(K) per column ("every Iranian dyad w(K) = −0.2 and
/// g_aligned(K) = 0.05; US–Israel w(K) = −0.3 and g_aligned(K) = 0.05").
const CEASEFIRE_PATRON_VALUE_K: [f64; 5] = [-0.2, -0.2, -0.2, -0.2, -0.3];
const CEASEFIRE_GAIN_ALIGNED_K: [f64; 5] = [0.05, 0.05, 0.05, 0.05, 0.05];

fn per_action((k, e): (f64, f64)) -> PerAction {
    PerAction { k, e }
}

fn dyad(i: usize, scenario: SpecScenario) -> Dyad {
    let (name, patron, client) = COLUMNS[i];
    let mut params = DyadParams {
        prior_autonomous: PRIOR_AUTONOMOUS[i],
        dependence: DEPENDENCE[i],
        monitoring: MONITORING[i],
        lethality: LETHALITY[i],
        attacks_per_week: ATTACKS_PER_WEEK[i],
        spoiler_rate: SPOILER_RATE[i],
        credibility: CREDIBILITY[i],
        sanction_cost: SANCTION_COST[i],
        war_cost: WAR_COST[i],
        breaks_ceasefire: BREAKS_CEASEFIRE[i],
        gain_aligned: per_action(GAIN_ALIGNED[i]),
        gain_autonomous: per_action(GAIN_AUTONOMOUS[i]),
        retaliation: per_action(RETALIATION[i]),
        patron_value: per_action(PATRON_VALUE[i]),
        war_risk: per_action(WAR_RISK[i]),
    };
    if scenario == SpecScenario::Ceasefire {
        params.patron_value.k = CEASEFIRE_PATRON_VALUE_K[i];
        params.gain_aligned.k = CEASEFIRE_GAIN_ALIGNED_K[i];
    }
    Dyad {
        name: name.into(),
        patron: patron.into(),
        client: client.into(),
        params,
        status_quo: None,
        behaviour: Behaviour::BestResponse,
    }
}

/// The spec's default model for a scenario (no status-quo policies: the spec states none).
///
/// The spec lists the chain (T = 26, h₀ = 0.02, μ = 2, ρ = 0.5) and the patron game (Z_US = 1.0,
/// Z_Iran = 0.6) next to the ceasefire overrides and gives no others, so both scenarios use them.
pub fn spec_model(scenario: SpecScenario) -> Model {
    Model {
        scenario: match scenario {
            SpecScenario::War => "war",
            SpecScenario::Ceasefire => "ceasefire",
        }
        .into(),
        dyads: (0..COLUMNS.len()).map(|i| dyad(i, scenario)).collect(),
        chain: ChainParams {
            horizon_weeks: 26,
            baseline_hazard: 0.02,
            tension_multiplier: 2.0,
            recovery: 0.5,
        },
        patron_game: PatronGameParams {
            ceasefire_value: vec![("us".into(), 1.0), ("iran".into(), 0.6)],
            logit_lambda: None,
        },
    }
}
