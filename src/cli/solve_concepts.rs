//! `patron solve GAME --method logit|stackelberg|correlated`: solution concepts beyond Nash
//! equilibrium — quantal response (noise, "accidents or miscalculations"), commitment, and a
//! mediator's correlated recommendation.

use crate::cli::output::{csv_text, text_table, write_stdout, Format};
use crate::cli::solve_estimate;
use crate::cli::solve_game::{json_value, pretty_json, StrategicGameJson};
use crate::error::{Error, Result};
use crate::game::bayesian::BayesianGame;
use crate::game::qre::{certify_residual, residual_bound, strategic_residual};
use crate::game::regret::payoffs_and_regret;
use crate::game::StrategicGame;
use crate::num::{fmt_f64, tol};
use crate::solve::correlated::{correlated, correlated_vertices, Objective};
use crate::solve::deadline::Deadline;
use crate::solve::logit::{logit_at_until, logit_branch_until, BranchPoint, Ended};
use crate::solve::stackelberg::{bayesian_stackelberg, stackelberg, BayesianMethod, Commitment};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The concepts beyond Nash equilibrium this file serves: `patron solve --method`'s third menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Concept {
    /// The logit quantal response equilibrium at `--lambda`, its branch, or a fit to data.
    Logit,
    /// The leader's optimal commitment (strong Stackelberg equilibrium).
    Stackelberg,
    /// A mediator's best correlated equilibrium (one LP).
    Correlated,
}

impl std::fmt::Display for Concept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::solve::method::write_value_name(self, f)
    }
}

/// Options of the three concepts (see `patron solve --help`).
#[derive(Debug, Clone, Default)]
pub struct ConceptOptions {
    /// logit: the precision λ to report (`--lambda`).
    pub lambda: Option<f64>,
    /// logit: trace the branch up to this λ (`--to-lambda`).
    pub to_lambda: Option<f64>,
    /// logit: where the branch is written (`--path`).
    pub path: Option<PathBuf>,
    /// stackelberg: the player who commits, from 0.
    pub leader: usize,
    /// correlated: the objective (`welfare` or weights).
    pub objective: Option<String>,
    /// correlated: also list the polytope's extreme points.
    pub vertices: bool,
    /// logit: observed counts to fit λ to (`--estimate DATA.json`).
    pub estimate: Option<PathBuf>,
    /// logit: the `--max-seconds` budget.
    pub max_seconds: Option<std::time::Duration>,
}

/// Run one concept on a strategic game and print it.
pub fn run(
    game: &StrategicGame,
    concept: Concept,
    options: &ConceptOptions,
    format: Format,
) -> Result<()> {
    match concept {
        Concept::Logit => run_logit(game, options, format),
        Concept::Stackelberg => {
            let (commitment, labels) = leader_commitment(game, options.leader)?;
            print_commitment(&commitment, &labels, &one_type(), format)
        }
        Concept::Correlated => run_correlated(game, options, format),
    }
}

/// The leader's and the follower's strategy labels.
type Labels = (Vec<String>, Vec<String>);

/// The optimal commitment of `leader` (0 or 1), with the leader's and the follower's strategy
/// labels.
fn leader_commitment(game: &StrategicGame, leader: usize) -> Result<(Commitment, Labels)> {
    let commitment = stackelberg(game, leader)?;
    let labels = (
        game.strategies()[leader].clone(),
        game.strategies()[1 - leader].clone(),
    );
    Ok((commitment, labels))
}

/// The follower-type list of a game without types.
fn one_type() -> Vec<String> {
    vec!["(one type)".to_string()]
}

/// The JSON `patron solve GAME --method stackelberg --leader N --format json` prints
/// (`leader` counted from 0).
pub fn stackelberg_json(game: &StrategicGame, leader: usize) -> Result<serde_json::Value> {
    let (commitment, labels) = leader_commitment(game, leader)?;
    json_value(&CommitmentJson::new(&commitment, &labels, &one_type()))
}

/// `patron solve GAME.toml --method stackelberg`: a Bayesian leader–follower game file.
pub fn run_bayesian(path: &Path, format: Format) -> Result<()> {
    let game = BayesianGame::read(path)?;
    let commitment = bayesian_stackelberg(&game, BayesianMethod::Auto)?;
    let labels = (
        game.leader_strategies().to_vec(),
        game.follower_strategies().to_vec(),
    );
    let types: Vec<String> = game.types().iter().map(|t| t.name.clone()).collect();
    print_commitment(&commitment, &labels, &types, format)
}

