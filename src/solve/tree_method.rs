//! The solver menu for game trees, and the one entry point that runs a tree solver and
//! certifies every behaviour profile it returns before anyone sees it (mirroring
//! [`crate::solve::method`] for strategic games).
//!
//! Certification is done twice, from the game alone:
//! * in the agent form: no information set's agent gains by changing its own action, with
//!   beliefs derived from the profile ([`ExtensiveGame::agent_regret`]);
//! * in the reduced strategic form: no player gains by switching to another pure strategy
//!   against Kuhn's equivalent mixed profile ([`ReducedMap::behavior_to_mixed`] and
//!   [`payoffs_and_regret`]); the expected payoffs computed on the tree and on the reduced
//!   form must also agree. When the reduced form is too big to build
//!   ([`limits::MAX_REDUCED_FORM_CERTIFICATION_WORK`]), the same regret is computed from
//!   sequence-form best responses instead (equal under perfect recall, Kuhn 1953).
//!
//! Both regrets must be exactly 0 for exact profiles, at most `tol::REGRET_F64` × the game's
//! payoff scale for float ones. The one exception is `enumpure --agent`
//! ([`TreeMethod::EnumPureAgent`]): an agent-form equilibrium need not be a Nash equilibrium
//! of the strategic form (a player may gain by changing actions at two of its information
//! sets at once), so there only the agent regret must be 0, and the reduced-form regret is
//! computed and reported, whatever it is. Its profiles are pure, so it also accepts games
//! without perfect recall (as Gambit does), as long as no play meets an information set twice.

use crate::error::{Error, Result};
use crate::game::reduced::{count_reduced_strategies, reduced_strategic_form, ReducedMap};
use crate::game::regret::{payoff_range, payoffs_and_regret};
use crate::game::tree::{Behavior, ExtensiveGame, SequenceForm};
use crate::game::{Equilibrium, StrategicGame};
use crate::limits;
use crate::num::{tol, Scalar, Q};
use crate::solve::approximate::{solve_approximate_reduced, Approximate, ApproximateOptions};
use crate::solve::enumpure_agent::enumpure_agent_until;
use crate::solve::lcp::sequence::sequence_lcp;
use crate::solve::liap::agent::liap_agent_until;
use crate::solve::lp::sequence::sequence_lp;
use crate::solve::method::{solve_strategic, write_value_name, Method, SolveOptions, Solved};
use crate::solve::polish::polish;
use crate::solve::spe::spe_until;
use std::fmt;

/// A solver for game trees, named as in Gambit where Gambit has one: `patron solve --method`'s
/// menu for game trees (names and help from this one definition through [`clap::ValueEnum`];
/// the two agent-form variants are reached with `--agent` and are not menu entries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "lower")]
pub enum TreeMethod {
    /// Every pure subgame-perfect equilibrium of a game of perfect information.
    Spe,
    /// One equilibrium of a 2-player game through the sequence form (gambit-lcp on trees).
    Lcp,
    /// Value and optimal behaviour strategies of a 2-player constant-sum game (gambit-lp).
    Lp,
    /// All pure equilibria of the reduced strategic form (gambit-enumpure).
    EnumPure,
    /// All extreme equilibria of the reduced strategic form, 2 players (gambit-enummixed).
    EnumMixed,
    /// All isolated equilibria of the reduced strategic form, any number of players
    /// (gambit-enumpoly), as behaviour profiles by Kuhn's theorem.
    EnumPoly,
    /// All pure equilibria of the agent form (gambit-enumpure -A): `--method enumpure --agent`
    /// (JSON method `enumpure-agent`).
    #[value(skip)]
    EnumPureAgent,
    /// One approximate equilibrium per start of the reduced strategic form by simplicial
    /// subdivision (gambit-simpdiv on a tree).
    Simpdiv,
    /// One approximate equilibrium per start of the reduced strategic form by Lyapunov-function
    /// minimisation (gambit-liap -S).
    Liap,
    /// The equilibria on the global Newton path of the reduced strategic form (gambit-gnm on a
    /// tree), from `--perturbation` over its strategies.
    Gnm,
    /// One equilibrium of the reduced strategic form by iterated polymatrix approximation
    /// (gambit-ipa on a tree).
    Ipa,
    /// Lyapunov-function minimisation over behaviour strategies, the agent form (gambit-liap
    /// on a tree): `--method liap --agent` (JSON method `liap-agent`).
    #[value(skip)]
    LiapAgent,
}

