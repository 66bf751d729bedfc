//! Model files (spec `docs/spec.md`, layer 4): the bundled gaza-2024 model against the
//! spec's default table, scenarios and `--set`, parameter paths, provenance against the essay's own
//! text, one bad file per validation rule (exact line and key), and no panics on mangled input.

use patron::model::ParamPath;
use patron::model::{load_model, parse_model, ModelSpec};
use patron::model::{Behaviour, Model};
use patron::Error;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn crate_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn gaza() -> ModelSpec {
    load_model(&crate_path("models/gaza-2024.toml")).expect("gaza-2024.toml loads")
}

const DYADS: [&str; 5] = [
    "iran_hezbollah",
    "iran_hamas",
    "iran_houthis",
    "iran_kataib_hezbollah",
    "us_israel",
];

/// The twenty dyad parameter names, as the task lists them.
const DYAD_NAMES: [&str; 20] = [
    "prior_autonomous",
    "dependence",
    "monitoring",
    "lethality",
    "attacks_per_week",
    "spoiler_rate",
    "credibility",
    "sanction_cost",
    "war_cost",
    "breaks_ceasefire",
    "gain.aligned.K",
    "gain.aligned.E",
    "gain.autonomous.K",
    "gain.autonomous.E",
    "retaliation.K",
    "retaliation.E",
    "patron_value.K",
    "patron_value.E",
    "war_risk.K",
    "war_risk.E",
];

/// The spec's default table (war scenario), transcribed row by row; columns are DYADS.
const SPEC_TABLE: [(&str, [f64; 5]); 20] = [
    ("prior_autonomous", [0.2, 0.8, 0.7, 0.3, 0.75]),
    ("dependence", [0.9, 0.4, 0.3, 0.7, 0.6]),
    ("monitoring", [0.8, 0.3, 0.5, 0.6, 0.9]),
    ("lethality", [0.01, 0.03, 0.02, 0.006, 0.02]),
    ("attacks_per_week", [5.0, 2.0, 3.0, 11.0, 2.0]),
    ("spoiler_rate", [0.02, 0.05, 0.05, 0.03, 0.02]),
    ("credibility", [0.9, 0.5, 0.7, 0.9, 0.6]),
    ("gain.aligned.K", [0.2, 0.2, 0.2, 0.15, 0.2]),
    ("gain.aligned.E", [0.1, 0.1, 0.05, 0.05, 0.1]),
    ("gain.autonomous.K", [0.4, 0.3, 0.5, 0.3, 0.3]),
    ("gain.autonomous.E", [0.6, 0.85, 0.4, 0.4, 0.6]),
    ("retaliation.K", [0.05, 0.1, 0.1, 0.05, 0.05]),
    ("retaliation.E", [0.5, 0.6, 0.5, 0.4, 0.15]),
    ("patron_value.K", [0.3, 0.3, 0.3, 0.25, -0.1]),
    ("patron_value.E", [-0.2, -0.3, -0.3, -0.2, -0.4]),
    ("sanction_cost", [0.3, 0.5, 0.2, 0.15, 0.3]),
    ("war_cost", [1.0, 1.0, 1.0, 1.0, 1.0]),
    ("war_risk.K", [0.3, 0.1, 0.1, 0.1, 0.05]),
    ("war_risk.E", [0.5, 0.2, 0.3, 0.3, 0.15]),
    ("breaks_ceasefire", [0.8, 0.5, 0.3, 0.3, 0.5]),
];

/// The spec's chain and patron-game defaults.
const SPEC_GLOBALS: [(&str, f64); 6] = [
    ("chain.horizon_weeks", 26.0),
    ("chain.baseline_hazard", 0.02),
    ("chain.tension_multiplier", 2.0),
    ("chain.recovery", 0.5),
    ("patron_game.ceasefire_value.us", 1.0),
    ("patron_game.ceasefire_value.iran", 0.6),
];

/// The spec's ceasefire overrides: (dyad, patron_value.K, gain.aligned.K).
const CEASEFIRE: [(&str, f64, f64); 5] = [
    ("iran_hezbollah", -0.2, 0.05),
    ("iran_hamas", -0.2, 0.05),
    ("iran_houthis", -0.2, 0.05),
    ("iran_kataib_hezbollah", -0.2, 0.05),
    ("us_israel", -0.3, 0.05),
];

