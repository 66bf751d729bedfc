//! Sharded, resumable importance sampling: the prior draws' log likelihoods computed in shards
//! (`patron calibrate --shard I/N --likelihoods FILE.jsonl`, on many machines), then the
//! posterior from all the shard files (`--from-likelihoods FILE...`).
//!
//! Draw s is θₛ = the prior's draw from random stream (seed, s), the stream importance sampling
//! uses ([`super::infer::importance_sample`]), so a posterior from shards is the one an unsharded
//! run computes, to the last bit. Shard I of N holds the draws s with s mod N = I − 1, as sweep
//! shards do (`sweep::shard`). A file is one JSON object per line: first the header
//! `{"calibrate_likelihoods": {"model", "model_fnv1a64", "data", "data_fnv1a64", "samples",
//! "seed", "free", "shard"}}`, then `{"draw": s, "log_likelihood": ℓ}` per draw (ℓ = −∞, a draw
//! where the data are impossible, is written `null`). `--resume` keeps the draws a file already
//! has and computes the rest. Sequential Monte Carlo cannot be split this way (each stage needs
//! every particle of the one before): when the merged importance sample's ESS is below the
//! threshold, SMC runs where the shards are merged.

use super::infer::{default_min_ess, log_sum_exp, smc, Method, Posterior, PosteriorConfig};
use super::infer::{UniformBox, WeightedSample};
use super::problem::Calibration;
use crate::sweep::meta::fnv1a64;
use crate::sweep::rng::PointRng;
use crate::sweep::shard::Shard;
use crate::{Error, Result};
use indicatif::ProgressBar;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// What a shard file was computed from; shards merge only when these agree (but `shard`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardHeader {
    pub model: String,
    pub model_fnv1a64: String,
    pub data: String,
    pub data_fnv1a64: String,
    pub samples: u64,
    pub seed: u64,
    pub free: Vec<String>,
    pub shard: String,
}

#[derive(Serialize, Deserialize)]
struct HeaderLine {
    calibrate_likelihoods: ShardHeader,
}

#[derive(Serialize, Deserialize)]
struct Row {
    draw: u64,
    log_likelihood: Option<f64>,
}

impl ShardHeader {
    /// The header of a run on `model` and `data` (their bytes are fingerprinted).
    pub fn new(
        model: &Path,
        data: &Path,
        calibration: &Calibration,
        samples: u64,
        seed: u64,
        shard: Shard,
    ) -> Result<ShardHeader> {
        Ok(ShardHeader {
            model: model.display().to_string(),
            model_fnv1a64: file_fingerprint(model)?,
            data: data.display().to_string(),
            data_fnv1a64: file_fingerprint(data)?,
            samples,
            seed,
            free: calibration.free.iter().map(|v| v.path.clone()).collect(),
            shard: shard.to_string(),
        })
    }

    /// Whether two headers describe shards of one run (file names may differ).
    fn same_run(&self, other: &ShardHeader) -> bool {
        self.model_fnv1a64 == other.model_fnv1a64
            && self.data_fnv1a64 == other.data_fnv1a64
            && self.samples == other.samples
            && self.seed == other.seed
            && self.free == other.free
    }
}

/// The FNV-1a 64 fingerprint of a file's bytes, as the shard headers and the calibration
/// summary record it (so a run's outputs can be matched to the exact model and data files).
pub fn file_fingerprint(path: &Path) -> Result<String> {
    Ok(fnv1a64(
        &std::fs::read(path).map_err(|e| Error::io(path, e))?,
    ))
}

/// Draw s of the prior: the point importance sampling uses for it.
pub fn prior_draw(prior: &UniformBox, seed: u64, s: u64) -> Vec<f64> {
    let mut theta = vec![0.0; prior.dim()];
    prior.draw(&mut PointRng::new(seed, s), &mut theta);
    theta
}

