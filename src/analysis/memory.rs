//! Memory for training and prediction, as pure functions of the config and the input, under two
//! conventions (exercise 4 shows both, and says why they differ):
//!
//! - [`Convention::Minimal`]: what must be kept for the backward pass, each storage once,
//!   whatever the framework: a ReLU's output (which is also the next convolution's input), max
//!   pooling's indices (8-byte integers, as PyTorch keeps them) and its output when a
//!   convolution reads it, dropout's mask (one byte per value) and its output when a
//!   convolution reads it, a linear layer's input, the log-softmax of the loss, the input batch.
//!   PyTorch's autograd keeps exactly this (measured: see the tests).
//! - [`Convention::Burn`]: what Burn 0.22's autodiff keeps, which the training cell's memory
//!   check uses: a ReLU keeps its *input* (the convolution's output) while the next layer keeps
//!   the ReLU's output, so two maps per convolution; max pooling keeps its input and 4-byte
//!   indices; dropout multiplies by a random mask of f32 values, and the product keeps both
//!   factors; a linear layer its input; the input batch.
//!
//! Prediction keeps nothing for a backward pass: its peak is the largest set of tensors alive
//! at once, the input batch (held by the caller) included. Inside a block each convolution and
//! each ReLU reads one full map and writes another, so two maps of a block are alive at once.

use serde::{Deserialize, Serialize};

use super::{AnalysisError, InputShape, LayerKind, ShapePlan, plan};
use crate::model::config::{HeadConfig, NinConfig, StageConfig};

const F32: u64 = 4;

/// How tensors are counted for the backward pass (see the module's docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Convention {
    Minimal,
    Burn,
}

/// What one training step needs, in bytes, for a whole batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TrainingMemory {
    pub params: u64,
    pub grads: u64,
    pub optimizer_state: u64,
    /// The input batch (kept by the first convolution).
    pub input: u64,
    /// What the forward pass keeps for the backward pass, the input excluded.
    pub kept: u64,
    /// The backward pass's own working set at its largest: the gradient of a layer's output and
    /// of its input, alive together (two of the largest maps).
    pub backward: u64,
}

impl TrainingMemory {
    pub fn total(&self) -> u64 {
        [self.params, self.grads, self.optimizer_state, self.input, self.kept, self.backward].iter().fold(0u64, |a, &b| a.saturating_add(b))
    }

    /// Everything the autodiff graph holds after the forward pass (input included).
    pub fn saved_for_backward(&self) -> u64 {
        self.input.saturating_add(self.kept)
    }
}

fn product(dims: &[u64]) -> u64 {
    dims.iter().fold(1u64, |a, &d| a.saturating_mul(d))
}

/// Bytes kept per plan row under `convention` (the input batch not included), for the batch of
/// `plan`. Rows follow the plan: one per body stage, then the head's rows.
pub fn kept_per_row(config: &NinConfig, plan: &ShapePlan, convention: Convention) -> Vec<u64> {
    let batch = plan.input.batch as u64;
    let rows = &plan.rows;
    // Whether the row after `i` keeps its input (what row `i` outputs).
    let next_keeps_input = |i: usize| match rows.get(i + 1).map(|r| &r.kind) {
        Some(LayerKind::NinBlock { .. } | LayerKind::Linear { .. }) => true,
        // Burn's pooling, global average pooling and dropout product keep their input; PyTorch's
        // max pooling and adaptive average pooling keep it too (it is the ReLU output already
        // counted), its dropout keeps only the mask.
        Some(LayerKind::MaxPool { .. } | LayerKind::GlobalAvgPool) => true,
        Some(LayerKind::Dropout { .. }) => convention == Convention::Burn,
        Some(LayerKind::Flatten) | None => false,
    };
    let mut out = Vec::with_capacity(rows.len());
    let mut stages = config.stages.iter();
    for (i, row) in rows.iter().enumerate() {
        let elems = product(&row.output);
        let kept = match &row.kind {
            LayerKind::NinBlock { .. } => {
                let Some(StageConfig::Block(block)) = stages.next() else {
                    out.push(0);
                    continue;
                };
                // Every convolution of the block writes a map of its own width at the block's
                // output size (the first one sets the size; the inner ones keep it).
                let spatial = product(&row.output[2..]);
                let maps: u64 = block.channels.iter().map(|&c| batch.saturating_mul(c as u64).saturating_mul(spatial)).sum();
                let last = elems;
                match convention {
                    // Each ReLU output once: the inner ones as the next convolution's input, the
                    // last one as the next stage's input (or for GAP).
                    Convention::Minimal => maps.saturating_mul(F32),
                    // Each convolution's output (kept by its ReLU) and each ReLU's output (kept by
                    // the next convolution; the last one by the next stage if it keeps its input).
                    Convention::Burn => {
                        let relu_outputs = if next_keeps_input(i) { maps } else { maps - last };
                        maps.saturating_add(relu_outputs).saturating_mul(F32)
                    }
                }
            }
            LayerKind::MaxPool { .. } => {
                stages.next();
                let indices = match convention {
                    Convention::Minimal => 8,
                    Convention::Burn => 4,
                };
                let output = if next_keeps_input(i) { F32 } else { 0 };
                elems.saturating_mul(indices + output)
            }
            LayerKind::Dropout { .. } => {
                stages.next();
                let mask = match convention {
                    Convention::Minimal => 1,
                    Convention::Burn => F32,
                };
                let output = if next_keeps_input(i) { F32 } else { 0 };
                elems.saturating_mul(mask + output)
            }
            // Its input is the last ReLU output, already counted; its output is tiny.
            LayerKind::GlobalAvgPool => 0,
            // A view: the linear layer after it keeps the features.
            LayerKind::Flatten => {
                if next_keeps_input(i) {
                    elems.saturating_mul(F32)
                } else {
                    0
                }
            }
            // The log-softmax of the loss on the logits (the last row); hidden layers' ReLU
            // outputs (kept by the next linear layer; Burn's ReLU keeps its input as well).
            LayerKind::Linear { .. } if i + 1 == rows.len() => elems.saturating_mul(F32),
            LayerKind::Linear { .. } => match convention {
                Convention::Minimal => elems.saturating_mul(F32),
                Convention::Burn => elems.saturating_mul(2 * F32),
            },
        };
        out.push(kept);
    }
    // The loss on GAP logits: log-softmax of the last row's output.
    if matches!(config.head, HeadConfig::GlobalAvgPool)
        && let (Some(last), Some(row)) = (out.last_mut(), rows.last())
    {
        *last = last.saturating_add(product(&row.output).saturating_mul(F32));
    }
    out
}

