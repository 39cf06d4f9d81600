//! Strings of the exercise cells, in both languages, and the sentences written from results.

use super::Lang;

#[derive(Debug)]
pub struct ExUi {
    pub exercise: &'static str,
    pub compare_title: &'static str,
    pub resources_title: &'static str,
    pub side: &'static str,
    pub batch: &'static str,
    pub optimizer: &'static str,
    pub model: &'static str,
    pub params: &'static str,
    pub flops_per_image: &'static str,
    pub body_output: &'static str,
    pub train_memory: &'static str,
    pub infer_memory: &'static str,
    pub layer: &'static str,
    pub output: &'static str,
    /// One column: a parameter's gradient takes exactly its weight's bytes.
    pub weights_grads: &'static str,
    pub opt_state: &'static str,
    pub activations: &'static str,
    pub forward_flops: &'static str,
    pub total: &'static str,
    pub formulas: &'static str,
    pub formula_params: &'static str,
    pub formula_flops: &'static str,
    pub formula_train: &'static str,
    pub formula_infer: &'static str,
    pub training_flops: &'static str,
    pub training_memory: &'static str,
    /// The two training totals (see `analysis::memory`).
    pub training_minimal: &'static str,
    pub training_burn: &'static str,
    pub kept_minimal: &'static str,
    pub kept_burn: &'static str,
    pub conventions: &'static str,
    pub measure_step: &'static str,
    pub measuring: &'static str,
    pub measure_gpu: &'static str,
    pub input_batch: &'static str,
    pub inference_memory: &'static str,
    pub fits: &'static str,
    pub not_fits_buffer: &'static str,
    pub not_fits_memory: &'static str,
    pub module_check: &'static str,
    pub what_it_shows: &'static str,
    pub train_note: &'static str,
    pub family_definition: &'static str,
    pub gradual_definition: &'static str,
    pub head_note: &'static str,
    pub widths_title: &'static str,
    pub channels: &'static str,
    pub train_variant: &'static str,
    pub training_model: &'static str,
    pub reset_model: &'static str,
    pub share: &'static str,
    pub share_hint: &'static str,
    pub share_notice: &'static str,
}

#[derive(Debug)]
pub struct RunsUi {
    pub title: &'static str,
    pub intro: &'static str,
    pub empty: &'static str,
    pub chart_label: &'static str,
    pub chart_caption: &'static str,
    pub name: &'static str,
    pub settings: &'static str,
    pub val_acc: &'static str,
    pub test_acc: &'static str,
    pub speed: &'static str,
    pub delete: &'static str,
    pub stopped: &'static str,
}

pub static RUNS_EN: RunsUi = RunsUi {
    title: "Compare runs",
    intro: "Every finished or stopped run lands here and stays after a reload (in this browser only). Rename a run to remember what you tried.",
    empty: "No runs yet: train a model above, or send an exercise variant to the training cell.",
    chart_label: "Validation accuracy of every run against epochs",
    chart_caption: "Validation accuracy of each run on a shared epoch axis; colours match the table.",
    name: "Run",
    settings: "Settings",
    val_acc: "Best validation accuracy",
    test_acc: "Test accuracy",
    speed: "Images/s",
    delete: "Delete",
    stopped: "stopped",
};

pub static RUNS_JA: RunsUi = RunsUi {
    title: "実行を比べる",
    intro: "終了または停止した実行はすべてここに入り、再読み込み後も残ります（このブラウザ内のみ）。試したことを覚えておくために名前を変えられます。",
    empty: "まだ実行がありません。上でモデルを訓練するか、演習のバリエーションを訓練セルに送ってください。",
    chart_label: "各実行の検証精度とエポックの関係",
    chart_caption: "共通のエポック軸に描いた各実行の検証精度。色は表と対応しています。",
    name: "実行",
    settings: "設定",
    val_acc: "最高の検証精度",
    test_acc: "テスト精度",
    speed: "画像/秒",
    delete: "削除",
    stopped: "停止",
};

