//! GPU failures as values. Burn's WebGPU runtime panics on an uncaptured WebGPU error
//! (cubecl-wgpu's `device_poison.rs`; wgpu's own handler panics on an internal error), and a
//! panic kills the page or the worker. So the device's error and loss events are taken over
//! here: the first fault is recorded, and the training loop and the cells check it after each
//! readback and turn it into a typed error the student can read and act on.
//!
//! One record per wasm instance: the page and each training worker have one device each.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// What went wrong with the GPU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum GpuFault {
    /// The device was lost: a driver reset, the browser reclaiming it, or `destroy()`.
    #[error("the GPU device was lost ({0})")]
    Lost(String),
    /// An allocation failed.
    #[error("the GPU ran out of memory ({0})")]
    OutOfMemory(String),
    /// A validation error: a bug in a kernel or a limit the run went past.
    #[error("the GPU refused a command ({0})")]
    Validation(String),
    /// The implementation failed, e.g. a shader that does not compile on this driver.
    #[error("the GPU reported an internal error ({0})")]
    Internal(String),
}

static FAULT: Mutex<Option<GpuFault>> = Mutex::new(None);

/// Records `fault` unless one is recorded already (the first is the cause; later errors on a
/// broken device follow from it).
pub fn record(fault: GpuFault) {
    let mut slot = FAULT.lock().unwrap_or_else(|e| e.into_inner());
    if slot.is_none() {
        *slot = Some(fault);
    }
}

