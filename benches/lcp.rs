//! Lemke–Howson on seeded random n×n games with integer payoffs in 0..1000 (seed n, fixed
//! in advance, not picked), label 0, whole call: f64 path, exact recovery of the final
//! basis, exact certification. Path lengths on random games are heavy-tailed, so timings of
//! different games of one size can differ by orders of magnitude; compare per pivot.

use patron::game::StrategicGame;
use patron::num::Q;
use patron::solve::lcp::lemke_howson;

fn main() {
    divan::main();
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator, enough for benchmarks.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn random_game(n: usize, seed: u64) -> StrategicGame {
    let mut rng = SplitMix(seed);
    let mut matrix = || -> Vec<Vec<Q>> {
        (0..n)
            .map(|_| (0..n).map(|_| Q::from(rng.next() % 1000)).collect())
            .collect()
    };
    let (a, b) = (matrix(), matrix());
    StrategicGame::bimatrix(&a, &b).expect("square matrices")
}

#[divan::bench(args = [10, 50, 100, 200, 400], sample_count = 10)]
fn lemke_howson_random(bencher: divan::Bencher, n: usize) {
    let game = random_game(n, n as u64);
    bencher.bench(|| lemke_howson(divan::black_box(&game), 0).expect("an equilibrium"));
}
