//! One equilibrium, always: `lcp` on 60 seeded random games (n = 100, 200, 300, 400; payoffs
//! 0..9, 0..99 and 0..999; five seeds each) returns an equilibrium that passes exact
//! certification here, with no failure and within the default time budget.
//!
//! The games are `patron::game::random_bimatrix` (SplitMix64, the seed is the game's
//! number), the generator `benches/peers` also uses, so the benchmark can time the same games
//! against QuantEcon's `lemke_howson`.
//!
//! Ignored by default: paths of 10⁵–10⁶ pivots on a few of these games take seconds in a
//! release build and far longer in the debug profile. CI runs it in release:
//! `cargo test --release --test main -- --ignored lcp_random::`.

use patron::game::random_bimatrix;
use patron::game::{certify_exact, Certified};
use patron::limits;
use patron::num::Q;
use patron::solve::Deadline;
use patron::solve::{lcp_one, Labels};
use std::time::{Duration, Instant};

#[test]
#[ignore = "minutes in the debug profile; run with --release -- --ignored"]
fn lcp_finds_a_certified_equilibrium_on_every_random_game() {
    let mut report = Vec::new();
    for n in [100, 200, 300, 400] {
        for bound in [10, 100, 1000] {
            for seed in 0..5u64 {
                let game = random_bimatrix(n, n, bound, seed);
                let budget = Duration::from_secs(limits::LCP_DEFAULT_SECONDS);
                let start = Instant::now();
                let one = lcp_one(&game, Labels::Race, &Deadline::after(budget)).unwrap();
                let elapsed = start.elapsed();
                let profile = one
                    .equilibrium
                    .map(Certified::into_profile)
                    .unwrap_or_else(|| {
                        panic!(
                            "n={n} bound={bound} seed={seed}: none in budget: {:?}",
                            one.labels
                        )
                    });
                // Certification is independent of the solver (src/game/regret.rs): every
                // probability non-negative, each player's sum one, no pure strategy better.
                let certified = certify_exact(&game, profile.clone()).unwrap();
                assert_eq!(*certified.regret(), Q::ZERO);
                let ended: Vec<_> = one.labels.iter().filter(|l| l.ended).collect();
                assert_eq!(ended.len(), 1, "exactly one path is reported as the winner");
                report.push(format!(
                    "n={n} bound={bound} seed={seed}: {elapsed:.2?}, label {} after {} pivots, {} labels",
                    ended[0].label,
                    ended[0].pivots,
                    one.labels.len()
                ));
            }
        }
    }
    eprintln!("{}", report.join("\n"));
    assert_eq!(report.len(), 60);
}
