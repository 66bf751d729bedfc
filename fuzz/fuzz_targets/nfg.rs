//! Any bytes given to the `.nfg` reader must give a game or an error: no panic, no hang, no
//! allocation beyond the documented limits. A game that parses is written back out too,
//! since the writer walks everything the parser accepted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use patron::io::{parse_nfg, write_nfg, NfgVersion};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(game) = parse_nfg(&text, "fuzz.nfg") {
        let _ = write_nfg(&game, NfgVersion::Payoff);
    }
});
