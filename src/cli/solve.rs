//! `patron solve FILE`: the flags. What they mean for each kind of input, and which flags
//! apply to which method, is decided once in [`crate::cli::solve_mode`].

use crate::cli::output::Format;
use crate::cli::seconds::parse_seconds;
use crate::cli::solve_mode::{MethodName, SolveRun};
use crate::cli::solve_model;
use crate::error::Result;
use std::path::PathBuf;
use std::time::Duration;

/// `patron solve`'s flags, as parsed by clap (see [`SolveRun::new`] for what they become).
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
    /// lcp and lp through the sequence form, enumpure, enummixed, enumpoly, simpdiv, liap, gnm and
    /// ipa on the reduced strategic form, as Gambit (enumpure --agent and liap --agent: on the
    /// agent form). Default: spe with perfect information, else lcp for 2 players, else enumpure.
    #[arg(long, short, value_name = "METHOD", value_parser = MethodName::parse)]
    pub method: Option<MethodName>,
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
    /// Default: 1.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=2))]
    pub leader: Option<u8>,
    /// correlated: the objective to maximise: `welfare` (sum of payoffs) or weights `w1,w2,...`.
    #[arg(long, value_name = "welfare|W1,W2,..")]
    pub objective: Option<String>,
    /// correlated: also list the extreme points of the correlated-equilibrium polytope (small games).
    #[arg(long)]
    pub vertices: bool,
    /// gnm and ipa: the direction of the perturbation that starts the path, one weight per strategy:
    /// players separated by ';', their strategies' weights by ',' (e.g. '1,0,0;0,1'). Each
    /// player's largest weight must be unique: that strategy is the start. Default (as Gambit):
    /// 1 on each player's first strategy, 0 elsewhere. Only the direction matters. On a game tree:
    /// one weight per strategy of its reduced strategic form, in the order of
    /// `patron convert GAME.efg --to nfg`.
    #[arg(long, value_name = "W,..;W,..", allow_hyphen_values = true)]
    pub perturbation: Option<String>,
    /// gnm: stop tracing once λ falls below this (negative). λ is 1 at the start, with payoffs
    /// scaled to [0, 1] and the perturbation to unit length, as in Gambit. Default: -10.
    #[arg(long, value_name = "L", allow_hyphen_values = true)]
    pub end_lambda: Option<f64>,
    /// gnm: the first step in each support cell covers 1/N of the predicted distance to the
    /// cell's next support change or equilibrium (later steps adapt to the curvature; cells
    /// whose curve is a line, e.g. every cell of a two-player game, take one step). Default: 100.
    #[arg(long, value_name = "N")]
    pub steps: Option<usize>,
    /// gnm: Gambit's number of steps between Newton corrections. patron corrects after every
    /// step, so this is only checked (at least 1), for Gambit's command lines. Default: 3.
    #[arg(long, value_name = "K")]
    pub local_newton_interval: Option<usize>,
    /// gnm: Newton iterations allowed to correct one step back onto the path (a step that needs
    /// more is retried at half the length). Default: 10.
    #[arg(long, value_name = "K")]
    pub local_newton_maxits: Option<usize>,
    /// Games: stop the enumerating solvers (enummixed, enumpoly, gnm, lcp --all-labels, spe, and
    /// enumpure, enummixed or gnm on trees) after S seconds and print the equilibria found so far, each
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

/// `patron solve`: the arguments turned into a typed run once ([`SolveRun::new`]), then run.
pub fn run(args: SolveArgs) -> Result<()> {
    SolveRun::new(args)?.run()
}
