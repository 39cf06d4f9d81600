//! 探索図（1×1 畳み込みと大域平均プーリング）の日本語テキスト：固定の文字列と、値から作る文。

use crate::engine::explore::ExploreError;
use crate::i18n::explore::ExploreUi;

pub static EXPLORE: ExploreUi = ExploreUi {
    label: "探索",
    title_1x1: "1×1 畳み込みをピクセルごとに見る",
    question_1x1: "1×1 畳み込みは本当に「各ピクセルでの全結合層」なのでしょうか。マップ上の好きなピクセルを指してください。そこでのチャネルの値がベクトル x になり、層はそれに重み行列 W を掛け、バイアス b を足し、ReLU を適用します。その結果が、同じピクセルでの出力マップの値のベクトルです。スイープすると、一つの小さな行列がすべての出力マップを作る様子が見られます。",
    need_model: "この図は学習済みの NiN の内部を見せます。先に学習済みモデルを読み込んでください（または下で学習させてください）。",
    layer: "層",
    another_image: "別のテスト画像",
    use_drawing: "自分の画像を使う",
    use_drawing_hint: "「自分で試す」で最後に分類した画像（描いた絵やアップロードした画像）",
    sweep: "全ピクセルをスイープ",
    stop: "停止",
    maps_in: "層に入るマップ",
    maps_out: "層が作るマップ",
    vector_in: "x：このピクセルでの入力チャネル",
    weights: "W：行が出力チャネル、列が入力チャネル（青は負、赤は正）",
    bias: "b（バイアス）",
    vector_out: "y = ReLU(W x + b)（出力）",
    output_channel: "出力チャネル",
    keys_1x1: "マップを指すか、図にフォーカスして矢印キーでピクセルを動かします。W の行をクリックすると、その出力チャネルを追えます。",
    computing: "モデルを実行中…",
    title_gap: "大域平均プーリング：クラスのスコアはマップの平均",
    question_gap: "NiN の分類器はどこへ行ったのでしょうか。最後のブロックはクラスごとに一枚のマップを作り、大域平均プーリングが各マップをその平均値に置き換えます。この 10 個の平均がクラスのスコアです。画像の一部を隠して、マップ・平均・予測がどう変わるかを見てください。",
    input: "入力（ドラッグすると一部を隠せます）",
    restore: "画像を元に戻す",
    class_maps: "最後のブロックの 10 枚のマップ（クラスごとに一枚、共通の色スケール）",
    mean: "平均",
    scores: "スコア：10 個の平均",
    probabilities: "スコアのソフトマックス",
    keys_gap: "画像の上をドラッグすると一部を隠せます。画像にフォーカスがあるときは、矢印キーで四角を動かし、スペースキーでその下を隠します。",
    model_224: "この図には本と同じ 224 × 224 の入力が必要です（96 px ではマップが 1 × 1 になります）。そのため 224 px で学習した二つ目のモデルを使い、求められたときだけダウンロードします。",
    run_all_running: "上から順に実行中：",
    run_all_ran: "上から順に実行しました：",
    run_all_skipped: "飛ばしたセル：",
    last_ran: "最終実行",
    cell_explore_1x1: "1×1 畳み込みの図",
    cell_shape: "形状の一覧",
    cell_gap: "大域平均プーリングの図",
    cell_code: "モデルセル",
    cell_training: "学習",
    cell_try: "自分で試す",
    skip_model: "学習済みモデルが必要です。先に読み込むか学習してください",
    skip_download: "二つ目のモデルをダウンロードするので、自分で開いてください",
    skip_training: "数分かかるので、自分で開始してください",
};

const ORDINALS: [&str; 4] = ["1 つ目", "2 つ目", "3 つ目", "4 つ目"];

pub fn layer_option(block: usize, conv: usize, c_in: usize, c_out: usize) -> String {
    let nth = ORDINALS.get(conv.saturating_sub(1)).copied().unwrap_or("次");
    format!("ブロック {}、{nth}の 1×1（{c_in} → {c_out} チャネル）", block + 1)
}

pub fn at_pixel(y: usize, x: usize, height: usize, width: usize) -> String {
    format!("{height} × {width} のうち {} 行 {} 列のピクセル：", y + 1, x + 1)
}

pub fn equation(o: usize, sum: f32, bias: f32, out: f32, model: f32) -> String {
    format!(
        "出力チャネル {}：W[{}] · x = {sum:.4}、b = {bias:.4} を足して {:.4}、ReLU で {out:.4}。モデル自身のマップ {} のこのピクセルの値は {model:.4} です。",
        o + 1,
        o + 1,
        sum + bias,
        o + 1
    )
}

pub fn largest_terms(terms: &[(usize, f32, f32)]) -> String {
    let parts: Vec<String> = terms.iter().map(|(i, w, x)| format!("チャネル {}：{w:.3} × {x:.3} = {:.3}", i + 1, w * x)).collect();
    format!("この和で大きい項：{}。", parts.join("、"))
}

pub fn swept(done: usize, total: usize) -> String {
    format!("行列は {total} ピクセル中 {done} ピクセルを通りました。")
}

pub fn load_model(bytes: u64) -> String {
    format!("224 px のモデルを読み込む（{}）", crate::format::bytes(bytes))
}

pub fn card_line(accuracy: f64, images: u64) -> String {
    format!(
        "224 px のモデルは {} 枚のテスト画像で {:.1} % の正解率です（作成時に測定したモデルカードの値）。",
        crate::format::grouped(images),
        accuracy * 100.0
    )
}

pub fn prediction(class: usize, name: &str, prob: f32) -> String {
    format!("モデルの予測：{name}（クラス {class}）、{:.1} %。", prob * 100.0)
}

pub fn error(e: &ExploreError) -> String {
    match e {
        ExploreError::NoPointwise(_) => {
            "このモデルには見せられる 1×1 畳み込みがありません（たとえば演習 2 の 3×3 版）。学習済みの NiN を読み込むと見られます。".into()
        }
        ExploreError::NoGlobalPooling => "このモデルは全結合層で終わるので、平均するクラスマップがありません。".into(),
        ExploreError::Compute(e) => e.to_string(),
    }
}
