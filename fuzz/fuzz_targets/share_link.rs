//! A share link's query string, as the page reads it from the address bar.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(query) = std::str::from_utf8(data) {
        let (state, ignored) = nin_companion::exercises::share::decode(query);
        // What is kept must encode again (the page writes links from it).
        let _ = (nin_companion::exercises::share::encode(&state), ignored.len());
    }
});
