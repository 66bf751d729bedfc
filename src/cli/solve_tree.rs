//! `patron solve GAME.efg`: run a tree solver and print certified behaviour profiles.
//!
//! The JSON object extends the strategic one ([`crate::cli::solve_game::solution_json`]):
//! the same `game` (`title`, `players`, `strategies` of the reduced strategic form),
//! `method`, `values` and, per equilibrium, `profile` (mixed over the reduced form's
//! strategies), `payoffs`, `regret`, `exact`, so one reader handles both; trees add
//! `game.infosets` (label, actions, and member nodes numbered 1, 2, … in preorder as in
//! `patron info`) and, per equilibrium, `behaviour` (`[player][infoset][action]`),
//! `agent_regret` and `beliefs` (`[player][infoset]`: probabilities of the members in that
//! order, `null` where the profile never reaches the set). `profile` and
//! `game.strategies` are `null` when the reduced form was too big to build.

use crate::cli::output::write_stdout;
use crate::cli::output::{csv_text, text_table, Format};
use crate::cli::solve_game::pretty_json;
use crate::cli::solve_game::{budget_that_stopped, incomplete_note};
use crate::error::Result;
use crate::game::tree::ExtensiveGame;
use crate::solve::deadline::Deadline;
use crate::solve::method::SolveOptions;
use crate::solve::tree_method::{solve_tree, EquilibriumText, TreeMethod, TreeSolved};
use serde::Serialize;
use std::time::Duration;

/// Solve and print: the game-tree arm of `patron solve`, within `budget` if one is given.
pub fn run_tree(
    game: &ExtensiveGame,
    method: TreeMethod,
    options: &SolveOptions,
    format: Format,
    budget: Option<Duration>,
) -> Result<()> {
    let deadline = budget.map_or_else(Deadline::none, Deadline::after);
    let options = SolveOptions {
        deadline: &deadline,
        ..options.clone()
    };
    let solved = solve_tree(game, method, &options)?;
    let text = match format {
        Format::Json => pretty_json(&TreeSolutionJson::new(game, method, &solved))?,
        Format::Csv => {
            let (header, rows) = tree_rows(game, &solved);
            csv_text(&header, &rows)?.trim_end().to_string()
        }
        Format::Table => tree_table(
            game,
            method,
            &solved,
            budget_that_stopped(budget, &deadline),
        ),
    };
    write_stdout(&text)
}

/// `game` of the tree documents: title, players, the reduced strategic form's strategy labels
/// (`null` when it was not built) and the information sets.
#[derive(Debug, Serialize)]
pub struct TreeGameJson<'a> {
    /// The game's title.
    pub title: &'a str,
    /// Player names.
    pub players: &'a [String],
    /// The reduced strategic form's strategy labels, when it was built.
    pub strategies: Option<&'a [Vec<String>]>,
    /// Per player, each information set.
    pub infosets: Vec<Vec<InfosetJson<'a>>>,
}

/// One information set: its label, actions and member nodes (numbered 1, 2, … in preorder).
#[derive(Debug, Serialize)]
pub struct InfosetJson<'a> {
    /// The set's label (may be empty).
    pub label: &'a str,
    /// Its actions' labels.
    pub actions: &'a [String],
    /// Its member nodes, 1-based in preorder.
    pub members: Vec<usize>,
}

/// The documented JSON object of `patron solve GAME.efg` (see the module comment).
#[derive(Debug, Serialize)]
pub struct TreeSolutionJson<'a> {
    /// The game's labels.
    pub game: TreeGameJson<'a>,
    /// The solver's name (`enumpure-agent` and `liap-agent` for the agent forms).
    pub method: String,
    /// Every certified equilibrium.
    pub equilibria: Vec<TreeEquilibriumJson>,
    /// False when a deadline stopped the solver.
    pub complete: bool,
    /// lp: each player's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<&'a [String]>,
}

/// One certified equilibrium of a game tree, numbers as text.
#[derive(Debug, Serialize)]
pub struct TreeEquilibriumJson {
    /// The equivalent mixed profile over the reduced form's strategies, when it was built.
    pub profile: Option<Vec<Vec<String>>>,
    /// Each player's expected payoff.
    pub payoffs: Vec<String>,
    /// A player's largest gain in the reduced strategic form.
    pub regret: String,
    /// Whether the numbers are exact rationals.
    pub exact: bool,
    /// An information set's agent's largest gain.
    pub agent_regret: String,
    /// `behaviour[p][i][a]`: the probability of action a at player p's set i.
    pub behaviour: Vec<Vec<Vec<String>>>,
    /// `beliefs[p][i]`: the members' probabilities, `null` where never reached.
    pub beliefs: Vec<Vec<Option<Vec<String>>>>,
}

