//! The patron's best commitment against logit clients: the global maximum of
//! F(x) = Σ_θ p_θ Σ_a σ_θ(a;x)·U_P(a;x) over the box [0,φ]³ (spec, layer 1: within 1e-6).
//!
//! F is smooth but not concave, so [`optimal_logit_policy`] runs a best-first branch and bound
//! over boxes with a **certified second-order upper bound** (the αBB idea of Adjiman & Floudas,
//! J. Global Optim. 1996, with a Hessian bound derived for this objective below), and stops when
//! the best policy found is provably within [`tol::LOGIT_COMMITMENT_GAP`] of the maximum; the
//! proven gap is returned as `certified_gap`.
//!
//! # The bound
//! Fix a type; write u_a = U_C(a;x), v_a = U_P(a;x), o_a = O(·|a), and for a direction d let
//! α_a = o_a·d (so du_a = −s·α_a, dv_a = −k·α_a). Differentiating the softmax
//! (dσ_a = λ·σ_a·(du_a − E_σ du)) gives, with moments under σ:
//!
//! ```text
//! f    = E[v]
//! df   = −k·E[α] − λ·s·Cov(α, v)
//! d²f  = 2·k·λ·s·Var(α) + λ²·s²·E[(α − Eα)²·(v − Ev)]
//! ```
//!
//! |E[(α−Eα)²(v−Ev)]| ≤ Var(α)·range(v), so by Taylor's theorem (remainder at some ξ in the box B
//! of centre c and half-widths h), for every x ∈ B:
//!
//! ```text
//! F(x) ≤ F(c) + Σ_y |∂_y F(c)|·h_y + Σ_θ p_θ·V_θ(B)/2 · (2|k|λ|s| + λ²s²·R_v(B))
//! D_ab(h) = Σ_y |o_ay − o_by|·h_y                              (≥ |α_a − α_b|)
//! V_θ(B)  = min( max_{a,b} D_ab(h)²/4,  min_m Σ_{a≠m} σ̄_θa(B)·D_am(h)² )   (≥ Var(α) on B)
//! R_v(B)  = max_{a,b} (v_a − v_b at x = 0) + |k|·max_{a,b} D_ab(hi)        (≥ range of v on B)
//! ```
//!
//! The first bound on the variance is Popoviciu's; the second is Var(α) ≤ E[(α − α_m)²] with
//! σ̄_θa(B) ≥ σ_θa on B, from the corner minima of the affine differences u_b − u_a. The second
//! makes the bound tight wherever a type plays one action almost surely, which at large λ is
//! almost everywhere. The first-order part is exact at the box's best corner, so the bound
//! overshoots the box's maximum by O(h²) and boxes around a maximiser (interior or on a face)
//! close quickly. Values are computed in `f64`; their rounding (≈ 1e-16 relative) is far below
//! the gap reported.

use super::{logit_outcome, logit_value, value_and_gradient, Mixtures};
use crate::error::{Error, Result};
use crate::limits;
use crate::model::dyad::{DyadGame, PolicyOutcome, TYPES};
use crate::model::params::{Action, Policy};
use crate::num::tol;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// The constants of the second-order bound (module documentation), computed once per dyad.
struct Curvature {
    lambda: f64,
    prior: [f64; 2],
    /// O(·|a), indexed `[action][signal]`.
    observed: [[f64; 3]; 3],
    /// g_θ(a) − r(a), indexed `[type][action]`.
    client_base: [[f64; 3]; 2],
    dependence: f64,
    /// max_{a,b} (v_a − v_b) at x = 0.
    base_range: f64,
    /// |k|, 2|k|λ|s| and λ²s².
    abs_k: f64,
    linear: f64,
    quadratic: f64,
}

impl Curvature {
    fn new(game: &DyadGame, lambda: f64) -> Self {
        let base = Action::ALL.map(|a| game.patron_base(a));
        let top = base.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let bottom = base.iter().copied().fold(f64::INFINITY, f64::min);
        let (s, k) = (game.dependence().abs(), game.sanction_cost().abs());
        Curvature {
            lambda,
            prior: TYPES.map(|t| game.prior(t)),
            observed: Action::ALL.map(|a| game.observed(a)),
            client_base: TYPES.map(|t| Action::ALL.map(|a| game.client_base(t, a))),
            dependence: game.dependence(),
            base_range: top - bottom,
            abs_k: k,
            linear: 2.0 * k * lambda * s,
            quadratic: lambda * lambda * s * s,
        }
    }

