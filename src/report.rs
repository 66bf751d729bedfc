//! The documents the command line prints, as library calls.
//!
//! `patron solve|sweep|sensitivity --format json` print documents whose schemas are stable
//! (`docs/output.md`). Other front ends — the Python package (`python/`) and the local explorer
//! (`patron serve`) — build their results from these same functions, so a result there is the
//! CLI's result byte for byte, and a change of schema happens in one place.
//!
//! - Games: [`solution_json`] (a strategic game's certified equilibria), [`tree_json`] (a game
//!   tree's), [`logit_answer`] / [`logit_json`] and [`branch`] (quantal response at λ, and the
//!   traced branch), [`stackelberg_json`], [`correlated_json`]; [`MethodName`] and
//!   [`tree_method`] resolve `--method` as the CLI does; [`approximate_strategic_options`]
//!   and [`approximate_tree_options`] build the options of `simpdiv`, `liap`, `gnm` and `ipa`
//!   from their flags ([`ApproximateFlags`]).
//! - The model: [`solve_spec`] (what `patron solve MODEL` prints), [`render_table`] (its text
//!   table), [`SweepArgs`] with [`sweep_plan`] (`patron sweep`'s options and the plan they
//!   make), [`SensitivityArgs`] with [`sensitivity_report`] (`patron sensitivity`),
//!   [`CalibrateArgs`] with [`calibration_summary_json`] (`patron calibrate --format json`).

pub use crate::cli::calibrate::{summary_json as calibration_summary_json, CalibrateArgs};
pub use crate::cli::model_report::render_table;
pub use crate::cli::sensitivity::{
    report as sensitivity_report, SensitivityArgs, SensitivityFormat,
};
pub use crate::cli::solve_concepts::{
    branch, correlated_json, logit_answer, logit_json, stackelberg_json, LogitAnswer,
};
pub use crate::cli::solve_game::solution_json;
pub use crate::cli::solve_mode::{tree_method, MethodName};
pub use crate::cli::solve_model::solve_spec;
pub use crate::cli::solve_options::{
    strategic_options as approximate_strategic_options, tree_options as approximate_tree_options,
    ApproximateFlags, Starts,
};
pub use crate::cli::solve_tree::tree_json;
pub use crate::cli::sweep::{plan as sweep_plan, SweepArgs};
