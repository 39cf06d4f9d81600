//! The training cell: presets and fields, checks before the run, the live board (curves,
//! progress, pause/resume/stop), and after the run the test results, downloads and loading
//! weights back. The run itself happens in a Web Worker (`crate::worker`); the cell sends it the
//! job and the data, forwards pause/resume/stop, and applies its events to the board.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use super::app::{BackendState, Backends, SeedField, TrainSeed};
use super::fetch::{self, Datasets};
use super::runs::{RunRecord, Runs, TrainTarget};
use super::speeds::Speeds;
use super::train_board::Board;
use super::train_results::Results;
use crate::data::DataError;
use crate::engine::{ActiveBackend, BackendKind, CpuReason};
use crate::format;
use crate::i18n::{Lang, train as tr};
use crate::model::{Nin, NinConfig};
use crate::training::metrics::TestReport;
use crate::training::session::{Control, Ended, Event, Progress, Stage};
use crate::training::settings::{self, RunCost};
use crate::training::{History, OptimizerKind, Preset, SettingsError, TrainSettings, record};
use crate::worker::host::TrainingWorker;
use crate::worker::{FromWorker, ToWorker, WorkerFailure};

/// Images in the two files (checked again after download).
const TRAIN_AVAILABLE: usize = 60_000;
const TEST_AVAILABLE: usize = 10_000;
/// What one run may allocate in all. The CPU backend lives in wasm32 memory (4 GiB at most,
/// shared with the page, the data and Burn's pools): 2 GiB. For WebGPU the browser does not
/// say how much memory the GPU has; 4 GiB fits the book's batch 128 at 224 px (about 3.1 GiB)
/// and half of a common 8 GB laptop GPU.
const CPU_MEMORY_BUDGET: u64 = 2 << 30;
const WEBGPU_MEMORY_BUDGET: u64 = 4 << 30;

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

/// Everything that can stop a run, rendered in the current language.
#[derive(Clone, Debug, PartialEq)]
pub enum RunError {
    Field(&'static str, String),
    Settings(SettingsError),
    Data(DataError),
    Weights(String),
    Worker(WorkerFailure),
}

impl RunError {
    fn message(&self, lang: Lang) -> String {
        let u = lang.ui();
        match self {
            RunError::Field(label, text) if text.is_empty() => format!("{label} {}", u.field_empty),
            RunError::Field(label, text) => format!("{label} {} \"{text}\".", u.field_not_number),
            RunError::Settings(e) => tr::settings_error(lang, e),
            RunError::Data(e) => tr::data_error(lang, e),
            RunError::Weights(m) => m.clone(),
            RunError::Worker(WorkerFailure::Train(e)) => tr::train_error(lang, e),
            RunError::Worker(WorkerFailure::NoWebGpu(reason)) => tr::worker_no_webgpu(lang, reason),
            RunError::Worker(e) => format!("{} {e}", lang.train().worker_failed),
        }
    }

    /// The batch to offer when the chosen one does not fit.
    fn largest_fits(&self) -> Option<usize> {
        match self {
            RunError::Settings(SettingsError::BatchTooLarge { largest_fits, .. } | SettingsError::OutOfMemory { largest_fits, .. }) => {
                (*largest_fits > 0).then_some(*largest_fits)
            }
            _ => None,
        }
    }
}

/// The trained (or loaded) model, shared with the "try it yourself" cell.
#[derive(Clone, Copy)]
pub struct TrainedModel(pub StoredValue<Option<Trained>, LocalStorage>, pub RwSignal<u32>);

/// A trained or loaded model with what it takes to use it again.
#[derive(Clone)]
pub struct Trained {
    pub nin: Nin,
    /// The backend it lives on.
    pub backend: ActiveBackend,
    /// The image side it was trained at.
    pub size: usize,
    pub config: NinConfig,
}

/// The text fields of the form.
#[derive(Clone, Copy)]
struct Fields {
    optimizer: RwSignal<String>,
    lr: RwSignal<String>,
    batch: RwSignal<String>,
    size: RwSignal<String>,
    epochs: RwSignal<String>,
    train: RwSignal<String>,
    val: RwSignal<String>,
    test: RwSignal<String>,
    seed: RwSignal<String>,
    preset: RwSignal<Preset>,
}

impl Fields {
    fn set(&self, s: &TrainSettings) {
        self.optimizer.set(s.optimizer.id().into());
        self.lr.set(s.learning_rate.to_string());
        self.batch.set(s.batch_size.to_string());
        self.size.set(s.image_size.to_string());
        self.epochs.set(s.epochs.to_string());
        self.train.set(s.train_images.to_string());
        self.val.set(s.val_images.to_string());
        self.test.set(s.test_images.to_string());
        self.seed.set(s.seed.to_string());
    }