/// The memory of one training step of `config` on `input` with `state_per_param` f32 values of
/// optimizer state per parameter, under `convention`.
pub fn training(config: &NinConfig, input: InputShape, state_per_param: u64, convention: Convention) -> Result<TrainingMemory, AnalysisError> {
    let plan = plan(config, input)?;
    let params = plan.total_params().saturating_mul(F32);
    let input_bytes = super::element_bytes(&input.dims());
    let kept = kept_per_row(config, &plan, convention).into_iter().fold(0u64, u64::saturating_add);
    let largest = plan.rows.iter().map(|r| r.largest_tensor_bytes).chain(block_maps(config, &plan)).max().unwrap_or(0).max(input_bytes);
    Ok(TrainingMemory {
        params,
        grads: params,
        optimizer_state: params.saturating_mul(state_per_param),
        input: input_bytes,
        kept,
        backward: largest.saturating_mul(2),
    })
}

/// Bytes of each convolution's output map inside the blocks (a block's widest map can be wider
/// than its output, e.g. exercise 5's 384 -> 128 -> 32 -> 10).
fn block_maps(config: &NinConfig, plan: &ShapePlan) -> Vec<u64> {
    let batch = plan.input.batch as u64;
    let blocks = config.stages.iter().filter_map(|s| match s {
        StageConfig::Block(b) => Some(b),
        _ => None,
    });
    let block_rows = plan.rows.iter().filter(|r| matches!(r.kind, LayerKind::NinBlock { .. }));
    blocks
        .zip(block_rows)
        .flat_map(|(b, row)| {
            let spatial = product(&row.output[2..]);
            b.channels.iter().map(move |&c| batch.saturating_mul(c as u64).saturating_mul(spatial).saturating_mul(F32)).collect::<Vec<_>>()
        })
        .collect()
}

