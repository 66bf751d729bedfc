//! The indifference system of one support profile (McKelvey & McLennan 1996, §6).
//!
//! Player `i` with support `S_i = (s_0, …, s_{k−1})` mixes with probabilities
//! `p_{i,l} = x_{i,l}` for `l ≥ 1` and `p_{i,0} = 1 − Σ_l x_{i,l}`. In an equilibrium with these
//! supports every strategy of `S_i` earns the same against the others' mixture, which gives one
//! equation per unknown:
//!
//! `f_{i,l}(x) = u_i(s_l, σ_{−i}) − u_i(s_0, σ_{−i}) = 0`,  `l = 1, …, k − 1`,
//!
//! and every strategy `t` outside `S_i` earns no more: `g_{i,t}(x) = u_i(t, σ_{−i}) −
//! u_i(s_0, σ_{−i}) ≤ 0`. Both depend only on the opponents' blocks, each affinely, so they are
//! [`Form`]s, as is every partial derivative (one block fixed to a unit vector). Players with a
//! single strategy in their support have no unknowns. For excluding boxes every pair of
//! strategies is compared (`u_i(s_l) − u_i(s_m) = 0`, `u_i(t) − u_i(s_m) ≤ 0` for every `m`):
//! implied by the equations at a point, but with tighter ranges over a box (a quarter of the
//! time on Gambit's 5x4x3.nfg).

use super::multilinear::{Form, Interval, Tensor};
use crate::game::StrategicGame;
use crate::num::tol;
use nalgebra::DMatrix;
use std::ops::Range;

/// One support profile's equations, inequalities and Jacobian, ready to evaluate.
#[derive(Debug, Clone)]
pub struct SupportSystem {
    supports: Vec<Vec<usize>>,
    /// Each player's unknowns `x_{i,1..k_i−1}` in the unknown vector (empty for `k_i = 1`).
    blocks: Vec<Range<usize>>,
    players: Vec<PlayerRows>,
    unknowns: usize,
}

/// The ranges of a system's block-coefficient forms over one box, in the system's order.
#[derive(Debug, Clone)]
pub struct CoefficientRanges(Vec<Vec<Interval>>);

/// A player's indifference equations (its first rows) and best-response inequalities.
#[derive(Debug, Clone)]
struct PlayerRows {
    /// The equations' indices in the system: the same as the player's block of unknowns.
    equations: Range<usize>,
    /// Outputs `u_i(a, σ_{−i}) − u_i(b, σ_{−i})` for pairs `(a, b)`: first the equations
    /// `f_{i,1..k−1}` (`a = s_l`, `b = s_0`), then the other pairs of support strategies, which
    /// must tie too, up to `equalities`; then every strategy `t` outside the support against
    /// every support strategy, which must be `≤ 0`. At a point the first `k − 1` decide the
    /// rest, but over a box the ranges of the others are tighter than their combinations.
    rows: Form,
    equalities: usize,
    /// For each opponent `j` with unknowns, `f_{i,l}` written as `A_l + Σ_m B_{l,m} x_{j,m}`
    /// with `A`, `B` forms in the other blocks: output `l + (k − 1)·a` is `A_l` for `a = 0` and
    /// `B_{l,a} = ∂f_{i,l}/∂x_{j,a}` for `a ≥ 1`.
    block_coefficients: Vec<(usize, Form)>,
}

impl SupportSystem {
    pub fn new(game: &StrategicGame, supports: &[Vec<usize>]) -> SupportSystem {
        let mut blocks = Vec::with_capacity(supports.len());
        let mut start = 0;
        for support in supports {
            blocks.push(start..start + support.len() - 1);
            start += support.len() - 1;
        }
        let players = (0..game.num_players())
            .filter(|&i| game.num_strategies(i) > 1)
            .map(|i| PlayerRows::new(game, supports, &blocks, i))
            .collect();
        SupportSystem {
            supports: supports.to_vec(),
            blocks,
            players,
            unknowns: start,
        }
    }

    pub fn unknowns(&self) -> usize {
        self.unknowns
    }

    /// The equations' values at `x` and a bound on their rounding error.
    pub fn residual(&self, x: &[f64]) -> (Vec<f64>, f64) {
        let mut values = vec![0.0; self.unknowns];
        let mut rounding: f64 = 0.0;
        for player in &self.players {
            let rows = player.rows.at(x);
            values[player.equations.clone()].copy_from_slice(&rows[..player.equations.len()]);
            rounding = rounding.max(player.rows.rounding());
        }
        (values, rounding)
    }

    /// The Jacobian `∂f/∂x` at `x`.
    pub fn jacobian(&self, x: &[f64]) -> DMatrix<f64> {
        self.jacobian_with(0.0, |form| form.at(x))
    }

