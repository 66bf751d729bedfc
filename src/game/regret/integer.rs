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
//!
//! Usually every number fits a machine word: each strategy's common denominator and
//! numerators fit an `i64` (the same view as payoffs', [`IntegerPayoffs`]) and every sum and
//! product fits an `i128`. [`machine_payoffs_and_regret`] then does all of the above in
//! checked `i128` — no `IBig`, no gcd — and answers `None` on the first overflow, so that the
//! `IBig` computation runs instead. Either way the answers are the same rationals.

use super::{for_each_opponent_profile, Supports};
use crate::game::integer_payoffs::{common_denominator, push_numerators};
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
        for x in strategy.iter().filter(|x| x.denominator() != &UBig::ONE) {
            let d = x.denominator();
            if &denominator % d != UBig::ZERO {
                denominator = &denominator / (&denominator).gcd(d) * d;
            }
        }
        // Zeros, most entries of an equilibrium, need no scaling.
        let numerators = strategy
            .iter()
            .map(|x| match x.numerator() {
                n if *n == IBig::ZERO => IBig::ZERO,
                n => n * IBig::from(&denominator / x.denominator()),
            })
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
        // A product of two `i64`s cannot overflow `i128`: only wider weights need the check.
        let product = match i64::try_from(*weight) {
            Ok(w) => i128::from(w) * i128::from(payoff),
            Err(_) => weight.checked_mul(i128::from(payoff))?,
        };
        self.checked_add(product)
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

/// Player `p`'s integer values `V_s` (module docs) in `T` into `values`, or `None` on
/// overflow, from every player's numerators `weight(q, s) = X_{q,s}` (player `p`'s own are not
/// read; `None` from `weight` is an overflow too). `lists` is the odometer's scratch space.
fn strategy_values<T: Accumulator>(
    game: &StrategicGame,
    table: &IntegerPayoffs,
    weight: impl Fn(usize, usize) -> Option<T>,
    supports: &Supports,
    p: usize,
    lists: &mut Vec<usize>,
    values: &mut Vec<T>,
) -> Option<()> {
    let (payoffs, stride) = (table.numerators(), game.stride(p));
    values.clear();
    values.resize(game.num_strategies(p), T::zero());
    for_each_opponent_profile(game, supports, p, lists, |others, chosen, base| {
        let mut product = T::one();
        for (&q, &s) in others.iter().zip(chosen) {
            product = product.times(&weight(q, s)?)?;
        }
        for (s, value) in values.iter_mut().enumerate() {
            *value = value.plus_product(&product, payoffs[base + s * stride])?;
        }
        Some(())
    })
}

/// `(max_s V_s, V_s on p's support)` as `IBig`, summed in `i128` when that does not overflow.
fn best_and_support_values(
    game: &StrategicGame,
    table: &IntegerPayoffs,
    mixed: &[CommonDenominator],
    supports: &Supports,
    p: usize,
) -> Option<(IBig, Vec<IBig>)> {
    fn summarise<T: Accumulator>(values: &[T], support: &[usize]) -> Option<(IBig, Vec<IBig>)> {
        let best = values.iter().max()?.clone().into_ibig();
        let on_support = support
            .iter()
            .map(|&s| values[s].clone().into_ibig())
            .collect();
        Some((best, on_support))
    }
    let mut lists = Vec::new();
    let mut in_i128 = Vec::new();
    let weight = |q: usize, s: usize| i128::from_ibig(&mixed[q].numerators[s]);
    match strategy_values(game, table, weight, supports, p, &mut lists, &mut in_i128) {
        Some(()) => summarise(&in_i128, supports.of(p)),
        None => {
            let mut values = Vec::new();
            let weight = |q: usize, s: usize| Some(mixed[q].numerators[s].clone());
            strategy_values::<IBig>(game, table, weight, supports, p, &mut lists, &mut values)?;
            summarise(&values, supports.of(p))
        }
    }
}

