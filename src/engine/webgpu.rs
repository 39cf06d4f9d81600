//! Starting Burn on the browser's WebGPU, asynchronously, with a typed reason when it cannot.

use burn::prelude::Device;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::backend::{ActiveBackend, AdapterReport, BackendKind, CpuReason};

#[wasm_bindgen(inline_js = r#"
export async function probe_webgpu() {
  if (!('gpu' in navigator) || !navigator.gpu) return { status: 'no_api' };
  let adapter;
  try {
    adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { status: 'error', message: String(e) };
  }
  if (!adapter) return { status: 'no_adapter' };
  const info = adapter.info || {};
  const l = adapter.limits;
  return {
    status: 'ok',
    vendor: info.vendor || '',
    architecture: info.architecture || '',
    device: info.device || '',
    description: info.description || '',
    is_fallback: !!(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
    max_storage_buffer_binding_size: l.maxStorageBufferBindingSize,
    max_buffer_size: l.maxBufferSize,
    max_compute_workgroup_storage_size: l.maxComputeWorkgroupStorageSize,
    max_compute_invocations_per_workgroup: l.maxComputeInvocationsPerWorkgroup,
  };
}
"#)]
extern "C" {
    async fn probe_webgpu() -> JsValue;
}

/// What the JS probe found.
#[derive(Debug, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
enum Probe {
    Ok(AdapterReport),
    NoApi,
    NoAdapter,
    Error { message: String },
}

/// Asks the browser for an adapter, then starts Burn's wgpu runtime on it. Never blocks and
/// never reads back synchronously; any failure becomes the [`CpuReason`] the page shows.
pub async fn start_webgpu() -> Result<ActiveBackend, CpuReason> {
    let probe: Probe = serde_wasm_bindgen::from_value(probe_webgpu().await)
        .map_err(|e| CpuReason::AdapterRequestFailed(format!("unexpected probe result: {e}")))?;
    let adapter = match probe {
        Probe::Ok(adapter) => adapter,
        Probe::NoApi => return Err(CpuReason::NoWebGpuApi),
        Probe::NoAdapter => return Err(CpuReason::NoAdapter),
        Probe::Error { message } => return Err(CpuReason::AdapterRequestFailed(message)),
    };
    let device: Device = Device::wgpu_options()
        .init_async()
        .await
        .map_err(|e| CpuReason::InitFailed(e.to_string()))?;
    Ok(ActiveBackend { device, kind: BackendKind::WebGpu, adapter: Some(adapter), cpu_reason: None })
}
