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
/// for [`Tables::columns`], with the index data and buffers it reuses, made once per solve.
pub struct Tables {
    /// Each player's payoffs `u − shift`, the player's own strategy fastest, then the others
    /// in order: a tensor over i's strategy and the others' ([`Tables::columns`]).
    tables: Vec<Vec<f64>>,
    counts: Vec<usize>,
    offsets: Vec<usize>,
    /// Each player's others in order (`N − 1` per player): its positions in the tensor.
    positions: Vec<Position>,
    /// The columns being computed in the current call (over all strategies, players in order).
    fresh: Vec<bool>,
    /// Whether each player has a column being computed.
    has_fresh: Vec<bool>,
    /// The profile's probabilities, 0 where not positive (over all strategies).
    weights: Vec<f64>,
    /// One player's products `W_q` (q < N − 1), one after the other: `W_q[b]` is the
    /// probability of the profile b of its first q others (the earlier positions fastest), the
    /// product in the positions' order (`W_0 = [1]`). Long enough for any player's.
    prefixes: Vec<f64>,
    /// The partial contractions `R_q`: the latest, and the one being computed (each long
    /// enough for any player's).
    contracted: Vec<f64>,
    next: Vec<f64>,
    /// The sums of the last pass ([`Tables::contract`]): block 0's, then one column of block
    /// 1's (long enough for any player's).
    sums: Vec<f64>,
    /// Each player's [`three`] for its shape, chosen once, when [`Tables::is_three`] (else
    /// empty): it reads [`Inputs`] alone (the other paths read `fresh`, `has_fresh` and
    /// `weights`).
    three: Vec<ThreePath>,
}

/// [`three`] for one shape: player i's rows of the wanted columns into `D` (column-major).
type ThreePath = fn(&[usize], &[f64], usize, &Inputs<'_>, &mut [f64]);

/// What [`Tables::columns`] was given, for a [`ThreePath`]: a column c is computed when
/// `wanted[c]` and not `done[c]`, `total` the number of strategies (the rows of `D`).
struct Inputs<'a> {
    profile: &'a [f64],
    wanted: &'a [bool],
    done: &'a [bool],
    total: usize,
}

/// `p` if it is positive, else 0: a probability as the sums weight it.
#[inline(always)]
fn positive(p: f64) -> f64 {
    if p > 0.0 {
        p
    } else {
        0.0
    }
}

/// Another player at a position q of player i's tensor.
#[derive(Clone, Copy)]
struct Position {
    player: usize,
    /// Its number of strategies.
    count: usize,
    /// Where its strategies start among all strategies.
    offset: usize,
    /// How far apart two of its strategies adjacent in index are in i's table (and in every
    /// partial contraction that keeps it): `m` times the number of profiles of positions
    /// `0..q`.
    stride: usize,
    /// Where `W_q` starts in [`Tables::prefixes`] (its length is `stride / m`).
    prefix: usize,
}

impl Tables {
    /// `game`'s payoffs minus `shift`.
    pub fn new(game: &StrategicGame, shift: f64) -> Self {
        let n = game.num_players();
        let counts = game.strategy_counts();
        let offsets = game.strategy_offsets();
        let mut positions = Vec::with_capacity(n * n.saturating_sub(1));
        let (mut prefixes, mut longest) = (0, 0);
        for (i, &m) in counts.iter().enumerate() {
            let (mut stride, mut prefix) = (m, 0);
            for j in (0..n).filter(|&j| j != i) {
                positions.push(Position {
                    player: j,
                    count: counts[j],
                    offset: offsets[j],
                    stride,
                    prefix,
                });
                prefix += stride / m;
                stride *= counts[j];
            }
            prefixes = prefixes.max(prefix);
            longest = longest.max(stride);
        }
        let total = counts.iter().sum();
        Tables {
            tables: OwnFirst::new(game, shift, 1.0).tables,
            positions,
            fresh: vec![false; total],
            has_fresh: vec![false; n],
            weights: vec![0.0; total],
            prefixes: vec![0.0; prefixes],
            contracted: vec![0.0; longest],
            next: vec![0.0; longest],
            sums: vec![0.0; longest + counts.iter().copied().max().unwrap_or(0)],
            three: Self::three_paths(&counts),
            counts,
            offsets,
        }
    }

