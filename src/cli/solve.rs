//! `patron solve FILE`: dispatch on the file's kind (a Gambit game or a TOML model).

use crate::cli::output::Format;
use crate::cli::seconds::parse_seconds;
use crate::cli::solve_concepts::{self, ConceptOptions};
use crate::cli::{solve_game, solve_logit_tree, solve_model, solve_tree};
use crate::error::{Error, Result};
use crate::game::reduced::count_reduced_strategies;
use crate::game::StrategicGame;
use crate::io::start_profiles::{read_start_profiles, split_groups};
use crate::io::{read_game_file, GameFile};
use crate::solve::approximate::ApproximateOptions;
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
    /// optimal strategies, 2 players), simpdiv (one approximate equilibrium per start by
    /// simplicial subdivision, exact path, any number of players), liap (one per start by
    /// Lyapunov-function minimisation; may find none), gnm (the equilibria on Govindan & Wilson's
    /// global Newton path from --perturbation, any number of players, float), ipa (one equilibrium
    /// by iterated polymatrix approximation, any number of players). Default: enummixed for 2 players, enumpoly for more
    /// when the game has at most 4096 support profiles (e.g. 4×4×4), else enumpure.
    /// Beyond Nash: logit (quantal response at --lambda; on game trees the agent QRE in
    /// behaviour strategies), stackelberg (optimal commitment of
    /// --leader), correlated (a mediator's best recommendation, LP).
    /// Game trees (.efg): spe (every pure subgame-perfect equilibrium, perfect information),
    /// lcp and lp through the sequence form, enumpure, enummixed, enumpoly, simpdiv and liap on the
    /// reduced strategic form (enumpure --agent and liap --agent: on the agent form). Default: spe with perfect information, else
    /// lcp for 2 players, else enumpure.
    #[arg(long, short, value_name = "METHOD", value_parser = solve_tree::parse_method_name)]
    pub method: Option<String>,
    /// With --method enumpure on a game tree: pure equilibria of the agent form instead of the
    /// reduced strategic form (gambit-enumpure -A; JSON method "enumpure-agent"). Each
    /// information set is its own agent, and a profile qualifies when no single agent gains by
    /// changing its action alone; sets the play never reaches are free. That is weaker than
    /// Nash: a player may still gain by changing two of its sets at once (the reported
    /// `regret`, in the reduced strategic form, can then be positive; `agent_regret` is 0).
    /// With --method liap on a game tree: minimise the agent form's Lyapunov function over
    /// behaviour strategies (gambit-liap without -S; JSON method "liap-agent"); its answers
    /// are printed only when they certify as Nash equilibria within --max-regret.
    #[arg(long)]
    pub agent: bool,
    /// lcp: report the distinct equilibria reached by dropping each label, not just the first.
    #[arg(long, conflicts_with = "label")]
    pub all_labels: bool,
    /// simpdiv, liap: start from each profile in FILE instead of the centroid: one profile per
    /// line, its probabilities separated by commas, player by player in the game's strategy
    /// order (on a tree: of the reduced strategic form; with liap --agent: information set by
    /// information set, action by action), e.g. `1/2,1/2,1,0,0`. Gambit's `-s` format.
    #[arg(long, value_name = "FILE")]
    pub start: Option<PathBuf>,
    /// simpdiv: each restart's grid is N times finer than the last (Gambit's refine; default 2).
    #[arg(long, value_name = "N")]
    pub refine: Option<u64>,
    /// simpdiv: stop each run of the path once it is more than STEPS grid steps from where it
    /// started, and restart from its best point on the finer grid (default: no leash).
    #[arg(long, value_name = "STEPS")]
    pub leash: Option<u64>,
    /// simpdiv, liap: stop once a profile's regret (the largest gain from deviating) is at most
    /// R times the game's payoff range (max − min payoff); the answer is then polished and
    /// certified, and its regret reported. Defaults as Gambit's: 1e-7 (simpdiv), 1e-4 (liap).
    #[arg(long, value_name = "R")]
    pub max_regret: Option<f64>,
    /// liap: most conjugate-gradient iterations from each start (default 1000, as pygambit).
    #[arg(long, value_name = "N")]
    pub max_iter: Option<usize>,
    /// lcp: follow the Lemke–Howson path that drops label K only (0..m−1: player 1's
    /// strategies, m..m+n−1: player 2's; QuantEcon's init_pivot). Without it, lcp races
    /// several labels and reports the first path to end, so one long path does not decide the
    /// time; label 0 alone gives Gambit's first equilibrium.
    #[arg(long, value_name = "K")]
    pub label: Option<usize>,
    /// logit: the precision λ of the quantal response equilibrium to report (0 = uniform play;
    /// large λ approaches a Nash equilibrium).
    #[arg(long, value_name = "L")]
    pub lambda: Option<f64>,
    /// logit: trace the principal branch from λ = 0 up to L and write it to --path as CSV.
    #[arg(long, value_name = "L", requires = "path")]
    pub to_lambda: Option<f64>,
    /// logit: where --to-lambda writes the branch (CSV: lambda, then one column per strategy,
    /// or per action on game trees).
    #[arg(long, value_name = "FILE.csv")]
    pub path: Option<PathBuf>,
    /// logit: fit λ by maximum likelihood to observed play in DATA.json (counts of each
    /// strategy, or of each action at each information set on game trees; format in
    /// docs/output.md) along the principal branch, as pygambit's logit_estimate.
    #[arg(long, value_name = "DATA.json", conflicts_with_all = ["lambda", "to_lambda"])]
    pub estimate: Option<PathBuf>,
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
    /// certified, marked incomplete (JSON: "complete": false). logit: stop tracing the branch and
    /// print its last point (a QRE at a smaller lambda), or the best fit so far with --estimate.
    /// One-equilibrium lcp on a strategic game always runs under a budget (default 600 s) and,
    /// when it runs out, lists how many pivots each dropped label's path took.
    #[arg(long, value_name = "S", value_parser = parse_seconds)]
    pub max_seconds: Option<Duration>,
    /// Models: the scenario whose overrides apply (default: the file's `default_scenario`).
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// Models: set one parameter after the scenario's overrides, e.g.
    /// `--set dyads.us_israel.dependence=0.8` (repeatable; `patron params` lists the paths).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = solve_model::parse_assignment)]
    pub sets: Vec<(String, f64)>,
    /// Models: let --set go beyond the parameters' declared ranges (not their domains), as
    /// `patron sweep --allow-outside-range` does.
    #[arg(long)]
    pub allow_outside_range: bool,
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
        estimate: args.estimate.clone(),
        max_seconds: args.max_seconds,
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
        let approximate = args.start.is_some()
            || args.refine.is_some()
            || args.leash.is_some()
            || args.max_regret.is_some()
            || args.max_iter.is_some();
        if args.method.is_some()
            || args.all_labels
            || args.label.is_some()
            || args.max_seconds.is_some()
            || approximate
            || gnm_flags_given(&args)
        {
            return Err(Error::Usage(
                "--method, --all-labels, --label, --max-seconds and the simpdiv/liap/gnm options apply to game files, not to models"
                    .into(),
            ));
        }
        return solve_model::run(
            &args.file,
            args.scenario.as_deref(),
            &args.sets,
            args.allow_outside_range,
            args.patron_lambda,
            args.format,
        );
    }
    if args.scenario.is_some()
        || !args.sets.is_empty()
        || args.allow_outside_range
        || args.patron_lambda.is_some()
    {
        return Err(Error::Usage(
            "--scenario, --set, --allow-outside-range and --patron-lambda apply to model files (.toml), not to games"
                .into(),
        ));
    }
    let game_file = read_game_file(&args.file)?;
    let agent_method_on_tree = matches!(game_file, GameFile::Extensive(_))
        && matches!(args.method.as_deref(), Some("enumpure" | "liap"));
    if args.agent && !agent_method_on_tree {
        return Err(agent_usage());
    }
    let approximate = approximate_args(&args, &game_file)?;
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
                label: args.label,
                approximate,
                gnm: gnm_options(&args, &game)?,
            };
            if options.label.is_some() && method != Method::Lcp {
                return Err(Error::Usage("--label applies to --method lcp".into()));
            }
            solve_game::run_strategic(&game, method, &options, args.format, args.max_seconds)
        }
        GameFile::Extensive(game) if concept == Some("logit") => {
            solve_logit_tree::run(&game, &concepts, args.format)
        }
        GameFile::Extensive(_) if concept.is_some() => Err(Error::Usage(format!(
            "--method {} applies to strategic games; convert the tree first: patron convert {} --to nfg",
            concept.unwrap_or_default(),
            args.file.display()
        ))),
        GameFile::Extensive(game) => {
            if args.all_labels || args.label.is_some() {
                return Err(Error::Usage("--all-labels and --label apply to strategic games (.nfg), not to game trees".into()));
            }
            solve_tree::run_tree(&game, args.method.as_deref(), args.agent, &approximate, args.format, args.max_seconds)
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
        "--agent applies only to --method enumpure or liap on a game tree (.efg): \
         patron solve GAME.efg --method enumpure --agent"
            .into(),
    )
}

