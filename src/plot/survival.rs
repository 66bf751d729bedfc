//! Survival chart: P(the ceasefire still holds at week t), t = 0..T, one line per policy set in a
//! solve report (spec, layer 2: the survival curve e_Calm·Q^t·1).

use super::data::Solve;
use super::labels::{policy_set, SURVIVAL, WEEK};
use super::line::{LineChart, Series};
use super::style::{axis_range, fmt_num};
use crate::{Error, Result};

pub fn from_solve(file: &str, solve: &Solve, title: Option<&str>) -> Result<LineChart> {
    let mut series = Vec::new();
    for (key, outcome) in solve.ceasefire.present() {
        if let Some(t) = outcome.survival.iter().position(|p| !p.is_finite()) {
            return Err(Error::Usage(format!(
                "{file}: ceasefire.{key}.survival[{t}] is not a finite number"
            )));
        }
        if outcome.survival.is_empty() {
            continue;
        }
        let points = outcome
            .survival
            .iter()
            .enumerate()
            .map(|(t, &p)| (t as f64, p))
            .collect();
        let name = legend_name(key, outcome.p_hold, outcome.expected_weeks);
        series.push(Series {
            markers: false,
            ..Series::new(name, points)
        });
    }
    if series.is_empty() {
        return Err(Error::Usage(format!(
            "{file}: no survival curve under ceasefire.<policy set>.survival"
        )));
    }
    let weeks = series
        .iter()
        .map(|s| s.points.len())
        .max()
        .unwrap_or(1)
        .saturating_sub(1)
        .max(1);
    let probabilities = series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    let scenario = solve
        .scenario
        .as_deref()
        .map(|s| format!(" ({s} scenario)"))
        .unwrap_or_default();
    Ok(LineChart {
        title: title.map_or_else(|| format!("Ceasefire survival{scenario}"), str::to_string),
        x_label: WEEK.to_string(),
        y_label: SURVIVAL.to_string(),
        x_range: 0.0..weeks as f64,
        y_range: axis_range(probabilities.chain([0.0, 1.0]), 0.02)?,
        series,
    })
}

/// "optimal policies: P(hold) 0.0635, 9.981 weeks expected", leaving out what the report lacks.
fn legend_name(key: &str, p_hold: Option<f64>, weeks: Option<f64>) -> String {
    let facts: Vec<String> = [
        p_hold
            .filter(|p| p.is_finite())
            .map(|p| format!("P(hold) {}", fmt_num(p))),
        weeks
            .filter(|w| w.is_finite())
            .map(|w| format!("{} weeks expected", fmt_num(w))),
    ]
    .into_iter()
    .flatten()
    .collect();
    if facts.is_empty() {
        policy_set(key).to_string()
    } else {
        format!("{}: {}", policy_set(key), facts.join(", "))
    }
}
