//! The page: header with the language toggle, backend panel, table of contents, and the
//! chapter's sections with their cells in the places the book has its code.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::backend_panel::BackendPanel;
use super::code_cell::CodeCell;
use super::exercises::ExerciseCells;
use super::figure::FigNin;
use super::model_code_cell::ModelCodeCell;
use super::motivation::Motivation;
use super::prose::Paragraph;
use super::runs::{RunBoard, Runs, TrainTarget};
use super::shape_cell::ShapeSummaryCell;
use super::state::{BackendState, Backends, GpuMemory, SeedField, Shared, TrainSeed};
use super::train_cell::TrainCell;
use super::train_run::TrainedModel;
use super::try_cell::TryCell;
use crate::client::{ActiveBackend, CpuReason};
use crate::content::chapter::SECTION_IDS;
use crate::i18n::Lang;

const LANG_KEY: &str = "nin.lang";

/// The remembered language, else the browser's.
fn initial_lang() -> Lang {
    if let Some(lang) = super::storage::get::<String>(LANG_KEY, super::storage::Stored::Language).and_then(|c| Lang::from_code(&c)) {
        return lang;
    }
    let tag = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
    Lang::from_tag(&tag)
}

#[component]
pub fn App() -> impl IntoView {
    // First: every later read or write of localStorage may need to say what it could not keep.
    let storage_notice = super::storage::StorageNotice::install();
    let backends = Backends { active: RwSignal::new_local(BackendState::Starting), webgpu: RwSignal::new_local(None), settled: RwSignal::new(false) };
    provide_context(backends);
    let lang = RwSignal::new(initial_lang());
    provide_context(lang);
    // The trained or loaded model, shared by the training cell and the "try it yourself" cell.
    provide_context(TrainedModel(StoredValue::new_local(None), RwSignal::new(0)));
    let target = TrainTarget::book();
    provide_context(target);
    provide_context(Runs::load());
    provide_context(super::speeds::Speeds::load());
    provide_context(super::model_code_cell::ModelCode::load());
    // A shared link: validated part by part (see exercises::share); what is valid is restored.
    let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let (shared, ignored) = crate::exercises::share::decode(&query);
    if let (Some(ex), Some(key)) = (shared.exercise, shared.variant)
        && let Some(v) = crate::exercises::variants(ex).into_iter().find(|v| v.key == key)
    {
        target.0.set((key, v.config));
    }
    provide_context(Shared(shared.clone()));
    let seed = TrainSeed(RwSignal::new(shared.seed.map(|s| s.to_string())));
    provide_context(seed);
    provide_context(SeedField(RwSignal::new(String::new())));
    let notice = (!ignored.is_empty()).then_some(ignored);
    let run_all = super::run_all::RunAll::new();
    provide_context(run_all);

    // Keep <html lang> in step (fonts, screen readers, line breaking).
    Effect::new(move |_| {
        let code = lang.get().code();
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", code);
        }
    });

    provide_context(GpuMemory(RwSignal::new(None)));
    provide_context(super::shipped::ShippedRequests(RwSignal::new(0), RwSignal::new(None)));
    provide_context(super::state::LastPicture(RwSignal::new(None)));
    let update = super::offline::UpdateReady(RwSignal::new(false));
    provide_context(update);
    super::offline::register(update);

    // Start-up: the page asks for an adapter itself (no download). Where Burn cannot run on it,
    // the CPU with the reason. Where it can, the cells run on the CPU at once while the GPU
    // module downloads into its worker and opens WebGPU; then the page switches to WebGPU
    // (unless the student chose the CPU meanwhile).
    spawn_local(async move {
        let probed = crate::client::probe_webgpu().await.and_then(|a| match a.unusable_reason() {
            Some(reason) => Err(reason),
            None => Ok(a),
        });
        let probed = probed.and_then(|a| match a.is_software() && !super::backend_panel::prefers_webgpu() {
            // Software WebGPU is many times slower than the CPU backend: the CPU, saying why;
            // the switch still offers WebGPU (and remembers the choice).
            true => Err(CpuReason::SoftwareAdapter(a.software_name())),
            false => Ok(a),
        });
        if let Err(reason) = probed {
            backends.webgpu.set(Some(Err(reason.clone())));
            backends.use_cpu(reason);
            backends.settled.set(true);
            return;
        }
        backends.use_cpu(CpuReason::GpuEngineLoading);
        let started = crate::client::start_gpu_engine().await;
        let waiting = matches!(backends.active.get_untracked(), BackendState::Ready(ref b) if b.cpu_reason == Some(CpuReason::GpuEngineLoading));
        match started {
            Ok(adapter) => {
                let gpu = ActiveBackend::webgpu(adapter);
                backends.webgpu.set(Some(Ok(gpu.clone())));
                if waiting {
                    backends.active.set(BackendState::Ready(gpu));
                }
            }
            Err(reason) => {
                backends.webgpu.set(Some(Err(reason.clone())));
                if waiting {
                    backends.use_cpu(reason);
                }
            }
        }
        backends.settled.set(true);
    });

    let toggle_lang = move |_| {
        let next = match lang.get_untracked() {
            Lang::En => Lang::Ja,
            Lang::Ja => Lang::En,
        };
        super::storage::set(LANG_KEY, &next.code(), super::storage::Stored::Language);
        lang.set(next);
    };
    let t = move || lang.get().ui();
    let chapter = move || lang.get().chapter();

    view! {
        <header class="site-header">
            <div class="wrap header-row">
                <div>
                    <p class="kicker">{move || t().kicker}</p>
                    <h1>{move || chapter().title}</h1>
                    <p class="lede"><Paragraph text=Signal::derive(move || chapter().subtitle)/></p>
                </div>
                <button type="button" class="lang-toggle" data-testid="lang-toggle" on:click=toggle_lang>
                    {move || t().switch_language}
                </button>
            </div>
        </header>
        <main class="wrap">
            <super::offline::UpdateBanner/>
            {move || storage_notice.0.get().map(|(issue, what)| view! {
                <p class="error storage-notice" role="status" data-testid="storage-notice">{crate::i18n::storage_notice(lang.get(), issue, what)}</p>
            })}
            {notice.map(|ignored| view! {
                <p class="error share-notice" role="status" data-testid="share-notice">
                    {move || lang.get().ex().share_notice}" "
                    {move || ignored.iter().map(|i| format!("{} ({})", i.key, crate::i18n::exercises::ignored_reason(lang.get(), i.reason))).collect::<Vec<_>>().join(", ")}
                </p>
            })}
            <BackendPanel/>
            <nav class="toc" aria-label=move || t().contents>
                <div class="toc-head">
                    <h2>{move || t().contents}</h2>
                    <button
                        type="button"
                        class="run"
                        data-testid="run-all"
                        data-passes=move || run_all.passes.get().to_string()
                        disabled=move || !matches!(backends.active.get(), BackendState::Ready(_)) || run_all.running()
                        on:click=move |_| run_all.start()
                    >
                        {move || t().run_all}
                    </button>
                </div>
                <super::run_all::RunAllReport/>
                <ol>
                    {move || chapter().sections.iter().map(|s| view! {
                        <li><a href=format!("#{}", s.id)>{s.title}</a></li>
                    }).collect_view()}
                </ol>
            </nav>
            // Built once: the cells keep their state (a run, its board, typed inputs) when the
            // language changes; only the text follows the language.
            {SECTION_IDS.into_iter().map(|id| view! { <ChapterSection id/> }).collect_view()}
        </main>
        <footer class="wrap site-footer">
            <super::offline::StoragePanel/>
            <p>{move || chapter().credits}</p>
            <p>{move || t().footer}</p>
        </footer>
    }
}

