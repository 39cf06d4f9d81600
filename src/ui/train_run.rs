//! A training run seen from the page: where it is ([`Phase`]), what can stop it ([`RunError`]),
//! and the driving of the Web Worker that computes it (`crate::worker`): the page sends the job
//! and the data, forwards pause/resume/stop, and applies the worker's events to the board.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use burn::prelude::Device;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use super::fetch::{self, Datasets};
use super::runs::RunRecord;
use crate::data::DataError;
use crate::engine::{ActiveBackend, BackendKind, CpuReason, GpuFault};
use crate::i18n::{Lang, train as tr};
use crate::model::{Nin, NinConfig};
use crate::training::metrics::TestReport;
use crate::training::session::{Control, Ended, Event, Progress, Stage};
use crate::training::settings;
use crate::training::{History, SettingsError, TrainError, TrainSettings, record};
use crate::worker::host::{self, TrainingWorker};
use crate::worker::{FromWorker, ToWorker, WorkerFailure};

/// Where the run is.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Idle,
    Loading { done: u64, total: u64 },
    Building,
    Training,
    Validating,
    Paused { hidden: bool },
    Testing { done: usize, total: usize },
    Done,
    Stopped,
    Failed(RunError),
}

impl Phase {
    pub fn is_running(&self) -> bool {
        matches!(self, Phase::Loading { .. } | Phase::Building | Phase::Training | Phase::Validating | Phase::Paused { .. } | Phase::Testing { .. })
    }

    /// The `data-phase` value the tests read.
    pub fn id(&self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Loading { .. } => "loading",
            Phase::Building => "building",
            Phase::Training => "training",
            Phase::Validating => "validating",
            Phase::Paused { hidden: true } => "paused-hidden",
            Phase::Paused { hidden: false } => "paused",
            Phase::Testing { .. } => "testing",
            Phase::Done => "done",
            Phase::Stopped => "stopped",
            Phase::Failed(_) => "failed",
        }
    }
}

/// Everything that can stop a run, rendered in the current language.
#[derive(Clone, Debug, PartialEq)]
pub enum RunError {
    /// A typed value that broke its field's rule: the field's label, its rule, what was wrong.
    Field(&'static str, crate::fields::Rule, crate::fields::FieldError),
    Settings(SettingsError),
    /// On WebGPU, a run needs at least what an earlier run needed when it ran out of memory.
    GpuMemory { batch: usize, needed: u64, ran_out_at: u64, largest_fits: usize },
    Data(DataError),
    Weights(String),
    Worker(WorkerFailure),
}

impl RunError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RunError::Field(label, rule, error) => crate::i18n::field_error(lang, label, *rule, error),
            RunError::Settings(e) => tr::settings_error(lang, e),
            RunError::GpuMemory { batch, needed, ran_out_at, largest_fits } => tr::gpu_memory_error(lang, *batch, *needed, *ran_out_at, *largest_fits),
            RunError::Data(e) => tr::data_error(lang, e),
            RunError::Weights(m) => m.clone(),
            RunError::Worker(WorkerFailure::Train(e)) => tr::train_error(lang, e),
            RunError::Worker(WorkerFailure::NoWebGpu(reason)) => tr::worker_no_webgpu(lang, reason),
            RunError::Worker(WorkerFailure::Crashed(what)) => tr::worker_crashed(lang, what),
            RunError::Worker(WorkerFailure::Unavailable(what)) => tr::worker_unavailable(lang, what),
            RunError::Worker(e) => format!("{} {e}", lang.train().worker_failed),
        }
    }

    /// The batch to offer when the chosen one does not fit.
    pub fn largest_fits(&self) -> Option<usize> {
        match self {
            RunError::Settings(SettingsError::BatchTooLarge { largest_fits, .. } | SettingsError::OutOfMemory { largest_fits, .. }) => {
                (*largest_fits > 0).then_some(*largest_fits)
            }
            RunError::GpuMemory { largest_fits, .. } => (*largest_fits > 0).then_some(*largest_fits),
            _ => None,
        }
    }

    /// The GPU fault that ended the run, if one did.
    pub fn gpu_fault(&self) -> Option<&GpuFault> {
        match self {
            RunError::Worker(WorkerFailure::Train(TrainError::Gpu(fault))) => Some(fault),
            _ => None,
        }
    }

    /// Why a run on WebGPU that ended with this error may go on on the CPU: the GPU failed,
    /// or the worker crashed (a WebGPU implementation's bug is the likeliest cause).
    pub fn cpu_instead(&self) -> Option<CpuReason> {
        match self {
            RunError::Worker(WorkerFailure::Train(TrainError::Gpu(fault))) => Some(CpuReason::GpuFailed(fault.clone())),
            RunError::Worker(WorkerFailure::Crashed(what)) => Some(CpuReason::WorkerCrashed(what.clone())),
            _ => None,
        }
    }
}

