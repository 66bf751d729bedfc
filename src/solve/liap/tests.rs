use super::function::StrategicLyapunov;
use super::minimiser::Objective;
use super::*;
use crate::game::random::random_game;
use crate::solve::deadline::NO_DEADLINE;

/// The analytic gradient, projected onto each player's plane, agrees with central differences of
/// the function (an independent computation of the same derivative), projected the same way.
#[test]
fn gradient_matches_finite_differences() {
    for (counts, seed) in [(vec![2, 3], 1), (vec![3, 2, 2], 2), (vec![2, 2, 2, 2], 3)] {
        let game = random_game(&counts, 10, seed).unwrap();
        let f = StrategicLyapunov::new(&game, crate::game::regret::payoff_range(&game));
        let total: usize = counts.iter().sum();
        // An off-simplex point with a negative entry exercises every term.
        let x: Vec<f64> = (0..total).map(|k| 0.3 - 0.07 * k as f64).collect();
        let gradient = f.gradient(&x);
        let mut numeric: Vec<f64> = (0..total)
            .map(|k| {
                let h = 1e-6;
                let (mut up, mut down) = (x.clone(), x.clone());
                up[k] += h;
                down[k] -= h;
                (f.value(&up) - f.value(&down)) / (2.0 * h)
            })
            .collect();
        let mut start = 0;
        for &c in &counts {
            super::function::project_out_mean(&mut numeric[start..start + c]);
            start += c;
        }
        for k in 0..total {
            assert!(
                (numeric[k] - gradient[k]).abs() <= 1e-5 * (1.0 + numeric[k].abs()),
                "{counts:?} coordinate {k}: {} vs {}",
                numeric[k],
                gradient[k]
            );
        }
    }
}

/// Matching pennies: the only equilibrium is the centroid, where the function is 0 — liap
/// answers at once, exactly.
#[test]
fn matching_pennies_is_solved_at_the_start() {
    let a = crate::num::q_matrix(&[&[1, -1], &[-1, 1]]);
    let b = crate::num::q_matrix(&[&[-1, 1], &[1, -1]]);
    let game = StrategicGame::bimatrix(&a, &b).unwrap();
    let answer = liap_until(&game, &LiapOptions::default(), &NO_DEADLINE).unwrap();
    assert_eq!(answer.iterations, 0);
    let eq = answer.equilibrium.unwrap();
    assert_eq!(
        eq.profile_text(),
        vec![vec!["1/2", "1/2"], vec!["1/2", "1/2"]]
    );
}
