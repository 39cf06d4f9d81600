//! The live progress board: progress bar with ETA, images/s and backend; the book-style plot
//! of training loss, validation loss and validation accuracy; and the plateau diagnostics.

use leptos::prelude::*;

use leptos::svg::Svg;

use crate::client::BackendKind;
use crate::client::Progress;
use crate::client::board::RunRecord;
use crate::client::{History, TrainSettings};
use crate::figure::curves::{self, BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH};
use crate::figure::readout;
use crate::i18n::{Lang, train as tr};

/// Every drawn point's value, comma-separated at full precision (Rust's shortest text that reads
/// back as the same number): the charts' own data, which the readouts must equal.
fn joined(values: impl Iterator<Item = f64>) -> String {
    values.map(|v| v.to_string()).collect::<Vec<_>>().join(",")
}

/// The readout's state on one chart: the chosen point (an index into the chart's stops), and
/// whether the chart has the keyboard focus (then the point stays when the pointer leaves).
#[derive(Clone, Copy)]
struct Pick {
    chosen: RwSignal<Option<usize>>,
    focused: RwSignal<bool>,
    svg: NodeRef<Svg>,
}

impl Pick {
    fn new() -> Self {
        Pick { chosen: RwSignal::new(None), focused: RwSignal::new(false), svg: NodeRef::new() }
    }

    /// A pointer (mouse, pen, finger) at `client_x`: the stop nearest to it, of stops at `xs`.
    fn pointer(&self, client_x: i32, xs: Vec<f64>) {
        let Some(svg) = self.svg.get_untracked() else { return };
        let rect = svg.get_bounding_client_rect();
        if let Some(i) = readout::pointer_x(client_x as f64, rect.left(), rect.width(), WIDTH).and_then(|x| readout::nearest(xs, x)) {
            self.chosen.set(Some(i));
        }
    }

    fn leave(&self) {
        if !self.focused.get_untracked() {
            self.chosen.set(None);
        }
    }

    /// Left and right step, Home and End jump; other keys are the page's.
    fn key(&self, ev: &web_sys::KeyboardEvent, len: usize) {
        if let Some(i) = readout::step_key(&ev.key(), self.chosen.get_untracked(), len) {
            ev.prevent_default();
            self.chosen.set(Some(i));
        }
    }

    /// Focus shows the latest point at once (a keyboard user hears the values so far).
    fn focus(&self, len: usize) {
        self.focused.set(true);
        if self.chosen.get_untracked().is_none() && len > 0 {
            self.chosen.set(Some(len - 1));
        }
    }

    fn blur(&self) {
        self.focused.set(false);
        self.chosen.set(None);
    }
}

