//! Exercise 4's cell: the memory and computation of the book's NiN for a batch, per layer and in
//! total, under the two conventions `analysis::memory` explains (what must be kept; what Burn
//! keeps, which the training cell checks), the prediction peak, whether the batch fits this
//! backend, and on the CPU backend a measured training step beside the formula.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::exercise_inputs::{Inputs, InputsForm, ShareLink, width};
use super::exercise_predict::Predict;
use super::state::{BackendState, Backends, CPU_MEMORY_BUDGET, GpuMemory};
use crate::analysis::LayerKind;
use crate::client::BackendKind;
use crate::client::TrainSettings;
use crate::client::WorkerFailure;
use crate::exercises::{self, Exercise, Resources};
use crate::format;
use crate::i18n::{self, Lang, exercises as tx};
use crate::model::config::NinConfig;

/// What the measurement button has shown.
#[derive(Clone, Debug, PartialEq)]
enum Measure {
    Idle,
    Running,
    Done { grown: u64, figure: u64, batch: usize, side: usize },
    Failed(String),
}

/// One training step in a fresh CPU worker: how much its WebAssembly memory grew.
async fn measure(settings: TrainSettings) -> Result<u64, WorkerFailure> {
    crate::client::measure_step(NinConfig::book(), settings).await
}

