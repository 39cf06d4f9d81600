//! The NiN this site ships (`models/`, trained by `examples/train_model.rs`): fetching its card
//! and weights file with progress, the card's view, and its entry on the run board.

use leptos::prelude::*;

use super::fetch;
use super::runs::RunRecord;
use crate::client::TrainSettings;
use crate::client::card::{MODEL_DIR, MODEL_NAME, ModelCard};
use crate::data::DataError;
use crate::format;
use crate::i18n::{Lang, train as tr};

/// "Load the trained NiN" from another cell (the try-it cell) asks the training cell through
/// this counter; the second signal holds why the last request could not start (a training
/// field that breaks its rule), shown next to each "Load the trained NiN" button.
#[derive(Clone, Copy)]
pub struct ShippedRequests(pub RwSignal<u32>, pub RwSignal<Option<super::train_run::RunError>>);

pub fn file_name() -> String {
    format!("{MODEL_NAME}.ninw")
}

/// The card, then the weights file (`progress(done, total)` in bytes of the weights).
pub async fn fetch(progress: impl Fn(u64, u64) + Clone + 'static) -> Result<(ModelCard, Vec<u8>), DataError> {
    let card_url = format!("{MODEL_DIR}/{MODEL_NAME}.card.json");
    let text = String::from_utf8(fetch::fetch_bytes(&card_url, |_| ()).await?).map_err(|_| DataError::Manifest(format!("{card_url}: not UTF-8 text")))?;
    let card = ModelCard::parse(&text).ok_or_else(|| DataError::Manifest(format!("{card_url}: not a model card")))?;
    let total = card.weights_bytes as u64;
    let url = format!("{MODEL_DIR}/{}", file_name());
    let p = progress.clone();
    let bytes = fetch::fetch_bytes(&url, move |n| p(n.min(total), total)).await?;
    Ok((card, bytes))
}

/// The board's entry for the shipped model: its own training curves, the accuracy measured in
/// this page.
pub fn board_record(card: &ModelCard, settings: &TrainSettings, measured: f64, lang: Lang) -> RunRecord {
    RunRecord {
        format: crate::client::board::RUN_FORMAT,
        id: 0,
        name: tr::shipped_run_name(lang, card.wall_time_s),
        variant: card.variant.clone(),
        settings: card.settings.clone(),
        history: card.history.clone(),
        test_accuracy: Some(measured),
        params: 1_992_166,
        flops_per_image: crate::exercises::costs(&crate::model::config::NinConfig::book(), settings.image_size, 1, card.settings.optimizer)
            .map_or(0, |c| c.forward_flops),
        images_per_s: card.images_seen as f64 / card.wall_time_s.max(1.0),
        stopped: false,
    }
}

/// How the shipped model was trained, from its card.
#[component]
pub fn CardView(card: ModelCard) -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let t = move || lang.get().train();
    let c = card.clone();
    let (s1, s2) = (card.settings.clone(), card.settings.clone());
    view! {
        <section class="model-card" data-testid="shipped-card" data-card-accuracy=card.test.accuracy.to_string()>
            <h4>{move || t().shipped_title}</h4>
            <dl class="totals">
                <dt>{move || t().shipped_trained}</dt>
                <dd>{move || tr::shipped_trained(lang.get(), c.images_seen, c.settings.epochs, c.settings.image_size, c.wall_time_s, &c.machine)}</dd>
                <dt>{move || t().shipped_recipe}</dt><dd>{move || tr::shipped_recipe(lang.get(), &s1)}</dd>
                <dt>{move || t().shipped_book}</dt><dd>{move || tr::shipped_differs(lang.get(), &s2)}</dd>
                <dt>{move || t().shipped_command}</dt><dd><code>{card.command.clone()}</code></dd>
                <dt>{move || t().shipped_card_accuracy}</dt>
                <dd>{move || format!("{:.1} % ({} {})", card.test.accuracy * 100.0, format::grouped(card.test.images as u64), t().shipped_test_images)}</dd>
            </dl>
            <p class="note">{move || t().shipped_note}</p>
        </section>
    }
}
