//! `liap --agent`: Lyapunov-function minimisation over behaviour strategies of a game tree
//! (Gambit's `gambit-liap` on trees, pygambit 16.7's `liap_agent_solve`).
//!
//! The agent form treats each information set `I` as its own agent with its player's payoff.
//! For an unconstrained vector `x` of action weights (one per action of every information set),
//! `reach(h)` multiplies the weights (and chance probabilities) on the path to node `h`, and
//! `v_p` is player `p`'s expected payoff below a node. The value of action `a` to `I`'s agent,
//! conditional on reaching `I` (beliefs `μ(h) = reach(h) / reach(I)`, `reach(I) = Σ_{h∈I}
//! reach(h)`; perfect recall makes each play meet `I` at most once), and its gain over the
//! agent's own mix are
//!
//! `v(I, a) = Σ_{h ∈ I} μ(h) · v_p(child_a(h))`, `g(I, a) = v(I, a) − Σ_b x_{Ib} · v(I, b)`.
//!
//! The function minimised is Gambit 16's agent Lyapunov function (McKelvey 1991 on the agent
//! form; Gambit's 17.0.0-beta.3 release notes describe 16's as summing squared conditional
//! regrets; the scale and the penalty 100 as in its strategic one, [`super::function`]), with
//! `c = 1 / (max − min payoff of the game's outcomes)` (1 when they are all equal):
//!
//! `L(x) = Σ_{I, a} max(0, c·g(I, a))² + 100 Σ_I (Σ_a x_{Ia} − 1)² + 100 Σ_{I, a} min(0, x_{Ia})²`,
//!
//! where a set the weights do not reach (`reach(I) = 0`) has no conditional values and adds no
//! gains (off the simplex `reach(I)` may be negative; the beliefs are still its shares). `L` is
//! zero exactly at the agent form's equilibria that are optimal at every reached set. Its
//! gradient is taken by central differences of step `10⁻⁵` (each evaluation is two passes over
//! the tree), each information set's part projected onto its plane (its mean subtracted), and
//! it is minimised by the same conjugate gradients as the strategic form's
//! ([`super::minimiser::minimise`]) from the centroid. With these, the end points are pygambit
//! 16.7's on 6 of its 14 corpus answers within 1e-6 (2 of the 6 that certify), and within 2e-4
//! on the other 4 that certify (`tests/liap_agent.rs`): the minimiser stops where its line search fails, which rounding
//! decides. A profile is accepted when no agent's gain, weighted by the probability of reaching
//! its set, exceeds `max_regret` × the payoff range (of the tree's plays); the caller then
//! certifies it as a Nash equilibrium, which an agent-form equilibrium need not be.

use super::function::{project, project_out_mean, PENALTY};
use super::minimiser::{minimise, Objective};
use super::{check_options, DEFAULT_MAX_ITER, DEFAULT_MAX_REGRET};
use crate::error::{Error, Result};
use crate::game::tree::{Behavior, ExtensiveGame, NodeKind};
use crate::num::to_f64;
use crate::solve::approximate::ApproximateOptions;
use crate::solve::deadline::Deadline;

/// Step of the central differences (Gambit's): the error is of order `STEP²` times the third
/// derivative, far below the gradients that matter at the regret bounds used.
const STEP: f64 = 1e-5;

/// The behaviour profiles found (before certification) and the bound they met.
#[derive(Debug, Clone)]
pub struct AgentFound {
    /// Where the minimisation ended from each start that met the bound, negative weights set
    /// to 0 and each information set's renormalised (Gambit's answer, before polishing).
    pub profiles: Vec<Behavior<f64>>,
    /// `max_regret` × the payoff range, in payoff units.
    pub bound: f64,
}

/// A node as the function needs it.
#[derive(Debug, Clone)]
enum Move {
    Terminal,
    Chance(Vec<f64>),
    /// Player and the first index of its information set's actions in `x`.
    Decision(usize, usize),
}

/// The tree in `f64`, ready for the two passes.
#[derive(Debug)]
pub(super) struct AgentLyapunov {
    players: usize,
    moves: Vec<Move>,
    children: Vec<Vec<usize>>,
    payoffs: Vec<Vec<f64>>,
    /// `[first, end)` of every information set's actions in `x`, players in turn.
    sets: Vec<(usize, usize)>,
    /// Each decision node's information set, as an index into `sets`.
    set_of: Vec<Option<usize>>,
    /// `1 / (max − min outcome payoff)`, or 1 when they are all equal.
    scale: f64,
}

