//! The perturbation vector `g` of `gnm` and `ipa`: a bonus `λ·g_is` added to player i's payoff
//! from each of its pure strategies s. For λ large the perturbed game has a unique equilibrium,
//! each player's strategy with the largest `g_is` (so that maximiser must be unique, as Gambit
//! requires); both methods start there.
//!
//! Gambit's default (and patron's): 1 on each player's first strategy, 0 elsewhere. As in
//! Gambit (GameTracer's `ToPerturbation`), the vector is divided by its Euclidean norm before
//! use, so only its direction matters.

use crate::error::{Error, Result};
use crate::game::StrategicGame;

/// A perturbation vector, one weight per pure strategy, checked against its game.
#[derive(Debug, Clone, PartialEq)]
pub struct Perturbation {
    weights: Vec<Vec<f64>>,
}

impl Perturbation {
    /// Gambit's default: 1 on each player's first strategy, 0 elsewhere.
    pub fn first_strategies(game: &StrategicGame) -> Self {
        let weights = game
            .strategy_counts()
            .iter()
            .map(|&c| (0..c).map(|s| if s == 0 { 1.0 } else { 0.0 }).collect())
            .collect();
        Perturbation { weights }
    }

    /// Weights given per player: each must have one finite number per strategy, and a unique
    /// largest one; not all may be 0.
    pub fn new(game: &StrategicGame, weights: Vec<Vec<f64>>) -> Result<Self> {
        let counts = game.strategy_counts();
        if weights.len() != counts.len() {
            return Err(Error::Usage(format!(
                "--perturbation: {} players' weights given, the game has {} players",
                weights.len(),
                counts.len()
            )));
        }
        for (p, (w, &c)) in weights.iter().zip(&counts).enumerate() {
            if w.len() != c {
                return Err(Error::Usage(format!(
                    "--perturbation: player {} has {c} strategies, {} weights given",
                    p + 1,
                    w.len()
                )));
            }
            if let Some(bad) = w.iter().find(|x| !x.is_finite()) {
                return Err(Error::Usage(format!(
                    "--perturbation: player {}'s weight {bad} is not a finite number",
                    p + 1
                )));
            }
            let best = w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if w.iter().filter(|&&x| x >= best).count() > 1 {
                return Err(Error::Usage(format!(
                    "--perturbation: player {}'s largest weight {best} is not unique (the \
                     perturbed game must have one best reply)",
                    p + 1
                )));
            }
        }
        if weights.iter().flatten().all(|x| x.abs() <= 0.0) {
            return Err(Error::Usage(
                "--perturbation: at least one weight must be nonzero".into(),
            ));
        }
        Ok(Perturbation { weights })
    }

    /// Parse `1,0,0;0,1` (players separated by `;`, their strategies' weights by `,`).
    pub fn parse(game: &StrategicGame, text: &str) -> Result<Self> {
        let weights = text
            .split(';')
            .map(|player| {
                player
                    .split(',')
                    .map(|w| {
                        w.trim().parse::<f64>().map_err(|_| {
                            Error::Usage(format!(
                                "--perturbation: '{}' is not a number (expected e.g. \
                                 '1,0,0;0,1': players separated by ';', weights by ',')",
                                w.trim()
                            ))
                        })
                    })
                    .collect::<Result<Vec<f64>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        Perturbation::new(game, weights)
    }

    /// Each player's strategy with the largest weight: the perturbed game's equilibrium for
    /// large λ.
    pub fn best_replies(&self) -> Vec<usize> {
        self.weights
            .iter()
            .map(|w| (0..w.len()).fold(0, |b, s| if w[s] > w[b] { s } else { b }))
            .collect()
    }

    /// The weights divided by their Euclidean norm.
    pub fn unit(&self) -> Vec<Vec<f64>> {
        let norm = self
            .weights
            .iter()
            .flatten()
            .map(|x| x * x)
            .sum::<f64>()
            .sqrt();
        self.weights
            .iter()
            .map(|w| w.iter().map(|x| x / norm).collect())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::q_matrix;

    fn game_2x3() -> StrategicGame {
        let a = q_matrix(&[&[1, 2, 3], &[4, 5, 6]]);
        StrategicGame::bimatrix(&a, &a).unwrap()
    }

    #[test]
    fn default_is_first_strategies_with_unit_norm() {
        let p = Perturbation::first_strategies(&game_2x3());
        assert_eq!(p.best_replies(), vec![0, 0]);
        let h = 1.0 / 2f64.sqrt();
        assert_eq!(p.unit(), vec![vec![h, 0.0], vec![h, 0.0, 0.0]]);
    }

    #[test]
    fn parses_and_refuses_bad_vectors() {
        let g = game_2x3();
        let p = Perturbation::parse(&g, "0, 2; 0,1,-1").unwrap();
        assert_eq!(p.best_replies(), vec![1, 1]);
        for bad in [
            "1,0",
            "1,0;1,0",
            "1,1;1,0,0",
            "0,0;0,0,0",
            "1,x;1,0,0",
            "1,0;1,0,inf",
        ] {
            assert!(Perturbation::parse(&g, bad).is_err(), "{bad}");
        }
    }
}
