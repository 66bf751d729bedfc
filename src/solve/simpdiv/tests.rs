use super::*;
use crate::num::{parse_q, q_matrix};
use crate::solve::deadline::NO_DEADLINE;
use std::time::Duration;

/// Gambit's 2x2.nfg: the unique equilibrium is (1/2, 1/2), (1/3, 2/3) (indifference by hand:
/// 2q = 1 − q and 1 − p = p). The path ends near it on a grid of 2^-k, and polishing makes it
/// exact.
fn unique_mixed() -> StrategicGame {
    let a = q_matrix(&[&[2, 0], &[0, 1]]);
    let b = q_matrix(&[&[0, 1], &[1, 0]]);
    StrategicGame::bimatrix(&a, &b).unwrap()
}

#[test]
fn reaches_the_unique_mixed_equilibrium_exactly() {
    let answer = simpdiv_until(&unique_mixed(), &SimpdivOptions::default(), &NO_DEADLINE).unwrap();
    assert!(answer.complete);
    assert!(answer.runs > 10, "refined {} times", answer.runs);
    // The grid point meets Gambit's bound: regret at most 1e-7 of the range 2.
    assert!(to_f64(&answer.grid_regret) <= 2e-7);
    let eq = answer.equilibrium.unwrap();
    assert_eq!(
        eq.profile_text(),
        vec![vec!["1/2", "1/2"], vec!["1/3", "2/3"]]
    );
    assert_eq!(eq.regret_text(), "0");
}

#[test]
fn a_pure_start_at_an_equilibrium_stops_there() {
    // Coordination: (1, 1) is an equilibrium, and simpdiv started there reports it at once: the
    // start's label (player 1's first strategy) and the face x_12 = 0 it starts on complete
    // player 1's strategies.
    let a = q_matrix(&[&[2, 0], &[0, 1]]);
    let game = StrategicGame::bimatrix(&a, &a).unwrap();
    let start = vec![vec![Q::ONE, Q::ZERO], vec![Q::ONE, Q::ZERO]];
    let options = SimpdivOptions {
        start: Some(start.clone()),
        ..SimpdivOptions::default()
    };
    let answer = simpdiv_until(&game, &options, &NO_DEADLINE).unwrap();
    assert_eq!((answer.runs, answer.steps), (1, 1));
    assert_eq!(answer.grid_point, start);
}

#[test]
fn bad_starts_and_options_are_usage_errors() {
    let game = unique_mixed();
    let half = parse_q("1/2").unwrap();
    let bad = [
        vec![vec![half.clone(), half.clone()]],
        vec![vec![half.clone(), half.clone()], vec![Q::ONE]],
        vec![
            vec![half.clone(), half.clone()],
            vec![half.clone(), Q::ZERO],
        ],
        vec![
            vec![Q::from(2), Q::from(-1)],
            vec![half.clone(), half.clone()],
        ],
    ];
    for start in bad {
        let options = SimpdivOptions {
            start: Some(start),
            ..SimpdivOptions::default()
        };
        let err = simpdiv_until(&game, &options, &NO_DEADLINE).unwrap_err();
        assert!(matches!(err, Error::Usage(_)), "{err}");
    }
    for options in [
        SimpdivOptions {
            refine: 1,
            ..SimpdivOptions::default()
        },
        SimpdivOptions {
            max_regret: 0.0,
            ..SimpdivOptions::default()
        },
    ] {
        assert!(simpdiv_until(&game, &options, &NO_DEADLINE).is_err());
    }
}

#[test]
fn a_passed_deadline_stops_it_incomplete() {
    let game = unique_mixed();
    let deadline = Deadline::after(Duration::ZERO);
    let answer = simpdiv_until(&game, &SimpdivOptions::default(), &deadline).unwrap();
    assert!(!answer.complete);
    assert_eq!(answer.runs, 1);
}

/// Gambit's leash: within a run no probability falls more than `leash` grid steps below the
/// run's start. A leash of 2 still lets every run reach the equilibrium's neighbourhood; a leash
/// of 1 holds the column player at 1/4 (one step below 1/2 on the first grid, 1/4) while the
/// equilibrium needs 1/3, so no refinement meets the bound and the answer is incomplete.
#[test]
fn a_leash_bounds_each_run() {
    let game = unique_mixed();
    let with_leash = |leash| {
        let options = SimpdivOptions {
            leash: Some(leash),
            ..SimpdivOptions::default()
        };
        simpdiv_until(&game, &options, &NO_DEADLINE).unwrap()
    };
    let answer = with_leash(2);
    assert!(answer.complete);
    assert_eq!(
        answer.equilibrium.unwrap().profile_text(),
        vec![vec!["1/2", "1/2"], vec!["1/3", "2/3"]]
    );
    let held = with_leash(1);
    assert!(!held.complete && held.equilibrium.is_none());
    assert_eq!(
        held.grid_point[1],
        vec![
            Q::from_parts(1.into(), 4u8.into()),
            Q::from_parts(3.into(), 4u8.into())
        ]
    );
}

/// The machine-integer and big-integer labellings agree: a point `z / m` and the same point on a
/// grid `k` times finer (`k·z / k·m`, past the `i128` bound for five players) get the same label,
/// and regrets whose numerators differ by exactly `k^5`, so the same regret.
#[test]
fn machine_and_big_integer_labels_agree() {
    let game = crate::game::random::random_game(&[2, 2, 2, 2, 2], 1000, 7).unwrap();
    let labeller = Labeller::new(&game);
    let k: i64 = 1 << 22;
    for z in [
        [1, 11, 6, 6, 0, 12, 3, 9, 12, 0],
        [5, 7, 2, 10, 8, 4, 11, 1, 6, 6],
    ] {
        let coarse = labeller.label(&z, 12);
        let fine_z: Vec<i64> = z.iter().map(|c| c * k).collect();
        let fine = labeller.label(&fine_z, 12 * k);
        assert_eq!(coarse.label, fine.label);
        assert_eq!(fine.gain, &coarse.gain * crate::num::IBig::from(k).pow(5));
        assert_eq!(
            labeller.regret(&coarse.gain, 12),
            labeller.regret(&fine.gain, 12 * k)
        );
    }
}
