//! Lemke's algorithm for the linear complementarity problem (Lemke 1965; von Stengel 2002 §6),
//! exact.
//!
//! The LCP: find `z ≥ 0` with `w = q + M z ≥ 0` and `wᵀz = 0`. Lemke's method adds an
//! artificial variable `z0` with a covering vector `d ≥ 0`: `w = q + M z + d z0`. For large
//! `z0`, `z = 0` solves it; lowering `z0` as far as possible makes one `w_i` leave the
//! basis, then the complement of each leaving variable enters (the complementary pivoting
//! rule) until `z0` leaves (a solution) or an entering column has no positive entry (a
//! secondary ray: no solution found, [`Error::Solver`]). Pivoting is exact integer pivoting
//! ([`IntegerTableau`], on machine integers while they suffice) with the lexicographic ratio
//! test, so degenerate problems cannot cycle.
//!
//! # Free variables and equalities (the sequence form)
//!
//! Index `i` may be declared *free* ([`Lcp::with_free`]): then `z_i` has no sign constraint
//! and `w_i = 0` is an equality. This is encoded exactly by splitting: `z_i = z_i⁺ − z_i⁻`
//! with both parts nonnegative, and the equality as the two complementary inequalities
//! `w_i⁺ = (q + Mz)_i ≥ 0 ⊥ z_i⁺`, `w_i⁻ = −(q + Mz)_i ≥ 0 ⊥ z_i⁻`; both rows get the
//! covering entry `d_i`. At `z0 = 0` the pair forces `(q + Mz)_i = 0`.
//!
//! The sequence-form LCP of Koller, Megiddo & von Stengel (1996) (von Stengel 2002 §6) for a
//! two-player extensive game with sequence-form payoff matrices `A`, `B` and constraint
//! matrices `E x = e`, `F y = f` is posed with `z = (x, y, p, q)`, `p`, `q` free:
//!
//! ```text
//!       ⎡  0   −A   Eᵀ   0 ⎤        ⎡ 0 ⎤
//!   M = ⎢ −Bᵀ   0    0   Fᵀ⎥,   q = ⎢ 0 ⎥,   free = the indices of p and q,
//!       ⎢ −E    0    0   0 ⎥        ⎢ e ⎥
//!       ⎣  0   −F    0   0 ⎦        ⎣ f ⎦
//! ```
//!
//! i.e. `Eᵀp ≥ A y ⊥ x`, `Fᵀq ≥ Bᵀx ⊥ y`, `E x = e`, `F y = f`. With payoffs shifted to be
//! negative (`A, B < 0`, which changes no equilibrium), `zᵀMz = −xᵀ(A + B)y ≥ 0` for `z ≥ 0`
//! (the `E`, `F` blocks are skew), the copositivity behind KMvS's termination argument. The
//! covering vector is the caller's choice (KMvS derive it from a starting pair of strategies;
//! all ones is the default).

use crate::error::{Error, Result};
use crate::limits;
use crate::num::{IBig, Q};
use crate::solve::linalg::tableau::entry::fixed_int::I256;
use crate::solve::linalg::tableau::entry::TableauEntry;
use crate::solve::linalg::tableau::{ExactTableau, IntegerTableau, Slot};

/// A linear complementarity problem `w = q + M z`, `z, w ≥ 0`, `wᵀz = 0`, with its covering
/// vector and free indices.
#[derive(Debug, Clone)]
pub struct Lcp {
    m: Vec<Vec<Q>>,
    q: Vec<Q>,
    covering: Vec<Q>,
    free: Vec<bool>,
}

/// A solution: `w = q + M z`, checked exactly before it is returned.
#[derive(Debug, Clone, PartialEq)]
pub struct LcpSolution {
    pub z: Vec<Q>,
    pub w: Vec<Q>,
    /// Pivots Lemke's algorithm took (on the split problem when there are free indices).
    pub pivots: usize,
}

impl Lcp {
    /// The LCP of the square matrix `m` and vector `q`, covering vector all ones.
    pub fn new(m: Vec<Vec<Q>>, q: Vec<Q>) -> Result<Self> {
        let n = q.len();
        if m.len() != n || m.iter().any(|row| row.len() != n) {
            return Err(Error::Unsupported(format!(
                "LCP: M must be {n}×{n} to match q"
            )));
        }
        Ok(Lcp {
            m,
            q,
            covering: vec![Q::ONE; n],
            free: vec![false; n],
        })
    }

