//! Unbalanced supports of two mixing players, decided exactly.
//!
//! When only two players `a` and `b` mix, `a`'s indifference equations involve only `b`'s
//! probabilities and are affine in them: `|S_a| − 1` equations in `|S_b| − 1` unknowns. With
//! `|S_a| > |S_b|` they are overdetermined, and for all but degenerate payoffs inconsistent (in a
//! nondegenerate two-player game equilibrium supports have equal sizes: von Stengel 2002, §2.6).
//! Interval subdivision proves such a system empty only slowly, bisecting the other player's
//! unknowns along the way, so it is decided here in exact arithmetic instead.

use crate::game::StrategicGame;
use crate::num::{IBig, Q};
use crate::solve::linalg::linear::{solve_exact, solve_exact_integer, MachineSolution, Overflow};
use dashu::integer::UBig;

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
    indifferent_mix(game, supports, larger, smaller).is_none()
}

/// Player `b`'s probabilities on its support (`σ_b(t_0), σ_b(t_1), …`) solving player `a`'s
/// indifference equations ([`indifference_equations`]), free unknowns set to 0; `None` when
/// they have no solution.
///
/// On `a`'s integer payoffs when it has them ([`StrategicGame::payoff_table_int`]: one positive
/// denominator scales every equation alike), fraction-free in `i128` ([`solve_exact_integer`]);
/// on rationals ([`solve_exact`]) when it does not or a product overflows. Both give the same
/// solution (see [`crate::solve::linalg::linear`]).
pub(super) fn indifferent_mix(
    game: &StrategicGame,
    supports: &[Vec<usize>],
    a: usize,
    b: usize,
) -> Option<Vec<Q>> {
    match integer_mix(game, supports, a, b) {
        Some(Ok(mix)) => mix,
        Some(Err(Overflow)) | None => rational_mix(game, supports, a, b),
    }
}

/// [`indifferent_mix`] on `a`'s integer payoffs: `None` when `a` has no integer view,
/// `Some(Err(Overflow))` when a product leaves `i128`.
fn integer_mix(
    game: &StrategicGame,
    supports: &[Vec<usize>],
    a: usize,
    b: usize,
) -> Option<Result<Option<Vec<Q>>, Overflow>> {
    let view = game.payoff_table_int(a)?;
    let (m, cols) = integer_indifference_equations(game, supports, a, b, view.numerators());
    Some(
        solve_exact_integer(m, cols)
            .map(|solution| solution.map(|s| distribution_from_integers(&s))),
    )
}

/// [`indifferent_mix`] on rationals.
fn rational_mix(
    game: &StrategicGame,
    supports: &[Vec<usize>],
    a: usize,
    b: usize,
) -> Option<Vec<Q>> {
    let (rows, rhs) = indifference_equations(game, supports, a, b);
    let x = solve_exact(rows, rhs)?;
    let first = x.iter().fold(Q::ONE, |rest, v| rest - v);
    Some(std::iter::once(first).chain(x).collect())
}

/// `(d − Σ y_c, y_1, …) / d` for the solution `y / d` of the unknowns `c ≥ 1` (the first
/// probability is `1 − Σ_c x_c`), in `IBig` (the sum may leave `i128`).
fn distribution_from_integers(solution: &MachineSolution) -> Vec<Q> {
    let denominator = UBig::from(solution.denominator.unsigned_abs());
    let first = solution
        .numerators
        .iter()
        .fold(IBig::from(solution.denominator), |rest, &y| {
            rest - IBig::from(y)
        });
    std::iter::once(first)
        .chain(solution.numerators.iter().map(|&y| IBig::from(y)))
        .map(|y| Q::from_parts(y, denominator.clone()))
        .collect()
}

/// Where player `a`'s payoff gains `u_a(s_l, t_c) − u_a(s_0, t_c)` sit in its table (every
/// other player on its one support strategy): the table indices of `(s_l, t_c)` and
/// `(s_0, t_c)`.
fn gain_indices<'s>(
    game: &StrategicGame,
    supports: &'s [Vec<usize>],
    a: usize,
    b: usize,
) -> impl Fn(usize, usize) -> (usize, usize) + 's {
    let base: usize = (0..supports.len())
        .filter(|&p| p != a && p != b)
        .map(|p| supports[p][0] * game.stride(p))
        .sum();
    let (own, other) = (&supports[a], &supports[b]);
    let (stride_a, stride_b) = (game.stride(a), game.stride(b));
    move |l, c| {
        let at = base + other[c] * stride_b;
        (at + own[l] * stride_a, at + own[0] * stride_a)
    }
}

/// Player `a`'s equations `u_a(s_l, σ_b) = u_a(s_0, σ_b)`, `l ≥ 1`, as a linear system in `b`'s
/// unknowns `x_{b,c} = σ_b(t_c)`, `c ≥ 1` (`σ_b(t_0) = 1 − Σ_c x_{b,c}`); every other player
/// plays its one support strategy.
fn indifference_equations(
    game: &StrategicGame,
    supports: &[Vec<usize>],
    a: usize,
    b: usize,
) -> (Vec<Vec<Q>>, Vec<Q>) {
    let table = game.payoff_table(a);
    let at = gain_indices(game, supports, a, b);
    // difference of a's payoffs between s_l and s_0 when b plays t_c
    let gain = |l: usize, c: usize| {
        let (to, from) = at(l, c);
        &table[to] - &table[from]
    };
    (1..supports[a].len())
        .map(|l| {
            let row = (1..supports[b].len())
                .map(|c| gain(l, c) - gain(l, 0))
                .collect();
            (row, -gain(l, 0))
        })
        .unzip()
}

