//! The model cell (issue 28): the book's own PyTorch code, editable; Run prints the book's layer
//! summary of whatever net the code describes, computed on the page's backend through
//! `client::code_summary`; "Train this model" hands a NiN-shaped net to the training cell.
//! What the student types is kept in localStorage on every keystroke (and so across reloads and
//! languages); "Back to the book's code" restores the original.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::runs::TrainTarget;
use super::state::{BackendState, Backends, RunAll};
use crate::client::{BackendKind, CodeReport, CodeRunError};
use crate::format;
use crate::i18n::Lang;
use crate::i18n::code::{code_error, not_trainable};

const SAVE_KEY: &str = "nin.cell.model-code.v1";

/// The program in the model cell, shared with the exercise cells that open their change in it.
/// Every change is saved at once (nothing typed is lost).
#[derive(Clone, Copy)]
pub struct ModelCode(pub RwSignal<String>);

impl ModelCode {
    /// The saved program, else the book's.
    pub fn load() -> Self {
        let saved: Option<String> = super::storage::get(SAVE_KEY, super::storage::Stored::Code);
        ModelCode(RwSignal::new(saved.unwrap_or_else(|| nin_code::BOOK_CODE.to_string())))
    }

    pub fn set(self, text: String) {
        super::storage::set(SAVE_KEY, &text, super::storage::Stored::Code);
        self.0.set(text);
    }

    /// Puts `text` in the editor and takes the student there.
    pub fn open(self, text: String) {
        self.set(text);
        let editor = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("model-code"));
        if let Some(editor) = editor.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            editor.scroll_into_view();
            let _ = editor.focus();
        }
    }
}

/// The cell's state after Run.
#[derive(Clone, PartialEq)]
enum Outcome {
    Idle,
    Running,
    Done(CodeReport, BackendKind),
    /// The program's own error (re-derived from the text for the message in either language).
    Program(nin_code::CodeError),
    Failed(CodeRunError),
}

#[component]
pub fn ModelCodeCell() -> impl IntoView {
    let backends = expect_context::<Backends>();
    let lang = expect_context::<RwSignal<Lang>>();
    let target = expect_context::<TrainTarget>();
    let t = move || lang.get().code_cell();
    let model_code = expect_context::<ModelCode>();
    let code = model_code.0;
    let outcome = RwSignal::new(Outcome::Idle);
    let finished = RwSignal::new(0u32);
    let trained_note = RwSignal::new(None::<Result<(), String>>);
    let edit = move |text: String| {
        model_code.set(text);
        trained_note.set(None);
    };
    let ready = move || matches!(backends.active.get(), BackendState::Ready(_));
    let running = move || outcome.get() == Outcome::Running;

    let run = move || {
        let BackendState::Ready(backend) = backends.active.get_untracked() else { return };
        let source = code.get_untracked();
        // The program first, on the page: a bad one never reaches a worker.
        if let Err(e) = nin_code::analyze(&source) {
            outcome.set(Outcome::Program(e));
            finished.update(|n| *n += 1);
            return;
        }
        outcome.set(Outcome::Running);
        spawn_local(async move {
            TimeoutFuture::new(0).await;
            let result = crate::client::code_summary(&backend, &source).await;
            if let Err(CodeRunError::Worker(what)) = &result {
                backends.webgpu_failed(crate::client::CpuReason::WorkerCrashed(what.clone()));
            }
            outcome.set(match result {
                Ok(report) => Outcome::Done(report, backend.kind),
                Err(CodeRunError::Code(_)) => match nin_code::analyze(&source) {
                    Err(e) => Outcome::Program(e),
                    Ok(_) => Outcome::Failed(CodeRunError::Readback("the program changed".into())),
                },
                Err(e) => Outcome::Failed(e),
            });
            finished.update(|n| *n += 1);
        });
    };
    let train = move |_| {
        let note = match crate::client::code_config(&code.get_untracked()) {
            Err(e) => Err(code_error(lang.get_untracked(), &e)),
            Ok(Err(why)) => Err(not_trainable(lang.get_untracked(), &why)),
            Ok(Ok(config)) => {
                target.0.set(("code", config));
                Ok(())
            }
        };
        trained_note.set(Some(note));
    };

    let run_all = expect_context::<RunAll>().0;
    Effect::new(move |previous: Option<u32>| {
        let n = run_all.get();
        if previous.is_some_and(|p| p != n) {
            run();
        }
        n
    });

    let lines = move || code.get().lines().count().max(1) + 1;
    view! {
        <div class="cell model-code-cell" data-testid="model-code-cell">
            <div class="cell-head">
                <span class="cell-title">{move || t().title}</span>
                <span class="cell-status" data-testid="model-code-status" data-finished=move || finished.get()
                    data-status=move || match outcome.get() { Outcome::Idle => "idle", Outcome::Running => "running", Outcome::Done(..) => "done", _ => "error" }>
                    {move || running().then(|| t().running)}
                </span>
            </div>
            <p class="note">{move || t().note}</p>
            <label class="visually-hidden" for="model-code">{move || t().editor_label}</label>
            <textarea
                id="model-code"
                class="code-editor"
                data-testid="model-code"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                wrap="off"
                rows=lines
                aria-invalid=move || matches!(outcome.get(), Outcome::Program(_)).then_some("true")
                aria-describedby=move || matches!(outcome.get(), Outcome::Program(_)).then_some("model-code-error")
                prop:value=move || code.get()
                on:input=move |ev| edit(event_target_value(&ev))
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    // Ctrl/Cmd+Enter runs, as in a notebook.
                    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                        ev.prevent_default();
                        run();
                    }
                }
            ></textarea>
            <div class="cell-actions">
                <button type="button" class="run" data-testid="model-code-run" disabled=move || !ready() || running() on:click=move |_| run()>
                    {move || if running() { t().running } else { t().run }}
                </button>
                <button type="button" data-testid="model-code-train" on:click=train>{move || t().train}</button>
                <button type="button" data-testid="model-code-reset" disabled=move || code.get() == nin_code::BOOK_CODE
                    on:click=move |_| edit(nin_code::BOOK_CODE.to_string())>{move || t().reset}</button>
            </div>
            {move || trained_note.get().map(|note| match note {
                Ok(()) => view! { <p class="note" role="status" data-testid="model-code-sent">{t().sent_to_training}</p> }.into_any(),
                Err(why) => view! { <p class="error" role="status" data-testid="model-code-not-trainable">{why}</p> }.into_any(),
            })}
            <div class="cell-output" aria-live="polite">{move || output(lang.get(), outcome.get())}</div>
        </div>
    }
}

