//! Every piece of UI text in English and Japanese, from one typed table: a missing string is a
//! compile error (struct literals must name every field, matches must cover every variant).

use serde::{Deserialize, Serialize};

pub mod exercises;
pub mod train;
pub mod try_it;

/// Checks two `{:#?}` dumps of the same string table: the same fields, none empty, and every
/// string differs between the languages (shared for the per-cell tables' tests).
#[cfg(test)]
pub(crate) fn assert_translated<T: std::fmt::Debug>(en: &T, ja: &T) {
    let (en, ja) = (format!("{en:#?}"), format!("{ja:#?}"));
    assert_eq!(en.lines().count(), ja.lines().count());
    for (a, b) in en.lines().zip(ja.lines()).filter(|(a, _)| a.contains(": \"")) {
        assert!(!a.ends_with(": \"\",") && !b.ends_with(": \"\","), "empty string: {a} / {b}");
        assert_ne!(a, b, "untranslated: {a}");
    }
}

use crate::analysis::{AnalysisError, Dimension, LayerKind};
use crate::figure::FigureItem;
use crate::content::chapter::{self, ChapterText};
use crate::engine::{CpuReason, GpuFault, SummaryError};

/// The page's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    En,
    Ja,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ja];

    /// The default from a browser language tag such as `ja-JP` or `en-US`.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("ja") { Lang::Ja } else { Lang::En }
    }

    /// BCP 47 code for `<html lang>` and storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }

    pub fn ui(self) -> &'static Ui {
        match self {
            Lang::En => &EN,
            Lang::Ja => &JA,
        }
    }

    pub fn train(self) -> &'static train::TrainUi {
        match self {
            Lang::En => &train::EN,
            Lang::Ja => &train::JA,
        }
    }

    pub fn ex(self) -> &'static exercises::ExUi {
        match self {
            Lang::En => &exercises::EN,
            Lang::Ja => &exercises::JA,
        }
    }

    pub fn runs(self) -> &'static exercises::RunsUi {
        match self {
            Lang::En => &exercises::RUNS_EN,
            Lang::Ja => &exercises::RUNS_JA,
        }
    }

    pub fn try_it(self) -> &'static try_it::TryUi {
        match self {
            Lang::En => &try_it::EN,
            Lang::Ja => &try_it::JA,
        }
    }

    /// The ten Fashion-MNIST class names.
    pub fn classes(self) -> &'static [&'static str; 10] {
        match self {
            Lang::En => &crate::data::CLASS_NAMES_EN,
            Lang::Ja => &crate::data::CLASS_NAMES_JA,
        }
    }

    pub fn chapter(self) -> &'static ChapterText {
        match self {
            Lang::En => &chapter::EN,
            Lang::Ja => &chapter::JA,
        }
    }
}

/// Fixed UI strings.
#[derive(Debug)]
pub struct Ui {
    pub kicker: &'static str,
    pub language_name: &'static str,
    pub switch_language: &'static str,
    pub contents: &'static str,
    pub run_all: &'static str,
    pub backend_label: &'static str,
    pub backend_starting: &'static str,
    pub backend_probing: &'static str,
    pub use_webgpu: &'static str,
    pub use_cpu: &'static str,
    pub webgpu_unavailable: &'static str,
    pub on_webgpu_adapter: &'static str,
    pub fallback_adapter_note: &'static str,
    pub largest_buffer: &'static str,
    pub workgroup_memory: &'static str,
    pub invocations_per_workgroup: &'static str,
    pub cpu_backend: &'static str,
    pub because: &'static str,
    pub cell: &'static str,
    pub shape_cell_title: &'static str,
    pub input_legend: &'static str,
    pub batch: &'static str,
    pub channels: &'static str,
    pub height: &'static str,
    pub width: &'static str,
    pub run: &'static str,
    pub running: &'static str,
    pub status_idle: &'static str,
    pub status_running: &'static str,
    pub status_done: &'static str,
    pub status_error: &'static str,
    pub shape_hint: &'static str,
    pub progress_forward: &'static str,
    pub col_layer: &'static str,
    pub col_book: &'static str,
    pub col_shape: &'static str,
    pub col_params: &'static str,
    pub col_flops: &'static str,
    pub total: &'static str,
    pub input: &'static str,
    pub shapes_checked: &'static str,
    pub forward_on: &'static str,
    pub webgpu_name: &'static str,
    pub cpu_name: &'static str,
    pub first_run_note: &'static str,
    pub params_from_module: &'static str,
    pub flop_convention: &'static str,
    pub footer: &'static str,
    pub panic_overlay: &'static str,
    pub maps_title: &'static str,
    pub maps_input: &'static str,
    pub maps_channels: &'static str,
    pub fig_vgg: &'static str,
    pub fig_nin: &'static str,
    pub fig_figure_label: &'static str,
    pub code_cell_block: &'static str,
    pub code_cell_model: &'static str,
    pub code_cell_note: &'static str,
    pub motivation_title: &'static str,
    pub motivation_model: &'static str,
    pub motivation_fc: &'static str,
    pub motivation_all: &'static str,
    pub motivation_fp32: &'static str,
    pub motivation_note: &'static str,
    pub motivation_first_fc: &'static str,
    pub params_word: &'static str,
    pub restored_note: &'static str,
    pub update_ready: &'static str,
    pub update_reload: &'static str,
    pub offline_title: &'static str,
    pub offline_on: &'static str,
    pub offline_first: &'static str,
    pub offline_stored: &'static str,
    pub offline_ready: &'static str,
    pub offline_needs: &'static str,
    pub offline_clear: &'static str,
}

