// JS beside src/ui/fetch.rs (its `#[wasm_bindgen(module = ...)]` imports). A file, not `inline_js`:
// trunk builds two binaries of this crate (the page and the GPU worker) into one snippets folder,
// and inline snippets are numbered per binary, so one binary's inlineN.js could overwrite the
// other's; a file has one path and one content for both.
export async function gunzip(bytes) {
  const PIECE = 1 << 20;
  let at = 0;
  const source = new ReadableStream({
    async pull(controller) {
      if (at >= bytes.length) { controller.close(); return; }
      await new Promise((resolve) => setTimeout(resolve, 0));
      controller.enqueue(bytes.subarray(at, at + PIECE));
      at += PIECE;
    },
  }, { highWaterMark: 0 });
  const stream = source.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
// Drops one stored shard from the service worker's data cache (a damaged copy would otherwise
// be served on every visit); true when there was one.
export async function forget_shard(url) {
  if (!self.caches) return false;
  try { return await (await caches.open('nin-data')).delete(new URL(url, self.document?.baseURI ?? self.location.href).href); } catch { return false; }
}
