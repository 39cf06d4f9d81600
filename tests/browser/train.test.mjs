// The training cell in a real browser, on SwiftShader WebGPU and on the CPU fallback: the data
// loads from the served files, a short run updates the board, pause/resume/stop work, the test
// report (accuracy, confusion matrix, per-class bars, gallery) renders with consistent values,
// the CSV download matches the curves, and no page error happens. On both backends the run is
// in a Web Worker, and Chromium's trace shows no main-thread task that takes over 200 ms of the
// thread's CPU from the worker's start to the end of testing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, launch, openPage, backendKind, traceMainThread, CPU_WORKER, GPU_WORKER } from './harness.mjs';

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

/**
 * Tiny runs on top of the CPU preset (4 validation points per epoch). SwiftShader runs WebGPU
 * in software (a 32x96x96 forward pass takes ~17 s), so its run is smaller still.
 */
const TINY_CPU = { fields: { size: '67', batch: '16', train: '160', val: '100', test: '300', epochs: '1', lr: '0.001', seed: '1' }, steps: 10, val: 5, test: 300 };
const TINY_GPU = { fields: { size: '67', batch: '8', train: '32', val: '16', test: '48', epochs: '1', lr: '0.001', seed: '1' }, steps: 4, val: 4, test: 48 };

const phase = (page) => page.getByTestId('train-cell').getAttribute('data-phase');
const finished = async (page) => Number(await page.getByTestId('train-cell').getAttribute('data-finished'));
const points = async (page) => {
  const board = page.getByTestId('train-board');
  return { train: Number(await board.getAttribute('data-train-points')), val: Number(await board.getAttribute('data-val-points')) };
};

/** The try-it cell's output: probabilities sum to 1, the input was drawn, four blocks of maps. */
async function checkTry(page, fromTestSet) {
  // The cell's run counter changes with its outcome; the input thumbnail is painted by an effect
  // right after (a race this test lost once under load): let a frame and a task pass first.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  const probs = (await page.getByTestId('try-prob').evaluateAll((els) => els.map((e) => Number(e.dataset.value))));
  assert.equal(probs.length, 10);
  assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-3, probs.join());
  const best = Number(await page.getByTestId('try-probs').getAttribute('data-best'));
  assert.equal(best, probs.indexOf(Math.max(...probs)));
  assert.equal(await page.getByTestId('try-truth').count(), fromTestSet ? 1 : 0);
  const input = await page.$eval('.try-input canvas', (c) => [...c.getContext('2d').getImageData(0, 0, 28, 28).data].filter((_, i) => i % 4 === 0));
  if (fromTestSet) {
    // A random test image, shown as stored: 812 of the 10,000 do not reach both 0 and 255
    // (which made this check fail now and then), but none is flat.
    assert.ok(Math.max(...input) > Math.min(...input), 'the test image is drawn');
  } else {
    // A drawing is stretched to the full range before the model sees it.
    assert.ok(Math.max(...input) === 255 && Math.min(...input) === 0, 'the input spans 0-255');
  }
  // At 67 px the four blocks give 96x15x15, 256x7x7, 384x3x3, 10x1x1.
  const groups = await page.getByTestId('try-map-group').evaluateAll((els) => els.map((e) => [e.dataset.channels, e.dataset.height, e.dataset.width].map(Number)));
  assert.deepEqual(groups, [[96, 15, 15], [256, 7, 7], [384, 3, 3], [10, 1, 1]]);
  assert.equal(await page.getByTestId('try-map').count(), 6 * 4);
}

async function fill(page, values) {
  for (const [id, v] of Object.entries(values)) await page.getByTestId(`train-${id}`).fill(v);
}

async function waitPhase(page, phases, timeout = 300_000) {
  await page.waitForFunction((ps) => ps.includes(document.querySelector('[data-testid="train-cell"]')?.dataset.phase), phases, { timeout });
  return phase(page);
}

