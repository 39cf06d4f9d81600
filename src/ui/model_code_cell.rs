//! The model cell (issue 28): the book's own PyTorch code, editable; Run prints the book's layer
//! summary of whatever net the code describes, computed on the page's backend through
//! `client::code_summary`; "Train this model" hands a NiN-shaped net to the training cell.
//! What the student types is kept in localStorage on every keystroke (and so across reloads and
//! languages); "Back to the book's code" restores the original. Beside the editor, a tab shows the
//! same net's Burn code (`model_code_rust`); "Share" puts the program in a link, and what a link,
//! an exercise or the book's code replaces is kept for "Restore it" (`model_code_share`).

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::model_code_rust::RustCode;
use super::model_code_share::{CodeTab, KeptNotice, ShareCode};
use super::run_all::{LastRan, RunAll, Step};
use super::runs::TrainTarget;
use super::state::{BackendState, Backends};
use crate::client::{BackendKind, CodeReport, CodeRunError};
use crate::format;
use crate::i18n::Lang;
use crate::i18n::code::{code_error, not_trainable};

pub use super::model_code_share::ModelCode;

/// The cell's state after Run.
#[derive(Clone, PartialEq)]
enum Outcome {
    Idle,
    /// The arithmetic's table, printed at once; the forward pass that checks it is under way.
    Checking(CodeReport, BackendKind),
    /// Every row confirmed by the forward pass (the report's shapes are the measured ones).
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
    let code = model_code.text;
    let outcome = RwSignal::new(Outcome::Idle);
    let finished = RwSignal::new(0u32);
    let trained_note = RwSignal::new(None::<Result<(), String>>);
    let edit = move |text: String| {
        model_code.set(text);
        trained_note.set(None);
    };
    let ready = move || matches!(backends.active.get(), BackendState::Ready(_));
    let running = move || outcome.with(|o| matches!(o, Outcome::Checking(..)));
    // Which Run printed the table on screen (a test times Run to the printed table by it).
    let started = RwSignal::new(0u32);

