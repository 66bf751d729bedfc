//! The tree solvers on every `.efg` of Gambit's corpus that has an expected file, read in
//! place from `$PATRON_GAMBIT_CORPUS` (GPL data, never copied here) and compared with
//! pygambit 16.7's answers in `expected/<file>.json`:
//!
//! * `lcp` (sequence form): certified again here, independently of the solver menu (agent
//!   regret on the tree, regret of the mixed profile in the reduced strategic form), equal to
//!   Gambit's `enummixed` set where that set has exactly one element, and compared with
//!   Gambit's own sequence-form answer `lcp_sequence` (all of them: same LCP, same covering
//!   vector, lexicographic pivoting; the count is printed);
//! * `lp` (sequence form): values equal Gambit's `lp_sequence` values exactly;
//! * `enumpure` on the reduced form: the same set as Gambit's `enumpure`;
//! * `enummixed` on the reduced form: the same set as Gambit's `enummixed`, except on games
//!   whose reduced form has more than [`ENUMMIXED_MAX_PROFILES`] pure profiles (named when
//!   skipped);
//! * `spe` on games of perfect information: every subgame-perfect equilibrium is a Nash
//!   equilibrium, so it must be in Gambit's `enumpure` set.
//!
//! Without the variable the suite fails loudly, unless `PATRON_ALLOW_NO_CORPUS=1`.

use crate::common;

use common::{as_set, behaviour, corpus_dir, equilibria, games_with_expected, solver};
use patron::game::certify_exact;
use patron::game::reduced_strategic_form;
use patron::game::ExtensiveGame;
use patron::io::{read_game_file, GameFile};
use patron::num::{fmt_q, parse_q, Q};
use patron::solve::SolveOptions;
use patron::solve::{solve_tree, CertifiedBehavior, TreeEquilibrium, TreeMethod};
use serde_json::Value;
use std::path::PathBuf;

/// `enummixed` is compared only on reduced forms with at most this many pure profiles
/// (vertex enumeration grows fast; Gambit itself timed out on the larger ones).
const ENUMMIXED_MAX_PROFILES: usize = 100;

/// Every corpus tree with an expected file: (name, game, expected JSON).
fn trees() -> Vec<(String, ExtensiveGame, Value)> {
    let Some(dir) = corpus_dir() else {
        return Vec::new();
    };
    games_with_expected(&dir, "efg")
        .into_iter()
        .map(|(path, expected): (PathBuf, Value)| {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .to_string();
            let game = match read_game_file(&path) {
                Ok(GameFile::Extensive(g)) => g,
                other => panic!("{name}: not a game tree: {other:?}"),
            };
            (name, game, expected)
        })
        .collect()
}

fn exact(e: &TreeEquilibrium) -> &CertifiedBehavior<Q> {
    match e {
        TreeEquilibrium::Exact(c) => c,
        TreeEquilibrium::Float(_) => panic!("expected an exact equilibrium, got {e:?}"),
    }
}

/// The reduced-form mixed profiles of certified equilibria.
fn profiles(equilibria: &[TreeEquilibrium]) -> Vec<Vec<Vec<Q>>> {
    equilibria
        .iter()
        .map(|e| {
            exact(e)
                .profile()
                .map(<[_]>::to_vec)
                .expect("reduced-form profile")
        })
        .collect()
}

/// Certification redone from the game alone: zero agent regret on the tree, and the mixed
/// profile passes `certify_exact` on a freshly built reduced strategic form.
fn recertify(name: &str, game: &ExtensiveGame, c: &CertifiedBehavior<Q>) {
    assert_eq!(game.agent_regret(c.behavior()).unwrap(), Q::ZERO, "{name}");
    let (reduced, map) = reduced_strategic_form(game).unwrap();
    let mixed = map.behavior_to_mixed(c.behavior()).unwrap();
    let certified = certify_exact(&reduced, mixed).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(certified.payoffs(), c.payoffs(), "{name}");
}

