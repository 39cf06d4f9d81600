//! After a run: test accuracy, the confusion matrix with class names, accuracy per class, a
//! gallery of misclassified test images, and the downloads (curves, weights).

use leptos::html::Canvas;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{Clamped, JsCast};

use super::fetch;
use super::train_run::TrainedModel;
use crate::client::TestReport;
use crate::client::{History, TrainSettings, record};
use crate::figure::readout;
use crate::i18n::{Lang, train as tr};

/// How many misclassified images the gallery shows.
const GALLERY: usize = 24;

/// Offers `bytes` as a file download.
pub fn download(name: &str, bytes: &[u8], mime: &str) {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Some(a) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.create_element("a").ok()) {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// A grey image (28x28 unless told) drawn on a canvas at its own resolution, scaled up by CSS.
#[component]
pub fn Thumb(
    pixels: Vec<u8>,
    #[prop(optional)] label: String,
    #[prop(default = 28)] width: usize,
    #[prop(default = 28)] height: usize,
    #[prop(default = "thumb")] class: &'static str,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let Some(canvas) = canvas.get() else { return };
        let Ok(Some(ctx)) = canvas.get_context("2d") else { return };
        let ctx: web_sys::CanvasRenderingContext2d = ctx.unchecked_into();
        let rgba: Vec<u8> = pixels.iter().flat_map(|&p| [p, p, p, 255]).collect();
        if let Ok(image) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), width as u32, height as u32) {
            let _ = ctx.put_image_data(&image, 0.0, 0.0);
        }
    });
    view! { <canvas class=class width=width height=height node_ref=canvas role="img" aria-label=label data-testid=testid></canvas> }
}

/// Moves the confusion matrix's focus for an arrow, Home or End key pressed on the cell at `at`.
fn focus_cell(ev: &web_sys::KeyboardEvent, at: (usize, usize)) {
    let Some((row, col)) = readout::grid_key(&ev.key(), at, 10, 10) else { return };
    ev.prevent_default();
    let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let table = target.and_then(|td| td.closest("table").ok().flatten());
    let next = table.and_then(|table| table.query_selector(&format!("td[data-true=\"{row}\"][data-pred=\"{col}\"]")).ok().flatten());
    if let Some(next) = next.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = next.focus();
    }
}

/// JSON for the downloads: the settings, the curves and the test report.
#[derive(serde::Serialize)]
struct RunFile<'a> {
    /// The variant's name and key, and its config (every value that builds it).
    model: String,
    variant: &'a str,
    config: Option<&'a crate::model::config::NinConfig>,
    settings: &'a Option<TrainSettings>,
    history: &'a History,
    test: Option<&'a TestReport>,
}

