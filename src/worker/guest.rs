//! The worker's side: listens for [`ToWorker`] messages (each role's: [`ToRun`], [`ToHelper`],
//! [`ToEngine`]), opens the asked-for device (Burn's CPU
//! backend, or in the GPU module WebGPU through the worker's own `navigator.gpu`), trains with
//! [`session`], answers shape summaries, and posts [`FromWorker`] messages back. Started by
//! `worker_start` (a CPU worker running the page's module) or `src/gpu_main.rs` (a GPU worker).

use std::cell::Cell;
use std::rc::Rc;

use burn::prelude::Device;
use gloo_timers::future::TimeoutFuture;
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::envelope::{decode, encode, ports};
use super::{
    Buffers, FromBuffers, FromEngine, FromRun, FromWorker, ScoringData, ToEngine, ToHelper, ToRun, ToWorker, TrainingData, WeightsRecord, WorkerFailure,
};
use crate::engine::{BackendKind, CpuReason};
use crate::model::NinConfig;
use crate::training::session::{self, Control, Ended};
use crate::training::{TrainSettings, Trainer, record, settings};

#[wasm_bindgen]
extern "C" {
    /// The dedicated worker's global scope (`self`).
    type Scope;
    #[wasm_bindgen(method, js_name = postMessage)]
    fn post_message(this: &Scope, message: &JsValue, transfer: &Array);
}

fn post(msg: &FromWorker, buffers: &impl Buffers) {
    let scope: Scope = js_sys::global().unchecked_into();
    match encode(msg, &buffers.views()) {
        Ok(out) => scope.post_message(&out.value, &out.transfer),
        // Nothing else can be reported: say so on the worker's console.
        Err(e) => web_sys::console::error_1(&format!("nin-worker: cannot encode a message: {e}").into()),
    }
}

fn sleep(ms: u32) -> TimeoutFuture {
    TimeoutFuture::new(ms)
}

/// Installs the message handler and says it is ready.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        // "what (at file:line)": one line for the page's message.
        let payload = info.payload();
        let what =
            payload.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| payload.downcast_ref::<String>().cloned()).unwrap_or_else(|| "a panic".into());
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        post(&FromWorker::Failed(WorkerFailure::Crashed(format!("{what}{at}"))), &());
    }));
    let control = Rc::new(Cell::new(Control::Run));
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let data = event.data();
        let received = decode::<ToWorker>(&data);
        let outcome = match received {
            Ok((ToWorker::Run(msg), buffers)) => on_run(msg, buffers, ports(&data), &control),
            Ok((ToWorker::Helper(msg), buffers)) => on_helper(msg, buffers, ports(&data)),
            Ok((ToWorker::Engine(msg), _)) => {
                on_engine(msg);
                Ok(())
            }
            Err(e) => Err(WorkerFailure::Protocol(e)),
        };
        if let Err(e) = outcome {
            post(&FromWorker::Failed(e), &());
        }
    });
    let set = js_sys::Reflect::set(&js_sys::global(), &"onmessage".into(), on_message.as_ref());
    if set.is_err() {
        post(&FromWorker::Failed(WorkerFailure::Crashed("cannot listen for messages".into())), &());
        return;
    }
    // The handler lives as long as the worker.
    on_message.forget();
    post(&FromWorker::Ready, &());
}

/// A run worker's job: its typed buffers are checked before anything starts.
fn on_run(msg: ToRun, buffers: Vec<Vec<u8>>, ports: Vec<JsValue>, control: &Rc<Cell<Control>>) -> Result<(), WorkerFailure> {
    match msg {
        ToRun::Train { config, settings, backend } => {
            let data = TrainingData::from_buffers(buffers)?;
            control.set(Control::Run);
            spawn_local(run(config, settings, backend, data, ports, control.clone()));
        }
        ToRun::Score { config, settings, backend } => spawn_local(score(config, settings, backend, ScoringData::from_buffers(buffers)?, ports)),
        ToRun::Control(c) => control.set(c),
        ToRun::MeasureStep { config, settings } => spawn_local(async move {
            match measure_step(&config, &settings).await {
                Ok((before, after)) => post_run(FromRun::Measured { before, after }),
                Err(e) => post(&FromWorker::Failed(e), &()),
            }
        }),
        ToRun::Panic => panic!("the test hook asked the training worker to panic"),
    }
    Ok(())
}

/// A helper worker's job: the port to its lead comes with it.
fn on_helper(msg: ToHelper, buffers: Vec<Vec<u8>>, ports: Vec<JsValue>) -> Result<(), WorkerFailure> {
    let port = ports.into_iter().next().ok_or_else(|| WorkerFailure::Protocol("a helper worker needs a port to its lead".into()))?;
    match msg {
        ToHelper::Train { config, settings, rank } => {
            let data = TrainingData::from_buffers(buffers)?;
            spawn_local(async move {
                let failure = super::replica::help(config, settings, rank, data, port).await;
                post(&FromWorker::Failed(failure), &());
            });
        }
        ToHelper::Score { config, settings } => {
            let data = ScoringData::from_buffers(buffers)?;
            spawn_local(async move {
                let failure = super::replica::help_score(config, settings, data, port).await;
                post(&FromWorker::Failed(failure), &());
            });
        }
    }
    Ok(())
}

