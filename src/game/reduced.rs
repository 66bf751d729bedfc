//! Gambit's reduced strategic form of a game tree.
//!
//! A *reduced* pure strategy fixes an action only at the information sets its own earlier
//! choices leave reachable; strategies that differ only elsewhere are one strategy (the
//! "reduced normal form", Kuhn 1953; see also von Stengel 1996 §2). Gambit enumerates them by
//! a depth-first walk of the tree that follows every chance and opponent branch and, at each
//! of the player's information sets met for the first time, branches over its actions
//! (`MakeReducedStrats` in Gambit's `gametree.cc`). The walk's first branching varies
//! slowest. We reproduce that order with an odometer (no recursion, so deep trees cannot
//! overflow the stack): the *digits* are the information sets in the order the walk first
//! meets them, and the next strategy increments the last digit that can still grow, drops
//! the digits after it and walks again. Labels follow Gambit too: one entry per information
//! set in index order, the action number (1-based) or `*` where the strategy cannot reach it.

use crate::error::{Error, Result};
use crate::game::strategic::check_size;
use crate::game::tree::{Behavior, ExtensiveGame, NodeId, NodeKind};
use crate::game::StrategicGame;
use crate::limits;
use crate::num::{Scalar, Q};

/// How reduced strategies relate to the tree's information sets, to move between mixed
/// profiles of the reduced form and behaviour profiles of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct ReducedMap {
    /// `strategies[p][s][i]`: the action of player p's reduced strategy s at infoset i,
    /// `None` where s cannot reach i.
    strategies: Vec<Vec<Vec<Option<usize>>>>,
    /// `num_actions[p][i]`.
    num_actions: Vec<Vec<usize>>,
}

impl ReducedMap {
    /// Player p's reduced strategies, each as one optional action per information set.
    pub fn strategy_actions(&self, player: usize) -> &[Vec<Option<usize>>] {
        &self.strategies[player]
    }

    /// Kuhn's mixed strategy equivalent to a behaviour profile: each reduced strategy gets
    /// the product of the behaviour probabilities of the actions it fixes.
    pub fn behavior_to_mixed<T: Scalar>(&self, b: &Behavior<T>) -> Result<Vec<Vec<T>>> {
        self.check_shape(b.len(), |p| b[p].iter().map(Vec::len).collect())?;
        let mixed = self
            .strategies
            .iter()
            .zip(b)
            .map(|(strats, bp)| {
                strats
                    .iter()
                    .map(|s| {
                        s.iter().enumerate().fold(T::one(), |w, (i, a)| match a {
                            Some(a) => w.mul(&bp[i][*a]),
                            None => w,
                        })
                    })
                    .collect()
            })
            .collect();
        Ok(mixed)
    }

    /// The behaviour profile equivalent to a mixed profile of the reduced form (Kuhn 1953;
    /// exact under perfect recall): `b(I,a)` is the weight of the strategies that reach `I`
    /// and choose `a` there, over the weight of those that reach `I`; uniform where no
    /// strategy in the mix reaches `I`.
    pub fn mixed_to_behavior<T: Scalar>(&self, mixed: &[Vec<T>]) -> Result<Behavior<T>> {
        if mixed.len() != self.strategies.len()
            || mixed
                .iter()
                .zip(&self.strategies)
                .any(|(m, s)| m.len() != s.len())
        {
            return Err(Error::Unsupported(
                "mixed profile does not match the reduced strategic form".into(),
            ));
        }
        let mut behavior = Vec::with_capacity(mixed.len());
        for ((strats, weights), counts) in self.strategies.iter().zip(mixed).zip(&self.num_actions)
        {
            let mut per_set: Vec<Vec<T>> = counts.iter().map(|&k| vec![T::zero(); k]).collect();
            let mut mass = vec![T::zero(); counts.len()];
            // Strategies off the support add nothing: skipping them keeps a pure profile over
            // a large reduced form cheap.
            for (s, w) in strats.iter().zip(weights).filter(|(_, w)| **w != T::zero()) {
                for (i, a) in s.iter().enumerate() {
                    if let Some(a) = *a {
                        per_set[i][a] = per_set[i][a].add(w);
                        mass[i] = mass[i].add(w);
                    }
                }
            }
            for (probs, m) in per_set.iter_mut().zip(&mass) {
                if *m > T::zero() {
                    probs.iter_mut().for_each(|x| *x = x.div(m));
                } else {
                    let k = T::from_q(&Q::from(probs.len()));
                    probs.iter_mut().for_each(|x| *x = T::one().div(&k));
                }
            }
            behavior.push(per_set);
        }
        Ok(behavior)
    }

