//! Routing and the three API handlers, as pure functions of (method, target).

use super::calibration::CalibrationBands;
use super::page;
use super::query::parse_query;
use super::response::Response;
use crate::cli::solve_model::{json_document, solve_spec};
use crate::limits::{MAX_EXPLORER_SWEEP_POINTS, MAX_REQUEST_HEAD_BYTES};
use crate::model::file::ModelSpec;
use crate::model::paths::Domain;
use crate::sweep::columns::OutputParts;
use crate::sweep::grid::{Axis, Grid};
use crate::sweep::plan::{Design, Plan};
use crate::sweep::vary::{base_model, check_distinct, Bounds, Varied};
use crate::sweep::writer::{Encoder, FileFormat};
use crate::{Error, Result};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};

/// One model file, ready to answer requests (shared by all worker threads, read-only).
#[derive(Debug)]
pub struct Explorer {
    spec: ModelSpec,
    /// `/api/model`'s answer, made once.
    model_document: String,
}

impl Explorer {
    /// Check that the model's default scenario solves, and prepare `/api/model` (with the
    /// calibrated bands, if given).
    pub fn new(spec: ModelSpec, calibration: Option<CalibrationBands>) -> Result<Explorer> {
        solve_spec(&spec, None, &[], false, None)?;
        let model_document = serde_json::to_string(&ModelDocument::of(&spec, calibration.as_ref()))
            .map_err(|e| Error::Solver(format!("json output: {e}")))?;
        Ok(Explorer {
            spec,
            model_document,
        })
    }

    /// The answer to `method target` (target: path and query, as in the request line).
    /// Never panics on any input; every refusal is a 4xx JSON body.
    pub fn handle(&self, method: &str, target: &str) -> Response {
        if target.len() > MAX_REQUEST_HEAD_BYTES {
            return Response::error(
                414,
                &format!(
                    "a request target of {} bytes is more than the limit of {MAX_REQUEST_HEAD_BYTES}",
                    target.len()
                ),
            );
        }
        if method != "GET" && method != "HEAD" {
            return Response::error(
                405,
                &format!("method {method} is not allowed: the explorer answers GET only"),
            );
        }
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let answer = match path {
            "/" | "/index.html" => return Response::asset(page::HTML, page::INDEX),
            "/app.js" => return Response::asset(page::JS, page::APP),
            "/style.css" => return Response::asset(page::CSS, page::STYLE),
            "/api/model" => Ok(self.model_document.clone()),
            "/api/solve" => self.solve(query),
            "/api/sweep" => self.sweep(query),
            _ => {
                return Response::error(
                    404,
                    &format!(
                        "no page `{path}`: the explorer serves /, /api/model, /api/solve and /api/sweep"
                    ),
                )
            }
        };
        match answer {
            Ok(text) => Response::json(text),
            Err(e) => Response::from_error(&e),
        }
    }

    /// `/api/solve`: `patron solve MODEL --format json`'s standard output, byte for byte.
    fn solve(&self, query: &str) -> Result<String> {
        let q = parse_query(query, &["scenario", "set"])?;
        let solution = solve_spec(&self.spec, q.scenario.as_deref(), &q.sets, false, None)?;
        Ok(json_document(&solution)? + "\n")
    }

