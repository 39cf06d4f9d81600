//! A run's curves: training-loss points per chunk and validation points, saved with the run.

use serde::{Deserialize, Serialize};

use super::metrics::EvalMetrics;

/// One point of the training-loss curve: the mean over the steps of a chunk.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainPoint {
    /// Fractional epoch at the end of the chunk.
    pub epoch: f64,
    pub step: usize,
    pub loss: f64,
    pub accuracy: f64,
}

/// One validation point.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ValPoint {
    pub epoch: f64,
    pub step: usize,
    pub metrics: EvalMetrics,
}

/// The curves of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct History {
    pub train: Vec<TrainPoint>,
    pub val: Vec<ValPoint>,
}

impl History {
    /// The curves as CSV: one row per point, `kind` telling train from validation.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("kind,epoch,step,loss,accuracy\n");
        for p in &self.train {
            out += &format!("train,{:.4},{},{:.6},{:.6}\n", p.epoch, p.step, p.loss, p.accuracy);
        }
        for p in &self.val {
            out += &format!("validation,{:.4},{},{:.6},{:.6}\n", p.epoch, p.step, p.metrics.loss, p.metrics.accuracy);
        }
        out
    }
}
