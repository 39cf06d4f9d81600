//! The live progress board: progress bar with ETA, images/s and backend; the book-style plot
//! of training loss, validation loss and validation accuracy; and the plateau diagnostics.

use leptos::prelude::*;

use crate::client::BackendKind;
use crate::client::Progress;
use crate::client::{History, TrainSettings};
use crate::figure::curves::{self, BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH};
use crate::i18n::{Lang, train as tr};

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

    let chart = move || {
        let l = layout.get();
        let t = t();
        let (plot_l, plot_r, plot_b) = (LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM);
        view! {
            <figure class="train-chart">
                <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" data-testid="train-chart"
                    aria-label=format!("{}, {}, {}", t.train_loss, t.val_loss, t.val_acc)>
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
                    // The curves.
                    // data-losses: the plotted values, for tests in engines without downloads.
                    <polyline class="curve train-loss" data-testid="curve-train-loss" points=l.train_loss.clone()
                        data-losses=history.with(|h| h.train.iter().map(|p| format!("{:.4}", p.loss)).collect::<Vec<_>>().join(","))/>
                    <polyline class="curve val-loss" data-testid="curve-val-loss" points=l.val_loss.clone()/>
                    <polyline class="curve val-acc" data-testid="curve-val-acc" points=l.val_acc.clone()/>
                    {l.val_marks.iter().map(|(x, yl, ya)| view! {
                        <circle class="mark val-loss" cx=*x cy=*yl r="3"/>
                        <circle class="mark val-acc" cx=*x cy=*ya r="3"/>
                    }).collect_view()}
                </svg>
                <figcaption>
                    <ul class="legend">
                        <li><span class="swatch train-loss"></span>{t.train_loss}</li>
                        <li><span class="swatch val-loss"></span>{t.val_loss}</li>
                        <li><span class="swatch val-acc"></span>{t.val_acc}</li>
                        <li><span class="swatch chance"></span>{t.chance}</li>
                    </ul>
                    {t.chart_caption}
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
