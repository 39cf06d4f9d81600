//! The training cell's strings and error sentences, in both languages (one typed table, as
//! the rest of the UI: a missing string does not compile).

use super::{Lang, analysis_error};
use crate::data::DataError;
use crate::training::{SettingsError, TrainError};

/// Fixed strings of the training cell.
#[derive(Debug)]
pub struct TrainUi {
    pub title: &'static str,
    pub intro: &'static str,
    pub preset: &'static str,
    pub preset_book: &'static str,
    pub preset_short: &'static str,
    pub preset_cpu: &'static str,
    pub optimizer: &'static str,
    pub opt_sgd: &'static str,
    pub opt_momentum: &'static str,
    pub opt_adam: &'static str,
    pub learning_rate: &'static str,
    pub batch_size: &'static str,
    pub image_size: &'static str,
    pub epochs: &'static str,
    pub train_images: &'static str,
    pub val_images: &'static str,
    pub test_images: &'static str,
    pub seed: &'static str,
    pub backend: &'static str,
    pub backend_hint: &'static str,
    pub cost: &'static str,
    /// After the run's FLOPs in the check line.
    pub in_total: &'static str,
    pub held_out: &'static str,
    /// The check line's download: "Data", then the size to fetch or that it is here.
    pub data: &'static str,
    pub to_download: &'static str,
    pub data_here: &'static str,
    pub memory: &'static str,
    /// The time estimate in the check line, from the latest run's speed on this backend.
    pub time: &'static str,
    pub time_unknown: &'static str,
    pub use_batch: &'static str,
    pub start: &'static str,
    pub pause: &'static str,
    pub resume: &'static str,
    pub stop: &'static str,
    pub loading: &'static str,
    pub building: &'static str,
    pub training: &'static str,
    pub validating: &'static str,
    pub paused: &'static str,
    pub paused_hidden: &'static str,
    pub stopped: &'static str,
    pub testing: &'static str,
    pub done: &'static str,
    pub step: &'static str,
    pub epoch: &'static str,
    pub eta: &'static str,
    pub images_per_s: &'static str,
    pub worker: &'static str,
    pub workers: &'static str,
    pub cpu_workers: &'static str,
    pub cpu_workers_hint: &'static str,
    pub train_loss: &'static str,
    pub val_loss: &'static str,
    pub val_acc: &'static str,
    pub chance: &'static str,
    pub loss_axis: &'static str,
    pub acc_axis: &'static str,
    pub chart_caption: &'static str,
    pub plateau_title: &'static str,
    pub plateau_text: &'static str,
    pub plateau_now: &'static str,
    pub dead_logits: &'static str,
    pub spread: &'static str,
    pub offset: &'static str,
    pub learning_now: &'static str,
    pub results: &'static str,
    pub test_accuracy: &'static str,
    pub confusion: &'static str,
    pub true_class: &'static str,
    pub predicted_class: &'static str,
    pub per_class: &'static str,
    pub gallery: &'static str,
    pub gallery_none: &'static str,
    pub predicted: &'static str,
    pub truth: &'static str,
    pub downloads: &'static str,
    pub csv: &'static str,
    pub json: &'static str,
    pub weights: &'static str,
    pub load_weights: &'static str,
    pub loaded_weights: &'static str,
    pub worker_note: &'static str,
    pub worker_failed: &'static str,
    /// The button offered when the worker cannot open WebGPU.
    pub use_cpu_instead: &'static str,
    pub load_shipped: &'static str,
    pub shipped_title: &'static str,
    pub shipped_trained: &'static str,
    pub shipped_recipe: &'static str,
    pub shipped_book: &'static str,
    pub shipped_command: &'static str,
    pub shipped_card_accuracy: &'static str,
    pub shipped_note: &'static str,
    pub shipped_test_images: &'static str,
    /// The button offered when the GPU failed during a run (or the worker crashed on WebGPU).
    pub continue_on_cpu: &'static str,
    /// The same offer after the scoring of a trained or loaded model failed: score it again.
    pub score_on_cpu: &'static str,
    /// In the check line on WebGPU, where the memory budget would be.
    pub gpu_memory_unknown: &'static str,
    /// In the check line on WebGPU after a run ran out of memory.
    pub gpu_memory_learned: &'static str,
}

