//! `patron info GAME.efg`: what a game tree is, before solving it — its size, information
//! structure (perfect recall, Kuhn 1953; perfect information; proper subgames, Selten 1965)
//! and the size of its reduced strategic form, which decides which solvers apply.

use crate::game::reduced::{count_reduced_strategies, reduced_strategic_form};
use crate::game::tree::{ExtensiveGame, NodeKind};
use crate::num::{fmt_q, Q};
use serde::Serialize;

/// Number of reduced strategies per player: counted without enumeration under perfect
/// recall, else by building the reduced form; `None` when it is over the limits.
fn reduced_counts(game: &ExtensiveGame) -> Option<Vec<u128>> {
    if game.is_perfect_recall() {
        return count_reduced_strategies(game).ok();
    }
    reduced_strategic_form(game)
        .ok()
        .map(|(g, _)| g.strategy_counts().into_iter().map(|c| c as u128).collect())
}

/// The common total of every play's payoffs, when the game is constant-sum.
fn constant_sum(game: &ExtensiveGame) -> Option<Q> {
    if !game.is_constant_sum() {
        return None;
    }
    let first = game.terminal_payoffs().into_iter().next()?;
    Some(first.1.iter().fold(Q::ZERO, |acc, x| acc + x))
}

/// Proper subgame roots (the root excluded), as 1-based preorder node numbers.
fn proper_subgames(game: &ExtensiveGame) -> Vec<usize> {
    game.subgame_roots()
        .into_iter()
        .filter(|&h| h != game.root())
        .map(|h| h + 1)
        .collect()
}

/// The facts `info` reports about a game tree, as JSON (docs/output.md).
#[derive(Debug, Serialize)]
pub struct TreeInfoJson<'a> {
    /// The game's title.
    pub title: &'a str,
    /// Always `extensive`.
    pub form: &'static str,
    /// Player names.
    pub players: &'a [String],
    /// The number of nodes.
    pub nodes: usize,
    /// The number of terminal nodes.
    pub terminal_nodes: usize,
    /// The number of chance nodes.
    pub chance_nodes: usize,
    /// Per player, each information set's label, actions and number of nodes.
    pub infosets: Vec<Vec<InfoInfosetJson<'a>>>,
    /// Whether every player remembers what they knew and did.
    pub perfect_recall: bool,
    /// Why not, when not.
    pub perfect_recall_violation: Option<String>,
    /// Whether every information set is a single node.
    pub perfect_information: bool,
    /// The sum of the payoffs at every leaf, when it is the same at all.
    pub constant_sum: Option<String>,
    /// Proper subgame roots, 1-based in preorder.
    pub proper_subgame_roots: Vec<usize>,
    /// Each player's number of reduced strategies (as text: they can exceed 2^64), with
    /// perfect recall.
    pub reduced_strategies: Option<Vec<String>>,
    /// Their product, as text.
    pub reduced_profiles: Option<String>,
}

/// An information set as `info` lists it.
#[derive(Debug, Serialize)]
pub struct InfoInfosetJson<'a> {
    /// The set's label.
    pub label: &'a str,
    /// Its actions' labels.
    pub actions: &'a [String],
    /// How many nodes it has.
    pub nodes: usize,
}

impl<'a> TreeInfoJson<'a> {
    /// The facts about `game`.
    pub fn new(game: &'a ExtensiveGame) -> Self {
        let counts = reduced_counts(game);
        TreeInfoJson {
            title: game.title(),
            form: "extensive",
            players: game.players(),
            nodes: game.num_nodes(),
            terminal_nodes: game.num_terminal_nodes(),
            chance_nodes: game
                .nodes()
                .iter()
                .filter(|n| matches!(n.kind, NodeKind::Chance { .. }))
                .count(),
            infosets: (0..game.num_players())
                .map(|p| {
                    game.infosets(p)
                        .iter()
                        .enumerate()
                        .map(|(i, s)| InfoInfosetJson {
                            label: &s.label,
                            actions: &s.actions,
                            nodes: game.members(p, i).len(),
                        })
                        .collect()
                })
                .collect(),
            perfect_recall: game.is_perfect_recall(),
            perfect_recall_violation: game.perfect_recall_violation(),
            perfect_information: game.is_perfect_information(),
            constant_sum: constant_sum(game).map(|c| fmt_q(&c)),
            proper_subgame_roots: proper_subgames(game),
            reduced_profiles: counts.as_ref().map(|c| {
                c.iter()
                    .fold(1u128, |a, &b| a.saturating_mul(b))
                    .to_string()
            }),
            reduced_strategies: counts.map(|c| c.iter().map(u128::to_string).collect()),
        }
    }
}

/// The same facts for a person.
pub fn tree_text(game: &ExtensiveGame) -> String {
    let mut out = Vec::new();
    if !game.title().is_empty() {
        out.push(game.title().to_string());
    }
    out.push(format!(
        "game tree, {} players, {} nodes ({} terminal)",
        game.num_players(),
        game.num_nodes(),
        game.num_terminal_nodes()
    ));
    let counts = reduced_counts(game);
    for (p, player) in game.players().iter().enumerate() {
        let sets = game.infosets(p);
        let sizes: Vec<String> = (0..sets.len())
            .map(|i| game.members(p, i).len().to_string())
            .collect();
        let reduced = counts
            .as_ref()
            .map_or("over the limits".to_string(), |c| c[p].to_string());
        out.push(format!(
            "  {player}: {} information sets (nodes each: {}), {reduced} reduced strategies",
            sets.len(),
            if sizes.is_empty() {
                "-".into()
            } else {
                sizes.join(", ")
            }
        ));
    }
    out.push(match game.perfect_recall_violation() {
        None => "perfect recall: yes".into(),
        Some(why) => format!("perfect recall: no ({why})"),
    });
    out.push(format!(
        "perfect information: {}",
        if game.is_perfect_information() {
            "yes"
        } else {
            "no"
        }
    ));
    out.push(match constant_sum(game) {
        Some(c) => format!(
            "constant-sum: yes (every play's payoffs add up to {})",
            fmt_q(&c)
        ),
        None => "constant-sum: no".into(),
    });
    let roots = proper_subgames(game);
    out.push(if roots.is_empty() {
        "proper subgames: none".into()
    } else {
        let list: Vec<String> = roots.iter().map(usize::to_string).collect();
        format!(
            "proper subgames: {} (rooted at nodes {} in preorder)",
            roots.len(),
            list.join(", ")
        )
    });
    out.push(match &counts {
        Some(c) => {
            let list: Vec<String> = c.iter().map(u128::to_string).collect();
            let cells = c.iter().fold(1u128, |a, &b| a.saturating_mul(b));
            format!(
                "reduced strategic form: {} ({cells} pure profiles)",
                list.join(" x ")
            )
        }
        None => "reduced strategic form: over the limits (see docs/limits.md)".into(),
    });
    out.join("\n")
}
