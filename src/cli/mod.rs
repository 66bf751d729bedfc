//! The `patron` command line. The binary is a thin shell over the library (as ripgrep splits
//! its CLI from its crates): argument parsing and output formatting live here, nothing else.

pub(crate) mod calibrate;
pub(crate) mod convert;
pub(crate) mod export;
pub(crate) mod info;
pub(crate) mod info_tree;
pub(crate) mod merge;
pub(crate) mod model_report;
pub(crate) mod output;
pub(crate) mod params;
pub(crate) mod plot;
pub(crate) mod seconds;
pub(crate) mod sensitivity;
pub(crate) mod serve;
pub(crate) mod solve;
pub(crate) mod solve_concepts;
pub(crate) mod solve_estimate;
pub(crate) mod solve_game;
pub(crate) mod solve_logit_tree;
pub(crate) mod solve_mode;
pub(crate) mod solve_model;
pub(crate) mod solve_options;
pub(crate) mod solve_tree;
pub(crate) mod sweep;

use clap::Parser;

const AFTER_HELP: &str = "\
Examples:
  patron solve models/gaza-2024.toml --scenario ceasefire    # the essay's case
  patron solve game.nfg --method enummixed --format json     # every extreme equilibrium, exact
  patron solve 3players.nfg --method enumpoly                # every isolated equilibrium, n players
  patron solve game.efg --method lcp                         # sequence form, behaviour strategies
  patron info game.efg                                       # players, information sets, dominance
  patron convert game.efg --to nfg                           # the reduced strategic form
  patron sweep models/gaza-2024.toml --vary dyads.us_israel.credibility=0.3:0.8:11 --out c.csv
  patron plot c.csv --y ceasefire.optimal.p_hold --out c.svg
  patron serve models/gaza-2024.toml --open                  # the model in a browser

Game files are Gambit's .nfg and .efg; model files are TOML (see models/README.md).
Exit codes: 0 success, 2 bad input or request (the message names file:line), 1 internal failure.";

/// patron — a game-theory solver for patron–client games.
///
/// Solves strategic and extensive games read from Gambit's .nfg/.efg files with exact,
/// certified solvers named as in Gambit (enumpure, enummixed, enumpoly, lcp, lp), and solves the
/// patron–client model of "the patron's dilemma" from a TOML model file.
#[derive(Debug, Parser)]
#[command(name = "patron", version, about, after_help = AFTER_HELP)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Solve a game (.nfg, .efg) or a patron–client model (.toml).
    Solve(solve::SolveArgs),
    /// Describe a game: players, strategies, constant-sum or not, dominated strategies.
    Info(info::InfoArgs),
    /// Convert a game between formats (e.g. a tree to its reduced strategic form).
    Convert(convert::ConvertArgs),
    /// Solve a model over a parameter grid or Monte Carlo draws, one row per point.
    Sweep(sweep::SweepArgs),
    /// Rank a model's parameters by their effect on one output (swings, Sobol indices).
    Sensitivity(sensitivity::SensitivityArgs),
    /// Join the shard files of one sweep.
    Merge(merge::MergeArgs),
    /// List a model's parameters with value, range and source.
    Params(params::ParamsArgs),
    /// Write one dyad of a model as a game tree (Gambit .efg): the no-commitment benchmark.
    Export(export::ExportArgs),
    /// Draw a figure (SVG or PNG) from a sweep, sensitivity or solve output file.
    Plot(plot::PlotArgs),
    /// Explore a model in a web browser: sliders, live results, sweeps (local server).
    Serve(serve::ServeArgs),
    /// Hold a model against observed truces: likelihood, posterior, backtest.
    Calibrate(calibrate::CalibrateArgs),
}

/// Parse the arguments, run the command, print errors as one line; returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match run(cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

pub(crate) fn run(cli: Cli) -> crate::Result<()> {
    match cli.command {
        Command::Solve(args) => solve::run(args),
        Command::Info(args) => info::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Sensitivity(args) => sensitivity::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Params(args) => params::run(args),
        Command::Plot(args) => plot::run(args),
        Command::Export(args) => export::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Calibrate(args) => calibrate::run(args),
    }
}
