//! A training run seen from the page: where it is ([`Phase`]), what can stop it ([`RunError`]),
//! and how the board follows it: the run is a `client::Run` (the job in Web Workers); the page
//! forwards pause/resume/stop to its controller and applies its updates to the board.

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use super::fetch::{self, Datasets};
use super::runs::RunRecord;
pub use super::state::{Trained, TrainedModel};
use crate::client::Nin;
use crate::client::TestReport;
use crate::client::estimate;
use crate::client::{self, Controller, Job};
use crate::client::{ActiveBackend, BackendKind, CpuReason, GpuFault};
use crate::client::{Control, Ended, Event, Progress, Stage};
use crate::client::{History, SettingsError, TrainError, TrainSettings};
use crate::client::{TrainingDataRef, WorkerFailure};
use crate::data::DataError;
use crate::i18n::{Lang, train as tr};
use crate::model::config::NinConfig;

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
    GpuMemory {
        batch: usize,
        needed: u64,
        ran_out_at: u64,
        largest_fits: usize,
    },
    Data(DataError),
    Weights(String),
    /// The weights the worker sent back cannot be loaded on this page.
    Record(client::record::RecordFileError),
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
            RunError::Record(e) => tr::received_weights_error(lang, e),
            RunError::Worker(e) => tr::worker_failure(lang, e),
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
    /// When (`Date.now()`, ms) the running job's workers started, while it runs on WebGPU and
    /// no step has finished yet: Burn compiles each kernel on its first use, so the first steps
    /// take long and the status says so (see [`preparing_secs`]).
    pub preparing_since: RwSignal<Option<f64>>,
    /// The running job's controller: every change of `control` goes to it.
    controller: StoredValue<Option<Controller>, LocalStorage>,
}

impl Live {
    /// Called in the training cell's component: the effect that forwards `control` lives with it.
    pub fn new(model: TrainedModel) -> Self {
        let live = Live {
            phase: RwSignal::new(Phase::Idle),
            control: RwSignal::new(Control::Run),
            history: RwSignal::new(History::default()),
            progress: RwSignal::new(None),
            report: RwSignal::new(None),
            settings: RwSignal::new(None),
            shown: RwSignal::new(None),
            model,
            finished: RwSignal::new(0),
            preparing_since: RwSignal::new(None),
            controller: StoredValue::new_local(None),
        };
        Effect::new(move |_| {
            let control = live.control.get();
            if let Some(controller) = live.controller.get_value() {
                // A worker that cannot be reached has failed; its own message ends the run.
                let _ = controller.set(control);
            }
        });
        live
    }
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
            // The first chunk of steps has finished: the kernels are compiled.
            if live.preparing_since.get_untracked().is_some() {
                live.preparing_since.set(None);
            }
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
    let job = Job::Train { config: config.clone(), settings: settings.clone(), data: TrainingDataRef { train: &sets.train, test: &sets.test } };
    let helpers = if backend.kind == BackendKind::Cpu { workers.saturating_sub(1) } else { 0 };
    let ended = run_job(live, &backend, variant, &settings, &config, job, helpers).await?;
    live.phase.set(match ended {
        Ended::Finished => Phase::Done,
        Ended::Stopped => Phase::Stopped,
    });
    Ok(())
}

/// Runs `job` in Web Workers through the client layer (see `crate::client::Run`) and shows its
/// updates; trained weights come back as a Burn record and are loaded onto this page's device
/// for "try it yourself". With `helpers` (CPU only) that many more workers train or score
/// data-parallel with the first; a helper that fails ends the run with its reason.
#[allow(clippy::too_many_arguments)]
pub async fn run_job(
    live: Live,
    backend: &ActiveBackend,
    variant: &str,
    settings: &TrainSettings,
    config: &NinConfig,
    job: Job<'_>,
    helpers: usize,
) -> Result<Ended, RunError> {
    let trains_on_gpu = backend.kind == BackendKind::WebGpu && matches!(job, Job::Train { .. });
    let mut run = client::Run::start(backend.kind, job, helpers).map_err(RunError::Worker)?;
    live.preparing_since.set(trains_on_gpu.then(js_sys::Date::now));
    live.controller.set_value(Some(run.controller()));
    let _ = run.controller().set(live.control.get_untracked());
    let mut outcome = None;
    while let Some(update) = run.next().await {
        match update {
            client::Update::Event(e) => apply(live, e),
            client::Update::Weights(record) => {
                // The previous model goes first: two models alive at once raised the page's
                // wasm memory (which never shrinks) by a model's size (tests/browser/soak.mjs).
                drop_model(live);
                match client::load_weights(record.0, config) {
                    Ok(nin) => keep_model(live, nin, variant, settings, config),
                    Err(e) => {
                        outcome = Some(Err(RunError::Record(e)));
                        break;
                    }
                }
            }
            client::Update::Report { report, images } => live.report.set(Some((report, images))),
            client::Update::Ended(ended) => outcome = Some(Ok(ended)),
            client::Update::Failed(failure) => outcome = Some(Err(RunError::Worker(failure))),
        }
    }
    live.controller.set_value(None);
    live.preparing_since.set(None);
    outcome.unwrap_or_else(|| Err(RunError::Worker(WorkerFailure::Crashed("the run's workers ended without a word".into()))))
}

/// Whole seconds since the running job's workers started, while WebGPU has not finished a step
/// yet ([`Live::preparing_since`]). A clock for the display only, ticking once a second while
/// there is something to count: it talks to no worker (the run's own events end it).
pub fn preparing_secs(live: Live) -> Signal<Option<f64>> {
    let now = RwSignal::new(js_sys::Date::now());
    Effect::new(move |previous: Option<Option<leptos::prelude::IntervalHandle>>| {
        if let Some(Some(interval)) = previous {
            interval.clear();
        }
        live.preparing_since.get()?;
        now.set(js_sys::Date::now());
        leptos::prelude::set_interval_with_handle(move || now.set(js_sys::Date::now()), std::time::Duration::from_secs(1)).ok()
    });
    Signal::derive(move || live.preparing_since.get().map(|since| ((now.get() - since) / 1000.0).max(0.0).floor()))
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
pub fn measured_speed(live: Live, config: &NinConfig, settings: &TrainSettings) -> Option<estimate::Speed> {
    let progress = live.progress.get_untracked()?;
    let cost = estimate::run_cost(config, settings).ok()?;
    let val_points = live.history.with_untracked(|h| h.val.len());
    estimate::Speed::measured(cost.forward_flops_per_image, settings, progress.step, val_points, progress.images_per_s, progress.workers)
}

/// The page's language as `<html lang>` says it (the run ends in a task outside Leptos's owner).
fn page_lang() -> Lang {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
    root.and_then(|r| r.get_attribute("lang")).and_then(|code| Lang::from_code(&code)).unwrap_or(Lang::En)
}

/// The board's record of a run that ended (finished or stopped).
pub fn run_record(live: Live, variant: &'static str, config: &NinConfig, settings: TrainSettings) -> RunRecord {
    let costs = crate::exercises::costs(config, settings.image_size, 1, settings.optimizer).ok();
    let stopped = live.phase.get_untracked() == Phase::Stopped;
    let test_accuracy = if stopped { None } else { live.report.get_untracked().map(|(r, _)| r.metrics.accuracy) };
    let number = live.finished.get_untracked() + 1;
    // The student's code is named as theirs, with the model it builds, in the page's language.
    let name = if variant == "code" { crate::i18n::code::code_run_name(page_lang(), number as usize, config) } else { format!("#{number} {variant}") };
    RunRecord {
        format: crate::client::board::RUN_FORMAT,
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
