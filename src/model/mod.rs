//! The chapter's Network in Network as a Burn module, built from one config type.
//! Every exercise variant (more or fewer 1x1 convs, 3x3 inner convs, FC head, other widths)
//! is a value of [`NinConfig`]; `analysis` validates a config before [`NinConfig::init`].

use burn::module::{Initializer, Module};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Dropout, DropoutConfig, Linear, LinearConfig, PaddingConfig2d, Relu};
use burn::prelude::*;
use burn::tensor::module::adaptive_avg_pool2d;

use crate::analysis::{self, AnalysisError, InputShape};

pub mod burn_code;
pub mod code_net;
pub mod config;
pub mod from_code;
pub mod inspect;

pub use config::*;

impl NinConfig {
    /// Builds the model with the book's initialisation (`init_cnn`: Xavier-uniform weights;
    /// biases as PyTorch's default, uniform in +-1/sqrt(fan_in)).
    ///
    /// The config is validated first (see [`analysis::validate_config`]), so a bad config is an
    /// error value and never a panic inside Burn.
    pub fn init(&self, device: &Device) -> Result<Nin, AnalysisError> {
        analysis::validate_config(self)?;
        let mut in_channels = self.input_channels;
        let mut stages = Vec::with_capacity(self.stages.len());
        for stage in &self.stages {
            stages.push(match stage {
                StageConfig::Block(block) => {
                    let built = block.init(in_channels, device);
                    in_channels = *block.channels.last().unwrap_or(&in_channels);
                    Stage::Block(built)
                }
                StageConfig::MaxPool { kernel, stride } => Stage::MaxPool(MaxPool2dConfig::new([*kernel, *kernel]).with_strides([*stride, *stride]).init()),
                StageConfig::Dropout { prob } => Stage::Dropout(DropoutConfig::new(*prob).init()),
            });
        }
        let head = match self.head {
            HeadConfig::GlobalAvgPool => Head::GlobalAvgPool(GlobalAvgPool),
            HeadConfig::FullyConnected { input_height, input_width, ref hidden } => {
                let input = InputShape::new(1, self.input_channels, input_height, input_width);
                let mut features = analysis::body_output(self, input)?.features();
                let mut layers = Vec::with_capacity(hidden.len() + 1);
                for &width in hidden.iter().chain(std::iter::once(&self.num_classes)) {
                    // Burn's initializer would make the bias Xavier too: PyTorch's default bias, as d2l's init_cnn keeps it.
                    let mut layer = LinearConfig::new(features, width).with_initializer(xavier()).init(device);
                    layer.bias = Some(torch_bias().init_with([width], Some(features), Some(width), device));
                    layers.push(layer);
                    features = width;
                }
                Head::FullyConnected(FullyConnectedHead { layers, activation: Relu::new(), dropout: DropoutConfig::new(0.5).init() })
            }
        };
        Ok(Nin { stages, head })
    }
}

fn xavier() -> Initializer {
    Initializer::XavierUniform { gain: 1.0 }
}

/// PyTorch's default bias init: uniform in +-1/sqrt(fan_in), which is Kaiming-uniform with
/// gain 1/sqrt(3) in Burn's terms.
fn torch_bias() -> Initializer {
    Initializer::KaimingUniform { gain: 1.0 / 3f64.sqrt(), fan_out_only: false }
}

fn conv(in_channels: usize, out_channels: usize, kernel: usize, stride: usize, padding: usize, device: &Device) -> Conv2d {
    let mut layer = Conv2dConfig::new([in_channels, out_channels], [kernel, kernel])
        .with_stride([stride, stride])
        .with_padding(PaddingConfig2d::Explicit(padding, padding, padding, padding))
        .with_initializer(xavier())
        .init(device);
    let fan_in = in_channels * kernel * kernel;
    let fan_out = out_channels * kernel * kernel;
    layer.bias = Some(torch_bias().init_with([out_channels], Some(fan_in), Some(fan_out), device));
    layer
}

