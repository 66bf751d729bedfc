//! What a sweep varies and fixes: `--vary PATH[=LO:HI[:STEPS]]` and `--set PATH=VALUE`, checked
//! against the model file's declared ranges.
//!
//! A range in a model file is its author's statement of what is plausible, and every sampled or
//! swept value must lie inside it; `allow_outside_range` lifts that rule (the metadata records
//! it), but never the parameter's own domain (a probability stays in [0, 1]) nor the model's
//! constraints (ω ≤ β), which `Model::validate` checks at every point.

use crate::model::file::ModelSpec;
use crate::model::paths::{Domain, ParamPath};
use crate::model::Model;
use crate::num::fmt_f64;
use crate::{Error, Result};

/// `--vary` as written.
#[derive(Debug, Clone, PartialEq)]
pub struct VarySpec {
    /// The parameter path, e.g. `chain.recovery`, as typed.
    pub path: String,
    /// What followed `=`: nothing, a range or a grid.
    pub bounds: Bounds,
}

/// The part of `--vary` after `=`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bounds {
    /// `PATH` alone: the declared range (Monte Carlo).
    Declared,
    /// `PATH=LO:HI` (Monte Carlo).
    Range {
        /// Lower end of the drawn range (included).
        lo: f64,
        /// Upper end of the drawn range (included).
        hi: f64,
    },
    /// `PATH=LO:HI:STEPS` (grid).
    Grid {
        /// First grid value.
        lo: f64,
        /// Last grid value.
        hi: f64,
        /// Number of evenly spaced values from `lo` to `hi`, both included.
        steps: u64,
    },
}

impl std::str::FromStr for VarySpec {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        let (path, bounds) = match text.split_once('=') {
            None => (text, Bounds::Declared),
            Some((path, spec)) => {
                let parts: Vec<&str> = spec.split(':').collect();
                let bounds = match parts.as_slice() {
                    [lo, hi] => Bounds::Range {
                        lo: number(lo)?,
                        hi: number(hi)?,
                    },
                    [lo, hi, steps] => Bounds::Grid {
                        lo: number(lo)?,
                        hi: number(hi)?,
                        steps: steps
                            .trim()
                            .parse()
                            .map_err(|_| format!("STEPS `{steps}` is not a whole number"))?,
                    },
                    _ => {
                        return Err(format!(
                            "`{text}`: expected PATH, PATH=LO:HI or PATH=LO:HI:STEPS"
                        ))
                    }
                };
                (path, bounds)
            }
        };
        let path = path.trim();
        if path.is_empty() {
            return Err(format!("`{text}`: the parameter path is missing"));
        }
        Ok(VarySpec {
            path: path.to_string(),
            bounds,
        })
    }
}

fn number(text: &str) -> std::result::Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("`{text}` is not a finite number")),
    }
}

/// A parameter resolved against the model, with the interval its values come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Varied {
    pub path: String,
    pub handle: ParamPath,
    pub lo: f64,
    pub hi: f64,
    /// Only whole numbers (`chain.horizon_weeks`).
    pub whole: bool,
}

impl Varied {
    /// A real-valued parameter varied over [lo, hi], for unit tests of the designs.
    #[cfg(test)]
    pub(crate) fn for_test(model: &Model, path: &str, lo: f64, hi: f64) -> Varied {
        Varied {
            path: path.into(),
            handle: ParamPath::parse(model, path).expect("a known parameter path"),
            lo,
            hi,
            whole: false,
        }
    }

