//! A parsed TOML document with its source positions: typed reads that fail with `file:line:col`
//! (type errors) or `file:line: key: message` (semantic errors).
//!
//! The model file is read through `toml`'s spanned tree (`DeTable`) rather than serde so that every
//! key, including dotted parameter names and scenario override paths, keeps its line for errors and
//! for `patron params`, and so that unknown keys can be named precisely.

use crate::error::Pos;
use crate::{Error, Result};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The text of one model file, for turning byte offsets into lines and columns.
pub(crate) struct Doc<'a> {
    pub file: &'a str,
    pub text: &'a str,
    line_starts: Vec<usize>,
}

/// One `key = value` of a table, with the byte offsets of the key and the value.
pub(crate) struct Entry<'t, 'i> {
    pub key: &'t str,
    pub value: &'t DeValue<'i>,
    pub key_at: usize,
    pub value_at: usize,
}

impl<'a> Doc<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Doc {
            file,
            text,
            line_starts,
        }
    }

    /// Parse the whole document; syntax errors carry `file:line:col` from the parser's span.
    pub fn parse(&self) -> Result<Spanned<DeTable<'a>>> {
        DeTable::parse(self.text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            self.parse_error(at, e.message().trim_end().to_string())
        })
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    fn pos(&self, offset: usize) -> Pos {
        let line = self.line(offset);
        let start = self.line_starts[line - 1];
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Pos { line, col }
    }

    pub fn parse_error(&self, offset: usize, message: String) -> Error {
        Error::Parse {
            file: self.file.to_string(),
            pos: self.pos(offset),
            message: one_line(&message),
        }
    }

    /// A semantic error at the line of `offset`.
    pub fn invalid(&self, offset: usize, key: &str, message: impl Into<String>) -> Error {
        self.invalid_at_line(self.line(offset), key, message)
    }

    pub fn invalid_at_line(&self, line: usize, key: &str, message: impl Into<String>) -> Error {
        Error::Invalid {
            file: self.file.to_string(),
            line,
            key: one_line(key),
            message: one_line(&message.into()),
        }
    }

    pub fn wrong_type(&self, e: &Entry, key: &str, expected: &str) -> Error {
        self.parse_error(
            e.value_at,
            format!("{key}: expected {expected}, found {}", e.value.type_str()),
        )
    }

    pub fn table<'t, 'i>(&self, e: &Entry<'t, 'i>, key: &str) -> Result<&'t DeTable<'i>> {
        match e.value {
            DeValue::Table(t) => Ok(t),
            _ => Err(self.wrong_type(e, key, "a table")),
        }
    }

    pub fn string(&self, e: &Entry, key: &str) -> Result<String> {
        match e.value {
            DeValue::String(s) => Ok(s.to_string()),
            _ => Err(self.wrong_type(e, key, "a string")),
        }
    }

    /// A finite number; TOML integers are accepted as numbers.
    pub fn number(&self, e: &Entry, key: &str) -> Result<f64> {
        let parsed = match e.value {
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|v| v as f64),
            _ => return Err(self.wrong_type(e, key, "a number")),
        };
        match parsed {
            Some(v) if v.is_finite() => Ok(v),
            _ => Err(self.invalid(
                e.value_at,
                key,
                format!("`{}` is not a finite number", self.source_text(e)),
            )),
        }
    }

    /// The elements of an array value, as entries at the array's key.
    pub fn array<'t, 'i>(&self, e: &Entry<'t, 'i>, key: &str) -> Result<Vec<Entry<'t, 'i>>> {
        match e.value {
            DeValue::Array(items) => Ok(items
                .iter()
                .map(|item| Entry {
                    key: "",
                    value: item.get_ref(),
                    key_at: e.key_at,
                    value_at: item.span().start,
                })
                .collect()),
            _ => Err(self.wrong_type(e, key, "an array")),
        }
    }

    /// The value as written in the file (for messages about numbers such as `nan` or `1e400`).
    fn source_text(&self, e: &Entry) -> String {
        let rest = self.text.get(e.value_at..).unwrap_or("");
        rest.split(|c: char| c == ',' || c == '}' || c == ']' || c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_string()
    }
}

/// Errors are one line: control characters from keys or strings in the file are escaped.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A table's entries in file order (the parser's map is sorted by key, not by position).
pub(crate) fn entries<'t, 'i>(table: &'t DeTable<'i>) -> Vec<Entry<'t, 'i>> {
    let mut out: Vec<Entry> = table
        .iter()
        .map(|(k, v)| Entry {
            key: k.get_ref(),
            value: v.get_ref(),
            key_at: k.span().start,
            value_at: v.span().start,
        })
        .collect();
    out.sort_by_key(|e| e.key_at);
    out
}

/// Names of dyads, patrons and scenarios become path segments, so they may not contain dots.
pub(crate) fn check_name(doc: &Doc, e: &Entry, key: &str, name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(doc.invalid(
            e.key_at,
            key,
            format!("name `{name}` may only use letters, digits, `_` and `-`"),
        ))
    }
}
