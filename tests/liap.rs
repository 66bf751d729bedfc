//! `liap` against independent answers: pygambit 16.7's `liap_solve` on Gambit's corpus (same
//! centroid start, `maxregret` 1e-4, `maxiter` 1000), and certification on random three- and
//! four-player games.

use crate::common;

use common::approx::{approx_answers, close, gambit_certifies, segment_certifies, strategic};
use common::corpus_dir;
use patron::game::random_game;
use patron::game::{payoff_range, payoffs_and_regret};
use patron::solve::NO_DEADLINE;
use patron::solve::{liap_until, LiapOptions};
use proptest::prelude::*;

/// Games with a component of equilibria (a segment of them) where the minimiser, creeping
/// along the flat bottom of the function, stops at a point that rounding decides: patron's and
/// pygambit's end points differ along the component by more than 1e-6 (pygambit's own answers
/// on `vd.efg` and `vd.nfg`, one strategic game, differ by 1e-4 the same way). For these the test
/// checks that the two answers are in one component: every point between them certifies.
const ALONG_A_COMPONENT: [&str; 9] = [
    "badgame2.efg",
    "e04.efg",
    "e04.nfg",
    "km1.efg",
    "todd2.nfg",
    "vd.efg",
    "vd.nfg",
    "winkels.nfg",
    "work1.efg",
];

/// With the same arguments patron's liap takes Gambit's steps, so on every corpus game where
/// pygambit's answer certifies (regret at most 1e-6 of the payoff range), patron's is the same
/// equilibrium within 1e-6 per probability. Every answer patron gives certifies at its stated
/// bound (1e-4 of the range), whether or not pygambit found one.
#[test]
fn corpus_matches_pygambit_from_the_centroid() {
    let Some(dir) = corpus_dir() else { return };
    let (mut answered, mut matched, mut along, mut certified) = (0, 0, 0, 0);
    let mut report = Vec::new();
    for (path, gambit) in approx_answers(&dir, "liap") {
        let game = strategic(&path);
        let answer = liap_until(&game, &LiapOptions::default(), &NO_DEADLINE)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let ours = answer.equilibrium.as_ref().map(|e| e.profile_f64());
        if let Some(o) = &ours {
            answered += 1;
            let (_, regret) = payoffs_and_regret(&game, o);
            assert!(
                regret <= 1e-4 * payoff_range(&game),
                "{name}: regret {regret}"
            );
        }
        for theirs in gambit.iter().filter(|p| gambit_certifies(&game, p)) {
            certified += 1;
            let end = &answer.end_point;
            match &ours {
                Some(o) if close(end, theirs) || close(o, theirs) => matched += 1,
                Some(o)
                    if ALONG_A_COMPONENT.contains(&name.as_str())
                        && segment_certifies(&game, o, theirs) =>
                {
                    along += 1
                }
                _ => report.push(format!("{name}: patron {end:?}\n   pygambit {theirs:?}")),
            }
        }
    }
    println!(
        "liap answered {answered} corpus games; {matched} of pygambit's {certified} certified \
         answers matched, {along} in the same component"
    );
    assert!(
        report.is_empty(),
        "{} differ:\n{}",
        report.len(),
        report.join("\n")
    );
    assert!(
        certified >= 30,
        "only {certified} certified pygambit answers"
    );
}

proptest! {
    // A fixed seed, as tests/simpdiv.rs: a random one makes a failure unreproducible.
    #![proptest_config(ProptestConfig {
        cases: 16,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261206),
        ..ProptestConfig::default()
    })]

    /// Random 3- and 4-player games: whatever liap answers certifies at its bound.
    #[test]
    fn n_player_answers_certify(
        counts in prop_oneof![Just(vec![2, 2, 2]), Just(vec![3, 3, 3]), Just(vec![2, 2, 2, 2])],
        seed in any::<u64>(),
    ) {
        let game = random_game(&counts, 20, seed).unwrap();
        let answer = liap_until(&game, &LiapOptions::default(), &NO_DEADLINE).unwrap();
        if let Some(eq) = answer.equilibrium {
            let (_, regret) = payoffs_and_regret(&game, &eq.profile_f64());
            prop_assert!(regret <= 1e-4 * payoff_range(&game) + 1e-12, "regret {regret}");
        }
    }
}
