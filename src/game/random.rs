//! Seeded random games, for benchmarks and for generating the same games on both sides of a
//! comparison with other tools: a fixed seed gives the same game on every machine and run.

use crate::game::StrategicGame;
use crate::num::Q;

/// SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators"):
/// tiny, fast and statistically good enough for drawing payoffs.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// Advance the state and return the next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// An `m × n` bimatrix game with integer payoffs drawn uniformly from `0..bound` (A first, then B,
/// each row by row).
pub fn random_bimatrix(m: usize, n: usize, bound: u64, seed: u64) -> StrategicGame {
    let mut rng = SplitMix64(seed);
    let mut matrix = || -> Vec<Vec<Q>> {
        (0..m)
            .map(|_| {
                (0..n)
                    .map(|_| Q::from(rng.next_u64() % bound.max(1)))
                    .collect()
            })
            .collect()
    };
    let (a, b) = (matrix(), matrix());
    StrategicGame::bimatrix(&a, &b).expect("an m×n bimatrix game is always well formed")
}

/// A game with `counts[p]` strategies for player `p` and integer payoffs drawn uniformly from
/// `0..bound` (player 1's table first, each player-1-fastest as in a `.nfg` file).
pub fn random_game(counts: &[usize], bound: u64, seed: u64) -> crate::Result<StrategicGame> {
    let mut rng = SplitMix64(seed);
    let cells = crate::game::strategic::check_size(counts)?;
    let tables = counts
        .iter()
        .map(|_| {
            (0..cells)
                .map(|_| Q::from(rng.next_u64() % bound.max(1)))
                .collect()
        })
        .collect();
    let labels = counts
        .iter()
        .map(|&c| (1..=c).map(|s| s.to_string()).collect())
        .collect();
    let players = (1..=counts.len()).map(|p| format!("Player {p}")).collect();
    StrategicGame::new("", players, labels, tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // First outputs for seed 0 from the reference C implementation (Vigna's splitmix64.c).
        let mut rng = SplitMix64(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn same_seed_same_game() {
        assert_eq!(random_bimatrix(3, 4, 100, 7), random_bimatrix(3, 4, 100, 7));
        assert_ne!(random_bimatrix(3, 4, 100, 7), random_bimatrix(3, 4, 100, 8));
        assert_eq!(random_bimatrix(3, 4, 100, 7).strategy_counts(), vec![3, 4]);
    }
}