impl fmt::Display for TreeMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TreeMethod::EnumPureAgent => f.write_str("enumpure-agent"),
            TreeMethod::LiapAgent => f.write_str("liap-agent"),
            menu => write_value_name(menu, f),
        }
    }
}

impl TreeMethod {
    /// The tree solver named `name` on the command line (`spe`, `lcp`, …; the agent-form
    /// variants are not named there).
    pub fn parse(name: &str) -> Option<TreeMethod> {
        <TreeMethod as clap::ValueEnum>::from_str(name, false).ok()
    }

    /// The agent-form variant of a method (`--agent`): `enumpure` and `liap` have one.
    pub fn agent_form(self) -> Option<TreeMethod> {
        match self {
            TreeMethod::EnumPure | TreeMethod::EnumPureAgent => Some(TreeMethod::EnumPureAgent),
            TreeMethod::Liap | TreeMethod::LiapAgent => Some(TreeMethod::LiapAgent),
            _ => None,
        }
    }

    /// The strategic solver a reduced-form method runs on the reduced strategic form; `None`
    /// for the methods that work on the tree itself.
    pub fn on_reduced_form(self) -> Option<Method> {
        match self {
            TreeMethod::EnumPure => Some(Method::EnumPure),
            TreeMethod::EnumMixed => Some(Method::EnumMixed),
            TreeMethod::EnumPoly => Some(Method::EnumPoly),
            TreeMethod::Simpdiv => Some(Method::Simpdiv),
            TreeMethod::Liap => Some(Method::Liap),
            TreeMethod::Gnm => Some(Method::Gnm),
            TreeMethod::Ipa => Some(Method::Ipa),
            TreeMethod::Spe
            | TreeMethod::Lcp
            | TreeMethod::Lp
            | TreeMethod::EnumPureAgent
            | TreeMethod::LiapAgent => None,
        }
    }

    /// `spe` for games of perfect information, else `lcp` for two players, else `enumpure`.
    pub fn default_for(game: &ExtensiveGame) -> TreeMethod {
        if game.is_perfect_information() {
            TreeMethod::Spe
        } else if game.num_players() == 2 {
            TreeMethod::Lcp
        } else {
            TreeMethod::EnumPure
        }
    }
}

/// A behaviour profile that passed certification.
///
/// Only the certifier of this module builds one, and nothing can change one (its fields are
/// private, read through its methods): the profile it holds is the one certified.
#[derive(Debug, Clone, PartialEq)]
pub struct CertifiedBehavior<T> {
    behavior: Behavior<T>,
    payoffs: Vec<T>,
    agent_regret: T,
    regret: T,
    profile: Option<Vec<Vec<T>>>,
    beliefs: Vec<Vec<Option<Vec<T>>>>,
}

impl<T> CertifiedBehavior<T> {
    /// `behavior()[p][i][a]`: the probability of action a at player p's information set i.
    pub fn behavior(&self) -> &Behavior<T> {
        &self.behavior
    }

    /// Each player's expected payoff.
    pub fn payoffs(&self) -> &[T] {
        &self.payoffs
    }

    /// Largest gain of one information set's agent from changing its own action.
    pub fn agent_regret(&self) -> &T {
        &self.agent_regret
    }

    /// Largest gain of a player from switching to a pure strategy (reduced strategic form):
    /// certified 0 except for [`TreeMethod::EnumPureAgent`], where it may be positive.
    pub fn regret(&self) -> &T {
        &self.regret
    }

    /// The equivalent mixed profile over the reduced strategic form's strategies, when the
    /// reduced form was built.
    pub fn profile(&self) -> Option<&[Vec<T>]> {
        self.profile.as_deref()
    }

    /// `beliefs()[p][i]`: probabilities of information set i's nodes (in preorder) given that
    /// it is reached; `None` where the profile reaches it with probability 0.
    pub fn beliefs(&self) -> &[Vec<Option<Vec<T>>>] {
        &self.beliefs
    }
}

/// A certified equilibrium of a game tree, exact or in floating point.
#[derive(Debug, Clone, PartialEq)]
pub enum TreeEquilibrium {
    /// Exact rationals, certified with regrets exactly 0.
    Exact(CertifiedBehavior<Q>),
    /// Floats, certified within the float tolerance (or an approximate solver's bound).
    Float(CertifiedBehavior<f64>),
}

