//! Certification: the regret of a mixed profile, computed from the game alone.
//!
//! This code shares nothing with any solver, so a solver bug cannot hide itself: every
//! equilibrium the CLI prints has passed [`certify_exact`] or [`certify_float`] (exact: regret exactly 0; float:
//! regret ≤ `tol::REGRET_F64` × the game's payoff scale).

use crate::error::{Error, Result};
use crate::game::StrategicGame;
use crate::num::{tol, Scalar, Q};
use integer::{integer_payoffs_and_regret, machine_payoffs_and_regret, CommonDenominator};
use pure::{pure_payoffs_and_regret, pure_strategies};

mod integer;
mod pure;

/// A mixed profile that passed certification, with each player's expected payoff and its regret.
///
/// It is also the proof of that check: only this module can build one, and nothing can change
/// one (its fields are private, read through [`Certified::profile`], [`Certified::payoffs`] and
/// [`Certified::regret`]), so code that receives a `Certified` — `solve_strategic` from a solver
/// that ran [`certify_exact`] on its answer — need not certify it again: the profile it holds is
/// the one certified. [`Certified::into_profile`] gives the profile up, and with it the proof.
#[derive(Debug, Clone, PartialEq)]
pub struct Certified<T> {
    /// Mixed strategy of each player: `profile[p][s]` is player p's probability of pure strategy s.
    profile: Vec<Vec<T>>,
    /// Each player's expected payoff under the profile, by 0-based player.
    payoffs: Vec<T>,
    /// Largest gain any player gets by deviating to a pure strategy.
    regret: T,
}

impl<T> Certified<T> {
    /// Mixed strategy of each player: `profile()[p][s]` is player p's probability of pure
    /// strategy s.
    pub fn profile(&self) -> &[Vec<T>] {
        &self.profile
    }

    /// Each player's expected payoff under the profile, by 0-based player.
    pub fn payoffs(&self) -> &[T] {
        &self.payoffs
    }

    /// Largest gain any player gets by deviating to a pure strategy.
    pub fn regret(&self) -> &T {
        &self.regret
    }

    /// The profile, taken out of its certificate.
    pub fn into_profile(self) -> Vec<Vec<T>> {
        self.profile
    }
}

/// An equilibrium in exact or in floating-point arithmetic.
#[derive(Debug, Clone, PartialEq)]
pub enum Equilibrium {
    /// Certified in exact rational arithmetic: the regret is exactly 0.
    Exact(Certified<Q>),
    /// Certified in `f64`: the regret is within `tol::REGRET_F64` times the payoff scale.
    Float(Certified<f64>),
}

impl Equilibrium {
    /// The profile as text, `[player][strategy]`: exact fractions (`1/2`) or decimals.
    pub fn profile_text(&self) -> Vec<Vec<String>> {
        match self {
            Equilibrium::Exact(c) => texts(&c.profile),
            Equilibrium::Float(c) => texts(&c.profile),
        }
    }
    /// Each player's expected payoff as text (exact fraction or decimal).
    pub fn payoffs_text(&self) -> Vec<String> {
        match self {
            Equilibrium::Exact(c) => c.payoffs.iter().map(Scalar::to_text).collect(),
            Equilibrium::Float(c) => c.payoffs.iter().map(Scalar::to_text).collect(),
        }
    }
    /// The certified regret as text (`0` for an exact equilibrium).
    pub fn regret_text(&self) -> String {
        match self {
            Equilibrium::Exact(c) => c.regret.to_text(),
            Equilibrium::Float(c) => c.regret.to_text(),
        }
    }
    /// The profile as `f64`, `[player][strategy]` (exact values rounded).
    pub fn profile_f64(&self) -> Vec<Vec<f64>> {
        match self {
            Equilibrium::Exact(c) => c
                .profile
                .iter()
                .map(|s| s.iter().map(Scalar::as_f64).collect())
                .collect(),
            Equilibrium::Float(c) => c.profile.clone(),
        }
    }
}

fn texts<T: Scalar>(profile: &[Vec<T>]) -> Vec<Vec<String>> {
    profile
        .iter()
        .map(|s| s.iter().map(Scalar::to_text).collect())
        .collect()
}

/// Each player's support (the strategies a profile plays with positive probability), all in
/// one list: certification runs on every candidate equilibrium, and small allocations are much
/// of its cost.
struct Supports {
    strategies: Vec<usize>,
    /// Player p's support is `strategies[starts[p]..starts[p + 1]]`.
    starts: Vec<usize>,
}

