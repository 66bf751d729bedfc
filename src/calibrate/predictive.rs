//! Prior and posterior predictive checks: what the model predicts with parameters drawn from the
//! prior or the posterior.
//!
//! Bands are computed from `draws` independent draws of the (weighted) sample, equally weighted
//! (multinomial resampling), because each draw costs a full model solve (every dyad's
//! Stackelberg LPs for the optimal policies) and a band's 5 % and 95 % quantiles need only a
//! few thousand draws (standard error of a 5 % quantile in probability: √(0.05·0.95/m), 0.005
//! at m = 2,000). For every scenario of the model file and each policy set: P(hold) over the
//! model's horizon, expected weeks to a break, and P(regional war), each with its mean and
//! 5/50/95 % quantiles (a 90 % band); per scenario and dyad, how often the optimal policy
//! sanctions at all (any signal's sanction probability above `tol::PROB_MATCH`); and per observed
//! truce, the band of its survival curve S(0..weeks) for the plots.

use super::infer::{bands, Band, WeightedSample};
use super::problem::Calibration;
use crate::model::file::ModelSpec;
use crate::model::solve::{solve_model_with, ChainReport, SolveOptions};
use crate::model::Model;
use crate::num::tol;
use crate::sweep::rng::PointRng;
use crate::{Error, Result};
use serde::Serialize;

/// One scenario's headline numbers under one policy set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    pub scenario: String,
    pub policies: &'static str,
    pub p_hold: Band,
    pub expected_weeks: Band,
    pub p_regional_war: Band,
    /// The band of the survival curve S(0), …, S(horizon) under this policy set.
    pub survival: CurveBand,
}

/// Per week, the mean and 5/50/95 % quantiles of a survival probability over the draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurveBand {
    pub mean: Vec<f64>,
    pub q05: Vec<f64>,
    pub q50: Vec<f64>,
    pub q95: Vec<f64>,
}

impl CurveBand {
    fn of(weeks: &[Band]) -> CurveBand {
        let pick = |f: fn(&Band) -> f64| weeks.iter().map(f).collect();
        CurveBand {
            mean: pick(|b| b.mean),
            q05: pick(|b| b.q05),
            q50: pick(|b| b.q50),
            q95: pick(|b| b.q95),
        }
    }
}

/// How often a dyad's optimal policy sanctions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sanctions {
    pub scenario: String,
    pub dyad: String,
    /// Share of draws whose optimal policy sanctions after some signal.
    pub frequency: f64,
}

/// One truce's predicted survival: per week the mean and quantiles of S(t).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurvivalBand {
    pub id: String,
    pub outcome: &'static str,
    pub weeks: u32,
    #[serde(flatten)]
    pub band: CurveBand,
}

/// Everything predicted from one sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Predictive {
    /// Equally weighted draws the bands were computed from.
    pub draws: usize,
    pub headlines: Vec<Headline>,
    pub sanctions: Vec<Sanctions>,
    pub truces: Vec<SurvivalBand>,
}

/// The policy sets every scenario's headlines are given for, in the order they are written.
pub(crate) const POLICY_SETS: [&str; 3] = ["optimal", "unconditional", "status_quo"];

