//! `liap --agent`: Lyapunov-function minimisation over behaviour strategies of a game tree
//! (Gambit's `gambit-liap` on trees, pygambit's `liap_agent_solve`).
//!
//! The agent form treats each information set `I` as its own agent with its player's payoff.
//! For an unconstrained vector `x` of action weights (one per action of every information set)
//! the gain of `I`'s agent from playing action `a` for sure is, with perfect recall (each play
//! meets `I` at most once),
//!
//! `g(I, a) = Σ_{h ∈ I} reach(h) · (v_p(child_a(h)) − Σ_b x_{Ib} · v_p(child_b(h)))`,
//!
//! where `reach` multiplies the weights (and chance probabilities) on the path to `h` and `v_p`
//! is player `p`'s expected payoff below a node. The function minimised is McKelvey's
//! `L(x) = Σ_{I,a} max(0, g(I, a))² + Σ_I (1 − Σ_a x_{Ia})² + Σ min(0, x_{Ia})²`, zero exactly at
//! the agent form's equilibria. Its gradient is taken by central differences (each evaluation is
//! two passes over the tree), and it is minimised by the same conjugate gradients as the
//! strategic form's ([`super::minimiser::minimise`]). A profile is accepted when no agent gains
//! more than `max_regret` × the payoff range (of the tree's plays); the caller then certifies
//! it as a Nash equilibrium, which an agent-form equilibrium need not be.

use super::function::project;
use super::minimiser::{minimise, Objective};
use super::{check_options, DEFAULT_MAX_ITER, DEFAULT_MAX_REGRET};
use crate::error::{Error, Result};
use crate::game::tree::{Behavior, ExtensiveGame, NodeKind};
use crate::num::to_f64;
use crate::solve::approximate::ApproximateOptions;
use crate::solve::deadline::Deadline;

/// Step of the central differences: the error is of order `STEP²` times the third
/// derivative, far below the gradients that matter at the regret bounds used.
const STEP: f64 = 1e-6;

/// The behaviour profiles found (before certification) and the bound they met.
#[derive(Debug, Clone)]
pub struct AgentFound {
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
struct AgentLyapunov {
    players: usize,
    moves: Vec<Move>,
    children: Vec<Vec<usize>>,
    payoffs: Vec<Vec<f64>>,
    /// `[first, end)` of every information set's actions in `x`, players in turn.
    sets: Vec<(usize, usize)>,
}

impl AgentLyapunov {
    fn new(game: &ExtensiveGame) -> Self {
        let mut first = Vec::new();
        let mut sets = Vec::new();
        let mut next = 0;
        for p in 0..game.num_players() {
            let mut own = Vec::new();
            for infoset in game.infosets(p) {
                own.push(next);
                sets.push((next, next + infoset.actions.len()));
                next += infoset.actions.len();
            }
            first.push(own);
        }
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
                    Move::Decision(player, first[player][infoset])
                }
            })
            .collect();
        let payoffs = (0..game.num_nodes())
            .map(|h| game.node_payoffs(h).iter().map(to_f64).collect())
            .collect();
        AgentLyapunov {
            players: game.num_players(),
            moves,
            children: game.nodes().iter().map(|n| n.children.clone()).collect(),
            payoffs,
            sets,
        }
    }

    fn weight(&self, x: &[f64], h: usize, a: usize) -> f64 {
        match &self.moves[h] {
            Move::Terminal => 0.0,
            Move::Chance(probs) => probs[a],
            Move::Decision(_, start) => x[start + a],
        }
    }

    /// Every agent's gain `g(I, a)`, flat like `x`.
    fn gains(&self, x: &[f64]) -> Vec<f64> {
        let n = self.moves.len();
        let mut reach = vec![0.0; n];
        reach[0] = 1.0;
        for h in 0..n {
            for (a, &c) in self.children[h].iter().enumerate() {
                reach[c] = reach[h] * self.weight(x, h, a);
            }
        }
        let mut values = vec![vec![0.0; self.players]; n];
        let mut gains = vec![0.0; x.len()];
        for h in (0..n).rev() {
            let mut below = vec![0.0; self.players];
            for (a, &c) in self.children[h].iter().enumerate() {
                let w = self.weight(x, h, a);
                for (b, v) in below.iter_mut().zip(&values[c]) {
                    *b += w * v;
                }
            }
            if let Move::Decision(p, start) = self.moves[h] {
                for (a, &c) in self.children[h].iter().enumerate() {
                    gains[start + a] += reach[h] * (values[c][p] - below[p]);
                }
            }
            values[h] = below
                .iter()
                .zip(&self.payoffs[h])
                .map(|(b, o)| b + o)
                .collect();
        }
        gains
    }

    fn lyapunov(&self, x: &[f64]) -> f64 {
        let mut value: f64 = self.gains(x).iter().map(|g| g.max(0.0).powi(2)).sum();
        for &(start, end) in &self.sets {
            let missing = 1.0 - x[start..end].iter().sum::<f64>();
            value += missing * missing;
            value += x[start..end]
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
        (0..x.len())
            .map(|k| {
                probe[k] = x[k] + STEP;
                let up = self.lyapunov(&probe);
                probe[k] = x[k] - STEP;
                let down = self.lyapunov(&probe);
                probe[k] = x[k];
                (up - down) / (2.0 * STEP)
            })
            .collect()
    }
}

impl AgentLyapunov {
    /// Whether no agent gains more than `bound` at the profile `x`.
    fn converged(&self, x: &[f64], bound: f64) -> bool {
        self.gains(x).iter().all(|&g| g <= bound)
    }
}

/// Minimise from each start (uniform play at every information set when none is given); the
/// profiles that reached the bound.
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