/// The summary table, or the error with its place and the supported layers.
fn output(lang: Lang, outcome: Outcome) -> AnyView {
    let t = lang.code_cell();
    match outcome {
        Outcome::Idle | Outcome::Running => ().into_any(),
        Outcome::Program(e) => {
            let supported = matches!(e.kind, nin_code::ErrorKind::UnknownLayer(_)).then(|| {
                view! { <p class="note">{t.supported}" "<code>{nin_code::SUPPORTED_LAYERS.iter().map(|l| format!("nn.{l}")).collect::<Vec<_>>().join(", ")}</code></p> }
            });
            view! {
                <div class="error" id="model-code-error" data-testid="model-code-error" data-line=e.line data-col=e.col>
                    <p>{code_error(lang, &e)}</p>
                    {supported}
                </div>
            }
            .into_any()
        }
        Outcome::Failed(e) => view! { <p class="error" id="model-code-error" data-testid="model-code-error">{e.to_string()}</p> }.into_any(),
        Outcome::Done(report, backend) => {
            let on = if backend == BackendKind::WebGpu { t.on_gpu } else { t.on_cpu };
            let default_input = (!report.summary_call).then(|| view! { <p class="note" data-testid="model-code-default-input">{t.default_input}</p> });
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label=t.title>
                    <table class="summary model-code-summary">
                        <thead><tr><th scope="col">{t.col_layer}</th><th scope="col">{t.col_shape}</th><th scope="col">{t.params}</th><th scope="col">{t.col_line}</th></tr></thead>
                        <tbody>
                            {report.rows.iter().map(|r| view! {
                                <tr data-testid="model-code-out" data-name=r.name.clone() data-shape=nin_code::format_shape(&r.shape)>
                                    <td>{r.name.clone()}</td>
                                    <td class="num">{nin_code::format_shape(&r.shape)}</td>
                                    <td class="num">{format::grouped(r.params)}</td>
                                    <td class="num">{r.line}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <p>{t.params}": "<strong data-testid="model-code-params" data-value=report.params>{format::grouped(report.params)}</strong>
                    {format!(" · {} ({})", on, format::millis(report.forward_ms))}</p>
                {default_input}
            }
            .into_any()
        }
    }
}
