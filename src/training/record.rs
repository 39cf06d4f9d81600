//! Trained weights to and from a file: a small header that says which model the weights are for
//! (the variant, its config, the image size it was trained at), then a Burn record (burnpack).
//! Saving needs no synchronous readback (Burn's `into_record` reads each parameter
//! synchronously, which panics on WebGPU in the browser): each parameter is read back
//! asynchronously, written into a copy of the model on the CPU backend, and that copy is
//! recorded. Loading checks the header and the model it describes before Burn sees the record.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;
use burn::store::ModuleRecord;
use burn::tensor::Bytes;
use serde::{Deserialize, Serialize};

use crate::analysis::{self, AnalysisError, InputShape};
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
    /// A plain Burn record, as versions before the header saved: which model and image size it
    /// is for is unknown, so it cannot be checked.
    #[error("this weights file has no model description (saved by an older version of this page)")]
    NoHeader,
}

/// What a weights file says about its model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightsMeta {
    /// The variant's key (`book`, `mlp1`, … as on the run board).
    pub variant: String,
    pub config: NinConfig,
    /// The side of the square images it was trained at (and must be scored at).
    pub image_size: usize,
}

/// The file starts with these 8 bytes, then the header's length (u32, big endian), the header
/// (JSON), and the record.
const MAGIC: &[u8; 8] = b"NINWGT01";
/// A header is a few kB; a longer one is not ours.
const MAX_HEADER: usize = 1 << 16;

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

struct Fill {
    values: Vec<Vec<f32>>,
    next: usize,
    device: Device,
    /// Store the parameters in half precision (the record then holds f16 tensors).
    half: bool,
}

impl ModuleMapper for Fill {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        param.map(|tensor| {
            let dims = tensor.dims();
            let values = std::mem::take(&mut self.values[self.next]);
            self.next += 1;
            let t: Tensor<D> = Tensor::from_data(TensorData::new(values, dims), &self.device);
            if self.half { t.cast(burn::tensor::FloatDType::F16) } else { t }
        })
    }
}

/// The model's weights as burnpack bytes. Safe on every backend: one async readback per
/// parameter tensor (never one concatenation of all of them, which a VGG member of exercise 6
/// would make a 515 MB tensor, over a GPU's buffer limit).
pub async fn to_bytes(model: &Nin, config: &NinConfig) -> Result<Vec<u8>, RecordFileError> {
    record_bytes(model, config, false).await
}

/// As [`to_bytes`], with every parameter stored in half precision (half the bytes; loading
/// casts them back to f32). The shipped model uses it when no test prediction changes.
pub async fn to_bytes_half(model: &Nin, config: &NinConfig) -> Result<Vec<u8>, RecordFileError> {
    record_bytes(model, config, true).await
}

async fn record_bytes(model: &Nin, config: &NinConfig, half: bool) -> Result<Vec<u8>, RecordFileError> {
    let mut collect = Collect { tensors: Vec::new(), shapes: Vec::new() };
    model.visit(&mut collect);
    let mut values = Vec::with_capacity(collect.tensors.len());
    for (tensor, shape) in collect.tensors.into_iter().zip(&collect.shapes) {
        let data = tensor.into_data_async().await.map_err(|e| RecordFileError::Readback(format!("{e:?}")))?;
        let v: Vec<f32> = data.convert::<f32>().try_to_vec().map_err(|e| RecordFileError::Readback(format!("{e:?}")))?;
        if v.len() != shape.iter().product::<usize>() {
            return Err(RecordFileError::Readback(format!("{} values read for a {shape:?} tensor", v.len())));
        }
        values.push(v);
    }
    let cpu = Device::flex();
    let mut fill = Fill { values, next: 0, device: cpu.clone(), half };
    let copy = config.init(&cpu)?.valid().map(&mut fill);
    let bytes = copy.into_record().into_bytes().map_err(|e| RecordFileError::Format(e.to_string()))?;
    Ok(bytes.to_vec())
}

/// Builds `config`'s model on `device` with the weights in `bytes` (a Burn record). A record for
/// another architecture (a missing tensor, a different shape) is an error, not a panic.
pub fn from_bytes(bytes: Vec<u8>, config: &NinConfig, device: &Device) -> Result<Nin, RecordFileError> {
    load_into(config.init(device)?, bytes)
}

/// Loads the record in `bytes` into `model` (built for the record's config). Burn's parser
/// returns errors for what the fuzzing of `fuzz/` found it to see (no panic there, see the
/// README); its tensors' shapes are checked against the model's by `try_load_record`.
pub fn load_into(model: Nin, bytes: Vec<u8>) -> Result<Nin, RecordFileError> {
    // A half-precision record is cast to the model's f32 on load.
    let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes)).map_err(|e| RecordFileError::Format(e.to_string()))?.cast_to_module_dtype();
    model.try_load_record(record).map_err(|e| RecordFileError::Format(e.to_string()))
}

/// A weights file: the header for `meta`, then `record`.
pub fn to_file(meta: &WeightsMeta, record: &[u8]) -> Vec<u8> {
    let header = serde_json::to_vec(meta).expect("a header always serialises");
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + header.len() + record.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(header.len() as u32).to_be_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(record);
    out
}

/// Splits a weights file into its header and record, and checks the model the header describes
/// (its config, and the image size against that config: an FC head is tied to one size, and
/// every config has a smallest side) before anything is built.
pub fn parse_file(bytes: &[u8]) -> Result<(WeightsMeta, &[u8]), RecordFileError> {
    let Some(rest) = bytes.strip_prefix(MAGIC) else {
        // A plain burnpack record (Burn's magic 0x4255524E, either byte order) is what older
        // versions saved: say so rather than "not ours".
        let burnpack = bytes.starts_with(b"BURN") || bytes.starts_with(b"NRUB");
        return Err(if burnpack { RecordFileError::NoHeader } else { RecordFileError::Format("not a weights file".into()) });
    };
    let len = rest.get(..4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize).ok_or(RecordFileError::Format("cut short".into()))?;
    if len > MAX_HEADER || rest.len() < 4 + len {
        return Err(RecordFileError::Format("cut short or a header of the wrong size".into()));
    }
    let meta: WeightsMeta = serde_json::from_slice(&rest[4..4 + len]).map_err(|e| RecordFileError::Format(format!("its header cannot be read ({e})")))?;
    analysis::validate_config(&meta.config)?;
    analysis::plan(&meta.config, InputShape::new(1, meta.config.input_channels, meta.image_size, meta.image_size))?;
    Ok((meta, &rest[4 + len..]))
}

/// Reads a weights file onto `device`: its header, then the model it describes.
pub fn from_file(bytes: &[u8], device: &Device) -> Result<(Nin, WeightsMeta), RecordFileError> {
    let (meta, record) = parse_file(bytes)?;
    let nin = from_bytes(record.to_vec(), &meta.config, device)?;
    Ok((nin, meta))
}