fn run_logit(game: &StrategicGame, options: &ConceptOptions, format: Format) -> Result<()> {
    let deadline = options
        .max_seconds
        .map_or_else(Deadline::none, Deadline::after);
    if let Some(data) = &options.estimate {
        return solve_estimate::run_table(game, data, &deadline, options.max_seconds, format);
    }
    if let Some(to) = options.to_lambda {
        let path = options
            .path
            .as_ref()
            .ok_or_else(|| Error::Usage("--to-lambda needs --path FILE.csv".into()))?;
        let (points, ended) = branch(game, to, &deadline)?;
        let mut header = vec!["lambda".to_string()];
        for (p, player) in game.players().iter().enumerate() {
            header.extend(game.strategies()[p].iter().map(|s| format!("{player}:{s}")));
        }
        let rows: Vec<Vec<String>> = points
            .iter()
            .map(|(l, profile)| {
                std::iter::once(fmt_f64(*l))
                    .chain(profile.iter().flatten().map(|v| fmt_f64(*v)))
                    .collect()
            })
            .collect();
        std::fs::write(path, csv_text(&header, &rows)?).map_err(|e| Error::io(path, e))?;
        let note = match (ended, points.last()) {
            (Ended::Stopped, Some((reached, _))) => {
                format!(" (incomplete: --max-seconds stopped it at lambda = {reached})")
            }
            _ => String::new(),
        };
        return write_stdout(&format!(
            "wrote {} points of the logit branch up to lambda = {to} to {}, each certified by its \
             logit fixed-point residual{note}",
            points.len(),
            path.display()
        ));
    }
    let lambda = options.lambda.ok_or_else(|| {
        Error::Usage(
            "logit needs --lambda L (or --to-lambda L --path FILE.csv, or --estimate DATA.json)"
                .into(),
        )
    })?;
    let answer = logit_answer(game, lambda, &deadline)?;
    match format {
        Format::Json => write_stdout(&pretty_json(&LogitJson::new(game, &answer))?),
        _ => {
            let LogitAnswer {
                reached,
                profile,
                complete,
                residual,
                bound,
                payoffs,
                regret,
                ..
            } = answer;
            let rows = game
                .players()
                .iter()
                .enumerate()
                .map(|(p, player)| {
                    let probs: Vec<String> = game.strategies()[p]
                        .iter()
                        .zip(&profile[p])
                        .map(|(s, x)| format!("{s}: {x:.6}"))
                        .collect();
                    vec![
                        player.clone(),
                        probs.join(", "),
                        format!("{:.6}", payoffs[p]),
                    ]
                })
                .collect::<Vec<_>>();
            let stopped = if complete {
                String::new()
            } else {
                format!(" (incomplete: --max-seconds stopped the trace before lambda = {lambda})")
            };
            write_stdout(&format!(
                "logit quantal response equilibrium at lambda = {} (principal branch from the centroid){stopped}\n\
                 certified: logit fixed-point residual {:.3e} (bound {:.3e})\n\
                 regret {regret:.3e}: {}\n\n{}",
                fmt_f64(reached),
                residual,
                bound,
                if regret <= tol::REGRET_F64 * crate::game::regret::payoff_scale(game) {
                    "an approximate Nash equilibrium"
                } else {
                    "not yet a Nash equilibrium (raise lambda to approach one)"
                },
                text_table(&["player".into(), "probabilities".into(), "payoff".into()], &rows)
            ))
        }
    }
}

/// The principal branch of the logit correspondence from λ = 0 up to `to`, at the step
/// `--to-lambda` uses: (λ, profile) points, each certified by its logit fixed-point residual,
/// and whether the trace reached `to` or the deadline stopped it.
pub fn branch(
    game: &StrategicGame,
    to: f64,
    deadline: &Deadline,
) -> Result<(Vec<BranchPoint>, Ended)> {
    let scale = crate::game::regret::payoff_scale(game);
    let step = (to / 200.0).max(0.05) * scale.max(1.0);
    let (points, ended) = logit_branch_until(game, to, step, deadline)?;
    for (l, profile) in &points {
        certify_residual(strategic_residual(game, *l, profile), *l, scale)?;
    }
    Ok((points, ended))
}

/// A logit QRE at a requested λ, certified by its fixed-point residual: the point at
/// `requested`, or the last one the trace reached before the deadline (`complete` false).
#[derive(Debug, Clone)]
pub struct LogitAnswer {
    /// The λ of the reported point (equals `requested` when `complete`).
    pub reached: f64,
    /// The λ asked for.
    pub requested: f64,
    /// The QRE's mixed profile, per player, per strategy.
    pub profile: Vec<Vec<f64>>,
    /// False when the deadline stopped the trace before `requested`.
    pub complete: bool,
    /// The logit fixed-point residual at the point (its certificate).
    pub residual: f64,
    /// The bound the residual was certified against.
    pub bound: f64,
    /// Each player's expected payoff at the profile.
    pub payoffs: Vec<f64>,
    /// The profile's Nash regret (the largest gain from a pure deviation; a QRE need not be 0).
    pub regret: f64,
}