    fn check_shape(&self, players: usize, sets: impl Fn(usize) -> Vec<usize>) -> Result<()> {
        if players != self.num_actions.len() || (0..players).any(|p| sets(p) != self.num_actions[p])
        {
            return Err(Error::Unsupported(
                "behaviour profile does not match the game's information sets".into(),
            ));
        }
        Ok(())
    }
}

/// The reduced strategic form with Gambit's strategy order and labels, and the map back to
/// the tree. Refuses more than [`limits::MAX_REDUCED_STRATEGIES`] strategies for a player
/// (counted in advance under perfect recall) and payoff tables over the strategic limit,
/// before building either. Cost: one walk of the tree per pure profile.
pub fn reduced_strategic_form(game: &ExtensiveGame) -> Result<(StrategicGame, ReducedMap)> {
    let np = game.num_players();
    if game.is_perfect_recall() {
        let counts = count_reduced_strategies(game)?;
        if let Some(p) = counts
            .iter()
            .position(|&c| c > limits::MAX_REDUCED_STRATEGIES)
        {
            return Err(too_many(p, &counts[p].to_string()));
        }
    }
    let strategies: Vec<Vec<Vec<Option<usize>>>> = (0..np)
        .map(|p| enumerate_reduced(game, p))
        .collect::<Result<_>>()?;
    let counts: Vec<usize> = strategies.iter().map(Vec::len).collect();
    let cells = check_size(&counts)?;
    let labels = strategies
        .iter()
        .map(|ss| ss.iter().map(|s| label(s)).collect())
        .collect();
    let mut payoffs: Vec<Vec<Q>> = vec![Vec::with_capacity(cells); np];
    for k in 0..cells {
        let mut rest = k;
        let pure: Vec<&[Option<usize>]> = strategies
            .iter()
            .map(|ss| {
                let s = rest % ss.len();
                rest /= ss.len();
                ss[s].as_slice()
            })
            .collect();
        for (table, v) in payoffs.iter_mut().zip(pure_payoffs(game, &pure)?) {
            table.push(v);
        }
    }
    let num_actions = (0..np)
        .map(|p| game.infosets(p).iter().map(|s| s.actions.len()).collect())
        .collect();
    let strategic = StrategicGame::new(game.title(), game.players().to_vec(), labels, payoffs)?
        .with_comment(game.comment());
    Ok((
        strategic,
        ReducedMap {
            strategies,
            num_actions,
        },
    ))
}

fn too_many(player: usize, count: &str) -> Error {
    Error::limit(
        "MAX_REDUCED_STRATEGIES",
        format!(
            "player {} has {count} reduced strategies: the limit is {}",
            player + 1,
            limits::MAX_REDUCED_STRATEGIES
        ),
    )
}

/// Gambit's label: per information set the 1-based action number, `*` where unreachable.
fn label(strategy: &[Option<usize>]) -> String {
    strategy
        .iter()
        .map(|a| a.map_or("*".to_string(), |a| (a + 1).to_string()))
        .collect()
}

