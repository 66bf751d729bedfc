//! Stackelberg commitment, checked in exact rationals against hand computations (Conitzer &
//! Sandholm 2006's examples and a two-type Bayesian game worked out below), against a brute-force
//! search over a grid of commitments, and plain versus Bayesian (multiple LPs versus DOBSS).

use patron::game::StrategicGame;
use patron::game::{BayesianGame, FollowerType};
use patron::num::{parse_q, q_matrix, Q};
use patron::solve::{bayesian_stackelberg, stackelberg, BayesianMethod, Commitment, CommitmentOf};
use proptest::prelude::*;

fn q(s: &str) -> Q {
    parse_q(s).unwrap()
}
fn exact(c: Commitment) -> CommitmentOf<Q> {
    match c {
        Commitment::Exact(c) => c,
        Commitment::Float(c) => panic!("expected an exact commitment, got {c:?}"),
    }
}

/// The leader's value of committing to `x` when each follower type best-responds and breaks ties
/// in the leader's favour, computed directly from the tables (no LP).
fn committed_value(game: &BayesianGame, x: &[Q]) -> Q {
    let dot = |col: &dyn Fn(usize) -> Q| {
        x.iter()
            .enumerate()
            .fold(Q::ZERO, |acc, (i, xi)| acc + xi * col(i))
    };
    let n = game.follower_strategies().len();
    game.types().iter().fold(Q::ZERO, |acc, t| {
        let follower: Vec<Q> = (0..n)
            .map(|j| dot(&|i| t.follower_payoffs[i][j].clone()))
            .collect();
        let leader: Vec<Q> = (0..n)
            .map(|j| dot(&|i| t.leader_payoffs[i][j].clone()))
            .collect();
        let best = follower.iter().max().unwrap();
        let value = (0..n)
            .filter(|&j| &follower[j] == best)
            .map(|j| leader[j].clone())
            .max()
            .unwrap();
        acc + &t.prior * value
    })
}

