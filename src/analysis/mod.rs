//! Pure arithmetic over a [`NinConfig`]: per-layer output shapes, parameters and FLOPs.
//! The same functions validate user input (before any tensor exists), fill the summary table,
//! and are tested against the real forward pass.

use serde::{Deserialize, Serialize};

pub mod memory;
mod plan;

pub use plan::{body_output, min_input_side, plan, window_output};

use crate::model::config::{HeadConfig, NinBlockConfig, NinConfig, StageConfig};

/// Bytes per activation element: the app computes in f32.
pub const BYTES_PER_ELEMENT: u64 = 4;

/// The FLOP convention used by [`plan`], shown next to the numbers in the UI.
pub const FLOP_CONVENTION: &str = "one multiply-add = 2 FLOPs; each bias add, ReLU, pooling comparison or addition = 1 FLOP; dropout and flatten = 0";

/// Bytes of an f32 tensor with these dimensions, each widened to u64 before multiplying (usize
/// is 32 bits in the browser) and saturating instead of wrapping.
pub fn element_bytes(dims: &[usize]) -> u64 {
    dims.iter().fold(BYTES_PER_ELEMENT, |acc, &d| acc.saturating_mul(d as u64))
}

/// An input batch shape `[batch, channels, height, width]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputShape {
    pub batch: usize,
    pub channels: usize,
    pub height: usize,
    pub width: usize,
}

impl InputShape {
    pub fn new(batch: usize, channels: usize, height: usize, width: usize) -> Self {
        Self { batch, channels, height, width }
    }

    /// The book's example input for the shape summary: one 224x224 grey image.
    pub fn book() -> Self {
        Self::new(1, 1, 224, 224)
    }

    pub fn dims(&self) -> [usize; 4] {
        [self.batch, self.channels, self.height, self.width]
    }
}

/// Which input dimension an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dimension {
    Batch,
    Channels,
    Height,
    Width,
}

impl std::fmt::Display for Dimension {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Dimension::Batch => "batch size",
            Dimension::Channels => "channel count",
            Dimension::Height => "height",
            Dimension::Width => "width",
        })
    }
}

/// Why a config or an input cannot run. Every variant is found before a tensor is created.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum AnalysisError {
    #[error("the {0} is 0; every input dimension must be at least 1")]
    ZeroDimension(Dimension),
    #[error("the input has {got} channel(s) but the model expects {expected}")]
    ChannelMismatch { expected: usize, got: usize },
    #[error(
        "a {height}x{width} input is too small: layer {layer} (\"{layer_name}\") would get a {map_height}x{map_width} map, smaller than its {kernel}x{kernel} window{}",
        min_side.map(|s| format!("; this model needs at least {s}x{s} pixels")).unwrap_or_default()
    )]
    InputTooSmall {
        height: usize,
        width: usize,
        /// 1-based row of the summary table where the map runs out.
        layer: usize,
        layer_name: String,
        map_height: u64,
        map_width: u64,
        kernel: usize,
        /// Smallest square input this model accepts, if any.
        min_side: Option<usize>,
    },
    #[error(
        "the activation of layer {layer} needs {needed_mib:.1} MiB, more than the {limit_mib:.1} MiB one buffer may hold here; use a smaller batch or image"
    )]
    TooLarge { layer: usize, needed_mib: f64, limit_mib: f64 },
    #[error("the fully connected head was built for {built_height}x{built_width} inputs and cannot take {height}x{width}")]
    HeadTiedToInput { built_height: usize, built_width: usize, height: usize, width: usize },
    #[error("invalid model config: {0}")]
    InvalidConfig(String),
    #[error("the sizes overflow 64-bit arithmetic")]
    Overflow,
}

/// What one summary row is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LayerKind {
    /// A NiN block (1-based index among blocks).
    NinBlock {
        index: usize,
        kernel: usize,
        stride: usize,
        padding: usize,
        mlp_kernel: usize,
        convs: usize,
    },
    MaxPool {
        kernel: usize,
        stride: usize,
    },
    Dropout {
        prob: f64,
    },
    GlobalAvgPool,
    Flatten,
    Linear {
        in_features: u64,
        out_features: u64,
    },
}

impl LayerKind {
    /// The PyTorch class the book's summary prints for this row.
    pub fn book_name(&self) -> &'static str {
        match self {
            LayerKind::NinBlock { .. } => "Sequential",
            LayerKind::MaxPool { .. } => "MaxPool2d",
            LayerKind::Dropout { .. } => "Dropout",
            LayerKind::GlobalAvgPool => "AdaptiveAvgPool2d",
            LayerKind::Flatten => "Flatten",
            LayerKind::Linear { .. } => "Linear",
        }
    }

    /// A short English description, used in error messages.
    pub fn describe(&self) -> String {
        match self {
            LayerKind::NinBlock { index, kernel, stride, .. } => format!("NiN block {index}, {kernel}x{kernel} conv stride {stride}"),
            LayerKind::MaxPool { kernel, stride } => format!("max pool {kernel}x{kernel} stride {stride}"),
            LayerKind::Dropout { prob } => format!("dropout {prob}"),
            LayerKind::GlobalAvgPool => "global average pool".into(),
            LayerKind::Flatten => "flatten".into(),
            LayerKind::Linear { in_features, out_features } => format!("linear {in_features} -> {out_features}"),
        }
    }
}

