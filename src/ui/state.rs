//! State the page's components share through Leptos contexts: the active backend, what a
//! shared link asked for, the training seed field, "run all", and what this page has learned
//! about the GPU's memory.

use leptos::prelude::*;

use crate::client::{ActiveBackend, BackendKind, CpuReason, MemoryEvent, learn_gpu_memory};

/// The backend the cells run on, once start-up has decided.
#[derive(Clone, Debug)]
pub enum BackendState {
    /// Probing WebGPU.
    Starting,
    Ready(ActiveBackend),
}

/// Shared across components: the active backend and the outcome of the WebGPU attempt
/// (kept so the user can switch back without starting WebGPU twice).
#[derive(Clone, Copy)]
pub struct Backends {
    pub active: RwSignal<BackendState, LocalStorage>,
    pub webgpu: RwSignal<Option<Result<ActiveBackend, CpuReason>>, LocalStorage>,
    /// The start-up decision is final: WebGPU's engine is up, or the page knows why not.
    pub settled: RwSignal<bool>,
}

impl Backends {
    /// The active backend, once chosen.
    pub fn ready(&self) -> Option<ActiveBackend> {
        match self.active.get() {
            BackendState::Ready(b) => Some(b),
            BackendState::Starting => None,
        }
    }

    /// Switches to the CPU backend with `reason`.
    pub fn use_cpu(&self, reason: CpuReason) {
        self.active.set(BackendState::Ready(ActiveBackend::cpu(reason)));
    }

    /// WebGPU failed for this page (its engine worker's device is gone): the page goes on on
    /// the CPU, saying why, and does not offer WebGPU again until a reload.
    pub fn webgpu_failed(&self, reason: CpuReason) {
        crate::client::stop_gpu_engine();
        self.webgpu.set(Some(Err(reason.clone())));
        self.use_cpu(reason);
    }
}

/// What a shared link asked for (already validated).
#[derive(Clone)]
pub struct Shared(pub crate::exercises::share::ShareState);

/// A training seed from a shared link, applied once by the training cell after its preset.
#[derive(Clone, Copy)]
pub struct TrainSeed(pub RwSignal<Option<String>>);

/// The training cell's seed field, read by the share links.
#[derive(Clone, Copy)]
pub struct SeedField(pub RwSignal<String>);

/// What one run may allocate in all on the CPU backend: it lives in wasm32 memory (4 GiB at
/// most, shared with the page, the data and Burn's pools).
pub const CPU_MEMORY_BUDGET: u64 = 2 << 30;

/// GPU memory as this page has learned it. Browsers do not say how much memory a GPU has
/// (WebGPU reports only per-buffer limits), so nothing is assumed until a request (a run, a
/// shape summary) runs out: then its estimate is remembered, and as large ones are refused
/// with the largest batch that fits under it, until a request on the GPU goes through or the
/// backend is switched (`gpu_fault::learn`): never a reload.
#[derive(Clone, Copy)]
pub struct GpuMemory(pub RwSignal<Option<u64>>);

impl GpuMemory {
    fn learn(&self, event: MemoryEvent) {
        let next = learn_gpu_memory(self.0.get_untracked(), event);
        if next != self.0.get_untracked() {
            self.0.set(next);
        }
    }

    /// A request estimated at `bytes` ran out of GPU memory.
    pub fn ran_out_at(&self, bytes: u64) {
        self.learn(MemoryEvent::RanOut(bytes));
    }

    /// A request on the GPU went through: what ran out before may have been passing.
    pub fn went_through(&self) {
        self.learn(MemoryEvent::WentThrough);
    }

    /// The student switched backends.
    pub fn switched(&self) {
        self.learn(MemoryEvent::Switched);
    }

    /// What a run may allocate in all on `kind`: the CPU's fixed budget; on WebGPU just under
    /// the estimate that ran out, or no limit while none has.
    pub fn budget(&self, kind: BackendKind) -> Option<u64> {
        match kind {
            BackendKind::Cpu => Some(CPU_MEMORY_BUDGET),
            BackendKind::WebGpu => self.0.get().map(|failed| failed.saturating_sub(1)),
        }
    }
}

/// The last picture "try it yourself" classified (a drawing, an upload or a test image, as the
/// 28x28 input), which the explorables can look at too.
#[derive(Clone, Copy)]
pub struct LastPicture(pub RwSignal<Option<crate::data::sketch::Prepared>>);

/// The trained (or loaded) model, shared with the "try it yourself" cell.
#[derive(Clone, Copy)]
pub struct TrainedModel(pub StoredValue<Option<Trained>, LocalStorage>, pub RwSignal<u32>);

/// A trained or loaded model with what it takes to use it again (on the page's CPU backend).
#[derive(Clone)]
pub struct Trained {
    pub nin: crate::client::Nin,
    /// The variant's key (as on the run board and in the weights file).
    pub variant: String,
    /// The image side it was trained at.
    pub size: usize,
    pub config: crate::model::config::NinConfig,
}
