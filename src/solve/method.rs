//! The solver menu for strategic games, under Gambit's names, and the one entry point that
//! runs a solver and certifies every profile it returns before anyone sees it.

use crate::error::Result;
use crate::game::{certify_exact, Equilibrium, StrategicGame};
use crate::limits;
use crate::num::Q;
use crate::solve::approximate::{solve_approximate, Approximate, ApproximateOptions};
use crate::solve::deadline::{Deadline, NO_DEADLINE};
use crate::solve::gnm::{gnm_until, GnmOptions};
use crate::solve::{enummixed, enumpoly, enumpure, ipa, lcp, lp};
use std::fmt;

/// A strategic-game solver, named as in Gambit's command-line tools. It is `patron solve
/// --method`'s menu for strategic games: the names (and the help) come from this one
/// definition through [`clap::ValueEnum`], and [`fmt::Display`] prints the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "lower")]
pub enum Method {
    /// All pure equilibria (gambit-enumpure).
    EnumPure,
    /// All extreme equilibria of a 2-player game, exact (gambit-enummixed).
    EnumMixed,
    /// All isolated equilibria of a game with any number of players, by support enumeration
    /// and certified root isolation (gambit-enumpoly).
    EnumPoly,
    /// One equilibrium of a 2-player game by Lemke–Howson (gambit-lcp).
    Lcp,
    /// Value and optimal strategies of a 2-player constant-sum game (gambit-lp).
    Lp,
    /// One approximate equilibrium per start by simplicial subdivision, any number of players
    /// (gambit-simpdiv).
    Simpdiv,
    /// One approximate equilibrium per start by Lyapunov-function minimisation, any number of
    /// players (gambit-liap).
    Liap,
    /// The equilibria on the global Newton path of a perturbation, any number of players
    /// (gambit-gnm).
    Gnm,
    /// One equilibrium by iterated polymatrix approximation, any number of players (gambit-ipa).
    Ipa,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match menu_names().iter().find(|(_, m)| m == self) {
            Some((name, _)) => f.write_str(name),
            None => Err(fmt::Error),
        }
    }
}

/// Every menu entry with its `--method` name, taken from clap's menu once: clap builds an
/// entry's help text each time it is asked for the entry's name, which costs more than a
/// small solve (the Python package names its solver on every call).
fn menu_names() -> &'static [(String, Method)] {
    static NAMES: std::sync::OnceLock<Vec<(String, Method)>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        <Method as clap::ValueEnum>::value_variants()
            .iter()
            .filter_map(|&m| {
                let entry = clap::ValueEnum::to_possible_value(&m)?;
                Some((entry.get_name().to_string(), m))
            })
            .collect()
    })
}

/// Write a menu entry's `--method` name (every entry of a [`clap::ValueEnum`] that is not
/// skipped has one).
pub(crate) fn write_value_name(
    value: &impl clap::ValueEnum,
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    match value.to_possible_value() {
        Some(v) => f.write_str(v.get_name()),
        None => Err(fmt::Error),
    }
}

impl Method {
    /// The solver named `name` on the command line (`enumpure`, `lcp`, …), as clap would
    /// parse it (without building its help text).
    pub fn parse(name: &str) -> Option<Method> {
        menu_names()
            .iter()
            .find(|(known, _)| known == name)
            .map(|&(_, m)| m)
    }

    /// The solver `patron solve` uses when none is named: every extreme equilibrium for two
    /// players (`enummixed`), every isolated one for more (`enumpoly`) while the game has at
    /// most [`DEFAULT_ENUMPOLY_SUPPORT_PROFILES`] support profiles, else the pure ones
    /// (`enumpure`): a default should answer in seconds, and enumpoly on a random 5×5×5 game
    /// takes about a minute (it can still be asked for by name).
    pub fn default_for(game: &StrategicGame) -> Method {
        match game.num_players() {
            2 => Method::EnumMixed,
            n if n >= 3
                && enumpoly::check_limits(game)
                    .is_ok_and(|count| count <= DEFAULT_ENUMPOLY_SUPPORT_PROFILES) =>
            {
                Method::EnumPoly
            }
            _ => Method::EnumPure,
        }
    }
}