#[component]
pub fn Board(history: RwSignal<History>, progress: RwSignal<Option<Progress>>, settings: RwSignal<Option<TrainSettings>>) -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let t = move || lang.get().train();
    let epochs = move || settings.get().map(|s| s.epochs).unwrap_or(1);
    let layout = Memo::new(move |_| curves::layout(&history.get(), epochs()));
    let has_run = move || settings.get().is_some();

    let bar = move || {
        progress.get().map(|p| {
            let t = t();
            let backend = match p.backend {
                BackendKind::WebGpu => "WebGPU".to_string(),
                BackendKind::Cpu => format!("CPU × {} {}", p.workers, if p.workers == 1 { t.worker } else { t.workers }),
            };
            view! {
                <div class="train-progress">
                    <progress data-testid="train-progress" max=p.total_steps value=p.step></progress>
                    <span data-testid="train-progress-text" data-images-per-s=format!("{:.2}", p.images_per_s) data-workers=p.workers.to_string()>
                        {format!(
                            "{} {} / {} · {} {:.2} · {:.1} {} · {} · {backend}",
                            t.step, p.step, p.total_steps, t.epoch, p.epoch, p.images_per_s, t.images_per_s, tr::time_left(lang.get(), p.eta_secs)
                        )}
                    </span>
                </div>
            }
        })
    };

    let pick = Pick::new();
    let stop_xs = move || layout.with_untracked(|l| l.stops.iter().map(|s| s.x).collect::<Vec<_>>());
    let stop_count = move || layout.with_untracked(|l| l.stops.len());
    // The point the readout shows: its epoch, its values as JSON (what the tests compare with
    // the curves' data attributes) and the line the student reads.
    let shown = Memo::new(move |_| {
        let i = pick.chosen.get()?;
        let stop = layout.with(|l| l.stops.get(i).cloned())?;
        let t = t();
        let values = serde_json::json!({
            "epoch": stop.epoch,
            "step": stop.step,
            "train_loss": stop.train.map(|p| p.loss),
            "train_acc": stop.train.map(|p| p.accuracy),
            "val_loss": stop.val.map(|p| p.loss),
            "val_acc": stop.val.map(|p| p.accuracy),
        });
        let mut parts = vec![format!("{} {:.2}", t.epoch, stop.epoch), format!("{} {}", t.step, stop.step)];
        if let Some(p) = stop.train {
            parts.push(format!("{} {:.3}", t.train_loss, p.loss));
            parts.push(format!("{} {:.1} %", t.train_acc, p.accuracy * 100.0));
        }
        if let Some(p) = stop.val {
            parts.push(format!("{} {:.3}", t.val_loss, p.loss));
            parts.push(format!("{} {:.1} %", t.val_acc, p.accuracy * 100.0));
        }
        Some((stop.epoch.to_string(), values.to_string(), parts.join(" · ")))
    });
    let crosshair = move || {
        let stop = layout.with(|l| l.stops.get(pick.chosen.get()?).cloned())?;
        Some(view! {
            <g class="crosshair" data-testid="curve-crosshair">
                <line class="crosshair-line" x1=stop.x x2=stop.x y1=TOP y2=HEIGHT - BOTTOM/>
                {stop.train.map(|p| view! { <circle class="crosshair-mark train-loss" cx=stop.x cy=p.y_loss r="5"/> })}
                {stop.val.map(|p| view! {
                    <circle class="crosshair-mark val-loss" cx=stop.x cy=p.y_loss r="5"/>
                    <circle class="crosshair-mark val-acc" cx=stop.x cy=p.y_acc r="5"/>
                })}
            </g>
        })
    };

    // The plot is redrawn as points arrive; the SVG element stays, so it keeps the focus.
    let plot = move || {
        let l = layout.get();
        let t = t();
        let (plot_l, plot_r, plot_b) = (LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM);
        let (train_x, train_loss, train_acc, val_x, val_loss, val_acc) = history.with(|h| {
            (
                joined(h.train.iter().map(|p| p.epoch)),
                joined(h.train.iter().map(|p| p.loss)),
                joined(h.train.iter().map(|p| p.accuracy)),
                joined(h.val.iter().map(|p| p.epoch)),
                joined(h.val.iter().map(|p| p.metrics.loss)),
                joined(h.val.iter().map(|p| p.metrics.accuracy)),
            )
        });
        view! {
            // Grid and axes.
            {l.loss_ticks.iter().map(|(y, label)| view! {
                <line class="grid" x1=plot_l x2=plot_r y1=*y y2=*y/>
                <text class="tick" x=plot_l - 6.0 y=*y + 4.0 text-anchor="end">{label.clone()}</text>
            }).collect_view()}
            {l.acc_ticks.iter().map(|(y, label)| view! {
                <text class="tick acc" x=plot_r + 6.0 y=*y + 4.0 text-anchor="start">{label.clone()}</text>
            }).collect_view()}
            {l.x_ticks.iter().map(|(x, label)| view! {
                <line class="axis" x1=*x x2=*x y1=plot_b y2=plot_b + 4.0/>
                <text class="tick" x=*x y=plot_b + 16.0 text-anchor="middle">{label.clone()}</text>
            }).collect_view()}
            <line class="axis" x1=plot_l x2=plot_r y1=plot_b y2=plot_b/>
            <text class="axis-label" x=(plot_l + plot_r) / 2.0 y=HEIGHT - 4.0 text-anchor="middle">{t.epoch}</text>
            // Axis titles above the plot, over their tick columns (not on the top ticks).
            <text class="axis-label" x=4.0 y=TOP - 14.0>{t.loss_axis}</text>
            <text class="axis-label acc" x=WIDTH - 4.0 y=TOP - 14.0 text-anchor="end">{t.acc_axis}</text>
            // Chance level for both measures.
            <line class="chance" x1=plot_l x2=plot_r y1=l.chance_loss_y y2=l.chance_loss_y/>
            <line class="chance acc" x1=plot_l x2=plot_r y1=l.chance_acc_y y2=l.chance_acc_y/>
            // The curves. data-losses: the plotted values, for tests in engines without
            // downloads; data-x and data-values: every point at full precision (the readout's
            // values are these).
            <polyline class="curve train-loss" data-testid="curve-train-loss" points=l.train_loss.clone()
                data-losses=history.with(|h| h.train.iter().map(|p| format!("{:.4}", p.loss)).collect::<Vec<_>>().join(","))
                data-x=train_x data-values=train_loss data-accuracies=train_acc/>
            <polyline class="curve val-loss" data-testid="curve-val-loss" points=l.val_loss.clone() data-x=val_x.clone() data-values=val_loss/>
            <polyline class="curve val-acc" data-testid="curve-val-acc" points=l.val_acc.clone() data-x=val_x data-values=val_acc/>
            {l.val_marks.iter().map(|(x, yl, ya)| view! {
                <circle class="mark val-loss" cx=*x cy=*yl r="3"/>
                <circle class="mark val-acc" cx=*x cy=*ya r="3"/>
            }).collect_view()}
        }
    };

    let chart = move || {
        view! {
            <figure class="train-chart">
                <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" data-testid="train-chart" tabindex="0" node_ref=pick.svg
                    aria-label=move || { let t = t(); format!("{}, {}, {}", t.train_loss, t.val_loss, t.val_acc) }
                    on:pointermove=move |ev| pick.pointer(ev.client_x(), stop_xs())
                    on:pointerdown=move |ev| pick.pointer(ev.client_x(), stop_xs())
                    on:pointerleave=move |_| pick.leave()
                    on:keydown=move |ev| pick.key(&ev, stop_count())
                    on:focus=move |_| pick.focus(stop_count())
                    on:blur=move |_| pick.blur()>
                    {plot}
                    {crosshair}
                </svg>
                <p class="chart-readout" role="status" data-testid="curve-readout"
                    data-x=move || shown.get().map(|s| s.0).unwrap_or_default()
                    data-values=move || shown.get().map(|s| s.1).unwrap_or_default()>
                    {move || shown.get().map(|s| s.2).unwrap_or_else(|| t().chart_hint.to_string())}
                </p>
                <figcaption>
                    <ul class="legend">
                        <li><span class="swatch train-loss"></span>{move || t().train_loss}</li>
                        <li><span class="swatch val-loss"></span>{move || t().val_loss}</li>
                        <li><span class="swatch val-acc"></span>{move || t().val_acc}</li>
                        <li><span class="swatch chance"></span>{move || t().chance}</li>
                    </ul>
                    {move || t().chart_caption}
                </figcaption>
            </figure>
        }
    };

    // The plateau diagnostics from the last validation point.
    let plateau = move || {
        let h = history.get();
        let last = h.val.last()?.metrics.clone();
        let t = t();
        let at_chance = last.accuracy < 0.15 && (last.loss - curves::CHANCE_LOSS).abs() < 0.05;
        Some(view! {
            <details class="plateau" data-testid="train-plateau" open=at_chance>
                <summary>{t.plateau_title}</summary>
                <p>{t.plateau_text}</p>
                <p class=if at_chance { "plateau-verdict stuck" } else { "plateau-verdict" } data-testid="train-plateau-verdict" data-at-chance=at_chance.to_string()>
                    {if at_chance { t.plateau_now } else { t.learning_now }}
                </p>
                <dl class="plateau-figures">
                    <dt>{t.dead_logits}</dt><dd data-testid="train-dead-logits">{format!("{} / 10", last.dead_logits)}</dd>
                    <dt>{t.spread}</dt><dd>{format!("{:.4}", last.logit_spread)}</dd>
                    <dt>{t.offset}</dt><dd>{format!("{:.4}", last.logit_offset)}</dd>
                </dl>
            </details>
        })
    };

    view! {
        <Show when=has_run>
            <div class="train-board" data-testid="train-board" data-train-points=move || history.get().train.len().to_string() data-val-points=move || history.get().val.len().to_string()>
                {bar}
                {chart}
                {plateau}
            </div>
        </Show>
    }
}

