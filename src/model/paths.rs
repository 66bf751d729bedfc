//! Parameter paths: one name for every number of a [`Model`] (`docs/spec.md`, layer 4).
//!
//! A path is `dyads.<dyad>.<name>`, `chain.<name>` or `patron_game.ceasefire_value.<patron>`. The
//! same names key the model file, scenario overrides, `--set`, sweeps and tornado charts. Sweeps set
//! parameters millions of times, so a path is resolved once into a [`ParamPath`] handle whose
//! [`ParamPath::apply`] is a `match` and a store, with the parameter's own domain checked on the way.

use super::params::{DyadParams, Model};
use crate::{Error, Result};

/// The values a parameter may take on its own, before any relation with other parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// A probability in [0, 1].
    Probability,
    /// A cost, dependence or rate: ≥ 0.
    NonNegative,
    /// A multiplier ≥ 1 (the tension multiplier μ).
    AtLeastOne,
    /// A whole number of weeks, 1 ..= `limits::MAX_HORIZON_WEEKS`.
    Weeks,
    /// Any finite number (gains, payoffs).
    Real,
}

impl Domain {
    /// `Err(reason)` if `v` is outside the domain; non-finite numbers are outside every domain.
    pub fn check(self, v: f64) -> std::result::Result<(), String> {
        if !v.is_finite() {
            return Err(format!("{v} is not a finite number"));
        }
        let ok = match self {
            Domain::Probability => (0.0..=1.0).contains(&v),
            Domain::NonNegative => v >= 0.0,
            Domain::AtLeastOne => v >= 1.0,
            Domain::Weeks => {
                v.fract() == 0.0 && v >= 1.0 && v <= crate::limits::MAX_HORIZON_WEEKS as f64
            }
            Domain::Real => true,
        };
        if ok {
            Ok(())
        } else {
            Err(format!("{v} is not {}", self.describe()))
        }
    }

    /// The domain in words, for error messages.
    pub fn describe(self) -> String {
        match self {
            Domain::Probability => "a probability in [0, 1]".into(),
            Domain::NonNegative => "≥ 0".into(),
            Domain::AtLeastOne => "≥ 1".into(),
            Domain::Weeks => format!(
                "a whole number of weeks from 1 to {}",
                crate::limits::MAX_HORIZON_WEEKS
            ),
            Domain::Real => "a finite number".into(),
        }
    }
}

/// Declares the dyad parameters once: their path names, domains and the fields they live in.
macro_rules! dyad_fields {
    ($($variant:ident => $name:literal, $domain:ident, $($field:ident).+;)*) => {
        /// One of a dyad's twenty parameters.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum DyadField { $($variant),* }

        impl DyadField {
            /// Every dyad parameter, in the order model files and listings use.
            pub const ALL: &'static [DyadField] = &[$(DyadField::$variant),*];

            /// The name after `dyads.<dyad>.`.
            pub fn name(self) -> &'static str {
                match self { $(DyadField::$variant => $name),* }
            }

            pub fn domain(self) -> Domain {
                match self { $(DyadField::$variant => Domain::$domain),* }
            }

            pub fn get(self, p: &DyadParams) -> f64 {
                match self { $(DyadField::$variant => p.$($field).+),* }
            }

            fn slot(self, p: &mut DyadParams) -> &mut f64 {
                match self { $(DyadField::$variant => &mut p.$($field).+),* }
            }
        }
    };
}

dyad_fields! {
    PriorAutonomous => "prior_autonomous", Probability, prior_autonomous;
    Dependence => "dependence", NonNegative, dependence;
    Monitoring => "monitoring", Probability, monitoring;
    Lethality => "lethality", Probability, lethality;
    AttacksPerWeek => "attacks_per_week", NonNegative, attacks_per_week;
    SpoilerRate => "spoiler_rate", Probability, spoiler_rate;
    Credibility => "credibility", Probability, credibility;
    SanctionCost => "sanction_cost", NonNegative, sanction_cost;
    WarCost => "war_cost", NonNegative, war_cost;
    BreaksCeasefire => "breaks_ceasefire", Probability, breaks_ceasefire;
    GainAlignedK => "gain.aligned.K", Real, gain_aligned.k;
    GainAlignedE => "gain.aligned.E", Real, gain_aligned.e;
    GainAutonomousK => "gain.autonomous.K", Real, gain_autonomous.k;
    GainAutonomousE => "gain.autonomous.E", Real, gain_autonomous.e;
    RetaliationK => "retaliation.K", Real, retaliation.k;
    RetaliationE => "retaliation.E", Real, retaliation.e;
    PatronValueK => "patron_value.K", Real, patron_value.k;
    PatronValueE => "patron_value.E", Real, patron_value.e;
    WarRiskK => "war_risk.K", Probability, war_risk.k;
    WarRiskE => "war_risk.E", Probability, war_risk.e;
}

