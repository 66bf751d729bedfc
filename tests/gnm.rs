//! `gnm` (the global Newton method) against independent answers: pygambit 16.7's `gnm_solve` on
//! Gambit's corpus (`expected-approx/`), `enumpoly` on random three- and four-player games (every
//! equilibrium gnm finds must be one of the isolated equilibria enumpoly lists), `enummixed` on
//! random two-player games, and regret recomputed from the game alone.

use crate::common;
use common::approx::{close, same_set};

use common::corpus_dir;
use common::index::{alternating, index};
use patron::game::payoffs_and_regret;
use patron::game::{random_bimatrix, random_game};
use patron::game::{Equilibrium, StrategicGame};
use patron::io::{read_game_file, GameFile};
use patron::solve::{solve_strategic, Method, SolveOptions};
use proptest::prelude::*;
use serde_json::Value;

/// Random games' payoffs are drawn from `0..GENERIC_BOUND`.
const GENERIC_BOUND: u64 = 1_000_000;

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

/// Why patron's gnm set may differ from pygambit's on a corpus game.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Why {
    /// pygambit's gnm returned no equilibrium on a generic game, which has at least one: its
    /// path lost its way. patron's set is checked against `enummixed` instead.
    PygambitFoundNone,
    /// The payoffs tie (two of a player's pure strategies earn the same against some pure
    /// profile of the others; checked below by [`payoff_ties`]), so the perturbed game's path
    /// meets points where several strategies enter or leave at once, or runs along λ = 0
    /// through a segment of equilibria. The path there is not a curve and its continuation is
    /// not defined by the method: GameTracer resolves each tie by the sign of a rounding error,
    /// patron continues into the first cell (fewest strategies changed, lowest index) whose
    /// curve leaves the tie, and stops where the path would enter a cell at a point it entered
    /// before (a cycle). Both sets are certified equilibria of the game. That no set is "the"
    /// gnm set of such a game is tested in `tests/gnm_generic_neighbours.rs`: pygambit's own set
    /// changes when the payoffs move by 1e-6 of their range, and on those generic neighbours
    /// patron's set is pygambit's (exceptions listed there with their reasons).
    Degenerate,
    /// pygambit's gnm hit the 20 s limit of `make.py`: nothing to compare.
    PygambitTimedOut,
}

/// Every corpus strategic game on which patron's gnm set differs from pygambit's, with the
/// reason (pygambit's answers certify on all of them; where it timed out, on 2x2x2.nfg, there
/// is nothing to compare). The test fails if a listed game matches, so the list stays exact.
const EXCEPTIONS: [(&str, Why); 11] = [
    // A = [[2, 0], [0, 1]], B = [[0, 1], [1, 0]]: a unique, mixed equilibrium.
    ("2x2.nfg", Why::PygambitFoundNone),
    // player 2 earns 3 from either strategy against player 1's first; pygambit finds none
    ("sww1.nfg", Why::Degenerate),
    // off-diagonal payoffs all 0: strategies 2–4 enter together at the start; pygambit takes
    // strategy 4, patron strategy 2
    ("coord4.nfg", Why::Degenerate),
    ("coordination_4x4_outcome.nfg", Why::Degenerate),
    ("coordination_4x4_payoff.nfg", Why::Degenerate),
    // zeros on the diagonal of a zero-sum game
    ("csg1.nfg", Why::Degenerate),
    // patron's path would cycle through the supports {2,3}×{1,2}, {2}×{1,2}, {1,2}×{1,2},
    // {1,2,3}×{1,2} near λ = 0 and stops; pygambit's leaves the tie elsewhere
    ("deg1.nfg", Why::Degenerate),
    // pygambit's path runs along λ = 0 through equilibrium segments, crossing it five times
    ("deg2.nfg", Why::Degenerate),
    // player 2 earns 7 from either strategy against player 1's first: a segment of equilibria
    // that pygambit's path crosses three times, patron's once
    ("loopback.nfg", Why::Degenerate),
    ("winkels.nfg", Why::Degenerate),
    ("2x2x2.nfg", Why::PygambitTimedOut),
];

/// Whether two of some player's pure strategies earn the same payoff against some pure profile
/// of the others (payoff tables are player-1-fastest).
pub(crate) fn payoff_ties(game: &StrategicGame) -> bool {
    let counts = game.strategy_counts();
    (0..counts.len()).any(|i| {
        let stride: usize = counts[..i].iter().product();
        let table = game.payoff_table_f64(i);
        (0..table.len())
            .filter(|k| (k / stride) % counts[i] == 0)
            .any(|k| {
                let mut values: Vec<f64> = (0..counts[i]).map(|s| table[k + s * stride]).collect();
                values.sort_by(f64::total_cmp);
                values.windows(2).any(|w| (w[1] - w[0]).abs() <= 1e-12)
            })
    })
}

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

