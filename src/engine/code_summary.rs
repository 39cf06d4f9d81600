//! The code cell's computation: the student's program (the book's PyTorch code, edited) parsed
//! and checked by `nin_code` (pure: a bad program is an error with its line and column before
//! anything is allocated), its memory checked against the backend's limits, then the net built
//! on the device and one forward pass whose real shapes must equal the pure ones.

use burn::prelude::*;
use burn::tensor::Distribution;
use nin_code::{CodeError, Summary};
use serde::{Deserialize, Serialize};
use web_time::Instant;

use crate::model::code_net::CodeNet;

/// One printed row: PyTorch's name of a top-level entry and its output shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRow {
    pub name: String,
    pub shape: Vec<usize>,
    pub params: u64,
    /// The line of the program the entry is written on.
    pub line: usize,
}

/// What the cell prints after a successful run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeReport {
    pub input: [usize; 4],
    /// The model class's name as the student wrote it.
    pub model: String,
    /// Whether the program had a `layer_summary` call (else the book's input was used).
    pub summary_call: bool,
    pub rows: Vec<CodeRow>,
    /// Parameters: the pure count in a planned report, else counted from the built module's
    /// tensors (and equal to the pure count).
    pub params: u64,
    /// The forward pass's time; `None` for a planned report (the arithmetic only, no tensor).
    pub forward_ms: Option<f64>,
}

/// Why a run of the code cell failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum CodeRunError {
    /// The program: a syntax error, an unknown layer, a wrong argument, a shape that does not fit.
    #[error("{0}")]
    Code(CodeErrorData),
    /// One tensor (the weights of a layer, or a map) is larger than a buffer of this backend.
    #[error("the largest tensor ({bytes} bytes) is larger than this backend's {limit}-byte buffer limit")]
    TooLarge { bytes: u64, limit: u64 },
    #[error("row {row}: the summary says {planned:?} but the real forward pass gave {measured:?}")]
    ShapeMismatch { row: usize, planned: Vec<usize>, measured: Vec<usize> },
    #[error("the summary counts {planned} parameters but the module holds {module}")]
    ParamMismatch { planned: u64, module: u64 },
    #[error("reading the result back from the device failed: {0}")]
    Readback(String),
    /// The GPU worker that computes on WebGPU failed or stopped.
    #[error("the WebGPU worker stopped: {0}")]
    Worker(String),
}

/// A [`CodeError`] as data that crosses to a worker and back: its kind's English text for the
/// logs, and the kind itself re-derived on the page from the program (see [`analyze`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeErrorData {
    pub line: usize,
    pub col: usize,
    pub end_line: usize,
    pub end_col: usize,
    pub english: String,
}

impl std::fmt::Display for CodeErrorData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.english)
    }
}

impl From<&CodeError> for CodeErrorData {
    fn from(e: &CodeError) -> Self {
        CodeErrorData { line: e.line, col: e.col, end_line: e.end_line, end_col: e.end_col, english: e.to_string() }
    }
}

/// The bytes the largest single tensor of the forward pass needs (f32): a layer's weights, or
/// a map. Each must fit one buffer of the backend.
pub fn largest_tensor_bytes(summary: &Summary) -> u64 {
    let elems = |dims: &[usize]| dims.iter().fold(4u64, |acc, &d| acc.saturating_mul(d as u64));
    let input = elems(&summary.input);
    summary.leaves.iter().map(|l| elems(&l.output).max(l.params.saturating_mul(4))).fold(input, u64::max)
}

/// Parses and checks `source` (pure).
pub fn analyze(source: &str) -> Result<(nin_code::Net, Summary), CodeError> {
    nin_code::analyze(source)
}

/// The report the shape arithmetic predicts for `source` (pure, no tensor): what the cell prints
/// at once, while [`run_code_summary`] confirms every row with a real forward pass.
pub fn planned_report(source: &str) -> Result<CodeReport, CodeError> {
    let (net, summary) = analyze(source)?;
    Ok(planned(net, &summary))
}

/// The pure summary as the cell's report (no forward time).
fn planned(net: nin_code::Net, summary: &Summary) -> CodeReport {
    let rows = summary.rows.iter().map(|r| CodeRow { name: r.name.to_string(), shape: r.output.clone(), params: r.params, line: r.span.line }).collect();
    CodeReport { input: summary.input, model: net.model, summary_call: net.summary_call.is_some(), rows, params: summary.total_params, forward_ms: None }
}

