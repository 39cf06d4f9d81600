//! One training run as a stream of [`Event`]s, the same code on every backend and thread: in the
//! page it runs in a Web Worker (see `crate::worker`), natively in tests and examples. The run
//! waits while paused, ends when stopped, yields a real macrotask between chunks (so the worker
//! reads pause/stop messages), and never reads back synchronously.
//!
//! The caller supplies three things: `control` (what the user asked for, read before each
//! chunk), `emit` (where events go: `postMessage` in the worker), and `sleep` (a
//! timer future; `setTimeout` in the browser, an immediate future in native tests).

use std::future::Future;

use burn::prelude::Device;
use serde::{Deserialize, Serialize};
use web_time::Instant;

use super::metrics::{EvalMetrics, TestReport, eval_metrics, test_report};
use super::parallel::{Helpers, ScoreSet};
use super::{History, TrainError, TrainSettings, Trainer};
use crate::data::FashionMnist;
use crate::engine::BackendKind;
use crate::model::Nin;

pub use super::scoring::score;
use super::scoring::{CLASSES, gpu_cause};

/// What the user asked the run to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Control {
    Run,
    /// `hidden`: paused because the tab was hidden (the page says so).
    Pause {
        hidden: bool,
    },
    Stop,
}

/// The part of a run the session drives (downloading the data is the page's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    Building,
    Training,
    Validating,
    Paused { hidden: bool },
    Testing { done: usize, total: usize },
}

/// Where a run stands, for the progress bar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub step: usize,
    pub total_steps: usize,
    pub epoch: f64,
    /// Training images per second of active time (pauses excluded).
    pub images_per_s: f64,
    pub eta_secs: f64,
    pub backend: BackendKind,
    pub last_chunk_steps: usize,
    /// Replicas training together (CPU workers; 1 unless data-parallel).
    #[serde(default = "one")]
    pub workers: usize,
}

fn one() -> usize {
    1
}

/// What the board hears from a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Event {
    Stage(Stage),
    /// After each chunk and each validation point: the curves so far and the progress.
    Curves {
        history: History,
        progress: Progress,
    },
}

/// How the training loop ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ended {
    Finished,
    Stopped,
}

/// Optimizer steps per chunk. WebGPU queues a few steps and reads their metrics back together;
/// the CPU backend computes as it goes, so one step per chunk lets pause and stop act within a
/// step.
pub fn chunk_steps(backend: BackendKind) -> usize {
    match backend {
        BackendKind::WebGpu => 4,
        BackendKind::Cpu => 1,
    }
}

/// Waits while paused; `true` when the user stopped the run.
async fn hold<F: Future<Output = ()>>(control: &impl Fn() -> Control, emit: &impl Fn(Event), sleep: &impl Fn(u32) -> F) -> bool {
    let mut paused = None;
    loop {
        match control() {
            Control::Run => {
                if paused.is_some() {
                    emit(Event::Stage(Stage::Training));
                }
                return false;
            }
            Control::Stop => return true,
            Control::Pause { hidden } => {
                if paused != Some(hidden) {
                    emit(Event::Stage(Stage::Paused { hidden }));
                    paused = Some(hidden);
                }
                sleep(100).await;
            }
        }
    }
}

/// [`score`] shared with the helpers of a data-parallel run (which hold the same weights):
/// each helper scores a contiguous part of `indices` of `set` while this replica scores the
/// first; the logits come back in `indices`' order. `on_batch` counts this replica's images
/// times the replicas (the parts are equal within one image).
#[allow(clippy::too_many_arguments)]
pub async fn score_shared<F: Future<Output = ()>>(
    model: &Nin,
    data: &FashionMnist,
    set: ScoreSet,
    indices: &[usize],
    settings: &TrainSettings,
    device: &Device,
    helpers: Option<&dyn Helpers>,
    sleep: &impl Fn(u32) -> F,
    on_batch: impl Fn(usize),
) -> Result<Vec<f32>, TrainError> {
    let Some(helpers) = helpers.filter(|h| h.count() > 0) else {
        return score(model, data, indices, settings, device, sleep, on_batch).await;
    };
    // Every helper is asked, even for no image: each answers, and the lead waits for each.
    let parts = super::parallel::parts(indices.len(), 1 + helpers.count());
    for (helper, part) in parts.iter().skip(1).enumerate() {
        helpers.score(helper, set, &indices[part.clone()])?;
    }
    let n = parts.len();
    let own = score(model, data, &indices[parts[0].clone()], settings, device, sleep, |done| on_batch((done * n).min(indices.len()))).await;
    // Every helper answers first (an answer left unread would be taken for the next request).
    let others = helpers.gather_logits().await;
    let mut logits = own?;
    let others = others?;
    if others.len() != parts.len() - 1 {
        return Err(TrainError::Replica(format!("{} answers from {} helpers", others.len(), parts.len() - 1)));
    }
    for (part, more) in parts.iter().skip(1).zip(others) {
        if more.len() != part.len() * CLASSES {
            return Err(TrainError::Replica(format!("{} logits for {} images", more.len(), part.len())));
        }
        logits.extend(more);
    }
    on_batch(indices.len());
    Ok(logits)
}

