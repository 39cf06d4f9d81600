//! Scoring images with a model (validation, test, a helper's part): one loop for the lead, the
//! helpers and the page, below both the session and the data-parallel step.

use std::future::Future;

use burn::prelude::Device;

use super::{TrainError, TrainSettings};
use crate::data::FashionMnist;
use crate::engine::gpu_fault;
use crate::model::Nin;

/// Classes in Fashion-MNIST.
pub(super) const CLASSES: usize = 10;
/// Largest batch for scoring (validation and test): enough to keep WebGPU busy, small enough
/// that one CPU batch between two yields stays short.
const SCORE_BATCH: usize = 64;

/// A recorded GPU fault explains a failure better than what it caused (a readback that failed,
/// a loss or logits that are not finite), and ends a run whose results can no longer be trusted
/// even when nothing failed yet. Without one, `result` stands.
pub(super) async fn gpu_cause<T, F: Future<Output = ()>>(result: Result<T, TrainError>, sleep: &impl Fn(u32) -> F) -> Result<T, TrainError> {
    if let Some(fault) = gpu_fault::current() {
        return Err(TrainError::Gpu(fault));
    }
    match result {
        Err(e @ (TrainError::Readback(_) | TrainError::Diverged { .. } | TrainError::BadLogits)) => {
            // The device's error and loss events may arrive a moment after the failed readback.
            sleep(50).await;
            Err(gpu_fault::current().map(TrainError::Gpu).unwrap_or(e))
        }
        other => other,
    }
}

/// Logits of `indices`, row-major, one batch at a time with a yield between batches;
/// `on_batch(images_done)` after each.
pub async fn score<F: Future<Output = ()>>(
    model: &Nin,
    data: &FashionMnist,
    indices: &[usize],
    settings: &TrainSettings,
    device: &Device,
    sleep: &impl Fn(u32) -> F,
    on_batch: impl Fn(usize),
) -> Result<Vec<f32>, TrainError> {
    let mut logits = Vec::with_capacity(indices.len() * CLASSES);
    for chunk in indices.chunks(settings.batch_size.clamp(1, SCORE_BATCH)) {
        let batch = super::logits(model, data, chunk, settings.image_size, device).await;
        logits.extend(gpu_cause(batch, sleep).await?);
        on_batch(logits.len() / CLASSES);
        sleep(0).await;
    }
    Ok(logits)
}
