//! Figures of a calibration summary (`patron calibrate --summary FILE.json`):
//!
//! - **posterior**: each free parameter's prior and posterior on one axis, as a position within
//!   its declared range (0 = the range's low end, 1 = its high end), so parameters of different
//!   scales share the figure: the prior's 90 % interval (grey) above the posterior's (colour),
//!   each with its median. A posterior interval as wide as the prior's is a parameter the data
//!   do not identify.
//! - **density**: one parameter's uniform prior density (grey) and posterior histogram (colour)
//!   on its declared range.
//! - **bands**: each observed truce's posterior predictive survival S(t): the median and the 90 %
//!   band, with the observation marked at its week: a cross where the truce broke, a vertical
//!   tick where it is known only to have held (right-censored).

use plotters::prelude::*;
use serde::Deserialize;

use super::style::{self, axis_range, Area, Draw, DrawResult, PALETTE};
use crate::{Error, Result};

/// The parts of a calibration summary the figures use.
#[derive(Debug, Clone, Deserialize)]
pub struct CalibrationReport {
    pub parameters: Vec<Parameter>,
    pub densities: Vec<DensityReport>,
    pub posterior_predictive: PredictiveReport,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DensityReport {
    pub name: String,
    pub lo: f64,
    pub hi: f64,
    pub prior: f64,
    pub posterior: Vec<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Parameter {
    pub name: String,
    pub shrinkage: f64,
    pub prior: Quantiles,
    pub posterior: Quantiles,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Quantiles {
    pub q05: f64,
    pub q50: f64,
    pub q95: f64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PredictiveReport {
    pub truces: Vec<TruceBand>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TruceBand {
    pub id: String,
    pub outcome: String,
    pub weeks: usize,
    pub q05: Vec<f64>,
    pub q50: Vec<f64>,
    pub q95: Vec<f64>,
}

/// Prior and posterior intervals of every parameter, scaled to the prior's range.
pub struct Intervals {
    title: String,
    /// (name, prior 5/50/95 %, posterior 5/50/95 %), each scaled to [0, 1] by the prior's range.
    rows: Vec<(String, [f64; 3], [f64; 3])>,
}

/// Survival bands of the observed truces.
pub struct Bands {
    title: String,
    weeks: usize,
    truces: Vec<TruceBand>,
}

pub fn intervals(file: &str, r: &CalibrationReport, title: Option<&str>) -> Result<Intervals> {
    if r.parameters.is_empty() {
        return Err(Error::Usage(format!("{file}: no parameters to draw")));
    }
    let rows = r
        .parameters
        .iter()
        .map(|p| {
            // A uniform prior's 5 % and 95 % quantiles are lo + 0.05 w and lo + 0.95 w.
            let width = (p.prior.q95 - p.prior.q05) / 0.9;
            let lo = p.prior.q05 - 0.05 * width;
            if !(width.is_finite() && width > 0.0) {
                return Err(Error::Usage(format!(
                    "{file}: parameter {} has no prior range to scale by",
                    p.name
                )));
            }
            let scale = |q: &Quantiles| [q.q05, q.q50, q.q95].map(|v| (v - lo) / width);
            Ok((p.name.clone(), scale(&p.prior), scale(&p.posterior)))
        })
        .collect::<Result<_>>()?;
    Ok(Intervals {
        title: title.map_or_else(
            || "Prior and posterior, 90% intervals".into(),
            str::to_string,
        ),
        rows,
    })
}

pub fn bands(file: &str, r: &CalibrationReport, title: Option<&str>) -> Result<Bands> {
    let truces = r.posterior_predictive.truces.clone();
    if truces.is_empty() {
        return Err(Error::Usage(format!("{file}: no truces to draw")));
    }
    for t in &truces {
        let n = t.weeks + 1;
        if t.q05.len() != n || t.q50.len() != n || t.q95.len() != n {
            return Err(Error::Usage(format!(
                "{file}: truce {} has {} weeks but bands of other lengths",
                t.id, t.weeks
            )));
        }
    }
    if truces.len() > PALETTE.len() {
        return Err(Error::Usage(format!(
            "{file}: {} truces, more than the {} colours a legend can show",
            truces.len(),
            PALETTE.len()
        )));
    }
    Ok(Bands {
        title: title.map_or_else(
            || "Posterior predictive survival of the observed truces".into(),
            str::to_string,
        ),
        weeks: truces.iter().map(|t| t.weeks).max().unwrap_or(1).max(1),
        truces,
    })
}

/// One parameter's prior and posterior densities.
pub struct DensityChart {
    title: String,
    d: DensityReport,
}

/// The densities of `name`, or of the parameter with the least shrinkage when `None`.
pub fn density(
    file: &str,
    r: &CalibrationReport,
    name: Option<&str>,
    title: Option<&str>,
) -> Result<DensityChart> {
    let name = match name {
        Some(n) => n.to_string(),
        None => r
            .parameters
            .iter()
            .min_by(|a, b| a.shrinkage.total_cmp(&b.shrinkage))
            .map(|p| p.name.clone())
            .ok_or_else(|| Error::Usage(format!("{file}: no parameters to draw")))?,
    };
    let d = r
        .densities
        .iter()
        .find(|d| d.name == name)
        .cloned()
        .ok_or_else(|| {
            let names: Vec<&str> = r.densities.iter().map(|d| d.name.as_str()).collect();
            Error::Usage(format!(
                "{file}: no free parameter `{name}`; the summary has {}",
                names.join(", ")
            ))
        })?;
    if d.posterior.is_empty()
        || d.lo.partial_cmp(&d.hi) != Some(std::cmp::Ordering::Less)
        || d.posterior.iter().any(|h| !h.is_finite())
    {
        return Err(Error::Usage(format!(
            "{file}: the densities of {name} are malformed"
        )));
    }
    Ok(DensityChart {
        title: title.map_or_else(
            || format!("{name}: prior and posterior density"),
            str::to_string,
        ),
        d,
    })
}

impl Draw for DensityChart {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        let d = &self.d;
        let area = style::frame(root, &self.title)?;
        let top = d.posterior.iter().copied().fold(d.prior, f64::max);
        let mut chart = style::chart(&area, d.lo..d.hi, 0.0..top * 1.08, 96)?;
        let ticks = style::Ticks::of(&chart);
        style::mesh(&mut chart, &ticks, &d.name, "density").draw()?;
        let width = (d.hi - d.lo) / d.posterior.len() as f64;
        let colour = PALETTE[0];
        chart
            .draw_series(d.posterior.iter().enumerate().map(|(j, &h)| {
                let x0 = d.lo + j as f64 * width;
                Rectangle::new([(x0, 0.0), (x0 + width, h)], colour.mix(0.45).filled())
            }))?
            .label("posterior")
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 28, y + 6)], colour.mix(0.45).filled())
            });
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(d.lo, d.prior), (d.hi, d.prior)],
                PRIOR.stroke_width(4),
            )))?
            .label("prior (uniform)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 28, y)], PRIOR.stroke_width(4)));
        style::legend(&mut chart, plotters::chart::SeriesLabelPosition::UpperRight)
    }
}

