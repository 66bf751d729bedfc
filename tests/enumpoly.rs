//! `enumpoly` (all isolated equilibria, any number of players) against independent answers:
//! Gambit's corpus, `enummixed` on nondegenerate two-player games, a three-player game solved by
//! hand, `enumpure`, and the support-count limit.

use crate::common;

use common::{corpus_dir, games_with_expected, solver};
use patron::game::random_bimatrix;
use patron::game::{certify_exact, certify_float, Equilibrium, StrategicGame};
use patron::io::{read_game_file, GameFile};
use patron::num::{parse_q, Q};
use patron::solve::enumpoly;
use patron::solve::Deadline;
use patron::solve::{solve_strategic, Method, SolveOptions};
use patron::Error;
use serde_json::Value;
use std::time::Duration;

/// Probabilities closer than this are the same (Gambit prints its float answers to ~1e-16).
const MATCH: f64 = 1e-6;

fn load(path: &std::path::Path) -> StrategicGame {
    match read_game_file(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
        GameFile::Strategic(g) => g,
        GameFile::Extensive(_) => panic!("{} is not a strategic game", path.display()),
    }
}

/// Gambit's float equilibria (`probs`: one list of numbers per player).
fn float_equilibria(block: &Value) -> Vec<Vec<Vec<f64>>> {
    block["equilibria"]
        .as_array()
        .expect("equilibria")
        .iter()
        .map(|e| {
            e["probs"]
                .as_array()
                .expect("probs")
                .iter()
                .map(|s| {
                    s.as_array()
                        .expect("strategy")
                        .iter()
                        .map(|p| p.as_f64().expect("probability"))
                        .collect()
                })
                .collect()
        })
        .collect()
}

fn close(a: &[Vec<f64>], b: &[Vec<f64>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| (p - q).abs() <= MATCH)
        })
}

/// Every profile of `these` is within [`MATCH`] of one of `those`; the ones that are not.
fn missing_from(these: &[Vec<Vec<f64>>], those: &[Vec<Vec<f64>>]) -> Vec<Vec<Vec<f64>>> {
    these
        .iter()
        .filter(|p| !those.iter().any(|q| close(p, q)))
        .cloned()
        .collect()
}

/// Solve through the certified entry point (the one the CLI uses); every answer has been
/// certified there, exact ones with regret exactly 0.
fn solve(game: &StrategicGame) -> (Vec<Equilibrium>, bool) {
    let solved =
        solve_strategic(game, Method::EnumPoly, &SolveOptions::default()).expect("enumpoly");
    (solved.equilibria, solved.complete)
}

fn profiles(equilibria: &[Equilibrium]) -> Vec<Vec<Vec<f64>>> {
    equilibria.iter().map(Equilibrium::profile_f64).collect()
}

/// Corpus games whose title states more equilibria than pygambit's `enumpoly_solve` listed:
/// (file, words of the title, the number they state). Gambit's polynomial solver is known to
/// lose equilibria on some platforms (gambitproject/gambit#474, #591); these two files' own titles
/// are the independent count.
const TITLE_COUNTS: [(&str, &str, usize); 2] = [
    ("2x2x2x2x2.nfg", "with five equilibria", 5),
    ("3x3x3.nfg", "with five equilibria (two pure)", 5),
];

