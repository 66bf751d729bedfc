//! `lcp` (Lemke–Howson) on every two-player `.nfg` of Gambit's corpus, read in place from
//! `$PATRON_GAMBIT_CORPUS` (GPL data, never copied here) and compared with pygambit 16.7's
//! answers in `expected/<file>.json`: every equilibrium must be certified and belong to
//! `enummixed`'s exact set of extreme equilibria; the first one is compared with
//! `lcp_strategic` (Gambit's own Lemke–Howson run, `stop_after=1`) and must equal it.
//!
//! Without the variable the test fails loudly, unless `PATRON_ALLOW_NO_CORPUS=1`.

use patron::game::{certify_exact, StrategicGame};
use patron::io::nfg::parse_nfg;
use patron::num::{parse_q, Q};
use patron::solve::lcp::{lcp_all, lemke_howson, GAMBIT_FIRST_LABEL};
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;

fn corpus_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PATRON_GAMBIT_CORPUS") {
        return Some(PathBuf::from(dir));
    }
    // Straight to stderr: libtest captures `eprintln!` of passing tests.
    let _ = std::io::stderr().write_all(
        b"\n!!! PATRON_GAMBIT_CORPUS is not set: lcp was NOT checked against the Gambit corpus !!!\n",
    );
    let allowed = std::env::var("PATRON_ALLOW_NO_CORPUS").is_ok_and(|v| v == "1");
    assert!(
        allowed,
        "PATRON_GAMBIT_CORPUS unset (set PATRON_ALLOW_NO_CORPUS=1 to skip)"
    );
    None
}

/// Exact profiles of one solver's answer, or `None` when it has no `ok` answer.
fn profiles(solver: &Value) -> Option<Vec<Vec<Vec<Q>>>> {
    if solver.get("status")?.as_str()? != "ok" {
        return None;
    }
    let eqs = solver.get("equilibria")?.as_array()?;
    eqs.iter()
        .map(|eq| {
            eq.get("probs")?
                .as_array()?
                .iter()
                .map(|s| s.as_array()?.iter().map(|p| parse_q(p.as_str()?)).collect())
                .collect()
        })
        .collect()
}

/// Every two-player `.nfg` with an expected file: (name, game, expected solvers).
fn two_player_games(dir: &std::path::Path) -> Vec<(String, StrategicGame, Value)> {
    let mut out = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "nfg"))
        .collect();
    names.sort();
    for path in names {
        let name = path
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        let json = dir.join("expected").join(format!("{name}.json"));
        let Ok(text) = std::fs::read_to_string(&json) else {
            continue;
        };
        let expected: Value = serde_json::from_str(&text).expect("expected file is JSON");
        let text = std::fs::read_to_string(&path).expect("corpus file");
        let game = parse_nfg(&text, &name).unwrap_or_else(|e| panic!("{e}"));
        if game.num_players() == 2 {
            out.push((name, game, expected["solvers"].clone()));
        }
    }
    out
}

#[test]
fn lcp_equilibria_are_certified_extreme_equilibria_and_match_gambit() {
    let Some(dir) = corpus_dir() else { return };
    let games = two_player_games(&dir);
    assert!(
        games.len() >= 20,
        "only {} two-player games found in {}",
        games.len(),
        dir.display()
    );
    let mut compared = 0;
    for (name, game, solvers) in &games {
        let first =
            lemke_howson(game, GAMBIT_FIRST_LABEL).unwrap_or_else(|e| panic!("{name}: {e}"));
        let all = lcp_all(game).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            all.contains(&first),
            "{name}: lcp_all misses the first label's equilibrium"
        );
        for eq in &all {
            certify_exact(game, eq.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        if let Some(extreme) = profiles(&solvers["enummixed"]) {
            for eq in &all {
                assert!(
                    extreme.contains(eq),
                    "{name}: {eq:?} is not among enummixed's equilibria"
                );
            }
        }
        if let Some(gambit) = profiles(&solvers["lcp_strategic"]).and_then(|p| p.into_iter().next())
        {
            compared += 1;
            assert_eq!(
                first, gambit,
                "{name}: Gambit's lcp found another equilibrium first"
            );
        }
    }
    assert!(
        compared >= 20,
        "only {compared} games have Gambit's lcp answer"
    );
}