/// The GPU engine's requests.
fn on_engine(msg: ToEngine) {
    match msg {
        ToEngine::Open => spawn_local(async {
            match gpu::device().await {
                Ok((_, adapter)) => post(&FromWorker::Engine(FromEngine::Opened(adapter)), &()),
                Err(e) => post(&FromWorker::Failed(e), &()),
            }
        }),
        ToEngine::Summary { config, input, buffer_limit } => spawn_local(async move {
            match gpu::summary(&config, input, buffer_limit).await {
                Ok(result) => post(&FromWorker::Engine(FromEngine::Summary(result)), &()),
                Err(e) => post(&FromWorker::Failed(e), &()),
            }
        }),
        ToEngine::CodeSummary { source, buffer_limit } => spawn_local(async move {
            match gpu::code_summary(&source, buffer_limit).await {
                Ok(result) => post(&FromWorker::Engine(FromEngine::CodeSummary(result)), &()),
                Err(e) => post(&FromWorker::Failed(e), &()),
            }
        }),
    }
}

fn post_run(msg: FromRun) {
    post(&FromWorker::Run(msg), &());
}

fn emit(event: session::Event) {
    post_run(FromRun::Event(event));
}

/// The last message of a job.
fn end(result: Result<Ended, WorkerFailure>) {
    match result {
        Ok(ended) => post_run(FromRun::Ended(ended)),
        Err(e) => post(&FromWorker::Failed(e), &()),
    }
}

/// WebGPU in this worker: one device per worker instance (Burn's runtime starts once), opened
/// on first use after the worker's own probe (a browser may give WebGPU to pages only, or
/// another adapter to workers) with its error and loss events taken over (see
/// `engine::gpu_fault`). Only the GPU module has it.
#[cfg(feature = "gpu")]
mod gpu {
    use std::cell::RefCell;

    use burn::prelude::Device;

    use super::WorkerFailure;
    use crate::analysis::InputShape;
    use crate::engine::code_summary::{CodeReport, CodeRunError, run_code_summary};
    use crate::engine::{AdapterReport, SummaryError, SummaryReport, gpu_fault, run_shape_summary};
    use crate::model::NinConfig;

    thread_local! {
        static OPENED: RefCell<Option<Result<(Device, AdapterReport), WorkerFailure>>> = const { RefCell::new(None) };
    }

    pub async fn device() -> Result<(Device, AdapterReport), WorkerFailure> {
        if let Some(done) = OPENED.with(|o| o.borrow().clone()) {
            return done;
        }
        let opened = crate::engine::webgpu::open(|_| ()).await.map_err(WorkerFailure::NoWebGpu);
        OPENED.with(|o| *o.borrow_mut() = Some(opened.clone()));
        opened
    }

    pub async fn summary(config: &NinConfig, input: InputShape, buffer_limit: u64) -> Result<Result<SummaryReport, SummaryError>, WorkerFailure> {
        let (device, _) = device().await?;
        let result = run_shape_summary(&device, config, input, buffer_limit).await;
        // This worker lives as long as the page: give back the buffers the summary pooled
        // (sizes differ from one summary to the next, and Burn keeps pools per size).
        device.memory_cleanup();
        // A recorded fault explains whatever failed (or makes a result untrustworthy).
        Ok(match gpu_fault::current() {
            Some(fault) => Err(SummaryError::Gpu(fault)),
            None => result,
        })
    }

    pub async fn code_summary(source: &str, buffer_limit: u64) -> Result<Result<CodeReport, CodeRunError>, WorkerFailure> {
        let (device, _) = device().await?;
        let result = run_code_summary(&device, source, buffer_limit).await;
        device.memory_cleanup();
        Ok(match gpu_fault::current() {
            Some(fault) => Err(CodeRunError::Worker(fault.to_string())),
            None => result,
        })
    }
}

/// The CPU worker runs the page's module, which has no WebGPU engine.
#[cfg(not(feature = "gpu"))]
mod gpu {
    use burn::prelude::Device;

    use super::WorkerFailure;
    use crate::analysis::InputShape;
    use crate::engine::{AdapterReport, CpuReason, SummaryError, SummaryReport};
    use crate::model::NinConfig;

    fn missing() -> WorkerFailure {
        WorkerFailure::NoWebGpu(CpuReason::InitFailed("the page's module has no WebGPU engine (the GPU worker has it)".into()))
    }

    pub async fn device() -> Result<(Device, AdapterReport), WorkerFailure> {
        Err(missing())
    }

    pub async fn summary(_: &NinConfig, _: InputShape, _: u64) -> Result<Result<SummaryReport, SummaryError>, WorkerFailure> {
        Err(missing())
    }

    pub async fn code_summary(
        _: &str,
        _: u64,
    ) -> Result<Result<crate::engine::code_summary::CodeReport, crate::engine::code_summary::CodeRunError>, WorkerFailure> {
        Err(missing())
    }
}

