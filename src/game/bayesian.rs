//! Bayesian Stackelberg games (Conitzer & Sandholm 2006, §4; Paruchuri et al. 2008): a leader
//! commits to a mixed strategy; a follower whose type is drawn from a known prior sees the
//! commitment and best-responds with that type's payoffs. Each type has its own leader and
//! follower payoff tables over the same strategy labels.
//!
//! The TOML form (documented in `docs/solvers-advanced.md`):
//!
//! ```toml
//! leader = ["Sanction", "Tolerate"]     # the leader's pure strategies: table rows
//! follower = ["R", "K", "E"]            # the follower's pure strategies: table columns
//!
//! [[type]]
//! name = "aligned"
//! prior = "4/5"                         # integer, decimal or "p/q"; priors sum to exactly 1
//! leader_payoffs = [[0, 1, -2], [0, 2, "-1/2"]]
//! follower_payoffs = [[0, -1, -3], [0, 1, 0]]
//! ```
//!
//! Every error names the line (and column for syntax) where it is.

use crate::error::{Error, Pos, Result};
use crate::game::StrategicGame;
use crate::limits;
use crate::num::{parse_q, Q};
use serde::Deserialize;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// One follower type: its prior probability and both players' payoffs `[leader row][follower column]`.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowerType {
    /// The type's label.
    pub name: String,
    /// Its prior probability (the types' priors sum to 1).
    pub prior: Q,
    /// The leader's payoff against this type, `[leader row][follower column]`.
    pub leader_payoffs: Vec<Vec<Q>>,
    /// This type's own payoff, `[leader row][follower column]`.
    pub follower_payoffs: Vec<Vec<Q>>,
}

/// A validated Bayesian Stackelberg game.
#[derive(Debug, Clone, PartialEq)]
pub struct BayesianGame {
    leader_strategies: Vec<String>,
    follower_strategies: Vec<String>,
    types: Vec<FollowerType>,
}

impl BayesianGame {
    /// Check shapes (every table `leader × follower`), priors (≥ 0, summing to exactly 1) and size.
    pub fn new(
        leader_strategies: Vec<String>,
        follower_strategies: Vec<String>,
        types: Vec<FollowerType>,
    ) -> Result<Self> {
        let (m, n) = (leader_strategies.len(), follower_strategies.len());
        if m == 0 || n == 0 || types.is_empty() {
            return Err(Error::Unsupported(
                "a Bayesian game needs leader strategies, follower strategies and at least one type".into(),
            ));
        }
        let entries = (types.len() as u128) * (m as u128) * (n as u128) * 2;
        if entries > limits::MAX_PAYOFF_ENTRIES {
            return Err(Error::limit(
                "MAX_PAYOFF_ENTRIES",
                format!(
                    "Bayesian game with {entries} payoff entries: the limit is {}",
                    limits::MAX_PAYOFF_ENTRIES
                ),
            ));
        }
        for t in &types {
            let shaped = |table: &[Vec<Q>]| table.len() == m && table.iter().all(|r| r.len() == n);
            if !shaped(&t.leader_payoffs) || !shaped(&t.follower_payoffs) {
                return Err(Error::Unsupported(format!(
                    "type {}: payoff tables must be {m}×{n}",
                    t.name
                )));
            }
            if t.prior < Q::ZERO {
                return Err(Error::Unsupported(format!(
                    "type {}: negative prior",
                    t.name
                )));
            }
        }
        let total = types.iter().fold(Q::ZERO, |acc, t| acc + &t.prior);
        if total != Q::ONE {
            return Err(Error::Unsupported(format!(
                "the priors sum to {}, not 1",
                crate::num::fmt_q(&total)
            )));
        }
        Ok(BayesianGame {
            leader_strategies,
            follower_strategies,
            types,
        })
    }

    /// The two-player game with `leader` (0 or 1) committing: one follower type of prior 1.
    pub fn from_strategic(game: &StrategicGame, leader: usize) -> Result<Self> {
        if game.num_players() != 2 || leader > 1 {
            return Err(Error::Unsupported(format!(
                "Stackelberg commitment needs a two-player game and leader 1 or 2 (got {} players, leader {})",
                game.num_players(),
                leader + 1
            )));
        }
        let follower = 1 - leader;
        let oriented = |p: usize| -> Vec<Vec<Q>> {
            let a = game.matrix(p);
            if leader == 0 {
                a
            } else {
                (0..a[0].len())
                    .map(|j| a.iter().map(|row| row[j].clone()).collect())
                    .collect()
            }
        };
        let only = FollowerType {
            name: game.players()[follower].clone(),
            prior: Q::ONE,
            leader_payoffs: oriented(leader),
            follower_payoffs: oriented(follower),
        };
        Self::new(
            game.strategies()[leader].clone(),
            game.strategies()[follower].clone(),
            vec![only],
        )
    }

