//! Sweep files: CSV or JSON Lines, one row per line, written as rows finish and read back to
//! resume or merge.
//!
//! Crash safety rests on three rules. Every row is exactly one line (no cell holds a newline:
//! arrays are compact JSON, messages have their newlines replaced). Rows reach the file only
//! whole: they are encoded into a buffer that is written with one `write_all` at each flush
//! (about every half second), never through a buffer that could split a line. And whoever
//! resumes a file first drops a last line without its newline, the one thing a kill in the
//! middle of a write can leave.
//!
//! Numbers are written in the shortest form that reads back to the same `f64` (as `serde_json`
//! writes them), identically in both formats.

use super::columns::Cell;
use crate::{Error, Result};
use std::io::{BufRead, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// How often finished rows are pushed to the file.
const FLUSH_EVERY: Duration = Duration::from_millis(500);
/// Rows waiting in memory are written sooner than that when they exceed this many bytes.
const FLUSH_BYTES: usize = 1 << 20;

/// A sweep file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// A header line with the column names, then comma-separated rows (RFC 4180 quoting).
    Csv,
    /// One flat JSON object per line, keys = column names in column order.
    JsonLines,
}

impl FileFormat {
    /// By extension: `.csv` or `.jsonl`.
    pub fn of_path(path: &Path) -> Result<FileFormat> {
        match path.extension().and_then(|e| e.to_str()) {
            Some("csv") => Ok(FileFormat::Csv),
            Some("jsonl") => Ok(FileFormat::JsonLines),
            _ => Err(Error::Usage(format!(
                "{}: a sweep file ends in .csv or .jsonl (or is `-` for CSV on standard output)",
                path.display()
            ))),
        }
    }
}

/// Turns rows into bytes.
pub struct Encoder {
    format: FileFormat,
    columns: Vec<String>,
    /// `"name":` for every column, JSON-escaped once.
    json_keys: Vec<String>,
}

impl Encoder {
    /// An encoder of rows with these columns into `format`.
    pub fn new(format: FileFormat, columns: &[String]) -> Encoder {
        let json_keys = columns
            .iter()
            .map(|c| format!("{}:", serde_json::Value::from(c.as_str())))
            .collect();
        Encoder {
            format,
            columns: columns.to_vec(),
            json_keys,
        }
    }

    /// The file format rows are encoded in.
    pub fn format(&self) -> FileFormat {
        self.format
    }

    /// The first line of a new file (CSV's header; JSON Lines has none).
    pub fn header(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if self.format == FileFormat::Csv {
            for (i, name) in self.columns.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                csv_field(name, &mut out);
            }
            out.push(b'\n');
        }
        out
    }

    /// Append one row (with its newline) to `out`.
    pub fn row(&self, cells: &[Cell], out: &mut Vec<u8>) -> Result<()> {
        if cells.len() != self.columns.len() {
            return Err(Error::Solver(format!(
                "a row of {} cells for {} columns",
                cells.len(),
                self.columns.len()
            )));
        }
        match self.format {
            FileFormat::Csv => {
                for (i, cell) in cells.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    match cell {
                        Cell::Num(v) => number(*v, out),
                        Cell::Count(n) => push_display(n, out),
                        Cell::Text(t) | Cell::Json(t) => csv_field(t, out),
                        Cell::Null => {}
                    }
                }
                out.push(b'\n');
            }
            FileFormat::JsonLines => {
                out.push(b'{');
                for (i, (key, cell)) in self.json_keys.iter().zip(cells).enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(key.as_bytes());
                    match cell {
                        Cell::Num(v) if v.is_finite() => number(*v, out),
                        Cell::Count(n) => push_display(n, out),
                        Cell::Text(t) => push_display(&serde_json::Value::from(t.as_str()), out),
                        Cell::Json(t) => out.extend_from_slice(t.as_bytes()),
                        Cell::Num(_) | Cell::Null => out.extend_from_slice(b"null"),
                    }
                }
                out.extend_from_slice(b"}\n");
            }
        }
        Ok(())
    }
}

/// A CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break
/// (RFC 4180, §2).
fn csv_field(field: &str, out: &mut Vec<u8>) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        out.extend_from_slice(field.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
}