/// The worker's own device for `backend`; on WebGPU the job's largest tensor must also fit the
/// worker's adapter's buffers.
async fn open(backend: BackendKind, config: &NinConfig, settings: &TrainSettings) -> Result<Device, WorkerFailure> {
    // The job's model must run at its size before any tensor exists (a forward pass at a size
    // below 67, or an FC head at another size, panics inside Burn, which ends the worker).
    crate::analysis::plan(config, settings.input(config.input_channels)).map_err(|e| WorkerFailure::Train(e.into()))?;
    match backend {
        BackendKind::Cpu => Ok(Device::flex()),
        BackendKind::WebGpu => {
            let (device, adapter) = gpu::device().await?;
            let estimate = settings::memory_estimate(config, settings).map_err(|e| WorkerFailure::Train(e.into()))?;
            if estimate.largest_tensor_bytes > adapter.buffer_limit_bytes() {
                return Err(WorkerFailure::NoWebGpu(CpuReason::LimitTooLow {
                    name: "maxStorageBufferBindingSize".into(),
                    have: adapter.buffer_limit_bytes(),
                    need: estimate.largest_tensor_bytes,
                }));
            }
            Ok(device)
        }
    }
}

/// The size of this worker's WebAssembly memory.
fn memory_bytes() -> u64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let buffer: js_sys::ArrayBuffer = memory.buffer().unchecked_into();
    buffer.byte_length() as u64
}

/// One training step of `config` with `settings` on synthetic images (the data does not change
/// what a step allocates), on the CPU backend: the memory before the step (model and optimizer
/// built) and after it.
async fn measure_step(config: &NinConfig, settings: &TrainSettings) -> Result<(u64, u64), WorkerFailure> {
    let b = settings.batch_size;
    let settings = TrainSettings { train_images: b, val_images: 1, test_images: 1, epochs: 1, evals_per_epoch: 1, ..settings.clone() };
    crate::analysis::plan(config, settings.input(config.input_channels)).map_err(|e| WorkerFailure::Train(e.into()))?;
    let data =
        crate::data::FashionMnist { images: (0..(b + 1) * 784).map(|i| (i * 7 % 251) as u8).collect(), labels: (0..b + 1).map(|i| (i % 10) as u8).collect() };
    let mut trainer = Trainer::new(config, &settings, &data, &Device::flex())?;
    let before = memory_bytes();
    trainer.train_chunk(&data, 1).await?;
    Ok((before, memory_bytes()))
}

/// One run: train, send the weights, score the test set, end. With `helpers` (one port per
/// helper worker, CPU only) the run is data-parallel (see `super::replica`).
async fn run(config: NinConfig, settings: TrainSettings, backend: BackendKind, data: TrainingData, helpers: Vec<JsValue>, control: Rc<Cell<Control>>) {
    let result = async {
        let TrainingData { train, test } = data;
        emit(session::Event::Stage(session::Stage::Building));
        let device = open(backend, &config, &settings).await?;
        let mut trainer = Trainer::new(&config, &settings, &train, &device)?;
        if !helpers.is_empty() {
            let sizes = trainer.param_sizes();
            trainer = trainer.with_helpers(Rc::new(super::replica::PortHelpers::new(helpers, sizes)));
        }
        let ended = session::train(&mut trainer, &train, backend, || control.get(), emit, sleep).await?;
        let model = trainer.eval_model();
        // A run stopped before its first step has no trained weights to hand on.
        if trainer.step() > 0 {
            let bytes = record::to_bytes(&model, &config).await.map_err(|e| WorkerFailure::Weights(e.to_string()))?;
            post(&FromWorker::Run(FromRun::Weights), &WeightsRecord(bytes));
        }
        if ended == Ended::Finished {
            let helpers = trainer.helpers();
            let (report, images) = session::test_shared(&model, &test, &settings, &trainer.eval_device(), helpers.as_deref(), emit, sleep).await?;
            post_run(FromRun::Report { report, images });
        }
        Ok(ended)
    };
    end(result.await);
}

/// Scores the test set with loaded weights; with `helpers` (ports to helper workers, CPU only)
/// each scores a part.
async fn score(config: NinConfig, settings: TrainSettings, backend: BackendKind, data: ScoringData, helpers: Vec<JsValue>) {
    let result = async {
        let ScoringData { weights, test } = data;
        let device = open(backend, &config, &settings).await?;
        let model = record::from_bytes(weights.0, &config, &device).map_err(|e| WorkerFailure::Weights(e.to_string()))?;
        let helpers = (!helpers.is_empty()).then(|| super::replica::PortHelpers::new(helpers, Vec::new()));
        let shared = helpers.as_ref().map(|h| h as &dyn crate::training::parallel::Helpers);
        let (report, images) = session::test_shared(&model, &test, &settings, &device, shared, emit, sleep).await?;
        post_run(FromRun::Report { report, images });
        Ok(Ended::Finished)
    };
    end(result.await);
}
