//! Running a sweep into a file: metadata first, then rows in point order as they finish; with
//! `resume`, the rows already in the file are kept (a cut last line dropped) and only the
//! missing ones computed.

use super::columns::Cell;
use super::engine::{progress_bar, run_in_order};
use super::meta::{meta_path, same_sweep, SweepMeta};
use super::plan::{Design, Plan};
use super::quantiles::Summary;
use super::shard::Shard;
use super::writer::{row_numbers, Encoder, FileFormat, LineReader, RowSink};
use crate::{Error, Result};
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// Where rows go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A `.csv` or `.jsonl` file, with its `.meta.json` sidecar.
    File(PathBuf),
    /// CSV on standard output (no sidecar, no resume).
    Stdout,
    /// Nowhere (a Monte Carlo run for its summary only).
    Discard,
}

/// How to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Finish an interrupted file instead of refusing to touch it.
    pub resume: bool,
    /// Replace an existing file.
    pub overwrite: bool,
    pub quiet: bool,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    /// Rows of this shard in all.
    pub rows: u64,
    /// Rows found in the file and kept.
    pub resumed: u64,
    /// Rows whose point failed (see their `error` cell), among those computed now.
    pub failed: u64,
    /// Whether a cut last line was dropped.
    pub dropped_partial_line: bool,
}

/// Run `plan` (described by `meta`) into `destination`. `summary`, if given, receives every
/// row of the shard, resumed ones included, as [`summarise_row`] reads them.
pub fn run_sweep(
    plan: &Plan,
    meta: &SweepMeta,
    destination: &Destination,
    options: &RunOptions,
    mut summary: Option<&mut Summary>,
) -> Result<RunReport> {
    let shard = meta.shard_or_whole();
    let rows = shard.rows(plan.len());
    let columns = plan.columns();
    if options.resume && !matches!(destination, Destination::File(_)) {
        return Err(Error::Usage(
            "--resume needs a file (--out FILE.csv or FILE.jsonl)".into(),
        ));
    }
    let (sink, resumed, dropped_partial_line) = match destination {
        Destination::Discard => {
            let encoder = Encoder::new(FileFormat::Csv, &columns);
            (
                RowSink::new(Box::new(std::io::sink()), "-", encoder),
                0,
                false,
            )
        }
        Destination::Stdout => {
            let encoder = Encoder::new(FileFormat::Csv, &columns);
            let mut out = std::io::stdout();
            write_all(&mut out, &encoder.header(), "<stdout>")?;
            (RowSink::new(Box::new(out), "<stdout>", encoder), 0, false)
        }
        Destination::File(path) => open_file(plan, meta, path, options, summary.as_deref_mut())?,
    };
    if resumed > rows {
        return Err(Error::Usage(format!(
            "the file has {resumed} rows, more than the {rows} of this sweep"
        )));
    }
    let progress = progress_bar(rows, resumed, "points", options.quiet);
    let mut sink = sink;
    let mut failed = 0;
    let error_column = columns.len() - 1;
    run_in_order(
        None,
        resumed..rows,
        || plan.worker(),
        |worker, row| plan.row(shard.point(row), worker),
        |_, cells: Vec<Cell>| {
            let is_failed = !matches!(cells[error_column], Cell::Null);
            failed += u64::from(is_failed);
            if let Some(s) = summary.as_deref_mut() {
                summarise_row(plan, s, cells.iter().map(Cell::number), is_failed);
            }
            sink.push(&cells)
        },
        &progress,
    )?;
    sink.flush()?;
    progress.finish_and_clear();
    Ok(RunReport {
        rows,
        resumed,
        failed,
        dropped_partial_line,
    })
}

/// Add one row to a Monte Carlo summary: its rejected draws and its numeric outputs.
pub fn summarise_row(
    plan: &Plan,
    summary: &mut Summary,
    numbers: impl Iterator<Item = Option<f64>>,
    failed: bool,
) {
    let numbers: Vec<Option<f64>> = numbers.collect();
    let rejected = match plan.design() {
        Design::MonteCarlo(_) => numbers.get(1).copied().flatten().unwrap_or(0.0) as u64,
        Design::Grid(_) => 0,
    };
    let first = plan.first_output();
    let outputs = (0..plan.layout().names().len())
        .filter(|&c| plan.layout().is_numeric(c))
        .map(|c| numbers.get(first + c).copied().flatten());
    summary.add(rejected, failed, outputs);
}