impl DyadField {
    /// The field with this name, if any.
    pub fn from_name(name: &str) -> Option<DyadField> {
        DyadField::ALL.iter().copied().find(|f| f.name() == name)
    }
}

/// One of the ceasefire chain's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChainField {
    HorizonWeeks,
    BaselineHazard,
    TensionMultiplier,
    Recovery,
}

impl ChainField {
    pub const ALL: &'static [ChainField] = &[
        ChainField::HorizonWeeks,
        ChainField::BaselineHazard,
        ChainField::TensionMultiplier,
        ChainField::Recovery,
    ];

    /// The name after `chain.`.
    pub fn name(self) -> &'static str {
        match self {
            ChainField::HorizonWeeks => "horizon_weeks",
            ChainField::BaselineHazard => "baseline_hazard",
            ChainField::TensionMultiplier => "tension_multiplier",
            ChainField::Recovery => "recovery",
        }
    }

    pub fn domain(self) -> Domain {
        match self {
            ChainField::HorizonWeeks => Domain::Weeks,
            ChainField::BaselineHazard | ChainField::Recovery => Domain::Probability,
            ChainField::TensionMultiplier => Domain::AtLeastOne,
        }
    }

    pub fn from_name(name: &str) -> Option<ChainField> {
        ChainField::ALL.iter().copied().find(|f| f.name() == name)
    }
}

/// A parameter path resolved against one model's dyads and patrons: cheap to apply repeatedly.
///
/// Indices refer to the model it was parsed against (or any model instantiated from the same file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamPath {
    /// `dyads.<dyad>.<field>`, the dyad by its index in `Model::dyads`.
    Dyad {
        /// Index of the dyad in `Model::dyads`.
        dyad: usize,
        /// Which of the dyad's parameters.
        field: DyadField,
    },
    /// `chain.<field>`.
    Chain(ChainField),
    /// `patron_game.ceasefire_value.<patron>`, by index in `PatronGameParams::ceasefire_value`.
    CeasefireValue(usize),
}

impl ParamPath {
    /// Resolve `path` against `model`; unknown dyads, patrons and names are a usage error listing the
    /// valid choices.
    pub fn parse(model: &Model, path: &str) -> Result<ParamPath> {
        ParamPath::resolve(model, path)
            .map_err(|why| Error::Usage(format!("parameter `{path}`: {why}")))
    }

    /// Like [`ParamPath::parse`], with the reason as plain text so the model file can add a position.
    pub fn resolve(model: &Model, path: &str) -> std::result::Result<ParamPath, String> {
        let (head, rest) = path.split_once('.').unwrap_or((path, ""));
        match head {
            "dyads" => {
                let (dyad_name, name) = rest.split_once('.').unwrap_or((rest, ""));
                let dyad = model
                    .dyads
                    .iter()
                    .position(|d| d.name == dyad_name)
                    .ok_or_else(|| {
                        let names: Vec<&str> =
                            model.dyads.iter().map(|d| d.name.as_str()).collect();
                        format!(
                            "unknown dyad `{dyad_name}`; the model has {}",
                            names.join(", ")
                        )
                    })?;
                let field = DyadField::from_name(name).ok_or_else(|| {
                    unknown_name(
                        name,
                        DyadField::ALL.iter().map(|f| f.name()),
                        "dyad parameter",
                    )
                })?;
                Ok(ParamPath::Dyad { dyad, field })
            }
            "chain" => ChainField::from_name(rest)
                .map(ParamPath::Chain)
                .ok_or_else(|| {
                    unknown_name(
                        rest,
                        ChainField::ALL.iter().map(|f| f.name()),
                        "chain parameter",
                    )
                }),
            "patron_game" => {
                let patron = rest.strip_prefix("ceasefire_value.").ok_or_else(|| {
                    unknown_name(
                        rest,
                        ["ceasefire_value.<patron>"].into_iter(),
                        "patron game parameter",
                    )
                })?;
                let values = &model.patron_game.ceasefire_value;
                values
                    .iter()
                    .position(|(p, _)| p == patron)
                    .map(ParamPath::CeasefireValue)
                    .ok_or_else(|| {
                        let names: Vec<&str> = values.iter().map(|(p, _)| p.as_str()).collect();
                        format!(
                            "unknown patron `{patron}`; the model has {}",
                            names.join(", ")
                        )
                    })
            }
            _ => Err(unknown_name(
                path,
                [
                    "dyads.<dyad>.<name>",
                    "chain.<name>",
                    "patron_game.ceasefire_value.<patron>",
                ]
                .into_iter(),
                "path",
            )),
        }
    }

