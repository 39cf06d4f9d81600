//! The 1x1 convolution, explorable (issue 27): a trained model's 1x1 layer on a test picture.
//! The student points at a pixel (or moves it with the arrow keys) and sees the channel vector
//! there, the layer's weight matrix and bias, and `ReLU(W x + b)` computed by the page, next to
//! the model's own output maps at that pixel; "Sweep" runs the same matrix over every pixel and
//! draws the output maps as it goes.

use std::sync::Arc;

use gloo_timers::future::TimeoutFuture;
use leptos::html::Canvas;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::explore_common::{canvas_point, json, mark, put_rgba, test_picture};
use super::run_all::{LastRan, RunAll, Skip, Step};
use super::shipped::ShippedRequests;
use super::state::TrainedModel;
use super::train_results::Thumb;
use crate::client::explore::{self, ExploreError, PointwiseAt, PointwiseView};
use crate::data::sketch::Prepared;
use crate::figure::heat::{Atlas, diverging, max_abs, sequential};
use crate::i18n::{Lang, explore as tx};

/// At most this many maps side by side in an atlas.
const MAX_COLS: usize = 16;
/// A sweep lasts about this long, whatever the map size.
const SWEEP_MS: u32 = 2400;

/// What the figure shows: the view of one layer, and the atlases painted from it.
struct Painted {
    view: Arc<PointwiseView>,
    atlas_in: Atlas,
    atlas_out: Atlas,
    rgba_in: Vec<u8>,
    rgba_out: Vec<u8>,
    tops_out: Vec<f32>,
    weights_json: String,
}

impl Painted {
    fn new(view: PointwiseView) -> Self {
        let atlas_in = Atlas::new(view.c_in, view.height, view.width, MAX_COLS);
        let atlas_out = Atlas::new(view.c_out, view.height, view.width, MAX_COLS);
        let rgba_in = atlas_in.paint(&view.input, &atlas_in.tops(&view.input, true));
        let tops_out = atlas_out.tops(&view.output, true);
        let rgba_out = atlas_out.paint(&view.output, &tops_out);
        let rows: Vec<&[f32]> = (0..view.c_out).map(|o| view.row(o)).collect();
        let weights_json = serde_json::to_string(&rows).unwrap_or_default();
        Painted { view: Arc::new(view), atlas_in, atlas_out, rgba_in, rgba_out, tops_out, weights_json }
    }
}

/// A vector as a strip of cells (`horizontal`: one row), on a sequential or diverging scale.
fn strip(values: &[f32], signed: bool, highlight: Option<usize>) -> Vec<u8> {
    let top = max_abs(values);
    values
        .iter()
        .enumerate()
        .flat_map(|(i, &v)| {
            let [r, g, b] = if Some(i) == highlight {
                [255, 96, 0]
            } else if signed {
                diverging(v / top)
            } else {
                sequential(v / top)
            };
            [r, g, b, 255]
        })
        .collect()
}

/// The weight matrix, one row per output channel, with row `highlight` framed at both ends.
fn matrix(view: &PointwiseView, highlight: usize) -> Vec<u8> {
    let top = max_abs(&view.weight);
    let mut rgba: Vec<u8> = view
        .weight
        .iter()
        .flat_map(|&w| {
            let [r, g, b] = diverging(w / top);
            [r, g, b, 255]
        })
        .collect();
    if highlight < view.c_out && view.c_in > 2 {
        for i in [0, view.c_in - 1] {
            rgba[(highlight * view.c_in + i) * 4..][..3].copy_from_slice(&[255, 96, 0]);
        }
    }
    rgba
}

/// The pixel whose output vector is largest, and its largest output channel: a corner of the
/// picture is often all zeros, which shows nothing.
fn busiest(view: &PointwiseView) -> (usize, usize, usize) {
    let mut best = (0, 0, 0, f32::MIN);
    for y in 0..view.height {
        for x in 0..view.width {
            let out = view.output_at(y, x);
            let total: f32 = out.iter().sum();
            if total > best.3 {
                let o = out.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(0, |(o, _)| o);
                best = (y, x, o, total);
            }
        }
    }
    (best.0, best.1, best.2)
}