fn get(m: &Model, path: &str) -> f64 {
    m.get(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn war_scenario_is_the_spec_table() {
    let spec = gaza();
    let war = spec.instantiate(Some("war"), &[]).unwrap();
    assert_eq!(war.scenario, "war");
    for (name, row) in SPEC_TABLE {
        for (dyad, want) in DYADS.iter().zip(row) {
            assert_eq!(
                get(&war, &format!("dyads.{dyad}.{name}")),
                want,
                "dyads.{dyad}.{name}"
            );
        }
    }
    for (path, want) in SPEC_GLOBALS {
        assert_eq!(get(&war, path), want, "{path}");
    }
    assert_eq!(war.chain.horizon_weeks, 26);
    // War is the base values, and the file's default scenario.
    assert_eq!(spec.default_scenario(), Some("war"));
    assert_eq!(spec.instantiate(None, &[]).unwrap(), war);
    let names: Vec<&str> = war.dyads.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, DYADS);
    let patrons: Vec<&str> = war
        .patron_game
        .ceasefire_value
        .iter()
        .map(|(p, _)| p.as_str())
        .collect();
    assert_eq!(patrons, ["us", "iran"], "row player first");
    let patron_of: Vec<&str> = war.dyads.iter().map(|d| d.patron.as_str()).collect();
    assert_eq!(patron_of, ["iran", "iran", "iran", "iran", "us"]);
    assert!(war
        .dyads
        .iter()
        .all(|d| d.behaviour == Behaviour::BestResponse));
}

#[test]
fn ceasefire_overrides_only_what_the_spec_says() {
    let spec = gaza();
    let war = spec.instantiate(Some("war"), &[]).unwrap();
    let cf = spec.instantiate(Some("ceasefire"), &[]).unwrap();
    let mut changed = Vec::new();
    for (dyad, w_k, g_k) in CEASEFIRE {
        assert_eq!(get(&cf, &format!("dyads.{dyad}.patron_value.K")), w_k);
        assert_eq!(get(&cf, &format!("dyads.{dyad}.gain.aligned.K")), g_k);
        changed.push(format!("dyads.{dyad}.patron_value.K"));
        changed.push(format!("dyads.{dyad}.gain.aligned.K"));
    }
    for p in spec.params() {
        if !changed.contains(&p.path) {
            assert_eq!(
                get(&cf, &p.path),
                get(&war, &p.path),
                "{} must keep its war value",
                p.path
            );
        }
    }
    let listed = spec.params_in(Some("ceasefire")).unwrap();
    let overridden: Vec<&str> = listed
        .iter()
        .filter(|p| p.scenario.as_deref() == Some("ceasefire"))
        .map(|p| p.path.as_str())
        .collect();
    assert_eq!(overridden.len(), 10);
    assert!(overridden.iter().all(|p| changed.iter().any(|c| c == p)));
}

#[test]
fn set_applies_after_the_scenario_and_is_checked() {
    let spec = gaza();
    let sets = vec![
        ("dyads.iran_hamas.patron_value.K".to_string(), 0.1),
        ("chain.horizon_weeks".to_string(), 40.0),
    ];
    let m = spec.instantiate(Some("ceasefire"), &sets).unwrap();
    assert_eq!(
        get(&m, "dyads.iran_hamas.patron_value.K"),
        0.1,
        "--set wins over the scenario"
    );
    assert_eq!(
        get(&m, "dyads.iran_hamas.gain.aligned.K"),
        0.05,
        "other overrides stay"
    );
    assert_eq!(m.chain.horizon_weeks, 40);

    let usage = |scenario: Option<&str>, path: &str, v: f64| match spec
        .instantiate(scenario, &[(path.to_string(), v)])
    {
        Err(Error::Usage(msg)) => msg,
        other => panic!("{path}={v}: expected a usage error, got {other:?}"),
    };
    // Outside the file's range [0.1, 0.5] for Hamas monitoring.
    assert!(usage(None, "dyads.iran_hamas.monitoring", 0.9)
        .contains("outside the parameter's range [0.1, 0.5]"));
    // In range (horizon [13, 52]) but not a whole number of weeks.
    assert!(usage(None, "chain.horizon_weeks", 26.5).contains("whole number"));
    // Hamas ω_E's range ends where β's begins (0.35): both at that edge is ω = β, allowed.
    let ok = vec![
        ("dyads.iran_hamas.war_risk.E".to_string(), 0.35),
        ("dyads.iran_hamas.breaks_ceasefire".to_string(), 0.35),
    ];
    assert!(spec.instantiate(None, &ok).is_ok());
    assert!(usage(None, "dyads.iran_hamas.gain.aligned.k", 0.1)
        .contains("did you mean `gain.aligned.K`"));
    assert!(usage(None, "dyads.iran_hamaz.monitoring", 0.3).contains("unknown dyad `iran_hamaz`"));
    match spec.instantiate(Some("peace"), &[]) {
        Err(Error::Usage(msg)) => {
            assert!(msg.contains("unknown scenario `peace`") && msg.contains("war, ceasefire"))
        }
        other => panic!("expected unknown scenario, got {other:?}"),
    }
}

#[test]
fn set_that_breaks_a_relation_is_rejected() {
    // A model whose ranges let ω exceed β, so the relation check (not the range) must catch it.
    let text = tiny();
    let spec = parse_model(&text, "tiny.toml").unwrap();
    let sets = vec![
        ("dyads.d.breaks_ceasefire".to_string(), 0.2),
        ("dyads.d.war_risk.E".to_string(), 0.3),
    ];
    match spec.instantiate(None, &sets) {
        Err(Error::Usage(msg)) => assert!(
            msg.contains("dyads.d.war_risk.E") && msg.contains("ω ≤ β"),
            "{msg}"
        ),
        other => panic!("expected ω > β to be rejected, got {other:?}"),
    }
}

#[test]
fn every_path_round_trips_and_touches_only_itself() {
    let spec = gaza();
    let base = spec.base().clone();
    let mut want: Vec<String> = DYADS
        .iter()
        .flat_map(|d| DYAD_NAMES.iter().map(move |n| format!("dyads.{d}.{n}")))
        .collect();
    want.extend(SPEC_GLOBALS.iter().map(|(p, _)| p.to_string()));
    let have: Vec<String> = spec.params().iter().map(|p| p.path.clone()).collect();
    assert_eq!(have.len(), 106);
    let (mut a, mut b) = (want.clone(), have.clone());
    a.sort();
    b.sort();
    assert_eq!(a, b, "exactly the task's parameter paths");

    for p in spec.params() {
        let [lo, hi] = p.range;
        let target = if p.value == lo { hi } else { lo };
        let mut m = base.clone();
        m.set(&p.path, target).unwrap();
        assert_eq!(m.get(&p.path).unwrap(), target, "{}", p.path);
        for other in spec.params().iter().filter(|o| o.path != p.path) {
            assert_eq!(
                get(&m, &other.path),
                get(&base, &other.path),
                "setting {} changed {}",
                p.path,
                other.path
            );
        }
        // The pre-resolved handle does the same.
        let mut h = base.clone();
        let handle = ParamPath::parse(&h, &p.path).unwrap();
        handle.apply(&mut h, target).unwrap();
        assert_eq!(h, m, "{}", p.path);
        assert_eq!(handle.name(&h), p.path);
    }
    let mut m = base.clone();
    assert!(m.set("chain.horizon_weeks", 0.0).is_err());
    assert!(m.set("dyads.iran_hamas.monitoring", f64::NAN).is_err());
    assert!(m.set("chain.tension_multiplier", 0.99).is_err());
    assert!(m.get("patron_game.ceasefire_value.russia").is_err());
    assert_eq!(m, base, "failed sets leave the model unchanged");
}

#[test]
fn listed_lines_point_at_the_parameters() {
    let spec = gaza();
    let text = std::fs::read_to_string(crate_path("models/gaza-2024.toml")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for p in spec.params() {
        let last = if p.path.starts_with("dyads.") {
            p.path.splitn(3, '.').nth(2).unwrap()
        } else {
            p.path.split_once('.').unwrap().1
        };
        let line = lines[p.line - 1];
        assert!(
            line.starts_with(&format!("{last} = {{")),
            "{} at line {}: {line}",
            p.path,
            p.line
        );
    }
}

/// The ranges are for Monte Carlo: any draw must keep ω ≤ β and the status quo under φ.
#[test]
fn gaza_ranges_keep_every_draw_valid() {
    let spec = gaza();
    let range = |path: String| spec.params().iter().find(|p| p.path == path).unwrap().range;
    for d in &spec.base().dyads {
        let beta_lo = range(format!("dyads.{}.breaks_ceasefire", d.name))[0];
        for a in ["K", "E"] {
            assert!(
                range(format!("dyads.{}.war_risk.{a}", d.name))[1] <= beta_lo,
                "{} ω_{a}",
                d.name
            );
        }
        if let Some(sq) = d.status_quo {
            let phi_lo = range(format!("dyads.{}.credibility", d.name))[0];
            assert!(
                sq.iter().all(|&x| (0.0..=phi_lo).contains(&x)),
                "{} status quo",
                d.name
            );
        }
    }
    let with_sq: Vec<&str> = spec
        .base()
        .dyads
        .iter()
        .filter(|d| d.status_quo.is_some())
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(with_sq, ["iran_kataib_hezbollah", "us_israel"]);
}

/// The essay, from `$PATRON_SHARED/seed/` (default `../shared`); missing it fails unless
/// `PATRON_ALLOW_NO_CORPUS=1`.
fn essay() -> Option<String> {
    let shared = std::env::var_os("PATRON_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_path("../shared"));
    let path = shared.join("seed/patrons-dilemma.txt");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) if std::env::var_os("PATRON_ALLOW_NO_CORPUS").is_some() => {
            eprintln!(
                "*** essay provenance check NOT RUN: {} not found ***",
                path.display()
            );
            None
        }
        Err(e) => panic!(
            "essay provenance check NOT RUN: cannot read {} ({e}); set PATRON_SHARED to the shared \
             folder, or PATRON_ALLOW_NO_CORPUS=1 to skip it knowingly",
            path.display()
        ),
    }
}

/// Every `source` / `status_quo_source` string anywhere in a TOML value, read independently of
/// the model loader.
fn collect_sources(v: &toml::Value, out: &mut Vec<String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                match v {
                    toml::Value::String(s) if k == "source" || k == "status_quo_source" => {
                        out.push(s.clone())
                    }
                    _ => collect_sources(v, out),
                }
            }
        }
        toml::Value::Array(items) => items.iter().for_each(|i| collect_sources(i, out)),
        _ => {}
    }
}