    /// Each player's number of strategies.
    pub fn counts(&self) -> &[usize] {
        &self.counts
    }

    /// The columns `c` of `DG/(N−1)` at `profile` (over all strategies, players in order) with
    /// `wanted[c]` and not `done[c]` into `out`, and marks them done (the other columns are
    /// not written): the polymatrix approximation's payoff matrix, `DG_{is,jt}` being the
    /// payoff of (s, t) against `profile` of the rest (0 for j = i).
    ///
    /// Player i's table is a tensor `T[s, r_0, …, r_{K−1}]` over i's strategy s (fastest) and
    /// the strategies of its `K = N − 1` others (positions `0..K`, in player order), and the
    /// block `(i, j)`, j at position q, is `T` contracted with the others' probabilities over
    /// every position but q. The K contractions share their work: with `R_K = T` and `R_q`
    /// the contraction of `R_{q+1}` over its last position q (a weighted sum of adjacent
    /// slices), `R_{q+1}` is a tensor over s and positions `0..=q`, and block q is `R_{q+1}`
    /// contracted over positions `0..q`: for each wanted t, `Σ_b W_q[b] R_{q+1}[s, b, t]` over
    /// the profiles b of positions `0..q` in index order (`W_q[b]` their probability, the
    /// product in the positions' order), a weighted sum of adjacent rows of `m`; block 0 is
    /// `R_1` itself. Blocks 1 and 0 are made in one pass over the rows of `R_2` (`T` for three
    /// players), each row read once for both; three-player games of 2 to [`MAX_SMALL_THREE`]
    /// strategies each take [`three`] instead, which makes each wanted column of the two blocks
    /// on its own (the same sums in the same order) over arrays of a length known at compile
    /// time. With d strategies each and full supports that is `m (dᴷ + … + d²)`
    /// multiply-adds for the `R_q` and `m (dᴷ⁻¹ + … + d)` per wanted t of the other blocks,
    /// about `2 m dᴷ` for player i where the leave-one-out products at every profile cost
    /// `K m dᴷ`, in loops over adjacent entries. Terms of probability 0 are skipped: they would add exactly 0 (every payoff
    /// here is finite and at least 0), so the sums, in the same order, are the same to the
    /// last bit whether or not they are, and the cost falls with the supports. No
    /// probability is divided by, so probabilities of 0 are no special case.
    pub fn columns(
        &mut self,
        profile: &[f64],
        wanted: &[bool],
        done: &mut [bool],
        out: &mut DMatrix<f64>,
    ) {
        let total = out.nrows();
        let entries = out.as_mut_slice();
        if !self.three.is_empty() {
            let inputs = Inputs {
                profile: &profile[..total],
                wanted: &wanted[..total],
                done: &done[..total],
                total,
            };
            for (i, path) in self.three.iter().enumerate() {
                path(&self.offsets, &self.tables[i], i, &inputs, entries);
            }
            for (done, &wanted) in done.iter_mut().zip(wanted) {
                *done |= wanted;
            }
            return;
        }
        for ((fresh, &wanted), done) in self.fresh.iter_mut().zip(wanted).zip(done) {
            *fresh = wanted && !*done;
            *done |= *fresh;
        }
        for (j, has_fresh) in self.has_fresh.iter_mut().enumerate() {
            *has_fresh = self.fresh[self.offsets[j]..][..self.counts[j]].contains(&true);
        }
        for (weight, &p) in self.weights.iter_mut().zip(profile) {
            *weight = if p > 0.0 { p } else { 0.0 };
        }
        let n = self.counts.len();
        if self.counts.iter().all(|&m| m == 2) && (3..=5).contains(&n) {
            self.binary_shape(entries, total);
            return;
        }
        for i in 0..n {
            // the strategy counts of the bench games, so the sums are unrolled
            match self.counts[i] {
                2 => self.contract::<2>(i, entries, total),
                3 => self.contract::<3>(i, entries, total),
                4 => self.contract::<4>(i, entries, total),
                5 => self.contract::<5>(i, entries, total),
                6 => self.contract::<6>(i, entries, total),
                _ => self.contract::<0>(i, entries, total),
            }
        }
    }

