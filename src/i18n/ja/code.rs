//! The code cell's error sentences in Japanese (crates/nin-code's typed errors).

use nin_code::{ErrorKind, Expected, Found, IndentProblem, Limit, Range, ShapeProblem, ValueType};

fn found(f: &Found) -> String {
    match f {
        Found::Name(n) => format!("名前 `{n}`"),
        Found::Keyword(k) => format!("キーワード `{k}`"),
        Found::Number(n) => format!("数 {n}"),
        Found::Symbol(s) => format!("`{s}`"),
        Found::NewLine => "行末".into(),
        Found::Indent => "字下げされた行".into(),
        Found::Dedent => "字下げの浅い行".into(),
        Found::End => "コードの終わり".into(),
    }
}

fn expected(e: &Expected) -> String {
    match e {
        Expected::Symbol(s) => format!("`{s}`"),
        Expected::Name => "名前".into(),
        Expected::Expression => "値".into(),
        Expected::Statement => "文".into(),
        Expected::NewLine => "行末".into(),
        Expected::Parameter => "引数名".into(),
    }
}

fn value_type(t: ValueType) -> &'static str {
    match t {
        ValueType::Int => "整数",
        ValueType::Float => "小数",
        ValueType::Number => "数",
        ValueType::Bool => "True か False",
        ValueType::None => "None",
        ValueType::Tuple => "タプル",
        ValueType::IntOrPair => "整数または整数の組",
        ValueType::Shape4 => "形状 (バッチ, チャネル, 高さ, 幅)",
        ValueType::Layer => "層",
        ValueType::Function => "関数",
        ValueType::Class => "クラス",
        ValueType::Model => "モデル",
        ValueType::Module => "モジュール（nn または d2l）",
        ValueType::Other => "別の種類の値",
    }
}

fn range(r: Range) -> &'static str {
    match r {
        Range::Positive => "1 以上",
        Range::NonNegative => "0 以上",
        Range::Probability => "0 以上 1 以下",
        Range::HalfKernel => "カーネルサイズの半分以下",
    }
}

fn limit(l: Limit) -> &'static str {
    match l {
        Limit::Number => "数が大きすぎます",
        Limit::Dimension => "65,536 を超えるサイズがあります",
        Limit::Layers => "層が 512 を超えています",
        Limit::Parameters => "パラメータまたは値が多すぎます",
        Limit::Nesting => "括弧か Sequential の入れ子が深すぎます",
        Limit::Work => "評価に必要な処理が多すぎます",
    }
}