pub static EN: TrainUi = TrainUi {
    title: "Train NiN on Fashion-MNIST",
    intro: "Pick a preset or edit the fields, then press Train. A run downloads only the Fashion-MNIST shards it needs and this page does not have yet (the line under the fields says how much). \
            Curves update while it runs; Pause keeps everything, Stop ends the run and keeps the curves.",
    preset: "Preset",
    preset_book: "The book's settings",
    preset_short: "Short run (GPU)",
    preset_cpu: "Small run (CPU)",
    optimizer: "Optimizer",
    opt_sgd: "SGD (the book's)",
    opt_momentum: "SGD + momentum 0.9",
    opt_adam: "Adam",
    learning_rate: "Learning rate",
    batch_size: "Batch size",
    image_size: "Image size (px, at least 67)",
    epochs: "Epochs",
    train_images: "Training images",
    val_images: "Validation images",
    test_images: "Test images",
    seed: "Seed",
    backend: "Backend",
    backend_hint: "switch it in the backend panel at the top of the page",
    cost: "Cost",
    in_total: "in total",
    held_out: "held out for validation",
    data: "Data",
    to_download: "to download",
    data_here: "already downloaded",
    memory: "Memory",
    time: "Time",
    time_unknown: "the progress bar shows it after the first steps (no run on this backend in this browser yet)",
    use_batch: "Use batch",
    start: "Train",
    pause: "Pause",
    resume: "Resume",
    stop: "Stop",
    loading: "Downloading Fashion-MNIST",
    building: "Building the model",
    training: "Training",
    validating: "Validating",
    paused: "Paused.",
    paused_hidden: "Paused because this tab was hidden (browsers slow hidden tabs down). Press Resume to go on.",
    stopped: "Stopped. The curves so far stay below.",
    testing: "Scoring the test images",
    done: "Finished.",
    step: "step",
    epoch: "epoch",
    eta: "left",
    images_per_s: "images/s (validation time included)",
    worker: "worker",
    workers: "workers",
    cpu_workers: "CPU workers",
    cpu_workers_hint: "each worker trains on its share of every batch on its own core; the default is this device's core count (at most 8), fewer if memory is short",
    train_loss: "train loss",
    val_loss: "validation loss",
    val_acc: "validation accuracy",
    chance: "chance (loss ln 10 = 2.303, accuracy 10 %)",
    loss_axis: "loss",
    acc_axis: "accuracy",
    chart_caption: "Training loss (mean per chunk of steps), validation loss and validation accuracy against epochs, as in the book's plot.",
    plateau_title: "Why the curves can stay flat at first",
    plateau_text: "NiN ends in a ReLU, then global average pooling: its ten logits can only be zero or positive. \
                   With the book's Xavier initialisation the part of each logit that depends on the image is tiny next to \
                   an offset shared by all images, and some of the ten are exactly zero for every image (dead). \
                   The loss then sits at ln 10 = 2.303 and accuracy at 10 % until the weights grow out of it. \
                   With SGD at lr 0.05 that takes more than a short run (the book trains for 10 epochs on a GPU); \
                   Adam gets out within a few hundred steps. The figures below, from the last validation, show where your run stands.",
    plateau_now: "The model is still at chance: this is the plateau described above, not a bug.",
    dead_logits: "dead logits (zero for every validation image)",
    spread: "image-dependent spread of the logits",
    offset: "offset shared by all images",
    learning_now: "The model has left chance level.",
    results: "Results on the test set",
    test_accuracy: "Test accuracy",
    confusion: "Confusion matrix: rows are the true class, columns the predicted class",
    true_class: "true",
    predicted_class: "predicted",
    per_class: "Accuracy per class",
    gallery: "Misclassified test images",
    gallery_none: "No test image was misclassified.",
    predicted: "predicted",
    truth: "true",
    downloads: "Downloads",
    csv: "Curves (CSV)",
    json: "Curves and settings (JSON)",
    weights: "Weights (.ninw: the model, its image size and a Burn record)",
    load_weights: "Load weights (.ninw)",
    loaded_weights: "Loaded weights from",
    worker_note: "The run trains in background threads (Web Workers), so the page stays responsive while it works. On the CPU backend one worker per core shares each batch (the \"CPU workers\" field), so your processor is busy and other tabs may slow down.",
    worker_failed: "The training worker failed:",
    use_cpu_instead: "Switch to the CPU backend and its preset",
    continue_on_cpu: "Continue on the CPU: a new run with the same settings",
    score_on_cpu: "Score the same model again on the CPU",
    load_shipped: "Load the trained NiN (about 4 MB)",
    shipped_title: "The trained NiN: trained by this site's engine, measured by this page",
    shipped_trained: "Trained",
    shipped_recipe: "Recipe",
    shipped_book: "How it differs from the book",
    shipped_command: "Command",
    shipped_card_accuracy: "Test accuracy on its card",
    shipped_test_images: "test images",
    shipped_note: "The test report above is computed here, in your browser, on all 10,000 test images; the card's figure is what the training command measured.",
    gpu_memory_unknown: "browsers do not report GPU memory",
    gpu_memory_learned: "this GPU ran out above",
};