/// Scores `indices` of `data` (see [`score`]): the metrics and every image's logits.
pub async fn evaluate<F: Future<Output = ()>>(
    model: &Nin,
    data: &FashionMnist,
    indices: &[usize],
    settings: &TrainSettings,
    device: &Device,
    sleep: &impl Fn(u32) -> F,
) -> Result<(EvalMetrics, Vec<f32>), TrainError> {
    evaluate_shared(model, data, indices, settings, device, None, sleep).await
}

/// [`evaluate`] with a data-parallel run's helpers scoring parts of the (training-file) images.
pub async fn evaluate_shared<F: Future<Output = ()>>(
    model: &Nin,
    data: &FashionMnist,
    indices: &[usize],
    settings: &TrainSettings,
    device: &Device,
    helpers: Option<&dyn Helpers>,
    sleep: &impl Fn(u32) -> F,
) -> Result<(EvalMetrics, Vec<f32>), TrainError> {
    let logits = score_shared(model, data, ScoreSet::Train, indices, settings, device, helpers, sleep, |_| ()).await?;
    let labels: Vec<u8> = indices.iter().map(|&i| data.labels[i]).collect();
    let metrics = gpu_cause(eval_metrics(&logits, &labels, CLASSES).ok_or(TrainError::BadLogits), sleep).await?;
    Ok((metrics, logits))
}

fn progress(trainer: &Trainer, backend: BackendKind, last_chunk_steps: usize, active_secs: f64) -> Progress {
    let step = trainer.step();
    Progress {
        step,
        total_steps: trainer.total_steps(),
        epoch: trainer.epoch(),
        images_per_s: (step * trainer.settings.batch_size) as f64 / active_secs.max(1e-9),
        eta_secs: active_secs / step.max(1) as f64 * (trainer.total_steps() - step) as f64,
        backend,
        last_chunk_steps,
        workers: trainer.replicas(),
    }
}

/// Trains to the end or until stopped, with a validation point whenever one is due.
pub async fn train<F: Future<Output = ()>>(
    trainer: &mut Trainer,
    data: &FashionMnist,
    backend: BackendKind,
    control: impl Fn() -> Control,
    emit: impl Fn(Event),
    sleep: impl Fn(u32) -> F,
) -> Result<Ended, TrainError> {
    let chunk = chunk_steps(backend);
    let mut active_secs = 0.0;
    emit(Event::Stage(Stage::Training));
    while !trainer.finished() {
        if hold(&control, &emit, &sleep).await {
            return Ok(Ended::Stopped);
        }
        let started = Instant::now();
        let report = gpu_cause(trainer.train_chunk(data, chunk).await, &sleep).await?;
        active_secs += started.elapsed().as_secs_f64();
        emit(Event::Curves { history: trainer.history.clone(), progress: progress(trainer, backend, report.steps, active_secs) });
        if trainer.eval_due() {
            emit(Event::Stage(Stage::Validating));
            let started = Instant::now();
            let val = trainer.split().val.clone();
            let helpers = trainer.helpers();
            let evaluated = evaluate_shared(&trainer.eval_model(), data, &val, &trainer.settings, &trainer.eval_device(), helpers.as_deref(), &sleep).await;
            // The last update can make the weights non-finite while its own loss (computed
            // before it) was finite: logits that cannot be scored then mean the run diverged.
            let (metrics, _) = match evaluated {
                Err(TrainError::BadLogits) => return Err(TrainError::Diverged { step: trainer.step() }),
                other => other?,
            };
            trainer.push_validation(metrics);
            active_secs += started.elapsed().as_secs_f64();
            emit(Event::Curves { history: trainer.history.clone(), progress: progress(trainer, backend, report.steps, active_secs) });
            emit(Event::Stage(Stage::Training));
        }
        // A real macrotask: the browser paints, and a worker reads its messages, before the next chunk.
        sleep(0).await;
    }
    Ok(Ended::Finished)
}