#[component]
pub fn Calculator() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let backends = expect_context::<Backends>();
    let gpu_memory = expect_context::<GpuMemory>();
    let t = move || lang.get().ex();
    let inputs = Inputs::new(Exercise::Resources, 224, 128);
    // Cross-check: the parameter count of the real Burn module (built once on the CPU).
    let module_params = crate::client::module_params(&NinConfig::book());
    let measured = RwSignal::new(Measure::Idle);

    let result = Memo::new(move |_| {
        let lang = lang.get();
        let (side, batch, optimizer) = inputs.parse(lang)?;
        exercises::resources(&NinConfig::book(), side, batch, optimizer).map_err(|e| i18n::analysis_error(lang, &e))
    });
    // New inputs, new question: an old measurement no longer answers it.
    Effect::new(move |_| {
        result.track();
        measured.set(Measure::Idle);
    });

    let fits = move |r: &Resources| {
        let BackendState::Ready(b) = backends.active.get() else { return None };
        let plan = crate::analysis::plan(&NinConfig::book(), crate::analysis::InputShape::new(r.batch, 1, r.side, r.side)).ok()?;
        let (_, largest) = plan.largest_tensor();
        let t = t();
        Some(if largest.max(r.input_bytes) > b.buffer_limit_bytes() {
            ("no", format!("{} ({} > {})", t.not_fits_buffer, format::bytes(largest), format::bytes(b.buffer_limit_bytes())))
        } else if let Some(budget) = gpu_memory.budget(b.kind).filter(|&budget| r.training_bytes() > budget) {
            (
                "no",
                format!(
                    "{} ({} > {}, {})",
                    t.not_fits_memory,
                    format::bytes(r.training_bytes()),
                    format::bytes(budget),
                    match b.kind {
                        BackendKind::WebGpu => "WebGPU",
                        BackendKind::Cpu => "CPU",
                    }
                ),
            )
        } else {
            ("yes", t.fits.to_string())
        })
    };

    let start_measure = move |_| {
        let Ok(r) = result.get_untracked() else { return };
        // The training form's memory check, before a worker is asked: a step too large for
        // the CPU backend's memory crashed the worker; it is refused with the largest batch
        // that fits.
        let cpu = crate::client::CPU_BUFFER_LIMIT_BYTES;
        let settings = match crate::client::settings::measure_step(&NinConfig::book(), r.side, r.batch, r.optimizer, cpu, CPU_MEMORY_BUDGET) {
            Ok(settings) => settings,
            Err(e) => {
                measured.set(Measure::Failed(i18n::train::settings_error(lang.get_untracked(), &e)));
                return;
            }
        };
        measured.set(Measure::Running);
        spawn_local(async move {
            let figure = r.training_burn.saved_for_backward().saturating_add(r.training_burn.backward);
            measured.set(match measure(settings).await {
                Ok(grown) => Measure::Done { grown, figure, batch: r.batch, side: r.side },
                Err(e) => Measure::Failed(i18n::train::measure_failed(lang.get_untracked(), &e)),
            });
        });
    };
    let on_gpu = move || matches!(backends.active.get(), BackendState::Ready(ref b) if b.kind == BackendKind::WebGpu);

    let body = move || {
        let lang = lang.get();
        let t = lang.ex();
        match result.get() {
            Err(message) => view! { <p class="error" data-testid="ex4-error">{message}</p> }.into_any(),
            Ok(r) => {
                let max_act = r.rows.iter().map(|row| row.kept_burn).max().unwrap_or(1);
                let verdict = fits(&r);
                view! {
                    <dl class="totals" data-testid="ex4-totals" data-params=r.total.params.to_string()
                        data-training-bytes=r.training_bytes().to_string() data-training-minimal-bytes=r.training_minimal.total().to_string()
                        data-saved-minimal-bytes=r.training_minimal.saved_for_backward().to_string()
                        data-inference-bytes=r.inference_peak_bytes.to_string()
                        data-training-flops=r.training_flops().to_string()>
                        <dt>{t.params}</dt><dd>{format::grouped(r.total.params)}</dd>
                        <dt>{t.module_check}</dt><dd data-testid="ex4-module-params">{module_params.map(format::grouped).unwrap_or_else(|| "–".into())}</dd>
                        <dt>{t.forward_flops}</dt><dd>{format::flops(r.total.forward_flops)}</dd>
                        <dt>{t.training_flops}</dt><dd>{format::flops(r.training_flops())}</dd>
                        <dt>{t.training_minimal}</dt><dd data-testid="ex4-training-minimal">{format::bytes(r.training_minimal.total())}</dd>
                        <dt>{t.training_burn}</dt><dd data-testid="ex4-training-burn">{format::bytes(r.training_bytes())}</dd>
                        <dt>{t.inference_memory}</dt><dd data-testid="ex4-inference">{format::bytes(r.inference_peak_bytes)}</dd>
                    </dl>
                    <p class="note" data-testid="ex4-conventions">{t.conventions}</p>
                    {verdict.map(|(ok, text)| view! { <p class="fit" data-testid="ex4-fits" data-fits=ok class:error=ok == "no">{text}</p> })}
                    <div class="table-scroll" tabindex="0">
                        <table class="summary dense" data-testid="ex4-table">
                            <thead>
                                <tr>
                                    <th scope="col">{t.layer}</th>
                                    <th scope="col">{t.output}</th>
                                    <th scope="col" class="num">{t.params}</th>
                                    <th scope="col" class="num">{t.weights_grads}</th>
                                    <th scope="col" class="num">{t.opt_state}</th>
                                    <th scope="col" class="num">{t.kept_minimal}</th>
                                    <th scope="col" class="num">{t.kept_burn}</th>
                                    <th scope="col" class="num">{t.forward_flops}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {r.rows.iter().map(|row| {
                                    let name = row.kind.as_ref().map(|k| match k {
                                        LayerKind::NinBlock { index, .. } => format!("NiN {} {index}", lang.try_it().block),
                                        other => other.book_name().to_string(),
                                    }).unwrap_or_default();
                                    view! {
                                        <tr data-testid="ex4-row" data-kept-minimal=row.kept_minimal.to_string() data-kept-burn=row.kept_burn.to_string()>
                                            <th scope="row">{name}</th>
                                            <td><code>{format::shape(&row.output)}</code></td>
                                            <td class="num">{format::grouped(row.params)}</td>
                                            <td class="num">{format::bytes(row.param_bytes)}</td>
                                            <td class="num">{format::bytes(row.optimizer_bytes)}</td>
                                            <td class="num">{format::bytes(row.kept_minimal)}</td>
                                            <td class="num bar-cell"><span class="bar" style=width(row.kept_burn, max_act)></span><span class="bar-label">{format::bytes(row.kept_burn)}</span></td>
                                            <td class="num">{format::flops(row.forward_flops)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                            <tfoot>
                                <tr>
                                    <th scope="row">{t.total}</th>
                                    <td>{format!("+ {} ({})", format::bytes(r.input_bytes), t.input_batch)}</td>
                                    <td class="num">{format::grouped(r.total.params)}</td>
                                    <td class="num">{format::bytes(r.total.param_bytes)}</td>
                                    <td class="num">{format::bytes(r.total.optimizer_bytes)}</td>
                                    <td class="num">{format::bytes(r.total.kept_minimal)}</td>
                                    <td class="num">{format::bytes(r.total.kept_burn)}</td>
                                    <td class="num">{format::flops(r.total.forward_flops)}</td>
                                </tr>
                            </tfoot>
                        </table>
                    </div>
                }
                .into_any()
            }
        }
    };

    let measurement = move || {
        let t = t();
        if on_gpu() {
            return view! { <p class="note" data-testid="ex4-measure-gpu">{t.measure_gpu}</p> }.into_any();
        }
        view! {
            <p class="measure">
                <button type="button" data-testid="ex4-measure" disabled=move || measured.get() == Measure::Running || result.get().is_err() on:click=start_measure>
                    {move || t.measure_step}
                </button>
                " "
                {move || match measured.get() {
                    Measure::Idle => ().into_any(),
                    Measure::Running => view! { <span data-testid="ex4-measuring">{t.measuring}</span> }.into_any(),
                    Measure::Done { grown, figure, batch, side } => view! {
                        <span data-testid="ex4-measured" data-grown=grown.to_string() data-figure=figure.to_string()>{tx::measured_step(lang.get(), grown, figure, batch, side)}</span>
                    }.into_any(),
                    Measure::Failed(e) => view! { <span class="error" data-testid="ex4-measure-error">{e}</span> }.into_any(),
                }}
            </p>
        }
        .into_any()
    };

    view! {
        <div class="cell exercise-cell" data-testid="ex4-cell">
            <div class="cell-head">
                <span class="cell-label">{move || lang.get().ui().cell}</span>
                <h4>{move || t().resources_title}</h4>
            </div>
            // The formulas come before the question: they are what a student predicts with.
            <details class="formulas">
                <summary>{move || t().formulas}</summary>
                <ul>
                    <li>{move || t().formula_params}</li>
                    <li>{move || t().formula_flops}</li>
                    <li>{move || t().formula_train}</li>
                    <li>{move || t().formula_infer}</li>
                </ul>
            </details>
            <Predict exercise=Exercise::Resources>
                <InputsForm inputs=inputs prefix="ex4"/>
                {body}
                {measurement}
                <ShareLink exercise=Exercise::Resources inputs=inputs/>
            </Predict>
        </div>
    }
}
