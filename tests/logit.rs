//! The logit QRE principal branch, checked against closed forms, the QRE fixed-point equations
//! evaluated independently (through `game::regret::pure_strategy_values`), the entropy bound on
//! a QRE's regret, and pygambit's values at fixed λ (`tests/data/logit/expected.json`).

use crate::common;

use patron::game::StrategicGame;
use patron::game::{payoffs_and_regret, pure_strategy_values};
use patron::io::{read_game_file, GameFile};
use patron::num::Q;
use patron::solve::{logit_at, logit_branch};
use serde_json::Value;

fn bimatrix(a: &[&[i64]], b: &[&[i64]]) -> StrategicGame {
    let m = |rows: &[&[i64]]| {
        rows.iter()
            .map(|r| r.iter().map(|&v| Q::from(v)).collect())
            .collect::<Vec<Vec<Q>>>()
    };
    StrategicGame::bimatrix(&m(a), &m(b)).unwrap()
}

fn corpus_game(name: &str) -> Option<StrategicGame> {
    let dir = common::corpus_dir()?;
    match read_game_file(&dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")) {
        GameFile::Strategic(g) => Some(g),
        GameFile::Extensive(_) => panic!("{name} is not a strategic game"),
    }
}

/// Largest violation of `π_ij = exp(λ u_ij) / Σ_k exp(λ u_ik)`, from the game's payoffs alone.
fn fixed_point_error(game: &StrategicGame, lambda: f64, profile: &[Vec<f64>]) -> f64 {
    let values = pure_strategy_values(game, profile);
    let mut worst: f64 = 0.0;
    for (p, vals) in values.iter().enumerate() {
        let top = vals.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = vals.iter().map(|u| (lambda * (u - top)).exp()).collect();
        let total: f64 = weights.iter().sum();
        for (w, pi) in weights.iter().zip(&profile[p]) {
            worst = worst.max((w / total - pi).abs());
        }
    }
    worst
}

#[test]
fn matching_pennies_stays_at_one_half() {
    // By symmetry the unique QRE of matching pennies is (1/2, 1/2) for every λ.
    let g = bimatrix(&[&[1, -1], &[-1, 1]], &[&[-1, 1], &[1, -1]]);
    for lambda in [0.0, 0.5, 3.0, 40.0, 1000.0] {
        let p = logit_at(&g, lambda).unwrap();
        for s in &p {
            for x in s {
                assert!((x - 0.5).abs() < 1e-12, "λ = {lambda}: {p:?}");
            }
        }
    }
}

#[test]
fn lambda_zero_is_the_centroid() {
    let Some(g) = corpus_game("5x4x3.nfg") else {
        return;
    };
    let p = logit_at(&g, 0.0).unwrap();
    for (s, &m) in p.iter().zip(&g.strategy_counts()) {
        assert_eq!(s.len(), m);
        for x in s {
            assert!((x - 1.0 / m as f64).abs() < 1e-15);
        }
    }
}

#[test]
fn two_by_two_closed_form() {
    // Row: strictly dominant first strategy worth 1 more whatever the column does; column
    // player indifferent (all zeros). So π_row = (e^λ, 1)/(e^λ + 1) and π_col = (1/2, 1/2).
    let g = bimatrix(&[&[1, 1], &[0, 0]], &[&[0, 0], &[0, 0]]);
    for lambda in [0.7, 2.0, 9.0] {
        let p = logit_at(&g, lambda).unwrap();
        let want = lambda.exp() / (lambda.exp() + 1.0);
        assert!(
            (p[0][0] - want).abs() < 1e-12,
            "λ = {lambda}: {} vs {want}",
            p[0][0]
        );
        assert!((p[1][0] - 0.5).abs() < 1e-12);
    }
}

#[test]
fn passes_the_pitchfork_of_the_mckelvey_mclennan_game() {
    // 2x2x2.nfg: with players 1 and 2 at (1/2, 1/2), each of them is indifferent whatever player
    // 3 does (u1 = 4.5a + 1.5(1−a) for both strategies, u2 = 4a + 2(1−a)), and player 3 gets
    // (12 + 2)/4 = 3.5 from its first strategy and (6 + 6)/4 = 3 from its second. So
    // {π1 = π2 = (1/2, 1/2), π3 = (1, e^(−λ/2))/(1 + e^(−λ/2))} solves the QRE equations for all λ
    // and passes through the centroid: it is the principal branch. At λ ≈ 0.5968 other branches
    // split off it (a pitchfork, where pygambit's tracer stops); the tracer keeps to it.
    let Some(g) = corpus_game("2x2x2.nfg") else {
        return;
    };
    for lambda in [0.5, 1.0, 2.0, 5.0, 50.0] {
        let p = logit_at(&g, lambda).unwrap();
        let want = 1.0 / (1.0 + (-lambda / 2.0).exp());
        assert!(
            (p[0][0] - 0.5).abs() < 1e-9 && (p[1][0] - 0.5).abs() < 1e-9,
            "λ = {lambda}: {p:?}"
        );
        assert!(
            (p[2][0] - want).abs() < 1e-9,
            "λ = {lambda}: {} vs {want}",
            p[2][0]
        );
    }
}

