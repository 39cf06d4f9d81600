//! Global average pooling, explorable (issue 27): the 224 px model's last block on a test
//! picture. Ten class maps, each with its mean beside it; the ten means are the scores, then
//! the softmax and the prediction. The student hides part of the picture (dragging, or the arrow
//! keys and Space) and sees everything change. The 224 px model (its own card and weights) is
//! fetched only when the student asks for this figure.

use std::sync::Arc;

use leptos::html::Canvas;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::explore_common::{canvas_point, json, put_rgba, test_picture};
use super::fetch;
use super::run_all::{LastRan, RunAll, Skip, Step};
use crate::client::card::{MODEL_DIR, ModelCard};
use crate::client::explore::{self, ClassMapsView, ExploreError};
use crate::client::{Nin, load_weights_file};
use crate::data::sketch::Prepared;
use crate::figure::heat::sequential;
use crate::format;
use crate::i18n::{Lang, explore as tx};

/// The second shipped model, trained at the book's 224 px (see models/README.md).
const MODEL_224: &str = "nin-book-224px";
/// Its weights file's size, for the button (the card says it again once fetched).
const MODEL_224_BYTES: u64 = 3_988_076;
/// The side of the square the student hides at a time, in input pixels (of 28).
const BLANK: usize = 4;
const SIDE: usize = 28;

#[derive(Clone, PartialEq)]
enum Load {
    Idle,
    Loading(u64, u64),
    Ready,
    Failed(String),
}

/// Hides the `BLANK` square whose top-left corner is (y, x).
fn blank(pixels: &mut [u8], y: usize, x: usize) {
    for py in y..(y + BLANK).min(SIDE) {
        for px in x..(x + BLANK).min(SIDE) {
            pixels[py * SIDE + px] = 0;
        }
    }
}

/// The picture in grey with the keyboard's square outlined.
fn picture_rgba(pixels: &[u8], cursor: Option<(usize, usize)>) -> Vec<u8> {
    let mut rgba: Vec<u8> = pixels.iter().flat_map(|&p| [p, p, p, 255]).collect();
    if let Some((y, x)) = cursor {
        for py in y..(y + BLANK).min(SIDE) {
            for px in x..(x + BLANK).min(SIDE) {
                if py == y || px == x || py == (y + BLANK).min(SIDE) - 1 || px == (x + BLANK).min(SIDE) - 1 {
                    rgba[(py * SIDE + px) * 4..][..3].copy_from_slice(&[255, 96, 0]);
                }
            }
        }
    }
    rgba
}

async fn fetch_model(progress: impl Fn(u64, u64) + Clone + 'static, lang: Lang) -> Result<(Nin, usize, ModelCard), String> {
    let card_url = format!("{MODEL_DIR}/{MODEL_224}.card.json");
    let data_error = |e| crate::i18n::train::data_error(lang, &e);
    let text = fetch::fetch_bytes(&card_url, |_| ()).await.map_err(data_error)?;
    let card = std::str::from_utf8(&text)
        .ok()
        .and_then(ModelCard::parse)
        .ok_or_else(|| data_error(crate::data::DataError::Manifest(format!("{card_url}: not a model card"))))?;
    let total = card.weights_bytes as u64;
    let p = progress.clone();
    let bytes = fetch::fetch_bytes(&format!("{MODEL_DIR}/{MODEL_224}.ninw"), move |n| p(n.min(total), total)).await.map_err(data_error)?;
    let (nin, meta) = load_weights_file(&bytes).map_err(|e| crate::i18n::train::weights_error(lang, MODEL_224, &e))?;
    Ok((nin, meta.image_size, card))
}