pub static EN: ExUi = ExUi {
    exercise: "Exercise",
    compare_title: "Compare the variants",
    resources_title: "Resource calculator",
    side: "Input side (px)",
    batch: "Batch",
    optimizer: "Optimizer",
    model: "Model",
    params: "Parameters",
    flops_per_image: "FLOPs per image",
    body_output: "Last feature map",
    train_memory: "Training memory",
    infer_memory: "Prediction memory",
    layer: "Layer",
    output: "Output",
    weights_grads: "Weights = gradients",
    opt_state: "Optimizer state",
    activations: "Kept for the backward pass",
    forward_flops: "Forward FLOPs",
    total: "Total",
    formulas: "Formulas",
    formula_params: "Parameters of a convolution: k·k·c_in·c_out + c_out; of a linear layer: n_in·n_out + n_out.",
    formula_flops: "Forward FLOPs of a convolution: 2·k·k·c_in per output value (multiply and add) plus the bias and the ReLU; training ≈ 3 × forward (the backward pass computes the input gradient and the weight gradient).",
    formula_train: "Training memory = 4 bytes × (parameters + gradients + optimizer state [0 for SGD, 1 per parameter for momentum, 2 for Adam]) + the input batch + what the forward pass keeps for the backward pass + the backward pass's own working set (the gradients of one layer's output and input: two of the largest maps).",
    formula_infer: "Prediction memory at batch 1 = the weights + the largest set of tensors alive at once: the input image, which the caller holds, plus one operation's input and output. Inside a block every convolution and every ReLU reads one full map and writes another, so two of the block's maps are alive together.",
    training_flops: "Training FLOPs for this batch",
    training_memory: "Training memory for this batch",
    training_minimal: "Training, what must be kept (any framework; what PyTorch keeps)",
    training_burn: "Training, what our engine keeps (Burn; the training cell checks this)",
    kept_minimal: "Kept: what must be",
    kept_burn: "Kept by Burn",
    conventions: "Two ways to count what the backward pass needs. What must be kept: each stored tensor once — a ReLU's output (which is also the next convolution's input), max pooling's indices, dropout's mask, the input batch; PyTorch keeps exactly this (937.2 MiB saved at batch 128, 224 px, against 933.7 MiB here; MiB as everywhere on this page, 1 MiB = 1,048,576 bytes). What Burn keeps: its ReLU keeps its input, the convolution's output, while the next layer keeps the ReLU's output, so every convolution costs two maps; its dropout multiplies by a mask of 4-byte floats and keeps both factors. That is why our engine needs about twice the minimum, and why the training cell checks the second figure.",
    measure_step: "Measure one training step here",
    measuring: "Measuring one training step in a worker…",
    input_batch: "the input batch",
    measure_gpu: "On WebGPU the memory lives on the GPU, and browsers do not report how much a page uses; switch to the CPU backend to measure a step.",
    inference_memory: "Prediction memory (batch 1)",
    fits: "Fits this device",
    not_fits_buffer: "Does not fit: the largest tensor exceeds this device's buffer limit",
    not_fits_memory: "Does not fit the memory this page allows for training on this backend",
    module_check: "Parameters counted from the real Burn module",
    what_it_shows: "What the numbers show",
    train_note: "To compare training curves, set the same seed and budget in the training cell above; each variant here is a value of the same model config the training engine uses.",
    family_definition: "Our definition: every VGG stage of n 3×3 convolutions with c channels becomes one NiN block of a 3×3 convolution followed by n 1×1 convolutions, all c wide, then VGG's 2×2 max pooling; after the last pool come dropout, the book's last block (one channel per class) and global average pooling. The fully connected layers disappear.",
    gradual_definition: "Our gradual variant keeps the last block's three convolutions but narrows 384 → 128 → 32 → 10: each step divides the width by about 3.4, the cube root of 384/10, instead of 384 → 10 at once.",
    head_note: "A fully connected head is built for one input size: its first layer's width is the number of values in the last feature map. These heads are built for 224 × 224 and refuse any other size.",
    widths_title: "Channels per convolution of the last block",
    channels: "channels",
    train_variant: "Train in the training cell",
    training_model: "Model",
    reset_model: "Back to the book's NiN",
    share: "Share these settings",
    share_hint: "Link to this exercise with these inputs, the model in the training cell and its seed:",
    share_notice: "Parts of the link were ignored:",
};