/** Fills `values`, expects Start refused with a batch offer, takes the offer, expects it accepted. */
async function refusedWithOffer(page, values, pattern) {
  await fill(page, values);
  // A batch too large for a buffer or for memory is refused at the batch field (issue 29).
  await page.getByTestId('train-error-batch').waitFor();
  assert.match(await page.getByTestId('train-error-batch').textContent(), pattern);
  assert.equal(await page.getByTestId('train-batch').getAttribute('aria-invalid'), 'true');
  assert.ok(await page.getByTestId('train-start').isDisabled());
  const offer = await page.getByTestId('train-use-batch').textContent();
  const n = Number(offer.match(/(\d+)\s*$/)[1]);
  assert.ok(n > 0 && n < Number(values.batch ?? 1e9), offer);
  await page.getByTestId('train-use-batch').click();
  assert.equal(await page.getByTestId('train-batch').inputValue(), String(n));
  assert.equal(await page.getByTestId('train-error-batch').count(), 0);
  assert.ok(!(await page.getByTestId('train-start').isDisabled()));
  return n;
}

/** Polyline points as [x, y] pairs. */
async function curve(page, id) {
  const pts = (await page.getByTestId(id).getAttribute('points')) ?? '';
  return pts.trim() === '' ? [] : pts.trim().split(/\s+/).map((p) => p.split(',').map(Number));
}

/** Starts a tiny run, pauses and resumes it once, waits for the end; returns the CSV text. */
async function tinyRun(page, tiny) {
  const STEPS = tiny.steps;
  await page.getByTestId('train-preset').selectOption('cpu');
  await fill(page, tiny.fields);
  await page.waitForFunction(() => !document.querySelector('[data-testid="train-start"]').disabled);
  const before = await finished(page);
  await page.getByTestId('train-start').click();

  // Data loads from the served files with a progress bar, then training starts.
  await waitPhase(page, ['training', 'validating']);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="train-board"]')?.dataset.trainPoints) >= 1, null, { timeout: 300_000 });

  // Pause: the phase says so and the curves stop growing; resume continues.
  await page.getByTestId('train-pause').click();
  assert.equal(await waitPhase(page, ['paused', 'done']), 'paused', 'the run pauses');
  const frozen = await points(page);
  await page.waitForTimeout(1500);
  assert.deepEqual(await points(page), frozen, 'no training while paused');
  assert.match(await page.getByTestId('train-status').textContent(), /pause/i);
  await page.getByTestId('train-resume').click();

  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > n, before, { timeout: 600_000 });
  assert.equal(await phase(page), 'done', await page.getByTestId('train-status').textContent());

  // The board: one point per chunk, one validation point per 2 steps, a full progress bar.
  const { train, val } = await points(page);
  assert.ok(train >= 2 && train <= STEPS, `train points ${train}`);
  assert.equal(val, tiny.val, 'validation points: 4 per epoch, at least one step apart');
  assert.equal(await page.getByTestId('train-progress').getAttribute('value'), String(STEPS));
  assert.equal(await page.getByTestId('train-progress').getAttribute('max'), String(STEPS));
  assert.equal((await curve(page, 'curve-train-loss')).length, train);
  assert.equal((await curve(page, 'curve-val-loss')).length, val);
  const acc = await curve(page, 'curve-val-acc');
  assert.equal(acc.length, val);
  // x grows along the run.
  for (let i = 1; i < acc.length; i++) assert.ok(acc[i][0] > acc[i - 1][0]);

  // The plateau panel reads the last validation point: dead logits out of 10, and a verdict.
  assert.match(await page.getByTestId('train-dead-logits').textContent(), /^(10|\d) \/ 10$/);
  assert.match(await page.getByTestId('train-plateau-verdict').getAttribute('data-at-chance'), /^(true|false)$/);

  // The test report: the chosen number of test images in a 10x10 confusion matrix whose diagonal gives the accuracy.
  const accuracy = Number(await page.getByTestId('test-accuracy').getAttribute('data-value'));
  assert.ok(accuracy >= 0 && accuracy <= 1, `test accuracy ${accuracy}`);
  const matrix = await page.$$eval('[data-testid="confusion"] tbody tr', (rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent))));
  assert.equal(matrix.length, 10);
  for (const row of matrix) assert.equal(row.length, 10);
  const total = matrix.flat().reduce((a, b) => a + b, 0);
  assert.equal(total, tiny.test);
  const diagonal = matrix.reduce((a, row, i) => a + row[i], 0);
  assert.ok(Math.abs(diagonal / total - accuracy) < 1e-3, `diagonal ${diagonal} vs accuracy ${accuracy}`);
  const heads = await page.$$eval('[data-testid="confusion"] tbody th', (ths) => ths.map((t) => t.textContent));
  assert.ok(heads.includes('Ankle boot') && heads.includes('T-shirt/top'), heads.join());
  assert.equal(await page.locator('[data-testid="per-class"] .bar-row').count(), 10);
  const wrong = total - diagonal;
  assert.equal(await page.locator('[data-testid="gallery"] li').count(), Math.min(24, wrong));
  // Every gallery thumbnail was drawn (not a blank canvas).
  const drawn = await page.$$eval('[data-testid="gallery"] canvas', (cs) =>
    cs.map((c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 !== 3 && v > 0)));
  assert.ok(drawn.length > 0 && drawn.every(Boolean), 'thumbnails drawn');

  // The CSV download holds one row per curve point.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  const csv = await readFile(await download.path(), 'utf8');
  return { csv, train, val };
}

