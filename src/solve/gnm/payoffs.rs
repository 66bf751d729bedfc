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
//! The profiles are visited the first other fastest, so from one to the next the others after
//! the one whose strategy advanced keep theirs: only the suffix products up to that one are
//! recomputed (the same products, so the same roundings), and the prefix products are
//! multiplied up as the derivatives are added, with no array of them. For a player with two,
//! three or four others (games of three to five players) the same pass is written as plain
//! nested loops, each product formed as the general pass forms it: its bookkeeping cost more
//! than its arithmetic on those games' small supports.
//! That is `m_i · Π_{j≠i}|B_j| · n` multiply-adds for player i, each payoff read once; each
//! player's table is stored with the player's own strategy fastest, so that the payoffs of all
//! of i's strategies against one profile are adjacent. The terms are added in the order they
//! always were, so the path is the same to the last bit (see [`super::bordered`] on why that
//! matters). (The whole-table contractions of [`crate::solve::logit::ConditionalValues`], one
//! per ordered pair of players, cost the path most of its time.)

use crate::game::StrategicGame;
use std::cell::RefCell;

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
    scratch: RefCell<Scratch>,
}

/// Each player's payoffs `(u − shift) / scale` laid out with the player's own strategy fastest,
/// then the others in player order, so that its payoffs from all of its strategies against one
/// profile of the others are adjacent: the layout of gnm's pass and of ipa's polymatrix columns.
pub(crate) struct OwnFirst {
    /// Player i's table.
    pub tables: Vec<Vec<f64>>,
    /// `strides[i][j]`: how far apart in i's table two strategies of player j adjacent in index
    /// are (1 for j = i).
    pub strides: Vec<Vec<usize>>,
}

impl OwnFirst {
    /// `game`'s tables in this layout (a division by a `scale` of 1 is exact).
    pub fn new(game: &StrategicGame, shift: f64, scale: f64) -> Self {
        let counts = game.strategy_counts();
        let n = counts.len();
        let strides: Vec<Vec<usize>> = (0..n)
            .map(|i| {
                // i first, then the others in order, each stride the product of the counts
                // before it
                let mut strides = vec![1; n];
                let mut stride = counts[i];
                for j in (0..n).filter(|&j| j != i) {
                    strides[j] = stride;
                    stride *= counts[j];
                }
                strides
            })
            .collect();
        // the game's order (player 1 fastest) is, per profile of the players after i, a slice
        // over the players before i (fastest) and i; i's strategy moves to the front of it
        let tables = (0..n)
            .map(|i| {
                let source = game.payoff_table_f64(i);
                let (before, m) = (counts[..i].iter().product::<usize>(), counts[i]);
                let mut table = Vec::with_capacity(source.len());
                for slice in source.chunks_exact(before * m) {
                    for a in 0..before {
                        for s in 0..m {
                            table.push((slice[a + before * s] - shift) / scale);
                        }
                    }
                }
                table
            })
            .collect();
        OwnFirst { tables, strides }
    }
}

