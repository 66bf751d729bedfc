//! `patron solve --method simpdiv|liap` as a user meets it: the JSON, start files, option
//! errors, the time budget, and `liap --agent` on a tree. Expected answers are closed forms
//! (indifference by hand) or `enummixed`'s exact list.

use crate::common;

use common::cli::{json, patron};
use serde_json::Value;
use std::io::Write;

/// A file in the system's temporary folder, named for this process and `name`.
fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("patron-approx-{}-{name}", std::process::id()));
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    path
}

const CHICKEN: &str = "tests/data/games/chicken.nfg";

#[test]
fn simpdiv_answers_one_of_enummixeds_equilibria_exactly() {
    let ours = json(&["solve", CHICKEN, "--method", "simpdiv", "--format", "json"]);
    assert_eq!(ours["method"], "simpdiv");
    assert_eq!(ours["complete"], true);
    let eq = &ours["equilibria"].as_array().unwrap()[..];
    assert_eq!(eq.len(), 1);
    assert_eq!(eq[0]["exact"], true);
    assert_eq!(eq[0]["regret"], "0");
    let all = json(&[
        "solve",
        CHICKEN,
        "--method",
        "enummixed",
        "--format",
        "json",
    ]);
    let listed: Vec<&Value> = all["equilibria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["profile"])
        .collect();
    assert!(
        listed.contains(&&eq[0]["profile"]),
        "{} not in {listed:?}",
        eq[0]["profile"]
    );
}

#[test]
fn start_files_are_read_in_gambits_format() {
    // (D, C) is a pure equilibrium of chicken: started there, both solvers stay.
    let start = temp_file("start.txt", "# D, then C\nNE,0,1,1,0\n");
    for method in ["simpdiv", "liap"] {
        let v = json(&[
            "solve",
            CHICKEN,
            "--method",
            method,
            "--start",
            start.to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert_eq!(
            v["equilibria"][0]["profile"],
            serde_json::json!([["0", "1"], ["1", "0"]]),
            "{method}"
        );
    }
    let bad = temp_file("bad.txt", "1/2,1/2\n1/2,1/2,x,1\n");
    patron()
        .args([
            "solve",
            CHICKEN,
            "--method",
            "simpdiv",
            "--start",
            bad.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(":2:9: probability 3 is 'x'"));
    let short = temp_file("short.txt", "1/2,1/2,1\n");
    patron()
        .args([
            "solve",
            CHICKEN,
            "--method",
            "liap",
            "--start",
            short.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("needs 4"));
}

#[test]
fn options_belong_to_their_methods() {
    for args in [
        vec!["--method", "liap", "--refine", "3"],
        vec!["--method", "simpdiv", "--max-iter", "5"],
        vec!["--method", "enummixed", "--max-regret", "1e-3"],
        vec!["--method", "simpdiv", "--refine", "1"],
        vec!["--method", "liap", "--max-regret", "-1"],
        vec!["--method", "simpdiv", "--agent"],
    ] {
        patron()
            .arg("solve")
            .arg(CHICKEN)
            .args(&args)
            .assert()
            .code(2);
    }
}

#[test]
fn an_exhausted_budget_is_reported_incomplete() {
    let v = json(&[
        "solve",
        CHICKEN,
        "--method",
        "simpdiv",
        "--max-seconds",
        "1e-9",
        "--format",
        "json",
    ]);
    assert_eq!(v["complete"], false);
    let out = patron()
        .args([
            "solve",
            CHICKEN,
            "--method",
            "simpdiv",
            "--max-seconds",
            "1e-9",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("incomplete"));
}

/// Matching pennies with unequal stakes as a tree (player 2 does not see player 1's move): the
/// unique equilibrium is (1/2, 1/2) for player 1 (player 2 indifferent: 1 − p = p) and
/// (1/3, 2/3) for player 2 (player 1 indifferent: 2q = 1 − q).
const PENNIES: &str = r#"EFG 2 R "unequal pennies" { "1" "2" }
""
p "" 1 1 "" { "H" "T" } 0
p "" 2 1 "" { "H" "T" } 0
t "" 1 "HH" { 2, 0 }
t "" 2 "HT" { 0, 1 }
p "" 2 1 "" { "H" "T" } 0
t "" 3 "TH" { 0, 1 }
t "" 4 "TT" { 1, 0 }
"#;

#[test]
fn tree_methods_find_the_unique_equilibrium() {
    let tree = temp_file("pennies.efg", PENNIES);
    let path = tree.to_str().unwrap();
    for (args, method) in [
        (vec!["--method", "liap", "--agent"], "liap-agent"),
        (vec!["--method", "liap"], "liap"),
        (vec!["--method", "simpdiv"], "simpdiv"),
    ] {
        let v = json(&[&["solve", path, "--format", "json"][..], &args[..]].concat());
        assert_eq!(v["method"], method);
        let eq = &v["equilibria"][0];
        assert_eq!(
            eq["behaviour"],
            serde_json::json!([[["1/2", "1/2"]], [["1/3", "2/3"]]]),
            "{method}"
        );
        assert_eq!(eq["regret"], "0");
    }
}
