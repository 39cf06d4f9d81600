//! The training cell's form: its text fields, what they parse to, and the checks made against
//! the model and the device before anything is downloaded.

use leptos::prelude::*;

use super::state::GpuMemory;
use super::train_run::RunError;
use crate::client::form::{self, FormError, FormField};
use crate::client::settings;
use crate::client::{ActiveBackend, BackendKind};
use crate::client::{OptimizerKind, Preset, TrainSettings};
use crate::i18n::Lang;
use crate::model::config::NinConfig;

/// Images in the two files (checked again after download).
pub const TRAIN_AVAILABLE: usize = 60_000;
pub const TEST_AVAILABLE: usize = 10_000;

/// The text fields of the form.
#[derive(Clone, Copy)]
pub struct Fields {
    pub optimizer: RwSignal<String>,
    pub lr: RwSignal<String>,
    pub batch: RwSignal<String>,
    pub size: RwSignal<String>,
    pub epochs: RwSignal<String>,
    pub train: RwSignal<String>,
    pub val: RwSignal<String>,
    pub test: RwSignal<String>,
    pub seed: RwSignal<String>,
    pub preset: RwSignal<Preset>,
}

impl Fields {
    /// Empty fields; `seed` is shared with the share links.
    pub fn new(seed: RwSignal<String>) -> Self {
        let empty = || RwSignal::new(String::new());
        Fields {
            optimizer: empty(),
            lr: empty(),
            batch: empty(),
            size: empty(),
            epochs: empty(),
            train: empty(),
            val: empty(),
            test: empty(),
            seed,
            preset: RwSignal::new(Preset::ShortGpu),
        }
    }

    pub fn set(&self, s: &TrainSettings) {
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

    /// The text field that holds `field`.
    pub fn text(&self, field: FormField) -> RwSignal<String> {
        match field {
            FormField::LearningRate => self.lr,
            FormField::Batch => self.batch,
            FormField::ImageSize => self.size,
            FormField::Epochs => self.epochs,
            FormField::TrainImages => self.train,
            FormField::ValImages => self.val,
            FormField::TestImages => self.test,
            FormField::Seed => self.seed,
        }
    }

    /// What the fields do not say: the preset's validation cadence, the chosen optimizer.
    fn base(&self) -> TrainSettings {
        let base = self.preset.get().settings();
        TrainSettings { optimizer: OptimizerKind::from_id(&self.optimizer.get()).unwrap_or(base.optimizer), ..base }
    }

    /// The settings the fields describe; a value that breaks its field's rule is an error that
    /// states the rule (the first such field; [`check`] gives every refusal).
    pub fn parse(&self, lang: Lang) -> Result<TrainSettings, RunError> {
        let (settings, refused) = form::read_form(|f| self.text(f).get(), &self.base());
        match refused.into_iter().next() {
            Some((field, e)) => Err(RunError::Field(label(lang, field), field.rule(), e)),
            None => Ok(settings),
        }
    }
}

/// A field's label, which its rule's message names.
fn label(lang: Lang, field: FormField) -> &'static str {
    let t = lang.train();
    match field {
        FormField::LearningRate => t.learning_rate,
        FormField::Batch => t.batch_size,
        FormField::ImageSize => t.image_size,
        FormField::Epochs => t.epochs,
        FormField::TrainImages => t.train_images,
        FormField::ValImages => t.val_images,
        FormField::TestImages => t.test_images,
        FormField::Seed => t.seed,
    }
}

/// One reason the form cannot run, and the fields it concerns: the first shows the message,
/// each of them is marked invalid and described by it.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub fields: Vec<FormField>,
    pub error: RunError,
}

impl Refusal {
    pub fn shown_at(&self) -> FormField {
        self.fields[0]
    }
}

/// Every refusal of the fields, each with its field (the form before the backend is known).
pub fn field_refusals(fields: &Fields, lang: Lang) -> Vec<Refusal> {
    let (_, refused) = form::read_form(|f| fields.text(f).get(), &fields.base());
    refused.into_iter().map(|(field, e)| Refusal { fields: vec![field], error: RunError::Field(label(lang, field), field.rule(), e) }).collect()
}

/// Checks the whole form against the model and the device before anything is downloaded: each
/// field's rule, the largest tensor against the adapter's buffer limits, the whole run against
/// what this backend may use (see [`GpuMemory`]). Every refusal, not only the first.
pub fn check(
    config: &NinConfig,
    fields: &Fields,
    backend: &ActiveBackend,
    memory: GpuMemory,
    lang: Lang,
) -> Result<(TrainSettings, settings::MemoryEstimate), Vec<Refusal>> {
    let budget = memory.budget(backend.kind);
    let text = |f: FormField| fields.text(f).get();
    form::check_form(config, text, &fields.base(), TRAIN_AVAILABLE, TEST_AVAILABLE, backend.buffer_limit_bytes(), budget.unwrap_or(u64::MAX)).map_err(|all| {
        all.into_iter()
            .map(|(field, e)| match e {
                FormError::Rule(e) => Refusal { fields: vec![field], error: RunError::Field(label(lang, field), field.rule(), e) },
                FormError::Settings(e) => Refusal { fields: e.fields().to_vec(), error: run_error(e, backend.kind) },
            })
            .collect()
    })
}

/// A settings refusal as the cell words it: on WebGPU the only memory budget is what an
/// earlier run ran out at, so it says so.
fn run_error(e: settings::SettingsError, kind: BackendKind) -> RunError {
    match e {
        settings::SettingsError::OutOfMemory { batch, needed, budget, largest_fits } if kind == BackendKind::WebGpu => {
            RunError::GpuMemory { batch, needed, ran_out_at: budget + 1, largest_fits }
        }
        e => RunError::Settings(e),
    }
}

/// The `<option>`s of an optimizer `<select>`, one per [`OptimizerKind`], labelled in the
/// current language (the training cell and the exercise cells share them).
pub fn optimizer_options(lang: RwSignal<Lang>) -> impl IntoView {
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

/// What the browser says about the device: logical cores (`navigator.hardwareConcurrency`) and,
/// where it tells (Chromium), its memory in GiB (`navigator.deviceMemory`, rounded, at most 8).
pub fn device_cores_and_memory() -> (f64, Option<f64>) {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return (1.0, None) };
    let memory = js_sys::Reflect::get(&navigator, &"deviceMemory".into()).ok().and_then(|m| m.as_f64()).filter(|m| m.is_finite() && *m > 0.0);
    (navigator.hardware_concurrency(), memory)
}

/// The memory all CPU workers together may take: half the device's memory where the browser
/// tells it, else 8 GiB (each worker's own wasm memory is also capped by the run's check).
pub fn workers_budget(device_memory_gib: Option<f64>) -> u64 {
    device_memory_gib.map_or(8 << 30, |g| (g * f64::from(1u32 << 30) / 2.0) as u64)
}

/// The "CPU workers" choice (shown on the CPU backend only).
#[component]
pub fn WorkersField(workers: RwSignal<usize>, #[prop(into)] disabled: Signal<bool>) -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let t = move || lang.get().train();
    view! {
        <label class="field">
            <span>{move || t().cpu_workers}</span>
            <select data-testid="train-workers" disabled=disabled prop:value=move || workers.get().to_string()
                on:change:target=move |ev| workers.set(ev.target().value().parse().unwrap_or(1))>
                {(1..=crate::client::MAX_WORKERS).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
            </select>
            <small>{move || t().cpu_workers_hint}</small>
        </label>
    }
}
