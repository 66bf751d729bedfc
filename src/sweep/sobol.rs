//! Variance-based sensitivity: first-order and total Sobol indices by Saltelli's sampling
//! scheme (Saltelli, Annoni, Azzini, Campolongo, Ratto & Tarantola 2010, "Variance based
//! sensitivity analysis of model output", Comput. Phys. Commun. 181, §3 and Table 2).
//!
//! Tested on the Ishigami function in `tests/sweep.rs`.
//!
//! Two independent N × k samples A and B of the unit cube give, for each input i, the matrix
//! A_B⁽ⁱ⁾: A with column i taken from B. With the N(k + 2) evaluations f(A), f(B), f(A_B⁽ⁱ⁾):
//!
//! - first order (Saltelli 2010, Table 2 (b)): V_i = (1/N) Σⱼ f(B)ⱼ (f(A_B⁽ⁱ⁾)ⱼ − f(A)ⱼ);
//! - total (Jansen 1999, Table 2 (f)): V_Ti = (1/2N) Σⱼ (f(A)ⱼ − f(A_B⁽ⁱ⁾)ⱼ)²;
//!
//! each divided by V, the sample variance of the 2N values f(A) and f(B). A and B are
//! pseudo-random (row j of both from the stream (seed, j)), so each estimate is a plain mean of
//! N independent terms and its standard error is the terms' standard deviation over √N
//! (reported conditional on V; quasi-random Sobol' sequences, which Saltelli recommends, would
//! converge faster but give no such error).
//!
//! Inputs are independent by assumption. A row (A_j, B_j) any of whose k + 2 points is
//! outside the model's constraints is drawn again from its stream and counted.

use super::rng::PointRng;
use crate::limits::{MAX_REJECTED_DRAWS, MAX_SWEEP_POINTS};
use crate::{Error, Result};
use rayon::prelude::*;

/// One input's indices and their standard errors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolIndex {
    pub first_order: f64,
    pub total: f64,
    pub first_order_se: f64,
    pub total_se: f64,
}

/// The Saltelli design for `k` inputs and `n` rows.
#[derive(Debug, Clone)]
pub struct Saltelli {
    k: usize,
    n: u64,
    seed: u64,
    /// Per row, how many (A_j, B_j) candidates were rejected before the one used.
    redraws: Vec<u32>,
}

impl Saltelli {
    /// Draw the design; `valid` says whether a unit-cube point is inside the model's constraints.
    pub fn new(
        k: usize,
        n: u64,
        seed: u64,
        valid: impl Fn(&[f64]) -> bool + Sync,
    ) -> Result<Saltelli> {
        let evaluations = n.saturating_mul(k as u64 + 2);
        if n < 2 || evaluations > MAX_SWEEP_POINTS {
            return Err(Error::Usage(format!(
                "--samples {n} for {k} parameters: need at least 2 and at most {} model \
                 evaluations (N × (parameters + 2))",
                MAX_SWEEP_POINTS
            )));
        }
        let design = Saltelli {
            k,
            n,
            seed,
            redraws: Vec::new(),
        };
        let redraws = (0..n)
            .into_par_iter()
            .map(|j| design.first_valid_candidate(j, &valid))
            .collect::<Result<Vec<u32>>>()?;
        Ok(Saltelli { redraws, ..design })
    }

    fn first_valid_candidate(
        &self,
        row: u64,
        valid: &(impl Fn(&[f64]) -> bool + Sync),
    ) -> Result<u32> {
        let mut rng = PointRng::new(self.seed, row);
        let mut ab = vec![0.0; 2 * self.k];
        let mut point = vec![0.0; self.k];
        for redraw in 0..=MAX_REJECTED_DRAWS {
            ab.iter_mut().for_each(|u| *u = rng.unit());
            let all_valid = (0..self.k + 2).all(|variant| {
                combine(&ab, self.k, variant, &mut point);
                valid(&point)
            });
            if all_valid {
                return Ok(redraw);
            }
        }
        Err(Error::Usage(format!(
            "Sobol row {row}: no draw in {MAX_REJECTED_DRAWS} keeps every combination within \
             the model's constraints; narrow the ranges"
        )))
    }

    /// N(k + 2): how many points [`Saltelli::point`] numbers.
    pub fn evaluations(&self) -> u64 {
        self.n * (self.k as u64 + 2)
    }

