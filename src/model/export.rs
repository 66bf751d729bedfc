//! One dyad as an ordinary extensive game in exact rationals (`docs/spec.md`, layer 1,
//! last paragraph): the **no-commitment benchmark** any Gambit user can solve.
//!
//! Chance draws the client's type θ with the prior; the client (one information set per type)
//! picks R, K or E; chance draws the observed signal ŷ with O(ŷ|a) (one chance information set per
//! action, since the law depends on the action only); the patron (one information set per ŷ: it
//! sees the signal, not the type or the action) sanctions or not. A play pays the client
//! g_θ(a) − r(a) − s·1{sanction} and the patron w(a) − W·Pwar(a) − k·1{sanction}.
//!
//! Without commitment the patron chooses x after seeing ŷ, so its equilibrium payoff can only be at
//! or below the Stackelberg (commitment) value: this game measures what commitment is worth.
//!
//! # Exact numbers
//! Model parameters are `f64`s read from decimal text, so each is converted to the rational its
//! shortest decimal representation denotes (0.3 → 3/10, not the binary double 5404319552844595/2⁵⁴);
//! everything derived is then exact, and every chance distribution sums to exactly 1.
//! ε̄ = 1 − (1−ε)^n is computed exactly when n is a whole number of at most
//! [`limits::MAX_EXACT_ATTACKS_PER_WEEK`] (the rational's size grows linearly in n); otherwise ε̄
//! is evaluated in `f64` and taken as the rational of its shortest decimal, which the game's
//! comment then states. The signal laws stay exact distributions either way: P(·|K) is
//! (0, 1 − ε̄, ε̄) for the same rational ε̄.

use crate::error::{Error, Result};
use crate::game::tree::{ChanceInfoset, ExtensiveGame, Infoset, Node, NodeKind, Outcome, TreeSpec};
use crate::limits;
use crate::model::dyad::accidental_major;
use crate::model::params::{Action, ClientType, Dyad, DyadParams, PerAction, Signal};
use crate::num::{fmt_f64, parse_q, Q};

/// The patron's two actions at each observed signal, sanction first.
pub const PATRON_ACTIONS: [&str; 2] = ["sanction", "no sanction"];

/// The rational that `v`'s shortest decimal text denotes (0.3 → 3/10).
pub fn decimal_rational(what: &str, v: f64) -> Result<Q> {
    if !v.is_finite() {
        return Err(Error::Unsupported(format!(
            "{what} = {v} is not a finite number"
        )));
    }
    parse_q(&fmt_f64(v))
        .ok_or_else(|| Error::Solver(format!("{what} = {v}: its decimal text is not a number")))
}

/// A dyad's numbers in exact rationals, as the extensive game needs them.
#[derive(Debug, Clone, PartialEq)]
pub struct ExactDyad {
    /// (aligned, autonomous).
    pub prior: [Q; 2],
    /// O(ŷ|a), indexed `[action][signal]`.
    pub observed: [[Q; 3]; 3],
    /// g_θ(a) − r(a), indexed `[type][action]`.
    pub client_base: [[Q; 3]; 2],
    /// w(a) − W·Pwar(a), indexed by action.
    pub patron_base: [Q; 3],
    pub dependence: Q,
    pub sanction_cost: Q,
    /// `true` when ε̄ was computed exactly from ε and n (see the module documentation).
    pub exact_accidental_major: bool,
}

