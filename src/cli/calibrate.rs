//! `patron calibrate MODEL --data TRUCES`: hold the model against observed truces.

use crate::calibrate::data::load_truces;
use crate::calibrate::likelihood::{DataFit, TruceSet};
use crate::cli::output::{text_table, write_stdout, Format};
use crate::model::file::load_model;
use crate::{Error, Result};
use std::path::PathBuf;

const WORKFLOW: &str = "\
Workflow (docs/model.md, \"Calibration\"):
  1. Check the data against the model at its stated values: per truce the observed outcome,
     the predicted survival at that week and the log likelihood.
       patron calibrate models/gaza-2024.toml --data models/truces-2023-2025.toml --check
  2. The same as JSON (schema in docs/output.md):
       patron calibrate models/gaza-2024.toml --data models/truces-2023-2025.toml --check --format json

The data file lists truces with their dates, dyads, scenario and policy set, every date cited
(format: models/README.md). A break on day d after the start is week ceil(d/7); a truce known to
hold through day d held through floor(d/7) weeks.";

/// Hold a model against observed truces: likelihood, posterior, backtest.
#[derive(Debug, clap::Args)]
#[command(after_help = WORKFLOW)]
pub struct CalibrateArgs {
    /// The model file (TOML; see models/README.md).
    pub model: PathBuf,
    /// The observed truces (TOML; see models/README.md, "Truce data").
    #[arg(long, value_name = "TRUCES")]
    pub data: PathBuf,
    /// Print each truce's outcome, predicted survival and log likelihood at the model's values.
    #[arg(long)]
    pub check: bool,
    /// Output format of --check.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(args: CalibrateArgs) -> Result<()> {
    let spec = load_model(&args.model)?;
    let data = load_truces(&args.data, &spec)?;
    let set = TruceSet::new(&spec, &data)?;
    if !args.check {
        return Err(Error::Usage(
            "nothing to do: pass --check (the posterior is not available in this build)".into(),
        ));
    }
    let fit = set.fit(&set.scenarios)?;
    match args.format {
        Format::Json => write_stdout(&json(&fit)?),
        Format::Table => write_stdout(&check_table(&fit)),
        Format::Csv => Err(Error::Usage(
            "--check prints a table or JSON (--format table|json)".into(),
        )),
    }
}

fn json(fit: &DataFit) -> Result<String> {
    serde_json::to_string_pretty(fit).map_err(|e| Error::Solver(format!("JSON output: {e}")))
}

/// One row per truce: what happened, what the chain predicted, and the log likelihood.
fn check_table(fit: &DataFit) -> String {
    let header: Vec<String> = [
        "truce",
        "dyads",
        "policies",
        "outcome",
        "week",
        "S(t-1)",
        "S(t)",
        "P(outcome)",
        "log lik",
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<String>> = fit
        .truces
        .iter()
        .map(|t| {
            let w = t.weeks as usize;
            vec![
                t.id.clone(),
                t.dyads.join(","),
                t.policies.to_string(),
                t.outcome.to_string(),
                t.weeks.to_string(),
                format!("{:.4}", t.survival[w - 1]),
                format!("{:.4}", t.survival[w]),
                format!("{:.4}", t.log_likelihood.exp()),
                format!("{:.3}", t.log_likelihood),
            ]
        })
        .collect();
    format!(
        "{}total log likelihood {:.3} over {} truces",
        text_table(&header, &rows),
        fit.log_likelihood,
        fit.truces.len()
    )
}
