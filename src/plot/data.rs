//! Reading the files `patron plot` draws: sweep tables (CSV or JSON Lines), sensitivity reports
//! and solve reports (JSON). Everything a user can get wrong becomes an error naming the file,
//! the line and the column, never a panic.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::error::Pos;
use crate::{Error, Result};

/// An input file, told apart by extension and (for `.json`) by its top-level keys.
#[derive(Debug)]
pub enum Input {
    Sweep(Table),
    Sensitivity(Sensitivity),
    Solve(Solve),
    Calibration(super::calibration::CalibrationReport),
}

impl Input {
    /// What the file is, in words, for error messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Input::Sweep(_) => "a sweep table",
            Input::Sensitivity(_) => "a sensitivity report",
            Input::Solve(_) => "a solve report",
            Input::Calibration(_) => "a calibration summary",
        }
    }
}

/// A sweep or Monte Carlo table: named columns of cells kept as text until a column is used,
/// so that a text column only matters if someone tries to plot it.
#[derive(Debug)]
pub struct Table {
    pub file: String,
    pub columns: Vec<String>,
    rows: Vec<Row>,
}

#[derive(Debug)]
struct Row {
    /// 1-based line in the file, for error messages.
    line: usize,
    /// One cell per column; empty means missing.
    cells: Vec<String>,
}

/// `patron sensitivity`'s report; only what the tornado chart needs (the Sobol indices are ignored).
#[derive(Debug, Deserialize)]
pub struct Sensitivity {
    pub output: String,
    pub base: f64,
    pub swings: Vec<Swing>,
}

#[derive(Debug, Deserialize)]
pub struct Swing {
    pub path: String,
    pub low: f64,
    pub high: f64,
    pub output_at_low: f64,
    pub output_at_high: f64,
}

/// `patron solve --format json`'s report; only the ceasefire outcomes are read.
#[derive(Debug, Deserialize)]
pub struct Solve {
    #[serde(default)]
    pub scenario: Option<String>,
    pub ceasefire: Ceasefire,
}

/// The ceasefire outcome under each policy set (the status quo is `null` when the model states none).
#[derive(Debug, Deserialize)]
pub struct Ceasefire {
    #[serde(default)]
    pub optimal: Option<Outcome>,
    #[serde(default)]
    pub status_quo: Option<Outcome>,
    #[serde(default)]
    pub unconditional: Option<Outcome>,
}

impl Ceasefire {
    /// The policy sets present, with their keys, in a fixed order.
    pub fn present(&self) -> Vec<(&'static str, &Outcome)> {
        [
            ("optimal", &self.optimal),
            ("status_quo", &self.status_quo),
            ("unconditional", &self.unconditional),
        ]
        .into_iter()
        .filter_map(|(key, o)| o.as_ref().map(|o| (key, o)))
        .collect()
    }
}

#[derive(Debug, Deserialize)]
pub struct Outcome {
    /// P(the ceasefire holds at week t), t = 0..=T.
    pub survival: Vec<f64>,
    #[serde(default)]
    pub p_hold: Option<f64>,
    #[serde(default)]
    pub expected_weeks: Option<f64>,
}

/// Read `path`: `.csv` → sweep; `.jsonl`/`.ndjson` → sweep; `.json` → sensitivity or solve report.
pub fn read(path: &Path) -> Result<Input> {
    let file = path.display().to_string();
    let text = read_text(path)?;
    match extension(path).as_str() {
        "csv" => read_csv(&file, &text).map(Input::Sweep),
        "jsonl" | "ndjson" => read_jsonl(&file, &text).map(Input::Sweep),
        "json" => read_report(&file, &text),
        _ => Err(Error::Usage(format!(
            "{file}: cannot tell what this file holds from its extension; expected .csv or .jsonl \
             (a sweep) or .json (a sensitivity or solve report)"
        ))),
    }
}

/// The lower-cased extension of `path` ("" if none).
pub fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

pub(crate) fn read_text(path: &Path) -> Result<String> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() > crate::limits::MAX_FILE_BYTES {
        return Err(Error::limit(
            "MAX_FILE_BYTES",
            format!(
                "{}: {} bytes is more than the limit of {} bytes",
                path.display(),
                meta.len(),
                crate::limits::MAX_FILE_BYTES
            ),
        ));
    }
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

pub(crate) fn parse_error(
    file: &str,
    line: usize,
    col: usize,
    message: impl Into<String>,
) -> Error {
    Error::Parse {
        file: file.to_string(),
        pos: Pos { line, col },
        message: message.into(),
    }
}

fn read_csv(file: &str, text: &str) -> Result<Table> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(1, |p| p.line() as usize);
        parse_error(file, line, 1, e.to_string())
    };
    let columns: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record
            .position()
            .map_or(rows.len() + 2, |p| p.line() as usize);
        rows.push(Row {
            line,
            cells: record.iter().map(str::to_string).collect(),
        });
    }
    Table::new(file, columns, rows)
}

fn read_jsonl(file: &str, text: &str) -> Result<Table> {
    // Columns in order of first appearance; a key missing from a line is a missing cell.
    let mut columns: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let line = i + 1;
        let FlatObject(fields) = serde_json::from_str(raw).map_err(|e| {
            parse_error(
                file,
                line,
                e.column(),
                format!("{e} (each line must be one flat JSON object)"),
            )
        })?;
        let cells: Vec<(usize, String)> = fields
            .into_iter()
            .map(|(key, value)| {
                let next = columns.len();
                let at = *index.entry(key.clone()).or_insert(next);
                if at == next {
                    columns.push(key);
                }
                (at, value)
            })
            .collect();
        lines.push((line, cells));
    }
    let rows = lines
        .into_iter()
        .map(|(line, placed)| {
            let mut cells = vec![String::new(); columns.len()];
            for (at, value) in placed {
                cells[at] = value;
            }
            Row { line, cells }
        })
        .collect();
    Table::new(file, columns, rows)
}