/// Every leader mixture with denominator `den` (all compositions of `den` into `m` parts).
fn grid(m: usize, den: u32) -> Vec<Vec<Q>> {
    fn rec(left: u32, parts: usize, den: u32, prefix: &mut Vec<u32>, out: &mut Vec<Vec<Q>>) {
        if parts == 1 {
            prefix.push(left);
            out.push(prefix.iter().map(|&k| Q::from(k) / Q::from(den)).collect());
            prefix.pop();
            return;
        }
        for k in 0..=left {
            prefix.push(k);
            rec(left - k, parts - 1, den, prefix, out);
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    rec(den, m, den, &mut Vec::new(), &mut out);
    out
}

#[test]
fn conitzer_sandholm_first_example() {
    // Follower plays R iff x = P(U) ≤ 1/2 (ties go the leader's way); the leader then gets
    // 4x + 3(1−x) = 3 + x, best at x = 1/2: 7/2, against 2 for committing to U outright.
    let g = StrategicGame::bimatrix(
        &q_matrix(&[&[2, 4], &[1, 3]]),
        &q_matrix(&[&[1, 0], &[0, 1]]),
    )
    .unwrap();
    let c = exact(stackelberg(&g, 0).unwrap());
    assert_eq!(c.strategy, vec![q("1/2"), q("1/2")]);
    assert_eq!(c.leader_value, q("7/2"));
    assert_eq!(c.responses, vec![1]);
    assert_eq!(c.follower_values, vec![q("1/2")]);
}

#[test]
fn three_column_example() {
    // Follower's columns pay 0, 3x − 1 and 9x − 4 (x = P(row 1)): column 1 is a best response
    // iff x ≤ 1/3, where the leader gets 2x + (1 − x) = 1 + x: 4/3 at x = 1/3. Columns 2 and 3
    // give the leader 0.
    let g = StrategicGame::bimatrix(
        &q_matrix(&[&[2, 0, 0], &[1, 0, 0]]),
        &q_matrix(&[&[0, 2, 5], &[0, -1, -4]]),
    )
    .unwrap();
    let c = exact(stackelberg(&g, 0).unwrap());
    assert_eq!(c.strategy, vec![q("1/3"), q("2/3")]);
    assert_eq!(c.leader_value, q("4/3"));
    assert_eq!(c.responses, vec![0]);
}

#[test]
fn unequal_follower_payoffs() {
    // Follower: L pays x, R pays 2(1 − x): R iff x ≤ 2/3; leader gets 3 + x → 11/3 at x = 2/3.
    let g = StrategicGame::bimatrix(
        &q_matrix(&[&[2, 4], &[1, 3]]),
        &q_matrix(&[&[1, 0], &[0, 2]]),
    )
    .unwrap();
    let c = exact(stackelberg(&g, 0).unwrap());
    assert_eq!(c.strategy, vec![q("2/3"), q("1/3")]);
    assert_eq!(c.leader_value, q("11/3"));
    assert_eq!(c.follower_values, vec![q("2/3")]);
}

#[test]
fn second_player_can_lead() {
    // The first example with the roles of the players swapped: same answer.
    let a = q_matrix(&[&[2, 4], &[1, 3]]);
    let b = q_matrix(&[&[1, 0], &[0, 1]]);
    let t = |m: &Vec<Vec<Q>>| {
        (0..2)
            .map(|j| (0..2).map(|i| m[i][j].clone()).collect())
            .collect::<Vec<Vec<Q>>>()
    };
    let g = StrategicGame::bimatrix(&t(&b), &t(&a)).unwrap();
    let c = exact(stackelberg(&g, 1).unwrap());
    assert_eq!(c.strategy, vec![q("1/2"), q("1/2")]);
    assert_eq!(c.leader_value, q("7/2"));
}

/// Two follower types, worked out by hand. x = P(U).
///
/// Type 1 (prior 1/3): leader [[2,4],[1,3]], follower [[1,0],[0,1]]: plays L iff x ≥ 1/2; the
/// leader gets 1 + x from L, 3 + x from R.
/// Type 2 (prior 2/3): leader [[1,0],[0,2]], follower [[0,2],[1,0]]: L pays 1 − x, R pays 2x, so
/// R iff x ≥ 1/3; the leader gets x from L, 2(1 − x) from R.
///
/// Profiles: (L,L) needs x ≥ 1/2 and x ≤ 1/3: infeasible. (L,R): x ≥ 1/2, value
/// (1+x)/3 + 2·2(1−x)/3 = 5/3 − x → 7/6. (R,L): x ≤ 1/3, value (3+x)/3 + 2x/3 = 1 + x → 4/3.
/// (R,R): 1/3 ≤ x ≤ 1/2, value (3+x)/3 + 4(1−x)/3 = 7/3 − x → 2 at x = 1/3, where type 2 is
/// indifferent and breaks the tie for R (leader 4/3 against 1/3). Optimum: x = (1/3, 2/3),
/// responses (R, R), value 2, follower values (2/3, 2/3).
fn two_type_game() -> BayesianGame {
    let ty = |name: &str, prior: &str, l: &[&[i64]], f: &[&[i64]]| FollowerType {
        name: name.into(),
        prior: q(prior),
        leader_payoffs: q_matrix(l),
        follower_payoffs: q_matrix(f),
    };
    BayesianGame::new(
        vec!["U".into(), "D".into()],
        vec!["L".into(), "R".into()],
        vec![
            ty("one", "1/3", &[&[2, 4], &[1, 3]], &[&[1, 0], &[0, 1]]),
            ty("two", "2/3", &[&[1, 0], &[0, 2]], &[&[0, 2], &[1, 0]]),
        ],
    )
    .unwrap()
}

#[test]
fn two_type_bayesian_example() {
    let g = two_type_game();
    for method in [
        BayesianMethod::MultipleLps,
        BayesianMethod::Dobss,
        BayesianMethod::Auto,
    ] {
        let c = exact(bayesian_stackelberg(&g, method).unwrap());
        assert_eq!(c.strategy, vec![q("1/3"), q("2/3")], "{method:?}");
        assert_eq!(c.leader_value, q("2"), "{method:?}");
        assert_eq!(c.responses, vec![1, 1], "{method:?}");
        assert_eq!(c.follower_values, vec![q("2/3"), q("2/3")], "{method:?}");
    }
}

#[test]
fn many_types_go_to_dobss() {
    // Nine copies of the three-column example, priors 1/9: the same game, so the same answer
    // (1/3, 2/3) with value 4/3; but every column is inducible for every type, so there are
    // 3^9 = 19683 response profiles — above the multiple-LPs limit, and Auto uses DOBSS.
    let copy = |k: usize| FollowerType {
        name: format!("copy{k}"),
        prior: q("1/9"),
        leader_payoffs: q_matrix(&[&[2, 0, 0], &[1, 0, 0]]),
        follower_payoffs: q_matrix(&[&[0, 2, 5], &[0, -1, -4]]),
    };
    let labels = |k: usize| (0..k).map(|s| s.to_string()).collect::<Vec<_>>();
    let g = BayesianGame::new(labels(2), labels(3), (0..9).map(copy).collect()).unwrap();
    assert_eq!(
        bayesian_stackelberg(&g, BayesianMethod::MultipleLps)
            .unwrap_err()
            .exceeded_limit(),
        Some("MAX_STACKELBERG_LPS")
    );
    let c = exact(bayesian_stackelberg(&g, BayesianMethod::Auto).unwrap());
    assert_eq!(c.strategy, vec![q("1/3"), q("2/3")]);
    assert_eq!(c.leader_value, q("4/3"));
    assert_eq!(c.responses, vec![0; 9]);
}

#[test]
fn the_toml_form_gives_the_same_game() {
    let text = r#"
leader = ["U", "D"]
follower = ["L", "R"]

[[type]]
name = "one"
prior = "1/3"
leader_payoffs = [[2, 4], [1, 3]]
follower_payoffs = [[1, 0], [0, 1]]

[[type]]
name = "two"
prior = "2/3"
leader_payoffs = [[1, 0], [0, 2]]
follower_payoffs = [[0, 2], [1, 0]]
"#;
    assert_eq!(
        BayesianGame::parse_toml(text, "two.toml").unwrap(),
        two_type_game()
    );
}

#[test]
fn the_documented_example_file_reads() {
    let doc = std::fs::read_to_string("docs/solvers-advanced.md").unwrap();
    let start = doc.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let text = &doc[start..start + doc[start..].find("```").unwrap()];
    let g = BayesianGame::parse_toml(text, "docs").unwrap();
    assert_eq!(g.types().len(), 2);
    assert_eq!(g.types()[1].prior, q("1/5"));
    assert_eq!(g.types()[0].leader_payoffs[1][2], q("-1/2"));
    assert!(bayesian_stackelberg(&g, BayesianMethod::Auto)
        .unwrap()
        .is_exact());
}

#[test]
fn brute_force_over_a_grid_never_beats_the_lp() {
    let g = two_type_game();
    let c = exact(bayesian_stackelberg(&g, BayesianMethod::Auto).unwrap());
    assert_eq!(committed_value(&g, &c.strategy), c.leader_value);
    for x in grid(2, 600) {
        assert!(
            committed_value(&g, &x) <= c.leader_value,
            "{x:?} beats the LP"
        );
    }
}

fn payoffs(m: usize, n: usize) -> impl Strategy<Value = Vec<Vec<Q>>> {
    prop::collection::vec(prop::collection::vec((-5i64..=5).prop_map(Q::from), n), m)
}

fn random_game() -> impl Strategy<Value = StrategicGame> {
    (2usize..=3, 2usize..=3)
        .prop_flat_map(|(m, n)| (payoffs(m, n), payoffs(m, n)))
        .prop_map(|(a, b)| StrategicGame::bimatrix(&a, &b).unwrap())
}

fn random_bayesian() -> impl Strategy<Value = BayesianGame> {
    (2usize..=3, 2usize..=3, 2usize..=3)
        .prop_flat_map(|(m, n, types)| {
            (
                prop::collection::vec((payoffs(m, n), payoffs(m, n), 1u32..=4), types),
                Just((m, n)),
            )
        })
        .prop_map(|(tables, (m, n))| {
            let total: u32 = tables.iter().map(|t| t.2).sum();
            let types = tables
                .into_iter()
                .enumerate()
                .map(|(k, (l, f, w))| FollowerType {
                    name: format!("t{k}"),
                    prior: Q::from(w) / Q::from(total),
                    leader_payoffs: l,
                    follower_payoffs: f,
                })
                .collect();
            let labels = |k: usize| (0..k).map(|s| s.to_string()).collect();
            BayesianGame::new(labels(m), labels(n), types).unwrap()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn plain_and_one_type_dobss_agree_and_no_grid_point_beats_them(g in random_game()) {
        let plain = exact(stackelberg(&g, 0).unwrap());
        let one_type = BayesianGame::from_strategic(&g, 0).unwrap();
        let milp = exact(bayesian_stackelberg(&one_type, BayesianMethod::Dobss).unwrap());
        prop_assert_eq!(&plain.leader_value, &milp.leader_value);
        prop_assert_eq!(committed_value(&one_type, &plain.strategy), plain.leader_value.clone());
        prop_assert_eq!(committed_value(&one_type, &milp.strategy), milp.leader_value.clone());
        for x in grid(g.num_strategies(0), 60) {
            prop_assert!(committed_value(&one_type, &x) <= plain.leader_value);
        }
    }

    #[test]
    fn multiple_lps_and_dobss_agree_on_bayesian_games(g in random_bayesian()) {
        let lps = exact(bayesian_stackelberg(&g, BayesianMethod::MultipleLps).unwrap());
        let milp = exact(bayesian_stackelberg(&g, BayesianMethod::Dobss).unwrap());
        prop_assert_eq!(&lps.leader_value, &milp.leader_value);
        prop_assert_eq!(committed_value(&g, &lps.strategy), lps.leader_value.clone());
        for x in grid(g.leader_strategies().len(), 30) {
            prop_assert!(committed_value(&g, &x) <= lps.leader_value);
        }
    }
}

#[test]
fn three_players_are_refused() {
    let counts = [2usize, 2, 2];
    let tables = (0..3).map(|_| vec![Q::ZERO; 8]).collect();
    let labels = counts
        .iter()
        .map(|&c| (0..c).map(|s| s.to_string()).collect())
        .collect();
    let g =
        StrategicGame::new("", vec!["a".into(), "b".into(), "c".into()], labels, tables).unwrap();
    assert!(stackelberg(&g, 0).is_err());
}
