//! Sequence-form primitives (von Stengel 1996, "Efficient computation of behavior strategies",
//! GEB 14; Koller, Megiddo & von Stengel 1996).
//!
//! With perfect recall, every node of an information set is reached by the same sequence of
//! its player's own moves, so a player's strategy is described by a *realization plan* over
//! sequences: the empty sequence (index 0) and one sequence per (infoset, action) pair. The
//! constraints are `x[∅] = 1` and `Σ_a x[σ_I·a] = x[σ_I]` for every infoset `I` with parent
//! sequence `σ_I`; the expected payoff is `Σ_leaves chance(ℓ) · payoff(ℓ) · Π_p x_p[σ_p(ℓ)]`.

use super::{ExtensiveGame, Move, NodeId, NodeKind};
use crate::error::{Error, Result};
use crate::num::{Scalar, Q};

/// A sequence of one player: its last move (`None` for the empty sequence) and the index of
/// the sequence it extends (0, itself, for the empty sequence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sequence {
    pub last: Option<Move>,
    pub parent: usize,
}

/// One terminal node as the sequence form sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    pub node: NodeId,
    /// For each player, the index of its sequence leading to this leaf.
    pub sequences: Vec<usize>,
    /// Product of the chance probabilities on the path.
    pub chance: Q,
    /// Sum of the outcomes on the path (Gambit lets outcomes sit on any node).
    pub payoffs: Vec<Q>,
}

/// Everything a sequence-form solver needs, indexed by player.
#[derive(Debug, Clone, PartialEq)]
pub struct SequenceForm {
    /// `sequences[p][0]` is the empty sequence.
    pub sequences: Vec<Vec<Sequence>>,
    /// `infoset_parent[p][i]`: the sequence leading to player p's information set i.
    pub infoset_parent: Vec<Vec<usize>>,
    /// `action_sequence[p][i][a]`: the sequence that ends with action a at infoset i.
    pub action_sequence: Vec<Vec<Vec<usize>>>,
    /// Terminal nodes in preorder.
    pub leaves: Vec<Leaf>,
}

impl ExtensiveGame {
    /// The sequence form; refused (with the reason) for games without perfect recall.
    ///
    /// Sequences are numbered per player in the preorder of their infosets' first members,
    /// so a sequence's parent always has a smaller index.
    pub fn sequence_form(&self) -> Result<SequenceForm> {
        if let Some(why) = self.perfect_recall_violation() {
            return Err(Error::Unsupported(format!(
                "the sequence form needs perfect recall: {why}"
            )));
        }
        let np = self.num_players();
        let mut infoset_parent: Vec<Vec<Option<usize>>> =
            self.infosets.iter().map(|s| vec![None; s.len()]).collect();
        let mut sequences: Vec<Vec<Sequence>> = vec![
            vec![Sequence {
                last: None,
                parent: 0
            }];
            np
        ];
        let mut action_sequence: Vec<Vec<Vec<usize>>> = self
            .infosets
            .iter()
            .map(|sets| sets.iter().map(|s| vec![0; s.actions.len()]).collect())
            .collect();
        let mut leaves = Vec::new();
        let mut chance_reach: Vec<Q> = Vec::with_capacity(self.num_nodes());
        let terminal_payoffs = self.terminal_payoffs();
        let mut payoffs = terminal_payoffs.into_iter();
        self.walk_last_moves(|h, last| {
            let reach = match self.parents[h] {
                None => Q::ONE,
                Some((g, a)) => match self.chance_prob(g, a) {
                    Some(p) => &chance_reach[g] * p,
                    None => chance_reach[g].clone(),
                },
            };
            chance_reach.push(reach);
            match self.nodes[h].kind {
                NodeKind::Decision { player, infoset } => {
                    if infoset_parent[player][infoset].is_none() {
                        let parent = sequence_index(&action_sequence, player, last[player]);
                        infoset_parent[player][infoset] = Some(parent);
                        let seqs = &mut sequences[player];
                        for (a, slot) in action_sequence[player][infoset].iter_mut().enumerate() {
                            *slot = seqs.len();
                            seqs.push(Sequence {
                                last: Some((infoset, a)),
                                parent,
                            });
                        }
                    }
                }
                NodeKind::Terminal => {
                    let sequences = (0..np)
                        .map(|p| sequence_index(&action_sequence, p, last[p]))
                        .collect();
                    let payoffs = payoffs.next().map(|(_, v)| v).unwrap_or_default();
                    leaves.push(Leaf {
                        node: h,
                        sequences,
                        chance: chance_reach[h].clone(),
                        payoffs,
                    });
                }
                NodeKind::Chance { .. } => {}
            }
        });
        // Every infoset has a member, so every entry was filled during the walk.
        let infoset_parent = infoset_parent
            .into_iter()
            .map(|v| v.into_iter().map(|s| s.unwrap_or(0)).collect())
            .collect();
        Ok(SequenceForm {
            sequences,
            infoset_parent,
            action_sequence,
            leaves,
        })
    }
}