impl<'a> TreeSolutionJson<'a> {
    /// The document of `solved`, found by `method` on `game`.
    pub fn new(game: &'a ExtensiveGame, method: TreeMethod, solved: &'a TreeSolved) -> Self {
        TreeSolutionJson {
            game: TreeGameJson {
                title: game.title(),
                players: game.players(),
                strategies: solved.reduced.as_ref().map(|g| g.strategies()),
                infosets: infosets_json(game),
            },
            method: method.to_string(),
            equilibria: solved
                .equilibria
                .iter()
                .map(|e| {
                    let t = e.text();
                    TreeEquilibriumJson {
                        profile: t.profile,
                        payoffs: t.payoffs,
                        regret: t.regret,
                        exact: t.exact,
                        agent_regret: t.agent_regret,
                        behaviour: t.behavior,
                        beliefs: t.beliefs,
                    }
                })
                .collect(),
            complete: solved.complete,
            values: solved.values.as_deref(),
        }
    }
}

/// The tree solve document (`TreeSolutionJson`, docs/output.md) as a JSON value.
pub fn tree_json(
    game: &ExtensiveGame,
    method: TreeMethod,
    solved: &TreeSolved,
) -> Result<serde_json::Value> {
    crate::cli::solve_game::json_value(&TreeSolutionJson::new(game, method, solved))
}

/// `game.infosets` of the JSON output: per player, each set's label, actions and member nodes
/// (numbered 1, 2, … in preorder as in `patron info`).
pub fn infosets_json(game: &ExtensiveGame) -> Vec<Vec<InfosetJson<'_>>> {
    (0..game.num_players())
        .map(|p| {
            game.infosets(p)
                .iter()
                .enumerate()
                .map(|(i, s)| InfosetJson {
                    label: &s.label,
                    actions: &s.actions,
                    members: game.members(p, i).iter().map(|&h| h + 1).collect(),
                })
                .collect()
        })
        .collect()
}

/// An information set's name for people: its label, or `#k` when it has none.
pub(crate) fn infoset_name(game: &ExtensiveGame, player: usize, infoset: usize) -> String {
    match game.infosets(player)[infoset].label.as_str() {
        "" => format!("#{}", infoset + 1),
        label => label.to_string(),
    }
}

/// One row per equilibrium: every action's probability, every payoff, both regrets.
fn tree_rows(game: &ExtensiveGame, solved: &TreeSolved) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["equilibrium".to_string()];
    for (p, player) in game.players().iter().enumerate() {
        for (i, set) in game.infosets(p).iter().enumerate() {
            let name = infoset_name(game, p, i);
            header.extend(set.actions.iter().map(|a| format!("{player}:{name}:{a}")));
        }
    }
    header.extend(game.players().iter().map(|p| format!("payoff:{p}")));
    header.push("regret".into());
    header.push("agent_regret".into());
    let rows = solved
        .equilibria
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let t = e.text();
            let mut row = vec![(k + 1).to_string()];
            row.extend(t.behavior.into_iter().flatten().flatten());
            row.extend(t.payoffs);
            row.push(t.regret);
            row.push(t.agent_regret);
            row
        })
        .collect();
    (header, rows)
}

fn tree_table(
    game: &ExtensiveGame,
    method: TreeMethod,
    solved: &TreeSolved,
    budget: Option<Duration>,
) -> String {
    let mut out = String::new();
    if !game.title().is_empty() {
        out.push_str(&format!("{}\n", game.title()));
    }
    let n = solved.equilibria.len();
    let certified = match method {
        TreeMethod::EnumPureAgent => {
            "each certified in the agent form: agent regret = largest gain of one information \
             set's agent from changing its action, 0; regret = a player's largest gain in the \
             reduced strategic form, which an agent-form equilibrium may leave positive"
        }
        _ => {
            "each certified: regret = largest gain from deviating, for every player in the \
             reduced strategic form and for every information set's agent"
        }
    };
    out.push_str(&format!(
        "{method}: {n} equilibri{}{} ({certified})\n",
        if n == 1 { "um" } else { "a" },
        incomplete_note(solved.complete, budget)
    ));
    if let Some(values) = &solved.values {
        out.push_str(&format!("value: {}\n", values.join(", ")));
    }
    for (k, e) in solved.equilibria.iter().enumerate() {
        let t = e.text();
        out.push_str(&format!(
            "\nequilibrium {}: payoffs {}; regret {}; agent regret {}\n",
            k + 1,
            t.payoffs.join(", "),
            t.regret,
            t.agent_regret
        ));
        out.push_str(&behaviour_table(game, &t));
    }
    out.trim_end().to_string()
}

/// Player, information set, action probabilities and beliefs (`-` where never reached).
fn behaviour_table(game: &ExtensiveGame, t: &EquilibriumText) -> String {
    let header: Vec<String> = ["player", "information set", "behaviour", "beliefs"]
        .map(String::from)
        .to_vec();
    let mut rows = Vec::new();
    for (p, player) in game.players().iter().enumerate() {
        for (i, set) in game.infosets(p).iter().enumerate() {
            let behaviour: Vec<String> = set
                .actions
                .iter()
                .zip(&t.behavior[p][i])
                .map(|(a, x)| format!("{a}: {x}"))
                .collect();
            let beliefs = t.beliefs[p][i]
                .as_ref()
                .map_or("-".to_string(), |b| b.join(", "));
            rows.push(vec![
                player.clone(),
                infoset_name(game, p, i),
                behaviour.join(", "),
                beliefs,
            ]);
        }
    }
    text_table(&header, &rows)
}