    /// `/api/sweep`: a grid over the `vary` parameters (within their declared ranges), from
    /// a scenario with `set` values fixed, as columns.
    fn sweep(&self, query: &str) -> Result<String> {
        let q = parse_query(query, &["scenario", "set", "vary"])?;
        if q.vary.is_empty() {
            return Err(Error::Usage(
                "nothing to sweep: give vary=PATH=LO:HI:STEPS".into(),
            ));
        }
        check_distinct(
            q.vary
                .iter()
                .map(|v| v.path.as_str())
                .chain(q.sets.iter().map(|(p, _)| p.as_str())),
        )?;
        let base = base_model(&self.spec, q.scenario.as_deref(), &q.sets, false)?;
        let axes = q
            .vary
            .iter()
            .map(|v| match v.bounds {
                Bounds::Grid { lo, hi, steps } => Axis::new(
                    Varied::resolve(&self.spec, &v.path, Some((lo, hi)), false)?,
                    steps,
                ),
                _ => Err(Error::Usage(format!(
                    "vary={}: a grid needs PATH=LO:HI:STEPS",
                    v.path
                ))),
            })
            .collect::<Result<_>>()?;
        let grid = Grid::new(axes)?;
        if grid.len() > MAX_EXPLORER_SWEEP_POINTS {
            return Err(Error::limit(
                "MAX_EXPLORER_SWEEP_POINTS",
                format!(
                    "a sweep of {} points is more than the explorer's limit of \
                 {MAX_EXPLORER_SWEEP_POINTS}; use `patron sweep` for larger ones",
                    grid.len()
                ),
            ));
        }
        let scenario = base.scenario.clone();
        let plan = Plan::new(base, Design::Grid(grid), OutputParts::default())?;
        columns(&plan, &scenario)
    }
}

/// Solve every point of `plan` (on rayon's threads) and write `{"scenario", "points",
/// "columns": {name: [one value per point]}}`, each value as `patron sweep`'s JSON Lines row has it.
fn columns(plan: &Plan, scenario: &str) -> Result<String> {
    let names = plan.columns();
    let encoder = Encoder::new(FileFormat::JsonLines, &names);
    let rows: Vec<Vec<u8>> = (0..plan.len())
        .into_par_iter()
        .map_init(
            || plan.worker(),
            |worker, i| {
                let mut line = Vec::new();
                encoder.row(&plan.row(i, worker), &mut line).map(|()| line)
            },
        )
        .collect::<Result<_>>()?;
    let mut columns: Vec<Vec<Value>> = vec![Vec::with_capacity(rows.len()); names.len()];
    for line in &rows {
        let Value::Object(row) = serde_json::from_slice(line)
            .map_err(|e| Error::Solver(format!("a sweep row is not JSON: {e}")))?
        else {
            return Err(Error::Solver("a sweep row is not a JSON object".into()));
        };
        for (column, (_, value)) in columns.iter_mut().zip(row) {
            column.push(value);
        }
    }
    let columns: Map<String, Value> = names
        .into_iter()
        .zip(columns.into_iter().map(Value::Array))
        .collect();
    let document = serde_json::json!({
        "scenario": scenario,
        "points": plan.len(),
        "columns": columns,
    });
    Ok(document.to_string())
}

/// `/api/model`'s answer (schema in `docs/output.md`).
#[derive(Serialize)]
struct ModelDocument<'a> {
    /// The model file as named on the command line (for "copy as command").
    file: &'a str,
    name: &'a str,
    description: &'a str,
    default_scenario: Option<&'a str>,
    dyads: Vec<DyadEntry<'a>>,
    scenarios: Vec<ScenarioEntry<'a>>,
    params: Vec<ParamEntry<'a>>,
    max_sweep_points: u64,
    /// The posterior predictive bands of `--calibration`, or null.
    calibration: Option<&'a CalibrationBands>,
}

#[derive(Serialize)]
struct DyadEntry<'a> {
    name: &'a str,
    patron: &'a str,
    client: &'a str,
}

#[derive(Serialize)]
struct ScenarioEntry<'a> {
    name: &'a str,
    description: &'a str,
    source: Option<&'a str>,
    /// Path → value, in the file's order.
    overrides: Map<String, Value>,
}

#[derive(Serialize)]
struct ParamEntry<'a> {
    path: &'a str,
    /// The dyad's name for `dyads.<dyad>.…`, else `chain` or `patron_game`.
    group: &'a str,
    /// The base value (before any scenario).
    value: f64,
    range: [f64; 2],
    /// Only whole numbers (`chain.horizon_weeks`).
    whole: bool,
    source: &'a str,
    line: usize,
}