/// Trace the principal branch to `lambda` (or until the deadline) and certify the point.
pub fn logit_answer(game: &StrategicGame, lambda: f64, deadline: &Deadline) -> Result<LogitAnswer> {
    let (reached, profile, ended) = logit_at_until(game, lambda, deadline)?;
    let scale = crate::game::regret::payoff_scale(game);
    let residual = certify_residual(strategic_residual(game, reached, &profile), reached, scale)?;
    let (payoffs, regret) = payoffs_and_regret(game, &profile);
    Ok(LogitAnswer {
        reached,
        requested: lambda,
        complete: ended == Ended::AtTarget,
        residual: residual.residual,
        bound: residual_bound(reached, scale),
        profile,
        payoffs,
        regret,
    })
}

/// Floats as the documents print them (shortest round-trip text).
fn texts(v: &[f64]) -> Vec<String> {
    v.iter().map(|x| fmt_f64(*x)).collect()
}

/// The JSON `patron solve GAME --method logit --lambda L --format json` prints.
#[derive(Debug, Serialize)]
pub struct LogitJson<'a> {
    /// The game's labels.
    pub game: StrategicGameJson<'a>,
    /// Always `logit`.
    pub method: &'static str,
    /// The λ reached (the requested one unless a deadline stopped the trace).
    pub lambda: f64,
    /// The λ asked for.
    pub lambda_requested: f64,
    /// Whether the trace reached the requested λ.
    pub complete: bool,
    /// `profile[p][s]`.
    pub profile: Vec<Vec<String>>,
    /// Each player's expected payoff.
    pub payoffs: Vec<String>,
    /// The largest gain from deviating.
    pub regret: String,
    /// The logit fixed-point residual (the certificate).
    pub residual: String,
    /// The bound the residual is certified against.
    pub residual_bound: String,
}

impl<'a> LogitJson<'a> {
    /// The document of `answer` on `game`.
    pub fn new(game: &'a StrategicGame, answer: &LogitAnswer) -> Self {
        LogitJson {
            game: StrategicGameJson::new(game),
            method: "logit",
            lambda: answer.reached,
            lambda_requested: answer.requested,
            complete: answer.complete,
            profile: answer.profile.iter().map(|s| texts(s)).collect(),
            payoffs: texts(&answer.payoffs),
            regret: fmt_f64(answer.regret),
            residual: fmt_f64(answer.residual),
            residual_bound: fmt_f64(answer.bound),
        }
    }
}

/// The logit document (`LogitJson`, the schema of docs/output.md) as a JSON value.
pub fn logit_json(game: &StrategicGame, answer: &LogitAnswer) -> Result<serde_json::Value> {
    json_value(&LogitJson::new(game, answer))
}

/// The JSON `patron solve GAME --method correlated [--objective O] [--vertices] --format json`
/// prints.
#[derive(Debug, Serialize)]
pub struct CorrelatedJson<'a> {
    /// The game's labels.
    pub game: StrategicGameJson<'a>,
    /// Always `correlated`.
    pub method: &'static str,
    /// The recommended distribution's support.
    pub distribution: Vec<RecommendationJson>,
    /// Each player's expected payoff.
    pub payoffs: Vec<String>,
    /// The objective's value.
    pub objective: String,
    /// The largest gain from disobeying a recommendation.
    pub regret: String,
    /// Whether the numbers are exact rationals.
    pub exact: bool,
    /// `--vertices`: the polytope's extreme points, each a distribution over pure profiles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vertices: Option<Vec<Vec<String>>>,
}

/// One pure profile of a correlated equilibrium's support and its probability.
#[derive(Debug, Serialize)]
pub struct RecommendationJson {
    /// Each player's recommended strategy label.
    pub profile: Vec<String>,
    /// Its probability.
    pub probability: String,
}

/// The correlated equilibrium maximising `objective` (`welfare` by default) on `game`, and with
/// `vertices` the polytope's extreme points, as [`CorrelatedJson`].
fn correlated_document<'a>(
    game: &'a StrategicGame,
    objective: Option<&str>,
    vertices: bool,
) -> Result<CorrelatedJson<'a>> {
    let objective = Objective::parse(objective.unwrap_or("welfare"))?;
    let eq = correlated(game, objective)?;
    Ok(CorrelatedJson {
        game: StrategicGameJson::new(game),
        method: "correlated",
        distribution: eq
            .support_text(game)
            .into_iter()
            .map(|(profile, probability)| RecommendationJson {
                profile,
                probability,
            })
            .collect(),
        payoffs: eq.payoffs_text(),
        objective: eq.objective_text(),
        regret: eq.regret_text(),
        exact: eq.is_exact(),
        vertices: match vertices {
            true => Some(
                correlated_vertices(game)?
                    .iter()
                    .map(|d| d.iter().map(crate::num::fmt_q).collect())
                    .collect(),
            ),
            false => None,
        },
    })
}

