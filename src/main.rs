//! Entry point. In the browser it mounts the app; natively it prints the book's shape summary.

// Burn's GPU compiler (cubecl) registers its kernels with `inventory`, i.e. static
// constructors. Unless the module calls `__wasm_call_ctors` itself, wasm-ld links it
// "command-style" and runs every constructor again at the start of *every* exported function:
// each callback into wasm (each promise, event, WebGPU callback) paid ~10 ms that grew with
// use, and a training step on WebGPU blocked the page for seconds (measured with the Chrome
// profiler: `__wasm_call_ctors` and `inventory::submit` were the top self time). Calling it
// once here, first, makes the link a "reactor" one. See the `inventory` crate docs.
#[cfg(target_arch = "wasm32")]
unsafe extern "C" {
    fn __wasm_call_ctors();
}

#[cfg(target_arch = "wasm32")]
fn main() {
    // SAFETY: runs once, before any other Rust code in this instance.
    unsafe { __wasm_call_ctors() };
    nin_companion::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use nin_companion::analysis::{FLOP_CONVENTION, InputShape, plan};
    use nin_companion::model::NinConfig;
    match plan(&NinConfig::book(), InputShape::book()) {
        Ok(plan) => {
            for row in &plan.rows {
                println!("{:<18} {:<20} {:>10} params {:>14} FLOPs", row.kind.book_name(), format!("{:?}", row.output), row.params, row.flops);
            }
            println!("total: {} params, {} FLOPs ({FLOP_CONVENTION})", plan.total_params(), plan.total_flops());
        }
        Err(e) => eprintln!("error: {e}"),
    }
}