impl<'a> ModelDocument<'a> {
    fn of(spec: &'a ModelSpec, calibration: Option<&'a CalibrationBands>) -> Self {
        let base = spec.base();
        ModelDocument {
            file: spec.file(),
            name: spec.name(),
            description: spec.description(),
            default_scenario: spec.default_scenario(),
            dyads: base
                .dyads
                .iter()
                .map(|d| DyadEntry {
                    name: &d.name,
                    patron: &d.patron,
                    client: &d.client,
                })
                .collect(),
            scenarios: spec
                .scenarios()
                .iter()
                .map(|s| ScenarioEntry {
                    name: &s.name,
                    description: &s.description,
                    source: s.source.as_deref(),
                    overrides: s
                        .overrides
                        .iter()
                        .map(|o| (o.path.clone(), Value::from(o.value)))
                        .collect(),
                })
                .collect(),
            params: spec
                .params()
                .iter()
                .map(|p| ParamEntry {
                    path: &p.path,
                    group: group_of(&p.path),
                    value: p.value,
                    range: p.range,
                    whole: spec
                        .lookup(&p.path)
                        .is_ok_and(|(handle, _)| handle.domain() == Domain::Weeks),
                    source: &p.source,
                    line: p.line,
                })
                .collect(),
            max_sweep_points: MAX_EXPLORER_SWEEP_POINTS,
            calibration,
        }
    }
}

