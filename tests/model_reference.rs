//! The patron–client model against the spec's reference numbers (`docs/spec.md`, last
//! section), closed forms derived by hand from the spec's formulas, and the properties it requires.
//!
//! Tolerances follow the printed precision: a number printed with d decimals is compared within
//! half a unit of its last digit (0.443 → ±5e-4, 0.0635 → ±5e-5). Where a closed form exists the
//! comparison is to 1e-9 against the closed form instead.

use patron::model::DyadGame;
use patron::model::LpBackend;
use patron::model::{optimal_policy, solve_dyad, DyadSolution};
use patron::model::{run_chain, ChainClient, WeeklyChances};
use patron::model::{solve_model, solve_model_with, ModelSolution, SolveOptions};
use patron::model::{spec_model, SpecScenario};
use patron::model::{Action, ChainParams, ClientType, Dyad, DyadParams, Model, PerAction};
use patron::num::tol;
use proptest::prelude::*;

fn solved(scenario: SpecScenario) -> ModelSolution {
    solve_model(&spec_model(scenario)).expect("the spec's defaults solve")
}

fn dyad<'a>(s: &'a ModelSolution, name: &str) -> &'a DyadSolution {
    s.dyads
        .get(name)
        .unwrap_or_else(|| panic!("dyad {name} missing"))
}

fn params(scenario: SpecScenario, name: &str) -> DyadParams {
    spec_model(scenario)
        .dyads
        .into_iter()
        .find(|d| d.name == name)
        .expect("dyad")
        .params
}

/// |value − printed| ≤ half a unit of the printed number's last decimal.
fn assert_printed(value: f64, printed: &str, what: &str) {
    let decimals = printed.split_once('.').map_or(0, |(_, f)| f.len());
    let half_unit = 0.5 * 10f64.powi(-(decimals as i32));
    let p: f64 = printed.parse().unwrap();
    assert!(
        (value - p).abs() <= half_unit + 1e-12,
        "{what}: {value} does not round to the printed {printed}"
    );
}

fn assert_policy(x: &[f64; 3], printed: [&str; 3], what: &str) {
    for (i, p) in printed.iter().enumerate() {
        assert_printed(x[i], p, &format!("{what} x[{i}]"));
    }
}

const NONE: [&str; 3] = ["0.000", "0.000", "0.000"];

// ---------------------------------------------------------------- war scenario, layer 1

#[test]
fn war_hamas_and_israel_need_a_sanction_on_major_only() {
    let s = solved(SpecScenario::War);
    // Spec: x_major ≈ 0.443 (Hamas) and 0.386 (Israel), turning autonomous types from E to K.
    assert_policy(
        &dyad(&s, "iran_hamas").optimal.policy,
        ["0.000", "0.000", "0.443"],
        "Hamas",
    );
    assert_policy(
        &dyad(&s, "us_israel").optimal.policy,
        ["0.000", "0.000", "0.386"],
        "Israel",
    );
    for name in ["iran_hamas", "us_israel"] {
        let d = dyad(&s, name);
        assert_eq!(
            d.unconditional.actions[1],
            Action::E,
            "{name} autonomous escalates under leeway"
        );
        assert_eq!(
            d.optimal.actions[1],
            Action::K,
            "{name} autonomous is turned to K"
        );
        assert!(d.value_of_commitment > 0.0);
    }
}

/// The binding constraint is the autonomous type's U_C(K) = U_C(E) with only x_major > 0:
/// (g−r)(K) − s·O(major|K)·x = (g−r)(E) − s·O(major|E)·x, and O(major|E) − O(major|K) = m·(1 − ε̄),
/// so x_major = [(g−r)(E) − (g−r)(K)] / (s·m·(1 − ε̄)).
#[test]
fn war_major_sanctions_match_the_closed_form() {
    let s = solved(SpecScenario::War);
    for name in ["iran_hamas", "us_israel"] {
        let p = params(SpecScenario::War, name);
        let eps_bar = 1.0 - (1.0 - p.lethality).powf(p.attacks_per_week);
        let gap = (p.gain_autonomous.e - p.retaliation.e) - (p.gain_autonomous.k - p.retaliation.k);
        let x_major = gap / (p.dependence * p.monitoring * (1.0 - eps_bar));
        let x = dyad(&s, name).optimal.policy;
        assert!(
            (x[2] - x_major).abs() < 1e-9,
            "{name}: {} vs closed form {x_major}",
            x[2]
        );
        assert!(x[0].abs() < 1e-9 && x[1].abs() < 1e-9, "{name}: {x:?}");
    }
}

