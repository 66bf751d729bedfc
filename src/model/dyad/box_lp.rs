//! The one linear programme layer 1 solves, over and over: three sanction probabilities in a box,
//! a linear objective, and at most [`MAX_ROWS`] extra half-spaces.
//!
//! It sits behind [`BoxLpSolver`] with two backends, as `good_lp` hides its own solvers:
//! [`Reference`] hands the programme to `good_lp` (pure-Rust `microlp`) and is the reference;
//! [`VertexEnumeration`] exploits the size (3 variables) and enumerates the vertices of the
//! polytope, which is exact up to rounding and two orders of magnitude faster — the sweep backend.
//! `tests` checks that the two agree on random programmes.

mod reference;
mod vertex;

pub use reference::Reference;
pub use vertex::VertexEnumeration;

use crate::error::Result;
use crate::model::params::Policy;

/// Most half-spaces besides the box: two incentive constraints per client type, plus the
/// objective-hold row of the least-sanction programme (spec, layer 1).
pub const MAX_ROWS: usize = 5;

/// The half-space `normal · x ≥ rhs`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct HalfSpace {
    /// Coefficients on (x_quiet, x_incident, x_major).
    pub normal: [f64; 3],
    /// The right-hand side: the row holds when `normal · x ≥ rhs`.
    pub rhs: f64,
}

/// maximise `objective · x` subject to `0 ≤ x_i ≤ cap` and every row `normal · x ≥ rhs`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxLp {
    /// φ: the upper bound of every x_ŷ (the patron's credibility).
    pub cap: f64,
    /// Coefficients of the maximised objective on (x_quiet, x_incident, x_major).
    pub objective: [f64; 3],
    rows: [HalfSpace; MAX_ROWS],
    len: usize,
}

impl BoxLp {
    /// The box [0, cap]³ with no rows yet, maximising `objective · x`.
    pub fn new(cap: f64, objective: [f64; 3]) -> Self {
        BoxLp {
            cap,
            objective,
            rows: [HalfSpace::default(); MAX_ROWS],
            len: 0,
        }
    }

    /// Add a row; the callers in this crate never add more than `MAX_ROWS`.
    pub fn push(&mut self, row: HalfSpace) {
        debug_assert!(
            self.len < MAX_ROWS,
            "a box LP holds at most {MAX_ROWS} rows"
        );
        if self.len < MAX_ROWS {
            self.rows[self.len] = row;
            self.len += 1;
        }
    }

    /// The rows added so far, in order.
    pub fn rows(&self) -> &[HalfSpace] {
        &self.rows[..self.len]
    }

    /// The same feasible set with a new objective.
    pub fn with_objective(mut self, objective: [f64; 3]) -> Self {
        self.objective = objective;
        self
    }
}

/// A solver for [`BoxLp`].
pub trait BoxLpSolver: Sync {
    /// A maximiser, or `None` when the feasible set is empty.
    fn maximise(&self, lp: &BoxLp) -> Result<Option<Policy>>;
}

/// Which `BoxLpSolver` to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LpBackend {
    /// `good_lp` with `microlp`: the reference.
    #[default]
    Reference,
    /// Vertex enumeration: exact structure, for sweeps.
    Vertex,
}

impl LpBackend {
    /// The solver this backend names.
    pub fn solver(self) -> &'static dyn BoxLpSolver {
        match self {
            LpBackend::Reference => &Reference,
            LpBackend::Vertex => &VertexEnumeration,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dyad::dot;
    use proptest::prelude::*;

    fn value(lp: &BoxLp, x: &Policy) -> f64 {
        dot(&lp.objective, x)
    }

    #[test]
    fn hand_solved_programme() {
        // max x0 + 2x1 + 3x2 on [0,1]³ with x0 + x1 + x2 ≤ 1.5 (i.e. −Σx ≥ −1.5):
        // greedy by coefficient gives x2 = 1, x1 = 0.5, x0 = 0, value 4.
        let mut lp = BoxLp::new(1.0, [1.0, 2.0, 3.0]);
        lp.push(HalfSpace {
            normal: [-1.0, -1.0, -1.0],
            rhs: -1.5,
        });
        for backend in [LpBackend::Reference, LpBackend::Vertex] {
            let x = backend.solver().maximise(&lp).unwrap().unwrap();
            assert!((value(&lp, &x) - 4.0).abs() < 1e-9, "{backend:?}: {x:?}");
            assert!(
                (x[1] - 0.5).abs() < 1e-9 && (x[2] - 1.0).abs() < 1e-9,
                "{backend:?}: {x:?}"
            );
        }
    }

    #[test]
    fn empty_feasible_set_is_none() {
        // x0 ≥ 2 cannot hold in [0,1]; a zero row 0 ≥ 1 cannot hold anywhere.
        let mut lp = BoxLp::new(1.0, [1.0, 0.0, 0.0]);
        lp.push(HalfSpace {
            normal: [1.0, 0.0, 0.0],
            rhs: 2.0,
        });
        let mut zero_row = BoxLp::new(1.0, [1.0, 0.0, 0.0]);
        zero_row.push(HalfSpace {
            normal: [0.0; 3],
            rhs: 1.0,
        });
        for backend in [LpBackend::Reference, LpBackend::Vertex] {
            assert_eq!(backend.solver().maximise(&lp).unwrap(), None, "{backend:?}");
            assert_eq!(
                backend.solver().maximise(&zero_row).unwrap(),
                None,
                "{backend:?}"
            );
        }
    }

    #[test]
    fn degenerate_box_is_a_point() {
        let lp = BoxLp::new(0.0, [1.0, -1.0, 2.0]);
        for backend in [LpBackend::Reference, LpBackend::Vertex] {
            assert_eq!(
                backend.solver().maximise(&lp).unwrap(),
                Some([0.0; 3]),
                "{backend:?}"
            );
        }
    }

    fn coefficient() -> impl Strategy<Value = f64> {
        -1.0f64..1.0
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Both backends find the same optimal value and both answers are feasible.
        #[test]
        fn backends_agree_on_random_programmes(
            cap in 0.0f64..1.0,
            objective in prop::array::uniform3(coefficient()),
            rows in prop::collection::vec((prop::array::uniform3(coefficient()), -0.5f64..0.5), 0..=MAX_ROWS),
        ) {
            let mut lp = BoxLp::new(cap, objective);
            for (normal, rhs) in rows {
                lp.push(HalfSpace { normal, rhs });
            }
            let fast = VertexEnumeration.maximise(&lp).unwrap();
            let reference = Reference.maximise(&lp).unwrap();
            prop_assert_eq!(fast.is_some(), reference.is_some(), "feasibility differs: {:?} {:?}", fast, reference);
            if let (Some(f), Some(r)) = (fast, reference) {
                prop_assert!((value(&lp, &f) - value(&lp, &r)).abs() < 1e-7, "{:?} vs {:?}", f, r);
                for x in [f, r] {
                    prop_assert!(x.iter().all(|v| (-1e-9..=cap + 1e-9).contains(v)));
                    for h in lp.rows() {
                        prop_assert!(dot(&h.normal, &x) >= h.rhs - 1e-7);
                    }
                }
            }
        }
    }
}
