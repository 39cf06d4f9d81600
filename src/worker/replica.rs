//! Data-parallel CPU training between workers (see `crate::training::parallel`): the lead
//! worker's [`PortHelpers`] and a helper worker's loop, [`help`]. The page creates one
//! `MessageChannel` per helper and hands its two ports to the lead and to that helper, so the
//! ~8 MB of gradients per step go from worker to worker without the page's thread.
//!
//! Per step: the lead sends each helper [`LeadToHelper::Slice`] (its rows of the batch), computes
//! the first slice itself, gathers the helpers' [`HelperToLead::Grads`], averages, sends
//! [`LeadToHelper::Apply`] with the average and takes the same step. Validation and test images
//! are scored the same way: each helper scores a part ([`LeadToHelper::Score`]) at the weights
//! every replica holds. The lead can only write [`LeadToHelper`], a helper [`HelperToLead`].

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::{Poll, Waker};

use burn::prelude::Device;
use js_sys::{Array, Float32Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{HelperToLead, LeadToHelper, ScoringData, TrainingData, WorkerFailure};
use crate::model::NinConfig;
use crate::training::parallel::{Helpers, LocalFuture, Replica, ScoreSet, SliceGrads, flatten, unflatten};
use crate::training::{TrainError, TrainSettings};

#[wasm_bindgen]
extern "C" {
    /// One end of a `MessageChannel`.
    #[wasm_bindgen(js_name = MessagePort)]
    pub type Port;
    #[wasm_bindgen(method, js_name = postMessage, catch)]
    fn post_message(this: &Port, message: &JsValue, transfer: &Array) -> Result<(), JsValue>;
    #[wasm_bindgen(method, setter)]
    fn set_onmessage(this: &Port, handler: &Function);
}

/// Sends `msg` with `grads` (moved, not copied) over `port`.
fn send<M: Serialize>(port: &Port, msg: &M, grads: Option<&[f32]>) -> Result<(), String> {
    let value = serde_wasm_bindgen::to_value(msg).map_err(|e| e.to_string())?;
    let envelope = Object::new();
    let transfer = Array::new();
    let _ = Reflect::set(&envelope, &"msg".into(), &value);
    if let Some(grads) = grads {
        let array = Float32Array::from(grads);
        transfer.push(&array.buffer());
        let _ = Reflect::set(&envelope, &"grads".into(), &array);
    }
    port.post_message(&envelope, &transfer).map_err(|e| crate::engine::webgpu::js_error_text(&e))
}

/// A received message and its float buffer (gradients or logits; empty when it has none).
fn receive<M: DeserializeOwned>(data: &JsValue) -> Result<(M, Vec<f32>), String> {
    let msg = Reflect::get(data, &"msg".into()).map_err(|e| format!("{e:?}"))?;
    let msg = serde_wasm_bindgen::from_value(msg).map_err(|e| e.to_string())?;
    let grads = Reflect::get(data, &"grads".into()).ok().and_then(|g| g.dyn_into::<Float32Array>().ok()).map(|a| a.to_vec()).unwrap_or_default();
    Ok((msg, grads))
}

/// Messages in arrival order, filled by a port's handler, and the task waiting for the next one.
struct Queue<M> {
    messages: VecDeque<Result<(M, Vec<f32>), String>>,
    waiting: Option<Waker>,
}

type Inbox<M> = Rc<RefCell<Queue<M>>>;

fn listen<M: DeserializeOwned + 'static>(port: &Port) -> (Inbox<M>, Closure<dyn FnMut(web_sys::MessageEvent)>) {
    let inbox: Inbox<M> = Rc::new(RefCell::new(Queue { messages: VecDeque::new(), waiting: None }));
    let filled = inbox.clone();
    let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let waiting = {
            let mut queue = filled.borrow_mut();
            queue.messages.push_back(receive(&event.data()));
            queue.waiting.take()
        };
        if let Some(waker) = waiting {
            waker.wake();
        }
    });
    port.set_onmessage(handler.as_ref().unchecked_ref());
    (inbox, handler)
}

/// The lead worker's view of its helpers.
pub struct PortHelpers {
    ports: Vec<Port>,
    inboxes: Vec<Inbox<HelperToLead>>,
    /// Each parameter's number of values (how a received buffer splits).
    sizes: Vec<usize>,
    _handlers: Vec<Closure<dyn FnMut(web_sys::MessageEvent)>>,
}

