//! Extensive-form games (game trees), as in Gambit's `.efg` files.
//!
//! A game is a node arena in **preorder** (`NodeId` 0 is the root and every parent precedes
//! its children), with decision nodes grouped into information sets per player, chance nodes
//! grouped into chance information sets (shared action labels and exact probabilities), and
//! outcomes (exact payoff vectors) that may sit on any node: as in Gambit, a play's payoff is
//! the sum of the outcomes along its path.
//!
//! Submodules: [`recall`] (perfect recall, Kuhn 1953), [`subgame`] (subgame roots, Selten
//! 1965), [`sequence`] (sequence-form primitives, von Stengel 1996) and [`behavior`]
//! (behaviour profiles: realization probabilities, expected payoffs, agent regret).

pub(crate) mod behavior;
pub(crate) mod recall;
pub(crate) mod sequence;
pub(crate) mod subgame;

pub use behavior::Behavior;
pub use sequence::SequenceForm;

use crate::error::{Error, Result};
use crate::limits;
use crate::num::{fmt_q, Q};

/// Index of a node in the game's preorder arena.
pub type NodeId = usize;

/// `(infoset, action)`: one move of a player, the unit of histories and sequences.
pub type Move = (usize, usize);

/// What a node is: terminal, a chance move or a player's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// A leaf: play ends here and the payoff is the sum of the outcomes on its path.
    Terminal,
    /// A chance move; `infoset` indexes [`ExtensiveGame::chance_infosets`].
    Chance {
        /// Index into [`ExtensiveGame::chance_infosets`].
        infoset: usize,
    },
    /// A move of `player` (0-based) at its information set `infoset`.
    Decision {
        /// The mover, 0-based (Gambit's player 1 is 0).
        player: usize,
        /// Index into that player's [`ExtensiveGame::infosets`].
        infoset: usize,
    },
}

/// One node of the game tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Gambit's node label (may be empty; not unique).
    pub label: String,
    /// Terminal, chance or decision, with its information set.
    pub kind: NodeKind,
    /// Index into [`ExtensiveGame::outcomes`]; `None` is Gambit's null outcome.
    pub outcome: Option<usize>,
    /// One child per action, in action order.
    pub children: Vec<NodeId>,
}

/// A player's information set: its label and action labels (members are derived).
#[derive(Debug, Clone, PartialEq)]
pub struct Infoset {
    /// Gambit's information-set label (may be empty).
    pub label: String,
    /// Action labels, in the order of each member node's children.
    pub actions: Vec<String>,
}

/// A chance information set: every member node draws its action with these probabilities.
#[derive(Debug, Clone, PartialEq)]
pub struct ChanceInfoset {
    /// Gambit's label of the chance information set (may be empty).
    pub label: String,
    /// Action labels, in the order of each member node's children.
    pub actions: Vec<String>,
    /// Exact probability of each action: each ≥ 0, summing to exactly 1 (checked on build).
    pub probs: Vec<Q>,
}

/// An outcome: a labelled payoff vector attached to nodes (Gambit's `.efg` outcome).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Gambit's outcome label (may be empty).
    pub label: String,
    /// Exact payoff to each player, indexed by 0-based player.
    pub payoffs: Vec<Q>,
}

/// Everything that defines a game, before validation by [`ExtensiveGame::new`].
#[derive(Debug, Clone, Default)]
pub struct TreeSpec {
    /// The game's title (the quoted string after `EFG 2 R` in `.efg`).
    pub title: String,
    /// Free-text comment carried with the game.
    pub comment: String,
    /// Player names; a player's index here is its 0-based index everywhere else.
    pub players: Vec<String>,
    /// `nodes[0]` is the root; children refer to indices in this vector.
    pub nodes: Vec<Node>,
    /// `infosets[p]`: player p's information sets.
    pub infosets: Vec<Vec<Infoset>>,
    /// Chance information sets, indexed by [`NodeKind::Chance`]'s `infoset`.
    pub chance_infosets: Vec<ChanceInfoset>,
    /// Outcomes, indexed by [`Node::outcome`].
    pub outcomes: Vec<Outcome>,
}