#[test]
fn war_hezbollah_houthis_and_kataib_hezbollah_need_no_sanction() {
    let s = solved(SpecScenario::War);
    for name in ["iran_hezbollah", "iran_houthis", "iran_kataib_hezbollah"] {
        let d = dyad(&s, name);
        assert_policy(&d.optimal.policy, NONE, name);
        assert!(d.value_of_commitment.abs() < 1e-12, "{name}");
    }
}

// ---------------------------------------------------------------- ceasefire scenario, layer 1

#[test]
fn ceasefire_iran_sanctions_hezbollah_and_kataib_hezbollah_into_standing_down() {
    let s = solved(SpecScenario::Ceasefire);
    // Spec: Hezbollah x_incident ≈ 0.514, x_major ≈ 0.149; Kataib Hezbollah ≈ 0.656, ≈ 0.020.
    assert_policy(
        &dyad(&s, "iran_hezbollah").optimal.policy,
        ["0.000", "0.514", "0.149"],
        "Hezbollah",
    );
    assert_policy(
        &dyad(&s, "iran_kataib_hezbollah").optimal.policy,
        ["0.000", "0.656", "0.020"],
        "KH",
    );
    for name in ["iran_hezbollah", "iran_kataib_hezbollah"] {
        assert_eq!(
            dyad(&s, name).optimal.actions,
            [Action::R, Action::R],
            "{name}: stand down whatever the type"
        );
    }
    // "cannot afford to restrain the Houthis"
    let houthis = dyad(&s, "iran_houthis");
    assert_policy(&houthis.optimal.policy, NONE, "Houthis");
    assert_eq!(houthis.optimal.actions[1], Action::K);
}

/// Making the autonomous type stand down with x_quiet = 0 binds both of its constraints,
/// U_C(R) = U_C(K) and U_C(R) = U_C(E): two linear equations in (x_incident, x_major) solved here
/// by Cramer's rule, independently of the LP code.
#[test]
fn ceasefire_stand_down_policies_match_the_two_binding_constraints() {
    let s = solved(SpecScenario::Ceasefire);
    for name in ["iran_hezbollah", "iran_kataib_hezbollah"] {
        let p = params(SpecScenario::Ceasefire, name);
        let g = DyadGame::new(name, &p).unwrap();
        let o = |a| g.observed(a);
        let base = |a| g.client_base(ClientType::Autonomous, a);
        // s·(O(a') − O(R))·x = base(a') − base(R) for a' = K, E over (incident, major)
        let row = |a: Action| {
            let (oa, or) = (o(a), o(Action::R));
            [
                p.dependence * (oa[1] - or[1]),
                p.dependence * (oa[2] - or[2]),
                base(a) - base(Action::R),
            ]
        };
        let (r1, r2) = (row(Action::K), row(Action::E));
        let det = r1[0] * r2[1] - r1[1] * r2[0];
        let x_incident = (r1[2] * r2[1] - r1[1] * r2[2]) / det;
        let x_major = (r1[0] * r2[2] - r1[2] * r2[0]) / det;
        let x = dyad(&s, name).optimal.policy;
        assert!(
            (x[1] - x_incident).abs() < 1e-9 && (x[2] - x_major).abs() < 1e-9,
            "{name}: {x:?}"
        );
        assert!(x[0].abs() < 1e-9, "{name}: {x:?}");
    }
}

// ---------------------------------------------------------------- ceasefire chain

