//! Unbalanced supports of two mixing players, decided exactly.
//!
//! When only two players `a` and `b` mix, `a`'s indifference equations involve only `b`'s
//! probabilities and are affine in them: `|S_a| − 1` equations in `|S_b| − 1` unknowns. With
//! `|S_a| > |S_b|` they are overdetermined, and for all but degenerate payoffs inconsistent (in a
//! nondegenerate two-player game equilibrium supports have equal sizes: von Stengel 2002, §2.6).
//! Interval subdivision proves such a system empty only slowly, bisecting the other player's
//! unknowns along the way, so it is decided here in exact arithmetic instead.

use crate::game::StrategicGame;
use crate::num::Q;
use crate::solve::linalg::linear::solve_exact;

/// Whether exactly two players mix, with supports of different sizes, and the larger one's
/// indifference equations have no solution at all (so the support profile has no equilibrium).
pub fn has_inconsistent_linear_part(game: &StrategicGame, supports: &[Vec<usize>]) -> bool {
    let mixing: Vec<usize> = (0..supports.len())
        .filter(|&p| supports[p].len() > 1)
        .collect();
    let [a, b] = mixing[..] else {
        return false;
    };
    let (larger, smaller) = if supports[a].len() > supports[b].len() {
        (a, b)
    } else {
        (b, a)
    };
    if supports[larger].len() == supports[smaller].len() {
        return false;
    }
    let (rows, rhs) = indifference_equations(game, supports, larger, smaller);
    solve_exact(rows, rhs).is_none()
}

/// Player `a`'s equations `u_a(s_l, σ_b) = u_a(s_0, σ_b)`, `l ≥ 1`, as a linear system in `b`'s
/// unknowns `x_{b,c} = σ_b(t_c)`, `c ≥ 1` (`σ_b(t_0) = 1 − Σ_c x_{b,c}`); every other player
/// plays its one support strategy.
pub(super) fn indifference_equations(
    game: &StrategicGame,
    supports: &[Vec<usize>],
    a: usize,
    b: usize,
) -> (Vec<Vec<Q>>, Vec<Q>) {
    let base: usize = (0..supports.len())
        .filter(|&p| p != a && p != b)
        .map(|p| supports[p][0] * game.stride(p))
        .sum();
    let table = game.payoff_table(a);
    let (own, other) = (&supports[a], &supports[b]);
    // difference of a's payoffs between s_l and s_0 when b plays t_c
    let gain = |l: usize, c: usize| {
        let at = base + other[c] * game.stride(b);
        &table[at + own[l] * game.stride(a)] - &table[at + own[0] * game.stride(a)]
    };
    (1..own.len())
        .map(|l| {
            let row = (1..other.len()).map(|c| gain(l, c) - gain(l, 0)).collect();
            (row, -gain(l, 0))
        })
        .unzip()
}
