//! Starting Burn on the browser's WebGPU, asynchronously, with a typed reason when it cannot.
//! The same code runs in the page and in the training worker (it reads `navigator.gpu` from
//! the global scope through `js_sys`, so it needs no JS snippet a worker could not import).

#[cfg(feature = "gpu")]
use burn::prelude::Device;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::backend::{AdapterReport, CpuReason};
#[cfg(feature = "gpu")]
use super::gpu_fault::{self, GpuFault};

fn get(target: &JsValue, key: &str) -> JsValue {
    if target.is_undefined() || target.is_null() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn text(target: &JsValue, key: &str) -> String {
    get(target, key).as_string().unwrap_or_default()
}

/// A limit as a number; NaN when the browser does not report it (then the check refuses it).
fn number(target: &JsValue, key: &str) -> f64 {
    get(target, key).as_f64().unwrap_or(f64::NAN)
}

/// A thrown JS value as text.
pub fn js_error_text(e: &JsValue) -> String {
    e.as_string().or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message()))).unwrap_or_else(|| format!("{e:?}"))
}

/// `navigator.gpu.requestAdapter()` in this global scope (page or worker), the same request
/// Burn makes (high performance), read into an [`AdapterReport`].
pub async fn probe() -> Result<AdapterReport, CpuReason> {
    let gpu = get(&get(&js_sys::global(), "navigator"), "gpu");
    if gpu.is_undefined() || gpu.is_null() {
        return Err(CpuReason::NoWebGpuApi);
    }
    let request = get(&gpu, "requestAdapter")
        .dyn_into::<Function>()
        .map_err(|_| CpuReason::AdapterRequestFailed("navigator.gpu.requestAdapter is not a function".into()))?;
    let options = Object::new();
    let _ = Reflect::set(&options, &"powerPreference".into(), &"high-performance".into());
    let promise = request.call1(&gpu, &options).map_err(|e| CpuReason::AdapterRequestFailed(js_error_text(&e)))?;
    let adapter = JsFuture::from(Promise::resolve(&promise)).await.map_err(|e| CpuReason::AdapterRequestFailed(js_error_text(&e)))?;
    if adapter.is_undefined() || adapter.is_null() {
        return Err(CpuReason::NoAdapter);
    }
    let info = get(&adapter, "info");
    let limits = get(&adapter, "limits");
    let features = get(&adapter, "features");
    let features: Vec<String> = if features.is_undefined() { Vec::new() } else { Array::from(&features).iter().filter_map(|f| f.as_string()).collect() };
    let fallback = get(&info, "isFallbackAdapter");
    let fallback = if fallback.is_undefined() { get(&adapter, "isFallbackAdapter") } else { fallback };
    Ok(AdapterReport {
        vendor: text(&info, "vendor"),
        architecture: text(&info, "architecture"),
        device: text(&info, "device"),
        description: text(&info, "description"),
        is_fallback: fallback.as_bool().unwrap_or(false),
        max_storage_buffer_binding_size: number(&limits, "maxStorageBufferBindingSize"),
        max_buffer_size: number(&limits, "maxBufferSize"),
        max_compute_workgroup_storage_size: number(&limits, "maxComputeWorkgroupStorageSize"),
        max_compute_invocations_per_workgroup: number(&limits, "maxComputeInvocationsPerWorkgroup"),
        max_storage_buffers_per_shader_stage: number(&limits, "maxStorageBuffersPerShaderStage"),
        features,
    })
}

/// Probes the adapter, checks that Burn can run on it ([`AdapterReport::unusable_reason`]),
/// then starts Burn's wgpu runtime and takes over the device's error and loss events
/// ([`gpu_fault::watch`]; `on_fault` hears each). Never blocks, never reads back
/// synchronously; any failure before the device exists becomes the [`CpuReason`] shown.
#[cfg(feature = "gpu")]
pub async fn open(on_fault: impl Fn(&GpuFault) + 'static) -> Result<(Device, AdapterReport), CpuReason> {
    let adapter = probe().await?;
    if let Some(reason) = adapter.unusable_reason() {
        return Err(reason);
    }
    let (device, setup) = Device::wgpu_options().init_with_setup_async().await.map_err(|e| CpuReason::InitFailed(e.to_string()))?;
    match setup.device.as_webgpu() {
        Some(gpu_device) => gpu_fault::watch(gpu_device.as_ref(), on_fault),
        None => return Err(CpuReason::InitFailed("the device is not a browser WebGPU device".into())),
    }
    Ok((device, adapter))
}
