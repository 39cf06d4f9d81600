//! Every Japanese text of the page: the fixed strings (one table per cell) and the
//! sentences written from values ([`Messages`]). The other language lives in its own file with
//! the same tables and trait: a text missing there does not compile.

use super::{Messages, StorageIssue, Stored};

pub mod code;
pub mod explore;
pub mod predict;
mod tables;
use crate::analysis::{AnalysisError, Dimension, LayerKind};
use crate::data::DataError;
use crate::data::sketch::SketchError;
use crate::engine::{CpuReason, GpuFault, SummaryError};
use crate::figure::FigureItem;
use crate::training::record::RecordFileError;
use crate::training::{SettingsError, TrainError};
use crate::worker::WorkerFailure;
pub use code::CODE;
pub use tables::{EX, RUNS, TRAIN, TRY, UI};

/// The Japanese sentences.
pub struct Japanese;

impl Messages for Japanese {
    fn figure_lines(&self, item: &FigureItem) -> Vec<String> {
        match item {
            FigureItem::Block { convs, nin } => {
                let title = if *nin { "NiN ブロック" } else { "VGG ブロック" };
                let mut lines = vec![title.to_string()];
                lines.extend(convs.iter().map(|(k, c)| format!("{k}×{k} 畳み込み {c}ch + ReLU")));
                lines
            }
            FigureItem::MaxPool { kernel, stride } => vec![format!("最大プーリング {kernel}×{kernel}、ストライド {stride}")],
            FigureItem::Dropout { prob } => vec![format!("ドロップアウト p={prob}")],
            FigureItem::GlobalAvgPool => vec!["大域平均プーリング → ロジット".into()],
            FigureItem::Flatten => vec!["平坦化".into()],
            FigureItem::FullyConnected { width } => vec![format!("全結合 {width}")],
        }
    }

    fn aside(&self, note: &str) -> String {
        format!("（{note}）")
    }

