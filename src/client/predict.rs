//! The trained model on one picture, on the page's own CPU device (milliseconds at 28-96 px):
//! the class probabilities and the first channels of each NiN block's output, for "try it
//! yourself" and the figures that look inside the model.

use burn::prelude::*;

use crate::data::sketch::Prepared;
use crate::model::Nin;
use crate::training::{self, TrainError};

/// One block's output: its shape and the first channels' values, row-major per channel.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockMaps {
    pub channels: usize,
    pub height: usize,
    pub width: usize,
    pub values: Vec<Vec<f32>>,
}

/// What the model made of a picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// Softmax probabilities of the ten classes.
    pub probs: Vec<f32>,
    pub blocks: Vec<BlockMaps>,
}

/// `nin` on `input` resized to `size`, with up to `channels_shown` channels of each block read
/// back (asynchronously, as every readback must be on wasm).
pub async fn predict(nin: &Nin, size: usize, input: &Prepared, channels_shown: usize) -> Result<Prediction, TrainError> {
    let device = Device::flex();
    let (x, _) = training::batch(&input.as_dataset(), &[0], size, &device);
    let (logits, maps) = nin.forward_block_maps(x);
    let probs = training::read_f32(burn::tensor::activation::softmax(logits, 1)).await?;
    if probs.len() != 10 || probs.iter().any(|p| !p.is_finite()) {
        return Err(TrainError::BadLogits);
    }
    let mut blocks = Vec::with_capacity(maps.len());
    for map in maps {
        let [_, channels, height, width] = map.dims();
        let shown = channels.min(channels_shown);
        let values = training::read_f32(map.narrow(1, 0, shown)).await?;
        blocks.push(BlockMaps { channels, height, width, values: values.chunks(height * width).map(<[f32]>::to_vec).collect() });
    }
    Ok(Prediction { probs, blocks })
}

/// A weights file (header and Burn record) loaded on the page's CPU device, for "try it" and
/// scoring; the header says which model and image size.
pub fn load_weights_file(bytes: &[u8]) -> Result<(Nin, crate::training::record::WeightsMeta), crate::training::record::RecordFileError> {
    crate::training::record::from_file(bytes, &Device::flex())
}

/// A run's trained weights (a Burn record of `config`) loaded on the page's CPU device.
pub fn load_weights(record: Vec<u8>, config: &crate::model::config::NinConfig) -> Result<Nin, crate::training::record::RecordFileError> {
    crate::training::record::from_bytes(record, config, &Device::flex())
}

/// The parameter count of the real Burn module for `config` (a cross-check of the analysis).
pub fn module_params(config: &crate::model::config::NinConfig) -> Option<u64> {
    use burn::module::Module;
    config.init(&Device::flex()).map(|m| m.num_params() as u64).ok()
}
