//! `patron plot`: every kind drawn from a hand-written fixture (tests/data/plot/), checked by
//! reading the SVG back (series by colour, bars and cells as rectangles, pixel positions against
//! the fixture's own numbers) and the PNG header; and every bad input gives an error, not a panic.

use std::collections::BTreeMap;
use std::path::PathBuf;

use patron::plot::{
    plot, PlotKind, PlotRequest, MAX_SERIES, SIZE, TORNADO_HIGH, TORNADO_LOW, TORNADO_MAX_BARS,
};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/plot")
        .join(name)
}

fn out(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

fn request(input: &str, out_name: &str) -> PlotRequest {
    PlotRequest {
        input: fixture(input),
        out: out(out_name),
        kind: None,
        x: None,
        y: None,
        by: None,
        title: None,
    }
}

/// Draw `req` as SVG; returns the kind drawn and the SVG text, checked to be a whole SVG document.
fn svg(req: PlotRequest) -> (PlotKind, String) {
    let kind = plot(&req).unwrap_or_else(|e| panic!("plot failed: {e}"));
    let text = std::fs::read_to_string(&req.out).unwrap();
    assert!(text.starts_with("<svg"), "not an SVG document");
    assert!(text.trim_end().ends_with("</svg>"), "SVG not closed");
    assert_eq!(text.matches("<svg").count(), 1);
    assert_eq!(
        text.matches("<text").count(),
        text.matches("</text>").count(),
        "unbalanced <text>"
    );
    assert!(text.contains(&format!("width=\"{}\" height=\"{}\"", SIZE.0, SIZE.1)));
    (kind, text)
}

/// The attribute lists of every `<tag ...>` element.
fn elements<'a>(svg: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    svg.match_indices(&open)
        .map(|(i, _)| &svg[i + open.len()..i + svg[i..].find('>').unwrap()])
        .collect()
}

fn attr<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = format!(" {element}").find(&key)? + key.len() - 1;
    element[start..].split('"').next()
}

fn num(element: &str, name: &str) -> f64 {
    attr(element, name).unwrap().parse().unwrap()
}

