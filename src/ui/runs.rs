//! Which model the training cell trains (the book's, or a variant an exercise sends), and the
//! run comparison board: every finished or stopped run, kept in localStorage across reloads,
//! with overlaid validation-accuracy curves and a cost and accuracy table; rename and delete.

use leptos::prelude::*;

use crate::i18n::{Lang, exercises as tx};
use crate::model::config::NinConfig;

/// The model the training cell builds: a variant key (for labels) and its config.
#[derive(Clone, Copy)]
pub struct TrainTarget(pub RwSignal<(&'static str, NinConfig)>);

impl TrainTarget {
    pub fn book() -> Self {
        TrainTarget(RwSignal::new(("book", NinConfig::book())))
    }
}

pub use crate::client::board::RunRecord;

/// localStorage key; the version changes when the record format does.
const STORAGE_KEY: &str = "nin-runs-v1";
/// Oldest runs are dropped beyond this (localStorage holds a few MB).
const MAX_RUNS: usize = 24;

/// All runs, newest last; and what reading the saved board left out (named above the board).
#[derive(Clone, Copy)]
pub struct Runs(pub RwSignal<Vec<RunRecord>>, pub RwSignal<crate::client::board::Dropped>);

impl Runs {
    /// The saved runs; a missing entry gives an empty board, an unreadable one (another
    /// version's, or damaged) is set aside with a notice. A board that had to be cut (too
    /// large, too many runs or points, entries that are not runs) is saved back as read, so
    /// that the note about it shows once.
    pub fn load() -> Self {
        let loaded = super::storage::get_with(STORAGE_KEY, super::storage::Stored::RunBoard, |json| crate::client::board::parse(json, MAX_RUNS));
        let (runs, dropped) = loaded.map(|l| (l.runs, l.dropped)).unwrap_or_default();
        let board = Runs(RwSignal::new(runs), RwSignal::new(dropped));
        if !dropped.is_empty() {
            board.save();
        }
        board
    }

    fn save(&self) {
        super::storage::set(STORAGE_KEY, &self.0.get_untracked(), super::storage::Stored::RunBoard);
    }

    pub fn add(&self, mut run: RunRecord) {
        self.0.update(|runs| {
            run.id = runs.iter().map(|r| r.id).max().unwrap_or(0) + 1;
            runs.push(run);
            let extra = runs.len().saturating_sub(MAX_RUNS);
            runs.drain(..extra);
        });
        self.save();
    }

    fn rename(&self, id: u64, name: String) {
        self.0.update(|runs| {
            if let Some(r) = runs.iter_mut().find(|r| r.id == id) {
                r.name = name.chars().take(60).collect();
            }
        });
        self.save();
    }

    fn delete(&self, id: u64) {
        self.0.update(|runs| runs.retain(|r| r.id != id));
        self.save();
    }
}

/// The board.
#[component]
pub fn RunBoard() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let runs = expect_context::<Runs>();
    let t = move || lang.get().runs();

    let table = move || {
        let lang = lang.get();
        let t = lang.runs();
        let list = runs.0.get();
        view! {
            <div class="table-scroll" tabindex="0">
                <table class="summary runs-table" data-testid="runs-table">
                    <thead>
                        <tr>
                            <th scope="col">{t.name}</th>
                            <th scope="col">{lang.ex().model}</th>
                            <th scope="col">{t.settings}</th>
                            <th scope="col" class="num">{lang.ex().params}</th>
                            <th scope="col" class="num">{lang.ex().flops_per_image}</th>
                            <th scope="col" class="num">{t.val_acc}</th>
                            <th scope="col" class="num">{t.test_acc}</th>
                            <th scope="col" class="num">{t.speed}</th>
                            <th scope="col"><span class="visually-hidden">{t.delete}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {list.into_iter().enumerate().map(|(i, r)| {
                            let id = r.id;
                            let s = &r.settings;
                            let best = r.history.val.iter().map(|p| p.metrics.accuracy).fold(f64::NAN, f64::max);
                            let settings = format!(
                                "{} {} · b{} · {}px · {}×{} · seed {}",
                                s.optimizer.id(), s.learning_rate, s.batch_size, s.image_size, crate::format::grouped(s.train_images as u64), s.epochs, s.seed
                            );
                            view! {
                                <tr data-testid="run-row" data-variant=r.variant.clone() data-best=best.to_string() data-test=r.test_accuracy.map(|a| a.to_string()).unwrap_or_default()>
                                    <th scope="row">
                                        <span class=format!("swatch run-swatch run-{}", i % 8)></span>
                                        <input type="text" class="run-name" data-testid="run-name" aria-label=t.name prop:value=r.name.clone()
                                            on:change:target=move |ev| runs.rename(id, ev.target().value())/>
                                        {r.stopped.then(|| view! { <small class="note">{t.stopped}</small> })}
                                    </th>
                                    <td>{tx::variant_label(lang, &r.variant)}</td>
                                    <td><small>{settings}</small></td>
                                    <td class="num">{crate::format::grouped(r.params)}</td>
                                    <td class="num">{crate::format::flops(r.flops_per_image)}</td>
                                    <td class="num">{if best.is_finite() { format!("{:.1} %", best * 100.0) } else { "–".into() }}</td>
                                    <td class="num">{r.test_accuracy.map(|a| format!("{:.1} %", a * 100.0)).unwrap_or_else(|| "–".into())}</td>
                                    <td class="num">{format!("{:.1}", r.images_per_s)}</td>
                                    <td><button type="button" data-testid="run-delete" aria-label=format!("{} {}", t.delete, r.name) on:click=move |_| runs.delete(id)>"×"</button></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };

    view! {
        <div class="cell runs-cell" data-testid="runs-cell" data-count=move || runs.0.get().len().to_string()>
            <div class="cell-head">
                <span class="cell-label">{move || lang.get().ui().cell}</span>
                <h3>{move || t().title}</h3>
            </div>
            <p class="cell-note">{move || t().intro}</p>
            {move || tx::runs_dropped(lang.get(), &runs.1.get()).map(|text| view! { <p class="note" role="status" data-testid="runs-dropped">{text}</p> })}
            <Show when=move || !runs.0.get().is_empty() fallback=move || view! { <p class="note" data-testid="runs-empty">{move || t().empty}</p> }>
                <super::train_board::RunsChart runs=runs.0/>
                {table}
                <ul class="findings" data-testid="runs-summary">
                    {move || {
                        let list: Vec<(String, f64, Option<f64>, f64)> = runs.0.get().iter().map(|r| {
                            let best = r.history.val.iter().map(|p| p.metrics.accuracy).fold(f64::NAN, f64::max);
                            (r.name.clone(), best, r.test_accuracy, r.images_per_s)
                        }).collect();
                        tx::runs_summary(lang.get(), &list).into_iter().map(|s| view! { <li>{s}</li> }).collect_view()
                    }}
                </ul>
            </Show>
        </div>
    }
}
