//! Exact linear systems over the rationals, used to turn a floating-point solver's support
//! into an exact answer that certification can check with zero tolerance.
//!
//! [`solve_exact`] eliminates on rationals. [`solve_exact_integer`] answers the same question
//! for an integer system (payoff differences on a game's integer view) by fraction-free
//! elimination (Bareiss 1968) in checked `i128`: every intermediate entry is a minor of
//! `[a | b]` (Sylvester's identity), every division is exact, and no gcd is taken; the caller
//! falls back to the rational path when a product overflows. Both pick the same pivot columns
//! (the first column with a nonzero entry left, which does not depend on the scaling of the
//! rows) and set the free variables to 0, so they return the same solution: the unique one
//! with zeros off the pivot columns (those columns are independent).

use crate::num::Q;
use crate::solve::linalg::integer_system::exact_quotient;

/// One solution of `a · x = b` by Gauss–Jordan elimination over `Q`, free variables set to 0;
/// `None` when the system is inconsistent. `a` is `rows × cols`.
pub fn solve_exact(mut a: Vec<Vec<Q>>, mut b: Vec<Q>) -> Option<Vec<Q>> {
    let rows = a.len();
    let cols = a.first().map_or(0, Vec::len);
    let mut pivot_cols = Vec::new();
    let mut r = 0;
    for c in 0..cols {
        let Some(p) = (r..rows).find(|&i| a[i][c] != Q::ZERO) else {
            continue;
        };
        a.swap(r, p);
        b.swap(r, p);
        let inv = Q::ONE / &a[r][c];
        for v in a[r].iter_mut() {
            *v = &*v * &inv;
        }
        b[r] = &b[r] * &inv;
        // the pivot row is taken out while the others are updated from it
        let pivot_row = std::mem::take(&mut a[r]);
        for (i, row) in a.iter_mut().enumerate() {
            if i != r && row[c] != Q::ZERO {
                let f = row[c].clone();
                for (x, p) in row.iter_mut().zip(&pivot_row) {
                    *x -= &f * p;
                }
                let delta = &f * &b[r];
                b[i] -= delta;
            }
        }
        a[r] = pivot_row;
        pivot_cols.push(c);
        r += 1;
        if r == rows {
            break;
        }
    }
    if b[r..].iter().any(|v| v != &Q::ZERO) {
        return None;
    }
    let mut x = vec![Q::ZERO; cols];
    for (i, &c) in pivot_cols.iter().enumerate() {
        x[c] = b[i].clone();
    }
    Some(x)
}

/// An integer product in [`solve_exact_integer`] does not fit an `i128`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

/// `x = numerators / denominator` with `denominator > 0` (not necessarily in lowest terms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineSolution {
    /// One per unknown.
    pub numerators: Vec<i128>,
    /// Positive.
    pub denominator: i128,
}

