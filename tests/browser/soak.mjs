// Memory soak (a benchmark, not a test: it takes minutes): in one page, 10 short training runs
// one after another on each backend (the CPU worker, and WebGPU on SwiftShader), then 50 shape
// summaries, recording after each the memory of the page and its workers
// (performance.measureUserAgentSpecificMemory(), which needs the cross-origin isolation the
// test server adds here), the page's live Rust heap (src/heap.rs) and, for the record, the
// size of the page's WebAssembly memory. Growth from run 2 to run 10 (and from summary 10 to
// 50) of the first two must stay under 10 %. Writes $SOAK_OUT (default
// ../../bench-results/soak.json) and exits non-zero when growth is over the bound.
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { startServer, launch, backendKind, runShapeCell, startAndWait, fillTraining, TINY_CPU, TINY_GPU, NO_SW } from './harness.mjs';

const OUT = resolve(process.env.SOAK_OUT ?? '../../bench-results/soak.json');
const RUNS = Number(process.env.SOAK_RUNS ?? 10);
const SUMMARIES = Number(process.env.SOAK_SUMMARIES ?? 50);

// Keeps the page module's memory (trunk announces the instance when it starts).
const CAPTURE = `addEventListener('TrunkApplicationStarted', (e) => { window.__ninMemory = e.detail.wasm.memory; });`;

async function measure(page) {
  return page.evaluate(async () => {
    const wasm = window.__ninMemory?.buffer.byteLength ?? 0;
    // The page's live heap (src/heap.rs): wasm memory only grows, so its size is a high-water
    // mark; what is allocated and not freed tells a leak from a peak.
    const heap = window.wasmBindings?.heap_live_bytes?.() ?? null;
    let total = null;
    if (crossOriginIsolated && performance.measureUserAgentSpecificMemory) total = (await performance.measureUserAgentSpecificMemory()).bytes;
    return { total, page_wasm: wasm, page_heap: heap };
  });
}

const growth = (xs, from) => (xs.at(-1) - xs[from]) / xs[from];

const result = { date: new Date().toISOString() };
const site = await startServer({ isolate: true });
let failed = false;
for (const webgpu of [false, true]) {
  const name = webgpu ? 'swiftshader' : 'cpu';
  const browser = await launch({ webgpu });
  try {
    const context = await browser.newContext(NO_SW);
    await context.addInitScript(CAPTURE);
    const page = await context.newPage();
    await page.goto(site.url);
    const entry = { backend: await backendKind(page), isolated: await page.evaluate(() => crossOriginIsolated), runs: [], summaries: [] };
    await page.getByTestId('train-preset').selectOption(webgpu ? 'short' : 'cpu');
    await fillTraining(page, webgpu ? TINY_GPU : TINY_CPU);
    for (let i = 0; i < RUNS; i++) {
      const phase = await startAndWait(page);
      if (phase !== 'done') throw new Error(`run ${i + 1}: ${phase}`);
      entry.runs.push(await measure(page));
    }
    for (let i = 0; i < SUMMARIES; i++) {
      if ((await runShapeCell(page, [1, 1, webgpu ? 67 : 224, webgpu ? 67 : 224], 600_000)) !== 'done') throw new Error(`summary ${i + 1}`);
      if ((i + 1) % 10 === 0) entry.summaries.push(await measure(page));
    }
    for (const [what, list, from] of [['runs', entry.runs, 1], ['summaries', entry.summaries, 0]]) {
      for (const key of ['total', 'page_heap', 'page_wasm']) {
        const xs = list.map((m) => m[key]).filter((x) => x !== null);
        if (xs.length < 2) continue;
        const g = growth(xs, from);
        entry[`${what}_${key}_growth`] = Number(g.toFixed(4));
        // The wasm memory's size is recorded but not bounded: it never shrinks, so it is the
        // allocator's high-water mark (it reaches a plateau by run 4 and stays there).
        if (g >= 0.1 && key !== 'page_wasm') failed = true;
      }
    }
    result[name] = entry;
  } catch (e) {
    result[name] = { error: String(e) };
    failed = true;
  } finally {
    await browser.close();
  }
}
site.server.close();
await mkdir(dirname(OUT), { recursive: true });
await writeFile(OUT, JSON.stringify(result, null, 2));
console.log(JSON.stringify(result, null, 2));
process.exit(failed ? 1 : 0);
