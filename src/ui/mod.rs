//! The Leptos front end (wasm only): one component family per file. It talks to `engine`
//! through async calls and renders their typed results and errors.

mod app;
mod backend_panel;
mod code_cell;
mod exercise4;
mod exercise_inputs;
mod exercises;
mod fetch;
mod figure;
mod motivation;
mod offline;
mod panic;
mod prose;
mod runs;
mod shape_cell;
mod shipped;
mod speeds;
mod state;
mod storage;
mod train_board;
mod train_cell;
mod train_form;
mod train_results;
mod train_run;
mod try_cell;

pub use app::App;

/// Installs the panic overlay and mounts the app on `<body>`.
pub fn start() {
    panic::install_hook();
    leptos::mount::mount_to_body(App);
}
