//! Sensitivity of one model output to every parameter: one-at-a-time swings (the numbers behind
//! a tornado chart) and variance-based Sobol indices ([`super::sobol`]).
//!
//! A swing moves one parameter to each end of its declared range with every other parameter at
//! the scenario's value; its width |output(high) − output(low)| ranks the parameters. Swings are
//! local: they miss interactions and non-monotone effects, which the Sobol indices, computed
//! over the whole range box at once, capture (first order: the share of the output's variance
//! due to the parameter alone; total: including all its interactions).

use super::engine::{progress_bar, run_in_order};
use super::plan::Evaluator;
use super::rng::place;
use super::sobol::Saltelli;
use super::vary::Varied;
use crate::model::Model;
use crate::{Error, Result};
use rayon::prelude::*;
use serde::Serialize;

/// What to analyse.
#[derive(Debug, Clone)]
pub struct SensitivityRequest {
    /// The output column, e.g. `ceasefire.optimal.p_hold`.
    pub output: String,
    /// The parameters to move, each over its range.
    pub params: Vec<Varied>,
    /// Sobol rows N (N·(k + 2) model runs); 0 skips the Sobol indices.
    pub samples: u64,
    pub seed: u64,
    pub quiet: bool,
}

/// One parameter's swing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Swing {
    pub path: String,
    pub low: f64,
    pub high: f64,
    /// `null` where the model is not defined (a constraint broken, a solver failure).
    pub output_at_low: Option<f64>,
    pub output_at_high: Option<f64>,
}

impl Swing {
    /// |output(high) − output(low)|, or `None` if either end has no output.
    pub fn width(&self) -> Option<f64> {
        Some((self.output_at_high? - self.output_at_low?).abs())
    }
}

/// One parameter's Sobol indices, with standard errors (see [`super::sobol`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SobolEntry {
    pub path: String,
    pub first_order: f64,
    pub total: f64,
    pub first_order_se: f64,
    pub total_se: f64,
}

/// The analysis (JSON: `{"output", "base", "swings": [...], "sobol": [...], ...}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityReport {
    pub output: String,
    pub scenario: String,
    /// The output at the scenario's values.
    pub base: f64,
    /// By decreasing width; swings without an output at one end come last.
    pub swings: Vec<Swing>,
    /// By decreasing total index; empty when no Sobol samples were asked for.
    pub sobol: Vec<SobolEntry>,
    /// Sobol rows N and the seed of their random streams.
    pub samples: u64,
    pub seed: u64,
    /// Model runs for the Sobol indices: N·(k + 2).
    pub model_runs: u64,
    /// Variance of the output over the range box (the indices' denominator).
    pub variance: Option<f64>,
    /// Sobol rows drawn again because a combination broke a model constraint.
    pub redrawn_rows: u64,
}

/// Swings and Sobol indices of `request.output` around `base`.
pub fn sensitivity(
    base: &Model,
    evaluator: &Evaluator,
    request: &SensitivityRequest,
) -> Result<SensitivityReport> {
    let column = evaluator.layout().numeric_column(&request.output)?;
    let value_at = |model: &Model| -> std::result::Result<f64, String> {
        let mut cells = Vec::new();
        evaluator
            .outputs(model, &mut cells)
            .map_err(|e| e.to_string())?;
        cells[column]
            .number()
            .ok_or_else(|| format!("`{}` has no number here", request.output))
    };
    let base_value =
        value_at(base).map_err(|why| Error::Usage(format!("at the scenario's values: {why}")))?;
    let swings = swings(base, &request.params, &value_at);
    let mut report = SensitivityReport {
        output: request.output.clone(),
        scenario: base.scenario.clone(),
        base: base_value,
        swings,
        sobol: Vec::new(),
        samples: request.samples,
        seed: request.seed,
        model_runs: 0,
        variance: None,
        redrawn_rows: 0,
    };
    if request.samples > 0 {
        sobol(base, request, &value_at, &mut report)?;
    }
    Ok(report)
}

