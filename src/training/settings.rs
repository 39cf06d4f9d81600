//! Training settings, the presets the cell offers, and the checks made before anything is
//! allocated: image size, batch against the device's buffer limit, images against the data.

use serde::{Deserialize, Serialize};

use crate::analysis::memory::{self, Convention};
use crate::analysis::{self, AnalysisError, InputShape};
use crate::model::NinConfig;

/// The optimizers the cell offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OptimizerKind {
    /// Plain SGD, as the book trains NiN.
    Sgd,
    /// SGD with momentum 0.9 (no dampening, as PyTorch).
    Momentum,
    /// Adam with PyTorch's defaults (betas 0.9/0.999, eps 1e-8).
    Adam,
}

impl OptimizerKind {
    pub const ALL: [OptimizerKind; 3] = [OptimizerKind::Sgd, OptimizerKind::Momentum, OptimizerKind::Adam];

    /// Stable identifier for forms, URLs and files.
    pub fn id(&self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Momentum => "momentum",
            OptimizerKind::Adam => "adam",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.id() == id)
    }

    /// f32 values of optimizer state kept per parameter (momentum buffer, Adam's two moments).
    pub fn state_per_param(&self) -> u64 {
        match self {
            OptimizerKind::Sgd => 0,
            OptimizerKind::Momentum => 1,
            OptimizerKind::Adam => 2,
        }
    }
}

/// Everything a training run needs besides the model config. Saved runs and downloads keep
/// it: a field missing from saved JSON (one added after it was saved) takes the book's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainSettings {
    pub optimizer: OptimizerKind,
    pub learning_rate: f64,
    pub batch_size: usize,
    /// Side of the square input the 28x28 images are resized to (>= the model's minimum, 67).
    pub image_size: usize,
    pub epochs: usize,
    /// Training images per epoch, taken from the 60,000 after the validation images.
    pub train_images: usize,
    /// Held-out validation images, taken from the training file (never trained on).
    pub val_images: usize,
    /// Test images scored after the run (from the 10,000 of the test file).
    pub test_images: usize,
    /// Validation points per epoch (the book: 1). Short runs use more so the curves have shape.
    pub evals_per_epoch: usize,
    /// Seeds the split, the shuffling, the weights and dropout.
    pub seed: u64,
}

impl Default for TrainSettings {
    fn default() -> Self {
        Preset::Book.settings()
    }
}

/// The presets of the training cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Preset {
    /// Exactly the chapter's settings.
    Book,
    /// Chosen by measurement to show clear learning in about two minutes on a laptop GPU.
    ShortGpu,
    /// A smaller run the CPU backend finishes in a few minutes.
    ShortCpu,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Preset::Book, Preset::ShortGpu, Preset::ShortCpu];

    pub fn id(&self) -> &'static str {
        match self {
            Preset::Book => "book",
            Preset::ShortGpu => "short",
            Preset::ShortCpu => "cpu",
        }
    }

    pub fn settings(&self) -> TrainSettings {
        match self {
            // d2l: lr 0.05, 10 epochs, batch 128, resize 224, all 60,000 images; the book
            // validates on the 10,000 test images, we hold out 5,000 training images instead
            // so the test set stays untouched until the end.
            Preset::Book => TrainSettings {
                optimizer: OptimizerKind::Sgd,
                learning_rate: 0.05,
                batch_size: 128,
                image_size: 224,
                epochs: 10,
                train_images: 55_000,
                val_images: 5_000,
                test_images: 10_000,
                evals_per_epoch: 1,
                seed: 1,
            },
            // See README "Choosing the short preset": at 96 px the book's SGD stays at chance
            // for thousands of images, Adam at lr 1e-3 leaves it within a few hundred steps.
            // Measured natively (CPU backend, seed 1): validation accuracy 0.10 -> 0.40 after the
            // first epoch, 0.59 after the second. Its time on a laptop GPU is not measured yet.
            Preset::ShortGpu => TrainSettings {
                optimizer: OptimizerKind::Adam,
                learning_rate: 0.001,
                batch_size: 64,
                image_size: 96,
                epochs: 2,
                train_images: 6_000,
                val_images: 1_000,
                test_images: 2_000,
                evals_per_epoch: 4,
                seed: 1,
            },
            // The run the native test `short_real_run_beats_chance_on_held_out_images` measures:
            // validation accuracy 0.05 -> 0.32 in one pass over 3,840 images at 96 px (67 px
            // runs of this length stayed at chance for several seeds).
            Preset::ShortCpu => TrainSettings {
                optimizer: OptimizerKind::Adam,
                learning_rate: 0.001,
                batch_size: 32,
                image_size: 96,
                epochs: 1,
                train_images: 3_840,
                val_images: 300,
                test_images: 1_000,
                evals_per_epoch: 4,
                seed: 1,
            },
        }
    }
}