/// Most support profiles for which `enumpoly` is the default solver of a game with three or
/// more players: covers 4×4×4 (3,375 profiles), 3×3×3×3 (2,401) and Gambit's 5×4×3 example
/// (3,255), each solved in under a second.
pub const DEFAULT_ENUMPOLY_SUPPORT_PROFILES: u128 = 4_096;

/// Everything a solver takes besides the game and the method, for strategic games and
/// game trees alike: each method reads the fields that concern it (`patron solve` refuses a
/// flag whose field the method would not read, see `crate::cli::solve_mode`).
#[derive(Debug, Clone)]
pub struct SolveOptions<'d> {
    /// `lcp`: report the distinct equilibria reached from every dropped label, not just the first.
    pub all_labels: bool,
    /// `simpdiv` and `liap`: start profiles and their options.
    pub approximate: ApproximateOptions,
    /// `lcp`: follow this dropped label only instead of racing several (`--label K`).
    pub label: Option<usize>,
    /// `gnm` and `ipa`: the perturbation and the tracer's settings.
    pub gnm: GnmOptions,
    /// When the enumerating and approximate solvers stop and return what they found so far,
    /// marked incomplete (`complete: false`); solvers that do bounded work ignore it. It is
    /// shared by reference so that another thread can stop a run ([`Deadline::stop`]).
    pub deadline: &'d Deadline,
}

impl Default for SolveOptions<'_> {
    /// No deadline, and every solver's own defaults.
    fn default() -> Self {
        SolveOptions {
            all_labels: false,
            approximate: ApproximateOptions::default(),
            label: None,
            gnm: GnmOptions::default(),
            deadline: &NO_DEADLINE,
        }
    }
}

impl SolveOptions<'_> {
    /// The time budget a run gets when the user names none: [`limits::LCP_DEFAULT_SECONDS`]
    /// for one `lcp` equilibrium, whose paths have no useful bound in pivots; none otherwise.
    pub fn default_budget(&self, method: Method) -> Option<std::time::Duration> {
        (method == Method::Lcp && !self.all_labels)
            .then(|| std::time::Duration::from_secs(limits::LCP_DEFAULT_SECONDS))
    }
}

/// Certified equilibria, plus each player's value for `lp`.
#[derive(Debug, Clone)]
pub struct Solved {
    /// Every certified equilibrium found.
    pub equilibria: Vec<Equilibrium>,
    /// `lp`: each player's value, as text.
    pub values: Option<Vec<String>>,
    /// False when a deadline stopped the solver, or `enumpoly` met equilibria that are not
    /// isolated: `equilibria` is then part of the answer.
    pub complete: bool,
    /// One-equilibrium `lcp`: how far each dropped label's path got.
    pub lcp_labels: Option<Vec<lcp::LabelProgress>>,
}

