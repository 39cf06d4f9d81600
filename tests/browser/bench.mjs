// Benchmark, not a test: the built site's sizes, what a first visit fetches before the first
// shape summary, arrival times (cold, and warm from the service worker), forward-pass and
// training speeds on both backends in headless Chromium. With BENCH_BEFORE=<dir of another
// built site> (e.g. today's main) the same figures are taken for it in the same run, and the
// ratios are reported side by side. Writes JSON to $BENCH_OUT (default
// ../../bench-results/browser.json) and prints it.
import { readdir, readFile, writeFile, mkdir, stat } from 'node:fs/promises';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { SITE_DIR, BASE_PATH, startServer, launch, backendKind, runShapeCell } from './harness.mjs';

const OUT = resolve(process.env.BENCH_OUT ?? '../../bench-results/browser.json');
const BEFORE = process.env.BENCH_BEFORE ? resolve(process.env.BENCH_BEFORE) : null;
const STEPS = Number(process.env.BENCH_STEPS ?? 6);

async function files(dir, prefix = '') {
  const out = [];
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await files(dir, rel)));
    else out.push(rel);
  }
  return out;
}

const compressed = (bytes) => ({
  raw: bytes.length,
  gzip9: gzipSync(bytes, { level: 9 }).length,
  brotli11: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** Sizes of the modules and scripts, raw / gzip -9 / brotli 11. */
async function sizes(dir) {
  const out = {};
  for (const f of await files(dir)) {
    if (!/\.(wasm|js|css)$/.test(f) || f.startsWith('data/')) continue;
    out[f] = compressed(await readFile(join(dir, f)));
  }
  return out;
}

/** Bytes on the wire for a request of `path`: a .gz as is, anything else gzipped -9 (as GitHub Pages
 * compresses text; whether it compresses application/wasm is not known, so a plain .wasm counts raw too). */
async function wire(dir, path) {
  const rel = decodeURIComponent(path.slice(BASE_PATH.length)) || 'index.html';
  try {
    const bytes = await readFile(join(dir, rel));
    return { raw: bytes.length, gzip: rel.endsWith('.gz') ? bytes.length : gzipSync(bytes, { level: 9 }).length };
  } catch {
    return { raw: 0, gzip: 0 };
  }
}

/** One site: arrival (cold, then warm), forward passes, training speed, on one backend. */
async function measure(dir, webgpu) {
  const site = await startServer({ dir });
  const browser = await launch({ webgpu });
  const entry = {};
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const requests = [];
    context.on('request', (r) => {
      if (!r.serviceWorker()) requests.push(new URL(r.url()).pathname);
    });
    const arrive = async (label) => {
      const t0 = performance.now();
      await page.goto(site.url);
      entry.backend = await backendKind(page);
      entry[`${label}_backend_settled_ms`] = Math.round(performance.now() - t0);
      // The first shape summary on the CPU backend (on WebGPU the page starts on the CPU too
      // while the GPU module loads; this measures what a student sees first).
      const status = await runShapeCell(page, [1, 1, 224, 224], 900_000);
      if (status !== 'done') throw new Error(`${label} summary: ${status}`);
      entry[`${label}_first_summary_ms`] = Math.round(performance.now() - t0);
    };
    await arrive('cold');
    let raw = 0;
    let gz = 0;
    for (const p of requests) {
      const w = await wire(dir, p);
      raw += w.raw;
      gz += w.gzip;
    }
    entry.cold_requests = requests.length;
    entry.cold_fetched_raw_bytes = raw;
    entry.cold_fetched_gzip_bytes = gz;
    // The service worker (where the site has one) controls the page from the first visit on.
    await page.waitForTimeout(1500);
    entry.service_worker = await page.evaluate(() => !!navigator.serviceWorker?.controller);
    await arrive('warm');

    for (const [label, shape] of [['224_second', [1, 1, 224, 224]], ['224_batch8', [8, 1, 224, 224]], ['96_batch32', [32, 1, 96, 96]]]) {
      const status = await runShapeCell(page, shape, 900_000);
      if (status !== 'done') throw new Error(`${label}: ${status}`);
      entry[`forward_${label}_ms`] = Number(await page.getByTestId('forward-time').getAttribute('data-ms'));
    }
    // Training in the training cell: Adam, batch 32 at 96 px, a few steps; images/s of the run.
    const steps = webgpu ? 2 : STEPS;
    await page.getByTestId('train-preset').selectOption('book');
    await page.getByTestId('train-optimizer').selectOption('adam');
    for (const [id, v] of Object.entries({ lr: '0.001', batch: '32', size: '96', epochs: '1', train: String(32 * steps), val: '32', test: '32', seed: '1' })) {
      await page.getByTestId(`train-${id}`).fill(v);
    }
    const before = Number(await page.getByTestId('train-cell').getAttribute('data-finished'));
    const t1 = performance.now();
    await page.getByTestId('train-start').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]').dataset.finished) > n, before, { timeout: 1_800_000 });
    entry.train_phase = await page.getByTestId('train-cell').getAttribute('data-phase');
    entry.train_batch32_96px_steps = steps;
    entry.train_batch32_96px_images_per_s = Number(await page.getByTestId('train-progress-text').getAttribute('data-images-per-s'));
    entry.train_run_total_ms = Math.round(performance.now() - t1);
  } catch (e) {
    entry.error = String(e);
  } finally {
    await browser.close();
    site.server.close();
  }
  return entry;
}

const result = { date: new Date().toISOString(), sites: {} };
const dirs = { after: SITE_DIR, ...(BEFORE ? { before: BEFORE } : {}) };
for (const [name, dir] of Object.entries(dirs)) {
  result.sites[name] = { dir, sizes: await sizes(dir), cpu: await measure(dir, false), swiftshader: await measure(dir, true) };
}
if (BEFORE) {
  const r = (a, b) => (b ? Number((a / b).toFixed(3)) : null);
  const [a, b] = [result.sites.after, result.sites.before];
  result.ratios_after_over_before = {
    cold_fetched_gzip_bytes: r(a.cpu.cold_fetched_gzip_bytes, b.cpu.cold_fetched_gzip_bytes),
    cold_first_summary_ms_cpu: r(a.cpu.cold_first_summary_ms, b.cpu.cold_first_summary_ms),
    warm_first_summary_ms_cpu: r(a.cpu.warm_first_summary_ms, b.cpu.warm_first_summary_ms),
    forward_224_second_cpu: r(a.cpu.forward_224_second_ms, b.cpu.forward_224_second_ms),
    forward_96_batch32_cpu: r(a.cpu.forward_96_batch32_ms, b.cpu.forward_96_batch32_ms),
    train_images_per_s_cpu: r(a.cpu.train_batch32_96px_images_per_s, b.cpu.train_batch32_96px_images_per_s),
    forward_224_second_swiftshader: r(a.swiftshader.forward_224_second_ms, b.swiftshader.forward_224_second_ms),
    train_images_per_s_swiftshader: r(a.swiftshader.train_batch32_96px_images_per_s, b.swiftshader.train_batch32_96px_images_per_s),
  };
}
await mkdir(dirname(OUT), { recursive: true });
await writeFile(OUT, JSON.stringify(result, null, 2));
console.log(JSON.stringify(result, null, 2));
