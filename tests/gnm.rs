//! `gnm` (the global Newton method) against independent answers: pygambit 16.7's `gnm_solve` on
//! Gambit's corpus (`expected-approx/`), `enumpoly` on random three- and four-player games (every
//! equilibrium gnm finds must be one of the isolated equilibria enumpoly lists), `enummixed` on
//! random two-player games, and regret recomputed from the game alone.

mod common;

use common::corpus_dir;
use patron::game::random::{random_bimatrix, random_game};
use patron::game::regret::payoffs_and_regret;
use patron::game::{Equilibrium, StrategicGame};
use patron::io::{read_game_file, GameFile};
use patron::solve::method::{solve_strategic, Method, SolveOptions};
use proptest::prelude::*;
use serde_json::Value;

/// Probabilities closer than this are the same.
const MATCH: f64 = 1e-6;

fn gnm(game: &StrategicGame) -> (Vec<Vec<Vec<f64>>>, bool) {
    let solved = solve_strategic(game, Method::Gnm, &SolveOptions::default()).expect("gnm");
    (
        solved
            .equilibria
            .iter()
            .map(Equilibrium::profile_f64)
            .collect(),
        solved.complete,
    )
}

fn close(a: &[Vec<f64>], b: &[Vec<f64>]) -> bool {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .all(|(x, y)| (x - y).abs() <= MATCH)
}

/// Whether the two lists are the same set: each profile of one within [`MATCH`] of one of the
/// other, paired one to one.
fn same_set(ours: &[Vec<Vec<f64>>], theirs: &[Vec<Vec<f64>>]) -> bool {
    let mut unused: Vec<&Vec<Vec<f64>>> = theirs.iter().collect();
    ours.len() == theirs.len()
        && ours.iter().all(|p| {
            let found = unused.iter().position(|q| close(p, q));
            found.map(|k| unused.swap_remove(k)).is_some()
        })
}

/// Regret recomputed here, in floats, from the game alone.
fn regret(game: &StrategicGame, profile: &[Vec<f64>]) -> f64 {
    payoffs_and_regret(game, profile).1
}

fn payoff_range(game: &StrategicGame) -> f64 {
    let all = (0..game.num_players()).flat_map(|p| game.payoff_table_f64(p).iter().copied());
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), u| {
        (l.min(u), h.max(u))
    });
    (hi - lo).max(1.0)
}

/// Corpus games on which pygambit's gnm answer differs from patron's, and why. All are
/// degenerate two-player games: the default perturbation (1 on each first strategy) meets
/// payoff ties, where the path is not a curve but runs through several supports at one λ, or
/// along λ = 0 over a segment of equilibria. GameTracer then resolves each tie by the sign of
/// a rounding error; patron continues into the first cell (fewest strategies changed) whose
/// curve leaves the tie, and reports the points where the path crosses λ = 0. Both lists are
/// certified equilibria (checked below); they are different points of the same components.
const DEGENERATE: [&str; 21] = [
    "2x2.nfg", // Gambit found none
    "bcp2.efg",
    "bhg1.efg",
    "centcs6.efg",
    "coord4.nfg",
    "coordination_4x4_outcome.nfg",
    "coordination_4x4_payoff.nfg",
    "csg1.nfg",
    "deg1.nfg",
    "deg2.nfg",
    "e13.efg",
    "e17.efg",
    "hs1.efg",
    "km1.efg",
    "my_2-4.efg",
    "sww1.nfg", // Gambit found none
    "w_ex2.efg",
    "wilson1.efg",
    "winkels.nfg",
    "work1.efg",
    "loopback.nfg",
];

fn expected_gnm(dir: &std::path::Path, name: &str) -> Option<(Vec<Vec<Vec<f64>>>, f64)> {
    let text =
        std::fs::read_to_string(dir.join("expected-approx").join(format!("{name}.json"))).ok()?;
    let json: Value = serde_json::from_str(&text).expect("expected-approx JSON");
    let block = &json["solvers"]["gnm"];
    if block["status"] != "ok" {
        return None;
    }
    let bound = |key: &str| {
        patron::num::parse_q(json["game"][key].as_str()?).map(|q| patron::num::to_f64(&q))
    };
    let range = bound("max_payoff")? - bound("min_payoff")?;
    let profiles = block["equilibria"]
        .as_array()?
        .iter()
        .map(|e| serde_json::from_value(e["profile"].clone()).expect("profile"))
        .collect();
    Some((profiles, range))
}

#[test]
fn corpus_strategic_games_match_pygambit_gnm() {
    let Some(dir) = corpus_dir() else { return };
    let mut matched = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus").flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".nfg") {
            continue;
        }
        let Ok(GameFile::Strategic(game)) = read_game_file(&path) else {
            continue;
        };
        let (ours, _) = gnm(&game);
        assert!(!ours.is_empty(), "{name}: gnm found no equilibrium");
        for p in &ours {
            let r = regret(&game, p);
            assert!(
                r <= 1e-9 * payoff_range(&game),
                "{name}: regret {r} of {p:?}"
            );
        }
        let Some((theirs, range)) = expected_gnm(&dir, &name) else {
            continue;
        };
        let theirs_certify = theirs.iter().all(|p| regret(&game, p) <= 1e-6 * range);
        if DEGENERATE.contains(&name.as_str()) || !theirs_certify {
            continue;
        }
        assert!(
            same_set(&ours, &theirs),
            "{name}: patron {ours:?}\npygambit {theirs:?}"
        );
        matched += 1;
    }
    assert!(matched >= 20, "only {matched} corpus games compared");
}

