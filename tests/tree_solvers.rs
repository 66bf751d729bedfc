//! Tree solvers on small hand-built games whose answers are worked out in the comments:
//! backward induction (a chance node, ties giving several subgame-perfect equilibria, three
//! players, the enumeration limit), the sequence-form `lcp` and `lp` against the closed form
//! of a 2×2 zero-sum game played without seeing the opponent's move, refusals with clear
//! messages, and the command line (JSON schema shared with strategic games, `info`,
//! `convert`, malformed files giving `file:line:col` and exit code 2).

use crate::common;
use crate::common::cli::{json, patron};

use common::independent_ties;
use patron::error::Error;
use patron::game::{Behavior, ExtensiveGame};
use patron::io::{parse_efg, parse_game, GameFile};
use patron::num::{parse_q, Q};
use patron::solve::SolveOptions;
use patron::solve::{solve_tree, CertifiedBehavior, TreeEquilibrium, TreeMethod};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Entry deterrence after a chance move. Chance picks a Low market (1/3) or a High one (2/3);
/// the Entrant sees it and stays Out (1, 3) or goes In; the Incumbent sees that and Fights
/// or Shares.
/// * Low: Fight pays the Incumbent 0 < Share 1, so Share; then In pays the Entrant 2 > Out 1.
/// * High: Fight pays the Incumbent 2 > Share 1, so Fight; then In pays 0 < Out 1: Out.
///
/// The unique SPE is (Low: In, High: Out; Low: Share, High: Fight), with expected payoffs
/// 1/3·(2, 1) + 2/3·(1, 3) = (4/3, 7/3).
const ENTRY: &str = r#"EFG 2 R "entry with chance" { "Entrant" "Incumbent" }
""
c "" 1 "market" { "Low" 1/3 "High" 2/3 } 0
p "" 1 1 "low market" { "Out" "In" } 0
t "" 1 "stay out" { 1, 3 }
p "" 2 1 "entered low" { "Fight" "Share" } 0
t "" 2 "" { -1, 0 }
t "" 3 "" { 2, 1 }
p "" 1 2 "high market" { "Out" "In" } 0
t "" 1 "stay out" { 1, 3 }
p "" 2 2 "entered high" { "Fight" "Share" } 0
t "" 4 "" { 0, 2 }
t "" 5 "" { 3, 1 }
"#;

/// Player 1 picks L or R (R ends at (2, 0)); after L, player 2 is indifferent between
/// l (1, 2) and r (3, 2). Each tie choice gives one SPE:
/// * l: player 1 compares L = 1 with R = 2 and plays R: (R, l), payoffs (2, 0);
/// * r: player 1 compares L = 3 with R = 2 and plays L: (L, r), payoffs (3, 2).
const TIE: &str = r#"EFG 2 R "tie" { "One" "Two" }
""
p "" 1 1 "root" { "L" "R" } 0
p "" 2 1 "after L" { "l" "r" } 0
t "" 1 "" { 1, 2 }
t "" 2 "" { 3, 2 }
t "" 3 "" { 2, 0 }
"#;

/// Three players: P1 picks a or b (b ends at (2, 2, 2)); after a, P2 picks c (1, 1, 0) or d;
/// after d, P3 picks e (0, 2, 1) or f (2, 0, 3).
/// P3: f (3 > 1). P2: c pays 1, d leads to f paying 0: c. P1: a pays 1 < b's 2: b.
/// SPE (b, c, f), payoffs (2, 2, 2).
const THREE: &str = r#"EFG 2 R "three" { "P1" "P2" "P3" }
""
p "" 1 1 "" { "a" "b" } 0
p "" 2 1 "" { "c" "d" } 0
t "" 1 "" { 1, 1, 0 }
p "" 3 1 "" { "e" "f" } 0
t "" 2 "" { 0, 2, 1 }
t "" 3 "" { 2, 0, 3 }
t "" 4 "" { 2, 2, 2 }
"#;

/// Zero-sum, player 2 does not see player 1's move: payoffs to player 1
/// `[[2, −1], [−1, 1]]` (rows H, T; columns h, t). Player 1 plays H with p making player 2
/// indifferent: −2p + (1 − p) = p − (1 − p) ⇒ p = 2/5; symmetrically h with q: 2q − (1 − q) =
/// −q + (1 − q) ⇒ q = 2/5; value 2·2/5 − 3/5 = 1/5. Player 2's beliefs are player 1's mix.
const HIDDEN: &str = r#"EFG 2 R "hidden move" { "1" "2" }
""
p "" 1 1 "" { "H" "T" } 0
p "" 2 1 "guess" { "h" "t" } 0
t "" 1 "" { 2, -2 }
t "" 2 "" { -1, 1 }
p "" 2 1 "guess" { "h" "t" } 0
t "" 2 "" { -1, 1 }
t "" 3 "" { 1, -1 }
"#;

