//! The polymatrix approximation of a game near a profile `ŝ` (Govindan & Wilson 2004, §2):
//! player i's payoff from pure strategy s against the others' mixtures is the first-order term
//! `Σ_{j≠i} Σ_t D_{is,jt} s_jt`, with `D = DG(ŝ)/(N−1)` and `DG_{is,jt}` the payoff of (s, t)
//! against `ŝ` of the rest (for two players `D` is the game itself). Its equilibria are
//! computed by linear algebra: [`super::support::SupportSystem`] on a guessed support, else
//! Lemke's algorithm ([`super::lemke`]).
//!
//! Only the columns of `D` that are used are computed ([`Tables::columns`]): the support
//! system and the step `z = D s + s` read the columns of the support alone, so an iteration
//! whose support system succeeds contracts the payoffs over `Σ_i |S_i|` columns instead of all
//! strategies' (Lemke's algorithm, when needed, reads them all).

use crate::game::StrategicGame;
use crate::solve::gnm::payoffs::{add_scaled, OwnFirst};
use nalgebra::DMatrix;

/// A game's payoff tables in GameTracer's units (shifted so the smallest is 0), each laid out
/// for [`Tables::columns`], with the buffers it reuses, made once per solve.
pub struct Tables {
    /// Each player's payoffs `u − shift`, the player's own strategy fastest, then the others
    /// in order (so the rows of a block of `D` are contiguous in the table).
    tables: Vec<Vec<f64>>,
    counts: Vec<usize>,
    offsets: Vec<usize>,
    /// `strides[i * n + k]`: the step in player i's table of player k's strategy.
    strides: Vec<usize>,
    /// For each ordered pair (i, j), i ≠ j: the players other than i and j.
    rest: Vec<Vec<usize>>,
    /// Each player's strategies of positive probability at the current profile, with their
    /// probabilities.
    supports: Vec<Vec<(usize, f64)>>,
    /// Each player's strategies whose columns are being computed.
    fresh: Vec<Vec<usize>>,
    /// The rest's pure profiles of positive probability for one pair, the first player
    /// fastest: their place in player i's table and their probability.
    profiles: Vec<(usize, f64)>,
}

impl Tables {
    /// `game`'s payoffs minus `shift`.
    pub fn new(game: &StrategicGame, shift: f64) -> Self {
        let n = game.num_players();
        let counts = game.strategy_counts();
        let OwnFirst { tables, strides } = OwnFirst::new(game, shift, 1.0);
        let strides = strides.concat();
        let rest = (0..n * n)
            .map(|pair| {
                let (i, j) = (pair / n, pair % n);
                (0..n).filter(|&k| k != i && k != j).collect()
            })
            .collect();
        Tables {
            tables,
            offsets: game.strategy_offsets(),
            counts,
            strides,
            rest,
            supports: vec![Vec::new(); n],
            fresh: vec![Vec::new(); n],
            profiles: Vec::new(),
        }
    }

    /// Each player's number of strategies.
    pub fn counts(&self) -> &[usize] {
        &self.counts
    }

