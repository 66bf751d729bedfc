//! `patron solve GAME --method logit --estimate DATA.json`: the maximum-likelihood λ of the logit
//! QRE for observed play ([`crate::solve::logit::estimate`]), on tables and on trees.
//!
//! The data file (docs/output.md, "logit --estimate data"):
//!
//! ```json
//! { "cite": "where the counts come from", "counts": [[120, 80], [87, 113]] }
//! ```
//!
//! `counts[player][strategy]` on a table, `counts[player][infoset][action]` on a tree, in the
//! game's order; each a finite number ≥ 0, not all 0. `cite` is required (the project's rule
//! for observed data). Malformed files are refused with the file, the line and the field.

use crate::cli::output::{text_table, write_stdout, Format};
use crate::cli::solve_game::{pretty_json, StrategicGameJson};
use crate::cli::solve_logit_tree::CertifiedAgentQre;
use crate::error::{Error, Pos, Result};
use crate::game::qre::{certify_residual, residual_bound, strategic_residual};
use crate::game::regret::{payoff_scale, payoffs_and_regret};
use crate::game::tree::{Behavior, ExtensiveGame};
use crate::game::StrategicGame;
use crate::num::fmt_f64;
use crate::solve::deadline::Deadline;
use crate::solve::logit::estimate::{estimate_strategic, estimate_tree, Fit};
use crate::solve::logit::tree::AgentQre;
use crate::solve::logit::Ended;
use serde::Serialize;
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// A data file's counts, shaped as the game asks.
struct Data<C> {
    cite: String,
    counts: C,
}

/// Where a data file's problem is: its line (of the `counts` key) and the field.
struct Reader<'a> {
    file: &'a Path,
    line: usize,
}

impl Reader<'_> {
    fn invalid(&self, key: &str, message: String) -> Error {
        Error::Invalid {
            file: self.file.display().to_string(),
            line: self.line,
            key: key.to_string(),
            message,
        }
    }

    /// `value` as a list of exactly `want` counts named by `labels`.
    fn counts(&self, key: &str, value: &Value, labels: &[String], what: &str) -> Result<Vec<f64>> {
        let items = value.as_array().ok_or_else(|| {
            self.invalid(
                key,
                format!("expected a list of {} counts ({what})", labels.len()),
            )
        })?;
        if items.len() != labels.len() {
            return Err(self.invalid(
                key,
                format!(
                    "{} counts for {} choices ({what}: {})",
                    items.len(),
                    labels.len(),
                    labels.join(", ")
                ),
            ));
        }
        items
            .iter()
            .enumerate()
            .map(|(k, v)| match v.as_f64() {
                Some(c) if c.is_finite() && c >= 0.0 => Ok(c),
                _ => Err(self.invalid(
                    &format!("{key}[{k}]"),
                    format!("a count must be a number ≥ 0, not {v}"),
                )),
            })
            .collect()
    }

    /// `value` as a list of exactly `want` lists.
    fn list<'v>(&self, key: &str, value: &'v Value, want: usize, of: &str) -> Result<&'v [Value]> {
        match value.as_array() {
            Some(items) if items.len() == want => Ok(items),
            Some(items) => Err(self.invalid(
                key,
                format!("{} entries, expected {want} (one per {of})", items.len()),
            )),
            None => Err(self.invalid(key, format!("expected a list with one entry per {of}"))),
        }
    }
}