    /// D_ab(h) = Σ_y |o_ay − o_by|·h_y: the largest |α_a − α_b| over directions |d_y| ≤ h_y.
    fn distance(&self, a: usize, b: usize, h: &[f64; 3]) -> f64 {
        (0..3)
            .map(|y| (self.observed[a][y] - self.observed[b][y]).abs() * h[y])
            .sum()
    }

    /// max_{a,b} D_ab(h): the largest range of α.
    fn spread(&self, h: &[f64; 3]) -> f64 {
        [(0, 1), (0, 2), (1, 2)]
            .iter()
            .map(|&(a, b)| self.distance(a, b, h))
            .fold(0.0, f64::max)
    }

    /// An upper bound on σ_θ(a;x) over the box: U_C(θ,b) − U_C(θ,a) is affine in x, so its
    /// minimum over the box, δ_ab, is at a corner, and σ_a ≤ 1 / (1 + Σ_{b≠a} exp(λ·δ_ab)).
    fn sigma_upper(&self, t: usize, lo: &[f64; 3], hi: &[f64; 3]) -> [f64; 3] {
        let c = &self.client_base[t];
        [0, 1, 2].map(|a| {
            let others: f64 = (0..3)
                .filter(|&b| b != a)
                .map(|b| {
                    // u_b − u_a = c_b − c_a − s·(o_b − o_a)·x
                    let least: f64 = (0..3)
                        .map(|y| {
                            let w = -self.dependence * (self.observed[b][y] - self.observed[a][y]);
                            (w * lo[y]).min(w * hi[y])
                        })
                        .sum();
                    (self.lambda * (c[b] - c[a] + least)).exp()
                })
                .sum();
            1.0 / (1.0 + others)
        })
    }

    /// A bound on Var_σ(α) over the box for type t: Var(α) ≤ E[(α − α_m)²] ≤ Σ_{a≠m} σ_a^hi·D_am²
    /// for every m, and ≤ range(α)²/4 (Popoviciu).
    fn variance_bound(&self, t: usize, lo: &[f64; 3], hi: &[f64; 3], h: &[f64; 3]) -> f64 {
        let upper = self.sigma_upper(t, lo, hi);
        let popoviciu = self.spread(h).powi(2) / 4.0;
        (0..3)
            .map(|m| {
                (0..3)
                    .filter(|&a| a != m)
                    .map(|a| upper[a] * self.distance(a, m, h).powi(2))
                    .sum::<f64>()
            })
            .fold(popoviciu, f64::min)
    }

    /// Σ_θ p_θ·Var_θ/2·(2|k|λ|s| + λ²s²·R_v(B)), R_v from the box's upper corner: the bound on
    /// the Taylor remainder of F over the box.
    fn remainder(&self, lo: &[f64; 3], hi: &[f64; 3], h: &[f64; 3]) -> f64 {
        let range_v = self.base_range + self.abs_k * self.spread(hi);
        let coefficient = self.linear + self.quadratic * range_v;
        let variance: f64 = (0..2)
            .map(|t| self.prior[t] * self.variance_bound(t, lo, hi, h))
            .sum();
        variance / 2.0 * coefficient
    }
}

fn centre(lo: &[f64; 3], hi: &[f64; 3]) -> Policy {
    [0, 1, 2].map(|y| 0.5 * (lo[y] + hi[y]))
}

/// A box of policies, its centre's value and gradient, and the upper bound on F over it.
struct Cell {
    lo: [f64; 3],
    hi: [f64; 3],
    value: f64,
    gradient: [f64; 3],
    remainder: f64,
    bound: f64,
}

impl Cell {
    fn new(game: &DyadGame, curvature: &Curvature, lo: [f64; 3], hi: [f64; 3]) -> Self {
        let h = [0, 1, 2].map(|y| 0.5 * (hi[y] - lo[y]));
        let (value, gradient) = value_and_gradient(game, curvature.lambda, &centre(&lo, &hi));
        let first_order: f64 = (0..3).map(|y| gradient[y].abs() * h[y]).sum();
        let remainder = curvature.remainder(&lo, &hi, &h);
        Cell {
            lo,
            hi,
            value,
            gradient,
            remainder,
            bound: value + first_order + remainder,
        }
    }

