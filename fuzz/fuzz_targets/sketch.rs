//! A picture for "try it yourself": any size, any pixels (an uploaded photo is drawn to a
//! canvas and read back as RGBA; a drawing is the sketch canvas).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let width = u16::from_le_bytes([data[0], data[1]]) as usize % 600;
    let height = u16::from_le_bytes([data[2], data[3]]) as usize % 600;
    if let Ok(p) = nin_companion::data::sketch::to_input(&data[4..], width, height) {
        assert_eq!(p.as_dataset().len(), 1);
    }
});