/**
 * Marks the cell's phase changes (`performance.mark('phase-<id>')`) and traces the page's main
 * thread from now on (see `traceMainThread` for why CPU time, not the Long Tasks API).
 */
async function watchLongTasks(page) {
  await page.evaluate(() => {
    const cell = document.querySelector('[data-testid="train-cell"]');
    new MutationObserver(() => performance.mark(`phase-${cell.dataset.phase}`)).observe(cell, { attributes: true, attributeFilter: ['data-phase'] });
  });
  return traceMainThread(page);
}

/** No main-thread task that takes over 200 ms of the thread's CPU from the first `from` phase to 'done'. */
async function noLongTasksWhileTraining(stop, from) {
  const { tasks, marks } = await stop();
  const phases = marks.map((m) => m.name.replace(/^phase-/, ''));
  assert.ok([from, 'training', 'validating', 'testing', 'done'].every((p) => phases.includes(p)), phases.join());
  const start = marks.find((m) => m.name === `phase-${from}`).ts;
  const end = marks.find((m) => m.name === 'phase-done').ts;
  const window = tasks.filter((t) => t.ts >= start && t.ts < end);
  assert.ok(window.length > 10, `${window.length} main-thread tasks while training`);
  const worst = window.reduce((a, t) => (t.cpu > a.cpu ? t : a), { cpu: 0, wall: 0 });
  assert.ok(worst.cpu <= 200_000, `longest main-thread task while training: ${(worst.cpu / 1000).toFixed(0)} ms of CPU (${(worst.wall / 1000).toFixed(0)} ms wall)`);
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Trains Adam on one fixed batch (the book preset with `fields` overriding every value) and returns the training losses from the CSV. */
async function fixedBatchLosses(page, fields) {
  await page.getByTestId('train-preset').selectOption('book');
  await page.getByTestId('train-optimizer').selectOption('adam');
  await fill(page, fields);
  const before = await finished(page);
  await page.getByTestId('train-start').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > n, before, { timeout: 600_000 });
  assert.equal(await phase(page), 'done', await page.getByTestId('train-status').textContent());
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  return (await readFile(await dl.path(), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(',')).filter((c) => c[0] === 'train').map((c) => Number(c[3]));
}

/** Starts a run of `train` images, waits for its first point, stops it: the curves stay. */
async function stopEarly(page, train) {
  await fill(page, { train });
  await page.getByTestId('train-start').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="train-board"]')?.dataset.trainPoints) >= 1, null, { timeout: 300_000 });
  await page.getByTestId('train-stop').click();
  assert.equal(await waitPhase(page, ['stopped', 'done']), 'stopped');
  const kept = await points(page);
  assert.ok(kept.train >= 1);
  assert.equal((await curve(page, 'curve-train-loss')).length, kept.train);
  return Number(await page.getByTestId('train-progress').getAttribute('value'));
}

