//! Subgames (Selten 1965): a non-terminal node starts a subgame when every information set
//! that meets its subtree lies entirely inside it, so the subtree is a game of its own.
//! Subgame perfection and backward induction work subgame by subgame.

use super::{ExtensiveGame, NodeId, NodeKind};

impl ExtensiveGame {
    /// `true` when `id` is a non-terminal node starting a subgame (the root always does).
    pub fn is_subgame_root(&self, id: NodeId) -> bool {
        self.subgame_roots().binary_search(&id).is_ok()
    }

    /// All subgame roots in preorder, the root first. O(nodes): each node's subtree is the
    /// preorder interval `[h, end(h))`, so a node starts a subgame exactly when the smallest
    /// and largest member index of every information set met in its subtree stay inside
    /// that interval; both extremes are aggregated bottom-up.
    pub fn subgame_roots(&self) -> Vec<NodeId> {
        let n = self.num_nodes();
        let span = |members: &[NodeId]| {
            (
                members.iter().copied().min().unwrap_or(0),
                members.iter().copied().max().unwrap_or(0),
            )
        };
        let mut lo: Vec<NodeId> = (0..n).collect();
        let mut hi: Vec<NodeId> = (0..n).collect();
        for h in (0..n).rev() {
            let (l, u) = match self.nodes[h].kind {
                NodeKind::Terminal => (h, h),
                NodeKind::Chance { infoset } => span(&self.chance_members[infoset]),
                NodeKind::Decision { player, infoset } => span(&self.members[player][infoset]),
            };
            lo[h] = self.nodes[h].children.iter().fold(l, |m, &c| m.min(lo[c]));
            hi[h] = self.nodes[h].children.iter().fold(u, |m, &c| m.max(hi[c]));
        }
        (0..n)
            .filter(|&h| {
                self.nodes[h].kind != NodeKind::Terminal
                    && lo[h] >= h
                    && hi[h] < self.subtree_end[h]
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::game::tree::tests::hidden_pennies;

    #[test]
    fn hidden_information_leaves_only_the_root() {
        // Player 2's infoset spans both of player 1's moves: no proper subgame.
        let g = hidden_pennies();
        assert_eq!(g.subgame_roots(), vec![0]);
        assert!(g.is_subgame_root(0) && !g.is_subgame_root(1) && !g.is_subgame_root(2));
    }
}
