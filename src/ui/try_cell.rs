//! "Try it yourself": draw a garment, upload a picture or take a test image; see the 28x28
//! input the model gets, the class probabilities, and the feature maps after each NiN block.

use leptos::html::Canvas;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{Clamped, JsCast};

use super::fetch;
use super::run_all::{LastRan, RunAll, Skip, Step};
use super::train_results::Thumb;
use super::train_run::TrainedModel;
use crate::client::Nin;
use crate::client::TrainError;
use crate::data::sketch::{self, Prepared};
use crate::i18n::{Lang, try_it};

/// The drawing canvas's side in canvas pixels (10 per input pixel).
const SIDE: u32 = 280;
/// Channels shown per block.
const CHANNELS_SHOWN: usize = 6;

/// The first channels of one block's output, each scaled to 0-255 on its own range.
#[derive(Clone, Debug, PartialEq)]
struct MapGroup {
    channels: usize,
    height: usize,
    width: usize,
    images: Vec<Vec<u8>>,
}

#[derive(Clone, Debug, PartialEq)]
struct Outcome {
    input: Prepared,
    truth: Option<u8>,
    probs: Vec<f32>,
    maps: Vec<MapGroup>,
    size: usize,
}

/// Where the next classification takes its picture from.
#[derive(Clone)]
enum Source {
    /// The visible canvas (a drawing, or an uploaded photo shown on it and drawn over).
    Canvas,
    /// An uploaded picture at its own size (RGBA), before any drawing over it.
    Picture(Vec<u8>, usize, usize),
    /// A Fashion-MNIST test image, used as is, with its label.
    Test(Vec<u8>, u8),
}

fn scale_to_u8(values: &[f32]) -> Vec<u8> {
    let (lo, hi) = values.iter().fold((f32::MAX, f32::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let span = (hi - lo).max(1e-6);
    values.iter().map(|&v| ((v - lo) / span * 255.0).round().clamp(0.0, 255.0) as u8).collect()
}

/// The model on one input: softmax probabilities and the block maps scaled for display.
async fn run_model(nin: &Nin, size: usize, input: &Prepared) -> Result<(Vec<f32>, Vec<MapGroup>), TrainError> {
    let prediction = crate::client::predict(nin, size, input, CHANNELS_SHOWN).await?;
    let groups = prediction
        .blocks
        .into_iter()
        .map(|b| MapGroup { channels: b.channels, height: b.height, width: b.width, images: b.values.iter().map(|v| scale_to_u8(v)).collect() })
        .collect();
    Ok((prediction.probs, groups))
}

fn context2d(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten().map(|c| c.unchecked_into())
}

fn clear(canvas: &web_sys::HtmlCanvasElement) {
    if let Some(ctx) = context2d(canvas) {
        ctx.set_fill_style_str("#000");
        ctx.fill_rect(0.0, 0.0, SIDE as f64, SIDE as f64);
    }
}

/// A grey image shown on the canvas, scaled up with nearest-neighbour sampling.
fn show_grey(canvas: &web_sys::HtmlCanvasElement, pixels: &[u8], side: usize) {
    let Some(ctx) = context2d(canvas) else { return };
    let n = SIDE as usize;
    let mut rgba = vec![0u8; n * n * 4];
    for y in 0..n {
        for x in 0..n {
            let p = pixels[(y * side / n) * side + x * side / n];
            rgba[(y * n + x) * 4..][..4].copy_from_slice(&[p, p, p, 255]);
        }
    }
    if let Ok(image) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), SIDE, SIDE) {
        let _ = ctx.put_image_data(&image, 0.0, 0.0);
    }
}

fn canvas_rgba(canvas: &web_sys::HtmlCanvasElement) -> Option<Vec<u8>> {
    Some(context2d(canvas)?.get_image_data(0.0, 0.0, SIDE as f64, SIDE as f64).ok()?.data().0)
}