/// A validated extensive-form game.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtensiveGame {
    title: String,
    comment: String,
    players: Vec<String>,
    nodes: Vec<Node>,
    /// `(parent, action)` for every node but the root.
    parents: Vec<Option<(NodeId, usize)>>,
    /// One past the last node of each node's subtree (preorder intervals).
    subtree_end: Vec<NodeId>,
    infosets: Vec<Vec<Infoset>>,
    members: Vec<Vec<Vec<NodeId>>>,
    chance_infosets: Vec<ChanceInfoset>,
    chance_members: Vec<Vec<NodeId>>,
    outcomes: Vec<Outcome>,
}

fn invalid(message: impl Into<String>) -> Error {
    Error::Unsupported(format!("invalid game tree: {}", message.into()))
}

impl ExtensiveGame {
    /// Validate `spec` and renumber its nodes in preorder.
    ///
    /// Checks: 1 ≤ nodes ≤ [`limits::MAX_TREE_NODES`]; every node reachable from the root
    /// exactly once; each decision/chance node has one child per action of its information
    /// set and a terminal node none; chance probabilities non-negative and summing to 1;
    /// outcome payoff vectors one entry per player; every information set has a member.
    pub fn new(spec: TreeSpec) -> Result<Self> {
        let n = spec.nodes.len();
        if n == 0 {
            return Err(invalid("a game tree needs a root node"));
        }
        if n > limits::MAX_TREE_NODES {
            return Err(Error::limit(
                "MAX_TREE_NODES",
                format!(
                    "game tree with {n} nodes: the limit is {}",
                    limits::MAX_TREE_NODES
                ),
            ));
        }
        let np = spec.players.len();
        if np == 0 || np > limits::MAX_PLAYERS {
            return Err(invalid(format!(
                "{np} players: need 1 to {}",
                limits::MAX_PLAYERS
            )));
        }
        if spec.infosets.len() != np {
            return Err(invalid(format!(
                "{np} players but {} infoset lists",
                spec.infosets.len()
            )));
        }
        validate_parts(&spec)?;
        let order = preorder(&spec.nodes)?;
        let mut new_id = vec![0; n];
        for (k, &old) in order.iter().enumerate() {
            new_id[old] = k;
        }
        let mut nodes = Vec::with_capacity(n);
        let mut parents = vec![None; n];
        let mut members: Vec<Vec<Vec<NodeId>>> = spec
            .infosets
            .iter()
            .map(|s| vec![Vec::new(); s.len()])
            .collect();
        let mut chance_members = vec![Vec::new(); spec.chance_infosets.len()];
        for (k, &old) in order.iter().enumerate() {
            let mut node = spec.nodes[old].clone();
            check_node(&spec, &node, old)?;
            for (a, c) in node.children.iter_mut().enumerate() {
                *c = new_id[*c];
                parents[*c] = Some((k, a));
            }
            match node.kind {
                NodeKind::Decision { player, infoset } => members[player][infoset].push(k),
                NodeKind::Chance { infoset } => chance_members[infoset].push(k),
                NodeKind::Terminal => {}
            }
            nodes.push(node);
        }
        for (p, sets) in members.iter().enumerate() {
            if let Some(i) = sets.iter().position(Vec::is_empty) {
                return Err(invalid(format!(
                    "player {} infoset {} has no nodes",
                    p + 1,
                    i + 1
                )));
            }
        }
        if let Some(i) = chance_members.iter().position(Vec::is_empty) {
            return Err(invalid(format!("chance infoset {} has no nodes", i + 1)));
        }
        let mut subtree_end: Vec<NodeId> = (1..=n).collect();
        for k in (0..n).rev() {
            if let Some(&last) = nodes[k].children.last() {
                subtree_end[k] = subtree_end[last];
            }
        }
        Ok(ExtensiveGame {
            title: spec.title,
            comment: spec.comment,
            players: spec.players,
            nodes,
            parents,
            subtree_end,
            infosets: spec.infosets,
            members,
            chance_infosets: spec.chance_infosets,
            chance_members,
            outcomes: spec.outcomes,
        })
    }