impl Supports {
    /// The supports of a profile whose players have `lengths` strategies, player p playing s
    /// with positive probability when `played(p, s)`.
    fn new(
        lengths: impl Iterator<Item = usize> + Clone,
        played: impl Fn(usize, usize) -> bool,
    ) -> Self {
        let mut strategies = Vec::with_capacity(lengths.clone().sum());
        let mut starts = Vec::with_capacity(lengths.clone().count() + 1);
        starts.push(0);
        for (p, m) in lengths.enumerate() {
            strategies.extend((0..m).filter(|&s| played(p, s)));
            starts.push(strategies.len());
        }
        Supports { strategies, starts }
    }

    /// The supports of a profile of scalars: its nonzero probabilities.
    fn of_profile<T: Scalar>(profile: &[Vec<T>]) -> Self {
        Supports::new(profile.iter().map(Vec::len), |p, s| {
            profile[p][s] != T::zero()
        })
    }

    /// Player `p`'s support.
    fn of(&self, p: usize) -> &[usize] {
        &self.strategies[self.starts[p]..self.starts[p + 1]]
    }
}

/// Visit every profile of the players other than `p` whose strategies are all in their
/// supports (an odometer over the supports): `visit(others, strategies, base)` gets the other
/// players (in order, `p` skipped), their strategies and the profile's index with `p`'s
/// strategy 0. Stops early, returning `None`, when `visit` does. `lists` is scratch space, kept
/// by the caller from one player to the next.
fn for_each_opponent_profile(
    game: &StrategicGame,
    supports: &Supports,
    p: usize,
    lists: &mut Vec<usize>,
    mut visit: impl FnMut(&[usize], &[usize], usize) -> Option<()>,
) -> Option<()> {
    // One buffer for the three lists (others, odometer digits, chosen strategies).
    let count = game.num_players() - 1;
    lists.clear();
    lists.reserve(3 * count);
    lists.extend((0..game.num_players()).filter(|&q| q != p));
    lists.resize(3 * count, 0);
    let (others, odometer) = lists.split_at_mut(count);
    let (digit, chosen) = odometer.split_at_mut(count);
    if others.iter().any(|&q| supports.of(q).is_empty()) {
        return Some(());
    }
    loop {
        let mut base = 0;
        for (d, &q) in others.iter().enumerate() {
            chosen[d] = supports.of(q)[digit[d]];
            base += chosen[d] * game.stride(q);
        }
        visit(others, chosen, base)?;
        let mut d = 0;
        while d < count {
            digit[d] += 1;
            if digit[d] < supports.of(others[d]).len() {
                break;
            }
            digit[d] = 0;
            d += 1;
        }
        if d == count {
            return Some(());
        }
    }
}

/// Player `p`'s payoff from each of its pure strategies against the others' mix, into `values`
/// (cleared first; `lists` is [`for_each_opponent_profile`]'s scratch space).
fn strategy_values_into<T: Scalar>(
    game: &StrategicGame,
    profile: &[Vec<T>],
    supports: &Supports,
    p: usize,
    lists: &mut Vec<usize>,
    values: &mut Vec<T>,
) {
    let table = T::table(game, p);
    let stride = game.stride(p);
    values.clear();
    values.resize(game.num_strategies(p), T::zero());
    for_each_opponent_profile(game, supports, p, lists, |others, chosen, base| {
        let weight = others
            .iter()
            .zip(chosen)
            .fold(T::one(), |w, (&q, &s)| w.mul(&profile[q][s]));
        for (s, value) in values.iter_mut().enumerate() {
            *value = value.add(&weight.mul(&table[base + s * stride]));
        }
        Some(())
    });
}

/// For each player, the expected payoff of each of its pure strategies against the others' mix.
///
/// For each player p this walks only the profiles whose other players' strategies are in their
/// supports, so the cost is `Σ_p |S_p| · Π_{q≠p} |supp q|`: cheap for the sparse profiles
/// equilibria usually are.
pub fn pure_strategy_values<T: Scalar>(game: &StrategicGame, profile: &[Vec<T>]) -> Vec<Vec<T>> {
    let supports = Supports::of_profile(profile);
    let mut lists = Vec::new();
    (0..game.num_players())
        .map(|p| {
            let mut values = Vec::new();
            strategy_values_into(game, profile, &supports, p, &mut lists, &mut values);
            values
        })
        .collect()
}

/// Expected payoffs and regret of a mixed profile (no checks on the profile itself).
pub fn payoffs_and_regret<T: Scalar>(game: &StrategicGame, profile: &[Vec<T>]) -> (Vec<T>, T) {
    let supports = Supports::of_profile(profile);
    let (mut lists, mut values) = (Vec::new(), Vec::new());
    let mut payoffs = Vec::with_capacity(game.num_players());
    let mut regret = T::zero();
    for p in 0..game.num_players() {
        strategy_values_into(game, profile, &supports, p, &mut lists, &mut values);
        let expected = values
            .iter()
            .zip(&profile[p])
            .fold(T::zero(), |acc, (v, x)| acc.add(&v.mul(x)));
        let best = values
            .iter()
            .cloned()
            .fold(expected.clone(), |b, v| if v > b { v } else { b });
        let gain = best.sub(&expected);
        if gain > regret {
            regret = gain;
        }
        payoffs.push(expected);
    }
    (payoffs, regret)
}

