//! The walk through a config's layers for one input: every layer's output shape, parameters
//! and FLOPs ([`plan`]), the body's output ([`body_output`]) and the smallest input a config
//! accepts ([`min_input_side`]).

use super::*;

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
