//! Pure arithmetic over a [`NinConfig`]: per-layer output shapes, parameters and FLOPs.
//! The same functions validate user input (before any tensor exists), fill the summary table,
//! and are tested against the real forward pass.

use serde::{Deserialize, Serialize};

pub mod memory;

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

fn check_input(config: &NinConfig, input: InputShape) -> Result<(), AnalysisError> {
    for (value, dim) in
        [(input.batch, Dimension::Batch), (input.channels, Dimension::Channels), (input.height, Dimension::Height), (input.width, Dimension::Width)]
    {
        if value == 0 {
            return Err(AnalysisError::ZeroDimension(dim));
        }
    }
    if input.channels != config.input_channels {
        return Err(AnalysisError::ChannelMismatch { expected: config.input_channels, got: input.channels });
    }
    if let HeadConfig::FullyConnected { input_height, input_width, .. } = config.head
        && (input_height, input_width) != (input.height, input.width)
    {
        return Err(AnalysisError::HeadTiedToInput { built_height: input_height, built_width: input_width, height: input.height, width: input.width });
    }
    Ok(())
}

/// Output side of a window op: `(side + 2 * padding - kernel) / stride + 1`, or `None` when
/// the window does not fit.
pub fn window_output(side: u64, kernel: usize, stride: usize, padding: usize) -> Option<u64> {
    let padded = side.checked_add(2 * padding as u64)?;
    let k = kernel as u64;
    if padded < k || stride == 0 {
        return None;
    }
    Some((padded - k) / stride as u64 + 1)
}

struct Walker {
    map: MapShape,
    rows: Vec<LayerRow>,
}

impl Walker {
    /// `min_side` is filled in by [`with_min_side`] (computing it here would recurse).
    fn too_small(&self, input: InputShape, kind: &LayerKind, kernel: usize) -> AnalysisError {
        AnalysisError::InputTooSmall {
            height: input.height,
            width: input.width,
            layer: self.rows.len() + 1,
            layer_name: kind.describe(),
            map_height: self.map.height,
            map_width: self.map.width,
            kernel,
            min_side: None,
        }
    }

    fn block(&mut self, b: &NinBlockConfig, index: usize) -> Result<LayerKind, Option<usize>> {
        let kind = LayerKind::NinBlock { index, kernel: b.kernel, stride: b.stride, padding: b.padding, mlp_kernel: b.mlp_kernel, convs: b.channels.len() };
        let (mut params, mut flops, mut largest) = (0u64, 0u64, 0u64);
        for (i, &c_out) in b.channels.iter().enumerate() {
            let (k, s, p) = if i == 0 { (b.kernel, b.stride, b.padding) } else { (b.mlp_kernel, 1, b.mlp_padding()) };
            let h = window_output(self.map.height, k, s, p).ok_or(Some(k))?;
            let w = window_output(self.map.width, k, s, p).ok_or(Some(k))?;
            let c_in = self.map.channels;
            let c_out = c_out as u64;
            let k2 = (k as u64).checked_mul(k as u64).ok_or(None)?;
            let weights = checked(&[c_out, c_in, k2]).map_err(|_| None)?;
            params = params.checked_add(weights).and_then(|p| p.checked_add(c_out)).ok_or(None)?;
            let out = MapShape { batch: self.map.batch, channels: c_out, height: h, width: w };
            let elems = out.elements().map_err(|_| None)?;
            // multiply-adds (x2), bias add, ReLU
            let per_output = checked(&[2, c_in, k2]).map_err(|_| None)?.checked_add(2).ok_or(None)?;
            flops = flops.checked_add(elems.checked_mul(per_output).ok_or(None)?).ok_or(None)?;
            largest = largest.max(elems.checked_mul(BYTES_PER_ELEMENT).ok_or(None)?);
            self.map = out;
        }
        self.push(kind.clone(), params, flops, largest);
        Ok(kind)
    }

    fn push(&mut self, kind: LayerKind, params: u64, flops: u64, largest_tensor_bytes: u64) {
        self.rows.push(LayerRow { kind, output: self.map.dims(), params, flops, largest_tensor_bytes });
    }
}

