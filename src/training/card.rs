//! The model card of the NiN the site ships (`models/`): how it was trained and what it
//! reached, written by `examples/train_model.rs` beside the weights and shown by the page next
//! to the accuracy the page measures itself.

use serde::{Deserialize, Serialize};

use super::{History, TrainSettings};

/// Where the site serves the shipped model, relative to the page.
pub const MODEL_DIR: &str = "models";
/// The shipped model's files (without extension).
pub const MODEL_NAME: &str = "nin-book-96px";

/// What the card says about the test set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardTest {
    pub images: usize,
    pub accuracy: f64,
    pub loss: f64,
}

/// The card (the fields the page reads; the file has more for people: the recipe and how it
/// differs from the book in words, per-class accuracy, the half-precision check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    pub model: String,
    pub variant: String,
    pub command: String,
    pub settings: TrainSettings,
    pub seed: u64,
    pub images_seen: usize,
    pub wall_time_s: f64,
    pub machine: String,
    pub backend: String,
    pub test: CardTest,
    pub precision: String,
    pub weights_bytes: usize,
    /// The training curves (the run board draws them beside the student's runs).
    pub history: History,
}

impl ModelCard {
    /// Parses a card, checking what the page draws and prints (finite, in range).
    pub fn parse(json: &str) -> Option<ModelCard> {
        let card: ModelCard = serde_json::from_str(json).ok()?;
        let ok = card.test.accuracy.is_finite()
            && (0.0..=1.0).contains(&card.test.accuracy)
            && card.wall_time_s.is_finite()
            && card.wall_time_s >= 0.0
            && card.history.val.iter().all(|v| v.metrics.accuracy.is_finite() && v.epoch.is_finite());
        ok.then_some(card)
    }
}
