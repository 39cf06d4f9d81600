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
mod tests {
    use super::*;
    use crate::data::FashionMnist;
    use crate::model::{NinConfig, StageConfig};
    use burn::nn::loss::CrossEntropyLossConfig;
    use burn::optim::AdamConfig;
    use futures_lite::future::block_on;

    #[test]
    fn worker_counts_follow_cores_memory_and_batch() {
        assert_eq!(default_workers(2.0), 2);
        assert_eq!(default_workers(16.0), MAX_WORKERS);
        for odd in [0.0, -3.0, f64::NAN, f64::INFINITY] {
            assert_eq!(default_workers(odd), 1, "{odd}");
        }
        let mib = 1 << 20;
        assert_eq!(workers(4, 300 * mib, 8192 * mib, 32), 4);
        assert_eq!(workers(8, 3000 * mib, 8192 * mib, 32), 2, "memory caps the count");
        assert_eq!(workers(8, 9000 * mib, 8192 * mib, 32), 1, "one worker even over the budget (the run's own check refuses)");
        assert_eq!(workers(4, mib, 8192 * mib, 3), 3, "never more workers than images in a batch");
        assert_eq!(workers(0, mib, 8192 * mib, 32), 1);
        assert_eq!(workers(99, mib, 8192 * mib, 64), MAX_WORKERS);
    }

    #[test]
    fn slices_cover_the_batch_evenly() {
        assert_eq!(slices(32, 2).unwrap(), vec![0..16, 16..32]);
        assert_eq!(slices(10, 3).unwrap(), vec![0..4, 4..7, 7..10]);
        assert_eq!(slices(7, 1).unwrap(), vec![0..7]);
        assert_eq!(slices(5, 0).unwrap(), vec![0..5]);
        assert!(matches!(slices(2, 4), Err(TrainError::Replica(_))), "fewer rows than workers is refused, not left to hang");
        assert_eq!(parts(2, 4), vec![0..1, 1..2, 2..2, 2..2]);
        assert_eq!(parts(0, 3), vec![0..0, 0..0, 0..0]);
    }

    /// Issue 25.1: for every worker count the page can run (1..=8) and every count of images
    /// 0..20, there is one part per replica and every image is in exactly one part, the parts
    /// in order and as even as possible.
    #[test]
    fn parts_give_every_replica_a_part_and_every_image_one_replica() {
        for replicas in 1..=MAX_WORKERS {
            for items in 0..=20 {
                let p = parts(items, replicas);
                assert_eq!(p.len(), replicas, "{items} images, {replicas} replicas");
                let mut seen = vec![0; items];
                for r in &p {
                    for i in r.clone() {
                        seen[i] += 1;
                    }
                }
                assert!(seen.iter().all(|&n| n == 1), "{items} images, {replicas} replicas: {p:?}");
                assert!(p.windows(2).all(|w| w[0].end == w[1].start && w[0].len() >= w[1].len() && w[0].len() - w[1].len() <= 1), "{p:?}");
            }
        }
    }

    #[test]
    fn average_is_weighted_and_refuses_mismatches() {
        let a = SliceGrads { images: 3, params: vec![vec![1.0, 2.0], vec![3.0]], loss_sum: 6.0, correct: 1, weights_sum: 0.5 };
        let b = SliceGrads { images: 1, params: vec![vec![5.0, 6.0], vec![7.0]], loss_sum: 2.0, correct: 0, weights_sum: 0.5 };
        assert_eq!(average(&[a.clone(), b.clone()]).unwrap(), vec![vec![2.0, 3.0], vec![4.0]]);
        assert_eq!(average(&[]), Err(ParallelError::Empty));
        assert_eq!(average(&[a.clone(), SliceGrads { images: 0, ..b.clone() }]), Err(ParallelError::EmptySlice));
        assert_eq!(
            average(&[a.clone(), SliceGrads { params: vec![vec![1.0, 2.0]], ..b.clone() }]),
            Err(ParallelError::ParamCount { slice: 1, expected: 2, got: 1 })
        );
        assert_eq!(
            average(&[a, SliceGrads { params: vec![vec![1.0], vec![2.0]], ..b }]),
            Err(ParallelError::ParamLen { slice: 1, param: 0, expected: 2, got: 1 })
        );
    }

    /// The book's NiN without its dropout (dropout draws differ between one replica and two).
    fn no_dropout() -> NinConfig {
        let mut c = NinConfig::book();
        c.stages.retain(|s| !matches!(s, StageConfig::Dropout { .. }));
        c
    }

