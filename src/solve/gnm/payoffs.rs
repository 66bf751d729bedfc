//! The conditional payoffs a support cell needs, computed in one pass over the profiles the
//! supports allow.
//!
//! At a mixed profile σ whose supports are `B`, a cell ([`super::cell`]) needs, for every player
//! i and pure strategy s, `W_is(σ) = Σ_r u_i(s, r) Π_{j≠i} σ_j(r_j)` (the payoff of s against the
//! others' mixture; s off the support too, for the boundaries where s would enter), and for every
//! other player k and `t ∈ B_k` the derivative `∂W_is/∂σ_kt = Σ_r u_i(s, t, r) Π_{j≠i,k} σ_j(r_j)`
//! (the Jacobian's entries and the boundaries' gradients). Only the profiles r of the others'
//! supports have positive probability, so for player i one pass over
//! `Π_{j≠i} |B_j|` profiles does: at each, the leave-one-out products
//! `Π_{j≠i,k} σ_j(r_j)` come from prefix and suffix products over the others (no division, so
//! a support strategy at probability 0, as on a cell's boundary, is no special case), and each
//! payoff `u_i(s, r)` is added, weighted, into `W_is` and into the `n − 1` derivatives it feeds.
//! That is `m_i · Π_{j≠i}|B_j| · n` multiply-adds for player i, each payoff read once; each
//! player's table is stored with the player's own strategy fastest, so that the payoffs of all
//! of i's strategies against one profile are adjacent. The terms are added in the order they
//! always were, so the path is the same to the last bit (see [`super::bordered`] on why that
//! matters). (The whole-table contractions of [`crate::solve::logit::ConditionalValues`], one
//! per ordered pair of players, cost the path most of its time.)

use crate::game::StrategicGame;

/// A game's payoff tables with the index arithmetic a pass needs, made once per path.
pub struct Payoffs<'a> {
    game: &'a StrategicGame,
    /// Each player's payoffs `(u − shift) / scale` (see [`Payoffs::in_units`]), laid out for the
    /// pass: player i's own strategy fastest, then the others in player order (the first other
    /// next), so that i's payoffs from all of its strategies against one profile of the others
    /// are adjacent.
    tables: Vec<Vec<f64>>,
    counts: Vec<usize>,
    /// Every player but i, in order, for each i.
    others: Vec<Vec<usize>>,
    /// For player i and its q-th other, how far apart in i's table two strategies of that other
    /// adjacent in index are.
    other_strides: Vec<Vec<usize>>,
    /// Where player i's `W_i·` start in [`Conditional::own`].
    own_offsets: Vec<usize>,
    /// Where the table of `∂W_is/∂σ_kt` (t-major: `m_k` rows of `m_i`) starts in
    /// [`Conditional::pairs`] (`i·n + k`; unused when k = i).
    pair_offsets: Vec<usize>,
    own_len: usize,
    pairs_len: usize,
}

/// `W_is` for every player and strategy, and `∂W_is/∂σ_kt` for every `t` in k's support (other
/// entries are left 0), at one profile.
pub struct Conditional {
    /// The `W_is` (at `Payoffs::own_offsets`), then the derivatives (from `Payoffs::own_len`,
    /// at `Payoffs::pair_offsets`): one allocation.
    values: Vec<f64>,
}

impl<'a> Payoffs<'a> {
    /// The game's payoffs as they are.
    pub fn new(game: &'a StrategicGame) -> Self {
        Payoffs::in_units(game, 0.0, 1.0)
    }

    /// The game's payoffs `(u − shift) / scale` (the units of [`super::units`]): the equilibria
    /// are the game's, only the scale of the path parameter changes.
    pub fn in_units(game: &'a StrategicGame, shift: f64, scale: f64) -> Self {
        let counts = game.strategy_counts();
        let n = counts.len();
        let others: Vec<Vec<usize>> = (0..n)
            .map(|i| (0..n).filter(|&j| j != i).collect())
            .collect();
        let other_strides: Vec<Vec<usize>> = others
            .iter()
            .enumerate()
            .map(|(i, others)| {
                others
                    .iter()
                    .scan(counts[i], |stride, &j| {
                        let here = *stride;
                        *stride *= counts[j];
                        Some(here)
                    })
                    .collect()
            })
            .collect();
        let tables = (0..n)
            .map(|i| {
                let mut table = vec![0.0; game.num_profiles()];
                for (index, u) in game.payoff_table_f64(i).iter().enumerate() {
                    let strategy = |j: usize| index / game.stride(j) % counts[j];
                    let at = strategy(i)
                        + others[i]
                            .iter()
                            .zip(&other_strides[i])
                            .map(|(&j, stride)| strategy(j) * stride)
                            .sum::<usize>();
                    table[at] = (u - shift) / scale;
                }
                table
            })
            .collect();
        let own_offsets = game.strategy_offsets();
        let own_len = counts.iter().sum();
        let mut pair_offsets = vec![0; n * n];
        let mut pairs_len = 0;
        for i in 0..n {
            for k in (0..n).filter(|&k| k != i) {
                pair_offsets[i * n + k] = pairs_len;
                pairs_len += counts[i] * counts[k];
            }
        }
        Payoffs {
            game,
            tables,
            counts,
            others,
            other_strides,
            own_offsets,
            pair_offsets,
            own_len,
            pairs_len,
        }
    }

