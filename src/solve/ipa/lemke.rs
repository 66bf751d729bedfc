//! Lemke's algorithm on a polymatrix game's linear complementarity problem, from the
//! perturbation's best replies (Howson 1972; Govindan & Wilson 2004, §3, GameTracer's
//! `LemkeHowson`): the first equilibrium on the path of equilibria of the polymatrix game
//! perturbed by `λ·g`, followed from large λ down to λ = 0.
//!
//! The problem. Player n's pure strategy i earns `(D s)_i + λ g_i` against the others' mixtures
//! `s`, `D` being the polymatrix payoff matrix ([`super::polymatrix`]). With `v_n` player n's
//! best value (free) and `w_i ≥ 0` the shortfall of strategy i,
//!
//! ```text
//!   w_i + (D s)_i − v_n + g_i λ = 0      (i a strategy of player n),   s_i w_i = 0,
//!   u_n − Σ_{i of n} s_i = −1            (u_n ≡ 0: an artificial slack that never enters),
//! ```
//!
//! with `s, w, λ ≥ 0`. For λ large the pure profile of the best replies `b_n` of `g` solves it
//! (the basis `s_b, v, w_{i≠b}`); λ enters at the least value keeping every `w ≥ 0`, the `w_i`
//! that reaches 0 leaves, and then the complement of each leaving variable enters (`s_i` for
//! `w_i`, `w_i` for `s_i`) until λ leaves at 0: an equilibrium of the polymatrix game. If the
//! best-reply profile already solves it at λ = 0 it is the answer, as in GameTracer.
//!
//! Degeneracy (ties in the ratio test, common in games with integer payoffs) decides which
//! equilibrium the path reaches. GameTracer takes the first tied row, and so does the path
//! here first, so that on degenerate games (most two-player corpus games) it reaches
//! GameTracer's equilibrium. That rule can cycle; a repeated basis (seen by hashing each basis)
//! makes the path start again under the lexicographic rule (Dantzig, Orden & Wolfe 1955; for
//! Lemke's method von Stengel 2002 §3.7): tied rows are compared by their rows of `B⁻¹`
//! divided by the pivot column. The columns of `w` and `u` in the full tableau are `B⁻¹`, since
//! they are the unit columns of the starting system. Rows of `B⁻¹` are linearly independent,
//! so the least row is unique and no basis repeats: that path cannot cycle. On nondegenerate
//! problems both rules take the same pivots. The free `v` never leave (their rows are not in
//! the ratio test).
//!
//! The tableau is condensed (Tucker's tableau): it keeps the columns of the nonbasic variables
//! alone, `M + N + 1` of them and the right-hand side, row by row, since a basic variable's
//! column is a unit column. A pivot puts the leaving variable's column where the entering
//! one's was; each entry is computed by the same operations as in the full tableau (`t_rc −
//! t_r,col · (t_row,c / p)`, the leaving column `0 − t_r,col · (1 / p)`), so the path and its
//! answer are those of the full tableau to the last bit (but the sign of a zero), at half its
//! width. A row of `B⁻¹` is read from the columns of the nonbasic `w`, `u` (a basic one's is a
//! unit column). Rows and columns that are never read again are not updated ([`Lemke`]); the
//! pivot's arithmetic is [`super::pivot_kernel`]'s (with AVX where the processor has it). The
//! tableau (dense: `D` has no zeros outside its diagonal blocks) and its bookkeeping are
//! allocated once per run of the outer iteration.
//!
//! The work around the pivots is kept small (a path of Lemke's algorithm on a 6×6×6 game is
//! some twenty pivots of a 21-row tableau, and GameTracer's outer iteration runs dozens of
//! paths), always by the same operations on the same entries, so the path is unchanged to the
//! last bit: the ratio test reads each row's entry in the entering column once, two rows a
//! step, with the direction's test compiled into the loop; the start writes each entry of the
//! tableau once, `D` two columns at a time; the start's pivots on the sum rows subtract over
//! the contiguous block of columns the player's strategies start in; the variables' hashes
//! are a table; and the visited bases are looked up in a small hash set
//! ([`super::visited`]) instead of a list.

use super::pivot_kernel;
use super::visited::Visited;
use crate::error::{Error, Result};
use crate::limits;
use crate::num::tol;
use crate::solve::deadline::Deadline;
use nalgebra::DMatrix;

/// How ties in the ratio test are broken.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// The first tied row, GameTracer's rule: its paths, so its answers on degenerate games.
    FirstRow,
    /// The lexicographic rule: cannot cycle.
    Lexicographic,
}