    /// Use covering vector `d`: nonnegative, and positive wherever `q` is negative (so that
    /// a large enough `z0` makes the start feasible) and at free indices.
    #[cfg(test)]
    pub fn with_covering(mut self, d: Vec<Q>) -> Result<Self> {
        if d.len() != self.q.len() {
            return Err(Error::Unsupported(format!(
                "LCP: covering vector has {} entries, expected {}",
                d.len(),
                self.q.len()
            )));
        }
        let uncovered = |i: usize| d[i] == Q::ZERO && (self.q[i] < Q::ZERO || self.free[i]);
        if let Some(i) = (0..d.len()).find(|&i| d[i] < Q::ZERO || uncovered(i)) {
            return Err(Error::Unsupported(format!(
                "LCP: covering vector entry {i} must be nonnegative, and positive where q is \
                 negative or the index is free"
            )));
        }
        self.covering = d;
        Ok(self)
    }

    /// Declare the indices in `free` free: `z_i` unrestricted in sign, `w_i = 0`.
    pub fn with_free(mut self, free: &[usize]) -> Result<Self> {
        for &i in free {
            if i >= self.q.len() {
                return Err(Error::Unsupported(format!(
                    "LCP: free index {i} is out of range"
                )));
            }
            if self.covering[i] == Q::ZERO {
                return Err(Error::Unsupported(format!(
                    "LCP: free index {i} needs a positive covering entry (its equality is split in two)"
                )));
            }
            self.free[i] = true;
        }
        Ok(self)
    }

    /// Solve by Lemke's algorithm. `Error::Solver` on ray termination or the pivot limit.
    pub fn solve(&self) -> Result<LcpSolution> {
        let n = self.q.len();
        // Split problem: index k < n is the original (the `+` part for free indices);
        // index n + t is the `−` part of the t-th free index.
        let origin: Vec<(usize, bool)> = (0..n)
            .map(|i| (i, false))
            .chain((0..n).filter(|&i| self.free[i]).map(|i| (i, true)))
            .collect();
        let signed = |v: &Q, neg: bool| if neg { -v } else { v.clone() };
        let size = origin.len();
        let m = |i: usize, j: usize| {
            let ((oi, ni), (oj, nj)) = (origin[i], origin[j]);
            signed(&self.m[oi][oj], ni != nj)
        };
        let q = |i: usize| signed(&self.q[origin[i].0], origin[i].1);
        let d = |i: usize| self.covering[origin[i].0].clone();
        let (z_split, w_split, pivots) = lemke_path(size, m, q, d)?;
        let mut z = z_split[..n].to_vec();
        for (k, &(i, _)) in origin.iter().enumerate().skip(n) {
            z[i] -= &z_split[k];
        }
        let w = w_split[..n].to_vec();
        self.check(&z, &w)?;
        Ok(LcpSolution { z, w, pivots })
    }

    /// Independent exact check of a solution against the problem as posed.
    fn check(&self, z: &[Q], w: &[Q]) -> Result<()> {
        for i in 0..self.q.len() {
            // most entries of M and z are zero (sequence forms are sparse): skip their products
            let wi = self.m[i]
                .iter()
                .zip(z)
                .filter(|(a, x)| **a != Q::ZERO && **x != Q::ZERO)
                .fold(self.q[i].clone(), |acc, (a, x)| acc + a * x);
            let ok = wi == w[i]
                && if self.free[i] {
                    w[i] == Q::ZERO
                } else {
                    z[i] >= Q::ZERO && w[i] >= Q::ZERO && (z[i] == Q::ZERO || w[i] == Q::ZERO)
                };
            if !ok {
                return Err(Error::Solver(format!(
                    "Lemke: the solution fails the exact check at index {i}"
                )));
            }
        }
        Ok(())
    }
}

/// A solution of the split problem: `z`, `w`, and the pivots taken.
type PathEnd = (Vec<Q>, Vec<Q>, usize);

