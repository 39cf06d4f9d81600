//! The page's side: starts a worker (a CPU worker running the page's own module, or a GPU
//! worker running the GPU module) in one role ([`EngineWorker`], [`RunWorker`],
//! [`HelperWorker`]), sends it that role's messages with their typed buffers, and hands each
//! answer of that role to a callback. Dropping the handle terminates the worker. Only
//! `crate::client` uses this.
//!
//! `Worker` is bound here by hand (five members) rather than through web-sys: enabling
//! web-sys's `Worker` feature would rebuild web-sys and every crate above it (wgpu, Leptos), a
//! ~50 min cold wasm build on CI's two cores.

use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

use std::marker::PhantomData;

use super::envelope::{decode, encode_with_ports};
use super::{Buffers, CPU_SCRIPT, FromEngine, FromRun, FromWorker, GPU_SCRIPT, ToEngine, ToHelper, ToRun, ToWorker, WorkerFailure};
use crate::engine::BackendKind;

#[wasm_bindgen(module = "/src/js/worker_host.js")]
extern "C" {
    fn glue_url() -> String;
    fn worker_script(name: &str, fallback: &str) -> String;
    fn quiet(worker: &JsWorker);
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = Worker)]
    type JsWorker;
    #[wasm_bindgen(constructor, js_class = "Worker", catch)]
    fn new(url: &str, options: &JsValue) -> Result<JsWorker, JsValue>;
    #[wasm_bindgen(method, js_class = "Worker", js_name = postMessage, catch)]
    fn post_message(this: &JsWorker, message: &JsValue, transfer: &Array) -> Result<(), JsValue>;
    #[wasm_bindgen(method, js_class = "Worker")]
    fn terminate(this: &JsWorker);
    #[wasm_bindgen(method, setter, js_class = "Worker")]
    fn set_onmessage(this: &JsWorker, handler: &Function);
    #[wasm_bindgen(method, setter, js_class = "Worker")]
    fn set_onerror(this: &JsWorker, handler: &Function);

    #[wasm_bindgen(js_name = MessageChannel)]
    type Channel;
    #[wasm_bindgen(constructor, js_class = "MessageChannel", catch)]
    fn new() -> Result<Channel, JsValue>;
    #[wasm_bindgen(method, getter, js_class = "MessageChannel")]
    fn port1(this: &Channel) -> JsValue;
    #[wasm_bindgen(method, getter, js_class = "MessageChannel")]
    fn port2(this: &Channel) -> JsValue;
}

/// The two ends of a new `MessageChannel` (one for a lead worker, one for a helper).
pub fn channel() -> Result<(JsValue, JsValue), WorkerFailure> {
    let c = Channel::new().map_err(|e| WorkerFailure::Unavailable(format!("MessageChannel: {}", text(&e))))?;
    Ok((c.port1(), c.port2()))
}

/// A running worker, in no role yet (see [`RoleWorker`]).
struct TrainingWorker {
    worker: JsWorker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

fn text(e: &JsValue) -> String {
    crate::engine::webgpu::js_error_text(e)
}

impl TrainingWorker {
    /// Starts a worker for `kind`. `deliver` gets every message, or a [`WorkerFailure`] when a
    /// message cannot be read or the worker's script fails (not found, crashed).
    fn spawn(kind: BackendKind, deliver: impl Fn(Result<(FromWorker, Vec<Vec<u8>>), WorkerFailure>) + Clone + 'static) -> Result<Self, WorkerFailure> {
        let (script, options) = match kind {
            BackendKind::Cpu => {
                let options = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&options, &"type".into(), &"module".into());
                (worker_script("nin-cpu-worker", CPU_SCRIPT), JsValue::from(options))
            }
            BackendKind::WebGpu => (worker_script("nin-gpu-worker", GPU_SCRIPT), JsValue::UNDEFINED),
        };
        let worker = JsWorker::new(&script, &options).map_err(|e| WorkerFailure::Unavailable(format!("{script}: {}", text(&e))))?;
        let on_error_deliver = deliver.clone();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            deliver(decode::<FromWorker>(&event.data()).map_err(WorkerFailure::Protocol));
        });
        // An ErrorEvent when the worker's code throws; a plain Event when its script cannot load.
        let name = script.clone();
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            // Handled here: the failure is shown in the cell, not reported as a page error.
            event.unchecked_ref::<web_sys::Event>().prevent_default();
            let message = js_sys::Reflect::get(&event, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
            on_error_deliver(Err(if message.is_empty() {
                WorkerFailure::Unavailable(format!("{name} could not be loaded"))
            } else {
                WorkerFailure::Crashed(message)
            }));
        });
        worker.set_onmessage(on_message.as_ref().unchecked_ref());
        worker.set_onerror(on_error.as_ref().unchecked_ref());
        let handle = Self { worker, _on_message: on_message, _on_error: on_error };
        if kind == BackendKind::Cpu {
            // The CPU worker runs this page's own module: send it the compiled module and the
            // glue's URL (www/worker.js imports the glue and instantiates the module).
            let glue = glue_url();
            if glue.is_empty() {
                return Err(WorkerFailure::Unavailable("the page's own script could not be found to start the worker".into()));
            }
            let boot = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&boot, &"glue".into(), &glue.into());
            let _ = js_sys::Reflect::set(&boot, &"module".into(), &wasm_bindgen::module());
            handle.worker.post_message(&boot, &Array::new()).map_err(|e| WorkerFailure::Unavailable(text(&e)))?;
        }
        Ok(handle)
    }

    /// Sends `msg` with `buffers` (copied once into transferable arrays) and `MessagePort`s
    /// that move to the worker.
    fn send(&self, msg: &ToWorker, buffers: &[&[u8]], ports: &[JsValue]) -> Result<(), WorkerFailure> {
        let out = encode_with_ports(msg, buffers, ports).map_err(WorkerFailure::Protocol)?;
        self.worker.post_message(&out.value, &out.transfer).map_err(|e| WorkerFailure::Crashed(text(&e)))
    }
}