impl ExactDyad {
    /// Convert `params` (see the module documentation for the rules).
    pub fn new(name: &str, params: &DyadParams) -> Result<Self> {
        let q = |key: &str, v: f64| decimal_rational(&format!("dyad {name}: {key}"), v);
        let per_action = |key: &str, v: &PerAction| -> Result<[Q; 3]> {
            Ok([
                Q::ZERO,
                q(&format!("{key}.K"), v.k)?,
                q(&format!("{key}.E"), v.e)?,
            ])
        };
        let (eps_bar, exact_accidental_major) = accidental_major_exact(name, params)?;
        let nu = q("spoiler_rate", params.spoiler_rate)?;
        let one = Q::ONE;
        let true_signal = [
            [&one - &nu, nu, Q::ZERO],
            [Q::ZERO, &one - &eps_bar, eps_bar.clone()],
            [Q::ZERO, Q::ZERO, one.clone()],
        ];
        let m = q("monitoring", params.monitoring)?;
        let noise = (&one - &m) / Q::from(3);
        let observed = true_signal.map(|row| row.map(|p| &m * p + &noise));
        let r = per_action("retaliation", &params.retaliation)?;
        let base = |g: [Q; 3]| [Q::ZERO, &g[1] - &r[1], &g[2] - &r[2]];
        let w = per_action("patron_value", &params.patron_value)?;
        let omega = per_action("war_risk", &params.war_risk)?;
        let war = [Q::ZERO, &eps_bar * &omega[1], omega[2].clone()];
        let war_cost = q("war_cost", params.war_cost)?;
        let pi = q("prior_autonomous", params.prior_autonomous)?;
        Ok(ExactDyad {
            prior: [&one - &pi, pi],
            observed,
            client_base: [
                base(per_action("gain.aligned", &params.gain_aligned)?),
                base(per_action("gain.autonomous", &params.gain_autonomous)?),
            ],
            patron_base: [0, 1, 2].map(|a| &w[a] - &war_cost * &war[a]),
            dependence: q("dependence", params.dependence)?,
            sanction_cost: q("sanction_cost", params.sanction_cost)?,
            exact_accidental_major,
        })
    }
}

/// ε̄ = 1 − (1−ε)^n exactly for a whole n up to the limit, else the shortest decimal of the
/// `f64` value; and whether it was exact.
fn accidental_major_exact(name: &str, params: &DyadParams) -> Result<(Q, bool)> {
    let n = params.attacks_per_week;
    let whole = n.is_finite() && n >= 0.0 && n.fract() == 0.0;
    if whole && n <= limits::MAX_EXACT_ATTACKS_PER_WEEK as f64 {
        let eps = decimal_rational(&format!("dyad {name}: lethality"), params.lethality)?;
        let survive = (Q::ONE - eps).pow(n as isize);
        return Ok((Q::ONE - survive, true));
    }
    let approx = decimal_rational(
        &format!("dyad {name}: 1 − (1 − lethality)^attacks_per_week"),
        accidental_major(params),
    )?;
    Ok((approx, false))
}

/// The dyad as an extensive game: players (client, patron), built in preorder so that
/// information sets and outcomes are numbered in order of first appearance (as `.efg` files are).
pub fn dyad_tree(dyad: &Dyad, title: &str) -> Result<ExtensiveGame> {
    crate::model::dyad::DyadGame::new(&dyad.name, &dyad.params)?; // domain checks
    let exact = ExactDyad::new(&dyad.name, &dyad.params)?;
    let mut b = Builder {
        exact: &exact,
        nodes: Vec::new(),
        outcomes: Vec::new(),
    };
    b.build_root();
    let signal_names = || Signal::ALL.map(|y| y.name().to_string()).to_vec();
    let spec = TreeSpec {
        title: title.to_string(),
        comment: comment(dyad, &exact),
        players: vec![dyad.client.clone(), dyad.patron.clone()],
        nodes: b.nodes,
        infosets: vec![
            ClientType::ALL
                .map(|t| Infoset {
                    label: t.name().to_string(),
                    actions: Action::ALL.map(|a| a.name().to_string()).to_vec(),
                })
                .to_vec(),
            Signal::ALL
                .map(|y| Infoset {
                    label: y.name().to_string(),
                    actions: PATRON_ACTIONS.map(String::from).to_vec(),
                })
                .to_vec(),
        ],
        chance_infosets: std::iter::once(ChanceInfoset {
            label: "type".into(),
            actions: ClientType::ALL.map(|t| t.name().to_string()).to_vec(),
            probs: exact.prior.to_vec(),
        })
        .chain(Action::ALL.map(|a| ChanceInfoset {
            label: format!("signal after {}", a.name()),
            actions: signal_names(),
            probs: exact.observed[a.index()].to_vec(),
        }))
        .collect(),
        outcomes: b.outcomes,
    };
    ExtensiveGame::new(spec)
}