pub static EN: Ui = Ui {
    kicker: "Dive into Deep Learning · Modern convolutional networks",
    language_name: "English",
    switch_language: "日本語で読む",
    contents: "Contents",
    run_all: "Run all cells",
    backend_label: "Compute backend",
    backend_starting: "Starting…",
    backend_probing: "Asking the browser for a WebGPU adapter…",
    use_webgpu: "Use WebGPU",
    use_cpu: "Use CPU",
    webgpu_unavailable: "WebGPU is not available",
    on_webgpu_adapter: "Burn's wgpu backend on",
    fallback_adapter_note: "a software (fallback) adapter: expect it to be slow",
    largest_buffer: "Largest buffer",
    workgroup_memory: "workgroup memory",
    invocations_per_workgroup: "invocations per workgroup",
    cpu_backend: "Burn's CPU backend (flex, compiled to WebAssembly)",
    because: "because",
    cell: "Cell",
    shape_cell_title: "shape summary",
    input_legend: "Input tensor (batch, channels, height, width)",
    batch: "Batch",
    channels: "Channels",
    height: "Height",
    width: "Width",
    run: "▶ Run",
    running: "Running…",
    status_idle: "not run yet",
    status_running: "running…",
    status_done: "done",
    status_error: "error",
    shape_hint: "Press Run to build the model and push a random input through it.",
    progress_forward: "Running the forward pass",
    col_layer: "Layer",
    col_book: "In the book",
    col_shape: "Output shape",
    col_params: "Parameters",
    col_flops: "Forward FLOPs",
    total: "Total",
    input: "Input",
    shapes_checked: "Shapes are read from the real forward pass and match the analysis.",
    forward_on: "Forward pass on",
    webgpu_name: "WebGPU",
    cpu_name: "the CPU",
    first_run_note: "the first run on WebGPU includes compiling the GPU kernels",
    params_from_module: "Parameters counted from the module's tensors",
    flop_convention: "FLOP convention: one multiply-add = 2 FLOPs; each bias add, ReLU, pooling comparison or addition = 1 FLOP; dropout and flatten = 0.",
    footer: "Built with Rust, Burn and Leptos. Everything runs in your browser; nothing is uploaded.",
    panic_overlay: "The app hit an internal error and stopped. Reload the page to start again.",
    maps_title: "Feature maps through the network, drawn to scale (height × width; channels below)",
    maps_input: "input",
    maps_channels: "channels",
    fig_vgg: "VGG-11",
    fig_nin: "NiN (this chapter)",
    fig_figure_label: "Figure",
    code_cell_block: "Code · the NiN block (src/model/mod.rs)",
    code_cell_model: "Code · the NiN model (src/model/config.rs)",
    code_cell_note: "This is the Rust source that runs on this page, embedded when the site was built.",
    motivation_title: "Where the parameters are: VGG-11 against NiN",
    motivation_model: "Model",
    motivation_fc: "Fully connected layers",
    motivation_all: "Whole model",
    motivation_fp32: "FP32 memory",
    motivation_note: "Computed by the same analysis as the shape summary, for one 224×224 greyscale image and 10 classes.",
    motivation_first_fc: "VGG-11's first fully connected matrix alone",
    params_word: "parameters",
    restored_note: "Restored from your last visit; press Run to compute again.",
    update_ready: "A new version of this page is ready.",
    update_reload: "Reload",
    offline_title: "Offline",
    offline_on: "This page now works without a network: the app is stored on this device, and so are the data shards your runs downloaded.",
    offline_first: "After this first visit the page will work without a network.",
    offline_stored: "Stored on this device by this site:",
    offline_ready: "its data is stored, it runs offline",
    offline_needs: "needs a network to download",
    offline_clear: "Clear the stored data",
};

