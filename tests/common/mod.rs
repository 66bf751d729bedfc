//! Shared by the conformance tests: where Gambit's corpus is, and its expected answers.
//!
//! The corpus is GPL-licensed Gambit data: it is read in place from `$PATRON_GAMBIT_CORPUS`,
//! never copied here. Without the variable the suites fail loudly (set
//! `PATRON_ALLOW_NO_CORPUS=1` to skip them knowingly), so they can never pass silently.

pub mod backward_logit;

use patron::num::{parse_q, Q};

pub mod approx;
pub mod cli;
pub mod index;
use serde_json::Value;
use std::path::PathBuf;

/// Player `p`'s reduced strategies as pygambit's `strategy_actions` lists them: per strategy,
/// the label of the action it takes at each of the player's information sets, `None` where the
/// strategy never reaches the set.
pub fn reduced_strategy_actions(
    tree: &patron::game::ExtensiveGame,
    map: &patron::game::ReducedMap,
    p: usize,
) -> Vec<Vec<Option<String>>> {
    map.strategy_actions(p)
        .iter()
        .map(|s| {
            s.iter()
                .enumerate()
                .map(|(i, a)| a.map(|a| tree.infosets(p)[i].actions[a].clone()))
                .collect()
        })
        .collect()
}

/// The corpus folder, or `None` when skipping was explicitly allowed.
pub fn corpus_dir() -> Option<PathBuf> {
    match std::env::var_os("PATRON_GAMBIT_CORPUS") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(
                dir.join("expected").is_dir(),
                "PATRON_GAMBIT_CORPUS={} has no expected/ folder",
                dir.display()
            );
            Some(dir)
        }
        None if std::env::var_os("PATRON_ALLOW_NO_CORPUS").is_some() => {
            // Written to the stderr handle directly: libtest captures `eprintln!` of passing tests.
            use std::io::Write;
            let _ = std::io::stderr().write_all(
                b"\n*** Gambit conformance suite NOT RUN: PATRON_GAMBIT_CORPUS is not set ***\n",
            );
            None
        }
        None => panic!(
            "Gambit conformance suite NOT RUN: set PATRON_GAMBIT_CORPUS to Gambit's example games \
             (e.g. ../shared/games/gambit), or PATRON_ALLOW_NO_CORPUS=1 to skip it knowingly"
        ),
    }
}

/// The files of `dir` whose names end with `suffix` (e.g. `.nfg`, `.efg.json`), sorted.
pub fn files_ending(dir: &std::path::Path, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(suffix))
        })
        .collect();
    files.sort();
    files
}

/// Every corpus game with the given extension that has an expected file: (path, expected JSON).
pub fn games_with_expected(dir: &std::path::Path, ext: &str) -> Vec<(PathBuf, Value)> {
    let mut out = Vec::new();
    for path in files_ending(dir, &format!(".{ext}")) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let expected = dir.join("expected").join(format!("{name}.json"));
        if let Ok(text) = std::fs::read_to_string(&expected) {
            out.push((path, serde_json::from_str(&text).expect("expected JSON")));
        }
    }
    assert!(
        !out.is_empty(),
        "no .{ext} games with expected answers in {}",
        dir.display()
    );
    out
}

/// A solver's block of an expected file when Gambit finished it (`status == "ok"`).
pub fn solver<'a>(expected: &'a Value, name: &str) -> Option<&'a Value> {
    expected["solvers"]
        .get(name)
        .filter(|s| s["status"] == "ok")
}

/// A mixed profile given as rational strings: `[["1/2","1/2"],["1","0"]]`.
pub fn profile(v: &Value) -> Vec<Vec<Q>> {
    v.as_array()
        .expect("profile")
        .iter()
        .map(|s| {
            s.as_array()
                .expect("strategy")
                .iter()
                .map(|p| parse_q(p.as_str().expect("prob")).expect("rational"))
                .collect()
        })
        .collect()
}

/// A behaviour profile given as rational strings: `[[["1","0"], ...], ...]`.
pub fn behaviour(v: &Value) -> Vec<Vec<Vec<Q>>> {
    let list = |v: &Value| v.as_array().expect("array").clone();
    list(v)
        .iter()
        .map(|player| {
            list(player)
                .iter()
                .map(|set| {
                    list(set)
                        .iter()
                        .map(|p| parse_q(p.as_str().expect("prob")).expect("rational"))
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// Every equilibrium's profile in a solver block, as exact rationals.
pub fn equilibria(block: &Value) -> Vec<Vec<Vec<Q>>> {
    block["equilibria"]
        .as_array()
        .expect("equilibria")
        .iter()
        .map(|e| profile(&e["probs"]))
        .collect()
}

/// The same profiles as sorted text, for set comparison with readable failure messages.
pub fn as_set(profiles: &[Vec<Vec<Q>>]) -> std::collections::BTreeSet<String> {
    profiles
        .iter()
        .map(|p| {
            p.iter()
                .map(|s| {
                    s.iter()
                        .map(patron::num::fmt_q)
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

/// A tree of `k` tied choices: a chance move to `k` nodes of the only player, each choosing
/// between two actions paying 0. All 2^k pure profiles are Nash, subgame-perfect and
/// agent-form equilibria, over a reduced form of 2^k strategies.
pub fn independent_ties(k: usize) -> String {
    let probs: Vec<String> = (0..k).map(|i| format!("\"c{i}\" 1/{k}")).collect();
    let mut text = format!(
        "EFG 2 R \"ties\" {{ \"1\" }}\n\"\"\nc \"\" 1 \"\" {{ {} }} 0\n",
        probs.join(" ")
    );
    for i in 0..k {
        text.push_str(&format!(
            "p \"\" 1 {} \"\" {{ \"x\" \"y\" }} 0\nt \"\" 1 \"zero\" {{ 0 }}\nt \"\" 1 \"zero\" {{ 0 }}\n",
            i + 1
        ));
    }
    text
}
