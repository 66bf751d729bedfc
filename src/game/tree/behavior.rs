//! Behaviour profiles on a game tree: one probability vector per information set.
//!
//! These computations use the tree alone (no solver code), so they can certify what a solver
//! returns: realization probabilities, expected payoffs, and the *agent regret* — the most
//! any single information set's agent gains by changing its own action, judged with beliefs
//! `μ(h) = reach(h) / reach(I)` derived from the profile (Selten's agent normal form; the
//! quantity Gambit reports as `agent_max_regret`). Information sets the profile never
//! reaches have no beliefs and count as zero regret, as in Gambit.

use super::{ExtensiveGame, NodeId, NodeKind};
use crate::error::{Error, Result};
use crate::num::{tol, Scalar};
use std::cmp::Ordering;

/// `profile[player][infoset][action]`: the probability of each action.
pub type Behavior<T> = Vec<Vec<Vec<T>>>;

impl ExtensiveGame {
    /// A behaviour profile must match the game's shape and give each information set a
    /// probability vector (non-negative, summing to 1 within [`tol::PROB_MATCH`] as floats).
    pub fn check_behavior<T: Scalar>(&self, b: &Behavior<T>) -> Result<()> {
        let bad = |m: String| Err(Error::Unsupported(format!("behaviour profile: {m}")));
        if b.len() != self.num_players() {
            return bad(format!(
                "{} players, expected {}",
                b.len(),
                self.num_players()
            ));
        }
        for (p, sets) in b.iter().enumerate() {
            if sets.len() != self.infosets[p].len() {
                return bad(format!(
                    "player {} has {} infosets, expected {}",
                    p + 1,
                    sets.len(),
                    self.infosets[p].len()
                ));
            }
            for (i, probs) in sets.iter().enumerate() {
                let want = self.infosets[p][i].actions.len();
                let sum = probs.iter().fold(T::zero(), |s, x| s.add(x));
                let not_probability = probs
                    .iter()
                    .any(|x| *x < T::zero() || !x.as_f64().is_finite())
                    || (sum.as_f64() - 1.0).abs() > tol::PROB_MATCH;
                if probs.len() != want || not_probability {
                    return bad(format!(
                        "player {} infoset {} needs a probability vector over {want} actions",
                        p + 1,
                        i + 1
                    ));
                }
            }
        }
        Ok(())
    }

    /// Probability of taking action `a` at node `g` (chance or player move).
    fn move_prob<T: Scalar>(&self, b: &Behavior<T>, g: NodeId, a: usize) -> T {
        match self.nodes[g].kind {
            NodeKind::Chance { infoset } => T::from_q(&self.chance_infosets[infoset].probs[a]),
            NodeKind::Decision { player, infoset } => b[player][infoset][a].clone(),
            NodeKind::Terminal => T::zero(),
        }
    }

    /// Probability that play reaches each node (chance and all players' moves multiplied).
    pub fn realization_probs<T: Scalar>(&self, b: &Behavior<T>) -> Result<Vec<T>> {
        self.check_behavior(b)?;
        let mut reach: Vec<T> = Vec::with_capacity(self.num_nodes());
        for h in 0..self.num_nodes() {
            let r = match self.parents[h] {
                None => T::one(),
                Some((g, a)) => reach[g].mul(&self.move_prob(b, g, a)),
            };
            reach.push(r);
        }
        Ok(reach)
    }

    /// Expected payoff of every player: `Σ_h reach(h) · outcome(h)` over all nodes, which
    /// equals the terminal-node expectation of accumulated payoffs.
    pub fn behavior_payoffs<T: Scalar>(&self, b: &Behavior<T>) -> Result<Vec<T>> {
        let reach = self.realization_probs(b)?;
        let mut total = vec![T::zero(); self.num_players()];
        for (h, node) in self.nodes.iter().enumerate() {
            if let Some(o) = node.outcome {
                for (t, v) in total.iter_mut().zip(&self.outcomes[o].payoffs) {
                    *t = t.add(&reach[h].mul(&T::from_q(v)));
                }
            }
        }
        Ok(total)
    }

    /// `values[h][p]`: player p's expected payoff from node `h` on (its own outcome included),
    /// computed bottom-up over the preorder arena.
    pub fn node_values<T: Scalar>(&self, b: &Behavior<T>) -> Result<Vec<Vec<T>>> {
        self.check_behavior(b)?;
        let n = self.num_nodes();
        let mut values: Vec<Vec<T>> = vec![Vec::new(); n];
        for h in (0..n).rev() {
            let node = &self.nodes[h];
            let mut v: Vec<T> = match node.outcome {
                Some(o) => self.outcomes[o].payoffs.iter().map(T::from_q).collect(),
                None => vec![T::zero(); self.num_players()],
            };
            for (a, &c) in node.children.iter().enumerate() {
                let p = self.move_prob(b, h, a);
                for (x, y) in v.iter_mut().zip(&values[c]) {
                    *x = x.add(&p.mul(y));
                }
            }
            values[h] = v;
        }
        Ok(values)
    }