/// [`solve_exact`]'s solution of the integer system `[a | b]`, given row-major as `m` with
/// `cols + 1` entries a row (the right-hand side last): `Ok(None)` when the system is
/// inconsistent, `Err(Overflow)` when a product does not fit an `i128` (nothing is wrapped).
///
/// Forward elimination is Bareiss' one-step method on the rows left, skipping a column with
/// no nonzero entry; the entry at `(i, j)` after a step is `(p·m_ij − m_ic·m_rj) / previous`,
/// an exact division. With the pivot columns `P` found, `y = d·x_P` (`d`, the last pivot, is
/// `±det` of the pivot block) is integral by Cramer's rule, and back substitution finds it
/// with exact divisions.
pub fn solve_exact_integer(
    mut m: Vec<i128>,
    cols: usize,
) -> Result<Option<MachineSolution>, Overflow> {
    let w = cols + 1;
    let rows = m.len() / w;
    let mut pivot_cols = Vec::with_capacity(rows.min(cols));
    let mut previous = 1i128;
    for c in 0..cols {
        let r = pivot_cols.len();
        if r == rows {
            break;
        }
        let Some(p) = (r..rows).find(|&i| m[i * w + c] != 0) else {
            continue;
        };
        if p != r {
            for j in c..w {
                m.swap(r * w + j, p * w + j);
            }
        }
        let pivot = m[r * w + c];
        for i in r + 1..rows {
            let factor = m[i * w + c];
            for j in c + 1..w {
                let cross = pivot
                    .checked_mul(m[i * w + j])
                    .zip(factor.checked_mul(m[r * w + j]))
                    .and_then(|(u, v)| u.checked_sub(v))
                    .ok_or(Overflow)?;
                m[i * w + j] = exact_quotient(cross, previous).ok_or(Overflow)?;
            }
        }
        previous = pivot;
        pivot_cols.push(c);
    }
    let r = pivot_cols.len();
    if (r..rows).any(|i| m[i * w + cols] != 0) {
        return Ok(None);
    }
    let det = previous;
    let mut numerators = vec![0i128; cols];
    for (i, &c) in pivot_cols.iter().enumerate().rev() {
        let mut acc = det.checked_mul(m[i * w + cols]).ok_or(Overflow)?;
        for &k in &pivot_cols[i + 1..] {
            let term = m[i * w + k].checked_mul(numerators[k]).ok_or(Overflow)?;
            acc = acc.checked_sub(term).ok_or(Overflow)?;
        }
        numerators[c] = exact_quotient(acc, m[i * w + c]).ok_or(Overflow)?;
    }
    if det < 0 {
        for v in numerators.iter_mut() {
            *v = v.checked_neg().ok_or(Overflow)?;
        }
    }
    Ok(Some(MachineSolution {
        numerators,
        denominator: det.checked_abs().ok_or(Overflow)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(v: i64) -> Q {
        Q::from(v)
    }

    #[test]
    fn solves_square_and_underdetermined_systems() {
        // x + y = 3, x - y = 1  → (2, 1)
        let x = solve_exact(vec![vec![q(1), q(1)], vec![q(1), q(-1)]], vec![q(3), q(1)]).unwrap();
        assert_eq!(x, vec![q(2), q(1)]);
        // x + y + z = 1 (free y, z set to 0) → (1, 0, 0)
        let x = solve_exact(vec![vec![q(1), q(1), q(1)]], vec![q(1)]).unwrap();
        assert_eq!(x, vec![q(1), q(0), q(0)]);
        // 2x = 1 → 1/2
        let x = solve_exact(vec![vec![q(2)]], vec![q(1)]).unwrap();
        assert_eq!(x, vec![Q::ONE / q(2)]);
    }

    #[test]
    fn detects_inconsistent_systems() {
        assert!(solve_exact(vec![vec![q(1)], vec![q(1)]], vec![q(1), q(2)]).is_none());
    }

    /// [`solve_exact`] on the rational copy of the row-major integer system `[a | b]`.
    fn rational_reference(m: &[i128], cols: usize) -> Option<Vec<Q>> {
        let (rows, rhs) = m
            .chunks(cols + 1)
            .map(|row| {
                let row: Vec<Q> = row.iter().map(|&v| Q::from(v)).collect();
                (row[..cols].to_vec(), row[cols].clone())
            })
            .unzip();
        solve_exact(rows, rhs)
    }

    fn as_rationals(s: &MachineSolution) -> Vec<Q> {
        s.numerators
            .iter()
            .map(|&y| Q::from(y) / Q::from(s.denominator))
            .collect()
    }

    /// `a·x = b` checked on rationals, independent of both solvers.
    fn solves(m: &[i128], cols: usize, x: &[Q]) -> bool {
        m.chunks(cols + 1).all(|row| {
            let lhs = row[..cols]
                .iter()
                .zip(x)
                .fold(Q::ZERO, |acc, (&a, v)| acc + Q::from(a) * v);
            lhs == Q::from(row[cols])
        })
    }

    #[test]
    fn integer_elimination_skips_a_zero_column_and_sets_free_variables_to_zero() {
        // 0·x + y + z = 2, 0·x + y − z = 0: x free (0), y = z = 1, as solve_exact.
        let m = vec![0, 1, 1, 2, 0, 1, -1, 0];
        let s = solve_exact_integer(m.clone(), 3).unwrap().unwrap();
        assert_eq!(as_rationals(&s), vec![q(0), q(1), q(1)]);
        assert_eq!(Some(as_rationals(&s)), rational_reference(&m, 3));
        // 2x = 1, 4x = 3: inconsistent.
        assert_eq!(solve_exact_integer(vec![2, 1, 4, 3], 1), Ok(None));
    }

    #[test]
    fn integer_overflow_is_reported_and_the_rational_path_still_solves() {
        // Entries near 2^62: the second step's products of 2×2 minors (about 2^250) leave i128.
        let big = 1i128 << 62;
        let m = vec![
            big,
            big - 1,
            big - 3,
            big - 11,
            big - 7,
            5,
            big,
            3,
            1,
            big - 2,
            big - 5,
            big,
        ];
        assert_eq!(solve_exact_integer(m.clone(), 3), Err(Overflow));
        let x = rational_reference(&m, 3).unwrap();
        assert!(solves(&m, 3, &x));
    }

    proptest! {
        /// Random systems of every shape, rank-deficient and inconsistent ones included (small
        /// entries): the integer path gives exactly solve_exact's answer, and it solves.
        #[test]
        fn integer_path_matches_rational_elimination(
            (cols, m) in (1usize..=5, 1usize..=5).prop_flat_map(|(rows, cols)| (
                Just(cols),
                prop::collection::vec(-3i128..=3, rows * (cols + 1)),
            ))
        ) {
            let reference = rational_reference(&m, cols);
            let integer = solve_exact_integer(m.clone(), cols).unwrap();
            prop_assert_eq!(integer.as_ref().map(as_rationals), reference);
            if let Some(s) = integer {
                prop_assert!(s.denominator > 0);
                prop_assert!(solves(&m, cols, &as_rationals(&s)));
            }
        }

        /// Wide entries, so that some systems overflow: where the integer path answers it is
        /// solve_exact's answer; where it overflows the caller's rational path is used.
        #[test]
        fn wide_entries_match_or_overflow(
            (cols, m) in (1usize..=5, 1usize..=5).prop_flat_map(|(rows, cols)| (
                Just(cols),
                prop::collection::vec(-(1i128 << 40)..(1i128 << 40), rows * (cols + 1)),
            ))
        ) {
            if let Ok(integer) = solve_exact_integer(m.clone(), cols) {
                prop_assert_eq!(integer.as_ref().map(as_rationals), rational_reference(&m, cols));
            }
        }
    }
}