/// The run board's chart: every run's validation accuracy against the images it had trained on
/// (steps × batch size), so runs of any length and batch size compare; the pointer or the
/// arrow keys read every run's value at one x.
#[component]
pub fn RunsChart(runs: RwSignal<Vec<RunRecord>>) -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let overlay = Memo::new(move |_| runs.with(|list| curves::overlay(&list.iter().map(RunRecord::val_by_images).collect::<Vec<_>>())));
    let pick = Pick::new();
    let stop_xs = move || overlay.with_untracked(|o| o.stops.iter().map(|s| s.x).collect::<Vec<_>>());
    let stop_count = move || overlay.with_untracked(|o| o.stops.len());
    let stop = move || overlay.with(|o| o.stops.get(pick.chosen.get()?).cloned());

    let plot = move || {
        let o = overlay.get();
        let (plot_l, plot_r, plot_b) = (LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM);
        let names = runs.with(|list| list.iter().map(|r| (r.id, r.name.clone())).collect::<Vec<_>>());
        view! {
            {[0.0, 0.25, 0.5, 0.75, 1.0].into_iter().map(|a| {
                let y = HEIGHT - BOTTOM - a * (HEIGHT - TOP - BOTTOM);
                view! {
                    <line class="grid" x1=plot_l x2=plot_r y1=y y2=y/>
                    <text class="tick" x=plot_l - 6.0 y=y + 4.0 text-anchor="end">{format!("{:.0}%", a * 100.0)}</text>
                }
            }).collect_view()}
            {o.ticks.iter().map(|(x, label)| view! {
                <line class="axis" x1=*x x2=*x y1=plot_b y2=plot_b + 4.0/>
                <text class="tick" x=*x y=plot_b + 16.0 text-anchor="middle">{label.clone()}</text>
            }).collect_view()}
            <line class="axis" x1=plot_l x2=plot_r y1=plot_b y2=plot_b/>
            <text class="axis-label" x=(plot_l + plot_r) / 2.0 y=HEIGHT - 4.0 text-anchor="middle">{lang.get().train().images_axis}</text>
            // data-x (images seen) and data-values (accuracy): each run's points at full
            // precision, which the readout's values must equal.
            {o.lines.iter().zip(&o.points).zip(names).enumerate().map(|(i, ((points, data), (id, name)))| view! {
                <polyline class=format!("curve run-line run-{}", i % 8) data-testid="runs-line" points=points.clone()
                    data-run=id.to_string() data-name=name
                    data-x=joined(data.iter().map(|p| p.0)) data-values=joined(data.iter().map(|p| p.1))/>
            }).collect_view()}
        }
    };
    let crosshair = move || {
        let s = stop()?;
        Some(view! {
            <g class="crosshair" data-testid="board-crosshair">
                <line class="crosshair-line" x1=s.x x2=s.x y1=TOP y2=HEIGHT - BOTTOM/>
                {s.runs.iter().enumerate().filter_map(|(i, r)| {
                    let r = (*r)?;
                    let class = format!("crosshair-mark run-{}{}", i % 8, if r.exact { "" } else { " between" });
                    Some(view! { <circle class=class cx=s.x cy=r.y r="5"/> })
                }).collect_view()}
            </g>
        })
    };
    // The readout: images seen, then each run's name and accuracy there ("≈": read off its line
    // between two of its points; "–": the run has no point this early or this far).
    let shown = Memo::new(move |_| {
        let s = stop()?;
        let list = runs.get();
        let values: Vec<serde_json::Value> = list
            .iter()
            .zip(&s.runs)
            .map(|(r, at)| serde_json::json!({ "id": r.id, "name": r.name, "acc": at.map(|a| a.accuracy), "exact": at.is_some_and(|a| a.exact) }))
            .collect();
        let runs: Vec<(usize, String, String)> = list
            .iter()
            .zip(&s.runs)
            .enumerate()
            .map(|(i, (r, at))| {
                let value = match at {
                    Some(a) if a.exact => format!("{:.1} %", a.accuracy * 100.0),
                    Some(a) => format!("≈\u{a0}{:.1} %", a.accuracy * 100.0),
                    None => "–".to_string(),
                };
                (i, r.name.clone(), value)
            })
            .collect();
        Some((s.images.to_string(), serde_json::Value::Array(values).to_string(), tr::images_seen(lang.get(), s.images), runs))
    });

    view! {
        <figure class="train-chart runs-chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" data-testid="runs-chart" tabindex="0" node_ref=pick.svg
                aria-label=move || lang.get().runs().chart_label
                on:pointermove=move |ev| pick.pointer(ev.client_x(), stop_xs())
                on:pointerdown=move |ev| pick.pointer(ev.client_x(), stop_xs())
                on:pointerleave=move |_| pick.leave()
                on:keydown=move |ev| pick.key(&ev, stop_count())
                on:focus=move |_| pick.focus(stop_count())
                on:blur=move |_| pick.blur()>
                {plot}
                {crosshair}
            </svg>
            <p class="chart-readout" role="status" data-testid="board-readout"
                data-x=move || shown.get().map(|s| s.0).unwrap_or_default()
                data-values=move || shown.get().map(|s| s.1).unwrap_or_default()>
                {move || match shown.get() {
                    None => lang.get().train().chart_hint.into_any(),
                    Some((_, _, images, runs)) => view! {
                        <strong>{images}</strong>
                        {runs.into_iter().map(|(i, name, value)| view! {
                            " "
                            <span class="readout-run">
                                <span class=format!("swatch run-swatch run-{}", i % 8)></span>
                                {name}": "{value}
                            </span>
                        }).collect_view()}
                    }.into_any(),
                }}
            </p>
            <figcaption>{move || lang.get().runs().chart_caption}</figcaption>
        </figure>
    }
}
