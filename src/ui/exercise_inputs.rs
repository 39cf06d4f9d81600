//! What every exercise cell shares: its typed inputs (side, batch, optimizer, restored from a
//! share link), their form, the share button, and the bar width helper. Used by the comparison
//! cells (`exercises`) and exercise 4's calculator (`exercise4`), which do not import each other.

use leptos::prelude::*;

use super::runs::TrainTarget;
use super::state::{SeedField, Shared};
use super::train_form::optimizer_options;
use crate::client::OptimizerKind;
use crate::exercises::share::{self, ShareState};
use crate::exercises::{self, Exercise};
use crate::i18n::{self, Lang};

/// The inputs shared by an exercise cell: side, batch and optimizer, as typed.
#[derive(Clone, Copy)]
pub(super) struct Inputs {
    side: RwSignal<String>,
    batch: RwSignal<String>,
    optimizer: RwSignal<String>,
}

impl Inputs {
    /// The defaults, or what a shared link gave for this exercise.
    pub(super) fn new(exercise: Exercise, side: usize, batch: usize) -> Self {
        let shared = use_context::<Shared>().map(|s| s.0).filter(|s| s.exercise == Some(exercise)).unwrap_or_default();
        Inputs {
            side: RwSignal::new(shared.side.unwrap_or(side).to_string()),
            batch: RwSignal::new(shared.batch.unwrap_or(batch).to_string()),
            optimizer: RwSignal::new(shared.optimizer.unwrap_or(OptimizerKind::Adam).id().into()),
        }
    }

    /// The share state for these inputs (fields that do not parse are left out).
    fn share(&self, exercise: Exercise, variant: Option<&'static str>, seed: Option<u64>) -> ShareState {
        ShareState {
            exercise: Some(exercise),
            side: self.side.get_untracked().trim().parse().ok(),
            batch: self.batch.get_untracked().trim().parse().ok(),
            optimizer: OptimizerKind::from_id(&self.optimizer.get_untracked()),
            variant,
            seed,
        }
    }

    /// Parsed values, or the message for the first bad field.
    pub(super) fn parse(&self, lang: Lang) -> Result<(usize, usize, OptimizerKind), String> {
        let t = lang.ex();
        // A side from NiN's smallest input to 4,096 px; a batch of at least one image.
        let num = |label: &str, rule: crate::fields::Rule, text: String| -> Result<usize, String> {
            crate::fields::whole_usize(&text, rule).map_err(|e| i18n::field_error(lang, label, rule, &e))
        };
        let side = num(t.side, crate::fields::IMAGE_SIZE, self.side.get())?;
        let batch = num(t.batch, crate::fields::BATCH, self.batch.get())?;
        let optimizer = OptimizerKind::from_id(&self.optimizer.get()).unwrap_or(OptimizerKind::Adam);
        Ok((side, batch, optimizer))
    }
}

#[component]
pub(super) fn InputsForm(inputs: Inputs, prefix: &'static str) -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let t = move || lang.get().ex();
    view! {
        <div class="cell-inputs">
            <label class="field">
                <span>{move || t().side}</span>
                <input type="text" inputmode="numeric" data-testid=format!("{prefix}-side") bind:value=inputs.side/>
            </label>
            <label class="field">
                <span>{move || t().batch}</span>
                <input type="text" inputmode="numeric" data-testid=format!("{prefix}-batch") bind:value=inputs.batch/>
            </label>
            <label class="field">
                <span>{move || t().optimizer}</span>
                <select data-testid=format!("{prefix}-optimizer") prop:value=move || inputs.optimizer.get()
                    on:change:target=move |ev| inputs.optimizer.set(ev.target().value())>
                    {optimizer_options(lang)}
                </select>
            </label>
        </div>
    }
}

/// A "share" button: puts this exercise's state in the address bar and shows the link.
#[component]
pub(super) fn ShareLink(exercise: Exercise, inputs: Inputs) -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let target = expect_context::<TrainTarget>();
    let seed = expect_context::<SeedField>();
    let link = RwSignal::new(None::<String>);
    let share = move |_| {
        let key = target.0.with_untracked(|(k, _)| *k);
        let variant = exercises::variants(exercise).iter().any(|v| v.key == key).then_some(key);
        let state = inputs.share(exercise, variant, seed.0.get_untracked().trim().parse().ok());
        let Some(window) = web_sys::window() else { return };
        let location = window.location();
        let base = format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
        let url = format!("{base}?{}#{}", share::encode(&state), exercise.id());
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
        link.set(Some(url));
    };
    view! {
        <div class="share">
            <button type="button" class="small" data-testid=format!("{}-share", exercise.id()) on:click=share>{move || lang.get().ex().share}</button>
            {move || link.get().map(|url| view! {
                <label class="share-link">
                    <span>{move || lang.get().ex().share_hint}</span>
                    <input type="text" readonly data-testid=format!("{}-share-url", exercise.id()) prop:value=url/>
                </label>
            })}
        </div>
    }
}

/// Percent of `max` as a CSS width.
pub(super) fn width(value: u64, max: u64) -> String {
    format!("width:{:.1}%", value as f64 / max.max(1) as f64 * 100.0)
}