/// The correlated-equilibrium document (`CorrelatedJson`, docs/output.md) as a JSON value.
pub fn correlated_json(
    game: &StrategicGame,
    objective: Option<&str>,
    vertices: bool,
) -> Result<serde_json::Value> {
    json_value(&correlated_document(game, objective, vertices)?)
}

fn run_correlated(game: &StrategicGame, options: &ConceptOptions, format: Format) -> Result<()> {
    if format == Format::Json {
        let out = correlated_document(game, options.objective.as_deref(), options.vertices)?;
        return write_stdout(&pretty_json(&out)?);
    }
    let objective = Objective::parse(options.objective.as_deref().unwrap_or("welfare"))?;
    let eq = correlated(game, objective)?;
    let support = eq.support_text(game);
    let vertices = if options.vertices {
        Some(correlated_vertices(game)?)
    } else {
        None
    };
    let mut header: Vec<String> = game.players().to_vec();
    header.push("probability".into());
    let rows: Vec<Vec<String>> = support
        .iter()
        .map(|(labels, p)| labels.iter().cloned().chain([p.clone()]).collect())
        .collect();
    let mut text = format!(
        "correlated equilibrium maximising {}: objective {}, payoffs {}, regret {}\n\n{}",
        options.objective.as_deref().unwrap_or("welfare"),
        eq.objective_text(),
        eq.payoffs_text().join(", "),
        eq.regret_text(),
        text_table(&header, &rows)
    );
    if let Some(v) = &vertices {
        text.push_str(&format!(
            "\n{} extreme points of the correlated-equilibrium polytope (--format json lists them)",
            v.len()
        ));
    }
    write_stdout(text.trim_end())
}

/// Each follower type's response, by label.
fn response_labels(c: &Commitment, follower_strategies: &[String]) -> Vec<String> {
    c.responses()
        .iter()
        .map(|&r| follower_strategies.get(r).cloned().unwrap_or_default())
        .collect()
}

/// The JSON of a commitment (`patron solve ... --method stackelberg --format json`).
#[derive(Debug, Serialize)]
pub struct CommitmentJson<'a> {
    /// Always `stackelberg`.
    pub method: &'static str,
    /// The leader's strategy labels.
    pub leader_strategies: &'a [String],
    /// The leader's mixed commitment, one probability per strategy.
    pub commitment: Vec<String>,
    /// The leader's expected payoff.
    pub leader_value: String,
    /// The follower types' names (`(one type)` for a game without types).
    pub follower_types: &'a [String],
    /// Each type's best response, by label.
    pub responses: Vec<String>,
    /// Each type's payoff.
    pub follower_values: Vec<String>,
    /// Whether the numbers are exact rationals.
    pub exact: bool,
}

impl<'a> CommitmentJson<'a> {
    fn new(c: &Commitment, labels: &'a Labels, types: &'a [String]) -> Self {
        CommitmentJson {
            method: "stackelberg",
            leader_strategies: &labels.0,
            commitment: c.strategy_text(),
            leader_value: c.leader_value_text(),
            follower_types: types,
            responses: response_labels(c, &labels.1),
            follower_values: c.follower_values_text(),
            exact: c.is_exact(),
        }
    }
}

fn print_commitment(
    c: &Commitment,
    labels: &Labels,
    types: &[String],
    format: Format,
) -> Result<()> {
    let responses = response_labels(c, &labels.1);
    match format {
        Format::Json => write_stdout(&pretty_json(&CommitmentJson::new(c, labels, types))?),
        _ => {
            let commitment: Vec<String> = labels
                .0
                .iter()
                .zip(c.strategy_text())
                .map(|(s, p)| format!("{s}: {p}"))
                .collect();
            let rows: Vec<Vec<String>> = types
                .iter()
                .zip(&responses)
                .zip(c.follower_values_text())
                .map(|((t, r), v)| vec![t.clone(), r.clone(), v])
                .collect();
            write_stdout(&format!(
                "optimal commitment (strong Stackelberg, {}): {}\nleader's value: {}\n\n{}",
                if c.is_exact() {
                    "exact"
                } else {
                    "floating point"
                },
                commitment.join(", "),
                c.leader_value_text(),
                text_table(
                    &[
                        "follower type".into(),
                        "response".into(),
                        "follower's value".into()
                    ],
                    &rows
                )
                .trim_end()
            ))
        }
    }
}
