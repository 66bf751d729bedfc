//! Every call into the `patron` library, in one place (so that a change of its public API
//! touches this file only). Nothing here knows Python: plain Rust in, plain Rust or the
//! CLI's own JSON values out — the same functions `patron solve|params|sweep|sensitivity|calibrate`
//! print from, so a result in Python is the CLI's result.

use patron::game::reduced_strategic_form;
use patron::game::{Equilibrium, StrategicGame};
use patron::io::{read_game_file, write_efg, write_nfg, GameFile, NfgVersion};
use patron::model::{load_model, parse_model, ModelSpec};
use patron::num::{parse_q, Q};
use patron::report::{
    approximate_strategic_options, approximate_tree_options, branch, calibration_summary_json,
    correlated_json, logit_answer, logit_json, sensitivity_report, solution_json, solve_spec,
    stackelberg_json, sweep_plan as cli_sweep_plan, tree_json, tree_method, ApproximateFlags,
    CalibrateArgs, MethodName, SensitivityArgs, SensitivityFormat, SweepArgs,
};
use patron::solve::Deadline;
use patron::solve::{solve_strategic, Method, SolveOptions, Solved};
use patron::solve::solve_tree;
use patron::sweep::Cell;
use patron::sweep::Plan;
use patron::sweep::{Bounds, VarySpec};
use patron::{Error, Result};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub use patron::sweep::run_in_order;

/// Read a `.nfg` or `.efg` file.
pub fn read_game(path: &Path) -> Result<GameFile> {
    read_game_file(path)
}

/// A game from the text of a `.nfg` or `.efg` file.
pub fn parse_game(text: &str) -> Result<GameFile> {
    patron::io::parse_game(text, "<string>")
}

/// One payoff as Python hands it over: an integer, a float (taken as the decimal it prints
/// as: `0.1` is 1/10), or exact text (`-1/2`, `0.25`).
#[derive(Debug, Clone)]
pub enum Payoff {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Payoff {
    fn exact(&self, player: usize) -> Result<Q> {
        let refused = |what: String| Error::Usage(format!("payoff table {}: {what}", player + 1));
        match self {
            Payoff::Int(v) => Ok(Q::from(*v)),
            Payoff::Float(v) if !v.is_finite() => Err(refused(format!(
                "payoff {v} is not a finite number (NaN or infinity)"
            ))),
            // Rust prints a float as its shortest round-trip decimal, as Python's repr does.
            Payoff::Float(v) => parse_q(&format!("{v}"))
                .ok_or_else(|| refused(format!("payoff {v} is not an exact number"))),
            Payoff::Text(text) => {
                parse_q(text).ok_or_else(|| refused(format!("`{text}` is not an exact number")))
            }
        }
    }
}

/// A strategic game from labels and payoff tables laid out player-1-fastest.
pub fn game_from_tables(
    title: &str,
    players: Vec<String>,
    strategies: Vec<Vec<String>>,
    payoffs: &[Vec<Payoff>],
) -> Result<StrategicGame> {
    let tables = payoffs
        .iter()
        .enumerate()
        .map(|(p, table)| table.iter().map(|v| v.exact(p)).collect::<Result<Vec<Q>>>())
        .collect::<Result<Vec<_>>>()?;
    StrategicGame::new(title, players, strategies, tables)
}

/// The strategic form of a game: itself, or a tree's reduced strategic form.
pub fn strategic_form(game: &GameFile) -> Result<StrategicGame> {
    match game {
        GameFile::Strategic(g) => Ok(g.clone()),
        GameFile::Extensive(tree) => Ok(reduced_strategic_form(tree)?.0),
    }
}

/// `patron convert GAME --to nfg`.
pub fn to_nfg(game: &GameFile) -> Result<String> {
    Ok(write_nfg(&strategic_form(game)?, NfgVersion::Payoff))
}

/// `patron convert GAME --to efg` (trees only).
pub fn to_efg(game: &GameFile) -> Result<String> {
    match game {
        GameFile::Extensive(tree) => Ok(write_efg(tree)),
        GameFile::Strategic(_) => Err(Error::Usage(
            "to_efg writes game trees; a strategic game has none".into(),
        )),
    }
}

/// Options of `patron solve GAME` that change what the Nash solvers report.
#[derive(Debug, Clone, Default)]
pub struct NashOptions {
    pub method: Option<String>,
    pub all_labels: bool,
    pub agent: bool,
    /// The approximate solvers' options (`simpdiv`, `liap`, `gnm`, `ipa`); `None`: Gambit's
    /// defaults.
    pub approximate: Option<ApproximateFlags>,
}

/// What `patron solve GAME` found: a strategic game's solution as the library returned it (its
/// JSON is built only when asked), or a tree's JSON document.
pub enum NashAnswer {
    Strategic(StrategicSolution),
    Document(Value),
}

/// A strategic game's certified equilibria, kept in the library's own numbers so that the
/// Python layer converts only what is read.
pub struct StrategicSolution {
    method: String,
    solved: Solved,
}

impl StrategicSolution {
    /// The solver's name (`lcp`, `enummixed`, ...).
    pub fn method(&self) -> &str {
        &self.method
    }