/// `dyads.iran_hamas.monitoring` → `iran_hamas`; `chain.recovery` → `chain`.
fn group_of(path: &str) -> &str {
    match path.strip_prefix("dyads.") {
        Some(rest) => rest.split('.').next().unwrap_or(rest),
        None => path.split('.').next().unwrap_or(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::file::load_model;
    use std::path::Path;

    fn explorer() -> Explorer {
        let spec = load_model(Path::new("models/gaza-2024.toml")).expect("the bundled model");
        Explorer::new(spec, None).expect("it solves")
    }

    fn body(r: &Response) -> Value {
        serde_json::from_slice(&r.body).expect("a JSON body")
    }

    #[test]
    fn model_document_lists_every_parameter_with_its_file_entry() {
        let e = explorer();
        let r = e.handle("GET", "/api/model");
        assert_eq!(r.status, 200);
        let doc = body(&r);
        let spec = load_model(Path::new("models/gaza-2024.toml")).unwrap();
        let params = doc["params"].as_array().unwrap();
        assert_eq!(params.len(), spec.params().len());
        let credibility = params
            .iter()
            .find(|p| p["path"] == "dyads.us_israel.credibility")
            .unwrap();
        assert_eq!(credibility["group"], "us_israel");
        assert_eq!(credibility["value"], 0.6);
        assert_eq!(credibility["range"], serde_json::json!([0.3, 0.8]));
        assert!(credibility["source"]
            .as_str()
            .unwrap()
            .starts_with("quote: "));
        let horizon = params
            .iter()
            .find(|p| p["path"] == "chain.horizon_weeks")
            .unwrap();
        assert_eq!(
            (horizon["group"].as_str(), horizon["whole"].as_bool()),
            (Some("chain"), Some(true))
        );
        assert_eq!(doc["default_scenario"], "war");
        let ceasefire = &doc["scenarios"][1];
        assert_eq!(ceasefire["name"], "ceasefire");
        assert_eq!(
            ceasefire["overrides"]["dyads.us_israel.patron_value.K"],
            -0.3
        );
    }

    #[test]
    fn solve_refuses_what_set_refuses_with_its_message() {
        let e = explorer();
        let spec = load_model(Path::new("models/gaza-2024.toml")).unwrap();
        for (query, set) in [
            (
                "set=dyads.us_israel.credibility=0.95",
                ("dyads.us_israel.credibility", 0.95),
            ),
            (
                "set=dyads.us_israel.credibilty=0.5",
                ("dyads.us_israel.credibilty", 0.5),
            ),
            (
                "set=dyads.nobody.credibility=0.5",
                ("dyads.nobody.credibility", 0.5),
            ),
        ] {
            let r = e.handle("GET", &format!("/api/solve?{query}"));
            assert_eq!(r.status, 400, "{query}");
            let expected = spec
                .instantiate(None, &[(set.0.to_string(), set.1)])
                .unwrap_err()
                .to_string();
            assert_eq!(body(&r)["error"], expected.as_str(), "{query}");
        }
        let r = e.handle("GET", "/api/solve?scenario=peace");
        assert_eq!(r.status, 400);
        assert!(body(&r)["error"]
            .as_str()
            .unwrap()
            .contains("unknown scenario `peace`"));
    }

    #[test]
    fn routes_methods_and_lengths() {
        let e = explorer();
        let page = e.handle("GET", "/");
        assert_eq!((page.status, page.content_type), (200, page::HTML));
        assert!(String::from_utf8_lossy(&page.body).contains("/app.js"));
        assert_eq!(e.handle("GET", "/app.js").content_type, page::JS);
        assert_eq!(e.handle("GET", "/../models/gaza-2024.toml").status, 404);
        assert_eq!(e.handle("GET", "/etc/passwd").status, 404);
        assert_eq!(e.handle("POST", "/api/solve").status, 405);
        let long = format!("/api/solve?{}", "x".repeat(MAX_REQUEST_HEAD_BYTES));
        assert_eq!(e.handle("GET", &long).status, 414);
    }

    #[test]
    fn sweep_columns_match_single_solves_and_size_is_bounded() {
        let e = explorer();
        let r = e.handle(
            "GET",
            "/api/sweep?scenario=ceasefire&vary=dyads.us_israel.credibility=0.3:0.8:3&set=chain.recovery=0.4",
        );
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let doc = body(&r);
        assert_eq!(doc["points"], 3);
        let columns = &doc["columns"];
        assert_eq!(columns["point"], serde_json::json!([0, 1, 2]));
        assert_eq!(
            columns["dyads.us_israel.credibility"],
            serde_json::json!([0.3, 0.55, 0.8])
        );
        // Each point against a full solve of the same values (the sweep's LP backend differs).
        let spec = load_model(Path::new("models/gaza-2024.toml")).unwrap();
        for (i, credibility) in [0.3, 0.55, 0.8].into_iter().enumerate() {
            let sets = [
                ("chain.recovery".to_string(), 0.4),
                ("dyads.us_israel.credibility".to_string(), credibility),
            ];
            let solved = solve_spec(&spec, Some("ceasefire"), &sets, false, None).unwrap();
            let c = solved.ceasefire.unwrap();
            let swept = columns["ceasefire.optimal.p_hold"][i].as_f64().unwrap();
            assert!(
                (swept - c.optimal.p_hold).abs() < 1e-9,
                "{swept} vs {}",
                c.optimal.p_hold
            );
        }
        let big = e.handle(
            "GET",
            "/api/sweep?vary=dyads.us_israel.credibility=0.3:0.8:50&vary=chain.recovery=0.2:0.8:50",
        );
        assert_eq!(big.status, 413);
        assert!(body(&big)["error"]
            .as_str()
            .unwrap()
            .contains("2500 points"));
        let outside = e.handle(
            "GET",
            "/api/sweep?vary=dyads.us_israel.credibility=0.1:0.8:3",
        );
        assert_eq!(outside.status, 400);
        assert!(body(&outside)["error"]
            .as_str()
            .unwrap()
            .contains("outside the declared range"));
        assert_eq!(e.handle("GET", "/api/sweep").status, 400);
        let twice = e.handle(
            "GET",
            "/api/sweep?vary=chain.recovery=0.2:0.8:3&set=chain.recovery=0.5",
        );
        assert_eq!(twice.status, 400);
    }
}
