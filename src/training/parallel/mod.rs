//! Data-parallel training: a batch split into slices, one per replica; each replica's gradients
//! of its slice read back to the host; the slices' gradients averaged, weighted by their sizes;
//! the average handed back to every replica's optimizer as Burn's `GradientsParams`. With a
//! mean-reduced loss and no dropout, the weighted average of the slices' gradients is the
//! gradient of the whole batch, so every replica that applies it takes the step a single
//! replica would have taken (tested below), and the replicas, built from the same seed, stay
//! identical.
//!
//! The lead replica is a [`super::Trainer`] given [`Helpers`]; each helper is a [`Replica`]. In
//! the page each replica is a CPU worker (`crate::worker`), talking over a `MessagePort`.

use std::ops::Range;

use std::future::Future;
use std::pin::Pin;

use burn::module::{Module, ModuleVisitor, Param, ParamId};
use burn::nn::loss::CrossEntropyLoss;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::prelude::*;

use super::{Parts, TrainError, TrainSettings, batch, read_f32};
use crate::data::FashionMnist;
use crate::model::{Nin, NinConfig};

/// The most CPU workers a run uses: past this, on the machines students have, the per-step
/// exchange of gradients (about 8 MB per worker) costs more than a smaller slice saves.
pub const MAX_WORKERS: usize = 8;

/// The worker count the page proposes: the device's logical cores (`navigator.hardwareConcurrency`,
/// absent or odd values count as 1), at most [`MAX_WORKERS`].
pub fn default_workers(hardware_concurrency: f64) -> usize {
    if hardware_concurrency.is_finite() && hardware_concurrency >= 1.0 { (hardware_concurrency as usize).min(MAX_WORKERS) } else { 1 }
}

/// The workers a run really uses: the student's choice (1 to [`MAX_WORKERS`]), no more than
/// `budget_bytes` holds when each worker needs `per_worker_bytes` (each keeps a replica, its
/// optimizer state and a copy of the training images), and no more than the batch has images.
pub fn workers(chosen: usize, per_worker_bytes: u64, budget_bytes: u64, batch: usize) -> usize {
    let fit = usize::try_from(budget_bytes / per_worker_bytes.max(1)).unwrap_or(usize::MAX).max(1);
    chosen.clamp(1, MAX_WORKERS).min(fit).min(batch.max(1))
}

/// The one rule that splits `items` rows (a batch, or images to score) between `replicas`
/// replicas: exactly `replicas` contiguous parts in replica order (the lead's first), as even
/// as possible, the first parts one row larger when `items` does not divide; a part is empty
/// when there are fewer rows than replicas. The lead asks every helper for its part, empty or
/// not, and every helper answers, so the two sides can never disagree on who waits for whom.
pub fn parts(items: usize, replicas: usize) -> Vec<Range<usize>> {
    let n = replicas.max(1);
    let (base, extra) = (items / n, items % n);
    let mut start = 0;
    (0..n)
        .map(|i| {
            let len = base + usize::from(i < extra);
            let r = start..start + len;
            start += len;
            r
        })
        .collect()
}

/// A training batch's slices: [`parts`] of the batch, which must hold at least one row per
/// replica (the page never runs more workers than a batch has images, see [`workers`]); a
/// batch smaller than that is an error rather than a helper waiting for rows that never come.
pub fn slices(batch: usize, replicas: usize) -> Result<Vec<Range<usize>>, TrainError> {
    let parts = parts(batch, replicas);
    if parts.iter().any(|p| p.is_empty()) {
        return Err(TrainError::Replica(format!("a batch of {batch} images cannot give each of {} workers a slice", parts.len())));
    }
    Ok(parts)
}

