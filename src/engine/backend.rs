//! Which backend runs the model and why: the facts the page shows about the device.

use serde::{Deserialize, Serialize};

/// The two backends the app can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BackendKind {
    /// Burn's wgpu backend on the browser's WebGPU.
    WebGpu,
    /// Burn's pure-Rust CPU backend (flex), compiled to wasm.
    Cpu,
}

/// Why the CPU backend is running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum CpuReason {
    /// The adapter lacks a feature Burn's WebGPU runtime needs in a browser (none today: see
    /// [`REQUIRED_FEATURES`]; kept for a future runtime that needs one).
    #[error("this browser's WebGPU has no {0}, which Burn needs in the browser")]
    MissingFeature(String),
    /// The adapter reports a limit under WebGPU's guaranteed default, which Burn's kernels assume.
    #[error("this browser's WebGPU reports {name} = {have}, below the {need} Burn's kernels assume")]
    LimitTooLow { name: String, have: u64, need: u64 },
    #[error("this browser has no WebGPU API (navigator.gpu is missing)")]
    NoWebGpuApi,
    #[error("the browser offers WebGPU, but no GPU adapter is available (requestAdapter() returned null)")]
    NoAdapter,
    #[error("requesting a WebGPU adapter failed: {0}")]
    AdapterRequestFailed(String),
    #[error("Burn could not start on WebGPU: {0}")]
    InitFailed(String),
    #[error("you chose the CPU backend")]
    Chosen,
    /// The browser's WebGPU can run Burn; the GPU engine (a second module, fetched only then)
    /// is still loading, and the cells run on the CPU until it is ready.
    #[error("the WebGPU engine is still loading")]
    GpuEngineLoading,
    /// The page had WebGPU, but the training worker could not open it; the user switched.
    #[error("WebGPU could not be started in the training worker: {0}")]
    WorkerWebGpuFailed(Box<CpuReason>),
    /// The GPU failed during a run (lost, out of memory, an error) and the user went on on the CPU.
    #[error("the GPU failed during a run: {0}")]
    GpuFailed(crate::engine::GpuFault),
    /// The adapter runs WebGPU in software on the CPU (SwiftShader, lavapipe, a fallback
    /// adapter): Burn's own CPU backend is many times faster there (see
    /// [`SOFTWARE_ADAPTER_SPEED`]). The student can still choose WebGPU.
    #[error("this browser's WebGPU runs in software ({0}), slower than Burn's CPU backend")]
    SoftwareAdapter(String),
    /// A WebGPU worker crashed (a training run, or the engine answering the shape cell).
    #[error("a WebGPU worker stopped: {0}")]
    WorkerCrashed(String),
    /// The page's WebGPU engine failed (its worker's device is gone) until a reload.
    #[error("WebGPU failed on this page: {0}")]
    PageGpuFailed(crate::engine::GpuFault),
    #[error("this is a native build, where the app uses the CPU backend")]
    Native,
}

/// What the browser reports about its WebGPU adapter (from the probe in `webgpu.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdapterReport {
    pub vendor: String,
    pub architecture: String,
    pub device: String,
    pub description: String,
    /// A software or otherwise "fallback" adapter, e.g. SwiftShader.
    pub is_fallback: bool,
    pub max_storage_buffer_binding_size: f64,
    pub max_buffer_size: f64,
    pub max_compute_workgroup_storage_size: f64,
    pub max_compute_invocations_per_workgroup: f64,
    pub max_storage_buffers_per_shader_stage: f64,
    /// The adapter's optional features (`adapter.features`), e.g. "timestamp-query".
    pub features: Vec<String>,
}

/// Optional WebGPU features Burn's runtime needs in a browser: none. cubecl-wgpu 0.11.3 as
/// published picks the system clock for profiling on an adapter without `timestamp-query`, and
/// on wasm panicked when the first stream was created ("Cannot profile on web assembly without
/// timestamp_query feature as it requires blocking"), though the app never profiles (no
/// autotune, no fusion). The app builds a patched copy (`patches/cubecl-wgpu`, see
/// `patches/README.md`) that no longer panics there and refuses only profiling itself with an
/// error, so an adapter without `timestamp-query` (some Safari and older Firefox builds) runs
/// Burn on WebGPU like any other.
pub const REQUIRED_FEATURES: [&str; 0] = [];

/// Limits Burn's kernels take for granted: WebGPU's guaranteed defaults, which every core
/// adapter meets (a compatibility-mode adapter may not).
pub const REQUIRED_LIMITS: [(&str, u64); 3] =
    [("maxStorageBuffersPerShaderStage", 8), ("maxComputeInvocationsPerWorkgroup", 256), ("maxComputeWorkgroupStorageSize", 16_384)];

