//! Gambit conformance: every strategic game in Gambit's example corpus with an expected file,
//! solved by `patron`'s certified entry point and compared with the answers Gambit computed.
//! (Trees: `tests/tree_corpus.rs`; file-format details: `tests/io_corpus.rs`.)

use crate::common;

use common::{as_set, corpus_dir, equilibria, games_with_expected, solver};
use patron::game::{Equilibrium, StrategicGame};
use patron::io::{read_game_file, GameFile};
use patron::num::Q;
use patron::solve::{solve_strategic, Method, SolveOptions};

fn exact_profiles(equilibria: &[Equilibrium]) -> Vec<Vec<Vec<Q>>> {
    equilibria
        .iter()
        .map(|e| match e {
            Equilibrium::Exact(c) => c.profile().to_vec(),
            Equilibrium::Float(_) => panic!("expected an exact equilibrium"),
        })
        .collect()
}

fn load(path: &std::path::Path) -> StrategicGame {
    match read_game_file(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
        GameFile::Strategic(g) => g,
        GameFile::Extensive(_) => panic!("{} is not a strategic game", path.display()),
    }
}

fn solve_with(game: &StrategicGame, method: Method, options: &SolveOptions) -> Vec<Vec<Vec<Q>>> {
    exact_profiles(
        &solve_strategic(game, method, options)
            .expect("solver")
            .equilibria,
    )
}

fn solve(game: &StrategicGame, method: Method) -> Vec<Vec<Vec<Q>>> {
    solve_with(game, method, &SolveOptions::default())
}

/// Every profile as text, in order (for comparisons whose order matters).
fn in_order(profiles: &[Vec<Vec<Q>>]) -> Vec<String> {
    profiles
        .iter()
        .map(|p| {
            as_set(std::slice::from_ref(p))
                .into_iter()
                .next()
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn strategic_games_match_gambit() {
    let Some(dir) = corpus_dir() else { return };
    let (mut pure, mut mixed, mut lcp_first, mut lp) = (0, 0, 0, 0);
    for (path, expected) in games_with_expected(&dir, "nfg") {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let game = load(&path);
        if let Some(block) = solver(&expected, "enumpure") {
            // Same equilibria in the same order (player 1's strategy varying fastest).
            assert_eq!(
                in_order(&solve(&game, Method::EnumPure)),
                in_order(&equilibria(block)),
                "{name}: enumpure"
            );
            pure += 1;
        }
        if game.num_players() != 2 {
            continue;
        }
        // Gambit lists a degenerate vertex once per basis (csg2.nfg: 9 lines, 4 profiles), so its
        // answer is compared as a set; ours must have no repeats.
        let gambit_set = solver(&expected, "enummixed").map(|b| as_set(&equilibria(b)));
        if let Some(gambit_set) = &gambit_set {
            let ours = solve(&game, Method::EnumMixed);
            assert_eq!(
                as_set(&ours).len(),
                ours.len(),
                "{name}: enummixed repeats a profile"
            );
            assert_eq!(&as_set(&ours), gambit_set, "{name}: enummixed");
            mixed += 1;
        }
        // lcp from every dropped label: each answer is one of Gambit's extreme equilibria, and
        // the first label's answer is exactly the equilibrium Gambit's lcp finds first.
        let all = solve_with(
            &game,
            Method::Lcp,
            &SolveOptions {
                all_labels: true,
                ..SolveOptions::default()
            },
        );
        let first = solve(&game, Method::Lcp);
        assert!(
            as_set(&all).is_superset(&as_set(&first)),
            "{name}: lcp's first answer not among all labels'"
        );
        if let Some(gambit_set) = &gambit_set {
            assert!(
                as_set(&all).is_subset(gambit_set),
                "{name}: an lcp answer is not among Gambit's equilibria"
            );
        }
        if let Some(block) = solver(&expected, "lcp_strategic") {
            assert_eq!(
                in_order(&first),
                in_order(&equilibria(block)[..1]),
                "{name}: lcp's first equilibrium"
            );
            lcp_first += 1;
        }
        if let Some(block) = solver(&expected, "lp_strategic") {
            let solved = solve_strategic(&game, Method::Lp, &SolveOptions::default()).expect("lp");
            let values = solved.values.expect("lp reports values");
            assert_eq!(
                values[0],
                block["value_player1"].as_str().unwrap(),
                "{name}: lp value of player 1"
            );
            assert_eq!(
                values[1],
                block["value_player2"].as_str().unwrap(),
                "{name}: lp value of player 2"
            );
            lp += 1;
        }
    }
    eprintln!("Gambit conformance (strategic): enumpure {pure}, enummixed {mixed}, lcp {lcp_first}, lp {lp}");
    assert!(
        pure >= 30 && mixed >= 20 && lcp_first >= 20 && lp >= 5,
        "too few answers checked"
    );
}
