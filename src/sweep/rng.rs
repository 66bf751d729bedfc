//! Reproducible randomness: every random number of a sweep comes from the ChaCha8 stream
//! numbered by its point index under the sweep's seed.
//!
//! ChaCha has a 64-bit stream number beside its 256-bit key (Bernstein 2008, "ChaCha, a variant
//! of Salsa20", §2: the nonce), so point `i` reads stream `i` from its first word. What a point
//! draws therefore depends only on `(seed, i)`: never on the thread that computed it, the shard
//! it belongs to or whether the sweep was resumed.

use chacha20::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// The random stream of one sweep point.
pub struct PointRng(ChaCha8Rng);

impl PointRng {
    /// Stream `point` of the generator keyed by `seed`.
    pub fn new(seed: u64, point: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(point);
        PointRng(rng)
    }

    /// A uniform number in [0, 1) with 53 random bits (the top bits of one 64-bit word).
    pub fn unit(&mut self) -> f64 {
        const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
        (self.0.next_u64() >> 11) as f64 * SCALE
    }
}

/// Where a uniform number `u` in [0, 1) falls in [lo, hi]: continuous parameters scale it,
/// whole-number parameters (`chain.horizon_weeks`) take each whole number of [lo, hi] with
/// equal probability, the ends included (a rounded continuous draw would give the ends half
/// weight).
pub fn place(u: f64, lo: f64, hi: f64, whole: bool) -> f64 {
    if whole {
        let (first, last) = (lo.ceil(), hi.floor());
        let count = last - first + 1.0;
        (first + (u * count).floor()).min(last)
    } else {
        lo + (hi - lo) * u
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_depend_only_on_seed_and_point() {
        let draws = |seed, point| {
            let mut r = PointRng::new(seed, point);
            [r.unit(), r.unit(), r.unit()]
        };
        assert_eq!(draws(7, 3), draws(7, 3));
        assert_ne!(draws(7, 3), draws(7, 4));
        assert_ne!(draws(7, 3), draws(8, 3));
        assert!(draws(1, 0).iter().all(|u| (0.0..1.0).contains(u)));
    }

    #[test]
    fn whole_numbers_cover_the_range_evenly() {
        // u in [k/40, (k+1)/40) maps to 13 + k for the 40 whole weeks 13..=52.
        let mut counts = [0usize; 40];
        for j in 0..4000 {
            let u = (j as f64 + 0.5) / 4000.0;
            let v = place(u, 13.0, 52.0, true);
            assert_eq!(v.fract(), 0.0);
            counts[(v - 13.0) as usize] += 1;
        }
        assert!(counts.iter().all(|&c| c == 100), "{counts:?}");
        assert_eq!(place(0.25, 2.0, 4.0, false), 2.5);
    }
}
