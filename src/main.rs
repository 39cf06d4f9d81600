//! Entry point. In the browser it mounts the app; natively it prints the book's shape summary.

#[cfg(target_arch = "wasm32")]
fn main() {
    // The CPU worker runs this same module (see www/worker.js): there it starts through
    // `worker_start`, and this start function must do nothing.
    if web_sys::window().is_none() {
        return;
    }
    // SAFETY: the first Rust code of this instance; see the function's docs.
    unsafe { nin_companion::run_static_constructors() };
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