#[component]
pub fn Explore1x1() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let t = move || lang.get().explore();
    let model = expect_context::<TrainedModel>();
    let ShippedRequests(shipped, shipped_error) = expect_context::<ShippedRequests>();
    let has_model = move || {
        model.1.get();
        model.0.with_value(|m| m.is_some())
    };
    let picture = RwSignal::new(None::<Prepared>);
    let drawing = expect_context::<super::state::LastPicture>().0;
    let layers = RwSignal::new(Vec::<(PointwiseAt, usize, usize)>::new());
    let layer = RwSignal::new(0usize);
    let painted = StoredValue::new_local(None::<Painted>);
    let version = RwSignal::new(0u32);
    let pixel = RwSignal::new((0usize, 0usize));
    // The first view starts where there is most to see (see `busiest`); later ones keep the pixel.
    let first_view = StoredValue::new(true);
    let out_channel = RwSignal::new(0usize);
    // While sweeping: the pixels done so far and the maps computed by hand up to there.
    let swept = RwSignal::new(None::<usize>);
    let sweep_values = StoredValue::new_local(Vec::<f32>::new());
    let sweep_token = StoredValue::new(0u32);
    let error = RwSignal::new(None::<ExploreError>);
    let rerun = RwSignal::new(0u32);
    let data_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let (canvas_in, canvas_out, canvas_x, canvas_w, canvas_b, canvas_y) = (
        NodeRef::<Canvas>::new(),
        NodeRef::<Canvas>::new(),
        NodeRef::<Canvas>::new(),
        NodeRef::<Canvas>::new(),
        NodeRef::<Canvas>::new(),
        NodeRef::<Canvas>::new(),
    );

    let stop_sweep = move || {
        sweep_token.update_value(|t| *t += 1);
        swept.set(None);
    };

    // A test picture once a model is there (the first test image, so every visit starts alike).
    Effect::new(move |_| {
        if has_model() && picture.get_untracked().is_none() {
            spawn_local(async move {
                match test_picture(Some(0)).await {
                    Ok((p, _)) => picture.set(Some(p)),
                    Err(e) => {
                        data_error.set(Some(crate::i18n::train::data_error(lang.get_untracked(), &e)));
                        version.update(|v| *v += 1);
                    }
                }
            });
        }
    });

    expect_context::<RunAll>().take_part(
        Step::Explore1x1,
        move || {
            if !has_model() {
                return Err(Skip::NeedsModel);
            }
            rerun.update(|n| *n += 1);
            Ok(())
        },
        version.into(),
    );

    // The model on the picture at the chosen layer, whenever one of them changes.
    Effect::new(move |_| {
        model.1.get();
        rerun.get();
        let choice = layer.get();
        let Some(trained) = model.0.get_value() else { return };
        let Some(input) = picture.get() else { return };
        let list = explore::pointwise_layers(&trained.nin);
        stop_sweep();
        let Some(&(at, _, _)) = list.get(choice.min(list.len().saturating_sub(1))) else {
            layers.set(Vec::new());
            painted.set_value(None);
            error.set(Some(ExploreError::NoPointwise(PointwiseAt { block: 0, conv: 1 })));
            version.update(|v| *v += 1);
            return;
        };
        layers.set(list.clone());
        busy.set(true);
        spawn_local(async move {
            match explore::pointwise(&trained.nin, trained.size, &input, at).await {
                Ok(view) => {
                    let (h, w) = (view.height, view.width);
                    if first_view.get_value() {
                        first_view.set_value(false);
                        let (y, x, o) = busiest(&view);
                        pixel.set((y, x));
                        out_channel.set(o);
                    } else {
                        pixel.update(|p| *p = (p.0.min(h - 1), p.1.min(w - 1)));
                        out_channel.update(|o| *o = (*o).min(view.c_out - 1));
                    }
                    painted.set_value(Some(Painted::new(view)));
                    error.set(None);
                }
                Err(e) => {
                    painted.set_value(None);
                    error.set(Some(e));
                }
            }
            version.update(|v| *v += 1);
            busy.set(false);
        });
    });

    // Drawing: the atlases with the pixel marked, the vectors and the matrix.
    Effect::new(move |_| {
        version.get();
        let (y, x) = pixel.get();
        let o = out_channel.get();
        let done = swept.get();
        painted.with_value(|p| {
            let Some(p) = p else { return };
            let v = &p.view;
            if let Some(c) = canvas_in.get() {
                let mut rgba = p.rgba_in.clone();
                mark(&mut rgba, &p.atlas_in, y, x);
                let (w, h) = p.atlas_in.size();
                put_rgba(&c, w, h, &rgba);
            }
            if let Some(c) = canvas_out.get() {
                let mut rgba = match done {
                    Some(_) => sweep_values.with_value(|values| p.atlas_out.paint(values, &p.tops_out)),
                    None => p.rgba_out.clone(),
                };
                mark(&mut rgba, &p.atlas_out, y, x);
                let (w, h) = p.atlas_out.size();
                put_rgba(&c, w, h, &rgba);
            }
            if let Some(c) = canvas_x.get() {
                put_rgba(&c, v.c_in, 1, &strip(&v.input_at(y, x), false, None));
            }
            if let Some(c) = canvas_w.get() {
                put_rgba(&c, v.c_in, v.c_out, &matrix(v, o));
            }
            if let Some(c) = canvas_b.get() {
                put_rgba(&c, 1, v.c_out, &strip(&v.bias, true, None));
            }
            if let Some(c) = canvas_y.get() {
                put_rgba(&c, 1, v.c_out, &strip(&v.dense_at(y, x), false, Some(o)));
            }
        });
    });

    let view_now = move || {
        version.get();
        painted.with_value(|p| p.as_ref().map(|p| p.view.clone()))
    };

    let move_to = move |y: usize, x: usize| {
        if pixel.get_untracked() != (y, x) {
            pixel.set((y, x));
        }
    };
    let point_atlas = move |node: NodeRef<Canvas>, out: bool, ev: &web_sys::PointerEvent| {
        let Some(c) = node.get_untracked() else { return };
        let (px, py) = canvas_point(&c, ev);
        let hit = painted.with_value(|p| p.as_ref().and_then(|p| if out { p.atlas_out.hit(px, py) } else { p.atlas_in.hit(px, py) }));
        if let Some((map, y, x)) = hit {
            if swept.get_untracked().is_some() {
                stop_sweep();
            }
            move_to(y, x);
            if out {
                out_channel.set(map);
            }
        }
    };
    let point_row = move |node: NodeRef<Canvas>, ev: &web_sys::PointerEvent| {
        let Some(c) = node.get_untracked() else { return };
        let (_, py) = canvas_point(&c, ev);
        let rows = c.height() as f64;
        if py >= 0.0 && py < rows {
            out_channel.set(py as usize);
        }
    };

    let on_key = move |ev: web_sys::KeyboardEvent| {
        let Some(v) = view_now() else { return };
        let (y, x) = pixel.get_untracked();
        let next = match ev.key().as_str() {
            "ArrowUp" => (y.saturating_sub(1), x),
            "ArrowDown" => ((y + 1).min(v.height - 1), x),
            "ArrowLeft" => (y, x.saturating_sub(1)),
            "ArrowRight" => (y, (x + 1).min(v.width - 1)),
            _ => return,
        };
        ev.prevent_default();
        stop_sweep();
        move_to(next.0, next.1);
    };

    let sweep = move || {
        let Some(view) = view_now() else { return };
        sweep_token.update_value(|t| *t += 1);
        let token = sweep_token.get_value();
        let (hw, total) = (view.height * view.width, view.height * view.width);
        sweep_values.set_value(vec![0.0; view.c_out * hw]);
        swept.set(Some(0));
        let frames = total.clamp(1, 150);
        let per_frame = total.div_ceil(frames);
        let delay = (SWEEP_MS / frames as u32).max(16);
        spawn_local(async move {
            for k in 0..total {
                if sweep_token.get_value() != token {
                    return;
                }
                let (y, x) = (k / view.width, k % view.width);
                let column = view.dense_at(y, x);
                sweep_values.update_value(|values| {
                    for (o, value) in column.iter().enumerate() {
                        values[o * hw + k] = *value;
                    }
                });
                if (k + 1) % per_frame == 0 || k + 1 == total {
                    pixel.set((y, x));
                    swept.set(Some(k + 1));
                    TimeoutFuture::new(delay).await;
                }
            }
        });
    };

    let another = move || {
        spawn_local(async move {
            match test_picture(None).await {
                Ok((p, _)) => picture.set(Some(p)),
                Err(e) => data_error.set(Some(crate::i18n::train::data_error(lang.get_untracked(), &e))),
            }
        });
    };

    let arithmetic = move || {
        let v = view_now()?;
        let (y, x) = pixel.get();
        let o = out_channel.get().min(v.c_out - 1);
        let lang = lang.get();
        let input = v.input_at(y, x);
        let pre = v.pre_activation_at(y, x);
        let dense: Vec<f32> = pre.iter().map(|z| z.max(0.0)).collect();
        let model_out = v.output_at(y, x);
        let mut terms: Vec<(usize, f32, f32)> = v.row(o).iter().zip(&input).enumerate().map(|(i, (w, x))| (i, *w, *x)).collect();
        terms.sort_by(|a, b| (b.1 * b.2).abs().total_cmp(&(a.1 * a.2).abs()));
        terms.truncate(3);
        Some(view! {
            <p class="explore-at" data-testid="explore-1x1-pixel" data-y=y.to_string() data-x=x.to_string()>{tx::at_pixel(lang, y, x, v.height, v.width)}</p>
            <p class="explore-equation" data-testid="explore-1x1-equation" data-channel=o.to_string()>
                {tx::equation(lang, o, pre[o] - v.bias[o], v.bias[o], dense[o], model_out[o])}
            </p>
            <p class="note">{tx::largest_terms(lang, &terms)}</p>
            <span hidden data-testid="explore-1x1-out" data-values=json(&dense)></span>
            <span hidden data-testid="explore-1x1-model-out" data-values=json(&model_out)></span>
            <span hidden data-testid="explore-1x1-in" data-values=json(&input)></span>
        })
    };

    view! {
        <figure class="cell explore" id="explore-1x1" data-testid="explore-1x1" tabindex="0" on:keydown=on_key
            data-busy=move || busy.get().to_string() data-version=move || version.get().to_string()
            data-swept=move || swept.get().map(|n| n.to_string()).unwrap_or_default()>
            <div class="cell-head">
                <span class="cell-label">{move || t().label}</span>
                <h3>{move || t().title_1x1}</h3>
                <LastRan done=version.into()/>
            </div>
            <figcaption class="cell-note">{move || t().question_1x1}</figcaption>
            <Show when=move || !has_model()>
                <p class="note" data-testid="explore-1x1-need-model">
                    {move || t().need_model}" "
                    <button type="button" data-testid="explore-1x1-load" on:click=move |_| shipped.update(|n| *n += 1)>
                        {move || lang.get().train().load_shipped}
                    </button>
                    {move || shipped_error.get().map(|e| view! { " "<span class="error" role="alert">{e.message(lang.get())}</span> })}
                </p>
            </Show>
            <div class="cell-actions explore-actions">
                <label>
                    {move || t().layer}" "
                    <select data-testid="explore-1x1-layer" disabled=move || layers.with(Vec::is_empty)
                        on:change:target=move |ev| layer.set(ev.target().value().parse().unwrap_or(0))>
                        {move || layers.get().into_iter().enumerate().map(|(i, (l, c_in, c_out))| view! {
                            <option value=i.to_string() selected=move || layer.get() == i>{tx::layer_option(lang.get(), l.block, l.conv, c_in, c_out)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="button" data-testid="explore-1x1-another" disabled=move || !has_model() || busy.get() on:click=move |_| another()>{move || t().another_image}</button>
                <button type="button" data-testid="explore-1x1-drawing" disabled=move || !has_model() || busy.get() || drawing.with(Option::is_none)
                    title=move || t().use_drawing_hint on:click=move |_| if let Some(p) = drawing.get_untracked() { picture.set(Some(p)) }>{move || t().use_drawing}</button>
                <button type="button" class="run" data-testid="explore-1x1-sweep" disabled=move || view_now().is_none()
                    on:click=move |_| if swept.get_untracked().is_some_and(|n| view_now().is_some_and(|v| n < v.height * v.width)) { stop_sweep() } else { sweep() }>
                    {move || if swept.get().is_some_and(|n| view_now().is_some_and(|v| n < v.height * v.width)) { t().stop } else { t().sweep }}
                </button>
            </div>
            <div role="status" class="status">
                {move || busy.get().then(|| t().computing)}
                {move || error.get().map(|e| view! { <span class="error" data-testid="explore-1x1-error">{tx::error(lang.get(), &e)}</span> })}
                {move || data_error.get().map(|e| view! { <span class="error">{e}</span> })}
                {move || swept.get().zip(view_now()).map(|(n, v)| tx::swept(lang.get(), n, v.height * v.width))}
            </div>
            <Show when=move || view_now().is_some()>
                <p class="note">{move || t().keys_1x1}</p>
                <div class="explore-row">
                    {move || picture.get().map(|p| view! { <Thumb pixels=p.pixels label=t().another_image.to_string() class="explore-picture"/> })}
                    <figure class="explore-atlas">
                        <figcaption>{move || format!("{} ({})", t().maps_in, view_now().map_or(0, |v| v.c_in))}</figcaption>
                        <canvas node_ref=canvas_in data-testid="explore-1x1-maps-in" role="img" aria-label=move || t().maps_in
                            on:pointermove=move |ev| point_atlas(canvas_in, false, &ev) on:pointerdown=move |ev| point_atlas(canvas_in, false, &ev)></canvas>
                    </figure>
                    <figure class="explore-atlas">
                        <figcaption>{move || format!("{} ({})", t().maps_out, view_now().map_or(0, |v| v.c_out))}</figcaption>
                        <canvas node_ref=canvas_out data-testid="explore-1x1-maps-out" role="img" aria-label=move || t().maps_out
                            on:pointermove=move |ev| point_atlas(canvas_out, true, &ev) on:pointerdown=move |ev| point_atlas(canvas_out, true, &ev)></canvas>
                    </figure>
                </div>
                <div class="explore-mv">
                    <span class="mv-corner"></span>
                    <canvas node_ref=canvas_x class="mv-x" data-testid="explore-1x1-x" role="img" aria-label=move || t().vector_in></canvas>
                    <span></span>
                    <span></span>
                    <span class="mv-label">{move || t().weights}</span>
                    <canvas node_ref=canvas_w class="mv-w" data-testid="explore-1x1-weights" role="img" aria-label=move || t().weights
                        data-values=move || { version.get(); painted.with_value(|p| p.as_ref().map(|p| p.weights_json.clone()).unwrap_or_default()) }
                        on:pointerdown=move |ev| point_row(canvas_w, &ev)></canvas>
                    <canvas node_ref=canvas_b class="mv-b" data-testid="explore-1x1-bias" role="img" aria-label=move || t().bias
                        data-values=move || view_now().map(|v| json(&v.bias)).unwrap_or_default()></canvas>
                    <canvas node_ref=canvas_y class="mv-y" data-testid="explore-1x1-y" role="img" aria-label=move || t().vector_out
                        on:pointerdown=move |ev| point_row(canvas_y, &ev)></canvas>
                </div>
                <p class="note mv-legend">{move || format!("{} · {} · {} · {}", t().vector_in, t().weights, t().bias, t().vector_out)}</p>
                <label class="explore-channel">
                    {move || t().output_channel}" "
                    <input type="number" min="1" data-testid="explore-1x1-channel" max=move || view_now().map_or(1, |v| v.c_out).to_string()
                        prop:value=move || (out_channel.get() + 1).to_string()
                        on:input:target=move |ev| {
                            if let Ok(n) = ev.target().value().parse::<usize>() {
                                let top = view_now().map_or(1, |v| v.c_out);
                                out_channel.set(n.clamp(1, top) - 1);
                            }
                        }/>
                </label>
                {arithmetic}
            </Show>
        </figure>
    }
}