/// Lemke's complementary path on `w = q + M z + d z0` (all variables nonnegative).
/// Dictionary variables: `w_i` is `i`, `z_j` is `n + j`, `z0` is `2n`.
///
/// The path runs on `i64` when the Hadamard bound ([`ExactTableau::minor_bits`]) guarantees
/// that it never overflows, else on `i128` (the bound is far from tight on sequence forms:
/// Gambit's `bayes2a` is bounded by 2²¹⁸ and stays within `i128`), and after an overflow
/// goes on from the dictionary before that pivot on the next wider type. Every type takes the
/// same pivots (the lexicographic rule compares exact values), so the path ends where a run
/// on `IBig` would.
fn lemke_path(
    n: usize,
    m: impl Fn(usize, usize) -> Q,
    q: impl Fn(usize) -> Q,
    d: impl Fn(usize) -> Q,
) -> Result<PathEnd> {
    if (0..n).all(|i| q(i) >= Q::ZERO) {
        return Ok((vec![Q::ZERO; n], (0..n).map(q).collect(), 0));
    }
    let mut progress = Progress::start(lemke_dictionary(n, m, q, d));
    if progress
        .dictionary
        .minor_bits()
        .is_some_and(|bits| bits < 63)
    {
        if let Some(end) = follow_on::<i64>(&mut progress)? {
            return Ok(end);
        }
    }
    if let Some(end) = follow_on::<i128>(&mut progress)? {
        return Ok(end);
    }
    if let Some(end) = follow_on::<I256>(&mut progress)? {
        return Ok(end);
    }
    follow_on::<IBig>(&mut progress)?
        .ok_or_else(|| Error::Solver("Lemke: arithmetic overflow".into()))
}

/// The starting dictionary `w_i − Σ_j M_ij z_j − d_i z0 = q_i`.
fn lemke_dictionary(
    n: usize,
    m: impl Fn(usize, usize) -> Q,
    q: impl Fn(usize) -> Q,
    d: impl Fn(usize) -> Q,
) -> ExactTableau {
    ExactTableau::from_fn(n, n + 1, |i, j| if j < n { -m(i, j) } else { -d(i) }, q)
}

/// How far a path has come: its dictionary, the variable that left last (`None` before
/// `z0` entered) and the pivots taken.
#[derive(Debug, Clone)]
struct Progress {
    dictionary: ExactTableau,
    left: Option<usize>,
    pivots: usize,
}

impl Progress {
    fn start(dictionary: ExactTableau) -> Self {
        Progress {
            dictionary,
            left: None,
            pivots: 0,
        }
    }
}

/// Follow the path from `progress` on entries of type `T`. `Ok(None)` when an entry does
/// not fit `T`; `progress` then holds the dictionary before the pivot that overflowed.
fn follow_on<T: TableauEntry>(progress: &mut Progress) -> Result<Option<PathEnd>> {
    let Some(mut tab) = IntegerTableau::<T>::from_exact(&progress.dictionary) else {
        return Ok(None);
    };
    let n = tab.basis().rows();
    let z0 = 2 * n;
    let complement = |v: usize| if v < n { v + n } else { v - n };
    loop {
        let pivots = progress.pivots;
        let (row, col) = match progress.left {
            // z0 enters at the least value making w = q + d z0 nonnegative: a ratio test on −d.
            None => {
                let first = tab.lex_min_ratio_with(n, true, None).ok_or_else(|| {
                    Error::Unsupported("LCP: the covering vector covers no row with q < 0".into())
                })?;
                (first, n)
            }
            Some(left) if left == z0 => break,
            Some(left) => {
                if pivots >= limits::MAX_PIVOTS {
                    return Err(Error::Solver(format!(
                        "Lemke: stopped after {pivots} pivots (limits::MAX_PIVOTS)"
                    )));
                }
                let Slot::Col(col) = tab.basis().slot(complement(left)) else {
                    return Err(Error::Solver(
                        "Lemke: entering variable is already basic".into(),
                    ));
                };
                let prefer = match tab.basis().slot(z0) {
                    Slot::Row(r) => Some(r),
                    Slot::Col(_) => None,
                };
                let row = tab.lex_min_ratio_with(col, false, prefer).ok_or_else(|| {
                    Error::Solver(format!(
                        "Lemke: ray termination after {pivots} pivots (no solution reached with this covering vector)"
                    ))
                })?;
                (row, col)
            }
        };
        let leaving = tab.basis().var_at_row(row);
        if let Err(overflow) = tab.try_pivot(row, col) {
            progress.dictionary = tab.before_overflow(overflow);
            return Ok(None);
        }
        progress.left = Some(leaving);
        progress.pivots += 1;
    }
    let z = (0..n).map(|j| tab.value(n + j)).collect();
    let w = (0..n).map(|i| tab.value(i)).collect();
    Ok(Some((z, w, progress.pivots)))
}

#[cfg(test)]
mod tests;
