//! The training cell's strings (the table; its values are in `en.rs` and `ja.rs`) and its
//! error sentences (thin wrappers of [`super::Messages`]): a missing string does not compile.

use super::Lang;
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
    pub images_per_s: &'static str,
    /// The status while WebGPU compiles the first steps' kernels (then "… 12 s").
    pub preparing_gpu: &'static str,
    /// The check line when fields are refused (each message is under its field).
    pub fields_refused: &'static str,
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
    /// The readout under the charts (issue 29).
    pub train_acc: &'static str,
    /// The run board's x axis.
    pub images_axis: &'static str,
    /// The readout before the pointer or the keyboard picks a point.
    pub chart_hint: &'static str,
    pub confusion_hint: &'static str,
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

/// The training worker could not open WebGPU although the page has it.
pub fn worker_no_webgpu(lang: Lang, reason: &crate::engine::CpuReason) -> String {
    lang.msg().worker_no_webgpu(reason)
}

/// On WebGPU a run needs as much memory as one that ran out on this page.
pub fn gpu_memory_error(lang: Lang, batch: usize, needed: u64, ran_out_at: u64, largest_fits: usize) -> String {
    lang.msg().gpu_memory_error(batch, needed, ran_out_at, largest_fits)
}

/// The shipped model's run-board name.
pub fn shipped_run_name(lang: Lang, secs: f64) -> String {
    lang.msg().shipped_run_name(secs)
}

/// How long and on what the shipped model was trained.
pub fn shipped_trained(lang: Lang, images: usize, epochs: usize, size: usize, secs: f64, machine: &str) -> String {
    lang.msg().shipped_trained(images, epochs, size, secs, machine)
}

/// The shipped model's recipe, from its card's settings (`examples/train_model.rs`: Adam, the
/// learning rate divided by 3 in the second-to-last epoch and by 10 in the last).
pub fn shipped_recipe(lang: Lang, s: &crate::training::TrainSettings) -> String {
    lang.msg().shipped_recipe(s)
}

/// How the shipped model's recipe differs from the book's.
pub fn shipped_differs(lang: Lang, s: &crate::training::TrainSettings) -> String {
    lang.msg().shipped_differs(s)
}

/// Which file was loaded and the size it is scored at (the size it was trained at).
pub fn loaded_weights(lang: Lang, name: &str, size: usize) -> String {
    lang.msg().loaded_weights(name, size)
}

/// Why a weights file cannot be used.
pub fn weights_error(lang: Lang, name: &str, e: &crate::training::record::RecordFileError) -> String {
    lang.msg().weights_error(name, e)
}

/// Why the training worker failed, as a sentence.
pub fn worker_failure(lang: Lang, f: &crate::worker::WorkerFailure) -> String {
    lang.msg().worker_failure(f)
}

/// Why exercise 4's measuring worker failed.
pub fn measure_failed(lang: Lang, f: &crate::worker::WorkerFailure) -> String {
    lang.msg().measure_failed(f)
}

/// Why the weights a training worker sent back cannot be loaded.
pub fn received_weights_error(lang: Lang, e: &crate::training::record::RecordFileError) -> String {
    lang.msg().received_weights_error(e)
}

/// A chosen file could not be read (`detail`: the browser's words).
pub fn file_read_error(lang: Lang, name: &str, detail: &str) -> String {
    lang.msg().file_read_error(name, detail)
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
    lang.msg().worker_unavailable(what)
}

/// The training worker crashed (a panic in Burn or in this app, or its script failed).
pub fn worker_crashed(lang: Lang, what: &str) -> String {
    lang.msg().worker_crashed(what)
}

/// The time estimate from the latest run's speed on this backend, measured at `batch` and `size`.
pub fn time_estimate(lang: Lang, secs: f64, batch: usize, size: usize) -> String {
    lang.msg().time_estimate(secs, batch, size)
}

/// A length of time as people say it ("2 min 10 s", "2 分 10 秒").
pub fn duration(lang: Lang, secs: f64) -> String {
    lang.msg().duration(crate::format::duration(secs))
}

/// The time a run has left ("4 min 26 s left", "残り 4 分 26 秒").
pub fn time_left(lang: Lang, secs: f64) -> String {
    lang.msg().time_left(secs)
}

/// How many images a run had trained on at a point of the run board ("12,345 images seen").
pub fn images_seen(lang: Lang, images: f64) -> String {
    lang.msg().images_seen(images.max(0.0).round() as u64)
}

/// A confusion-matrix cell as a sentence: `count` test images of class `truth` predicted as
/// `pred`, and their share of the `row_total` images of `truth`.
pub fn confusion_cell(lang: Lang, truth: &str, pred: &str, count: u64, row_total: u64) -> String {
    lang.msg().confusion_cell(truth, pred, count, row_total)
}

/// Why a run cannot start, as a sentence.
pub fn settings_error(lang: Lang, e: &SettingsError) -> String {
    lang.msg().settings_error(e)
}

/// A failed run as a sentence.
pub fn train_error(lang: Lang, e: &TrainError) -> String {
    lang.msg().train_error(e)
}

