//! Native training experiment on the CPU backend, used to choose the short presets and to
//! measure training speed: `cargo run --release --example train -- [key=value ...]`.
//! Keys: opt (sgd|momentum|adam), lr, batch, size, epochs, train, val, evals, seed, and
//! workers (replicas of a data-parallel run, as the page's CPU workers; here in this thread).
//! Prints one line per chunk and per validation point, then images/s.

use burn::prelude::Device;
use futures_lite::future::block_on;
use nin_companion::data::shards::{self, Set};
use nin_companion::model::NinConfig;
use nin_companion::training::in_process::InProcess;
use nin_companion::training::{self, OptimizerKind, Preset, Trainer};

fn main() {
    let mut s = Preset::ShortCpu.settings();
    let mut workers = 1usize;
    for arg in std::env::args().skip(1) {
        let (k, v) = arg.split_once('=').unwrap_or_else(|| panic!("expected key=value, got {arg}"));
        match k {
            "opt" => s.optimizer = OptimizerKind::from_id(v).expect("opt is sgd, momentum or adam"),
            "lr" => s.learning_rate = v.parse().unwrap(),
            "batch" => s.batch_size = v.parse().unwrap(),
            "size" => s.image_size = v.parse().unwrap(),
            "epochs" => s.epochs = v.parse().unwrap(),
            "train" => s.train_images = v.parse().unwrap(),
            "val" => s.val_images = v.parse().unwrap(),
            "evals" => s.evals_per_epoch = v.parse().unwrap(),
            "seed" => s.seed = v.parse().unwrap(),
            "workers" => workers = v.parse().unwrap(),
            _ => panic!("unknown key {k}"),
        }
    }
    // The shards the page would fetch for these settings (scripts/setup.sh writes them).
    let dir = std::env::var("NIN_SHARDS_DIR").unwrap_or_else(|_| "www/data/fashion-mnist".into());
    let data =
        shards::read_dir(std::path::Path::new(&dir), Set::Train, s.train_images + s.val_images).unwrap_or_else(|e| panic!("{dir}: {e} (run scripts/setup.sh)"));
    eprintln!("{s:?}");
    // Helpers first, as for the seed figures in the README: Burn's CPU random stream is global
    // in a process, so the order decides which draws each replica's dropout masks get.
    let helpers = (workers > 1).then(|| InProcess::new(&NinConfig::book(), &s, &data, &Device::flex(), workers - 1).expect("helpers"));
    let mut trainer = Trainer::new(&NinConfig::book(), &s, &data, &Device::flex()).expect("trainer");
    if let Some(helpers) = helpers {
        trainer = trainer.with_helpers(std::rc::Rc::new(helpers));
    }
    let start = std::time::Instant::now();
    let mut train_secs = 0.0;
    while !trainer.finished() {
        let t = std::time::Instant::now();
        let r = block_on(trainer.train_chunk(&data, 10)).expect("chunk");
        train_secs += t.elapsed().as_secs_f64();
        println!("step {:5} epoch {:.3} train_loss {:.4} train_acc {:.3}", r.point.step, r.point.epoch, r.point.loss, r.point.accuracy);
        if trainer.eval_due() {
            let (m, _) =
                block_on(training::session::evaluate(&trainer.eval_model(), &data, &trainer.split().val.clone(), &s, &trainer.eval_device(), &|_| async {}))
                    .expect("eval");
            trainer.push_validation(m.clone());
            println!(
                "VAL step {:5} loss {:.4} acc {:.3} dead {} spread {:.4} offset {:.4}",
                trainer.step(),
                m.loss,
                m.accuracy,
                m.dead_logits,
                m.logit_spread,
                m.logit_offset
            );
        }
    }
    let images = trainer.step() * s.batch_size;
    println!(
        "DONE {images} images in {:.1} s training ({:.1} images/s), {:.1} s in all",
        train_secs,
        images as f64 / train_secs,
        start.elapsed().as_secs_f64()
    );
}
