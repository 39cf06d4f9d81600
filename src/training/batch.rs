//! What a run trains on: the seeded held-out split of the training file, and the batches built
//! from it on the device.

use burn::prelude::*;
use burn::tensor::module::interpolate;
use burn::tensor::ops::{InterpolateMode, InterpolateOptions};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use super::settings::TrainSettings;
use crate::data::FashionMnist;

/// The held-out split of the training file: indices into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub train: Vec<usize>,
    pub val: Vec<usize>,
}

/// The images of the training file a run's split draws from: the first shards that hold its
/// `val_images + train_images` images, i.e. exactly what the run downloads. It depends on the
/// settings alone, so a seed gives the same split however many shards the page has cached
/// (issue 25: the split drew over every cached shard, and a share link stopped reproducing).
pub fn split_pool(settings: &TrainSettings) -> usize {
    let shard = crate::data::shards::SHARD_IMAGES;
    (settings.val_images + settings.train_images).div_ceil(shard) * shard
}

/// A seeded random split of [`split_pool`]'s images: `val_images` for validation, then
/// `train_images` for training. A smaller file (native tests) draws from what it has.
pub fn split(available: usize, settings: &TrainSettings) -> Split {
    let mut all: Vec<usize> = (0..available.min(split_pool(settings))).collect();
    all.shuffle(&mut StdRng::seed_from_u64(settings.seed));
    let val = all[..settings.val_images.min(available)].to_vec();
    let end = (settings.val_images + settings.train_images).min(available);
    let train = all[settings.val_images.min(available)..end].to_vec();
    Split { train, val }
}

/// Builds a batch on `device`: the u8 images become f32 in [0, 1] on the host at 28x28 (the
/// only upload), then are resized on the device with bilinear interpolation.
///
/// # Shapes
/// - output: images `[indices.len(), 1, size, size]`, labels `[indices.len()]`
pub fn batch(data: &FashionMnist, indices: &[usize], size: usize, device: &Device) -> (Tensor<4>, Tensor<1, Int>) {
    let side = 28;
    let mut pixels = Vec::with_capacity(indices.len() * FashionMnist::PIXELS);
    let mut labels = Vec::with_capacity(indices.len());
    for &i in indices {
        pixels.extend(data.image(i).iter().map(|&p| p as f32 / 255.0));
        labels.push(data.labels[i] as i64);
    }
    let images = Tensor::<4>::from_data(TensorData::new(pixels, [indices.len(), 1, side, side]), device);
    let images = if size == side {
        images
    } else {
        let options = InterpolateOptions::new(InterpolateMode::Bilinear).with_align_corners(false).with_output_size([size, size]);
        interpolate(images, options)
    };
    let labels = Tensor::<1, Int>::from_data(TensorData::new(labels, [indices.len()]), device);
    (images, labels)
}