pub static JA: TrainUi = TrainUi {
    title: "Fashion-MNIST で NiN を訓練する",
    intro: "プリセットを選ぶか各欄を編集し、「訓練」を押してください。実行に必要な Fashion-MNIST のシャードのうち、このページにまだないものだけを読み込みます（量は各欄の下の行に表示されます）。\
            実行中は曲線が更新されます。「一時停止」はすべてを保持し、「停止」は実行を終えて曲線を残します。",
    preset: "プリセット",
    preset_book: "本書の設定",
    preset_short: "短い実行（GPU）",
    preset_cpu: "小さな実行（CPU）",
    optimizer: "最適化手法",
    opt_sgd: "SGD（本書と同じ）",
    opt_momentum: "SGD＋モーメンタム 0.9",
    opt_adam: "Adam",
    learning_rate: "学習率",
    batch_size: "バッチサイズ",
    image_size: "画像サイズ（px、67 以上）",
    epochs: "エポック数",
    train_images: "訓練画像の枚数",
    val_images: "検証画像の枚数",
    test_images: "テスト画像の枚数",
    seed: "シード",
    backend: "バックエンド",
    backend_hint: "ページ上部のバックエンド欄で切り替えられます",
    cost: "計算量",
    in_total: "合計",
    held_out: "枚を検証用に取り分け",
    data: "データ",
    to_download: "をダウンロード",
    data_here: "ダウンロード済み",
    memory: "メモリ",
    time: "所要時間（目安）",
    time_unknown: "最初の数ステップの後に進捗バーに表示されます（このブラウザではこのバックエンドでの実行がまだありません）",
    use_batch: "このバッチで実行:",
    start: "訓練",
    pause: "一時停止",
    resume: "再開",
    stop: "停止",
    loading: "Fashion-MNIST をダウンロード中",
    building: "モデルを構築中",
    training: "訓練中",
    validating: "検証中",
    paused: "一時停止中です。",
    paused_hidden: "タブが非表示になったため一時停止しました（ブラウザは非表示のタブを遅くします）。続けるには「再開」を押してください。",
    stopped: "停止しました。ここまでの曲線は下に残ります。",
    testing: "テスト画像を評価中",
    done: "完了しました。",
    step: "ステップ",
    epoch: "エポック",
    eta: "残り",
    images_per_s: "枚/秒（検証の時間を含む）",
    worker: "ワーカー",
    workers: "ワーカー",
    cpu_workers: "CPU ワーカー数",
    cpu_workers_hint: "各ワーカーがバッチの一部を自分のコアで学習します。既定値はこの端末のコア数（最大 8）で、メモリが足りなければ減らします",
    train_loss: "訓練損失",
    val_loss: "検証損失",
    val_acc: "検証精度",
    chance: "偶然の水準（損失 ln 10 = 2.303、精度 10 %）",
    loss_axis: "損失",
    acc_axis: "精度",
    chart_caption: "訓練損失（ステップのまとまりごとの平均）、検証損失、検証精度をエポックに対して描いたもの。本書の図と同じ構成です。",
    plateau_title: "最初に曲線が平らなままになることがある理由",
    plateau_text: "NiN の最後は ReLU と大域平均プーリングなので、10 個のロジットは 0 以上の値しか取れません。\
                   本書の Xavier 初期化では、各ロジットのうち画像によって変わる部分が、全画像に共通のオフセットに比べてごく小さく、\
                   10 個のうちいくつかはどの画像でもちょうど 0（死んだロジット）になります。\
                   そのため重みがそこから抜け出すまで、損失は ln 10 = 2.303、精度は 10 % にとどまります。\
                   学習率 0.05 の SGD では短い実行では抜け出せず（本書は GPU で 10 エポック訓練します）、Adam なら数百ステップで抜け出します。\
                   下の数値は直近の検証から求めたもので、いまの実行がどの段階にあるかを示します。",
    plateau_now: "モデルはまだ偶然の水準にあります。上で説明した停滞であり、不具合ではありません。",
    dead_logits: "死んだロジット（すべての検証画像で 0）",
    spread: "ロジットのうち画像によって変わる幅",
    offset: "全画像に共通のオフセット",
    learning_now: "モデルは偶然の水準を抜け出しました。",
    results: "テストセットでの結果",
    test_accuracy: "テスト精度",
    confusion: "混同行列：行が正解クラス、列が予測クラス",
    true_class: "正解",
    predicted_class: "予測",
    per_class: "クラスごとの精度",
    gallery: "誤分類されたテスト画像",
    gallery_none: "誤分類されたテスト画像はありません。",
    predicted: "予測",
    truth: "正解",
    downloads: "ダウンロード",
    csv: "曲線（CSV）",
    json: "曲線と設定（JSON）",
    weights: "重み（.ninw: モデル・画像サイズ・Burn レコード）",
    load_weights: "重みを読み込む（.ninw）",
    loaded_weights: "重みを読み込みました:",
    worker_note: "訓練はバックグラウンドのスレッド（Web Worker）で行うので、その間もページは操作できます。CPU バックエンドではコアごとに 1 つのワーカーがバッチを分担する（「CPU ワーカー数」欄）ため、プロセッサが忙しくなり、ほかのタブが遅くなることがあります。",
    worker_failed: "訓練用ワーカーが失敗しました:",
    use_cpu_instead: "CPU バックエンドと CPU 用プリセットに切り替える",
    continue_on_cpu: "CPU で続ける（同じ設定で新しく実行）",
    score_on_cpu: "同じモデルを CPU でもう一度採点する",
    load_shipped: "訓練済みの NiN を読み込む（約 4 MB）",
    shipped_title: "訓練済みの NiN: このサイトのエンジンで訓練し、このページで測定",
    shipped_trained: "訓練",
    shipped_recipe: "レシピ",
    shipped_book: "本との違い",
    shipped_command: "コマンド",
    shipped_card_accuracy: "カードに記されたテスト精度",
    shipped_test_images: "枚のテスト画像",
    shipped_note: "上のテスト結果は、あなたのブラウザ内で 10,000 枚すべてのテスト画像について計算したものです。カードの数値は訓練コマンドが測定したものです。",
    gpu_memory_unknown: "ブラウザは GPU メモリ量を報告しません",
    gpu_memory_learned: "この GPU でメモリ不足になった量:",
};