/// One replica's gradients of its slice, on the host: per float parameter, in the module's
/// visiting order, its values (row-major); the number of images they were computed on; and the
/// slice's summed loss and number of correct predictions (for the training curve).
#[derive(Debug, Clone, PartialEq)]
pub struct SliceGrads {
    pub images: usize,
    pub params: Vec<Vec<f32>>,
    pub loss_sum: f64,
    pub correct: usize,
    /// The sum of every weight the slice was computed at: equal on every replica when they
    /// are in step (the lead checks it each step; see [`weights_sum`]).
    pub weights_sum: f32,
}

/// A future the lead replica awaits (boxed so that [`Helpers`] can be a trait object).
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// The other replicas of a data-parallel run, as the lead replica sees them.
pub trait Helpers {
    /// How many helpers there are.
    fn count(&self) -> usize;
    /// Asks `helper` for the gradients of the training rows `indices` (at the current weights).
    fn compute(&self, helper: usize, indices: &[usize]) -> Result<(), TrainError>;
    /// Every helper's answer to its last [`Self::compute`], in helper order.
    fn gather(&self) -> LocalFuture<'_, Result<Vec<SliceGrads>, TrainError>>;
    /// Every helper applies the averaged gradients (per parameter, as in [`SliceGrads::params`]).
    fn apply(&self, averaged: &[Vec<f32>]) -> Result<(), TrainError>;
    /// Asks `helper` for the logits of the rows `indices` of `set` (no autodiff, dropout off).
    fn score(&self, helper: usize, set: ScoreSet, indices: &[usize]) -> Result<(), TrainError>;
    /// Every helper's logits for its last [`Self::score`], row-major, in helper order.
    fn gather_logits(&self) -> LocalFuture<'_, Result<Vec<Vec<f32>>, TrainError>>;
}

/// Which of a run's two data sets a helper scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ScoreSet {
    /// The training file (the validation images are held out from it).
    Train,
    Test,
}

/// A helper replica: the model, optimizer and loss a [`super::Trainer`] with the same settings
/// builds (so the same starting weights), without the data order, which the lead keeps.
pub struct Replica {
    device: Device,
    model: Option<Nin>,
    optim: ModuleOptimizer,
    loss: CrossEntropyLoss,
    settings: TrainSettings,
}

impl Replica {
    /// Helper number `rank` (1, 2, ...) of a run of `config` with `settings` on `device`.
    /// After the seeded initialisation its random stream (dropout) is its own.
    pub fn new(config: &NinConfig, settings: &TrainSettings, device: &Device, rank: u64) -> Result<Self, TrainError> {
        let Parts { device, model, optim, loss } = Parts::build(config, settings, device)?;
        device.seed(settings.seed ^ rank.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        Ok(Replica { device, model: Some(model), optim, loss, settings: settings.clone() })
    }

    /// The gradients of the training rows `indices` of `data` at the current weights.
    pub async fn gradients(&self, data: &FashionMnist, indices: &[usize]) -> Result<SliceGrads, TrainError> {
        if indices.is_empty() || indices.iter().any(|&i| i >= data.len()) {
            return Err(TrainError::Replica(format!("{} rows asked for, of {} images", indices.len(), data.len())));
        }
        let model = self.model.as_ref().expect("the model is present between steps");
        let (x, y) = batch(data, indices, self.settings.image_size, &self.device);
        slice_gradients(model, &self.loss, x, y).await
    }

    /// The logits of the rows `indices` of `data` at the current weights (evaluation mode).
    pub async fn logits(&self, data: &FashionMnist, indices: &[usize]) -> Result<Vec<f32>, TrainError> {
        if indices.iter().any(|&i| i >= data.len()) {
            return Err(TrainError::Replica(format!("rows beyond the {} images asked for", data.len())));
        }
        let model = self.model.as_ref().expect("the model is present between steps").valid();
        // As the lead scores its own part (same batches); a helper has no page to yield to.
        super::scoring::score(&model, data, indices, &self.settings, &self.device.clone().inner(), &|_| std::future::ready(()), |_| ()).await
    }

    /// One optimizer step with the lead's averaged gradients.
    pub fn apply(&mut self, averaged: Vec<Vec<f32>>) -> Result<(), ParallelError> {
        let model = self.model.take().expect("the model is present between steps");
        match to_gradients(&model, averaged, &self.device.clone().inner()) {
            Ok(grads) => {
                self.model = Some(self.optim.step(self.settings.learning_rate, model, grads));
                Ok(())
            }
            Err(e) => {
                self.model = Some(model);
                Err(e)
            }
        }
    }

    /// The current parameters' sizes, in visiting order (how a flat buffer splits).
    pub fn param_sizes(&self) -> Vec<usize> {
        param_sizes(self.model.as_ref().expect("the model is present between steps"))
    }
}

/// The sum of all of `model`'s weights, computed on its device in one fixed order: bit-equal on
/// replicas that hold the same weights (same code, same shapes, same order), so a replica that
/// drifted from the lead (a lost or misapplied step) shows at the next step.
pub async fn weights_sum(model: &Nin) -> Result<f32, TrainError> {
    struct Flat(Vec<Tensor<1>>);
    impl ModuleVisitor for Flat {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0.push(param.val().detach().reshape([-1]));
        }
    }
    let mut flat = Flat(Vec::new());
    model.visit(&mut flat);
    if flat.0.is_empty() {
        return Ok(0.0);
    }
    let sum = read_f32(Tensor::cat(flat.0, 0).sum()).await?;
    Ok(sum.first().copied().unwrap_or(f32::NAN))
}

