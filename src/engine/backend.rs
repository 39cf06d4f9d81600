//! Which backend runs the model and why: the facts the page shows about the device.

use burn::prelude::Device;
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
    /// The page had WebGPU, but the training worker could not open it; the user switched.
    #[error("WebGPU could not be started in the training worker: {0}")]
    WorkerWebGpuFailed(String),
    #[error("this is a native build, where the app uses the CPU backend")]
    Native,
}

/// What the browser reports about its WebGPU adapter (from the JS probe).
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
}

impl AdapterReport {
    /// A readable adapter name from whatever fields the browser filled.
    pub fn name(&self) -> String {
        let parts: Vec<&str> = [&self.description, &self.vendor, &self.architecture, &self.device]
            .into_iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if parts.is_empty() { "unnamed adapter".into() } else { parts.join(" / ") }
    }

    /// The largest tensor one storage buffer can hold on this adapter.
    pub fn buffer_limit_bytes(&self) -> u64 {
        self.max_storage_buffer_binding_size.min(self.max_buffer_size).max(0.0) as u64
    }
}

/// Largest single tensor allowed on the CPU backend in wasm (32-bit memory, 4 GiB in all).
pub const CPU_BUFFER_LIMIT_BYTES: u64 = 512 * 1024 * 1024;

/// The backend in use: the Burn device plus what the page says about it.
#[derive(Debug, Clone)]
pub struct ActiveBackend {
    pub device: Device,
    pub kind: BackendKind,
    /// Set on WebGPU.
    pub adapter: Option<AdapterReport>,
    /// Set on CPU.
    pub cpu_reason: Option<CpuReason>,
}

impl ActiveBackend {
    /// Burn's CPU backend, with the reason it was chosen.
    pub fn cpu(reason: CpuReason) -> Self {
        Self { device: Device::flex(), kind: BackendKind::Cpu, adapter: None, cpu_reason: Some(reason) }
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
        };
        assert_eq!(a.name(), "google / swiftshader");
        assert_eq!(a.buffer_limit_bytes(), 134_217_728);
        assert_eq!(ActiveBackend::cpu(CpuReason::Native).buffer_limit_bytes(), CPU_BUFFER_LIMIT_BYTES);
    }
}
