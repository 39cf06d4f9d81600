//! The sentences the page writes from values, as one trait each language implements.

use super::{StorageIssue, Stored};
use crate::analysis::{AnalysisError, Dimension, LayerKind};
use crate::data::DataError;
use crate::data::sketch::SketchError;
use crate::engine::{CpuReason, GpuFault, SummaryError};
use crate::figure::FigureItem;
use crate::training::record::RecordFileError;
use crate::training::{SettingsError, TrainError};
use crate::worker::WorkerFailure;

/// Every sentence written from values, implemented once per language ([`en::English`],
/// [`ja::Japanese`]): a sentence missing in one language does not compile. The fixed strings
/// are the tables [`Ui`], [`train::TrainUi`], [`exercises::ExUi`], [`exercises::RunsUi`] and
/// [`try_it::TryUi`], whose values also live in the language files.
pub trait Messages: Sync {
    fn dimension(&self, d: Dimension) -> &'static str;

    /// A summary row's label, e.g. "NiN block 1: 11×11 conv, stride 4, pad 0 + 2 × 1×1 conv".
    fn layer_label(&self, kind: &LayerKind) -> String;

    /// An analysis error as a sentence for the student.
    fn analysis_error(&self, e: &AnalysisError) -> String;

    /// Why the CPU backend runs, as the end of a sentence.
    fn cpu_reason(&self, r: &CpuReason) -> String;

    /// A typed value that broke its field's rule, as a sentence that states the rule.
    fn field_error(&self, label: &str, rule: crate::fields::Rule, error: &crate::fields::FieldError) -> String;

    /// What the page could not keep in the browser's storage, as a sentence.
    fn storage_notice(&self, issue: StorageIssue, what: Stored) -> String;

    /// What went wrong with the GPU, as a clause.
    fn gpu_fault(&self, f: &GpuFault) -> String;

    /// A failed summary run as a sentence.
    /// The shape summary at `batch` needs about `needed` bytes of GPU memory and the GPU ran out
    /// (`ran_out_now`), or a request of `ran_out_at` bytes ran out before, so this one is not sent;
    /// the batch that fits under it. WebGPU stays on: only the request was too large.
    fn summary_out_of_memory(&self, batch: usize, needed: u64, ran_out_at: u64, ran_out_now: bool, largest_fits: usize) -> String;

    fn summary_error(&self, e: &SummaryError) -> String;

    /// The training worker could not open WebGPU although the page has it.
    fn worker_no_webgpu(&self, reason: &crate::engine::CpuReason) -> String;

    /// On WebGPU a run needs as much memory as one that ran out on this page.
    fn gpu_memory_error(&self, batch: usize, needed: u64, ran_out_at: u64, largest_fits: usize) -> String;

    /// The shipped model's run-board name.
    fn shipped_run_name(&self, secs: f64) -> String;

    /// How long and on what the shipped model was trained.
    fn shipped_trained(&self, images: usize, epochs: usize, size: usize, secs: f64, machine: &str) -> String;

    /// The shipped model's recipe, from its card's settings (`examples/train_model.rs`: Adam, the
    /// learning rate divided by 3 in the second-to-last epoch and by 10 in the last).
    fn shipped_recipe(&self, s: &crate::training::TrainSettings) -> String;

    /// How the shipped model's recipe differs from the book's.
    fn shipped_differs(&self, s: &crate::training::TrainSettings) -> String;

    /// Which file was loaded and the size it is scored at (the size it was trained at).
    fn loaded_weights(&self, name: &str, size: usize) -> String;

    /// Why a weights file cannot be used.
    fn weights_error(&self, name: &str, e: &crate::training::record::RecordFileError) -> String;

    /// The training worker's script could not be loaded.
    fn worker_unavailable(&self, what: &str) -> String;

    /// The training worker crashed (a panic in Burn or in this app, or its script failed).
    fn worker_crashed(&self, what: &str) -> String;

    /// A length of time as people say it ("2 min 10 s"), never as a clock.
    fn duration(&self, d: crate::format::Duration) -> String;

    /// The time a run has left ("4 min 26 s left").
    fn time_left(&self, secs: f64) -> String;

    /// The time estimate from the latest run's speed on this backend, measured at `batch` and `size`.
    fn time_estimate(&self, secs: f64, batch: usize, size: usize) -> String;

    /// How many images a run had trained on at a point of the run board ("12,345 images seen").
    fn images_seen(&self, images: u64) -> String;

    /// A confusion-matrix cell as a sentence: `count` test images of class `truth` predicted as
    /// `pred`, and their share of the `row_total` images of `truth`.
    fn confusion_cell(&self, truth: &str, pred: &str, count: u64, row_total: u64) -> String;

    /// Why a run cannot start, as a sentence.
    fn settings_error(&self, e: &SettingsError) -> String;

    /// A failed run as a sentence.
    fn train_error(&self, e: &TrainError) -> String;

    /// A data problem as a sentence.
    fn data_error(&self, e: &DataError) -> String;

    /// Why a part of a shared link was ignored.
    fn ignored_reason(&self, reason: crate::exercises::share::IgnoredReason) -> &'static str;

    /// The label of a variant key.
    /// The measured growth of the CPU worker's memory over one training step, beside the figure.
    fn measured_step(&self, grown: u64, figure: u64, batch: usize, side: usize) -> String;

    fn variant_label(&self, key: &str) -> &'static str;

    /// What reading the stored run board left out, as one sentence (`None`: nothing).
    fn runs_dropped(&self, d: &crate::training::board::Dropped) -> Option<String>;

    /// The run board's summary: the run with the best validation accuracy (a fraction).
    fn best_val_sentence(&self, name: &str, accuracy: f64) -> String;

    /// The run board's summary: the run with the best test accuracy (a fraction).
    fn best_test_sentence(&self, name: &str, accuracy: f64) -> String;

    /// The run board's summary: the fastest run, its images/s, how many times the slowest's.
    fn fastest_sentence(&self, fastest: &str, images_per_s: f64, times: f64, slowest: &str) -> String;

    /// One sentence from measured numbers: how a variant compares with `base` (its parameters
    /// and `base`'s; its FLOPs and training memory as multiples of `base`'s).
    fn compare_sentence(&self, label: &str, base: &str, params: u64, base_params: u64, flops_ratio: f64, memory_ratio: f64) -> String;

    fn sketch_error(&self, e: &SketchError) -> String;

    /// The text lines of one figure box.
    fn figure_lines(&self, item: &FigureItem) -> Vec<String>;

    /// A note in brackets after a word: " (note)" in English, "（note）" in Japanese.
    fn aside(&self, note: &str) -> String;

    /// The end of a sentence at the end of a paragraph.
    fn stop(&self) -> &'static str;

    /// The end of a sentence that another one follows.
    fn stop_gap(&self) -> &'static str;

    /// Between the items of a list in a sentence.
    fn list_sep(&self) -> &'static str;

    /// The sentence under the backend badge on the CPU: the backend and why it runs.
    fn cpu_because(&self, reason: &CpuReason) -> String;

    /// A feature map's channel count under its tile.
    fn channel_count(&self, n: u64) -> String;

    /// Why the training worker failed, as a sentence.
    fn worker_failure(&self, f: &WorkerFailure) -> String;

    /// Why exercise 4's measuring worker failed.
    fn measure_failed(&self, f: &WorkerFailure) -> String;

    /// Why the weights a training worker sent back cannot be loaded.
    fn received_weights_error(&self, e: &RecordFileError) -> String;

    /// A chosen file could not be read (`detail`: the browser's words).
    fn file_read_error(&self, name: &str, detail: &str) -> String;
}
