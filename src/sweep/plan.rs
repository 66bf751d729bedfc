//! A sweep plan: the model it starts from, the points it visits (a grid or Monte Carlo draws),
//! and the row it writes for each point.
//!
//! Row layout: `point` (the point's index in the whole sweep, whatever the shard), for Monte
//! Carlo `rejected_draws`, then the varied parameters by path, then the outputs
//! ([`OutputLayout`]), then `error`: empty, or why the point has no outputs (a model constraint
//! the point breaks, a solver failure). A failed point is a row, not the end of the sweep.

use super::columns::{Cell, OutputLayout, OutputParts};
use super::grid::Grid;
use super::monte_carlo::MonteCarlo;
use super::vary::Varied;
use crate::model::solve::{solve_model_with, SolveOptions};
use crate::model::Model;
use crate::Result;

/// Which points a sweep visits.
#[derive(Debug, Clone, PartialEq)]
pub enum Design {
    /// A full grid: every combination of each parameter's evenly spaced values.
    Grid(Grid),
    /// Independent uniform draws of each parameter on its range.
    MonteCarlo(MonteCarlo),
}

impl Design {
    /// Number of points the design visits.
    pub fn len(&self) -> u64 {
        match self {
            Design::Grid(g) => g.len(),
            Design::MonteCarlo(m) => m.samples(),
        }
    }

    /// `true` when the design visits no point.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The varied parameters, in column order.
    pub fn params(&self) -> Vec<&Varied> {
        match self {
            Design::Grid(g) => g.axes().iter().map(|a| &a.param).collect(),
            Design::MonteCarlo(m) => m.params().iter().collect(),
        }
    }
}

/// Everything needed to compute any row of a sweep.
#[derive(Debug, Clone)]
pub struct Plan {
    base: Model,
    design: Design,
    evaluator: Evaluator,
}

/// Solves a model the way sweeps do (fast LP backend, the chain, the patron game only when
/// asked) and flattens the solution into output cells.
#[derive(Debug, Clone)]
pub struct Evaluator {
    layout: OutputLayout,
    options: SolveOptions,
}

impl Evaluator {
    /// Solve `base` once to fix the output columns (an error if it cannot be solved).
    pub fn new(base: &Model, parts: OutputParts) -> Result<Evaluator> {
        let options = SolveOptions {
            patron_game: parts.patron_game,
            ..SolveOptions::sweep()
        };
        let layout = OutputLayout::of(&solve_model_with(base, &options)?, parts)?;
        Ok(Evaluator { layout, options })
    }

    /// The output columns fixed by solving the base model.
    pub fn layout(&self) -> &OutputLayout {
        &self.layout
    }

    /// Solve `model` and append its output cells.
    pub fn outputs(&self, model: &Model, cells: &mut Vec<Cell>) -> Result<()> {
        let solution = solve_model_with(model, &self.options)?;
        self.layout.push_cells(&solution, cells)
    }
}

/// Scratch space one worker reuses from point to point.
pub struct Worker {
    model: Model,
    values: Vec<f64>,
}

impl Plan {
    /// Solve the base model once to fix the output columns (an error if it cannot be solved).
    pub fn new(base: Model, design: Design, parts: OutputParts) -> Result<Plan> {
        let evaluator = Evaluator::new(&base, parts)?;
        Ok(Plan {
            base,
            design,
            evaluator,
        })
    }

    /// The model every point starts from (values not varied stay as here).
    pub fn base(&self) -> &Model {
        &self.base
    }

    /// The points visited.
    pub fn design(&self) -> &Design {
        &self.design
    }

    /// The output columns fixed by solving the base model.
    pub fn layout(&self) -> &OutputLayout {
        self.evaluator.layout()
    }

    /// Number of points the sweep visits.
    pub fn len(&self) -> u64 {
        self.design.len()
    }

    /// `true` when the sweep visits no point.
    pub fn is_empty(&self) -> bool {
        self.design.is_empty()
    }

    /// Column names, in row order (see the module documentation).
    pub fn columns(&self) -> Vec<String> {
        let mut names = vec!["point".to_string()];
        if matches!(self.design, Design::MonteCarlo(_)) {
            names.push("rejected_draws".into());
        }
        names.extend(self.design.params().iter().map(|p| p.path.clone()));
        names.extend(self.layout().names().iter().cloned());
        names.push("error".into());
        names
    }

    /// Index of the first output column in a row.
    pub fn first_output(&self) -> usize {
        let leading = if matches!(self.design, Design::MonteCarlo(_)) {
            2
        } else {
            1
        };
        leading + self.design.params().len()
    }

    /// Fresh scratch space for one worker thread, starting from the base model.
    pub fn worker(&self) -> Worker {
        Worker {
            model: self.base.clone(),
            values: Vec::new(),
        }
    }

    /// The row of point `index`.
    pub fn row(&self, index: u64, worker: &mut Worker) -> Vec<Cell> {
        let mut row = Vec::with_capacity(self.first_output() + self.layout().names().len() + 1);
        row.push(Cell::Count(index));
        let placed = match &self.design {
            Design::Grid(grid) => {
                grid.values(index, &mut worker.values);
                self.place(&worker.values, &mut worker.model)
            }
            Design::MonteCarlo(mc) => {
                let draw = mc.draw(index, &mut worker.model, &mut worker.values);
                row.push(Cell::Count(u64::from(draw.rejected)));
                draw.accepted
            }
        };
        let params = self.design.params();
        row.extend(params.iter().zip(&worker.values).map(|(p, &v)| {
            if p.whole {
                Cell::Count(v as u64) // a whole number of weeks, checked by the parameter's domain
            } else {
                Cell::Num(v)
            }
        }));
        let solved = placed.and_then(|()| {
            self.evaluator
                .outputs(&worker.model, &mut row)
                .map_err(|e| e.to_string())
        });
        match solved {
            Ok(()) => row.push(Cell::Null),
            Err(why) => {
                row.truncate(self.first_output());
                row.extend(self.layout().names().iter().map(|_| Cell::Null));
                // One row is one line: a message never breaks it.
                row.push(Cell::Text(why.replace(['\n', '\r'], " ")));
            }
        }
        row
    }

    /// Set the grid values of one point into `model` and check the model's constraints.
    fn place(&self, values: &[f64], model: &mut Model) -> std::result::Result<(), String> {
        for (p, &v) in self.design.params().iter().zip(values) {
            p.handle.apply(model, v).map_err(|e| e.to_string())?;
        }
        model.validate().map_err(|v| v.to_string())
    }
}