/// Walks the body and returns the walker, or the error at the first stage that cannot run.
fn walk_body(config: &NinConfig, input: InputShape) -> Result<Walker, AnalysisError> {
    validate_config(config)?;
    let mut walker = Walker { map: MapShape::from_input(input), rows: Vec::new() };
    let mut block_index = 0;
    for stage in &config.stages {
        match stage {
            StageConfig::Block(b) => {
                block_index += 1;
                let kind_for_error = LayerKind::NinBlock {
                    index: block_index,
                    kernel: b.kernel,
                    stride: b.stride,
                    padding: b.padding,
                    mlp_kernel: b.mlp_kernel,
                    convs: b.channels.len(),
                };
                let before = walker.map;
                match walker.block(b, block_index) {
                    Ok(_) => {}
                    Err(Some(kernel)) => {
                        walker.map = before;
                        return Err(walker.too_small(input, &kind_for_error, kernel));
                    }
                    Err(None) => return Err(AnalysisError::Overflow),
                }
            }
            StageConfig::MaxPool { kernel, stride } => {
                let kind = LayerKind::MaxPool { kernel: *kernel, stride: *stride };
                let (Some(h), Some(w)) = (window_output(walker.map.height, *kernel, *stride, 0), window_output(walker.map.width, *kernel, *stride, 0)) else {
                    return Err(walker.too_small(input, &kind, *kernel));
                };
                walker.map = MapShape { height: h, width: w, ..walker.map };
                let elems = walker.map.elements()?;
                let window = (*kernel as u64).checked_mul(*kernel as u64).ok_or(AnalysisError::Overflow)?;
                let flops = checked(&[elems, window - 1])?;
                walker.push(kind, 0, flops, checked(&[elems, BYTES_PER_ELEMENT])?);
            }
            StageConfig::Dropout { prob } => {
                let elems = walker.map.elements()?;
                walker.push(LayerKind::Dropout { prob: *prob }, 0, 0, checked(&[elems, BYTES_PER_ELEMENT])?);
            }
        }
    }
    Ok(walker)
}

/// The shape of the body's last map for `input`, e.g. to size a fully connected head.
pub fn body_output(config: &NinConfig, input: InputShape) -> Result<MapShape, AnalysisError> {
    let mut unchecked = config.clone();
    unchecked.head = HeadConfig::GlobalAvgPool;
    unchecked.num_classes = last_block_channels(config).unwrap_or(config.num_classes);
    Ok(walk_body(&unchecked, input).map_err(|e| with_min_side(e, config))?.map)
}

/// Adds the model's smallest valid side to an "input too small" error.
fn with_min_side(error: AnalysisError, config: &NinConfig) -> AnalysisError {
    match error {
        AnalysisError::InputTooSmall { height, width, layer, layer_name, map_height, map_width, kernel, .. } => {
            AnalysisError::InputTooSmall { height, width, layer, layer_name, map_height, map_width, kernel, min_side: min_input_side(config) }
        }
        other => other,
    }
}

fn last_block_channels(config: &NinConfig) -> Option<usize> {
    config.stages.iter().rev().find_map(|s| match s {
        StageConfig::Block(b) => b.channels.last().copied(),
        _ => None,
    })
}

/// The full per-layer summary of `config` on `input`: the book's rows (blocks, pools,
/// dropout, then the head's steps) with shapes, parameters and FLOPs.
pub fn plan(config: &NinConfig, input: InputShape) -> Result<ShapePlan, AnalysisError> {
    check_input(config, input)?;
    let mut walker = walk_body(config, input).map_err(|e| with_min_side(e, config))?;
    let map = walker.map;
    let elems = map.elements()?;
    match config.head {
        HeadConfig::GlobalAvgPool => {
            walker.map = MapShape { height: 1, width: 1, ..map };
            // sum of h*w values and one division per output
            let pooled_bytes = checked(&[map.batch, map.channels, BYTES_PER_ELEMENT])?;
            walker.push(LayerKind::GlobalAvgPool, 0, elems, pooled_bytes);
            walker.rows.push(LayerRow {
                kind: LayerKind::Flatten,
                output: vec![map.batch, map.channels],
                params: 0,
                flops: 0,
                largest_tensor_bytes: pooled_bytes,
            });
        }
        HeadConfig::FullyConnected { ref hidden, .. } => {
            let mut features = map.per_example()?;
            walker.rows.push(LayerRow {
                kind: LayerKind::Flatten,
                output: vec![map.batch, features],
                params: 0,
                flops: 0,
                largest_tensor_bytes: checked(&[elems, BYTES_PER_ELEMENT])?,
            });
            let classes = config.num_classes as u64;
            let widths: Vec<u64> = hidden.iter().map(|&w| w as u64).chain(std::iter::once(classes)).collect();
            for (i, &width) in widths.iter().enumerate() {
                let weights = checked(&[features, width])?;
                let outputs = checked(&[map.batch, width])?;
                // multiply-adds (x2) and a bias add per output; hidden layers add a ReLU
                let extra = if i + 1 == widths.len() { 1 } else { 2 };
                let flops = checked(&[map.batch, 2, weights])?.checked_add(checked(&[outputs, extra])?).ok_or(AnalysisError::Overflow)?;
                walker.rows.push(LayerRow {
                    kind: LayerKind::Linear { in_features: features, out_features: width },
                    output: vec![map.batch, width],
                    params: weights.checked_add(width).ok_or(AnalysisError::Overflow)?,
                    flops,
                    largest_tensor_bytes: checked(&[outputs, BYTES_PER_ELEMENT])?,
                });
                features = width;
            }
        }
    }
    Ok(ShapePlan { input, rows: walker.rows })
}

