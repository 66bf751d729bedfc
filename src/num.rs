//! Numbers: exact rationals for the engine, and the one place that decides every float tolerance.
//!
//! Exact arithmetic uses `dashu`'s reduced rationals ([`Q`]); the float view is `f64`.
//! Solver code never compares floats with `==`: it calls the predicates here.

use dashu::base::Approximation;
pub use dashu::integer::IBig;
pub use dashu::rational::RBig as Q;
use std::str::FromStr;

/// Every tolerance the project uses, in one place (see `docs/numbers.md`).
pub mod tol {
    /// Largest regret a floating-point equilibrium may have and still be printed.
    pub const REGRET_F64: f64 = 1e-9;
    /// Two float probabilities closer than this are the same point when matching equilibria.
    pub const PROB_MATCH: f64 = 1e-6;
    /// Best-response ties in the patron–client model (spec, layer 1 "tie rule").
    pub const TIE: f64 = 1e-9;
    /// Equal LP objective values when ranking action profiles (spec, layer 1).
    pub const LP_VALUE_TIE: f64 = 1e-12;
    /// The least-total-sanction second LP keeps the first objective within this (spec, layer 1).
    pub const LP_OBJECTIVE_HOLD: f64 = 1e-9;
    /// Feasibility slack accepted from a floating-point LP backend.
    pub const LP_FEASIBILITY: f64 = 1e-9;
    /// Smallest entry the f64 pivoting tableau (Lemke–Howson) accepts as a pivot; payoffs are
    /// first mapped into [1, 2], so entries start at that scale.
    pub const PIVOT_F64: f64 = 1e-9;
    /// Two f64 ratios in the lexicographic ratio test tie when they differ by at most this
    /// times `1 + |ratio|`; ties go on to the next lexicographic key. A wrong call only costs
    /// speed: the final basis is recomputed and certified exactly.
    pub const RATIO_TIE_F64: f64 = 1e-9;
    /// A plotted axis whose values spread less than this fraction of their size is drawn as a
    /// constant (padded around the value) rather than zoomed into rounding noise.
    pub const PLOT_FLAT_RANGE: f64 = 1e-9;
    /// A float LP solution's constraint counts as binding when its slack is below this (relative
    /// to the row's largest coefficient): the binding set is then solved exactly (`solve::linalg::exact_lp`).
    pub const LP_ACTIVE: f64 = 1e-7;
    /// Path-following Newton corrector (logit QRE): converged when no probability moves by more
    /// than this × (1 + λ·largest |payoff|), and λ by no more than this × (1 + λ).
    pub const QRE_NEWTON: f64 = 1e-12;
    /// Smallest arclength step the logit path tracer may take before it reports failure.
    pub const QRE_MIN_STEP: f64 = 1e-10;
    /// Logit polish at a requested λ near a bifurcation of the branch: when Newton's method
    /// does not settle, its steps leave out the Jacobian's singular directions below this
    /// fraction of its largest singular value (about the square root of the double precision).
    pub const QRE_SINGULAR_CUTOFF: f64 = 1e-8;
    /// Largest logit fixed-point residual (|probability − logit response to the profile's own
    /// values|) a QRE may have, × (1 + λ·largest |payoff|), to be printed (`game::qre`).
    pub const QRE_RESIDUAL: f64 = 1e-9;
    /// `logit --estimate`: a point of the branch replaces the best fit only when its
    /// log-likelihood is higher by more than this × (1 + |log-likelihood|), so a flat likelihood
    /// keeps its first (smallest-λ) maximiser.
    pub const QRE_LOGLIKE_TIE: f64 = 1e-12;
    /// The patron's best commitment against logit clients (spec, layer 1: within 1e-6 of the
    /// global optimum): branch and bound stops once the best policy is proven this close.
    pub const LOGIT_COMMITMENT_GAP: f64 = 1e-7;
    /// A logit-optimal sanction probability this close to 0 or to the cap φ is moved onto it
    /// when that does not lower the patron's value.
    pub const LOGIT_SNAP: f64 = 1e-6;
    /// The dense `f64` simplex of `solve::linalg::simplex` (matrix scaled into (0, 1]): reduced costs
    /// and pivot candidates within this of zero count as zero, and a ratio-test step this small
    /// counts as degenerate. A wrong call only costs speed: the final basis is solved exactly
    /// and certified, and a failure falls back to the exact LP refinement.
    pub const SIMPLEX_ZERO: f64 = 1e-9;
    /// Relative margin of the floating-point screen in exact ratio tests
    /// (`solve::linalg::tableau`, vertex enumeration's pivots): ratios of two integers converted to `f64` are within 2⁻⁴⁹ of
    /// the true ratio, so two that differ by more than this factor compare the same way
    /// exactly. Not a tolerance: closer pairs are compared in exact arithmetic.
    pub const RATIO_SCREEN: f64 = 1.0 / (1u64 << 46) as f64;
    /// `enumpoly` skips a support profile when one of its strategies is strictly dominated,
    /// against the opponents' supports, by more than this × the payoff scale (in `f64`). Far above
    /// the rounding of reading exact payoffs, so a skipped profile is certainly dominated.
    pub const SUPPORT_DOMINANCE: f64 = 1e-12;
    /// Rounding allowance of `enumpoly`'s interval bounds computed in `f64`, per operation: a
    /// sum of N products is widened by N × this × the sum of their magnitudes (the rounding is
    /// at most about N × 2⁻⁵³ of it; Higham, "Accuracy and Stability of Numerical Algorithms",
    /// §3.1), so that "0 is outside the range" and "K ⊂ X" are proofs.
    pub const INTERVAL_ROUNDING: f64 = 1e-14;
    /// Within this of a face of `enumpoly`'s probability region (a probability this close to 0
    /// throughout a box) zeros are left to the smaller support; also the absolute part of the
    /// boxes' inflation for the Krawczyk test.
    pub const ROOT_BOX_WIDTH: f64 = 1e-9;
    /// `enumpoly` stops bisecting a box this narrow that the Krawczyk test could not resolve and
    /// reports its support unresolved (incomplete). Equilibria closer than this are reported as
    /// one anyway ([`PROB_MATCH`]), so finer boxes cannot add an answer; they only cost time on
    /// a component of equilibria, which boxes must cover down to this width (at 1e-9, Gambit's
    /// `condjury.efg` took 24 s; at this width 0.1 s, the same answer).
    pub const ROOT_SEPARATION: f64 = PROB_MATCH;
    /// Newton's method on a support system has converged when no unknown moves by more than this.
    pub const NEWTON_STEP: f64 = 1e-13;
    /// A zero of a support system may have probabilities this far below zero (rounding of an
    /// equilibrium where a support strategy has probability 0) and still be an equilibrium.
    pub const ROOT_PROBABILITY: f64 = 1e-9;
    /// `enumpoly`'s exact recovery: a probability is replaced by the first convergent of its
    /// continued fraction this close to it (exact certification then decides).
    pub const RATIONAL_RECOVERY: f64 = 1e-10;
    /// Approximate solvers (`simpdiv`, `liap`): the support thresholds tried, in turn, when
    /// polishing an approximate equilibrium (`solve::polish`): strategies played with at most
    /// this probability are taken to be unused. The path of `simpdiv` leaves unused strategies
    /// a grid step or so of probability, `liap` about the square root of its regret bound.
    pub const POLISH_SUPPORT: [f64; 3] = [1e-6, 1e-4, 1e-2];
    /// A polished equilibrium is kept only when no probability moved by more than this from
    /// the approximate one: it is then the equilibrium the solver was approaching.
    pub const POLISH_DISTANCE: f64 = 1e-2;
    /// Tempered SMC (`calibrate::infer`) stops bisecting for the next temperature when the
    /// bracket is narrower than this fraction of the distance left to β = 1. Any increasing
    /// schedule is valid; this only decides how closely the conditional ESS meets its target.
    pub const TEMPER_BISECTION: f64 = 1e-6;
    /// The incomplete gamma function's series and continued fraction (χ² p-values of
    /// `calibrate::infer`) stop when a term changes the result by less than this, relatively.
    pub const GAMMA_SERIES: f64 = 1e-15;
    /// `gnm`'s Newton iterations (corrector, and locating support changes and equilibria on the
    /// path) have converged when no unknown moves by more than this × (1 + the largest unknown).
    pub const GNM_NEWTON: f64 = 1e-13;
    /// `gnm` has located an event's point on the path when the equations and the event's
    /// distance are all within this × (1 + the largest unknown) of 0: a few rounding units of
    /// the payoffs (in [0, 1]) and unknowns they are computed from, below which Newton's steps
    /// are rounding divided by how fast the distance changes along the path. The corrector
    /// accepts a point of the path so too (its Newton step there is rounding over a small
    /// singular value where the bordered system is nearly singular).
    pub const GNM_RESIDUAL: f64 = 4.0 * f64::EPSILON;
    /// Smallest step the `gnm` path tracer may take before it reports that the path stalled.
    pub const GNM_MIN_STEP: f64 = 1e-12;
}