impl TrainSettings {
    /// Optimizer steps in one epoch (the last partial batch is dropped, as d2l's loader keeps it;
    /// dropping keeps every step the same shape, which the WebGPU kernels like).
    pub fn steps_per_epoch(&self) -> usize {
        self.train_images / self.batch_size.max(1)
    }

    pub fn total_steps(&self) -> usize {
        self.steps_per_epoch() * self.epochs
    }

    /// Steps between two validation points. A preset's validation points per epoch are at most
    /// one per step (a small run validates after every step instead of being refused for a
    /// setting the form does not show).
    pub fn steps_per_eval(&self) -> usize {
        (self.steps_per_epoch() / self.evals_per_epoch.max(1)).max(1)
    }

    /// Validation points in the whole run: one every [`Self::steps_per_eval`] steps, and one
    /// more at the end when the last step is not on that grid (as `Trainer::eval_due` does).
    pub fn validations(&self) -> usize {
        let (total, every) = (self.total_steps(), self.steps_per_eval());
        total / every + usize::from(total % every != 0)
    }

    pub fn input(&self, channels: usize) -> InputShape {
        InputShape::new(self.batch_size, channels, self.image_size, self.image_size)
    }
}

/// Why a run cannot start.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum SettingsError {
    #[error("{0}")]
    Shape(#[from] AnalysisError),
    #[error("the batch size must be at least 1")]
    ZeroBatch,
    #[error("the number of epochs must be at least 1")]
    ZeroEpochs,
    #[error("validation points per epoch must be at least 1")]
    BadEvalCount,
    /// The curves need validation images (the run is judged on held-out images as it goes).
    #[error("at least 1 validation image is needed")]
    ZeroValidation,
    /// The run ends with a test report, which needs test images.
    #[error("at least 1 test image is needed")]
    ZeroTest,
    /// One of the model's own parameter tensors does not fit a buffer of this backend (batch
    /// size cannot help: e.g. the first fully connected layer of a VGG member on WebGPU).
    #[error("the model's largest weight tensor ({bytes} bytes) exceeds this device's {limit}-byte buffer limit")]
    WeightsTooLarge { bytes: u64, limit: u64 },
    #[error("the learning rate must be a positive number below 10, got {0}")]
    BadLearningRate(f64),
    #[error("{train} training images give no full batch of {batch}")]
    NoFullBatch { train: usize, batch: usize },
    #[error("{wanted} training plus validation images were asked for, the training file has {available}")]
    NotEnoughImages { wanted: usize, available: usize },
    #[error("{wanted} test images were asked for, the test file has {available}")]
    NotEnoughTestImages { wanted: usize, available: usize },
    #[error(
        "at batch {batch} the largest tensor ({bytes} bytes) exceeds this device's {limit}-byte buffer limit; the largest batch that fits is {largest_fits}"
    )]
    BatchTooLarge { batch: usize, bytes: u64, limit: u64, largest_fits: usize },
    #[error(
        "training at batch {batch} needs about {needed} bytes, more than the {budget} bytes this backend can use; the largest batch that fits is {largest_fits}"
    )]
    OutOfMemory { batch: usize, needed: u64, budget: u64, largest_fits: usize },
}

/// Memory a run needs, from the pure analysis (f32 everywhere), as Burn's autodiff keeps it
/// (`analysis::memory`, [`Convention::Burn`]: what exercise 4 calls "what our engine keeps").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryEstimate {
    /// Parameters, their gradients and the optimizer state.
    pub weights_bytes: u64,
    /// The input batch, what the forward pass keeps for the backward pass, and the backward
    /// pass's own working set.
    pub activations_bytes: u64,
    /// The largest single tensor of the batch.
    pub largest_tensor_bytes: u64,
}

