//! `patron solve` refuses every flag that the input's kind or the method would not read, by
//! name, with exit code 2, and accepts the same flag where `--help` says it applies. The
//! expected scopes are those `patron solve --help` documents for each flag.

use crate::common;

use common::cli::{json, patron};
use std::io::Write;

const CHICKEN: &str = "tests/data/games/chicken.nfg";
const MODEL: &str = "models/gaza-2024.toml";

/// A file in the system's temporary folder, named for this process and `name`.
fn temp_file(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("patron-flags-{}-{name}", std::process::id()));
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    path.to_str().expect("path").to_string()
}

/// A two-player tree with one information set each (matching pennies, sequential but hidden).
fn tree() -> String {
    temp_file(
        "pennies.efg",
        "EFG 2 R \"pennies\" { \"1\" \"2\" }\n\
         p \"\" 1 1 \"\" { \"H\" \"T\" } 0\n\
         p \"\" 2 1 \"\" { \"h\" \"t\" } 0\n\
         t \"\" 1 \"\" { 1 -1 }\n\
         t \"\" 2 \"\" { -1 1 }\n\
         p \"\" 2 1 \"\" { \"h\" \"t\" } 0\n\
         t \"\" 3 \"\" { -1 1 }\n\
         t \"\" 4 \"\" { 1 -1 }\n",
    )
}

/// `patron solve FILE ARGS` fails with exit code 2 and a message naming `flag` as the one that
/// does not apply.
fn refused(file: &str, args: &[&str], flag: &str) {
    let out = patron()
        .arg("solve")
        .arg(file)
        .args(args)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(
        stderr.contains(&format!("{flag} applies only to")),
        "{args:?}: {stderr}"
    );
}

#[test]
fn each_flag_outside_its_method_is_refused_by_name_on_a_strategic_game() {
    let start = temp_file("start.txt", "1/2,1/2,1/2,1/2\n");
    let data = temp_file(
        "counts.json",
        "{\"cite\": \"made up\", \"counts\": [[1, 1], [1, 1]]}",
    );
    let cases: &[(&[&str], &str)] = &[
        (&["--method", "lcp", "--leash", "3"], "--leash"),
        (&["--method", "liap", "--refine", "3"], "--refine"),
        (&["--method", "simpdiv", "--max-iter", "5"], "--max-iter"),
        (&["--method", "enummixed", "--start", &start], "--start"),
        (
            &["--method", "enummixed", "--max-regret", "1e-3"],
            "--max-regret",
        ),
        (&["--method", "enummixed", "--label", "0"], "--label"),
        (&["--method", "enummixed", "--all-labels"], "--all-labels"),
        (
            &["--method", "lcp", "--perturbation", "1,0;1,0"],
            "--perturbation",
        ),
        (&["--method", "ipa", "--steps", "5"], "--steps"),
        (&["--method", "lcp", "--end-lambda", "-5"], "--end-lambda"),
        (
            &["--method", "lcp", "--local-newton-interval", "2"],
            "--local-newton-interval",
        ),
        (
            &["--method", "lcp", "--local-newton-maxits", "2"],
            "--local-newton-maxits",
        ),
        (&["--method", "enummixed", "--lambda", "1"], "--lambda"),
        (
            &[
                "--method",
                "stackelberg",
                "--to-lambda",
                "1",
                "--path",
                "x.csv",
            ],
            "--to-lambda",
        ),
        (
            &["--method", "correlated", "--estimate", &data],
            "--estimate",
        ),
        (
            &["--method", "logit", "--lambda", "1", "--leader", "2"],
            "--leader",
        ),
        (
            &["--method", "stackelberg", "--objective", "welfare"],
            "--objective",
        ),
        (
            &["--method", "logit", "--lambda", "1", "--vertices"],
            "--vertices",
        ),
        (
            &["--method", "correlated", "--max-seconds", "1"],
            "--max-seconds",
        ),
        (&["--method", "enummixed", "--agent"], "--agent"),
        (&["--scenario", "ceasefire"], "--scenario"),
        (&["--set", "dyads.us_israel.dependence=0.8"], "--set"),
        (&["--allow-outside-range"], "--allow-outside-range"),
        (&["--patron-lambda", "1"], "--patron-lambda"),
    ];
    for (args, flag) in cases {
        refused(CHICKEN, args, flag);
    }
}