/// A tree equilibrium as text (`p/q` for exact numbers), for output.
#[derive(Debug, Clone, PartialEq)]
pub struct EquilibriumText {
    /// [`CertifiedBehavior::behavior`].
    pub behavior: Vec<Vec<Vec<String>>>,
    /// [`CertifiedBehavior::profile`].
    pub profile: Option<Vec<Vec<String>>>,
    /// [`CertifiedBehavior::payoffs`].
    pub payoffs: Vec<String>,
    /// [`CertifiedBehavior::regret`].
    pub regret: String,
    /// [`CertifiedBehavior::agent_regret`].
    pub agent_regret: String,
    /// [`CertifiedBehavior::beliefs`].
    pub beliefs: Vec<Vec<Option<Vec<String>>>>,
    /// Whether the numbers are exact rationals.
    pub exact: bool,
}

impl TreeEquilibrium {
    /// The equilibrium as text, for output.
    pub fn text(&self) -> EquilibriumText {
        match self {
            TreeEquilibrium::Exact(c) => c.text(true),
            TreeEquilibrium::Float(c) => c.text(false),
        }
    }
}

impl<T: Scalar> CertifiedBehavior<T> {
    fn text(&self, exact: bool) -> EquilibriumText {
        let vec = |v: &[T]| v.iter().map(Scalar::to_text).collect::<Vec<_>>();
        let mat = |m: &[Vec<T>]| m.iter().map(|v| vec(v)).collect::<Vec<_>>();
        EquilibriumText {
            behavior: self.behavior.iter().map(|p| mat(p)).collect(),
            profile: self.profile.as_ref().map(|m| mat(m)),
            payoffs: vec(&self.payoffs),
            regret: self.regret.to_text(),
            agent_regret: self.agent_regret.to_text(),
            beliefs: self
                .beliefs
                .iter()
                .map(|sets| sets.iter().map(|b| b.as_ref().map(|v| vec(v))).collect())
                .collect(),
            exact,
        }
    }
}

/// Certified equilibria, each player's value for `lp`, and the reduced strategic form the
/// `profile`s refer to (when it was built).
#[derive(Debug, Clone)]
pub struct TreeSolved {
    /// Every certified equilibrium found.
    pub equilibria: Vec<TreeEquilibrium>,
    /// `lp`: each player's value, as text.
    pub values: Option<Vec<String>>,
    /// The reduced strategic form the equilibria's `profile`s refer to, when it was built.
    pub reduced: Option<StrategicGame>,
    /// False when a deadline stopped the solver: `equilibria` is then part of the answer.
    pub complete: bool,
}

/// Run `method` on `game` with `options`; every returned profile has passed certification.
/// `spe`, `enumpure --agent`, `liap --agent` and the reduced-form methods stop at
/// `options.deadline` with what they found so far (`complete: false`); `lcp` and `lp` find
/// one equilibrium by bounded pivoting and ignore it. Of the options, the approximate
/// solvers' are read (by `simpdiv`, `liap`, `liap --agent`) and gnm's (by `gnm`, `ipa`: the
/// perturbation is over the reduced strategic form's strategies).
pub fn solve_tree(
    game: &ExtensiveGame,
    method: TreeMethod,
    options: &SolveOptions,
) -> Result<TreeSolved> {
    let mut solved = solve_tree_within(game, method, options)?;
    solved.complete &= !options.deadline.was_reached();
    Ok(solved)
}

