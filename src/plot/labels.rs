//! Axis and legend labels: a column's dotted path in words, with its symbol and unit.
//!
//! One name means one thing everywhere (`docs/spec.md`, layer 4): a path is
//! `dyads.<dyad>.<name>`, `chain.<name>`, `patron_game.ceasefire_value.<patron>` for parameters,
//! and `ceasefire.<policy set>.<output>` or `dyads.<dyad>.<policy set>.<output>` for outputs.
//! Unknown names fall back to the path itself, so a new column is never mislabelled.

/// A name in words: `short` for tight spots (bar labels, legends), `long` for axes.
struct Entry {
    key: &'static str,
    short: &'static str,
    long: &'static str,
}

const fn entry(key: &'static str, short: &'static str, long: &'static str) -> Entry {
    Entry { key, short, long }
}

/// The dyad parameters (spec, layer 1 and the per-client part of layer 2).
const DYAD_PARAMETERS: &[Entry] = &[
    entry(
        "prior_autonomous",
        "prior π",
        "prior π that the client is autonomous",
    ),
    entry(
        "dependence",
        "dependence s",
        "client's dependence s (cost of a sanction)",
    ),
    entry(
        "monitoring",
        "monitoring m",
        "monitoring m (P(patron sees the true signal))",
    ),
    entry(
        "lethality",
        "lethality ε",
        "lethality ε (P(one calibrated attack kills))",
    ),
    entry(
        "attacks_per_week",
        "attacks n",
        "calibrated attacks per week n",
    ),
    entry(
        "spoiler_rate",
        "spoiler rate ν",
        "spoiler rate ν (P(incident) while standing down)",
    ),
    entry(
        "credibility",
        "credibility φ",
        "credibility φ (cap on a sanction probability)",
    ),
    entry(
        "sanction_cost",
        "sanction cost k",
        "patron's cost of a sanction k",
    ),
    entry(
        "war_cost",
        "war cost W",
        "patron's cost of a regional war W",
    ),
    entry(
        "breaks_ceasefire",
        "break chance β",
        "β: P(a major event breaks the ceasefire)",
    ),
    entry(
        "gain.aligned.K",
        "gain g(K), aligned",
        "aligned client's gain from K",
    ),
    entry(
        "gain.aligned.E",
        "gain g(E), aligned",
        "aligned client's gain from E",
    ),
    entry(
        "gain.autonomous.K",
        "gain g(K), autonomous",
        "autonomous client's gain from K",
    ),
    entry(
        "gain.autonomous.E",
        "gain g(E), autonomous",
        "autonomous client's gain from E",
    ),
    entry(
        "retaliation.K",
        "retaliation r(K)",
        "adversary's retaliation r(K) against K",
    ),
    entry(
        "retaliation.E",
        "retaliation r(E)",
        "adversary's retaliation r(E) against E",
    ),
    entry(
        "patron_value.K",
        "patron value w(K)",
        "patron's value w(K) of calibrated pressure",
    ),
    entry(
        "patron_value.E",
        "patron value w(E)",
        "patron's value w(E) of escalation",
    ),
    entry(
        "war_risk.K",
        "war risk ω(K)",
        "ω(K): P(a major event after K becomes regional war)",
    ),
    entry(
        "war_risk.E",
        "war risk ω(E)",
        "ω(E): P(a major event after E becomes regional war)",
    ),
];

/// The ceasefire chain's parameters (spec, layer 2).
const CHAIN_PARAMETERS: &[Entry] = &[
    entry("horizon_weeks", "horizon T", "horizon T (weeks)"),
    entry(
        "baseline_hazard",
        "baseline hazard h₀",
        "baseline weekly break risk h₀",
    ),
    entry(
        "tension_multiplier",
        "tension multiplier μ",
        "hazard multiplier μ under tension",
    ),
    entry(
        "recovery",
        "recovery ρ",
        "recovery ρ (weekly P(tension → calm))",
    ),
];

/// The patron game's per-patron parameter (spec, layer 3), after `patron_game.`.
const PATRON_PARAMETER: Entry = entry(
    "ceasefire_value",
    "ceasefire value Z",
    "patron's value Z of the ceasefire",
);

/// Outputs of `patron solve` and `patron sweep`, after the policy set.
const OUTPUTS: &[Entry] = &[
    entry("p_hold", "P(hold)", "P(ceasefire holds to the horizon)"),
    entry(
        "expected_weeks",
        "expected weeks",
        "expected weeks in force",
    ),
    entry(
        "p_regional_war",
        "P(regional war)",
        "P(regional war by the horizon)",
    ),
    entry(
        "value_of_commitment",
        "value of commitment",
        "patron's value of commitment (utility)",
    ),
    entry(
        "patron_utility",
        "patron utility",
        "patron's expected utility",
    ),
    entry("policy.quiet", "x(quiet)", "P(sanction | quiet observed)"),
    entry(
        "policy.incident",
        "x(incident)",
        "P(sanction | incident observed)",
    ),
    entry(
        "policy.major",
        "x(major)",
        "P(sanction | major event observed)",
    ),
];