    /// False when a deadline stopped the solver (the list is then part of the answer).
    pub fn complete(&self) -> bool {
        self.solved.complete
    }

    /// How many equilibria were found.
    pub fn count(&self) -> usize {
        self.solved.equilibria.len()
    }

    fn equilibrium(&self, i: usize) -> Result<&Equilibrium> {
        self.solved.equilibria.get(i).ok_or_else(|| {
            Error::Usage(format!(
                "equilibrium {i} of {} does not exist",
                self.count()
            ))
        })
    }

    /// Whether equilibrium `i` is in exact arithmetic.
    pub fn is_exact(&self, i: usize) -> Result<bool> {
        Ok(matches!(self.equilibrium(i)?, Equilibrium::Exact(_)))
    }

    /// Equilibrium `i`'s profile as the JSON writes it (`p/q`, or a float's shortest decimal).
    pub fn profile_text(&self, i: usize) -> Result<Vec<Vec<String>>> {
        Ok(self.equilibrium(i)?.profile_text())
    }

    /// Equilibrium `i`'s profile as floats, player 1's strategies first.
    pub fn profile_f64(&self, i: usize) -> Result<Vec<f64>> {
        Ok(self.equilibrium(i)?.profile_f64().concat())
    }

    /// Equilibrium `i`'s payoffs, as the JSON writes them.
    pub fn payoffs_text(&self, i: usize) -> Result<Vec<String>> {
        Ok(self.equilibrium(i)?.payoffs_text())
    }

    /// Equilibrium `i`'s regret, as the JSON writes it.
    pub fn regret_text(&self, i: usize) -> Result<String> {
        Ok(self.equilibrium(i)?.regret_text())
    }

    /// `lp`: each player's value.
    pub fn values(&self) -> Option<Vec<String>> {
        self.solved.values.clone()
    }

    /// The document `patron solve GAME --method M --format json` prints.
    pub fn json(&self, game: &GameFile) -> Result<Value> {
        match game {
            GameFile::Strategic(g) => solution_json(g, &self.method, &self.solved),
            GameFile::Extensive(_) => Err(Error::Usage(
                "a strategic game's solution belongs to a strategic game".into(),
            )),
        }
    }
}

/// When `solve_nash` would run `enummixed` (named, or the default for two players) on a
/// strategic game of `m × n`: the binomial `C(m + n, min(m, n))`, the number of bases of the
/// smaller best-response polytope (`min(m, n)` variables, `m + n` constraints) and so a bound
/// on the bases its vertex enumeration visits (the other polytope's, enumerated only for
/// degenerate vertices, has the same count); `u128::MAX` when that overflows.
pub fn enummixed_bases_bound(game: &GameFile, options: &NashOptions) -> Option<u128> {
    let GameFile::Strategic(g) = game else {
        return None;
    };
    let enummixed = match options.method.as_deref() {
        Some(name) => Method::parse(name) == Some(Method::EnumMixed),
        None => g.num_players() == 2,
    };
    if !enummixed || g.num_players() != 2 {
        return None;
    }
    let (m, n) = (g.num_strategies(0) as u128, g.num_strategies(1) as u128);
    // C(m + n, k) = Π_{i=1..k} (m + n − k + i) / i, exact at every step.
    let k = m.min(n);
    (1..=k)
        .try_fold(1u128, |c, i| c.checked_mul(m + n - k + i).map(|c| c / i))
        .or(Some(u128::MAX))
}

/// `patron solve GAME [--method M]`, under `deadline` (`--max-seconds`, or an interrupt).
pub fn solve_nash(
    game: &GameFile,
    options: &NashOptions,
    deadline: &Deadline,
) -> Result<NashAnswer> {
    let method = options.method.as_deref();
    match game {
        GameFile::Strategic(g) => {
            if options.agent {
                return Err(Error::Usage(
                    "agent=True applies only to enumpure and liap on a game tree".into(),
                ));
            }
            let method = match method {
                Some(name) => Method::parse(name).ok_or_else(|| {
                    Error::Usage(format!(
                        "method {name} applies to game trees, not to strategic games"
                    ))
                })?,
                None => Method::default_for(g),
            };
            // lcp's label keeps its default.
            let solve_options = SolveOptions {
                all_labels: options.all_labels,
                deadline,
                ..approximate(options, |flags| approximate_strategic_options(g, flags))?
            };
            let solved = solve_strategic(g, method, &solve_options)?;
            Ok(NashAnswer::Strategic(StrategicSolution {
                method: method.to_string(),
                solved,
            }))
        }
        GameFile::Extensive(tree) => {
            if options.all_labels {
                return Err(Error::Usage(
                    "all_labels applies to strategic games, not to game trees".into(),
                ));
            }
            if options.agent && !matches!(method, Some("enumpure" | "liap")) {
                return Err(Error::Usage(
                    "agent=True applies only to enumpure and liap on a game tree".into(),
                ));
            }
            let method = method
                .map(MethodName::parse)
                .transpose()
                .map_err(Error::Usage)?;
            let method = tree_method(tree, method, options.agent)?;
            let solve_options = SolveOptions {
                deadline,
                ..approximate(options, |flags| {
                    approximate_tree_options(tree, method, flags)
                })?
            };
            let solved = solve_tree(tree, method, &solve_options)?;
            Ok(NashAnswer::Document(tree_json(tree, method, &solved)?))
        }
    }
}

/// The approximate solvers' options as the command line builds them (`build`) from the same
/// flags; every solver's defaults when none were given.
fn approximate(
    options: &NashOptions,
    build: impl FnOnce(&ApproximateFlags) -> Result<SolveOptions<'static>>,
) -> Result<SolveOptions<'static>> {
    options
        .approximate
        .as_ref()
        .map_or_else(|| Ok(SolveOptions::default()), build)
}

