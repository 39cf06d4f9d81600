// WebGPU implementations that differ and GPUs that fail, in headless Chromium: an adapter
// without `timestamp-query` runs on WebGPU all the same (the patched cubecl-wgpu, see
// patches/README.md); a worker whose adapter reports a limit under WebGPU's defaults is refused
// before Burn starts; a device lost in the middle of a run, an uncaptured WebGPU error, an
// out-of-memory error and a panic in the worker each end the run with a clear message, keep its
// curves, and leave the page working, with one click to go on on the CPU. The faults are
// injected by test-only scripts that run before the page's or the worker's own code; nothing in
// the app is changed for them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, openPage, backendKind, runShapeCell, shapeRows, BOOK_SHAPES_224,
  workerPrelude, hideAdapterFeature, onNthMap, startAndWait, fillTraining, TINY_CPU, TINY_GPU, GPU_WORKER, NO_SW,
} from './harness.mjs';

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

const board = async (page) => {
  const b = page.getByTestId('train-board');
  return { train: Number(await b.getAttribute('data-train-points')), val: Number(await b.getAttribute('data-val-points')) };
};
const status = (page) => page.getByTestId('train-status').textContent();

test('an adapter without timestamp-query: WebGPU all the same, the cells and a tiny run work on it', async () => {
  // cubecl-wgpu 0.11.3 as published panicked on such an adapter in wasm when its first stream
  // was created; the app builds a patched copy (patches/README.md), so nothing refuses it.
  const browser = await launch({ webgpu: true });
  try {
    const context = await browser.newContext(NO_SW);
    // Hidden in the page and in every GPU worker (the page's GPU engine and the run's).
    await context.addInitScript(hideAdapterFeature('timestamp-query'));
    await workerPrelude(context, hideAdapterFeature('timestamp-query'));
    const requests = [];
    context.on('request', (r) => requests.push(new URL(r.url()).pathname));
    const { page, problems } = await openPageIn(context, site);
    assert.equal(await backendKind(page), 'WebGpu');
    // The hook is on: the page's adapter does not list the feature.
    assert.equal(await page.evaluate(async () => (await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' })).features.has('timestamp-query')), false);
    // The GPU module was fetched and its engine opened a device without the feature.
    assert.ok(requests.some((p) => p.includes('nin-gpu')), requests.join(' '));
    assert.match(await page.getByTestId('backend-reason').textContent(), /^Burn's wgpu backend on .*swiftshader.*Largest buffer: [\d.]+ (MiB|GiB)/i);
    assert.equal(await page.getByTestId('use-webgpu').isDisabled(), false);
    // The shape cell on the GPU engine (the first WebGPU run compiles every kernel: minutes).
    assert.equal(await runShapeCell(page, [1, 1, 224, 224], 600_000), 'done');
    assert.deepEqual(await shapeRows(page), BOOK_SHAPES_224);
    assert.equal(await backendKind(page), 'WebGpu');
    // A tiny run in a GPU worker without the feature: done, every point plotted, the training
    // losses finite and starting near ln 10 (an untrained model), as on the CPU.
    await page.getByTestId('train-preset').selectOption('short');
    await fillTraining(page, TINY_GPU);
    assert.equal(await page.getByTestId('train-backend').textContent(), 'WebGPU');
    assert.equal(await startAndWait(page), 'done', await status(page));
    const points = await board(page);
    assert.ok(points.train >= 1 && points.val >= 1, JSON.stringify(points));
    const losses = (await page.getByTestId('curve-train-loss').getAttribute('data-losses')).split(',').map(Number);
    assert.equal(losses.length, points.train);
    assert.ok(losses.every((l) => Number.isFinite(l) && l > 0), losses.join(' '));
    assert.ok(Math.abs(losses[0] - Math.log(10)) < 0.3, `first loss ${losses[0]}`);
    assert.equal(await backendKind(page), 'WebGpu');
    // The same adapter line in Japanese.
    await page.getByTestId('lang-toggle').click();
    assert.equal(await page.getByTestId('backend-summary').textContent(), 'GPU（WebGPU）で計算しています。');
    assert.match(await page.getByTestId('backend-reason').textContent(), /^Burn の wgpu バックエンド、アダプタ: .*swiftshader/i);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a worker whose adapter reports a limit under WebGPU\'s defaults: refused before Burn starts, one click to the CPU', async () => {
  const browser = await launch({ webgpu: true });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'WebGpu');
    await workerPrelude(page, lowerAdapterLimit('maxStorageBuffersPerShaderStage', 4));
    await page.getByTestId('train-preset').selectOption('short');
    await fillTraining(page, TINY_GPU);
    assert.equal(await startAndWait(page), 'failed');
    assert.match(await status(page), /WebGPU could not be started in the training worker \(this browser's WebGPU reports maxStorageBuffersPerShaderStage = 4, below the 8 this needs\)/);
    await page.getByTestId('train-use-cpu').click();
    assert.equal(await backendKind(page), 'Cpu');
    await fillTraining(page, TINY_CPU);
    assert.equal(await startAndWait(page), 'done', await status(page));
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

/**
 * A prelude for a worker (or the page) whose adapter reports the limit `name` as `value`, as a
 * compatibility-mode adapter would; every other limit reads through.
 */
function lowerAdapterLimit(name, value) {
  return `(() => {
    if (typeof GPUAdapter === 'undefined') return;
    const limits = Object.getOwnPropertyDescriptor(GPUAdapter.prototype, 'limits').get;
    Object.defineProperty(GPUAdapter.prototype, 'limits', { configurable: true, get() {
      return new Proxy(limits.call(this), { get: (t, k) => (k === ${JSON.stringify(name)} ? ${JSON.stringify(value)} : Reflect.get(t, k)) });
    } });
  })();`;
}

/** A page in `context` that records problems (as harness.openPage does for a browser). */
async function openPageIn(context, site) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== site.origin) problems.push(`request left the site: ${u}`);
  });
  await page.goto(site.url);
  return { page, problems };
}

/**
 * On SwiftShader: a tiny WebGPU run whose worker gets `fault` at its 5th buffer map (after one
 * training step and one validation point), then the checks every GPU failure shares: the run
 * fails with `pattern`, the curves stay, the page's cells still work, and one click goes on on
 * the CPU with the same settings, which finishes.
 */
async function faultMidRun(fault, pattern) {
  const browser = await launch({ webgpu: true });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'WebGpu');
    await workerPrelude(page, onNthMap(5, fault));
    await page.getByTestId('train-preset').selectOption('short');
    await fillTraining(page, TINY_GPU);
    assert.equal(await startAndWait(page), 'failed');
    assert.match(await status(page), pattern);
    assert.match(await status(page), /The curves so far are kept/);
    const kept = await board(page);
    assert.ok(kept.train >= 1 && kept.val >= 1, `curves kept: ${JSON.stringify(kept)}`);
    // The page's own WebGPU device is untouched: the shape cell still runs there.
    assert.equal(await backendKind(page), 'WebGpu');
    assert.equal(await runShapeCell(page, [1, 1, 67, 67]), 'done');
    // One click: the CPU, the same settings, a new run that finishes.
    await page.unroute(`**/${GPU_WORKER}`);
    const before = Number(await page.getByTestId('train-cell').getAttribute('data-finished'));
    await page.getByTestId('train-continue-cpu').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > n, before, { timeout: 600_000 });
    assert.equal(await page.getByTestId('train-cell').getAttribute('data-phase'), 'done', await status(page));
    assert.equal(await backendKind(page), 'Cpu');
    assert.match(await page.getByTestId('backend-reason').textContent(), /the GPU failed during a run \(.+\) and you continued on the CPU\.$/);
    assert.equal(await page.getByTestId('train-batch').inputValue(), TINY_GPU.batch, 'the same settings');
    assert.equal((await board(page)).train, 4, 'a whole new run');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
}

test('the worker\'s GPU device is lost in the middle of a run', async () => {
  await faultMidRun('(device) => device.destroy()', /The run stopped because the GPU device was lost/);
});

test('an uncaptured WebGPU validation error in the middle of a run', async () => {
  // Mapping for reading and writing at once is invalid: a validation error nobody captures.
  await faultMidRun('(device) => device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.MAP_WRITE })', /The run stopped because the GPU refused a command/);
});

test('out of GPU memory: a clear error, then the largest batch that fits is offered', async () => {
  const browser = await launch({ webgpu: true });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'WebGpu');
    // SwiftShader does not run out for real: the worker's device reports an out-of-memory error
    // as a browser would (an uncaptured GPUOutOfMemoryError).
    await workerPrelude(page, onNthMap(5, `(device) => device.dispatchEvent(new GPUUncapturedErrorEvent('uncapturederror', { error: new GPUOutOfMemoryError('test: no room for a buffer') }))`));
    await page.getByTestId('train-preset').selectOption('short');
    await fillTraining(page, TINY_GPU);
    assert.match(await page.getByTestId('train-check').textContent(), /browsers do not report GPU memory/);
    assert.equal(await startAndWait(page), 'failed');
    assert.match(await status(page), /the GPU ran out of memory: test: no room for a buffer/);
    // The same settings are now refused, with a smaller batch offered and accepted.
    await page.getByTestId('train-error-batch').waitFor();
    assert.match(await page.getByTestId('train-error-batch').textContent(), /Training at batch 8 needs about [\d.]+ MiB; a run that needed [\d.]+ MiB ran out of GPU memory on this page/);
    const offer = await page.getByTestId('train-use-batch').textContent();
    const n = Number(offer.match(/(\d+)\s*$/)[1]);
    assert.ok(n >= 1 && n < Number(TINY_GPU.batch), offer);
    await page.getByTestId('train-use-batch').click();
    assert.equal(await page.getByTestId('train-error-batch').count(), 0);
    assert.match(await page.getByTestId('train-check').textContent(), /this GPU ran out above [\d.]+ MiB/);
    assert.ok(!(await page.getByTestId('train-start').isDisabled()));
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('the GPU engine\'s device is lost during a shape summary: a clear error, the page goes on on the CPU', async () => {
  const browser = await launch({ webgpu: true });
  try {
    const context = await browser.newContext(NO_SW);
    // The engine worker's device is destroyed when the shape cell's summary first reads back.
    await workerPrelude(context, onNthMap(1, '(device) => device.destroy()'));
    const { page, problems } = await openPageIn(context, site);
    assert.equal(await backendKind(page), 'WebGpu');
    assert.equal(await runShapeCell(page, [1, 1, 67, 67]), 'error');
    assert.match(await page.getByTestId('cell-error').textContent(), /WebGPU failed on this page \(the GPU device was lost: destroyed/);
    assert.equal(await backendKind(page), 'Cpu');
    assert.match(await page.getByTestId('backend-reason').textContent(), /WebGPU failed on this page .*reload the page to try it again/);
    assert.ok(await page.getByTestId('use-webgpu').isDisabled());
    assert.equal(await runShapeCell(page, [1, 1, 224, 224]), 'done');
    assert.deepEqual(await shapeRows(page), BOOK_SHAPES_224);
    assert.equal(await page.locator('#panic-overlay').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a panic in the training worker ends the run cleanly, and the next run works', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext(NO_SW);
    // Keep a handle on every worker the page starts, to send it the test-only "Panic" message.
    await context.addInitScript(`(() => {
      const Native = window.Worker;
      window.__ninWorkers = [];
      window.Worker = class extends Native { constructor(...a) { super(...a); window.__ninWorkers.push(this); } };
    })();`);
    const { page, problems } = await openPageIn(context, site);
    assert.equal(await backendKind(page), 'Cpu');
    await page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(page, { ...TINY_CPU, train: '640' });
    const before = Number(await page.getByTestId('train-cell').getAttribute('data-finished'));
    await page.getByTestId('train-start').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="train-board"]')?.dataset.trainPoints) >= 2, null, { timeout: 300_000 });
    await page.evaluate(() => window.__ninWorkers.at(-1).postMessage({ msg: { Run: 'Panic' }, buffers: [] }));
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > n, before, { timeout: 300_000 });
    assert.equal(await page.getByTestId('train-cell').getAttribute('data-phase'), 'failed');
    assert.match(await status(page), /The training worker stopped because of an internal error \(the test hook asked the training worker to panic at src\/worker\/guest\.rs:\d+\)/);
    assert.ok((await board(page)).train >= 2, 'the curves stay');
    assert.equal(await page.locator('#panic-overlay').count(), 0, 'the page did not panic');
    await page.getByTestId('lang-toggle').click();
    assert.match(await status(page), /内部エラーのため訓練用ワーカーが停止しました/);
    await page.getByTestId('lang-toggle').click();
    await fillTraining(page, TINY_CPU);
    assert.equal(await startAndWait(page), 'done', await status(page));
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('out of GPU memory in the shape summary: WebGPU stays on, a smaller batch is offered, and a later success lifts the limit', async () => {
  const browser = await launch({ webgpu: true });
  try {
    const context = await browser.newContext(NO_SW);
    // The engine worker's device reports an out-of-memory error when the summary first reads back.
    await workerPrelude(context, onNthMap(1, `(device) => device.dispatchEvent(new GPUUncapturedErrorEvent('uncapturederror', { error: new GPUOutOfMemoryError('test: no room for a buffer') }))`));
    const { page, problems } = await openPageIn(context, site);
    assert.equal(await backendKind(page), 'WebGpu');
    assert.equal(await runShapeCell(page, [2, 1, 67, 67]), 'error');
    assert.match(await page.getByTestId('cell-error').textContent(), /^The GPU ran out of memory: batch 2 needs about [\d.]+ MiB, too much for this GPU now\. WebGPU stays on: try a smaller batch, at most 1\.$/);
    assert.equal(await backendKind(page), 'WebGpu', 'WebGPU is not turned off');
    assert.doesNotMatch(await page.getByTestId('backend-reason').textContent(), /failed/);
    // As large a batch again is not sent; the offered batch runs on the GPU.
    assert.equal(await runShapeCell(page, [4, 1, 67, 67]), 'error');
    assert.match(await page.getByTestId('cell-error').textContent(), /^Batch 4 needs about [\d.]+ MiB; a request of [\d.]+ MiB ran out of GPU memory on this page, so this one is not sent\. Use a batch of at most 1 /);
    const before = Number(await page.getByTestId('cell-status').getAttribute('data-finished'));
    await page.getByTestId('shape-use-batch').click();
    await page.waitForFunction((n) => {
      const el = document.querySelector('[data-testid="cell-status"]');
      return Number(el?.dataset.finished) > n && ['done', 'error'].includes(el.dataset.status);
    }, before, { timeout: 120_000 });
    assert.equal(await page.getByTestId('cell-status').getAttribute('data-status'), 'done');
    assert.equal(await page.getByTestId('shape-batch').inputValue(), '1');
    // That success lifted the limit: batch 2 runs now, on WebGPU, without a reload.
    assert.equal(await runShapeCell(page, [2, 1, 67, 67]), 'done');
    assert.equal(await backendKind(page), 'WebGpu');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('the GPU fails while scoring a loaded model: one click scores the same model again on the CPU', async () => {
  const browser = await launch({ webgpu: true });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'WebGpu');
    // The scoring worker's device is lost at its first readback.
    await workerPrelude(page, onNthMap(1, '(device) => device.destroy()'));
    await page.getByTestId('train-preset').selectOption('short');
    await fillTraining(page, { batch: '8', test: '16' });
    const file = new URL('../../models/nin-book-96px.ninw', import.meta.url);
    const finished = async () => Number(await page.getByTestId('train-cell').getAttribute('data-finished'));
    const waitFinished = (n) => page.waitForFunction((k) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > k, n, { timeout: 600_000 });
    let n = await finished();
    await page.getByTestId('train-load-weights').setInputFiles(file.pathname);
    await waitFinished(n);
    assert.equal(await page.getByTestId('train-cell').getAttribute('data-phase'), 'failed');
    assert.match(await status(page), /the GPU device was lost/);
    const offer = page.getByTestId('train-continue-cpu');
    assert.equal(await offer.getAttribute('data-job'), 'score');
    assert.equal(await offer.textContent(), 'Score the same model again on the CPU');
    await page.unroute(`**/${GPU_WORKER}`);
    n = await finished();
    await offer.click();
    await waitFinished(n);
    assert.equal(await page.getByTestId('train-cell').getAttribute('data-phase'), 'done', await status(page));
    assert.equal(await backendKind(page), 'Cpu');
    // The same model scored, not a training run.
    assert.equal((await board(page)).train, 0, 'no training run started');
    assert.equal(await page.getByTestId('train-loaded').getAttribute('data-size'), '96');
    assert.match(await page.getByTestId('train-results').textContent(), /\(\d+ \/ 16\)/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a software adapter (SwiftShader): the page starts on the faster CPU, says why, and WebGPU is one remembered click away', async () => {
  // Issue 30: a weak or software adapter is not chosen over the CPU by presence alone.
  const browser = await launch({ webgpu: true, preferWebgpu: false });
  try {
    const context = await browser.newContext(NO_SW);
    const requests = [];
    context.on('request', (r) => requests.push(new URL(r.url()).pathname));
    const { page, problems } = await openPageIn(context, site);
    assert.equal(await backendKind(page), 'Cpu');
    const reason = await page.getByTestId('backend-reason').textContent();
    assert.match(reason, /software/i);
    assert.match(reason, /19× faster/);
    assert.ok(!requests.some((p) => p.includes('nin-gpu')), 'the GPU module is not fetched for a backend the page does not use');
    // The student can still choose it: the engine starts on the click.
    assert.equal(await page.getByTestId('use-webgpu').isDisabled(), false);
    await page.getByTestId('use-webgpu').click();
    await page.waitForSelector('[data-testid="backend-kind"][data-kind="Some(WebGpu)"][data-settled="true"]', { timeout: 120_000 });
    assert.ok(requests.some((p) => p.includes('nin-gpu')), requests.join(' '));
    // Remembered: the next visit starts on WebGPU; choosing the CPU is remembered too.
    await page.reload();
    assert.equal(await backendKind(page), 'WebGpu');
    await page.getByTestId('use-cpu').click();
    await page.reload();
    assert.equal(await backendKind(page), 'Cpu');
    assert.match(await page.getByTestId('backend-reason').textContent(), /software/i);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
