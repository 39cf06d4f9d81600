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

/// A helper's scoring request: which file, which rows.
type ScoreRequest = (ScoreSet, Vec<usize>);

pub struct InProcess {
    replicas: RefCell<Vec<Replica>>,
    /// Each helper's request since the last gather, as a port's queue holds it: a gather
    /// waits for every helper, so one never asked is an error here (a worker would wait forever).
    asked: RefCell<Vec<Option<Vec<usize>>>>,
    scored: RefCell<Vec<Option<ScoreRequest>>>,
    data: FashionMnist,
    /// The test file the helpers score for [`ScoreSet::Test`] (the training file until set).
    test: Option<FashionMnist>,
}

impl InProcess {
    /// `count` helpers (ranks 1..=count, as the page numbers its workers) of a run of `config`
    /// with `settings` on `device`, training on `data` (the lead's training file).
    pub fn new(config: &NinConfig, settings: &TrainSettings, data: &FashionMnist, device: &Device, count: usize) -> Result<Self, TrainError> {
        let replicas = (1..=count as u64).map(|rank| Replica::new(config, settings, device, rank)).collect::<Result<Vec<_>, _>>()?;
        Ok(InProcess {
            replicas: RefCell::new(replicas),
            asked: RefCell::new(vec![None; count]),
            scored: RefCell::new(vec![None; count]),
            data: data.clone(),
            test: None,
        })
    }

    /// Helpers that score `test` when asked for test images, as a page's helpers hold it.
    pub fn with_test(mut self, test: &FashionMnist) -> Self {
        self.test = Some(test.clone());
        self
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
        self.asked.borrow_mut()[helper] = Some(indices.to_vec());
        Ok(())
    }
    fn gather(&self) -> LocalFuture<'_, Result<Vec<SliceGrads>, TrainError>> {
        Box::pin(async move {
            let asked: Vec<_> = self.asked.borrow_mut().iter_mut().map(Option::take).collect();
            // The replicas leave their cell while they compute (no borrow held across an await).
            let replicas = self.replicas.take();
            let mut out = Ok(Vec::new());
            for (helper, (r, rows)) in replicas.iter().zip(asked).enumerate() {
                let answer = match rows {
                    Some(rows) => r.gradients(&self.data, &rows).await,
                    None => Err(never_asked(helper)),
                };
                match (&mut out, answer) {
                    (Ok(all), Ok(a)) => all.push(a),
                    (Ok(_), Err(e)) => out = Err(e),
                    (Err(_), _) => {}
                }
            }
            *self.replicas.borrow_mut() = replicas;
            out
        })
    }
    fn apply(&self, averaged: &[Vec<f32>]) -> Result<(), TrainError> {
        for r in self.replicas.borrow_mut().iter_mut() {
            r.apply(averaged.to_vec()).map_err(|e| TrainError::Replica(e.to_string()))?;
        }
        Ok(())
    }
    fn score(&self, helper: usize, set: ScoreSet, indices: &[usize]) -> Result<(), TrainError> {
        self.scored.borrow_mut()[helper] = Some((set, indices.to_vec()));
        Ok(())
    }
    fn gather_logits(&self) -> LocalFuture<'_, Result<Vec<Vec<f32>>, TrainError>> {
        Box::pin(async move {
            let asked: Vec<_> = self.scored.borrow_mut().iter_mut().map(Option::take).collect();
            let replicas = self.replicas.take();
            let mut out = Ok(Vec::new());
            for (helper, (r, asked)) in replicas.iter().zip(asked).enumerate() {
                let answer = match asked {
                    Some((ScoreSet::Test, rows)) => r.logits(self.test.as_ref().unwrap_or(&self.data), &rows).await,
                    Some((ScoreSet::Train, rows)) => r.logits(&self.data, &rows).await,
                    None => Err(never_asked(helper)),
                };
                match (&mut out, answer) {
                    (Ok(all), Ok(a)) => all.push(a),
                    (Ok(_), Err(e)) => out = Err(e),
                    (Err(_), _) => {}
                }
            }
            *self.replicas.borrow_mut() = replicas;
            out
        })
    }
}

/// What a page's lead would do instead: wait forever for a helper it never asked.
fn never_asked(helper: usize) -> TrainError {
    TrainError::Replica(format!("worker {} was never asked, and the lead would wait for it forever", helper + 2))
}
