//! Calibration of the patron model against observed truces (issue #13).

pub mod infer;