/// The variables' numbers: `s` (`0..m`), `v` (`m..m+n`), λ, `w` (`m+n+1..2m+n+1`), `u`
/// (`2m+n+1..2m+2n+1`); the first `m + n + 1` (`s`, `v`, λ) are the starting nonbasic ones,
/// `w`, `u` the starting basic ones (`B⁻¹`'s columns in the full tableau).
struct Layout {
    strategies: usize,
    players: usize,
}

impl Layout {
    fn v(&self, player: usize) -> usize {
        self.strategies + player
    }
    fn lambda(&self) -> usize {
        self.strategies + self.players
    }
    fn w(&self, strategy: usize) -> usize {
        self.lambda() + 1 + strategy
    }
    /// The first variable of `B⁻¹` (`w`, then `u`).
    fn inverse(&self) -> usize {
        self.w(0)
    }
    fn rows(&self) -> usize {
        self.strategies + self.players
    }
    /// The nonbasic variables' number: the tableau's columns besides the right-hand side.
    fn nonbasic(&self) -> usize {
        self.rows() + 1
    }
    fn variables(&self) -> usize {
        self.inverse() + self.rows()
    }
    #[cfg(test)]
    fn is_free(&self, var: usize) -> bool {
        (self.v(0)..self.lambda()).contains(&var)
    }
    /// The complement of `s_i` or `w_i`.
    fn complement(&self, var: usize) -> usize {
        if var < self.strategies {
            self.w(var)
        } else {
            var - self.w(0)
        }
    }
}

/// Marks a variable that has no row (nonbasic) or no column (basic).
const NONE: usize = usize::MAX;

/// Lemke's algorithm on the polymatrix approximations of one game: the condensed tableau
/// `basic_r + Σ_c T[r, c] · nonbasic_c = T[r, rhs]` (row-major) and its bookkeeping,
/// allocated once and reused by every [`Lemke::solve`].
///
/// Its columns start as the `s` that are no best reply, the `v`, λ, the right-hand side, then
/// the best replies' `s`; its rows as the `w` of the strategies that are no best reply, the
/// `u`, then the best replies' `w`. After the `2N` pivots of the start the last `N` rows hold
/// the free `v`, which never leave and whose values are not needed, and the last `N` columns
/// the `u`, which never enter and are read only by the lexicographic rule: pivots then update
/// the first `M` rows alone and, under [`Rule::FirstRow`], the first `M + 2` columns. The
/// rows' order is the full tableau's with the rows of `v` moved last, so "the first tied row"
/// is the same row.
pub struct Lemke {
    layout: Layout,
    counts: Vec<usize>,
    t: Vec<f64>,
    /// The tableau's row length: `M + N + 1` nonbasic columns and the right-hand side.
    width: usize,
    /// The right-hand side's column.
    rhs: usize,
    /// The rows a pivot updates.
    rows: usize,
    /// The columns a pivot updates.
    columns: usize,
    /// The basic variable of each row.
    basic: Vec<usize>,
    /// Each variable's row, or [`NONE`] when nonbasic.
    row: Vec<usize>,
    /// Each variable's column, or [`NONE`] when basic.
    column: Vec<usize>,
    /// The rows [`Lemke::select`] chooses from.
    candidates: Vec<usize>,
    /// Their ratios in [`Lemke::select`].
    ratios: Vec<f64>,
    /// The hashes of the bases the path has visited.
    seen: Visited,
    /// Each variable's hash ([`mix`] of its number), a basis's being their XOR; made when a
    /// path first pivots past its start (many runs have no such path).
    hashes: Vec<u64>,
    /// Where the row of each `w_i` starts in the tableau, at the start.
    offsets: Vec<usize>,
}

impl Lemke {
    /// The buffers for a game with these strategy counts.
    pub fn new(counts: &[usize]) -> Self {
        let layout = Layout {
            strategies: counts.iter().sum(),
            players: counts.len(),
        };
        let rows = layout.rows();
        let width = layout.nonbasic() + 1;
        Lemke {
            t: vec![0.0; rows * width],
            width,
            rhs: layout.strategies + 1,
            rows,
            columns: width,
            basic: vec![0; rows],
            row: vec![NONE; layout.variables()],
            column: vec![NONE; layout.variables()],
            candidates: vec![0; rows],
            ratios: vec![0.0; rows],
            seen: Visited::new(),
            hashes: Vec::new(),
            offsets: vec![0; layout.strategies],
            counts: counts.to_vec(),
            layout,
        }
    }

