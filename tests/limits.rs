//! Every size that can blow up is refused with a clear error naming its limit, and
//! `--max-seconds` stops the enumerating solvers with only certified equilibria printed.

use crate::common;
use crate::common::cli::patron;

use common::independent_ties;
use patron::game::{ExtensiveGame, Node, NodeKind, TreeSpec};
use patron::io::{parse_efg, parse_nfg};
use patron::limits;
use patron::num::{parse_q, Q};
use patron::solve::Deadline;
use patron::solve::{solve_strategic, Method, SolveOptions};
use patron::solve::{solve_tree, TreeEquilibrium, TreeMethod};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn write_temp(name: &str, text: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A seeded n × n bimatrix game with payoffs 0..999 (a linear congruential generator, so the
/// test needs no randomness crate and every run sees the same game).
fn random_bimatrix(n: usize, seed: u64) -> (Vec<Vec<i64>>, Vec<Vec<i64>>) {
    let mut state = seed;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) % 1000) as i64
    };
    let mut a = vec![vec![0; n]; n];
    let mut b = vec![vec![0; n]; n];
    for i in 0..n {
        for j in 0..n {
            a[i][j] = next();
            b[i][j] = next();
        }
    }
    (a, b)
}

/// `patron solve PATH ARGS --format json`, which must succeed and end within 20 s (the budgets
/// under test are well under a second), its output parsed.
fn solve_json_promptly(path: &Path, args: &[&str]) -> Value {
    let start = Instant::now();
    let out = patron()
        .args(["solve", path.to_str().unwrap()])
        .args(args)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
    serde_json::from_slice(&out).unwrap()
}

fn nfg_text(a: &[Vec<i64>], b: &[Vec<i64>]) -> String {
    let (m, n) = (a.len(), a[0].len());
    let mut payoffs = Vec::new();
    for j in 0..n {
        for i in 0..m {
            payoffs.push(format!("{} {}", a[i][j], b[i][j]));
        }
    }
    format!(
        "NFG 1 R \"random\" {{ \"1\" \"2\" }} {{ {m} {n} }}\n{}\n",
        payoffs.join(" ")
    )
}

#[test]
fn oversized_nfg_header_is_refused_before_allocating() {
    // 100000 × 100000 × 2 players = 2·10¹⁰ payoff entries: allocating them would take 300 GB,
    // so only a refusal straight from the header can come back quickly.
    let start = Instant::now();
    let err = parse_nfg("NFG 1 R \"\" { \"1\" \"2\" } { 100000 100000 }", "big.nfg").unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(2));
    let text = err.to_string();
    assert!(text.contains("20000000000 payoff entries"), "{text}");
    assert!(
        text.contains(&limits::MAX_PAYOFF_ENTRIES.to_string()),
        "{text}"
    );

    let err = parse_nfg("NFG 1 R \"\" { \"1\" \"2\" } { 100001 1 }", "wide.nfg").unwrap_err();
    assert!(
        err.to_string()
            .contains("100001 strategies: the limit is 100000"),
        "{err}"
    );
}

#[test]
fn too_many_players_are_refused() {
    let players = limits::MAX_PLAYERS + 1;
    let names: Vec<String> = (1..=players).map(|p| format!("\"P{p}\"")).collect();
    let ones = vec!["1"; players].join(" ");
    let nfg = format!("NFG 1 R \"\" {{ {} }} {{ {ones} }}\n", names.join(" "));
    let err = parse_nfg(&nfg, "many.nfg").unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("{players} players: the limit is 64")),
        "{err}"
    );

    let efg = format!(
        "EFG 2 R \"\" {{ {} }}\nt \"\" 1 \"o\" {{ {} }}\n",
        names.join(" "),
        ones
    );
    let err = parse_efg(&efg, "many.efg").unwrap_err();
    assert!(err.to_string().contains(&players.to_string()), "{err}");

    // At the limit the same files are accepted (one profile, so the work is trivial).
    let at = limits::MAX_PLAYERS;
    let names: Vec<String> = (1..=at).map(|p| format!("\"P{p}\"")).collect();
    let ones = vec!["1"; at].join(" ");
    let nfg = format!(
        "NFG 1 R \"\" {{ {} }} {{ {ones} }}\n{ones}\n",
        names.join(" ")
    );
    assert_eq!(parse_nfg(&nfg, "ok.nfg").unwrap().num_players(), at);
}

