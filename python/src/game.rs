//! `patron.Game` and the solvers: each returns the JSON text `patron solve GAME --format json`
//! prints, which the Python layer turns into result objects.

use crate::calls::{self, NashOptions};
use crate::errors::to_py;
use crate::run::{detached, interruptible};
use patron::io::GameFile;
use patron::solve::deadline::Deadline;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;
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

/// A strategic game from labels and exact payoff texts laid out player-1-fastest.
#[pyfunction]
pub fn game_from_tables(
    title: &str,
    players: Vec<String>,
    strategies: Vec<Vec<String>>,
    payoffs: Vec<Vec<String>>,
) -> PyResult<Game> {
    let game = calls::game_from_tables(title, players, strategies, &payoffs).map_err(to_py)?;
    Ok(Game {
        inner: Arc::new(GameFile::Strategic(game)),
    })
}

/// Run `patron solve GAME --format json` with these options; returns its JSON text.
#[pyfunction]
#[pyo3(signature = (game, method=None, all_labels=false, agent=false, max_seconds=None))]
pub fn solve_nash(
    py: Python<'_>,
    game: &Game,
    method: Option<String>,
    all_labels: bool,
    agent: bool,
    max_seconds: Option<f64>,
) -> PyResult<String> {
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
    let options = NashOptions {
        method,
        all_labels,
        agent,
    };
    let value = if is_small(&game.inner) {
        // A small game first runs here, stopped after PROBE if it is an enumeration that
        // takes longer; only then does it run again on a worker thread that answers Ctrl-C.
        let probe_end = Duration::from_millis(PROBE_MILLIS).min(budget.unwrap_or(Duration::MAX));
        let probe = Deadline::after(probe_end);
        let started = Instant::now();
        let value = detached(py, || calls::solve_nash(&game.inner, &options, &probe))?;
        let rest = budget.map(|b| b.saturating_sub(started.elapsed()));
        if !probe.was_reached() || rest.is_some_and(|r| r.is_zero()) {
            value
        } else {
            threaded_nash(py, game, options, rest)?
        }
    } else {
        threaded_nash(py, game, options, budget)?
    };
    Ok(value.map_err(to_py)?.to_string())
}

/// Games solved first on the calling thread: strategic forms of at most this many pure
/// profiles (a 64×64 bimatrix), trees of at most this many nodes.
const INLINE_PROFILES: usize = 4096;
const INLINE_NODES: usize = 1000;
/// How long an enumeration may run on the calling thread before it moves to a worker.
const PROBE_MILLIS: u64 = 50;

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
) -> PyResult<patron::Result<serde_json::Value>> {
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
        interruptible(py, move || f(&inner), || {}, |_| Ok(()))?
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
    interruptible(py, move || calls::logit_path(&inner, to), || {}, |_| Ok(()))?.map_err(to_py)
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