/// Number of reduced strategies per player under perfect recall, without enumerating them:
/// `N(σ) = Π_{I after σ} N(I)` and `N(I) = Σ_a N(σ_I·a)` over the sequence form, evaluated
/// from the last-created information set back (children are created after parents).
pub fn count_reduced_strategies(game: &ExtensiveGame) -> Result<Vec<u128>> {
    let sf = game.sequence_form()?;
    let counts = (0..game.num_players())
        .map(|p| {
            let mut per_sequence = vec![1u128; sf.sequences[p].len()];
            let mut order: Vec<usize> = (0..sf.action_sequence[p].len()).collect();
            order.sort_by_key(|&i| std::cmp::Reverse(sf.action_sequence[p][i][0]));
            for i in order {
                let n_i = sf.action_sequence[p][i]
                    .iter()
                    .fold(0u128, |s, &q| s.saturating_add(per_sequence[q]));
                let parent = sf.infoset_parent[p][i];
                per_sequence[parent] = per_sequence[parent].saturating_mul(n_i);
            }
            per_sequence[0]
        })
        .collect();
    Ok(counts)
}

/// Player `p`'s reduced strategies in Gambit's order (see the module comment).
fn enumerate_reduced(game: &ExtensiveGame, player: usize) -> Result<Vec<Vec<Option<usize>>>> {
    let num_sets = game.infosets(player).len();
    let mut choice: Vec<Option<usize>> = vec![None; num_sets];
    let mut out = Vec::new();
    loop {
        let digits = walk_assigning(game, player, &mut choice);
        out.push(choice.clone());
        if out.len() as u128 > limits::MAX_REDUCED_STRATEGIES {
            return Err(too_many(
                player,
                &format!("more than {}", limits::MAX_REDUCED_STRATEGIES),
            ));
        }
        // Odometer step: the last digit that can still grow grows; later digits are dropped.
        let Some(j) = digits.iter().rposition(|&i| {
            choice[i].is_some_and(|a| a + 1 < game.infosets(player)[i].actions.len())
        }) else {
            return Ok(out);
        };
        for &i in &digits[j + 1..] {
            choice[i] = None;
        }
        let i = digits[j];
        choice[i] = choice[i].map(|a| a + 1);
    }
}

/// Walk the tree depth-first along `choice` for `player` (all branches of everybody else),
/// giving action 0 to each of the player's information sets met unassigned. Returns the
/// player's information sets in the order first met; sets not met are reset to `None`.
fn walk_assigning(game: &ExtensiveGame, player: usize, choice: &mut [Option<usize>]) -> Vec<usize> {
    let mut met = vec![false; choice.len()];
    let mut digits = Vec::new();
    let mut stack: Vec<NodeId> = vec![game.root()];
    while let Some(h) = stack.pop() {
        let node = game.node(h);
        match node.kind {
            NodeKind::Decision { player: p, infoset } if p == player => {
                if !met[infoset] {
                    met[infoset] = true;
                    digits.push(infoset);
                }
                let a = *choice[infoset].get_or_insert(0);
                stack.push(node.children[a]);
            }
            _ => stack.extend(node.children.iter().rev()),
        }
    }
    for (c, m) in choice.iter_mut().zip(&met) {
        if !m {
            *c = None;
        }
    }
    digits
}

