//! Layer 3: the patron game (`docs/spec.md`, layer 3) — the United States and Iran each
//! pick one posture for all their dyads, and the resulting 3×3 game is solved by the general engine.
//!
//! A patron's payoff for a posture pair is Σ over its dyads of U_P (clients best-responding with the
//! tie rule, prior-weighted) plus Z_P·P(hold) from the ceasefire chain under both patrons' postures.
//! The game is an ordinary [`StrategicGame`] with exact payoffs (each float payoff converted exactly
//! by `num::from_f64`), so support enumeration returns exact equilibria that `certify_exact` checks.
//! Logit clients (`behaviour = "logit"`) enter with their mixtures: U_P is then the expected
//! utility against the mixtures and the chain averages over them.
//!
//! Beside the Nash equilibria the game reports two ways out of the essay's dilemma: the logit
//! quantal response equilibrium at `patron_game.logit_lambda` (patrons who err, more the less
//! the error costs; McKelvey & Palfrey 1995), and the welfare-maximising correlated equilibrium
//! (Aumann 1974) — a joint recommendation of postures that neither patron wants to disobey once
//! told its own part: "what a mediator such as Qatar could propose".

use crate::error::{Error, Result};
use crate::game::{certify_exact, StrategicGame};
use crate::model::chain::{run_chain, ChainClient};
use crate::model::dyad::PolicyOutcome;
use crate::model::params::{Model, Policy};
use crate::num::{from_f64, to_f64, Q};
use crate::solve::correlated::{correlated, CorrelatedEq, Objective};
use crate::solve::logit::logit_at;
use crate::solve::{enummixed::enummixed, enumpure::enumpure};

/// A patron's posture toward all its clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posture {
    /// x = 0.
    Unconditional,
    /// x = (0, 0, φ): sanction every observed major event as hard as credibility allows.
    RedLines,
    /// The layer-1 optimal policy.
    Optimal,
}

impl Posture {
    pub const ALL: [Posture; 3] = [Posture::Unconditional, Posture::RedLines, Posture::Optimal];
    pub fn name(self) -> &'static str {
        ["unconditional", "red_lines", "optimal"][self as usize]
    }

    /// The policy this posture sets for a dyad of credibility φ whose layer-1 optimum is `optimal`.
    pub fn policy(self, credibility: f64, optimal: &Policy) -> Policy {
        match self {
            Posture::Unconditional => [0.0; 3],
            Posture::RedLines => [0.0, 0.0, credibility],
            Posture::Optimal => *optimal,
        }
    }
}

/// A dyad as the patron game needs it: its patron, and its outcome and chain client per posture.
#[derive(Debug, Clone)]
pub struct DyadPostures {
    pub patron: String,
    /// Indexed by [`Posture`].
    pub outcomes: [PolicyOutcome; 3],
    pub clients: [ChainClient; 3],
}

/// The solved patron game.
#[derive(Debug, Clone, PartialEq)]
pub struct PatronGame {
    /// Row patron first (the order of `PatronGameParams::ceasefire_value`).
    pub patrons: [String; 2],
    /// `payoffs[p][i][j]`: patron p's payoff when the row patron plays posture i and the column patron j.
    pub payoffs: [[[f64; 3]; 3]; 2],
    /// Every Nash equilibrium (exact support enumeration), as (row mix, column mix) over postures.
    pub equilibria: Vec<[[f64; 3]; 2]>,
    /// Pure equilibria as (row posture, column posture).
    pub pure_equilibria: Vec<[usize; 2]>,
    /// Cells no other cell Pareto-dominates, as (row posture, column posture).
    pub pareto_efficient: Vec<[usize; 2]>,
    /// The logit QRE, when `patron_game.logit_lambda` is set.
    pub qre: Option<PostureQre>,
    /// The welfare-maximising correlated equilibrium.
    pub correlated: PostureCorrelated,
    pub game: StrategicGame,
}

