//! Variance-based sensitivity: first-order and total Sobol indices by Saltelli's sampling
//! scheme (Saltelli, Annoni, Azzini, Campolongo, Ratto & Tarantola 2010, "Variance based
//! sensitivity analysis of model output", Comput. Phys. Commun. 181, §3 and Table 2).
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
        let evaluations = n.checked_mul(k as u64 + 2).unwrap_or(u64::MAX);
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
    use std::f64::consts::PI;

    /// Ishigami & Homma (1990): f = sin x₁ + a sin² x₂ + b x₃⁴ sin x₁ on [−π, π]³.
    fn ishigami(x: &[f64], a: f64, b: f64) -> f64 {
        x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
    }

    /// Closed-form partial variances (Sobol' & Levitan 1999; Saltelli et al. 2010, §4):
    /// V₁ = ½(1 + bπ⁴/5)², V₂ = a²/8, V₁₃ = b²π⁸(1/18 − 1/50), V₃ = 0.
    fn ishigami_exact(a: f64, b: f64) -> ([f64; 3], [f64; 3]) {
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    #[test]
    fn closed_form_matches_the_published_values() {
        let (s, st) = ishigami_exact(7.0, 0.1);
        for (got, want) in s
            .iter()
            .chain(&st)
            .zip([0.3139, 0.4424, 0.0, 0.5576, 0.4424, 0.2437])
        {
            assert!((got - want).abs() < 1e-4, "{got} vs {want}");
        }
    }

    #[test]
    fn ishigami_indices_within_their_standard_errors() {
        let (a, b) = (7.0, 0.1);
        let n = 1 << 15;
        let design = Saltelli::new(3, n, 2024, |_| true).unwrap();
        let mut x = Vec::new();
        let f: Vec<f64> = (0..design.evaluations())
            .map(|e| {
                design.point(e, &mut x);
                let scaled: Vec<f64> = x.iter().map(|u| -PI + 2.0 * PI * u).collect();
                ishigami(&scaled, a, b)
            })
            .collect();
        let (variance, got) = design.indices(&f);
        let (s, st) = ishigami_exact(a, b);
        // Each index is (mean of N terms) / V̂. Its error is the numerator's standard error
        // (reported) plus the index times V̂'s relative error, whose standard deviation is
        // √((μ₄ − V²)/(2N))/V; allow five of each.
        let ab: Vec<f64> = (0..n as usize)
            .flat_map(|j| [f[j * 5], f[j * 5 + 1]])
            .collect();
        let m = mean(&ab);
        let mu4 = ab.iter().map(|y| (y - m).powi(4)).sum::<f64>() / ab.len() as f64;
        let v_rel = ((mu4 - variance * variance) / ab.len() as f64).sqrt() / variance;
        for i in 0..3 {
            let g = got[i];
            let tol_first = 5.0 * (g.first_order_se + s[i].abs() * v_rel);
            let tol_total = 5.0 * (g.total_se + st[i] * v_rel);
            assert!(
                (g.first_order - s[i]).abs() < tol_first,
                "S{}: {} vs {} (±{tol_first})",
                i + 1,
                g.first_order,
                s[i]
            );
            assert!(
                (g.total - st[i]).abs() < tol_total,
                "ST{}: {} vs {} (±{tol_total})",
                i + 1,
                g.total,
                st[i]
            );
            // The tolerance is meaningful: under half the smallest gap between distinct true
            // indices (S₂ − S₁ = 0.13), so no index could pass for another.
            assert!(
                tol_first < 0.065 && tol_total < 0.065,
                "{tol_first} {tol_total}"
            );
        }
    }

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
