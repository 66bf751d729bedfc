//! One Lemke–Howson path in progress, which can be advanced a few pivots at a time, so that
//! several dropped labels can be followed side by side ([`super::race`]) and any of them can be
//! stopped by a deadline between two pivots.
//!
//! Memory does not grow with the path: the cycling guard is Brent's (1980, "An improved Monte
//! Carlo factorization algorithm", *BIT* 20) cycle detection on a 64-bit hash of the basis
//! pair, which keeps one saved hash instead of the set of every basis visited. The exact
//! lexicographic path is simple (Shapley 1974; von Stengel 2002 §3.7), so a repeated basis can
//! only come from rounding in the f64 path; Brent's method finds a cycle of length `λ` entered
//! after `μ` pivots within `2·max(μ, λ) + λ` pivots.

use super::{p_label, p_var};
use crate::solve::deadline::Deadline;
use crate::solve::linalg::tableau::Pivoting;

/// How [`Walker::advance`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Advance {
    /// The dropped label was picked up again: the bases name an equilibrium.
    Ended,
    /// The pivot allowance of this call, or the deadline, ran out first.
    Paused,
    /// No leaving row, or a repeated basis: only rounding can cause these.
    Failed(&'static str),
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

/// Brent's cycle detection on the sequence of basis hashes: the hash saved at the last power
/// of two is compared with every later one.
#[derive(Debug, Clone)]
struct Brent {
    saved: u64,
    power: u64,
    since_saved: u64,
}

impl Brent {
    fn new(start: u64) -> Self {
        Brent {
            saved: start,
            power: 1,
            since_saved: 0,
        }
    }

    /// Whether `hash` repeats the saved one; saves it when the window doubles.
    fn repeats(&mut self, hash: u64) -> bool {
        if hash == self.saved {
            return true;
        }
        self.since_saved += 1;
        if self.since_saved == self.power {
            self.saved = hash;
            self.power = self.power.saturating_mul(2);
            self.since_saved = 0;
        }
        false
    }
}

/// The path that drops `dropped`, alternating pivots between the tableau of `Q` (rows: slacks
/// `r_i`, variable = label) and that of `P` (rows: slacks `s_j`; see [`p_var`]).
#[derive(Clone)]
pub(super) struct Walker<T> {
    pub q_tab: T,
    pub p_tab: T,
    m: usize,
    n: usize,
    pub dropped: usize,
    /// The label that enters next, and in which tableau.
    entering: usize,
    in_q: bool,
    /// Pivots taken so far.
    pub pivots: u64,
    /// XOR of [`zobrist`] keys of both bases' variables, `P`'s offset by `m + n`.
    hash: u64,
    cycle: Brent,
}

impl<T: Pivoting> Walker<T> {
    /// At the artificial equilibrium `(0, 0)` (both tableaux at their slack bases), about to
    /// drop `dropped`.
    pub fn new(q_tab: T, p_tab: T, m: usize, n: usize, dropped: usize) -> Self {
        let offset = m + n;
        let hash = (0..m)
            .chain((0..n).map(|v| offset + v))
            .fold(0, |h, v| h ^ zobrist(v));
        Walker {
            q_tab,
            p_tab,
            m,
            n,
            dropped,
            entering: dropped,
            in_q: dropped >= m,
            pivots: 0,
            hash,
            cycle: Brent::new(hash),
        }
    }

    /// Take at most `allowance` pivots, stopping earlier at the end of the path, at a failure,
    /// or when `deadline` has passed (checked before every pivot).
    pub fn advance(&mut self, allowance: u64, deadline: &Deadline) -> Advance {
        let (m, n, offset) = (self.m, self.n, self.m + self.n);
        for _ in 0..allowance {
            if deadline.passed() {
                return Advance::Paused;
            }
            let entering = self.entering;
            let left = if self.in_q {
                let left = self.q_tab.enter(entering);
                left.inspect(|&l| self.hash ^= zobrist(entering) ^ zobrist(l))
            } else {
                let var = p_var(entering, m, n);
                let left = self.p_tab.enter(var);
                left.map(|l| {
                    self.hash ^= zobrist(offset + var) ^ zobrist(offset + l);
                    p_label(l, m, n)
                })
            };
            let Some(left) = left else {
                return Advance::Failed("the ratio test found no leaving variable");
            };
            self.pivots += 1;
            if left == self.dropped {
                return Advance::Ended;
            }
            if self.cycle.repeats(self.hash) {
                return Advance::Failed("a basis repeated (cycling)");
            }
            self.entering = left;
            self.in_q = !self.in_q;
        }
        Advance::Paused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brent's detector on eventually periodic sequences `μ` steps of a tail then a cycle of
    /// length `λ`: it reports a repeat, never before the cycle has been entered and within the
    /// bound of the module comment; and never on a sequence without repeats.
    #[test]
    fn brent_finds_every_cycle_within_its_bound_and_only_cycles() {
        for mu in 0..40u64 {
            for lambda in 1..40u64 {
                let value = |t: u64| if t < mu { 1000 + t } else { (t - mu) % lambda };
                let mut brent = Brent::new(value(0));
                let found = (1..).find(|&t| brent.repeats(value(t))).unwrap();
                assert!(found >= mu, "μ={mu} λ={lambda}: reported at {found}");
                assert!(
                    found <= 2 * mu.max(lambda) + lambda,
                    "μ={mu} λ={lambda}: {found}"
                );
            }
        }
        let mut brent = Brent::new(0);
        assert!((1..100_000u64).all(|t| !brent.repeats(t)));
    }
}