#[test]
fn sequence_form_lcp_is_certified_and_matches_gambit() {
    let (mut compared, mut equal, mut unique_checked) = (0, 0, 0);
    for (name, game, expected) in trees() {
        if game.num_players() != 2 {
            continue;
        }
        if let Some(why) = game.perfect_recall_violation() {
            let err = solve_tree(&game, TreeMethod::Lcp, &SolveOptions::default())
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("perfect recall") && err.contains(&why),
                "{name}: {err}"
            );
            continue;
        }
        let solved = solve_tree(&game, TreeMethod::Lcp, &SolveOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(solved.equilibria.len(), 1, "{name}");
        let ours = exact(&solved.equilibria[0]);
        recertify(&name, &game, ours);
        if let Some(block) = solver(&expected, "enummixed") {
            let all = equilibria(block);
            if all.len() == 1 {
                assert_eq!(
                    ours.profile(),
                    Some(&all[0][..]),
                    "{name}: the unique equilibrium"
                );
                unique_checked += 1;
            }
        }
        if let Some(block) = solver(&expected, "lcp_sequence") {
            let theirs = behaviour(&block["equilibria"][0]["probs"]);
            compared += 1;
            equal += usize::from(*ours.behavior() == theirs);
            assert_eq!(
                *ours.behavior(),
                theirs,
                "{name}: Gambit's lcp_sequence answer"
            );
        }
    }
    eprintln!(
        "lcp on trees: {equal} of {compared} equal Gambit's lcp_sequence exactly; \
         {unique_checked} games with a unique equilibrium checked"
    );
    if corpus_dir().is_some() {
        assert!(
            compared >= 20 && unique_checked >= 4,
            "{compared} {unique_checked}"
        );
    }
}

