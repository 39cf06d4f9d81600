//! The shape-summary cell: input fields, Run, status, and the per-layer table from the real
//! forward pass checked against the pure analysis.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use serde::{Deserialize, Serialize};

use super::run_all::{LastRan, RunAll, Step};
use super::state::{BackendState, Backends, GpuMemory};
use crate::analysis::InputShape;
use crate::client::{BackendKind, CpuReason, SummaryError, SummaryReport};
use crate::figure::map_tiles;
use crate::format;
use crate::i18n::{self, Lang};
use crate::model::config::NinConfig;

/// The cell's state.
#[derive(Clone, Debug, PartialEq)]
enum CellStatus {
    Idle,
    Running,
    /// `restored`: shown from the last visit, not computed in this one.
    Done {
        report: SummaryReport,
        backend: BackendKind,
        restored: bool,
    },
    Failed(CellError),
}

/// A failure the cell shows, rendered in the current language.
#[derive(Clone, Debug, PartialEq)]
enum CellError {
    /// Every field whose text broke its rule (each shown at its field).
    Fields(Vec<(Field, crate::fields::FieldError)>),
    Run(SummaryError),
    /// Too large for the GPU's memory: it ran out now (`now`), or a request of `ran_out_at`
    /// bytes ran out before; the largest batch that fits under it. WebGPU stays on.
    GpuMemory {
        batch: usize,
        needed: u64,
        ran_out_at: u64,
        now: bool,
        largest_fits: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Field {
    Batch,
    Channels,
    Height,
    Width,
}

impl Field {
    /// What the field accepts: sides from NiN's smallest input up.
    fn rule(self) -> crate::fields::Rule {
        match self {
            Field::Batch => crate::fields::BATCH,
            Field::Channels => crate::fields::CHANNELS,
            Field::Height | Field::Width => crate::fields::SIDE,
        }
    }

    /// The field's name in the page: its input is `shape-<id>`, its message `shape-error-<id>`.
    fn id(self) -> &'static str {
        match self {
            Field::Batch => "batch",
            Field::Channels => "channels",
            Field::Height => "height",
            Field::Width => "width",
        }
    }

    fn error(self, lang: Lang, e: &crate::fields::FieldError) -> String {
        i18n::field_error(lang, self.label(lang), self.rule(), e)
    }

    fn label(self, lang: Lang) -> &'static str {
        let t = lang.ui();
        match self {
            Field::Batch => t.batch,
            Field::Channels => t.channels,
            Field::Height => t.height,
            Field::Width => t.width,
        }
    }
}

impl CellError {
    fn message(&self, lang: Lang) -> String {
        match self {
            CellError::Fields(refused) => refused.iter().map(|(f, e)| f.error(lang, e)).collect::<Vec<_>>().join(" "),
            CellError::Run(e) => i18n::summary_error(lang, e),
            CellError::GpuMemory { batch, needed, ran_out_at, now, largest_fits } => {
                i18n::summary_out_of_memory(lang, *batch, *needed, *ran_out_at, *now, *largest_fits)
            }
        }
    }

    /// A smaller batch to offer.
    fn smaller_batch(&self) -> Option<usize> {
        match self {
            CellError::GpuMemory { largest_fits, .. } => (*largest_fits > 0).then_some(*largest_fits),
            _ => None,
        }
    }
}

/// Parses one field under its rule. A side from 1 to 66 passes to the analysis, whose error
/// says where in the network such a small map runs out (and that 67 is the smallest).
fn parse_field(field: Field, text: &str) -> (Field, Result<usize, crate::fields::FieldError>) {
    let lenient = match field.rule() {
        crate::fields::Rule::Whole { max, .. } if matches!(field, Field::Height | Field::Width) => crate::fields::Rule::Whole { min: 1, max },
        rule => rule,
    };
    (field, crate::fields::whole_usize(text, lenient))
}

/// The input the fields describe, or every field that broke its rule.
fn parse_input(batch: &str, channels: &str, height: &str, width: &str) -> Result<InputShape, CellError> {
    let [b, c, h, w] = crate::fields::collect([
        parse_field(Field::Batch, batch),
        parse_field(Field::Channels, channels),
        parse_field(Field::Height, height),
        parse_field(Field::Width, width),
    ])
    .map_err(CellError::Fields)?;
    Ok(InputShape::new(b, c, h, w))
}

