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
    /// R, K, E in the spec's order (the index order of every per-action array).
    pub const ALL: [Action; 3] = [Action::R, Action::K, Action::E];
    /// 0, 1, 2 for R, K, E: the index into per-action arrays.
    pub fn index(self) -> usize {
        self as usize
    }
    /// The spec's letter: `R`, `K` or `E`.
    pub fn name(self) -> &'static str {
        ["R", "K", "E"][self as usize]
    }
}

/// The signal a patron observes, in the spec's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    /// ŷ = quiet: what standing down (R) shows, unless a spoiler fires (ν).
    Quiet = 0,
    /// ŷ = incident: what calibrated pressure (K) shows, and R with a spoiler.
    Incident = 1,
    /// ŷ = major: what escalation (E) always shows, and K by accident (ε̄).
    Major = 2,
}

impl Signal {
    /// Quiet, incident, major: the index order of a policy x.
    pub const ALL: [Signal; 3] = [Signal::Quiet, Signal::Incident, Signal::Major];
    /// The name used in files and JSON: `quiet`, `incident` or `major`.
    pub fn name(self) -> &'static str {
        ["quiet", "incident", "major"][self as usize]
    }
}

/// The client's private type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientType {
    /// θ = aligned: gains `gain_aligned` (prior 1 − π).
    Aligned = 0,
    /// θ = autonomous: gains `gain_autonomous` (prior π, `prior_autonomous`).
    Autonomous = 1,
}

impl ClientType {
    /// Aligned, autonomous: the index order of per-type arrays.
    pub const ALL: [ClientType; 2] = [ClientType::Aligned, ClientType::Autonomous];
    /// The name used in files and JSON: `aligned` or `autonomous`.
    pub fn name(self) -> &'static str {
        ["aligned", "autonomous"][self as usize]
    }
}

/// A quantity defined for the two non-trivial actions K and E (its value at R is 0 by the spec).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PerAction {
    /// The value at K (calibrated pressure).
    pub k: f64,
    /// The value at E (escalation).
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
    Logit {
        /// λ: 0 is uniform play; as λ → ∞ play approaches the best response.
        lambda: f64,
    },
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
    /// g_aligned(K), g_aligned(E): the aligned client's gain from each action.
    pub gain_aligned: PerAction,
    /// g_autonomous(K), g_autonomous(E): the autonomous client's gain from each action.
    pub gain_autonomous: PerAction,
    /// r(K), r(E): what the adversary's response costs the client.
    pub retaliation: PerAction,
    /// w(K), w(E): what each action is worth to the patron.
    pub patron_value: PerAction,
    /// ω_K, ω_E: chance that a major event after the action becomes a regional war.
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
    /// The dyad's numeric parameters.
    pub params: DyadParams,
    /// The policy the patron follows today, if the file states one.
    pub status_quo: Option<Policy>,
    /// How the client responds to a policy: best response or logit.
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
    /// The scenario these values come from (its name in the model file).
    pub scenario: String,
    /// The dyads, in model-file order.
    pub dyads: Vec<Dyad>,
    /// The ceasefire chain's parameters (layer 2).
    pub chain: ChainParams,
    /// The patron game's parameters (layer 3).
    pub patron_game: PatronGameParams,
}
