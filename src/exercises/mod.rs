//! The chapter's six exercises as data: each is a set of model variants, every one a value of
//! the one [`NinConfig`], measured by the same pure analysis as the book's model. The UI shows
//! these numbers; the training engine can train any of the configs.

pub mod code_edits;
pub mod code_link;
pub mod predict;
pub mod share;

use serde::{Deserialize, Serialize};

use crate::analysis::memory::{self, Convention, TrainingMemory};
use crate::analysis::{self, AnalysisError, InputShape, LayerKind, ShapePlan};
use crate::model::{HeadConfig, NinBlockConfig, NinConfig, StageConfig, VGG11, VGG16, VGG19};
use crate::training::OptimizerKind;

/// f32.
const BYTES: u64 = 4;

/// The six exercises, in the book's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Exercise {
    /// 1. One, two or three 1x1 convolutions per block.
    MlpDepth,
    /// 2. 3x3 instead of 1x1 inside the blocks.
    MlpKernel,
    /// 3. Global average pooling vs fully connected heads.
    Head,
    /// 4. Resources: parameters, computation, memory.
    Resources,
    /// 5. Reducing 384x5x5 to 10x5x5 in one step or gradually.
    Reduction,
    /// 6. A NiN family after VGG-11, -16 and -19.
    Family,
}

impl Exercise {
    pub const ALL: [Exercise; 6] = [Exercise::MlpDepth, Exercise::MlpKernel, Exercise::Head, Exercise::Resources, Exercise::Reduction, Exercise::Family];

    /// 1-based number as in the book.
    pub fn number(self) -> usize {
        Self::ALL.iter().position(|&e| e == self).map_or(0, |i| i + 1)
    }

    pub fn id(self) -> &'static str {
        match self {
            Exercise::MlpDepth => "ex1",
            Exercise::MlpKernel => "ex2",
            Exercise::Head => "ex3",
            Exercise::Resources => "ex4",
            Exercise::Reduction => "ex5",
            Exercise::Family => "ex6",
        }
    }
}

/// One model of an exercise.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Stable key (used for i18n labels and test ids).
    pub key: &'static str,
    pub config: NinConfig,
    /// Whether this is the book's model (the baseline of the comparison).
    pub baseline: bool,
}

fn variant(key: &'static str, config: NinConfig) -> Variant {
    Variant { key, config, baseline: false }
}

fn baseline(key: &'static str, config: NinConfig) -> Variant {
    Variant { key, config, baseline: true }
}

/// Applies `f` to every NiN block of the book's model.
fn book_blocks(f: impl Fn(&mut NinBlockConfig)) -> NinConfig {
    let mut config = NinConfig::book();
    for stage in &mut config.stages {
        if let StageConfig::Block(block) = stage {
            f(block);
        }
    }
    config
}

/// The book's model with `n` 1x1 convolutions after each block's first convolution.
pub fn with_mlp_convs(n: usize) -> NinConfig {
    book_blocks(|b| {
        let c = b.channels[0];
        b.channels = vec![c; 1 + n];
    })
}

/// The book's model with k x k "MLP" convolutions (padding k/2) instead of 1x1.
pub fn with_mlp_kernel(k: usize) -> NinConfig {
    book_blocks(|b| b.mlp_kernel = k)
}

/// Exercise 3, first FC head: the last block's 10x5x5 map (at 224 px) flattened into one
/// linear layer to the 10 classes. Tied to 224x224 inputs.
pub fn fc_after_last_block() -> NinConfig {
    NinConfig::book().with_head(HeadConfig::FullyConnected { input_height: 224, input_width: 224, hidden: vec![] })
}

/// Exercise 3, second FC head: the last block removed; the 384x5x5 map after the third pool
/// and the dropout flattened into one linear layer to the classes. Tied to 224x224.
pub fn fc_without_last_block() -> NinConfig {
    let mut config = fc_after_last_block();
    config.stages.pop();
    config
}

/// Exercise 5: the last block reduces 384 channels to 10 gradually, 384 -> 128 -> 32 -> 10,
/// instead of 384 -> 10 in its first convolution. The same three convolutions; each step
/// divides the width by about 3.4 (= (384/10)^(1/3)), so no layer is a bottleneck much narrower
/// than its input, and the first (3x3) convolution keeps a third of the channels.
pub fn gradual_reduction() -> NinConfig {
    let mut config = NinConfig::book();
    if let Some(StageConfig::Block(last)) = config.stages.last_mut() {
        last.channels = vec![128, 32, 10];
    }
    config
}

