//! GameTracer's outer iteration of `ipa` (Govindan & Wilson 2004, §4). In the coordinates
//! `z = s + V(s)` (`V` the payoffs of the pure strategies) a profile is the retraction of `z`
//! onto the strategy simplices ([`retract`]). Each iteration solves the polymatrix
//! approximation at the current `ŝ` (first on the previous answer's support, from the columns
//! of `D` in that support alone; else by Lemke's algorithm, from all of them), maps its answer
//! `s` to `z = D s + s`, and blends `z` into the current `ẑ` with weight `α` (a secant step —
//! the rule of false position — once the support is stable); the iteration stops once `z` and
//! `ẑ`, or `s` and `ŝ`, are within [`FUZZ`], and after one iteration on two-player games (whose
//! approximation is the game itself).

use super::lemke::Lemke;
use super::polymatrix::Tables;
use super::support::{image, SupportSystem};
use crate::error::Result;
use crate::solve::deadline::Deadline;
use crate::solve::linalg::nalgebra_sums::norm_squared;
use nalgebra::DMatrix;

/// GameTracer's blending weight of the new polymatrix answer.
const ALPHA: f64 = 0.2;
/// GameTracer's convergence distance (also its threshold for zeroing small probabilities).
const FUZZ: f64 = 1e-6;
/// Iterations per run before GameTracer restarts its secant memory (as Gambit, from the last
/// point).
pub const ITERATIONS_PER_RUN: usize = 100;

/// What a run needs besides the game: the unit perturbation over all strategies and its best
/// replies.
pub struct Direction {
    /// The perturbation `g`, players in order.
    pub g: Vec<f64>,
    /// Each player's strategy with the largest `g`.
    pub best: Vec<usize>,
}

/// One GameTracer run of at most [`ITERATIONS_PER_RUN`] iterations from `zh` (over all
/// strategies, players in order), on the game's payoffs in GameTracer's units
/// ([`crate::solve::gnm::units`]); the converged profile, or `None` (with `zh` moved on) to
/// run again. `Ok(None)` too when the deadline passed. Every vector and the matrix are
/// allocated once per run and updated in place.
///
/// An iteration makes three passes over the strategies after its polymatrix answer `s` and
/// its image `z` ([`SupportSystem::solve`], [`image`]): `u = ẑ − ŝ` with `(z − ŝ)·u`; then
/// `|u|²`; then, player by player, ẑ and ŷ moved along `u`, the distances, the blend and the
/// retraction of the player's part of the new ẑ. The blend and the retraction are computed
/// before the distances say whether the run has converged (they are then not used); each
/// value is computed by the same operations in the same order as when they came after it.
pub fn run(
    tables: &mut Tables,
    direction: &Direction,
    zh: &mut [f64],
    deadline: &Deadline,
) -> Result<Option<Vec<f64>>> {
    let counts = tables.counts().to_vec();
    let total = zh.len();
    let mut sorted = vec![0.0; counts.iter().copied().max().unwrap_or(0)];
    let mut sh = vec![0.0; total];
    retract(&counts, zh, &mut sh, &mut sorted);
    let mut sho = vec![0.0; total];
    let mut yh = vec![0.0; total];
    let mut y = vec![0.0; total];
    let mut z = vec![0.0; total];
    let mut u = vec![0.0; total];
    // the support of the previous s (of ŝ at first), and this s's
    let mut support: Vec<bool> = sh.iter().map(|&p| p > 0.0).collect();
    let mut next_support = vec![false; total];
    let mut jacobian = DMatrix::zeros(total, total);
    let mut done = vec![false; total];
    let everything = vec![true; total];
    let mut system = SupportSystem::new(&counts);
    let mut lemke = Lemke::new(&counts);
    let mut s = vec![0.0; total];
    for iteration in 1..=ITERATIONS_PER_RUN {
        if deadline.passed() {
            return Ok(None);
        }
        // the columns of the support (all that the support system and z read), the rest only
        // for Lemke's algorithm
        done.fill(false);
        tables.columns(&sh, &support, &mut done, &mut jacobian);
        if !system.solve(&jacobian, &support, &mut s, &mut z) {
            tables.columns(&sh, &everything, &mut done, &mut jacobian);
            match lemke.solve(&jacobian, &direction.g, &direction.best, deadline, &mut s) {
                Err(_) if deadline.passed() => return Ok(None),
                other => other?,
            }
            // z = D s + s (the columns of s's support are computed: Lemke's algorithm read
            // all columns)
            image(&jacobian, &s, &mut z);
        }
        let converged = {
            let (zh, z, s, sh) = (&mut zh[..total], &z[..total], &s[..total], &sh[..total]);
            let (sho, yh, y, u) = (
                &mut sho[..total],
                &mut yh[..total],
                &y[..total],
                &mut u[..total],
            );
            let (support, next_support) = (&support[..total], &mut next_support[..total]);
            // u = ẑ − ŝ, s's support and whether it is the previous s's, and (z − ŝ)·u summed
            // in order from −0 (as `Sum` does), in one pass
            let (mut same_support, mut dot) = (true, -0.0);
            for k in 0..total {
                let inside = s[k] > 0.0;
                next_support[k] = inside;
                same_support &= inside == support[k];
                let uk = zh[k] - sh[k];
                u[k] = uk;
                dot += (z[k] - sh[k]) * uk;
            }
            let u2 = norm_squared(u);
            let ell = dot / u2;
            // player by player: ẑ, ŷ moved along u by ℓ (when |u| > 0 and ℓ ≤ 0 or the
            // support is kept), the squared distances |z − ẑ|², |s − ŝ|² summed in order,
            // the blend towards z (or towards the secant's root once the support is stable),
            // and the player's part of the blended ẑ retracted into `sho` (read no more:
            // ŝ's previous value was last read at this player's strategies)
            let moved = u2 > 0.0 && (ell <= 0.0 || same_support);
            let secant = iteration > 1 && same_support;
            let (mut far_z, mut far_s) = (0.0, 0.0);
            let mut start = 0;
            for &count in &counts {
                let range = start..start + count;
                start += count;
                let (zh, yh, sho) = (
                    &mut zh[range.clone()],
                    &mut yh[range.clone()],
                    &mut sho[range.clone()],
                );
                let (z, y, s, sh, u) = (
                    &z[range.clone()],
                    &y[range.clone()],
                    &s[range.clone()],
                    &sh[range.clone()],
                    &u[range],
                );
                for k in 0..count {
                    if moved {
                        zh[k] = sh[k] + u[k] * ell;
                        yh[k] = sho[k] + (yh[k] - sho[k]) * ell;
                    }
                    let (zk, zhk) = (z[k], zh[k]);
                    let (dz, ds) = (zk - zhk, s[k] - sh[k]);
                    far_z += dz * dz;
                    far_s += ds * ds;
                    let target = if secant {
                        let (yk, yhk) = (y[k], yh[k]);
                        let d = zk - zhk - yk + yhk;
                        if d > FUZZ {
                            (yhk * zk - zhk * yk) / d
                        } else {
                            zk
                        }
                    } else {
                        zk
                    };
                    yh[k] = zhk;
                    zh[k] = target * ALPHA + zhk * (1.0 - ALPHA);
                }
                retract_unfuzzed(zh, sho, &mut sorted);
            }
            counts.len() <= 2 || far_z.sqrt() < FUZZ || far_s.sqrt() < FUZZ
        };
        if converged {
            return Ok(Some(s));
        }
        // this iteration's s's support, z and ŝ become the previous ones, the retracted ẑ
        // the new ŝ (each is rewritten in full before it is read again)
        std::mem::swap(&mut support, &mut next_support);
        std::mem::swap(&mut y, &mut z);
        std::mem::swap(&mut sho, &mut sh);
    }
    Ok(None)
}