    /// The game's title.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// The game's free-text comment.
    pub fn comment(&self) -> &str {
        &self.comment
    }
    /// Player names, by 0-based player index.
    pub fn players(&self) -> &[String] {
        &self.players
    }
    /// Number of players (chance is not a player).
    pub fn num_players(&self) -> usize {
        self.players.len()
    }
    /// The root node (always 0, the first node in preorder).
    pub fn root(&self) -> NodeId {
        0
    }
    /// All nodes in preorder.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }
    /// The node with index `id` (panics if out of range).
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }
    /// Number of nodes, terminal ones included.
    pub fn num_nodes(&self) -> usize {
        self.nodes.len()
    }
    /// Number of terminal nodes (plays of the game).
    pub fn num_terminal_nodes(&self) -> usize {
        self.nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Terminal)
            .count()
    }
    /// Terminal nodes in preorder.
    pub fn terminal_nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.nodes.len()).filter(|&h| self.nodes[h].kind == NodeKind::Terminal)
    }
    /// The parent of a node and the action (index) that leads from it; `None` at the root.
    pub fn parent(&self, id: NodeId) -> Option<(NodeId, usize)> {
        self.parents[id]
    }
    /// `true` when `a` is `b` or lies above it.
    pub fn is_ancestor(&self, a: NodeId, b: NodeId) -> bool {
        a <= b && b < self.subtree_end[a]
    }
    /// `(node, action)` pairs from the root down to (not including) `id`.
    pub fn path(&self, id: NodeId) -> Vec<(NodeId, usize)> {
        let mut path = Vec::new();
        let mut at = id;
        while let Some((parent, action)) = self.parents[at] {
            path.push((parent, action));
            at = parent;
        }
        path.reverse();
        path
    }
    /// The moves `player` made on the way to `id`, oldest first (its history at `id`).
    pub fn player_history(&self, id: NodeId, player: usize) -> Vec<Move> {
        self.path(id)
            .into_iter()
            .filter_map(|(h, a)| match self.nodes[h].kind {
                NodeKind::Decision { player: p, infoset } if p == player => Some((infoset, a)),
                _ => None,
            })
            .collect()
    }
    /// Player `player`'s (0-based) information sets.
    pub fn infosets(&self, player: usize) -> &[Infoset] {
        &self.infosets[player]
    }

    /// A behaviour profile of zeros, shaped like the game's information sets: the start of a
    /// pure profile written one chosen action at a time.
    pub fn zero_behavior(&self) -> Behavior<Q> {
        (0..self.num_players())
            .map(|p| {
                self.infosets(p)
                    .iter()
                    .map(|s| vec![Q::ZERO; s.actions.len()])
                    .collect()
            })
            .collect()
    }

    /// Member nodes of a player's information set, in preorder.
    pub fn members(&self, player: usize, infoset: usize) -> &[NodeId] {
        &self.members[player][infoset]
    }
    /// All chance information sets.
    pub fn chance_infosets(&self) -> &[ChanceInfoset] {
        &self.chance_infosets
    }
    /// Member nodes of a chance information set, in preorder.
    pub fn chance_members(&self, infoset: usize) -> &[NodeId] {
        &self.chance_members[infoset]
    }
    /// All outcomes, indexed by [`Node::outcome`].
    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }
    /// Action labels at a node (empty at terminal nodes).
    pub fn actions(&self, id: NodeId) -> &[String] {
        match self.nodes[id].kind {
            NodeKind::Terminal => &[],
            NodeKind::Chance { infoset } => &self.chance_infosets[infoset].actions,
            NodeKind::Decision { player, infoset } => &self.infosets[player][infoset].actions,
        }
    }
    /// Probability of a chance node's action; `None` for other nodes.
    pub fn chance_prob(&self, id: NodeId, action: usize) -> Option<&Q> {
        match self.nodes[id].kind {
            NodeKind::Chance { infoset } => self.chance_infosets[infoset].probs.get(action),
            _ => None,
        }
    }
    /// Payoffs of the outcome attached at `id` itself (zero for the null outcome).
    pub fn node_payoffs(&self, id: NodeId) -> Vec<Q> {
        match self.nodes[id].outcome {
            Some(o) => self.outcomes[o].payoffs.clone(),
            None => vec![Q::ZERO; self.players.len()],
        }
    }
    /// Sum of the outcomes from the root through `id`: a play ending at a terminal node pays this.
    pub fn accumulated_payoffs(&self, id: NodeId) -> Vec<Q> {
        let mut total = self.node_payoffs(id);
        for (h, _) in self.path(id) {
            if let Some(o) = self.nodes[h].outcome {
                for (t, v) in total.iter_mut().zip(&self.outcomes[o].payoffs) {
                    *t += v;
                }
            }
        }
        total
    }

    /// Every player information set is a single node (chance nodes do not matter).
    pub fn is_perfect_information(&self) -> bool {
        self.members.iter().flatten().all(|m| m.len() == 1)
    }

    /// `true` when every play pays the same total to all players together.
    pub fn is_constant_sum(&self) -> bool {
        let mut totals = self
            .terminal_payoffs()
            .into_iter()
            .map(|(_, v)| v.iter().fold(Q::ZERO, |acc, x| acc + x));
        match totals.next() {
            Some(first) => totals.all(|t| t == first),
            None => true,
        }
    }

    /// Accumulated payoffs of every terminal node, in preorder, in one pass over the tree.
    pub fn terminal_payoffs(&self) -> Vec<(NodeId, Vec<Q>)> {
        let mut acc: Vec<Vec<Q>> = Vec::with_capacity(self.nodes.len());
        let mut out = Vec::new();
        for h in 0..self.nodes.len() {
            let mut v = match self.parents[h] {
                Some((g, _)) => acc[g].clone(),
                None => vec![Q::ZERO; self.players.len()],
            };
            if let Some(o) = self.nodes[h].outcome {
                for (t, x) in v.iter_mut().zip(&self.outcomes[o].payoffs) {
                    *t += x;
                }
            }
            if self.nodes[h].kind == NodeKind::Terminal {
                out.push((h, v.clone()));
            }
            acc.push(v);
        }
        out
    }
}