    /// [`Tables::columns`]'s rows for every player when 3 to 5 players have two strategies
    /// each, on paths of their own ([`Tables::binary`]).
    #[inline(never)]
    fn binary_shape(&mut self, entries: &mut [f64], total: usize) {
        let n = self.counts.len();
        for i in 0..n {
            match n {
                3 => self.binary::<8>(i, entries, total),
                4 => self.binary::<16>(i, entries, total),
                _ => self.binary::<32>(i, entries, total),
            }
        }
    }

    /// Each player's [`three`] for its shape when [`Tables::is_three`], else none.
    fn three_paths(counts: &[usize]) -> Vec<ThreePath> {
        if !Self::is_three(counts) {
            return Vec::new();
        }
        (0..3)
            .map(|i| {
                let (first, second) = others_of_three(i);
                let shape = (counts[i], counts[first], counts[second]);
                three_player_shapes!(shape; [2, 3, 4, 5, 6])
                    .expect("every shape of `is_three` is in the list")
            })
            .collect()
    }

    /// Whether the game has three players of 2 to [`MAX_SMALL_THREE`] strategies each, not
    /// all two (those have [`Tables::binary`]): then every player's rows are computed by
    /// [`three`].
    fn is_three(counts: &[usize]) -> bool {
        counts.len() == 3
            && counts.iter().all(|m| (2..=MAX_SMALL_THREE).contains(m))
            && counts.iter().any(|&m| m > 2)
    }
}

impl Tables {
    /// Player i's rows of the wanted columns into `out` when every player has two strategies
    /// and i's table has `L = 2ᴺ` entries: the sums of [`Tables::contract`] in the same order
    /// (`R_q`, the products `W_q`, block q's `Σ_b W_q[b] R_{q+1}[s, b, t]` and the one pass
    /// for blocks 1 and 0), over arrays of a length known at compile time, every block
    /// computed and the wanted ones written. Terms of probability 0 are not skipped: each adds
    /// exactly 0 (see [`Tables::columns`]), so the sums are the same to the last bit, and the
    /// loops are short, unrolled and without branches, where the general path's set-up per
    /// position costs more than its arithmetic on tables this small.
    #[inline(never)]
    fn binary<const L: usize>(&mut self, i: usize, out: &mut [f64], total: usize) {
        let (fresh, weights) = (&self.fresh, &self.weights);
        // N − 1 others, known at compile time (so that the loops are unrolled)
        let k = L.trailing_zeros() as usize - 1;
        let (n, row) = (k + 1, 2 * i);
        for c in (row..row + 2).filter(|&c| fresh[c]) {
            // the diagonal block
            out[c * total + row..][..2].fill(0.0);
        }
        let others = || (0..n).filter(move |&j| j != i);
        if !others().any(|j| self.has_fresh[j]) {
            return;
        }
        // the others' probabilities, by position
        let mut p = [[0.0; 2]; 4];
        for (q, j) in others().enumerate() {
            p[q] = [weights[2 * j], weights[2 * j + 1]];
        }
        // W_q at 2^q − 1 (length 2^q), each from the last: W_{q+1}[b + 2^q r] = W_q[b] p_q[r]
        let mut w = [0.0; L];
        w[0] = 1.0;
        for q in 0..k - 1 {
            let (from, to) = ((1 << q) - 1, (2 << q) - 1);
            for (r, &probability) in p[q].iter().enumerate() {
                for b in 0..1 << q {
                    w[to + b + (r << q)] = w[from + b] * probability;
                }
            }
        }
        // sums[q][t][s]: block q's column t, row s, before the division by N − 1
        let mut sums = [[[0.0; 2]; 2]; 4];
        let mut x = [0.0; L];
        x.copy_from_slice(&self.tables[i]);
        for q in (2..k).rev() {
            // x is R_{q+1}, `x[s + 2b + half t]`
            let half = 2 << q;
            let prefix = &w[(1 << q) - 1..][..1 << q];
            for (t, sum) in sums[q].iter_mut().enumerate() {
                for (b, &weight) in prefix.iter().enumerate() {
                    for (s, sum) in sum.iter_mut().enumerate() {
                        *sum += weight * x[s + 2 * b + half * t];
                    }
                }
            }
            // R_q, in place
            let (low, high) = x.split_at_mut(half);
            for (r, &v) in low.iter_mut().zip(&high[..half]) {
                *r = p[q][0] * *r + p[q][1] * v;
            }
        }
        // blocks 1 and 0 from R_2, `x[s + 2 r_0 + 4 t]`
        let [block0, block1, ..] = &mut sums;
        for ((slab, &p1), column1) in x[..8].chunks_exact(4).zip(&p[1]).zip(block1) {
            for ((values, &p0), column0) in slab.chunks_exact(2).zip(&p[0]).zip(&mut *block0) {
                for ((v, sum1), sum0) in values.iter().zip(column1.iter_mut()).zip(column0) {
                    *sum1 += p0 * v;
                    *sum0 += p1 * v;
                }
            }
        }
        let pairs = k as f64;
        for (q, j) in others().enumerate() {
            for (t, sum) in sums[q].iter().enumerate() {
                let c = 2 * j + t;
                if fresh[c] {
                    for (d, s) in out[c * total + row..][..2].iter_mut().zip(sum) {
                        *d = s / pairs;
                    }
                }
            }
        }
    }