/// Player 1 moves L or R, then moves again at one information set spanning both: it
/// forgets its own first move (no perfect recall, Kuhn 1953).
const FORGETFUL: &str = r#"EFG 2 R "forgetful" { "1" "2" }
""
p "" 1 1 "first" { "L" "R" } 0
p "" 1 2 "second" { "l" "r" } 0
t "" 1 "" { 1, 0 }
t "" 2 "" { 0, 1 }
p "" 1 2 "second" { "l" "r" } 0
t "" 3 "" { 0, 1 }
t "" 4 "" { 1, 0 }
"#;

fn game(text: &str) -> ExtensiveGame {
    parse_efg(text, "test.efg").unwrap()
}

fn q(s: &str) -> Q {
    parse_q(s).unwrap()
}

fn qs(v: &[&str]) -> Vec<Q> {
    v.iter().map(|s| q(s)).collect()
}

fn exact(e: &TreeEquilibrium) -> &CertifiedBehavior<Q> {
    match e {
        TreeEquilibrium::Exact(c) => c,
        TreeEquilibrium::Float(_) => panic!("expected an exact equilibrium"),
    }
}

/// The pure behaviour profile choosing `actions[p][i]` at player p's information set i.
fn pure(g: &ExtensiveGame, actions: &[&[usize]]) -> Behavior<Q> {
    actions
        .iter()
        .enumerate()
        .map(|(p, chosen)| {
            chosen
                .iter()
                .enumerate()
                .map(|(i, &a)| {
                    (0..g.infosets(p)[i].actions.len())
                        .map(|k| if k == a { Q::ONE } else { Q::ZERO })
                        .collect()
                })
                .collect()
        })
        .collect()
}

fn spe_set(g: &ExtensiveGame) -> Vec<(Behavior<Q>, Vec<Q>)> {
    let solved = solve_tree(g, TreeMethod::Spe, &SolveOptions::default()).unwrap();
    solved
        .equilibria
        .iter()
        .map(|e| (exact(e).behavior().clone(), exact(e).payoffs().to_vec()))
        .collect()
}

#[test]
fn backward_induction_through_a_chance_node() {
    let g = game(ENTRY);
    // Entrant: low market In (1), high market Out (0); Incumbent: Share (1), Fight (0).
    let want = pure(&g, &[&[1, 0], &[1, 0]]);
    assert_eq!(spe_set(&g), vec![(want, qs(&["4/3", "7/3"]))]);
    let solved = solve_tree(&g, TreeMethod::Spe, &SolveOptions::default()).unwrap();
    // "entered high" is never reached: no beliefs there; every other set is a single node.
    let beliefs = &exact(&solved.equilibria[0]).beliefs();
    assert_eq!(beliefs[1][1], None);
    assert_eq!(beliefs[1][0], Some(vec![Q::ONE]));
}