    fn stop(&self) -> &'static str {
        "。"
    }

    fn stop_gap(&self) -> &'static str {
        "。"
    }

    fn list_sep(&self) -> &'static str {
        "、"
    }

    fn cpu_because(&self, reason: &CpuReason) -> String {
        format!("{}。{}{}。", UI.cpu_backend, UI.because, self.cpu_reason(reason))
    }

    fn channel_count(&self, n: u64) -> String {
        format!("{n} {}", UI.maps_channels)
    }

    fn worker_failure(&self, f: &WorkerFailure) -> String {
        match f {
            WorkerFailure::Train(e) => self.train_error(e),
            WorkerFailure::NoWebGpu(reason) => self.worker_no_webgpu(reason),
            WorkerFailure::Crashed(what) => self.worker_crashed(what),
            WorkerFailure::Unavailable(what) => self.worker_unavailable(what),
            WorkerFailure::Weights(m) => format!("{} 訓練した重みを保存できませんでした: {m}", TRAIN.worker_failed),
            WorkerFailure::Protocol(m) => format!("{} 訓練用ワーカーが解釈できないメッセージを受け取りました: {m}", TRAIN.worker_failed),
        }
    }

    fn measure_failed(&self, f: &WorkerFailure) -> String {
        self.worker_failure(f)
    }

    fn received_weights_error(&self, e: &RecordFileError) -> String {
        match e {
            RecordFileError::Model(inner) => self.analysis_error(inner),
            RecordFileError::Readback(m) => format!("訓練した重みをデバイスから読み出せませんでした: {m}"),
            RecordFileError::Format(m) => format!("このモデルの重みファイルではありません: {m}"),
            RecordFileError::NoHeader => "この重みファイルにはモデルの記述がありません（以前のバージョンのページで保存されたものです）".into(),
        }
    }

    fn file_read_error(&self, name: &str, detail: &str) -> String {
        format!("{name} を読み込めませんでした: {detail}")
    }

    fn dimension(&self, d: Dimension) -> &'static str {
        match d {
            Dimension::Batch => "バッチサイズ",
            Dimension::Channels => "チャネル数",
            Dimension::Height => "高さ",
            Dimension::Width => "幅",
        }
    }

    fn layer_label(&self, kind: &LayerKind) -> String {
        match kind {
            LayerKind::NinBlock { index, kernel, stride, padding, mlp_kernel, convs } => format!(
                "NiN ブロック {index}: {kernel}×{kernel} 畳み込み（ストライド {stride}、パディング {padding}）+ {mlp_kernel}×{mlp_kernel} 畳み込み × {}",
                convs - 1
            ),
            LayerKind::MaxPool { kernel, stride } => format!("最大プーリング {kernel}×{kernel}、ストライド {stride}"),
            LayerKind::Dropout { prob } => format!("ドロップアウト、p = {prob}"),
            LayerKind::GlobalAvgPool => "大域平均プーリング".into(),
            LayerKind::Flatten => "平坦化".into(),
            LayerKind::Linear { in_features, out_features } => format!("全結合 {in_features} → {out_features}"),
        }
    }

    fn analysis_error(&self, e: &AnalysisError) -> String {
        use AnalysisError as E;
        match e {
            E::ZeroDimension(d) => format!("{}が 0 です。入力の各次元は 1 以上にしてください。", self.dimension(*d)),
            E::ChannelMismatch { expected, got } => format!("入力のチャネル数は {got} ですが、モデルは {expected} を想定しています。"),
            E::InputTooSmall { height, width, layer, map_height, map_width, kernel, min_side, .. } => format!(
                "{height}x{width} の入力は小さすぎます。第 {layer} 層に届く特徴マップは {map_height}x{map_width} で、{kernel}x{kernel} の窓より小さくなります。{}",
                min_side.map(|s| format!("このモデルには少なくとも {s}x{s} ピクセルが必要です。")).unwrap_or_default()
            ),
            E::TooLarge { layer, needed_mib, limit_mib } => {
                let (needed, limit) = (crate::format::mebibytes(*needed_mib), crate::format::mebibytes(*limit_mib));
                format!("第 {layer} 層には {needed} のバッファが必要で、ここで使える上限 {limit} を超えます。バッチか画像を小さくしてください。")
            }
            E::HeadTiedToInput { built_height, built_width, height, width } => {
                format!("全結合ヘッドは {built_height}x{built_width} の入力用に作られているため、{height}x{width} は受け付けません。")
            }
            E::InvalidConfig(reason) => format!("モデル設定が不正です: {reason}"),
            E::Overflow => "サイズが大きすぎて計算できません。".into(),
        }
    }

    fn cpu_reason(&self, r: &CpuReason) -> String {
        use CpuReason as R;
        match r {
            R::NoWebGpuApi => "このブラウザには WebGPU API がありません（navigator.gpu が未定義）".into(),
            R::NoAdapter => "ブラウザは WebGPU を提供していますが、使える GPU アダプタがありません（requestAdapter() が null を返しました）".into(),
            R::AdapterRequestFailed(m) => format!("WebGPU アダプタの取得に失敗しました: {m}"),
            R::InitFailed(m) => format!("Burn を WebGPU 上で起動できませんでした: {m}"),
            R::Chosen => "CPU バックエンドが選択されました".into(),
            R::MissingFeature(f) => format!("このブラウザの WebGPU には、Burn がブラウザ内で必要とする {f} がありません"),
            R::LimitTooLow { name, have, need } => format!("このブラウザの WebGPU は {name} = {have} で、必要な {need} に足りません"),
            R::WorkerWebGpuFailed(m) => format!("訓練用ワーカーで WebGPU を起動できなかったため、CPU に切り替えました（{}）", self.cpu_reason(m)),
            R::SoftwareAdapter(name) => {
                let (cpu, gpu) = crate::engine::backend::SOFTWARE_ADAPTER_SPEED;
                format!(
                    "このブラウザの WebGPU はソフトウェアでプロセッサ上に実装されています（{name}）。そこでは Burn の CPU バックエンドの方が約 {:.0} 倍速く学習するため（並べて測定：毎秒 {cpu} 枚と {gpu} 枚）、CPU を使います。WebGPU を選ぶこともできます",
                    cpu / gpu
                )
            }
            R::WorkerCrashed(m) => format!("WebGPU 用のワーカーが停止したため、CPU で続けています（{m}）"),
            R::GpuEngineLoading => "WebGPU エンジンをダウンロード中です。準備ができるまでセルは CPU で動きます".into(),
            R::PageGpuFailed(fault) => {
                format!("このページで WebGPU が失敗しました（{}）。もう一度試すにはページを再読み込みしてください", self.gpu_fault(fault))
            }
            R::GpuFailed(fault) => format!("実行中に GPU が失敗したため、CPU で続けることにしました（{}）", self.gpu_fault(fault)),
            R::Native => "ネイティブビルドです".into(),
        }
    }

    fn field_error(&self, label: &str, rule: crate::fields::Rule, error: &crate::fields::FieldError) -> String {
        use crate::fields::{FieldError as E, Rule as R};
        let n = |v: u64| crate::format::grouped(v);
        let rule_text = match rule {
            // Every range names its largest value, u64::MAX too (a seed above it is refused for
            // being too large, not "at least 0").
            R::Whole { min, max } => format!("{} から {} までの整数", n(min), n(max)),
            R::Decimal { above, below } => format!("{above} より大きく {below} より小さい数（例: 0.001）"),
        };
        match error {
            E::Empty => format!("{label}が空です。{rule_text}を入力してください。"),
            E::Broken(text) => format!("{label}は{rule_text}にしてください（入力値: \"{text}\"）。"),
        }
    }

    fn storage_notice(&self, issue: StorageIssue, what: Stored) -> String {
        use {StorageIssue as I, Stored as S};
        let thing = match what {
            S::Language => "言語の選択",
            S::ShapeCell => "形状セルの前回の結果",
            S::RunBoard => "実行の比較ボード",
            S::Speeds => "測定した訓練速度",
            S::Code => "コードセルに入力したコード",
            S::Backend => "WebGPU を選んだこと",
        };
        match issue {
            I::Unavailable => format!(
                "このブラウザではページが保存領域を使えません（プライベートウィンドウや設定のため）。{thing}など、覚えておくはずのものは再読み込みで消えます。ページはそのまま使えます。"
            ),
            I::Full => format!(
                "このサイトのブラウザの保存領域がいっぱいのため、{thing}を保存できませんでした。再読み込みで消えます。ページ下部の「オフライン」で保存したデータを消去すると空きができます。"
            ),
            I::Unreadable => format!("保存されていた値（{thing}）を読めなかったため（以前のバージョンのものか、壊れています）、取り除きました。"),
        }
    }

    fn gpu_fault(&self, f: &GpuFault) -> String {
        use GpuFault as G;
        match f {
            G::Lost(m) => format!("GPU デバイスが失われました: {m}"),
            G::OutOfMemory(m) => format!("GPU のメモリが足りなくなりました: {m}"),
            G::Validation(m) => format!("GPU がコマンドを受け付けませんでした: {m}"),
            G::Internal(m) => format!("GPU が内部エラーを報告しました: {m}"),
        }
    }

    fn summary_out_of_memory(&self, batch: usize, needed: u64, ran_out_at: u64, ran_out_now: bool, largest_fits: usize) -> String {
        let (needed, at) = (crate::format::bytes(needed), crate::format::bytes(ran_out_at));
        let n = crate::format::grouped(largest_fits as u64);
        match (ran_out_now, largest_fits) {
            (true, 0) => format!(
                "GPU のメモリが足りなくなりました。バッチ {batch} には約 {needed} が必要で、今のこの GPU には大きすぎ、画像 1 枚でも収まりません。WebGPU はそのまま使えます。GPU を使う他のタブやプログラムを閉じるか、CPU に切り替えてください。"
            ),
            (true, _) => format!(
                "GPU のメモリが足りなくなりました。バッチ {batch} には約 {needed} が必要で、今のこの GPU には大きすぎます。WebGPU はそのまま使えます。バッチを {n} 以下に減らしてください。"
            ),
            (false, 0) => format!(
                "バッチ {batch} には約 {needed} が必要です。このページでは {at} の要求で GPU のメモリが足りなくなり、画像 1 枚でも収まりません。もう一度試すにはバックエンドを切り替えてください。"
            ),
            (false, _) => format!(
                "バッチ {batch} には約 {needed} が必要です。このページでは {at} の要求で GPU のメモリが足りなくなったため、この要求は送りません。バッチを {n} 以下にしてください（GPU での要求が成功するか、バックエンドを切り替えるとこの制限は外れます）。"
            ),
        }
    }

    fn summary_error(&self, e: &SummaryError) -> String {
        use SummaryError as S;
        match e {
            S::Invalid(inner) => self.analysis_error(inner),
            S::ShapeMismatch { row, planned, measured } => {
                format!("第 {row} 行: 解析では {planned:?} ですが、実際の順伝播では {measured:?} でした。これは不具合です。報告してください。")
            }
            S::ParamMismatch { planned, module } => format!("解析上のパラメータ数は {planned} ですが、モジュールには {module} あります。"),
            S::RowCountMismatch { planned, measured } => format!("順伝播で得た形状は {measured} 行、解析では {planned} 行でした。"),
            S::Readback(m) => format!("デバイスからの結果の読み出しに失敗しました: {m}"),
            S::Worker(m) => format!("WebGPU 用のワーカーが停止しました（{m}）。CPU バックエンドに切り替えたので、もう一度「実行」を押してください。"),
            S::Gpu(f) => {
                format!("このページで WebGPU が失敗しました（{}）。CPU バックエンドに切り替えたので、もう一度「実行」を押してください。", self.gpu_fault(f))
            }
        }
    }

    fn worker_no_webgpu(&self, reason: &crate::engine::CpuReason) -> String {
        let reason = self.cpu_reason(reason);
        format!("訓練用ワーカーで WebGPU を起動できませんでした（{reason}）。CPU バックエンドはどのブラウザでも動きます。下のボタンで切り替えられます。")
    }

    fn gpu_memory_error(&self, batch: usize, needed: u64, ran_out_at: u64, largest_fits: usize) -> String {
        let (needed, ran_out_at) = (crate::format::bytes(needed), crate::format::bytes(ran_out_at));
        format!(
            "バッチ {batch} の訓練には約 {needed} が必要です。このページでは {ran_out_at} を必要とした実行で GPU メモリが不足しました（ブラウザは GPU のメモリ量を教えてくれません）。それより小さく収まる最大のバッチは {largest_fits} です。"
        )
    }

    fn shipped_run_name(&self, secs: f64) -> String {
        let t = self.duration(crate::format::duration(secs));
        format!("訓練済み NiN（このサイト、訓練 {t}）")
    }

    fn shipped_trained(&self, images: usize, epochs: usize, size: usize, secs: f64, machine: &str) -> String {
        let (images, t) = (crate::format::grouped(images as u64), self.duration(crate::format::duration(secs)));
        format!("{size} px で {images} 枚（{epochs} エポック）、{t}（{machine}）")
    }

    fn shipped_recipe(&self, s: &crate::training::TrainSettings) -> String {
        let (lr, e) = (s.learning_rate, s.epochs);
        format!(
            "Adam。学習率はエポック 1〜{} で {lr}、エポック {} で {:.2e}、エポック {e} で {:.0e}。バッチ {}。訓練画像 {} 枚、検証用に取り分けた {} 枚。シード {}",
            e.saturating_sub(2),
            e.saturating_sub(1),
            lr / 3.0,
            lr / 10.0,
            s.batch_size,
            crate::format::grouped(s.train_images as u64),
            crate::format::grouped(s.val_images as u64),
            s.seed
        )
    }

    fn shipped_differs(&self, s: &crate::training::TrainSettings) -> String {
        format!(
            "本書は学習率 0.05 の SGD、バッチ 128、224 px の画像で 10 エポック学習し、テストセットで検証します。このモデルは学習率を下げていく Adam、バッチ {}、{} px の画像、{} エポックで学習しました（2 コアの CPU では 96 px で毎秒約 50 枚、224 px では約 8 枚）。検証用の画像は別に取り分け、テストセットは最後に一度だけ使いました。",
            s.batch_size, s.image_size, s.epochs
        )
    }

    fn loaded_weights(&self, name: &str, size: usize) -> String {
        format!("{name} を読み込みました。{size} px で訓練されたモデルなので、{size} px で評価します。")
    }

    fn weights_error(&self, name: &str, e: &crate::training::record::RecordFileError) -> String {
        use crate::training::record::RecordFileError as R;
        match e {
            R::Model(inner) => format!("{name} が記すモデルは、記された画像サイズでは動きません: {}", self.analysis_error(inner)),
            R::NoHeader => format!(
                "{name} は以前のバージョンで保存されたため、どのモデル・画像サイズ用か分かりません。もう一度訓練して、新しい重みファイルをダウンロードしてください。"
            ),
            R::Format(m) => format!("{name} はこのページの重みファイルではありません（{m}）。"),
            R::Readback(m) => format!("重みの読み出しに失敗しました: {m}"),
        }
    }

    fn worker_unavailable(&self, what: &str) -> String {
        format!("訓練用ワーカーを起動できませんでした（{what}）。接続を確認してもう一度「訓練」を押してください。ページはそのまま使えます。")
    }

    fn worker_crashed(&self, what: &str) -> String {
        format!(
            "内部エラーのため訓練用ワーカーが停止しました（{what}）。ここまでの曲線は残っており、ページはそのまま使えます。次の実行では新しいワーカーが起動します。"
        )
    }

    fn duration(&self, d: crate::format::Duration) -> String {
        use crate::format::Duration as D;
        match d {
            D::Seconds(s) => format!("{s} 秒"),
            D::Minutes { min, s: 0 } => format!("{min} 分"),
            D::Minutes { min, s } => format!("{min} 分 {s} 秒"),
            D::Hours { h, min: 0 } => format!("{h} 時間"),
            D::Hours { h, min } => format!("{h} 時間 {min} 分"),
        }
    }

    fn time_left(&self, secs: f64) -> String {
        format!("残り {}", self.duration(crate::format::duration(secs)))
    }

    fn time_estimate(&self, secs: f64, batch: usize, size: usize) -> String {
        let time = self.duration(crate::format::duration(secs));
        format!("≈\u{a0}{time}（このバックエンドでの直近の実行（バッチ {batch}、{size} px）の速度から推定）")
    }

    fn images_seen(&self, images: u64) -> String {
        format!("学習した画像 {} 枚", crate::format::grouped(images))
    }

    fn confusion_cell(&self, truth: &str, pred: &str, count: u64, row_total: u64) -> String {
        let images = crate::format::grouped(count);
        if row_total == 0 {
            return format!("正解 {truth} を {pred} と予測: {images} 枚（テスト画像に {truth} はありません）");
        }
        let share = count as f64 / row_total as f64 * 100.0;
        format!("正解 {truth} を {pred} と予測: {images} 枚（{truth} の {share:.1} %）")
    }

    fn settings_error(&self, e: &SettingsError) -> String {
        use SettingsError as S;
        match e {
            S::Shape(inner) => self.analysis_error(inner),
            S::ZeroBatch => "バッチサイズは 1 以上にしてください。".into(),
            S::ZeroEpochs => "エポック数は 1 以上にしてください。".into(),
            S::BadEvalCount => "1 エポックに少なくとも 1 回の検証が必要です。".into(),
            S::ZeroValidation => "検証画像は 1 枚以上にしてください。実行中の曲線はこの画像で測ります。".into(),
            S::ZeroTest => "テスト画像は 1 枚以上にしてください。実行の最後にこの画像で評価します。".into(),
            S::WeightsTooLarge { bytes, limit } => format!(
                "このモデルの最大の重みテンソルは {} で、このデバイスの 1 バッファの上限 {} を超えます。バッチサイズでは変わりません。CPU バックエンドで訓練してください。",
                crate::format::bytes(*bytes),
                crate::format::bytes(*limit)
            ),
            S::BadLearningRate(lr) => format!("学習率は 10 未満の正の数にしてください（入力値 {lr}）。"),
            S::NoFullBatch { train, batch } => format!("訓練画像 {train} 枚では {batch} 枚のバッチが 1 つも作れません。"),
            S::NotEnoughImages { wanted, available } => {
                format!("訓練用と検証用に {wanted} 枚が必要ですが、訓練ファイルには {available} 枚しかありません。")
            }
            S::NotEnoughTestImages { wanted, available } => format!("テスト画像 {wanted} 枚が必要ですが、テストファイルには {available} 枚しかありません。"),
            S::BatchTooLarge { batch, bytes, limit, largest_fits } => format!(
                "バッチ {batch} では最大のテンソルが {} になり、このデバイスの 1 バッファの上限 {} を超えます。収まる最大のバッチは {largest_fits} です。",
                crate::format::bytes(*bytes),
                crate::format::bytes(*limit)
            ),
            S::OutOfMemory { batch, needed, budget, largest_fits } => format!(
                "バッチ {batch} の訓練には約 {} が必要で、このバックエンドが使える {} を超えます。収まる最大のバッチは {largest_fits} です。",
                crate::format::bytes(*needed),
                crate::format::bytes(*budget)
            ),
        }
    }

    fn train_error(&self, e: &TrainError) -> String {
        use TrainError as T;
        match e {
            T::Settings(inner) => self.settings_error(inner),
            T::Model(inner) => self.analysis_error(inner),
            T::Readback(m) => format!("デバイスからの結果の読み出しに失敗しました: {m}"),
            T::Diverged { step } => format!("ステップ {step} で損失が有限の値でなくなり、発散しました。学習率を小さくしてください。"),
            T::Replica(m) => format!(
                "補助の学習ワーカーの 1 つが失敗したため、実行を止めました: {m}。ここまでの曲線は残っています。ワーカー数を 1 にすると補助ワーカーを使いません。"
            ),
            T::BadLogits => "モデルの出力を評価できませんでした（大きさが違うか、有限でない値を含みます）。".into(),
            T::Gpu(f) => format!(
                "実行が止まりました。原因: {}。グラフィックスドライバのリセット、ブラウザによる GPU の回収（バックグラウンドのタブなど）、GPU メモリ不足で起こります。ここまでの曲線は残っています。",
                self.gpu_fault(f)
            ),
        }
    }

    fn data_error(&self, e: &DataError) -> String {
        use DataError as D;
        match e {
            D::NotGzip { file } => format!("{file} は gzip ファイルではありません。"),
            D::Gzip { file, reason } => format!("{file} の gzip データが壊れています（{reason}）。"),
            D::WrongMagic { file, expected, got } => format!("{file} のマジックナンバーは {got} ですが、この種類のファイルなら {expected} のはずです。"),
            D::WrongDimensions { file, rows, cols } => format!("{file} の画像は {rows}x{cols} ですが、Fashion-MNIST の画像は 28x28 です。"),
            D::Truncated { file, expected, got } => format!("{file} が途中で切れています。ヘッダでは {expected} バイトのはずが {got} バイトしかありません。"),
            D::CountMismatch { images, labels } => format!("画像が {images} 枚なのにラベルが {labels} 個あります。"),
            D::BadLabel { file, index, label } => format!("{file}: 位置 {index} のラベル {label} は 0〜9 のクラスではありません。"),
            D::Http { url, status } => {
                format!("{url} のダウンロードが HTTP ステータス {status} で失敗しました。データセットはサイトにコピーされていますか（scripts/setup.sh）？")
            }
            D::Network { url, reason } => format!("{url} のダウンロードに失敗しました: {reason}"),
            D::Offline { url } => format!(
                "この端末はオフラインで、{url} は保存されていません。この実行には、これまでの実行でダウンロードしていないデータが必要です（オフラインで実行できるプリセットはページ下部の「オフライン」を参照）。"
            ),
            D::Checksum { file, .. } => format!(
                "{file} が壊れた状態で届きました（SHA-256 チェックサムがデータのマニフェストと一致しません）。もう一度「訓練」を押すと再ダウンロードします。"
            ),
            D::ShardCount { file, expected, got } => format!("{file} には画像が {got} 枚ありますが、データのマニフェストでは {expected} 枚です。"),
            D::Manifest(reason) => format!("サイトのデータのマニフェストを使えません: {reason}。"),
            D::NotEnoughData { set, wanted, available } => {
                let set = if set == "test" { "テスト" } else { "訓練" };
                format!("この実行には{set}用の画像が {wanted} 枚必要ですが、サイトには {available} 枚しかありません。")
            }
        }
    }

    fn ignored_reason(&self, reason: crate::exercises::share::IgnoredReason) -> &'static str {
        use crate::exercises::share::IgnoredReason as R;
        match reason {
            R::UnknownKey => "不明な設定",
            R::Malformed => "無効な値",
            R::OutOfRange => "範囲外",
            R::Repeated => "重複",
            R::TooLong => "長すぎます",
        }
    }

    fn measured_step(&self, grown: u64, figure: u64, batch: usize, side: usize) -> String {
        let (grown_s, figure_s) = (crate::format::bytes(grown), crate::format::bytes(figure));
        let ratio = grown as f64 / figure.max(1) as f64;
        format!(
            "CPU ワーカーで測定: バッチ {batch}・{side} px の訓練 1 ステップで、ワーカーの WebAssembly メモリは {grown_s} 増えました。上の式で Burn が保持する量（{figure_s}）の {ratio:.2} 倍です。WebAssembly のメモリは増えるだけなので、これはワーカーがすでに確保していた分を超えたステップの最大使用量です。"
        )
    }

    fn variant_label(&self, key: &str) -> &'static str {
        match key {
            "book" => "本の NiN",
            "mlp1" => "ブロックごとに 1×1 畳み込み 1 個",
            "mlp3" => "ブロックごとに 1×1 畳み込み 3 個",
            "kernel3" => "1×1 の代わりに 3×3",
            "fc_last_block" => "10×5×5 に全結合ヘッド",
            "fc_no_last_block" => "最後のブロックを除き 384×5×5 に全結合ヘッド",
            "gradual" => "段階的に 384 → 128 → 32 → 10",
            "nin11" => "NiN-11",
            "nin16" => "NiN-16",
            "nin19" => "NiN-19",
            "vgg11" => "VGG-11",
            "vgg16" => "VGG-16",
            "vgg19" => "VGG-19",
            "code" => "編集したコードのモデル",
            _ => "バリエーション",
        }
    }

    fn runs_dropped(&self, d: &crate::training::board::Dropped) -> Option<String> {
        use crate::format::{bytes, grouped};
        let max = grouped(crate::training::board::MAX_POINTS as u64);
        if let Some(size) = d.too_large {
            let (size, cap) = (bytes(size as u64), bytes(crate::training::board::MAX_TEXT as u64));
            return Some(format!("保存されていた比較ボードは {size} あり、ページが読み込む上限 {cap} を超えていたため読み込まず、空のボードから始めます。"));
        }
        let mut parts = Vec::new();
        let n = |v: usize| grouped(v as u64);
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

    fn best_val_sentence(&self, name: &str, accuracy: f64) -> String {
        format!("検証精度が最も高い実行：{name}（{:.1} %）。", accuracy * 100.0)
    }

    fn best_test_sentence(&self, name: &str, accuracy: f64) -> String {
        format!("テスト精度が最も高い実行：{name}（{:.1} %）。", accuracy * 100.0)
    }

    fn fastest_sentence(&self, fastest: &str, images_per_s: f64, times: f64, slowest: &str) -> String {
        format!("最も速い実行：{fastest}（{images_per_s:.1} 画像/秒、最も遅い {slowest} の {times:.1} 倍）。")
    }

    fn compare_sentence(&self, label: &str, base: &str, params: u64, base_params: u64, flops_ratio: f64, memory_ratio: f64) -> String {
        use super::numbers::{params_clause, times};
        let lang = super::Lang::Ja;
        let (flops, memory) = (times(lang, flops_ratio), times(lang, memory_ratio));
        format!("{label}：{}。画像 1 枚あたりの FLOPs は {flops}、訓練時メモリは {memory}。", params_clause(lang, params, base, base_params))
    }

    fn sketch_error(&self, e: &SketchError) -> String {
        match e {
            SketchError::Empty { width, height } => format!("画像に画素がありません（{width} × {height}）。"),
            SketchError::WrongLength { width, height, expected, got } => {
                format!("画像を読み取れませんでした（{width} × {height} の RGBA 画像に {got} バイト、必要なのは {expected} バイト）。")
            }
            SketchError::Blank => "画像が空です。先に何か描くかアップロードしてください。".into(),
        }
    }
}
