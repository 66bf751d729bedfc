//! Timing of the patron–client model: one full solve per scenario (target < 1 ms) and the
//! throughput of sweep points (target: ~10,000 points/s on 2 cores, i.e. ≥ 5,000/s per core).
//!
//! `cargo bench --bench model`

use divan::counter::ItemsCount;
use divan::{black_box, Bencher};
use patron::model::LpBackend;
use patron::model::Model;
use patron::model::{solve_model_with, SolveOptions};
use patron::model::{spec_model, SpecScenario};

fn main() {
    divan::main();
}

const SCENARIOS: [SpecScenario; 2] = [SpecScenario::War, SpecScenario::Ceasefire];

/// Everything (layers 1–3) for one scenario, reference LP backend (`good_lp` + `microlp`).
#[divan::bench(args = SCENARIOS)]
fn full_solve_reference(bencher: Bencher, scenario: SpecScenario) {
    full_solve(bencher, scenario, LpBackend::Reference);
}

/// Everything (layers 1–3) for one scenario, vertex-enumeration LP backend.
#[divan::bench(args = SCENARIOS)]
fn full_solve_vertex(bencher: Bencher, scenario: SpecScenario) {
    full_solve(bencher, scenario, LpBackend::Vertex);
}

fn full_solve(bencher: Bencher, scenario: SpecScenario, backend: LpBackend) {
    let model = spec_model(scenario);
    let options = SolveOptions {
        backend,
        ..SolveOptions::default()
    };
    bencher.bench(|| solve_model_with(black_box(&model), &options).unwrap());
}

/// A batch of sweep points (layer 1 + chain, fast backend): each point perturbs every dyad's
/// dependence, credibility and monitoring as a Monte Carlo sweep would.
#[divan::bench(args = SCENARIOS)]
fn sweep_points(bencher: Bencher, scenario: SpecScenario) {
    const POINTS: usize = 1000;
    let points: Vec<Model> = (0..POINTS)
        .map(|i| perturbed(&spec_model(scenario), i))
        .collect();
    let options = SolveOptions::sweep();
    bencher.counter(ItemsCount::new(POINTS)).bench(|| {
        for m in &points {
            black_box(solve_model_with(m, &options).unwrap());
        }
    });
}

/// A deterministic perturbation of the model (a cheap hash of the point index).
fn perturbed(base: &Model, i: usize) -> Model {
    let mut m = base.clone();
    for (d, dyad) in m.dyads.iter_mut().enumerate() {
        let u = |salt: usize| ((i * 7919 + d * 104_729 + salt * 15_485_863) % 1000) as f64 / 1000.0;
        let p = &mut dyad.params;
        p.dependence *= 0.5 + u(1);
        p.credibility = (p.credibility * (0.5 + u(2))).min(1.0);
        p.monitoring = (p.monitoring * (0.5 + u(3))).min(1.0);
    }
    m
}