    /// The columns `c` of `DG/(N−1)` at `profile` (over all strategies, players in order) with
    /// `wanted[c]` and not `done[c]` into `out`, and marks them done: the polymatrix
    /// approximation's payoff matrix, `DG_{is,jt}` being the payoff of (s, t) against `profile`
    /// of the rest (0 for j = i). For each ordered pair (i, j) the rest's pure profiles of
    /// positive probability (the others add exactly 0) are listed with their probabilities,
    /// and each adds i's payoffs of every s against it and each wanted t of j to the block
    /// (i, j): `m_i · |wanted_j| · Π_{k≠i,j} |supp_k|` multiply-adds for the pair.
    pub fn columns(
        &mut self,
        profile: &[f64],
        wanted: &[bool],
        done: &mut [bool],
        out: &mut DMatrix<f64>,
    ) {
        let n = self.counts.len();
        let total = out.nrows();
        let entries = out.as_mut_slice();
        for (k, (support, fresh)) in self.supports.iter_mut().zip(&mut self.fresh).enumerate() {
            let first = self.offsets[k];
            support.clear();
            fresh.clear();
            for t in 0..self.counts[k] {
                let p = profile[first + t];
                if p > 0.0 {
                    support.push((t, p));
                }
                if wanted[first + t] && !done[first + t] {
                    fresh.push(t);
                    done[first + t] = true;
                    entries[(first + t) * total..][..total].fill(0.0);
                }
            }
        }
        for i in 0..n {
            let table = &self.tables[i];
            let strides = &self.strides[i * n..(i + 1) * n];
            let (mi, row) = (self.counts[i], self.offsets[i]);
            for j in (0..n).filter(|&j| j != i && !self.fresh[j].is_empty()) {
                let rest = &self.rest[i * n + j];
                if rest.iter().any(|&k| self.supports[k].is_empty()) {
                    continue; // no profile of the rest has positive probability
                }
                // The rest's profiles, built player by player so that the first is fastest
                // and each probability is the product in the players' order.
                let profiles = &mut self.profiles;
                profiles.clear();
                profiles.push((0, 1.0));
                for &k in rest {
                    let support = &self.supports[k];
                    let (stride, len) = (strides[k], profiles.len());
                    for &(t, p) in &support[1..] {
                        for e in 0..len {
                            let (at, weight) = profiles[e];
                            profiles.push((at + t * stride, weight * p));
                        }
                    }
                    let (t, p) = support[0];
                    for (at, weight) in &mut profiles[..len] {
                        *at += t * stride;
                        *weight *= p;
                    }
                }
                let column = self.offsets[j];
                for &t in &self.fresh[j] {
                    let block = &mut entries[(column + t) * total + row..][..mi];
                    let table = &table[t * strides[j]..];
                    // the strategy counts of the bench games, so the adds are unrolled
                    match mi {
                        2 => contract::<2>(block, table, profiles),
                        3 => contract::<3>(block, table, profiles),
                        4 => contract::<4>(block, table, profiles),
                        _ => contract::<0>(block, table, profiles),
                    }
                }
            }
        }
        let pairs = (n.max(2) - 1) as f64;
        for (fresh, &first) in self.fresh.iter().zip(&self.offsets) {
            for &t in fresh {
                entries[(first + t) * total..][..total]
                    .iter_mut()
                    .for_each(|x| *x /= pairs);
            }
        }
    }
}

/// `block += Σ weight · table[at..][..m]` over the rest's `profiles` `(at, weight)`, in their
/// order, with `m` the block's length; `M` is `m` when it is known at compile time, else 0.
fn contract<const M: usize>(block: &mut [f64], table: &[f64], profiles: &[(usize, f64)]) {
    let m = if M == 0 { block.len() } else { M };
    let block = &mut block[..m];
    for &(at, weight) in profiles {
        add_scaled(block, weight, &table[at..][..m]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::gnm::payoffs::Payoffs;

    /// Against gnm's conditional payoffs (`∂W_is/∂σ_jt`, a pass over every profile of the
    /// others, written independently) with every strategy in the supports, divided by N − 1,
    /// on a 3×2×4×2 game at a profile with strategies of probability 0 (which the contraction
    /// here skips), and minus a shift.
    #[test]
    fn columns_agree_with_gnm_conditional_payoffs() {
        let game = StrategicGame::arbitrary(&[3, 2, 4, 2], 13, 6);
        let probs = [
            vec![0.3, 0.0, 0.7],
            vec![0.0, 1.0],
            vec![0.2, 0.0, 0.0, 0.8],
            vec![0.55, 0.45],
        ];
        let shift = -1.5;
        let full: Vec<Vec<usize>> = probs.iter().map(|p| (0..p.len()).collect()).collect();
        let payoffs = Payoffs::in_units(&game, shift, 1.0);
        let theirs = payoffs.at(&full, |j, l| probs[j][l]);
        let mut tables = Tables::new(&game, shift);
        let total = 11;
        let mut ours = DMatrix::zeros(total, total);
        let mut done = vec![false; total];
        tables.columns(&probs.concat(), &[true; 11], &mut done, &mut ours);
        assert!(done.iter().all(|&d| d));
        let offsets = game.strategy_offsets();
        for i in 0..4 {
            for s in 0..probs[i].len() {
                for j in 0..4 {
                    for t in 0..probs[j].len() {
                        let expected = if i == j {
                            0.0
                        } else {
                            theirs.pair(&payoffs, i, s, j, t) / 3.0
                        };
                        let got = ours[(offsets[i] + s, offsets[j] + t)];
                        assert!((got - expected).abs() < 1e-12, "D[{i}{s}][{j}{t}]: {got}");
                    }
                }
            }
        }
    }
}