impl AgentLyapunov {
    pub(super) fn new(game: &ExtensiveGame) -> Self {
        let mut first = Vec::new();
        let mut sets = Vec::new();
        let mut next = 0;
        for p in 0..game.num_players() {
            let mut own = Vec::new();
            for infoset in game.infosets(p) {
                own.push(sets.len());
                sets.push((next, next + infoset.actions.len()));
                next += infoset.actions.len();
            }
            first.push(own);
        }
        let set_of = game
            .nodes()
            .iter()
            .map(|node| match node.kind {
                NodeKind::Decision { player, infoset } => Some(first[player][infoset]),
                _ => None,
            })
            .collect();
        let moves = game
            .nodes()
            .iter()
            .map(|node| match node.kind {
                NodeKind::Terminal => Move::Terminal,
                NodeKind::Chance { infoset } => Move::Chance(
                    game.chance_infosets()[infoset]
                        .probs
                        .iter()
                        .map(to_f64)
                        .collect(),
                ),
                NodeKind::Decision { player, infoset } => {
                    Move::Decision(player, sets[first[player][infoset]].0)
                }
            })
            .collect();
        let payoffs = (0..game.num_nodes())
            .map(|h| game.node_payoffs(h).iter().map(to_f64).collect())
            .collect();
        let range = outcome_payoff_range(game);
        AgentLyapunov {
            players: game.num_players(),
            moves,
            children: game.nodes().iter().map(|n| n.children.clone()).collect(),
            payoffs,
            sets,
            set_of,
            scale: if range > 0.0 { 1.0 / range } else { 1.0 },
        }
    }

    fn weight(&self, x: &[f64], h: usize, a: usize) -> f64 {
        match &self.moves[h] {
            Move::Terminal => 0.0,
            Move::Chance(probs) => probs[a],
            Move::Decision(_, start) => x[start + a],
        }
    }

    /// Every agent's gain `g(I, a)` conditional on reaching its set, flat like `x`; `None` for
    /// the actions of a set the weights do not reach.
    pub(super) fn gains(&self, x: &[f64]) -> Vec<Option<f64>> {
        let (weighted, set_reach) = self.weighted_gains(x);
        let mut gains = vec![None; x.len()];
        for (&(start, end), &r) in self.sets.iter().zip(&set_reach) {
            if r != 0.0 {
                for k in start..end {
                    gains[k] = Some(weighted[k] / r);
                }
            }
        }
        gains
    }

    /// Every agent's gain weighted by the probability of reaching its set,
    /// `reach(I) · g(I, a)`, flat like `x`, and each set's `reach(I)`.
    fn weighted_gains(&self, x: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let n = self.moves.len();
        let mut reach = vec![0.0; n];
        reach[0] = 1.0;
        for h in 0..n {
            for (a, &c) in self.children[h].iter().enumerate() {
                reach[c] = reach[h] * self.weight(x, h, a);
            }
        }
        let mut values = vec![vec![0.0; self.players]; n];
        let mut weighted = vec![0.0; x.len()];
        let mut set_reach = vec![0.0; self.sets.len()];
        for h in (0..n).rev() {
            let mut below = vec![0.0; self.players];
            for (a, &c) in self.children[h].iter().enumerate() {
                let w = self.weight(x, h, a);
                for (b, v) in below.iter_mut().zip(&values[c]) {
                    *b += w * v;
                }
            }
            if let (Move::Decision(p, start), Some(set)) = (&self.moves[h], self.set_of[h]) {
                set_reach[set] += reach[h];
                for (a, &c) in self.children[h].iter().enumerate() {
                    weighted[start + a] += reach[h] * (values[c][*p] - below[*p]);
                }
            }
            values[h] = below
                .iter()
                .zip(&self.payoffs[h])
                .map(|(b, o)| b + o)
                .collect();
        }
        (weighted, set_reach)
    }

    fn lyapunov(&self, x: &[f64]) -> f64 {
        let mut value: f64 = self
            .gains(x)
            .iter()
            .flatten()
            .map(|g| (self.scale * g).max(0.0).powi(2))
            .sum();
        for &(start, end) in &self.sets {
            let missing = 1.0 - x[start..end].iter().sum::<f64>();
            value += PENALTY * missing * missing;
            value += PENALTY
                * x[start..end]
                    .iter()
                    .map(|v| v.min(0.0).powi(2))
                    .sum::<f64>();
        }
        value
    }

    fn projected(&self, x: &[f64]) -> Vec<f64> {
        let mut p = x.to_vec();
        for &(start, end) in &self.sets {
            p[start..end].copy_from_slice(&project(&x[start..end]));
        }
        p
    }
}

impl Objective for AgentLyapunov {
    fn value(&self, x: &[f64]) -> f64 {
        self.lyapunov(x)
    }

