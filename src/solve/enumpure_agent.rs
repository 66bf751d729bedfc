//! `enumpure --agent`: every pure equilibrium of a game tree's agent form (Selten 1975,
//! "Reexamination of the perfectness concept for equilibrium points in extensive games", §3:
//! each information set is played by its own agent, who receives its player's payoff), as
//! `gambit-enumpure -A` finds them, exact.
//!
//! A pure behaviour profile π is an agent-form equilibrium when no agent gains, ex ante, by
//! changing its own action alone: for every information set I of player p and action a,
//! `U_p(π with a at I) ≤ U_p(π)`. When no play meets I twice (no absent-mindedness; games
//! with it are refused) nothing above I or below its nodes depends on I's action, so the
//! gain is
//! `Σ_{h ∈ I reached by π} [V_p(child_a(h)) − V_p(child_{π(I)}(h))]`, with `V` the subtree
//! values under π and chance probabilities folded into the payoffs. A set π never reaches
//! (or reaches with probability 0) constrains nothing — its agent's change alters no play —
//! but its action still matters to the others' deviations: it is a threat off the path.
//!
//! This is weaker than Nash equilibrium of the (reduced) strategic form: a player may gain by
//! changing its actions at two of its information sets together (entering a part of the tree
//! that its own first action avoids, and playing well there), which no single agent can.
//! Every pure Nash equilibrium is agent-form, not conversely. It is not sequential
//! rationality either: agents at unreached sets are unconstrained.
//!
//! Search: depth first over the information sets, ordered by their first node in preorder (the
//! sets near the root, which decide what is reached, come first), with branch and bound. After
//! each assignment every node gets bounds `[lo_p, hi_p]` on its value over all completions of
//! the partial profile (a chance node sums its children's bounds, an assigned decision node
//! takes its chosen child's, an unassigned one the least and greatest of its children's), and
//! every node a reach status (certain, impossible, or unknown until more sets are assigned).
//! An assigned agent with an action whose gain is certainly positive,
//! `Σ_certain (lo(child_a) − hi(child_c)) + Σ_unknown min(0, lo(child_a) − hi(child_c)) > 0`,
//! cuts the branch. On a complete profile the bounds are exact, every status is known and the
//! test is the definition above, so what survives is exactly the set of agent-form
//! equilibria; the cuts skip whole subtrees of the naive enumeration of `Π_I |A(I)|` profiles.
//! Bounds and statuses are kept up to date incrementally, so a step costs the nodes above and
//! below one set's members, not a walk of the whole tree.
//!
//! Perfect recall is not needed (Gambit too solves `myerson.efg`, which lacks it): the agent
//! form only ever changes one set's action, so Kuhn's equivalence of mixed and behaviour
//! strategies plays no part.
//!
//! Arithmetic is exact: each player's payoffs, weighted by the chance probability of reaching
//! them, are scaled to integers by one common denominator per player ([`IntegerPayoffs`]; a
//! positive scale changes no comparison of one player's values), and kept as rationals when
//! the scaled numbers do not fit 64 bits.
//!
//! Equilibria are listed in search order: the first set's action varies slowest.
//! Limits: [`limits::MAX_AGENT_FORM_WORK`] and [`limits::MAX_AGENT_FORM_EQUILIBRIA`]. Under a
//! [`Deadline`] the search stops and returns the equilibria found so far.

use crate::error::{Error, Result};
use crate::game::tree::{Behavior, ExtensiveGame, NodeId, NodeKind};
use crate::game::IntegerPayoffs;
use crate::limits;
use crate::num::Q;
use crate::solve::deadline::Deadline;

/// Every pure agent-form equilibrium, as pure behaviour profiles, in search order.
/// Refuses games with absent-mindedness.
#[cfg(test)]
pub fn enumpure_agent(game: &ExtensiveGame) -> Result<Vec<Behavior<Q>>> {
    enumpure_agent_until(game, &crate::solve::deadline::NO_DEADLINE)
}

/// `enumpure_agent` that stops at `deadline` with the equilibria found so far.
pub fn enumpure_agent_until(game: &ExtensiveGame, deadline: &Deadline) -> Result<Vec<Behavior<Q>>> {
    enumerate(game, deadline, limits::MAX_AGENT_FORM_WORK)
}

