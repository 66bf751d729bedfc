//! Throughput of sweep points on the bundled model (`models/gaza-2024.toml`, ceasefire
//! scenario): a full point is both policies' layer-1 solve for all five dyads, the ceasefire
//! chain under the three policy sets, and the row's cells. The parts are timed separately to
//! show where a point's time goes. Target: ≥ 10,000 points/s on 2 cores.
//!
//! `cargo bench --bench sweep`

use divan::counter::ItemsCount;
use divan::{black_box, Bencher};
use patron::model::load_model;
use patron::model::{solve_model_with, SolveOptions};
use patron::sweep::all_ranged;
use patron::sweep::MonteCarlo;
use patron::sweep::{Cell, OutputParts};
use patron::sweep::{Design, Evaluator, Plan};
use patron::sweep::{Encoder, FileFormat};

fn main() {
    divan::main();
}

const POINTS: u64 = 500;

/// A Monte Carlo plan drawing every ranged parameter of the bundled model.
fn plan() -> Plan {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/gaza-2024.toml");
    let spec = load_model(&path).unwrap();
    let base = spec.instantiate(Some("ceasefire"), &[]).unwrap();
    let params = all_ranged(&spec, &[]).unwrap();
    let design = Design::MonteCarlo(MonteCarlo::new(params, POINTS, 1).unwrap());
    Plan::new(base, design, OutputParts::default()).unwrap()
}

/// Whole rows, one thread: draw, check, solve, flatten.
#[divan::bench]
fn full_rows(bencher: Bencher) {
    let plan = plan();
    let mut worker = plan.worker();
    bencher.counter(ItemsCount::new(POINTS)).bench_local(|| {
        for i in 0..POINTS {
            black_box(plan.row(i, &mut worker));
        }
    });
}

/// The models the rows above solve (drawn once, outside the timing).
fn drawn_models(plan: &Plan) -> Vec<patron::model::Model> {
    let Design::MonteCarlo(mc) = plan.design() else {
        unreachable!()
    };
    let mut model = plan.base().clone();
    let mut values = Vec::new();
    (0..POINTS)
        .map(|i| {
            mc.draw(i, &mut model, &mut values);
            model.clone()
        })
        .collect()
}

/// The model solve alone (layer 1 for every dyad, the chain three times).
#[divan::bench]
fn solve_only(bencher: Bencher) {
    let plan = plan();
    let models = drawn_models(&plan);
    let options = SolveOptions::sweep();
    bencher.counter(ItemsCount::new(POINTS)).bench_local(|| {
        for m in &models {
            black_box(solve_model_with(m, &options).unwrap());
        }
    });
}

/// Drawing a point's parameters and checking the model's constraints.
#[divan::bench]
fn draw_only(bencher: Bencher) {
    let plan = plan();
    let Design::MonteCarlo(mc) = plan.design() else {
        unreachable!()
    };
    let mut model = plan.base().clone();
    let mut values = Vec::new();
    bencher.counter(ItemsCount::new(POINTS)).bench_local(|| {
        for i in 0..POINTS {
            black_box(mc.draw(i, &mut model, &mut values));
        }
    });
}

/// Flattening a solution into cells.
#[divan::bench]
fn flatten_only(bencher: Bencher) {
    let plan = plan();
    let evaluator = Evaluator::new(plan.base(), OutputParts::default()).unwrap();
    let solution = solve_model_with(plan.base(), &SolveOptions::sweep()).unwrap();
    let mut cells: Vec<Cell> = Vec::new();
    bencher.bench_local(|| {
        cells.clear();
        evaluator
            .layout()
            .push_cells(&solution, &mut cells)
            .unwrap();
        black_box(&cells);
    });
}

/// Encoding one row as CSV and as JSON Lines.
#[divan::bench(args = [FileFormat::Csv, FileFormat::JsonLines])]
fn encode_row(bencher: Bencher, format: FileFormat) {
    let plan = plan();
    let row = plan.row(0, &mut plan.worker());
    let encoder = Encoder::new(format, &plan.columns());
    let mut out = Vec::new();
    bencher.bench_local(|| {
        out.clear();
        encoder.row(&row, &mut out).unwrap();
        black_box(&out);
    });
}
