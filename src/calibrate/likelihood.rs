//! The likelihood of the observed truces under the ceasefire chain (layer 2).
//!
//! For a truce with dyads D, scenario s and policy set π, the chain is run over the clients of D
//! only, with the scenario's parameters and each dyad's policy under π (status quo as the model
//! file states it, a dyad without one counting as unconditional, as in `model::solve`; optimal by
//! the vertex-enumeration Stackelberg LPs; unconditional x = 0). Its survival S(t) = P(still holds
//! after t weeks) gives
//!
//! - a truce that broke in week t: P = S(t−1) − S(t) (a regional war is a kind of break, so it
//!   counts as broken);
//! - a truce known to hold through week t: P = S(t) (right censoring).
//!
//! The data's log likelihood is the sum over truces: the truces are treated as independent given
//! the parameters, although some overlapped in time and share dyads (`docs/model.md` says what
//! this assumes). The chain's horizon is set to each truce's weeks; nothing else of the model is
//! changed.

use super::data::{Outcome, PolicySet, Truce, TruceData};
use crate::model::chain::run_chain;
use crate::model::dyad::box_lp::LpBackend;
use crate::model::dyad::stackelberg::solve_dyad;
use crate::model::dyad::DyadGame;
use crate::model::file::ModelSpec;
use crate::model::params::{ChainParams, Model};
use crate::model::solve::respond;
use crate::{Error, Result};

/// One truce resolved against a model: indices instead of names.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub truce: Truce,
    /// Index into [`TruceSet::scenarios`].
    pub scenario: usize,
    /// Indices into the model's dyads.
    pub dyads: Vec<usize>,
}

/// The data and one instantiated model per scenario the data use.
#[derive(Debug, Clone)]
pub struct TruceSet {
    /// Every truce of the data file, resolved against the model, in file order.
    pub truces: Vec<Prepared>,
    /// The models of the scenarios the truces name, at the file's values.
    pub scenarios: Vec<Model>,
}

/// A truce's curve and its log likelihood.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TruceFit {
    pub id: String,
    pub scenario: String,
    pub dyads: Vec<String>,
    pub policies: &'static str,
    pub weeks: u32,
    pub outcome: &'static str,
    /// S(0), …, S(weeks).
    pub survival: Vec<f64>,
    pub log_likelihood: f64,
}

/// Every truce's fit and the total: the `--check` JSON.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DataFit {
    /// Each truce's survival curve and log likelihood, in file order.
    pub truces: Vec<TruceFit>,
    /// The total log likelihood: the sum of the truces' log likelihoods.
    pub log_likelihood: f64,
}

impl TruceSet {
    /// Resolve the data against the model file (names were checked when the data were read).
    pub fn new(spec: &ModelSpec, data: &TruceData) -> Result<TruceSet> {
        let mut names: Vec<&str> = Vec::new();
        let mut scenarios = Vec::new();
        let mut truces = Vec::new();
        for t in &data.truces {
            let scenario = match names.iter().position(|n| *n == t.scenario) {
                Some(i) => i,
                None => {
                    names.push(&t.scenario);
                    scenarios.push(spec.instantiate(Some(&t.scenario), &[])?);
                    names.len() - 1
                }
            };
            let model = &scenarios[scenario];
            let dyads = t
                .dyads
                .iter()
                .map(|name| {
                    model
                        .dyads
                        .iter()
                        .position(|d| d.name == *name)
                        .ok_or_else(|| Error::Usage(format!("unknown dyad `{name}`")))
                })
                .collect::<Result<_>>()?;
            truces.push(Prepared {
                truce: t.clone(),
                scenario,
                dyads,
            });
        }
        Ok(TruceSet { truces, scenarios })
    }

    /// The log likelihood of the data with the scenario models `models` (parallel to
    /// [`TruceSet::scenarios`], e.g. with free parameters set); −∞ when a truce's outcome has
    /// probability zero.
    pub fn log_likelihood(&self, models: &[Model]) -> Result<f64> {
        let mut total = 0.0;
        for p in &self.truces {
            let s = survival(
                &models[p.scenario],
                &p.dyads,
                p.truce.policies,
                p.truce.weeks,
            )?;
            total += truce_log_likelihood(&s, p.truce.outcome);
        }
        Ok(total)
    }

    /// Every truce's curve and log likelihood at `models`.
    pub fn fit(&self, models: &[Model]) -> Result<DataFit> {
        let mut truces = Vec::new();
        for p in &self.truces {
            let t = &p.truce;
            let survival = survival(&models[p.scenario], &p.dyads, t.policies, t.weeks)?;
            truces.push(TruceFit {
                id: t.id.clone(),
                scenario: t.scenario.clone(),
                dyads: t.dyads.clone(),
                policies: t.policies.name(),
                weeks: t.weeks,
                outcome: t.outcome.name(),
                log_likelihood: truce_log_likelihood(&survival, t.outcome),
                survival,
            });
        }
        let log_likelihood = truces.iter().map(|t| t.log_likelihood).sum();
        Ok(DataFit {
            truces,
            log_likelihood,
        })
    }
}

/// ln P(outcome) from a survival curve S(0..=weeks): ln(S(t−1) − S(t)) for a break in week t,
/// ln S(t) for a truce that held through week t.
pub fn truce_log_likelihood(survival: &[f64], outcome: Outcome) -> f64 {
    let t = survival.len() - 1;
    let p = match outcome {
        Outcome::Broke => survival[t - 1] - survival[t],
        Outcome::Held => survival[t],
    };
    if p > 0.0 {
        p.ln()
    } else {
        f64::NEG_INFINITY
    }
}

/// S(0), …, S(weeks) of the chain over the clients of `dyads` under `policies`.
pub fn survival(
    model: &Model,
    dyads: &[usize],
    policies: PolicySet,
    weeks: u32,
) -> Result<Vec<f64>> {
    let clients = dyads
        .iter()
        .map(|&i| {
            let dyad = &model.dyads[i];
            let (game, x) = match policies {
                PolicySet::Optimal => {
                    let (game, s) = solve_dyad(dyad, LpBackend::Vertex.solver())?;
                    (game, s.optimal.policy)
                }
                PolicySet::StatusQuo => (
                    DyadGame::new(&dyad.name, &dyad.params)?,
                    dyad.status_quo.unwrap_or([0.0; 3]),
                ),
                PolicySet::Unconditional => (DyadGame::new(&dyad.name, &dyad.params)?, [0.0; 3]),
            };
            Ok(respond(dyad, &game, &x)?.1)
        })
        .collect::<Result<Vec<_>>>()?;
    let chain = ChainParams {
        horizon_weeks: weeks,
        ..model.chain.clone()
    };
    Ok(run_chain(&chain, &clients)?.survival)
}
