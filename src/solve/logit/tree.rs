//! The agent logit quantal response equilibrium of a game tree, in behaviour strategies
//! (McKelvey & Palfrey, "Quantal response equilibria for extensive form games", Experimental
//! Economics 1998), and its principal branch, traced from the centroid at λ = 0 as in Turocy,
//! "Computing sequential equilibria using agent quantal response equilibria", Economic Theory
//! 2010 (what `pygambit.qre.logit_solve_lambda(game, lam, use_strategic=False)` computes).
//!
//! Each information set `I` is its own agent. Given a behaviour profile `b` with every action
//! played with positive probability, the agent believes `μ(h) = reach(h) / Σ_{h'∈I} reach(h')`
//! and values its action `a` at `Q_a(I) = Σ_{h∈I} μ(h)·V_p(child_a(h))`, where `V_p(n)` is
//! player p's expected payoff from node n on under `b`. A QRE at precision λ has
//! `b(a|I) ∝ exp(λ·Q_a(I))` at every set. As for tables the unknowns are the log-probabilities
//! `v = ln b` and λ; per information set, with r its likeliest action,
//!
//! * `Σ_a exp(v_a) − 1 = 0`, and
//! * `v_a − v_r − λ·(Q_a − Q_r) = 0` for each a ≠ r.
//!
//! Working in logs matters twice here: probabilities stay positive, and reach probabilities are
//! summed as logs (`ln reach(h) = Σ` of the log-probabilities on the path), so beliefs at sets
//! reached with probability e^−1000 are still computed exactly as ratios.
//!
//! The Jacobian, with `∂/∂v_k = π_k·∂/∂π_k` for any action k at any set J, has two parts:
//! beliefs move, `∂μ(h)/∂v_k = μ(h)·(n_k(h) − Σ_{h'} μ(h')·n_k(h'))` with `n_k(h)` the number of
//! times move k lies on the path to h; and continuation values move,
//! `∂V_p(c)/∂v_k = π_k·Σ_{g∈J below c} ρ(c→g)·V_p(child_k(g))` with `ρ(c→g)` the probability of
//! going from c to g. Both are gathered by walking up from each node to the root.

use super::branch::{self, Ended, QreSystem};
use super::path::Curve;
use super::UNBOUNDED_STEP;
use crate::error::{Error, Result};
use crate::game::qre::tree_payoff_scale;
use crate::game::tree::{Behavior, ExtensiveGame, NodeId, NodeKind};
use crate::limits;
use crate::num::Scalar;
use crate::solve::deadline::{Deadline, NO_DEADLINE};
use nalgebra::{DMatrix, DVector};

/// A point of the branch: a behaviour profile and its precision.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentQre {
    pub lambda: f64,
    pub behaviour: Behavior<f64>,
}

/// The agent QRE on the principal branch at precision `lambda` (its first crossing of `lambda`).
pub fn agent_logit_at(game: &ExtensiveGame, lambda: f64) -> Result<AgentQre> {
    agent_logit_at_until(game, lambda, &NO_DEADLINE).map(|(qre, _)| qre)
}

/// [`agent_logit_at`] within a time budget: a trace stopped by `deadline` returns the last point
/// it reached, at a λ below the requested one, with [`Ended::Stopped`].
pub fn agent_logit_at_until(
    game: &ExtensiveGame,
    lambda: f64,
    deadline: &Deadline,
) -> Result<(AgentQre, Ended)> {
    let system = AgentLogitSystem::new(game)?;
    let mut last = None;
    let ended = branch::trace(&system, lambda, UNBOUNDED_STEP, deadline, |x| {
        last = Some(x.clone())
    })?;
    let x = last.ok_or_else(|| Error::Solver("logit: the path produced no point".into()))?;
    Ok((system.point(&x), ended))
}

/// Points along the principal branch from λ = 0 up to `to_lambda` (the last exactly there, unless
/// `deadline` stopped the trace first), with arclength steps in `(ln b, λ)` at most `max_step`.
pub fn agent_logit_branch(
    game: &ExtensiveGame,
    to_lambda: f64,
    max_step: f64,
    deadline: &Deadline,
) -> Result<(Vec<AgentQre>, Ended)> {
    branch::check_arguments(to_lambda, max_step)?;
    let system = AgentLogitSystem::new(game)?;
    let mut points = Vec::new();
    let ended = branch::trace(&system, to_lambda, max_step, deadline, |x| {
        points.push(system.point(x))
    })?;
    Ok((points, ended))
}