/// One JSON Lines record: its keys in file order (so the varied parameters stay first) and each
/// scalar as text (`null` → empty, i.e. missing).
struct FlatObject(Vec<(String, String)>);

impl<'de> Deserialize<'de> for FlatObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FlatObject;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a flat JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<FlatObject, A::Error> {
                let mut fields = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
                    let text = match value {
                        serde_json::Value::Null => String::new(),
                        serde_json::Value::String(s) => s,
                        serde_json::Value::Number(n) => n.to_string(),
                        serde_json::Value::Bool(b) => b.to_string(),
                        _ => {
                            return Err(serde::de::Error::custom(format!(
                                "`{key}` holds an array or object"
                            )));
                        }
                    };
                    fields.push((key, text));
                }
                Ok(FlatObject(fields))
            }
        }
        d.deserialize_map(V)
    }
}

fn read_report(file: &str, text: &str) -> Result<Input> {
    let json_error = |e: serde_json::Error| parse_error(file, e.line(), e.column(), e.to_string());
    let top: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(text).map_err(json_error)?;
    if top.contains_key("swings") {
        serde_json::from_str(text)
            .map(Input::Sensitivity)
            .map_err(json_error)
    } else if top.contains_key("posterior_predictive") {
        serde_json::from_str(text)
            .map(Input::Calibration)
            .map_err(json_error)
    } else if top.contains_key("ceasefire") {
        serde_json::from_str(text)
            .map(Input::Solve)
            .map_err(json_error)
    } else {
        Err(Error::Usage(format!(
            "{file}: neither a sensitivity report (no \"swings\") nor a solve report (no \"ceasefire\"); \
             sweep tables must end in .csv or .jsonl"
        )))
    }
}

impl Table {
    fn new(file: &str, columns: Vec<String>, rows: Vec<Row>) -> Result<Table> {
        if columns.iter().all(|c| c.is_empty()) {
            return Err(Error::Usage(format!(
                "{file}: the file is empty (no header)"
            )));
        }
        if let Some((i, c)) = columns
            .iter()
            .enumerate()
            .find(|(i, c)| columns[..*i].contains(c))
        {
            return Err(parse_error(
                file,
                1,
                1,
                format!("column `{c}` appears twice (column {})", i + 1),
            ));
        }
        if rows.is_empty() {
            return Err(Error::Usage(format!("{file}: no data rows, only a header")));
        }
        Ok(Table {
            file: file.to_string(),
            columns,
            rows,
        })
    }

    /// The column's numbers, one per row; `None` where the cell is empty or not finite (NaN, inf).
    /// Errors if the column does not exist or holds text.
    pub fn numeric(&self, column: &str) -> Result<Vec<Option<f64>>> {
        let Some(index) = self.columns.iter().position(|c| c == column) else {
            return Err(Error::Usage(format!(
                "{}: no column `{column}`; the columns are: {}",
                self.file,
                self.columns.join(", ")
            )));
        };
        self.rows
            .iter()
            .map(|row| {
                let cell = row.cells.get(index).map_or("", |c| c.trim());
                if cell.is_empty() {
                    return Ok(None);
                }
                match cell.parse::<f64>() {
                    Ok(v) => Ok(Some(v).filter(|v| v.is_finite()).map(|v| v + 0.0)),
                    Err(_) => Err(Error::Invalid {
                        file: self.file.clone(),
                        line: row.line,
                        key: column.to_string(),
                        message: format!(
                            "holds text (\"{cell}\"); only numeric columns can be plotted"
                        ),
                    }),
                }
            })
            .collect()
    }

    /// The rows where every named column holds a finite number, as `[x, y, by]` (absent `by` → 0).
    pub fn rows(&self, columns: &[Option<&str>; 3]) -> Result<Vec<[f64; 3]>> {
        let values: Vec<Option<Vec<Option<f64>>>> = columns
            .iter()
            .map(|c| c.map(|c| self.numeric(c)).transpose())
            .collect::<Result<_>>()?;
        let cell = |col: usize, row: usize| match &values[col] {
            Some(v) => v[row],
            None => Some(0.0),
        };
        let rows: Vec<[f64; 3]> = (0..self.rows.len())
            .filter_map(|i| Some([cell(0, i)?, cell(1, i)?, cell(2, i)?]))
            .collect();
        if rows.is_empty() {
            let named: Vec<String> = columns.iter().flatten().map(|c| format!("`{c}`")).collect();
            return Err(Error::Usage(format!(
                "{}: no row has finite numbers in all of {}",
                self.file,
                named.join(", ")
            )));
        }
        Ok(rows)
    }

    /// Whether every cell of the column is a number or empty (a column that could be plotted).
    pub fn is_numeric(&self, column: &str) -> bool {
        self.numeric(column).is_ok()
    }

    /// The column's distinct finite values, ascending.
    pub fn distinct(&self, column: &str) -> Result<Vec<f64>> {
        Ok(distinct(self.numeric(column)?.into_iter().flatten()))
    }
}

/// Distinct values, ascending. Values are compared exactly: a sweep writes each grid value once
/// and every row repeats its text, so equal text parses to equal bits.
pub fn distinct(values: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.into_iter().collect();
    v.sort_by(f64::total_cmp);
    v.dedup_by(|a, b| a.total_cmp(b).is_eq());
    v
}