    /// Player i's rows of the wanted columns into `out` (`D`, column-major with `total`
    /// rows), as [`Tables::columns`] describes. `M` is i's number of strategies when it is
    /// known at compile time, else 0.
    fn contract<const M: usize>(&mut self, i: usize, out: &mut [f64], total: usize) {
        let Tables {
            tables,
            counts,
            offsets,
            positions,
            fresh,
            has_fresh,
            weights,
            prefixes,
            contracted,
            next,
            sums,
            ..
        } = self;
        let (n, row) = (counts.len(), offsets[i]);
        let m = if M == 0 { counts[i] } else { M };
        for c in (row..row + m).filter(|&c| fresh[c]) {
            // the diagonal block
            out[c * total + row..][..m].fill(0.0);
        }
        let positions = &positions[i * (n - 1)..][..n - 1];
        let Some(lowest) = positions.iter().position(|p| has_fresh[p.player]) else {
            return;
        };
        let wanted_at = |p: &Position| &fresh[p.offset..][..p.count];
        // where the rows of i in the column of p's first strategy start
        let start = |p: &Position| p.offset * total + row;
        if n == 2 {
            // `T` itself: the sum of the one profile of no other, `(0 + 1 · T) / 1`
            let slices = tables[i]
                .chunks_exact(m)
                .zip(out[start(&positions[0])..].chunks_mut(total));
            for ((slice, column), _) in slices.zip(wanted_at(&positions[0])).filter(|x| *x.1) {
                column[..m].copy_from_slice(slice);
            }
            return;
        }
        let highest = positions
            .iter()
            .rposition(|p| has_fresh[p.player])
            .unwrap_or(lowest);
        let weights_at = |p: &Position| &weights[p.offset..][..p.count];
        if highest >= 2 {
            // W_1 … W_highest, each from the last and the probabilities of the position
            // before
            prefixes[0] = 1.0;
            for pair in positions[..=highest].windows(2) {
                let (last, this) = prefixes.split_at_mut(pair[1].prefix);
                let last = &last[pair[0].prefix..];
                let this = this.chunks_exact_mut(last.len()).take(pair[0].count);
                for (slice, &p) in this.zip(weights_at(&pair[0])) {
                    for (w, &before) in slice.iter_mut().zip(last) {
                        *w = before * p;
                    }
                }
            }
        }
        let pairs = (n - 1) as f64;
        // R_{q+1} for q ≥ 2, from R_K = T, with block q
        let mut x: &[f64] = &tables[i];
        for q in (lowest.max(2)..n - 1).rev() {
            let position = &positions[q];
            let below = position.stride;
            if has_fresh[position.player] {
                let prefix = &prefixes[position.prefix..][..below / m];
                let slices = x
                    .chunks_exact(below)
                    .zip(out[start(position)..].chunks_mut(total));
                for ((slice, column), _) in slices.zip(wanted_at(position)).filter(|x| *x.1) {
                    let rows = slice.chunks_exact(m).zip(prefix);
                    weighted_sum::<M>(&mut column[..m], rows, pairs);
                }
            }
            if q == lowest {
                return;
            }
            // R_q: x's slices at each of q's strategies, weighted (the first one scaled: the
            // same as adding it to 0)
            let sum = &mut next[..below];
            let mut first = true;
            for (&p, slice) in weights_at(position).iter().zip(x.chunks_exact(below)) {
                if p > 0.0 {
                    if first {
                        for (r, v) in sum.iter_mut().zip(slice) {
                            *r = p * v;
                        }
                        first = false;
                    } else {
                        add_scaled(sum, p, slice);
                    }
                }
            }
            if first {
                sum.fill(0.0);
            }
            std::mem::swap(next, contracted);
            x = &contracted[..below];
        }
        // blocks 1 and 0 in one pass over R_2 (T for three players), a slab of rows
        // `R_2[·, r_0, t]` for each strategy t of position 1: block 1's column t is the slab's
        // rows weighted by position 0's probabilities (`W_1`), and block 0's column r_0 the
        // sum over the slabs of row r_0 weighted by position 1's (`R_1`), each sum in the
        // order of the chain's
        let (first, second) = (&positions[0], &positions[1]);
        let first_wanted = has_fresh[first.player];
        let (p0, wanted1) = (weights_at(first), wanted_at(second));
        let (by_first, by_second) = sums.split_at_mut(m * first.count);
        by_first.fill(0.0);
        let mut local = [0.0; M];
        let slabs = x.chunks_exact(second.stride).zip(weights_at(second));
        for (((slab, &p1), &fresh), column) in slabs
            .zip(wanted1)
            .zip(out[start(second)..].chunks_mut(total))
        {
            let add_first = first_wanted && p1 > 0.0;
            if !(fresh || add_first) {
                continue;
            }
            let sum: &mut [f64] = if M == 0 {
                &mut by_second[..m]
            } else {
                &mut local
            };
            sum.fill(0.0);
            let rows = slab
                .chunks_exact(m)
                .zip(p0)
                .zip(by_first.chunks_exact_mut(m));
            for ((values, &p0), first_sum) in rows {
                if fresh && p0 > 0.0 {
                    add_scaled(sum, p0, values);
                }
                if add_first {
                    add_scaled(first_sum, p1, values);
                }
            }
            if fresh {
                for (d, s) in column[..m].iter_mut().zip(sum.iter()) {
                    *d = s / pairs;
                }
            }
        }
        if first_wanted {
            let sums = by_first
                .chunks_exact(m)
                .zip(out[start(first)..].chunks_mut(total));
            for ((sum, column), _) in sums.zip(wanted_at(first)).filter(|x| *x.1) {
                for (d, s) in column[..m].iter_mut().zip(sum) {
                    *d = s / pairs;
                }
            }
        }
    }
}

