//! The approximate solvers' options (`simpdiv`, `liap`, `gnm`, `ipa`) as `patron solve` builds
//! them from its flags, in one function that every front end calls: the command line from
//! [`SolveArgs`], the Python package (`patron.nash.gnm_solve(..., steps=50)`) from keyword
//! arguments. One definition means one set of defaults (Gambit's) and one set of checks, so a
//! Python call with the same options is the same run as the command line's.

use crate::cli::solve::SolveArgs;
use crate::error::Result;
use crate::game::reduced::{count_reduced_strategies, reduced_strategic_form};
use crate::game::tree::ExtensiveGame;
use crate::game::StrategicGame;
use crate::io::start_profiles::{parse_start_profiles, read_start_profiles, split_groups};
use crate::num::Q;
use crate::solve::approximate::ApproximateOptions;
use crate::solve::gnm::perturbation::Perturbation;
use crate::solve::gnm::GnmOptions;
use crate::solve::method::SolveOptions;
use crate::solve::tree_method::TreeMethod;
use std::path::PathBuf;

/// Where the start profiles of `simpdiv` and `liap` come from.
#[derive(Debug, Clone, Default)]
pub enum Starts {
    /// The centroid (each player's strategies equally likely), as Gambit.
    #[default]
    Centroid,
    /// A file in Gambit's `-s` format (`--start FILE`): one profile per line.
    File(PathBuf),
    /// The same format as text; errors name the line of this text.
    Text(String),
}

/// The approximate solvers' flags of `patron solve` (`None`: Gambit's default), whatever front
/// end gave them. What each means is in `patron solve --help`, under the flags' names.
#[derive(Debug, Clone, Default)]
pub struct ApproximateFlags {
    /// `--start`.
    pub start: Starts,
    /// `--refine`.
    pub refine: Option<u64>,
    /// `--leash`.
    pub leash: Option<u64>,
    /// `--max-regret`.
    pub max_regret: Option<f64>,
    /// `--max-iter`.
    pub max_iter: Option<usize>,
    /// `--perturbation`, in its text form (`1,0,0;0,1`).
    pub perturbation: Option<String>,
    /// `--end-lambda`.
    pub end_lambda: Option<f64>,
    /// `--steps`.
    pub steps: Option<usize>,
    /// `--local-newton-interval`.
    pub local_newton_interval: Option<usize>,
    /// `--local-newton-maxits`.
    pub local_newton_maxits: Option<usize>,
}

impl ApproximateFlags {
    /// The flags as the command line gave them.
    pub(crate) fn of(args: &SolveArgs) -> ApproximateFlags {
        ApproximateFlags {
            start: args.start.clone().map_or(Starts::Centroid, Starts::File),
            refine: args.refine,
            leash: args.leash,
            max_regret: args.max_regret,
            max_iter: args.max_iter,
            perturbation: args.perturbation.clone(),
            end_lambda: args.end_lambda,
            steps: args.steps,
            local_newton_interval: args.local_newton_interval,
            local_newton_maxits: args.local_newton_maxits,
        }
    }
}

/// The solver options these flags make for a strategic game: start profiles cut player by
/// player, a perturbation read against the game. No deadline: the caller sets it.
pub fn strategic_options(
    game: &StrategicGame,
    flags: &ApproximateFlags,
) -> Result<SolveOptions<'static>> {
    let gnm = gnm_options(flags, |text| Perturbation::parse(game, text))?;
    with(flags, &game.strategy_counts(), gnm)
}

/// The solver options these flags make for a tree solved by `method`: start profiles cut by
/// the reduced strategic form's strategies (with `liap --agent`: information set by
/// information set), a perturbation read against the reduced strategic form (built only when
/// one is given). No deadline: the caller sets it.
pub fn tree_options(
    tree: &ExtensiveGame,
    method: TreeMethod,
    flags: &ApproximateFlags,
) -> Result<SolveOptions<'static>> {
    let sizes = match method {
        TreeMethod::LiapAgent => (0..tree.num_players())
            .flat_map(|p| tree.infosets(p).iter().map(|i| i.actions.len()))
            .collect(),
        _ if !matches!(flags.start, Starts::Centroid) => count_reduced_strategies(tree)?
            .into_iter()
            .map(|c| usize::try_from(c).unwrap_or(usize::MAX))
            .collect(),
        _ => Vec::new(),
    };
    let gnm = gnm_options(flags, |text| {
        Perturbation::parse(&reduced_strategic_form(tree)?.0, text)
    })?;
    with(flags, &sizes, gnm)
}

fn with(
    flags: &ApproximateFlags,
    sizes: &[usize],
    gnm: GnmOptions,
) -> Result<SolveOptions<'static>> {
    Ok(SolveOptions {
        approximate: ApproximateOptions {
            starts: start_profiles(&flags.start, sizes)?,
            refine: flags.refine,
            leash: flags.leash,
            max_regret: flags.max_regret,
            max_iter: flags.max_iter,
        },
        gnm,
        ..SolveOptions::default()
    })
}

/// gnm's options, Gambit's defaults for the ones not given; a given perturbation is read by
/// `perturbation`, against the shape of the strategic game the method runs on.
fn gnm_options(
    flags: &ApproximateFlags,
    perturbation: impl FnOnce(&str) -> Result<Perturbation>,
) -> Result<GnmOptions> {
    let default = GnmOptions::default();
    let perturbation = flags
        .perturbation
        .as_deref()
        .map(perturbation)
        .transpose()?;
    let options = GnmOptions {
        perturbation,
        end_lambda: flags.end_lambda.unwrap_or(default.end_lambda),
        steps: flags.steps.unwrap_or(default.steps),
        local_newton_interval: flags
            .local_newton_interval
            .unwrap_or(default.local_newton_interval),
        local_newton_maxits: flags
            .local_newton_maxits
            .unwrap_or(default.local_newton_maxits),
    };
    options.check()?;
    Ok(options)
}

/// The start profiles, each cut into groups of `sizes`; none for the centroid.
fn start_profiles(starts: &Starts, sizes: &[usize]) -> Result<Vec<Vec<Vec<Q>>>> {
    let (name, profiles) = match starts {
        Starts::Centroid => return Ok(Vec::new()),
        Starts::File(path) => (path.display().to_string(), read_start_profiles(path)?),
        Starts::Text(text) => ("start".to_string(), parse_start_profiles("start", text)?),
    };
    profiles
        .iter()
        .map(|s| split_groups(&name, s, sizes))
        .collect()
}
