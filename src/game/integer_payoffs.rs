//! An integer view of one player's payoff table: `payoff = numerator / denominator` with one
//! positive denominator for the whole table.
//!
//! Why: exact solvers and certification spend most of their time in rational arithmetic, whose
//! every operation normalises by a gcd. Scaling a player's payoffs by one positive constant
//! changes neither best responses nor equilibria, so on integer numerators the same exact
//! questions are answered in machine integers (checked, never wrapped), and rationals are only
//! needed for the answers. Most games — Gambit's examples, random benchmark games, the model's
//! exports — have small integer or decimal payoffs, so the view almost always exists.

use crate::num::Q;
use dashu::base::Gcd;

/// A player's payoffs over all pure profiles (player-1-fastest, as in
/// [`StrategicGame`](super::StrategicGame)) as `numerators[k] / denominator`.
#[derive(Debug, Clone, PartialEq)]
pub struct IntegerPayoffs {
    numerators: Vec<i64>,
    denominator: i64,
    /// Least and greatest numerator (`(0, 0)` for an empty table), found once here: solvers
    /// that shift payoffs to be positive need them on every call.
    min: i64,
    max: i64,
}

impl IntegerPayoffs {
    /// The view of `table`, or `None` when the least common denominator or a scaled numerator
    /// does not fit an `i64` (numerators stay above `i64::MIN`, so `abs` never overflows):
    /// `common_denominator` and `push_numerators` below, with which certification views a
    /// mixed strategy the same way.
    pub fn new(table: &[Q]) -> Option<Self> {
        let denominator = common_denominator(table)?;
        let mut numerators = Vec::with_capacity(table.len());
        push_numerators(table, denominator, &mut numerators)?;
        let min = numerators.iter().copied().min().unwrap_or(0);
        let max = numerators.iter().copied().max().unwrap_or(0);
        Some(IntegerPayoffs {
            numerators,
            denominator,
            min,
            max,
        })
    }

    /// Scaled payoffs, one per pure profile.
    pub fn numerators(&self) -> &[i64] {
        &self.numerators
    }

    /// The positive common denominator (1 for integer payoffs).
    pub fn denominator(&self) -> i64 {
        self.denominator
    }

    /// The least numerator (0 for an empty table).
    pub fn min(&self) -> i64 {
        self.min
    }

    /// The greatest numerator (0 for an empty table).
    pub fn max(&self) -> i64 {
        self.max
    }
}

/// The least common denominator of `values`, when it fits an `i64` (zeros and integers, most
/// entries of a table and of a mixed strategy, skip the conversions of their denominators).
pub(crate) fn common_denominator(values: &[Q]) -> Option<i64> {
    let mut denominator: u64 = 1;
    for q in values.iter().filter(|q| !q.denominator().is_one()) {
        let d = u64::try_from(q.denominator()).ok()?;
        if denominator % d != 0 {
            denominator = (denominator / denominator.gcd(d)).checked_mul(d)?;
        }
    }
    i64::try_from(denominator).ok()
}

/// Append each of `values` as a numerator over `denominator` (a positive multiple of every
/// value's denominator, e.g. [`common_denominator`]'s) to `into`; `None` when one does not fit
/// an `i64` or is `i64::MIN` (so that `abs` never overflows).
pub(crate) fn push_numerators(values: &[Q], denominator: i64, into: &mut Vec<i64>) -> Option<()> {
    for q in values {
        if q.numerator().is_zero() {
            into.push(0);
            continue;
        }
        let n = i64::try_from(q.numerator()).ok()?;
        let scale = match q.denominator() {
            d if d.is_one() => denominator,
            d => denominator / i64::try_from(d).ok()?,
        };
        into.push(n.checked_mul(scale).filter(|&v| v != i64::MIN)?);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::parse_q;

    fn view(texts: &[&str]) -> Option<IntegerPayoffs> {
        let table: Vec<Q> = texts.iter().map(|t| parse_q(t).unwrap()).collect();
        IntegerPayoffs::new(&table)
    }

    #[test]
    fn scales_by_the_least_common_denominator() {
        let v = view(&["1/2", "-2/3", "5", "0.25"]).unwrap();
        assert_eq!(v.denominator(), 12);
        assert_eq!(v.numerators(), [6, -8, 60, 3]);
        assert_eq!((v.min(), v.max()), (-8, 60));
    }

    #[test]
    fn integers_keep_denominator_one() {
        let v = view(&["0", "999", "-7"]).unwrap();
        assert_eq!((v.denominator(), v.numerators()), (1, &[0, 999, -7][..]));
    }

    #[test]
    fn refuses_what_does_not_fit() {
        assert!(view(&["99999999999999999999"]).is_none());
        assert!(
            view(&["1/4294967311", "1/4294967357"]).is_none(),
            "lcm of two primes > 2^32"
        );
        assert!(
            view(&["-9223372036854775808"]).is_none(),
            "i64::MIN is refused"
        );
        assert!(
            view(&["4611686018427387904", "1/2"]).is_none(),
            "2^62 · 2 overflows"
        );
    }
}