pub static JA: ExUi = ExUi {
    exercise: "演習",
    compare_title: "バリエーションを比べる",
    resources_title: "リソース計算機",
    side: "入力の一辺（px）",
    batch: "バッチ",
    optimizer: "最適化手法",
    model: "モデル",
    params: "パラメータ数",
    flops_per_image: "画像 1 枚あたりの FLOPs",
    body_output: "最後の特徴マップ",
    train_memory: "訓練時のメモリ",
    infer_memory: "予測時のメモリ",
    layer: "層",
    output: "出力",
    weights_grads: "重み = 勾配",
    opt_state: "最適化手法の状態",
    activations: "逆伝播のために保持",
    forward_flops: "順伝播の FLOPs",
    total: "合計",
    formulas: "計算式",
    formula_params: "畳み込みのパラメータ数：k·k·c_in·c_out + c_out。全結合層：n_in·n_out + n_out。",
    formula_flops: "畳み込みの順伝播 FLOPs：出力 1 値あたり 2·k·k·c_in（乗算と加算）にバイアスと ReLU を加えたもの。訓練は順伝播の約 3 倍（逆伝播で入力の勾配と重みの勾配を計算するため）。",
    formula_train: "訓練時のメモリ = 4 バイト ×（パラメータ + 勾配 + 最適化手法の状態［SGD は 0、モーメンタムは 1 パラメータにつき 1、Adam は 2］）+ 入力バッチ + 順伝播が逆伝播のために保持するもの + 逆伝播そのものの作業領域（ある層の出力と入力の勾配：最大のマップ 2 枚分）。",
    formula_infer: "バッチ 1 の予測時のメモリ = 重み + 同時に存在するテンソルの最大の組：呼び出し側が持つ入力画像と、ある演算の入力と出力。ブロック内では畳み込みも ReLU もマップを 1 枚読んで別の 1 枚を書くので、ブロックのマップ 2 枚が同時に存在します。",
    training_flops: "このバッチの訓練 FLOPs",
    training_memory: "このバッチの訓練時メモリ",
    training_minimal: "訓練時に保持が必要な量（フレームワークによらない。PyTorch が保持する量）",
    training_burn: "訓練時にこのエンジンが保持する量（Burn。訓練セルはこちらで判定）",
    kept_minimal: "保持が必要な量",
    kept_burn: "Burn が保持する量",
    conventions: "逆伝播に必要なものの数え方は 2 通りあります。保持が必要な量: 保存するテンソルを 1 回ずつ数えます。ReLU の出力（次の畳み込みの入力でもあります）、最大値プーリングのインデックス、ドロップアウトのマスク、入力バッチです。PyTorch はちょうどこれを保持します（バッチ 128・224 px で 937.2 MiB、ここでの計算は 933.7 MiB。このページの他の箇所と同じく 1 MiB = 1,048,576 バイト）。Burn が保持する量: Burn の ReLU は入力（畳み込みの出力）を保持し、次の層は ReLU の出力を保持するので、畳み込み 1 つにつきマップ 2 枚になります。ドロップアウトは 4 バイトの浮動小数のマスクを掛け、両方の因子を保持します。このためこのエンジンは最小量のおよそ 2 倍を必要とし、訓練セルは後者で判定します。",
    measure_step: "ここで訓練の 1 ステップを測る",
    measuring: "ワーカーで訓練の 1 ステップを測定中…",
    input_batch: "入力バッチ",
    measure_gpu: "WebGPU ではメモリは GPU 上にあり、ブラウザはページの使用量を報告しません。1 ステップを測るには CPU バックエンドに切り替えてください。",
    inference_memory: "予測時のメモリ（バッチ 1）",
    fits: "このデバイスに収まります",
    not_fits_buffer: "収まりません：最大のテンソルがこのデバイスのバッファ上限を超えます",
    not_fits_memory: "収まりません：このバックエンドで訓練に使えるメモリを超えます",
    module_check: "実際の Burn モジュールから数えたパラメータ数",
    what_it_shows: "数値からわかること",
    train_note: "訓練曲線を比べるには、上の訓練セルで同じシードと予算を設定してください。ここの各バリエーションは、訓練エンジンが使うのと同じモデル設定の値です。",
    family_definition: "ここでの定義：VGG の各ステージ（c チャネルの 3×3 畳み込み n 個）を、3×3 畳み込み 1 個と 1×1 畳み込み n 個（すべて c チャネル）からなる NiN ブロックに置き換え、その後に VGG と同じ 2×2 の最大値プーリングを置きます。最後のプーリングの後にドロップアウト、本と同じ最後のブロック（クラスごとに 1 チャネル）、大域平均プーリングが続きます。全結合層はなくなります。",
    gradual_definition: "段階的なバリエーションでは、最後のブロックの 3 つの畳み込みはそのままに、幅を 384 → 128 → 32 → 10 と狭めます。一度に 384 → 10 とする代わりに、各段で幅を約 3.4 分の 1（384/10 の立方根）にします。",
    head_note: "全結合のヘッドは 1 つの入力サイズに合わせて作られます。最初の層の幅が最後の特徴マップの値の数になるからです。ここのヘッドは 224 × 224 用で、それ以外のサイズは受け付けません。",
    widths_title: "最後のブロックの各畳み込みのチャネル数",
    channels: "チャネル",
    train_variant: "訓練セルで訓練する",
    training_model: "モデル",
    reset_model: "本の NiN に戻す",
    share: "この設定を共有",
    share_hint: "この演習と入力、訓練セルのモデルとシードを開くリンク：",
    share_notice: "リンクの一部を無視しました：",
};

