//! Line charts: an output against one swept parameter, one line per value of a second (`--by`).
//! The survival chart is the same figure with weeks on the x axis (see `survival.rs`).

use std::ops::Range;

use plotters::chart::SeriesLabelPosition;
use plotters::prelude::*;

use super::data::{distinct, Table};
use super::labels::describe;
use super::style::{self, axis_range, fmt_num, Area, Draw, DrawResult, PALETTE};
use crate::{Error, Result};

/// Most lines one chart draws: one colour each, and a legend still readable at a glance.
pub const MAX_SERIES: usize = PALETTE.len();
/// Series with at most this many points also get a marker on each point.
const MARKED_POINTS: usize = 40;

#[derive(Debug)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_range: Range<f64>,
    pub y_range: Range<f64>,
    pub series: Vec<Series>,
}

#[derive(Debug)]
pub struct Series {
    /// Legend text; empty for a lone series (no legend).
    pub name: String,
    /// Points sorted by x.
    pub points: Vec<(f64, f64)>,
    /// Joined by a line only when x never repeats: a repeated x means another parameter varies
    /// too (or a Monte Carlo cloud), and a line through it would zigzag meaninglessly.
    pub connect: bool,
    pub markers: bool,
}

impl Series {
    pub fn new(name: String, mut points: Vec<(f64, f64)>) -> Series {
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let connect = points.windows(2).all(|w| w[0].0.total_cmp(&w[1].0).is_lt());
        let markers = !connect || points.len() <= MARKED_POINTS;
        Series {
            name,
            points,
            connect,
            markers,
        }
    }
}

/// `y` against `x` from a sweep table, one series per distinct value of `by`. Rows where any of
/// the three is missing or not finite are left out.
pub fn from_sweep(
    table: &Table,
    x: &str,
    y: &str,
    by: Option<&str>,
    title: Option<&str>,
) -> Result<LineChart> {
    let rows = table.rows(&[Some(x), Some(y), by])?;
    let series = match by {
        None => vec![Series::new(
            String::new(),
            rows.iter().map(|r| (r[0], r[1])).collect(),
        )],
        Some(by) => {
            let groups = distinct(rows.iter().map(|r| r[2]));
            if groups.len() > MAX_SERIES {
                return Err(Error::Usage(format!(
                    "{}: `{by}` takes {} distinct values, more lines than a legend can show ({MAX_SERIES}); \
                     use --kind heatmap, or a coarser sweep",
                    table.file,
                    groups.len()
                )));
            }
            let by_name = describe(by).short;
            groups
                .into_iter()
                .map(|g| {
                    let points = rows
                        .iter()
                        .filter(|r| r[2].total_cmp(&g).is_eq())
                        .map(|r| (r[0], r[1]))
                        .collect();
                    Series::new(format!("{by_name} = {}", fmt_num(g)), points)
                })
                .collect()
        }
    };
    let y_label = describe(y).long;
    Ok(LineChart {
        title: title.map_or_else(|| y_label.clone(), str::to_string),
        x_label: describe(x).long,
        y_label,
        x_range: axis_range(rows.iter().map(|r| r[0]), 0.02)?,
        y_range: axis_range(rows.iter().map(|r| r[1]), 0.05)?,
        series,
    })
}

impl Draw for LineChart {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        let area = style::frame(root, &self.title)?;
        let mut chart = style::chart(&area, self.x_range.clone(), self.y_range.clone(), 96)?;
        let ticks = style::Ticks::of(&chart);
        style::mesh(&mut chart, &ticks, &self.x_label, &self.y_label).draw()?;
        for (series, colour) in self.series.iter().zip(PALETTE) {
            let (line, dot) = (colour.stroke_width(3), colour.filled());
            let points = series.points.iter().copied();
            if series.connect {
                let drawn = chart.draw_series(LineSeries::new(points, line))?;
                if !series.name.is_empty() {
                    drawn
                        .label(&series.name)
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 28, y)], line));
                }
                if series.markers {
                    chart.draw_series(series.points.iter().map(|&p| Circle::new(p, 4, dot)))?;
                }
            } else {
                let drawn = chart.draw_series(points.map(|p| Circle::new(p, 3, dot)))?;
                if !series.name.is_empty() {
                    drawn
                        .label(&series.name)
                        .legend(move |(x, y)| Circle::new((x + 14, y), 4, dot));
                }
            }
        }
        if self.series.iter().any(|s| !s.name.is_empty()) {
            style::legend(&mut chart, self.emptiest_corner())?;
        }
        Ok(())
    }
}

impl LineChart {
    /// The plot corner the lines pass through least, for the legend (ties: upper right first).
    fn emptiest_corner(&self) -> SeriesLabelPosition {
        let norm = |v: f64, r: &Range<f64>| (v - r.start) / (r.end - r.start);
        let mut samples = Vec::new();
        for s in &self.series {
            let pts: Vec<(f64, f64)> = s
                .points
                .iter()
                .map(|&(x, y)| (norm(x, &self.x_range), norm(y, &self.y_range)))
                .collect();
            samples.extend_from_slice(&pts);
            if s.connect {
                for w in pts.windows(2) {
                    samples.extend((1..10).map(|k| {
                        let t = k as f64 / 10.0;
                        (
                            w[0].0 + (w[1].0 - w[0].0) * t,
                            w[0].1 + (w[1].1 - w[0].1) * t,
                        )
                    }));
                }
            }
        }
        let (near, far) = (0.0..0.45, 0.55..=1.0);
        let count = |right: bool, upper: bool| {
            samples
                .iter()
                .filter(|(x, y)| {
                    (if right {
                        far.contains(x)
                    } else {
                        near.contains(x)
                    }) && (if upper {
                        far.contains(y)
                    } else {
                        near.contains(y)
                    })
                })
                .count()
        };
        [
            (SeriesLabelPosition::UpperRight, count(true, true)),
            (SeriesLabelPosition::UpperLeft, count(false, true)),
            (SeriesLabelPosition::LowerRight, count(true, false)),
            (SeriesLabelPosition::LowerLeft, count(false, false)),
        ]
        .into_iter()
        .min_by_key(|(_, n)| *n)
        .map_or(SeriesLabelPosition::UpperRight, |(p, _)| p)
    }
}
