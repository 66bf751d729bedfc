//! `enumpure --agent`: the pure equilibria of a game tree's agent form, checked against
//! * Gambit's `enumpure_agent` answers on every corpus tree it finished (read in place from
//!   `$PATRON_GAMBIT_CORPUS`): the same set, the same payoffs, and our reported reduced-form
//!   `regret` equal to Gambit's `max_regret` (positive where the agent form admits more);
//! * brute force on seeded random trees (with and without perfect recall): every pure profile
//!   filtered by `agent_regret == 0` — and, on the reduced strategic form, the agent-form
//!   equilibria with zero strategic regret are exactly the pure Nash equilibria of
//!   `enumpure` (so every Nash equilibrium is an agent-form one);
//! * a hand-built tree where an agent-form equilibrium is not a Nash equilibrium;
//! * the equilibrium limit, the deadline, refusals, and the command line.

use crate::common;
use crate::common::cli::patron;

use common::{as_set, behaviour, corpus_dir, games_with_expected, independent_ties, solver};
use patron::error::Error;
use patron::game::SplitMix64;
use patron::game::{
    Behavior, ChanceInfoset, ExtensiveGame, Infoset, Node, NodeKind, Outcome, TreeSpec,
};
use patron::io::{parse_efg, read_game_file, GameFile};
use patron::num::{parse_q, Q};
use patron::solve::Deadline;
use patron::solve::SolveOptions;
use patron::solve::{solve_tree, CertifiedBehavior, TreeEquilibrium, TreeMethod};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

fn exact(e: &TreeEquilibrium) -> &CertifiedBehavior<Q> {
    match e {
        TreeEquilibrium::Exact(c) => c,
        TreeEquilibrium::Float(_) => panic!("expected an exact equilibrium, got {e:?}"),
    }
}

/// Behaviour profiles as sorted text (a profile's information sets in player order).
fn behaviour_set<'a>(profiles: impl Iterator<Item = &'a Behavior<Q>>) -> BTreeSet<String> {
    as_set(&profiles.map(|b| b.concat()).collect::<Vec<_>>())
}

fn key(b: &Behavior<Q>) -> String {
    behaviour_set(std::iter::once(b))
        .into_iter()
        .next()
        .unwrap_or_default()
}

fn agent_equilibria(game: &ExtensiveGame) -> Vec<CertifiedBehavior<Q>> {
    solve_tree(game, TreeMethod::EnumPureAgent, &SolveOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", game.title()))
        .equilibria
        .iter()
        .map(|e| exact(e).clone())
        .collect()
}

fn efg(text: &str) -> ExtensiveGame {
    parse_efg(text, "test.efg").expect("valid tree")
}

fn q(s: &str) -> Q {
    parse_q(s).expect("rational")
}

#[test]
fn corpus_agent_equilibria_equal_gambits() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let (mut checked, mut strategic_gaps) = (0, 0);
    for (path, expected) in games_with_expected(&dir, "efg") {
        let Some(block) = solver(&expected, "enumpure_agent") else {
            continue;
        };
        let name = path.display().to_string();
        let Ok(GameFile::Extensive(game)) = read_game_file(&path) else {
            panic!("{name}: not a game tree");
        };
        // Gambit's answers: behaviour profile -> (payoffs, max_regret).
        let theirs: BTreeMap<String, (Vec<Q>, Q)> = block["equilibria"]
            .as_array()
            .expect("equilibria")
            .iter()
            .map(|e| {
                let payoffs = e["payoffs"].as_array().expect("payoffs");
                let payoffs = payoffs.iter().map(|v| q(v.as_str().expect("payoff")));
                let regret = q(e["max_regret"].as_str().expect("max_regret"));
                (key(&behaviour(&e["probs"])), (payoffs.collect(), regret))
            })
            .collect();
        let ours = agent_equilibria(&game);
        assert_eq!(ours.len(), theirs.len(), "{name}: count");
        for c in &ours {
            let k = key(c.behavior());
            let Some((payoffs, regret)) = theirs.get(&k) else {
                panic!("{name}: {k} is not among Gambit's agent-form equilibria");
            };
            assert_eq!(&c.payoffs(), payoffs, "{name}: payoffs of {k}");
            assert_eq!(c.regret(), regret, "{name}: strategic regret of {k}");
            assert_eq!(*c.agent_regret(), Q::ZERO, "{name}: {k}");
            strategic_gaps += usize::from(*c.regret() > Q::ZERO);
        }
        checked += 1;
    }
    eprintln!("enumpure --agent: {checked} trees equal Gambit's; {strategic_gaps} equilibria are not Nash");
    assert!(
        checked >= 24,
        "only {checked} enumpure_agent answers compared"
    );
    assert!(
        strategic_gaps > 0,
        "the corpus has agent-form equilibria that are not Nash"
    );
}