/// Player `p`'s answers from its integers (module docs): the expected payoff `E / denominator`
/// appended to `payoffs`, and `regret` raised to `gain / denominator` when that is larger. A
/// denominator of 1 (integer payoffs, pure strategies) needs no reduction by a gcd.
fn record(payoffs: &mut Vec<Q>, regret: &mut Q, expected: IBig, gain: IBig, denominator: IBig) {
    let ratio = |numerator: IBig, denominator: IBig| {
        if denominator == IBig::ONE {
            Q::from(numerator)
        } else {
            Q::from_parts_signed(numerator, denominator)
        }
    };
    if gain > IBig::ZERO {
        let gain = ratio(gain, denominator.clone());
        if gain > *regret {
            *regret = gain;
        }
    }
    payoffs.push(ratio(expected, denominator));
}

/// Every player's mixed strategy on its own common denominator, all in one list (the `i64`
/// view of [`IntegerPayoffs`], without a vector per player): `x_{q,s} =
/// numerators[starts[q] + s] / denominators[q]`.
struct MachineProfile {
    numerators: Vec<i64>,
    starts: Vec<usize>,
    denominators: Vec<i64>,
}

impl MachineProfile {
    /// The profile's view, `None` when some strategy has none; `Some(Err(p))` when player `p`'s
    /// strategy (the first such) is not a probability vector.
    fn new(profile: &[Vec<Q>]) -> Option<Result<Self, usize>> {
        let mut view = MachineProfile {
            numerators: Vec::with_capacity(profile.iter().map(Vec::len).sum()),
            starts: Vec::with_capacity(profile.len()),
            denominators: Vec::with_capacity(profile.len()),
        };
        for (p, strategy) in profile.iter().enumerate() {
            let denominator = common_denominator(strategy)?;
            let start = view.numerators.len();
            push_numerators(strategy, denominator, &mut view.numerators)?;
            let own = &view.numerators[start..];
            // At most `MAX_STRATEGIES` `i64`s per sum: far inside `i128`.
            if own.iter().any(|&x| x < 0)
                || own.iter().map(|&x| i128::from(x)).sum::<i128>() != i128::from(denominator)
            {
                return Some(Err(p));
            }
            view.starts.push(start);
            view.denominators.push(denominator);
        }
        Some(Ok(view))
    }

    /// `X_{q,s}`.
    fn numerator(&self, q: usize, s: usize) -> i64 {
        self.numerators[self.starts[q] + s]
    }
}

/// [`integer_payoffs_and_regret`] in checked `i128` alone: `None` when a strategy or some
/// player's payoffs have no `i64` view or a sum or product overflows (the caller then takes
/// the `IBig` path, which gives the same answers), `Some(Err(p))` when player `p`'s strategy
/// (the first such) is not a probability vector.
pub(super) fn machine_payoffs_and_regret(
    game: &StrategicGame,
    profile: &[Vec<Q>],
) -> Option<Result<(Vec<Q>, Q), usize>> {
    let mixed = match MachineProfile::new(profile)? {
        Ok(mixed) => mixed,
        Err(p) => return Some(Err(p)),
    };
    let supports = Supports::new(profile.iter().map(Vec::len), |q, s| {
        mixed.numerator(q, s) != 0
    });
    let all_denominators = mixed
        .denominators
        .iter()
        .try_fold(1i128, |acc, &d| acc.checked_mul(i128::from(d)))?;
    let weight = |q: usize, s: usize| Some(i128::from(mixed.numerator(q, s)));
    let (mut lists, mut values) = (Vec::new(), Vec::new());
    let mut payoffs = Vec::with_capacity(profile.len());
    let mut regret = Q::ZERO;
    for p in 0..profile.len() {
        let table = game.payoff_table_int(p)?;
        strategy_values(game, table, weight, &supports, p, &mut lists, &mut values)?;
        let best = *values.iter().max()?;
        let expected = supports.of(p).iter().try_fold(0i128, |acc, &s| {
            acc.checked_add(i128::from(mixed.numerator(p, s)).checked_mul(values[s])?)
        })?;
        let gain = best
            .checked_mul(i128::from(mixed.denominators[p]))?
            .checked_sub(expected)?;
        let denominator =
            all_denominators.checked_mul(i128::from(table.denominator().unsigned_abs()))?;
        record(
            &mut payoffs,
            &mut regret,
            IBig::from(expected),
            IBig::from(gain),
            IBig::from(denominator),
        );
    }
    Some(Ok((payoffs, regret)))
}

