//! NiN companion: the "Network in Network" chapter of Dive into Deep Learning, runnable in the
//! browser with Burn. `model`, `analysis` and `engine` build and test natively; `ui` is wasm-only.

pub mod analysis;
pub mod content;
pub mod data;
pub mod engine;
pub mod exercises;
pub mod figure;
pub mod format;
pub mod i18n;
pub mod model;
pub mod training;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod worker;

/// Burn's CPU backend draws every random number (init, dropout) from one global, seeded RNG.
/// Tests that use the backend take this lock, so a seeded run is not perturbed by another
/// test's draws on a parallel thread (a seeded training test gave 0.26 alone, 0.13 in parallel).
#[cfg(test)]
pub(crate) fn burn_rng_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}