/// The peak of prediction at batch 1 on `side` x `side`: the largest set of tensors alive at
/// once (the input, held by the caller, plus an operation's input and output), and the plan row
/// where it is reached.
pub fn prediction_peak(config: &NinConfig, side: usize) -> Result<(u64, usize), AnalysisError> {
    let input = InputShape::new(1, config.input_channels, side, side);
    let plan = plan(config, input)?;
    let input_bytes = super::element_bytes(&input.dims());
    // Alive during one operation: the caller's input batch, what it reads (unless that is the
    // input batch itself) and what it writes.
    let alive = |read: Option<u64>, write: u64| input_bytes.saturating_add(read.unwrap_or(0)).saturating_add(write);
    let mut peak = (0u64, 0usize);
    let mut previous: Option<u64> = None; // None: the input batch
    let mut stages = config.stages.iter();
    for (i, row) in plan.rows.iter().enumerate() {
        let out = product(&row.output).saturating_mul(F32);
        let mut at_most = alive(previous, out);
        match row.kind {
            LayerKind::NinBlock { .. } => {
                if let Some(StageConfig::Block(block)) = stages.next() {
                    let spatial = product(&row.output[2..]);
                    let mut read = previous;
                    for &c in &block.channels {
                        let map = (c as u64).saturating_mul(spatial).saturating_mul(F32);
                        // the convolution (read -> map), then its ReLU (map -> another map)
                        at_most = at_most.max(alive(read, map)).max(alive(Some(map), map));
                        read = Some(map);
                    }
                }
            }
            LayerKind::MaxPool { .. } | LayerKind::Dropout { .. } => {
                stages.next();
            }
            _ => {}
        }
        if at_most > peak.0 {
            peak = (at_most, i + 1);
        }
        previous = Some(out);
    }
    Ok(peak)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::{NinConfig, VGG11, VGG16, VGG19};
    // (VGG layouts: conv blocks then max pooling; the NiN members put blocks in their place.)

    /// Measured with PyTorch 2 (CPU) on the d2l NiN, batch 128 at 224 px, SGD: autograd's saved
    /// tensors, each storage counted once (activations plus the 25,690,112-byte input batch).
    const TORCH_SAVED_BYTES: u64 = 982_774_788;

    #[test]
    fn minimal_convention_matches_what_pytorch_saves_within_ten_percent() {
        let m = training(&NinConfig::book(), InputShape::new(128, 1, 224, 224), 0, Convention::Minimal).unwrap();
        assert_eq!(m.input, 25_690_112);
        let ratio = m.saved_for_backward() as f64 / TORCH_SAVED_BYTES as f64;
        assert!((0.9..1.1).contains(&ratio), "ours {} vs PyTorch {TORCH_SAVED_BYTES}: {ratio:.3}", m.saved_for_backward());
        // By hand, per image: the block ReLU outputs (3 x 96x54x54, 3 x 256x26x26, 3 x 384x12x12,
        // 3 x 10x5x5), pool indices (96x26x26, 256x12x12, 384x5x5; 8 B) and the pool outputs a
        // convolution reads (96x26x26, 256x12x12), dropout's mask (1 B) and output (384x5x5),
        // the log-softmax (10).
        let per_image = 4 * (3 * 96 * 54 * 54 + 3 * 256 * 26 * 26 + 3 * 384 * 144 + 3 * 10 * 25)
            + 8 * (96 * 26 * 26 + 256 * 144 + 384 * 25)
            + 4 * (96 * 26 * 26 + 256 * 144)
            + (384 * 25)
            + 4 * (384 * 25)
            + 4 * 10;
        assert_eq!(m.kept, 128 * per_image);
    }

    #[test]
    fn burn_keeps_two_maps_per_convolution() {
        let (a, b) = (
            training(&NinConfig::book(), InputShape::new(4, 1, 96, 96), 2, Convention::Minimal).unwrap(),
            training(&NinConfig::book(), InputShape::new(4, 1, 96, 96), 2, Convention::Burn).unwrap(),
        );
        // About twice the minimal activations (the blocks dominate both; pooling's 4-byte
        // indices against 8 and dropout's f32 mask keep it from exactly 2).
        let ratio = b.kept as f64 / a.kept as f64;
        assert!((1.6..2.2).contains(&ratio), "{ratio}");
        assert_eq!((b.params, b.grads, b.optimizer_state), (1_992_166 * 4, 1_992_166 * 4, 1_992_166 * 8));
    }

    #[test]
    fn a_gradual_block_is_counted_convolution_by_convolution() {
        // Exercise 5: the last block 384 -> 128 -> 32 -> 10 at 5x5 (224 px input).
        let config = crate::exercises::variants(crate::exercises::Exercise::Reduction).into_iter().find(|v| v.key == "gradual").unwrap().config;
        let input = InputShape::new(1, 1, 224, 224);
        let p = plan(&config, input).unwrap();
        let rows = kept_per_row(&config, &p, Convention::Minimal);
        let last_block = p.rows.iter().rposition(|r| matches!(r.kind, LayerKind::NinBlock { .. })).unwrap();
        // Its three ReLU outputs (128 + 32 + 10 channels at 5x5), not three of the block's 10-channel output.
        assert_eq!(rows[last_block], 4 * (128 + 32 + 10) * 25);
        let burn = kept_per_row(&config, &p, Convention::Burn);
        assert_eq!(burn[last_block], 2 * 4 * (128 + 32 + 10) * 25);
    }

    #[test]
    fn prediction_peak_holds_two_maps_of_a_block_and_the_input() {
        // The book at 224: the first block's two 96x54x54 maps and the 224x224 input, as
        // PyTorch's ideal count (2,440,192 bytes).
        let (peak, row) = prediction_peak(&NinConfig::book(), 224).unwrap();
        assert_eq!(peak, 2 * 96 * 54 * 54 * 4 + 224 * 224 * 4);
        assert_eq!(peak, 2_440_192);
        assert_eq!(row, 1);
        // Exercise 6's VGG-shaped members (and the VGGs): at least two 64x224x224 maps.
        for layout in [&VGG11[..], &VGG16[..], &VGG19[..]] {
            let config = crate::exercises::nin_from_vgg(layout);
            let (peak, _) = prediction_peak(&config, 224).unwrap();
            assert!(peak >= 2 * 64 * 224 * 224 * 4, "{peak}");
            let config = NinConfig::vgg(layout, 10);
            let (peak, _) = prediction_peak(&config, 224).unwrap();
            assert!(peak >= 2 * 64 * 224 * 224 * 4, "{peak}");
        }
    }
}
