//! Closed forms and numerical integration that the engine's tests compare with.

use super::gamma::ln_gamma;

/// ln B(a, b).
pub fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// Mean and sd of Beta(a, b).
pub fn beta_moments(a: f64, b: f64) -> (f64, f64) {
    let mean = a / (a + b);
    (mean, (a * b / ((a + b).powi(2) * (a + b + 1.0))).sqrt())
}

/// log p^s (1 − p)^f: s successes and f failures (a geometric truce that broke after k quiet
/// weeks is one success and k failures; one still holding after k weeks is k failures).
pub fn log_bernoulli(p: f64, s: f64, f: f64) -> f64 {
    let term = |count: f64, q: f64| if count > 0.0 { count * q.ln() } else { 0.0 };
    term(s, p) + term(f, 1.0 - p)
}

/// Posterior mean, sd and the `probabilities`' quantiles of a 1-D density ∝ exp `ll` on
/// [lo, hi] by the midpoint rule on `cells` cells (quantiles by linear interpolation of the
/// cumulative integral): an answer independent of the sampler.
pub fn grid_posterior(
    ll: impl Fn(f64) -> f64,
    lo: f64,
    hi: f64,
    cells: usize,
    probabilities: &[f64],
) -> (f64, f64, Vec<f64>) {
    let h = (hi - lo) / cells as f64;
    let x: Vec<f64> = (0..cells).map(|j| lo + (j as f64 + 0.5) * h).collect();
    let l: Vec<f64> = x.iter().map(|&v| ll(v)).collect();
    let m = l.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = l.iter().map(|v| (v - m).exp()).collect();
    let total: f64 = w.iter().sum();
    let mean = x.iter().zip(&w).map(|(x, w)| x * w).sum::<f64>() / total;
    let var = x
        .iter()
        .zip(&w)
        .map(|(x, w)| (x - mean).powi(2) * w)
        .sum::<f64>()
        / total;
    let quantiles = probabilities
        .iter()
        .map(|&p| {
            let mut before = 0.0;
            for (j, wj) in w.iter().enumerate() {
                let after = before + wj / total;
                if after >= p {
                    return lo + (j as f64 + (p - before) / (after - before)) * h;
                }
                before = after;
            }
            hi
        })
        .collect();
    (mean, var.sqrt(), quantiles)
}
