//! Computing in Web Workers. Burn's CPU backend computes each step synchronously (~0.7 s at
//! batch 16, 67 px in wasm), and on WebGPU Burn generates and compiles each kernel on its first
//! use (~1 s of the first step on SwiftShader): on the page's own thread either would freeze
//! scrolling, typing and the board. So the page sends the settings and the decoded images to a
//! worker, which opens its own device, runs [`crate::training::session`] and posts its events
//! back; the page turns them into the board.
//!
//! Two kinds of worker run the same protocol:
//! - a **CPU worker** runs the page's own module (the page posts its compiled
//!   `WebAssembly.Module` to `www/worker.js`: no second download or compile);
//! - a **GPU worker** runs the GPU module (`src/gpu_main.rs`, built with the `gpu` feature:
//!   Burn's WebGPU backend and cubecl's kernel compiler, most of the code), fetched only where
//!   WebGPU can run. One long-lived GPU worker answers the page's shape summaries; each
//!   training run on WebGPU gets a fresh one (a fresh device).
//!
//! The protocol (this file) builds and is tested natively; the two ends are wasm-only:
//! [`host`] on the page, [`guest`] in the worker.
//!
//! Every message is `{ msg, buffers }`: `msg` a [`ToWorker`] / [`FromWorker`] through
//! serde-wasm-bindgen, `buffers` the byte arrays that go with it (transferred, not copied),
//! typed on each side as the message's [`Buffers`] ([`TrainingData`], [`ScoringData`],
//! [`WeightsRecord`]). Each role has its own message types: the GPU engine ([`ToEngine`],
//! [`FromEngine`]), a run's worker ([`ToRun`], [`FromRun`]), a CPU helper ([`ToHelper`]), and
//! between a lead and its helpers ([`LeadToHelper`], [`HelperToLead`]).

use serde::{Deserialize, Serialize};

use crate::analysis::InputShape;
use crate::data::FashionMnist;
use crate::engine::{AdapterReport, BackendKind, CpuReason, SummaryError, SummaryReport};
use crate::model::NinConfig;
use crate::training::TrainError;
use crate::training::TrainSettings;
use crate::training::metrics::TestReport;
use crate::training::session::{Control, Ended, Event};

#[cfg(target_arch = "wasm32")]
mod envelope;
#[cfg(target_arch = "wasm32")]
pub mod guest;
#[cfg(target_arch = "wasm32")]
pub mod host;
#[cfg(target_arch = "wasm32")]
pub mod replica;

/// The CPU worker's script, relative to the page: a module worker that starts the page's own
/// module (`www/worker.js`). The built site has it content-hashed (`worker-<hash>.js`) and
/// names it in `<meta name="nin-cpu-worker">` (scripts/post_build.mjs); this is the fallback.
pub const CPU_SCRIPT: &str = "worker.js";
/// The GPU worker's script: trunk's loader shim for the GPU module (`importScripts` of its
/// glue, then its `.wasm`); content-hashed in the built site and named in
/// `<meta name="nin-gpu-worker">`.
pub const GPU_SCRIPT: &str = "nin-gpu_loader.js";

/// Page to worker. One worker script serves three roles, so the wire has one envelope, but
/// each role's messages are their own type: the page's handle for a role
/// (`host::EngineWorker`, `host::RunWorker`, `host::HelperWorker`) can only write that role's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    Engine(ToEngine),
    Run(ToRun),
    Helper(ToHelper),
}

/// Page to the long-lived GPU engine worker (the GPU module): the shape summaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToEngine {
    /// Probe the adapter and open the device; answered by [`FromEngine::Opened`] or a
    /// [`WorkerFailure::NoWebGpu`].
    Open,
    /// The shape summary of `config` on `input`, refused above `buffer_limit`.
    Summary { config: NinConfig, input: InputShape, buffer_limit: u64 },
    /// The code cell's program, run to its layer summary (see `engine::code_summary`).
    CodeSummary { source: String, buffer_limit: u64 },
}

