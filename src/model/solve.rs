//! The whole model in one call: layer 1 for every dyad, the ceasefire chain under three policy
//! sets, and the patron game (`docs/spec.md`, layers 1–3).
//!
//! [`solve_model`] answers everything with the reference LP backend. A parameter sweep calls
//! [`solve_model_with`] and [`SolveOptions::sweep`]: the vertex-enumeration backend (tested to agree
//! with the reference) and no patron game, which alone costs nine chains and an exact game solve.
//!
//! [`ModelSolution`] serialises to the JSON the CLI prints:
//! `{"scenario", "dyads": {name: {"optimal": {"policy": {"quiet","incident","major"},
//! "actions": {"aligned","autonomous"}, "patron_value"}, "unconditional", "status_quo" (or null),
//! "value_of_commitment"}}, "ceasefire": {"optimal"|"unconditional"|"status_quo": {"p_hold",
//! "expected_weeks", "p_regional_war", "survival", "risk_share": {dyad: share}}}, "patron_game":
//! {"postures", "payoffs": {patron: [[row posture][column posture]]}, "equilibria": [{patron: mix}],
//! "qre": {"lambda", patron: mix} (only with `patron_game.logit_lambda`), "correlated":
//! {"distribution": [[row posture][column posture]], "welfare", "payoffs": {patron}}}}`. A dyad
//! with logit clients writes each outcome's `actions` as per-type mixtures and adds `lambda` and
//! `certified_gap` (see [`DyadSolution`]).
//! Maps keep the model file's order. An infinite `expected_weeks` (a ceasefire that cannot break)
//! is written as `null`, as `serde_json` writes every non-finite number.

use crate::error::Result;
use crate::game::StrategicGame;
use crate::model::chain::{run_chain, ChainClient, ChainOutcome};
use crate::model::dyad::box_lp::LpBackend;
use crate::model::dyad::stackelberg::{solve_dyad, DyadSolution};
use crate::model::dyad::DyadGame;
use crate::model::dyad::PolicyOutcome;
use crate::model::logit::{logit_outcome, mixed_chain_client};
use crate::model::params::{Behaviour, Dyad, Model, Policy};
use crate::model::patron_game::{solve_patron_game, DyadPostures, PatronGame, Posture};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Which parts to compute, and with which LP backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SolveOptions {
    /// Which LP solver finds the Stackelberg policies.
    pub backend: LpBackend,
    /// Whether to run the ceasefire chain (layer 2).
    pub ceasefire: bool,
    /// Whether to solve the patron game (layer 3).
    pub patron_game: bool,
}

impl Default for SolveOptions {
    /// Everything, with the reference backend.
    fn default() -> Self {
        SolveOptions {
            backend: LpBackend::Reference,
            ceasefire: true,
            patron_game: true,
        }
    }
}

impl SolveOptions {
    /// For sweeps: the fast backend, the ceasefire chain, no patron game.
    pub fn sweep() -> Self {
        SolveOptions {
            backend: LpBackend::Vertex,
            ceasefire: true,
            patron_game: false,
        }
    }
}

/// Entries in the model file's order, serialised as a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct Named<T>(pub Vec<(String, T)>);

impl<T> Named<T> {
    pub fn get(&self, name: &str) -> Option<&T> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
    pub fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v))
    }
}

impl<T: Serialize> Serialize for Named<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The model's answer (see the module documentation for its JSON form).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ModelSolution {
    /// The scenario solved.
    pub scenario: String,
    /// Each dyad's policies and the clients' responses, by dyad name.
    pub dyads: Named<DyadSolution>,
    /// The ceasefire chain's answer, when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ceasefire: Option<Ceasefire>,
    /// The patron game's equilibria, when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patron_game: Option<PatronGameReport>,
}

/// The chain under the three policy sets.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Ceasefire {
    /// Every patron plays its optimal policy.
    pub optimal: ChainReport,
    /// Every patron plays x = 0.
    pub unconditional: ChainReport,
    /// Every dyad's status-quo policy; a dyad whose file states none counts as unconditional
    /// (the spec's reading of the status quo: patrons "who did not use their levers").
    pub status_quo: ChainReport,
}

/// [`ChainOutcome`] with the risk shares named by dyad.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChainReport {
    pub p_hold: f64,
    pub expected_weeks: f64,
    pub p_regional_war: f64,
    pub survival: Vec<f64>,
    pub risk_share: Named<f64>,
}

/// The patron game as reported.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PatronGameReport {
    pub postures: Vec<String>,
    /// Per patron, `[row posture][column posture]`.
    pub payoffs: Named<[[f64; 3]; 3]>,
    /// Per equilibrium, each patron's mix over the postures.
    pub equilibria: Vec<Named<[f64; 3]>>,
    /// The logit QRE, when `patron_game.logit_lambda` is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qre: Option<QreReport>,
    /// The welfare-maximising correlated equilibrium: what a mediator could propose.
    pub correlated: CorrelatedReport,
    #[serde(skip)]
    pub pure_equilibria: Vec<[usize; 2]>,
    #[serde(skip)]
    pub pareto_efficient: Vec<[usize; 2]>,
    /// The game itself (e.g. to write as `.nfg`).
    #[serde(skip)]
    pub game: StrategicGame,
}

/// The posture game's logit QRE: `{"lambda", patron: mix, …}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QreReport {
    pub lambda: f64,
    #[serde(flatten)]
    pub mixes: Named<[f64; 3]>,
}