/// The sentence for one error kind (the cell adds the place and the layer).
pub fn kind(kind: &ErrorKind) -> String {
    use ErrorKind::*;
    match kind {
        UnexpectedCharacter(c) => format!("文字 `{c}` はこのセルが読む Python では使いません"),
        StringLiteral => "文字列はここでは不要で、対応していません".into(),
        UnclosedBracket(c) => format!("この `{c}` が閉じられていません"),
        Syntax { expected: e, found: f } => format!("{}があるべきところに{}があります", expected(e), found(f)),
        UnsupportedSyntax(k) => format!("`{k}` はこのセルでは使えません（def、class、return、代入、呼び出しを読みます）"),
        BadIndentation(IndentProblem::Unexpected) => "この行は字下げされていますが、ブロックを始める行がありません".into(),
        BadIndentation(IndentProblem::Inconsistent) => "この行の字下げが、どの外側のブロックとも合いません".into(),
        BadIndentation(IndentProblem::ExpectedBlock) => "`:` の後には字下げしたブロックが必要です".into(),
        DefaultBeforeRequired(p) => format!("引数 `{p}` には既定値がありませんが、既定値のある引数の後にあります"),
        PositionalAfterKeyword => "キーワード引数の後に位置引数があります".into(),
        InvalidAssignmentTarget => "代入できるのは名前か `self.<名前>` だけです".into(),
        ReturnOutsideFunction => "関数の外に `return` があります".into(),
        UnknownName(n) => format!("`{n}` という名前はありません"),
        UnknownLayer(n) => format!("`nn.{n}` という層には対応していません"),
        NotCallable(t) => format!("{}は呼び出せません", value_type(*t)),
        TooManyArguments { max, given } => format!("位置引数は最大 {max} 個ですが、{given} 個渡されています"),
        UnknownArgument(a) => format!("`{a}` という引数はありません"),
        DuplicateArgument(a) => format!("引数 `{a}` が 2 回渡されています"),
        MissingArgument(a) => format!("引数 `{a}` がありません"),
        WrongArgumentType { argument, expected: e, found: f } => format!("`{argument}` は{}でなければなりませんが、{}です", value_type(*e), value_type(*f)),
        OutOfRange { argument, value, range: r } => format!("`{argument}` = {value} は{}でなければなりません", range(*r)),
        BadOperation => "この計算はできません".into(),
        DoesNotFit(ShapeProblem::KernelTooLarge { kernel, input }) => {
            format!("入力が小さすぎます: カーネル {kernel} がパディング後の入力 {input} より大きくなります")
        }
        DoesNotFit(ShapeProblem::NeedsImage { input }) => {
            format!("画像 (バッチ, チャネル, 高さ, 幅) が必要ですが、入力は {} です", nin_code::format_shape(input))
        }
        DoesNotFit(ShapeProblem::NeedsFlat { input }) => {
            format!("平坦な入力が必要ですが、入力は {} です。前に nn.Flatten() を置いてください", nin_code::format_shape(input))
        }
        DoesNotFit(ShapeProblem::InputMismatch { declared, actual }) => format!("入力数を {declared} と宣言していますが、実際の入力は {actual} です"),
        Recursion => "関数の呼び出しが深すぎます".into(),
        TooBig(l) => format!("このページには大きすぎます: {}", limit(*l)),
        NoNetAssignment(c) => format!("クラス `{c}` が `self.net` に層を設定していません"),
        NoClass => "モデルのクラスが定義されていません（class NiN(d2l.Classifier): ...）".into(),
    }
}

/// "3 行 9 列: Conv2d: <内容>".
pub fn error(e: &nin_code::CodeError) -> String {
    let layer = e.layer.as_ref().map(|l| format!("{l}: ")).unwrap_or_default();
    format!("{} 行 {} 列: {layer}{}", e.line, e.col, kind(&e.kind))
}

/// Why the training cell cannot train an edited net.
pub fn not_trainable(why: &crate::model::from_code::NotTrainable) -> String {
    use crate::model::from_code::NotTrainable::*;
    let entry = |i: &usize| format!("self.net の {} 番目の要素", i + 1);
    match why {
        Block(i) => format!("訓練セルが訓練できるのは NiN 型のネットワークです: {}が、各畳み込みの後に ReLU が続くブロック（内側の畳み込みはストライド 1、同じ奇数カーネルで、サイズを保つパディング）になっていません。", entry(i)),
        Layer(i, name) => format!("訓練セルが訓練できるのは NiN 型のネットワークです: {}の {name} を置く場所がありません。", entry(i)),
        Option(i, what) => format!("訓練セルが訓練できるのは NiN 型のネットワークです: {}の {what} には対応していません。", entry(i)),
        Head => "訓練セルが訓練できるのは NiN 型のネットワークです: 最後は大域平均プーリングと Flatten、または Flatten と Linear 層（間に ReLU と Dropout(0.5)）で終わる必要があります。".into(),
        Classes => "訓練セルが訓練できるのは NiN 型のネットワークです: 大域平均プーリングを使うとき、最後のブロックのチャネル数はクラス数と同じでなければなりません。".into(),
    }
}

