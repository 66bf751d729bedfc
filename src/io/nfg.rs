//! Gambit's strategic-form file format, `.nfg` version 1.
//!
//! Grammar (Gambit's `ReadNfgFile` in `src/games/file.cc`):
//!
//! ```text
//! NFG 1 (R|D) "title" { "player" ... }
//!     ( { count ... } | { { "strategy" ... } ... } )     one entry per player
//!     [ "comment" ]
//!     payoff body | outcome body
//! payoff body:  number × (players × profiles)            player 1's strategy varies fastest
//! outcome body: { { "label" payoff [,] payoff ... } ... } outcome-index × profiles (0 = null)
//! ```
//!
//! `R` and `D` files are both read exactly (`D` decimals become exact rationals). Player and
//! strategy labels are normalised as Gambit does on reading (empty or repeated labels get a
//! `_n` suffix, see `normalize_labels` in `io`), so names equal what pygambit reports.
//! Sizes are checked with [`check_size`] before any payoff table is allocated.

use super::lexer::{Lexer, Tok};
use super::{normalize_labels, quote};
use crate::error::{Pos, Result};
use crate::game::strategic::check_size;
use crate::game::StrategicGame;
use crate::limits;
use crate::num::{fmt_q, Q};
use std::collections::HashMap;

/// Which of Gambit's two payoff encodings [`write_nfg`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NfgVersion {
    /// A flat list of payoffs, one per player per profile.
    Payoff,
    /// A list of outcomes (payoff vectors) and one outcome index per profile.
    Outcome,
}

/// Parse `.nfg` text; `file` names the source in error messages.
pub fn parse_nfg(text: &str, file: &str) -> Result<StrategicGame> {
    let mut lx = Lexer::new(text, file);
    lx.expect_word(&["NFG"], "the 'NFG' file header")?;
    let (version, vpos) = lx.expect_usize("the NFG version number")?;
    if version != 1 {
        return Err(lx.error(
            vpos,
            format!("only NFG version 1 is supported, found {version}"),
        ));
    }
    lx.expect_word(&["R", "D"], "data type 'R' or 'D'")?;
    let (title, _) = lx.expect_str("the game title (a quoted string)")?;
    let (mut players, ppos) = lx.string_list("the player names")?;
    if players.is_empty() {
        return Err(lx.error(ppos, "expected at least one player name"));
    }
    if players.len() > limits::MAX_PLAYERS {
        return Err(lx.error(
            ppos,
            format!(
                "{} players: the limit is {}",
                players.len(),
                limits::MAX_PLAYERS
            ),
        ));
    }
    let mut strategies = strategy_block(&mut lx, players.len())?;
    let comment = match lx.peek()?.tok {
        Tok::Str(_) => lx.expect_str("the comment")?.0,
        _ => String::new(),
    };
    let counts: Vec<usize> = strategies.iter().map(Vec::len).collect();
    let cells = check_size(&counts)?;
    let body = lx.peek()?.clone();
    let payoffs = match body.tok {
        Tok::LBrace => outcome_body(&mut lx, players.len(), cells)?,
        Tok::Num(_) => payoff_body(&mut lx, players.len(), cells)?,
        other => {
            return Err(lx.error(
                body.pos,
                format!(
                    "expected the outcome list '{{' or the first payoff number, found {}",
                    other.describe()
                ),
            ))
        }
    };
    lx.expect_eof()?;
    normalize_labels(&mut players);
    strategies.iter_mut().for_each(|s| normalize_labels(s));
    let game = StrategicGame::new(title, players, strategies, payoffs)
        .map_err(|e| lx.error(body.pos, e.to_string()))?;
    Ok(game.with_comment(comment))
}