/// On every corpus strategic game patron's gnm answers certify, and the set equals pygambit's
/// (within `common::approx::MATCH` (1e-6), one to one) wherever pygambit's answers certify,
/// except on the games of [`EXCEPTIONS`], each checked for its reason.
#[test]
fn corpus_strategic_games_match_pygambit_gnm() {
    let Some(dir) = corpus_dir() else { return };
    let mut matched = Vec::new();
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
        let exception = EXCEPTIONS.iter().find(|(n, _)| *n == name).map(|e| e.1);
        let Some((theirs, range)) = expected_gnm(&dir, &name) else {
            assert_eq!(
                exception,
                Some(Why::PygambitTimedOut),
                "{name}: no pygambit answer"
            );
            continue;
        };
        let theirs_certify = theirs.iter().all(|p| regret(&game, p) <= 1e-6 * range);
        assert!(
            theirs_certify,
            "{name}: pygambit's gnm answer does not certify"
        );
        let same = same_set(&ours, &theirs);
        match exception {
            None => {
                assert!(same, "{name}: patron {ours:?}\npygambit {theirs:?}");
                matched.push(name);
            }
            Some(why) => {
                assert!(
                    !same,
                    "{name} is listed as an exception but matches pygambit"
                );
                match why {
                    Why::Degenerate => assert!(payoff_ties(&game), "{name} has no payoff ties"),
                    Why::PygambitTimedOut => panic!("{name}: pygambit answered"),
                    Why::PygambitFoundNone => {
                        assert!(theirs.is_empty() && !payoff_ties(&game), "{name}");
                        let all =
                            solve_strategic(&game, Method::EnumMixed, &SolveOptions::default())
                                .unwrap();
                        let extreme: Vec<_> = all
                            .equilibria
                            .iter()
                            .map(Equilibrium::profile_f64)
                            .collect();
                        assert!(same_set(&ours, &extreme), "{name}: {ours:?} vs {extreme:?}");
                    }
                }
            }
        }
    }
    assert!(
        matched.len() >= 20,
        "only {} corpus games compared: {matched:?}",
        matched.len()
    );
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

/// On a random generic game gnm traces the path to its end, finds at least one equilibrium,
/// an odd number of them, each certified (regret recomputed here) and each one of enumpoly's
/// isolated equilibria (an independent solver: support enumeration with certified root
/// isolation), and their indices (computed from the game alone, [`index`]) alternate along the
/// path from +1, as index theory requires of one path component. Payoffs are drawn from a
/// million values, so that ties are rare, and a draw with a tie (not generic: see the ignored
/// test's note) is skipped.
fn check_generic(counts: &[usize], seed: u64) -> Result<(), TestCaseError> {
    let game = random_game(counts, GENERIC_BOUND, seed).unwrap();
    prop_assume!(!payoff_ties(&game), "a payoff tie: not a generic game");
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
    let mut indices = Vec::new();
    for p in &ours {
        let Some(q) = theirs.iter().find(|q| close(p, q)) else {
            return Err(TestCaseError::fail(format!("{p:?} not among {theirs:?}")));
        };
        indices.push(index(&game, q).map_err(TestCaseError::fail)?);
    }
    // index theory (`common::index`): one path's crossings alternate in index from +1, so a
    // tracer that jumped to another component shows as two equal indices in a row
    prop_assert_eq!(
        &indices,
        &alternating(ours.len()),
        "indices of the crossings, in path order ({} equilibria in all)",
        theirs.len()
    );
    prop_assert!(
        ours.len() % 2 == 1,
        "a generic path crosses λ = 0 an odd number of times"
    );
    Ok(())
}

