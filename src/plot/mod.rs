//! `patron plot`: figures of sweep tables, sensitivity reports and solve reports, as SVG or PNG.
//!
//! Each plot kind turns its input into a small figure value (`line`, `heatmap`, `tornado`;
//! `survival` reuses the line chart) and `style` draws it with the shared look. Which kind to draw
//! when none is asked for is [`KIND_RULE`].

mod calibration;
pub(crate) mod data;
mod heatmap;
pub(crate) mod labels;
mod line;
mod style;
mod survival;
mod tornado;

use std::path::PathBuf;

use data::{Input, Table};
pub use line::MAX_SERIES;
pub use style::SIZE;
pub use tornado::{HIGH as TORNADO_HIGH, LOW as TORNADO_LOW, MAX_BARS as TORNADO_MAX_BARS};

use crate::{Error, Result};

/// The kinds of figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlotKind {
    /// An output against a parameter, one line per value of `--by`.
    Line,
    /// An output over a grid of two parameters (x across, `--by` up), with a colour bar.
    Heatmap,
    /// One-at-a-time sensitivity bars from a sensitivity report.
    Tornado,
    /// P(ceasefire holds at week t) per policy set, from a solve report.
    Survival,
    /// Prior and posterior 90% intervals of each free parameter, from a calibration summary.
    Posterior,
    /// Posterior predictive survival bands of the observed truces, from a calibration summary.
    Bands,
    /// Prior and posterior density of one free parameter (`--y PATH`; default: the one the data
    /// narrow most), from a calibration summary.
    Density,
}

/// How the kind and the axes are chosen when not given (shown in `patron plot --help`).
pub const KIND_RULE: &str = "\
When --kind is omitted: a sensitivity report (.json with \"swings\") gives a tornado; a solve \
report (.json with \"ceasefire\") gives survival curves; a calibration summary (.json with \
\"posterior_predictive\", from `patron calibrate --summary`) gives survival bands (--kind posterior \
for the parameters' intervals, --kind density [--y PATH] for one parameter's densities); a sweep table (.csv or .jsonl) gives a \
heatmap if --by takes more than 10 distinct values (too many lines for a legend), else a line plot. \
For sweeps, --x defaults to the first varied parameter column, --by to the other varied parameter \
when exactly two vary, and --y to the first numeric column that is not a parameter.";

/// One `patron plot` request.
#[derive(Debug, Clone)]
pub struct PlotRequest {
    /// The report or sweep table to plot (`.json`, `.csv` or `.jsonl`).
    pub input: PathBuf,
    /// The image to write; its extension (`.svg` or `.png`) picks the format.
    pub out: PathBuf,
    /// `--kind`; `None` picks one from the input (see [`KIND_RULE`]).
    pub kind: Option<PlotKind>,
    /// `--x`: the sweep column on the horizontal axis (default in [`KIND_RULE`]).
    pub x: Option<String>,
    /// `--y`: the plotted column or parameter (default in [`KIND_RULE`]).
    pub y: Option<String>,
    /// `--by`: the sweep column whose values give one line each, or the heatmap's rows.
    pub by: Option<String>,
    /// `--title`: the chart's title, instead of the default made from the input.
    pub title: Option<String>,
}

/// Draw the figure `req` asks for into `req.out`; returns the kind drawn.
pub fn plot(req: &PlotRequest) -> Result<PlotKind> {
    style::check_output(&req.out)?;
    let file = req.input.display().to_string();
    let title = req.title.as_deref();
    let input = data::read(&req.input)?;
    match &input {
        Input::Sweep(table) => {
            let axes = sweep_axes(table, req)?;
            let (x, y, by) = (axes.x.as_str(), axes.y.as_str(), axes.by.as_deref());
            match (axes.kind, by) {
                (PlotKind::Heatmap, Some(by)) => {
                    style::render(&heatmap::from_sweep(table, x, y, by, title)?, &req.out)?
                }
                _ => style::render(&line::from_sweep(table, x, y, by, title)?, &req.out)?,
            }
            Ok(axes.kind)
        }
        Input::Sensitivity(s) => {
            only(req, &file, &input, PlotKind::Tornado)?;
            style::render(&tornado::from_sensitivity(&file, s, title)?, &req.out)?;
            Ok(PlotKind::Tornado)
        }
        Input::Calibration(c) => {
            let kind = req.kind.unwrap_or(PlotKind::Bands);
            if kind == PlotKind::Density {
                let request = PlotRequest {
                    y: None,
                    ..req.clone()
                };
                only(&request, &file, &input, kind)?;
                let figure = calibration::density(&file, c, req.y.as_deref(), title)?;
                style::render(&figure, &req.out)?;
                return Ok(kind);
            }
            only(req, &file, &input, kind)?;
            match kind {
                PlotKind::Posterior => {
                    style::render(&calibration::intervals(&file, c, title)?, &req.out)?
                }
                _ => {
                    only(req, &file, &input, PlotKind::Bands)?;
                    style::render(&calibration::bands(&file, c, title)?, &req.out)?
                }
            }
            Ok(kind)
        }
        Input::Solve(s) => {
            only(req, &file, &input, PlotKind::Survival)?;
            style::render(&survival::from_solve(&file, s, title)?, &req.out)?;
            Ok(PlotKind::Survival)
        }
    }
}

