//! What a run costs: its arithmetic from the pure analysis, and its time from a speed this
//! page measured before (per backend, scaled to the run's number of CPU workers).

use serde::{Deserialize, Serialize};

use super::settings::{SettingsError, TrainSettings};
use crate::analysis;
use crate::model::NinConfig;

/// What a run costs in arithmetic, from the pure analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCost {
    /// Images passed through training (steps x batch).
    pub train_images: u64,
    /// Images scored: every validation point plus the test set.
    pub scored_images: u64,
    /// Forward FLOPs for one image at the run's size.
    pub forward_flops_per_image: u64,
    /// Training counts a step as about three forward passes (forward, and the backward pass's
    /// two products per layer); scoring is one forward pass.
    pub total_flops: u64,
}

/// The arithmetic of a whole run.
pub fn run_cost(config: &NinConfig, settings: &TrainSettings) -> Result<RunCost, SettingsError> {
    let one = TrainSettings { batch_size: 1, ..settings.clone() };
    let per_image = analysis::plan(config, one.input(config.input_channels))?.total_flops();
    let train_images = (settings.total_steps() as u64).saturating_mul(settings.batch_size as u64);
    let evals = settings.validations() as u64;
    let scored_images = evals * settings.val_images as u64 + settings.test_images as u64;
    let total_flops = per_image.saturating_mul(3).saturating_mul(train_images).saturating_add(per_image.saturating_mul(scored_images));
    Ok(RunCost { train_images, scored_images, forward_flops_per_image: per_image, total_flops })
}

/// How fast a run computed on a backend, kept to estimate the next run's time there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Speed {
    /// Training and validation FLOPs per second of active time (pauses excluded).
    pub flops_per_s: f64,
    /// The batch and image side it was measured at: small batches use a GPU poorly, so an
    /// estimate for other settings is rough, and the page says which run it comes from.
    pub batch_size: usize,
    pub image_size: usize,
    /// CPU workers the run trained on (1 on WebGPU, and in speeds saved before workers
    /// existed): a run on another count is estimated by [`worker_scaling`].
    #[serde(default = "one_worker")]
    pub workers: usize,
}

fn one_worker() -> usize {
    1
}

/// How much faster `to` CPU workers train than `from`, as measured on this page: data-parallel
/// workers do not scale linearly (each step exchanges the gradients), and 2 workers ran 1.78x
/// one (README, "CPU training on every core"); `(to / from)^0.85` gives 1.80x for 2 and is
/// the same rule for every other count.
pub fn worker_scaling(from: usize, to: usize) -> f64 {
    (to.max(1) as f64 / from.max(1) as f64).powf(0.85)
}

impl Speed {
    /// From a run's last progress: `steps` optimizer steps (three forward passes' worth per
    /// image, as [`run_cost`] counts) and `val_points` validations of `settings.val_images`
    /// images took `steps * batch / images_per_s` seconds of active time.
    pub fn measured(
        forward_flops_per_image: u64,
        settings: &TrainSettings,
        steps: usize,
        val_points: usize,
        images_per_s: f64,
        workers: usize,
    ) -> Option<Speed> {
        let trained = (steps * settings.batch_size) as f64;
        if trained == 0.0 || !images_per_s.is_finite() || images_per_s <= 0.0 || forward_flops_per_image == 0 {
            return None;
        }
        let secs = trained / images_per_s;
        let work = forward_flops_per_image as f64 * (3.0 * trained + (val_points * settings.val_images) as f64);
        Some(Speed { flops_per_s: work / secs, batch_size: settings.batch_size, image_size: settings.image_size, workers: workers.max(1) })
    }

    /// Whether the figure can give a time (a stored one may have been edited).
    pub fn usable(&self) -> bool {
        self.flops_per_s.is_finite() && self.flops_per_s > 0.0
    }

    /// Seconds a run of `cost` (testing included) takes at this speed on `workers` workers
    /// (issue 25: the estimate ignored the count, about 2x too long when a 1-worker speed
    /// estimated a 2-worker run).
    pub fn secs_for(&self, cost: &RunCost, workers: usize) -> f64 {
        cost.total_flops as f64 / (self.flops_per_s * worker_scaling(self.workers, workers))
    }
}

