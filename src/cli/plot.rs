//! `patron plot`: draw a sweep table, sensitivity report or solve report as SVG or PNG.

use std::path::PathBuf;

use crate::plot::{PlotKind, PlotRequest};

/// Draw a figure of a sweep table (.csv, .jsonl), a sensitivity report or a solve report (.json).
#[derive(Debug, clap::Args)]
#[command(after_long_help = crate::plot::KIND_RULE)]
pub struct PlotArgs {
    /// The file to draw: a sweep or Monte Carlo table (.csv, .jsonl), or a report from
    /// `patron sensitivity` or `patron solve --format json` (.json).
    pub file: PathBuf,
    /// Where to write the figure; .svg or .png.
    #[arg(long, value_name = "FIG")]
    pub out: PathBuf,
    /// The kind of figure (inferred when omitted; see below).
    #[arg(long, value_enum)]
    pub kind: Option<PlotKind>,
    /// Sweep column on the horizontal axis (a parameter path, e.g. dyads.us_israel.dependence).
    #[arg(long, value_name = "PATH")]
    pub x: Option<String>,
    /// Sweep column to plot (an output path, e.g. ceasefire.optimal.p_hold).
    #[arg(long, value_name = "OUTPUT")]
    pub y: Option<String>,
    /// Sweep column that splits the lines (line) or forms the vertical axis (heatmap).
    #[arg(long, value_name = "PATH")]
    pub by: Option<String>,
    /// Title at the top of the figure (default: the plotted quantity in words).
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
}

pub fn run(args: PlotArgs) -> crate::Result<()> {
    let request = PlotRequest {
        input: args.file,
        out: args.out,
        kind: args.kind,
        x: args.x,
        y: args.y,
        by: args.by,
        title: args.title,
    };
    let kind = crate::plot::plot(&request)?;
    crate::cli::output::write_stdout(&format!(
        "wrote {} ({} plot)",
        request.out.display(),
        kind.name()
    ))?;
    Ok(())
}
