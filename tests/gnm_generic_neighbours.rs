//! What `Why::Degenerate` in `tests/gnm.rs` and `tests/tree_gnm.rs` claims, tested: on a corpus
//! game with payoff ties the gnm set is not a function of the game, while on a generic
//! neighbour of it patron's gnm set is pygambit's.
//!
//! The neighbours are in `tests/data/games/generic-neighbours/` (written by its `make.py`, with
//! pygambit 16.7's `gnm_solve` and `ipa_solve` answers beside each): for each of the 20 games
//! listed `Degenerate` (9 strategic games, 11 trees through their reduced strategic form), and
//! bcp2, listed `TieAtFirstEvent` in `tests/tree_gnm.rs` (its payoff ties meet three strategies
//! at the path's first event; on its neighbours patron's gnm set is pygambit's), and
//! each of three seeds, every payoff moved by a seeded amount of at most ε of the payoff range,
//! in two families, ε = 1e-6 (`eps-1e-6/`) and ε = 1e-3 (`eps-1e-3/`). A game without payoff
//! ties is generic in the sense gnm needs: the path is a curve (no point where two strategies
//! enter or leave at once) from λ = +∞ to λ = −∞ (Govindan & Wilson 2003, see
//! `src/solve/gnm/mod.rs`), so it crosses λ = 0 an odd number of times, and every program that
//! follows it finds the same crossings. On each neighbour the tests check:
//! * the file is a neighbour: the original's strategic form (read here from the corpus) with
//!   every payoff within ε of the range (plus the rounding to decimals), and no payoff ties;
//! * pygambit's gnm answers certify and are odd in number;
//! * patron's gnm path ends, its answers certify, and they are pygambit's set (within
//!   `common::approx::MATCH`, one to one), except on [`GNM_EXCEPTIONS`], each checked;
//! * patron's ipa answer is pygambit's `ipa_solve` answer, which certifies, except on
//!   [`IPA_EXCEPTIONS`].
//!
//! And on each original game, pygambit's own gnm set there and on its three ε = 1e-6
//! neighbours are not all one set ([`pygambit_gnm_sets_move_under_tiny_perturbations`]): a
//! payoff change of a millionth of the range moves whole equilibria in or out of the set, so no
//! set is "the" gnm answer on the tied game, and patron's and pygambit's sets there may differ
//! without either being wrong.

use crate::common;
use crate::gnm::payoff_ties;
use common::approx::{close, gambit_certifies, profiles, same_set, strategic};
use common::corpus_dir;
use common::index::{alternating, index};
use patron::game::{payoff_range, payoffs_and_regret, Equilibrium, StrategicGame};
use patron::io::{read_game_file, GameFile};
use patron::solve::{solve_strategic, Method, SolveOptions};
use serde_json::Value;
use std::path::Path;

/// The two families of neighbours: the folder, under `tests/data/games/generic-neighbours/`,
/// named by the largest move of a payoff as a fraction of the payoff range.
const FAMILIES: [&str; 2] = ["eps-1e-6", "eps-1e-3"];

/// Neighbours per family: 21 degenerate corpus games, three seeds each.
const PER_FAMILY: usize = 63;

/// Sets of equilibria further apart than this (the counts differ, or some equilibrium of one
/// is further than this from every one of the other) are different sets, not one set moved by
/// the perturbation. assumption: near a generic game equilibria move Lipschitz-continuously
/// with the payoffs; a constant of up to 1000 (times ε = 1e-6) is allowed for.
const MOVED: f64 = 1e-3;