/// One row of the shape summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerRow {
    pub kind: LayerKind,
    /// Output shape, batch first.
    pub output: Vec<u64>,
    /// Learnable parameters of this row.
    pub params: u64,
    /// Forward FLOPs of this row for the whole batch ([`FLOP_CONVENTION`]).
    pub flops: u64,
    /// Largest single tensor this row creates, in bytes (f32).
    pub largest_tensor_bytes: u64,
}

/// The whole summary for one config and input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShapePlan {
    pub input: InputShape,
    pub rows: Vec<LayerRow>,
}

impl ShapePlan {
    pub fn total_params(&self) -> u64 {
        self.rows.iter().map(|r| r.params).sum()
    }

    pub fn total_flops(&self) -> u64 {
        self.rows.iter().map(|r| r.flops).sum()
    }

    /// The largest single tensor of the forward pass, input included, with its 1-based row
    /// (0 = the input). One WebGPU storage buffer must hold it.
    pub fn largest_tensor(&self) -> (usize, u64) {
        let input = self.input.dims().iter().map(|&d| d as u64).fold(BYTES_PER_ELEMENT, |acc, d| acc.saturating_mul(d));
        self.rows.iter().enumerate().map(|(i, r)| (i + 1, r.largest_tensor_bytes)).fold((0, input), |best, cur| if cur.1 > best.1 { cur } else { best })
    }

    /// Refuses a plan whose largest tensor exceeds `limit_bytes` (e.g. the adapter's
    /// `maxStorageBufferBindingSize`).
    pub fn check_fits(&self, limit_bytes: u64) -> Result<(), AnalysisError> {
        let (layer, bytes) = self.largest_tensor();
        if bytes > limit_bytes {
            return Err(AnalysisError::TooLarge { layer, needed_mib: mib(bytes), limit_mib: mib(limit_bytes) });
        }
        Ok(())
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// The body's output shape `[batch, c, h, w]`, for sizing an FC head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapShape {
    pub batch: u64,
    pub channels: u64,
    pub height: u64,
    pub width: u64,
}

impl MapShape {
    fn from_input(input: InputShape) -> Self {
        Self { batch: input.batch as u64, channels: input.channels as u64, height: input.height as u64, width: input.width as u64 }
    }

    /// Features per example after flattening.
    pub fn features(&self) -> usize {
        self.per_example().map(|f| f as usize).unwrap_or(usize::MAX)
    }

    fn per_example(&self) -> Result<u64, AnalysisError> {
        checked(&[self.channels, self.height, self.width])
    }

    fn elements(&self) -> Result<u64, AnalysisError> {
        checked(&[self.batch, self.per_example()?])
    }

    fn dims(&self) -> Vec<u64> {
        vec![self.batch, self.channels, self.height, self.width]
    }
}

/// The product of `factors`, or [`AnalysisError::Overflow`].
fn checked(factors: &[u64]) -> Result<u64, AnalysisError> {
    factors.iter().try_fold(1u64, |acc, &f| acc.checked_mul(f)).ok_or(AnalysisError::Overflow)
}

/// Checks a config on its own: no zero widths or kernels, strides of at least 1, a GAP head
/// whose last block has one channel per class, dropout in [0, 1).
pub fn validate_config(config: &NinConfig) -> Result<(), AnalysisError> {
    let bad = |m: String| Err(AnalysisError::InvalidConfig(m));
    if config.input_channels == 0 {
        return bad("input channels must be at least 1".into());
    }
    if config.num_classes == 0 {
        return bad("there must be at least one class".into());
    }
    let mut last_channels = config.input_channels;
    for (i, stage) in config.stages.iter().enumerate() {
        let n = i + 1;
        match stage {
            StageConfig::Block(b) => {
                if b.channels.is_empty() || b.channels.contains(&0) {
                    return bad(format!("stage {n}: every convolution needs at least one output channel"));
                }
                if b.kernel == 0 || b.stride == 0 || b.mlp_kernel == 0 {
                    return bad(format!("stage {n}: kernels and strides must be at least 1"));
                }
                if b.mlp_kernel % 2 == 0 {
                    return bad(format!("stage {n}: the inner kernel must be odd to keep the map size"));
                }
                last_channels = *b.channels.last().unwrap_or(&last_channels);
            }
            StageConfig::MaxPool { kernel, stride } => {
                if *kernel == 0 || *stride == 0 {
                    return bad(format!("stage {n}: pooling window and stride must be at least 1"));
                }
            }
            StageConfig::Dropout { prob } => {
                if !prob.is_finite() || !(0.0..1.0).contains(prob) {
                    return bad(format!("stage {n}: dropout probability must be in [0, 1)"));
                }
            }
        }
    }
    match config.head {
        HeadConfig::GlobalAvgPool if last_channels != config.num_classes => {
            bad(format!("with global average pooling the last block must have {} channels (one per class), not {last_channels}", config.num_classes))
        }
        HeadConfig::FullyConnected { input_height, input_width, .. } if input_height == 0 || input_width == 0 => {
            bad("the fully connected head needs a non-zero input size".into())
        }
        HeadConfig::FullyConnected { ref hidden, .. } if hidden.contains(&0) => bad("every fully connected layer needs at least one output".into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