    /// The leader's strategy labels (the rows).
    pub fn leader_strategies(&self) -> &[String] {
        &self.leader_strategies
    }
    /// The follower's strategy labels (the columns), shared by every type.
    pub fn follower_strategies(&self) -> &[String] {
        &self.follower_strategies
    }
    /// The follower types, in file order.
    pub fn types(&self) -> &[FollowerType] {
        &self.types
    }

    /// Read the TOML form from a file (at most [`limits::MAX_FILE_BYTES`]).
    pub fn read(path: &Path) -> Result<Self> {
        let size = std::fs::metadata(path)
            .map_err(|e| Error::io(path, e))?
            .len();
        if size > limits::MAX_FILE_BYTES {
            return Err(Error::file_too_large(path));
        }
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse_toml(&text, &path.display().to_string())
    }

    /// Parse the TOML form; `file` names the source in error messages.
    pub fn parse_toml(text: &str, file: &str) -> Result<Self> {
        let src = Source { file, text };
        let raw: RawGame = toml::from_str(text).map_err(|e| {
            src.parse_error(
                e.span().map_or(0, |s| s.start),
                e.message().trim_end().to_string(),
            )
        })?;
        let (m, n) = (raw.leader.get_ref().len(), raw.follower.get_ref().len());
        if m == 0 {
            return Err(src.invalid(&raw.leader.span(), "leader", "needs at least one strategy"));
        }
        if n == 0 {
            return Err(src.invalid(
                &raw.follower.span(),
                "follower",
                "needs at least one strategy",
            ));
        }
        if raw.types.is_empty() {
            return Err(src.invalid(&(0..0), "type", "needs at least one [[type]] table"));
        }
        let mut types = Vec::with_capacity(raw.types.len());
        for t in &raw.types {
            let prior = src.number(&t.prior, "prior")?;
            if prior < Q::ZERO {
                return Err(src.invalid(&t.prior.span(), "prior", "must not be negative"));
            }
            types.push(FollowerType {
                name: t.name.clone(),
                prior,
                leader_payoffs: src.table(&t.leader_payoffs, "leader_payoffs", m, n)?,
                follower_payoffs: src.table(&t.follower_payoffs, "follower_payoffs", m, n)?,
            });
        }
        let total = types.iter().fold(Q::ZERO, |acc, t| acc + &t.prior);
        if total != Q::ONE {
            let last = &raw.types[raw.types.len() - 1].prior;
            let message = format!("the priors sum to {}, not 1", crate::num::fmt_q(&total));
            return Err(src.invalid(&last.span(), "prior", message));
        }
        Self::new(raw.leader.into_inner(), raw.follower.into_inner(), types)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGame {
    leader: Spanned<Vec<String>>,
    follower: Spanned<Vec<String>>,
    #[serde(rename = "type", default)]
    types: Vec<RawType>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawType {
    name: String,
    prior: Spanned<RawNumber>,
    leader_payoffs: Spanned<Vec<Spanned<Vec<Spanned<RawNumber>>>>>,
    follower_payoffs: Spanned<Vec<Spanned<Vec<Spanned<RawNumber>>>>>,
}

/// A number as TOML gives it; strings carry exact rationals such as `"1/3"`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawNumber {
    Integer(i64),
    Float(f64),
    Text(String),
}

/// The document being read, for turning byte offsets into lines and columns.
struct Source<'a> {
    file: &'a str,
    text: &'a str,
}

impl Source<'_> {
    fn pos(&self, offset: usize) -> Pos {
        let before = self.text.get(..offset).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
        Pos { line, col }
    }

    fn parse_error(&self, offset: usize, message: String) -> Error {
        Error::Parse {
            file: self.file.to_string(),
            pos: self.pos(offset),
            message,
        }
    }

    fn invalid(&self, span: &Range<usize>, key: &str, message: impl Into<String>) -> Error {
        let line = if span.is_empty() && span.start == 0 {
            1
        } else {
            self.pos(span.start).line
        };
        Error::Invalid {
            file: self.file.to_string(),
            line,
            key: key.to_string(),
            message: message.into(),
        }
    }

