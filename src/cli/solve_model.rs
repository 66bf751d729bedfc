//! `patron solve MODEL.toml`: the patron–client model — restraint policies, ceasefire odds,
//! and the patron game — for one scenario with optional `--set` overrides.

use crate::cli::model_report::render_table;
use crate::cli::output::{write_stdout, Format};
use crate::error::{Error, Result};
use crate::model::file::{load_model, ModelSpec};
use crate::model::solve::{solve_model, ModelSolution};
use std::path::Path;

/// Parse `PATH=VALUE` from `--set` (the value as a number).
pub fn parse_assignment(text: &str) -> std::result::Result<(String, f64), String> {
    let (path, value) = text.split_once('=').ok_or_else(|| {
        format!("'{text}' is not PATH=VALUE (e.g. dyads.us_israel.dependence=0.8)")
    })?;
    let number: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("'{value}' in '{text}' is not a number"))?;
    if !number.is_finite() {
        return Err(format!("'{value}' in '{text}' is not a finite number"));
    }
    Ok((path.trim().to_string(), number))
}

/// Solve a model file and print the result; `patron_lambda` sets the patron game's QRE precision.
pub fn run(
    file: &Path,
    scenario: Option<&str>,
    sets: &[(String, f64)],
    patron_lambda: Option<f64>,
    format: Format,
) -> Result<()> {
    let solution = solution(&load_model(file)?, scenario, sets, patron_lambda)?;
    match format {
        Format::Table => write_stdout(&render_table(&solution))?,
        Format::Json => write_stdout(
            &serde_json::to_string_pretty(&solution)
                .map_err(|e| Error::Solver(format!("json output: {e}")))?,
        )?,
        Format::Csv => {
            return Err(Error::Usage(
                "a model solve prints --format table or json; for CSV rows use `patron sweep`"
                    .into(),
            ))
        }
    }
    Ok(())
}

/// The solution `patron solve MODEL` prints (`--format json` serializes it): `spec` under one
/// scenario with `--set` values and the patron game's QRE precision. The Python package's
/// `Model.solve` calls it too.
pub fn solution(
    spec: &ModelSpec,
    scenario: Option<&str>,
    sets: &[(String, f64)],
    patron_lambda: Option<f64>,
) -> Result<ModelSolution> {
    let mut model = spec.instantiate(scenario, sets)?;
    if patron_lambda.is_some() {
        model.patron_game.logit_lambda = patron_lambda;
    }
    solve_model(&model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_parse_and_refuse_garbage() {
        assert_eq!(
            parse_assignment("chain.recovery=0.25").unwrap(),
            ("chain.recovery".to_string(), 0.25)
        );
        assert!(parse_assignment("chain.recovery").is_err());
        assert!(parse_assignment("chain.recovery=abc").is_err());
        assert!(parse_assignment("chain.recovery=NaN").is_err());
    }
}