/// The names of the columns a summary of `plan` covers: its numeric outputs.
pub fn summary_columns(plan: &Plan) -> Vec<String> {
    let layout = plan.layout();
    (0..layout.names().len())
        .filter(|&c| layout.is_numeric(c))
        .map(|c| layout.names()[c].clone())
        .collect()
}

/// Open `path` for rows: fresh (header and sidecar written) or resumed.
fn open_file(
    plan: &Plan,
    meta: &SweepMeta,
    path: &Path,
    options: &RunOptions,
    summary: Option<&mut Summary>,
) -> Result<(RowSink, u64, bool)> {
    let format = FileFormat::of_path(path)?;
    let columns = plan.columns();
    let encoder = Encoder::new(format, &columns);
    let sidecar = meta_path(path);
    let name = path.display().to_string();
    let exists = path.exists();
    if options.resume && exists {
        let stored = SweepMeta::read(&sidecar).map_err(|e| {
            Error::Usage(format!(
                "cannot resume {name}: {e} (the sidecar {} says which sweep wrote it)",
                sidecar.display()
            ))
        })?;
        same_sweep(&meta.sweep, "this sweep", &stored.sweep, &name)?;
        if stored.shard != meta.shard {
            return Err(Error::Usage(format!(
                "{name} holds shard {}, not {}",
                stored.shard_or_whole(),
                meta.shard_or_whole()
            )));
        }
        let (kept, offset, partial) =
            read_resumed(plan, path, format, meta.shard_or_whole(), summary)?;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| Error::io(path, e))?;
        file.set_len(offset).map_err(|e| Error::io(path, e))?;
        use std::io::Seek;
        file.seek(std::io::SeekFrom::End(0))
            .map_err(|e| Error::io(path, e))?;
        if offset == 0 {
            write_all(&mut file, &encoder.header(), &name)?;
        }
        return Ok((RowSink::new(Box::new(file), &name, encoder), kept, partial));
    }
    if exists && !options.overwrite {
        return Err(Error::Usage(format!(
            "{name} exists: pass --resume to finish it, or --overwrite to start it again"
        )));
    }
    meta.write(&sidecar)?;
    let mut file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    write_all(&mut file, &encoder.header(), &name)?;
    Ok((RowSink::new(Box::new(file), &name, encoder), 0, false))
}

/// Check the rows already in a file (each the next point of the shard, in order), feed them to
/// the summary, and say how many there are and where the whole lines end.
fn read_resumed(
    plan: &Plan,
    path: &Path,
    format: FileFormat,
    shard: Shard,
    mut summary: Option<&mut Summary>,
) -> Result<(u64, u64, bool)> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let columns = plan.columns();
    let mut reader = LineReader::new(BufReader::new(file), format, &name, &columns)?;
    let mut kept = 0;
    while let Some((point, line)) = reader.next_row()? {
        let expected = shard.point(kept);
        if point != expected {
            return Err(Error::Usage(format!(
                "{name}: row {} is point {point} where this sweep has point {expected}; \
                 the file is not a prefix of this sweep",
                kept + 1
            )));
        }
        if let Some(s) = summary.as_deref_mut() {
            let numbers = row_numbers(line, format, &columns)?;
            let failed = !line_error_is_empty(line, format);
            summarise_row(plan, s, numbers.into_iter(), failed);
        }
        kept += 1;
    }
    Ok((kept, reader.offset(), reader.partial()))
}

/// Whether a stored row's `error` cell (the last) is empty.
fn line_error_is_empty(line: &str, format: FileFormat) -> bool {
    match format {
        FileFormat::Csv => line.ends_with(','),
        FileFormat::JsonLines => line.ends_with("\"error\":null}"),
    }
}

fn write_all(out: &mut dyn std::io::Write, bytes: &[u8], name: &str) -> Result<()> {
    out.write_all(bytes).map_err(|e| Error::io(name, e))
}