/// Runs the program's summary on `device`: checks the program and the largest tensor against
/// `buffer_limit_bytes` first (nothing is allocated for a bad program or a net too large),
/// builds the net, runs one forward pass of a random input, and compares every row's shape
/// and the parameter count with the pure summary. Reads back only asynchronously.
pub async fn run_code_summary(device: &Device, source: &str, buffer_limit_bytes: u64) -> Result<CodeReport, CodeRunError> {
    let (net, summary) = analyze(source).map_err(|e| CodeRunError::Code((&e).into()))?;
    let bytes = largest_tensor_bytes(&summary);
    if bytes > buffer_limit_bytes {
        return Err(CodeRunError::TooLarge { bytes, limit: buffer_limit_bytes });
    }
    let model = CodeNet::init(&summary, device).map_err(|e| CodeRunError::Readback(e.to_string()))?;
    let params = model.num_params() as u64;
    if params != summary.total_params {
        return Err(CodeRunError::ParamMismatch { planned: summary.total_params, module: params });
    }
    let x = Tensor::<4>::random(summary.input, Distribution::Uniform(0.0, 1.0), device);
    let start = Instant::now();
    let (shapes, last) = model.forward_rows(x).map_err(|e| CodeRunError::Readback(e.to_string()))?;
    last.finish().await.map_err(CodeRunError::Readback)?;
    let forward_ms = start.elapsed().as_secs_f64() * 1000.0;
    if shapes.len() != summary.rows.len() {
        return Err(CodeRunError::ShapeMismatch { row: shapes.len().min(summary.rows.len()) + 1, planned: vec![], measured: vec![] });
    }
    for (i, (row, shape)) in summary.rows.iter().zip(shapes).enumerate() {
        if row.output != shape {
            return Err(CodeRunError::ShapeMismatch { row: i + 1, planned: row.output.clone(), measured: shape });
        }
    }
    // Every measured shape and the module's count equal the pure ones (checked above).
    Ok(CodeReport { params, forward_ms: Some(forward_ms), ..planned(net, &summary) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_lite::future::block_on;

    #[test]
    fn the_books_code_prints_the_books_summary() {
        let _rng = crate::burn_rng_lock();
        let report = block_on(run_code_summary(&Device::flex(), nin_code::BOOK_CODE, u64::MAX)).unwrap();
        let printed: Vec<String> = report.rows.iter().map(|r| format!("{} {}", r.name, nin_code::format_shape(&r.shape))).collect();
        assert_eq!(
            printed,
            [
                "Sequential (1, 96, 54, 54)",
                "MaxPool2d (1, 96, 26, 26)",
                "Sequential (1, 256, 26, 26)",
                "MaxPool2d (1, 256, 12, 12)",
                "Sequential (1, 384, 12, 12)",
                "MaxPool2d (1, 384, 5, 5)",
                "Dropout (1, 384, 5, 5)",
                "Sequential (1, 10, 5, 5)",
                "AdaptiveAvgPool2d (1, 10, 1, 1)",
                "Flatten (1, 10)"
            ]
        );
        assert_eq!(report.params, 1_992_166);
        assert_eq!((report.model.as_str(), report.summary_call, report.input), ("NiN", true, [1, 1, 224, 224]));
        // What the cell prints before the forward pass is the same table, only not yet timed.
        let planned = planned_report(nin_code::BOOK_CODE).unwrap();
        assert_eq!(planned.forward_ms, None);
        assert!(report.forward_ms.is_some_and(|ms| ms > 0.0));
        assert_eq!(CodeReport { forward_ms: None, ..report }, planned);
    }

    #[test]
    fn a_bad_program_or_a_net_too_large_fails_before_any_tensor() {
        let err = block_on(run_code_summary(&Device::flex(), "def f(:\n", u64::MAX)).unwrap_err();
        assert!(matches!(err, CodeRunError::Code(CodeErrorData { line: 1, .. })), "{err}");
        let big = nin_code::BOOK_CODE.replace("(1, 1, 224, 224)", "(4096, 1, 224, 224)");
        let err = block_on(run_code_summary(&Device::flex(), &big, 512 << 20)).unwrap_err();
        // 4096 images x 96 x 54 x 54 maps in f32: 4.59 GB, refused before anything is built.
        assert_eq!(err, CodeRunError::TooLarge { bytes: 4096 * 96 * 54 * 54 * 4, limit: 512 << 20 });
    }
}