proptest! {
    // A fixed seed, so that a run is repeatable (a random one makes CI flaky); the larger
    // games, slow in a debug build, are in the ignored test below (run with
    // `cargo test --release --test main -- --ignored gnm::`).
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
    /// Ignored by default: minutes in a debug build, about 2 s in a release one.
    ///
    /// Why the draws are generic: with payoffs from 0..99 (as this test drew them before) ties
    /// are common, and a game with ties is not generic. On the 2×2×2×3 game of seed
    /// 1364451944879508989 at that bound player 3 earns 46 from either strategy against
    /// (2, 2, ·, 3) and 10 against (2, 1, ·, 1), so the path meets λ = 0 exactly where strategies
    /// leave the supports; which of the events met at one point is taken first depends on where a
    /// step lands, and there the path re-entered the pure cell (2, 1, 2, 1) where it had entered
    /// it before and the cycle check stopped it (incomplete: by design, for degenerate games).
    /// Such games are covered by the corpus test's degenerate games; here the draws are generic
    /// ([`check_generic`]). Run with seeds 424242, 20261206 to 20261210 and 1 to 40: all pass in
    /// release, their crossings alternating in index.
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
    common::approx::profiles(&json["solvers"]["ipa"])
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

/// The generic 2×2×2×2 game that `PROPTEST_RNG_SEED=424242` draws in the ignored larger-games test
/// (`random_game(&[2, 2, 2, 2], GENERIC_BOUND, 13821616190619314441)`): enumpoly lists 3
/// equilibria (indices +1, −1, +1). The tracer used to cross the first two (+1, then −1), then
/// in the next step its corrector converged onto the stretch of the same cell's curve the path
/// had run through just before the first crossing, now run the other way (the orientation
/// check of `solve::gnm::trace` now refuses such a step), and it retraced the path back into
/// the start cell, heading to λ = +∞: an incomplete path with an even number of crossings.
#[test]
fn gnm_stays_on_its_path_on_the_generic_games_it_left() {
    check_generic(&[2, 2, 2, 2], 13821616190619314441).unwrap();
    // `PROPTEST_RNG_SEED=20261208`'s 3×2×2×2 draw: without the orientation check its path
    // also ends incomplete (checked by switching the check off)
    check_generic(&[3, 2, 2, 2], 4656403207797221305).unwrap();
}

/// The random 4×4×4 and 4×4×4×4 games of the peer comparison (`tests/data/games/gnm/README.md`),
/// where patron's gnm finds 13 and 17 equilibria and pygambit's 12 and 6. Index theory
/// ([`index`], computed from the game alone) decides which path is whole: patron's crossings
/// alternate in index from +1 and end on +1, as a complete path's must; pygambit's list is the
/// beginning of patron's, in the same order, and ends on an equilibrium of index −1, after which
/// a path must cross λ = 0 again: pygambit's stopped early.
#[test]
fn gnm_path_on_the_random_peer_games_alternates_in_index() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/games");
    for (game_file, pygambit_file, count) in [
        (
            "gnm/random-4x4x4.nfg",
            "gnm/random-4x4x4.pygambit-gnm.json",
            13,
        ),
        (
            "ipa/random-4x4x4x4.nfg",
            "gnm/random-4x4x4x4.pygambit-gnm.json",
            17,
        ),
    ] {
        let Ok(GameFile::Strategic(game)) = read_game_file(&data.join(game_file)) else {
            panic!("{game_file}")
        };
        let (ours, complete) = gnm(&game);
        assert!(complete, "{game_file}");
        assert_eq!(ours.len(), count, "{game_file}");
        let indices: Vec<i32> = ours
            .iter()
            .map(|p| index(&game, p).unwrap_or_else(|e| panic!("{game_file}: {e}")))
            .collect();
        assert_eq!(indices, alternating(count), "{game_file}");

        let json: Value =
            serde_json::from_str(&std::fs::read_to_string(data.join(pygambit_file)).unwrap())
                .unwrap();
        let theirs: Vec<Vec<Vec<f64>>> =
            serde_json::from_value(json["equilibria"].clone()).unwrap();
        assert!(theirs.len() < ours.len(), "{pygambit_file}");
        for (k, (p, q)) in theirs.iter().zip(&ours).enumerate() {
            assert!(
                close(p, q),
                "{pygambit_file}: equilibrium {k}: {p:?} vs {q:?}"
            );
        }
        let last = theirs.last().expect("pygambit found some");
        assert_eq!(index(&game, last), Ok(-1), "{pygambit_file}");
    }
}

/// bayes2a's reduced form moved by at most ε = 1e-6 and 1e-3 of its payoff range, seeds 1–3
/// (`tests/data/games/gnm/bayes2a-neighbours/`, written by `generic-neighbours/make.py` with
/// pygambit's answers): 64 × 64 games still full of near-ties, where the corrector's Newton
/// step at a point already on the path is rounding over a tiny singular value. Before the
/// corrector accepted a residual at rounding level (`src/solve/gnm/trace.rs`, `step`), patron's
/// path stopped ("no step length was accepted") on 5 of the 6. Now it ends on all 6 with one
/// exactly certified equilibrium, pygambit's where pygambit's path ended (4 of 6; on the
/// others pygambit returns none, an even count, so its path did not reach its end), and on the
/// ε = 1e-3 ones of index +1, as a complete path's single crossing must be.
#[test]
fn gnm_path_ends_on_bayes2a_neighbours() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/games/gnm/bayes2a-neighbours");
    let mut pygambit_ended = 0;
    for family in ["eps-1e-6", "eps-1e-3"] {
        for json_file in common::files_ending(&data.join(family), ".nfg.json") {
            let json: Value =
                serde_json::from_str(&std::fs::read_to_string(&json_file).unwrap()).unwrap();
            let name = format!("{family}/{}", json["file"].as_str().unwrap());
            let Ok(GameFile::Strategic(game)) = read_game_file(&data.join(&name)) else {
                panic!("{name}")
            };
            let solved = solve_strategic(&game, Method::Gnm, &SolveOptions::default())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(solved.complete, "{name}");
            assert!(
                solved.equilibria.len() == 1
                    && matches!(solved.equilibria[0], Equilibrium::Exact(_)),
                "{name}: {:?}",
                solved.equilibria
            );
            let ours = vec![solved.equilibria[0].profile_f64()];
            if family == "eps-1e-3" {
                assert_eq!(index(&game, &ours[0]), Ok(1), "{name}");
            }
            let theirs = common::approx::profiles(&json["solvers"]["gnm"]);
            if theirs.is_empty() {
                continue;
            }
            assert!(same_set(&ours, &theirs), "{name}: pygambit {theirs:?}");
            pygambit_ended += 1;
        }
    }
    assert_eq!(pygambit_ended, 4);
}
