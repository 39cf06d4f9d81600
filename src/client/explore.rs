//! The explorables' door to the engine: a trained model on one picture, read back as the plain
//! views the figures draw (on the page's CPU device, like `predict`).

use gloo_timers::future::TimeoutFuture;

use crate::data::sketch::Prepared;
pub use crate::engine::explore::{ClassMapsView, ExploreError, PointwiseView};
use crate::model::Nin;
pub use crate::model::inspect::PointwiseAt;

/// The model's 1x1 convolutions, in order, with their input and output channels.
pub fn pointwise_layers(nin: &Nin) -> Vec<(PointwiseAt, usize, usize)> {
    nin.pointwise_layers()
}

/// The 1x1 layer `at` at work on `input` (resized to `size`, the side the model was trained at).
pub async fn pointwise(nin: &Nin, size: usize, input: &Prepared, at: PointwiseAt) -> Result<PointwiseView, ExploreError> {
    crate::engine::explore::pointwise_view(nin, size, input, at).await
}

/// The last block's class maps, their means and the softmax; the page yields to the browser
/// between the body's stages (a 224 px image is about 1.5 GFLOP on the main thread).
pub async fn class_maps(nin: &Nin, size: usize, input: &Prepared) -> Result<ClassMapsView, ExploreError> {
    crate::engine::explore::class_maps_view(nin, size, input, || TimeoutFuture::new(0)).await
}