/// Parse the file: JSON, an object with a non-empty `cite` and a `counts` value; returns the
/// reader positioned at the `counts` key.
fn read_file(path: &Path) -> Result<(String, Value, usize)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| Error::Parse {
        file: path.display().to_string(),
        pos: Pos {
            line: e.line(),
            col: e.column(),
        },
        message: e.to_string(),
    })?;
    let line_of = |key: &str| {
        text.lines()
            .position(|l| l.contains(&format!("\"{key}\"")))
            .map_or(1, |k| k + 1)
    };
    let file = path.display().to_string();
    let Some(object) = value.as_object() else {
        return Err(Error::Invalid {
            file,
            line: 1,
            key: "(top level)".into(),
            message: "expected an object with \"cite\" and \"counts\"".into(),
        });
    };
    if let Some(unknown) = object
        .keys()
        .find(|k| !["cite", "counts", "note"].contains(&k.as_str()))
    {
        return Err(Error::Invalid {
            file,
            line: line_of(unknown),
            key: unknown.clone(),
            message: "unknown field (expected cite, counts, and optionally note)".into(),
        });
    }
    let cite = match object.get("cite").and_then(Value::as_str) {
        Some(c) if !c.trim().is_empty() => c.to_string(),
        _ => {
            return Err(Error::Invalid {
                file,
                line: line_of("cite"),
                key: "cite".into(),
                message: "observed counts need a source: a non-empty string".into(),
            })
        }
    };
    let counts = object
        .get("counts")
        .cloned()
        .ok_or_else(|| Error::Invalid {
            file: file.clone(),
            line: 1,
            key: "counts".into(),
            message: "missing".into(),
        })?;
    Ok((cite, counts, line_of("counts")))
}

fn read_table_data(path: &Path, game: &StrategicGame) -> Result<Data<Vec<Vec<f64>>>> {
    let (cite, counts, line) = read_file(path)?;
    let reader = Reader { file: path, line };
    let players = reader.list("counts", &counts, game.num_players(), "player")?;
    let counts = players
        .iter()
        .enumerate()
        .map(|(p, v)| {
            let what = format!("strategies of {}", game.players()[p]);
            reader.counts(&format!("counts[{p}]"), v, &game.strategies()[p], &what)
        })
        .collect::<Result<_>>()?;
    Ok(Data { cite, counts })
}

fn read_tree_data(path: &Path, game: &ExtensiveGame) -> Result<Data<Behavior<f64>>> {
    let (cite, counts, line) = read_file(path)?;
    let reader = Reader { file: path, line };
    let players = reader.list("counts", &counts, game.num_players(), "player")?;
    let mut out = Vec::with_capacity(players.len());
    for (p, sets) in players.iter().enumerate() {
        let key = format!("counts[{p}]");
        let infosets = game.infosets(p);
        let sets = reader.list(&key, sets, infosets.len(), "information set of the player")?;
        let mut own = Vec::with_capacity(sets.len());
        for (i, v) in sets.iter().enumerate() {
            let what = format!(
                "actions of {}'s information set {} \"{}\"",
                game.players()[p],
                i + 1,
                infosets[i].label
            );
            own.push(reader.counts(&format!("{key}[{i}]"), v, &infosets[i].actions, &what)?);
        }
        out.push(own);
    }
    Ok(Data { cite, counts: out })
}

/// The fields every estimate reports, beside the certified profile's.
#[derive(Debug, Serialize)]
pub struct FitJson {
    /// The data file.
    pub data: String,
    /// The data's source.
    pub cite: String,
    /// The fitted λ.
    pub lambda: f64,
    /// The log-likelihood at it.
    pub log_likelihood: f64,
    /// Whether the likelihood never fell after the fit (λ not identified).
    pub still_rising: bool,
}

impl FitJson {
    fn new<P>(fit: &Fit<P>, data: &Path, cite: &str) -> Self {
        FitJson {
            data: data.display().to_string(),
            cite: cite.to_string(),
            lambda: fit.lambda,
            log_likelihood: fit.log_likelihood,
            still_rising: fit.still_rising,
        }
    }
}

/// The JSON of `patron solve GAME.nfg --method logit --estimate DATA.json`.
#[derive(Debug, Serialize)]
pub struct EstimateJson<'a> {
    /// The game's labels.
    pub game: StrategicGameJson<'a>,
    /// Always `logit`.
    pub method: &'static str,
    /// The fit.
    pub estimate: FitJson,
    /// The fitted λ.
    pub lambda: f64,
    /// The QRE at the fitted λ, `profile[p][s]`.
    pub profile: Vec<Vec<String>>,
    /// Each player's expected payoff.
    pub payoffs: Vec<String>,
    /// The largest gain from deviating.
    pub regret: String,
    /// The logit fixed-point residual (the certificate).
    pub residual: String,
    /// The bound the residual is certified against.
    pub residual_bound: String,
    /// Whether the trace reached its end (not stopped by `--max-seconds`).
    pub complete: bool,
}