/// `W_is` for every player and strategy, and `∂W_is/∂σ_kt` for every `t` in k's support (other
/// entries are left 0), at one profile.
#[derive(Default)]
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
        let OwnFirst { tables, strides } = OwnFirst::new(game, shift, scale);
        let other_strides: Vec<Vec<usize>> = others
            .iter()
            .zip(&strides)
            .map(|(others, strides)| others.iter().map(|&j| strides[j]).collect())
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
            scratch: RefCell::default(),
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
        let mut conditional = Conditional::default();
        self.at_into(support, probability, &mut conditional);
        conditional
    }

    /// [`Payoffs::at`], into the buffer of `into` (a path evaluates its cells many times, so
    /// it keeps the buffers).
    pub fn at_into(
        &self,
        support: &[Vec<usize>],
        probability: impl Fn(usize, usize) -> f64,
        into: &mut Conditional,
    ) {
        let values = &mut into.values;
        values.clear();
        values.resize(self.own_len + self.pairs_len, 0.0);
        let (own, pairs) = values.split_at_mut(self.own_len);
        let mut scratch = self.scratch.borrow_mut();
        let scratch = &mut *scratch;
        if scratch.support != support {
            self.plan(support, scratch);
        }
        scratch.probabilities.clear();
        for (j, support) in support.iter().enumerate() {
            scratch
                .probabilities
                .extend((0..support.len()).map(|l| probability(j, l)));
        }
        let Scratch {
            lists,
            probabilities,
            current,
            suffix,
            fixed,
            ..
        } = scratch;
        for (i, list) in lists.iter_mut().enumerate() {
            for entry in &mut list.entries {
                entry.probability = probabilities[entry.index];
            }
            let m = self.counts[i];
            let pass = Pass {
                table: &self.tables[i],
                list,
            };
            let own_i = &mut own[self.own_offsets[i]..][..m];
            // the strategy counts of the bench games, so the adds are unrolled
            match m {
                2 => pass.run::<2>(m, own_i, pairs, current, suffix, fixed),
                3 => pass.run::<3>(m, own_i, pairs, current, suffix, fixed),
                4 => pass.run::<4>(m, own_i, pairs, current, suffix, fixed),
                _ => pass.run::<0>(m, own_i, pairs, current, suffix, fixed),
            }
        }
    }

    /// Each player's list of the others' support strategies for the supports `support` (the
    /// path moves through a cell in many passes, so the lists are made once per cell).
    fn plan(&self, support: &[Vec<usize>], scratch: &mut Scratch) {
        let n = self.counts.len();
        let starts = &mut scratch.starts;
        starts.clear();
        starts.extend(support.iter().scan(0, |next, s| {
            let start = *next;
            *next += s.len();
            Some(start)
        }));
        // the supports copied into the buffers of the last ones
        scratch.support.resize_with(support.len(), Vec::new);
        for (kept, s) in scratch.support.iter_mut().zip(support) {
            kept.clone_from(s);
        }
        scratch.lists.resize_with(n, Default::default);
        for (i, list) in scratch.lists.iter_mut().enumerate() {
            let m = self.counts[i];
            list.entries.clear();
            list.first.clear();
            list.end.clear();
            for (&j, &stride) in self.others[i].iter().zip(&self.other_strides[i]) {
                list.first.push(list.entries.len());
                list.entries
                    .extend(support[j].iter().enumerate().map(|(l, &t)| Entry {
                        probability: 0.0,
                        index: starts[j] + l,
                        step: t * stride,
                        column: self.pair_offsets[i * n + j] + t * m,
                    }));
                list.end.push(list.entries.len());
            }
        }
    }
}

/// The buffers of [`Payoffs::at`], kept from one call to the next so that a pass allocates only
/// its result.
#[derive(Default)]
struct Scratch {
    /// The supports `lists` were made for.
    support: Vec<Vec<usize>>,
    /// Per player, the others' support strategies.
    lists: Vec<List>,
    /// Where each player's probabilities start in `probabilities`.
    starts: Vec<usize>,
    /// The probabilities of the support strategies, players in order.
    probabilities: Vec<f64>,
    /// The entry of each other's strategy in the current profile.
    current: Vec<usize>,
    /// `suffix[q]`: the product of the current profile's probabilities of the others from the
    /// q-th on (`suffix[k] = 1`).
    suffix: Vec<f64>,
    /// For the others after the first, at the current profile: where their derivatives start,
    /// their probability and the suffix after them.
    fixed: Vec<(usize, f64, f64)>,
}

/// Player i's others, in order, each with its support's entries from `first[q]` to `end[q]`.
#[derive(Default)]
struct List {
    entries: Vec<Entry>,
    first: Vec<usize>,
    end: Vec<usize>,
}

/// One strategy of another player's support, for the pass of player i.
#[derive(Clone, Copy)]
struct Entry {
    probability: f64,
    /// Where the probability is in [`Scratch::probabilities`].
    index: usize,
    /// How far its strategy moves in i's table.
    step: usize,
    /// Where `∂W_i·/∂σ_jt` start in the derivatives.
    column: usize,
}

/// Player i's pass over the profiles of the others' supports (the first other fastest).
struct Pass<'s> {
    table: &'s [f64],
    list: &'s List,
}

