//! The reference backend: the programme handed to `good_lp` with its pure-Rust `microlp` solver
//! (a dual simplex), configured in `Cargo.toml` because `good_lp`'s default backend needs a C library.

use super::{BoxLp, BoxLpSolver};
use crate::error::{Error, Result};
use crate::model::params::Policy;
use crate::num::tol;
use good_lp::{
    microlp, variable, Expression, ProblemVariables, ResolutionError, Solution, SolverModel,
    Variable,
};

/// `good_lp` + `microlp`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reference;

impl BoxLpSolver for Reference {
    fn maximise(&self, lp: &BoxLp) -> Result<Option<Policy>> {
        let mut vars = ProblemVariables::new();
        let x: [Variable; 3] = [(); 3].map(|_| vars.add(variable().min(0.0).max(lp.cap)));
        let linear = |c: &[f64; 3]| -> Expression { x.iter().zip(c).map(|(v, c)| *c * *v).sum() };
        let mut model = vars.maximise(linear(&lp.objective)).using(microlp);
        for row in lp.rows() {
            if row.normal == [0.0; 3] {
                // Exactly zero (a structural test, not a tolerance): the row is the plain
                // inequality 0 ≥ rhs; decide it here rather than hand the solver an empty row.
                if row.rhs > tol::LP_FEASIBILITY {
                    return Ok(None);
                }
                continue;
            }
            model = model.with(linear(&row.normal).geq(row.rhs));
        }
        match model.solve() {
            Ok(solution) => Ok(Some(x.map(|v| solution.value(v).clamp(0.0, lp.cap)))),
            Err(ResolutionError::Infeasible) => Ok(None),
            Err(e) => Err(Error::Solver(format!(
                "good_lp/microlp failed on a restraint-policy LP: {e}"
            ))),
        }
    }
}
