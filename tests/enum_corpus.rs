//! `enumpure` and `enummixed` on Gambit's example games, read in place from
//! `$PATRON_GAMBIT_CORPUS` (GPL data, never copied into this repository) and compared with
//! pygambit 16.7's answers in `expected/<file>.json` (`enumpure_solve`, and
//! `enummixed_solve(rational=True)` for two-player games).
//!
//! The `enumpure` list must match in order; the `enummixed` one as a set (see below).
//!
//! Without the variable the test fails loudly, unless `PATRON_ALLOW_NO_CORPUS=1`.

use patron::game::{certify_exact, StrategicGame};
use patron::io::nfg::parse_nfg;
use patron::num::{fmt_q, parse_q, Q};
use patron::solve::enummixed::enummixed;
use patron::solve::enumpure::enumpure;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The corpus folder, or `None` (after a loud warning) when the caller allowed its absence.
fn corpus_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PATRON_GAMBIT_CORPUS") {
        return Some(PathBuf::from(dir));
    }
    // Written to the stderr handle directly: libtest captures `eprintln!` of passing tests.
    let _ = std::io::stderr().write_all(
        b"\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
         !!! PATRON_GAMBIT_CORPUS is not set: enumpure/enummixed were NOT checked  !!!\n\
         !!! against Gambit. Set it to the corpus folder (../shared/games/gambit). !!!\n\
         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
    );
    let allowed = std::env::var("PATRON_ALLOW_NO_CORPUS").is_ok_and(|v| v == "1");
    assert!(
        allowed,
        "PATRON_GAMBIT_CORPUS unset (set PATRON_ALLOW_NO_CORPUS=1 to skip)"
    );
    None
}

/// `(game, expected JSON)` for every `.nfg` file that has an expected answer, sorted by name.
fn corpus_games(dir: &Path) -> Vec<(String, StrategicGame, Value)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "nfg"))
        .collect();
    paths.sort();
    let games: Vec<_> = paths
        .into_iter()
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            let json = dir.join("expected").join(format!("{name}.json"));
            let expected: Value = serde_json::from_str(&std::fs::read_to_string(json).ok()?)
                .unwrap_or_else(|e| panic!("{name}: expected file is not JSON: {e}"));
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            let game = parse_nfg(&text, &name).unwrap_or_else(|e| panic!("{e}"));
            Some((name, game, expected))
        })
        .collect();
    assert!(
        !games.is_empty(),
        "no .nfg files with expected answers in {}",
        dir.display()
    );
    games
}

/// The profiles of a solver's `equilibria`, as exact probabilities; `None` unless it ran ok.
fn expected_profiles(expected: &Value, solver: &str) -> Option<Vec<Vec<Vec<Q>>>> {
    let run = expected.get("solvers")?.get(solver)?;
    if run.get("status")?.as_str()? != "ok" {
        return None;
    }
    let profiles = run["equilibria"].as_array()?.iter().map(|eq| {
        let strategies = eq["probs"].as_array().expect("probs");
        strategies
            .iter()
            .map(|s| {
                let probs = s.as_array().expect("strategy");
                probs
                    .iter()
                    .map(|p| parse_q(p.as_str().expect("string")).expect("rational"))
                    .collect()
            })
            .collect()
    });
    Some(profiles.collect())
}

fn text(profile: &[Vec<Q>]) -> String {
    let players: Vec<String> = profile
        .iter()
        .map(|s| s.iter().map(fmt_q).collect::<Vec<_>>().join(","))
        .collect();
    format!("[{}]", players.join(" | "))
}

fn sorted(mut profiles: Vec<Vec<Vec<Q>>>) -> Vec<Vec<Vec<Q>>> {
    profiles.sort();
    profiles
}

#[test]
fn enumpure_matches_gambit_in_order() {
    let Some(dir) = corpus_dir() else { return };
    let mut checked = 0;
    for (name, game, expected) in corpus_games(&dir) {
        let Some(want) = expected_profiles(&expected, "enumpure") else {
            continue;
        };
        let got: Vec<Vec<Vec<Q>>> = enumpure(&game)
            .iter()
            .map(|pure| {
                let strategy = |(p, &s): (usize, &usize)| {
                    (0..game.num_strategies(p))
                        .map(|t| Q::from((t == s) as u8))
                        .collect()
                };
                pure.iter().enumerate().map(strategy).collect()
            })
            .collect();
        let show = |v: &[Vec<Vec<Q>>]| v.iter().map(|p| text(p)).collect::<Vec<_>>();
        assert_eq!(
            show(&got),
            show(&want),
            "{name}: enumpure differs from Gambit"
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} games had an enumpure answer");
}

#[test]
fn enummixed_matches_gambit_as_a_set() {
    let Some(dir) = corpus_dir() else { return };
    let mut checked = 0;
    for (name, game, expected) in corpus_games(&dir) {
        if game.num_players() != 2 {
            continue;
        }
        let Some(want) = expected_profiles(&expected, "enummixed") else {
            continue;
        };
        let got = enummixed(&game).unwrap_or_else(|e| panic!("{name}: {e}"));
        for profile in &got {
            certify_exact(&game, profile.clone())
                .unwrap_or_else(|e| panic!("{name}: {} does not certify: {e}", text(profile)));
        }
        // Gambit lists a degenerate vertex once per basis (csg2.nfg: 9 lines, 4 profiles), so
        // its answer is compared as a set; ours must have no repeats.
        let mut want = sorted(want);
        want.dedup();
        let show = |v: &[Vec<Vec<Q>>]| v.iter().map(|p| text(p)).collect::<Vec<_>>();
        let got = sorted(got);
        assert_eq!(
            show(&got),
            show(&want),
            "{name}: enummixed differs from Gambit"
        );
        checked += 1;
    }
    assert!(
        checked >= 20,
        "only {checked} two-player games had an enummixed answer"
    );
}