    pub fn game(&self) -> &'a StrategicGame {
        self.game
    }

    /// The conditional payoffs at the profile with supports `support` and, for player j's
    /// `l`-th support strategy, probability `probability(j, l)`.
    pub fn at(
        &self,
        support: &[Vec<usize>],
        probability: impl Fn(usize, usize) -> f64,
    ) -> Conditional {
        let n = self.counts.len();
        let mut values = vec![0.0; self.own_len + self.pairs_len];
        let (own, pairs) = values.split_at_mut(self.own_len);
        // for player i: per other q (in player order) and each strategy t of q's support, in one
        // flat list (q's `count[q]` entries from `first[q]`), its probability, its step in i's
        // table and where `∂W_i·/∂σ_qt` start in `pairs`; the position of the current profile
        // in each other's support; and the prefix and suffix products of the current profile's
        // probabilities (prefix[0] and suffix[n − 1] stay 1)
        let entries: usize = support.iter().map(Vec::len).sum();
        let mut reals = vec![1.0; entries + 2 * n];
        let (probabilities, products) = reals.split_at_mut(entries);
        let (prefix, suffix) = products.split_at_mut(n);
        let mut integers = vec![0; 2 * entries + 3 * n];
        let (steps, rest) = integers.split_at_mut(entries);
        let (columns, rest) = rest.split_at_mut(entries);
        let (first, rest) = rest.split_at_mut(n);
        let (count, position) = rest.split_at_mut(n);
        for i in 0..n {
            let (others, strides) = (&self.others[i], &self.other_strides[i]);
            let k = others.len();
            let (table, m) = (&self.tables[i], self.counts[i]);
            let mut e = 0;
            for (q, &j) in others.iter().enumerate() {
                first[q] = e;
                count[q] = support[j].len();
                for (l, &t) in support[j].iter().enumerate() {
                    probabilities[e] = probability(j, l);
                    steps[e] = t * strides[q];
                    columns[e] = self.pair_offsets[i * n + j] + t * m;
                    e += 1;
                }
            }
            position.fill(0);
            let own_i = &mut own[self.own_offsets[i]..][..m];
            loop {
                let mut base = 0;
                for q in 0..k {
                    let e = first[q] + position[q];
                    base += steps[e];
                    prefix[q + 1] = prefix[q] * probabilities[e];
                }
                for q in (0..k).rev() {
                    suffix[q] = suffix[q + 1] * probabilities[first[q] + position[q]];
                }
                let payoff = &table[base..][..m];
                add_scaled(own_i, prefix[k], payoff);
                for q in 0..k {
                    let column = columns[first[q] + position[q]];
                    add_scaled(&mut pairs[column..][..m], prefix[q] * suffix[q + 1], payoff);
                }
                // the next profile of the others' supports, the first other fastest
                let mut q = 0;
                while q < k {
                    position[q] += 1;
                    if position[q] < count[q] {
                        break;
                    }
                    position[q] = 0;
                    q += 1;
                }
                if q == k {
                    break;
                }
            }
        }
        Conditional { values }
    }
}

/// `target += weight · values`, entry by entry.
fn add_scaled(target: &mut [f64], weight: f64, values: &[f64]) {
    for (x, v) in target.iter_mut().zip(values) {
        *x += weight * v;
    }
}

impl Conditional {
    /// `W_is`: player i's payoff from pure strategy s against the others' mixture.
    pub fn own(&self, payoffs: &Payoffs, i: usize, s: usize) -> f64 {
        self.values[payoffs.own_offsets[i] + s]
    }

    /// `∂W_is/∂σ_kt` (k ≠ i, t in k's support): i's payoff from s against k's t and the
    /// others' mixture.
    pub fn pair(&self, payoffs: &Payoffs, i: usize, s: usize, k: usize, t: usize) -> f64 {
        let n = payoffs.counts.len();
        self.values[payoffs.own_len + payoffs.pair_offsets[i * n + k] + t * payoffs.counts[i] + s]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::logit::ConditionalValues;

    /// A 3×2×4×2 game with arbitrary payoffs.
    fn game() -> StrategicGame {
        StrategicGame::arbitrary(&[3, 2, 4, 2], 13, 6)
    }

    /// Against `ConditionalValues` (the logit solver's contraction of whole tables, an
    /// independent computation), on a profile with partial supports and a support strategy at
    /// probability 0.
    #[test]
    fn agrees_with_whole_table_contractions() {
        let game = game();
        let support = vec![vec![0, 2], vec![1], vec![0, 1, 3], vec![0, 1]];
        let probs = vec![
            vec![0.3, 0.0, 0.7],
            vec![0.0, 1.0],
            vec![0.2, 0.0, 0.0, 0.8],
            vec![0.55, 0.45],
        ];
        let payoffs = Payoffs::new(&game);
        let ours = payoffs.at(&support, |j, l| probs[j][support[j][l]]);
        let theirs = ConditionalValues::new(&game, &probs);
        for i in 0..4 {
            for s in 0..game.num_strategies(i) {
                let (a, b) = (ours.own(&payoffs, i, s), theirs.own[i][s]);
                assert!((a - b).abs() < 1e-12, "W[{i}][{s}]: {a} vs {b}");
                for k in (0..4).filter(|&k| k != i) {
                    for &t in &support[k] {
                        let (a, b) = (ours.pair(&payoffs, i, s, k, t), theirs.pair(i, s, k, t));
                        assert!((a - b).abs() < 1e-12, "dW[{i}][{s}]/d[{k}][{t}]");
                    }
                }
            }
        }
    }
}