/// Largest absolute payoff in the game (at least 1): the scale of float tolerances (found once,
/// when the game is built: [`StrategicGame::payoff_scale`]).
pub fn payoff_scale(game: &StrategicGame) -> f64 {
    game.payoff_scale()
}

fn check_shape<T: Scalar>(game: &StrategicGame, profile: &[Vec<T>]) -> Result<()> {
    if profile.len() != game.num_players()
        || profile
            .iter()
            .enumerate()
            .any(|(p, s)| s.len() != game.num_strategies(p))
    {
        return Err(Error::Solver(
            "certification: profile does not match the game's shape".into(),
        ));
    }
    Ok(())
}

/// Certify an exact profile: each strategy a probability vector, regret exactly zero.
///
/// A pure profile's payoffs and regret are read off the exact tables (see `pure`). Otherwise,
/// when every player's payoffs have an integer view (the usual case) the arithmetic runs on
/// integers (see `integer`): in checked `i128` while every number fits, else in `IBig`. Either
/// way the result is the same, bit for bit, as the rational computation of
/// [`payoffs_and_regret`].
pub fn certify_exact(game: &StrategicGame, profile: Vec<Vec<Q>>) -> Result<Certified<Q>> {
    certify_exact_in(game, profile, Arithmetic::Machine)
}

/// The arithmetic [`certify_exact_in`] starts from; each falls back to the next (machine
/// integers to big integers to rationals) when the numbers do not fit. Tests compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Arithmetic {
    /// Rationals throughout ([`payoffs_and_regret`]): the reference tests compare the integer
    /// paths with (certification itself starts from `Machine`).
    #[cfg(test)]
    Rational,
    /// Integers on common denominators, `IBig` where `i128` overflows.
    BigIntegers,
    /// A pure profile read off the tables; otherwise checked `i128` throughout.
    Machine,
}

fn not_a_probability_vector(p: usize) -> Error {
    Error::Solver(format!(
        "certification failed: player {}'s strategy is not a probability vector",
        p + 1
    ))
}

/// [`certify_exact`], starting from the arithmetic `from` (integers only when the game has
/// integer views).
fn certify_exact_in(
    game: &StrategicGame,
    profile: Vec<Vec<Q>>,
    from: Arithmetic,
) -> Result<Certified<Q>> {
    check_shape(game, &profile)?;
    let on_machine = (from >= Arithmetic::Machine)
        .then(|| match pure_strategies(&profile) {
            Some(chosen) => Some(Ok(pure_payoffs_and_regret(game, &chosen))),
            None => machine_payoffs_and_regret(game, &profile),
        })
        .flatten();
    let (payoffs, regret) = match on_machine {
        Some(answers) => answers.map_err(not_a_probability_vector)?,
        None => {
            let mixed: Vec<CommonDenominator> =
                profile.iter().map(|s| CommonDenominator::new(s)).collect();
            if let Some(p) = mixed.iter().position(|s| !s.is_probability_vector()) {
                return Err(not_a_probability_vector(p));
            }
            (from >= Arithmetic::BigIntegers)
                .then(|| integer_payoffs_and_regret(game, &mixed))
                .flatten()
                .unwrap_or_else(|| payoffs_and_regret(game, &profile))
        }
    };
    if regret != Q::ZERO {
        return Err(Error::Solver(format!(
            "certification failed: exact regret {} is not zero",
            crate::num::fmt_q(&regret)
        )));
    }
    Ok(Certified {
        profile,
        payoffs,
        regret,
    })
}

/// Certify a float profile: a probability vector within tolerance, regret ≤ `REGRET_F64` × scale.
pub fn certify_float(game: &StrategicGame, profile: Vec<Vec<f64>>) -> Result<Certified<f64>> {
    certify_float_within(game, profile, tol::REGRET_F64 * payoff_scale(game))
}

/// The payoff range: largest payoff minus smallest, over every player and pure profile (0 for
/// a game of equal payoffs). Gambit states the approximate solvers' `maxregret` in its units.
pub fn payoff_range(game: &StrategicGame) -> f64 {
    let (lo, hi) = (0..game.num_players())
        .flat_map(|p| game.payoff_table_f64(p).iter().copied())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if hi >= lo {
        hi - lo
    } else {
        0.0
    }
}

