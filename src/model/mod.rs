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

pub mod config;

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
mod tests {
    use super::*;
    use crate::analysis::{InputShape, plan};

    #[test]
    fn book_model_has_four_blocks_of_three_convs() {
        let _rng = crate::burn_rng_lock();
        let model = NinConfig::book().init(&Device::flex()).unwrap();
        assert_eq!(model.block_conv_counts(), vec![3, 3, 3, 3]);
    }

    #[test]
    fn parameter_count_from_tensors_equals_the_analysis() {
        let _rng = crate::burn_rng_lock();
        for config in [
            NinConfig::book(),
            NinConfig::book_with_classes(5),
            NinConfig::book().with_head(HeadConfig::FullyConnected { input_height: 96, input_width: 96, hidden: vec![] }),
            NinConfig::vgg(&VGG11, 10),
        ] {
            let model = config.init(&Device::flex()).unwrap();
            let side = match config.head {
                HeadConfig::FullyConnected { input_height, .. } => input_height,
                HeadConfig::GlobalAvgPool => 224,
            };
            let expected = plan(&config, InputShape::new(1, 1, side, side)).unwrap().total_params();
            assert_eq!(model.num_params() as u64, expected);
        }
    }

    #[test]
    fn first_conv_is_xavier_uniform() {
        let _rng = crate::burn_rng_lock();
        let model = NinConfig::book().init(&Device::flex()).unwrap();
        let weight = first_conv_weight(&model).unwrap().val();
        let values = weight.into_data().try_to_vec::<f32>().unwrap();
        // fan_in = 1 * 11 * 11, fan_out = 96 * 11 * 11; bound = sqrt(6 / (fan_in + fan_out))
        let bound = (6.0f32 / (121.0 + 96.0 * 121.0)).sqrt();
        assert!(values.iter().all(|v| v.abs() <= bound * 1.0001), "weights outside the Xavier bound");
        let var = values.iter().map(|v| v * v).sum::<f32>() / values.len() as f32;
        let expected_var = bound * bound / 3.0; // variance of U(-b, b)
        assert!((var / expected_var - 1.0).abs() < 0.1, "variance {var} vs {expected_var}");
    }

    #[test]
    fn block_maps_have_the_planned_shapes_and_the_same_logits() {
        let _rng = crate::burn_rng_lock();
        let model = NinConfig::book().init(&Device::flex()).unwrap().valid();
        let x = Tensor::<4>::random([1, 1, 96, 96], burn::tensor::Distribution::Uniform(0.0, 1.0), &Device::flex());
        let (logits, maps) = model.forward_block_maps(x.clone());
        let shapes: Vec<Vec<usize>> = maps.iter().map(|m| m.dims().to_vec()).collect();
        assert_eq!(shapes, vec![vec![1, 96, 22, 22], vec![1, 256, 10, 10], vec![1, 384, 4, 4], vec![1, 10, 1, 1]]);
        let a: Vec<f32> = logits.into_data().try_to_vec().unwrap();
        let b: Vec<f32> = model.forward(x).into_data().try_to_vec().unwrap();
        assert_eq!(a, b);
    }

    /// Regression (issue 20): Burn's LinearConfig applies its initializer to the bias too, so
    /// the fully connected heads' biases were Xavier (exercise 3's 250 -> 10 layer: +-0.152)
    /// instead of PyTorch's default U(+-1/sqrt(fan_in)) = +-0.063, as the doc comment and
    /// d2l's init_cnn have it.
    #[test]
    fn fully_connected_biases_are_torch_default_not_xavier() {
        let _rng = crate::burn_rng_lock();
        let config = NinConfig::book().with_head(HeadConfig::FullyConnected { input_height: 224, input_width: 224, hidden: vec![] });
        let model = config.init(&Device::flex()).unwrap();
        let Head::FullyConnected(head) = &model.head else { panic!("an FC head") };
        let layer = head.layers.last().unwrap();
        assert_eq!(layer.weight.dims(), [250, 10]);
        let bias = layer.bias.as_ref().unwrap().val().into_data().try_to_vec::<f32>().unwrap();
        let bound = 1.0 / 250f32.sqrt();
        assert!(bias.iter().all(|b| b.abs() <= bound * 1.0001), "{bias:?} outside +-{bound}");
        assert!(bias.iter().any(|b| b.abs() > bound * 0.3), "{bias:?} is not spread over +-{bound}");
    }

    /// The 1x1 convolutions run as matrix products (Burn's CPU backend computes a 1x1 conv's
    /// weight gradient one input channel at a time); the output and all three gradients must
    /// be Burn's conv2d's.
    #[test]
    fn pointwise_equals_burns_conv2d_forward_and_backward() {
        let _rng = crate::burn_rng_lock();
        let device = Device::flex().autodiff();
        let layer = conv(6, 5, 1, 1, 0, &device);
        assert!(is_pointwise(&layer));
        assert!(!is_pointwise(&conv(6, 5, 3, 1, 1, &device)) && !is_pointwise(&conv(6, 5, 1, 2, 0, &device)) && !is_pointwise(&conv(6, 5, 1, 1, 1, &device)));
        let x = Tensor::<4>::random([3, 6, 4, 7], burn::tensor::Distribution::Normal(0.0, 1.0), &device).require_grad();
        let target = Tensor::<4>::random([3, 5, 4, 7], burn::tensor::Distribution::Normal(0.0, 1.0), &device);
        let run = |y: Tensor<4>| {
            let values: Vec<f32> = y.clone().into_data().try_to_vec().unwrap();
            let grads = (y * target.clone()).sum().backward();
            let read = |t: Option<Tensor<4>>| t.unwrap().into_data().try_to_vec::<f32>().unwrap();
            let x_grad = read(x.grad(&grads));
            let w_grad = read(layer.weight.val().grad(&grads));
            let b_grad: Vec<f32> = layer.bias.as_ref().unwrap().val().grad(&grads).unwrap().into_data().try_to_vec().unwrap();
            (values, x_grad, w_grad, b_grad)
        };
        let ours = run(pointwise(&layer, x.clone()));
        let burns = run(layer.forward(x.clone()));
        let close = |a: &[f32], b: &[f32], what: &str| {
            assert_eq!(a.len(), b.len(), "{what}");
            let worst = a.iter().zip(b).map(|(p, q)| (p - q).abs() / (1.0 + q.abs())).fold(0.0f32, f32::max);
            assert!(worst < 1e-5, "{what}: differs by {worst}");
        };
        close(&ours.0, &burns.0, "output");
        close(&ours.1, &burns.1, "input gradient");
        close(&ours.2, &burns.2, "weight gradient");
        close(&ours.3, &burns.3, "bias gradient");
        assert_eq!(ours.2.len(), 5 * 6);
    }

    #[test]
    fn invalid_config_is_an_error_not_a_panic() {
        let _rng = crate::burn_rng_lock();
        let mut config = NinConfig::book();
        config.stages[0] = StageConfig::Block(NinBlockConfig::new(vec![96, 0, 96], 11, 4, 0));
        assert!(config.init(&Device::flex()).is_err());
    }
}