/// Why patron's answer on a neighbour is not pygambit's; each is checked.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Why {
    /// patron's path stops before its end: an error (for ipa a limit point that does not
    /// certify) or an answer marked incomplete, while pygambit follows the path through (its
    /// answers each within `MATCH` of an exact equilibrium: checked). gnm stopped so on 15
    /// runs until the path follower (`src/solve/gnm/trace.rs`) learned to follow a boundary
    /// whose distance changes slowly along the path (at a rate of order ε, the trace of the
    /// tie the perturbation broke): `locate` swung by rounding over that rate (now it accepts a
    /// residual at rounding level, `tol::GNM_RESIDUAL`), a step landing a rounding unit short
    /// of `EVENT_SLACK` past a boundary left the boundary's point more than `TIE` behind (now
    /// not "behind" when the start had reached it), the tiny step up to such a boundary was
    /// refused by the corrector's first-correction bound, and a boundary met within `TIE` of
    /// distance but far along the path (bhg1 s1) blocked the crossing.
    PatronStops,
    /// Both find the same number of equilibria, paired within [`MOVED`] but not within
    /// `MATCH`: the neighbour is nearly degenerate (its equilibria sit in a valley of regret
    /// as flat as ε), so a profile a few `MATCH` from the equilibrium still has regret far
    /// below Gambit's certification bound. Checked against the exact equilibria (`enummixed`
    /// in rational arithmetic on the neighbour): patron's answers are each within `MATCH` of
    /// one, pygambit's are not.
    PygambitInexact,
    /// As [`Why::PygambitInexact`], the other way round: pygambit's answers are within `MATCH`
    /// of an exact equilibrium, patron's (certified to regret 1e-9 of the range) are not.
    PatronInexact,
}

/// Every (family, neighbour) on which patron's gnm set is not pygambit's, with the reason. The
/// test fails if a listed one matches, so the list stays exact.
const GNM_EXCEPTIONS: [(&str, &str, Why); 1] = [
    // pygambit's second equilibrium is 5.5e-6 from the exact one (its regret 1.2e-11)
    ("eps-1e-6", "hs1-efg-s1.nfg", Why::PygambitInexact),
];

/// Every (family, neighbour) on which patron's ipa answer is not pygambit's, with the reason.
const IPA_EXCEPTIONS: [(&str, &str, Why); 4] = [
    // ipa's limit point is a pure profile that does not certify (an error naming it)
    ("eps-1e-6", "bhg1-efg-s1.nfg", Why::PatronStops),
    // ipa's limit point has player 1's probabilities summing to 1 + 3e-6 and 1 + 2e-6 (so it
    // is Lemke's answer on a polymatrix approximation: the support system's sum to 1 by
    // construction), and its support's equations have no solution nearby: an error naming it
    ("eps-1e-6", "bcp2-efg-s1.nfg", Why::PatronStops),
    ("eps-1e-6", "bcp2-efg-s2.nfg", Why::PatronStops),
    // patron's answer (regret below 1e-9 of the range) is 3.3e-6 from the game's only
    // equilibrium, the pure one pygambit returns
    ("eps-1e-6", "bhg1-efg-s2.nfg", Why::PatronInexact),
];

/// A neighbour: its game, and pygambit's answers file.
struct Neighbour {
    file: String,
    game: StrategicGame,
    json: Value,
}

/// Every neighbour of a family, sorted by file name.
fn neighbours(family: &str) -> Vec<Neighbour> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/games/generic-neighbours")
        .join(family);
    let all: Vec<Neighbour> = common::files_ending(&dir, ".nfg.json")
        .iter()
        .map(|path| {
            let json: Value =
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            let file = json["file"].as_str().expect("file").to_string();
            let Ok(GameFile::Strategic(game)) = read_game_file(&dir.join(&file)) else {
                panic!("{file}: not a strategic game")
            };
            Neighbour { file, game, json }
        })
        .collect();
    assert_eq!(all.len(), PER_FAMILY, "{family}");
    all
}

/// pygambit's profiles for `method` on a neighbour; its status must be `ok` and every answer
/// must certify (regret at most 1e-6 of the range).
fn pygambit(n: &Neighbour, method: &str) -> Vec<Vec<Vec<f64>>> {
    let block = &n.json["solvers"][method];
    assert_eq!(block["status"], "ok", "{}: pygambit's {method}", n.file);
    let theirs = profiles(block);
    assert!(
        theirs.iter().all(|p| gambit_certifies(&n.game, p)),
        "{}: pygambit's {method} answers do not certify",
        n.file
    );
    theirs
}

/// patron's answers for `method` on a game, each with its regret recomputed here, and whether
/// the run was complete.
fn patron(game: &StrategicGame, method: Method) -> patron::Result<(Vec<Vec<Vec<f64>>>, bool)> {
    let solved = solve_strategic(game, method, &SolveOptions::default())?;
    let ours: Vec<_> = solved
        .equilibria
        .iter()
        .map(Equilibrium::profile_f64)
        .collect();
    for p in &ours {
        let (_, regret) = payoffs_and_regret(game, p);
        assert!(
            regret <= 1e-9 * payoff_range(game),
            "patron's {method} {p:?} has regret {regret}"
        );
    }
    Ok((ours, solved.complete))
}

