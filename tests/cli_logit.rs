//! `patron solve --method logit` on the command line: game trees at a λ, the branch as CSV,
//! `--estimate` on tables and trees with its data file's errors, and `--max-seconds`.

use crate::common;

use common::cli::{json, patron};

use serde_json::Value;
use std::path::PathBuf;

fn num(v: &Value) -> f64 {
    v.as_str()
        .map(|s| s.parse().unwrap())
        .or_else(|| v.as_f64())
        .unwrap()
}

/// A data file in a fresh temporary folder.
fn data_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("patron-cli-logit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn stored(dir: &std::path::Path, name: &str) -> Value {
    let text = std::fs::read_to_string(dir.join("expected-approx").join(format!("{name}.json")));
    serde_json::from_str(&text.unwrap()).unwrap()
}

#[test]
fn tree_logit_json_is_pygambits_profile_with_its_certificate() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let game = dir.join("e04.efg");
    let v = json(&[
        "solve",
        game.to_str().unwrap(),
        "--method",
        "logit",
        "--lambda",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(v["method"], "logit");
    assert_eq!(v["lambda"], 2.0);
    assert_eq!(v["complete"], true);
    assert_eq!(
        v["game"]["infosets"][1][0]["actions"],
        serde_json::json!(["R", "L"])
    );
    let want = &stored(&dir, "e04.efg")["solvers"]["logit_behaviour"]["qre"][2];
    assert_eq!(want["lam_requested"], 2.0);
    for p in 0..2 {
        let got = v["behaviour"][p][0].as_array().unwrap();
        let exp = want["profile"][p][0].as_array().unwrap();
        assert_eq!(got.len(), exp.len());
        for (g, e) in got.iter().zip(exp) {
            assert!((num(g) - num(e)).abs() < 1e-6, "{g} vs {e}");
        }
    }
    assert!(num(&v["residual"]) <= num(&v["residual_bound"]));
    assert!(
        num(&v["agent_regret"]) > 0.0,
        "a QRE at λ = 2 is no equilibrium"
    );
}

#[test]
fn tree_branch_csv_has_one_column_per_action() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let csv = data_file("branch.csv", "");
    patron()
        .args([
            "solve",
            dir.join("e04.efg").to_str().unwrap(),
            "--method",
            "logit",
        ])
        .args(["--to-lambda", "3", "--path", csv.to_str().unwrap()])
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("lambda,") && header.contains("Player 2:(2,1):L"),
        "{header}"
    );
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
        .collect();
    assert_eq!(
        rows[0],
        vec![0.0, 1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0, 0.5, 0.5]
    );
    assert!((rows.last().unwrap()[0] - 3.0).abs() < 1e-12);
    for r in &rows {
        assert!((r[1] + r[2] + r[3] - 1.0).abs() < 1e-12 && (r[4] + r[5] - 1.0).abs() < 1e-12);
    }
}

#[test]
fn estimate_on_a_table_recovers_pygambits_fit() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let block = &stored(&dir, "2x2.nfg")["solvers"]["logit_estimate"];
    let data = data_file(
        "2x2.json",
        &format!(
            "{{\"cite\": \"pygambit 16.7, expected-approx/2x2.nfg.json\",\n \"counts\": {}}}\n",
            block["counts"]
        ),
    );
    let v = json(&[
        "solve",
        dir.join("2x2.nfg").to_str().unwrap(),
        "--method",
        "logit",
        "--estimate",
        data.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let lambda = v["estimate"]["lambda"].as_f64().unwrap();
    assert!(
        (lambda - block["lam"].as_f64().unwrap()).abs() < 1e-4,
        "{lambda}"
    );
    assert_eq!(v["lambda"].as_f64().unwrap(), lambda);
    assert_eq!(v["estimate"]["still_rising"], false);
    // Within 1e-9 relative: pygambit's fitted profile sums to 1 + 6e-10 for player 1 here, which
    // lifts its reported log-likelihood by about 200 × 6e-10 above the true maximum.
    let like = block["log_like"].as_f64().unwrap();
    assert!(v["estimate"]["log_likelihood"].as_f64().unwrap() >= like - 1e-9 * like.abs());
    assert!(num(&v["residual"]) <= num(&v["residual_bound"]));
}

#[test]
fn estimate_data_errors_name_the_file_line_and_field() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let game = dir.join("e04.efg");
    for (name, text, expected) in [
        (
            "shape.json",
            "{\"cite\": \"x\",\n \"counts\": [[[1, 2, 3]], [[4, 5, 6]]]}",
            "shape.json:2: counts[1][0]: 3 counts for 2 choices",
        ),
        (
            "nocite.json",
            "{\"counts\": [[[1, 2, 3]], [[4, 5]]]}",
            "nocite.json:1: cite: observed counts need a source",
        ),
        (
            "syntax.json",
            "{\"cite\": \"x\",\n \"counts\": [[[1, 2, 3]], [[4, 5]]],\n}",
            "syntax.json:3:1: trailing comma",
        ),
        (
            "negative.json",
            "{\"cite\": \"x\",\n \"counts\": [[[1, -2, 3]], [[4, 5]]]}",
            "negative.json:2: counts[0][0][1]: a count must be a number ≥ 0, not -2",
        ),
        (
            "empty.json",
            "{\"cite\": \"x\",\n \"counts\": [[[0, 0, 0]], [[0, 0]]]}",
            "no observations",
        ),
    ] {
        let path = data_file(name, text);
        let out = patron()
            .args([
                "solve",
                game.to_str().unwrap(),
                "--method",
                "logit",
                "--estimate",
            ])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{name}: {err}");
    }
}

#[test]
fn max_seconds_stops_the_trace_and_says_so() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    for game in ["e04.efg", "e04.nfg"] {
        let v = json(&[
            "solve",
            dir.join(game).to_str().unwrap(),
            "--method",
            "logit",
            "--lambda",
            "1e6",
            "--max-seconds",
            "0.000001",
            "--format",
            "json",
        ]);
        assert_eq!(v["complete"], false, "{game}");
        assert!(v["lambda"].as_f64().unwrap() < 1e6);
        assert!(num(&v["residual"]) <= num(&v["residual_bound"]));
        let csv = data_file(&format!("{game}.csv"), "");
        let out = patron()
            .args([
                "solve",
                dir.join(game).to_str().unwrap(),
                "--method",
                "logit",
            ])
            .args(["--to-lambda", "1e6", "--max-seconds", "0.000001", "--path"])
            .arg(&csv)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && said.contains("incomplete"),
            "{game}: {said}"
        );
        let rows = std::fs::read_to_string(&csv).unwrap().lines().count();
        assert!(rows >= 2, "{game}: the header and at least the centroid");
    }
}
