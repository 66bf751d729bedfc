//! pygambit's answers from the approximate solvers (`expected-approx/`), and how they are
//! compared: the corpus game as a strategic game, closeness, Gambit-style certification.

use patron::game::reduced_strategic_form;
use patron::game::StrategicGame;
use patron::game::{payoff_range, payoffs_and_regret};
use patron::io::{read_game_file, GameFile};
use patron::num::parse_q;
use serde_json::Value;
use std::path::Path;

/// Probabilities closer than this are the same equilibrium (the acceptance bound).
pub const MATCH: f64 = 1e-6;

/// The strategic game of a corpus file: the game itself, or a tree's reduced strategic form
/// (the form pygambit's strategic solvers use on trees).
pub fn strategic(path: &Path) -> StrategicGame {
    match read_game_file(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
        GameFile::Strategic(g) => g,
        GameFile::Extensive(t) => reduced_strategic_form(&t).expect("reduced form").0,
    }
}

/// pygambit's answers for one method on every corpus game it finished: (file, profiles).
pub fn approx_answers(dir: &Path, method: &str) -> Vec<(std::path::PathBuf, Vec<Vec<Vec<f64>>>)> {
    let mut out = Vec::new();
    for file in super::files_ending(&dir.join("expected-approx"), ".json") {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let block = &v["solvers"][method];
        if block["status"] != "ok" {
            continue;
        }
        let game = dir.join(v["file"].as_str().unwrap());
        out.push((game, profiles(block)));
    }
    out
}

/// The equilibria of one solver's block of an answers file (`{"equilibria": [{"profile"}]}`):
/// per equilibrium, per player, each probability as [`number`] reads it.
pub fn profiles(block: &Value) -> Vec<Vec<Vec<f64>>> {
    block["equilibria"]
        .as_array()
        .expect("equilibria")
        .iter()
        .map(|e| {
            e["profile"]
                .as_array()
                .expect("profile")
                .iter()
                .map(|s| {
                    s.as_array()
                        .expect("a strategy")
                        .iter()
                        .map(number)
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// Whether the two lists are the same set: each profile of one within [`MATCH`] of one of the
/// other, paired one to one.
pub fn same_set(ours: &[Vec<Vec<f64>>], theirs: &[Vec<Vec<f64>>]) -> bool {
    let mut unused: Vec<&Vec<Vec<f64>>> = theirs.iter().collect();
    ours.len() == theirs.len()
        && ours.iter().all(|p| {
            let found = unused.iter().position(|q| close(p, q));
            found.map(|k| unused.swap_remove(k)).is_some()
        })
}

/// A probability written as a JSON number or an exact fraction string.
pub fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| {
        patron::num::to_f64(&parse_q(v.as_str().expect("number or fraction")).unwrap())
    })
}

pub fn close(a: &[Vec<f64>], b: &[Vec<f64>]) -> bool {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .all(|(x, y)| (x - y).abs() <= MATCH)
}

/// Gambit's profile certifies when its regret is at most 1e-6 of the payoff range (the
/// expected files' README).
pub fn gambit_certifies(game: &StrategicGame, profile: &[Vec<f64>]) -> bool {
    let (_, regret) = payoffs_and_regret(game, profile);
    regret <= 1e-6 * payoff_range(game)
}

/// Every point `k/10` of the way from `a` to `b` has regret at most 1e-6 of the payoff range:
/// the two answers lie in one component of equilibria (as far as the grid of points shows).
pub fn segment_certifies(game: &StrategicGame, a: &[Vec<f64>], b: &[Vec<f64>]) -> bool {
    (0..=10).all(|k| {
        let t = f64::from(k) / 10.0;
        let mid: Vec<Vec<f64>> = a
            .iter()
            .zip(b)
            .map(|(x, y)| {
                x.iter()
                    .zip(y)
                    .map(|(p, q)| (1.0 - t) * p + t * q)
                    .collect()
            })
            .collect();
        gambit_certifies(game, &mid)
    })
}
