//! `patron info GAME.efg`: what a game tree is, before solving it — its size, information
//! structure (perfect recall, Kuhn 1953; perfect information; proper subgames, Selten 1965)
//! and the size of its reduced strategic form, which decides which solvers apply.

use crate::game::reduced::{count_reduced_strategies, reduced_strategic_form};
use crate::game::tree::{ExtensiveGame, NodeKind};
use crate::num::{fmt_q, Q};
use serde_json::json;

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

/// The facts `info` reports about a game tree, as JSON.
pub fn tree_info(game: &ExtensiveGame) -> serde_json::Value {
    let infosets: Vec<Vec<serde_json::Value>> = (0..game.num_players())
        .map(|p| {
            game.infosets(p)
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    json!({ "label": s.label, "actions": s.actions, "nodes": game.members(p, i).len() })
                })
                .collect()
        })
        .collect();
    let chance_nodes = game
        .nodes()
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Chance { .. }))
        .count();
    let counts = reduced_counts(game);
    let profiles = counts.as_ref().map(|c| {
        c.iter()
            .fold(1u128, |a, &b| a.saturating_mul(b))
            .to_string()
    });
    json!({
        "title": game.title(),
        "form": "extensive",
        "players": game.players(),
        "nodes": game.num_nodes(),
        "terminal_nodes": game.num_terminal_nodes(),
        "chance_nodes": chance_nodes,
        "infosets": infosets,
        "perfect_recall": game.is_perfect_recall(),
        "perfect_recall_violation": game.perfect_recall_violation(),
        "perfect_information": game.is_perfect_information(),
        "constant_sum": constant_sum(game).map(|c| fmt_q(&c)),
        "proper_subgame_roots": proper_subgames(game),
        "reduced_strategies": counts.map(|c| c.iter().map(u128::to_string).collect::<Vec<_>>()),
        "reduced_profiles": profiles,
    })
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
