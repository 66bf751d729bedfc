//! Gambit's example games, read in place from `$PATRON_GAMBIT_CORPUS` (GPL data, never copied
//! into this repository) and compared with pygambit 16.7's answers in `expected/<file>.json`.
//!
//! Without the variable the corpus tests fail loudly, unless `PATRON_ALLOW_NO_CORPUS=1`.

use crate::common;

use common::corpus_dir;
use patron::game::payoffs_and_regret;
use patron::game::StrategicGame;
use patron::game::{reduced_strategic_form, ReducedMap};
use patron::game::{Behavior, ExtensiveGame};
use patron::io::{parse_game, read_game_file, write_efg, write_nfg, GameFile, NfgVersion};
use patron::num::{parse_q, Q};
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Every corpus file with this extension, sorted, and at least one of them.
fn corpus_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let files = common::files_ending(dir, &format!(".{ext}"));
    assert!(!files.is_empty(), "no .{ext} files in {}", dir.display());
    files
}

/// The `game` block of `expected/<file>.json`, or `None` when pygambit could not read the file.
fn expected_game(path: &Path) -> Option<Value> {
    let name = path.file_name().expect("file name").to_string_lossy();
    let json = path
        .parent()
        .expect("parent")
        .join("expected")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&json).unwrap_or_else(|e| panic!("{}: {e}", json.display()));
    let v: Value = serde_json::from_str(&text).expect("expected file is JSON");
    v.get("game").cloned()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("string").to_string())
        .collect()
}

/// The game's strategy counts and labels equal the expected file's `strategy_counts` and `strategies`.
fn assert_strategies_match(name: &str, game: &StrategicGame, exp: &Value) {
    let counts: Vec<usize> = exp["strategy_counts"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|c| c.as_u64().expect("count") as usize)
        .collect();
    assert_eq!(game.strategy_counts(), counts, "{name}");
    let labels: Vec<Vec<String>> = exp["strategies"]
        .as_array()
        .expect("strategies")
        .iter()
        .map(strings)
        .collect();
    assert_eq!(game.strategies(), labels, "{name}");
}

fn q(v: &Value) -> Q {
    parse_q(v.as_str().expect("number string")).expect("rational")
}

#[test]
fn every_nfg_matches_gambit_and_round_trips() {
    let Some(dir) = corpus_dir() else { return };
    for path in corpus_files(&dir, "nfg") {
        let name = path.display().to_string();
        let game = match read_game_file(&path) {
            Ok(GameFile::Strategic(g)) => g,
            Ok(other) => panic!("{name}: read as {other:?}"),
            Err(e) => panic!("{name}: {e}"),
        };
        let exp = expected_game(&path).unwrap_or_else(|| panic!("{name}: no expected game"));
        assert_eq!(
            game.title(),
            exp["title"].as_str().expect("title"),
            "{name}"
        );
        assert_eq!(game.players(), strings(&exp["players"]), "{name}");
        assert_strategies_match(&name, &game, &exp);
        // Payoff values, against pygambit's summary of them.
        let all = (0..game.num_players()).flat_map(|p| game.payoff_table(p).iter());
        let min = all.clone().min().expect("payoffs");
        let max = all.max().expect("payoffs");
        assert_eq!(min, &q(&exp["min_payoff"]), "{name}: min payoff");
        assert_eq!(max, &q(&exp["max_payoff"]), "{name}: max payoff");
        assert_eq!(
            game.constant_sum().is_some(),
            exp["is_const_sum"] == true,
            "{name}"
        );
        for version in [NfgVersion::Payoff, NfgVersion::Outcome] {
            let text = write_nfg(&game, version);
            match parse_game(&text, "written.nfg") {
                Ok(GameFile::Strategic(back)) => assert_eq!(back, game, "{name} {version:?}"),
                other => panic!("{name} {version:?}: {other:?}\n{text}"),
            }
        }
    }
}