#[component]
pub fn Results(
    report: RwSignal<Option<(TestReport, usize)>>,
    history: RwSignal<History>,
    settings: RwSignal<Option<TrainSettings>>,
    shown: RwSignal<Option<(String, crate::model::config::NinConfig)>>,
    model: TrainedModel,
) -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let t = move || lang.get().train();
    // The confusion matrix's readout: the cell under the pointer or with the focus, and the one
    // cell the Tab key reaches (roving tabindex; the arrow keys move it).
    let cell = RwSignal::new(None::<(usize, usize)>);
    let roving = RwSignal::new((0_usize, 0_usize));
    let cell_readout = Memo::new(move |_| {
        let (truth, pred) = cell.get()?;
        report.with(|r| {
            let row = r.as_ref()?.0.confusion.get(truth)?;
            let count = *row.get(pred)?;
            let classes = lang.get().classes();
            let (truth_name, pred_name) = (classes.get(truth)?, classes.get(pred)?);
            let text = tr::confusion_cell(lang.get(), truth_name, pred_name, count as u64, row.iter().map(|&n| n as u64).sum());
            Some((truth, pred, count, text))
        })
    });

    let summary = move || {
        report.get().map(|(r, count)| {
            let t = t();
            let classes = lang.get().classes();
            let max = r.confusion.iter().flatten().copied().max().unwrap_or(1).max(1) as f64;
            let test = fetch::cached();
            let gallery: Vec<_> = r.wrong.iter().take(GALLERY).cloned().collect();
            view! {
                <section class="train-results" data-testid="train-results">
                    <h4>{t.results}</h4>
                    <p class="big-number">
                        {t.test_accuracy}": "
                        <strong data-testid="test-accuracy" data-value=r.metrics.accuracy.to_string()>{format!("{:.1} %", r.metrics.accuracy * 100.0)}</strong>
                        {format!(" ({} / {count})", (r.metrics.accuracy * count as f64).round() as usize)}
                    </p>
                    <div class="results-grid">
                        <figure class="confusion">
                            <table data-testid="confusion">
                                <caption>{t.confusion}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{format!("{} \\ {}", t.true_class, t.predicted_class)}</th>
                                        {classes.iter().map(|c| view! { <th scope="col" class="rot"><span>{*c}</span></th> }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {r.confusion.iter().enumerate().map(|(i, row)| view! {
                                        <tr>
                                            <th scope="row">{classes[i]}</th>
                                            {row.iter().enumerate().map(|(j, &n)| {
                                                let share = n as f64 / max;
                                                let class = move || {
                                                    let base = if i == j { "diag" } else { "off" };
                                                    if cell.get() == Some((i, j)) { format!("{base} picked") } else { base.to_string() }
                                                };
                                                view! {
                                                    <td class=class style=format!("--share:{share:.3}") data-true=i.to_string() data-pred=j.to_string() data-count=n.to_string()
                                                        tabindex=move || if roving.get() == (i, j) { "0" } else { "-1" }
                                                        on:pointerenter=move |_| cell.set(Some((i, j)))
                                                        on:focus=move |_| { roving.set((i, j)); cell.set(Some((i, j))); }
                                                        on:keydown=move |ev| focus_cell(&ev, (i, j))>{n}</td>
                                                }
                                            }).collect_view()}
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <p class="chart-readout" role="status" data-testid="confusion-readout"
                                data-true=move || cell_readout.get().map(|c| c.0.to_string()).unwrap_or_default()
                                data-pred=move || cell_readout.get().map(|c| c.1.to_string()).unwrap_or_default()
                                data-count=move || cell_readout.get().map(|c| c.2.to_string()).unwrap_or_default()>
                                {move || cell_readout.get().map(|c| c.3).unwrap_or_else(|| lang.get().train().confusion_hint.to_string())}
                            </p>
                        </figure>
                        <figure class="per-class" data-testid="per-class">
                            <figcaption>{t.per_class}</figcaption>
                            {r.per_class.iter().enumerate().map(|(i, acc)| {
                                let value = acc.unwrap_or(0.0);
                                view! {
                                    <div class="bar-row">
                                        <span class="bar-label">{classes[i]}</span>
                                        <span class="bar"><span class="bar-fill" style=format!("width:{:.1}%", value * 100.0)></span></span>
                                        <span class="bar-value">{acc.map(|a| format!("{:.0} %", a * 100.0)).unwrap_or_else(|| "–".into())}</span>
                                    </div>
                                }
                            }).collect_view()}
                        </figure>
                    </div>
                    <h4>{t.gallery}</h4>
                    {if gallery.is_empty() {
                        view! { <p>{t.gallery_none}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="gallery" data-testid="gallery">
                                {gallery.into_iter().filter_map(|(i, truth, pred)| {
                                    let pixels = test.as_ref()?.test.image(i).to_vec();
                                    let label = format!("{} {}, {} {}", t.predicted, classes[pred as usize], t.truth, classes[truth as usize]);
                                    Some(view! {
                                        <li>
                                            <Thumb pixels=pixels label=label.clone()/>
                                            <span class="pred">{classes[pred as usize]}</span>
                                            <span class="truth">{format!("{}: {}", t.truth, classes[truth as usize])}</span>
                                        </li>
                                    })
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            }
        })
    };

    let json = move || {
        let h = history.get_untracked();
        let s = settings.get_untracked();
        let r = report.get_untracked();
        // Labelled with the run whose curves and settings these are (not the model "try it"
        // holds, which a failed run or a loaded file leaves from another run).
        let shown = shown.get_untracked();
        let variant = shown.as_ref().map_or("book", |(v, _)| v.as_str()).to_string();
        let file = RunFile {
            model: crate::i18n::exercises::variant_label(Lang::En, &variant).to_string(),
            variant: &variant,
            config: shown.as_ref().map(|(_, c)| c),
            settings: &s,
            history: &h,
            test: r.as_ref().map(|r| &r.0),
        };
        serde_json::to_vec_pretty(&file).unwrap_or_default()
    };
    let weights = move || {
        let Some(trained) = model.0.get_value() else { return };
        spawn_local(async move {
            if let Ok(bytes) = record::to_bytes(&trained.nin, &trained.config).await {
                let meta = record::WeightsMeta { variant: trained.variant.clone(), config: trained.config.clone(), image_size: trained.size };
                download(&format!("nin-{}-{}px.ninw", trained.variant, trained.size), &record::to_file(&meta, &bytes), "application/octet-stream");
            }
        });
    };
    let has_curves = move || !history.get().train.is_empty();
    // A loaded file has no curves, but its test report is worth a download.
    let has_run = move || has_curves() || report.with(Option::is_some);
    let json_name = move || format!("nin-{}-run.json", shown.with_untracked(|s| s.as_ref().map_or("book".to_string(), |(v, _)| v.clone())));
    let has_model = move || {
        model.1.get();
        model.0.with_value(|m| m.is_some())
    };

    view! {
        {summary}
        <Show when=move || has_run() || has_model()>
            <div class="downloads" role="group" aria-label=move || t().downloads>
                <span>{move || t().downloads}": "</span>
                <button type="button" data-testid="download-csv" disabled=move || !has_curves()
                    on:click=move |_| download("nin-curves.csv", history.get_untracked().to_csv().as_bytes(), "text/csv")>
                    {move || t().csv}
                </button>
                <button type="button" data-testid="download-json" disabled=move || !has_run()
                    data-variant=move || shown.get().map(|(v, _)| v).unwrap_or_default()
                    on:click=move |_| download(&json_name(), &json(), "application/json")>
                    {move || t().json}
                </button>
                <button type="button" data-testid="download-weights" disabled=move || !has_model() on:click=move |_| weights()>
                    {move || t().weights}
                </button>
            </div>
        </Show>
    }
}