/// The smallest square input side the model accepts (67 for the book's NiN), or `None` if no
/// side up to 4096 works.
pub fn min_input_side(config: &NinConfig) -> Option<usize> {
    let c = config.input_channels.max(1);
    let mut unchecked = config.clone();
    unchecked.head = HeadConfig::GlobalAvgPool;
    unchecked.num_classes = last_block_channels(config).unwrap_or(config.num_classes);
    (1..=4096).find(|&side| walk_body(&unchecked, InputShape::new(1, c, side, side)).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(plan: &ShapePlan) -> Vec<Vec<u64>> {
        plan.rows.iter().map(|r| r.output.clone()).collect()
    }

    #[test]
    fn book_shapes_at_224_match_the_chapter() {
        let plan = plan(&NinConfig::book(), InputShape::book()).unwrap();
        let expected: Vec<Vec<u64>> = vec![
            vec![1, 96, 54, 54],
            vec![1, 96, 26, 26],
            vec![1, 256, 26, 26],
            vec![1, 256, 12, 12],
            vec![1, 384, 12, 12],
            vec![1, 384, 5, 5],
            vec![1, 384, 5, 5],
            vec![1, 10, 5, 5],
            vec![1, 10, 1, 1],
            vec![1, 10],
        ];
        assert_eq!(shapes(&plan), expected);
        let names: Vec<_> = plan.rows.iter().map(|r| r.kind.book_name()).collect();
        assert_eq!(
            names,
            ["Sequential", "MaxPool2d", "Sequential", "MaxPool2d", "Sequential", "MaxPool2d", "Dropout", "Sequential", "AdaptiveAvgPool2d", "Flatten"]
        );
    }

    #[test]
    fn parameter_total_is_the_layer_arithmetic() {
        // conv params = c_out * c_in * k * k + c_out (bias)
        let conv = |c_in: u64, c_out: u64, k: u64| c_out * c_in * k * k + c_out;
        let block = |c_in, c_out, k| conv(c_in, c_out, k) + 2 * conv(c_out, c_out, 1);
        let expected = block(1, 96, 11) + block(96, 256, 5) + block(256, 384, 3) + block(384, 10, 3);
        let plan = plan(&NinConfig::book(), InputShape::book()).unwrap();
        assert_eq!(plan.total_params(), expected);
        assert_eq!(expected, 1_992_166);
    }

    #[test]
    fn flops_of_first_block_follow_the_convention() {
        let plan = plan(&NinConfig::book(), InputShape::book()).unwrap();
        let hw = 54 * 54;
        // 11x11 conv from 1 channel, then two 1x1 convs from 96 channels; each output element
        // also gets a bias add and a ReLU.
        let expected = 96 * hw * (2 * 121 + 2) + 2 * 96 * hw * (2 * 96 + 2);
        assert_eq!(plan.rows[0].flops, expected);
        // max pool 3x3: 8 comparisons per output
        assert_eq!(plan.rows[1].flops, 96 * 26 * 26 * 8);
    }

    #[test]
    fn minimum_side_is_67() {
        assert_eq!(min_input_side(&NinConfig::book()), Some(67));
        assert!(plan(&NinConfig::book(), InputShape::new(1, 1, 67, 67)).is_ok());
        let err = plan(&NinConfig::book(), InputShape::new(1, 1, 66, 66)).unwrap_err();
        match err {
            AnalysisError::InputTooSmall { min_side, layer, .. } => {
                assert_eq!(min_side, Some(67));
                assert_eq!(layer, 6, "the third max pool is the first layer to run out of map");
            }
            other => panic!("expected InputTooSmall, got {other:?}"),
        }
        // one short side is enough to fail
        assert!(matches!(plan(&NinConfig::book(), InputShape::new(1, 1, 224, 66)), Err(AnalysisError::InputTooSmall { .. })));
    }

    #[test]
    fn zero_sizes_and_wrong_channels_are_typed_errors() {
        let book = NinConfig::book();
        assert_eq!(plan(&book, InputShape::new(0, 1, 224, 224)), Err(AnalysisError::ZeroDimension(Dimension::Batch)));
        assert_eq!(plan(&book, InputShape::new(1, 0, 224, 224)), Err(AnalysisError::ZeroDimension(Dimension::Channels)));
        assert_eq!(plan(&book, InputShape::new(1, 1, 0, 224)), Err(AnalysisError::ZeroDimension(Dimension::Height)));
        assert_eq!(plan(&book, InputShape::new(1, 3, 224, 224)), Err(AnalysisError::ChannelMismatch { expected: 1, got: 3 }));
    }

    #[test]
    fn absurd_sizes_are_refused_by_the_memory_check() {
        let book = NinConfig::book();
        let huge = plan(&book, InputShape::new(4096, 1, 4096, 4096)).unwrap();
        let err = huge.check_fits(128 * 1024 * 1024).unwrap_err();
        assert!(matches!(err, AnalysisError::TooLarge { .. }), "{err:?}");
        // batch 128 at 224: the first block's 96x54x54 activation is 137 MiB, over WebGPU's
        // default 128 MiB binding limit.
        let p = plan(&book, InputShape::new(128, 1, 224, 224)).unwrap();
        assert_eq!(p.largest_tensor(), (1, 128 * 96 * 54 * 54 * 4));
        assert!(p.check_fits(128 << 20).is_err());
        assert!(p.check_fits(1 << 30).is_ok());
        // usize::MAX never panics
        assert!(plan(&book, InputShape::new(usize::MAX, 1, usize::MAX, usize::MAX)).is_err());
    }

    #[test]
    fn non_square_inputs_are_planned_per_side() {
        let p = plan(&NinConfig::book(), InputShape::new(2, 1, 96, 160)).unwrap();
        assert_eq!(p.rows[0].output, vec![2, 96, 22, 38]);
        assert_eq!(p.rows.last().unwrap().output, vec![2, 10]);
    }

    #[test]
    fn bad_configs_are_rejected() {
        let mut c = NinConfig::book();
        c.num_classes = 7;
        assert!(matches!(validate_config(&c), Err(AnalysisError::InvalidConfig(_))));
        let mut c = NinConfig::book();
        c.stages[1] = StageConfig::MaxPool { kernel: 3, stride: 0 };
        assert!(validate_config(&c).is_err());
        let mut c = NinConfig::book();
        c.stages[6] = StageConfig::Dropout { prob: 1.0 };
        assert!(validate_config(&c).is_err());
    }

    #[test]
    fn vgg11_fully_connected_layers_match_the_arithmetic() {
        use crate::model::config::VGG11;
        let p = plan(&NinConfig::vgg(&VGG11, 10), InputShape::book()).unwrap();
        // five blocks of 3x3 convs with 2x2 pools: 224 -> 7; 512 x 7 x 7 = 25,088 features
        let fc: Vec<u64> = p.rows.iter().filter(|r| matches!(r.kind, LayerKind::Linear { .. })).map(|r| r.params).collect();
        assert_eq!(fc, vec![25_088 * 4096 + 4096, 4096 * 4096 + 4096, 4096 * 10 + 10]);
        // the first FC matrix alone is ~411 MB in FP32 ("about 400 MB" in the chapter)
        assert_eq!((25_088u64 * 4096 + 4096) * 4, 411_058_176);
        let conv = |c_in: u64, c_out: u64| c_out * c_in * 9 + c_out;
        let convs = conv(1, 64) + conv(64, 128) + conv(128, 256) + conv(256, 256) + conv(256, 512) + 3 * conv(512, 512);
        assert_eq!(p.total_params(), convs + fc.iter().sum::<u64>());
        assert_eq!(p.rows.last().unwrap().output, vec![1, 10]);
    }

    #[test]
    fn fully_connected_head_is_tied_to_its_input_size() {
        let c = NinConfig::book().with_head(HeadConfig::FullyConnected { input_height: 224, input_width: 224, hidden: vec![] });
        let p = plan(&c, InputShape::book()).unwrap();
        // last block's 10x5x5 flattened into 250 features -> 10 classes
        assert_eq!(p.rows.last().unwrap().kind, LayerKind::Linear { in_features: 250, out_features: 10 });
        assert_eq!(p.rows.last().unwrap().params, 250 * 10 + 10);
        assert!(matches!(plan(&c, InputShape::new(1, 1, 96, 96)), Err(AnalysisError::HeadTiedToInput { .. })));
    }
}
