//! The shape-summary cell's computation: plan, validate, run the real forward pass, compare.

use burn::prelude::*;
use burn::tensor::Distribution;
use serde::{Deserialize, Serialize};
use web_time::Instant;

use crate::analysis::{self, AnalysisError, InputShape, ShapePlan};
use crate::engine::gpu_fault;
use crate::model::NinConfig;

/// What the cell shows after a successful run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryReport {
    /// Shapes, parameters and FLOPs from the pure analysis.
    pub plan: ShapePlan,
    /// Shapes read from the real tensors of the forward pass, one per plan row.
    pub measured_shapes: Vec<Vec<u64>>,
    /// Parameters counted from the built module's tensors.
    pub module_params: u64,
    /// Wall time of the forward pass, including the readback of the logits.
    pub forward_ms: f64,
}

/// Why a summary run failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum SummaryError {
    #[error("{0}")]
    Invalid(#[from] AnalysisError),
    #[error("row {row}: the analysis says {planned:?} but the real forward pass gave {measured:?}")]
    ShapeMismatch { row: usize, planned: Vec<u64>, measured: Vec<u64> },
    #[error("the analysis counts {planned} parameters but the module holds {module}")]
    ParamMismatch { planned: u64, module: u64 },
    #[error("the forward pass produced {measured} rows of shapes, the analysis {planned}")]
    RowCountMismatch { planned: usize, measured: usize },
    #[error("reading the result back from the device failed: {0}")]
    Readback(String),
    /// The GPU failed (see [`crate::engine::gpu_fault`]); the GPU worker, which knows its
    /// device is a GPU, says so.
    #[error("{0}")]
    Gpu(crate::engine::GpuFault),
    /// The GPU worker that computes summaries on WebGPU failed or stopped.
    #[error("the WebGPU worker stopped: {0}")]
    Worker(String),
}

/// About how much GPU memory the summary of `config` on `input` holds at its peak: the
/// weights, the input batch, and the largest pair of maps alive at once (an operation's input
/// and output: two of a block's maps inside a NiN block), in f32. What an out-of-memory error is remembered at, and what the shape cell
/// compares with what the page has learned (`gpu_fault::learn`).
pub fn summary_bytes(config: &NinConfig, input: InputShape) -> Result<u64, AnalysisError> {
    let plan = analysis::plan(config, input)?;
    let f32_bytes = |dims: &[u64]| dims.iter().fold(4u64, |acc, &d| acc.saturating_mul(d));
    let mut previous = 0u64;
    let mut pair = 0u64;
    for row in &plan.rows {
        let out = f32_bytes(&row.output);
        // Inside a NiN block one convolution's output feeds the next: two maps of its size.
        let inner = if matches!(row.kind, analysis::LayerKind::NinBlock { .. }) { out.saturating_mul(2) } else { 0 };
        pair = pair.max(previous.saturating_add(out)).max(inner);
        previous = out;
    }
    Ok(plan.total_params().saturating_mul(4).saturating_add(analysis::element_bytes(&input.dims())).saturating_add(pair))
}

/// The largest batch whose summary of `config` at `input`'s other dimensions needs at most
/// `budget` bytes (0 when not even one image fits).
pub fn largest_batch_within(config: &NinConfig, input: InputShape, budget: u64) -> Result<usize, AnalysisError> {
    let one = InputShape { batch: 1, ..input };
    let weights = analysis::plan(config, one)?.total_params().saturating_mul(4);
    let per_image = summary_bytes(config, one)?.saturating_sub(weights).max(1);
    Ok(usize::try_from(budget.saturating_sub(weights) / per_image).unwrap_or(usize::MAX))
}

/// A failure on the GPU is best explained by the fault the device reported, which may arrive
/// a moment after the readback it broke (as training waits for it, `training::scoring`).
async fn gpu_cause(error: SummaryError) -> SummaryError {
    if gpu_fault::current().is_none() {
        settle().await;
    }
    gpu_fault::current().map(SummaryError::Gpu).unwrap_or(error)
}

