//! Gambit file formats and other game I/O.
//!
//! [`read_game_file`] reads a `.nfg` or `.efg` file, choosing the format by the file's header
//! word as Gambit's `ReadGame` does (not by the file name).

pub(crate) mod efg;
pub(crate) mod lexer;
pub(crate) mod nfg;
pub(crate) mod start_profiles;

pub use efg::{parse_efg, write_efg};
pub use nfg::{parse_nfg, write_nfg, NfgVersion};

use crate::error::{Error, Result};
use crate::game::tree::ExtensiveGame;
use crate::game::StrategicGame;
use crate::limits;
use lexer::{Lexer, Tok};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

/// A game read from a file: strategic (`.nfg`) or extensive (`.efg`).
#[derive(Debug, Clone)]
pub enum GameFile {
    /// A normal-form game from a `.nfg` file.
    Strategic(StrategicGame),
    /// An extensive-form game from a `.efg` file.
    Extensive(ExtensiveGame),
}

/// Read a Gambit game file, refusing files over [`limits::MAX_FILE_BYTES`].
/// Bytes that are not UTF-8 are replaced (Gambit files are plain ASCII in practice).
pub fn read_game_file(path: &Path) -> Result<GameFile> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(limits::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(Error::file_too_large(path));
    }
    let text = String::from_utf8_lossy(&bytes);
    parse_game(&text, &path.display().to_string())
}

/// Parse game text whose header (`NFG` or `EFG`) decides the format.
pub fn parse_game(text: &str, file: &str) -> Result<GameFile> {
    let mut lx = Lexer::new(text, file);
    let first = lx.next_token()?;
    match &first.tok {
        Tok::Word(w) if w == "NFG" => Ok(GameFile::Strategic(parse_nfg(text, file)?)),
        Tok::Word(w) if w == "EFG" => Ok(GameFile::Extensive(parse_efg(text, file)?)),
        other => Err(lx.error(
            first.pos,
            format!(
                "expected a game file header 'NFG' or 'EFG', found {}",
                other.describe()
            ),
        )),
    }
}

/// Gambit's quoting for labels: `"` becomes `\"` and `\` becomes `\\` (our lexer reads both
/// back; Gambit itself only ever escapes quotes, and labels with backslashes are rare).
pub fn quote(label: &str) -> String {
    let mut s = String::with_capacity(label.len() + 2);
    s.push('"');
    for c in label.chars() {
        if matches!(c, '"' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}

/// Gambit's label normalisation on reading (`NormalizeLabels` in Gambit's `file.cc`, which
/// pygambit applies to players and strategies): every label that is empty or occurs more than
/// once becomes `label_n`, with `n` counting up per label and skipping names already in use.
pub(crate) fn normalize_labels(labels: &mut [String]) {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for l in labels.iter() {
        *counts.entry(l.clone()).or_default() += 1;
    }
    let mut used: HashSet<String> = labels.iter().cloned().collect();
    let mut visited: HashMap<String, usize> = HashMap::new();
    for label in labels.iter_mut() {
        if counts[label.as_str()] == 1 && !label.is_empty() {
            continue;
        }
        let n = visited.entry(label.clone()).or_default();
        let candidate = loop {
            *n += 1;
            let c = format!("{label}_{n}");
            if !used.contains(&c) {
                break c;
            }
        };
        used.insert(candidate.clone());
        *label = candidate;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_word_chooses_the_format() {
        let g = parse_game("NFG 1 R \"\" { \"a\" } { 1 } 7", "x.efg").unwrap();
        assert!(matches!(g, GameFile::Strategic(s) if s.num_strategies(0) == 1));
        let e = parse_game("\n  GAME", "x").unwrap_err().to_string();
        assert_eq!(
            e,
            "x:2:3: expected a game file header 'NFG' or 'EFG', found word 'GAME'"
        );
    }

    #[test]
    fn missing_file_is_an_io_error() {
        let e = read_game_file(Path::new("/nonexistent/dir/g.nfg")).unwrap_err();
        assert!(matches!(e, Error::Io { .. }), "{e}");
    }

    #[test]
    fn quoting_escapes_quotes_and_backslashes() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
