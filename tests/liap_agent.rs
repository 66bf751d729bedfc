//! `liap --agent` (behaviour strategies on game trees) against pygambit 16.7's
//! `liap_agent_solve` on Gambit's corpus trees: every answer patron prints passes the tree
//! certification (Nash in the reduced form and sequentially rational at every reached
//! information set, within the stated bound), and pygambit's answers that certify are counted
//! when reproduced.

use crate::common;

/// pygambit's liap answers stop at regret 1e-4 of the range, so their probabilities are only
/// that accurate: an answer within this of patron's (often polished, exact) is the same one.
const LIAP_MATCH: f64 = 1e-4;
use common::corpus_dir;
use patron::io::{read_game_file, GameFile};
use patron::solve::SolveOptions;
use patron::solve::{solve_tree, TreeMethod};
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

#[test]
fn corpus_trees() {
    let Some(dir) = corpus_dir() else { return };
    let mut entries: Vec<_> = std::fs::read_dir(dir.join("expected-approx"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".efg.json"))
        .collect();
    entries.sort();
    let (mut answered, mut certified_theirs, mut reproduced) = (0, 0, 0);
    let mut missed = Vec::new();
    for file in entries {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        if v["solvers"]["liap_agent"]["status"] != "ok" {
            continue;
        }
        let path = dir.join(v["file"].as_str().unwrap());
        let GameFile::Extensive(tree) = read_game_file(&path).unwrap() else {
            panic!()
        };
        // Every printed answer has passed certification inside solve_tree.
        let solved = solve_tree(&tree, TreeMethod::LiapAgent, &SolveOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ours: Vec<Vec<f64>> = solved
            .equilibria
            .iter()
            .map(|e| {
                e.text()
                    .behavior
                    .iter()
                    .flatten()
                    .flatten()
                    .map(|t| {
                        patron::num::to_f64(&patron::num::parse_q(t).unwrap_or_else(|| {
                            t.parse::<f64>()
                                .map(|f| patron::num::from_f64(f).unwrap())
                                .unwrap()
                        }))
                    })
                    .collect()
            })
            .collect();
        answered += usize::from(!ours.is_empty());
        for theirs in certified_answers(&v) {
            certified_theirs += 1;
            if ours.iter().any(|o| {
                o.iter()
                    .zip(&theirs)
                    .all(|(a, b)| (a - b).abs() <= LIAP_MATCH)
            }) {
                reproduced += 1;
            } else {
                missed.push(format!(
                    "{}: patron {ours:?}\n  pygambit {theirs:?}",
                    path.display()
                ));
            }
        }
    }
    println!("answered {answered}; reproduced {reproduced} of pygambit's {certified_theirs} certified answers\n{}", missed.join("\n"));
    assert!(
        answered >= 10 && reproduced >= 3,
        "{answered} answered, {reproduced} reproduced"
    );
}