    /// The settings the fields describe (the validation cadence comes from the preset).
    fn parse(&self, lang: Lang) -> Result<TrainSettings, RunError> {
        let t = lang.train();
        fn num<T: std::str::FromStr>(label: &'static str, text: String) -> Result<T, RunError> {
            let text = text.trim().to_string();
            text.parse().map_err(|_| RunError::Field(label, text.chars().take(40).collect()))
        }
        let base = self.preset.get().settings();
        Ok(TrainSettings {
            optimizer: OptimizerKind::from_id(&self.optimizer.get()).unwrap_or(base.optimizer),
            learning_rate: num(t.learning_rate, self.lr.get())?,
            batch_size: num(t.batch_size, self.batch.get())?,
            image_size: num(t.image_size, self.size.get())?,
            epochs: num(t.epochs, self.epochs.get())?,
            train_images: num(t.train_images, self.train.get())?,
            val_images: num(t.val_images, self.val.get())?,
            test_images: num(t.test_images, self.test.get())?,
            seed: num(t.seed, self.seed.get())?,
            ..base
        })
    }
}

/// The signals the running loop writes.
#[derive(Clone, Copy)]
struct Live {
    phase: RwSignal<Phase>,
    control: RwSignal<Control>,
    history: RwSignal<History>,
    progress: RwSignal<Option<Progress>>,
    report: RwSignal<Option<(TestReport, usize)>>,
    settings: RwSignal<Option<TrainSettings>>,
    model: TrainedModel,
    /// Finished runs (a test waits for it to change).
    finished: RwSignal<u32>,
}

pub(crate) fn memory_budget(kind: BackendKind) -> u64 {
    match kind {
        BackendKind::WebGpu => WEBGPU_MEMORY_BUDGET,
        BackendKind::Cpu => CPU_MEMORY_BUDGET,
    }
}

/// Checks the settings against the model and the device before anything is downloaded.
fn check(config: &NinConfig, settings: &TrainSettings, backend: &ActiveBackend) -> Result<settings::MemoryEstimate, RunError> {
    settings::validate(config, settings, TRAIN_AVAILABLE, TEST_AVAILABLE, backend.buffer_limit_bytes(), memory_budget(backend.kind))
        .map_err(RunError::Settings)
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
fn keep_model(live: Live, nin: Nin, backend: &ActiveBackend, settings: &TrainSettings, config: &NinConfig) {
    live.model.0.set_value(Some(Trained { nin, backend: backend.clone(), size: settings.image_size, config: config.clone() }));
    live.model.1.update(|n| *n += 1);
}

async fn load_data(live: Live) -> Result<Rc<Datasets>, RunError> {
    live.phase.set(Phase::Loading { done: 0, total: fetch::FILES.iter().map(|f| f.1).sum() });
    fetch::datasets(move |done, total| live.phase.set(Phase::Loading { done, total })).await.map_err(RunError::Data)
}

/// The whole run: data, then training and testing in the worker.
async fn run(live: Live, backend: ActiveBackend, settings: TrainSettings, config: NinConfig) -> Result<(), RunError> {
    let sets = load_data(live).await?;
    live.phase.set(Phase::Building);
    let data: [&[u8]; 4] = [&sets.train.images, &sets.train.labels, &sets.test.images, &sets.test.labels];
    let job = ToWorker::Train { config: config.clone(), settings: settings.clone(), backend: backend.kind };
    let ended = run_in_worker(live, &backend, &settings, &config, job, &data).await?;
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
/// and are loaded onto this page's device for "try it yourself".
async fn run_in_worker(live: Live, backend: &ActiveBackend, settings: &TrainSettings, config: &NinConfig, job: ToWorker, data: &[&[u8]]) -> Result<Ended, RunError> {
    let state = Rc::new(WorkerState::default());
    let on_message = {
        let (state, backend, settings, config) = (state.clone(), backend.clone(), settings.clone(), config.clone());
        move |message: Result<(FromWorker, Vec<Vec<u8>>), WorkerFailure>| match message {
            Ok((FromWorker::Ready, _)) => state.ready.set(true),
            Ok((FromWorker::Event(e), _)) => apply(live, e),
            Ok((FromWorker::Weights, buffers)) => {
                let bytes = buffers.into_iter().next().unwrap_or_default();
                match record::from_bytes(bytes, &config, &backend.device) {
                    Ok(nin) => keep_model(live, nin, &backend, &settings, &config),
                    Err(e) => state.finish(Err(RunError::Weights(e.to_string()))),
                }
            }
            Ok((FromWorker::Report { report, images }, _)) => live.report.set(Some((report, images))),
            Ok((FromWorker::Ended(ended), _)) => state.finish(Ok(ended)),
            Ok((FromWorker::Failed(failure), _)) | Err(failure) => state.finish(Err(RunError::Worker(failure))),
        }
    };
    let worker = TrainingWorker::spawn(on_message).map_err(RunError::Worker)?;
    let mut sent = false;
    let mut forwarded = Control::Run;
    loop {
        if let Some(outcome) = state.outcome.borrow_mut().take() {
            return outcome;
        }
        if state.ready.get() && !sent {
            worker.send(&job, data).map_err(RunError::Worker)?;
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
fn pause_when_hidden(live: Live) {
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

fn is_running(phase: &Phase) -> bool {
    matches!(phase, Phase::Loading { .. } | Phase::Building | Phase::Training | Phase::Validating | Phase::Paused { .. } | Phase::Testing { .. })
}

/// The `<option>`s of an optimizer `<select>`, one per [`OptimizerKind`], labelled in the
/// current language (the training cell and the exercise cells share them).
pub(crate) fn optimizer_options(lang: RwSignal<Lang>) -> impl IntoView {
    OptimizerKind::ALL
        .into_iter()
        .map(|o| {
            let label = move || {
                let t = lang.get().train();
                match o {
                    OptimizerKind::Sgd => t.opt_sgd,
                    OptimizerKind::Momentum => t.opt_momentum,
                    OptimizerKind::Adam => t.opt_adam,
                }
            };
            view! { <option value=o.id()>{label}</option> }
        })
        .collect_view()
}

/// How fast the run that just ended computed (none if it made no step).
fn measured_speed(live: Live, config: &NinConfig, settings: &TrainSettings) -> Option<settings::Speed> {
    let progress = live.progress.get_untracked()?;
    let cost = settings::run_cost(config, settings).ok()?;
    let val_points = live.history.with_untracked(|h| h.val.len());
    settings::Speed::measured(cost.forward_flops_per_image, settings, progress.step, val_points, progress.images_per_s)
}

/// The board's record of a run that ended (finished or stopped).
fn run_record(live: Live, variant: &'static str, config: &NinConfig, settings: TrainSettings) -> RunRecord {
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

#[component]
pub fn TrainCell() -> impl IntoView {
    let backends = expect_context::<Backends>();
    let lang = expect_context::<RwSignal<Lang>>();
    let t = move || lang.get().train();
    let model = expect_context::<TrainedModel>();
    let target = expect_context::<TrainTarget>();
    let runs = expect_context::<Runs>();
    let shared_seed = expect_context::<TrainSeed>();
    let speeds = expect_context::<Speeds>();

    let fields = Fields {
        optimizer: RwSignal::new(String::new()),
        lr: RwSignal::new(String::new()),
        batch: RwSignal::new(String::new()),
        size: RwSignal::new(String::new()),
        epochs: RwSignal::new(String::new()),
        train: RwSignal::new(String::new()),
        val: RwSignal::new(String::new()),
        test: RwSignal::new(String::new()),
        seed: expect_context::<SeedField>().0,
        preset: RwSignal::new(Preset::ShortGpu),
    };
    let live = Live {
        phase: RwSignal::new(Phase::Idle),
        control: RwSignal::new(Control::Run),
        history: RwSignal::new(History::default()),
        progress: RwSignal::new(None),
        report: RwSignal::new(None),
        settings: RwSignal::new(None),
        model,
        finished: RwSignal::new(0),
    };
    pause_when_hidden(live);

    // The preset follows the backend until the user picks one.
    let user_picked = RwSignal::new(false);
    Effect::new(move |_| {
        if let BackendState::Ready(b) = backends.active.get() {
            if !user_picked.get_untracked() && !is_running(&live.phase.get_untracked()) {
                let preset = if b.kind == BackendKind::WebGpu { Preset::ShortGpu } else { Preset::ShortCpu };
                fields.preset.set(preset);
                fields.set(&preset.settings());
            }
            // A seed from a shared link wins over the preset's, once.
            if let Some(seed) = shared_seed.0.get_untracked() {
                fields.seed.set(seed);
                shared_seed.0.set(None);
            }
        }
    });
    let pick_preset = move |id: String| {
        if let Some(p) = Preset::ALL.into_iter().find(|p| p.id() == id) {
            user_picked.set(true);
            fields.preset.set(p);
            fields.set(&p.settings());
        }
    };

    let backend = move || match backends.active.get() {
        BackendState::Ready(b) => Some(b),
        BackendState::Starting => None,
    };
    // The checks, live as the fields change: cost, memory, or the reason it cannot run.
    let checked = Memo::new(move |_| {
        let lang = lang.get();
        let settings = fields.parse(lang)?;
        let b = backend().ok_or(RunError::Weights(String::new()))?;
        let config = target.0.with(|(_, c)| c.clone());
        let memory = check(&config, &settings, &b)?;
        let cost = settings::run_cost(&config, &settings).map_err(RunError::Settings)?;
        Ok::<(TrainSettings, settings::MemoryEstimate, RunCost), RunError>((settings, memory, cost))
    });

    let start = move || {
        let Some(b) = backend() else { return };
        let settings = match checked.get_untracked() {
            Ok((s, _, _)) => s,
            Err(e) => {
                live.phase.set(Phase::Failed(e));
                return;
            }
        };
        live.control.set(Control::Run);
        live.history.set(History::default());
        live.progress.set(None);
        live.report.set(None);
        live.settings.set(Some(settings.clone()));
        let (variant, config) = target.0.get_untracked();
        spawn_local(async move {
            match run(live, b.clone(), settings.clone(), config.clone()).await {
                Ok(()) => {
                    if let Some(speed) = measured_speed(live, &config, &settings) {
                        speeds.set(b.kind, speed);
                    }
                    runs.add(run_record(live, variant, &config, settings));
                }
                Err(e) => live.phase.set(Phase::Failed(e)),
            }
            live.finished.update(|n| *n += 1);
        });
    };
    let use_batch = move |n: usize| fields.batch.set(n.to_string());

    // Loading a weights file: parse it for the book's model on the active backend, then score
    // the test images with it, as after a run.
    let loaded = RwSignal::new(None::<String>);
    let load_weights = move |file: web_sys::File| {
        let Some(b) = backend() else { return };
        let settings = match fields.parse(lang.get_untracked()) {
            Ok(s) => s,
            Err(e) => return live.phase.set(Phase::Failed(e)),
        };
        let name = file.name();
        let config = target.0.with_untracked(|(_, c)| c.clone());
        live.report.set(None);
        live.settings.set(Some(settings.clone()));
        spawn_local(async move {
            let result = async {
                let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
                    .await
                    .map_err(|e| RunError::Weights(format!("{name}: {e:?}")))?;
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                let nin = record::from_bytes(bytes.clone(), &config, &b.device).map_err(|e| RunError::Weights(format!("{name}: {e}")))?;
                keep_model(live, nin.clone(), &b, &settings, &config);
                loaded.set(Some(name.clone()));
                let sets = load_data(live).await?;
                let job = ToWorker::Test { config: config.clone(), settings: settings.clone(), backend: b.kind };
                run_in_worker(live, &b, &settings, &config, job, &[&bytes, &sets.test.images, &sets.test.labels]).await?;
                live.phase.set(Phase::Done);
                Ok::<(), RunError>(())
            }
            .await;
            if let Err(e) = result {
                live.phase.set(Phase::Failed(e));
            }
            live.finished.update(|n| *n += 1);
        });
    };

    // A browser can give the page WebGPU but not its workers: offer the CPU in one click.
    let worker_without_webgpu = move || match live.phase.get() {
        Phase::Failed(RunError::Worker(WorkerFailure::NoWebGpu(reason))) if backend().is_some_and(|b| b.kind == BackendKind::WebGpu) => Some(reason),
        _ => None,
    };
    let use_cpu_instead = move |reason: String| {
        live.phase.set(Phase::Idle);
        fields.preset.set(Preset::ShortCpu);
        fields.set(&Preset::ShortCpu.settings());
        backends.active.set(BackendState::Ready(ActiveBackend::cpu(CpuReason::WorkerWebGpuFailed(reason))));
    };
    let running = move || is_running(&live.phase.get());
    let paused = move || matches!(live.phase.get(), Phase::Paused { .. });
    let status = move || {
        let t = t();
        match live.phase.get() {
            Phase::Idle => String::new(),
            Phase::Loading { done, total } => format!("{}… {} / {}", t.loading, format::bytes(done), format::bytes(total)),
            Phase::Building => format!("{}…", t.building),
            Phase::Training => format!("{}…", t.training),
            Phase::Validating => format!("{}…", t.validating),
            Phase::Paused { hidden: true } => t.paused_hidden.into(),
            Phase::Paused { hidden: false } => t.paused.into(),
            Phase::Testing { done, total } => format!("{}… {done} / {total}", t.testing),
            Phase::Done => t.done.into(),
            Phase::Stopped => t.stopped.into(),
            Phase::Failed(e) => e.message(lang.get()),
        }
    };
    let phase_id = move || match live.phase.get() {
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
    };
    let load_bar = move || match live.phase.get() {
        Phase::Loading { done, total } => Some((done as f64, total as f64)),
        Phase::Testing { done, total } => Some((done as f64, total as f64)),
        _ => None,
    };

    let number_field = move |label: fn(&tr::TrainUi) -> &'static str, id: &'static str, value: RwSignal<String>, mode: &'static str| {
        view! {
            <label class="field">
                <span>{move || label(t())}</span>
                <input type="text" inputmode=mode data-testid=format!("train-{id}") bind:value=value disabled=running/>
            </label>
        }
    };

    view! {
        <div class="cell train-cell" data-testid="train-cell" data-phase=phase_id data-finished=move || live.finished.get().to_string()>
            <div class="cell-head">
                <span class="cell-label">{move || lang.get().ui().cell}</span>
                <h3>{move || t().title}</h3>
            </div>
            <p class="cell-note">{move || t().intro}</p>
            <p class="train-model" data-testid="train-model" data-variant=move || target.0.get().0>
                <b>{move || lang.get().ex().training_model}": "</b>
                {move || crate::i18n::exercises::variant_label(lang.get(), target.0.get().0)}
                <Show when=move || target.0.get().0 != "book">
                    " "<button type="button" data-testid="train-model-reset" disabled=running
                        on:click=move |_| target.0.set(("book", NinConfig::book()))>{move || lang.get().ex().reset_model}</button>
                </Show>
            </p>
            <div class="train-form">
                <label class="field">
                    <span>{move || t().preset}</span>
                    <select
                        data-testid="train-preset"
                        disabled=running
                        prop:value=move || fields.preset.get().id()
                        on:change:target=move |ev| pick_preset(ev.target().value())
                    >
                        {Preset::ALL.into_iter().map(|p| view! {
                            <option value=p.id()>{move || match p {
                                Preset::Book => t().preset_book,
                                Preset::ShortGpu => t().preset_short,
                                Preset::ShortCpu => t().preset_cpu,
                            }}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || t().optimizer}</span>
                    <select data-testid="train-optimizer" disabled=running prop:value=move || fields.optimizer.get()
                        on:change:target=move |ev| fields.optimizer.set(ev.target().value())>
                        {optimizer_options(lang)}
                    </select>
                </label>
                {number_field(|t| t.learning_rate, "lr", fields.lr, "decimal")}
                {number_field(|t| t.batch_size, "batch", fields.batch, "numeric")}
                {number_field(|t| t.image_size, "size", fields.size, "numeric")}
                {number_field(|t| t.epochs, "epochs", fields.epochs, "numeric")}
                {number_field(|t| t.train_images, "train", fields.train, "numeric")}
                {number_field(|t| t.val_images, "val", fields.val, "numeric")}
                {number_field(|t| t.test_images, "test", fields.test, "numeric")}
                {number_field(|t| t.seed, "seed", fields.seed, "numeric")}
                <div class="field">
                    <span>{move || t().backend}</span>
                    <output data-testid="train-backend">
                        {move || match backend().map(|b| b.kind) {
                            Some(BackendKind::WebGpu) => "WebGPU",
                            Some(BackendKind::Cpu) => "CPU",
                            None => "…",
                        }}
                    </output>
                    <small>{move || t().backend_hint}</small>
                </div>
            </div>
            <p class="train-check" data-testid="train-check" aria-live="polite">
                {move || match checked.get() {
                    Ok((s, memory, cost)) => view! {
                        <span>
                            <b>{t().cost}</b>": "
                            {format!("{} × {}, {} {} · ", format::grouped(cost.train_images), format::flops(3 * cost.forward_flops_per_image), format::flops(cost.total_flops), t().in_total)}
                            {format!("{} {} · ", format::grouped(s.val_images as u64), t().held_out)}
                            <b>{t().memory}</b>": "
                            {format!("≈ {} (≤ {}) · ", format::bytes(memory.total()), format::bytes(backend().map(|b| memory_budget(b.kind)).unwrap_or(CPU_MEMORY_BUDGET)))}
                            <b>{t().time}</b>": "
                            {match backend().and_then(|b| speeds.get(b.kind)) {
                                Some(speed) => {
                                    let secs = speed.secs_for(&cost);
                                    view! {
                                        <span data-testid="train-estimate" data-secs=format!("{secs:.3}")>
                                            {tr::time_estimate(lang.get(), &format::clock(secs), speed.batch_size, speed.image_size)}
                                        </span>
                                    }.into_any()
                                }
                                None => view! { <span data-testid="train-estimate-unknown">{t().time_unknown}</span> }.into_any(),
                            }}
                        </span>
                    }.into_any(),
                    Err(RunError::Weights(_)) => ().into_any(),
                    Err(e) => {
                        let offer = e.largest_fits();
                        view! {
                            <span class="error" data-testid="train-check-error">{e.message(lang.get())}</span>
                            {offer.map(|n| view! {
                                " "<button type="button" data-testid="train-use-batch" on:click=move |_| use_batch(n)>{move || format!("{} {n}", t().use_batch)}</button>
                            })}
                        }.into_any()
                    }
                }}
            </p>
            <div class="cell-actions">
                <button type="button" class="run" data-testid="train-start"
                    disabled=move || running() || backend().is_none() || checked.get().is_err()
                    on:click=move |_| start()>
                    {move || t().start}
                </button>
                <button type="button" data-testid="train-pause" disabled=move || !running() || paused()
                    on:click=move |_| live.control.set(Control::Pause { hidden: false })>
                    {move || t().pause}
                </button>
                <button type="button" data-testid="train-resume" disabled=move || !paused()
                    on:click=move |_| live.control.set(Control::Run)>
                    {move || t().resume}
                </button>
                <button type="button" data-testid="train-stop" disabled=move || !running()
                    on:click=move |_| live.control.set(Control::Stop)>
                    {move || t().stop}
                </button>
            </div>
            <div class="status" role="status" data-testid="train-status" class:error=move || matches!(live.phase.get(), Phase::Failed(_))>
                {status}
            </div>
            {move || worker_without_webgpu().map(|reason| view! {
                <button type="button" data-testid="train-use-cpu" on:click=move |_| use_cpu_instead(reason.clone())>
                    {move || t().use_cpu_instead}
                </button>
            })}
            {move || load_bar().map(|(done, total)| view! {
                <progress data-testid="train-load-progress" max=total value=done></progress>
            })}
            <p class="cell-note">{move || t().worker_note}</p>
            <Board history=live.history progress=live.progress settings=live.settings/>
            <div class="load-weights">
                <label class="file-button">
                    <span>{move || t().load_weights}</span>
                    <input type="file" accept=".bpk,application/octet-stream" data-testid="train-load-weights" disabled=running
                        on:change:target=move |ev| {
                            if let Some(file) = ev.target().files().and_then(|f| f.get(0)) {
                                load_weights(file);
                            }
                            ev.target().set_value("");
                        }/>
                </label>
                {move || loaded.get().map(|name| view! { <span data-testid="train-loaded">{format!("{} {name}", t().loaded_weights)}</span> })}
            </div>
            <Results report=live.report history=live.history settings=live.settings model=model/>
        </div>
    }
}