/// The shortest decimal that reads back as `v` (`serde_json`'s form); nothing if not finite.
fn number(v: f64, out: &mut Vec<u8>) {
    if let Some(n) = serde_json::Number::from_f64(v) {
        push_display(&n, out);
    }
}

fn push_display(value: &impl std::fmt::Display, out: &mut Vec<u8>) {
    use std::io::Write as _;
    // Writing into a Vec cannot fail.
    let _ = write!(out, "{value}");
}

/// Where encoded rows go, pushed out whole about every half second.
pub struct RowSink {
    out: Box<dyn Write + Send>,
    name: String,
    encoder: Encoder,
    pending: Vec<u8>,
    last_flush: Instant,
}

impl RowSink {
    /// `out` is positioned where rows go (after a header, or at the end of resumed rows).
    pub fn new(out: Box<dyn Write + Send>, name: &str, encoder: Encoder) -> RowSink {
        RowSink {
            out,
            name: name.to_string(),
            encoder,
            pending: Vec::new(),
            last_flush: Instant::now(),
        }
    }

    pub fn push(&mut self, cells: &[Cell]) -> Result<()> {
        self.encoder.row(cells, &mut self.pending)?;
        if self.pending.len() >= FLUSH_BYTES || self.last_flush.elapsed() >= FLUSH_EVERY {
            self.flush()?;
        }
        Ok(())
    }

    /// Write every finished row (a closed pipe on standard output ends quietly).
    pub fn flush(&mut self) -> Result<()> {
        let written = self
            .out
            .write_all(&self.pending)
            .and_then(|()| self.out.flush());
        self.pending.clear();
        self.last_flush = Instant::now();
        match written {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io(&self.name, e)),
            _ => Ok(()),
        }
    }
}

/// The rows of a sweep file, line by line: `(point, line without its newline)`.
pub struct LineReader<R> {
    input: R,
    format: FileFormat,
    name: String,
    line: String,
    /// Bytes of whole lines read so far.
    offset: u64,
    partial: bool,
}

impl<R: BufRead> LineReader<R> {
    /// Checks a CSV header against `columns` (an empty file has no header and no rows).
    pub fn new(input: R, format: FileFormat, name: &str, columns: &[String]) -> Result<Self> {
        let mut reader = LineReader {
            input,
            format,
            name: name.to_string(),
            line: String::new(),
            offset: 0,
            partial: false,
        };
        if format == FileFormat::Csv && reader.read_line()? {
            let expected = Encoder::new(format, columns).header();
            if reader.line.as_bytes() != expected.strip_suffix(b"\n").unwrap_or(&expected) {
                return Err(Error::Usage(format!(
                    "{name}: its header is not this sweep's columns"
                )));
            }
        }
        Ok(reader)
    }

    /// Bytes of the whole lines read so far (where a resumed file is cut).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Whether the file ended in a line without its newline (dropped, never returned).
    pub fn partial(&self) -> bool {
        self.partial
    }

    /// The next whole row: its point and its text.
    pub fn next_row(&mut self) -> Result<Option<(u64, &str)>> {
        if !self.read_line()? {
            return Ok(None);
        }
        let point = point_of(&self.line, self.format).ok_or_else(|| {
            Error::Usage(format!(
                "{}: a row without a point index: {}",
                self.name,
                self.line.chars().take(60).collect::<String>()
            ))
        })?;
        Ok(Some((point, self.line.as_str())))
    }

    /// Read one whole line into `self.line` (without its newline); false at the end.
    fn read_line(&mut self) -> Result<bool> {
        self.line.clear();
        let n = self
            .input
            .read_line(&mut self.line)
            .map_err(|e| Error::io(&self.name, e))?;
        if n == 0 {
            return Ok(false);
        }
        if !self.line.ends_with('\n') {
            self.partial = true;
            self.line.clear();
            return Ok(false);
        }
        self.offset += n as u64;
        self.line.pop();
        Ok(true)
    }
}

