//! Trained weights to and from a Burn record file (burnpack bytes), without a synchronous
//! readback: Burn's `into_record` reads each parameter synchronously, which panics on WebGPU in
//! the browser. So the parameters are read back in one async transfer, written into a copy of
//! the model on the CPU backend, and that copy is recorded.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;
use burn::store::ModuleRecord;
use burn::tensor::Bytes;

use crate::analysis::AnalysisError;
use crate::model::{Nin, NinConfig};

/// Why weights could not be saved or loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecordFileError {
    #[error("{0}")]
    Model(#[from] AnalysisError),
    #[error("reading the weights back from the device failed: {0}")]
    Readback(String),
    #[error("this file is not a weights file for this model: {0}")]
    Format(String),
}

struct Collect {
    tensors: Vec<Tensor<1>>,
    shapes: Vec<Vec<usize>>,
}

impl ModuleVisitor for Collect {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let value = param.val();
        self.shapes.push(value.dims().to_vec());
        self.tensors.push(value.reshape([-1]));
    }
}

struct Fill<'a> {
    values: &'a [f32],
    offset: usize,
    device: Device,
}

impl ModuleMapper for Fill<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        param.map(|tensor| {
            let dims = tensor.dims();
            let n: usize = dims.iter().product();
            let slice = &self.values[self.offset..self.offset + n];
            self.offset += n;
            Tensor::from_data(TensorData::new(slice.to_vec(), dims), &self.device)
        })
    }
}

/// The model's weights as burnpack bytes. Safe on every backend (one async readback).
pub async fn to_bytes(model: &Nin, config: &NinConfig) -> Result<Vec<u8>, RecordFileError> {
    let mut collect = Collect { tensors: Vec::new(), shapes: Vec::new() };
    model.visit(&mut collect);
    let flat = Tensor::cat(collect.tensors, 0)
        .into_data_async()
        .await
        .map_err(|e| RecordFileError::Readback(format!("{e:?}")))?;
    let values: Vec<f32> = flat.convert::<f32>().try_to_vec().map_err(|e| RecordFileError::Readback(format!("{e:?}")))?;
    let expected: usize = collect.shapes.iter().map(|s| s.iter().product::<usize>()).sum();
    if values.len() != expected {
        return Err(RecordFileError::Readback(format!("{} values read, {expected} expected", values.len())));
    }
    let cpu = Device::flex();
    let mut fill = Fill { values: &values, offset: 0, device: cpu.clone() };
    let copy = config.init(&cpu)?.valid().map(&mut fill);
    let bytes = copy.into_record().into_bytes().map_err(|e| RecordFileError::Format(e.to_string()))?;
    Ok(bytes.to_vec())
}

/// Builds `config`'s model on `device` with the weights in `bytes`. A file for another
/// architecture (a missing tensor, a different shape) is an error, not a panic.
pub fn from_bytes(bytes: Vec<u8>, config: &NinConfig, device: &Device) -> Result<Nin, RecordFileError> {
    let record = std::panic::catch_unwind(|| ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes)))
        .map_err(|_| RecordFileError::Format("the file could not be parsed".into()))?
        .map_err(|e| RecordFileError::Format(e.to_string()))?;
    config.init(device)?.try_load_record(record).map_err(|e| RecordFileError::Format(e.to_string()))
}