#[test]
fn each_flag_outside_its_method_is_refused_by_name_on_a_tree_and_a_model() {
    let tree = tree();
    for (args, flag) in [
        (&["--method", "lcp", "--label", "0"][..], "--label"),
        (&["--method", "lcp", "--all-labels"], "--all-labels"),
        (&["--method", "enumpure", "--leash", "2"], "--leash"),
        (&["--method", "spe", "--agent"], "--agent"),
        (
            &["--method", "liap", "--agent", "--refine", "2"],
            "--refine",
        ),
        (
            &["--method", "enumpure", "--agent", "--max-regret", "1e-3"],
            "--max-regret",
        ),
        (
            &["--method", "logit", "--lambda", "1", "--max-iter", "3"],
            "--max-iter",
        ),
        (&["--method", "ipa", "--steps", "5"], "--steps"),
        (
            &["--method", "lcp", "--perturbation", "1,0;1,0"],
            "--perturbation",
        ),
        (&["--method", "gnm", "--agent"], "--agent"),
    ] {
        refused(&tree, args, flag);
    }
    for (args, flag) in [
        (&["--max-seconds", "1"][..], "--max-seconds"),
        (&["--agent"], "--agent"),
        (&["--leash", "2"], "--leash"),
        (&["--lambda", "2"], "--lambda"),
    ] {
        refused(MODEL, args, flag);
    }
}

#[test]
fn a_method_of_the_other_kind_of_game_is_refused_by_name() {
    let tree = tree();
    let out = patron()
        .args(["solve", CHICKEN, "--method", "spe"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--method spe applies to game trees"));
    let out = patron()
        .args(["solve", &tree, "--method", "stackelberg"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("--method stackelberg applies to strategic games"));
    let out = patron()
        .args(["solve", MODEL, "--method", "lcp"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not to models"));
}

/// The same flags where they apply: accepted, and they change the answer where they should.
#[test]
fn flags_are_accepted_where_they_apply() {
    // Chicken (tests/data/games/chicken.nfg) has three equilibria; lcp from label 0 (Gambit's
    // first) and the race agree with enummixed's list, which must contain what lcp returns.
    let all = json(&[
        "solve",
        CHICKEN,
        "--method",
        "enummixed",
        "--format",
        "json",
    ]);
    let profiles: Vec<_> = all["equilibria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["profile"].clone())
        .collect();
    assert_eq!(profiles.len(), 3);
    let lcp = json(&[
        "solve", CHICKEN, "--method", "lcp", "--label", "0", "--format", "json",
    ]);
    assert!(profiles.contains(&lcp["equilibria"][0]["profile"]));
    let simpdiv = json(&[
        "solve", CHICKEN, "--method", "simpdiv", "--leash", "8", "--format", "json",
    ]);
    assert_eq!(simpdiv["method"], "simpdiv");
    let gnm = json(&[
        "solve", CHICKEN, "--method", "gnm", "--steps", "50", "--format", "json",
    ]);
    assert_eq!(gnm["method"], "gnm");
    let tree = tree();
    // Hidden matching pennies: the only equilibrium mixes 1/2-1/2 at both sets, so gnm and ipa
    // on the reduced form (2×2) reach it from any perturbation.
    for args in [
        &[
            "--method",
            "gnm",
            "--perturbation",
            "0,1;1,0",
            "--end-lambda",
            "-5",
        ][..],
        &["--method", "ipa", "--perturbation", "0,1;0,1"],
    ] {
        let run = json(&[&["solve", &tree][..], args, &["--format", "json"]].concat());
        assert_eq!(run["method"], args[1]);
        let profile = &run["equilibria"][0]["profile"];
        assert_eq!(
            profile,
            &serde_json::json!([["1/2", "1/2"], ["1/2", "1/2"]]),
            "{run}"
        );
    }
    let out = patron()
        .args([
            "solve",
            &tree,
            "--method",
            "gnm",
            "--perturbation",
            "1,0,0;1,0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("player 1 has 2 strategies, 3 weights"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let agent = json(&[
        "solve",
        &tree,
        "--method",
        "liap",
        "--agent",
        "--max-iter",
        "200",
        "--format",
        "json",
    ]);
    assert_eq!(agent["method"], "liap-agent");
    for set in agent["equilibria"][0]["behaviour"].as_array().unwrap() {
        // Polished to the exact equilibrium, printed as a fraction.
        let text = set[0][0].as_str().unwrap();
        let p = match text.split_once('/') {
            Some((n, d)) => n.parse::<f64>().unwrap() / d.parse::<f64>().unwrap(),
            None => text.parse().unwrap(),
        };
        assert!((p - 0.5).abs() < 1e-3, "{agent}");
    }
}
