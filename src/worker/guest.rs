//! The worker's side: listens for [`ToWorker`] messages, opens the asked-for device (Burn's CPU
//! backend, or WebGPU through the worker's own `navigator.gpu`), trains with [`session`], and
//! posts [`FromWorker`] messages back. Started once by `src/worker_main.rs`.

use std::cell::Cell;
use std::rc::Rc;

use burn::prelude::Device;
use gloo_timers::future::TimeoutFuture;
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::envelope::{decode, encode};
use super::{FromWorker, ToWorker, WorkerFailure, buffers, dataset, datasets};
use crate::engine::BackendKind;
use crate::model::NinConfig;
use crate::training::session::{self, Control, Ended};
use crate::training::{TrainSettings, Trainer, record};

#[wasm_bindgen]
extern "C" {
    /// The dedicated worker's global scope (`self`).
    type Scope;
    #[wasm_bindgen(method, js_name = postMessage)]
    fn post_message(this: &Scope, message: &JsValue, transfer: &Array);
}

fn post(msg: &FromWorker, buffers: &[&[u8]]) {
    let scope: Scope = js_sys::global().unchecked_into();
    match encode(msg, buffers) {
        Ok(out) => scope.post_message(&out.value, &out.transfer),
        // Nothing else can be reported: say so on the worker's console.
        Err(e) => web_sys::console::error_1(&format!("nin-worker: cannot encode a message: {e}").into()),
    }
}

fn sleep(ms: u32) -> TimeoutFuture {
    TimeoutFuture::new(ms)
}

/// Installs the message handler and says it is ready.
pub fn start() {
    std::panic::set_hook(Box::new(|info| post(&FromWorker::Failed(WorkerFailure::Crashed(info.to_string())), &[])));
    let control = Rc::new(Cell::new(Control::Run));
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        match decode::<ToWorker>(&event.data()) {
            Ok((ToWorker::Train { config, settings, backend }, buffers)) => {
                control.set(Control::Run);
                spawn_local(run(config, settings, backend, buffers, control.clone()));
            }
            Ok((ToWorker::Test { config, settings, backend }, buffers)) => spawn_local(score(config, settings, backend, buffers)),
            Ok((ToWorker::Control(c), _)) => control.set(c),
            Err(e) => post(&FromWorker::Failed(WorkerFailure::Protocol(e)), &[]),
        }
    });
    let set = js_sys::Reflect::set(&js_sys::global(), &"onmessage".into(), on_message.as_ref());
    if set.is_err() {
        post(&FromWorker::Failed(WorkerFailure::Crashed("cannot listen for messages".into())), &[]);
        return;
    }
    // The handler lives as long as the worker.
    on_message.forget();
    post(&FromWorker::Ready, &[]);
}

fn emit(event: session::Event) {
    post(&FromWorker::Event(event), &[]);
}

/// The last message of a job.
fn end(result: Result<Ended, WorkerFailure>) {
    match result {
        Ok(ended) => post(&FromWorker::Ended(ended), &[]),
        Err(e) => post(&FromWorker::Failed(e), &[]),
    }
}

/// The worker's own device for `backend`.
async fn open(backend: BackendKind) -> Result<Device, WorkerFailure> {
    match backend {
        BackendKind::Cpu => Ok(Device::flex()),
        // Not `engine::webgpu::start_webgpu`: the page has already probed the adapter, and that
        // probe is an inline JS snippet, which a no-modules worker script cannot import.
        BackendKind::WebGpu => {
            // Checked first, so that the message names the cause.
            if !worker_has_webgpu() {
                return Err(WorkerFailure::NoWebGpu("navigator.gpu is missing".into()));
            }
            Device::wgpu_options().init_async().await.map_err(|e| WorkerFailure::NoWebGpu(e.to_string()))
        }
    }
}

/// Whether the worker's global scope has `navigator.gpu` (browsers may offer WebGPU to pages only).
fn worker_has_webgpu() -> bool {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).unwrap_or(JsValue::UNDEFINED);
    !navigator.is_undefined() && js_sys::Reflect::get(&navigator, &"gpu".into()).is_ok_and(|gpu| !gpu.is_undefined() && !gpu.is_null())
}

/// One run: train, send the weights, score the test set, end.
async fn run(config: NinConfig, settings: TrainSettings, backend: BackendKind, buffers: Vec<Vec<u8>>, control: Rc<Cell<Control>>) {
    let result = async {
        let (train, test) = datasets(buffers)?;
        emit(session::Event::Stage(session::Stage::Building));
        let device = open(backend).await?;
        let mut trainer = Trainer::new(&config, &settings, &train, &device)?;
        let ended = session::train(&mut trainer, &train, backend, || control.get(), emit, sleep).await?;
        let model = trainer.eval_model();
        let bytes = record::to_bytes(&model, &config).await.map_err(|e| WorkerFailure::Weights(e.to_string()))?;
        post(&FromWorker::Weights, &[&bytes]);
        if ended == Ended::Finished {
            let (report, images) = session::test(&model, &test, &settings, &trainer.eval_device(), emit, sleep).await?;
            post(&FromWorker::Report { report, images }, &[]);
        }
        Ok(ended)
    };
    end(result.await);
}

/// Scores the test set with loaded weights.
async fn score(config: NinConfig, settings: TrainSettings, backend: BackendKind, data: Vec<Vec<u8>>) {
    let result = async {
        let [weights, images, labels] = buffers(data)?;
        let test = dataset(images, labels, "test set")?;
        let device = open(backend).await?;
        let model = record::from_bytes(weights, &config, &device).map_err(|e| WorkerFailure::Weights(e.to_string()))?;
        let (report, images) = session::test(&model, &test, &settings, &device, emit, sleep).await?;
        post(&FromWorker::Report { report, images }, &[]);
        Ok(Ended::Finished)
    };
    end(result.await);
}
