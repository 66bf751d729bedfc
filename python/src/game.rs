//! `patron.Game` and the solvers. A strategic game's Nash solution comes back as a
//! [`Solution`] holding the library's own result, read field by field as Python asks (so a
//! caller who wants floats never pays for `Fraction`s or JSON); trees and the other concepts
//! return the JSON text `patron solve GAME --format json` prints.

use crate::calls::{self, NashAnswer, NashOptions, Payoff, StrategicSolution};
use crate::errors::to_py;
use crate::run::{detached, in_background, interruptible};
use patron::io::GameFile;
use patron::report::{ApproximateFlags, Starts};
use patron::solve::Deadline;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyFloat, PyInt, PyList, PyString};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// A game read from a Gambit file or built from payoff tables (immutable).
#[pyclass(frozen, module = "patron._patron")]
pub struct Game {
    pub inner: Arc<GameFile>,
}

#[pymethods]
impl Game {
    /// The game's title ("" when it has none).
    #[getter]
    fn title(&self) -> String {
        match &*self.inner {
            GameFile::Strategic(g) => g.title().to_string(),
            GameFile::Extensive(t) => t.title().to_string(),
        }
    }

    /// The players' names.
    #[getter]
    fn players(&self) -> Vec<String> {
        match &*self.inner {
            GameFile::Strategic(g) => g.players().to_vec(),
            GameFile::Extensive(t) => t.players().to_vec(),
        }
    }

    /// Each player's strategy labels (of the reduced strategic form, for a tree).
    #[getter]
    fn strategies(&self) -> PyResult<Vec<Vec<String>>> {
        match &*self.inner {
            GameFile::Strategic(g) => Ok(g.strategies().to_vec()),
            tree => Ok(calls::strategic_form(tree)
                .map_err(to_py)?
                .strategies()
                .to_vec()),
        }
    }

    /// Whether the game is a tree (read from an .efg file).
    #[getter]
    fn is_tree(&self) -> bool {
        matches!(&*self.inner, GameFile::Extensive(_))
    }

    /// The game in Gambit's .nfg format (a tree: its reduced strategic form).
    fn to_nfg(&self) -> PyResult<String> {
        calls::to_nfg(&self.inner).map_err(to_py)
    }

    /// The tree in Gambit's .efg format (trees only).
    fn to_efg(&self) -> PyResult<String> {
        calls::to_efg(&self.inner).map_err(to_py)
    }
}

/// Read a Gambit game file (.nfg or .efg; the header decides, as in Gambit).
#[pyfunction]
pub fn read_game(py: Python<'_>, path: PathBuf) -> PyResult<Game> {
    let game = py.detach(|| calls::read_game(&path)).map_err(to_py)?;
    Ok(Game {
        inner: Arc::new(game),
    })
}

/// A game from the text of a Gambit .nfg or .efg file.
#[pyfunction]
pub fn parse_game(text: &str) -> PyResult<Game> {
    let game = calls::parse_game(text).map_err(to_py)?;
    Ok(Game {
        inner: Arc::new(game),
    })
}

/// One payoff from Python: an int (within 64 bits), a float, or exact text (`p/q`).
fn payoff(value: &Bound<'_, PyAny>) -> PyResult<Payoff> {
    if let Ok(v) = value.cast::<PyInt>() {
        return match v.extract::<i64>() {
            Ok(v) => Ok(Payoff::Int(v)),
            Err(_) => Ok(Payoff::Text(v.str()?.to_cow()?.into_owned())),
        };
    }
    if let Ok(v) = value.cast::<PyFloat>() {
        return Ok(Payoff::Float(v.value()));
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Payoff::Text(text.to_cow()?.into_owned()));
    }
    Err(crate::errors::bad_argument(format!(
        "payoff {} is not an int, float or exact text",
        value.repr()?
    )))
}

/// A strategic game from labels and payoff tables laid out player-1-fastest; each payoff an
/// int, a float (the decimal it prints as) or exact text (`p/q`).
#[pyfunction]
pub fn game_from_tables(
    title: &str,
    players: Vec<String>,
    strategies: Vec<Vec<String>>,
    payoffs: Vec<Bound<'_, PyList>>,
) -> PyResult<Game> {
    let payoffs = payoffs
        .iter()
        .map(|table| {
            table
                .iter()
                .map(|v| payoff(&v))
                .collect::<PyResult<Vec<_>>>()
        })
        .collect::<PyResult<Vec<_>>>()?;
    let game = calls::game_from_tables(title, players, strategies, &payoffs).map_err(to_py)?;
    Ok(Game {
        inner: Arc::new(GameFile::Strategic(game)),
    })
}

