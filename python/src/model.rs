//! `patron.Model`: a model file loaded once, solved, swept and analysed through the same
//! library functions as `patron solve|params|sweep|sensitivity`.

use crate::calls::{self, CalibrateRequest, SensitivityRequest, SweepRequest, VaryBounds};
use crate::errors::{bad_argument, to_py};
use crate::run::{detached, in_background, interruptible};
use patron::model::ModelSpec;
use patron::sweep::Cell;
use patron::Error;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A patron–client model (immutable; every call says its scenario and overrides).
#[pyclass(frozen, module = "patron._patron")]
pub struct Model {
    spec: Arc<ModelSpec>,
}

fn finite(what: &str, path: &str, v: f64) -> PyResult<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(bad_argument(format!(
            "{what} {path}: {v} is not a finite number"
        )))
    }
}

fn check_sets(sets: &[(String, f64)]) -> PyResult<()> {
    for (path, v) in sets {
        finite("set", path, *v)?;
    }
    Ok(())
}

#[pymethods]
impl Model {
    /// Read and validate a model file (TOML; models/README.md).
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Model> {
        let spec = py.detach(|| calls::load(&path)).map_err(to_py)?;
        Ok(Model {
            spec: Arc::new(spec),
        })
    }

    /// A model from TOML text; `name` stands for the file in error messages.
    #[staticmethod]
    #[pyo3(signature = (text, name="<string>"))]
    fn from_toml(text: &str, name: &str) -> PyResult<Model> {
        let spec = calls::model_from_toml(text, name).map_err(to_py)?;
        Ok(Model {
            spec: Arc::new(spec),
        })
    }

    /// The model's name.
    #[getter]
    fn name(&self) -> String {
        self.spec.name().to_string()
    }

    /// The file it was read from (or the name given to `from_toml`).
    #[getter]
    fn file(&self) -> String {
        self.spec.file().to_string()
    }

    /// The scenarios' names.
    #[getter]
    fn scenarios(&self) -> Vec<String> {
        self.spec
            .scenarios()
            .iter()
            .map(|s| s.name.clone())
            .collect()
    }

    /// The default scenario, if the file names one.
    #[getter]
    fn default_scenario(&self) -> Option<String> {
        self.spec.default_scenario().map(String::from)
    }

    /// `patron params MODEL --format json`: JSON text.
    #[pyo3(signature = (scenario=None))]
    fn params_json(&self, scenario: Option<&str>) -> PyResult<String> {
        Ok(calls::params(&self.spec, scenario)
            .map_err(to_py)?
            .to_string())
    }

    /// `patron solve MODEL --format json`: JSON text.
    #[pyo3(signature = (scenario=None, set=Vec::new(), patron_lambda=None))]
    fn solve_json(
        &self,
        py: Python<'_>,
        scenario: Option<String>,
        set: Vec<(String, f64)>,
        patron_lambda: Option<f64>,
    ) -> PyResult<String> {
        check_sets(&set)?;
        if let Some(l) = patron_lambda {
            finite("patron_lambda", "", l)?;
        }
        // One model solve takes milliseconds: on this thread, without the GIL.
        let value = detached(py, || {
            calls::solve_model(&self.spec, scenario.as_deref(), &set, patron_lambda)
        })?
        .map_err(to_py)?;
        Ok(value.to_string())
    }