/// Run `method` on `game` with `options` (its deadline included); every returned profile has
/// passed certification. `enummixed`, `enumpoly`, `gnm`, `ipa`, `lcp`, `simpdiv` and `liap`
/// stop at the deadline with what they found so far (`complete: false`); the other solvers do
/// bounded work and ignore it.
pub fn solve_strategic(
    game: &StrategicGame,
    method: Method,
    options: &SolveOptions,
) -> Result<Solved> {
    let deadline = options.deadline;
    let exact = |profiles: Vec<Vec<Vec<Q>>>| -> Result<Vec<Equilibrium>> {
        profiles
            .into_iter()
            .map(|p| certify_exact(game, p).map(Equilibrium::Exact))
            .collect()
    };
    let equilibria = match method {
        Method::EnumPure => exact(
            enumpure::enumpure(game)?
                .iter()
                .map(|s| pure_profile(game, s))
                .collect(),
        )?,
        Method::EnumMixed => exact(enummixed::enummixed_until(game, deadline)?)?,
        Method::EnumPoly => {
            let found = enumpoly::enumpoly_until(game, deadline)?;
            return Ok(Solved {
                equilibria: found.equilibria,
                values: None,
                complete: found.complete,
                lcp_labels: None,
            });
        }
        Method::Simpdiv | Method::Liap => {
            let which = if method == Method::Simpdiv {
                Approximate::Simpdiv
            } else {
                Approximate::Liap
            };
            let (equilibria, complete) =
                solve_approximate(game, which, &options.approximate, deadline)?;
            return Ok(Solved {
                equilibria,
                values: None,
                complete: complete && !deadline.was_reached(),
                lcp_labels: None,
            });
        }
        // lcp certifies each path's end itself, to fall back to the next label (or to exact
        // pivoting) when a rounded path does not end at an equilibrium; it hands on
        // `certify_exact`'s own result, which no solver can construct, so it is not redone.
        Method::Lcp if options.all_labels => lcp::lcp_all_until(game, deadline)?
            .into_iter()
            .map(Equilibrium::Exact)
            .collect(),
        Method::Lcp => {
            let labels = options.label.map_or(lcp::Labels::Race, lcp::Labels::Pinned);
            let one = lcp::lcp_one(game, labels, deadline)?;
            return Ok(Solved {
                complete: one.equilibrium.is_some(),
                equilibria: one
                    .equilibrium
                    .into_iter()
                    .map(Equilibrium::Exact)
                    .collect(),
                values: None,
                lcp_labels: Some(one.labels),
            });
        }
        Method::Gnm => {
            let found = gnm_until(game, &options.gnm, deadline)?;
            return Ok(Solved {
                equilibria: found.equilibria,
                values: None,
                complete: found.complete,
                lcp_labels: None,
            });
        }
        Method::Ipa => {
            let found = ipa::ipa_until(game, options.gnm.perturbation.as_ref(), deadline)?;
            return Ok(Solved {
                complete: found.is_some(),
                equilibria: found.into_iter().collect(),
                values: None,
                lcp_labels: None,
            });
        }
        Method::Lp => {
            let solution = lp::lp(game)?;
            return Ok(Solved {
                equilibria: vec![solution.equilibrium],
                values: Some(solution.values),
                complete: true,
                lcp_labels: None,
            });
        }
    };
    Ok(Solved {
        equilibria,
        values: None,
        complete: !deadline.was_reached(),
        lcp_labels: None,
    })
}

/// The mixed profile that plays the pure profile `strategies` with certainty.
pub fn pure_profile(game: &StrategicGame, strategies: &[usize]) -> Vec<Vec<Q>> {
    strategies
        .iter()
        .enumerate()
        .map(|(p, &s)| {
            (0..game.num_strategies(p))
                .map(|k| if k == s { Q::ONE } else { Q::ZERO })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Method;
    use clap::ValueEnum;

    /// The cached names give clap's own answer, for every menu name and for names that are
    /// not on it (a tree method, a wrong case, a prefix).
    #[test]
    fn parse_agrees_with_clap() {
        let names = Method::value_variants()
            .iter()
            .map(|m| m.to_string())
            .chain(["spe", "LCP", "enum", ""].map(String::from));
        for name in names {
            assert_eq!(
                Method::parse(&name),
                Method::from_str(&name, false).ok(),
                "{name}"
            );
        }
        assert_eq!(Method::parse("enummixed"), Some(Method::EnumMixed));
    }

    /// Display prints clap's name of each entry (what `--method` accepts).
    #[test]
    fn display_is_clap_name() {
        for m in Method::value_variants() {
            let clap_name = m.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(m.to_string(), clap_name);
        }
        assert_eq!(Method::Lcp.to_string(), "lcp");
    }
}
