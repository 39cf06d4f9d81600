//! The network of the code cell's program (`crates/nin-code`) as a Burn module: any sequence of
//! the layers the cell supports, built from the checked leaf list of its [`Summary`], with the
//! book's initialisation. The cell's "Run" passes the summary's input through it on the engine
//! and prints each top-level layer's real output shape, as the book's `layer_summary` does.

use burn::module::Module;
use burn::nn::conv::Conv2dConfig;
use burn::nn::pool::{AdaptiveAvgPool2d, AdaptiveAvgPool2dConfig, AvgPool2d, AvgPool2dConfig, MaxPool2d, MaxPool2dConfig};
use burn::nn::{Dropout, DropoutConfig, Linear, LinearConfig, PaddingConfig2d, Relu};
use burn::prelude::*;
use nin_code::{Layer, Summary};

use super::{torch_bias, xavier};

/// `nn.Flatten()`: (batch, c, h, w) to (batch, c·h·w); a unit module so the layer enum can hold it.
#[derive(Module, Debug)]
pub struct Flatten;

/// One built layer of an edited net.
#[derive(Module, Debug)]
#[allow(clippy::large_enum_variant)]
pub enum CodeLayer {
    Conv(burn::nn::conv::Conv2d),
    Relu(Relu),
    MaxPool(MaxPool2d),
    AvgPool(AvgPool2d),
    Dropout(Dropout),
    AdaptiveAvgPool(AdaptiveAvgPool2d),
    Flatten(Flatten),
    Linear(Linear),
}

/// An edited net: its layers in order, and the index of the last layer of each top-level entry
/// of the program's `nn.Sequential` (where the summary prints a row).
#[derive(Module, Debug)]
pub struct CodeNet {
    layers: Vec<CodeLayer>,
    row_ends: Vec<usize>,
}

/// A tensor between two layers: images until a Flatten, features after it.
#[derive(Debug, Clone)]
pub enum Activation {
    Maps(Tensor<4>),
    Features(Tensor<2>),
}

impl Activation {
    fn dims(&self) -> Vec<usize> {
        match self {
            Activation::Maps(t) => t.dims().to_vec(),
            Activation::Features(t) => t.dims().to_vec(),
        }
    }

    /// Reads the values back (asynchronously: safe on WebGPU in the browser), so the forward
    /// pass has run, and checks they are finite.
    pub async fn finish(self) -> Result<(), String> {
        let data = match self {
            Activation::Maps(t) => t.into_data_async().await,
            Activation::Features(t) => t.into_data_async().await,
        }
        .map_err(|e| format!("{e:?}"))?;
        let finite = data.as_slice::<f32>().map(|v| v.iter().all(|x| x.is_finite())).unwrap_or(false);
        if finite { Ok(()) } else { Err("the output is not finite f32 values".into()) }
    }
}

/// What an edited net does not allow to build (the pure summary checked the rest).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeNetError {
    /// A lazy layer whose input size the summary did not infer (cannot happen after a summary).
    #[error("layer {0} has no input size")]
    NoInputSize(usize),
    /// A layer met a tensor of the other rank (cannot happen after a summary).
    #[error("layer {0} got a tensor of the wrong rank")]
    WrongRank(usize),
}

impl CodeNet {
    /// Builds the layers of `summary` (from `nin_code::summary`, which checked every shape) on
    /// `device`: convolutions and linear layers Xavier-uniform with PyTorch's default biases.
    pub fn init(summary: &Summary, device: &Device) -> Result<Self, CodeNetError> {
        let mut layers = Vec::with_capacity(summary.leaves.len());
        let mut row_ends = vec![0; summary.rows.len()];
        for (i, leaf) in summary.leaves.iter().enumerate() {
            layers.push(match leaf.layer {
                Layer::Conv2d { in_channels, out_channels, kernel_size: k, stride: s, padding: p, bias } => {
                    let in_channels = in_channels.or(leaf.input.get(1).copied()).ok_or(CodeNetError::NoInputSize(i))?;
                    let mut conv = Conv2dConfig::new([in_channels, out_channels], k)
                        .with_stride(s)
                        .with_padding(PaddingConfig2d::Explicit(p[0], p[1], p[0], p[1]))
                        .with_bias(bias)
                        .with_initializer(xavier())
                        .init(device);
                    if bias {
                        let (fan_in, fan_out) = (in_channels * k[0] * k[1], out_channels * k[0] * k[1]);
                        conv.bias = Some(torch_bias().init_with([out_channels], Some(fan_in), Some(fan_out), device));
                    }
                    CodeLayer::Conv(conv)
                }
                Layer::ReLU => CodeLayer::Relu(Relu::new()),
                Layer::MaxPool2d { kernel_size, stride, padding } => CodeLayer::MaxPool(
                    MaxPool2dConfig::new(kernel_size)
                        .with_strides(stride)
                        .with_padding(PaddingConfig2d::Explicit(padding[0], padding[1], padding[0], padding[1]))
                        .init(),
                ),
                Layer::AvgPool2d { kernel_size, stride, padding } => CodeLayer::AvgPool(
                    AvgPool2dConfig::new(kernel_size)
                        .with_strides(stride)
                        .with_padding(PaddingConfig2d::Explicit(padding[0], padding[1], padding[0], padding[1]))
                        .with_count_include_pad(true)
                        .init(),
                ),
                Layer::Dropout { p } => CodeLayer::Dropout(DropoutConfig::new(p).init()),
                Layer::AdaptiveAvgPool2d { output_size } => CodeLayer::AdaptiveAvgPool(AdaptiveAvgPool2dConfig::new(output_size).init()),
                Layer::Flatten => CodeLayer::Flatten(Flatten),
                Layer::Linear { in_features, out_features, bias } => {
                    let in_features = in_features.or(leaf.input.get(1).copied()).ok_or(CodeNetError::NoInputSize(i))?;
                    let mut linear = LinearConfig::new(in_features, out_features).with_bias(bias).with_initializer(xavier()).init(device);
                    if bias {
                        linear.bias = Some(torch_bias().init_with([out_features], Some(in_features), Some(out_features), device));
                    }
                    CodeLayer::Linear(linear)
                }
            });
            if let Some(end) = row_ends.get_mut(leaf.row) {
                *end = i;
            }
        }
        Ok(Self { layers, row_ends })
    }