/// Player i's rows of the wanted columns into `out` for three players (`offsets`: where
/// each player's strategies start; `table`: i's, see [`Tables`]), i with `M` strategies
/// and its others with `A` and `B` (each 2 to [`MAX_SMALL_THREE`]): the sums of
/// [`Tables::contract`] for blocks 1 and 0, in the same order, over arrays of a length
/// known at compile time, for the wanted columns alone. Terms of probability 0 are not
/// skipped: each adds exactly 0 (see [`Tables::columns`]), so the sums are the same to
/// the last bit, and the loops are unrolled and without branches.
#[inline(never)]
fn three<const M: usize, const A: usize, const B: usize>(
    offsets: &[usize],
    table: &[f64],
    i: usize,
    inputs: &Inputs,
    out: &mut [f64],
) {
    let Inputs {
        profile,
        wanted,
        done,
        total,
    } = *inputs;
    let fresh = |c: usize| wanted[c] && !done[c];
    let row = offsets[i];
    for c in (row..row + M).filter(|&c| fresh(c)) {
        // the diagonal block
        out[c * total + row..][..M].fill(0.0);
    }
    let (first, second) = others_of_three(i);
    let p0: [f64; A] = std::array::from_fn(|r| positive(profile[offsets[first] + r]));
    let p1: [f64; B] = std::array::from_fn(|t| positive(profile[offsets[second] + t]));
    // `T[s, r_0, t]` at `s + M r_0 + M A t`
    let table = &table[..M * A * B];
    let mut write = |c: usize, sum: [f64; M]| {
        for (d, s) in out[c * total + row..][..M].iter_mut().zip(sum) {
            *d = s / 2.0;
        }
    };
    // block 1's column t: rows `T[·, r_0, t]` weighted by p0
    for t in 0..B {
        let c = offsets[second] + t;
        if fresh(c) {
            write(c, weighted_rows(table, &p0, |r| M * (r + A * t)));
        }
    }
    // block 0's column r: rows `T[·, r, t]` weighted by p1
    for r in 0..A {
        let c = offsets[first] + r;
        if fresh(c) {
            write(c, weighted_rows(table, &p1, |t| M * (r + A * t)));
        }
    }
}

