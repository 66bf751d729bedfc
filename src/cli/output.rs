//! Output formats shared by every command: a table for people, JSON and CSV for programs.

use std::fmt::Write as _;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for a person.
    Table,
    /// One JSON object (schema in docs/output.md).
    Json,
    /// Comma-separated rows with a header (schema in docs/output.md).
    Csv,
}

/// Print a line of output; a closed pipe (`patron ... | head`) ends the output quietly
/// instead of panicking as `println!` would.
pub fn write_stdout(text: &str) -> crate::Result<()> {
    use std::io::Write;
    match writeln!(std::io::stdout().lock(), "{text}") {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(crate::Error::io("<stdout>", e))
        }
        _ => Ok(()),
    }
}

/// Left-aligned text table with a header row and a rule under it.
pub fn text_table(header: &[String], rows: &[Vec<String>]) -> String {
    let cols = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (c, cell) in row.iter().enumerate().take(cols) {
            widths[c] = widths[c].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &[String]| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(c, s)| format!("{s:<w$}", w = widths[c]))
            .collect();
        let _ = writeln!(out, "{}", parts.join("  ").trim_end());
    };
    line(&mut out, header);
    let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
    line(&mut out, &rule);
    for row in rows {
        line(&mut out, row);
    }
    out
}

/// CSV text from a header and rows, quoted as needed (the csv crate's rules).
pub fn csv_text(header: &[String], rows: &[Vec<String>]) -> crate::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let to_err = |e: csv::Error| crate::Error::Solver(format!("csv output: {e}"));
    w.write_record(header).map_err(to_err)?;
    for row in rows {
        w.write_record(row).map_err(to_err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| crate::Error::Solver(format!("csv output: {e}")))?;
    String::from_utf8(bytes).map_err(|e| crate::Error::Solver(format!("csv output: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_columns() {
        let t = text_table(
            &["a".into(), "bbb".into()],
            &[vec!["xyz".into(), "1".into()]],
        );
        assert_eq!(t, "a    bbb\n---  ---\nxyz  1\n");
    }

    #[test]
    fn csv_quotes_commas() {
        let t = csv_text(&["x".into()], &[vec!["1,2".into()]]).unwrap();
        assert_eq!(t, "x\n\"1,2\"\n");
    }
}