/// Reports have one figure each and no columns to choose.
fn only(req: &PlotRequest, file: &str, input: &Input, kind: PlotKind) -> Result<()> {
    let what = input.describe();
    if let Some(asked) = req.kind.filter(|k| *k != kind) {
        return Err(Error::Usage(format!(
            "{file} is {what}: it is drawn as --kind {}, not {}",
            kind.name(),
            asked.name()
        )));
    }
    if req.x.is_some() || req.y.is_some() || req.by.is_some() {
        return Err(Error::Usage(format!(
            "{file} is {what}: --x, --y and --by apply only to sweep tables"
        )));
    }
    Ok(())
}

impl PlotKind {
    /// The kind's name as `--kind` spells it.
    pub fn name(self) -> &'static str {
        match self {
            PlotKind::Line => "line",
            PlotKind::Heatmap => "heatmap",
            PlotKind::Tornado => "tornado",
            PlotKind::Survival => "survival",
            PlotKind::Posterior => "posterior",
            PlotKind::Bands => "bands",
            PlotKind::Density => "density",
        }
    }
}

struct SweepAxes {
    kind: PlotKind,
    x: String,
    y: String,
    by: Option<String>,
}

/// The axes and kind for a sweep table, by [`KIND_RULE`].
fn sweep_axes(table: &Table, req: &PlotRequest) -> Result<SweepAxes> {
    let varies = |c: &String| table.distinct(c).is_ok_and(|d| d.len() > 1);
    let varied: Vec<&String> = table
        .columns
        .iter()
        .filter(|c| labels::is_parameter(c) && varies(c))
        .collect();
    let x = match (&req.x, varied.first()) {
        (Some(x), _) => x.clone(),
        (None, Some(first)) => first.to_string(),
        (None, None) => table.columns[0].clone(),
    };
    let by = match (&req.by, varied.as_slice()) {
        (Some(by), _) => Some(by.clone()),
        (None, [a, b]) => [a, b]
            .into_iter()
            .find(|c| ***c != x)
            .map(|c| c.to_string()),
        (None, _) => None,
    };
    // Sweep files' bookkeeping columns (`docs/sweeps.md`) are never a default output.
    const BOOKKEEPING_COLUMNS: [&str; 3] = ["point", "rejected_draws", "error"];
    let y = match &req.y {
        Some(y) => y.clone(),
        None => table
            .columns
            .iter()
            .find(|c| {
                !labels::is_parameter(c)
                    && !BOOKKEEPING_COLUMNS.contains(&c.as_str())
                    && **c != x
                    && Some(*c) != by.as_ref()
                    && table.is_numeric(c)
            })
            .cloned()
            .ok_or_else(|| {
                Error::Usage(format!(
                    "{}: no numeric output column to plot; name one with --y",
                    table.file
                ))
            })?,
    };
    let kind = match req.kind {
        Some(PlotKind::Heatmap) if by.is_none() => {
            return Err(Error::Usage(format!(
                "{}: --kind heatmap needs --by (the parameter on the vertical axis)",
                table.file
            )))
        }
        Some(k @ (PlotKind::Line | PlotKind::Heatmap)) => k,
        Some(k) => {
            return Err(Error::Usage(format!(
                "{} is a sweep table: it is drawn as --kind line or heatmap, not {}",
                table.file,
                k.name()
            )))
        }
        None => match &by {
            Some(by) if table.distinct(by)?.len() > MAX_SERIES => PlotKind::Heatmap,
            _ => PlotKind::Line,
        },
    };
    Ok(SweepAxes { kind, x, y, by })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_text_states_the_series_limit_in_force() {
        assert!(KIND_RULE.contains(&format!("more than {MAX_SERIES} distinct values")));
    }
}