/// Why a share link's code cannot be read.
pub fn link_error(e: &crate::exercises::code_link::CodeLinkError) -> String {
    use crate::exercises::code_link::CodeLinkError::*;
    match e {
        Empty => "リンクの #code= の後にコードがありません。".into(),
        TooLong => "リンクが長すぎて、このセルのプログラムとして読めません。".into(),
        NotBase64 { at } => format!("リンクのコードの {} 文字目は共有リンクで使わない文字です。リンクが変更されたか、途中で切れています。", at + 1),
        Damaged => "リンクのコードが不完全か壊れています。コピーするときにリンクが途中で切れた可能性があります。".into(),
        TooLarge => "プログラムが 64 KB を超えていて、共有リンクに入りません。".into(),
        NotText => "リンクのコードがテキストではありません。".into(),
    }
}

/// "#3 あなたのコード（ブロックごとに 1×1 畳み込み 1 個）"、または「（ブロック 4 個、畳み込み 12 層）」。
pub fn run_name(number: usize, same_as: Option<&str>, blocks: usize, convs: usize) -> String {
    let what = same_as.map(str::to_string).unwrap_or_else(|| format!("ブロック {blocks} 個、畳み込み {convs} 層"));
    format!("#{number} あなたのコード（{what}）")
}

/// The code cell's fixed strings.
pub static CODE: super::super::code::CodeUi = super::super::code::CodeUi {
    title: "本のコード（PyTorch）: 編集して実行できます",
    note: "これは章の PyTorch のコードです。変更して「実行」を押すと、ページがコードを読み取り（def、class、return、代入、呼び出し）、Burn でネットワークを組み立て、実際の出力形状で本と同じ層の要約を表示します。入力した内容はこの端末に保存されます。",
    editor_label: "モデルの PyTorch コード",
    run: "実行",
    running: "実行中…",
    reset: "本のコードに戻す",
    train: "このモデルを訓練する",
    col_layer: "層",
    col_shape: "出力の形状",
    col_line: "行",
    params: "パラメータ数",
    supported: "対応している層:",
    default_input: "コードに layer_summary の呼び出しがないため、本の入力 (1, 1, 224, 224) を使いました。",
    sent_to_training: "下の訓練セルがこのモデルを訓練します。",
    kept: "この端末に保存しました。",
    open_in_editor: "コードエディタで開く",
    on_gpu: "WebGPU で計算",
    on_cpu: "CPU で計算",
    checking: "形は計算式から。実際の順伝播で確かめています…",
    checked: "すべての形を実際の順伝播で確認",
    tabs_label: "モデルのコード",
    tab_pytorch: "PyTorch（本のコード）",
    tab_rust: "Burn（Rust）",
    rust_note: "同じネットワークを、このページが動いている Rust のライブラリ Burn で書いたものです。PyTorch のコードを読み取れるたびに生成するので、両者は常に一致します。読み取り専用です。",
    rust_stale: "いまの PyTorch のコードは読み取れないため、最後に読み取れた版の Burn のコードを表示しています:",
    rust_none: "PyTorch のコードを読み取れないため、まだ Burn のコードはありません:",
    share: "共有",
    share_label: "このコードへのリンク",
    share_copied: "リンクをコピーしました。コード自体が（圧縮されて）リンクに入っていて、どこにもアップロードされません。",
    share_select: "リンクを選択してコピーしてください。コード自体が（圧縮されて）リンクに入っていて、どこにもアップロードされません。",
    share_unsupported: "このブラウザではリンクを圧縮できません（deflate-raw に対応した CompressionStream がありません）。",
    share_failed: "リンクを作れませんでした:",
    link_loaded: "リンクのコードを読み込みました。",
    link_unreadable: "リンクのコードを読み取れなかったため、エディタにはあなたのコードを残しています:",
    kept_after_link: "リンクのコードを読み込みました。前のコードは保管してあります:",
    kept_after_exercise: "演習のコードを開きました。前のコードは保管してあります:",
    kept_after_book: "本のコードに戻しました。あなたのコードは保管してあります:",
    kept_after_restore: "あなたのコードを戻しました。置き換えたコードは保管してあります:",
    restore: "元に戻す",
    forget: "破棄する",
};
