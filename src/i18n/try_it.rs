//! Strings of the "try it yourself" cell, in both languages.

use crate::data::sketch::SketchError;

use super::Lang;

#[derive(Debug)]
pub struct TryUi {
    pub title: &'static str,
    pub intro: &'static str,
    pub need_model: &'static str,
    pub canvas_label: &'static str,
    pub clear: &'static str,
    pub upload: &'static str,
    pub test_image: &'static str,
    pub classify: &'static str,
    pub working: &'static str,
    pub input_title: &'static str,
    pub inverted: &'static str,
    pub probabilities: &'static str,
    pub maps_title: &'static str,
    pub maps_note: &'static str,
    pub block: &'static str,
    pub channel: &'static str,
    pub model_from: &'static str,
    pub truth: &'static str,
}

pub static EN: TryUi = TryUi {
    title: "Try it yourself",
    intro: "Draw a garment (light on dark, like the dataset), upload a photo, or take a test image. \
            The picture is cropped, centred and shrunk to the 28×28 grey input the model sees.",
    need_model: "Train a model above (a short run is enough) or load a weights file first.",
    canvas_label: "Drawing area: draw with a mouse, pen or finger",
    clear: "Clear",
    upload: "Upload a picture",
    test_image: "Random test image",
    classify: "Classify",
    working: "Running the model…",
    input_title: "What the model gets (28×28)",
    inverted: "Inverted: the picture had a light background.",
    probabilities: "Class probabilities (softmax of the logits)",
    maps_title: "Feature maps after each NiN block",
    maps_note: "The first channels of each block's output, each scaled to its own range (bright = large). \
                The last block has one channel per class; global average pooling turns each into a logit.",
    block: "Block",
    channel: "channel",
    model_from: "Model trained at",
    truth: "true class",
};

pub static JA: TryUi = TryUi {
    title: "自分で試す",
    intro: "衣類を描く（データセットと同じく暗い背景に明るい線で）、写真をアップロードする、またはテスト画像を選んでください。\
            画像は切り抜き・中央寄せ・縮小され、モデルが受け取る 28×28 のグレースケール入力になります。",
    need_model: "先に上のセルでモデルを訓練する（短い実行で十分です）か、重みファイルを読み込んでください。",
    canvas_label: "描画エリア：マウス、ペン、指で描けます",
    clear: "消去",
    upload: "画像をアップロード",
    test_image: "ランダムなテスト画像",
    classify: "分類する",
    working: "モデルを実行中…",
    input_title: "モデルが受け取る入力（28×28）",
    inverted: "明るい背景だったため白黒を反転しました。",
    probabilities: "クラスごとの確率（ロジットのソフトマックス）",
    maps_title: "各 NiN ブロックの後の特徴マップ",
    maps_note: "各ブロック出力の先頭のチャネルを、それぞれの値域に合わせて表示しています（明るいほど大きい値）。\
                最後のブロックはクラスごとに 1 チャネルを持ち、大域平均プーリングがそれぞれをロジットにします。",
    block: "ブロック",
    channel: "チャネル",
    model_from: "訓練時の画像サイズ",
    truth: "正解クラス",
};

pub fn sketch_error(lang: Lang, e: &SketchError) -> String {
    match (lang, e) {
        (Lang::En, SketchError::Empty { width, height }) => format!("The picture has no pixels ({width} × {height})."),
        (Lang::Ja, SketchError::Empty { width, height }) => format!("画像に画素がありません（{width} × {height}）。"),
        (Lang::En, SketchError::WrongLength { .. }) => format!("The picture could not be read ({e})."),
        (Lang::Ja, SketchError::WrongLength { .. }) => format!("画像を読み取れませんでした（{e}）。"),
        (Lang::En, SketchError::Blank) => "The picture is blank: draw or upload something first.".into(),
        (Lang::Ja, SketchError::Blank) => "画像が空です。先に何か描くかアップロードしてください。".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_tables_are_complete_and_differ() {
        crate::i18n::assert_translated(&EN, &JA);
        for e in [SketchError::Blank, SketchError::Empty { width: 0, height: 1 }] {
            assert_ne!(sketch_error(Lang::En, &e), sketch_error(Lang::Ja, &e));
        }
    }
}