    fn gradient(&self, x: &[f64]) -> Vec<f64> {
        let mut probe = x.to_vec();
        let mut gradient: Vec<f64> = (0..x.len())
            .map(|k| {
                probe[k] = x[k] + STEP;
                let up = self.lyapunov(&probe);
                probe[k] = x[k] - STEP;
                let down = self.lyapunov(&probe);
                probe[k] = x[k];
                (up - down) / (2.0 * STEP)
            })
            .collect();
        for &(start, end) in &self.sets {
            project_out_mean(&mut gradient[start..end]);
        }
        gradient
    }
}

impl AgentLyapunov {
    /// Whether no agent gains more than `bound` at the profile `x`, its gain weighted by the
    /// probability of reaching its set (a set reached with probability 1e-7 can have large
    /// conditional gains at an equilibrium approached from inside the simplex).
    fn converged(&self, x: &[f64], bound: f64) -> bool {
        self.weighted_gains(x).0.iter().all(|&g| g <= bound)
    }
}

/// Minimise from each start (uniform play at every information set when none is given); the
/// profiles that reached the bound, and whether the deadline left every start its run.
pub fn liap_agent_until(
    game: &ExtensiveGame,
    options: &ApproximateOptions,
    deadline: &Deadline,
) -> Result<(AgentFound, bool)> {
    let max_regret = options.max_regret.unwrap_or(DEFAULT_MAX_REGRET);
    let max_iter = options.max_iter.unwrap_or(DEFAULT_MAX_ITER);
    check_options(max_regret, max_iter)?;
    let function = AgentLyapunov::new(game);
    let starts: Vec<Vec<f64>> = if options.starts.is_empty() {
        vec![function
            .sets
            .iter()
            .flat_map(|&(s, e)| vec![1.0 / (e - s) as f64; e - s])
            .collect()]
    } else {
        options
            .starts
            .iter()
            .map(|groups| check_start_groups(&function, groups))
            .collect::<Result<_>>()?
    };
    let range = tree_payoff_range(game);
    let bound = max_regret * range;
    let mut profiles = Vec::new();
    let mut complete = true;
    for x in starts {
        if deadline.passed() {
            complete = false;
            break;
        }
        let minimum = minimise(&function, x, max_iter, deadline);
        let projected = function.projected(&minimum.x);
        if function.converged(&projected, bound) {
            profiles.push(to_behavior(game, &projected));
        }
    }
    Ok((
        AgentFound { profiles, bound },
        complete && !deadline.was_reached(),
    ))
}

/// A start given per information set (see `--start`): each a probability vector.
fn check_start_groups(function: &AgentLyapunov, groups: &[Vec<crate::num::Q>]) -> Result<Vec<f64>> {
    let sizes: Vec<usize> = function.sets.iter().map(|&(s, e)| e - s).collect();
    if groups.iter().map(Vec::len).ne(sizes.iter().copied()) {
        return Err(Error::Usage(format!(
            "the start profile must give {} information sets their actions' probabilities",
            sizes.len()
        )));
    }
    for (k, g) in groups.iter().enumerate() {
        let sum = g.iter().fold(crate::num::Q::ZERO, |a, v| a + v);
        if g.iter().any(|v| *v < crate::num::Q::ZERO) || sum != crate::num::Q::ONE {
            return Err(Error::Usage(format!(
                "the start profile's probabilities at information set {} must be nonnegative \
                 and sum to 1",
                k + 1
            )));
        }
    }
    Ok(groups.iter().flatten().map(to_f64).collect())
}

/// Largest minus smallest payoff of any player over the plays of the tree.
fn tree_payoff_range(game: &ExtensiveGame) -> f64 {
    let values: Vec<f64> = game
        .terminal_payoffs()
        .iter()
        .flat_map(|(_, v)| v.iter().map(to_f64).collect::<Vec<_>>())
        .collect();
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    if hi >= lo {
        hi - lo
    } else {
        0.0
    }
}

/// Largest minus smallest payoff of any player in the game's outcomes (Gambit's scale of the
/// agent Lyapunov function).
pub(super) fn outcome_payoff_range(game: &ExtensiveGame) -> f64 {
    let values = || {
        game.outcomes()
            .iter()
            .flat_map(|o| o.payoffs.iter().map(to_f64))
    };
    let hi = values().fold(f64::NEG_INFINITY, f64::max);
    let lo = values().fold(f64::INFINITY, f64::min);
    if hi >= lo {
        hi - lo
    } else {
        0.0
    }
}

/// The flat vector as `[player][infoset][action]`.
fn to_behavior(game: &ExtensiveGame, x: &[f64]) -> Behavior<f64> {
    let mut next = 0;
    (0..game.num_players())
        .map(|p| {
            game.infosets(p)
                .iter()
                .map(|infoset| {
                    let k = infoset.actions.len();
                    let v = x[next..next + k].to_vec();
                    next += k;
                    v
                })
                .collect()
        })
        .collect()
}