/// An exact matrix from integer rows: payoff tables for examples and tests,
/// e.g. `StrategicGame::bimatrix(&q_matrix(&[&[3, 0], &[5, 1]]), …)`.
pub fn q_matrix(rows: &[&[i64]]) -> Vec<Vec<Q>> {
    rows.iter()
        .map(|r| r.iter().map(|&v| Q::from(v)).collect())
        .collect()
}

/// Parse an exact rational from Gambit-style text: `3`, `-1/2`, `0.25`, `1e-3`, `1.5E+2`.
pub fn parse_q(text: &str) -> Option<Q> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    if let Some(v) = small_integer(t) {
        return Some(Q::from(v));
    }
    if let Some((num, den)) = t.split_once('/') {
        let well_formed = |s: &str, signed: bool| {
            let s = if signed {
                s.strip_prefix('-').unwrap_or(s)
            } else {
                s
            };
            !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
        };
        if !well_formed(num, true) || !well_formed(den, false) || den.bytes().all(|b| b == b'0') {
            return None;
        }
        return Q::from_str(t).ok();
    }
    if t.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Q::from_str(t).ok();
    }
    // Decimal with optional exponent: dashu's expanded grammar takes `1.5e2`, reject exotic forms.
    if !t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
    {
        return None;
    }
    Q::from_str_decimal(t).ok()
}