/// One section: its text, its cells, then the text that follows the cells.
#[component]
fn ChapterSection(id: &'static str) -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    // Both languages have the sections of SECTION_IDS (a native test checks).
    let section = move || lang.get().chapter().sections.iter().copied().find(|s| s.id == id);
    let cells = match id {
        "introduction" => view! { <Motivation/> }.into_any(),
        "nin-blocks" => view! { <FigNin/> <CodeCell name="nin-block" title=|t| t.code_cell_block/> <super::explore_1x1::Explore1x1/> }.into_any(),
        "nin-model" => {
            view! { <CodeCell name="nin-model" title=|t| t.code_cell_model/> <ShapeSummaryCell/> <super::explore_gap::ExploreGap/> <ModelCodeCell/> }.into_any()
        }
        "training" => view! { <TrainCell/> <RunBoard/> <TryCell/> }.into_any(),
        "exercises" => view! { <ExerciseCells/> }.into_any(),
        _ => ().into_any(),
    };
    view! {
        <section id=id aria-labelledby=format!("{id}-title") data-testid="chapter-section">
            <h2 id=format!("{id}-title")>{move || section().map(|s| s.title)}</h2>
            {move || paragraphs(id, "before", section().map_or(&[][..], |s| s.before_cells))}
            {cells}
            {move || paragraphs(id, "after", section().map_or(&[][..], |s| s.after_cells))}
        </section>
    }
}

/// A section's paragraphs, each with its inline markup and its key (`section:part:i`, as the
/// static page's: the takeover finds the paragraph the student was reading by it).
fn paragraphs(id: &'static str, part: &'static str, texts: &'static [&'static str]) -> impl IntoView {
    texts.iter().enumerate().map(|(i, p)| view! { <p data-p=format!("{id}:{part}:{i}")><Paragraph text=Signal::stored(*p)/></p> }).collect_view()
}