/// A seeded random tree: 1 to 3 players, decision nodes with 2 or 3 actions, chance nodes,
/// payoffs in {0, 1, 2, 1/2} (so ties are common), sometimes an outcome on an inner node.
/// A new decision node joins an existing information set of its player (same number of
/// actions) half of the time: with `recall`, only one reached through the same own history
/// (Kuhn's perfect recall); without, any set not already on the path (so no play meets a set
/// twice, but the player may forget).
struct RandomTree {
    rng: SplitMix64,
    spec: TreeSpec,
    recall: bool,
    /// Per player and information set: the own history of its members.
    histories: Vec<Vec<Vec<(usize, usize)>>>,
}

impl RandomTree {
    fn generate(seed: u64, recall: bool) -> ExtensiveGame {
        let mut rng = SplitMix64(seed);
        let players = 1 + (rng.next_u64() % 3) as usize;
        let mut tree = RandomTree {
            rng,
            spec: TreeSpec {
                title: format!("random {seed}"),
                players: (1..=players).map(|p| p.to_string()).collect(),
                infosets: vec![Vec::new(); players],
                ..TreeSpec::default()
            },
            recall,
            histories: vec![Vec::new(); players],
        };
        tree.node(4, &vec![Vec::new(); players]);
        ExtensiveGame::new(tree.spec).expect("valid random tree")
    }

    fn draw(&mut self, n: u64) -> usize {
        (self.rng.next_u64() % n) as usize
    }

    fn outcome(&mut self) -> usize {
        let payoffs = (0..self.spec.players.len())
            .map(|_| ["0", "1", "2", "1/2"][self.draw(4)])
            .map(q)
            .collect();
        self.spec.outcomes.push(Outcome {
            label: String::new(),
            payoffs,
        });
        self.spec.outcomes.len() - 1
    }

    /// Build a subtree of at most `depth` levels below a node whose players' own histories
    /// are `history`; returns its index.
    fn node(&mut self, depth: usize, history: &[Vec<(usize, usize)>]) -> usize {
        let id = self.spec.nodes.len();
        self.spec.nodes.push(Node {
            label: String::new(),
            kind: NodeKind::Terminal,
            outcome: None,
            children: Vec::new(),
        });
        let roll = self.draw(10);
        if depth == 0 || roll < 2 {
            self.spec.nodes[id].outcome = Some(self.outcome());
            return id;
        }
        if roll == 9 {
            self.spec.nodes[id].outcome = Some(self.outcome());
        }
        let (kind, branches) = if roll == 2 {
            let probs = [["1/2", "1/2"], ["1/3", "2/3"]][self.draw(2)];
            self.spec.chance_infosets.push(ChanceInfoset {
                label: String::new(),
                actions: vec!["x".into(), "y".into()],
                probs: probs.map(q).to_vec(),
            });
            let infoset = self.spec.chance_infosets.len() - 1;
            (NodeKind::Chance { infoset }, vec![history.to_vec(); 2])
        } else {
            let player = self.draw(self.spec.players.len() as u64);
            let actions = 2 + self.draw(2);
            let infoset = self.infoset(player, actions, &history[player]);
            let branches = (0..actions)
                .map(|a| {
                    let mut h = history.to_vec();
                    h[player].push((infoset, a));
                    h
                })
                .collect();
            (NodeKind::Decision { player, infoset }, branches)
        };
        self.spec.nodes[id].kind = kind;
        let children = branches.iter().map(|h| self.node(depth - 1, h)).collect();
        self.spec.nodes[id].children = children;
        id
    }

    /// An information set for a new node of `player` with own history `own` (see the type).
    fn infoset(&mut self, player: usize, actions: usize, own: &[(usize, usize)]) -> usize {
        let sets = &self.spec.infosets[player];
        let fits: Vec<usize> = (0..sets.len())
            .filter(|&i| sets[i].actions.len() == actions)
            .filter(|&i| match self.recall {
                true => self.histories[player][i] == own,
                false => own.iter().all(|&(j, _)| j != i),
            })
            .collect();
        if !fits.is_empty() && self.draw(2) == 0 {
            return fits[self.draw(fits.len() as u64)];
        }
        self.spec.infosets[player].push(Infoset {
            label: String::new(),
            actions: (0..actions).map(|a| a.to_string()).collect(),
        });
        self.histories[player].push(own.to_vec());
        self.spec.infosets[player].len() - 1
    }
}

