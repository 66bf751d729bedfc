//! `patron solve GAME.nfg|GAME.efg`: run an engine solver and print certified equilibria.

use crate::cli::output::{csv_text, text_table, Format};
use crate::game::{Equilibrium, StrategicGame};
use crate::solve::deadline::Deadline;
use crate::solve::lcp::LabelProgress;
use crate::solve::method::{solve_strategic, Method, SolveOptions, Solved};
use serde::Serialize;
use std::time::Duration;

/// Print a strategic game's solution in the requested format; `budget` is the `--max-seconds`
/// the solver ran under, named when it stopped the solver.
pub fn print_strategic(
    game: &StrategicGame,
    method: Method,
    solved: &Solved,
    format: Format,
    budget: Option<Duration>,
) -> crate::Result<()> {
    let text = match format {
        Format::Json => pretty_json(&SolutionJson::new(game, &method.to_string(), solved))?,
        Format::Csv => {
            let (header, rows) = solution_rows(game, solved);
            csv_text(&header, &rows)?.trim_end().to_string()
        }
        Format::Table => solution_table(game, method, solved, budget),
    };
    crate::cli::output::write_stdout(&text)
}

/// Solve and print: the strategic-game arm of `patron solve`, within `budget` if one is given.
pub fn run_strategic(
    game: &StrategicGame,
    method: Method,
    options: &SolveOptions,
    format: Format,
    budget: Option<Duration>,
) -> crate::Result<()> {
    let budget = budget.or_else(|| options.default_budget(method));
    let deadline = budget.map_or_else(Deadline::none, Deadline::after);
    let options = SolveOptions {
        deadline: &deadline,
        ..options.clone()
    };
    let solved = solve_strategic(game, method, &options)?;
    print_strategic(
        game,
        method,
        &solved,
        format,
        budget_that_stopped(budget, &deadline),
    )
}

/// The budget to name in a table: only when it is what stopped the solver (enumpoly is also
/// incomplete when it meets equilibria that are not isolated, within any budget).
pub fn budget_that_stopped(budget: Option<Duration>, deadline: &Deadline) -> Option<Duration> {
    budget.filter(|_| deadline.was_reached())
}

/// The words a table adds to its summary line when a time budget stopped the solver.
pub fn incomplete_note(complete: bool, budget: Option<Duration>) -> String {
    match (complete, budget) {
        (false, Some(b)) => format!(" (incomplete: stopped after {} s)", b.as_secs_f64()),
        (false, None) => " (incomplete)".to_string(),
        (true, _) => String::new(),
    }
}

/// Pretty-printed JSON of a document (two-space indent, keys in declaration order).
pub fn pretty_json(document: &impl Serialize) -> crate::Result<String> {
    serde_json::to_string_pretty(document)
        .map_err(|e| crate::Error::Solver(format!("json output: {e}")))
}

/// A document as a JSON value (for the Python package, which hands it on as a dict).
pub fn json_value(document: &impl Serialize) -> crate::Result<serde_json::Value> {
    serde_json::to_value(document).map_err(|e| crate::Error::Solver(format!("json output: {e}")))
}

/// `game` of the strategic documents: title, player names, strategy labels.
#[derive(Debug, Serialize)]
pub struct StrategicGameJson<'a> {
    /// The game's title.
    pub title: &'a str,
    /// Player names.
    pub players: &'a [String],
    /// `strategies[p]`: player p's strategy labels.
    pub strategies: &'a [Vec<String>],
}

impl<'a> StrategicGameJson<'a> {
    /// The header of `game`.
    pub fn new(game: &'a StrategicGame) -> Self {
        StrategicGameJson {
            title: game.title(),
            players: game.players(),
            strategies: game.strategies(),
        }
    }
}

/// The documented JSON object of `patron solve GAME.nfg` (docs/output.md): game, method,
/// equilibria, completeness, `values` for lp and `labels` for one-equilibrium lcp.
#[derive(Debug, Serialize)]
pub struct SolutionJson<'a> {
    /// The game's labels.
    pub game: StrategicGameJson<'a>,
    /// The solver's `--method` name.
    pub method: &'a str,
    /// Every certified equilibrium.
    pub equilibria: Vec<EquilibriumJson>,
    /// False when the list may be part of the answer (a deadline, or non-isolated
    /// equilibria for enumpoly).
    pub complete: bool,
    /// lp: each player's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<&'a [String]>,
    /// One-equilibrium lcp: how far each dropped label's path got.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<LabelJson>>,
}

