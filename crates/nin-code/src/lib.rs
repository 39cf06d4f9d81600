//! The code cell of the NiN companion: the book's PyTorch code for NiN, parsed as a small
//! Python subset and evaluated into a network whose shapes and parameter counts are pure functions.
//!
//! `source` → [`parse`] → [`evaluate`] → [`Net`] → [`summary`] → [`Summary`]; or [`analyze`] for all
//! of it. Every failure is one [`CodeError`] with a typed [`ErrorKind`] and a span.

mod arith;
pub mod ast;
mod error;
mod eval;
mod layers;
mod lexer;
mod parser;
mod shapes;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_errors;
#[cfg(test)]
mod tests_robust;

pub use error::{CodeError, ErrorKind, Expected, Found, IndentProblem, Limit, Number, Range, ShapeProblem, Span, ValueType};
pub use eval::evaluate;
pub use layers::{Layer, Net, Node, NodeKind, SUPPORTED_LAYERS};
pub use lexer::{Tok, Token, tokenize};
pub use parser::parse;
pub use shapes::{LeafLayer, Summary, SummaryRow, format_shape, summary};

/// The book's code for NiN (d2l.ai, section 8.3), exactly as the page ships it.
pub const BOOK_CODE: &str = r#"def nin_block(out_channels, kernel_size, strides, padding):
    return nn.Sequential(
        nn.LazyConv2d(out_channels, kernel_size, strides, padding), nn.ReLU(),
        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU(),
        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())

class NiN(d2l.Classifier):
    def __init__(self, lr=0.1, num_classes=10):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nin_block(96, kernel_size=11, strides=4, padding=0),
            nn.MaxPool2d(3, stride=2),
            nin_block(256, kernel_size=5, strides=1, padding=2),
            nn.MaxPool2d(3, stride=2),
            nin_block(384, kernel_size=3, strides=1, padding=1),
            nn.MaxPool2d(3, stride=2),
            nn.Dropout(0.5),
            nin_block(num_classes, kernel_size=3, strides=1, padding=1),
            nn.AdaptiveAvgPool2d((1, 1)),
            nn.Flatten())
        self.net.apply(d2l.init_cnn)

NiN().layer_summary((1, 1, 224, 224))
"#;

/// The input used when the program has no `layer_summary` call: the book's (1, 1, 224, 224).
pub const DEFAULT_INPUT: [usize; 4] = [1, 1, 224, 224];
/// The largest channel count, kernel, stride, padding or input side a program may use.
pub const MAX_DIMENSION: usize = 65_536;
/// The most layers one `nn.Sequential` (and so one network) may hold.
pub const MAX_LAYERS: usize = 512;
/// The most parameters a network may have.
pub const MAX_PARAMETERS: u64 = 10_000_000_000;
/// The most values one activation tensor may have.
pub const MAX_ELEMENTS: usize = 1 << 31;
/// How deeply brackets, blocks and Sequentials may nest.
pub const MAX_NESTING: usize = 32;
/// How deeply functions may call each other (recursion ends here).
pub const MAX_CALL_DEPTH: usize = 32;
/// How deeply the evaluator may recurse, calls and expressions together (wasm's stack is 1 MB).
pub const MAX_EVAL_DEPTH: usize = 200;
/// The most evaluation steps a program may take.
pub const MAX_STEPS: usize = 100_000;

/// Parses and evaluates `source`, then runs its summary: everything the code cell shows.
pub fn analyze(source: &str) -> Result<(Net, Summary), CodeError> {
    let net = evaluate(&parse(source)?)?;
    let summary = summary(&net)?;
    Ok((net, summary))
}
