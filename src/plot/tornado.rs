//! Tornado charts: one-at-a-time sensitivity. For each parameter, the output with the parameter
//! at the low and at the high end of its plausible range, drawn as two bars from the base value;
//! the widest swings on top (Saltelli et al., "Global Sensitivity Analysis: The Primer", 2008, §1.2).

use std::ops::Range;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::Sensitivity;
use super::labels::describe;
use super::style::{
    self, axis_range, fmt_num, text, text_width, Area, Draw, DrawResult, LEGEND_PX, PALETTE,
};
use crate::{Error, Result};

/// Bars shown; the rest of the (sorted) swings are left out.
pub const MAX_BARS: usize = 15;
/// Fewest rows the chart's height is divided into.
const MIN_ROWS: usize = 6;
/// Colour of the bars with the parameter at the low end of its range.
pub const LOW: RGBColor = PALETTE[0];
/// Colour of the bars with the parameter at the high end of its range.
pub const HIGH: RGBColor = PALETTE[1];

#[derive(Debug)]
pub struct Tornado {
    pub title: String,
    pub x_label: String,
    pub base: f64,
    /// Widest swing first.
    pub bars: Vec<Bar>,
    x_range: Range<f64>,
}

#[derive(Debug)]
pub struct Bar {
    /// The parameter and its range, e.g. "iran_hamas: dependence s [0.2, 0.6]".
    pub label: String,
    pub at_low: f64,
    pub at_high: f64,
}

pub fn from_sensitivity(file: &str, s: &Sensitivity, title: Option<&str>) -> Result<Tornado> {
    if s.swings.is_empty() {
        return Err(Error::Usage(format!(
            "{file}: \"swings\" is empty; nothing to plot"
        )));
    }
    let mut swings: Vec<_> = s.swings.iter().collect();
    swings.sort_by(|a, b| {
        let width = |w: &super::data::Swing| (w.output_at_high - w.output_at_low).abs();
        width(b).total_cmp(&width(a))
    });
    swings.truncate(MAX_BARS);
    let bars: Vec<Bar> = swings
        .iter()
        .map(|w| Bar {
            label: format!(
                "{} [{}, {}]",
                describe(&w.path).short,
                fmt_num(w.low),
                fmt_num(w.high)
            ),
            at_low: w.output_at_low,
            at_high: w.output_at_high,
        })
        .collect();
    let values = bars
        .iter()
        .flat_map(|b| [b.at_low, b.at_high])
        .chain([s.base]);
    let output = describe(&s.output);
    Ok(Tornado {
        title: title.map_or_else(
            || format!("Sensitivity of {}: base {}", output.short, fmt_num(s.base)),
            str::to_string,
        ),
        x_label: output.long,
        base: s.base,
        x_range: axis_range(values, 0.05)?,
        bars,
    })
}

impl Draw for Tornado {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        let framed = style::frame(root, &self.title)?;
        let (strip, area) = framed.split_vertically(36);
        style::key(
            &strip,
            &[
                (LOW, "parameter at the low end of its range"),
                (HIGH, "at the high end"),
            ],
        )?;
        let widest = self
            .bars
            .iter()
            .map(|b| text_width(&area, &b.label, LEGEND_PX))
            .max()
            .unwrap_or(0);
        let label_px = (widest + 24).min(area.dim_in_pixel().0 * 45 / 100);
        // At least MIN_ROWS rows of height, so that a few bars are not drawn as slabs; centred.
        let rows = self.bars.len().max(MIN_ROWS) as f64;
        let top = rows - (rows - self.bars.len() as f64) / 2.0;
        let mut chart = style::chart(&area, self.x_range.clone(), 0.0..rows, label_px)?;
        let ticks = style::Ticks::of(&chart);
        style::mesh(&mut chart, &ticks, &self.x_label, "")
            .disable_y_mesh()
            .y_labels(0)
            .draw()?;

        // Row i (0 on top) is centred at top − i − ½: low-end bar above the centre, high-end below.
        let centre = |i: usize| top - i as f64 - 0.5;
        let bar = |i: usize, value: f64, upper: bool, colour: RGBColor| {
            let (y0, y1) = if upper {
                (centre(i) + 0.03, centre(i) + 0.4)
            } else {
                (centre(i) - 0.4, centre(i) - 0.03)
            };
            Rectangle::new([(self.base, y0), (value, y1)], colour.filled())
        };
        chart.draw_series(
            self.bars
                .iter()
                .enumerate()
                .map(|(i, b)| bar(i, b.at_low, true, LOW)),
        )?;
        chart.draw_series(
            self.bars
                .iter()
                .enumerate()
                .map(|(i, b)| bar(i, b.at_high, false, HIGH)),
        )?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(self.base, 0.0), (self.base, rows)],
            BLACK.stroke_width(2),
        )))?;

        let label_style = text(LEGEND_PX).pos(Pos::new(HPos::Right, VPos::Center));
        for (i, b) in self.bars.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(self.x_range.start, centre(i)));
            root.draw(&Text::new(
                b.label.clone(),
                (x - 10, y),
                label_style.clone(),
            ))?;
        }
        Ok(())
    }
}