pub static JA: Ui = Ui {
    kicker: "Dive into Deep Learning · 現代的な畳み込みネットワーク",
    language_name: "日本語",
    switch_language: "Read in English",
    contents: "目次",
    run_all: "すべてのセルを実行",
    backend_label: "計算バックエンド",
    backend_starting: "起動中…",
    backend_probing: "ブラウザに WebGPU アダプタを問い合わせています…",
    use_webgpu: "WebGPU を使う",
    use_cpu: "CPU を使う",
    webgpu_unavailable: "WebGPU は使えません",
    on_webgpu_adapter: "Burn の wgpu バックエンド、アダプタ:",
    fallback_adapter_note: "ソフトウェア（フォールバック）アダプタのため低速です",
    largest_buffer: "最大バッファ",
    workgroup_memory: "ワークグループメモリ",
    invocations_per_workgroup: "ワークグループあたりの呼び出し数",
    cpu_backend: "Burn の CPU バックエンド（flex、WebAssembly にコンパイル済み）",
    because: "理由: ",
    cell: "セル",
    shape_cell_title: "形状の要約",
    input_legend: "入力テンソル（バッチ、チャネル、高さ、幅）",
    batch: "バッチ",
    channels: "チャネル",
    height: "高さ",
    width: "幅",
    run: "▶ 実行",
    running: "実行中…",
    status_idle: "未実行",
    status_running: "実行中…",
    status_done: "完了",
    status_error: "エラー",
    shape_hint: "「実行」を押すとモデルを構築し、ランダムな入力を順伝播させます。",
    progress_forward: "順伝播を実行中",
    col_layer: "層",
    col_book: "本書での名前",
    col_shape: "出力の形状",
    col_params: "パラメータ数",
    col_flops: "順伝播の FLOPs",
    total: "合計",
    input: "入力",
    shapes_checked: "形状は実際の順伝播から読み取ったもので、解析結果と一致しています。",
    forward_on: "順伝播の実行先:",
    webgpu_name: "WebGPU",
    cpu_name: "CPU",
    first_run_note: "WebGPU での初回は GPU カーネルのコンパイル時間を含みます",
    params_from_module: "モジュールのテンソルから数えたパラメータ数",
    flop_convention: "FLOPs の数え方: 積和 1 回 = 2 FLOPs、バイアス加算・ReLU・プーリングの比較や加算は各 1 FLOP、ドロップアウトと平坦化は 0。",
    footer: "Rust・Burn・Leptos で作成。すべてブラウザ内で動き、データは一切送信されません。",
    panic_overlay: "内部エラーのためアプリが停止しました。ページを再読み込みしてください。",
    maps_title: "ネットワークを通る特徴マップ（高さ × 幅を縮尺どおりに描画、下はチャネル数）",
    maps_input: "入力",
    maps_channels: "チャネル",
    fig_vgg: "VGG-11",
    fig_nin: "NiN（本章）",
    fig_figure_label: "図",
    code_cell_block: "コード · NiN ブロック（src/model/mod.rs）",
    code_cell_model: "コード · NiN モデル（src/model/config.rs）",
    code_cell_note: "このページで実際に動いている Rust のソースコードで、サイトのビルド時に埋め込まれたものです。",
    motivation_title: "パラメータはどこにあるか: VGG-11 と NiN の比較",
    motivation_model: "モデル",
    motivation_fc: "全結合層",
    motivation_all: "モデル全体",
    motivation_fp32: "FP32 でのメモリ",
    motivation_note: "形状の要約と同じ解析関数で、224×224 のグレースケール画像 1 枚・10 クラスの場合を計算しています。",
    motivation_first_fc: "VGG-11 の最初の全結合層の行列だけで",
    params_word: "パラメータ",
    restored_note: "前回の結果を復元しました。もう一度計算するには「実行」を押してください。",
    update_ready: "このページの新しいバージョンの準備ができました。",
    update_reload: "再読み込み",
    offline_title: "オフライン",
    offline_on: "このページはネットワークなしでも動きます。アプリと、これまでの実行でダウンロードしたデータのシャードがこの端末に保存されています。",
    offline_first: "この初回の訪問の後は、ネットワークなしでもページが動きます。",
    offline_stored: "このサイトがこの端末に保存している量:",
    offline_ready: "データは保存済みで、オフラインで実行できます",
    offline_needs: "ダウンロードにネットワークが必要な量:",
    offline_clear: "保存したデータを消去",
};

fn dimension(lang: Lang, d: Dimension) -> &'static str {
    match (lang, d) {
        (Lang::En, Dimension::Batch) => "batch size",
        (Lang::En, Dimension::Channels) => "channel count",
        (Lang::En, Dimension::Height) => "height",
        (Lang::En, Dimension::Width) => "width",
        (Lang::Ja, Dimension::Batch) => "バッチサイズ",
        (Lang::Ja, Dimension::Channels) => "チャネル数",
        (Lang::Ja, Dimension::Height) => "高さ",
        (Lang::Ja, Dimension::Width) => "幅",
    }
}

