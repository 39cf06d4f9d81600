//! The numbers of the chapter's two explorables, read back from a trained model on the page's
//! CPU device: one 1x1 convolution at work ([`PointwiseView`]) and the last block's class maps
//! with their means ([`ClassMapsView`]). The views are plain data with the arithmetic the page
//! shows (a dense layer at one pixel, a map's mean), so the page and the tests redo it.

use std::future::Future;

use burn::prelude::*;

use crate::data::sketch::Prepared;
use crate::model::Nin;
use crate::model::inspect::PointwiseAt;
use crate::training::{self, TrainError};

/// Why an explorable cannot show a model.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExploreError {
    /// The model has no 1x1 convolution there (e.g. exercise 2's 3x3 variant).
    #[error("this model has no 1x1 convolution at block {}, convolution {}", .0.block + 1, .0.conv + 1)]
    NoPointwise(PointwiseAt),
    /// The model ends in fully connected layers: there are no class maps to average.
    #[error("this model has no global average pooling")]
    NoGlobalPooling,
    #[error("{0}")]
    Compute(#[from] TrainError),
}

/// One 1x1 layer on one image: every map that enters it and leaves it, its weights and bias.
#[derive(Debug, Clone, PartialEq)]
pub struct PointwiseView {
    pub at: PointwiseAt,
    pub c_in: usize,
    pub c_out: usize,
    pub height: usize,
    pub width: usize,
    /// `c_in` maps of `height * width`, row-major.
    pub input: Vec<f32>,
    /// `c_out` maps, the layer's own output (after its ReLU), row-major.
    pub output: Vec<f32>,
    /// `c_out` rows of `c_in`.
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
}

impl PointwiseView {
    fn pixel(&self, y: usize, x: usize) -> usize {
        y.min(self.height - 1) * self.width + x.min(self.width - 1)
    }

    /// The channel vector entering the layer at pixel (y, x).
    pub fn input_at(&self, y: usize, x: usize) -> Vec<f32> {
        let p = self.pixel(y, x);
        let hw = self.height * self.width;
        (0..self.c_in).map(|c| self.input[c * hw + p]).collect()
    }

    /// The model's own output vector at (y, x) (what the next layer reads).
    pub fn output_at(&self, y: usize, x: usize) -> Vec<f32> {
        let p = self.pixel(y, x);
        let hw = self.height * self.width;
        (0..self.c_out).map(|c| self.output[c * hw + p]).collect()
    }

    /// Row `o` of the weight matrix.
    pub fn row(&self, o: usize) -> &[f32] {
        &self.weight[o * self.c_in..][..self.c_in]
    }

    /// The dense layer by hand at (y, x): `W v + b` before the ReLU, one value per output
    /// channel. [`PointwiseView::dense_at`] applies the ReLU.
    pub fn pre_activation_at(&self, y: usize, x: usize) -> Vec<f32> {
        let v = self.input_at(y, x);
        (0..self.c_out).map(|o| self.row(o).iter().zip(&v).map(|(w, v)| w * v).sum::<f32>() + self.bias[o]).collect()
    }

    /// `ReLU(W v + b)` at (y, x): equals [`PointwiseView::output_at`] up to rounding.
    pub fn dense_at(&self, y: usize, x: usize) -> Vec<f32> {
        self.pre_activation_at(y, x).into_iter().map(|z| z.max(0.0)).collect()
    }

    /// The largest value of any output map (a common colour scale while sweeping).
    pub fn output_max(&self) -> f32 {
        self.output.iter().copied().fold(0.0, f32::max)
    }
}

/// The last NiN block's class maps on one image, the scores global average pooling makes of
/// them, and the softmax.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassMapsView {
    pub classes: usize,
    pub height: usize,
    pub width: usize,
    /// `classes` maps of `height * width`, row-major (after the block's last ReLU).
    pub maps: Vec<f32>,
    /// The model's logits (its forward pass's global average pooling).
    pub logits: Vec<f32>,
    pub probs: Vec<f32>,
}

impl ClassMapsView {
    pub fn map(&self, class: usize) -> &[f32] {
        &self.maps[class * self.height * self.width..][..self.height * self.width]
    }

    /// A map's mean, as the page computes it (equals the model's logit).
    pub fn mean(&self, class: usize) -> f32 {
        let map = self.map(class);
        map.iter().sum::<f32>() / map.len().max(1) as f32
    }

    /// The class with the highest score.
    pub fn prediction(&self) -> usize {
        self.logits.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(0, |(i, _)| i)
    }
}

fn input_tensor(input: &Prepared, size: usize, device: &Device) -> Tensor<4> {
    training::batch(&input.as_dataset(), &[0], size, device).0
}

fn finite(values: Vec<f32>) -> Result<Vec<f32>, TrainError> {
    if values.iter().all(|v| v.is_finite()) { Ok(values) } else { Err(TrainError::BadLogits) }
}