/// A one-player game of n tied strategies has n pure equilibria of n probabilities each:
/// n² probabilities to list. Just over the limit it is refused by name, below it listed.
#[test]
fn ties_too_many_to_list_are_refused() {
    let nfg = |n: usize| {
        format!(
            "NFG 1 R \"ties\" {{ \"P\" }} {{ {n} }}\n{}\n",
            vec!["0"; n].join(" ")
        )
    };
    let over = (limits::MAX_LISTED_PROBABILITIES as f64).sqrt() as usize + 1;
    let game = parse_nfg(&nfg(over), "ties.nfg").unwrap();
    let err = solve_strategic(&game, Method::EnumPure, &SolveOptions::default()).unwrap_err();
    assert_eq!(
        err.exceeded_limit(),
        Some("MAX_LISTED_PROBABILITIES"),
        "{err}"
    );
    assert!(
        err.to_string().contains("MAX_LISTED_PROBABILITIES"),
        "{err}"
    );
    let game = parse_nfg(&nfg(100), "ties.nfg").unwrap();
    let solved = solve_strategic(&game, Method::EnumPure, &SolveOptions::default()).unwrap();
    assert_eq!(solved.equilibria.len(), 100);
}

/// `independent_ties(n)` has 2ⁿ pure equilibria (every profile) over a reduced form of 2ⁿ
/// strategies. With 2¹¹ of them (2048 × 2048 probabilities, over the limit) `spe` and
/// `enumpure --agent` still list all, certified through the sequence form, without reduced-form
/// profiles; with 2¹⁰ they list them.
#[test]
fn tied_trees_list_without_reduced_profiles_beyond_the_limit() {
    const {
        assert!(
            2048 * 2048 > limits::MAX_LISTED_PROBABILITIES
                && 1024 * 1024 <= limits::MAX_LISTED_PROBABILITIES
        )
    };
    for (n, listed) in [(11, false), (10, true)] {
        let game = parse_efg(&independent_ties(n), "ties.efg").unwrap();
        for method in [TreeMethod::Spe, TreeMethod::EnumPureAgent] {
            let solved = solve_tree(&game, method, &SolveOptions::default()).unwrap();
            assert_eq!(solved.equilibria.len(), 1 << n, "{method:?}");
            for e in &solved.equilibria {
                let TreeEquilibrium::Exact(c) = e else {
                    panic!("exact")
                };
                assert_eq!(c.profile().is_some(), listed, "{method:?}");
                assert_eq!((c.regret(), c.agent_regret()), (&Q::ZERO, &Q::ZERO));
            }
        }
    }
}

#[test]
fn tree_node_limit_is_checked_before_validation() {
    // A file with a million nodes would take the test seconds to write and read, so the check
    // in the tree constructor is called directly, with one node over the limit.
    let leaf = Node {
        label: String::new(),
        kind: NodeKind::Terminal,
        outcome: None,
        children: Vec::new(),
    };
    let spec = TreeSpec {
        title: String::new(),
        comment: String::new(),
        players: vec!["1".into()],
        nodes: vec![leaf; limits::MAX_TREE_NODES + 1],
        infosets: vec![Vec::new()],
        chance_infosets: Vec::new(),
        outcomes: Vec::new(),
    };
    let err = ExtensiveGame::new(spec).unwrap_err();
    assert_eq!(err.exceeded_limit(), Some("MAX_TREE_NODES"), "{err}");
    assert!(
        err.to_string()
            .contains("1000001 nodes: the limit is 1000000"),
        "{err}"
    );
}

/// The exact regret of `profile` in the bimatrix game `(a, b)`, computed here from the
/// matrices (independently of patron's certification).
fn regret(a: &[Vec<i64>], b: &[Vec<i64>], profile: &[Vec<Q>]) -> Q {
    let (x, y) = (&profile[0], &profile[1]);
    let q = |v: i64| Q::from(v);
    let row_payoffs: Vec<Q> = a
        .iter()
        .map(|row| row.iter().zip(y).fold(Q::ZERO, |s, (v, p)| s + q(*v) * p))
        .collect();
    let col_payoffs: Vec<Q> = (0..b[0].len())
        .map(|j| {
            b.iter()
                .zip(x)
                .fold(Q::ZERO, |s, (row, p)| s + q(row[j]) * p)
        })
        .collect();
    let expected = |pay: &[Q], mix: &[Q]| pay.iter().zip(mix).fold(Q::ZERO, |s, (v, p)| s + v * p);
    let gain = |pay: &[Q], mix: &[Q]| pay.iter().max().unwrap().clone() - expected(pay, mix);
    gain(&row_payoffs, x).max(gain(&col_payoffs, y))
}

