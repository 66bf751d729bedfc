//! The bordered systems of the path tracer, `[J; rᵀ] z = [f; c]` with `J` a cell's `n × (n+1)`
//! Jacobian ([`super::cell`]) and `r` the last tangent (the corrector, and the tangent itself)
//! or an event's gradient (locating the event), solved by LU factorisation with partial
//! pivoting ([`crate::solve::linalg::small_lu`]) in buffers kept from one Newton iteration to
//! the next, so that a step allocates no matrix.
//!
//! The arithmetic is that of nalgebra's LU, which the tracer used before, operation for
//! operation (the same pivots, multipliers and substitution order), so the path is the same to
//! the last bit; that matters in degenerate games, where which way the path continues at a
//! payoff tie is decided by rounding. (Ordering the matrix so that each player's `v_i` and
//! first probability are eliminated first on their ±1 pivots, leaving a smaller dense system,
//! was tried: it changed that rounding, and with it the outcome on one degenerate corpus tree,
//! `w_ex2.efg`, and saved no measurable time.)

use crate::solve::linalg::small_lu::SmallLu;
use nalgebra::{DMatrix, DVector, Dyn, VecStorage, U1};

/// A factorised bordered matrix. The default is empty buffers; they grow to the systems
/// solved and are kept for the next.
#[derive(Default)]
pub struct Bordered {
    lu: SmallLu,
    /// A buffer for the solutions of a Newton iteration ([`Bordered::take_buffer`]).
    buffer: Vec<f64>,
    /// Points and tangents the path no longer needs, whose allocations the next ones reuse
    /// ([`Bordered::vector`]).
    vectors: Vec<DVector<f64>>,
}

impl Bordered {
    /// Factorise `[J; rowᵀ]` for the Jacobian `jacobian`; `false` when it is singular.
    pub fn factor(&mut self, jacobian: &DMatrix<f64>, row: &DVector<f64>) -> bool {
        let n = jacobian.nrows();
        // every entry is written below
        self.lu.resize(n + 1);
        for (c, (column, &last)) in jacobian
            .as_slice()
            .chunks_exact(n)
            .zip(row.as_slice())
            .enumerate()
        {
            let target = self.lu.column_mut(c);
            target[..n].copy_from_slice(column);
            target[n] = last;
        }
        self.lu.factor()
    }

    /// The solution `z` of `[J; rᵀ] z = [f; last]` (after a successful [`Bordered::factor`]),
    /// written into `z`.
    pub fn solve(&mut self, f: &[f64], last: f64, z: &mut [f64]) {
        z[..f.len()].copy_from_slice(f);
        z[f.len()] = last;
        self.lu.solve(z);
    }

    /// The kept buffer for solutions, as `len` zeros (give it back with
    /// [`Bordered::keep_buffer`], so that the next Newton iteration allocates none).
    pub fn take_buffer(&mut self, len: usize) -> Vec<f64> {
        let mut buffer = std::mem::take(&mut self.buffer);
        buffer.clear();
        buffer.resize(len, 0.0);
        buffer
    }

    /// Keep `buffer` for the next [`Bordered::take_buffer`].
    pub fn keep_buffer(&mut self, buffer: Vec<f64>) {
        self.buffer = buffer;
    }

    /// A vector of `len` entries to overwrite, in the allocation of one given back with
    /// [`Bordered::keep_vector`] if there is one (its entries are stale; one of another length
    /// is resized in its allocation, which grows only if it is too small).
    pub fn vector(&mut self, len: usize) -> DVector<f64> {
        match self.vectors.pop() {
            Some(v) if v.len() == len => v,
            Some(v) => {
                let mut data: Vec<f64> = v.data.into();
                data.resize(len, 0.0);
                DVector::from_data(VecStorage::new(Dyn(len), U1, data))
            }
            None => DVector::zeros(len),
        }
    }

    /// Keep `v`, no longer needed, for the next [`Bordered::vector`].
    pub fn keep_vector(&mut self, v: DVector<f64>) {
        self.vectors.push(v);
    }

    /// The sign of `det [J; rᵀ]`, +1 or −1 (after a successful [`Bordered::factor`]). For the
    /// unit kernel vector `k` of `J` with `k·r > 0` ([`Bordered::kernel_along`]) it is the sign of
    /// `det [J; kᵀ]` (r's component in J's row space adds rows of J): the orientation of the
    /// curve `J` is the Jacobian of, in the direction `k`.
    pub fn orientation(&self) -> i8 {
        self.lu.determinant_sign()
    }

    /// The unit vector spanning the kernel of `J` with a positive component along `r` (the
    /// solution of `[J; rᵀ] z = [0; 1]`, normalised).
    pub fn kernel_along(&mut self) -> Option<DVector<f64>> {
        let size = self.lu.order();
        let mut z = self.vector(size);
        z.fill(0.0);
        z[size - 1] = 1.0;
        self.lu.solve(z.as_mut_slice());
        let norm = z.norm();
        (norm.is_finite() && norm > 0.0).then(|| z / norm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::StrategicGame;
    use crate::solve::gnm::cell::Cell;
    use crate::solve::gnm::payoffs::Payoffs;

    /// On a cell with two mixing players and a pure one: the solution of `[J; rᵀ] z = [f; c]`
    /// against nalgebra's LU of the same matrix built directly, and the kernel vector against
    /// its definition (`J k = 0`, unit length, `k · r > 0`).
    #[test]
    fn solves_as_the_dense_system() {
        let game = StrategicGame::arbitrary(&[2, 3, 2], 11, 4);
        let g = vec![vec![0.5, -0.2], vec![0.1, 0.7, 0.0], vec![0.3, 0.9]];
        let cell = Cell::new(vec![vec![0, 1], vec![0, 2], vec![1]]);
        let x = DVector::from_vec(vec![0.3, 0.6, 0.45, 0.5, 1.1, 0.2, -0.3, 0.4, 0.8]);
        let payoffs = Payoffs::new(&game);
        let at = cell.evaluate(&payoffs, &g, &x);
        let n = at.jacobian.nrows();
        let r = DVector::from_fn(n + 1, |k, _| 0.2 + 0.1 * k as f64);
        let dense = DMatrix::from_fn(
            n + 1,
            n + 1,
            |i, j| {
                if i < n {
                    at.jacobian[(i, j)]
                } else {
                    r[j]
                }
            },
        );
        let mut system = Bordered::default();
        assert!(system.factor(&at.jacobian, &r));

        let f: Vec<f64> = (0..n).map(|k| (k as f64 * 0.7).sin()).collect();
        let rhs = DVector::from_column_slice(&f).push(0.4);
        let theirs = dense.clone().lu().solve(&rhs).unwrap();
        let mut ours = vec![0.0; n + 1];
        system.solve(&f, 0.4, &mut ours);
        for (a, b) in ours.iter().zip(theirs.iter()) {
            assert!(
                (a - b).abs() < 1e-10 * (1.0 + b.abs()),
                "{ours:?} vs {theirs}"
            );
        }

        let k = system.kernel_along().unwrap();
        assert!((at.jacobian.clone() * &k).amax() < 1e-12);
        assert!((k.norm() - 1.0).abs() < 1e-12 && k.dot(&r) > 0.0);
    }
}