/// [`indifference_equations`] on `a`'s integer numerators `table`, as one row-major matrix
/// `[rows | rhs]` with `cols + 1` entries a row, and `cols` (the number of unknowns). Each
/// entry sums four `i64` numerators, so it fits an `i128`.
fn integer_indifference_equations(
    game: &StrategicGame,
    supports: &[Vec<usize>],
    a: usize,
    b: usize,
    table: &[i64],
) -> (Vec<i128>, usize) {
    let at = gain_indices(game, supports, a, b);
    let gain = |l: usize, c: usize| {
        let (to, from) = at(l, c);
        i128::from(table[to]) - i128::from(table[from])
    };
    let cols = supports[b].len() - 1;
    let mut m = Vec::with_capacity((supports[a].len() - 1) * (cols + 1));
    for l in 1..supports[a].len() {
        let g0 = gain(l, 0);
        m.extend((1..=cols).map(|c| gain(l, c) - g0));
        m.push(-g0);
    }
    (m, cols)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::random::{random_game, SplitMix64};

    /// `a`'s payoff from `s` against `b`'s `mix` on its support (others on their one support
    /// strategy), summed on rationals from the game's table: independent of both solvers.
    fn payoff_against(
        game: &StrategicGame,
        supports: &[Vec<usize>],
        (a, s): (usize, usize),
        b: usize,
        mix: &[Q],
    ) -> Q {
        supports[b].iter().zip(mix).fold(Q::ZERO, |acc, (&t, p)| {
            let mut pure: Vec<usize> = supports.iter().map(|sp| sp[0]).collect();
            pure[a] = s;
            pure[b] = t;
            acc + game.payoff(a, &pure) * p
        })
    }

    /// The mix makes `a` indifferent on its support and sums to 1.
    fn makes_indifferent(
        game: &StrategicGame,
        supports: &[Vec<usize>],
        a: usize,
        b: usize,
        mix: &[Q],
    ) -> bool {
        let first = payoff_against(game, supports, (a, supports[a][0]), b, mix);
        mix.iter().fold(Q::ZERO, |acc, p| acc + p) == Q::ONE
            && supports[a]
                .iter()
                .all(|&s| payoff_against(game, supports, (a, s), b, mix) == first)
    }

    /// Random supports of every size pair (unbalanced ones mostly inconsistent) in random
    /// three-player games, integer and fractional payoffs: the integer path gives exactly the
    /// rational path's answer, and a solution makes `a` indifferent.
    #[test]
    fn integer_path_matches_the_rational_path_on_random_games() {
        let mut rng = SplitMix64(20261207);
        let (mut solved, mut empty) = (0, 0);
        for seed in 0..60u64 {
            let integral = random_game(&[4, 4, 3], 21, seed).unwrap();
            // the same payoffs over 6: a common denominator for the integer view
            let tables = (0..3)
                .map(|p| {
                    integral
                        .payoff_table(p)
                        .iter()
                        .map(|v| v / Q::from(6))
                        .collect()
                })
                .collect();
            let labels = [4, 4, 3]
                .iter()
                .map(|&c| (0..c).map(|s: usize| s.to_string()).collect())
                .collect();
            let players = (0..3).map(|p| p.to_string()).collect();
            let fractional = StrategicGame::new("", players, labels, tables).unwrap();
            for game in [&integral, &fractional] {
                let mut support = |n: usize| -> Vec<usize> {
                    let chosen: Vec<usize> = (0..n).filter(|_| rng.next_u64() % 2 == 0).collect();
                    if chosen.len() < 2 {
                        vec![0, n - 1]
                    } else {
                        chosen
                    }
                };
                let (first, second) = (support(4), support(4));
                let supports = vec![first, second, vec![(rng.next_u64() % 3) as usize]];
                let on_integers = integer_mix(game, &supports, 0, 1).unwrap().unwrap();
                assert_eq!(on_integers, rational_mix(game, &supports, 0, 1));
                match on_integers {
                    Some(mix) => {
                        assert!(makes_indifferent(game, &supports, 0, 1, &mix));
                        solved += 1;
                    }
                    None => empty += 1,
                }
            }
        }
        // both outcomes were exercised
        assert!(
            solved > 10 && empty > 10,
            "{solved} solved, {empty} inconsistent"
        );
    }

    /// Payoffs near 2^60: the 3×3 system's products of minors leave i128, the integer path
    /// says so, and indifferent_mix falls back to rationals, whose answer makes `a` indifferent.
    #[test]
    fn overflow_falls_back_to_rationals() {
        let mut rng = SplitMix64(7);
        let huge =
            |rng: &mut SplitMix64| Q::from((1i64 << 60) + (rng.next_u64() % (1 << 58)) as i64);
        let a: Vec<Vec<Q>> = (0..4)
            .map(|_| (0..4).map(|_| huge(&mut rng)).collect())
            .collect();
        let b = a.clone();
        let game = StrategicGame::bimatrix(&a, &b).unwrap();
        let supports = vec![vec![0, 1, 2, 3], vec![0, 1, 2, 3]];
        assert_eq!(integer_mix(&game, &supports, 0, 1), Some(Err(Overflow)));
        let mix = indifferent_mix(&game, &supports, 0, 1).unwrap();
        assert_eq!(Some(mix.clone()), rational_mix(&game, &supports, 0, 1));
        assert!(makes_indifferent(&game, &supports, 0, 1, &mix));
    }
}
