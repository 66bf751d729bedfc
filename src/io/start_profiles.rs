//! Start profiles for the approximate solvers (`--start FILE`), in Gambit's format: one profile
//! per line, its probabilities separated by commas (player by player, each player's strategies —
//! or, for `liap --agent`, each information set's actions — in the game's order), as in
//! Gambit's equilibrium output without the leading `NE` tag (which is accepted too). Numbers
//! are exact: `1/3`, `0.25`, `1e-2`. Blank lines and lines starting with `#` are skipped.

use crate::error::{Error, Pos, Result};
use crate::limits;
use crate::num::{parse_q, Q};
use std::path::Path;

/// A profile's probabilities in file order, and the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct StartProfile {
    pub line: usize,
    pub values: Vec<Q>,
}

/// Read every start profile of `path`.
pub fn read_start_profiles(path: &Path) -> Result<Vec<StartProfile>> {
    let metadata = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if metadata.len() > limits::MAX_FILE_BYTES {
        return Err(Error::file_too_large(path));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_start_profiles(&path.display().to_string(), &text)
}

/// Parse start profiles from `text` (`file` names it in errors).
pub fn parse_start_profiles(file: &str, text: &str) -> Result<Vec<StartProfile>> {
    let mut profiles = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut fields: Vec<&str> = trimmed.split(',').collect();
        if fields.first().is_some_and(|f| f.trim() == "NE") {
            fields.remove(0);
        }
        let mut col = 1;
        let mut values = Vec::with_capacity(fields.len());
        for (k, field) in fields.iter().enumerate() {
            let value = parse_q(field)
                .filter(|_| !exponent_too_large(field))
                .ok_or_else(|| Error::Parse {
                    file: file.to_string(),
                    pos: Pos {
                        line: index + 1,
                        col,
                    },
                    message: format!(
                        "probability {} is '{}', not a number such as 1/3 or 0.25",
                        k + 1,
                        field.trim()
                    ),
                })?;
            values.push(value);
            col += field.chars().count() + 1;
        }
        profiles.push(StartProfile {
            line: index + 1,
            values,
        });
    }
    if profiles.is_empty() {
        return Err(Error::Parse {
            file: file.to_string(),
            pos: Pos { line: 1, col: 1 },
            message: "no start profile: expected a line of comma-separated probabilities".into(),
        });
    }
    Ok(profiles)
}

/// A decimal exponent beyond [`limits::MAX_DECIMAL_EXPONENT`] (`1e99999999` would be an
/// enormous integer).
fn exponent_too_large(field: &str) -> bool {
    field
        .trim()
        .split(['e', 'E'])
        .nth(1)
        .and_then(|e| e.parse::<i64>().ok())
        .is_none_or(|e| e.abs() > limits::MAX_DECIMAL_EXPONENT)
        && field.contains(['e', 'E'])
}

/// `values` cut into consecutive groups of the given sizes (one per player, or per
/// information set); an error naming the line when the count is wrong.
pub fn split_groups(file: &str, start: &StartProfile, sizes: &[usize]) -> Result<Vec<Vec<Q>>> {
    let expected: usize = sizes.iter().sum();
    if start.values.len() != expected {
        return Err(Error::Parse {
            file: file.to_string(),
            pos: Pos {
                line: start.line,
                col: 1,
            },
            message: format!(
                "the start profile has {} probabilities; this game needs {expected}",
                start.values.len()
            ),
        });
    }
    let mut rest = start.values.as_slice();
    Ok(sizes
        .iter()
        .map(|&n| {
            let (group, tail) = rest.split_at(n);
            rest = tail;
            group.to_vec()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_gambit_lines_and_names_bad_fields() {
        let text = "# two starts\nNE,1/2,1/2,0.25,0.75\n\n1,0,1/3,2/3\n";
        let p = parse_start_profiles("s.txt", text).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].line, p[0].values.len()), (2, 4));
        assert_eq!(p[0].values[2], parse_q("1/4").unwrap());
        let groups = split_groups("s.txt", &p[1], &[2, 2]).unwrap();
        assert_eq!(
            groups[1],
            vec![parse_q("1/3").unwrap(), parse_q("2/3").unwrap()]
        );
        let err = split_groups("s.txt", &p[1], &[3, 2])
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("s.txt:4:1:"), "{err}");
        let err = parse_start_profiles("s.txt", "1/2, x ,1/2")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("s.txt:1:5:") && err.contains("'x'"),
            "{err}"
        );
        assert!(parse_start_profiles("s.txt", "1e999999,0").is_err());
        assert!(parse_start_profiles("s.txt", "\n# nothing\n").is_err());
    }
}
