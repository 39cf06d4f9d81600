//! The trained NiN the site ships (`models/`, written by `examples/train_model.rs`): its weights
//! file loads into the book's NiN at the card's image size, it is small enough to ship, and it
//! scores the card's test accuracy on all 10,000 test images (read from the site's shards;
//! skipped with a message when `scripts/setup.sh` has not made them).

use std::path::Path;

use burn::prelude::Device;
use futures_lite::future::block_on;
use nin_companion::data::shards::{self, Set};
use nin_companion::model::NinConfig;
use nin_companion::training::card::{MODEL_DIR, MODEL_NAME, ModelCard};
use nin_companion::training::{record, session};

/// What the issue allows the shipped weights to weigh.
const MAX_WEIGHTS_BYTES: usize = 4 << 20;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn card() -> ModelCard {
    let path = root().join(MODEL_DIR).join(format!("{MODEL_NAME}.card.json"));
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ModelCard::parse(&json).expect("the card parses and its numbers are in range")
}

fn weights() -> Vec<u8> {
    let path = root().join(MODEL_DIR).join(format!("{MODEL_NAME}.ninw"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_card_describes_the_weights_file() {
    let card = card();
    let bytes = weights();
    assert_eq!(card.weights_bytes, bytes.len());
    assert!(bytes.len() <= MAX_WEIGHTS_BYTES, "{} bytes", bytes.len());
    let (meta, _) = record::parse_file(&bytes).expect("header");
    assert_eq!(meta.config, NinConfig::book());
    assert_eq!(meta.variant, "book");
    assert_eq!(meta.image_size, card.settings.image_size);
    assert_eq!(card.test.images, 10_000);
    assert!(card.test.accuracy >= 0.85, "the shipped model reached {}", card.test.accuracy);
    // Every epoch in full batches (55,000 images at batch 64: 859 steps, 54,976 images).
    assert_eq!(card.images_seen, card.settings.total_steps() * card.settings.batch_size);
    assert!(card.images_seen > (card.settings.train_images - card.settings.batch_size) * card.settings.epochs);
    assert!(!card.history.val.is_empty() && !card.history.train.is_empty());
}

#[test]
fn the_shipped_model_scores_its_cards_test_accuracy() {
    let dir = root().join("www/data/fashion-mnist");
    let test = match shards::read_dir(&dir, Set::Test, 10_000) {
        Ok(test) => test,
        Err(e) => {
            eprintln!("skipped: no test shards in {} ({e}); scripts/setup.sh makes them", dir.display());
            return;
        }
    };
    let card = card();
    let device = Device::flex();
    let (model, meta) = record::from_file(&weights(), &device).expect("the weights load");
    let mut settings = card.settings.clone();
    settings.image_size = meta.image_size;
    settings.test_images = 10_000;
    let (report, _) = block_on(session::test(&model, &test, &settings, &device, |_| (), |_| async {})).expect("test");
    assert_eq!(report.metrics.images, 10_000);
    // The card's figure came from the same weights (f16 is shipped only when it changes no
    // prediction), so they agree to the image; the tolerance is the card's rounding.
    assert!((report.metrics.accuracy - card.test.accuracy).abs() < 0.5e-4, "measured {} vs card {}", report.metrics.accuracy, card.test.accuracy);
}

#[test]
fn the_training_section_quotes_the_card() {
    // The paragraph that explains the gap between the book's run, ours and a short run in the
    // page quotes the card's figures in both languages; retraining must update it.
    use nin_companion::content::chapter::{EN, JA};
    let card = card();
    let acc = format!("{:.1} %", card.test.accuracy * 100.0);
    let seen = nin_companion::format::grouped(card.images_seen as u64);
    let minutes = (card.wall_time_s / 60.0).round() as u64;
    for (lang, chapter, time) in [("en", EN, format!("{minutes} minutes")), ("ja", JA, format!("{minutes} 分"))] {
        let training = chapter.sections.iter().find(|s| s.id == "training").expect("a training section");
        let gap = training.after_cells.iter().find(|p| p.contains("86.7 %")).unwrap_or_else(|| panic!("{lang}: no paragraph with the book's 86.7 %"));
        for needle in [&acc, &seen, &time, &format!("{}", card.settings.epochs)] {
            assert!(gap.contains(needle.as_str()), "{lang}: the paragraph lacks {needle:?}");
        }
    }
}

/// The 224 px model (models/nin-book-224px.*, for the global-average-pooling figure): its card
/// describes its file, the file fits the 4 MB budget, and it classifies real test images at
/// 224 px (the first 64 of the test set; the card's 85 % is over all 10,000, measured where it
/// was trained).
#[test]
fn the_224_px_model_loads_and_classifies_at_224() {
    let path = root().join(MODEL_DIR).join("nin-book-224px.ninw");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(bytes.len() <= 4_000_000, "{} bytes", bytes.len());
    let json = std::fs::read_to_string(root().join(MODEL_DIR).join("nin-book-224px.card.json")).expect("card");
    let card: serde_json::Value = serde_json::from_str(&json).expect("card json");
    assert_eq!(card["weights_bytes"].as_u64(), Some(bytes.len() as u64));
    assert_eq!(card["precision"], "f16");
    assert!(card["test"]["accuracy"].as_f64().unwrap() >= 0.85);
    let device = Device::flex();
    let (model, meta) = record::from_file(&bytes, &device).expect("the weights load");
    assert_eq!((meta.config, meta.image_size), (NinConfig::book(), 224));
    let dir = root().join("www/data/fashion-mnist");
    let test = match shards::read_dir(&dir, Set::Test, 2_500) {
        Ok(test) => test,
        Err(e) => {
            eprintln!("skipped the scoring: no test shards in {} ({e})", dir.display());
            return;
        }
    };
    let settings = nin_companion::training::TrainSettings { image_size: 224, test_images: 64, batch_size: 32, ..Default::default() };
    let (report, _) = block_on(session::test(&model, &test, &settings, &device, |_| (), |_| async {})).expect("test");
    assert_eq!(report.metrics.images, 64);
    assert!(report.metrics.accuracy >= 0.75, "{} on the first 64 test images at 224 px", report.metrics.accuracy);
}