impl MemoryEstimate {
    pub fn total(&self) -> u64 {
        self.weights_bytes.saturating_add(self.activations_bytes)
    }
}

/// The pure memory estimate for training `config` with `settings`.
pub fn memory_estimate(config: &NinConfig, settings: &TrainSettings) -> Result<MemoryEstimate, SettingsError> {
    let input = settings.input(config.input_channels);
    let m = memory::training(config, input, settings.optimizer.state_per_param(), Convention::Burn)?;
    let plan = analysis::plan(config, input)?;
    let (_, largest_row) = plan.largest_tensor();
    Ok(MemoryEstimate {
        weights_bytes: m.params.saturating_add(m.grads).saturating_add(m.optimizer_state),
        activations_bytes: m.input.saturating_add(m.kept).saturating_add(m.backward),
        // The backward pass's working set is two of the largest maps: half of it is one.
        largest_tensor_bytes: largest_row.max(m.input).max(m.backward / 2),
    })
}

/// Checks settings against the model, the data and the device before anything is allocated.
///
/// `buffer_limit` is the largest single buffer of the backend; `memory_budget` what the whole
/// run may use. A batch that does not fit is refused with the largest batch that does. The
/// first of [`validate_all`]'s refusals.
pub fn validate(
    config: &NinConfig,
    settings: &TrainSettings,
    train_available: usize,
    test_available: usize,
    buffer_limit: u64,
    memory_budget: u64,
) -> Result<MemoryEstimate, SettingsError> {
    validate_all(config, settings, train_available, test_available, buffer_limit, memory_budget).map_err(|mut all| all.swap_remove(0))
}

/// Every reason `settings` cannot run, not only the first, so that a form can show each one
/// next to the field it concerns ([`SettingsError::fields`]). `Err` holds at least one.
pub fn validate_all(
    config: &NinConfig,
    settings: &TrainSettings,
    train_available: usize,
    test_available: usize,
    buffer_limit: u64,
    memory_budget: u64,
) -> Result<MemoryEstimate, Vec<SettingsError>> {
    let mut errors = Vec::new();
    if settings.batch_size == 0 {
        errors.push(SettingsError::ZeroBatch);
    }
    if settings.epochs == 0 {
        errors.push(SettingsError::ZeroEpochs);
    }
    if !(settings.learning_rate.is_finite() && settings.learning_rate > 0.0 && settings.learning_rate < 10.0) {
        errors.push(SettingsError::BadLearningRate(settings.learning_rate));
    }
    let wanted = settings.train_images.saturating_add(settings.val_images);
    if wanted > train_available {
        errors.push(SettingsError::NotEnoughImages { wanted, available: train_available });
    }
    if settings.test_images > test_available {
        errors.push(SettingsError::NotEnoughTestImages { wanted: settings.test_images, available: test_available });
    }
    if settings.batch_size > 0 && settings.steps_per_epoch() == 0 {
        errors.push(SettingsError::NoFullBatch { train: settings.train_images, batch: settings.batch_size });
    }
    if settings.evals_per_epoch == 0 {
        errors.push(SettingsError::BadEvalCount);
    }
    if settings.val_images == 0 {
        errors.push(SettingsError::ZeroValidation);
    }
    if settings.test_images == 0 {
        errors.push(SettingsError::ZeroTest);
    }
    // Shapes, buffers and memory: one answer (it depends on the batch and the image size only).
    let fitted = if settings.batch_size == 0 { None } else { fits(config, settings, buffer_limit, memory_budget).map_err(|e| errors.push(e)).ok() };
    match fitted {
        Some(estimate) if errors.is_empty() => Ok(estimate),
        _ => Err(errors),
    }
}