#[test]
fn ceasefire_chain_reference_numbers() {
    let s = solved(SpecScenario::Ceasefire);
    let c = s.ceasefire.as_ref().unwrap();
    // Spec: P(hold 26 weeks) ≈ 0.0635, expected ≈ 9.981 weeks, P(regional war) ≈ 0.139 under optimal
    // policies, against ≈ 0.0100, ≈ 2.171 weeks and ≈ 0.413 when both patrons stay unconditional.
    assert_printed(c.optimal.p_hold, "0.0635", "optimal P(hold)");
    assert_printed(c.optimal.expected_weeks, "9.981", "optimal expected weeks");
    assert_printed(c.optimal.p_regional_war, "0.139", "optimal P(war)");
    assert_printed(c.unconditional.p_hold, "0.0100", "unconditional P(hold)");
    assert_printed(
        c.unconditional.expected_weeks,
        "2.171",
        "unconditional expected weeks",
    );
    assert_printed(
        c.unconditional.p_regional_war,
        "0.413",
        "unconditional P(war)",
    );
    // No status quo in the spec's defaults: the status-quo chain is the unconditional one.
    assert_eq!(c.status_quo, c.unconditional);
    assert_eq!(c.optimal.survival.len(), 27);
    assert!(
        (c.optimal.survival[26] - c.optimal.p_hold).abs() < 1e-15 && c.optimal.survival[0] == 1.0
    );
    assert!(c.optimal.survival.windows(2).all(|w| w[1] <= w[0]));
    let total: f64 = c.optimal.risk_share.iter().map(|(_, v)| v).sum();
    assert!((total - 1.0).abs() < 1e-12);
    // Clients that stand down whatever their type never break: no share.
    assert!(c.optimal.risk_share.get("iran_hezbollah").unwrap().abs() < 1e-15);
}

#[test]
fn unconditional_truces_last_days_to_weeks_as_gaza_truces_did() {
    // Spec: "the unconditional and status-quo policies should give expected durations in that range"
    // (7 days to about 8 weeks); optimal policies may run longer.
    let c = solved(SpecScenario::Ceasefire).ceasefire.unwrap();
    assert!((1.0..=8.0).contains(&c.unconditional.expected_weeks));
    assert!(c.optimal.expected_weeks > c.unconditional.expected_weeks);
}

/// With h₀ = 0 and μ = 1 the weekly break chance is the same in Calm and Tension, so a client of
/// type θ keeps the ceasefire for T weeks with probability (1 − b_θ)^T and for 1/b_θ weeks on average.
#[test]
fn one_client_without_tension_holds_with_probability_one_minus_b_to_the_t() {
    let mut model = spec_model(SpecScenario::War);
    model.dyads.truncate(2);
    model.dyads.remove(0); // Hamas alone: aligned K, autonomous K under the optimal policy
    model.chain = ChainParams {
        horizon_weeks: 26,
        baseline_hazard: 0.0,
        tension_multiplier: 1.0,
        recovery: 0.3,
    };
    model.patron_game.ceasefire_value = vec![("iran".into(), 0.6), ("us".into(), 1.0)];
    let s = solve_model(&model).unwrap();
    let d = dyad(&s, "iran_hamas");
    let p = &model.dyads[0].params;
    let eps_bar = 1.0 - (1.0 - p.lethality).powf(p.attacks_per_week);
    let b = |a: Action| p.breaks_ceasefire * [0.0, eps_bar, 1.0][a.index()];
    let prior = [1.0 - p.prior_autonomous, p.prior_autonomous];
    for (actions, chain) in [
        (d.optimal.actions, &s.ceasefire.as_ref().unwrap().optimal),
        (
            d.unconditional.actions,
            &s.ceasefire.as_ref().unwrap().unconditional,
        ),
    ] {
        let hold: f64 = (0..2)
            .map(|t| prior[t] * (1.0 - b(actions[t])).powi(26))
            .sum();
        let weeks: f64 = (0..2).map(|t| prior[t] / b(actions[t])).sum();
        assert!(
            (chain.p_hold - hold).abs() < 1e-12,
            "{} vs {hold}",
            chain.p_hold
        );
        assert!(
            (chain.expected_weeks - weeks).abs() < 1e-9 * weeks,
            "{} vs {weeks}",
            chain.expected_weeks
        );
    }
    // and one single client type, directly
    let chances = WeeklyChances {
        brk: 0.1,
        incident: 0.3,
        war: 0.05,
    };
    let client = ChainClient {
        prior: [1.0, 0.0],
        chances: [chances, chances],
    };
    let c = run_chain(&model.chain, &[client]).unwrap();
    assert!((c.p_hold - 0.9f64.powi(26)).abs() < 1e-12);
    for (t, s) in c.survival.iter().enumerate() {
        assert!((s - 0.9f64.powi(t as i32)).abs() < 1e-12);
    }
    // P(war by T) = Σ_{t<T} 0.9^t · 0.05
    let war: f64 = (0..26).map(|t| 0.9f64.powi(t) * 0.05).sum();
    assert!((c.p_regional_war - war).abs() < 1e-12);
}