impl Pass<'_> {
    /// Add, at each profile r, `u_i(·, r)` times `Π_{j≠i} σ_j(r_j)` into `own` and times the
    /// leave-one-out product `Π_{j≠i,q} σ_j(r_j)` into each other q's derivatives. The products
    /// are those of the module docs, rounded alike: the full and leave-one-out products are
    /// the running product of the others in order (the prefix) times the product of the ones
    /// after q (the suffix, recomputed only for the others whose strategy changed). The first
    /// other's strategies are the inner loop, in which the later others' columns,
    /// probabilities and suffixes stay put (in `fixed`, where only the others that moved, and
    /// those before them, whose suffixes changed, are updated). `M` is the number of i's
    /// strategies when it is known at compile time, else 0.
    fn run<const M: usize>(
        &self,
        m: usize,
        own: &mut [f64],
        pairs: &mut [f64],
        current: &mut Vec<usize>,
        suffix: &mut Vec<f64>,
        fixed: &mut Vec<(usize, f64, f64)>,
    ) {
        let m = if M == 0 { m } else { M };
        let List {
            entries,
            first,
            end,
        } = self.list;
        let k = first.len();
        if k == 0 {
            add_scaled(&mut own[..m], 1.0, &self.table[..m]);
            return;
        }
        match k {
            2 => return self.run_two_others::<M>(m, own, pairs),
            3 => return self.run_three_others::<M>(m, own, pairs),
            4 => return self.run_four_others::<M>(m, own, pairs),
            _ => {}
        }
        current.clone_from(first);
        suffix.clear();
        suffix.resize(k + 1, 1.0);
        let mut base: usize = current[1..].iter().map(|&e| entries[e].step).sum();
        for q in (1..k).rev() {
            suffix[q] = suffix[q + 1] * entries[current[q]].probability;
        }
        let inner = &entries[first[0]..end[0]];
        let fix = |q: usize, current: &[usize], suffix: &[f64]| {
            let entry = entries[current[q]];
            (entry.column, entry.probability, suffix[q + 1])
        };
        fixed.clear();
        fixed.extend((1..k).map(|q| fix(q, current, suffix)));
        loop {
            let after_first = suffix[1];
            for entry in inner {
                let payoff = &self.table[base + entry.step..][..m];
                // the prefix before the first other is 1, and 1·x = x exactly
                add_scaled(&mut pairs[entry.column..][..m], after_first, payoff);
                let mut prefix = entry.probability;
                for &(column, probability, after) in fixed.iter() {
                    add_scaled(&mut pairs[column..][..m], prefix * after, payoff);
                    prefix *= probability;
                }
                add_scaled(&mut own[..m], prefix, payoff);
            }
            // the next profile of the others after the first
            let mut q = 1;
            loop {
                if q == k {
                    return;
                }
                let e = current[q];
                let next = if e + 1 < end[q] { e + 1 } else { first[q] };
                current[q] = next;
                base = base - entries[e].step + entries[next].step;
                if next != first[q] {
                    break;
                }
                q += 1;
            }
            for l in (1..=q).rev() {
                suffix[l] = suffix[l + 1] * entries[current[l]].probability;
            }
            // the others up to q moved, or the suffix after them changed
            for l in 1..=q {
                fixed[l - 1] = fix(l, current, suffix);
            }
        }
    }
}

impl Pass<'_> {
    /// [`Pass::run`] where i has two others (three players), as two plain loops, the second
    /// other's strategies outer: at profile (s, t) the weights are the ones the general pass
    /// forms, rounded alike — its suffix after the first other is `1·σ_t = σ_t`, the
    /// leave-one-out product for the second is `σ_s·1 = σ_s`, the full product `σ_s·σ_t` —
    /// added in the same order, so the sums are the same to the last bit.
    #[inline(never)]
    fn run_two_others<const M: usize>(&self, m: usize, own: &mut [f64], pairs: &mut [f64]) {
        let m = if M == 0 { m } else { M };
        let List {
            entries,
            first,
            end,
        } = self.list;
        let (inner, outer) = (&entries[first[0]..end[0]], &entries[first[1]..end[1]]);
        for second in outer {
            for entry in inner {
                let payoff = &self.table[second.step + entry.step..][..m];
                add_scaled(&mut pairs[entry.column..][..m], second.probability, payoff);
                add_scaled(&mut pairs[second.column..][..m], entry.probability, payoff);
                add_scaled(
                    &mut own[..m],
                    entry.probability * second.probability,
                    payoff,
                );
            }
        }
    }
}

impl Pass<'_> {
    /// [`Pass::run`] where i has three others (four players), as three plain loops, the last
    /// other's strategies outermost: at profile (s, t, u) the weights are the general pass's,
    /// rounded alike — the suffix after the first other `(1·σ_u)·σ_t`, the leave-one-out
    /// products `σ_s·(1·σ_u)` and `(σ_s·σ_t)·1`, the full product `(σ_s·σ_t)·σ_u` — added in
    /// the same order, so the sums are the same to the last bit.
    #[inline(never)]
    fn run_three_others<const M: usize>(&self, m: usize, own: &mut [f64], pairs: &mut [f64]) {
        let m = if M == 0 { m } else { M };
        let List {
            entries,
            first,
            end,
        } = self.list;
        let inner = &entries[first[0]..end[0]];
        for third in &entries[first[2]..end[2]] {
            for second in &entries[first[1]..end[1]] {
                let after_first = third.probability * second.probability;
                for entry in inner {
                    let payoff = &self.table[third.step + second.step + entry.step..][..m];
                    add_scaled(&mut pairs[entry.column..][..m], after_first, payoff);
                    add_scaled(
                        &mut pairs[second.column..][..m],
                        entry.probability * third.probability,
                        payoff,
                    );
                    let first_two = entry.probability * second.probability;
                    add_scaled(&mut pairs[third.column..][..m], first_two, payoff);
                    add_scaled(&mut own[..m], first_two * third.probability, payoff);
                }
            }
        }
    }
}