/// The training worker could not open WebGPU although the page has it.
pub fn worker_no_webgpu(lang: Lang, reason: &crate::engine::CpuReason) -> String {
    let reason = crate::i18n::cpu_reason(lang, reason);
    match lang {
        Lang::En => format!("WebGPU could not be started in the training worker ({reason}). The CPU backend works in every browser: use the button below."),
        Lang::Ja => format!("訓練用ワーカーで WebGPU を起動できませんでした（{reason}）。CPU バックエンドはどのブラウザでも動きます。下のボタンで切り替えられます。"),
    }
}

/// On WebGPU a run needs as much memory as one that ran out on this page.
pub fn gpu_memory_error(lang: Lang, batch: usize, needed: u64, ran_out_at: u64, largest_fits: usize) -> String {
    let (needed, ran_out_at) = (crate::format::bytes(needed), crate::format::bytes(ran_out_at));
    match lang {
        Lang::En => format!(
            "Training at batch {batch} needs about {needed}; a run that needed {ran_out_at} ran out of GPU memory on this page (browsers do not say how much a GPU has). The largest batch under that is {largest_fits}."
        ),
        Lang::Ja => format!(
            "バッチ {batch} の訓練には約 {needed} が必要です。このページでは {ran_out_at} を必要とした実行で GPU メモリが不足しました（ブラウザは GPU のメモリ量を教えてくれません）。それより小さく収まる最大のバッチは {largest_fits} です。"
        ),
    }
}

/// The shipped model's run-board name.
pub fn shipped_run_name(lang: Lang, secs: f64) -> String {
    let t = crate::format::clock(secs);
    match lang {
        Lang::En => format!("Trained NiN (ours, {t} of training)"),
        Lang::Ja => format!("訓練済み NiN（このサイト、訓練 {t}）"),
    }
}

/// How long and on what the shipped model was trained.
pub fn shipped_trained(lang: Lang, images: usize, epochs: usize, size: usize, secs: f64, machine: &str) -> String {
    let (images, t) = (crate::format::grouped(images as u64), crate::format::clock(secs));
    match lang {
        Lang::En => format!("{images} images ({epochs} epochs) at {size} px in {t} on {machine}"),
        Lang::Ja => format!("{size} px で {images} 枚（{epochs} エポック）、{t}（{machine}）"),
    }
}

