//! `gnm` and `ipa` on game trees, through the reduced strategic form as Gambit's `gambit-gnm`
//! and `gambit-ipa` do, against pygambit 16.7's `gnm_solve` and `ipa_solve` on Gambit's corpus
//! trees (`expected-approx/`, default perturbation): pygambit's answers are mixed profiles over
//! the reduced strategies it lists in `game.strategy_actions`, which must be patron's reduced
//! strategies in patron's order before any profile is compared.

use crate::common;

use crate::gnm::payoff_ties;
use common::approx::{gambit_certifies, number, profiles, same_set};
use common::corpus_dir;
use patron::game::{payoff_range, payoffs_and_regret};
use patron::game::{reduced_strategic_form, ExtensiveGame, ReducedMap, StrategicGame};
use patron::io::{read_game_file, GameFile};
use patron::num::Q;
use patron::solve::{solve_tree, TreeMethod};
use patron::solve::{Deadline, SolveOptions};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// Seconds each run may take, as pygambit's in `make.py`.
const SECONDS: u64 = 20;

/// A corpus tree with pygambit's answers file.
struct Case {
    name: String,
    tree: ExtensiveGame,
    /// `None` without perfect recall, where neither patron nor pygambit has one.
    reduced: Option<StrategicGame>,
    json: Value,
}

/// Every corpus tree pygambit read (its `status` is `ok`), with its reduced strategic form,
/// after checking that pygambit's strategies are patron's reduced strategies in patron's order.
fn cases(dir: &Path) -> Vec<Case> {
    let mut out = Vec::new();
    for file in common::files_ending(&dir.join("expected-approx"), ".efg.json") {
        let json: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        if json["status"] != "ok" {
            continue;
        }
        let name = json["file"].as_str().unwrap().to_string();
        let Ok(GameFile::Extensive(tree)) = read_game_file(&dir.join(&name)) else {
            panic!("{name}: not a game tree")
        };
        let reduced = tree.is_perfect_recall().then(|| {
            let (reduced, map) = reduced_strategic_form(&tree).expect("reduced form");
            assert_same_strategies(&name, &tree, &map, &json["game"]["strategy_actions"]);
            reduced
        });
        out.push(Case {
            name,
            tree,
            reduced,
            json,
        });
    }
    out
}

/// pygambit's reduced strategies, as the action each takes at each of the player's information
/// sets (`null` where the strategy never reaches it), equal patron's in order.
fn assert_same_strategies(name: &str, tree: &ExtensiveGame, map: &ReducedMap, theirs: &Value) {
    let players = theirs.as_array().expect("strategy_actions");
    assert_eq!(players.len(), tree.num_players(), "{name}");
    for (p, strategies) in players.iter().enumerate() {
        let ours = common::reduced_strategy_actions(tree, map, p);
        let theirs: Vec<Vec<Option<String>>> =
            serde_json::from_value(strategies.clone()).expect("actions");
        assert_eq!(ours, theirs, "{name}: player {}'s strategies", p + 1);
    }
}

/// pygambit's profiles for `method`, or why there are none (its `status`).
fn pygambit(case: &Case, method: &str) -> Result<Vec<Vec<Vec<f64>>>, String> {
    let block = &case.json["solvers"][method];
    if block["status"] != "ok" {
        return Err(block["status"].as_str().unwrap_or("missing").to_string());
    }
    Ok(profiles(block))
}

/// patron's answers on the tree within [`SECONDS`] (pygambit's limit in `make.py`): each
/// certified inside `solve_tree` (reduced-form regret and every reached information set's agent
/// regret), as mixed profiles over the reduced form, and whether the run was complete.
fn patron(case: &Case, method: TreeMethod) -> patron::Result<(Vec<Vec<Vec<f64>>>, bool)> {
    let deadline = Deadline::after(Duration::from_secs(SECONDS));
    let options = SolveOptions {
        deadline: &deadline,
        ..SolveOptions::default()
    };
    let solved = solve_tree(&case.tree, method, &options)?;
    let profiles = solved
        .equilibria
        .iter()
        .map(|e| {
            let text = e.text();
            text.profile
                .expect("a reduced-form profile")
                .iter()
                .map(|s| s.iter().map(|x| number(&Value::from(x.as_str()))).collect())
                .collect()
        })
        .collect();
    Ok((profiles, solved.complete))
}