    /// The two halves along the coordinate whose width adds most to the bound: its first-order
    /// term plus its share of the remainder (which grows with the square of the widths).
    fn split(&self, game: &DyadGame, curvature: &Curvature) -> [Cell; 2] {
        let h = [0, 1, 2].map(|y| 0.5 * (self.hi[y] - self.lo[y]));
        let spread = curvature.spread(&h);
        let weight = |y: usize| {
            let mut unit = [0.0; 3];
            unit[y] = h[y];
            let share = if spread > 0.0 {
                curvature.spread(&unit) / spread
            } else {
                0.0
            };
            h[y] * self.gradient[y].abs() + self.remainder * share
        };
        let y = (0..3)
            .max_by(|&a, &b| weight(a).total_cmp(&weight(b)))
            .unwrap_or(0);
        let (mut left_hi, mut right_lo) = (self.hi, self.lo);
        let middle = centre(&self.lo, &self.hi)[y];
        left_hi[y] = middle;
        right_lo[y] = middle;
        [
            Cell::new(game, curvature, self.lo, left_hi),
            Cell::new(game, curvature, right_lo, self.hi),
        ]
    }
}

impl PartialEq for Cell {
    fn eq(&self, other: &Self) -> bool {
        self.bound.total_cmp(&other.bound) == Ordering::Equal
    }
}
impl Eq for Cell {}
impl PartialOrd for Cell {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Cell {
    fn cmp(&self, other: &Self) -> Ordering {
        self.bound.total_cmp(&other.bound)
    }
}

/// The patron's best commitment against logit clients, with its certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct LogitCommitment {
    pub outcome: PolicyOutcome,
    pub mixtures: Mixtures,
    /// Proven: max_x F(x) − F(policy) ≤ this (at most [`tol::LOGIT_COMMITMENT_GAP`]).
    pub certified_gap: f64,
    /// Boxes evaluated by the branch and bound.
    pub boxes: usize,
}

/// The global maximiser of F over \[0,φ\]³ by branch and bound (see the module documentation),
/// refused with `Error::Solver` if [`limits::MAX_LOGIT_COMMITMENT_BOXES`] boxes do not suffice.
pub fn optimal_logit_policy(game: &DyadGame, lambda: f64) -> Result<LogitCommitment> {
    if !(lambda.is_finite() && lambda >= 0.0) {
        return Err(Error::Unsupported(format!(
            "logit precision λ = {lambda} must be a finite number ≥ 0"
        )));
    }
    let curvature = Curvature::new(game, lambda);
    if !(curvature.quadratic.is_finite() && curvature.linear.is_finite()) {
        return Err(Error::Unsupported(format!(
            "logit precision λ = {lambda} is too large for the optimiser's curvature bound (λ²s² overflows)"
        )));
    }
    let root = Cell::new(game, &curvature, [0.0; 3], [game.credibility(); 3]);
    let mut best = (root.value, centre(&root.lo, &root.hi));
    let mut closed = f64::NEG_INFINITY; // largest bound of a box set aside
    let mut open = BinaryHeap::from([root]);
    let mut boxes = 1;
    let gap = tol::LOGIT_COMMITMENT_GAP;
    while let Some(cell) = open.pop() {
        if cell.bound <= best.0 + gap {
            closed = closed.max(cell.bound);
            break;
        }
        if boxes >= limits::MAX_LOGIT_COMMITMENT_BOXES {
            return Err(Error::Solver(format!(
                "logit commitment: after {boxes} boxes the best policy {:?} is only known to be within {:e} \
                 of the optimum (λ = {lambda}); the target is {gap:e}",
                best.1,
                cell.bound - best.0
            )));
        }
        for child in cell.split(game, &curvature) {
            boxes += 1;
            if child.value > best.0 {
                best = (child.value, centre(&child.lo, &child.hi));
            }
            if child.bound > best.0 + gap {
                open.push(child);
            } else {
                closed = closed.max(child.bound);
            }
        }
    }
    let policy = snap_to_bounds(game, lambda, best);
    let (outcome, mixtures) = logit_outcome(game, lambda, &policy);
    Ok(LogitCommitment {
        outcome,
        mixtures,
        certified_gap: (closed - outcome.patron_value).max(0.0),
        boxes,
    })
}

