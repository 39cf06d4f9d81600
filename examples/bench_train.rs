//! Benchmark (not a test): native training speed on Burn's CPU backend (and, with
//! `--features native-wgpu`, on wgpu) and the data decode time.
//! `cargo run --release --example bench_train -- [out.json]`
//!
//! For batch 32 and 128 at 96 and 224 px it runs one warm-up step, then timed Adam steps until
//! at least `BENCH_SECS` seconds (default 20) have passed, and reports training images/s.
//! Prints JSON and writes it to the given path (default bench-results/train-native.json).
//! `BENCH_ONLY=32x96` runs only that batch x size (e.g. under `perf record`).
//! `BENCH_GPU_ONLY=1` skips the CPU; `BENCH_WGPU_ALL=1` runs all four settings on wgpu (a real
//! GPU; on lavapipe only 32x96 is affordable). Each run also reports its first step's time
//! (kernel compilation, and autotune's trials where it is built in).

use std::time::Instant;

use burn::prelude::Device;
use futures_lite::future::block_on;
use nin_companion::data::shards::{self, Set};
use nin_companion::model::NinConfig;
use nin_companion::training::{OptimizerKind, TrainSettings, Trainer};

/// Burn's wgpu backend on the default adapter, where the example is built with it.
fn wgpu_device() -> Option<(&'static str, Device)> {
    #[cfg(feature = "native-wgpu")]
    return Some(("burn wgpu, native (default adapter)", Device::wgpu(burn::tensor::DeviceKind::DefaultDevice)));
    #[cfg(not(feature = "native-wgpu"))]
    None
}

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| "bench-results/train-native.json".into());
    let budget: f64 = std::env::var("BENCH_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(20.0);
    // The site's shards (scripts/setup.sh writes them): read, checked and decoded as the page does.
    let dir = std::env::var("NIN_SHARDS_DIR").unwrap_or_else(|_| "www/data/fashion-mnist".into());
    let dir = std::path::Path::new(&dir);
    let t = Instant::now();
    // NIN_BENCH_TRAIN: how many training images to read (default all 60,000; a lent GPU machine
    // is sent a few shards only).
    let images: usize = std::env::var("NIN_BENCH_TRAIN").ok().and_then(|s| s.parse().ok()).unwrap_or(60_000);
    let data = shards::read_dir(dir, Set::Train, images).unwrap_or_else(|e| panic!("{}: {e} (run scripts/setup.sh)", dir.display()));
    let decode_train_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    shards::read_dir(dir, Set::Test, 10_000).expect("test shards");
    let decode_test_ms = t.elapsed().as_secs_f64() * 1e3;

    // Burn's CPU backend, and with `--features native-wgpu` its wgpu backend on whatever adapter
    // wgpu picks (Mesa lavapipe, a software Vulkan driver, on a machine without a GPU).
    let devices: Vec<(&str, Device)> = [("burn flex (CPU), native", Device::flex())].into_iter().chain(wgpu_device()).collect();
    let mut runs = Vec::new();
    let gpu_only = std::env::var("BENCH_GPU_ONLY").is_ok_and(|v| v == "1");
    let wgpu_all = std::env::var("BENCH_WGPU_ALL").is_ok_and(|v| v == "1");
    let variant = if cfg!(feature = "native-wgpu-tuned") { "autotune+fusion" } else { "plain (as the web build)" };
    for (i, (backend, device)) in devices.iter().enumerate() {
        if i == 0 && gpu_only {
            continue;
        }
        // On wgpu only the smallest setting: on a software Vulkan driver one step at 224 px takes
        // minutes (lavapipe: ~60 s per batch-32 step at 96 px).
        let configs: &[(usize, usize)] = if i == 0 || wgpu_all { &[(32, 96), (128, 96), (32, 224), (128, 224)] } else { &[(32, 96)] };
        let only = std::env::var("BENCH_ONLY").ok();
        for &(batch, size) in configs {
            if only.as_deref().is_some_and(|o| o != format!("{batch}x{size}")) {
                continue;
            }
            let settings = TrainSettings {
                optimizer: OptimizerKind::Adam,
                learning_rate: 0.001,
                batch_size: batch,
                image_size: size,
                epochs: 1,
                train_images: (images - 100) / batch * batch,
                val_images: 100,
                test_images: 0,
                evals_per_epoch: 1,
                seed: 1,
            };
            let mut trainer = Trainer::new(&NinConfig::book(), &settings, &data, device).expect("trainer");
            let first = Instant::now();
            block_on(trainer.train_chunk(&data, 1)).expect("warm-up step");
            let first_step_ms = first.elapsed().as_secs_f64() * 1e3;
            let (start, mut steps) = (Instant::now(), 0usize);
            while start.elapsed().as_secs_f64() < budget || steps < 2 {
                block_on(trainer.train_chunk(&data, 1)).expect("step");
                steps += 1;
            }
            let secs = start.elapsed().as_secs_f64();
            let images_per_s = (steps * batch) as f64 / secs;
            let variant = if i == 0 { "" } else { variant };
            eprintln!(
                "{backend} {variant}: batch {batch:3} at {size:3} px: first step {first_step_ms:.0} ms, {steps} steps in {secs:.1} s, {images_per_s:.1} images/s"
            );
            runs.push(format!(
            "    {{ \"backend\": \"{backend}\", \"variant\": \"{variant}\", \"batch\": {batch}, \"size\": {size}, \"first_step_ms\": {first_step_ms:.0}, \"steps\": {steps}, \"seconds\": {secs:.2}, \"images_per_s\": {images_per_s:.2} }}"
        ));
        }
    }
    let json = format!(
        "{{\n  \"optimizer\": \"adam\",\n  \"threads\": {},\n  \"decode_train_ms\": {decode_train_ms:.0},\n  \"decode_test_ms\": {decode_test_ms:.0},\n  \"training\": [\n{}\n  ]\n}}\n",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        runs.join(",\n")
    );
    print!("{json}");
    if let Some(parent) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(parent).ok();
    }
    std::fs::write(&out, json).expect("write the results");
}