/// Checks of the parts that do not depend on the tree's shape.
fn validate_parts(spec: &TreeSpec) -> Result<()> {
    let np = spec.players.len();
    for (p, sets) in spec.infosets.iter().enumerate() {
        if let Some(i) = sets.iter().position(|s| s.actions.is_empty()) {
            return Err(invalid(format!(
                "player {} infoset {} has no actions",
                p + 1,
                i + 1
            )));
        }
    }
    for (i, c) in spec.chance_infosets.iter().enumerate() {
        check_chance_probs(&c.actions, &c.probs)
            .map_err(|m| invalid(format!("chance infoset {}: {m}", i + 1)))?;
    }
    if let Some(o) = spec.outcomes.iter().position(|o| o.payoffs.len() != np) {
        return Err(invalid(format!(
            "outcome {} has {} payoffs for {np} players",
            o + 1,
            spec.outcomes[o].payoffs.len()
        )));
    }
    Ok(())
}

/// Chance probabilities: one per action, each ≥ 0, summing to exactly 1.
pub fn check_chance_probs(actions: &[String], probs: &[Q]) -> std::result::Result<(), String> {
    if actions.is_empty() {
        return Err("a chance move needs at least one action".into());
    }
    if probs.len() != actions.len() {
        return Err(format!(
            "{} actions but {} probabilities",
            actions.len(),
            probs.len()
        ));
    }
    if let Some(p) = probs.iter().find(|p| **p < Q::ZERO) {
        return Err(format!("negative probability {}", fmt_q(p)));
    }
    let sum = probs.iter().fold(Q::ZERO, |a, p| a + p);
    if sum != Q::ONE {
        return Err(format!("probabilities sum to {}, not 1", fmt_q(&sum)));
    }
    Ok(())
}