fn read_tree(path: &Path) -> ExtensiveGame {
    match read_game_file(path) {
        Ok(GameFile::Extensive(g)) => g,
        Ok(other) => panic!("{}: read as {other:?}", path.display()),
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

/// Node lines of an .efg file, counted from the text alone (one line per node in Gambit's
/// files): `(all nodes, terminal nodes)`.
fn count_node_lines(path: &Path) -> (usize, usize) {
    let text = std::fs::read_to_string(path).expect("readable");
    let kinds: Vec<char> = text
        .lines()
        .filter_map(|l| l.chars().next())
        .filter(|c| matches!(c, 'c' | 'p' | 't'))
        .collect();
    (kinds.len(), kinds.iter().filter(|&&c| c == 't').count())
}

#[test]
fn every_efg_matches_gambit_and_round_trips() {
    let Some(dir) = corpus_dir() else { return };
    let (mut compared, mut equilibria) = (0, 0);
    for path in corpus_files(&dir, "efg") {
        let name = path.display().to_string();
        let game = read_tree(&path);
        let (nodes, terminals) = count_node_lines(&path);
        assert_eq!(
            (game.num_nodes(), game.num_terminal_nodes()),
            (nodes, terminals),
            "{name}"
        );
        let text = write_efg(&game);
        match parse_game(&text, "written.efg") {
            Ok(GameFile::Extensive(back)) => assert_eq!(back, game, "{name}"),
            other => panic!("{name}: {other:?}\n{text}"),
        }
        let Some(exp) = expected_game(&path) else {
            // Only nim.efg: pygambit 16.7 refuses its repeated node labels, we accept them
            // (see io::efg). A take-1-or-2 game of 5 stones, one node per line, fully visible.
            assert!(name.ends_with("nim.efg"), "{name}: no expected game block");
            assert!(
                game.is_perfect_information() && game.is_perfect_recall(),
                "{name}"
            );
            continue;
        };
        equilibria += compare_tree(&name, &game, &exp);
        compared += 1;
    }
    // 27 trees with expected answers (plus nim.efg) and 774 equilibria in the corpus at the
    // time of writing: none may be skipped silently.
    assert!(
        compared >= 27 && equilibria >= 774,
        "{compared} trees, {equilibria} equilibria"
    );
}

/// Returns how many of Gambit's equilibria were re-evaluated.
fn compare_tree(name: &str, game: &ExtensiveGame, exp: &Value) -> usize {
    assert_eq!(
        game.title(),
        exp["title"].as_str().expect("title"),
        "{name}"
    );
    assert_eq!(game.players(), strings(&exp["players"]), "{name}");
    assert_eq!(
        game.num_nodes() as u64,
        exp["num_nodes"].as_u64().expect("num_nodes"),
        "{name}"
    );
    assert_eq!(
        game.num_terminal_nodes() as u64,
        exp["num_terminal_nodes"].as_u64().expect("terminals"),
        "{name}"
    );
    assert_eq!(
        game.is_perfect_recall(),
        exp["is_perfect_recall"] == true,
        "{name}"
    );
    assert_eq!(
        game.is_constant_sum(),
        exp["is_const_sum"] == true,
        "{name}: constant sum"
    );
    // Proper subgames (the root excluded), each named by its action path from the root.
    let roots: Vec<Vec<u64>> = game
        .subgame_roots()
        .into_iter()
        .filter(|&h| h != game.root())
        .map(|h| game.path(h).into_iter().map(|(_, a)| a as u64).collect())
        .collect();
    let expected_roots: Vec<Vec<u64>> = exp["proper_subgame_roots"]
        .as_array()
        .expect("subgame roots")
        .iter()
        .map(|r| {
            r.as_array()
                .expect("path")
                .iter()
                .map(|a| a.as_u64().expect("index"))
                .collect()
        })
        .collect();
    assert_eq!(roots, expected_roots, "{name}: proper subgames");
    // pygambit's range is over plays: the payoffs accumulated along each path.
    let plays = game.terminal_payoffs();
    let play_payoffs = plays.iter().flat_map(|(_, v)| v.iter());
    assert_eq!(
        play_payoffs.clone().min(),
        Some(&q(&exp["min_payoff"])),
        "{name}"
    );
    assert_eq!(play_payoffs.max(), Some(&q(&exp["max_payoff"])), "{name}");
    for (p, sets) in exp["infosets"]
        .as_array()
        .expect("infosets")
        .iter()
        .enumerate()
    {
        let sets = sets.as_array().expect("player's infosets");
        assert_eq!(game.infosets(p).len(), sets.len(), "{name} player {p}");
        for (i, set) in sets.iter().enumerate() {
            assert_eq!(
                game.infosets(p)[i].label,
                set["label"].as_str().expect("label"),
                "{name}"
            );
            assert_eq!(
                game.infosets(p)[i].actions,
                strings(&set["actions"]),
                "{name}"
            );
            let members = set["num_members"].as_u64().expect("members") as usize;
            assert_eq!(
                game.members(p, i).len(),
                members,
                "{name} player {p} infoset {i}"
            );
        }
    }
    let chance = exp["chance_infosets"].as_array().expect("chance infosets");
    assert_eq!(game.chance_infosets().len(), chance.len(), "{name}");
    for (i, set) in chance.iter().enumerate() {
        assert_eq!(
            game.chance_infosets()[i].actions,
            strings(&set["actions"]),
            "{name}"
        );
        let probs: Vec<Q> = set["probs"]
            .as_array()
            .expect("probs")
            .iter()
            .map(q)
            .collect();
        assert_eq!(game.chance_infosets()[i].probs, probs, "{name}");
        assert_eq!(
            game.chance_members(i).len() as u64,
            set["num_members"].as_u64().expect("n")
        );
    }
    let (reduced, map) = reduced_strategic_form(game).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_strategies_match(name, &reduced, exp);
    for (p, strats) in exp["strategy_actions"]
        .as_array()
        .expect("actions")
        .iter()
        .enumerate()
    {
        let ours = common::reduced_strategy_actions(game, &map, p);
        let theirs: Vec<Vec<Option<String>>> = strats
            .as_array()
            .expect("strategies")
            .iter()
            .map(|s| {
                let acts = s.as_array().expect("actions");
                acts.iter()
                    .map(|a| a.as_str().map(str::to_string))
                    .collect()
            })
            .collect();
        assert_eq!(ours, theirs, "{name} player {p}");
    }
    compare_equilibria(name, game, &reduced, &map)
}

/// Gambit's equilibria of this game, re-evaluated on our tree and reduced form: expected
/// payoffs, agent regret (behaviour profiles) and the regret of the equivalent mixed profile.
fn compare_equilibria(
    name: &str,
    game: &ExtensiveGame,
    reduced: &StrategicGame,
    map: &ReducedMap,
) -> usize {
    let mut count = 0;
    let path = Path::new(name);
    let file = path.file_name().expect("file").to_string_lossy();
    let json = path
        .parent()
        .expect("dir")
        .join("expected")
        .join(format!("{file}.json"));
    let all: Value =
        serde_json::from_str(&std::fs::read_to_string(json).expect("read")).expect("json");
    for (solver, result) in all["solvers"].as_object().expect("solvers") {
        for eq in result["equilibria"].as_array().into_iter().flatten() {
            let what = format!("{name} {solver}");
            let exact = eq["exact"] == true;
            match (eq["kind"].as_str(), exact) {
                (Some("behavior"), true) => check_exact_behavior(&what, game, reduced, map, eq),
                (Some("behavior"), false) => check_float_behavior(&what, game, eq),
                (Some("strategy"), true) => {
                    let mixed: Vec<Vec<Q>> = nested(&eq["probs"], q);
                    let (payoffs, regret) = payoffs_and_regret(reduced, &mixed);
                    assert_eq!(
                        payoffs,
                        nested1(&eq["payoffs"], q),
                        "{what} reduced payoffs"
                    );
                    assert_eq!(regret, q(&eq["max_regret"]), "{what} reduced regret");
                    if game.is_perfect_recall() {
                        let b = map.mixed_to_behavior(&mixed).expect("shape");
                        assert_eq!(
                            game.behavior_payoffs(&b).expect("profile"),
                            payoffs,
                            "{what}"
                        );
                    }
                }
                other => panic!("{what}: unexpected equilibrium kind {other:?}"),
            }
            count += 1;
        }
    }
    count
}

fn check_exact_behavior(
    what: &str,
    game: &ExtensiveGame,
    reduced: &StrategicGame,
    map: &ReducedMap,
    eq: &Value,
) {
    let b: Behavior<Q> = eq["probs"]
        .as_array()
        .expect("players")
        .iter()
        .map(|p| nested(p, q))
        .collect();
    assert_eq!(
        game.behavior_payoffs(&b).expect("profile"),
        nested1(&eq["payoffs"], q),
        "{what}"
    );
    assert_eq!(
        game.agent_regret(&b).expect("profile"),
        q(&eq["agent_max_regret"]),
        "{what}"
    );
    let mixed = map.behavior_to_mixed(&b).expect("shape");
    let (_, regret) = payoffs_and_regret(reduced, &mixed);
    assert_eq!(
        regret,
        q(&eq["max_regret"]),
        "{what} regret of the equivalent mixed profile"
    );
}

fn check_float_behavior(what: &str, game: &ExtensiveGame, eq: &Value) {
    let f = |v: &Value| match v.as_f64() {
        Some(x) => x,
        None => v.as_str().expect("number").parse::<f64>().expect("float"),
    };
    let b: Behavior<f64> = eq["probs"]
        .as_array()
        .expect("players")
        .iter()
        .map(|p| nested(p, f))
        .collect();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * (1.0 + b.abs());
    let payoffs = game.behavior_payoffs(&b).expect("profile");
    for (ours, theirs) in payoffs.iter().zip(nested1(&eq["payoffs"], f)) {
        assert!(close(*ours, theirs), "{what}: payoff {ours} vs {theirs}");
    }
    let regret = game.agent_regret(&b).expect("profile");
    assert!(
        close(regret, f(&eq["agent_max_regret"])),
        "{what}: agent regret {regret}"
    );
}

fn nested1<T>(v: &Value, f: impl Fn(&Value) -> T) -> Vec<T> {
    v.as_array().expect("array").iter().map(f).collect()
}

fn nested<T>(v: &Value, f: impl Fn(&Value) -> T + Copy) -> Vec<Vec<T>> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|row| nested1(row, f))
        .collect()
}