/// One player information set among all players' sets, flattened.
struct SetIndex {
    player: usize,
    infoset: usize,
    /// Column of its first action's log-probability.
    offset: usize,
    actions: usize,
}

/// The agent logit QRE equations of a game tree in the unknowns `(v, λ)`.
pub(crate) struct AgentLogitSystem<'g> {
    game: &'g ExtensiveGame,
    sets: Vec<SetIndex>,
    /// `set_of[p][i]`: index into `sets`.
    set_of: Vec<Vec<usize>>,
    /// For every node but the root, how its parent's move into it is played.
    into: Vec<Option<MoveInto>>,
    /// Number of log-probabilities (λ is the unknown after them).
    unknowns: usize,
    /// Largest absolute payoff of a play (at least 1): the size of the `λ·Q` terms.
    payoff_scale: f64,
    /// Outcome payoffs attached at each node, as floats (zero for none).
    node_payoffs: Vec<Vec<f64>>,
    /// For a decision node, its position among its information set's members.
    member_index: Vec<usize>,
}

/// A move into a node: a player's action (its column among the unknowns) or chance's, with
/// its probability.
#[derive(Clone, Copy)]
enum MoveInto {
    Player(usize),
    Chance(f64),
}

/// Everything one evaluation derives from a point.
struct State {
    probs: Vec<f64>,
    /// `values[h][p]`: player p's expected payoff from node h on.
    values: Vec<Vec<f64>>,
    /// `beliefs[s][m]`: belief in the m-th member of set s.
    beliefs: Vec<Vec<f64>>,
    /// `action_values[s][a]`: `Q_a` at set s.
    action_values: Vec<Vec<f64>>,
}

impl<'g> AgentLogitSystem<'g> {
    pub(crate) fn new(game: &'g ExtensiveGame) -> Result<Self> {
        if let Some(why) = game.absent_mindedness() {
            return Err(Error::Unsupported(format!(
                "logit on a game tree needs every information set to be met at most once per \
                 play (the agent form): {why}"
            )));
        }
        let mut sets = Vec::new();
        let mut set_of = Vec::new();
        let mut offset = 0;
        for p in 0..game.num_players() {
            let mut own = Vec::new();
            for (i, set) in game.infosets(p).iter().enumerate() {
                own.push(sets.len());
                sets.push(SetIndex {
                    player: p,
                    infoset: i,
                    offset,
                    actions: set.actions.len(),
                });
                offset += set.actions.len();
            }
            set_of.push(own);
        }
        if offset > limits::MAX_LOGIT_STRATEGIES {
            return Err(Error::limit(
                "MAX_LOGIT_STRATEGIES",
                format!(
                    "logit: {offset} actions in all; the limit is {} (dense Jacobians)",
                    limits::MAX_LOGIT_STRATEGIES
                ),
            ));
        }
        let into = (0..game.num_nodes())
            .map(|h| {
                game.parent(h).and_then(|(g, a)| match game.node(g).kind {
                    NodeKind::Decision { player, infoset } => {
                        Some(MoveInto::Player(sets[set_of[player][infoset]].offset + a))
                    }
                    NodeKind::Chance { .. } => {
                        game.chance_prob(g, a).map(|q| MoveInto::Chance(q.as_f64()))
                    }
                    NodeKind::Terminal => None,
                })
            })
            .collect();
        let mut member_index = vec![0; game.num_nodes()];
        for set in &sets {
            for (m, &h) in game.members(set.player, set.infoset).iter().enumerate() {
                member_index[h] = m;
            }
        }
        let node_payoffs = (0..game.num_nodes())
            .map(|h| game.node_payoffs(h).iter().map(Scalar::as_f64).collect())
            .collect();
        let payoff_scale = tree_payoff_scale(game);
        Ok(AgentLogitSystem {
            game,
            sets,
            set_of,
            into,
            unknowns: offset,
            payoff_scale,
            node_payoffs,
            member_index,
        })
    }

    /// The behaviour profile and λ of a point, each set renormalised to sum to exactly 1.
    pub(crate) fn point(&self, x: &DVector<f64>) -> AgentQre {
        let mut behaviour: Behavior<f64> = (0..self.game.num_players())
            .map(|p| Vec::with_capacity(self.set_of[p].len()))
            .collect();
        for set in &self.sets {
            let probs: Vec<f64> = (0..set.actions).map(|a| x[set.offset + a].exp()).collect();
            let sum: f64 = probs.iter().sum();
            behaviour[set.player].push(probs.into_iter().map(|p| p / sum).collect());
        }
        AgentQre {
            lambda: x[self.unknowns],
            behaviour,
        }
    }

