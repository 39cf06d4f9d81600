//! The page's side: starts the worker, sends it [`ToWorker`] messages, and hands each
//! [`FromWorker`] message (with its buffers) to a callback. Dropping the handle terminates
//! the worker.
//!
//! `Worker` is bound here by hand (four members) rather than through web-sys: enabling web-sys's
//! `Worker` feature would rebuild web-sys and every crate above it (wgpu, Leptos), a ~50 min
//! cold wasm build on CI's two cores.

use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

use super::envelope::{decode, encode};
use super::{FromWorker, SCRIPT, ToWorker, WorkerFailure};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = Worker)]
    type JsWorker;
    #[wasm_bindgen(constructor, js_class = "Worker", catch)]
    fn new(url: &str) -> Result<JsWorker, JsValue>;
    #[wasm_bindgen(method, js_class = "Worker", js_name = postMessage, catch)]
    fn post_message(this: &JsWorker, message: &JsValue, transfer: &Array) -> Result<(), JsValue>;
    #[wasm_bindgen(method, js_class = "Worker")]
    fn terminate(this: &JsWorker);
    #[wasm_bindgen(method, setter, js_class = "Worker")]
    fn set_onmessage(this: &JsWorker, handler: &Function);
    #[wasm_bindgen(method, setter, js_class = "Worker")]
    fn set_onerror(this: &JsWorker, handler: &Function);
}

/// A running training worker.
pub struct TrainingWorker {
    worker: JsWorker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

impl TrainingWorker {
    /// Starts the worker. `on_message` gets every message, or a [`WorkerFailure`] when a
    /// message cannot be read or the worker's script fails (not found, crashed).
    pub fn spawn(deliver: impl Fn(Result<(FromWorker, Vec<Vec<u8>>), WorkerFailure>) + Clone + 'static) -> Result<Self, WorkerFailure> {
        let worker = JsWorker::new(SCRIPT).map_err(|e| WorkerFailure::Unavailable(format!("{SCRIPT}: {}", crate::engine::webgpu::js_error_text(&e))))?;
        let on_error_deliver = deliver.clone();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            deliver(decode::<FromWorker>(&event.data()).map_err(WorkerFailure::Protocol));
        });
        // An ErrorEvent when the worker's code throws; a plain Event when its script cannot load.
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            // Handled here: the failure is shown in the cell, not reported as a page error.
            event.unchecked_ref::<web_sys::Event>().prevent_default();
            let message = js_sys::Reflect::get(&event, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
            on_error_deliver(Err(if message.is_empty() { WorkerFailure::Unavailable(format!("{SCRIPT} could not be loaded")) } else { WorkerFailure::Crashed(message) }));
        });
        worker.set_onmessage(on_message.as_ref().unchecked_ref());
        worker.set_onerror(on_error.as_ref().unchecked_ref());
        Ok(Self { worker, _on_message: on_message, _on_error: on_error })
    }

    /// Sends `msg` with `buffers` (copied once into transferable arrays).
    pub fn send(&self, msg: &ToWorker, buffers: &[&[u8]]) -> Result<(), WorkerFailure> {
        let out = encode(msg, buffers).map_err(WorkerFailure::Protocol)?;
        self.worker.post_message(&out.value, &out.transfer).map_err(|e| WorkerFailure::Crashed(format!("{e:?}")))
    }
}

impl Drop for TrainingWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