/// Why patron's answer on a corpus tree may differ from pygambit's; each is checked.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Why {
    /// The tree lacks perfect recall: pygambit refuses mixed strategies on it (status
    /// `error`), patron refuses to solve it (Kuhn's equivalence fails).
    ImperfectRecall,
    /// The path's very first event meets several boundaries at one point (two or more
    /// strategies reach a best reply at once: [`strategies_met_at_the_first_event`]), so the
    /// method does not say how it continues; a rule does. pygambit's rule ends with a certified
    /// answer or none (status `ok`). patron's takes the cells across the fewest boundaries
    /// first and comes back through the tie into the start cell, heading to λ = +∞, and stops
    /// there with an error naming that. (On bayes2a the tie is two strategies of player 2 earning 20
    /// against player 1's first: at that λ every mixture of player 2 over them and its first
    /// strategy is an equilibrium of the perturbed game, a two-dimensional set; patron's path
    /// goes down along one edge of it and comes back up along another.) A generic game cannot
    /// do this: there, index theory holds the path to its course (`tests/gnm.rs`). On bcp2's
    /// six generic neighbours (`tests/gnm_generic_neighbours.rs`) patron's gnm set is
    /// pygambit's, and pygambit's own set moves with the perturbation.
    TieAtFirstEvent,
    /// pygambit hit the 20 s limit of `make.py` (status `timeout`): nothing to compare.
    PygambitTimedOut,
    /// The reduced form has more strategies than `MAX_GNM_STRATEGIES` (dense Jacobians):
    /// patron refuses it by that limit's name.
    OverStrategyLimit,
    /// Open bug of patron's path following (`src/solve/gnm/`, `src/solve/ipa/`, being worked
    /// on elsewhere): within the 20 s the path stops (an error naming why) or has not ended
    /// (the answer is marked incomplete). Checked: an error or `complete: false`.
    PathStops,
    /// pygambit's answer fails certification (its regret above `1e-6` of the payoff range:
    /// `common::approx::gambit_certifies`); patron's path ends with a certified answer.
    PygambitUncertified,
    /// The reduced form has payoff ties ([`payoff_ties`]), where the path's continuation is
    /// decided by rounding (see `tests/gnm.rs`'s `Why::Degenerate`): patron's and pygambit's
    /// sets differ, both certified equilibria of the game. Tested in
    /// `tests/gnm_generic_neighbours.rs` on the reduced forms moved by 1e-6 of the payoff range:
    /// there pygambit's own set moves, and patron's gnm set and ipa answer are pygambit's
    /// (exceptions listed there with their reasons).
    Degenerate,
}

/// Every corpus tree on which patron's gnm set differs from pygambit's, with the reason. The
/// test fails if a listed tree matches, so the list stays exact.
const GNM_EXCEPTIONS: [(&str, Why); 17] = [
    ("2x2x2.efg", Why::PygambitTimedOut),
    ("myerson.efg", Why::ImperfectRecall),
    // 12 + 512 strategies
    ("montyhal.efg", Why::OverStrategyLimit),
    // the first event meets four strategies at once (player 2's 55 and 56 among them, 20 each
    // against player 1's first); pygambit finds none in 0.5 s, patron's path returns to the
    // start cell
    ("bayes2a.efg", Why::TieAtFirstEvent),
    // the first event meets three strategies at once (player 1's 7 and 8, one of player 2's);
    // pygambit's rule finds one equilibrium, patron's path returns to the start cell
    ("bcp2.efg", Why::TieAtFirstEvent),
    // pygambit's path finds none; patron's meets boundaries exactly at λ = 0, where no cell
    // across them continues it: the point it stops at is an equilibrium, reported (its regret
    // is recomputed in `compare`) with the answer marked incomplete
    ("condjury.efg", Why::PathStops),
    // pygambit's path crosses λ = 0 three times, patron's once (at pygambit's first)
    ("badgame1.efg", Why::Degenerate),
    ("badgame2.efg", Why::Degenerate),
    ("km1.efg", Why::Degenerate),
    ("wilson1.efg", Why::Degenerate),
    // one crossing each, at different points or components
    ("bhg1.efg", Why::Degenerate),
    ("centcs6.efg", Why::Degenerate),
    ("e13.efg", Why::Degenerate),
    ("e17.efg", Why::Degenerate),
    ("hs1.efg", Why::Degenerate),
    ("work1.efg", Why::Degenerate),
    ("w_ex2.efg", Why::Degenerate),
];

