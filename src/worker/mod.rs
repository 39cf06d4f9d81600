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
//! serde-wasm-bindgen, `buffers` the byte arrays that go with it (transferred, not copied).

use serde::{Deserialize, Serialize};

use crate::analysis::InputShape;
use crate::data::FashionMnist;
use crate::engine::{AdapterReport, BackendKind, CpuReason, SummaryError, SummaryReport};
use crate::model::NinConfig;
use crate::training::TrainError;
use crate::training::metrics::TestReport;
use crate::training::session::{Control, Ended, Event};
use crate::training::TrainSettings;

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

/// Page to worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Train `config` with `settings`, then score the test images. Buffers: training images,
    /// training labels, test images, test labels (u8, as in the IDX files).
    Train { config: NinConfig, settings: TrainSettings, backend: BackendKind },
    /// CPU worker: be helper replica number `rank` (1, 2, ...) of a data-parallel
    /// [`ToWorker::Train`] (see `crate::training::parallel`): compute the gradients of the
    /// slices the lead worker asks for over the message's one port, apply its averages, score
    /// parts of the validation and test images. Buffers: as [`ToWorker::Train`]'s. The lead's
    /// `Train` carries one port per helper.
    Help { config: NinConfig, settings: TrainSettings, rank: u64 },
    /// CPU worker: help a [`ToWorker::Test`] by scoring the parts of the test images the lead
    /// asks for over the message's one port. Buffers: as `Test`'s (the weights, test images,
    /// test labels). The lead's `Test` carries one port per helper.
    HelpScore { config: NinConfig, settings: TrainSettings },
    /// Score the test images with loaded weights. Buffers: the weights (a Burn record), test
    /// images, test labels.
    Test { config: NinConfig, settings: TrainSettings, backend: BackendKind },
    /// Pause, resume or stop the run.
    Control(Control),
    /// GPU worker: probe the adapter and open the device; answered by [`FromWorker::Opened`]
    /// or a [`WorkerFailure::NoWebGpu`].
    Open,
    /// GPU worker: the shape summary of `config` on `input`, refused above `buffer_limit`.
    Summary { config: NinConfig, input: InputShape, buffer_limit: u64 },
    /// CPU worker: one training step of `config` with `settings` on synthetic images, to
    /// measure how much the worker's memory grows (exercise 4); answered by [`FromWorker::Measured`].
    MeasureStep { config: NinConfig, settings: TrainSettings },
    /// Test hook: the worker panics, as a bug in Burn or in this crate would make it. The page
    /// never sends it; the browser tests do, to check that a crash ends the run cleanly.
    Panic,
}

/// Worker to page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's module is running and listening; the page may send [`ToWorker::Train`].
    Ready,
    Event(Event),
    /// The weights when training ended (finished or stopped). Buffer: a Burn record (burnpack).
    Weights,
    /// The test set scored (after a finished run only).
    Report { report: TestReport, images: usize },
    /// The last message of a run that did not fail.
    Ended(Ended),
    /// The GPU worker's device is open on this adapter.
    Opened(AdapterReport),
    /// A shape summary's outcome.
    Summary(Result<SummaryReport, SummaryError>),
    /// The worker's WebAssembly memory before and after one training step, in bytes.
    Measured { before: u64, after: u64 },
    /// The last message of a run that failed.
    Failed(WorkerFailure),
}

/// Lead worker and helper worker, over their `MessagePort`. Gradients travel beside the message
/// as one `Float32Array` (every parameter, in the model's visiting order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ReplicaMsg {
    /// Lead to helper: the gradients of these training rows, at the current weights.
    Slice { rows: Vec<u32> },
    /// Helper to lead: the slice's gradients (with the buffer), summed loss and correct count.
    Grads { images: u32, loss_sum: f64, correct: u32, weights_sum: f32 },
    /// Lead to helper: take one optimizer step with the averaged gradients (with the buffer).
    Apply,
    /// Lead to helper: the logits of these rows of the training file or of the test file.
    Score { test: bool, rows: Vec<u32> },
    /// Helper to lead: the logits asked for, row-major (with the buffer).
    Logits,
    /// Helper to lead: the helper cannot go on.
    Failed(String),
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
pub fn buffers<const N: usize>(buffers: Vec<Vec<u8>>) -> Result<[Vec<u8>; N], WorkerFailure> {
    buffers.try_into().map_err(|b: Vec<Vec<u8>>| WorkerFailure::Protocol(format!("{} data buffers, {N} expected", b.len())))
}