/// Each profile of one list within `within` of a profile of the other, one to one.
fn same_set_within(a: &[Vec<Vec<f64>>], b: &[Vec<Vec<f64>>], within: f64) -> bool {
    let near = |p: &Vec<Vec<f64>>, q: &Vec<Vec<f64>>| {
        p.iter()
            .flatten()
            .zip(q.iter().flatten())
            .all(|(x, y)| (x - y).abs() <= within)
    };
    let mut unused: Vec<&Vec<Vec<f64>>> = b.iter().collect();
    a.len() == b.len()
        && a.iter().all(|p| {
            let found = unused.iter().position(|q| near(p, q));
            found.map(|k| unused.swap_remove(k)).is_some()
        })
}

/// Whether every profile is within `MATCH` of one of the neighbour's exact equilibria (all of
/// them: the neighbours are generic two-player games, whose equilibria `enummixed` lists).
fn all_exact(n: &Neighbour, answers: &[Vec<Vec<f64>>]) -> bool {
    let exact: Vec<_> = solve_strategic(&n.game, Method::EnumMixed, &SolveOptions::default())
        .expect("enummixed")
        .equilibria
        .iter()
        .map(Equilibrium::profile_f64)
        .collect();
    answers.iter().all(|p| exact.iter().any(|q| close(p, q)))
}

/// The neighbour is the original game (from the corpus: a tree through its reduced strategic
/// form) with every payoff moved by at most ε of the range, and has no payoff ties.
fn assert_is_generic_neighbour(dir: &Path, n: &Neighbour) {
    let original = strategic(&dir.join(n.json["neighbour_of"].as_str().unwrap()));
    let counts = original.strategy_counts();
    assert_eq!(counts, n.game.strategy_counts(), "{}", n.file);
    // make.py's largest move, plus the rounding to decimals (at most a thousandth of it)
    let epsilon = patron::num::parse_q(n.json["epsilon"].as_str().expect("epsilon")).unwrap();
    let bound = 1.001 * patron::num::to_f64(&epsilon) * payoff_range(&original);
    for p in 0..counts.len() {
        let moved = original
            .payoff_table_f64(p)
            .iter()
            .zip(n.game.payoff_table_f64(p))
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(
            moved <= bound,
            "{}: player {p}'s payoffs moved {moved}",
            n.file
        );
    }
    assert!(
        payoff_ties(&original),
        "{}: the original has no ties",
        n.file
    );
    assert!(!payoff_ties(&n.game), "{}: the neighbour has ties", n.file);
}