/// The shipped model's recipe, from its card's settings (`examples/train_model.rs`: Adam, the
/// learning rate divided by 3 in the second-to-last epoch and by 10 in the last).
pub fn shipped_recipe(lang: Lang, s: &crate::training::TrainSettings) -> String {
    let (lr, e) = (s.learning_rate, s.epochs);
    match lang {
        Lang::En => format!(
            "Adam, learning rate {lr} for epochs 1–{}, {:.2e} in epoch {}, {:.0e} in epoch {e}; batch {}; {} training images and {} held out for validation; seed {}",
            e.saturating_sub(2), lr / 3.0, e.saturating_sub(1), lr / 10.0, s.batch_size, crate::format::grouped(s.train_images as u64), crate::format::grouped(s.val_images as u64), s.seed
        ),
        Lang::Ja => format!(
            "Adam。学習率はエポック 1〜{} で {lr}、エポック {} で {:.2e}、エポック {e} で {:.0e}。バッチ {}。訓練画像 {} 枚、検証用に取り分けた {} 枚。シード {}",
            e.saturating_sub(2), e.saturating_sub(1), lr / 3.0, lr / 10.0, s.batch_size, crate::format::grouped(s.train_images as u64), crate::format::grouped(s.val_images as u64), s.seed
        ),
    }
}

/// How the shipped model's recipe differs from the book's.
pub fn shipped_differs(lang: Lang, s: &crate::training::TrainSettings) -> String {
    match lang {
        Lang::En => format!(
            "The book trains with SGD at learning rate 0.05, batch 128, on 224 px images for 10 epochs and validates on the test set. This model used Adam with a decaying learning rate, batch {}, {} px images and {} epochs (a 2-core CPU manages about 50 images/s at 96 px against about 8 at 224 px), kept its own validation images apart, and saw the test set once, at the end.",
            s.batch_size, s.image_size, s.epochs
        ),
        Lang::Ja => format!(
            "本書は学習率 0.05 の SGD、バッチ 128、224 px の画像で 10 エポック学習し、テストセットで検証します。このモデルは学習率を下げていく Adam、バッチ {}、{} px の画像、{} エポックで学習しました（2 コアの CPU では 96 px で毎秒約 50 枚、224 px では約 8 枚）。検証用の画像は別に取り分け、テストセットは最後に一度だけ使いました。",
            s.batch_size, s.image_size, s.epochs
        ),
    }
}

/// Which file was loaded and the size it is scored at (the size it was trained at).
pub fn loaded_weights(lang: Lang, name: &str, size: usize) -> String {
    match lang {
        Lang::En => format!("Loaded {name}: trained at {size} px, so scored at {size} px."),
        Lang::Ja => format!("{name} を読み込みました。{size} px で訓練されたモデルなので、{size} px で評価します。"),
    }
}

/// Why a weights file cannot be used.
pub fn weights_error(lang: Lang, name: &str, e: &crate::training::record::RecordFileError) -> String {
    use crate::training::record::RecordFileError as R;
    match (lang, e) {
        (_, R::Model(inner)) => match lang {
            Lang::En => format!("{name} describes a model that cannot run at its own image size: {}", analysis_error(lang, inner)),
            Lang::Ja => format!("{name} が記すモデルは、記された画像サイズでは動きません: {}", analysis_error(lang, inner)),
        },
        (Lang::En, R::NoHeader) => format!("{name} was saved by an older version of this page and does not say which model and image size it is for. Train again and download the new weights file."),
        (Lang::Ja, R::NoHeader) => format!("{name} は以前のバージョンで保存されたため、どのモデル・画像サイズ用か分かりません。もう一度訓練して、新しい重みファイルをダウンロードしてください。"),
        (Lang::En, R::Format(m)) => format!("{name} is not a weights file of this page ({m})."),
        (Lang::Ja, R::Format(m)) => format!("{name} はこのページの重みファイルではありません（{m}）。"),
        (Lang::En, R::Readback(m)) => format!("Reading the weights failed: {m}"),
        (Lang::Ja, R::Readback(m)) => format!("重みの読み出しに失敗しました: {m}"),
    }
}

/// A preset's name in the form's list.
pub fn preset_name(lang: Lang, p: crate::training::Preset) -> &'static str {
    let t = lang.train();
    match p {
        crate::training::Preset::Book => t.preset_book,
        crate::training::Preset::ShortGpu => t.preset_short,
        crate::training::Preset::ShortCpu => t.preset_cpu,
    }
}

/// The training worker's script could not be loaded.
pub fn worker_unavailable(lang: Lang, what: &str) -> String {
    match lang {
        Lang::En => format!("The training worker could not start ({what}). Check the connection and press Train again; the page goes on."),
        Lang::Ja => format!("訓練用ワーカーを起動できませんでした（{what}）。接続を確認してもう一度「訓練」を押してください。ページはそのまま使えます。"),
    }
}