/// A data set from its two buffers: IDX images are 784 bytes each, one label per image.
pub fn dataset(images: Vec<u8>, labels: Vec<u8>, name: &str) -> Result<FashionMnist, WorkerFailure> {
    if images.len() != labels.len() * FashionMnist::PIXELS {
        return Err(WorkerFailure::Protocol(format!("{name}: {} image bytes for {} labels", images.len(), labels.len())));
    }
    Ok(FashionMnist { images, labels })
}

/// The four data buffers of [`ToWorker::Train`], checked: `(train, test)`.
pub fn datasets(data: Vec<Vec<u8>>) -> Result<(FashionMnist, FashionMnist), WorkerFailure> {
    let [train_images, train_labels, test_images, test_labels] = buffers(data)?;
    Ok((dataset(train_images, train_labels, "training set")?, dataset(test_images, test_labels, "test set")?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::Preset;
    use crate::training::session::Stage;

    #[test]
    fn messages_round_trip_through_a_serializer() {
        let to = [
            ToWorker::Train { config: NinConfig::book(), settings: Preset::ShortCpu.settings(), backend: BackendKind::Cpu },
            ToWorker::Test { config: NinConfig::book(), settings: Preset::Book.settings(), backend: BackendKind::WebGpu },
            ToWorker::Control(Control::Pause { hidden: true }),
            ToWorker::Control(Control::Stop),
            ToWorker::Panic,
            ToWorker::Help { config: NinConfig::book(), settings: Preset::ShortCpu.settings(), rank: 3 },
            ToWorker::HelpScore { config: NinConfig::book(), settings: Preset::ShortCpu.settings() },
            ToWorker::Open,
            ToWorker::MeasureStep { config: NinConfig::book(), settings: Preset::ShortCpu.settings() },
            ToWorker::Summary { config: NinConfig::book(), input: InputShape::book(), buffer_limit: 1 << 27 },
        ];
        for m in to {
            assert_eq!(serde_json::from_str::<ToWorker>(&serde_json::to_string(&m).unwrap()).unwrap(), m);
        }
        let from = [
            FromWorker::Ready,
            FromWorker::Event(Event::Stage(Stage::Paused { hidden: false })),
            FromWorker::Weights,
            FromWorker::Ended(Ended::Stopped),
            FromWorker::Failed(WorkerFailure::Train(TrainError::Diverged { step: 7 })),
            FromWorker::Failed(WorkerFailure::NoWebGpu(CpuReason::MissingFeature("timestamp-query".into()))),
            FromWorker::Failed(WorkerFailure::Train(TrainError::Gpu(crate::engine::GpuFault::Lost("destroyed".into())))),
            FromWorker::Summary(Err(SummaryError::Gpu(crate::engine::GpuFault::OutOfMemory("x".into())))),
            FromWorker::Summary(Err(SummaryError::Invalid(crate::analysis::AnalysisError::Overflow))),
            FromWorker::Measured { before: 1 << 20, after: 3 << 20 },
        ];
        for m in from {
            assert_eq!(serde_json::from_str::<FromWorker>(&serde_json::to_string(&m).unwrap()).unwrap(), m);
        }
        let replica = [
            ReplicaMsg::Slice { rows: vec![4, 59_999] },
            ReplicaMsg::Grads { images: 16, loss_sum: 36.8, correct: 3, weights_sum: -1.5 },
            ReplicaMsg::Apply,
            ReplicaMsg::Score { test: true, rows: vec![0, 9_999] },
            ReplicaMsg::Logits,
            ReplicaMsg::Failed("out of memory".into()),
        ];
        for m in replica {
            assert_eq!(serde_json::from_str::<ReplicaMsg>(&serde_json::to_string(&m).unwrap()).unwrap(), m);
        }
    }

    #[test]
    fn data_buffers_are_checked() {
        let image = vec![0u8; 784];
        let ok = datasets(vec![image.repeat(2), vec![1, 2], image.clone(), vec![3]]).unwrap();
        assert_eq!((ok.0.len(), ok.1.len()), (2, 1));
        assert!(matches!(datasets(vec![image.clone(), vec![1]]), Err(WorkerFailure::Protocol(m)) if m.contains("2 data buffers")));
        let short = datasets(vec![image.clone(), vec![1, 2], image.clone(), vec![3]]);
        assert!(matches!(short, Err(WorkerFailure::Protocol(m)) if m.contains("training set")));
    }
}