/// Lets the device's error and loss events arrive (a real macrotask in the browser).
#[cfg(target_arch = "wasm32")]
async fn settle() {
    gloo_timers::future::TimeoutFuture::new(50).await;
}

#[cfg(not(target_arch = "wasm32"))]
async fn settle() {}

/// Runs the shape summary of `config` on `input`: validates with the pure analysis (nothing is
/// allocated for a bad input), checks the largest tensor against `buffer_limit_bytes`, builds the
/// model on `device`, runs one forward pass and compares every shape with the plan.
///
/// Reads back only asynchronously, so it is safe on WebGPU in the browser.
pub async fn run_shape_summary(device: &Device, config: &NinConfig, input: InputShape, buffer_limit_bytes: u64) -> Result<SummaryReport, SummaryError> {
    let plan = analysis::plan(config, input)?;
    plan.check_fits(buffer_limit_bytes)?;
    // An earlier request that ran out of memory was answered with that fault; the device still
    // works, so this request starts clean (any other fault stays and ends it below).
    gpu_fault::forget_out_of_memory();
    let model = config.init(device)?;
    let module_params = model.num_params() as u64;
    if module_params != plan.total_params() {
        return Err(SummaryError::ParamMismatch { planned: plan.total_params(), module: module_params });
    }
    let x = Tensor::<4>::random(input.dims(), Distribution::Uniform(0.0, 1.0), device);
    // Finish the weight and input uploads before timing the forward pass.
    if let Err(e) = x.to_data_async().await {
        return Err(gpu_cause(SummaryError::Readback(format!("{e:?}"))).await);
    }

    let start = Instant::now();
    let (logits, trace) = model.forward_traced(x);
    let data = match logits.into_data_async().await {
        Ok(data) => data,
        Err(e) => return Err(gpu_cause(SummaryError::Readback(format!("{e:?}"))).await),
    };
    let forward_ms = start.elapsed().as_secs_f64() * 1000.0;
    if data.as_slice::<f32>().map(|v| v.iter().any(|x| !x.is_finite())).unwrap_or(true) {
        return Err(gpu_cause(SummaryError::Readback("the logits are not finite f32 values".into())).await);
    }
    // A fault recorded meanwhile makes the result untrustworthy.
    if let Some(fault) = gpu_fault::current() {
        return Err(SummaryError::Gpu(fault));
    }

    let measured_shapes: Vec<Vec<u64>> = trace.shapes.iter().map(|s| s.iter().map(|&d| d as u64).collect()).collect();
    compare_shapes(&plan, &measured_shapes)?;
    Ok(SummaryReport { plan, measured_shapes, module_params, forward_ms })
}

