//! `spe`: every pure subgame-perfect equilibrium of a game of perfect information, by
//! backward induction (Zermelo 1913; Kuhn 1953, "Extensive games and the problem of
//! information"; Selten 1965 for subgame perfection), exact.
//!
//! In a game of perfect information every decision node starts a subgame, so a profile is
//! subgame perfect exactly when each mover picks, at each node, an action whose subtree
//! value (under the profile below) is best for it. Working from the leaves up, each node
//! keeps the list of its subtree's equilibria: a chance node combines one equilibrium per
//! child (their values weighted by the chance probabilities), a decision node takes every
//! combination of its children's equilibria and, for each, every action that ties for best.
//! Ties therefore multiply equilibria, and different tie choices below can change the values
//! (and so the choices) above: all combinations are enumerated. Mixtures over tied actions
//! are subgame perfect too; they are not listed (only the pure equilibria are).
//!
//! The order is deterministic: a node lists its equilibria by its children's equilibria
//! (the first child's varying slowest), then by the tied action, lowest first. A node's list
//! is built from its children's lists and the children's values are dropped at once, so only
//! the choices stay in memory.
//! Limits: [`limits::MAX_SUBGAME_PERFECT_EQUILIBRIA`] and
//! [`limits::MAX_BACKWARD_INDUCTION_WORK`].

use crate::error::{Error, Result};
use crate::game::tree::{Behavior, ExtensiveGame, NodeId, NodeKind};
use crate::limits;
use crate::num::Q;
use crate::solve::deadline::Deadline;

/// One equilibrium of a subtree: the action taken at its root (decision nodes only) and,
/// for each child, which of the child's equilibria is played below it.
#[derive(Debug, Clone)]
struct Way {
    action: Option<usize>,
    picks: Vec<usize>,
}

/// Every pure subgame-perfect equilibrium, as pure behaviour profiles, in the order the
/// module comment describes; refuses games with imperfect information. Stops at `deadline`: with the equilibria written out so far, or none if
/// backward induction had not reached the root.
pub fn spe_until(game: &ExtensiveGame, deadline: &Deadline) -> Result<Vec<Behavior<Q>>> {
    if let Some(why) = imperfect_information(game) {
        return Err(Error::Unsupported(format!(
            "spe (backward induction) needs a game of perfect information, but {why}; \
             use --method lcp (2 players) or enumpure"
        )));
    }
    let Some(ways) = backward_induction(game, deadline)? else {
        return Ok(Vec::new());
    };
    let count = ways[game.root()].len();
    let work = (count as u128) * (game.num_nodes() as u128);
    if work > limits::MAX_BACKWARD_INDUCTION_WORK {
        return Err(too_much_work());
    }
    Ok((0..count)
        .take_while(|_| !deadline.passed())
        .map(|k| write_out(game, &ways, k))
        .collect())
}

/// Which information set has more than one node, if any.
fn imperfect_information(game: &ExtensiveGame) -> Option<String> {
    (0..game.num_players()).find_map(|p| {
        game.infosets(p).iter().enumerate().find_map(|(i, set)| {
            let size = game.members(p, i).len();
            (size > 1).then(|| {
                let label = match set.label.as_str() {
                    "" => String::new(),
                    l => format!(" (\"{l}\")"),
                };
                format!(
                    "information set {}{label} of player {} ({}) has {size} nodes",
                    i + 1,
                    p + 1,
                    game.players()[p]
                )
            })
        })
    })
}

fn too_much_work() -> Error {
    Error::limit(
        "MAX_BACKWARD_INDUCTION_WORK",
        format!(
            "backward induction: too many tied choices (more than {} work units, \
         limits::MAX_BACKWARD_INDUCTION_WORK)",
            limits::MAX_BACKWARD_INDUCTION_WORK
        ),
    )
}