/// Every text element as (x, y, unescaped content).
fn texts(svg: &str) -> Vec<(f64, f64, String)> {
    svg.match_indices("<text ")
        .map(|(i, _)| {
            let head = &svg[i + 6..i + svg[i..].find('>').unwrap()];
            let body_start = i + svg[i..].find('>').unwrap() + 1;
            let body = &svg[body_start..body_start + svg[body_start..].find("</text>").unwrap()];
            let content = body
                .trim()
                .replace("&apos;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            (num(head, "x"), num(head, "y"), content)
        })
        .collect()
}

fn has_text(svg: &str, wanted: &str) -> bool {
    texts(svg).iter().any(|(_, _, t)| t.contains(wanted))
}

/// Polylines grouped by stroke colour, leaving out greys (axes, gridlines, the base line).
fn coloured_polylines(svg: &str) -> BTreeMap<String, Vec<Vec<(f64, f64)>>> {
    let mut by_colour: BTreeMap<String, Vec<Vec<(f64, f64)>>> = BTreeMap::new();
    for e in elements(svg, "polyline") {
        let stroke = attr(e, "stroke").unwrap().to_string();
        if stroke[1..3] == stroke[3..5] && stroke[3..5] == stroke[5..7] {
            continue;
        }
        let points = attr(e, "points")
            .unwrap()
            .split_whitespace()
            .map(|p| {
                let (x, y) = p.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect();
        by_colour.entry(stroke).or_default().push(points);
    }
    by_colour
}

fn hex(c: plotters::style::RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Width and height from a PNG's IHDR chunk, after checking the 8-byte signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

/// `pixels` is an affine image of `values` (the chart's coordinate map), to within rounding.
fn assert_affine(values: &[f64], pixels: &[f64]) {
    assert_eq!(values.len(), pixels.len());
    let (v0, v1, p0, p1) = (
        values[0],
        values[values.len() - 1],
        pixels[0],
        pixels[pixels.len() - 1],
    );
    let scale = (p1 - p0) / (v1 - v0);
    for (v, p) in values.iter().zip(pixels) {
        assert!(
            (p0 + (v - v0) * scale - p).abs() <= 1.5,
            "pixel {p} is off the line for value {v}"
        );
    }
}

/// The fixture CSV, parsed independently: column name → values as text.
fn csv_columns(name: &str) -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut cols: BTreeMap<String, Vec<String>> =
        header.iter().map(|h| (h.to_string(), vec![])).collect();
    for line in lines {
        for (h, v) in header.iter().zip(line.split(',')) {
            cols.get_mut(*h).unwrap().push(v.to_string());
        }
    }
    cols
}

#[test]
fn line_plot_draws_one_line_per_by_value_through_the_data() {
    let (kind, svg) = svg(request("sweep_line.csv", "line.svg"));
    assert_eq!(
        kind,
        PlotKind::Line,
        "two varied parameters, three values of the second: lines"
    );
    let cols = csv_columns("sweep_line.csv");
    let recovery = &cols["chain.recovery"];
    let mut levels: Vec<&String> = recovery.iter().collect();
    levels.sort();
    levels.dedup();
    let lines = coloured_polylines(&svg);
    assert_eq!(lines.len(), levels.len(), "one colour per recovery value");
    for (colour, polylines) in &lines {
        assert_eq!(
            polylines.len(),
            2,
            "{colour}: the line and its legend sample"
        );
    }
    // Each line passes through its rows' (dependence, p_hold), mapped by one affine map per axis.
    let mut all_x = vec![];
    let mut all_px = vec![];
    let (mut all_y, mut all_py) = (vec![], vec![]);
    for (level, colour) in levels.iter().zip(["#1F77B4", "#FF7F0E", "#2CA02C"]) {
        let rows: Vec<usize> = (0..recovery.len())
            .filter(|&i| &recovery[i] == *level)
            .collect();
        let line = lines[colour].iter().max_by_key(|p| p.len()).unwrap();
        assert_eq!(line.len(), rows.len());
        for (&i, &(px, py)) in rows.iter().zip(line) {
            all_x.push(
                cols["dyads.us_israel.dependence"][i]
                    .parse::<f64>()
                    .unwrap(),
            );
            all_y.push(cols["ceasefire.optimal.p_hold"][i].parse::<f64>().unwrap());
            all_px.push(px);
            all_py.push(py);
        }
        assert!(
            has_text(&svg, &format!("= {level}")),
            "legend names recovery {level}"
        );
    }
    let order: Vec<usize> = {
        let mut o: Vec<usize> = (0..all_x.len()).collect();
        o.sort_by(|&a, &b| all_x[a].total_cmp(&all_x[b]));
        o
    };
    assert_affine(
        &order.iter().map(|&i| all_x[i]).collect::<Vec<_>>(),
        &order.iter().map(|&i| all_px[i]).collect::<Vec<_>>(),
    );
    let order: Vec<usize> = {
        let mut o: Vec<usize> = (0..all_y.len()).collect();
        o.sort_by(|&a, &b| all_y[a].total_cmp(&all_y[b]));
        o
    };
    let ys: Vec<f64> = order.iter().map(|&i| all_y[i]).collect();
    let pys: Vec<f64> = order.iter().map(|&i| all_py[i]).collect();
    assert_affine(&ys, &pys);
    assert!(
        pys[0] > pys[pys.len() - 1],
        "larger values are drawn higher up"
    );
    // Axis names in words (the label table of the task: dependence, p_hold).
    assert!(has_text(&svg, "client's dependence s (cost of a sanction)"));
    assert!(has_text(&svg, "P(ceasefire holds to the horizon)"));
}

#[test]
fn line_plot_png_has_the_page_size() {
    let mut req = request("sweep_line.csv", "line.png");
    req.y = Some("ceasefire.unconditional.expected_weeks".into());
    assert_eq!(plot(&req).unwrap(), PlotKind::Line);
    assert_eq!(png_size(&std::fs::read(&req.out).unwrap()), SIZE);
}

#[test]
fn heatmap_has_one_cell_per_grid_point_coloured_by_value() {
    let (kind, svg) = svg(request("sweep_grid.jsonl", "heatmap.svg"));
    assert_eq!(
        kind,
        PlotKind::Heatmap,
        "the second parameter takes 12 values: more than a legend shows"
    );
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(fixture("sweep_grid.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let cells: Vec<&str> = elements(&svg, "rect")
        .into_iter()
        .filter(|r| attr(r, "fill") != Some("#FFFFFF") && attr(r, "fill") != Some("none"))
        .collect();
    assert_eq!(
        cells.len(),
        rows.len(),
        "one filled rectangle per (dependence, monitoring) row"
    );
    // The largest value is viridis' top colour, the smallest its bottom colour (matplotlib's viridis).
    let p: Vec<f64> = rows
        .iter()
        .map(|r| r["ceasefire.optimal.p_hold"].as_f64().unwrap())
        .collect();
    let (lo, hi) = p
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    assert_eq!(p.iter().filter(|&&v| v == hi).count(), 1);
    assert_eq!(
        cells
            .iter()
            .filter(|c| attr(c, "fill") == Some("#FDE725"))
            .count(),
        1
    );
    assert!(
        cells.iter().any(|c| attr(c, "fill") == Some("#440154")),
        "smallest value {lo} drawn in viridis' darkest colour"
    );
    // The top-coloured cell is the one at the largest dependence and monitoring: right and top.
    let top = cells
        .iter()
        .find(|c| attr(c, "fill") == Some("#FDE725"))
        .unwrap();
    let max_x = cells.iter().map(|c| num(c, "x")).fold(f64::MIN, f64::max);
    let min_y = cells.iter().map(|c| num(c, "y")).fold(f64::MAX, f64::min);
    assert_eq!((num(top, "x"), num(top, "y")), (max_x, min_y));
    assert!(has_text(&svg, "monitoring m"));
    assert!(has_text(&svg, "client's dependence s"));

    let mut png = request("sweep_grid.jsonl", "heatmap.png");
    png.kind = Some(PlotKind::Heatmap);
    plot(&png).unwrap();
    assert_eq!(png_size(&std::fs::read(&png.out).unwrap()), SIZE);
}

#[test]
fn tornado_shows_the_widest_swings_in_order() {
    let (kind, svg) = svg(request("sensitivity.json", "tornado.svg"));
    assert_eq!(kind, PlotKind::Tornado);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("sensitivity.json")).unwrap())
            .unwrap();
    let base = report["base"].as_f64().unwrap();
    let mut swings: Vec<(f64, &serde_json::Value)> = report["swings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                (s["output_at_high"].as_f64().unwrap() - s["output_at_low"].as_f64().unwrap())
                    .abs(),
                s,
            )
        })
        .collect();
    assert!(
        swings.len() > TORNADO_MAX_BARS,
        "the fixture has more swings than are shown"
    );
    swings.sort_by(|a, b| b.0.total_cmp(&a.0));
    // Each bar's label ends with the parameter's range "[low, high]"; shown top to bottom by swing.
    let range_of = |s: &serde_json::Value| {
        format!(
            "[{}, {}]",
            s["low"].as_f64().unwrap(),
            s["high"].as_f64().unwrap()
        )
    };
    let label_y = |s: &serde_json::Value| {
        texts(&svg)
            .into_iter()
            .find(|t| t.2.ends_with(&range_of(s)))
            .map(|t| t.1)
    };
    let ys: Vec<f64> = swings[..TORNADO_MAX_BARS]
        .iter()
        .map(|(_, s)| label_y(s).expect("a shown swing has a label"))
        .collect();
    assert!(
        ys.windows(2).all(|w| w[0] < w[1]),
        "widest swing on top: {ys:?}"
    );
    for (_, s) in &swings[TORNADO_MAX_BARS..] {
        assert!(
            label_y(s).is_none(),
            "{} is beyond the top {TORNADO_MAX_BARS}",
            s["path"]
        );
    }
    // Bars: one per shown swing in each colour (+1 each for the key), lengths ∝ |output − base|.
    for (colour, key) in [
        (TORNADO_LOW, "output_at_low"),
        (TORNADO_HIGH, "output_at_high"),
    ] {
        let bars: Vec<&str> = elements(&svg, "rect")
            .into_iter()
            .filter(|r| attr(r, "fill") == Some(&hex(colour)))
            .collect();
        assert_eq!(bars.len(), TORNADO_MAX_BARS + 1, "{key}");
        let mut bars = bars;
        bars.sort_by(|a, b| num(a, "y").total_cmp(&num(b, "y")));
        bars.remove(0); // the key's swatch, above the chart
        let deviations: Vec<f64> = swings[..TORNADO_MAX_BARS]
            .iter()
            .map(|(_, s)| (s[key].as_f64().unwrap() - base).abs())
            .collect();
        let widths: Vec<f64> = bars.iter().map(|r| num(r, "width")).collect();
        let (i, _) = deviations
            .iter()
            .enumerate()
            .fold((0, 0.0), |m, (i, &d)| if d > m.1 { (i, d) } else { m });
        for (d, w) in deviations.iter().zip(&widths) {
            assert!(
                (d / deviations[i] * widths[i] - w).abs() <= 2.0,
                "bar width {w} for a swing of {d}"
            );
        }
    }
    assert!(has_text(&svg, "P(ceasefire holds to the horizon)"));
    let mut png = request("sensitivity.json", "tornado.png");
    png.kind = Some(PlotKind::Tornado);
    plot(&png).unwrap();
    assert_eq!(png_size(&std::fs::read(&png.out).unwrap()), SIZE);
}

#[test]
fn survival_curves_follow_the_one_client_closed_form() {
    let (kind, svg) = svg(request("solve.json", "survival.svg"));
    assert_eq!(kind, PlotKind::Survival);
    let lines = coloured_polylines(&svg);
    assert_eq!(
        lines.len(),
        2,
        "optimal and unconditional; the status quo is null"
    );
    // The fixture is a one-client chain with μ = 1: P(hold at t) = (1 − b)^t (spec, layer 2),
    // b = 0.04 under the optimal policy and 0.3 unconditionally.
    for (colour, b) in [("#1F77B4", 0.04_f64), ("#FF7F0E", 0.3)] {
        let line = lines[colour].iter().max_by_key(|p| p.len()).unwrap();
        assert_eq!(line.len(), 27, "weeks 0..=26");
        let weeks: Vec<f64> = (0..27).map(f64::from).collect();
        let hold: Vec<f64> = (0..27).map(|t| (1.0 - b).powi(t)).collect();
        assert_affine(&weeks, &line.iter().map(|p| p.0).collect::<Vec<_>>());
        assert_affine(&hold, &line.iter().map(|p| p.1).collect::<Vec<_>>());
    }
    assert!(has_text(&svg, "week"));
    assert!(has_text(&svg, "P(ceasefire still holds at week t)"));
    assert!(has_text(&svg, "optimal policies"));
    assert!(has_text(&svg, "unconditional"));
    let png = request("solve.json", "survival.png");
    plot(&png).unwrap();
    assert_eq!(png_size(&std::fs::read(&png.out).unwrap()), SIZE);
}

fn error(req: PlotRequest) -> String {
    match plot(&req) {
        Ok(kind) => panic!("expected an error, drew a {kind:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn missing_and_text_columns_are_named() {
    let mut req = request("sweep_line.csv", "missing.svg");
    req.y = Some("ceasefire.optimal.no_such_output".into());
    let e = error(req);
    assert!(
        e.contains("sweep_line.csv") && e.contains("ceasefire.optimal.no_such_output"),
        "{e}"
    );

    let mut req = request("sweep_line.csv", "text.svg");
    req.y = Some("dyads.us_israel.optimal.actions.autonomous".into());
    let e = error(req);
    assert!(
        e.contains("sweep_line.csv:2:") && e.contains("actions.autonomous") && e.contains("text"),
        "{e}"
    );
}

#[test]
fn degenerate_tables_are_errors_or_plots_never_panics() {
    for (name, wanted) in [
        ("empty.csv", "empty"),
        ("header_only.csv", "no data rows"),
        ("ragged.csv", "ragged.csv:3"),
        ("nested.jsonl", "nested.jsonl:2"),
        ("broken.json", "broken.json:2"),
        ("neither.json", "neither a sensitivity report"),
        ("huge.csv", "too wide"),
    ] {
        let e = error(request(name, &format!("{name}.svg")));
        assert!(e.contains(wanted), "{name}: {e}");
    }
    let mut all_missing = request("nan.csv", "nan_weeks.svg");
    all_missing.y = Some("ceasefire.optimal.expected_weeks".into());
    assert!(error(all_missing).contains("no row has finite numbers"));

    // One row; a constant x and y: every row marked, axes padded around the constant.
    for (name, rows) in [("one_row.csv", 1), ("constant.csv", 3)] {
        let (kind, svg) = svg(request(name, &format!("{name}.svg")));
        assert_eq!(kind, PlotKind::Line);
        assert_eq!(
            elements(&svg, "circle").len(),
            rows,
            "{name}: each row is marked"
        );
    }
    // NaN and empty cells leave their rows out: 3 of the 5 rows have a finite p_hold.
    let (_, svg) = svg(request("nan.csv", "nan.svg"));
    let lines = coloured_polylines(&svg);
    assert_eq!(lines.values().next().unwrap()[0].len(), 3);
}

#[test]
fn requests_that_do_not_fit_the_file_are_refused() {
    let e = error(request("sweep_line.csv", "figure.pdf"));
    assert!(e.contains(".svg or .png"), "{e}");
    assert!(!out("figure.pdf").exists());

    let mut tornado_of_sweep = request("sweep_line.csv", "wrong_kind.svg");
    tornado_of_sweep.kind = Some(PlotKind::Tornado);
    assert!(error(tornado_of_sweep).contains("line or heatmap"));

    let mut x_on_report = request("solve.json", "x_on_report.svg");
    x_on_report.x = Some("chain.recovery".into());
    assert!(error(x_on_report).contains("only to sweep tables"));

    let mut too_many_lines = request("sweep_grid.jsonl", "too_many.svg");
    too_many_lines.kind = Some(PlotKind::Line);
    let e = error(too_many_lines);
    assert!(
        e.contains(&format!("({MAX_SERIES})")) && e.contains("heatmap"),
        "{e}"
    );

    let mut heatmap_with_a_third = request("three_params.csv", "three.svg");
    heatmap_with_a_third.kind = Some(PlotKind::Heatmap);
    heatmap_with_a_third.by = Some("chain.recovery".into());
    assert!(error(heatmap_with_a_third).contains("more than one row"));
}

#[test]
fn a_third_varied_parameter_gives_markers_not_zigzags() {
    let mut req = request("three_params.csv", "three_line.svg");
    req.by = Some("chain.recovery".into());
    let (kind, svg) = svg(req);
    assert_eq!(kind, PlotKind::Line);
    assert!(
        coloured_polylines(&svg).is_empty(),
        "repeated x values are not joined"
    );
    let dots = elements(&svg, "circle")
        .into_iter()
        .filter(|c| attr(c, "fill") != Some("none"))
        .count();
    assert_eq!(dots, 8 + 2, "8 rows and 2 legend samples");
}
