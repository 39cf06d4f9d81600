// Light, instant, offline, in headless Chromium: the CPU worker runs the page's own module (no
// second .wasm request); a run downloads only the shards it needs; after the first visit the
// page reloads, runs the shape summary and trains from the stored shards with the network off,
// and says which presets need data it does not have; a new deployment under the test server is
// detected and offered, and "Reload" brings the new version.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SITE_DIR, startServer, launch, backendKind, runShapeCell, shapeRows, BOOK_SHAPES_224, startAndWait, fillTraining, TINY_CPU,
} from './harness.mjs';

let site, copy;
before(async () => {
  // A copy of the site, so the update test can change it under the server.
  copy = await mkdtemp(join(tmpdir(), 'nin-site-'));
  await cp(SITE_DIR, copy, { recursive: true });
  site = await startServer({ dir: copy });
});
after(async () => {
  site.server.close();
  await rm(copy, { recursive: true, force: true });
});

/** A page that records problems and the path of every request the page and its workers make
 * (the service worker's own precache requests are not the page's). */
async function open(context) {
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // Chromium logs a failed fetch while offline as an error: that is the test's own doing.
    if (m.type() === 'error' && !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(m.text())) problems.push(`console error: ${m.text()}`);
  });
  context.on('request', (r) => {
    if (!r.serviceWorker()) requests.push(new URL(r.url()).pathname);
  });
  await page.goto(site.url);
  return { page, problems, requests };
}

const controlled = (page) => page.waitForFunction(() => !!navigator.serviceWorker?.controller, null, { timeout: 60_000 });
const manifest = async () => JSON.parse(await readFile(join(copy, 'data/fashion-mnist/manifest.json'), 'utf8'));

test('one module, only the shards a run needs, then offline: reload, shape summary, a run from stored shards', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext();
    const { page, problems, requests } = await open(context);
    assert.equal(await backendKind(page), 'Cpu');
    await controlled(page);
    // The first visit fetched one .wasm (gzipped), and no GPU module: this browser has no adapter.
    assert.equal(requests.filter((p) => p.endsWith('.wasm.gz') || p.endsWith('.wasm')).length, 1, requests.join('\n'));
    assert.deepEqual(requests.filter((p) => p.includes('nin-gpu')), []);

    // What the presets would download, before any run: the CPU preset's 4,140 training-file
    // images are two shards and its 1,000 test images one (3.3 MB); the short GPU preset's
    // 7,000 and 2,000 are three and one (4.4 MB); the book's preset takes them all.
    const m = await manifest();
    const bytes = (train, test) => m.train.slice(0, train).concat(m.test.slice(0, test)).reduce((a, s) => a + s.bytes, 0);
    const download = async (preset) => {
      await page.getByTestId('train-preset').selectOption(preset);
      await page.getByTestId('train-download').waitFor();
      return Number(await page.getByTestId('train-download').getAttribute('data-bytes'));
    };
    assert.equal(await download('cpu'), bytes(2, 1));
    assert.equal(await download('short'), bytes(3, 1));
    assert.equal(await download('book'), bytes(m.train.length, m.test.length));
    assert.ok(bytes(3, 1) <= 5e6, `the short GPU preset downloads ${bytes(3, 1)} bytes`);

    // A tiny run: 260 training-file images and 300 test images are one shard of each.
    requests.length = 0;
    await page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(page, TINY_CPU);
    assert.equal(Number(await page.getByTestId('train-download').getAttribute('data-bytes')), m.train[0].bytes + m.test[0].bytes);
    assert.equal(await startAndWait(page), 'done', await page.getByTestId('train-status').textContent());
    const shards = requests.filter((p) => p.endsWith('.nins.gz')).map((p) => p.split('/').pop());
    assert.deepEqual([...new Set(shards)].sort(), [m.test[0].file, m.train[0].file].sort());
    // The CPU worker ran the page's module: no second .wasm request.
    assert.deepEqual(requests.filter((p) => /\.wasm(\.gz)?$/.test(p)), []);
    assert.ok(requests.some((p) => /\/worker-[0-9a-f]{16}\.js$/.test(p)), 'the CPU worker script');
    assert.equal(await page.getByTestId('train-download').textContent(), 'already downloaded');

    // The storage panel: both shards stored; no preset has all its data (the CPU preset needs
    // a second training shard), so each says how much it still needs.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="storage-usage"]')?.dataset.shards) === 2, null, { timeout: 30_000 });
    const states = await page.getByTestId('offline-preset').evaluateAll((els) => els.map((e) => [e.dataset.preset, e.dataset.state]));
    assert.deepEqual(states, [['book', 'missing'], ['short', 'missing'], ['cpu', 'missing']]);

    // Offline: the page reloads from the service worker and works.
    await context.setOffline(true);
    await page.reload();
    assert.equal(await backendKind(page), 'Cpu');
    assert.equal(await runShapeCell(page, [1, 1, 224, 224]), 'done');
    assert.deepEqual(await shapeRows(page), BOOK_SHAPES_224);
    await page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(page, TINY_CPU);
    assert.equal(await startAndWait(page), 'done', await page.getByTestId('train-status').textContent());
    assert.ok(Number(await page.getByTestId('test-accuracy').getAttribute('data-value')) >= 0);
    // A run that needs a shard this device does not have says so.
    await fillTraining(page, { train: '3000' });
    assert.equal(await startAndWait(page), 'failed');
    assert.match(await page.getByTestId('train-status').textContent(), /This device is offline, and .*train-01-[0-9a-f]{12}\.nins\.gz is not stored on it/);
    await context.setOffline(false);

    // Clearing the stored data empties the data cache.
    await page.getByTestId('storage-clear').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="storage-usage"]')?.dataset.shards) === 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a new deployment is detected and offered, and Reload brings it', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext();
    const { page, problems } = await open(context);
    await backendKind(page);
    await controlled(page);
    const version = () => page.evaluate(() => new Promise((resolve) => {
      navigator.serviceWorker.addEventListener('message', (e) => resolve(e.data.version), { once: true });
      navigator.serviceWorker.controller.postMessage('version');
    }));
    const first = await version();
    assert.match(first, /^[0-9a-f]{16}$/);
    assert.equal(await page.getByTestId('update-ready').count(), 0);

    // Deploy: a changed page (a marker in its title) and so a new service-worker version.
    const html = join(copy, 'index.html');
    await writeFile(html, (await readFile(html, 'utf8')).replace('<title>', '<title>v2 · '));
    const sw = join(copy, 'sw.js');
    await writeFile(sw, (await readFile(sw, 'utf8')).replace(`const VERSION = '${first}'`, `const VERSION = '${first.slice(0, 15)}x'`));
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.getByTestId('update-ready').waitFor({ timeout: 60_000 });
    // Until the student asks, the old version keeps serving this page.
    assert.doesNotMatch(await page.title(), /^v2/);
    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
    await backendKind(page);
    assert.match(await page.title(), /^v2 · /);
    assert.equal(await version(), `${first.slice(0, 15)}x`);
    assert.equal(await page.getByTestId('update-ready').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
