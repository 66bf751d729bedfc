//! `liap --agent` (behaviour strategies on game trees) against pygambit 16.7's
//! `liap_agent_solve(game.mixed_behavior_profile(), maxregret=1e-4, maxiter=1000)` on Gambit's
//! corpus trees (`expected-approx/`): every answer patron prints passes the tree certification
//! (Nash in the reduced form and sequentially rational at every reached information set, within
//! the stated bound), and every answer of pygambit's that certifies is reproduced within 1e-6.

use crate::common;

use common::approx::{number, MATCH};
use common::corpus_dir;
use patron::game::ExtensiveGame;
use patron::io::{read_game_file, GameFile};
use patron::num::{parse_q, Q};
use patron::solve::{liap_agent_until, solve_tree, TreeMethod};
use patron::solve::{SolveOptions, NO_DEADLINE};
use serde_json::Value;

/// pygambit's behaviour profiles `[player][infoset][action]` whose regrets (Nash and agent)
/// are at most 1e-6 of the payoff range.
fn certified_answers(v: &Value) -> Vec<Vec<f64>> {
    let range = {
        let q = |k: &str| {
            patron::num::to_f64(&patron::num::parse_q(v["game"][k].as_str().unwrap()).unwrap())
        };
        q("max_payoff") - q("min_payoff")
    };
    v["solvers"]["liap_agent"]["equilibria"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|e| {
            let r = |k: &str| e[k].as_f64().unwrap_or(f64::INFINITY);
            r("max_regret") <= 1e-6 * range && r("agent_max_regret") <= 1e-6 * range
        })
        .map(|e| {
            e["profile"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|p| p.as_array().unwrap().iter())
                .flat_map(|i| i.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()))
                .collect()
        })
        .collect()
}

/// A behaviour profile, flattened (players, then information sets, then actions).
fn flat(b: &[Vec<Vec<f64>>]) -> Vec<f64> {
    b.iter().flatten().flatten().copied().collect()
}

/// Every corpus tree whose certified pygambit answer patron's `liap --agent` end point does not
/// reach within `common::approx::MATCH` (1e-6), because that end point is decided by rounding:
/// the minimiser creeps towards a mixed equilibrium and stops where its line search fails.
/// Checked for each: patron's end point is within [`ALONG`] of pygambit's, and so is patron's
/// certified (polished) answer — one equilibrium approached by both; and moving patron's start
/// by 1e-13 (one information set's first two actions, ±) moves its end point by more than 1e-6,
/// while on condjury.efg (matched, an end point at a pure equilibrium) they stay below 1e-6
/// (palf.efg is matched by the polished answer; its raw end point moves by 1.6e-6).
/// pygambit 16.7 is as sensitive: from the centroid with player 1's first set moved by ±1e-13
/// its end points move by 3.6e-6 (2x2x2), 6.7e-6 (sh3), 4.1e-6 and 1.1e-5 (vd), 2.3e-6 (w_ex2)
/// (`scripts/pygambit_liap_sensitivity.py`). So the acceptance line (the same end point within
/// 1e-6) holds for no reimplementation that does not repeat Gambit's floating-point operations
/// in its order. The test fails if a listed tree matches.
const EXCEPTIONS: [&str; 4] = ["2x2x2.efg", "sh3.efg", "vd.efg", "w_ex2.efg"];

/// A tree whose certified pygambit answer patron reproduces, with its end point robust to a
/// 1e-13 move of the start (the contrast that shows the check above can fail).
const ROBUST: [&str; 1] = ["condjury.efg"];

/// The largest move of patron's end point when the centroid start is moved by ±1e-13 between
/// the first two actions of one information set (each set in turn).
fn rounding_sensitivity(tree: &ExtensiveGame, end: &[f64]) -> f64 {
    let mut options = SolveOptions::default().approximate;
    options.max_regret = Some(1.0);
    let q = |t: &str| parse_q(t).unwrap();
    let sizes: Vec<usize> = (0..tree.num_players())
        .flat_map(|p| tree.infosets(p).iter().map(|i| i.actions.len()))
        .collect();
    let mut worst: f64 = 0.0;
    for set in 0..sizes.len() {
        for eps in ["1/10000000000000", "-1/10000000000000"] {
            let mut start: Vec<Vec<Q>> = sizes
                .iter()
                .map(|&n| vec![q(&format!("1/{n}")); n])
                .collect();
            start[set][0] = start[set][0].clone() + q(eps);
            start[set][1] = start[set][1].clone() - q(eps);
            options.starts = vec![start];
            let (found, _) = liap_agent_until(tree, &options, &NO_DEADLINE).unwrap();
            let moved = flat(&found.profiles[0]);
            let gap = end
                .iter()
                .zip(&moved)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            worst = worst.max(gap);
        }
    }
    worst
}