fn solve_tree_within(
    game: &ExtensiveGame,
    method: TreeMethod,
    options: &SolveOptions,
) -> Result<TreeSolved> {
    let (approximate, deadline) = (&options.approximate, options.deadline);
    match method {
        TreeMethod::Spe => {
            let profiles = spe_until(game, deadline)?;
            Certifier::listing(game, profiles.len())?.all_exact(profiles)
        }
        TreeMethod::EnumPureAgent => {
            let profiles = enumpure_agent_until(game, deadline)?;
            Certifier::for_pure_agent_form(game, profiles.len())?.all_exact(profiles)
        }
        TreeMethod::Lcp => {
            let b = sequence_lcp(game)?;
            let certifier = Certifier::new(game, false)?;
            let eq = certifier.exact(b, None)?;
            Ok(certifier.finish(vec![eq], None))
        }
        TreeMethod::Lp => {
            let solution = sequence_lp(game)?;
            let certifier = Certifier::new(game, false)?;
            let exact = solution.exact.and_then(|b| certifier.exact(b, None).ok());
            let eq = match exact {
                Some(c) => c,
                None => certifier.float(solution.float)?,
            };
            let values = Some(eq.text().payoffs);
            Ok(certifier.finish(vec![eq], values))
        }
        TreeMethod::LiapAgent => {
            let certifier = Certifier::new(game, false)?;
            let (found, complete) = liap_agent_until(game, approximate, deadline)?;
            let bound = found.bound;
            let certifier = certifier.with_regret_bound(bound);
            let equilibria = found
                .profiles
                .into_iter()
                .filter_map(|b| certifier.polished_agent_answer(b))
                .collect();
            let mut tree = certifier.finish(equilibria, None);
            tree.complete = complete;
            Ok(tree)
        }
        TreeMethod::EnumPure
        | TreeMethod::EnumMixed
        | TreeMethod::EnumPoly
        | TreeMethod::Simpdiv
        | TreeMethod::Liap
        | TreeMethod::Gnm
        | TreeMethod::Ipa => {
            let mut certifier = Certifier::new(game, true)?;
            let approximate_method = matches!(method, TreeMethod::Simpdiv | TreeMethod::Liap);
            if let (true, StrategicCheck::Reduced(reduced, _)) =
                (approximate_method, &certifier.strategic)
            {
                certifier.regret_bound =
                    Some(approximate_regret_bound(reduced, method, approximate));
            }
            let StrategicCheck::Reduced(reduced, map) = &certifier.strategic else {
                return Err(Error::Solver(
                    "the reduced strategic form is missing".into(),
                ));
            };
            let strategic = method.on_reduced_form().ok_or_else(|| {
                Error::Solver(format!(
                    "{method} has no solver on the reduced strategic form"
                ))
            })?;
            let options = SolveOptions {
                approximate: approximate.clone(),
                gnm: options.gnm.clone(),
                deadline,
                ..SolveOptions::default()
            };
            let solved = match method {
                // Gambit reads a tree's strategic payoffs through behaviour strategies.
                TreeMethod::Liap => {
                    let (equilibria, complete) = solve_approximate_reduced(
                        game,
                        reduced,
                        Approximate::Liap,
                        approximate,
                        options.deadline,
                    )?;
                    Solved {
                        equilibria,
                        values: None,
                        complete: complete && !options.deadline.was_reached(),
                        lcp_labels: None,
                    }
                }
                _ => solve_strategic(reduced, strategic, &options)?,
            };
            let certify = |e: Equilibrium| match e {
                Equilibrium::Exact(c) => {
                    let b = map.mixed_to_behavior(c.profile())?;
                    certifier.exact(b, Some(c.into_profile()))
                }
                Equilibrium::Float(c) => {
                    let b = map.mixed_to_behavior(c.profile())?;
                    certifier
                        .certify(b, Some(c.into_profile()))
                        .map(TreeEquilibrium::Float)
                }
            };
            let found = solved.equilibria.len();
            let path_following = matches!(method, TreeMethod::Gnm | TreeMethod::Ipa);
            let equilibria: Vec<TreeEquilibrium> = match approximate_method || path_following {
                // An approximate answer certified on the reduced form can still miss the
                // tree's checks (a conditional agent regret at a set reached with tiny
                // probability): it is then not printed. gnm and ipa certify their answers
                // on the reduced form within the float tolerance, which the tree's checks
                // share; one that misses them is left out and the answer marked incomplete.
                true => solved
                    .equilibria
                    .into_iter()
                    .filter_map(|e| certify(e).ok())
                    .collect(),
                false => solved
                    .equilibria
                    .into_iter()
                    .map(certify)
                    .collect::<Result<_>>()?,
            };
            let all_certified = approximate_method || equilibria.len() == found;
            let mut tree = certifier.finish(equilibria, None);
            tree.complete = solved.complete && all_certified;
            Ok(tree)
        }
    }
}

/// `max_regret` (the method's default when not given) times the reduced form's payoff range:
/// the bound simpdiv and liap certify their answers against.
fn approximate_regret_bound(
    reduced: &StrategicGame,
    method: TreeMethod,
    options: &ApproximateOptions,
) -> f64 {
    let default = match method {
        TreeMethod::Simpdiv => crate::solve::simpdiv::DEFAULT_MAX_REGRET,
        _ => crate::solve::liap::DEFAULT_MAX_REGRET,
    };
    options.max_regret.unwrap_or(default) * payoff_range(reduced)
}

/// How a regret or a difference is judged: exactly zero, or within a float bound.
trait Judged: Scalar {
    fn negligible(&self, bound: f64) -> bool;
}

impl Judged for Q {
    fn negligible(&self, _bound: f64) -> bool {
        *self == Q::ZERO
    }
}

impl Judged for f64 {
    fn negligible(&self, bound: f64) -> bool {
        self.abs() <= bound
    }
}

