//! The page's GPU engine: one long-lived GPU worker (the GPU module, fetched only where the
//! page's probe found an adapter Burn can use) that opens WebGPU once and answers the shape
//! cell's summaries. Training runs on WebGPU get workers of their own ([`super::Run`]).

use std::cell::RefCell;
use std::rc::Rc;

use futures::StreamExt;
use futures::channel::mpsc::{UnboundedReceiver, unbounded};
use futures::lock::Mutex;

use crate::analysis::InputShape;
use crate::engine::code_summary::{CodeReport, CodeRunError};
use crate::engine::{AdapterReport, BackendKind, CpuReason, SummaryError, SummaryReport};
use crate::model::NinConfig;
use crate::worker::host::{EngineWorker, Incoming};
use crate::worker::{FromEngine, ToEngine, WorkerFailure};

type Answers = UnboundedReceiver<Result<Incoming<FromEngine>, WorkerFailure>>;

struct Engine {
    worker: EngineWorker,
    /// The worker's answers; held for a whole request, so each answer meets its question.
    answers: Mutex<Answers>,
}

thread_local! {
    static ENGINE: RefCell<Option<Rc<Engine>>> = const { RefCell::new(None) };
}

/// The next answer (woken by the worker's message).
async fn next(answers: &mut Answers) -> Result<Incoming<FromEngine>, WorkerFailure> {
    answers.next().await.unwrap_or_else(|| Err(WorkerFailure::Crashed("the GPU engine stopped".into())))
}

fn reason(failure: WorkerFailure) -> CpuReason {
    match failure {
        WorkerFailure::NoWebGpu(reason) => reason,
        other => CpuReason::InitFailed(other.to_string()),
    }
}

/// Starts the GPU worker and opens WebGPU there; the adapter it opened, or why it could not.
pub async fn start() -> Result<AdapterReport, CpuReason> {
    let (tx, answers) = unbounded();
    let worker = EngineWorker::spawn(BackendKind::WebGpu, move |m| {
        let _ = tx.unbounded_send(m);
    })
    .map_err(reason)?;
    let engine = Rc::new(Engine { worker, answers: Mutex::new(answers) });
    let mut answers = engine.answers.lock().await;
    loop {
        match next(&mut answers).await.map_err(reason)? {
            Incoming::Ready => engine.worker.send(ToEngine::Open, &(), &[]).map_err(reason)?,
            Incoming::Message(FromEngine::Opened(adapter), _) => {
                drop(answers);
                ENGINE.with(|e| *e.borrow_mut() = Some(engine));
                return Ok(adapter);
            }
            Incoming::Message(FromEngine::Summary(_) | FromEngine::CodeSummary(_), _) => {}
        }
    }
}

/// The shape summary on the GPU worker's device. A failed worker is a [`SummaryError::Worker`]
/// (the page then goes on on the CPU).
pub async fn summary(config: &NinConfig, input: InputShape, buffer_limit: u64) -> Result<SummaryReport, SummaryError> {
    let engine = ENGINE.with(|e| e.borrow().clone()).ok_or_else(|| SummaryError::Worker("the WebGPU engine is not running".into()))?;
    let mut answers = engine.answers.lock().await;
    engine.worker.send(ToEngine::Summary { config: config.clone(), input, buffer_limit }, &(), &[]).map_err(|e| SummaryError::Worker(e.to_string()))?;
    loop {
        match next(&mut answers).await {
            Ok(Incoming::Message(FromEngine::Summary(result), _)) => return result,
            Ok(Incoming::Ready | Incoming::Message(FromEngine::Opened(_) | FromEngine::CodeSummary(_), _)) => {}
            Err(failure) => {
                // A worker that failed once is not trusted again.
                ENGINE.with(|e| *e.borrow_mut() = None);
                return Err(SummaryError::Worker(failure.to_string()));
            }
        }
    }
}

/// The code cell's program on the GPU worker's device.
pub async fn code_summary(source: &str, buffer_limit: u64) -> Result<CodeReport, CodeRunError> {
    let engine = ENGINE.with(|e| e.borrow().clone()).ok_or_else(|| CodeRunError::Worker("the WebGPU engine is not running".into()))?;
    let mut answers = engine.answers.lock().await;
    engine.worker.send(ToEngine::CodeSummary { source: source.to_string(), buffer_limit }, &(), &[]).map_err(|e| CodeRunError::Worker(e.to_string()))?;
    loop {
        match next(&mut answers).await {
            Ok(Incoming::Message(FromEngine::CodeSummary(result), _)) => return result,
            Ok(Incoming::Ready | Incoming::Message(FromEngine::Opened(_) | FromEngine::Summary(_), _)) => {}
            Err(failure) => {
                ENGINE.with(|e| *e.borrow_mut() = None);
                return Err(CodeRunError::Worker(failure.to_string()));
            }
        }
    }
}

/// Stops the engine (after a GPU fault: its device cannot be trusted).
pub fn stop() {
    ENGINE.with(|e| *e.borrow_mut() = None);
}