/// The search with an explicit work budget (node visits), so that tests can reach it.
fn enumerate(
    game: &ExtensiveGame,
    deadline: &Deadline,
    max_work: u128,
) -> Result<Vec<Behavior<Q>>> {
    if let Some(why) = game.absent_mindedness() {
        return Err(Error::Unsupported(format!(
            "enumpure --agent needs every information set to be met at most once per play: {why}"
        )));
    }
    let agents = agents_in_search_order(game);
    let weighted = chance_weighted_payoffs(game);
    let found = match integer_view(game, &weighted) {
        Some(scaled) => Search::new(game, &agents, scaled).run(deadline, max_work)?,
        None => Search::new(game, &agents, weighted).run(deadline, max_work)?,
    };
    Ok(found
        .iter()
        .map(|choice| pure_behavior(game, &agents, choice))
        .collect())
}

/// One information set, the unit the search assigns.
struct Agent {
    player: usize,
    infoset: usize,
    members: Vec<NodeId>,
    actions: usize,
}

/// Every player's information sets, ordered by their first node in preorder.
fn agents_in_search_order(game: &ExtensiveGame) -> Vec<Agent> {
    let mut agents: Vec<Agent> = (0..game.num_players())
        .flat_map(|p| {
            game.infosets(p)
                .iter()
                .enumerate()
                .map(move |(i, set)| Agent {
                    player: p,
                    infoset: i,
                    members: game.members(p, i).to_vec(),
                    actions: set.actions.len(),
                })
        })
        .collect();
    agents.sort_by_key(|a| a.members.first().copied());
    agents
}

/// `w[h * players + p]`: at a terminal node, player p's accumulated payoff times the chance
/// probability of reaching it (so a player's expected payoff is a plain sum over reached
/// terminals); zero at other nodes.
fn chance_weighted_payoffs(game: &ExtensiveGame) -> Vec<Q> {
    let (n, np) = (game.num_nodes(), game.num_players());
    let mut chance = vec![Q::ONE; n];
    for h in 1..n {
        if let Some((g, a)) = game.parent(h) {
            chance[h] = match game.chance_prob(g, a) {
                Some(p) => &chance[g] * p,
                None => chance[g].clone(),
            };
        }
    }
    let mut w = vec![Q::ZERO; n * np];
    for (t, payoffs) in game.terminal_payoffs() {
        for (p, u) in payoffs.iter().enumerate() {
            w[t * np + p] = &chance[t] * u;
        }
    }
    w
}

/// The same weights as integers, one positive scale per player, when they fit 64 bits.
fn integer_view(game: &ExtensiveGame, w: &[Q]) -> Option<Vec<i128>> {
    let np = game.num_players();
    let mut scaled = vec![0i128; w.len()];
    for p in 0..np {
        let column: Vec<Q> = w.iter().skip(p).step_by(np).cloned().collect();
        let view = IntegerPayoffs::new(&column)?;
        for (h, &x) in view.numerators().iter().enumerate() {
            scaled[h * np + p] = i128::from(x);
        }
    }
    Some(scaled)
}

/// The numbers the search adds and compares: scaled integers, or rationals as a fallback.
trait Value: Clone + Ord {
    fn zero() -> Self;
    fn plus(&self, other: &Self) -> Self;
    fn minus(&self, other: &Self) -> Self;
}

impl Value for i128 {
    fn zero() -> Self {
        0
    }
    fn plus(&self, other: &Self) -> Self {
        self + other
    }
    fn minus(&self, other: &Self) -> Self {
        self - other
    }
}

impl Value for Q {
    fn zero() -> Self {
        Q::ZERO
    }
    fn plus(&self, other: &Self) -> Self {
        self + other
    }
    fn minus(&self, other: &Self) -> Self {
        self - other
    }
}

/// Whether the partial profile lets play reach a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    Certain,
    Impossible,
    Unknown,
}