/// Every corpus tree on which patron's ipa answer differs from pygambit's, with the reason.
const IPA_EXCEPTIONS: [(&str, Why); 5] = [
    ("myerson.efg", Why::ImperfectRecall),
    ("montyhal.efg", Why::OverStrategyLimit),
    // pygambit's answer does not certify (regret 0.31, range 20: expected-approx/README.md)
    ("bayes2a.efg", Why::PygambitUncertified),
    // another equilibrium than pygambit's, both certified, on games with payoff ties
    ("e13.efg", Why::Degenerate),
    ("hs1.efg", Why::Degenerate),
];

/// The method's answers on every corpus tree against pygambit's, checking each exception's
/// reason; returns the trees that match.
fn compare(method: TreeMethod, key: &str, exceptions: &[(&str, Why)]) -> Vec<String> {
    let Some(dir) = corpus_dir() else {
        return Vec::new();
    };
    let mut matched = Vec::new();
    let mut differ = Vec::new();
    let mut listed = Vec::new();
    for case in cases(&dir) {
        let name = case.name.as_str();
        let exception = exceptions.iter().find(|(n, _)| *n == name).map(|e| e.1);
        let theirs = pygambit(&case, key);
        let ours = patron(&case, method);
        if let Ok((profiles, _)) = &ours {
            let reduced = case.reduced.as_ref().expect("solved, so perfect recall");
            for p in profiles {
                let (_, regret) = payoffs_and_regret(reduced, p);
                assert!(
                    regret <= 1e-9 * payoff_range(reduced).max(1.0),
                    "{name}: patron's {p:?} has regret {regret}"
                );
            }
        }
        let certify = |p: &Vec<Vec<f64>>| {
            case.reduced
                .as_ref()
                .is_some_and(|r| gambit_certifies(r, p))
        };
        // The same set, pygambit's certified, and patron's path followed to its end.
        let same = match (&ours, &theirs) {
            (Ok((o, complete)), Ok(t)) => *complete && t.iter().all(certify) && same_set(o, t),
            _ => false,
        };
        match exception {
            None if same => matched.push(name.to_string()),
            None => differ.push(format!("{name}: patron {ours:?}\n   pygambit {theirs:?}")),
            Some(why) => {
                assert!(!same, "{name} is listed ({why:?}) but matches pygambit");
                listed.push(name.to_string());
                let err = ours.as_ref().err().map(ToString::to_string);
                match why {
                    Why::ImperfectRecall => {
                        assert!(case.reduced.is_none(), "{name} has perfect recall");
                        assert_eq!(theirs.as_ref().unwrap_err(), "error", "{name}");
                        assert!(err.unwrap().contains("perfect recall"), "{name}");
                    }
                    Why::PygambitTimedOut => {
                        assert_eq!(theirs.as_ref().unwrap_err(), "timeout", "{name}");
                        assert!(err.is_none(), "{name}: {err:?}");
                    }
                    Why::OverStrategyLimit => {
                        assert!(err.unwrap().contains("MAX_GNM_STRATEGIES"), "{name}");
                    }
                    Why::PathStops => {
                        assert!(
                            ours.as_ref().map_or(true, |(_, complete)| !complete),
                            "{name}: patron's path ended"
                        );
                    }
                    Why::TieAtFirstEvent => {
                        let reduced = case.reduced.as_ref().unwrap();
                        let met = strategies_met_at_the_first_event(reduced);
                        assert!(met >= 2, "{name}: {met} strategies met at the first event");
                        let theirs = theirs.as_ref().unwrap();
                        assert!(theirs.iter().all(certify), "{name}: pygambit's fails");
                        assert!(
                            err.as_ref()
                                .is_some_and(|e| e.contains("heads back to λ = +∞")),
                            "{name}: {ours:?}"
                        );
                    }
                    Why::PygambitUncertified => {
                        let theirs = theirs.as_ref().unwrap();
                        assert!(!theirs.iter().all(certify), "{name}: pygambit's certifies");
                        assert!(
                            ours.as_ref()
                                .is_ok_and(|(p, complete)| *complete && !p.is_empty()),
                            "{name}: {ours:?}"
                        );
                    }
                    Why::Degenerate => {
                        let reduced = case.reduced.as_ref().unwrap();
                        assert!(payoff_ties(reduced), "{name} has no payoff ties");
                        let theirs = theirs.as_ref().unwrap();
                        assert!(theirs.iter().all(certify), "{name}: pygambit's fails");
                        assert!(err.is_none(), "{name}: {err:?}");
                    }
                }
            }
        }
    }
    println!(
        "{method} on trees: {} of {} match pygambit ({matched:?}); {} listed exceptions; {} \
         differ\n{}",
        matched.len(),
        matched.len() + listed.len() + differ.len(),
        listed.len(),
        differ.len(),
        differ.join("\n")
    );
    assert!(differ.is_empty(), "{} trees differ", differ.len());
    matched
}