    /// `patron sweep MODEL ...`: the rows as columns, `[(name, kind, data)]` in the CSV's
    /// order, where kind is "f8" (data: native f64 bytes, NaN for an empty cell), "i8"
    /// (native i64 bytes) or "O" (a list of str or None).
    #[pyo3(signature = (vary, set, samples=None, seed=0, scenario=None, with_survival=false,
                        with_patron_game=false, allow_outside_range=false, progress=false))]
    #[allow(clippy::too_many_arguments)]
    fn sweep_columns<'py>(
        &self,
        py: Python<'py>,
        vary: Vec<(String, VaryBounds)>,
        set: Vec<(String, f64)>,
        samples: Option<u64>,
        seed: u64,
        scenario: Option<String>,
        with_survival: bool,
        with_patron_game: bool,
        allow_outside_range: bool,
        progress: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        check_sets(&set)?;
        for (path, bounds) in &vary {
            if let Some((lo, hi, _)) = bounds {
                finite("vary", path, *lo)?;
                finite("vary", path, *hi)?;
            }
        }
        let request = SweepRequest {
            scenario,
            vary,
            set,
            samples,
            seed,
            with_survival,
            with_patron_game,
            allow_outside_range,
        };
        let spec = Arc::clone(&self.spec);
        let cancel = Arc::new(AtomicBool::new(false));
        let done = Arc::new(Mutex::new((0u64, 0u64)));
        let (worker_cancel, worker_done) = (Arc::clone(&cancel), Arc::clone(&done));
        let terminal_bar = progress && std::io::IsTerminal::is_terminal(&std::io::stderr());
        let outcome = interruptible(
            py,
            move || -> patron::Result<(Vec<String>, Vec<Vec<Cell>>)> {
                let plan = calls::sweep_plan(&spec, &request)?;
                let names = plan.columns();
                let mut columns: Vec<Vec<Cell>> = names
                    .iter()
                    .map(|_| Vec::with_capacity(plan.len() as usize))
                    .collect();
                let bar = if terminal_bar {
                    calls::progress_bar(plan.len(), "points")
                } else {
                    indicatif::ProgressBar::hidden()
                };
                calls::sweep_rows(&plan, &bar, |point, row| {
                    if worker_cancel.load(Ordering::Relaxed) {
                        return Err(Error::Usage("interrupted".into()));
                    }
                    for (column, cell) in columns.iter_mut().zip(row) {
                        column.push(cell);
                    }
                    if let Ok(mut d) = worker_done.lock() {
                        *d = (point + 1, plan.len());
                    }
                    Ok(())
                })?;
                bar.finish_and_clear();
                Ok((names, columns))
            },
            || cancel.store(true, Ordering::Relaxed),
            |py| {
                if progress && !terminal_bar {
                    let (point, total) = done.lock().map(|d| *d).unwrap_or((0, 0));
                    if total > 0 {
                        let stderr = py.import("sys")?.getattr("stderr")?;
                        stderr.call_method1("write", (format!("\r{point}/{total} points"),))?;
                    }
                }
                Ok(())
            },
        )?;
        if progress && !terminal_bar {
            let stderr = py.import("sys")?.getattr("stderr")?;
            stderr.call_method1("write", ("\r",))?;
        }
        let (names, columns) = outcome.map_err(to_py)?;
        let out = PyList::empty(py);
        for (name, cells) in names.into_iter().zip(columns) {
            let (kind, data) = column_to_py(py, &cells)?;
            out.append((name, kind, data))?;
        }
        Ok(out)
    }

    /// `patron sensitivity MODEL ... --format json`: JSON text.
    #[pyo3(signature = (output, samples, seed, set, scenario=None, allow_outside_range=false,
                        progress=false))]
    #[allow(clippy::too_many_arguments)]
    fn sensitivity_json(
        &self,
        py: Python<'_>,
        output: String,
        samples: u64,
        seed: u64,
        set: Vec<(String, f64)>,
        scenario: Option<String>,
        allow_outside_range: bool,
        progress: bool,
    ) -> PyResult<String> {
        check_sets(&set)?;
        let request = SensitivityRequest {
            scenario,
            output,
            samples,
            seed,
            set,
            allow_outside_range,
            quiet: !progress,
        };
        let spec = Arc::clone(&self.spec);
        let value =
            in_background(py, move || calls::sensitivity(&spec, &request))?.map_err(to_py)?;
        Ok(value.to_string())
    }

    /// `patron calibrate MODEL --data DATA ... --format json`: JSON text.
    #[pyo3(signature = (data, free, samples, seed, min_ess, particles, predictive_draws,
                        backtest))]
    #[allow(clippy::too_many_arguments)]
    fn calibrate_json(
        &self,
        py: Python<'_>,
        data: PathBuf,
        free: Vec<String>,
        samples: u64,
        seed: u64,
        min_ess: Option<f64>,
        particles: u64,
        predictive_draws: usize,
        backtest: bool,
    ) -> PyResult<String> {
        if let Some(ess) = min_ess {
            finite("min_ess", "", ess)?;
        }
        let request = CalibrateRequest {
            data,
            free,
            samples,
            seed,
            min_ess,
            particles,
            predictive_draws,
            backtest,
        };
        let spec = Arc::clone(&self.spec);
        let value = in_background(py, move || calls::calibrate(&spec, &request))?.map_err(to_py)?;
        Ok(value.to_string())
    }
}

/// One sweep column for Python: numbers as packed f64 (NaN where the CSV cell is empty) or
/// i64, anything else as a list of str/None.
fn column_to_py<'py>(
    py: Python<'py>,
    cells: &[Cell],
) -> PyResult<(&'static str, Bound<'py, PyAny>)> {
    let all = |f: fn(&Cell) -> bool| cells.iter().all(f);
    if all(|c| matches!(c, Cell::Count(_))) {
        let bytes: Vec<u8> = cells
            .iter()
            .flat_map(|c| match c {
                Cell::Count(n) => (*n as i64).to_ne_bytes(),
                _ => [0; 8],
            })
            .collect();
        return Ok(("i8", PyBytes::new(py, &bytes).into_any()));
    }
    if all(|c| matches!(c, Cell::Num(_) | Cell::Count(_) | Cell::Null))
        && !all(|c| matches!(c, Cell::Null))
    {
        let bytes: Vec<u8> = cells
            .iter()
            .flat_map(|c| {
                let v = match c {
                    Cell::Num(v) if v.is_finite() => *v,
                    Cell::Count(n) => *n as f64,
                    _ => f64::NAN,
                };
                v.to_ne_bytes()
            })
            .collect();
        return Ok(("f8", PyBytes::new(py, &bytes).into_any()));
    }
    let items: Vec<Option<String>> = cells
        .iter()
        .map(|c| match c {
            Cell::Text(t) | Cell::Json(t) => Some(t.clone()),
            Cell::Num(v) if v.is_finite() => Some(v.to_string()),
            Cell::Count(n) => Some(n.to_string()),
            _ => None,
        })
        .collect();
    Ok(("O", PyList::new(py, items)?.into_any()))
}