/// The shape and memory part of [`validate`]: whether one training step of `config` with
/// `settings` fits the backend's buffers and memory, with the largest batch that does when not.
pub fn fits(config: &NinConfig, settings: &TrainSettings, buffer_limit: u64, memory_budget: u64) -> Result<MemoryEstimate, SettingsError> {
    if settings.batch_size == 0 {
        return Err(SettingsError::ZeroBatch);
    }
    // Shapes first (a too-small image is a shape error, whatever the batch).
    let one = TrainSettings { batch_size: 1, ..settings.clone() };
    let per_image = memory_estimate(config, &one)?;
    let estimate = memory_estimate(config, settings)?;
    // A parameter tensor lives in one buffer too, whatever the batch. Each summary row's
    // parameters bound its largest tensor (a row is one layer, or one NiN block).
    let plan = analysis::plan(config, one.input(config.input_channels))?;
    let largest_weights = plan.rows.iter().map(|r| r.params).max().unwrap_or(0).saturating_mul(4);
    if largest_weights > buffer_limit {
        return Err(SettingsError::WeightsTooLarge { bytes: largest_weights, limit: buffer_limit });
    }
    // The batch suggested on either refusal fits both the buffer and the memory budget (a
    // batch under the buffer limit could still be refused for memory next).
    let fits_buffer = buffer_limit / per_image.largest_tensor_bytes.max(1);
    let fits_memory = memory_budget.saturating_sub(per_image.weights_bytes) / per_image.activations_bytes.max(1);
    let largest_fits = usize::try_from(fits_buffer.min(fits_memory)).unwrap_or(usize::MAX);
    if estimate.largest_tensor_bytes > buffer_limit {
        return Err(SettingsError::BatchTooLarge { batch: settings.batch_size, bytes: estimate.largest_tensor_bytes, limit: buffer_limit, largest_fits });
    }
    if estimate.total() > memory_budget {
        return Err(SettingsError::OutOfMemory { batch: settings.batch_size, needed: estimate.total(), budget: memory_budget, largest_fits });
    }
    Ok(estimate)
}