    /// The decision node's set, if it is one.
    fn set_at(&self, h: NodeId) -> Option<usize> {
        match self.game.node(h).kind {
            NodeKind::Decision { player, infoset } => Some(self.set_of[player][infoset]),
            _ => None,
        }
    }

    fn move_prob(&self, probs: &[f64], node: NodeId) -> f64 {
        match self.into[node] {
            Some(MoveInto::Player(k)) => probs[k],
            Some(MoveInto::Chance(p)) => p,
            None => 1.0,
        }
    }

    fn state(&self, x: &DVector<f64>) -> State {
        let n = self.game.num_nodes();
        let probs: Vec<f64> = (0..self.unknowns).map(|k| x[k].exp()).collect();
        // Log-reach in preorder (parents first).
        let mut log_reach = vec![0.0; n];
        for h in 1..n {
            let (g, _) = self.game.parent(h).unwrap_or((0, 0));
            log_reach[h] = log_reach[g]
                + match self.into[h] {
                    Some(MoveInto::Player(k)) => x[k],
                    Some(MoveInto::Chance(p)) => p.ln(),
                    None => 0.0,
                };
        }
        // Values bottom-up (children after parents in preorder).
        let mut values = self.node_payoffs.clone();
        for h in (0..n).rev() {
            for &c in &self.game.node(h).children {
                let p = self.move_prob(&probs, c);
                let (head, tail) = values.split_at_mut(c);
                for (v, w) in head[h].iter_mut().zip(&tail[0]) {
                    *v += p * w;
                }
            }
        }
        let mut beliefs = Vec::with_capacity(self.sets.len());
        let mut action_values = Vec::with_capacity(self.sets.len());
        for set in &self.sets {
            let members = self.game.members(set.player, set.infoset);
            let top = members
                .iter()
                .map(|&h| log_reach[h])
                .fold(f64::NEG_INFINITY, f64::max);
            // A set that chance never reaches has no beliefs from the profile: judge it as if
            // every member were equally likely.
            let weights: Vec<f64> = if top == f64::NEG_INFINITY {
                vec![1.0; members.len()]
            } else {
                members
                    .iter()
                    .map(|&h| (log_reach[h] - top).exp())
                    .collect()
            };
            let total: f64 = weights.iter().sum();
            let mu: Vec<f64> = weights.iter().map(|w| w / total).collect();
            let q = (0..set.actions)
                .map(|a| {
                    members
                        .iter()
                        .zip(&mu)
                        .map(|(&h, m)| m * values[self.game.node(h).children[a]][set.player])
                        .sum()
                })
                .collect();
            beliefs.push(mu);
            action_values.push(q);
        }
        State {
            probs,
            values,
            beliefs,
            action_values,
        }
    }

    /// `dq[(column of (s, a)), k] = ∂Q_a(s)/∂v_k` (see the module comment).
    fn action_value_derivatives(&self, st: &State) -> DMatrix<f64> {
        let n = self.unknowns;
        let mut dq = DMatrix::zeros(n, n);
        // Beliefs: Σ_h μ(h)·n_k(h)·(V(child_a(h)) − Q_a) for every move k on the path to h.
        for (s, set) in self.sets.iter().enumerate() {
            let members = self.game.members(set.player, set.infoset);
            for (&h, &mu) in members.iter().zip(&st.beliefs[s]) {
                if mu <= 0.0 {
                    continue;
                }
                let mut at = h;
                while let Some((g, _)) = self.game.parent(at) {
                    if let Some(MoveInto::Player(k)) = self.into[at] {
                        for a in 0..set.actions {
                            let child = self.game.node(h).children[a];
                            dq[(set.offset + a, k)] +=
                                mu * (st.values[child][set.player] - st.action_values[s][a]);
                        }
                    }
                    at = g;
                }
            }
        }
        // Continuation values: each decision node g and action k at it feed every set above g.
        for g in 0..self.game.num_nodes() {
            let Some(j) = self.set_at(g) else { continue };
            let set_j = &self.sets[j];
            for k in 0..set_j.actions {
                let col = set_j.offset + k;
                let gain = &st.values[self.game.node(g).children[k]];
                let mut reach_below = st.probs[col];
                let mut at = g;
                while let Some((h, b)) = self.game.parent(at) {
                    if reach_below <= 0.0 {
                        break;
                    }
                    if let Some(s) = self.set_at(h) {
                        let set = &self.sets[s];
                        let belief = st.beliefs[s][self.member_index[h]];
                        dq[(set.offset + b, col)] += belief * reach_below * gain[set.player];
                    }
                    reach_below *= self.move_prob(&st.probs, at);
                    at = h;
                }
            }
        }
        dq
    }
}