/// The error for a summary of `needed` bytes when a request of `ran_out_at` bytes ran out of
/// GPU memory (this one, when `now`), with the largest batch under it.
fn too_large(config: &NinConfig, input: InputShape, needed: u64, ran_out_at: u64, now: bool) -> CellError {
    let largest_fits = crate::client::largest_batch_within(config, input, ran_out_at.saturating_sub(1)).unwrap_or(0);
    CellError::GpuMemory { batch: input.batch, needed, ran_out_at, now, largest_fits }
}

/// What the cell keeps across reloads: its inputs and its last result.
#[derive(Serialize, Deserialize)]
struct Saved {
    inputs: [String; 4],
    result: Option<(SummaryReport, BackendKind)>,
}

const SAVE_KEY: &str = "nin.cell.shape-summary.v1";

#[component]
pub fn ShapeSummaryCell() -> impl IntoView {
    let backends = expect_context::<Backends>();
    let gpu_memory = expect_context::<GpuMemory>();
    let lang = expect_context::<RwSignal<Lang>>();
    let t = move || lang.get().ui();
    let saved: Option<Saved> = super::storage::get(SAVE_KEY, super::storage::Stored::ShapeCell);
    let [b0, c0, h0, w0] = saved.as_ref().map(|s| s.inputs.clone()).unwrap_or_else(|| ["1", "1", "224", "224"].map(String::from));
    let batch = RwSignal::new(b0);
    let channels = RwSignal::new(c0);
    let height = RwSignal::new(h0);
    let width = RwSignal::new(w0);
    let status = RwSignal::new(match saved.and_then(|s| s.result) {
        Some((report, backend)) => CellStatus::Done { report, backend, restored: true },
        None => CellStatus::Idle,
    });
    let save = move |result: Option<(SummaryReport, BackendKind)>| {
        let inputs = [batch.get_untracked(), channels.get_untracked(), height.get_untracked(), width.get_untracked()];
        super::storage::set(SAVE_KEY, &Saved { inputs, result }, super::storage::Stored::ShapeCell);
    };
    // Counts finished runs, so a test (or a screen reader) can tell a new result from the last.
    let finished = RwSignal::new(0u32);

    let ready = move || matches!(backends.active.get(), BackendState::Ready(_));
    let running = move || status.get() == CellStatus::Running;

    let run = move || {
        let BackendState::Ready(backend) = backends.active.get_untracked() else { return };
        let input = match parse_input(&batch.get_untracked(), &channels.get_untracked(), &height.get_untracked(), &width.get_untracked()) {
            Ok(input) => input,
            Err(message) => {
                status.set(CellStatus::Failed(message));
                finished.update(|n| *n += 1);
                save(None);
                return;
            }
        };
        let config = NinConfig::book();
        // What the GPU's memory allows, as far as this page has learned it.
        let needed = crate::client::summary_bytes(&config, input).ok();
        if backend.kind == BackendKind::WebGpu
            && let (Some(needed), Some(budget)) = (needed, gpu_memory.budget(BackendKind::WebGpu))
            && needed > budget
        {
            status.set(CellStatus::Failed(too_large(&config, input, needed, budget.saturating_add(1), false)));
            finished.update(|n| *n += 1);
            save(None);
            return;
        }
        status.set(CellStatus::Running);
        spawn_local(async move {
            // Let the browser paint "running" before the work starts.
            TimeoutFuture::new(0).await;
            // On WebGPU the GPU worker computes it (the page's own module has only the CPU backend).
            let result = crate::client::summary(&backend, &config, input).await;
            // Out of GPU memory: the request was too large, the GPU is fine; remember how much
            // it needed and offer a batch under it. Any other GPU failure: the page goes on on
            // the CPU and says why.
            let mut ran_out = None;
            match &result {
                Err(SummaryError::Gpu(fault)) if fault.is_out_of_memory() && backend.kind == BackendKind::WebGpu => {
                    let needed = needed.unwrap_or(u64::MAX);
                    gpu_memory.ran_out_at(needed);
                    ran_out = Some(too_large(&config, input, needed, needed, true));
                }
                Err(SummaryError::Gpu(fault)) => backends.webgpu_failed(CpuReason::PageGpuFailed(fault.clone())),
                Err(SummaryError::Worker(what)) => backends.webgpu_failed(CpuReason::WorkerCrashed(what.clone())),
                Ok(_) if backend.kind == BackendKind::WebGpu => gpu_memory.went_through(),
                _ => {}
            }
            save(result.as_ref().ok().map(|r| (r.clone(), backend.kind)));
            status.set(match (result, ran_out) {
                (_, Some(error)) => CellStatus::Failed(error),
                (Ok(report), _) => CellStatus::Done { report, backend: backend.kind, restored: false },
                (Err(e), _) => CellStatus::Failed(CellError::Run(e)),
            });
            finished.update(|n| *n += 1);
        });
    };

    // "Run all" runs this one in its turn.
    expect_context::<RunAll>().take_part(
        Step::Shape,
        move || {
            run();
            Ok(())
        },
        finished.into(),
    );

    // The refusal of one field, if it broke its rule (every refused field shows its own).
    let refusal = move |which: Field| match status.get() {
        CellStatus::Failed(CellError::Fields(refused)) => refused.into_iter().find(|(f, _)| *f == which).map(|(_, e)| e),
        _ => None,
    };
    let field = move |which: Field, id: &'static str, value: RwSignal<String>| {
        let error_id = format!("shape-error-{}", which.id());
        let described_by = error_id.clone();
        view! {
            <div class="field">
                <label for=id>{move || which.label(lang.get())}</label>
                <input
                    id=id
                    aria-invalid=move || refusal(which).is_some().then_some("true")
                    aria-describedby=move || refusal(which).is_some().then(|| described_by.clone())
                    // Text, not number: a number input hands over "" for "abc" in Firefox,
                    // and the field's rule message should quote what was typed.
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    data-testid=id
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                {move || refusal(which).map(|e| view! {
                    <small class="error field-error" id=error_id.clone() data-testid=error_id.clone()>{which.error(lang.get(), &e)}</small>
                })}
            </div>
        }
    };

    view! {
        <div class="cell" id="shape-cell" data-testid="shape-cell">
            <div class="cell-head">
                <span class="cell-title">{move || format!("{} · {}", t().cell, t().shape_cell_title)}</span>
                <span class="cell-status" data-testid="cell-status" data-status=move || status_key(&status.get()) data-finished=move || finished.get()>
                    {move || status_text(lang.get(), &status.get())}
                </span>
                <LastRan done=finished.into()/>
            </div>
            <form
                class="cell-inputs"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    run();
                }
            >
                <fieldset>
                    <legend>{move || t().input_legend}</legend>
                    {field(Field::Batch, "shape-batch", batch)}
                    {field(Field::Channels, "shape-channels", channels)}
                    {field(Field::Height, "shape-height", height)}
                    {field(Field::Width, "shape-width", width)}
                </fieldset>
                <button type="submit" class="run" data-testid="shape-run" disabled=move || !ready() || running()>
                    {move || if running() { t().running } else { t().run }}
                </button>
            </form>
            <div class="cell-output" aria-live="polite">
                {move || {
                    let lang = lang.get();
                    match status.get() {
                        CellStatus::Idle => view! { <p class="hint">{lang.ui().shape_hint}</p> }.into_any(),
                        CellStatus::Running => view! { <div class="progress indeterminate" role="progressbar" aria-label=lang.ui().progress_forward><span></span></div> }.into_any(),
                        // Each refused field shows its own message, under the field.
                        CellStatus::Failed(CellError::Fields(refused)) => view! {
                            <p class="hint" data-testid="shape-fields-refused" data-refusals=refused.len().to_string()>{lang.train().fields_refused}</p>
                        }
                        .into_any(),
                        CellStatus::Failed(error) => {
                            let smaller = error.smaller_batch();
                            view! {
                                <p class="error" role="alert" data-testid="cell-error">{error.message(lang)}</p>
                                {smaller.map(|n| view! {
                                    <button type="button" data-testid="shape-use-batch" on:click=move |_| {
                                        batch.set(n.to_string());
                                        run();
                                    }>{format!("{} {n}", lang.train().use_batch)}</button>
                                })}
                            }
                            .into_any()
                        }
                        CellStatus::Done { report, backend, restored } => view! {
                            {restored.then(|| view! { <p class="hint" data-testid="restored">{lang.ui().restored_note}</p> })}
                            {summary_table(lang, report, backend)}
                        }.into_any(),
                    }
                }}
            </div>
        </div>
    }
}