/// A summary row's label, e.g. "NiN block 1: 11×11 conv, stride 4, pad 0 + 2 × 1×1 conv".
pub fn layer_label(lang: Lang, kind: &LayerKind) -> String {
    match (lang, kind) {
        (Lang::En, LayerKind::NinBlock { index, kernel, stride, padding, mlp_kernel, convs }) => format!(
            "NiN block {index}: {kernel}×{kernel} conv, stride {stride}, pad {padding} + {} × {mlp_kernel}×{mlp_kernel} conv",
            convs - 1
        ),
        (Lang::Ja, LayerKind::NinBlock { index, kernel, stride, padding, mlp_kernel, convs }) => format!(
            "NiN ブロック {index}: {kernel}×{kernel} 畳み込み（ストライド {stride}、パディング {padding}）+ {mlp_kernel}×{mlp_kernel} 畳み込み × {}",
            convs - 1
        ),
        (Lang::En, LayerKind::MaxPool { kernel, stride }) => format!("Max pool {kernel}×{kernel}, stride {stride}"),
        (Lang::Ja, LayerKind::MaxPool { kernel, stride }) => format!("最大プーリング {kernel}×{kernel}、ストライド {stride}"),
        (Lang::En, LayerKind::Dropout { prob }) => format!("Dropout, p = {prob}"),
        (Lang::Ja, LayerKind::Dropout { prob }) => format!("ドロップアウト、p = {prob}"),
        (Lang::En, LayerKind::GlobalAvgPool) => "Global average pool".into(),
        (Lang::Ja, LayerKind::GlobalAvgPool) => "大域平均プーリング".into(),
        (Lang::En, LayerKind::Flatten) => "Flatten".into(),
        (Lang::Ja, LayerKind::Flatten) => "平坦化".into(),
        (Lang::En, LayerKind::Linear { in_features, out_features }) => format!("Linear {in_features} → {out_features}"),
        (Lang::Ja, LayerKind::Linear { in_features, out_features }) => format!("全結合 {in_features} → {out_features}"),
    }
}

/// The text lines of one figure box.
pub fn figure_lines(lang: Lang, item: &FigureItem) -> Vec<String> {
    let ja = lang == Lang::Ja;
    match item {
        FigureItem::Block { convs, nin } => {
            let title = match (nin, ja) {
                (true, false) => "NiN block",
                (true, true) => "NiN ブロック",
                (false, false) => "VGG block",
                (false, true) => "VGG ブロック",
            };
            let mut lines = vec![title.to_string()];
            lines.extend(convs.iter().map(|(k, c)| {
                if ja { format!("{k}×{k} 畳み込み {c}ch + ReLU") } else { format!("{k}×{k} conv, {c} ch, ReLU") }
            }));
            lines
        }
        FigureItem::MaxPool { kernel, stride } => vec![if ja {
            format!("最大プーリング {kernel}×{kernel}、ストライド {stride}")
        } else {
            format!("max pool {kernel}×{kernel}, stride {stride}")
        }],
        FigureItem::Dropout { prob } => vec![if ja { format!("ドロップアウト p={prob}") } else { format!("dropout p={prob}") }],
        FigureItem::GlobalAvgPool => vec![if ja { "大域平均プーリング → ロジット".into() } else { "global average pool → logits".into() }],
        FigureItem::Flatten => vec![if ja { "平坦化".into() } else { "flatten".into() }],
        FigureItem::FullyConnected { width } => vec![if ja { format!("全結合 {width}") } else { format!("fully connected, {width}") }],
    }
}

