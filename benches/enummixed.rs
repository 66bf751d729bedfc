//! Benchmark: `enummixed` on seeded random n×n games with integer payoffs 0..100, the sizes
//! QuantEcon's vertex enumeration is compared on (12×12 and 16×16).

use patron::game::StrategicGame;
use patron::num::Q;
use patron::solve::enummixed::enummixed;

fn main() {
    divan::main();
}

/// SplitMix64 (Steele, Lea and Flood 2014): a fixed seed gives the same games on every run.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn random_game(n: usize, seed: u64) -> StrategicGame {
    let mut rng = SplitMix64(seed);
    let mut matrix = || -> Vec<Vec<Q>> {
        (0..n)
            .map(|_| (0..n).map(|_| Q::from(rng.next() % 100)).collect())
            .collect()
    };
    let a = matrix();
    let b = matrix();
    StrategicGame::bimatrix(&a, &b).expect("square matrices")
}

#[divan::bench(args = [4, 8, 12, 16], sample_count = 10)]
fn random_square(bencher: divan::Bencher, n: usize) {
    let game = random_game(n, 2024 + n as u64);
    bencher.bench(|| enummixed(divan::black_box(&game)).expect("within limits"));
}