/// Every node's list of subtree equilibria, built leaves first (reverse preorder); `None` if
/// `deadline` passed first.
fn backward_induction(game: &ExtensiveGame, deadline: &Deadline) -> Result<Option<Vec<Vec<Way>>>> {
    let n = game.num_nodes();
    let mut values: Vec<Vec<Vec<Q>>> = vec![Vec::new(); n];
    let mut ways: Vec<Vec<Way>> = vec![Vec::new(); n];
    let mut work: u128 = 0;
    for h in (0..n).rev() {
        if deadline.passed() {
            return Ok(None);
        }
        let node = game.node(h);
        let own = game.node_payoffs(h);
        let below: Vec<Vec<Vec<Q>>> = node
            .children
            .iter()
            .map(|&c| std::mem::take(&mut values[c]))
            .collect();
        let combos = below.iter().try_fold(1usize, |acc, v| {
            acc.checked_mul(v.len())
                .filter(|&c| c <= limits::MAX_SUBGAME_PERFECT_EQUILIBRIA)
        });
        let combos = combos.ok_or_else(too_many)?;
        let (mut here, mut here_ways) = (Vec::new(), Vec::new());
        for k in 0..combos {
            let picks = decode(k, &below);
            let child_value = |a: usize| &below[a][picks[a]];
            match node.kind {
                NodeKind::Terminal => {
                    here.push(own.clone());
                    here_ways.push(Way {
                        action: None,
                        picks,
                    });
                }
                NodeKind::Chance { .. } => {
                    let mut v = own.clone();
                    for a in 0..below.len() {
                        let p = game.chance_prob(h, a).cloned().unwrap_or(Q::ZERO);
                        add_scaled(&mut v, &p, child_value(a));
                    }
                    here.push(v);
                    here_ways.push(Way {
                        action: None,
                        picks,
                    });
                }
                NodeKind::Decision { player, .. } => {
                    let best = (0..below.len())
                        .map(|a| &child_value(a)[player])
                        .max()
                        .cloned()
                        .unwrap_or(Q::ZERO);
                    for a in (0..below.len()).filter(|&a| child_value(a)[player] == best) {
                        let mut v = own.clone();
                        add_scaled(&mut v, &Q::ONE, child_value(a));
                        here.push(v);
                        here_ways.push(Way {
                            action: Some(a),
                            picks: picks.clone(),
                        });
                    }
                }
            }
        }
        if here.len() > limits::MAX_SUBGAME_PERFECT_EQUILIBRIA {
            return Err(too_many());
        }
        work += (here.len() as u128) * (node.children.len().max(1) as u128);
        if work > limits::MAX_BACKWARD_INDUCTION_WORK {
            return Err(too_much_work());
        }
        values[h] = here;
        ways[h] = here_ways;
    }
    Ok(Some(ways))
}

fn too_many() -> Error {
    Error::limit(
        "MAX_SUBGAME_PERFECT_EQUILIBRIA",
        format!(
            "spe: ties give more than {} subgame-perfect equilibria \
         (limits::MAX_SUBGAME_PERFECT_EQUILIBRIA)",
            limits::MAX_SUBGAME_PERFECT_EQUILIBRIA
        ),
    )
}

/// The `k`-th combination of one equilibrium per child, the last child varying fastest.
fn decode(mut k: usize, below: &[Vec<Vec<Q>>]) -> Vec<usize> {
    let mut picks = vec![0; below.len()];
    for (slot, options) in picks.iter_mut().zip(below).rev() {
        *slot = k % options.len();
        k /= options.len();
    }
    picks
}

fn add_scaled(total: &mut [Q], weight: &Q, v: &[Q]) {
    for (t, x) in total.iter_mut().zip(v) {
        *t += weight * x;
    }
}

/// The pure behaviour profile of the root's `k`-th equilibrium.
fn write_out(game: &ExtensiveGame, ways: &[Vec<Way>], k: usize) -> Behavior<Q> {
    let mut profile = game.zero_behavior();
    let mut stack: Vec<(NodeId, usize)> = vec![(game.root(), k)];
    while let Some((h, s)) = stack.pop() {
        let way = &ways[h][s];
        if let (NodeKind::Decision { player, infoset }, Some(a)) = (&game.node(h).kind, way.action)
        {
            profile[*player][*infoset][a] = Q::ONE;
        }
        stack.extend(
            game.node(h)
                .children
                .iter()
                .copied()
                .zip(way.picks.iter().copied()),
        );
    }
    profile
}
