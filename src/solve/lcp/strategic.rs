//! `lcp` on strategic games: the Lemke–Howson algorithm for two-player games
//! (Lemke & Howson 1964; labels as in Shapley 1974; tableaux as in von Stengel 2002 §3).
//!
//! With payoffs made positive, the best-response polytopes are
//! `P = {x ≥ 0 : Bᵀx ≤ 1}` and `Q = {y ≥ 0 : A y ≤ 1}`. Label `i < m` is player 1's pure
//! strategy `i` (carried by `x_i = 0` or by the tight row `(A y)_i = 1`), label `m + j` is
//! player 2's strategy `j`. Starting from the artificial equilibrium `(0, 0)`, the algorithm
//! drops one label and follows the unique path of almost completely labelled vertex pairs to
//! an equilibrium, alternating pivots between the tableau of `Q` (slacks `r = 1 − A y`) and
//! that of `P` (slacks `s = 1 − Bᵀx`).
//!
//! Speed: the path is followed in `f64` ([`FloatTableau`](crate::solve::linalg::tableau::FloatTableau)); its final basis then only names the
//! supports, and the equilibrium is recomputed exactly from the square systems of tight
//! constraints and certified with [`certify_exact`](crate::game::certify_exact). If any step
//! fails (a repeated basis — the cycling guard —, no leaving row, a singular or infeasible
//! final basis, a failed certificate), the path is followed again in exact integer arithmetic
//! ([`ExactTableau`]), whose lexicographic rule provably never cycles (the rows of `B⁻¹` are
//! independent, so the lexicographic minimum is unique and the path is simple).
//!
//! Why some paths took more than 10⁵ pivots (measured on seeded 200×200 games with payoffs in
//! 0..99, `random_bimatrix(200, 200, 100, seed)`, seeds 0–7): the paths are genuinely that
//! long, not cycling. With the textbook rule ([`Perturbation::Raise`]) the f64 path from label 0
//! takes 80, 2,053, 76,680, 614 and 17,844 pivots on seeds 0, 1, 5, 6, 7 — exactly QuantEcon's
//! `lemke_howson(init_pivot=0)` counts, pivot for pivot — and QuantEcon needs 888,748 and
//! 279,773 pivots on seeds 3 and 4 and does not end within 10⁷ on seed 2. Gambit's rule
//! ([`Perturbation::Lower`], kept so that label 0 gives Gambit's first equilibrium) follows a
//! different path wherever payoffs tie (0..99 on 200 rows ties often): 70, 741, 76,680, 13,274
//! and 1,961 pivots on the same seeds, longer than 10⁵ on seeds 2–4. What decides the time is
//! the heavy tail over labels: on every one of these games some label ends within 250
//! pivots. Hence one-equilibrium `lcp` races labels ([`lcp_one`]) under a time budget instead of
//! capping pivots, and `--label K` pins one.
//!
//! Per pivot, the f64 path uses a revised dictionary whose pivot costs `O(k² + rows·k)` for `k`
//! basic strategies instead of `O(rows·cols)`, the exact dictionaries keep only the nonbasic
//! columns, and the lexicographic test touches `B⁻¹` only on ratio ties.

mod race;
mod walker;

pub use race::{lcp_one, LabelProgress, Labels};

use crate::error::{Error, Result};
use crate::game::{Certified, StrategicGame};
use crate::num::{to_f64, IBig, Q};
use crate::solve::deadline::{Deadline, NO_DEADLINE};
use crate::solve::linalg::integer_system::solve_integer_system;
use crate::solve::linalg::tableau::{Basis, ExactTableau, Perturbation};
use race::{exact_end, exact_walker};
use walker::Advance;

/// The label whose drop reproduces the first equilibrium of Gambit's `lcp` on strategic games
/// (`gambit-lcp`, `pygambit.nash.lcp_solve(..., stop_after=1)`): player 1's first strategy.
pub const GAMBIT_FIRST_LABEL: usize = 0;

/// Degeneracy rule of both paths: Gambit's, so that equal labels give Gambit's equilibria.
const RULE: Perturbation = Perturbation::Lower;

/// One Nash equilibrium of a two-player game, exact: the end of the Lemke–Howson path that
/// drops `dropped_label` (`0..m` player 1's strategies, `m..m+n` player 2's), followed to its
/// end however long it is ([`lcp_one`] races labels under a deadline instead).
pub fn lemke_howson(game: &StrategicGame, dropped_label: usize) -> Result<Vec<Vec<Q>>> {
    let one = lcp_one(game, Labels::Pinned(dropped_label), &NO_DEADLINE)?;
    one.equilibrium
        .map(Certified::into_profile)
        .ok_or_else(|| Error::Solver("Lemke–Howson: the path stopped without a deadline".into()))
}