/// How far apart the listed end points may be: liap's answers meet regret 1e-4 × range, so
/// their probabilities are about that accurate.
const ALONG: f64 = 2e-4;

/// Gambit 16.7's agent Lyapunov function, minimised from the centroid with Gambit's steps,
/// ends where pygambit's `liap_agent_solve` ends: on every corpus tree where pygambit's answer
/// certifies (Nash and agent regret at most 1e-6 of the payoff range), patron's end point (or
/// its polished, certified answer) is the same profile within 1e-6 per behaviour probability.
/// Every answer patron prints passes the tree certification inside `solve_tree`.
#[test]
fn corpus_trees_match_pygambit_liap_agent() {
    let Some(dir) = corpus_dir() else { return };
    let entries = common::files_ending(&dir.join("expected-approx"), ".efg.json");
    let (mut answered, mut certified_theirs, mut matched) = (0, 0, Vec::new());
    let mut missed = Vec::new();
    let mut near_uncertified = 0;
    let (mut robust, mut listed_checked) = (0, 0);
    for file in entries {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        if v["solvers"]["liap_agent"]["status"] != "ok" {
            continue;
        }
        let name = v["file"].as_str().unwrap().to_string();
        let path = dir.join(&name);
        let GameFile::Extensive(tree) = read_game_file(&path).unwrap() else {
            panic!("{name}: not a tree")
        };
        let options = SolveOptions::default();
        let (found, _) = liap_agent_until(&tree, &options.approximate, &NO_DEADLINE)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let solved = solve_tree(&tree, TreeMethod::LiapAgent, &options)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut ours: Vec<Vec<f64>> = found.profiles.iter().map(|b| flat(b)).collect();
        ours.extend(solved.equilibria.iter().map(|e| {
            e.text()
                .behavior
                .iter()
                .flatten()
                .flatten()
                .map(|t| number(&Value::from(t.as_str())))
                .collect::<Vec<f64>>()
        }));
        answered += usize::from(!solved.equilibria.is_empty());
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() <= MATCH);
        let all_theirs = v["solvers"]["liap_agent"]["equilibria"]
            .as_array()
            .unwrap()
            .len();
        let certified = certified_answers(&v);
        for theirs in &certified {
            certified_theirs += 1;
            let listed = EXCEPTIONS.contains(&name.as_str());
            match (ours.iter().any(|o| close(o, theirs)), listed) {
                (true, false) => {
                    if ROBUST.contains(&name.as_str()) {
                        let moved = rounding_sensitivity(&tree, &flat(&found.profiles[0]));
                        assert!(
                            moved < 1e-6,
                            "{name}: a 1e-13 start moves the end by {moved:e}"
                        );
                        robust += 1;
                    }
                    matched.push(name.clone())
                }
                (true, true) => panic!("{name} is listed but matches pygambit"),
                (false, true) => {
                    let near =
                        |o: &Vec<f64>| o.iter().zip(theirs).all(|(a, b)| (a - b).abs() <= ALONG);
                    assert!(
                        near(&flat(&found.profiles[0]))
                            && ours[found.profiles.len()..].iter().any(near),
                        "{name}: patron {ours:?} is not within {ALONG} of pygambit {theirs:?}"
                    );
                    let moved = rounding_sensitivity(&tree, &flat(&found.profiles[0]));
                    assert!(
                        moved > 1e-6,
                        "{name}: a 1e-13 start moves the end by only {moved:e}"
                    );
                    listed_checked += 1;
                }
                (false, false) => {
                    missed.push(format!("{name}: patron {ours:?}\n  pygambit {theirs:?}"))
                }
            }
        }
        if certified.len() < all_theirs {
            let theirs = v["solvers"]["liap_agent"]["equilibria"][0]["profile"].clone();
            let theirs: Vec<Vec<Vec<f64>>> = serde_json::from_value(theirs).unwrap();
            near_uncertified += usize::from(
                found
                    .profiles
                    .iter()
                    .any(|o| close(&flat(o), &flat(&theirs))),
            );
        }
    }
    println!(
        "liap --agent answered {answered} corpus trees; reproduced {} of pygambit's \
         {certified_theirs} certified answers ({matched:?}); {near_uncertified} of its \
         uncertified answers reached within 1e-6\n{}",
        matched.len(),
        missed.join("\n")
    );
    assert!(missed.is_empty(), "{} missed", missed.len());
    assert_eq!(listed_checked, EXCEPTIONS.len(), "listed trees checked");
    assert_eq!(robust, ROBUST.len(), "robust trees checked");
    assert!(
        certified_theirs >= 6,
        "{certified_theirs} certified answers"
    );
    // Gambit's function and steps, not only its equilibria: end points that are not yet
    // equilibria within 1e-6 are reproduced too.
    assert!(
        near_uncertified >= 4,
        "{near_uncertified} uncertified answers reproduced"
    );
}
