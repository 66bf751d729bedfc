//! The truce likelihood against independent computations: S(t) written out from the spec's
//! layer-1 and layer-2 formulas, and a week-by-week Monte Carlo simulation of the chain.

use patron::calibrate::TruceSet;
use patron::calibrate::{load_truces, Outcome, PolicySet};
use patron::model::load_model;
use patron::model::{DyadParams, Model};
use patron::sweep::PointRng;
use std::path::Path;

fn bundled() -> (TruceSet, patron::calibrate::DataFit) {
    let spec = load_model(Path::new("models/gaza-2024.toml")).unwrap();
    let data = load_truces(Path::new("models/truces-2023-2025.toml"), &spec).unwrap();
    let set = TruceSet::new(&spec, &data).unwrap();
    let fit = set.fit(&set.scenarios).unwrap();
    (set, fit)
}

/// Weekly (break, incident, war) chances of each type under policy x, from the spec: the type's
/// best response maximises g_θ(a) − r(a) − s·Σ_ŷ O(ŷ|a)·x_ŷ with O = m·P + (1−m)/3 (ties to the
/// patron's favourite), and a client
/// playing a has b = β·P(major|a), i = P(incident|a) + (1−β)·P(major|a), v = ω(a)·P(major|a).
fn type_chances(p: &DyadParams, x: [f64; 3]) -> [[f64; 3]; 2] {
    let eps_bar = 1.0 - (1.0 - p.lethality).powf(p.attacks_per_week);
    let nu = p.spoiler_rate;
    let law = [
        [1.0 - nu, nu, 0.0],
        [0.0, 1.0 - eps_bar, eps_bar],
        [0.0, 0.0, 1.0],
    ];
    let sanction = |a: usize| -> f64 {
        (0..3)
            .map(|y| (p.monitoring * law[a][y] + (1.0 - p.monitoring) / 3.0) * x[y])
            .sum()
    };
    let gains = [
        [0.0, p.gain_aligned.k, p.gain_aligned.e],
        [0.0, p.gain_autonomous.k, p.gain_autonomous.e],
    ];
    let retaliation = [0.0, p.retaliation.k, p.retaliation.e];
    let omega = [0.0, p.war_risk.k, p.war_risk.e];
    [0, 1].map(|t| {
        let u: Vec<f64> = (0..3)
            .map(|a| gains[t][a] - retaliation[a] - p.dependence * sanction(a))
            .collect();
        // The spec's tie rule: among actions within 1e-9 of the best, the patron's favourite
        // w(a) − W·Pwar(a) − k·sanction(a), then the lowest in R < K < E.
        let top = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let patron = |a: usize| {
            [0.0, p.patron_value.k, p.patron_value.e][a]
                - p.war_cost * [0.0, eps_bar * p.war_risk.k, p.war_risk.e][a]
                - p.sanction_cost * sanction(a)
        };
        let mut best = None::<usize>;
        for a in (0..3).filter(|&a| u[a] >= top - 1e-9) {
            if best.is_none_or(|b| patron(a) > patron(b) + 1e-9) {
                best = Some(a);
            }
        }
        let best = best.unwrap();
        let major = law[best][2];
        let beta = p.breaks_ceasefire;
        [
            beta * major,
            law[best][1] + (1.0 - beta) * major,
            omega[best] * major,
        ]
    })
}

/// The status-quo policy of a dyad (unconditional when the file states none).
fn policy(model: &Model, d: usize, set: PolicySet) -> [f64; 3] {
    assert_eq!(
        set,
        PolicySet::StatusQuo,
        "the bundled data use the status quo"
    );
    model.dyads[d].status_quo.unwrap_or([0.0; 3])
}

/// S(0..=T) by the forward recursion over (Calm, Tension), type profile by type profile.
fn survival_by_hand(model: &Model, dyads: &[usize], set: PolicySet, weeks: usize) -> Vec<f64> {
    let c = &model.chain;
    let mu = c.tension_multiplier;
    let chances: Vec<[[f64; 3]; 2]> = dyads
        .iter()
        .map(|&d| type_chances(&model.dyads[d].params, policy(model, d, set)))
        .collect();
    let mut s = vec![0.0; weeks + 1];
    for profile in 0..1usize << dyads.len() {
        let mut weight = 1.0;
        let (mut hold_calm, mut hold_tension, mut quiet) = (
            1.0 - c.baseline_hazard,
            1.0 - (mu * c.baseline_hazard).min(1.0),
            1.0,
        );
        for (k, &d) in dyads.iter().enumerate() {
            let t = (profile >> k) & 1;
            let pi = model.dyads[d].params.prior_autonomous;
            weight *= if t == 1 { pi } else { 1.0 - pi };
            let [b, i, _] = chances[k][t];
            hold_calm *= 1.0 - b;
            hold_tension *= 1.0 - (mu * b).min(1.0);
            quiet *= 1.0 - i;
        }
        let (mut calm, mut tension) = (1.0, 0.0);
        for st in s.iter_mut() {
            *st += weight * (calm + tension);
            let next_calm = calm * hold_calm * quiet + tension * hold_tension * c.recovery;
            let next_tension =
                calm * hold_calm * (1.0 - quiet) + tension * hold_tension * (1.0 - c.recovery);
            (calm, tension) = (next_calm, next_tension);
        }
    }
    s
}

