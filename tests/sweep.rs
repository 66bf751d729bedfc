//! `patron sweep`, `patron merge`, `patron sensitivity` end to end, and the sweep library's
//! estimators against closed forms.
//!
//! Independent references: each sweep row against a separate full solve of the same parameter
//! values (reference LP backend, flattened here by a separate walk of its JSON); Monte Carlo
//! quantiles against the closed form of an output that is linear in the one drawn parameter;
//! Sobol indices against the Ishigami function's analytical values.

use assert_cmd::Command;
use patron::model::load_model;
use patron::model::solve_model;
use patron::sweep::Saltelli;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const MODEL: &str = "models/gaza-2024.toml";

fn model_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(MODEL)
}

fn patron() -> Command {
    let mut cmd = Command::cargo_bin("patron").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// A fresh empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sweep(args: &[&str]) -> assert_cmd::assert::Assert {
    patron()
        .arg("sweep")
        .arg(MODEL)
        .args(args)
        .arg("--quiet")
        .assert()
}

/// A CSV file as a header and rows of text cells.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// The leaves of `patron solve --format json` by dotted path, written independently of the
/// sweep's flattener: `scenario`, survival curves and the patron game left out, as documented.
fn leaves(value: &Value, path: &str, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let skip =
                    (path.is_empty() && (k == "scenario" || k == "patron_game")) || k == "survival";
                if !skip {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    leaves(v, &p, out);
                }
            }
        }
        _ => {
            out.insert(path.to_string(), value.clone());
        }
    }
}

#[test]
fn grid_rows_equal_separate_solves() {
    let dir = scratch("grid_rows");
    let out = dir.join("credibility.csv");
    let path = "dyads.us_israel.credibility";
    sweep(&[
        "--scenario",
        "ceasefire",
        "--vary",
        &format!("{path}=0.3:0.8:6"),
        "--out",
        out.to_str().unwrap(),
    ])
    .success();
    let (header, rows) = read_csv(&out);
    assert_eq!(rows.len(), 6);
    let expected_values = ["0.3", "0.4", "0.5", "0.6", "0.7", "0.8"];
    for (k, row) in rows.iter().enumerate() {
        let cell = |name: &str| &row[header.iter().position(|h| h == name).unwrap()];
        assert_eq!(cell("point"), &k.to_string());
        assert_eq!(cell(path), expected_values[k]);
        assert_eq!(cell("error"), "");
        // The same point solved on its own: `patron solve --set` (reference LP backend, the
        // patron game included), its JSON flattened by `leaves`.
        let solved = patron()
            .args([
                "solve",
                MODEL,
                "--scenario",
                "ceasefire",
                "--format",
                "json",
                "--set",
            ])
            .arg(format!("{path}={}", expected_values[k]))
            .assert()
            .success();
        let json: Value = serde_json::from_slice(&solved.get_output().stdout).unwrap();
        let mut reference = BTreeMap::new();
        leaves(&json, "", &mut reference);
        let outputs: Vec<&String> = header[2..header.len() - 1].iter().collect();
        assert_eq!(
            outputs
                .iter()
                .map(|s| s.as_str())
                .collect::<std::collections::BTreeSet<_>>(),
            reference.keys().map(String::as_str).collect(),
            "the sweep's output columns are the solve's JSON paths"
        );
        for name in outputs {
            let got = cell(name);
            match &reference[name.as_str()] {
                Value::Number(n) => {
                    let want = n.as_f64().unwrap();
                    let got: f64 = got.parse().unwrap();
                    assert!(
                        (got - want).abs() <= 1e-12,
                        "point {k} {name}: {got} vs {want}"
                    );
                }
                Value::String(s) => assert_eq!(got, s, "point {k} {name}"),
                Value::Null => assert_eq!(got, "", "point {k} {name}"),
                other => panic!("{name}: unexpected {other}"),
            }
        }
    }
    // The spec's reference numbers at the file's credibility (0.6, the fourth point).
    let p_hold = header
        .iter()
        .position(|h| h == "ceasefire.optimal.p_hold")
        .unwrap();
    let p: f64 = rows[3][p_hold].parse().unwrap();
    assert!((p - 0.0635).abs() < 5e-4, "{p}");
}