const PRIOR: RGBColor = RGBColor(0xA0, 0xA0, 0xA0);

impl Draw for Intervals {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        let area = style::frame(root, &self.title)?;
        let n = self.rows.len();
        let mut chart = style::chart(&area, -0.02..1.02, -0.7..n as f64 - 0.3, 330)?;
        let names: Vec<String> = self.rows.iter().map(|r| r.0.clone()).collect();
        let ticks = style::Ticks::with_y(
            &chart,
            Box::new(move |y: &f64| {
                let i = y.round();
                if (y - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < names.len() {
                    names[names.len() - 1 - i as usize].clone()
                } else {
                    String::new()
                }
            }),
        );
        let mut mesh = style::mesh(
            &mut chart,
            &ticks,
            "position within the declared range (0 = low end, 1 = high end)",
            "",
        );
        mesh.y_labels(n).draw()?;
        let colour = PALETTE[0];
        for (i, (_, prior, post)) in self.rows.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            for (q, c, dy) in [(prior, PRIOR, 0.15), (post, colour, -0.15)] {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(q[0], y + dy), (q[2], y + dy)],
                    c.stroke_width(4),
                )))?;
                chart.draw_series(std::iter::once(Circle::new((q[1], y + dy), 5, c.filled())))?;
            }
        }
        chart
            .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
            .label("prior")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 28, y)], PRIOR.stroke_width(4)));
        chart
            .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
            .label("posterior")
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 28, y)], colour.stroke_width(4))
            });
        style::legend(&mut chart, plotters::chart::SeriesLabelPosition::UpperRight)
    }
}

impl Draw for Bands {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        let area = style::frame(root, &self.title)?;
        let y_range = axis_range([0.0, 1.0], 0.02).unwrap_or(-0.02..1.02);
        let mut chart = style::chart(&area, 0.0..self.weeks as f64, y_range, 96)?;
        let ticks = style::Ticks::of(&chart);
        style::mesh(
            &mut chart,
            &ticks,
            super::labels::WEEK,
            "P(truce still holds after t weeks)",
        )
        .draw()?;
        for (t, colour) in self.truces.iter().zip(PALETTE) {
            let upper = t.q95.iter().enumerate().map(|(w, &p)| (w as f64, p));
            let lower = t.q05.iter().enumerate().rev().map(|(w, &p)| (w as f64, p));
            chart.draw_series(std::iter::once(Polygon::new(
                upper.chain(lower).collect::<Vec<_>>(),
                colour.mix(0.18).filled(),
            )))?;
            let line = colour.stroke_width(3);
            let median = t.q50.iter().enumerate().map(|(w, &p)| (w as f64, p));
            let label = format!("{} ({} {})", t.id, t.outcome, t.weeks);
            chart
                .draw_series(LineSeries::new(median, line))?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 28, y)], line));
            let at = (t.weeks as f64, t.q50[t.weeks]);
            if t.outcome == "broke" {
                chart.draw_series(std::iter::once(Cross::new(at, 9, colour.stroke_width(3))))?;
            } else {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(at.0, at.1 - 0.05), (at.0, at.1 + 0.05)],
                    colour.stroke_width(4),
                )))?;
            }
        }
        style::legend(&mut chart, plotters::chart::SeriesLabelPosition::UpperRight)
    }
}
