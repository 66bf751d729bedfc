//! Exact recovery when at most two players mix: the equilibrium is then a solution of a linear
//! system, solved exactly from the float answer's supports.
//!
//! With only players `a` and `b` mixing, `a`'s indifference among its support strategies is
//! affine in `b`'s probabilities and vice versa (the others play one strategy each), so each
//! side is an exact rational linear system (as in two-player support enumeration: von Stengel
//! 2002, §2.4). Continued fractions ([`super::rational`]) miss such equilibria when a
//! denominator exceeds [`crate::limits::MAX_RECOVERED_DENOMINATOR`]; this does not. Whether the
//! solution is the equilibrium is decided by exact certification, as for every guess. The
//! systems are solved on the payoffs' integer views, fraction-free, where they fit machine
//! integers (see [`super::overdetermined`]'s `indifferent_mix`): the same solution, without a
//! gcd per operation.

use super::overdetermined::indifferent_mix;
use crate::game::StrategicGame;
use crate::num::{tol, Q};

/// The exact profile on the supports of `float` (probabilities above
/// [`tol::ROOT_PROBABILITY`]) when at most two players mix and each mixing player's indifference
/// equations have a solution; `None` otherwise.
pub fn exact_from_supports(game: &StrategicGame, float: &[Vec<f64>]) -> Option<Vec<Vec<Q>>> {
    let supports: Vec<Vec<usize>> = float
        .iter()
        .map(|s| {
            (0..s.len())
                .filter(|&k| s[k] > tol::ROOT_PROBABILITY)
                .collect()
        })
        .collect();
    if supports.iter().any(Vec::is_empty) {
        return None;
    }
    let mixing: Vec<usize> = (0..supports.len())
        .filter(|&p| supports[p].len() > 1)
        .collect();
    let mut exact: Vec<Vec<Q>> = supports
        .iter()
        .zip(float)
        .map(|(support, s)| {
            let mut v = vec![Q::ZERO; s.len()];
            if let [only] = support[..] {
                v[only] = Q::ONE;
            }
            v
        })
        .collect();
    match mixing[..] {
        [] => {}
        [a, b] => {
            for (own, other) in [(a, b), (b, a)] {
                let mix = indifferent_mix(game, &supports, own, other)?;
                for (&k, value) in supports[other].iter().zip(mix) {
                    exact[other][k] = value;
                }
            }
        }
        _ => return None,
    }
    Some(exact)
}
