//! What every figure shares: the bundled font, page size, font sizes, colours, the titled frame,
//! the axes and gridlines, axis ranges and number formatting, and writing SVG or PNG.
//!
//! Text is drawn with plotters' `ab_glyph` backend from the DejaVu Sans file committed under
//! `assets/fonts/`, so PNG output needs no system font (without a registered font plotters
//! panics on the first label).

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use plotters::chart::{ChartContext, MeshStyle, SeriesLabelPosition};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use crate::num::tol;
use crate::{Error, Result};

/// Page size in pixels, for both PNG and SVG.
pub const SIZE: (u32, u32) = (1100, 700);
const FONT: &str = "sans-serif";
const TITLE_PX: u32 = 28;
pub const AXIS_PX: u32 = 20;
pub const TICK_PX: u32 = 16;
pub const LEGEND_PX: u32 = 16;
/// Smallest font a too-long title or axis label is shrunk to before it is allowed to overflow.
const MIN_PX: u32 = 11;
/// Blank border around the whole figure.
const MARGIN: u32 = 18;

/// Series colours: Tableau 10 (matplotlib's default cycle), ten hues told apart at a glance.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(0x1F, 0x77, 0xB4),
    RGBColor(0xFF, 0x7F, 0x0E),
    RGBColor(0x2C, 0xA0, 0x2C),
    RGBColor(0xD6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xBD),
    RGBColor(0x8C, 0x56, 0x4B),
    RGBColor(0xE3, 0x77, 0xC2),
    RGBColor(0x7F, 0x7F, 0x7F),
    RGBColor(0xBC, 0xBD, 0x22),
    RGBColor(0x17, 0xBE, 0xCF),
];
const GRID: RGBColor = RGBColor(0xD0, 0xD0, 0xD0);
const GRID_LIGHT: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);

pub type DrawResult<DB> =
    std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;
pub type Area<DB> = DrawingArea<DB, Shift>;
pub type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A figure that can be drawn on any plotters backend (SVG or bitmap).
pub trait Draw {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Svg,
    Png,
}

fn format_of(out: &Path) -> Result<Format> {
    match super::data::extension(out).as_str() {
        "svg" => Ok(Format::Svg),
        "png" => Ok(Format::Png),
        _ => Err(Error::Usage(format!(
            "{}: the output must end in .svg or .png",
            out.display()
        ))),
    }
}

/// Check that `out` names a format we write, before any work is done.
pub fn check_output(out: &Path) -> Result<()> {
    format_of(out).map(|_| ())
}

/// Draw `figure` into `out`, SVG or PNG by its extension.
pub fn render(figure: &impl Draw, out: &Path) -> Result<()> {
    register_font()?;
    let failed = |e: &dyn std::fmt::Display| {
        Error::io(
            out,
            std::io::Error::other(format!("cannot draw the figure: {e}")),
        )
    };
    match format_of(out)? {
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
                figure.draw(&root).map_err(|e| failed(&e))?;
                root.present().map_err(|e| failed(&e))?;
            }
            std::fs::write(out, svg).map_err(|e| Error::io(out, e))
        }
        Format::Png => {
            // Fail on an unwritable path with the plain I/O error, before drawing anything.
            std::fs::File::create(out).map_err(|e| Error::io(out, e))?;
            let root = BitMapBackend::new(out, SIZE).into_drawing_area();
            figure.draw(&root).map_err(|e| failed(&e))?;
            root.present().map_err(|e| failed(&e))
        }
    }
}

fn register_font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font(
            FONT,
            FontStyle::Normal,
            include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
        )
        .is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Solver(
            "the bundled font assets/fonts/DejaVuSans.ttf is not a valid font".into(),
        ))
    }
}

pub fn text(px: u32) -> TextStyle<'static> {
    TextStyle::from((FONT, px).into_font()).color(&BLACK)
}

/// The largest font size up to `px` at which `s` fits in `room` pixels (never below `MIN_PX`).
pub fn fit<DB: DrawingBackend>(area: &Area<DB>, s: &str, px: u32, room: u32) -> u32 {
    let mut size = px;
    while size > MIN_PX {
        match area.estimate_text_size(s, &text(size)) {
            Ok((w, _)) if w > room => size -= 1,
            _ => break,
        }
    }
    size
}

/// Width in pixels of `s` at `px` (0 if the font cannot measure it).
pub fn text_width<DB: DrawingBackend>(area: &Area<DB>, s: &str, px: u32) -> u32 {
    area.estimate_text_size(s, &text(px)).map_or(0, |(w, _)| w)
}