/// The policy sets a path may name, in words.
const POLICY_SETS: &[(&str, &str)] = &[
    ("optimal", "optimal policies"),
    ("unconditional", "unconditional (no sanctions)"),
    ("status_quo", "status quo policies"),
    ("red_lines", "red lines"),
];

/// The survival plot's axes.
pub const WEEK: &str = "week";
pub const SURVIVAL: &str = "P(ceasefire still holds at week t)";

/// A column's name in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub short: String,
    pub long: String,
}

/// `path` in words: owner (dyad or patron), quantity, policy set; the path itself if unknown.
pub fn describe(path: &str) -> Label {
    let parts = split(path);
    let found = match parts.scope {
        Scope::Dyad if parts.set.is_none() => find(DYAD_PARAMETERS, &parts.rest),
        Scope::Chain => find(CHAIN_PARAMETERS, &parts.rest),
        Scope::Patron => Some(&PATRON_PARAMETER),
        _ => find(OUTPUTS, &parts.rest),
    };
    let Some(e) = found else {
        return Label {
            short: path.to_string(),
            long: path.to_string(),
        };
    };
    let owner = parts.owner.map(|o| format!("{o}: ")).unwrap_or_default();
    let set = parts.set.map(|s| format!(", {s}")).unwrap_or_default();
    Label {
        short: format!("{owner}{}{set}", e.short),
        long: format!("{owner}{}{set}", e.long),
    }
}

/// A policy set's key in words (`optimal` → "optimal policies"); the key itself if unknown.
pub fn policy_set(key: &str) -> &str {
    POLICY_SETS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, words)| words)
}

/// Whether `path` names a model parameter (an input a sweep varies) rather than an output.
pub fn is_parameter(path: &str) -> bool {
    let parts = split(path);
    match parts.scope {
        Scope::Dyad => parts.set.is_none() && find(DYAD_PARAMETERS, &parts.rest).is_some(),
        Scope::Chain => find(CHAIN_PARAMETERS, &parts.rest).is_some(),
        Scope::Patron => true,
        Scope::Other => false,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Dyad,
    Chain,
    Patron,
    Other,
}

/// A path cut into owner, policy set and the quantity's own name.
struct Parts<'a> {
    scope: Scope,
    owner: Option<&'a str>,
    set: Option<&'static str>,
    rest: String,
}

fn split(path: &str) -> Parts<'_> {
    let segs: Vec<&str> = path.split('.').collect();
    let (scope, owner, rest) = match segs.as_slice() {
        ["dyads", dyad, rest @ ..] if !rest.is_empty() => (Scope::Dyad, Some(*dyad), rest),
        ["chain", rest @ ..] => (Scope::Chain, None, rest),
        ["patron_game", "ceasefire_value", patron] => (Scope::Patron, Some(*patron), &[][..]),
        ["ceasefire", rest @ ..] => (Scope::Other, None, rest),
        rest => (Scope::Other, None, rest),
    };
    let (set, rest) = match rest {
        [first, tail @ ..] => match POLICY_SETS.iter().find(|(k, _)| k == first) {
            Some((_, words)) => (Some(*words), tail),
            None => (None, rest),
        },
        [] => (None, rest),
    };
    Parts {
        scope,
        owner,
        set,
        rest: rest.join("."),
    }
}

fn find<'t>(table: &'t [Entry], key: &str) -> Option<&'t Entry> {
    table.iter().find(|e| e.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_and_outputs_are_told_apart() {
        assert!(is_parameter("dyads.us_israel.dependence"));
        assert!(is_parameter("dyads.iran_hamas.war_risk.K"));
        assert!(is_parameter("chain.recovery"));
        assert!(is_parameter("patron_game.ceasefire_value.us"));
        assert!(!is_parameter("ceasefire.optimal.p_hold"));
        assert!(!is_parameter("dyads.us_israel.optimal.policy.major"));
        assert!(!is_parameter("dyads.iran_hamas.value_of_commitment"));
        assert!(!is_parameter("dyads.us_israel.nonsense"));
    }

    #[test]
    fn labels_name_owner_quantity_and_policy_set() {
        assert_eq!(
            describe("dyads.us_israel.dependence").long,
            "us_israel: client's dependence s (cost of a sanction)"
        );
        assert_eq!(
            describe("ceasefire.optimal.p_hold").long,
            "P(ceasefire holds to the horizon), optimal policies"
        );
        assert_eq!(
            describe("dyads.us_israel.optimal.policy.major").short,
            "us_israel: x(major), optimal policies"
        );
        assert_eq!(describe("chain.recovery").short, "recovery ρ");
    }

    #[test]
    fn unknown_paths_fall_back_to_themselves() {
        for p in [
            "foo",
            "dyads.x",
            "ceasefire.optimal.whatever",
            "chain.dependence",
            "",
        ] {
            assert_eq!(describe(p).long, p);
        }
    }
}