/// The recorded fault, if any. It stays: a faulted device does not recover.
pub fn current() -> Option<GpuFault> {
    FAULT.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Forgets the recorded fault: only when the faulted device is no longer used (tests, or a
/// page that switched away from it).
pub fn clear() {
    *FAULT.lock().unwrap_or_else(|e| e.into_inner()) = None;
}

/// Forgets a recorded out-of-memory fault, and only that: an allocation that failed leaves the
/// device usable (unlike a loss), so once its request has been answered with the fault, the next
/// request starts clean. Returns whether one was forgotten.
pub fn forget_out_of_memory() -> bool {
    let mut slot = FAULT.lock().unwrap_or_else(|e| e.into_inner());
    let was = matches!(*slot, Some(GpuFault::OutOfMemory(_)));
    if was {
        *slot = None;
    }
    was
}

impl GpuFault {
    /// An allocation failed: the request was too large for the GPU, the device still works.
    /// Every other fault means the device cannot be trusted any more.
    pub fn is_out_of_memory(&self) -> bool {
        matches!(self, GpuFault::OutOfMemory(_))
    }
}

/// What a request on the GPU taught the page about its memory (see [`learn`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryEvent {
    /// A request estimated at this many bytes ran out of GPU memory.
    RanOut(u64),
    /// A request on the GPU went through.
    WentThrough,
    /// The student switched backends.
    Switched,
}

/// The GPU memory this page assumes after `event`, from what it assumed before (`None`:
/// nothing is assumed; `Some(n)`: a request of `n` bytes ran out, so as much is refused).
/// Browsers do not say how much memory a GPU has, and running out can be passing (another
/// tab or program held memory), so the limit never outlives the next success or a switch of
/// backend: no reload is needed to try again.
pub fn learn(known: Option<u64>, event: MemoryEvent) -> Option<u64> {
    match event {
        MemoryEvent::RanOut(bytes) => Some(known.map_or(bytes, |k| k.min(bytes))),
        MemoryEvent::WentThrough | MemoryEvent::Switched => None,
    }
}

/// The fault for a WebGPU error event's `error` object, by its class (GPUValidationError,
/// GPUOutOfMemoryError, GPUInternalError) and message.
pub fn classify(class: &str, message: &str) -> GpuFault {
    // Browsers' messages span lines (" - While calling [Device].CreateBuffer"): one line here.
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    let message = if message.is_empty() { class.to_string() } else { message.chars().take(400).collect() };
    match class {
        "GPUOutOfMemoryError" => GpuFault::OutOfMemory(message),
        "GPUInternalError" => GpuFault::Internal(message),
        _ => GpuFault::Validation(message),
    }
}

/// Takes over `device`'s `onuncapturederror` (replacing the panicking handler Burn installed)
/// and listens to `device.lost`, recording each as a [`GpuFault`]. Call right after Burn's
/// runtime is initialised on the device. `on_fault` runs once per recorded event (the page
/// uses it to switch its backend).
#[cfg(target_arch = "wasm32")]
pub fn watch(device: &wasm_bindgen::JsValue, on_fault: impl Fn(&GpuFault) + 'static) {
    use js_sys::Reflect;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    let on_fault = std::rc::Rc::new(on_fault);
    let notify = on_fault.clone();
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        // Handled: the browser need not log it as an unhandled error.
        event.prevent_default();
        let error = Reflect::get(&event, &"error".into()).unwrap_or_default();
        let class =
            Reflect::get(&error, &"constructor".into()).and_then(|c| Reflect::get(&c, &"name".into())).ok().and_then(|n| n.as_string()).unwrap_or_default();
        let message = Reflect::get(&error, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
        let fault = classify(&class, &message);
        record(fault.clone());
        notify(&fault);
    });
    let _ = Reflect::set(device, &"onuncapturederror".into(), on_error.as_ref());
    // Lives as long as the device (one per instance).
    on_error.forget();

    let lost = Reflect::get(device, &"lost".into()).ok().and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    if let Some(lost) = lost {
        let on_lost = Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |info: wasm_bindgen::JsValue| {
            let text = |key: &str| Reflect::get(&info, &key.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
            let (reason, message) = (text("reason"), text("message"));
            let what = match (reason.is_empty(), message.is_empty()) {
                (false, false) => format!("{reason}: {message}"),
                (false, true) => reason,
                (true, false) => message,
                (true, true) => "no reason given".into(),
            };
            let fault = GpuFault::Lost(what);
            record(fault.clone());
            on_fault(&fault);
        });
        let _ = lost.then(&on_lost);
        on_lost.forget();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_classes_become_faults() {
        assert_eq!(classify("GPUOutOfMemoryError", ""), GpuFault::OutOfMemory("GPUOutOfMemoryError".into()));
        assert_eq!(classify("GPUInternalError", " shader failed "), GpuFault::Internal("shader failed".into()));
        assert_eq!(
            classify("GPUValidationError", "bad usage.\n - While calling [Device].CreateBuffer"),
            GpuFault::Validation("bad usage. - While calling [Device].CreateBuffer".into())
        );
        assert_eq!(classify("GPUValidationError", "bad usage"), GpuFault::Validation("bad usage".into()));
        // Anything unknown (a future error class) is still a fault, never a panic.
        assert!(matches!(classify("", "odd"), GpuFault::Validation(m) if m == "odd"));
        assert_eq!(classify("GPUValidationError", &"x".repeat(1000)), GpuFault::Validation("x".repeat(400)));
    }

    #[test]
    fn what_running_out_of_gpu_memory_teaches_does_not_need_a_reload_to_forget() {
        use MemoryEvent::*;
        assert_eq!(learn(None, RanOut(500)), Some(500));
        assert_eq!(learn(Some(500), RanOut(800)), Some(500), "the smallest request that ran out");
        assert_eq!(learn(Some(500), RanOut(300)), Some(300));
        assert_eq!(learn(Some(300), WentThrough), None, "a later request that went through");
        assert_eq!(learn(Some(300), Switched), None, "a switch of backend");
        assert!(GpuFault::OutOfMemory("x".into()).is_out_of_memory() && !GpuFault::Lost("x".into()).is_out_of_memory());
        // An out-of-memory fault is forgotten before the next request; a loss is kept.
        let _lock = crate::burn_rng_lock();
        clear();
        record(GpuFault::OutOfMemory("alloc".into()));
        assert!(forget_out_of_memory());
        assert_eq!(current(), None);
        record(GpuFault::Lost("destroyed".into()));
        assert!(!forget_out_of_memory());
        assert_eq!(current(), Some(GpuFault::Lost("destroyed".into())));
        clear();
    }

    #[test]
    fn the_first_fault_is_kept_until_cleared() {
        // The record is global: hold the lock the training tests (which read it) hold.
        let _lock = crate::burn_rng_lock();
        clear();
        assert_eq!(current(), None);
        record(GpuFault::Lost("destroyed".into()));
        record(GpuFault::Validation("follows from the loss".into()));
        assert_eq!(current(), Some(GpuFault::Lost("destroyed".into())));
        clear();
        assert_eq!(current(), None);
    }
}
