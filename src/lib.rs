//! NiN companion: the "Network in Network" chapter of Dive into Deep Learning, runnable in the
//! browser with Burn. `model`, `analysis` and `engine` build and test natively; `ui` is wasm-only.

pub mod analysis;
pub mod content;
pub mod data;
pub mod engine;
pub mod figure;
pub mod format;
pub mod i18n;
pub mod model;
pub mod training;
#[cfg(target_arch = "wasm32")]
pub mod ui;