#[test]
fn corpus_games_match_gambit_enumpoly() {
    let Some(dir) = corpus_dir() else { return };
    let mut checked = 0;
    for (path, expected) in games_with_expected(&dir, "nfg") {
        let Some(block) = solver(&expected, "enumpoly") else {
            continue;
        };
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let game = load(&path);
        let gambit = float_equilibria(block);
        let (equilibria, complete) = solve(&game);
        let ours = profiles(&equilibria);
        assert!(complete, "{name}: enumpoly did not resolve every support");
        assert!(
            missing_from(&gambit, &ours).is_empty(),
            "{name}: Gambit's {:?} not found",
            missing_from(&gambit, &ours)
        );
        let extra = missing_from(&ours, &gambit);
        match TITLE_COUNTS.iter().find(|(file, _, _)| *file == name) {
            Some((_, words, count)) => {
                assert!(game.title().contains(words), "{name}: title changed");
                assert_eq!(ours.len(), *count, "{name}: the title's count");
            }
            None => assert!(
                extra.is_empty(),
                "{name}: not in Gambit's answer: {extra:?}"
            ),
        }
        // certified again here, independently of the solver's own certification
        for e in &equilibria {
            match e {
                Equilibrium::Exact(c) => {
                    assert!(certify_exact(&game, c.profile().to_vec()).is_ok())
                }
                Equilibrium::Float(c) => {
                    assert!(certify_float(&game, c.profile().to_vec()).is_ok())
                }
            }
        }
        for (k, p) in ours.iter().enumerate() {
            assert!(
                !ours[..k].iter().any(|q| close(p, q)),
                "{name}: {p:?} listed twice"
            );
        }
        checked += 1;
    }
    assert!(
        checked >= 6,
        "only {checked} corpus games have enumpoly answers"
    );
}

/// McKelvey & McLennan's 2×2×2 example: all nine equilibria are rational, so all must come
/// out exact (Gambit's floats, e.g. 0.3333333333333333, identify them).
#[test]
fn mckelvey_mclennan_example_is_exact() {
    let Some(dir) = corpus_dir() else { return };
    let game = load(&dir.join("2x2x2.nfg"));
    let (equilibria, complete) = solve(&game);
    assert!(complete);
    assert_eq!(equilibria.len(), 9);
    assert!(equilibria
        .iter()
        .all(|e| matches!(e, Equilibrium::Exact(_))));
    let third = ["1/3", "2/3"];
    assert!(equilibria.iter().any(|e| {
        let text = e.profile_text();
        text[0] == third && text[1] == ["1", "0"] && text[2] == ["1/4", "3/4"]
    }));
}

/// On nondegenerate two-player games the equilibria are isolated and each is an extreme
/// equilibrium, so enumpoly's list must be enummixed's list (von Stengel 2002, §3).
#[test]
fn two_player_games_match_enummixed() {
    let shapes = [
        (1, 3),
        (2, 2),
        (2, 3),
        (3, 2),
        (3, 3),
        (3, 4),
        (4, 4),
        (5, 3),
        (5, 5),
    ];
    for (k, &(m, n)) in shapes.iter().cycle().take(45).enumerate() {
        let game = random_bimatrix(m, n, 1_000_000, 1000 + k as u64);
        let mixed =
            solve_strategic(&game, Method::EnumMixed, &SolveOptions::default()).expect("enummixed");
        let reference = profiles(&mixed.equilibria);
        let (equilibria, complete) = solve(&game);
        let ours = profiles(&equilibria);
        assert!(complete, "{m}x{n} seed {k}: unresolved supports");
        assert!(
            missing_from(&reference, &ours).is_empty()
                && missing_from(&ours, &reference).is_empty(),
            "{m}x{n} seed {k}: enumpoly {ours:?} vs enummixed {reference:?}"
        );
        assert_eq!(ours.len(), reference.len(), "{m}x{n} seed {k}: repeats");
        // two mixing players: each equilibrium is recovered exactly (payoffs up to 10⁶ give
        // denominators beyond continued fractions' reach), equal to enummixed's to the digit
        let exact = |list: &[Equilibrium]| {
            let mut texts: Vec<_> = list.iter().map(Equilibrium::profile_text).collect();
            texts.sort();
            texts
        };
        assert!(
            equilibria
                .iter()
                .all(|e| matches!(e, Equilibrium::Exact(_))),
            "{m}x{n} seed {k}: a float answer"
        );
        assert_eq!(
            exact(&equilibria),
            exact(&mixed.equilibria),
            "{m}x{n} seed {k}"
        );
    }
}