    /// Every parameter of `model`, dyads first (in model order), then the chain, then the patron game.
    pub fn all(model: &Model) -> Vec<ParamPath> {
        let dyads = (0..model.dyads.len()).flat_map(|dyad| {
            DyadField::ALL
                .iter()
                .map(move |&field| ParamPath::Dyad { dyad, field })
        });
        let chain = ChainField::ALL.iter().map(|&f| ParamPath::Chain(f));
        let values = (0..model.patron_game.ceasefire_value.len()).map(ParamPath::CeasefireValue);
        dyads.chain(chain).chain(values).collect()
    }

    /// The path's text in `model`, e.g. `dyads.iran_hamas.gain.aligned.K`.
    pub fn name(&self, model: &Model) -> String {
        match *self {
            ParamPath::Dyad { dyad, field } => {
                format!("dyads.{}.{}", model.dyads[dyad].name, field.name())
            }
            ParamPath::Chain(f) => format!("chain.{}", f.name()),
            ParamPath::CeasefireValue(i) => {
                format!(
                    "patron_game.ceasefire_value.{}",
                    model.patron_game.ceasefire_value[i].0
                )
            }
        }
    }

    /// The values this parameter may take on its own.
    pub fn domain(&self) -> Domain {
        match *self {
            ParamPath::Dyad { field, .. } => field.domain(),
            ParamPath::Chain(f) => f.domain(),
            ParamPath::CeasefireValue(_) => Domain::Real,
        }
    }

    /// The parameter's current value in `model`.
    pub fn read(&self, model: &Model) -> f64 {
        match *self {
            ParamPath::Dyad { dyad, field } => field.get(&model.dyads[dyad].params),
            ParamPath::Chain(f) => {
                let c = &model.chain;
                match f {
                    ChainField::HorizonWeeks => f64::from(c.horizon_weeks),
                    ChainField::BaselineHazard => c.baseline_hazard,
                    ChainField::TensionMultiplier => c.tension_multiplier,
                    ChainField::Recovery => c.recovery,
                }
            }
            ParamPath::CeasefireValue(i) => model.patron_game.ceasefire_value[i].1,
        }
    }

    /// Set the parameter to `value` after checking its own `Domain` (relations between
    /// parameters, such as ω ≤ β, are `Model::validate`'s job).
    pub fn apply(&self, model: &mut Model, value: f64) -> Result<()> {
        self.domain()
            .check(value)
            .map_err(|why| Error::Usage(format!("{}: {why}", self.name(model))))?;
        match *self {
            ParamPath::Dyad { dyad, field } => *field.slot(&mut model.dyads[dyad].params) = value,
            ParamPath::Chain(f) => {
                let c = &mut model.chain;
                match f {
                    // Exact: the domain check admitted only whole numbers within the u32 limit.
                    ChainField::HorizonWeeks => c.horizon_weeks = value as u32,
                    ChainField::BaselineHazard => c.baseline_hazard = value,
                    ChainField::TensionMultiplier => c.tension_multiplier = value,
                    ChainField::Recovery => c.recovery = value,
                }
            }
            ParamPath::CeasefireValue(i) => model.patron_game.ceasefire_value[i].1 = value,
        }
        Ok(())
    }
}

/// "unknown <what> `name`" with a case-insensitive suggestion, else the list of valid names.
fn unknown_name<'a>(
    name: &str,
    valid: impl Iterator<Item = &'a str> + Clone,
    what: &str,
) -> String {
    match valid.clone().find(|v| v.eq_ignore_ascii_case(name)) {
        Some(close) => format!("unknown {what} `{name}` (did you mean `{close}`?)"),
        None => format!(
            "unknown {what} `{name}`; expected one of {}",
            valid.collect::<Vec<_>>().join(", ")
        ),
    }
}

impl Model {
    /// The value at `path` (see the module docs for the names).
    pub fn get(&self, path: &str) -> Result<f64> {
        Ok(ParamPath::parse(self, path)?.read(self))
    }

    /// Set the value at `path`; for repeated sets resolve a [`ParamPath`] once instead.
    pub fn set(&mut self, path: &str, value: f64) -> Result<()> {
        ParamPath::parse(self, path)?.apply(self, value)
    }
}
