//! Looking inside a built NiN for the chapter's two explorables: what one 1x1 convolution reads
//! and writes (a dense layer at every pixel), and the last block's class maps before global
//! average pooling turns each into a score.

use burn::prelude::*;
use burn::tensor::module::adaptive_avg_pool2d;

use super::{Head, Nin, Stage, is_pointwise, pointwise};

/// Where a 1x1 convolution sits: NiN block `block` (0-based, blocks only), convolution `conv`
/// of that block (0-based; the first has the block's own kernel, so a 1x1 one has `conv >= 1`
/// in the book's model).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PointwiseAt {
    pub block: usize,
    pub conv: usize,
}

/// One 1x1 layer at work on one image: what enters it, what it makes, and its parameters.
#[derive(Debug, Clone)]
pub struct PointwiseTrace {
    /// `[1, c_in, h, w]`: the previous convolution's output after its ReLU.
    pub input: Tensor<4>,
    /// `[1, c_out, h, w]`: this layer's output after its ReLU.
    pub output: Tensor<4>,
    /// `[c_out, c_in]`: the layer's kernel, one row per output channel.
    pub weight: Tensor<2>,
    /// `[c_out]`: its bias (zeros where the layer has none).
    pub bias: Tensor<1>,
}

impl Nin {
    /// Every 1x1, stride-1, unpadded convolution of the blocks, in order, with its input and
    /// output channels.
    pub fn pointwise_layers(&self) -> Vec<(PointwiseAt, usize, usize)> {
        self.blocks()
            .enumerate()
            .flat_map(|(block, b)| {
                b.convs.iter().enumerate().filter(|(_, l)| is_pointwise(l)).map(move |(conv, l)| {
                    let [c_out, c_in, ..] = l.weight.dims();
                    (PointwiseAt { block, conv }, c_in, c_out)
                })
            })
            .collect()
    }

    fn blocks(&self) -> impl Iterator<Item = &super::NinBlock> {
        self.stages.iter().filter_map(|s| match s {
            Stage::Block(b) => Some(b),
            _ => None,
        })
    }

    /// The forward pass up to the 1x1 layer `at`, keeping what enters and leaves it.
    /// `None` when `at` is not a 1x1 layer of this model.
    ///
    /// # Shapes
    /// - input: `[1, input_channels, h, w]`
    /// - trace: input `[1, c_in, h', w']`, output `[1, c_out, h', w']`, weight `[c_out, c_in]`
    pub fn trace_pointwise(&self, mut x: Tensor<4>, at: PointwiseAt) -> Option<PointwiseTrace> {
        let mut block = 0;
        for stage in &self.stages {
            let Stage::Block(b) = stage else {
                x = stage.forward(x);
                continue;
            };
            if block < at.block {
                x = b.forward(x);
                block += 1;
                continue;
            }
            for (i, layer) in b.convs.iter().enumerate() {
                let pointwise_layer = is_pointwise(layer);
                let y = if pointwise_layer { pointwise(layer, x.clone()) } else { layer.forward(x.clone()) };
                let y = b.activation.forward(y);
                if i == at.conv {
                    if !pointwise_layer {
                        return None;
                    }
                    let [c_out, c_in, ..] = layer.weight.dims();
                    let weight = layer.weight.val().reshape([c_out, c_in]);
                    let bias = layer.bias.as_ref().map_or_else(|| Tensor::zeros([c_out], &weight.device()), |b| b.val());
                    return Some(PointwiseTrace { input: x, output: y, weight, bias });
                }
                x = y;
            }
            return None;
        }
        None
    }

    /// Whether the head is global average pooling (the class maps exist).
    pub fn has_global_pooling(&self) -> bool {
        matches!(self.head, Head::GlobalAvgPool(_))
    }

    /// How many body stages [`Nin::forward_stage`] runs.
    pub fn stage_count(&self) -> usize {
        self.stages.len()
    }