/// Every pure behaviour profile of `game` (an odometer over all information sets).
fn all_pure_profiles(game: &ExtensiveGame) -> Vec<Behavior<Q>> {
    let sets: Vec<(usize, usize, usize)> = (0..game.num_players())
        .flat_map(|p| {
            let sets = game.infosets(p);
            (0..sets.len()).map(move |i| (p, i, sets[i].actions.len()))
        })
        .collect();
    let mut digits = vec![0; sets.len()];
    let mut out = Vec::new();
    loop {
        let mut b: Behavior<Q> = (0..game.num_players())
            .map(|p| {
                let sets = game.infosets(p);
                sets.iter()
                    .map(|s| vec![Q::ZERO; s.actions.len()])
                    .collect()
            })
            .collect();
        for (&(p, i, _), &a) in sets.iter().zip(&digits) {
            b[p][i][a] = Q::ONE;
        }
        out.push(b);
        let Some(k) = (0..sets.len()).rev().find(|&k| digits[k] + 1 < sets[k].2) else {
            return out;
        };
        digits[k] += 1;
        digits[k + 1..].fill(0);
    }
}

fn pure_profile_count(game: &ExtensiveGame) -> usize {
    (0..game.num_players())
        .flat_map(|p| game.infosets(p).iter().map(|s| s.actions.len()))
        .product()
}

#[test]
fn random_trees_agree_with_brute_force_and_contain_every_nash_equilibrium() {
    let (mut trees, mut equilibria, mut not_nash, mut forgetful) = (0, 0, 0, 0);
    for seed in 0..600u64 {
        let recall = seed % 2 == 0;
        let game = RandomTree::generate(seed, recall);
        if pure_profile_count(&game) > 1000 {
            continue;
        }
        if recall {
            assert!(
                game.is_perfect_recall(),
                "seed {seed}: generator broke recall"
            );
        } else {
            assert_eq!(game.absent_mindedness(), None, "seed {seed}");
            forgetful += usize::from(!game.is_perfect_recall());
        }
        let brute: Vec<Behavior<Q>> = all_pure_profiles(&game)
            .into_iter()
            .filter(|b| game.agent_regret(b).expect("profile") == Q::ZERO)
            .collect();
        let ours = agent_equilibria(&game);
        let our_set = behaviour_set(ours.iter().map(|c| c.behavior()));
        assert_eq!(our_set.len(), ours.len(), "seed {seed}: duplicates");
        assert_eq!(our_set, behaviour_set(brute.iter()), "seed {seed}");
        trees += 1;
        equilibria += ours.len();
        not_nash += ours.iter().filter(|c| *c.regret() > Q::ZERO).count();
        if !recall {
            continue;
        }
        // The reduced-form images of our zero-regret profiles are exactly enumpure's pure
        // Nash equilibria: each Nash equilibrium extends to agent-form ones (any action at
        // the sets its own moves avoid), and zero strategic regret is Nash.
        let nash =
            solve_tree(&game, TreeMethod::EnumPure, &SolveOptions::default()).expect("enumpure");
        let nash: Vec<Vec<Vec<Q>>> = nash
            .equilibria
            .iter()
            .map(|e| exact(e).profile().map(<[_]>::to_vec).expect("reduced form"))
            .collect();
        let zero_regret: Vec<Vec<Vec<Q>>> = ours
            .iter()
            .filter(|c| *c.regret() == Q::ZERO)
            .map(|c| c.profile().map(<[_]>::to_vec).expect("reduced form"))
            .collect();
        assert_eq!(as_set(&zero_regret), as_set(&nash), "seed {seed}");
    }
    eprintln!(
        "{trees} random trees ({forgetful} without perfect recall): {equilibria} agent-form \
         equilibria, {not_nash} of them not Nash"
    );
    assert!(
        trees >= 200 && forgetful >= 30,
        "{trees} trees, {forgetful} forgetful"
    );
    assert!(
        equilibria >= 2000 && not_nash >= 500,
        "{equilibria} / {not_nash}"
    );
}

/// Player 1 chooses Out (payoff 1) or In; after In, player 1 again chooses a (2) or b (0).
/// (Out, b) is an agent-form equilibrium: the root's agent compares Out = 1 with In followed
/// by b = 0, and the second agent is never reached, so neither gains alone. Player 1 as a
/// whole gains 1 by switching to (In, a): it is not a Nash equilibrium. (In, a) pays 2, which
/// neither agent can improve; (In, b) loses 1 to Out and (Out, a) loses 1 to In.
const OUT_IN: &str = r#"EFG 2 R "out or in" { "1" }
""
p "" 1 1 "root" { "Out" "In" } 0
t "" 1 "out" { 1 }
p "" 1 2 "inside" { "a" "b" } 0
t "" 2 "a" { 2 }
t "" 3 "b" { 0 }
"#;