/// The welfare-maximising correlated equilibrium of the posture game.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CorrelatedReport {
    /// `[row posture][column posture]`: probability the mediator recommends that pair.
    pub distribution: [[f64; 3]; 3],
    /// Sum of both patrons' expected payoffs.
    pub welfare: f64,
    /// Each patron's expected payoff.
    pub payoffs: Named<f64>,
    /// Certified in exact arithmetic (else within float tolerance).
    #[serde(skip)]
    pub exact: bool,
}

/// Solve everything with the reference backend.
pub fn solve_model(model: &Model) -> Result<ModelSolution> {
    solve_model_with(model, &SolveOptions::default())
}

/// Solve the parts `options` asks for.
pub fn solve_model_with(model: &Model, options: &SolveOptions) -> Result<ModelSolution> {
    let solver = options.backend.solver();
    let solved: Vec<(DyadGame, DyadSolution)> = model
        .dyads
        .iter()
        .map(|d| solve_dyad(d, solver))
        .collect::<Result<_>>()?;
    let ceasefire = if options.ceasefire {
        Some(ceasefire(model, &solved)?)
    } else {
        None
    };
    let patron_game = if options.patron_game {
        Some(patron_game(model, &solved)?)
    } else {
        None
    };
    Ok(ModelSolution {
        scenario: model.scenario.clone(),
        dyads: Named(
            model
                .dyads
                .iter()
                .zip(solved)
                .map(|(d, (_, s))| (d.name.clone(), s))
                .collect(),
        ),
        ceasefire,
        patron_game,
    })
}

/// How a dyad's clients respond to a policy: the outcome, and the chain's view of the client.
/// Best-responding clients follow the tie rule ([`DyadGame::evaluate`]); logit clients mix.
pub(crate) fn respond(
    dyad: &Dyad,
    game: &DyadGame,
    x: &Policy,
) -> Result<(PolicyOutcome, ChainClient)> {
    match dyad.behaviour {
        Behaviour::BestResponse => {
            let outcome = game.evaluate(x);
            let client = ChainClient::new(&dyad.name, &dyad.params, outcome.actions)?;
            Ok((outcome, client))
        }
        Behaviour::Logit { lambda } => {
            let (outcome, mixtures) = logit_outcome(game, lambda, x);
            Ok((
                outcome,
                mixed_chain_client(&dyad.name, &dyad.params, &mixtures)?,
            ))
        }
    }
}

fn ceasefire(model: &Model, solved: &[(DyadGame, DyadSolution)]) -> Result<Ceasefire> {
    let run = |pick: &dyn Fn(&DyadSolution) -> Policy| -> Result<ChainReport> {
        let clients = model
            .dyads
            .iter()
            .zip(solved)
            .map(|(d, (game, s))| Ok(respond(d, game, &pick(s))?.1))
            .collect::<Result<Vec<_>>>()?;
        Ok(report(model, run_chain(&model.chain, &clients)?))
    };
    let unconditional = run(&|s| s.unconditional.policy)?;
    let status_quo = if solved.iter().any(|(_, s)| s.status_quo.is_some()) {
        run(&|s| s.status_quo.unwrap_or(s.unconditional).policy)?
    } else {
        unconditional.clone()
    };
    Ok(Ceasefire {
        optimal: run(&|s| s.optimal.policy)?,
        unconditional,
        status_quo,
    })
}

fn report(model: &Model, c: ChainOutcome) -> ChainReport {
    let names = model.dyads.iter().map(|d| d.name.clone());
    ChainReport {
        p_hold: c.p_hold,
        expected_weeks: c.expected_weeks,
        p_regional_war: c.p_regional_war,
        survival: c.survival,
        risk_share: Named(names.zip(c.risk_share).collect()),
    }
}

fn patron_game(model: &Model, solved: &[(DyadGame, DyadSolution)]) -> Result<PatronGameReport> {
    let postures = model
        .dyads
        .iter()
        .zip(solved)
        .map(|(d, (game, s))| {
            let [a, b, c] = Posture::ALL
                .map(|p| respond(d, game, &p.policy(game.credibility(), &s.optimal.policy)));
            let [a, b, c] = [a?, b?, c?];
            Ok(DyadPostures {
                patron: d.patron.clone(),
                outcomes: [a.0, b.0, c.0],
                clients: [a.1, b.1, c.1],
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let g: PatronGame = solve_patron_game(model, &postures)?;
    fn named<T>(patrons: &[String; 2], pair: [T; 2]) -> Named<T> {
        Named(patrons.iter().cloned().zip(pair).collect())
    }
    Ok(PatronGameReport {
        postures: Posture::ALL.iter().map(|p| p.name().to_string()).collect(),
        payoffs: named(&g.patrons, g.payoffs),
        equilibria: g.equilibria.iter().map(|e| named(&g.patrons, *e)).collect(),
        qre: g.qre.map(|q| QreReport {
            lambda: q.lambda,
            mixes: named(&g.patrons, q.mixes),
        }),
        correlated: CorrelatedReport {
            distribution: g.correlated.distribution,
            welfare: g.correlated.welfare,
            payoffs: named(&g.patrons, g.correlated.payoffs),
            exact: g.correlated.exact,
        },
        pure_equilibria: g.pure_equilibria,
        pareto_efficient: g.pareto_efficient,
        game: g.game,
    })
}
