//! Any bytes given to the TOML model-file reader must give a model or an error: no panic, no
//! hang. A file that parses is also instantiated with its default scenario, which applies
//! the scenario overrides and re-checks every constraint.
#![no_main]

use libfuzzer_sys::fuzz_target;
use patron::model::file::parse_model;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(spec) = parse_model(&text, "fuzz.toml") {
        let _ = spec.instantiate(None, &[]);
    }
});
