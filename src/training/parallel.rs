//! Data-parallel training's arithmetic (issue 15, first part): a batch split into slices, one
//! per replica; each replica's gradients of its slice read back to the host; the slices'
//! gradients averaged, weighted by their sizes; the average handed back to an optimizer as
//! Burn's `GradientsParams`. With a mean-reduced loss and no dropout, the weighted average of
//! the slices' gradients is the gradient of the whole batch, so every replica that applies it
//! takes the step a single replica would have taken (tested below).
//!
//! Not yet wired to the page's workers: the training cell still trains in one worker.

use std::ops::Range;

use burn::module::{Module, ModuleVisitor, Param, ParamId};
use burn::nn::loss::CrossEntropyLoss;
use burn::optim::GradientsParams;
use burn::prelude::*;

use super::{TrainError, read_f32};
use crate::model::Nin;

/// The batch rows each of `workers` replicas computes: as even as possible, the first slices
/// one image larger when the batch does not divide; never an empty slice (fewer replicas work
/// when the batch is smaller than `workers`).
pub fn slices(batch: usize, workers: usize) -> Vec<Range<usize>> {
    let n = workers.clamp(1, batch.max(1));
    let (base, extra) = (batch / n, batch % n);
    let mut start = 0;
    (0..n)
        .map(|i| {
            let len = base + usize::from(i < extra);
            let r = start..start + len;
            start += len;
            r
        })
        .filter(|r| !r.is_empty())
        .collect()
}

/// One replica's gradients of its slice, on the host: per float parameter, in the module's
/// visiting order, its values (row-major); and the number of images they were computed on.
#[derive(Debug, Clone, PartialEq)]
pub struct SliceGrads {
    pub images: usize,
    pub params: Vec<Vec<f32>>,
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
    let l = loss.forward(model.forward(x), y);
    let grads = GradientsParams::from_grads(l.backward(), model);
    let mut out = Vec::new();
    for (id, dims) in params(model) {
        let values = match dims.len() {
            1 => match grads.get::<1>(id) { Some(g) => Some(read_f32(g).await?), None => None },
            2 => match grads.get::<2>(id) { Some(g) => Some(read_f32(g).await?), None => None },
            4 => match grads.get::<4>(id) { Some(g) => Some(read_f32(g).await?), None => None },
            _ => None,
        };
        // A parameter the loss does not reach has a zero gradient.
        out.push(values.unwrap_or_else(|| vec![0.0; dims.iter().product()]));
    }
    Ok(SliceGrads { images, params: out })
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
    fn slices_cover_the_batch_evenly() {
        assert_eq!(slices(32, 2), vec![0..16, 16..32]);
        assert_eq!(slices(10, 3), vec![0..4, 4..7, 7..10]);
        assert_eq!(slices(2, 4), vec![0..1, 1..2]);
        assert_eq!(slices(7, 1), vec![0..7]);
        assert_eq!(slices(5, 0), vec![0..5]);
        for (b, w) in [(1, 1), (17, 4), (128, 16), (3, 8)] {
            let s = slices(b, w);
            assert_eq!(s.iter().map(|r| r.len()).sum::<usize>(), b);
            assert!(s.windows(2).all(|p| p[0].end == p[1].start && p[0].len() >= p[1].len() && p[0].len() - p[1].len() <= 1));
        }
    }

    #[test]
    fn average_is_weighted_and_refuses_mismatches() {
        let a = SliceGrads { images: 3, params: vec![vec![1.0, 2.0], vec![3.0]] };
        let b = SliceGrads { images: 1, params: vec![vec![5.0, 6.0], vec![7.0]] };
        assert_eq!(average(&[a.clone(), b.clone()]).unwrap(), vec![vec![2.0, 3.0], vec![4.0]]);
        assert_eq!(average(&[]), Err(ParallelError::Empty));
        assert_eq!(average(&[a.clone(), SliceGrads { images: 0, ..b.clone() }]), Err(ParallelError::EmptySlice));
        assert_eq!(average(&[a.clone(), SliceGrads { params: vec![vec![1.0, 2.0]], ..b.clone() }]), Err(ParallelError::ParamCount { slice: 1, expected: 2, got: 1 }));
        assert_eq!(average(&[a, SliceGrads { params: vec![vec![1.0], vec![2.0]], ..b }]), Err(ParallelError::ParamLen { slice: 1, param: 0, expected: 2, got: 1 }));
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
        let data = FashionMnist {
            images: (0..7 * 784).map(|i| ((i * 37 + i / 784 * 11) % 256) as u8).collect(),
            labels: vec![0, 3, 9, 1, 3, 7, 2],
        };
        let all: Vec<usize> = (0..7).collect();
        let loss = CrossEntropyLossConfig::new().init(&device);
        let (x, y) = super::super::batch(&data, &all, 67, &device);
        let whole = block_on(slice_gradients(&model, &loss, x, y)).unwrap();
        let parts: Vec<SliceGrads> = slices(7, 2)
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

    struct Collect<'a>(&'a mut Vec<f32>);
    impl ModuleVisitor for Collect<'_> {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0.extend(param.val().into_data().convert::<f32>().try_to_vec::<f32>().unwrap());
        }
    }
}