    /// The polymatrix game's equilibrium that Lemke's path from the best replies `best` of `g`
    /// reaches, into `s` (one probability vector over all strategies, players in order). `d`:
    /// the polymatrix payoff matrix; `g`: the perturbation over all strategies. An error on a
    /// ray (no equilibrium reached: impossible in exact arithmetic, so a sign of rounding),
    /// after [`limits::MAX_PIVOTS`] pivots, or when the deadline passes.
    pub fn solve(
        &mut self,
        d: &DMatrix<f64>,
        g: &[f64],
        best: &[usize],
        deadline: &Deadline,
        s: &mut [f64],
    ) -> Result<()> {
        if !self.follow(d, g, best, Rule::FirstRow, deadline)?
            && !self.follow(d, g, best, Rule::Lexicographic, deadline)?
        {
            return Err(Error::Solver(
                "ipa: Lemke's lexicographic path repeated a basis (rounding)".into(),
            ));
        }
        self.solution(s);
        Ok(())
    }

    /// The basic solution's strategy probabilities into `s`.
    fn solution(&self, s: &mut [f64]) {
        for (i, x) in s.iter_mut().enumerate() {
            let r = self.row[i];
            *x = if r == NONE {
                0.0
            } else {
                self.t[r * self.width + self.rhs].max(0.0)
            };
        }
    }

    /// The starting system with the slacks `w`, `u` basic, in the order of [`Lemke`]'s rows
    /// and columns: each variable's row or column, then every entry of the tableau written
    /// once (`D`'s entries column by column, as `d` stores them).
    fn reset(&mut self, d: &DMatrix<f64>, g: &[f64], best: &[usize]) {
        let layout = &self.layout;
        let (m, n, width, rhs) = (layout.strategies, layout.players, self.width, self.rhs);
        // the `s`, `v`, λ are nonbasic, the `w`, `u` basic
        self.row[..layout.inverse()].fill(NONE);
        self.column[layout.inverse()..].fill(NONE);
        let (mut next, mut first) = (0, 0);
        for (player, (&count, &b)) in self.counts.iter().zip(best).enumerate() {
            for i in first..first + count {
                let (row, column) = if i == first + b {
                    (m + player, m + 2 + player)
                } else {
                    next += 1;
                    (next - 1, next - 1)
                };
                (self.row[layout.w(i)], self.column[i]) = (row, column);
                self.basic[row] = layout.w(i);
                self.offsets[i] = row * width;
            }
            first += count;
            self.column[layout.v(player)] = m - n + player;
            let sum = layout.inverse() + m + player;
            self.row[sum] = m - n + player;
            self.basic[m - n + player] = sum;
        }
        self.column[layout.lambda()] = m;
        let t = &mut self.t[..self.layout.rows() * width];
        // D's column j is the column of s_j: its entry i in the row of w_i (two columns a
        // step, which share the rows' offsets)
        let (sources, columns) = (d.as_slice(), &self.column[..m]);
        let mut pairs = sources.chunks_exact(2 * m).zip(columns.chunks_exact(2));
        for (two, c) in &mut pairs {
            let (first, second) = two.split_at(m);
            let (c, e) = (c[0], c[1]);
            assert!(c < width && e < width);
            for ((&x, &y), &offset) in first.iter().zip(second).zip(&self.offsets) {
                t[offset + c] = x;
                t[offset + e] = y;
            }
        }
        if m % 2 == 1 {
            let c = columns[m - 1];
            for (&x, &offset) in sources[(m - 1) * m..].iter().zip(&self.offsets) {
                t[offset + c] = x;
            }
        }
        let mut first = 0;
        for (player, &count) in self.counts.iter().enumerate() {
            for i in first..first + count {
                let row = &mut t[self.offsets[i]..][..width];
                // the `v` (−1 in the player's own), λ and the right-hand side
                for (q, x) in row[m - n..m].iter_mut().enumerate() {
                    *x = if q == player { -1.0 } else { 0.0 };
                }
                row[m] = g[i];
                row[rhs] = 0.0;
            }
            let sum_row = &mut t[self.row[self.layout.inverse() + m + player] * width..][..width];
            sum_row.fill(0.0);
            for i in first..first + count {
                sum_row[self.column[i]] = -1.0;
            }
            sum_row[rhs] = -1.0;
            first += count;
        }
        (self.rows, self.columns) = (self.layout.rows(), width);
    }

    /// Exchange the basic variable of `row` for the nonbasic `var`: the pivot row divided by
    /// the pivot `p`, every other row `r` minus `T[r, col]` times it, and the leaving
    /// variable's column (a unit column before) in `var`'s place; over the rows and columns
    /// that are kept up to date.
    // out of line, so that profiles and benches/peers/work.py count the pivots
    #[inline(never)]
    fn pivot(&mut self, row: usize, var: usize) {
        let col = self.column[var];
        pivot_kernel::pivot(
            &mut self.t[..self.rows * self.width],
            self.width,
            self.columns,
            row,
            col,
        );
        self.exchange(row, var, col);
    }