const SMALL_GAME: &str =
    "NFG 1 R \"g\" { \"A\" \"B\" }\n{ { \"x\" \"y\" } { \"l\" \"r\" } }\n\"c\"\n\
                          { { \"o\" 1, -1/2 } { \"p\" 2.5e-1 3 } }\n1 2 0 1\n";

const SMALL_TREE: &str = "EFG 2 R \"t\" { \"A\" \"B\" } \"\"\n\
    c \"\" 1 \"\" { \"x\" 1/2 \"y\" 1/2 } 0\n\
    p \"\" 1 1 \"\" { \"l\" \"r\" } 1 \"o\" { 1, 2 }\n\
    t \"\" 0\n\
    p \"\" 2 1 \"\" { \"u\" } 0\n\
    t \"\" 2 \"e\" { -1/2 3 }\n\
    p \"\" 1 1 0\n\
    t \"\" 1\n\
    t \"\" 2\n";

#[test]
fn malformed_inputs_give_positions() {
    // Every strict prefix of a valid file is truncated: it must fail with a position, not panic.
    for (file, game) in [("cut.nfg", SMALL_GAME), ("cut.efg", SMALL_TREE)] {
        assert!(parse_game(game, file).is_ok(), "{file}");
        let chars: Vec<char> = game.chars().collect();
        for cut in 0..chars.len() {
            let text: String = chars[..cut].iter().collect();
            if text.trim_end() == game.trim_end() {
                continue;
            }
            let err = parse_game(&text, file).expect_err(&text).to_string();
            let parts: Vec<&str> = err.splitn(4, ':').collect();
            assert!(
                parts[0] == file
                    && parts[1].parse::<usize>().is_ok()
                    && parts[2].parse::<usize>().is_ok(),
                "{err}"
            );
        }
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_game(&text, "fuzz");
        let _ = parse_game(&format!("NFG 1 R \"\" {text}"), "fuzz");
        let _ = parse_game(&format!("EFG 2 R \"\" {{ \"A\" }} {text}"), "fuzz");
    }

    #[test]
    fn mutated_games_never_panic(
        tree in any::<bool>(),
        pos in 0usize..250,
        insert in "[{}\", 0-9a-zNFGRDcpt/.e+-]{0,6}",
    ) {
        let base = if tree { SMALL_TREE } else { SMALL_GAME };
        let mut chars: Vec<char> = base.chars().collect();
        let at = pos.min(chars.len());
        chars.splice(at..(at + 3).min(chars.len()), insert.chars());
        let text: String = chars.into_iter().collect();
        if let Ok(GameFile::Extensive(g)) = parse_game(&text, "fuzz") {
            let _ = reduced_strategic_form(&g);
            let _ = g.sequence_form();
        }
    }
}