    /// Regret of each player's agent at each information set: the best action's conditional
    /// value minus the profile's conditional value, with beliefs `reach(h)/reach(I)`;
    /// zero where the profile never reaches the set.
    pub fn infoset_regrets<T: Scalar>(&self, b: &Behavior<T>) -> Result<Vec<Vec<T>>> {
        let reach = self.realization_probs(b)?;
        let values = self.node_values(b)?;
        let mut regrets = Vec::with_capacity(self.num_players());
        for (p, sets) in self.members.iter().enumerate() {
            let mut per_set = Vec::with_capacity(sets.len());
            for (i, members) in sets.iter().enumerate() {
                let set_reach = members.iter().fold(T::zero(), |s, &h| s.add(&reach[h]));
                // Not strictly positive (or NaN): the profile never reaches this set.
                if set_reach.partial_cmp(&T::zero()) != Some(Ordering::Greater) {
                    per_set.push(T::zero());
                    continue;
                }
                // Unnormalised action values Σ_h reach(h)·value(child_a(h)); dividing by
                // reach(I) once at the end gives the belief-weighted conditional values.
                let k = self.infosets[p][i].actions.len();
                let action_values: Vec<T> = (0..k)
                    .map(|a| {
                        members.iter().fold(T::zero(), |s, &h| {
                            s.add(&reach[h].mul(&values[self.nodes[h].children[a]][p]))
                        })
                    })
                    .collect();
                let mixed = action_values
                    .iter()
                    .zip(&b[p][i])
                    .fold(T::zero(), |s, (v, x)| s.add(&v.mul(x)));
                let best =
                    action_values
                        .iter()
                        .cloned()
                        .fold(mixed.clone(), |m, v| if v > m { v } else { m });
                per_set.push(best.sub(&mixed).div(&set_reach));
            }
            regrets.push(per_set);
        }
        Ok(regrets)
    }

    /// The largest agent regret over all information sets (0 for a game without any).
    pub fn agent_regret<T: Scalar>(&self, b: &Behavior<T>) -> Result<T> {
        let regrets = self.infoset_regrets(b)?;
        Ok(regrets
            .into_iter()
            .flatten()
            .fold(T::zero(), |m, r| if r > m { r } else { m }))
    }
}

#[cfg(test)]
mod tests {
    use crate::game::tree::tests::hidden_pennies;
    use crate::num::{parse_q, Q};

    fn qv(v: &[&str]) -> Vec<Q> {
        v.iter().map(|s| parse_q(s).unwrap()).collect()
    }

    #[test]
    fn mixed_pennies_payoffs_and_regret_by_hand() {
        let g = hidden_pennies();
        // Player 1 plays H with 1/4, player 2 plays h with 1/2: player 1 is indifferent;
        // player 2 expects T with 3/4, so h pays 3/4 - 1/4 = 1/2 against the mix's 0.
        let b = vec![vec![qv(&["1/4", "3/4"])], vec![qv(&["1/2", "1/2"])]];
        let reach = g.realization_probs(&b).unwrap();
        assert_eq!(reach[2], parse_q("1/8").unwrap());
        assert_eq!(g.behavior_payoffs(&b).unwrap(), qv(&["0", "0"]));
        assert_eq!(
            g.infoset_regrets(&b).unwrap(),
            vec![vec![Q::ZERO], qv(&["1/2"])]
        );
        let centroid = vec![vec![qv(&["1/2", "1/2"])], vec![qv(&["1/2", "1/2"])]];
        assert_eq!(g.agent_regret(&centroid).unwrap(), Q::ZERO);
        // Player 2 always plays h: P1's best reply H pays 1; H with 1/4 pays 1/4 - 3/4.
        let b = vec![vec![qv(&["1/4", "3/4"])], vec![qv(&["1", "0"])]];
        assert_eq!(g.behavior_payoffs(&b).unwrap(), qv(&["-1/2", "1/2"]));
        // P1's regret: 1 - (-1/2) = 3/2. P2's agent believes H with 1/4, T with 3/4:
        // h pays -1/4 + 3/4 = 1/2, t pays 1/4 - 3/4 = -1/2, so h (played) has no regret.
        let r = g.infoset_regrets(&b).unwrap();
        assert_eq!(r[0][0], parse_q("3/2").unwrap());
        assert_eq!(r[1][0], Q::ZERO);
        let f: Vec<Vec<Vec<f64>>> = vec![vec![vec![0.25, 0.75]], vec![vec![1.0, 0.0]]];
        assert!((g.agent_regret(&f).unwrap() - 1.5).abs() < 1e-12);
    }

    #[test]
    fn bad_shapes_are_errors() {
        let g = hidden_pennies();
        let b = vec![vec![qv(&["1/2", "1/2"])]];
        assert!(g.behavior_payoffs(&b).is_err());
        let b = vec![vec![qv(&["1/2", "1/3"])], vec![qv(&["1", "0"])]];
        assert!(g.agent_regret(&b).is_err());
        let b = vec![vec![qv(&["2", "-1"])], vec![qv(&["1", "0"])]];
        assert!(g.agent_regret(&b).is_err());
    }
}