/// The number of values of each float parameter of `model`, in visiting order.
pub fn param_sizes(model: &Nin) -> Vec<usize> {
    params(model).into_iter().map(|(_, d)| d.iter().product()).collect()
}

/// Per-parameter values as one buffer (what travels between workers).
pub fn flatten(params: &[Vec<f32>]) -> Vec<f32> {
    params.concat()
}

/// A flat buffer split back into parameters of `sizes`.
pub fn unflatten(flat: &[f32], sizes: &[usize]) -> Result<Vec<Vec<f32>>, ParallelError> {
    let total: usize = sizes.iter().sum();
    if flat.len() != total {
        return Err(ParallelError::FlatLen { expected: total, got: flat.len() });
    }
    let mut rest = flat;
    Ok(sizes
        .iter()
        .map(|&n| {
            let (head, tail) = rest.split_at(n);
            rest = tail;
            head.to_vec()
        })
        .collect())
}

/// Why slices' gradients cannot be averaged (a replica that sent something else).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParallelError {
    #[error("no slice gradients to average")]
    Empty,
    #[error("a slice of zero images")]
    EmptySlice,
    #[error("slice {slice} has {got} parameters, the first has {expected}")]
    ParamCount { slice: usize, expected: usize, got: usize },
    #[error("slice {slice}, parameter {param}: {got} values, the first slice has {expected}")]
    ParamLen { slice: usize, param: usize, expected: usize, got: usize },
    #[error("the model has {expected} parameters of {sizes:?} values, the average has other sizes")]
    Shape { expected: usize, sizes: Vec<usize> },
    #[error("a gradient buffer of {got} values, the model has {expected}")]
    FlatLen { expected: usize, got: usize },
}

/// The ids and shapes of a module's float parameters, in visiting order.
struct Params(Vec<(ParamId, Vec<usize>)>);

impl ModuleVisitor for Params {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.0.push((param.id, param.val().dims().to_vec()));
    }
}

fn params(model: &Nin) -> Vec<(ParamId, Vec<usize>)> {
    let mut v = Params(Vec::new());
    model.visit(&mut v);
    v.0
}

