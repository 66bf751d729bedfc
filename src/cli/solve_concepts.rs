//! `patron solve GAME --method logit|stackelberg|correlated`: solution concepts beyond Nash
//! equilibrium — quantal response (noise, "accidents or miscalculations"), commitment, and a
//! mediator's correlated recommendation.

use crate::cli::output::{csv_text, text_table, write_stdout, Format};
use crate::error::{Error, Result};
use crate::game::regret::payoffs_and_regret;
use crate::game::StrategicGame;
use crate::num::{fmt_f64, tol};
use crate::solve::bayesian::BayesianGame;
use crate::solve::correlated::{correlated, correlated_vertices, Objective};
use crate::solve::logit::{logit_at, logit_branch};
use crate::solve::stackelberg::{bayesian_stackelberg, stackelberg, BayesianMethod, Commitment};
use serde_json::json;
use std::path::{Path, PathBuf};

/// The concepts this file serves, by their `--method` names.
pub const NAMES: [&str; 3] = ["logit", "stackelberg", "correlated"];

/// Options of the three concepts (see `patron solve --help`).
#[derive(Debug, Clone, Default)]
pub struct ConceptOptions {
    pub lambda: Option<f64>,
    pub to_lambda: Option<f64>,
    pub path: Option<PathBuf>,
    pub leader: usize,
    pub objective: Option<String>,
    pub vertices: bool,
}

/// Run one concept on a strategic game and print it.
pub fn run(
    game: &StrategicGame,
    method: &str,
    options: &ConceptOptions,
    format: Format,
) -> Result<()> {
    match method {
        "logit" => run_logit(game, options, format),
        "stackelberg" => {
            let (commitment, labels) = leader_commitment(game, options.leader)?;
            print_commitment(&commitment, &labels, &one_type(), format)
        }
        "correlated" => run_correlated(game, options, format),
        other => Err(Error::Usage(format!("unknown method '{other}'"))),
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
    Ok(commitment_json(&commitment, &labels, &one_type()))
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
    if let Some(to) = options.to_lambda {
        let path = options
            .path
            .as_ref()
            .ok_or_else(|| Error::Usage("--to-lambda needs --path FILE.csv".into()))?;
        let points = branch(game, to)?;
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
        return write_stdout(&format!(
            "wrote {} points of the logit branch up to lambda = {to} to {}",
            points.len(),
            path.display()
        ));
    }
    let lambda = options.lambda.ok_or_else(|| {
        Error::Usage("logit needs --lambda L (or --to-lambda L --path FILE.csv)".into())
    })?;
    match format {
        Format::Json => write_stdout(&pretty(&logit_json(game, lambda)?)?),
        _ => {
            let profile = logit_at(game, lambda)?;
            let (payoffs, regret) = payoffs_and_regret(game, &profile);
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
            write_stdout(&format!(
                "logit quantal response equilibrium at lambda = {lambda} (principal branch from the centroid)\n\
                 regret {regret:.3e}: {}\n\n{}",
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
/// `--to-lambda` uses: (λ, profile) points.
pub fn branch(game: &StrategicGame, to: f64) -> Result<Vec<(f64, Vec<Vec<f64>>)>> {
    let scale = crate::game::regret::payoff_scale(game);
    logit_branch(game, to, (to / 200.0).max(0.05) * scale.max(1.0))
}

/// The JSON `patron solve GAME --method logit --lambda L --format json` prints.
pub fn logit_json(game: &StrategicGame, lambda: f64) -> Result<serde_json::Value> {
    let profile = logit_at(game, lambda)?;
    let (payoffs, regret) = payoffs_and_regret(game, &profile);
    let text = |v: &[f64]| v.iter().map(|x| fmt_f64(*x)).collect::<Vec<_>>();
    Ok(json!({
        "game": {"title": game.title(), "players": game.players(), "strategies": game.strategies()},
        "method": "logit",
        "lambda": lambda,
        "profile": profile.iter().map(|s| text(s)).collect::<Vec<_>>(),
        "payoffs": text(&payoffs),
        "regret": fmt_f64(regret),
    }))
}

/// The JSON `patron solve GAME --method correlated [--objective O] [--vertices] --format json`
/// prints.
pub fn correlated_json(
    game: &StrategicGame,
    objective: Option<&str>,
    vertices: bool,
) -> Result<serde_json::Value> {
    let objective = Objective::parse(objective.unwrap_or("welfare"))?;
    let eq = correlated(game, objective)?;
    let support = eq.support_text(game);
    let mut out = json!({
        "game": {"title": game.title(), "players": game.players(), "strategies": game.strategies()},
        "method": "correlated",
        "distribution": support.iter().map(|(labels, p)| json!({"profile": labels, "probability": p})).collect::<Vec<_>>(),
        "payoffs": eq.payoffs_text(),
        "objective": eq.objective_text(),
        "regret": eq.regret_text(),
        "exact": eq.is_exact(),
    });
    if vertices {
        out["vertices"] = json!(correlated_vertices(game)?
            .iter()
            .map(|d| d.iter().map(crate::num::fmt_q).collect::<Vec<_>>())
            .collect::<Vec<_>>());
    }
    Ok(out)
}

fn run_correlated(game: &StrategicGame, options: &ConceptOptions, format: Format) -> Result<()> {
    if format == Format::Json {
        let out = correlated_json(game, options.objective.as_deref(), options.vertices)?;
        return write_stdout(&pretty(&out)?);
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
fn commitment_json(c: &Commitment, labels: &Labels, types: &[String]) -> serde_json::Value {
    json!({
        "method": "stackelberg",
        "leader_strategies": labels.0,
        "commitment": c.strategy_text(),
        "leader_value": c.leader_value_text(),
        "follower_types": types,
        "responses": response_labels(c, &labels.1),
        "follower_values": c.follower_values_text(),
        "exact": c.is_exact(),
    })
}

fn print_commitment(
    c: &Commitment,
    labels: &Labels,
    types: &[String],
    format: Format,
) -> Result<()> {
    let responses = response_labels(c, &labels.1);
    match format {
        Format::Json => write_stdout(&pretty(&commitment_json(c, labels, types))?),
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

fn pretty(value: &serde_json::Value) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::Solver(format!("json output: {e}")))
}