/// Why a part of a shared link was ignored.
pub fn ignored_reason(lang: Lang, reason: crate::exercises::share::IgnoredReason) -> &'static str {
    use crate::exercises::share::IgnoredReason as R;
    match (lang, reason) {
        (Lang::En, R::UnknownKey) => "unknown setting",
        (Lang::Ja, R::UnknownKey) => "不明な設定",
        (Lang::En, R::Malformed) => "not a valid value",
        (Lang::Ja, R::Malformed) => "無効な値",
        (Lang::En, R::OutOfRange) => "out of range",
        (Lang::Ja, R::OutOfRange) => "範囲外",
        (Lang::En, R::Repeated) => "given twice",
        (Lang::Ja, R::Repeated) => "重複",
        (Lang::En, R::TooLong) => "too long",
        (Lang::Ja, R::TooLong) => "長すぎます",
    }
}

/// The label of a variant key.
/// The measured growth of the CPU worker's memory over one training step, beside the figure.
pub fn measured_step(lang: Lang, grown: u64, figure: u64, batch: usize, side: usize) -> String {
    let (grown_s, figure_s) = (crate::format::bytes(grown), crate::format::bytes(figure));
    let ratio = grown as f64 / figure.max(1) as f64;
    match lang {
        Lang::En => format!("Measured in a CPU worker: one training step at batch {batch}, {side} px grew the worker's WebAssembly memory by {grown_s}, {ratio:.2}× what Burn keeps by the formula above ({figure_s}). WebAssembly memory only grows: this is the step's high-water mark beyond what the worker had already reserved."),
        Lang::Ja => format!("CPU ワーカーで測定: バッチ {batch}・{side} px の訓練 1 ステップで、ワーカーの WebAssembly メモリは {grown_s} 増えました。上の式で Burn が保持する量（{figure_s}）の {ratio:.2} 倍です。WebAssembly のメモリは増えるだけなので、これはワーカーがすでに確保していた分を超えたステップの最大使用量です。"),
    }
}

pub fn variant_label(lang: Lang, key: &str) -> &'static str {
    match (lang, key) {
        (Lang::En, "book") => "Book's NiN",
        (Lang::Ja, "book") => "本の NiN",
        (Lang::En, "mlp1") => "One 1×1 conv per block",
        (Lang::Ja, "mlp1") => "ブロックごとに 1×1 畳み込み 1 個",
        (Lang::En, "mlp3") => "Three 1×1 convs per block",
        (Lang::Ja, "mlp3") => "ブロックごとに 1×1 畳み込み 3 個",
        (Lang::En, "kernel3") => "3×3 instead of 1×1",
        (Lang::Ja, "kernel3") => "1×1 の代わりに 3×3",
        (Lang::En, "fc_last_block") => "FC head on 10×5×5",
        (Lang::Ja, "fc_last_block") => "10×5×5 に全結合ヘッド",
        (Lang::En, "fc_no_last_block") => "Last block removed, FC head on 384×5×5",
        (Lang::Ja, "fc_no_last_block") => "最後のブロックを除き 384×5×5 に全結合ヘッド",
        (Lang::En, "gradual") => "Gradual 384 → 128 → 32 → 10",
        (Lang::Ja, "gradual") => "段階的に 384 → 128 → 32 → 10",
        (_, "nin11") => "NiN-11",
        (_, "nin16") => "NiN-16",
        (_, "nin19") => "NiN-19",
        (_, "vgg11") => "VGG-11",
        (_, "vgg16") => "VGG-16",
        (_, "vgg19") => "VGG-19",
        (Lang::En, _) => "Variant",
        (Lang::Ja, _) => "バリエーション",
    }
}