#[test]
fn an_agent_form_equilibrium_need_not_be_nash() {
    let game = efg(OUT_IN);
    let pure = |root: [&str; 2], inside: [&str; 2]| {
        vec![vec![root.map(q).to_vec(), inside.map(q).to_vec()]]
    };
    let out_b = pure(["1", "0"], ["0", "1"]);
    let in_a = pure(["0", "1"], ["1", "0"]);
    let ours: BTreeMap<String, (Vec<Q>, Q)> = agent_equilibria(&game)
        .into_iter()
        .map(|c| {
            (
                key(c.behavior()),
                (c.payoffs().to_vec(), c.regret().clone()),
            )
        })
        .collect();
    let expected = BTreeMap::from([
        (key(&out_b), (vec![q("1")], q("1"))),
        (key(&in_a), (vec![q("2")], q("0"))),
    ]);
    assert_eq!(ours, expected);
    let nash = solve_tree(&game, TreeMethod::EnumPure, &SolveOptions::default()).expect("enumpure");
    let nash: Vec<&Behavior<Q>> = nash
        .equilibria
        .iter()
        .map(|e| exact(e).behavior())
        .collect();
    assert_eq!(nash, vec![&in_a], "the only Nash equilibrium");
}

#[test]
fn the_equilibrium_limit_and_the_deadline_hold() {
    assert_eq!(agent_equilibria(&efg(&independent_ties(3))).len(), 8);
    // 2^14 = 16384 equilibria exceed limits::MAX_AGENT_FORM_EQUILIBRIA (10 000).
    let err = solve_tree(
        &efg(&independent_ties(14)),
        TreeMethod::EnumPureAgent,
        &SolveOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::LimitExceeded {
                limit: "MAX_AGENT_FORM_EQUILIBRIA",
                ..
            }
        ),
        "{err}"
    );
    let game = efg(&independent_ties(6));
    let all = behaviour_set(agent_equilibria(&game).iter().map(|c| c.behavior()));
    let passed = Deadline::after(Duration::ZERO);
    let stopped = solve_tree(
        &game,
        TreeMethod::EnumPureAgent,
        &SolveOptions {
            deadline: &passed,
            ..SolveOptions::default()
        },
    )
    .expect("a passed deadline is no error");
    assert!(!stopped.complete);
    let partial = behaviour_set(stopped.equilibria.iter().map(|e| exact(e).behavior()));
    assert!(partial.is_subset(&all));
    let generous = Deadline::after(Duration::from_secs(3600));
    let options = SolveOptions {
        deadline: &generous,
        ..SolveOptions::default()
    };
    let solved = solve_tree(&game, TreeMethod::EnumPureAgent, &options).expect("solves");
    assert!(solved.complete);
    let listed = behaviour_set(solved.equilibria.iter().map(|e| exact(e).behavior()));
    assert_eq!((listed.len(), listed), (64, all));
}

/// Player 1 moves at the root and, after "again", at a node of the same information set:
/// one play meets the set twice (absent-mindedness), which the agent form cannot treat.
const ABSENT_MINDED: &str = r#"EFG 2 R "absent-minded driver" { "1" }
""
p "" 1 1 "road" { "exit" "again" } 0
t "" 1 "" { 0 }
p "" 1 1 "road" { "exit" "again" } 0
t "" 2 "" { 4 }
t "" 3 "" { 1 }
"#;

#[test]
fn absent_mindedness_is_refused_with_a_reason() {
    let err = solve_tree(
        &efg(ABSENT_MINDED),
        TreeMethod::EnumPureAgent,
        &SolveOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::Unsupported(ref m) if m.contains("twice")),
        "{err}"
    );
}

fn write_temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("patron-tree-agent-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn cli_agent_flag_selects_the_agent_form_and_is_refused_elsewhere() {
    let tree = write_temp("out_in.efg", OUT_IN);
    let tree = tree.to_str().expect("path");
    let out = patron()
        .args([
            "solve", tree, "--method", "enumpure", "--agent", "--format", "json",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["method"], "enumpure-agent");
    let regrets: BTreeSet<(String, String)> = json["equilibria"]
        .as_array()
        .expect("equilibria")
        .iter()
        .map(|e| {
            (
                e["regret"].as_str().unwrap_or("").into(),
                e["agent_regret"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let expected = [("0", "0"), ("1", "0")].map(|(a, b)| (a.to_string(), b.to_string()));
    assert_eq!(regrets, BTreeSet::from(expected));
    let strategic = write_temp("pd.nfg", "NFG 1 R \"\" { \"1\" \"2\" } { 1 1 }\n0 0\n");
    for args in [
        vec!["solve", tree, "--method", "lcp", "--agent"],
        vec!["solve", tree, "--agent"],
        vec![
            "solve",
            strategic.to_str().expect("path"),
            "--method",
            "enumpure",
            "--agent",
        ],
    ] {
        let out = patron().args(&args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--agent applies only to --method enumpure"),
            "{stderr}"
        );
    }
}