fn shapes() -> impl Strategy<Value = Vec<usize>> {
    prop_oneof![prop::collection::vec(2usize..=3, 3), Just(vec![2, 2, 2, 2]),]
}

fn heavy_shapes() -> impl Strategy<Value = Vec<usize>> {
    prop_oneof![
        prop::collection::vec(2usize..=4, 3),
        prop::collection::vec(2usize..=3, 4),
    ]
}

/// On a random (generic) game gnm traces the path to its end, finds at least one equilibrium,
/// an odd number of them, each certified (regret recomputed here) and each one of enumpoly's
/// isolated equilibria (an independent solver: support enumeration with certified root
/// isolation).
fn check_generic(counts: &[usize], seed: u64) -> Result<(), TestCaseError> {
    let game = random_game(counts, 100, seed).unwrap();
    let (ours, complete) = gnm(&game);
    prop_assert!(complete, "the path was not followed to its end");
    prop_assert!(!ours.is_empty());
    for p in &ours {
        let r = regret(&game, p);
        prop_assert!(r <= 1e-9 * payoff_range(&game), "regret {r} of {p:?}");
    }
    let all = solve_strategic(&game, Method::EnumPoly, &SolveOptions::default()).unwrap();
    let theirs: Vec<_> = all
        .equilibria
        .iter()
        .map(Equilibrium::profile_f64)
        .collect();
    for p in &ours {
        prop_assert!(
            theirs.iter().any(|q| close(p, q)),
            "{p:?} not among {theirs:?}"
        );
    }
    prop_assert!(
        ours.len() % 2 == 1,
        "a generic path crosses λ = 0 an odd number of times"
    );
    Ok(())
}

proptest! {
    // A fixed seed, so that a run is repeatable (a random one makes CI flaky); the larger
    // games, slow in a debug build, are in the ignored test below (run with
    // `cargo test --release --test gnm -- --include-ignored`).
    #![proptest_config(ProptestConfig {
        cases: 16,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261206),
        ..ProptestConfig::default()
    })]

    /// Small random 3- and 4-player games: see [`check_generic`].
    #[test]
    fn gnm_finds_equilibria_that_enumpoly_lists(counts in shapes(), seed in any::<u64>()) {
        check_generic(&counts, seed)?;
    }

    /// On random two-player games every equilibrium gnm finds is certified and is one that
    /// enummixed lists.
    #[test]
    fn two_player_gnm_equilibria_are_extreme_equilibria(m in 2usize..=5, n in 2usize..=5, seed in any::<u64>()) {
        let game = random_bimatrix(m, n, 1000, seed);
        let (ours, _) = gnm(&game);
        prop_assert!(!ours.is_empty());
        let all = solve_strategic(&game, Method::EnumMixed, &SolveOptions::default()).unwrap();
        let theirs: Vec<_> = all.equilibria.iter().map(Equilibrium::profile_f64).collect();
        for p in &ours {
            let r = regret(&game, p);
            prop_assert!(r <= 1e-9 * payoff_range(&game), "regret {r} of {p:?}");
            prop_assert!(theirs.iter().any(|q| close(p, q)), "{p:?} not among {theirs:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 40,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261207),
        ..ProptestConfig::default()
    })]

    /// Larger random 3- and 4-player games (up to 4×4×4 and 3×3×3×3): see [`check_generic`].
    /// Ignored by default: minutes in a debug build, seconds in a release one.
    #[test]
    #[ignore]
    fn gnm_on_larger_games_finds_equilibria_that_enumpoly_lists(counts in heavy_shapes(), seed in any::<u64>()) {
        check_generic(&counts, seed)?;
    }
}

fn expected_ipa(dir: &std::path::Path, name: &str) -> Vec<Vec<Vec<f64>>> {
    let text = std::fs::read_to_string(dir.join("expected-approx").join(format!("{name}.json")))
        .expect("expected-approx file");
    let json: Value = serde_json::from_str(&text).expect("expected-approx JSON");
    json["solvers"]["ipa"]["equilibria"]
        .as_array()
        .expect("ipa equilibria")
        .iter()
        .map(|e| serde_json::from_value(e["profile"].clone()).expect("profile"))
        .collect()
}

/// `ipa` converges to the same equilibrium as pygambit's `ipa_solve` (within 1e-6), on the
/// corpus's strategic games with two to five players.
#[test]
fn ipa_matches_pygambit_on_corpus_games() {
    let Some(dir) = corpus_dir() else { return };
    for name in [
        "2x2.nfg",
        "2x2const.nfg",
        "2x2x2.nfg",
        "2x2x2x2.nfg",
        "2x2x2x2x2.nfg",
        "3x3x3.nfg",
        "5x4x3.nfg",
        "6x6_game_with_75_eq.nfg",
        "8x8.nfg",
    ] {
        let Ok(GameFile::Strategic(game)) = read_game_file(&dir.join(name)) else {
            panic!("{name}")
        };
        let solved = solve_strategic(&game, Method::Ipa, &SolveOptions::default()).expect("ipa");
        assert_eq!(solved.equilibria.len(), 1, "{name}");
        let ours = solved.equilibria[0].profile_f64();
        let theirs = expected_ipa(&dir, name);
        assert!(
            theirs.iter().any(|q| close(&ours, q)),
            "{name}: patron {ours:?}\npygambit {theirs:?}"
        );
    }
}
