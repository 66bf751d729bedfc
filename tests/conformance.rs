//! Gambit conformance: every strategic game in Gambit's example corpus with an expected file,
//! solved by `patron`'s certified entry point and compared with the answers Gambit computed.

mod common;

use common::{as_set, corpus_dir, equilibria, games_with_expected, solver};
use patron::game::{Equilibrium, StrategicGame};
use patron::io::{read_game_file, GameFile};
use patron::num::Q;
use patron::solve::method::{solve_strategic, Method, SolveOptions};

fn exact_profiles(equilibria: &[Equilibrium]) -> Vec<Vec<Vec<Q>>> {
    equilibria
        .iter()
        .map(|e| match e {
            Equilibrium::Exact(c) => c.profile.clone(),
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

fn solve(game: &StrategicGame, method: Method) -> Vec<Vec<Vec<Q>>> {
    exact_profiles(&solve_strategic(game, method, &SolveOptions::default()).expect("solver").equilibria)
}

#[test]
fn strategic_games_match_gambit() {
    let Some(dir) = corpus_dir() else { return };
    let mut checked = 0;
    for (path, expected) in games_with_expected(&dir, "nfg") {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let game = load(&path);
        if let Some(block) = solver(&expected, "enumpure") {
            assert_eq!(as_set(&solve(&game, Method::EnumPure)), as_set(&equilibria(block)), "{name}: enumpure");
            checked += 1;
        }
        if game.num_players() != 2 {
            continue;
        }
        let gambit_set = solver(&expected, "enummixed").map(|b| as_set(&equilibria(b)));
        if let Some(gambit_set) = &gambit_set {
            assert_eq!(&as_set(&solve(&game, Method::EnumMixed)), gambit_set, "{name}: enummixed");
            checked += 1;
        }
        let lcp = as_set(&solve(&game, Method::Lcp));
        if let Some(gambit_set) = &gambit_set {
            assert!(lcp.is_subset(gambit_set), "{name}: lcp answer {lcp:?} is not among Gambit's equilibria");
            checked += 1;
        }
        if let Some(block) = solver(&expected, "lp_strategic") {
            let solved = solve_strategic(&game, Method::Lp, &SolveOptions::default()).expect("lp");
            let values = solved.values.expect("lp reports values");
            assert_eq!(values[0], block["value_player1"].as_str().unwrap(), "{name}: lp value of player 1");
            assert_eq!(values[1], block["value_player2"].as_str().unwrap(), "{name}: lp value of player 2");
            checked += 1;
        }
    }
    eprintln!("Gambit conformance (strategic): {checked} solver answers checked");
    assert!(checked > 50, "only {checked} answers checked");
}