#[test]
fn monte_carlo_files_do_not_depend_on_threads() {
    let dir = scratch("mc_threads");
    let run = |threads: &str, seed: &str, name: &str| {
        let out = dir.join(name);
        patron()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "sweep",
                MODEL,
                "--scenario",
                "ceasefire",
                "--samples",
                "40",
                "--seed",
                seed,
            ])
            .args(["--out", out.to_str().unwrap(), "--summary"])
            .arg(dir.join(format!("{name}.summary.json")))
            .arg("--quiet")
            .assert()
            .success();
        (
            std::fs::read(&out).unwrap(),
            std::fs::read(dir.join(format!("{name}.summary.json"))).unwrap(),
        )
    };
    let one = run("1", "11", "one.jsonl");
    let two = run("2", "11", "two.jsonl");
    assert_eq!(
        one, two,
        "the same seed gives the same rows and summary on 1 and 2 threads"
    );
    let other = run("2", "12", "other.jsonl");
    assert_ne!(one.0, other.0, "another seed gives other draws");
    // Every parameter with a range is drawn, within its range.
    let spec = load_model(&model_path()).unwrap();
    let first: Value =
        serde_json::from_str(std::str::from_utf8(&one.0).unwrap().lines().next().unwrap()).unwrap();
    for p in spec.params().iter().filter(|p| p.range[0] < p.range[1]) {
        let v = first[&p.path]
            .as_f64()
            .unwrap_or_else(|| panic!("{} not drawn", p.path));
        assert!(p.range[0] <= v && v <= p.range[1], "{}: {v}", p.path);
    }
    assert_eq!(
        first["chain.horizon_weeks"].as_u64().map(|w| w as f64),
        first["chain.horizon_weeks"].as_f64()
    );
}

/// Hamas under x = 0 in the war scenario: aligned plays K (g − r = 0.1 beats 0 and −0.5),
/// autonomous E (0.25 beats 0.2), so the patron's value is linear in the prior π:
/// (1 − π)·U_P(K) + π·U_P(E), U_P(K) = 0.3 − (1 − 0.97²)·0.1, U_P(E) = −0.3 − 0.2.
fn hamas_unconditional_value(pi: f64) -> f64 {
    let u_k = 0.3 - (1.0 - 0.97f64.powi(2)) * 0.1;
    (1.0 - pi) * u_k + pi * (-0.5)
}

/// Type-7 sample quantile (written here independently of the library).
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, frac) = (h.floor() as usize, h - h.floor());
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + frac * (sorted[hi] - sorted[lo])
}

