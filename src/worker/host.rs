//! The page's side: starts a worker (a CPU worker running the page's own module, or a GPU
//! worker running the GPU module), sends it [`ToWorker`] messages, and hands each
//! [`FromWorker`] message (with its buffers) to a callback. Dropping the handle terminates
//! the worker.
//!
//! `Worker` is bound here by hand (five members) rather than through web-sys: enabling
//! web-sys's `Worker` feature would rebuild web-sys and every crate above it (wgpu, Leptos), a
//! ~50 min cold wasm build on CI's two cores.

use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

use super::envelope::{decode, encode_with_ports};
use super::{CPU_SCRIPT, FromWorker, GPU_SCRIPT, ToWorker, WorkerFailure};
use crate::engine::BackendKind;

#[wasm_bindgen(inline_js = r#"
// The URL of this page's wasm-bindgen glue: trunk preloads it as `nin-companion-<hash>.js`.
export function glue_url() {
  const links = [...document.querySelectorAll('link[rel="modulepreload"]')].map((l) => l.href);
  return links.find((h) => /\/nin-companion-[0-9a-f]+\.js$/.test(new URL(h).pathname)) ?? '';
}
// A worker script's content-hashed name, which scripts/post_build.mjs puts in a <meta> tag.
export function worker_script(name, fallback) {
  return document.querySelector(`meta[name="${name}"]`)?.content || fallback;
}
"#)]
extern "C" {
    fn glue_url() -> String;
    fn worker_script(name: &str, fallback: &str) -> String;
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

/// A running worker.
pub struct TrainingWorker {
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
    pub fn spawn(kind: BackendKind, deliver: impl Fn(Result<(FromWorker, Vec<Vec<u8>>), WorkerFailure>) + Clone + 'static) -> Result<Self, WorkerFailure> {
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
            on_error_deliver(Err(if message.is_empty() { WorkerFailure::Unavailable(format!("{name} could not be loaded")) } else { WorkerFailure::Crashed(message) }));
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

    /// Sends `msg` with `buffers` (copied once into transferable arrays).
    pub fn send(&self, msg: &ToWorker, buffers: &[&[u8]]) -> Result<(), WorkerFailure> {
        self.send_with_ports(msg, buffers, &[])
    }

    /// [`Self::send`] with `MessagePort`s that move to the worker.
    pub fn send_with_ports(&self, msg: &ToWorker, buffers: &[&[u8]], ports: &[JsValue]) -> Result<(), WorkerFailure> {
        let out = encode_with_ports(msg, buffers, ports).map_err(WorkerFailure::Protocol)?;
        self.worker.post_message(&out.value, &out.transfer).map_err(|e| WorkerFailure::Crashed(text(&e)))
    }
}

impl Drop for TrainingWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
