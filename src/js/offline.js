// JS beside src/ui/offline.rs (its `#[wasm_bindgen(module = ...)]` imports). A file, not `inline_js`:
// trunk builds two binaries of this crate (the page and the GPU worker) into one snippets folder,
// and inline snippets are numbered per binary, so one binary's inlineN.js could overwrite the
// other's; a file has one path and one content for both.
export async function sw_register(on_update, on_storage_full) {
  if (!('serviceWorker' in navigator)) return 'unsupported';
  // The service worker could not keep a download: a full disk, not a network failure.
  navigator.serviceWorker.addEventListener('message', (e) => {
    if (e.data?.type === 'storage-error') on_storage_full(String(e.data.name));
  });
  try {
    const reg = await navigator.serviceWorker.register('sw.js');
    const waiting = () => { if (reg.waiting && navigator.serviceWorker.controller) on_update(); };
    waiting();
    reg.addEventListener('updatefound', () => {
      const w = reg.installing;
      w?.addEventListener('statechange', () => { if (w.state === 'installed') waiting(); });
    });
    return 'registered';
  } catch (e) {
    return 'failed: ' + e;
  }
}
export async function sw_apply_update() {
  const reg = await navigator.serviceWorker?.getRegistration();
  if (!reg?.waiting) { location.reload(); return; }
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  reg.waiting.postMessage('skip-waiting');
}
export async function storage_report() {
  const est = navigator.storage?.estimate ? await navigator.storage.estimate().catch(() => ({})) : {};
  let shards = [];
  if (self.caches) {
    try {
      const cache = await caches.open('nin-data');
      shards = (await cache.keys()).map((r) => new URL(r.url).pathname.split('/').pop());
    } catch {}
  }
  return { usage: est.usage ?? 0, shards, controlled: !!navigator.serviceWorker?.controller };
}
export async function clear_data() {
  if (self.caches) await caches.delete('nin-data');
}
export function online() {
  return navigator.onLine !== false;
}