/// How the regret against pure strategies is computed: on the reduced strategic form, or by
/// sequence-form best responses when that form is too big.
enum StrategicCheck {
    Reduced(StrategicGame, ReducedMap),
    SequenceForm(SequenceForm),
}

/// Everything certification needs, built once per solve.
struct Certifier<'g> {
    game: &'g ExtensiveGame,
    strategic: StrategicCheck,
    /// Largest absolute accumulated payoff of a play (at least 1): the float tolerance scale.
    scale: f64,
    /// Certifying pure agent-form equilibria: profiles must be pure, and the reduced-form
    /// regret is reported rather than required to vanish (see the module comment).
    pure_agent_form: bool,
    /// The approximate solvers' stated bound on float regrets (in payoff units), in place of
    /// `REGRET_F64` × scale for the regret and agent-regret checks; `None` for the others.
    regret_bound: Option<f64>,
}

impl<'g> Certifier<'g> {
    /// Refuses games without perfect recall (Kuhn's equivalence fails there). Builds the
    /// reduced strategic form when `need_reduced` or when it is small enough.
    fn new(game: &'g ExtensiveGame, need_reduced: bool) -> Result<Self> {
        Self::checked(game, need_reduced, 1)
    }

    /// [`Certifier::new`] for `listed` profiles of a solver with none of its own over the
    /// reduced form: each is listed with its equivalent reduced-form profile only while all of
    /// them hold at most [`limits::MAX_LISTED_PROBABILITIES`] probabilities together; beyond
    /// that the regret comes from the sequence form and no reduced-form profile is listed.
    fn listing(game: &'g ExtensiveGame, listed: usize) -> Result<Self> {
        Self::checked(game, false, listed)
    }

    fn checked(game: &'g ExtensiveGame, need_reduced: bool, listed: usize) -> Result<Self> {
        if let Some(why) = game.perfect_recall_violation() {
            return Err(Error::Unsupported(format!(
                "solving a game tree needs perfect recall (Kuhn 1953), and this game lacks it: \
                 {why}; solve its strategic form instead (patron convert FILE --to nfg)"
            )));
        }
        Self::build(game, need_reduced, listed)
    }

    /// For pure profiles of the agent form: only the agent regret must vanish (the reduced-form
    /// regret is computed and reported). Perfect recall is not needed, only that no play meets
    /// an information set twice (what [`ExtensiveGame::agent_regret`] assumes): a pure profile
    /// is its own pure strategy, so its regret in the reduced form needs no Kuhn equivalence,
    /// but without perfect recall that form must be built (the sequence form needs recall).
    /// `listed` profiles will be certified (see [`Certifier::listing`]).
    fn for_pure_agent_form(game: &'g ExtensiveGame, listed: usize) -> Result<Self> {
        if let Some(why) = game.absent_mindedness() {
            return Err(Error::Unsupported(format!(
                "the agent form needs every information set to be met at most once per play: \
                 {why}"
            )));
        }
        let mut certifier = Self::build(game, !game.is_perfect_recall(), listed)?;
        certifier.pure_agent_form = true;
        Ok(certifier)
    }

    /// The certifier for a game known to suit it and `listed` profiles; builds the reduced
    /// strategic form when `need_reduced` or when it is small enough for them.
    fn build(game: &'g ExtensiveGame, need_reduced: bool, listed: usize) -> Result<Self> {
        let strategic = if need_reduced {
            let (reduced, map) = reduced_strategic_form(game)?;
            let width: usize = (0..reduced.num_players())
                .map(|p| reduced.num_strategies(p))
                .sum();
            if (width as u128).saturating_mul(listed as u128) > limits::MAX_LISTED_PROBABILITIES {
                return Err(Error::limit(
                    "MAX_LISTED_PROBABILITIES",
                    format!(
                        "{listed} equilibria over this game's reduced strategic form ({width} \
                     strategies) would list more than {} probabilities \
                     (MAX_LISTED_PROBABILITIES), and without perfect recall they can only be \
                     certified there",
                        limits::MAX_LISTED_PROBABILITIES
                    ),
                ));
            }
            StrategicCheck::Reduced(reduced, map)
        } else if reduced_form_fits(game, listed)? {
            let (reduced, map) = reduced_strategic_form(game)?;
            StrategicCheck::Reduced(reduced, map)
        } else {
            StrategicCheck::SequenceForm(game.sequence_form()?)
        };
        let scale = game
            .terminal_payoffs()
            .iter()
            .flat_map(|(_, v)| v.iter().map(|x| x.as_f64().abs()))
            .fold(1.0, f64::max);
        Ok(Certifier {
            game,
            strategic,
            scale,
            pure_agent_form: false,
            regret_bound: None,
        })
    }