#[test]
fn a_ceasefire_that_cannot_break_lasts_forever() {
    let chain = ChainParams {
        horizon_weeks: 10,
        baseline_hazard: 0.0,
        tension_multiplier: 2.0,
        recovery: 0.5,
    };
    let calm = WeeklyChances {
        brk: 0.0,
        incident: 0.2,
        war: 0.0,
    };
    let c = run_chain(
        &chain,
        &[ChainClient {
            prior: [0.5, 0.5],
            chances: [calm, calm],
        }],
    )
    .unwrap();
    assert!((c.p_hold - 1.0).abs() < 1e-12);
    assert!(c.expected_weeks.is_infinite());
    assert_eq!(c.risk_share, vec![0.0]);
}

#[test]
fn war_risk_above_break_chance_is_rejected() {
    let mut model = spec_model(SpecScenario::War);
    model.dyads[1].params.war_risk.k = 0.9; // Hamas plays K in both types; β = 0.5
    let err = solve_model(&model).unwrap_err().to_string();
    assert!(
        err.contains("iran_hamas")
            && err.contains("war_risk.k")
            && err.contains("breaks_ceasefire"),
        "{err}"
    );
}

// ---------------------------------------------------------------- patron game

#[test]
fn optimal_optimal_is_the_only_pure_equilibrium() {
    for scenario in [SpecScenario::War, SpecScenario::Ceasefire] {
        let g = solved(scenario).patron_game.unwrap();
        assert_eq!(g.pure_equilibria, vec![[2, 2]], "{scenario:?}");
        assert_eq!(g.postures, ["unconditional", "red_lines", "optimal"]);
        // rows are the US (first in ceasefire_value)
        assert_eq!(g.payoffs.0[0].0, "us");
    }
}

/// The patron game's payoffs recomputed from layers 1 and 2: the US's payoff at (optimal, optimal)
/// is Israel's optimal patron value + Z_US·P(hold) of the all-optimal chain.
#[test]
fn patron_game_payoffs_add_layer_one_values_and_the_ceasefire_value() {
    let s = solved(SpecScenario::Ceasefire);
    let g = s.patron_game.as_ref().unwrap();
    let hold = s.ceasefire.as_ref().unwrap().optimal.p_hold;
    let us = dyad(&s, "us_israel").optimal.patron_value + 1.0 * hold;
    let iran: f64 = [
        "iran_hezbollah",
        "iran_hamas",
        "iran_houthis",
        "iran_kataib_hezbollah",
    ]
    .iter()
    .map(|n| dyad(&s, n).optimal.patron_value)
    .sum::<f64>()
        + 0.6 * hold;
    assert!((g.payoffs.get("us").unwrap()[2][2] - us).abs() < 1e-12);
    assert!((g.payoffs.get("iran").unwrap()[2][2] - iran).abs() < 1e-12);
    let hold_unconditional = s.ceasefire.as_ref().unwrap().unconditional.p_hold;
    let us_unc = dyad(&s, "us_israel").unconditional.patron_value + hold_unconditional;
    assert!((g.payoffs.get("us").unwrap()[0][0] - us_unc).abs() < 1e-12);
}