/// The branch-and-bound state: a partial profile and the bounds and reach it implies, kept
/// up to date incrementally. Changing one agent's action changes the bounds only at its
/// members and their ancestors, and the reach only below its members; and only the agents
/// with a member there can newly be cut (the rest passed with the same numbers one level up).
struct Search<'a, V> {
    game: &'a ExtensiveGame,
    agents: &'a [Agent],
    players: usize,
    /// Search position of each decision node's information set (unused elsewhere).
    position: Vec<usize>,
    /// One past the last node of each node's subtree (preorder intervals).
    subtree_end: Vec<NodeId>,
    /// `choice[k]`: the action of the `k`-th agent in search order, once assigned.
    choice: Vec<Option<usize>>,
    /// Bounds on every node's value, `[h * players + p]`; exact at terminal nodes.
    lo: Vec<V>,
    hi: Vec<V>,
    reach: Vec<Reach>,
    /// Scratch for one step: nodes whose bounds to refresh, agents to check, and marks
    /// (equal to `step` when already listed) that keep both lists free of repeats.
    stale: Vec<NodeId>,
    touched: Vec<usize>,
    node_mark: Vec<u64>,
    agent_mark: Vec<u64>,
    step: u64,
}

impl<'a, V: Value> Search<'a, V> {
    fn new(game: &'a ExtensiveGame, agents: &'a [Agent], terminal: Vec<V>) -> Self {
        let n = game.num_nodes();
        let mut position = vec![usize::MAX; n];
        for (k, agent) in agents.iter().enumerate() {
            for &h in &agent.members {
                position[h] = k;
            }
        }
        let mut subtree_end: Vec<NodeId> = (1..=n).collect();
        for h in (0..n).rev() {
            if let Some(&last) = game.node(h).children.last() {
                subtree_end[h] = subtree_end[last];
            }
        }
        let mut search = Search {
            game,
            agents,
            players: game.num_players(),
            position,
            subtree_end,
            choice: vec![None; agents.len()],
            lo: terminal.clone(),
            hi: terminal,
            reach: vec![Reach::Unknown; n],
            stale: Vec::new(),
            touched: Vec::new(),
            node_mark: vec![0; n],
            agent_mark: vec![0; agents.len()],
            step: 0,
        };
        for h in (0..n).rev() {
            search.refresh_bounds(h);
        }
        for h in 0..n {
            search.refresh_reach(h);
        }
        search
    }

    /// Depth-first branch and bound; each complete profile that survives, as one action per
    /// agent in search order.
    fn run(mut self, deadline: &Deadline, max_work: u128) -> Result<Vec<Vec<usize>>> {
        let k = self.agents.len();
        if k == 0 {
            // No decisions at all: the empty profile is the one equilibrium.
            return Ok(vec![Vec::new()]);
        }
        let (mut found, mut work) = (Vec::new(), 0u128);
        let mut next = vec![0usize; k];
        let mut depth = 0;
        loop {
            if depth == k {
                if found.len() == limits::MAX_AGENT_FORM_EQUILIBRIA {
                    return Err(too_many());
                }
                found.push(self.choice.iter().flatten().copied().collect());
                depth -= 1;
                continue;
            }
            if deadline.passed() {
                break;
            }
            let exhausted = next[depth] == self.agents[depth].actions;
            let action = (!exhausted).then_some(next[depth]);
            work += self.assign(depth, action);
            if work > max_work {
                return Err(too_much_work(max_work));
            }
            if exhausted {
                next[depth] = 0;
                if depth == 0 {
                    break;
                }
                depth -= 1;
                continue;
            }
            next[depth] += 1;
            let (cut, checked) = self.cut_after(depth);
            work += checked;
            if !cut {
                depth += 1;
            }
        }
        Ok(found)
    }

    /// Set the `k`-th agent's action (or clear it) and refresh what depends on it: bounds at
    /// its members and their ancestors (children before parents), reach below its members.
    /// Lists the agents met on the way in `touched`; returns the nodes visited.
    fn assign(&mut self, k: usize, action: Option<usize>) -> u128 {
        self.choice[k] = action;
        self.step += 1;
        self.stale.clear();
        self.touched.clear();
        self.touch(k);
        for &m in &self.agents[k].members {
            let mut at = Some(m);
            while let Some(h) = at.filter(|&h| self.node_mark[h] != self.step) {
                self.node_mark[h] = self.step;
                self.stale.push(h);
                self.touch(self.position[h]);
                at = self.game.parent(h).map(|(g, _)| g);
            }
        }
        self.stale.sort_unstable_by(|a, b| b.cmp(a));
        let mut visited = self.stale.len() as u128;
        for i in 0..self.stale.len() {
            self.refresh_bounds(self.stale[i]);
        }
        for &m in &self.agents[k].members {
            let below = (m + 1)..self.subtree_end[m];
            visited += below.len() as u128;
            for h in below {
                self.refresh_reach(h);
                self.touch(self.position[h]);
            }
        }
        visited
    }

