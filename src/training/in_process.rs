//! [`Helpers`] in the calling thread: each helper [`Replica`] computes its slice when the lead
//! gathers. The page's helpers are Web Workers (`crate::worker::replica`); these run the same
//! replicas natively, for the tests and for `examples/train.rs workers=N` (the learning of a
//! data-parallel run measured over many seeds without a browser).

use std::cell::RefCell;

use burn::prelude::Device;

use super::parallel::{Helpers, LocalFuture, Replica, ScoreSet, SliceGrads};
use super::{TrainError, TrainSettings};
use crate::data::FashionMnist;
use crate::model::NinConfig;

pub struct InProcess {
    replicas: RefCell<Vec<Replica>>,
    asked: RefCell<Vec<Vec<usize>>>,
    scored: RefCell<Vec<Vec<usize>>>,
    data: FashionMnist,
}

impl InProcess {
    /// `count` helpers (ranks 1..=count, as the page numbers its workers) of a run of `config`
    /// with `settings` on `device`, training on `data` (the lead's training file).
    pub fn new(config: &NinConfig, settings: &TrainSettings, data: &FashionMnist, device: &Device, count: usize) -> Result<Self, TrainError> {
        let replicas = (1..=count as u64).map(|rank| Replica::new(config, settings, device, rank)).collect::<Result<Vec<_>, _>>()?;
        Ok(InProcess { replicas: RefCell::new(replicas), asked: RefCell::new(vec![Vec::new(); count]), scored: RefCell::new(vec![Vec::new(); count]), data: data.clone() })
    }

    /// The helpers' replicas (tests read their weights or make one drift).
    pub fn replicas(&self) -> &RefCell<Vec<Replica>> {
        &self.replicas
    }
}

impl Helpers for InProcess {
    fn count(&self) -> usize {
        self.replicas.borrow().len()
    }
    fn compute(&self, helper: usize, indices: &[usize]) -> Result<(), TrainError> {
        self.asked.borrow_mut()[helper] = indices.to_vec();
        Ok(())
    }
    fn gather(&self) -> LocalFuture<'_, Result<Vec<SliceGrads>, TrainError>> {
        Box::pin(async move {
            let mut out = Vec::new();
            for (r, rows) in self.replicas.borrow().iter().zip(self.asked.borrow().iter()) {
                out.push(r.gradients(&self.data, rows).await?);
            }
            Ok(out)
        })
    }
    fn apply(&self, averaged: &[Vec<f32>]) -> Result<(), TrainError> {
        for r in self.replicas.borrow_mut().iter_mut() {
            r.apply(averaged.to_vec()).map_err(|e| TrainError::Replica(e.to_string()))?;
        }
        Ok(())
    }
    fn score(&self, helper: usize, _set: ScoreSet, indices: &[usize]) -> Result<(), TrainError> {
        self.scored.borrow_mut()[helper] = indices.to_vec();
        Ok(())
    }
    fn gather_logits(&self) -> LocalFuture<'_, Result<Vec<Vec<f32>>, TrainError>> {
        Box::pin(async move {
            let mut out = Vec::new();
            for (r, rows) in self.replicas.borrow().iter().zip(self.scored.borrow().iter()) {
                out.push(r.logits(&self.data, rows).await?);
            }
            Ok(out)
        })
    }
}