/// Compares patron's `method` with pygambit's on every neighbour of both families: each
/// outcome is printed, a match must not be listed in `exceptions`, and a mismatch must be,
/// with its reason checked. Returns how many matched.
fn compare(method: Method, key: &str, exceptions: &[(&str, &str, Why)]) -> usize {
    let mut matched = 0;
    let mut unexplained = Vec::new();
    for family in FAMILIES {
        for n in &neighbours(family) {
            let theirs = pygambit(n, key);
            if method == Method::Gnm {
                assert!(
                    theirs.len() % 2 == 1,
                    "{}: {} answers",
                    n.file,
                    theirs.len()
                );
            }
            let ours = patron(&n.game, method);
            if let (Method::Gnm, "eps-1e-3", Ok((o, true))) = (method, family, &ours) {
                // one path's crossings alternate in index from +1 (`common::index`; at
                // ε = 1e-6 the support Jacobians are too near singular, det/bound ~ 1e-14, for
                // a float determinant's sign)
                let indices: Vec<Result<i32, String>> =
                    o.iter().map(|p| index(&n.game, p)).collect();
                let expected: Vec<Result<i32, String>> =
                    alternating(o.len()).into_iter().map(Ok).collect();
                assert_eq!(indices, expected, "{family}/{}: indices", n.file);
            }
            let same = matches!(&ours, Ok((o, true)) if same_set(o, &theirs));
            println!("{key} {family}/{}: same {same}; patron {ours:?}", n.file);
            let listed = exceptions
                .iter()
                .find(|(f, name, _)| *f == family && *name == n.file)
                .map(|e| e.2);
            let Some(why) = listed else {
                if same {
                    assert!(all_exact(n, &theirs), "{family}/{}: inexact", n.file);
                    matched += 1;
                } else {
                    unexplained.push(format!("{family}/{}: pygambit {theirs:?}", n.file));
                }
                continue;
            };
            assert!(!same, "{family}/{} is listed ({why:?}) but matches", n.file);
            match why {
                Why::PatronStops => {
                    assert!(
                        ours.as_ref().map_or(true, |(_, complete)| !complete),
                        "{family}/{}: patron's run ended",
                        n.file
                    );
                    assert!(all_exact(n, &theirs), "{family}/{}: inexact", n.file);
                }
                Why::PygambitInexact | Why::PatronInexact => {
                    let (ours, complete) = ours.expect("an answer");
                    assert!(complete, "{family}/{}", n.file);
                    assert!(
                        same_set_within(&ours, &theirs, MOVED),
                        "{family}/{}",
                        n.file
                    );
                    let patron_exact = why == Why::PygambitInexact;
                    assert_eq!(all_exact(n, &ours), patron_exact, "{family}/{}", n.file);
                    assert_eq!(all_exact(n, &theirs), !patron_exact, "{family}/{}", n.file);
                }
            }
        }
    }
    assert!(unexplained.is_empty(), "{unexplained:#?}");
    matched
}

/// Every neighbour is what `make.py` says it is: the original with each payoff moved by at
/// most ε of the range, and without payoff ties.
#[test]
fn neighbours_are_generic_and_near_the_originals() {
    let Some(dir) = corpus_dir() else { return };
    for family in FAMILIES {
        neighbours(family)
            .iter()
            .for_each(|n| assert_is_generic_neighbour(&dir, n));
    }
}

/// On every neighbour pygambit's gnm set certifies and has odd size, and patron's gnm set is
/// the same set, its path followed to the end, except on [`GNM_EXCEPTIONS`]; on the ε = 1e-3
/// neighbours patron's crossings alternate in index from +1 (`common::index`).
#[test]
fn gnm_on_generic_neighbours_matches_pygambit() {
    let matched = compare(Method::Gnm, "gnm", &GNM_EXCEPTIONS);
    assert_eq!(matched, 2 * PER_FAMILY - GNM_EXCEPTIONS.len());
}

/// On every neighbour patron's ipa answer is pygambit's `ipa_solve` answer, which certifies,
/// except on [`IPA_EXCEPTIONS`].
#[test]
fn ipa_on_generic_neighbours_matches_pygambit() {
    let matched = compare(Method::Ipa, "ipa", &IPA_EXCEPTIONS);
    assert_eq!(matched, 2 * PER_FAMILY - IPA_EXCEPTIONS.len());
}

/// On every degenerate corpus game, pygambit's gnm set on the game (`expected-approx/`) and its
/// sets on the game's three ε = 1e-6 neighbours are not all one set (within [`MOVED`]): payoff
/// changes of a millionth of the range change pygambit's own answer.
#[test]
fn pygambit_gnm_sets_move_under_tiny_perturbations() {
    let Some(dir) = corpus_dir() else { return };
    let all = neighbours(FAMILIES[0]);
    let mut originals: Vec<&str> = all
        .iter()
        .map(|n| n.json["neighbour_of"].as_str().unwrap())
        .collect();
    originals.dedup();
    assert_eq!(originals.len(), PER_FAMILY / 3);
    for name in originals {
        let file = dir.join("expected-approx").join(format!("{name}.json"));
        let json: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let mut sets = vec![profiles(&json["solvers"]["gnm"])];
        sets.extend(
            all.iter()
                .filter(|n| n.json["neighbour_of"] == name)
                .map(|n| pygambit(n, "gnm")),
        );
        assert_eq!(sets.len(), 4, "{name}: the game and three neighbours");
        assert!(
            sets.iter().any(|s| !same_set_within(s, &sets[0], MOVED)),
            "{name}: pygambit's gnm set is the same on the game and its neighbours: {sets:?}"
        );
    }
}