/// White page, the title on top (shrunk to fit), a margin all round; returns the area below the title.
pub fn frame<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
) -> std::result::Result<Area<DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let inner = root.margin(MARGIN, MARGIN, MARGIN, MARGIN);
    let px = fit(&inner, title, TITLE_PX, inner.dim_in_pixel().0);
    inner.titled(title, text(px))
}

/// A chart with f64 axes in `area`, leaving `y_label_px` on the left for tick labels and the axis name.
pub fn chart<'a, DB: DrawingBackend>(
    area: &'a Area<DB>,
    x: Range<f64>,
    y: Range<f64>,
    y_label_px: u32,
) -> std::result::Result<Chart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(64)
        .y_label_area_size(y_label_px)
        .build_cartesian_2d(x, y)
}

/// Tick label formats for a chart's two axes (made before [`mesh`], which borrows them).
pub struct Ticks {
    x: Box<dyn Fn(&f64) -> String>,
    y: Box<dyn Fn(&f64) -> String>,
}

impl Ticks {
    pub fn of<DB: DrawingBackend>(chart: &Chart<'_, DB>) -> Ticks {
        Ticks {
            x: tick_format(chart.x_range()),
            y: tick_format(chart.y_range()),
        }
    }

    /// The x axis as [`Ticks::of`] formats it, the y axis by `y` (e.g. names for row indices).
    pub fn with_y<DB: DrawingBackend>(
        chart: &Chart<'_, DB>,
        y: Box<dyn Fn(&f64) -> String>,
    ) -> Ticks {
        Ticks {
            x: tick_format(chart.x_range()),
            y,
        }
    }
}

/// Gridlines, ticks and axis names (each shrunk to fit its axis); the caller may adjust, then `draw()`.
pub fn mesh<'a, 'b, DB: DrawingBackend>(
    chart: &'b mut Chart<'a, DB>,
    ticks: &'b Ticks,
    x_desc: &str,
    y_desc: &str,
) -> MeshStyle<'a, 'b, RangedCoordf64, RangedCoordf64, DB> {
    let (w, h) = chart.plotting_area().dim_in_pixel();
    let area = chart.plotting_area().strip_coord_spec();
    let px = fit(&area, x_desc, AXIS_PX, w).min(fit(&area, y_desc, AXIS_PX, h));
    let mut mesh = chart.configure_mesh();
    mesh.bold_line_style(GRID)
        .light_line_style(GRID_LIGHT)
        .max_light_lines(1)
        .x_label_formatter(&ticks.x)
        .y_label_formatter(&ticks.y)
        .axis_style(BLACK)
        .label_style(text(TICK_PX))
        .axis_desc_style(text(px))
        .x_desc(x_desc)
        .y_desc(y_desc);
    mesh
}

/// Legend box in `position`, white and slightly see-through.
pub fn legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    position: SeriesLabelPosition,
) -> DrawResult<DB> {
    chart
        .configure_series_labels()
        .position(position)
        .margin(12)
        .legend_area_size(40)
        .label_font(text(LEGEND_PX))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.5))
        .draw()
}

/// A one-line key of coloured squares and their meanings, centred in `area` (used where a legend
/// box inside the plot would hide data).
pub fn key<DB: DrawingBackend>(area: &Area<DB>, entries: &[(RGBColor, &str)]) -> DrawResult<DB> {
    const SWATCH: i32 = 14;
    const GAP: i32 = 8;
    const SPACING: i32 = 36;
    let widths: Vec<i32> = entries
        .iter()
        .map(|(_, s)| text_width(area, s, LEGEND_PX) as i32)
        .collect();
    let total: i32 = widths
        .iter()
        .map(|w| SWATCH + GAP + w + SPACING)
        .sum::<i32>()
        - SPACING;
    let (w, h) = area.dim_in_pixel();
    let (mut x, y) = ((w as i32 - total) / 2, h as i32 / 2);
    let label = text(LEGEND_PX).pos(Pos::new(HPos::Left, VPos::Center));
    for ((colour, s), width) in entries.iter().zip(widths) {
        area.draw(&Rectangle::new(
            [(x, y - SWATCH / 2), (x + SWATCH, y + SWATCH / 2)],
            colour.filled(),
        ))?;
        area.draw(&Text::new(
            s.to_string(),
            (x + SWATCH + GAP, y),
            label.clone(),
        ))?;
        x += SWATCH + GAP + width + SPACING;
    }
    Ok(())
}