/// Every measured shape must equal the planned one; a difference is an error, never hidden.
pub fn compare_shapes(plan: &ShapePlan, measured: &[Vec<u64>]) -> Result<(), SummaryError> {
    if plan.rows.len() != measured.len() {
        return Err(SummaryError::RowCountMismatch { planned: plan.rows.len(), measured: measured.len() });
    }
    for (i, (row, shape)) in plan.rows.iter().zip(measured).enumerate() {
        if &row.output != shape {
            return Err(SummaryError::ShapeMismatch { row: i + 1, planned: row.output.clone(), measured: shape.clone() });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HeadConfig;
    use futures_lite::future::block_on;

    fn cpu() -> Device {
        Device::flex()
    }

    #[test]
    fn analysis_equals_the_real_forward_pass_at_several_sizes() {
        let _rng = crate::burn_rng_lock();
        let config = NinConfig::book();
        for input in [InputShape::new(1, 1, 224, 224), InputShape::new(2, 1, 67, 67), InputShape::new(1, 1, 96, 160), InputShape::new(3, 1, 131, 75)] {
            let report = block_on(run_shape_summary(&cpu(), &config, input, u64::MAX)).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(report.measured_shapes.len(), 10);
            assert_eq!(report.measured_shapes.last().unwrap(), &vec![input.batch as u64, 10]);
            assert_eq!(report.module_params, 1_992_166);
        }
    }

    #[test]
    fn a_passing_out_of_memory_is_forgotten_and_a_lost_device_is_reported() {
        let _rng = crate::burn_rng_lock();
        let input = InputShape::new(1, 1, 67, 67);
        // The previous request ran out of memory and was told so: this one starts clean.
        gpu_fault::record(crate::engine::GpuFault::OutOfMemory("alloc".into()));
        let report = block_on(run_shape_summary(&cpu(), &NinConfig::book(), input, u64::MAX));
        assert!(report.is_ok(), "{report:?}");
        assert_eq!(gpu_fault::current(), None);
        // A fault that breaks the device is the summary's error, not a result.
        gpu_fault::record(crate::engine::GpuFault::Lost("destroyed".into()));
        let err = block_on(run_shape_summary(&cpu(), &NinConfig::book(), input, u64::MAX)).unwrap_err();
        gpu_fault::clear();
        assert_eq!(err, SummaryError::Gpu(crate::engine::GpuFault::Lost("destroyed".into())));
    }

    #[test]
    fn summary_memory_and_the_largest_batch_under_a_budget() {
        let book = NinConfig::book();
        let one = summary_bytes(&book, InputShape::new(1, 1, 224, 224)).unwrap();
        // Weights, the input, and block 1's two 96x54x54 maps.
        assert_eq!(one, 1_992_166 * 4 + 224 * 224 * 4 + 2 * 96 * 54 * 54 * 4);
        let big = InputShape::new(1000, 1, 224, 224);
        let needed = summary_bytes(&book, big).unwrap();
        assert_eq!(needed, 1_992_166 * 4 + 1000 * (one - 1_992_166 * 4));
        let fits = largest_batch_within(&book, big, needed - 1).unwrap();
        assert_eq!(fits, 999);
        assert!(summary_bytes(&book, InputShape { batch: fits, ..big }).unwrap() < needed);
        assert_eq!(largest_batch_within(&book, big, 1_000).unwrap(), 0, "not even the weights fit");
    }

    #[test]
    fn too_small_input_fails_before_any_tensor() {
        let _rng = crate::burn_rng_lock();
        let err = block_on(run_shape_summary(&cpu(), &NinConfig::book(), InputShape::new(1, 1, 66, 66), u64::MAX)).unwrap_err();
        assert!(matches!(err, SummaryError::Invalid(AnalysisError::InputTooSmall { .. })), "{err}");
        assert!(err.to_string().contains("67x67"), "{err}");
    }

    #[test]
    fn buffer_limit_is_enforced() {
        let _rng = crate::burn_rng_lock();
        let err = block_on(run_shape_summary(&cpu(), &NinConfig::book(), InputShape::new(128, 1, 224, 224), 128 << 20)).unwrap_err();
        assert!(matches!(err, SummaryError::Invalid(AnalysisError::TooLarge { .. })), "{err}");
    }

    #[test]
    fn fully_connected_head_runs_and_matches() {
        let _rng = crate::burn_rng_lock();
        let config = NinConfig::book().with_head(HeadConfig::FullyConnected { input_height: 96, input_width: 96, hidden: vec![] });
        let report = block_on(run_shape_summary(&cpu(), &config, InputShape::new(2, 1, 96, 96), u64::MAX)).unwrap();
        assert_eq!(report.measured_shapes.last().unwrap(), &vec![2, 10]);
        assert_eq!(report.module_params, report.plan.total_params());
    }

    #[test]
    fn a_shape_mismatch_is_reported() {
        let _rng = crate::burn_rng_lock();
        let plan = analysis::plan(&NinConfig::book(), InputShape::book()).unwrap();
        let mut measured: Vec<Vec<u64>> = plan.rows.iter().map(|r| r.output.clone()).collect();
        assert!(compare_shapes(&plan, &measured).is_ok());
        measured[3] = vec![1, 256, 13, 13];
        assert_eq!(
            compare_shapes(&plan, &measured),
            Err(SummaryError::ShapeMismatch { row: 4, planned: vec![1, 256, 12, 12], measured: vec![1, 256, 13, 13] })
        );
    }
}