/// Page to a run's worker (a GPU worker, or the lead CPU worker).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToRun {
    /// Train `config` with `settings`, then score the test images. Buffers: [`TrainingData`].
    /// On the CPU the message carries one `MessagePort` per helper ([`ToHelper::Train`]).
    Train { config: NinConfig, settings: TrainSettings, backend: BackendKind },
    /// Score the test images with loaded weights. Buffers: [`ScoringData`]. On the CPU, one
    /// port per helper ([`ToHelper::Score`]).
    Score { config: NinConfig, settings: TrainSettings, backend: BackendKind },
    /// Pause, resume or stop the run.
    Control(Control),
    /// CPU worker: one training step of `config` with `settings` on synthetic images, to
    /// measure how much the worker's memory grows (exercise 4); answered by [`FromRun::Measured`].
    MeasureStep { config: NinConfig, settings: TrainSettings },
    /// Test hook: the worker panics, as a bug in Burn or in this crate would make it. The page
    /// never sends it; the browser tests do, to check that a crash ends the run cleanly.
    Panic,
}

/// Page to a CPU helper worker of a data-parallel run; the message carries one port to the
/// lead, over which the helper then speaks [`LeadToHelper`] / [`HelperToLead`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToHelper {
    /// Be replica number `rank` (1, 2, ...) of a [`ToRun::Train`] (see
    /// `crate::training::parallel`): compute the gradients of the slices the lead asks for,
    /// apply its averages, score parts of the validation and test images. Buffers: [`TrainingData`].
    Train { config: NinConfig, settings: TrainSettings, rank: u64 },
    /// Help a [`ToRun::Score`] by scoring the parts of the test images the lead asks for.
    /// Buffers: [`ScoringData`].
    Score { config: NinConfig, settings: TrainSettings },
}

/// Worker to page: what every role says ([`FromWorker::Ready`], [`FromWorker::Failed`]) and
/// each role's own answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's module is running and listening.
    Ready,
    /// The last message of a job that failed (any role; also a panic or a bad message).
    Failed(WorkerFailure),
    Engine(FromEngine),
    Run(FromRun),
}

/// The GPU engine worker's answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromEngine {
    /// The device is open on this adapter.
    Opened(AdapterReport),
    /// A shape summary's outcome.
    Summary(Result<SummaryReport, SummaryError>),
    /// The code cell's outcome.
    CodeSummary(Result<crate::engine::code_summary::CodeReport, crate::engine::code_summary::CodeRunError>),
}

/// A run worker's answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromRun {
    Event(Event),
    /// The weights when training ended (finished or stopped). Buffer: a [`WeightsRecord`].
    Weights,
    /// The test set scored (after a finished run, or for loaded weights).
    Report {
        report: TestReport,
        images: usize,
    },
    /// The last message of a run that did not fail.
    Ended(Ended),
    /// The worker's WebAssembly memory before and after one training step, in bytes.
    Measured {
        before: u64,
        after: u64,
    },
}

/// Lead worker to helper worker, over their `MessagePort`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LeadToHelper {
    /// The gradients of these training rows, at the current weights.
    Slice { rows: Vec<u32> },
    /// Take one optimizer step with the averaged gradients (with them as one `Float32Array`,
    /// every parameter in the model's visiting order: `crate::training::parallel::flatten`).
    Apply,
    /// The logits of these rows of the training file or of the test file (maybe none: every
    /// helper is asked, see `crate::training::parallel::parts`).
    Score { test: bool, rows: Vec<u32> },
}

/// Helper worker to lead worker, over their `MessagePort`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum HelperToLead {
    /// The slice's gradients (one `Float32Array`, as [`LeadToHelper::Apply`]'s), summed loss
    /// and correct count.
    Grads { images: u32, loss_sum: f64, correct: u32, weights_sum: f32 },
    /// The logits asked for (one `Float32Array`, row-major `[images, classes]`).
    Logits,
    /// The helper cannot go on.
    Failed(String),
}

/// A Burn record of trained weights (`crate::training::record`): the buffer of
/// [`FromRun::Weights`] and the first of [`ScoringData`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeightsRecord(pub Vec<u8>);

/// The buffers of [`ToRun::Train`] and [`ToHelper::Train`] as a worker receives them: the
/// training and test files' images (784 bytes each) and labels, as in the IDX files.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingData {
    pub train: FashionMnist,
    pub test: FashionMnist,
}

/// [`TrainingData`] as the page sends it, borrowed from the page's downloaded data.
#[derive(Debug, Clone, Copy)]
pub struct TrainingDataRef<'a> {
    pub train: &'a FashionMnist,
    pub test: &'a FashionMnist,
}