/// [`lemke_howson`] on the exact path alone (integer pivoting throughout); slower, and the
/// reference the fast path is tested against.
pub fn lemke_howson_exact(game: &StrategicGame, dropped_label: usize) -> Result<Vec<Vec<Q>>> {
    let pay = Positive::new(game, dropped_label)?;
    let mut walker = exact_walker(&pay, dropped_label);
    match walker.advance(u64::MAX, &NO_DEADLINE) {
        Advance::Ended => Ok(exact_end(&pay, &walker)?.into_profile()),
        outcome => Err(Error::Solver(format!(
            "Lemke–Howson (exact): the path stopped: {outcome:?}"
        ))),
    }
}

/// The distinct equilibria reached by dropping each of the `m + n` labels, in label order.
#[cfg(test)]
pub fn lcp_all(game: &StrategicGame) -> Result<Vec<Vec<Vec<Q>>>> {
    Ok(lcp_all_until(game, &NO_DEADLINE)?
        .into_iter()
        .map(Certified::into_profile)
        .collect())
}

/// `lcp_all` that stops at `deadline`, keeping the labels already followed to their end; each
/// equilibrium as [`certify_exact`](crate::game::certify_exact) returned it.
pub fn lcp_all_until(game: &StrategicGame, deadline: &Deadline) -> Result<Vec<Certified<Q>>> {
    let labels = Positive::new(game, 0)?.labels();
    let mut found: Vec<Certified<Q>> = Vec::new();
    for label in 0..labels {
        let Some(certified) = lcp_one(game, Labels::Pinned(label), deadline)?.equilibrium else {
            break;
        };
        if !found.iter().any(|c| c.profile() == certified.profile()) {
            found.push(certified);
        }
    }
    Ok(found)
}

/// The game's payoffs mapped into `[1, 2]` per player by `(u − min) / range + 1`: positive,
/// so both polytopes are bounded, and the same equilibria (a positive affine change).
struct Positive<'g> {
    game: &'g StrategicGame,
    m: usize,
    n: usize,
    min: [Q; 2],
    range: [Q; 2],
    min_f64: [f64; 2],
    range_f64: [f64; 2],
    /// Per player with an integer view (`u = u_num / d`): `range_num − min_num`, so that
    /// `u_num + shift = range_num · ((u − min) / range + 1)`, a positive multiple of the
    /// positive payoff (see [`Positive::scaled_int`]).
    shift: [Option<i64>; 2],
}

/// Player `p`'s `(min, range, range_num − min_num)` from its integer view, with `range` as in
/// [`Positive`] (1 when all payoffs are equal); `None` without a view or when a difference
/// overflows `i64`. Integer comparisons replace rational ones.
fn integer_bounds(game: &StrategicGame, p: usize) -> Option<(Q, Q, i64)> {
    let view = game.payoff_table_int(p)?;
    let d = view.denominator();
    let (lo, hi) = (view.min(), view.max());
    let range = if hi > lo { hi.checked_sub(lo)? } else { d };
    let shift = range.checked_sub(lo)?;
    // Integer payoffs (`d = 1`, the usual case) need no reduction by a gcd.
    let over_d = |v: i64| match d {
        1 => Q::from(v),
        _ => Q::from_parts_signed(IBig::from(v), IBig::from(d)),
    };
    Some((over_d(lo), over_d(range), shift))
}

impl<'g> Positive<'g> {
    fn new(game: &'g StrategicGame, dropped_label: usize) -> Result<Self> {
        if game.num_players() != 2 {
            return Err(Error::Unsupported(format!(
                "lcp (Lemke–Howson) needs a two-player game; this one has {} players",
                game.num_players()
            )));
        }
        let (m, n) = (game.num_strategies(0), game.num_strategies(1));
        if dropped_label >= m + n {
            return Err(Error::Usage(format!(
                "label {dropped_label} is out of range: this game has labels 0..{}",
                m + n
            )));
        }
        let bounds = |p: usize| match integer_bounds(game, p) {
            Some((lo, range, shift)) => (lo, range, Some(shift)),
            None => {
                let t = game.payoff_table(p);
                let lo = t.iter().min().cloned().unwrap_or(Q::ZERO);
                let hi = t.iter().max().cloned().unwrap_or(Q::ONE);
                let range = if hi > lo { hi - &lo } else { Q::ONE };
                (lo, range, None)
            }
        };
        let ((min0, range0, shift0), (min1, range1, shift1)) = (bounds(0), bounds(1));
        Ok(Positive {
            game,
            m,
            n,
            min_f64: [to_f64(&min0), to_f64(&min1)],
            range_f64: [to_f64(&range0), to_f64(&range1)],
            min: [min0, min1],
            range: [range0, range1],
            shift: [shift0, shift1],
        })
    }

    fn labels(&self) -> usize {
        self.m + self.n
    }

    /// Player `p`'s positive payoff when player 1 plays `i` and player 2 plays `j`.
    fn exact(&self, p: usize, i: usize, j: usize) -> Q {
        (&self.game.payoff_table(p)[i + j * self.m] - &self.min[p]) / &self.range[p] + Q::ONE
    }