/// Compute (or, with `resume`, complete) the shard file `path`.
pub fn write_shard(
    path: &Path,
    header: &ShardHeader,
    calibration: &Calibration,
    shard: Shard,
    resume: bool,
    progress: &ProgressBar,
) -> Result<u64> {
    let prior = calibration.prior()?;
    let mut done = BTreeMap::new();
    if resume && path.exists() {
        let (old, rows) = read_file(path)?;
        if !old.same_run(header) || old.shard != header.shard {
            return Err(Error::Usage(format!(
                "--resume {}: the file is shard {} of another run (model, data, samples, seed \
                 or free parameters differ)",
                path.display(),
                old.shard
            )));
        }
        done = rows;
    } else if path.exists() && !resume {
        return Err(Error::Usage(format!(
            "{} exists: pass --resume to complete it, or remove it",
            path.display()
        )));
    }
    let todo: Vec<u64> = (0..shard.rows(header.samples))
        .map(|r| shard.point(r))
        .filter(|s| !done.contains_key(s))
        .collect();
    progress.set_position(done.len() as u64);
    let computed: Vec<(u64, f64)> = todo
        .par_iter()
        .map(|&s| {
            let ll = calibration.log_likelihood(&prior_draw(&prior, header.seed, s));
            progress.inc(1);
            (s, ll)
        })
        .collect();
    if let Some((s, ll)) = computed
        .iter()
        .find(|(_, ll)| ll.is_nan() || *ll == f64::INFINITY)
    {
        return Err(Error::Solver(format!(
            "the log likelihood of draw {s} is {ll} (θ = {:?})",
            prior_draw(&prior, header.seed, *s)
        )));
    }
    done.extend(computed);
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = std::io::BufWriter::new(file);
    let io = |e| Error::io(path, e);
    let header_line = HeaderLine {
        calibrate_likelihoods: header.clone(),
    };
    writeln!(w, "{}", json_line(&header_line)?).map_err(io)?;
    for (&draw, &ll) in &done {
        let row = Row {
            draw,
            log_likelihood: (ll > f64::NEG_INFINITY).then_some(ll),
        };
        writeln!(w, "{}", json_line(&row)?).map_err(io)?;
    }
    w.flush().map_err(io)?;
    Ok(done.len() as u64)
}

fn json_line<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Solver(format!("JSON output: {e}")))
}

/// A shard file's header and rows (draw → log likelihood).
fn read_file(path: &Path) -> Result<(ShardHeader, BTreeMap<u64, f64>)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let file = path.display().to_string();
    let bad = |line: usize, why: String| Error::Parse {
        file: file.clone(),
        pos: crate::error::Pos { line, col: 1 },
        message: why,
    };
    let mut lines = text.lines();
    let header: HeaderLine = serde_json::from_str(lines.next().unwrap_or(""))
        .map_err(|e| bad(1, format!("not a calibrate likelihood file: {e}")))?;
    let mut rows = BTreeMap::new();
    for (i, l) in lines.enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let row: Row = match serde_json::from_str(l) {
            Ok(row) => row,
            // An interrupted run may leave a half-written last line: resume recomputes it.
            Err(_) if i + 2 == text.lines().count() => continue,
            Err(e) => return Err(bad(i + 2, e.to_string())),
        };
        rows.insert(row.draw, row.log_likelihood.unwrap_or(f64::NEG_INFINITY));
    }
    Ok((header.calibrate_likelihoods, rows))
}

/// The posterior from the shard files of one run: importance sampling over every draw, or SMC
/// (run here) when its ESS is below the threshold.
pub fn posterior_from_shards(
    paths: &[std::path::PathBuf],
    expected: &ShardHeader,
    calibration: &Calibration,
    config: &PosteriorConfig,
    progress: &ProgressBar,
) -> Result<Posterior> {
    let mut all = BTreeMap::new();
    for path in paths {
        let (header, rows) = read_file(path)?;
        if !header.same_run(expected) {
            return Err(Error::Usage(format!(
                "{}: shard {} of another run (model, data, samples, seed or free parameters \
                 differ from this command's)",
                path.display(),
                header.shard
            )));
        }
        for (draw, ll) in rows {
            if all.insert(draw, ll).is_some() {
                return Err(Error::Usage(format!(
                    "{}: draw {draw} appears in two files",
                    path.display()
                )));
            }
        }
    }
    let n = expected.samples;
    if let Some(missing) = (0..n).find(|s| !all.contains_key(s)) {
        return Err(Error::Usage(format!(
            "the files hold {} of {n} draws (draw {missing} is missing): compute every shard \
             (or --resume an interrupted one)",
            all.len()
        )));
    }
    let prior = calibration.prior()?;
    let points: Vec<f64> = (0..n)
        .flat_map(|s| prior_draw(&prior, expected.seed, s))
        .collect();
    let ll: Vec<f64> = all.into_values().collect();
    let log_evidence = log_sum_exp(&ll) - (n as f64).ln();
    let sample = WeightedSample::new(prior.dim(), points, ll.clone(), ll, "importance sampling")?;
    let min_ess = config.min_ess.unwrap_or_else(|| default_min_ess(n));
    let importance_ess = sample.ess();
    if importance_ess >= min_ess {
        return Ok(Posterior {
            method: Method::ImportanceSampling,
            sample,
            importance_ess,
            min_ess,
            log_evidence,
            smc: None,
        });
    }
    let ll = |theta: &[f64]| calibration.log_likelihood(theta);
    let run = smc(&prior, &ll, &config.smc, progress)?;
    Ok(Posterior {
        method: Method::Smc,
        sample: run.sample.clone(),
        importance_ess,
        min_ess,
        log_evidence: run.log_evidence,
        smc: Some(run),
    })
}