/// The settings of exercise 4's measured training step (`config` at `batch` images of `side`
/// px, on the CPU backend), or why it cannot run: the training form's own buffer and memory
/// check, so that a batch too large for the worker's memory is refused with the largest batch
/// that fits before anything is posted (it crashed the worker).
pub fn measure_step(
    config: &NinConfig,
    side: usize,
    batch: usize,
    optimizer: OptimizerKind,
    buffer_limit: u64,
    memory_budget: u64,
) -> Result<TrainSettings, SettingsError> {
    let settings = TrainSettings { optimizer, batch_size: batch, image_size: side, ..Preset::ShortCpu.settings() };
    fits(config, &settings, buffer_limit, memory_budget)?;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1 << 30;

    #[test]
    fn validations_count_the_trainers_validation_points() {
        // The trainer validates when `eval_due`: on the grid of steps_per_eval, and at the end.
        for (train, batch, epochs, evals) in [(160, 16, 1, 4), (6_000, 64, 2, 4), (3_840, 32, 1, 4), (55_000, 128, 10, 1), (40, 16, 3, 2), (16, 16, 5, 1)] {
            let s = TrainSettings { train_images: train, batch_size: batch, epochs, evals_per_epoch: evals, ..Preset::ShortCpu.settings() };
            let (total, every) = (s.total_steps(), s.steps_per_eval());
            let simulated = (1..=total).filter(|step| step % every == 0 || *step == total).count();
            assert_eq!(s.validations(), simulated, "{train}/{batch} x {epochs}, {evals} per epoch");
        }
        // The two cases the README and the browser test name: 10 steps every 2 gives 5 points;
        // the short GPU preset's 186 steps every 23 give 9 (8 on the grid and one at the end).
        assert_eq!(TrainSettings { train_images: 160, batch_size: 16, ..Preset::ShortCpu.settings() }.validations(), 5);
        assert_eq!(Preset::ShortGpu.settings().validations(), 9);
    }

    #[test]
    fn presets_are_valid_on_a_default_webgpu_device() {
        let config = NinConfig::book();
        for preset in [Preset::ShortGpu, Preset::ShortCpu] {
            validate(&config, &preset.settings(), 60_000, 10_000, 128 << 20, 2 * GIB).unwrap_or_else(|e| panic!("{preset:?}: {e}"));
        }
        let book = Preset::Book.settings();
        assert_eq!((book.learning_rate, book.batch_size, book.image_size, book.epochs), (0.05, 128, 224, 10));
        assert_eq!(book.optimizer, OptimizerKind::Sgd);
    }

    #[test]
    fn book_batch_exceeds_the_default_binding_limit_and_the_fit_is_offered() {
        // 128 x 96 x 54 x 54 x 4 bytes = 143,327,232 > 128 MiB.
        let err = validate(&NinConfig::book(), &Preset::Book.settings(), 60_000, 10_000, 128 << 20, 64 * GIB).unwrap_err();
        match err {
            SettingsError::BatchTooLarge { bytes, largest_fits, .. } => {
                assert_eq!(bytes, 128 * 96 * 54 * 54 * 4);
                // 134,217,728 / 1,119,744 = 119.86
                assert_eq!(largest_fits, 119);
            }
            other => panic!("{other}"),
        }
        // With a 1 GiB binding limit (SwiftShader) the batch itself fits.
        assert!(validate(&NinConfig::book(), &Preset::Book.settings(), 60_000, 10_000, GIB, 64 * GIB).is_ok());
    }

    #[test]
    fn exercise_4_measures_only_a_step_that_fits() {
        let book = NinConfig::book();
        let cpu = crate::engine::backend::CPU_BUFFER_LIMIT_BYTES;
        let ok = measure_step(&book, 224, 8, OptimizerKind::Adam, cpu, 2 * GIB).unwrap();
        assert_eq!((ok.batch_size, ok.image_size, ok.optimizer), (8, 224, OptimizerKind::Adam));
        // The batch field allows a million images: refused with the largest batch that fits.
        match measure_step(&book, 224, 1_000_000, OptimizerKind::Adam, cpu, 2 * GIB) {
            Err(SettingsError::OutOfMemory { batch, largest_fits, .. } | SettingsError::BatchTooLarge { batch, largest_fits, .. }) => {
                assert_eq!(batch, 1_000_000);
                assert!((1..1_000).contains(&largest_fits), "{largest_fits}");
                let fitting = measure_step(&book, 224, largest_fits, OptimizerKind::Adam, cpu, 2 * GIB).unwrap();
                assert!(memory_estimate(&book, &fitting).unwrap().total() <= 2 * GIB);
            }
            other => panic!("a million images at 224 px must not be measured: {other:?}"),
        }
        assert!(matches!(measure_step(&book, 224, 0, OptimizerKind::Sgd, cpu, 2 * GIB), Err(SettingsError::ZeroBatch)));
    }

    #[test]
    fn memory_budget_is_enforced_with_a_fitting_batch() {
        let settings = Preset::Book.settings();
        let err = validate(&NinConfig::book(), &settings, 60_000, 10_000, GIB, GIB).unwrap_err();
        let SettingsError::OutOfMemory { largest_fits, .. } = err else { panic!("{err}") };
        let fitted = TrainSettings { batch_size: largest_fits, ..settings };
        assert!(validate(&NinConfig::book(), &fitted, 60_000, 10_000, GIB, GIB).is_ok());
    }

    #[test]
    fn bad_settings_are_typed_errors() {
        let config = NinConfig::book();
        let ok = Preset::ShortCpu.settings();
        let check = |s: TrainSettings| validate(&config, &s, 60_000, 10_000, GIB, 4 * GIB).unwrap_err();
        assert_eq!(check(TrainSettings { batch_size: 0, ..ok.clone() }), SettingsError::ZeroBatch);
        assert_eq!(check(TrainSettings { epochs: 0, ..ok.clone() }), SettingsError::ZeroEpochs);
        assert!(matches!(check(TrainSettings { learning_rate: f64::NAN, ..ok.clone() }), SettingsError::BadLearningRate(_)));
        assert!(matches!(check(TrainSettings { learning_rate: -1.0, ..ok.clone() }), SettingsError::BadLearningRate(_)));
        assert!(matches!(check(TrainSettings { image_size: 66, ..ok.clone() }), SettingsError::Shape(AnalysisError::InputTooSmall { .. })));
        assert!(matches!(check(TrainSettings { train_images: 59_800, ..ok.clone() }), SettingsError::NotEnoughImages { .. }));
        assert!(matches!(check(TrainSettings { train_images: 8, ..ok.clone() }), SettingsError::NoFullBatch { .. }));
        assert!(matches!(check(TrainSettings { test_images: 10_001, ..ok.clone() }), SettingsError::NotEnoughTestImages { .. }));
        assert_eq!(check(TrainSettings { evals_per_epoch: 0, ..ok.clone() }), SettingsError::BadEvalCount);
        // More validation points than steps: one after every step, not a refusal.
        let few = TrainSettings { train_images: 64, batch_size: 32, evals_per_epoch: 4, ..ok.clone() };
        assert!(validate(&config, &few, 60_000, 10_000, GIB, 4 * GIB).is_ok());
        assert_eq!((few.steps_per_eval(), few.validations()), (1, 2));
        // Absurd sizes are a shape/size error, not an overflow.
        assert!(matches!(check(TrainSettings { image_size: usize::MAX / 2, ..ok }), SettingsError::Shape(_)));
    }

    /// Regression (issue 20): 0 validation or 0 test images passed the checks, then the run
    /// failed at its first validation point or after training ("could not be scored").
    #[test]
    fn zero_validation_or_test_images_are_refused_before_the_run() {
        let config = NinConfig::book();
        let ok = Preset::ShortCpu.settings();
        let check = |s: TrainSettings| validate(&config, &s, 60_000, 10_000, GIB, 4 * GIB);
        assert_eq!(check(TrainSettings { val_images: 0, ..ok.clone() }), Err(SettingsError::ZeroValidation));
        assert_eq!(check(TrainSettings { test_images: 0, ..ok.clone() }), Err(SettingsError::ZeroTest));
        assert!(check(TrainSettings { val_images: 1, test_images: 1, ..ok }).is_ok());
    }

    /// Regression (issue 20): only activations were checked against the buffer limit, so a VGG
    /// member of exercise 6 (a 411 MB first fully connected weight) was accepted on WebGPU and
    /// failed inside wgpu.
    #[test]
    fn a_weight_tensor_over_the_buffer_limit_is_refused() {
        let vgg = crate::exercises::variants(crate::exercises::Exercise::Family).into_iter().find(|v| v.key == "vgg11").expect("exercise 6 has VGG-11").config;
        let s = TrainSettings { image_size: 224, batch_size: 1, ..Preset::ShortCpu.settings() };
        let err = validate(&vgg, &s, 60_000, 10_000, 128 << 20, u64::MAX).unwrap_err();
        assert!(matches!(err, SettingsError::WeightsTooLarge { bytes, limit } if bytes >= 411_058_176 && limit == 128 << 20), "{err}");
        // The book's NiN has no tensor near the limit.
        assert!(validate(&NinConfig::book(), &s, 60_000, 10_000, 128 << 20, u64::MAX).is_ok());
    }

    /// Regression (issue 20): sizes were multiplied as usize, which is 32 bits in the browser
    /// (side 4096 at batch 256 gave 0 input bytes there). Natively usize has 64 bits, so this
    /// checks the widened arithmetic's result rather than reproducing the wrap.
    #[test]
    fn sizes_past_four_gib_are_counted_in_64_bits() {
        let s = TrainSettings { batch_size: 256, image_size: 4096, ..Preset::ShortCpu.settings() };
        let input = crate::analysis::element_bytes(&[s.batch_size, 1, s.image_size, s.image_size]);
        assert_eq!(input, 256 * 4096 * 4096 * 4);
        assert!(input > u32::MAX as u64);
        let m = memory_estimate(&NinConfig::book(), &s).unwrap();
        assert!(m.largest_tensor_bytes >= input && m.activations_bytes > input);
    }

    #[test]
    fn memory_estimate_is_the_arithmetic_of_the_plan() {
        let s = TrainSettings { batch_size: 2, image_size: 224, optimizer: OptimizerKind::Adam, ..Preset::Book.settings() };
        let m = memory_estimate(&NinConfig::book(), &s).unwrap();
        assert_eq!(m.weights_bytes, 1_992_166 * 4 * 4);
        assert_eq!(m.largest_tensor_bytes, 2 * 96 * 54 * 54 * 4);
        // Per image, as Burn keeps it: the input; each block's convolution outputs and ReLU
        // outputs (two maps per convolution); each pool's 4-byte indices and the output the
        // next layer keeps; dropout's f32 mask and output; the logits' log-softmax. Then the
        // backward pass's two largest maps.
        let per_image: u64 = 4 * 224 * 224
            + 4 * 6 * 96 * 54 * 54
            + 8 * 96 * 26 * 26
            + 4 * 6 * 256 * 26 * 26
            + 8 * 256 * 12 * 12
            + 4 * 6 * 384 * 12 * 12
            + 8 * 384 * 5 * 5
            + 8 * 384 * 5 * 5
            + 4 * 6 * 10 * 5 * 5
            + 4 * 10;
        assert_eq!(m.activations_bytes, 2 * per_image + 2 * (2 * 96 * 54 * 54 * 4));
    }
}
