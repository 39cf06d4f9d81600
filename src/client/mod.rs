//! The one door between the page (`crate::ui`) and the engine. Every computation the page asks
//! for goes through here: a shape summary ([`summary`]), a training run or the scoring of
//! trained weights ([`Run`]: a handle and a stream of typed [`Update`]s), one measured training
//! step ([`measure_step`]), the trained model on one picture ([`predict`]), the GPU engine's
//! start and stop. The UI renders updates and sends
//! controls; it never posts a worker message, polls a timer, or reaches `worker` itself.
//!
//! Modelled on brush's process handle: the engine runs behind the handle (in Web Workers, see
//! `crate::worker`), and the page consumes its messages in order.

mod engine;
pub mod explore;
mod predict;
mod run;

use burn::prelude::Device;

pub use engine::{start as start_gpu_engine, stop as stop_gpu_engine};
pub use predict::{BlockMaps, Prediction, load_weights, load_weights_file, module_params, predict};
pub use run::{Controller, Job, Run, Update, measure_step};

use crate::analysis::InputShape;
use crate::model::NinConfig;

/// The shape summary of `config` on `input` on the page's backend: on WebGPU the GPU engine
/// worker computes it (the page's own module has only the CPU backend); on the CPU the page
/// does (it takes milliseconds).
pub async fn summary(backend: &ActiveBackend, config: &NinConfig, input: InputShape) -> Result<SummaryReport, SummaryError> {
    match backend.kind {
        BackendKind::WebGpu => engine::summary(config, input, backend.buffer_limit_bytes()).await,
        BackendKind::Cpu => crate::engine::run_shape_summary(&Device::flex(), config, input, backend.buffer_limit_bytes()).await,
    }
}

/// The code cell's program run to its layer summary on the page's backend (the program is
/// checked first on the page: a bad one never reaches a worker).
pub async fn code_summary(backend: &ActiveBackend, source: &str) -> Result<CodeReport, CodeRunError> {
    match backend.kind {
        BackendKind::WebGpu => {
            crate::engine::code_summary::analyze(source).map_err(|e| CodeRunError::Code((&e).into()))?;
            engine::code_summary(source, backend.buffer_limit_bytes()).await
        }
        // run_code_summary checks the program itself before it allocates anything.
        BackendKind::Cpu => crate::engine::code_summary::run_code_summary(&Device::flex(), source, backend.buffer_limit_bytes()).await,
    }
}

/// The program's pure check and the table its shape arithmetic predicts: what the code cell
/// prints at once, before [`code_summary`] confirms it.
pub fn planned_code_report(source: &str) -> Result<CodeReport, nin_code::CodeError> {
    crate::engine::code_summary::planned_report(source)
}

/// The program's pure check, its config for the training cell when it is NiN-shaped.
pub fn code_config(source: &str) -> Result<Result<NinConfig, NotTrainable>, nin_code::CodeError> {
    let (net, _) = crate::engine::code_summary::analyze(source)?;
    Ok(crate::model::from_code::nin_config(&net))
}

// What the page may name of the engine: the types its views render and its forms build, and
// the pure checks it runs before it asks for work (memory estimates, the worker count, the
// weights file's header). Only the items above start work.
pub use crate::engine::backend::CPU_BUFFER_LIMIT_BYTES;
pub use crate::engine::code_summary::{CodeReport, CodeRow, CodeRunError};
pub use crate::engine::gpu_fault::{MemoryEvent, learn as learn_gpu_memory};
pub use crate::engine::summary::{largest_batch_within, summary_bytes};
pub use crate::engine::webgpu::{js_error_text, probe as probe_webgpu};
pub use crate::engine::{ActiveBackend, AdapterReport, BackendKind, CpuReason, GpuFault, SummaryError, SummaryReport};
pub use crate::model::Nin;
pub use crate::model::from_code::NotTrainable;
pub use crate::training::metrics::TestReport;
pub use crate::training::parallel::{MAX_WORKERS, default_workers, workers};
pub use crate::training::session::{Control, Ended, Event, Progress, Stage};
pub use crate::training::{History, OptimizerKind, Preset, SettingsError, TrainError, TrainSettings};
pub use crate::training::{board, card, estimate, form, record, settings};
pub use crate::worker::{ScoringDataRef, TrainingDataRef, WorkerFailure};