/// What reading the stored run board left out, as one sentence (`None`: nothing).
pub fn runs_dropped(lang: Lang, d: &crate::training::board::Dropped) -> Option<String> {
    use crate::format::{bytes, grouped};
    let max = grouped(crate::training::board::MAX_POINTS as u64);
    if let Some(size) = d.too_large {
        let (size, cap) = (bytes(size as u64), bytes(crate::training::board::MAX_TEXT as u64));
        return Some(match lang {
            Lang::En => format!("The saved run board was {size}, more than the {cap} the page reads, so it was not read and the board starts empty."),
            Lang::Ja => format!("保存されていた比較ボードは {size} あり、ページが読み込む上限 {cap} を超えていたため読み込まず、空のボードから始めます。"),
        });
    }
    let mut parts = Vec::new();
    let n = |v: usize| grouped(v as u64);
    match lang {
        Lang::En => {
            if d.older > 0 {
                parts.push(format!("{} older runs beyond the board's limit", n(d.older)));
            }
            if d.broken > 0 {
                parts.push(format!("{} saved entries that were not runs the board can draw", n(d.broken)));
            }
            if d.points > 0 {
                parts.push(format!("{} curve points (a run keeps at most {max} per curve, evenly spaced)", n(d.points)));
            }
            (!parts.is_empty()).then(|| format!("Reading the saved run board left out {}.", parts.join("; ")))
        }
        Lang::Ja => {
            if d.older > 0 {
                parts.push(format!("上限を超えた古い実行 {} 件", n(d.older)));
            }
            if d.broken > 0 {
                parts.push(format!("ボードに描けない保存データ {} 件", n(d.broken)));
            }
            if d.points > 0 {
                parts.push(format!("曲線の点 {} 個（1 本の曲線に残すのは等間隔に最大 {max} 個）", n(d.points)));
            }
            (!parts.is_empty()).then(|| format!("保存されていた比較ボードを読み込む際、{}を除きました。", parts.join("、")))
        }
    }
}

/// The run board's summary, written from the runs' measurements: the best validation
/// accuracy, the best test accuracy and the fastest run. `runs` are (name, best val, test,
/// images/s).
pub fn runs_summary(lang: Lang, runs: &[(String, f64, Option<f64>, f64)]) -> Vec<String> {
    let mut out = Vec::new();
    let best_val = runs.iter().filter(|r| r.1.is_finite()).max_by(|a, b| a.1.total_cmp(&b.1));
    let best_test = runs.iter().filter_map(|r| r.2.map(|t| (r, t))).max_by(|a, b| a.1.total_cmp(&b.1));
    let fastest = runs.iter().filter(|r| r.3 > 0.0).max_by(|a, b| a.3.total_cmp(&b.3));
    let slowest = runs.iter().filter(|r| r.3 > 0.0).min_by(|a, b| a.3.total_cmp(&b.3));
    if let Some(r) = best_val {
        out.push(match lang {
            Lang::En => format!("Highest validation accuracy: {} ({:.1} %).", r.0, r.1 * 100.0),
            Lang::Ja => format!("検証精度が最も高い実行：{}（{:.1} %）。", r.0, r.1 * 100.0),
        });
    }
    if let Some((r, t)) = best_test {
        out.push(match lang {
            Lang::En => format!("Highest test accuracy: {} ({:.1} %).", r.0, t * 100.0),
            Lang::Ja => format!("テスト精度が最も高い実行：{}（{:.1} %）。", r.0, t * 100.0),
        });
    }
    if let (Some(f), Some(s)) = (fastest, slowest) {
        if runs.len() > 1 && f.3 > 0.0 && s.3 > 0.0 {
            out.push(match lang {
                Lang::En => format!("Fastest: {} at {:.1} images/s, {:.1}× the slowest ({}).", f.0, f.3, f.3 / s.3, s.0),
                Lang::Ja => format!("最も速い実行：{}（{:.1} 画像/秒、最も遅い {} の {:.1} 倍）。", f.0, f.3, s.0, f.3 / s.3),
            });
        }
    }
    out
}