impl PortHelpers {
    /// `ports`: one per helper, in rank order; `sizes`: the model's parameter sizes.
    pub fn new(ports: Vec<JsValue>, sizes: Vec<usize>) -> Self {
        let ports: Vec<Port> = ports.into_iter().map(JsCast::unchecked_into).collect();
        let (inboxes, handlers) = ports.iter().map(listen).unzip();
        PortHelpers { ports, inboxes, sizes, _handlers: handlers }
    }
}

fn replica_error(helper: usize, what: impl std::fmt::Display) -> TrainError {
    TrainError::Replica(format!("worker {}: {what}", helper + 2))
}

impl Helpers for PortHelpers {
    fn count(&self) -> usize {
        self.ports.len()
    }

    fn compute(&self, helper: usize, indices: &[usize]) -> Result<(), TrainError> {
        let rows = indices.iter().map(|&i| i as u32).collect();
        send(&self.ports[helper], &LeadToHelper::Slice { rows }, None).map_err(|e| replica_error(helper, e))
    }

    fn gather(&self) -> LocalFuture<'_, Result<Vec<SliceGrads>, TrainError>> {
        Box::pin(async move {
            let mut out = Vec::with_capacity(self.ports.len());
            for (helper, inbox) in self.inboxes.iter().enumerate() {
                match next(inbox).await.map_err(|e| replica_error(helper, e))? {
                    (HelperToLead::Grads { images, loss_sum, correct, weights_sum }, grads) => {
                        let params = unflatten(&grads, &self.sizes).map_err(|e| replica_error(helper, e))?;
                        out.push(SliceGrads { images: images as usize, params, loss_sum, correct: correct as usize, weights_sum });
                    }
                    (HelperToLead::Failed(m), _) => return Err(replica_error(helper, m)),
                    (other, _) => return Err(replica_error(helper, format!("unexpected message {other:?}"))),
                }
            }
            Ok(out)
        })
    }

    fn apply(&self, averaged: &[Vec<f32>]) -> Result<(), TrainError> {
        let flat = flatten(averaged);
        for (helper, port) in self.ports.iter().enumerate() {
            send(port, &LeadToHelper::Apply, Some(&flat)).map_err(|e| replica_error(helper, e))?;
        }
        Ok(())
    }

    fn score(&self, helper: usize, set: ScoreSet, indices: &[usize]) -> Result<(), TrainError> {
        let rows = indices.iter().map(|&i| i as u32).collect();
        send(&self.ports[helper], &LeadToHelper::Score { test: set == ScoreSet::Test, rows }, None).map_err(|e| replica_error(helper, e))
    }

    fn gather_logits(&self) -> LocalFuture<'_, Result<Vec<Vec<f32>>, TrainError>> {
        Box::pin(async move {
            let mut out = Vec::with_capacity(self.ports.len());
            for (helper, inbox) in self.inboxes.iter().enumerate() {
                match next(inbox).await.map_err(|e| replica_error(helper, e))? {
                    (HelperToLead::Logits, logits) => out.push(logits),
                    (HelperToLead::Failed(m), _) => return Err(replica_error(helper, m)),
                    (other, _) => return Err(replica_error(helper, format!("unexpected message {other:?}"))),
                }
            }
            Ok(out)
        })
    }
}

