//! Every English text of the page: the fixed strings (one table per cell) and the
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

/// The English sentences.
pub struct English;

impl Messages for English {
    fn figure_lines(&self, item: &FigureItem) -> Vec<String> {
        match item {
            FigureItem::Block { convs, nin } => {
                let title = if *nin { "NiN block" } else { "VGG block" };
                let mut lines = vec![title.to_string()];
                lines.extend(convs.iter().map(|(k, c)| format!("{k}×{k} conv, {c} ch, ReLU")));
                lines
            }
            FigureItem::MaxPool { kernel, stride } => vec![format!("max pool {kernel}×{kernel}, stride {stride}")],
            FigureItem::Dropout { prob } => vec![format!("dropout p={prob}")],
            FigureItem::GlobalAvgPool => vec!["global average pool → logits".into()],
            FigureItem::Flatten => vec!["flatten".into()],
            FigureItem::FullyConnected { width } => vec![format!("fully connected, {width}")],
        }
    }

    fn aside(&self, note: &str) -> String {
        format!(" ({note})")
    }

    fn stop(&self) -> &'static str {
        "."
    }

    fn stop_gap(&self) -> &'static str {
        ". "
    }

    fn list_sep(&self) -> &'static str {
        "; "
    }

    fn cpu_because(&self, reason: &CpuReason) -> String {
        format!("{}, {} {}.", UI.cpu_backend, UI.because, self.cpu_reason(reason))
    }

    fn channel_count(&self, n: u64) -> String {
        if n == 1 { "1 channel".to_string() } else { format!("{n} {}", UI.maps_channels) }
    }

    fn worker_failure(&self, f: &WorkerFailure) -> String {
        match f {
            WorkerFailure::Train(e) => self.train_error(e),
            WorkerFailure::NoWebGpu(reason) => self.worker_no_webgpu(reason),
            WorkerFailure::Crashed(what) => self.worker_crashed(what),
            WorkerFailure::Unavailable(what) => self.worker_unavailable(what),
            WorkerFailure::Weights(_) | WorkerFailure::Protocol(_) => format!("{} {f}", TRAIN.worker_failed),
        }
    }

    fn measure_failed(&self, f: &WorkerFailure) -> String {
        f.to_string()
    }

    fn received_weights_error(&self, e: &RecordFileError) -> String {
        e.to_string()
    }

    fn file_read_error(&self, name: &str, detail: &str) -> String {
        format!("{name}: {detail}")
    }

    fn dimension(&self, d: Dimension) -> &'static str {
        match d {
            Dimension::Batch => "batch size",
            Dimension::Channels => "channel count",
            Dimension::Height => "height",
            Dimension::Width => "width",
        }
    }

    fn layer_label(&self, kind: &LayerKind) -> String {
        match kind {
            LayerKind::NinBlock { index, kernel, stride, padding, mlp_kernel, convs } => {
                format!("NiN block {index}: {kernel}×{kernel} conv, stride {stride}, pad {padding} + {} × {mlp_kernel}×{mlp_kernel} conv", convs - 1)
            }
            LayerKind::MaxPool { kernel, stride } => format!("Max pool {kernel}×{kernel}, stride {stride}"),
            LayerKind::Dropout { prob } => format!("Dropout, p = {prob}"),
            LayerKind::GlobalAvgPool => "Global average pool".into(),
            LayerKind::Flatten => "Flatten".into(),
            LayerKind::Linear { in_features, out_features } => format!("Linear {in_features} → {out_features}"),
        }
    }

    fn analysis_error(&self, e: &AnalysisError) -> String {
        use AnalysisError as E;
        match e {
            E::ZeroDimension(d) => format!("The {} is 0; every input dimension must be at least 1.", self.dimension(*d)),
            E::ChannelMismatch { expected, got } => format!("The input has {got} channel(s) but the model expects {expected}."),
            E::InputTooSmall { height, width, layer, map_height, map_width, kernel, min_side, .. } => format!(
                "A {height}x{width} input is too small: layer {layer} would get a {map_height}x{map_width} map, smaller than its {kernel}x{kernel} window.{}",
                min_side.map(|s| format!(" This model needs at least {s}x{s} pixels.")).unwrap_or_default()
            ),
            E::TooLarge { layer, needed_mib, limit_mib } => {
                let (needed, limit) = (crate::format::mebibytes(*needed_mib), crate::format::mebibytes(*limit_mib));
                format!("Layer {layer} would need a {needed} buffer, more than the {limit} allowed here. Use a smaller batch or image.")
            }
            E::HeadTiedToInput { built_height, built_width, height, width } => {
                format!("The fully connected head was built for {built_height}x{built_width} inputs and cannot take {height}x{width}.")
            }
            E::InvalidConfig(reason) => format!("Invalid model config: {reason}."),
            E::Overflow => "These sizes are too large to compute with.".into(),
        }
    }

    fn cpu_reason(&self, r: &CpuReason) -> String {
        use CpuReason as R;
        match r {
            R::NoWebGpuApi => "this browser has no WebGPU API (navigator.gpu is missing)".into(),
            R::NoAdapter => "the browser offers WebGPU, but no GPU adapter is available (requestAdapter() returned null)".into(),
            R::AdapterRequestFailed(m) => format!("requesting a WebGPU adapter failed: {m}"),
            R::InitFailed(m) => format!("Burn could not start on WebGPU: {m}"),
            R::Chosen => "you chose the CPU backend".into(),
            R::MissingFeature(f) => format!("this browser's WebGPU has no {f}, which Burn needs in the browser"),
            R::LimitTooLow { name, have, need } => format!("this browser's WebGPU reports {name} = {have}, below the {need} this needs"),
            R::WorkerWebGpuFailed(m) => format!("WebGPU could not be started in the training worker ({}) and you switched to the CPU", self.cpu_reason(m)),
            R::SoftwareAdapter(name) => {
                let (cpu, gpu) = crate::engine::backend::SOFTWARE_ADAPTER_SPEED;
                format!(
                    "this browser's WebGPU runs in software on the processor ({name}); Burn's CPU backend trains about {:.0}× faster there (measured side by side: {cpu} against {gpu} images/s), so the page uses the CPU. You can still choose WebGPU",
                    cpu / gpu
                )
            }
            R::WorkerCrashed(m) => format!("a WebGPU worker stopped ({m}), so the page goes on on the CPU"),
            R::GpuEngineLoading => "the WebGPU engine is still downloading; the cells run on the CPU until it is ready".into(),
            R::PageGpuFailed(fault) => format!("WebGPU failed on this page ({}); reload the page to try it again", self.gpu_fault(fault)),
            R::GpuFailed(fault) => format!("the GPU failed during a run ({}) and you continued on the CPU", self.gpu_fault(fault)),
            R::Native => "this is a native build".into(),
        }
    }

    fn field_error(&self, label: &str, rule: crate::fields::Rule, error: &crate::fields::FieldError) -> String {
        use crate::fields::{FieldError as E, Rule as R};
        let n = |v: u64| crate::format::grouped(v);
        let rule_text = match rule {
            // Every range names its largest value, u64::MAX too (a seed above it is refused for
            // being too large, not "at least 0").
            R::Whole { min, max } => format!("a whole number from {} to {}", n(min), n(max)),
            R::Decimal { above, below } => format!("a number above {above} and below {below} (such as 0.001)"),
        };
        match error {
            E::Empty => format!("{label} is empty: enter {rule_text}."),
            E::Broken(text) => format!("{label} must be {rule_text}, not \"{text}\"."),
        }
    }

    fn storage_notice(&self, issue: StorageIssue, what: Stored) -> String {
        use {StorageIssue as I, Stored as S};
        let thing = match what {
            S::Language => "the language choice",
            S::ShapeCell => "the shape cell's last result",
            S::RunBoard => "the run board",
            S::Speeds => "the measured training speeds",
            S::Code => "the code you typed in the code cell",
            S::Backend => "your choice of WebGPU",
        };
        match issue {
            I::Unavailable => format!(
                "This browser does not let the page use its storage (a private window, or a setting): {thing} and everything else it would remember will be gone after a reload. The page works without it."
            ),
            I::Full => format!(
                "The browser's storage for this site is full, so {thing} could not be saved; it will be gone after a reload. Clearing the stored data (Offline, at the bottom) makes room."
            ),
            I::Unreadable => format!("A saved value ({thing}) could not be read (from an older version of this page, or damaged) and was set aside."),
        }
    }

    fn gpu_fault(&self, f: &GpuFault) -> String {
        use GpuFault as G;
        match f {
            G::Lost(m) => format!("the GPU device was lost: {m}"),
            G::OutOfMemory(m) => format!("the GPU ran out of memory: {m}"),
            G::Validation(m) => format!("the GPU refused a command: {m}"),
            G::Internal(m) => format!("the GPU reported an internal error: {m}"),
        }
    }

    fn summary_out_of_memory(&self, batch: usize, needed: u64, ran_out_at: u64, ran_out_now: bool, largest_fits: usize) -> String {
        let (needed, at) = (crate::format::bytes(needed), crate::format::bytes(ran_out_at));
        let n = crate::format::grouped(largest_fits as u64);
        match (ran_out_now, largest_fits) {
            (true, 0) => format!(
                "The GPU ran out of memory: batch {batch} needs about {needed}, too much for this GPU now, and even one image does not fit under it. WebGPU stays on; close other tabs or programs that use the GPU, or switch to the CPU."
            ),
            (true, _) => format!(
                "The GPU ran out of memory: batch {batch} needs about {needed}, too much for this GPU now. WebGPU stays on: try a smaller batch, at most {n}."
            ),
            (false, 0) => format!(
                "Batch {batch} needs about {needed}; a request of {at} ran out of GPU memory on this page, and even one image does not fit under it. Switch backends to try again."
            ),
            (false, _) => format!(
                "Batch {batch} needs about {needed}; a request of {at} ran out of GPU memory on this page, so this one is not sent. Use a batch of at most {n} (a request that goes through, or a switch of backend, lifts this limit)."
            ),
        }
    }

    fn summary_error(&self, e: &SummaryError) -> String {
        use SummaryError as S;
        match e {
            S::Invalid(inner) => self.analysis_error(inner),
            S::ShapeMismatch { row, planned, measured } => {
                format!("Row {row}: the analysis says {planned:?} but the real forward pass gave {measured:?}. This is a bug; please report it.")
            }
            S::ParamMismatch { planned, module } => format!("The analysis counts {planned} parameters but the module holds {module}."),
            S::RowCountMismatch { planned, measured } => format!("The forward pass produced {measured} rows of shapes, the analysis {planned}."),
            S::Readback(m) => format!("Reading the result back from the device failed: {m}"),
            S::Worker(m) => format!("The WebGPU worker stopped ({m}). The page now uses the CPU backend; press Run again."),
            S::Gpu(f) => format!("WebGPU failed on this page ({}). The page now uses the CPU backend; press Run again.", self.gpu_fault(f)),
        }
    }

    fn worker_no_webgpu(&self, reason: &crate::engine::CpuReason) -> String {
        let reason = self.cpu_reason(reason);
        format!("WebGPU could not be started in the training worker ({reason}). The CPU backend works in every browser: use the button below.")
    }

    fn gpu_memory_error(&self, batch: usize, needed: u64, ran_out_at: u64, largest_fits: usize) -> String {
        let (needed, ran_out_at) = (crate::format::bytes(needed), crate::format::bytes(ran_out_at));
        format!(
            "Training at batch {batch} needs about {needed}; a run that needed {ran_out_at} ran out of GPU memory on this page (browsers do not say how much a GPU has). The largest batch under that is {largest_fits}."
        )
    }

    fn shipped_run_name(&self, secs: f64) -> String {
        let t = self.duration(crate::format::duration(secs));
        format!("Trained NiN (ours, {t} of training)")
    }

    fn shipped_trained(&self, images: usize, epochs: usize, size: usize, secs: f64, machine: &str) -> String {
        let (images, t) = (crate::format::grouped(images as u64), self.duration(crate::format::duration(secs)));
        format!("{images} images ({epochs} epochs) at {size} px in {t} on {machine}")
    }

    fn shipped_recipe(&self, s: &crate::training::TrainSettings) -> String {
        let (lr, e) = (s.learning_rate, s.epochs);
        format!(
            "Adam, learning rate {lr} for epochs 1–{}, {:.2e} in epoch {}, {:.0e} in epoch {e}; batch {}; {} training images and {} held out for validation; seed {}",
            e.saturating_sub(2),
            lr / 3.0,
            e.saturating_sub(1),
            lr / 10.0,
            s.batch_size,
            crate::format::grouped(s.train_images as u64),
            crate::format::grouped(s.val_images as u64),
            s.seed
        )
    }

    fn shipped_differs(&self, s: &crate::training::TrainSettings) -> String {
        format!(
            "The book trains with SGD at learning rate 0.05, batch 128, on 224 px images for 10 epochs and validates on the test set. This model used Adam with a decaying learning rate, batch {}, {} px images and {} epochs (a 2-core CPU manages about 50 images/s at 96 px against about 8 at 224 px), kept its own validation images apart, and saw the test set once, at the end.",
            s.batch_size, s.image_size, s.epochs
        )
    }

    fn loaded_weights(&self, name: &str, size: usize) -> String {
        format!("Loaded {name}: trained at {size} px, so scored at {size} px.")
    }

    fn weights_error(&self, name: &str, e: &crate::training::record::RecordFileError) -> String {
        use crate::training::record::RecordFileError as R;
        match e {
            R::Model(inner) => format!("{name} describes a model that cannot run at its own image size: {}", self.analysis_error(inner)),
            R::NoHeader => format!(
                "{name} was saved by an older version of this page and does not say which model and image size it is for. Train again and download the new weights file."
            ),
            R::Format(m) => format!("{name} is not a weights file of this page ({m})."),
            R::Readback(m) => format!("Reading the weights failed: {m}"),
        }
    }

    fn worker_unavailable(&self, what: &str) -> String {
        format!("The training worker could not start ({what}). Check the connection and press Train again; the page goes on.")
    }

    fn worker_crashed(&self, what: &str) -> String {
        format!(
            "The training worker stopped because of an internal error ({what}). The curves so far are kept, and the page goes on: the next run starts a new worker."
        )
    }

    fn duration(&self, d: crate::format::Duration) -> String {
        use crate::format::Duration as D;
        match d {
            D::Seconds(s) => format!("{s} s"),
            D::Minutes { min, s: 0 } => format!("{min} min"),
            D::Minutes { min, s } => format!("{min} min {s} s"),
            D::Hours { h, min: 0 } => format!("{h} h"),
            D::Hours { h, min } => format!("{h} h {min} min"),
        }
    }

    fn time_left(&self, secs: f64) -> String {
        format!("{} left", self.duration(crate::format::duration(secs)))
    }

    fn time_estimate(&self, secs: f64, batch: usize, size: usize) -> String {
        let time = self.duration(crate::format::duration(secs));
        format!("≈\u{a0}{time} (at the speed of your latest run on this backend, which used batch {batch} at {size} px)")
    }

    fn images_seen(&self, images: u64) -> String {
        format!("{} {} seen", crate::format::grouped(images), if images == 1 { "image" } else { "images" })
    }

    fn confusion_cell(&self, truth: &str, pred: &str, count: u64, row_total: u64) -> String {
        let images = format!("{} {}", crate::format::grouped(count), if count == 1 { "image" } else { "images" });
        if row_total == 0 {
            return format!("True class {truth} predicted as {pred}: {images} (no test image of class {truth})");
        }
        let share = count as f64 / row_total as f64 * 100.0;
        format!("True class {truth} predicted as {pred}: {images} ({share:.1} % of {truth})")
    }

    fn settings_error(&self, e: &SettingsError) -> String {
        use SettingsError as S;
        match e {
            S::Shape(inner) => self.analysis_error(inner),
            S::ZeroBatch => "The batch size must be at least 1.".into(),
            S::ZeroEpochs => "The number of epochs must be at least 1.".into(),
            S::BadEvalCount => "The run needs at least one validation point per epoch.".into(),
            S::ZeroValidation => "Validation images must be at least 1: the curves are measured on them while the run goes.".into(),
            S::ZeroTest => "Test images must be at least 1: the run ends with a report on them.".into(),
            S::WeightsTooLarge { bytes, limit } => format!(
                "This model's largest weight tensor is {}, more than this device's {} limit for one buffer; no batch size changes that. Train it on the CPU backend.",
                crate::format::bytes(*bytes),
                crate::format::bytes(*limit)
            ),
            S::BadLearningRate(lr) => format!("The learning rate must be a positive number below 10 (got {lr})."),
            S::NoFullBatch { train, batch } => format!("{train} training images do not fill one batch of {batch}."),
            S::NotEnoughImages { wanted, available } => {
                format!("{wanted} training and validation images were asked for; the training file has {available}.")
            }
            S::NotEnoughTestImages { wanted, available } => format!("{wanted} test images were asked for; the test file has {available}."),
            S::BatchTooLarge { batch, bytes, limit, largest_fits } => format!(
                "At batch {batch} the largest tensor is {}, more than this device's {} limit for one buffer. The largest batch that fits is {largest_fits}.",
                crate::format::bytes(*bytes),
                crate::format::bytes(*limit)
            ),
            S::OutOfMemory { batch, needed, budget, largest_fits } => format!(
                "Training at batch {batch} needs about {}, more than the {} this backend may use. The largest batch that fits is {largest_fits}.",
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
            T::Readback(m) => format!("Reading results back from the device failed: {m}"),
            T::Diverged { step } => format!("At step {step} the loss stopped being a finite number: the run diverged. Try a smaller learning rate."),
            T::Replica(m) => format!(
                "One of the helper training workers failed, so the run stopped: {m}. The curves so far are kept; with 1 worker the run does not need helpers."
            ),
            T::BadLogits => "The model's output could not be scored (wrong size or non-finite values).".into(),
            T::Gpu(f) => format!(
                "The run stopped because {}. This happens when the graphics driver resets, the browser reclaims the GPU (for example in a background tab), or the GPU runs out of memory. The curves so far are kept.",
                self.gpu_fault(f)
            ),
        }
    }

    fn data_error(&self, e: &DataError) -> String {
        use DataError as D;
        match e {
            D::NotGzip { file } => format!("{file} is not a gzip file."),
            D::Gzip { file, reason } => format!("The gzip data of {file} is damaged ({reason})."),
            D::WrongMagic { file, expected, got } => format!("{file} starts with magic number {got}; a file of this kind starts with {expected}."),
            D::WrongDimensions { file, rows, cols } => format!("{file} holds {rows}x{cols} images; Fashion-MNIST images are 28x28."),
            D::Truncated { file, expected, got } => format!("{file} is cut short: {got} bytes of data where its header promises {expected}."),
            D::CountMismatch { images, labels } => format!("The files hold {images} images but {labels} labels."),
            D::BadLabel { file, index, label } => format!("{file}: label {label} at position {index} is not one of the classes 0-9."),
            D::Http { url, status } => format!("Downloading {url} failed with HTTP status {status}. Is the dataset copied into the site (scripts/setup.sh)?"),
            D::Network { url, reason } => format!("Downloading {url} failed: {reason}"),
            D::Offline { url } => format!(
                "This device is offline, and {url} is not stored on it: this run needs data that no earlier run downloaded (see \"Offline\" at the bottom of the page for the presets that run offline)."
            ),
            D::Checksum { file, .. } => {
                format!("{file} arrived damaged: its SHA-256 checksum differs from the data manifest's. Press Train again to download it anew.")
            }
            D::ShardCount { file, expected, got } => format!("{file} holds {got} images; the data manifest says {expected}."),
            D::Manifest(reason) => format!("The site's data manifest cannot be used: {reason}."),
            D::NotEnoughData { set, wanted, available } => format!("The run needs {wanted} images of the {set} set; the site serves {available}."),
        }
    }

    fn ignored_reason(&self, reason: crate::exercises::share::IgnoredReason) -> &'static str {
        use crate::exercises::share::IgnoredReason as R;
        match reason {
            R::UnknownKey => "unknown setting",
            R::Malformed => "not a valid value",
            R::OutOfRange => "out of range",
            R::Repeated => "given twice",
            R::TooLong => "too long",
        }
    }

    fn measured_step(&self, grown: u64, figure: u64, batch: usize, side: usize) -> String {
        let (grown_s, figure_s) = (crate::format::bytes(grown), crate::format::bytes(figure));
        let ratio = grown as f64 / figure.max(1) as f64;
        format!(
            "Measured in a CPU worker: one training step at batch {batch}, {side} px grew the worker's WebAssembly memory by {grown_s}, {ratio:.2}× what Burn keeps by the formula above ({figure_s}). WebAssembly memory only grows: this is the step's high-water mark beyond what the worker had already reserved."
        )
    }

    fn variant_label(&self, key: &str) -> &'static str {
        match key {
            "book" => "Book's NiN",
            "mlp1" => "One 1×1 conv per block",
            "mlp3" => "Three 1×1 convs per block",
            "kernel3" => "3×3 instead of 1×1",
            "fc_last_block" => "FC head on 10×5×5",
            "fc_no_last_block" => "Last block removed, FC head on 384×5×5",
            "gradual" => "Gradual 384 → 128 → 32 → 10",
            "nin11" => "NiN-11",
            "nin16" => "NiN-16",
            "nin19" => "NiN-19",
            "vgg11" => "VGG-11",
            "vgg16" => "VGG-16",
            "vgg19" => "VGG-19",
            "code" => "Your edited code",
            _ => "Variant",
        }
    }

    fn runs_dropped(&self, d: &crate::training::board::Dropped) -> Option<String> {
        use crate::format::{bytes, grouped};
        let max = grouped(crate::training::board::MAX_POINTS as u64);
        if let Some(size) = d.too_large {
            let (size, cap) = (bytes(size as u64), bytes(crate::training::board::MAX_TEXT as u64));
            return Some(format!("The saved run board was {size}, more than the {cap} the page reads, so it was not read and the board starts empty."));
        }
        let mut parts = Vec::new();
        let n = |v: usize| grouped(v as u64);
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

    fn best_val_sentence(&self, name: &str, accuracy: f64) -> String {
        format!("Highest validation accuracy: {name} ({:.1} %).", accuracy * 100.0)
    }

    fn best_test_sentence(&self, name: &str, accuracy: f64) -> String {
        format!("Highest test accuracy: {name} ({:.1} %).", accuracy * 100.0)
    }

    fn fastest_sentence(&self, fastest: &str, images_per_s: f64, times: f64, slowest: &str) -> String {
        format!("Fastest: {fastest} at {images_per_s:.1} images/s, {times:.1}× the slowest ({slowest}).")
    }

    fn compare_sentence(&self, label: &str, base: &str, params: u64, base_params: u64, flops_ratio: f64, memory_ratio: f64) -> String {
        use super::numbers::{params_clause, times};
        let lang = super::Lang::En;
        let (flops, memory) = (times(lang, flops_ratio), times(lang, memory_ratio));
        format!("{label}: {}; FLOPs per image {flops}, training memory {memory}.", params_clause(lang, params, base, base_params))
    }

    fn sketch_error(&self, e: &SketchError) -> String {
        match e {
            SketchError::Empty { width, height } => format!("The picture has no pixels ({width} × {height})."),
            SketchError::WrongLength { .. } => format!("The picture could not be read ({e})."),
            SketchError::Blank => "The picture is blank: draw or upload something first.".into(),
        }
    }
}
