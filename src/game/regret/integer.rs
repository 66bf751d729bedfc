//! Exact certification on integers: the same payoffs and regret as the rational computation
//! of [`payoffs_and_regret`](super::payoffs_and_regret), without a gcd per operation.
//!
//! Each player's payoffs are `u_num / d_p` ([`IntegerPayoffs`]) and each mixed strategy is
//! put on one common denominator, `x_s = X_s / D_q`. Then player `p`'s pure strategy `s` is
//! worth `V_s / (d_p · Π_{q≠p} D_q)` with the integer `V_s = Σ Π_{q≠p} X_{q,s_q} · u_num`, the
//! expected payoff is `E / (d_p · Π_q D_q)` with `E = Σ_s X_{p,s} · V_s`, and the regret of
//! `p` is `max(0, D_p · max_s V_s − E)` over the same denominator. The `V_s` — the bulk of the
//! work — are summed in checked `i128` and redone in `IBig` on overflow (never wrapped); the
//! few products with `D_p` and `X_p` are `IBig`. Rationals are built only for the answers.

use super::for_each_opponent_profile;
use crate::game::{IntegerPayoffs, StrategicGame};
use crate::num::{IBig, Q};
use dashu::base::Gcd;
use dashu::integer::UBig;

/// A mixed strategy on one common denominator: `x_s = numerators[s] / denominator`, the
/// denominator being the least common multiple of the probabilities' denominators.
pub(super) struct CommonDenominator {
    numerators: Vec<IBig>,
    denominator: UBig,
}

impl CommonDenominator {
    pub(super) fn new(strategy: &[Q]) -> Self {
        let mut denominator = UBig::ONE;
        for x in strategy {
            let d = x.denominator();
            if &denominator % d != UBig::ZERO {
                denominator = &denominator / (&denominator).gcd(d) * d;
            }
        }
        let numerators = strategy
            .iter()
            .map(|x| x.numerator() * IBig::from(&denominator / x.denominator()))
            .collect();
        CommonDenominator {
            numerators,
            denominator,
        }
    }

    /// Nonnegative and summing to 1, i.e. numerators summing to the denominator.
    pub(super) fn is_probability_vector(&self) -> bool {
        self.numerators.iter().all(|v| *v >= IBig::ZERO)
            && self.numerators.iter().sum::<IBig>() == IBig::from(self.denominator.clone())
    }

    fn support(&self) -> Vec<usize> {
        (0..self.numerators.len())
            .filter(|&s| self.numerators[s] != IBig::ZERO)
            .collect()
    }
}

/// Integers to sum pure-strategy values in: `i128` with every operation checked (`None` on
/// overflow), and `IBig`, which never overflows.
trait Accumulator: Sized + Clone + Ord {
    fn zero() -> Self;
    fn one() -> Self;
    fn from_ibig(v: &IBig) -> Option<Self>;
    fn times(&self, other: &Self) -> Option<Self>;
    /// `self + weight · payoff`.
    fn plus_product(&self, weight: &Self, payoff: i64) -> Option<Self>;
    fn into_ibig(self) -> IBig;
}

impl Accumulator for i128 {
    fn zero() -> Self {
        0
    }
    fn one() -> Self {
        1
    }
    fn from_ibig(v: &IBig) -> Option<Self> {
        i128::try_from(v).ok()
    }
    fn times(&self, other: &Self) -> Option<Self> {
        self.checked_mul(*other)
    }
    fn plus_product(&self, weight: &Self, payoff: i64) -> Option<Self> {
        self.checked_add(weight.checked_mul(i128::from(payoff))?)
    }
    fn into_ibig(self) -> IBig {
        IBig::from(self)
    }
}