/// One certified equilibrium of a strategic game, numbers as text (`p/q` when exact).
#[derive(Debug, Serialize)]
pub struct EquilibriumJson {
    /// `profile[p][s]`: the probability of player p's strategy s.
    pub profile: Vec<Vec<String>>,
    /// Each player's expected payoff.
    pub payoffs: Vec<String>,
    /// The largest gain from deviating (0 when exact).
    pub regret: String,
    /// Whether the numbers are exact rationals.
    pub exact: bool,
}

/// One dropped label's path of one-equilibrium lcp.
#[derive(Debug, Serialize)]
pub struct LabelJson {
    /// The dropped label.
    pub label: usize,
    /// Pivots taken.
    pub pivots: u64,
    /// Whether the path reached its end.
    pub ended: bool,
    /// Whether it was followed in exact arithmetic.
    pub exact: bool,
}

impl<'a> SolutionJson<'a> {
    /// The document of `solved`, found by `method` on `game`.
    pub fn new(game: &'a StrategicGame, method: &'a str, solved: &'a Solved) -> Self {
        SolutionJson {
            game: StrategicGameJson::new(game),
            method,
            equilibria: solved
                .equilibria
                .iter()
                .map(|e| EquilibriumJson {
                    profile: e.profile_text(),
                    payoffs: e.payoffs_text(),
                    regret: e.regret_text(),
                    exact: matches!(e, Equilibrium::Exact(_)),
                })
                .collect(),
            complete: solved.complete,
            values: solved.values.as_deref(),
            labels: solved.lcp_labels.as_ref().map(|labels| {
                labels
                    .iter()
                    .map(|l| LabelJson {
                        label: l.label,
                        pivots: l.pivots,
                        ended: l.ended,
                        exact: l.exact,
                    })
                    .collect()
            }),
        }
    }
}

/// The solve document (`SolutionJson`, the schema of docs/output.md) as a JSON value.
pub fn solution_json(
    game: &StrategicGame,
    method: &str,
    solved: &Solved,
) -> crate::Result<serde_json::Value> {
    json_value(&SolutionJson::new(game, method, solved))
}

/// The table's line on one-equilibrium `lcp`'s paths: the label that ended, or, when none did,
/// how far each got.
fn labels_line(game: &StrategicGame, labels: &[LabelProgress]) -> String {
    let m = game.num_strategies(0);
    let name = |label: usize| {
        let (p, s) = if label < m {
            (0, label)
        } else {
            (1, label - m)
        };
        format!(
            "label {label} ({}: {})",
            game.players()[p],
            game.strategies()[p][s]
        )
    };
    let others = |l: &LabelProgress| format!("{} {} pivots", name(l.label), l.pivots);
    match labels.iter().find(|l| l.ended) {
        Some(end) => format!(
            "path: dropped {} ended after {} pivots ({} label{} followed)\n",
            name(end.label),
            end.pivots,
            labels.len(),
            if labels.len() == 1 { "" } else { "s" }
        ),
        None => format!(
            "no path ended; labels followed: {}\n",
            labels.iter().map(others).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// One row per equilibrium: its number, every strategy's probability, every payoff, the regret.
fn solution_rows(game: &StrategicGame, solved: &Solved) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["equilibrium".to_string()];
    for (p, player) in game.players().iter().enumerate() {
        for s in &game.strategies()[p] {
            header.push(format!("{player}:{s}"));
        }
    }
    header.extend(game.players().iter().map(|p| format!("payoff:{p}")));
    header.push("regret".into());
    let rows = solved
        .equilibria
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let mut row = vec![(k + 1).to_string()];
            row.extend(e.profile_text().into_iter().flatten());
            row.extend(e.payoffs_text());
            row.push(e.regret_text());
            row
        })
        .collect();
    (header, rows)
}

fn solution_table(
    game: &StrategicGame,
    method: Method,
    solved: &Solved,
    budget: Option<Duration>,
) -> String {
    let mut out = String::new();
    if !game.title().is_empty() {
        out.push_str(&format!("{}\n", game.title()));
    }
    let n = solved.equilibria.len();
    out.push_str(&format!(
        "{method}: {n} equilibri{}{} (each certified: regret = largest gain from deviating)\n",
        if n == 1 { "um" } else { "a" },
        incomplete_note(solved.complete, budget)
    ));
    if let Some(values) = &solved.values {
        out.push_str(&format!("value: {}\n", values.join(", ")));
    }
    if let Some(labels) = &solved.lcp_labels {
        out.push_str(&labels_line(game, labels));
    }
    let (header, rows) = solution_rows(game, solved);
    out.push('\n');
    out.push_str(&text_table(&header, &rows));
    out.trim_end().to_string()
}