// region: nin-block
impl NinBlockConfig {
    fn init(&self, in_channels: usize, device: &Device) -> NinBlock {
        let mut convs = Vec::with_capacity(self.channels.len());
        let mut c_in = in_channels;
        for (i, &c_out) in self.channels.iter().enumerate() {
            let layer = if i == 0 {
                conv(c_in, c_out, self.kernel, self.stride, self.padding, device)
            } else {
                conv(c_in, c_out, self.mlp_kernel, 1, self.mlp_padding(), device)
            };
            convs.push(layer);
            c_in = c_out;
        }
        NinBlock { convs, activation: Relu::new() }
    }
}

/// A NiN block: convolutions, each followed by ReLU.
#[derive(Module, Debug)]
pub struct NinBlock {
    convs: Vec<Conv2d>,
    activation: Relu,
}

impl NinBlock {
    /// # Shapes
    /// - input: `[batch, c_in, h, w]`
    /// - output: `[batch, c_out, h', w']`, h' = (h + 2p - k) / s + 1; the MLP convs keep h', w'.
    pub fn forward(&self, mut x: Tensor<4>) -> Tensor<4> {
        for layer in &self.convs {
            let y = if is_pointwise(layer) { pointwise(layer, x) } else { layer.forward(x) };
            x = self.activation.forward(y);
        }
        x
    }

    /// Parameters of the block's convolutions, counted from the real tensors.
    pub fn conv_count(&self) -> usize {
        self.convs.len()
    }
}

// endregion: nin-block

/// A 1x1 convolution with stride 1 and no padding: a matrix product over the channels.
fn is_pointwise(layer: &Conv2d) -> bool {
    let [_, _, kh, kw] = layer.weight.dims();
    kh == 1
        && kw == 1
        && layer.stride == [1, 1]
        && layer.dilation == [1, 1]
        && layer.groups == 1
        && matches!(layer.padding, PaddingConfig2d::Valid | PaddingConfig2d::Same | PaddingConfig2d::Explicit(0, 0, 0, 0))
}

/// The same result as `layer.forward(x)` for a [pointwise](is_pointwise) layer, as one batched
/// matrix product: `[c_out, c_in] x [c_in, h * w]` per image.
///
/// # Shapes
/// - input: `[batch, c_in, h, w]`
/// - output: `[batch, c_out, h, w]`
fn pointwise(layer: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    let [batch, c_in, h, w] = x.dims();
    let [c_out, ..] = layer.weight.dims();
    let weight = layer.weight.val().reshape([1, c_out, c_in]);
    let mut y = weight.matmul(x.reshape([batch, c_in, h * w]));
    if let Some(bias) = &layer.bias {
        y = y + bias.val().reshape([1, c_out, 1]);
    }
    y.reshape([batch, c_out, h, w])
}

/// Global average pooling; a unit module so the head enum can hold it.
#[derive(Module, Debug)]
pub struct GlobalAvgPool;

/// A built body stage.
#[derive(Module, Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Stage {
    Block(NinBlock),
    MaxPool(MaxPool2d),
    Dropout(Dropout),
}

impl Stage {
    /// # Shapes
    /// - input: `[batch, c, h, w]` -> output `[batch, c', h', w']` (see the stage kind)
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        match self {
            Stage::Block(block) => block.forward(x),
            Stage::MaxPool(pool) => pool.forward(x),
            Stage::Dropout(dropout) => dropout.forward(x),
        }
    }
}

/// Fully connected layers after flattening: ReLU and dropout between them.
#[derive(Module, Debug)]
pub struct FullyConnectedHead {
    layers: Vec<Linear>,
    activation: Relu,
    dropout: Dropout,
}

impl FullyConnectedHead {
    /// # Shapes
    /// - input: `[batch, features]` -> output `[batch, classes]`
    pub fn forward(&self, mut x: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len().saturating_sub(1);
        for (i, layer) in self.layers.iter().enumerate() {
            x = layer.forward(x);
            if i < last {
                x = self.dropout.forward(self.activation.forward(x));
            }
        }
        x
    }