#[test]
fn quotes_are_verbatim_from_the_essay() {
    let Some(essay) = essay() else { return };
    let text = std::fs::read_to_string(crate_path("models/gaza-2024.toml")).unwrap();
    let doc: toml::Value = toml::from_str(&text).unwrap();
    let mut sources = Vec::new();
    collect_sources(&doc, &mut sources);
    assert_eq!(
        sources.len(),
        106 + 2 + 1,
        "every parameter, both status quos and the ceasefire scenario"
    );
    let mut quotes = Vec::new();
    for s in &sources {
        if let Some(q) = s.strip_prefix("quote: ") {
            assert!(essay.contains(q), "not verbatim in the essay: {q}");
            quotes.push(q);
        } else if let Some(c) = s.strip_prefix("cite: ") {
            assert!(!c.trim().is_empty());
        } else {
            assert_eq!(
                s, "assumption",
                "a source is a quote, a citation or \"assumption\""
            );
        }
    }
    // The passages the spec says the numbers lean on (its last paragraph) are all quoted.
    for phrase in [
        "is unlikely to carry out a full-scale attack on Israel without Iranian approval",
        "failed to seek approval",
        "an even looser relationship",
        "flatly ignored Iran’s strategic guidance",
        "careful not to kill U.S. sailors",
        "may have been due to a miscalculation",
        "has continually defied U.S. demands",
        "heavily dependent on American weapons",
        "little choice",
        "must not disrupt",
    ] {
        assert!(
            quotes.iter().any(|q| q.contains(phrase)),
            "no source quotes “{phrase}”"
        );
    }
}

