//! Offline after the first visit: registers the service worker (`www/sw.js`), offers a new
//! deployment as "reload" (never mixing versions), and shows what this device stores (the app,
//! the data shards runs fetched) and which presets can run offline, with a button that clears
//! the stored data.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

use super::fetch;
use crate::client::Preset;
use crate::data::shards::Set as DataSet;
use crate::format;
use crate::i18n::Lang;

#[wasm_bindgen(module = "/src/js/offline.js")]
extern "C" {
    async fn sw_register(on_update: &Closure<dyn FnMut()>, on_storage_full: &Closure<dyn FnMut(String)>) -> JsValue;
    async fn sw_apply_update();
    async fn storage_report() -> JsValue;
    async fn clear_data();
    pub fn online() -> bool;
}

/// What this device stores, as the service worker's caches report it.
#[derive(Clone, Debug, Default, PartialEq)]
struct Stored {
    usage: u64,
    shards: HashSet<String>,
    controlled: bool,
}

async fn stored() -> Stored {
    let report = storage_report().await;
    let get = |k: &str| js_sys::Reflect::get(&report, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let shards = js_sys::Array::from(&get("shards")).iter().filter_map(|s| s.as_string()).collect();
    Stored { usage: get("usage").as_f64().unwrap_or(0.0).max(0.0) as u64, shards, controlled: get("controlled").as_bool().unwrap_or(false) }
}

/// A new deployment is waiting: set when the service worker says so.
#[derive(Clone, Copy)]
pub struct UpdateReady(pub RwSignal<bool>);

thread_local! {
    /// The service worker could not keep a download for lack of space (its error's name).
    static STORAGE_FULL: RwSignal<Option<String>> = RwSignal::new(None);
}

/// Registers the service worker once per page; `UpdateReady` turns true when a new version waits.
pub fn register(update: UpdateReady) {
    let full = STORAGE_FULL.with(|s| *s);
    spawn_local(async move {
        let on_update = Closure::<dyn FnMut()>::new(move || update.0.set(true));
        let on_full = Closure::<dyn FnMut(String)>::new(move |name: String| full.set(Some(name)));
        let _ = sw_register(&on_update, &on_full).await;
        // The registration keeps calling them for the page's lifetime.
        on_update.forget();
        on_full.forget();
    });
}

/// The banner shown when a new version of the page is ready.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let update = expect_context::<UpdateReady>();
    let t = move || lang.get().ui();
    let full = STORAGE_FULL.with(|s| *s);
    view! {
        <Show when=move || full.get().is_some()>
            <p class="error storage-notice" role="status" data-testid="offline-storage-full" data-error=move || full.get().unwrap_or_default()>
                {move || t().offline_storage_full}
            </p>
        </Show>
        <Show when=move || update.0.get()>
            <p class="update-banner" role="status" data-testid="update-ready">
                {move || t().update_ready}" "
                <button type="button" class="run" data-testid="update-reload" on:click=move |_| spawn_local(sw_apply_update())>
                    {move || t().update_reload}
                </button>
            </p>
        </Show>
    }
}

/// The footer's panel: what is stored on this device and which presets can run offline.
#[component]
pub fn StoragePanel() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let t = move || lang.get().ui();
    let report = RwSignal::new(None::<Stored>);
    let manifest = RwSignal::new_local(None::<std::rc::Rc<crate::data::shards::Manifest>>);
    let refresh = move || {
        spawn_local(async move {
            if manifest.get_untracked().is_none() {
                manifest.set(fetch::manifest().await.ok());
            }
            report.set(Some(stored().await));
        })
    };
    refresh();
    // Runs fetch shards: look again when one ends (the training cell's counter).
    let trained = expect_context::<super::state::TrainedModel>().1;
    Effect::new(move |_| {
        trained.get();
        refresh();
    });
    let clear = move |_| {
        spawn_local(async move {
            clear_data().await;
            report.set(Some(stored().await));
        })
    };
    let presets = move || {
        let stored = report.get()?;
        let manifest = manifest.get()?;
        let lang = lang.get();
        let rows = Preset::ALL
            .into_iter()
            .map(|p| {
                let s = p.settings();
                let needed: Vec<_> = manifest
                    .needed(DataSet::Train, s.train_images + s.val_images)
                    .into_iter()
                    .chain(manifest.needed(DataSet::Test, s.test_images))
                    .flatten()
                    .collect();
                let missing: u64 = needed.iter().filter(|i| !stored.shards.contains(&i.file)).map(|i| i.bytes).sum();
                let name = crate::i18n::train::preset_name(lang, p);
                let (state, text) = if missing == 0 {
                    ("stored", lang.ui().offline_ready.to_string())
                } else {
                    ("missing", format!("{} {}", lang.ui().offline_needs, format::bytes(missing)))
                };
                view! { <li data-testid="offline-preset" data-preset=p.id() data-state=state><b>{name}</b>": "{text}</li> }
            })
            .collect_view();
        Some(view! { <ul class="offline-presets">{rows}</ul> })
    };
    view! {
        <section class="storage" aria-labelledby="storage-title" data-testid="storage">
            <h2 id="storage-title">{move || t().offline_title}</h2>
            <p>
                {move || match report.get() {
                    Some(r) if r.controlled => t().offline_on.to_string(),
                    Some(_) => t().offline_first.to_string(),
                    None => String::new(),
                }}
                " "
                {move || report.get().map(|r| view! {
                    <span data-testid="storage-usage" data-bytes=r.usage.to_string() data-shards=r.shards.len().to_string()>
                        {format!("{} {}.", t().offline_stored, format::bytes(r.usage))}
                    </span>
                })}
            </p>
            {presets}
            <button type="button" data-testid="storage-clear" on:click=clear>{move || t().offline_clear}</button>
        </section>
    }
}