/// The speeds saved in storage, checked: usable figures, at most one per backend. `None`
/// when the text is not a list of `(backend, speed)` at all.
pub fn parse_speeds(json: &str) -> Option<Vec<(crate::engine::BackendKind, Speed)>> {
    let all: Vec<serde_json::Value> = serde_json::from_str(json).ok()?;
    let mut out: Vec<(crate::engine::BackendKind, Speed)> = Vec::new();
    for v in all {
        let Ok((kind, speed)) = serde_json::from_value::<(crate::engine::BackendKind, Speed)>(v) else { continue };
        if speed.usable() && speed.batch_size > 0 && speed.image_size > 0 && !out.iter().any(|(k, _)| *k == kind) {
            out.push((kind, speed));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::InputShape;
    use crate::training::settings::Preset;

    #[test]
    fn run_cost_counts_three_passes_per_training_image() {
        let config = NinConfig::book();
        let s = Preset::Book.settings();
        let c = run_cost(&config, &s).unwrap();
        // 55,000 / 128 = 429 full batches per epoch, 10 epochs.
        assert_eq!(c.train_images, 429 * 128 * 10);
        assert_eq!(c.scored_images, 10 * 5_000 + 10_000);
        let per = analysis::plan(&config, InputShape::new(1, 1, 224, 224)).unwrap().total_flops();
        assert_eq!(c.forward_flops_per_image, per);
        assert_eq!(c.total_flops, per * (3 * 549_120 + 60_000));
    }

    #[test]
    fn a_runs_own_speed_gives_back_its_active_time() {
        let config = NinConfig::book();
        // A CPU-preset run: 120 steps of 32 images and 4 validations of 300 in 240 s.
        let s = Preset::ShortCpu.settings();
        let cost = run_cost(&config, &s).unwrap();
        let speed = Speed::measured(cost.forward_flops_per_image, &s, 120, 4, 120.0 * 32.0 / 240.0, 1).unwrap();
        assert_eq!((speed.batch_size, speed.image_size), (32, 96));
        let without_test = RunCost { total_flops: cost.total_flops - cost.forward_flops_per_image * s.test_images as u64, ..cost };
        assert!((speed.secs_for(&without_test, 1) - 240.0).abs() < 1e-6, "{}", speed.secs_for(&without_test, 1));
        // Twice the training images take about twice as long at the same speed.
        let double = run_cost(&config, &TrainSettings { epochs: 2, ..s.clone() }).unwrap();
        let ratio = speed.secs_for(&double, 1) / speed.secs_for(&cost, 1);
        assert!(ratio > 1.8 && ratio < 2.0, "{ratio}");
        // Nothing measured, nothing claimed; a stored speed that is not finite gives no time.
        assert!(!Speed { flops_per_s: 0.0, ..speed }.usable() && !Speed { flops_per_s: f64::INFINITY, ..speed }.usable() && speed.usable());
        assert_eq!(Speed::measured(cost.forward_flops_per_image, &s, 0, 0, 10.0, 1), None);
        assert_eq!(Speed::measured(cost.forward_flops_per_image, &s, 10, 1, 0.0, 1), None);
        assert_eq!(Speed::measured(cost.forward_flops_per_image, &s, 10, 1, f64::NAN, 1), None);
    }

    /// Issue 25.7: a speed measured on 1 worker estimated a 2-worker run as if it ran on one
    /// (about 2x too long); a speed saved before workers existed counts as 1 worker.
    #[test]
    fn the_time_estimate_follows_the_worker_count() {
        let config = NinConfig::book();
        let s = Preset::ShortCpu.settings();
        let cost = run_cost(&config, &s).unwrap();
        let one = Speed::measured(cost.forward_flops_per_image, &s, 120, 4, 16.0, 1).unwrap();
        let two = Speed::measured(cost.forward_flops_per_image, &s, 120, 4, 16.0 * 1.78, 2).unwrap();
        let (a, b) = (one.secs_for(&cost, 2), two.secs_for(&cost, 2));
        assert!((a / b - 1.0).abs() < 0.02, "1-worker speed for a 2-worker run: {a:.0} s, measured on 2: {b:.0} s");
        assert!((one.secs_for(&cost, 1) / one.secs_for(&cost, 2) - 1.80).abs() < 0.01);
        assert!((one.secs_for(&cost, 4) * 4f64.powf(0.85) / one.secs_for(&cost, 1) - 1.0).abs() < 1e-9);
        let old: Speed = serde_json::from_str(r#"{"flops_per_s":1e9,"batch_size":32,"image_size":96}"#).unwrap();
        assert_eq!(old.workers, 1);
    }

    #[test]
    fn saved_speeds_are_checked() {
        let good = Speed { flops_per_s: 1e9, batch_size: 32, image_size: 96, workers: 1 };
        let json = serde_json::to_string(&vec![(crate::engine::BackendKind::Cpu, good)]).unwrap();
        assert_eq!(parse_speeds(&json), Some(vec![(crate::engine::BackendKind::Cpu, good)]));
        assert_eq!(parse_speeds("{"), None);
        let bad = serde_json::to_string(&vec![
            (crate::engine::BackendKind::Cpu, Speed { flops_per_s: -1.0, ..good }),
            (crate::engine::BackendKind::WebGpu, Speed { batch_size: 0, ..good }),
        ])
        .unwrap();
        assert_eq!(parse_speeds(&bad), Some(vec![]));
        assert_eq!(parse_speeds("[[\"Cpu\", {\"flops_per_s\": \"fast\", \"batch_size\": 1, \"image_size\": 1}], 7]"), Some(vec![]));
        assert_eq!(parse_speeds("[[\"Cpu\", {\"flops_per_s\": 1e999, \"batch_size\": 1, \"image_size\": 1}]]"), None);
    }
}