    #[test]
    fn averaged_slice_gradients_give_the_single_replica_step() {
        let _rng = crate::burn_rng_lock();
        let device = Device::flex().autodiff();
        device.seed(5);
        let model = no_dropout().init(&device).unwrap();
        let data = FashionMnist { images: (0..7 * 784).map(|i| ((i * 37 + i / 784 * 11) % 256) as u8).collect(), labels: vec![0, 3, 9, 1, 3, 7, 2] };
        let all: Vec<usize> = (0..7).collect();
        let loss = CrossEntropyLossConfig::new().init(&device);
        let (x, y) = super::super::batch(&data, &all, 67, &device);
        let whole = block_on(slice_gradients(&model, &loss, x, y)).unwrap();
        let parts: Vec<SliceGrads> = slices(7, 2)
            .unwrap()
            .into_iter()
            .map(|r| {
                let (x, y) = super::super::batch(&data, &all[r], 67, &device);
                block_on(slice_gradients(&model, &loss, x, y)).unwrap()
            })
            .collect();
        assert_eq!(parts.iter().map(|p| p.images).collect::<Vec<_>>(), vec![4, 3]);
        let avg = average(&parts).unwrap();
        let (mut worst, mut scale) = (0f32, 0f32);
        for (a, w) in avg.iter().flatten().zip(whole.params.iter().flatten()) {
            worst = worst.max((a - w).abs());
            scale = scale.max(w.abs());
        }
        assert!(scale > 0.0, "the gradients are not all zero");
        assert!(worst <= 1e-4 * scale, "largest difference {worst} against largest gradient {scale}");

        // The same Adam step from the averaged gradients and from the whole batch's.
        let inner = device.clone().inner();
        let step = |g: Vec<Vec<f32>>| {
            let mut optim = AdamConfig::new().init();
            let grads = to_gradients(&model, g, &inner).unwrap();
            let stepped = optim.step(1e-3, model.clone(), grads);
            let mut values = Vec::new();
            stepped.visit(&mut Collect(&mut values));
            values
        };
        let (p_avg, p_whole) = (step(avg), step(whole.params.clone()));
        let diff = p_avg.iter().zip(&p_whole).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        assert!(diff <= 1e-5, "parameters after the step differ by {diff}");
        let before = {
            let mut v = Vec::new();
            model.visit(&mut Collect(&mut v));
            v
        };
        assert!(p_whole.iter().zip(&before).any(|(a, b)| a != b), "the step changed the parameters");
        assert!(to_gradients(&model, vec![vec![0.0; 3]], &inner).is_err());
    }

    /// A helper trains with dropout on, as the lead does (a helper without it would learn
    /// another thing from its half of every batch): the same rows twice give other gradients
    /// with the book's dropout and the same ones without it.
    #[test]
    fn a_helper_draws_dropout_masks() {
        let _rng = crate::burn_rng_lock();
        let settings = TrainSettings { batch_size: 4, image_size: 67, train_images: 4, val_images: 1, ..crate::training::Preset::ShortCpu.settings() };
        let data = FashionMnist { images: (0..5 * 784).map(|i| ((i * 31 + i / 784 * 7) % 256) as u8).collect(), labels: vec![1, 4, 7, 0, 2] };
        let twice = |config: &NinConfig| {
            let replica = Replica::new(config, &settings, &Device::flex(), 1).unwrap();
            let a = block_on(replica.gradients(&data, &[0, 1, 2, 3])).unwrap();
            let b = block_on(replica.gradients(&data, &[0, 1, 2, 3])).unwrap();
            a.params != b.params
        };
        assert!(twice(&NinConfig::book()), "the book's NiN: the second slice drew other dropout masks");
        assert!(!twice(&no_dropout()), "without dropout the same rows give the same gradients");
    }

    /// A trainer draws its weights when it is built, as a replica does: with the book's
    /// dropout, one worker and every replica of a run start from the seed's weights (Burn
    /// would otherwise draw them at first use, after other draws).
    #[test]
    fn a_trainer_and_a_replica_start_from_the_same_weights() {
        let _rng = crate::burn_rng_lock();
        let settings = TrainSettings { batch_size: 4, image_size: 67, train_images: 4, val_images: 1, ..crate::training::Preset::ShortCpu.settings() };
        let data = FashionMnist { images: vec![0; 5 * 784], labels: vec![0; 5] };
        let trainer = crate::training::Trainer::new(&NinConfig::book(), &settings, &data, &Device::flex()).unwrap();
        let replica = Replica::new(&NinConfig::book(), &settings, &Device::flex(), 1).unwrap();
        let other = Replica::new(&NinConfig::book(), &TrainSettings { seed: settings.seed + 1, ..settings.clone() }, &Device::flex(), 1).unwrap();
        let a = values(&trainer.eval_model());
        assert_eq!(a, values(replica.model.as_ref().unwrap()));
        assert_ne!(a, values(other.model.as_ref().unwrap()), "another seed draws other weights");
    }

    fn values(model: &Nin) -> Vec<f32> {
        let mut v = Vec::new();
        model.visit(&mut Collect(&mut v));
        v
    }

