//! The command line as a user meets it: exit codes, one-line errors, the documented JSON.

use crate::common;

use common::cli::{json, patron};
use predicates::prelude::*;
use serde_json::Value;

#[test]
fn strategic_json_follows_the_documented_schema() {
    // Chicken's mixed equilibrium: each plays C with probability 2/3 (indifference: 6p + 2(1-p) = 7p).
    let v = json(&[
        "solve",
        "tests/data/games/chicken.nfg",
        "--method",
        "enummixed",
        "--format",
        "json",
    ]);
    assert_eq!(v["method"], "enummixed");
    assert_eq!(v["game"]["strategies"][0], serde_json::json!(["C", "D"]));
    let profiles: Vec<&Value> = v["equilibria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["profile"])
        .collect();
    assert_eq!(profiles.len(), 3);
    assert!(profiles.contains(&&serde_json::json!([["2/3", "1/3"], ["2/3", "1/3"]])));
    assert!(v["equilibria"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["regret"] == "0"));
}

#[test]
fn malformed_games_give_file_line_col_and_exit_2() {
    let dir = std::env::temp_dir().join(format!("patron-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.nfg");
    std::fs::write(&bad, "NFG 1 R \"x\" { \"a\" \"b\" } { 2 2 }\n1 2 3\n").unwrap();
    patron()
        .args(["solve", bad.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("bad.nfg:3:1:")
                .and(predicate::str::contains("panicked").not()),
        );
    patron()
        .args(["solve", "no/such/file.nfg"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/file.nfg"));
    patron()
        .args(["solve", "tests/data/games/chicken.nfg", "--method", "nope"])
        .assert()
        .code(2);
}

#[test]
fn correlated_equilibrium_of_chicken_beats_nash() {
    // Aumann's example: 1/2 on (C,C), 1/4 on each of (C,D), (D,C); welfare 21/2 > any Nash welfare (≤ 9).
    let v = json(&[
        "solve",
        "tests/data/games/chicken.nfg",
        "--method",
        "correlated",
        "--format",
        "json",
    ]);
    assert_eq!(v["objective"], "21/2");
    assert_eq!(v["regret"], "0");
    let mass: Vec<(Value, Value)> = v["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["profile"].clone(), d["probability"].clone()))
        .collect();
    assert!(mass.contains(&(serde_json::json!(["C", "C"]), serde_json::json!("1/2"))));
    assert!(mass.contains(&(serde_json::json!(["D", "C"]), serde_json::json!("1/4"))));
}

#[test]
fn stackelberg_commitment_from_the_command_line() {
    // Conitzer & Sandholm's example: committing to (1/2, 1/2) makes Right a best response; value 7/2.
    let v = json(&[
        "solve",
        "tests/data/games/commitment.nfg",
        "--method",
        "stackelberg",
        "--format",
        "json",
    ]);
    assert_eq!(v["commitment"], serde_json::json!(["1/2", "1/2"]));
    assert_eq!(v["leader_value"], "7/2");
    assert_eq!(v["responses"], serde_json::json!(["Right"]));
}

#[test]
fn logit_at_lambda_zero_is_the_centroid() {
    let v = json(&[
        "solve",
        "tests/data/games/chicken.nfg",
        "--method",
        "logit",
        "--lambda",
        "0",
        "--format",
        "json",
    ]);
    for s in v["profile"].as_array().unwrap() {
        for p in s.as_array().unwrap() {
            let p: f64 = p.as_str().unwrap().parse().unwrap();
            assert!((p - 0.5).abs() < 1e-12);
        }
    }
}

#[test]
fn model_solve_prints_the_essays_case() {
    // The spec's reference numbers for the ceasefire scenario under optimal policies.
    let v = json(&[
        "solve",
        "models/gaza-2024.toml",
        "--scenario",
        "ceasefire",
        "--format",
        "json",
    ]);
    assert_eq!(v["scenario"], "ceasefire");
    let hold = v["ceasefire"]["optimal"]["p_hold"].as_f64().unwrap();
    assert!((hold - 0.0635).abs() < 5e-5, "{hold}");
    let weeks = v["ceasefire"]["unconditional"]["expected_weeks"]
        .as_f64()
        .unwrap();
    assert!((weeks - 2.171).abs() < 5e-4, "{weeks}");
    patron()
        .args(["solve", "models/gaza-2024.toml", "--scenario", "ceasefire"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "sanction after an incident with probability 0.514",
        ));
}

#[test]
fn model_set_out_of_range_is_refused() {
    patron()
        .args([
            "solve",
            "models/gaza-2024.toml",
            "--set",
            "dyads.us_israel.dependence=7",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("dyads.us_israel.dependence"));
    patron()
        .args([
            "solve",
            "models/gaza-2024.toml",
            "--set",
            "dyads.nobody.dependence=0.5",
        ])
        .assert()
        .code(2);
}

/// `--allow-outside-range` on `solve --set` gives what a model file whose declared range
/// includes the value gives without it (Hamas monitoring 0.9, outside [0.1, 0.5]).
#[test]
fn model_set_outside_the_range_is_allowed_on_request() {
    let set = ["--set", "dyads.iran_hamas.monitoring=0.9"];
    patron()
        .args(["solve", "models/gaza-2024.toml"])
        .args(set)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--allow-outside-range"));
    let allowed = json(&[
        "solve",
        "models/gaza-2024.toml",
        set[0],
        set[1],
        "--allow-outside-range",
        "--format",
        "json",
    ]);
    let text = std::fs::read_to_string("models/gaza-2024.toml").unwrap();
    let narrow = "monitoring = { value = 0.3, range = [0.1, 0.5],";
    assert_eq!(text.matches(narrow).count(), 1);
    let widened = text.replace(narrow, "monitoring = { value = 0.3, range = [0.1, 0.95],");
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("widened.toml");
    std::fs::write(&path, widened).unwrap();
    let edited = json(&[
        "solve",
        path.to_str().unwrap(),
        set[0],
        set[1],
        "--format",
        "json",
    ]);
    assert_eq!(allowed["ceasefire"], edited["ceasefire"]);
    assert_eq!(allowed["dyads"], edited["dyads"]);
    let default = json(&["solve", "models/gaza-2024.toml", "--format", "json"]);
    assert_ne!(
        allowed["dyads"], default["dyads"],
        "the value changed nothing"
    );
}

#[test]
fn help_teaches_with_examples() {
    patron()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"));
    patron()
        .args(["solve", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("enummixed").and(predicate::str::contains("--scenario")));
}
