//! `patron solve GAME.efg --method logit`: the agent logit QRE of a game tree in behaviour
//! strategies ([`crate::solve::logit::tree`]) at `--lambda`, its branch up to `--to-lambda`, or
//! the λ that best fits observed play (`--estimate`). Every printed profile is certified by its
//! logit fixed-point residual ([`crate::game::qre`]); its agent regret and λ are reported.

use crate::cli::output::{csv_text, text_table, write_stdout, Format};
use crate::cli::solve_concepts::ConceptOptions;
use crate::cli::solve_estimate;
use crate::cli::solve_estimate::FitJson;
use crate::cli::solve_game::pretty_json;
use crate::cli::solve_tree::{infoset_name, infosets_json, InfosetJson};
use crate::error::{Error, Result};
use crate::game::qre::{behaviour_residual, certify_residual, residual_bound, tree_payoff_scale};
use crate::game::tree::{Behavior, ExtensiveGame};
use crate::num::fmt_f64;
use crate::solve::deadline::Deadline;
use crate::solve::logit::tree::{agent_logit_at_until, agent_logit_branch, AgentQre};
use crate::solve::logit::Ended;
use serde::Serialize;

/// Run logit on a game tree as the options ask and print the result.
pub fn run(game: &ExtensiveGame, options: &ConceptOptions, format: Format) -> Result<()> {
    let deadline = options
        .max_seconds
        .map_or_else(Deadline::none, Deadline::after);
    if let Some(data) = &options.estimate {
        return solve_estimate::run_tree(game, data, &deadline, options.max_seconds, format);
    }
    if let Some(to) = options.to_lambda {
        return write_branch(game, to, options, &deadline);
    }
    let lambda = options.lambda.ok_or_else(|| {
        Error::Usage(
            "logit needs --lambda L (or --to-lambda L --path FILE.csv, or --estimate DATA.json)"
                .into(),
        )
    })?;
    let (qre, ended) = agent_logit_at_until(game, lambda, &deadline)?;
    let certified = CertifiedAgentQre::new(game, qre)?;
    let complete = ended == Ended::AtTarget;
    match format {
        Format::Json => {
            let mut out = certified.json(game, complete);
            out.lambda_requested = Some(lambda);
            write_stdout(&pretty_json(&out)?)
        }
        _ => {
            let stopped = if complete {
                String::new()
            } else {
                format!(" (incomplete: --max-seconds stopped the trace before lambda = {lambda})")
            };
            write_stdout(&format!(
                "{}agent logit quantal response equilibrium at lambda = {} (principal branch from \
                 the centroid, behaviour strategies){stopped}\n{}",
                title_line(game),
                fmt_f64(certified.qre.lambda),
                certified.table(game)
            ))
        }
    }
}

/// `game` of the tree logit documents: title, players, information sets.
#[derive(Debug, Serialize)]
pub struct TreeLogitGameJson<'a> {
    /// The game's title.
    pub title: &'a str,
    /// Player names.
    pub players: &'a [String],
    /// Per player, each information set.
    pub infosets: Vec<Vec<InfosetJson<'a>>>,
}

/// The JSON of `patron solve GAME.efg --method logit` (at `--lambda`, or `--estimate`).
#[derive(Debug, Serialize)]
pub struct TreeLogitJson<'a> {
    /// The game's labels.
    pub game: TreeLogitGameJson<'a>,
    /// Always `logit`.
    pub method: &'static str,
    /// The λ of the reported QRE.
    pub lambda: f64,
    /// `behaviour[p][i][a]`.
    pub behaviour: Vec<Vec<Vec<String>>>,
    /// Each player's expected payoff.
    pub payoffs: Vec<String>,
    /// An information set's agent's largest gain.
    pub agent_regret: String,
    /// The logit fixed-point residual (the certificate).
    pub residual: String,
    /// The bound the residual is certified against.
    pub residual_bound: String,
    /// Information sets reached with too small a probability to judge.
    pub unjudged_infosets: usize,
    /// `--lambda`: the λ asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lambda_requested: Option<f64>,
    /// `--estimate`: the fit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<FitJson>,
    /// Whether the trace reached its end (not stopped by `--max-seconds`).
    pub complete: bool,
}

/// A tree QRE that passed its certificate, with what is reported beside it.
pub(crate) struct CertifiedAgentQre {
    pub qre: AgentQre,
    pub payoffs: Vec<f64>,
    pub agent_regret: f64,
    pub residual: f64,
    pub bound: f64,
    pub unjudged: usize,
}

impl CertifiedAgentQre {
    /// Certify `qre` (its fixed-point residual within [`residual_bound`]) and measure it.
    pub(crate) fn new(game: &ExtensiveGame, qre: AgentQre) -> Result<Self> {
        let scale = tree_payoff_scale(game);
        let found = behaviour_residual(game, qre.lambda, &qre.behaviour)?;
        let found = certify_residual(found, qre.lambda, scale)?;
        Ok(CertifiedAgentQre {
            payoffs: game.behavior_payoffs(&qre.behaviour)?,
            agent_regret: game.agent_regret(&qre.behaviour)?,
            residual: found.residual,
            bound: residual_bound(qre.lambda, scale),
            unjudged: found.unjudged,
            qre,
        })
    }