// ---------------------------------------------------------------- properties

/// Raising a client's dependence s never raises its equilibrium aggression, measured as the
/// prior-weighted expected action index E[a] (R = 0, K = 1, E = 2) under the optimal policy, on a
/// grid of s for every dyad of both scenarios.
///
/// Not a theorem, and not per type: at the war defaults US–Israel goes from (R, E) to (K, K) near
/// s = 0.39 (once sanctions bite enough to hold the autonomous type at K, the patron stops paying to
/// keep the aligned type at R), so the aligned type's action rises while E[a] falls from 1.5 to 1.
/// With random payoffs (e.g. a patron that values escalation) E[a] can rise too; the property is
/// one of the spec's calibration, which is what this test guards.
#[test]
fn more_dependence_never_means_more_expected_aggression() {
    for scenario in [SpecScenario::War, SpecScenario::Ceasefire] {
        for d in spec_model(scenario).dyads {
            let mut previous = f64::INFINITY;
            for step in 0..=200 {
                let mut p = d.params.clone();
                p.dependence = step as f64 * 0.01;
                let g = DyadGame::new(&d.name, &p).unwrap();
                let actions = optimal_policy(&g, LpBackend::Vertex.solver())
                    .unwrap()
                    .actions;
                let aggression = g.prior(ClientType::Aligned) * actions[0].index() as f64
                    + g.prior(ClientType::Autonomous) * actions[1].index() as f64;
                assert!(
                    aggression <= previous + 1e-12,
                    "{scenario:?} {}: s = {} gives {actions:?}, E[a] = {aggression} > {previous}",
                    d.name,
                    p.dependence
                );
                previous = aggression;
            }
        }
    }
}

#[test]
fn no_credibility_means_the_optimal_policy_is_unconditional() {
    for scenario in [SpecScenario::War, SpecScenario::Ceasefire] {
        for mut d in spec_model(scenario).dyads {
            d.params.credibility = 0.0;
            let (_, s) = solve_dyad(&d, LpBackend::Reference.solver()).unwrap();
            assert_eq!(s.optimal.policy, [0.0; 3], "{}", d.name);
            assert_eq!(s.optimal.actions, s.unconditional.actions, "{}", d.name);
            assert!(s.value_of_commitment.abs() < 1e-12, "{}", d.name);
        }
    }
}

/// A dyad built so that ties occur at x = 0, with dyadic numbers (exact in binary):
/// - aligned: g(K) = r(K) = 0.25 so U_C(K) = 0 = U_C(R); g(E) = 0, r(E) = 0.5 so E is worse.
///   The patron's U_P(K) = w(K) − W·ε̄·ω_K = 0 − 0 = 0 = U_P(R): the patron is indifferent too,
///   so the rule's last step picks the lower action, R.
/// - autonomous: g(K) = 0.5, r(K) = 0.25 → 0.25; g(E) = 0.75, r(E) = 0.5 → 0.25; R gives 0.
///   K and E tie; the patron gets U_P(K) = 0 and U_P(E) = w(E) − W·ω_E = −0.5: it prefers K.
///
/// Expected: (R, K) at x = 0, and since K costs the patron nothing the optimal policy is x = 0 too
/// (each type's best case for the patron is 0, reached at x = 0). Among the profiles worth 0 there,
/// (R, K) and (K, K) (the aligned type is indifferent), the lexicographic rule keeps (R, K) — the
/// tie rule's answer, as strong Stackelberg requires.
#[test]
fn hand_built_ties_follow_the_spec_rule() {
    let p = DyadParams {
        prior_autonomous: 0.5,
        dependence: 1.0,
        monitoring: 0.5,
        lethality: 0.0,
        attacks_per_week: 1.0,
        spoiler_rate: 0.0,
        credibility: 1.0,
        sanction_cost: 0.25,
        war_cost: 1.0,
        breaks_ceasefire: 1.0,
        gain_aligned: PerAction { k: 0.25, e: 0.0 },
        gain_autonomous: PerAction { k: 0.5, e: 0.75 },
        retaliation: PerAction { k: 0.25, e: 0.5 },
        patron_value: PerAction { k: 0.0, e: 0.0 },
        war_risk: PerAction { k: 0.0, e: 0.5 },
    };
    let g = DyadGame::new("tie", &p).unwrap();
    let zero = [0.0; 3];
    assert_eq!(g.client_utility(ClientType::Aligned, Action::K, &zero), 0.0);
    assert_eq!(
        g.client_utility(ClientType::Autonomous, Action::K, &zero),
        g.client_utility(ClientType::Autonomous, Action::E, &zero)
    );
    assert_eq!(g.best_response(ClientType::Aligned, &zero), Action::R);
    assert_eq!(g.best_response(ClientType::Autonomous, &zero), Action::K);
    for backend in [LpBackend::Reference, LpBackend::Vertex] {
        let o = optimal_policy(&g, backend.solver()).unwrap();
        assert_eq!(o.actions, [Action::R, Action::K], "{backend:?}");
        assert!(
            o.policy.iter().all(|v| v.abs() < 1e-12),
            "{backend:?}: {:?}",
            o.policy
        );
    }
}