/// The gradients of `loss(model(x), y)` (mean over the slice's images), read back to the host.
/// `model` lives on an autodiff device.
pub async fn slice_gradients(model: &Nin, loss: &CrossEntropyLoss, x: Tensor<4>, y: Tensor<1, Int>) -> Result<SliceGrads, TrainError> {
    let images = x.dims()[0];
    let logits = model.forward(x);
    let l = loss.forward(logits.clone(), y.clone());
    let correct = logits.detach().argmax(1).flatten::<1>(0, 1).equal(y).int().sum();
    let mean_loss = read_f32(l.clone().detach()).await?.first().copied().unwrap_or(f32::NAN);
    let correct = correct.into_data_async().await.map_err(|e| TrainError::Readback(format!("{e:?}")))?;
    let correct = correct.convert::<i64>().try_to_vec::<i64>().map_err(|e| TrainError::Readback(format!("{e:?}")))?.first().copied().unwrap_or(0);
    let grads = GradientsParams::from_grads(l.backward(), model);
    let mut out = Vec::new();
    for (id, dims) in params(model) {
        let values = match dims.len() {
            1 => match grads.get::<1>(id) {
                Some(g) => Some(read_f32(g).await?),
                None => None,
            },
            2 => match grads.get::<2>(id) {
                Some(g) => Some(read_f32(g).await?),
                None => None,
            },
            4 => match grads.get::<4>(id) {
                Some(g) => Some(read_f32(g).await?),
                None => None,
            },
            _ => None,
        };
        // A parameter the loss does not reach has a zero gradient.
        out.push(values.unwrap_or_else(|| vec![0.0; dims.iter().product()]));
    }
    let weights_sum = weights_sum(model).await?;
    Ok(SliceGrads { images, params: out, loss_sum: mean_loss as f64 * images as f64, correct: correct.max(0) as usize, weights_sum })
}

/// The average of the slices' gradients, each weighted by its number of images.
pub fn average(slices: &[SliceGrads]) -> Result<Vec<Vec<f32>>, ParallelError> {
    let first = slices.first().ok_or(ParallelError::Empty)?;
    let total: usize = slices.iter().map(|s| s.images).sum();
    for (i, s) in slices.iter().enumerate() {
        if s.images == 0 {
            return Err(ParallelError::EmptySlice);
        }
        if s.params.len() != first.params.len() {
            return Err(ParallelError::ParamCount { slice: i, expected: first.params.len(), got: s.params.len() });
        }
        for (p, (a, b)) in first.params.iter().zip(&s.params).enumerate() {
            if a.len() != b.len() {
                return Err(ParallelError::ParamLen { slice: i, param: p, expected: a.len(), got: b.len() });
            }
        }
    }
    let mut avg: Vec<Vec<f64>> = first.params.iter().map(|p| vec![0.0; p.len()]).collect();
    for s in slices {
        let w = s.images as f64 / total as f64;
        for (acc, values) in avg.iter_mut().zip(&s.params) {
            for (a, &v) in acc.iter_mut().zip(values) {
                *a += w * v as f64;
            }
        }
    }
    Ok(avg.into_iter().map(|p| p.into_iter().map(|v| v as f32).collect()).collect())
}

/// The averaged gradients as Burn's `GradientsParams` for `model`'s optimizer, on `device`
/// (the model's device without autodiff).
pub fn to_gradients(model: &Nin, averaged: Vec<Vec<f32>>, device: &Device) -> Result<GradientsParams, ParallelError> {
    let ps = params(model);
    let sizes: Vec<usize> = averaged.iter().map(Vec::len).collect();
    if ps.len() != averaged.len() || ps.iter().zip(&sizes).any(|((_, d), &n)| d.iter().product::<usize>() != n) {
        return Err(ParallelError::Shape { expected: ps.len(), sizes });
    }
    let mut grads = GradientsParams::new();
    for ((id, dims), values) in ps.into_iter().zip(averaged) {
        let data = TensorData::new(values, dims.clone());
        match dims.len() {
            1 => grads.register::<1>(id, Tensor::from_data(data, device)),
            2 => grads.register::<2>(id, Tensor::from_data(data, device)),
            4 => grads.register::<4>(id, Tensor::from_data(data, device)),
            _ => return Err(ParallelError::Shape { expected: dims.len(), sizes: dims }),
        }
    }
    Ok(grads)
}

#[cfg(test)]
mod tests;