/// The strategy block: either counts (labels become "1", "2", ...) or label lists.
/// Each count is checked against [`limits::MAX_STRATEGIES`] and the whole game against
/// [`check_size`] before any label is generated.
fn strategy_block(lx: &mut Lexer, num_players: usize) -> Result<Vec<Vec<String>>> {
    let open = lx.expect(Tok::LBrace, "'{' opening the strategy block")?;
    let strategies = if lx.peek()?.tok == Tok::LBrace {
        let mut lists = Vec::with_capacity(num_players);
        for p in 1..=num_players {
            let (labels, pos) = lx.string_list(&format!("the strategy names of player {p}"))?;
            check_count(lx, labels.len(), p, pos)?;
            lists.push(labels);
        }
        lists
    } else {
        let mut counts = Vec::with_capacity(num_players);
        for p in 1..=num_players {
            let (c, pos) = lx.expect_usize(&format!("the number of strategies of player {p}"))?;
            check_count(lx, c, p, pos)?;
            counts.push(c);
        }
        check_size(&counts).map_err(|e| lx.error(open, e.to_string()))?;
        counts
            .iter()
            .map(|&c| (1..=c).map(|s| s.to_string()).collect())
            .collect()
    };
    lx.expect(
        Tok::RBrace,
        &format!("'}}' closing the strategy block (one entry per player, {num_players} players)"),
    )?;
    let counts: Vec<usize> = strategies.iter().map(Vec::len).collect();
    check_size(&counts).map_err(|e| lx.error(open, e.to_string()))?;
    Ok(strategies)
}

fn check_count(lx: &Lexer, count: usize, player: usize, pos: Pos) -> Result<()> {
    if count == 0 {
        return Err(lx.error(
            pos,
            format!("player {player} must have at least one strategy"),
        ));
    }
    if count > limits::MAX_STRATEGIES {
        return Err(lx.error(
            pos,
            format!(
                "player {player} has {count} strategies: the limit is {}",
                limits::MAX_STRATEGIES
            ),
        ));
    }
    Ok(())
}

/// Payoff version: players × profiles numbers, profile-major, player-minor.
fn payoff_body(lx: &mut Lexer, num_players: usize, cells: usize) -> Result<Vec<Vec<Q>>> {
    let mut tables = vec![Vec::with_capacity(cells); num_players];
    for k in 1..=cells {
        for (p, table) in tables.iter_mut().enumerate() {
            let expected = || format!("the payoff of player {} in profile {k} of {cells}", p + 1);
            table.push(lx.expect_q(expected)?.0);
        }
    }
    Ok(tables)
}

/// Outcome version: the outcome list, then one outcome index per profile (0 = null outcome).
fn outcome_body(lx: &mut Lexer, num_players: usize, cells: usize) -> Result<Vec<Vec<Q>>> {
    lx.expect(Tok::LBrace, "'{' opening the outcome list")?;
    let mut outcomes: Vec<Vec<Q>> = Vec::new();
    while lx.peek()?.tok == Tok::LBrace {
        lx.next_token()?;
        let n = outcomes.len() + 1;
        lx.expect_str(&format!("the label of outcome {n}"))?;
        outcomes.push(payoff_vector(lx, num_players, &format!("outcome {n}"))?);
    }
    lx.expect(
        Tok::RBrace,
        "'{' opening an outcome or '}' closing the outcome list",
    )?;
    let mut tables = vec![Vec::with_capacity(cells); num_players];
    let zero = vec![Q::ZERO; num_players];
    for k in 1..=cells {
        let (index, pos) =
            lx.expect_usize(&format!("the outcome index of profile {k} of {cells}"))?;
        let payoff = match index {
            0 => &zero,
            i => outcomes.get(i - 1).ok_or_else(|| {
                lx.error(
                    pos,
                    format!("outcome {i} is not defined ({} outcomes)", outcomes.len()),
                )
            })?,
        };
        for (table, v) in tables.iter_mut().zip(payoff) {
            table.push(v.clone());
        }
    }
    Ok(tables)
}

/// `payoff [,] payoff ... }` — one exact payoff per player, commas optional, closing brace.
/// Shared with the `.efg` reader, whose outcomes use the same syntax.
pub(crate) fn payoff_vector(lx: &mut Lexer, num_players: usize, what: &str) -> Result<Vec<Q>> {
    let mut payoffs = Vec::with_capacity(num_players);
    for p in 1..=num_players {
        payoffs.push(
            lx.expect_q(|| format!("the payoff of player {p} in {what}"))?
                .0,
        );
        lx.skip_comma()?;
    }
    lx.expect(
        Tok::RBrace,
        &format!("'}}' closing {what} (one payoff per player, {num_players} players)"),
    )?;
    Ok(payoffs)
}