/// The template every bad model is one edit away from.
fn tiny() -> String {
    let text = std::fs::read_to_string(crate_path("tests/data/bad_models/missing_parameter.toml"))
        .unwrap();
    // missing_parameter.toml is the template without its `monitoring` line: put it back.
    text.replacen(
        "spoiler_rate",
        "monitoring = { value = 0.5, range = [0, 1], source = \"assumption\" }\nspoiler_rate",
        1,
    )
}

#[test]
fn the_bad_models_template_is_valid() {
    let spec = parse_model(&tiny(), "tiny.toml").unwrap();
    let m = spec.instantiate(None, &[]).unwrap();
    assert_eq!(m.scenario, "base");
    assert_eq!(get(&m, "dyads.d.monitoring"), 0.5);
    assert_eq!(spec.params().len(), 20 + 4 + 1);
    // Optional keys: a status quo with its source, and logit behaviour with its precision.
    let extended = tiny().replacen(
        "client = \"C\"\n",
        "client = \"C\"\nstatus_quo = { quiet = 0, incident = 0.1, major = 0.4 }\nstatus_quo_source = \"cite: x\"\n\
         behaviour = \"logit\"\nlambda = 8\n",
        1,
    );
    let m = parse_model(&extended, "tiny.toml")
        .unwrap()
        .instantiate(None, &[])
        .unwrap();
    assert_eq!(m.dyads[0].status_quo, Some([0.0, 0.1, 0.4]));
    assert_eq!(m.dyads[0].behaviour, Behaviour::Logit { lambda: 8.0 });
}