    /// Three Adam steps of batch 7 split over three replicas (slices of 3, 2, 2) give the
    /// single trainer's curve and weights, and the helpers end with the lead's weights.
    #[test]
    fn a_trainer_with_helpers_learns_like_one_trainer() {
        let _rng = crate::burn_rng_lock();
        let settings = TrainSettings {
            batch_size: 7,
            image_size: 67,
            epochs: 2,
            train_images: 21,
            val_images: 4,
            test_images: 1,
            evals_per_epoch: 1,
            learning_rate: 1e-3,
            seed: 3,
            ..crate::training::Preset::ShortCpu.settings()
        };
        let data = FashionMnist {
            images: (0..25 * 784).map(|i| ((i * 29 + i / 784 * 13) % 256) as u8).collect(),
            labels: (0..25).map(|i| (i * 7 % 10) as u8).collect(),
        };
        let config = no_dropout();
        let device = Device::flex();
        let mut single = crate::training::Trainer::new(&config, &settings, &data, &device).unwrap();
        let one = block_on(single.train_chunk(&data, 3)).unwrap();
        let helpers = std::rc::Rc::new(super::super::in_process::InProcess::new(&config, &settings, &data, &device, 2).unwrap());
        let mut lead = crate::training::Trainer::new(&config, &settings, &data, &device).unwrap().with_helpers(helpers.clone());
        assert_eq!(lead.replicas(), 3);
        let three = block_on(lead.train_chunk(&data, 3)).unwrap();
        assert_eq!((three.steps, three.images), (one.steps, one.images));
        assert!((three.point.loss - one.point.loss).abs() < 1e-5, "loss {} vs {}", three.point.loss, one.point.loss);
        assert_eq!(three.point.accuracy, one.point.accuracy);
        let (a, b) = (values(&single.eval_model()), values(&lead.eval_model()));
        // The slices' gradients sum in another order than the whole batch's: rounding-level
        // differences, which Adam's normalised step (about lr per weight, whatever the
        // gradient's size) turns into differences of a small fraction of one step where a
        // gradient is near zero. Bound: a tenth of one step (lr / 10), and the mean far below.
        let diff = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0f32, f32::max);
        let mean = a.iter().zip(&b).map(|(x, y)| (x - y).abs() as f64).sum::<f64>() / a.len() as f64;
        eprintln!("3 Adam steps, 1 vs 3 replicas: largest weight difference {diff:e}, mean {mean:e}");
        assert!(diff <= 1e-4, "weights after 3 steps differ by {diff}");
        assert!(mean <= 1e-7, "weights after 3 steps differ by {mean} on average");
        let start = values(&no_dropout().init(&Device::flex()).unwrap());
        assert!(a.iter().zip(&start).any(|(x, y)| x != y), "the steps changed the weights");
        for r in helpers.replicas().borrow().iter() {
            assert_eq!(values(r.model.as_ref().unwrap()), b, "a helper's weights equal the lead's");
        }
        // Scoring shared with the helpers gives the lead's own logits, in order.
        let rows: Vec<usize> = (0..25).rev().collect();
        let (model, eval) = (lead.eval_model(), lead.eval_device());
        let alone = block_on(crate::training::session::score(&model, &data, &rows, &settings, &eval, &|_| async {}, |_| ())).unwrap();
        let shared = block_on(crate::training::session::score_shared(
            &model,
            &data,
            ScoreSet::Train,
            &rows,
            &settings,
            &eval,
            Some(helpers.as_ref()),
            &|_| async {},
            |_| (),
        ))
        .unwrap();
        assert_eq!(shared.len(), 250);
        let gap = alone.iter().zip(&shared).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        assert!(gap <= 1e-5, "shared logits differ by {gap}");
        // A helper that drifts (here: one extra step of its own) is caught at the next step.
        let ones: Vec<Vec<f32>> = helpers.replicas().borrow()[1].param_sizes().iter().map(|&n| vec![1.0; n]).collect();
        helpers.replicas().borrow_mut()[1].apply(ones).unwrap();
        match block_on(lead.train_chunk(&data, 1)) {
            Err(TrainError::Replica(m)) => assert!(m.contains("worker 3 holds other weights"), "{m}"),
            other => panic!("a drifted helper went unnoticed: {other:?}"),
        }
        // A helper asked for rows outside its data refuses with a typed error.
        let r = &helpers.replicas().borrow()[0];
        assert!(matches!(block_on(r.gradients(&data, &[99])), Err(TrainError::Replica(_))));
        assert!(matches!(block_on(r.gradients(&data, &[])), Err(TrainError::Replica(_))));
        assert_eq!(unflatten(&flatten(&[vec![1.0, 2.0], vec![3.0]]), &[2, 1]).unwrap(), vec![vec![1.0, 2.0], vec![3.0]]);
        assert_eq!(unflatten(&[1.0], &[2]), Err(ParallelError::FlatLen { expected: 2, got: 1 }));
    }

    struct Collect<'a>(&'a mut Vec<f32>);
    impl ModuleVisitor for Collect<'_> {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0.extend(param.val().into_data().convert::<f32>().try_to_vec::<f32>().unwrap());
        }
    }
}
