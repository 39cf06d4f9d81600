//! The compute side of the app: which Burn backend runs, and the cells' computations.
//! It knows nothing of the DOM; the UI calls these async functions and renders their results.

pub mod backend;
pub mod code_summary;
pub mod explore;
pub mod gpu_fault;
pub mod summary;
#[cfg(target_arch = "wasm32")]
pub mod webgpu;

pub use backend::{ActiveBackend, AdapterReport, BackendKind, CpuReason};
pub use gpu_fault::GpuFault;
pub use summary::{SummaryError, SummaryReport, run_shape_summary};