/// The logit quantal response equilibrium of the posture game at precision λ (the principal
/// branch, traced from the centroid by [`logit_at`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PostureQre {
    pub lambda: f64,
    /// (row mix, column mix) over the postures.
    pub mixes: [[f64; 3]; 2],
}

/// A correlated equilibrium maximising the sum of both patrons' payoffs.
#[derive(Debug, Clone, PartialEq)]
pub struct PostureCorrelated {
    /// `distribution[i][j]`: probability of recommending row posture i and column posture j.
    pub distribution: [[f64; 3]; 3],
    /// The sum of both patrons' expected payoffs.
    pub welfare: f64,
    /// Each patron's expected payoff (row patron first).
    pub payoffs: [f64; 2],
    /// Whether the engine certified it in exact arithmetic (else within float tolerance).
    pub exact: bool,
}

/// Build the posture game and solve it with the engine.
pub fn solve_patron_game(model: &Model, dyads: &[DyadPostures]) -> Result<PatronGame> {
    let patrons = two_patrons(model, dyads)?;
    let z = [0, 1].map(|p| model.patron_game.ceasefire_value[p].1);
    let mut payoffs = [[[0.0; 3]; 3]; 2];
    for [i, j] in cells(3, 3) {
        let posture_of = |d: &DyadPostures| if d.patron == patrons[0] { i } else { j };
        let clients: Vec<ChainClient> = dyads.iter().map(|d| d.clients[posture_of(d)]).collect();
        let p_hold = run_chain(&model.chain, &clients)?.p_hold;
        for (p, patron) in patrons.iter().enumerate() {
            let own: f64 = dyads
                .iter()
                .filter(|d| &d.patron == patron)
                .map(|d| d.outcomes[posture_of(d)].patron_value)
                .sum();
            payoffs[p][i][j] = own + z[p] * p_hold;
        }
    }
    let game = strategic_game(&patrons, &payoffs)?;
    let mut equilibria = Vec::new();
    for profile in enummixed(&game)? {
        let certified = certify_exact(&game, profile)?;
        equilibria.push([0, 1].map(|p| [0, 1, 2].map(|s| to_f64(&certified.profile()[p][s]))));
    }
    let pure_equilibria = enumpure(&game)?.into_iter().map(|p| [p[0], p[1]]).collect();
    let pareto_efficient = pareto_efficient(&game);
    let qre = match model.patron_game.logit_lambda {
        Some(lambda) => Some(posture_qre(&game, lambda)?),
        None => None,
    };
    let correlated = welfare_correlated(&game)?;
    Ok(PatronGame {
        patrons,
        payoffs,
        equilibria,
        pure_equilibria,
        pareto_efficient,
        qre,
        correlated,
        game,
    })
}

fn posture_qre(game: &StrategicGame, lambda: f64) -> Result<PostureQre> {
    let profile = logit_at(game, lambda)?;
    let mix = |p: usize| -> Result<[f64; 3]> {
        profile
            .get(p)
            .and_then(|m| <[f64; 3]>::try_from(m.as_slice()).ok())
            .ok_or_else(|| {
                Error::Solver("logit QRE: a patron's mix is not over three postures".into())
            })
    };
    Ok(PostureQre {
        lambda,
        mixes: [mix(0)?, mix(1)?],
    })
}

/// The engine's welfare-maximising correlated equilibrium, as a 3×3 table (profiles are indexed
/// row player fastest, as in Gambit's .nfg).
fn welfare_correlated(game: &StrategicGame) -> Result<PostureCorrelated> {
    let ce = correlated(game, Objective::Welfare)?;
    let flat = ce.distribution_f64();
    let mut distribution = [[0.0; 3]; 3];
    for [i, j] in cells(3, 3) {
        distribution[i][j] = flat[game.profile_index(&[i, j])];
    }
    let (payoffs, welfare) = match &ce {
        CorrelatedEq::Exact(c) => (
            c.payoffs.iter().map(to_f64).collect(),
            to_f64(&c.objective_value),
        ),
        CorrelatedEq::Float(c) => (c.payoffs.clone(), c.objective_value),
    };
    let payoffs: Vec<f64> = payoffs;
    let [row, column] = payoffs[..] else {
        return Err(Error::Solver(
            "correlated equilibrium: not two payoffs".into(),
        ));
    };
    Ok(PostureCorrelated {
        distribution,
        welfare,
        payoffs: [row, column],
        exact: ce.is_exact(),
    })
}