/// At the war-scenario Hamas optimum the autonomous type is exactly indifferent between K and E
/// (the binding constraint); strong Stackelberg and the tie rule both give the patron its
/// favourite, K (U_P(K) ≈ 0.3 − 0.0059 − sanctions > U_P(E) ≈ −0.5 − sanctions).
#[test]
fn the_optimum_is_a_tie_resolved_for_the_patron() {
    let p = params(SpecScenario::War, "iran_hamas");
    let g = DyadGame::new("iran_hamas", &p).unwrap();
    let o = optimal_policy(&g, LpBackend::Reference.solver()).unwrap();
    let gap = g.client_utility(ClientType::Autonomous, Action::K, &o.policy)
        - g.client_utility(ClientType::Autonomous, Action::E, &o.policy);
    assert!(
        gap.abs() < 1e-12,
        "the incentive constraint binds: gap {gap}"
    );
    assert!(g.patron_utility(Action::K, &o.policy) > g.patron_utility(Action::E, &o.policy));
    assert_eq!(
        g.best_response(ClientType::Autonomous, &o.policy),
        Action::K
    );
}

#[test]
fn a_type_with_zero_prior_adds_no_constraint() {
    // π = 0: Hamas is surely aligned, and the aligned type plays K unrestrained, so no sanction.
    let mut p = params(SpecScenario::War, "iran_hamas");
    p.prior_autonomous = 0.0;
    let g = DyadGame::new("iran_hamas", &p).unwrap();
    for backend in [LpBackend::Reference, LpBackend::Vertex] {
        let o = optimal_policy(&g, backend.solver()).unwrap();
        assert!(
            o.policy.iter().all(|v| v.abs() < 1e-12),
            "{backend:?}: {:?}",
            o.policy
        );
        assert_eq!(
            o.actions,
            [Action::K, Action::E],
            "the absent autonomous type's tie-rule response"
        );
    }
}

// ---------------------------------------------------------------- output shape

#[test]
fn json_has_the_documented_shape_in_file_order() {
    let s = solved(SpecScenario::Ceasefire);
    let v: serde_json::Value = serde_json::to_value(&s).unwrap();
    assert_eq!(v["scenario"], "ceasefire");
    let text = serde_json::to_string(&s).unwrap();
    let order: Vec<usize> = spec_model(SpecScenario::Ceasefire)
        .dyads
        .iter()
        .map(|d| {
            text.find(&format!("\"{}\":{{\"optimal\"", d.name))
                .expect("dyad key")
        })
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "dyads keep the file's order"
    );
    let hez = &v["dyads"]["iran_hezbollah"];
    assert!(hez["optimal"]["policy"]["incident"].is_f64());
    assert_eq!(hez["optimal"]["actions"]["autonomous"], "R");
    assert!(hez["status_quo"].is_null());
    assert!(hez["value_of_commitment"].is_f64());
    for set in ["optimal", "unconditional", "status_quo"] {
        let c = &v["ceasefire"][set];
        for key in ["p_hold", "expected_weeks", "p_regional_war"] {
            assert!(c[key].is_f64(), "{set}.{key}");
        }
        assert_eq!(c["survival"].as_array().unwrap().len(), 27);
        assert!(c["risk_share"]["us_israel"].is_f64());
    }
    let g = &v["patron_game"];
    assert_eq!(g["postures"].as_array().unwrap().len(), 3);
    assert_eq!(g["payoffs"]["iran"].as_array().unwrap().len(), 3);
    assert_eq!(g["equilibria"][0]["us"], serde_json::json!([0.0, 0.0, 1.0]));
}