/// The next message of `inbox`, once it has come: the port's handler wakes this task when a
/// message arrives (a helper that died is reported to the page, which ends the run and every
/// worker).
fn next<M>(inbox: &Inbox<M>) -> impl Future<Output = Result<(M, Vec<f32>), String>> + '_ {
    std::future::poll_fn(move |cx| {
        let mut queue = inbox.borrow_mut();
        match queue.messages.pop_front() {
            Some(message) => Poll::Ready(message),
            None => {
                queue.waiting = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    })
}

/// A helper worker: builds its replica and answers the lead over `port` until the page ends
/// the worker. A failure goes to the lead (over the port) and is returned (for the page).
pub async fn help(config: NinConfig, settings: TrainSettings, rank: u64, data: TrainingData, port: JsValue) -> WorkerFailure {
    let port: Port = port.unchecked_into();
    let (inbox, _handler) = listen(&port);
    let failure = serve(&config, &settings, rank, data, &inbox, &port).await;
    let _ = send(&port, &HelperToLead::Failed(failure.to_string()), None);
    failure
}

async fn serve(config: &NinConfig, settings: &TrainSettings, rank: u64, data: TrainingData, inbox: &Inbox<LeadToHelper>, port: &Port) -> WorkerFailure {
    let TrainingData { train, test } = data;
    // As the lead checks: the model must run at this size before any tensor exists.
    if let Err(e) = crate::analysis::plan(config, settings.input(config.input_channels)) {
        return WorkerFailure::Train(e.into());
    }
    let mut replica = match Replica::new(config, settings, &Device::flex(), rank) {
        Ok(r) => r,
        Err(e) => return e.into(),
    };
    let sizes = replica.param_sizes();
    loop {
        match next(inbox).await {
            Ok((LeadToHelper::Slice { rows }, _)) => {
                let rows: Vec<usize> = rows.into_iter().map(|r| r as usize).collect();
                match replica.gradients(&train, &rows).await {
                    Ok(g) => {
                        let msg = HelperToLead::Grads { images: g.images as u32, loss_sum: g.loss_sum, correct: g.correct as u32, weights_sum: g.weights_sum };
                        if let Err(e) = send(port, &msg, Some(&flatten(&g.params))) {
                            return WorkerFailure::Crashed(e);
                        }
                    }
                    Err(e) => return e.into(),
                }
            }
            Ok((LeadToHelper::Apply, grads)) => {
                let applied = unflatten(&grads, &sizes).and_then(|g| replica.apply(g));
                if let Err(e) = applied {
                    return WorkerFailure::Train(TrainError::Replica(e.to_string()));
                }
            }
            Ok((LeadToHelper::Score { test: on_test, rows }, _)) => {
                let rows: Vec<usize> = rows.into_iter().map(|r| r as usize).collect();
                match replica.logits(if on_test { &test } else { &train }, &rows).await {
                    Ok(logits) => {
                        if let Err(e) = send(port, &HelperToLead::Logits, Some(&logits)) {
                            return WorkerFailure::Crashed(e);
                        }
                    }
                    Err(e) => return e.into(),
                }
            }
            Err(e) => return WorkerFailure::Protocol(e),
        }
    }
}

/// A helper worker of a [`super::ToRun::Score`]: loads the weights and scores the parts of the
/// test images the lead asks for, until the page ends the worker.
pub async fn help_score(config: NinConfig, settings: TrainSettings, data: ScoringData, port: JsValue) -> WorkerFailure {
    let port: Port = port.unchecked_into();
    let (inbox, _handler) = listen(&port);
    let failure = serve_scores(&config, &settings, data, &inbox, &port).await;
    let _ = send(&port, &HelperToLead::Failed(failure.to_string()), None);
    failure
}

async fn serve_scores(config: &NinConfig, settings: &TrainSettings, data: ScoringData, inbox: &Inbox<LeadToHelper>, port: &Port) -> WorkerFailure {
    let ScoringData { weights, test } = data;
    let weights = weights.0;
    if let Err(e) = crate::analysis::plan(config, settings.input(config.input_channels)) {
        return WorkerFailure::Train(e.into());
    }
    let device = Device::flex();
    let model = match crate::training::record::from_bytes(weights, config, &device) {
        Ok(m) => m,
        Err(e) => return WorkerFailure::Weights(e.to_string()),
    };
    loop {
        let message = match next(inbox).await {
            Ok(m) => m,
            Err(e) => return WorkerFailure::Protocol(e),
        };
        match message {
            (LeadToHelper::Score { test: true, rows }, _) => {
                let rows: Vec<usize> = rows.into_iter().map(|r| r as usize).collect();
                if rows.iter().any(|&r| r >= test.len()) {
                    return WorkerFailure::Train(TrainError::Replica(format!("rows beyond the {} test images asked for", test.len())));
                }
                let logits = match crate::training::scoring::score(&model, &test, &rows, settings, &device, &|_| std::future::ready(()), |_| ()).await {
                    Ok(l) => l,
                    Err(e) => return e.into(),
                };
                if let Err(e) = send(port, &HelperToLead::Logits, Some(&logits)) {
                    return WorkerFailure::Crashed(e);
                }
            }
            (other, _) => return WorkerFailure::Protocol(format!("a scoring helper got {other:?}")),
        }
    }
}