/// The training worker crashed (a panic in Burn or in this app, or its script failed).
pub fn worker_crashed(lang: Lang, what: &str) -> String {
    match lang {
        Lang::En => format!("The training worker stopped because of an internal error ({what}). The curves so far are kept, and the page goes on: the next run starts a new worker."),
        Lang::Ja => format!("内部エラーのため訓練用ワーカーが停止しました（{what}）。ここまでの曲線は残っており、ページはそのまま使えます。次の実行では新しいワーカーが起動します。"),
    }
}

/// The time estimate from the latest run's speed on this backend, measured at `batch` and `size`.
pub fn time_estimate(lang: Lang, clock: &str, batch: usize, size: usize) -> String {
    match lang {
        Lang::En => format!("≈\u{a0}{clock} (at the speed of your latest run on this backend, which used batch {batch} at {size} px)"),
        Lang::Ja => format!("≈\u{a0}{clock}（このバックエンドでの直近の実行（バッチ {batch}、{size} px）の速度から推定）"),
    }
}

/// Why a run cannot start, as a sentence.
pub fn settings_error(lang: Lang, e: &SettingsError) -> String {
    use SettingsError as S;
    match (lang, e) {
        (_, S::Shape(inner)) => analysis_error(lang, inner),
        (Lang::En, S::ZeroBatch) => "The batch size must be at least 1.".into(),
        (Lang::Ja, S::ZeroBatch) => "バッチサイズは 1 以上にしてください。".into(),
        (Lang::En, S::ZeroEpochs) => "The number of epochs must be at least 1.".into(),
        (Lang::Ja, S::ZeroEpochs) => "エポック数は 1 以上にしてください。".into(),
        (Lang::En, S::BadEvalCount) => "The run needs at least one validation point per epoch.".into(),
        (Lang::Ja, S::BadEvalCount) => "1 エポックに少なくとも 1 回の検証が必要です。".into(),
        (Lang::En, S::ZeroValidation) => "Validation images must be at least 1: the curves are measured on them while the run goes.".into(),
        (Lang::Ja, S::ZeroValidation) => "検証画像は 1 枚以上にしてください。実行中の曲線はこの画像で測ります。".into(),
        (Lang::En, S::ZeroTest) => "Test images must be at least 1: the run ends with a report on them.".into(),
        (Lang::Ja, S::ZeroTest) => "テスト画像は 1 枚以上にしてください。実行の最後にこの画像で評価します。".into(),
        (Lang::En, S::WeightsTooLarge { bytes, limit }) => format!(
            "This model's largest weight tensor is {}, more than this device's {} limit for one buffer; no batch size changes that. Train it on the CPU backend.",
            crate::format::bytes(*bytes), crate::format::bytes(*limit)
        ),
        (Lang::Ja, S::WeightsTooLarge { bytes, limit }) => format!(
            "このモデルの最大の重みテンソルは {} で、このデバイスの 1 バッファの上限 {} を超えます。バッチサイズでは変わりません。CPU バックエンドで訓練してください。",
            crate::format::bytes(*bytes), crate::format::bytes(*limit)
        ),
        (Lang::En, S::BadLearningRate(lr)) => format!("The learning rate must be a positive number below 10 (got {lr})."),
        (Lang::Ja, S::BadLearningRate(lr)) => format!("学習率は 10 未満の正の数にしてください（入力値 {lr}）。"),
        (Lang::En, S::NoFullBatch { train, batch }) => format!("{train} training images do not fill one batch of {batch}."),
        (Lang::Ja, S::NoFullBatch { train, batch }) => format!("訓練画像 {train} 枚では {batch} 枚のバッチが 1 つも作れません。"),
        (Lang::En, S::NotEnoughImages { wanted, available }) => {
            format!("{wanted} training and validation images were asked for; the training file has {available}.")
        }
        (Lang::Ja, S::NotEnoughImages { wanted, available }) => {
            format!("訓練用と検証用に {wanted} 枚が必要ですが、訓練ファイルには {available} 枚しかありません。")
        }
        (Lang::En, S::NotEnoughTestImages { wanted, available }) => format!("{wanted} test images were asked for; the test file has {available}."),
        (Lang::Ja, S::NotEnoughTestImages { wanted, available }) => format!("テスト画像 {wanted} 枚が必要ですが、テストファイルには {available} 枚しかありません。"),
        (Lang::En, S::BatchTooLarge { batch, bytes, limit, largest_fits }) => format!(
            "At batch {batch} the largest tensor is {}, more than this device's {} limit for one buffer. The largest batch that fits is {largest_fits}.",
            crate::format::bytes(*bytes),
            crate::format::bytes(*limit)
        ),
        (Lang::Ja, S::BatchTooLarge { batch, bytes, limit, largest_fits }) => format!(
            "バッチ {batch} では最大のテンソルが {} になり、このデバイスの 1 バッファの上限 {} を超えます。収まる最大のバッチは {largest_fits} です。",
            crate::format::bytes(*bytes),
            crate::format::bytes(*limit)
        ),
        (Lang::En, S::OutOfMemory { batch, needed, budget, largest_fits }) => format!(
            "Training at batch {batch} needs about {}, more than the {} this backend may use. The largest batch that fits is {largest_fits}.",
            crate::format::bytes(*needed),
            crate::format::bytes(*budget)
        ),
        (Lang::Ja, S::OutOfMemory { batch, needed, budget, largest_fits }) => format!(
            "バッチ {batch} の訓練には約 {} が必要で、このバックエンドが使える {} を超えます。収まる最大のバッチは {largest_fits} です。",
            crate::format::bytes(*needed),
            crate::format::bytes(*budget)
        ),
    }
}