#[test]
fn the_table_reads_like_the_spec() {
    let text = patron::report::render_table(&solved(SpecScenario::War));
    assert!(
        text.contains("sanction after a major event with probability 0.443"),
        "{text}"
    );
    assert!(text.contains("autonomous: escalate"), "{text}");
    assert!(
        text.contains("Pure equilibria: (optimal, optimal)"),
        "{text}"
    );
}

// ---------------------------------------------------------------- the two LP backends

fn assert_backends_agree(d: &Dyad) -> Result<(), TestCaseError> {
    let (_, fast) = solve_dyad(d, LpBackend::Vertex.solver())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let (_, reference) = solve_dyad(d, LpBackend::Reference.solver())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(
        fast.optimal.actions,
        reference.optimal.actions,
        "{:?}",
        d.params
    );
    prop_assert!((fast.optimal.patron_value - reference.optimal.patron_value).abs() < 1e-9);
    for i in 0..3 {
        prop_assert!(
            (fast.optimal.policy[i] - reference.optimal.policy[i]).abs() < 1e-6,
            "{:?} vs {:?}",
            fast.optimal.policy,
            reference.optimal.policy
        );
    }
    Ok(())
}

#[test]
fn backends_agree_on_the_reference_cases() {
    for scenario in [SpecScenario::War, SpecScenario::Ceasefire] {
        for d in spec_model(scenario).dyads {
            assert_backends_agree(&d).unwrap();
        }
        let model = spec_model(scenario);
        let fast = solve_model_with(
            &model,
            &SolveOptions {
                backend: LpBackend::Vertex,
                ..Default::default()
            },
        )
        .unwrap();
        let reference = solve_model(&model).unwrap();
        assert_eq!(
            fast.patron_game.unwrap().pure_equilibria,
            reference.patron_game.unwrap().pure_equilibria
        );
    }
}

fn probability() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 1 => Just(1.0), 8 => 0.0f64..=1.0]
}

fn per_action(lo: f64, hi: f64) -> impl Strategy<Value = PerAction> {
    (lo..hi, lo..hi).prop_map(|(k, e)| PerAction { k, e })
}