    /// The range of every block-coefficient form (`A` and `B` of [`Self::narrow`], the latter
    /// the Jacobian's entries) over the box `[lo, hi]`, exact up to rounding.
    pub fn coefficient_ranges(&self, lo: &[f64], hi: &[f64]) -> CoefficientRanges {
        CoefficientRanges(
            self.players
                .iter()
                .flat_map(|p| {
                    p.block_coefficients
                        .iter()
                        .map(|(_, form)| form.range(lo, hi))
                })
                .collect(),
        )
    }

    /// Enclosure of the Jacobian over the box the ranges were computed on.
    pub fn jacobian_range(&self, ranges: &CoefficientRanges) -> DMatrix<Interval> {
        let mut forms = ranges.0.iter();
        self.jacobian_with(Interval::point(0.0), |_| {
            forms.next().expect("one range per form").clone()
        })
    }

    /// Lay out each derivative form's outputs, as computed by `values`, into the Jacobian.
    fn jacobian_with<T: nalgebra::Scalar + Copy>(
        &self,
        zero: T,
        mut values: impl FnMut(&Form) -> Vec<T>,
    ) -> DMatrix<T> {
        let mut jacobian = DMatrix::from_element(self.unknowns, self.unknowns, zero);
        for player in &self.players {
            let k = player.equations.len();
            for (j, form) in &player.block_coefficients {
                let column = &self.blocks[*j];
                for (o, v) in values(form).into_iter().enumerate().skip(k) {
                    jacobian[(player.equations.start + o % k, column.start + o / k - 1)] = v;
                }
            }
        }
        jacobian
    }

    /// Shrink the box `[lo, hi]` to the smallest box holding its points where each player's
    /// probabilities sum to at most 1 (`x_{i,m} ≤ 1 − Σ_{m' ≠ m} lo_{i,m'}`); false when no
    /// point of the box is left.
    pub fn clip_to_simplex(&self, lo: &[f64], hi: &mut [f64]) -> bool {
        self.blocks.iter().all(|block| {
            let least: f64 = lo[block.clone()].iter().sum();
            for v in block.clone() {
                hi[v] = hi[v].min(1.0 - (least - lo[v]) + tol::INTERVAL_ROUNDING);
            }
            least <= 1.0 + tol::INTERVAL_ROUNDING
        })
    }

    /// Narrow the box `[lo, hi]` around the zeros it may hold, by hull consistency on each
    /// equation and block (Moore, Kearfott & Cloud 2009, §8.1; Benhamou et al. 1999): an
    /// equation is exactly `A + Σ_m B_m x_{j,m}` with `A`, `B_m` free of block `j`, so at a zero
    /// in the box `x_{j,m} ∈ (−A − Σ_{m'≠m} B_{m'} x_{j,m'}) / B_m` whenever `B_m`'s range
    /// excludes 0, all in interval arithmetic over the box. `ranges` may be those of a larger
    /// box. False when no point is left.
    pub fn narrow(&self, ranges: &CoefficientRanges, lo: &mut [f64], hi: &mut [f64]) -> bool {
        let mut forms = ranges.0.iter();
        for player in &self.players {
            let k = player.equations.len();
            for (j, _) in &player.block_coefficients {
                let ranges = forms.next().expect("one range per form");
                let block = self.blocks[*j].clone();
                for l in 0..k {
                    for (m, v) in block.clone().enumerate() {
                        let slope = ranges[l + k * (m + 1)];
                        if slope.contains_zero() {
                            continue;
                        }
                        let rest = block
                            .clone()
                            .enumerate()
                            .filter(|&(other, _)| other != m)
                            .fold(Interval::point(0.0).minus(ranges[l]), |acc, (other, w)| {
                                let x = Interval {
                                    lo: lo[w],
                                    hi: hi[w],
                                };
                                acc.minus(ranges[l + k * (other + 1)].times(x))
                            });
                        let x = rest.divided_by(slope);
                        lo[v] = lo[v].max(x.lo);
                        hi[v] = hi[v].min(x.hi);
                        if lo[v] > hi[v] {
                            return false;
                        }
                    }
                }
            }
        }
        true
    }

    /// Whether every point of the box `[lo, hi]` is within [`tol::ROOT_BOX_WIDTH`] of one face of
    /// the probability region: some `x_{i,m}`, or some `p_{i,0} = 1 − Σ_m x_{i,m}`, that close
    /// to 0 throughout.
    pub fn hugs_face(&self, lo: &[f64], hi: &[f64]) -> bool {
        let near_zero = hi.iter().any(|&v| v <= tol::ROOT_BOX_WIDTH);
        near_zero
            || self.blocks.iter().any(|block| {
                let least: f64 = lo[block.clone()].iter().sum();
                !block.is_empty() && 1.0 - least <= tol::ROOT_BOX_WIDTH
            })
    }

