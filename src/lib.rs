//! NiN companion: the "Network in Network" chapter of Dive into Deep Learning, runnable in the
//! browser with Burn. `model`, `analysis` and `engine` build and test natively; `ui` is wasm-only
//! and reaches the engine only through `client` (wasm-only too).

pub mod analysis;
#[cfg(target_arch = "wasm32")]
pub mod client;
pub mod content;
pub mod data;
pub mod engine;
pub mod exercises;
pub mod fields;
pub mod figure;
pub mod format;
#[cfg(target_arch = "wasm32")]
pub mod heap;
pub mod i18n;
pub mod model;
#[cfg(not(target_arch = "wasm32"))]
pub mod prerender;
pub mod training;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod worker;

/// Runs the module's static constructors; each wasm binary (page, worker) calls it once, first.
///
/// Burn's GPU compiler (cubecl) registers its kernels with `inventory`, i.e. static
/// constructors. Unless the module calls `__wasm_call_ctors` itself, wasm-ld links it
/// "command-style" and runs every constructor again at the start of *every* exported function:
/// each callback into wasm (each promise, event, WebGPU callback) paid ~10 ms that grew with
/// use, and a training step on WebGPU blocked the page for seconds (measured with the Chrome
/// profiler: `__wasm_call_ctors` and `inventory::submit` were the top self time). Calling it
/// once, first, makes the link a "reactor" one. See the `inventory` crate docs.
///
/// # Safety
/// Call it once per instance, before any other Rust code runs.
#[cfg(target_arch = "wasm32")]
pub unsafe fn run_static_constructors() {
    unsafe extern "C" {
        fn __wasm_call_ctors();
    }
    // SAFETY: the caller guarantees this is the first and only call.
    unsafe { __wasm_call_ctors() };
}

/// The CPU worker's entry point (called by `www/worker.js` after it instantiated the page's
/// module in the worker): runs the instance's static constructors, then the worker's side of
/// the protocol.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn worker_start() {
    // SAFETY: the page's `main` does nothing in a worker, so this is the first Rust code here.
    unsafe { run_static_constructors() };
    worker::guest::start();
}

/// Burn's CPU backend draws every random number (init, dropout) from one global, seeded RNG.
/// Tests that use the backend take this lock, so a seeded run is not perturbed by another
/// test's draws on a parallel thread (a seeded training test gave 0.26 alone, 0.13 in parallel).
#[cfg(test)]
pub(crate) fn burn_rng_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}