/// Each parameter at its low and high end, the others at `base`.
fn swings(
    base: &Model,
    params: &[Varied],
    value_at: &(dyn Fn(&Model) -> std::result::Result<f64, String> + Sync),
) -> Vec<Swing> {
    let at = |p: &Varied, v: f64| {
        let mut model = base.clone();
        p.handle.apply(&mut model, v).ok()?;
        model.validate().ok()?;
        value_at(&model).ok()
    };
    let mut swings: Vec<Swing> = params
        .par_iter()
        .map(|p| Swing {
            path: p.path.clone(),
            low: p.lo,
            high: p.hi,
            output_at_low: at(p, p.lo),
            output_at_high: at(p, p.hi),
        })
        .collect();
    // Stable: equal widths keep the model file's parameter order.
    swings.sort_by(|a, b| match (a.width(), b.width()) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    swings
}

/// The parameter values of a unit-cube point, written into `model`.
fn place_all(
    params: &[Varied],
    unit: &[f64],
    model: &mut Model,
) -> std::result::Result<(), String> {
    for (p, &u) in params.iter().zip(unit) {
        p.handle
            .apply(model, place(u, p.lo, p.hi, p.whole))
            .map_err(|e| e.to_string())?;
    }
    model.validate().map_err(|v| v.to_string())
}

fn sobol(
    base: &Model,
    request: &SensitivityRequest,
    value_at: &(dyn Fn(&Model) -> std::result::Result<f64, String> + Sync),
    report: &mut SensitivityReport,
) -> Result<()> {
    let params = &request.params;
    let design = Saltelli::new(params.len(), request.samples, request.seed, |unit| {
        place_all(params, unit, &mut base.clone()).is_ok()
    })?;
    let runs = design.evaluations();
    let progress = progress_bar(runs, 0, "model runs", request.quiet);
    let mut outputs = Vec::with_capacity(runs as usize);
    run_in_order(
        None,
        0..runs,
        || (base.clone(), Vec::new()),
        |(model, unit), e| {
            design.point(e, unit);
            place_all(params, unit, model).and_then(|()| value_at(model))
        },
        |e, value| {
            let value =
                value.map_err(|why| Error::Solver(format!("Sobol model run {e}: {why}")))?;
            outputs.push(value);
            Ok(())
        },
        &progress,
    )?;
    progress.finish_and_clear();
    let (variance, indices) = design.indices(&outputs);
    let mut sobol: Vec<SobolEntry> = params
        .iter()
        .zip(indices)
        .map(|(p, s)| SobolEntry {
            path: p.path.clone(),
            first_order: s.first_order,
            total: s.total,
            first_order_se: s.first_order_se,
            total_se: s.total_se,
        })
        .collect();
    sobol.sort_by(|a, b| b.total.total_cmp(&a.total));
    report.sobol = sobol;
    report.model_runs = runs;
    report.variance = Some(variance);
    report.redrawn_rows = design.redrawn();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::spec_defaults::{spec_model, SpecScenario};
    use crate::sweep::columns::OutputParts;

    fn varied(model: &Model, path: &str, lo: f64, hi: f64) -> Varied {
        Varied::for_test(model, path, lo, hi)
    }

    /// Hamas under x = 0 (war scenario): the aligned type's best action is K (g − r = 0.1 > 0 >
    /// −0.5), the autonomous type's E (0.25 > 0.2). The patron's value is then linear in π:
    /// (1 − π)·U_P(K) + π·U_P(E), U_P(K) = w_K − W·ε̄·ω_K with ε̄ = 1 − 0.97², U_P(E) = w_E − W·ω_E.
    fn unconditional_value(pi: f64) -> f64 {
        let eps_bar = 1.0 - 0.97f64.powi(2);
        let u_k = 0.3 - eps_bar * 0.1;
        let u_e = -0.3 - 0.2;
        (1.0 - pi) * u_k + pi * u_e
    }

    #[test]
    fn swings_and_indices_of_a_linear_output() {
        let base = spec_model(SpecScenario::War);
        let evaluator = Evaluator::new(&base, OutputParts::default()).unwrap();
        let request = SensitivityRequest {
            output: "dyads.iran_hamas.unconditional.patron_value".into(),
            params: vec![
                varied(&base, "chain.recovery", 0.2, 0.8),
                varied(&base, "dyads.iran_hamas.prior_autonomous", 0.6, 0.95),
            ],
            samples: 256,
            seed: 5,
            quiet: true,
        };
        let r = sensitivity(&base, &evaluator, &request).unwrap();
        assert!((r.base - unconditional_value(0.8)).abs() < 1e-12);
        // The prior swings the output; the chain's recovery cannot touch a layer-1 value.
        assert_eq!(r.swings[0].path, "dyads.iran_hamas.prior_autonomous");
        assert!((r.swings[0].output_at_low.unwrap() - unconditional_value(0.6)).abs() < 1e-12);
        assert!((r.swings[0].output_at_high.unwrap() - unconditional_value(0.95)).abs() < 1e-12);
        assert_eq!(r.swings[1].width(), Some(0.0));
        // All the variance is the prior's: S = ST = 1 for it (up to sampling error), and exactly
        // 0 for recovery (every estimator term is 0).
        let prior = &r.sobol[0];
        assert_eq!(prior.path, "dyads.iran_hamas.prior_autonomous");
        assert!(
            (prior.first_order - 1.0).abs() < 5.0 * prior.first_order_se + 0.02,
            "{prior:?}"
        );
        assert!(
            (prior.total - 1.0).abs() < 5.0 * prior.total_se + 0.02,
            "{prior:?}"
        );
        assert_eq!((r.sobol[1].first_order, r.sobol[1].total), (0.0, 0.0));
        assert_eq!(r.model_runs, 256 * 4);
    }

    #[test]
    fn an_unknown_or_textual_output_is_refused() {
        let base = spec_model(SpecScenario::War);
        let evaluator = Evaluator::new(&base, OutputParts::default()).unwrap();
        for output in [
            "ceasefire.optimal.p_hodl",
            "dyads.iran_hamas.optimal.actions.aligned",
        ] {
            let request = SensitivityRequest {
                output: output.into(),
                params: Vec::new(),
                samples: 0,
                seed: 0,
                quiet: true,
            };
            assert!(sensitivity(&base, &evaluator, &request).is_err());
        }
    }
}