/// Certify a float profile as an approximate equilibrium: a probability vector within
/// `REGRET_F64`, regret at most `bound` (in payoff units). [`certify_float`] uses the project's
/// bound; the approximate solvers (`simpdiv`, `liap`) state theirs, which the output reports.
pub fn certify_float_within(
    game: &StrategicGame,
    profile: Vec<Vec<f64>>,
    bound: f64,
) -> Result<Certified<f64>> {
    check_shape(game, &profile)?;
    let eps = tol::REGRET_F64;
    for (p, s) in profile.iter().enumerate() {
        let sum: f64 = s.iter().sum();
        if s.iter().any(|x| !x.is_finite() || *x < -eps) || (sum - 1.0).abs() > eps {
            return Err(Error::Solver(format!(
                "certification failed: player {}'s strategy is not a probability vector",
                p + 1
            )));
        }
    }
    let (payoffs, regret) = payoffs_and_regret(game, &profile);
    // Payoffs beyond f64's range (a payoff of 1e400 is infinite in the float view) make the
    // expected payoffs infinite or NaN, and the regret, a maximum of differences, can then
    // come out 0: such a profile is not certified in floating point at all.
    if payoffs.iter().any(|u| !u.is_finite()) || !bound.is_finite() {
        return Err(Error::Solver(
            "certification failed: payoffs are beyond floating-point range; use an exact solver"
                .into(),
        ));
    }
    if regret.is_nan() || regret > bound {
        return Err(Error::Solver(format!(
            "certification failed: regret {regret:e} exceeds the tolerance {bound:e}"
        )));
    }
    Ok(Certified {
        profile,
        payoffs,
        regret,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{parse_q, q_matrix};

    /// A payoff of 1e400 is exact here but infinite as an `f64`: float certification must
    /// refuse rather than report regret 0 (exact certification still works).
    #[test]
    fn float_certification_refuses_payoffs_beyond_f64() {
        let huge = parse_q("1e400").unwrap();
        let a = vec![vec![huge.clone(), Q::ZERO], vec![Q::ZERO, huge.clone()]];
        let g = StrategicGame::bimatrix(&a, &a).unwrap();
        let err = certify_float(&g, vec![vec![1.0, 0.0], vec![0.0, 1.0]]).unwrap_err();
        assert!(
            err.to_string().contains("beyond floating-point range"),
            "{err}"
        );
        let pure = vec![vec![Q::ONE, Q::ZERO], vec![Q::ONE, Q::ZERO]];
        assert_eq!(certify_exact(&g, pure).unwrap().regret, Q::ZERO);
    }

    #[test]
    fn matching_pennies_centroid_has_zero_regret() {
        let a = q_matrix(&[&[1, -1], &[-1, 1]]);
        let b = q_matrix(&[&[-1, 1], &[1, -1]]);
        let g = StrategicGame::bimatrix(&a, &b).unwrap();
        let h = parse_q("1/2").unwrap();
        let c = certify_exact(&g, vec![vec![h.clone(), h.clone()], vec![h.clone(), h]]).unwrap();
        assert_eq!(c.payoffs, vec![Q::ZERO, Q::ZERO]);
        // a pure profile of matching pennies has regret 2 and is refused
        let err =
            certify_exact(&g, vec![vec![Q::ONE, Q::ZERO], vec![Q::ONE, Q::ZERO]]).unwrap_err();
        assert!(err.to_string().contains("regret 2"), "{err}");
        let (_, r) = payoffs_and_regret(&g, &[vec![1.0, 0.0], vec![0.0, 1.0]]);
        assert_eq!(r, 2.0);
    }

    #[test]
    fn three_player_values_match_hand_computation() {
        // 2x2x2: player 1's payoff is 1 when all three choose the same strategy.
        let counts = [2, 2, 2];
        let mut tables = vec![Vec::new(), Vec::new(), Vec::new()];
        for k in 0..8 {
            let s = [k % 2, (k / 2) % 2, k / 4];
            let same = s[0] == s[1] && s[1] == s[2];
            for t in tables.iter_mut() {
                t.push(Q::from(same as i64));
            }
        }
        let labels = counts
            .iter()
            .map(|&c| (0..c).map(|i| i.to_string()).collect())
            .collect();
        let g = StrategicGame::new("", vec!["a".into(), "b".into(), "c".into()], labels, tables)
            .unwrap();
        let h = parse_q("1/2").unwrap();
        let prof = vec![
            vec![Q::ONE, Q::ZERO],
            vec![h.clone(), h.clone()],
            vec![h.clone(), h],
        ];
        let v = pure_strategy_values(&g, &prof);
        assert_eq!(v[0], vec![parse_q("1/4").unwrap(), parse_q("1/4").unwrap()]);
        assert_eq!(v[1], vec![parse_q("1/2").unwrap(), Q::ZERO]);
    }
}