#[test]
fn follows_the_backward_bend_of_loopback() {
    // Gambit's loopback.nfg ("backward-bending principal logit branch", after McKelvey): λ rises
    // to about 1.349, falls back to about 1.324, then rises again, and the profile crosses over
    // to the other side (player 1's first strategy goes from about 0.72 to below 0.5). The branch
    // must show λ decreasing somewhere, and logit_at(1.4) must be past the bend: pygambit gives
    // π₁ = (0.35338571138…, 0.64661428861…) there.
    let Some(g) = corpus_game("loopback.nfg") else {
        return;
    };
    let points = logit_branch(&g, 1.6, 0.02).unwrap();
    let first_turn = points.windows(2).find(|w| w[1].0 < w[0].0).map(|w| w[0].0);
    let top = first_turn.expect("λ never decreased along the branch");
    assert!((1.34..1.36).contains(&top), "λ turns back at {top}");
    let p = logit_at(&g, 1.4).unwrap();
    assert!((p[0][0] - 0.3533857113817053).abs() < 1e-6, "{p:?}");
}

#[test]
fn branch_is_continuous_and_every_point_is_a_qre() {
    let Some(g) = corpus_game("5x4x3.nfg") else {
        return;
    };
    let max_step = 0.1;
    let points = logit_branch(&g, 8.0, max_step).unwrap();
    assert!(points.len() > 20, "only {} points", points.len());
    assert_eq!(points[0].0, 0.0);
    assert!((points.last().unwrap().0 - 8.0).abs() < 1e-12);
    for (lambda, profile) in &points {
        let err = fixed_point_error(&g, *lambda, profile);
        assert!(err < 1e-9, "λ = {lambda}: fixed-point error {err:e}");
    }
    // A step moves at most `max_step` along the tangent plus a corrector step no longer than
    // that, orthogonal to it; probabilities move no more than log-probabilities (π = e^v, v ≤ 0).
    for w in points.windows(2) {
        let dl = (w[1].0 - w[0].0).abs();
        let dp = w[0]
            .1
            .iter()
            .flatten()
            .zip(w[1].1.iter().flatten())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(
            dl <= 1.5 * max_step && dp <= 1.5 * max_step,
            "jump of λ {dl}, π {dp} at λ = {}",
            w[0].0
        );
    }
}

#[test]
fn large_lambda_gives_an_approximate_nash_equilibrium() {
    // At a logit QRE each player's choice maximises σ·u + H(σ)/λ, so its regret is at most
    // H(σ)/λ ≤ ln(m)/λ: an independent bound from the entropy of the logit response.
    for name in [
        "2x2.nfg",
        "e04.nfg",
        "3x3x3.nfg",
        "5x4x3.nfg",
        "8x8.nfg",
        "pd.nfg",
        "2x2x2x2x2.nfg",
    ] {
        let Some(g) = corpus_game(name) else { return };
        let lambda = 2000.0;
        let p = logit_at(&g, lambda).unwrap();
        let (_, regret) = payoffs_and_regret(&g, &p);
        let bound = (*g.strategy_counts().iter().max().unwrap() as f64).ln() / lambda;
        assert!(
            regret <= bound + 1e-12,
            "{name}: regret {regret:e} above {bound:e}"
        );
        assert!(fixed_point_error(&g, lambda, &p) < 1e-9, "{name}");
    }
}

#[test]
fn every_corpus_game_traces_to_large_lambda() {
    // Degenerate games, payoffs in the millions, bifurcations: the tracer must get through, and
    // end within the entropy bound ln(m)/λ of a Nash equilibrium.
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let files = common::files_ending(&dir, ".nfg");
    assert!(files.len() > 20);
    let lambda = 1e4;
    for path in files {
        let Ok(GameFile::Strategic(g)) = read_game_file(&path) else {
            continue;
        };
        let p = logit_at(&g, lambda).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (_, regret) = payoffs_and_regret(&g, &p);
        let bound = (*g.strategy_counts().iter().max().unwrap() as f64).ln() / lambda;
        assert!(
            regret <= bound + 1e-12,
            "{}: regret {regret:e} above {bound:e}",
            path.display()
        );
    }
}

#[test]
fn bad_arguments_are_errors() {
    let g = bimatrix(&[&[1]], &[&[1]]);
    assert!(logit_at(&g, -1.0).is_err());
    assert!(logit_at(&g, f64::NAN).is_err());
    assert!(logit_branch(&g, 1.0, 0.0).is_err());
}

/// pygambit's `logit_solve_lambda` values (made by `tests/data/logit/make_expected.py`).
#[test]
fn matches_pygambit_at_fixed_lambda() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let text = include_str!("data/logit/expected.json");
    let expected: Value = serde_json::from_str(text).unwrap();
    let games = expected["games"].as_object().unwrap();
    assert!(games.len() >= 4);
    let mut worst: f64 = 0.0;
    for (name, cases) in games {
        let GameFile::Strategic(g) = read_game_file(&dir.join(name)).unwrap() else {
            panic!("{name}")
        };
        for case in cases.as_array().unwrap() {
            let lambda = case["lambda"].as_f64().unwrap();
            let got = logit_at(&g, lambda).unwrap();
            let want: Vec<Vec<f64>> = serde_json::from_value(case["profile"].clone()).unwrap();
            for (s, t) in got.iter().flatten().zip(want.iter().flatten()) {
                worst = worst.max((s - t).abs());
                assert!(
                    (s - t).abs() < 1e-6,
                    "{name} at λ = {lambda}: {got:?} vs pygambit {want:?}"
                );
            }
        }
    }
    eprintln!("largest difference from pygambit: {worst:e}");
}
