//! The GPU worker's entry point: the GPU module (built with the `gpu` feature: Burn's WebGPU
//! backend and cubecl's kernel compiler), fetched only where WebGPU can run. trunk builds it
//! with `data-type="worker"`; the page starts one for its shape summaries and one per training
//! run on WebGPU (see `src/worker`).

#[cfg(target_arch = "wasm32")]
fn main() {
    // SAFETY: the first Rust code of this instance (see `run_static_constructors`).
    unsafe { nin_companion::run_static_constructors() };
    nin_companion::worker::guest::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("nin-gpu runs in the browser, as the Web Worker that computes on WebGPU.");
}
