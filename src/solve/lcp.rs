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
//! Speed: the path is followed in `f64` ([`FloatTableau`]); its final basis then only names the
//! supports, and the equilibrium is recomputed exactly from the square systems of tight
//! constraints and certified with [`certify_exact`]. If any step fails (a repeated basis —
//! the cycling guard —, no leaving row, a singular or infeasible final basis, a failed
//! certificate), the path is followed again in exact integer arithmetic ([`ExactTableau`]),
//! whose lexicographic rule makes degenerate games safe. A path longer than
//! `limits::MAX_PIVOTS` is an error, not retried: the exact path is the same path, slower.
//!
//! Path lengths are heavy-tailed even on random games (hundreds to >10⁵ pivots at 200×200
//! to 300×300), so per-pivot cost is what this module optimises: the f64 path uses a revised
//! dictionary whose pivot costs `O(k³ + rows·k)` for `k` basic strategies (supports stay
//! small) instead of `O(rows·cols)`, the exact dictionaries keep only the nonbasic columns,
//! and the lexicographic test touches `B⁻¹` only on ratio ties.

use super::integer_system::solve_integer_system;
use super::tableau::{Basis, ExactTableau, FloatTableau, Perturbation, Pivoting};
use crate::error::{Error, Result};
use crate::game::{certify_exact, StrategicGame};
use crate::limits;
use crate::num::{to_f64, IBig, Q};
use crate::solve::deadline::{Deadline, NO_DEADLINE};

/// The label whose drop reproduces the first equilibrium of Gambit's `lcp` on strategic games
/// (`gambit-lcp`, `pygambit.nash.lcp_solve(..., stop_after=1)`): player 1's first strategy.
pub const GAMBIT_FIRST_LABEL: usize = 0;

/// Degeneracy rule of both paths: Gambit's, so that equal labels give Gambit's equilibria.
const RULE: Perturbation = Perturbation::Lower;

/// One Nash equilibrium of a two-player game, exact: the end of the Lemke–Howson path that
/// drops `dropped_label` (`0..m` player 1's strategies, `m..m+n` player 2's).
pub fn lemke_howson(game: &StrategicGame, dropped_label: usize) -> Result<Vec<Vec<Q>>> {
    let payoffs = Positive::new(game, dropped_label)?;
    match float_path(&payoffs, dropped_label) {
        Ok(profile) => Ok(profile),
        Err(PathStop::TooLong) => Err(PathStop::TooLong.into_error()),
        Err(PathStop::Numerical(_)) => exact_path(&payoffs, dropped_label),
    }
}

/// [`lemke_howson`] on the exact path alone (integer pivoting throughout); slower, and the
/// reference the fast path is tested against.
pub fn lemke_howson_exact(game: &StrategicGame, dropped_label: usize) -> Result<Vec<Vec<Q>>> {
    exact_path(&Positive::new(game, dropped_label)?, dropped_label)
}

/// The distinct equilibria reached by dropping each of the `m + n` labels, in label order.
pub fn lcp_all(game: &StrategicGame) -> Result<Vec<Vec<Vec<Q>>>> {
    lcp_all_until(game, &NO_DEADLINE)
}