/// The strategic game a solution concept beyond Nash needs (`logit`, `stackelberg`,
/// `correlated` apply to strategic games, as on the command line).
fn strategic<'a>(game: &'a GameFile, method: &str) -> Result<&'a StrategicGame> {
    match game {
        GameFile::Strategic(g) => Ok(g),
        GameFile::Extensive(_) => Err(Error::Usage(format!(
            "{method} applies to strategic games; convert the tree first: Game.to_nfg()"
        ))),
    }
}

/// `patron solve GAME --method logit --lambda L --format json`.
pub fn logit(game: &GameFile, lambda: f64) -> Result<Value> {
    let game = strategic(game, "logit")?;
    logit_json(game, &logit_answer(game, lambda, &Deadline::none())?)
}

/// The principal logit branch up to `to` (`--to-lambda`): (λ, profile) points.
pub fn logit_path(game: &GameFile, to: f64) -> Result<Vec<(f64, Vec<Vec<f64>>)>> {
    Ok(branch(strategic(game, "logit")?, to, &Deadline::none())?.0)
}

/// `patron solve GAME --method stackelberg --leader N --format json` (`leader` from 0).
pub fn stackelberg(game: &GameFile, leader: usize) -> Result<Value> {
    stackelberg_json(strategic(game, "stackelberg")?, leader)
}

/// `patron solve GAME --method correlated [--objective O] [--vertices] --format json`.
pub fn correlated(game: &GameFile, objective: Option<&str>, vertices: bool) -> Result<Value> {
    correlated_json(strategic(game, "correlated")?, objective, vertices)
}

/// Read a model file.
pub fn load(path: &Path) -> Result<ModelSpec> {
    load_model(path)
}

/// A model from TOML text; `name` stands for the file in error messages.
pub fn model_from_toml(text: &str, name: &str) -> Result<ModelSpec> {
    parse_model(text, name)
}

/// `patron params MODEL [--scenario S] --format json`.
pub fn params(spec: &ModelSpec, scenario: Option<&str>) -> Result<Value> {
    let params = spec.params_in(scenario)?;
    serde_json::to_value(params).map_err(|e| Error::Solver(format!("cannot write JSON: {e}")))
}

/// `patron solve MODEL [--scenario S] [--set P=V]... [--patron-lambda L] --format json`.
pub fn solve_model(
    spec: &ModelSpec,
    scenario: Option<&str>,
    sets: &[(String, f64)],
    patron_lambda: Option<f64>,
) -> Result<Value> {
    let solution = solve_spec(spec, scenario, sets, false, patron_lambda)?;
    serde_json::to_value(&solution).map_err(|e| Error::Solver(format!("json output: {e}")))
}