/// `text` as an `i64` when it is a plain integer (an optional `-`, then 1 to 18 digits): the
/// common payoff, read without building a big rational from the string.
pub fn small_integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Exact text form used in every output: `p/q`, or `p` for integers.
pub fn fmt_q(q: &Q) -> String {
    if q.denominator() == &dashu::integer::UBig::ONE {
        q.numerator().to_string()
    } else {
        format!("{}/{}", q.numerator(), q.denominator())
    }
}

/// Nearest `f64` to an exact rational.
pub fn to_f64(q: &Q) -> f64 {
    // Integers below 2^53 convert exactly, without dashu's general rounding (most payoffs);
    // so do a numerator and a denominator below 2^53, and one division of exact doubles is
    // the nearest double to their quotient (IEEE 754 rounds it correctly): most
    // probabilities.
    if let (Ok(n), Ok(d)) = (i64::try_from(q.numerator()), u64::try_from(q.denominator())) {
        if n.unsigned_abs() < 1 << 53 && d < 1 << 53 {
            return n as f64 / d as f64;
        }
    }
    match q.to_f64() {
        Approximation::Exact(v) | Approximation::Inexact(v, _) => v,
    }
}

/// Exact rational equal to a finite `f64` (every finite double is a dyadic rational).
pub fn from_f64(v: f64) -> Option<Q> {
    Q::try_from(v).ok()
}

/// Decimal text of a float for machine-readable output (shortest round-trip form).
pub fn fmt_f64(v: f64) -> String {
    let v = if v == 0.0 { 0.0 } else { v }; // no "-0"
    format!("{v}")
}

/// The arithmetic the generic engine code (payoffs, regret) needs, for exact [`Q`] and `f64`.
pub trait Scalar: Clone + PartialOrd + std::fmt::Debug + Send + Sync + 'static {
    /// The additive identity.
    fn zero() -> Self;
    /// The multiplicative identity.
    fn one() -> Self;
    /// Sum (exact for [`Q`], rounded for `f64`).
    fn add(&self, other: &Self) -> Self;
    /// Difference (exact for [`Q`], rounded for `f64`).
    fn sub(&self, other: &Self) -> Self;
    /// Product (exact for [`Q`], rounded for `f64`).
    fn mul(&self, other: &Self) -> Self;
    /// Quotient; callers divide only by values they know are non-zero (e.g. a reach probability).
    fn div(&self, other: &Self) -> Self;
    /// An exact rational in this type (unchanged for [`Q`], [`to_f64`] for `f64`).
    fn from_q(q: &Q) -> Self;
    /// The value as `f64` ([`to_f64`] for [`Q`], unchanged for `f64`).
    fn as_f64(&self) -> f64;
    /// Text for output: `p/q` for exact numbers, shortest decimal for floats.
    fn to_text(&self) -> String;
    /// The game's payoff table of player `p` in this number type.
    fn table(game: &crate::game::StrategicGame, p: usize) -> &[Self];
}