/// An analysis error as a sentence for the student.
pub fn analysis_error(lang: Lang, e: &AnalysisError) -> String {
    use AnalysisError as E;
    match (lang, e) {
        (Lang::En, E::ZeroDimension(d)) => format!("The {} is 0; every input dimension must be at least 1.", dimension(lang, *d)),
        (Lang::Ja, E::ZeroDimension(d)) => format!("{}が 0 です。入力の各次元は 1 以上にしてください。", dimension(lang, *d)),
        (Lang::En, E::ChannelMismatch { expected, got }) => format!("The input has {got} channel(s) but the model expects {expected}."),
        (Lang::Ja, E::ChannelMismatch { expected, got }) => format!("入力のチャネル数は {got} ですが、モデルは {expected} を想定しています。"),
        (Lang::En, E::InputTooSmall { height, width, layer, map_height, map_width, kernel, min_side, .. }) => format!(
            "A {height}x{width} input is too small: layer {layer} would get a {map_height}x{map_width} map, smaller than its {kernel}x{kernel} window.{}",
            min_side.map(|s| format!(" This model needs at least {s}x{s} pixels.")).unwrap_or_default()
        ),
        (Lang::Ja, E::InputTooSmall { height, width, layer, map_height, map_width, kernel, min_side, .. }) => format!(
            "{height}x{width} の入力は小さすぎます。第 {layer} 層に届く特徴マップは {map_height}x{map_width} で、{kernel}x{kernel} の窓より小さくなります。{}",
            min_side.map(|s| format!("このモデルには少なくとも {s}x{s} ピクセルが必要です。")).unwrap_or_default()
        ),
        (Lang::En, E::TooLarge { layer, needed_mib, limit_mib }) => format!(
            "Layer {layer} would need a {needed_mib:.1} MiB buffer, more than the {limit_mib:.1} MiB allowed here. Use a smaller batch or image."
        ),
        (Lang::Ja, E::TooLarge { layer, needed_mib, limit_mib }) => format!(
            "第 {layer} 層には {needed_mib:.1} MiB のバッファが必要で、ここで使える上限 {limit_mib:.1} MiB を超えます。バッチか画像を小さくしてください。"
        ),
        (Lang::En, E::HeadTiedToInput { built_height, built_width, height, width }) => format!(
            "The fully connected head was built for {built_height}x{built_width} inputs and cannot take {height}x{width}."
        ),
        (Lang::Ja, E::HeadTiedToInput { built_height, built_width, height, width }) => format!(
            "全結合ヘッドは {built_height}x{built_width} の入力用に作られているため、{height}x{width} は受け付けません。"
        ),
        (Lang::En, E::InvalidConfig(reason)) => format!("Invalid model config: {reason}."),
        (Lang::Ja, E::InvalidConfig(reason)) => format!("モデル設定が不正です: {reason}"),
        (Lang::En, E::Overflow) => "These sizes are too large to compute with.".into(),
        (Lang::Ja, E::Overflow) => "サイズが大きすぎて計算できません。".into(),
    }
}

/// Why the CPU backend runs, as the end of a sentence.
pub fn cpu_reason(lang: Lang, r: &CpuReason) -> String {
    use CpuReason as R;
    match (lang, r) {
        (Lang::En, R::NoWebGpuApi) => "this browser has no WebGPU API (navigator.gpu is missing)".into(),
        (Lang::Ja, R::NoWebGpuApi) => "このブラウザには WebGPU API がありません（navigator.gpu が未定義）".into(),
        (Lang::En, R::NoAdapter) => "the browser offers WebGPU, but no GPU adapter is available (requestAdapter() returned null)".into(),
        (Lang::Ja, R::NoAdapter) => "ブラウザは WebGPU を提供していますが、使える GPU アダプタがありません（requestAdapter() が null を返しました）".into(),
        (Lang::En, R::AdapterRequestFailed(m)) => format!("requesting a WebGPU adapter failed: {m}"),
        (Lang::Ja, R::AdapterRequestFailed(m)) => format!("WebGPU アダプタの取得に失敗しました: {m}"),
        (Lang::En, R::InitFailed(m)) => format!("Burn could not start on WebGPU: {m}"),
        (Lang::Ja, R::InitFailed(m)) => format!("Burn を WebGPU 上で起動できませんでした: {m}"),
        (Lang::En, R::Chosen) => "you chose the CPU backend".into(),
        (Lang::Ja, R::Chosen) => "CPU バックエンドが選択されました".into(),
        (Lang::En, R::MissingFeature(f)) => format!("this browser's WebGPU has no {f}, which Burn needs in the browser"),
        (Lang::Ja, R::MissingFeature(f)) => format!("このブラウザの WebGPU には、Burn がブラウザ内で必要とする {f} がありません"),
        (Lang::En, R::LimitTooLow { name, have, need }) => format!("this browser's WebGPU reports {name} = {have}, below the {need} this needs"),
        (Lang::Ja, R::LimitTooLow { name, have, need }) => format!("このブラウザの WebGPU は {name} = {have} で、必要な {need} に足りません"),
        (Lang::En, R::WorkerWebGpuFailed(m)) => format!("WebGPU could not be started in the training worker ({}) and you switched to the CPU", cpu_reason(lang, m)),
        (Lang::Ja, R::WorkerWebGpuFailed(m)) => format!("訓練用ワーカーで WebGPU を起動できなかったため、CPU に切り替えました（{}）", cpu_reason(lang, m)),
        (Lang::En, R::WorkerCrashed(m)) => format!("a WebGPU worker stopped ({m}), so the page goes on on the CPU"),
        (Lang::Ja, R::WorkerCrashed(m)) => format!("WebGPU 用のワーカーが停止したため、CPU で続けています（{m}）"),
        (Lang::En, R::GpuEngineLoading) => "the WebGPU engine is still downloading; the cells run on the CPU until it is ready".into(),
        (Lang::Ja, R::GpuEngineLoading) => "WebGPU エンジンをダウンロード中です。準備ができるまでセルは CPU で動きます".into(),
        (Lang::En, R::PageGpuFailed(fault)) => format!("WebGPU failed on this page ({}); reload the page to try it again", gpu_fault(lang, fault)),
        (Lang::Ja, R::PageGpuFailed(fault)) => format!("このページで WebGPU が失敗しました（{}）。もう一度試すにはページを再読み込みしてください", gpu_fault(lang, fault)),
        (_, R::GpuFailed(fault)) => match lang {
            Lang::En => format!("the GPU failed during a run ({}) and you continued on the CPU", gpu_fault(lang, fault)),
            Lang::Ja => format!("実行中に GPU が失敗したため、CPU で続けることにしました（{}）", gpu_fault(lang, fault)),
        },
        (Lang::En, R::Native) => "this is a native build".into(),
        (Lang::Ja, R::Native) => "ネイティブビルドです".into(),
    }
}