    /// `range_num ·` [`Positive::exact`]: an integer, or `None` without an integer view or
    /// when it does not fit an `i64`.
    fn scaled_int(&self, p: usize, i: usize, j: usize) -> Option<i64> {
        let view = self.game.payoff_table_int(p)?;
        view.numerators()[i + j * self.m].checked_add(self.shift[p]?)
    }

    /// Column `col` of player `p`'s float tableau (see [`strategies`]): `Q`'s columns are
    /// contiguous in player 1's table, `P`'s strided in player 2's.
    fn float_column(&self, p: usize, col: usize, out: &mut [f64]) {
        let table = self.game.payoff_table_f64(p);
        let (lo, range) = (self.min_f64[p], self.range_f64[p]);
        let scale = 1.0 / range; // a multiplication per entry, not a division
        let positive = |u: f64| (u - lo) * scale + 1.0;
        if p == 0 {
            let line = &table[col * self.m..(col + 1) * self.m];
            for (x, &u) in out.iter_mut().zip(line) {
                *x = positive(u);
            }
        } else {
            for (j, x) in out.iter_mut().enumerate() {
                *x = positive(table[col + j * self.m]);
            }
        }
    }
}

/// Tableau of `Q`: rows are slacks `r_i` (variable `i`), columns `y_j` (variable `m + j`),
/// so a variable's number is its label. Tableau of `P`: rows `s_j` (variable `j`, label
/// `m + j`), columns `x_i` (variable `n + i`, label `i`).
fn p_var(label: usize, m: usize, n: usize) -> usize {
    if label < m {
        n + label
    } else {
        label - m
    }
}

fn p_label(var: usize, m: usize, n: usize) -> usize {
    if var < n {
        m + var
    } else {
        var - n
    }
}

/// A nonnegative vector scaled to sum 1 (`None` if it sums to zero or less). Zeros, most of
/// an equilibrium's entries, are skipped: rational arithmetic on them is not free.
fn normalize(v: Vec<Q>) -> Option<Vec<Q>> {
    let nonzero = |x: &Q| *x != Q::ZERO;
    let sum = v.iter().filter(|x| nonzero(x)).fold(Q::ZERO, |a, x| a + x);
    (sum > Q::ZERO).then(|| {
        v.into_iter()
            .map(|x| if nonzero(&x) { x / &sum } else { x })
            .collect()
    })
}

/// The strategies `(i, j)` at entry `(row, col)` of player `p`'s tableau: `Q`'s (player 1's
/// payoffs) has rows `i` and columns `j`, `P`'s (player 2's) rows `j` and columns `i`.
fn strategies(p: usize, row: usize, col: usize) -> (usize, usize) {
    if p == 0 {
        (row, col)
    } else {
        (col, row)
    }
}

/// The exact point named by a final basis of player `p`'s tableau `slack + a·v = 1`: the basic
/// `v`s solve the square system of the tight (nonbasic-slack) rows. Returned scaled to a mixed
/// strategy.
///
/// With integer views the system is solved on [`Positive::scaled_int`] (`range_num · a`, so
/// the solution is `v / range_num`, the same mixed strategy once normalised) by
/// [`solve_integer_system`]; otherwise on rationals.
fn exact_basic_solution(pay: &Positive, p: usize, basis: &Basis) -> Option<Vec<Q>> {
    let (rows, cols) = (basis.rows(), basis.cols());
    // Reserved: a filtered collect has no size hint and would grow from empty.
    let mut support = Vec::with_capacity(rows.min(cols));
    support.extend((0..cols).filter(|&j| basis.is_basic(rows + j)));
    let mut tight = Vec::with_capacity(rows.min(cols));
    tight.extend((0..rows).filter(|&i| !basis.is_basic(i)));
    let k = support.len();
    if k != tight.len() {
        return None;
    }
    let entry = |r: usize, c: usize| strategies(p, tight[r], support[c]);
    // Pushed into a reserved vector: collecting `Option`s has no size hint and regrows.
    let mut scaled = Vec::with_capacity(k * k);
    let all_scaled = (0..k * k).all(|e| {
        let (i, j) = entry(e / k, e % k);
        pay.scaled_int(p, i, j).map(|v| scaled.push(v)).is_some()
    });
    if all_scaled {
        return solve_integer_system(k, &scaled, &vec![1; k])?.to_distribution(cols, &support);
    }
    let values = normalize(ExactTableau::solve_square(
        k,
        |r, c| {
            let (i, j) = entry(r, c);
            pay.exact(p, i, j)
        },
        |_| Q::ONE,
    )?)?;
    let mut v = vec![Q::ZERO; cols];
    for (&j, value) in support.iter().zip(values) {
        v[j] = value;
    }
    Some(v)
}

#[cfg(test)]
pub(crate) mod tests;