/// The trained (or loaded) model, shared with the "try it yourself" cell.
#[derive(Clone, Copy)]
pub struct TrainedModel(pub StoredValue<Option<Trained>, LocalStorage>, pub RwSignal<u32>);

/// A trained or loaded model with what it takes to use it again (on the page's CPU backend).
#[derive(Clone)]
pub struct Trained {
    pub nin: Nin,
    /// The variant's key (as on the run board and in the weights file).
    pub variant: String,
    /// The image side it was trained at.
    pub size: usize,
    pub config: NinConfig,
}

/// The signals the running loop writes.
#[derive(Clone, Copy)]
pub struct Live {
    pub phase: RwSignal<Phase>,
    pub control: RwSignal<Control>,
    pub history: RwSignal<History>,
    pub progress: RwSignal<Option<Progress>>,
    pub report: RwSignal<Option<(TestReport, usize)>>,
    pub settings: RwSignal<Option<TrainSettings>>,
    /// The variant and config of the run (or loaded model) whose curves, settings and report
    /// the cell shows: what the JSON download is labelled with, whatever model "try it" holds
    /// (a failed run leaves the previous run's model there).
    pub shown: RwSignal<Option<(String, NinConfig)>>,
    pub model: TrainedModel,
    /// Finished runs (a test waits for it to change).
    pub finished: RwSignal<u32>,
}

impl Live {
    pub fn new(model: TrainedModel) -> Self {
        Live {
            phase: RwSignal::new(Phase::Idle),
            control: RwSignal::new(Control::Run),
            history: RwSignal::new(History::default()),
            progress: RwSignal::new(None),
            report: RwSignal::new(None),
            settings: RwSignal::new(None),
            shown: RwSignal::new(None),
            model,
            finished: RwSignal::new(0),
        }
    }
}

fn sleep(ms: u32) -> TimeoutFuture {
    TimeoutFuture::new(ms)
}

/// Shows a session event on the board.
fn apply(live: Live, event: Event) {
    match event {
        Event::Stage(stage) => live.phase.set(match stage {
            Stage::Building => Phase::Building,
            Stage::Training => Phase::Training,
            Stage::Validating => Phase::Validating,
            Stage::Paused { hidden } => Phase::Paused { hidden },
            Stage::Testing { done, total } => Phase::Testing { done, total },
        }),
        Event::Curves { history, progress } => {
            live.history.set(history);
            live.progress.set(Some(progress));
        }
    }
}

/// Hands a trained model to the try-it cell (and the weights download).
/// Forgets the model "try it yourself" uses (before a new one is built).
pub fn drop_model(live: Live) {
    if live.model.0.with_value(Option::is_some) {
        live.model.0.set_value(None);
        live.model.1.update(|n| *n += 1);
    }
}

pub fn keep_model(live: Live, nin: Nin, variant: &str, settings: &TrainSettings, config: &NinConfig) {
    live.model.0.set_value(Some(Trained { nin, variant: variant.to_string(), size: settings.image_size, config: config.clone() }));
    live.model.1.update(|n| *n += 1);
}

/// The images a run with `settings` needs: its training and validation images from the
/// training file, its test images from the test file (only the shards not fetched yet download).
pub async fn load_data(live: Live, settings: &TrainSettings) -> Result<Rc<Datasets>, RunError> {
    live.phase.set(Phase::Loading { done: 0, total: 0 });
    let train = settings.train_images.saturating_add(settings.val_images);
    fetch::datasets(train, settings.test_images, move |done, total| live.phase.set(Phase::Loading { done, total })).await.map_err(RunError::Data)
}