fn status_key(status: &CellStatus) -> &'static str {
    match status {
        CellStatus::Idle => "idle",
        CellStatus::Running => "running",
        CellStatus::Done { .. } => "done",
        CellStatus::Failed(_) => "error",
    }
}

fn status_text(lang: Lang, status: &CellStatus) -> &'static str {
    let t = lang.ui();
    match status {
        CellStatus::Idle => t.status_idle,
        CellStatus::Running => t.status_running,
        CellStatus::Done { .. } => t.status_done,
        CellStatus::Failed(_) => t.status_error,
    }
}

fn summary_table(lang: Lang, report: SummaryReport, backend: BackendKind) -> impl IntoView {
    let t = lang.ui();
    let maps = map_strip(lang, &report);
    let total_params = report.plan.total_params();
    let total_flops = report.plan.total_flops();
    let max_flops = report.plan.rows.iter().map(|r| r.flops).max().unwrap_or(1).max(1);
    let rows = report
        .plan
        .rows
        .iter()
        .zip(&report.measured_shapes)
        .enumerate()
        .map(|(i, (row, measured))| {
            let share = row.flops as f64 / max_flops as f64 * 100.0;
            view! {
                <tr data-testid="shape-row">
                    <td class="num">{i + 1}</td>
                    <td>{i18n::layer_label(lang, &row.kind)}</td>
                    <td><code>{row.kind.book_name()}</code></td>
                    <td><code data-testid="shape-out">{format::shape(measured)}</code></td>
                    <td class="num" data-testid="row-params">{format::grouped(row.params)}</td>
                    <td class="num bar-cell">
                        <span class="bar" style=format!("width:{share:.1}%")></span>
                        <span class="bar-label">{format::flops(row.flops)}</span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let backend_name = match backend {
        BackendKind::WebGpu => t.webgpu_name,
        BackendKind::Cpu => t.cpu_name,
    };
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="summary" data-testid="shape-table">
                <caption>
                    {t.input} " " <code>{format::shape(&report.plan.input.dims().map(|d| d as u64))}</code>
                    ". " {t.shapes_checked}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">{t.col_layer}</th>
                        <th scope="col">{t.col_book}</th>
                        <th scope="col">{t.col_shape}</th>
                        <th scope="col" class="num">{t.col_params}</th>
                        <th scope="col" class="num">{t.col_flops}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="4">{t.total}</th>
                        <td class="num" data-testid="total-params">{format::grouped(total_params)}</td>
                        <td class="num" data-testid="total-flops">{format::flops(total_flops)}</td>
                    </tr>
                </tfoot>
            </table>
        </div>
        <p class="measure" data-testid="forward-time" data-ms=format!("{:.3}", report.forward_ms)>
            {t.forward_on} " " {backend_name} ": " <strong>{format::millis(report.forward_ms)}</strong>
            // Only WebGPU compiles kernels on its first run; the CPU backend has none to compile.
            {(backend == BackendKind::WebGpu).then(|| lang.msg().aside(t.first_run_note))}
            {lang.msg().stop_gap()} {t.params_from_module} ": "
            <span data-testid="module-params">{format::grouped(report.module_params)}</span> {lang.msg().stop()}
        </p>
        <p class="note">{t.flop_convention}</p>
        {maps}
    }
}

/// The feature maps of the run drawn to scale, left to right.
fn map_strip(lang: Lang, report: &SummaryReport) -> AnyView {
    let t = lang.ui();
    let tiles = map_tiles(&report.plan, 112.0);
    let tile_views = tiles
        .into_iter()
        .map(|tile| {
            let label = if tile.row == 0 { t.maps_input.to_string() } else { format!("#{}", tile.row) };
            view! {
                <figure class="map-tile" data-testid="map-tile">
                    <div class="map-box">
                        <span style=format!("width:{:.1}px;height:{:.1}px", tile.draw_width, tile.draw_height)></span>
                    </div>
                    <figcaption>
                        <strong>{label}</strong><br/>
                        {format!("{}×{}", tile.height, tile.width)}<br/>
                        {lang.msg().channel_count(tile.channels)}
                    </figcaption>
                </figure>
            }
        })
        .collect_view();
    view! {
        <div class="maps">
            <p class="note">{t.maps_title}</p>
            <div class="map-strip" tabindex="0">{tile_views}</div>
        </div>
    }
    .into_any()
}