/// [`lcp_all`] that stops at `deadline`, after the labels already followed.
pub fn lcp_all_until(game: &StrategicGame, deadline: &Deadline) -> Result<Vec<Vec<Vec<Q>>>> {
    let labels = Positive::new(game, 0)?.labels();
    let mut found: Vec<Vec<Vec<Q>>> = Vec::new();
    for label in 0..labels {
        if deadline.passed() {
            break;
        }
        let profile = lemke_howson(game, label)?;
        if !found.contains(&profile) {
            found.push(profile);
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
    let over_d = |v: i64| Q::from_parts_signed(IBig::from(v), IBig::from(d));
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

/// Why a path was abandoned.
#[derive(Debug, Clone, Copy)]
enum PathStop {
    /// No leaving row, a repeated basis, or an end that fails exact recovery: only rounding
    /// can cause these, since the exact lexicographic path is simple (Shapley 1974).
    Numerical(&'static str),
    /// Longer than `limits::MAX_PIVOTS`. The exact path is the same path, so it is not retried.
    TooLong,
}

impl PathStop {
    fn into_error(self) -> Error {
        match self {
            PathStop::Numerical(why) => Error::Solver(format!("Lemke–Howson: {why}")),
            PathStop::TooLong => Error::Solver(format!(
                "Lemke–Howson: the path is longer than {} pivots (limits::MAX_PIVOTS); \
                 try another dropped label",
                limits::MAX_PIVOTS
            )),
        }
    }
}

/// Zobrist (1970) key of a basic variable, for hashing bases incrementally: the SplitMix64
/// finalizer (Steele, Lea & Flood 2014) of its number.
fn zobrist(var: usize) -> u64 {
    let mut z = (var as u64)
        .wrapping_add(1)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Zobrist hashes are uniformly distributed already, so the set of visited bases uses them as
/// their own hash instead of hashing them again with SipHash.
#[derive(Default)]
struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

type BasisHashes = std::collections::HashSet<u64, std::hash::BuildHasherDefault<PassThrough>>;

/// Follow the path from the artificial equilibrium dropping `dropped`, until the variable
/// that leaves carries the dropped label: then every label is present again.
///
/// Cycling guard: the bases of both tableaux are hashed (XOR of [`zobrist`] keys, `P`'s
/// variables offset by `m + n`); a repeat ends the path as [`PathStop::Numerical`].
fn follow_path<T: Pivoting>(
    q_tab: &mut T,
    p_tab: &mut T,
    m: usize,
    n: usize,
    dropped: usize,
) -> std::result::Result<(), PathStop> {
    let offset = m + n;
    let mut hash = (0..m)
        .chain((0..n).map(|v| offset + v))
        .fold(0, |h, v| h ^ zobrist(v));
    let mut seen = BasisHashes::default();
    let mut entering = dropped;
    let mut in_q = dropped >= m;
    for _ in 0..limits::MAX_PIVOTS {
        let left = if in_q {
            let left = q_tab.enter(entering);
            left.inspect(|&l| hash ^= zobrist(entering) ^ zobrist(l))
        } else {
            let var = p_var(entering, m, n);
            let left = p_tab.enter(var);
            left.map(|l| {
                hash ^= zobrist(offset + var) ^ zobrist(offset + l);
                p_label(l, m, n)
            })
        };
        let left = left.ok_or(PathStop::Numerical(
            "the ratio test found no leaving variable",
        ))?;
        if left == dropped {
            return Ok(());
        }
        if !seen.insert(hash) {
            return Err(PathStop::Numerical("a basis repeated (cycling)"));
        }
        entering = left;
        in_q = !in_q;
    }
    Err(PathStop::TooLong)
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

fn float_path(pay: &Positive, dropped: usize) -> std::result::Result<Vec<Vec<Q>>, PathStop> {
    let (m, n) = (pay.m, pay.n);
    // One closure type for both players' columns, so that both tableaux have the one type
    // `follow_path` pivots; each column is computed only when the path first needs it.
    let columns_of = |p: usize| move |col: usize, out: &mut [f64]| pay.float_column(p, col, out);
    let mut q_tab =
        FloatTableau::from_columns(m, n, columns_of(0), |_| 1.0).with_perturbation(RULE);
    let mut p_tab =
        FloatTableau::from_columns(n, m, columns_of(1), |_| 1.0).with_perturbation(RULE);
    follow_path(&mut q_tab, &mut p_tab, m, n, dropped)?;
    let unusable = PathStop::Numerical("the f64 path ended at a basis that fails exactly");
    let y = exact_basic_solution(pay, 0, q_tab.basis()).ok_or(unusable)?;
    let x = exact_basic_solution(pay, 1, p_tab.basis()).ok_or(unusable)?;
    certify_exact(pay.game, vec![x, y])
        .map(|c| c.profile)
        .map_err(|_| {
            PathStop::Numerical("the f64 path ended at a profile that fails certification")
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
    let support: Vec<usize> = (0..cols).filter(|&j| basis.is_basic(rows + j)).collect();
    let tight: Vec<usize> = (0..rows).filter(|&i| !basis.is_basic(i)).collect();
    let k = support.len();
    if k != tight.len() {
        return None;
    }
    let entry = |r: usize, c: usize| strategies(p, tight[r], support[c]);
    let scaled: Option<Vec<i64>> = (0..k * k)
        .map(|e| {
            let (i, j) = entry(e / k, e % k);
            pay.scaled_int(p, i, j)
        })
        .collect();
    if let Some(a) = scaled {
        return solve_integer_system(k, &a, &vec![1; k])?.to_distribution(cols, &support);
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

fn exact_path(pay: &Positive, dropped: usize) -> Result<Vec<Vec<Q>>> {
    let (m, n) = (pay.m, pay.n);
    let mut q_tab =
        ExactTableau::from_fn(m, n, |i, j| pay.exact(0, i, j), |_| Q::ONE).with_perturbation(RULE);
    let mut p_tab =
        ExactTableau::from_fn(n, m, |j, i| pay.exact(1, i, j), |_| Q::ONE).with_perturbation(RULE);
    follow_path(&mut q_tab, &mut p_tab, m, n, dropped).map_err(PathStop::into_error)?;
    let no_point = || Error::Solver("Lemke–Howson: the final basis has no mixed strategy".into());
    let y = normalize((0..n).map(|j| q_tab.value(m + j)).collect()).ok_or_else(no_point)?;
    let x = normalize((0..m).map(|i| p_tab.value(n + i)).collect()).ok_or_else(no_point)?;
    Ok(certify_exact(pay.game, vec![x, y])?.profile)
}

#[cfg(test)]
pub(crate) mod tests;
