//! Lemke–Howson on seeded random n×n games with integer payoffs in 0..1000 (seed n, fixed
//! in advance, not picked), label 0, whole call: f64 path, exact recovery of the final
//! basis, exact certification. Path lengths on random games are heavy-tailed, so timings of
//! different games of one size can differ by orders of magnitude; compare per pivot.

use patron::game::random_bimatrix;
use patron::game::StrategicGame;
use patron::solve::lemke_howson;

fn main() {
    divan::main();
}

fn random_game(n: usize, seed: u64) -> StrategicGame {
    random_bimatrix(n, n, 1000, seed)
}

#[divan::bench(args = [10, 50, 100, 200, 400], sample_count = 10)]
fn lemke_howson_random(bencher: divan::Bencher, n: usize) {
    let game = random_game(n, n as u64);
    bencher.bench(|| lemke_howson(divan::black_box(&game), 0).expect("an equilibrium"));
}
