//! Joining the shards of one sweep into the file an unsharded run would have written.
//!
//! Every shard must come from the same sweep (equal `sweep` in their metadata), each of the N
//! shards exactly once, each complete. Shard I holds points I − 1, I − 1 + N, … in order, so the
//! whole file is a round robin over the shards; each row's `point` is checked on the way, and
//! rows are copied byte for byte. The result is written to a temporary file renamed into place
//! only when everything checked out.

use super::meta::{meta_path, same_sweep, with_suffix, SweepMeta};
use super::shard::Shard;
use super::writer::{Encoder, FileFormat, LineReader};
use crate::{Error, Result};
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeReport {
    pub rows: u64,
    pub shards: u64,
}

/// Merge `shards` into `out` (same format as the shards, by extension).
pub fn merge(
    out: &Path,
    shards: &[PathBuf],
    overwrite: bool,
    command: Vec<String>,
) -> Result<MergeReport> {
    let format = FileFormat::of_path(out)?;
    if out.exists() && !overwrite {
        return Err(Error::Usage(format!(
            "{} exists: pass --overwrite to replace it",
            out.display()
        )));
    }
    let ordered = check_shards(format, shards)?;
    let first = &ordered[0].1;
    let columns = &first.sweep.columns;
    let points = first.sweep.points;
    let count = ordered.len() as u64;
    let mut readers = ordered
        .iter()
        .map(|(path, _)| {
            let file = File::open(path).map_err(|e| Error::io(path, e))?;
            LineReader::new(
                BufReader::new(file),
                format,
                &path.display().to_string(),
                columns,
            )
        })
        .collect::<Result<Vec<_>>>()?;
    let tmp = with_suffix(out, ".tmp");
    let mut writer = BufWriter::new(File::create(&tmp).map_err(|e| Error::io(&tmp, e))?);
    let io = |e| Error::io(&tmp, e);
    writer
        .write_all(&Encoder::new(format, columns).header())
        .map_err(io)?;
    for point in 0..points {
        let s = (point % count) as usize;
        let (path, meta) = &ordered[s];
        let shard = meta.shard_or_whole();
        let reader = &mut readers[s];
        let Some((got, line)) = reader.next_row()? else {
            let cut = if reader.partial() {
                " (its last line is cut)"
            } else {
                ""
            };
            return Err(Error::Usage(format!(
                "{} (shard {shard}) has {} of its {} rows{cut}: finish it with `patron sweep … \
                 --shard {shard} --resume`",
                path.display(),
                point / count,
                shard.rows(points)
            )));
        };
        if got != point {
            return Err(Error::Usage(format!(
                "{} (shard {shard}): point {got} where point {point} belongs",
                path.display()
            )));
        }
        writer.write_all(line.as_bytes()).map_err(io)?;
        writer.write_all(b"\n").map_err(io)?;
    }
    for (reader, (path, _)) in readers.iter_mut().zip(&ordered) {
        if reader.next_row()?.is_some() || reader.partial() {
            return Err(Error::Usage(format!(
                "{}: rows beyond the end of its shard",
                path.display()
            )));
        }
    }
    writer.flush().map_err(io)?;
    drop(writer);
    std::fs::rename(&tmp, out).map_err(|e| Error::io(out, e))?;
    SweepMeta {
        shard: None,
        command,
        ..first.clone()
    }
    .write(&meta_path(out))?;
    Ok(MergeReport {
        rows: points,
        shards: count,
    })
}

/// The shards in order 1..=N with their metadata, or an error naming what is wrong.
fn check_shards(format: FileFormat, shards: &[PathBuf]) -> Result<Vec<(PathBuf, SweepMeta)>> {
    let Some(first_path) = shards.first() else {
        return Err(Error::Usage("no shard files given".into()));
    };
    let mut metas = Vec::with_capacity(shards.len());
    for path in shards {
        if FileFormat::of_path(path)? != format {
            return Err(Error::Usage(format!(
                "{}: a different format from the output file",
                path.display()
            )));
        }
        let meta = SweepMeta::read(&meta_path(path))?;
        if meta.shard.is_none() {
            return Err(Error::Usage(format!(
                "{} is a whole sweep, not a shard",
                path.display()
            )));
        }
        metas.push((path.clone(), meta));
    }
    let reference = &metas[0].1;
    let count = reference.shard_or_whole().count;
    let name = first_path.display().to_string();
    let mut slots: Vec<Option<(PathBuf, SweepMeta)>> = vec![None; count as usize];
    for (path, meta) in &metas {
        same_sweep(
            &reference.sweep,
            &name,
            &meta.sweep,
            &path.display().to_string(),
        )?;
        let Shard { index, count: n } = meta.shard_or_whole();
        if n != count {
            return Err(Error::Usage(format!(
                "{} is shard {index}/{n}, {name} one of {count}",
                path.display()
            )));
        }
        let slot = &mut slots[(index - 1) as usize];
        if let Some((other, _)) = slot {
            return Err(Error::Usage(format!(
                "shard {index}/{count} is given twice: {} and {}",
                other.display(),
                path.display()
            )));
        }
        *slot = Some((path.clone(), meta.clone()));
    }
    let missing: Vec<String> = (1..=count)
        .filter(|i| slots[(*i - 1) as usize].is_none())
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "missing shard{} {}",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", ")
        )));
    }
    Ok(slots.into_iter().flatten().collect())
}