/// An axis range covering `values` (all finite) with a little room at both ends; a constant
/// gets room proportional to its size (or ±0.5 around zero). Errors if the span overflows.
pub fn axis_range(values: impl IntoIterator<Item = f64>, pad_fraction: f64) -> Result<Range<f64>> {
    let (lo, hi) = values
        .into_iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return Err(Error::Unsupported(
            "nothing to plot: no finite values".into(),
        ));
    }
    let scale = lo.abs().max(hi.abs());
    let span = hi - lo;
    let pad = if span <= scale * tol::PLOT_FLAT_RANGE {
        if scale > 0.0 {
            scale * 0.1
        } else {
            0.5
        }
    } else {
        span * pad_fraction
    };
    let range = (lo - pad)..(hi + pad);
    if !(range.end - range.start).is_finite() {
        return Err(Error::Unsupported(format!(
            "values from {lo:e} to {hi:e} span too wide a range to draw an axis"
        )));
    }
    Ok(range)
}

/// Tick labels with as many decimals as the axis's scale needs, and no trailing zeros
/// (plotters' default prints weeks as "5.0").
pub fn tick_format(range: Range<f64>) -> Box<dyn Fn(&f64) -> String> {
    let step = (range.end - range.start).abs() / 10.0;
    let largest = range.start.abs().max(range.end.abs());
    let decimals = -step.log10().floor();
    if step > 0.0 && (0.0..=6.0).contains(&decimals) && largest < 1e6 {
        let decimals = decimals as usize;
        Box::new(move |v| trim_zeros(format!("{:.decimals$}", v + 0.0)))
    } else if step > 0.0 && decimals < 0.0 && largest < 1e6 {
        Box::new(|v| format!("{:.0}", v + 0.0))
    } else {
        Box::new(|v| fmt_num(*v))
    }
}

/// "0.2500" → "0.25", "5.0" → "5", "-0.000" → "0".
fn trim_zeros(s: String) -> String {
    if !s.contains('.') {
        return s;
    }
    match s.trim_end_matches('0').trim_end_matches('.') {
        "-0" => "0".to_string(),
        t => t.to_string(),
    }
}

/// A number with about four significant digits and no trailing zeros (legends, labels).
pub fn fmt_num(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{}", v + 0.0);
    }
    let magnitude = v.abs().log10().floor() as i32;
    if (-4..6).contains(&magnitude) {
        let decimals = (3 - magnitude).max(0) as usize;
        trim_zeros(format!("{v:.decimals$}"))
    } else {
        let s = format!("{v:.3e}");
        match s.split_once('e') {
            Some((mantissa, exponent)) => {
                format!("{}e{exponent}", trim_zeros(mantissa.to_string()))
            }
            None => s,
        }
    }
}

/// The viridis colour map (van der Walt & Smith, matplotlib 2015) at t ∈ [0, 1], by linear
/// interpolation between its nine evenly spaced stops (R's `viridisLite::viridis(9)`):
/// perceptually uniform, and still ordered when printed in grey.
pub fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 9] = [
        (0x44, 0x01, 0x54),
        (0x47, 0x2D, 0x7B),
        (0x3B, 0x52, 0x8B),
        (0x2C, 0x72, 0x8E),
        (0x21, 0x90, 0x8C),
        (0x27, 0xAD, 0x81),
        (0x5D, 0xC8, 0x63),
        (0xAA, 0xDC, 0x32),
        (0xFD, 0xE7, 0x25),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let pos = t * (STOPS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(STOPS.len() - 2);
    let f = pos - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(fmt_num(0.0635), "0.0635");
        assert_eq!(fmt_num(0.1 + 0.2), "0.3");
        assert_eq!(fmt_num(9.981234), "9.981");
        assert_eq!(fmt_num(26.0), "26");
        assert_eq!(fmt_num(-0.0), "0");
        assert_eq!(fmt_num(1.5e-7), "1.5e-7");
        assert_eq!(fmt_num(-2.0e9), "-2e9");
        assert_eq!(tick_format(-1.0..1.0)(&-1e-17), "0");
        assert_eq!(tick_format(0.0..26.0)(&5.0), "5");
    }

    #[test]
    fn constant_and_empty_ranges() {
        assert_eq!(axis_range([0.0, 1.0], 0.0).unwrap(), 0.0..1.0);
        let r = axis_range([2.0, 2.0], 0.05).unwrap();
        assert!(r.start < 2.0 && r.end > 2.0);
        assert_eq!(axis_range([0.0], 0.05).unwrap(), -0.5..0.5);
        assert!(axis_range([], 0.05).is_err());
        assert!(axis_range([-f64::MAX, f64::MAX], 0.05).is_err());
    }

    #[test]
    fn viridis_ends_are_its_published_ends() {
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(f64::NAN), viridis(0.5));
    }
}