impl Accumulator for IBig {
    fn zero() -> Self {
        IBig::ZERO
    }
    fn one() -> Self {
        IBig::ONE
    }
    fn from_ibig(v: &IBig) -> Option<Self> {
        Some(v.clone())
    }
    fn times(&self, other: &Self) -> Option<Self> {
        Some(self * other)
    }
    fn plus_product(&self, weight: &Self, payoff: i64) -> Option<Self> {
        Some(self + weight * IBig::from(payoff))
    }
    fn into_ibig(self) -> IBig {
        self
    }
}

/// Player `p`'s integer values `V_s` (module docs) in `T`, or `None` on overflow.
fn strategy_values<T: Accumulator>(
    game: &StrategicGame,
    table: &IntegerPayoffs,
    mixed: &[CommonDenominator],
    supports: &[Vec<usize>],
    p: usize,
) -> Option<Vec<T>> {
    let others: Vec<usize> = (0..game.num_players()).filter(|&q| q != p).collect();
    let weights: Vec<Vec<T>> = others
        .iter()
        .map(|&q| mixed[q].numerators.iter().map(T::from_ibig).collect())
        .collect::<Option<_>>()?;
    let (payoffs, stride) = (table.numerators(), game.stride(p));
    let mut values = vec![T::zero(); game.num_strategies(p)];
    for_each_opponent_profile(game, supports, p, |chosen, base| {
        let mut weight = T::one();
        for (w, &s) in weights.iter().zip(chosen) {
            weight = weight.times(&w[s])?;
        }
        for (s, value) in values.iter_mut().enumerate() {
            *value = value.plus_product(&weight, payoffs[base + s * stride])?;
        }
        Some(())
    })?;
    Some(values)
}

/// `(max_s V_s, V_s on p's support)` as `IBig`, summed in `i128` when that does not overflow.
fn best_and_support_values(
    game: &StrategicGame,
    table: &IntegerPayoffs,
    mixed: &[CommonDenominator],
    supports: &[Vec<usize>],
    p: usize,
) -> Option<(IBig, Vec<IBig>)> {
    fn summarise<T: Accumulator>(values: Vec<T>, support: &[usize]) -> Option<(IBig, Vec<IBig>)> {
        let best = values.iter().max()?.clone().into_ibig();
        let on_support = support
            .iter()
            .map(|&s| values[s].clone().into_ibig())
            .collect();
        Some((best, on_support))
    }
    match strategy_values::<i128>(game, table, mixed, supports, p) {
        Some(values) => summarise(values, &supports[p]),
        None => summarise(
            strategy_values::<IBig>(game, table, mixed, supports, p)?,
            &supports[p],
        ),
    }
}

/// Every player's expected payoff and the largest regret, equal to
/// [`payoffs_and_regret`](super::payoffs_and_regret) on the same profile; `None` when some
/// player's payoffs have no integer view.
pub(super) fn integer_payoffs_and_regret(
    game: &StrategicGame,
    mixed: &[CommonDenominator],
) -> Option<(Vec<Q>, Q)> {
    let supports: Vec<Vec<usize>> = mixed.iter().map(CommonDenominator::support).collect();
    let all_denominators = mixed.iter().fold(UBig::ONE, |acc, s| acc * &s.denominator);
    let mut payoffs = Vec::with_capacity(mixed.len());
    let mut regret = Q::ZERO;
    for (p, strategy) in mixed.iter().enumerate() {
        let table = game.payoff_table_int(p)?;
        let (best, on_support) = best_and_support_values(game, table, mixed, &supports, p)?;
        let expected = supports[p]
            .iter()
            .zip(&on_support)
            .fold(IBig::ZERO, |acc, (&s, v)| acc + &strategy.numerators[s] * v);
        let denominator =
            IBig::from(&all_denominators * UBig::from(table.denominator().unsigned_abs()));
        let gain = best * IBig::from(strategy.denominator.clone()) - &expected;
        if gain > IBig::ZERO {
            let gain = Q::from_parts_signed(gain, denominator.clone());
            if gain > regret {
                regret = gain;
            }
        }
        payoffs.push(Q::from_parts_signed(expected, denominator));
    }
    Some((payoffs, regret))
}
