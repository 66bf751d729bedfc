//! `patron export`: a dyad as an exact extensive game (`docs/spec.md`, layer 1, last
//! paragraph). The tree's chance laws are checked against O(ŷ|a) computed here from the spec's
//! table in exact decimals; its sequence-form equilibrium is checked against the model's own
//! utilities (`DyadGame`) — the client must best-respond to the patron's equilibrium behaviour —
//! and against the Stackelberg value, which commitment can only raise.

use patron::game::{ExtensiveGame, NodeKind};
use patron::io::{parse_efg, write_efg};
use patron::model::dyad_tree;
use patron::model::load_model;
use patron::model::solve_dyad;
use patron::model::DyadGame;
use patron::model::LpBackend;
use patron::model::{Action, ClientType, Dyad, Model};
use patron::num::{parse_q, to_f64, Q};
use patron::solve::SolveOptions;
use patron::solve::{solve_tree, TreeEquilibrium, TreeMethod};
use std::path::PathBuf;
use std::process::Command;

fn model_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/gaza-2024.toml")
}

fn gaza(scenario: &str) -> Model {
    load_model(&model_path())
        .expect("bundled model loads")
        .instantiate(Some(scenario), &[])
        .expect("scenario instantiates")
}

fn q(text: &str) -> Q {
    parse_q(text).expect("a number")
}

fn tree(d: &Dyad) -> ExtensiveGame {
    dyad_tree(d, "test").expect("the dyad exports")
}

/// The spec's table (layer 4), columns Hezbollah, Hamas, Houthis, Kataib Hezbollah, Israel:
/// (dyad, π, m, ν, ε, n) as the decimal text printed there.
const SIGNAL_TABLE: [(&str, &str, &str, &str, &str, u32); 5] = [
    ("iran_hezbollah", "0.2", "0.8", "0.02", "0.01", 5),
    ("iran_hamas", "0.8", "0.3", "0.05", "0.03", 2),
    ("iran_houthis", "0.7", "0.5", "0.05", "0.02", 3),
    ("iran_kataib_hezbollah", "0.3", "0.6", "0.03", "0.006", 11),
    ("us_israel", "0.75", "0.9", "0.02", "0.02", 2),
];

/// O(ŷ|a) = m·P(ŷ|a) + (1−m)/3 in exact rationals, P from the spec's signal rules.
fn observed_by_hand(m: &str, nu: &str, eps: &str, n: u32) -> [[Q; 3]; 3] {
    let (m, nu, eps) = (q(m), q(nu), q(eps));
    let mut survive = Q::ONE;
    for _ in 0..n {
        survive *= Q::ONE - &eps;
    }
    let major = Q::ONE - survive;
    let p = [
        [Q::ONE - &nu, nu.clone(), Q::ZERO],
        [Q::ZERO, Q::ONE - &major, major.clone()],
        [Q::ZERO, Q::ZERO, Q::ONE],
    ];
    let noise = (Q::ONE - &m) / Q::from(3);
    p.map(|row| row.map(|x| &m * x + &noise))
}

#[test]
fn exported_tree_has_the_spec_shape_and_exact_chance_laws() {
    let model = gaza("war");
    for (name, pi, m, nu, eps, n) in SIGNAL_TABLE {
        let d = model.dyads.iter().find(|d| d.name == name).expect("dyad");
        let g = tree(d);
        let reread = parse_efg(&write_efg(&g), "exported.efg").expect("re-reads");
        assert_eq!(reread, g, "{name}: write then read is the identity");
        assert_eq!(g.players(), &[d.client.clone(), d.patron.clone()][..]);
        assert_eq!(g.num_terminal_nodes(), 2 * 3 * 3 * 2, "{name}");
        let labels = |p: usize| -> Vec<(String, Vec<String>)> {
            g.infosets(p)
                .iter()
                .map(|s| (s.label.clone(), s.actions.clone()))
                .collect()
        };
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            labels(0),
            vec![
                ("aligned".into(), strings(&["R", "K", "E"])),
                ("autonomous".into(), strings(&["R", "K", "E"]))
            ]
        );
        for (y, (label, actions)) in labels(1).into_iter().enumerate() {
            assert_eq!(label, ["quiet", "incident", "major"][y]);
            assert_eq!(actions, strings(&["sanction", "no sanction"]));
            // the patron sees only ŷ: 2 types × 3 actions reach each of its information sets
            assert_eq!(g.members(1, y).len(), 6, "{name}: {label}");
        }
        let chance = g.chance_infosets();
        assert_eq!(
            chance.len(),
            4,
            "{name}: the type draw and one signal law per action"
        );
        assert_eq!(
            chance[0].probs,
            vec![Q::ONE - q(pi), q(pi)],
            "{name}: prior"
        );
        let observed = observed_by_hand(m, nu, eps, n);
        for a in 0..3 {
            assert_eq!(
                chance[1 + a].probs,
                observed[a].to_vec(),
                "{name}: O(·|{a})"
            );
        }
        // Every signal chance node follows the law of the action leading to it.
        for h in 0..g.num_nodes() {
            if let NodeKind::Chance { infoset } = g.node(h).kind {
                if let Some((parent, a)) = g.parent(h) {
                    assert!(matches!(
                        g.node(parent).kind,
                        NodeKind::Decision { player: 0, .. }
                    ));
                    assert_eq!(infoset, 1 + a, "{name}: node {h}");
                }
            }
        }
    }
}

