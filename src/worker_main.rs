//! The training worker's entry point (a Web Worker; see `src/worker`). trunk builds it with
//! `data-type="worker"`; the page starts one per training run (either backend).

#[cfg(target_arch = "wasm32")]
fn main() {
    // SAFETY: the first Rust code of this instance (see `run_static_constructors`).
    unsafe { nin_companion::run_static_constructors() };
    nin_companion::worker::guest::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("nin-worker runs in the browser, as the Web Worker that trains the model.");
}
