//! `patron solve FILE`: dispatch on the file's kind (a Gambit game or a TOML model).

use crate::cli::output::Format;
use crate::cli::solve_concepts::{self, ConceptOptions};
use crate::cli::{solve_game, solve_model, solve_tree};
use crate::error::{Error, Result};
use crate::game::StrategicGame;
use crate::io::{read_game_file, GameFile};
use crate::solve::deadline::parse_seconds;
use crate::solve::gnm::perturbation::Perturbation;
use crate::solve::gnm::GnmOptions;
use crate::solve::method::{Method, SolveOptions};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// A Gambit game (.nfg, .efg) or a patron–client model (.toml).
    pub file: PathBuf,
    /// Solver for games: enumpure (all pure equilibria), enummixed (all extreme equilibria,
    /// 2 players, exact), enumpoly (all isolated equilibria, any number of players, exact when
    /// rational), lcp (one equilibrium by Lemke–Howson, 2 players), lp (constant-sum value and
    /// optimal strategies, 2 players), gnm (the equilibria on Govindan & Wilson's global Newton
    /// path from --perturbation, any number of players, float), ipa (one equilibrium by iterated
    /// polymatrix approximation, any number of players). Default: enummixed for 2 players, enumpoly for more
    /// when the game has at most 4096 support profiles (e.g. 4×4×4), else enumpure.
    /// Beyond Nash: logit (quantal response at --lambda), stackelberg (optimal commitment of
    /// --leader), correlated (a mediator's best recommendation, LP).
    /// Game trees (.efg): spe (every pure subgame-perfect equilibrium, perfect information),
    /// lcp and lp through the sequence form, enumpure, enummixed and enumpoly on the reduced strategic
    /// form (enumpure --agent: on the agent form). Default: spe with perfect information, else
    /// lcp for 2 players, else enumpure.
    #[arg(long, short, value_name = "METHOD", value_parser = solve_tree::parse_method_name)]
    pub method: Option<String>,
    /// With --method enumpure on a game tree: pure equilibria of the agent form instead of the
    /// reduced strategic form (gambit-enumpure -A; JSON method "enumpure-agent"). Each
    /// information set is its own agent, and a profile qualifies when no single agent gains by
    /// changing its action alone; sets the play never reaches are free. That is weaker than
    /// Nash: a player may still gain by changing two of its sets at once (the reported
    /// `regret`, in the reduced strategic form, can then be positive; `agent_regret` is 0).
    #[arg(long)]
    pub agent: bool,
    /// lcp: report the distinct equilibria reached by dropping each label, not just the first.
    #[arg(long)]
    pub all_labels: bool,
    /// logit: the precision λ of the quantal response equilibrium to report (0 = uniform play;
    /// large λ approaches a Nash equilibrium).
    #[arg(long, value_name = "L")]
    pub lambda: Option<f64>,
    /// logit: trace the principal branch from λ = 0 up to L and write it to --path as CSV.
    #[arg(long, value_name = "L", requires = "path")]
    pub to_lambda: Option<f64>,
    /// logit: where --to-lambda writes the branch (CSV: lambda, then one column per strategy).
    #[arg(long, value_name = "FILE.csv")]
    pub path: Option<PathBuf>,
    /// stackelberg: which player commits (1 or 2). A .toml game file with follower types is
    /// solved as a Bayesian Stackelberg game (format in docs/solvers-advanced.md).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub leader: u8,
    /// correlated: the objective to maximise: `welfare` (sum of payoffs) or weights `w1,w2,...`.
    #[arg(long, value_name = "welfare|W1,W2,..")]
    pub objective: Option<String>,
    /// correlated: also list the extreme points of the correlated-equilibrium polytope (small games).
    #[arg(long)]
    pub vertices: bool,
    /// gnm and ipa: the direction of the perturbation that starts the path, one weight per strategy:
    /// players separated by ';', their strategies' weights by ',' (e.g. '1,0,0;0,1'). Each
    /// player's largest weight must be unique: that strategy is the start. Default (as Gambit):
    /// 1 on each player's first strategy, 0 elsewhere. Only the direction matters.
    #[arg(long, value_name = "W,..;W,..", allow_hyphen_values = true)]
    pub perturbation: Option<String>,
    /// gnm: stop tracing once λ falls below this (negative). λ is 1 at the start, with payoffs
    /// scaled to [0, 1] and the perturbation to unit length, as in Gambit.
    #[arg(long, value_name = "L", default_value_t = -10.0, allow_hyphen_values = true)]
    pub end_lambda: f64,
    /// gnm: the first step in each support cell covers 1/N of the predicted distance to the
    /// cell's next support change or equilibrium (later steps adapt; two-player paths are
    /// piecewise linear and take one step per cell).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub steps: usize,
    /// gnm: Gambit's number of steps between Newton corrections. patron corrects after every
    /// step, so this is only checked (at least 1), for Gambit's command lines.
    #[arg(long, value_name = "K", default_value_t = 3)]
    pub local_newton_interval: usize,
    /// gnm: Newton iterations allowed to correct one step back onto the path (a step that needs
    /// more is retried at half the length).
    #[arg(long, value_name = "K", default_value_t = 10)]
    pub local_newton_maxits: usize,
    /// Games: stop the enumerating solvers (enummixed, enumpoly, gnm, lcp --all-labels, spe, and
    /// enumpure or enummixed on trees) after S seconds and print the equilibria found so far, each
    /// certified, marked incomplete (JSON: "complete": false).
    #[arg(long, value_name = "S", value_parser = parse_seconds)]
    pub max_seconds: Option<Duration>,
    /// Models: the scenario whose overrides apply (default: the file's `default_scenario`).
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// Models: set one parameter after the scenario's overrides, e.g.
    /// `--set dyads.us_israel.dependence=0.8` (repeatable; `patron params` lists the paths).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = solve_model::parse_assignment)]
    pub sets: Vec<(String, f64)>,
    /// Models: precision λ of the patron game's logit QRE (overrides `patron_game.logit_lambda`).
    #[arg(long, value_name = "LAMBDA")]
    pub patron_lambda: Option<f64>,
    /// Output format (models: table or json).
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(args: SolveArgs) -> Result<()> {
    let concepts = ConceptOptions {
        lambda: args.lambda,
        to_lambda: args.to_lambda,
        path: args.path.clone(),
        leader: usize::from(args.leader - 1),
        objective: args.objective.clone(),
        vertices: args.vertices,
    };
    let concept = args
        .method
        .as_deref()
        .filter(|m| solve_concepts::NAMES.contains(m));
    if args.file.extension().is_some_and(|e| e == "toml") {
        if concept == Some("stackelberg") {
            return solve_concepts::run_bayesian(&args.file, args.format);
        }
        if args.agent {
            return Err(agent_usage());
        }
        if args.method.is_some() || args.all_labels || args.max_seconds.is_some() {
            return Err(Error::Usage(
                "--method, --all-labels and --max-seconds apply to game files, not to models"
                    .into(),
            ));
        }
        return solve_model::run(
            &args.file,
            args.scenario.as_deref(),
            &args.sets,
            args.patron_lambda,
            args.format,
        );
    }
    if args.scenario.is_some() || !args.sets.is_empty() || args.patron_lambda.is_some() {
        return Err(Error::Usage(
            "--scenario, --set and --patron-lambda apply to model files (.toml), not to games"
                .into(),
        ));
    }
    let game_file = read_game_file(&args.file)?;
    let enumpure_on_tree =
        matches!(game_file, GameFile::Extensive(_)) && args.method.as_deref() == Some("enumpure");
    if args.agent && !enumpure_on_tree {
        return Err(agent_usage());
    }
    match game_file {
        GameFile::Strategic(game) if concept.is_some() => solve_concepts::run(&game, concept.unwrap_or_default(), &concepts, args.format),
        GameFile::Strategic(game) => {
            let method = match args.method.as_deref() {
                Some(name) => Method::parse(name).ok_or_else(|| {
                    Error::Usage(format!("--method {name} applies to game trees (.efg), not to strategic games"))
                })?,
                None => Method::default_for(&game),
            };
            if method == Method::Ipa && gnm_flags_given(&args) && args.perturbation.is_none() {
                return Err(Error::Usage("of gnm's options, ipa takes only --perturbation".into()));
            }
            if !matches!(method, Method::Gnm | Method::Ipa) && gnm_flags_given(&args) {
                return Err(Error::Usage(
                    "--perturbation, --end-lambda, --steps and --local-newton-* apply to --method gnm"
                        .into(),
                ));
            }
            let options = SolveOptions {
                all_labels: args.all_labels,
                gnm: gnm_options(&args, &game)?,
            };
            solve_game::run_strategic(&game, method, &options, args.format, args.max_seconds)
        }
        GameFile::Extensive(_) if concept.is_some() => Err(Error::Usage(format!(
            "--method {} applies to strategic games; convert the tree first: patron convert {} --to nfg",
            concept.unwrap_or_default(),
            args.file.display()
        ))),
        GameFile::Extensive(game) => {
            if args.all_labels {
                return Err(Error::Usage("--all-labels applies to strategic games (.nfg), not to game trees".into()));
            }
            solve_tree::run_tree(&game, args.method.as_deref(), args.agent, args.format, args.max_seconds)
        }
    }
}

/// Whether any of gnm's options was given a value other than its default.
fn gnm_flags_given(args: &SolveArgs) -> bool {
    let default = GnmOptions::default();
    args.perturbation.is_some()
        || args.end_lambda.to_bits() != default.end_lambda.to_bits()
        || args.steps != default.steps
        || args.local_newton_interval != default.local_newton_interval
        || args.local_newton_maxits != default.local_newton_maxits
}

/// gnm's options from the command line; the perturbation is checked against the game's shape.
fn gnm_options(args: &SolveArgs, game: &StrategicGame) -> Result<GnmOptions> {
    let options = GnmOptions {
        perturbation: args
            .perturbation
            .as_deref()
            .map(|text| Perturbation::parse(game, text))
            .transpose()?,
        end_lambda: args.end_lambda,
        steps: args.steps,
        local_newton_interval: args.local_newton_interval,
        local_newton_maxits: args.local_newton_maxits,
    };
    options.check()?;
    Ok(options)
}

fn agent_usage() -> Error {
    Error::Usage(
        "--agent applies only to --method enumpure on a game tree (.efg): \
         patron solve GAME.efg --method enumpure --agent"
            .into(),
    )
}