/// A 2×2×2 game built so its mixed equilibrium is known in closed form.
///
/// Each player `i` chooses A or B; B always pays 0, and A pays `δ_i` depending on the other two
/// players' choices (never 0, so no player is indifferent at a pure profile). With `p, q, r` the
/// probabilities of A for players 1, 2, 3, the payoff differences `u_i(A) − u_i(B)` are
///
/// * player 1, `δ_1(s_2, s_3)` = AA 1, AB 1, BA 1, BB −1:
///   `D_1 = qr + q(1−r) + (1−q)r − (1−q)(1−r) = 2q + 2r − 2qr − 1`,
/// * player 2, `δ_2(s_1, s_3)` = AA 2, AB 1, BA −2, BB −1:
///   `D_2 = 2pr + p(1−r) − 2(1−p)r − (1−p)(1−r) = (2p − 1)(r + 1)`,
/// * player 3, `δ_3(s_1, s_2)` = AA 1, AB 1, BA 1, BB −2:
///   `D_3 = pq + p(1−q) + (1−p)q − 2(1−p)(1−q) = 3p + 3q − 3pq − 2`.
///
/// A totally mixed equilibrium has `D_1 = D_2 = D_3 = 0`: `D_2 = 0` forces `p = 1/2`; then
/// `D_3 = 3q/2 − 1/2 = 0` gives `q = 1/3`, and `D_1 = 2/3 + 4r/3 − 1 = 0` gives `r = 1/4`. So
/// it is unique: `((1/2, 1/2), (1/3, 2/3), (1/4, 3/4))`.
#[test]
fn three_player_closed_form_equilibrium() {
    let game = closed_form_game();
    let (equilibria, complete) = solve(&game);
    assert!(complete);
    let interior: Vec<Vec<Vec<String>>> = equilibria
        .iter()
        .filter(|e| e.profile_f64().iter().flatten().all(|&p| p > MATCH))
        .map(Equilibrium::profile_text)
        .collect();
    let q = |t: &str| patron::num::fmt_q(&parse_q(t).unwrap());
    let expected = vec![
        vec![q("1/2"), q("1/2")],
        vec![q("1/3"), q("2/3")],
        vec![q("1/4"), q("3/4")],
    ];
    assert_eq!(interior, vec![expected]);
    // and its pure equilibria are exactly enumpure's
    let pure: Vec<Vec<Vec<String>>> = equilibria
        .iter()
        .map(Equilibrium::profile_text)
        .filter(|p| p.iter().flatten().all(|v| v == "0" || v == "1"))
        .collect();
    let reference: Vec<Vec<Vec<String>>> =
        solve_strategic(&game, Method::EnumPure, &SolveOptions::default())
            .unwrap()
            .equilibria
            .iter()
            .map(Equilibrium::profile_text)
            .collect();
    assert_eq!(pure.len(), reference.len());
    assert!(reference.iter().all(|p| pure.contains(p)));
}

/// The game of [`three_player_closed_form_equilibrium`].
fn closed_form_game() -> StrategicGame {
    // δ tables indexed by (the other player with the lower number, the other), A = 0, B = 1
    let delta = [[[1, 1], [1, -1]], [[2, 1], [-2, -1]], [[1, 1], [1, -2]]];
    let mut tables = vec![Vec::new(); 3];
    for k in 0..8 {
        let s = [k % 2, (k / 2) % 2, k / 4];
        for (i, table) in tables.iter_mut().enumerate() {
            let others: Vec<usize> = (0..3).filter(|&j| j != i).map(|j| s[j]).collect();
            let pay = if s[i] == 0 {
                delta[i][others[0]][others[1]]
            } else {
                0
            };
            table.push(Q::from(pay));
        }
    }
    let labels = vec![vec!["A".to_string(), "B".to_string()]; 3];
    let players = vec!["1".to_string(), "2".to_string(), "3".to_string()];
    StrategicGame::new("closed form", players, labels, tables).unwrap()
}