/// The buffers of [`ToRun::Score`] and [`ToHelper::Score`] as a worker receives them: the
/// weights and the test file.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoringData {
    pub weights: WeightsRecord,
    pub test: FashionMnist,
}

/// [`ScoringData`] as the page sends it.
#[derive(Debug, Clone, Copy)]
pub struct ScoringDataRef<'a> {
    pub weights: &'a [u8],
    pub test: &'a FashionMnist,
}

/// A message's typed buffers as they leave: byte arrays in wire order (transferred).
pub trait Buffers {
    fn views(&self) -> Vec<&[u8]>;
}

/// A message's typed buffers as they arrive, checked.
pub trait FromBuffers: Sized {
    fn from_buffers(buffers: Vec<Vec<u8>>) -> Result<Self, WorkerFailure>;
}

impl Buffers for () {
    fn views(&self) -> Vec<&[u8]> {
        Vec::new()
    }
}

impl Buffers for WeightsRecord {
    fn views(&self) -> Vec<&[u8]> {
        vec![&self.0]
    }
}

impl FromBuffers for WeightsRecord {
    fn from_buffers(buffers: Vec<Vec<u8>>) -> Result<Self, WorkerFailure> {
        let [weights] = buffers_of(buffers)?;
        Ok(WeightsRecord(weights))
    }
}

impl Buffers for TrainingDataRef<'_> {
    fn views(&self) -> Vec<&[u8]> {
        vec![&self.train.images, &self.train.labels, &self.test.images, &self.test.labels]
    }
}

impl FromBuffers for TrainingData {
    fn from_buffers(buffers: Vec<Vec<u8>>) -> Result<Self, WorkerFailure> {
        let [train_images, train_labels, test_images, test_labels] = buffers_of(buffers)?;
        Ok(TrainingData { train: dataset(train_images, train_labels, "training set")?, test: dataset(test_images, test_labels, "test set")? })
    }
}

impl Buffers for ScoringDataRef<'_> {
    fn views(&self) -> Vec<&[u8]> {
        vec![self.weights, &self.test.images, &self.test.labels]
    }
}

impl FromBuffers for ScoringData {
    fn from_buffers(buffers: Vec<Vec<u8>>) -> Result<Self, WorkerFailure> {
        let [weights, images, labels] = buffers_of(buffers)?;
        Ok(ScoringData { weights: WeightsRecord(weights), test: dataset(images, labels, "test set")? })
    }
}

/// Why a run in the worker failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum WorkerFailure {
    #[error("{0}")]
    Train(#[from] TrainError),
    #[error("saving the trained weights failed: {0}")]
    Weights(String),
    /// The page has WebGPU but the worker could not open a device there (or Burn cannot run on
    /// the worker's adapter).
    #[error("WebGPU could not be started in the training worker: {0}")]
    NoWebGpu(CpuReason),
    /// A message that does not follow the protocol (a page and worker from different builds).
    #[error("the training worker received a message it does not understand: {0}")]
    Protocol(String),
    /// The worker's code panicked (or threw).
    #[error("the training worker stopped: {0}")]
    Crashed(String),
    /// The worker's script could not be loaded (offline, a failed download, a blocked script).
    #[error("the training worker could not start: {0}")]
    Unavailable(String),
}

/// The `N` buffers a message must carry.
fn buffers_of<const N: usize>(buffers: Vec<Vec<u8>>) -> Result<[Vec<u8>; N], WorkerFailure> {
    buffers.try_into().map_err(|b: Vec<Vec<u8>>| WorkerFailure::Protocol(format!("{} data buffers, {N} expected", b.len())))
}