/// `Σ_k weights[k] · table[at(k)..][..M]`, added in k's order from 0: one column of a block
/// of [`three`] (the rows of the table's slab at `at(k)`, weighted by the other player's
/// probabilities).
#[inline(always)]
fn weighted_rows<const M: usize>(
    table: &[f64],
    weights: &[f64],
    at: impl Fn(usize) -> usize,
) -> [f64; M] {
    let mut sum = [0.0; M];
    for (k, &w) in weights.iter().enumerate() {
        for (s, &v) in sum.iter_mut().zip(&table[at(k)..][..M]) {
            *s += w * v;
        }
    }
    sum
}

/// The most strategies of a player of a three-player game whose columns are computed over
/// arrays of a length known at compile time ([`Tables::three`], one instance for each shape
/// with 2 to this many strategies per player: 125).
const MAX_SMALL_THREE: usize = 6;

/// [`Tables::three`] for the shape `(M, A, B)` as constants, for every shape whose counts
/// are in the list; `None` for any other shape.
macro_rules! three_player_shapes {
    ($s:expr; $list:tt) => {
        three_player_shapes!(@m $s; $list; $list)
    };
    (@m $s:expr; [$($m:literal),+]; $list:tt) => {
        match $s.0 {
            $($m => three_player_shapes!(@a $s, $m; $list; $list),)+
            _ => None,
        }
    };
    (@a $s:expr, $m:literal; [$($a:literal),+]; $list:tt) => {
        match $s.1 {
            $($a => three_player_shapes!(@b $s, $m, $a; $list),)+
            _ => None,
        }
    };
    (@b $s:expr, $m:literal, $a:literal; [$($b:literal),+]) => {
        match $s.2 {
            $($b => Some(three::<$m, $a, $b> as ThreePath),)+
            _ => None,
        }
    };
}
use three_player_shapes;

/// Player i's others when there are three players, in order.
fn others_of_three(i: usize) -> (usize, usize) {
    match i {
        0 => (1, 2),
        1 => (0, 2),
        _ => (0, 1),
    }
}