/// What a worker in role `R` said: that it is ready, or one of the role's own answers with its
/// buffers. A failure (any role's `Failed`, a crash, an unreadable message, another role's
/// answer) is the `Err` beside it.
pub enum Incoming<T> {
    Ready,
    Message(T, Vec<Vec<u8>>),
}

/// A role a worker plays: the messages the page may write to it and the answers it reads.
pub trait Role: 'static {
    type To;
    type From;
    fn wrap(msg: Self::To) -> ToWorker;
    fn pick(msg: FromWorker) -> Result<Self::From, WorkerFailure>;
}

/// The long-lived GPU engine (shape summaries).
pub enum Engine {}
/// A run's worker (a GPU worker, or the lead CPU worker).
pub enum Run {}
/// A CPU helper of a data-parallel run (it answers its lead, not the page).
pub enum Helper {}

fn wrong_role(role: &str, msg: &FromWorker) -> WorkerFailure {
    WorkerFailure::Protocol(format!("a {role} worker sent {msg:?}"))
}

impl Role for Engine {
    type To = ToEngine;
    type From = FromEngine;
    fn wrap(msg: ToEngine) -> ToWorker {
        ToWorker::Engine(msg)
    }
    fn pick(msg: FromWorker) -> Result<FromEngine, WorkerFailure> {
        match msg {
            FromWorker::Engine(m) => Ok(m),
            other => Err(wrong_role("GPU engine", &other)),
        }
    }
}

impl Role for Run {
    type To = ToRun;
    type From = FromRun;
    fn wrap(msg: ToRun) -> ToWorker {
        ToWorker::Run(msg)
    }
    fn pick(msg: FromWorker) -> Result<FromRun, WorkerFailure> {
        match msg {
            FromWorker::Run(m) => Ok(m),
            other => Err(wrong_role("run", &other)),
        }
    }
}

impl Role for Helper {
    type To = ToHelper;
    /// A helper says nothing to the page but that it is ready or failed.
    type From = std::convert::Infallible;
    fn wrap(msg: ToHelper) -> ToWorker {
        ToWorker::Helper(msg)
    }
    fn pick(msg: FromWorker) -> Result<Self::From, WorkerFailure> {
        Err(wrong_role("helper", &msg))
    }
}

/// A worker in role `R`: it can only be sent `R::To`, and its callback only gets `R::From`.
pub struct RoleWorker<R: Role> {
    worker: TrainingWorker,
    role: PhantomData<R>,
}

pub type EngineWorker = RoleWorker<Engine>;
pub type RunWorker = RoleWorker<Run>;
pub type HelperWorker = RoleWorker<Helper>;

impl<R: Role> RoleWorker<R> {
    /// Starts a worker for `kind` in role `R`; `deliver` gets each of its messages.
    pub fn spawn(kind: BackendKind, deliver: impl Fn(Result<Incoming<R::From>, WorkerFailure>) + Clone + 'static) -> Result<Self, WorkerFailure> {
        let worker = TrainingWorker::spawn(kind, move |message| {
            deliver(match message {
                Ok((FromWorker::Ready, _)) => Ok(Incoming::Ready),
                Ok((FromWorker::Failed(failure), _)) => Err(failure),
                Ok((other, buffers)) => R::pick(other).map(|m| Incoming::Message(m, buffers)),
                Err(e) => Err(e),
            })
        })?;
        Ok(RoleWorker { worker, role: PhantomData })
    }

    /// Sends `msg` with its typed `buffers` (transferred) and `ports` (moved to the worker).
    pub fn send(&self, msg: R::To, buffers: &impl Buffers, ports: &[JsValue]) -> Result<(), WorkerFailure> {
        self.worker.send(&R::wrap(msg), &buffers.views(), ports)
    }
}

impl Drop for TrainingWorker {
    fn drop(&mut self) {
        // The page now drops a job's workers as soon as its last message arrives (the client
        // wakes on it), often before the error event a panicking worker also queues.
        quiet(&self.worker);
        self.worker.terminate();
    }
}