/// Every player's expected payoff and the largest regret, equal to
/// [`payoffs_and_regret`](super::payoffs_and_regret) on the same profile; `None` when some
/// player's payoffs have no integer view.
pub(super) fn integer_payoffs_and_regret(
    game: &StrategicGame,
    mixed: &[CommonDenominator],
) -> Option<(Vec<Q>, Q)> {
    let supports = Supports::new(mixed.iter().map(|m| m.numerators.len()), |q, s| {
        mixed[q].numerators[s] != IBig::ZERO
    });
    let all_denominators = mixed.iter().fold(UBig::ONE, |acc, s| acc * &s.denominator);
    let mut payoffs = Vec::with_capacity(mixed.len());
    let mut regret = Q::ZERO;
    for (p, strategy) in mixed.iter().enumerate() {
        let table = game.payoff_table_int(p)?;
        let (best, on_support) = best_and_support_values(game, table, mixed, &supports, p)?;
        let expected = supports
            .of(p)
            .iter()
            .zip(&on_support)
            .fold(IBig::ZERO, |acc, (&s, v)| acc + &strategy.numerators[s] * v);
        let denominator =
            IBig::from(&all_denominators * UBig::from(table.denominator().unsigned_abs()));
        let gain = best * IBig::from(strategy.denominator.clone()) - &expected;
        record(&mut payoffs, &mut regret, expected, gain, denominator);
    }
    Some((payoffs, regret))
}

#[cfg(test)]
mod tests {
    use super::super::{certify_exact_in, Arithmetic};
    use super::machine_payoffs_and_regret;
    use crate::game::StrategicGame;
    use crate::num::{IBig, Q};
    use proptest::prelude::*;

    /// Payoffs of one player: small integers, small fractions, integers near 2⁶² (sums overflow
    /// `i128` once weighted), or fractions whose common denominator overflows `i64` (no
    /// integer view: the rational path alone).
    fn payoff(regime: u8) -> BoxedStrategy<Q> {
        let ratio = |(n, d): (i64, i64)| Q::from_parts_signed(IBig::from(n), IBig::from(d));
        match regime {
            0 => (-5i64..=5).prop_map(Q::from).boxed(),
            1 => (-20i64..=20, 1i64..=6).prop_map(ratio).boxed(),
            2 => (-(1i64 << 62)..(1i64 << 62)).prop_map(Q::from).boxed(),
            _ => (-1000i64..=1000, (1i64 << 40)..(1i64 << 41))
                .prop_map(ratio)
                .boxed(),
        }
    }

    /// A mixed strategy from weights: `mode` 0 normalises them (a probability vector), 1 leaves
    /// the sum short of 1, 2 negates the first entry (both refused by certification).
    fn strategy(weights: &[u64], mode: u8) -> Vec<Q> {
        let mut w: Vec<Q> = weights.iter().map(|&v| Q::from(v)).collect();
        if w.iter().all(|x| *x == Q::ZERO) {
            w[0] = Q::ONE;
        }
        let total = w.iter().fold(Q::ZERO, |a, x| a + x);
        let scale = if mode == 1 { total + Q::ONE } else { total };
        let mut s: Vec<Q> = w.into_iter().map(|x| x / &scale).collect();
        if mode == 2 {
            s[0] = -s[0].clone();
        }
        s
    }

