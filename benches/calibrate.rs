//! Overhead of the calibration engine (`calibrate::infer`) on a cheap likelihood (a 3-parameter
//! Bernoulli model, about 30 ns a call): what the engine itself costs per draw, to set against a
//! model point of tens of µs. Importance sampling of 200,000 draws; one tempered SMC run on a
//! sharp likelihood (importance sampling's ESS collapses there); summaries of 200,000 draws.
//!
//! `cargo bench --bench calibrate`

use divan::counter::ItemsCount;
use divan::{black_box, Bencher};
use indicatif::ProgressBar;
use patron::calibrate::{
    importance_sample, smc, summarise, Dimension, ImportanceConfig, SmcConfig, UniformBox,
};

fn main() {
    divan::main();
}

const DRAWS: u64 = 200_000;

fn cube() -> UniformBox {
    UniformBox::new(
        (0..3)
            .map(|k| Dimension::new(format!("p{k}"), 0.0, 1.0))
            .collect(),
    )
    .unwrap()
}

/// log-likelihood of `s` successes in 10 trials for each parameter.
fn bernoulli(theta: &[f64], s: f64) -> f64 {
    theta
        .iter()
        .map(|p| s * p.ln() + (10.0 - s) * (1.0 - p).ln())
        .sum()
}

#[divan::bench(sample_count = 10)]
fn importance_200k(bencher: Bencher) {
    let prior = cube();
    let config = ImportanceConfig {
        samples: DRAWS,
        seed: 1,
    };
    let ll = |t: &[f64]| bernoulli(t, 3.0);
    bencher.counter(ItemsCount::new(DRAWS)).bench(|| {
        black_box(importance_sample(&prior, &ll, &config, &ProgressBar::hidden()).unwrap())
    });
}

#[divan::bench(sample_count = 10)]
fn smc_sharp_4000_particles(bencher: Bencher) {
    let prior = cube();
    // 300 successes in 1000 trials per parameter, 10 × sharper than above.
    let ll = |t: &[f64]| 100.0 * bernoulli(t, 3.0);
    bencher.bench(|| {
        black_box(smc(&prior, &ll, &SmcConfig::default(), &ProgressBar::hidden()).unwrap())
    });
}

#[divan::bench(sample_count = 10)]
fn summarise_200k(bencher: Bencher) {
    let prior = cube();
    let config = ImportanceConfig {
        samples: DRAWS,
        seed: 1,
    };
    let ll = |t: &[f64]| bernoulli(t, 3.0);
    let run = importance_sample(&prior, &ll, &config, &ProgressBar::hidden()).unwrap();
    bencher
        .counter(ItemsCount::new(DRAWS))
        .bench(|| black_box(summarise(&prior, &run.sample)));
}
