//! The index of a regular equilibrium of a strategic game, computed from the game alone (no
//! solver or path code), to check the global Newton method against index theory.
//!
//! The math. Govindan & Wilson (*JET* 110, 2003, §2) write the equilibria of the game whose
//! payoffs are `W + λ·g` as the zeros of `Φ(z) = λ·g` with `Φ(z) = z − r(z) − W(r(z))`, `r` the
//! retraction onto the product of the strategy simplices and `W_is(σ)` the payoff of pure
//! strategy s against σ (an equilibrium σ sits at `z = σ + W(σ)`). `Φ` differs from the identity
//! by a bounded map, so its degree is +1: the indices `sign det DΦ` of the (regular) equilibria
//! add up to +1. Along the path `Φ⁻¹({λ·g})` from λ = +∞ the orientation is kept, so its
//! crossings of λ = 0 alternate in index, the first +1 (Govindan & Wilson, Theorem 3.1 and §3).
//!
//! At a regular equilibrium with supports `B` (every unused strategy earns strictly less), `r`
//! is linear near z with derivative `P`, the orthogonal projection onto the tangent space `T`
//! of the face of supports `B` (on each `B_i`: `I − 11ᵀ/|B_i|`; 0 off the supports). So
//! `DΦ = I − P − DW·P`, which is the identity on `ker P` and `−P·DW` on `T`:
//! `index = (−1)^d · sign det(P·DW|_T)`, `d = dim T = Σ_i (|B_i| − 1)`.
//! With `M = ∂W_B/∂σ_B` (rows and columns the support strategies) and `E` the player-incidence
//! matrix, the Jacobian of the support equations `W_is − v_i = 0 (s ∈ B_i)`,
//! `Σ_{s∈B_i} σ_is = 1` in the unknowns `(σ_B, v)`, `J = [[M, −E], [Eᵀ, 0]]`, has (in an
//! orthonormal basis of `T ⊕ span E`) `det J = det(P·M|_T) · Π_i |B_i|`, so
//! `index = (−1)^d · sign det J`.
//! Checks on closed forms (tests/gnm_index.rs): a strict pure equilibrium has index +1, a 2×2
//! coordination game's mixed equilibrium −1, matching pennies' +1, and the indices of every
//! equilibrium enumpoly lists of a random generic game add up to +1.

use nalgebra::DMatrix;
use patron::game::{payoff_range, StrategicGame};

/// A probability above this is in the support.
const SUPPORT: f64 = 1e-9;
/// An unused strategy must earn less than the support by more than this (in units of the payoff
/// range) for the equilibrium to be regular.
const SLACK: f64 = 1e-9;
/// `|det J|` below this times the product of J's column norms (Hadamard's bound) is singular.
const SINGULAR: f64 = 1e-12;

/// The index (+1 or −1) of the regular equilibrium `profile` of `game`, or why it is not a
/// regular equilibrium (an unused strategy that earns as much as the support, a singular
/// Jacobian).
pub fn index(game: &StrategicGame, profile: &[Vec<f64>]) -> Result<i32, String> {
    let counts = game.strategy_counts();
    let n = counts.len();
    let support: Vec<Vec<usize>> = profile
        .iter()
        .map(|p| (0..p.len()).filter(|&s| p[s] > SUPPORT).collect())
        .collect();
    // W[i][s] and dW[i][s][j][t] = ∂W_is/∂σ_jt, by brute force over the pure profiles, in units
    // of the payoff range (so that J's entries are of order 1 and its determinant is compared
    // with a bound of the same scale; a positive factor changes no sign)
    let range = payoff_range(game).max(1.0);
    let mut w: Vec<Vec<f64>> = counts.iter().map(|&c| vec![0.0; c]).collect();
    let mut dw: Vec<Vec<Vec<Vec<f64>>>> = counts
        .iter()
        .map(|&c| vec![counts.iter().map(|&d| vec![0.0; d]).collect(); c])
        .collect();
    for k in 0..game.num_profiles() {
        let pure = game.profile_at(k);
        for i in 0..n {
            let u = game.payoff_f64(i, &pure) / range;
            let others = |skip: &[usize]| -> f64 {
                (0..n)
                    .filter(|p| !skip.contains(p))
                    .map(|p| profile[p][pure[p]])
                    .product()
            };
            w[i][pure[i]] += u * others(&[i]);
            for j in (0..n).filter(|&j| j != i) {
                dw[i][pure[i]][j][pure[j]] += u * others(&[i, j]);
            }
        }
    }
    for i in 0..n {
        let v = support[i]
            .iter()
            .map(|&s| w[i][s])
            .fold(f64::NEG_INFINITY, f64::max);
        for s in (0..counts[i]).filter(|s| !support[i].contains(s)) {
            if w[i][s] > v - SLACK {
                return Err(format!(
                    "player {i}'s unused strategy {s} earns {} against the support's {v} (in \
                     units of the payoff range)",
                    w[i][s]
                ));
            }
        }
    }
    // J in the unknowns (σ_B player by player, v_1..v_n), rows (W_is − v_i for s ∈ B_i, then
    // the n sums)
    let positions: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| support[i].iter().map(move |&s| (i, s)))
        .collect();
    let sigmas = positions.len();
    let size = sigmas + n;
    let mut j = DMatrix::<f64>::zeros(size, size);
    for (row, &(i, s)) in positions.iter().enumerate() {
        for (col, &(p, t)) in positions.iter().enumerate() {
            if p != i {
                j[(row, col)] = dw[i][s][p][t];
            }
        }
        j[(row, sigmas + i)] = -1.0;
        j[(sigmas + i, row)] = 1.0;
    }
    let det = j.clone().lu().determinant();
    let hadamard: f64 = j.column_iter().map(|c| c.norm()).product();
    // a NaN determinant is singular too
    if det.is_nan() || det.abs() <= SINGULAR * hadamard {
        return Err(format!(
            "singular support Jacobian: det {det}, bound {hadamard}"
        ));
    }
    let d: usize = support.iter().map(|b| b.len() - 1).sum();
    let sign = if det > 0.0 { 1 } else { -1 };
    Ok(if d % 2 == 0 { sign } else { -sign })
}

/// The indices of the first `count` equilibria one gnm path crosses, by index theory (module
/// docs): +1, −1, +1, …
pub fn alternating(count: usize) -> Vec<i32> {
    (0..count)
        .map(|k| if k % 2 == 0 { 1 } else { -1 })
        .collect()
}