/// A failed run as a sentence.
pub fn train_error(lang: Lang, e: &TrainError) -> String {
    use TrainError as T;
    match (lang, e) {
        (_, T::Settings(inner)) => settings_error(lang, inner),
        (_, T::Model(inner)) => analysis_error(lang, inner),
        (Lang::En, T::Readback(m)) => format!("Reading results back from the device failed: {m}"),
        (Lang::Ja, T::Readback(m)) => format!("デバイスからの結果の読み出しに失敗しました: {m}"),
        (Lang::En, T::Diverged { step }) => format!("At step {step} the loss stopped being a finite number: the run diverged. Try a smaller learning rate."),
        (Lang::Ja, T::Diverged { step }) => format!("ステップ {step} で損失が有限の値でなくなり、発散しました。学習率を小さくしてください。"),
        (Lang::En, T::Replica(m)) => format!("One of the helper training workers failed, so the run stopped: {m}. The curves so far are kept; with 1 worker the run does not need helpers."),
        (Lang::Ja, T::Replica(m)) => format!("補助の学習ワーカーの 1 つが失敗したため、実行を止めました: {m}。ここまでの曲線は残っています。ワーカー数を 1 にすると補助ワーカーを使いません。"),
        (Lang::En, T::BadLogits) => "The model's output could not be scored (wrong size or non-finite values).".into(),
        (Lang::Ja, T::BadLogits) => "モデルの出力を評価できませんでした（大きさが違うか、有限でない値を含みます）。".into(),
        (Lang::En, T::Gpu(f)) => format!(
            "The run stopped because {}. This happens when the graphics driver resets, the browser reclaims the GPU (for example in a background tab), or the GPU runs out of memory. The curves so far are kept.",
            crate::i18n::gpu_fault(lang, f)
        ),
        (Lang::Ja, T::Gpu(f)) => format!(
            "実行が止まりました。原因: {}。グラフィックスドライバのリセット、ブラウザによる GPU の回収（バックグラウンドのタブなど）、GPU メモリ不足で起こります。ここまでの曲線は残っています。",
            crate::i18n::gpu_fault(lang, f)
        ),
    }
}

