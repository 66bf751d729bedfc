//! `finish` on iterates as far from their equilibria as ipa's are (GameTracer stops within
//! `FUZZ` = 1e-6): each is reported exact, at the equilibrium published for its game.

use super::finish;
use crate::game::{Equilibrium, StrategicGame};
use crate::io::parse_nfg;
use crate::num::{parse_q, Q};
use crate::solve::enumpoly::certified_equilibrium;
use crate::solve::gnm::perturbation::Perturbation;
use crate::solve::gnm::polisher;

/// McKelvey & McLennan's 2×2×2 example (Gambit's `2x2x2.nfg`): nine equilibria, two of them
/// totally mixed.
const MCKELVEY_MCLENNAN: &str = r#"NFG 1 R "2x2x2" { "1" "2" "3" }
{ { "1" "2" } { "1" "2" } { "1" "2" } }
""
{
{ "" 9, 8, 12 }
{ "" 0, 0, 0 }
{ "" 0, 0, 0 }
{ "" 9, 8, 2 }
{ "" 0, 0, 0 }
{ "" 3, 4, 6 }
{ "" 3, 4, 6 }
{ "" 0, 0, 0 }
}
1 2 3 4 5 6 7 8
"#;

/// Gambit's `g2.nfg`: van der Laan, Talman & van der Heyden's 3×3×3 example, one equilibrium,
/// mixed.
const VAN_DER_LAAN: &str = r#"NFG 1 D "g2" { "1" "2" "3" } { 3 3 3 }
-2 -5 -1 -1 -4 -1 -4 -3 -1 -2 -1 -3 -3 -3 -6 -4 -2 -2 -4 -2 -5 -6 -5 -2 -3 -7 -4 -3 -6 -2
-1 -8 -3 -7 -5 -8 -3 -1 -6 -4 -2 -3 -5 -2 -5 -1 -3 -5 -8 -3 -7 -6 -5 -5 -4 -7 -5 -4 -9 -4
-2 -1 -8 -3 -3 -2 -1 -1 -6 -5 -4 -1 -5 -6 -2 -2 -6 -5 -4 -8 -3
"#;

fn q(text: &str) -> Q {
    parse_q(text).unwrap()
}

fn exact_profile(rows: &[&[&str]]) -> Vec<Vec<Q>> {
    rows.iter()
        .map(|r| r.iter().map(|v| q(v)).collect())
        .collect()
}

fn exact(found: Equilibrium) -> (Vec<Vec<Q>>, Vec<Q>) {
    match found {
        Equilibrium::Exact(c) => (c.profile().to_vec(), c.payoffs().to_vec()),
        Equilibrium::Float(c) => panic!("float answer {:?}", c.profile()),
    }
}

/// Three players mix, so the exact recovery of two mixers does not apply and the iterate is
/// polished: the totally mixed equilibrium ((1/2, 1/2), (2/5, 3/5), (1/4, 3/4)) that pygambit's
/// `enumpoly_solve` lists (`expected/2x2x2.nfg.json`), from an iterate 3e-7 away.
#[test]
fn a_three_mixer_iterate_is_polished_to_its_exact_equilibrium() {
    let game = parse_nfg(MCKELVEY_MCLENNAN, "2x2x2.nfg").unwrap();
    let iterate = vec![
        vec![0.5 + 3e-7, 0.5 - 3e-7],
        vec![0.4 - 2e-7, 0.6 + 2e-7],
        vec![0.25 + 3e-7, 0.75 - 3e-7],
    ];
    let perturbation = Perturbation::first_strategies(&game);
    let (profile, _) = exact(finish(&game, &perturbation, iterate).unwrap());
    assert_eq!(
        profile,
        exact_profile(&[&["1/2", "1/2"], &["2/5", "3/5"], &["1/4", "3/4"]])
    );
}

/// Two players mix in g2's equilibrium; from pygambit 16.7's `ipa_solve` answer on g2
/// (`expected-approx/g2.nfg.json`, 2.3e-7 from 2/3) `finish` reports the equilibrium of the
/// game's title, ((3/7, 4/7, 0), (0, 1, 0), (0, 2/3, 1/3)) with payoffs (−3, −5/3, −30/7)
/// (checked by brute force over the table in Python's exact `fractions`: every support
/// strategy earns the payoff and no other earns more), and the
/// polish followed by certification, which `finish` skips here, reports the same.
#[test]
fn a_two_mixer_iterate_is_exact_without_the_polish() {
    let game: StrategicGame = parse_nfg(VAN_DER_LAAN, "g2.nfg").unwrap();
    let pygambit = vec![
        vec![0.42857142857052377, 0.5714285714294762, 0.0],
        vec![0.0, 1.0, 0.0],
        vec![0.0, 0.6666664407316858, 0.33333355926831426],
    ];
    let perturbation = Perturbation::first_strategies(&game);
    let found = finish(&game, &perturbation, pygambit.clone()).unwrap();
    let polished = polisher(&game, &perturbation)
        .polish(vec![vec![0, 1], vec![1], vec![1, 2]], &pygambit)
        .and_then(|p| certified_equilibrium(&game, p))
        .unwrap();
    assert_eq!(found, polished);
    let (profile, payoffs) = exact(found);
    assert_eq!(
        profile,
        exact_profile(&[&["3/7", "4/7", "0"], &["0", "1", "0"], &["0", "2/3", "1/3"]])
    );
    assert_eq!(payoffs, vec![q("-3"), q("-5/3"), q("-30/7")]);
}