/// The Nash equilibria `patron solve GAME` finds, as the library returned them: read one
/// field of one equilibrium at a time (`profile_text`, `profile_bytes`, ...), or the whole
/// JSON document (`json`). A tree's solution holds its JSON document only (`is_document`).
#[pyclass(frozen, module = "patron._patron")]
pub struct Solution {
    game: Arc<GameFile>,
    answer: NashAnswer,
    /// [`Solution::document`], once built.
    document: OnceLock<Py<PyAny>>,
}

impl Solution {
    fn strategic(&self) -> PyResult<&StrategicSolution> {
        match &self.answer {
            NashAnswer::Strategic(s) => Ok(s),
            NashAnswer::Document(_) => Err(crate::errors::bad_argument(
                "a tree's solution is read from its JSON document".into(),
            )),
        }
    }
}

#[pymethods]
impl Solution {
    /// Whether equilibrium `i` is exact.
    fn is_exact(&self, i: usize) -> PyResult<bool> {
        self.strategic()?.is_exact(i).map_err(to_py)
    }

    /// Equilibrium `i`'s profile as the JSON's texts, per player.
    fn profile_text(&self, i: usize) -> PyResult<Vec<Vec<String>>> {
        self.strategic()?.profile_text(i).map_err(to_py)
    }

    /// Equilibrium `i`'s profile as native-endian float64 bytes, player 1's strategies first
    /// (`numpy.frombuffer` reads them without a copy per number).
    fn profile_bytes<'py>(&self, py: Python<'py>, i: usize) -> PyResult<Bound<'py, PyByteArray>> {
        let floats = self.strategic()?.profile_f64(i).map_err(to_py)?;
        PyByteArray::new_with(py, floats.len() * size_of::<f64>(), |bytes| {
            for (out, x) in bytes.chunks_exact_mut(size_of::<f64>()).zip(&floats) {
                out.copy_from_slice(&x.to_ne_bytes());
            }
            Ok(())
        })
    }

    /// Equilibrium `i`'s payoffs as the JSON's texts.
    fn payoffs_text(&self, i: usize) -> PyResult<Vec<String>> {
        self.strategic()?.payoffs_text(i).map_err(to_py)
    }

    /// Equilibrium `i`'s regret as the JSON's text.
    fn regret_text(&self, i: usize) -> PyResult<String> {
        self.strategic()?.regret_text(i).map_err(to_py)
    }

    /// `lp`: each player's value as text (None for the other solvers).
    fn values(&self) -> PyResult<Option<Vec<String>>> {
        Ok(self.strategic()?.values())
    }

    /// The document `patron solve GAME --format json` prints, as Python objects: parsed by
    /// `json.loads` on the first call, the same dict on every later one (the result and each
    /// of its equilibria read their parts of it).
    fn document<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if let Some(doc) = self.document.get() {
            return Ok(doc.bind(py).clone());
        }
        let doc = py
            .import("json")?
            .call_method1("loads", (self.json()?,))?
            .unbind();
        Ok(self.document.get_or_init(|| doc).bind(py).clone())
    }

    /// The document `patron solve GAME --format json` prints, as text.
    fn json(&self) -> PyResult<String> {
        match &self.answer {
            NashAnswer::Strategic(s) => Ok(s.json(&self.game).map_err(to_py)?.to_string()),
            NashAnswer::Document(doc) => Ok(doc.to_string()),
        }
    }
}

/// Run `patron solve GAME` with these options.
#[pyfunction]
#[pyo3(signature = (game, method=None, all_labels=false, agent=false, max_seconds=None))]
pub fn solve_nash<'py>(
    py: Python<'py>,
    game: &Game,
    method: Option<String>,
    all_labels: bool,
    agent: bool,
    max_seconds: Option<f64>,
) -> PyResult<Found<'py>> {
    let options = NashOptions {
        method,
        all_labels,
        agent,
        approximate: None,
    };
    solve(py, game, options, max_seconds)
}

/// Run `patron solve GAME --method METHOD` with the approximate solvers' flags (`simpdiv`,
/// `liap`, `gnm`, `ipa`; `None`: Gambit's default). `start` is the text of a `--start` file,
/// `perturbation` the text of `--perturbation`.
#[pyfunction]
#[pyo3(signature = (game, method, agent=false, max_seconds=None, *, start=None, refine=None,
    leash=None, max_regret=None, max_iter=None, perturbation=None, end_lambda=None, steps=None,
    local_newton_interval=None, local_newton_maxits=None))]