impl Scalar for Q {
    fn zero() -> Self {
        Q::ZERO
    }
    fn one() -> Self {
        Q::ONE
    }
    fn add(&self, o: &Self) -> Self {
        self + o
    }
    fn sub(&self, o: &Self) -> Self {
        self - o
    }
    fn mul(&self, o: &Self) -> Self {
        self * o
    }
    fn div(&self, o: &Self) -> Self {
        self / o
    }
    fn from_q(q: &Q) -> Self {
        q.clone()
    }
    fn as_f64(&self) -> f64 {
        to_f64(self)
    }
    fn to_text(&self) -> String {
        fmt_q(self)
    }
    fn table(game: &crate::game::StrategicGame, p: usize) -> &[Self] {
        game.payoff_table(p)
    }
}

impl Scalar for f64 {
    fn zero() -> Self {
        0.0
    }
    fn one() -> Self {
        1.0
    }
    fn add(&self, o: &Self) -> Self {
        self + o
    }
    fn sub(&self, o: &Self) -> Self {
        self - o
    }
    fn mul(&self, o: &Self) -> Self {
        self * o
    }
    fn div(&self, o: &Self) -> Self {
        self / o
    }
    fn from_q(q: &Q) -> Self {
        to_f64(q)
    }
    fn as_f64(&self) -> f64 {
        *self
    }
    fn to_text(&self) -> String {
        fmt_f64(*self)
    }
    fn table(game: &crate::game::StrategicGame, p: usize) -> &[Self] {
        game.payoff_table_f64(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The integer fast paths agree with dashu's general ones: `parse_q` with `Q::from_str`,
    /// `to_f64` with dashu's rounding, around the 18-digit and 2^53 edges and signs.
    #[test]
    fn integer_fast_paths_agree_with_the_general_ones() {
        let edges = [
            0i64,
            1,
            -1,
            99,
            (1 << 53) - 1,
            1 << 53,
            (1 << 53) + 1,
            999_999_999_999_999_999,
        ];
        for v in edges.iter().flat_map(|&v| [v, -v]) {
            let text = v.to_string();
            let general = Q::from_str(&text).unwrap();
            assert_eq!(parse_q(&text), Some(general.clone()), "{text}");
            assert_eq!(
                parse_q(&format!("+{text}")),
                Some(general.clone()),
                "+{text}"
            );
            let rounded = match general.to_f64() {
                Approximation::Exact(x) | Approximation::Inexact(x, _) => x,
            };
            assert_eq!(to_f64(&general).to_bits(), rounded.to_bits(), "{text}");
        }
        let long = "12345678901234567890123";
        assert_eq!(parse_q(long), Some(Q::from_str(long).unwrap()));
        assert_eq!(small_integer(long), None);
        for bad in ["", "-", "--5", "1-2", "+"] {
            assert_eq!(small_integer(bad), None, "{bad}");
        }
        assert_eq!(parse_q("--5"), None);
    }

    /// Fractions of numerators and denominators below 2^53 (the division fast path) convert as
    /// dashu's general rounding converts them, to the last bit, up to the edge.
    #[test]
    fn small_fractions_round_as_dashu_rounds_them() {
        let parts = [
            1i64,
            2,
            3,
            7,
            10,
            49,
            1000,
            65_537,
            999_999_937,
            (1 << 53) - 1,
        ];
        for &n in &parts {
            for &d in &parts {
                for n in [n, -n, n - 1] {
                    let q = Q::from_parts(n.into(), (d as u64).into());
                    let rounded = match q.to_f64() {
                        Approximation::Exact(x) | Approximation::Inexact(x, _) => x,
                    };
                    assert_eq!(to_f64(&q).to_bits(), rounded.to_bits(), "{n}/{d}");
                }
            }
        }
    }

    #[test]
    fn parses_gambit_numbers() {
        assert_eq!(fmt_q(&parse_q("0.25").unwrap()), "1/4");
        assert_eq!(fmt_q(&parse_q("-3/6").unwrap()), "-1/2");
        assert_eq!(fmt_q(&parse_q("1.5e2").unwrap()), "150");
        assert_eq!(fmt_q(&parse_q("-1.000000").unwrap()), "-1");
        assert_eq!(fmt_q(&parse_q("+7").unwrap()), "7");
        assert!(parse_q("abc").is_none());
        assert!(parse_q("1/0").is_none());
        assert!(parse_q("").is_none());
    }

    #[test]
    fn float_round_trip() {
        assert_eq!(to_f64(&parse_q("1/4").unwrap()), 0.25);
        assert_eq!(fmt_q(&from_f64(0.5).unwrap()), "1/2");
        assert!(from_f64(f64::NAN).is_none());
    }
}
