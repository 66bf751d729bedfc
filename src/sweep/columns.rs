//! Columns: a solved model flattened into named cells, so that one name means one thing in
//! `patron solve --format json`, in a sweep file, in a summary and in a plot.
//!
//! The rule: every leaf of the solution's JSON is a column named by the dotted path of object
//! keys that leads to it (`dyads.us_israel.optimal.policy.major`, `ceasefire.optimal.p_hold`).
//! An array is one cell holding its compact JSON (`[1.0,0.98,…]`): its length can change from
//! point to point (the survival curve has `horizon_weeks + 1` entries, the patron game a varying
//! number of equilibria), and a column set must not. Left out: `scenario` (it is in the sweep's
//! metadata), the survival curves unless asked for, and the patron game unless asked for.

use super::flatten::Flattener;
use crate::model::solve::ModelSolution;
use crate::{Error, Result};
use serde::Serialize;

/// One cell of a sweep row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A number; a non-finite one (an infinite expected duration) is written as an empty CSV
    /// cell or JSON `null`, as `patron solve --format json` writes it.
    Num(f64),
    /// A whole number (the point index, a count).
    Count(u64),
    /// Text (an action `R`/`K`/`E`, an error message).
    Text(String),
    /// Compact JSON text of an array.
    Json(String),
    /// No value (a `null` of the solution, or no output at a failed point).
    Null,
}

impl Cell {
    /// The number in this cell, if it holds a finite one.
    pub fn number(&self) -> Option<f64> {
        match *self {
            Cell::Num(v) if v.is_finite() => Some(v),
            Cell::Count(n) => Some(n as f64),
            _ => None,
        }
    }
}

/// Which optional parts of the solution become columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutputParts {
    /// `ceasefire.<policies>.survival`: P(hold at t) for t = 0..T, as JSON arrays.
    pub survival: bool,
    /// `patron_game.*`: the 3×3 payoffs and the equilibria (solving it costs nine chains and an
    /// exact game solve per point).
    pub patron_game: bool,
}

/// The output columns of a model, fixed once from the solution at the sweep's base point.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputLayout {
    names: Vec<String>,
    /// Whether each column held a number at the base point: summaries and sensitivity only
    /// use these.
    numeric: Vec<bool>,
    parts: OutputParts,
}

impl OutputLayout {
    /// The columns of `solution` (typically the model's base point).
    pub fn of(solution: &ModelSolution, parts: OutputParts) -> Result<Self> {
        let (mut names, mut cells) = (Vec::new(), Vec::new());
        flatten(solution, parts, &mut cells, Some(&mut names))?;
        let numeric = cells.iter().map(|c| matches!(c, Cell::Num(_))).collect();
        Ok(OutputLayout {
            names,
            numeric,
            parts,
        })
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn parts(&self) -> OutputParts {
        self.parts
    }

    pub fn is_numeric(&self, column: usize) -> bool {
        self.numeric.get(column).copied().unwrap_or(false)
    }

    /// The index of output `name`, or a usage error that lists the numeric outputs.
    pub fn numeric_column(&self, name: &str) -> Result<usize> {
        match self.names.iter().position(|n| n == name) {
            Some(i) if self.numeric[i] => Ok(i),
            Some(_) => Err(Error::Usage(format!("output `{name}` is not a number"))),
            None => {
                let numeric: Vec<&str> = (0..self.names.len())
                    .filter(|&i| self.numeric[i])
                    .map(|i| self.names[i].as_str())
                    .collect();
                Err(Error::Usage(format!(
                    "unknown output `{name}`; the numeric outputs are: {}",
                    numeric.join(", ")
                )))
            }
        }
    }

    /// Append the cells of `solution` in column order to `cells`; an error if its shape differs
    /// from the layout (it cannot for solutions of one model, whose dyads and parts are fixed).
    pub fn push_cells(&self, solution: &ModelSolution, cells: &mut Vec<Cell>) -> Result<()> {
        let before = cells.len();
        flatten(solution, self.parts, cells, None)?;
        let added = cells.len() - before;
        if added != self.names.len() {
            return Err(Error::Solver(format!(
                "a solution has {added} output columns where the sweep has {}",
                self.names.len()
            )));
        }
        Ok(())
    }
}

fn flatten(
    solution: &ModelSolution,
    parts: OutputParts,
    cells: &mut Vec<Cell>,
    names: Option<&mut Vec<String>>,
) -> Result<()> {
    let skip = move |parent: &str, key: &str| skipped(parent, key, parts);
    solution
        .serialize(&mut Flattener::new(cells, names, &skip))
        .map_err(|e| Error::Solver(format!("cannot flatten a solution: {e}")))
}

/// The parts of the solution that are not columns (see the module documentation).
fn skipped(parent: &str, key: &str, parts: OutputParts) -> bool {
    match (parent, key) {
        ("", "scenario") => true,
        ("", "patron_game") => !parts.patron_game,
        (_, "survival") => !parts.survival && parent.starts_with("ceasefire."),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::solve::{solve_model_with, SolveOptions};
    use crate::model::spec_defaults::{spec_model, SpecScenario};

    #[test]
    fn names_are_the_dotted_json_paths() {
        let model = spec_model(SpecScenario::Ceasefire);
        let solution = solve_model_with(&model, &SolveOptions::sweep()).unwrap();
        let layout = OutputLayout::of(&solution, OutputParts::default()).unwrap();
        let mut cells = Vec::new();
        layout.push_cells(&solution, &mut cells).unwrap();
        let json = serde_json::to_value(&solution).unwrap();
        for (name, cell) in layout.names().iter().zip(&cells) {
            let pointer = format!("/{}", name.replace('.', "/"));
            let leaf = json.pointer(&pointer).unwrap_or_else(|| panic!("{name}"));
            match cell {
                Cell::Num(v) if v.is_finite() => assert_eq!(leaf.as_f64(), Some(*v), "{name}"),
                Cell::Num(_) => assert!(leaf.is_null(), "{name}"),
                Cell::Text(t) => assert_eq!(leaf.as_str(), Some(t.as_str()), "{name}"),
                Cell::Null => assert!(leaf.is_null(), "{name}"),
                other => panic!("{name}: unexpected {other:?}"),
            }
        }
        let names = layout.names();
        assert!(names.contains(&"ceasefire.optimal.p_hold".to_string()));
        assert!(names.contains(&"dyads.us_israel.optimal.actions.autonomous".to_string()));
        assert!(!names
            .iter()
            .any(|n| n.contains("survival") || n == "scenario"));
        assert!(layout.numeric_column("ceasefire.optimal.p_hold").is_ok());
        assert!(layout
            .numeric_column("dyads.us_israel.optimal.actions.autonomous")
            .is_err());
    }

    #[test]
    fn survival_is_one_json_cell_when_asked() {
        let model = spec_model(SpecScenario::War);
        let solution = solve_model_with(&model, &SolveOptions::sweep()).unwrap();
        let parts = OutputParts {
            survival: true,
            patron_game: false,
        };
        let layout = OutputLayout::of(&solution, parts).unwrap();
        let i = layout
            .names()
            .iter()
            .position(|n| n == "ceasefire.optimal.survival")
            .unwrap();
        let mut cells = Vec::new();
        layout.push_cells(&solution, &mut cells).unwrap();
        let Cell::Json(text) = &cells[i] else {
            panic!("{:?}", cells[i])
        };
        let curve: Vec<f64> = serde_json::from_str(text).unwrap();
        assert_eq!(curve.len(), model.chain.horizon_weeks as usize + 1);
        assert_eq!(curve[0], 1.0);
    }
}
