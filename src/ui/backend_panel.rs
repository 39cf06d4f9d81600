//! One short line under the title: which backend computes (a badge and a sentence), the switch,
//! and, on demand, why and the adapter's name and limits (issue 29: the chapter comes first).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::{BackendState, Backends};
use super::storage::{self, Stored};
use crate::client::{ActiveBackend, BackendKind, CpuReason};
use crate::format;
use crate::i18n::{self, Lang};

/// Where the student's choice of WebGPU on a software adapter is kept (JSON "webgpu" or "cpu").
const PREFER_KEY: &str = "nin.backend.v1";

/// Whether the student chose WebGPU the last time they switched: on a software adapter the page
/// then starts on it instead of the faster CPU.
pub fn prefers_webgpu() -> bool {
    storage::get::<String>(PREFER_KEY, Stored::Backend).as_deref() == Some("webgpu")
}

#[component]
pub fn BackendPanel() -> impl IntoView {
    let backends = expect_context::<Backends>();
    let lang = expect_context::<RwSignal<Lang>>();
    let t = move || lang.get().ui();

    let kind = move || match backends.active.get() {
        BackendState::Starting => None,
        BackendState::Ready(b) => Some(b.kind),
    };
    let label = move || match kind() {
        None => t().backend_starting,
        Some(BackendKind::WebGpu) => "WebGPU",
        Some(BackendKind::Cpu) => "CPU",
    };
    let summary = move || match kind() {
        None => t().backend_probing,
        Some(BackendKind::WebGpu) => t().backend_on_gpu,
        Some(BackendKind::Cpu) => t().backend_on_cpu,
    };
    let reason = move || match backends.active.get() {
        BackendState::Starting => t().backend_probing.to_string(),
        BackendState::Ready(b) => describe(lang.get(), &b),
    };
    let gpu_unavailable = move || match backends.webgpu.get() {
        // Slower, but the student may choose it: the engine starts on the click.
        Some(Err(CpuReason::SoftwareAdapter(_))) => None,
        Some(Err(reason)) => Some(i18n::cpu_reason(lang.get(), &reason)),
        None => Some(t().backend_starting.to_string()),
        Some(Ok(_)) => None,
    };
    // A switch of backend forgets what an out-of-memory error taught (it may have been passing).
    let gpu_memory = expect_context::<super::state::GpuMemory>();
    let choose_gpu = move |_| match backends.webgpu.get_untracked() {
        Some(Ok(gpu)) => {
            storage::set(PREFER_KEY, &"webgpu", Stored::Backend);
            gpu_memory.switched();
            backends.active.set(BackendState::Ready(gpu));
        }
        // A software adapter: its engine was not started (the CPU is faster); start it now.
        Some(Err(CpuReason::SoftwareAdapter(_))) => {
            storage::set(PREFER_KEY, &"webgpu", Stored::Backend);
            gpu_memory.switched();
            backends.webgpu.set(None);
            backends.settled.set(false);
            spawn_local(async move {
                match crate::client::start_gpu_engine().await {
                    Ok(adapter) => {
                        let gpu = ActiveBackend::webgpu(adapter);
                        backends.webgpu.set(Some(Ok(gpu.clone())));
                        backends.active.set(BackendState::Ready(gpu));
                    }
                    Err(reason) => backends.webgpu.set(Some(Err(reason))),
                }
                backends.settled.set(true);
            });
        }
        _ => {}
    };
    let choose_cpu = move |_| {
        storage::set(PREFER_KEY, &"cpu", Stored::Backend);
        gpu_memory.switched();
        backends.active.set(BackendState::Ready(ActiveBackend::cpu(CpuReason::Chosen)));
    };

    view! {
        <section class="backend-panel" aria-label=move || t().backend_label>
            <div class="backend-status">
                <span class="badge" data-testid="backend-kind" data-kind=move || format!("{:?}", kind()) data-settled=move || backends.settled.get().to_string()>{label}</span>
                <span data-testid="backend-summary">{summary}</span>
                <details class="backend-details" data-testid="backend-details">
                    <summary>{move || t().backend_details}</summary>
                    <p data-testid="backend-reason">{reason}</p>
                </details>
            </div>
            <div class="switch" role="group" aria-label=move || t().backend_label>
                <button
                    type="button"
                    data-testid="use-webgpu"
                    aria-pressed=move || (kind() == Some(BackendKind::WebGpu)).to_string()
                    disabled=move || gpu_unavailable().is_some()
                    title=move || gpu_unavailable().map(|r| format!("{}: {r}", t().webgpu_unavailable)).unwrap_or_default()
                    on:click=choose_gpu
                >
                    {move || t().use_webgpu}
                </button>
                <button
                    type="button"
                    data-testid="use-cpu"
                    aria-pressed=move || (kind() == Some(BackendKind::Cpu)).to_string()
                    disabled=move || kind().is_none()
                    on:click=choose_cpu
                >
                    {move || t().use_cpu}
                </button>
            </div>
        </section>
    }
}

/// The sentence under the badge: adapter and limits on WebGPU, the reason on the CPU.
fn describe(lang: Lang, backend: &ActiveBackend) -> String {
    let (t, m) = (lang.ui(), lang.msg());
    let (stop, colon) = (m.stop(), ": ");
    match (&backend.kind, &backend.adapter, &backend.cpu_reason) {
        (BackendKind::WebGpu, Some(a), _) => {
            let note = if a.is_fallback { m.aside(t.fallback_adapter_note) } else { String::new() };
            let limits = [
                format!("{}{colon}{}", t.largest_buffer, format::bytes(a.buffer_limit_bytes())),
                format!("{}{colon}{}", t.workgroup_memory, format::bytes(a.max_compute_workgroup_storage_size as u64)),
                format!("{}{colon}{}", t.invocations_per_workgroup, a.max_compute_invocations_per_workgroup),
            ]
            .join(m.list_sep());
            format!("{} {}{note}{}{limits}{stop}", t.on_webgpu_adapter, a.name(), m.stop_gap())
        }
        (BackendKind::WebGpu, None, _) => format!("{} WebGPU{stop}", t.on_webgpu_adapter),
        (BackendKind::Cpu, _, Some(reason)) => m.cpu_because(reason),
        (BackendKind::Cpu, _, None) => format!("{}{stop}", t.cpu_backend),
    }
}
