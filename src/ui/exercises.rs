//! The six exercises: each question with a cell that measures its answer, shown once the student
//! has predicted it or skipped (`exercise_predict`). Exercises 1, 2, 3, 5 and 6 compare model
//! variants (parameters, FLOPs, shapes, memory) with bars and a sentence written from the
//! numbers; exercise 4's per-layer resource calculator is in `exercise4`.

use leptos::prelude::*;

use super::exercise_inputs::{Inputs, InputsForm, ShareLink, width};
use super::exercise_predict::Predict;
use super::figure::FigPair;
use super::prose::Paragraph;
use super::runs::TrainTarget;

use crate::exercises::{self, Costs, Exercise};
use crate::format;
use crate::i18n::{self, Lang, exercises as tx};
use crate::model::config::{NinConfig, StageConfig, VGG11, VGG16, VGG19};

/// Makes `key` of `exercise` the training cell's model and scrolls to that cell.
fn send_to_training(target: TrainTarget, exercise: Exercise, key: &'static str) {
    let Some(v) = exercises::variants(exercise).into_iter().find(|v| v.key == key) else { return };
    target.0.set((key, v.config));
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector("[data-testid=train-cell]").ok().flatten()) {
        el.scroll_into_view();
    }
}

/// Exercises 1, 2, 3, 5, 6: the variants side by side.
#[component]
fn Comparison(exercise: Exercise) -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let t = move || lang.get().ex();
    let inputs = Inputs::new(exercise, 224, 32);
    let prefix = exercise.id();
    let target = expect_context::<TrainTarget>();
    let model_code = expect_context::<super::model_code_cell::ModelCode>();

    let results = Memo::new(move |_| {
        let lang = lang.get();
        inputs.parse(lang).map(|(side, batch, optimizer)| {
            exercises::variants(exercise)
                .into_iter()
                .map(|v| {
                    let costs = exercises::costs(&v.config, side, batch, optimizer).map_err(|e| i18n::analysis_error(lang, &e));
                    (v.key, v.baseline, costs)
                })
                .collect::<Vec<(&'static str, bool, Result<Costs, String>)>>()
        })
    });

    let table = move || {
        let lang = lang.get();
        let t = lang.ex();
        match results.get() {
            Err(message) => view! { <p class="error" data-testid=format!("{prefix}-error")>{message}</p> }.into_any(),
            Ok(rows) => {
                let ok: Vec<&Costs> = rows.iter().filter_map(|(_, _, c)| c.as_ref().ok()).collect();
                let max_params = ok.iter().map(|c| c.params).max().unwrap_or(1);
                let max_flops = ok.iter().map(|c| c.forward_flops).max().unwrap_or(1);
                let max_train = ok.iter().map(|c| c.training_bytes).max().unwrap_or(1);
                // Each variant against what it is compared with (the book's model; in exercise 6 a
                // VGG against its own NiN member), when both could be measured.
                let sentences: Vec<String> = rows
                    .iter()
                    .filter_map(|(k, _, c)| {
                        let c = c.as_ref().ok()?;
                        let bk = exercises::compared_with(exercise, k)?;
                        let b = rows.iter().find(|(key, _, _)| *key == bk)?.2.as_ref().ok()?;
                        Some(tx::compare_sentence(
                            lang,
                            tx::variant_label(lang, k),
                            tx::variant_label(lang, bk),
                            c.params,
                            b.params,
                            c.forward_flops as f64 / b.forward_flops.max(1) as f64,
                            c.training_bytes as f64 / b.training_bytes.max(1) as f64,
                        ))
                    })
                    .collect();
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="summary compare" data-testid=format!("{prefix}-table")>
                            <thead>
                                <tr>
                                    <th scope="col">{t.model}</th>
                                    <th scope="col" class="num">{t.params}</th>
                                    <th scope="col" class="num">{t.flops_per_image}</th>
                                    <th scope="col">{t.body_output}</th>
                                    <th scope="col" class="num">{t.train_memory}</th>
                                    <th scope="col" class="num">{t.infer_memory}</th>
                                    <th scope="col"><span class="visually-hidden">{t.train_variant}</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().map(|(key, baseline, costs)| {
                                    let label = tx::variant_label(lang, key);
                                    match costs {
                                        Ok(c) => view! {
                                            <tr data-testid="variant-row" data-key=key data-params=c.params.to_string() data-flops=c.forward_flops.to_string() class:baseline=baseline>
                                                <th scope="row">{label}</th>
                                                <td class="num bar-cell"><span class="bar" style=width(c.params, max_params)></span><span class="bar-label">{format::grouped(c.params)}</span></td>
                                                <td class="num bar-cell"><span class="bar" style=width(c.forward_flops, max_flops)></span><span class="bar-label">{format::flops(c.forward_flops)}</span></td>
                                                <td><code>{format::shape(&c.body_output)}</code></td>
                                                <td class="num bar-cell"><span class="bar" style=width(c.training_bytes, max_train)></span><span class="bar-label">{format::bytes(c.training_bytes)}</span></td>
                                                <td class="num">{format::bytes(c.inference_bytes)}</td>
                                                <td>
                                                    <button type="button" class="small" data-testid="train-variant" data-key=key
                                                        on:click=move |_| send_to_training(target, exercise, key)>{t.train_variant}</button>
                                                    {exercises::code_edits::edited_code(exercise, key).map(|code| view! {
                                                        " "
                                                        <button type="button" class="small" data-testid="open-in-editor" data-key=key
                                                            on:click=move |_| model_code.open(code.clone())>{lang.code_cell().open_in_editor}</button>
                                                    })}
                                                </td>
                                            </tr>
                                        }.into_any(),
                                        Err(message) => view! {
                                            <tr data-testid="variant-row" data-key=key data-error="true">
                                                <th scope="row">{label}</th>
                                                <td colspan="6" class="error" data-testid="variant-error">{message}</td>
                                            </tr>
                                        }.into_any(),
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <h4>{t.what_it_shows}</h4>
                    <ul class="findings" data-testid=format!("{prefix}-findings")>
                        {sentences.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                    </ul>
                }
                .into_any()
            }
        }
    };

    // What a question needs before the prediction (the variant's definition), and what belongs
    // to the answer (the figures, the note on fixed input sizes). Built once (the family figure
    // keeps its chosen member across a language switch); only the notes follow the language.
    let definition = match exercise {
        Exercise::Family => Some(view! { <p class="note">{move || t().family_definition}</p> }.into_any()),
        Exercise::Reduction => Some(view! { <p class="note">{move || t().gradual_definition}</p> }.into_any()),
        _ => None,
    };
    let extra = match exercise {
        Exercise::Head => Some(view! { <p class="note">{move || t().head_note}</p> }.into_any()),
        Exercise::Family => Some(view! { <FamilyFigure/> }.into_any()),
        Exercise::Reduction => Some(view! { <Widths/> }.into_any()),
        _ => None,
    };

    view! {
        <div class="cell exercise-cell" data-testid=format!("{prefix}-cell")>
            <div class="cell-head">
                <span class="cell-label">{move || lang.get().ui().cell}</span>
                <h4>{move || t().compare_title}</h4>
            </div>
            {definition}
            <Predict exercise=exercise>
                {extra}
                <InputsForm inputs=inputs prefix=prefix/>
                {table}
                <ShareLink exercise=exercise inputs=inputs/>
                <p class="note">{move || t().train_note}</p>
            </Predict>
        </div>
    }
}

/// Exercise 6's picture: a chosen VGG next to its NiN family member.
#[component]
fn FamilyFigure() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let member = RwSignal::new("11".to_string());
    let figure = move || {
        let (layout, vgg_title, nin_title): (&[(usize, usize)], &'static str, &'static str) = match member.get().as_str() {
            "16" => (&VGG16, "VGG-16", "NiN-16"),
            "19" => (&VGG19, "VGG-19", "NiN-19"),
            _ => (&VGG11, "VGG-11", "NiN-11"),
        };
        view! { <FigPair left=NinConfig::vgg(layout, 10) left_title=vgg_title right=exercises::nin_from_vgg(layout) right_title=nin_title/> }
    };
    view! {
        <label class="field">
            <span>{move || lang.get().ex().model}</span>
            <select data-testid="ex6-member" prop:value=move || member.get() on:change:target=move |ev| member.set(ev.target().value())>
                <option value="11">"VGG-11 / NiN-11"</option>
                <option value="16">"VGG-16 / NiN-16"</option>
                <option value="19">"VGG-19 / NiN-19"</option>
            </select>
        </label>
        {figure}
    }
}

/// Exercise 5's picture: channel widths of the last block's convolutions, book vs gradual.
#[component]
fn Widths() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let last_widths = |config: &NinConfig| -> Vec<usize> {
        match config.stages.last() {
            Some(StageConfig::Block(b)) => std::iter::once(384).chain(b.channels.iter().copied()).collect(),
            _ => vec![],
        }
    };
    let rows = [("book", last_widths(&NinConfig::book())), ("gradual", last_widths(&exercises::gradual_reduction()))];
    view! {
        <figure class="widths" data-testid="ex5-widths">
            <figcaption>{move || lang.get().ex().widths_title}</figcaption>
            {rows.into_iter().map(|(key, widths)| view! {
                <div class="width-row">
                    <span class="width-label">{move || tx::variant_label(lang.get(), key)}</span>
                    <span class="width-bars">
                        {widths.into_iter().map(|w| view! {
                            <span class="width-bar" style=format!("height:{:.1}px", 6.0 + 60.0 * (w as f64 / 384.0)) title=w.to_string()>
                                <small>{w}</small>
                            </span>
                        }).collect_view()}
                    </span>
                </div>
            }).collect_view()}
        </figure>
    }
}

/// Exercise 4: parameters, FLOPs and memory per layer, with the formulas.
/// Every exercise: its number, the question, what the cell measures, and the cell.
#[component]
pub fn ExerciseCells() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    Exercise::ALL
        .into_iter()
        .enumerate()
        .map(|(i, exercise)| {
            let question = Signal::derive(move || lang.get().chapter().exercises[i].question);
            let experiment = Signal::derive(move || lang.get().chapter().exercises[i].experiment);
            let cell = match exercise {
                Exercise::Resources => view! { <super::exercise4::Calculator/> }.into_any(),
                other => view! { <Comparison exercise=other/> }.into_any(),
            };
            view! {
                <article class="exercise" id=exercise.id() data-testid="exercise">
                    <h3>{move || format!("{} {}", lang.get().ex().exercise, exercise.number())}</h3>
                    <p><Paragraph text=question/></p>
                    <p class="note"><Paragraph text=experiment/></p>
                    {cell}
                </article>
            }
        })
        .collect_view()
}
