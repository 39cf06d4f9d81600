//! The page's GPU engine: one long-lived GPU worker (the GPU module, fetched only where the
//! page's probe found an adapter Burn can use) that opens WebGPU once and answers the shape
//! cell's summaries. Training runs on WebGPU get workers of their own (`train_run`).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;

use crate::analysis::InputShape;
use crate::engine::{AdapterReport, BackendKind, CpuReason, SummaryError, SummaryReport};
use crate::model::NinConfig;
use crate::worker::host::TrainingWorker;
use crate::worker::{FromWorker, ToWorker, WorkerFailure};

type Inbox = Rc<RefCell<VecDeque<Result<FromWorker, WorkerFailure>>>>;

struct Engine {
    worker: TrainingWorker,
    inbox: Inbox,
}

thread_local! {
    static ENGINE: RefCell<Option<Rc<Engine>>> = const { RefCell::new(None) };
}

impl Engine {
    /// The next message from the worker (polled: the page's other work goes on meanwhile).
    async fn next(&self) -> Result<FromWorker, WorkerFailure> {
        loop {
            if let Some(message) = self.inbox.borrow_mut().pop_front() {
                return message;
            }
            TimeoutFuture::new(20).await;
        }
    }
}

fn reason(failure: WorkerFailure) -> CpuReason {
    match failure {
        WorkerFailure::NoWebGpu(reason) => reason,
        other => CpuReason::InitFailed(other.to_string()),
    }
}

/// Starts the GPU worker and opens WebGPU there; the adapter it opened, or why it could not.
pub async fn start() -> Result<AdapterReport, CpuReason> {
    let inbox: Inbox = Rc::default();
    let deliver = {
        let inbox = inbox.clone();
        move |message: Result<(FromWorker, Vec<Vec<u8>>), WorkerFailure>| inbox.borrow_mut().push_back(message.map(|(m, _)| m))
    };
    let worker = TrainingWorker::spawn(BackendKind::WebGpu, deliver).map_err(reason)?;
    let engine = Rc::new(Engine { worker, inbox });
    loop {
        match engine.next().await.map_err(reason)? {
            FromWorker::Ready => engine.worker.send(&ToWorker::Open, &[]).map_err(reason)?,
            FromWorker::Opened(adapter) => {
                ENGINE.with(|e| *e.borrow_mut() = Some(engine));
                return Ok(adapter);
            }
            FromWorker::Failed(failure) => return Err(reason(failure)),
            _ => {}
        }
    }
}

/// The shape summary on the GPU worker's device. A failed worker is a [`SummaryError::Worker`]
/// (the page then goes on on the CPU).
pub async fn summary(config: &NinConfig, input: InputShape, buffer_limit: u64) -> Result<SummaryReport, SummaryError> {
    let engine = ENGINE.with(|e| e.borrow().clone()).ok_or_else(|| SummaryError::Worker("the WebGPU engine is not running".into()))?;
    engine.worker.send(&ToWorker::Summary { config: config.clone(), input, buffer_limit }, &[]).map_err(|e| SummaryError::Worker(e.to_string()))?;
    loop {
        match engine.next().await {
            Ok(FromWorker::Summary(result)) => return result,
            Ok(FromWorker::Failed(failure)) | Err(failure) => {
                // A worker that failed once is not trusted again.
                ENGINE.with(|e| *e.borrow_mut() = None);
                return Err(SummaryError::Worker(failure.to_string()));
            }
            Ok(_) => {}
        }
    }
}

/// Stops the engine (after a GPU fault: its device cannot be trusted).
pub fn stop() {
    ENGINE.with(|e| *e.borrow_mut() = None);
}
