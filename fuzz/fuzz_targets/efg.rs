//! Any bytes given to the `.efg` reader must give a game tree or an error: no panic, no hang,
//! no allocation beyond the documented limits. A tree that parses is written back out too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use patron::io::{parse_efg, write_efg};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(game) = parse_efg(&text, "fuzz.efg") {
        let _ = write_efg(&game);
    }
});
