//! The calibration problem: which parameters are free, and the truces' likelihood as a function
//! of them, in the form the inference engine ([`super::infer`]) takes.
//!
//! **Prior.** Each free parameter is uniform on its declared range in the model file, the others
//! fixed at their values (in each truce's scenario). A free parameter replaces the scenario's
//! value too: freeing `dyads.iran_hamas.patron_value.K` lets it vary in every scenario. Draws
//! that break a model constraint (a war risk ω above its break chance β) have likelihood zero,
//! so the prior is the uniform box restricted to where the model is defined; the bundled model's
//! ranges make ω ≤ β hold on the whole box. `chain.horizon_weeks` cannot be free: each truce's
//! horizon is its own number of weeks.
//!
//! **Patterns.** `--free` takes a parameter path or a glob in which `*` matches any run of
//! characters (dots included): `dyads.*.breaks_ceasefire`, `chain.*`. Parameters with a
//! zero-width range are constants and are skipped by globs.

use super::infer::{Dimension, UniformBox};
use super::likelihood::TruceSet;
use crate::model::file::ModelSpec;
use crate::model::paths::{ChainField, ParamPath};
use crate::model::Model;
use crate::sweep::vary::Varied;
use crate::{Error, Result};

/// The free parameters used when `--free` is not given: the chain's three hazards and every
/// dyad's break chance β and prior of autonomy π, the parameters the truces speak to most directly.
pub const DEFAULT_FREE: [&str; 5] = [
    "chain.baseline_hazard",
    "chain.tension_multiplier",
    "chain.recovery",
    "dyads.*.breaks_ceasefire",
    "dyads.*.prior_autonomous",
];

/// The truces and the free parameters.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The truces and one model per scenario they use, at the file's values.
    pub set: TruceSet,
    /// The free parameters: the prior's dimensions, each uniform on its range.
    pub free: Vec<Varied>,
}

impl Calibration {
    /// Resolve `patterns` (paths or globs) against the model, in the model file's order.
    pub fn new(spec: &ModelSpec, set: TruceSet, patterns: &[String]) -> Result<Calibration> {
        let mut free: Vec<Varied> = Vec::new();
        for pattern in patterns {
            let matched: Vec<&str> = spec
                .params()
                .iter()
                .map(|p| p.path.as_str())
                .filter(|path| glob_match(pattern, path))
                .collect();
            let literal = !pattern.contains('*');
            if matched.is_empty() {
                if literal {
                    // A plain path gets the model's own "unknown parameter" message.
                    spec.lookup(pattern)?;
                }
                return Err(Error::Usage(format!(
                    "--free {pattern}: matches no parameter of {}",
                    spec.file()
                )));
            }
            for path in matched {
                let v = Varied::resolve(spec, path, None, false)?;
                if v.handle == ParamPath::Chain(ChainField::HorizonWeeks) {
                    if literal {
                        return Err(Error::Usage(
                            "--free chain.horizon_weeks: the horizon of each truce is its own \
                             number of weeks, not a parameter to calibrate"
                                .into(),
                        ));
                    }
                    continue;
                }
                if v.lo >= v.hi {
                    if literal {
                        return Err(Error::Usage(format!(
                            "--free {path}: its range [{}, {}] has zero width (a constant)",
                            v.lo, v.hi
                        )));
                    }
                    continue;
                }
                if !free.iter().any(|f| f.handle == v.handle) {
                    free.push(v);
                }
            }
        }
        if free.is_empty() {
            return Err(Error::Usage(
                "no free parameters: give --free PATH|GLOB".into(),
            ));
        }
        Ok(Calibration { set, free })
    }

    /// The uniform prior box over the free parameters' declared ranges.
    pub fn prior(&self) -> Result<UniformBox> {
        UniformBox::new(
            self.free
                .iter()
                .map(|v| Dimension::new(v.path.clone(), v.lo, v.hi))
                .collect(),
        )
    }

    /// `base` with the free parameters set to `theta`; `None` where a model constraint fails.
    pub fn apply(&self, base: &Model, theta: &[f64]) -> Option<Model> {
        let mut model = base.clone();
        for (v, &x) in self.free.iter().zip(theta) {
            v.handle.apply(&mut model, x).ok()?;
        }
        model.validate().ok()?;
        Some(model)
    }

    /// The scenario models of the data at `theta`.
    pub fn models(&self, theta: &[f64]) -> Option<Vec<Model>> {
        self.set
            .scenarios
            .iter()
            .map(|m| self.apply(m, theta))
            .collect()
    }

    /// log p(truce i | θ) for every truce: −∞ outside the model's constraints, NaN if the chain
    /// fails (the engine reports NaN with θ).
    pub fn pointwise(&self, theta: &[f64]) -> Vec<f64> {
        let n = self.set.truces.len();
        match self.models(theta) {
            None => vec![f64::NEG_INFINITY; n],
            Some(models) => match self.set.fit(&models) {
                Ok(fit) => fit.truces.iter().map(|t| t.log_likelihood).collect(),
                Err(_) => vec![f64::NAN; n],
            },
        }
    }

    /// log p(all truces | θ).
    pub fn log_likelihood(&self, theta: &[f64]) -> f64 {
        match self.models(theta) {
            None => f64::NEG_INFINITY,
            Some(models) => self.set.log_likelihood(&models).unwrap_or(f64::NAN),
        }
    }
}

/// Whether `path` matches `pattern`, where `*` matches any run of characters.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == path;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !path.starts_with(first) || path.len() < first.len() + last.len() || !path.ends_with(last) {
        return false;
    }
    let mut rest = &path[first.len()..path.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs_match_runs_of_any_characters() {
        assert!(glob_match("chain.*", "chain.recovery"));
        assert!(glob_match(
            "dyads.*.breaks_ceasefire",
            "dyads.iran_hamas.breaks_ceasefire"
        ));
        assert!(!glob_match(
            "dyads.*.breaks_ceasefire",
            "dyads.iran_hamas.war_risk.K"
        ));
        assert!(glob_match(
            "dyads.*.gain.*.K",
            "dyads.us_israel.gain.aligned.K"
        ));
        assert!(!glob_match(
            "dyads.*.gain.*.K",
            "dyads.us_israel.gain.aligned.E"
        ));
        assert!(glob_match("chain.recovery", "chain.recovery"));
        assert!(!glob_match("chain.recover", "chain.recovery"));
        assert!(!glob_match("a*a", "a"));
    }
}