#[component]
pub fn TryCell() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let t = move || lang.get().try_it();
    let model = expect_context::<TrainedModel>();
    let last_picture = expect_context::<super::state::LastPicture>().0;
    let super::shipped::ShippedRequests(shipped, shipped_error) = expect_context::<super::shipped::ShippedRequests>();
    let has_model = move || {
        model.1.get();
        model.0.with_value(|m| m.is_some())
    };
    let canvas = NodeRef::<Canvas>::new();
    let source = StoredValue::new_local(Source::Canvas);
    let last_point = StoredValue::new(None::<(f64, f64)>);
    let outcome = RwSignal::new(None::<Outcome>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let runs = RwSignal::new(0u32);

    Effect::new(move |_| {
        if let Some(c) = canvas.get() {
            clear(&c);
        }
    });

    let classify = move || {
        let Some(c) = canvas.get_untracked() else { return };
        let Some(trained) = model.0.get_value() else { return };
        let (nin, size) = (trained.nin, trained.size);
        let lang = lang.get_untracked();
        let prepared = match source.get_value() {
            Source::Test(pixels, label) => Ok((Prepared { pixels, inverted: false }, Some(label))),
            Source::Picture(rgba, w, h) => sketch::to_input(&rgba, w, h).map(|p| (p, None)),
            Source::Canvas => match canvas_rgba(&c) {
                Some(rgba) => sketch::to_input(&rgba, SIDE as usize, SIDE as usize).map(|p| (p, None)),
                None => return,
            },
        };
        let (input, truth) = match prepared {
            Ok(p) => p,
            Err(e) => {
                error.set(Some(try_it::sketch_error(lang, &e)));
                runs.update(|n| *n += 1);
                return;
            }
        };
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            // The model lives on the page's CPU backend (one image is quick there).
            match run_model(&nin, size, &input).await {
                Ok((probs, maps)) => {
                    last_picture.set(Some(input.clone()));
                    outcome.set(Some(Outcome { input, truth, probs, maps, size }));
                }
                Err(e) => error.set(Some(crate::i18n::train::train_error(lang, &e))),
            }
            busy.set(false);
            runs.update(|n| *n += 1);
        });
    };

    // Drawing with a mouse, pen or finger: white strokes on black, as in the dataset.
    let point = move |ev: &web_sys::PointerEvent| -> Option<(f64, f64)> {
        let c = canvas.get_untracked()?;
        let scale = SIDE as f64 / c.client_width().max(1) as f64;
        Some((ev.offset_x() as f64 * scale, ev.offset_y() as f64 * scale))
    };
    let stroke_to = move |to: (f64, f64)| {
        let Some(c) = canvas.get_untracked() else { return };
        let Some(ctx) = context2d(&c) else { return };
        let from = last_point.get_value().unwrap_or(to);
        ctx.set_stroke_style_str("#fff");
        ctx.set_line_width(24.0);
        ctx.set_line_cap("round");
        ctx.set_line_join("round");
        ctx.begin_path();
        ctx.move_to(from.0, from.1);
        ctx.line_to(to.0 + 0.01, to.1);
        ctx.stroke();
        last_point.set_value(Some(to));
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        ev.prevent_default();
        if let Some(c) = canvas.get_untracked() {
            let _ = c.set_pointer_capture(ev.pointer_id());
        }
        if matches!(source.get_value(), Source::Test(..))
            && let Some(c) = canvas.get_untracked()
        {
            clear(&c);
        }
        source.set_value(Source::Canvas);
        last_point.set_value(None);
        if let Some(p) = point(&ev) {
            stroke_to(p);
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        if last_point.get_value().is_some()
            && let Some(p) = point(&ev)
        {
            stroke_to(p);
        }
    };
    let on_up = move |_: web_sys::PointerEvent| {
        if last_point.get_value().is_some() {
            last_point.set_value(None);
            if has_model() {
                classify();
            }
        }
    };

    let do_clear = move || {
        if let Some(c) = canvas.get_untracked() {
            clear(&c);
        }
        source.set_value(Source::Canvas);
        outcome.set(None);
        error.set(None);
    };

    let test_image = move || {
        spawn_local(async move {
            // One shard of the test file is plenty to pick from (2,500 images, about 1 MB).
            let sets = match fetch::cached().filter(|s| !s.test.is_empty()) {
                Some(s) => s,
                None => match fetch::datasets(0, 1, |_, _| ()).await {
                    Ok(s) => s,
                    Err(e) => return error.set(Some(crate::i18n::train::data_error(lang.get_untracked(), &e))),
                },
            };
            let n = sets.test.len();
            if n == 0 {
                return;
            }
            let i = ((js_sys::Math::random() * n as f64) as usize).min(n - 1);
            let pixels = sets.test.image(i).to_vec();
            if let Some(c) = canvas.get_untracked() {
                show_grey(&c, &pixels, 28);
            }
            source.set_value(Source::Test(pixels, sets.test.labels[i]));
            classify();
        });
    };

    let upload = move |file: web_sys::File| {
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&file) else { return };
        let Ok(img) = web_sys::HtmlImageElement::new() else { return };
        let image = img.clone();
        let src = url.clone();
        let onload = Closure::once_into_js(move || {
            let _ = web_sys::Url::revoke_object_url(&url);
            let (w, h) = (image.natural_width().max(1) as f64, image.natural_height().max(1) as f64);
            // The picture at most 280 px on its longer side, read back at that size.
            let k = (SIDE as f64 / w.max(h)).min(1.0);
            let (pw, ph) = ((w * k).round().max(1.0) as u32, (h * k).round().max(1.0) as u32);
            let document = web_sys::window().and_then(|w| w.document());
            let off: Option<web_sys::HtmlCanvasElement> = document.and_then(|d| d.create_element("canvas").ok()).map(|e| e.unchecked_into());
            let Some(off) = off else { return };
            off.set_width(pw);
            off.set_height(ph);
            let Some(octx) = context2d(&off) else { return };
            let _ = octx.draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, pw as f64, ph as f64);
            let Ok(data) = octx.get_image_data(0.0, 0.0, pw as f64, ph as f64) else { return };
            // Shown on the visible canvas, centred, letterboxed in black.
            if let Some(c) = canvas.get_untracked() {
                clear(&c);
                if let Some(ctx) = context2d(&c) {
                    let s = SIDE as f64 / w.max(h);
                    let (dw, dh) = (w * s, h * s);
                    let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&image, (SIDE as f64 - dw) / 2.0, (SIDE as f64 - dh) / 2.0, dw, dh);
                }
            }
            source.set_value(Source::Picture(data.data().0, pw as usize, ph as usize));
            classify();
        });
        img.set_onload(Some(onload.unchecked_ref()));
        img.set_src(&src);
    };

    let results = move || {
        outcome.get().map(|o| {
            let t = t();
            let classes = lang.get().classes();
            let best = o.probs.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map(|(i, _)| i).unwrap_or(0);
            view! {
                <div class="try-results">
                    <figure class="try-input">
                        <figcaption>{t.input_title}</figcaption>
                        <Thumb pixels=o.input.pixels.clone() label=t.input_title.to_string()/>
                        {o.input.inverted.then(|| view! { <p class="note" data-testid="try-inverted">{t.inverted}</p> })}
                        {o.truth.map(|l| view! { <p class="note" data-testid="try-truth" data-label=l.to_string()>{format!("{}: {}", t.truth, classes[l as usize])}</p> })}
                        <p class="note">{format!("{} {} px", t.model_from, o.size)}</p>
                    </figure>
                    <figure class="per-class try-probs" data-testid="try-probs" data-best=best.to_string()>
                        <figcaption>{t.probabilities}</figcaption>
                        {o.probs.iter().enumerate().map(|(i, &p)| view! {
                            <div class=if i == best { "bar-row best" } else { "bar-row" } data-testid="try-prob" data-value=p.to_string()>
                                <span class="bar-label">{classes[i]}</span>
                                <span class="bar"><span class="bar-fill" style=format!("width:{:.1}%", p * 100.0)></span></span>
                                <span class="bar-value">{format!("{:.1} %", p * 100.0)}</span>
                            </div>
                        }).collect_view()}
                    </figure>
                </div>
                <h4>{t.maps_title}</h4>
                <p class="note">{t.maps_note}</p>
                <div class="try-maps" data-testid="try-maps">
                    {o.maps.iter().enumerate().map(|(b, g)| view! {
                        <figure class="map-group" data-testid="try-map-group" data-channels=g.channels.to_string() data-height=g.height.to_string() data-width=g.width.to_string()>
                            <figcaption>{format!("{} {}: {} × {} × {}", t.block, b + 1, g.channels, g.height, g.width)}</figcaption>
                            <div class="map-row">
                                {g.images.iter().enumerate().map(|(c, img)| view! {
                                    <MapImage pixels=img.clone() width=g.width height=g.height label=format!("{} {}, {} {}", t.block, b + 1, t.channel, c + 1)/>
                                }).collect_view()}
                            </div>
                        </figure>
                    }).collect_view()}
                </div>
            }
        })
    };

    // "Run all": a test image through the model (or the picture already there again).
    expect_context::<RunAll>().take_part(
        Step::TryIt,
        move || {
            if !has_model() {
                return Err(Skip::NeedsModel);
            }
            if outcome.get_untracked().is_some() {
                classify()
            } else {
                test_image()
            }
            Ok(())
        },
        runs.into(),
    );

    view! {
        <div class="cell try-cell" id="try-cell" data-testid="try-cell" data-runs=move || runs.get().to_string() data-busy=move || busy.get().to_string()>
            <div class="cell-head">
                <span class="cell-label">{move || lang.get().ui().cell}</span>
                <h3>{move || t().title}</h3>
                <LastRan done=runs.into()/>
            </div>
            <p class="cell-note">{move || t().intro}</p>
            <Show when=move || !has_model()>
                <p class="note" data-testid="try-need-model">
                    {move || t().need_model}" "
                    <button type="button" data-testid="try-load-shipped" on:click=move |_| shipped.update(|n| *n += 1)>
                        {move || lang.get().train().load_shipped}
                    </button>
                    {move || shipped_error.get().map(|e| view! { " "<span class="error" role="alert" data-testid="try-shipped-error">{e.message(lang.get())}</span> })}
                </p>
            </Show>
            <div class="try-grid">
                <canvas class="sketch" width=SIDE height=SIDE node_ref=canvas data-testid="try-canvas" tabindex="0" role="img"
                    aria-label=move || t().canvas_label
                    on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointercancel=on_up></canvas>
                <div class="cell-actions try-actions">
                    <button type="button" data-testid="try-clear" on:click=move |_| do_clear()>{move || t().clear}</button>
                    <button type="button" data-testid="try-test-image" disabled=move || !has_model() || busy.get() on:click=move |_| test_image()>{move || t().test_image}</button>
                    <label class="file-button">
                        <span>{move || t().upload}</span>
                        <input type="file" accept="image/*" data-testid="try-upload" disabled=move || !has_model() || busy.get()
                            on:change:target=move |ev| {
                                if let Some(file) = ev.target().files().and_then(|f| f.get(0)) {
                                    upload(file);
                                }
                                ev.target().set_value("");
                            }/>
                    </label>
                    <button type="button" class="run" data-testid="try-classify" disabled=move || !has_model() || busy.get() on:click=move |_| classify()>{move || t().classify}</button>
                </div>
            </div>
            <div role="status" class="status" data-testid="try-status">
                {move || busy.get().then(|| t().working)}
                {move || error.get().map(|e| view! { <span class="error" data-testid="try-error">{e}</span> })}
            </div>
            {results}
        </div>
    }
}

/// One feature map, grey, drawn at its own resolution and scaled up by CSS.
#[component]
fn MapImage(pixels: Vec<u8>, width: usize, height: usize, label: String) -> impl IntoView {
    view! { <Thumb pixels=pixels label=label width=width height=height class="map" testid="try-map"/> }
}