/// A typed value that broke its field's rule, as a sentence that states the rule.
pub fn field_error(lang: Lang, label: &str, rule: crate::fields::Rule, error: &crate::fields::FieldError) -> String {
    use crate::fields::{FieldError as E, Rule as R};
    let n = |v: u64| crate::format::grouped(v);
    let rule_text = match (lang, rule) {
        // Every range names its largest value, u64::MAX too (a seed above it is refused for
        // being too large, not "at least 0").
        (Lang::En, R::Whole { min, max }) => format!("a whole number from {} to {}", n(min), n(max)),
        (Lang::En, R::Decimal { above, below }) => format!("a number above {above} and below {below} (such as 0.001)"),
        (Lang::Ja, R::Whole { min, max }) => format!("{} から {} までの整数", n(min), n(max)),
        (Lang::Ja, R::Decimal { above, below }) => format!("{above} より大きく {below} より小さい数（例: 0.001）"),
    };
    match (lang, error) {
        (Lang::En, E::Empty) => format!("{label} is empty: enter {rule_text}."),
        (Lang::En, E::Broken(text)) => format!("{label} must be {rule_text}, not \"{text}\"."),
        (Lang::Ja, E::Empty) => format!("{label}が空です。{rule_text}を入力してください。"),
        (Lang::Ja, E::Broken(text)) => format!("{label}は{rule_text}にしてください（入力値: \"{text}\"）。"),
    }
}

/// What the page keeps in localStorage (named in a storage notice).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    Language,
    ShapeCell,
    RunBoard,
    Speeds,
}

/// Why something could not be read from or kept in localStorage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageIssue {
    /// localStorage is disabled or missing (reaching it threw, or the browser has none).
    Unavailable,
    /// A write was refused (quota exceeded).
    Full,
    /// A saved value could not be read (from another version, or damaged); it is set aside.
    Unreadable,
}

/// What the page could not keep in the browser's storage, as a sentence.
pub fn storage_notice(lang: Lang, issue: StorageIssue, what: Stored) -> String {
    use {StorageIssue as I, Stored as S};
    let thing = match (lang, what) {
        (Lang::En, S::Language) => "the language choice",
        (Lang::En, S::ShapeCell) => "the shape cell's last result",
        (Lang::En, S::RunBoard) => "the run board",
        (Lang::En, S::Speeds) => "the measured training speeds",
        (Lang::Ja, S::Language) => "言語の選択",
        (Lang::Ja, S::ShapeCell) => "形状セルの前回の結果",
        (Lang::Ja, S::RunBoard) => "実行の比較ボード",
        (Lang::Ja, S::Speeds) => "測定した訓練速度",
    };
    match (lang, issue) {
        (Lang::En, I::Unavailable) => format!("This browser does not let the page use its storage (a private window, or a setting): {thing} and everything else it would remember will be gone after a reload. The page works without it."),
        (Lang::En, I::Full) => format!("The browser's storage for this site is full, so {thing} could not be saved; it will be gone after a reload. Clearing the stored data (Offline, at the bottom) makes room."),
        (Lang::En, I::Unreadable) => format!("A saved value ({thing}) could not be read (from an older version of this page, or damaged) and was set aside."),
        (Lang::Ja, I::Unavailable) => format!("このブラウザではページが保存領域を使えません（プライベートウィンドウや設定のため）。{thing}など、覚えておくはずのものは再読み込みで消えます。ページはそのまま使えます。"),
        (Lang::Ja, I::Full) => format!("このサイトのブラウザの保存領域がいっぱいのため、{thing}を保存できませんでした。再読み込みで消えます。ページ下部の「オフライン」で保存したデータを消去すると空きができます。"),
        (Lang::Ja, I::Unreadable) => format!("保存されていた値（{thing}）を読めなかったため（以前のバージョンのものか、壊れています）、取り除きました。"),
    }
}