/// Predictions from `draws` resampled points of `sample` (random stream `seed`).
pub fn predictive(
    spec: &ModelSpec,
    calibration: &Calibration,
    sample: &WeightedSample,
    draws: usize,
    seed: u64,
) -> Result<Predictive> {
    let dim = sample.dim();
    let points = sample.draw_iid(draws, &mut PointRng::new(seed, 0));
    let equal = WeightedSample::new(
        dim,
        points,
        vec![0.0; draws],
        vec![0.0; draws],
        "predictive draws",
    )?;
    let scenarios: Vec<Model> = spec
        .scenarios()
        .iter()
        .map(|s| spec.instantiate(Some(&s.name), &[]))
        .collect::<Result<_>>()?;
    let dyads: Vec<String> = spec.base().dyads.iter().map(|d| d.name.clone()).collect();
    // Per scenario: per policy set its three headline numbers and its survival curve, then one
    // sanction indicator per dyad.
    let per_policy_set: Vec<usize> = scenarios
        .iter()
        .map(|m| 3 + m.chain.horizon_weeks as usize + 1)
        .collect();
    let per_scenario: Vec<usize> = per_policy_set
        .iter()
        .map(|n| POLICY_SETS.len() * n + dyads.len())
        .collect();
    let headline_values = |theta: &[f64]| -> Result<Vec<f64>> {
        let mut out = Vec::with_capacity(per_scenario.iter().sum());
        for base in &scenarios {
            let model = calibration
                .apply(base, theta)
                .ok_or_else(|| Error::Solver(format!("θ = {theta:?} breaks a model constraint")))?;
            let solved = solve_model_with(&model, &SolveOptions::sweep())?;
            let c = solved
                .ceasefire
                .ok_or_else(|| Error::Solver("the sweep options dropped the ceasefire".into()))?;
            for r in [&c.optimal, &c.unconditional, &c.status_quo] {
                out.extend(headline(r));
                out.extend(&r.survival);
            }
            for (_, d) in solved.dyads.iter() {
                let sanctions = d.optimal.policy.iter().any(|x| *x > tol::PROB_MATCH);
                out.push(f64::from(u8::from(sanctions)));
            }
        }
        Ok(out)
    };
    let derived = |theta: &[f64]| headline_values(theta).unwrap_or_else(|_| vec![f64::NAN]);
    let values = bands(&equal, &derived)?;
    let mut headlines = Vec::new();
    let mut sanctions = Vec::new();
    let mut at = 0;
    for (s, scenario) in spec.scenarios().iter().enumerate() {
        let block = &values[at..at + per_scenario[s]];
        at += per_scenario[s];
        let n = per_policy_set[s];
        for (p, policies) in POLICY_SETS.iter().enumerate() {
            let set = &block[n * p..n * (p + 1)];
            headlines.push(Headline {
                scenario: scenario.name.clone(),
                policies,
                p_hold: set[0].clone(),
                expected_weeks: set[1].clone(),
                p_regional_war: set[2].clone(),
                survival: CurveBand::of(&set[3..]),
            });
        }
        for (k, dyad) in dyads.iter().enumerate() {
            sanctions.push(Sanctions {
                scenario: scenario.name.clone(),
                dyad: dyad.clone(),
                frequency: block[n * POLICY_SETS.len() + k].mean,
            });
        }
    }
    Ok(Predictive {
        draws,
        headlines,
        sanctions,
        truces: survival_bands(calibration, &equal)?,
    })
}

fn headline(r: &ChainReport) -> [f64; 3] {
    [r.p_hold, r.expected_weeks, r.p_regional_war]
}

/// Bands of every truce's survival curve, concatenated and split again.
fn survival_bands(calibration: &Calibration, sample: &WeightedSample) -> Result<Vec<SurvivalBand>> {
    let derived = |theta: &[f64]| -> Vec<f64> {
        let fit = calibration
            .models(theta)
            .and_then(|m| calibration.set.fit(&m).ok());
        match fit {
            Some(fit) => fit.truces.into_iter().flat_map(|t| t.survival).collect(),
            None => vec![f64::NAN],
        }
    };
    let values = bands(sample, &derived)?;
    let mut at = 0;
    let mut out = Vec::new();
    for p in &calibration.set.truces {
        let len = p.truce.weeks as usize + 1;
        let band = CurveBand::of(&values[at..at + len]);
        at += len;
        out.push(SurvivalBand {
            id: p.truce.id.clone(),
            outcome: p.truce.outcome.name(),
            weeks: p.truce.weeks,
            band,
        });
    }
    Ok(out)
}
