//! The training cell: presets and fields, checks before the run, the live board (curves,
//! progress, pause/resume/stop), and after the run the test results, downloads and loading
//! weights back. The form is in `train_form`, the run and its worker in `train_run`; when the
//! GPU fails during a run (or the worker crashes on WebGPU), the cell offers to go on on the CPU.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::fetch;
use super::runs::{Runs, TrainTarget};
use super::speeds::Speeds;
use super::state::{BackendState, Backends, CPU_MEMORY_BUDGET, GpuMemory, SeedField, TrainSeed};
use super::train_board::Board;
use super::train_form::{Fields, Refusal, check, field_refusals, optimizer_options};
use super::train_results::Results;
use super::train_run::{
    Live, Phase, RunError, TrainedModel, keep_model, load_data, measured_speed, pause_when_hidden, preparing_secs, run, run_job, run_record,
};
use crate::client::Control;
use crate::client::estimate::{self, RunCost};
use crate::client::form::FormField;
use crate::client::settings;
use crate::client::{ActiveBackend, BackendKind, CpuReason};
use crate::client::{History, Preset, TrainSettings, record};
use crate::client::{ScoringDataRef, WorkerFailure};
use crate::format;
use crate::i18n::{Lang, train as tr};
use crate::model::config::NinConfig;

/// What the cell last did on the backend, so that "go on on the CPU" after a GPU failure
/// repeats that: a training run, or the scoring of a loaded file or of the shipped model.
#[derive(Clone)]
enum Job {
    Train,
    /// A weights file the student picked: its name and bytes.
    File(String, std::rc::Rc<Vec<u8>>),
    Shipped,
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
    let gpu_memory = expect_context::<GpuMemory>();

    let fields = Fields::new(expect_context::<SeedField>().0);
    let shipped_card = RwSignal::new(None::<crate::client::card::ModelCard>);
    // The data manifest (a few kB) so the check line can say what a run downloads.
    let manifest_ready = RwSignal::new(false);
    spawn_local(async move {
        // A failed fetch (a network hiccup) is tried again: a run would fetch it anyway.
        for wait in [0, 1_000, 5_000] {
            gloo_timers::future::TimeoutFuture::new(wait).await;
            if fetch::manifest().await.is_ok() {
                manifest_ready.set(true);
                break;
            }
        }
    });
    let live = Live::new(model);
    pause_when_hidden(live);
    // CPU workers: the device's cores by default (data-parallel training, `training::parallel`).
    let (cores, device_memory) = super::train_form::device_cores_and_memory();
    let workers = RwSignal::new(crate::client::default_workers(cores));

