//! Every piece of UI text in English and Japanese, one language per file: `en.rs` holds every
//! English text and `ja.rs` every Japanese one, as the values of the typed tables declared here
//! and in the per-cell modules ([`Ui`], [`train::TrainUi`], ...) and as the two
//! implementations of [`Messages`], the sentences written from values. A missing string is a
//! compile error (struct literals must name every field, an impl must have every method). The
//! free functions here and in the per-cell modules take a [`Lang`] and ask [`Lang::msg`].

use serde::{Deserialize, Serialize};

pub mod code;
pub mod en;
pub mod exercises;
pub mod explore;
pub mod ja;
mod messages;
pub mod numbers;
pub mod predict;
pub mod train;
pub mod try_it;

pub use messages::Messages;

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

use crate::analysis::{AnalysisError, LayerKind};
use crate::content::chapter::{self, ChapterText};
use crate::engine::{CpuReason, GpuFault, SummaryError};
use crate::figure::FigureItem;

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

    /// The sentences written from values, in this language.
    pub fn msg(self) -> &'static dyn Messages {
        match self {
            Lang::En => &en::English,
            Lang::Ja => &ja::Japanese,
        }
    }

    pub fn ui(self) -> &'static Ui {
        match self {
            Lang::En => &en::UI,
            Lang::Ja => &ja::UI,
        }
    }

    pub fn train(self) -> &'static train::TrainUi {
        match self {
            Lang::En => &en::TRAIN,
            Lang::Ja => &ja::TRAIN,
        }
    }

    pub fn ex(self) -> &'static exercises::ExUi {
        match self {
            Lang::En => &en::EX,
            Lang::Ja => &ja::EX,
        }
    }

    pub fn runs(self) -> &'static exercises::RunsUi {
        match self {
            Lang::En => &en::RUNS,
            Lang::Ja => &ja::RUNS,
        }
    }

    pub fn try_it(self) -> &'static try_it::TryUi {
        match self {
            Lang::En => &en::TRY,
            Lang::Ja => &ja::TRY,
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
    /// Shown before the wasm has started: in the static page's status line and in each cell's place.
    pub engine_loading: &'static str,
    /// The backend line: where the cells compute, and the disclosure with why and the details.
    pub backend_on_gpu: &'static str,
    pub backend_on_cpu: &'static str,
    pub backend_details: &'static str,
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
    /// The service worker could not keep a download (the site's storage is full).
    pub offline_storage_full: &'static str,
    pub offline_title: &'static str,
    pub offline_on: &'static str,
    pub offline_first: &'static str,
    pub offline_stored: &'static str,
    pub offline_ready: &'static str,
    pub offline_needs: &'static str,
    pub offline_clear: &'static str,
}

pub use en::UI as EN;
pub use ja::UI as JA;

/// A summary row's label, e.g. "NiN block 1: 11×11 conv, stride 4, pad 0 + 2 × 1×1 conv".
pub fn layer_label(lang: Lang, kind: &LayerKind) -> String {
    lang.msg().layer_label(kind)
}

/// The text lines of one figure box.
pub fn figure_lines(lang: Lang, item: &FigureItem) -> Vec<String> {
    lang.msg().figure_lines(item)
}

/// An analysis error as a sentence for the student.
pub fn analysis_error(lang: Lang, e: &AnalysisError) -> String {
    lang.msg().analysis_error(e)
}

/// Why the CPU backend runs, as the end of a sentence.
pub fn cpu_reason(lang: Lang, r: &CpuReason) -> String {
    lang.msg().cpu_reason(r)
}

/// A typed value that broke its field's rule, as a sentence that states the rule.
pub fn field_error(lang: Lang, label: &str, rule: crate::fields::Rule, error: &crate::fields::FieldError) -> String {
    lang.msg().field_error(label, rule, error)
}

/// What the page keeps in localStorage (named in a storage notice).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    Language,
    ShapeCell,
    RunBoard,
    Speeds,
    Code,
    /// The student's choice of WebGPU on a software adapter.
    Backend,
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
    lang.msg().storage_notice(issue, what)
}

/// What went wrong with the GPU, as a clause.
pub fn gpu_fault(lang: Lang, f: &GpuFault) -> String {
    lang.msg().gpu_fault(f)
}

/// A failed summary run as a sentence.
/// The shape summary at `batch` needs about `needed` bytes of GPU memory and the GPU ran out
/// (`ran_out_now`), or a request of `ran_out_at` bytes ran out before, so this one is not sent;
/// the batch that fits under it. WebGPU stays on: only the request was too large.
pub fn summary_out_of_memory(lang: Lang, batch: usize, needed: u64, ran_out_at: u64, ran_out_now: bool, largest_fits: usize) -> String {
    lang.msg().summary_out_of_memory(batch, needed, ran_out_at, ran_out_now, largest_fits)
}

pub fn summary_error(lang: Lang, e: &SummaryError) -> String {
    lang.msg().summary_error(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Dimension;

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
                assert!(text.contains("1000") && text.contains("640") && text.contains("3.00 GiB"), "{text}");
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
        let software = CpuReason::SoftwareAdapter("google / swiftshader".into());
        assert!(cpu_reason(Lang::En, &software).contains("19× faster") && cpu_reason(Lang::En, &software).contains("30.6 against 1.6"));
        assert!(cpu_reason(Lang::Ja, &software).contains("19 倍") && cpu_reason(Lang::Ja, &software).contains("swiftshader"));
        // No feature is required today (engine::backend::REQUIRED_FEATURES); a made-up name.
        let missing = CpuReason::MissingFeature("some-feature".into());
        assert_eq!(cpu_reason(Lang::En, &missing), "this browser's WebGPU has no some-feature, which Burn needs in the browser");
        assert!(cpu_reason(Lang::Ja, &missing).contains("some-feature") && cpu_reason(Lang::Ja, &missing).contains("ありません"));
        for fault in [GpuFault::Lost("destroyed".into()), GpuFault::OutOfMemory("x".into()), GpuFault::Validation("x".into()), GpuFault::Internal("x".into())] {
            let (en, ja) = (gpu_fault(Lang::En, &fault), gpu_fault(Lang::Ja, &fault));
            assert!(en.starts_with("the GPU") && ja.contains("GPU") && en != ja, "{en} / {ja}");
            let reason = CpuReason::GpuFailed(fault);
            assert!(cpu_reason(Lang::En, &reason).contains("continued on the CPU"));
        }
    }
}