/// The approximate solvers' options, checked against the method, with `--start`'s profiles
/// read and cut to the game's shape.
fn approximate_args(args: &SolveArgs, game_file: &GameFile) -> Result<ApproximateOptions> {
    let method = args.method.as_deref().unwrap_or_default();
    let given = |set: bool, name: &str, methods: &[&str]| {
        if set && !methods.contains(&method) {
            return Err(Error::Usage(format!(
                "{name} applies to --method {}",
                methods.join(" or ")
            )));
        }
        Ok(())
    };
    given(args.start.is_some(), "--start", &["simpdiv", "liap"])?;
    given(
        args.max_regret.is_some(),
        "--max-regret",
        &["simpdiv", "liap"],
    )?;
    given(args.refine.is_some(), "--refine", &["simpdiv"])?;
    given(args.leash.is_some(), "--leash", &["simpdiv"])?;
    given(args.max_iter.is_some(), "--max-iter", &["liap"])?;
    let starts = match &args.start {
        None => Vec::new(),
        Some(path) => {
            let file = path.display().to_string();
            let sizes: Vec<usize> = match game_file {
                GameFile::Strategic(g) => g.strategy_counts(),
                GameFile::Extensive(t) if args.agent => (0..t.num_players())
                    .flat_map(|p| t.infosets(p).iter().map(|i| i.actions.len()))
                    .collect(),
                GameFile::Extensive(t) => count_reduced_strategies(t)?
                    .into_iter()
                    .map(|c| usize::try_from(c).unwrap_or(usize::MAX))
                    .collect(),
            };
            read_start_profiles(path)?
                .iter()
                .map(|s| split_groups(&file, s, &sizes))
                .collect::<Result<_>>()?
        }
    };
    Ok(ApproximateOptions {
        starts,
        refine: args.refine,
        leash: args.leash,
        max_regret: args.max_regret,
        max_iter: args.max_iter,
    })
}