    fn game_and_profile() -> impl Strategy<Value = (StrategicGame, Vec<Vec<Q>>)> {
        prop::collection::vec(1usize..=3, 2..=3)
            .prop_flat_map(|counts| {
                let cells: usize = counts.iter().product();
                let tables: Vec<_> = counts
                    .iter()
                    .map(|_| {
                        (0u8..4).prop_flat_map(move |r| prop::collection::vec(payoff(r), cells))
                    })
                    .collect();
                let weights: Vec<_> = counts
                    .iter()
                    .map(|&c| {
                        let small = prop::collection::vec(0u64..=3, c).boxed();
                        let wide = prop::collection::vec(0u64..1_000_000_000_000, c).boxed();
                        (
                            prop_oneof![small, wide],
                            prop_oneof![6 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
                        )
                    })
                    .collect();
                (Just(counts), tables, weights)
            })
            .prop_map(|(counts, tables, weights)| {
                let players = (0..counts.len()).map(|p| format!("p{p}")).collect();
                let labels = counts
                    .iter()
                    .map(|&c| (0..c).map(|s| s.to_string()).collect())
                    .collect();
                let game = StrategicGame::new("", players, labels, tables).expect("valid shape");
                let profile = weights.iter().map(|(w, mode)| strategy(w, *mode)).collect();
                (game, profile)
            })
    }

    /// The machine-integer, the big-integer and the rational computation, on the same
    /// profile, agree exactly.
    fn agree(game: &StrategicGame, profile: Vec<Vec<Q>>) -> Result<(), TestCaseError> {
        let by_rationals = certify_exact_in(game, profile.clone(), Arithmetic::Rational);
        for from in [Arithmetic::BigIntegers, Arithmetic::Machine] {
            match (certify_exact_in(game, profile.clone(), from), &by_rationals) {
                (Ok(a), Ok(b)) => prop_assert_eq!(&a, b),
                (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                (a, b) => prop_assert!(false, "{from:?} {a:?} vs rationals {b:?}"),
            }
        }
        Ok(())
    }

    /// Payoffs independent of a player's own strategy make every profile an equilibrium whose
    /// payoff is the closed form `c · P(opponents play their first strategy) + k · rest`. With
    /// `c` near 2⁶² and probabilities over ~10¹², the sums overflow `i128`: the `IBig` path.
    #[test]
    fn equilibria_of_a_game_needing_big_integers_have_the_closed_form_payoffs() {
        let (c, k) = ((1i64 << 62) - 1, -(1i64 << 61));
        // 3 players, 2 strategies each, profile index s1 + 2·s2 + 4·s3.
        let table = |p: usize| -> Vec<Q> {
            (0..8)
                .map(|cell: usize| {
                    let others_first = (0..3).filter(|&q| q != p).all(|q| (cell >> q) & 1 == 0);
                    Q::from(if others_first { c } else { k })
                })
                .collect()
        };
        let labels = vec![vec!["a".to_string(), "b".to_string()]; 3];
        let players = vec!["1".into(), "2".into(), "3".into()];
        let game = StrategicGame::new("", players, labels, (0..3).map(table).collect()).unwrap();
        let x = Q::from_parts_signed(
            IBig::from(123_456_789_012i64),
            IBig::from(999_999_999_989i64),
        );
        let profile = vec![vec![x.clone(), Q::ONE - &x]; 3];
        // The machine-integer path overflows and hands over to `IBig`.
        assert!(machine_payoffs_and_regret(&game, &profile).is_none());
        let certified = certify_exact_in(&game, profile.clone(), Arithmetic::Machine).unwrap();
        let both_first = &x * &x;
        let expected = &both_first * Q::from(c) + (Q::ONE - &both_first) * Q::from(k);
        assert_eq!(certified.payoffs, vec![expected; 3]);
        assert_eq!(certified.regret, Q::ZERO);
        assert_eq!(
            Ok(certified),
            certify_exact_in(&game, profile, Arithmetic::Rational).map_err(|e| e.to_string())
        );
    }

    /// Payoffs near `i64::MAX` in a 2×2 game where each player's payoff ignores the own
    /// strategy: the values alone fit `i128`, but multiplied by a denominator near 2⁶³ they do
    /// not, so the machine path gives up and the `IBig` path answers the closed form
    /// `c·x + k·(1−x)` for the opponent's first-strategy probability `x`.
    #[test]
    fn payoffs_near_i64_max_fall_back_from_machine_integers_with_the_same_answer() {
        let (c, k) = (i64::MAX - 1, i64::MIN + 2);
        // Profile index s1 + 2·s2; player 1's payoff depends on s2 only, player 2's on s1.
        let table = |p: usize| -> Vec<Q> {
            (0..4usize)
                .map(|cell| Q::from(if (cell >> (1 - p)) & 1 == 0 { c } else { k }))
                .collect()
        };
        let labels = vec![vec!["a".to_string(), "b".to_string()]; 2];
        let game = StrategicGame::new(
            "",
            vec!["1".into(), "2".into()],
            labels,
            vec![table(0), table(1)],
        )
        .unwrap();
        let d = (1i64 << 62) + 3;
        let x = Q::from_parts_signed(IBig::from(d - 5), IBig::from(d));
        let profile = vec![vec![x.clone(), Q::ONE - &x]; 2];
        assert!(machine_payoffs_and_regret(&game, &profile).is_none());
        let certified = certify_exact_in(&game, profile.clone(), Arithmetic::Machine).unwrap();
        let expected = &x * Q::from(c) + (Q::ONE - &x) * Q::from(k);
        assert_eq!(certified.payoffs, vec![expected; 2]);
        for from in [Arithmetic::BigIntegers, Arithmetic::Rational] {
            let other = certify_exact_in(&game, profile.clone(), from).map_err(|e| e.to_string());
            assert_eq!(Ok(&certified), other.as_ref());
        }
    }

    /// Small numbers stay on the machine path, which gives the closed-form answers of
    /// matching pennies (payoffs 0, regret 0 at one half each) and refuses a non-probability.
    #[test]
    fn machine_integers_answer_matching_pennies_and_refuse_a_non_probability() {
        let one = Q::from(1);
        let game = StrategicGame::bimatrix(
            &[
                vec![one.clone(), -one.clone()],
                vec![-one.clone(), one.clone()],
            ],
            &[
                vec![-one.clone(), one.clone()],
                vec![one.clone(), -one.clone()],
            ],
        )
        .unwrap();
        let half = Q::from_parts_signed(IBig::from(1), IBig::from(2));
        let profile = vec![vec![half.clone(), half.clone()]; 2];
        let (payoffs, regret) = machine_payoffs_and_regret(&game, &profile)
            .unwrap()
            .unwrap();
        assert_eq!((payoffs, regret), (vec![Q::ZERO, Q::ZERO], Q::ZERO));
        let short = vec![
            vec![half.clone(), half.clone()],
            vec![half.clone(), Q::ZERO],
        ];
        assert_eq!(machine_payoffs_and_regret(&game, &short), Some(Err(1)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Random games and profiles, mostly not equilibria: the same verdict and error text.
        #[test]
        fn integer_and_rational_certification_agree((game, profile) in game_and_profile()) {
            agree(&game, profile)?;
        }

        /// Equilibria (Lemke–Howson's ends on random bimatrix games, fractional payoffs
        /// included): the same payoffs and zero regret either way.
        #[test]
        fn integer_and_rational_certification_agree_on_equilibria(
            (a, b) in (1usize..=4, 1usize..=4).prop_flat_map(|(m, n)| (
                prop::collection::vec(prop::collection::vec(payoff(1), n), m),
                prop::collection::vec(prop::collection::vec(payoff(1), n), m),
            ))
        ) {
            let game = StrategicGame::bimatrix(&a, &b).expect("valid shape");
            let profile = crate::solve::lcp::lemke_howson_exact(&game, 0).expect("an equilibrium");
            prop_assert!(certify_exact_in(&game, profile.clone(), Arithmetic::Rational).is_ok());
            agree(&game, profile)?;
        }
    }
}
