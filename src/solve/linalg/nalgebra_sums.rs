//! Dot products and squared norms of `f64` slices summed in nalgebra 0.35's order: eight
//! running sums, sum `k` taking entries `k, k + 8, …` of the whole blocks of eight, added into
//! a total from 0 as `(s₀+s₄)`, `(s₁+s₅)`, `(s₂+s₆)`, `(s₃+s₇)`, then the entries past the
//! last whole block one by one.
//!
//! Why: paths that are sensitive to the last bit (ipa's outer iteration, the global Newton
//! path at ties) keep the rounding they had when nalgebra computed these sums, while the
//! callers work on plain slices in buffers they keep.

/// `a·b` summed as nalgebra's `dot` sums it (module docs).
#[inline]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let whole = a.len() / 8 * 8;
    let mut sums = [0.0; 8];
    for (a, b) in a[..whole].chunks_exact(8).zip(b.chunks_exact(8)) {
        for ((sum, x), y) in sums.iter_mut().zip(a).zip(b) {
            *sum += x * y;
        }
    }
    let mut total = 0.0;
    for k in 0..4 {
        total += sums[k] + sums[k + 4];
    }
    for (x, y) in a[whole..].iter().zip(&b[whole..]) {
        total += x * y;
    }
    total
}

/// `v·v`, as nalgebra's `norm_squared` sums it (a total from 0 plus the [`dot`]).
#[inline]
pub(crate) fn norm_squared(v: &[f64]) -> f64 {
    0.0 + dot(v, v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::DVector;
    use proptest::prelude::*;

    proptest! {
        /// Both sums equal nalgebra's to the last bit, on lengths around the blocks of eight.
        #[test]
        fn sums_are_nalgebras(
            pairs in prop::collection::vec((-2.0f64..3.0, -2.0f64..3.0), 0..70)
        ) {
            let (a, b): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
            let (x, y) = (DVector::from_column_slice(&a), DVector::from_column_slice(&b));
            prop_assert_eq!(dot(&a, &b).to_bits(), x.dot(&y).to_bits());
            prop_assert_eq!(norm_squared(&a).to_bits(), x.norm_squared().to_bits());
        }
    }
}