    /// The start's pivot on player n's sum row (`u_n`, untouched by the pivots before it: −1
    /// in n's columns of `s` and in the right-hand side, 0 elsewhere), `s_b` entering: the
    /// operations of [`Lemke::pivot`] on the entries they change, written out for a pivot of
    /// −1 (the row divided by it is 1 where it was −1, `f · 1` is `f`, and `x − f · 0` is `x`
    /// (but the sign of a zero), so the other columns are left as they are). Player n's other
    /// strategies are still in the columns [`Lemke::reset`] gave them, one block
    /// ([`Lemke::others`]), so each row's part is a subtraction over a slice.
    // out of line (N calls per path), so that profiles count its pivots with `pivot`'s
    #[inline(never)]
    fn pivot_sum_row(&mut self, player: usize, first: usize, b: usize) {
        let (width, rhs) = (self.width, self.rhs);
        let sum_row = self.row[self.layout.inverse() + self.layout.strategies + player];
        let col = self.column[first + b];
        let others = self.others(player, first);
        debug_assert!((first..first + self.counts[player])
            .filter(|&i| i != first + b)
            .all(|i| others.contains(&self.column[i])));
        debug_assert_eq!(self.t[sum_row * width + col], -1.0);
        assert!(col < width && rhs < width && others.end <= width);
        // every row, the pivot row too: its entries the loop changes are written after it
        for row in self.t[..self.rows * width].chunks_exact_mut(width) {
            let factor = row[col];
            if factor != 0.0 {
                for x in &mut row[others.clone()] {
                    *x -= factor;
                }
                row[rhs] -= factor;
                // 0 − f · (1 / −1)
                row[col] = factor;
            } else {
                row[col] = 0.0;
            }
        }
        let pivot_row = &mut self.t[sum_row * width..][..width];
        pivot_row[others].fill(1.0);
        pivot_row[rhs] = 1.0;
        pivot_row[col] = -1.0;
        self.exchange(sum_row, first + b, col);
    }

    /// The columns [`Lemke::reset`] gives the strategies of `player` (whose first strategy is
    /// `first`) but its best reply: one block, after the `first − player` columns of the
    /// earlier players' strategies that are no best reply.
    fn others(&self, player: usize, first: usize) -> std::ops::Range<usize> {
        let start = first - player;
        start..start + self.counts[player] - 1
    }

    /// A pivot's bookkeeping: `var` becomes the basic variable of `row`, and the variable that
    /// leaves it takes `var`'s column `col` of the condensed tableau.
    fn exchange(&mut self, row: usize, var: usize, col: usize) {
        let leaving = std::mem::replace(&mut self.basic[row], var);
        // (`column` cut to `row`'s length, so that one bounds check serves both)
        let rows = &mut self.row[..];
        let columns = &mut self.column[..rows.len()];
        (rows[var], columns[var]) = (row, NONE);
        (rows[leaving], columns[leaving]) = (NONE, col);
    }

    /// Row `r`'s lexicographic key `k` over its entry in column `col`: the right-hand side,
    /// then the row of `B⁻¹`.
    fn key(&self, r: usize, k: usize, col: usize) -> f64 {
        let row = &self.t[r * self.width..][..self.width];
        let entry = if k == 0 {
            row[self.rhs]
        } else {
            let var = self.layout.inverse() + k - 1;
            match self.column[var] {
                NONE if self.row[var] == r => 1.0,
                NONE => 0.0,
                c => row[c],
            }
        };
        entry / row[col]
    }

