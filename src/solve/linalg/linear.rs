//! Exact linear systems over the rationals, used to turn a floating-point solver's support
//! into an exact answer that certification can check with zero tolerance.

use crate::num::Q;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
