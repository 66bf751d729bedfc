//! Monte Carlo designs: parameters drawn independently and uniformly from their ranges.
//!
//! Sample `i` reads the random stream `(seed, i)` ([`super::rng`]), one number per parameter
//! in order. A draw that breaks a model constraint (a regional-war risk ω above the chance β
//! that a major event breaks the ceasefire) is rejected and the sample draws again from the
//! same stream, up to [`MAX_REJECTED_DRAWS`] times: accepted samples are then uniform on the
//! part of the range box where the model is defined (rejection sampling, Robert & Casella 2004,
//! §2.3), and each row counts its rejections so that the rejected share of the box is known.

use super::rng::{place, PointRng};
use super::vary::Varied;
use crate::limits::{MAX_REJECTED_DRAWS, MAX_SWEEP_POINTS};
use crate::model::Model;
use crate::{Error, Result};

/// Uniform independent draws of some parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct MonteCarlo {
    params: Vec<Varied>,
    samples: u64,
    seed: u64,
}

/// The outcome of drawing one sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    /// Draws rejected before this one.
    pub rejected: u32,
    /// `Err(why)` when every allowed draw broke a constraint (the last reason).
    pub accepted: std::result::Result<(), String>,
}

impl MonteCarlo {
    /// A design of `samples` draws (1 to [`MAX_SWEEP_POINTS`]) of `params`, seeded by `seed`.
    pub fn new(params: Vec<Varied>, samples: u64, seed: u64) -> Result<MonteCarlo> {
        if samples == 0 || samples > MAX_SWEEP_POINTS {
            return Err(Error::Usage(format!(
                "--samples {samples}: expected 1 to {MAX_SWEEP_POINTS}"
            )));
        }
        Ok(MonteCarlo {
            params,
            samples,
            seed,
        })
    }

    /// The varied parameters, in column order.
    pub fn params(&self) -> &[Varied] {
        &self.params
    }

    /// Number of points drawn.
    pub fn samples(&self) -> u64 {
        self.samples
    }

    /// The seed of the draws: the same seed gives the same points.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Draw sample `index` into `model` (other parameters untouched) and `values` (one per
    /// parameter, in order).
    pub fn draw(&self, index: u64, model: &mut Model, values: &mut Vec<f64>) -> Draw {
        let mut rng = PointRng::new(self.seed, index);
        let mut rejected = 0;
        loop {
            let accepted = self.try_draw(&mut rng, model, values);
            if accepted.is_ok() || rejected == MAX_REJECTED_DRAWS {
                return Draw { rejected, accepted };
            }
            rejected += 1;
        }
    }

    fn try_draw(
        &self,
        rng: &mut PointRng,
        model: &mut Model,
        values: &mut Vec<f64>,
    ) -> std::result::Result<(), String> {
        values.clear();
        for p in &self.params {
            let v = place(rng.unit(), p.lo, p.hi, p.whole);
            p.handle.apply(model, v).map_err(|e| e.to_string())?;
            values.push(v);
        }
        model.validate().map_err(|v| v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::spec_defaults::{spec_model, SpecScenario};

    fn varied(model: &Model, path: &str, lo: f64, hi: f64) -> Varied {
        Varied::for_test(model, path, lo, hi)
    }

    #[test]
    fn draws_outside_the_constraints_are_redrawn_and_counted() {
        // β = 0.5 for Hamas; ω_E drawn from [0, 1] breaks ω ≤ β about half the time.
        let mut model = spec_model(SpecScenario::War);
        let mc = MonteCarlo::new(
            vec![varied(&model, "dyads.iran_hamas.war_risk.E", 0.0, 1.0)],
            1,
            42,
        )
        .unwrap();
        let mut values = Vec::new();
        let (mut total_rejected, n) = (0u64, 2000);
        for i in 0..n {
            let d = mc.draw(i, &mut model, &mut values);
            assert!(d.accepted.is_ok());
            assert!(values[0] <= 0.5, "{}", values[0]);
            total_rejected += u64::from(d.rejected);
        }
        // Rejections per sample are geometric with mean 1 (p = 1/2): total ≈ 2000 ± 4·63.
        assert!((total_rejected as f64 - 2000.0).abs() < 4.0 * (2.0f64 * 2000.0).sqrt());
    }

    #[test]
    fn an_impossible_box_fails_after_the_limit() {
        let mut model = spec_model(SpecScenario::War);
        let mc = MonteCarlo::new(
            vec![varied(&model, "dyads.iran_hamas.war_risk.E", 0.9, 1.0)],
            1,
            1,
        )
        .unwrap();
        let d = mc.draw(0, &mut model, &mut Vec::new());
        assert_eq!(d.rejected, MAX_REJECTED_DRAWS);
        assert!(d.accepted.unwrap_err().contains("war_risk.E"));
    }
}