    /// The ratio test's first pass over column `col`: the rows whose entry `a` moves their
    /// basic variable the asked way (`a > tol` when `FALLING`, `a < −tol` else) into
    /// `candidates`, their ratios `±T[r, rhs] / a` (negated unless `FALLING`) into `ratios`,
    /// and the number of them with the least ratio. A pass of its own for each direction, so
    /// that the direction's test and sign are constants in the loop; the least is kept by `<`,
    /// which is `f64::min` here (the least starts at +∞ and a NaN ratio is passed over by both).
    fn ratios<const FALLING: bool>(&mut self, col: usize) -> (usize, f64) {
        let (width, rhs) = (self.width, self.rhs);
        let t = &self.t[..self.rows * width];
        assert!(col < width && rhs < width);
        // (only the first M rows, where no free `v` is basic: they are in the last N rows)
        debug_assert_eq!(self.rows, self.layout.strategies);
        let (candidates, ratios) = (
            &mut self.candidates[..self.rows],
            &mut self.ratios[..self.rows],
        );
        let (mut found, mut least) = (0, f64::INFINITY);
        let mut visit = |r: usize, row: &[f64]| {
            let a = row[col];
            let moves = if FALLING {
                a > tol::PIVOT_F64
            } else {
                a < -tol::PIVOT_F64
            };
            if moves {
                let ratio = row[rhs] / a;
                let ratio = if FALLING { ratio } else { -ratio };
                if ratio < least {
                    least = ratio;
                }
                candidates[found] = r;
                ratios[found] = ratio;
                found += 1;
            }
        };
        // two rows a step (in order), to halve the loop's own instructions
        let mut pairs = t.chunks_exact(2 * width);
        for (k, pair) in (&mut pairs).enumerate() {
            let (first, second) = pair.split_at(width);
            visit(2 * k, first);
            visit(2 * k + 1, second);
        }
        let last = pairs.remainder();
        if !last.is_empty() {
            visit(t.len() / width - 1, last);
        }
        (found, least)
    }

    /// Among the rows whose basic variable is sign-constrained and falls as nonbasic `var`
    /// rises (`falling`), or rises (`!falling`), the row whose ratio is least (`falling`) or
    /// greatest (`!falling`: the least of the negated ratios); ratios that agree within
    /// `tol::RATIO_TIE_F64` tie, and `rule` breaks ties.
    fn select(&mut self, var: usize, falling: bool, rule: Rule) -> Option<usize> {
        let col = self.column[var];
        let sign = if falling { 1.0 } else { -1.0 };
        let (found, least) = if falling {
            self.ratios::<true>(col)
        } else {
            self.ratios::<false>(col)
        };
        let (candidates, ratios) = (&mut self.candidates, &self.ratios);
        let within =
            |ratio: f64, least: f64| ratio - least <= tol::RATIO_TIE_F64 * (1.0 + least.abs());
        match found {
            0 => None,
            1 => Some(candidates[0]),
            _ if rule == Rule::FirstRow => (0..found)
                .find(|&e| within(ratios[e], least))
                .map(|e| candidates[e]),
            _ => {
                let mut found = (0..found).fold(0, |kept, e| {
                    if within(ratios[e], least) {
                        candidates[kept] = candidates[e];
                        kept + 1
                    } else {
                        kept
                    }
                });
                for k in 1..=self.layout.rows() {
                    if found <= 1 {
                        break;
                    }
                    for e in 0..found {
                        self.ratios[e] = sign * self.key(self.candidates[e], k, col);
                    }
                    let (candidates, ratios) = (&mut self.candidates, &self.ratios);
                    let least = ratios[..found]
                        .iter()
                        .copied()
                        .fold(f64::INFINITY, f64::min);
                    found = (0..found).fold(0, |kept, e| {
                        if within(ratios[e], least) {
                            candidates[kept] = candidates[e];
                            kept + 1
                        } else {
                            kept
                        }
                    });
                }
                (found > 0).then(|| self.candidates[0])
            }
        }
    }

    /// Lemke's path under `rule`, leaving the tableau at its end; `false` when it returns to
    /// a basis it has left (a cycle, which only ties broken by [`Rule::FirstRow`] can make in
    /// exact arithmetic).
    fn follow(
        &mut self,
        d: &DMatrix<f64>,
        g: &[f64],
        best: &[usize],
        rule: Rule,
        deadline: &Deadline,
    ) -> Result<bool> {
        self.reset(d, g, best);
        let (m, lambda) = (self.layout.strategies, self.layout.lambda());
        let mut first = 0;
        for (player, &b) in best.iter().enumerate() {
            // s_b replaces u_n (the sum row), then v_n replaces w_b.
            self.pivot_sum_row(player, first, b);
            self.pivot(self.row[self.layout.w(first + b)], self.layout.v(player));
            first += self.counts[player];
        }
        self.rows = m;
        if rule == Rule::FirstRow {
            self.columns = self.rhs + 1;
        }
        let start = self.select(lambda, false, rule);
        let Some(row) = start.filter(|&r| self.key(r, 0, self.column[lambda]) > 0.0) else {
            // Every shortfall is already nonnegative at λ = 0: the best replies are an equilibrium.
            return Ok(true);
        };
        let mut leaving = self.basic[row];
        self.pivot(row, lambda);
        // Each basis as the XOR of its variables' hashes (Zobrist hashing), to see a cycle.
        if self.hashes.is_empty() {
            self.hashes = (0..self.layout.variables()).map(mix).collect();
        }
        let mut basis = self.basic.iter().fold(0, |h, &v| h ^ self.hashes[v]);
        self.seen.clear();
        self.seen.insert(basis);
        for pivots in 1.. {
            if leaving == lambda {
                return Ok(true);
            }
            if pivots > limits::MAX_PIVOTS {
                return Err(Error::Solver(format!(
                    "ipa: Lemke's algorithm on the polymatrix approximation stopped after {} \
                     pivots (limits::MAX_PIVOTS)",
                    limits::MAX_PIVOTS
                )));
            }
            if deadline.passed() {
                return Err(Error::Solver(
                    "ipa: the deadline passed during Lemke's algorithm".into(),
                ));
            }
            let entering = self.layout.complement(leaving);
            let row = self.select(entering, true, rule).ok_or_else(|| {
                Error::Solver(format!(
                    "ipa: Lemke's algorithm on the polymatrix approximation ended on a ray after \
                     {pivots} pivots (rounding: no equilibrium of the approximation was reached)"
                ))
            })?;
            leaving = self.basic[row];
            self.pivot(row, entering);
            basis ^= self.hashes[leaving] ^ self.hashes[entering];
            if !self.seen.insert(basis) {
                return Ok(false);
            }
        }
        unreachable!("the pivot loop returns")
    }
}

