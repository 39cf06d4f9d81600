//! Training NiN on Fashion-MNIST: the seeded split, batches resized on the device, the
//! optimizer step, metrics read back in chunks. Backend-generic (a Burn [`Device`]) and async
//! so the same code runs natively in tests and on WebGPU in the browser, where the UI awaits one
//! chunk, yields a macrotask, and awaits the next.

pub mod batch;
pub mod board;
pub mod card;
pub mod estimate;
pub mod form;
pub mod history;
pub mod in_process;
pub mod metrics;
pub mod parallel;
pub mod record;
pub mod scoring;
pub mod session;
pub mod settings;

use burn::module::{ModuleVisitor, Param};
use burn::nn::loss::{CrossEntropyLoss, CrossEntropyLossConfig};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig, momentum::MomentumConfig};
use burn::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

use crate::analysis::AnalysisError;
use crate::data::FashionMnist;
use crate::model::{Nin, NinConfig};
pub use batch::{Split, batch, split, split_pool};
pub use history::{History, TrainPoint, ValPoint};
pub use metrics::EvalMetrics;
pub use settings::{MemoryEstimate, OptimizerKind, Preset, SettingsError, TrainSettings};

/// Why training failed after it started.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum TrainError {
    #[error("{0}")]
    Settings(#[from] SettingsError),
    #[error("{0}")]
    Model(#[from] AnalysisError),
    #[error("reading results back from the device failed: {0}")]
    Readback(String),
    #[error("the loss is no longer a finite number (step {step}): the run diverged; try a smaller learning rate")]
    Diverged { step: usize },
    #[error("the model's output could not be scored (wrong size or non-finite values)")]
    BadLogits,
    /// A data-parallel replica (another training worker) failed or sent what does not fit.
    #[error("a helper training worker failed: {0}")]
    Replica(String),
    /// The GPU failed (lost, out of memory, an error it reported); see [`crate::engine::gpu_fault`].
    #[error("{0}")]
    Gpu(#[from] crate::engine::GpuFault),
}

/// What one chunk of steps did.
#[derive(Debug, Clone, PartialEq)]
pub struct ChunkReport {
    pub steps: usize,
    pub images: usize,
    pub point: TrainPoint,
}

/// A training run in progress. The caller drives it chunk by chunk.
pub struct Trainer {
    pub settings: TrainSettings,
    pub config: NinConfig,
    device: Device,
    model: Option<Nin>,
    optim: ModuleOptimizer,
    loss: CrossEntropyLoss,
    split: Split,
    order: Vec<usize>,
    step: usize,
    rng: StdRng,
    pub history: History,
    /// The other replicas of a data-parallel run (none: this trainer computes whole batches).
    helpers: Option<std::rc::Rc<dyn parallel::Helpers>>,
}

/// What a trainer and every data-parallel replica build the same way from the same settings:
/// the model (seeded, so every replica starts from the same weights), its optimizer, the loss.
pub(crate) struct Parts {
    /// `device` with autodiff.
    pub device: Device,
    pub model: Nin,
    pub optim: ModuleOptimizer,
    pub loss: CrossEntropyLoss,
}

impl Parts {
    pub fn build(config: &NinConfig, settings: &TrainSettings, device: &Device) -> Result<Self, TrainError> {
        let device = device.clone().autodiff();
        device.seed(settings.seed);
        let model = config.init(&device)?;
        // Burn draws a parameter when it is first used: in the first forward pass, between
        // the dropout masks. Drawn here, in one fixed order, a seed gives the same starting
        // weights to every replica of a run and to a run on one worker.
        materialize(&model);
        let optim = match settings.optimizer {
            OptimizerKind::Sgd => SgdConfig::new().init(),
            OptimizerKind::Momentum => SgdConfig::new().with_momentum(Some(MomentumConfig::new().with_momentum(0.9).with_dampening(0.0))).init(),
            OptimizerKind::Adam => AdamConfig::new().with_epsilon(1e-8).init(),
        };
        let loss = CrossEntropyLossConfig::new().init(&device);
        Ok(Parts { device, model, optim, loss })
    }
}

/// Draws every parameter's initial values now. Burn initialises parameters lazily, at their
/// first use: in the first forward pass, after the first dropout mask for the last block, so a
/// single trainer and the replicas of a data-parallel run (which re-seed their streams after
/// building) would start from other weights. [`Parts::build`] calls this right after building,
/// from the run's seed: the same weights everywhere, whatever the number of workers.
fn materialize(model: &Nin) {
    struct Touch;
    impl ModuleVisitor for Touch {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            let _ = param.val();
        }
    }
    model.visit(&mut Touch);
}

impl Trainer {
    /// Builds the model on `device` (with autodiff) and the optimizer. The settings must have
    /// passed [`settings::validate`]; they are checked again here against the data.
    pub fn new(config: &NinConfig, settings: &TrainSettings, train: &FashionMnist, device: &Device) -> Result<Self, TrainError> {
        if settings.train_images + settings.val_images > train.len() {
            return Err(SettingsError::NotEnoughImages { wanted: settings.train_images + settings.val_images, available: train.len() }.into());
        }
        let Parts { device, model, optim, loss } = Parts::build(config, settings, device)?;
        let split = split(train.len(), settings);
        let mut rng = StdRng::seed_from_u64(settings.seed.wrapping_add(1));
        let mut order = split.train.clone();
        order.shuffle(&mut rng);
        Ok(Self {
            settings: settings.clone(),
            config: config.clone(),
            model: Some(model),
            optim,
            loss,
            split,
            order,
            step: 0,
            rng,
            history: History::default(),
            device,
            helpers: None,
        })
    }

    /// Trains data-parallel from now on: every step, `helpers` compute the gradients of their
    /// slices of the batch while this trainer computes the first slice (see [`parallel`]).
    /// Call it before the first step (the weights were drawn in [`Parts::build`], as every
    /// helper draws them).
    pub fn with_helpers(mut self, helpers: std::rc::Rc<dyn parallel::Helpers>) -> Self {
        self.helpers = (helpers.count() > 0).then_some(helpers);
        self
    }

    /// Starts from the weights in `record` (a Burn record of this trainer's config) instead of
    /// the drawn ones: fine-tuning (examples/train_model's `init=`). Call it before the first step.
    pub fn start_from(&mut self, record: Vec<u8>) -> Result<(), record::RecordFileError> {
        let model = self.model.take().expect("the model is present between steps");
        self.model = Some(record::load_into(model, record)?);
        Ok(())
    }

    /// Each parameter's number of values, in visiting order.
    pub fn param_sizes(&self) -> Vec<usize> {
        parallel::param_sizes(self.model.as_ref().expect("the model is present between steps"))
    }

    /// The helpers of a data-parallel run (none otherwise).
    pub fn helpers(&self) -> Option<std::rc::Rc<dyn parallel::Helpers>> {
        self.helpers.clone()
    }

    /// Replicas training together, this one included.
    pub fn replicas(&self) -> usize {
        1 + self.helpers.as_ref().map_or(0, |h| h.count())
    }

    pub fn step(&self) -> usize {
        self.step
    }

    pub fn total_steps(&self) -> usize {
        self.settings.total_steps()
    }

    pub fn finished(&self) -> bool {
        self.step >= self.total_steps()
    }

    /// Fractional epochs done.
    pub fn epoch(&self) -> f64 {
        self.step as f64 / self.settings.steps_per_epoch() as f64
    }

    /// Whether a validation point is due after the last step.
    pub fn eval_due(&self) -> bool {
        self.step > 0
            && (self.step.is_multiple_of(self.settings.steps_per_eval()) || self.finished())
            && self.history.val.last().is_none_or(|v| v.step != self.step)
    }

    pub fn split(&self) -> &Split {
        &self.split
    }

    /// Runs up to `max_steps` optimizer steps (fewer at the end of the run or at the next
    /// validation point), then reads the chunk's losses and accuracies back in one go.
    ///
    /// Nothing that carries the autodiff graph outlives its step: the stored losses are detached.
    pub async fn train_chunk(&mut self, data: &FashionMnist, max_steps: usize) -> Result<ChunkReport, TrainError> {
        let until_eval = self.settings.steps_per_eval() - self.step % self.settings.steps_per_eval();
        let steps = max_steps.max(1).min(self.total_steps() - self.step).min(until_eval);
        if let Some(helpers) = self.helpers.clone() {
            return self.parallel_chunk(data, steps, helpers.as_ref()).await;
        }
        let b = self.settings.batch_size;
        let mut losses = Vec::with_capacity(steps);
        let mut correct = Vec::with_capacity(steps);
        for _ in 0..steps {
            let indices = self.next_batch();
            let indices = &self.order[indices];
            let (x, y) = batch(data, indices, self.settings.image_size, &self.device);
            let model = self.model.take().expect("the model is present between steps");
            let logits = model.forward(x);
            let loss = self.loss.forward(logits.clone(), y.clone());
            correct.push(logits.detach().argmax(1).flatten::<1>(0, 1).equal(y).int().sum());
            losses.push(loss.clone().detach());
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            self.model = Some(self.optim.step(self.settings.learning_rate, model, grads));
            self.step += 1;
        }
        let losses = Tensor::cat(losses, 0).into_data_async().await.map_err(|e| TrainError::Readback(format!("{e:?}")))?;
        let correct = Tensor::cat(correct, 0).into_data_async().await.map_err(|e| TrainError::Readback(format!("{e:?}")))?;
        let losses: Vec<f32> = losses.convert::<f32>().try_to_vec().map_err(|e| TrainError::Readback(format!("{e:?}")))?;
        let correct: Vec<i64> = correct.convert::<i64>().try_to_vec().map_err(|e| TrainError::Readback(format!("{e:?}")))?;
        if losses.iter().any(|l| !l.is_finite()) {
            return Err(TrainError::Diverged { step: self.step });
        }
        let point = TrainPoint {
            epoch: self.epoch(),
            step: self.step,
            loss: losses.iter().map(|&l| l as f64).sum::<f64>() / steps as f64,
            accuracy: correct.iter().sum::<i64>() as f64 / (steps * b) as f64,
        };
        self.history.train.push(point.clone());
        Ok(ChunkReport { steps, images: steps * b, point })
    }

    /// The rows of `order` the next step trains on (a fresh shuffle at each epoch's start).
    fn next_batch(&mut self) -> std::ops::Range<usize> {
        let (b, in_epoch) = (self.settings.batch_size, self.step % self.settings.steps_per_epoch());
        if in_epoch == 0 && self.step > 0 {
            self.order.shuffle(&mut self.rng);
        }
        in_epoch * b..(in_epoch + 1) * b
    }

    /// [`Self::train_chunk`] across replicas: per step, each helper gets its slice of the batch,
    /// this trainer computes the first slice, the slices' gradients are averaged (weighted by
    /// their sizes) and every replica applies the average with its own, identical, optimizer.
    async fn parallel_chunk(&mut self, data: &FashionMnist, steps: usize, helpers: &dyn parallel::Helpers) -> Result<ChunkReport, TrainError> {
        let b = self.settings.batch_size;
        let (mut loss_sum, mut correct) = (0.0, 0);
        for _ in 0..steps {
            let rows = self.next_batch();
            let indices = self.order[rows].to_vec();
            let model = self.model.take().expect("the model is present between steps");
            let averaged = parallel_gradients(&model, &self.loss, data, &indices, self.settings.image_size, &self.device, helpers).await;
            // The model stays in place whatever failed (the page may still ask for it).
            let (grads, l, c) = match averaged {
                Ok(done) => done,
                Err(e) => {
                    self.model = Some(model);
                    return Err(e);
                }
            };
            loss_sum += l;
            correct += c;
            self.model = Some(self.optim.step(self.settings.learning_rate, model, grads));
            self.step += 1;
        }
        if !loss_sum.is_finite() {
            return Err(TrainError::Diverged { step: self.step });
        }
        let point = TrainPoint { epoch: self.epoch(), step: self.step, loss: loss_sum / (steps * b) as f64, accuracy: correct as f64 / (steps * b) as f64 };
        self.history.train.push(point.clone());
        Ok(ChunkReport { steps, images: steps * b, point })
    }

    /// The model for evaluation: no autodiff, dropout off.
    pub fn eval_model(&self) -> Nin {
        self.model.as_ref().expect("the model is present between steps").valid()
    }

    /// The device evaluation runs on (the training device without autodiff).
    pub fn eval_device(&self) -> Device {
        self.device.clone().inner()
    }

    /// Records a validation point computed by the caller (see [`evaluate`]).
    pub fn push_validation(&mut self, metrics: EvalMetrics) -> ValPoint {
        let point = ValPoint { epoch: self.epoch(), step: self.step, metrics };
        self.history.val.push(point.clone());
        point
    }
}

/// One data-parallel step's gradients of the batch `indices`: the helpers' slices and this
/// replica's first slice, checked (one answer per replica, all at the same weights), averaged,
/// and already sent to the helpers; with the batch's summed loss and correct count.
async fn parallel_gradients(
    model: &Nin,
    loss: &CrossEntropyLoss,
    data: &FashionMnist,
    indices: &[usize],
    size: usize,
    device: &Device,
    helpers: &dyn parallel::Helpers,
) -> Result<(GradientsParams, f64, usize), TrainError> {
    let parts = parallel::slices(indices.len(), 1 + helpers.count())?;
    for (helper, part) in parts.iter().skip(1).enumerate() {
        helpers.compute(helper, &indices[part.clone()])?;
    }
    let (x, y) = batch(data, &indices[parts[0].clone()], size, device);
    let own = parallel::slice_gradients(model, loss, x, y).await;
    // Every helper answers before the step (an answer left unread would be taken for the next).
    let others = helpers.gather().await;
    let mut all = vec![own?];
    all.extend(others?);
    if all.len() != parts.len() {
        return Err(TrainError::Replica(format!("{} slices of gradients for {} replicas", all.len(), parts.len())));
    }
    if let Some(k) = all.iter().position(|s| s.weights_sum.to_bits() != all[0].weights_sum.to_bits()) {
        return Err(TrainError::Replica(format!(
            "worker {} holds other weights than the first (sum {} against {})",
            k + 1,
            all[k].weights_sum,
            all[0].weights_sum
        )));
    }
    let loss_sum = all.iter().map(|s| s.loss_sum).sum::<f64>();
    let correct = all.iter().map(|s| s.correct).sum::<usize>();
    let averaged = parallel::average(&all).map_err(|e| TrainError::Replica(e.to_string()))?;
    helpers.apply(&averaged)?;
    let grads = parallel::to_gradients(model, averaged, &device.clone().inner()).map_err(|e| TrainError::Replica(e.to_string()))?;
    Ok((grads, loss_sum, correct))
}

/// A tensor's values on the host, row-major, read back asynchronously (the only kind of
/// readback that works on WebGPU in the browser).
pub async fn read_f32<const D: usize>(tensor: Tensor<D>) -> Result<Vec<f32>, TrainError> {
    let data = tensor.into_data_async().await.map_err(|e| TrainError::Readback(format!("{e:?}")))?;
    data.convert::<f32>().try_to_vec().map_err(|e| TrainError::Readback(format!("{e:?}")))
}

/// Logits of `indices` in batches of `batch_size`, read back to the host row-major. The UI
/// calls this once per batch so it can yield between them.
pub async fn logits(model: &Nin, data: &FashionMnist, indices: &[usize], size: usize, device: &Device) -> Result<Vec<f32>, TrainError> {
    let (x, _) = batch(data, indices, size, device);
    read_f32(model.forward(x)).await
}

/// Runs a whole training run without pausing or yielding: for native tests and benchmarks.
pub async fn run_to_end(trainer: &mut Trainer, data: &FashionMnist) -> Result<(), TrainError> {
    use session::Control;
    session::train(trainer, data, crate::engine::BackendKind::Cpu, || Control::Run, |_| (), |_| async {}).await.map(|_| ())
}

#[cfg(test)]
mod tests;
