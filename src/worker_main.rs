//! The training worker's entry point (a Web Worker; see `src/worker`). trunk builds it with
//! `data-type="worker"`; the page starts it only for a run on the CPU backend.

// The same one-time constructor call as in `main.rs` (wasm-ld would otherwise re-run cubecl's
// `inventory` constructors at the start of every call into the module).
#[cfg(target_arch = "wasm32")]
unsafe extern "C" {
    fn __wasm_call_ctors();
}

#[cfg(target_arch = "wasm32")]
fn main() {
    // SAFETY: runs once, before any other Rust code in this instance.
    unsafe { __wasm_call_ctors() };
    nin_companion::worker::guest::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("nin-worker runs in the browser, as the Web Worker that trains on the CPU backend.");
}