/// Expected payoffs of a pure profile of reduced strategies: follow each player's choices,
/// branch over chance, and add every outcome met, weighted by its chance probability.
fn pure_payoffs(game: &ExtensiveGame, pure: &[&[Option<usize>]]) -> Result<Vec<Q>> {
    let mut total = vec![Q::ZERO; game.num_players()];
    let mut stack: Vec<(NodeId, Q)> = vec![(game.root(), Q::ONE)];
    while let Some((h, w)) = stack.pop() {
        let node = game.node(h);
        if let Some(o) = node.outcome {
            for (t, v) in total.iter_mut().zip(&game.outcomes()[o].payoffs) {
                *t += &w * v;
            }
        }
        match node.kind {
            NodeKind::Terminal => {}
            NodeKind::Chance { infoset } => {
                for (c, p) in node
                    .children
                    .iter()
                    .zip(&game.chance_infosets()[infoset].probs)
                {
                    if *p > Q::ZERO {
                        stack.push((*c, &w * p));
                    }
                }
            }
            NodeKind::Decision { player, infoset } => {
                // Every information set the walk reaches is reachable by the player's own
                // choices, so the reduced strategy fixes an action there.
                let a = pure[player][infoset].ok_or_else(|| {
                    Error::Solver(format!(
                        "reduced strategy of player {} leaves reachable infoset {} open",
                        player + 1,
                        infoset + 1
                    ))
                })?;
                stack.push((node.children[a], w));
            }
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::tree::tests::hidden_pennies;
    use crate::game::tree::{Infoset, Node, Outcome, TreeSpec};

    #[test]
    fn hidden_pennies_is_matching_pennies() {
        let (g, map) = reduced_strategic_form(&hidden_pennies()).unwrap();
        assert_eq!(g.strategies(), [vec!["1", "2"], vec!["1", "2"]]);
        assert_eq!(g.payoff(0, &[0, 0]), &Q::from(1));
        assert_eq!(g.payoff(0, &[1, 0]), &Q::from(-1));
        assert_eq!(g.payoff(1, &[1, 1]), &Q::from(-1));
        assert_eq!(map.strategy_actions(1), [vec![Some(0)], vec![Some(1)]]);
    }

    /// Player 1 chooses Out (pays 0) or In; after In, player 1 chooses l or r
    /// (a centipede-like stub): reduced strategies "1*", "21", "22".
    fn out_or_in() -> ExtensiveGame {
        let dec = |infoset, children| Node {
            label: String::new(),
            kind: NodeKind::Decision { player: 0, infoset },
            outcome: None,
            children,
        };
        let term = |o| Node {
            label: String::new(),
            kind: NodeKind::Terminal,
            outcome: Some(o),
            children: vec![],
        };
        let set = |a: &[&str]| Infoset {
            label: String::new(),
            actions: a.iter().map(|s| s.to_string()).collect(),
        };
        let spec = TreeSpec {
            players: vec!["1".into()],
            nodes: vec![
                dec(0, vec![1, 2]),
                term(0),
                dec(1, vec![3, 4]),
                term(1),
                term(2),
            ],
            infosets: vec![vec![set(&["Out", "In"]), set(&["l", "r"])]],
            outcomes: (0..3)
                .map(|k| Outcome {
                    label: String::new(),
                    payoffs: vec![Q::from(k)],
                })
                .collect(),
            ..TreeSpec::default()
        };
        ExtensiveGame::new(spec).unwrap()
    }

    #[test]
    fn unreachable_infosets_are_starred_and_merged() {
        let (g, map) = reduced_strategic_form(&out_or_in()).unwrap();
        assert_eq!(g.strategies()[0], ["1*", "21", "22"]);
        assert_eq!(g.payoff_table(0), [Q::from(0), Q::from(1), Q::from(2)]);
        // Behaviour (Out 1/2, In 1/2; l 1/3, r 2/3) ↔ mixed (1/2, 1/6, 1/3).
        let h = Q::from(1) / Q::from(2);
        let t = Q::from(1) / Q::from(3);
        let b = vec![vec![
            vec![h.clone(), h.clone()],
            vec![t.clone(), Q::ONE - &t],
        ]];
        let m = map.behavior_to_mixed(&b).unwrap();
        assert_eq!(m, vec![vec![h.clone(), Q::from(1) / Q::from(6), t.clone()]]);
        assert_eq!(map.mixed_to_behavior(&m).unwrap(), b);
        // Never entering leaves the second infoset unreached: uniform there.
        let back = map
            .mixed_to_behavior(&[vec![Q::ONE, Q::ZERO, Q::ZERO]])
            .unwrap();
        assert_eq!(back[0][1], vec![h.clone(), h]);
        assert!(map
            .behavior_to_mixed(&vec![vec![vec![Q::ONE, Q::ZERO]]])
            .is_err());
    }
}
