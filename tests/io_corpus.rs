//! Gambit's example games, read in place from `$PATRON_GAMBIT_CORPUS` (GPL data, never copied
//! into this repository) and compared with pygambit 16.7's answers in `expected/<file>.json`.
//!
//! Without the variable the corpus tests fail loudly, unless `PATRON_ALLOW_NO_CORPUS=1`.

use patron::io::{parse_game, read_game_file, write_nfg, GameFile, NfgVersion};
use patron::num::{parse_q, Q};
use proptest::prelude::*;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The corpus folder, or `None` (after a loud warning) when the caller allowed its absence.
fn corpus_dir() -> Option<PathBuf> {
    match std::env::var_os("PATRON_GAMBIT_CORPUS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            // Written to the stderr handle directly: libtest captures `eprintln!` of passing tests.
            let _ = std::io::stderr().write_all(
                b"\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
                 !!! PATRON_GAMBIT_CORPUS is not set: the Gambit corpus was NOT checked.  !!!\n\
                 !!! Set it to the folder of .nfg/.efg files (e.g. ../shared/games/gambit) !!!\n\
                 !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
            );
            let allowed = std::env::var("PATRON_ALLOW_NO_CORPUS").is_ok_and(|v| v == "1");
            assert!(
                allowed,
                "PATRON_GAMBIT_CORPUS unset (set PATRON_ALLOW_NO_CORPUS=1 to skip)"
            );
            None
        }
    }
}

/// Every corpus file with this extension, sorted, and at least one of them.
fn corpus_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
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

const SMALL_GAME: &str =
    "NFG 1 R \"g\" { \"A\" \"B\" }\n{ { \"x\" \"y\" } { \"l\" \"r\" } }\n\"c\"\n\
                          { { \"o\" 1, -1/2 } { \"p\" 2.5e-1 3 } }\n1 2 0 1\n";

#[test]
fn malformed_nfg_inputs_give_positions() {
    // Every strict prefix of a valid file is truncated: it must fail with a position, not panic.
    let chars: Vec<char> = SMALL_GAME.chars().collect();
    for cut in 0..chars.len() - 1 {
        let text: String = chars[..cut].iter().collect();
        if text.trim_end() == SMALL_GAME.trim_end() {
            continue;
        }
        let err = parse_game(&text, "cut.nfg").expect_err(&text).to_string();
        assert!(err.starts_with("cut.nfg:"), "{err}");
        let pos: Vec<&str> = err.splitn(4, ':').collect();
        assert!(
            pos[1].parse::<usize>().is_ok() && pos[2].parse::<usize>().is_ok(),
            "{err}"
        );
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_game(&text, "fuzz");
        let _ = parse_game(&format!("NFG 1 R \"\" {text}"), "fuzz");
    }

    #[test]
    fn mutated_games_never_panic(pos in 0usize..200, insert in "[{}\", 0-9a-zNFGRD/.e+-]{0,6}") {
        let mut chars: Vec<char> = SMALL_GAME.chars().collect();
        let at = pos.min(chars.len());
        chars.splice(at..(at + 3).min(chars.len()), insert.chars());
        let text: String = chars.into_iter().collect();
        let _ = parse_game(&text, "fuzz");
    }
}