#[test]
fn sequence_form_lp_values_equal_gambit() {
    let (mut checked, mut same_strategies) = (0, 0);
    for (name, game, expected) in trees() {
        let Some(block) = solver(&expected, "lp_sequence") else {
            continue;
        };
        let solved = solve_tree(&game, TreeMethod::Lp, &SolveOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let values = solved.values.expect("lp reports values");
        let theirs = [&block["value_player1"], &block["value_player2"]]
            .map(|v| fmt_q(&parse_q(v.as_str().expect("value")).expect("rational")));
        assert_eq!(values, theirs, "{name}: lp values");
        let ours = exact(&solved.equilibria[0]);
        recertify(&name, &game, ours);
        checked += 1;
        // Optimal strategies need not be unique: only counted.
        same_strategies +=
            usize::from(*ours.behavior() == behaviour(&block["equilibria"][0]["probs"]));
    }
    eprintln!(
        "lp on trees: {checked} values equal Gambit's; {same_strategies} with the same strategies"
    );
    if corpus_dir().is_some() {
        assert!(checked >= 3, "only {checked} lp_sequence answers compared");
    }
}

#[test]
fn reduced_form_pure_equilibria_equal_gambits_enumpure() {
    let mut checked = 0;
    for (name, game, expected) in trees() {
        let Some(block) = solver(&expected, "enumpure") else {
            continue;
        };
        let solved = solve_tree(&game, TreeMethod::EnumPure, &SolveOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            as_set(&profiles(&solved.equilibria)),
            as_set(&equilibria(block)),
            "{name}: enumpure"
        );
        checked += 1;
    }
    if corpus_dir().is_some() {
        assert!(checked >= 20, "only {checked} enumpure answers compared");
    }
}

#[test]
fn reduced_form_extreme_equilibria_equal_gambits_enummixed() {
    let (mut checked, mut skipped) = (0, Vec::new());
    for (name, game, expected) in trees() {
        let Some(block) = solver(&expected, "enummixed") else {
            continue;
        };
        let (reduced, _) = reduced_strategic_form(&game).unwrap();
        if reduced.num_profiles() > ENUMMIXED_MAX_PROFILES {
            skipped.push(format!("{name} ({} profiles)", reduced.num_profiles()));
            continue;
        }
        let solved = solve_tree(&game, TreeMethod::EnumMixed, &SolveOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            as_set(&profiles(&solved.equilibria)),
            as_set(&equilibria(block)),
            "{name}: enummixed"
        );
        checked += 1;
    }
    eprintln!(
        "enummixed on trees: {checked} compared; skipped (reduced form too big): {}",
        if skipped.is_empty() {
            "none".to_string()
        } else {
            skipped.join(", ")
        }
    );
    if corpus_dir().is_some() {
        assert!(checked >= 15, "only {checked} enummixed answers compared");
    }
}

#[test]
fn subgame_perfect_equilibria_are_among_gambits_pure_equilibria() {
    let mut checked = 0;
    for (name, game, expected) in trees() {
        if !game.is_perfect_information() {
            continue;
        }
        let Some(block) = solver(&expected, "enumpure") else {
            continue;
        };
        let pure = as_set(&equilibria(block));
        let solved = solve_tree(&game, TreeMethod::Spe, &SolveOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        for spe in as_set(&profiles(&solved.equilibria)) {
            assert!(
                pure.contains(&spe),
                "{name}: SPE {spe} is not a pure equilibrium"
            );
        }
        checked += 1;
    }
    if corpus_dir().is_some() {
        assert!(checked >= 2, "only {checked} perfect-information games");
    }
}

/// Behaviour probabilities as floats, flattened: from our text output or Gambit's `probs`.
fn flat_behaviour(v: &Value) -> Vec<f64> {
    let number = |p: &Value| match p {
        Value::String(s) => patron::num::to_f64(&parse_q(s).expect("rational")),
        other => other.as_f64().expect("probability"),
    };
    v.as_array()
        .expect("players")
        .iter()
        .flat_map(|player| player.as_array().expect("sets").clone())
        .flat_map(|set| set.as_array().expect("actions").clone())
        .map(|p| number(&p))
        .collect()
}

/// `enumpoly` on the reduced form, as behaviour profiles, against Gambit's `enumpoly` on the
/// tree (its behaviour-strategy version): every Gambit equilibrium is among ours within 1e-6.
/// Ours may hold more only where the reduced form has a component of equilibria (a player's
/// mix at an unreached set is free within bounds), which enumpoly reports as incomplete with
/// sample points of it; otherwise the sets are equal.
#[test]
fn reduced_form_enumpoly_contains_gambits_enumpoly() {
    let mut checked = 0;
    for (name, game, expected) in trees() {
        let Some(block) = solver(&expected, "enumpoly") else {
            continue;
        };
        let theirs: Vec<Vec<f64>> = block["equilibria"]
            .as_array()
            .expect("equilibria")
            .iter()
            .map(|e| flat_behaviour(&e["probs"]))
            .collect();
        let solved = solve_tree(&game, TreeMethod::EnumPoly, &SolveOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let ours: Vec<Vec<f64>> = solved
            .equilibria
            .iter()
            .map(|e| flat_behaviour(&serde_json::json!(e.text().behavior)))
            .collect();
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-6);
        for t in &theirs {
            assert!(
                ours.iter().any(|o| close(o, t)),
                "{name}: Gambit's {t:?} missing from {ours:?}"
            );
        }
        let extra = ours
            .iter()
            .filter(|o| !theirs.iter().any(|t| close(o, t)))
            .count();
        assert!(
            extra == 0 || !solved.complete,
            "{name}: {extra} equilibria beyond Gambit's in a complete answer"
        );
        for e in &solved.equilibria {
            let regret = e.text().agent_regret;
            assert!(
                patron::num::to_f64(&parse_q(&regret).expect("number")).abs() < 1e-9,
                "{name}: agent regret {regret}"
            );
        }
        eprintln!(
            "enumpoly {name}: {} ours, {} Gambit's, complete {}",
            ours.len(),
            theirs.len(),
            solved.complete
        );
        checked += 1;
    }
    if corpus_dir().is_some() {
        assert!(checked >= 3, "only {checked} enumpoly answers compared");
    }
}
