//! Bad truce data gets `file:line: key: message` errors, and every date in the bundled data
//! carries a cite.

use patron::calibrate::parse_truces;
use patron::model::{load_model, ModelSpec};
use std::path::Path;

const DATA: &str = "models/truces-2023-2025.toml";

fn spec() -> ModelSpec {
    load_model(Path::new("models/gaza-2024.toml")).unwrap()
}

fn bundled_text() -> String {
    std::fs::read_to_string(DATA).unwrap()
}

/// The 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the text"));
    text[..at].matches('\n').count() + 1
}

/// Replace `from` (once) and expect an error naming `file:line` of `at` and containing `what`
/// (errors about a whole truce point at its `[[truce]]` line).
fn refused(from: &str, to: &str, at: &str, what: &str) {
    let text = bundled_text().replacen(from, to, 1);
    assert_ne!(text, bundled_text(), "`{from}` is not in the data");
    let err = parse_truces(&text, "t.toml", &spec())
        .unwrap_err()
        .to_string();
    let line = line_of(&text, at);
    assert!(
        err.starts_with(&format!("t.toml:{line}:")),
        "expected line {line}: {err}"
    );
    assert!(err.contains(what), "expected `{what}`: {err}");
}

#[test]
fn the_bundled_data_are_accepted() {
    let data = parse_truces(&bundled_text(), DATA, &spec()).unwrap();
    assert_eq!(data.truces.len(), 5);
}

#[test]
fn unknown_dyads_and_scenarios_are_refused_at_their_line() {
    refused(
        "dyads = [\"us_israel\"]",
        "dyads = [\"us_houthis\"]",
        "dyads = [\"us_houthis\"]",
        "unknown dyad `us_houthis`",
    );
    refused(
        "scenario = \"ceasefire\"",
        "scenario = \"truce\"",
        "scenario = \"truce\"",
        "unknown scenario `truce`",
    );
}

#[test]
fn a_truce_with_no_dyads_is_refused() {
    refused(
        "dyads = [\"us_israel\"]",
        "dyads = []",
        "dyads = []",
        "no dyads",
    );
}

#[test]
fn a_break_before_the_start_is_refused() {
    refused(
        "broke = 2023-12-01",
        "broke = 2023-11-20",
        "broke = 2023-11-20",
        "before the start 2023-11-24",
    );
}

#[test]
fn contradictory_and_overlapping_outcomes_are_refused() {
    // Both outcomes for one truce.
    refused(
        "broke = 2023-12-01\n",
        "broke = 2023-12-01\nheld_through = 2023-12-20\n",
        "held_through = 2023-12-20",
        "contradictory outcome",
    );
    // The January 2025 Gaza ceasefire said to start before the November 2023 truce broke.
    refused(
        "start = 2025-01-19",
        "start = 2023-11-26",
        "[[truce]]\nid = \"gaza-2025-01\"",
        "overlaps truce `gaza-2023-11`",
    );
    // The same id twice.
    refused(
        "id = \"gaza-2025-10\"",
        "id = \"gaza-2025-01\"",
        "[[truce]]\nid = \"gaza-2025-01\"\nname = \"Gaza ceasefire of October 2025",
        "used twice",
    );
}

#[test]
fn dates_need_cites_and_judgements_need_reasons() {
    refused(
        "start_source = \"cite: Deutsche Welle",
        "start_source = \"assumption: Deutsche Welle",
        "start_source = \"assumption: Deutsche Welle",
        "a date needs \"cite:",
    );
    refused(
        "outcome_source = \"assumption: held despite violations",
        "outcome_source = \"assumption\" #",
        "outcome_source = \"assumption\" #",
        "a sentence why",
    );
}

#[test]
fn every_date_in_the_bundled_data_carries_a_cite() {
    let text = bundled_text();
    let date_keys = ["start", "broke", "held_through"];
    let mut dates = 0;
    for line in text.lines() {
        let Some((key, _)) = line.split_once(" = ") else {
            continue;
        };
        if date_keys.contains(&key) {
            dates += 1;
        }
    }
    let cites = text
        .lines()
        .filter(|l| {
            date_keys
                .iter()
                .any(|k| l.starts_with(&format!("{k}_source = \"cite: ")))
        })
        .count();
    assert_eq!(dates, 10, "five starts and five outcomes");
    assert_eq!(cites, dates);
}
