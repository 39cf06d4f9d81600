// JS beside src/worker/host.rs (its `#[wasm_bindgen(module = ...)]` imports). A file, not `inline_js`:
// trunk builds two binaries of this crate (the page and the GPU worker) into one snippets folder,
// and inline snippets are numbered per binary, so one binary's inlineN.js could overwrite the
// other's; a file has one path and one content for both.
// The URL of this page's wasm-bindgen glue: of the two modules (strict or relaxed SIMD), the
// one index.html's loader picked (scripts/post_build.mjs sets `window.__ninModule`).
export function glue_url() {
  const glue = window.__ninModule?.glue;
  return glue ? new URL(glue, document.baseURI).href : '';
}
// A worker script's content-hashed name, which scripts/post_build.mjs puts in a <meta> tag.
export function worker_script(name, fallback) {
  return document.querySelector(`meta[name="${name}"]`)?.content || fallback;
}
// A worker being dropped: its handlers (Rust closures about to be freed) are replaced, so that
// an event already queued (the error event that follows a panic) finds one that keeps it quiet.
export function quiet(worker) {
  worker.onmessage = null;
  worker.onerror = (e) => e.preventDefault();
}