    /// Whether the box `[lo, hi]` certainly holds no equilibrium of these supports: some
    /// equation's range excludes 0, or some strategy outside a support earns strictly more than
    /// the support throughout.
    pub fn excludes(&self, lo: &[f64], hi: &[f64]) -> bool {
        self.players.iter().any(|player| {
            let ranges = player.rows.range(lo, hi);
            let (equations, inequalities) = ranges.split_at(player.equalities);
            equations.iter().any(|r| !r.contains_zero()) || inequalities.iter().any(|r| r.lo > 0.0)
        })
    }

    /// The full mixed profile (every strategy of the game) at the unknowns `x`.
    pub fn profile(&self, game: &StrategicGame, x: &[f64]) -> Vec<Vec<f64>> {
        self.supports
            .iter()
            .zip(&self.blocks)
            .enumerate()
            .map(|(p, (support, block))| {
                let mut mixed = vec![0.0; game.num_strategies(p)];
                let own = &x[block.clone()];
                mixed[support[0]] = 1.0 - own.iter().sum::<f64>();
                for (&s, &v) in support[1..].iter().zip(own) {
                    mixed[s] = v;
                }
                mixed
            })
            .collect()
    }
}

impl PlayerRows {
    fn new(
        game: &StrategicGame,
        supports: &[Vec<usize>],
        blocks: &[Range<usize>],
        i: usize,
    ) -> PlayerRows {
        let support = &supports[i];
        let outside = (0..game.num_strategies(i)).filter(|s| !support.contains(s));
        let mut pairs: Vec<(usize, usize)> =
            support[1..].iter().map(|&s| (s, support[0])).collect();
        for (l, &a) in support.iter().enumerate().skip(1) {
            pairs.extend(support[1..l].iter().map(|&b| (a, b)));
        }
        let equalities = pairs.len();
        for t in outside {
            pairs.extend(support.iter().map(|&b| (t, b)));
        }
        // Opponents with unknowns are the tensor's modes; the others play their one strategy.
        let opponents: Vec<usize> = (0..supports.len())
            .filter(|&j| j != i && !blocks[j].is_empty())
            .collect();
        // the flat index of the opponents' fixed strategies (those with a one-strategy support)
        let base: usize = (0..supports.len())
            .filter(|&j| j != i && blocks[j].is_empty())
            .map(|j| supports[j][0] * game.stride(j))
            .sum();
        let table = game.payoff_table_f64(i);
        let stride = game.stride(i);
        let mut dims = vec![pairs.len()];
        dims.extend(opponents.iter().map(|&j| supports[j].len()));
        // payoff differences u_i(a, o) − u_i(b, o) over the opponents' support profiles o …
        let mut tensor = Tensor::from_fn(dims, |index| {
            let at = base
                + opponents
                    .iter()
                    .zip(&index[1..])
                    .map(|(&j, &m)| supports[j][m] * game.stride(j))
                    .sum::<usize>();
            let (a, b) = pairs[index[0]];
            table[at + a * stride] - table[at + b * stride]
        });
        // … in the basis where a mixture is (1, x_{j,1}, …): the coefficients of the form
        for mode in 1..=opponents.len() {
            tensor.change_to_difference_basis(mode);
        }
        let opponent_blocks: Vec<Range<usize>> =
            opponents.iter().map(|&j| blocks[j].clone()).collect();
        let coefficient = |row: usize, index: &[usize]| {
            let mut full = vec![row];
            full.extend_from_slice(index);
            tensor.get(&full)
        };
        let rows = Form::new(pairs.len(), &opponent_blocks, coefficient);
        let k = support.len() - 1;
        let with_unknowns = if k == 0 { 0 } else { opponents.len() };
        let block_coefficients = (0..with_unknowns)
            .map(|d| {
                let others: Vec<Range<usize>> = (0..opponents.len())
                    .filter(|&e| e != d)
                    .map(|e| opponent_blocks[e].clone())
                    .collect();
                let form = Form::new(k * (opponent_blocks[d].len() + 1), &others, |o, index| {
                    let mut full: Vec<usize> = Vec::with_capacity(opponents.len());
                    let mut rest = index.iter();
                    for e in 0..opponents.len() {
                        full.push(if e == d {
                            o / k
                        } else {
                            *rest.next().expect("index")
                        });
                    }
                    coefficient(o % k, &full)
                });
                (opponents[d], form)
            })
            .collect();
        PlayerRows {
            equations: blocks[i].clone(),
            rows,
            equalities,
            block_coefficients,
        }
    }
}