/// The 1x1 layer `at` of `nin` on `input` resized to `size`.
pub async fn pointwise_view(nin: &Nin, size: usize, input: &Prepared, at: PointwiseAt) -> Result<PointwiseView, ExploreError> {
    let device = Device::flex();
    let trace = nin.trace_pointwise(input_tensor(input, size, &device), at).ok_or(ExploreError::NoPointwise(at))?;
    let [_, c_in, height, width] = trace.input.dims();
    let [_, c_out, ..] = trace.output.dims();
    Ok(PointwiseView {
        at,
        c_in,
        c_out,
        height,
        width,
        input: finite(training::read_f32(trace.input).await?)?,
        output: finite(training::read_f32(trace.output).await?)?,
        weight: finite(training::read_f32(trace.weight).await?)?,
        bias: finite(training::read_f32(trace.bias).await?)?,
    })
}

/// The class maps of `nin` on `input` resized to `size`, one body stage at a time with
/// `pause().await` between stages (the page yields to the browser there: at 224 px one image
/// is about 1.5 GFLOP).
pub async fn class_maps_view<F: Future<Output = ()>>(
    nin: &Nin,
    size: usize,
    input: &Prepared,
    mut pause: impl FnMut() -> F,
) -> Result<ClassMapsView, ExploreError> {
    if !nin.has_global_pooling() {
        return Err(ExploreError::NoGlobalPooling);
    }
    let device = Device::flex();
    let mut x = input_tensor(input, size, &device);
    for i in 0..nin.stage_count() {
        x = nin.forward_stage(i, x);
        // Reading a single value makes the stage run now, inside this task.
        let _ = training::read_f32(x.clone().slice([0..1, 0..1, 0..1, 0..1])).await?;
        pause().await;
    }
    let [_, classes, height, width] = x.dims();
    let logits = nin.pool_class_maps(x.clone()).ok_or(ExploreError::NoGlobalPooling)?;
    let probs = burn::tensor::activation::softmax(logits.clone(), 1);
    let logits = finite(training::read_f32(logits).await?)?;
    let probs = finite(training::read_f32(probs).await?)?;
    let maps = finite(training::read_f32(x).await?)?;
    Ok(ClassMapsView { classes, height, width, maps, logits, probs })
}

#[cfg(test)]
mod tests {
    use futures_lite::future::block_on;

    use super::*;
    use crate::model::NinConfig;

    fn picture() -> Prepared {
        Prepared { pixels: (0..784).map(|i| ((i * 29) % 256) as u8).collect(), inverted: false }
    }

    #[test]
    fn the_dense_layer_by_hand_equals_the_model_at_every_pixel() {
        let nin = NinConfig::book().init(&Device::flex()).unwrap();
        for at in [PointwiseAt { block: 0, conv: 1 }, PointwiseAt { block: 1, conv: 2 }, PointwiseAt { block: 3, conv: 2 }] {
            let view = block_on(pointwise_view(&nin, 96, &picture(), at)).unwrap();
            assert_eq!(view.weight.len(), view.c_out * view.c_in);
            for y in 0..view.height {
                for x in 0..view.width {
                    for (a, b) in view.dense_at(y, x).iter().zip(view.output_at(y, x)) {
                        assert!((a - b).abs() <= 1e-4 * (1.0 + b.abs()), "{at:?} ({y}, {x}): {a} vs {b}");
                    }
                }
            }
        }
        let view = block_on(pointwise_view(&nin, 96, &picture(), PointwiseAt { block: 0, conv: 1 })).unwrap();
        assert_eq!((view.c_in, view.c_out, view.height, view.width), (96, 96, 22, 22));
    }

    #[test]
    fn a_model_without_that_pointwise_layer_is_an_error_not_a_panic() {
        let config = crate::exercises::variants(crate::exercises::Exercise::MlpKernel).into_iter().find(|v| v.key == "kernel3").unwrap().config;
        let nin = config.init(&Device::flex()).unwrap();
        let at = PointwiseAt { block: 0, conv: 1 };
        assert_eq!(block_on(pointwise_view(&nin, 96, &picture(), at)), Err(ExploreError::NoPointwise(at)));
    }

    #[test]
    fn the_class_scores_are_the_means_of_the_class_maps() {
        let nin = NinConfig::book().init(&Device::flex()).unwrap();
        let mut pauses = 0;
        let view = block_on(class_maps_view(&nin, 224, &picture(), || {
            pauses += 1;
            async {}
        }))
        .unwrap();
        assert_eq!(pauses, nin.stage_count());
        assert_eq!((view.classes, view.height, view.width), (10, 5, 5));
        for c in 0..10 {
            assert!((view.mean(c) - view.logits[c]).abs() < 1e-5, "class {c}");
        }
        assert!((view.probs.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        let direct = block_on(training::read_f32(nin.forward(input_tensor(&picture(), 224, &Device::flex())))).unwrap();
        assert!(direct.iter().zip(&view.logits).all(|(a, b)| (a - b).abs() < 1e-5));
        assert_eq!(view.prediction(), direct.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0);
    }

    #[test]
    fn a_fully_connected_head_has_no_class_maps() {
        let config = crate::exercises::variants(crate::exercises::Exercise::Head).into_iter().find(|v| !v.baseline).unwrap().config;
        let nin = config.init(&Device::flex()).unwrap();
        assert_eq!(block_on(class_maps_view(&nin, 224, &picture(), || async {})), Err(ExploreError::NoGlobalPooling));
    }
}