    /// Body stage `i` alone, so a caller can yield between stages (the page's main thread).
    ///
    /// # Shapes
    /// - input: `[batch, c, h, w]` -> output `[batch, c', h', w']` (see the stage's kind)
    pub fn forward_stage(&self, i: usize, x: Tensor<4>) -> Tensor<4> {
        match self.stages.get(i) {
            Some(stage) => stage.forward(x),
            None => x,
        }
    }

    /// The head on the body's output: with global average pooling, each class's score is the
    /// mean of its map; `None` for a fully connected head (there are no class maps).
    ///
    /// # Shapes
    /// - input: `[batch, classes, h, w]` class maps -> output `[batch, classes]` logits
    pub fn pool_class_maps(&self, maps: Tensor<4>) -> Option<Tensor<2>> {
        self.has_global_pooling().then(|| adaptive_avg_pool2d(maps, [1, 1]).flatten(1, 3))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NinConfig;

    fn image(side: usize, device: &Device) -> Tensor<4> {
        let values: Vec<f32> = (0..side * side).map(|i| ((i * 37 % 101) as f32) / 101.0).collect();
        Tensor::from_data(TensorData::new(values, [1, 1, side, side]), device)
    }

    #[test]
    fn the_book_model_has_two_pointwise_layers_per_block() {
        let device = Device::flex();
        let nin = NinConfig::book().init(&device).unwrap();
        let layers = nin.pointwise_layers();
        assert_eq!(layers.len(), 8);
        assert_eq!(layers[0], (PointwiseAt { block: 0, conv: 1 }, 96, 96));
        assert_eq!(layers[7], (PointwiseAt { block: 3, conv: 2 }, 10, 10));
    }

    #[test]
    fn a_pointwise_trace_is_a_dense_layer_at_every_pixel_and_feeds_the_next_layer() {
        let device = Device::flex();
        let nin = NinConfig::book().init(&device).unwrap();
        let x = image(96, &device);
        let first = nin.trace_pointwise(x.clone(), PointwiseAt { block: 0, conv: 1 }).unwrap();
        let second = nin.trace_pointwise(x, PointwiseAt { block: 0, conv: 2 }).unwrap();
        assert_eq!(first.input.dims(), [1, 96, 22, 22]);
        assert_eq!(first.weight.dims(), [96, 96]);
        // The first 1x1 layer's output is what enters the second.
        let diff: f32 = (first.output.clone() - second.input).abs().max().into_scalar();
        assert!(diff < 1e-6, "{diff}");
        // ReLU(W v + b) at every pixel, as one matrix product, equals the layer's output.
        let [_, c_in, h, w] = first.input.dims();
        let v = first.input.reshape([c_in, h * w]);
        let dense = burn::tensor::activation::relu(first.weight.matmul(v) + first.bias.reshape([96, 1]));
        let diff: f32 = (dense - first.output.reshape([96, h * w])).abs().max().into_scalar();
        assert!(diff < 1e-4, "{diff}");
    }

    #[test]
    fn no_trace_where_there_is_no_pointwise_layer() {
        let device = Device::flex();
        let nin = NinConfig::book().init(&device).unwrap();
        let x = image(96, &device);
        assert!(nin.trace_pointwise(x.clone(), PointwiseAt { block: 0, conv: 0 }).is_none(), "the 11x11 convolution");
        assert!(nin.trace_pointwise(x, PointwiseAt { block: 4, conv: 1 }).is_none(), "no fifth block");
    }

    #[test]
    fn the_stages_and_the_pooled_class_maps_give_the_forward_pass() {
        let device = Device::flex();
        let nin = NinConfig::book().init(&device).unwrap();
        let x = image(224, &device);
        let mut maps = x.clone();
        for i in 0..nin.stage_count() {
            maps = nin.forward_stage(i, maps);
        }
        assert_eq!(maps.dims(), [1, 10, 5, 5]);
        let pooled = nin.pool_class_maps(maps).unwrap();
        let diff: f32 = (pooled - nin.forward(x)).abs().max().into_scalar();
        assert!(diff < 1e-5, "{diff}");
    }
}