#[test]
fn monte_carlo_quantiles_match_the_closed_form() {
    let dir = scratch("mc_quantiles");
    let (out, summary) = (dir.join("prior.csv"), dir.join("summary.json"));
    let n = 400;
    sweep(&[
        "--scenario",
        "war",
        "--samples",
        &n.to_string(),
        "--seed",
        "5",
        "--vary",
        "dyads.iran_hamas.prior_autonomous",
        "--out",
        out.to_str().unwrap(),
        "--summary",
        summary.to_str().unwrap(),
    ])
    .success();
    let (header, rows) = read_csv(&out);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (pi_col, value_col) = (
        col("dyads.iran_hamas.prior_autonomous"),
        col("dyads.iran_hamas.unconditional.patron_value"),
    );
    let mut pis: Vec<f64> = rows.iter().map(|r| r[pi_col].parse().unwrap()).collect();
    for (r, pi) in rows.iter().zip(&pis) {
        let v: f64 = r[value_col].parse().unwrap();
        assert!((v - hamas_unconditional_value(*pi)).abs() < 1e-12);
    }
    pis.sort_by(f64::total_cmp);
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    let entry = summary["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["output"] == "dyads.iran_hamas.unconditional.patron_value")
        .unwrap();
    assert_eq!(entry["n"], n);
    // The value decreases linearly in π, so its p-quantile is the value at π's (1 − p)-quantile
    // (type 7 commutes with affine maps), exactly up to rounding.
    for (key, p) in [("q05", 0.05), ("q50", 0.5), ("q95", 0.95)] {
        let got = entry[key].as_f64().unwrap();
        let from_draws = hamas_unconditional_value(quantile(&pis, 1.0 - p));
        assert!(
            (got - from_draws).abs() < 1e-12,
            "{key}: {got} vs {from_draws}"
        );
        // And against the population: π ~ U(0.6, 0.95), so π's (1 − p)-quantile is
        // 0.6 + 0.35(1 − p), with standard error √(p(1 − p)/n)·0.35 (a uniform's density is
        // 1/0.35); four standard errors of π, carried through the slope 0.79409.
        let population = hamas_unconditional_value(0.6 + 0.35 * (1.0 - p));
        let se = (p * (1.0 - p) / n as f64).sqrt() * 0.35 * 0.79409;
        assert!(
            (got - population).abs() < 4.0 * se,
            "{key}: {got} vs {population} ± {se}"
        );
    }
    let mean = entry["mean"].as_f64().unwrap();
    let mean_pi = pis.iter().sum::<f64>() / n as f64;
    assert!((mean - hamas_unconditional_value(mean_pi)).abs() < 1e-12);
}

/// Wait until `path` has at least `lines` lines, or fail after a minute.
fn wait_for_lines(path: &Path, lines: usize) {
    let start = Instant::now();
    loop {
        let n = std::fs::read(path).map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
        if n >= lines {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{} stayed at {n} lines",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_killed_sweep_resumes_to_the_uninterrupted_file() {
    let dir = scratch("resume");
    let args = |out: &Path| -> Vec<String> {
        [
            "sweep",
            MODEL,
            "--vary",
            "dyads.iran_hamas.monitoring=0.1:0.5:30",
            "--vary",
            "chain.recovery=0.2:0.8:40",
            "--quiet",
            "--out",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([out.display().to_string()])
        .collect()
    };
    let whole = dir.join("whole.csv");
    patron().args(args(&whole)).assert().success();
    for cut in [false, true] {
        let part = dir.join(format!("part-{cut}.csv"));
        // One thread, so that the run is still far from its 1,200 points at its first flush.
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("patron"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("RAYON_NUM_THREADS", "1")
            .args(args(&part))
            .spawn()
            .unwrap();
        wait_for_lines(&part, 40);
        child.kill().unwrap();
        child.wait().unwrap();
        let mut bytes = std::fs::read(&part).unwrap();
        let lines = bytes.iter().filter(|&&c| c == b'\n').count();
        assert!(
            lines < 361,
            "the run finished before it was killed ({lines} lines)"
        );
        if cut {
            // A write cut short: the last row loses its end (and its newline).
            bytes.truncate(bytes.len() - 25);
            std::fs::write(&part, &bytes).unwrap();
        }
        patron()
            .args(args(&part))
            .arg("--resume")
            .assert()
            .success();
        assert_eq!(
            std::fs::read(&part).unwrap(),
            std::fs::read(&whole).unwrap(),
            "resumed file (cut = {cut}) differs from the uninterrupted one"
        );
    }
    // Without --resume an existing file is never touched.
    patron()
        .args(args(&whole))
        .assert()
        .failure()
        .stderr(predicates::str::contains("--resume"));
}

fn grid_args() -> Vec<&'static str> {
    vec![
        "--vary",
        "dyads.us_israel.dependence=0.4:0.8:5",
        "--vary",
        "chain.horizon_weeks=13:52:4",
    ]
}

#[test]
fn shards_merged_equal_the_whole_sweep() {
    let dir = scratch("shards");
    let whole = dir.join("whole.csv");
    let mut args = grid_args();
    let whole_s = whole.display().to_string();
    args.extend(["--out", &whole_s]);
    sweep(&args).success();
    let mut shards = Vec::new();
    for i in 1..=3 {
        let out = dir.join(format!("shard{i}.csv"));
        let (shard, out_s) = (format!("{i}/3"), out.display().to_string());
        let mut args = grid_args();
        args.extend(["--shard", &shard, "--out", &out_s]);
        sweep(&args).success();
        shards.push(out);
    }
    let merged = dir.join("merged.csv");
    patron()
        .arg("merge")
        .arg(&merged)
        .args([&shards[2], &shards[0], &shards[1]])
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&merged).unwrap(),
        std::fs::read(&whole).unwrap()
    );
    let meta = |p: &Path| -> Value {
        let mut name = p.as_os_str().to_owned();
        name.push(".meta.json");
        serde_json::from_str(&std::fs::read_to_string(PathBuf::from(name)).unwrap()).unwrap()
    };
    assert_eq!(meta(&merged)["sweep"], meta(&whole)["sweep"]);
    assert_eq!(meta(&merged)["shard"], Value::Null);
    assert_eq!(
        meta(&shards[1])["shard"],
        serde_json::json!({"index": 2, "count": 3})
    );

    // Refusals: a missing shard, a shard given twice, a shard of another sweep, a cut shard.
    let merge = |inputs: &[&Path]| {
        patron()
            .arg("merge")
            .arg(dir.join("bad.csv"))
            .args(inputs)
            .assert()
            .failure()
            .code(2)
    };
    merge(&[&shards[0], &shards[2]]).stderr(predicates::str::contains("missing shard 2/3"));
    let copy = dir.join("copy.csv");
    std::fs::copy(&shards[1], &copy).unwrap();
    std::fs::copy(
        dir.join("shard2.csv.meta.json"),
        dir.join("copy.csv.meta.json"),
    )
    .unwrap();
    merge(&[&shards[0], &shards[1], &copy, &shards[2]])
        .stderr(predicates::str::contains("shard 2/3 is given twice"));
    let other = dir.join("other.csv");
    let other_s = other.display().to_string();
    sweep(&[
        "--vary",
        "dyads.us_israel.dependence=0.4:0.8:6",
        "--vary",
        "chain.horizon_weeks=13:52:4",
        "--shard",
        "2/3",
        "--out",
        &other_s,
    ])
    .success();
    merge(&[&shards[0], &other, &shards[2]])
        .stderr(predicates::str::contains("not from the same sweep"));
    let text = std::fs::read_to_string(&shards[1]).unwrap();
    std::fs::write(&copy, &text[..text.len() - 30]).unwrap();
    merge(&[&shards[0], &copy, &shards[2]]).stderr(predicates::str::contains("--resume"));
    assert!(!dir.join("bad.csv").exists());
}

#[test]
fn ranges_and_sizes_are_checked() {
    let fails = |args: &[&str], message: &str| {
        sweep(args)
            .failure()
            .code(2)
            .stderr(predicates::str::contains(message.to_string()));
    };
    // Declared range of us_israel credibility: [0.3, 0.8].
    fails(
        &[
            "--vary",
            "dyads.us_israel.credibility=0.1:0.8:3",
            "--out",
            "-",
        ],
        "outside the declared range",
    );
    fails(
        &["--vary", "dyads.us_israel.credibility", "--out", "-"],
        "LO:HI:STEPS",
    );
    fails(
        &["--samples", "5", "--vary", "chain.recovery=0.2:0.8:3"],
        "STEPS belongs to grids",
    );
    fails(
        &[
            "--set",
            "dyads.us_israel.credibility=0.9",
            "--vary",
            "chain.recovery=0.2:0.8:3",
            "--out",
            "-",
        ],
        "outside the parameter's range",
    );
    fails(
        &[
            "--vary",
            "chain.recovery=0.2:0.8:3",
            "--vary",
            "chain.recovery=0.2:0.8:3",
            "--out",
            "-",
        ],
        "named twice",
    );
    fails(
        &[
            "--vary",
            "chain.recovery=0.2:0.8:1000",
            "--vary",
            "chain.baseline_hazard=0.005:0.05:1000",
            "--vary",
            "chain.tension_multiplier=1:4:1000",
            "--out",
            "-",
        ],
        "more than the limit",
    );
    fails(
        &["--vary", "chain.recovery=0.2:0.8:3", "--out", "x.txt"],
        ".csv or .jsonl",
    );
    // Beyond the range, with the flag, but never beyond the domain: a probability above 1.
    let ok = sweep(&[
        "--vary",
        "dyads.us_israel.credibility=0.1:0.9:3",
        "--allow-outside-range",
        "--out",
        "-",
    ])
    .success();
    let text = String::from_utf8(ok.get_output().stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 4);
    fails(
        &[
            "--vary",
            "dyads.us_israel.credibility=0.5:1.5:3",
            "--allow-outside-range",
            "--out",
            "-",
        ],
        "probability",
    );
}

#[test]
fn grid_points_that_break_a_constraint_are_rows_with_an_error() {
    // Hamas: β = 0.5; pushing ω_E to 0.6 breaks ω ≤ β at the last point only.
    let out = sweep(&[
        "--vary",
        "dyads.iran_hamas.war_risk.E=0.2:0.6:3",
        "--allow-outside-range",
        "--out",
        "-",
    ])
    .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let error = header.iter().position(|h| h == "error").unwrap();
    let p_hold = header
        .iter()
        .position(|h| h == "ceasefire.optimal.p_hold")
        .unwrap();
    assert_eq!(&rows[0][error], "");
    assert!(rows[1][p_hold].parse::<f64>().is_ok());
    assert!(rows[2][error].contains("war_risk.E"), "{}", &rows[2][error]);
    assert_eq!(&rows[2][p_hold], "");
}

#[test]
fn sensitivity_json_has_the_documented_shape() {
    let out = patron()
        .args([
            "sensitivity",
            MODEL,
            "--scenario",
            "ceasefire",
            "--samples",
            "2",
            "--format",
            "json",
            "--quiet",
        ])
        .assert()
        .success();
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["output"], "ceasefire.optimal.p_hold");
    let base = report["base"].as_f64().unwrap();
    assert!(
        (base - 0.0635).abs() < 5e-4,
        "the spec's P(hold 26 weeks): {base}"
    );
    let spec = load_model(&model_path()).unwrap();
    let ranged = spec
        .params()
        .iter()
        .filter(|p| p.range[0] < p.range[1])
        .count();
    let swings = report["swings"].as_array().unwrap();
    let sobol = report["sobol"].as_array().unwrap();
    assert_eq!((swings.len(), sobol.len()), (ranged, ranged));
    let width = |s: &Value| {
        (s["output_at_high"].as_f64().unwrap() - s["output_at_low"].as_f64().unwrap()).abs()
    };
    assert!(
        swings.windows(2).all(|w| width(&w[0]) >= width(&w[1])),
        "sorted by |swing|"
    );
    // The widest swing, recomputed as a separate full solve at its low end.
    let top = &swings[0];
    let path = top["path"].as_str().unwrap().to_string();
    let low = top["low"].as_f64().unwrap();
    assert_eq!(low, spec.lookup(&path).unwrap().1.range[0]);
    let model = spec
        .instantiate(Some("ceasefire"), &[(path.clone(), low)])
        .unwrap();
    let direct = solve_model(&model)
        .unwrap()
        .ceasefire
        .unwrap()
        .optimal
        .p_hold;
    assert!(
        (top["output_at_low"].as_f64().unwrap() - direct).abs() < 1e-12,
        "{path}"
    );
    for key in ["path", "first_order", "total"] {
        assert!(sobol[0].get(key).is_some(), "sobol entries have `{key}`");
    }
}

/// Ishigami & Homma (1990): f = sin x₁ + a sin² x₂ + b x₃⁴ sin x₁ on [−π, π]³.
fn ishigami(x: &[f64], a: f64, b: f64) -> f64 {
    x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
}

#[test]
fn sobol_indices_of_the_ishigami_function() {
    use std::f64::consts::PI;
    let (a, b) = (7.0, 0.1);
    // Closed forms (Sobol' & Levitan 1999): V₁ = ½(1 + bπ⁴/5)², V₂ = a²/8,
    // V₁₃ = b²π⁸(1/18 − 1/50); they give S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
    let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    let (s, st) = ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]);
    for (got, published) in s
        .iter()
        .chain(&st)
        .zip([0.3139, 0.4424, 0.0, 0.5576, 0.4424, 0.2437])
    {
        assert!((got - published).abs() < 1e-4);
    }
    let n: u64 = 1 << 15;
    let design = Saltelli::new(3, n, 2024, |_| true).unwrap();
    let mut x = Vec::new();
    let f: Vec<f64> = (0..design.evaluations())
        .map(|e| {
            design.point(e, &mut x);
            let scaled: Vec<f64> = x.iter().map(|u| -PI + 2.0 * PI * u).collect();
            ishigami(&scaled, a, b)
        })
        .collect();
    let (variance, got) = design.indices(&f);
    assert!((variance - v).abs() / v < 0.05, "V = {variance} vs {v}");
    // Each index is (mean of N independent terms) / V̂: its error is the numerator's standard
    // error (reported by the design) plus the index times V̂'s relative error, whose standard
    // deviation is √((μ₄ − V²)/(2N))/V. Five of each: a chance failure is below 1e-5.
    let ab: Vec<f64> = (0..n as usize)
        .flat_map(|j| [f[j * 5], f[j * 5 + 1]])
        .collect();
    let m = ab.iter().sum::<f64>() / ab.len() as f64;
    let mu4 = ab.iter().map(|y| (y - m).powi(4)).sum::<f64>() / ab.len() as f64;
    let v_rel = ((mu4 - variance * variance) / ab.len() as f64).sqrt() / variance;
    for i in 0..3 {
        let g = got[i];
        let tol_first = 5.0 * (g.first_order_se + s[i] * v_rel);
        let tol_total = 5.0 * (g.total_se + st[i] * v_rel);
        assert!(
            (g.first_order - s[i]).abs() < tol_first,
            "S{}: {} vs {}",
            i + 1,
            g.first_order,
            s[i]
        );
        assert!(
            (g.total - st[i]).abs() < tol_total,
            "ST{}: {} vs {}",
            i + 1,
            g.total,
            st[i]
        );
        // Meaningful: under half the smallest gap between distinct true indices (0.13).
        assert!(
            tol_first < 0.065 && tol_total < 0.065,
            "{tol_first} {tol_total}"
        );
    }
}