/// Gambit `.nfg` text for `game`, readable by Gambit and by [`parse_nfg`] (exact `R` numbers).
pub fn write_nfg(game: &StrategicGame, version: NfgVersion) -> String {
    let mut out = format!(
        "NFG 1 R {} {{ {} }}\n\n{{ ",
        quote(game.title()),
        quoted_list(game.players())
    );
    for labels in game.strategies() {
        out.push_str(&format!("{{ {} }}\n", quoted_list(labels)));
    }
    out.push_str(&format!("}}\n{}\n\n", quote(game.comment())));
    let n = game.num_players();
    let payoffs_at = |k: usize| (0..n).map(move |p| &game.payoff_table(p)[k]);
    match version {
        NfgVersion::Payoff => {
            for k in 0..game.num_profiles() {
                let row: Vec<String> = payoffs_at(k).map(fmt_q).collect();
                out.push_str(&row.join(" "));
                out.push('\n');
            }
        }
        NfgVersion::Outcome => {
            // One outcome per distinct non-zero payoff vector; all-zero profiles use the null outcome.
            let mut index: HashMap<Vec<&Q>, usize> = HashMap::new();
            let mut listed = String::new();
            let mut indices = Vec::with_capacity(game.num_profiles());
            for k in 0..game.num_profiles() {
                let v: Vec<&Q> = payoffs_at(k).collect();
                if v.iter().all(|q| **q == Q::ZERO) {
                    indices.push(0);
                    continue;
                }
                let next = index.len() + 1;
                let i = *index.entry(v.clone()).or_insert_with(|| {
                    let texts: Vec<String> = v.iter().map(|q| fmt_q(q)).collect();
                    listed.push_str(&format!("{{ \"\" {} }}\n", texts.join(", ")));
                    next
                });
                indices.push(i);
            }
            out.push_str(&format!("{{\n{listed}}}\n"));
            let texts: Vec<String> = indices.iter().map(usize::to_string).collect();
            out.push_str(&texts.join(" "));
            out.push('\n');
        }
    }
    out
}

