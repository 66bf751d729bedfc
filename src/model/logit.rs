//! The quantal-response variant of layer 1 (`../shared/spec/model.md`, layer 1, `behaviour =
//! "logit"`): each client type mixes σ_θ(a) ∝ exp(λ·U_C(θ,a;x)) (McKelvey & Palfrey, "Quantal
//! response equilibria for normal form games", GEB 1995), and the patron commits to the policy
//! x ∈ [0,φ]³ that maximises its expected utility F(x) = Σ_θ p_θ Σ_a σ_θ(a;x)·U_P(a;x).
//!
//! F is smooth but not concave, so [`optimal_logit_policy`] finds its global maximum by branch and
//! bound over boxes with a **certified second-order upper bound** (the αBB idea of Adjiman &
//! Floudas, J. Global Optim. 1996, with a Hessian bound derived for this objective), and stops
//! when the best policy found is provably within [`tol::LOGIT_COMMITMENT_GAP`] of the maximum.
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
//! Var(α) ≤ range(α)²/4 (Popoviciu) and |E[(α−Eα)²(v−Ev)]| ≤ Var(α)·range(v), so for x = c + d in
//! a box B with half-widths h (Taylor with the remainder at some ξ ∈ B):
//!
//! ```text
//! F(x) ≤ F(c) + Σ_y |∂_y F(c)|·h_y + ρ(h)²/8 · (2|k|λ|s| + λ²s²·R_v(B))
//! ρ(h)   = max_{a,b} Σ_y |o_ay − o_by|·h_y                     (≥ range of α)
//! R_v(B) = max_{a,b} (v_a − v_b at x = 0) + |k|·Σ_y |o_ay − o_by|·hi_y   (≥ range of v on B)
//! ```
//!
//! The remainder term does not depend on the type, so it bounds the prior-weighted sum as well.
//! The first-order part is exact at the box's best corner, so the bound overshoots the box's
//! maximum by O(h²) and boxes around a maximiser (interior or on a face) are closed quickly.
//! Values are computed in `f64`; their rounding (≈ 1e-16 relative) is far below the gap reported.

use crate::error::{Error, Result};
use crate::limits;
use crate::model::chain::{weekly_chances, ChainClient, WeeklyChances};
use crate::model::dyad::stackelberg::DyadSolution;
use crate::model::dyad::{dot, DyadGame, PolicyOutcome, TYPES};
use crate::model::params::{Action, DyadParams, Policy, Signal};
use crate::num::tol;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Each type's mixture over (R, K, E), indexed `[type][action]`.
pub type Mixtures = [[f64; 3]; 2];

/// σ_θ(·;x) ∝ exp(λ·U_C(θ,·;x)) for both types; uniform at λ = 0.
pub fn logit_mixtures(game: &DyadGame, lambda: f64, x: &Policy) -> Mixtures {
    TYPES.map(|t| softmax(lambda, Action::ALL.map(|a| game.client_utility(t, a, x))))
}

/// F(x) = Σ_θ p_θ Σ_a σ_θ(a;x)·U_P(a;x): the patron's expected utility against logit clients.
pub fn logit_value(game: &DyadGame, lambda: f64, x: &Policy) -> f64 {
    value_and_gradient(game, lambda, x).0
}

/// What a policy does against logit clients: the policy, each type's most likely action (ties to
/// the lower of R < K < E), the patron's expected utility F(x), and the full mixtures.
pub fn logit_outcome(game: &DyadGame, lambda: f64, x: &Policy) -> (PolicyOutcome, Mixtures) {
    let mixtures = logit_mixtures(game, lambda, x);
    let outcome = PolicyOutcome {
        policy: *x,
        actions: mixtures.map(|m| most_likely(&m)),
        patron_value: logit_value(game, lambda, x),
    };
    (outcome, mixtures)
}

/// The first action of largest probability.
fn most_likely(m: &[f64; 3]) -> Action {
    Action::ALL.into_iter().fold(Action::R, |best, a| {
        if m[a.index()] > m[best.index()] {
            a
        } else {
            best
        }
    })
}

/// exp(λ·u) normalised, computed with the largest exponent subtracted (no overflow at large λ).
fn softmax(lambda: f64, u: [f64; 3]) -> [f64; 3] {
    let top = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w = u.map(|v| (lambda * (v - top)).exp());
    let total: f64 = w.iter().sum();
    w.map(|v| v / total)
}

/// F(x) and ∇F(x) (formula in the module documentation).
fn value_and_gradient(game: &DyadGame, lambda: f64, x: &Policy) -> (f64, [f64; 3]) {
    let (s, k) = (game.dependence(), game.sanction_cost());
    let o = Action::ALL.map(|a| game.observed(a));
    let v = Action::ALL.map(|a| game.patron_utility(a, x));
    let mut value = 0.0;
    let mut gradient = [0.0; 3];
    for (t, sigma) in TYPES.iter().zip(logit_mixtures(game, lambda, x)) {
        let p = game.prior(*t);
        let mean_v = dot(&sigma, &v);
        value += p * mean_v;
        for (y, g) in gradient.iter_mut().enumerate() {
            let column = [o[0][y], o[1][y], o[2][y]];
            let mean_o = dot(&sigma, &column);
            let covariance: f64 = (0..3)
                .map(|a| sigma[a] * (column[a] - mean_o) * (v[a] - mean_v))
                .sum();
            *g += p * (-k * mean_o - lambda * s * covariance);
        }
    }
    (value, gradient)
}

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

/// A box of policies, its centre's value and gradient, and the upper bound on F over it.
struct Cell {
    lo: [f64; 3],
    hi: [f64; 3],
    centre: Policy,
    value: f64,
    gradient: [f64; 3],
    remainder: f64,
    bound: f64,
}

