//! Monte Carlo summaries: each numeric output's mean and 5 %, 50 % and 95 % quantiles.
//!
//! Quantiles are exact sample quantiles of Hyndman & Fan (1996) type 7 (R's and NumPy's
//! default): for sorted values x₁ ≤ … ≤ xₙ and h = (n − 1)·p, Q(p) = x_⌊h⌋₊₁ + (h − ⌊h⌋)·(x_⌊h⌋₊₂ −
//! x_⌊h⌋₊₁). Exactness needs every value in memory, which [`MAX_SUMMARY_VALUES`] bounds. Means
//! use Neumaier's compensated sum, in row order, so a summary does not depend on thread count.

use crate::limits::MAX_SUMMARY_VALUES;
use crate::{Error, Result};
use serde::Serialize;

/// The probabilities reported.
pub const PROBABILITIES: [f64; 3] = [0.05, 0.5, 0.95];

/// Type-7 quantile of sorted, non-empty `sorted` at `p` in [0, 1].
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Neumaier's compensated summation (an improved Kahan sum).
#[derive(Debug, Clone, Copy, Default)]
struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        self.compensation += if self.sum.abs() >= x.abs() {
            (self.sum - t) + x
        } else {
            (x - t) + self.sum
        };
        self.sum = t;
    }

    fn total(&self) -> f64 {
        self.sum + self.compensation
    }
}

/// One output's summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputSummary {
    pub output: String,
    /// Points with a number in this column (an infinite expected duration is `null`, not a number).
    pub n: u64,
    pub mean: Option<f64>,
    pub q05: Option<f64>,
    pub q50: Option<f64>,
    pub q95: Option<f64>,
}

/// Collects the numeric output columns of every successful row.
#[derive(Debug, Clone)]
pub struct Summary {
    names: Vec<String>,
    values: Vec<Vec<f64>>,
    sums: Vec<CompensatedSum>,
    /// Rows counted, rows with an error, draws rejected.
    pub rows: u64,
    pub failed: u64,
    pub rejected_draws: u64,
}

impl Summary {
    /// A summary of the columns `names`, for up to `rows` rows (refused above the memory bound).
    pub fn new(names: Vec<String>, rows: u64) -> Result<Summary> {
        let needed = rows.saturating_mul(names.len() as u64);
        if needed > MAX_SUMMARY_VALUES {
            return Err(Error::limit(
                "MAX_SUMMARY_VALUES",
                format!(
                "a summary of {rows} samples × {} outputs needs {needed} numbers in memory, more \
                 than the limit of {MAX_SUMMARY_VALUES}; write the draws with --out in shards \
                 and summarise fewer samples",
                names.len()
            ),
            ));
        }
        let n = names.len();
        Ok(Summary {
            names,
            values: vec![Vec::new(); n],
            sums: vec![CompensatedSum::default(); n],
            rows: 0,
            failed: 0,
            rejected_draws: 0,
        })
    }

    /// Count one row: its rejected draws, whether it failed, and (if not) its numbers, one per
    /// summarised column in order (`None` = no number).
    pub fn add(&mut self, rejected: u64, failed: bool, numbers: impl Iterator<Item = Option<f64>>) {
        self.rows += 1;
        self.rejected_draws += rejected;
        if failed {
            self.failed += 1;
            return;
        }
        for ((v, values), sum) in numbers.zip(&mut self.values).zip(&mut self.sums) {
            if let Some(v) = v.filter(|v| v.is_finite()) {
                values.push(v);
                sum.add(v);
            }
        }
    }

    /// Every column's summary, in column order.
    pub fn finish(mut self) -> Vec<OutputSummary> {
        let mut out = Vec::with_capacity(self.names.len());
        for ((name, values), sum) in self.names.drain(..).zip(&mut self.values).zip(&self.sums) {
            values.sort_by(f64::total_cmp);
            let n = values.len();
            let q = |p| (n > 0).then(|| quantile_sorted(values, p));
            out.push(OutputSummary {
                output: name,
                n: n as u64,
                mean: (n > 0).then(|| sum.total() / n as f64),
                q05: q(PROBABILITIES[0]),
                q50: q(PROBABILITIES[1]),
                q95: q(PROBABILITIES[2]),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_7_on_evenly_spaced_values_is_linear() {
        // For x_i = i (i = 0..=100), type 7 gives Q(p) = 100·p exactly.
        let x: Vec<f64> = (0..=100).map(f64::from).collect();
        for p in [0.0, 0.05, 0.3, 0.5, 0.95, 1.0] {
            assert!((quantile_sorted(&x, p) - 100.0 * p).abs() < 1e-12, "{p}");
        }
        // Interpolation between order statistics: n = 4, p = 0.5 → h = 1.5 → (x₂ + x₃)/2.
        assert_eq!(quantile_sorted(&[1.0, 2.0, 4.0, 8.0], 0.5), 3.0);
        assert_eq!(quantile_sorted(&[7.0], 0.95), 7.0);
    }

    #[test]
    fn uniform_sample_quantiles_match_the_closed_form() {
        // U(0,1) by a golden-ratio sequence (equidistributed): Q(p) → p, mean → 1/2.
        let n = 100_000u64;
        let mut s = Summary::new(vec!["u".into()], n).unwrap();
        let phi = (5f64.sqrt() - 1.0) / 2.0;
        for i in 0..n {
            s.add(0, false, std::iter::once(Some((i as f64 * phi).fract())));
        }
        let r = &s.finish()[0];
        assert_eq!(r.n, n);
        // Discrepancy of the golden-ratio sequence is O(log n / n): 1e-3 is ample here.
        for (got, p) in [(r.q05, 0.05), (r.q50, 0.5), (r.q95, 0.95), (r.mean, 0.5)] {
            assert!((got.unwrap() - p).abs() < 1e-3, "{got:?} vs {p}");
        }
    }

    #[test]
    fn failed_rows_and_missing_numbers_are_left_out() {
        let mut s = Summary::new(vec!["a".into(), "b".into()], 3).unwrap();
        s.add(2, false, [Some(1.0), None].into_iter());
        s.add(0, true, [Some(100.0), Some(100.0)].into_iter());
        s.add(1, false, [Some(3.0), Some(5.0)].into_iter());
        assert_eq!((s.rows, s.failed, s.rejected_draws), (3, 1, 3));
        let r = s.finish();
        assert_eq!((r[0].n, r[0].mean, r[0].q50), (2, Some(2.0), Some(2.0)));
        assert_eq!((r[1].n, r[1].mean), (1, Some(5.0)));
    }

    #[test]
    fn compensated_mean_keeps_small_terms() {
        let mut sum = CompensatedSum::default();
        for x in [1e16, 1.0, -1e16, 1.0] {
            sum.add(x);
        }
        assert_eq!(sum.total(), 2.0);
        assert!(Summary::new(vec!["x".into(); 100], MAX_SUMMARY_VALUES).is_err());
    }
}