/// Checks of one node against the spec (indices in range, children match actions).
fn check_node(spec: &TreeSpec, node: &Node, id: NodeId) -> Result<()> {
    let actions = match node.kind {
        NodeKind::Terminal => 0,
        NodeKind::Chance { infoset } => spec
            .chance_infosets
            .get(infoset)
            .ok_or_else(|| invalid(format!("node {id}: no chance infoset {}", infoset + 1)))?
            .actions
            .len(),
        NodeKind::Decision { player, infoset } => spec
            .infosets
            .get(player)
            .and_then(|s| s.get(infoset))
            .ok_or_else(|| {
                invalid(format!(
                    "node {id}: no infoset {} of player {}",
                    infoset + 1,
                    player + 1
                ))
            })?
            .actions
            .len(),
    };
    if node.children.len() != actions {
        return Err(invalid(format!(
            "node {id} has {} children but its information set has {actions} actions",
            node.children.len()
        )));
    }
    if let Some(o) = node.outcome {
        if o >= spec.outcomes.len() {
            return Err(invalid(format!("node {id}: no outcome {}", o + 1)));
        }
    }
    Ok(())
}

/// The spec's node indices in preorder from the root; refuses shared children, cycles and
/// nodes the root does not reach. Iterative, so deep trees cannot overflow the stack.
fn preorder(nodes: &[Node]) -> Result<Vec<usize>> {
    let mut seen = vec![false; nodes.len()];
    let mut order = Vec::with_capacity(nodes.len());
    let mut stack = vec![0usize];
    seen[0] = true;
    while let Some(h) = stack.pop() {
        order.push(h);
        for &c in nodes[h].children.iter().rev() {
            if c >= nodes.len() {
                return Err(invalid(format!(
                    "node {h} has a child {c} that does not exist"
                )));
            }
            if seen[c] {
                return Err(invalid(format!(
                    "node {c} is reached twice (shared child or cycle)"
                )));
            }
            seen[c] = true;
            stack.push(c);
        }
    }
    if let Some(lost) = seen.iter().position(|s| !s) {
        return Err(invalid(format!("node {lost} is not connected to the root")));
    }
    Ok(order)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn q(v: i64) -> Q {
        Q::from(v)
    }

    fn node(kind: NodeKind, outcome: Option<usize>, children: Vec<NodeId>) -> Node {
        Node {
            label: String::new(),
            kind,
            outcome,
            children,
        }
    }

    fn dec(player: usize, infoset: usize, children: Vec<NodeId>) -> Node {
        node(NodeKind::Decision { player, infoset }, None, children)
    }

    fn term(outcome: usize) -> Node {
        node(NodeKind::Terminal, Some(outcome), vec![])
    }

    fn infoset(actions: &[&str]) -> Infoset {
        Infoset {
            label: String::new(),
            actions: actions.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn outcome(a: i64, b: i64) -> Outcome {
        Outcome {
            label: String::new(),
            payoffs: vec![q(a), q(b)],
        }
    }

    /// Matching pennies with player 2 not seeing player 1's coin, children listed out of
    /// preorder to exercise the renumbering: 0 → {2, 1}, then 2 → {3, 4}, 1 → {5, 6}.
    pub(crate) fn hidden_pennies() -> ExtensiveGame {
        let spec = TreeSpec {
            title: "hidden pennies".into(),
            players: vec!["1".into(), "2".into()],
            nodes: vec![
                dec(0, 0, vec![2, 1]),
                dec(1, 0, vec![5, 6]),
                dec(1, 0, vec![3, 4]),
                term(0),
                term(1),
                term(1),
                term(0),
            ],
            infosets: vec![vec![infoset(&["H", "T"])], vec![infoset(&["h", "t"])]],
            outcomes: vec![outcome(1, -1), outcome(-1, 1)],
            ..TreeSpec::default()
        };
        ExtensiveGame::new(spec).unwrap()
    }

    #[test]
    fn nodes_are_renumbered_in_preorder() {
        let g = hidden_pennies();
        assert_eq!(g.num_nodes(), 7);
        assert_eq!(g.num_terminal_nodes(), 4);
        assert_eq!(g.node(0).children, vec![1, 4]);
        assert_eq!(g.node(1).children, vec![2, 3]);
        assert_eq!(g.parent(5), Some((4, 0)));
        assert_eq!(g.members(1, 0), [1, 4]);
        assert_eq!(g.path(6), vec![(0, 1), (4, 1)]);
        assert_eq!(g.player_history(6, 0), vec![(0, 1)]);
        assert!(g.is_ancestor(4, 6) && !g.is_ancestor(1, 6));
        // (H, h) pays outcome 0, (T, h) outcome 1.
        assert_eq!(g.accumulated_payoffs(2), vec![q(1), q(-1)]);
        assert_eq!(g.accumulated_payoffs(5), vec![q(-1), q(1)]);
        assert!(g.is_perfect_recall());
        assert!(!g.is_perfect_information());
        assert!(g.is_constant_sum());
    }

    #[test]
    fn forgetting_player_lacks_perfect_recall() {
        // Player 1 moves, then moves again without remembering the first move.
        let spec = TreeSpec {
            players: vec!["A".into()],
            nodes: vec![
                dec(0, 0, vec![1, 2]),
                dec(0, 1, vec![3, 4]),
                dec(0, 1, vec![5, 6]),
            ]
            .into_iter()
            .chain((0..4).map(|k| node(NodeKind::Terminal, Some(k), vec![])))
            .collect(),
            infosets: vec![vec![infoset(&["L", "R"]), infoset(&["l", "r"])]],
            outcomes: (0..4)
                .map(|k| Outcome {
                    label: String::new(),
                    payoffs: vec![q(k)],
                })
                .collect(),
            ..TreeSpec::default()
        };
        let g = ExtensiveGame::new(spec).unwrap();
        let why = g.perfect_recall_violation().unwrap();
        assert!(
            why.contains("information set 2") && why.contains("\"L\"") && why.contains("\"R\""),
            "{why}"
        );
        assert!(!g.is_constant_sum());
    }

    #[test]
    fn invalid_trees_are_refused() {
        let base = || TreeSpec {
            players: vec!["A".into()],
            nodes: vec![
                node(NodeKind::Chance { infoset: 0 }, None, vec![1, 2]),
                node(NodeKind::Terminal, None, vec![]),
                node(NodeKind::Terminal, None, vec![]),
            ],
            infosets: vec![vec![]],
            chance_infosets: vec![ChanceInfoset {
                label: String::new(),
                actions: vec!["a".into(), "b".into()],
                probs: vec![Q::from(1) / Q::from(3), Q::from(2) / Q::from(3)],
            }],
            ..TreeSpec::default()
        };
        assert!(ExtensiveGame::new(base()).is_ok());
        let mut s = base();
        s.chance_infosets[0].probs[1] = Q::from(1) / Q::from(3);
        let e = ExtensiveGame::new(s).unwrap_err().to_string();
        assert!(e.contains("sum to 2/3"), "{e}");
        let mut s = base();
        s.chance_infosets[0].probs = vec![q(2), q(-1)];
        assert!(ExtensiveGame::new(s)
            .unwrap_err()
            .to_string()
            .contains("negative probability -1"));
        let mut s = base();
        s.nodes[0].children = vec![1, 1];
        assert!(ExtensiveGame::new(s)
            .unwrap_err()
            .to_string()
            .contains("reached twice"));
        let mut s = base();
        s.nodes[0].children = vec![1];
        assert!(ExtensiveGame::new(s)
            .unwrap_err()
            .to_string()
            .contains("node 2 is not connected"));
        let mut s = base();
        s.chance_infosets[0].actions.pop();
        s.chance_infosets[0].probs = vec![Q::ONE];
        let e = ExtensiveGame::new(s).unwrap_err().to_string();
        assert!(
            e.contains("node 0 has 2 children but its information set has 1 actions"),
            "{e}"
        );
        let mut s = base();
        s.nodes[2].children = vec![0];
        assert!(ExtensiveGame::new(s).is_err());
    }
}