impl Cell {
    fn new(game: &DyadGame, curvature: &Curvature, lo: [f64; 3], hi: [f64; 3]) -> Self {
        let centre = [0, 1, 2].map(|y| 0.5 * (lo[y] + hi[y]));
        let h = [0, 1, 2].map(|y| 0.5 * (hi[y] - lo[y]));
        let (value, gradient) = value_and_gradient(game, curvature.lambda, &centre);
        let first_order: f64 = (0..3).map(|y| gradient[y].abs() * h[y]).sum();
        let remainder = curvature.remainder(&lo, &hi, &h);
        Cell {
            lo,
            hi,
            centre,
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
        left_hi[y] = self.centre[y];
        right_lo[y] = self.centre[y];
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

/// The global maximiser of F over [0,φ]³ by branch and bound (see the module documentation),
/// refused with `Error::Solver` if [`limits::MAX_LOGIT_COMMITMENT_BOXES`] boxes do not suffice.
pub fn optimal_logit_policy(game: &DyadGame, lambda: f64) -> Result<LogitCommitment> {
    if !(lambda.is_finite() && lambda >= 0.0) {
        return Err(Error::Unsupported(format!(
            "logit precision λ = {lambda} must be a finite number ≥ 0"
        )));
    }
    let curvature = Curvature::new(game, lambda);
    let root = Cell::new(game, &curvature, [0.0; 3], [game.credibility(); 3]);
    let mut best = (root.value, root.centre);
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
                best = (child.value, child.centre);
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

/// The logit side of a dyad's layer-1 answer (`DyadSolution::quantal`).
#[derive(Debug, Clone, PartialEq)]
pub struct QuantalDetail {
    pub lambda: f64,
    /// Mixtures at the optimal, unconditional and status-quo policies.
    pub optimal: Mixtures,
    pub unconditional: Mixtures,
    pub status_quo: Option<Mixtures>,
    /// Proven bound on how far the optimal policy's value may lie below the global optimum.
    pub certified_gap: f64,
}

/// Layer 1 against logit clients: the certified best commitment, x = 0, and the status quo.
pub fn solve_logit_dyad(
    game: &DyadGame,
    lambda: f64,
    status_quo: Option<&Policy>,
) -> Result<DyadSolution> {
    let best = optimal_logit_policy(game, lambda)?;
    let (unconditional, unconditional_mix) = logit_outcome(game, lambda, &[0.0; 3]);
    let status = status_quo.map(|x| logit_outcome(game, lambda, x));
    Ok(DyadSolution {
        optimal: best.outcome,
        unconditional,
        status_quo: status.map(|(o, _)| o),
        value_of_commitment: best.outcome.patron_value - unconditional.patron_value,
        quantal: Some(QuantalDetail {
            lambda,
            optimal: best.mixtures,
            unconditional: unconditional_mix,
            status_quo: status.map(|(_, m)| m),
            certified_gap: best.certified_gap,
        }),
    })
}

/// The chain's view of a client whose types mix (spec, layer 2): every weekly chance is linear
/// in the true-signal probabilities (b = β·maj, i = inc + (1−β)·maj, v = ω(a)·maj), so averaging
/// inc and maj over the mixture, with ω of each action weighted by its probability, is the
/// mixture of the per-action chances. Actions played with probability 0 are left out (and so
/// are not held to ω ≤ β); a pure mixture gives exactly [`ChainClient::new`]'s numbers.
pub fn mixed_chain_client(
    dyad: &str,
    params: &DyadParams,
    mixtures: &Mixtures,
) -> Result<ChainClient> {
    let mix = |sigma: &[f64; 3]| -> Result<WeeklyChances> {
        let mut total = WeeklyChances::default();
        for a in Action::ALL.into_iter().filter(|a| sigma[a.index()] > 0.0) {
            let c = weekly_chances(dyad, params, a)?;
            let p = sigma[a.index()];
            total.brk += p * c.brk;
            total.incident += p * c.incident;
            total.war += p * c.war;
        }
        Ok(total)
    };
    Ok(ChainClient {
        prior: [1.0 - params.prior_autonomous, params.prior_autonomous],
        chances: [mix(&mixtures[0])?, mix(&mixtures[1])?],
    })
}

/// JSON of an outcome against logit clients: the best-response shape with `actions` replaced by
/// each type's mixture, `{"policy": {"quiet", "incident", "major"}, "actions": {"aligned": {"R",
/// "K", "E"}, "autonomous": {…}}, "patron_value"}`.
pub struct MixedOutcomeJson<'a>(pub &'a PolicyOutcome, pub &'a Mixtures);

impl serde::Serialize for MixedOutcomeJson<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Entries<'a, V>(Vec<(&'a str, V)>);
        impl<V: serde::Serialize> serde::Serialize for Entries<'_, V> {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
            }
        }
        let policy = Entries(
            Signal::ALL
                .iter()
                .map(|y| (y.name(), self.0.policy[*y as usize]))
                .collect(),
        );
        let mixture = |m: &[f64; 3]| {
            Entries(
                Action::ALL
                    .iter()
                    .map(|a| (a.name(), m[a.index()]))
                    .collect(),
            )
        };
        let actions = Entries(
            TYPES
                .iter()
                .map(|t| (t.name(), mixture(&self.1[*t as usize])))
                .collect(),
        );
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("policy", &policy)?;
        map.serialize_entry("actions", &actions)?;
        map.serialize_entry("patron_value", &self.0.patron_value)?;
        map.end()
    }
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