/// The two patrons in the order of `ceasefire_value`; every dyad's patron must be one of them.
fn two_patrons(model: &Model, dyads: &[DyadPostures]) -> Result<[String; 2]> {
    let values = &model.patron_game.ceasefire_value;
    let [(row, _), (column, _)] = values.as_slice() else {
        return Err(Error::Unsupported(format!(
            "the patron game needs exactly two patrons in patron_game.ceasefire_value, found {}",
            values.len()
        )));
    };
    if row == column {
        return Err(Error::Unsupported(format!(
            "patron_game.ceasefire_value names {row} twice"
        )));
    }
    if let Some((p, _)) = values.iter().find(|(_, z)| !z.is_finite()) {
        return Err(Error::Unsupported(format!(
            "patron_game.ceasefire_value.{p} must be a finite number"
        )));
    }
    if let Some(d) = dyads
        .iter()
        .find(|d| &d.patron != row && &d.patron != column)
    {
        return Err(Error::Unsupported(format!(
            "a dyad's patron {} is not a player of the patron game ({row}, {column})",
            d.patron
        )));
    }
    Ok([row.clone(), column.clone()])
}

fn strategic_game(patrons: &[String; 2], payoffs: &[[[f64; 3]; 3]; 2]) -> Result<StrategicGame> {
    let exact = |v: f64| {
        from_f64(v).ok_or_else(|| Error::Solver(format!("patron game: payoff {v} is not finite")))
    };
    let mut tables: Vec<Vec<Q>> = vec![Vec::with_capacity(9), Vec::with_capacity(9)];
    // player-1-fastest: the row posture varies fastest
    for [j, i] in cells(3, 3) {
        for (p, table) in tables.iter_mut().enumerate() {
            table.push(exact(payoffs[p][i][j])?);
        }
    }
    let postures: Vec<String> = Posture::ALL.iter().map(|p| p.name().to_string()).collect();
    StrategicGame::new(
        "patron game",
        patrons.to_vec(),
        vec![postures.clone(), postures],
        tables,
    )
}

/// Cells not Pareto-dominated by any other cell (compared exactly on the game's rational payoffs).
pub fn pareto_efficient(game: &StrategicGame) -> Vec<[usize; 2]> {
    let all: Vec<[usize; 2]> = cells(game.num_strategies(0), game.num_strategies(1)).collect();
    let pay = |c: &[usize; 2], p: usize| game.payoff(p, c);
    let dominates = |a: &[usize; 2], b: &[usize; 2]| {
        (0..2).all(|p| pay(a, p) >= pay(b, p)) && (0..2).any(|p| pay(a, p) > pay(b, p))
    };
    all.iter()
        .filter(|c| !all.iter().any(|o| dominates(o, c)))
        .copied()
        .collect()
}

/// The cells [i, j] of an m×n table, row by row.
fn cells(m: usize, n: usize) -> impl Iterator<Item = [usize; 2]> {
    (0..m).flat_map(move |i| (0..n).map(move |j| [i, j]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pareto efficiency checked by hand on a small bimatrix game.
    #[test]
    fn pareto_cells_by_hand() {
        let q = |v: i64| Q::from(v);
        // cells (A, B): (0,0)=(3,3) (0,1)=(0,4) (1,0)=(4,0) (1,1)=(1,1): a prisoner's dilemma;
        // (1,1) is dominated by (0,0); the other three are efficient.
        let a = vec![vec![q(3), q(0)], vec![q(4), q(1)]];
        let b = vec![vec![q(3), q(4)], vec![q(0), q(1)]];
        let g = StrategicGame::bimatrix(&a, &b).unwrap();
        assert_eq!(pareto_efficient(&g), vec![[0, 0], [0, 1], [1, 0]]);
    }
}