impl QreSystem for AgentLogitSystem<'_> {
    fn unknowns(&self) -> usize {
        self.unknowns
    }

    /// `(v, λ)` at the centroid: every action of a set equally likely, λ = 0.
    fn centroid(&self) -> DVector<f64> {
        let mut x = DVector::zeros(self.unknowns + 1);
        for set in &self.sets {
            for a in 0..set.actions {
                x[set.offset + a] = -(set.actions as f64).ln();
            }
        }
        x
    }
}

impl Curve for AgentLogitSystem<'_> {
    fn eval(&self, x: &DVector<f64>) -> (DVector<f64>, DMatrix<f64>) {
        let n = self.unknowns;
        let lambda = x[n];
        let st = self.state(x);
        let dq = self.action_value_derivatives(&st);
        let mut h = DVector::zeros(n);
        let mut jac = DMatrix::zeros(n, n + 1);
        for (s, set) in self.sets.iter().enumerate() {
            let base = set.offset;
            let r = (0..set.actions).fold(0, |best, a| {
                if x[base + a] > x[base + best] {
                    a
                } else {
                    best
                }
            });
            h[base + r] = (0..set.actions).map(|a| st.probs[base + a]).sum::<f64>() - 1.0;
            for a in 0..set.actions {
                jac[(base + r, base + a)] = st.probs[base + a];
            }
            let q = &st.action_values[s];
            for a in (0..set.actions).filter(|&a| a != r) {
                let row = base + a;
                h[row] = x[base + a] - x[base + r] - lambda * (q[a] - q[r]);
                for k in 0..n {
                    jac[(row, k)] = -lambda * (dq[(base + a, k)] - dq[(base + r, k)]);
                }
                jac[(row, base + a)] += 1.0;
                jac[(row, base + r)] -= 1.0;
                jac[(row, n)] = -(q[a] - q[r]);
            }
        }
        (h, jac)
    }

    /// See [`branch::converged_in_probabilities`].
    fn converged(&self, x: &DVector<f64>, delta: &DVector<f64>) -> bool {
        branch::converged_in_probabilities(x, delta, self.payoff_scale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Jacobian must be the derivative of the residual: central differences on a tree with
    /// chance, a two-node information set, an outcome on an inner node and three players.
    #[test]
    fn jacobian_matches_finite_differences() {
        let text = r#"EFG 2 R "" { "1" "2" "3" }
""
c "" 1 "" { "l" 1/3 "r" 2/3 } 0
p "" 1 1 "" { "A" "B" } 1 "o" { 1, -2, 3 }
p "" 2 1 "" { "x" "y" "z" } 0
t "" 2 "" { 4, 0, -1 }
t "" 3 "" { -3, 2, 5 }
p "" 3 1 "" { "u" "d" } 0
t "" 4 "" { 2, 2, 2 }
t "" 5 "" { 0, 7, -4 }
t "" 6 "" { 1, 1, 0 }
p "" 1 2 "" { "A2" "B2" } 0
p "" 2 1 "" { "x" "y" "z" } 0
t "" 7 "" { 5, -1, 2 }
t "" 8 "" { -2, 3, 1 }
t "" 9 "" { 0, 0, 6 }
t "" 10 "" { 3, -3, 3 }
"#;
        let game = crate::io::parse_efg(text, "jac.efg").unwrap();
        let system = AgentLogitSystem::new(&game).unwrap();
        let n = system.unknowns();
        assert_eq!(n, 9);
        let x = DVector::from_fn(n + 1, |k, _| -0.2 - 0.37 * ((k * 5) % 7) as f64 / 7.0);
        let mut x = x;
        x[n] = 1.3;
        let (_, jac) = system.eval(&x);
        let eps = 1e-6;
        for c in 0..=n {
            let mut up = x.clone();
            let mut down = x.clone();
            up[c] += eps;
            down[c] -= eps;
            let numeric = (system.eval(&up).0 - system.eval(&down).0) / (2.0 * eps);
            for r in 0..n {
                assert!(
                    (numeric[r] - jac[(r, c)]).abs() < 1e-6,
                    "J[{r},{c}] = {} vs {}",
                    jac[(r, c)],
                    numeric[r]
                );
            }
        }
    }
}