    /// An exact number: integers as they are, decimals by their shortest text (so `0.1` is 1/10),
    /// strings through [`parse_q`].
    fn number(&self, raw: &Spanned<RawNumber>, key: &str) -> Result<Q> {
        let parsed = match raw.get_ref() {
            RawNumber::Integer(i) => Some(Q::from(*i)),
            RawNumber::Float(f) if f.is_finite() => parse_q(&format!("{f}")),
            RawNumber::Float(_) => None,
            RawNumber::Text(s) => parse_q(s),
        };
        parsed.ok_or_else(|| {
            self.parse_error(
                raw.span().start,
                format!("{key}: expected a finite number such as 3, -0.5 or \"1/3\""),
            )
        })
    }

    fn table(
        &self,
        raw: &Spanned<Vec<Spanned<Vec<Spanned<RawNumber>>>>>,
        key: &str,
        m: usize,
        n: usize,
    ) -> Result<Vec<Vec<Q>>> {
        if raw.get_ref().len() != m {
            let message = format!(
                "expected {m} rows (one per leader strategy), found {}",
                raw.get_ref().len()
            );
            return Err(self.invalid(&raw.span(), key, message));
        }
        raw.get_ref()
            .iter()
            .map(|row| {
                if row.get_ref().len() != n {
                    let message = format!(
                        "expected {n} entries (one per follower strategy), found {}",
                        row.get_ref().len()
                    );
                    return Err(self.invalid(&row.span(), key, message));
                }
                row.get_ref().iter().map(|v| self.number(v, key)).collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
leader = ["U", "D"]
follower = ["L", "R"]

[[type]]
name = "one"
prior = "1/3"
leader_payoffs = [[2, 4], [1, 3]]
follower_payoffs = [[1, 0], [0, 1]]

[[type]]
name = "two"
prior = 0.6666666666666667
leader_payoffs = [[1, 0], [0, 2]]
follower_payoffs = [[0, "2"], [1, 0.5]]
"#;

    #[test]
    fn reads_types_priors_and_exact_numbers() {
        let text = GOOD.replace("0.6666666666666667", "\"2/3\"");
        let g = BayesianGame::parse_toml(&text, "g.toml").unwrap();
        assert_eq!(g.types().len(), 2);
        assert_eq!(g.types()[1].prior, parse_q("2/3").unwrap());
        assert_eq!(g.types()[1].follower_payoffs[1][1], parse_q("1/2").unwrap());
        assert_eq!(g.follower_strategies(), ["L", "R"]);
    }

    #[test]
    fn priors_must_sum_to_one_exactly() {
        // 1/3 + 0.6666666666666667 is not 1: refused at the last prior's line.
        let e = BayesianGame::parse_toml(GOOD, "g.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("g.toml:13: prior: the priors sum to"), "{e}");
    }

    #[test]
    fn errors_carry_lines() {
        let text = GOOD.replace("[[1, 0], [0, 2]]", "[[1, 0], [0]]");
        let e = BayesianGame::parse_toml(&text, "g.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "g.toml:14: leader_payoffs: expected 2 entries (one per follower strategy), found 1"
        );
        let text = GOOD.replace("prior = \"1/3\"", "prior = \"one third\"");
        let e = BayesianGame::parse_toml(&text, "g.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("g.toml:7:9: prior: expected a finite number"),
            "{e}"
        );
        let text = GOOD.replace("name = \"one\"", "name = \"one\"\ncolour = 1");
        let e = BayesianGame::parse_toml(&text, "g.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("g.toml:7:1:") && e.contains("colour"), "{e}");
        let e = BayesianGame::parse_toml("leader = [\"U\"\n", "g.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("g.toml:1:") || e.starts_with("g.toml:2:"),
            "{e}"
        );
    }

    #[test]
    fn strategic_game_with_second_player_leading_is_transposed() {
        let q = |v: i64| Q::from(v);
        let a = vec![vec![q(1), q(2), q(3)], vec![q(4), q(5), q(6)]];
        let b = vec![vec![q(-1), q(-2), q(-3)], vec![q(-4), q(-5), q(-6)]];
        let g = StrategicGame::bimatrix(&a, &b).unwrap();
        let bg = BayesianGame::from_strategic(&g, 1).unwrap();
        assert_eq!(bg.leader_strategies().len(), 3);
        assert_eq!(bg.types()[0].leader_payoffs[2][1], q(-6));
        assert_eq!(bg.types()[0].follower_payoffs[0][1], q(4));
    }
}