    /// Runs `x` through every layer: each top-level entry's real output shape (read from the
    /// tensors' metadata: no readback), and the last output.
    ///
    /// # Shapes
    /// - input: `[batch, channels, h, w]` as the summary's input
    /// - output: one shape per summary row (4-D before a Flatten, 2-D after), and the last tensor
    pub fn forward_rows(&self, x: Tensor<4>) -> Result<(Vec<Vec<usize>>, Activation), CodeNetError> {
        let mut act = Activation::Maps(x);
        let mut shapes = Vec::with_capacity(self.row_ends.len());
        let mut row = 0;
        for (i, layer) in self.layers.iter().enumerate() {
            act = match (layer, act) {
                (CodeLayer::Conv(c), Activation::Maps(t)) => Activation::Maps(c.forward(t)),
                (CodeLayer::Relu(r), Activation::Maps(t)) => Activation::Maps(r.forward(t)),
                (CodeLayer::Relu(r), Activation::Features(t)) => Activation::Features(r.forward(t)),
                (CodeLayer::MaxPool(p), Activation::Maps(t)) => Activation::Maps(p.forward(t)),
                (CodeLayer::AvgPool(p), Activation::Maps(t)) => Activation::Maps(p.forward(t)),
                (CodeLayer::Dropout(d), Activation::Maps(t)) => Activation::Maps(d.forward(t)),
                (CodeLayer::Dropout(d), Activation::Features(t)) => Activation::Features(d.forward(t)),
                (CodeLayer::AdaptiveAvgPool(p), Activation::Maps(t)) => Activation::Maps(p.forward(t)),
                (CodeLayer::Flatten(_), Activation::Maps(t)) => Activation::Features(t.flatten(1, 3)),
                (CodeLayer::Flatten(_), a @ Activation::Features(_)) => a,
                (CodeLayer::Linear(l), Activation::Features(t)) => Activation::Features(l.forward(t)),
                _ => return Err(CodeNetError::WrongRank(i)),
            };
            while row < self.row_ends.len() && self.row_ends[row] == i {
                shapes.push(act.dims());
                row += 1;
            }
        }
        Ok((shapes, act))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book_net() -> (CodeNet, Summary) {
        let (_, summary) = nin_code::analyze(nin_code::BOOK_CODE).expect("the book's code");
        (CodeNet::init(&summary, &Device::flex()).expect("builds"), summary)
    }

    #[test]
    fn the_books_code_runs_to_the_books_shapes_with_its_parameters() {
        let _lock = crate::burn_rng_lock();
        let (net, summary) = book_net();
        // Counted from the real tensors, equal to the pure count and to the NiN the app builds.
        assert_eq!(net.num_params() as u64, summary.total_params);
        assert_eq!(net.num_params(), 1_992_166);
        assert_eq!(crate::model::NinConfig::book().init(&Device::flex()).unwrap().num_params(), net.num_params());
        let x = Tensor::<4>::zeros([1, 1, 224, 224], &Device::flex());
        let shapes = net.forward_rows(x).unwrap().0;
        let pure: Vec<Vec<usize>> = summary.rows.iter().map(|r| r.output.clone()).collect();
        assert_eq!(shapes, pure);
        assert_eq!(shapes[0], vec![1, 96, 54, 54]);
        assert_eq!(shapes.last().unwrap(), &vec![1, 10]);
    }

    #[test]
    fn an_edited_head_and_other_layers_run_to_the_pure_shapes() {
        let _lock = crate::burn_rng_lock();
        let code = nin_code::BOOK_CODE
            .replace(
                "nn.AdaptiveAvgPool2d((1, 1)),\n            nn.Flatten())",
                "nn.AvgPool2d(2), nn.Flatten(), nn.LazyLinear(32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 10))",
            )
            .replace("(1, 1, 224, 224)", "(2, 1, 160, 160)");
        let (_, summary) = nin_code::analyze(&code).unwrap_or_else(|e| panic!("{e}"));
        let net = CodeNet::init(&summary, &Device::flex()).unwrap();
        assert_eq!(net.num_params() as u64, summary.total_params);
        let shapes = net.forward_rows(Tensor::<4>::zeros([2, 1, 160, 160], &Device::flex())).unwrap().0;
        assert_eq!(shapes, summary.rows.iter().map(|r| r.output.clone()).collect::<Vec<_>>());
        assert_eq!(shapes.last().unwrap(), &vec![2, 10]);
    }
}