#[allow(clippy::too_many_arguments)] // one per command-line flag, named as the flags
pub fn solve_approximate<'py>(
    py: Python<'py>,
    game: &Game,
    method: String,
    agent: bool,
    max_seconds: Option<f64>,
    start: Option<String>,
    refine: Option<u64>,
    leash: Option<u64>,
    max_regret: Option<f64>,
    max_iter: Option<usize>,
    perturbation: Option<String>,
    end_lambda: Option<f64>,
    steps: Option<usize>,
    local_newton_interval: Option<usize>,
    local_newton_maxits: Option<usize>,
) -> PyResult<Found<'py>> {
    let flags = ApproximateFlags {
        start: start.map_or(Starts::Centroid, Starts::Text),
        refine,
        leash,
        max_regret,
        max_iter,
        perturbation,
        end_lambda,
        steps,
        local_newton_interval,
        local_newton_maxits,
    };
    let options = NashOptions {
        method: Some(method),
        all_labels: false,
        agent,
        approximate: Some(flags),
    };
    solve(py, game, options, max_seconds)
}

/// A Nash solve with `options`, within `max_seconds`, routed by [`route`].
fn solve<'py>(
    py: Python<'py>,
    game: &Game,
    options: NashOptions,
    max_seconds: Option<f64>,
) -> PyResult<Found<'py>> {
    let budget = match max_seconds {
        None => None,
        Some(s) if s.is_finite() && s > 0.0 => {
            Some(Duration::try_from_secs_f64(s).unwrap_or(Duration::MAX))
        }
        Some(s) => {
            return Err(crate::errors::bad_argument(format!(
                "max_seconds must be a positive number of seconds, got {s}"
            )))
        }
    };
    let value = match route(&game.inner, &options) {
        Route::Inline => {
            let deadline = budget.map_or_else(Deadline::none, Deadline::after);
            detached(py, || calls::solve_nash(&game.inner, &options, &deadline))?
        }
        Route::Probe => {
            // The game first runs here, stopped after PROBE if it takes longer; only then does
            // it run again, from the start, on a worker thread that answers Ctrl-C. Starting a
            // thread per call would cost more than most solves.
            let probe_end =
                Duration::from_millis(PROBE_MILLIS).min(budget.unwrap_or(Duration::MAX));
            let probe = Deadline::after(probe_end);
            let started = Instant::now();
            let value = detached(py, || calls::solve_nash(&game.inner, &options, &probe))?;
            let rest = budget.map(|b| b.saturating_sub(started.elapsed()));
            if !probe.was_reached() || rest.is_some_and(|r| r.is_zero()) {
                value
            } else {
                threaded_nash(py, game, options, rest)?
            }
        }
        Route::Worker => threaded_nash(py, game, options, budget)?,
    };
    let solution = Solution {
        game: Arc::clone(&game.inner),
        answer: value.map_err(to_py)?,
        document: OnceLock::new(),
    };
    let summary = match &solution.answer {
        NashAnswer::Strategic(s) => {
            Some((PyString::intern(py, s.method()), s.complete(), s.count()))
        }
        NashAnswer::Document(_) => None,
    };
    Ok((Bound::new(py, solution)?, summary))
}

/// What a Nash solve hands to Python: the solution and, for a strategic game, its method's
/// name, whether it is complete and how many equilibria it holds (all read here, one call
/// instead of three); `None` for a tree, whose JSON document says them.
type Found<'py> = (
    Bound<'py, Solution>,
    Option<(Bound<'py, PyString>, bool, usize)>,
);

/// Where a Nash solve runs.
enum Route {
    /// On the calling thread to its end: work bounded small before it starts.
    Inline,
    /// On the calling thread for up to [`PROBE_MILLIS`], then again on a worker.
    Probe,
    /// On a worker thread from the start.
    Worker,
}

/// `enummixed`'s work is bounded before it starts ([`calls::enummixed_bases_bound`]): inline
/// when small, else on a worker at once — a probe would throw its work away, and on a 12×12
/// game it often ran out. Other solvers that watch their deadline, and every small game, are
/// probed; the rest go to a worker.
fn route(game: &GameFile, options: &NashOptions) -> Route {
    if let Some(bases) = calls::enummixed_bases_bound(game, options) {
        return if bases <= INLINE_ENUMMIXED_BASES {
            Route::Inline
        } else {
            Route::Worker
        };
    }
    if is_small(game) || stops_on_time(game, options) {
        Route::Probe
    } else {
        Route::Worker
    }
}