    /// The certifier for an approximate solver's answers, regrets bounded by `bound`.
    fn with_regret_bound(mut self, bound: f64) -> Self {
        self.regret_bound = Some(bound);
        self
    }

    /// A `liap --agent` answer, certified: first polished on the reduced strategic form when
    /// it was built ([`crate::solve::polish`]: the Nash equilibrium whose support equations it
    /// nearly solves), else as found; `None` when neither certifies.
    fn polished_agent_answer(&self, b: Behavior<f64>) -> Option<TreeEquilibrium> {
        if let StrategicCheck::Reduced(reduced, map) = &self.strategic {
            let mixed = map.behavior_to_mixed(&b).ok()?;
            let bound = self.regret_bound.unwrap_or(0.0);
            let polished = match polish(reduced, &mixed, None, bound) {
                Some(Equilibrium::Exact(c)) => map
                    .mixed_to_behavior(c.profile())
                    .and_then(|e| self.exact(e, Some(c.into_profile()))),
                Some(Equilibrium::Float(c)) => map
                    .mixed_to_behavior(c.profile())
                    .and_then(|e| self.float(e)),
                None => Err(Error::Solver("not polished".into())),
            };
            if let Ok(e) = polished {
                return Some(e);
            }
        }
        self.float(b).ok()
    }

    /// Certify every exact profile of a solver that has no mixed profiles of its own.
    fn all_exact(self, profiles: Vec<Behavior<Q>>) -> Result<TreeSolved> {
        let equilibria = profiles
            .into_iter()
            .map(|b| self.exact(b, None))
            .collect::<Result<_>>()?;
        Ok(self.finish(equilibria, None))
    }

    fn exact(&self, b: Behavior<Q>, mixed: Option<Vec<Vec<Q>>>) -> Result<TreeEquilibrium> {
        self.certify(b, mixed).map(TreeEquilibrium::Exact)
    }

    fn float(&self, b: Behavior<f64>) -> Result<TreeEquilibrium> {
        self.certify(b, None).map(TreeEquilibrium::Float)
    }

    fn finish(self, equilibria: Vec<TreeEquilibrium>, values: Option<Vec<String>>) -> TreeSolved {
        TreeSolved {
            equilibria,
            values,
            reduced: match self.strategic {
                StrategicCheck::Reduced(g, _) => Some(g),
                StrategicCheck::SequenceForm(_) => None,
            },
            complete: true,
        }
    }

    /// Both regrets and the payoff agreement, judged by `T`'s rule (see the module comment).
    fn certify<T: Judged>(
        &self,
        behavior: Behavior<T>,
        mixed: Option<Vec<Vec<T>>>,
    ) -> Result<CertifiedBehavior<T>> {
        let bound = tol::REGRET_F64 * self.scale;
        let fail = |what: String| Err(Error::Solver(format!("certification failed: {what}")));
        self.game
            .check_behavior(&behavior)
            .map_err(|e| Error::Solver(format!("certification failed: {e}")))?;
        for (p, sets) in behavior.iter().enumerate() {
            for (i, probs) in sets.iter().enumerate() {
                let sum = probs.iter().fold(T::zero(), |s, x| s.add(x));
                let negative = probs.iter().any(|x| *x < T::zero() && !x.negligible(bound));
                if negative || !sum.sub(&T::one()).negligible(tol::REGRET_F64) {
                    return fail(format!(
                        "player {} information set {} is not a probability vector",
                        p + 1,
                        i + 1
                    ));
                }
                let pure = probs
                    .iter()
                    .all(|x| x.negligible(bound) || x.sub(&T::one()).negligible(bound));
                if self.pure_agent_form && !pure {
                    return fail(format!(
                        "player {} information set {} is not played purely",
                        p + 1,
                        i + 1
                    ));
                }
            }
        }
        let payoffs = self.game.behavior_payoffs(&behavior)?;
        let agent_regret = self.game.agent_regret(&behavior)?;
        let regret_bound = self.regret_bound.unwrap_or(bound);
        if !agent_regret.negligible(regret_bound) {
            return fail(format!("agent regret {}", agent_regret.to_text()));
        }
        let (profile, strategic_payoffs, regret) = match &self.strategic {
            StrategicCheck::Reduced(reduced, map) => {
                let mixed = match mixed {
                    Some(m) => m,
                    None => map.behavior_to_mixed(&behavior)?,
                };
                let (pay, regret) = payoffs_and_regret(reduced, &mixed);
                (Some(mixed), pay, regret)
            }
            StrategicCheck::SequenceForm(sf) => {
                let (pay, regret) = sequence_form_regret(sf, &behavior)?;
                (None, pay, regret)
            }
        };
        if !self.pure_agent_form && !regret.negligible(regret_bound) {
            return fail(format!(
                "regret {} in the reduced strategic form",
                regret.to_text()
            ));
        }
        if payoffs
            .iter()
            .zip(&strategic_payoffs)
            .any(|(a, b)| !a.sub(b).negligible(bound))
        {
            return fail("the tree and the reduced strategic form disagree on payoffs".into());
        }
        let beliefs = beliefs(self.game, &behavior)?;
        Ok(CertifiedBehavior {
            behavior,
            payoffs,
            agent_regret,
            regret,
            profile,
            beliefs,
        })
    }
}