/// A data set from its two buffers: IDX images are 784 bytes each, one label per image.
fn dataset(images: Vec<u8>, labels: Vec<u8>, name: &str) -> Result<FashionMnist, WorkerFailure> {
    if images.len() != labels.len() * FashionMnist::PIXELS {
        return Err(WorkerFailure::Protocol(format!("{name}: {} image bytes for {} labels", images.len(), labels.len())));
    }
    Ok(FashionMnist { images, labels })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::Preset;
    use crate::training::session::Stage;

    fn round_trip<T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(m: T) {
        assert_eq!(serde_json::from_str::<T>(&serde_json::to_string(&m).unwrap()).unwrap(), m);
    }

    #[test]
    fn messages_round_trip_through_a_serializer() {
        let (book, cpu) = (NinConfig::book(), Preset::ShortCpu.settings());
        for m in [
            ToWorker::Run(ToRun::Train { config: book.clone(), settings: cpu.clone(), backend: BackendKind::Cpu }),
            ToWorker::Run(ToRun::Score { config: book.clone(), settings: Preset::Book.settings(), backend: BackendKind::WebGpu }),
            ToWorker::Run(ToRun::Control(Control::Pause { hidden: true })),
            ToWorker::Run(ToRun::Control(Control::Stop)),
            ToWorker::Run(ToRun::Panic),
            ToWorker::Run(ToRun::MeasureStep { config: book.clone(), settings: cpu.clone() }),
            ToWorker::Helper(ToHelper::Train { config: book.clone(), settings: cpu.clone(), rank: 3 }),
            ToWorker::Helper(ToHelper::Score { config: book.clone(), settings: cpu.clone() }),
            ToWorker::Engine(ToEngine::Open),
            ToWorker::Engine(ToEngine::Summary { config: book.clone(), input: InputShape::book(), buffer_limit: 1 << 27 }),
        ] {
            round_trip(m);
        }
        for m in [
            FromWorker::Ready,
            FromWorker::Run(FromRun::Event(Event::Stage(Stage::Paused { hidden: false }))),
            FromWorker::Run(FromRun::Weights),
            FromWorker::Run(FromRun::Ended(Ended::Stopped)),
            FromWorker::Run(FromRun::Measured { before: 1 << 20, after: 3 << 20 }),
            FromWorker::Failed(WorkerFailure::Train(TrainError::Diverged { step: 7 })),
            FromWorker::Failed(WorkerFailure::NoWebGpu(CpuReason::LimitTooLow { name: "maxStorageBuffersPerShaderStage".into(), have: 4, need: 8 })),
            FromWorker::Failed(WorkerFailure::Train(TrainError::Gpu(crate::engine::GpuFault::Lost("destroyed".into())))),
            FromWorker::Engine(FromEngine::Summary(Err(SummaryError::Gpu(crate::engine::GpuFault::OutOfMemory("x".into()))))),
            FromWorker::Engine(FromEngine::Summary(Err(SummaryError::Invalid(crate::analysis::AnalysisError::Overflow)))),
        ] {
            round_trip(m);
        }
        for m in [
            LeadToHelper::Slice { rows: vec![4, 59_999] },
            LeadToHelper::Apply,
            LeadToHelper::Score { test: true, rows: vec![0, 9_999] },
            LeadToHelper::Score { test: false, rows: vec![] },
        ] {
            round_trip(m);
        }
        for m in [
            HelperToLead::Grads { images: 16, loss_sum: 36.8, correct: 3, weights_sum: -1.5 },
            HelperToLead::Logits,
            HelperToLead::Failed("out of memory".into()),
        ] {
            round_trip(m);
        }
    }

    #[test]
    fn data_buffers_are_typed_and_checked() {
        let image = vec![0u8; 784];
        let (train, test) = (FashionMnist { images: image.repeat(2), labels: vec![1, 2] }, FashionMnist { images: image.clone(), labels: vec![3] });
        let sent = TrainingDataRef { train: &train, test: &test };
        let wire = |b: &dyn Buffers| -> Vec<Vec<u8>> { b.views().into_iter().map(<[u8]>::to_vec).collect() };
        assert_eq!(TrainingData::from_buffers(wire(&sent)).unwrap(), TrainingData { train: train.clone(), test: test.clone() });
        assert!(matches!(TrainingData::from_buffers(vec![image.clone(), vec![1]]), Err(WorkerFailure::Protocol(m)) if m.contains("2 data buffers")));
        let short = TrainingData::from_buffers(vec![image.clone(), vec![1, 2], image.clone(), vec![3]]);
        assert!(matches!(short, Err(WorkerFailure::Protocol(m)) if m.contains("training set")));
        let weights = vec![9; 5];
        let scoring = ScoringDataRef { weights: &weights, test: &test };
        assert_eq!(ScoringData::from_buffers(wire(&scoring)).unwrap(), ScoringData { weights: WeightsRecord(weights.clone()), test: test.clone() });
        // A training job's buffers are not a scoring job's.
        assert!(ScoringData::from_buffers(wire(&sent)).is_err());
        assert_eq!(WeightsRecord::from_buffers(vec![vec![1, 2]]).unwrap(), WeightsRecord(vec![1, 2]));
    }
}