fn quoted_list(labels: &[String]) -> String {
    labels
        .iter()
        .map(|l| quote(l))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::parse_q;

    fn q(s: &str) -> Q {
        parse_q(s).unwrap()
    }

    fn err(text: &str) -> String {
        parse_nfg(text, "g.nfg").unwrap_err().to_string()
    }

    const MATCHING_PENNIES: &str =
        "NFG 1 R \"MP\" { \"Row\" \"Col\" } { 2 2 }\n\n1 -1 -1 1 -1 1 1 -1\n";

    #[test]
    fn payoff_version_is_player_one_fastest() {
        let g = parse_nfg(MATCHING_PENNIES, "mp.nfg").unwrap();
        assert_eq!(g.title(), "MP");
        assert_eq!(g.players(), ["Row", "Col"]);
        assert_eq!(g.strategies(), [vec!["1", "2"], vec!["1", "2"]]);
        // Profile 2 is (row 2, col 1): payoffs -1, 1.
        assert_eq!(g.payoff(0, &[1, 0]), &q("-1"));
        assert_eq!(g.payoff(1, &[1, 0]), &q("1"));
        assert_eq!(g.payoff(0, &[1, 1]), &q("1"));
        assert_eq!(g.constant_sum(), Some(Q::ZERO));
    }

    #[test]
    fn outcome_version_with_null_outcome_and_comment() {
        let text = "NFG 1 D \"t\" { \"A\" \"B\" }\n{ { \"x\" \"y\" } { \"l\" \"r\" } }\n\"a \\\"note\\\"\"\n\
                    { { \"o1\" 1.5, 2 } { \"o2\" 3/4 -1e1 } }\n1 0 2 1\n";
        let g = parse_nfg(text, "o.nfg").unwrap();
        assert_eq!(g.comment(), "a \"note\"");
        assert_eq!(g.strategies(), [vec!["x", "y"], vec!["l", "r"]]);
        assert_eq!(g.payoff(0, &[0, 0]), &q("3/2"));
        assert_eq!(g.payoff(1, &[1, 0]), &Q::ZERO);
        assert_eq!(g.payoff(0, &[0, 1]), &q("3/4"));
        assert_eq!(g.payoff(1, &[0, 1]), &q("-10"));
        assert_eq!(g.payoff(1, &[1, 1]), &q("2"));
    }

    #[test]
    fn empty_and_repeated_labels_are_normalised_like_gambit() {
        let g = parse_nfg(
            "NFG 1 R \"\" { \"\" \"\" } { { \"a\" \"a\" \"a_1\" } { \"\" } } 1 2 3 4 5 6",
            "f",
        )
        .unwrap();
        assert_eq!(g.players(), ["_1", "_2"]);
        assert_eq!(g.strategies()[0], ["a_2", "a_3", "a_1"]);
        assert_eq!(g.strategies()[1], ["_1"]);
    }

    #[test]
    fn both_versions_round_trip() {
        let text = "NFG 1 R \"q\\\\\" { \"P\" } { { \"s\" \"t\" \"u\" } } \"c\" 0 5/3 0\n";
        let g = parse_nfg(text, "f").unwrap();
        assert_eq!(g.title(), "q\\");
        for v in [NfgVersion::Payoff, NfgVersion::Outcome] {
            let back = parse_nfg(&write_nfg(&g, v), "w").unwrap();
            assert_eq!(back, g, "{v:?}");
        }
        let outcome = write_nfg(&g, NfgVersion::Outcome);
        assert!(
            outcome.ends_with("{\n{ \"\" 5/3 }\n}\n0 1 0\n"),
            "{outcome}"
        );
    }

    #[test]
    fn malformed_inputs_name_file_line_and_column() {
        assert_eq!(
            err("NFG 1 R \"t\" { \"A\" \"B\" } { 2 2 }\n1 2 3"),
            "g.nfg:2:6: expected the payoff of player 2 in profile 2 of 4, found end of file"
        );
        assert_eq!(
            err("NFG 1 R \"t\" { \"A\" } { 2 }\n1 2 3"),
            "g.nfg:2:5: expected end of file, found number 3"
        );
        assert_eq!(
            err("NFG 1 R \"t\" { \"A\" } { 2 }\n1 x"),
            "g.nfg:2:3: expected the payoff of player 1 in profile 2 of 2, found word 'x'"
        );
        assert_eq!(
            err("NFG 1 R \"t\" { \"A\" } { 2 }\n1 1..2"),
            "g.nfg:2:3: bad number '1..2'"
        );
        assert_eq!(
            err("NFG 1 R \"t\" { \"A } { 2 }\n1 2"),
            "g.nfg:1:15: unterminated string: expected a closing '\"'"
        );
        assert_eq!(
            err("NFG 2 R \"t\""),
            "g.nfg:1:5: only NFG version 1 is supported, found 2"
        );
        assert_eq!(
            err(""),
            "g.nfg:1:1: expected the 'NFG' file header, found end of file"
        );
        assert_eq!(
            err("NFG 1 R \"t\" { \"A\" } { { \"a\" } } { { \"o\" 1 } }\n3"),
            "g.nfg:2:1: outcome 3 is not defined (1 outcomes)"
        );
        assert_eq!(
            err("NFG 1 R \"t\" { \"A\" \"B\" } { 2 2 3 }"),
            "g.nfg:1:31: expected '}' closing the strategy block (one entry per player, 2 players), found number 3"
        );
    }

    #[test]
    fn huge_strategy_counts_are_refused_before_allocating() {
        let e = err("NFG 1 R \"t\" { \"A\" \"B\" } { 100000 100000 }\n");
        assert!(e.starts_with("g.nfg:1:25: ") && e.contains("limit"), "{e}");
        let e = err("NFG 1 R \"t\" { \"A\" } { 100001 }\n");
        assert_eq!(
            e,
            "g.nfg:1:23: player 1 has 100001 strategies: the limit is 100000"
        );
        let e = err("NFG 1 R \"t\" { \"A\" } { 0 }\n");
        assert_eq!(e, "g.nfg:1:23: player 1 must have at least one strategy");
    }
}
