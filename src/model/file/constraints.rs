//! The rules a whole [`Model`] must satisfy: every parameter inside its own domain, and the
//! relations between parameters that the spec (`docs/spec.md`) states.
//!
//! Checked for the file's base values, for every scenario, after `--set`, and available to sweeps
//! that draw many models from ranges.

use crate::model::params::{Behaviour, Model, Signal};
use crate::model::paths::ParamPath;
use std::fmt;

/// The first rule a model breaks: the path to blame (a parameter or a dyad key) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl Model {
    /// `Err` with the first broken rule, in parameter order.
    pub fn validate(&self) -> Result<(), Violation> {
        for path in ParamPath::all(self) {
            if let Err(why) = path.domain().check(path.read(self)) {
                return Err(Violation {
                    path: path.name(self),
                    message: why,
                });
            }
        }
        for dyad in &self.dyads {
            let at = |name: &str| format!("dyads.{}.{name}", dyad.name);
            let p = &dyad.params;
            if !self
                .patron_game
                .ceasefire_value
                .iter()
                .any(|(patron, _)| *patron == dyad.patron)
            {
                return Err(Violation {
                    path: at("patron"),
                    message: format!(
                        "patron `{0}` has no `patron_game.ceasefire_value.{0}`",
                        dyad.patron
                    ),
                });
            }
            // A regional war is a broken ceasefire (spec, layer 2): ω of either action must not exceed β.
            for (name, omega) in [("war_risk.K", p.war_risk.k), ("war_risk.E", p.war_risk.e)] {
                if omega > p.breaks_ceasefire {
                    return Err(Violation {
                        path: at(name),
                        message: format!(
                            "war risk ω = {omega} exceeds breaks_ceasefire β = {}: a regional war \
                             always breaks the ceasefire, so ω ≤ β",
                            p.breaks_ceasefire
                        ),
                    });
                }
            }
            if let Some(policy) = &dyad.status_quo {
                for (signal, &x) in Signal::ALL.iter().zip(policy) {
                    if !(0.0..=p.credibility).contains(&x) {
                        return Err(Violation {
                            path: at("status_quo"),
                            message: format!(
                                "{} = {x} must be a probability no larger than credibility φ = {}",
                                signal.name(),
                                p.credibility
                            ),
                        });
                    }
                }
            }
            if let Behaviour::Logit { lambda } = dyad.behaviour {
                check_precision(lambda).map_err(|message| Violation {
                    path: at("lambda"),
                    message,
                })?;
            }
        }
        if let Some(lambda) = self.patron_game.logit_lambda {
            check_precision(lambda).map_err(|message| Violation {
                path: "patron_game.logit_lambda".into(),
                message,
            })?;
        }
        Ok(())
    }
}

/// A logit precision λ: finite and ≥ 0 (0 = uniform play).
fn check_precision(lambda: f64) -> Result<(), String> {
    if lambda.is_finite() && lambda >= 0.0 {
        Ok(())
    } else {
        Err(format!(
            "logit precision λ = {lambda} must be a finite number ≥ 0"
        ))
    }
}