/// The whole run: data, then training and testing in the worker (on the CPU, data-parallel
/// across `workers` workers when more than one).
pub async fn run(live: Live, backend: ActiveBackend, variant: &str, settings: TrainSettings, config: NinConfig, workers: usize) -> Result<(), RunError> {
    let sets = load_data(live, &settings).await?;
    // Stopped while the data loaded: no worker, no model (an untrained one would reach "try it").
    if live.control.get_untracked() == Control::Stop {
        live.phase.set(Phase::Stopped);
        return Ok(());
    }
    live.phase.set(Phase::Building);
    let data: [&[u8]; 4] = [&sets.train.images, &sets.train.labels, &sets.test.images, &sets.test.labels];
    let job = ToWorker::Train { config: config.clone(), settings: settings.clone(), backend: backend.kind };
    let helpers = if backend.kind == BackendKind::Cpu { workers.saturating_sub(1) } else { 0 };
    let ended = run_in_worker(live, &backend, variant, &settings, &config, job, &data, helpers).await?;
    live.phase.set(match ended {
        Ended::Finished => Phase::Done,
        Ended::Stopped => Phase::Stopped,
    });
    Ok(())
}

/// What the worker has said so far.
#[derive(Default)]
struct WorkerState {
    ready: Cell<bool>,
    /// Helper workers that said they are ready.
    helpers_ready: Cell<usize>,
    outcome: RefCell<Option<Result<Ended, RunError>>>,
}

impl WorkerState {
    /// The first outcome wins (a crash after the end changes nothing).
    fn finish(&self, outcome: Result<Ended, RunError>) {
        self.outcome.borrow_mut().get_or_insert(outcome);
    }
}

