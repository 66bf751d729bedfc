//! Full factorial grids: every combination of evenly spaced values of one or more parameters.
//!
//! Points are numbered as nested loops written in `--vary` order: the first parameter is the
//! outermost (slowest) loop, the last the innermost. Step k of `STEPS` over [LO, HI] is
//! LO + (HI − LO)·k/(STEPS − 1) computed exactly from the decimals LO and HI and rounded once,
//! so `0.3:0.8:6` gives 0.7, not the 0.7000000000000001 of floating-point steps; a whole-number
//! parameter (`chain.horizon_weeks`) is rounded to the nearest whole number, so a grid whose
//! spacing is not whole repeats some values (the row shows the value used).

use super::vary::Varied;
use crate::limits::MAX_SWEEP_POINTS;
use crate::num::{fmt_f64, parse_q, to_f64, IBig, Q};
use crate::{Error, Result};

/// One grid axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub param: Varied,
    pub steps: u64,
    /// LO and HI as exact decimals: the shortest decimals that read back as the two floats.
    lo: Q,
    hi: Q,
}

impl Axis {
    /// A usage error for one step over a non-empty interval (which end would it be?).
    pub fn new(param: Varied, steps: u64) -> Result<Axis> {
        if steps == 0 || (steps == 1 && param.lo < param.hi) {
            return Err(Error::Usage(format!(
                "--vary {}: STEPS must be at least 2 (or 1 with LO = HI)",
                param.describe()
            )));
        }
        let exact = |v: f64| {
            parse_q(&fmt_f64(v))
                .ok_or_else(|| Error::Usage(format!("--vary {}: {v} is not a number", param.path)))
        };
        let (lo, hi) = (exact(param.lo)?, exact(param.hi)?);
        Ok(Axis {
            param,
            steps,
            lo,
            hi,
        })
    }

    /// The value at step `k` (< `steps`).
    pub fn value(&self, k: u64) -> f64 {
        let v = if self.steps == 1 {
            self.param.lo
        } else {
            let t = Q::from_parts(IBig::from(k), (self.steps - 1).into());
            to_f64(&(&self.lo + (&self.hi - &self.lo) * t))
        };
        if self.param.whole {
            v.round()
        } else {
            v
        }
    }

    /// `PATH=LO:HI:STEPS`.
    pub fn describe(&self) -> String {
        format!("{}:{}", self.param.describe(), self.steps)
    }
}

/// A full grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    axes: Vec<Axis>,
    points: u64,
}

impl Grid {
    /// Refuses a grid of more than [`MAX_SWEEP_POINTS`] points.
    pub fn new(axes: Vec<Axis>) -> Result<Grid> {
        let mut points: u64 = 1;
        for a in &axes {
            points = points
                .checked_mul(a.steps)
                .filter(|&p| p <= MAX_SWEEP_POINTS)
                .ok_or_else(|| {
                    let sizes: Vec<String> = axes.iter().map(|a| a.steps.to_string()).collect();
                    Error::limit(
                        "MAX_SWEEP_POINTS",
                        format!(
                            "a grid of {} points is more than the limit of {MAX_SWEEP_POINTS}; \
                         use fewer steps or Monte Carlo (--samples)",
                            sizes.join(" × ")
                        ),
                    )
                })?;
        }
        Ok(Grid { axes, points })
    }

    pub fn axes(&self) -> &[Axis] {
        &self.axes
    }

    pub fn len(&self) -> u64 {
        self.points
    }

    pub fn is_empty(&self) -> bool {
        self.points == 0
    }

    /// The values of point `index` (< `len()`), one per axis, into `out`.
    pub fn values(&self, index: u64, out: &mut Vec<f64>) {
        out.clear();
        out.resize(self.axes.len(), 0.0);
        let mut rest = index;
        for (slot, axis) in out.iter_mut().zip(&self.axes).rev() {
            *slot = axis.value(rest % axis.steps);
            rest /= axis.steps;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::paths::{ChainField, ParamPath};

    fn varied(lo: f64, hi: f64, whole: bool) -> Varied {
        Varied {
            path: "chain.recovery".into(),
            handle: ParamPath::Chain(ChainField::Recovery),
            lo,
            hi,
            whole,
        }
    }

    #[test]
    fn first_axis_is_the_outer_loop() {
        let grid = Grid::new(vec![
            Axis::new(varied(0.0, 1.0, false), 3).unwrap(),
            Axis::new(varied(10.0, 20.0, false), 2).unwrap(),
        ])
        .unwrap();
        assert_eq!(grid.len(), 6);
        let mut v = Vec::new();
        let all: Vec<Vec<f64>> = (0..6)
            .map(|i| {
                grid.values(i, &mut v);
                v.clone()
            })
            .collect();
        let expected = [
            [0.0, 10.0],
            [0.0, 20.0],
            [0.5, 10.0],
            [0.5, 20.0],
            [1.0, 10.0],
            [1.0, 20.0],
        ];
        assert_eq!(all, expected.map(|r| r.to_vec()));
    }

    #[test]
    fn ends_are_exact_and_whole_numbers_round() {
        let a = Axis::new(varied(0.1, 0.7, false), 7).unwrap();
        assert_eq!(a.value(0), 0.1);
        assert_eq!(a.value(6), 0.7);
        // The steps are the decimals 0.1, 0.2, …, 0.7 (each the nearest float to its decimal).
        let decimals = ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"];
        for (k, d) in decimals.iter().enumerate() {
            assert_eq!(a.value(k as u64), d.parse::<f64>().unwrap());
        }
        assert_eq!(Axis::new(varied(0.3, 0.8, false), 6).unwrap().value(4), 0.7);
        let w = Axis::new(varied(13.0, 52.0, true), 4).unwrap();
        assert_eq!(
            (0..4).map(|k| w.value(k)).collect::<Vec<_>>(),
            [13.0, 26.0, 39.0, 52.0]
        );
        assert!(Axis::new(varied(0.1, 0.7, false), 1).is_err());
        assert!(Axis::new(varied(0.5, 0.5, false), 1).is_ok());
    }

    #[test]
    fn too_many_points_is_refused() {
        let axis = Axis::new(varied(0.0, 1.0, false), 10_000).unwrap();
        assert!(Grid::new(vec![axis.clone(), axis.clone()]).is_ok());
        let err = Grid::new(vec![axis.clone(), axis.clone(), axis]).unwrap_err();
        assert_eq!(err.exceeded_limit(), Some("MAX_SWEEP_POINTS"), "{err}");
    }
}