test('WebGPU (SwiftShader): book preset refused with an offer, tiny run, pause/resume/stop, report, long tasks', async () => {
  const browser = await launch({ webgpu: true });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'WebGpu');
    await page.getByTestId('train-cell').waitFor();
    const trace = await watchLongTasks(page);
    assert.equal(await page.getByTestId('train-backend').textContent(), 'WebGPU');

    // Settings beyond the device: batch 1024 at 224 px makes a 1.07 GiB first activation, over
    // SwiftShader's 1 GiB buffer limit (browsers report no total GPU memory, so only the
    // adapter's limits refuse a run up front). Start is refused with an offer.
    await page.getByTestId('train-preset').selectOption('book');
    await refusedWithOffer(page, { batch: '1024' }, /limit for one buffer/);

    // The tiny run, in a Web Worker with its own WebGPU device: no main-thread task over 200 ms
    // from the worker's start to the end of testing (on the page's thread the first step alone,
    // which compiles every kernel, took ~1 s on SwiftShader). Before that, downloading and
    // decoding the data (main thread) measured tasks up to ~170 ms here; not asserted.
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    const { csv, train, val } = await tinyRun(page, TINY_GPU);
    // One GPU worker for the run (the page's GPU engine worker started before we listened).
    assert.equal(workers.length, 1, workers.join());
    assert.match(workers[0], /\/nin-gpu-loader-[0-9a-f]{1,16}\.js$/); // trunk's hash of nin-gpu, without leading zeros
    const lines = csv.trim().split('\n');
    assert.match(lines[0], /loss/);
    assert.equal(lines.length - 1, train + val, csv);
    await noLongTasksWhileTraining(trace, 'building');

    // Stop: the run ends early and its curves stay on screen.
    await fill(page, { train: '400' });
    await page.getByTestId('train-start').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="train-board"]')?.dataset.trainPoints) >= 1, null, { timeout: 300_000 });
    // The tab goes hidden: the run pauses and says why; back and Resume continues.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    assert.equal(await waitPhase(page, ['paused-hidden', 'done']), 'paused-hidden');
    assert.match(await page.getByTestId('train-status').textContent(), /hidden/i);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.getByTestId('train-resume').click();
    await waitPhase(page, ['training', 'validating']);
    await page.getByTestId('train-stop').click();
    assert.equal(await waitPhase(page, ['stopped', 'done']), 'stopped');
    const kept = await points(page);
    assert.ok(kept.train >= 1);
    assert.equal((await curve(page, 'curve-train-loss')).length, kept.train);
    assert.ok(Number(await page.getByTestId('train-progress').getAttribute('value')) < 50, 'stopped before the end (50 steps)');
    // Each run has its own worker.
    assert.equal(workers.length, 2);

    // Loss going down on WebGPU too: 20 Adam steps (lr 0.003) on the same 4 real images, one
    // point per step. Measured here on SwiftShader: 2.38 -> 1.79 in ~2 min (on the CPU backend
    // the same settings go 2.33 -> 1.77). The bar: the last five steps' mean 10 % under the
    // first five's.
    const fit = await fixedBatchLosses(page, { lr: '0.003', batch: '4', size: '67', epochs: '20', train: '4', val: '4', test: '4', seed: '3' });
    assert.equal(fit.length, 20);
    assert.ok(mean(fit.slice(-5)) < 0.9 * mean(fit.slice(0, 5)), `losses ${fit.map((l) => l.toFixed(3)).join(' ')}`);

    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('CPU fallback: tiny run with report and CSV; loss goes down on a fixed batch', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'Cpu');
    assert.equal(await page.getByTestId('train-backend').textContent(), 'CPU');
    // What Burn's autodiff keeps for the book's model at 224 px is ~15.7 MiB per image
    // (exercise 4's engine figure): batch 128 (~1.9 GiB with the weights) fits the CPU
    // backend's 2 GiB, batch 256 does not, and the offer is the largest batch that fits.
    await page.getByTestId('train-preset').selectOption('book');
    const offered = await refusedWithOffer(page, { batch: '256' }, /2\.00 GiB/);
    assert.ok(offered > 128 && offered < 256, `offered ${offered}`);
    // Before a model exists, the try-it cell says what to do first.
    await page.getByTestId('try-need-model').waitFor();
    assert.ok(await page.getByTestId('try-classify').isDisabled());
    // The CPU backend trains in a Web Worker: the page's thread stays free.
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    const trace = await watchLongTasks(page);
    // No run on this backend yet: no time is claimed before the run.
    await page.getByTestId('train-estimate-unknown').waitFor();
    const { csv, train, val } = await tinyRun(page, TINY_CPU);
    // The CPU workers run the page's own module (no second .wasm download): one per core by
    // default (data-parallel, tests/browser/parallel.test.mjs).
    const cores = await page.evaluate(() => Math.min(Math.max(navigator.hardwareConcurrency, 1), 8));
    assert.equal(await page.getByTestId('train-progress-text').getAttribute('data-workers'), String(cores));
    assert.equal(workers.length, cores, workers.join());
    assert.ok(workers.every((u) => /\/worker-[0-9a-f]{16}\.js$/.test(u)), workers.join());
    // Now the cell estimates from that run's speed. The run: 160 training images (3 passes each)
    // and 5 validations of 100 images (10 steps, one every 2) took 160 / images_per_s seconds of
    // active time; the same settings cost that plus 300 test images, 1,280 passes against 980.
    // 320 training images: 20 steps, 4 validations, 960 + 400 + 300 = 1,660 passes.
    const estimate = async () => Number(await page.getByTestId('train-estimate').getAttribute('data-secs'));
    const small = await estimate();
    const rate = Number(await page.getByTestId('train-progress-text').getAttribute('data-images-per-s'));
    assert.ok(Math.abs(small / ((160 / rate) * (1280 / 980)) - 1) < 0.01, `estimate ${small} s at ${rate} images/s`);
    assert.match(await page.getByTestId('train-estimate').textContent(), /batch 16 at 67 px/);
    await fill(page, { train: '320' });
    assert.ok(Math.abs((await estimate()) / small - 1660 / 1280) < 0.01, `${small} -> ${await estimate()}`);
    await fill(page, { train: TINY_CPU.fields.train });
    // From the worker's start on (the model is built and trained there).
    await noLongTasksWhileTraining(trace, 'building');
    assert.equal(csv.trim().split('\n').length - 1, train + val);
    // Stop ends the worker's run early; the weights it had reach the try-it cell.
    const stoppedAt = await stopEarly(page, '400');
    assert.ok(stoppedAt < 25, `stopped at step ${stoppedAt} of 25`);
    // Training loss values in the CSV are finite and start near ln 10 (an untrained model).
    const losses = csv.trim().split('\n').slice(1).map((l) => l.split(',')).filter((c) => c[0] === 'train').map((c) => Number(c[3]));
    assert.ok(losses.length === train && losses.every(Number.isFinite), csv);
    assert.ok(Math.abs(losses[0] - Math.log(10)) < 0.3, `first loss ${losses[0]}`);

    // Loss going down: 40 Adam steps on the same 16 real images (the book preset's one
    // validation per epoch, every field overridden). Natively the same run (seed 3) goes from
    // ~2.25 to ~1.7; the bar asks the mean of the last five steps to be 10 % under the first five.
    // (With 30 steps and two workers, each with its own dropout masks, the ratio was 0.89-0.90
    // across builds whose sums differ only in order; 40 steps give 0.74-0.77.)
    const fit = await fixedBatchLosses(page, { lr: '0.001', batch: '16', size: '67', epochs: '40', train: '16', val: '16', test: '16', seed: '3' });
    assert.equal(fit.length, 40);
    assert.ok(mean(fit.slice(-5)) < 0.9 * mean(fit.slice(0, 5)), `losses ${fit.map((l) => l.toFixed(3)).join(' ')}`);

    // The trained weights download (the variant and its size in the name and the file's
    // header) and load back: the same test accuracy, at the file's size even when the form
    // shows another one.
    const trained = await page.getByTestId('test-accuracy').getAttribute('data-value');
    const [wd] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-weights').click()]);
    assert.equal(wd.suggestedFilename(), 'nin-book-67px.ninw');
    const [jd] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
    const runJson = JSON.parse(await readFile(await jd.path(), 'utf8'));
    assert.equal(runJson.variant, 'book');
    assert.equal(runJson.model, "Book's NiN");
    await fill(page, { size: '96' });
    const beforeLoad = await finished(page);
    const workersBefore = workers.length;
    await page.getByTestId('train-load-weights').setInputFiles(await wd.path());
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > n, beforeLoad, { timeout: 120_000 });
    assert.equal(await phase(page), 'done', await page.getByTestId('train-status').textContent());
    await page.getByTestId('train-loaded').waitFor();
    assert.equal(await page.getByTestId('train-loaded').getAttribute('data-size'), '67');
    assert.equal(await page.getByTestId('test-accuracy').getAttribute('data-value'), trained);
    // Scored in workers, one per core (each scores a part of the test images): the accuracy
    // above is exactly the run's.
    assert.equal(workers.length, workersBefore + cores, 'the loaded weights were scored in workers');
    // A file that is not a record is a clear error.
    const beforeBad = await finished(page);
    await page.getByTestId('train-load-weights').setInputFiles({ name: 'bad.ninw', mimeType: 'application/octet-stream', buffer: Buffer.from('not a record') });
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > n, beforeBad, { timeout: 60_000 });
    assert.equal(await phase(page), 'failed');
    assert.match(await page.getByTestId('train-status').textContent(), /bad\.ninw is not a weights file of this page/);

    // Try it yourself, with the model just trained at 67 px.
    assert.equal(await page.getByTestId('try-need-model').count(), 0);
    const runs = async () => Number(await page.getByTestId('try-cell').getAttribute('data-runs'));
    let n = await runs();
    await page.getByTestId('try-test-image').click();
    await page.waitForFunction((k) => Number(document.querySelector('[data-testid="try-cell"]').dataset.runs) > k, n, { timeout: 120_000 });
    await checkTry(page, true);
    // Draw a stroke with the mouse: a new input, made from the drawing.
    n = await runs();
    const box = await page.getByTestId('try-canvas').boundingBox();
    await page.getByTestId('try-clear').click();
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.8, { steps: 8 });
    await page.mouse.move(box.x + box.width * 0.65, box.y + box.height * 0.8, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction((k) => Number(document.querySelector('[data-testid="try-cell"]').dataset.runs) > k, n, { timeout: 120_000 });
    await checkTry(page, false);
    // Switching the language keeps the cells' state: the board, the typed fields, the model and
    // the try-it cell's last answer; only the words change.
    const probs = () => page.getByTestId('try-prob').evaluateAll((els) => els.map((e) => e.dataset.value));
    const kept = { points: await points(page), probs: await probs(), train: await page.getByTestId('train-train').inputValue() };
    assert.equal(kept.probs.length, 10);
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    assert.match(await page.getByTestId('train-cell').locator('h3').textContent(), /[\u3040-\u30ff\u4e00-\u9fff]/);
    assert.deepEqual(await points(page), kept.points);
    assert.deepEqual(await probs(), kept.probs);
    assert.equal(await page.getByTestId('train-train').inputValue(), kept.train);
    assert.equal(await page.getByTestId('try-need-model').count(), 0);
    await page.getByTestId('lang-toggle').click();

    // A blank canvas is a clear error, not a computation.
    await page.getByTestId('try-clear').click();
    await page.getByTestId('try-classify').click();
    await page.getByTestId('try-error').waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('CPU fallback: a damaged data file and a worker that cannot start are clear errors, and the page goes on', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'Cpu');
    await page.getByTestId('train-preset').selectOption('cpu');
    await fill(page, TINY_CPU.fields);

    // A served shard with gzip's magic bytes and garbage after them: its checksum gives it away.
    await page.route('**/test-00-*.nins.gz', (route) => route.fulfill({ status: 200, body: Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) }));
    let before = await finished(page);
    await page.getByTestId('train-start').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > n, before, { timeout: 300_000 });
    assert.equal(await phase(page), 'failed');
    assert.match(await page.getByTestId('train-status').textContent(), /test-00-[0-9a-f]{12}\.nins\.gz arrived damaged: its SHA-256 checksum differs from the data manifest's/);
    await page.unroute('**/test-00-*.nins.gz');

    // The worker's script is missing.
    await page.route(`**/${CPU_WORKER}`, (route) => route.fulfill({ status: 404, body: 'missing' }));
    before = await finished(page);
    await page.getByTestId('train-start').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > n, before, { timeout: 300_000 });
    assert.equal(await phase(page), 'failed');
    assert.match(await page.getByTestId('train-status').textContent(), /The training worker could not start \(worker-[0-9a-f]{16}\.js could not be loaded\)/);
    // The page still works: Start is offered again.
    assert.ok(!(await page.getByTestId('train-start').isDisabled()));
    // The only problem is the 404 itself, which the browser logs.
    assert.deepEqual(problems.filter((p) => !/404/.test(p)), []);
    assert.ok(problems.length <= 1, problems.join());
  } finally {
    await browser.close();
  }
});

