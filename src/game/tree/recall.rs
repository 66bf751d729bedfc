//! Perfect recall (Kuhn 1953, "Extensive games and the problem of information"): every
//! player remembers all its own earlier moves, so all nodes of one information set are
//! reached through the same own history. Kuhn's theorem (mixed ≡ behaviour strategies) and
//! the sequence form both rest on it.

use super::{ExtensiveGame, Move, NodeId, NodeKind};

impl ExtensiveGame {
    /// `true` when every player has perfect recall (Kuhn 1953): see [`Self::perfect_recall_violation`].
    pub fn is_perfect_recall(&self) -> bool {
        self.perfect_recall_violation().is_none()
    }

    /// Why the game lacks perfect recall (Kuhn 1953): some information set has two members
    /// that its player reaches through different own histories. Checking that all members
    /// share the player's *last* own move suffices, by induction over the information sets
    /// that move belongs to; it also catches absent-mindedness (an infoset met twice on a path).
    pub fn perfect_recall_violation(&self) -> Option<String> {
        // Per infoset: the first member met and its player's last own move there.
        type FirstSeen = Option<(NodeId, Option<Move>)>;
        let mut first_seen: Vec<Vec<FirstSeen>> =
            self.infosets.iter().map(|s| vec![None; s.len()]).collect();
        let mut violation = None;
        self.walk_last_moves(|h, last| {
            if violation.is_some() {
                return;
            }
            if let NodeKind::Decision { player, infoset } = self.nodes[h].kind {
                let mine = last[player];
                match first_seen[player][infoset] {
                    None => first_seen[player][infoset] = Some((h, mine)),
                    Some((other, seen)) if seen != mine => {
                        violation = Some(format!(
                            "player {} ({}) cannot tell nodes {} and {} of information set {} \
                             (\"{}\") apart although their own last moves differ ({} vs {})",
                            player + 1,
                            self.players[player],
                            other + 1,
                            h + 1,
                            infoset + 1,
                            self.infosets[player][infoset].label,
                            self.describe_move(player, seen),
                            self.describe_move(player, mine),
                        ));
                    }
                    Some(_) => {}
                }
            }
        });
        violation
    }

    /// Why some play meets an information set twice (absent-mindedness, Piccione & Rubinstein
    /// 1997), if one does: a weaker defect than imperfect recall. Without it, changing one
    /// set's action changes neither the chance of reaching its nodes nor what follows them, the
    /// ground of agent-form reasoning. Members are in preorder, so if one lies below another
    /// the next member does too: checking neighbours suffices.
    pub fn absent_mindedness(&self) -> Option<String> {
        self.members.iter().enumerate().find_map(|(p, sets)| {
            sets.iter().enumerate().find_map(|(i, members)| {
                let pair = members.windows(2).find(|w| self.is_ancestor(w[0], w[1]))?;
                Some(format!(
                    "player {} ({}) meets information set {} (\"{}\") twice, at nodes {} and {} \
                     of one play",
                    p + 1,
                    self.players[p],
                    i + 1,
                    self.infosets[p][i].label,
                    pair[0] + 1,
                    pair[1] + 1
                ))
            })
        })
    }

    fn describe_move(&self, player: usize, m: Option<Move>) -> String {
        match m {
            None => "no earlier move".into(),
            Some((i, a)) => format!(
                "\"{}\" at information set {}",
                self.infosets[player][i].actions[a],
                i + 1
            ),
        }
    }

    /// Visit nodes in preorder with, for every player, the last own move on the path to the
    /// node (`None` before the player's first move). O(nodes × players) time: each player
    /// keeps a stack of `(subtree end, move)` entries, popped once their subtree is left.
    pub(crate) fn walk_last_moves(&self, mut visit: impl FnMut(NodeId, &[Option<Move>])) {
        let np = self.players.len();
        let mut stacks: Vec<Vec<(NodeId, Move)>> = vec![Vec::new(); np];
        let mut last: Vec<Option<Move>> = vec![None; np];
        for h in 0..self.nodes.len() {
            for (p, stack) in stacks.iter_mut().enumerate() {
                while stack.last().is_some_and(|&(end, _)| end <= h) {
                    stack.pop();
                }
                last[p] = stack.last().map(|&(_, m)| m);
            }
            if let Some((g, a)) = self.parents[h] {
                if let NodeKind::Decision { player, infoset } = self.nodes[g].kind {
                    stacks[player].push((self.subtree_end[h], (infoset, a)));
                    last[player] = Some((infoset, a));
                }
            }
            visit(h, &last);
        }
    }
}