/// Exercise 6: a NiN family member from a VGG layout. Our definition: each VGG stage of `n`
/// 3x3 convolutions with `c` channels becomes one NiN block of a 3x3 convolution (padding 1)
/// followed by `n` 1x1 convolutions, all `c` wide, then VGG's 2x2/2 max pool; after the last
/// pool, dropout 0.5 and the book's last block (a 3x3 convolution to the classes and two 1x1),
/// then global average pooling. The fully connected layers are gone, as in NiN.
pub fn nin_from_vgg(layout: &[(usize, usize)]) -> NinConfig {
    let mut stages = Vec::with_capacity(layout.len() * 2 + 2);
    for &(n, c) in layout {
        stages.push(StageConfig::Block(NinBlockConfig::new(vec![c; 1 + n], 3, 1, 1)));
        stages.push(StageConfig::MaxPool { kernel: 2, stride: 2 });
    }
    stages.push(StageConfig::Dropout { prob: 0.5 });
    stages.push(StageConfig::Block(NinBlockConfig::book(10, 3, 1, 1)));
    NinConfig::new(stages, HeadConfig::GlobalAvgPool)
}

/// The variants an exercise compares; the book's model first where it takes part.
pub fn variants(exercise: Exercise) -> Vec<Variant> {
    match exercise {
        Exercise::MlpDepth => vec![variant("mlp1", with_mlp_convs(1)), baseline("book", NinConfig::book()), variant("mlp3", with_mlp_convs(3))],
        Exercise::MlpKernel => vec![baseline("book", NinConfig::book()), variant("kernel3", with_mlp_kernel(3))],
        Exercise::Head => {
            vec![baseline("book", NinConfig::book()), variant("fc_last_block", fc_after_last_block()), variant("fc_no_last_block", fc_without_last_block())]
        }
        Exercise::Resources => vec![baseline("book", NinConfig::book())],
        Exercise::Reduction => vec![baseline("book", NinConfig::book()), variant("gradual", gradual_reduction())],
        Exercise::Family => vec![
            baseline("book", NinConfig::book()),
            variant("nin11", nin_from_vgg(&VGG11)),
            variant("vgg11", NinConfig::vgg(&VGG11, 10)),
            variant("nin16", nin_from_vgg(&VGG16)),
            variant("vgg16", NinConfig::vgg(&VGG16, 10)),
            variant("nin19", nin_from_vgg(&VGG19)),
            variant("vgg19", NinConfig::vgg(&VGG19, 10)),
        ],
    }
}

/// The variant `key` of `exercise` is compared with in the findings: the book's model, except
/// in exercise 6, where each VGG is compared with its own NiN member (the question there is what
/// NiN's rules do to the same layout). `None` for the baseline itself.
pub fn compared_with(exercise: Exercise, key: &str) -> Option<&'static str> {
    let all = variants(exercise);
    let family = match key {
        "vgg11" => Some("nin11"),
        "vgg16" => Some("nin16"),
        "vgg19" => Some("nin19"),
        _ => None,
    };
    let base = family.filter(|_| exercise == Exercise::Family).or_else(|| all.iter().find(|v| v.baseline).map(|v| v.key))?;
    (base != key && all.iter().any(|v| v.key == base)).then_some(base)
}

/// Costs of one variant at one input size.
#[derive(Debug, Clone, PartialEq)]
pub struct Costs {
    pub params: u64,
    /// Forward FLOPs per image.
    pub forward_flops: u64,
    /// Shape of the last body map (before the head), batch 1.
    pub body_output: Vec<u64>,
    /// Training memory for the batch and optimizer (see [`Resources`]).
    pub training_bytes: u64,
    /// Peak inference memory at batch 1, weights included.
    pub inference_bytes: u64,
}

/// The costs of `config` for `side` x `side` inputs, training at `batch` with `optimizer`.
pub fn costs(config: &NinConfig, side: usize, batch: usize, optimizer: OptimizerKind) -> Result<Costs, AnalysisError> {
    let r = resources(config, side, batch, optimizer)?;
    let one = analysis::plan(config, InputShape::new(1, config.input_channels, side, side))?;
    let body_output = one
        .rows
        .iter()
        .take_while(|row| !matches!(row.kind, LayerKind::GlobalAvgPool | LayerKind::Flatten))
        .last()
        .map(|row| row.output.clone())
        .unwrap_or_default();
    Ok(Costs {
        params: r.total.params,
        forward_flops: one.total_flops(),
        body_output,
        training_bytes: r.training_bytes(),
        inference_bytes: r.inference_peak_bytes,
    })
}

