//! The calibration posterior against closed forms: with one dyad whose client always escalates,
//! μ = 1 and h₀ = 0, the weekly break chance is β and the truce data's likelihood is geometric,
//! L(β) = Π_broke (1−β)^{t−1} β · Π_held (1−β)^t, so the posterior mean of β under a uniform
//! prior on [lo, hi] is a ratio of two one-dimensional integrals.

use indicatif::ProgressBar;
use patron::calibrate::parse_truces;
use patron::calibrate::Calibration;
use patron::calibrate::TruceSet;
use patron::calibrate::{importance_sample, ImportanceConfig};
use patron::model::parse_model;

/// One dyad; both types escalate (E) whatever the policy (x = 0: no status quo), so a week
/// brings a major event for sure and breaks the truce with chance β; h₀ = 0, μ = 1.
fn one_dyad_model() -> String {
    let p = |name: &str, v: &str, range: &str| {
        format!("{name} = {{ value = {v}, range = {range}, source = \"assumption\" }}\n")
    };
    let mut dyad = String::from("[dyads.d]\npatron = \"p\"\nclient = \"C\"\n");
    for (name, v, range) in [
        ("prior_autonomous", "0.5", "[0.5, 0.5]"),
        ("dependence", "0.5", "[0.5, 0.5]"),
        ("monitoring", "0.5", "[0.5, 0.5]"),
        ("lethality", "0.01", "[0.01, 0.01]"),
        ("attacks_per_week", "1", "[1, 1]"),
        ("spoiler_rate", "0.0", "[0.0, 0.0]"),
        ("credibility", "0.5", "[0.5, 0.5]"),
        ("sanction_cost", "0.1", "[0.1, 0.1]"),
        ("war_cost", "1", "[1, 1]"),
        ("breaks_ceasefire", "0.3", "[0.05, 0.6]"),
        ("gain.aligned.K", "0.0", "[0.0, 0.0]"),
        ("gain.aligned.E", "1.0", "[1.0, 1.0]"),
        ("gain.autonomous.K", "0.0", "[0.0, 0.0]"),
        ("gain.autonomous.E", "1.0", "[1.0, 1.0]"),
        ("retaliation.K", "0.0", "[0.0, 0.0]"),
        ("retaliation.E", "0.1", "[0.1, 0.1]"),
        ("patron_value.K", "0.0", "[0.0, 0.0]"),
        ("patron_value.E", "-0.1", "[-0.1, -0.1]"),
        ("war_risk.K", "0.0", "[0.0, 0.0]"),
        ("war_risk.E", "0.0", "[0.0, 0.0]"),
    ] {
        dyad += &p(name, v, range);
    }
    format!(
        "[model]\nname = \"one\"\ndescription = \"one dyad\"\npatrons = [\"p\", \"q\"]\n\n{dyad}\n\
         [chain]\n{}{}{}{}\n[patron_game]\n{}{}\n[scenarios.calm]\ndescription = \"base values\"\n",
        p("horizon_weeks", "10", "[10, 10]"),
        p("baseline_hazard", "0.0", "[0.0, 0.0]"),
        p("tension_multiplier", "1", "[1, 1]"),
        p("recovery", "0.5", "[0.5, 0.5]"),
        p("ceasefire_value.p", "1", "[1, 1]"),
        p("ceasefire_value.q", "1", "[1, 1]"),
    )
}

/// Three truces: broke in week 3 (day 17), broke in week 1 (day 5), held 6 weeks (day 44).
const DATA: &str = r#"
[data]
description = "made up"

[[truce]]
id = "a"
name = "a"
scenario = "calm"
scenario_source = "assumption: test"
dyads = ["d"]
dyads_source = "assumption: test"
policies = "status_quo"
policies_source = "assumption: test"
start = 2020-01-01
start_source = "cite: test"
broke = 2020-01-18
broke_source = "cite: test"
outcome_source = "assumption: test"

[[truce]]
id = "b"
name = "b"
scenario = "calm"
scenario_source = "assumption: test"
dyads = ["d"]
dyads_source = "assumption: test"
policies = "status_quo"
policies_source = "assumption: test"
start = 2020-03-01
start_source = "cite: test"
broke = 2020-03-06
broke_source = "cite: test"
outcome_source = "assumption: test"

[[truce]]
id = "c"
name = "c"
scenario = "calm"
scenario_source = "assumption: test"
dyads = ["d"]
dyads_source = "assumption: test"
policies = "status_quo"
policies_source = "assumption: test"
start = 2020-06-01
start_source = "cite: test"
held_through = 2020-07-15
held_through_source = "cite: test"
outcome_source = "assumption: test"
"#;

fn calibration() -> Calibration {
    let spec = parse_model(&one_dyad_model(), "one.toml").unwrap();
    let data = parse_truces(DATA, "data.toml", &spec).unwrap();
    let set = TruceSet::new(&spec, &data).unwrap();
    Calibration::new(&spec, set, &["dyads.d.breaks_ceasefire".to_string()]).unwrap()
}

/// ln L(β): breaks in weeks 3 and 1, held through week 6.
fn geometric_log_likelihood(beta: f64) -> f64 {
    let q = (1.0 - beta).ln();
    (2.0 * q + beta.ln()) + beta.ln() + 6.0 * q
}

#[test]
fn the_likelihood_is_geometric() {
    let c = calibration();
    let weeks: Vec<u32> = c.set.truces.iter().map(|t| t.truce.weeks).collect();
    assert_eq!(weeks, vec![3, 1, 6]);
    for beta in [0.05, 0.2, 0.37, 0.6] {
        let got = c.log_likelihood(&[beta]);
        let want = geometric_log_likelihood(beta);
        assert!((got - want).abs() < 1e-12, "β = {beta}: {got} vs {want}");
    }
}

/// ∫ f over [lo, hi] by composite Simpson with n (even) intervals.
fn simpson(f: impl Fn(f64) -> f64, lo: f64, hi: f64, n: usize) -> f64 {
    let h = (hi - lo) / n as f64;
    let inner: f64 = (1..n)
        .map(|i| f(lo + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 })
        .sum();
    (f(lo) + f(hi) + inner) * h / 3.0
}

#[test]
fn the_importance_sampling_mean_equals_the_integrated_posterior_mean() {
    let c = calibration();
    let (lo, hi) = (0.05, 0.6);
    let l = |b: f64| geometric_log_likelihood(b).exp();
    let exact = simpson(|b| b * l(b), lo, hi, 20_000) / simpson(l, lo, hi, 20_000);
    let prior = c.prior().unwrap();
    let ll = |theta: &[f64]| c.log_likelihood(theta);
    let run = importance_sample(
        &prior,
        &ll,
        &ImportanceConfig {
            samples: 250_000,
            seed: 3,
        },
        &ProgressBar::hidden(),
    )
    .unwrap();
    let s = &run.sample;
    let mean: f64 = (0..s.len())
        .map(|i| s.log_weights()[i].exp() * s.point(i)[0])
        .sum();
    assert!(
        (mean - exact).abs() < 1e-3,
        "importance sampling {mean}, integrated {exact}"
    );
}