/// One file per validation rule: (file, line, key or `line:col` for syntax/type errors, message part).
const BAD: &[(&str, usize, &str, &str)] = &[
    (
        "bad_behaviour",
        9,
        "dyads.d.behaviour",
        "not \"best_response\" or \"logit\"",
    ),
    ("bad_name", 6, "dyads.d.x", "may only use letters"),
    ("bad_source", 11, "dyads.d.monitoring", "no recognised form"),
    ("empty_source", 11, "dyads.d.monitoring", "missing source"),
    (
        "horizon_fraction",
        31,
        "chain.horizon_weeks",
        "whole number",
    ),
    ("horizon_zero", 31, "chain.horizon_weeks", "whole number"),
    ("logit_without_lambda", 9, "dyads.d.lambda", "missing"),
    (
        "missing_ceasefire_value",
        37,
        "patron_game.ceasefire_value.q",
        "missing parameter",
    ),
    ("missing_client", 6, "dyads.d.client", "missing"),
    (
        "missing_parameter",
        6,
        "dyads.d.monitoring",
        "missing parameter",
    ),
    (
        "missing_source",
        11,
        "dyads.d.monitoring",
        "missing `source`",
    ),
    ("missing_table", 1, "chain", "missing table [chain]"),
    ("not_a_param_table", 11, "col 14", "expected { value"),
    (
        "not_finite",
        11,
        "dyads.d.monitoring",
        "`nan` is not a finite number",
    ),
    (
        "overflow",
        17,
        "dyads.d.war_cost",
        "`1e400` is not a finite number",
    ),
    ("override_breaks_constraint", 43, "scenarios.s", "ω ≤ β"),
    (
        "override_out_of_range",
        42,
        "scenarios.s.dyads.d.lethality",
        "outside the range [0, 0.1]",
    ),
    (
        "override_twice",
        43,
        "scenarios.s.dyads.d.monitoring",
        "set twice (also on line 42)",
    ),
    (
        "patron_without_ceasefire_value",
        7,
        "dyads.d.patron",
        "has no `patron_game.ceasefire_value.q`",
    ),
    (
        "probability_above_one",
        14,
        "dyads.d.spoiler_rate",
        "not a probability",
    ),
    (
        "probability_range",
        15,
        "dyads.d.credibility",
        "range bound -0.1 is not a probability",
    ),
    ("range_reversed", 11, "dyads.d.monitoring", "lo > hi"),
    ("range_shape", 11, "dyads.d.monitoring", "[lo, hi]"),
    (
        "scenario_without_source",
        39,
        "scenarios.s.source",
        "missing source",
    ),
    (
        "status_quo_above_credibility",
        9,
        "dyads.d.status_quo",
        "major = 0.8",
    ),
    (
        "status_quo_negative",
        9,
        "dyads.d.status_quo",
        "incident = -0.1",
    ),
    (
        "status_quo_without_source",
        9,
        "dyads.d.status_quo_source",
        "missing",
    ),
    ("syntax", 11, "col 51", "in array"),
    ("tension_below_one", 33, "chain.tension_multiplier", "≥ 1"),
    (
        "unknown_ceasefire_patron",
        38,
        "patron_game.ceasefire_value.q",
        "unknown patron",
    ),
    (
        "unknown_default_scenario",
        5,
        "model.default_scenario",
        "unknown scenario `peace`",
    ),
    (
        "unknown_dyad_key",
        19,
        "dyads.d.gain.aligned.k",
        "did you mean `gain.aligned.K`",
    ),
    (
        "unknown_override_dyad",
        42,
        "scenarios.s.dyads.e.monitoring",
        "unknown dyad `e`",
    ),
    (
        "unknown_override_param",
        42,
        "scenarios.s.dyads.d.monitor",
        "unknown dyad parameter `monitor`",
    ),
    (
        "unknown_param_field",
        11,
        "dyads.d.monitoring.note",
        "unknown key",
    ),
    ("unknown_table", 39, "extras", "unknown table"),
    (
        "value_out_of_range",
        11,
        "dyads.d.monitoring",
        "outside its range [0.1, 0.5]",
    ),
    ("war_risk_above_breaks", 28, "dyads.d.war_risk.E", "ω ≤ β"),
    (
        "wrong_type",
        11,
        "col 24",
        "expected a number, found string",
    ),
];