test('WebGPU page, worker without WebGPU: a clear error, one click to the CPU, and that run works', async () => {
  const browser = await launch({ webgpu: true });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'WebGpu');
    // A browser that gives WebGPU to pages but not to workers: the worker's navigator.gpu is hidden
    // before its script runs.
    await page.route(`**/${GPU_WORKER}`, async (route) => {
      const response = await route.fetch();
      const hide = "Object.defineProperty(WorkerNavigator.prototype, 'gpu', { configurable: true, get: () => undefined });\n";
      await route.fulfill({ response, body: hide + (await response.text()) });
    });
    await page.getByTestId('train-preset').selectOption('short');
    await fill(page, TINY_GPU.fields);
    let before = await finished(page);
    await page.getByTestId('train-start').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > n, before, { timeout: 300_000 });
    assert.equal(await phase(page), 'failed');
    assert.match(await page.getByTestId('train-status').textContent(), /WebGPU could not be started in the training worker \(this browser has no WebGPU API \(navigator\.gpu is missing\)\)/);

    // One click: the CPU backend (the panel says why) with its preset.
    await page.getByTestId('train-use-cpu').click();
    assert.equal(await backendKind(page), 'Cpu');
    assert.match(await page.getByTestId('backend-reason').textContent(), /training worker/);
    assert.equal(await page.getByTestId('train-preset').inputValue(), 'cpu');
    assert.equal(await page.getByTestId('train-backend').textContent(), 'CPU');
    assert.equal(await page.getByTestId('train-use-cpu').count(), 0);
    assert.equal(await phase(page), 'idle');

    // The same browser trains on the CPU.
    await fill(page, TINY_CPU.fields);
    before = await finished(page);
    await page.getByTestId('train-start').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > n, before, { timeout: 300_000 });
    assert.equal(await phase(page), 'done', await page.getByTestId('train-status').textContent());
    assert.equal(Number(await page.getByTestId('train-progress').getAttribute('value')), TINY_CPU.steps);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('"Load the trained NiN" with a field that breaks its rule says why next to each button, in both languages', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    await backendKind(page);
    await fill(page, { lr: 'abc' });
    await page.getByTestId('train-load-shipped').click();
    await page.getByTestId('train-shipped-error').waitFor({ timeout: 10_000 });
    assert.match(await page.getByTestId('train-shipped-error').textContent(), /must be a number above 0 and below 10 \(such as 0\.001\), not "abc"/);
    assert.equal(await phase(page), 'idle', 'nothing started');
    // The try-it cell's button asks the training cell: the reason shows next to it too.
    await page.getByTestId('try-load-shipped').click();
    await page.getByTestId('try-shipped-error').waitFor({ timeout: 10_000 });
    assert.match(await page.getByTestId('try-shipped-error').textContent(), /"abc"/);
    await page.getByTestId('lang-toggle').click();
    assert.match(await page.getByTestId('train-shipped-error').textContent(), /より大きく 10 より小さい数.*"abc"/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('after a run, a loaded weights file\'s JSON names that file\'s model and carries none of the run\'s curves', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    await backendKind(page);
    await page.getByTestId('train-preset').selectOption('cpu');
    await fill(page, { size: '67', batch: '16', train: '64', val: '32', test: '32', epochs: '1', seed: '1' });
    const beforeRun = await finished(page);
    await page.getByTestId('train-start').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > n, beforeRun, { timeout: 300_000 });
    assert.equal(await phase(page), 'done', await page.getByTestId('train-status').textContent());
    assert.ok((await points(page)).train > 0);
    // The site's trained NiN (96 px) as a file the student picked.
    const file = new URL('../../models/nin-book-96px.ninw', import.meta.url);
    const beforeLoad = await finished(page);
    await page.getByTestId('train-load-weights').setInputFiles(file.pathname);
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > n, beforeLoad, { timeout: 300_000 });
    assert.equal(await phase(page), 'done', await page.getByTestId('train-status').textContent());
    assert.equal((await points(page)).train, 0, 'the run\'s curves are not shown with the file\'s report');
    const [jd] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
    assert.equal(jd.suggestedFilename(), 'nin-book-run.json');
    const json = JSON.parse(await readFile(await jd.path(), 'utf8'));
    assert.equal(json.variant, 'book');
    assert.equal(json.settings.image_size, 96, 'the file\'s size');
    assert.deepEqual(json.history.train, [], 'no curves from the run before');
    assert.equal(json.test.confusion.flat().reduce((a, b) => a + b, 0), 32, 'the file\'s test report');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
