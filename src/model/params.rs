//! The parameters of the patron–client model (`docs/spec.md`), as plain numbers.
//!
//! This is the solved-for view: a model file (with ranges, sources and scenarios) is turned into
//! a [`Model`] by `model::file`, and `model::paths` reads and writes single parameters by path.

/// A client's action, in the spec's order R < K < E.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// Stand down.
    R = 0,
    /// Calibrated pressure inside the patron's red lines.
    K = 1,
    /// Escalate across them.
    E = 2,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::R, Action::K, Action::E];
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn name(self) -> &'static str {
        ["R", "K", "E"][self as usize]
    }
}

/// The signal a patron observes, in the spec's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    Quiet = 0,
    Incident = 1,
    Major = 2,
}

impl Signal {
    pub const ALL: [Signal; 3] = [Signal::Quiet, Signal::Incident, Signal::Major];
    pub fn name(self) -> &'static str {
        ["quiet", "incident", "major"][self as usize]
    }
}

/// The client's private type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientType {
    Aligned = 0,
    Autonomous = 1,
}

impl ClientType {
    pub const ALL: [ClientType; 2] = [ClientType::Aligned, ClientType::Autonomous];
    pub fn name(self) -> &'static str {
        ["aligned", "autonomous"][self as usize]
    }
}

/// A quantity defined for the two non-trivial actions K and E (its value at R is 0 by the spec).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PerAction {
    pub k: f64,
    pub e: f64,
}

/// A restraint policy: probability of sanctioning after each observed signal (quiet, incident, major).
pub type Policy = [f64; 3];

/// How clients respond to a policy (spec, layer 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Behaviour {
    /// Exact best response with the spec's tie rule (strong Bayesian Stackelberg).
    BestResponse,
    /// Logit quantal response with precision λ.
    Logit { lambda: f64 },
}

/// One patron–client dyad's parameters (spec, layer 1 and the per-client part of layer 2).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DyadParams {
    /// π: prior probability that the client is autonomous.
    pub prior_autonomous: f64,
    /// s: what a sanction costs the client.
    pub dependence: f64,
    /// m: probability the patron sees the true signal.
    pub monitoring: f64,
    /// ε: chance one calibrated attack kills by accident.
    pub lethality: f64,
    /// n: calibrated attacks per week.
    pub attacks_per_week: f64,
    /// ν: chance that standing down still shows an incident.
    pub spoiler_rate: f64,
    /// φ: cap on every sanction probability.
    pub credibility: f64,
    /// k: what a sanction costs the patron.
    pub sanction_cost: f64,
    /// W: the patron's cost of a regional war.
    pub war_cost: f64,
    /// β: chance a major event breaks the ceasefire.
    pub breaks_ceasefire: f64,
    pub gain_aligned: PerAction,
    pub gain_autonomous: PerAction,
    pub retaliation: PerAction,
    pub patron_value: PerAction,
    pub war_risk: PerAction,
}

/// A dyad as named in the model file.
#[derive(Debug, Clone, PartialEq)]
pub struct Dyad {
    /// Key in the model file, e.g. `iran_hamas`.
    pub name: String,
    /// Key of the patron, e.g. `iran` or `us` (matches `patron_game.ceasefire_value.<patron>`).
    pub patron: String,
    /// Display name of the client, e.g. `Hamas`.
    pub client: String,
    pub params: DyadParams,
    /// The policy the patron follows today, if the file states one.
    pub status_quo: Option<Policy>,
    pub behaviour: Behaviour,
}

/// The ceasefire chain's parameters (spec, layer 2).
#[derive(Debug, Clone, PartialEq)]
pub struct ChainParams {
    /// T: horizon in weeks.
    pub horizon_weeks: u32,
    /// h₀: weekly break risk that no modelled choice explains.
    pub baseline_hazard: f64,
    /// μ ≥ 1: hazard multiplier in the Tension state.
    pub tension_multiplier: f64,
    /// ρ: chance Tension returns to Calm in a week without a break.
    pub recovery: f64,
}

/// The patron game's parameters (spec, layer 3).
#[derive(Debug, Clone, PartialEq)]
pub struct PatronGameParams {
    /// Z_P per patron key, in the order the patrons appear (row player first).
    pub ceasefire_value: Vec<(String, f64)>,
    /// Precision of the patron game's logit QRE, when requested.
    pub logit_lambda: Option<f64>,
}

/// A fully instantiated model: one scenario with every override applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub scenario: String,
    pub dyads: Vec<Dyad>,
    pub chain: ChainParams,
    pub patron_game: PatronGameParams,
}