    // The preset follows the backend until the user picks one.
    let user_picked = RwSignal::new(false);
    Effect::new(move |_| {
        if let BackendState::Ready(b) = backends.active.get() {
            if !user_picked.get_untracked() && !live.phase.get_untracked().is_running() {
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

    let backend = move || backends.ready();
    // The checks, live as the fields change: cost and memory, or every reason it cannot run,
    // each shown at its field. Before the backend is known only the fields' own rules are
    // checked (no refusal then means: nothing to say yet).
    let checked = Memo::new(move |_| {
        let lang = lang.get();
        let Some(b) = backend() else { return Err(field_refusals(&fields, lang)) };
        let config = target.0.with(|(_, c)| c.clone());
        let (settings, memory) = check(&config, &fields, &b, gpu_memory, lang)?;
        let cost = estimate::run_cost(&config, &settings).map_err(|e| vec![Refusal { fields: e.fields().to_vec(), error: RunError::Settings(e) }])?;
        Ok::<(TrainSettings, settings::MemoryEstimate, RunCost), Vec<Refusal>>((settings, memory, cost))
    });
    let refusals = Memo::new(move |_| checked.with(|c| c.as_ref().err().cloned().unwrap_or_default()));

    let last_job = StoredValue::new_local(Job::Train);
    let start = move || {
        let Some(b) = backend() else { return };
        last_job.set_value(Job::Train);
        let (settings, memory) = match checked.get_untracked() {
            Ok((s, m, _)) => (s, m),
            Err(refusals) => {
                if let Some(first) = refusals.into_iter().next() {
                    live.phase.set(Phase::Failed(first.error));
                }
                return;
            }
        };
        let workers = crate::client::workers(workers.get_untracked(), memory.total(), super::train_form::workers_budget(device_memory), settings.batch_size);
        live.control.set(Control::Run);
        live.history.set(History::default());
        live.progress.set(None);
        live.report.set(None);
        live.settings.set(Some(settings.clone()));
        let (variant, config) = target.0.get_untracked();
        live.shown.set(Some((variant.to_string(), config.clone())));
        spawn_local(async move {
            match run(live, b.clone(), variant, settings.clone(), config.clone(), workers).await {
                // Stopped before a step: nothing to keep.
                Ok(()) if live.history.with_untracked(|h| h.train.is_empty()) => {}
                Ok(()) => {
                    if let Some(speed) = measured_speed(live, &config, &settings) {
                        speeds.set(b.kind, speed);
                    }
                    runs.add(run_record(live, variant, &config, settings));
                    if b.kind == BackendKind::WebGpu {
                        gpu_memory.went_through();
                    }
                }
                Err(e) => {
                    // Out of GPU memory: remember how much this run needed, so the check
                    // refuses it again and offers the largest batch that fits under it.
                    if matches!(e.gpu_fault(), Some(crate::client::GpuFault::OutOfMemory(_)))
                        && b.kind == BackendKind::WebGpu
                        && let Ok(estimate) = settings::memory_estimate(&config, &settings)
                    {
                        gpu_memory.ran_out_at(estimate.total());
                    }
                    live.phase.set(Phase::Failed(e));
                }
            }
            live.finished.update(|n| *n += 1);
        });
    };
    let use_batch = move |n: usize| fields.batch.set(n.to_string());

    // Loading a weights file: its header says the model and the image size it was trained at
    // (checked before anything is built); it is loaded on the page's CPU backend for "try it",
    // and the test images are scored with it at that size, as after a run.
    let loaded = RwSignal::new(None::<(String, usize)>);
    let score_file = move |b: ActiveBackend, form: TrainSettings, name: String, bytes: Vec<u8>| async move {
        let weights = |e: record::RecordFileError| RunError::Weights(tr::weights_error(lang.get_untracked(), &name, &e));
        let (nin, meta) = crate::client::load_weights_file(&bytes).map_err(weights)?;
        let settings = TrainSettings { image_size: meta.image_size, ..form };
        live.settings.set(Some(settings.clone()));
        live.shown.set(Some((meta.variant.clone(), meta.config.clone())));
        keep_model(live, nin, &meta.variant, &settings, &meta.config);
        loaded.set(Some((name.clone(), meta.image_size)));
        let sets = load_data(live, &TrainSettings { train_images: 0, val_images: 0, ..settings.clone() }).await?;
        let (_, record) = record::parse_file(&bytes).map_err(weights)?;
        let job =
            crate::client::Job::Score { config: meta.config.clone(), settings: settings.clone(), data: ScoringDataRef { weights: record, test: &sets.test } };
        let memory = settings::memory_estimate(&meta.config, &settings).map(|m| m.total()).unwrap_or(u64::MAX);
        let helpers =
            crate::client::workers(workers.get_untracked(), memory, super::train_form::workers_budget(device_memory), settings.test_images.max(1)) - 1;
        run_job(live, &b, &meta.variant, &settings, &meta.config, job, helpers).await?;
        live.phase.set(Phase::Done);
        Ok::<TrainSettings, RunError>(settings)
    };
    // Scores a weights file's bytes (picked now, or again after the GPU failed while scoring it).
    let score_bytes = move |b: ActiveBackend, form: TrainSettings, name: String, bytes: std::rc::Rc<Vec<u8>>| {
        last_job.set_value(Job::File(name.clone(), bytes.clone()));
        live.report.set(None);
        // A file has no curves: the previous run's must not go with its report (or its JSON).
        live.history.set(History::default());
        live.progress.set(None);
        shipped_card.set(None);
        spawn_local(async move {
            if let Err(e) = score_file(b, form, name, bytes.to_vec()).await {
                live.phase.set(Phase::Failed(e));
            }
            live.finished.update(|n| *n += 1);
        });
    };
    let load_weights = move |file: web_sys::File| {
        let Some(b) = backend() else { return };
        let form = match fields.parse(lang.get_untracked()) {
            Ok(s) => s,
            Err(e) => return live.phase.set(Phase::Failed(e)),
        };
        let name = file.name();
        spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => score_bytes(b, form, name, std::rc::Rc::new(js_sys::Uint8Array::new(&buffer).to_vec())),
                Err(e) => {
                    live.phase.set(Phase::Failed(RunError::Weights(tr::file_read_error(lang.get_untracked(), &name, &format!("{e:?}")))));
                    live.finished.update(|n| *n += 1);
                }
            }
        });
    };
    // The NiN this site ships, trained by our own engine (models/, issue 16): its card, then
    // the same scoring as a loaded file, on all 10,000 test images, measured here; it joins the
    // run board beside the student's runs.
    let super::shipped::ShippedRequests(shipped_requests, shipped_error) = expect_context::<super::shipped::ShippedRequests>();
    let load_shipped = move || {
        let Some(b) = backend() else { return };
        // The scoring uses the form's batch size: a field that breaks its rule is named next
        // to the button that asked (here, and in the try-it cell).
        let form = match fields.parse(lang.get_untracked()) {
            Ok(form) => form,
            Err(e) => return shipped_error.set(Some(e)),
        };
        shipped_error.set(None);
        last_job.set_value(Job::Shipped);
        let form = TrainSettings { test_images: super::train_form::TEST_AVAILABLE, ..form };
        live.report.set(None);
        live.history.set(History::default());
        spawn_local(async move {
            let result = async {
                live.phase.set(Phase::Loading { done: 0, total: 0 });
                let (card, bytes) = super::shipped::fetch(move |done, total| live.phase.set(Phase::Loading { done, total })).await.map_err(RunError::Data)?;
                live.history.set(card.history.clone());
                shipped_card.set(Some(card.clone()));
                let settings = score_file(b, form, super::shipped::file_name(), bytes).await?;
                if let Some((report, _)) = live.report.get_untracked() {
                    runs.add(super::shipped::board_record(&card, &settings, report.metrics.accuracy, lang.get_untracked()));
                }
                Ok::<(), RunError>(())
            }
            .await;
            if let Err(e) = result {
                live.phase.set(Phase::Failed(e));
            }
            live.finished.update(|n| *n += 1);
        });
    };
    // "Load the trained NiN" from the try-it cell asks through this counter.
    Effect::new(move |previous: Option<u32>| {
        let n = shipped_requests.get();
        if previous.is_some_and(|p| p != n) && !live.phase.get_untracked().is_running() {
            load_shipped();
        }
        n
    });

    // A browser can give the page WebGPU but not its workers: offer the CPU in one click.
    let worker_without_webgpu = move || match live.phase.get() {
        Phase::Failed(RunError::Worker(WorkerFailure::NoWebGpu(reason))) if backend().is_some_and(|b| b.kind == BackendKind::WebGpu) => Some(reason),
        _ => None,
    };
    let use_cpu_instead = move |reason: CpuReason| {
        live.phase.set(Phase::Idle);
        fields.preset.set(Preset::ShortCpu);
        fields.set(&Preset::ShortCpu.settings());
        backends.use_cpu(CpuReason::WorkerWebGpuFailed(Box::new(reason)));
    };
    // The GPU failed during a run (or the worker crashed on WebGPU): the curves stay on the
    // board, and one click runs the same settings again on the CPU.
    let cpu_instead = move || match live.phase.get() {
        Phase::Failed(e) if backend().is_some_and(|b| b.kind == BackendKind::WebGpu) => e.cpu_instead(),
        _ => None,
    };
    // It repeats what failed: a training run, or the scoring of the same model.
    let scoring_failed = move || !matches!(last_job.with_value(Job::clone), Job::Train);
    let continue_on_cpu = move |reason: CpuReason| {
        // Keep the fields as they are (the preset follows the backend only until a choice).
        user_picked.set(true);
        backends.use_cpu(reason);
        match last_job.with_value(Job::clone) {
            Job::Train => start(),
            Job::Shipped => load_shipped(),
            Job::File(name, bytes) => match (backend(), fields.parse(lang.get_untracked())) {
                (Some(b), Ok(form)) => score_bytes(b, form, name, bytes),
                (_, Err(e)) => live.phase.set(Phase::Failed(e)),
                (None, _) => {}
            },
        }
    };
    let running = move || live.phase.get().is_running();
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
    let phase_id = move || live.phase.get().id();
    // On WebGPU the first steps compile the kernels: say so, with the seconds so far (only the
    // words are announced; the ticking seconds are hidden from screen readers).
    let preparing = preparing_secs(live);
    let status_view = move || match (live.phase.get(), preparing.get()) {
        (Phase::Training, Some(secs)) => view! {
            <span data-testid="train-preparing" data-secs=secs.to_string()>
                {format!("{}… ", t().preparing_gpu)}<span aria-hidden="true">{tr::duration(lang.get(), secs)}</span>
            </span>
        }
        .into_any(),
        _ => status().into_any(),
    };
    let load_bar = move || match live.phase.get() {
        Phase::Loading { done, total } => Some((done as f64, total as f64)),
        Phase::Testing { done, total } => Some((done as f64, total as f64)),
        _ => None,
    };

    // A typed field, with every refusal it is shown (`train-error-<id>`), marked invalid and
    // described by each refusal that concerns it (a refusal about the training and validation
    // images together is shown at the first and describes both).
    let number_field = move |label: fn(&tr::TrainUi) -> &'static str, field: FormField, mode: &'static str| {
        let id = field.id();
        let (input_id, error_id) = (format!("train-{id}"), format!("train-error-{id}"));
        let concerning = move || refusals.with(|all| all.iter().filter(|r| r.fields.contains(&field)).map(|r| r.shown_at()).collect::<Vec<_>>());
        let described_by = move || {
            let mut at = concerning();
            at.sort_by_key(|f| f.id());
            at.dedup();
            (!at.is_empty()).then(|| at.iter().map(|f| format!("train-error-{}", f.id())).collect::<Vec<_>>().join(" "))
        };
        let here = move || refusals.with(|all| all.iter().filter(|r| r.shown_at() == field).map(|r| r.error.clone()).collect::<Vec<_>>());
        view! {
            <div class="field">
                <label for=input_id.clone()>{move || label(t())}</label>
                <input type="text" id=input_id.clone() inputmode=mode data-testid=input_id bind:value=fields.text(field) disabled=running
                    aria-invalid=move || (!concerning().is_empty()).then_some("true") aria-describedby=described_by/>
                {move || {
                    let errors = here();
                    let offer = errors.iter().find_map(RunError::largest_fits);
                    let lang = lang.get();
                    (!errors.is_empty()).then(|| view! {
                        <small class="error field-error" id=error_id.clone() data-testid=error_id.clone()>
                            {errors.iter().map(|e| e.message(lang)).collect::<Vec<_>>().join(" ")}
                        </small>
                        {offer.map(|n| view! {
                            <button type="button" class="field-offer" data-testid="train-use-batch" on:click=move |_| use_batch(n)>{format!("{} {n}", lang.train().use_batch)}</button>
                        })}
                    })
                }}
            </div>
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
                {number_field(|t| t.learning_rate, FormField::LearningRate, "decimal")}
                {number_field(|t| t.batch_size, FormField::Batch, "numeric")}
                {number_field(|t| t.image_size, FormField::ImageSize, "numeric")}
                {number_field(|t| t.epochs, FormField::Epochs, "numeric")}
                {number_field(|t| t.train_images, FormField::TrainImages, "numeric")}
                {number_field(|t| t.val_images, FormField::ValImages, "numeric")}
                {number_field(|t| t.test_images, FormField::TestImages, "numeric")}
                {number_field(|t| t.seed, FormField::Seed, "numeric")}
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
                <Show when=move || backend().is_some_and(|b| b.kind == BackendKind::Cpu)>
                    <super::train_form::WorkersField workers=workers disabled=Signal::derive(running)/>
                </Show>
            </div>
            <p class="train-check" data-testid="train-check" aria-live="polite">
                {move || match checked.get() {
                    Ok((s, memory, cost)) => view! {
                        <span>
                            <b>{t().cost}</b>": "
                            {format!("{} × {}, {} {} · ", format::grouped(cost.train_images), format::flops(3 * cost.forward_flops_per_image), format::flops(cost.total_flops), t().in_total)}
                            {format!("{} {} · ", format::grouped(s.val_images as u64), t().held_out)}
                            // Only the shards this run needs and this page does not have yet.
                            {move || {
                                manifest_ready.get();
                                live.finished.get();
                                fetch::download_bytes(s.train_images.saturating_add(s.val_images), s.test_images).map(|bytes| {
                                    let what = if bytes == 0 { t().data_here.to_string() } else { format!("{} {}", format::bytes(bytes), t().to_download) };
                                    view! { <b>{t().data}</b> ": " <span data-testid="train-download" data-bytes=bytes.to_string()>{what}</span> " · " }
                                })
                            }}
                            <b>{t().memory}</b>": "
                            {format!("≈ {} ({}) · ", format::bytes(memory.total()), match backend().map(|b| (b.kind, gpu_memory.budget(b.kind))) {
                                Some((BackendKind::WebGpu, None)) => t().gpu_memory_unknown.to_string(),
                                Some((BackendKind::WebGpu, Some(budget))) => format!("{} {}", t().gpu_memory_learned, format::bytes(budget + 1)),
                                Some((_, budget)) => format!("≤ {}", format::bytes(budget.unwrap_or(CPU_MEMORY_BUDGET))),
                                None => format!("≤ {}", format::bytes(CPU_MEMORY_BUDGET)),
                            })}
                            <b>{t().time}</b>": "
                            {match backend().and_then(|b| speeds.get(b.kind)) {
                                Some(speed) => {
                                    // The workers this run would really use (memory and batch cap the choice).
                                    let run_workers = match backend().map(|b| b.kind) {
                                        Some(BackendKind::Cpu) => crate::client::workers(workers.get(), memory.total(), super::train_form::workers_budget(device_memory), s.batch_size),
                                        _ => 1,
                                    };
                                    let secs = speed.secs_for(&cost, run_workers);
                                    view! {
                                        <span data-testid="train-estimate" data-secs=format!("{secs:.3}")>
                                            {tr::time_estimate(lang.get(), secs, speed.batch_size, speed.image_size)}
                                        </span>
                                    }.into_any()
                                }
                                None => view! { <span data-testid="train-estimate-unknown">{t().time_unknown}</span> }.into_any(),
                            }}
                        </span>
                    }.into_any(),
                    Err(refusals) if refusals.is_empty() => ().into_any(),
                    Err(refusals) => view! {
                        <span class="error" data-testid="train-check-refused" data-refusals=refusals.len().to_string()>{t().fields_refused}</span>
                    }.into_any(),
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
                {status_view}
            </div>
            {move || worker_without_webgpu().map(|reason| view! {
                <button type="button" data-testid="train-use-cpu" on:click=move |_| use_cpu_instead(reason.clone())>
                    {move || t().use_cpu_instead}
                </button>
            })}
            {move || cpu_instead().map(|reason| view! {
                <button type="button" class="run" data-testid="train-continue-cpu" data-job=move || if scoring_failed() { "score" } else { "train" }
                    on:click=move |_| continue_on_cpu(reason.clone())>
                    {move || if scoring_failed() { t().score_on_cpu } else { t().continue_on_cpu }}
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
                    <input type="file" accept=".ninw,application/octet-stream" data-testid="train-load-weights" disabled=running
                        on:change:target=move |ev| {
                            if let Some(file) = ev.target().files().and_then(|f| f.get(0)) {
                                load_weights(file);
                            }
                            ev.target().set_value("");
                        }/>
                </label>
                {move || loaded.get().map(|(name, size)| view! {
                    <span data-testid="train-loaded" data-size=size.to_string()>{tr::loaded_weights(lang.get(), &name, size)}</span>
                })}
                " "
                <button type="button" class="run" data-testid="train-load-shipped" disabled=running on:click=move |_| load_shipped()>
                    {move || t().load_shipped}
                </button>
                {move || shipped_error.get().map(|e| view! { " "<span class="error" role="alert" data-testid="train-shipped-error">{e.message(lang.get())}</span> })}
            </div>
            {move || shipped_card.get().map(|card| view! { <super::shipped::CardView card=card/> })}
            <Results report=live.report history=live.history settings=live.settings shown=live.shown model=model/>
        </div>
    }
}