/// One row of exercise 4's table: the resources of one layer for the batch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResourceRow {
    /// What the row is (`None` for the total).
    pub kind: Option<LayerKind>,
    pub output: Vec<u64>,
    pub params: u64,
    /// Forward FLOPs for the batch.
    pub forward_flops: u64,
    /// Bytes of parameters (p x 4), of their gradients (p x 4), and of the optimizer state
    /// (p x 4 x the state per parameter: 0 for SGD, 1 momentum buffer, 2 Adam moments).
    pub param_bytes: u64,
    pub grad_bytes: u64,
    pub optimizer_bytes: u64,
    /// What the row keeps for the backward pass: what must be kept ([`Convention::Minimal`],
    /// as PyTorch keeps it), and what Burn's autodiff keeps ([`Convention::Burn`]).
    pub kept_minimal: u64,
    pub kept_burn: u64,
}

/// Exercise 4: everything per layer and in total.
#[derive(Debug, Clone, PartialEq)]
pub struct Resources {
    pub side: usize,
    pub batch: usize,
    pub optimizer: OptimizerKind,
    pub rows: Vec<ResourceRow>,
    pub total: ResourceRow,
    /// Bytes of the input batch (kept for the first layer's backward).
    pub input_bytes: u64,
    /// One training step under each convention.
    pub training_minimal: TrainingMemory,
    pub training_burn: TrainingMemory,
    /// Prediction at batch 1: the weights plus the largest set of tensors alive at once (the
    /// input, and an operation's input and output, inside blocks too), and its row.
    pub inference_peak_bytes: u64,
    pub inference_peak_row: usize,
}

impl Resources {
    /// Training FLOPs for the batch: forward + backward, the backward counted as twice the
    /// forward (one product for the input gradient, one for the weight gradient).
    pub fn training_flops(&self) -> u64 {
        self.total.forward_flops.saturating_mul(3)
    }

    /// One training step as our engine needs it (the training cell's check uses the same).
    pub fn training_bytes(&self) -> u64 {
        self.training_burn.total()
    }
}

/// Exercise 4's numbers for `config` at `side` x `side`, `batch` images, `optimizer`.
pub fn resources(config: &NinConfig, side: usize, batch: usize, optimizer: OptimizerKind) -> Result<Resources, AnalysisError> {
    let input = InputShape::new(batch, config.input_channels, side, side);
    let plan: ShapePlan = analysis::plan(config, input)?;
    let state = optimizer.state_per_param();
    let minimal = memory::kept_per_row(config, &plan, Convention::Minimal);
    let burn = memory::kept_per_row(config, &plan, Convention::Burn);
    let rows: Vec<ResourceRow> = plan
        .rows
        .iter()
        .zip(minimal.iter().zip(&burn))
        .map(|(row, (&kept_minimal, &kept_burn))| ResourceRow {
            kind: Some(row.kind.clone()),
            output: row.output.clone(),
            params: row.params,
            forward_flops: row.flops,
            param_bytes: row.params * BYTES,
            grad_bytes: row.params * BYTES,
            optimizer_bytes: row.params * BYTES * state,
            kept_minimal,
            kept_burn,
        })
        .collect();
    let total = rows.iter().fold(ResourceRow::default(), |mut t, r| {
        t.params += r.params;
        t.forward_flops = t.forward_flops.saturating_add(r.forward_flops);
        t.param_bytes += r.param_bytes;
        t.grad_bytes += r.grad_bytes;
        t.optimizer_bytes += r.optimizer_bytes;
        t.kept_minimal = t.kept_minimal.saturating_add(r.kept_minimal);
        t.kept_burn = t.kept_burn.saturating_add(r.kept_burn);
        t
    });
    let (peak, peak_row) = memory::prediction_peak(config, side)?;
    Ok(Resources {
        side,
        batch,
        optimizer,
        input_bytes: analysis::element_bytes(&input.dims()),
        training_minimal: memory::training(config, input, state, Convention::Minimal)?,
        training_burn: memory::training(config, input, state, Convention::Burn)?,
        inference_peak_bytes: total.param_bytes.saturating_add(peak),
        inference_peak_row: peak_row,
        rows,
        total,
    })
}

#[cfg(test)]
mod tests;