#[test]
fn survival_equals_the_layer_two_formulas_written_out() {
    let (set, fit) = bundled();
    for (p, f) in set.truces.iter().zip(&fit.truces) {
        let model = &set.scenarios[p.scenario];
        let by_hand = survival_by_hand(model, &p.dyads, p.truce.policies, p.truce.weeks as usize);
        assert_eq!(by_hand.len(), f.survival.len());
        for (t, (a, b)) in by_hand.iter().zip(&f.survival).enumerate() {
            assert!((a - b).abs() < 1e-9, "{} week {t}: {a} by hand, {b}", f.id);
        }
        let w = p.truce.weeks as usize;
        let ll = match p.truce.outcome {
            Outcome::Broke => (by_hand[w - 1] - by_hand[w]).ln(),
            Outcome::Held => by_hand[w].ln(),
        };
        assert!((ll - f.log_likelihood).abs() < 1e-9, "{}", f.id);
    }
    let total: f64 = fit.truces.iter().map(|t| t.log_likelihood).sum();
    assert!((total - fit.log_likelihood).abs() < 1e-12);
}

/// Simulate the chain week by week: draw the types once, then each week every client breaks
/// independently (b in Calm, min(1, μb) in Tension, and the baseline h₀ likewise); if nothing
/// broke, Calm turns tense if any client has an incident, Tension calms with chance ρ.
fn simulate_outcome(
    model: &Model,
    dyads: &[usize],
    set: PolicySet,
    weeks: u32,
    rng: &mut PointRng,
) -> u32 {
    let c = &model.chain;
    let mu = c.tension_multiplier;
    let types: Vec<[f64; 3]> = dyads
        .iter()
        .map(|&d| {
            let chances = type_chances(&model.dyads[d].params, policy(model, d, set));
            let autonomous = rng.unit() < model.dyads[d].params.prior_autonomous;
            chances[usize::from(autonomous)]
        })
        .collect();
    let mut tense = false;
    for week in 1..=weeks {
        let scale = |p: f64| if tense { (mu * p).min(1.0) } else { p };
        let mut broke = rng.unit() < scale(c.baseline_hazard);
        for [b, _, _] in &types {
            broke |= rng.unit() < scale(*b);
        }
        if broke {
            return week;
        }
        if tense {
            tense = rng.unit() >= c.recovery;
        } else {
            tense = types.iter().any(|[_, i, _]| rng.unit() < *i);
        }
    }
    weeks + 1
}

#[test]
fn likelihood_agrees_with_a_week_by_week_simulation() {
    let (set, fit) = bundled();
    let n = 40_000u64;
    for (k, (p, f)) in set.truces.iter().zip(&fit.truces).enumerate() {
        let model = &set.scenarios[p.scenario];
        let weeks = p.truce.weeks;
        let mut hits = 0u64;
        for run in 0..n {
            let mut rng = PointRng::new(13 + k as u64, run);
            let broke_in = simulate_outcome(model, &p.dyads, p.truce.policies, weeks, &mut rng);
            let hit = match p.truce.outcome {
                Outcome::Broke => broke_in == weeks,
                Outcome::Held => broke_in > weeks,
            };
            hits += u64::from(hit);
        }
        let estimate = hits as f64 / n as f64;
        let prob = f.log_likelihood.exp();
        let se = (prob * (1.0 - prob) / n as f64).sqrt();
        assert!(
            (estimate - prob).abs() < 3.0 * se,
            "{}: simulated {estimate}, chain {prob} (se {se})",
            f.id
        );
    }
}

#[test]
fn bundled_data_weeks_follow_the_convention() {
    // Breaks: 2023-11-24 → 12-01 is day 7, week 1; 2025-01-19 → 03-18 is day 58, week ⌈58/7⌉ = 9.
    // Held: 2024-11-27 → 2026-01-01 is day 400, 57 weeks; 2025-06-24 → 12-31 is day 190, 27 weeks;
    // 2025-10-10 → 2026-01-29 is day 111, 15 weeks.
    let (_, fit) = bundled();
    let weeks: Vec<(&str, &str, u32)> = fit
        .truces
        .iter()
        .map(|t| (t.id.as_str(), t.outcome, t.weeks))
        .collect();
    assert_eq!(
        weeks,
        vec![
            ("gaza-2023-11", "broke", 1),
            ("lebanon-2024-11", "held", 57),
            ("gaza-2025-01", "broke", 9),
            ("iran-2025-06", "held", 27),
            ("gaza-2025-10", "held", 15),
        ]
    );
}
