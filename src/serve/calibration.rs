//! The calibrated bands the explorer shows beside its point values: `patron serve MODEL
//! --calibration SUMMARY.json` reads the posterior predictive bands that `patron calibrate MODEL
//! --data TRUCES --summary SUMMARY.json` wrote (schema in `docs/output.md`), checks that they
//! belong to the served model, and `/api/model` carries them to the page.
//!
//! What a band means: the model's prediction (P(hold), expected weeks, P(regional war), the
//! survival curve) with its free parameters drawn from the posterior given the observed truces,
//! summarised by the 5 % and 95 % quantiles over the draws (a 90 % band) and the median. It is a
//! statement about the *calibrated* parameters, not about the values the sliders show, so the
//! page draws it labelled as such and the same whatever the sliders say.
//!
//! Why the fingerprint: a summary of another model (or of an older version of this one) would
//! put bands beside point values they have nothing to do with. The summary records the FNV-1a 64
//! fingerprint of the model file it was computed from (`model_fnv1a64`); it must equal the served
//! file's, and every scenario of the model must have a band for each policy set whose survival
//! curve has one entry per week of the scenario's horizon (0 … T).

use crate::calibrate::predictive::POLICY_SETS;
use crate::model::file::ModelSpec;
use crate::plot::data::{parse_error, read_text};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The part of a calibration summary the explorer shows (`/api/model`'s `calibration`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CalibrationBands {
    /// The truce data file the posterior was fitted to, as `patron calibrate` named it.
    data: String,
    /// `importance_sampling` or `smc`.
    method: String,
    /// Prior draws of the run, and its seed (to reproduce it).
    samples: u64,
    seed: u64,
    /// The model file's fingerprint when the summary was written (checked on load).
    model_fnv1a64: String,
    posterior_predictive: PredictiveBands,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct PredictiveBands {
    /// Equally weighted posterior draws the bands come from.
    draws: u64,
    headlines: Vec<HeadlineBands>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct HeadlineBands {
    scenario: String,
    policies: String,
    p_hold: Interval,
    expected_weeks: Interval,
    p_regional_war: Interval,
    survival: CurveInterval,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct Interval {
    q05: f64,
    q50: f64,
    q95: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct CurveInterval {
    q05: Vec<f64>,
    q50: Vec<f64>,
    q95: Vec<f64>,
}

impl CalibrationBands {
    /// Read `summary` and check it against the served model.
    pub fn load(summary: &Path, spec: &ModelSpec) -> Result<CalibrationBands> {
        let file = summary.display().to_string();
        let text = read_text(summary)?;
        let bands: CalibrationBands = serde_json::from_str(&text).map_err(|e| {
            parse_error(
                &file,
                e.line(),
                e.column(),
                format!(
                    "{e} (expected the summary `patron calibrate MODEL --data TRUCES --summary \
                     FILE.json` writes; summaries written before patron recorded `model_fnv1a64` \
                     must be made again)"
                ),
            )
        })?;
        let served = spec.fingerprint();
        if bands.model_fnv1a64 != served {
            return Err(Error::Usage(format!(
                "{file}: its bands were computed from a model file with fingerprint {} but {} has \
                 fingerprint {served}: run `patron calibrate {} --data {} --summary {file}` again",
                bands.model_fnv1a64,
                spec.file(),
                spec.file(),
                bands.data
            )));
        }
        for scenario in spec.scenarios() {
            let horizon = spec
                .instantiate(Some(&scenario.name), &[])?
                .chain
                .horizon_weeks as usize;
            for policies in POLICY_SETS {
                let found = bands
                    .posterior_predictive
                    .headlines
                    .iter()
                    .find(|h| h.scenario == scenario.name && h.policies == policies)
                    .ok_or_else(|| {
                        Error::Usage(format!(
                            "{file}: no band for scenario `{}` under the {policies} policies",
                            scenario.name
                        ))
                    })?;
                let s = &found.survival;
                if [&s.q05, &s.q50, &s.q95]
                    .iter()
                    .any(|q| q.len() != horizon + 1)
                {
                    return Err(Error::Usage(format!(
                        "{file}: scenario `{}`, {policies} policies: the survival band has {} \
                         weeks, the model's horizon is {horizon} (0 … {horizon} is {} entries)",
                        scenario.name,
                        s.q05.len(),
                        horizon + 1
                    )));
                }
            }
        }
        Ok(bands)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibrate::shards::file_fingerprint;
    use crate::model::file::load_model;

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_summary_of_another_model_or_of_another_shape_is_refused_by_name() {
        let dir = std::env::temp_dir().join(format!("patron-serve-bands-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let model = Path::new("models/gaza-2024.toml");
        let spec = load_model(model).unwrap();
        let other = write(
            &dir,
            "other.json",
            r#"{"data": "d.toml", "method": "smc", "samples": 10, "seed": 1,
                "model_fnv1a64": "0000000000000000",
                "posterior_predictive": {"draws": 1, "headlines": []}}"#,
        );
        let e = CalibrationBands::load(&other, &spec).unwrap_err();
        assert!(
            e.to_string().contains("fingerprint 0000000000000000"),
            "{e}"
        );
        let old = write(&dir, "old.json", r#"{"data": "d.toml"}"#);
        let e = CalibrationBands::load(&old, &spec).unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with(&format!("{}:1:", old.display())), "{text}");
        assert!(text.contains("missing field"), "{text}");
        let print = spec.fingerprint();
        // The fingerprint of the parsed text is the one of the file's bytes (as shard headers
        // compute it, reading the file again).
        assert_eq!(print, file_fingerprint(model).unwrap());
        let empty = write(
            &dir,
            "empty.json",
            &format!(
                r#"{{"data": "d.toml", "method": "smc", "samples": 10, "seed": 1,
                    "model_fnv1a64": "{print}",
                    "posterior_predictive": {{"draws": 1, "headlines": []}}}}"#
            ),
        );
        let e = CalibrationBands::load(&empty, &spec).unwrap_err();
        assert!(e.to_string().contains("no band for scenario"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