/// A vector over all strategies split into one vector per player.
pub fn per_player(counts: &[usize], flat: &[f64]) -> Vec<Vec<f64>> {
    let mut first = 0;
    counts
        .iter()
        .map(|&c| {
            first += c;
            flat[first - c..first].to_vec()
        })
        .collect()
}

/// Each player's part of `z` projected onto its simplex ([`retract_part`]), into `out`;
/// `sorted` is scratch of at least the largest strategy count.
pub fn retract(counts: &[usize], z: &[f64], out: &mut [f64], sorted: &mut [f64]) {
    let mut first = 0;
    for &count in counts {
        let range = first..first + count;
        retract_part(&z[range.clone()], &mut out[range], sorted);
        first += count;
    }
}

/// One player's part `z` projected onto its simplex (the nearest probability vector:
/// `σ_s = max(z_s − τ, 0)` with τ making them sum to 1), into `out` (as long as `z`);
/// `sorted` is scratch at least as long.
fn retract_part(z: &[f64], out: &mut [f64], sorted: &mut [f64]) {
    let tau = threshold(z, sorted);
    for (o, &x) in out[..z.len()].iter_mut().zip(z) {
        *o = (x - tau).max(0.0);
    }
}

/// [`retract_part`] followed by GameTracer's `unfuzz` and `normalizeStrategy` in one pass:
/// probabilities below [`FUZZ`] set to 0, the rest divided by their sum (added in order from
/// −0, as `Sum` does).
fn retract_unfuzzed(z: &[f64], out: &mut [f64], sorted: &mut [f64]) {
    let tau = threshold(z, sorted);
    let out = &mut out[..z.len()];
    let mut sum = -0.0;
    for (o, &x) in out.iter_mut().zip(z) {
        let p = (x - tau).max(0.0);
        let p = if p < FUZZ { 0.0 } else { p };
        *o = p;
        sum += p;
    }
    for p in out {
        *p /= sum;
    }
}