fn fit_summary<P>(fit: &Fit<P>, budget: Option<Duration>) -> String {
    let stopped = match (fit.ended, budget) {
        (Ended::Stopped, Some(b)) => format!(
            " (incomplete: stopped after {} s; the best fit of the branch traced so far)",
            b.as_secs_f64()
        ),
        (Ended::Stopped, None) => " (incomplete)".to_string(),
        (Ended::AtTarget, _) => String::new(),
    };
    let identified = if fit.still_rising {
        "\nthe likelihood never falls after this point up to the end of the traced branch: \
         lambda is not identified by these data (at best a lower bound)"
    } else {
        ""
    };
    format!(
        "maximum-likelihood logit fit: lambda = {}, log-likelihood {}{stopped}{identified}",
        fmt_f64(fit.lambda),
        fmt_f64(fit.log_likelihood)
    )
}

/// `--estimate` on a strategic game.
pub fn run_table(
    game: &StrategicGame,
    data_path: &Path,
    deadline: &Deadline,
    budget: Option<Duration>,
    format: Format,
) -> Result<()> {
    let data = read_table_data(data_path, game)?;
    let fit = estimate_strategic(game, &data.counts, deadline)?;
    let scale = payoff_scale(game);
    let residual = certify_residual(
        strategic_residual(game, fit.lambda, &fit.profile),
        fit.lambda,
        scale,
    )?;
    let (payoffs, regret) = payoffs_and_regret(game, &fit.profile);
    let text = |v: &[f64]| v.iter().map(|x| fmt_f64(*x)).collect::<Vec<_>>();
    match format {
        Format::Json => write_stdout(&pretty_json(&EstimateJson {
            game: StrategicGameJson::new(game),
            method: "logit",
            estimate: FitJson::new(&fit, data_path, &data.cite),
            lambda: fit.lambda,
            profile: fit.profile.iter().map(|s| text(s)).collect(),
            payoffs: text(&payoffs),
            regret: fmt_f64(regret),
            residual: fmt_f64(residual.residual),
            residual_bound: fmt_f64(residual_bound(fit.lambda, scale)),
            complete: fit.ended == Ended::AtTarget,
        })?),
        _ => {
            let rows: Vec<Vec<String>> = game
                .players()
                .iter()
                .enumerate()
                .map(|(p, player)| {
                    let fitted: Vec<String> = game.strategies()[p]
                        .iter()
                        .zip(&fit.profile[p])
                        .zip(&data.counts[p])
                        .map(|((s, x), c)| format!("{s}: {x:.6} (observed {c})"))
                        .collect();
                    vec![player.clone(), fitted.join(", ")]
                })
                .collect();
            write_stdout(&format!(
                "{}\ncertified: logit fixed-point residual {:.3e} (bound {:.3e}); regret {:.3e}\n\
                 data: {} ({})\n\n{}",
                fit_summary(&fit, budget),
                residual.residual,
                residual_bound(fit.lambda, scale),
                regret,
                data_path.display(),
                data.cite,
                text_table(&["player".into(), "fitted probabilities".into()], &rows).trim_end()
            ))
        }
    }
}

/// `--estimate` on a game tree (the agent QRE).
pub fn run_tree(
    game: &ExtensiveGame,
    data_path: &Path,
    deadline: &Deadline,
    budget: Option<Duration>,
    format: Format,
) -> Result<()> {
    let data = read_tree_data(data_path, game)?;
    let fit = estimate_tree(game, &data.counts, deadline)?;
    let certified = CertifiedAgentQre::new(
        game,
        AgentQre {
            lambda: fit.lambda,
            behaviour: fit.profile.clone(),
        },
    )?;
    match format {
        Format::Json => {
            let mut out = certified.json(game, fit.ended == Ended::AtTarget);
            out.estimate = Some(FitJson::new(&fit, data_path, &data.cite));
            write_stdout(&pretty_json(&out)?)
        }
        _ => write_stdout(&format!(
            "{}\ndata: {} ({})\n{}",
            fit_summary(&fit, budget),
            data_path.display(),
            data.cite,
            certified.table(game)
        )),
    }
}