/// Scores the first `settings.test_images` test images (fewer if the file is shorter), with
/// [`Stage::Testing`] progress; returns the report and the number scored.
pub async fn test<F: Future<Output = ()>>(
    model: &Nin,
    data: &FashionMnist,
    settings: &TrainSettings,
    device: &Device,
    emit: impl Fn(Event),
    sleep: impl Fn(u32) -> F,
) -> Result<(TestReport, usize), TrainError> {
    test_shared(model, data, settings, device, None, emit, sleep).await
}

/// [`test`] with a data-parallel run's helpers scoring parts of the test images.
pub async fn test_shared<F: Future<Output = ()>>(
    model: &Nin,
    data: &FashionMnist,
    settings: &TrainSettings,
    device: &Device,
    helpers: Option<&dyn Helpers>,
    emit: impl Fn(Event),
    sleep: impl Fn(u32) -> F,
) -> Result<(TestReport, usize), TrainError> {
    let total = settings.test_images.min(data.len());
    let indices: Vec<usize> = (0..total).collect();
    emit(Event::Stage(Stage::Testing { done: 0, total }));
    let on_batch = |done| emit(Event::Stage(Stage::Testing { done, total }));
    let logits = score_shared(model, data, ScoreSet::Test, &indices, settings, device, helpers, &sleep, on_batch).await?;
    let report = gpu_cause(test_report(&logits, &data.labels[..total], CLASSES).ok_or(TrainError::BadLogits), &sleep).await?;
    Ok((report, total))
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};

    use burn::prelude::*;
    use futures_lite::future::block_on;

    use super::*;
    use crate::engine::gpu_fault;
    use crate::model::NinConfig;
    use crate::training::Preset;

    /// Random images with labels 0..9 in turn: enough to drive the loop, not to learn.
    fn noise(images: usize) -> FashionMnist {
        let mut state = 7u32;
        let pixels = (0..images * FashionMnist::PIXELS)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (state >> 24) as u8
            })
            .collect();
        FashionMnist { images: pixels, labels: (0..images).map(|i| (i % 10) as u8).collect() }
    }

    /// 4 steps of batch 4 at the smallest size, 2 validation points (one per half epoch).
    fn tiny() -> TrainSettings {
        TrainSettings {
            batch_size: 4,
            image_size: 67,
            epochs: 1,
            train_images: 16,
            val_images: 8,
            test_images: 12,
            evals_per_epoch: 2,
            ..Preset::ShortCpu.settings()
        }
    }

    #[test]
    fn a_run_emits_stages_curves_and_validation_points() {
        let _rng = crate::burn_rng_lock();
        let (data, settings) = (noise(40), tiny());
        let mut trainer = Trainer::new(&NinConfig::book(), &settings, &data, &Device::flex()).unwrap();
        let events = RefCell::new(Vec::new());
        let ended = block_on(train(&mut trainer, &data, BackendKind::Cpu, || Control::Run, |e| events.borrow_mut().push(e), |_| async {})).unwrap();
        assert_eq!(ended, Ended::Finished);
        let events = events.into_inner();
        assert_eq!(events.first(), Some(&Event::Stage(Stage::Training)));
        let validating = events.iter().filter(|e| **e == Event::Stage(Stage::Validating)).count();
        assert_eq!(validating, 2, "two validation points per epoch");
        let Some(Event::Curves { history, progress }) = events.iter().rev().find(|e| matches!(e, Event::Curves { .. })) else { panic!("no curves") };
        assert_eq!((history.train.len(), history.val.len()), (4, 2), "one training point per step on the CPU backend");
        assert_eq!((progress.step, progress.total_steps, progress.backend), (4, 4, BackendKind::Cpu));
        assert!(progress.images_per_s > 0.0 && progress.eta_secs == 0.0);
        // The test set: every image counted, with progress ending at the total.
        let stages = RefCell::new(Vec::new());
        let (report, n) =
            block_on(test(&trainer.eval_model(), &data, &settings, &trainer.eval_device(), |e| stages.borrow_mut().push(e), |_| async {})).unwrap();
        assert_eq!(n, 12);
        assert_eq!(report.confusion.iter().flatten().sum::<u32>(), 12);
        assert_eq!(stages.into_inner().last(), Some(&Event::Stage(Stage::Testing { done: 12, total: 12 })));
    }

    #[test]
    fn pause_waits_and_stop_ends_the_run_early() {
        let _rng = crate::burn_rng_lock();
        let (data, settings) = (noise(40), tiny());
        let mut trainer = Trainer::new(&NinConfig::book(), &settings, &data, &Device::flex()).unwrap();
        // Control is read before each chunk and every 100 ms while paused: run one chunk, pause
        // (hidden tab) for three reads, run one more chunk, then stop.
        let reads = Cell::new(0);
        let script =
            [Control::Run, Control::Pause { hidden: true }, Control::Pause { hidden: true }, Control::Pause { hidden: true }, Control::Run, Control::Stop];
        let control = || {
            let i = reads.get();
            reads.set(i + 1);
            script[i.min(script.len() - 1)]
        };
        let slept = RefCell::new(Vec::new());
        let events = RefCell::new(Vec::new());
        let ended = block_on(train(
            &mut trainer,
            &data,
            BackendKind::Cpu,
            control,
            |e| events.borrow_mut().push(e),
            |ms| {
                slept.borrow_mut().push(ms);
                async {}
            },
        ))
        .unwrap();
        assert_eq!(ended, Ended::Stopped);
        assert_eq!(trainer.step(), 2, "one step before the pause, one after, none after stop");
        let stages: Vec<Stage> = events.into_inner().into_iter().filter_map(|e| if let Event::Stage(s) = e { Some(s) } else { None }).collect();
        let paused = stages.iter().filter(|s| **s == Stage::Paused { hidden: true }).count();
        assert_eq!(paused, 1, "the pause is announced once: {stages:?}");
        let after = stages.iter().position(|s| *s == Stage::Paused { hidden: true }).unwrap();
        assert_eq!(stages.get(after + 1), Some(&Stage::Training), "resuming says so");
        assert_eq!(slept.into_inner().iter().filter(|&&ms| ms == 100).count(), 3, "it waits 100 ms after each paused read");
    }

    #[test]
    fn a_gpu_fault_ends_the_run_with_its_cause_and_keeps_the_curves() {
        let _rng = crate::burn_rng_lock();
        let (data, settings) = (noise(40), tiny());
        let mut trainer = Trainer::new(&NinConfig::book(), &settings, &data, &Device::flex()).unwrap();
        // Two chunks run, then the device is lost (as the browser's `device.lost` would say).
        let reads = Cell::new(0);
        let control = || {
            reads.set(reads.get() + 1);
            if reads.get() == 3 {
                gpu_fault::record(crate::engine::GpuFault::Lost("destroyed".into()));
            }
            Control::Run
        };
        let result = block_on(train(&mut trainer, &data, BackendKind::Cpu, control, |_| (), |_| async {}));
        gpu_fault::clear();
        assert_eq!(result, Err(TrainError::Gpu(crate::engine::GpuFault::Lost("destroyed".into()))));
        assert!(!trainer.history.train.is_empty(), "the curves so far stay with the trainer");
        // A readback failure after a fault is reported as the fault.
        gpu_fault::record(crate::engine::GpuFault::OutOfMemory("alloc".into()));
        let explained = block_on(gpu_cause::<(), _>(Err(TrainError::Readback("map failed".into())), &|_| async {}));
        gpu_fault::clear();
        assert_eq!(explained, Err(TrainError::Gpu(crate::engine::GpuFault::OutOfMemory("alloc".into()))));
        // Without a fault, the error stands.
        let plain = block_on(gpu_cause::<(), _>(Err(TrainError::Readback("map failed".into())), &|_| async {}));
        assert_eq!(plain, Err(TrainError::Readback("map failed".into())));
    }

    /// Regression (issue 20): a last update that made the weights non-finite right before a
    /// validation point was reported as "could not be scored" instead of a divergence.
    #[test]
    fn divergence_right_before_a_validation_point_says_diverged() {
        let _rng = crate::burn_rng_lock();
        let data = noise(40);
        // One step per validation point; plain SGD with a step so large the first update
        // leaves no finite weight, while that step's own loss is still finite.
        let settings = TrainSettings { optimizer: crate::training::OptimizerKind::Sgd, learning_rate: 1e30, evals_per_epoch: 4, ..tiny() };
        let mut trainer = Trainer::new(&NinConfig::book(), &settings, &data, &Device::flex()).unwrap();
        let result = block_on(train(&mut trainer, &data, BackendKind::Cpu, || Control::Run, |_| (), |_| async {}));
        assert_eq!(result, Err(TrainError::Diverged { step: 1 }));
        assert!(trainer.history.train[0].loss.is_finite(), "the first step's loss was finite");
    }

    /// The book's NiN with 6 channels per block (10 in the last): the same layers, cheap enough
    /// to score thousands of images in a test.
    fn narrow() -> NinConfig {
        let mut config = NinConfig::book();
        let last = config.stages.len() - 1;
        for (i, stage) in config.stages.iter_mut().enumerate() {
            if let crate::model::StageConfig::Block(b) = stage
                && i != last
            {
                b.channels = vec![6; b.channels.len()];
            }
        }
        config
    }

    /// Issue 25.1: with 3 or more workers and fewer images to score than workers, the lead
    /// asked only the helpers with images and waited for all of them: the page hung at
    /// "Training...". For every worker count 1..=8 and every count of validation and test
    /// images 0..20, scoring shared with the helpers (which, like a port, fail when never
    /// asked) gives one worker's logits, each image once, in order.
    #[test]
    fn shared_scoring_ends_and_equals_one_worker_for_every_split() {
        let _rng = crate::burn_rng_lock();
        let (data, test_set) = (noise(24), noise(21));
        let settings = TrainSettings { batch_size: 8, image_size: 67, train_images: 8, val_images: 4, ..Preset::ShortCpu.settings() };
        let config = narrow();
        let device = Device::flex();
        let trainer = Trainer::new(&config, &settings, &data, &device).unwrap();
        let (model, eval) = (trainer.eval_model(), trainer.eval_device());
        let all: Vec<usize> = (0..20).collect();
        let alone = block_on(score(&model, &data, &all, &settings, &eval, &|_| async {}, |_| ())).unwrap();
        let alone_test = block_on(score(&model, &test_set, &all, &settings, &eval, &|_| async {}, |_| ())).unwrap();
        for workers in 1..=crate::training::parallel::MAX_WORKERS {
            let helpers = crate::training::in_process::InProcess::new(&config, &settings, &data, &device, workers - 1).unwrap().with_test(&test_set);
            for count in 0..=20 {
                // Validation: the first `count` rows, in reverse (scored in the order asked).
                let rows: Vec<usize> = (0..count).rev().collect();
                let shared = block_on(score_shared(&model, &data, ScoreSet::Train, &rows, &settings, &eval, Some(&helpers), &|_| async {}, |_| ()));
                let shared = shared.unwrap_or_else(|e| panic!("{workers} workers, {count} validation images: {e}"));
                let expected: Vec<f32> = rows.iter().flat_map(|&r| alone[r * CLASSES..(r + 1) * CLASSES].iter().copied()).collect();
                assert_eq!(shared.len(), expected.len(), "{workers} workers, {count} images: each image scored once");
                let gap = expected.iter().zip(&shared).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
                assert!(gap <= 1e-5, "{workers} workers, {count} validation images: logits differ by {gap}");
                // The test report: the first `count` test images (a run scores at least one).
                if count == 0 {
                    continue;
                }
                let s = TrainSettings { test_images: count, ..settings.clone() };
                let (report, n) = block_on(test_shared(&model, &test_set, &s, &eval, Some(&helpers), |_| (), |_| async {}))
                    .unwrap_or_else(|e| panic!("{workers} workers, {count} test images: {e}"));
                let one = test_report(&alone_test[..count * CLASSES], &test_set.labels[..count], CLASSES);
                assert_eq!(n, count);
                assert_eq!(Some(report), one, "{workers} workers, {count} test images");
            }
        }
    }

    #[test]
    fn events_cross_a_serializer_unchanged() {
        let progress =
            Progress { step: 3, total_steps: 9, epoch: 0.5, images_per_s: 6.5, eta_secs: 12.0, backend: BackendKind::Cpu, last_chunk_steps: 1, workers: 2 };
        for e in [Event::Stage(Stage::Testing { done: 1, total: 2 }), Event::Curves { history: History::default(), progress }] {
            let back: Event = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
            assert_eq!(back, e);
        }
    }
}