#[test]
fn a_tie_gives_two_subgame_perfect_equilibria() {
    let g = game(TIE);
    let got: BTreeSet<String> = spe_set(&g).iter().map(|e| format!("{e:?}")).collect();
    let want: BTreeSet<String> = [
        (pure(&g, &[&[1], &[0]]), qs(&["2", "0"])),
        (pure(&g, &[&[0], &[1]]), qs(&["3", "2"])),
    ]
    .iter()
    .map(|e| format!("{e:?}"))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn backward_induction_with_three_players() {
    let g = game(THREE);
    assert_eq!(
        spe_set(&g),
        vec![(pure(&g, &[&[1], &[0], &[1]]), qs(&["2", "2", "2"]))]
    );
}

#[test]
fn every_tie_combination_is_listed_up_to_the_limit() {
    let g = game(&independent_ties(3));
    let all = spe_set(&g);
    let distinct: BTreeSet<String> = all.iter().map(|e| format!("{:?}", e.0)).collect();
    assert_eq!((all.len(), distinct.len()), (8, 8));
    // 2^14 = 16384 equilibria exceed limits::MAX_SUBGAME_PERFECT_EQUILIBRIA (10 000).
    let err = solve_tree(
        &game(&independent_ties(14)),
        TreeMethod::Spe,
        &SolveOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::LimitExceeded {
                limit: "MAX_SUBGAME_PERFECT_EQUILIBRIA",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn sequence_form_lcp_and_lp_match_the_closed_form() {
    let g = game(HIDDEN);
    let mix = vec![vec![qs(&["2/5", "3/5"])], vec![qs(&["2/5", "3/5"])]];
    for method in [TreeMethod::Lcp, TreeMethod::Lp] {
        let solved = solve_tree(&g, method, &SolveOptions::default()).unwrap();
        let c = exact(&solved.equilibria[0]);
        assert_eq!(*c.behavior(), mix, "{method:?}");
        assert_eq!(c.payoffs(), qs(&["1/5", "-1/5"]));
        assert_eq!(c.beliefs()[1][0], Some(qs(&["2/5", "3/5"])));
        // Reduced form: one strategy per action, so the mixed profile is the behaviour.
        assert_eq!(
            c.profile(),
            Some(&[mix[0][0].clone(), mix[1][0].clone()][..])
        );
    }
    let lp = solve_tree(&g, TreeMethod::Lp, &SolveOptions::default()).unwrap();
    assert_eq!(lp.values, Some(vec!["1/5".to_string(), "-1/5".to_string()]));
}

#[test]
fn solvers_refuse_games_they_do_not_apply_to() {
    let err = solve_tree(&game(FORGETFUL), TreeMethod::Lcp, &SolveOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("needs perfect recall")
            && err.contains("information set 2")
            && err.contains("\"L\"")
            && err.contains("\"R\""),
        "{err}"
    );
    let err = solve_tree(&game(HIDDEN), TreeMethod::Spe, &SolveOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("perfect information") && err.contains("\"guess\"") && err.contains("lcp"),
        "{err}"
    );
    let err = solve_tree(&game(TIE), TreeMethod::Lp, &SolveOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("constant-sum"), "{err}");
    let err = solve_tree(&game(THREE), TreeMethod::Lcp, &SolveOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("two players"), "{err}");
}

fn write_temp(name: &str, text: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn tree_json_extends_the_strategic_schema() {
    let efg = write_temp("tie.efg", TIE);
    let nfg = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tie.nfg");
    patron()
        .args(["convert", efg.to_str().unwrap(), "--to", "nfg", "-o"])
        .arg(&nfg)
        .assert()
        .success();
    let tree = json(&["solve", efg.to_str().unwrap(), "--format", "json"]);
    let strategic = json(&[
        "solve",
        nfg.to_str().unwrap(),
        "--method",
        "enumpure",
        "--format",
        "json",
    ]);
    assert!(keys(&strategic).is_subset(&keys(&tree)));
    assert!(keys(&strategic["game"]).is_subset(&keys(&tree["game"])));
    assert_eq!(tree["game"]["strategies"], strategic["game"]["strategies"]);
    let eq_keys = keys(&strategic["equilibria"][0]);
    assert!(eq_keys.is_subset(&keys(&tree["equilibria"][0])));
    assert_eq!(tree["method"], "spe");
    // Every SPE is a Nash equilibrium of the reduced form: each must be in enumpure's list.
    let nash: BTreeSet<String> = strategic["equilibria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["profile"].to_string())
        .collect();
    for e in tree["equilibria"].as_array().unwrap() {
        assert!(nash.contains(&e["profile"].to_string()), "{e}");
        assert_eq!(e["regret"], "0");
        assert_eq!(e["agent_regret"], "0");
    }
    assert_eq!(tree["equilibria"].as_array().unwrap().len(), 2);
}

#[test]
fn cli_solves_reports_and_converts_trees() {
    let entry = write_temp("entry.efg", ENTRY);
    let path = entry.to_str().unwrap();
    let v = json(&["solve", path, "--format", "json"]);
    assert_eq!(v["method"], "spe");
    assert_eq!(
        v["equilibria"][0]["payoffs"],
        serde_json::json!(["4/3", "7/3"])
    );
    assert_eq!(
        v["equilibria"][0]["behaviour"],
        serde_json::json!([[["0", "1"], ["1", "0"]], [["0", "1"], ["1", "0"]]])
    );
    assert_eq!(v["equilibria"][0]["beliefs"][1][1], Value::Null);
    // Nodes in preorder: chance 1, Entrant 2 and 7, Incumbent 4 and 9 start subgames.
    let info = patron().args(["info", path]).assert().success();
    let text = String::from_utf8(info.get_output().stdout.clone()).unwrap();
    for line in [
        "game tree, 2 players, 11 nodes (6 terminal)",
        "perfect recall: yes",
        "perfect information: yes",
        "constant-sum: no",
        "proper subgames: 4 (rooted at nodes 2, 4, 7, 9 in preorder)",
        "reduced strategic form: 4 x 4 (16 pure profiles)",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let info = json(&["info", path, "--json"]);
    assert_eq!(info["perfect_recall_violation"], Value::Null);
    assert_eq!(info["reduced_strategies"], serde_json::json!(["4", "4"]));
    let forgetful = write_temp("forgetful.efg", FORGETFUL);
    let info = json(&["info", forgetful.to_str().unwrap(), "--json"]);
    assert!(info["perfect_recall_violation"]
        .as_str()
        .unwrap()
        .contains("information set 2"));
    patron()
        .args(["solve", forgetful.to_str().unwrap(), "--method", "lcp"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("perfect recall"));
    // Round trip through --to efg.
    let out = patron()
        .args(["convert", path, "--to", "efg"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    match parse_game(&text, "round-trip.efg").unwrap() {
        GameFile::Extensive(back) => assert_eq!(back, game(ENTRY)),
        GameFile::Strategic(_) => panic!("--to efg wrote a strategic game"),
    }
}

#[test]
fn malformed_trees_give_file_line_col_and_exit_code_2() {
    let cases = [
        ("bad_node.efg", "EFG 2 R \"t\" { \"A\" }\n\"\"\nq \"\" 0\n", "3:1"),
        (
            "truncated.efg",
            "EFG 2 R \"t\" { \"A\" \"B\" }\n\"\"\np \"\" 1 1 \"x\" { \"a\" \"b\" } 0\nt \"\" 1 \"o\" { 1, 2 }\n",
            "5:1",
        ),
        (
            "chance_sum.efg",
            "EFG 2 R \"t\" { \"A\" }\n\"\"\nc \"\" 1 \"x\" { \"a\" 1/2 \"b\" 1/3 } 0\nt \"\" 0\nt \"\" 0\n",
            "3:12",
        ),
    ];
    for (name, text, pos) in cases {
        let path = write_temp(name, text);
        for command in ["solve", "info", "convert"] {
            let mut cmd = patron();
            cmd.arg(command).arg(&path);
            if command == "convert" {
                cmd.args(["--to", "nfg"]);
            }
            let out = cmd.assert().code(2);
            let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
            assert!(
                stderr.contains(&format!("{name}:{pos}: ")) && !stderr.contains("panicked"),
                "{command} {name}: {stderr}"
            );
        }
    }
}

/// A card game too big for the reduced strategic form: chance deals cards `i` (to player 1)
/// and `j` (to player 2) from `1..=n`, uniformly and independently; player 1 sees `i` and
/// bets (stake 2) or checks (stake 1); player 2 sees `j` and that choice, then calls (the
/// higher card wins the stake, a tie pays nothing) or folds (player 1 wins 1).
fn card_game(n: usize) -> ExtensiveGame {
    let deals: Vec<String> = (0..n * n)
        .map(|k| format!("\"{}-{}\" 1/{}", k / n + 1, k % n + 1, n * n))
        .collect();
    let mut text = format!(
        "EFG 2 R \"cards\" {{ \"1\" \"2\" }}\n\"\"\nc \"\" 1 \"deal\" {{ {} }} 0\n",
        deals.join(" ")
    );
    let mut outcome = 0;
    for i in 0..n {
        for j in 0..n {
            text.push_str(&format!(
                "p \"\" 1 {} \"\" {{ \"bet\" \"check\" }} 0\n",
                i + 1
            ));
            let sign = (i as i64 - j as i64).signum();
            for (a, stake) in [(0, 2), (1, 1)] {
                let set = 2 * j + a + 1;
                text.push_str(&format!("p \"\" 2 {set} \"\" {{ \"call\" \"fold\" }} 0\n"));
                for payoff in [sign * stake, 1] {
                    outcome += 1;
                    text.push_str(&format!(
                        "t \"\" {outcome} \"\" {{ {payoff}, {} }}\n",
                        -payoff
                    ));
                }
            }
        }
    }
    game(&text)
}

#[test]
fn lp_value_equals_the_lcp_payoff_beyond_the_reduced_form() {
    // 2^8 × 2^16 reduced profiles: certification uses sequence-form best responses. Every
    // equilibrium of a zero-sum game pays the value, so Lemke's equilibrium payoff and the
    // LP's (exact) value must agree: two unrelated algorithms.
    let g = card_game(8);
    let lcp = solve_tree(&g, TreeMethod::Lcp, &SolveOptions::default()).unwrap();
    let lp = solve_tree(&g, TreeMethod::Lp, &SolveOptions::default()).unwrap();
    let (a, b) = (exact(&lcp.equilibria[0]), exact(&lp.equilibria[0]));
    assert_eq!(a.payoffs(), b.payoffs());
    assert_eq!(
        lp.values.unwrap(),
        a.payoffs()
            .iter()
            .map(patron::num::fmt_q)
            .collect::<Vec<_>>()
    );
    assert_eq!((a.profile().as_ref(), b.profile().as_ref()), (None, None));
    assert_eq!((a.regret(), b.regret()), (&Q::ZERO, &Q::ZERO));
    assert!(lcp.reduced.is_none());
}
