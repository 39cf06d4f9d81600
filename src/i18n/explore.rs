//! The two explorables' texts (issue 27), the 1x1 convolution and global average pooling, and
//! the notebook's "Run all" report and "last ran" lines. The
//! fixed strings are a table each language fills (`en/explore.rs`, `ja/explore.rs`); the
//! sentences written from values are functions there too, chosen here by language.

use super::Lang;
use super::{en, ja};
use crate::engine::explore::ExploreError;

/// Fixed strings of the two explorables.
#[derive(Debug)]
pub struct ExploreUi {
    pub label: &'static str,
    pub title_1x1: &'static str,
    pub question_1x1: &'static str,
    pub need_model: &'static str,
    pub layer: &'static str,
    pub another_image: &'static str,
    pub use_drawing: &'static str,
    pub use_drawing_hint: &'static str,
    pub sweep: &'static str,
    pub stop: &'static str,
    pub maps_in: &'static str,
    pub maps_out: &'static str,
    pub vector_in: &'static str,
    pub weights: &'static str,
    pub bias: &'static str,
    pub vector_out: &'static str,
    pub output_channel: &'static str,
    pub keys_1x1: &'static str,
    pub computing: &'static str,
    pub title_gap: &'static str,
    pub question_gap: &'static str,
    pub input: &'static str,
    pub restore: &'static str,
    pub class_maps: &'static str,
    pub mean: &'static str,
    pub scores: &'static str,
    pub probabilities: &'static str,
    pub keys_gap: &'static str,
    pub model_224: &'static str,
    // "Run all" and "last ran" (the notebook's habits).
    pub run_all_running: &'static str,
    pub run_all_ran: &'static str,
    pub run_all_skipped: &'static str,
    pub last_ran: &'static str,
    pub cell_explore_1x1: &'static str,
    pub cell_shape: &'static str,
    pub cell_gap: &'static str,
    pub cell_code: &'static str,
    pub cell_training: &'static str,
    pub cell_try: &'static str,
    pub skip_model: &'static str,
    pub skip_download: &'static str,
    pub skip_training: &'static str,
}

impl Lang {
    pub fn explore(self) -> &'static ExploreUi {
        match self {
            Lang::En => &en::explore::EXPLORE,
            Lang::Ja => &ja::explore::EXPLORE,
        }
    }
}

/// The layer picker's entry: "Block 2, second 1x1 (256 -> 256 channels)".
pub fn layer_option(lang: Lang, block: usize, conv: usize, c_in: usize, c_out: usize) -> String {
    match lang {
        Lang::En => en::explore::layer_option(block, conv, c_in, c_out),
        Lang::Ja => ja::explore::layer_option(block, conv, c_in, c_out),
    }
}

/// Where the pixel is: "pixel (row 3, column 12) of 22 x 22".
pub fn at_pixel(lang: Lang, y: usize, x: usize, height: usize, width: usize) -> String {
    match lang {
        Lang::En => en::explore::at_pixel(y, x, height, width),
        Lang::Ja => ja::explore::at_pixel(y, x, height, width),
    }
}

/// The arithmetic for output channel `o` at the pixel, and what the model's own map holds.
pub fn equation(lang: Lang, o: usize, sum: f32, bias: f32, out: f32, model: f32) -> String {
    match lang {
        Lang::En => en::explore::equation(o, sum, bias, out, model),
        Lang::Ja => ja::explore::equation(o, sum, bias, out, model),
    }
}

/// The largest terms `W[o, i] * x[i]` of that sum: (input channel, weight, value).
pub fn largest_terms(lang: Lang, terms: &[(usize, f32, f32)]) -> String {
    match lang {
        Lang::En => en::explore::largest_terms(terms),
        Lang::Ja => ja::explore::largest_terms(terms),
    }
}

/// "Swept 120 of 484 pixels".
pub fn swept(lang: Lang, done: usize, total: usize) -> String {
    match lang {
        Lang::En => en::explore::swept(done, total),
        Lang::Ja => ja::explore::swept(done, total),
    }
}

/// The GAP figure's download button: "Load the 224 px model (3.8 MB)".
pub fn load_model(lang: Lang, bytes: u64) -> String {
    match lang {
        Lang::En => en::explore::load_model(bytes),
        Lang::Ja => ja::explore::load_model(bytes),
    }
}

/// How the 224 px model was trained and how well it does, from its card.
pub fn card_line(lang: Lang, accuracy: f64, images: u64) -> String {
    match lang {
        Lang::En => en::explore::card_line(accuracy, images),
        Lang::Ja => ja::explore::card_line(accuracy, images),
    }
}

/// The prediction: "The model says: Ankle boot (class 9), 97.1 %".
pub fn prediction(lang: Lang, class: usize, name: &str, prob: f32) -> String {
    match lang {
        Lang::En => en::explore::prediction(class, name, prob),
        Lang::Ja => ja::explore::prediction(class, name, prob),
    }
}

/// Why an explorable cannot show the model it was given.
pub fn error(lang: Lang, e: &ExploreError) -> String {
    match e {
        ExploreError::Compute(e) => super::train::train_error(lang, e),
        other => match lang {
            Lang::En => en::explore::error(other),
            Lang::Ja => ja::explore::error(other),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::inspect::PointwiseAt;

    #[test]
    fn both_tables_are_complete_and_differ() {
        crate::i18n::assert_translated(&en::explore::EXPLORE, &ja::explore::EXPLORE);
    }

    #[test]
    fn every_sentence_differs_between_the_languages_and_carries_its_numbers() {
        for lang in [Lang::En, Lang::Ja] {
            assert!(layer_option(lang, 1, 2, 256, 256).contains("256"));
            assert!(at_pixel(lang, 2, 11, 22, 22).contains("12"), "columns count from 1");
            let eq = equation(lang, 4, 1.25, -0.5, 0.75, 0.7500001);
            assert!(eq.contains("1.25") && eq.contains("0.75") && eq.contains('5'), "{eq}");
            assert!(swept(lang, 120, 484).contains("484"));
            assert!(load_model(lang, 3_988_076).contains("3.80 MiB"), "{}", load_model(lang, 3_988_076));
            assert!(prediction(lang, 9, "x", 0.971).contains("97.1"));
            assert!(card_line(lang, 0.8507, 60_000).contains("85.1"));
        }
        assert_ne!(equation(Lang::En, 0, 1.0, 1.0, 2.0, 2.0), equation(Lang::Ja, 0, 1.0, 1.0, 2.0, 2.0));
        let e = ExploreError::NoPointwise(PointwiseAt { block: 0, conv: 1 });
        assert_ne!(error(Lang::En, &e), error(Lang::Ja, &e));
        assert_ne!(error(Lang::En, &ExploreError::NoGlobalPooling), error(Lang::Ja, &ExploreError::NoGlobalPooling));
    }
}