/// Whether building the reduced strategic form costs at most
/// [`limits::MAX_REDUCED_FORM_CERTIFICATION_WORK`] node visits (one walk per pure profile)
/// and `listed` profiles over it hold at most [`limits::MAX_LISTED_PROBABILITIES`].
fn reduced_form_fits(game: &ExtensiveGame, listed: usize) -> Result<bool> {
    let counts = count_reduced_strategies(game)?;
    let profiles = counts.iter().fold(1u128, |a, &c| a.saturating_mul(c));
    let width = counts.iter().fold(0u128, |a, &c| a.saturating_add(c));
    let work = profiles.saturating_mul(game.num_nodes() as u128);
    Ok(work <= limits::MAX_REDUCED_FORM_CERTIFICATION_WORK
        && width.saturating_mul(listed as u128) <= limits::MAX_LISTED_PROBABILITIES)
}

/// Expected payoffs and the largest gain from a best reply, by sequence-form best responses
/// (von Stengel 1996 §3): against the others' realization plans each leaf adds
/// `chance · payoff · Π_others plan` to the player's sequence reaching it, and a best reply's
/// value is found bottom-up, `value(σ) = own(σ) + Σ_{I after σ} max_a value(σ_I·a)`.
fn sequence_form_regret<T: Scalar>(sf: &SequenceForm, b: &Behavior<T>) -> Result<(Vec<T>, T)> {
    let plans = b
        .iter()
        .enumerate()
        .map(|(p, s)| sf.realization_plan(p, s))
        .collect::<Result<Vec<_>>>()?;
    let mut payoffs = Vec::with_capacity(plans.len());
    let mut regret = T::zero();
    for (p, plan) in plans.iter().enumerate() {
        let mut value = vec![T::zero(); plan.len()];
        let mut expected = T::zero();
        for leaf in &sf.leaves {
            let others = (0..plans.len())
                .filter(|&o| o != p)
                .fold(T::from_q(&leaf.chance), |w, o| {
                    w.mul(&plans[o][leaf.sequences[o]])
                });
            let v = others.mul(&T::from_q(&leaf.payoffs[p]));
            let s = leaf.sequences[p];
            expected = expected.add(&v.mul(&plan[s]));
            value[s] = value[s].add(&v);
        }
        let mut order: Vec<usize> = (0..sf.action_sequence[p].len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(sf.action_sequence[p][i][0]));
        for i in order {
            let best = sf.action_sequence[p][i]
                .iter()
                .map(|&s| value[s].clone())
                .reduce(|m, v| if v > m { v } else { m })
                .unwrap_or_else(T::zero);
            let parent = sf.infoset_parent[p][i];
            value[parent] = value[parent].add(&best);
        }
        let gain = value[0].sub(&expected);
        if gain > regret {
            regret = gain;
        }
        payoffs.push(expected);
    }
    Ok((payoffs, regret))
}

