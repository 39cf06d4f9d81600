//! Rewrites a weights file in half precision (the page's size budget for a second model is
//! 4 MB): `cargo run --example half_weights -- in.ninw out.ninw`. The card of a model trained
//! with examples/train_model.rs records the test accuracy of the half-precision weights
//! (`half_precision_check`), measured where it was trained.

use burn::prelude::Device;
use futures_lite::future::block_on;
use nin_companion::training::record;

fn main() {
    let mut args = std::env::args().skip(1);
    let (input, output) = (args.next().expect("in.ninw"), args.next().expect("out.ninw"));
    let bytes = std::fs::read(&input).unwrap_or_else(|e| panic!("{input}: {e}"));
    let (model, meta) = record::from_file(&bytes, &Device::flex()).expect("a weights file");
    let half = block_on(record::to_bytes_half(&model, &meta.config)).expect("half record");
    let file = record::to_file(&meta, &half);
    // The half-precision file loads back into the same architecture.
    record::from_file(&file, &Device::flex()).expect("the half-precision file loads");
    std::fs::write(&output, &file).unwrap_or_else(|e| panic!("{output}: {e}"));
    println!("{input} ({} bytes) -> {output} ({} bytes, f16)", bytes.len(), file.len());
}
