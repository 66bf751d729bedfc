//! The prior: independent uniform distributions on a box of named parameter ranges.
//!
//! Uniform on [lo, hi] has mean (lo + hi)/2, standard deviation (hi − lo)/√12 and quantile
//! lo + p (hi − lo); these closed forms are the "prior" column of every summary.

use crate::limits::MAX_CALIBRATION_DIMENSIONS;
use crate::sweep::rng::PointRng;
use crate::{Error, Result};
use serde::Serialize;

/// One free parameter: its name and declared range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    /// The parameter's name (in calibration, its model-file path, e.g. `chain.recovery`).
    pub name: String,
    /// Lower end of the uniform prior's range (included).
    pub lo: f64,
    /// Upper end of the uniform prior's range (included).
    pub hi: f64,
}

impl Dimension {
    /// A dimension named `name` on `[lo, hi]`; the range is checked by [`UniformBox::new`].
    pub fn new(name: impl Into<String>, lo: f64, hi: f64) -> Dimension {
        Dimension {
            name: name.into(),
            lo,
            hi,
        }
    }
}

/// Independent uniform priors on Π [loₖ, hiₖ]; every range finite with lo < hi.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UniformBox {
    dimensions: Vec<Dimension>,
}

impl UniformBox {
    /// The box of `dimensions`; refused when empty, above [`MAX_CALIBRATION_DIMENSIONS`], or
    /// when a range is not finite, has lo ≥ hi, or a name repeats.
    pub fn new(dimensions: Vec<Dimension>) -> Result<UniformBox> {
        if dimensions.is_empty() {
            return Err(Error::Usage(
                "the prior box has no dimensions: give at least one free parameter with a range"
                    .into(),
            ));
        }
        if dimensions.len() > MAX_CALIBRATION_DIMENSIONS {
            return Err(Error::limit(
                "MAX_CALIBRATION_DIMENSIONS",
                format!(
                    "the prior box has {} dimensions, more than the limit of \
                 {MAX_CALIBRATION_DIMENSIONS}",
                    dimensions.len()
                ),
            ));
        }
        for (k, d) in dimensions.iter().enumerate() {
            if !(d.lo.is_finite() && d.hi.is_finite()) {
                return Err(Error::Usage(format!(
                    "prior range of {}: [{}, {}] is not finite",
                    d.name, d.lo, d.hi
                )));
            }
            if d.lo >= d.hi {
                return Err(Error::Usage(format!(
                    "prior range of {}: [{}, {}] needs lo < hi (a fixed parameter is not free)",
                    d.name, d.lo, d.hi
                )));
            }
            if dimensions[..k].iter().any(|e| e.name == d.name) {
                return Err(Error::Usage(format!(
                    "prior box: the parameter {} appears twice",
                    d.name
                )));
            }
        }
        Ok(UniformBox { dimensions })
    }

    /// Number of dimensions d.
    pub fn dim(&self) -> usize {
        self.dimensions.len()
    }

    /// The box's dimensions, in θ's coordinate order.
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    /// Whether θ lies in the box (ends included).
    pub fn contains(&self, theta: &[f64]) -> bool {
        theta.len() == self.dim()
            && theta
                .iter()
                .zip(&self.dimensions)
                .all(|(t, d)| (d.lo..=d.hi).contains(t))
    }

    /// One prior draw into `theta` (length d), coordinate k from the k-th uniform of `rng`.
    pub fn draw(&self, rng: &mut PointRng, theta: &mut [f64]) {
        for (t, d) in theta.iter_mut().zip(&self.dimensions) {
            *t = d.lo + (d.hi - d.lo) * rng.unit();
        }
    }

    /// Prior mean of dimension k.
    pub fn mean(&self, k: usize) -> f64 {
        let d = &self.dimensions[k];
        0.5 * (d.lo + d.hi)
    }

    /// Prior standard deviation of dimension k.
    pub fn sd(&self, k: usize) -> f64 {
        let d = &self.dimensions[k];
        (d.hi - d.lo) / 12f64.sqrt()
    }

    /// Prior quantile of dimension k at probability p.
    pub fn quantile(&self, k: usize, p: f64) -> f64 {
        let d = &self.dimensions[k];
        d.lo + (d.hi - d.lo) * p.clamp(0.0, 1.0)
    }

    /// Reflect x into [lo, hi] of dimension k (a mirror at each end, repeated as needed): the
    /// map that keeps a Gaussian random walk on the box symmetric.
    pub fn reflect(&self, k: usize, x: f64) -> f64 {
        let d = &self.dimensions[k];
        let width = d.hi - d.lo;
        let y = (x - d.lo).rem_euclid(2.0 * width);
        let folded = if y > width { 2.0 * width - y } else { y };
        (d.lo + folded).clamp(d.lo, d.hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit_square() -> UniformBox {
        UniformBox::new(vec![
            Dimension::new("a", 0.0, 1.0),
            Dimension::new("b", -2.0, 4.0),
        ])
        .unwrap()
    }

    #[test]
    fn bad_boxes_are_refused_with_the_parameter_named() {
        assert!(UniformBox::new(vec![]).is_err());
        let e = UniformBox::new(vec![Dimension::new("x", 1.0, 1.0)]).unwrap_err();
        assert!(
            e.to_string().contains("x") && e.to_string().contains("lo < hi"),
            "{e}"
        );
        assert!(UniformBox::new(vec![Dimension::new("x", 2.0, 1.0)]).is_err());
        assert!(UniformBox::new(vec![Dimension::new("x", 0.0, f64::INFINITY)]).is_err());
        assert!(UniformBox::new(vec![Dimension::new("x", f64::NAN, 1.0)]).is_err());
        let twice = vec![Dimension::new("x", 0.0, 1.0), Dimension::new("x", 0.0, 2.0)];
        assert!(UniformBox::new(twice).is_err());
    }

    #[test]
    fn closed_form_moments_of_a_uniform() {
        let b = unit_square();
        assert_eq!(b.mean(1), 1.0);
        // Var U(-2, 4) = 36/12 = 3.
        assert!((b.sd(1) - 3f64.sqrt()).abs() < 1e-15);
        assert_eq!(b.quantile(1, 0.25), -0.5);
    }

    #[test]
    fn reflection_folds_into_the_box() {
        let b = unit_square();
        for (x, want) in [
            (0.3, 0.3),
            (-0.2, 0.2),
            (1.25, 0.75),
            (2.1, 0.1),
            (-1.3, 0.7),
        ] {
            assert!((b.reflect(0, x) - want).abs() < 1e-12, "{x}");
        }
        assert!((b.reflect(1, 5.0) - 3.0).abs() < 1e-12);
    }

    #[test]
    fn draws_stay_in_the_box() {
        let b = unit_square();
        let mut rng = PointRng::new(1, 2);
        let mut t = [0.0; 2];
        for _ in 0..1000 {
            b.draw(&mut rng, &mut t);
            assert!(b.contains(&t));
        }
        assert!(!b.contains(&[0.5, 4.5]) && !b.contains(&[0.5]));
    }
}
