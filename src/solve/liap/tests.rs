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

/// The agent function's conditional gains against the tree certification's own computation
/// ([`crate::game::tree::ExtensiveGame::infoset_regrets`], beliefs `reach(h)/reach(I)`): at
/// interior profiles of Gambit's Van Damme tree (chance-free, two sets reached through the
/// other player's moves) each set's largest gain is its agent's regret, and the function is
/// `Σ max(0, c·g)²` with no penalty on the simplex.
#[test]
fn agent_gains_are_the_conditional_regrets() {
    let text = "EFG 2 R \"vd\" { \"1\" \"2\" }\n\
        p \"\" 1 1 \"\" { \"W\" \"K\" } 0\n\
        p \"\" 1 2 \"\" { \"A\" \"B\" } 0\n\
        p \"\" 2 1 \"\" { \"a\" \"b\" } 0\n\
        t \"\" 1 \"\" { 2, 1 }\nt \"\" 2 \"\" { -1, 0 }\n\
        p \"\" 2 1 \"\" { \"a\" \"b\" } 0\n\
        t \"\" 3 \"\" { -1, 0 }\nt \"\" 4 \"\" { 0, 3 }\n\
        p \"\" 1 3 \"\" { \"A\" \"B\" } 0\n\
        p \"\" 2 2 \"\" { \"a\" \"b\" } 0\n\
        t \"\" 5 \"\" { 3, 1 }\nt \"\" 6 \"\" { 0, 0 }\n\
        p \"\" 2 2 \"\" { \"a\" \"b\" } 0\n\
        t \"\" 7 \"\" { 0, 0 }\nt \"\" 8 \"\" { 1, 3 }\n";
    let game = crate::io::parse_efg(text, "vd.efg").unwrap();
    let f = super::agent::AgentLyapunov::new(&game);
    for x in [
        vec![0.3, 0.7, 0.2, 0.8, 0.6, 0.4, 0.5, 0.5, 0.9, 0.1],
        vec![0.01, 0.99, 0.75, 0.25, 0.1, 0.9, 0.25, 0.75, 0.4, 0.6],
    ] {
        let b: Vec<Vec<Vec<f64>>> = vec![
            vec![x[0..2].to_vec(), x[2..4].to_vec(), x[4..6].to_vec()],
            vec![x[6..8].to_vec(), x[8..10].to_vec()],
        ];
        let regrets: Vec<f64> = game.infoset_regrets(&b).unwrap().concat();
        let gains = f.gains(&x);
        let mut expected = 0.0;
        for (k, r) in regrets.iter().enumerate() {
            let best = gains[2 * k..2 * k + 2]
                .iter()
                .map(|g| g.expect("every set is reached"))
                .fold(f64::NEG_INFINITY, f64::max);
            assert!((best - r).abs() < 1e-12, "{x:?} set {k}: {best} vs {r}");
            expected += gains[2 * k..2 * k + 2]
                .iter()
                .map(|g| (g.unwrap() / 4.0).max(0.0).powi(2))
                .sum::<f64>();
        }
        // Payoffs run from -1 to 3: c = 1/4.
        assert!((f.value(&x) - expected).abs() < 1e-15, "{x:?}");
    }
}

/// Gambit's reading of a tree's reduced form ([`super::function::Reading::ThroughBehaviour`]):
/// the regret part of the function does not change when a player who does not move at the root
/// scales its weights or has a negative weight raised to 0 (behaviour strategies are ratios of
/// its weights' positive parts), while the root mover's weights enter as they are.
#[test]
fn the_tree_reading_ignores_the_scale_and_sign_of_non_root_weights() {
    use super::function::{Reading, PENALTY};
    let game = random_game(&[2, 3], 10, 7).unwrap();
    let range = crate::game::regret::payoff_range(&game);
    let reading = Reading::ThroughBehaviour {
        root_player: Some(0),
    };
    let f = StrategicLyapunov::new(&game, range).reading(reading);
    let penalties = |x: &[f64]| {
        let negative: f64 = x.iter().map(|v| v.min(0.0).powi(2)).sum();
        let missing = (x[0] + x[1] - 1.0).powi(2) + (x[2] + x[3] + x[4] - 1.0).powi(2);
        PENALTY * (negative + missing)
    };
    let regret_part = |x: &[f64]| f.value(x) - penalties(x);
    let x = [0.3, 0.7, 0.5, -0.1, 0.6];
    let base = regret_part(&x);
    assert!(base > 1e-6, "a point with regret: {base}");
    for other in [[0.3, 0.7, 1.0, -0.1, 1.2], [0.3, 0.7, 0.5, 0.0, 0.6]] {
        assert!((regret_part(&other) - base).abs() <= 1e-12 * (1.0 + base));
    }
    let scaled_root = [0.6, 1.4, 0.5, -0.1, 0.6];
    assert!((regret_part(&scaled_root) - base).abs() > 1e-6);
}