#[test]
fn max_seconds_stops_enummixed_with_certified_equilibria() {
    // A random 20 × 20 game: its best-response polytopes have far more vertices than a debug
    // build enumerates in half a second. Payoffs of 1000 > 999 at the first strategies make
    // (1, 1) a strict pure equilibrium, on an axis of the polytope where the search starts,
    // so something is found before the deadline.
    let (mut a, mut b) = random_bimatrix(20, 2024);
    a[0][0] = 1000;
    b[0][0] = 1000;
    let path = write_temp("random20.nfg", &nfg_text(&a, &b));
    let v = solve_json_promptly(&path, &["--method", "enummixed", "--max-seconds", "0.5"]);
    assert_eq!(v["complete"], Value::Bool(false));
    let equilibria = v["equilibria"].as_array().unwrap();
    let pure_first = |e: &&Value| e["profile"][0][0] == "1" && e["profile"][1][0] == "1";
    assert!(equilibria.iter().any(|e| pure_first(&e)), "{v}");
    for e in equilibria {
        let profile: Vec<Vec<Q>> = e["profile"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                p.as_array()
                    .unwrap()
                    .iter()
                    .map(|s| parse_q(s.as_str().unwrap()).unwrap())
                    .collect()
            })
            .collect();
        assert_eq!(regret(&a, &b, &profile), Q::ZERO, "{e}");
    }

    let table = patron()
        .args(["solve", path.to_str().unwrap(), "--max-seconds", "0.5"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let table = String::from_utf8(table).unwrap();
    assert!(
        table.contains("(incomplete: stopped after 0.5 s)"),
        "{table}"
    );
}

/// A 2×2×2 game of zeros, as a table and as a tree: every profile is an equilibrium, so
/// enumpoly meets a component and reports itself incomplete; a generous budget that never ran
/// out must not be named as the reason.
#[test]
fn an_incomplete_answer_names_the_budget_only_when_it_ran_out() {
    let nfg = "NFG 1 R \"zeros\" { \"1\" \"2\" \"3\" } { 2 2 2 }\n".to_string()
        + &vec!["0"; 24].join(" ")
        + "\n";
    let leaf = "t \"\" 1 \"\" { 0 0 0 }\n";
    let third = format!("p \"\" 3 1 \"\" {{ \"a\" \"b\" }} 0\n{leaf}{leaf}");
    let second = format!("p \"\" 2 1 \"\" {{ \"a\" \"b\" }} 0\n{third}{third}");
    let efg = format!(
        "EFG 2 R \"zeros\" {{ \"1\" \"2\" \"3\" }}\n\"\"\np \"\" 1 1 \"\" {{ \"a\" \"b\" }} 0\n{second}{second}"
    );
    for (name, text) in [("zeros3.nfg", nfg), ("zeros3.efg", efg)] {
        let path = write_temp(name, &text);
        let out = patron()
            .args(["solve", path.to_str().unwrap(), "--method", "enumpoly"])
            .args(["--max-seconds", "100"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let table = String::from_utf8(out).unwrap();
        assert!(table.contains("(incomplete)"), "{name}: {table}");
        assert!(!table.contains("stopped after"), "{name}: {table}");
    }
}

#[test]
fn a_generous_budget_changes_nothing() {
    let (a, b) = random_bimatrix(3, 7);
    let path = write_temp("random3.nfg", &nfg_text(&a, &b));
    let json = |extra: &[&str]| -> Value {
        let out = patron()
            .args(["solve", path.to_str().unwrap(), "--format", "json"])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    };
    let unbounded = json(&[]);
    let bounded = json(&["--max-seconds", "600"]);
    assert_eq!(bounded["complete"], Value::Bool(true));
    assert_eq!(bounded["equilibria"], unbounded["equilibria"]);
}

#[test]
fn a_passed_deadline_stops_every_enumerating_solver() {
    let (a, b) = random_bimatrix(4, 11);
    let game = parse_nfg(&nfg_text(&a, &b), "g.nfg").unwrap();
    let all_labels = SolveOptions {
        all_labels: true,
        ..SolveOptions::default()
    };
    for (method, options) in [
        (Method::EnumMixed, SolveOptions::default()),
        (Method::Lcp, all_labels),
        (Method::Lcp, SolveOptions::default()),
    ] {
        let passed = Deadline::after(Duration::ZERO);
        let solved = solve_strategic(
            &game,
            method,
            &SolveOptions {
                deadline: &passed,
                ..options.clone()
            },
        )
        .unwrap();
        assert!(!solved.complete, "{method:?}");
        let open = Deadline::after(Duration::from_secs(600));
        let solved = solve_strategic(
            &game,
            method,
            &SolveOptions {
                deadline: &open,
                ..options.clone()
            },
        )
        .unwrap();
        assert!(
            solved.complete && !solved.equilibria.is_empty(),
            "{method:?}"
        );
    }
    // A centipede-like tree of perfect information: spe finds its one equilibrium with time,
    // none once the deadline has passed.
    let tree = "EFG 2 R \"\" { \"1\" \"2\" }\n\
        p \"\" 1 1 \"\" { \"T\" \"S\" } 0\n\
        t \"\" 1 \"a\" { 1 0 }\n\
        p \"\" 2 1 \"\" { \"T\" \"S\" } 0\n\
        t \"\" 2 \"b\" { 0 2 }\n\
        t \"\" 3 \"c\" { 3 1 }\n";
    let tree = parse_efg(tree, "c.efg").unwrap();
    let passed = Deadline::after(Duration::ZERO);
    let options = SolveOptions {
        deadline: &passed,
        ..SolveOptions::default()
    };
    let solved = solve_tree(&tree, TreeMethod::Spe, &options).unwrap();
    assert!(!solved.complete && solved.equilibria.is_empty());
    let solved = solve_tree(&tree, TreeMethod::Spe, &SolveOptions::default()).unwrap();
    assert!(solved.complete);
    // Backward induction: player 2 takes 2 > 1, so player 1 takes 1 > 0 at once.
    assert_eq!(solved.equilibria.len(), 1);
    assert_eq!(solved.equilibria[0].text().payoffs, vec!["1", "0"]);
}

#[test]
fn max_seconds_must_be_a_positive_number_and_applies_to_games() {
    let (a, b) = random_bimatrix(2, 1);
    let path = write_temp("random2.nfg", &nfg_text(&a, &b));
    for bad in ["0", "-3", "soon"] {
        patron()
            .args(["solve", path.to_str().unwrap(), "--max-seconds", bad])
            .assert()
            .code(2);
    }
    let out = patron()
        .args(["solve", "models/gaza-2024.toml", "--max-seconds", "1"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("--max-seconds"));
}

/// `lcp --label K` follows one path; when `--max-seconds` runs out before it ends, the run
/// succeeds with no equilibrium, marked incomplete, and says how far the label got. The game
/// is a seeded 200×200 one whose path from label 0 is longer than 10⁵ pivots.
#[test]
fn lcp_stops_cleanly_when_the_budget_runs_out_mid_path() {
    let game = patron::game::random_bimatrix(200, 200, 100, 2);
    let text = patron::io::write_nfg(&game, patron::io::NfgVersion::Payoff);
    let path = write_temp("long_lcp_path.nfg", &text);
    let args = ["--method", "lcp", "--label", "0", "--max-seconds", "0.3"];
    let v = solve_json_promptly(&path, &args);
    assert_eq!(v["complete"], Value::Bool(false), "{v}");
    assert_eq!(v["equilibria"].as_array().unwrap().len(), 0, "{v}");
    let labels = v["labels"].as_array().unwrap();
    assert_eq!(labels.len(), 1, "{v}");
    assert_eq!(labels[0]["label"], 0);
    assert_eq!(labels[0]["ended"], Value::Bool(false));
    assert!(labels[0]["pivots"].as_u64().unwrap() > 0, "{v}");
    let table = patron()
        .args(["solve", path.to_str().unwrap()])
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let table = String::from_utf8(table).unwrap();
    assert!(
        table.contains("(incomplete: stopped after 0.3 s)"),
        "{table}"
    );
    assert!(
        table.contains("no path ended; labels followed: label 0 ("),
        "{table}"
    );
}

/// `--label K` gives the end of the path that drops label K: the library's exact path (integer
/// pivoting only) from the same label agrees for every label of a degenerate 3×2 game
/// (von Stengel 2002 §2.6); a label that does not exist is a usage error.
#[test]
fn lcp_label_pins_the_dropped_label() {
    let (a, b) = (
        vec![vec![3, 3], vec![2, 5], vec![0, 6]],
        vec![vec![3, 3], vec![2, 6], vec![3, 1]],
    );
    let text = nfg_text(&a, &b);
    let game = parse_nfg(&text, "stengel.nfg").unwrap();
    let path = write_temp("stengel.nfg", &text);
    for label in 0..5 {
        let out = patron()
            .args(["solve", path.to_str().unwrap(), "--method", "lcp"])
            .args(["--label", &label.to_string(), "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: Value = serde_json::from_slice(&out).unwrap();
        let profile: Vec<Vec<Q>> = v["equilibria"][0]["profile"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let p = p.as_array().unwrap();
                p.iter()
                    .map(|s| parse_q(s.as_str().unwrap()).unwrap())
                    .collect()
            })
            .collect();
        let exact = patron::solve::lemke_howson_exact(&game, label).unwrap();
        assert_eq!(profile, exact, "label {label}");
        assert_eq!(regret(&a, &b, &profile), Q::ZERO);
        assert_eq!(v["labels"][0]["label"], label);
    }
    patron()
        .args([
            "solve",
            path.to_str().unwrap(),
            "--method",
            "lcp",
            "--label",
            "5",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("label 5 is out of range"));
}
