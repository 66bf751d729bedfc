//! Test-only exact linear algebra: the brute-force references solve small systems with it.

use crate::num::Q;

/// The unique solution of the square system `a x = b` by Gaussian elimination over the
/// rationals, or `None` when `a` is singular.
pub fn solve_square_exact(mut a: Vec<Vec<Q>>, mut b: Vec<Q>) -> Option<Vec<Q>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).find(|&r| a[r][col] != Q::ZERO)?;
        a.swap(col, pivot);
        b.swap(col, pivot);
        for r in 0..n {
            if r != col && a[r][col] != Q::ZERO {
                let f = &a[r][col] / &a[col][col];
                let pivot_row = a[col].clone();
                for (x, p) in a[r].iter_mut().zip(&pivot_row).skip(col) {
                    *x -= &f * p;
                }
                let delta = &f * &b[col];
                b[r] -= delta;
            }
        }
    }
    Some((0..n).map(|i| &b[i] / &a[i][i]).collect())
}

#[test]
fn solves_a_two_by_two_system() {
    let q = |v: i64| Q::from(v);
    let x = solve_square_exact(vec![vec![q(2), q(1)], vec![q(1), q(3)]], vec![q(1), q(1)]).unwrap();
    assert_eq!(
        x,
        vec![
            Q::from_parts(2.into(), 5u8.into()),
            Q::from_parts(1.into(), 5u8.into())
        ]
    );
    assert!(
        solve_square_exact(vec![vec![q(1), q(2)], vec![q(2), q(4)]], vec![q(1), q(1)]).is_none()
    );
}
