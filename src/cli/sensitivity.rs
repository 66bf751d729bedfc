//! `patron sensitivity MODEL.toml`: which parameters move one output most — one-at-a-time
//! swings (a tornado chart's data) and Sobol indices (guide: docs/sweeps.md).

use crate::cli::output::{text_table, write_stdout};
use crate::cli::solve_model::parse_assignment;
use crate::model::file::{load_model, ModelSpec};
use crate::sweep::columns::OutputParts;
use crate::sweep::plan::Evaluator;
use crate::sweep::sensitivity::{sensitivity, SensitivityReport, SensitivityRequest};
use crate::sweep::vary::{all_ranged, base_model, check_distinct};
use crate::{Error, Result};
use std::path::PathBuf;

/// Rank the parameters by their effect on one output.
#[derive(Debug, clap::Args)]
pub struct SensitivityArgs {
    /// The model file (TOML; see models/README.md).
    pub model: PathBuf,
    /// Scenario whose values are the base (default: the file's `default_scenario`).
    #[arg(long)]
    pub scenario: Option<String>,
    /// The output to explain: a numeric column name of `patron sweep` (the dotted path of
    /// `patron solve --format json`).
    #[arg(long, default_value = "ceasefire.optimal.p_hold")]
    pub output: String,
    /// Sobol sample rows N: N × (parameters + 2) model runs; 0 for the swings only.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub samples: u64,
    /// Seed of the Sobol samples.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Fix a parameter (it is then neither swung nor sampled).
    #[arg(long, value_name = "PATH=VALUE", value_parser = parse_assignment)]
    pub set: Vec<(String, f64)>,
    /// Let --set go beyond a parameter's declared range (not its domain).
    #[arg(long)]
    pub allow_outside_range: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SensitivityFormat::Table)]
    pub format: SensitivityFormat,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// How `patron sensitivity` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SensitivityFormat {
    /// A text table.
    Table,
    /// The JSON report (schema in docs/output.md).
    Json,
}

pub fn run(args: SensitivityArgs) -> Result<()> {
    let spec = load_model(&args.model)?;
    let report = report(&spec, &args)?;
    let text = match args.format {
        SensitivityFormat::Json => serde_json::to_string_pretty(&report)
            .map_err(|e| Error::Solver(format!("cannot write JSON: {e}")))?,
        SensitivityFormat::Table => table(&report),
    };
    write_stdout(text.trim_end())
}

/// The report the flags ask for on `spec` (`args.model` is not read again; `args.format` is
/// not used): the JSON of `--format json` is this value serialized. The Python package's
/// `Model.sensitivity` calls it too.
pub fn report(spec: &ModelSpec, args: &SensitivityArgs) -> Result<SensitivityReport> {
    check_distinct(args.set.iter().map(|(p, _)| p.as_str()))?;
    let base = base_model(
        spec,
        args.scenario.as_deref(),
        &args.set,
        args.allow_outside_range,
    )?;
    let evaluator = Evaluator::new(&base, OutputParts::default())?;
    let request = SensitivityRequest {
        output: args.output.clone(),
        params: all_ranged(spec, &args.set)?,
        samples: args.samples,
        seed: args.seed,
        quiet: args.quiet,
    };
    sensitivity(&base, &evaluator, &request)
}

fn table(r: &SensitivityReport) -> String {
    let number = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |x| format!("{x:.4}"));
    let mut out = format!(
        "{} = {:.4} at the values of scenario `{}`\n\nOne-at-a-time swings (each parameter at the \
         ends of its range, the others at the scenario's values), widest first:\n\n",
        r.output, r.base, r.scenario
    );
    let header = [
        "parameter",
        "low",
        "high",
        "output at low",
        "output at high",
        "swing",
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<String>> = r
        .swings
        .iter()
        .map(|s| {
            vec![
                s.path.clone(),
                crate::num::fmt_f64(s.low),
                crate::num::fmt_f64(s.high),
                number(s.output_at_low),
                number(s.output_at_high),
                number(s.output_at_high.zip(s.output_at_low).map(|(h, l)| h - l)),
            ]
        })
        .collect();
    out += &text_table(&header, &rows);
    if r.sobol.is_empty() {
        return out;
    }
    out += &format!(
        "\nSobol indices (Saltelli 2010 first order, Jansen total; N = {}, {} model runs, seed \
         {}; ± one standard error), largest total first:\n\n",
        r.samples, r.model_runs, r.seed
    );
    let header = ["parameter", "first order", "total"]
        .map(String::from)
        .to_vec();
    let rows: Vec<Vec<String>> = r
        .sobol
        .iter()
        .map(|s| {
            vec![
                s.path.clone(),
                format!("{:.3} ± {:.3}", s.first_order, s.first_order_se),
                format!("{:.3} ± {:.3}", s.total, s.total_se),
            ]
        })
        .collect();
    out += &text_table(&header, &rows);
    if r.redrawn_rows > 0 {
        out += &format!(
            "({} sample rows were drawn again because a combination broke a model constraint)\n",
            r.redrawn_rows
        );
    }
    out
}
