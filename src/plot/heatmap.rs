//! Heatmaps: an output over a two-parameter grid (x across, `--by` up), colour = value, with a
//! colour bar. Each cell spans halfway to its neighbours, so uneven grids keep true positions.

use std::ops::Range;

use plotters::prelude::*;

use super::data::{distinct, Table};
use super::labels::describe;
use super::style::{self, axis_range, text, viridis, Area, Draw, DrawResult, AXIS_PX, TICK_PX};
use crate::limits::MAX_HEATMAP_SIDE;
use crate::{Error, Result};

/// Pixels on the right for the colour bar, its ticks and its name.
const BAR_PX: u32 = 170;
/// Colour bar steps (drawn as lines, so heatmap cells stay the figure's only filled rectangles).
const BAR_STEPS: usize = 256;

#[derive(Debug)]
pub struct Heatmap {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub value_label: String,
    x_edges: Vec<f64>,
    y_edges: Vec<f64>,
    /// (column, row, value) of every grid point present in the file.
    pub cells: Vec<(usize, usize, f64)>,
    colours: Range<f64>,
}

/// `y` over the grid of `x` and `by`. Every (x, by) pair may appear at most once: a repeat means
/// a third parameter varies, and one colour cannot show two values.
pub fn from_sweep(
    table: &Table,
    x: &str,
    y: &str,
    by: &str,
    title: Option<&str>,
) -> Result<Heatmap> {
    let rows = table.rows(&[Some(x), Some(y), Some(by)])?;
    let xs = distinct(rows.iter().map(|r| r[0]));
    let ys = distinct(rows.iter().map(|r| r[2]));
    for (name, values) in [(x, &xs), (by, &ys)] {
        if values.len() > MAX_HEATMAP_SIDE {
            return Err(Error::limit("MAX_HEATMAP_SIDE", format!(
                "{}: `{name}` takes {} distinct values; a heatmap shows at most {MAX_HEATMAP_SIDE} per side",
                table.file,
                values.len()
            )));
        }
    }
    let index = |values: &[f64], v: f64| values.binary_search_by(|p| p.total_cmp(&v)).unwrap_or(0);
    let mut seen = vec![false; xs.len() * ys.len()];
    let mut cells = Vec::with_capacity(rows.len());
    for r in &rows {
        let (i, j) = (index(&xs, r[0]), index(&ys, r[2]));
        if std::mem::replace(&mut seen[j * xs.len() + i], true) {
            return Err(Error::Usage(format!(
                "{}: `{x}` = {} and `{by}` = {} appear in more than one row (a third parameter varies?); \
                 a heatmap needs one row per grid point",
                table.file, r[0], r[2]
            )));
        }
        cells.push((i, j, r[1]));
    }
    let y_long = describe(y).long;
    Ok(Heatmap {
        title: title.map_or_else(|| y_long.clone(), str::to_string),
        x_label: describe(x).long,
        y_label: describe(by).long,
        value_label: describe(y).short,
        x_edges: edges(&xs)?,
        y_edges: edges(&ys)?,
        colours: axis_range(rows.iter().map(|r| r[1]), 0.0)?,
        cells,
    })
}

/// Cell boundaries around ascending grid values: midpoints inside, half a step beyond each end.
fn edges(values: &[f64]) -> Result<Vec<f64>> {
    if let [only] = values {
        let r = axis_range([*only], 0.0)?;
        return Ok(vec![r.start, r.end]);
    }
    let n = values.len();
    let mut e = Vec::with_capacity(n + 1);
    e.push(values[0] - (values[1] - values[0]) / 2.0);
    e.extend(values.windows(2).map(|w| w[0] / 2.0 + w[1] / 2.0));
    e.push(values[n - 1] + (values[n - 1] - values[n - 2]) / 2.0);
    if e.iter().all(|v| v.is_finite()) {
        Ok(e)
    } else {
        Err(Error::Unsupported(format!(
            "grid values up to {:e} are too large to draw",
            values[n - 1]
        )))
    }
}

impl Heatmap {
    fn shade(&self, v: f64) -> RGBColor {
        viridis((v - self.colours.start) / (self.colours.end - self.colours.start))
    }
}

impl Draw for Heatmap {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        let area = style::frame(root, &self.title)?;
        let (main, bar) = area.split_horizontally(area.dim_in_pixel().0.saturating_sub(BAR_PX));
        let span = |e: &[f64]| e[0]..e[e.len() - 1];
        let mut chart = style::chart(&main, span(&self.x_edges), span(&self.y_edges), 96)?;
        let ticks = style::Ticks::of(&chart);
        style::mesh(&mut chart, &ticks, &self.x_label, &self.y_label).draw()?;
        chart.draw_series(self.cells.iter().map(|&(i, j, v)| {
            let corners = [
                (self.x_edges[i], self.y_edges[j]),
                (self.x_edges[i + 1], self.y_edges[j + 1]),
            ];
            Rectangle::new(corners, self.shade(v).filled())
        }))?;

        // The colour bar lines up with the plotting area (same top margin and x-label band).
        let mut scale = ChartBuilder::on(&bar)
            .margin_top(12)
            .margin_bottom(12 + 64)
            .margin_left(24)
            .right_y_label_area_size(BAR_PX - 24 - 40)
            .build_cartesian_2d(0.0..1.0, self.colours.clone())?;
        let height = scale.plotting_area().dim_in_pixel().1;
        let step = (self.colours.end - self.colours.start) / BAR_STEPS as f64;
        let width = height / BAR_STEPS as u32 + 2;
        scale.draw_series((0..BAR_STEPS).map(|k| {
            let v = self.colours.start + step * (k as f64 + 0.5);
            PathElement::new(vec![(0.0, v), (1.0, v)], self.shade(v).stroke_width(width))
        }))?;
        let px = style::fit(&bar, &self.value_label, AXIS_PX, height);
        let bar_ticks = style::tick_format(self.colours.clone());
        scale
            .configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .axis_style(BLACK)
            .y_label_formatter(&bar_ticks)
            .label_style(text(TICK_PX))
            .axis_desc_style(text(px))
            .y_desc(&self.value_label)
            .draw()?;
        Ok(())
    }
}
