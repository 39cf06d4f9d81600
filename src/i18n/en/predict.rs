//! The exercises' prediction step in English.

use crate::i18n::predict::PredictUi;

pub static PREDICT: PredictUi = PredictUi {
    your_guess: "your guess",
    the_answer: "the answer",
    predict_first: "Predict first, then check",
    check: "Check my prediction",
    skip: "Skip, show me",
    again: "Hide the answer",
    number_hint: "A number of times, such as 1.5 or 0.8.",
    right: "Right:",
    not_quite: "Not quite:",
    skipped: "You skipped the prediction.",
    shared: "The link opened the answer directly.",
    choose_first: "Choose one of the options first.",
    type_first: "Type a number first, such as 1.5.",
    not_a_number: "That is not a number: type one such as 1.5 or 0.8.",
    not_positive: "A number of times must be above 0.",
    band_under_half: "Less than half (under 0.5×)",
    band_fewer: "Fewer, but at least half (0.5× to 0.95×)",
    band_same: "About the same (0.95× to 1.05×)",
    band_more: "More, but at most twice (1.05× to 2×)",
    band_over_twice: "More than twice (over 2×)",
    questions: [
        "With one 1×1 convolution per block instead of two, how many parameters will the model have, compared with the book's NiN?",
        "With 3×3 convolutions (padding 1) instead of the two 1×1 convolutions in every block, how many times the book's parameters will the model have?",
        "If global average pooling is replaced by one fully connected layer from the flattened last map (10×5×5 at 224 × 224) to the 10 classes, how many parameters will the model have, compared with the book's NiN?",
        "For one 224 × 224 image, which NiN block of the book's model computes the most (forward FLOPs)?",
        "If the last block narrows gradually, 384 → 128 → 32 → 10, instead of 384 → 10 in its first convolution, how many parameters will the model have, compared with the book's NiN?",
        "VGG-11 against NiN-11, its member of the NiN family defined above: how many times NiN-11's parameters does VGG-11 have?",
    ],
    meaning_mlp_depth: "A 1×1 convolution from c to c channels has only c·c weights and c biases, while each block's first convolution (11×11, 5×5, 3×3) holds most of the weights, so one 1×1 convolution less per block saves little. What changes more than the size is the depth: each block has one ReLU less, so the small network applied at every pixel is shallower.",
    meaning_mlp_kernel: "Each convolution inside a block grows from c·c to 9·c·c weights, nine times; the model grows less, because the blocks' first convolutions stay as they are. The computation grows too (the FLOPs column), and every pixel now mixes with its neighbours inside the block: the blocks are no longer small networks applied at each pixel.",
    meaning_head: "The last map holds only 10×5×5 = 250 values, so one linear layer from them to 10 classes adds few parameters. Fully connected heads are expensive when their input is a large map or they have wide hidden layers (VGG's 4,096). What this head does change: it is built for one input size and refuses any other, while global average pooling takes any size.",
    meaning_reduction: "The last block's first convolution is 3×3: to 128 channels it has 9·384·128 weights, instead of 9·384·10 to 10 channels. The gradual reduction costs parameters; in exchange no single layer squeezes 384 channels into 10.",
    meaning_family: "VGG's fully connected layers hold most of its parameters: the first alone maps the 512×7×7 last map to 4,096 units. The NiN family keeps VGG's convolutions, adds 1×1 ones, and has no fully connected layer at all.",
};
