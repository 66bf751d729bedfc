//! The metadata sidecar `FILE.meta.json` written beside every sweep file: what sweep the rows
//! belong to, so that `--resume` and `patron merge` never mix rows of different sweeps.
//!
//! `sweep` identifies the sweep: the model (its name and a hash of the file's bytes), the
//! scenario, the `--set` values, the design (grid or Monte Carlo, ranges, steps, samples, seed),
//! the output parts, the columns and the version of patron. Two files belong to the same sweep
//! exactly when their `sweep` objects are equal; `shard`, `model_file` and `command` describe
//! one run and may differ between the shards of one sweep.

use super::shard::Shard;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The version of the metadata layout.
pub const META_FORMAT: &str = "patron-sweep/1";

/// The sidecar's contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepMeta {
    pub format: String,
    pub sweep: SweepId,
    /// `null` for a whole sweep (or a merged one).
    pub shard: Option<Shard>,
    /// The model file as named on the command line.
    pub model_file: String,
    /// The command line that wrote the file.
    pub command: Vec<String>,
}

/// What makes two sweep files parts of one sweep (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepId {
    pub patron_version: String,
    pub model: ModelId,
    pub scenario: String,
    pub set: Vec<SetValue>,
    /// `grid` or `monte_carlo`.
    pub design: String,
    pub vary: Vec<VaryRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Points in the whole sweep (all shards).
    pub points: u64,
    pub survival: bool,
    pub patron_game: bool,
    pub allow_outside_range: bool,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelId {
    pub name: String,
    /// FNV-1a (64-bit) of the model file's bytes, in hex: it tells files apart, it is not a
    /// cryptographic digest.
    pub fnv1a64: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetValue {
    pub path: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaryRange {
    pub path: String,
    pub lo: f64,
    pub hi: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<u64>,
}

/// FNV-1a, 64-bit (Fowler, Noll & Vo): a fast fingerprint of the model file.
pub fn fnv1a64(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// `FILE.meta.json` beside `FILE`.
pub fn meta_path(data: &Path) -> PathBuf {
    with_suffix(data, ".meta.json")
}

/// `path` with `suffix` appended to its file name (`a.csv` → `a.csv.tmp`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

impl SweepMeta {
    pub fn read(path: &Path) -> Result<SweepMeta> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let meta: SweepMeta = serde_json::from_str(&text)
            .map_err(|e| Error::Usage(format!("{}: not sweep metadata: {e}", path.display())))?;
        if meta.format != META_FORMAT {
            return Err(Error::Usage(format!(
                "{}: metadata format `{}`, this patron reads `{META_FORMAT}`",
                path.display(),
                meta.format
            )));
        }
        if let Some(Shard { index, count }) = meta.shard {
            if index == 0 || index > count || count > meta.sweep.points.max(1) {
                return Err(Error::Usage(format!(
                    "{}: shard {index}/{count} is not a shard of a {}-point sweep",
                    path.display(),
                    meta.sweep.points
                )));
            }
        }
        Ok(meta)
    }

    /// Write through a temporary file and a rename, so the sidecar is never half written.
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| Error::Solver(format!("cannot write metadata: {e}")))?;
        let tmp = with_suffix(path, ".tmp");
        std::fs::write(&tmp, text + "\n").map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    }

    /// The shard this file holds (the whole sweep when `None`).
    pub fn shard_or_whole(&self) -> Shard {
        self.shard.unwrap_or(Shard::WHOLE)
    }
}

/// An error naming the first part of the sweep identity where `a` (from `a_name`) and `b` differ.
pub fn same_sweep(a: &SweepId, a_name: &str, b: &SweepId, b_name: &str) -> Result<()> {
    if a == b {
        return Ok(());
    }
    let (va, vb) = (
        serde_json::to_value(a).unwrap_or_default(),
        serde_json::to_value(b).unwrap_or_default(),
    );
    let field = match (va.as_object(), vb.as_object()) {
        (Some(x), Some(y)) => x
            .iter()
            .find(|(k, v)| y.get(*k) != Some(v))
            .map_or("?".to_string(), |(k, _)| k.clone()),
        _ => "?".to_string(),
    };
    Err(Error::Usage(format!(
        "{a_name} and {b_name} are not from the same sweep (they differ in `{field}`)"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_the_published_test_vectors() {
        // From the FNV reference test suite (Fowler/Noll/Vo, fnv_test.c): "" and "a".
        assert_eq!(fnv1a64(b""), "cbf29ce484222325");
        assert_eq!(fnv1a64(b"a"), "af63dc4c8601ec8c");
        assert_eq!(fnv1a64(b"foobar"), "85944171f73967e8");
    }

    #[test]
    fn sidecar_sits_beside_the_file() {
        assert_eq!(
            meta_path(Path::new("out/run.csv")),
            PathBuf::from("out/run.csv.meta.json")
        );
    }
}
