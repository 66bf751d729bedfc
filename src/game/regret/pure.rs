//! Exact certification of a pure profile (every player plays one strategy with probability 1),
//! the most common answer of the one-equilibrium solvers.
//!
//! Against the others' pure strategies `c_{−p}`, player `p`'s pure strategy `s` is worth the
//! table entry `u_p(s, c_{−p})` itself (the sum over opponents' profiles of
//! [`payoffs_and_regret`](super::payoffs_and_regret) has one term, of weight 1). So `p`'s
//! expected payoff is `u_p(c)` and its regret `max_s u_p(s, c_{−p}) − u_p(c)`: read off the
//! exact tables with one comparison per strategy (of integers, on the table's integer view
//! when it has one) and no arithmetic but a subtraction where a deviation gains, the same
//! rationals as the general computation.

use crate::game::StrategicGame;
use crate::num::Q;

/// The strategy each player plays when every strategy of `profile` is pure (one probability
/// exactly 1, every other exactly 0); `None` otherwise.
pub(super) fn pure_strategies(profile: &[Vec<Q>]) -> Option<Vec<usize>> {
    profile
        .iter()
        .map(|strategy| {
            let chosen = strategy.iter().position(|x| !x.is_zero())?;
            let rest_zero = strategy[chosen + 1..].iter().all(|x| x.is_zero());
            (strategy[chosen] == Q::ONE && rest_zero).then_some(chosen)
        })
        .collect()
}

/// Each player's payoff and the largest regret at the pure profile `chosen` (one strategy per
/// player, within the game's counts).
pub(super) fn pure_payoffs_and_regret(game: &StrategicGame, chosen: &[usize]) -> (Vec<Q>, Q) {
    let at = game.profile_index(chosen);
    let mut payoffs = Vec::with_capacity(chosen.len());
    let mut regret = Q::ZERO;
    for (p, &c) in chosen.iter().enumerate() {
        let (table, stride) = (game.payoff_table(p), game.stride(p));
        // the profile's index with p's strategy 0
        let others = at - c * stride;
        let deviations = (0..game.num_strategies(p)).map(|s| others + s * stride);
        // the best deviation's index: compared on the integer view when there is one (the
        // same order: one positive denominator for the table), else as rationals
        let best = match game.payoff_table_int(p) {
            Some(view) => {
                let numerators = view.numerators();
                deviations.fold(at, |b, k| if numerators[k] > numerators[b] { k } else { b })
            }
            None => deviations.fold(at, |b, k| if table[k] > table[b] { k } else { b }),
        };
        if best != at {
            let gain = &table[best] - &table[at];
            if gain > regret {
                regret = gain;
            }
        }
        payoffs.push(table[at].clone());
    }
    (payoffs, regret)
}

#[cfg(test)]
mod tests {
    use super::super::{certify_exact_in, Arithmetic};
    use super::pure_strategies;
    use crate::game::StrategicGame;
    use crate::num::{parse_q, Q};
    use crate::solve::method::pure_profile;

    /// Every pure profile of `game` as a profile of exact probabilities.
    fn pure_profiles(game: &StrategicGame) -> Vec<Vec<Vec<Q>>> {
        (0..game.num_profiles())
            .map(|k| pure_profile(game, &game.profile_at(k)))
            .collect()
    }

    /// On every pure profile of games with integer, fractional and huge-denominator payoffs
    /// (two to four players, ties included), reading the tables gives the same verdict,
    /// payoffs and regret as the rational computation; the games have equilibria and
    /// non-equilibria among their pure profiles.
    #[test]
    fn pure_profiles_certify_as_the_rational_computation_does() {
        let fractional = {
            let q = |t: &str| parse_q(t).unwrap();
            let a = vec![vec![q("1/2"), q("-2/3")], vec![q("5/7"), q("1/2")]];
            let b = vec![vec![q("1/3"), q("3/4")], vec![q("-1/9"), q("1/3")]];
            StrategicGame::bimatrix(&a, &b).unwrap()
        };
        let huge = {
            let q = |t: &str| parse_q(t).unwrap();
            let a = vec![
                vec![q("1/4294967311"), q("0")],
                vec![q("0"), q("1/4294967357")],
            ];
            StrategicGame::bimatrix(&a, &a).unwrap()
        };
        let games = [
            StrategicGame::arbitrary(&[2, 3, 2], 7, 3),
            StrategicGame::arbitrary(&[3, 3, 3], 5, 2),
            StrategicGame::arbitrary(&[2, 2, 2, 2], 3, 1),
            fractional,
            huge,
        ];
        let (mut equilibria, mut refused) = (0, 0);
        for game in &games {
            for profile in pure_profiles(game) {
                assert!(pure_strategies(&profile).is_some());
                let by_tables = certify_exact_in(game, profile.clone(), Arithmetic::Machine);
                let by_rationals = certify_exact_in(game, profile, Arithmetic::Rational);
                match (by_tables, by_rationals) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(a, b);
                        equilibria += 1;
                    }
                    (Err(a), Err(b)) => {
                        assert_eq!(a.to_string(), b.to_string());
                        refused += 1;
                    }
                    (a, b) => panic!("tables {a:?} vs rationals {b:?}"),
                }
            }
        }
        assert!(
            equilibria > 0 && refused > 0,
            "{equilibria} equilibria, {refused} refused"
        );
    }

    #[test]
    fn only_unit_vectors_are_pure() {
        let h = parse_q("1/2").unwrap();
        assert_eq!(
            pure_strategies(&[vec![Q::ZERO, Q::ONE], vec![Q::ONE]]),
            Some(vec![1, 0])
        );
        assert_eq!(pure_strategies(&[vec![h.clone(), h]]), None);
        assert_eq!(pure_strategies(&[vec![Q::ONE, Q::ONE]]), None);
        assert_eq!(pure_strategies(&[vec![Q::ZERO, Q::ZERO]]), None);
        assert_eq!(pure_strategies(&[vec![Q::from(2), Q::ZERO]]), None);
    }
}
