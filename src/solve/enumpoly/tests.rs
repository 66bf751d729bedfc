//! Unit tests of enumpoly's pieces against brute force and closed forms.

use super::krawczyk::{krawczyk, Verdict};
use super::multilinear::{Form, Interval};
use super::overdetermined::has_inconsistent_linear_part;
use super::rational::simplest_rational;
use super::supports::{has_dominated_strategy, support_profiles};
use super::system::SupportSystem;
use crate::game::random::{random_bimatrix, SplitMix64};
use crate::game::regret::pure_strategy_values;
use crate::game::StrategicGame;
use crate::num::Q;
use nalgebra::DMatrix;
use std::ops::Range;

/// Uniform in [0, 1).
fn uniform(rng: &mut SplitMix64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A random game with the given strategy counts and integer payoffs in -50..50.
fn random_game(counts: &[usize], seed: u64) -> StrategicGame {
    let mut rng = SplitMix64(seed);
    let cells: usize = counts.iter().product();
    let tables = (0..counts.len())
        .map(|_| {
            (0..cells)
                .map(|_| Q::from(rng.next_u64() % 100) - Q::from(50))
                .collect()
        })
        .collect();
    let labels = counts
        .iter()
        .map(|&c| (0..c).map(|s| s.to_string()).collect())
        .collect();
    let players = (0..counts.len()).map(|p| p.to_string()).collect();
    StrategicGame::new("", players, labels, tables).unwrap()
}

/// A random box inside [0, 1]^n.
fn random_box(rng: &mut SplitMix64, n: usize) -> (Vec<f64>, Vec<f64>) {
    (0..n)
        .map(|_| {
            let (a, b) = (uniform(rng), uniform(rng));
            (a.min(b), a.max(b))
        })
        .unzip()
}

/// Every vertex of the box, by brute force (2^n of them).
fn vertices(lo: &[f64], hi: &[f64]) -> Vec<Vec<f64>> {
    (0..1usize << lo.len())
        .map(|mask| {
            (0..lo.len())
                .map(|v| if mask >> v & 1 == 1 { hi[v] } else { lo[v] })
                .collect()
        })
        .collect()
}

#[test]
fn vertex_ranges_are_the_exact_ranges_of_random_multilinear_forms() {
    let mut rng = SplitMix64(7);
    for trial in 0..200 {
        // 1 to 3 blocks of 1 to 3 unknowns, 1 to 3 outputs
        let sizes: Vec<usize> = (0..1 + trial % 3)
            .map(|_| 1 + (rng.next_u64() % 3) as usize)
            .collect();
        let mut blocks: Vec<Range<usize>> = Vec::new();
        let mut start = 0;
        for s in &sizes {
            blocks.push(start..start + s);
            start += s;
        }
        let outputs = 1 + trial % 3;
        let mut coefficients = SplitMix64(rng.next_u64());
        let form = Form::new(outputs, &blocks, |_, _| {
            20.0 * uniform(&mut coefficients) - 10.0
        });
        let (lo, hi) = random_box(&mut rng, start);
        let ranges = form.range(&lo, &hi);
        let at_vertices: Vec<Vec<f64>> = vertices(&lo, &hi).iter().map(|x| form.at(x)).collect();
        for (o, range) in ranges.iter().enumerate() {
            let min = at_vertices
                .iter()
                .map(|v| v[o])
                .fold(f64::INFINITY, f64::min);
            let max = at_vertices
                .iter()
                .map(|v| v[o])
                .fold(f64::NEG_INFINITY, f64::max);
            let slack = form.rounding() + 1e-12;
            assert!(
                (range.lo - min).abs() <= slack && (range.hi - max).abs() <= slack,
                "{range:?} vs [{min}, {max}]"
            );
            assert!(
                range.lo <= min && max <= range.hi,
                "rounding allowance missing"
            );
        }
        // and no point inside the box leaves the range
        for _ in 0..20 {
            let x: Vec<f64> = lo
                .iter()
                .zip(&hi)
                .map(|(a, b)| a + (b - a) * uniform(&mut rng))
                .collect();
            for (v, range) in form.at(&x).iter().zip(&ranges) {
                assert!(range.lo <= *v && *v <= range.hi);
            }
        }
    }
}

/// A random support profile of `game` (each support nonempty, strategies increasing).
fn random_supports(game: &StrategicGame, rng: &mut SplitMix64) -> Vec<Vec<usize>> {
    game.strategy_counts()
        .iter()
        .map(|&n| {
            let mask = 1 + rng.next_u64() % ((1 << n) - 1);
            (0..n).filter(|&s| mask >> s & 1 == 1).collect()
        })
        .collect()
}

#[test]
fn system_values_are_payoff_differences_and_jacobian_is_their_derivative() {
    let mut rng = SplitMix64(11);
    for trial in 0..60 {
        let shapes: [&[usize]; 4] = [&[3, 2, 3], &[2, 2, 2, 2], &[4, 3], &[3, 3, 2]];
        let counts = shapes[trial % 4];
        let game = random_game(counts, 100 + trial as u64);
        let supports = random_supports(&game, &mut rng);
        let system = SupportSystem::new(&game, &supports);
        let n = system.unknowns();
        let x: Vec<f64> = (0..n).map(|_| uniform(&mut rng)).collect();
        let profile = system.profile(&game, &x);
        // independent: each pure strategy's expected payoff, from the certification code
        let values = pure_strategy_values(&game, &profile);
        let (residual, _) = system.residual(&x);
        let mut k = 0;
        for (p, support) in supports.iter().enumerate() {
            for &s in &support[1..] {
                let expected = values[p][s] - values[p][support[0]];
                assert!((residual[k] - expected).abs() < 1e-9, "{residual:?}");
                k += 1;
            }
        }
        assert_eq!(k, n);
        // each equation is affine in each unknown, so central differences are exact
        let jacobian = system.jacobian(&x);
        for v in 0..n {
            let step = 0.25;
            let (mut up, mut down) = (x.clone(), x.clone());
            up[v] += step;
            down[v] -= step;
            let (f_up, _) = system.residual(&up);
            let (f_down, _) = system.residual(&down);
            for e in 0..n {
                let slope = (f_up[e] - f_down[e]) / (2.0 * step);
                assert!((jacobian[(e, v)] - slope).abs() < 1e-9);
            }
        }
        // the Jacobian's range over a box holds the Jacobian at every point of the box
        let (lo, hi) = random_box(&mut rng, n);
        let ranges = system.jacobian_range(&system.coefficient_ranges(&lo, &hi));
        for _ in 0..10 {
            let y: Vec<f64> = lo
                .iter()
                .zip(&hi)
                .map(|(a, b)| a + (b - a) * uniform(&mut rng))
                .collect();
            let at = system.jacobian(&y);
            for (r, v) in ranges.iter().zip(at.iter()) {
                assert!(r.lo <= *v && *v <= r.hi);
            }
        }
    }
}

#[test]
fn narrowing_and_exclusion_never_lose_a_zero() {
    // zeros found by Newton from random starts must survive every box test on boxes around them
    let mut rng = SplitMix64(5);
    let mut checked = 0;
    for trial in 0..80 {
        let game = random_game(&[2, 3, 2], 300 + trial);
        let supports = random_supports(&game, &mut rng);
        let system = SupportSystem::new(&game, &supports);
        let n = system.unknowns();
        let start: Vec<f64> = (0..n).map(|_| uniform(&mut rng)).collect();
        let Some(zero) = super::subdivision::newton(&system, &start) else {
            continue;
        };
        let (mut lo, mut hi): (Vec<f64>, Vec<f64>) = zero
            .iter()
            .map(|z| (z - 0.1 * uniform(&mut rng), z + 0.1 * uniform(&mut rng)))
            .unzip();
        let (residual, _) = system.residual(&zero);
        assert!(residual.iter().all(|r| r.abs() < 1e-9));
        // only the equations: a zero need not satisfy the inequalities, so test `narrow`
        assert!(
            system.narrow(&system.coefficient_ranges(&lo, &hi), &mut lo, &mut hi),
            "narrowing emptied a box around a zero"
        );
        assert!(zero
            .iter()
            .zip(lo.iter().zip(&hi))
            .all(|(z, (a, b))| a <= z && z <= b));
        checked += 1;
    }
    assert!(checked > 20, "only {checked} zeros found");
}

/// The 2×2 interval matrix with these entries, exactly.
fn point_matrix(rows: &[[f64; 2]; 2]) -> DMatrix<Interval> {
    DMatrix::from_fn(2, 2, |i, j| Interval::point(rows[i][j]))
}

#[test]
fn krawczyk_on_a_linear_system_proves_and_excludes() {
    // f(x) = A x − b with A = [[2, 1], [1, 3]], zero at (0.3, 0.2): b = (0.8, 0.9)
    let a = [[2.0, 1.0], [1.0, 3.0]];
    let f = |x: &[f64]| vec![2.0 * x[0] + x[1] - 0.8, x[0] + 3.0 * x[1] - 0.9];
    let mid = [0.5, 0.5];
    match krawczyk(&mid, &[0.5, 0.5], &f(&mid), 0.0, &point_matrix(&a)) {
        Verdict::Unique { center } => {
            assert!((center[0] - 0.3).abs() < 1e-12 && (center[1] - 0.2).abs() < 1e-12)
        }
        other => panic!("expected a unique zero, got {other:?}"),
    }
    let far = [0.8, 0.8];
    assert_eq!(
        krawczyk(&far, &[0.1, 0.1], &f(&far), 0.0, &point_matrix(&a)),
        Verdict::NoRoot
    );
    let singular = [[1.0, 2.0], [2.0, 4.0]];
    assert_eq!(
        krawczyk(&mid, &[0.5, 0.5], &f(&mid), 0.0, &point_matrix(&singular)),
        Verdict::Undecided
    );
}

#[test]
fn krawczyk_never_excludes_a_box_holding_a_zero() {
    // f(x, y) = (x·y − 0.2, x − y): zeros at ±(√0.2, √0.2); Jacobian [[y, x], [1, −1]]
    let root = 0.2f64.sqrt();
    let mut rng = SplitMix64(3);
    let mut unique = 0;
    for _ in 0..500 {
        let (lo, hi): (Vec<f64>, Vec<f64>) = (0..2)
            .map(|_| {
                (
                    root - 0.5 * uniform(&mut rng),
                    root + 0.5 * uniform(&mut rng),
                )
            })
            .unzip();
        let mid: Vec<f64> = lo.iter().zip(&hi).map(|(a, b)| 0.5 * (a + b)).collect();
        let half: Vec<f64> = lo.iter().zip(&hi).map(|(a, b)| 0.5 * (b - a)).collect();
        let f = [mid[0] * mid[1] - 0.2, mid[0] - mid[1]];
        let jacobian = DMatrix::from_fn(2, 2, |i, j| match (i, j) {
            (0, 0) => Interval {
                lo: lo[1],
                hi: hi[1],
            },
            (0, 1) => Interval {
                lo: lo[0],
                hi: hi[0],
            },
            (1, 0) => Interval::point(1.0),
            _ => Interval::point(-1.0),
        });
        match krawczyk(&mid, &half, &f, 1e-16, &jacobian) {
            Verdict::NoRoot => panic!("excluded a box holding the zero: {lo:?} {hi:?}"),
            Verdict::Narrowed { lo: a, hi: b } => {
                assert!(a.iter().zip(&b).all(|(a, b)| *a <= root && root <= *b))
            }
            Verdict::Unique { center } => {
                unique += 1;
                assert!(center
                    .iter()
                    .zip(lo.iter().zip(&hi))
                    .all(|(c, (a, b))| a <= c && c <= b));
            }
            Verdict::Undecided => {}
        }
    }
    assert!(unique > 10, "only {unique} boxes proved");
}

#[test]
fn continued_fractions_give_the_simplest_rational_within_tolerance() {
    let q = |n: i64, d: i64| Q::from(n) / Q::from(d);
    assert_eq!(
        simplest_rational(1.0 / 3.0, 1_000_000, 1e-10),
        Some(q(1, 3))
    );
    assert_eq!(simplest_rational(0.1, 1_000_000, 1e-10), Some(q(1, 10)));
    assert_eq!(simplest_rational(0.75, 1_000_000, 1e-10), Some(q(3, 4)));
    assert_eq!(simplest_rational(1.0, 1_000_000, 1e-10), Some(q(1, 1)));
    assert_eq!(simplest_rational(0.0, 1_000_000, 1e-10), Some(q(0, 1)));
    assert_eq!(simplest_rational(2f64.sqrt(), 1000, 1e-10), None);
    // brute force: no fraction with a smaller denominator is within the tolerance
    let mut rng = SplitMix64(9);
    for _ in 0..200 {
        let x = uniform(&mut rng);
        let tolerance = 1e-4;
        let found = simplest_rational(x, 10_000, tolerance).expect("a fraction within 1e-4");
        let value = crate::num::to_f64(&found);
        assert!((x - value).abs() <= tolerance);
        let denominator: u64 = found.denominator().try_into().unwrap();
        for d in 1..denominator {
            let n = (x * d as f64).round();
            assert!(
                (x - n / d as f64).abs() > tolerance,
                "{n}/{d} is simpler than {found}"
            );
        }
    }
}

#[test]
fn support_profiles_are_every_nonempty_support_once() {
    let game = random_game(&[3, 2, 2], 1);
    let all: Vec<Vec<Vec<usize>>> = support_profiles(&game).collect();
    assert_eq!(all.len(), 7 * 3 * 3);
    let distinct: std::collections::BTreeSet<_> = all.iter().collect();
    assert_eq!(distinct.len(), all.len());
    assert!(all
        .iter()
        .flatten()
        .all(|s| !s.is_empty() && s.windows(2).all(|w| w[0] < w[1])));
}

#[test]
fn dominance_pruning_agrees_with_exact_brute_force() {
    for seed in 0..30 {
        let game = random_game(&[3, 3, 2], 500 + seed);
        for supports in support_profiles(&game) {
            // exact: some s in a support, t another strategy, t pays more against every
            // opponent profile drawn from the supports
            let brute = (0..3).any(|p| {
                supports[p].iter().any(|&s| {
                    (0..game.num_strategies(p)).any(|t| {
                        t != s
                            && opponent_profiles(&supports, p).iter().all(|o| {
                                let with = |own: usize| {
                                    let mut pure = o.clone();
                                    pure[p] = own;
                                    game.payoff(p, &pure).clone()
                                };
                                with(t) > with(s)
                            })
                    })
                })
            });
            assert_eq!(
                has_dominated_strategy(&game, &supports),
                brute,
                "{supports:?}"
            );
        }
    }
}

/// Every pure profile with the other players' strategies in their supports (player `p`'s entry
/// left at 0 for the caller to set).
fn opponent_profiles(supports: &[Vec<usize>], p: usize) -> Vec<Vec<usize>> {
    let mut profiles = vec![vec![0; supports.len()]];
    for (q, support) in supports.iter().enumerate() {
        if q == p {
            continue;
        }
        profiles = profiles
            .into_iter()
            .flat_map(|pure| {
                support.iter().map(move |&s| {
                    let mut next = pure.clone();
                    next[q] = s;
                    next
                })
            })
            .collect();
    }
    profiles
}

#[test]
fn unbalanced_two_player_supports_are_decided_exactly() {
    // nondegenerate: 3 indifference equations of the row player in 1 unknown of the column player
    let game = random_bimatrix(4, 2, 1_000_000, 4);
    assert!(has_inconsistent_linear_part(
        &game,
        &[vec![0, 1, 2, 3], vec![0, 1]]
    ));
    // equal sizes are left to the subdivision, as are games with more than two mixing players
    assert!(!has_inconsistent_linear_part(
        &game,
        &[vec![0, 1], vec![0, 1]]
    ));
    // a game where every payoff is 0: every system is consistent
    let zero =
        StrategicGame::bimatrix(&vec![vec![Q::ZERO; 2]; 4], &vec![vec![Q::ZERO; 2]; 4]).unwrap();
    assert!(!has_inconsistent_linear_part(
        &zero,
        &[vec![0, 1, 2, 3], vec![0, 1]]
    ));
    // row player's payoff depends only on the column: its equations hold for any mix
    let a: Vec<Vec<Q>> = (0..4).map(|_| vec![Q::from(1), Q::from(5)]).collect();
    let b: Vec<Vec<Q>> = (0..4).map(|i| vec![Q::from(i), Q::from(7 - i)]).collect();
    let flat = StrategicGame::bimatrix(&a, &b).unwrap();
    assert!(!has_inconsistent_linear_part(
        &flat,
        &[vec![0, 1, 2], vec![0, 1]]
    ));
}

/// `certified_equilibrium` (exact first, the float certificate only when that fails) gives what
/// `equilibrium_at` then `exact_if_possible` give, on every equilibrium enumpoly finds in
/// random three-player games (many irrational: reported as floats either way) moved by a
/// rounding-sized amount; on a non-equilibrium both refuse. On matching pennies a profile
/// within the recovery tolerance of (1/2, 1/2) is that exact equilibrium, payoffs 0.
/// A mixed profile, per player.
type Profile = Vec<Vec<f64>>;

/// Twelve random 2×2×3 games (seeds 40–51), each with its equilibria (`enumpoly`'s) moved by
/// 3e-12 in player 1's first two probabilities: approximate equilibria as a float solver
/// returns them.
fn games_with_nudged_equilibria() -> Vec<(u64, StrategicGame, Vec<Profile>)> {
    (0..12)
        .map(|seed| {
            let game = random_game(&[2, 2, 3], 40 + seed);
            let nudged = super::enumpoly(&game)
                .unwrap()
                .equilibria
                .iter()
                .map(|e| {
                    let mut profile = e.profile_f64();
                    profile[0][0] += 3e-12;
                    profile[0][1] -= 3e-12;
                    profile
                })
                .collect();
            (seed, game, nudged)
        })
        .collect()
}

#[test]
fn exact_first_certification_agrees_with_float_then_exact() {
    use super::{certified_equilibrium, equilibrium_at, exact_if_possible};
    use crate::game::Equilibrium;
    let reference = |game: &StrategicGame, profile: Vec<Vec<f64>>| -> Option<Equilibrium> {
        equilibrium_at(game, profile).map(|c| exact_if_possible(game, c))
    };
    let (mut exact, mut float) = (0, 0);
    for (seed, game, nudged) in games_with_nudged_equilibria() {
        for profile in nudged {
            let found = certified_equilibrium(&game, profile.clone());
            assert_eq!(found, reference(&game, profile), "seed {seed}");
            match found {
                Some(Equilibrium::Exact(_)) => exact += 1,
                Some(Equilibrium::Float(_)) => float += 1,
                None => panic!("seed {seed}: an equilibrium refused"),
            }
        }
        let pure_but_no_equilibrium = (0..game.num_profiles())
            .map(|k| game.profile_at(k))
            .map(|pure| {
                pure.iter()
                    .enumerate()
                    .map(|(p, &c)| {
                        (0..game.num_strategies(p))
                            .map(|s| if s == c { 1.0 } else { 0.0 })
                            .collect::<Vec<f64>>()
                    })
                    .collect::<Vec<_>>()
            })
            .find(|profile| reference(&game, profile.clone()).is_none());
        if let Some(profile) = pure_but_no_equilibrium {
            assert_eq!(certified_equilibrium(&game, profile), None);
        }
    }
    assert!(exact > 5 && float > 0, "{exact} exact, {float} float");

    let a = vec![vec![Q::from(1), Q::from(-1)], vec![Q::from(-1), Q::from(1)]];
    let b: Vec<Vec<Q>> = a
        .iter()
        .map(|r| r.iter().map(|v| -v.clone()).collect())
        .collect();
    let pennies = StrategicGame::bimatrix(&a, &b).unwrap();
    let near = vec![
        vec![0.5 + 4e-11, 0.5 - 4e-11],
        vec![0.5 - 2e-11, 0.5 + 2e-11],
    ];
    let half = Q::from(1) / Q::from(2);
    match certified_equilibrium(&pennies, near) {
        Some(Equilibrium::Exact(c)) => {
            assert_eq!(c.profile(), vec![vec![half.clone(), half.clone()]; 2]);
            assert_eq!(c.payoffs(), vec![Q::ZERO, Q::ZERO]);
        }
        other => panic!("{other:?}"),
    }
    let off = vec![vec![0.5, 0.5], vec![-1e-6, 1.0 + 1e-6]];
    assert_eq!(certified_equilibrium(&pennies, off), None);
}

/// `exactly_certified` gives the exact answers `certified_equilibrium` gives, and nothing where
/// that answer is a float. In `[[a, 0], [0, 1]]` against `[[0, 1], [1, 0]]` the only
/// equilibrium is row (1/2, 1/2), column (1/(a+1), a/(a+1)) (each player's mix makes the other
/// indifferent); with a + 1 = 1000003 the column's denominator is over
/// `MAX_RECOVERED_DENOMINATOR`, so the simplest nearby rationals (1/999904 or so) miss it and
/// the exact solution of the two mixers' supports is what certifies; from a profile far from
/// it (the centroid) it is not taken.
#[test]
fn exactly_certified_is_the_exact_part_of_certified_equilibrium() {
    use super::{certified_equilibrium, exactly_certified};
    use crate::game::Equilibrium;
    use crate::num::q_matrix;
    let (mut exact, mut float) = (0, 0);
    for (seed, game, nudged) in games_with_nudged_equilibria() {
        for profile in nudged {
            match certified_equilibrium(&game, profile.clone()) {
                Some(Equilibrium::Exact(c)) => {
                    exact += 1;
                    assert_eq!(
                        exactly_certified(&game, profile),
                        Some(Equilibrium::Exact(c))
                    );
                }
                Some(Equilibrium::Float(_)) => {
                    float += 1;
                    assert_eq!(exactly_certified(&game, profile), None);
                }
                None => panic!("seed {seed}: an equilibrium refused"),
            }
        }
    }
    assert!(exact > 5 && float > 0, "{exact} exact, {float} float");

    let a = 1_000_002;
    let rows = q_matrix(&[&[a, 0], &[0, 1]]);
    let columns = q_matrix(&[&[0, 1], &[1, 0]]);
    let game = StrategicGame::bimatrix(&rows, &columns).unwrap();
    let denominator = Q::from(a + 1);
    let near = vec![
        vec![0.5 + 2e-8, 0.5 - 2e-8],
        vec![1.0 / (a + 1) as f64, a as f64 / (a + 1) as f64],
    ];
    let half = Q::from(1) / Q::from(2);
    match exactly_certified(&game, near) {
        Some(Equilibrium::Exact(c)) => assert_eq!(
            c.profile(),
            vec![
                vec![half.clone(), half],
                vec![Q::from(1) / &denominator, Q::from(a) / &denominator]
            ]
        ),
        other => panic!("{other:?}"),
    }
    let off = vec![vec![0.5, 0.5], vec![0.5, 0.5]];
    assert_eq!(exactly_certified(&game, off), None);
}