    /// List agent `k` (if `k` names one) for checking, once per step.
    fn touch(&mut self, k: usize) {
        if k < self.agents.len() && self.agent_mark[k] != self.step {
            self.agent_mark[k] = self.step;
            self.touched.push(k);
        }
    }

    /// Whether an agent touched by the last assignment (and assigned, at most `depth`) is
    /// now cut; also the members looked at.
    fn cut_after(&self, depth: usize) -> (bool, u128) {
        let mut looked = 0u128;
        for &k in self.touched.iter().filter(|&&k| k <= depth) {
            looked += self.agents[k].members.len() as u128;
            if self.cut_by(k) {
                return (true, looked);
            }
        }
        (false, looked)
    }

    /// A node's bounds from its children's: summed at chance nodes, the chosen child's at an
    /// assigned decision node, the least and greatest at an unassigned one.
    fn refresh_bounds(&mut self, h: NodeId) {
        let np = self.players;
        let node = self.game.node(h);
        let chosen = match node.kind {
            NodeKind::Terminal => return,
            NodeKind::Chance { .. } => None,
            NodeKind::Decision { .. } => Some(self.choice[self.position[h]]),
        };
        for p in 0..np {
            let child = |v: &[V], c: &NodeId| v[c * np + p].clone();
            let (lo, hi) = match chosen {
                None => {
                    let sum = |v: &[V]| {
                        node.children
                            .iter()
                            .fold(V::zero(), |s, c| s.plus(&child(v, c)))
                    };
                    (sum(&self.lo), sum(&self.hi))
                }
                Some(Some(a)) => {
                    let c = &node.children[a];
                    (child(&self.lo, c), child(&self.hi, c))
                }
                Some(None) => {
                    let lo = node.children.iter().map(|c| child(&self.lo, c)).min();
                    let hi = node.children.iter().map(|c| child(&self.hi, c)).max();
                    (lo.unwrap_or_else(V::zero), hi.unwrap_or_else(V::zero))
                }
            };
            self.lo[h * np + p] = lo;
            self.hi[h * np + p] = hi;
        }
    }

    /// A node's reach from its parent's (parents are refreshed first: preorder).
    fn refresh_reach(&mut self, h: NodeId) {
        let Some((g, a)) = self.game.parent(h) else {
            self.reach[h] = Reach::Certain;
            return;
        };
        let above = self.reach[g];
        self.reach[h] = match (&self.game.node(g).kind, above) {
            (_, Reach::Impossible) | (NodeKind::Chance { .. }, _) => above,
            _ => match self.choice[self.position[g]] {
                Some(x) if x == a => above,
                Some(_) => Reach::Impossible,
                None => Reach::Unknown,
            },
        };
    }

    /// Whether the `k`-th agent (assigned) certainly gains by some other action.
    fn cut_by(&self, k: usize) -> bool {
        let agent = &self.agents[k];
        let Some(c) = self.choice[k] else {
            return false;
        };
        let np = self.players;
        let p = agent.player;
        (0..agent.actions).filter(|&a| a != c).any(|a| {
            let mut gain = V::zero();
            for &h in &agent.members {
                let children = &self.game.node(h).children;
                let d = self.lo[children[a] * np + p].minus(&self.hi[children[c] * np + p]);
                gain = match self.reach[h] {
                    Reach::Impossible => gain,
                    Reach::Certain => gain.plus(&d),
                    Reach::Unknown => gain.plus(&d.min(V::zero())),
                };
            }
            gain > V::zero()
        })
    }
}

/// The pure behaviour profile taking `choice[k]` at the `k`-th agent's information set.
fn pure_behavior(game: &ExtensiveGame, agents: &[Agent], choice: &[usize]) -> Behavior<Q> {
    let mut profile = game.zero_behavior();
    for (agent, &a) in agents.iter().zip(choice) {
        profile[agent.player][agent.infoset][a] = Q::ONE;
    }
    profile
}