    fn linear_count(&self) -> usize {
        self.layers.len()
    }
}

/// A built head.
#[derive(Module, Debug)]
pub enum Head {
    GlobalAvgPool(GlobalAvgPool),
    FullyConnected(FullyConnectedHead),
}

/// The network: body stages then head.
#[derive(Module, Debug)]
pub struct Nin {
    stages: Vec<Stage>,
    head: Head,
}

/// The real output shape after each stage and head step, read from the tensors (no readback).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardTrace {
    /// Shape after each body stage, then after each head step.
    pub shapes: Vec<Vec<usize>>,
}

impl Nin {
    /// # Shapes
    /// - input: `[batch, input_channels, h, w]` (h, w >= the config's minimum side)
    /// - output: `[batch, num_classes]` logits
    pub fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        self.forward_traced(x).0
    }

    /// The forward pass that also records each step's output shape, for the summary cell.
    ///
    /// # Shapes
    /// - input: `[batch, input_channels, h, w]`
    /// - output: `[batch, num_classes]`
    pub fn forward_traced(&self, mut x: Tensor<4>) -> (Tensor<2>, ForwardTrace) {
        let mut shapes = Vec::with_capacity(self.stages.len() + 2);
        for stage in &self.stages {
            x = stage.forward(x);
            shapes.push(x.dims().to_vec());
        }
        let logits = match &self.head {
            Head::GlobalAvgPool(_) => {
                let pooled = adaptive_avg_pool2d(x, [1, 1]); // [batch, classes, 1, 1]
                shapes.push(pooled.dims().to_vec());
                let flat: Tensor<2> = pooled.flatten(1, 3); // [batch, classes]
                shapes.push(flat.dims().to_vec());
                flat
            }
            Head::FullyConnected(head) => {
                let mut x: Tensor<2> = x.flatten(1, 3); // [batch, c * h * w]
                shapes.push(x.dims().to_vec());
                let last = head.linear_count().saturating_sub(1);
                for (i, layer) in head.layers.iter().enumerate() {
                    x = layer.forward(x); // [batch, width]
                    if i < last {
                        x = head.dropout.forward(head.activation.forward(x));
                    }
                    shapes.push(x.dims().to_vec());
                }
                x
            }
        };
        (logits, ForwardTrace { shapes })
    }

    /// The forward pass that also keeps the output of every NiN block (after its last ReLU),
    /// for the feature-map view. Pools and dropout are applied but not kept.
    ///
    /// # Shapes
    /// - input: `[batch, input_channels, h, w]`
    /// - output: `[batch, num_classes]` logits and one `[batch, c_i, h_i, w_i]` per block
    pub fn forward_block_maps(&self, mut x: Tensor<4>) -> (Tensor<2>, Vec<Tensor<4>>) {
        let mut maps = Vec::new();
        for stage in &self.stages {
            x = stage.forward(x);
            if let Stage::Block(_) = stage {
                maps.push(x.clone());
            }
        }
        let logits = match &self.head {
            Head::GlobalAvgPool(_) => adaptive_avg_pool2d(x, [1, 1]).flatten(1, 3),
            Head::FullyConnected(head) => head.forward(x.flatten(1, 3)),
        };
        (logits, maps)
    }

    /// Number of NiN blocks and their conv counts, for tests and the UI.
    pub fn block_conv_counts(&self) -> Vec<usize> {
        self.stages
            .iter()
            .filter_map(|s| match s {
                Stage::Block(b) => Some(b.conv_count()),
                _ => None,
            })
            .collect()
    }
}

/// Lets tests reach a parameter tensor directly.
#[cfg(test)]
pub(crate) fn first_conv_weight(model: &Nin) -> Option<burn::module::Param<Tensor<4>>> {
    model.stages.iter().find_map(|s| match s {
        Stage::Block(b) => b.convs.first().map(|c| c.weight.clone()),
        _ => None,
    })
}

#[cfg(test)]
mod tests;