impl SequenceForm {
    /// Player p's realization plan of a behaviour strategy: `x[∅] = 1`, `x[σ·a] = x[σ]·b(I,a)`
    /// (parents precede children, so one pass suffices).
    pub fn realization_plan<T: Scalar>(
        &self,
        player: usize,
        strategy: &[Vec<T>],
    ) -> Result<Vec<T>> {
        let seqs = self.player_sequences(player)?;
        let mut plan: Vec<T> = Vec::with_capacity(seqs.len());
        for s in seqs {
            let x = match s.last {
                None => T::one(),
                Some((i, a)) => {
                    let p = strategy.get(i).and_then(|v| v.get(a)).ok_or_else(|| {
                        Error::Unsupported(format!(
                            "behaviour strategy of player {} lacks infoset {} action {}",
                            player + 1,
                            i + 1,
                            a + 1
                        ))
                    })?;
                    plan[s.parent].mul(p)
                }
            };
            plan.push(x);
        }
        Ok(plan)
    }

    /// The behaviour strategy of a realization plan: `b(I,a) = x[σ_I·a] / x[σ_I]`, and the
    /// uniform distribution where the plan never reaches `I` (`x[σ_I] = 0`).
    pub fn behavior_from_plan<T: Scalar>(&self, player: usize, plan: &[T]) -> Result<Vec<Vec<T>>> {
        let seqs = self.player_sequences(player)?;
        if plan.len() != seqs.len() {
            return Err(Error::Unsupported(format!(
                "realization plan of player {} has {} entries, expected {}",
                player + 1,
                plan.len(),
                seqs.len()
            )));
        }
        let strategy = self.action_sequence[player]
            .iter()
            .zip(&self.infoset_parent[player])
            .map(|(actions, &parent)| {
                let mass = &plan[parent];
                if *mass > T::zero() {
                    actions.iter().map(|&s| plan[s].div(mass)).collect()
                } else {
                    let k = T::from_q(&Q::from(actions.len()));
                    vec![T::one().div(&k); actions.len()]
                }
            })
            .collect();
        Ok(strategy)
    }

    fn player_sequences(&self, player: usize) -> Result<&[Sequence]> {
        self.sequences
            .get(player)
            .map(Vec::as_slice)
            .ok_or_else(|| Error::Unsupported(format!("no player {}", player + 1)))
    }
}

/// The sequence ending with move `m` (0, the empty sequence, for `None`). A move's sequence
/// exists once its infoset has been met, which preorder guarantees for every earlier move.
fn sequence_index(action_sequence: &[Vec<Vec<usize>>], player: usize, m: Option<Move>) -> usize {
    m.map_or(0, |(i, a)| action_sequence[player][i][a])
}

#[cfg(test)]
mod tests {
    use crate::game::tree::tests::hidden_pennies;
    use crate::num::Q;

    #[test]
    fn hidden_pennies_sequences_and_leaves() {
        let g = hidden_pennies();
        let sf = g.sequence_form().unwrap();
        // Each player: empty sequence plus one per action.
        assert_eq!(sf.sequences[0].len(), 3);
        assert_eq!(sf.sequences[1].len(), 3);
        assert_eq!(sf.infoset_parent, vec![vec![0], vec![0]]);
        assert_eq!(sf.action_sequence[1][0], vec![1, 2]);
        assert_eq!(sf.leaves.len(), 4);
        // Leaf 3 (node 3): player 1 played H (seq 1), player 2 played t (seq 2).
        let leaf = &sf.leaves[1];
        assert_eq!(leaf.node, 3);
        assert_eq!(leaf.sequences, vec![1, 2]);
        assert_eq!(leaf.chance, Q::ONE);
        assert_eq!(leaf.payoffs, vec![Q::from(-1), Q::from(1)]);
    }

    #[test]
    fn realization_plans_round_trip_to_behaviour() {
        let g = hidden_pennies();
        let sf = g.sequence_form().unwrap();
        let third = Q::from(1) / Q::from(3);
        let strategy = vec![vec![third.clone(), Q::ONE - &third]];
        let plan = sf.realization_plan(0, &strategy).unwrap();
        assert_eq!(plan, vec![Q::ONE, third.clone(), Q::from(2) / Q::from(3)]);
        assert_eq!(sf.behavior_from_plan(0, &plan).unwrap(), strategy);
        assert!(sf.behavior_from_plan(0, &plan[..2]).is_err());
        assert!(sf.realization_plan(0, &[vec![third]]).is_err());
    }
}