    /// `path` over [lo, hi] (`None`: the declared range), checked against the declared range
    /// unless `allow_outside_range`, and against the parameter's domain always.
    pub fn resolve(
        spec: &ModelSpec,
        path: &str,
        bounds: Option<(f64, f64)>,
        allow_outside_range: bool,
    ) -> Result<Varied> {
        let (handle, info) = spec.lookup(path)?;
        let [dlo, dhi] = info.range;
        let (lo, hi) = bounds.unwrap_or((dlo, dhi));
        if lo > hi {
            return Err(Error::Usage(format!(
                "--vary {path}: LO {} is above HI {}",
                fmt_f64(lo),
                fmt_f64(hi)
            )));
        }
        if !allow_outside_range && (lo < dlo || hi > dhi) {
            return Err(Error::Usage(format!(
                "--vary {path}={}:{}: outside the declared range [{}, {}] ({}:{}); \
                 pass --allow-outside-range to go beyond it",
                fmt_f64(lo),
                fmt_f64(hi),
                fmt_f64(dlo),
                fmt_f64(dhi),
                spec.file(),
                info.line
            )));
        }
        let domain = handle.domain();
        let whole = domain == Domain::Weeks;
        let (lo, hi) = if whole {
            (lo.ceil(), hi.floor())
        } else {
            (lo, hi)
        };
        for end in [lo, hi] {
            domain
                .check(end)
                .map_err(|why| Error::Usage(format!("--vary {path}: {why}")))?;
        }
        Ok(Varied {
            path: path.to_string(),
            handle,
            lo,
            hi,
            whole,
        })
    }

    /// `PATH=LO:HI`, with the shortest text that reads back to the same numbers.
    pub fn describe(&self) -> String {
        format!("{}={}:{}", self.path, fmt_f64(self.lo), fmt_f64(self.hi))
    }
}

/// The model a sweep starts from: a scenario with `--set` values applied.
///
/// Without `allow_outside_range` this is [`ModelSpec::instantiate`], which refuses a value
/// outside its declared range; with it, values need only their domain and the model's constraints.
pub fn base_model(
    spec: &ModelSpec,
    scenario: Option<&str>,
    sets: &[(String, f64)],
    allow_outside_range: bool,
) -> Result<Model> {
    if !allow_outside_range {
        return spec.instantiate(scenario, sets);
    }
    let mut model = spec.instantiate(scenario, &[])?;
    for (path, value) in sets {
        spec.lookup(path)?.0.apply(&mut model, *value)?;
    }
    model
        .validate()
        .map_err(|v| Error::Usage(format!("after --set: {v}")))?;
    Ok(model)
}

/// Every parameter of the model with a range of positive width, over its declared range, in
/// the model file's order, except those in `fixed` (the `--set` ones). A zero-width range
/// declares a constant: it has nothing to vary.
pub fn all_ranged(spec: &ModelSpec, fixed: &[(String, f64)]) -> Result<Vec<Varied>> {
    spec.params()
        .iter()
        .filter(|p| p.range[0] < p.range[1] && !fixed.iter().any(|(f, _)| *f == p.path))
        .map(|p| Varied::resolve(spec, &p.path, None, false))
        .filter(|v| !matches!(v, Ok(v) if v.lo >= v.hi))
        .collect()
}

/// Refuse a parameter named twice among `--vary` and `--set` (which value would win?).
pub fn check_distinct<'a>(paths: impl IntoIterator<Item = &'a str>) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        if !seen.insert(p) {
            return Err(Error::Usage(format!(
                "{p} is named twice among --vary and --set"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms() {
        let v: VarySpec = "chain.recovery".parse().unwrap();
        assert_eq!(v.bounds, Bounds::Declared);
        let v: VarySpec = "chain.recovery=0.2:0.8".parse().unwrap();
        assert_eq!(v.bounds, Bounds::Range { lo: 0.2, hi: 0.8 });
        let v: VarySpec = "dyads.a.gain.aligned.K=-0.1:0.3:5".parse().unwrap();
        assert_eq!(v.path, "dyads.a.gain.aligned.K");
        assert_eq!(
            v.bounds,
            Bounds::Grid {
                lo: -0.1,
                hi: 0.3,
                steps: 5
            }
        );
        assert!("x=1:2:3:4".parse::<VarySpec>().is_err());
        assert!("x=1:nan".parse::<VarySpec>().is_err());
        assert!("x=1:2:2.5".parse::<VarySpec>().is_err());
        assert!("=1:2".parse::<VarySpec>().is_err());
    }

    #[test]
    fn names_twice_is_refused() {
        assert!(check_distinct(["a", "b"]).is_ok());
        assert!(check_distinct(["a", "b", "a"]).is_err());
    }
}
