//! Inputs that fuzzing (docs/fuzzing.md) found to crash, hang or over-allocate a parser,
//! minimized and kept under tests/data/fuzz/: each must now give a clear error, quickly.
//! The expected messages are the documented refusals (docs/limits.md), not our own output.

use patron::io::parse_game;
use patron::model::parse_model;
use std::path::Path;
use std::time::{Duration, Instant};

/// Parse one committed crasher with the reader its extension names; the error text.
fn error_of(name: &str) -> String {
    let path = Path::new("tests/data/fuzz").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = String::from_utf8_lossy(&bytes);
    let start = Instant::now();
    let result = match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => parse_model(&text, name).map(|_| ()),
        _ => parse_game(&text, name).map(|_| ()),
    };
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{name} took {:?}",
        start.elapsed()
    );
    match result {
        Ok(()) => panic!("{name} was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn exponent_with_leading_zeros_is_refused_before_parsing() {
    // `2.0E000…0007173733806442603405`: the exponent check once ran after the exact parse,
    // which tried to allocate 10^7173733806442603405 (an abort, not an error).
    let e = error_of("nfg-huge-exponent-leading-zeros.nfg");
    assert!(e.contains("has an exponent beyond ±1000"), "{e}");
    assert!(
        e.starts_with("nfg-huge-exponent-leading-zeros.nfg:2:1:"),
        "{e}"
    );
}