/// What went wrong with the GPU, as a clause.
pub fn gpu_fault(lang: Lang, f: &GpuFault) -> String {
    use GpuFault as G;
    match (lang, f) {
        (Lang::En, G::Lost(m)) => format!("the GPU device was lost: {m}"),
        (Lang::Ja, G::Lost(m)) => format!("GPU デバイスが失われました: {m}"),
        (Lang::En, G::OutOfMemory(m)) => format!("the GPU ran out of memory: {m}"),
        (Lang::Ja, G::OutOfMemory(m)) => format!("GPU のメモリが足りなくなりました: {m}"),
        (Lang::En, G::Validation(m)) => format!("the GPU refused a command: {m}"),
        (Lang::Ja, G::Validation(m)) => format!("GPU がコマンドを受け付けませんでした: {m}"),
        (Lang::En, G::Internal(m)) => format!("the GPU reported an internal error: {m}"),
        (Lang::Ja, G::Internal(m)) => format!("GPU が内部エラーを報告しました: {m}"),
    }
}

/// A failed summary run as a sentence.
/// The shape summary at `batch` needs about `needed` bytes of GPU memory and the GPU ran out
/// (`ran_out_now`), or a request of `ran_out_at` bytes ran out before, so this one is not sent;
/// the batch that fits under it. WebGPU stays on: only the request was too large.
pub fn summary_out_of_memory(lang: Lang, batch: usize, needed: u64, ran_out_at: u64, ran_out_now: bool, largest_fits: usize) -> String {
    let (needed, at) = (crate::format::bytes(needed), crate::format::bytes(ran_out_at));
    let n = crate::format::grouped(largest_fits as u64);
    match (lang, ran_out_now, largest_fits) {
        (Lang::En, true, 0) => format!("The GPU ran out of memory: batch {batch} needs about {needed}, too much for this GPU now, and even one image does not fit under it. WebGPU stays on; close other tabs or programs that use the GPU, or switch to the CPU."),
        (Lang::En, true, _) => format!("The GPU ran out of memory: batch {batch} needs about {needed}, too much for this GPU now. WebGPU stays on: try a smaller batch, at most {n}."),
        (Lang::En, false, 0) => format!("Batch {batch} needs about {needed}; a request of {at} ran out of GPU memory on this page, and even one image does not fit under it. Switch backends to try again."),
        (Lang::En, false, _) => format!("Batch {batch} needs about {needed}; a request of {at} ran out of GPU memory on this page, so this one is not sent. Use a batch of at most {n} (a request that goes through, or a switch of backend, lifts this limit)."),
        (Lang::Ja, true, 0) => format!("GPU のメモリが足りなくなりました。バッチ {batch} には約 {needed} が必要で、今のこの GPU には大きすぎ、画像 1 枚でも収まりません。WebGPU はそのまま使えます。GPU を使う他のタブやプログラムを閉じるか、CPU に切り替えてください。"),
        (Lang::Ja, true, _) => format!("GPU のメモリが足りなくなりました。バッチ {batch} には約 {needed} が必要で、今のこの GPU には大きすぎます。WebGPU はそのまま使えます。バッチを {n} 以下に減らしてください。"),
        (Lang::Ja, false, 0) => format!("バッチ {batch} には約 {needed} が必要です。このページでは {at} の要求で GPU のメモリが足りなくなり、画像 1 枚でも収まりません。もう一度試すにはバックエンドを切り替えてください。"),
        (Lang::Ja, false, _) => format!("バッチ {batch} には約 {needed} が必要です。このページでは {at} の要求で GPU のメモリが足りなくなったため、この要求は送りません。バッチを {n} 以下にしてください（GPU での要求が成功するか、バックエンドを切り替えるとこの制限は外れます）。"),
    }
}