fn too_many() -> Error {
    Error::limit(
        "MAX_AGENT_FORM_EQUILIBRIA",
        format!(
            "enumpure --agent: more than {} agent-form equilibria \
         (limits::MAX_AGENT_FORM_EQUILIBRIA)",
            limits::MAX_AGENT_FORM_EQUILIBRIA
        ),
    )
}

fn too_much_work(max_work: u128) -> Error {
    Error::limit(
        "MAX_AGENT_FORM_WORK",
        format!(
            "enumpure --agent: the search did not finish within {max_work} node visits \
         (limits::MAX_AGENT_FORM_WORK); a shorter --max-seconds budget stops it with the \
         equilibria found so far"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::parse_efg;
    use crate::solve::deadline::NO_DEADLINE;

    /// Chance sends play to player 1 or to one of `k` nodes of player 2 (each with
    /// probability 1/(k+1)). Player 1 takes In (1, 0) over Out (0, 0); player 2 takes y (0, 1)
    /// over x (0, 0) at every node. Every node is reached, so the one equilibrium is
    /// (In; y, …, y), and each wrong action is cut as soon as it is tried: the search takes
    /// 2 + 2k steps, visiting fewer nodes than one walk of the tree each, where plain
    /// enumeration walks the tree for each of 2^(k+1) profiles.
    fn reached_choices(k: usize) -> ExtensiveGame {
        let probs: Vec<String> = (0..=k).map(|i| format!("\"c{i}\" 1/{}", k + 1)).collect();
        let mut text = format!(
            "EFG 2 R \"\" {{ \"1\" \"2\" }}\n\"\"\nc \"\" 1 \"\" {{ {} }} 0\n\
             p \"\" 1 1 \"\" {{ \"Out\" \"In\" }} 0\nt \"\" 1 \"\" {{ 0, 0 }}\nt \"\" 2 \"\" {{ 1, 0 }}\n",
            probs.join(" ")
        );
        for i in 0..k {
            text.push_str(&format!(
                "p \"\" 2 {} \"\" {{ \"x\" \"y\" }} 0\nt \"\" 1 \"\" {{ 0, 0 }}\nt \"\" 3 \"\" {{ 0, 1 }}\n",
                i + 1
            ));
        }
        parse_efg(&text, "reached.efg").unwrap()
    }

    #[test]
    fn reached_sets_are_cut_at_once() {
        let k = 20;
        let game = reached_choices(k);
        let budget = ((2 + 2 * k) * game.num_nodes()) as u128;
        let found = enumerate(&game, &NO_DEADLINE, budget).unwrap();
        let one = |a: usize| {
            let mut v = vec![Q::ZERO; 2];
            v[a] = Q::ONE;
            v
        };
        assert_eq!(found, vec![vec![vec![one(1)], vec![one(1); k]]]);
    }

    #[test]
    fn the_work_limit_is_an_error_naming_it() {
        let game = reached_choices(20);
        let err = enumerate(&game, &NO_DEADLINE, 10).unwrap_err();
        assert!(
            matches!(err, Error::LimitExceeded { limit: "MAX_AGENT_FORM_WORK", ref message } if message.contains("limits::MAX_AGENT_FORM_WORK")),
            "{err}"
        );
    }

    #[test]
    fn rational_weights_beyond_64_bits_take_the_exact_fallback() {
        // Payoffs 1/p for large primes p: their common denominator overflows 64 bits, so
        // the search runs on rationals; the largest payoff is still the only choice.
        let primes = ["1000000007", "1000000009", "998244353"];
        let mut text =
            String::from("EFG 2 R \"\" { \"1\" }\n\"\"\np \"\" 1 1 \"\" { \"a\" \"b\" \"c\" } 0\n");
        for (i, p) in primes.iter().enumerate() {
            text.push_str(&format!("t \"\" {} \"\" {{ 1/{p} }}\n", i + 1));
        }
        let game = parse_efg(&text, "primes.efg").unwrap();
        assert!(integer_view(&game, &chance_weighted_payoffs(&game)).is_none());
        let found = enumpure_agent(&game).unwrap();
        assert_eq!(found, vec![vec![vec![vec![Q::ZERO, Q::ZERO, Q::ONE]]]]);
    }
}