    let run = move || {
        let BackendState::Ready(backend) = backends.active.get_untracked() else { return };
        if outcome.with_untracked(|o| matches!(o, Outcome::Checking(..))) {
            return;
        }
        let source = code.get_untracked();
        // The program first, on the page: a bad one never reaches a worker. A good one's table,
        // from the shape arithmetic, is printed at once; the forward pass then checks each row.
        match crate::client::planned_code_report(&source) {
            Err(e) => {
                outcome.set(Outcome::Program(e));
                finished.update(|n| *n += 1);
                return;
            }
            Ok(planned) => outcome.set(Outcome::Checking(planned, backend.kind)),
        }
        started.update(|n| *n += 1);
        spawn_local(async move {
            // The CPU's forward pass holds the page's thread: let the table reach the screen first.
            after_paint().await;
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

    // "Run all" runs the program in its turn.
    expect_context::<RunAll>().take_part(
        Step::ModelCode,
        move || {
            run();
            Ok(())
        },
        finished.into(),
    );

    let lines = move || code.get().lines().count().max(1) + 1;
    let tab = model_code.tab;
    view! {
        <div class="cell model-code-cell" id="model-code-cell" data-testid="model-code-cell">
            <div class="cell-head">
                <span class="cell-title">{move || t().title}</span>
                <span class="cell-status" data-testid="model-code-status" data-finished=move || finished.get()
                    data-status=move || outcome.with(|o| match o { Outcome::Idle => "idle", Outcome::Checking(..) => "running", Outcome::Done(..) => "done", _ => "error" })>
                    {move || running().then(|| t().running)}
                </span>
                <LastRan done=finished.into()/>
            </div>
            <p class="note">{move || t().note}</p>
            <div class="code-tabs" role="tablist" aria-label=move || t().tabs_label on:keydown=move |ev: web_sys::KeyboardEvent| {
                // Arrow keys, Home and End move between the tabs (WAI-ARIA tabs, selection follows focus).
                let next = match (ev.key().as_str(), tab.get_untracked()) {
                    ("ArrowLeft" | "ArrowRight", CodeTab::PyTorch) | ("End", _) => CodeTab::Rust,
                    ("ArrowLeft" | "ArrowRight", CodeTab::Rust) | ("Home", _) => CodeTab::PyTorch,
                    _ => return,
                };
                ev.prevent_default();
                tab.set(next);
                focus_tab(next);
            }>
                {[(CodeTab::PyTorch, "pytorch"), (CodeTab::Rust, "rust")].into_iter().map(|(which, id)| view! {
                    <button type="button" role="tab" id=format!("model-code-tab-{id}") data-testid=format!("model-code-tab-{id}")
                        aria-controls=format!("model-code-panel-{id}") aria-selected=move || (tab.get() == which).to_string()
                        tabindex=move || if tab.get() == which { "0" } else { "-1" } on:click=move |_| tab.set(which)>
                        {move || if which == CodeTab::PyTorch { t().tab_pytorch } else { t().tab_rust }}
                    </button>
                }).collect_view()}
            </div>
            <div role="tabpanel" id="model-code-panel-pytorch" aria-labelledby="model-code-tab-pytorch" hidden=move || tab.get() != CodeTab::PyTorch>
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
                    aria-invalid=move || outcome.with(|o| matches!(o, Outcome::Program(_))).then_some("true")
                    aria-describedby=move || outcome.with(|o| matches!(o, Outcome::Program(_))).then_some("model-code-error")
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
            </div>
            <div role="tabpanel" id="model-code-panel-rust" class="model-code-rust-panel" aria-labelledby="model-code-tab-rust" hidden=move || tab.get() != CodeTab::Rust>
                <RustCode/>
            </div>
            <div class="cell-actions">
                <button type="button" class="run" data-testid="model-code-run" disabled=move || !ready() || running() on:click=move |_| run()>
                    {move || if running() { t().running } else { t().run }}
                </button>
                <button type="button" data-testid="model-code-train" on:click=train>{move || t().train}</button>
                <button type="button" data-testid="model-code-reset" disabled=move || code.get() == nin_code::BOOK_CODE
                    on:click=move |_| {
                        model_code.reset();
                        trained_note.set(None);
                    }>{move || t().reset}</button>
                <ShareCode/>
            </div>
            <KeptNotice/>
            {move || trained_note.get().map(|note| match note {
                Ok(()) => view! { <p class="note" role="status" data-testid="model-code-sent">{t().sent_to_training}</p> }.into_any(),
                Err(why) => view! { <p class="error" role="status" data-testid="model-code-not-trainable">{why}</p> }.into_any(),
            })}
            <div class="cell-output" aria-live="polite">{move || output(lang.get(), outcome.get(), started.get())}</div>
        </div>
    }
}

/// Resolves once the browser has painted what is on screen now: a frame's callback runs just
/// before that frame's paint, and a timer set there fires after it.
async fn after_paint() {
    let (painted, frame) = futures::channel::oneshot::channel();
    request_animation_frame(move || {
        let _ = painted.send(());
    });
    let _ = frame.await;
    TimeoutFuture::new(0).await;
}

/// Moves the focus to a tab's button (the arrow keys' part of the tabs pattern).
fn focus_tab(which: CodeTab) {
    let id = if which == CodeTab::PyTorch { "model-code-tab-pytorch" } else { "model-code-tab-rust" };
    let button = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(button) = button.and_then(|b| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(b).ok()) {
        let _ = button.focus();
    }
}

/// The summary table (the arithmetic's while the forward pass checks it, then the measured
/// one), or the error with its place and the supported layers.
fn output(lang: Lang, outcome: Outcome, run: u32) -> AnyView {
    let t = lang.code_cell();
    match outcome {
        Outcome::Idle => ().into_any(),
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
        Outcome::Checking(report, backend) | Outcome::Done(report, backend) => {
            let on = if backend == BackendKind::WebGpu { t.on_gpu } else { t.on_cpu };
            let checked = report.forward_ms.is_some();
            let how = match report.forward_ms {
                Some(ms) => format!(" · {}: {on} ({})", t.checked, format::millis(ms)),
                None => format!(" · {}", t.checking),
            };
            let default_input = (!report.summary_call).then(|| view! { <p class="note" data-testid="model-code-default-input">{t.default_input}</p> });
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label=t.title>
                    <table class="summary model-code-summary" data-testid="model-code-table" data-run=run data-checked=checked.to_string() aria-busy=(!checked).to_string()>
                        <thead><tr><th scope="col">{t.col_layer}</th><th scope="col">{t.col_shape}</th><th scope="col">{t.params}</th><th scope="col">{t.col_line}</th></tr></thead>
                        <tbody>
                            {report.rows.iter().map(|r| view! {
                                <tr data-testid="model-code-out" data-name=r.name.clone() data-shape=nin_code::format_shape(&r.shape)>
                                    <td>{r.name.clone()}</td>
                                    <td class="num" class:pending=!checked>{nin_code::format_shape(&r.shape)}{checked.then_some(" ✓")}</td>
                                    <td class="num">{format::grouped(r.params)}</td>
                                    <td class="num">{r.line}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <p>{t.params}": "<strong data-testid="model-code-params" data-value=report.params>{format::grouped(report.params)}</strong>
                    <span data-testid="model-code-check">{how}</span></p>
                {default_input}
            }
            .into_any()
        }
    }
}
