use super::*;
use crate::num::q_matrix;
use crate::solve::deadline::NO_DEADLINE;

fn run(game: &StrategicGame) -> Found {
    gnm_until(game, &GnmOptions::default(), &NO_DEADLINE).unwrap()
}

/// Matching pennies with unequal stakes: the unique equilibrium is mixed, with player 1 making
/// player 2 indifferent: row 1 w.p. 1/3 (closed form from the indifference conditions).
#[test]
fn finds_the_mixed_equilibrium_of_a_zero_sum_game() {
    let a = q_matrix(&[&[2, -1], &[-1, 1]]);
    let b = q_matrix(&[&[-2, 1], &[1, -1]]);
    let found = run(&StrategicGame::bimatrix(&a, &b).unwrap());
    assert!(found.complete);
    assert_eq!(found.equilibria.len(), 1);
    let p = found.equilibria[0].profile_f64();
    // player 2 indifferent: −2x + (1−x) = x − (1−x) → x = 2/5; player 1: 2y − (1−y) = −y + (1−y) → y = 2/5
    assert!(
        (p[0][0] - 0.4).abs() < 1e-9 && (p[1][0] - 0.4).abs() < 1e-9,
        "{p:?}"
    );
}