/// A deadline that has passed stops the search (the answer says it is incomplete); a generous
/// one changes nothing.
#[test]
fn deadlines_stop_the_search_and_say_so() {
    let game = closed_form_game();
    let passed = Deadline::after(Duration::ZERO);
    let stopped = solve_strategic(
        &game,
        Method::EnumPoly,
        &SolveOptions {
            deadline: &passed,
            ..SolveOptions::default()
        },
    )
    .unwrap();
    assert!(!stopped.complete);
    let generous = Deadline::after(Duration::from_secs(3600));
    let options = SolveOptions {
        deadline: &generous,
        ..SolveOptions::default()
    };
    let full = solve_strategic(&game, Method::EnumPoly, &options).unwrap();
    let (reference, complete) = solve(&game);
    assert!(full.complete && complete);
    assert_eq!(profiles(&full.equilibria), profiles(&reference));
}

/// Three players with seven strategies each: 127³ ≈ 2 million support profiles, over the limit;
/// so are too many unknowns and payoffs beyond floating point.
#[test]
fn games_over_the_limits_are_refused() {
    let counts = [7usize, 7, 7];
    let cells: usize = counts.iter().product();
    let tables = vec![vec![Q::ZERO; cells]; 3];
    let labels = counts
        .iter()
        .map(|&c| (1..=c).map(|s| s.to_string()).collect())
        .collect();
    let players = vec!["1".to_string(), "2".to_string(), "3".to_string()];
    let game = StrategicGame::new("", players, labels, tables).unwrap();
    match enumpoly(&game) {
        Err(Error::LimitExceeded {
            limit: "MAX_SUPPORT_PROFILES",
            message,
        }) => {
            assert!(message.contains("2048383"), "{message}");
        }
        other => panic!("expected the support-count limit, got {other:?}"),
    }
    // 9×9: 511² support profiles is within that limit, but the full support has 16 unknowns
    match enumpoly(&random_bimatrix(9, 9, 100, 1)) {
        Err(Error::LimitExceeded {
            limit: "MAX_SYSTEM_UNKNOWNS",
            ..
        }) => {}
        other => panic!("expected the unknowns limit, got {other:?}"),
    }
    // a payoff beyond f64's range (exact in the file, infinite in floating point)
    let mut tables = vec![vec![Q::ZERO; 8]; 3];
    tables[0][0] = parse_q("1e400").unwrap();
    let labels = vec![vec!["a".to_string(), "b".to_string()]; 3];
    let players = vec!["1".to_string(), "2".to_string(), "3".to_string()];
    let game = StrategicGame::new("", players, labels, tables).unwrap();
    match enumpoly(&game) {
        Err(Error::LimitExceeded {
            limit: "MAX_FLOAT_SOLVER_PAYOFF",
            ..
        }) => {}
        other => panic!("expected the payoff limit, got {other:?}"),
    }
}

/// The default solver for 3+ players is enumpoly up to `DEFAULT_ENUMPOLY_SUPPORT_PROFILES`
/// support profiles, Π(2^{n_i} − 1): 4×4×4 has 15³ = 3,375 (enumpoly), 5×5×5 has 31³ = 29,791
/// (enumpure); two players always get enummixed.
#[test]
fn default_solver_depends_on_the_number_of_support_profiles() {
    let zeros = |counts: &[usize]| {
        let profiles: usize = counts.iter().product();
        let players = counts.len();
        StrategicGame::new(
            "",
            (1..=players).map(|p| p.to_string()).collect(),
            counts
                .iter()
                .map(|&n| (1..=n).map(|s| s.to_string()).collect())
                .collect(),
            vec![vec![Q::ZERO; profiles]; players],
        )
        .expect("game")
    };
    assert_eq!(Method::default_for(&zeros(&[4, 4, 4])), Method::EnumPoly);
    assert_eq!(Method::default_for(&zeros(&[5, 5, 5])), Method::EnumPure);
    assert_eq!(Method::default_for(&zeros(&[9, 9])), Method::EnumMixed);
    assert!(15u128.pow(3) <= patron::solve::DEFAULT_ENUMPOLY_SUPPORT_PROFILES);
    assert!(31u128.pow(3) > patron::solve::DEFAULT_ENUMPOLY_SUPPORT_PROFILES);
}