/// Runs `job` with its `data` in a Web Worker (see `crate::worker` for why). This side forwards
/// pause/resume/stop and shows the worker's events; trained weights come back as a Burn record
/// and are loaded onto this page's device for "try it yourself". With `helpers` (a CPU
/// [`ToWorker::Train`] or [`ToWorker::Test`]) that many more CPU workers each get the job's
/// buffers and a `MessagePort` to the first, which trains (and scores) data-parallel with them,
/// or has them score parts of the test images (`crate::worker::replica`);
/// a helper that fails ends the run with its reason, and all of them end with the run.
#[allow(clippy::too_many_arguments)]
pub async fn run_in_worker(live: Live, backend: &ActiveBackend, variant: &str, settings: &TrainSettings, config: &NinConfig, job: ToWorker, data: &[&[u8]], helpers: usize) -> Result<Ended, RunError> {
    let state = Rc::new(WorkerState::default());
    let on_message = {
        let (state, settings, config, variant) = (state.clone(), settings.clone(), config.clone(), variant.to_string());
        move |message: Result<(FromWorker, Vec<Vec<u8>>), WorkerFailure>| match message {
            Ok((FromWorker::Ready, _)) => state.ready.set(true),
            Ok((FromWorker::Event(e), _)) => apply(live, e),
            Ok((FromWorker::Weights, buffers)) => {
                let bytes = buffers.into_iter().next().unwrap_or_default();
                // The previous model goes first: two models alive at once raised the page's
                // wasm memory (which never shrinks) by a model's size (tests/browser/soak.mjs).
                drop_model(live);
                match record::from_bytes(bytes, &config, &Device::flex()) {
                    Ok(nin) => keep_model(live, nin, &variant, &settings, &config),
                    Err(e) => state.finish(Err(RunError::Weights(e.to_string()))),
                }
            }
            Ok((FromWorker::Report { report, images }, _)) => live.report.set(Some((report, images))),
            Ok((FromWorker::Ended(ended), _)) => state.finish(Ok(ended)),
            // Only the page's GPU engine asks for these.
            Ok((FromWorker::Opened(_) | FromWorker::Summary(_) | FromWorker::Measured { .. }, _)) => {}
            Ok((FromWorker::Failed(failure), _)) | Err(failure) => state.finish(Err(RunError::Worker(failure))),
        }
    };
    let worker = TrainingWorker::spawn(backend.kind, on_message).map_err(RunError::Worker)?;
    let helpers = if backend.kind == BackendKind::Cpu && matches!(job, ToWorker::Train { .. } | ToWorker::Test { .. }) { helpers } else { 0 };
    let helper_workers = (0..helpers)
        .map(|_| {
            let state = state.clone();
            TrainingWorker::spawn(BackendKind::Cpu, move |message: Result<(FromWorker, Vec<Vec<u8>>), WorkerFailure>| match message {
                Ok((FromWorker::Ready, _)) => state.helpers_ready.set(state.helpers_ready.get() + 1),
                Ok((FromWorker::Failed(failure), _)) | Err(failure) => state.finish(Err(RunError::Worker(failure))),
                Ok(_) => {}
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(RunError::Worker)?;
    let mut sent = false;
    let mut forwarded = Control::Run;
    loop {
        if let Some(outcome) = state.outcome.borrow_mut().take() {
            return outcome;
        }
        if state.ready.get() && state.helpers_ready.get() == helper_workers.len() && !sent {
            let mut lead_ports = Vec::new();
            for (i, helper) in helper_workers.iter().enumerate() {
                let help = match &job {
                    ToWorker::Train { config, settings, .. } => ToWorker::Help { config: config.clone(), settings: settings.clone(), rank: i as u64 + 1 },
                    ToWorker::Test { config, settings, .. } => ToWorker::HelpScore { config: config.clone(), settings: settings.clone() },
                    _ => break,
                };
                let (lead_end, helper_end) = host::channel().map_err(RunError::Worker)?;
                helper.send_with_ports(&help, data, &[helper_end]).map_err(RunError::Worker)?;
                lead_ports.push(lead_end);
            }
            worker.send_with_ports(&job, data, &lead_ports).map_err(RunError::Worker)?;
            sent = true;
        }
        let control = live.control.get_untracked();
        if sent && control != forwarded {
            worker.send(&ToWorker::Control(control), &[]).map_err(RunError::Worker)?;
            forwarded = control;
        }
        sleep(50).await;
    }
}

/// Pauses the run while the tab is hidden (browsers throttle hidden tabs' timers and GPU work).
pub fn pause_when_hidden(live: Live) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let doc = document.clone();
    let on_change = Closure::<dyn FnMut()>::new(move || {
        let hidden = doc.visibility_state() == web_sys::VisibilityState::Hidden;
        let running = matches!(live.phase.get_untracked(), Phase::Training | Phase::Validating | Phase::Building);
        if hidden && running && live.control.get_untracked() == Control::Run {
            live.control.set(Control::Pause { hidden: true });
        }
    });
    let _ = document.add_event_listener_with_callback("visibilitychange", on_change.as_ref().unchecked_ref());
    // The cell lives as long as the page.
    on_change.forget();
}

/// How fast the run that just ended computed (none if it made no step).
pub fn measured_speed(live: Live, config: &NinConfig, settings: &TrainSettings) -> Option<settings::Speed> {
    let progress = live.progress.get_untracked()?;
    let cost = settings::run_cost(config, settings).ok()?;
    let val_points = live.history.with_untracked(|h| h.val.len());
    settings::Speed::measured(cost.forward_flops_per_image, settings, progress.step, val_points, progress.images_per_s, progress.workers)
}

/// The board's record of a run that ended (finished or stopped).
pub fn run_record(live: Live, variant: &'static str, config: &NinConfig, settings: TrainSettings) -> RunRecord {
    let costs = crate::exercises::costs(config, settings.image_size, 1, settings.optimizer).ok();
    let stopped = live.phase.get_untracked() == Phase::Stopped;
    let test_accuracy = if stopped { None } else { live.report.get_untracked().map(|(r, _)| r.metrics.accuracy) };
    let name = format!("#{} {}", live.finished.get_untracked() + 1, variant);
    RunRecord {
        id: 0,
        name,
        variant: variant.to_string(),
        history: live.history.get_untracked(),
        test_accuracy,
        params: costs.as_ref().map_or(0, |c| c.params),
        flops_per_image: costs.as_ref().map_or(0, |c| c.forward_flops),
        images_per_s: live.progress.get_untracked().map_or(0.0, |p| p.images_per_s),
        stopped,
        settings,
    }
}