/// On every corpus tree patron's gnm answers (certified inside `solve_tree`, their regret
/// recomputed here on the reduced form) are the set pygambit's gnm finds on the reduced
/// strategic form, within `common::approx::MATCH` (1e-6) one to one, where pygambit's answers
/// certify, except on [`GNM_EXCEPTIONS`], each checked for its reason.
#[test]
fn corpus_trees_match_pygambit_gnm() {
    let matched = compare(TreeMethod::Gnm, "gnm", &GNM_EXCEPTIONS);
    assert!(corpus_dir().is_none() || matched.len() >= 10, "{matched:?}");
}

/// `ipa` on every corpus tree reaches pygambit's `ipa_solve` equilibrium (within
/// `common::approx::MATCH` (1e-6)) except on [`IPA_EXCEPTIONS`].
#[test]
fn corpus_trees_match_pygambit_ipa() {
    let matched = compare(TreeMethod::Ipa, "ipa", &IPA_EXCEPTIONS);
    assert!(corpus_dir().is_none() || matched.len() >= 22, "{matched:?}");
}

/// How many strategies reach a best reply at the path's first event, for the default
/// perturbation (a bonus `λ·c`, the same for every player, on each player's first strategy).
/// From λ = +∞ the path is the profile of first strategies until the λ where some player's
/// bonus no longer covers its gap: what its best other strategy earns over its first against
/// the others' first strategies. Every strategy of every player whose gap is that largest one
/// and that earns its best other payoff reaches the support's payoff there, at one point. On a
/// generic ray of a generic game that is one strategy; two or more are several boundaries met
/// at one point, where the method does not say which cell the path continues in (a rule does:
/// see `tests/gnm.rs`'s `Why::Degenerate`). Computed in exact arithmetic from the game alone.
fn strategies_met_at_the_first_event(game: &StrategicGame) -> usize {
    let n = game.num_players();
    let start = vec![0; n];
    // each player's gap at the start, and its best other strategies
    let gaps: Vec<(Q, usize)> = (0..n)
        .map(|i| {
            let payoff = |s: usize| {
                let mut pure = start.clone();
                pure[i] = s;
                game.payoff(i, &pure)
            };
            let best = (1..game.num_strategies(i))
                .map(payoff)
                .max()
                .expect("two strategies");
            let ties = (1..game.num_strategies(i))
                .filter(|&s| payoff(s) == best)
                .count();
            (best - payoff(0), ties)
        })
        .collect();
    let first = gaps.iter().map(|(gap, _)| gap).max().unwrap();
    gaps.iter()
        .filter(|(gap, _)| gap == first)
        .map(|(_, ties)| ties)
        .sum()
}
