// Benchmark, not a test: sizes of the built site and timings in headless Chromium on both
// backends (shape cell forward passes; training images/s and data load in the training cell). Writes JSON to $BENCH_OUT (default ../../bench-results/browser.json) and prints it.
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { SITE_DIR, startServer, launch, openPage, backendKind, runShapeCell } from './harness.mjs';

const OUT = resolve(process.env.BENCH_OUT ?? '../../bench-results/browser.json');
const result = { date: new Date().toISOString(), site: {}, browser: {} };

for (const name of await readdir(SITE_DIR)) {
  if (!/\.(wasm|js)$/.test(name) || name.endsWith('_loader.js')) continue;
  const bytes = await readFile(join(SITE_DIR, name));
  // The page's module, and the CPU training worker's (loaded only when a CPU run starts).
  const kind = (name.startsWith('nin-worker') ? 'worker_' : '') + (name.endsWith('.wasm') ? 'wasm' : 'js');
  result.site[kind] = {
    file: name,
    raw_bytes: bytes.length,
    gzip9_bytes: gzipSync(bytes, { level: 9 }).length,
    brotli_bytes: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const site = await startServer();
const forwardMs = (page) => page.getByTestId('forward-time').getAttribute('data-ms').then(Number);
for (const webgpu of [false, true]) {
  const browser = await launch({ webgpu });
  const entry = {};
  try {
    const t0 = performance.now();
    const { page, problems } = await openPage(browser, site.origin, site.url);
    entry.backend = await backendKind(page);
    entry.backend_ready_ms = Math.round(performance.now() - t0);
    for (const [label, shape] of [['224_first', [1, 1, 224, 224]], ['224_second', [1, 1, 224, 224]], ['224_batch8', [8, 1, 224, 224]], ['96_batch32', [32, 1, 96, 96]]]) {
      const t = performance.now();
      const status = await runShapeCell(page, shape, 900_000);
      if (status !== 'done') throw new Error(`${label}: ${status}`);
      if (label === '224_first') entry.time_to_first_summary_ms = Math.round(performance.now() - t0);
      entry[`forward_${label}_ms`] = await forwardMs(page);
      entry[`cell_${label}_ms`] = Math.round(performance.now() - t);
    }
    // Training in the training cell: data download + decode (Start -> first training phase,
    // which also builds the model), then images/s over a few Adam steps at batch 32, 96 px.
    // Larger settings (batch 128, 224 px) take minutes per step on these software backends.
    const steps = webgpu ? 2 : 4;
    await page.getByTestId('train-preset').selectOption('book');
    await page.getByTestId('train-optimizer').selectOption('adam');
    for (const [id, v] of Object.entries({ lr: '0.001', batch: '32', size: '96', epochs: '1', train: String(32 * steps), val: '32', test: '32', seed: '1' })) {
      await page.getByTestId(`train-${id}`).fill(v);
    }
    const phase = () => page.getByTestId('train-cell').getAttribute('data-phase');
    const before = Number(await page.getByTestId('train-cell').getAttribute('data-finished'));
    const t1 = performance.now();
    await page.getByTestId('train-start').click();
    await page.waitForFunction(() => !['idle', 'loading'].includes(document.querySelector('[data-testid="train-cell"]').dataset.phase), null, { timeout: 600_000 });
    entry.train_data_and_build_ms = Math.round(performance.now() - t1);
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]').dataset.finished) > n, before, { timeout: 1_800_000 });
    entry.train_phase = await phase();
    entry.train_batch32_96px_steps = steps;
    entry.train_batch32_96px_images_per_s = Number(await page.getByTestId('train-progress-text').getAttribute('data-images-per-s'));
    entry.train_run_total_ms = Math.round(performance.now() - t1);
    entry.page_problems = problems;
  } catch (e) {
    entry.error = String(e);
  } finally {
    await browser.close();
  }
  result.browser[webgpu ? 'swiftshader_webgpu_flags' : 'no_webgpu_flags'] = entry;
}
site.server.close();

await mkdir(dirname(OUT), { recursive: true });
await writeFile(OUT, JSON.stringify(result, null, 2));
console.log(JSON.stringify(result, null, 2));