pub fn summary_error(lang: Lang, e: &SummaryError) -> String {
    use SummaryError as S;
    match (lang, e) {
        (_, S::Invalid(inner)) => analysis_error(lang, inner),
        (Lang::En, S::ShapeMismatch { row, planned, measured }) => format!(
            "Row {row}: the analysis says {planned:?} but the real forward pass gave {measured:?}. This is a bug; please report it."
        ),
        (Lang::Ja, S::ShapeMismatch { row, planned, measured }) => format!(
            "第 {row} 行: 解析では {planned:?} ですが、実際の順伝播では {measured:?} でした。これは不具合です。報告してください。"
        ),
        (Lang::En, S::ParamMismatch { planned, module }) => format!("The analysis counts {planned} parameters but the module holds {module}."),
        (Lang::Ja, S::ParamMismatch { planned, module }) => format!("解析上のパラメータ数は {planned} ですが、モジュールには {module} あります。"),
        (Lang::En, S::RowCountMismatch { planned, measured }) => format!("The forward pass produced {measured} rows of shapes, the analysis {planned}."),
        (Lang::Ja, S::RowCountMismatch { planned, measured }) => format!("順伝播で得た形状は {measured} 行、解析では {planned} 行でした。"),
        (Lang::En, S::Readback(m)) => format!("Reading the result back from the device failed: {m}"),
        (Lang::Ja, S::Readback(m)) => format!("デバイスからの結果の読み出しに失敗しました: {m}"),
        (Lang::En, S::Worker(m)) => format!("The WebGPU worker stopped ({m}). The page now uses the CPU backend; press Run again."),
        (Lang::Ja, S::Worker(m)) => format!("WebGPU 用のワーカーが停止しました（{m}）。CPU バックエンドに切り替えたので、もう一度「実行」を押してください。"),
        (Lang::En, S::Gpu(f)) => format!("WebGPU failed on this page ({}). The page now uses the CPU backend; press Run again.", gpu_fault(lang, f)),
        (Lang::Ja, S::Gpu(f)) => format!("このページで WebGPU が失敗しました（{}）。CPU バックエンドに切り替えたので、もう一度「実行」を押してください。", gpu_fault(lang, f)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string field of a table, by reflection through Debug: none may be empty.
    fn fields(ui: &Ui) -> Vec<String> {
        let debug = format!("{ui:#?}");
        debug.lines().filter(|l| l.trim_start().contains(": \"")).map(|l| l.to_string()).collect()
    }

    #[test]
    fn both_tables_are_complete_and_differ() {
        let (en, ja) = (fields(&EN), fields(&JA));
        assert_eq!(en.len(), ja.len());
        assert!(en.len() > 40);
        for line in en.iter().chain(&ja) {
            assert!(!line.trim_end().ends_with(": \"\","), "empty string: {line}");
        }
        let ja_texts = ja.iter().filter(|l| l.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c))).count();
        assert!(ja_texts * 10 >= ja.len() * 8, "most Japanese strings contain Japanese: {ja_texts}/{}", ja.len());
    }

    #[test]
    fn a_seed_above_u64_names_the_largest_seed() {
        let typed = "18446744073709551616";
        let error = crate::fields::whole(typed, crate::fields::SEED).unwrap_err();
        let en = field_error(Lang::En, "Seed", crate::fields::SEED, &error);
        let ja = field_error(Lang::Ja, "シード", crate::fields::SEED, &error);
        assert_eq!(en, "Seed must be a whole number from 0 to 18,446,744,073,709,551,615, not \"18446744073709551616\".");
        assert!(ja.contains("0 から 18,446,744,073,709,551,615 までの整数"), "{ja}");
        assert!(!en.contains("at least") && !ja.contains("以上"));
    }

    #[test]
    fn a_summary_too_large_for_the_gpu_names_a_batch_that_fits() {
        for lang in Lang::ALL {
            for now in [true, false] {
                let text = summary_out_of_memory(lang, 1000, 3 << 30, 2 << 30, now, 640);
                assert!(text.contains("1000") && text.contains("640") && text.contains("3.0 GiB"), "{text}");
                assert!(summary_out_of_memory(lang, 1000, 3 << 30, 2 << 30, now, 0) != text);
            }
        }
        assert!(summary_out_of_memory(Lang::En, 8, 1, 1, true, 4).contains("WebGPU stays on"));
        assert!(summary_out_of_memory(Lang::Ja, 8, 1, 1, true, 4).contains("WebGPU はそのまま"));
    }

    #[test]
    fn language_from_browser_tag() {
        assert_eq!(Lang::from_tag("ja-JP"), Lang::Ja);
        assert_eq!(Lang::from_tag("ja"), Lang::Ja);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
    }

    #[test]
    fn every_error_has_a_sentence_in_both_languages() {
        let errors = [
            AnalysisError::ZeroDimension(Dimension::Batch),
            AnalysisError::ChannelMismatch { expected: 1, got: 3 },
            AnalysisError::TooLarge { layer: 1, needed_mib: 200.0, limit_mib: 128.0 },
            AnalysisError::Overflow,
        ];
        for e in &errors {
            let (en, ja) = (analysis_error(Lang::En, e), analysis_error(Lang::Ja, e));
            assert!(!en.is_empty() && !ja.is_empty() && en != ja);
        }
        assert!(cpu_reason(Lang::Ja, &CpuReason::NoAdapter).contains("アダプタ"));
        let missing = CpuReason::MissingFeature("timestamp-query".into());
        assert_eq!(cpu_reason(Lang::En, &missing), "this browser's WebGPU has no timestamp-query, which Burn needs in the browser");
        assert!(cpu_reason(Lang::Ja, &missing).contains("timestamp-query") && cpu_reason(Lang::Ja, &missing).contains("ありません"));
        for fault in [GpuFault::Lost("destroyed".into()), GpuFault::OutOfMemory("x".into()), GpuFault::Validation("x".into()), GpuFault::Internal("x".into())] {
            let (en, ja) = (gpu_fault(Lang::En, &fault), gpu_fault(Lang::Ja, &fault));
            assert!(en.starts_with("the GPU") && ja.contains("GPU") && en != ja, "{en} / {ja}");
            let reason = CpuReason::GpuFailed(fault);
            assert!(cpu_reason(Lang::En, &reason).contains("continued on the CPU"));
        }
    }
}
