//! `patron export MODEL.toml --dyad NAME --to efg`: one dyad of a model as a Gambit game tree,
//! the no-commitment benchmark (see [`crate::model::export`]).

use crate::cli::output::write_stdout;
use crate::cli::solve_model::parse_assignment;
use crate::error::{Error, Result};
use crate::io::efg::write_efg;
use crate::model::export::dyad_tree;
use crate::model::file::load_model;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Gambit extensive form, exact rationals.
    Efg,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The model file (TOML; see models/README.md).
    pub model: PathBuf,
    /// The scenario whose overrides apply (default: the file's `default_scenario`).
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// Set one parameter after the scenario's overrides (repeatable), as for `patron solve`.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_assignment)]
    pub sets: Vec<(String, f64)>,
    /// The dyad to export, by its key in the model file (e.g. `iran_hamas`).
    #[arg(long, value_name = "NAME")]
    pub dyad: String,
    /// Target format.
    #[arg(long, value_enum)]
    pub to: ExportFormat,
    /// Write here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(args: ExportArgs) -> Result<()> {
    let spec = load_model(&args.model)?;
    let model = spec.instantiate(args.scenario.as_deref(), &args.sets)?;
    let Some(dyad) = model.dyads.iter().find(|d| d.name == args.dyad) else {
        let names: Vec<&str> = model.dyads.iter().map(|d| d.name.as_str()).collect();
        return Err(Error::Usage(format!(
            "--dyad {}: the model has no such dyad (its dyads: {})",
            args.dyad,
            names.join(", ")
        )));
    };
    let title = format!(
        "{}: {} (scenario {})",
        spec.name(),
        dyad.name,
        model.scenario
    );
    let text = match args.to {
        ExportFormat::Efg => write_efg(&dyad_tree(dyad, &title)?),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text).map_err(|e| Error::io(path, e)),
        None => write_stdout(text.trim_end()),
    }
}