/// Games solved first on the calling thread: strategic forms of at most this many pure
/// profiles (a 64×64 bimatrix), trees of at most this many nodes.
const INLINE_PROFILES: usize = 4096;
const INLINE_NODES: usize = 1000;
/// How long a probed solve may run on the calling thread before it moves to a worker.
const PROBE_MILLIS: u64 = 50;
/// Most bases `enummixed` may have to visit and still run on the calling thread, which cannot
/// answer Ctrl-C meanwhile: `C(16, 8)`, an 8×8 game (0.24 ms at its median in
/// docs/performance.md; a visit costs microseconds, so even every basis twice stays well
/// under a second).
const INLINE_ENUMMIXED_BASES: u128 = 12_870;

/// Whether the solver `options` ask for on a strategic game stops at its deadline within a
/// moment (these are probed on the calling thread whatever the game's size; `lp` and
/// `enumpure` do not look at the clock, and the default solver may be `enumpure`;
/// `enummixed` is routed by its bound before this is asked).
fn stops_on_time(game: &GameFile, options: &NashOptions) -> bool {
    const WATCH_THE_CLOCK: [&str; 6] = ["lcp", "enumpoly", "simpdiv", "liap", "gnm", "ipa"];
    matches!(game, GameFile::Strategic(_))
        && options
            .method
            .as_deref()
            .is_some_and(|m| WATCH_THE_CLOCK.contains(&m))
}

fn is_small(game: &GameFile) -> bool {
    match game {
        GameFile::Strategic(g) => g.num_profiles() <= INLINE_PROFILES,
        GameFile::Extensive(t) => t.num_nodes() <= INLINE_NODES,
    }
}

/// Solve on a worker thread within `budget`, stopping on Ctrl-C.
fn threaded_nash(
    py: Python<'_>,
    game: &Game,
    options: NashOptions,
    budget: Option<Duration>,
) -> PyResult<patron::Result<NashAnswer>> {
    let deadline = Arc::new(budget.map_or_else(Deadline::none, Deadline::after));
    let (inner, worker_deadline) = (Arc::clone(&game.inner), Arc::clone(&deadline));
    interruptible(
        py,
        move || calls::solve_nash(&inner, &options, &worker_deadline),
        || deadline.stop(),
        |_| Ok(()),
    )
}

/// Run a solution concept beyond Nash (no deadline: these solve one LP or follow one path).
fn concept<F>(py: Python<'_>, game: &Game, f: F) -> PyResult<String>
where
    F: FnOnce(&GameFile) -> patron::Result<serde_json::Value> + Send + 'static,
{
    let value = if is_small(&game.inner) {
        detached(py, || f(&game.inner))?
    } else {
        let inner = Arc::clone(&game.inner);
        in_background(py, move || f(&inner))?
    };
    Ok(value.map_err(to_py)?.to_string())
}

/// `patron solve GAME --method logit --lambda L --format json`.
#[pyfunction]
pub fn solve_logit(py: Python<'_>, game: &Game, lambda_: f64) -> PyResult<String> {
    concept(py, game, move |g| calls::logit(g, lambda_))
}

/// The principal logit branch up to `to`: a list of (λ, profile).
#[pyfunction]
#[allow(clippy::type_complexity)]
pub fn logit_branch(py: Python<'_>, game: &Game, to: f64) -> PyResult<Vec<(f64, Vec<Vec<f64>>)>> {
    let inner = Arc::clone(&game.inner);
    in_background(py, move || calls::logit_path(&inner, to))?.map_err(to_py)
}

/// `patron solve GAME --method stackelberg --leader N --format json` (`leader` from 1).
#[pyfunction]
pub fn solve_stackelberg(py: Python<'_>, game: &Game, leader: usize) -> PyResult<String> {
    if !(1..=2).contains(&leader) {
        return Err(crate::errors::bad_argument(format!(
            "leader must be 1 or 2, got {leader}"
        )));
    }
    concept(py, game, move |g| calls::stackelberg(g, leader - 1))
}

/// `patron solve GAME --method correlated [--objective O] [--vertices] --format json`.
#[pyfunction]
#[pyo3(signature = (game, objective=None, vertices=false))]
pub fn solve_correlated(
    py: Python<'_>,
    game: &Game,
    objective: Option<String>,
    vertices: bool,
) -> PyResult<String> {
    concept(py, game, move |g| {
        calls::correlated(g, objective.as_deref(), vertices)
    })
}
