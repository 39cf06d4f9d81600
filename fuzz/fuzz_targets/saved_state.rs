//! What localStorage holds: the saved run board and the measured speeds (any text, from any
//! version of the page or from someone else's hands).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Some(runs) = nin_companion::training::board::parse(text, 24) {
            assert!(runs.len() <= 24);
            for r in &runs {
                assert!(r.name.chars().count() <= 60);
                // The board's chart is laid out from these: it must not panic.
                let _ = nin_companion::figure::curves::overlay(&[&r.history]);
            }
        }
        let _ = nin_companion::training::settings::parse_speeds(text);
    }
});
