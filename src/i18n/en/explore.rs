//! The explorables' texts in English: the fixed strings and the sentences from values.

use crate::engine::explore::ExploreError;
use crate::i18n::explore::ExploreUi;

pub static EXPLORE: ExploreUi = ExploreUi {
    label: "Explore",
    title_1x1: "A 1×1 convolution, pixel by pixel",
    question_1x1: "Is a 1×1 convolution really a fully connected layer at every pixel? Point at any pixel of the maps: the channel values there form a vector x, the layer multiplies it by its weight matrix W, adds its bias b and applies ReLU. The result is the vector of the layer's output maps at that same pixel. Sweep to watch the one small matrix build every output map.",
    need_model: "This figure looks inside a trained NiN. Load the trained model (or train one below) first.",
    layer: "Layer",
    another_image: "Another test image",
    use_drawing: "Use my picture",
    use_drawing_hint: "The picture last classified in “try it yourself” (your drawing or upload)",
    sweep: "Sweep over every pixel",
    stop: "Stop",
    maps_in: "Maps entering the layer",
    maps_out: "Maps the layer makes",
    vector_in: "x: the input channels at this pixel",
    weights: "W: one row per output channel, one column per input channel (blue negative, red positive)",
    bias: "b (bias)",
    vector_out: "y = ReLU(W x + b) (output)",
    output_channel: "Output channel",
    keys_1x1: "Point at a map, or focus the figure and move the pixel with the arrow keys. Click a row of W to follow that output channel.",
    computing: "Running the model…",
    title_gap: "Global average pooling: each class score is a map's mean",
    question_gap: "Where does NiN's classifier go? The last block makes one map per class; global average pooling replaces each map by its mean, and these ten means are the class scores. Hide part of the picture and watch the maps, their means and the prediction change.",
    input: "The input (drag over it to hide part of it)",
    restore: "Restore the picture",
    class_maps: "The last block's 10 maps, one per class, on one colour scale",
    mean: "mean",
    scores: "Scores: the ten means",
    probabilities: "Softmax of the scores",
    keys_gap: "Drag over the picture to hide part of it. With the picture focused, the arrow keys move the square and Space hides what is under it.",
    model_224: "This figure needs the book's 224 × 224 input (at 96 px the maps would be 1 × 1), so it uses a second model trained at 224 px, downloaded only when you ask for it.",
    run_all_running: "Running, top to bottom:",
    run_all_ran: "Ran, top to bottom:",
    run_all_skipped: "Skipped:",
    last_ran: "Last ran at",
    cell_explore_1x1: "the 1×1 convolution figure",
    cell_shape: "the shape summary",
    cell_gap: "the global average pooling figure",
    cell_code: "the model cell",
    cell_training: "training",
    cell_try: "try it yourself",
    skip_model: "it needs a trained model: load or train one first",
    skip_download: "it downloads a second model: open it yourself",
    skip_training: "it takes minutes: start it yourself",
};

const ORDINALS: [&str; 4] = ["first", "second", "third", "fourth"];

pub fn layer_option(block: usize, conv: usize, c_in: usize, c_out: usize) -> String {
    let nth = ORDINALS.get(conv.saturating_sub(1)).copied().unwrap_or("next");
    format!("Block {}, {nth} 1×1 ({c_in} → {c_out} channels)", block + 1)
}

pub fn at_pixel(y: usize, x: usize, height: usize, width: usize) -> String {
    format!("At the pixel in row {}, column {} (of {height} × {width}):", y + 1, x + 1)
}

pub fn equation(o: usize, sum: f32, bias: f32, out: f32, model: f32) -> String {
    format!(
        "Output channel {}: W[{}] · x = {sum:.4}, plus b = {bias:.4}, gives {:.4}; ReLU makes it {out:.4}. The model's own map {} holds {model:.4} at this pixel.",
        o + 1,
        o + 1,
        sum + bias,
        o + 1
    )
}

pub fn largest_terms(terms: &[(usize, f32, f32)]) -> String {
    let parts: Vec<String> = terms.iter().map(|(i, w, x)| format!("channel {}: {w:.3} × {x:.3} = {:.3}", i + 1, w * x)).collect();
    format!("The largest terms of that sum: {}.", parts.join("; "))
}

pub fn swept(done: usize, total: usize) -> String {
    format!("The matrix has visited {done} of {total} pixels.")
}

pub fn load_model(bytes: u64) -> String {
    format!("Load the 224 px model ({})", crate::format::bytes(bytes))
}

pub fn card_line(accuracy: f64, images: u64) -> String {
    format!("The 224 px model scores {:.1} % on the {} test images (its card, measured when it was made).", accuracy * 100.0, crate::format::grouped(images))
}

pub fn prediction(class: usize, name: &str, prob: f32) -> String {
    format!("The model says: {name} (class {class}), {:.1} %.", prob * 100.0)
}

pub fn error(e: &ExploreError) -> String {
    match e {
        ExploreError::NoPointwise(_) => {
            "This model has no 1×1 convolution to show (exercise 2's 3×3 variant, for one). Load the trained NiN to see one.".into()
        }
        ExploreError::NoGlobalPooling => "This model ends in fully connected layers, so it has no class maps to average.".into(),
        ExploreError::Compute(e) => e.to_string(),
    }
}
