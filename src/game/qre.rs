//! The certificate of a logit quantal response equilibrium: its fixed-point residual.
//!
//! A QRE is not a Nash equilibrium (its regret is positive at every finite λ), so what can be
//! checked is the defining property itself: every probability equals the logit response
//! `exp(λ·u_a) / Σ_b exp(λ·u_b)` to the profile's own values `u` — the expected payoff of each
//! pure strategy against the others (tables, McKelvey & Palfrey 1995), or of each action at an
//! information set given that it is reached, with beliefs `reach(h)/reach(I)` (trees, the agent
//! QRE of McKelvey & Palfrey 1998). The residual is the largest gap between the two.
//!
//! The values come from the game alone ([`pure_strategy_values`], and the tree's
//! [`ExtensiveGame::realization_probs`] and [`ExtensiveGame::node_values`]), never from the path
//! follower's own equations, so a wrong solver cannot certify itself. Information sets reached
//! with a probability too small to divide by in floating point (below `f64::MIN_POSITIVE`)
//! have no computable beliefs: they are counted, not judged.

use crate::error::{Error, Result};
use crate::game::regret::pure_strategy_values;
use crate::game::tree::{Behavior, ExtensiveGame};
use crate::game::StrategicGame;
use crate::num::{tol, Scalar};

/// The fixed-point residual of a QRE profile, and the bound it was certified against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QreResidual {
    /// Largest `|probability − logit response|`.
    pub residual: f64,
    /// Information sets (trees) too unlikely to judge; 0 for tables.
    pub unjudged: usize,
}

/// `tol::QRE_RESIDUAL × (1 + λ·payoff_scale)`: the `λ·u` terms carry relative rounding errors,
/// so a point is only as accurate as their size allows.
pub fn residual_bound(lambda: f64, payoff_scale: f64) -> f64 {
    tol::QRE_RESIDUAL * (1.0 + lambda.abs() * payoff_scale)
}

/// Largest absolute payoff of a play of a tree (at least 1): the size of its `λ·u` terms.
pub fn tree_payoff_scale(game: &ExtensiveGame) -> f64 {
    game.terminal_payoffs()
        .iter()
        .flat_map(|(_, v)| v.iter().map(|x| x.as_f64().abs()))
        .fold(1.0, f64::max)
}

/// Largest gap between `probs` and the logit response `exp(λ·u)/Σ exp(λ·u)` to `values`.
fn response_gap(lambda: f64, values: &[f64], probs: &[f64]) -> f64 {
    let top = values.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = values.iter().map(|u| (lambda * (u - top)).exp()).collect();
    let total: f64 = weights.iter().sum();
    weights
        .iter()
        .zip(probs)
        .map(|(w, p)| (w / total - p).abs())
        .fold(0.0, f64::max)
}

/// The residual of a mixed profile of a strategic game at precision `lambda`.
pub fn strategic_residual(game: &StrategicGame, lambda: f64, profile: &[Vec<f64>]) -> QreResidual {
    let values = pure_strategy_values(game, profile);
    let residual = values
        .iter()
        .zip(profile)
        .map(|(u, p)| response_gap(lambda, u, p))
        .fold(0.0, f64::max);
    QreResidual {
        residual,
        unjudged: 0,
    }
}

/// The residual of a behaviour profile of a game tree at precision `lambda`.
pub fn behaviour_residual(
    game: &ExtensiveGame,
    lambda: f64,
    behaviour: &Behavior<f64>,
) -> Result<QreResidual> {
    let reach = game.realization_probs(behaviour)?;
    let values = game.node_values(behaviour)?;
    let mut out = QreResidual {
        residual: 0.0,
        unjudged: 0,
    };
    for (p, sets) in behaviour.iter().enumerate() {
        for (i, probs) in sets.iter().enumerate() {
            let members = game.members(p, i);
            let set_reach: f64 = members.iter().map(|&h| reach[h]).sum();
            if set_reach < f64::MIN_POSITIVE {
                out.unjudged += 1;
                continue;
            }
            let action_values: Vec<f64> = (0..probs.len())
                .map(|a| {
                    members
                        .iter()
                        .map(|&h| reach[h] * values[game.node(h).children[a]][p])
                        .sum::<f64>()
                        / set_reach
                })
                .collect();
            out.residual = out
                .residual
                .max(response_gap(lambda, &action_values, probs));
        }
    }
    Ok(out)
}

/// Refuse a profile whose residual exceeds [`residual_bound`].
pub fn certify_residual(found: QreResidual, lambda: f64, payoff_scale: f64) -> Result<QreResidual> {
    let bound = residual_bound(lambda, payoff_scale);
    if found.residual.is_nan() || found.residual > bound {
        return Err(Error::Solver(format!(
            "certification failed: logit fixed-point residual {:.3e} at λ = {lambda} exceeds \
             {bound:.3e}",
            found.residual
        )));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::tree::tests::hidden_pennies;

    #[test]
    fn residual_of_a_one_sided_logit_response_by_hand() {
        // Hidden pennies with player 2 at (3/4, 1/4): H pays 3/4 − 1/4 = 1/2, T pays −1/2, so
        // player 1's logit response at λ = 2 is (e, e^−1)/(e + e^−1), which it plays; player 2's
        // (3/4, 1/4) is not its response.
        let g = hidden_pennies();
        let e = 1f64.exp();
        let h = e / (e + 1.0 / e);
        let b = vec![vec![vec![h, 1.0 - h]], vec![vec![0.75, 0.25]]];
        let r = behaviour_residual(&g, 2.0, &b).unwrap();
        // Player 2 against (h, 1 − h): h pays −h + (1 − h) = 1 − 2h, t pays 2h − 1.
        let u = 2.0 * h - 1.0;
        let p2_h = (-2.0 * u).exp() / ((-2.0 * u).exp() + (2.0 * u).exp());
        assert!((r.residual - (0.75 - p2_h).abs()).abs() < 1e-15, "{r:?}");
        assert_eq!(r.unjudged, 0);
        let centroid = vec![vec![vec![0.5, 0.5]], vec![vec![0.5, 0.5]]];
        assert!(behaviour_residual(&g, 7.0, &centroid).unwrap().residual < 1e-15);
        assert!(certify_residual(r, 2.0, 1.0).is_err());
    }
}