/// Names of adapters that run WebGPU in software on the CPU (matched in the adapter's name, in
/// lower case), for browsers that do not set `isFallbackAdapter`.
pub const SOFTWARE_ADAPTERS: [&str; 5] = ["swiftshader", "lavapipe", "llvmpipe", "microsoft basic render", "software"];

/// Training images/s measured side by side in headless Chromium (README "Size, one module, data,
/// offline", Adam, batch 32 at 96 px): one CPU worker, then WebGPU on SwiftShader. The page
/// chooses the CPU on a software adapter by this ratio (about 19x) instead of timing steps at
/// start-up, which would cost every visit seconds of both engines.
pub const SOFTWARE_ADAPTER_SPEED: (f64, f64) = (30.6, 1.60);

impl AdapterReport {
    /// Whether the adapter runs WebGPU in software (on the CPU), where Burn's CPU backend trains
    /// faster: the browser says so (`isFallbackAdapter`) or its name does.
    pub fn is_software(&self) -> bool {
        let name = self.name().to_lowercase();
        self.is_fallback || SOFTWARE_ADAPTERS.iter().any(|s| name.contains(s))
    }

    /// A readable adapter name from whatever fields the browser filled.
    pub fn name(&self) -> String {
        let parts: Vec<&str> =
            [&self.description, &self.vendor, &self.architecture, &self.device].into_iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
        if parts.is_empty() { "unnamed adapter".into() } else { parts.join(" / ") }
    }

    /// What to call a software adapter in a sentence: its name, or the flag that gave it away
    /// when the browser names nothing (Firefox on lavapipe fills no field).
    pub fn software_name(&self) -> String {
        let named = [&self.description, &self.vendor, &self.architecture, &self.device].into_iter().any(|s| !s.trim().is_empty());
        if named { self.name() } else { "isFallbackAdapter".into() }
    }

    /// The largest tensor one storage buffer can hold on this adapter.
    pub fn buffer_limit_bytes(&self) -> u64 {
        self.max_storage_buffer_binding_size.min(self.max_buffer_size).max(0.0) as u64
    }

    /// Why Burn cannot run on this adapter, checked before Burn touches it (an adapter under
    /// these limits would fail inside Burn's kernels, which kills the page or the worker);
    /// `None` when it can.
    pub fn unusable_reason(&self) -> Option<CpuReason> {
        if let Some(missing) = REQUIRED_FEATURES.into_iter().find(|f| !self.features.iter().any(|have| have == f)) {
            return Some(CpuReason::MissingFeature(missing.to_string()));
        }
        let limits = [self.max_storage_buffers_per_shader_stage, self.max_compute_invocations_per_workgroup, self.max_compute_workgroup_storage_size];
        REQUIRED_LIMITS
            .into_iter()
            .zip(limits)
            .find(|((_, need), have)| !matches!(have.partial_cmp(&(*need as f64)), Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal)))
            .map(|((name, need), have)| CpuReason::LimitTooLow { name: name.to_string(), have: if have.is_finite() { have.max(0.0) as u64 } else { 0 }, need })
    }
}

/// Largest single tensor allowed on the CPU backend in wasm (32-bit memory, 4 GiB in all).
pub const CPU_BUFFER_LIMIT_BYTES: u64 = 512 * 1024 * 1024;

/// The backend in use and what the page says about it. The page itself computes only on Burn's
/// CPU backend; WebGPU work (shape summaries, training) runs in workers that open their own
/// device (see `crate::worker`).
#[derive(Debug, Clone, PartialEq)]
pub struct ActiveBackend {
    pub kind: BackendKind,
    /// Set on WebGPU.
    pub adapter: Option<AdapterReport>,
    /// Set on CPU.
    pub cpu_reason: Option<CpuReason>,
}

impl ActiveBackend {
    /// Burn's CPU backend, with the reason it was chosen.
    pub fn cpu(reason: CpuReason) -> Self {
        Self { kind: BackendKind::Cpu, adapter: None, cpu_reason: Some(reason) }
    }

    /// WebGPU on `adapter` (as the worker that opened it reported it).
    pub fn webgpu(adapter: AdapterReport) -> Self {
        Self { kind: BackendKind::WebGpu, adapter: Some(adapter), cpu_reason: None }
    }