prop_compose! {
    fn random_dyad()(
        prior_autonomous in probability(),
        dependence in 0.0f64..2.0,
        monitoring in probability(),
        lethality in 0.0f64..0.1,
        attacks_per_week in 0.0f64..20.0,
        spoiler_rate in 0.0f64..0.2,
        credibility in probability(),
        sanction_cost in 0.0f64..1.0,
        war_cost in 0.0f64..2.0,
        gain_aligned in per_action(-0.2, 1.0),
        gain_autonomous in per_action(-0.2, 1.0),
        retaliation in per_action(0.0, 0.8),
        patron_value in per_action(-1.0, 1.0),
        war_risk in per_action(0.0, 0.5),
        breaks_ceasefire in 0.5f64..=1.0,
    ) -> Dyad {
        Dyad {
            name: "random".into(),
            patron: "iran".into(),
            client: "client".into(),
            params: DyadParams {
                prior_autonomous, dependence, monitoring, lethality, attacks_per_week, spoiler_rate,
                credibility, sanction_cost, war_cost, breaks_ceasefire, gain_aligned, gain_autonomous,
                retaliation, patron_value, war_risk,
            },
            status_quo: None,
            behaviour: patron::model::Behaviour::BestResponse,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    /// Both backends give the same responses, values and (least-sanction) policies, and both pass
    /// certification, on random dyads (including priors and monitoring at exactly 0 or 1).
    #[test]
    fn backends_agree_on_random_dyads(d in random_dyad()) {
        assert_backends_agree(&d)?;
    }
}

/// Brute force: no policy on a grid over [0, φ]³ (21 points per axis, clients responding by the
/// tie rule) gives the patron more than the LP optimum. The spec's second LP (least total
/// sanction) may give up `tol::LP_OBJECTIVE_HOLD` of the first objective, and the backend is
/// feasible within `tol::LP_FEASIBILITY`, so the reported optimum may sit that far below the true
/// one (a case found in CI: every policy worth 0, the optimum reported at −1.0000000000000003e-9).
fn assert_no_grid_policy_beats(d: &Dyad) -> Result<(), TestCaseError> {
    let g = DyadGame::new(&d.name, &d.params).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let best = optimal_policy(&g, LpBackend::Vertex.solver())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let phi = g.credibility();
    const STEPS: usize = 20;
    for i in 0..=STEPS {
        for j in 0..=STEPS {
            for k in 0..=STEPS {
                let x = [i, j, k].map(|n| phi * n as f64 / STEPS as f64);
                let v = g.evaluate(&x).patron_value;
                prop_assert!(
                    v <= best.patron_value + tol::LP_OBJECTIVE_HOLD + tol::LP_FEASIBILITY,
                    "{x:?} gives {v} > optimum {best:?}"
                );
            }
        }
    }
    Ok(())
}

#[test]
fn no_grid_policy_beats_the_reference_optima() {
    for scenario in [SpecScenario::War, SpecScenario::Ceasefire] {
        for d in spec_model(scenario).dyads {
            assert_no_grid_policy_beats(&d).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]
    #[test]
    fn no_grid_policy_beats_random_optima(d in random_dyad()) {
        assert_no_grid_policy_beats(&d)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Whole random models solve (fast backend, patron game included) without panics; the only
    /// refusal is a war risk above the break chance, which random draws can produce.
    #[test]
    fn random_models_solve_or_refuse_cleanly(dyads in prop::collection::vec(random_dyad(), 1..=6), us_first in any::<bool>()) {
        let mut model = spec_model(SpecScenario::Ceasefire);
        model.dyads = dyads;
        for (i, d) in model.dyads.iter_mut().enumerate() {
            d.name = format!("d{i}");
            d.patron = if (i % 2 == 0) == us_first { "us".into() } else { "iran".into() };
        }
        match solve_model_with(&model, &SolveOptions { backend: LpBackend::Vertex, ..Default::default() }) {
            Ok(s) => {
                let c = s.ceasefire.unwrap();
                prop_assert!((0.0..=1.0 + 1e-12).contains(&c.optimal.p_hold));
                prop_assert!(c.optimal.p_regional_war <= 1.0 - c.optimal.p_hold + 1e-12);
                prop_assert!(!s.patron_game.unwrap().equilibria.is_empty());
            }
            Err(e) => prop_assert!(e.to_string().contains("exceeds breaks_ceasefire"), "{}", e),
        }
    }
}

#[test]
fn invalid_models_are_errors_not_panics() {
    let mut m: Model = spec_model(SpecScenario::War);
    m.chain.tension_multiplier = 0.5;
    assert!(solve_model(&m)
        .unwrap_err()
        .to_string()
        .contains("tension_multiplier"));
    let mut m = spec_model(SpecScenario::War);
    m.dyads[0].params.dependence = f64::INFINITY;
    assert!(solve_model(&m).is_err());
    let mut m = spec_model(SpecScenario::War);
    m.dyads[0].status_quo = Some([0.0, 2.0, 0.0]);
    assert!(solve_model(&m).is_err());
    let mut m = spec_model(SpecScenario::War);
    m.patron_game.ceasefire_value.pop();
    assert!(solve_model(&m)
        .unwrap_err()
        .to_string()
        .contains("exactly two patrons"));
}