/// `column = Σ weight · row / (N − 1)` over the `terms` (row, weight) of positive weight, in
/// order (from 0). `M` is the column's length when it is known at compile time (so that the
/// sum is unrolled, in registers), else 0.
#[inline(always)]
fn weighted_sum<'a, const M: usize>(
    column: &mut [f64],
    terms: impl Iterator<Item = (&'a [f64], &'a f64)>,
    pairs: f64,
) {
    if M == 0 {
        column.fill(0.0);
        for (row, &weight) in terms {
            if weight > 0.0 {
                add_scaled(column, weight, row);
            }
        }
        column.iter_mut().for_each(|d| *d /= pairs);
    } else {
        let mut sum = [0.0; M];
        for (row, &weight) in terms {
            if weight > 0.0 {
                add_scaled(&mut sum, weight, &row[..M]);
            }
        }
        for (d, s) in column.iter_mut().zip(sum) {
            *d = s / pairs;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::{random_game, SplitMix64};
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

    /// A uniform draw from [0, 1).
    fn uniform(rng: &mut SplitMix64) -> f64 {
        (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `D` by a direct sum over every pure profile r of the game:
    /// `D_{is,jt} = Σ_{r: r_i = s, r_j = t} (u_i(r) − shift) Π_{k≠i,j} p_k(r_k) / (N − 1)`.
    fn brute_force(game: &StrategicGame, shift: f64, probs: &[Vec<f64>]) -> DMatrix<f64> {
        let counts = game.strategy_counts();
        let offsets = game.strategy_offsets();
        let n = counts.len();
        let total = counts.iter().sum();
        let mut d = DMatrix::zeros(total, total);
        for index in 0..game.num_profiles() {
            // the pure profile, player 1 fastest as in the game's tables
            let mut rest = index;
            let r: Vec<usize> = counts
                .iter()
                .map(|&count| {
                    let strategy = rest % count;
                    rest /= count;
                    strategy
                })
                .collect();
            for i in 0..n {
                let payoff = game.payoff_table_f64(i)[index] - shift;
                for j in (0..n).filter(|&j| j != i) {
                    let weight: f64 = (0..n)
                        .filter(|&k| k != i && k != j)
                        .map(|k| probs[k][r[k]])
                        .product();
                    d[(offsets[i] + r[i], offsets[j] + r[j])] += payoff * weight;
                }
            }
        }
        d / (n - 1) as f64
    }

    /// Against [`brute_force`] on random games of the bench's shapes, of every three-player
    /// shape of 2 to [`MAX_SMALL_THREE`] + 1 strategies per player, then of 2 to 5 players
    /// with 1 to 7 strategies each (every count with its own unrolled sum, and the general
    /// one), at random profiles where about a third of the strategies have probability 0,
    /// with random wanted and done columns: the first call writes the wanted columns not done
    /// (within `1e-12` relative), marks them done and touches no other column (they stay NaN);
    /// a second call with every column wanted, as before Lemke's algorithm, writes the rest.
    #[test]
    fn columns_agree_with_a_sum_over_all_profiles() {
        let mut shapes: Vec<Vec<usize>> = vec![
            vec![2, 2, 2, 2, 2],
            vec![2, 2, 2, 2],
            vec![2, 2, 2],
            vec![6, 6, 6],
            vec![4, 4, 4, 4],
            vec![2, 2],
        ];
        // every three-player shape with a path of its own (`Tables::three`), and one past it
        let small = 2..=MAX_SMALL_THREE + 1;
        for a in small.clone() {
            for b in small.clone() {
                shapes.extend(small.clone().map(|c| vec![a, b, c]));
            }
        }
        let mut rng = SplitMix64(20_261_207);
        for case in 0..shapes.len() + 52 {
            let counts: Vec<usize> = match shapes.get(case) {
                Some(shape) => shape.clone(),
                None => (0..2 + case % 4)
                    .map(|_| 1 + rng.next_u64() as usize % 7)
                    .collect(),
            };
            let game = random_game(&counts, 100, rng.next_u64()).unwrap();
            let shift = uniform(&mut rng) * 10.0 - 5.0;
            let probs: Vec<Vec<f64>> = counts
                .iter()
                .map(|&count| {
                    let mut p: Vec<f64> = (0..count)
                        .map(|_| {
                            let x = uniform(&mut rng);
                            if x < 0.35 {
                                0.0
                            } else {
                                x
                            }
                        })
                        .collect();
                    if p.iter().all(|&x| x <= 0.0) {
                        p[rng.next_u64() as usize % count] = 1.0;
                    }
                    let sum: f64 = p.iter().sum();
                    p.iter().map(|x| x / sum).collect()
                })
                .collect();
            let expected = brute_force(&game, shift, &probs);
            let total: usize = counts.iter().sum();
            let wanted: Vec<bool> = (0..total).map(|_| uniform(&mut rng) < 0.6).collect();
            let before: Vec<bool> = (0..total).map(|_| uniform(&mut rng) < 0.3).collect();
            let mut done = before.clone();
            let mut tables = Tables::new(&game, shift);
            let mut d = DMatrix::from_element(total, total, f64::NAN);
            let close =
                |got: f64, expected: f64| (got - expected).abs() <= 1e-12 * expected.abs().max(1.0);
            tables.columns(&probs.concat(), &wanted, &mut done, &mut d);
            for c in 0..total {
                let fresh = wanted[c] && !before[c];
                assert_eq!(done[c], before[c] || fresh, "case {case} column {c}");
                for r in 0..total {
                    let (got, expected) = (d[(r, c)], expected[(r, c)]);
                    if fresh {
                        assert!(
                            close(got, expected),
                            "case {case} {counts:?} D[{r}][{c}]: {got} against {expected}"
                        );
                    } else {
                        assert!(got.is_nan(), "case {case} {counts:?}: D[{r}][{c}] written");
                    }
                }
            }
            done.fill(false);
            let mut d = DMatrix::from_element(total, total, f64::NAN);
            tables.columns(&probs.concat(), &wanted, &mut done, &mut d);
            tables.columns(&probs.concat(), &vec![true; total], &mut done, &mut d);
            assert!(done.iter().all(|&d| d));
            for (got, expected) in d.iter().zip(expected.iter()) {
                assert!(
                    close(*got, *expected),
                    "case {case} {counts:?}: {got} against {expected}"
                );
            }
        }
    }
}
