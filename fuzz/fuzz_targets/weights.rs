//! An uploaded weights file: the header (`record::parse_file`), then Burn's record parser and
//! loading into the model the header describes (here always the book's NiN, built once: building
//! it per input would make each run take ~50 ms).
#![no_main]
use std::sync::OnceLock;

use burn::prelude::Device;
use libfuzzer_sys::fuzz_target;
use nin_companion::model::{Nin, NinConfig};
use nin_companion::training::record;

fn book() -> &'static Nin {
    static MODEL: OnceLock<Nin> = OnceLock::new();
    MODEL.get_or_init(|| NinConfig::book().init(&Device::flex()).expect("the book's NiN builds"))
}

fuzz_target!(|data: &[u8]| {
    // The header, and the model it describes, are checked before anything is built.
    if let Ok((meta, rest)) = record::parse_file(data) {
        let _ = (meta, rest.len());
    }
    // Burn's own record parser on the bytes after a header (what a file carries).
    let _ = record::load_into(book().clone(), data.to_vec());
});
