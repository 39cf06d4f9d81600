//! Trains the NiN the site ships (`models/`): the book's NiN on the full Fashion-MNIST training
//! set (55,000 images; 5,000 held out for validation, drawn as the page draws them) at 96 px on
//! Burn's CPU backend (native, SIMD + rayon), then scores all 10,000 test images.
//!
//! `cargo run --profile train --example train_model -- [out dir, default models] [key=value ...]`
//! Keys: epochs (5), batch (64), size (96), lr (0.001), seed (1), evals (2 per epoch),
//! train (55000), val (5000), optimizer (adam | sgd | momentum), device (flex | wgpu: Burn's wgpu backend,
//! with `--features native-wgpu`), init (a .ninw file to fine-tune from, e.g. the 96 px model
//! at 224 px), max_secs (stop training after this many seconds; the step decay then follows
//! the time spent).
//!
//! The recipe, chosen by measurement (README "The trained model"): Adam at lr, then a step
//! decay (lr / 3 for the second-to-last epoch, lr / 10 for the last), where the book trains
//! SGD at 0.05 for 10 epochs at 224 px, which a 2-core machine cannot afford (~8 images/s at
//! 224 px against ~75 at 96).
//!
//! Writes `<out>/nin-book-<size>px.ninw` (the page's weights file: a header and a Burn record,
//! in half precision when that changes no test prediction's class, else f32),
//! `<out>/nin-book-<size>px.card.json` (settings, recipe, seed, images seen, wall time,
//! machine, curves' end points, validation and test accuracy, per class) and
//! `<out>/nin-book-<size>px.curves.csv`, and logs every chunk and validation to stdout.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use burn::prelude::Device;
use futures_lite::future::block_on;
use nin_companion::data::shards::{self, Set};
use nin_companion::model::NinConfig;
use nin_companion::training::metrics::TestReport;
use nin_companion::training::{self, OptimizerKind, TrainSettings, Trainer, record, session};

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    format!("{cpu}, {threads} threads, {} {}", std::env::consts::OS, std::env::consts::ARCH)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "models".into()));
    let mut s = TrainSettings {
        optimizer: OptimizerKind::Adam,
        learning_rate: 0.001,
        batch_size: 64,
        image_size: 96,
        epochs: 5,
        train_images: 55_000,
        val_images: 5_000,
        test_images: 10_000,
        evals_per_epoch: 2,
        seed: 1,
    };
    let (mut device_name, mut init, mut max_secs): (String, Option<PathBuf>, Option<f64>) = ("flex".into(), None, None);
    for arg in args {
        let (k, v) = arg.split_once('=').unwrap_or_else(|| panic!("expected key=value, got {arg}"));
        match k {
            "epochs" => s.epochs = v.parse().unwrap(),
            "batch" => s.batch_size = v.parse().unwrap(),
            "size" => s.image_size = v.parse().unwrap(),
            "lr" => s.learning_rate = v.parse().unwrap(),
            "seed" => s.seed = v.parse().unwrap(),
            "evals" => s.evals_per_epoch = v.parse().unwrap(),
            "train" => s.train_images = v.parse().unwrap(),
            "val" => s.val_images = v.parse().unwrap(),
            "optimizer" => {
                s.optimizer = match v {
                    "adam" => OptimizerKind::Adam,
                    "sgd" => OptimizerKind::Sgd,
                    "momentum" => OptimizerKind::Momentum,
                    _ => panic!("optimizer: adam, sgd or momentum"),
                }
            }
            "device" => device_name = v.to_string(),
            "init" => init = Some(PathBuf::from(v)),
            "max_secs" => max_secs = Some(v.parse().unwrap()),
            _ => panic!("unknown key {k}"),
        }
    }
    let base_lr = s.learning_rate;
    let dir = std::env::var("NIN_SHARDS_DIR").unwrap_or_else(|_| "www/data/fashion-mnist".into());
    let dir = std::path::Path::new(&dir);
    let train = shards::read_dir(dir, Set::Train, s.train_images + s.val_images).unwrap_or_else(|e| panic!("{}: {e} (run scripts/setup.sh)", dir.display()));
    let test = shards::read_dir(dir, Set::Test, s.test_images).expect("test shards");
    let config = NinConfig::book();
    let device = match device_name.as_str() {
        "flex" => Device::flex(),
        #[cfg(feature = "native-wgpu")]
        "wgpu" => Device::wgpu(burn::tensor::DeviceKind::DefaultDevice),
        other => panic!("device {other}: flex, or wgpu with --features native-wgpu"),
    };
    let started = Instant::now();
    let mut trainer = Trainer::new(&config, &s, &train, &device).expect("trainer");
    if let Some(path) = &init {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (meta, record) = record::parse_file(&bytes).expect("a weights file");
        assert_eq!(meta.config, config, "init: the weights are for another architecture");
        trainer.start_from(record.to_vec()).expect("init weights load");
        println!("starting from {} (trained at {} px)", path.display(), meta.image_size);
    }
    let steps_per_epoch = s.steps_per_epoch();
    println!("training {s:?} on {}", machine());
    let out_of_time = |t: &Instant| max_secs.is_some_and(|m| t.elapsed().as_secs_f64() >= m);
    while !trainer.finished() && !out_of_time(&started) {
        // The step decay: full lr, then lr / 3 in the second-to-last epoch, lr / 10 in the last;
        // under max_secs by the time spent: lr / 3 after 60 % of it, lr / 10 after 85 %.
        let epoch = trainer.step() / steps_per_epoch;
        trainer.settings.learning_rate = match (max_secs, s.epochs.saturating_sub(epoch)) {
            (Some(m), _) => match started.elapsed().as_secs_f64() / m {
                f if f >= 0.85 => base_lr / 10.0,
                f if f >= 0.6 => base_lr / 3.0,
                _ => base_lr,
            },
            (None, 1) => base_lr / 10.0,
            (None, 2) => base_lr / 3.0,
            _ => base_lr,
        };
        let r = block_on(trainer.train_chunk(&train, 20)).expect("chunk");
        println!(
            "step {:6}/{} epoch {:.3} lr {:.5} train_loss {:.4} train_acc {:.3} {:.1} images/s",
            r.point.step,
            trainer.total_steps(),
            r.point.epoch,
            trainer.settings.learning_rate,
            r.point.loss,
            r.point.accuracy,
            (r.point.step * s.batch_size) as f64 / started.elapsed().as_secs_f64()
        );
        if trainer.eval_due() {
            let val = trainer.split().val.clone();
            let (m, _) = block_on(session::evaluate(&trainer.eval_model(), &train, &val, &s, &trainer.eval_device(), &|_| async {})).expect("validation");
            trainer.push_validation(m.clone());
            println!("VAL step {} epoch {:.2} loss {:.4} acc {:.4}", trainer.step(), trainer.epoch(), m.loss, m.accuracy);
        }
        std::io::stdout().flush().ok();
    }
    if trainer.history.val.last().is_none_or(|v| v.step != trainer.step()) && s.val_images > 0 {
        let val = trainer.split().val.clone();
        let (m, _) = block_on(session::evaluate(&trainer.eval_model(), &train, &val, &s, &trainer.eval_device(), &|_| async {})).expect("validation");
        trainer.push_validation(m.clone());
        println!("VAL step {} epoch {:.2} loss {:.4} acc {:.4}", trainer.step(), trainer.epoch(), m.loss, m.accuracy);
    }
    let train_secs = started.elapsed().as_secs_f64();
    let model = trainer.eval_model();
    let score = |m: &nin_companion::model::Nin| -> TestReport { block_on(session::test(m, &test, &s, &device, |_| (), |_| async {})).expect("test").0 };
    let report = score(&model);
    println!("TEST accuracy {:.4} on {} images", report.metrics.accuracy, s.test_images);

    // Half precision if it changes no test prediction's class (and so no accuracy).
    let f32_bytes = block_on(record::to_bytes(&model, &config)).expect("record");
    let f16_bytes = block_on(record::to_bytes_half(&model, &config)).expect("half record");
    let half = record::from_bytes(f16_bytes.clone(), &config, &device).expect("half record loads");
    let half_report = score(&half);
    let same = half_report.confusion == report.confusion && half_report.wrong == report.wrong;
    println!("half precision: accuracy {:.4}, same predictions: {same}", half_report.metrics.accuracy);
    let (payload, precision) = if same { (f16_bytes, "f16") } else { (f32_bytes, "f32") };
    let name = format!("nin-book-{}px", s.image_size);
    let meta = record::WeightsMeta { variant: "book".into(), config: config.clone(), image_size: s.image_size };
    std::fs::create_dir_all(&out).expect("out dir");
    let weights = record::to_file(&meta, &payload);
    std::fs::write(out.join(format!("{name}.ninw")), &weights).expect("write weights");
    std::fs::write(out.join(format!("{name}.curves.csv")), trainer.history.to_csv()).expect("write curves");
    let optimizer_words = match s.optimizer {
        OptimizerKind::Adam => "Adam (betas 0.9/0.999, eps 1e-8)",
        OptimizerKind::Sgd => "SGD",
        OptimizerKind::Momentum => "SGD with momentum 0.9",
    };
    let last_val = trainer.history.val.last().map(|v| v.metrics.clone());
    let card = serde_json::json!({
        "model": "the book's NiN (d2l), 1,992,166 parameters",
        "variant": "book",
        "command": format!("cargo run --profile train --example train_model -- {}", std::env::args().skip(1).collect::<Vec<_>>().join(" ")),
        "settings": s,
        "recipe": if let Some(m) = max_secs { format!("{optimizer_words}, lr {base_lr}, lr / 3 after 60 % and lr / 10 after 85 % of a {m} s budget; batch {}; images resized to {} px bilinear on the device; dropout 0.5", s.batch_size, s.image_size) } else { format!("{optimizer_words}, lr {base_lr} for epochs 1-{}, {} in epoch {}, {} in epoch {}; batch {}; images resized to {} px bilinear on the device; dropout 0.5; Xavier-uniform weights, PyTorch's default biases", s.epochs.saturating_sub(2), base_lr / 3.0, s.epochs - 1, base_lr / 10.0, s.epochs, s.batch_size, s.image_size) },
        "differs_from_the_book": format!("the book: SGD lr 0.05, batch 128, 224 px, 10 epochs on all 60,000 training images, validated on the test set. Here: {optimizer_words} with a step decay, batch {}, {} px, {}held-out validation of {} training images, the test set used once at the end.", s.batch_size, s.image_size, if init.is_some() { "fine-tuned from the weights named in fine_tuned_from, " } else { "" }, s.val_images),
        "seed": s.seed,
        "images_seen": trainer.step() * s.batch_size,
        "wall_time_s": train_secs.round(),
        "machine": machine(),
        "backend": if device_name == "wgpu" { "Burn 0.22.1 wgpu backend, native (Vulkan)".to_string() } else { "Burn 0.22.1 CPU backend (flex, SIMD + rayon), native".to_string() },
        "gpu": std::env::var("NIN_GPU_NAME").ok(),
        "fine_tuned_from": init.as_ref().map(|p| p.display().to_string()),
        "stopped_by_time": max_secs.map(|m| train_secs >= m && !trainer.finished()),
        "validation": last_val.map(|m| serde_json::json!({ "images": m.images, "loss": m.loss, "accuracy": m.accuracy })),
        "test": { "images": s.test_images, "accuracy": report.metrics.accuracy, "loss": report.metrics.loss, "per_class_accuracy": report.per_class },
        "precision": precision,
        "half_precision_check": { "accuracy": half_report.metrics.accuracy, "same_predictions": same },
        "weights_file": format!("{name}.ninw"),
        "weights_bytes": weights.len(),
        "history": trainer.history,
    });
    std::fs::write(out.join(format!("{name}.card.json")), serde_json::to_string_pretty(&card).unwrap()).expect("write card");
    println!("wrote {}: {} bytes ({precision}); {:.0} s", out.join(format!("{name}.ninw")).display(), weights.len(), train_secs);
    let _ = training::History::default();
}