/// A data problem as a sentence.
pub fn data_error(lang: Lang, e: &DataError) -> String {
    lang.msg().data_error(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::en::TRAIN as EN;
    use crate::i18n::ja::TRAIN as JA;

    #[test]
    fn tables_are_complete_and_errors_read_in_both_languages() {
        let (en, ja) = (format!("{EN:#?}"), format!("{JA:#?}"));
        assert_eq!(en.lines().count(), ja.lines().count());
        assert!(!en.contains(": \"\"") && !ja.contains(": \"\""));
        let e = SettingsError::BatchTooLarge { batch: 128, bytes: 143_327_232, limit: 134_217_728, largest_fits: 119 };
        assert!(settings_error(Lang::En, &e).contains("119") && settings_error(Lang::Ja, &e).contains("119"));
        assert!(settings_error(Lang::Ja, &e).contains("137 MiB") && settings_error(Lang::En, &e).contains("137 MiB"));
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

    /// Times are said in units, never as a clock that reads as a time of day (issue 29).
    #[test]
    fn durations_read_as_lengths_of_time_in_both_languages() {
        for (secs, en, ja) in [
            (45.0, "45 s", "45 秒"),
            (130.0, "2 min 10 s", "2 分 10 秒"),
            (120.0, "2 min", "2 分"),
            (3_900.0, "1 h 5 min", "1 時間 5 分"),
            (7_200.0, "2 h", "2 時間"),
        ] {
            assert_eq!(duration(Lang::En, secs), en);
            assert_eq!(duration(Lang::Ja, secs), ja);
        }
        assert_eq!(time_left(Lang::En, 266.0), "4 min 26 s left");
        assert_eq!(time_left(Lang::Ja, 266.0), "残り 4 分 26 秒");
        assert_eq!(format!("{}… {}", EN.preparing_gpu, duration(Lang::En, 12.0)), "Preparing GPU kernels… 12 s");
        assert_eq!(format!("{}… {}", JA.preparing_gpu, duration(Lang::Ja, 12.0)), "GPU カーネルを準備中… 12 秒");
        let estimate = time_estimate(Lang::En, 3_725.0, 64, 96);
        assert!(estimate.starts_with("≈\u{a0}1 h 2 min (") && estimate.contains("batch 64 at 96 px"), "{estimate}");
        assert!(time_estimate(Lang::Ja, 59.6, 64, 96).starts_with("≈\u{a0}1 分（"));
        // No clock anywhere: h:mm:ss or m:ss.
        let clock = |s: &str| s.as_bytes().windows(3).any(|w| w[0] == b':' && w[1].is_ascii_digit() && w[2].is_ascii_digit());
        for lang in [Lang::En, Lang::Ja] {
            for text in [time_estimate(lang, 4_134.0, 64, 96), time_left(lang, 4_134.0), lang.msg().shipped_run_name(4_134.0)] {
                assert!(!clock(&text), "{text}");
            }
        }
        assert_eq!(Lang::En.msg().shipped_run_name(4_134.0), "Trained NiN (ours, 1 h 9 min of training)");
    }

    /// Issue 29: the readouts' sentences, from the values they show.
    #[test]
    fn readouts_read_in_both_languages() {
        assert_eq!(images_seen(Lang::En, 274_880.0), "274,880 images seen");
        assert_eq!(images_seen(Lang::En, 1.0), "1 image seen");
        assert_eq!(images_seen(Lang::Ja, 12_345.4), "学習した画像 12,345 枚");
        let (shirt, top) = (Lang::En.classes()[6], Lang::En.classes()[0]);
        assert_eq!(confusion_cell(Lang::En, shirt, top, 123, 1_000), "True class Shirt predicted as T-shirt/top: 123 images (12.3 % of Shirt)");
        assert_eq!(confusion_cell(Lang::En, shirt, shirt, 1, 3), "True class Shirt predicted as Shirt: 1 image (33.3 % of Shirt)");
        assert!(confusion_cell(Lang::En, shirt, top, 0, 0).contains("no test image of class Shirt"));
        let ja = confusion_cell(Lang::Ja, Lang::Ja.classes()[6], Lang::Ja.classes()[0], 123, 1_000);
        assert!(ja.contains("123 枚") && ja.contains("12.3 %"), "{ja}");
        assert!(!ja.contains("predicted"));
    }

    /// No English sentence on the Japanese page (issue 26): the sentences that used to show an
    /// error's English `Display` in both languages. English keeps its exact old words.
    #[test]
    fn worker_and_weights_failures_read_in_japanese() {
        use crate::training::record::RecordFileError as R;
        use crate::worker::WorkerFailure as W;
        // Three ASCII words in a row are English prose (tests/browser/i18n.test.mjs is stricter).
        let english =
            |s: &str| s.split(|c: char| !c.is_ascii()).any(|run| run.split_whitespace().filter(|w| w.chars().all(|c| c.is_ascii_alphabetic())).count() >= 3);
        for f in [W::Weights("x".into()), W::Protocol("x".into()), W::Crashed("x".into()), W::Unavailable("x".into())] {
            let ja = worker_failure(Lang::Ja, &f);
            assert!(!english(&ja) && !english(&measure_failed(Lang::Ja, &f)), "{ja}");
            assert_eq!(measure_failed(Lang::En, &f), f.to_string());
        }
        assert_eq!(
            worker_failure(Lang::En, &W::Protocol("m".into())),
            "The training worker failed: the training worker received a message it does not understand: m"
        );
        for e in [R::NoHeader, R::Format("x".into()), R::Readback("x".into())] {
            assert!(!english(&received_weights_error(Lang::Ja, &e)), "{e}");
            assert_eq!(received_weights_error(Lang::En, &e), e.to_string());
        }
        assert_eq!(file_read_error(Lang::En, "a.ninw", "x"), "a.ninw: x");
        let e = crate::data::sketch::SketchError::WrongLength { width: 2, height: 3, expected: 24, got: 7 };
        assert!(!english(&crate::i18n::try_it::sketch_error(Lang::Ja, &e)));
    }
}