#[test]
fn each_bad_model_fails_at_its_line_and_key() {
    let dir = crate_path("tests/data/bad_models");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    let listed: Vec<String> = BAD.iter().map(|b| b.0.to_string()).collect();
    assert_eq!(
        files, listed,
        "every bad model has an expectation and vice versa"
    );
    for &(name, want_line, want_key, part) in BAD {
        let path = dir.join(format!("{name}.toml"));
        let err = load_model(&path)
            .err()
            .unwrap_or_else(|| panic!("{name}: accepted"));
        let text = err.to_string();
        assert!(
            text.starts_with(&path.display().to_string()),
            "{name}: {text}"
        );
        assert!(text.contains(part), "{name}: `{part}` not in: {text}");
        assert_eq!(text.lines().count(), 1, "{name}: one line");
        match err {
            Error::Invalid { line, key, .. } => {
                assert_eq!((line, key.as_str()), (want_line, want_key), "{name}")
            }
            Error::Parse { pos, .. } => {
                assert_eq!(
                    (pos.line, format!("col {}", pos.col)),
                    (want_line, want_key.to_string()),
                    "{name}"
                )
            }
            other => panic!("{name}: unexpected error kind {other:?}"),
        }
    }
}

#[test]
fn not_utf8_is_a_parse_error() {
    let dir = std::env::temp_dir().join(format!("patron-model-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("latin1.toml");
    std::fs::write(&path, b"[model]\nname = \"caf\xe9\"\n").unwrap();
    match load_model(&path) {
        Err(Error::Parse { pos, .. }) => assert_eq!((pos.line, pos.col), (2, 12)),
        other => panic!("expected a parse error, got {other:?}"),
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Load mangled text: never a panic; errors are one line; a model that loads instantiates every
/// scenario without panicking.
fn load_never_panics(text: &str) -> Result<(), TestCaseError> {
    match parse_model(text, "mangled.toml") {
        Err(e) => prop_assert_eq!(e.to_string().lines().count(), 1, "{}", e),
        Ok(spec) => {
            for s in spec.scenarios() {
                let _ = spec.instantiate(Some(&s.name), &[]);
            }
            let _ = spec.instantiate(None, &[("chain.horizon_weeks".to_string(), 13.0)]);
        }
    }
    Ok(())
}

/// Numbers a careless edit might leave in a model file.
const ODD_NUMBERS: [&str; 10] = [
    "-1", "0", "1e400", "nan", "-inf", "2", "0.5", "-0.0", "1e-300", "26.5",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// Random byte edits of the gaza file (mostly syntax errors).
    #[test]
    fn byte_edits_never_panic(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8)) {
        let mut bytes = std::fs::read(crate_path("models/gaza-2024.toml")).unwrap();
        for (at, byte, op) in edits {
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, byte),
            }
        }
        load_never_panics(&String::from_utf8_lossy(&bytes))?;
    }

    /// Line and number edits that keep the TOML well-formed (reaching the semantic checks).
    #[test]
    fn line_and_number_edits_never_panic(edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..ODD_NUMBERS.len(), 0u8..3), 1..6)) {
        let text = std::fs::read_to_string(crate_path("models/gaza-2024.toml")).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for (at, n, op) in edits {
            let i = at.index(lines.len());
            match op {
                0 => { lines.remove(i); }
                1 => lines.insert(i, lines[i].clone()),
                _ => {
                    // Replace the first number on the line.
                    if let Some(start) = lines[i].find(|c: char| c.is_ascii_digit()) {
                        let end = lines[i][start..].find(|c: char| !(c.is_ascii_digit() || c == '.')).map_or(lines[i].len(), |e| start + e);
                        lines[i].replace_range(start..end, ODD_NUMBERS[n]);
                    }
                }
            }
        }
        load_never_panics(&lines.join("\n"))?;
    }
}