#[component]
pub fn ExploreGap() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let t = move || lang.get().explore();
    let load = RwSignal::new(Load::Idle);
    let model = StoredValue::new_local(None::<(Nin, usize)>);
    let card = RwSignal::new(None::<(f64, u64)>);
    let original = RwSignal::new(None::<(Prepared, Option<u8>)>);
    let drawing = expect_context::<super::state::LastPicture>().0;
    let pixels = RwSignal::new(vec![0u8; SIDE * SIDE]);
    let cursor = RwSignal::new(None::<(usize, usize)>);
    let result = RwSignal::new(None::<Arc<ClassMapsView>>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let again = StoredValue::new(false);
    let readout = RwSignal::new(None::<String>);
    let runs = RwSignal::new(0u32);
    let painting = StoredValue::new(false);
    let input_canvas = NodeRef::<Canvas>::new();

    // One computation at a time; a change meanwhile runs once more after it.
    let compute = move || {
        if busy.get_untracked() {
            again.set_value(true);
            return;
        }
        let Some((nin, size)) = model.with_value(|m| m.as_ref().map(|(n, s)| (n.clone(), *s))) else { return };
        busy.set(true);
        spawn_local(async move {
            loop {
                again.set_value(false);
                let input = Prepared { pixels: pixels.get_untracked(), inverted: false };
                match explore::class_maps(&nin, size, &input).await {
                    Ok(view) => {
                        result.set(Some(Arc::new(view)));
                        error.set(None);
                    }
                    Err(e) => error.set(Some(tx::error(lang.get_untracked(), &e))),
                }
                runs.update(|n| *n += 1);
                if !again.get_value() {
                    break;
                }
            }
            busy.set(false);
        });
    };

    let new_picture = move |index: Option<usize>| {
        spawn_local(async move {
            match test_picture(index).await {
                Ok((p, label)) => {
                    pixels.set(p.pixels.clone());
                    original.set(Some((p, Some(label))));
                    compute();
                }
                Err(e) => error.set(Some(crate::i18n::train::data_error(lang.get_untracked(), &e))),
            }
        });
    };

    let start = move || {
        if matches!(load.get_untracked(), Load::Loading(..) | Load::Ready) {
            return;
        }
        load.set(Load::Loading(0, MODEL_224_BYTES));
        spawn_local(async move {
            match fetch_model(move |done, total| load.set(Load::Loading(done, total)), lang.get_untracked()).await {
                Ok((nin, size, c)) => {
                    if !nin.has_global_pooling() {
                        load.set(Load::Failed(tx::error(lang.get_untracked(), &ExploreError::NoGlobalPooling)));
                        return;
                    }
                    card.set(Some((c.test.accuracy, c.test.images as u64)));
                    model.set_value(Some((nin, size)));
                    load.set(Load::Ready);
                    new_picture(Some(0));
                }
                Err(message) => load.set(Load::Failed(message)),
            }
        });
    };

    expect_context::<RunAll>().take_part(
        Step::ExploreGap,
        move || {
            if model.with_value(Option::is_none) {
                return Err(Skip::Download);
            }
            compute();
            Ok(())
        },
        runs.into(),
    );

    Effect::new(move |_| {
        let rgba = picture_rgba(&pixels.get(), cursor.get());
        if let Some(c) = input_canvas.get() {
            put_rgba(&c, SIDE, SIDE, &rgba);
        }
    });

    let paint_at = move |ev: &web_sys::PointerEvent| {
        let Some(c) = input_canvas.get_untracked() else { return };
        let (px, py) = canvas_point(&c, ev);
        if px < 0.0 || py < 0.0 || px >= SIDE as f64 || py >= SIDE as f64 {
            return;
        }
        let half = BLANK as f64 / 2.0;
        let (y, x) = ((py - half).max(0.0) as usize, (px - half).max(0.0) as usize);
        pixels.update(|p| blank(p, y, x));
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        if result.get_untracked().is_none() {
            return;
        }
        ev.prevent_default();
        if let Some(c) = input_canvas.get_untracked() {
            let _ = c.set_pointer_capture(ev.pointer_id());
        }
        painting.set_value(true);
        paint_at(&ev);
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        if painting.get_value() {
            paint_at(&ev);
        }
    };
    let on_up = move |_: web_sys::PointerEvent| {
        if painting.get_value() {
            painting.set_value(false);
            compute();
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if result.get_untracked().is_none() {
            return;
        }
        let (y, x) = cursor.get_untracked().unwrap_or((SIDE / 2 - BLANK / 2, SIDE / 2 - BLANK / 2));
        let last = SIDE - BLANK;
        let next = match ev.key().as_str() {
            "ArrowUp" => (y.saturating_sub(1), x),
            "ArrowDown" => ((y + 1).min(last), x),
            "ArrowLeft" => (y, x.saturating_sub(1)),
            "ArrowRight" => (y, (x + 1).min(last)),
            " " | "Enter" => {
                ev.prevent_default();
                pixels.update(|p| blank(p, y, x));
                compute();
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        cursor.set(Some(next));
    };
    let restore = move || {
        if let Some((p, _)) = original.get_untracked() {
            pixels.set(p.pixels);
            compute();
        }
    };

    let maps = move || {
        let r = result.get()?;
        let classes = lang.get().classes();
        let top = r.maps.iter().copied().fold(1e-6_f32, f32::max);
        let nested: Vec<Vec<&[f32]>> = (0..r.classes).map(|c| r.map(c).chunks(r.width).collect()).collect();
        Some(view! {
            <figure class="gap-maps" data-testid="explore-gap-maps" data-values=serde_json::to_string(&nested).unwrap_or_default()
                data-height=r.height.to_string() data-width=r.width.to_string()>
                <figcaption>{move || t().class_maps}</figcaption>
                <div class="gap-grid">
                    {(0..r.classes).map(|c| {
                        let rgba: Vec<u8> = r.map(c).iter().flat_map(|&v| {
                            let [red, g, b] = sequential(v / top);
                            [red, g, b, 255]
                        }).collect();
                        let canvas = NodeRef::<Canvas>::new();
                        let (h, w) = (r.height, r.width);
                        Effect::new(move |_| if let Some(el) = canvas.get() { put_rgba(&el, w, h, &rgba) });
                        let rr = r.clone();
                        let name = classes.get(c).copied().unwrap_or("?");
                        let best = c == r.prediction();
                        view! {
                            <figure class="gap-map" class:best=best data-testid="explore-gap-map" data-class=c.to_string()>
                                <canvas node_ref=canvas width=w height=h role="img" aria-label=format!("{name}: {} {:.3}", t().mean, r.mean(c))
                                    on:pointermove=move |ev| {
                                        let Some(el) = canvas.get_untracked() else { return };
                                        let (px, py) = canvas_point(&el, &ev);
                                        if px >= 0.0 && py >= 0.0 && (px as usize) < rr.width && (py as usize) < rr.height {
                                            let v = rr.map(c)[py as usize * rr.width + px as usize];
                                            readout.set(Some(format!("{name} · ({}, {}) · {v:.3}", py as usize + 1, px as usize + 1)));
                                        }
                                    }></canvas>
                                <figcaption>
                                    <span class="gap-name">{name}</span>
                                    <span class="gap-mean" data-testid="explore-gap-mean" data-value=r.mean(c).to_string()>{format!("{} {:.3}", t().mean, r.mean(c))}</span>
                                </figcaption>
                            </figure>
                        }
                    }).collect_view()}
                </div>
                <p class="note gap-readout" data-testid="explore-gap-readout">{move || readout.get()}</p>
            </figure>
        })
    };

    let scores = move || {
        let r = result.get()?;
        let classes = lang.get().classes();
        let top = r.logits.iter().copied().fold(1e-6_f32, |m, v| m.max(v.abs()));
        let best = r.prediction();
        Some(view! {
            <div class="gap-scores">
                <figure class="per-class" data-testid="explore-gap-scores" data-values=json(&r.logits)>
                    <figcaption>{move || t().scores}</figcaption>
                    {r.logits.iter().enumerate().map(|(i, &s)| view! {
                        <div class=if i == best { "bar-row best" } else { "bar-row" }>
                            <span class="bar-label">{classes[i]}</span>
                            <span class="bar"><span class="bar-fill" style=format!("width:{:.1}%", (s.max(0.0) / top) * 100.0)></span></span>
                            <span class="bar-value">{format!("{s:.3}")}</span>
                        </div>
                    }).collect_view()}
                </figure>
                <figure class="per-class" data-testid="explore-gap-probs" data-values=json(&r.probs)>
                    <figcaption>{move || t().probabilities}</figcaption>
                    {r.probs.iter().enumerate().map(|(i, &p)| view! {
                        <div class=if i == best { "bar-row best" } else { "bar-row" }>
                            <span class="bar-label">{classes[i]}</span>
                            <span class="bar"><span class="bar-fill" style=format!("width:{:.1}%", p * 100.0)></span></span>
                            <span class="bar-value">{format!("{:.1} %", p * 100.0)}</span>
                        </div>
                    }).collect_view()}
                </figure>
            </div>
            <p class="explore-prediction" data-testid="explore-gap-prediction" data-value=best.to_string()
                data-truth=original.get().and_then(|(_, label)| label).map(|label| label.to_string()).unwrap_or_default()>
                {tx::prediction(lang.get(), best, classes[best], r.probs[best])}
                {original.get().and_then(|(_, label)| label).map(|label| format!(" ({}: {})", lang.get().try_it().truth, classes[label as usize]))}
            </p>
        })
    };

    view! {
        <figure class="cell explore" id="explore-gap" data-testid="explore-gap" data-busy=move || busy.get().to_string()
            data-runs=move || runs.get().to_string()>
            <div class="cell-head">
                <span class="cell-label">{move || t().label}</span>
                <h3>{move || t().title_gap}</h3>
                <LastRan done=runs.into()/>
            </div>
            <figcaption class="cell-note">{move || t().question_gap}</figcaption>
            <p class="note">{move || t().model_224}</p>
            {move || match load.get() {
                Load::Idle | Load::Failed(_) => view! {
                    <div class="cell-actions">
                        <button type="button" class="run" data-testid="explore-gap-load" on:click=move |_| start()>{move || tx::load_model(lang.get(), MODEL_224_BYTES)}</button>
                        {move || match load.get() { Load::Failed(m) => Some(view! { <span class="error" role="alert" data-testid="explore-gap-error">{m}</span> }), _ => None }}
                    </div>
                }.into_any(),
                Load::Loading(done, total) => view! {
                    <p role="status" class="status" data-testid="explore-gap-loading">
                        <progress max=total.to_string() value=done.to_string()></progress>" "
                        {format!("{} / {}", format::bytes(done), format::bytes(total))}
                    </p>
                }.into_any(),
                Load::Ready => view! {
                    <p class="note" data-testid="explore-gap-card">{move || card.get().map(|(a, n)| tx::card_line(lang.get(), a, n))}</p>
                }.into_any(),
            }}
            <Show when=move || matches!(load.get(), Load::Ready)>
                <div class="gap-row">
                    <div class="gap-input">
                        <p class="note">{move || t().input}</p>
                        <canvas class="sketch gap-picture" node_ref=input_canvas width=SIDE height=SIDE data-testid="explore-gap-input" tabindex="0" role="img"
                            aria-label=move || t().keys_gap
                            on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointercancel=on_up on:keydown=on_key
                            on:blur=move |_| cursor.set(None)></canvas>
                        <div class="cell-actions">
                            <button type="button" data-testid="explore-gap-restore" on:click=move |_| restore()>{move || t().restore}</button>
                            <button type="button" data-testid="explore-gap-another" on:click=move |_| new_picture(None)>{move || t().another_image}</button>
                            <button type="button" data-testid="explore-gap-drawing" disabled=move || drawing.with(Option::is_none) title=move || t().use_drawing_hint
                                on:click=move |_| if let Some(p) = drawing.get_untracked() {
                                    pixels.set(p.pixels.clone());
                                    original.set(Some((p, None)));
                                    compute();
                                }>{move || t().use_drawing}</button>
                        </div>
                        <p class="note">{move || t().keys_gap}</p>
                    </div>
                    {maps}
                </div>
                <div role="status" class="status">
                    {move || busy.get().then(|| t().computing)}
                    {move || error.get().map(|e| view! { <span class="error" data-testid="explore-gap-error">{e}</span> })}
                </div>
                {scores}
            </Show>
        </figure>
    }
}