/// Beliefs `μ(h) = reach(h) / reach(I)` at every information set the profile reaches.
fn beliefs<T: Scalar>(game: &ExtensiveGame, b: &Behavior<T>) -> Result<Vec<Vec<Option<Vec<T>>>>> {
    let reach = game.realization_probs(b)?;
    Ok((0..game.num_players())
        .map(|p| {
            (0..game.infosets(p).len())
                .map(|i| {
                    let members = game.members(p, i);
                    let total = members.iter().fold(T::zero(), |s, &h| s.add(&reach[h]));
                    (total > T::zero())
                        .then(|| members.iter().map(|&h| reach[h].div(&total)).collect())
                })
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::tree::tests::hidden_pennies;
    use crate::num::parse_q;

    fn q(s: &str) -> Q {
        parse_q(s).unwrap()
    }

    fn profile(p: &str, r: &str) -> Behavior<Q> {
        let one_minus = |x: &str| Q::ONE - q(x);
        vec![
            vec![vec![q(p), one_minus(p)]],
            vec![vec![q(r), one_minus(r)]],
        ]
    }

    #[test]
    fn sequence_form_regret_equals_reduced_form_regret() {
        // Two independent computations of the same quantity (Kuhn 1953). By hand for
        // P1 = (1/4, 3/4), P2 = (1, 0): P1 gets −1/2 and H would pay 1 (gain 3/2); P2 gets
        // 1/2, which t's −1/2 does not beat.
        let g = hidden_pennies();
        let sf = g.sequence_form().unwrap();
        let (reduced, map) = reduced_strategic_form(&g).unwrap();
        let (pay, regret) = sequence_form_regret(&sf, &profile("1/4", "1")).unwrap();
        assert_eq!((pay, regret), (vec![q("-1/2"), q("1/2")], q("3/2")));
        for (p, r) in [("1/3", "2/7"), ("1", "0"), ("1/2", "1/2"), ("5/9", "1/8")] {
            let b = profile(p, r);
            let mixed = map.behavior_to_mixed(&b).unwrap();
            assert_eq!(
                sequence_form_regret(&sf, &b).unwrap(),
                payoffs_and_regret(&reduced, &mixed),
                "{p} {r}"
            );
        }
    }

    #[test]
    fn certification_accepts_equilibria_and_refuses_the_rest() {
        let g = hidden_pennies();
        let certifier = Certifier::new(&g, false).unwrap();
        let centroid = certifier.exact(profile("1/2", "1/2"), None).unwrap();
        let TreeEquilibrium::Exact(c) = centroid else {
            panic!("exact in, exact out")
        };
        assert_eq!(c.profile, Some(vec![vec![q("1/2"); 2], vec![q("1/2"); 2]]));
        assert_eq!(c.beliefs[1][0], Some(vec![q("1/2"); 2]));
        let err = certifier.exact(profile("1", "1"), None).unwrap_err();
        assert!(err.to_string().contains("agent regret 2"), "{err}");
        // Floats: 0.5 is exact, a 1e-3 error is far beyond tolerance.
        let half = vec![vec![vec![0.5, 0.5]], vec![vec![0.5, 0.5]]];
        assert!(certifier.float(half).is_ok());
        let off = vec![vec![vec![0.501, 0.499]], vec![vec![0.5, 0.5]]];
        assert!(certifier.float(off).is_err());
        let not_probability = vec![vec![vec![0.6, 0.6]], vec![vec![0.5, 0.5]]];
        assert!(certifier.float(not_probability).is_err());
    }

    #[test]
    fn agent_form_certification_reports_the_strategic_regret_and_wants_pure_profiles() {
        // Player 1: Out pays 1; In leads to its own second choice, a (2) or b (0). (Out, b)
        // leaves no single agent a gain, but switching both choices gains 2 - 1 = 1.
        let text = "EFG 2 R \"\" { \"1\" }\n\"\"\np \"\" 1 1 \"\" { \"Out\" \"In\" } 0\n\
                    t \"\" 1 \"\" { 1 }\np \"\" 1 2 \"\" { \"a\" \"b\" } 0\n\
                    t \"\" 2 \"\" { 2 }\nt \"\" 3 \"\" { 0 }\n";
        let g = crate::io::parse_efg(text, "out_in.efg").unwrap();
        let certifier = Certifier::for_pure_agent_form(&g, 1).unwrap();
        let b = |root: [&str; 2], inside: [&str; 2]| {
            vec![vec![root.map(q).to_vec(), inside.map(q).to_vec()]]
        };
        let TreeEquilibrium::Exact(c) = certifier.exact(b(["1", "0"], ["0", "1"]), None).unwrap()
        else {
            panic!("exact in, exact out")
        };
        assert_eq!((c.agent_regret, c.regret), (Q::ZERO, q("1")));
        assert!(Certifier::new(&g, false)
            .unwrap()
            .exact(b(["1", "0"], ["0", "1"]), None)
            .is_err());
        // (In, b): the second agent gains 2 by a (the root's 1 by Out).
        let err = certifier
            .exact(b(["0", "1"], ["0", "1"]), None)
            .unwrap_err();
        assert!(err.to_string().contains("agent regret 2"), "{err}");
        let mixed = certifier
            .exact(b(["1", "0"], ["1/2", "1/2"]), None)
            .unwrap_err();
        assert!(mixed.to_string().contains("not played purely"), "{mixed}");
    }
}