    /// The document of docs/output.md ("logit on game trees"); `complete`: whether the trace
    /// reached its end.
    pub(crate) fn json<'a>(&self, game: &'a ExtensiveGame, complete: bool) -> TreeLogitJson<'a> {
        TreeLogitJson {
            game: TreeLogitGameJson {
                title: game.title(),
                players: game.players(),
                infosets: infosets_json(game),
            },
            method: "logit",
            lambda: self.qre.lambda,
            behaviour: behaviour_text(&self.qre.behaviour),
            payoffs: self.payoffs.iter().map(|x| fmt_f64(*x)).collect(),
            agent_regret: fmt_f64(self.agent_regret),
            residual: fmt_f64(self.residual),
            residual_bound: fmt_f64(self.bound),
            unjudged_infosets: self.unjudged,
            lambda_requested: None,
            estimate: None,
            complete,
        }
    }

    /// The certificate line, payoffs and the behaviour table.
    pub(crate) fn table(&self, game: &ExtensiveGame) -> String {
        let unjudged = match self.unjudged {
            0 => String::new(),
            n => format!(
                " over the information sets reached with positive float probability ({n} are not)"
            ),
        };
        let header: Vec<String> = ["player", "information set", "behaviour"]
            .map(String::from)
            .to_vec();
        let mut rows = Vec::new();
        for (p, player) in game.players().iter().enumerate() {
            for (i, set) in game.infosets(p).iter().enumerate() {
                let probs: Vec<String> = set
                    .actions
                    .iter()
                    .zip(&self.qre.behaviour[p][i])
                    .map(|(a, x)| format!("{a}: {x:.6}"))
                    .collect();
                rows.push(vec![
                    player.clone(),
                    infoset_name(game, p, i),
                    probs.join(", "),
                ]);
            }
        }
        format!(
            "certified: logit fixed-point residual {:.3e} (bound {:.3e}){unjudged}\n\
             agent regret {:.3e} (a QRE is not a Nash equilibrium; raise lambda to approach one)\n\
             payoffs: {}\n\n{}",
            self.residual,
            self.bound,
            self.agent_regret,
            self.payoffs
                .iter()
                .map(|x| format!("{x:.6}"))
                .collect::<Vec<_>>()
                .join(", "),
            text_table(&header, &rows).trim_end()
        )
    }
}

fn behaviour_text(b: &Behavior<f64>) -> Vec<Vec<Vec<String>>> {
    b.iter()
        .map(|sets| {
            sets.iter()
                .map(|s| s.iter().map(|x| fmt_f64(*x)).collect())
                .collect()
        })
        .collect()
}

/// `player:infoset:action` column names, in the order of a flattened behaviour profile.
pub(crate) fn action_columns(game: &ExtensiveGame) -> Vec<String> {
    let mut columns = Vec::new();
    for (p, player) in game.players().iter().enumerate() {
        for (i, set) in game.infosets(p).iter().enumerate() {
            let name = infoset_name(game, p, i);
            columns.extend(set.actions.iter().map(|a| format!("{player}:{name}:{a}")));
        }
    }
    columns
}

fn title_line(game: &ExtensiveGame) -> String {
    match game.title() {
        "" => String::new(),
        t => format!("{t}\n"),
    }
}

/// `--to-lambda L --path FILE.csv`: the branch as CSV (lambda, then one column per action).
fn write_branch(
    game: &ExtensiveGame,
    to: f64,
    options: &ConceptOptions,
    deadline: &Deadline,
) -> Result<()> {
    let path = options
        .path
        .as_ref()
        .ok_or_else(|| Error::Usage("--to-lambda needs --path FILE.csv".into()))?;
    let scale = tree_payoff_scale(game);
    let (points, ended) = agent_logit_branch(game, to, (to / 200.0).max(0.05) * scale, deadline)?;
    for q in &points {
        certify_residual(
            behaviour_residual(game, q.lambda, &q.behaviour)?,
            q.lambda,
            scale,
        )?;
    }
    let mut header = vec!["lambda".to_string()];
    header.extend(action_columns(game));
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|q| {
            std::iter::once(fmt_f64(q.lambda))
                .chain(q.behaviour.iter().flatten().flatten().map(|v| fmt_f64(*v)))
                .collect()
        })
        .collect();
    std::fs::write(path, csv_text(&header, &rows)?).map_err(|e| Error::io(path, e))?;
    let reached = points.last().map_or(0.0, |q| q.lambda);
    let note = match ended {
        Ended::AtTarget => String::new(),
        Ended::Stopped => format!(" (incomplete: --max-seconds stopped it at lambda = {reached})"),
    };
    write_stdout(&format!(
        "wrote {} points of the agent logit branch up to lambda = {to} to {}, each certified by \
         its logit fixed-point residual{note}",
        points.len(),
        path.display()
    ))
}