/// Branch and bound returns box centres, never exactly 0 or φ; a coordinate within
/// [`tol::LOGIT_SNAP`] of a bound is moved onto it when that does not lower F (so a policy that
/// sanctions "with probability 1e-9" reads as not sanctioning, and the certificate still holds).
fn snap_to_bounds(game: &DyadGame, lambda: f64, (mut value, mut x): (f64, Policy)) -> Policy {
    let cap = game.credibility();
    for y in 0..3 {
        for bound in [0.0, cap] {
            if (x[y] - bound).abs() <= tol::LOGIT_SNAP {
                let mut moved = x;
                moved[y] = bound;
                let v = logit_value(game, lambda, &moved);
                if v >= value {
                    (value, x) = (v, moved);
                }
            }
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::logit::logit_mixtures;
    use crate::model::spec_defaults::{spec_model, SpecScenario};
    use proptest::prelude::*;

    fn game(i: usize) -> DyadGame {
        let d = &spec_model(SpecScenario::War).dyads[i];
        DyadGame::new(&d.name, &d.params).unwrap()
    }

    /// The analytic gradient against central differences.
    #[test]
    fn gradient_matches_finite_differences() {
        for (i, lambda) in [(1, 0.0), (1, 7.0), (4, 40.0), (0, 3.0)] {
            let g = game(i);
            let x = [0.1, 0.25, 0.3];
            let (_, grad) = value_and_gradient(&g, lambda, &x);
            for y in 0..3 {
                let step = 1e-6;
                let (mut up, mut down) = (x, x);
                up[y] += step;
                down[y] -= step;
                let numeric =
                    (logit_value(&g, lambda, &up) - logit_value(&g, lambda, &down)) / (2.0 * step);
                assert!(
                    (numeric - grad[y]).abs() < 1e-6,
                    "dyad {i} λ {lambda} y {y}: {numeric} vs {}",
                    grad[y]
                );
            }
        }
    }

    /// Random dyads over the parameters' domains (payoffs in [−1, 1], costs in [0, 1]).
    pub(crate) fn random_dyad() -> impl Strategy<Value = DyadGame> {
        let unit = || 0.0f64..1.0;
        let real = || -1.0f64..1.0;
        (
            prop::array::uniform8(unit()),
            prop::array::uniform8(real()),
            prop::array::uniform3(0.0f64..1.0),
            0.0f64..12.0,
        )
            .prop_map(|(p, r, c, n)| {
                let per = |k: f64, e: f64| crate::model::params::PerAction { k, e };
                let params = crate::model::params::DyadParams {
                    prior_autonomous: p[0],
                    monitoring: p[1],
                    lethality: p[2] * 0.1,
                    spoiler_rate: p[3] * 0.2,
                    credibility: p[4],
                    breaks_ceasefire: 1.0,
                    war_risk: per(p[5], p[6]),
                    attacks_per_week: n,
                    dependence: c[0],
                    sanction_cost: c[1],
                    war_cost: c[2] + p[7],
                    gain_aligned: per(r[0], r[1]),
                    gain_autonomous: per(r[2], r[3]),
                    retaliation: per(r[4].abs(), r[5].abs()),
                    patron_value: per(r[6], r[7]),
                };
                DyadGame::new("random", &params).expect("in domain")
            })
    }

    #[test]
    fn refuses_precisions_it_cannot_bound() {
        let g = game(1);
        for lambda in [-1.0, f64::NAN, f64::INFINITY, 1e200] {
            assert!(optimal_logit_policy(&g, lambda).is_err(), "λ = {lambda}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// The second-order bound holds at random points of random boxes (wide and narrow) of
        /// random dyads, up to λ = 300.
        #[test]
        fn bound_holds_inside_its_box(
            g in random_dyad(),
            lambda in 0.0f64..300.0,
            corner in prop::array::uniform3(0.0f64..1.0),
            width in prop::array::uniform3(0.0f64..1.0),
            narrow in 0i32..5,
            at in prop::array::uniform3(0.0f64..1.0),
        ) {
            let cap = g.credibility();
            let lo = corner.map(|c| c * cap);
            let hi = [0, 1, 2].map(|y| lo[y] + width[y] * 10f64.powi(-narrow) * (cap - lo[y]));
            let cell = Cell::new(&g, &Curvature::new(&g, lambda), lo, hi);
            // a random point, and the corner where the first-order part is largest (there only
            // the remainder term can keep the bound above F)
            let inside = [0, 1, 2].map(|y| lo[y] + at[y] * (hi[y] - lo[y]));
            let corner = [0, 1, 2].map(|y| if cell.gradient[y] > 0.0 { hi[y] } else { lo[y] });
            for x in [inside, corner] {
                let f = logit_value(&g, lambda, &x);
                prop_assert!(f <= cell.bound + 1e-12, "F({x:?}) = {f} above the bound {}", cell.bound);
            }
        }

        /// λ = 0: both types mix uniformly whatever the policy.
        #[test]
        fn zero_precision_mixes_uniformly(g in random_dyad(), x in prop::array::uniform3(0.0f64..1.0)) {
            for m in logit_mixtures(&g, 0.0, &x) {
                for p in m {
                    prop_assert!((p - 1.0 / 3.0).abs() < 1e-15);
                }
            }
        }
    }
}