/// The projection's τ for one player's part `z` (`sorted`: scratch at least as long):
/// `(Σ_{k≤K} z_(k) − 1)/K` over the `K` largest, `K` the last whose least exceeds it; the
/// part is sorted by insertion (a player has few strategies).
fn threshold(z: &[f64], sorted: &mut [f64]) -> f64 {
    let sorted = &mut sorted[..z.len()];
    // each value inserted as it is read (no copy first: a call of `memmove` costs more than
    // the few values of one player)
    for (k, &x) in z.iter().enumerate() {
        let mut j = k;
        while j > 0 && sorted[j - 1] < x {
            sorted[j] = sorted[j - 1];
            j -= 1;
        }
        sorted[j] = x;
    }
    let (mut sum, mut tau, mut len) = (0.0, 0.0, 0.0);
    for &value in sorted.iter() {
        sum += value;
        len += 1.0;
        let candidate = (sum - 1.0) / len;
        if value - candidate > 0.0 {
            tau = candidate;
        }
    }
    tau
}

/// Probabilities below [`FUZZ`] set to 0, each player's vector renormalised (GameTracer's
/// `unfuzz` and `normalizeStrategy`), as [`retract_unfuzzed`] does after the projection: the
/// tests' reference for it.
#[cfg(test)]
fn unfuzz(counts: &[usize], s: &mut [f64]) {
    let mut first = 0;
    for &count in counts {
        let part = &mut s[first..first + count];
        for p in part.iter_mut() {
            if *p < FUZZ {
                *p = 0.0;
            }
        }
        let sum: f64 = part.iter().sum();
        part.iter_mut().for_each(|p| *p /= sum);
        first += count;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic values in `[-2, 3)` with repeats (ties in the sort), from a linear
    /// congruential generator.
    fn values(len: usize, seed: u64) -> Vec<f64> {
        let mut x = seed;
        (0..len)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((x >> 40) % 20) as f64 / 4.0 - 2.0 + if x >> 63 == 1 { 0.0 } else { 1e-3 }
            })
            .collect()
    }

    /// The projection onto the simplex by bisection on τ (`Σ max(z − τ, 0) = 1`, decreasing
    /// in τ), written independently of [`retract`]'s sort.
    fn projection_by_bisection(z: &[f64]) -> Vec<f64> {
        let excess = |tau: f64| z.iter().map(|&x| (x - tau).max(0.0)).sum::<f64>() - 1.0;
        let top = z.iter().copied().fold(f64::MIN, f64::max);
        let (mut low, mut high) = (top - 1.0, top);
        for _ in 0..200 {
            let mid = 0.5 * (low + high);
            if excess(mid) > 0.0 {
                low = mid;
            } else {
                high = mid;
            }
        }
        z.iter().map(|&x| (x - low).max(0.0)).collect()
    }

    /// Each player's part is the nearest probability vector: the one bisection on τ finds.
    #[test]
    fn retract_is_the_projection_onto_each_simplex() {
        for (counts, seed) in [
            (vec![3, 3, 3], 1),
            (vec![6, 6, 6], 2),
            (vec![2, 2, 2, 2, 2], 3),
            (vec![5, 4, 3], 4),
            (vec![1, 7], 5),
        ] {
            for round in 0..20 {
                let total = counts.iter().sum();
                let z = values(total, seed * 100 + round);
                let mut out = vec![f64::NAN; total];
                let mut sorted = vec![0.0; 7];
                retract(&counts, &z, &mut out, &mut sorted);
                let mut first = 0;
                for &count in &counts {
                    let expected = projection_by_bisection(&z[first..first + count]);
                    for (a, b) in out[first..first + count].iter().zip(&expected) {
                        assert!((a - b).abs() < 1e-12, "{z:?}: {out:?} against {expected:?}");
                    }
                    first += count;
                }
            }
        }
    }

    /// The fused projection and `unfuzz` give the projection followed by `unfuzz` to the
    /// last bit, on parts with ties, tiny and zero probabilities.
    #[test]
    fn retract_unfuzzed_is_retract_then_unfuzz() {
        for (counts, seed) in [(vec![3, 3, 3], 11), (vec![6, 2, 5], 12), (vec![1, 4], 13)] {
            for round in 0..50 {
                let total = counts.iter().sum();
                let mut z = values(total, seed * 100 + round);
                // a value a hair above another's: a probability below FUZZ after the projection
                z[1] = z[0] - 1.0 + 5e-7;
                let mut sorted = vec![0.0; 6];
                let mut expected = vec![0.0; total];
                retract(&counts, &z, &mut expected, &mut sorted);
                unfuzz(&counts, &mut expected);
                let mut fused = vec![f64::NAN; total];
                let mut first = 0;
                for &count in &counts {
                    let range = first..first + count;
                    retract_unfuzzed(&z[range.clone()], &mut fused[range], &mut sorted);
                    first += count;
                }
                let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&fused), bits(&expected), "{z:?}");
            }
        }
    }

    /// Probabilities below `FUZZ` are dropped and each player's rest rescaled to sum to 1.
    #[test]
    fn unfuzz_drops_tiny_probabilities_and_renormalises() {
        let mut s = vec![0.5, 4e-7, 0.5 - 4e-7, 0.25, 0.75];
        unfuzz(&[3, 2], &mut s);
        let kept = 0.5 + (0.5 - 4e-7);
        let expected = [0.5 / kept, 0.0, (0.5 - 4e-7) / kept, 0.25, 0.75];
        for (a, b) in s.iter().zip(&expected) {
            assert!((a - b).abs() < 1e-15, "{s:?}");
        }
    }
}
