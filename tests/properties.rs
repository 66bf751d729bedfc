//! Property tests on random small games, through the same certified entry point the CLI uses.

use patron::game::{Equilibrium, StrategicGame};
use patron::num::Q;
use patron::solve::{solve_strategic, Method, SolveOptions};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// A random bimatrix game: payoffs from `values`, so a narrow range makes ties (degeneracy) likely.
fn bimatrix(
    m: usize,
    n: usize,
    values: std::ops::Range<i64>,
) -> impl Strategy<Value = StrategicGame> {
    (
        prop::collection::vec(values.clone(), m * n),
        prop::collection::vec(values, m * n),
    )
        .prop_map(move |(a, b)| {
            let matrix = |v: &[i64]| -> Vec<Vec<Q>> {
                (0..m)
                    .map(|i| (0..n).map(|j| Q::from(v[i * n + j])).collect())
                    .collect()
            };
            StrategicGame::bimatrix(&matrix(&a), &matrix(&b)).expect("valid game")
        })
}

fn shapes() -> impl Strategy<Value = (usize, usize)> {
    (1usize..=4, 1usize..=4)
}

fn profiles(game: &StrategicGame, method: Method) -> BTreeSet<Vec<Vec<String>>> {
    let solved = solve_strategic(game, method, &SolveOptions::default()).expect("solver");
    solved
        .equilibria
        .iter()
        .map(|e| {
            assert!(
                matches!(e, Equilibrium::Exact(_)),
                "{} must be exact",
                method
            );
            e.profile_text()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// `solve_strategic` only returns certified profiles; this re-checks certification's verdict
    /// (exact regret zero) and that every pure equilibrium is among enummixed's extreme equilibria.
    #[test]
    fn enummixed_contains_every_pure_equilibrium(game in shapes().prop_flat_map(|(m, n)| bimatrix(m, n, 0..3))) {
        let pure = profiles(&game, Method::EnumPure);
        let mixed = profiles(&game, Method::EnumMixed);
        prop_assert!(!mixed.is_empty(), "every finite game has an equilibrium");
        for p in &pure {
            prop_assert!(mixed.contains(p), "pure equilibrium {p:?} missing from enummixed {mixed:?}");
        }
        for e in solve_strategic(&game, Method::EnumMixed, &SolveOptions::default()).unwrap().equilibria {
            prop_assert_eq!(e.regret_text(), "0");
        }
    }

    /// With payoffs drawn from a wide range, random games are nondegenerate with probability one:
    /// there Lemke–Howson's answer, from every dropped label, is one of enummixed's equilibria.
    #[test]
    fn lcp_answers_are_enummixed_equilibria(game in shapes().prop_flat_map(|(m, n)| bimatrix(m, n, -1_000_000..1_000_000))) {
        let mixed = profiles(&game, Method::EnumMixed);
        let options = SolveOptions {
            all_labels: true,
            ..SolveOptions::default()
        };
        for e in solve_strategic(&game, Method::Lcp, &options).unwrap().equilibria {
            prop_assert!(mixed.contains(&e.profile_text()), "lcp answer {:?} not in {mixed:?}", e.profile_text());
        }
    }

    /// On constant-sum games every equilibrium gives the same payoffs: lp's value must equal the
    /// payoffs of each equilibrium enummixed finds.
    #[test]
    fn lp_value_equals_every_equilibrium_payoff(a in prop::collection::vec(-20i64..20, 9)) {
        let matrix: Vec<Vec<Q>> = (0..3).map(|i| (0..3).map(|j| Q::from(a[i * 3 + j])).collect()).collect();
        let negated: Vec<Vec<Q>> = matrix.iter().map(|r| r.iter().map(|v| -v.clone()).collect()).collect();
        let game = StrategicGame::bimatrix(&matrix, &negated).unwrap();
        let lp = solve_strategic(&game, Method::Lp, &SolveOptions::default()).unwrap();
        let values = lp.values.expect("lp values");
        for e in solve_strategic(&game, Method::EnumMixed, &SolveOptions::default()).unwrap().equilibria {
            prop_assert_eq!(&e.payoffs_text(), &values);
        }
    }
}