/// A well-spread 64-bit hash of a variable's index (the SplitMix64 finaliser).
fn mix(var: usize) -> u64 {
    let mut x = (var as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::StrategicGame;
    use crate::solve::ipa::polymatrix::Tables;
    use crate::solve::ipa::support::support_tests::{interior, is_equilibrium};
    use std::collections::HashSet;

    /// [`Lemke::solve`] with fresh buffers.
    fn lemke(d: &DMatrix<f64>, counts: &[usize], g: &[f64], best: &[usize]) -> Vec<f64> {
        let mut s = vec![0.0; d.nrows()];
        Lemke::new(counts)
            .solve(d, g, best, &Deadline::none(), &mut s)
            .unwrap();
        s
    }

    /// Matching pennies as a polymatrix (two-player) game: the unique equilibrium is (½, ½)
    /// for both, whatever the path.
    #[test]
    fn matching_pennies_reaches_the_mixed_equilibrium() {
        #[rustfmt::skip]
        let d = DMatrix::from_row_slice(4, 4, &[
            0.0, 0.0, 2.0, 0.0,
            0.0, 0.0, 0.0, 2.0,
            0.0, 2.0, 0.0, 0.0,
            2.0, 0.0, 0.0, 0.0,
        ]);
        let g = [1.0, 0.0, 1.0, 0.0];
        for p in lemke(&d, &[2, 2], &g, &[0, 0]) {
            assert!((p - 0.5).abs() < 1e-12, "{p}");
        }
    }

    /// A game where every payoff is the same (maximally degenerate): the best replies are an
    /// equilibrium at λ = 0 and are returned.
    #[test]
    fn constant_game_returns_the_best_replies() {
        let d = DMatrix::from_element(5, 5, 1.0);
        let g = [0.0, 1.0, 0.0, 0.0, 1.0];
        let s = lemke(&d, &[3, 2], &g, &[1, 1]);
        assert_eq!(s, vec![0.0, 1.0, 0.0, 0.0, 1.0]);
    }

    /// Every player's first (or, with `last`, last) strategy as the best reply, and the unit
    /// perturbation `g` (over all strategies) that makes it one.
    fn unit_perturbation(counts: &[usize], last: bool) -> (Vec<usize>, Vec<f64>) {
        let best: Vec<usize> = counts
            .iter()
            .map(|&c| if last { c - 1 } else { 0 })
            .collect();
        let mut g = vec![0.0; counts.iter().sum()];
        let mut first = 0;
        for (&c, &b) in counts.iter().zip(&best) {
            g[first + b] = 1.0;
            first += c;
        }
        (best, g)
    }

    /// The textbook full tableau (every variable's column, stored by columns, the basis's unit
    /// columns included), a basis remembered as a set of variables, under the same rules: the
    /// reference the condensed tableau must agree with to the last bit.
    fn full_tableau(d: &DMatrix<f64>, counts: &[usize], g: &[f64], best: &[usize]) -> Vec<f64> {
        [Rule::FirstRow, Rule::Lexicographic]
            .into_iter()
            .find_map(|rule| full_tableau_path(d, counts, g, best, rule))
            .expect("the lexicographic path does not cycle")
    }

    fn full_tableau_path(
        d: &DMatrix<f64>,
        counts: &[usize],
        g: &[f64],
        best: &[usize],
        rule: Rule,
    ) -> Option<Vec<f64>> {
        let layout = Layout {
            strategies: d.nrows(),
            players: counts.len(),
        };
        let (m, rows, rhs) = (layout.strategies, layout.rows(), layout.variables());
        let mut t = DMatrix::zeros(rows, rhs + 1);
        let owner: Vec<usize> = (0..counts.len())
            .flat_map(|n| std::iter::repeat_n(n, counts[n]))
            .collect();
        for i in 0..m {
            for j in 0..m {
                t[(i, j)] = d[(i, j)];
            }
            t[(i, layout.v(owner[i]))] = -1.0;
            t[(i, layout.lambda())] = g[i];
            t[(m + owner[i], i)] = -1.0;
        }
        for n in 0..counts.len() {
            t[(m + n, rhs)] = -1.0;
        }
        for r in 0..rows {
            t[(r, layout.inverse() + r)] = 1.0;
        }
        let mut basic: Vec<usize> = (0..rows).map(|r| layout.inverse() + r).collect();
        let pivot = |t: &mut DMatrix<f64>, basic: &mut Vec<usize>, row: usize, col: usize| {
            let entering = t.column(col).clone_owned();
            for mut column in t.column_iter_mut() {
                if column[row] != 0.0 {
                    let scaled = column[row] / entering[row];
                    for r in 0..rows {
                        column[r] -= entering[r] * scaled;
                    }
                    column[row] = scaled;
                }
            }
            basic[row] = col;
        };
        let select = |t: &DMatrix<f64>, basic: &[usize], col: usize, falling: bool, sign: f64| {
            let mut candidates: Vec<usize> = (0..rows)
                .filter(|&r| {
                    let a = t[(r, col)];
                    let moves = if falling {
                        a > tol::PIVOT_F64
                    } else {
                        a < -tol::PIVOT_F64
                    };
                    moves && !layout.is_free(basic[r])
                })
                .collect();
            let keys = if rule == Rule::FirstRow { 0 } else { rows };
            for k in 0..=keys {
                if candidates.len() <= 1 {
                    break;
                }
                let j = if k == 0 {
                    rhs
                } else {
                    layout.inverse() + k - 1
                };
                let ratio = |r: usize| sign * (t[(r, j)] / t[(r, col)]);
                let least = candidates
                    .iter()
                    .map(|&r| ratio(r))
                    .fold(f64::INFINITY, f64::min);
                candidates
                    .retain(|&r| ratio(r) - least <= tol::RATIO_TIE_F64 * (1.0 + least.abs()));
            }
            candidates.first().copied()
        };
        let mut first = 0;
        for n in 0..counts.len() {
            pivot(&mut t, &mut basic, m + n, first + best[n]);
            pivot(&mut t, &mut basic, first + best[n], layout.v(n));
            first += counts[n];
        }
        let lambda = layout.lambda();
        let solution = |t: &DMatrix<f64>, basic: &[usize]| {
            (0..m)
                .map(|i| {
                    basic
                        .iter()
                        .position(|&b| b == i)
                        .map_or(0.0, |r| t[(r, rhs)].max(0.0))
                })
                .collect()
        };
        match select(&t, &basic, lambda, false, -1.0) {
            Some(row) if t[(row, rhs)] / t[(row, lambda)] > 0.0 => {
                let mut leaving = basic[row];
                pivot(&mut t, &mut basic, row, lambda);
                let as_set = |basic: &[usize]| {
                    let mut set = basic.to_vec();
                    set.sort_unstable();
                    set
                };
                let mut seen = HashSet::from([as_set(&basic)]);
                while leaving != lambda {
                    let entering = layout.complement(leaving);
                    let row = select(&t, &basic, entering, true, 1.0).expect("no ray");
                    leaving = basic[row];
                    pivot(&mut t, &mut basic, row, entering);
                    if !seen.insert(as_set(&basic)) {
                        return None;
                    }
                }
                Some(solution(&t, &basic))
            }
            _ => Some(solution(&t, &basic)),
        }
    }

    /// On the polymatrix approximations of games of 2 to 5 players (at interior profiles and
    /// at one with zeros; payoffs of few distinct values, so ratio tests tie and the
    /// tie-breaking rule decides the path), from every player's first and last strategies as
    /// best replies: the condensed tableau reaches the full tableau's answer exactly, under
    /// the first-row rule (with the lexicographic one after a cycle) and under the
    /// lexicographic rule alone, and each answer is an equilibrium of `D` (checked from the
    /// payoffs `D s`).
    #[test]
    fn condensed_tableau_agrees_with_the_full_tableau() {
        let mut mixed = 0;
        for (counts, modulus) in [
            (vec![3, 3], 5),
            (vec![4, 3], 3),
            (vec![2, 2, 2], 3),
            (vec![3, 3, 3], 4),
            (vec![3, 3, 3], 11),
            (vec![4, 4, 4], 7),
            (vec![2, 3, 4], 5),
            (vec![3, 2, 2, 2], 6),
            (vec![2, 2, 2, 2, 2], 9),
        ] {
            let game = StrategicGame::arbitrary(&counts, modulus, 2);
            let total: usize = counts.iter().sum();
            let interior = interior(&counts);
            let uniform: Vec<f64> = counts
                .iter()
                .flat_map(|&c| std::iter::repeat_n(1.0 / c as f64, c))
                .collect();
            let with_zeros: Vec<f64> = counts
                .iter()
                .flat_map(|&c| (0..c).map(move |t| if t == 0 { 0.0 } else { 1.0 / (c - 1) as f64 }))
                .collect();
            for profile in [interior, uniform, with_zeros] {
                let mut tables = Tables::new(&game, -2.0);
                let mut d = DMatrix::zeros(total, total);
                let (wanted, mut done) = (vec![true; total], vec![false; total]);
                tables.columns(&profile, &wanted, &mut done, &mut d);
                for last in [false, true] {
                    let (best, g) = unit_perturbation(&counts, last);
                    let ours = lemke(&d, &counts, &g, &best);
                    let reference = full_tableau(&d, &counts, &g, &best);
                    assert_eq!(ours, reference, "{counts:?} mod {modulus}, {profile:?}");
                    assert!(is_equilibrium(&d, &counts, &ours), "{counts:?}: {ours:?}");
                    // the lexicographic path (taken after a cycle) on its own
                    let mut lemke = Lemke::new(&counts);
                    let none = Deadline::none();
                    let ended = lemke.follow(&d, &g, &best, Rule::Lexicographic, &none);
                    assert!(ended.unwrap(), "{counts:?}: the lexicographic path cycled");
                    let mut ours = vec![0.0; total];
                    lemke.solution(&mut ours);
                    let reference =
                        full_tableau_path(&d, &counts, &g, &best, Rule::Lexicographic).unwrap();
                    assert_eq!(ours, reference, "{counts:?} mod {modulus}, {profile:?}");
                    assert!(is_equilibrium(&d, &counts, &ours), "{counts:?}: {ours:?}");
                    mixed += usize::from(ours.iter().any(|&p| p > 0.0 && p < 1.0));
                }
            }
        }
        // the paths were not all trivial (a pure answer can be the starting point)
        assert!(mixed >= 10, "{mixed}");
    }

    /// One [`Lemke`] reused, as a run of the outer iteration reuses it, on a sequence of
    /// approximations whose best replies stay, change, and come back (nothing of one path may
    /// leak into the next): every answer is the full tableau's, to the last bit.
    #[test]
    fn reused_buffers_answer_as_the_full_tableau() {
        let mut moved = 0;
        for (counts, modulus) in [
            (vec![3, 3, 3], 4),
            (vec![2, 3, 4], 5),
            (vec![3, 2, 2, 2], 6),
        ] {
            let game = StrategicGame::arbitrary(&counts, modulus, 2);
            let total: usize = counts.iter().sum();
            let mut tables = Tables::new(&game, -2.0);
            let mut reused = Lemke::new(&counts);
            let (wanted, mut done) = (vec![true; total], vec![false; total]);
            let mut d = DMatrix::zeros(total, total);
            for (step, last) in [false, false, true, true, false, true]
                .into_iter()
                .enumerate()
            {
                // a profile that moves from step to step
                let profile: Vec<f64> = counts
                    .iter()
                    .flat_map(|&c| {
                        let weights: Vec<f64> =
                            (0..c).map(|t| (1 + (t + step) % c) as f64).collect();
                        let sum: f64 = weights.iter().sum();
                        weights.into_iter().map(move |w| w / sum)
                    })
                    .collect();
                done.fill(false);
                tables.columns(&profile, &wanted, &mut done, &mut d);
                let (best, g) = unit_perturbation(&counts, last);
                let mut ours = vec![0.0; total];
                reused
                    .solve(&d, &g, &best, &Deadline::none(), &mut ours)
                    .unwrap();
                let reference = full_tableau(&d, &counts, &g, &best);
                assert_eq!(ours, reference, "{counts:?} mod {modulus}, step {step}");
                // the path left its start: the answer is not the best replies (where g is 1)
                moved += usize::from(ours != g);
            }
        }
        assert!(moved >= 10, "{moved}");
    }
}