#[test]
fn exported_payoffs_match_the_spec_formulas() {
    let model = gaza("war");
    let d = model
        .dyads
        .iter()
        .find(|d| d.name == "iran_hamas")
        .expect("dyad");
    let g = tree(d);
    // Autonomous Hamas escalates and is sanctioned: client g(E) − r(E) − s = 0.85 − 0.6 − 0.4;
    // patron w(E) − W·ω_E − k = −0.3 − 0.2 − 0.5.
    let leaf = path_leaf(&g, &[1, 2, 2, 0]);
    assert_eq!(g.accumulated_payoffs(leaf), vec![q("-0.15"), q("-1")]);
    // Aligned Hamas presses (K), not sanctioned: client 0.2 − 0.1; patron 0.3 − ε̄·ω_K,
    // ε̄ = 1 − 0.97² = 0.0591, ω_K = 0.1.
    let leaf = path_leaf(&g, &[0, 1, 0, 1]);
    assert_eq!(
        g.accumulated_payoffs(leaf),
        vec![q("0.1"), q("0.3") - q("0.00591")]
    );
}

/// The leaf reached by taking the given action at each node from the root.
fn path_leaf(g: &ExtensiveGame, actions: &[usize]) -> usize {
    actions.iter().fold(g.root(), |h, &a| g.node(h).children[a])
}

/// The sequence-form equilibrium of every gaza dyad: the client best-responds to the patron's
/// equilibrium sanctions (its tree values agree with `DyadGame::client_utility`), the patron's
/// payoff is what `DyadGame` gives for that play, and it never exceeds the Stackelberg value.
#[test]
fn lcp_equilibrium_is_a_client_best_response_and_below_commitment() {
    for scenario in ["war", "ceasefire"] {
        let model = gaza(scenario);
        for d in &model.dyads {
            let what = format!("{scenario}/{}", d.name);
            let g = tree(d);
            let solved =
                solve_tree(&g, TreeMethod::Lcp, &SolveOptions::default()).expect("lcp solves");
            let Some(TreeEquilibrium::Exact(eq)) = solved.equilibria.first() else {
                panic!("{what}: no exact equilibrium");
            };
            let b: Vec<Vec<Vec<f64>>> = eq
                .behavior()
                .iter()
                .map(|p| p.iter().map(|s| s.iter().map(to_f64).collect()).collect())
                .collect();
            let x = [0, 1, 2].map(|y| b[1][y][0]);
            let game = DyadGame::new(&d.name, &d.params).expect("dyad");
            let values = g.node_values(eq.behavior()).expect("values");
            let mut patron = 0.0;
            for t in ClientType::ALL {
                let node = g.members(0, t as usize)[0];
                let utility = Action::ALL.map(|a| game.client_utility(t, a, &x));
                let best = utility.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                for a in Action::ALL {
                    let in_tree = to_f64(&values[g.node(node).children[a.index()]][0]);
                    assert!(
                        (in_tree - utility[a.index()]).abs() < 1e-12,
                        "{what}: {} {}: tree {in_tree} vs model {}",
                        t.name(),
                        a.name(),
                        utility[a.index()]
                    );
                    let p = b[0][t as usize][a.index()];
                    if p > 0.0 {
                        assert!(
                            utility[a.index()] >= best - 1e-12,
                            "{what}: {} plays {} with probability {p} but it is not a best response",
                            t.name(),
                            a.name()
                        );
                    }
                    patron += game.prior(t) * p * game.patron_utility(a, &x);
                }
            }
            let patron_eq = to_f64(&eq.payoffs()[1]);
            assert!(
                (patron_eq - patron).abs() < 1e-12,
                "{what}: {patron_eq} vs {patron}"
            );
            let (_, solution) = solve_dyad(d, LpBackend::Reference.solver()).expect("solves");
            let commitment = solution.optimal.patron_value - patron_eq;
            assert!(
                commitment >= -1e-9,
                "{what}: value of commitment {commitment} < 0 (Stackelberg {}, no commitment {patron_eq})",
                solution.optimal.patron_value
            );
        }
    }
}

#[test]
fn cli_exports_a_file_that_patron_solves() {
    let dir = std::env::temp_dir().join(format!("patron-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("israel.efg");
    let status = Command::new(env!("CARGO_BIN_EXE_patron"))
        .arg("export")
        .arg(model_path())
        .args([
            "--scenario",
            "ceasefire",
            "--dyad",
            "us_israel",
            "--to",
            "efg",
            "-o",
        ])
        .arg(&out)
        .args(["--set", "dyads.us_israel.dependence=0.8"])
        .status()
        .expect("runs");
    assert!(status.success());
    let text = std::fs::read_to_string(&out).expect("written");
    let g = parse_efg(&text, "israel.efg").expect("parses");
    // `--set` reached the tree: a sanctioned aligned R costs the client s = 0.8.
    assert_eq!(
        g.accumulated_payoffs(path_leaf(&g, &[0, 0, 0, 0]))[0],
        q("-0.8")
    );
    let solve = Command::new(env!("CARGO_BIN_EXE_patron"))
        .arg("solve")
        .arg(&out)
        .args(["--method", "lcp", "--format", "json"])
        .output()
        .expect("runs");
    assert!(
        solve.status.success(),
        "{}",
        String::from_utf8_lossy(&solve.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&solve.stdout).expect("json");
    assert_eq!(json["equilibria"][0]["regret"], "0");
    let unknown = Command::new(env!("CARGO_BIN_EXE_patron"))
        .arg("export")
        .arg(model_path())
        .args(["--dyad", "nobody", "--to", "efg"])
        .output()
        .expect("runs");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("iran_hamas"));
    let _ = std::fs::remove_dir_all(&dir);
}