impl Pass<'_> {
    /// [`Pass::run`] where i has four others (five players), as four plain loops, the last
    /// other's strategies outermost: at profile (s, t, u, w) the weights are the general
    /// pass's, rounded alike — the suffixes `1·σ_w`, `σ_w·σ_u` and `(σ_w·σ_u)·σ_t`, the
    /// prefixes `σ_s`, `σ_s·σ_t`, `(σ_s·σ_t)·σ_u`, each leave-one-out product a prefix times a
    /// suffix — added in the same order, so the sums are the same to the last bit.
    #[inline(never)]
    fn run_four_others<const M: usize>(&self, m: usize, own: &mut [f64], pairs: &mut [f64]) {
        let m = if M == 0 { m } else { M };
        let List {
            entries,
            first,
            end,
        } = self.list;
        let inner = &entries[first[0]..end[0]];
        for fourth in &entries[first[3]..end[3]] {
            for third in &entries[first[2]..end[2]] {
                let after_second = fourth.probability * third.probability;
                for second in &entries[first[1]..end[1]] {
                    let after_first = after_second * second.probability;
                    let steps = fourth.step + third.step + second.step;
                    for entry in inner {
                        let payoff = &self.table[steps + entry.step..][..m];
                        add_scaled(&mut pairs[entry.column..][..m], after_first, payoff);
                        add_scaled(
                            &mut pairs[second.column..][..m],
                            entry.probability * after_second,
                            payoff,
                        );
                        let first_two = entry.probability * second.probability;
                        add_scaled(
                            &mut pairs[third.column..][..m],
                            first_two * fourth.probability,
                            payoff,
                        );
                        let first_three = first_two * third.probability;
                        add_scaled(&mut pairs[fourth.column..][..m], first_three, payoff);
                        add_scaled(&mut own[..m], first_three * fourth.probability, payoff);
                    }
                }
            }
        }
    }
}

/// `target += weight · values`, entry by entry.
pub(crate) fn add_scaled(target: &mut [f64], weight: f64, values: &[f64]) {
    for (x, v) in target.iter_mut().zip(values) {
        *x += weight * v;
    }
}

impl Conditional {
    /// `W_is`: player i's payoff from pure strategy s against the others' mixture.
    #[inline]
    pub fn own(&self, payoffs: &Payoffs, i: usize, s: usize) -> f64 {
        self.values[payoffs.own_offsets[i] + s]
    }

    /// `∂W_is/∂σ_kt` (k ≠ i, t in k's support): i's payoff from s against k's t and the
    /// others' mixture.
    #[cfg(test)]
    pub fn pair(&self, payoffs: &Payoffs, i: usize, s: usize, k: usize, t: usize) -> f64 {
        let n = payoffs.counts.len();
        self.values[payoffs.own_len + payoffs.pair_offsets[i * n + k] + t * payoffs.counts[i] + s]
    }

    /// Move the `W_is` (every player's, every strategy's) from the profile they were computed
    /// at by `−step(k, l)` on player k's `l`-th support strategy (supports `support`), to first
    /// order: `W_is −= Σ_{k≠i} Σ_l ∂W_is/∂σ_kt · step(k, l)` (t the l-th strategy of k's
    /// support). `W_is` is multilinear, so what this leaves out are products of two steps.
    pub fn step_own(
        &mut self,
        payoffs: &Payoffs,
        support: &[Vec<usize>],
        step: impl Fn(usize, usize) -> f64,
    ) {
        let n = payoffs.counts.len();
        let (own, pairs) = self.values.split_at_mut(payoffs.own_len);
        for i in 0..n {
            let m = payoffs.counts[i];
            let own_i = &mut own[payoffs.own_offsets[i]..][..m];
            for (k, other) in support.iter().enumerate().filter(|(k, _)| *k != i) {
                let table = &pairs[payoffs.pair_offsets[i * n + k]..];
                for (l, &t) in other.iter().enumerate() {
                    add_scaled(own_i, -step(k, l), &table[t * m..][..m]);
                }
            }
        }
    }

    /// [`Conditional::own`] for each of player i's strategies, in order.
    #[inline]
    pub fn own_all(&self, payoffs: &Payoffs, i: usize) -> &[f64] {
        &self.values[payoffs.own_offsets[i]..][..payoffs.counts[i]]
    }

    /// [`Conditional::pair`] for player i and another player k (k ≠ i): for each t of k's
    /// strategies (0 for those off its support), i's strategies s in order, `m_i` entries per
    /// t — so each t's slice is a column of the Jacobian.
    #[inline]
    pub fn pairs_with(&self, payoffs: &Payoffs, i: usize, k: usize) -> &[f64] {
        let n = payoffs.counts.len();
        let start = payoffs.own_len + payoffs.pair_offsets[i * n + k];
        &self.values[start..][..payoffs.counts[i] * payoffs.counts[k]]
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