/// The bounds of one varied parameter: `None` (its declared range), `(lo, hi, None)` (a range
/// for Monte Carlo) or `(lo, hi, Some(steps))` (a grid axis).
pub type VaryBounds = Option<(f64, f64, Option<u64>)>;

/// What `patron sweep` is asked: its flags, as values.
#[derive(Debug, Clone, Default)]
pub struct SweepRequest {
    pub scenario: Option<String>,
    /// Each varied parameter's path and bounds.
    pub vary: Vec<(String, VaryBounds)>,
    pub set: Vec<(String, f64)>,
    pub samples: Option<u64>,
    pub seed: u64,
    pub with_survival: bool,
    pub with_patron_game: bool,
    pub allow_outside_range: bool,
}

/// The plan `patron sweep MODEL ...` runs for these flags (its rows are the CSV's rows).
pub fn sweep_plan(spec: &ModelSpec, request: &SweepRequest) -> Result<Plan> {
    let vary = request
        .vary
        .iter()
        .map(|(path, bounds)| VarySpec {
            path: path.clone(),
            bounds: match *bounds {
                None => Bounds::Declared,
                Some((lo, hi, None)) => Bounds::Range { lo, hi },
                Some((lo, hi, Some(steps))) => Bounds::Grid { lo, hi, steps },
            },
        })
        .collect();
    let args = SweepArgs {
        model: PathBuf::from(spec.file()),
        scenario: request.scenario.clone(),
        vary,
        set: request.set.clone(),
        out: None,
        samples: request.samples,
        seed: request.seed,
        summary: None,
        resume: false,
        overwrite: false,
        shard: None,
        with_survival: request.with_survival,
        with_patron_game: request.with_patron_game,
        allow_outside_range: request.allow_outside_range,
        quiet: true,
    };
    cli_sweep_plan(spec, &args)
}

/// Every row of `plan`, in point order, on all cores; `deliver` may stop the run by
/// returning an error.
pub fn sweep_rows(
    plan: &Plan,
    progress: &indicatif::ProgressBar,
    deliver: impl FnMut(u64, Vec<Cell>) -> Result<()>,
) -> Result<()> {
    run_in_order(
        None,
        0..plan.len(),
        || plan.worker(),
        |worker, row| plan.row(row, worker),
        deliver,
        progress,
    )
}

/// What `patron sensitivity` is asked.
#[derive(Debug, Clone)]
pub struct SensitivityRequest {
    pub scenario: Option<String>,
    pub output: String,
    pub samples: u64,
    pub seed: u64,
    pub set: Vec<(String, f64)>,
    pub allow_outside_range: bool,
    pub quiet: bool,
}

/// `patron sensitivity MODEL ... --format json`.
pub fn sensitivity(spec: &ModelSpec, request: &SensitivityRequest) -> Result<Value> {
    let args = SensitivityArgs {
        model: PathBuf::from(spec.file()),
        scenario: request.scenario.clone(),
        output: request.output.clone(),
        samples: request.samples,
        seed: request.seed,
        set: request.set.clone(),
        allow_outside_range: request.allow_outside_range,
        format: SensitivityFormat::Json,
        quiet: request.quiet,
    };
    let report = sensitivity_report(spec, &args)?;
    serde_json::to_value(&report).map_err(|e| Error::Solver(format!("cannot write JSON: {e}")))
}

/// The progress bar the CLI draws on a terminal.
pub fn progress_bar(total: u64, what: &str) -> indicatif::ProgressBar {
    patron::sweep::progress_bar(total, 0, what, false)
}

/// What `Model.calibrate` asks for: `patron calibrate MODEL --data DATA`'s options.
pub struct CalibrateRequest {
    pub data: PathBuf,
    /// Free-parameter paths or globs; empty for the command line's default set.
    pub free: Vec<String>,
    pub samples: u64,
    pub seed: u64,
    pub min_ess: Option<f64>,
    pub particles: u64,
    pub predictive_draws: usize,
    pub backtest: bool,
}

/// `patron calibrate MODEL --data DATA ... --format json`.
pub fn calibrate(spec: &ModelSpec, request: &CalibrateRequest) -> Result<Value> {
    let mut args = CalibrateArgs::new(Path::new(spec.file()), &request.data)?;
    args.free = request.free.clone();
    args.samples = request.samples;
    args.seed = request.seed;
    args.min_ess = request.min_ess;
    args.particles = request.particles;
    args.predictive_draws = request.predictive_draws;
    args.backtest = request.backtest;
    args.quiet = true;
    let text = calibration_summary_json(spec, &args)?;
    serde_json::from_str(&text).map_err(|e| Error::Solver(format!("cannot read JSON: {e}")))
}