/// One sentence from measured numbers: how a variant compares with the baseline.
pub fn compare_sentence(lang: Lang, label: &str, base: &str, params_ratio: f64, flops_ratio: f64, memory_ratio: f64) -> String {
    let pct = |r: f64| {
        let p = (r - 1.0) * 100.0;
        if p.abs() < 0.05 { "±0 %".to_string() } else { format!("{p:+.1} %") }
    };
    match lang {
        Lang::En => format!(
            "{label}: {} parameters, {} FLOPs per image and {} training memory compared with {base} (× {params_ratio:.2}, × {flops_ratio:.2}, × {memory_ratio:.2}).",
            pct(params_ratio),
            pct(flops_ratio),
            pct(memory_ratio)
        ),
        Lang::Ja => format!(
            "{label}：{base} と比べてパラメータ数 {}、画像 1 枚あたりの FLOPs {}、訓練時メモリ {}（× {params_ratio:.2}、× {flops_ratio:.2}、× {memory_ratio:.2}）。",
            pct(params_ratio),
            pct(flops_ratio),
            pct(memory_ratio)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_complete_labels_and_sentences_in_both_languages() {
        crate::i18n::assert_translated(&EN, &JA);
        for key in ["book", "mlp1", "mlp3", "kernel3", "fc_last_block", "fc_no_last_block", "gradual"] {
            assert_ne!(variant_label(Lang::En, key), variant_label(Lang::Ja, key));
            assert_ne!(variant_label(Lang::En, key), "Variant", "{key}");
        }
        crate::i18n::assert_translated(&RUNS_EN, &RUNS_JA);
        // Exercise 4's note prints its bytes as the calculator does (MiB), not as "MB".
        use crate::analysis::{InputShape, memory};
        let ours = memory::training(&crate::model::NinConfig::book(), InputShape::new(128, 1, 224, 224), 0, memory::Convention::Minimal).unwrap();
        for text in [EN.conventions, JA.conventions] {
            assert!(!text.contains(" MB"), "{text}");
            assert!(text.contains(&crate::format::bytes(ours.saved_for_backward())), "{text}");
            assert!(text.contains(&crate::format::bytes(982_774_788)), "PyTorch's measured bytes: {text}");
        }
        use crate::training::board::Dropped;
        assert_eq!(runs_dropped(Lang::En, &Dropped::default()), None);
        let d = Dropped { older: 6, broken: 500_000, points: 35_000, too_large: None };
        assert_eq!(
            runs_dropped(Lang::En, &d).unwrap(),
            "Reading the saved run board left out 6 older runs beyond the board's limit; 500,000 saved entries that were not runs the board can draw; 35,000 curve points (a run keeps at most 10,000 per curve, evenly spaced)."
        );
        assert!(runs_dropped(Lang::Ja, &d).unwrap().contains("500,000 件"));
        let big = Dropped { too_large: Some(7 << 20), ..Dropped::default() };
        assert!(runs_dropped(Lang::En, &big).unwrap().contains("7.0 MiB, more than the 5.0 MiB"));
        assert!(runs_dropped(Lang::Ja, &big).unwrap().contains("7.0 MiB"));
        let runs = vec![("a".to_string(), 0.4, Some(0.38), 10.0), ("b".to_string(), 0.6, None, 20.0)];
        let summary = runs_summary(Lang::En, &runs);
        assert_eq!(summary, ["Highest validation accuracy: b (60.0 %).", "Highest test accuracy: a (38.0 %).", "Fastest: b at 20.0 images/s, 2.0× the slowest (a)."]);
        assert_eq!(runs_summary(Lang::Ja, &runs).len(), 3);
        assert!(runs_summary(Lang::En, &[]).is_empty());
        let s = compare_sentence(Lang::En, "A", "B", 1.112, 0.5, 1.0);
        assert!(s.contains("+11.2 %") && s.contains("-50.0 %") && s.contains("±0 %"), "{s}");
        assert!(compare_sentence(Lang::Ja, "A", "B", 2.0, 1.0, 1.0).contains("+100.0 %"));
    }
}