    /// Rows drawn again because a combination broke a constraint.
    pub fn redrawn(&self) -> u64 {
        self.redraws.iter().map(|&r| u64::from(r)).sum()
    }

    /// Evaluation `e`'s unit-cube point: row j = e / (k + 2) of A (variant 0), B (variant 1)
    /// or A_B⁽ⁱ⁾ (variant 2 + i).
    pub fn point(&self, e: u64, out: &mut Vec<f64>) {
        let per_row = self.k as u64 + 2;
        let (row, variant) = (e / per_row, (e % per_row) as usize);
        let mut rng = PointRng::new(self.seed, row);
        let mut ab = vec![0.0; 2 * self.k];
        for _ in 0..=self.redraws[row as usize] {
            ab.iter_mut().for_each(|u| *u = rng.unit());
        }
        out.resize(self.k, 0.0);
        combine(&ab, self.k, variant, out);
    }

    /// The indices from the outputs `f[e]` of every evaluation, in [`Saltelli::point`] order,
    /// and the output variance V. With V = 0 (a constant output) every index is 0.
    pub fn indices(&self, f: &[f64]) -> (f64, Vec<SobolIndex>) {
        let (k, n) = (self.k, self.n as usize);
        let at = |row: usize, variant: usize| f[row * (k + 2) + variant];
        let ab: Vec<f64> = (0..n).flat_map(|j| [at(j, 0), at(j, 1)]).collect();
        let variance = sample_variance(&ab);
        let indices = (0..k)
            .map(|i| {
                let first: Vec<f64> = (0..n)
                    .map(|j| at(j, 1) * (at(j, 2 + i) - at(j, 0)))
                    .collect();
                let total: Vec<f64> = (0..n)
                    .map(|j| 0.5 * (at(j, 0) - at(j, 2 + i)).powi(2))
                    .collect();
                let ratio = |x: f64| if variance > 0.0 { x / variance } else { 0.0 };
                SobolIndex {
                    first_order: ratio(mean(&first)),
                    total: ratio(mean(&total)),
                    first_order_se: ratio(standard_error(&first)),
                    total_se: ratio(standard_error(&total)),
                }
            })
            .collect();
        (variance, indices)
    }
}

/// Variant 0 = A, 1 = B, 2 + i = A with column i from B; `ab` holds A's k numbers then B's.
fn combine(ab: &[f64], k: usize, variant: usize, out: &mut [f64]) {
    let (a, b) = ab.split_at(k);
    match variant {
        0 => out.copy_from_slice(a),
        1 => out.copy_from_slice(b),
        v => {
            out.copy_from_slice(a);
            out[v - 2] = b[v - 2];
        }
    }
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Unbiased sample variance (denominator n − 1).
fn sample_variance(x: &[f64]) -> f64 {
    let m = mean(x);
    x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0)
}

/// Standard error of the mean of `x`.
fn standard_error(x: &[f64]) -> f64 {
    (sample_variance(x) / x.len() as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn additive_function_has_equal_first_and_total_indices() {
        // f = x₁ + 2x₂ on the unit cube: S = ST = (1/12, 4/12) / (5/12) = (0.2, 0.8).
        let design = Saltelli::new(2, 1 << 14, 7, |_| true).unwrap();
        let mut x = Vec::new();
        let f: Vec<f64> = (0..design.evaluations())
            .map(|e| {
                design.point(e, &mut x);
                x[0] + 2.0 * x[1]
            })
            .collect();
        let (_, got) = design.indices(&f);
        for (g, want) in got.iter().zip([0.2, 0.8]) {
            assert!(
                (g.first_order - want).abs() < 5.0 * g.first_order_se + 0.01,
                "{g:?}"
            );
            // For an additive f, f(A) − f(A_B⁽ⁱ⁾) involves input i alone: total = first order.
            assert!((g.total - want).abs() < 5.0 * g.total_se + 0.01, "{g:?}");
        }
    }

    #[test]
    fn invalid_rows_are_redrawn() {
        // Keep only points with u₁ ≤ u₂ (in every combination).
        let design = Saltelli::new(2, 200, 3, |u| u[0] <= u[1]).unwrap();
        assert!(design.redrawn() > 0);
        let mut x = Vec::new();
        for e in 0..design.evaluations() {
            design.point(e, &mut x);
            assert!(x[0] <= x[1]);
        }
        assert!(Saltelli::new(2, 10, 3, |_| false).is_err());
        assert!(Saltelli::new(2, 1, 3, |_| true).is_err());
    }
}