/// The `.efg` comment: what the game is and how its numbers were made exact.
fn comment(dyad: &Dyad, exact: &ExactDyad) -> String {
    let major = if exact.exact_accidental_major {
        "exactly 1 - (1 - lethality)^attacks_per_week"
    } else {
        "1 - (1 - lethality)^attacks_per_week evaluated in floating point (attacks_per_week is not a \
         small whole number) and rounded to its shortest decimal"
    };
    format!(
        "Patron-client dyad {} ({} and {}) without commitment: chance draws the client's type, the \
         client stands down (R), applies calibrated pressure (K) or escalates (E), chance draws the \
         signal the patron observes, and the patron sanctions or not. Parameters are the rationals \
         of their decimal values; the accidental-major chance is {major}.",
        dyad.name, dyad.patron, dyad.client
    )
}

/// Appends nodes in preorder; outcome (θ, a, sanction) is created at its first appearance.
struct Builder<'a> {
    exact: &'a ExactDyad,
    nodes: Vec<Node>,
    outcomes: Vec<Outcome>,
}

impl Builder<'_> {
    fn push(&mut self, kind: NodeKind, outcome: Option<usize>) -> usize {
        self.nodes.push(Node {
            label: String::new(),
            kind,
            outcome,
            children: Vec::new(),
        });
        self.nodes.len() - 1
    }

    fn build_root(&mut self) {
        let root = self.push(NodeKind::Chance { infoset: 0 }, None);
        for t in ClientType::ALL {
            let child = self.build_client(t);
            self.nodes[root].children.push(child);
        }
    }

    fn build_client(&mut self, t: ClientType) -> usize {
        let id = self.push(
            NodeKind::Decision {
                player: 0,
                infoset: t as usize,
            },
            None,
        );
        for a in Action::ALL {
            let signal = self.push(
                NodeKind::Chance {
                    infoset: 1 + a.index(),
                },
                None,
            );
            self.nodes[id].children.push(signal);
            let first_outcome = self.outcomes.len();
            for sanction in [true, false] {
                self.outcomes.push(self.outcome(t, a, sanction));
            }
            for y in Signal::ALL {
                let patron = self.push(
                    NodeKind::Decision {
                        player: 1,
                        infoset: y as usize,
                    },
                    None,
                );
                self.nodes[signal].children.push(patron);
                for k in 0..PATRON_ACTIONS.len() {
                    let leaf = self.push(NodeKind::Terminal, Some(first_outcome + k));
                    self.nodes[patron].children.push(leaf);
                }
            }
        }
        id
    }

    /// (client, patron) payoffs of type t playing a, with or without a sanction.
    fn outcome(&self, t: ClientType, a: Action, sanction: bool) -> Outcome {
        let e = self.exact;
        let mut client = e.client_base[t as usize][a.index()].clone();
        let mut patron = e.patron_base[a.index()].clone();
        if sanction {
            client -= &e.dependence;
            patron -= &e.sanction_cost;
        }
        let what = PATRON_ACTIONS[usize::from(!sanction)];
        Outcome {
            label: format!("{} {}, {what}", t.name(), a.name()),
            payoffs: vec![client, patron],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_become_their_short_rationals() {
        let q = |v| crate::num::fmt_q(&decimal_rational("x", v).unwrap());
        assert_eq!(q(0.3), "3/10");
        assert_eq!(q(-0.15), "-3/20");
        assert_eq!(q(11.0), "11");
        assert_eq!(q(1e-20), "1/100000000000000000000");
        assert!(decimal_rational("x", f64::NAN).is_err());
    }

    #[test]
    fn accidental_major_is_exact_for_whole_attack_counts() {
        let mut p = DyadParams {
            lethality: 0.03,
            attacks_per_week: 2.0,
            ..DyadParams::default()
        };
        // 1 − (97/100)² = 591/10000
        let (e, exact) = accidental_major_exact("d", &p).unwrap();
        assert!(exact);
        assert_eq!(crate::num::fmt_q(&e), "591/10000");
        p.attacks_per_week = 2.5;
        let (e, exact) = accidental_major_exact("d", &p).unwrap();
        assert!(!exact);
        assert_eq!(e, decimal_rational("x", 1.0 - 0.97f64.powf(2.5)).unwrap());
    }
}