/// The leading `point` of a row line.
fn point_of(line: &str, format: FileFormat) -> Option<u64> {
    let rest = match format {
        FileFormat::Csv => line,
        FileFormat::JsonLines => line.strip_prefix("{\"point\":")?,
    };
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// The numbers of a row line, by column (`None` for an empty, text or `null` cell).
pub fn row_numbers(line: &str, format: FileFormat, columns: &[String]) -> Result<Vec<Option<f64>>> {
    let bad = |why: String| Error::Usage(format!("a sweep row cannot be read: {why}"));
    match format {
        FileFormat::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(line.as_bytes());
            let mut record = csv::StringRecord::new();
            reader
                .read_record(&mut record)
                .map_err(|e| bad(e.to_string()))?;
            if record.len() != columns.len() {
                return Err(bad(format!(
                    "{} cells for {} columns",
                    record.len(),
                    columns.len()
                )));
            }
            Ok(record.iter().map(|s| s.parse::<f64>().ok()).collect())
        }
        FileFormat::JsonLines => {
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
            if map.len() != columns.len() {
                return Err(bad(format!(
                    "{} keys for {} columns",
                    map.len(),
                    columns.len()
                )));
            }
            columns
                .iter()
                .map(|c| {
                    map.get(c)
                        .map(serde_json::Value::as_f64)
                        .ok_or_else(|| bad(format!("no `{c}`")))
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> Vec<String> {
        ["point", "x", "a.b", "error"].map(String::from).to_vec()
    }

    fn rows() -> Vec<Vec<Cell>> {
        vec![
            vec![
                Cell::Count(0),
                Cell::Num(0.1),
                Cell::Text("K".into()),
                Cell::Null,
            ],
            vec![
                Cell::Count(1),
                Cell::Num(1e-20),
                Cell::Json("[1.0,2.5]".into()),
                Cell::Text("bad, \"really\"".into()),
            ],
        ]
    }

    #[test]
    fn csv_and_json_lines_round_trip() {
        for format in [FileFormat::Csv, FileFormat::JsonLines] {
            let enc = Encoder::new(format, &columns());
            let mut bytes = enc.header();
            for r in rows() {
                enc.row(&r, &mut bytes).unwrap();
            }
            let text = String::from_utf8(bytes.clone()).unwrap();
            let quoted = match format {
                FileFormat::Csv => r#"1,1e-20,"[1.0,2.5]","bad, ""really""""#,
                FileFormat::JsonLines => r#""error":"bad, \"really\""}"#,
            };
            assert!(text.contains(quoted), "{text}");
            let mut reader = LineReader::new(bytes.as_slice(), format, "t", &columns()).unwrap();
            let (p0, l0) = reader.next_row().unwrap().unwrap();
            assert_eq!(p0, 0);
            let nums = row_numbers(l0, format, &columns()).unwrap();
            assert_eq!(nums, [Some(0.0), Some(0.1), None, None]);
            let (p1, l1) = reader.next_row().unwrap().unwrap();
            assert_eq!(p1, 1);
            assert_eq!(row_numbers(l1, format, &columns()).unwrap()[1], Some(1e-20));
            assert!(reader.next_row().unwrap().is_none());
            assert!(!reader.partial());
            assert_eq!(reader.offset() as usize, text.len());
        }
    }

    #[test]
    fn a_cut_last_line_is_dropped_and_reported() {
        let enc = Encoder::new(FileFormat::Csv, &columns());
        let mut bytes = enc.header();
        enc.row(&rows()[0], &mut bytes).unwrap();
        let whole = bytes.len();
        enc.row(&rows()[1], &mut bytes).unwrap();
        bytes.truncate(bytes.len() - 3);
        let mut reader =
            LineReader::new(bytes.as_slice(), FileFormat::Csv, "t", &columns()).unwrap();
        assert_eq!(reader.next_row().unwrap().map(|r| r.0), Some(0));
        assert!(reader.next_row().unwrap().is_none());
        assert!(reader.partial());
        assert_eq!(reader.offset() as usize, whole);
    }

    #[test]
    fn a_foreign_header_is_refused() {
        let text = "point,y\n0,1\n";
        assert!(LineReader::new(text.as_bytes(), FileFormat::Csv, "t", &columns()).is_err());
    }

    #[test]
    fn formats_follow_the_extension() {
        assert_eq!(
            FileFormat::of_path(Path::new("a.csv")).unwrap(),
            FileFormat::Csv
        );
        assert_eq!(
            FileFormat::of_path(Path::new("a/b.jsonl")).unwrap(),
            FileFormat::JsonLines
        );
        assert!(FileFormat::of_path(Path::new("a.txt")).is_err());
    }
}
