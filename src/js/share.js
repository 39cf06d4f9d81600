// JS beside src/ui/model_code_share.rs (its `#[wasm_bindgen(module = ...)]` imports). A file, not `inline_js`:
// trunk builds two binaries of this crate (the page and the GPU worker) into one snippets folder,
// and inline snippets are numbered per binary, so one binary's inlineN.js could overwrite the
// other's; a file has one path and one content for both.
export async function deflate_raw(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
export async function copy_text(text) {
  try { await navigator.clipboard.writeText(text); return true; } catch { return false; }
}