    /// The largest tensor this backend may allocate in one buffer.
    pub fn buffer_limit_bytes(&self) -> u64 {
        match (&self.kind, &self.adapter) {
            (BackendKind::WebGpu, Some(adapter)) => adapter.buffer_limit_bytes(),
            // WebGPU's guaranteed minimum binding size.
            (BackendKind::WebGpu, None) => 128 * 1024 * 1024,
            (BackendKind::Cpu, _) => CPU_BUFFER_LIMIT_BYTES,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adapter_name_and_limit() {
        let _rng = crate::burn_rng_lock();
        let a = AdapterReport {
            vendor: "google".into(),
            architecture: "swiftshader".into(),
            device: "".into(),
            description: "".into(),
            is_fallback: true,
            max_storage_buffer_binding_size: 134_217_728.0,
            max_buffer_size: 268_435_456.0,
            max_compute_workgroup_storage_size: 16384.0,
            max_compute_invocations_per_workgroup: 256.0,
            max_storage_buffers_per_shader_stage: 8.0,
            features: vec!["timestamp-query".into(), "shader-f16".into()],
        };
        assert_eq!(a.name(), "google / swiftshader");
        assert_eq!(a.buffer_limit_bytes(), 134_217_728);
        assert_eq!(ActiveBackend::cpu(CpuReason::Native).buffer_limit_bytes(), CPU_BUFFER_LIMIT_BYTES);
    }

    fn swiftshader() -> AdapterReport {
        AdapterReport {
            vendor: "google".into(),
            architecture: "swiftshader".into(),
            device: "".into(),
            description: "".into(),
            is_fallback: true,
            max_storage_buffer_binding_size: 1_073_741_824.0,
            max_buffer_size: 1_073_741_824.0,
            max_compute_workgroup_storage_size: 32_768.0,
            max_compute_invocations_per_workgroup: 256.0,
            max_storage_buffers_per_shader_stage: 10.0,
            features: vec!["timestamp-query".into()],
        }
    }

    #[test]
    fn an_adapter_without_timestamp_query_is_usable() {
        // The patched cubecl-wgpu (patches/README.md) runs without it: no feature is required.
        assert_eq!(REQUIRED_FEATURES, [] as [&str; 0]);
        assert_eq!(swiftshader().unusable_reason(), None);
        let without = AdapterReport { features: vec!["shader-f16".into()], ..swiftshader() };
        assert_eq!(without.unusable_reason(), None);
        assert_eq!(AdapterReport { features: vec![], ..swiftshader() }.unusable_reason(), None);
        // Limits still refuse an adapter whatever its features.
        let compat = AdapterReport { max_storage_buffers_per_shader_stage: 4.0, features: vec![], ..swiftshader() };
        assert_eq!(compat.unusable_reason(), Some(CpuReason::LimitTooLow { name: "maxStorageBuffersPerShaderStage".into(), have: 4, need: 8 }));
    }

    #[test]
    fn software_adapters_are_known_by_the_flag_or_by_name() {
        assert!(swiftshader().is_software(), "isFallbackAdapter");
        let named = |vendor: &str, description: &str| AdapterReport {
            vendor: vendor.into(),
            architecture: "".into(),
            description: description.into(),
            is_fallback: false,
            ..swiftshader()
        };
        assert!(named("google", "SwiftShader Device (Subzero)").is_software());
        let unnamed = AdapterReport { vendor: "".into(), architecture: "".into(), ..swiftshader() };
        assert_eq!(unnamed.software_name(), "isFallbackAdapter");
        assert_eq!(swiftshader().software_name(), "google / swiftshader");
        assert!(named("mesa", "llvmpipe (LLVM 15.0.6, 256 bits)").is_software());
        assert!(named("mesa", "lavapipe").is_software());
        assert!(!named("nvidia", "NVIDIA H200").is_software());
        assert!(!named("apple", "").is_software());
        assert!(!named("intel", "Intel(R) Iris(R) Xe Graphics").is_software());
        // The measured ratio the page's sentence quotes.
        let (cpu, gpu) = SOFTWARE_ADAPTER_SPEED;
        assert!(cpu / gpu > 10.0);
    }

    #[test]
    fn limits_under_webgpus_defaults_are_refused() {
        // A compatibility-mode adapter: 4 storage buffers per stage.
        let compat = AdapterReport { max_storage_buffers_per_shader_stage: 4.0, ..swiftshader() };
        assert_eq!(compat.unusable_reason(), Some(CpuReason::LimitTooLow { name: "maxStorageBuffersPerShaderStage".into(), have: 4, need: 8 }));
        let small = AdapterReport { max_compute_workgroup_storage_size: 8_192.0, ..swiftshader() };
        assert!(matches!(small.unusable_reason(), Some(CpuReason::LimitTooLow { need: 16_384, .. })));
        // A limit the browser did not report (NaN from a missing field) is not taken as met.
        let missing = AdapterReport { max_compute_invocations_per_workgroup: f64::NAN, ..swiftshader() };
        assert!(matches!(missing.unusable_reason(), Some(CpuReason::LimitTooLow { have: 0, need: 256, .. })));
    }
}
