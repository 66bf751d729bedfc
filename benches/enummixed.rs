//! Benchmark: `enummixed` on seeded random n×n games with integer payoffs 0..100, the sizes
//! QuantEcon's vertex enumeration is compared on (12×12 and 16×16).

use patron::game::random_bimatrix;
use patron::game::StrategicGame;
use patron::solve::enummixed;

fn main() {
    divan::main();
}

fn random_game(n: usize, seed: u64) -> StrategicGame {
    random_bimatrix(n, n, 100, seed)
}

#[divan::bench(args = [4, 8, 12, 16], sample_count = 10)]
fn random_square(bencher: divan::Bencher, n: usize) {
    let game = random_game(n, 2024 + n as u64);
    bencher.bench(|| enummixed(divan::black_box(&game)).expect("within limits"));
}