/// A data problem as a sentence.
pub fn data_error(lang: Lang, e: &DataError) -> String {
    use DataError as D;
    match (lang, e) {
        (Lang::En, D::NotGzip { file }) => format!("{file} is not a gzip file."),
        (Lang::Ja, D::NotGzip { file }) => format!("{file} は gzip ファイルではありません。"),
        (Lang::En, D::Gzip { file, reason }) => format!("The gzip data of {file} is damaged ({reason})."),
        (Lang::Ja, D::Gzip { file, reason }) => format!("{file} の gzip データが壊れています（{reason}）。"),
        (Lang::En, D::WrongMagic { file, expected, got }) => format!("{file} starts with magic number {got}; a file of this kind starts with {expected}."),
        (Lang::Ja, D::WrongMagic { file, expected, got }) => format!("{file} のマジックナンバーは {got} ですが、この種類のファイルなら {expected} のはずです。"),
        (Lang::En, D::WrongDimensions { file, rows, cols }) => format!("{file} holds {rows}x{cols} images; Fashion-MNIST images are 28x28."),
        (Lang::Ja, D::WrongDimensions { file, rows, cols }) => format!("{file} の画像は {rows}x{cols} ですが、Fashion-MNIST の画像は 28x28 です。"),
        (Lang::En, D::Truncated { file, expected, got }) => format!("{file} is cut short: {got} bytes of data where its header promises {expected}."),
        (Lang::Ja, D::Truncated { file, expected, got }) => format!("{file} が途中で切れています。ヘッダでは {expected} バイトのはずが {got} バイトしかありません。"),
        (Lang::En, D::CountMismatch { images, labels }) => format!("The files hold {images} images but {labels} labels."),
        (Lang::Ja, D::CountMismatch { images, labels }) => format!("画像が {images} 枚なのにラベルが {labels} 個あります。"),
        (Lang::En, D::BadLabel { file, index, label }) => format!("{file}: label {label} at position {index} is not one of the classes 0-9."),
        (Lang::Ja, D::BadLabel { file, index, label }) => format!("{file}: 位置 {index} のラベル {label} は 0〜9 のクラスではありません。"),
        (Lang::En, D::Http { url, status }) => format!("Downloading {url} failed with HTTP status {status}. Is the dataset copied into the site (scripts/setup.sh)?"),
        (Lang::Ja, D::Http { url, status }) => format!("{url} のダウンロードが HTTP ステータス {status} で失敗しました。データセットはサイトにコピーされていますか（scripts/setup.sh）？"),
        (Lang::En, D::Network { url, reason }) => format!("Downloading {url} failed: {reason}"),
        (Lang::Ja, D::Network { url, reason }) => format!("{url} のダウンロードに失敗しました: {reason}"),
        (Lang::En, D::Offline { url }) => format!("This device is offline, and {url} is not stored on it: this run needs data that no earlier run downloaded (see \"Offline\" at the bottom of the page for the presets that run offline)."),
        (Lang::Ja, D::Offline { url }) => format!("この端末はオフラインで、{url} は保存されていません。この実行には、これまでの実行でダウンロードしていないデータが必要です（オフラインで実行できるプリセットはページ下部の「オフライン」を参照）。"),
        (Lang::En, D::Checksum { file, .. }) => format!("{file} arrived damaged: its SHA-256 checksum differs from the data manifest's. Press Train again to download it anew."),
        (Lang::Ja, D::Checksum { file, .. }) => format!("{file} が壊れた状態で届きました（SHA-256 チェックサムがデータのマニフェストと一致しません）。もう一度「訓練」を押すと再ダウンロードします。"),
        (Lang::En, D::ShardCount { file, expected, got }) => format!("{file} holds {got} images; the data manifest says {expected}."),
        (Lang::Ja, D::ShardCount { file, expected, got }) => format!("{file} には画像が {got} 枚ありますが、データのマニフェストでは {expected} 枚です。"),
        (Lang::En, D::Manifest(reason)) => format!("The site's data manifest cannot be used: {reason}."),
        (Lang::Ja, D::Manifest(reason)) => format!("サイトのデータのマニフェストを使えません: {reason}。"),
        (Lang::En, D::NotEnoughData { set, wanted, available }) => format!("The run needs {wanted} images of the {set} set; the site serves {available}."),
        (Lang::Ja, D::NotEnoughData { set, wanted, available }) => {
            let set = if set == "test" { "テスト" } else { "訓練" };
            format!("この実行には{set}用の画像が {wanted} 枚必要ですが、サイトには {available} 枚しかありません。")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_complete_and_errors_read_in_both_languages() {
        let (en, ja) = (format!("{EN:#?}"), format!("{JA:#?}"));
        assert_eq!(en.lines().count(), ja.lines().count());
        assert!(!en.contains(": \"\"") && !ja.contains(": \"\""));
        let e = SettingsError::BatchTooLarge { batch: 128, bytes: 143_327_232, limit: 134_217_728, largest_fits: 119 };
        assert!(settings_error(Lang::En, &e).contains("119") && settings_error(Lang::Ja, &e).contains("119"));
        assert!(settings_error(Lang::Ja, &e).contains("136.7 MiB"));
        let d = DataError::Http { url: "data/x.gz".into(), status: 404 };
        assert_ne!(data_error(Lang::En, &d), data_error(Lang::Ja, &d));
        assert!(train_error(Lang::Ja, &TrainError::Diverged { step: 3 }).contains("発散"));
        // The download's size comes from the manifest (the line under the fields), never a
        // fixed figure in the intro: a run fetches only the shards it needs.
        for intro in [EN.intro, JA.intro] {
            assert!(!intro.contains("MB") && !intro.contains("MiB"), "{intro}");
        }
        assert!(EN.intro.contains("shards it needs") && JA.intro.contains("シャード"));
    }
}
