//! `liap` against independent answers: on Gambit's corpus every answer certifies at the stated
//! bound (1e-4 of the payoff range, pygambit's `liap_solve` setting), and where Gambit's
//! `enummixed` lists a single equilibrium of a two-player game, liap's answer is that one. How
//! often it lands where pygambit 16.7's `liap_solve` does is counted: a local minimiser's end
//! point depends on its line searches (docs/solvers-advanced.md, "liap").

use crate::common;

use common::approx::{approx_answers, close, gambit_certifies, strategic};

/// pygambit's liap answers stop at regret 1e-4 of the range, so their probabilities are only
/// that accurate: an answer within this of patron's (often polished, exact) is the same one.
const LIAP_MATCH: f64 = 1e-4;

fn within(a: &[Vec<f64>], b: &[Vec<f64>]) -> bool {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .all(|(x, y)| (x - y).abs() <= LIAP_MATCH)
}
use common::{corpus_dir, equilibria, solver};
use patron::game::random_game;
use patron::game::{payoff_range, payoffs_and_regret};
use patron::num::to_f64;
use patron::solve::deadline::NO_DEADLINE;
use patron::solve::liap::{liap_until, LiapOptions};
use proptest::prelude::*;
use serde_json::Value;

#[test]
fn corpus_answers_certify_and_unique_equilibria_are_found() {
    let Some(dir) = corpus_dir() else { return };
    let (mut answered, mut unique, mut like_pygambit, mut pygambit_certified) = (0, 0, 0, 0);
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
            pygambit_certified += 1;
            like_pygambit += usize::from(ours.as_ref().is_some_and(|o| within(o, theirs)));
        }
        let expected = dir.join("expected").join(format!("{name}.json"));
        let Ok(text) = std::fs::read_to_string(expected) else {
            continue;
        };
        let expected: Value = serde_json::from_str(&text).unwrap();
        if let Some(block) = solver(&expected, "enummixed") {
            if let [only] = &equilibria(block)[..] {
                let only: Vec<Vec<f64>> = only
                    .iter()
                    .map(|s| s.iter().map(to_f64).collect())
                    .collect();
                let o = ours.as_ref().unwrap_or_else(|| panic!("{name}: no answer"));
                assert!(
                    close(o, &only),
                    "{name}: {o:?}, the only equilibrium is {only:?}"
                );
                unique += 1;
            }
        }
    }
    println!(
        "liap answered {answered} corpus games; {unique} unique equilibria found; \
         {like_pygambit} of pygambit's {pygambit_certified} certified answers reproduced"
    );
    assert!(
        answered >= 45 && unique >= 10 && like_pygambit >= 16,
        "{answered} answered, {unique} unique, {like_pygambit} like pygambit"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

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
