//! `patron params MODEL.toml`: every parameter of a model with its value, range and source —
//! the provenance table that makes each number of a result traceable to the essay or to an
//! explicit assumption (spec, layer 4).

use crate::model::file::{load_model, ParamInfo};
use crate::num::fmt_f64;
use std::path::PathBuf;

/// List a model's parameters: path, value, plausible range, source.
#[derive(Debug, clap::Args)]
pub struct ParamsArgs {
    /// The model file (TOML; see models/README.md).
    pub model: PathBuf,
    /// Scenario whose values to list (default: the file's `default_scenario`, else base values).
    #[arg(long)]
    pub scenario: Option<String>,
    /// Output format: a Markdown table for docs, or a JSON array of objects.
    #[arg(long, value_enum, default_value_t = ParamsFormat::Md)]
    pub format: ParamsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ParamsFormat {
    Md,
    Json,
}

pub fn run(args: ParamsArgs) -> crate::Result<()> {
    let spec = load_model(&args.model)?;
    let params = spec.params_in(args.scenario.as_deref())?;
    let text = match args.format {
        ParamsFormat::Md => {
            let scenario = args
                .scenario
                .as_deref()
                .or(spec.default_scenario())
                .unwrap_or("base values");
            format!(
                "Model `{}`, scenario `{scenario}` ({}).\n\n{}",
                spec.name(),
                spec.file(),
                markdown(&params)
            )
        }
        ParamsFormat::Json => serde_json::to_string_pretty(&params)
            .map_err(|e| crate::Error::Solver(format!("cannot write JSON: {e}")))?,
    };
    crate::cli::output::write_stdout(&text)
}

/// A Markdown table with one row per parameter; `|` in sources is escaped.
pub fn markdown(params: &[ParamInfo]) -> String {
    let mut out = String::from("| parameter | value | range | source |\n|---|---|---|---|\n");
    for p in params {
        let source = match &p.scenario {
            Some(s) => format!("scenario `{s}`: {}", p.source),
            None => p.source.clone(),
        };
        out.push_str(&format!(
            "| `{}` | {} | [{}, {}] | {} |\n",
            p.path,
            fmt_f64(p.value),
            fmt_f64(p.range[0]),
            fmt_f64(p.range[1]),
            source.replace('|', "\\|")
        ));
    }
    out
}
